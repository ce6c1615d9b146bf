//! Anonymiser throughput on the labelled sample notes (`cargo bench --bench redact`), in MB/s
//! on one core. Target: ≥ 20 MB/s.

use std::time::Instant;

use fieldnotes::anonymise::{Anonymiser, KnownPerson, Registry};

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/pii-dev");
    let mut docs: Vec<String> = Vec::new();
    for f in ["gold.jsonl", "freeform.jsonl"] {
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
    // each sample document is one note as typed (a few hundred to a few thousand bytes)
    let notes: Vec<&str> = docs.iter().map(String::as_str).collect();
    let bytes: usize = notes.iter().map(|n| n.len()).sum();
    // several timed passes; the median resists a shared machine's noise
    // REDACT_BENCH_PASSES=1 REDACT_BENCH_ROUNDS=4 for a short run under a profiler
    let env = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let rounds = env("REDACT_BENCH_ROUNDS", 40).max(1);
    let passes = env("REDACT_BENCH_PASSES", 9).max(1);
    let mut rates = Vec::new();
    let mut subs = 0;
    for _ in 0..passes {
        let t = Instant::now();
        subs = 0;
        for _ in 0..rounds {
            for n in &notes {
                subs += a.redact(n).substitutions.len();
            }
        }
        rates.push((bytes * rounds) as f64 / 1e6 / t.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "redact: median {:.1} MB/s on one core (min {:.1}, max {:.1}; {passes} passes of {} notes, {:.2} MB × {rounds}; {} substitutions per round)",
        rates[rates.len() / 2],
        rates[0],
        rates[rates.len() - 1],
        notes.len(),
        bytes as f64 / 1e6,
        subs / rounds
    );
}
