//! Each use case on a real (temporary) vault with a fixed clock: its validation, and the audit
//! event it writes.

use secrecy::SecretString;
use time::macros::{date, datetime, offset};

use super::*;
use crate::model::{NoteKind, PaperOrigin, SessionKind, Source};
use crate::store::{NewParticipant, NewProject, NewSession};
use crate::vault::{KdfSettings, Unlock};

const KDF: KdfSettings = KdfSettings {
    work_factor: Some(10),
};

fn pass() -> SecretString {
    SecretString::from("correct horse battery staple 1987!".to_owned())
}

/// A new, empty vault in a temporary folder (kept while the first half lives).
pub(crate) fn vault() -> (tempfile::TempDir, Vault) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    Vault::init(&dir, &pass(), KDF).unwrap();
    let v = Vault::open(&dir, Unlock::Passphrase(pass()), KDF).unwrap();
    (tmp, v)
}

/// 2024-03-07, noon UTC.
pub(crate) fn clock() -> FixedClock {
    FixedClock::on(date!(2024 - 03 - 07))
}

fn project(name: &str, months: Option<u32>) -> NewProject {
    NewProject {
        name: name.into(),
        retention_months: months,
        ..Default::default()
    }
}

fn session(project: &str, kind: SessionKind, date: Option<&str>) -> NewSession {
    NewSession {
        project: project.into(),
        kind,
        title: "Front desk".into(),
        date: date.map(str::to_owned),
        location: None,
        source: Source::Live,
        paper: PaperOrigin::default(),
        facilitators: Vec::new(),
    }
}

/// The newest event: (action, detail).
fn last_event(v: &Vault) -> (String, String) {
    let e = v.store().audit_events().unwrap().pop().unwrap();
    (e.action, e.detail)
}

fn event_count(v: &Vault) -> usize {
    v.store().audit_events().unwrap().len()
}

fn events_of(v: &Vault, action: Action) -> Vec<String> {
    v.store()
        .audit_events()
        .unwrap()
        .into_iter()
        .filter(|e| e.action == action.as_str())
        .map(|e| e.detail)
        .collect()
}

#[test]
fn the_system_clock_gives_the_local_date() {
    let c = SystemClock::with_offset(offset!(+14));
    let utc = time::OffsetDateTime::now_utc();
    assert_eq!(c.now().offset(), offset!(+14));
    assert_eq!(c.today(), utc.to_offset(offset!(+14)).date().to_string());
}

#[test]
fn a_fixed_clock_says_the_local_date_near_midnight() {
    let late = FixedClock(datetime!(2024-03-07 23:30 UTC).to_offset(offset!(+1)));
    assert_eq!(late.today(), "2024-03-08");
    assert_eq!(
        late.now_ms(),
        datetime!(2024-03-07 23:30 UTC).unix_timestamp() * 1000
    );
}

#[test]
fn project_add_checks_retention_and_is_audited() {
    let (_t, v) = vault();
    for bad in [0, 1201] {
        let before = event_count(&v);
        let e = projects::add(&v, project("F2F", Some(bad))).unwrap_err();
        assert!(matches!(e, AppError::RetentionMonths(m) if m == bad), "{e}");
        assert!(e.to_string().contains("1 to 1200"), "{e}");
        assert!(v.store().projects().unwrap().is_empty(), "nothing saved");
        assert_eq!(event_count(&v), before, "nothing audited");
    }
    let id = projects::add(&v, project("F2F", Some(1200))).unwrap();
    assert_eq!(
        last_event(&v),
        ("project add".into(), format!("project {id}"))
    );
    let e = projects::add(&v, project("F2F", None)).unwrap_err();
    assert!(
        matches!(e, AppError::Store(_)),
        "a duplicate is the store's: {e}"
    );
}

#[test]
fn project_update_checks_retention_and_is_audited() {
    let (_t, v) = vault();
    projects::add(&v, project("F2F", Some(24))).unwrap();
    let e = projects::update(&v, "F2F", project("F2F", Some(5000))).unwrap_err();
    assert!(matches!(e, AppError::RetentionMonths(5000)), "{e}");
    assert_eq!(v.store().project("F2F").unwrap().retention_months, Some(24));
    projects::update(&v, "F2F", project("Face to face", Some(12))).unwrap();
    assert_eq!(
        last_event(&v),
        ("project edit".into(), "project record changed".into())
    );
    assert_eq!(
        v.store().project("Face to face").unwrap().retention_months,
        Some(12)
    );
}

#[test]
fn anonymiser_lists_are_audited_without_the_phrase() {
    let (_t, v) = vault();
    projects::add(&v, project("F2F", None)).unwrap();
    projects::list_add(&v, "F2F", true, "Riverside Court").unwrap();
    assert_eq!(
        last_event(&v),
        (
            "anonymiser list".into(),
            "phrase added to the deny list".into()
        )
    );
    assert!(projects::list_remove(&v, "F2F", "Riverside Court").unwrap());
    assert_eq!(last_event(&v).1, "phrase removed from a list");
    let before = event_count(&v);
    assert!(!projects::list_remove(&v, "F2F", "Riverside Court").unwrap());
    assert_eq!(event_count(&v), before);
}

