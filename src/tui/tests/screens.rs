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
            question_id: None,
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
    assert!(matches!(
        reqs.as_slice(),
        [Request::OpenSession(7), Request::TakeKeptForm]
    ));
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
    assert!(matches!(reqs.as_slice(), [Request::Sessions(p), Request::TakeKeptForm] if p == "F2F"));
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

/// The analysis screen with the excerpts of `query` from the test vault.
fn with_excerpts(query: &str) -> State {
    let mut s = in_analysis();
    let (_tmp, v) = vault();
    let c = fieldnotes::app::analysis::corpus(&v, "F2F").unwrap();
    let anon = fieldnotes::app::analysis::anonymiser(&v, "F2F").unwrap();
    let q = fieldnotes::analysis::Query::parse(query).unwrap();
    let ex = crate::tui::worker::shown(
        &anon,
        c.excerpts(&c.select(&q, &Default::default()).unwrap()),
    );
    update(&mut s, Msg::Worker(Reply::Excerpts(query.into(), ex)));
    s
}

#[test]
fn an_excerpt_reads_in_full_with_its_coded_span_marked_and_esc_returns_to_the_list() {
    let mut s = with_excerpts("Waiting");
    update(&mut s, key(KeyCode::Down));
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    let v = s.analysis.as_ref().unwrap();
    assert_eq!((v.tab, v.open), (4, Some(1)));
    let out = render(&s, 80, 24);
    assert!(out.contains("Excerpt 2 of 2"), "{out}");
    assert!(
        out.contains("⟦Security⟧Guards shouted at him; P02 stepped in."),
        "{out}"
    );
    snap_both("analysis_excerpt_open", &s);
    update(&mut s, key(KeyCode::Esc));
    let v = s.analysis.as_ref().unwrap();
    assert_eq!(
        (s.screen, v.tab, v.open, v.row),
        (Screen::Analysis, 4, None, 1)
    );
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(
        s.screen,
        Screen::Sessions,
        "Esc from the list still goes back"
    );
}

#[test]
fn analysis_shows_anonymised_text_until_asked_for_the_real_text_and_says_which() {
    let mut s = with_excerpts("Waiting");
    let out = render(&s, 140, 40);
    assert!(out.contains("anonymised text"), "{out}");
    assert!(
        out.contains("P01 said the queue was two hours. He lives at NW1."),
        "{out}"
    );
    assert!(!out.contains("Abdirahman") && !out.contains("9SL"), "{out}");
    update(&mut s, key(KeyCode::Enter));
    let out = render(&s, 140, 40);
    assert!(!out.contains("Abdirahman") && !out.contains("9SL"), "{out}");
    update(&mut s, key(KeyCode::Char('t')));
    let out = render(&s, 140, 40);
    assert!(out.contains("REAL TEXT (names shown)"), "{out}");
    assert!(
        out.contains("Abdirahman said the queue was two hours. He lives at NW1 9SL."),
        "{out}"
    );
    snap_both("analysis_excerpt_real_text", &s);
    update(&mut s, key(KeyCode::Char('t')));
    assert!(!render(&s, 80, 24).contains("Abdirahman"));
}

#[test]
fn esc_from_a_note_opened_from_an_excerpt_goes_back_to_the_excerpts() {
    let mut s = with_excerpts("Waiting");
    update(&mut s, key(KeyCode::Enter));
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(&reqs[..], [Request::OpenSession(_)]));
    update(&mut s, opened_again(None));
    assert_eq!(s.screen, Screen::Editor);
    update(&mut s, key(KeyCode::Esc));
    let v = s.analysis.as_ref().unwrap();
    assert_eq!((s.screen, v.tab, v.open), (Screen::Analysis, 4, Some(0)));
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.screen, Screen::Sessions);
}

#[test]
fn a_coded_span_follows_its_words_through_the_anonymiser() {
    use crate::tui::worker::map_span;
    let text = "Gemma Ashworth said the guard shouted";
    let subs = vec![fieldnotes::anonymise::Substitution {
        start: 0,
        end: 14,
        original: "Gemma Ashworth".into(),
        replacement: "P02".into(),
        kind: fieldnotes::anonymise::Kind::RegisteredName,
        rule: "test",
    }];
    // "guard shouted" (24..37) moves 11 characters left
    assert_eq!(map_span(text, &subs, 24, 37), (13, 26));
    // a span starting inside the name takes the whole pseudonym
    assert_eq!(map_span(text, &subs, 6, 19), (0, 8));
    assert_eq!(map_span(text, &subs, 0, 14), (0, 3));
}

