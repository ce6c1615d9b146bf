//! Backups and restores: an encrypted consistent copy out, a checked replacement in. What a
//! backup holds inside its age encryption is in [`sealed`].

mod sealed;

use std::fs;
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use rusqlite::Connection;
use zeroize::Zeroizing;

use super::keys::{self, Identity, Recipient, UnwrapError};
use super::unlock::{settle, unlock_and_connect, unwrap_in_force};
use super::{
    KdfSettings, Result, Structure, Unlock, Vault, VaultError, VaultPaths, commit_next,
    export_encrypted, files, hold_structure, io_err, record_pid, swap, take_lock,
};
use crate::audit;
use crate::mentions::AnonymiserNames;
use crate::secret::DbKey;
use crate::store::{Store, StoreError, schema};

impl Vault {
    /// A consistent copy of the whole database, age-encrypted to the passphrase (or to the
    /// given recipients), written to `out` with mode 0600. Inside the age encryption the
    /// database is itself a SQLCipher file, under a new key of its own that is age-encrypted
    /// to the same passphrase or recipients ([`sealed`]): decrypting the backup gives
    /// encrypted pages and a wrapped key, never the notes in the clear.
    ///
    /// Returns the backup's audit record, fixed but not written: the caller writes it once the
    /// file has reached its place, so a backup that never arrived is not recorded as made.
    pub fn backup(
        &mut self,
        out: &Path,
        recipients: &[Recipient],
    ) -> Result<crate::audit::PendingEvent> {
        let pass = match (recipients.is_empty(), self.passphrase.as_ref()) {
            (false, _) => None,
            (true, Some(p)) => Some(p),
            (true, None) => {
                return Err(VaultError::Refused(
                    "a backup is encrypted to the passphrase: unlock with it, or pass --recipient"
                        .into(),
                ));
            }
        };
        let seal = |bytes: &[u8]| match pass {
            Some(p) => keys::encrypt_to_passphrase(bytes, p, self.kdf.work_factor),
            None => keys::encrypt_to_recipients(bytes, recipients),
        };
        let key = DbKey::generate().map_err(|e| {
            VaultError::Refused(format!(
                "the system's random number source failed ({e}); no backup was written"
            ))
        })?;
        let database = sealed::seal(self.store.conn(), &key, &self.scratch(false))?;
        let wrapped_key = seal(key.expose()).map_err(io_err("encrypt the backup's key"))?;
        let contents = sealed::pack(&wrapped_key, &database)?;
        let encrypted = seal(&contents).map_err(io_err("encrypt the backup"))?;
        files::write_private_atomic(out, &encrypted)
            .map_err(io_err(format!("write the backup {}", out.display())))?;
        self.audit_pending(
            crate::audit::Action::Backup,
            &format!(
                "backup written ({} bytes, encrypted to {})",
                encrypted.len(),
                if recipients.is_empty() {
                    "the passphrase".to_owned()
                } else {
                    format!("{} recipient(s)", recipients.len())
                }
            ),
        )
    }

    /// The audit trail's newest event as a backup recorded it: an anchor outside the live
    /// trail, so `audit --verify` can see events removed from its end since.
    pub fn backup_anchor(
        &self,
        backup: &Path,
        pass: Option<&SecretString>,
        ids: &[Identity],
    ) -> Result<Option<crate::audit::Anchor>> {
        let pass = pass.or(self.passphrase.as_ref());
        let scratch = self.scratch(self.reading_beside.is_some());
        let store = Store::new(read_backup(backup, pass, ids, &scratch)?)?;
        Ok(store.audit_head()?)
    }

    /// Where a backup's encrypted database is put while it is made or read: in the vault's
    /// folder under a name unlocking removes if a crash leaves it, or (`elsewhere`: reading
    /// beside the fieldnotes that holds the vault, which writes nothing into it) in the
    /// temporary folder.
    fn scratch(&self, elsewhere: bool) -> PathBuf {
        scratch_in(&self.paths, elsewhere)
    }

    /// Backups in the vault's default folder, newest first.
    pub fn default_backups(&self) -> Vec<PathBuf> {
        let mut found: Vec<(std::time::SystemTime, PathBuf)> =
            fs::read_dir(self.paths.dir.join("backups"))
                .into_iter()
                .flatten()
                .filter_map(|e| e.ok())
                .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
                .filter(|(_, p)| p.extension().is_some_and(|x| x == "age"))
                .collect();
        found.sort_by_key(|f| std::cmp::Reverse(f.0));
        found.into_iter().map(|(_, p)| p).collect()
    }

