//! The live editor as a researcher uses it mid-interview: an earlier note selected in its
//! context, `#tags` that keep their words, one undo stack with redo over every note action,
//! a question before recording a paper original destroyed, and direct keys for note kinds.

use super::*;

fn paper() -> State {
    let mut s = unlocked();
    let mut p = session();
    p.source = Source::Paper;
    p.title = "Notes from 3 March".into();
    update(
        &mut s,
        Msg::Worker(Reply::Session(Box::new(OpenedSession {
            tags: Vec::new(),
            session: p,
            notes: vec![note(1, None, NoteKind::Observation, "long queue", &[])],
            participants: vec![],
            draft: None,
            themes: vec![],
        }))),
    );
    s
}

fn saved(s: &mut State, local: u64, id: i64, text: &str) {
    update(
        s,
        Msg::Worker(Reply::NoteSaved {
            local,
            note: Box::new(note(id, None, NoteKind::Paraphrase, text, &[])),
        }),
    );
}

fn local_of(reqs: &[Request]) -> u64 {
    match reqs {
        [Request::SaveNote { local, .. }] | [Request::RestoreNote { local, .. }] => *local,
        other => panic!("expected a save, got {} requests", other.len()),
    }
}

#[test]
fn selecting_an_earlier_note_keeps_the_notes_after_it_on_screen() {
    let mut s = in_editor();
    for _ in 0..3 {
        update(&mut s, alt_key(KeyCode::Up));
    }
    assert_eq!(s.editor.as_ref().unwrap().selected, Some(0));
    for (w, h) in [(80, 24), (140, 40)] {
        let out = render(&s, w, h);
        assert!(out.contains("▶ "), "the selection shows:\n{out}");
        assert!(
            out.contains("I waited four hours") && out.contains("Desk closed at 16:30"),
            "the notes after the selection vanished at {w}×{h}:\n{out}"
        );
        assert!(out.contains("Security staff"), "{out}");
    }
}

#[test]
fn in_a_long_session_the_selection_is_shown_whole_with_what_follows() {
    let mut s = in_editor();
    if let Some(e) = s.editor.as_mut() {
        let n = e.notes[0].note.clone();
        e.notes = (1..=40)
            .map(|i| crate::tui::screens::editor::NoteRow {
                pending: None,
                note: Note {
                    id: i,
                    position: i,
                    text: format!("note number {i}"),
                    ..n.clone()
                },
            })
            .collect();
    }
    for _ in 0..30 {
        update(&mut s, alt_key(KeyCode::Up));
    }
    let out = render(&s, 80, 24);
    assert!(out.contains("note number 11"), "{out}");
    assert!(
        out.contains("note number 12"),
        "the notes after it fill the screen:\n{out}"
    );
    assert!(!out.contains("note number 40"), "{out}");
}

#[test]
fn a_tag_inside_a_sentence_keeps_its_word() {
    let mut s = in_editor();
    type_str(&mut s, "flat #3 on the #waiting list #Housing");
    let reqs = update(&mut s, key(KeyCode::Enter));
    let [Request::SaveNote { note, .. }] = reqs.as_slice() else {
        panic!("a save")
    };
    assert_eq!(note.text, "flat #3 on the waiting list");
    assert_eq!(
        note.themes,
        vec!["waiting".to_owned(), "Housing".to_owned()]
    );
    assert_eq!(
        split_tags("the #waiting_times, again\n#Safety"),
        (
            "the waiting times, again".to_owned(),
            vec!["waiting times".to_owned(), "Safety".to_owned()]
        )
    );
    assert_eq!(split_tags("# 1 #2b"), ("# 1 #2b".to_owned(), vec![]));
}

