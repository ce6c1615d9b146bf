//! The analysis screen and codebook changes.

use super::*;

#[test]
fn analysis_tabs_render_and_a_cell_lists_its_excerpts() {
    let mut s = in_analysis();
    snap_both("analysis_codebook", &s);
    update(&mut s, key(KeyCode::Tab));
    snap_both("analysis_frequencies", &s);
    update(&mut s, key(KeyCode::Tab));
    // Safety (row 0) with Waiting (column 2)
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Right));
    snap_both("analysis_cooccurrence", &s);
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(&reqs[..], [Request::AnalysisQuery(_, q, _)] if q == "Safety AND Waiting"));
    let (_tmp, v) = vault();
    let c = fieldnotes::app::analysis::corpus(&v, "F2F").unwrap();
    let q = fieldnotes::analysis::Query::parse("Safety AND Waiting").unwrap();
    let anon = fieldnotes::app::analysis::anonymiser(&v, "F2F").unwrap();
    let ex = crate::tui::worker::shown(
        &anon,
        c.excerpts(&c.select(&q, &Default::default()).unwrap()),
    );
    update(
        &mut s,
        Msg::Worker(Reply::Excerpts("Safety AND Waiting".into(), ex)),
    );
    let out = render(&s, 140, 40);
    assert!(
        out.contains("Security shouted at him; P02 stepped in."),
        "pseudonyms only:\n{out}"
    );
    assert!(!out.contains("Gemma"));
    snap_both("analysis_excerpts", &s);
    // Enter reads the excerpt in full; Enter again opens its note in its session
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(&reqs[..], [Request::OpenSession(_)]));
}

#[test]
fn codebook_changes_go_to_the_worker_after_confirmation() {
    let mut s = in_analysis();
    update(&mut s, key(KeyCode::Char('d')));
    assert!(
        s.prompt
            .as_ref()
            .unwrap()
            .label
            .contains("untag its 1 notes")
    );
    type_str(&mut s, "yes");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(&reqs[..], [Request::Codebook(_, crate::tui::worker::CodebookOp::Delete(t), _)] if t == "Safety")
    );
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Char('g')));
    type_str(&mut s, "Waiting");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(&reqs[..], [Request::Codebook(_, crate::tui::worker::CodebookOp::Merge(a, b), _)] if a == "Guards" && b == "Waiting")
    );
    update(&mut s, key(KeyCode::Char('m')));
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(&reqs[..], [Request::Codebook(_, crate::tui::worker::CodebookOp::Move(a, None), _)] if a == "Guards")
    );
    let reqs = update(&mut s, key(KeyCode::Char('c')));
    assert!(matches!(&reqs[..], [Request::Analysis(_, f)] if f.children));
    update(&mut s, key(KeyCode::Char('f')));
    type_str(
        &mut s,
        "role=security officer, kind=interview, from=2024-01-01",
    );
    let reqs = update(&mut s, key(KeyCode::Enter));
    match &reqs[..] {
        [Request::Analysis(_, f)] => {
            assert_eq!(f.group.as_deref(), Some("security officer"));
            assert_eq!(f.from.as_deref(), Some("2024-01-01"));
            assert_eq!(
                f.describe(),
                "role=security officer, kind=interview, from=2024-01-01"
            );
        }
        other => panic!("{}", other.len()),
    }
    update(&mut s, key(KeyCode::Char('f')));
    for _ in 0..80 {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_str(&mut s, "colour=red");
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    assert!(
        s.message
            .as_deref()
            .unwrap()
            .contains("'colour' is not a filter")
    );
}

#[test]
fn esc_from_the_excerpts_of_a_cell_goes_back_to_that_cell() {
    let mut s = in_analysis();
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Right));
    let (row, col) = {
        let v = s.analysis.as_ref().unwrap();
        (v.row, v.col)
    };
    update(&mut s, key(KeyCode::Enter));
    update(
        &mut s,
        Msg::Worker(Reply::Excerpts("Guards AND Safety".into(), Vec::new())),
    );
    assert_eq!(s.analysis.as_ref().unwrap().tab, 4);
    let reqs = update(&mut s, key(KeyCode::Esc));
    assert!(reqs.is_empty(), "Esc stays in the analysis");
    assert_eq!(s.screen, Screen::Analysis);
    let v = s.analysis.as_ref().unwrap();
    assert_eq!(
        (v.tab, v.row, v.col),
        (2, row, col),
        "back on the same cell"
    );
    // a second Esc leaves, as before
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.screen, Screen::Sessions);
}

#[test]
fn the_anonymised_excerpts_show_a_withheld_quote_as_its_marker() {
    let (_tmp, v) = vault();
    let clock = fieldnotes::app::FixedClock::on(time::macros::date!(2024 - 03 - 07));
    let sid = fieldnotes::app::sessions::list(&v, Some("F2F")).unwrap()[0].id;
    fieldnotes::app::quotes::set_quote_consent(
        &v,
        Some("F2F"),
        "P02",
        Some(fieldnotes::model::QuoteConsent::No),
    )
    .unwrap();
    fieldnotes::app::notes::add(
        &v,
        &clock,
        fieldnotes::app::notes::NoteInput {
            session_id: sid,
            speaker: Some("P02".into()),
            kind: Some(NoteKind::Verbatim),
            text: "the tannoy was deafening every morning".into(),
            themes: vec!["Waiting".into()],
            at_ms: Some(0),
            ..Default::default()
        },
    )
    .unwrap();
    let c = fieldnotes::app::analysis::corpus(&v, "F2F").unwrap();
    let anon = fieldnotes::app::analysis::anonymiser(&v, "F2F").unwrap();
    let q = fieldnotes::analysis::Query::parse("Waiting").unwrap();
    let ex = crate::tui::worker::shown(
        &anon,
        c.excerpts(&c.select(&q, &Default::default()).unwrap()),
    );
    let quote = ex
        .iter()
        .find(|e| e.excerpt.note.kind == NoteKind::Verbatim)
        .unwrap();
    assert!(
        quote
            .anonymised
            .contains("P02 did not agree to be quoted word for word")
    );
    // the vault's own words stay for the real-text view
    assert!(quote.excerpt.note.text.contains("tannoy"));
    let mut s = in_analysis();
    update(&mut s, Msg::Worker(Reply::Excerpts("Waiting".into(), ex)));
    let out = render(&s, 140, 40);
    assert!(!out.contains("tannoy"), "{out}");
    assert!(out.contains("verbatim quote withheld"), "{out}");
}