    /// Replaces the vault's data with a backup's. The backup is checked before anything is
    /// replaced; the swap is one recoverable rename, so a crash leaves either the old or the
    /// restored data. The vault keeps its own key, passphrase and recipients (the backup's
    /// list would bring back removed people), and erasures made since the backup are applied
    /// before anything is written. It also works when the live vault file is missing, empty
    /// or damaged: that is when a backup is needed most.
    pub fn restore(
        dir: &Path,
        unlock: Unlock,
        kdf: KdfSettings,
        backup: &Path,
        backup_pass: Option<&SecretString>,
        ids: &[Identity],
    ) -> Result<(Self, RestoreReport)> {
        let paths = VaultPaths::new(dir);
        if !paths.passphrase_key().exists() {
            return Err(VaultError::NotFound(dir.to_owned()));
        }
        let mut lock = take_lock(&paths)?;
        let _structure = hold_structure(&paths, Structure::Exclusive)?;
        let pending = swap::pending(&paths)?;
        let mut live = unlock_and_connect(&paths, &unlock, pending);
        if matches!(live, Err(VaultError::WalDamaged { .. })) {
            // the damaged log is set aside; the backup replaces what it held anyway
            live = unlock_and_connect(&paths, &unlock, pending);
        }
        let (key, live_store, unreadable) = match live {
            Ok((key, conn, _)) => {
                let store = Store::new(conn)?;
                settle(&paths, pending, &store)?;
                (key, Some(store), None)
            }
            Err(
                e @ (VaultError::DatabaseMissing(_)
                | VaultError::KeyMismatch { .. }
                | VaultError::Store(StoreError::Damaged(_))),
            ) => {
                if pending == swap::Pending::Uncommitted {
                    swap::roll_back(&paths)?;
                }
                let key = unwrap_in_force(&paths, &unlock)?;
                (key, None, Some(e.to_string()))
            }
            Err(e) => return Err(e),
        };
        record_pid(&mut lock);
        let passphrase = match unlock {
            Unlock::Passphrase(p) => Some(p),
            Unlock::Identities(_) => None,
        };
        let restored = Store::new(read_backup(
            backup,
            backup_pass.or(passphrase.as_ref()),
            ids,
            &scratch_in(&paths, false),
        )?)?;
        // Erasures made since the backup are applied in memory, before anything is written:
        // erased data never reaches the disk again.
        let (reapplied, recipients) = match &live_store {
            Some(live) => {
                let reapplied = restored.apply_ledger(&live.ledger()?, &AnonymiserNames)?;
                restored.set_recipient_rows(&live.recipient_rows()?)?;
                (reapplied, live.recipients()?)
            }
            None => {
                // Only the key files say who holds the key now.
                let rows: Vec<_> = restored
                    .recipient_rows()?
                    .into_iter()
                    .filter(|(name, ..)| paths.recipient_key(name).exists())
                    .collect();
                restored.set_recipient_rows(&rows)?;
                (0, restored.recipients()?)
            }
        };
        let kept: Vec<String> = recipients.into_iter().map(|(n, _)| n).collect();
        export_encrypted(restored.conn(), &paths.db_next(), &key)?;
        drop(restored);
        let store = commit_next(&paths, live_store.map(Store::into_conn), &key)?;
        let vault = Vault {
            paths,
            store,
            key,
            passphrase,
            kdf,
            actor: audit::current_actor(),
            reading_beside: None,
            _lock: lock,
        };
        let report = RestoreReport {
            reapplied,
            recipients: kept,
            unreadable,
        };
        vault.audit(crate::audit::Action::Restore, &report.audit_detail())?;
        Ok((vault, report))
    }
}

/// What a restore kept and did.
#[derive(Debug, Clone)]
pub struct RestoreReport {
    /// Erasures recorded since the backup, applied again.
    pub reapplied: usize,
    /// The recipients the restored vault lists: the live vault's, not the backup's.
    pub recipients: Vec<String>,
    /// Why the live vault file could not be read, when it could not.
    pub unreadable: Option<String>,
}

impl RestoreReport {
    fn audit_detail(&self) -> String {
        let mut d = format!(
            "vault contents replaced from a backup; {} later erasures re-applied; the vault's own key and recipients kept ({})",
            self.reapplied,
            if self.recipients.is_empty() {
                "none".to_owned()
            } else {
                self.recipients.join(", ")
            }
        );
        if self.unreadable.is_some() {
            d.push_str("; the live vault file could not be read, so no later erasures were known");
        }
        d
    }
}

