//! The note editor of one session: live interviews, paper transcription and workshops. Its
//! state and keys are here, its drawing in `draw`.

mod commit;
mod draw;
mod guide;
mod guide_draw;
mod ideas;
mod prompts;
mod replies;
mod speakers;
mod tags;
mod undo;

use commit::{commit_note, save_edit};
pub use prompts::on_prompt;

pub use draw::draw;
pub use guide::{GuidePanel, on_loaded as guide_loaded};
pub use replies::on_reply;
use tags::{at_end, complete_theme};
pub use tags::{split_tags, theme_completion};
pub use undo::{Content, UndoStep};

use crossterm::event::KeyEvent;
use ratatui::style::{Modifier, Style};
use ratatui_textarea::{TextArea, WrapMode};

use super::prompt::{Prompt, PromptFor};
use crate::tui::app::{Screen, State, flush_draft};
use crate::tui::keys::Action;
use crate::tui::worker::{OpenedSession, Request};
use fieldnotes::app::{Draft, NewNote};
use fieldnotes::model::{Note, NoteKind, Participant, Session, SessionKind, Source};

/// A note on screen: saved (with its id) or on its way to the vault.
#[derive(Debug, Clone)]
pub struct NoteRow {
    /// Local id until the worker confirms it.
    pub pending: Option<u64>,
    /// The note (id 0 while pending).
    pub note: Note,
}

/// The editor of one session.
pub struct Editor {
    /// The session.
    pub session: Session,
    /// Its notes, in order.
    pub notes: Vec<NoteRow>,
    /// Its participants.
    pub participants: Vec<Participant>,
    /// Selected speaker: index into [`Editor::speakers`], or none.
    pub speaker: Option<usize>,
    /// Selected kind for the next note.
    pub kind: NoteKind,
    /// The text being typed.
    pub input: TextArea<'static>,
    /// Themes of the project (for completion and the palette).
    pub themes: Vec<String>,
    /// Notes scrolled up from the end.
    pub scroll: usize,
    /// Draft changed since last saved.
    pub dirty: bool,
    /// When the draft was last sent (ms).
    pub draft_sent_ms: i64,
    /// The selected earlier note (index into `notes`).
    pub selected: Option<usize>,
    /// The note being edited (its id), with the draft put aside.
    pub editing: Option<(i64, String)>,
    /// Note actions to undo, newest last.
    pub undo: Vec<UndoStep>,
    /// Note actions undone, to redo, the last undone last.
    pub redo: Vec<UndoStep>,
    /// The kind chosen stays for the following notes (else each note starts with the
    /// session's default kind).
    pub keep_kind: bool,
    /// The participant the form is registering, so that undoing it can be redone.
    pub adding: Option<fieldnotes::app::NewParticipant>,
    /// Workshop: ideas sorted by votes.
    pub by_priority: bool,
    /// Workshop: cluster for new ideas. Paper: page for new notes.
    pub group: Option<String>,
    /// The note being typed holds special category data.
    pub special: bool,
    /// The note being typed holds criminal-offence data.
    pub criminal: bool,
    /// Workshop: ideas shown under their cluster's heading.
    pub by_cluster: bool,
    /// Workshop, sorted or grouped: ideas scrolled off the top of the list.
    pub top: usize,
    /// Memos on the session and its notes.
    pub memos: Vec<fieldnotes::app::Memo>,
    /// The topic guide the session follows, and the current question.
    pub guide: GuidePanel,
}

