//! Unlocking: which key file to try, checks on the database files before SQLite sees them,
//! and settling what an interrupted replacement or write left behind.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::keys::{self, UnwrapError};
use super::{
    Access, Result, Unlock, VaultError, VaultPaths, files, io_err, open_connection, swap, wal,
};
use crate::secret::DbKey;
use crate::store::{Store, StoreError};

/// The key files to try, in the order that matches where an interrupted replacement stopped:
/// after its commit the staged (`.next`) files hold the key in force, before it the live ones.
pub(super) fn key_files(
    paths: &VaultPaths,
    how: &Unlock,
    pending: swap::Pending,
) -> Result<Vec<PathBuf>> {
    let (mut live, mut staged) = match how {
        Unlock::Passphrase(_) => (
            vec![paths.passphrase_key()],
            vec![paths.passphrase_key().with_extension("age.next")],
        ),
        Unlock::Identities(_) => {
            let not_pass = |p: &PathBuf| {
                !p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("passphrase."))
            };
            (
                swap::live_keys(paths)?
                    .into_iter()
                    .filter(not_pass)
                    .collect(),
                swap::next_keys(paths)?
                    .into_iter()
                    .filter(not_pass)
                    .collect(),
            )
        }
    };
    staged.retain(|p| p.exists());
    Ok(match pending {
        swap::Pending::Committed => {
            staged.append(&mut live);
            staged
        }
        swap::Pending::Uncommitted => {
            live.append(&mut staged);
            live
        }
        swap::Pending::None => live,
    })
}

pub(super) fn unwrap_file(file: &Path, how: &Unlock) -> std::result::Result<DbKey, UnwrapError> {
    let bytes = fs::read(file).map_err(|e| UnwrapError::Damaged(e.to_string()))?;
    let plain = match how {
        Unlock::Passphrase(p) => keys::decrypt_with_passphrase(&bytes, p)?,
        Unlock::Identities(ids) => keys::decrypt_with_identities(&bytes, ids)?,
    };
    keys::key_from_plaintext(&plain)
}

/// Before SQLite sees the files: the database must exist and not be empty (SQLite would make
/// an empty file a new, empty vault), and a damaged log is set aside and reported rather than
/// silently cut short.
fn check_database_files(paths: &VaultPaths) -> Result<()> {
    let db = paths.db();
    match fs::metadata(&db) {
        Ok(m) if m.len() > 0 => {}
        Ok(_) => return Err(VaultError::DatabaseMissing(db)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(VaultError::DatabaseMissing(db));
        }
        Err(e) => return Err(io_err(format!("read {}", db.display()))(e)),
    }
    let Some(damage) = wal::check(&db).map_err(io_err("read the vault's log"))? else {
        return Ok(());
    };
    let wal = wal::sibling(&db, "-wal");
    let stamp = crate::store::now_rfc3339().replace(':', "-");
    let kept = wal::sibling(&db, &format!("-wal.damaged-{stamp}"));
    if wal.exists() {
        fs::rename(&wal, &kept).map_err(io_err("set the damaged log aside"))?;
    }
    let shm = wal::sibling(&db, "-shm");
    if shm.exists() {
        fs::remove_file(&shm).map_err(io_err("remove the log's index"))?;
    }
    files::sync_parent(&db).map_err(io_err("flush the vault folder"))?;
    Err(VaultError::WalDamaged {
        wal,
        kept,
        detail: damage.detail,
    })
}

/// Logs set aside by [`check_database_files`], oldest first.
pub fn damaged_logs(paths: &VaultPaths) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(&paths.dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("fieldnotes.db-wal.damaged-"))
        })
        .collect();
    found.sort();
    found
}

/// Unwraps the key and opens the database with it. Each key file that unwraps is tried until
/// one's key opens the database, so a half-finished rotation is resolved by what the database
/// itself accepts. Nothing on disk changes before a key has unwrapped.
pub(super) fn unlock_and_connect(
    paths: &VaultPaths,
    how: &Unlock,
    pending: swap::Pending,
) -> Result<(DbKey, Connection, PathBuf)> {
    let mut checked = false;
    try_keys(paths, how, pending, |key| {
        if !checked {
            check_database_files(paths)?;
            checked = true;
        }
        open_connection(&paths.db(), key, Access::Write)
    })
}

