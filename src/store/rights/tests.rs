use rusqlite::Connection;

use super::text_columns::{Kind, NOT_FREE_TEXT, TEXT_COLUMNS};
use super::*;
use crate::mentions::AnonymiserNames;
use crate::model::{NoteKind, PaperOrigin, SessionKind, Source};
use crate::store::{NewNote, NewParticipant, NewProject, NewSession, Store};

#[allow(clippy::disallowed_methods)]
fn store() -> (Store, i64) {
    let s = Store::new(Connection::open_in_memory().unwrap()).unwrap();
    s.project_add(NewProject {
        name: "F2F".into(),
        retention_months: Some(6),
        ..NewProject::default()
    })
    .unwrap();
    let sid = s
        .session_add(NewSession {
            project: "F2F".into(),
            kind: SessionKind::Interview,
            title: "With Aisha Khan".into(),
            date: Some("2024-01-31".into()),
            location: None,
            source: Source::Paper,
            paper: PaperOrigin::default(),
            facilitators: vec![],
        })
        .unwrap();
    s.participant_add(
        sid,
        NewParticipant {
            real_name: "Aisha Khan".into(),
            ..NewParticipant::default()
        },
    )
    .unwrap();
    (s, sid)
}

fn add(s: &Store, sid: i64, speaker: Option<&str>, text: &str) -> i64 {
    s.note_add(NewNote {
        session_id: sid,
        speaker: speaker.map(str::to_owned),
        kind: NoteKind::Paraphrase,
        text: text.into(),
        special_category: false,
        criminal_offence: false,
        themes: vec![],
        at_ms: 1_706_700_000_000,
        cluster: None,
        page: None,
        question_id: None,
    })
    .unwrap()
}

#[test]
fn months_are_added_calendar_wise() {
    assert_eq!(add_months("2024-01-31", 1).as_deref(), Some("2024-02-29"));
    assert_eq!(add_months("2024-11-15", 3).as_deref(), Some("2025-02-15"));
    assert_eq!(add_months("2024-03-07", 24).as_deref(), Some("2026-03-07"));
    assert_eq!(add_months("nonsense", 1), None);
}

#[test]
fn mentions_are_found_in_every_form() {
    let (s, sid) = store();
    for t in [
        "Aisha's son",
        "MS KHAN waited",
        "aisha left",
        "Nothing here",
        "Dr Khan came",
    ] {
        add(&s, sid, None, t);
    }
    let found: Vec<String> = s
        .mentions("F2F", "P01", &AnonymiserNames)
        .unwrap()
        .into_iter()
        .map(|n| n.text)
        .collect();
    assert_eq!(
        found,
        [
            "Aisha's son",
            "MS KHAN waited",
            "aisha left",
            "Dr Khan came"
        ]
    );
}

#[test]
fn withdrawal_rewrites_titles_and_drafts_too() {
    let (s, sid) = store();
    s.draft_save(&crate::store::Draft {
        session_id: sid,
        text: "Khan said".into(),
        speaker: None,
        kind: None,
        question_id: None,
    })
    .unwrap();
    let r = s.withdraw("F2F", "P01", false, &AnonymiserNames).unwrap();
    assert_eq!(r.mentions_replaced, 2);
    assert_eq!(s.session(sid).unwrap().title, "With P01");
    assert_eq!(s.draft(sid).unwrap().unwrap().text, "P01 said");
    let p = s.participant("F2F", "P01").unwrap();
    assert_eq!(p.real_name, None);
    assert_eq!(p.withdrawal.as_deref(), Some("keep-anonymised"));
    assert_eq!(p.consent, Some(crate::model::Consent::Withdrawn));
}

