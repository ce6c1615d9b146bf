//! The keystroke path: key event → state update → frame rendered into a buffer, in a
//! session of 5,000 notes (~500,000 words) with 1,000 sessions loaded. Prints p50/p99.
//!
//! `cargo bench --bench keystroke`. Target: p99 under 1 ms. Saving is not on this path: it
//! happens on the worker thread.

use std::time::{Duration, Instant};

// The app belongs to the binary, not the library, so the bench compiles the same source as
// a module of its own. It drives only the keystroke path, so most of the app goes unused
// here; and `clippy --all-targets` builds a harness-less bench with `--cfg test`, which
// brings in the app's unit tests with no harness to run them. The binary's own build is
// where unused code and imports in the app are caught.
#[allow(dead_code, unused_imports)]
#[path = "../src/tui/mod.rs"]
mod tui;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use fieldnotes::model::{
    GuideQuestion, GuideVersion, Note, NoteKind, Participant, Project, Session, SessionKind, Source,
};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tui::app::{Msg, State, update};
use tui::ui;
use tui::worker::{OpenedSession, Reply};

fn session(id: i64) -> Session {
    Session {
        id,
        project_id: 1,
        project: "F2F".into(),
        kind: SessionKind::Interview,
        title: format!("Interview {id}"),
        date: Some("2024-03-07".into()),
        location: None,
        source: Source::Live,
        paper: Default::default(),
        facilitators: vec!["Facilitator".into()],
        started_at_ms: Some(0),
        review: None,
    }
}

fn words(i: usize, n: usize) -> String {
    const W: [&str; 12] = [
        "the", "queue", "was", "long", "and", "security", "said", "nobody", "could", "help",
        "today", "again",
    ];
    (0..n)
        .map(|k| W[(i * 7 + k * 3) % W.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let mut s = State::new(
        "fieldnotes/vault".into(),
        false,
        tui::config::Config::default(),
        0,
    );
    update(
        &mut s,
        Msg::Worker(Reply::Unlocked(vec![Project {
            id: 1,
            name: "F2F".into(),
            ..Default::default()
        }])),
    );
    update(
        &mut s,
        Msg::Worker(Reply::Sessions(
            "F2F".into(),
            (1..=1000).map(session).collect(),
        )),
    );
    let notes: Vec<Note> = (0..5000)
        .map(|i| Note {
            id: i as i64 + 1,
            session_id: 1,
            position: i as i64 + 1,
            created_at_ms: 0,
            offset_ms: Some(i as i64 * 10_000),
            speaker: Some(if i % 2 == 0 { "P01" } else { "P02" }.into()),
            kind: NoteKind::Paraphrase,
            text: words(i, 100),
            special_category: false,
            criminal_offence: false,
            themes: vec!["Waiting".into()],
            cluster: None,
            votes: 0,
            page: None,
            question_id: None,
        })
        .collect();
    let participants = ["P01", "P02"]
        .iter()
        .enumerate()
        .map(|(i, c)| Participant {
            id: i as i64 + 1,
            project_id: 1,
            pseudonym: (*c).into(),
            real_name: Some("x".into()),
            role: Some("security officer".into()),
            consent: None,
            consent_date: None,
            consent_form: None,
            restricted: false,
            withdrawn_on: None,
            withdrawal: None,
            erased_on: None,
            quote_consent: None,
            subject: false,
        })
        .collect();
    update(
        &mut s,
        Msg::Worker(Reply::Session(Box::new(OpenedSession {
            tags: Vec::new(),
            session: session(1),
            notes,
            participants,
            draft: None,
            themes: vec!["Waiting".into(), "Safety".into()],
        }))),
    );
    report(
        "keystroke → update → frame (100x30, 5,000-note session, 1,000 sessions)",
        measure(&mut s),
    );
    // the same, with a 40-question topic guide shown beside the notes
    update(
        &mut s,
        Msg::Worker(Reply::Guide(tui::worker::GuideReply::Session(
            1,
            Some(Box::new(guide(40))),
        ))),
    );
    assert!(s.editor.as_ref().is_some_and(|e| e.guide.visible()));
    report(
        "  with a 40-question topic guide beside the notes",
        measure(&mut s),
    );
}

fn guide(n: i64) -> GuideVersion {
    GuideVersion {
        id: 1,
        guide_id: 1,
        guide: "Desk staff".into(),
        session_kind: None,
        number: 1,
        created_at: "2024-03-01T09:00:00Z".into(),
        questions: (1..=n)
            .map(|i| GuideQuestion {
                id: i,
                position: i,
                section: format!("Section {}", (i - 1) / 8 + 1),
                text: format!("Question {i}: {}", words(i as usize, 12)),
                prompts: vec![words(i as usize + 1, 6), words(i as usize + 2, 5)],
            })
            .collect(),
    }
}

/// Types 20,000 keys (saving a note every 5,000), drawing a frame after each.
fn measure(s: &mut State) -> Vec<Duration> {
    let mut term = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    let text = "the person at the desk said they had been waiting since nine ";
    let mut times = Vec::with_capacity(20_000);
    for _round in 0..4 {
        for c in text.chars().cycle().take(5000) {
            let t = Instant::now();
            update(
                s,
                Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            );
            term.draw(|f| {
                ui::draw(f, s);
            })
            .expect("draw");
            times.push(t.elapsed());
        }
        // commit the note so the input stays a typical length (the save request is dropped)
        let t = Instant::now();
        update(
            s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        term.draw(|f| {
            ui::draw(f, s);
        })
        .expect("draw");
        times.push(t.elapsed());
    }
    times
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{what}: p50 {:.3} ms  p99 {:.3} ms  max {:.3} ms  ({} keys)",
        ms(pct(0.5)),
        ms(pct(0.99)),
        ms(times[times.len() - 1]),
        times.len()
    );
}