#[test]
fn session_add_dates_by_the_clock_and_checks_its_input() {
    let (_t, v) = vault();
    projects::add(&v, project("F2F", None)).unwrap();
    let late = FixedClock(datetime!(2024-03-07 23:30 UTC).to_offset(offset!(+1)));
    let id = sessions::add(&v, &late, session("F2F", SessionKind::Interview, None)).unwrap();
    assert_eq!(
        v.store().session(id).unwrap().date.as_deref(),
        Some("2024-03-08"),
        "the local date, not UTC's"
    );
    assert_eq!(
        last_event(&v),
        ("session add".into(), format!("session {id}"))
    );

    let before = event_count(&v);
    let e = sessions::add(
        &v,
        &clock(),
        session("F2F", SessionKind::Interview, Some("7/3/24")),
    )
    .unwrap_err();
    assert!(matches!(e, AppError::Date(_)), "{e}");
    let mut live_with_paper = session("F2F", SessionKind::Interview, None);
    live_with_paper.paper.written_by = Some("Sam".into());
    let e = sessions::add(&v, &clock(), live_with_paper.clone()).unwrap_err();
    assert!(matches!(e, AppError::PaperDetailsOnLiveSession), "{e}");
    let e = sessions::update(&v, id, live_with_paper).unwrap_err();
    assert!(matches!(e, AppError::PaperDetailsOnLiveSession), "{e}");
    assert_eq!(event_count(&v), before);
    assert_eq!(v.store().sessions(Some("F2F")).unwrap().len(), 1);
}

#[test]
fn session_update_and_paper_destroyed_are_audited() {
    let (_t, v) = vault();
    projects::add(&v, project("F2F", None)).unwrap();
    let mut s = session("F2F", SessionKind::Interview, Some("2024-01-02"));
    s.source = Source::Paper;
    let id = sessions::add(&v, &clock(), s.clone()).unwrap();
    s.title = "Housing office".into();
    sessions::update(&v, id, s).unwrap();
    assert_eq!(
        last_event(&v),
        ("session edit".into(), format!("session {id}"))
    );
    assert_eq!(v.store().session(id).unwrap().title, "Housing office");

    let day = sessions::paper_destroyed(&v, &clock(), id, None).unwrap();
    assert_eq!(day, "2024-03-07");
    assert_eq!(
        last_event(&v),
        (
            "paper destroyed".into(),
            format!("session {id}, on 2024-03-07")
        )
    );
    let e = sessions::paper_destroyed(&v, &clock(), id, Some("yesterday")).unwrap_err();
    assert!(matches!(e, AppError::Date(_)), "{e}");
}

