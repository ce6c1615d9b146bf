//! Use cases: one function per user action, called alike by the CLI and the full-screen app.
//!
//! Each validates its input, calls the store or the vault, writes its audit event and returns
//! typed data. Shells parse and print; they do not decide rules, audit wording or dates, so
//! the two cannot drift apart. An audit event is written through `audited` or [`record`],
//! whose failure is the use case's failure: a change whose event cannot be written is
//! reported, never silently kept unaudited.

pub mod analysis;
mod clock;
pub mod disclosures;
pub mod drafts;
pub mod export;
pub mod guides;
pub mod keys;
pub mod memos;
pub mod notes;
pub mod people;
pub mod projects;
pub mod quotes;
pub mod retention;
pub mod rights;
pub mod search;
pub mod sessions;
pub mod settings;
pub mod tags;
pub mod team;
pub mod themes;
pub mod vault_ops;

#[cfg(test)]
mod record_tests;
#[cfg(test)]
pub(crate) mod tests;

/// The records the use cases take and return, so that shells need not reach into the store.
pub use crate::store::{
    Draft, ErasureReport, LedgerEntry, Memo, NewDisclosure, NewNote, NewParticipant, NewProject,
    NewSession, RetentionItem, TagRow,
};
pub use clock::{Clock, FixedClock, SystemClock};

use crate::audit::Action;
use crate::export::ExportError;
use crate::outfile::OutputError;
use crate::store::StoreError;
use crate::vault::{Vault, VaultError};

/// Why a use case failed, with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The vault (its keys, files or lock) refused or failed.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An export could not be assembled, passed the leak guard or be written.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// A report or file could not be written where asked.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// An identifying report could not be protected (a weak passphrase, a failed encryption).
    #[error("{0}")]
    Protection(String),
    /// The vault's pages are intact, but a damaged log of recent changes was set aside.
    #[error(
        "every page of the vault file is intact, but a damaged log of recent changes was set aside at {}: the changes it held are not in the vault. Restore a backup made after them if you have one (`fieldnotes restore BACKUP`); delete that file once dealt with",
        crate::text::for_terminal(&.0.display().to_string(), false)
    )]
    DamagedLog(std::path::PathBuf),
    /// A folder could not be created.
    #[error("could not create {}: {source}", dir.display())]
    CreateFolder {
        /// The folder.
        dir: std::path::PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A retention period outside what the schedule allows.
    #[error(
        "retention is a number of months from {min} to {max} (e.g. 24), not {0}: nothing was saved",
        min = projects::RETENTION_MONTHS.start(),
        max = projects::RETENTION_MONTHS.end()
    )]
    RetentionMonths(u32),
    /// A date that is not `YYYY-MM-DD`.
    #[error("{0}")]
    Date(#[from] crate::model::BadDate),
    /// Paper provenance given for a session typed live.
    #[error("--written-by and --written-on describe paper notes: add --source paper")]
    PaperDetailsOnLiveSession,
    /// A note over the size the vault keeps.
    #[error(
        "the note is larger than {} MB: nothing was saved; split it into several notes",
        crate::text::MAX_NOTE_BYTES / (1024 * 1024)
    )]
    NoteTooLarge,
    /// A vote other than one up or one down.
    #[error("a vote adds or takes back one dot (1 or -1), not {0}: nothing was changed")]
    Vote(i64),
    /// An export file whose name says no format this version writes.
    #[error(transparent)]
    ExportFormat(#[from] crate::export::FormatError),
    /// An analysis filter that cannot hold (a period that runs backwards).
    #[error(transparent)]
    Filter(#[from] crate::analysis::FilterError),
    /// An analysis query that does not parse.
    #[error(transparent)]
    Query(#[from] crate::analysis::QueryError),
    /// A change to a note another member typed, which only they can make.
    #[error(
        "this note was typed in {}'s vault and comes in their bundles: it can be tagged, quoted and exported here, but only they can change it. Nothing was changed",
        crate::text::for_terminal(.0, false)
    )]
    TypedElsewhere(String),
    /// Team work refused or failed.
    #[error(transparent)]
    Team(#[from] crate::team::TeamError),
    /// A topic guide that cannot be read or saved as given.
    #[error("{0}: nothing was saved")]
    Guide(String),
    /// A memo or setting that cannot be kept as given.
    #[error("{0}")]
    Invalid(&'static str),
    /// A record review's period that ends before it starts.
    #[error(
        "the period read ends ({to}) before it starts ({from}): give --from the first day and --to the last; nothing was saved"
    )]
    ReviewPeriod {
        /// First day given.
        from: String,
        /// Last day given.
        to: String,
    },
    /// A project name that names no project, or the start of several.
    #[error("{}", projects::unclear_message(given, candidates))]
    ProjectNotClear {
        /// What was given.
        given: String,
        /// The projects it could mean (all of them when it matches none).
        candidates: Vec<String>,
    },
    /// Not a public key age can encrypt to.
    #[error(
        "'{key}' is not an age public key (age1…, from age-keygen) nor an SSH public key (ssh-ed25519 … or ssh-rsa …, the line of a .pub file): {reason}"
    )]
    NotAPublicKey {
        /// The text given (made safe for a terminal).
        key: String,
        /// What the parser said.
        reason: String,
    },
    /// The leak guard found personal data in an anonymised analysis output.
    #[error(
        "the analysis output was refused: {what} still appears in {location}: \"{context}\". \
         Nothing was shown. Add the word to the deny list (fieldnotes project deny), take it off \
         the allow list or reword the note; for work inside the vault only, add --raw"
    )]
    AnalysisRefused {
        /// What was found, without repeating it.
        what: String,
        /// The output part and line.
        location: String,
        /// The surrounding text, control characters made visible.
        context: String,
    },

    // Quote-level consent.
    /// An approval that means nothing for that note, or nothing to withdraw (says why).
    #[error("{0}")]
    Quote(String),
}

