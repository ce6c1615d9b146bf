//! The bundle file: what one member's vault sends the others.
//!
//! Inside an age file encrypted to the project's current members:
//!
//! ```text
//! fieldnotes team bundle 1\n
//! u32 (big-endian) length, then the header (JSON)
//! u64 (big-endian) length, then the rows (a changeset, see `merge`)
//! 32 bytes: HMAC-SHA256 of everything before it, under the project's team key
//! ```
//!
//! age authenticates the file (a flipped or cut byte fails to decrypt); the team key, which
//! only members hold, shows that a member made it: anyone can encrypt to a public key.

use std::collections::BTreeMap;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

/// The first line of every bundle.
pub const MAGIC: &[u8] = b"fieldnotes team bundle 1\n";
/// The bundle format this build writes and reads.
pub const FORMAT: u32 = 1;
/// The largest bundle read (a project of a hundred thousand notes is well under it).
pub const MAX_BYTES: u64 = 1 << 30;

/// What a bundle says about itself. Only members read it (it is inside the encryption).
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq)]
pub struct Header {
    /// Bundle format version.
    pub format: u32,
    /// This bundle's own id: a bundle received twice is recognised.
    pub bundle: String,
    /// The project's travelling id.
    pub project: String,
    /// The project's name when sent.
    pub project_name: String,
    /// The sending member's id (from their public key).
    pub sender: String,
    /// The sending member's name.
    pub sender_name: String,
    /// The sender's bundle number, 1 for their first.
    pub seq: u64,
    /// Whether it holds the whole project (for a member just added), not only changes.
    pub full: bool,
    /// In a whole-project bundle: the last bundle of each member whose changes it includes.
    #[serde(default)]
    pub covers: BTreeMap<String, u64>,
    /// Which team key signs it.
    pub epoch: u32,
    /// The project's team keys (epoch, hex), in bundles from the lead when members change.
    #[serde(default)]
    pub keys: Vec<(u32, String)>,
    /// When it was made (RFC 3339).
    pub made_at: String,
    /// How many row versions it carries.
    pub rows: usize,
}

/// Never shows the keys.
impl std::fmt::Debug for Header {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Header")
            .field("bundle", &self.bundle)
            .field("project", &self.project)
            .field("sender", &self.sender)
            .field("seq", &self.seq)
            .field("full", &self.full)
            .field("epoch", &self.epoch)
            .field("keys", &self.keys.len())
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl Drop for Header {
    fn drop(&mut self) {
        for (_, k) in &mut self.keys {
            k.zeroize();
        }
    }
}

/// Why a bundle's contents could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// Not a bundle, or cut short, or of a format this build does not know.
    #[error("it is not a fieldnotes team bundle, or it is incomplete")]
    NotABundle,
    /// Made by a newer fieldnotes.
    #[error(
        "it was made by a newer fieldnotes (bundle format {0}); install the newer version to receive it"
    )]
    TooNew(u32),
}

/// Lays out a bundle's plaintext and signs it.
pub fn seal(header: &Header, rows: &[u8], key: &[u8]) -> Zeroizing<Vec<u8>> {
    let head = serde_json::to_vec(header).unwrap_or_default();
    let mut out = Zeroizing::new(Vec::with_capacity(
        MAGIC.len() + head.len() + rows.len() + 64,
    ));
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(head.len() as u32).to_be_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(&(rows.len() as u64).to_be_bytes());
    out.extend_from_slice(rows);
    let tag = mac(key, &out);
    out.extend_from_slice(&tag);
    out
}

/// HMAC-SHA256 takes a key of any length, so this never fails in practice.
fn hmac(key: &[u8], data: &[u8]) -> Option<Hmac<Sha256>> {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).ok()?;
    m.update(data);
    Some(m)
}

fn mac(key: &[u8], data: &[u8]) -> [u8; 32] {
    hmac(key, data).map_or([0; 32], |m| m.finalize().into_bytes().into())
}

/// A bundle's parts, before its signature is checked.
pub struct Opened<'a> {
    /// What it says about itself.
    pub header: Header,
    /// The rows (a changeset).
    pub rows: &'a [u8],
    signed: &'a [u8],
    tag: &'a [u8],
}

