//! Replacing the database and its key files as one recoverable transaction.
//!
//! A key rotation (and a restore) prepares everything beside the live files, then commits with
//! one rename:
//!
//! 1. `fieldnotes.db.next` is written and flushed: the whole database under the new key, with
//!    the change (a removed recipient, restored contents) already made in it.
//! 2. Only then are the new key files written, each as `keys/<name>.age.next`.
//! 3. **Commit**: `fieldnotes.db.next` is renamed over `fieldnotes.db` and the folder flushed.
//! 4. Finish: key files of recipients the new database no longer lists are deleted, and each
//!    `.age.next` is renamed over its `.age`.
//!
//! So the files say which side of the commit a crash fell on: while `fieldnotes.db.next`
//! exists nothing is committed (roll back: delete the `.next` key files first, then the
//! database), and `.next` key files without it exist only after the commit (finish step 4).
//! At every instant the vault is either "old key, old contents" or "new key, new contents".
//! Recovery runs only after a key has unlocked the vault and been shown to open the database,
//! so a wrong passphrase changes nothing.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Result, VaultPaths, files, io_err};

/// Where an interrupted replacement stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pending {
    /// Nothing interrupted.
    None,
    /// Before the commit: the live files are authoritative.
    Uncommitted,
    /// After the commit: the `.next` key files are authoritative.
    Committed,
}

/// True for `keys/<name>.age.next`.
fn is_next_key(p: &Path) -> bool {
    p.to_str().is_some_and(|s| s.ends_with(".age.next"))
}

/// True for a temporary file of [`files::write_private_atomic`] (`x.tmp<pid>`) or of an
/// output being written (`.name.<pid>.part`, a backup in the making, and the rollback journal
/// SQLite keeps beside a backup's encrypted database, `.name.<pid>.part-journal`).
fn is_stray_tmp(p: &Path) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let name = name.strip_suffix("-journal").unwrap_or(name);
    let atomic = p
        .extension()
        .and_then(|x| x.to_str())
        .and_then(|x| x.strip_prefix("tmp"))
        .is_some_and(digits);
    let part = name.starts_with('.')
        && name
            .strip_suffix(".part")
            .and_then(|n| n.rsplit_once('.'))
            .is_some_and(|(_, pid)| digits(pid));
    atomic || part
}

fn keys_matching(paths: &VaultPaths, pred: impl Fn(&Path) -> bool) -> Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = fs::read_dir(paths.keys())
        .map_err(io_err("read the keys folder"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| pred(p))
        .collect();
    out.sort();
    Ok(out)
}

/// Key files staged by an unfinished replacement.
pub(super) fn next_keys(paths: &VaultPaths) -> Result<Vec<PathBuf>> {
    keys_matching(paths, is_next_key)
}

/// Key files in force (`keys/*.age`).
pub(super) fn live_keys(paths: &VaultPaths) -> Result<Vec<PathBuf>> {
    keys_matching(paths, |p| p.extension().is_some_and(|x| x == "age"))
}

pub(super) fn pending(paths: &VaultPaths) -> Result<Pending> {
    if paths.db_next().exists() {
        Ok(Pending::Uncommitted)
    } else if !next_keys(paths)?.is_empty() {
        Ok(Pending::Committed)
    } else {
        Ok(Pending::None)
    }
}

fn remove_if_present(p: &Path, what: &str) -> Result<()> {
    match fs::remove_file(p) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_err(what.to_owned())(e)),
        _ => Ok(()),
    }
}

/// Discards an uncommitted replacement: staged key files first, the database last, so an
/// interrupted rollback is still recognised as uncommitted.
pub(super) fn roll_back(paths: &VaultPaths) -> Result<()> {
    for p in next_keys(paths)? {
        remove_if_present(&p, "remove an unfinished key file")?;
    }
    files::sync_parent(&paths.passphrase_key()).map_err(io_err("flush the keys folder"))?;
    let next = paths.db_next();
    for suffix in ["-wal", "-shm", "-journal"] {
        let p = super::wal::sibling(&next, suffix);
        remove_if_present(&p, "remove an unfinished replacement")?;
    }
    remove_if_present(&next, "remove an unfinished replacement")?;
    files::sync_parent(&next).map_err(io_err("flush the vault folder"))
}

/// Completes a committed replacement: key files of recipients no longer listed go, then the
/// staged key files take their places. Returns the names of the key files removed.
pub(super) fn finish(paths: &VaultPaths, listed: &[String]) -> Result<Vec<String>> {
    let staged = next_keys(paths)?;
    let removed = remove_unlisted(paths, listed, &staged)?;
    for p in &staged {
        fs::rename(p, p.with_extension("")).map_err(io_err("finish a key rotation"))?;
    }
    files::sync_parent(&paths.passphrase_key()).map_err(io_err("flush the keys folder"))?;
    Ok(removed)
}

/// Deletes `keys/<name>.age` files whose recipient the database does not list (a removed
/// recipient's file after a rotation, or the file of an add that was interrupted before it
/// was recorded): such a file would open the vault for someone nobody sees listed. Files with
/// a staged replacement are left to the rename.
pub(super) fn remove_unlisted(
    paths: &VaultPaths,
    listed: &[String],
    staged: &[PathBuf],
) -> Result<Vec<String>> {
    let mut removed = Vec::new();
    for p in live_keys(paths)? {
        if p == paths.passphrase_key() || staged.iter().any(|s| s.with_extension("") == p) {
            continue;
        }
        let name = p
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        if !listed.contains(&name) {
            remove_if_present(&p, "remove the key file of a recipient no longer listed")?;
            removed.push(name);
        }
    }
    if !removed.is_empty() {
        files::sync_parent(&paths.passphrase_key()).map_err(io_err("flush the keys folder"))?;
    }
    Ok(removed)
}

/// Removes temporary files a killed write left behind (never renamed into place, so never in
/// force). Only the lock holder writes them, so under the lock every one is stale.
pub(super) fn remove_stray_temporaries(paths: &VaultPaths) -> Result<()> {
    let mut stray = keys_matching(paths, is_stray_tmp)?;
    for dir in [paths.dir.clone(), paths.dir.join("backups")] {
        stray.extend(
            fs::read_dir(&dir)
                .into_iter()
                .flatten()
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| is_stray_tmp(p)),
        );
    }
    for p in stray {
        remove_if_present(&p, "remove a temporary file left by an interrupted write")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_staged_and_temporary_files() {
        assert!(is_next_key(Path::new("k/passphrase.age.next")));
        assert!(!is_next_key(Path::new("k/passphrase.age")));
        assert!(is_stray_tmp(Path::new("k/alice.tmp1234")));
        assert!(is_stray_tmp(Path::new("k/passphrase.age.tmp77")));
        assert!(!is_stray_tmp(Path::new("k/alice.age")));
        assert!(!is_stray_tmp(Path::new("k/alice.tmp")));
        assert!(is_stray_tmp(Path::new("v/.backup.4242.part")));
        assert!(is_stray_tmp(Path::new("v/.backup-image.4242.part")));
        assert!(is_stray_tmp(Path::new("v/.backup-image.4242.part-journal")));
        assert!(!is_stray_tmp(Path::new("v/fieldnotes.db-journal")));
        assert!(is_stray_tmp(Path::new(
            "v/backups/.fieldnotes-2026.age.17.part"
        )));
        assert!(!is_stray_tmp(Path::new("v/backups/fieldnotes-2026.age")));
        assert!(!is_stray_tmp(Path::new("v/notes.part")));
        assert_eq!(
            Path::new("k/alice.age.next").with_extension(""),
            Path::new("k/alice.age")
        );
    }
}
