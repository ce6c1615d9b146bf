//! Storage sits below the anonymiser and the audit trail's verbs, and is the only owner of
//! SQL: `src/store` never names the anonymiser, the audit module above it or the bridge
//! between them, and analysis reads plain rows from the store, never a connection. Reading
//! the source keeps each dependency pointing down.

use std::path::{Path, PathBuf};

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

/// Lines of code (not comments) in `dir` that contain any of `words`; unit-test files, which
/// may drive the store with the real anonymiser, are left out.
fn uses(dir: &str, words: &[&str]) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut files);
    files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n != "tests.rs"))
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            let shown = f.display().to_string();
            text.lines()
                .map(|l| l.split("//").next().unwrap_or("").to_owned())
                .filter(|code| words.iter().any(|w| code.contains(w)))
                .map(|code| format!("{shown}: {}", code.trim()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn storage_depends_on_neither_the_anonymiser_nor_the_audit_verbs() {
    let found = uses(
        "src/store",
        &["crate::anonymise", "crate::audit", "crate::mentions"],
    );
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn analysis_reads_rows_from_the_store_not_sql() {
    let found = uses("src/analysis", &["rusqlite", ".conn()", "conn_mut"]);
    assert!(found.is_empty(), "{}", found.join("\n"));
}
