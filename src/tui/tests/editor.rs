//! The note editor: notes, speakers, kinds, tags, undo, workshops and paper sessions.

use super::*;

#[test]
fn enter_commits_the_note_with_speaker_kind_and_tags() {
    let mut s = in_editor();
    update(&mut s, key(KeyCode::Tab)); // P01
    update(&mut s, key(KeyCode::Tab)); // P02
    update(&mut s, ctrl('k')); // paraphrase -> observation
    type_str(&mut s, "Queue past the door #Waiting_times #safety");
    let reqs = update(&mut s, key(KeyCode::Enter));
    let [Request::SaveNote { note, .. }] = reqs.as_slice() else {
        panic!("expected a save")
    };
    assert_eq!(note.text, "Queue past the door");
    assert_eq!(note.speaker.as_deref(), Some("P02"));
    assert_eq!(note.kind, NoteKind::Observation);
    assert_eq!(
        note.themes,
        vec!["Waiting times".to_owned(), "safety".to_owned()]
    );
    let e = s.editor.as_ref().unwrap();
    assert_eq!(
        e.notes.len(),
        4,
        "the note shows at once, before the vault confirms"
    );
    assert!(e.input.is_empty());
    assert_eq!(s.save_state(), "saving…");
}

#[test]
fn alt_digits_pick_speakers_and_tab_wraps_to_none() {
    let mut s = in_editor();
    update(&mut s, alt('1'));
    assert_eq!(
        s.editor.as_ref().unwrap().speaker_code().as_deref(),
        Some("F1")
    );
    // Tab goes F1, the participants, then no speaker
    update(&mut s, alt('3'));
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.editor.as_ref().unwrap().speaker_code(), None);
    update(&mut s, alt('0'));
    assert_eq!(s.editor.as_ref().unwrap().speaker_code(), None);
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
    );
    assert_eq!(
        s.editor.as_ref().unwrap().speaker_code().as_deref(),
        Some("P02")
    );
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(
        s.editor.as_ref().unwrap().speaker_code().as_deref(),
        Some("F1"),
        "after no speaker, Tab starts again at the interviewer"
    );
}

#[test]
fn theme_tags_are_split_from_text() {
    // a tag inside a sentence keeps its word in the text; only closing tags are dropped
    assert_eq!(
        split_tags("a #b c"),
        ("a b c".to_owned(), vec!["b".to_owned()])
    );
    assert_eq!(
        split_tags("#1 priority"),
        ("#1 priority".to_owned(), vec![])
    );
    assert_eq!(
        split_tags("end. #Safety."),
        ("end.".to_owned(), vec!["Safety".to_owned()])
    );
    assert_eq!(split_tags("#a #A"), (String::new(), vec!["a".to_owned()]));
}

#[test]
fn snapshot_editor() {
    let mut s = in_editor();
    update(&mut s, key(KeyCode::Tab));
    type_str(&mut s, "They said the #Wai");
    let out = render(&s, 80, 24);
    assert!(
        !out.contains("Aisha") && !out.contains("Craig"),
        "real names never show"
    );
    snap_both("editor", &s);
}

#[test]
fn a_long_session_renders_only_what_fits() {
    let mut s = in_editor();
    if let Some(e) = s.editor.as_mut() {
        let n = e.notes[2].clone();
        e.notes = (0..5000)
            .map(|i| crate::tui::screens::editor::NoteRow {
                pending: None,
                note: Note {
                    id: i,
                    position: i,
                    ..n.note.clone()
                },
            })
            .collect();
    }
    let out = render(&s, 80, 24);
    assert!(out.contains("Security staff"), "{out}");
}

