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
    /// No project by that name.
    #[error("no project named '{}': see `fieldnotes project list`", text::for_terminal(.0, false))]
    NoProject(String),
    /// No session with that id.
    #[error("no session with id {0}: see `fieldnotes session list`")]
    NoSession(i64),
    /// No note with that id.
    #[error("no note with id {0}: see `fieldnotes note list --session ID`")]
    NoNote(i64),
    /// No participant or facilitator with that code in the project.
    #[error(
        "no participant or facilitator '{}' in project {project}: see `fieldnotes participant list`",
        text::for_terminal(.code, false)
    )]
    NoParticipant {
        /// The code asked for.
        code: String,
        /// The project.
        project: String,
    },
    /// No participant or person mentioned with that code in the project.
    #[error(
        "no participant or person mentioned '{}' in project {project}: see `fieldnotes participant list --project {project}`",
        text::for_terminal(.code, false)
    )]
    NoPerson {
        /// The code asked for.
        code: String,
        /// The project.
        project: String,
    },
    /// No theme by that name in the project.
    #[error(
        "no theme named '{}' in project {project}: see `fieldnotes theme list`",
        text::for_terminal(.name, false)
    )]
    NoTheme {
        /// The name asked for.
        name: String,
        /// The project.
        project: String,
    },
    /// The vault has no project, and a command needs one.
    #[error("there is no project yet: create one with `fieldnotes project add NAME`")]
    NoProjectYet,
    /// The vault has several projects and none was named.
    #[error("this vault has several projects: say which with --project NAME")]
    WhichProject,
    /// Something that must be unique already exists.
    #[error("{0}")]
    Duplicate(String),
    /// A record saved without the name (or title) it needs; `flag` is the option that gives it.
    #[error("a {thing} needs a {field}{}", flag.map(|f| format!(" ({f})")).unwrap_or_default())]
    Unnamed {
        /// What was being saved: project, session, theme, participant, person.
        thing: &'static str,
        /// The missing field: name or title.
        field: &'static str,
        /// The command-line option that gives it, where there is one.
        flag: Option<&'static str>,
    },
    /// An allow or deny list entry with no words in it.
    #[error("give a word or phrase")]
    EmptyPhrase,
    /// A theme name longer than a theme name can be.
    #[error("a theme name can have at most {0} characters")]
    ThemeNameTooLong(usize),
    /// A theme moved under a theme inside it.
    #[error(
        "'{}' cannot go under '{}': that theme is inside it",
        text::for_terminal(.theme, false),
        text::for_terminal(.parent, false)
    )]
    ThemeCycle {
        /// The theme being moved.
        theme: String,
        /// The parent asked for.
        parent: String,
    },
    /// A theme merged into itself.
    #[error("a theme cannot be merged into itself")]
    MergeIntoItself,
    /// A theme merged into one inside it.
    #[error(
        "'{}' is inside '{}': move it out first, or merge the other way round",
        text::for_terminal(.into, false),
        text::for_terminal(.from, false)
    )]
    MergeIntoChild {
        /// The theme merged into.
        into: String,
        /// The theme merged.
        from: String,
    },
    /// Fewer facilitators than the notes are attributed to.
    #[error("notes are attributed to facilitator F{0}: keep at least that many facilitators")]
    FacilitatorsInUse(i64),
    /// The facilitators' names could not be encoded for storage.
    #[error("could not record the facilitators' names ({0}); nothing was saved, try again")]
    FacilitatorNames(String),
    /// Paper provenance asked of a session typed live.
    #[error("session {0} was typed live, so it has no paper original")]
    NotPaper(i64),
    /// Record review details asked of another kind of session.
    #[error(
        "session {0} is not a record review: only a record review (--kind review) has a source system, record reference and period read"
    )]
    NotReview(i64),
    /// No disclosure with that id in the project.
    #[error("no disclosure with id {0} in this project: see `fieldnotes disclosure list`")]
    NoDisclosure(i64),
    /// A new note with no text.
    #[error("the note is empty: nothing was saved")]
    EmptyText,
    /// A note edited down to nothing.
    #[error("a note cannot be made empty: erase it instead")]
    EmptiedNote,
    /// A note larger than a note can hold.
    #[error(
        "the note is {mb} MB, more than the {max_mb} MB a note can hold; split it into several notes"
    )]
    NoteTooLarge {
        /// Its size, in whole megabytes.
        mb: usize,
        /// The most a note can hold, in megabytes.
        max_mb: usize,
    },
    /// A span tag outside its note.
    #[error("span {start}..{end} is not inside note {note_id}, which has {len} characters")]
    InvalidSpan {
        /// First character.
        start: usize,
        /// One past the last.
        end: usize,
        /// The note.
        note_id: i64,
        /// The note's length in characters.
        len: usize,
    },
    /// A participant who already withdrew.
    #[error("{pseudonym} already withdrew on {on}: nothing more to do")]
    AlreadyWithdrawn {
        /// Their pseudonym.
        pseudonym: String,
        /// When.
        on: String,
    },
    /// A participant whose real name is already gone.
    #[error("{pseudonym}'s real name was already erased (on {on}): nothing more to do")]
    NameAlreadyErased {
        /// Their pseudonym.
        pseudonym: String,
        /// When, or "an earlier date".
        on: String,
    },
    /// A person mentioned whose real name is already gone.
    #[error("{0} was already erased: nothing more to do")]
    PersonAlreadyErased(String),
    /// Another event reached the audit trail between preparing an event and writing it.
    #[error("the audit trail changed while an event was being prepared: try again")]
    AuditMoved,
    /// A theme query that does not parse, or a request that is not a query; the message
    /// shows the form expected.
    #[error("{0}")]
    Query(String),
    /// A report over the vault's data could not be made safely (the leak guard refused it, or
    /// it could not be encoded); the message says why and what to do.
    #[error("{0}")]
    Report(String),
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
    StoreError::NoProject(name.to_owned())
}

pub(super) fn no_session(id: i64) -> StoreError {
    StoreError::NoSession(id)
}

pub(super) fn no_note(id: i64) -> StoreError {
    StoreError::NoNote(id)
}

pub(super) fn no_participant(code: &str, project: &str) -> StoreError {
    StoreError::NoParticipant {
        code: code.to_owned(),
        project: project.to_owned(),
    }
}
