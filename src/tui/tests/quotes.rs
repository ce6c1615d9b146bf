//! Quotes awaiting approval: reached with `q`, approved with `a` after the day is asked.

use super::*;
use fieldnotes::app::quotes::PendingQuote;

fn pending(note_id: i64) -> PendingQuote {
    PendingQuote {
        note_id,
        session_id: 7,
        session: "Security officer 1".into(),
        speaker: "P03".into(),
        text: "nobody at the kiosk looked up once".into(),
        approved_before: Some("2024-02-01".into()),
    }
}

#[test]
fn q_lists_the_quotes_and_a_approves_the_selected_one_on_the_day_typed() {
    let mut s = in_sessions();
    let reqs = update(&mut s, key(KeyCode::Char('q')));
    assert!(matches!(&reqs[..], [Request::Quotes(p)] if p == "F2F"));
    update(
        &mut s,
        Msg::Worker(Reply::Quotes(
            "F2F".into(),
            vec![pending(11), pending(12)],
            None,
        )),
    );
    assert_eq!(s.screen, Screen::Quotes);
    let out = render(&s, 100, 24);
    assert!(out.contains("Quotes awaiting approval: 2"), "{out}");
    assert!(
        out.contains("note 12  P03") && out.contains("kiosk"),
        "{out}"
    );
    assert!(
        out.contains("edited since its approval on 2024-02-01"),
        "{out}"
    );
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Char('a')));
    let p = s.prompt.as_ref().expect("the day is asked");
    assert_eq!(p.input, crate::tui::app::today(), "today is offered");
    assert!(p.label.contains("note 12"), "{}", p.label);
    for _ in 0..10 {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_str(&mut s, "2024-04-01");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(&reqs[..], [Request::ApproveQuote { project, note_id: 12, on }]
            if project == "F2F" && on == "2024-04-01")
    );
    // the list comes back without it, with what was done
    update(
        &mut s,
        Msg::Worker(Reply::Quotes(
            "F2F".into(),
            vec![pending(11)],
            Some("Note 12 approved by P03 on 2024-04-01".into()),
        )),
    );
    let out = render(&s, 100, 24);
    assert!(out.contains("Quotes awaiting approval: 1"), "{out}");
    let reqs = update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.screen, Screen::Sessions);
    assert!(matches!(&reqs[..], [Request::Sessions(_)]));
}

#[test]
fn with_nothing_pending_the_screen_says_so_and_why() {
    let mut s = in_sessions();
    update(
        &mut s,
        Msg::Worker(Reply::Quotes("F2F".into(), Vec::new(), None)),
    );
    let out = render(&s, 100, 24);
    assert!(out.contains("No quote is awaiting approval"), "{out}");
    assert!(update(&mut s, key(KeyCode::Char('a'))).is_empty());
    assert!(s.prompt.is_none());
}

#[test]
fn a_verbatim_quote_typed_for_someone_not_to_be_quoted_says_so() {
    use fieldnotes::model::QuoteConsent;
    let mut s = in_editor();
    let e = s.editor.as_mut().unwrap();
    e.participants[0].quote_consent = Some(QuoteConsent::No);
    let code = e.participants[0].pseudonym.clone();
    while s.editor.as_ref().unwrap().speaker_code().as_deref() != Some(code.as_str()) {
        update(&mut s, key(KeyCode::Tab));
    }
    let out = render(&s, 140, 40);
    assert!(
        !out.contains("not to be quoted"),
        "a paraphrase is not a quote:\n{out}"
    );
    update(&mut s, alt('q'));
    let out = render(&s, 140, 40);
    assert!(
        out.contains(&format!("{code} not to be quoted: outputs withhold it")),
        "{out}"
    );
}
