//! The worker's answers about the open session: a session opened, notes saved, changed,
//! reloaded or refused, a participant added.

use super::{Editor, NoteRow, UndoStep, new_input};
use crate::tui::app::{Screen, State};
use crate::tui::worker::{OpenedSession, Reply};
use fieldnotes::model::{Note, Participant};

/// The session the worker opened: into the editor, at the note search found if any.
pub fn opened(s: &mut State, opened: OpenedSession) {
    s.busy = None;
    s.project = Some(opened.session.project.clone());
    s.form = None;
    let (mut ed, restored) = Editor::open(opened);
    if let Some(id) = s.focus_note.take() {
        ed.select_note(id);
    }
    if restored {
        s.message = Some("Restored the text you had not yet saved as a note.".into());
    }
    s.editor = Some(ed);
    s.screen = Screen::Editor;
}

/// A participant was registered: they become the speaker, and Ctrl+Z can take it back.
pub fn participant_added(s: &mut State, list: Vec<Participant>) {
    s.busy = None;
    s.form = None;
    if let Some(e) = s.editor.as_mut() {
        let code = list.last().map(|p| p.pseudonym.clone());
        let subject = list.last().is_some_and(|p| p.subject);
        e.participants = list;
        if let Some(c) = code {
            e.speaker = e.speakers().iter().position(|x| *x == c);
            let redone = matches!(e.undo.last(),
                Some(UndoStep::ParticipantAdded { code, .. }) if *code == c);
            if !redone {
                let person = e.adding.take().map(Box::new);
                e.did(UndoStep::ParticipantAdded {
                    session: e.session.id,
                    code: c.clone(),
                    person,
                });
            }
            s.message = Some(if subject {
                format!(
                    "Added {c}, a subject of the records (no consent asked: the project's lawful basis applies); they are now the speaker."
                )
            } else {
                format!("Added participant {c}; they are now the speaker.")
            });
        }
    }
}

/// The answer to undoing a participant added: removed, or kept because they already have
/// notes or other records (then the step goes back on the undo stack, undone it was not).
fn participant_removed(s: &mut State, code: String, removed: bool, list: Vec<Participant>) {
    let Some(e) = s.editor.as_mut() else { return };
    let speaker = e.speaker_code();
    e.participants = list;
    e.speaker = speaker.and_then(|c| e.speakers().iter().position(|x| *x == c));
    if removed {
        return;
    }
    if let Some(i) = e
        .redo
        .iter()
        .rposition(|u| matches!(u, UndoStep::ParticipantAdded { code: c, .. } if *c == code))
    {
        let step = e.redo.remove(i);
        e.undo.push(step);
    }
    s.message = Some(format!(
        "Participant {code} stays: they already have notes or other records. Undo their notes first, or keep {code}."
    ));
}

/// A reply about the open session's notes or record.
pub fn on_reply(s: &mut State, r: Reply) {
    on_note_reply(s, r);
    if let Some(e) = s.editor.as_mut() {
        e.recount_guide();
    }
}

fn on_note_reply(s: &mut State, r: Reply) {
    match r {
        Reply::Session(opened) => self::opened(s, *opened),
        Reply::ParticipantAdded(list) => participant_added(s, list),
        Reply::ParticipantRemoved {
            code,
            removed,
            list,
        } => participant_removed(s, code, removed, list),
        Reply::PersonAdded(code) => {
            s.busy = None;
            s.message = Some(format!(
                "Registered as {}: type their name as usual; exports show {0}.",
                fieldnotes::text::for_terminal(&code, false)
            ));
        }
        Reply::NoteSaved { local, note } => {
            s.pending_saves = s.pending_saves.saturating_sub(1);
            if let Some(e) = s.editor.as_mut() {
                note_saved(e, local, *note);
            }
        }
        Reply::NoteFailed {
            local,
            text,
            message,
        } => {
            s.pending_saves = s.pending_saves.saturating_sub(1);
            if let Some(e) = s.editor.as_mut() {
                note_failed(e, local, &text);
            }
            s.message = Some(format!(
                "Not saved, your text is back in the box: {message}"
            ));
        }
        Reply::NoteChanged(note) => {
            if let Some(e) = s.editor.as_mut() {
                note_changed(e, *note);
            }
        }
        Reply::Notes(notes) => {
            if let Some(e) = s.editor.as_mut() {
                notes_reloaded(e, notes);
            }
        }
        Reply::SessionChanged(session) => {
            if let Some(e) = s.editor.as_mut() {
                s.message = Some(match &session.paper.destroyed_on {
                    Some(d) => format!(
                        "Recorded: the paper original was destroyed on {d}. Ctrl+Z takes it back."
                    ),
                    None => "The paper original is no longer recorded as destroyed.".into(),
                });
                e.session = *session;
            }
        }
        _ => {}
    }
}

/// Puts a saved note in place of its pending row (or at the end, a note redo put back), and
/// records its id for undo.
fn note_saved(e: &mut Editor, local: u64, note: Note) {
    let id = note.id;
    match e.notes.iter_mut().find(|r| r.pending == Some(local)) {
        Some(row) => {
            *row = NoteRow {
                pending: None,
                note,
            }
        }
        None => e.notes.push(NoteRow {
            pending: None,
            note,
        }),
    }
    e.note_saved(local, id);
}

/// Replaces a changed note.
fn note_changed(e: &mut Editor, note: Note) {
    if let Some(row) = e.notes.iter_mut().find(|r| r.note.id == note.id) {
        row.note = note;
    }
}

/// Replaces the session's notes (after a move or delete), keeping the selection on the same note.
fn notes_reloaded(e: &mut Editor, notes: Vec<Note>) {
    let selected_id = e.selected.and_then(|i| e.notes.get(i)).map(|r| r.note.id);
    let pending: Vec<NoteRow> = e
        .notes
        .iter()
        .filter(|r| r.pending.is_some())
        .cloned()
        .collect();
    e.notes = notes
        .into_iter()
        .map(|note| NoteRow {
            pending: None,
            note,
        })
        .collect();
    e.notes.extend(pending);
    e.selected = selected_id.and_then(|id| e.notes.iter().position(|r| r.note.id == id));
}

/// A note the vault refused (a full disk, say): drop its pending row and put its text back
/// in front of whatever is being typed, so nothing is lost.
fn note_failed(e: &mut Editor, local: u64, text: &str) {
    e.notes.retain(|r| r.pending != Some(local));
    e.undo
        .retain(|u| !matches!(u, UndoStep::Added { local: l, .. } if *l == local));
    let current = e.text();
    e.input = new_input();
    if current.trim().is_empty() {
        e.input.insert_str(text);
    } else {
        e.input.insert_str(format!("{text}\n{current}"));
    }
    e.dirty = true;
}
