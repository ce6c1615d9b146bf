//! Screens and layout: a lock returns to where the user was, forms and prompts keep the
//! focused field and the whole question in view, every screen fits 80×24, and analysis shows
//! excerpts in full, anonymised unless asked otherwise.

use super::*;

fn opened_again(draft: Option<&str>) -> Msg {
    let mut notes: Vec<Note> = (1..=30)
        .map(|i| {
            note(
                i,
                Some("P01"),
                NoteKind::Paraphrase,
                &format!("note {i}"),
                &[],
            )
        })
        .collect();
    notes[0].text = "the first note".into();
    Msg::Worker(Reply::Session(Box::new(OpenedSession {
        tags: Vec::new(),
        session: session(),
        notes,
        participants: vec![participant("P01", "Aisha Khan", "resident")],
        draft: draft.map(|t| fieldnotes::app::Draft {
            session_id: 7,
            text: t.into(),
            speaker: Some("P01".into()),
            kind: None,
        }),
        themes: vec![],
    })))
}

#[test]
fn a_lock_keeps_only_ids_and_the_unlock_reopens_the_session_where_it_was() {
    let mut s = unlocked();
    update(
        &mut s,
        Msg::Worker(Reply::Sessions("F2F".into(), vec![session()])),
    );
    update(&mut s, opened_again(None));
    {
        let e = s.editor.as_mut().unwrap();
        e.scroll = 12;
        e.selected = Some(17);
    }
    type_str(&mut s, "half a thought");
    let reqs = update(&mut s, ctrl('l'));
    assert!(matches!(
        reqs.as_slice(),
        [Request::SaveDraft(d), Request::Lock] if d.text == "half a thought"
    ));
    assert!(s.editor.is_none() && s.project.is_none() && s.projects.list.is_empty());
    let r = s.resume.expect("where the user was");
    assert_eq!(
        (r.screen, r.project_id, r.session_id, r.note_id, r.scroll),
        (Screen::Editor, Some(1), Some(7), Some(18), 12)
    );

    type_str(&mut s, "pass words");
    update(&mut s, key(KeyCode::Enter));
    let reqs = update(&mut s, Msg::Worker(Reply::Unlocked(vec![project("F2F")])));
    assert!(matches!(reqs.as_slice(), [Request::OpenSession(7)]));
    update(&mut s, opened_again(Some("half a thought")));
    assert_eq!(s.screen, Screen::Editor);
    let e = s.editor.as_ref().unwrap();
    assert_eq!(e.input.lines().join("\n"), "half a thought");
    assert_eq!((e.scroll, e.selected), (12, Some(17)));
    assert!(s.resume.is_none());
    assert!(
        s.message
            .as_deref()
            .unwrap()
            .contains("back where you were")
    );
}

#[test]
fn a_lock_on_the_sessions_list_comes_back_to_that_list_and_row() {
    let mut s = unlocked();
    let mut second = session();
    second.id = 8;
    update(
        &mut s,
        Msg::Worker(Reply::Sessions(
            "F2F".into(),
            vec![session(), second.clone()],
        )),
    );
    update(&mut s, key(KeyCode::Down));
    update(&mut s, Msg::Tick(400_000));
    assert_eq!(s.screen, Screen::Unlock);
    type_str(&mut s, "pass");
    update(&mut s, key(KeyCode::Enter));
    let reqs = update(&mut s, Msg::Worker(Reply::Unlocked(vec![project("F2F")])));
    assert!(matches!(reqs.as_slice(), [Request::Sessions(p)] if p == "F2F"));
    update(
        &mut s,
        Msg::Worker(Reply::Sessions("F2F".into(), vec![session(), second])),
    );
    assert_eq!((s.screen, s.sessions.selected), (Screen::Sessions, 1));
}

#[test]
fn keys_while_unlocking_go_nowhere_and_the_screen_says_so() {
    let mut s = unlocked();
    update(&mut s, ctrl('l'));
    type_str(&mut s, "pass");
    update(&mut s, key(KeyCode::Enter));
    assert!(type_str(&mut s, "abc").is_empty());
    assert!(s.passphrase.is_empty());
    assert_eq!(s.ignored_keys, 3);
    let out = render(&s, 80, 24);
    assert!(out.contains("Unlocking… please wait"), "{out}");
    assert!(
        out.contains("3 keys pressed while unlocking went nowhere"),
        "{out}"
    );
    snap_both("unlocking_busy", &s);
    update(&mut s, Msg::Worker(Reply::Unlocked(vec![project("F2F")])));
    assert_eq!(s.screen, Screen::Projects);
    assert!(
        s.projects.filter.is_empty(),
        "no key typed while unlocking lands in the filter"
    );
}
