use super::*;
use crate::model::{PaperOrigin, Source};
use crate::store::{NewNote, NewParticipant, NewProject, NewSession};

/// The acceptance fixture plus a child theme and a workshop: Craig Barker (security officer,
/// P01) and Hodan Jama (lived experience, P02).
fn fixture() -> Store {
    let s = Store::open_in_memory().unwrap();
    s.project_add(NewProject {
        name: "F2F".into(),
        ..NewProject::default()
    })
    .unwrap();
    let session = |kind, date: &str| NewSession {
        project: "F2F".into(),
        kind,
        title: "S".into(),
        date: Some(date.into()),
        location: None,
        source: Source::Live,
        paper: PaperOrigin::default(),
        facilitators: vec!["Ann Lee".into()],
    };
    let sid = s
        .session_add(session(SessionKind::Interview, "2024-03-01"))
        .unwrap();
    for (name, role) in [
        ("Craig Barker", "security officer"),
        ("Hodan Jama", "person with lived experience"),
    ] {
        s.participant_add(
            sid,
            NewParticipant {
                real_name: name.into(),
                role: Some(role.into()),
                ..NewParticipant::default()
            },
        )
        .unwrap();
    }
    for t in ["Waiting", "Safety", "Signage"] {
        s.theme_add("F2F", t, None, None, None).unwrap();
    }
    s.theme_add("F2F", "Guards", Some("Safety"), None, None)
        .unwrap();
    let add = |sid: i64, speaker: Option<&str>, kind: NoteKind, text: &str, themes: &[&str]| {
        s.note_add(NewNote {
            session_id: sid,
            speaker: speaker.map(str::to_owned),
            kind,
            text: text.into(),
            special_category: false,
            criminal_offence: false,
            themes: themes.iter().map(|t| t.to_string()).collect(),
            at_ms: 0,
            cluster: None,
            page: None,
            question_id: None,
        })
        .unwrap()
    };
    let p = NoteKind::Paraphrase;
    add(
        sid,
        Some("P01"),
        p,
        "Queues build up after lunch and people get angry.",
        &["Waiting", "Safety"],
    );
    add(
        sid,
        Some("P02"),
        p,
        "I waited four hours for nothing.",
        &["Waiting"],
    );
    add(
        sid,
        Some("P02"),
        p,
        "Security stood over me while I waited.",
        &["Waiting", "Safety"],
    );
    add(
        sid,
        Some("P01"),
        p,
        "We have no radio on the second floor.",
        &["Safety"],
    );
    add(
        sid,
        Some("P02"),
        p,
        "The signs only point to the lifts.",
        &["Signage"],
    );
    add(
        sid,
        Some("P02"),
        p,
        "Nobody came when I asked the guard where to wait.",
        &["Waiting", "Safety"],
    );
    let g = add(
        sid,
        Some("F1"),
        NoteKind::Observation,
        "Craig's guard shouted at Hodan.",
        &["Guards"],
    );
    s.tag(g, "Waiting", Some((0, 5))).unwrap();
    s.tag(g, "Signage", Some((10, 16))).unwrap();
    let w = s
        .session_add(session(SessionKind::Workshop, "2024-05-01"))
        .unwrap();
    for (text, votes) in [("Greeter", 1), ("Seats", 4)] {
        let id = add(w, None, NoteKind::Idea, text, &["Waiting"]);
        s.note_vote(id, votes).unwrap();
    }
    s
}

fn texts(c: &Corpus, idx: &[u32]) -> Vec<String> {
    idx.iter()
        .map(|&i| c.notes[i as usize].text.clone())
        .collect()
}

#[test]
fn and_or_not_select_the_right_notes() {
    let c = Corpus::load(&fixture(), "F2F").unwrap();
    let f = Filter::default();
    let q = |s: &str| c.select(&Query::parse(s).unwrap(), &f).unwrap().len();
    assert_eq!(q("Waiting AND Safety"), 3);
    assert_eq!(q("Waiting OR Signage"), 8);
    assert_eq!(q("Waiting NOT Safety"), 4); // four hours, guard note (Guards ≠ Safety), two ideas
    assert_eq!(q("Safety"), 4);
    assert_eq!(q(""), 9, "every coded note");
    let e = c.select(&Query::parse("Nope").unwrap(), &f).unwrap_err();
    assert!(e.to_string().contains("no theme named 'Nope'"));
}