const LONG_PURPOSE: &str = "To understand how residents experience waiting at the face to face \
    housing options desk, including queueing times, safety in the waiting area, how staff \
    explain delays, what happens when the desk closes before everyone is seen, and how this \
    differs for people with disabilities, carers, parents with young children and people who \
    need an interpreter, so that the service redesign in the next financial year can be based \
    on what residents and staff actually said rather than on complaint counts alone.";

#[test]
fn a_long_answer_scrolls_the_form_so_the_focused_field_always_shows() {
    let mut s = unlocked();
    update(&mut s, ctrl('n'));
    type_str(&mut s, "F2F");
    update(&mut s, key(KeyCode::Tab));
    type_str(&mut s, LONG_PURPOSE);
    let out = render(&s, 80, 24);
    assert!(out.contains("› Purpose"), "{out}");
    assert!(
        out.contains("complaint counts alone.▏"),
        "the cursor is out of view:\n{out}"
    );
    for _ in 0..7 {
        update(&mut s, key(KeyCode::Tab));
    }
    assert_eq!(s.form.as_ref().unwrap().focus, 8);
    let out = render(&s, 80, 24);
    assert!(
        out.contains("› Retention (months)"),
        "the focused field is out of view:\n{out}"
    );
    assert!(
        out.contains("↑ more above"),
        "no sign of the fields above:\n{out}"
    );
    assert!(
        out.contains("Months after a session"),
        "the hint is cut:\n{out}"
    );
    snap_both("project_form_scrolled", &s);
    // wrapped text stays in its column, under the value, not under the labels
    for _ in 0..7 {
        update(&mut s, key(KeyCode::BackTab));
    }
    let out = render(&s, 80, 24);
    let lines: Vec<&str> = out.lines().collect();
    let at = lines.iter().position(|l| l.contains("› Purpose")).unwrap();
    let column = |l: &str, word: &str| l.find(word).map(|i| l[..i].chars().count());
    assert_eq!(
        column(lines[at + 1], "at the face"),
        column(lines[at], "To understand"),
        "a wrapped line lost its indent:\n{out}"
    );
}

#[test]
fn a_long_question_shows_whole() {
    let mut s = in_analysis();
    update(&mut s, key(KeyCode::Char('f')));
    let out = render(&s, 80, 24);
    let flat: String = out
        .lines()
        .map(|l| l.trim_matches('"').trim_matches('│').trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("children=yes; empty: none)") && flat.contains("Enter ok · Esc cancel"),
        "{out}"
    );
    snap_both("prompt_filter", &s);
}

#[test]
fn snapshot_session_form() {
    let mut s = in_sessions();
    update(&mut s, key(KeyCode::Char('n')));
    assert!(s.form.is_some());
    snap_both("session_form", &s);
}

#[test]
fn a_window_too_small_says_so_and_keeps_the_line_being_typed() {
    let mut s = in_editor();
    update(&mut s, alt('1'));
    type_str(&mut s, "the guard said the radio was broken");
    let out = render(&s, 40, 8);
    assert!(out.contains("Window too small"), "{out}");
    assert!(out.contains("at least 50×12"), "{out}");
    assert!(
        out.contains("radio was broken▏"),
        "the line being typed is hidden:\n{out}"
    );
    assert!(!out.contains("Aisha"), "{out}");
    insta::assert_snapshot!("too_small_40x8", render(&s, 40, 8));
    // typing goes on while the window is small
    type_str(&mut s, " again");
    assert!(render(&s, 30, 5).contains("broken again▏"));
}

#[test]
fn headers_that_do_not_fit_end_at_a_whole_key_and_point_to_help() {
    let s = in_sessions();
    let out = render(&s, 80, 24);
    let top = out.lines().nth(1).unwrap();
    assert!(top.contains("· F1 more keys"), "{top}");
    assert!(!top.contains(" e e"), "{top}");
    assert_eq!(
        ui::fit_title(" Short · title ", 80),
        " Short · title ",
        "a title that fits is left alone"
    );
}

