//! Detecting a damaged write-ahead log before SQLite opens it.
//!
//! After a crash, committed transactions may live only in `fieldnotes.db-wal`. When SQLite
//! recovers a log it stops at the first frame whose checksum or salt does not match, and
//! quietly treats everything after it as never written. That is right for a torn last frame
//! (a crash in the middle of a commit that was never acknowledged), but one flipped byte in an
//! earlier frame, or a truncated log, would silently drop committed notes. So before opening,
//! the log is read here the way SQLite reads it, and two signs of lost commits are looked for:
//!
//! - an intact commit frame of the current log generation *after* the first bad frame (a torn
//!   tail is always the last transaction, so nothing committed can follow it);
//! - the shared-memory index (`-shm`, left behind by a crash) recording more committed frames
//!   than the log still holds (truncation).
//!
//! Only headers and checksums are read: the frames' contents stay encrypted.

use std::fs;
use std::io;
use std::path::Path;

const WAL_HEADER: usize = 32;
const FRAME_HEADER: usize = 24;
const MAGIC_LE: u32 = 0x377f_0682;
const MAGIC_BE: u32 = 0x377f_0683;
const SHM_HEADER: usize = 48;
const SHM_VERSION: u32 = 3_007_000;

/// What the log holds that SQLite would throw away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalDamage {
    /// Committed transactions that SQLite would discard.
    pub lost_commits: usize,
    /// Which sign showed it, in words.
    pub detail: String,
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn ne32(b: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// SQLite's WAL checksum: pairs of 32-bit words, cumulative over the log.
fn checksum(big_endian: bool, data: &[u8], mut s: (u32, u32)) -> (u32, u32) {
    for pair in data.chunks_exact(8) {
        let (a, b) = if big_endian {
            (be32(pair, 0), be32(pair, 4))
        } else {
            (
                u32::from_le_bytes([pair[0], pair[1], pair[2], pair[3]]),
                u32::from_le_bytes([pair[4], pair[5], pair[6], pair[7]]),
            )
        };
        s.0 = s.0.wrapping_add(a).wrapping_add(s.1);
        s.1 = s.1.wrapping_add(b).wrapping_add(s.0);
    }
    s
}

/// The log as SQLite's recovery would see it.
struct Scan {
    /// The header's salts, when the header is intact.
    salts: Option<[u8; 8]>,
    /// Frames up to and including the last commit SQLite would keep.
    kept_frames: usize,
    /// Commit frames of this generation that come after the first bad frame.
    commits_after_damage: usize,
}

fn scan(wal: &[u8]) -> Scan {
    let empty = Scan {
        salts: None,
        kept_frames: 0,
        commits_after_damage: 0,
    };
    if wal.len() < WAL_HEADER {
        return empty;
    }
    let magic = be32(wal, 0);
    if magic != MAGIC_LE && magic != MAGIC_BE {
        return empty;
    }
    let big = magic == MAGIC_BE;
    let page = match be32(wal, 8) {
        1 => 65_536,
        p if p.is_power_of_two() && (512..=32_768).contains(&p) => p as usize,
        _ => return empty,
    };
    let mut sum = checksum(big, &wal[..24], (0, 0));
    if sum != (be32(wal, 24), be32(wal, 28)) {
        return empty;
    }
    let mut salts = [0u8; 8];
    salts.copy_from_slice(&wal[16..24]);
    let frame = FRAME_HEADER + page;
    let frames = wal[WAL_HEADER..].chunks_exact(frame);
    let mut kept_frames = 0;
    let mut bad = false;
    let mut commits_after_damage = 0;
    for (i, f) in frames.enumerate() {
        let same_generation = f[8..16] == salts;
        let is_commit = be32(f, 4) != 0;
        if bad {
            if same_generation && is_commit {
                commits_after_damage += 1;
            }
            continue;
        }
        sum = checksum(big, &f[..8], sum);
        sum = checksum(big, &f[FRAME_HEADER..], sum);
        if !same_generation || sum != (be32(f, 16), be32(f, 20)) {
            bad = true;
            continue;
        }
        if is_commit {
            kept_frames = i + 1;
        }
    }
    Scan {
        salts: Some(salts),
        kept_frames,
        commits_after_damage,
    }
}

/// The committed frame count recorded in the shared-memory index, when the index is intact
/// and belongs to the log generation with `salts` (or to any generation when the log's
/// header is unreadable). Frames already copied into the database do not count.
fn shm_uncheckpointed(shm: &[u8], salts: Option<[u8; 8]>) -> Option<(usize, usize)> {
    if shm.len() < 2 * SHM_HEADER + 4 {
        return None;
    }
    let (a, b) = (&shm[..SHM_HEADER], &shm[SHM_HEADER..2 * SHM_HEADER]);
    if a != b || ne32(a, 0) != SHM_VERSION || a[12] != 1 {
        return None;
    }
    if salts.is_some_and(|s| a[32..40] != s) {
        return None;
    }
    let max_frame = ne32(a, 16) as usize;
    let backfilled = ne32(shm, 2 * SHM_HEADER) as usize;
    Some((max_frame, backfilled))
}

/// Reads `db`'s log (and index) and says whether opening would silently drop committed
/// transactions. A missing or empty log is fine.
pub fn check(db: &Path) -> io::Result<Option<WalDamage>> {
    let wal_path = sibling(db, "-wal");
    let read_or_empty = |p: &Path| match fs::read(p) {
        Ok(b) => Ok(b),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e),
    };
    // A log deleted after a crash shows as an index recording frames that no log holds.
    let wal = read_or_empty(&wal_path)?;
    let shm = read_or_empty(&sibling(db, "-shm"))?;
    Ok(assess(&wal, &shm))
}