#[test]
fn the_ledger_applies_once_and_never_to_a_reused_row_id() {
    let (s, sid) = store();
    let n = add(&s, sid, None, "typed in the wrong place");
    s.erase_note(n, "mistake").unwrap();
    let ledger = s.ledger().unwrap();
    assert_eq!(ledger.len(), 1);
    // a new note reusing the id (SQLite may reuse the largest rowid) with another stamp
    let reused = s
        .note_add(NewNote {
            at_ms: 1_706_700_999_999,
            ..NewNote {
                session_id: sid,
                speaker: None,
                kind: NoteKind::Paraphrase,
                text: "a new note".into(),
                special_category: false,
                criminal_offence: false,
                themes: vec![],
                at_ms: 0,
                cluster: None,
                page: None,
                question_id: None,
            }
        })
        .unwrap();
    assert_eq!(reused, n, "the id was reused");
    // a fresh copy (as from an old backup) learns the ledger; this store already has it
    assert_eq!(s.apply_ledger(&ledger, &AnonymiserNames).unwrap(), 0);
    let (copy, csid) = store();
    let m = add(&copy, csid, None, "typed in the wrong place");
    assert_eq!(m, n);
    assert_eq!(copy.apply_ledger(&ledger, &AnonymiserNames).unwrap(), 1);
    assert!(copy.note(m).is_err(), "erased in the copy");
    assert_eq!(
        copy.apply_ledger(&ledger, &AnonymiserNames).unwrap(),
        0,
        "applied once"
    );
    assert!(
        s.note(reused).is_ok(),
        "the reused id in the live store is untouched"
    );
}

#[test]
fn retention_lists_due_sessions_and_paper_originals() {
    let (s, sid) = store();
    let items = s.retention(None, "2024-07-30").unwrap();
    assert_eq!(items.len(), 1);
    assert!(!items[0].overdue && items[0].paper_pending);
    assert_eq!(items[0].due, "2024-07-31");
    let items = s.retention(Some("F2F"), "2024-07-31").unwrap();
    assert!(items[0].overdue);
    let r = s
        .apply_retention(None, "2024-07-31", &AnonymiserNames)
        .unwrap();
    assert_eq!((r.sessions_erased, r.names_erased), (1, 1));
    assert!(s.session(sid).is_err());
    assert!(s.retention(None, "2030-01-01").unwrap().is_empty());
}