impl Editor {
    /// Opens a session the worker loaded.
    pub fn open(o: OpenedSession) -> (Self, bool) {
        let OpenedSession {
            session,
            notes,
            participants,
            draft,
            themes,
            ..
        } = o;
        let default_kind = fieldnotes::app::notes::default_kind(session.kind);
        let mut e = Editor {
            notes: notes
                .into_iter()
                .map(|note| NoteRow {
                    pending: None,
                    note,
                })
                .collect(),
            participants,
            speaker: None,
            kind: default_kind,
            input: new_input(),
            themes,
            scroll: 0,
            dirty: false,
            draft_sent_ms: 0,
            selected: None,
            editing: None,
            undo: Vec::new(),
            redo: Vec::new(),
            keep_kind: false,
            adding: None,
            by_priority: false,
            group: None,
            special: false,
            criminal: false,
            by_cluster: false,
            top: 0,
            memos: Vec::new(),
            guide: GuidePanel::default(),
            session,
        };
        // a draft may hold only the current question, with nothing typed
        let restored = draft.as_ref().is_some_and(|d| !d.text.trim().is_empty());
        // a paper transcription goes on from the page its last note was typed from
        if e.session.source == fieldnotes::model::Source::Paper {
            e.group = e.notes.last().and_then(|r| r.note.page.clone());
        }
        e.speaker = e.interviewer();
        if let Some(d) = draft {
            e.guide.restore = d.question_id;
            e.input.insert_str(&d.text);
            e.speaker = d
                .speaker
                .and_then(|c| e.speakers().iter().position(|x| *x == c));
            e.kind = d.kind.unwrap_or(default_kind);
        }
        (e, restored)
    }

    /// Speaker codes: facilitators F1…, then participants' pseudonyms.
    pub fn speakers(&self) -> Vec<String> {
        // facilitators first: Alt+1 is the interviewer all session long, and a participant
        // added mid-interview takes the next number without moving anyone else's
        let mut v: Vec<String> = (1..=self.session.facilitators.len())
            .map(|i| format!("F{i}"))
            .collect();
        v.extend(self.participants.iter().map(|p| p.pseudonym.clone()));
        v
    }

    /// The selected speaker's code.
    pub fn speaker_code(&self) -> Option<String> {
        self.speaker.and_then(|i| self.speakers().get(i).cloned())
    }

    /// The role shown next to a speaker (never the real name).
    pub fn speaker_role(&self, code: &str) -> Option<String> {
        if let Some(p) = self.participants.iter().find(|p| p.pseudonym == code) {
            return p.role.clone();
        }
        code.starts_with('F').then(|| "facilitator".to_owned())
    }

    /// The text being typed.
    pub fn text(&self) -> String {
        self.input.lines().join("\n")
    }

    /// Indices of `notes` in display order: as written, or (workshop) most votes first, ties
    /// as written, and under cluster headings when grouped.
    pub fn display_order(&self) -> Vec<usize> {
        ideas::order(self)
    }

    /// Ideas are listed from the top (sorted by votes or grouped by cluster) rather than
    /// from the newest note up.
    pub fn ranked(&self) -> bool {
        self.session.kind == SessionKind::Workshop && (self.by_priority || self.by_cluster)
    }

    /// The draft to save, unless a note is being edited (then the put-aside draft).
    pub fn draft(&self) -> Draft {
        let text = match &self.editing {
            Some((_, aside)) => aside.clone(),
            None => self.text(),
        };
        Draft {
            session_id: self.session.id,
            text,
            speaker: self.speaker_code(),
            kind: Some(self.kind),
            question_id: self.guide.current_id(),
        }
    }

    /// Selects a note by id and scrolls to it.
    pub fn select_note(&mut self, id: i64) {
        if let Some(i) = self.notes.iter().position(|r| r.note.id == id) {
            self.selected = Some(i);
            self.scroll = 0;
        }
    }

    /// The kind each new note starts with.
    pub fn default_kind(&self) -> NoteKind {
        fieldnotes::app::notes::default_kind(self.session.kind)
    }

    fn selected_note(&self) -> Option<&Note> {
        self.selected
            .and_then(|i| self.notes.get(i))
            .filter(|r| r.pending.is_none())
            .map(|r| &r.note)
    }
}

/// An empty note input.
pub fn new_input() -> TextArea<'static> {
    let mut t = TextArea::default();
    t.set_wrap_mode(WrapMode::WordOrGlyph);
    // no colour of the widget's own (its defaults are a blue selection and a grey hint), so
    // NO_COLOR and high contrast hold in the editor too
    t.set_selection_style(Style::new().add_modifier(Modifier::REVERSED));
    t.set_placeholder_style(Style::new().add_modifier(Modifier::DIM));
    t.set_placeholder_text(
        "Type the note; Enter saves it, Alt+Enter starts a new line, #theme tags it",
    );
    t
}

const KINDS: [NoteKind; 4] = [
    NoteKind::Verbatim,
    NoteKind::Paraphrase,
    NoteKind::Observation,
    NoteKind::Idea,
];