#[test]
fn participants_and_people_are_audited_by_pseudonym() {
    let (_t, v) = vault();
    projects::add(&v, project("F2F", None)).unwrap();
    let sid = sessions::add(&v, &clock(), session("F2F", SessionKind::Interview, None)).unwrap();
    let bad = NewParticipant {
        real_name: "Aisha Khan".into(),
        consent_date: Some("last week".into()),
        ..Default::default()
    };
    let before = event_count(&v);
    assert!(matches!(
        people::participant_add(&v, sid, bad).unwrap_err(),
        AppError::Date(_)
    ));
    assert_eq!(event_count(&v), before);
    let code = people::participant_add(
        &v,
        sid,
        NewParticipant {
            real_name: "Aisha Khan".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        last_event(&v),
        ("participant add".into(), format!("{code} in session {sid}"))
    );
    let code = people::person_add(&v, "F2F", "Dennis Price", None).unwrap();
    assert_eq!(last_event(&v), ("person add".into(), code));
    assert!(!last_event(&v).1.contains("Dennis"));
    let before = event_count(&v);
    assert!(people::person_add(&v, "F2F", "  ", None).is_err());
    assert_eq!(event_count(&v), before);
}

#[test]
fn note_add_takes_the_session_default_kind_and_the_clock() {
    let (_t, v) = vault();
    projects::add(&v, project("F2F", None)).unwrap();
    let interview =
        sessions::add(&v, &clock(), session("F2F", SessionKind::Interview, None)).unwrap();
    let workshop =
        sessions::add(&v, &clock(), session("F2F", SessionKind::Workshop, None)).unwrap();
    let before = event_count(&v);
    let note = |session_id, kind| notes::NoteInput {
        session_id,
        kind,
        text: "waited an hour".into(),
        ..Default::default()
    };
    let a = notes::add(&v, &clock(), note(interview, None)).unwrap();
    let b = notes::add(&v, &clock(), note(workshop, None)).unwrap();
    let c = notes::add(&v, &clock(), note(workshop, Some(NoteKind::Verbatim))).unwrap();
    let kind = |id| v.store().note(id).unwrap().kind;
    assert_eq!(
        (kind(a), kind(b), kind(c)),
        (NoteKind::Paraphrase, NoteKind::Idea, NoteKind::Verbatim)
    );
    assert_eq!(notes::default_kind(SessionKind::Workshop), NoteKind::Idea);
    assert_eq!(v.store().note(a).unwrap().created_at_ms, clock().now_ms());
    assert_eq!(event_count(&v), before, "notes are not audited one by one");
    assert!(matches!(
        notes::add(&v, &clock(), note(999, None)).unwrap_err(),
        AppError::Store(_)
    ));
}

#[test]
fn codebook_changes_are_audited_the_same_from_every_shell() {
    let (_t, v) = vault();
    projects::add(&v, project("F2F", None)).unwrap();
    let sid = sessions::add(&v, &clock(), session("F2F", SessionKind::Interview, None)).unwrap();
    for t in ["Waiting", "Queues", "Safety"] {
        let theme = themes::NewTheme {
            name: t.into(),
            ..Default::default()
        };
        themes::add(&v, "F2F", theme).unwrap();
    }
    for t in ["Waiting", "Queues", "Queues"] {
        let note = notes::NoteInput {
            session_id: sid,
            text: "long wait".into(),
            themes: vec![t.into()],
            ..Default::default()
        };
        notes::add(&v, &clock(), note).unwrap();
    }
    let before = event_count(&v);
    themes::move_to(&v, "F2F", "Queues", Some("Waiting")).unwrap();
    themes::set_memo(&v, "F2F", "Queues", "people in line").unwrap();
    assert_eq!(themes::memo(&v, "F2F", "queues").unwrap(), "people in line");
    assert!(themes::memo(&v, "F2F", "Nope").is_err());
    themes::edit(&v, "F2F", "Queues", Some("lines"), Some("blue")).unwrap();
    assert_eq!(
        event_count(&v),
        before,
        "moves, memos and edits are not audited"
    );

    themes::rename(&v, "F2F", "Queues", "Lines").unwrap();
    assert_eq!(
        last_event(&v),
        ("theme rename".into(), "project F2F".into())
    );
    assert_eq!(themes::tag_count(&v, "F2F", "Lines").unwrap(), 2);
    let moved = themes::merge(&v, "F2F", "Lines", "Waiting").unwrap();
    assert_eq!(moved, 2);
    assert_eq!(
        last_event(&v),
        ("theme merge".into(), "project F2F: 2 tags moved".into())
    );
    let removed = themes::delete(&v, "F2F", "Waiting").unwrap();
    assert_eq!(
        last_event(&v),
        (
            "theme delete".into(),
            format!("project F2F: {removed} tags removed")
        )
    );
    let before = event_count(&v);
    assert!(themes::rename(&v, "F2F", "Gone", "Still gone").is_err());
    assert_eq!(event_count(&v), before, "a refused change is not recorded");
}

#[test]
fn retention_applies_once_and_audits_each_project_once() {
    let (_t, v) = vault();
    projects::add(&v, project("Alpha", Some(6))).unwrap();
    projects::add(&v, project("Beta", Some(6))).unwrap();
    projects::add(&v, project("Kept", None)).unwrap();
    // due in date order: Alpha, Beta, Alpha — one project's sessions are not adjacent
    for (p, d) in [
        ("Alpha", "2023-01-01"),
        ("Beta", "2023-02-01"),
        ("Alpha", "2023-03-01"),
        ("Alpha", "2024-03-01"),
        ("Kept", "2020-01-01"),
    ] {
        sessions::add(&v, &clock(), session(p, SessionKind::Interview, Some(d))).unwrap();
    }
    let due = retention::list(&v, &clock(), None).unwrap();
    assert_eq!(due.iter().filter(|i| i.overdue).count(), 3);
    assert_eq!(retention::due_count(&v, &clock()).unwrap(), 3);

    let applied = retention::apply(&v, &clock(), None).unwrap();
    assert_eq!(applied.total.sessions_erased, 3);
    let per: Vec<(&str, usize)> = applied
        .projects
        .iter()
        .map(|(p, r)| (p.as_str(), r.sessions_erased))
        .collect();
    assert_eq!(per, [("Alpha", 2), ("Beta", 1)]);
    let events = events_of(&v, Action::Retention);
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(
        events[0].starts_with(
            "project Alpha: 0 notes erased, 0 texts with mentions replaced, 2 sessions erased"
        ),
        "{events:?}"
    );
    assert!(events[1].starts_with("project Beta:") && events[1].contains("1 sessions erased"));
    assert_eq!(retention::due_count(&v, &clock()).unwrap(), 0);
    assert_eq!(v.store().sessions(Some("Alpha")).unwrap().len(), 1);
    assert_eq!(v.store().sessions(Some("Kept")).unwrap().len(), 1);

    let again = retention::apply(&v, &clock(), None).unwrap();
    assert!(again.projects.is_empty());
    assert_eq!(
        events_of(&v, Action::Retention).len(),
        2,
        "nothing due, nothing recorded"
    );
}

#[test]
fn retention_of_one_project_leaves_the_others() {
    let (_t, v) = vault();
    projects::add(&v, project("Alpha", Some(1))).unwrap();
    projects::add(&v, project("Beta", Some(1))).unwrap();
    for p in ["Alpha", "Beta"] {
        sessions::add(
            &v,
            &clock(),
            session(p, SessionKind::Interview, Some("2023-01-01")),
        )
        .unwrap();
    }
    let applied = retention::apply(&v, &clock(), Some("Beta")).unwrap();
    assert_eq!(applied.projects.len(), 1);
    assert_eq!(events_of(&v, Action::Retention).len(), 1);
    assert_eq!(v.store().sessions(Some("Alpha")).unwrap().len(), 1);
}

#[test]
fn recipient_keys_have_one_parser() {
    let key = age::x25519::Identity::generate().to_public().to_string();
    assert!(keys::parse_public_key(&format!("  {key}\n")).is_ok());
    let e = keys::parse_public_keys(&[key, "age1nope\u{1b}[31m".into()]).unwrap_err();
    let AppError::NotAPublicKey { key: shown, .. } = &e else {
        panic!("{e}")
    };
    assert!(!shown.contains('\u{1b}'), "{shown:?}");
    assert!(e.to_string().contains("is not an age public key"), "{e}");
}

#[test]
fn recipients_and_passphrase_changes_are_audited() {
    let (t, v) = vault();
    let before = event_count(&v);
    assert!(matches!(
        keys::recipient_add(&v, "alice", "not a key").unwrap_err(),
        AppError::NotAPublicKey { .. }
    ));
    assert_eq!(event_count(&v), before);
    let id = age::x25519::Identity::generate();
    keys::recipient_add(&v, "alice", &id.to_public().to_string()).unwrap();
    assert_eq!(
        last_event(&v),
        ("recipient add".into(), "recipient alice".into())
    );
    assert_eq!(keys::recipients(&v).unwrap().len(), 1);

    let mut v = v;
    assert!(matches!(
        keys::change_passphrase(&mut v, SecretString::from("short".to_owned())).unwrap_err(),
        AppError::Vault(_)
    ));
    let new = SecretString::from("another horse battery staple 2001?".to_owned());
    keys::change_passphrase(&mut v, new.clone()).unwrap();
    assert_eq!(last_event(&v).0, "passphrase change");

    let v = keys::recipient_remove(v, "alice").unwrap();
    assert_eq!(last_event(&v).0, "recipient remove");
    assert!(keys::recipients(&v).unwrap().is_empty());
    drop(v);
    Vault::open(&t.path().join("vault"), Unlock::Passphrase(new), KDF).unwrap();
}

#[test]
fn a_change_whose_event_cannot_be_written_fails() {
    let (_t, v) = vault();
    v.store()
        .conn()
        .execute_batch(
            "CREATE TEMP TRIGGER no_audit BEFORE INSERT ON audit
             BEGIN SELECT RAISE(ABORT, 'the trail refuses'); END;",
        )
        .unwrap();
    let e = projects::add(&v, project("F2F", None)).unwrap_err();
    assert!(e.to_string().contains("the trail refuses"), "{e}");
    assert!(record(&v, Action::Unlock, "opened in the app").is_err());
}

/// A project "F2F" with one interview, a participant (Aisha Khan) and a note she spoke.
fn interviewed(v: &Vault) -> (i64, String, i64) {
    projects::add(v, project("F2F", None)).unwrap();
    let sid = sessions::add(v, &clock(), session("F2F", SessionKind::Interview, None)).unwrap();
    let code = people::participant_add(
        v,
        sid,
        NewParticipant {
            real_name: "Aisha Khan".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let note = notes::add(
        v,
        &clock(),
        notes::NoteInput {
            session_id: sid,
            text: "Aisha Khan waited an hour".into(),
            speaker: Some(code.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    (sid, code, note)
}

#[test]
fn erasure_is_audited_with_what_it_erased() {
    let (_t, v) = vault();
    let (sid, _code, note) = interviewed(&v);
    let code = people::person_add(&v, "F2F", "Dennis Price", None).unwrap();
    let before = event_count(&v);
    assert!(matches!(
        rights::erase(&v, &rights::Erasure::Note(999)).unwrap_err(),
        AppError::Store(_)
    ));
    assert_eq!(event_count(&v), before);

    let r = rights::erase(&v, &rights::Erasure::Note(note)).unwrap();
    assert_eq!(r.notes_erased, 1);
    let (action, detail) = last_event(&v);
    assert_eq!(action, "erase");
    assert!(
        detail.starts_with(&format!("project F2F: note {note}; {}", r.describe())),
        "{detail}"
    );

    let person = rights::Erasure::Person {
        project: None,
        code: code.clone(),
    };
    rights::erase(&v, &person).unwrap();
    assert!(
        last_event(&v)
            .1
            .starts_with(&format!("project F2F: person {code}; "))
    );
    assert!(!last_event(&v).1.contains("Dennis"));

    let r = rights::erase(&v, &rights::Erasure::Session(sid)).unwrap();
    assert_eq!(r.sessions_erased, 1);
    assert!(
        last_event(&v)
            .1
            .starts_with(&format!("project F2F: session {sid}; "))
    );
    assert!(v.store().session(sid).is_err());
}

#[test]
fn withdrawal_is_audited_by_pseudonym_with_its_mode() {
    let (_t, v) = vault();
    let (_sid, code, note) = interviewed(&v);
    let before = event_count(&v);
    assert!(rights::withdraw(&v, None, "P99", true).is_err());
    assert!(rights::withdraw(&v, Some("Nowhere"), &code, true).is_err());
    assert_eq!(event_count(&v), before);

    let (project, p) = rights::participant(&v, None, &code).unwrap();
    assert_eq!(
        (project.as_str(), p.pseudonym.as_str()),
        ("F2F", code.as_str())
    );
    let w = rights::withdraw(&v, None, &code, false).unwrap();
    assert_eq!(w.pseudonym, code);
    assert!(v.store().note(note).is_ok(), "kept anonymised");
    let (action, detail) = last_event(&v);
    assert_eq!(action, "withdraw");
    assert_eq!(
        detail,
        format!(
            "project F2F: {code} withdrew (keep-anonymised); {}",
            w.report.describe()
        )
    );
    assert!(!detail.contains("Aisha"));
}

#[test]
fn restriction_is_audited_only_when_it_changes() {
    let (_t, v) = vault();
    let (_sid, code, _note) = interviewed(&v);
    assert!(rights::restrict(&v, None, "P99", true).is_err());
    let before = event_count(&v);
    assert!(rights::restrict(&v, None, &code, true).unwrap());
    assert_eq!(
        last_event(&v),
        ("restrict".into(), format!("project F2F: {code}"))
    );
    assert!(!rights::restrict(&v, None, &code, true).unwrap());
    assert_eq!(event_count(&v), before + 1);
    assert!(rights::restrict(&v, Some("F2F"), &code, false).unwrap());
    assert_eq!(
        last_event(&v),
        ("unrestrict".into(), format!("project F2F: {code}"))
    );
    assert!(!rights::restrict(&v, None, &code, false).unwrap());
    assert_eq!(event_count(&v), before + 2);
}

#[test]
fn export_is_dated_by_the_clock_and_audited() {
    let (t, v) = vault();
    interviewed(&v);
    let scope = crate::export::Scope {
        project: "F2F".into(),
        ..Default::default()
    };
    let missing = crate::export::Scope {
        project: "Nowhere".into(),
        ..Default::default()
    };
    assert!(export::prepare(&v, &clock(), &missing).is_err());
    let mut p = export::prepare(&v, &clock(), &scope).unwrap();
    assert_eq!(p.summary.excerpts.len(), 1);
    assert!(!p.review.is_empty(), "the name is substituted");
    let path = t.path().join("out.md");
    let format = crate::export::Format::Md;
    export::write(&v, &mut p, &scope, format, &path, &[], false).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("2024-03-07") && !text.contains("Aisha"),
        "{text}"
    );
    let anchor = v.store().audit_head().unwrap().unwrap().to_string();
    assert!(
        text.contains(&anchor),
        "the file carries its own record's anchor"
    );
    let (action, detail) = last_event(&v);
    assert_eq!(action, "export");
    assert!(
        detail.starts_with("project F2F, all sessions, format md, 1 excerpts, ")
            && detail.contains("unencrypted"),
        "{detail}"
    );
    let before = event_count(&v);
    assert!(matches!(
        export::write(&v, &mut p, &scope, format, &path, &[], false).unwrap_err(),
        AppError::Output(crate::outfile::OutputError::Exists(_))
    ));
    assert_eq!(event_count(&v), before, "a refused path is not an export");
}

#[test]
fn subject_access_is_dated_by_the_clock_and_audited() {
    let (t, v) = vault();
    let (_sid, code, _note) = interviewed(&v);
    let main = t.path().join("sar.md");
    let json = t.path().join("sar.json");
    let (main_plan, json_plan) = (
        crate::outfile::plan(&main, false).unwrap(),
        crate::outfile::plan(&json, false).unwrap(),
    );
    let protection = rights::Protection::Plain;
    let out = || rights::SubjectAccessOutput {
        main: &main_plan,
        json: &json_plan,
        shown_as: &main,
        markdown: true,
        protection: &protection,
        kdf_work_factor: None,
    };
    let before = event_count(&v);
    assert!(rights::subject_access(&v, &clock(), None, "P99", out()).is_err());
    assert_eq!(event_count(&v), before);
    assert!(!main.exists());

    let r = rights::subject_access(&v, &clock(), None, &code, out()).unwrap();
    assert_eq!((r.generated_on.as_str(), r.spoken.len()), ("2024-03-07", 1));
    assert!(json.exists());
    assert_eq!(
        last_event(&v),
        (
            "subject access".into(),
            format!(
                "project F2F: {code} ({}), 1 notes spoken, {} mentioning, unencrypted, to {}",
                r.subject.kind,
                r.mentioned.len(),
                main.display()
            )
        )
    );
    assert!(matches!(
        rights::Protection::passphrase(SecretString::from("short".to_owned())).unwrap_err(),
        AppError::Protection(_)
    ));
}

#[test]
fn the_record_of_processing_is_dated_by_the_clock_and_audited() {
    let (t, v) = vault();
    interviewed(&v);
    let path = t.path().join("ropa.md");
    let plan = crate::outfile::plan(&path, false).unwrap();
    let before = event_count(&v);
    assert!(
        rights::accountability_report(&v, &clock(), Some("Nowhere"), &plan, &path, true).is_err()
    );
    assert_eq!(event_count(&v), before);
    rights::accountability_report(&v, &clock(), None, &plan, &path, true).unwrap();
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("2024-03-07")
    );
    assert_eq!(
        last_event(&v),
        (
            "report".into(),
            format!("project F2F: record of processing to {}", path.display())
        )
    );
}

#[test]
fn check_and_reading_the_trail_are_audited() {
    let (_t, v) = vault();
    let pages = vault_ops::check(&v).unwrap();
    assert!(pages > 0);
    assert_eq!(
        last_event(&v),
        ("check".into(), format!("{pages} pages verified"))
    );
    let trail = vault_ops::audit_trail(&v).unwrap();
    assert_eq!(
        trail.last().map(|e| (e.action.as_str(), e.detail.as_str())),
        Some(("audit view", "audit trail listed"))
    );
    let n = event_count(&v);
    assert_eq!(vault_ops::audit_chain(&v).unwrap(), n);
    assert_eq!(event_count(&v), n, "verifying is not recorded");
}

#[test]
fn a_damaged_log_fails_the_check_unaudited() {
    let (_t, v) = vault();
    let kept = v.paths().dir.join("fieldnotes.db-wal.damaged-1");
    std::fs::write(&kept, b"x").unwrap();
    let before = event_count(&v);
    let e = vault_ops::check(&v).unwrap_err();
    assert!(matches!(&e, AppError::DamagedLog(p) if *p == kept), "{e}");
    assert_eq!(event_count(&v), before);
}

#[test]
fn a_backup_is_named_by_the_clock_anchors_the_trail_and_restores() {
    let (t, mut v) = vault();
    projects::add(&v, project("F2F", None)).unwrap();
    let w = vault_ops::backup(&mut v, &clock(), None, false, &[]).unwrap();
    assert_eq!(
        w.path.file_name().unwrap(),
        "fieldnotes-2024-03-07T12-00-00Z.age"
    );
    assert!(w.plan.is_file() && w.path.exists());
    assert_eq!(last_event(&v).0, "backup");
    let given = t.path().join("b.age");
    vault_ops::backup(&mut v, &clock(), Some(&given), false, &[]).unwrap();
    assert!(matches!(
        vault_ops::backup(&mut v, &clock(), Some(&given), false, &[]).unwrap_err(),
        AppError::Output(crate::outfile::OutputError::Exists(_))
    ));

    let found = vault_ops::backup_anchors(&v, &[]).unwrap();
    assert!(found.unchecked.is_none());
    assert_eq!(found.anchors.len(), 1);
    let anchors: Vec<_> = found
        .anchors
        .into_iter()
        .map(|(_, a)| (a, "the backup".to_owned()))
        .collect();
    let head = vault_ops::audit_anchors(&v, &anchors).unwrap();
    assert_eq!(head, v.store().audit_head().unwrap());
    assert!(vault_ops::backup_anchors(&v, &[t.path().join("missing.age")]).is_err());

    let dir = v.paths().dir.clone();
    drop(v);
    let from = vault_ops::RestoreFrom {
        file: &given,
        passphrase: None,
        identities: &[],
    };
    let report = vault_ops::restore(&dir, Unlock::Passphrase(pass()), KDF, from).unwrap();
    assert_eq!(report.reapplied, 0);
    let v = Vault::open(&dir, Unlock::Passphrase(pass()), KDF).unwrap();
    assert_eq!(last_event(&v).0, "restore");
}

/// A workshop with three ideas (`one`, `two`, `three`) and a participant P01.
fn workshop(v: &Vault) -> (i64, [i64; 3]) {
    projects::add(v, project("F2F", None)).unwrap();
    let sid = sessions::add(v, &clock(), session("F2F", SessionKind::Workshop, None)).unwrap();
    people::participant_add(
        v,
        sid,
        NewParticipant {
            real_name: "Tesfay Habte".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let add = |text: &str| {
        let n = notes::NoteInput {
            session_id: sid,
            text: text.into(),
            ..Default::default()
        };
        notes::add(v, &clock(), n).unwrap()
    };
    (sid, [add("one"), add("two"), add("three")])
}

fn texts(notes: &[crate::model::Note]) -> Vec<&str> {
    notes.iter().map(|n| n.text.as_str()).collect()
}

#[test]
fn note_edits_round_trip_unaudited() {
    let (_t, v) = vault();
    let (sid, [one, two, three]) = workshop(&v);
    let before = event_count(&v);

    let edited = notes::edit(&v, one, "one, said twice ", Some("P01"), NoteKind::Verbatim).unwrap();
    assert_eq!(
        (edited.text.as_str(), edited.speaker.as_deref(), edited.kind),
        ("one, said twice", Some("P01"), NoteKind::Verbatim)
    );
    assert_eq!(notes::get(&v, one).unwrap().text, "one, said twice");
    assert!(notes::edit(&v, one, "   ", None, NoteKind::Idea).is_err());
    assert!(matches!(
        notes::edit(
            &v,
            one,
            &"x".repeat(crate::text::MAX_NOTE_BYTES + 1),
            None,
            NoteKind::Idea
        ),
        Err(AppError::NoteTooLarge)
    ));
    assert_eq!(
        notes::get(&v, one).unwrap().text,
        "one, said twice",
        "a refused edit keeps the note"
    );

    let order = notes::move_by(&v, three, true).unwrap();
    assert_eq!(texts(&order), ["one, said twice", "three", "two"]);
    let order = notes::move_by(&v, one, true).unwrap();
    assert_eq!(
        texts(&order),
        ["one, said twice", "three", "two"],
        "the first stays first"
    );
    assert_eq!(texts(&notes::list(&v, sid).unwrap()), texts(&order));

    assert_eq!(notes::vote(&v, two, 1).unwrap().votes, 1);
    assert_eq!(notes::vote(&v, two, 1).unwrap().votes, 2);
    assert_eq!(notes::vote(&v, two, -1).unwrap().votes, 1);
    assert!(matches!(notes::vote(&v, two, 5), Err(AppError::Vote(5))));
    assert_eq!(notes::get(&v, two).unwrap().votes, 1);

    let n = notes::set_flags(&v, two, true, false).unwrap();
    assert!(n.special_category && !n.criminal_offence);
    assert_eq!(
        notes::set_cluster(&v, two, Some(" Queues "))
            .unwrap()
            .cluster
            .as_deref(),
        Some("Queues")
    );
    assert_eq!(
        notes::set_cluster(&v, two, Some("  ")).unwrap().cluster,
        None
    );
    assert_eq!(
        notes::set_page(&v, two, Some("3")).unwrap().page.as_deref(),
        Some("3")
    );
    assert_eq!(notes::set_page(&v, two, None).unwrap().page, None);

    let left = notes::delete(&v, three).unwrap();
    assert_eq!(texts(&left), ["one, said twice", "two"]);
    assert!(notes::get(&v, three).is_err());
    assert!(notes::delete(&v, three).is_err(), "a note goes once");

    assert_eq!(
        event_count(&v),
        before,
        "note edits are not audited one by one"
    );
}

#[test]
fn tags_and_untags_round_trip() {
    let (_t, v) = vault();
    let (sid, [one, _, _]) = workshop(&v);
    let before = event_count(&v);
    assert!(
        tags::tag(&v, one, "Queues", None).unwrap(),
        "a new theme joins the codebook"
    );
    assert!(!tags::tag(&v, one, "Queues", Some((0, 2))).unwrap());
    assert_eq!(themes::names(&v, "F2F").unwrap(), ["Queues"]);
    let t = tags::of_note(&v, one).unwrap();
    assert_eq!(t.note.themes, ["Queues"]);
    assert_eq!(t.themes, ["Queues"]);
    assert_eq!(t.tags.len(), 2);
    assert!(
        tags::tag(&v, one, "Queues", Some((2, 99))).is_err(),
        "a span past the end"
    );

    tags::untag_span(&v, one, "Queues", Some((0, 2))).unwrap();
    assert_eq!(tags::of_note(&v, one).unwrap().tags.len(), 1);
    tags::untag(&v, one, "Queues").unwrap();
    let t = tags::of_note(&v, one).unwrap();
    assert!(t.tags.is_empty() && t.note.themes.is_empty());
    assert_eq!(t.themes, ["Queues"], "the theme stays in the codebook");
    assert!(sessions::open(&v, sid).unwrap().tags.is_empty());
    assert_eq!(event_count(&v), before, "tags are not audited one by one");
}

#[test]
fn drafts_search_and_opening_a_session() {
    let (_t, v) = vault();
    let (sid, [one, ..]) = workshop(&v);
    assert!(drafts::load(&v, sid).unwrap().is_none());
    let draft = Draft {
        session_id: sid,
        text: "half a thought".into(),
        speaker: Some("P01".into()),
        kind: None,
        question_id: None,
    };
    drafts::save(&v, &draft).unwrap();
    assert_eq!(
        drafts::load(&v, sid).unwrap().unwrap().text,
        "half a thought"
    );
    let opened = sessions::open(&v, sid).unwrap();
    assert_eq!(opened.session.id, sid);
    assert_eq!(texts(&opened.notes), ["one", "two", "three"]);
    assert_eq!(opened.participants.len(), 1);
    assert_eq!(
        opened.draft.map(|d| d.text).as_deref(),
        Some("half a thought")
    );
    drafts::save(
        &v,
        &Draft {
            text: " ".into(),
            ..draft
        },
    )
    .unwrap();
    assert!(
        drafts::load(&v, sid).unwrap().is_none(),
        "blank text clears the draft"
    );

    let hits = search::search(&v, "two", None).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].note.text, "two");
    assert_eq!(
        search::search(&v, "one", Some("F2F")).unwrap()[0].note.id,
        one
    );
    assert!(search::search(&v, "one", Some("Nowhere")).is_err());
    assert_eq!(projects::list(&v).unwrap().len(), 1);
    assert_eq!(sessions::list(&v, Some("F2F")).unwrap().len(), 1);
    assert_eq!(projects::resolve(&v, None).unwrap().name, "F2F");
}

#[test]
fn analysis_views_and_redaction_registries_are_audited() {
    let (_t, v) = vault();
    workshop(&v);
    let before = event_count(&v);
    let c = analysis::corpus(&v, "F2F").unwrap();
    assert_eq!(c.project, "F2F");
    assert_eq!(event_count(&v), before, "loading alone is not a view");
    analysis::viewed(&v, "F2F", "frequencies").unwrap();
    assert_eq!(
        last_event(&v),
        (
            "analysis".to_owned(),
            "project F2F: frequencies viewed".to_owned()
        )
    );
    let registry = projects::registry_for_redaction(&v, "F2F").unwrap();
    assert_eq!(registry.people.len(), 1);
    assert_eq!(
        events_of(&v, Action::Redact),
        ["text anonymised with the project's registry"]
    );
}

#[test]
fn subject_access_holds_the_memos_about_the_person_and_no_one_elses() {
    let (t, v) = vault();
    let (sid, code, note) = interviewed(&v);
    let other = people::participant_add(
        &v,
        sid,
        NewParticipant {
            real_name: "Dennis Price".into(),
            ..Default::default()
        },
    )
    .unwrap();
    memos::add(&v, sid, Some(note), "check the hour against the desk log").unwrap();
    memos::add(&v, sid, None, "Aisha Khan seemed tired by the end").unwrap();
    memos::add(
        &v,
        sid,
        None,
        "Dennis Price arrived late, from the Kings Cross hostel",
    )
    .unwrap();
    let main = t.path().join("sar.md");
    let json = t.path().join("sar.json");
    let (main_plan, json_plan) = (
        crate::outfile::plan(&main, false).unwrap(),
        crate::outfile::plan(&json, false).unwrap(),
    );
    let protection = rights::Protection::Plain;
    let out = rights::SubjectAccessOutput {
        main: &main_plan,
        json: &json_plan,
        shown_as: &main,
        markdown: true,
        protection: &protection,
        kdf_work_factor: None,
    };
    let r = rights::subject_access(&v, &clock(), None, &code, out).unwrap();
    let texts: Vec<&str> = r.memos.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(
        texts,
        vec![
            "Aisha Khan seemed tired by the end",
            "check the hour against the desk log"
        ],
        "the memo on their note and the one naming them; not the one about {other}"
    );
    let report = std::fs::read_to_string(&main).unwrap();
    assert!(report.contains("seemed tired") && report.contains("desk log"));
    assert!(
        !report.contains("Dennis") && !report.contains("hostel"),
        "{report}"
    );
}

#[test]
fn a_form_kept_through_a_lock_is_given_back_once_and_goes_with_any_erasure() {
    let (_t, v) = vault();
    let (_sid, _code, note) = interviewed(&v);
    assert_eq!(settings::take_kept_form(&v).unwrap(), None);
    settings::keep_form(&v, "{\"form\":1}").unwrap();
    assert_eq!(
        settings::take_kept_form(&v).unwrap().as_deref(),
        Some("{\"form\":1}")
    );
    assert_eq!(
        settings::take_kept_form(&v).unwrap(),
        None,
        "given back once"
    );
    settings::keep_form(&v, "{\"name\":\"Aisha Khan\"}").unwrap();
    rights::erase(&v, &rights::Erasure::Note(note)).unwrap();
    assert_eq!(
        settings::take_kept_form(&v).unwrap(),
        None,
        "a kept form may hold what was erased"
    );
}
