//! The core library stays free of the terminal: the full-screen app (`src/tui`) and the CLI
//! (`src/cli`) belong to the binary, and nothing the library compiles may name ratatui,
//! ratatui-textarea or crossterm. Cargo cannot give a binary dependencies of its own within
//! one package, so this reads the source instead of the dependency graph.

use std::path::{Path, PathBuf};

const TERMINAL_CRATES: [&str; 2] = ["ratatui", "crossterm"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The modules `src/lib.rs` declares (`pub mod x;` / `mod x;`, attributes allowed before).
fn library_modules(lib: &str) -> Vec<String> {
    lib.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("//"))
        .filter_map(|l| {
            let l = l.rsplit(']').next().unwrap_or(l).trim();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            let name = l.strip_prefix("mod ")?.strip_suffix(';')?;
            Some(name.trim().to_owned())
        })
        .collect()
}

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

/// Every source file the library compiles: `lib.rs`, and for each module it declares,
/// `x.rs` and everything under `x/`.
fn library_files() -> Vec<PathBuf> {
    let src = src();
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let mut files = vec![src.join("lib.rs")];
    for m in library_modules(&lib) {
        let file = src.join(format!("{m}.rs"));
        let dir = src.join(&m);
        assert!(
            file.is_file() || dir.is_dir(),
            "src/lib.rs declares `{m}`, found neither src/{m}.rs nor src/{m}/"
        );
        if file.is_file() {
            files.push(file);
        }
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        }
    }
    files
}

/// Lines of code that name a terminal crate as a word (`ratatui::`, `ratatui_textarea`,
/// `use crossterm`); comments are not code and may mention them.
fn terminal_uses(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .filter(|code| {
            TERMINAL_CRATES.iter().any(|c| {
                code.match_indices(c).any(|(i, _)| {
                    let before = code[..i].chars().next_back();
                    !before.is_some_and(|b| b.is_alphanumeric() || b == '_')
                })
            })
        })
        .map(|code| code.trim().to_owned())
        .collect()
}

#[test]
fn the_library_does_not_declare_the_shells() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let modules = library_modules(&lib);
    assert!(modules.contains(&"store".to_owned()), "{modules:?}");
    for shell in ["tui", "cli"] {
        assert!(
            !modules.iter().any(|m| m == shell),
            "src/lib.rs declares `{shell}`, which belongs to the binary (src/main.rs)"
        );
    }
}

#[test]
fn no_library_source_uses_a_terminal_crate() {
    let files = library_files();
    assert!(files.len() > 10, "{files:?}");
    let found: Vec<String> = files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            terminal_uses(&text)
                .into_iter()
                .map(move |l| format!("{}: {l}", f.display()))
        })
        .collect();
    assert!(
        found.is_empty(),
        "the core library must build without ratatui, ratatui-textarea and crossterm:\n{}",
        found.join("\n")
    );
}

/// The check itself: it does see the app's uses, and ignores comments and longer words.
#[test]
fn the_check_finds_terminal_uses() {
    let app = std::fs::read_to_string(src().join("tui").join("mod.rs")).unwrap();
    assert!(!terminal_uses(&app).is_empty());
    assert_eq!(
        terminal_uses(
            "use ratatui_textarea::TextArea;\n// ratatui is for the app\nlet my_crossterm = 1;\n"
        ),
        ["use ratatui_textarea::TextArea;"]
    );
}

/// The shells call only the use cases: no file of the CLI or the app names the store (its
/// types are re-exported from `app`), so neither can bypass validation, audit or dates.
/// (`Vault::store` is `pub(crate)`, so the compiler refuses a call to it as well.)
#[test]
fn the_shells_reach_storage_only_through_the_use_cases() {
    let mut files = Vec::new();
    for shell in ["cli", "tui"] {
        rust_files(&src().join(shell), &mut files);
    }
    assert!(files.len() > 10, "{files:?}");
    let found: Vec<String> = files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            text.lines()
                .map(|l| l.split("//").next().unwrap_or("").trim().to_owned())
                .filter(|code| code.contains("fieldnotes::store") || code.contains(".store()"))
                .map(|code| format!("{}: {code}", f.display()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        found.is_empty(),
        "shells call fieldnotes::app, not the store:\n{}",
        found.join("\n")
    );
}
