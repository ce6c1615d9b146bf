use std::io::Read;

use std::collections::HashSet;

use super::prepare::{month_of, month_of_ms, remap};
use super::*;
use crate::anonymise::{Kind, Registry};
use crate::model::{PaperOrigin, Source};
use crate::store::{NewNote, NewParticipant, NewProject, NewSession, Store};

const DAY: i64 = 86_400_000;
/// 2024-03-07 10:00 UTC.
pub(super) const T0: i64 = 1_709_805_600_000;

pub(super) fn note(session_id: i64, speaker: Option<&str>, kind: NoteKind, text: &str) -> NewNote {
    NewNote {
        session_id,
        speaker: speaker.map(str::to_owned),
        kind,
        text: text.into(),
        special_category: false,
        criminal_offence: false,
        themes: Vec::new(),
        at_ms: T0,
        cluster: None,
        page: None,
        question_id: None,
    }
}

/// A small project: an interview with two participants, a workshop with ranked ideas,
/// identifiers in the notes, a span tag, a child theme.
#[allow(clippy::disallowed_methods)]
pub(super) fn fixture() -> Store {
    let store = Store::open_in_memory().unwrap();
    store
        .project_add(NewProject {
            name: "F2F".into(),
            purpose: Some("Why people become distressed at the Civic Centre".into()),
            lawful_basis: Some("6(1)(e) public task".into()),
            special_category_condition: Some("9(2)(g)".into()),
            dpia_ref: Some("DPIA-2024-07".into()),
            controller: Some("the council".into()),
            retention_months: Some(24),
            ..NewProject::default()
        })
        .unwrap();
    let session = |kind, title: &str, date: &str| NewSession {
        project: "F2F".into(),
        kind,
        title: title.into(),
        date: Some(date.into()),
        location: Some("Civic Centre".into()),
        source: Source::Live,
        paper: PaperOrigin::default(),
        facilitators: vec!["Ruth Okafor".into()],
    };
    let i = store
        .session_add(session(
            SessionKind::Interview,
            "Interview with Abdirahman",
            "2024-03-07",
        ))
        .unwrap();
    let w = store
        .session_add(session(
            SessionKind::Workshop,
            "Staff workshop",
            "2024-05-02",
        ))
        .unwrap();
    let p = |name: &str, role: &str| NewParticipant {
        real_name: name.into(),
        role: Some(role.into()),
        ..NewParticipant::default()
    };
    store
        .participant_add(i, p("Abdirahman Warsame", "person with lived experience"))
        .unwrap();
    store
        .participant_add(i, p("Gemma Ashworth", "customer support officer"))
        .unwrap();
    store
        .theme_add(
            "F2F",
            "Safety",
            None,
            Some("Feeling unsafe".into()),
            Some("#c53030".into()),
        )
        .unwrap();
    store
        .theme_add("F2F", "Security staff", Some("Safety"), None, None)
        .unwrap();
    store
        .theme_add("F2F", "Waiting times", None, None, None)
        .unwrap();
    let n1 = store
        .note_add(NewNote {
            themes: vec!["Waiting times".into()],
            ..note(
                i,
                Some("P01"),
                NoteKind::Paraphrase,
                "Abdirahman said the queue was two hours. Warsame lives at 14 Agar Grove, NW1 9SL, phone 07700 900461.",
            )
        })
        .unwrap();
    // "the queue was two hours" in the raw text
    store.tag(n1, "Safety", Some((16, 39))).unwrap();
    store
        .note_add(NewNote {
            themes: vec!["Security staff".into()],
            ..note(
                i,
                Some("P01"),
                NoteKind::Verbatim,
                "Mr Warsame felt unsafe when security shouted; NHS number 943 476 5919.",
            )
        })
        .unwrap();
    store
        .note_add(note(
            i,
            Some("P02"),
            NoteKind::Paraphrase,
            "Gemma said <b>the triage</b> script needs a plain-English version.",
        ))
        .unwrap();
    store
        .note_add(note(
            i,
            Some("F1"),
            NoteKind::Observation,
            "=SUM(A1) queue at 9am.",
        ))
        .unwrap();
    for (text, votes, cluster) in [
        ("A greeter at the door", 2, "Welcome"),
        ("Water and seats in the queue", 5, "Welcome"),
        ("Radio on every floor", 1, "Staff"),
    ] {
        let id = store
            .note_add(NewNote {
                cluster: Some(cluster.into()),
                at_ms: T0 + 56 * DAY,
                ..note(w, None, NoteKind::Idea, text)
            })
            .unwrap();
        store.note_vote(id, votes).unwrap();
    }
    store
}