#[test]
fn snapshot_search_results_and_ideas_tab() {
    let mut s = unlocked();
    update(&mut s, ctrl('f'));
    type_str(&mut s, "queue");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(&reqs[..], [Request::Search(q)] if q == "queue"));
    let hits = [1, 3]
        .iter()
        .map(|&i| fieldnotes::model::SearchHit {
            project: "F2F".into(),
            session_id: 7,
            session_title: "Security officer 1".into(),
            note: note(
                i,
                Some("P01"),
                NoteKind::Paraphrase,
                "The queue was two hours long",
                &[],
            ),
        })
        .collect();
    update(
        &mut s,
        Msg::Worker(Reply::SearchResults("queue".into(), hits)),
    );
    assert_eq!(s.screen, Screen::Search);
    snap_both("search_results", &s);

    let mut s = in_analysis();
    for _ in 0..3 {
        update(&mut s, key(KeyCode::Tab));
    }
    assert_eq!(s.analysis.as_ref().unwrap().tab, 3);
    snap_both("analysis_ideas", &s);
}

#[test]
fn unlocking_back_into_analysis_names_the_project() {
    let mut s = in_analysis();
    update(&mut s, ctrl('l'));
    type_str(&mut s, "pass");
    update(&mut s, key(KeyCode::Enter));
    let reqs = update(&mut s, Msg::Worker(Reply::Unlocked(vec![project("F2F")])));
    assert!(matches!(&reqs[..], [Request::Analysis(p, _), Request::TakeKeptForm] if p == "F2F"));
    assert_eq!(s.project.as_deref(), Some("F2F"));
}

#[test]
fn a_lock_saves_an_edit_in_progress_as_it_stood() {
    let mut s = in_editor();
    update(&mut s, alt_key(KeyCode::Up));
    update(&mut s, ctrl('e'));
    type_str(&mut s, " EDITED");
    let reqs = update(&mut s, ctrl('l'));
    assert!(
        matches!(reqs.first(), Some(Request::UpdateNote { text, .. }) if text.ends_with("EDITED")),
        "the edit is saved before the lock ({} requests)",
        reqs.len()
    );
    assert!(matches!(reqs.last(), Some(Request::Lock)));
    assert_eq!(s.screen, Screen::Unlock);
    let m = s.message.as_deref().unwrap_or_default();
    assert!(m.contains("editing was saved"), "{m}");
}

#[test]
fn a_half_filled_form_is_kept_in_the_vault_through_a_lock_and_comes_back() {
    for by_idle in [false, true] {
        let mut s = in_editor();
        update(&mut s, ctrl('p'));
        type_str(&mut s, "Tomasz Wierzbicki");
        update(&mut s, key(KeyCode::Tab));
        type_str(&mut s, "hostel manager");
        let reqs = if by_idle {
            update(&mut s, Msg::Tick(i64::MAX / 2))
        } else {
            update(&mut s, ctrl('l'))
        };
        let kept = reqs.iter().find_map(|r| match r {
            Request::KeepForm(k) => Some(k.clone()),
            _ => None,
        });
        let kept = kept.expect("the form goes to the vault before the lock");
        assert!(matches!(reqs.last(), Some(Request::Lock)));
        assert!(s.form.is_none(), "nothing decrypted stays in memory");
        assert!(
            s.message
                .as_deref()
                .unwrap_or_default()
                .contains("kept in the vault")
        );
        let reqs = update(&mut s, Msg::Worker(Reply::Unlocked(vec![project("F2F")])));
        assert!(reqs.iter().any(|r| matches!(r, Request::TakeKeptForm)));
        update(&mut s, Msg::Worker(Reply::KeptForm(Some(kept))));
        let f = s.form.as_ref().expect("the form is back");
        assert_eq!(f.fields[0].value.as_str(), "Tomasz Wierzbicki");
        assert_eq!(f.fields[1].value.as_str(), "hostel manager");
        assert_eq!(f.focus, 1);
    }
    // a form opened and not typed into is not kept
    let mut s = in_editor();
    update(&mut s, ctrl('p'));
    let reqs = update(&mut s, ctrl('l'));
    assert!(!reqs.iter().any(|r| matches!(r, Request::KeepForm(_))));
}