/// Unwraps the key and opens the database read-only, beside the process that holds the
/// vault. Nothing on disk changes: a log that looks damaged is reported, not moved (the
/// holder owns it), and nothing left by an interrupted write is removed.
pub(super) fn unlock_read_only(paths: &VaultPaths, how: &Unlock) -> Result<(DbKey, Connection)> {
    let (key, conn, _) = try_keys(paths, how, swap::Pending::None, |key| {
        let db = paths.db();
        if !fs::metadata(&db).is_ok_and(|m| m.len() > 0) {
            return Err(VaultError::DatabaseMissing(db));
        }
        open_connection(&db, key, Access::Read)
    })?;
    Ok((key, conn))
}

/// Tries each key file that unwraps with `how`, opening the database with `open`, until one
/// key opens it. A key the database refuses is a key file from another vault; when none
/// unwraps, the passphrase (or identity) is wrong or a key file is damaged.
fn try_keys(
    paths: &VaultPaths,
    how: &Unlock,
    pending: swap::Pending,
    mut open: impl FnMut(&DbKey) -> Result<Connection>,
) -> Result<(DbKey, Connection, PathBuf)> {
    let mut damaged = None;
    let mut mismatch = None;
    for file in key_files(paths, how, pending)? {
        let key = match unwrap_file(&file, how) {
            Ok(k) => k,
            Err(UnwrapError::NoMatch) => continue,
            Err(UnwrapError::Damaged(detail)) => {
                damaged.get_or_insert(VaultError::KeyFileDamaged {
                    file: file.clone(),
                    detail,
                });
                continue;
            }
            Err(e @ UnwrapError::NoMemory { .. }) => {
                return Err(VaultError::Refused(format!("{e}; nothing was changed")));
            }
        };
        match open(&key) {
            Ok(conn) => return Ok((key, conn, file)),
            Err(VaultError::Store(StoreError::Damaged(_))) => {
                mismatch.get_or_insert(file);
            }
            Err(e) => return Err(e),
        }
    }
    if let Some(file) = mismatch {
        return Err(VaultError::KeyMismatch {
            file,
            db: paths.db(),
        });
    }
    Err(damaged.unwrap_or(match how {
        Unlock::Passphrase(_) => VaultError::WrongPassphrase,
        Unlock::Identities(_) => VaultError::NoMatchingIdentity,
    }))
}

/// Settles an interrupted replacement (see [`swap`]) once the database is open, and removes
/// what interrupted writes left behind. Returns a line for the audit trail when anything
/// was settled.
pub(super) fn settle(
    paths: &VaultPaths,
    pending: swap::Pending,
    store: &Store,
) -> Result<Option<String>> {
    let mut done = Vec::new();
    match pending {
        swap::Pending::Uncommitted => {
            swap::roll_back(paths)?;
            done.push("an interrupted key rotation or restore was rolled back".to_owned());
        }
        swap::Pending::Committed | swap::Pending::None => {
            let listed: Vec<String> = store.recipients()?.into_iter().map(|(n, _)| n).collect();
            if pending == swap::Pending::Committed {
                done.push("an interrupted key rotation was finished".to_owned());
            }
            let removed = swap::finish(paths, &listed)?;
            if !removed.is_empty() {
                done.push(format!(
                    "key files of recipients not listed were removed: {}",
                    removed.join(", ")
                ));
            }
        }
    }
    swap::remove_stray_temporaries(paths)?;
    Ok((!done.is_empty()).then(|| done.join("; ")))
}

/// The key in force, from the first key file that unwraps, without the database's word (the
/// database is what a restore replaces). Staged files go first: they exist only after a commit.
pub(super) fn unwrap_in_force(paths: &VaultPaths, how: &Unlock) -> Result<DbKey> {
    let mut damaged = None;
    for file in key_files(paths, how, swap::pending(paths)?)? {
        match unwrap_file(&file, how) {
            Ok(k) => return Ok(k),
            Err(UnwrapError::NoMatch) => {}
            Err(UnwrapError::Damaged(detail)) => {
                damaged.get_or_insert(VaultError::KeyFileDamaged { file, detail });
            }
            Err(e @ UnwrapError::NoMemory { .. }) => {
                return Err(VaultError::Refused(format!("{e}; nothing was changed")));
            }
        }
    }
    Err(damaged.unwrap_or(match how {
        Unlock::Passphrase(_) => VaultError::WrongPassphrase,
        Unlock::Identities(_) => VaultError::NoMatchingIdentity,
    }))
}
