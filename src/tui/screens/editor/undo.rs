//! One undo stack over every note action in the open session, with redo: each step knows
//! what it changed, so undoing sends its exact inverse to the worker and redoing sends it
//! again. Typing in the input line has its own undo (the text area's), kept apart.

use super::Editor;
use crate::tui::app::State;
use crate::tui::worker::Request;
use fieldnotes::app::{NewNote, NewParticipant};
use fieldnotes::model::NoteKind;

/// What a note says and who said it, as an edit changes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    /// Text.
    pub text: String,
    /// Speaker code.
    pub speaker: Option<String>,
    /// Kind.
    pub kind: NoteKind,
}

/// A note action that Ctrl+Z takes back and Ctrl+Y does again.
#[derive(Debug, Clone)]
pub enum UndoStep {
    /// A note was added (local id until saved, then the note id).
    Added {
        /// Local id.
        local: u64,
        /// Note id once saved.
        id: Option<i64>,
        /// The note, to put back on redo.
        note: Box<NewNote>,
        /// The id it had before an undo removed it: later steps that name that id are
        /// moved to the new one when it is saved again.
        was: Option<i64>,
    },
    /// A note's text, speaker or kind changed (an edit, or a kind key on a selected note).
    Edited {
        /// Note id.
        id: i64,
        /// Before.
        before: Content,
        /// After.
        after: Content,
        /// Themes the edit's `#tags` added.
        tagged: Vec<String>,
    },
    /// A note was moved.
    Moved {
        /// Note id.
        id: i64,
        /// It moved earlier.
        up: bool,
    },
    /// A theme was tagged.
    Tagged {
        /// Note id.
        id: i64,
        /// Theme.
        theme: String,
    },
    /// Votes changed.
    Voted {
        /// Note id.
        id: i64,
        /// Change made.
        delta: i64,
    },
    /// A workshop cluster (`page` false) or paper page changed.
    Grouped {
        /// Note id.
        id: i64,
        /// A page rather than a cluster.
        page: bool,
        /// Before.
        before: Option<String>,
        /// After.
        after: Option<String>,
    },
    /// Sensitivity flags changed: (special category, criminal offence).
    Flagged {
        /// Note id.
        id: i64,
        /// Before.
        before: (bool, bool),
        /// After.
        after: (bool, bool),
    },
    /// A note was linked to a topic guide question, or unlinked.
    Answered {
        /// Note id.
        id: i64,
        /// The question before.
        before: Option<i64>,
        /// The question after.
        after: Option<i64>,
    },
    /// The paper original was recorded as destroyed.
    PaperDestroyed {
        /// Session.
        session: i64,
        /// The date recorded.
        on: String,
    },
    /// A participant was registered.
    ParticipantAdded {
        /// Session.
        session: i64,
        /// Their pseudonym.
        code: String,
        /// Who, to register again on redo (kept in memory only, as the form did).
        person: Option<Box<NewParticipant>>,
    },
}

impl Editor {
    /// Records a new note action: it can be undone, and what was undone before can no
    /// longer be redone.
    pub fn did(&mut self, step: UndoStep) {
        self.undo.push(step);
        self.redo.clear();
    }

    /// "note 3": how a note is named in messages (its place in the session).
    fn note_name(&self, id: i64) -> String {
        match self.notes.iter().find(|r| r.note.id == id) {
            Some(r) => format!("note {}", r.note.position),
            None => "a note".into(),
        }
    }

    fn describe(&self, step: &UndoStep) -> String {
        match step {
            UndoStep::Added { id: Some(id), .. } => format!("new {}", self.note_name(*id)),
            UndoStep::Added { id: None, .. } => "a new note".into(),
            UndoStep::Edited {
                id, before, after, ..
            } if before.text == after.text && before.speaker == after.speaker => {
                format!("kind of {}", self.note_name(*id))
            }
            UndoStep::Edited { id, .. } => format!("edit of {}", self.note_name(*id)),
            UndoStep::Moved { id, .. } => format!("move of {}", self.note_name(*id)),
            UndoStep::Tagged { id, theme } => format!(
                "tag #{} on {}",
                fieldnotes::text::for_terminal(theme, false),
                self.note_name(*id)
            ),
            UndoStep::Voted { id, .. } => format!("vote on {}", self.note_name(*id)),
            UndoStep::Grouped { id, page: true, .. } => format!("page of {}", self.note_name(*id)),
            UndoStep::Grouped { id, .. } => format!("cluster of {}", self.note_name(*id)),
            UndoStep::Flagged { id, .. } => format!("flags of {}", self.note_name(*id)),
            UndoStep::Answered { id, .. } => {
                format!("question answered by {}", self.note_name(*id))
            }
            UndoStep::PaperDestroyed { on, .. } => {
                format!("paper original destroyed on {on}")
            }
            UndoStep::ParticipantAdded { code, .. } => format!("participant {code} added"),
        }
    }

    /// A note saved: a pending `Added` step learns its id, and a note put back by redo takes
    /// its old id's place in every step.
    pub fn note_saved(&mut self, local: u64, new_id: i64) {
        let mut was = None;
        for step in self.undo.iter_mut() {
            if let UndoStep::Added {
                local: l,
                id,
                was: w,
                ..
            } = step
                && *l == local
            {
                *id = Some(new_id);
                was = w.take();
            }
        }
        if let Some(old) = was {
            for step in self.undo.iter_mut().chain(self.redo.iter_mut()) {
                step.renumber(old, new_id);
            }
        }
    }
}

