//! The command line as golden cases: `tests/cmd/help/` holds the `--help` of every command,
//! found by walking the commands the binary lists, and `tests/cmd/*.trycmd` the errors people
//! meet most, each in a sandbox of its own. After a deliberate change (a new command, reworded
//! help or error), `TRYCMD=overwrite cargo test --test cli` rewrites the expected output.

mod common;

use std::path::{Path, PathBuf};

const HELP_CASES: &str = "tests/cmd/help";

/// Columns the help is wrapped to, whatever the terminal the tests run in.
const COLUMNS: &str = "100";

/// The environment every case runs in: a home of its own, the tests' work factor. A vault
/// named by FIELDNOTES_VAULT shows in the help, so the help cases remove it; the error cases
/// name theirs with --vault.
fn env(home: &Path) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = common::home_env(home)
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.display().to_string()))
        .collect();
    env.push((
        "FIELDNOTES_KDF_WORK_FACTOR".into(),
        common::WORK_FACTOR.into(),
    ));
    env.push(("COLUMNS".into(), COLUMNS.into()));
    env.push(("TMPDIR".into(), home.display().to_string()));
    env
}

/// The subcommands `fieldnotes <path> --help` lists, without `help` itself.
fn subcommands(env: &[(String, String)], path: &[String]) -> Vec<String> {
    let o = std::process::Command::new(assert_cmd::cargo::cargo_bin("fieldnotes"))
        .envs(env.iter().map(|(k, v)| (k, v)))
        .env_remove("FIELDNOTES_VAULT")
        .args(path)
        .arg("--help")
        .output()
        .unwrap();
    assert!(o.status.success(), "{path:?} --help failed");
    let help = String::from_utf8(o.stdout).unwrap();
    help.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// Every command path, the bare binary first: [], [init], [project], [project, add]…
fn command_tree(env: &[(String, String)]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut todo = vec![Vec::new()];
    while let Some(path) = todo.pop() {
        for sub in subcommands(env, &path).into_iter().rev() {
            let mut p = path.clone();
            p.push(sub);
            todo.push(p);
        }
        out.push(path);
    }
    out
}

fn case_file(path: &[String]) -> PathBuf {
    let name = if path.is_empty() {
        "fieldnotes".to_owned()
    } else {
        path.join("-")
    };
    Path::new(HELP_CASES).join(format!("{name}.toml"))
}

fn case_text(path: &[String]) -> String {
    let args: Vec<String> = path
        .iter()
        .map(String::as_str)
        .chain(["--help"])
        .map(|a| format!("{a:?}"))
        .collect();
    format!(
        "bin.name = \"fieldnotes\"\nargs = [{}]\nenv.remove = [\"FIELDNOTES_VAULT\"]\nstatus.code = 0\n",
        args.join(", ")
    )
}

/// Each command has a help case and each help case a command. Under `TRYCMD=overwrite` the
/// missing ones are written (their output follows in the run) and stale ones removed.
fn sync_help_cases(env: &[(String, String)]) {
    let overwrite = std::env::var("TRYCMD").is_ok_and(|v| v == "overwrite");
    let tree = command_tree(env);
    let wanted: Vec<PathBuf> = tree.iter().map(|p| case_file(p)).collect();
    let mut problems = Vec::new();
    for (path, file) in tree.iter().zip(&wanted) {
        let text = case_text(path);
        let stdout = file.with_extension("stdout");
        if std::fs::read_to_string(file).ok().as_deref() == Some(text.as_str()) && stdout.exists() {
            continue;
        }
        if overwrite {
            std::fs::write(file, text).unwrap();
            std::fs::write(stdout, "").unwrap();
        } else {
            problems.push(format!("no help case {}", file.display()));
        }
    }
    for entry in std::fs::read_dir(HELP_CASES).unwrap() {
        let file = entry.unwrap().path();
        let case = file.with_extension("toml");
        if wanted.contains(&case) {
            continue;
        }
        if overwrite {
            std::fs::remove_file(&file).unwrap();
        } else {
            problems.push(format!("{} is for no command", file.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\nrun TRYCMD=overwrite cargo test --test cli to rewrite them",
        problems.join("\n")
    );
}

#[test]
fn golden_cases() {
    let home = tempfile::tempdir().unwrap();
    let env = env(home.path());
    sync_help_cases(&env);
    let cases = trycmd::TestCases::new();
    cases.register_bin("fieldnotes", assert_cmd::cargo::cargo_bin("fieldnotes"));
    for (k, v) in env {
        cases.env(k, v);
    }
    cases
        .case(format!("{HELP_CASES}/*.toml"))
        .case("tests/cmd/*.trycmd");
    cases.run();
}

/// Completions and manual pages come from the clap tree and need no vault.
#[test]
fn completions_and_man_pages_are_generated_without_a_vault() {
    let v = common::TestVault::empty();
    let bash = v.ok(&["completions", "bash"], "");
    // sourced in a real bash, the script completes a subcommand and an option's values
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("fieldnotes.bash");
    std::fs::write(&script, &bash).unwrap();
    let probe = format!(
        r#"source '{}'
COMP_WORDS=(fieldnotes exp); COMP_CWORD=1; _fieldnotes fieldnotes exp fieldnotes; echo "1:${{COMPREPLY[*]}}"
COMP_WORDS=(fieldnotes completions ""); COMP_CWORD=2; _fieldnotes fieldnotes "" completions; echo "2:${{COMPREPLY[*]}}""#,
        script.display()
    );
    let o = std::process::Command::new("bash")
        .args(["-c", &probe])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains("1:export"), "{said}");
    assert!(
        said.contains("bash") && said.contains("zsh") && said.contains("fish"),
        "{said}"
    );
    for shell in ["zsh", "fish"] {
        let s = v.ok(&["completions", shell], "");
        assert!(
            s.contains("subject-access") && s.contains("recipient"),
            "{shell}: {s}"
        );
    }
    let page = v.ok(&["man"], "");
    assert!(
        page.starts_with(".ie") || page.contains(".TH fieldnotes 1"),
        "{page}"
    );
    assert!(page.contains(".TH fieldnotes 1") && page.contains("subject\\-access"));
    let pages = tempfile::tempdir().unwrap();
    let said = v.ok(&["man", "--dir", &pages.path().display().to_string()], "");
    assert!(said.contains("Wrote the manual pages"), "{said}");
    let export = std::fs::read_to_string(pages.path().join("fieldnotes-export.1")).unwrap();
    assert!(
        export.contains(".TH fieldnotes\\-export 1") || export.contains(".TH fieldnotes-export 1"),
        "{export}"
    );
    assert!(export.contains("\\-\\-recipient"), "{export}");
    // no vault folder was made or needed
    assert!(
        !v.dir().exists(),
        "a documentation command must not create a vault"
    );
    let o = v.run(&["man", "--dir", "/nonexistent/man1"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is not a folder"));
}
