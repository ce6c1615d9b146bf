//! What the interview itself adds travels too: topic guides and the questions notes answer,
//! quote approvals, record-review details and the disclosures log.

use super::tests::team;
use crate::guide::parse_markdown;
use crate::model::SessionKind;
use crate::store::NewNote;

const GUIDE: &str = "# Desk staff\n## Arriving\n- What happens at the desk?\n  - Who is first?\n- How long is the wait?\n";

fn answering(d: &super::tests::Desk, session: i64, text: &str, question: i64) -> i64 {
    d.store
        .note_add(NewNote {
            session_id: session,
            speaker: None,
            kind: crate::model::NoteKind::Paraphrase,
            text: text.into(),
            special_category: false,
            criminal_offence: false,
            themes: Vec::new(),
            at_ms: 1_700_000_000_000,
            cluster: None,
            page: None,
            question_id: Some(question),
        })
        .unwrap()
}

/// Each note's text with the text of the question it answers, sorted.
fn answers(d: &super::tests::Desk) -> Vec<(String, Option<String>)> {
    let mut st = d
        .store
        .conn()
        .prepare(
            "SELECT n.text, q.text FROM note n LEFT JOIN guide_question q ON q.id = n.question_id
             ORDER BY n.text",
        )
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn a_guide_travels_and_notes_keep_the_question_and_version_they_answer() {
    let dir = tempfile::tempdir().unwrap();
    let [lead, b, c] = team(dir.path());
    let items = parse_markdown(GUIDE).unwrap().items;
    let (v1, _) = lead
        .store
        .guide_save("F2F", "Desk staff", Some(SessionKind::Interview), &items)
        .unwrap();
    let f = lead.send(dir.path()).unwrap();
    for m in [&b, &c] {
        m.receive(&f).unwrap();
        let got = m.store.guide_version("F2F", "Desk staff", None).unwrap();
        assert_eq!(got.number, 1);
        assert_eq!(got.session_kind, Some(SessionKind::Interview));
        assert_eq!(got.questions.len(), 2);
        assert_eq!(got.questions[0].prompts, ["Who is first?"]);
    }
    // Bea interviews with it
    let s = b.session("Front desk");
    let bv1 = b.store.session_guide(s).unwrap().unwrap();
    answering(&b, s, "The wait was an hour", bv1.questions[1].id);
    let f = b.send(dir.path()).unwrap();
    // meanwhile the lead changes the guide: version 2
    let mut changed = items.clone();
    changed[1].text = "How long was the wait?".into();
    let (v2, new) = lead
        .store
        .guide_save("F2F", "Desk staff", None, &changed)
        .unwrap();
    assert!(new && v2.number == 2);
    let g = lead.send(dir.path()).unwrap();
    for m in [&lead, &c] {
        m.receive(&f).unwrap();
    }
    for m in [&b, &c] {
        m.receive(&g).unwrap();
    }
    for m in [&lead, &b, &c] {
        assert_eq!(
            answers(m),
            [(
                "The wait was an hour".to_owned(),
                Some("How long is the wait?".to_owned())
            )],
            "the note answers version 1's question in every vault"
        );
        let sid: i64 = m
            .store
            .conn()
            .query_row(
                "SELECT id FROM session WHERE title = 'Front desk'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let followed = m.store.session_guide(sid).unwrap().unwrap();
        assert_eq!(followed.number, 1, "the session keeps the version it used");
        let coverage: Vec<usize> = m
            .store
            .session_coverage(sid)
            .unwrap()
            .into_iter()
            .map(|x| x.1)
            .collect();
        assert_eq!(coverage, [0, 1]);
        assert_eq!(
            m.store
                .guide_version("F2F", "Desk staff", None)
                .unwrap()
                .questions[1]
                .text,
            "How long was the wait?"
        );
    }
    assert_eq!(v1.number, 1);
}

#[test]
fn quote_consent_reviews_and_disclosures_travel_and_a_deleted_disclosure_goes_everywhere() {
    use crate::model::{PaperOrigin, QuoteConsent, RecordReview, Source};
    use crate::store::{NewDisclosure, NewParticipant, NewSession};
    let dir = tempfile::tempdir().unwrap();
    let [lead, b, c] = team(dir.path());
    // Bea: an interview with a participant to approve quotes, one quote approved
    let s = b.session("Front desk");
    b.store
        .participant_add(
            s,
            NewParticipant {
                real_name: "Aisha Khan".into(),
                pseudonym: Some("P01".into()),
                quote_consent: Some(QuoteConsent::Approval),
                ..NewParticipant::default()
            },
        )
        .unwrap();
    let n = b.note(s, Some("P01"), "I waited three hours", &[]);
    b.store.quote_approve(n, "2024-03-09", b"hash").unwrap();
    // and a record review of one person, and a disclosure
    let r = b
        .store
        .session_add_review(
            NewSession {
                project: "F2F".into(),
                kind: SessionKind::Review,
                title: "CRM sample".into(),
                date: None,
                location: None,
                source: Source::Live,
                paper: PaperOrigin::default(),
                facilitators: Vec::new(),
            },
            &RecordReview {
                system: "CRM".into(),
                record_ref: Some("CRM-4471".into()),
                from: Some("2024-01-01".into()),
                to: Some("2024-03-31".into()),
                sampling: Some("visits in Q1".into()),
            },
        )
        .unwrap();
    b.store
        .participant_add(
            r,
            NewParticipant {
                real_name: "Dan Ode".into(),
                subject: true,
                quote_consent: Some(QuoteConsent::No),
                ..NewParticipant::default()
            },
        )
        .unwrap();
    let d = b
        .store
        .disclosure_add(
            "F2F",
            NewDisclosure {
                shared_on: "2024-02-01".into(),
                recipient: "CRM team".into(),
                what: "names and visit times of 12 people".into(),
                lawful_basis: "6(1)(e)".into(),
                method: "encrypted email".into(),
            },
        )
        .unwrap();
    let f = b.send(dir.path()).unwrap();
    for m in [&lead, &c] {
        m.receive(&f).unwrap();
        let p = m.store.participant("F2F", "P01").unwrap();
        assert_eq!(p.quote_consent, Some(QuoteConsent::Approval));
        let note: i64 = m
            .store
            .conn()
            .query_row(
                "SELECT id FROM note WHERE text = 'I waited three hours'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let a = m.store.quote_approval(note).unwrap().unwrap();
        assert_eq!(a.approved_on, "2024-03-09");
        let review = m
            .store
            .sessions(Some("F2F"))
            .unwrap()
            .into_iter()
            .find(|x| x.kind == SessionKind::Review)
            .unwrap();
        let rv = review.review.unwrap();
        assert_eq!(rv.system, "CRM");
        assert_eq!(rv.record_ref.as_deref(), Some("CRM-4471"));
        assert_eq!(rv.sampling.as_deref(), Some("visits in Q1"));
        let subjects: Vec<bool> = m
            .store
            .participants_of_session(review.id)
            .unwrap()
            .iter()
            .map(|p| p.subject)
            .collect();
        assert_eq!(subjects, [true]);
        let log = m.store.disclosures("F2F").unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].recipient, "CRM team");
    }
    // a disclosure recorded by mistake is deleted in Bea's vault, and everywhere after
    b.store.disclosure_delete("F2F", d).unwrap();
    let g = b.send(dir.path()).unwrap();
    for m in [&lead, &c] {
        m.receive(&g).unwrap();
        assert!(m.store.disclosures("F2F").unwrap().is_empty());
    }
}
