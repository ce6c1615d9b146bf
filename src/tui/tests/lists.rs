//! The list screens (projects, sessions, search) and the forms opened from them.

use super::*;

#[test]
fn snapshot_projects() {
    snap_both("projects", &unlocked());
}

#[test]
fn snapshot_sessions() {
    let mut s = unlocked();
    update(
        &mut s,
        Msg::Worker(Reply::Sessions("F2F".into(), vec![session()])),
    );
    snap_both("sessions", &s);
}

#[test]
fn snapshot_search() {
    let mut s = unlocked();
    update(&mut s, ctrl('f'));
    type_str(&mut s, "queue");
    snap_both("search_prompt", &s);
}

#[test]
fn snapshot_forms() {
    let mut s = unlocked();
    update(&mut s, ctrl('n'));
    type_str(&mut s, "F2F 2025");
    snap_both("project_form", &s);
    let mut s = in_editor();
    update(&mut s, ctrl('p'));
    type_str(&mut s, "Aisha Khan");
    snap_both("participant_form", &s);
    let mut s = State::new("fieldnotes/vault".into(), true, Config::default(), 0);
    update(&mut s, key(KeyCode::Enter));
    type_str(&mut s, "secret words here");
    let out = render(&s, 80, 24);
    assert!(!out.contains("secret"), "a new passphrase never shows");
    snap_both("vault_form", &s);
}

#[test]
fn clicking_a_row_selects_it() {
    let mut s = unlocked();
    update(&mut s, Msg::Click(5, 3));
    assert_eq!(s.projects.selected, 1);
    update(&mut s, Msg::Click(5, 20));
    assert_eq!(
        s.projects.selected, 1,
        "a click below the list changes nothing"
    );
}

#[test]
fn search_result_opens_its_session_at_the_note() {
    let mut s = in_editor();
    let hit = fieldnotes::model::SearchHit {
        project: "F2F".into(),
        session_id: 7,
        session_title: "Security officer 1".into(),
        note: note(2, Some("F1"), NoteKind::Observation, "Desk closed", &[]),
    };
    update(
        &mut s,
        Msg::Worker(Reply::SearchResults("desk".into(), vec![hit])),
    );
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(reqs.as_slice(), [Request::OpenSession(7)]));
    let mut again = in_editor();
    again.focus_note = s.focus_note;
    update(
        &mut again,
        Msg::Worker(Reply::Session(Box::new(OpenedSession {
            tags: Vec::new(),
            session: session(),
            notes: vec![
                note(1, None, NoteKind::Paraphrase, "a", &[]),
                note(2, None, NoteKind::Paraphrase, "b", &[]),
            ],
            participants: vec![],
            draft: None,
            themes: vec![],
        }))),
    );
    assert_eq!(again.editor.as_ref().unwrap().selected, Some(1));
}

#[test]
fn editing_a_session_prefills_its_record() {
    let mut s = unlocked();
    update(
        &mut s,
        Msg::Worker(Reply::Sessions("F2F".into(), vec![session()])),
    );
    update(&mut s, key(KeyCode::Char('e')));
    let f = s.form.as_ref().expect("a form");
    assert_eq!(f.fields[0].value.as_str(), "Security officer 1");
    assert_eq!(f.fields[5].value.as_str(), "Jo Bloggs");
    for _ in 0..4 {
        update(&mut s, key(KeyCode::Tab));
    }
    type_str(&mut s, "Crowndale Centre");
    let reqs = update(&mut s, ctrl('s'));
    assert!(
        matches!(reqs.as_slice(), [Request::UpdateSession(7, ns)] if ns.location.as_deref() == Some("Crowndale Centre"))
    );
}

// ---- export review, retention, analysis and reading views ----