/// Handles a key in the editor (after global actions): its action, with the key's place in
/// the action's list (the n-th `speaker` key picks speaker n); anything else is typed.
/// Before a lock: an edit in progress is saved as it stands, since the lock drops it from
/// memory and nothing typed may be lost. Says whether there was one to save.
pub fn save_edit_before_lock(s: &mut State, reqs: &mut Vec<Request>) -> bool {
    if s.editor.as_ref().is_none_or(|e| e.editing.is_none()) {
        return false;
    }
    save_edit(s, reqs);
    match s.editor.as_mut() {
        // an edit emptied to nothing is not saved (a note is never made empty)
        Some(e) if e.editing.is_some() => false,
        Some(e) => {
            // the put-aside new note is back in the input: it goes to the draft too
            e.dirty = true;
            true
        }
        None => false,
    }
}

pub fn on_key(s: &mut State, found: Option<(Action, usize)>, k: KeyEvent, reqs: &mut Vec<Request>) {
    // key maps fold Shift into Ctrl+letter; where the terminal reports it, Ctrl+Shift+Z
    // is redo, as in most editors
    let shifted_z = matches!(k.code, crossterm::event::KeyCode::Char('Z'))
        || k.modifiers.contains(crossterm::event::KeyModifiers::SHIFT);
    let found = match found {
        Some((Action::UndoNote, n)) if shifted_z => Some((Action::RedoNote, n)),
        f => f,
    };
    if let Some((a, nth)) = found
        && (on_action(s, a, reqs)
            || guide::on_action(s, a, reqs)
            || on_typing_action(s, a, nth, reqs))
    {
        return;
    }
    let Some(e) = s.editor.as_mut() else { return };
    if e.input.input(k) {
        e.dirty = e.editing.is_none() || e.dirty;
    }
}

/// Actions about the text being typed; false when one does not apply (the key is then typed).
fn on_typing_action(s: &mut State, a: Action, nth: usize, reqs: &mut Vec<Request>) -> bool {
    let Some(e) = s.editor.as_mut() else {
        return false;
    };
    let n = e.speakers().len();
    match a {
        Action::Back if e.editing.is_some() => {
            if let Some((_, aside)) = e.editing.take() {
                e.input = new_input();
                e.input.insert_str(aside);
            }
            s.message = Some("Edit cancelled.".into());
        }
        Action::Back if e.selected.is_some() => e.selected = None,
        Action::Back => {
            flush_draft(s, reqs, i64::MAX);
            s.screen = Screen::Sessions;
            if let Some(p) = s.project.clone() {
                reqs.push(Request::Sessions(p));
            }
        }
        Action::SaveNote if e.editing.is_some() => save_edit(s, reqs),
        Action::SaveNote => commit_note(s, reqs),
        Action::Speaker | Action::NoSpeaker => {
            let i = if a == Action::Speaker { nth + 1 } else { 0 };
            e.speaker = if i == 0 || i > n { None } else { Some(i - 1) };
            e.dirty = true;
        }
        Action::ScrollUp if e.ranked() => e.top = e.top.saturating_sub(5),
        Action::ScrollDown if e.ranked() => {
            e.top = (e.top + 5).min(e.notes.len().saturating_sub(1))
        }
        Action::ScrollUp => e.scroll = (e.scroll + 5).min(e.notes.len()),
        Action::ScrollDown => e.scroll = e.scroll.saturating_sub(5),
        Action::CompleteTheme if at_end(&e.input) && complete_theme(e) => e.dirty = true,
        Action::NewLine => {
            e.input.insert_newline();
            e.dirty = true;
        }
        Action::UndoTyping | Action::RedoTyping => {
            let changed = if a == Action::UndoTyping {
                e.input.undo()
            } else {
                e.input.redo()
            };
            if changed {
                e.dirty = e.editing.is_none() || e.dirty;
            }
        }
        _ => return false,
    }
    true
}