#[test]
fn undo_and_redo_walk_one_stack_in_reverse_order() {
    let mut s = workshop();
    update(&mut s, alt_key(KeyCode::Up)); // idea 3
    update(&mut s, alt('='));
    update(&mut s, ctrl('g'));
    type_str(&mut s, "Quick wins");
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, alt('s'));
    let reqs = update(&mut s, ctrl('z'));
    assert!(
        matches!(
            reqs.as_slice(),
            [Request::SetFlags {
                id: 3,
                special_category: false,
                ..
            }]
        ),
        "{} requests",
        reqs.len()
    );
    assert_eq!(
        s.message.as_deref(),
        Some("Undone: flags of note 3. Ctrl+Y does it again.")
    );
    let reqs = update(&mut s, ctrl('z'));
    assert!(
        matches!(reqs.as_slice(), [Request::SetCluster(3, None)]),
        "{} requests",
        reqs.len()
    );
    let reqs = update(&mut s, ctrl('z'));
    assert!(matches!(
        reqs.as_slice(),
        [Request::Vote { id: 3, delta: -1 }]
    ));
    assert!(
        s.message
            .as_deref()
            .unwrap()
            .starts_with("Undone: vote on note 3")
    );
    assert!(update(&mut s, ctrl('z')).is_empty());
    assert_eq!(
        s.message.as_deref(),
        Some("Nothing to undo in this session.")
    );
    // redo goes forward again, in order
    let reqs = update(&mut s, ctrl('y'));
    assert!(matches!(
        reqs.as_slice(),
        [Request::Vote { id: 3, delta: 1 }]
    ));
    assert_eq!(s.message.as_deref(), Some("Redone: vote on note 3."));
    let reqs = update(
        &mut s,
        Msg::Key(KeyEvent::new(
            KeyCode::Char('Z'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        )),
    );
    assert!(
        matches!(reqs.as_slice(), [Request::SetCluster(3, Some(c))] if c == "Quick wins"),
        "Ctrl+Shift+Z redoes ({} requests)",
        reqs.len()
    );
    // a new action forgets what could be redone
    update(&mut s, alt('='));
    assert!(update(&mut s, ctrl('y')).is_empty());
    assert_eq!(s.message.as_deref(), Some("Nothing to redo."));
}

#[test]
fn undoing_a_new_note_deletes_it_and_redo_puts_it_back_for_later_steps() {
    let mut s = in_editor();
    type_str(&mut s, "wrong session");
    let local = local_of(&update(&mut s, key(KeyCode::Enter)));
    saved(&mut s, local, 50, "wrong session");
    update(&mut s, alt_key(KeyCode::Up));
    update(&mut s, ctrl('t'));
    type_str(&mut s, "Safety");
    update(&mut s, key(KeyCode::Enter));
    let reqs = update(&mut s, ctrl('z'));
    assert!(matches!(reqs.as_slice(), [Request::Untag(50, t)] if t == "Safety"));
    let reqs = update(&mut s, ctrl('z'));
    assert!(matches!(reqs.as_slice(), [Request::DeleteNote(50)]));
    // redo: the note comes back (with a new id), then its tag, on the new id
    let reqs = update(&mut s, ctrl('y'));
    let local = local_of(&reqs);
    let [Request::RestoreNote { note, .. }] = reqs.as_slice() else {
        panic!()
    };
    assert_eq!(note.text, "wrong session");
    saved(&mut s, local, 51, "wrong session");
    let reqs = update(&mut s, ctrl('y'));
    assert!(
        matches!(reqs.as_slice(), [Request::Tag(51, t)] if t == "Safety"),
        "{} requests",
        reqs.len()
    );
}

#[test]
fn alt_d_asks_first_then_is_undoable() {
    let mut s = paper();
    type_str(&mut s, "mid sentence");
    assert!(update(&mut s, alt('d')).is_empty(), "nothing recorded yet");
    let label = s
        .prompt
        .as_ref()
        .map(|p| p.label.clone())
        .unwrap_or_default();
    assert!(
        label.contains("Notes from 3 March") && label.contains("y/n"),
        "{label}"
    );
    snap_both("paper_destroyed_prompt", &s);
    type_str(&mut s, "n");
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    assert!(
        s.message
            .as_deref()
            .unwrap()
            .starts_with("Nothing recorded")
    );
    assert_eq!(s.editor.as_ref().unwrap().text(), "mid sentence");
    update(&mut s, alt('d'));
    type_str(&mut s, "y");
    let reqs = update(&mut s, key(KeyCode::Enter));
    let today = fieldnotes::app::Clock::today(&fieldnotes::app::SystemClock::local());
    assert!(
        matches!(reqs.as_slice(), [Request::PaperDestroyedOn(7, d)] if *d == today),
        "{} requests",
        reqs.len()
    );
    let reqs = update(&mut s, ctrl('z'));
    assert!(matches!(reqs.as_slice(), [Request::PaperNotDestroyed(7)]));
    let reqs = update(&mut s, ctrl('y'));
    assert!(matches!(reqs.as_slice(), [Request::PaperDestroyedOn(7, d)] if *d == today));
}

