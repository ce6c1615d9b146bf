//! The vault's database: schema, queries and the rules that keep the data consistent.
//!
//! A [`Store`] wraps an already-keyed SQLCipher connection (opened only by [`crate::vault`]).
//! Every write is one SQLite transaction, so a write is durable when the call returns and a
//! crash at any instant leaves the database at the last committed state.

mod codebook;
mod rights;
pub use rights::{ErasureReport, LedgerEntry, RetentionItem, add_months};
pub mod schema;

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::audit;
use crate::model::{
    Consent, Note, NoteKind, PaperOrigin, Participant, PersonMentioned, Project, SearchHit,
    Session, SessionKind, Source, Theme,
};
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
            _ => StoreError::Sqlite(e),
        }
    }
}

/// Shorthand for store results.
pub type Result<T> = std::result::Result<T, StoreError>;

/// Fields of a new project.
#[derive(Debug, Clone, Default)]
pub struct NewProject {
    /// Unique name.
    pub name: String,
    /// Purpose.
    pub purpose: Option<String>,
    /// Article 6 basis.
    pub lawful_basis: Option<String>,
    /// Article 9 condition.
    pub special_category_condition: Option<String>,
    /// Schedule 1 condition.
    pub schedule1_condition: Option<String>,
    /// Article 10 basis.
    pub criminal_offence_basis: Option<String>,
    /// DPIA reference.
    pub dpia_ref: Option<String>,
    /// Data controller.
    pub controller: Option<String>,
    /// Retention in months.
    pub retention_months: Option<u32>,
}

/// Fields of a new session.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// Project name.
    pub project: String,
    /// Interview or workshop.
    pub kind: SessionKind,
    /// Title.
    pub title: String,
    /// Date (YYYY-MM-DD), already checked.
    pub date: Option<String>,
    /// Location.
    pub location: Option<String>,
    /// Live or paper.
    pub source: Source,
    /// Paper provenance.
    pub paper: PaperOrigin,
    /// Facilitators' names.
    pub facilitators: Vec<String>,
}

/// Fields of a new participant.
#[derive(Debug, Clone, Default)]
pub struct NewParticipant {
    /// Real name.
    pub real_name: String,
    /// Role or group.
    pub role: Option<String>,
    /// Consent status.
    pub consent: Option<Consent>,
    /// Consent date.
    pub consent_date: Option<String>,
    /// Consent form version.
    pub consent_form: Option<String>,
    /// A chosen pseudonym; the next `Pnn` when `None`.
    pub pseudonym: Option<String>,
}

/// Fields of a new note.
#[derive(Debug, Clone)]
pub struct NewNote {
    /// Session id.
    pub session_id: i64,
    /// Speaker code (`P01`, `F1`) or `None`.
    pub speaker: Option<String>,
    /// Kind.
    pub kind: NoteKind,
    /// Text as typed; cleaned before storing.
    pub text: String,
    /// Special category flag.
    pub special_category: bool,
    /// Criminal-offence flag.
    pub criminal_offence: bool,
    /// Themes to tag the whole note with (created in the project when new).
    pub themes: Vec<String>,
    /// When it was written (Unix ms).
    pub at_ms: i64,
    /// Workshop cluster.
    pub cluster: Option<String>,
    /// Page of the paper original.
    pub page: Option<String>,
}

/// Text typed in the editor but not yet committed as a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Session id.
    pub session_id: i64,
    /// The text as typed (may hold `#theme` tags).
    pub text: String,
    /// Selected speaker code.
    pub speaker: Option<String>,
    /// Selected note kind.
    pub kind: Option<NoteKind>,
}

/// Current time in Unix milliseconds.
pub fn now_ms() -> i64 {
    let ns = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    i64::try_from(ns / 1_000_000).unwrap_or(i64::MAX)
}