/// Editor actions; false when the action does not apply here (the key is then typed).
fn on_action(s: &mut State, a: Action, reqs: &mut Vec<Request>) -> bool {
    let Some(e) = s.editor.as_mut() else {
        return false;
    };
    let workshop = e.session.kind == SessionKind::Workshop;
    let paper = e.session.source == Source::Paper;
    match a {
        Action::NextSpeaker | Action::PrevSpeaker => {
            e.speaker = speakers::cycle(e, a == Action::NextSpeaker);
            e.dirty = true;
        }
        Action::CycleKind => {
            let i = KINDS.iter().position(|x| *x == e.kind).unwrap_or(0);
            e.kind = KINDS[(i + 1) % KINDS.len()];
            e.dirty = true;
        }
        Action::AddParticipant if e.session.kind == SessionKind::Review => {
            // the people a record review's records are about: no consent is asked
            s.form = Some(super::form::Form::subject(e.session.id));
        }
        Action::AddParticipant => {
            let today = fieldnotes::app::Clock::today(&fieldnotes::app::SystemClock::local());
            s.form = Some(super::form::Form::participant(e.session.id, &today));
        }
        Action::SelectPrev | Action::SelectNext => select(e, a == Action::SelectPrev),
        Action::EditNote => {
            let Some(note) = e.selected_note().cloned() else {
                s.message = Some("Select a note first (Alt+↑).".into());
                return true;
            };
            let aside = std::mem::replace(&mut e.input, new_input());
            let aside = aside.lines().join("\n");
            e.input.insert_str(&note.text);
            e.speaker = note
                .speaker
                .as_ref()
                .and_then(|c| e.speakers().iter().position(|x| x == c));
            e.kind = note.kind;
            e.editing = Some((note.id, aside));
        }
        Action::MoveUp | Action::MoveDown => {
            let Some(id) = e.selected_note().map(|n| n.id) else {
                return true;
            };
            let up = a == Action::MoveUp;
            // a note already first (or last) stays put: nothing to undo then
            let saved: Vec<i64> = e
                .notes
                .iter()
                .filter(|r| r.pending.is_none())
                .map(|r| r.note.id)
                .collect();
            let at_end = if up {
                saved.first() == Some(&id)
            } else {
                saved.last() == Some(&id)
            };
            if at_end {
                s.message = Some(format!(
                    "That note is already the {} in this session.",
                    if up { "first" } else { "last" }
                ));
                return true;
            }
            e.did(UndoStep::Moved { id, up });
            reqs.push(Request::MoveNote { id, up });
        }
        Action::UndoNote => undo::undo(s, reqs),
        Action::RedoNote => undo::redo(s, reqs),
        Action::KindVerbatim | Action::KindParaphrase | Action::KindObservation => {
            let kind = match a {
                Action::KindVerbatim => NoteKind::Verbatim,
                Action::KindParaphrase => NoteKind::Paraphrase,
                _ => NoteKind::Observation,
            };
            choose_kind(s, kind, reqs);
        }
        Action::KindIdea if workshop => choose_kind(s, NoteKind::Idea, reqs),
        Action::KeepKind => {
            e.keep_kind = !e.keep_kind;
            s.message = Some(if e.keep_kind {
                format!("The kind stays {} for the following notes.", e.kind)
            } else {
                format!(
                    "Each note starts as {} again after it is saved.",
                    e.default_kind()
                )
            });
        }
        Action::ThemePalette => {
            let target = if e.selected_note().is_some() {
                "the selected note"
            } else {
                "this note"
            };
            s.prompt = Some(Prompt::with_choices(
                PromptFor::Theme,
                &format!("Theme for {target}: type to filter"),
                e.themes.clone(),
            ));
        }
        Action::VoteUp | Action::VoteDown if workshop => {
            let Some(id) = e.selected_note().map(|n| n.id) else {
                s.message = Some("Select an idea first (Alt+↑).".into());
                return true;
            };
            let delta = if a == Action::VoteUp { 1 } else { -1 };
            if delta < 0 && e.selected_note().is_some_and(|n| n.votes == 0) {
                s.message = Some("That idea has no votes to take back.".into());
                return true;
            }
            e.did(UndoStep::Voted { id, delta });
            reqs.push(Request::Vote { id, delta });
        }
        Action::SortByPriority if workshop => {
            e.by_priority = !e.by_priority;
            e.selected = None;
            e.scroll = 0;
            e.top = 0;
            s.message = Some(ideas::view_message(e).into());
        }
        Action::GroupByCluster if workshop => {
            e.by_cluster = !e.by_cluster;
            e.selected = None;
            e.scroll = 0;
            e.top = 0;
            s.message = Some(ideas::view_message(e).into());
        }
        Action::PersonMentioned => {
            s.prompt = Some(Prompt::new(
                PromptFor::PersonMentioned,
                "Name of a person mentioned",
            ));
        }
        Action::Memo => {
            let (note, label) = match e.selected_note() {
                Some(n) => (Some(n.id), "Memo on the selected note"),
                None => (None, "Memo on this session"),
            };
            if e.selected.is_some() && note.is_none() {
                s.message = Some("Wait until the note is saved, then write its memo.".into());
                return true;
            }
            s.prompt = Some(Prompt::new(PromptFor::Memo(note), label));
        }
        Action::Group if workshop || paper => {
            let label = match (workshop, e.selected_note().is_some()) {
                (true, true) => "Cluster for the selected idea (empty: none)",
                (true, false) => "Cluster for the next ideas (empty: none)",
                (false, true) => "Page of the paper original for the selected note",
                (false, false) => "Page of the paper original you are typing from",
            };
            s.prompt = Some(Prompt::new(PromptFor::Group, label));
        }
        Action::FlagSpecial | Action::FlagCriminal => {
            let special = a == Action::FlagSpecial;
            let what = if special {
                "special category data"
            } else {
                "criminal-offence data"
            };
            match (e.selected, e.selected_note().cloned()) {
                (Some(_), Some(note)) => {
                    let (sc, co) = if special {
                        (!note.special_category, note.criminal_offence)
                    } else {
                        (note.special_category, !note.criminal_offence)
                    };
                    reqs.push(Request::SetFlags {
                        id: note.id,
                        special_category: sc,
                        criminal_offence: co,
                    });
                    e.did(UndoStep::Flagged {
                        id: note.id,
                        before: (note.special_category, note.criminal_offence),
                        after: (sc, co),
                    });
                    let on = if special { sc } else { co };
                    s.message = Some(format!(
                        "The selected note {} {what}.",
                        if on {
                            "is marked as holding"
                        } else {
                            "no longer holds"
                        }
                    ));
                }
                (Some(_), None) => {
                    s.message = Some("Wait until the note is saved, then flag it.".into())
                }
                (None, _) => {
                    let flag = if special {
                        &mut e.special
                    } else {
                        &mut e.criminal
                    };
                    *flag = !*flag;
                    s.message = Some(format!(
                        "The note you are typing {} {what}.",
                        if *flag {
                            "will be marked as holding"
                        } else {
                            "will not be marked as holding"
                        }
                    ));
                }
            }
        }
        Action::PaperDestroyed if paper => {
            // a stray Alt+D mid-typing must not record, and audit, something that did not
            // happen: it asks first, naming the session and the date it would record
            if let Some(d) = &e.session.paper.destroyed_on {
                s.message = Some(format!(
                    "Already recorded: the paper original was destroyed on {d} (Ctrl+Z takes it back)."
                ));
                return true;
            }
            let today = fieldnotes::app::Clock::today(&fieldnotes::app::SystemClock::local());
            let title = fieldnotes::text::for_terminal(&e.session.title, false);
            s.prompt = Some(Prompt::new(
                PromptFor::PaperDestroyed(today.clone()),
                &format!("Paper original destroyed today, {today}? y/n — “{title}”"),
            ));
        }
        _ => return false,
    }
    true
}

