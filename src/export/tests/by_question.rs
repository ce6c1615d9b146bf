//! Notes by topic guide question: grouped reports, question columns in the data formats,
//! and guide codes in the QDA project, every guide text anonymised.

use super::{all, assert_valid_qde, fixture, qdpx_files, text};
use crate::export::{Format, prepare};
use crate::guide::GuideItem;
use crate::model::SessionKind;
use crate::store::Store;

fn item(section: &str, text: &str) -> GuideItem {
    GuideItem {
        section: section.into(),
        text: text.into(),
        prompts: Vec::new(),
    }
}

/// The fixture with a guide for every session (a registered name typed into a question),
/// the interview's first two notes answering question 1 and the third question 2; the
/// facilitator's note and the workshop's ideas answer none.
fn guided() -> Store {
    let store = fixture();
    let v = store
        .guide_save(
            "F2F",
            "Desk staff",
            None,
            &[
                item("Arriving", "How long was the queue?"),
                item("Arriving", "What did Gemma Ashworth say?"),
                item("Help", "What would help?"),
            ],
        )
        .unwrap()
        .0;
    let interview = store
        .sessions(Some("F2F"))
        .unwrap()
        .into_iter()
        .find(|s| s.kind == SessionKind::Interview)
        .unwrap()
        .id;
    let notes = store.notes(interview).unwrap();
    for (n, q) in [(0, 0), (1, 0), (2, 1)] {
        store
            .note_set_question(notes[n].id, Some(v.questions[q].id))
            .unwrap();
    }
    store
}

fn grouped(store: &Store, f: Format) -> String {
    let mut p = prepare(store, &all(), "2026-11-23").unwrap();
    p.summary.by_question = true;
    String::from_utf8(p.render(f).unwrap()).unwrap()
}

#[test]
fn markdown_groups_a_sessions_notes_under_sections_and_questions() {
    let store = guided();
    let md = grouped(&store, Format::Md);
    assert!(
        !md.contains("Gemma"),
        "a name in a question is replaced:\n{md}"
    );
    let at = |s: &str| md.find(s).unwrap_or_else(|| panic!("no {s:?} in\n{md}"));
    let arriving = at("#### Arriving\n");
    let q1 = at("**Question 1. How long was the queue?**");
    let q2 = at("**Question 2. What did ");
    let rest = at("#### Not linked to a question");
    assert!(arriving < q1 && q1 < q2 && q2 < rest, "{md}");
    assert!(
        !md.contains("Question 3."),
        "a question no note answers is left out"
    );
    // the notes keep their numbers in the session, which the themes point to
    assert!(
        md.contains("- **4.** *"),
        "the facilitator's note is the 4th:\n{md}"
    );
    assert_eq!(
        md.matches("#### Not linked to a question").count(),
        2,
        "one per session"
    );
    let plain = text(&store, &all(), Format::Md);
    assert!(
        !plain.contains("Not linked to a question"),
        "grouping is an option"
    );
}

#[test]
fn html_groups_notes_keeping_their_numbers_and_anchors() {
    let store = guided();
    let html = grouped(&store, Format::Html);
    assert!(!html.contains("Gemma"), "{html}");
    assert!(html.contains("<h4>Arriving</h4>"), "{html}");
    assert!(
        html.contains("<h5>Question 1. How long was the queue?</h5>"),
        "{html}"
    );
    assert!(html.contains("<h4>Not linked to a question</h4>"), "{html}");
    assert!(html.contains("<li value=4 id=s1-n4"), "{html}");
}

#[test]
fn data_formats_carry_each_notes_section_and_question() {
    let store = guided();
    let csv = text(&store, &all(), Format::Csv);
    let head = csv.lines().next().unwrap();
    assert!(
        head.ends_with(",cluster,section,question_number,question,text"),
        "{head}"
    );
    assert!(
        csv.contains(",Arriving,1,How long was the queue?,"),
        "{csv}"
    );
    assert!(!csv.contains("Gemma"), "{csv}");
    let json = text(&store, &all(), Format::Json);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["excerpts"][0]["question"],
        serde_json::json!({
            "guide": "Desk staff", "version": 1, "number": 1,
            "section": "Arriving", "text": "How long was the queue?"
        })
    );
    assert!(
        v["excerpts"][3]["question"].is_null(),
        "the facilitator's note answers none"
    );
    super::data_formats::valid(&v).unwrap();
    let p = prepare(&store, &all(), "2026-11-23").unwrap();
    let sheets = crate::export::data::xlsx::sheets(&p.summary);
    let excerpts = sheets[0].text();
    assert!(excerpts.contains("question_number"), "{excerpts}");
    assert!(
        excerpts.contains("Arriving\tHow long was the queue?"),
        "{excerpts}"
    );
    assert!(!excerpts.contains("Gemma"));
    assert!(
        p.render(Format::Xlsx).is_ok(),
        "the guard passes the workbook"
    );
}

#[test]
fn the_qda_project_codes_notes_with_their_questions_and_validates() {
    let store = guided();
    let p = prepare(&store, &all(), "2026-11-23").unwrap();
    let files = qdpx_files(&p.render(Format::Qdpx).unwrap());
    let qde = &files[0].1;
    assert_valid_qde(qde);
    assert!(!qde.contains("Gemma"), "{qde}");
    assert!(qde.contains("name=\"Guide\" isCodable=\"false\""), "{qde}");
    assert!(
        qde.contains("name=\"Desk staff\" isCodable=\"false\""),
        "{qde}"
    );
    let code = regex::Regex::new(
        r#"<Code guid="([^"]+)" name="How long was the queue\?" isCodable="true">"#,
    )
    .unwrap()
    .captures(qde)
    .unwrap_or_else(|| panic!("no question code in\n{qde}"))[1]
        .to_owned();
    assert_eq!(
        qde.matches(&format!("<CodeRef targetGUID=\"{code}\"/>"))
            .count(),
        2,
        "both notes answering it are coded with it"
    );
    // a second export gives the same identities
    let again = qdpx_files(
        &prepare(&store, &all(), "2026-11-23")
            .unwrap()
            .render(Format::Qdpx)
            .unwrap(),
    );
    assert!(again[0].1.contains(&code));
}
