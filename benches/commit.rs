//! Commit latency of one 2 KB note into a small (~1 MB) and a large (~500 MB) vault.
//!
//! `cargo bench --bench commit` prints p50/p99 for each size and their ratio. The large size
//! can be changed with FIELDNOTES_BENCH_LARGE_MB (building 500 MB takes a minute or two).

use std::time::{Duration, Instant};

use fieldnotes::app::{self, Clock, NewNote, NewProject, NewSession, SystemClock};
use fieldnotes::model::{NoteKind, SessionKind, Source};
use fieldnotes::vault::{KdfSettings, Unlock, Vault};

const NOTE_BYTES: usize = 2048;
const SAMPLES: usize = 400;

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
        "appointment",
        "letter",
        "angry",
        "calm",
        "lift",
        "sign",
        "ticket",
        "phone",
    ];
    let mut s = format!("note {i}: ");
    let mut k = i;
    while s.len() < NOTE_BYTES {
        k = k
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        s.push_str(words[(k >> 33) % words.len()]);
        s.push(' ');
    }
    s.truncate(NOTE_BYTES);
    s
}

fn new_note(session_id: i64, i: usize) -> NewNote {
    NewNote {
        session_id,
        speaker: None,
        kind: NoteKind::Paraphrase,
        text: note_text(i),
        special_category: false,
        criminal_offence: false,
        themes: Vec::new(),
        cluster: None,
        page: None,
        at_ms: SystemClock::local().now_ms(),
        question_id: None,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx]
}

fn measure(target_mb: usize) -> (Duration, Duration, u64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault_dir = dir.path().join("vault");
    let pass = "correct horse battery staple 1987!".to_owned();
    let kdf = KdfSettings {
        work_factor: Some(10),
    };
    Vault::init(&vault_dir, &pass.clone().into(), kdf).expect("init");
    let vault = Vault::open(&vault_dir, Unlock::Passphrase(pass.into()), kdf).expect("open");
    let clock = SystemClock::local();
    app::projects::add(
        &vault,
        NewProject {
            name: "Bench".into(),
            ..Default::default()
        },
    )
    .expect("project");
    let sid = app::sessions::add(
        &vault,
        &clock,
        NewSession {
            project: "Bench".into(),
            kind: SessionKind::Interview,
            title: "bench".into(),
            date: None,
            location: None,
            source: Source::Live,
            paper: Default::default(),
            facilitators: Vec::new(),
        },
    )
    .expect("session");
    // fill: ~4.7 KB on disk per 2 KB note (page slack, FTS index, WAL)
    let fill_notes = target_mb * 1000 * 1000 / 4700;
    let mut i = 0;
    while i < fill_notes {
        let batch: Vec<NewNote> = (i..(i + 2000).min(fill_notes))
            .map(|k| new_note(sid, k))
            .collect();
        app::notes::add_many(&vault, &batch).expect("fill");
        i += batch.len();
    }
    let mut times = Vec::with_capacity(SAMPLES);
    for k in 0..SAMPLES {
        let n = new_note(sid, fill_notes + k);
        let t = Instant::now();
        app::notes::add(&vault, &clock, n.into()).expect("commit");
        times.push(t.elapsed());
    }
    times.sort();
    let size = std::fs::metadata(vault_dir.join("fieldnotes.db"))
        .map(|m| m.len())
        .unwrap_or(0)
        + std::fs::metadata(vault_dir.join("fieldnotes.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    (percentile(&times, 0.5), percentile(&times, 0.99), size)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let large: usize = std::env::var("FIELDNOTES_BENCH_LARGE_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let (s50, s99, s_size) = measure(1);
    println!(
        "commit 2 KB note, vault {:>6.1} MB: p50 {:>8.3} ms  p99 {:>8.3} ms",
        s_size as f64 / 1e6,
        s50.as_secs_f64() * 1e3,
        s99.as_secs_f64() * 1e3
    );
    let (l50, l99, l_size) = measure(large);
    println!(
        "commit 2 KB note, vault {:>6.1} MB: p50 {:>8.3} ms  p99 {:>8.3} ms",
        l_size as f64 / 1e6,
        l50.as_secs_f64() * 1e3,
        l99.as_secs_f64() * 1e3
    );
    println!(
        "ratio large/small: p50 {:.2}x  p99 {:.2}x",
        l50.as_secs_f64() / s50.as_secs_f64(),
        l99.as_secs_f64() / s99.as_secs_f64()
    );
}
