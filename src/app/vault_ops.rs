//! Looking after the vault itself: its integrity check, the audit trail and its proof,
//! backups and restoring one.

use std::path::{Path, PathBuf};

use secrecy::SecretString;

use super::{AppError, Clock, Result, record};
use crate::audit::{Action, Anchor, Event};
use crate::outfile::{self, Plan};
use crate::vault::{self, KdfSettings, RestoreReport, Unlock, Vault, VaultError};

/// Reads and authenticates every page of the vault file and checks its structure; says how
/// many pages. A damaged log of recent changes set aside at unlock fails the check, since
/// the changes it held are not in the vault.
pub fn check(v: &Vault) -> Result<i64> {
    let pages = v.store().verify_pages()?;
    if let Some(kept) = vault::damaged_logs(v.paths()).last() {
        return Err(AppError::DamagedLog(kept.clone()));
    }
    record(v, Action::Check, &format!("{pages} pages verified"))?;
    Ok(pages)
}

/// The audit trail, oldest first; reading it is itself recorded.
pub fn audit_trail(v: &Vault) -> Result<Vec<Event>> {
    record(v, Action::AuditView, "audit trail listed")?;
    Ok(v.store().audit_events()?)
}

/// Checks that every event of the trail links to the one before; says how many there are.
pub fn audit_chain(v: &Vault) -> Result<usize> {
    Ok(v.store().audit_verify()?)
}

/// The anchors backups recorded, to check the trail's end against.
#[derive(Debug, Default)]
pub struct BackupAnchors {
    /// Each backup that carries an anchor, with it.
    pub anchors: Vec<(PathBuf, Anchor)>,
    /// The newest backup in the vault's folder, when it was looked at by default and could
    /// not be read, with why.
    pub unchecked: Option<(PathBuf, VaultError)>,
}

/// The anchors in the backups given, or (none given) in the newest backup of the vault's
/// backups folder. A backup given that cannot be read is an error; the default one is
/// reported as unchecked instead.
pub fn backup_anchors(v: &Vault, given: &[PathBuf]) -> Result<BackupAnchors> {
    let mut found = BackupAnchors::default();
    let mut files: Vec<(PathBuf, bool)> = given.iter().map(|b| (b.clone(), true)).collect();
    if given.is_empty()
        && let Some(newest) = v.default_backups().into_iter().next()
    {
        files.push((newest, false));
    }
    for (file, asked) in files {
        match v.backup_anchor(&file, None, &[]) {
            Ok(Some(anchor)) => found.anchors.push((file, anchor)),
            Ok(None) => {}
            Err(e) if asked => return Err(e.into()),
            Err(e) => found.unchecked = Some((file, e)),
        }
    }
    Ok(found)
}

/// Checks that each anchor (with where it came from) is still in the trail, unchanged;
/// returns the trail's newest event as an anchor for later checks.
pub fn audit_anchors(v: &Vault, anchors: &[(Anchor, String)]) -> Result<Option<Anchor>> {
    v.store().audit_verify_anchors(anchors)?;
    Ok(v.store().audit_head()?)
}

/// Where a backup went.
#[derive(Debug)]
pub struct BackupWritten {
    /// The path, as given or of our own choosing.
    pub path: PathBuf,
    /// How it was written (a regular file, or a stream).
    pub plan: Plan,
}

/// Writes an encrypted backup to `out`, or (none given) to the vault's backups folder under
/// a name stamped with the time now (UTC). The vault records the backup in the trail.
pub fn backup(
    v: &mut Vault,
    clock: &dyn Clock,
    out: Option<&Path>,
    force: bool,
    recipients: &[crate::vault::keys::Recipient],
) -> Result<BackupWritten> {
    let (path, overwrite) = match out {
        Some(p) => (p.to_owned(), force),
        None => {
            let dir = v.paths().dir.join("backups");
            vault::create_private_dir(&dir).map_err(|source| AppError::CreateFolder {
                dir: dir.clone(),
                source,
            })?;
            // a name of our own choosing: a second backup in the same second replaces the first
            (
                dir.join(format!("fieldnotes-{}.age", utc_stamp(clock))),
                true,
            )
        }
    };
    let plan = outfile::plan(&path, overwrite)?;
    // The vault writes the backup to a private temporary, which then takes the name only if
    // the rules allow: a device or fifo gets the bytes, never a rename over it.
    let tmp = if plan.is_file() {
        plan.temp()
    } else {
        v.paths()
            .dir
            .join(format!(".backup.{}.part", std::process::id()))
    };
    let record = match v.backup(&tmp, recipients) {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e.into());
        }
    };
    plan.commit(&tmp)?;
    // recorded only once it has arrived
    v.audit_commit(&record)?;
    Ok(BackupWritten { path, plan })
}

/// Now in UTC to the second, as RFC 3339 with `-` for `:` (file names cannot all hold `:`).
fn utc_stamp(clock: &dyn Clock) -> String {
    let t = clock.now().to_offset(time::UtcOffset::UTC);
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
        .replace(':', "-")
}

/// How to open the backup and the vault for a restore.
pub struct RestoreFrom<'a> {
    /// The backup file.
    pub file: &'a Path,
    /// The backup's passphrase, when it is not the vault's.
    pub passphrase: Option<&'a SecretString>,
    /// Identities the backup may be encrypted to.
    pub identities: &'a [crate::vault::keys::Identity],
}

/// Replaces the vault's contents with a backup's, keeping the vault's own keys and applying
/// again erasures made since the backup. The vault records the restore in the trail.
pub fn restore(
    dir: &Path,
    unlock: Unlock,
    kdf: KdfSettings,
    from: RestoreFrom<'_>,
) -> Result<RestoreReport> {
    let (_, report) = Vault::restore(
        dir,
        unlock,
        kdf,
        from.file,
        from.passphrase,
        from.identities,
    )?;
    Ok(report)
}
