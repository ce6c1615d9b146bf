//! The worker thread: owns the vault (and so the database connection), runs every request
//! off the keystroke path, and reports back as events.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};

use fieldnotes::app::{
    self, AppError, Clock, Draft, NewNote, NewParticipant, NewProject, NewSession, RetentionItem,
    TagRow,
};
use fieldnotes::audit::Action;
use fieldnotes::model::{Note, NoteKind, Participant, Project, SearchHit, Session};
use fieldnotes::vault::{KdfSettings, Unlock, Vault, VaultError};
use secrecy::SecretString;

mod analysis;
mod export;
mod records;
pub use records::RecordsRequest;
mod guides;
mod quotes;

pub(crate) use analysis::from_corpus;
pub use analysis::{AnalysisData, CoverageShown, Shown, question_line};
use analysis::{analysis, load_corpus};
#[cfg(test)]
pub(crate) use analysis::{analysis_data, map_span, shown};
#[cfg(test)]
pub(crate) use export::review_data;
use export::{export, review};
pub use guides::{GuideReply, GuideRequest};

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
    /// Create a live interview after asking the researcher's name (empty: skipped), then
    /// open it.
    AddSessionAs(NewSession, String),
    /// Register a person mentioned in the project.
    AddPerson {
        /// Project.
        project: String,
        /// Their real name.
        name: String,
    },
    /// Write a memo on a note of the session (or on the session).
    AddMemo {
        /// The session.
        session_id: i64,
        /// The note, if on one.
        note_id: Option<i64>,
        /// The memo.
        text: String,
    },

    /// Change a session's record.
    UpdateSession(i64, NewSession),
    /// Record reviews and the disclosures log.
    Records(RecordsRequest),
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
    /// Set a note's sensitivity flags.
    SetFlags {
        /// Note id.
        id: i64,
        /// Holds special category data.
        special_category: bool,
        /// Holds criminal-offence data.
        criminal_offence: bool,
    },
    /// Set (or clear) an idea's cluster.
    SetCluster(i64, Option<String>),
    /// Set (or clear) a note's paper page.
    SetPage(i64, Option<String>),
    /// Tag a whole note.
    Tag(i64, String),
    /// Remove a whole-note tag.
    Untag(i64, String),
    /// Put back a note whose adding was undone (redo): at the end, the draft untouched.
    RestoreNote {
        /// The app's id for the note until it is saved.
        local: u64,
        /// The note as it was.
        note: NewNote,
    },
    /// Record that a paper original was destroyed on the date given (redo).
    PaperDestroyedOn(i64, String),
    /// Withdraw the record that a paper original was destroyed (undo).
    PaperNotDestroyed(i64),
    /// Remove a participant registered by mistake, if they have no notes yet (undo).
    RemoveParticipant {
        /// The session.
        session_id: i64,
        /// Their pseudonym.
        code: String,
    },
    /// Drop the vault: close the database, forget the key.
    Lock,
    /// Prepare a project's export and list every substitution for review.
    ExportReview(String),
    /// Add a phrase to a project's allow (`deny` false) or deny list, then review again.
    ReviewList {
        /// Project.
        project: String,
        /// Deny list?
        deny: bool,
        /// The phrase.
        phrase: String,
    },
    /// Register a name the anonymiser missed (a person mentioned), then review again.
    ReviewRegister {
        /// Project.
        project: String,
        /// The real name.
        name: String,
    },
    /// Write the export (format from the file's extension) after the leak guard.
    Export {
        /// Project.
        project: String,
        /// Where.
        path: PathBuf,
        /// age public keys to encrypt it to (none: a plain file).
        recipients: Vec<String>,
        /// Replace an existing file (the user said yes to the question).
        overwrite: bool,
    },
    /// Sessions due under the retention schedule.
    Retention,
    /// A team project's exchange.
    Team(String),
    /// Erase every session past its retention date.
    ApplyRetention,
    /// Load a project's analysis views, narrowed by a filter.
    Analysis(String, fieldnotes::analysis::Filter),
    /// Coded excerpts for a theme query.
    AnalysisQuery(String, String, fieldnotes::analysis::Filter),
    /// The notes answering one question of a topic guide in one session.
    AnalysisQuestion {
        /// Project.
        project: String,
        /// The guide: its place among the project's guides.
        guide: usize,
        /// The question: its row in the guide's coverage matrix.
        row: usize,
        /// The session.
        session: i64,
        /// The filter the views are narrowed by.
        filter: fieldnotes::analysis::Filter,
    },
    /// A codebook change, then the analysis views again.
    Codebook(String, CodebookOp, fieldnotes::analysis::Filter),
    /// Tag a note or a span of it.
    TagSpan {
        /// Note.
        note: i64,
        /// Theme name (added to the codebook when new).
        theme: String,
        /// Characters, or the whole note.
        span: Option<(usize, usize)>,
    },
    /// Remove one tag (undo of tagging).
    UntagSpan {
        /// Note.
        note: i64,
        /// Theme name.
        theme: String,
        /// Characters, or the whole note.
        span: Option<(usize, usize)>,
    },
    /// Keep a half-filled form in the vault through the lock that follows.
    KeepForm(String),
    /// Give back (once) the form kept through the last lock.
    TakeKeptForm,
    /// The quotes awaiting approval in a project.
    Quotes(String),
    /// Record that a quote's speaker approved its exact words on a day, then list again.
    ApproveQuote {
        /// Project.
        project: String,
        /// The note.
        note_id: i64,
        /// The day typed (checked by the use case).
        on: String,
    },
    /// Topic guides.
    Guide(GuideRequest),
}