/// Current time as RFC 3339 (UTC, seconds).
pub fn now_rfc3339() -> String {
    let t = time::OffsetDateTime::now_utc();
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

fn blank_to_none(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// The vault's data, over a keyed connection.
pub struct Store {
    conn: Connection,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store")
    }
}

const NOTE_COLUMNS: &str = "n.id, n.session_id, n.position, n.created_at_ms, n.offset_ms,
    CASE WHEN n.speaker_participant_id IS NOT NULL THEN p.pseudonym
         WHEN n.speaker_facilitator IS NOT NULL THEN 'F' || n.speaker_facilitator END,
    n.kind, n.text, n.special_category, n.criminal_offence,
    (SELECT group_concat(name, char(31)) FROM (SELECT DISTINCT th.name FROM tag t
        JOIN theme th ON th.id = t.theme_id WHERE t.note_id = n.id ORDER BY th.name)),
    n.cluster, n.votes, n.page";

const NOTE_FROM: &str = "FROM note n LEFT JOIN participant p ON p.id = n.speaker_participant_id";

fn note_from_row(r: &Row<'_>) -> rusqlite::Result<Note> {
    let kind: String = r.get(6)?;
    let themes: Option<String> = r.get(10)?;
    Ok(Note {
        id: r.get(0)?,
        session_id: r.get(1)?,
        position: r.get(2)?,
        created_at_ms: r.get(3)?,
        offset_ms: r.get(4)?,
        speaker: r.get(5)?,
        kind: kind.parse().unwrap_or(NoteKind::Paraphrase),
        text: r.get(7)?,
        special_category: r.get(8)?,
        criminal_offence: r.get(9)?,
        themes: themes
            .map(|s| s.split('\u{1f}').map(str::to_owned).collect())
            .unwrap_or_default(),
        cluster: r.get(11)?,
        votes: r.get(12)?,
        page: r.get(13)?,
    })
}

fn session_from_row(r: &Row<'_>) -> rusqlite::Result<Session> {
    let kind: String = r.get(3)?;
    let source: String = r.get(7)?;
    let facilitators: String = r.get(11)?;
    Ok(Session {
        id: r.get(0)?,
        project_id: r.get(1)?,
        project: r.get(2)?,
        kind: kind.parse().unwrap_or(SessionKind::Interview),
        title: r.get(4)?,
        date: r.get(5)?,
        location: r.get(6)?,
        source: source.parse().unwrap_or(Source::Live),
        paper: PaperOrigin {
            written_by: r.get(8)?,
            written_on: r.get(9)?,
            destroyed_on: r.get(10)?,
        },
        facilitators: serde_json::from_str(&facilitators).unwrap_or_default(),
        started_at_ms: r.get(12)?,
    })
}

const SESSION_SELECT: &str = "SELECT s.id, s.project_id, pr.name, s.kind, s.title, s.date,
    s.location, s.source, s.paper_written_by, s.paper_written_on, s.paper_destroyed_on,
    s.facilitators, s.started_at_ms FROM session s JOIN project pr ON pr.id = s.project_id";

fn participant_from_row(r: &Row<'_>) -> rusqlite::Result<Participant> {
    let consent: Option<String> = r.get(5)?;
    Ok(Participant {
        id: r.get(0)?,
        project_id: r.get(1)?,
        pseudonym: r.get(2)?,
        real_name: r.get(3)?,
        role: r.get(4)?,
        consent: consent.and_then(|c| c.parse().ok()),
        consent_date: r.get(6)?,
        consent_form: r.get(7)?,
        restricted: r.get(8)?,
        withdrawn_on: r.get(9)?,
        withdrawal: r.get(10)?,
        erased_on: r.get(11)?,
    })
}

const PARTICIPANT_SELECT: &str = "SELECT p.id, p.project_id, p.pseudonym, p.real_name, p.role,
    p.consent, p.consent_date, p.consent_form, p.restricted, p.withdrawn_on, p.withdrawal,
    p.erased_on FROM participant p";

impl Store {
    /// Wraps a keyed connection and brings its schema up to date.
    pub fn new(mut conn: Connection) -> Result<Self> {
        schema::migrate(&mut conn)?;
        Ok(Self { conn })
    }

    /// The underlying connection, for the vault's maintenance work (backup, rekey).
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Mutable access to the connection, for serialising a backup.
    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Gives the connection back (to close it before files are swapped).
    pub(crate) fn into_conn(self) -> Connection {
        self.conn
    }

    /// Runs `PRAGMA integrity_check`; `Ok(())` when the database is sound.
    pub fn integrity_check(&self) -> Result<()> {
        let res: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if res == "ok" {
            Ok(())
        } else {
            Err(StoreError::Damaged(res))
        }
    }

    /// Reads and authenticates every page of the file (SQLCipher's HMAC on each page), then
    /// checks the database's structure. Returns the number of pages checked.
    pub fn verify_pages(&self) -> Result<i64> {
        let mut st = self.conn.prepare("PRAGMA cipher_integrity_check")?;
        let problems: Vec<String> = st
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?;
        if !problems.is_empty() {
            let shown: Vec<&str> = problems.iter().take(3).map(String::as_str).collect();
            return Err(StoreError::Damaged(shown.join("; ")));
        }
        self.integrity_check()?;
        Ok(self.conn.query_row("PRAGMA page_count", [], |r| r.get(0))?)
    }

    // ---- audit ----

    /// Appends a hash-chained audit event.
    pub fn audit(&self, actor: &str, action: &str, detail: &str) -> Result<()> {
        audit::append(&self.conn, actor, action, detail)
    }

    /// Every audit event, oldest first.
    pub fn audit_events(&self) -> Result<Vec<audit::Event>> {
        audit::list(&self.conn)
    }

    /// Checks the audit chain; returns the number of events checked.
    pub fn audit_verify(&self) -> Result<usize> {
        audit::verify(&self.conn)
    }

    /// The audit trail's newest event, to be kept outside the vault as an anchor.
    pub fn audit_head(&self) -> Result<Option<audit::Anchor>> {
        audit::head(&self.conn)
    }

    /// Checks the trail still holds each anchored event unchanged.
    pub fn audit_verify_anchors(&self, anchors: &[(audit::Anchor, String)]) -> Result<()> {
        audit::verify_anchors(&self.conn, anchors)
    }

    // ---- anonymiser lists and registry ----

    /// Adds a phrase to a project's allow list (never removed) or deny list (always removed).
    pub fn list_add(&self, project: &str, deny: bool, phrase: &str) -> Result<()> {
        let pid = self
            .project_id(project)
            .optional()?
            .ok_or_else(|| no_project(project))?;
        let phrase = text::clean_note_text(phrase).replace('\n', " ");
        let phrase = phrase.trim();
        if phrase.is_empty() {
            return Err(StoreError::Invalid("give a word or phrase".into()));
        }
        self.conn.execute(
            "INSERT OR IGNORE INTO anonymiser_list (project_id, list, phrase) VALUES (?1, ?2, ?3)",
            params![pid, if deny { "deny" } else { "allow" }, phrase],
        )?;
        Ok(())
    }

    /// Removes a phrase from both lists; returns whether it was on one.
    pub fn list_remove(&self, project: &str, phrase: &str) -> Result<bool> {
        let pid = self
            .project_id(project)
            .optional()?
            .ok_or_else(|| no_project(project))?;
        let n = self.conn.execute(
            "DELETE FROM anonymiser_list WHERE project_id = ?1 AND phrase = ?2",
            params![pid, phrase.trim()],
        )?;
        Ok(n > 0)
    }

    /// A project's (allow, deny) lists.
    pub fn lists(&self, project: &str) -> Result<(Vec<String>, Vec<String>)> {
        let pid = self
            .project_id(project)
            .optional()?
            .ok_or_else(|| no_project(project))?;
        let mut st = self.conn.prepare(
            "SELECT list, phrase FROM anonymiser_list WHERE project_id = ?1 ORDER BY phrase",
        )?;
        let mut allow = Vec::new();
        let mut deny = Vec::new();
        for row in st.query_map([pid], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })? {
            let (list, phrase) = row?;
            if list == "deny" {
                deny.push(phrase)
            } else {
                allow.push(phrase)
            }
        }
        Ok((allow, deny))
    }

    /// What the anonymiser needs to know about a project: every participant and person
    /// mentioned with their pseudonym, and the allow and deny lists.
    pub fn registry(&self, project: &str) -> Result<crate::anonymise::Registry> {
        use crate::anonymise::KnownPerson;
        let mut people: Vec<KnownPerson> = self
            .participants_of_project(project)?
            .into_iter()
            .filter_map(|p| {
                p.real_name.map(|name| KnownPerson {
                    name,
                    pseudonym: p.pseudonym,
                })
            })
            .collect();
        people.extend(
            self.people_mentioned(project)?
                .into_iter()
                .filter(|p| !p.real_name.is_empty())
                .map(|p| KnownPerson {
                    name: p.real_name,
                    pseudonym: p.pseudonym,
                }),
        );
        let (allow, deny) = self.lists(project)?;
        Ok(crate::anonymise::Registry {
            people,
            allow,
            deny,
        })
    }

    // ---- key recipients ----

    /// Lists a recipient and audits it, in one transaction.
    pub(crate) fn recipient_insert(&self, name: &str, public_key: &str, actor: &str) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO key_recipient (name, public_key, added_at) VALUES (?1, ?2, ?3)",
            params![name, public_key, now_rfc3339()],
        )?;
        crate::audit::append(&tx, actor, "recipient add", &format!("recipient {name}"))?;
        tx.commit()?;
        Ok(())
    }

    /// Unlists a recipient and audits the removal and key rotation, in one transaction.
    pub(crate) fn recipient_delete(&self, name: &str, actor: &str) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute("DELETE FROM key_recipient WHERE name = ?1", [name])?;
        crate::audit::append(
            &tx,
            actor,
            "recipient remove",
            &format!("recipient {name}; database key rotated"),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every recipient row: (name, age public key, added at).
    pub(crate) fn recipient_rows(&self) -> Result<Vec<(String, String, String)>> {
        let mut st = self
            .conn
            .prepare("SELECT name, public_key, added_at FROM key_recipient ORDER BY name")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Replaces the recipient list (a restore keeps the live vault's list, not the backup's).
    pub(crate) fn set_recipient_rows(&self, rows: &[(String, String, String)]) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute("DELETE FROM key_recipient", [])?;
        for (name, key, at) in rows {
            tx.execute(
                "INSERT INTO key_recipient (name, public_key, added_at) VALUES (?1, ?2, ?3)",
                params![name, key, at],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Recipients the key is wrapped to: (name, age public key).
    pub fn recipients(&self) -> Result<Vec<(String, String)>> {
        let mut st = self
            .conn
            .prepare("SELECT name, public_key FROM key_recipient ORDER BY name")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ---- projects ----

    /// Creates a project; returns its id.
    pub fn project_add(&self, p: NewProject) -> Result<i64> {
        let name = p.name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("a project needs a name".into()));
        }
        if self.project_id(name).optional()?.is_some() {
            return Err(StoreError::Duplicate(format!(
                "a project named '{name}' already exists"
            )));
        }
        self.conn.execute(
            "INSERT INTO project (name, purpose, lawful_basis, special_category_condition,
               schedule1_condition, criminal_offence_basis, dpia_ref, controller,
               retention_months, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
            rusqlite::params_from_iter(
                std::iter::once(rusqlite::types::Value::from(name.to_owned()))
                    .chain(project_columns(p))
                    .chain(std::iter::once(now_rfc3339().into())),
            ),
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Changes a project's record (its name too).
    pub fn project_update(&self, current_name: &str, p: NewProject) -> Result<()> {
        let id = self
            .project_id(current_name)
            .optional()?
            .ok_or_else(|| no_project(current_name))?;
        let name = p.name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("a project needs a name".into()));
        }
        if name != current_name.trim() && self.project_id(name).optional()?.is_some() {
            return Err(StoreError::Duplicate(format!(
                "a project named '{name}' already exists"
            )));
        }
        self.conn.execute(
            "UPDATE project SET name = ?2, purpose = ?3, lawful_basis = ?4,
               special_category_condition = ?5, schedule1_condition = ?6,
               criminal_offence_basis = ?7, dpia_ref = ?8, controller = ?9,
               retention_months = ?10 WHERE id = ?1",
            rusqlite::params_from_iter(
                [id.into(), rusqlite::types::Value::from(name.to_owned())]
                    .into_iter()
                    .chain(project_columns(p)),
            ),
        )?;
        Ok(())
    }

    fn project_id(&self, name: &str) -> rusqlite::Result<i64> {
        self.conn.query_row(
            "SELECT id FROM project WHERE name = ?1",
            [name.trim()],
            |r| r.get(0),
        )
    }

    /// Every project, by name.
    pub fn projects(&self) -> Result<Vec<Project>> {
        let mut st = self.conn.prepare(
            "SELECT id, name, purpose, lawful_basis, special_category_condition,
               schedule1_condition, criminal_offence_basis, dpia_ref, controller,
               retention_months, created_at FROM project ORDER BY name COLLATE NOCASE",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Project {
                id: r.get(0)?,
                name: r.get(1)?,
                purpose: r.get(2)?,
                lawful_basis: r.get(3)?,
                special_category_condition: r.get(4)?,
                schedule1_condition: r.get(5)?,
                criminal_offence_basis: r.get(6)?,
                dpia_ref: r.get(7)?,
                controller: r.get(8)?,
                retention_months: r.get(9)?,
                created_at: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One project by name.
    pub fn project(&self, name: &str) -> Result<Project> {
        self.projects()?
            .into_iter()
            .find(|p| p.name == name.trim())
            .ok_or_else(|| no_project(name))
    }

    /// The project a command means: the one named, or the only one when none is named.
    pub fn resolve_project(&self, name: Option<&str>) -> Result<Project> {
        match name {
            Some(n) => self.project(n),
            None => {
                let mut all = self.projects()?;
                match all.len() {
                    1 => Ok(all.remove(0)),
                    0 => Err(StoreError::NotFound(
                        "there is no project yet: create one with `fieldnotes project add NAME`"
                            .into(),
                    )),
                    _ => Err(StoreError::Invalid(
                        "this vault has several projects: say which with --project NAME".into(),
                    )),
                }
            }
        }
    }

    // ---- sessions ----

    /// Creates a session; returns its id.
    pub fn session_add(&self, s: NewSession) -> Result<i64> {
        let project_id = self
            .project_id(&s.project)
            .optional()?
            .ok_or_else(|| no_project(&s.project))?;
        let title = s.title.trim();
        if title.is_empty() {
            return Err(StoreError::Invalid(
                "a session needs a title (--title)".into(),
            ));
        }
        let facilitators: Vec<String> = s
            .facilitators
            .iter()
            .map(|f| f.trim().to_owned())
            .filter(|f| !f.is_empty())
            .collect();
        let facilitators =
            serde_json::to_string(&facilitators).map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.conn.execute(
            "INSERT INTO session (project_id, kind, title, date, location, source,
               paper_written_by, paper_written_on, paper_destroyed_on, facilitators, created_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
            params![
                project_id,
                s.kind.as_str(),
                title,
                s.date,
                blank_to_none(s.location),
                s.source.as_str(),
                blank_to_none(s.paper.written_by),
                s.paper.written_on,
                s.paper.destroyed_on,
                facilitators,
                now_rfc3339()
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Changes a session's record. Facilitators can be added or renamed, but not removed
    /// while notes are attributed to them.
    pub fn session_update(&self, id: i64, s: NewSession) -> Result<()> {
        self.session(id)?;
        let title = s.title.trim();
        if title.is_empty() {
            return Err(StoreError::Invalid("a session needs a title".into()));
        }
        let facilitators: Vec<String> = s
            .facilitators
            .iter()
            .map(|f| f.trim().to_owned())
            .filter(|f| !f.is_empty())
            .collect();
        let highest: Option<i64> = self.conn.query_row(
            "SELECT max(speaker_facilitator) FROM note WHERE session_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        if highest.is_some_and(|h| h as usize > facilitators.len()) {
            return Err(StoreError::Invalid(format!(
                "notes are attributed to facilitator F{}: keep at least that many facilitators",
                highest.unwrap_or(0)
            )));
        }
        let facilitators =
            serde_json::to_string(&facilitators).map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.conn.execute(
            "UPDATE session SET kind = ?2, title = ?3, date = ?4, location = ?5, source = ?6,
               paper_written_by = ?7, paper_written_on = ?8, facilitators = ?9 WHERE id = ?1",
            params![
                id,
                s.kind.as_str(),
                title,
                s.date,
                blank_to_none(s.location),
                s.source.as_str(),
                blank_to_none(s.paper.written_by),
                s.paper.written_on,
                facilitators
            ],
        )?;
        Ok(())
    }

    /// Sessions, newest first, optionally of one project.
    pub fn sessions(&self, project: Option<&str>) -> Result<Vec<Session>> {
        let pid = match project {
            Some(p) => Some(
                self.project_id(p)
                    .optional()?
                    .ok_or_else(|| no_project(p))?,
            ),
            None => None,
        };
        let sql = format!(
            "{SESSION_SELECT} WHERE ?1 IS NULL OR s.project_id = ?1
             ORDER BY ifnull(s.date, substr(s.created_at, 1, 10)) DESC, s.id DESC"
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map([pid], session_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One session by id.
    pub fn session(&self, id: i64) -> Result<Session> {
        let sql = format!("{SESSION_SELECT} WHERE s.id = ?1");
        self.conn
            .query_row(&sql, [id], session_from_row)
            .optional()?
            .ok_or_else(|| no_session(id))
    }

    /// Records that a paper original was destroyed on `date`.
    pub fn session_paper_destroyed(&self, id: i64, date: &str) -> Result<()> {
        let s = self.session(id)?;
        if s.source != Source::Paper {
            return Err(StoreError::Invalid(format!(
                "session {id} was typed live, so it has no paper original"
            )));
        }
        self.conn.execute(
            "UPDATE session SET paper_destroyed_on = ?2 WHERE id = ?1",
            params![id, date],
        )?;
        Ok(())
    }

    // ---- participants ----

    /// Adds a participant to a session (registering them in its project); returns the pseudonym.
    pub fn participant_add(&self, session_id: i64, p: NewParticipant) -> Result<String> {
        let session = self.session(session_id)?;
        let name = p.real_name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid(
                "a participant needs a name (--name)".into(),
            ));
        }
        let tx = self.conn.unchecked_transaction()?;
        let pseudonym = match blank_to_none(p.pseudonym) {
            Some(code) => {
                if self.participant_id(session.project_id, &code)?.is_some() {
                    return Err(StoreError::Duplicate(format!(
                        "pseudonym {code} is already used in project {}",
                        session.project
                    )));
                }
                code
            }
            None => self.next_pseudonym(session.project_id)?,
        };
        tx.execute(
            "INSERT INTO participant (project_id, pseudonym, real_name, role, consent,
               consent_date, consent_form, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
            params![
                session.project_id,
                pseudonym,
                name,
                blank_to_none(p.role),
                p.consent.map(Consent::as_str),
                p.consent_date,
                blank_to_none(p.consent_form),
                now_rfc3339()
            ],
        )?;
        tx.execute(
            "INSERT INTO session_participant (session_id, participant_id) VALUES (?1, ?2)",
            params![session_id, tx.last_insert_rowid()],
        )?;
        tx.commit()?;
        Ok(pseudonym)
    }

    /// Adds an already-registered participant (by pseudonym) to another session.
    pub fn participant_join(&self, session_id: i64, pseudonym: &str) -> Result<()> {
        let session = self.session(session_id)?;
        let pid = self
            .participant_id(session.project_id, pseudonym)?
            .ok_or_else(|| no_participant(pseudonym, &session.project))?;
        self.conn.execute(
            "INSERT OR IGNORE INTO session_participant (session_id, participant_id) VALUES (?1, ?2)",
            params![session_id, pid],
        )?;
        Ok(())
    }

    fn next_pseudonym(&self, project_id: i64) -> Result<String> {
        let mut st = self
            .conn
            .prepare("SELECT pseudonym FROM participant WHERE project_id = ?1")?;
        let used: Vec<String> = st
            .query_map([project_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let max = used
            .iter()
            .filter_map(|c| c.strip_prefix('P').and_then(|n| n.parse::<u32>().ok()))
            .max()
            .unwrap_or(0);
        Ok(format!("P{:02}", max + 1))
    }

    fn participant_id(&self, project_id: i64, pseudonym: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM participant WHERE project_id = ?1 AND pseudonym = ?2 COLLATE NOCASE",
                params![project_id, pseudonym.trim()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Participants of one session.
    pub fn participants_of_session(&self, session_id: i64) -> Result<Vec<Participant>> {
        self.session(session_id)?;
        let sql = format!(
            "{PARTICIPANT_SELECT} JOIN session_participant sp ON sp.participant_id = p.id
             WHERE sp.session_id = ?1 ORDER BY p.pseudonym"
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map([session_id], participant_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Participants registered in a project.
    pub fn participants_of_project(&self, project: &str) -> Result<Vec<Participant>> {
        let pid = self
            .project_id(project)
            .optional()?
            .ok_or_else(|| no_project(project))?;
        let sql = format!("{PARTICIPANT_SELECT} WHERE p.project_id = ?1 ORDER BY p.pseudonym");
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map([pid], participant_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ---- people mentioned ----

    /// Registers a third party named in notes; returns their pseudonym.
    pub fn person_add(
        &self,
        project: &str,
        real_name: &str,
        pseudonym: Option<String>,
    ) -> Result<String> {
        let pid = self
            .project_id(project)
            .optional()?
            .ok_or_else(|| no_project(project))?;
        let name = real_name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("a person needs a name (--name)".into()));
        }
        let code = match blank_to_none(pseudonym) {
            Some(c) => c,
            None => {
                let n: i64 = self.conn.query_row(
                    "SELECT count(*) FROM person_mentioned WHERE project_id = ?1",
                    [pid],
                    |r| r.get(0),
                )?;
                format!("Person {}", letters(n))
            }
        };
        self.conn
            .execute(
                "INSERT INTO person_mentioned (project_id, real_name, pseudonym) VALUES (?1,?2,?3)",
                params![pid, name, code],
            )
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::Duplicate(format!(
                    "pseudonym '{code}' is already used in project {project}"
                )),
                _ => e.into(),
            })?;
        Ok(code)
    }

    /// Third parties registered in a project.
    pub fn people_mentioned(&self, project: &str) -> Result<Vec<PersonMentioned>> {
        let pid = self
            .project_id(project)
            .optional()?
            .ok_or_else(|| no_project(project))?;
        let mut st = self.conn.prepare(
            "SELECT id, project_id, real_name, pseudonym, restricted, erased_on
             FROM person_mentioned WHERE project_id = ?1 ORDER BY id",
        )?;
        let rows = st.query_map([pid], |r| {
            Ok(PersonMentioned {
                id: r.get(0)?,
                project_id: r.get(1)?,
                real_name: r.get(2)?,
                pseudonym: r.get(3)?,
                restricted: r.get(4)?,
                erased_on: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ---- notes ----

    /// Adds a note at the end of its session, with its tags, in one transaction; returns its id.
    pub fn note_add(&self, n: NewNote) -> Result<i64> {
        let tx = self.conn.unchecked_transaction()?;
        let id = self.insert_note(&n)?;
        tx.commit()?;
        Ok(id)
    }

    /// Changes a note's text, speaker and kind (themes stay).
    pub fn note_update(
        &self,
        id: i64,
        text: &str,
        speaker: Option<&str>,
        kind: NoteKind,
    ) -> Result<Note> {
        let note = self.note(id)?;
        let session = self.session(note.session_id)?;
        let text = text::clean_note_text(text);
        if text.is_empty() {
            return Err(StoreError::Invalid(
                "a note cannot be made empty: erase it instead".into(),
            ));
        }
        let (sp, sf) = self.resolve_speaker(&session, speaker)?;
        self.conn.execute(
            "UPDATE note SET text = ?2, speaker_participant_id = ?3, speaker_facilitator = ?4,
               kind = ?5, updated_at_ms = ?6 WHERE id = ?1",
            params![id, text, sp, sf, kind.as_str(), now_ms()],
        )?;
        self.note(id)
    }

    /// Swaps a note with its neighbour (earlier when `up`); returns false at either end.
    pub fn note_move(&self, id: i64, up: bool) -> Result<bool> {
        let note = self.note(id)?;
        let sql = if up {
            "SELECT id, position FROM note WHERE session_id = ?1 AND position < ?2 ORDER BY position DESC LIMIT 1"
        } else {
            "SELECT id, position FROM note WHERE session_id = ?1 AND position > ?2 ORDER BY position LIMIT 1"
        };
        let other: Option<(i64, i64)> = self
            .conn
            .query_row(sql, params![note.session_id, note.position], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let Some((other_id, other_pos)) = other else {
            return Ok(false);
        };
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "UPDATE note SET position = ?2 WHERE id = ?1",
            params![id, other_pos],
        )?;
        tx.execute(
            "UPDATE note SET position = ?2 WHERE id = ?1",
            params![other_id, note.position],
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// Removes a whole-note tag.
    pub fn untag(&self, note_id: i64, theme: &str) -> Result<()> {
        self.untag_span(note_id, theme, None)
    }

    /// Deletes a note and its tags (secure_delete overwrites the freed pages).
    pub fn note_delete(&self, id: i64) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute("DELETE FROM tag WHERE note_id = ?1", [id])?;
        let n = tx.execute("DELETE FROM note WHERE id = ?1", [id])?;
        tx.commit()?;
        if n == 0 { Err(no_note(id)) } else { Ok(()) }
    }

    /// Adds (or, negative, removes) dot votes on an idea; never below zero.
    pub fn note_vote(&self, id: i64, delta: i64) -> Result<i64> {
        self.note(id)?;
        self.conn.execute(
            "UPDATE note SET votes = max(0, votes + ?2), updated_at_ms = ?3 WHERE id = ?1",
            params![id, delta, now_ms()],
        )?;
        Ok(self.note(id)?.votes)
    }

    /// Marks whether a note holds special category or criminal-offence data.
    pub fn note_set_flags(&self, id: i64, special: bool, criminal: bool) -> Result<()> {
        self.note(id)?;
        self.conn.execute(
            "UPDATE note SET special_category = ?2, criminal_offence = ?3 WHERE id = ?1",
            params![id, special, criminal],
        )?;
        Ok(())
    }

    /// Puts an idea in a cluster (`None` or blank removes it from any).
    pub fn note_set_cluster(&self, id: i64, cluster: Option<&str>) -> Result<()> {
        self.note(id)?;
        let c = cluster.map(str::trim).filter(|c| !c.is_empty());
        self.conn
            .execute("UPDATE note SET cluster = ?2 WHERE id = ?1", params![id, c])?;
        Ok(())
    }

    /// Records the page of the paper original a note was transcribed from.
    pub fn note_set_page(&self, id: i64, page: Option<&str>) -> Result<()> {
        self.note(id)?;
        let p = page.map(str::trim).filter(|p| !p.is_empty());
        self.conn
            .execute("UPDATE note SET page = ?2 WHERE id = ?1", params![id, p])?;
        Ok(())
    }

    /// Commits a note typed in the editor and clears the session's draft, atomically, so a
    /// crash can neither lose the note nor leave it behind as a draft too.
    pub fn note_add_from_draft(&self, n: NewNote) -> Result<i64> {
        let tx = self.conn.unchecked_transaction()?;
        let id = self.insert_note(&n)?;
        tx.execute("DELETE FROM draft WHERE session_id = ?1", [n.session_id])?;
        tx.commit()?;
        Ok(id)
    }

    /// Saves the editor's unsent text for a session (empty text removes the draft).
    pub fn draft_save(&self, d: &Draft) -> Result<()> {
        if d.text.trim().is_empty() {
            self.conn
                .execute("DELETE FROM draft WHERE session_id = ?1", [d.session_id])?;
        } else {
            self.conn.execute(
                "INSERT INTO draft (session_id, text, speaker, kind, updated_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (session_id) DO UPDATE SET text = excluded.text,
                   speaker = excluded.speaker, kind = excluded.kind,
                   updated_at_ms = excluded.updated_at_ms",
                params![
                    d.session_id,
                    d.text,
                    d.speaker,
                    d.kind.map(NoteKind::as_str),
                    now_ms()
                ],
            )?;
        }
        Ok(())
    }

    /// The unsent text of a session, if any.
    pub fn draft(&self, session_id: i64) -> Result<Option<Draft>> {
        Ok(self
            .conn
            .query_row(
                "SELECT text, speaker, kind FROM draft WHERE session_id = ?1",
                [session_id],
                |r| {
                    let kind: Option<String> = r.get(2)?;
                    Ok(Draft {
                        session_id,
                        text: r.get(0)?,
                        speaker: r.get(1)?,
                        kind: kind.and_then(|k| k.parse().ok()),
                    })
                },
            )
            .optional()?)
    }

    /// Adds many notes in one transaction (imports, transcriptions); all or none.
    pub fn note_add_many(&self, notes: &[NewNote]) -> Result<Vec<i64>> {
        let tx = self.conn.unchecked_transaction()?;
        let ids = notes
            .iter()
            .map(|n| self.insert_note(n))
            .collect::<Result<Vec<_>>>()?;
        tx.commit()?;
        Ok(ids)
    }

    /// Inserts one note inside the caller's transaction.
    fn insert_note(&self, n: &NewNote) -> Result<i64> {
        let text = text::clean_note_text(&n.text);
        if text.is_empty() {
            return Err(StoreError::Invalid(
                "the note is empty: nothing was saved".into(),
            ));
        }
        if text.len() > text::MAX_NOTE_BYTES {
            return Err(StoreError::Invalid(format!(
                "the note is {} MB, more than the {} MB a note can hold; split it into several notes",
                text.len() / (1024 * 1024),
                text::MAX_NOTE_BYTES / (1024 * 1024)
            )));
        }
        let session = self.session(n.session_id)?;
        let (speaker_participant, speaker_facilitator) =
            self.resolve_speaker(&session, n.speaker.as_deref())?;
        let offset_ms = if session.source == Source::Live {
            let start = match session.started_at_ms {
                Some(s) => s,
                None => {
                    self.conn.execute(
                        "UPDATE session SET started_at_ms = ?2 WHERE id = ?1",
                        params![session.id, n.at_ms],
                    )?;
                    n.at_ms
                }
            };
            Some((n.at_ms - start).max(0))
        } else {
            None
        };
        self.conn.execute(
            "INSERT INTO note (session_id, position, created_at_ms, offset_ms,
               speaker_participant_id, speaker_facilitator, kind, text, special_category,
               criminal_offence, updated_at_ms, cluster, page)
             VALUES (?1, (SELECT ifnull(max(position), 0) + 1 FROM note WHERE session_id = ?1),
                     ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?2, ?10, ?11)",
            params![
                session.id,
                n.at_ms,
                offset_ms,
                speaker_participant,
                speaker_facilitator,
                n.kind.as_str(),
                text,
                n.special_category,
                n.criminal_offence,
                blank_to_none(n.cluster.clone()),
                blank_to_none(n.page.clone())
            ],
        )?;
        let note_id = self.conn.last_insert_rowid();
        for theme in &n.themes {
            let theme_id = self.theme_get_or_create(session.project_id, theme)?;
            tag_insert(&self.conn, note_id, theme_id, None)?;
        }
        Ok(note_id)
    }

    fn resolve_speaker(
        &self,
        session: &Session,
        speaker: Option<&str>,
    ) -> Result<(Option<i64>, Option<i64>)> {
        let Some(code) = speaker.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok((None, None));
        };
        if let Some(pid) = self.participant_id(session.project_id, code)? {
            return Ok((Some(pid), None));
        }
        let facilitator = code
            .strip_prefix(['F', 'f'])
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n >= 1 && *n <= session.facilitators.len());
        match facilitator {
            Some(n) => Ok((None, Some(n as i64))),
            None => Err(no_participant(code, &session.project)),
        }
    }

    /// Notes of a session, in order.
    pub fn notes(&self, session_id: i64) -> Result<Vec<Note>> {
        self.session(session_id)?;
        let sql = format!(
            "SELECT {NOTE_COLUMNS} {NOTE_FROM} WHERE n.session_id = ?1 ORDER BY n.position"
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map([session_id], note_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One note.
    pub fn note(&self, id: i64) -> Result<Note> {
        let sql = format!("SELECT {NOTE_COLUMNS} {NOTE_FROM} WHERE n.id = ?1");
        self.conn
            .query_row(&sql, [id], note_from_row)
            .optional()?
            .ok_or_else(|| no_note(id))
    }

    /// Full-text search across notes (every word must appear, in any order; a word may be a
    /// prefix with a trailing `*`). User input never reaches FTS5's query syntax unquoted.
    pub fn search(&self, query: &str, project: Option<&str>) -> Result<Vec<SearchHit>> {
        let fts = fts_query(query);
        if fts.is_empty() {
            return Ok(Vec::new());
        }
        let pid = match project {
            Some(p) => Some(
                self.project_id(p)
                    .optional()?
                    .ok_or_else(|| no_project(p))?,
            ),
            None => None,
        };
        let sql = format!(
            "SELECT {NOTE_COLUMNS}, pr.name, s.title, s.project_id {NOTE_FROM}
             JOIN note_fts f ON f.rowid = n.id
             JOIN session s ON s.id = n.session_id JOIN project pr ON pr.id = s.project_id
             WHERE note_fts MATCH ?1 AND (?2 IS NULL OR s.project_id = ?2)
               AND NOT ifnull(p.restricted, 0)
             ORDER BY f.rank LIMIT 500"
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map(params![fts, pid], |r| {
            let note = note_from_row(r)?;
            let hit = SearchHit {
                project: r.get(14)?,
                session_id: note.session_id,
                session_title: r.get(15)?,
                note,
            };
            Ok((r.get::<_, i64>(16)?, hit))
        })?;
        // the query leaves out what restricted people said; what others said about them
        // goes too
        self.withhold_restricted(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ---- themes and tags ----

    /// Adds a theme to a project's codebook; returns its id.
    pub fn theme_add(
        &self,
        project: &str,
        name: &str,
        parent: Option<&str>,
        description: Option<String>,
        colour: Option<String>,
    ) -> Result<i64> {
        let pid = self
            .project_id(project)
            .optional()?
            .ok_or_else(|| no_project(project))?;
        let name = clean_theme_name(name)?;
        if self.theme_id(pid, &name)?.is_some() {
            return Err(StoreError::Duplicate(format!(
                "theme '{name}' already exists in project {project}"
            )));
        }
        let parent_id = match parent {
            Some(p) => Some(self.theme_id(pid, p)?.ok_or_else(|| {
                StoreError::NotFound(format!("no theme named '{p}' in project {project}"))
            })?),
            None => None,
        };
        self.conn.execute(
            "INSERT INTO theme (project_id, name, description, colour, parent_id)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                pid,
                name,
                blank_to_none(description),
                blank_to_none(colour),
                parent_id
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    fn theme_id(&self, project_id: i64, name: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM theme WHERE project_id = ?1 AND name = ?2 COLLATE NOCASE",
                params![project_id, name.trim()],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn theme_get_or_create(&self, project_id: i64, name: &str) -> Result<i64> {
        let name = clean_theme_name(name)?;
        if let Some(id) = self.theme_id(project_id, &name)? {
            return Ok(id);
        }
        self.conn.execute(
            "INSERT INTO theme (project_id, name) VALUES (?1, ?2)",
            params![project_id, name],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// A project's codebook in tree order: each theme followed by its children, siblings
    /// alphabetical; `depth` says how deep each one is.
    pub fn themes(&self, project: &str) -> Result<Vec<Theme>> {
        let pid = self
            .project_id(project)
            .optional()?
            .ok_or_else(|| no_project(project))?;
        let mut st = self.conn.prepare(
            "SELECT t.id, t.project_id, t.name, t.description, t.colour, p.name, t.memo,
               t.parent_id
             FROM theme t LEFT JOIN theme p ON p.id = t.parent_id
             WHERE t.project_id = ?1 ORDER BY t.name COLLATE NOCASE",
        )?;
        let rows = st.query_map([pid], |r| {
            Ok((
                Theme {
                    id: r.get(0)?,
                    project_id: r.get(1)?,
                    name: r.get(2)?,
                    description: r.get(3)?,
                    colour: r.get(4)?,
                    parent: r.get(5)?,
                    memo: r.get(6)?,
                    depth: 0,
                },
                r.get::<_, Option<i64>>(7)?,
            ))
        })?;
        let all: Vec<(Theme, Option<i64>)> = rows.collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(all.len());
        fn visit(
            all: &[(Theme, Option<i64>)],
            parent: Option<i64>,
            depth: usize,
            out: &mut Vec<Theme>,
        ) {
            for (t, p) in all.iter().filter(|(_, p)| *p == parent) {
                let _ = p;
                out.push(Theme { depth, ..t.clone() });
                visit(all, Some(t.id), depth + 1, out);
            }
        }
        visit(&all, None, 0, &mut out);
        Ok(out)
    }

    /// Tags a note (or a character span of it) with a theme of its project. Unknown themes
    /// are added to the codebook; returns whether the theme was new.
    pub fn tag(&self, note_id: i64, theme: &str, span: Option<(usize, usize)>) -> Result<bool> {
        let note = self.note(note_id)?;
        let session = self.session(note.session_id)?;
        if let Some((a, b)) = span {
            let len = note.text.chars().count();
            if a >= b || b > len {
                return Err(StoreError::Invalid(format!(
                    "span {a}..{b} is not inside note {note_id}, which has {len} characters"
                )));
            }
        }
        let existed = self.theme_id(session.project_id, theme)?.is_some();
        let tx = self.conn.unchecked_transaction()?;
        let theme_id = self.theme_get_or_create(session.project_id, theme)?;
        tag_insert(&tx, note_id, theme_id, span)?;
        tx.commit()?;
        Ok(!existed)
    }
}

/// Reads `note_id, theme name, span_start, span_end`.
fn tag_row_from_row(r: &Row<'_>) -> rusqlite::Result<TagRow> {
    let a: Option<i64> = r.get(2)?;
    let b: Option<i64> = r.get(3)?;
    Ok(TagRow {
        note_id: r.get(0)?,
        theme: r.get(1)?,
        span: a.zip(b).map(|(a, b)| (a as usize, b as usize)),
    })
}

/// One tag on a note: the theme and, for a span tag, its character range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRow {
    /// The tagged note.
    pub note_id: i64,
    /// The theme's name.
    pub theme: String,
    /// Characters `start..end` of the note, or the whole note.
    pub span: Option<(usize, usize)>,
}

impl Store {
    /// Every tag on the notes of one session.
    pub fn tag_rows_of_session(&self, session_id: i64) -> Result<Vec<TagRow>> {
        let mut st = self.conn.prepare(
            "SELECT t.note_id, th.name, t.span_start, t.span_end FROM tag t
             JOIN theme th ON th.id = t.theme_id JOIN note n ON n.id = t.note_id
             WHERE n.session_id = ?1 ORDER BY t.note_id, t.span_start, th.name COLLATE NOCASE",
        )?;
        let rows = st.query_map([session_id], tag_row_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Removes one tag: a span tag when `span` is given, else the whole-note tag.
    pub fn untag_span(
        &self,
        note_id: i64,
        theme: &str,
        span: Option<(usize, usize)>,
    ) -> Result<()> {
        let note = self.note(note_id)?;
        let session = self.session(note.session_id)?;
        if let Some(tid) = self.theme_id(session.project_id, theme)? {
            let (a, b) = match span {
                Some((a, b)) => (a as i64, b as i64),
                None => (-1, -1),
            };
            self.conn.execute(
                "DELETE FROM tag WHERE note_id = ?1 AND theme_id = ?2
                   AND ifnull(span_start, -1) = ?3 AND ifnull(span_end, -1) = ?4",
                params![note_id, tid, a, b],
            )?;
        }
        Ok(())
    }

    /// Every tag on the notes of a project, in note and theme order.
    pub fn tag_rows(&self, project: &str) -> Result<Vec<TagRow>> {
        let pid = self
            .project_id(project)
            .optional()?
            .ok_or_else(|| no_project(project))?;
        let mut st = self.conn.prepare(
            "SELECT t.note_id, th.name, t.span_start, t.span_end FROM tag t
             JOIN theme th ON th.id = t.theme_id WHERE th.project_id = ?1
             ORDER BY t.note_id, th.name COLLATE NOCASE, t.span_start",
        )?;
        let rows = st.query_map([pid], tag_row_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// A project's optional fields, in the column order insert and update share: purpose,
/// lawful basis, Art. 9, Schedule 1, Art. 10, DPIA, controller, retention.
fn project_columns(p: NewProject) -> Vec<rusqlite::types::Value> {
    let texts = [
        p.purpose,
        p.lawful_basis,
        p.special_category_condition,
        p.schedule1_condition,
        p.criminal_offence_basis,
        p.dpia_ref,
        p.controller,
    ];
    let mut v: Vec<rusqlite::types::Value> =
        texts.into_iter().map(|t| blank_to_none(t).into()).collect();
    v.push(p.retention_months.map(i64::from).into());
    v
}

fn tag_insert(
    conn: &Connection,
    note_id: i64,
    theme_id: i64,
    span: Option<(usize, usize)>,
) -> Result<()> {
    let (a, b) = match span {
        Some((a, b)) => (Some(a as i64), Some(b as i64)),
        None => (None, None),
    };
    conn.execute(
        "INSERT OR IGNORE INTO tag (note_id, theme_id, span_start, span_end) VALUES (?1,?2,?3,?4)",
        params![note_id, theme_id, a, b],
    )?;
    Ok(())
}

fn clean_theme_name(name: &str) -> Result<String> {
    let n = text::clean_note_text(name).replace('\n', " ");
    let n = n.trim().trim_start_matches('#').trim().to_owned();
    if n.is_empty() {
        return Err(StoreError::Invalid("a theme needs a name".into()));
    }
    if n.chars().count() > 80 {
        return Err(StoreError::Invalid(
            "a theme name can have at most 80 characters".into(),
        ));
    }
    Ok(n)
}

/// Turns free text into an FTS5 query of quoted terms, so quotes, `AND`, `-` or `:` in what
/// the user typed are searched for rather than parsed.
fn fts_query(q: &str) -> String {
    q.split_whitespace()
        .filter_map(|w| {
            let prefix = w.ends_with('*');
            let core: String = w
                .trim_end_matches('*')
                .chars()
                .filter(|c| *c != '"')
                .collect();
            if core.is_empty() {
                return None;
            }
            Some(if prefix {
                format!("\"{core}\"*")
            } else {
                format!("\"{core}\"")
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `A`, `B`, … `Z`, `AA`, `AB`… for the n-th (0-based) person.
fn letters(mut n: i64) -> String {
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'A' + (n % 26) as u8));
        n = n / 26 - 1;
        if n < 0 {
            break;
        }
    }
    out.iter().rev().collect()
}

fn no_project(name: &str) -> StoreError {
    StoreError::NotFound(format!(
        "no project named '{}': see `fieldnotes project list`",
        text::for_terminal(name, false)
    ))
}

fn no_session(id: i64) -> StoreError {
    StoreError::NotFound(format!(
        "no session with id {id}: see `fieldnotes session list`"
    ))
}

fn no_note(id: i64) -> StoreError {
    StoreError::NotFound(format!(
        "no note with id {id}: see `fieldnotes note list --session ID`"
    ))
}

fn no_participant(code: &str, project: &str) -> StoreError {
    StoreError::NotFound(format!(
        "no participant or facilitator '{}' in project {project}: see `fieldnotes participant list`",
        text::for_terminal(code, false)
    ))
}
