//! Analysis views on a large project: 1,000 sessions, 50,000 notes, 100 themes (in a tree),
//! 200,000 tags, 40 participants in 4 groups. Prints p50/p99 per view (target: under 50 ms),
//! and the one-off corpus load.
//!
//! `cargo bench --bench analysis`. The vault is an in-memory database with the real schema;
//! the views run on the loaded corpus, as the app's analysis screen does.

use std::time::{Duration, Instant};

use fieldnotes::analysis::{Corpus, Filter, Query};
use fieldnotes::model::{NoteKind, PaperOrigin, SessionKind, Source};
use fieldnotes::store::{NewNote, NewParticipant, NewProject, NewSession, Store};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn time(name: &str, runs: usize, mut f: impl FnMut() -> usize) {
    let mut t = Vec::with_capacity(runs);
    let mut size = 0;
    for _ in 0..runs {
        let s = Instant::now();
        size = std::hint::black_box(f());
        t.push(s.elapsed());
    }
    t.sort();
    println!(
        "{name:<44} p50 {:>8.3} ms  p99 {:>8.3} ms  ({size} rows)",
        percentile(&t, 0.5).as_secs_f64() * 1e3,
        percentile(&t, 0.99).as_secs_f64() * 1e3
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let build = Instant::now();
    let store = Store::open_in_memory().unwrap();
    store
        .project_add(NewProject {
            name: "F2F".into(),
            ..NewProject::default()
        })
        .unwrap();
    let groups = [
        "security officer",
        "customer support officer",
        "prevention officer",
        "person with lived experience",
    ];
    for t in 0..100 {
        let parent = (t >= 20).then(|| format!("Theme {:02}", t % 20));
        store
            .theme_add(
                "F2F",
                &format!("Theme {t:02}"),
                parent.as_deref(),
                None,
                None,
            )
            .unwrap();
    }
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut sessions = Vec::new();
    for s in 0..1000 {
        let kind = if s % 10 == 0 {
            SessionKind::Workshop
        } else {
            SessionKind::Interview
        };
        let id = store
            .session_add(NewSession {
                project: "F2F".into(),
                kind,
                title: format!("Session {s}"),
                date: Some(format!("2024-{:02}-{:02}", 1 + s % 12, 1 + s % 28)),
                location: None,
                source: Source::Live,
                paper: PaperOrigin::default(),
                facilitators: vec![],
            })
            .unwrap();
        sessions.push(id);
    }
    for p in 0..40 {
        store
            .participant_add(
                sessions[p * 25],
                NewParticipant {
                    real_name: format!("Person{p} Surname{p}"),
                    role: Some(groups[p % 4].into()),
                    ..NewParticipant::default()
                },
            )
            .unwrap();
    }
    let mut notes = Vec::with_capacity(50_000);
    for i in 0..50_000usize {
        let themes: Vec<String> = (0..4)
            .map(|_| format!("Theme {:02}", next() % 100))
            .collect();
        notes.push(NewNote {
            session_id: sessions[i / 50],
            speaker: Some(format!("P{:02}", 1 + next() % 40)),
            kind: if (i / 50) % 10 == 0 {
                NoteKind::Idea
            } else {
                NoteKind::Paraphrase
            },
            text: format!("note {i}: the queue was long and security said nobody could help"),
            special_category: false,
            criminal_offence: false,
            themes,
            at_ms: 1_700_000_000_000,
            cluster: None,
            page: None,
            question_id: None,
        });
    }
    store.note_add_many(&notes).unwrap();
    let tags = store.tag_rows("F2F").unwrap().len();
    println!(
        "built: 1,000 sessions, 50,000 notes, 100 themes, {tags} tags in {:.1} s",
        build.elapsed().as_secs_f64()
    );

    let load = Instant::now();
    let corpus = Corpus::load(&store, "F2F").unwrap();
    println!(
        "corpus load (once per project, and after writes): {:.1} ms",
        load.elapsed().as_secs_f64() * 1e3
    );
    time("reload corpus", 5, || {
        Corpus::load(&store, "F2F").unwrap().notes.len()
    });

    let all = Filter::default();
    let kids = Filter {
        children: true,
        ..Filter::default()
    };
    let group = Filter {
        group: Some("security officer".into()),
        ..Filter::default()
    };
    let and = Query::parse("Theme 01 AND Theme 02").unwrap();
    let or_not = Query::parse("Theme 03 OR Theme 04 NOT Theme 05").unwrap();
    let parent = Query::parse("Theme 07").unwrap();
    time("excerpts: one theme (list, with texts)", 50, || {
        let idx = corpus
            .select(&Query::parse("Theme 42").unwrap(), &all)
            .unwrap();
        corpus.excerpts(&idx).len()
    });
    time("excerpts: A AND B", 50, || {
        corpus.select(&and, &all).unwrap().len()
    });
    time("excerpts: A OR B NOT C", 50, || {
        corpus.select(&or_not, &all).unwrap().len()
    });
    time("excerpts: theme with children, one group", 50, || {
        corpus
            .select(
                &parent,
                &Filter {
                    children: true,
                    ..group.clone()
                },
            )
            .unwrap()
            .len()
    });
    time("frequencies: theme × group", 50, || {
        corpus.frequencies(&all).len()
    });
    time("frequencies: with children", 50, || {
        corpus.frequencies(&kids).len()
    });
    time("co-occurrence: 100 × 100 notes", 50, || {
        corpus.cooccurrence(&all, false).counts.len()
    });
    time("co-occurrence: overlapping spans", 50, || {
        corpus.cooccurrence(&all, true).counts.len()
    });
    time("co-occurrence: with children", 50, || {
        corpus.cooccurrence(&kids, false).counts.len()
    });
    time("workshop ideas by votes", 50, || corpus.ideas(&all).len());
}
