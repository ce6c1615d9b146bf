//! Record reviews in exports: the review's source system, months read and sampling in every
//! format; its record reference in none, even typed into a note.

use calamine::{Reader, Xlsx};

use super::*;
use crate::model::RecordReview;

const REF: &str = "CRM-4471-Q";

/// The fixture with a record review of one subject's CRM record, the reference also typed
/// into a note.
#[allow(clippy::disallowed_methods)]
fn with_review() -> (Store, i64) {
    let store = fixture();
    let id = store
        .session_add_review(
            NewSession {
                project: "F2F".into(),
                kind: SessionKind::Review,
                title: "CRM contacts".into(),
                date: Some("2024-06-03".into()),
                location: None,
                source: Source::Live,
                paper: PaperOrigin::default(),
                facilitators: Vec::new(),
            },
            &RecordReview {
                system: "CRM".into(),
                record_ref: Some(REF.into()),
                from: Some("2024-01-01".into()),
                to: Some("2024-03-31".into()),
                sampling: Some("every contact about the desk".into()),
            },
        )
        .unwrap();
    let code = store
        .participant_add(
            id,
            NewParticipant {
                real_name: "Hodan Farah".into(),
                role: Some("tenant".into()),
                subject: true,
                ..NewParticipant::default()
            },
        )
        .unwrap();
    store
        .note_add(note(
            id,
            Some(&code),
            NoteKind::Observation,
            &format!("Record {REF}: Hodan Farah rang four times about the queue."),
        ))
        .unwrap();
    (store, id)
}

fn every_text(store: &Store) -> Vec<(String, String)> {
    let p = prepare(store, &all(), "2026-11-23").unwrap();
    let mut out = Vec::new();
    for f in [Format::Md, Format::Html, Format::Csv, Format::Json] {
        out.push((
            format!("{f:?}"),
            String::from_utf8(p.render(f).unwrap()).unwrap(),
        ));
    }
    out.extend(qdpx_files(&p.render(Format::Qdpx).unwrap()));
    let bytes = p.render(Format::Xlsx).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        let cells: Vec<String> = range.cells().map(|(_, _, c)| c.to_string()).collect();
        out.push((format!("xlsx {name}"), cells.join("\n")));
    }
    out
}

#[test]
fn the_record_reference_is_in_no_format_and_the_review_is_in_each_header() {
    let (store, _) = with_review();
    let texts = every_text(&store);
    for (what, t) in &texts {
        assert!(
            !t.to_lowercase().contains(&REF.to_lowercase()),
            "{what} holds the record reference:\n{t}"
        );
        assert!(!t.contains("Hodan"), "{what} names the subject");
    }
    let find = |what: &str| &texts.iter().find(|(w, _)| w == what).unwrap().1;
    let line = "Records read: CRM, January 2024 to March 2024; records chosen: every contact about the desk";
    assert!(find("Md").contains(line), "{}", find("Md"));
    assert!(find("Html").contains(line), "{}", find("Html"));
    assert!(find("xlsx sessions").contains(line));
    let json: serde_json::Value = serde_json::from_str(find("Json")).unwrap();
    let review = json["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|s| s.get("review"))
        .expect("the review session's details");
    assert_eq!(review["system"], "CRM");
    assert_eq!(review["from_month"], "2024-01");
    assert_eq!(review["to_month"], "2024-03");
    assert!(review.get("record_ref").is_none());
    let qde = texts
        .iter()
        .find(|(w, _)| w.ends_with(".qde"))
        .map(|(_, t)| t)
        .unwrap();
    assert!(qde.contains("Records read: CRM"), "{qde}");
    assert_valid_qde(qde);
    // the subject is labelled with the basis the project relies on instead of consent
    assert!(
        find("Md").contains("subject of records (no consent: 6(1)(e) public task; 9(2)(g))"),
        "{}",
        find("Md")
    );
}

#[test]
fn a_record_reference_in_a_note_is_removed_and_the_guard_refuses_it_anywhere() {
    let (store, _) = with_review();
    // kept on the allow list, it is still removed: the reference is never a word to keep
    store.list_add("F2F", false, REF).unwrap();
    let p = prepare(&store, &all(), "2026-11-23").unwrap();
    let md = String::from_utf8(p.render(Format::Md).unwrap()).unwrap();
    assert!(md.contains(r"Record \[REDACTED\]: "), "{md}");
    assert!(md.contains("rang four times") && !md.contains(REF), "{md}");
    // whatever path an output takes (an analysis view, say), the guard refuses it
    match p.check("the excerpts", &format!("read {}", REF.to_lowercase())) {
        Err(ExportError::Leak { what, .. }) => {
            assert_eq!(what, "the record reference of a record review")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}
