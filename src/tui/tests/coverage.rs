//! The analysis screen's coverage view: a topic guide's question × session matrix.

use super::*;

/// The test vault with a topic guide both its sessions follow, and notes answering it:
/// Q1 once in the first session and twice in the second, Q2 once in the second.
fn vault_with_guide() -> (tempfile::TempDir, fieldnotes::vault::Vault, [i64; 2]) {
    use fieldnotes::app::{self, NewSession};
    let (tmp, v) = vault();
    let clock = app::FixedClock::on(time::macros::date!(2024 - 03 - 08));
    let first = app::sessions::list(&v, Some("F2F")).unwrap()[0].id;
    let second = app::sessions::add(
        &v,
        &clock,
        NewSession {
            project: "F2F".into(),
            kind: SessionKind::Interview,
            title: "Interview 4".into(),
            date: Some("2024-03-08".into()),
            location: None,
            source: Source::Live,
            paper: Default::default(),
            facilitators: vec![],
        },
    )
    .unwrap();
    let saved = app::guides::import(
        &v,
        Some("F2F"),
        None,
        None,
        "# Visit guide\n\n## Arrival\n\n- How long did you wait?\n- Who helped you at the desk?\n",
    )
    .unwrap();
    let q: Vec<i64> = saved.version.questions.iter().map(|q| q.id).collect();
    for (session, question, text) in [
        (first, q[0], "The wait felt endless."),
        (second, q[0], "Forty minutes in the queue."),
        (second, q[0], "The screen said ten minutes; it was an hour."),
        (second, q[1], "A volunteer at the desk helped."),
    ] {
        app::notes::add(
            &v,
            &clock,
            app::notes::NoteInput {
                session_id: session,
                kind: Some(NoteKind::Paraphrase),
                text: text.into(),
                at_ms: Some(0),
                question_id: Some(question),
                ..Default::default()
            },
        )
        .unwrap();
    }
    (tmp, v, [first, second])
}

/// The analysis screen of `v`, on its coverage view.
fn on_coverage(v: &fieldnotes::vault::Vault) -> State {
    let mut s = in_sessions();
    update(&mut s, key(KeyCode::Char('a')));
    let data = crate::tui::worker::analysis_data(v, "F2F", Default::default()).unwrap();
    update(&mut s, Msg::Worker(Reply::Analysis(Box::new(data))));
    for _ in 0..5 {
        update(&mut s, key(KeyCode::Tab));
    }
    s
}

#[test]
fn coverage_shows_counts_and_a_cell_lists_its_excerpts() {
    let (_tmp, v, [first, second]) = vault_with_guide();
    let mut s = on_coverage(&v);
    let out = render(&s, 140, 40);
    assert!(out.contains("Coverage: 'Visit guide' (version 1)"), "{out}");
    let row = |out: &str, label: &str| -> Vec<String> {
        out.lines()
            .find_map(|l| {
                let l = l.trim_matches(|c| c == '│' || c == ' ' || c == '"');
                l.strip_prefix(label)
                    .map(|rest| rest.split_whitespace().map(str::to_owned).collect())
            })
            .unwrap_or_default()
    };
    assert_eq!(
        row(&out, "Q1 "),
        ["1", "2"],
        "Q1: once in S{first}, twice in S{second}:\n{out}"
    );
    assert_eq!(row(&out, "Q2 "), ["0", "1"], "{out}");
    assert_eq!(row(&out, "covered"), ["1/2", "2/2"], "{out}");
    assert!(out.contains(&format!("S{first}")) && out.contains(&format!("S{second}")));
    assert!(out.contains("Arrival — How long did you wait?"), "{out}");
    snap_both("analysis_coverage", &s);

    // Enter on the question column says what to do instead
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    assert!(
        s.message.as_deref().unwrap_or("").contains("move right"),
        "{:?}",
        s.message
    );
    // Q2 in the first session: asked, not answered
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Right));
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    assert!(
        s.message
            .as_deref()
            .unwrap_or("")
            .contains(&format!("No note of S{first} answers Q2")),
        "{:?}",
        s.message
    );
    // Q1 in the second session: its two notes, through the worker
    update(&mut s, key(KeyCode::Up));
    update(&mut s, key(KeyCode::Right));
    let mut reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(&reqs[..], [Request::AnalysisQuestion { guide: 0, row: 0, session, .. }] if *session == second),
        "one request for the cell, {} made",
        reqs.len()
    );
    let c = fieldnotes::app::analysis::corpus(&v, "F2F").unwrap();
    let anon = fieldnotes::app::analysis::anonymiser(&v, "F2F").unwrap();
    let reply = crate::tui::worker::from_corpus(&v, &c, &anon, reqs.remove(0)).unwrap();
    let Reply::Excerpts(label, list) = reply else {
        panic!("excerpts expected");
    };
    assert_eq!(label, format!("Q1 in S{second}"));
    let mut texts: Vec<&str> = list.iter().map(|e| e.excerpt.note.text.as_str()).collect();
    texts.sort_unstable();
    assert_eq!(
        texts,
        [
            "Forty minutes in the queue.",
            "The screen said ten minutes; it was an hour."
        ]
    );
    update(&mut s, Msg::Worker(Reply::Excerpts(label, list)));
    let out = render(&s, 140, 40);
    assert!(out.contains("2 excerpts for 'Q1 in S"), "{out}");
    assert!(out.contains("Forty minutes in the queue."), "{out}");
    // Enter reads one in full; Esc twice goes back to the matrix, on the same cell
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Esc));
    let v = s.analysis.as_ref().unwrap();
    assert_eq!((v.tab, v.row, v.col), (5, 0, 2));
    // a filter change lists the same cell again, not a theme query
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Char('f')));
    type_str(&mut s, "kind=interview");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        reqs.iter()
            .any(|r| matches!(r, Request::AnalysisQuestion { session, .. } if *session == second)),
        "one request for the cell, {} made",
        reqs.len()
    );
}

#[test]
fn coverage_without_a_guide_says_how_to_add_one() {
    let (_tmp, v) = vault();
    let mut s = on_coverage(&v);
    let out = render(&s, 140, 40);
    assert!(out.contains("no topic guide yet"), "{out}");
    assert!(out.contains("fieldnotes guide import FILE"), "{out}");
    assert!(update(&mut s, key(KeyCode::Char('G'))).is_empty());
    assert!(
        s.message
            .as_deref()
            .unwrap_or("")
            .contains("0 topic guides")
    );
}