fn assess(wal: &[u8], shm: &[u8]) -> Option<WalDamage> {
    let s = scan(wal);
    if s.commits_after_damage > 0 {
        return Some(WalDamage {
            lost_commits: s.commits_after_damage,
            detail: format!(
                "a damaged frame is followed by {} committed change(s)",
                s.commits_after_damage
            ),
        });
    }
    if let Some((max_frame, backfilled)) = shm_uncheckpointed(shm, s.salts)
        && max_frame > s.kept_frames
        && max_frame > backfilled
    {
        return Some(WalDamage {
            lost_commits: 1,
            detail: format!(
                "its index records {max_frame} committed frame(s) but only {} can be read",
                s.kept_frames
            ),
        });
    }
    None
}

/// `fieldnotes.db` + `-wal` → `fieldnotes.db-wal`.
pub fn sibling(db: &Path, suffix: &str) -> std::path::PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(suffix);
    s.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: usize = 512;

    fn header(salts: [u8; 8]) -> Vec<u8> {
        let mut h = Vec::new();
        h.extend_from_slice(&MAGIC_LE.to_be_bytes());
        h.extend_from_slice(&3_007_000u32.to_be_bytes());
        h.extend_from_slice(&(PAGE as u32).to_be_bytes());
        h.extend_from_slice(&0u32.to_be_bytes());
        h.extend_from_slice(&salts);
        let (a, b) = checksum(false, &h, (0, 0));
        h.extend_from_slice(&a.to_be_bytes());
        h.extend_from_slice(&b.to_be_bytes());
        h
    }

    /// A log of `commits` transactions of two frames each.
    fn log(commits: usize) -> Vec<u8> {
        let salts = *b"saltsalt";
        let mut w = header(salts);
        let mut sum = (be32(&w, 24), be32(&w, 28));
        for t in 0..commits {
            for f in 0..2u32 {
                let mut fh = Vec::new();
                fh.extend_from_slice(&(f + 1).to_be_bytes());
                fh.extend_from_slice(&(if f == 1 { 2u32 } else { 0 }).to_be_bytes());
                fh.extend_from_slice(&salts);
                let page = vec![(t as u8).wrapping_mul(7).wrapping_add(f as u8); PAGE];
                sum = checksum(false, &fh[..8], sum);
                sum = checksum(false, &page, sum);
                fh.extend_from_slice(&sum.0.to_be_bytes());
                fh.extend_from_slice(&sum.1.to_be_bytes());
                w.extend_from_slice(&fh);
                w.extend_from_slice(&page);
            }
        }
        w
    }

    fn shm(max_frame: u32, salts: [u8; 8]) -> Vec<u8> {
        let mut h = vec![0u8; SHM_HEADER];
        h[..4].copy_from_slice(&SHM_VERSION.to_ne_bytes());
        h[12] = 1;
        h[16..20].copy_from_slice(&max_frame.to_ne_bytes());
        h[32..40].copy_from_slice(&salts);
        let mut s = h.clone();
        s.extend_from_slice(&h);
        s.extend_from_slice(&[0u8; 40]);
        s
    }

    const FRAME: usize = FRAME_HEADER + PAGE;

    #[test]
    fn an_intact_log_is_fine() {
        assert_eq!(assess(&log(3), &shm(6, *b"saltsalt")), None);
        assert_eq!(scan(&log(3)).kept_frames, 6);
    }

    #[test]
    fn a_torn_last_frame_is_not_damage() {
        let mut w = log(3);
        w.truncate(w.len() - 100);
        assert_eq!(assess(&w, &[]), None);
        // the index still says 4: the torn transaction was never acknowledged
        assert_eq!(assess(&w, &shm(4, *b"saltsalt")), None);
        let mut w = log(3);
        let last = w.len() - 10;
        w[last] ^= 1;
        assert_eq!(assess(&w, &shm(4, *b"saltsalt")), None);
    }

    #[test]
    fn a_flipped_byte_before_a_commit_is_damage() {
        let mut w = log(3);
        w[WAL_HEADER + FRAME_HEADER + 7] ^= 0x10; // first frame's page
        let d = assess(&w, &[]).expect("damage");
        assert_eq!(d.lost_commits, 3);
        let mut w = log(3);
        w[WAL_HEADER + 2 * FRAME + 9] ^= 0x01; // salt of the third frame
        assert_eq!(assess(&w, &[]).expect("damage").lost_commits, 2);
    }

    #[test]
    fn truncation_is_seen_through_the_index() {
        let mut w = log(3);
        w.truncate(WAL_HEADER + 2 * FRAME);
        assert_eq!(assess(&w, &[]), None, "without an index it cannot be seen");
        assert!(assess(&w, &shm(6, *b"saltsalt")).is_some());
        // an index of an older generation says nothing about this log
        assert_eq!(assess(&w, &shm(6, *b"oldsalts")), None);
    }

    #[test]
    fn a_damaged_header_loses_what_the_index_recorded() {
        let mut w = log(2);
        w[20] ^= 0xff;
        assert!(assess(&w, &shm(4, *b"saltsalt")).is_some());
        assert_eq!(assess(&w, &[]), None);
    }

    #[test]
    fn a_deleted_log_loses_what_the_index_recorded() {
        assert!(assess(&[], &shm(4, *b"saltsalt")).is_some());
        assert_eq!(assess(&[], &[]), None);
    }

    #[test]
    fn frames_already_checkpointed_are_not_lost() {
        let mut w = log(3);
        w.truncate(WAL_HEADER + 2 * FRAME);
        let mut s = shm(6, *b"saltsalt");
        s[2 * SHM_HEADER..2 * SHM_HEADER + 4].copy_from_slice(&6u32.to_ne_bytes());
        assert_eq!(assess(&w, &s), None);
    }
}