#[test]
fn kind_keys_mark_one_note_unless_the_kind_is_kept() {
    let mut s = in_editor();
    update(&mut s, alt('q'));
    assert_eq!(s.editor.as_ref().unwrap().kind, NoteKind::Verbatim);
    let out = render(&s, 80, 24);
    assert!(out.contains("no speaker · verbatim ·"), "{out}");
    type_str(&mut s, "I waited");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(reqs.as_slice(), [Request::SaveNote { note, .. }] if note.kind == NoteKind::Verbatim)
    );
    assert_eq!(
        s.editor.as_ref().unwrap().kind,
        NoteKind::Paraphrase,
        "the next note starts as the session's default"
    );
    update(&mut s, alt('o'));
    update(&mut s, alt('k'));
    type_str(&mut s, "Looks tired");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.editor.as_ref().unwrap().kind, NoteKind::Observation);
    update(&mut s, alt('o'));
    assert_eq!(
        s.editor.as_ref().unwrap().kind,
        NoteKind::Paraphrase,
        "the same key again puts back the default"
    );
    // on a selected, saved note the key changes that note, undoably
    update(&mut s, alt_key(KeyCode::Up));
    update(&mut s, alt_key(KeyCode::Up));
    update(&mut s, alt_key(KeyCode::Up));
    let reqs = update(&mut s, alt('q'));
    assert!(
        matches!(
            reqs.as_slice(),
            [Request::UpdateNote {
                id: 3,
                kind: NoteKind::Verbatim,
                ..
            }]
        ),
        "{} requests",
        reqs.len()
    );
    let reqs = update(&mut s, ctrl('z'));
    assert!(matches!(
        reqs.as_slice(),
        [Request::UpdateNote {
            id: 3,
            kind: NoteKind::Paraphrase,
            ..
        }]
    ));
    assert!(s.message.as_deref().unwrap().contains("kind of note 3"));
}

#[test]
fn undoing_a_participant_added_removes_them_or_says_why_not() {
    let mut s = in_editor();
    let mut list = s.editor.as_ref().unwrap().participants.clone();
    list.push(participant("P03", "Dee Ward", "resident"));
    update(&mut s, Msg::Worker(Reply::ParticipantAdded(list.clone())));
    let reqs = update(&mut s, ctrl('z'));
    assert!(
        matches!(reqs.as_slice(), [Request::RemoveParticipant { session_id: 7, code }] if code == "P03")
    );
    update(
        &mut s,
        Msg::Worker(Reply::ParticipantRemoved {
            code: "P03".into(),
            removed: false,
            list,
        }),
    );
    assert!(s.message.as_deref().unwrap().contains("P03 stays"));
    let e = s.editor.as_ref().unwrap();
    assert!(
        matches!(
            e.undo.last(),
            Some(crate::tui::screens::editor::UndoStep::ParticipantAdded { .. })
        ),
        "not undone, so still on the undo stack"
    );
    assert!(e.redo.is_empty());
}

