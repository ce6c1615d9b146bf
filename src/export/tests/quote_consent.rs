//! Quote-level consent in every format: a withheld quote's words appear nowhere in the file;
//! its marker and the summary of what was withheld do.

use super::*;
use crate::model::QuoteConsent;
use crate::quotes::text_hash;

const REFUSED: &str = "the tannoy was deafening every morning";
const PENDING: &str = "nobody at the kiosk looked up once";
const APPROVED: &str = "the new benches made the wait bearable";
const UNRECORDED: &str = "they lost my housing form twice over";

/// The fixture with P01 who said no, P03 who approves quotes (one approved, one not) and
/// P04 whose quote consent is not recorded, each with verbatim notes.
#[allow(clippy::disallowed_methods)]
fn with_quote_consents() -> Store {
    let store = fixture();
    let sid = store.sessions(Some("F2F")).unwrap()[0].id;
    let add = |name: &str, q: Option<QuoteConsent>| {
        store
            .participant_add(
                sid,
                NewParticipant {
                    real_name: name.into(),
                    role: Some("resident".into()),
                    quote_consent: q,
                    ..NewParticipant::default()
                },
            )
            .unwrap()
    };
    assert_eq!(add("Hyacinth Obi", Some(QuoteConsent::Approval)), "P03");
    assert_eq!(add("Tomasz Lis", None), "P04");
    store
        .participant_set_quote_consent("F2F", "P01", Some(QuoteConsent::No))
        .unwrap();
    let tagged = |speaker, text: &str| {
        store
            .note_add(NewNote {
                themes: vec!["Waiting times".into()],
                ..note(sid, Some(speaker), NoteKind::Verbatim, text)
            })
            .unwrap()
    };
    tagged("P01", REFUSED);
    tagged("P03", PENDING);
    let ok = tagged("P03", APPROVED);
    store
        .quote_approve(ok, "2024-04-01", &text_hash(APPROVED))
        .unwrap();
    tagged("P04", UNRECORDED);
    store
}

/// Every text part of every format, with the name of the part.
fn every_part(store: &Store) -> Vec<(String, String)> {
    let p = prepare(store, &all(), "2026-11-23").unwrap();
    let mut parts = Vec::new();
    for f in Format::ALL {
        let bytes = p.render(f).unwrap();
        match f {
            Format::Qdpx | Format::Xlsx => {
                for (name, text) in qdpx_files(&bytes) {
                    parts.push((format!("{} {name}", f.as_str()), text));
                }
            }
            _ => parts.push((f.as_str().to_owned(), String::from_utf8(bytes).unwrap())),
        }
    }
    parts
}

#[test]
fn a_withheld_quote_s_words_appear_in_no_format() {
    let store = with_quote_consents();
    let parts = every_part(&store);
    // the fixture's own verbatim note by P01 is withheld too
    for words in [REFUSED, PENDING, "felt unsafe when security shouted"] {
        for (part, text) in &parts {
            assert!(!text.contains(words), "{part} holds '{words}':\n{text}");
        }
    }
    for words in [APPROVED, UNRECORDED] {
        for f in ["md", "html", "csv", "json", "qdpx sources/"] {
            assert!(
                parts
                    .iter()
                    .any(|(part, text)| part.starts_with(f) && text.contains(words)),
                "{f} lacks the quotable '{words}'"
            );
        }
    }
}

#[test]
fn every_format_shows_the_marker_in_place_of_the_words() {
    let store = with_quote_consents();
    let parts = every_part(&store);
    for f in [
        "md",
        "html",
        "csv",
        "json",
        "qdpx sources/",
        "xlsx xl/sharedStrings.xml",
    ] {
        let text: String = parts
            .iter()
            .filter(|(part, _)| part.starts_with(f))
            .map(|(_, t)| t.as_str())
            .collect();
        assert!(
            text.contains("P01 did not agree to be quoted word for word"),
            "{f} lacks the refusal marker:\n{text}"
        );
        assert!(
            text.contains("awaiting P03") && text.contains("approval of the exact words"),
            "{f} lacks the approval marker:\n{text}"
        );
    }
}

#[test]
fn the_summary_says_how_many_were_withheld_why_and_whose_consent_is_missing() {
    let store = with_quote_consents();
    let p = prepare(&store, &all(), "2026-11-23").unwrap();
    let q = &p.summary.quotes;
    assert_eq!(q.refused.get("P01"), Some(&2));
    assert_eq!(q.awaiting_approval.get("P03"), Some(&1));
    assert_eq!(q.not_recorded.get("P04"), Some(&1));
    let parts = every_part(&store);
    for f in ["md", "html", "qdpx README.txt"] {
        let (_, text) = parts.iter().find(|(part, _)| part == f).unwrap();
        let text = text.replace("&#39;", "'");
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("2 verbatim quotes were withheld because the speaker did not agree to be quoted word for word: P01 (2)"),
            "{f}:\n{text}"
        );
        assert!(
            flat.contains(
                "withheld while awaiting the speaker's approval of the exact words: P03 (1)"
            ),
            "{f}:\n{text}"
        );
        assert!(
            flat.contains("Quote consent not recorded for"),
            "{f}:\n{text}"
        );
        assert!(flat.contains("P04"), "{f}:\n{text}");
    }
    let (_, json) = parts.iter().find(|(part, _)| part == "json").unwrap();
    let doc: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(doc["quotes"]["refused"]["P01"], 2);
    assert_eq!(doc["quotes"]["awaiting_approval"]["P03"], 1);
    let withheld: Vec<&serde_json::Value> = doc["excerpts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e.get("quote_withheld").is_some())
        .collect();
    assert_eq!(withheld.len(), 3);
    assert!(
        withheld
            .iter()
            .all(|e| !e["themes"].as_array().unwrap().is_empty())
    );
}

#[test]
fn an_edit_after_an_approval_withholds_the_quote_again() {
    let store = with_quote_consents();
    let id = store
        .sessions(Some("F2F"))
        .unwrap()
        .iter()
        .flat_map(|s| store.notes(s.id).unwrap())
        .find(|n| n.text == APPROVED)
        .unwrap()
        .id;
    store
        .note_update(
            id,
            "the new benches made the wait almost bearable",
            Some("P03"),
            NoteKind::Verbatim,
        )
        .unwrap();
    let md = text(&store, &all(), Format::Md);
    assert!(!md.contains("benches"), "{md}");
    assert!(md.contains("P03 (2)"), "{md}");
}
