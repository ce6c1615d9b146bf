//! The worker thread: owns the vault (and so the database connection), runs every request
//! off the keystroke path, and reports back as events.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};

use crate::model::{Note, NoteKind, Participant, Project, SearchHit, Session};
use crate::store::{Draft, NewNote, NewParticipant, NewProject, NewSession};
use crate::vault::{KdfSettings, Unlock, Vault, VaultError};
use secrecy::SecretString;

/// What the app asks of the vault.
pub enum Request {
    /// Unlock with a passphrase.
    Unlock(SecretString),
    /// Create the vault, then unlock it.
    Init(SecretString),
    /// Reload the project list.
    Projects,
    /// Create a project.
    AddProject(NewProject),
    /// Change a project's record.
    UpdateProject(String, NewProject),
    /// Sessions of a project.
    Sessions(String),
    /// Open a session in the editor.
    OpenSession(i64),
    /// Create a session, then open it.
    AddSession(NewSession),
    /// Change a session's record.
    UpdateSession(i64, NewSession),
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
    /// Change a note's text, speaker and kind.
    UpdateNote {
        /// Note id.
        id: i64,
        /// New text.
        text: String,
        /// New speaker.
        speaker: Option<String>,
        /// New kind.
        kind: NoteKind,
    },
    /// Move a note one place (earlier when `up`).
    MoveNote {
        /// Note id.
        id: i64,
        /// Earlier?
        up: bool,
    },
    /// Delete a note (undo of adding it).
    DeleteNote(i64),
    /// Change dot votes.
    Vote {
        /// Note id.
        id: i64,
        /// +1 or -1.
        delta: i64,
    },
    /// Set (or clear) an idea's cluster.
    SetCluster(i64, Option<String>),
    /// Set (or clear) a note's paper page.
    SetPage(i64, Option<String>),
    /// Tag a whole note.
    Tag(i64, String),
    /// Remove a whole-note tag.
    Untag(i64, String),
    /// Record that a paper original was destroyed today.
    PaperDestroyed(i64),
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
        note: Box<Note>,
    },
    /// The draft is saved.
    DraftSaved,
    /// Search results.
    SearchResults(String, Vec<SearchHit>),
    /// A note could not be saved: its text goes back to the editor.
    NoteFailed {
        /// The app's id for the note.
        local: u64,
        /// What was typed.
        text: String,
        /// Why.
        message: String,
    },
    /// A note changed.
    NoteChanged(Box<Note>),
    /// The session's notes, after a reorder or deletion.
    Notes(Vec<Note>),
    /// The session's record changed.
    SessionChanged(Box<Session>),
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
            Request::Init(pass) => unlocked(
                Vault::init(&dir, &pass, kdf)
                    .and_then(|()| Vault::open(&dir, Unlock::Passphrase(pass), kdf)),
                &mut vault,
            ),
            Request::Unlock(pass) => {
                let opened = Vault::open(&dir, Unlock::Passphrase(pass), kdf);
                if let Ok(v) = &opened {
                    let _ = v.audit("unlock", "opened in the app");
                }
                unlocked(opened, &mut vault)
            }
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

/// Keeps a freshly opened vault and answers with its projects, or says why it did not open.
fn unlocked(opened: Result<Vault, VaultError>, vault: &mut Option<Vault>) -> Reply {
    match opened {
        Ok(v) => {
            let projects = v.store().projects();
            *vault = Some(v);
            match projects {
                Ok(p) => Reply::Unlocked(p),
                Err(e) => Reply::Failed(e.to_string()),
            }
        }
        Err(e) => Reply::UnlockFailed(e.to_string()),
    }
}

fn handle(v: &Vault, req: Request) -> Reply {
    let s = v.store();
    let result: Result<Reply, crate::store::StoreError> = (|| {
        Ok(match req {
            Request::Projects => Reply::Projects(s.projects()?),
            Request::AddProject(p) => {
                let id = s.project_add(p)?;
                let _ = v.audit("project add", &format!("project {id}"));
                Reply::Projects(s.projects()?)
            }
            Request::UpdateProject(name, p) => {
                s.project_update(&name, p)?;
                let _ = v.audit("project edit", "project record changed");
                Reply::Projects(s.projects()?)
            }
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
            Request::UpdateSession(id, ns) => {
                let project = ns.project.clone();
                s.session_update(id, ns)?;
                let _ = v.audit("session edit", &format!("session {id}"));
                Reply::Sessions(project.clone(), s.sessions(Some(&project))?)
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
                let text = note.text.clone();
                let id = match s.note_add_from_draft(note) {
                    Ok(id) => id,
                    Err(e) => {
                        return Ok(Reply::NoteFailed {
                            local,
                            text,
                            message: e.to_string(),
                        });
                    }
                };
                Reply::NoteSaved {
                    local,
                    note: Box::new(s.note(id)?),
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
            Request::UpdateNote {
                id,
                text,
                speaker,
                kind,
            } => Reply::NoteChanged(Box::new(s.note_update(
                id,
                &text,
                speaker.as_deref(),
                kind,
            )?)),
            Request::MoveNote { id, up } => {
                s.note_move(id, up)?;
                Reply::Notes(s.notes(s.note(id)?.session_id)?)
            }
            Request::DeleteNote(id) => {
                let sid = s.note(id)?.session_id;
                s.note_delete(id)?;
                Reply::Notes(s.notes(sid)?)
            }
            Request::Vote { id, delta } => {
                s.note_vote(id, delta)?;
                Reply::NoteChanged(Box::new(s.note(id)?))
            }
            Request::SetCluster(id, c) => {
                s.note_set_cluster(id, c.as_deref())?;
                Reply::NoteChanged(Box::new(s.note(id)?))
            }
            Request::SetPage(id, p) => {
                s.note_set_page(id, p.as_deref())?;
                Reply::NoteChanged(Box::new(s.note(id)?))
            }
            Request::Tag(id, theme) => {
                s.tag(id, &theme, None)?;
                Reply::NoteChanged(Box::new(s.note(id)?))
            }
            Request::Untag(id, theme) => {
                s.untag(id, &theme)?;
                Reply::NoteChanged(Box::new(s.note(id)?))
            }
            Request::PaperDestroyed(sid) => {
                let today = time::OffsetDateTime::now_utc().date().to_string();
                s.session_paper_destroyed(sid, &today)?;
                let _ = v.audit("paper destroyed", &format!("session {sid}, on {today}"));
                Reply::SessionChanged(Box::new(s.session(sid)?))
            }
            Request::Unlock(_) | Request::Init(_) | Request::Lock => {
                Reply::Failed("unexpected request".into())
            }
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
