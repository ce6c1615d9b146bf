//! What a backup holds inside its age encryption, so that decrypting it (`age -d`) never
//! leaves the notes in the clear on disk.
//!
//! ```text
//! fieldnotes backup 2\n            the format and its version
//! u32 (big-endian) length, bytes   the backup's own key, age-encrypted to the same
//!                                  passphrase or recipients as the backup itself
//! u64 (big-endian) length, bytes   the database: a SQLCipher file under that key
//! ```
//!
//! The key is a new random one for each backup, not the vault's: a backup's key opens that
//! backup only, and a restore does not depend on the key the vault has now.
//!
//! Backups made before this format hold a plain SQLite database inside the age encryption;
//! they are recognised by SQLite's header and still restore.

use std::fs;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use zeroize::Zeroizing;

use super::super::{Result, VaultError, export_encrypted, io_err};
use crate::secret::DbKey;
use crate::store::StoreError;

/// The first line of a backup's contents, naming the format and its version.
pub(super) const MAGIC: &[u8] = b"fieldnotes backup 2\n";

/// The first bytes of a plain SQLite database: a backup made before the sealed format.
const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

/// A backup's contents once its age encryption is removed.
#[derive(Debug)]
pub(super) enum Contents<'a> {
    /// The old format: the plain database itself.
    Plain(&'a [u8]),
    /// The sealed format.
    Sealed {
        /// The backup's key, age-encrypted.
        wrapped_key: &'a [u8],
        /// The SQLCipher database under that key.
        database: &'a [u8],
    },
}

/// Lays out the sealed contents.
pub(super) fn pack(wrapped_key: &[u8], database: &[u8]) -> Result<Vec<u8>> {
    let too_big = || VaultError::Refused("the vault is too large for a backup file".into());
    let key_len = u32::try_from(wrapped_key.len()).map_err(|_| too_big())?;
    let db_len = u64::try_from(database.len()).map_err(|_| too_big())?;
    let mut out = Vec::with_capacity(MAGIC.len() + 12 + wrapped_key.len() + database.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&key_len.to_be_bytes());
    out.extend_from_slice(wrapped_key);
    out.extend_from_slice(&db_len.to_be_bytes());
    out.extend_from_slice(database);
    Ok(out)
}

/// Reads a backup's contents, in either format; `Err` says why they are neither.
pub(super) fn unpack(plain: &[u8]) -> std::result::Result<Contents<'_>, String> {
    if plain.starts_with(SQLITE_MAGIC) {
        return Ok(Contents::Plain(plain));
    }
    let Some(rest) = plain.strip_prefix(MAGIC) else {
        return Err(if plain.starts_with(b"fieldnotes backup ") {
            "it was made by a newer version of fieldnotes: restore it with that version".into()
        } else {
            "it holds neither a fieldnotes database nor a sealed one".into()
        });
    };
    let cut = || "it is cut short".to_owned();
    let (len, rest) = rest.split_first_chunk::<4>().ok_or_else(cut)?;
    let key_len = usize::try_from(u32::from_be_bytes(*len)).map_err(|_| cut())?;
    let (wrapped_key, rest) = rest.split_at_checked(key_len).ok_or_else(cut)?;
    let (len, rest) = rest.split_first_chunk::<8>().ok_or_else(cut)?;
    let db_len = usize::try_from(u64::from_be_bytes(*len)).map_err(|_| cut())?;
    if rest.len() != db_len {
        return Err(cut());
    }
    Ok(Contents::Sealed {
        wrapped_key,
        database: rest,
    })
}

/// The database of `conn` as a SQLCipher file under `key`, in memory. The file is made in
/// `scratch` (a name that unlocking removes if a crash leaves it) and removed at once; only
/// encrypted pages ever reach the disk.
pub(super) fn seal(conn: &Connection, key: &DbKey, scratch: &Path) -> Result<Vec<u8>> {
    let result = export_encrypted(conn, scratch, key).and_then(|()| {
        fs::read(scratch).map_err(io_err("read the backup's encrypted copy of the vault"))
    });
    remove_scratch(scratch);
    result
}

/// The plain database of a sealed backup, in memory only: the SQLCipher bytes are written to
/// `scratch` (still encrypted), opened with `key` and exported into an in-memory database,
/// which is serialised. Wrong key or damaged bytes: `Err` says why.
#[allow(clippy::disallowed_methods)]
pub(super) fn unseal(
    database: &[u8],
    key: &DbKey,
    scratch: &Path,
) -> Result<std::result::Result<Zeroizing<Vec<u8>>, String>> {
    let _ = fs::remove_file(scratch);
    crate::vault::files::create_private_file(scratch)
        .and_then(|mut f| {
            std::io::Write::write_all(&mut f, database)?;
            f.sync_all()
        })
        .map_err(io_err("write the backup's encrypted copy of the vault"))?;
    let plain = (|| -> rusqlite::Result<Zeroizing<Vec<u8>>> {
        let mut conn = Connection::open_with_flags(
            scratch,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        conn.pragma_update(None, "key", &*key.sqlcipher_literal())?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        conn.execute_batch(
            "PRAGMA cipher_memory_security = ON;
             PRAGMA temp_store = MEMORY;
             ATTACH DATABASE ':memory:' AS plain KEY '';
             SELECT sqlcipher_export('plain');",
        )?;
        conn.pragma_update(Some("plain"), "user_version", version)?;
        let image = Zeroizing::new(conn.serialize("plain")?.to_vec());
        conn.execute_batch("DETACH DATABASE plain;")?;
        conn.close().map_err(|(_, e)| e)?;
        Ok(image)
    })();
    remove_scratch(scratch);
    match plain {
        Ok(image) => Ok(Ok(image)),
        Err(e) => match StoreError::from(e) {
            StoreError::Damaged(d) => Ok(Err(d)),
            other => Err(other.into()),
        },
    }
}

/// Removes a scratch copy and what SQLite kept beside it.
fn remove_scratch(scratch: &Path) {
    let _ = fs::remove_file(scratch);
    let _ = fs::remove_file(crate::vault::wal::sibling(scratch, "-journal"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contents_round_trip_and_damage_is_named() {
        let packed = pack(b"KEY", b"DATABASE").unwrap();
        let Ok(Contents::Sealed {
            wrapped_key,
            database,
        }) = unpack(&packed)
        else {
            panic!("not sealed")
        };
        assert_eq!((wrapped_key, database), (&b"KEY"[..], &b"DATABASE"[..]));
        assert!(matches!(
            unpack(b"SQLite format 3\0rest"),
            Ok(Contents::Plain(_))
        ));
        for n in 0..packed.len() {
            assert!(unpack(&packed[..n]).is_err(), "cut at {n} accepted");
        }
        assert!(
            unpack(b"fieldnotes backup 9\n")
                .unwrap_err()
                .contains("newer")
        );
        assert!(unpack(b"hello").is_err());
    }
}
