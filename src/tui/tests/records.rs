//! Record reviews and the disclosures log through the app, each request answered by the
//! worker's handler on a real vault: a review's form, its subject (no consent asked), the
//! input box naming the system read, and a disclosure recorded from the projects screen.

use super::*;
use crate::tui::worker::{RecordsRequest, handle};
use fieldnotes::app;

/// Each request answered by the worker on `v`, each reply through `update`, to the end.
fn answer(s: &mut State, v: &fieldnotes::vault::Vault, reqs: Vec<Request>) {
    for r in reqs {
        let more = update(s, Msg::Worker(handle(v, r)));
        answer(s, v, more);
    }
}

fn fill(s: &mut State, values: &[&str]) {
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            update(s, key(KeyCode::Tab));
        }
        let f = s.form.as_mut().expect("a form");
        let focus = f.focus;
        while !f.fields[focus].value.is_empty() {
            f.fields[focus].value.pop();
        }
        type_str(s, value);
    }
}

#[test]
fn a_record_review_with_a_subject_and_a_disclosure_reach_the_vault() {
    let (_t, v) = vault();
    let mut s = unlocked();
    let reqs = update(&mut s, key(KeyCode::Enter));
    answer(&mut s, &v, reqs);
    assert_eq!(s.screen, Screen::Sessions);
    update(&mut s, key(KeyCode::Char('v')));
    assert_eq!(s.form.as_ref().unwrap().title, "New record review");
    fill(
        &mut s,
        &[
            "Desk contacts",
            "2024-06-03",
            "CRM",
            "CRM-4471-Q",
            "2024-03-31",
            "2024-01-01",
            "every contact about the desk",
        ],
    );
    // the period the wrong way round is refused in the form, what was typed kept
    assert!(update(&mut s, ctrl('s')).is_empty());
    let f = s.form.as_ref().unwrap();
    assert!(
        f.error().unwrap().contains("before it starts"),
        "{:?}",
        f.error()
    );
    update(&mut s, key(KeyCode::Up));
    update(&mut s, key(KeyCode::Up));
    fill(&mut s, &["2024-01-01", "2024-03-31"]);
    let reqs = update(&mut s, ctrl('s'));
    assert!(matches!(
        reqs.as_slice(),
        [Request::Records(RecordsRequest::AddReview(_, r))] if r.system == "CRM"
    ));
    answer(&mut s, &v, reqs);
    assert_eq!(s.screen, Screen::Editor);
    let screen = render(&s, 100, 30);
    assert!(screen.contains("Record review of CRM"), "{screen}");

    // Ctrl+P asks for a subject: name and description, never consent
    update(&mut s, ctrl('p'));
    let f = s.form.as_ref().unwrap();
    assert_eq!(f.fields.len(), 2);
    assert!(f.fields.iter().all(|x| !x.label.contains("Consent")));
    type_str(&mut s, "Hodan Farah");
    update(&mut s, key(KeyCode::Enter));
    type_str(&mut s, "tenant");
    let reqs = update(&mut s, key(KeyCode::Enter));
    answer(&mut s, &v, reqs);
    assert!(
        s.message
            .as_deref()
            .unwrap()
            .contains("subject of the records")
    );
    let sid = s.editor.as_ref().unwrap().session.id;
    let subject = app::people::participants_of_session(&v, sid)
        .unwrap()
        .remove(0);
    assert!(subject.subject && subject.consent.is_none());
    assert_eq!(subject.pseudonym, "P03", "the participants' sequence");
    assert_eq!(
        s.editor.as_ref().unwrap().speaker_code().as_deref(),
        Some("P03")
    );

    // the sessions list shows the kind
    let reqs = update(&mut s, key(KeyCode::Esc));
    answer(&mut s, &v, reqs);
    let screen = render(&s, 100, 30);
    assert!(
        screen.contains("review") && screen.contains("Desk contacts"),
        "{screen}"
    );

    // the projects screen: Ctrl+D, the log, n records one
    let reqs = update(&mut s, key(KeyCode::Esc));
    answer(&mut s, &v, reqs);
    let reqs = update(&mut s, ctrl('d'));
    answer(&mut s, &v, reqs);
    assert_eq!(s.screen, Screen::Disclosures);
    assert!(render(&s, 100, 30).contains("None recorded"));
    update(&mut s, key(KeyCode::Char('n')));
    fill(
        &mut s,
        &[
            "2024-05-02",
            "CRM team",
            "names and visit times of 12 people",
            "6(1)(e) public task",
            "encrypted email",
        ],
    );
    let reqs = update(&mut s, ctrl('s'));
    answer(&mut s, &v, reqs);
    assert!(s.form.is_none());
    let screen = render(&s, 120, 30);
    assert!(
        screen.contains("2024-05-02  to CRM team — names and visit times of 12 people"),
        "{screen}"
    );
    let logged = app::disclosures::list(&v, Some("F2F")).unwrap();
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].method, "encrypted email");
}

#[test]
fn editing_a_record_review_opens_its_own_form() {
    let mut s = unlocked();
    let review = Session {
        kind: SessionKind::Review,
        review: Some(fieldnotes::model::RecordReview {
            system: "Housing Needs".into(),
            record_ref: Some("HN-2".into()),
            from: Some("2024-01-01".into()),
            to: None,
            sampling: None,
        }),
        ..session()
    };
    update(
        &mut s,
        Msg::Worker(Reply::Sessions("F2F".into(), vec![review])),
    );
    update(&mut s, key(KeyCode::Char('e')));
    let f = s.form.as_ref().unwrap();
    assert_eq!(f.title, "Edit the record review");
    assert_eq!(f.fields[2].value.as_str(), "Housing Needs");
    assert_eq!(f.fields[3].value.as_str(), "HN-2");
    let reqs = update(&mut s, ctrl('s'));
    assert!(matches!(
        reqs.as_slice(),
        [Request::Records(RecordsRequest::UpdateReview(7, _, r))] if r.from.as_deref() == Some("2024-01-01")
    ));
}