/// A kind key: on a selected note, changes its kind (an undoable edit); else sets the kind
/// of the note being typed, or, pressed again, puts back the session's default.
fn choose_kind(s: &mut State, kind: NoteKind, reqs: &mut Vec<Request>) {
    let Some(e) = s.editor.as_mut() else { return };
    if e.editing.is_none()
        && let Some(n) = e.selected_note().cloned()
    {
        if n.kind != kind {
            let before = Content {
                text: n.text.clone(),
                speaker: n.speaker.clone(),
                kind: n.kind,
            };
            let after = Content {
                kind,
                ..before.clone()
            };
            reqs.push(Request::UpdateNote {
                id: n.id,
                text: n.text,
                speaker: n.speaker,
                kind,
            });
            e.did(UndoStep::Edited {
                id: n.id,
                before,
                after,
                tagged: Vec::new(),
            });
        }
        s.message = Some(format!("The selected note is now {kind}."));
        return;
    }
    if e.selected.is_some() && e.editing.is_none() {
        s.message = Some("Wait until the note is saved, then change its kind.".into());
        return;
    }
    e.kind = if e.kind == kind && kind != e.default_kind() {
        e.default_kind()
    } else {
        kind
    };
    e.dirty = true;
}

fn select(e: &mut Editor, up: bool) {
    if e.ranked() {
        return ideas::select(e, up);
    }
    let order = e.display_order();
    let pos = e.selected.and_then(|i| order.iter().position(|&x| x == i));
    let next = match (pos, up) {
        (None, true) => order.len().checked_sub(1),
        (None, false) => None,
        (Some(p), true) => Some(p.saturating_sub(1)),
        (Some(p), false) if p + 1 < order.len() => Some(p + 1),
        (Some(_), false) => None,
    };
    e.selected = next.map(|p| order[p]);
    // the view follows the selection (drawing keeps it on screen with the notes after it)
    e.scroll = 0;
}