/// Every text column of every table (full-text index tables aside: their content is the
/// note table's, and the page-level proofs in tests/rights.rs read their pages).
fn text_columns(s: &Store) -> Vec<(String, String)> {
    let tables: Vec<String> = {
        let mut st = s
            .conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table'
                 AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'note_fts%'",
            )
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let mut out = Vec::new();
    for t in tables {
        let mut st = s
            .conn
            .prepare("SELECT name, type FROM pragma_table_info(?1)")
            .unwrap();
        for c in st
            .query_map([&t], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .unwrap()
        {
            let (name, ty) = c.unwrap();
            if ty.eq_ignore_ascii_case("TEXT") {
                out.push((t.clone(), name));
            }
        }
    }
    out
}

#[test]
fn every_text_column_is_erased_or_says_why_not() {
    let (s, _) = store();
    let all = text_columns(&s);
    for (t, c) in &all {
        let erased = TEXT_COLUMNS.iter().any(|x| x.table == t && x.column == c);
        let exempt = NOT_FREE_TEXT.iter().any(|x| x.0 == t && x.1 == c);
        assert!(
            erased != exempt,
            "{t}.{c}: an erasure must rewrite it (TEXT_COLUMNS) or say why not (NOT_FREE_TEXT), not both"
        );
    }
    let listed = TEXT_COLUMNS
        .iter()
        .map(|x| (x.table, x.column))
        .chain(NOT_FREE_TEXT.iter().map(|x| (x.0, x.1)));
    for (t, c) in listed {
        assert!(
            all.iter().any(|(a, b)| a == t && b == c),
            "{t}.{c} is listed but is no text column"
        );
    }
}

/// The store with `name` in every free-text field, a note and an unsaved draft by P01 in a
/// second session, a deny phrase naming them, and the same person registered as mentioned.
fn name_everywhere(name_forms: &[&str]) -> (Store, i64, i64) {
    let (s, sid) = store();
    s.participant_add(
        sid,
        NewParticipant {
            real_name: "Craig Barker".into(),
            ..NewParticipant::default()
        },
    )
    .unwrap();
    s.theme_add("F2F", "Safety", None, None, None).unwrap();
    add(
        &s,
        sid,
        Some("P01"),
        "Spoken by the withdrawing participant",
    );
    add(&s, sid, Some("P02"), "Kept words");
    let other = s
        .session_add(NewSession {
            project: "F2F".into(),
            kind: SessionKind::Workshop,
            title: "Second".into(),
            date: None,
            location: None,
            source: Source::Live,
            paper: PaperOrigin::default(),
            facilitators: vec![],
        })
        .unwrap();
    s.participant_join(other, "P01").unwrap();
    s.participant_join(other, "P02").unwrap();
    for (session, speaker) in [(sid, "p01"), (other, "P02")] {
        s.draft_save(&crate::store::Draft {
            session_id: session,
            text: "placeholder".into(),
            speaker: Some(speaker.into()),
            kind: None,
            question_id: None,
        })
        .unwrap();
    }
    s.list_add("F2F", true, name_forms[0]).unwrap();
    // a row in the disclosures log, so its texts are rewritten like every other
    s.disclosure_add(
        "F2F",
        crate::store::NewDisclosure {
            shared_on: "2024-05-02".into(),
            recipient: "CRM team".into(),
            what: "names".into(),
            lawful_basis: "6(1)(e)".into(),
            method: "email".into(),
        },
    )
    .unwrap();
    s.person_add(
        "F2F",
        &name_forms[0].to_uppercase(),
        Some("Person Z".into()),
    )
    .unwrap();
    s.guide_save(
        "F2F",
        "Guide",
        None,
        &[crate::guide::GuideItem {
            section: "Arriving".into(),
            text: "What happened?".into(),
            prompts: vec!["Who was there?".into()],
        }],
    )
    .unwrap();
    for (i, c) in TEXT_COLUMNS.iter().enumerate() {
        let form = name_forms[i % name_forms.len()];
        let value = if c.kind == Kind::NameList {
            serde_json::json!(["Jo Bloggs", form]).to_string()
        } else {
            format!("{} {} about {form}", c.table, c.column)
        };
        s.conn
            .execute(
                &format!("UPDATE {} SET {} = ?1", c.table, c.column),
                [value],
            )
            .unwrap();
    }
    (s, sid, other)
}

/// Every text and blob value in every table, lower-cased, for a name check.
fn everything(s: &Store) -> String {
    let tables: Vec<String> = {
        let mut st = s
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let mut out = String::new();
    for t in tables {
        let mut st = s.conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = st.column_count();
        let mut rows = st.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            for i in 0..n {
                match r.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Text(b) | rusqlite::types::ValueRef::Blob(b) => {
                        out.push_str(&String::from_utf8_lossy(b).to_lowercase());
                        out.push('\n');
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

#[test]
fn withdrawal_and_erasure_reach_every_text_field() {
    for how in ["erase", "keep-anonymised", "person"] {
        let (forms, needles, code) = match how {
            "person" => (
                ["Dana Smith", "dana's", "MS SMITH", "Dana"],
                ["dana", "smith"],
                "Person Z",
            ),
            _ => (
                ["Aisha Khan", "aisha's", "MS KHAN", "Aisha"],
                ["aisha", "khan"],
                "P01",
            ),
        };
        let (s, sid, other) = name_everywhere(&forms);
        assert!(
            everything(&s).contains(needles[0]),
            "the fixture holds the name"
        );
        let before = s.projects().unwrap().remove(0).name;
        let r = match how {
            "person" => s
                .erase_person(&before, "Person Z", &AnonymiserNames)
                .unwrap(),
            _ => s
                .withdraw(&before, "P01", how == "erase", &AnonymiserNames)
                .unwrap(),
        };
        let all = everything(&s);
        for n in needles {
            assert!(!all.contains(n), "{how}: '{n}' survives:\n{all}");
        }
        let project = s.projects().unwrap().remove(0);
        assert!(project.name.contains(code), "{how}: {}", project.name);
        let sessions = [s.session(sid).unwrap(), s.session(other).unwrap()];
        assert_eq!(sessions[0].facilitators[0], "Jo Bloggs", "{how}");
        assert!(sessions[0].facilitators[1].contains(code), "{how}");
        let (allow, deny) = s.lists(&project.name).unwrap();
        assert!(allow.is_empty() && deny.is_empty(), "{how}: {deny:?}");
        let themes = s.themes(&project.name).unwrap();
        assert!(themes[0].name.contains(code), "{how}: {}", themes[0].name);
        let first = s.draft(sessions[0].id).unwrap();
        let second = s.draft(sessions[1].id).unwrap().expect("P02's draft stays");
        assert!(second.text.contains(code), "{how}: {}", second.text);
        if how == "erase" {
            assert!(first.is_none(), "the withdrawn speaker's draft is erased");
            assert_eq!(r.drafts_erased, 1);
            let texts: Vec<String> = s
                .notes(sessions[0].id)
                .unwrap()
                .into_iter()
                .map(|n| n.text)
                .collect();
            assert_eq!(texts.len(), 1, "{texts:?}");
        } else {
            assert!(first.unwrap().text.contains(code), "{how}");
            assert_eq!(r.drafts_erased, 0);
        }
        // the search index was rewritten with the notes
        assert!(
            s.search(needles[0], None, &AnonymiserNames)
                .unwrap()
                .is_empty(),
            "{how}"
        );
        assert!(
            !s.search(code, None, &AnonymiserNames).unwrap().is_empty(),
            "{how}"
        );
    }
}

#[test]
fn a_replaced_name_that_clashes_stays_unique() {
    let (s, _) = store();
    s.theme_add("F2F", "P01's case", None, None, None).unwrap();
    s.theme_add("F2F", "Aisha's case", None, None, None)
        .unwrap();
    s.withdraw("F2F", "P01", false, &AnonymiserNames).unwrap();
    let names: Vec<String> = s
        .themes("F2F")
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"P01's case".to_owned()), "{names:?}");
    assert!(
        names.iter().any(|n| n.starts_with("P01's case (")),
        "{names:?}"
    );
}

#[test]
fn search_withholds_notes_that_mention_a_restricted_person() {
    let (s, sid) = store();
    s.participant_add(
        sid,
        NewParticipant {
            real_name: "Craig Barker".into(),
            ..NewParticipant::default()
        },
    )
    .unwrap();
    s.person_add("F2F", "Dana Smith", None).unwrap();
    add(&s, sid, Some("P02"), "The queue: Aisha waited an hour");
    add(&s, sid, Some("P02"), "The queue: Ms Smith helped");
    add(&s, sid, Some("P02"), "The queue: nobody else");
    let texts = |q: &str| -> Vec<String> {
        s.search(q, None, &AnonymiserNames)
            .unwrap()
            .into_iter()
            .map(|h| format!("{} | {}", h.session_title, h.note.text))
            .collect()
    };
    assert_eq!(texts("queue").len(), 3);
    s.set_restricted("F2F", "P01", true).unwrap();
    s.set_restricted("F2F", "Person A", true).unwrap();
    assert_eq!(texts("queue"), ["With P01 | The queue: nobody else"]);
    assert!(texts("aisha").is_empty() && texts("smith").is_empty());
    s.set_restricted("F2F", "P01", false).unwrap();
    assert_eq!(texts("queue").len(), 2);
}

/// A record review of one subject's record (everything in it is about them, attributed or
/// not) and one of two subjects, both with the record reference.
#[allow(clippy::disallowed_methods)]
fn reviews() -> (Store, i64, i64) {
    let (s, _) = store();
    let review = |title: &str| {
        s.session_add_review(
            NewSession {
                project: "F2F".into(),
                kind: SessionKind::Review,
                title: title.into(),
                date: Some("2024-02-01".into()),
                location: None,
                source: Source::Live,
                paper: PaperOrigin::default(),
                facilitators: vec![],
            },
            &crate::model::RecordReview {
                system: "CRM".into(),
                record_ref: Some(format!("CRM-{title}")),
                ..Default::default()
            },
        )
        .unwrap()
    };
    let (alone, shared) = (review("1"), review("2"));
    let subject = |sid, name: &str| {
        s.participant_add(
            sid,
            NewParticipant {
                real_name: name.into(),
                subject: true,
                ..NewParticipant::default()
            },
        )
        .unwrap()
    };
    assert_eq!(subject(alone, "Hodan Farah"), "P02");
    s.participant_join(shared, "P02").unwrap();
    assert_eq!(subject(shared, "Sam Jones"), "P03");
    add(&s, alone, Some("P02"), "Rang four times about the queue");
    add(&s, alone, None, "Three visits in March, each over an hour");
    add(&s, shared, None, "Both were moved to the quiet room");
    add(&s, shared, Some("P03"), "Complained in writing");
    (s, alone, shared)
}

#[test]
fn erasing_a_subject_takes_their_own_records_notes_and_every_reference_to_them() {
    let (s, alone, shared) = reviews();
    let r = s.withdraw("F2F", "P02", true, &AnonymiserNames).unwrap();
    assert_eq!(
        r.notes_erased, 2,
        "both notes of the review of their record alone"
    );
    assert!(s.notes(alone).unwrap().is_empty());
    assert_eq!(
        s.notes(shared).unwrap().len(),
        2,
        "the other subject's stay"
    );
    for sid in [alone, shared] {
        let review = s.session(sid).unwrap().review.unwrap();
        assert_eq!(
            review.record_ref, None,
            "the reference would lead back to them"
        );
        assert_eq!(review.system, "CRM");
    }
    let p = s.participant("F2F", "P02").unwrap();
    assert_eq!(
        p.consent, None,
        "no consent was given, so none is withdrawn"
    );
    assert!(p.real_name.is_none());
    assert!(!everything(&s).contains("hodan"));
}

#[test]
fn a_withdrawn_subjects_record_reference_goes_from_every_text_that_repeats_it() {
    let (s, alone, shared) = reviews();
    // the reference typed again where the export guard found it while it was on record
    s.theme_add("F2F", "crm-1 follow-up", None, None, None)
        .unwrap();
    add(&s, alone, None, "See CRM-1, and Crm-1 again");
    add(&s, shared, None, "Nothing about that record here");
    s.conn
        .execute(
            "UPDATE session SET title = 'Review of crm-1', review_sampling = 'by CRM-1'
             WHERE id = ?1",
            [alone],
        )
        .unwrap();
    s.withdraw("F2F", "P02", false, &AnonymiserNames).unwrap();
    let all = everything(&s);
    // they were a subject of both reviews
    assert!(!all.contains("crm-1"), "the reference is left somewhere");
    assert!(!all.contains("crm-2"), "the reference is left somewhere");
    let review = s.session(alone).unwrap();
    assert_eq!(review.title, "Review of [record reference erased]");
    assert!(
        s.themes("F2F")
            .unwrap()
            .iter()
            .any(|t| t.name == "[record reference erased] follow-up")
    );
}

#[test]
fn restricting_a_subject_withholds_all_of_the_review_of_their_record_alone() {
    let (s, alone, shared) = reviews();
    assert!(s.set_restricted("F2F", "P02", true).unwrap());
    let rule = s.restriction("F2F", &AnonymiserNames).unwrap();
    for n in s.notes(alone).unwrap() {
        assert!(
            rule.withholds_in(alone, n.speaker.as_deref(), &n.text),
            "{}",
            n.text
        );
    }
    let kept: Vec<_> = s
        .notes(shared)
        .unwrap()
        .into_iter()
        .filter(|n| !rule.withholds_in(shared, n.speaker.as_deref(), &n.text))
        .collect();
    assert_eq!(kept.len(), 2, "a review of two people is not theirs alone");
    let analysed = s.corpus_notes("F2F", &AnonymiserNames).unwrap();
    assert!(analysed.iter().all(|n| n.session_id != alone));
}