impl Opened<'_> {
    /// Whether the team key signed it.
    pub fn signed_by(&self, key: &[u8]) -> bool {
        hmac(key, self.signed).is_some_and(|m| m.verify_slice(self.tag).is_ok())
    }
}

/// Splits a bundle's plaintext into its parts.
pub fn open(plain: &[u8]) -> Result<Opened<'_>, FormatError> {
    let rest = plain.strip_prefix(MAGIC).ok_or_else(|| {
        match plain
            .strip_prefix(b"fieldnotes team bundle ")
            .and_then(|r| r.split(|b| *b == b'\n').next())
            .and_then(|v| std::str::from_utf8(v).ok()?.parse().ok())
        {
            Some(v) if v > FORMAT => FormatError::TooNew(v),
            _ => FormatError::NotABundle,
        }
    })?;
    let (len, rest) = split_len::<4>(rest)?;
    let (head, rest) = split_at(rest, len)?;
    let header: Header = serde_json::from_slice(head).map_err(|_| FormatError::NotABundle)?;
    if header.format > FORMAT {
        return Err(FormatError::TooNew(header.format));
    }
    let (len, rest) = split_len::<8>(rest)?;
    let (rows, tag) = split_at(rest, len)?;
    if tag.len() != 32 {
        return Err(FormatError::NotABundle);
    }
    Ok(Opened {
        header,
        rows,
        signed: &plain[..plain.len() - 32],
        tag,
    })
}

fn split_len<const N: usize>(b: &[u8]) -> Result<(usize, &[u8]), FormatError> {
    if b.len() < N {
        return Err(FormatError::NotABundle);
    }
    let mut buf = [0u8; 8];
    buf[8 - N..].copy_from_slice(&b[..N]);
    let n = usize::try_from(u64::from_be_bytes(buf)).map_err(|_| FormatError::NotABundle)?;
    Ok((n, &b[N..]))
}

fn split_at(b: &[u8], n: usize) -> Result<(&[u8], &[u8]), FormatError> {
    if b.len() < n {
        return Err(FormatError::NotABundle);
    }
    Ok(b.split_at(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header {
            format: FORMAT,
            bundle: "b1".into(),
            project: "p".into(),
            project_name: "F2F".into(),
            sender: "m1".into(),
            sender_name: "Alex".into(),
            seq: 1,
            full: true,
            covers: BTreeMap::new(),
            epoch: 1,
            keys: vec![(1, "00".repeat(32))],
            made_at: "2026-12-01T00:00:00Z".into(),
            rows: 0,
        }
    }

    #[test]
    fn a_sealed_bundle_opens_and_checks_only_under_its_key() {
        let plain = seal(&header(), b"rows", &[7; 32]);
        let o = open(&plain).unwrap();
        assert_eq!(o.header, header());
        assert_eq!(o.rows, b"rows");
        assert!(o.signed_by(&[7; 32]));
        assert!(!o.signed_by(&[8; 32]));
    }

    #[test]
    fn any_changed_or_missing_byte_is_refused() {
        let plain = seal(&header(), b"rows", &[7; 32]);
        for i in 0..plain.len() {
            let mut p = plain.to_vec();
            p[i] ^= 1;
            assert!(
                open(&p).map_or(true, |o| !o.signed_by(&[7; 32])),
                "flip at {i} passed"
            );
        }
        for n in 0..plain.len() {
            assert!(
                open(&plain[..n]).map_or(true, |o| !o.signed_by(&[7; 32])),
                "cut at {n} passed"
            );
        }
    }

    #[test]
    fn a_newer_format_says_so() {
        let p = b"fieldnotes team bundle 9\nxxxx".to_vec();
        assert_eq!(open(&p).err(), Some(FormatError::TooNew(9)));
        assert_eq!(open(b"PK\x03\x04").err(), Some(FormatError::NotABundle));
    }

    #[test]
    fn the_header_never_shows_its_keys() {
        let h = header();
        assert!(!format!("{h:?}").contains(&"00".repeat(32)));
    }
}