impl UndoStep {
    fn renumber(&mut self, old: i64, new: i64) {
        match self {
            UndoStep::Added { id: Some(id), .. }
            | UndoStep::Edited { id, .. }
            | UndoStep::Moved { id, .. }
            | UndoStep::Tagged { id, .. }
            | UndoStep::Voted { id, .. }
            | UndoStep::Grouped { id, .. }
            | UndoStep::Flagged { id, .. }
            | UndoStep::Answered { id, .. }
                if *id == old =>
            {
                *id = new
            }
            _ => {}
        }
    }
}

fn update(id: i64, c: &Content) -> Request {
    Request::UpdateNote {
        id,
        text: c.text.clone(),
        speaker: c.speaker.clone(),
        kind: c.kind,
    }
}

fn flags(id: i64, (special_category, criminal_offence): (bool, bool)) -> Request {
    Request::SetFlags {
        id,
        special_category,
        criminal_offence,
    }
}

fn group(id: i64, page: bool, value: &Option<String>) -> Request {
    if page {
        Request::SetPage(id, value.clone())
    } else {
        Request::SetCluster(id, value.clone())
    }
}

/// Ctrl+Z: takes back the newest note action.
pub fn undo(s: &mut State, reqs: &mut Vec<Request>) {
    let Some(e) = s.editor.as_mut() else { return };
    let Some(step) = e.undo.pop() else {
        s.message = Some("Nothing to undo in this session.".into());
        return;
    };
    let what = e.describe(&step);
    let undone = match &step {
        UndoStep::Added { id: None, .. } => {
            e.undo.push(step);
            s.message = Some("That note is still being saved: undo again in a moment.".into());
            return;
        }
        UndoStep::Added { id: Some(id), .. } => {
            reqs.push(Request::DeleteNote(*id));
            let UndoStep::Added { local, note, .. } = step.clone() else {
                return;
            };
            Some(UndoStep::Added {
                local,
                id: None,
                note,
                was: Some(*id),
            })
        }
        UndoStep::Edited {
            id, before, tagged, ..
        } => {
            reqs.push(update(*id, before));
            reqs.extend(tagged.iter().map(|t| Request::Untag(*id, t.clone())));
            None
        }
        UndoStep::Moved { id, up } => {
            reqs.push(Request::MoveNote { id: *id, up: !up });
            None
        }
        UndoStep::Tagged { id, theme } => {
            reqs.push(Request::Untag(*id, theme.clone()));
            None
        }
        UndoStep::Voted { id, delta } => {
            reqs.push(Request::Vote {
                id: *id,
                delta: -delta,
            });
            None
        }
        UndoStep::Grouped {
            id, page, before, ..
        } => {
            reqs.push(group(*id, *page, before));
            None
        }
        UndoStep::Flagged { id, before, .. } => {
            reqs.push(flags(*id, *before));
            None
        }
        UndoStep::Answered { id, before, .. } => {
            reqs.push(super::guide::answer(*id, *before));
            None
        }
        UndoStep::PaperDestroyed { session, .. } => {
            reqs.push(Request::PaperNotDestroyed(*session));
            None
        }
        UndoStep::ParticipantAdded { session, code, .. } => {
            reqs.push(Request::RemoveParticipant {
                session_id: *session,
                code: code.clone(),
            });
            None
        }
    };
    e.redo.push(undone.unwrap_or(step));
    s.message = Some(format!("Undone: {what}. Ctrl+Y does it again."));
}

/// Ctrl+Y (or Ctrl+Shift+Z): does again the action undone last.
pub fn redo(s: &mut State, reqs: &mut Vec<Request>) {
    let local = s.next_local();
    let Some(e) = s.editor.as_mut() else { return };
    let Some(step) = e.redo.pop() else {
        s.message = Some("Nothing to redo.".into());
        return;
    };
    let what = e.describe(&step);
    let step = match step {
        UndoStep::Added { note, was, .. } => {
            reqs.push(Request::RestoreNote {
                local,
                note: (*note).clone(),
            });
            s.pending_saves += 1;
            UndoStep::Added {
                local,
                id: None,
                note,
                was,
            }
        }
        UndoStep::ParticipantAdded {
            session,
            code,
            person: Some(person),
        } => {
            reqs.push(Request::AddParticipant {
                session_id: session,
                participant: NewParticipant {
                    pseudonym: Some(code.clone()),
                    ..(*person).clone()
                },
            });
            // on the undo stack already, so the reply does not record it again (and clear
            // what is left to redo)
            UndoStep::ParticipantAdded {
                session,
                code,
                person: Some(person),
            }
        }
        UndoStep::ParticipantAdded { code, .. } => {
            s.message = Some(format!(
                "Participant {code} cannot be added again from here: add them with Ctrl+P."
            ));
            return;
        }
        step => {
            match &step {
                UndoStep::Edited {
                    id, after, tagged, ..
                } => {
                    reqs.push(update(*id, after));
                    reqs.extend(tagged.iter().map(|t| Request::Tag(*id, t.clone())));
                }
                UndoStep::Moved { id, up } => reqs.push(Request::MoveNote { id: *id, up: *up }),
                UndoStep::Tagged { id, theme } => reqs.push(Request::Tag(*id, theme.clone())),
                UndoStep::Voted { id, delta } => reqs.push(Request::Vote {
                    id: *id,
                    delta: *delta,
                }),
                UndoStep::Grouped {
                    id, page, after, ..
                } => reqs.push(group(*id, *page, after)),
                UndoStep::Flagged { id, after, .. } => reqs.push(flags(*id, *after)),
                UndoStep::Answered { id, after, .. } => {
                    reqs.push(super::guide::answer(*id, *after))
                }
                UndoStep::PaperDestroyed { session, on } => {
                    reqs.push(Request::PaperDestroyedOn(*session, on.clone()))
                }
                UndoStep::Added { .. } | UndoStep::ParticipantAdded { .. } => {}
            }
            step
        }
    };
    e.undo.push(step);
    s.message = Some(format!("Redone: {what}."));
}
