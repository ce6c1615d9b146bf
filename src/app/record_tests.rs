//! Record reviews, their subjects and the disclosures log through the use cases.

use super::tests::{clock, vault};
use super::*;
use crate::model::{Consent, PaperOrigin, QuoteConsent, RecordReview, SessionKind, Source};
use crate::store::{NewParticipant, NewProject, NewSession};

fn project(v: &Vault) {
    projects::add(
        v,
        NewProject {
            name: "F2F".into(),
            lawful_basis: Some("6(1)(e) public task".into()),
            special_category_condition: Some("9(2)(g) substantial public interest".into()),
            ..Default::default()
        },
    )
    .unwrap();
}

fn review_session() -> NewSession {
    NewSession {
        project: "F2F".into(),
        kind: SessionKind::Review,
        title: "Incident reports".into(),
        date: None,
        location: None,
        source: Source::Live,
        paper: PaperOrigin::default(),
        facilitators: Vec::new(),
    }
}

fn crm() -> RecordReview {
    RecordReview {
        system: " CRM ".into(),
        record_ref: Some("CRM-4471".into()),
        from: Some("2024-01-01".into()),
        to: Some("2024-03-31".into()),
        sampling: Some("every contact about the desk".into()),
    }
}

fn events(v: &Vault) -> Vec<(String, String)> {
    v.store()
        .audit_events()
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.detail))
        .collect()
}

