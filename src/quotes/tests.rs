use std::collections::HashMap;

use super::*;
use crate::model::{Note, NoteKind, QuoteConsent};
use crate::store::QuoteApproval;

fn note(id: i64, speaker: Option<&str>, kind: NoteKind, text: &str) -> Note {
    Note {
        id,
        session_id: 1,
        position: id,
        created_at_ms: 0,
        offset_ms: None,
        speaker: speaker.map(str::to_owned),
        kind,
        text: text.to_owned(),
        special_category: false,
        criminal_offence: false,
        themes: Vec::new(),
        cluster: None,
        votes: 0,
        page: None,
        question_id: None,
    }
}

fn rule(approved: &[(i64, &str)]) -> QuoteRule {
    let consent: HashMap<String, Option<QuoteConsent>> = [
        ("P01", Some(QuoteConsent::Yes)),
        ("P02", Some(QuoteConsent::No)),
        ("P03", Some(QuoteConsent::Approval)),
        ("P04", None),
    ]
    .into_iter()
    .map(|(c, q)| (c.to_owned(), q))
    .collect();
    let approvals = approved
        .iter()
        .map(|(id, text)| {
            (
                *id,
                QuoteApproval {
                    note_id: *id,
                    approved_on: "2025-03-01".into(),
                    text_hash: text_hash(text),
                },
            )
        })
        .collect();
    QuoteRule::new(consent, approvals)
}

const WORDS: &str = "the lift was broken for a month";

#[test]
fn each_consent_value_decides_a_verbatim_note() {
    let r = rule(&[]);
    let v = |code| r.verdict(&note(1, Some(code), NoteKind::Verbatim, WORDS));
    assert_eq!(v("P01"), Verdict::Quotable);
    assert_eq!(v("P02"), Verdict::Withheld(Withheld::Refused));
    assert_eq!(v("P03"), Verdict::Withheld(Withheld::AwaitingApproval));
    assert_eq!(v("P04"), Verdict::Unrecorded);
}

#[test]
fn an_approval_of_the_exact_words_makes_a_quote_quotable_until_it_is_edited() {
    let r = rule(&[(7, WORDS)]);
    let approved = note(7, Some("P03"), NoteKind::Verbatim, WORDS);
    assert_eq!(r.verdict(&approved), Verdict::Quotable);
    let edited = note(
        7,
        Some("P03"),
        NoteKind::Verbatim,
        "the lift was broken for a week",
    );
    assert_eq!(
        r.verdict(&edited),
        Verdict::Withheld(Withheld::AwaitingApproval)
    );
    // an approval belongs to its note, not to the same words elsewhere
    let other = note(8, Some("P03"), NoteKind::Verbatim, WORDS);
    assert_eq!(
        r.verdict(&other),
        Verdict::Withheld(Withheld::AwaitingApproval)
    );
}

#[test]
fn facilitators_notes_without_a_speaker_and_other_kinds_are_unaffected() {
    let r = rule(&[]);
    assert_eq!(
        r.verdict(&note(1, Some("F1"), NoteKind::Verbatim, WORDS)),
        Verdict::Quotable
    );
    assert_eq!(
        r.verdict(&note(1, None, NoteKind::Verbatim, WORDS)),
        Verdict::Quotable
    );
    for kind in [NoteKind::Paraphrase, NoteKind::Observation, NoteKind::Idea] {
        for code in ["P02", "P03", "P04"] {
            assert_eq!(
                r.verdict(&note(1, Some(code), kind, WORDS)),
                Verdict::Quotable,
                "{kind} by {code}"
            );
        }
    }
}

#[test]
fn the_tally_says_how_many_were_withheld_why_and_whose_consent_is_missing() {
    let r = rule(&[]);
    let mut t = QuoteTally::default();
    for (id, code) in [(1, "P02"), (2, "P02"), (3, "P03"), (4, "P04"), (5, "P01")] {
        let n = note(id, Some(code), NoteKind::Verbatim, WORDS);
        t.count(n.speaker.as_deref(), r.verdict(&n));
    }
    assert_eq!(t.withheld(), 3);
    let s = t.sentences().join("\n");
    assert!(
        s.contains("2 verbatim quotes were withheld because the speaker did not agree"),
        "{s}"
    );
    assert!(s.contains("P02 (2)"), "{s}");
    assert!(
        s.contains("1 verbatim quote was withheld while awaiting"),
        "{s}"
    );
    assert!(
        s.contains("Quote consent not recorded for P04: their 1 verbatim note is quoted"),
        "{s}"
    );
    assert!(!s.contains("P01"), "{s}");
}

#[test]
fn markers_name_the_speaker_and_the_reason_without_the_words() {
    let m = Withheld::Refused.marker("P02");
    assert!(m.contains("P02") && m.contains("did not agree"), "{m}");
    let m = Withheld::AwaitingApproval.marker("P03");
    assert!(m.contains("awaiting P03's approval"), "{m}");
}
