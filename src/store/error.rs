//! The store's error type and the "not found" errors several concepts share.

use crate::text;

/// What went wrong in the database, in the user's terms.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Page authentication failed or the file is not a database.
    #[error(
        "the vault file fieldnotes.db is damaged or was altered ({0}); restore a backup with `fieldnotes restore`"
    )]
    Damaged(String),
    /// The disk is full.
    #[error("the disk is full, so nothing was saved; free some space and try again")]
    DiskFull,
    /// Written by a newer version.
    #[error(
        "this vault was written by a newer fieldnotes (schema {found}, this one knows {supported}); install the newer version"
    )]
    TooNew {
        /// Version found in the file.
        found: u32,
        /// Latest version this build knows.
        supported: u32,
    },
    /// Something named does not exist.
    #[error("{0}")]
    NotFound(String),
    /// Something that must be unique already exists.
    #[error("{0}")]
    Duplicate(String),
    /// The input breaks a rule.
    #[error("{0}")]
    Invalid(String),
    /// The audit trail does not hold an anchored event: events were removed from its end or
    /// rewritten, or the anchor is not this vault's.
    #[error("{0}")]
    AuditMismatch(String),
    /// Any other database failure.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        // In WAL mode even a read maps a shared-memory index in a `-shm` file beside the
        // database; SQLite reports a disk too full to extend it as SQLITE_IOERR_SHMSIZE, which
        // would otherwise read as a vague "disk I/O error".
        let shm_full = matches!(
            &e,
            rusqlite::Error::SqliteFailure(f, _)
                if f.extended_code == rusqlite::ffi::SQLITE_IOERR_SHMSIZE
        );
        match e.sqlite_error_code() {
            Some(C::DatabaseCorrupt | C::NotADatabase) => StoreError::Damaged(e.to_string()),
            Some(C::DiskFull) => StoreError::DiskFull,
            _ if shm_full => StoreError::DiskFull,
            // sqlcipher_export reports a full disk met by its inner statements as a plain
            // error carrying SQLite's message
            _ if e.to_string().contains("database or disk is full") => StoreError::DiskFull,
            _ => StoreError::Sqlite(e),
        }
    }
}

/// Shorthand for store results.
pub type Result<T> = std::result::Result<T, StoreError>;

pub(super) fn no_project(name: &str) -> StoreError {
    StoreError::NotFound(format!(
        "no project named '{}': see `fieldnotes project list`",
        text::for_terminal(name, false)
    ))
}

pub(super) fn no_session(id: i64) -> StoreError {
    StoreError::NotFound(format!(
        "no session with id {id}: see `fieldnotes session list`"
    ))
}

pub(super) fn no_note(id: i64) -> StoreError {
    StoreError::NotFound(format!(
        "no note with id {id}: see `fieldnotes note list --session ID`"
    ))
}

pub(super) fn no_participant(code: &str, project: &str) -> StoreError {
    StoreError::NotFound(format!(
        "no participant or facilitator '{}' in project {project}: see `fieldnotes participant list`",
        text::for_terminal(code, false)
    ))
}
