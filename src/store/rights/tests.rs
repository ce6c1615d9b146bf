use rusqlite::Connection;

use super::*;
use crate::model::{NoteKind, PaperOrigin, SessionKind};
use crate::store::{NewNote, NewParticipant, NewProject, NewSession};

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
        .mentions("F2F", "P01")
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
    })
    .unwrap();
    let r = s.withdraw("F2F", "P01", false).unwrap();
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
            }
        })
        .unwrap();
    assert_eq!(reused, n, "the id was reused");
    // a fresh copy (as from an old backup) learns the ledger; this store already has it
    assert_eq!(s.apply_ledger(&ledger).unwrap(), 0);
    let (copy, csid) = store();
    let m = add(&copy, csid, None, "typed in the wrong place");
    assert_eq!(m, n);
    assert_eq!(copy.apply_ledger(&ledger).unwrap(), 1);
    assert!(copy.note(m).is_err(), "erased in the copy");
    assert_eq!(copy.apply_ledger(&ledger).unwrap(), 0, "applied once");
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
    let r = s.apply_retention(None, "2024-07-31").unwrap();
    assert_eq!((r.sessions_erased, r.names_erased), (1, 1));
    assert!(s.session(sid).is_err());
    assert!(s.retention(None, "2030-01-01").unwrap().is_empty());
}