#[test]
fn children_count_under_their_parents() {
    let c = Corpus::load(&fixture(), "F2F").unwrap();
    let with = Filter {
        children: true,
        ..Filter::default()
    };
    assert_eq!(
        c.select(&Query::parse("Safety").unwrap(), &with)
            .unwrap()
            .len(),
        5
    );
    assert_eq!(
        c.select(&Query::parse("Waiting NOT Safety").unwrap(), &with)
            .unwrap()
            .len(),
        3
    );
    let co = c.cooccurrence(&with, false);
    let (w, s) = (
        c.theme_index("Waiting").unwrap(),
        c.theme_index("Safety").unwrap(),
    );
    assert_eq!(co.counts[w][s], 4);
}

#[test]
fn filters_narrow_by_group_kind_and_date() {
    let c = Corpus::load(&fixture(), "F2F").unwrap();
    let f = Filter {
        group: Some("Security Officer".into()),
        ..Filter::default()
    };
    assert_eq!(
        texts(&c, &c.select(&Query::parse("Safety").unwrap(), &f).unwrap()),
        [
            "Queues build up after lunch and people get angry.",
            "We have no radio on the second floor."
        ]
    );
    let f = Filter {
        session_kind: Some(SessionKind::Workshop),
        ..Filter::default()
    };
    assert_eq!(c.select(&Query::All, &f).unwrap().len(), 2);
    let f = Filter {
        from: Some("2024-04-01".into()),
        to: Some("2024-12-31".into()),
        ..Filter::default()
    };
    assert_eq!(c.select(&Query::All, &f).unwrap().len(), 2);
}

#[test]
fn frequencies_count_notes_and_distinct_people_by_group() {
    let c = Corpus::load(&fixture(), "F2F").unwrap();
    let rows = c.frequencies(&Filter::default());
    let get = |t: &str, g: &str| {
        rows.iter()
            .find(|r| r.theme == t && r.group == g)
            .map(|r| (r.excerpts, r.participants))
    };
    assert_eq!(get("Waiting", "security officer"), Some((1, 1)));
    assert_eq!(get("Waiting", "person with lived experience"), Some((3, 1)));
    assert_eq!(get("Waiting", "facilitator"), Some((1, 1)));
    assert_eq!(get("Waiting", "unattributed"), Some((2, 0)));
    assert_eq!(get("Signage", "security officer"), None);
}

#[test]
fn cooccurrence_counts_notes_or_overlapping_spans() {
    let c = Corpus::load(&fixture(), "F2F").unwrap();
    let i = |t: &str| c.theme_index(t).unwrap();
    let co = c.cooccurrence(&Filter::default(), false);
    assert_eq!(co.counts[i("Waiting")][i("Safety")], 3);
    assert_eq!(co.counts[i("Safety")][i("Waiting")], 3);
    assert_eq!(co.counts[i("Waiting")][i("Waiting")], 7);
    assert_eq!(co.counts[i("Waiting")][i("Signage")], 1);
    // the guard note's Waiting (0..5) and Signage (10..16) spans do not overlap
    let ov = c.cooccurrence(&Filter::default(), true);
    assert_eq!(ov.counts[i("Waiting")][i("Signage")], 0);
    assert_eq!(
        ov.counts[i("Waiting")][i("Guards")],
        1,
        "a whole-note tag covers every span"
    );
}

#[test]
fn restricted_people_and_real_names_never_show() {
    let store = fixture();
    let c = Corpus::load(&store, "F2F").unwrap();
    let guard = c
        .select(&Query::parse("Guards").unwrap(), &Filter::default())
        .unwrap();
    let ex = c.excerpts(&guard);
    assert_eq!(ex[0].text, "P01's guard shouted at P02.");
    assert_eq!(ex[0].spans.len(), 2);
    store.set_restricted("F2F", "P02", true).unwrap();
    let c = Corpus::load(&store, "F2F").unwrap();
    // P02's own notes and the note that mentions Hodan are gone
    assert_eq!(c.select(&Query::All, &Filter::default()).unwrap().len(), 4);
    assert!(
        c.frequencies(&Filter::default())
            .iter()
            .all(|r| r.group != "person with lived experience")
    );
}

#[test]
fn ideas_rank_by_votes() {
    let c = Corpus::load(&fixture(), "F2F").unwrap();
    let ideas: Vec<(String, i64)> = c
        .ideas(&Filter::default())
        .into_iter()
        .map(|e| (e.text, e.note.votes))
        .collect();
    assert_eq!(
        ideas,
        [("Seats".to_string(), 4), ("Greeter".to_string(), 1)]
    );
}

#[test]
fn a_period_that_runs_backwards_is_refused() {
    let e = Filter::parse("from=2024-02-01, to=2024-01-01").unwrap_err();
    assert!(e.to_string().contains("swap"), "{e}");
    assert!(Filter::parse("from=2024-01-01, to=2024-01-01").is_ok());
}
