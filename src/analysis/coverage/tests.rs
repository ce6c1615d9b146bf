use super::*;
use crate::guide::GuideItem;
use crate::model::{NoteKind, PaperOrigin, SessionKind, Source};
use crate::store::{NewNote, NewParticipant, NewProject, NewSession, Store};

fn item(section: &str, text: &str) -> GuideItem {
    GuideItem {
        section: section.into(),
        text: text.into(),
        prompts: Vec::new(),
    }
}

fn session(s: &Store, date: &str) -> i64 {
    s.session_add(NewSession {
        project: "F2F".into(),
        kind: SessionKind::Interview,
        title: format!("Desk {date}"),
        date: Some(date.into()),
        location: None,
        source: Source::Live,
        paper: PaperOrigin::default(),
        facilitators: Vec::new(),
    })
    .unwrap()
}

fn note(s: &Store, sid: i64, speaker: Option<&str>, q: i64) {
    s.note_add(NewNote {
        session_id: sid,
        speaker: speaker.map(str::to_owned),
        kind: NoteKind::Paraphrase,
        text: "It was a long wait".into(),
        special_category: false,
        criminal_offence: false,
        themes: Vec::new(),
        at_ms: 0,
        cluster: None,
        page: None,
        question_id: Some(q),
    })
    .unwrap();
}

/// Version 1 asks three questions; version 2 asks the first again (written differently),
/// the second, and a new one, and drops the third. Session A follows version 1 (its notes
/// answer it); B (earlier) and C (later) follow version 2. P02 is restricted.
#[test]
fn rows_span_versions_and_a_question_not_asked_is_not_a_zero() {
    let s = Store::open_in_memory().unwrap();
    s.project_add(NewProject {
        name: "F2F".into(),
        ..NewProject::default()
    })
    .unwrap();
    let v1 = s
        .guide_save(
            "F2F",
            "Desk",
            None,
            &[
                item("Arriving", "What happens at the desk?"),
                item("Arriving", "How long is the wait?"),
                item("Help", "What would help?"),
            ],
        )
        .unwrap()
        .0;
    let a = session(&s, "2024-03-01");
    for name in ["Craig Barker", "Hodan Jama"] {
        s.participant_add(
            a,
            NewParticipant {
                real_name: name.into(),
                ..NewParticipant::default()
            },
        )
        .unwrap();
    }
    let q = |v: &GuideVersion, n: usize| v.questions[n].id;
    note(&s, a, Some("P01"), q(&v1, 0));
    note(&s, a, Some("P02"), q(&v1, 0));
    note(&s, a, Some("P01"), q(&v1, 1));
    let v2 = s
        .guide_save(
            "F2F",
            "Desk",
            None,
            &[
                item("arriving", "what happens  at the DESK?"),
                item("Arriving", "How long is the wait?"),
                item("Help", "Who helped?"),
            ],
        )
        .unwrap()
        .0;
    let b = session(&s, "2024-02-01");
    let c = session(&s, "2024-04-01");
    note(&s, b, None, q(&v2, 2));
    s.set_restricted("F2F", "P02", true).unwrap();

    let corpus = Corpus::load(&s, "F2F").unwrap();
    let guide = s.guide_list("F2F").unwrap()[0].id;
    let cov = corpus.coverage(
        &s.guide_versions(guide).unwrap(),
        &s.guide_followers("F2F", guide).unwrap(),
        &Filter::default(),
    );
    assert_eq!(cov.versions, [1, 2]);
    let rows: Vec<(&str, &[i64], bool)> = cov
        .questions
        .iter()
        .map(|r| (r.text.as_str(), r.versions.as_slice(), r.in_every_version))
        .collect();
    assert_eq!(
        rows,
        [
            ("what happens  at the DESK?", &[1, 2][..], true),
            ("How long is the wait?", &[1, 2][..], true),
            ("Who helped?", &[2][..], false),
            ("What would help?", &[1][..], false),
        ],
        "the latest version's questions first, then those only older versions ask"
    );
    let ids: Vec<i64> = cov.sessions.iter().map(|x| x.id).collect();
    assert_eq!(ids, [b, a, c], "sessions by date");
    assert_eq!(
        cov.cells,
        [
            // the restricted participant's answer is not counted
            vec![Some(0), Some(1), Some(0)],
            vec![Some(0), Some(1), Some(0)],
            vec![Some(1), None, Some(0)],
            vec![None, Some(0), None],
        ]
    );
    let totals: Vec<(usize, usize)> = cov
        .questions
        .iter()
        .map(|r| (r.sessions, r.notes))
        .collect();
    assert_eq!(totals, [(1, 1), (1, 1), (1, 1), (0, 0)]);
    let per_session: Vec<(i64, usize, usize, usize)> = cov
        .sessions
        .iter()
        .map(|x| (x.version, x.covered, x.questions, x.notes))
        .collect();
    assert_eq!(per_session, [(2, 1, 3, 1), (1, 2, 3, 2), (2, 0, 3, 0)]);
    assert_eq!(cov.notes_of(0, Some(a), &corpus).len(), 1);
    assert_eq!(cov.notes_of(0, Some(b), &corpus).len(), 0);
    assert_eq!(cov.notes_of(2, None, &corpus).len(), 1);
    // the restricted participant's note is in the vault, but not in the corpus
    assert!(
        s.notes(a)
            .unwrap()
            .iter()
            .any(|n| n.speaker.as_deref() == Some("P02") && n.question_id == Some(q(&v1, 0)))
    );

    // narrowing by date drops the sessions outside it, and their notes
    let march = Filter {
        from: Some("2024-03-01".into()),
        to: Some("2024-03-31".into()),
        ..Filter::default()
    };
    let cov = corpus.coverage(
        &s.guide_versions(guide).unwrap(),
        &s.guide_followers("F2F", guide).unwrap(),
        &march,
    );
    assert_eq!(cov.sessions.len(), 1);
    assert_eq!(cov.questions[2].notes, 0);
}