pub(super) fn all() -> Scope {
    Scope {
        project: "F2F".into(),
        ..Scope::default()
    }
}

pub(super) fn text(store: &Store, scope: &Scope, f: Format) -> String {
    let p = prepare(store, scope, "2026-11-23").unwrap();
    String::from_utf8(p.render(f).unwrap()).unwrap()
}

pub(super) fn qdpx_files(bytes: &[u8]) -> Vec<(String, String)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            (f.name().unwrap().into_owned(), s)
        })
        .collect()
}

const LEAKS: &[&str] = &[
    "abdirahman",
    "warsame",
    "gemma",
    "ashworth",
    "ruth",
    "okafor",
    "agar grove",
    "9sl",
    "900461",
    "943 476 5919",
];

pub(super) fn assert_no_leak(s: &str) {
    let l = s.to_lowercase();
    for leak in LEAKS {
        assert!(!l.contains(leak), "{leak} leaked in:\n{s}");
    }
}

#[test]
fn golden_markdown() {
    let s = text(&fixture(), &all(), Format::Md);
    assert_no_leak(&s);
    insta::assert_snapshot!(s);
}

#[test]
fn golden_html() {
    let s = text(&fixture(), &all(), Format::Html);
    assert_no_leak(&s);
    assert!(
        s.contains("&lt;b&gt;the triage&lt;/b&gt;"),
        "markup is escaped"
    );
    assert!(s.contains("<svg") && s.contains("</svg>"), "inline chart");
    insta::assert_snapshot!(s);
}

#[test]
fn golden_csv() {
    let s = text(&fixture(), &all(), Format::Csv);
    assert_no_leak(&s);
    assert!(s.contains("'=SUM(A1)"), "formula cells are defused");
    insta::assert_snapshot!(s);
}

#[test]
fn golden_json() {
    let s = text(&fixture(), &all(), Format::Json);
    assert_no_leak(&s);
    let v: serde_json::Value = serde_json::from_str(&s).unwrap();
    assert_eq!(v["excerpts"].as_array().unwrap().len(), 7);
    insta::assert_snapshot!(s);
}

#[test]
fn golden_qdpx() {
    let p = prepare(&fixture(), &all(), "2026-11-23").unwrap();
    let files = qdpx_files(&p.render(Format::Qdpx).unwrap());
    assert_eq!(files[0].0, "project.qde");
    for (name, body) in &files {
        assert_no_leak(body);
        insta::assert_snapshot!(name.replace('/', "_"), body);
    }
}

