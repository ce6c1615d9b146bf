//! The worker thread: owns the vault (and so the database connection), runs every request
//! off the keystroke path, and reports back as events.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};

use crate::model::{Note, Participant, Project, SearchHit, Session};
use crate::store::{Draft, NewNote, NewParticipant, NewSession};
use crate::vault::{KdfSettings, Unlock, Vault};
use secrecy::SecretString;

/// What the app asks of the vault.
pub enum Request {
    /// Unlock with a passphrase.
    Unlock(SecretString),
    /// Reload the project list.
    Projects,
    /// Sessions of a project.
    Sessions(String),
    /// Open a session in the editor.
    OpenSession(i64),
    /// Create a session, then open it.
    AddSession(NewSession),
    /// Register a participant in a session.
    AddParticipant {
        /// The session.
        session_id: i64,
        /// Who.
        participant: NewParticipant,
    },
    /// Commit a note (and clear the draft); `local` identifies it in the app until saved.
    SaveNote {
        /// The app's id for the note until it is saved.
        local: u64,
        /// The note.
        note: NewNote,
    },
    /// Save the editor's unsent text.
    SaveDraft(Draft),
    /// Full-text search.
    Search(String),
    /// Drop the vault: close the database, forget the key.
    Lock,
}

/// A session with what the editor needs.
#[derive(Debug)]
pub struct OpenedSession {
    /// The session.
    pub session: Session,
    /// Its notes.
    pub notes: Vec<Note>,
    /// Its participants.
    pub participants: Vec<Participant>,
    /// Unsent text from last time.
    pub draft: Option<Draft>,
    /// The project's theme names.
    pub themes: Vec<String>,
}

/// What the worker reports.
#[derive(Debug)]
pub enum Reply {
    /// Unlocked; here are the projects.
    Unlocked(Vec<Project>),
    /// Unlock failed (message for the user).
    UnlockFailed(String),
    /// Project list.
    Projects(Vec<Project>),
    /// Sessions of a project.
    Sessions(String, Vec<Session>),
    /// A session opened for editing.
    Session(Box<OpenedSession>),
    /// A participant was registered.
    ParticipantAdded(Vec<Participant>),
    /// A note is committed.
    NoteSaved {
        /// The app's id for the note.
        local: u64,
        /// The note as stored.
        note: Note,
    },
    /// The draft is saved.
    DraftSaved,
    /// Search results.
    SearchResults(String, Vec<SearchHit>),
    /// The vault is locked.
    Locked,
    /// Something failed; nothing of the user's text is dropped by the app.
    Failed(String),
}

/// Runs the worker loop until the request channel closes.
pub fn run(
    dir: PathBuf,
    kdf: KdfSettings,
    requests: Receiver<Request>,
    replies: Sender<super::Event>,
) {
    let mut vault: Option<Vault> = None;
    let send = |r: Reply| {
        let _ = replies.send(super::Event::Worker(r));
    };
    for req in requests {
        let reply = match req {
            Request::Unlock(pass) => match Vault::open(&dir, Unlock::Passphrase(pass), kdf) {
                Ok(v) => {
                    let _ = v.audit("unlock", "opened in the app");
                    let projects = v.store().projects();
                    vault = Some(v);
                    match projects {
                        Ok(p) => Reply::Unlocked(p),
                        Err(e) => Reply::Failed(e.to_string()),
                    }
                }
                Err(e) => Reply::UnlockFailed(e.to_string()),
            },
            Request::Lock => {
                vault = None;
                Reply::Locked
            }
            other => match &vault {
                Some(v) => handle(v, other),
                None => Reply::Failed("the vault is locked: unlock it first".into()),
            },
        };
        send(reply);
    }
}

fn handle(v: &Vault, req: Request) -> Reply {
    let s = v.store();
    let result: Result<Reply, crate::store::StoreError> = (|| {
        Ok(match req {
            Request::Projects => Reply::Projects(s.projects()?),
            Request::Sessions(p) => {
                let list = s.sessions(Some(&p))?;
                Reply::Sessions(p, list)
            }
            Request::OpenSession(id) => open_session(v, id)?,
            Request::AddSession(ns) => {
                let id = s.session_add(ns)?;
                let _ = v.audit("session add", &format!("session {id}"));
                open_session(v, id)?
            }
            Request::AddParticipant {
                session_id,
                participant,
            } => {
                let code = s.participant_add(session_id, participant)?;
                let _ = v.audit(
                    "participant add",
                    &format!("{code} in session {session_id}"),
                );
                Reply::ParticipantAdded(s.participants_of_session(session_id)?)
            }
            Request::SaveNote { local, note } => {
                let id = s.note_add_from_draft(note)?;
                Reply::NoteSaved {
                    local,
                    note: s.note(id)?,
                }
            }
            Request::SaveDraft(d) => {
                s.draft_save(&d)?;
                Reply::DraftSaved
            }
            Request::Search(q) => {
                let hits = s.search(&q, None)?;
                Reply::SearchResults(q, hits)
            }
            Request::Unlock(_) | Request::Lock => Reply::Failed("unexpected request".into()),
        })
    })();
    result.unwrap_or_else(|e| Reply::Failed(e.to_string()))
}

fn open_session(v: &Vault, id: i64) -> Result<Reply, crate::store::StoreError> {
    let s = v.store();
    let session = s.session(id)?;
    let themes = s
        .themes(&session.project)?
        .into_iter()
        .map(|t| t.name)
        .collect();
    Ok(Reply::Session(Box::new(OpenedSession {
        notes: s.notes(id)?,
        participants: s.participants_of_session(id)?,
        draft: s.draft(id)?,
        session,
        themes,
    })))
}