#[test]
fn select_edit_and_undo_an_earlier_note() {
    let mut s = in_editor();
    type_str(&mut s, "half typed");
    update(&mut s, alt_key(KeyCode::Up));
    update(&mut s, alt_key(KeyCode::Up));
    assert_eq!(s.editor.as_ref().unwrap().selected, Some(1));
    update(&mut s, ctrl('e'));
    let e = s.editor.as_ref().unwrap();
    assert_eq!(
        e.text(),
        "Desk closed at 16:30; Zoë 😀 김민준 were queueing."
    );
    assert_eq!(e.speaker_code().as_deref(), Some("F1"));
    assert_eq!(
        e.draft().text,
        "half typed",
        "the draft is put aside, not lost"
    );
    type_str(&mut s, " Later reopened.");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(reqs.as_slice(), [Request::UpdateNote { id: 2, text, .. }] if text.ends_with("Later reopened."))
    );
    assert_eq!(
        s.editor.as_ref().unwrap().text(),
        "half typed",
        "the draft comes back"
    );
    let reqs = update(&mut s, ctrl('z'));
    assert!(
        matches!(reqs.as_slice(), [Request::UpdateNote { id: 2, text, .. }] if text.ends_with("queueing."))
    );
}

#[test]
fn move_and_undo_move() {
    let mut s = in_editor();
    update(&mut s, alt_key(KeyCode::Up));
    let reqs = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Up, KeyModifiers::CONTROL)),
    );
    assert!(matches!(
        reqs.as_slice(),
        [Request::MoveNote { id: 3, up: true }]
    ));
    let reqs = update(&mut s, ctrl('z'));
    assert!(matches!(
        reqs.as_slice(),
        [Request::MoveNote { id: 3, up: false }]
    ));
}

#[test]
fn undo_of_a_new_note_deletes_it_once_saved() {
    let mut s = in_editor();
    type_str(&mut s, "oops wrong session");
    let reqs = update(&mut s, key(KeyCode::Enter));
    let [Request::SaveNote { local, .. }] = reqs.as_slice() else {
        panic!()
    };
    let local = *local;
    let reqs = update(&mut s, ctrl('z'));
    assert!(reqs.is_empty(), "not yet saved: nothing to delete yet");
    let saved = note(99, None, NoteKind::Paraphrase, "oops wrong session", &[]);
    update(
        &mut s,
        Msg::Worker(Reply::NoteSaved {
            local,
            note: Box::new(saved),
        }),
    );
    let reqs = update(&mut s, ctrl('z'));
    assert!(matches!(reqs.as_slice(), [Request::DeleteNote(99)]));
}

#[test]
fn theme_palette_tags_the_selected_note() {
    let mut s = in_editor();
    update(&mut s, alt_key(KeyCode::Up));
    update(&mut s, ctrl('t'));
    type_str(&mut s, "wai");
    update(&mut s, key(KeyCode::Right));
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(reqs.as_slice(), [Request::Tag(3, t)] if t == "Waiting times"));
}

#[test]
fn workshop_votes_and_sorts_by_priority() {
    let mut s = workshop();
    assert_eq!(s.editor.as_ref().unwrap().kind, NoteKind::Idea);
    update(&mut s, ctrl('o'));
    let e = s.editor.as_ref().unwrap();
    let order: Vec<i64> = e
        .display_order()
        .iter()
        .map(|&i| e.notes[i].note.votes)
        .collect();
    assert_eq!(order, vec![4, 2, 1], "most votes first");
    // from the input, Alt+↓ goes to the top of the ranking
    update(&mut s, alt_key(KeyCode::Down));
    let reqs = update(&mut s, alt('='));
    assert!(matches!(
        reqs.as_slice(),
        [Request::Vote { id: 2, delta: 1 }]
    ));
    update(&mut s, ctrl('g'));
    type_str(&mut s, "Quick wins");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(reqs.as_slice(), [Request::SetCluster(2, Some(c))] if c == "Quick wins"));
}

#[test]
fn snapshot_workshop() {
    let mut s = workshop();
    update(&mut s, ctrl('o'));
    update(&mut s, alt_key(KeyCode::Up));
    snap_both("workshop", &s);
}