/// A change to the codebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodebookOp {
    /// New theme.
    Add(String),
    /// Rename.
    Rename(String, String),
    /// Move under a parent (`None`: top level).
    Move(String, Option<String>),
    /// Merge the first into the second.
    Merge(String, String),
    /// Delete.
    Delete(String),
    /// Set the memo.
    Memo(String, String),
}

/// What the export review shows.
#[derive(Debug, Clone)]
pub struct ReviewData {
    /// Project.
    pub project: String,
    /// Every substitution in context.
    pub items: Vec<fieldnotes::export::ReviewItem>,
    /// Notes that will be exported.
    pub excerpts: usize,
    /// Notes withheld (restricted people).
    pub withheld: usize,
    /// Verbatim quotes withheld under quote consent, and consents not recorded, in sentences.
    pub quotes: Vec<String>,
}

pub use fieldnotes::app::sessions::OpenedSession;

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
    /// A participant registered by mistake was removed (or kept, having notes already).
    ParticipantRemoved {
        /// Their pseudonym.
        code: String,
        /// Removed (false: kept).
        removed: bool,
        /// The session's participants now.
        list: Vec<Participant>,
    },
    /// Ask the researcher's name (once) before creating this live interview (its title).
    AskResearcher(String),
    /// A person mentioned was registered: their pseudonym.
    PersonAdded(String),
    /// A session's memos (after opening it or writing one).
    Memos(i64, Vec<fieldnotes::app::Memo>),
    /// A note is committed.
    NoteSaved {
        /// The app's id for the note.
        local: u64,
        /// The note as stored.
        note: Box<Note>,
    },
    /// The draft is saved.
    DraftSaved,
    /// How many sessions are past their retention date (sent after unlocking).
    RetentionDue(usize),
    /// The export review.
    ExportReview(Box<ReviewData>),
    /// The export was written (message for the user).
    Exported(String),
    /// The export's file already exists: ask before replacing it.
    ExportExists {
        /// The file.
        path: PathBuf,
        /// The recipients chosen, to export with once the user agrees.
        recipients: Vec<String>,
    },
    /// The retention list (and a message after applying it).
    Retention(Vec<RetentionItem>, Option<String>),
    /// A project's disclosures log.
    Disclosures(String, Vec<fieldnotes::model::Disclosure>),
    /// A project's quotes awaiting approval (and a message after an approval).
    Quotes(
        String,
        Vec<fieldnotes::app::quotes::PendingQuote>,
        Option<String>,
    ),
    /// A team project's exchange and its members.
    Team(Box<fieldnotes::team::Status>, Vec<fieldnotes::team::Member>),
    /// The analysis views.
    Analysis(Box<AnalysisData>),
    /// Excerpts for a query.
    Excerpts(String, Vec<Shown>),
    /// A note's tags changed: the note, its tags, the project's themes.
    Tagged(Box<Note>, Vec<TagRow>, Vec<String>),
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
    /// The form kept through the last lock, if there was one.
    KeptForm(Option<String>),
    /// About topic guides.
    Guide(GuideReply),
}

