//! Team work at scale: one bundle of 10,000 tagged notes (in 50 sessions) sent from a lead's
//! vault and received into a member's vault that already holds 50,000 notes of the project.
//!
//! `cargo bench --bench team` prints the time to send the bundle and to receive it. The sizes
//! can be changed with FIELDNOTES_BENCH_TEAM_NOTES and FIELDNOTES_BENCH_TEAM_FILL.

use std::path::Path;
use std::time::{Duration, Instant};

use fieldnotes::app::{self, Clock, NewNote, NewProject, NewSession, SystemClock};
use fieldnotes::model::{NoteKind, SessionKind, Source};
use fieldnotes::vault::{KdfSettings, Unlock, Vault};

const SESSIONS: usize = 50;
const THEMES: [&str; 8] = [
    "Waiting", "Security", "Housing", "Letters", "Phones", "Lifts", "Signage", "Staff",
];

fn note_text(i: usize) -> String {
    let words = [
        "queue",
        "security",
        "desk",
        "waited",
        "housing",
        "officer",
        "help",
        "door",
        "letter",
        "angry",
        "calm",
        "lift",
        "sign",
        "ticket",
        "phone",
        "appointment",
    ];
    let mut s = format!("note {i}: ");
    let mut k = i;
    while s.len() < 300 {
        k = k
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        s.push_str(words[(k >> 33) % words.len()]);
        s.push(' ');
    }
    s
}

fn open(dir: &Path) -> Vault {
    let pass = "correct horse battery staple 1987!".to_owned();
    let kdf = KdfSettings {
        work_factor: Some(10),
    };
    Vault::init(dir, &pass.clone().into(), kdf).expect("init");
    Vault::open(dir, Unlock::Passphrase(pass.into()), kdf).expect("open")
}

/// `notes` notes in `SESSIONS` new sessions of the project, each with one or two themes.
fn fill(v: &Vault, who: &str, notes: usize) {
    let clock = SystemClock::local();
    let per = notes.div_ceil(SESSIONS);
    for s in 0..SESSIONS {
        let sid = app::sessions::add(
            v,
            &clock,
            NewSession {
                project: "Bench".into(),
                kind: SessionKind::Interview,
                title: format!("{who} {s}"),
                date: None,
                location: None,
                source: Source::Live,
                paper: Default::default(),
                facilitators: vec![who.into()],
            },
        )
        .expect("session");
        let batch: Vec<NewNote> = (s * per..((s + 1) * per).min(notes))
            .map(|i| NewNote {
                session_id: sid,
                speaker: None,
                kind: NoteKind::Paraphrase,
                text: format!("{who} {}", note_text(i)),
                special_category: false,
                criminal_offence: false,
                themes: [THEMES[i % THEMES.len()], THEMES[(i / 3) % THEMES.len()]]
                    .iter()
                    .map(|t| (*t).to_owned())
                    .collect(),
                cluster: None,
                page: None,
                at_ms: clock.now_ms(),
                question_id: None,
            })
            .collect();
        app::notes::add_many(v, &batch).expect("notes");
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let size = |var: &str, default: usize| {
        std::env::var(var)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let notes = size("FIELDNOTES_BENCH_TEAM_NOTES", 10_000);
    let held = size("FIELDNOTES_BENCH_TEAM_FILL", 50_000);
    let tmp = tempfile::tempdir().expect("temp dir");
    let (outbox, inbox) = (tmp.path().join("out"), tmp.path().join("in"));
    std::fs::create_dir_all(&outbox).expect("folder");
    std::fs::create_dir_all(&inbox).expect("folder");
    let lead = open(&tmp.path().join("lead"));
    let member = open(&tmp.path().join("member"));
    app::projects::add(
        &lead,
        NewProject {
            name: "Bench".into(),
            ..Default::default()
        },
    )
    .expect("project");
    app::team::init(&lead, Some("Bench"), Some("Alex")).expect("team");
    let key = app::team::my_key(&member).expect("key");
    app::team::add_member(&lead, Some("Bench"), "Bea", &key).expect("member");
    let first = app::team::send(&lead, Some("Bench"), &outbox)
        .expect("send")
        .expect("a first bundle");
    for r in app::team::receive(&member, &[first.file], &[], true).expect("receive") {
        r.outcome.expect("join");
    }

    // the member's vault holds the project's earlier work, already sent once
    let t = Instant::now();
    fill(&member, "Bea", held);
    let filled = t.elapsed();
    let t = Instant::now();
    let theirs = app::team::send(&member, Some("Bench"), &inbox)
        .expect("send")
        .expect("a bundle");
    let sent_held = t.elapsed();
    std::fs::remove_file(&theirs.file).expect("remove");

    fill(&lead, "Alex", notes);
    let t = Instant::now();
    let out = app::team::send(&lead, Some("Bench"), &outbox)
        .expect("send")
        .expect("a bundle");
    let send = t.elapsed();
    let bytes = std::fs::metadata(&out.file).map(|m| m.len()).unwrap_or(0);
    let t = Instant::now();
    let got = app::team::receive(&member, &[out.file], &[], false).expect("receive");
    let receive = t.elapsed();
    let incoming = got
        .into_iter()
        .next()
        .expect("one outcome")
        .outcome
        .expect("receive");
    assert_eq!(incoming.waiting, 0, "{incoming:?}");

    println!(
        "member vault: {held} notes filled in {:.2} s, its first bundle ({} rows) sent in {:.2} s",
        secs(filled),
        theirs.rows,
        secs(sent_held)
    );
    println!(
        "send    {notes} notes in {SESSIONS} sessions ({} rows, {:.1} MB): {:>7.2} s",
        out.rows,
        bytes as f64 / 1e6,
        secs(send)
    );
    println!(
        "receive into a vault of {held} notes ({} applied):       {:>7.2} s",
        incoming.applied,
        secs(receive)
    );
}
