//! The anonymiser against the labelled samples, scored by the sample's own scorer
//! (../shared/pii-dev/score.py): the sample in ../shared/pii-dev and the notes of our own in
//! tests/pii. Templated notes: person names ≥ 99%, structured identifiers ≥ 99.5%, at most 1%
//! of ordinary words removed; free-form notes: ≥ 98%, ≥ 98%, at most 1.5%. Registered names
//! that are not everyday words never survive.

use std::path::{Path, PathBuf};
use std::process::Command;

use fieldnotes::anonymise::{Anonymiser, KnownPerson, Registry};

fn sample_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/pii-dev");
    assert!(
        dir.join("score.py").exists(),
        "the labelled sample is expected at {}",
        dir.display()
    );
    dir
}

fn registry(dir: &Path, file: &str) -> std::collections::HashMap<String, Vec<String>> {
    std::fs::read_to_string(dir.join(file))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let names = v["names"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_str().unwrap().to_owned())
                .collect();
            (v["doc_id"].as_str().unwrap().to_owned(), names)
        })
        .collect()
}

fn words_lower(s: &str) -> std::collections::HashSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// What a sample must reach.
struct Targets {
    person: f64,
    structured: f64,
    over: f64,
}

const TEMPLATED: Targets = Targets {
    person: 0.99,
    structured: 0.995,
    over: 0.01,
};
const FREE_FORM: Targets = Targets {
    person: 0.98,
    structured: 0.98,
    over: 0.015,
};

fn own_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pii")
}

fn check(gold: &str, reg: &str, targets: Targets) {
    check_in(&sample_dir(), gold, reg, targets);
}

fn check_in(dir: &Path, gold: &str, reg: &str, targets: Targets) {
    // names that are also everyday words stay where they are the word ("we will", "a grace
    // period"); the scorer's labels say where they were a name
    let word_names: std::collections::HashSet<String> = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/words/word_names.txt"),
    )
    .unwrap()
    .lines()
    .filter(|l| !l.starts_with('#'))
    .map(str::to_owned)
    .chain(
        [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "april",
            "june",
            "august",
        ]
        .map(str::to_owned),
    )
    .collect();
    let names = registry(dir, reg);
    let out = tempfile::tempdir().unwrap();
    let mut registered_left = Vec::new();
    for line in std::fs::read_to_string(dir.join(gold))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let doc: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = doc["doc_id"].as_str().unwrap();
        let people: Vec<KnownPerson> = names
            .get(id)
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, n)| KnownPerson {
                name: n.clone(),
                pseudonym: format!("P{:02}", i + 1),
            })
            .collect();
        let a = Anonymiser::new(&Registry {
            people: people.clone(),
            ..Default::default()
        });
        let red = a.redact(doc["text"].as_str().unwrap()).text;
        let left = words_lower(&red);
        for p in &people {
            for part in p
                .name
                .split_whitespace()
                .filter(|w| w.chars().count() >= 3 && !word_names.contains(&w.to_lowercase()))
            {
                if left.contains(&part.to_lowercase()) {
                    registered_left.push(format!("{id}: {part}"));
                }
            }
        }
        std::fs::write(out.path().join(format!("{id}.txt")), red).unwrap();
    }
    assert!(
        registered_left.is_empty(),
        "registered names survived: {registered_left:?}"
    );
    let o = Command::new("python3")
        .arg(sample_dir().join("score.py"))
        .arg(dir.join(gold))
        .arg(out.path())
        .arg("--json")
        .output()
        .expect("python3 runs the scorer");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    let json_end = text.rfind('}').unwrap() + 1;
    let r: serde_json::Value = serde_json::from_str(&text[..json_end]).unwrap();
    let (structured, person, over) = (
        r["recall_structured"].as_f64().unwrap(),
        r["recall_person"].as_f64().unwrap(),
        r["over_redaction"].as_f64().unwrap(),
    );
    eprintln!("{gold}: structured {structured:.4} person {person:.4} over-redaction {over:.4}");
    if let Some(labels) = r["labels"].as_object() {
        for (label, v) in labels {
            eprintln!("  {label:14} {:.4} of {}", v["recall"], v["spans"]);
        }
    }
    assert!(
        structured >= targets.structured,
        "{gold}: structured recall {structured}"
    );
    assert!(person >= targets.person, "{gold}: person recall {person}");
    assert!(over <= targets.over, "{gold}: over-redaction {over}");
}

#[test]
fn gold_sample_meets_the_targets() {
    check("gold.jsonl", "registry.jsonl", TEMPLATED);
}

#[test]
fn freeform_sample_meets_the_targets() {
    check("freeform.jsonl", "freeform_registry.jsonl", FREE_FORM);
}

#[test]
fn casual_sample_meets_the_targets() {
    check("casual.jsonl", "casual_registry.jsonl", FREE_FORM);
}

#[test]
fn our_name_heavy_notes_meet_the_targets() {
    check_in(&own_dir(), "names.jsonl", "names_registry.jsonl", FREE_FORM);
}

#[test]
fn our_later_name_notes_meet_the_targets() {
    check_in(
        &own_dir(),
        "names_later.jsonl",
        "names_later_registry.jsonl",
        FREE_FORM,
    );
}

#[test]
fn our_identifier_notes_meet_the_targets() {
    check_in(
        &own_dir(),
        "identifiers.jsonl",
        "identifiers_registry.jsonl",
        FREE_FORM,
    );
}

#[test]
fn our_mixed_notes_meet_the_targets() {
    check_in(&own_dir(), "mixed.jsonl", "mixed_registry.jsonl", FREE_FORM);
}