#[test]
fn snapshot_paper() {
    let mut s = unlocked();
    let mut p = session();
    p.source = Source::Paper;
    p.title = "Notes from 3 March".into();
    p.paper.written_by = Some("R. Okafor".into());
    update(
        &mut s,
        Msg::Worker(Reply::Session(Box::new(OpenedSession {
            tags: Vec::new(),
            session: p,
            notes: vec![{
                let mut n = note(
                    1,
                    None,
                    NoteKind::Observation,
                    "long queue by the lifts",
                    &[],
                );
                n.offset_ms = None;
                n.page = Some("2".into());
                n
            }],
            participants: vec![],
            draft: None,
            themes: vec![],
        }))),
    );
    snap_both("paper", &s);
}

#[test]
fn a_refused_save_puts_the_text_back() {
    let mut s = in_editor();
    type_str(&mut s, "first");
    let reqs = update(&mut s, key(KeyCode::Enter));
    let [Request::SaveNote { local, .. }] = reqs.as_slice() else {
        panic!()
    };
    let local = *local;
    type_str(&mut s, "second");
    update(
        &mut s,
        Msg::Worker(Reply::NoteFailed {
            local,
            text: "first".into(),
            message: "the disk is full".into(),
        }),
    );
    let e = s.editor.as_ref().unwrap();
    assert_eq!(e.notes.len(), 3, "the pending row is gone");
    assert_eq!(e.text(), "first\nsecond");
    assert!(e.dirty, "the restored text is saved as the draft");
    assert_eq!(s.save_state(), "saving…");
    assert!(s.message.as_deref().unwrap().contains("disk is full"));
}

#[test]
fn notes_are_flagged_special_category_or_criminal_offence() {
    let mut s = in_editor();
    update(&mut s, alt('s'));
    assert!(
        render(&s, 100, 30).contains("⚑ special category"),
        "the input shows the flag"
    );
    type_str(&mut s, "He spoke about his mental health");
    let reqs = update(&mut s, key(KeyCode::Enter));
    let [Request::SaveNote { note, .. }] = reqs.as_slice() else {
        panic!("a save");
    };
    assert!(note.special_category && !note.criminal_offence);
    assert!(
        !s.editor.as_ref().unwrap().special,
        "the next note starts unmarked"
    );
    // a saved note: select it and flag it
    update(&mut s, alt('c'));
    assert!(s.editor.as_ref().unwrap().criminal);
    update(&mut s, alt('c'));
    // the newest note is still saving: it cannot be flagged yet; the one before it can
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Up, KeyModifiers::ALT)),
    );
    assert!(update(&mut s, alt('c')).is_empty());
    assert!(
        s.message
            .as_deref()
            .unwrap_or("")
            .contains("Wait until the note is saved")
    );
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Up, KeyModifiers::ALT)),
    );
    let reqs = update(&mut s, alt('c'));
    assert!(
        matches!(
            &reqs[..],
            [Request::SetFlags {
                criminal_offence: true,
                ..
            }]
        ),
        "{}",
        reqs.len()
    );
}

#[test]
fn an_editor_key_rebound_in_the_config_does_its_action_and_the_old_one_does_not() {
    let (config, problems) = Config::parse("[keys.editor]\ncycle_kind = \"f5\"\n");
    assert!(problems.is_empty(), "{problems:?}");
    let mut s = in_editor();
    s.config = config;
    let kind = s.editor.as_ref().unwrap().kind;
    update(&mut s, key(KeyCode::F(5)));
    let cycled = s.editor.as_ref().unwrap().kind;
    assert_ne!(cycled, kind);
    update(&mut s, ctrl('k'));
    let e = s.editor.as_ref().unwrap();
    assert_eq!(e.kind, cycled, "Ctrl+K no longer cycles the kind");
}

#[test]
fn a_note_heading_with_many_tags_wraps_rather_than_losing_the_last() {
    let mut s = in_editor();
    if let Some(e) = s.editor.as_mut() {
        e.notes[0].note.themes = [
            "crime",
            "safety",
            "stairwell",
            "lighting",
            "violence",
            "night",
        ]
        .map(String::from)
        .to_vec();
    }
    let out = render(&s, 80, 24);
    assert!(out.contains("#night"), "{out}");
}