impl AppError {
    /// True when the disk was full: nothing was saved, and freeing space is the remedy.
    pub fn is_disk_full(&self) -> bool {
        match self {
            AppError::Vault(v) | AppError::Export(ExportError::Vault(v)) => v.is_disk_full(),
            AppError::Store(s)
            | AppError::Export(ExportError::Store(s))
            | AppError::Team(crate::team::TeamError::Store(s)) => {
                matches!(s, StoreError::DiskFull)
            }
            _ => false,
        }
    }

    /// The vault error underneath, if the failure came from the vault or the store, for
    /// shells that map those to exit codes.
    pub fn into_vault_error(self) -> std::result::Result<VaultError, Self> {
        match self {
            AppError::Vault(v) => Ok(v),
            AppError::Store(s) | AppError::Export(ExportError::Store(s)) => {
                Ok(VaultError::Store(s))
            }
            AppError::Export(ExportError::Vault(v)) => Ok(v),
            other => Err(other),
        }
    }
}

/// The result of a use case.
pub type Result<T> = std::result::Result<T, AppError>;

/// Runs a change, then records it in the audit trail with the detail the change returns.
/// The event's failure is the use case's failure, so no caller can drop it.
pub(crate) fn audited<T>(
    v: &Vault,
    action: Action,
    change: impl FnOnce() -> Result<(T, String)>,
) -> Result<T> {
    let (out, detail) = change()?;
    record(v, action, &detail)?;
    Ok(out)
}

/// Records an event that goes with no change (an unlock, a read).
pub fn record(v: &Vault, action: Action, detail: &str) -> Result<()> {
    Ok(v.audit(action, detail)?)
}

/// Checks a `YYYY-MM-DD` date a person typed, normalised.
pub(crate) fn checked_date(d: Option<&str>) -> Result<Option<String>> {
    Ok(d.map(crate::model::parse_date).transpose()?)
}