/// See [`Vault::scratch`].
fn scratch_in(paths: &VaultPaths, elsewhere: bool) -> PathBuf {
    let name = format!(".backup-image.{}.part", std::process::id());
    if elsewhere {
        std::env::temp_dir().join(format!(".fieldnotes{name}"))
    } else {
        paths.dir.join(name)
    }
}

/// Decrypts a backup, of either format, and loads its database into memory, checked.
fn read_backup(
    backup: &Path,
    pass: Option<&SecretString>,
    ids: &[Identity],
    scratch: &Path,
) -> Result<Connection> {
    let bytes =
        fs::read(backup).map_err(io_err(format!("read the backup {}", backup.display())))?;
    let plain = open_age(backup, &bytes, pass, ids)?;
    let not_ours = |d: String| {
        VaultError::Backup(format!(
            "{} is not a fieldnotes backup ({d}); nothing was changed",
            backup.display()
        ))
    };
    match sealed::unpack(&plain).map_err(not_ours)? {
        sealed::Contents::Plain(image) => load_backup(backup, image),
        sealed::Contents::Sealed {
            wrapped_key,
            database,
        } => {
            let key = keys::key_from_plaintext(&open_age(backup, wrapped_key, pass, ids)?)
                .map_err(|e| not_ours(e.to_string()))?;
            let image = sealed::unseal(database, &key, scratch)?.map_err(|d| {
                VaultError::Backup(format!(
                    "the backup {} is damaged ({d}); nothing was changed",
                    backup.display()
                ))
            })?;
            load_backup(backup, &image)
        }
    }
}

/// Decrypts an age file of a backup (the backup itself, or the key inside it) with the
/// passphrase or the identities, whichever it is encrypted to.
fn open_age(
    backup: &Path,
    bytes: &[u8],
    pass: Option<&SecretString>,
    ids: &[Identity],
) -> Result<Zeroizing<Vec<u8>>> {
    let to_passphrase = keys::is_passphrase_file(bytes);
    match (to_passphrase, pass) {
        (Some(true), Some(p)) => keys::decrypt_with_passphrase(bytes, p),
        (Some(true), None) => {
            return Err(VaultError::Refused(
                "this backup is encrypted to a passphrase: `restore` takes it from --backup-passphrase-file FILE; nothing was changed"
                    .into(),
            ));
        }
        (Some(false), _) => keys::decrypt_with_identities(bytes, ids),
        (None, _) => Err(UnwrapError::Damaged("not an age file".into())),
    }
    .map_err(|e| match e {
        UnwrapError::NoMatch if to_passphrase == Some(true) => VaultError::Backup(format!(
            "the backup {} does not open with this passphrase: it may have been made before a passphrase change, or in another vault; `restore` takes the passphrase it was made with from --backup-passphrase-file FILE; nothing was changed",
            backup.display()
        )),
        UnwrapError::NoMatch => VaultError::Backup(format!(
            "the backup {} is encrypted to a key (made with backup --recipient) that none of the identities given opens: unlock with --identity FILE, the identity file of that key (add its public key with `recipient add` first if this vault does not know it); nothing was changed",
            backup.display()
        )),
        UnwrapError::Damaged(_) => VaultError::Backup(format!(
            "the backup {} is damaged or is not a fieldnotes backup (it is not a complete age-encrypted file); nothing was changed",
            backup.display()
        )),
        e @ UnwrapError::NoMemory { .. } => VaultError::Refused(format!("{e}; nothing was changed")),
    })
}

/// Loads a decrypted backup into memory and checks it is a sound fieldnotes database.
#[allow(clippy::disallowed_methods)]
fn load_backup(backup: &Path, plain: &[u8]) -> Result<Connection> {
    let mut mem = Connection::open_in_memory().map_err(StoreError::from)?;
    mem.execute_batch("PRAGMA cipher_log_level = NONE;")
        .map_err(StoreError::from)?;
    let not_ours = |d: String| {
        VaultError::Backup(format!(
            "{} is not a fieldnotes backup ({d}); nothing was changed",
            backup.display()
        ))
    };
    mem.deserialize_read_exact("main", plain, plain.len(), false)
        .map_err(|e| not_ours(e.to_string()))?;
    let version = schema::version(&mem).map_err(|e| not_ours(e.to_string()))?;
    if version == 0 || version > schema::LATEST {
        return Err(not_ours(format!("schema version {version}")));
    }
    let check: String = mem
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| not_ours(e.to_string()))?;
    if check != "ok" {
        return Err(not_ours(check));
    }
    Ok(mem)
}
