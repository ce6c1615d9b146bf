//! The topic guide beside the editor: the session's questions, which are covered, and the
//! current one, that a note saved with Enter answers. Its state is kept here; the worker
//! loads the guide when the session opens, and coverage is counted from the session's notes
//! in memory whenever they change, never while drawing.

use super::{Editor, NoteRow, UndoStep};
use crate::tui::app::State;
use crate::tui::keys::Action;
use crate::tui::worker::{GuideRequest, Request};
use fieldnotes::model::GuideVersion;

/// Below this width the guide is one line above the note box rather than a panel beside it:
/// at 80 columns a panel would leave the notes too narrow to read.
pub const PANEL_MIN_WIDTH: u16 = 100;

/// The guide the open session follows, and where the interview is in it.
#[derive(Debug, Clone, Default)]
pub struct GuidePanel {
    /// The worker has answered (before that nothing is shown).
    pub loaded: bool,
    /// The guide version the session follows (`None`: its project has none).
    pub version: Option<GuideVersion>,
    /// Notes answering each question, in the guide's order.
    pub counts: Vec<usize>,
    /// The current question (index into the version's questions).
    pub current: usize,
    /// Shown or hidden by the toggle key (`None`: shown when there is a guide).
    pub shown: Option<bool>,
    /// The question the draft had when the session opened, to go back to.
    pub restore: Option<i64>,
}

impl GuidePanel {
    /// Whether the guide (or the note saying how to add one) is on screen.
    pub fn visible(&self) -> bool {
        self.loaded
            && self.shown.unwrap_or_else(|| {
                self.version
                    .as_ref()
                    .is_some_and(|v| !v.questions.is_empty())
            })
    }

    /// The current question's id.
    pub fn current_id(&self) -> Option<i64> {
        self.version
            .as_ref()
            .and_then(|v| v.questions.get(self.current))
            .map(|q| q.id)
    }

    /// The question number (1-based) of a question id, for the note list's marker.
    pub fn number_of(&self, question: i64) -> Option<i64> {
        self.version
            .as_ref()?
            .questions
            .iter()
            .find(|q| q.id == question)
            .map(|q| q.position)
    }

    /// Counts the notes answering each question.
    pub fn recount(&mut self, notes: &[NoteRow]) {
        let Some(v) = &self.version else {
            self.counts.clear();
            return;
        };
        self.counts = vec![0; v.questions.len()];
        for r in notes {
            if let Some(q) = r.note.question_id
                && let Some(i) = v.questions.iter().position(|x| x.id == q)
            {
                self.counts[i] += 1;
            }
        }
    }

    /// The guide arrived: the question the draft kept, else the first one not yet covered.
    pub fn loaded(&mut self, version: Option<GuideVersion>, notes: &[NoteRow]) {
        self.loaded = true;
        self.version = version;
        self.recount(notes);
        let kept = self.restore.take().and_then(|id| {
            self.version
                .as_ref()
                .and_then(|v| v.questions.iter().position(|q| q.id == id))
        });
        self.current = kept
            .or_else(|| self.counts.iter().position(|&n| n == 0))
            .unwrap_or(0);
    }

    fn len(&self) -> usize {
        self.version.as_ref().map_or(0, |v| v.questions.len())
    }
}

/// The worker's answer: the guide the session follows.
pub fn on_loaded(s: &mut State, session_id: i64, version: Option<GuideVersion>) {
    let Some(e) = s.editor.as_mut().filter(|e| e.session.id == session_id) else {
        return;
    };
    let kept = e.guide.restore;
    e.guide.loaded(version, &e.notes);
    // the draft learns the question the session starts at, unless it holds it already
    if e.guide.current_id() != kept {
        e.dirty = true;
    }
}

/// The guide's keys in the editor; false for any other action.
pub fn on_action(s: &mut State, a: Action, reqs: &mut Vec<Request>) -> bool {
    let Some(e) = s.editor.as_mut() else {
        return false;
    };
    match a {
        Action::ToggleGuide => {
            let shown = !e.guide.visible();
            e.guide.shown = Some(shown);
            if shown && e.guide.len() == 0 {
                s.message = Some(no_guide_hint().into());
            }
        }
        Action::NextQuestion | Action::PrevQuestion => {
            let n = e.guide.len();
            if n == 0 {
                s.message = Some(no_guide_hint().into());
                return true;
            }
            let g = &mut e.guide;
            g.current = if a == Action::NextQuestion {
                (g.current + 1).min(n - 1)
            } else {
                g.current.saturating_sub(1)
            };
            // moving through the questions brings the guide back if it was hidden
            if g.shown == Some(false) {
                g.shown = None;
            }
            e.dirty = true;
        }
        Action::LinkQuestion => link_selected(s, reqs),
        _ => return false,
    }
    true
}

/// What the panel says when the project has no guide.
pub fn no_guide_hint() -> &'static str {
    "No topic guide for this session's project: on the sessions screen press g to import or write one (or run `fieldnotes guide import FILE`)."
}

/// Links the selected note to the current question, or unlinks it if it already answers it.
fn link_selected(s: &mut State, reqs: &mut Vec<Request>) {
    let Some(e) = s.editor.as_mut() else { return };
    let Some(note) = e.selected_note().cloned() else {
        s.message = Some(if e.selected.is_some() {
            "Wait until the note is saved, then link it.".into()
        } else {
            "Select a note first (Alt+↑), then link it to the current question.".into()
        });
        return;
    };
    let Some(current) = e.guide.current_id() else {
        s.message = Some(no_guide_hint().into());
        return;
    };
    let after = if note.question_id == Some(current) {
        None
    } else {
        Some(current)
    };
    reqs.push(answer(note.id, after));
    e.did(UndoStep::Answered {
        id: note.id,
        before: note.question_id,
        after,
    });
    let name = format!("Note {}", note.position);
    s.message = Some(match after {
        Some(q) => format!(
            "{name} now answers Q{}. Ctrl+Z takes it back.",
            e.guide.number_of(q).unwrap_or(0)
        ),
        None => format!("{name} no longer answers a question. Ctrl+Z takes it back."),
    });
}

/// The request linking a note to a question (or to none).
pub fn answer(note: i64, question: Option<i64>) -> Request {
    Request::Guide(GuideRequest::Answer { note, question })
}

impl Editor {
    /// Counts coverage again after the notes changed.
    pub fn recount_guide(&mut self) {
        self.guide.recount(&self.notes);
    }
}