#[cfg(test)]
mod tests {
    use super::super::table::{c, check, k, m};
    use crate::tui::keys::{Action, Section};
    use crossterm::event::{KeyCode, KeyModifiers};

    #[test]
    fn editor_keys() {
        let (ctrl, alt, shift) = (
            KeyModifiers::CONTROL,
            KeyModifiers::ALT,
            KeyModifiers::SHIFT,
        );
        check(
            Section::Editor,
            &[
                (k(KeyCode::Enter), Some(Action::SaveNote)),
                (m(KeyCode::Enter, alt), Some(Action::NewLine)),
                (m(KeyCode::Enter, shift), Some(Action::NewLine)),
                (k(KeyCode::Esc), Some(Action::Back)),
                (k(KeyCode::Tab), Some(Action::NextSpeaker)),
                (m(KeyCode::BackTab, shift), Some(Action::PrevSpeaker)),
                (m(KeyCode::Char('1'), alt), Some(Action::Speaker)),
                (m(KeyCode::Char('9'), alt), Some(Action::Speaker)),
                (m(KeyCode::Char('0'), alt), Some(Action::NoSpeaker)),
                (m(KeyCode::Char('k'), ctrl), Some(Action::CycleKind)),
                (m(KeyCode::Char('p'), ctrl), Some(Action::AddParticipant)),
                (k(KeyCode::Right), Some(Action::CompleteTheme)),
                (m(KeyCode::Char('t'), ctrl), Some(Action::ThemePalette)),
                (m(KeyCode::Up, alt), Some(Action::SelectPrev)),
                (m(KeyCode::Down, alt), Some(Action::SelectNext)),
                (m(KeyCode::Char('e'), ctrl), Some(Action::EditNote)),
                (m(KeyCode::Up, ctrl), Some(Action::MoveUp)),
                (m(KeyCode::Down, ctrl), Some(Action::MoveDown)),
                (m(KeyCode::Char('z'), ctrl), Some(Action::UndoNote)),
                (m(KeyCode::Char('u'), ctrl), Some(Action::UndoTyping)),
                (m(KeyCode::Char('r'), ctrl), Some(Action::RedoTyping)),
                (k(KeyCode::PageUp), Some(Action::ScrollUp)),
                (k(KeyCode::PageDown), Some(Action::ScrollDown)),
                (m(KeyCode::Char('='), alt), Some(Action::VoteUp)),
                (m(KeyCode::Char('-'), alt), Some(Action::VoteDown)),
                (m(KeyCode::Char('g'), ctrl), Some(Action::Group)),
                (m(KeyCode::Char('o'), ctrl), Some(Action::SortByPriority)),
                (m(KeyCode::Char('d'), alt), Some(Action::PaperDestroyed)),
                (m(KeyCode::Char('s'), alt), Some(Action::FlagSpecial)),
                (m(KeyCode::Char('c'), alt), Some(Action::FlagCriminal)),
                // typed into the note
                (c('?'), None),
                (c('x'), None),
                (k(KeyCode::Up), None),
            ],
        );
    }
}
