//! Saving what is typed: a new note, or the edit of a saved one.

use super::*;

pub(super) fn save_edit(s: &mut State, reqs: &mut Vec<Request>) {
    let Some(e) = s.editor.as_mut() else { return };
    let Some((id, aside)) = e.editing.take() else {
        return;
    };
    let Some(old) = e
        .notes
        .iter()
        .find(|r| r.note.id == id)
        .map(|r| r.note.clone())
    else {
        return;
    };
    let (text, themes) = split_tags(&e.text());
    if text.is_empty() {
        e.editing = Some((id, aside));
        s.message = Some("A note cannot be made empty.".into());
        return;
    }
    let after = Content {
        text,
        speaker: e.speaker_code(),
        kind: e.kind,
    };
    let tagged: Vec<String> = themes
        .into_iter()
        .filter(|t| !old.themes.iter().any(|x| x.eq_ignore_ascii_case(t)))
        .collect();
    reqs.push(Request::UpdateNote {
        id,
        text: after.text.clone(),
        speaker: after.speaker.clone(),
        kind: after.kind,
    });
    for t in &tagged {
        reqs.push(Request::Tag(id, t.clone()));
    }
    e.did(UndoStep::Edited {
        id,
        before: Content {
            text: old.text,
            speaker: old.speaker,
            kind: old.kind,
        },
        after,
        tagged,
    });
    e.input = new_input();
    e.input.insert_str(aside);
    e.selected = None;
    e.scroll = 0;
    if !e.keep_kind {
        e.kind = e.default_kind();
    }
}

pub(super) fn commit_note(s: &mut State, reqs: &mut Vec<Request>) {
    let local = s.next_local();
    let Some(e) = s.editor.as_mut() else { return };
    let (text, themes) = split_tags(&e.text());
    if text.is_empty() {
        return;
    }
    let now = fieldnotes::app::Clock::now_ms(&fieldnotes::app::SystemClock::local());
    let paper = e.session.source == Source::Paper;
    let (cluster, page) = if paper {
        (None, e.group.clone())
    } else {
        (e.group.clone(), None)
    };
    let note = NewNote {
        session_id: e.session.id,
        speaker: e.speaker_code(),
        kind: e.kind,
        text: text.clone(),
        special_category: e.special,
        criminal_offence: e.criminal,
        themes: themes.clone(),
        at_ms: now,
        cluster: cluster.clone(),
        page: page.clone(),
        question_id: e.guide.current_id(),
    };
    for t in &themes {
        if !e.themes.iter().any(|x| x.eq_ignore_ascii_case(t)) {
            e.themes.push(t.clone());
        }
    }
    let offset_ms = e
        .session
        .started_at_ms
        .map(|st| (now - st).max(0))
        .or(Some(0))
        .filter(|_| !paper);
    e.notes.push(NoteRow {
        pending: Some(local),
        note: Note {
            id: 0,
            session_id: e.session.id,
            position: e.notes.len() as i64 + 1,
            created_at_ms: now,
            offset_ms,
            speaker: note.speaker.clone(),
            kind: e.kind,
            text,
            special_category: e.special,
            criminal_offence: e.criminal,
            themes,
            cluster,
            votes: 0,
            page,
            question_id: note.question_id,
        },
    });
    e.recount_guide();
    if e.session.started_at_ms.is_none() && !paper {
        e.session.started_at_ms = Some(now);
    }
    e.did(UndoStep::Added {
        local,
        id: None,
        note: Box::new(note.clone()),
        was: None,
    });
    if !e.keep_kind {
        // a quote is one sentence, not the rest of the interview
        e.kind = e.default_kind();
    }
    // sensitivity is a property of one note: the next starts unmarked
    e.special = false;
    e.criminal = false;
    e.input = new_input();
    e.scroll = 0;
    e.selected = None;
    // the current question stays with the draft once the note has taken its text
    e.dirty = e.guide.current_id().is_some();
    s.pending_saves += 1;
    reqs.push(Request::SaveNote { local, note });
}