#[test]
fn a_record_review_keeps_what_it_read_and_checks_it() {
    let (_t, v) = vault();
    project(&v);
    settings::set_researcher(&v, "Ruth Okafor").unwrap();
    let id = sessions::add_review(&v, &clock(), review_session(), crm()).unwrap();
    let s = sessions::get(&v, id).unwrap();
    assert_eq!(s.kind, SessionKind::Review);
    assert_eq!(s.date.as_deref(), Some("2024-03-07"), "dated today");
    assert!(s.facilitators.is_empty(), "the researcher is no speaker");
    let r = s.review.unwrap();
    assert_eq!(r.system, "CRM");
    assert_eq!(r.record_ref.as_deref(), Some("CRM-4471"));
    assert_eq!(
        (r.from.as_deref(), r.to.as_deref()),
        (Some("2024-01-01"), Some("2024-03-31"))
    );
    assert_eq!(
        events(&v).last().unwrap().1,
        format!("session {id} (record review)")
    );
    assert!(!events(&v).iter().any(|(_, d)| d.contains("CRM-4471")));

    let refused = |r: RecordReview| {
        sessions::add_review(&v, &clock(), review_session(), r)
            .unwrap_err()
            .to_string()
    };
    let e = refused(RecordReview {
        from: Some("2024-04-01".into()),
        ..crm()
    });
    assert!(
        e.contains("ends (2024-03-31) before it starts (2024-04-01)"),
        "{e}"
    );
    let e = refused(RecordReview {
        to: Some("2024-02-30".into()),
        ..crm()
    });
    assert!(e.contains("YYYY-MM-DD"), "{e}");
    let e = refused(RecordReview {
        system: "  ".into(),
        ..crm()
    });
    assert!(e.contains("--system"), "{e}");
    let paper = sessions::add_review(
        &v,
        &clock(),
        NewSession {
            source: Source::Paper,
            ..review_session()
        },
        crm(),
    )
    .unwrap_err()
    .to_string();
    assert!(paper.contains("no paper original"), "{paper}");
    // not without what it read
    let bare = sessions::add(&v, &clock(), review_session())
        .unwrap_err()
        .to_string();
    assert!(bare.contains("--system"), "{bare}");

    // edited: what it read changes; it stays a record review
    sessions::update_review(
        &v,
        id,
        review_session(),
        RecordReview {
            record_ref: None,
            ..crm()
        },
    )
    .unwrap();
    assert_eq!(
        sessions::get(&v, id).unwrap().review.unwrap().record_ref,
        None
    );
    let e = sessions::update(
        &v,
        id,
        NewSession {
            kind: SessionKind::Interview,
            ..review_session()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("cannot become an interview"), "{e}");
}

#[test]
fn notes_of_a_record_review_have_no_live_timestamps() {
    let (_t, v) = vault();
    project(&v);
    let id = sessions::add_review(&v, &clock(), review_session(), crm()).unwrap();
    let n = notes::add(
        &v,
        &clock(),
        notes::NoteInput {
            session_id: id,
            speaker: None,
            kind: None,
            text: "Three visits in March.".into(),
            special_category: false,
            criminal_offence: false,
            themes: Vec::new(),
            cluster: None,
            page: None,
            at_ms: Some(1_709_805_600_000),
            from_draft: false,
            question_id: None,
        },
    )
    .unwrap();
    let n = v.store().note(n).unwrap();
    assert_eq!(n.offset_ms, None);
    assert_eq!(n.kind, crate::model::NoteKind::Observation);
}

#[test]
fn a_subject_is_never_asked_for_consent_and_is_never_quoted() {
    let (_t, v) = vault();
    project(&v);
    let id = sessions::add_review(&v, &clock(), review_session(), crm()).unwrap();
    let code = people::participant_add(
        &v,
        id,
        NewParticipant {
            real_name: "Hodan Farah".into(),
            role: Some("tenant".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(code, "P01", "the participants' sequence");
    let p = people::participants_of_session(&v, id).unwrap().remove(0);
    assert!(p.subject, "everyone added to a record review is a subject");
    assert_eq!(p.consent, None);
    assert_eq!(p.quote_consent, Some(QuoteConsent::No));
    let project = projects::get(&v, "F2F").unwrap();
    assert_eq!(
        p.consent_shown(&project),
        "subject of records (no consent: 6(1)(e) public task; 9(2)(g) substantial public interest)"
    );
    let e = people::participant_add(
        &v,
        id,
        NewParticipant {
            real_name: "Sam Jones".into(),
            consent: Some(Consent::Given),
            ..Default::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("not asked for consent"), "{e}");
    // a subject belongs to a record review only
    let interview = sessions::add(
        &v,
        &clock(),
        NewSession {
            kind: SessionKind::Interview,
            ..review_session()
        },
    )
    .unwrap();
    let e = people::participant_add(
        &v,
        interview,
        NewParticipant {
            real_name: "Sam Jones".into(),
            subject: true,
            ..Default::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("record review"), "{e}");
    // interviewed as well: the next pseudonym, and a link joins the two
    let p2 = people::participant_add(
        &v,
        interview,
        NewParticipant {
            real_name: "Hodan Farah".into(),
            consent: Some(Consent::Given),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(p2, "P02");
    people::participant_link(&v, Some("F2F"), "P02", "P01").unwrap();
    let both = people::participants_of_session(&v, id).unwrap();
    assert_eq!(both.len(), 1);
    assert_eq!(both[0].pseudonym, "P01");
    assert!(
        !both[0].subject,
        "interviewed too: a participant, with their consent"
    );
    assert_eq!(both[0].consent, Some(Consent::Given));
    assert_eq!(
        people::participants_of_session(&v, interview).unwrap()[0].pseudonym,
        "P01"
    );
}

#[test]
fn disclosures_are_recorded_corrected_deleted_and_audited_by_id() {
    let (_t, v) = vault();
    project(&v);
    let d = NewDisclosure {
        shared_on: "2024-05-02".into(),
        recipient: "CRM team".into(),
        what: "names and visit times of 12 people".into(),
        lawful_basis: "6(1)(e) public task".into(),
        method: "encrypted email".into(),
    };
    let e = disclosures::add(
        &v,
        None,
        NewDisclosure {
            shared_on: "2 May".into(),
            ..d.clone()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("YYYY-MM-DD"), "{e}");
    let id = disclosures::add(&v, None, d.clone()).unwrap();
    let pid = projects::get(&v, "F2F").unwrap().id;
    assert_eq!(
        events(&v).last().unwrap(),
        &(
            "disclosure recorded".to_owned(),
            format!("disclosure {id} (project {pid})")
        )
    );
    disclosures::update(
        &v,
        Some("f2f"),
        id,
        NewDisclosure {
            method: "secure file transfer".into(),
            ..d
        },
    )
    .unwrap();
    let list = disclosures::list(&v, None).unwrap();
    assert_eq!(list[0].method, "secure file transfer");
    assert_eq!(events(&v).last().unwrap().0, "disclosure corrected");
    disclosures::delete(&v, None, id).unwrap();
    assert!(disclosures::list(&v, None).unwrap().is_empty());
    assert_eq!(events(&v).last().unwrap().0, "disclosure deleted");
    assert!(
        !events(&v)
            .iter()
            .any(|(_, d)| d.contains("CRM team") || d.contains("12 people")),
        "the trail holds ids only"
    );
}
