//! Anonymiser throughput on the labelled sample notes (`cargo bench --bench redact`), in MB/s
//! on one core:
//!
//! - many short notes: every sample document (gold, freeform, casual) redacted as the note it
//!   is (a few hundred to a few thousand bytes each). Target: ≥ 50 MB/s.
//! - one long text: the sample documents repeated into one text of about 10 MB. Target:
//!   ≥ 50 MB/s.
//! - scaling: the time for a text four times as long (10 MB against 2.5 MB), which should
//!   stay near 4 (target ≤ 5): the anonymiser is linear in the text.
//!
//! `REDACT_BENCH_PASSES=1 REDACT_BENCH_ROUNDS=4` for a short run under a profiler;
//! `REDACT_BENCH_LONG_MB` for another long text's size.

use std::time::{Duration, Instant};

use fieldnotes::anonymise::{Anonymiser, KnownPerson, Registry};

fn env(k: &str, d: usize) -> usize {
    std::env::var(k)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(d)
}

/// The median of `passes` timings of `f` (the median resists a shared machine's noise), and
/// what `f` returned.
fn median_time(passes: usize, mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let mut times = Vec::new();
    let mut got = 0;
    for _ in 0..passes.max(1) {
        let t = Instant::now();
        got = f();
        times.push(t.elapsed());
    }
    times.sort();
    (times[times.len() / 2], got)
}

fn mb_s(bytes: usize, t: Duration) -> f64 {
    bytes as f64 / 1e6 / t.as_secs_f64().max(1e-9)
}

/// `docs` repeated (a blank line between) up to `bytes`, cut at a character boundary.
fn long_text(docs: &[String], bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 4096);
    'fill: loop {
        for d in docs {
            if s.len() + d.len() + 2 > bytes {
                break 'fill;
            }
            s.push_str(d);
            s.push_str("\n\n");
        }
        if docs.is_empty() {
            break;
        }
    }
    s
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/pii-dev");
    let mut docs: Vec<String> = Vec::new();
    for f in ["gold.jsonl", "freeform.jsonl", "casual.jsonl"] {
        let Ok(text) = std::fs::read_to_string(dir.join(f)) else {
            eprintln!("no sample at {}: nothing to measure", dir.display());
            return;
        };
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).expect("json");
            docs.push(v["text"].as_str().unwrap_or("").to_owned());
        }
    }
    let registry = Registry {
        people: [
            "Aisha Khan",
            "Florin Popescu",
            "Leonor Rodrigues",
            "Craig Barker",
            "Hodan Jama",
        ]
        .iter()
        .enumerate()
        .map(|(i, n)| KnownPerson {
            name: (*n).into(),
            pseudonym: format!("P{:02}", i + 1),
        })
        .collect(),
        ..Default::default()
    };
    let a = Anonymiser::new(&registry);
    a.redact("warm up the name lists"); // loading the gazetteer is not throughput
    let rounds = env("REDACT_BENCH_ROUNDS", 40).max(1);
    let passes = env("REDACT_BENCH_PASSES", 7).max(1);

    // many short notes, each redacted on its own
    let bytes: usize = docs.iter().map(String::len).sum();
    let (t, subs) = median_time(passes, || {
        let mut subs = 0;
        for _ in 0..rounds {
            for n in &docs {
                subs += a.redact(n).substitutions.len();
            }
        }
        subs
    });
    println!(
        "redact, short notes: {:.1} MB/s on one core ({} notes, {:.2} MB × {rounds}; {} substitutions per round; median of {passes})",
        mb_s(bytes * rounds, t),
        docs.len(),
        bytes as f64 / 1e6,
        subs / rounds,
    );

    // one long text, and one a quarter of its length
    let long_bytes = env("REDACT_BENCH_LONG_MB", 10).max(1) * 1_000_000;
    let long = long_text(&docs, long_bytes);
    let quarter = long_text(&docs, long.len() / 4);
    let long_passes = passes.min(3);
    let (t_long, subs_long) = median_time(long_passes, || a.redact(&long).substitutions.len());
    let (t_quarter, _) = median_time(long_passes, || a.redact(&quarter).substitutions.len());
    println!(
        "redact, one long text: {:.1} MB/s on one core ({:.1} MB in {:.2} s; {subs_long} substitutions; median of {long_passes})",
        mb_s(long.len(), t_long),
        long.len() as f64 / 1e6,
        t_long.as_secs_f64(),
    );
    println!(
        "redact, scaling: time(4n)/time(n) = {:.2} (n = {:.1} MB: {:.2} s, 4n = {:.1} MB: {:.2} s; linear is 4, target ≤ 5)",
        t_long.as_secs_f64() / t_quarter.as_secs_f64().max(1e-9),
        quarter.len() as f64 / 1e6,
        t_quarter.as_secs_f64(),
        long.len() as f64 / 1e6,
        t_long.as_secs_f64(),
    );
}