#[test]
fn qdpx_codings_point_at_the_coded_words() {
    let p = prepare(&fixture(), &all(), "2026-11-23").unwrap();
    let files = qdpx_files(&p.render(Format::Qdpx).unwrap());
    let qde = &files[0].1;
    let re = regex::Regex::new(r#"name="P01 Safety" startPosition="(\d+)" endPosition="(\d+)""#)
        .unwrap();
    let c = re.captures(qde).expect("a Safety selection on P01's note");
    let (a, b): (usize, usize) = (c[1].parse().unwrap(), c[2].parse().unwrap());
    let source = files
        .iter()
        .find(|(_, t)| t.starts_with("Interview with P01"))
        .expect("the interview's source");
    let coded: String = source.1.chars().skip(a).take(b - a).collect();
    assert_eq!(coded, "the queue was two hours");
}

#[test]
fn qdpx_project_validates_against_the_refi_qda_schema() {
    let xsd = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/refi-qda/Project-mrt2019.xsd");
    assert!(
        xsd.exists(),
        "the REFI-QDA schema is expected at {}",
        xsd.display()
    );
    let p = prepare(&fixture(), &all(), "2026-11-23").unwrap();
    let files = qdpx_files(&p.render(Format::Qdpx).unwrap());
    assert_valid_qde(&files[0].1);
}

/// Checks a `project.qde` against the REFI-QDA schema with xmllint.
pub(super) fn assert_valid_qde(text: &str) {
    let xsd = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/refi-qda/Project-mrt2019.xsd");
    let dir = tempfile::tempdir().unwrap();
    let qde = dir.path().join("project.qde");
    std::fs::write(&qde, text).unwrap();
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(&qde)
        .output()
        .expect("xmllint (Debian package libxml2-utils) must be installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_leak_guard_refuses_a_registered_name_left_in_by_the_allow_list() {
    let store = fixture();
    store.list_add("F2F", false, "Warsame").unwrap();
    let p = prepare(&store, &all(), "2026-11-23").unwrap();
    for f in Format::ALL {
        match p.render(f) {
            Err(ExportError::Leak {
                what,
                location,
                context,
            }) => {
                assert_eq!(what, "the registered name of P01");
                assert!(location.contains("line"), "{location}");
                assert!(context.contains("Warsame"), "{context}");
            }
            other => panic!(
                "{f:?}: expected a refusal, got {:?}",
                other.map(|b| b.len())
            ),
        }
    }
}

#[test]
fn the_leak_guard_refuses_an_allowed_identifier() {
    let store = fixture();
    store.list_add("F2F", false, "07700 900461").unwrap();
    let p = prepare(&store, &all(), "2026-11-23").unwrap();
    let e = p.render(Format::Md).unwrap_err().to_string();
    assert!(e.contains("a phone number from the notes"), "{e}");
    assert!(e.contains("Nothing was written"), "{e}");
}

#[test]
fn restricted_people_are_withheld_spoken_and_mentioned() {
    let store = fixture();
    assert!(store.set_restricted("F2F", "P02", true).unwrap());
    let s = text(&store, &all(), Format::Json);
    assert!(!s.contains("triage"), "P02's own note is withheld");
    assert!(s.contains("two hours"), "others' notes stay");
    assert!(!s.contains("\"P02\""), "P02 is not listed");
    store.set_restricted("F2F", "P02", false).unwrap();
    store.set_restricted("F2F", "P01", true).unwrap();
    let p = prepare(&store, &all(), "2026-11-23").unwrap();
    // both P01 notes are spoken by P01; P02's note names Gemma (P02) only
    assert_eq!(p.summary.withheld, 2);
    assert!(
        p.summary
            .excerpts
            .iter()
            .all(|e| e.speaker.as_deref() != Some("P01"))
    );
}

#[test]
fn scope_narrows_by_theme_with_children_and_by_session() {
    let store = fixture();
    let s = prepare(
        &store,
        &Scope {
            theme: Some("safety".into()),
            ..all()
        },
        "2026-11-23",
    )
    .unwrap();
    // the span-tagged note (Safety) and the note tagged with its child (Security staff)
    assert_eq!(s.summary.excerpts.len(), 2);
    let w = prepare(
        &store,
        &Scope {
            sessions: vec![2],
            ..all()
        },
        "2026-11-23",
    )
    .unwrap();
    assert_eq!(w.summary.excerpts.len(), 3);
    assert_eq!(w.summary.ideas.len(), 3);
    let votes: Vec<i64> = w
        .summary
        .ideas
        .iter()
        .map(|&i| w.summary.excerpts[i].votes)
        .collect();
    assert_eq!(votes, [5, 2, 1], "ideas ranked by votes");
    let e = prepare(
        &store,
        &Scope {
            sessions: vec![99],
            ..all()
        },
        "2026-11-23",
    )
    .err()
    .unwrap();
    assert!(
        e.to_string().contains("session 99 is not in project F2F"),
        "{e}"
    );
    let e = prepare(
        &store,
        &Scope {
            theme: Some("Nope".into()),
            ..all()
        },
        "2026-11-23",
    )
    .err()
    .unwrap();
    assert!(e.to_string().contains("no theme named 'Nope'"), "{e}");
}

#[test]
fn every_substitution_is_listed_for_review() {
    let p = prepare(&fixture(), &all(), "2026-11-23").unwrap();
    let kinds: HashSet<Kind> = p.review.iter().map(|r| r.substitution.kind).collect();
    for k in [
        Kind::RegisteredName,
        Kind::Postcode,
        Kind::Phone,
        Kind::NhsNumber,
        Kind::Address,
    ] {
        assert!(kinds.contains(&k), "{k:?} missing from review");
    }
    let store = fixture();
    for r in &p.review {
        let s = &r.substitution;
        if r.note_id > 0 {
            // the substitution sits in its note, between the words shown around it
            let raw = store.note(r.note_id).unwrap().text;
            let in_context = format!("{}{}{}", r.before, s.original, r.after);
            assert!(raw.contains(&in_context), "{in_context:?} not in {raw:?}");
            assert_eq!(&raw[s.start..s.end], s.original);
            assert_eq!(r.place, format!("note {}", r.note_id));
        }
        assert!(r.before.chars().count() <= REVIEW_CONTEXT);
        assert!(r.after.chars().count() <= REVIEW_CONTEXT);
        assert!(!s.rule.is_empty());
    }
}

#[test]
fn remap_moves_spans_across_substitutions() {
    let a = crate::anonymise::Anonymiser::new(&Registry {
        people: vec![crate::anonymise::KnownPerson {
            name: "Abdirahman Warsame".into(),
            pseudonym: "P01".into(),
        }],
        ..Registry::default()
    });
    let orig = "Then Abdirahman Warsame waited. Zoë was kind.";
    let r = a.redact(orig);
    let new = &r.text;
    let span = |a: usize, b: usize| {
        let (x, y) = remap(orig, &r.substitutions, new, (a, b)).unwrap();
        new.chars().skip(x).take(y - x).collect::<String>()
    };
    assert_eq!(span(24, 30), "waited");
    // a span starting inside a name widens to the whole pseudonym
    assert_eq!(span(8, 30), "P01 waited");
    assert_eq!(span(0, 4), "Then");
}

#[test]
fn months_and_formats_read_well() {
    assert_eq!(month_words("2024-03"), "March 2024");
    assert_eq!(month_of("2024-03-07").as_deref(), Some("2024-03"));
    assert_eq!(month_of_ms(T0).as_deref(), Some("2024-03"));
    assert_eq!("MD".parse::<Format>().unwrap(), Format::Md);
    assert!(
        "pdf"
            .parse::<Format>()
            .unwrap_err()
            .to_string()
            .contains("md, html")
    );
    let from = |p: &str| Format::from_path(std::path::Path::new(p));
    assert_eq!(from("board.HTML").unwrap(), Format::Html);
    assert_eq!(from("out/share.md.age").unwrap(), Format::Md);
    assert!(
        from("summary")
            .unwrap_err()
            .to_string()
            .contains("no extension")
    );
}

#[test]
fn a_name_found_in_one_note_is_removed_from_every_text_of_the_export() {
    let store = fixture();
    let s = store.sessions(Some("F2F")).unwrap()[0].id;
    store
        .note_add(note(
            s,
            Some("F1"),
            NoteKind::Observation,
            "Ms Ines Varga (receptionist) came down to the desk.",
        ))
        .unwrap();
    // on its own, a lower-case surname in a later note is weak evidence
    store
        .note_add(note(
            s,
            Some("P01"),
            NoteKind::Paraphrase,
            "then varga took him upstairs",
        ))
        .unwrap();
    let md = text(&store, &all(), Format::Md);
    assert!(
        !md.to_lowercase().contains("varga") && !md.contains("Ines"),
        "{md}"
    );
    let p = prepare(&store, &all(), "2026-11-23").unwrap();
    assert!(
        p.review
            .iter()
            .any(|r| r.substitution.rule == "same name found in another text of this export"),
        "the review says why the weak mention went"
    );
}

mod by_question;
mod data_formats;
mod quote_consent;
mod record_reviews;

/// The review's context is found in a bounded window, whatever the length of the line.
#[test]
fn review_context_reads_a_bounded_window_of_a_long_line() {
    let line = "é word ".repeat(200_000);
    let mid = line.len() / 2;
    let mid = (mid..).find(|&i| line.is_char_boundary(i)).unwrap();
    let (lo, hi) = super::context_window(&line, mid, mid + 4);
    assert!(mid - lo <= REVIEW_CONTEXT * 4 && hi - mid - 4 <= REVIEW_CONTEXT * 4 + 3);
    assert!(line.is_char_boundary(lo) && line.is_char_boundary(hi));
    let s = crate::anonymise::Substitution {
        start: mid,
        end: mid + 4,
        ..crate::anonymise::Anonymiser::new(&crate::anonymise::Registry::default())
            .redact("call 07700 900461")
            .substitutions[0]
            .clone()
    };
    let item = ReviewItem::new(1, "note 1", &line, &s);
    assert_eq!(item.before.chars().count(), REVIEW_CONTEXT);
    assert_eq!(item.after.chars().count(), REVIEW_CONTEXT);
}
