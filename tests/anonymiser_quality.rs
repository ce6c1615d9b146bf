//! The anonymiser against the labelled sample in ../shared/pii-dev, scored by its own
//! scorer: recall ≥ 99.5% on structured identifiers, ≥ 95% on person names, 100% on
//! registered names, and at most 3% of ordinary words removed.

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

fn check(gold: &str, reg: &str) {
    let dir = sample_dir();
    let names = registry(&dir, reg);
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
            for part in p.name.split_whitespace().filter(|w| w.chars().count() >= 3) {
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
        .arg(dir.join("score.py"))
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
    assert!(
        structured >= 0.995,
        "{gold}: structured recall {structured}"
    );
    assert!(person >= 0.95, "{gold}: person recall {person}");
    assert!(over <= 0.03, "{gold}: over-redaction {over}");
}

#[test]
fn gold_sample_meets_the_targets() {
    check("gold.jsonl", "registry.jsonl");
}

#[test]
fn freeform_sample_meets_the_targets() {
    check("freeform.jsonl", "freeform_registry.jsonl");
}
