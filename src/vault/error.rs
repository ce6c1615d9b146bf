//! What can go wrong with the secured folder, in the user's terms.

use std::path::PathBuf;

use crate::passphrase::WeakPassphrase;
use crate::store::StoreError;

/// The commands that run while another fieldnotes holds the vault, as the lock messages
/// name them.
pub const READS_BESIDE: &str = "While it is open, these commands still run: note list, session list|show, project list|show|lists, participant list, person list, theme list, recipient list, search, audit --verify, retention (without --apply)";

/// What went wrong with the secured folder, in the user's terms.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// No vault at the path.
    #[error("there is no vault at {0}: create one with `fieldnotes init` (or pass --vault DIR)")]
    NotFound(PathBuf),
    /// `init` on an existing vault.
    #[error("a vault already exists at {0}: nothing was changed")]
    AlreadyExists(PathBuf),
    /// The passphrase did not unwrap the key.
    #[error("wrong passphrase: it does not unlock this vault; nothing was changed. Try again")]
    WrongPassphrase,
    /// No identity matched any recipient key file.
    #[error(
        "none of the keys in the identity file can unlock this vault: use the passphrase, or an identity added with `fieldnotes recipient add`"
    )]
    NoMatchingIdentity,
    /// Another process holds the lock.
    #[error(
        "the vault is open in another fieldnotes{}: close it there first (only one program may write to a vault at a time). {READS_BESIDE}",
        .0.map(|p| format!(" (pid {p})")).unwrap_or_default()
    )]
    Locked(Option<u32>),
    /// A command that records in the audit trail, run while another fieldnotes holds the
    /// vault.
    #[error(
        "the vault is open in another fieldnotes{}, and this command records in the audit trail that it ran, which only the program holding the vault may write: run it from the app, or close the app and run it again; nothing was changed. {READS_BESIDE}",
        .0.map(|p| format!(" (pid {p})")).unwrap_or_default()
    )]
    ReadingBeside(Option<u32>),
    /// A reader found work for a writer: an interrupted key rotation or restore, or a
    /// database a newer fieldnotes has not yet upgraded.
    #[error(
        "the vault needs to be brought up to date (an interrupted key change or restore, or an upgrade) before it can be read beside the fieldnotes that has it open{}: close that one, then run this again; nothing was changed",
        .0.map(|p| format!(" (pid {p})")).unwrap_or_default()
    )]
    NeedsRecovery(Option<u32>),
    /// A key file is unreadable or altered.
    #[error(
        "the key file {} is damaged or was altered (it is not a complete age-encrypted vault key); nothing was changed. Put back that file from a copy of the vault folder, or unlock with a recovery identity (--identity)",
        .file.display()
    )]
    KeyFileDamaged {
        /// Which file.
        file: PathBuf,
        /// What age said (for diagnosis; not shown: it speaks of age's internals).
        detail: String,
    },
    /// A key unwrapped but does not open the database.
    #[error(
        "the key in {} unlocks, but does not open {}: the key file may come from another vault, or the start of the vault file is damaged. Nothing was changed. Put back this vault's own keys folder, or restore a backup with `fieldnotes restore BACKUP`",
        .file.display(), .db.display()
    )]
    KeyMismatch {
        /// The key file.
        file: PathBuf,
        /// The database.
        db: PathBuf,
    },
    /// The database file is missing or empty while the key files exist.
    #[error(
        "the vault file {} is missing or empty, although the vault's key files are there: the notes are not in it. Nothing was changed. Restore a backup with `fieldnotes restore BACKUP` (only `fieldnotes init` creates a new vault file, in a new folder)",
        .0.display()
    )]
    DatabaseMissing(PathBuf),
    /// The write-ahead log would have silently dropped committed changes.
    #[error(
        "{} (the log of the latest changes) is damaged or was altered: {detail}, which would have been dropped without a word. It has been moved aside, still encrypted, to {}. Run the command again to open the vault with every change up to the damage; if you have a backup made after those changes, restore it with `fieldnotes restore BACKUP`",
        .wal.display(), .kept.display()
    )]
    WalDamaged {
        /// The log.
        wal: PathBuf,
        /// Where it was moved.
        kept: PathBuf,
        /// What was seen.
        detail: String,
    },
    /// The passphrase is too weak.
    #[error(transparent)]
    Weak(#[from] WeakPassphrase),
    /// A database problem.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A backup file could not be read.
    #[error("{0}")]
    Backup(String),
    /// The request needs something else first.
    #[error("{0}")]
    Refused(String),
    /// A file-system failure.
    #[error("could not {what}: {source}")]
    Io {
        /// What we were doing.
        what: String,
        /// The OS error.
        source: std::io::Error,
    },
}

impl VaultError {
    /// True when the failure is an authentication failure (exit code 2).
    pub fn is_auth_failure(&self) -> bool {
        matches!(
            self,
            VaultError::WrongPassphrase | VaultError::NoMatchingIdentity
        )
    }

    /// True when the disk was full (what to do: free some space and try again).
    pub fn is_disk_full(&self) -> bool {
        matches!(self, VaultError::Store(StoreError::DiskFull))
    }
}

pub(super) fn io_err(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> VaultError {
    let what = what.into();
    move |source| {
        if source.raw_os_error() == Some(libc::ENOSPC) {
            VaultError::Store(StoreError::DiskFull)
        } else {
            VaultError::Io { what, source }
        }
    }
}