/// Runs the worker loop until the request channel closes.
pub fn run(
    dir: PathBuf,
    kdf: KdfSettings,
    requests: Receiver<Request>,
    replies: Sender<super::Event>,
) {
    let mut vault: Option<Vault> = None;
    // the analysis corpus of one project, kept while only analysis views are asked for, so
    // switching views, queries and filters does not reload the notes; any other request
    // (every write among them) drops it
    let mut corpus: Option<(
        fieldnotes::analysis::Corpus,
        fieldnotes::anonymise::Anonymiser,
    )> = None;
    let send = |r: Reply| {
        let _ = replies.send(super::Event::Worker(r));
    };
    for req in requests {
        let project = match &req {
            Request::Analysis(p, _)
            | Request::AnalysisQuery(p, _, _)
            | Request::AnalysisQuestion { project: p, .. } => Some(p.clone()),
            _ => None,
        };
        match (&vault, project) {
            (Some(v), Some(project)) => {
                if corpus.as_ref().is_none_or(|c| c.0.project != project) {
                    corpus = match load_corpus(v, &project)
                        .and_then(|c| Ok((c, app::analysis::anonymiser(v, &project)?)))
                    {
                        Ok(c) => Some(c),
                        Err(e) => {
                            send(Reply::Failed(e.to_string()));
                            continue;
                        }
                    };
                }
                if let Some((c, anon)) = &corpus {
                    send(
                        from_corpus(v, c, anon, req)
                            .unwrap_or_else(|e| Reply::Failed(e.to_string())),
                    );
                    continue;
                }
            }
            _ => corpus = None,
        }
        // the session's memos follow its opening, as a reply of their own
        let memos_of = match &req {
            Request::OpenSession(id) => Some(*id),
            _ => None,
        };
        let reply = match req {
            Request::Init(pass) => unlocked(
                Vault::init(&dir, &pass, kdf)
                    .and_then(|()| Vault::open(&dir, Unlock::Passphrase(pass), kdf)),
                &mut vault,
            ),
            Request::Unlock(pass) => {
                let opened = Vault::open(&dir, Unlock::Passphrase(pass), kdf);
                if let Ok(v) = &opened {
                    // an unlock the trail cannot record is refused, as the CLI refuses a
                    // command whose event cannot be written
                    if let Err(e) = app::record(v, Action::Unlock, "opened in the app") {
                        send(Reply::UnlockFailed(e.to_string()));
                        continue;
                    }
                    if let Ok(due) = app::retention::due_count(v, clock()) {
                        send(unlocked(opened, &mut vault));
                        send(Reply::RetentionDue(due));
                        continue;
                    }
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
        let opened = match &reply {
            Reply::Session(o) => Some(o.session.id),
            _ => None,
        };
        send(reply);
        if let (Some(id), Some(_), Some(v)) = (memos_of, opened, &vault) {
            match app::memos::of_session(v, id) {
                Ok(m) => send(Reply::Memos(id, m)),
                Err(e) => send(Reply::Failed(e.to_string())),
            }
        }
        // and the topic guide it follows, however it was opened (a new session too)
        if let (Some(id), Some(v)) = (opened, &vault) {
            send(guides::of_session(v, id));
        }
    }
}

/// Keeps a freshly opened vault and answers with its projects, or says why it did not open.
fn unlocked(opened: Result<Vault, VaultError>, vault: &mut Option<Vault>) -> Reply {
    match opened {
        Ok(v) => {
            let projects = app::projects::list(&v);
            *vault = Some(v);
            match projects {
                Ok(p) => Reply::Unlocked(p),
                Err(e) => Reply::Failed(e.to_string()),
            }
        }
        Err(e) => Reply::UnlockFailed(e.to_string()),
    }
}

/// The clock the app tells dates by: the process's, whose local offset the CLI's start
/// read, so both shells say the same date.
fn clock() -> &'static dyn Clock {
    static CLOCK: std::sync::OnceLock<app::SystemClock> = std::sync::OnceLock::new();
    CLOCK.get_or_init(app::SystemClock::local)
}

pub(crate) fn handle(v: &Vault, req: Request) -> Reply {
    let result: Result<Reply, AppError> = (|| {
        Ok(match req {
            Request::Projects => Reply::Projects(app::projects::list(v)?),
            Request::AddProject(p) => {
                app::projects::add(v, p)?;
                Reply::Projects(app::projects::list(v)?)
            }
            Request::UpdateProject(name, p) => {
                app::projects::update(v, &name, p)?;
                Reply::Projects(app::projects::list(v)?)
            }
            Request::Sessions(p) => {
                let list = app::sessions::list(v, Some(&p))?;
                Reply::Sessions(p, list)
            }
            Request::OpenSession(id) => open_session(v, id)?,
            Request::AddSession(ns) => {
                let first_live_interview = ns.kind == fieldnotes::model::SessionKind::Interview
                    && ns.source == fieldnotes::model::Source::Live
                    && ns.facilitators.is_empty()
                    && !app::settings::researcher_asked(v)?;
                if first_live_interview {
                    return Ok(Reply::AskResearcher(ns.title));
                }
                let id = app::sessions::add(v, clock(), ns)?;
                open_session(v, id)?
            }
            Request::AddSessionAs(ns, name) => {
                if name.trim().is_empty() {
                    app::settings::skip_researcher(v)?;
                } else {
                    app::settings::set_researcher(v, &name)?;
                }
                let id = app::sessions::add(v, clock(), ns)?;
                open_session(v, id)?
            }
            Request::AddPerson { project, name } => {
                Reply::PersonAdded(app::people::person_add(v, &project, &name, None)?)
            }
            Request::AddMemo {
                session_id,
                note_id,
                text,
            } => {
                app::memos::add(v, session_id, note_id, &text)?;
                Reply::Memos(session_id, app::memos::of_session(v, session_id)?)
            }

            Request::UpdateSession(id, ns) => {
                let project = ns.project.clone();
                app::sessions::update(v, id, ns)?;
                let list = app::sessions::list(v, Some(&project))?;
                Reply::Sessions(project, list)
            }
            Request::Records(r) => records::handle(v, r)?,
            Request::AddParticipant {
                session_id,
                participant,
            } => {
                app::people::participant_add(v, session_id, participant)?;
                Reply::ParticipantAdded(app::people::participants_of_session(v, session_id)?)
            }
            Request::SaveNote { local, note } => {
                let text = note.text.clone();
                let input = app::notes::NoteInput {
                    from_draft: true,
                    ..note.into()
                };
                let id = match app::notes::add(v, clock(), input) {
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
                    note: Box::new(app::notes::get(v, id)?),
                }
            }
            Request::SaveDraft(d) => {
                app::drafts::save(v, &d)?;
                Reply::DraftSaved
            }
            Request::Search(q) => {
                let hits = app::search::search(v, &q, None)?;
                Reply::SearchResults(q, hits)
            }
            Request::UpdateNote {
                id,
                text,
                speaker,
                kind,
            } => Reply::NoteChanged(Box::new(app::notes::edit(
                v,
                id,
                &text,
                speaker.as_deref(),
                kind,
            )?)),
            Request::MoveNote { id, up } => Reply::Notes(app::notes::move_by(v, id, up)?),
            Request::DeleteNote(id) => Reply::Notes(app::notes::delete(v, id)?),
            Request::Vote { id, delta } => {
                Reply::NoteChanged(Box::new(app::notes::vote(v, id, delta)?))
            }
            Request::SetFlags {
                id,
                special_category,
                criminal_offence,
            } => Reply::NoteChanged(Box::new(app::notes::set_flags(
                v,
                id,
                special_category,
                criminal_offence,
            )?)),
            Request::SetCluster(id, c) => {
                Reply::NoteChanged(Box::new(app::notes::set_cluster(v, id, c.as_deref())?))
            }
            Request::SetPage(id, p) => {
                Reply::NoteChanged(Box::new(app::notes::set_page(v, id, p.as_deref())?))
            }
            Request::Tag(id, theme) => {
                app::tags::tag(v, id, &theme, None)?;
                Reply::NoteChanged(Box::new(app::notes::get(v, id)?))
            }
            Request::Untag(id, theme) => {
                app::tags::untag(v, id, &theme)?;
                Reply::NoteChanged(Box::new(app::notes::get(v, id)?))
            }
            Request::PaperDestroyedOn(sid, date) => {
                app::sessions::paper_destroyed(v, clock(), sid, Some(&date))?;
                Reply::SessionChanged(Box::new(app::sessions::get(v, sid)?))
            }
            Request::PaperNotDestroyed(sid) => {
                app::sessions::paper_not_destroyed(v, sid)?;
                Reply::SessionChanged(Box::new(app::sessions::get(v, sid)?))
            }
            Request::RestoreNote { local, note } => {
                let text = note.text.clone();
                match app::notes::add(v, clock(), note.into()) {
                    Ok(id) => Reply::NoteSaved {
                        local,
                        note: Box::new(app::notes::get(v, id)?),
                    },
                    Err(e) => Reply::NoteFailed {
                        local,
                        text,
                        message: e.to_string(),
                    },
                }
            }
            Request::RemoveParticipant { session_id, code } => {
                let removed = app::people::participant_remove_unused(v, session_id, &code)?;
                Reply::ParticipantRemoved {
                    code,
                    removed,
                    list: app::people::participants_of_session(v, session_id)?,
                }
            }
            Request::ExportReview(p) => review(v, &p)?,
            Request::ReviewList {
                project,
                deny,
                phrase,
            } => {
                app::projects::list_add(v, &project, deny, &phrase)?;
                review(v, &project)?
            }
            Request::ReviewRegister { project, name } => {
                app::people::person_add(v, &project, &name, None)?;
                review(v, &project)?
            }
            Request::Export {
                project,
                path,
                recipients,
                overwrite,
            } => export(v, &project, &path, &recipients, overwrite)?,
            Request::Retention => Reply::Retention(app::retention::list(v, clock(), None)?, None),
            Request::Quotes(p) => quotes::pending(v, p, None)?,
            Request::ApproveQuote {
                project,
                note_id,
                on,
            } => quotes::approve(v, clock(), project, note_id, &on)?,
            Request::Team(p) => Reply::Team(
                Box::new(app::team::status(v, Some(&p))?),
                app::team::members(v, Some(&p))?,
            ),
            Request::ApplyRetention => {
                let applied = app::retention::apply(v, clock(), None)?;
                Reply::Retention(
                    app::retention::list(v, clock(), None)?,
                    Some(format!("Retention applied: {}.", applied.total.describe())),
                )
            }
            Request::Analysis(ref p, _)
            | Request::AnalysisQuery(ref p, _, _)
            | Request::AnalysisQuestion { project: ref p, .. } => {
                let c = load_corpus(v, p)?;
                let anon = app::analysis::anonymiser(v, p)?;
                from_corpus(v, &c, &anon, req)?
            }
            Request::Codebook(p, op, f) => {
                match &op {
                    CodebookOp::Add(n) => {
                        let theme = app::themes::NewTheme {
                            name: n.clone(),
                            ..Default::default()
                        };
                        app::themes::add(v, &p, theme)?;
                    }
                    CodebookOp::Rename(a, b) => app::themes::rename(v, &p, a, b)?,
                    CodebookOp::Move(a, parent) => {
                        app::themes::move_to(v, &p, a, parent.as_deref())?
                    }
                    CodebookOp::Merge(a, b) => {
                        app::themes::merge(v, &p, a, b)?;
                    }
                    CodebookOp::Delete(a) => {
                        app::themes::delete(v, &p, a)?;
                    }
                    CodebookOp::Memo(a, m) => app::themes::set_memo(v, &p, a, m)?,
                }
                analysis(v, &p, f)?
            }
            Request::TagSpan { note, theme, span } => {
                app::tags::tag(v, note, &theme, span)?;
                tagged(v, note)?
            }
            Request::UntagSpan { note, theme, span } => {
                app::tags::untag_span(v, note, &theme, span)?;
                tagged(v, note)?
            }
            Request::KeepForm(form) => {
                app::settings::keep_form(v, &form)?;
                Reply::DraftSaved
            }
            Request::TakeKeptForm => Reply::KeptForm(app::settings::take_kept_form(v)?),
            Request::Guide(g) => guides::handle(v, g)?,
            Request::Unlock(_) | Request::Init(_) | Request::Lock => {
                Reply::Failed("unexpected request".into())
            }
        })
    })();
    result.unwrap_or_else(|e| Reply::Failed(e.to_string()))
}

fn tagged(v: &Vault, note: i64) -> Result<Reply, AppError> {
    let t = app::tags::of_note(v, note)?;
    Ok(Reply::Tagged(Box::new(t.note), t.tags, t.themes))
}

fn open_session(v: &Vault, id: i64) -> Result<Reply, AppError> {
    Ok(Reply::Session(Box::new(app::sessions::open(v, id)?)))
}
