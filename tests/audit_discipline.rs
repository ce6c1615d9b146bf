//! An audit event whose write failed must fail the action: no source file may drop the
//! result of writing one (`let _ = v.audit(…)`). Use cases write events through
//! `app::audited`/`app::record` and return the error; this reads the source to keep it so.

use std::path::{Path, PathBuf};

/// Calls that write an audit event.
const AUDIT_CALLS: [&str; 5] = [
    ".audit(",
    "audit::append(",
    "app::record(",
    "audited(",
    "record(",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each `let _ = …;` statement that discards an audit write, shown by the
/// statement's first line.
fn dropped_audits(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, _) in source.match_indices("let _ =") {
        let statement = source[i..].split(';').next().unwrap_or_default();
        if AUDIT_CALLS.iter().any(|c| statement.contains(c)) {
            found.push(
                statement
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
            );
        }
    }
    found
}

#[test]
fn the_check_sees_a_dropped_audit_and_nothing_else() {
    assert_eq!(
        dropped_audits("let _ = v.audit(\n    \"unlock\",\n    \"x\",\n);").len(),
        1
    );
    assert_eq!(
        dropped_audits("let _ = app::record(v, Action::Unlock, \"x\");").len(),
        1
    );
    assert!(
        dropped_audits("let _ = writeln!(o, \"{}\", crate::audit::anchor_sentence(a));").is_empty()
    );
    assert!(
        dropped_audits(
            "let _ = conn.execute_batch(\"ROLLBACK TO audit_event; RELEASE audit_event\");"
        )
        .is_empty()
    );
    assert!(dropped_audits("v.audit(\"check\", \"ok\")?;").is_empty());
}

#[test]
fn no_source_file_drops_an_audit_write() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches"] {
        if root.join(dir).is_dir() {
            rust_files(&root.join(dir), &mut files);
        }
    }
    let this = Path::new(file!());
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with(this.file_name().unwrap()))
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            dropped_audits(&text)
                .into_iter()
                .map(move |s| format!("{}: {s}", f.strip_prefix(root).unwrap_or(f).display()))
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "an audit write's result is dropped; return it (`?`) instead:\n{}",
        offenders.join("\n")
    );
}