#[test]
fn the_worker_removes_a_participant_only_while_they_have_no_notes() {
    use crate::tui::worker::handle;
    let (_tmp, v) = vault();
    let sid = fieldnotes::app::sessions::list(&v, None).unwrap()[0].id;
    let add = |name: &str| {
        handle(
            &v,
            Request::AddParticipant {
                session_id: sid,
                participant: fieldnotes::app::NewParticipant {
                    real_name: name.into(),
                    ..Default::default()
                },
            },
        )
    };
    let Reply::ParticipantAdded(list) = add("Mistaken Name") else {
        panic!()
    };
    let code = list.last().unwrap().pseudonym.clone();
    let remove = |code: &str| {
        handle(
            &v,
            Request::RemoveParticipant {
                session_id: sid,
                code: code.into(),
            },
        )
    };
    let Reply::ParticipantRemoved { removed, list, .. } = remove(&code) else {
        panic!()
    };
    assert!(removed);
    assert!(list.iter().all(|p| p.pseudonym != code));
    // one with a note stays
    let Reply::ParticipantAdded(list) = add("Speaks Once") else {
        panic!()
    };
    let code = list.last().unwrap().pseudonym.clone();
    fieldnotes::app::notes::add(
        &v,
        &fieldnotes::app::SystemClock::local(),
        fieldnotes::app::notes::NoteInput {
            session_id: sid,
            speaker: Some(code.clone()),
            text: "said something".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let Reply::ParticipantRemoved { removed, list, .. } = remove(&code) else {
        panic!()
    };
    assert!(!removed);
    assert!(list.iter().any(|p| p.pseudonym == code));
}

#[test]
fn snapshot_editor_selected_earlier_note() {
    let mut s = in_editor();
    type_str(&mut s, "half typed");
    update(&mut s, alt_key(KeyCode::Up));
    update(&mut s, alt_key(KeyCode::Up));
    snap_both("editor_selected_earlier", &s);
}

#[test]
fn a_participant_undone_and_redone_keeps_their_code_and_what_followed() {
    let mut s = in_editor();
    let before = s.editor.as_ref().unwrap().participants.clone();
    let mut list = before.clone();
    list.push(participant("P03", "Dee Ward", "resident"));
    s.editor.as_mut().unwrap().adding = Some(fieldnotes::app::NewParticipant {
        real_name: "Dee Ward".into(),
        ..Default::default()
    });
    update(&mut s, Msg::Worker(Reply::ParticipantAdded(list.clone())));
    type_str(&mut s, "hello");
    let local = local_of(&update(&mut s, key(KeyCode::Enter)));
    saved(&mut s, local, 60, "hello");
    assert!(matches!(
        update(&mut s, ctrl('z')).as_slice(),
        [Request::DeleteNote(60)]
    ));
    update(&mut s, ctrl('z'));
    update(
        &mut s,
        Msg::Worker(Reply::ParticipantRemoved {
            code: "P03".into(),
            removed: true,
            list: before,
        }),
    );
    let reqs = update(&mut s, ctrl('y'));
    assert!(
        matches!(reqs.as_slice(), [Request::AddParticipant { participant, .. }]
            if participant.pseudonym.as_deref() == Some("P03") && participant.real_name == "Dee Ward")
    );
    update(&mut s, Msg::Worker(Reply::ParticipantAdded(list)));
    let reqs = update(&mut s, ctrl('y'));
    assert!(
        matches!(reqs.as_slice(), [Request::RestoreNote { note, .. }] if note.text == "hello"),
        "what followed can still be redone"
    );
}

#[test]
fn snapshot_editor_kind_kept() {
    let mut s = in_editor();
    update(&mut s, alt('o'));
    update(&mut s, alt('k'));
    snap_both("editor_kind_kept", &s);
}

#[test]
fn a_move_that_cannot_happen_is_not_put_on_the_undo_stack() {
    let mut s = in_editor();
    for _ in 0..3 {
        update(&mut s, alt_key(KeyCode::Up));
    }
    let reqs = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Up, KeyModifiers::CONTROL)),
    );
    assert!(reqs.is_empty());
    assert!(s.message.as_deref().unwrap().contains("already the first"));
    assert!(update(&mut s, ctrl('z')).is_empty(), "nothing to undo");
}

#[test]
fn after_an_edit_the_next_note_starts_with_the_default_kind() {
    let mut s = in_editor();
    update(&mut s, alt_key(KeyCode::Up));
    update(&mut s, alt_key(KeyCode::Up));
    update(&mut s, ctrl('e'));
    assert_eq!(s.editor.as_ref().unwrap().kind, NoteKind::Observation);
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.editor.as_ref().unwrap().kind, NoteKind::Paraphrase);
}
