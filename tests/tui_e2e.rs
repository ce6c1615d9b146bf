//! The real binary in a real terminal (tmux): unlock, create a session, type notes with a
//! speaker change and a #theme tag, quit; then check the vault through the CLI. And a
//! SIGKILL right after typing loses at most the last second.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::tmux::Tmux;
use common::*;

/// Unlocks and opens project F2F's sessions screen.
fn unlock_to_sessions(t: &Tmux) {
    t.wait_for("Passphrase");
    t.type_text(PASS);
    assert!(
        !t.screen().contains(PASS),
        "the passphrase shows while typed"
    );
    t.keys(&["Enter"]);
    t.wait_for("F2F");
    t.keys(&["Enter"]);
    t.wait_for("Sessions");
}

fn unlock_and_open_new_session(v: &TestVault, t: &Tmux) {
    unlock_to_sessions(t);
    t.keys(&["i"]);
    t.type_text("Security officer 1");
    t.keys(&["Enter"]);
    // the first live interview asks the researcher's name once: they are F1
    t.wait_for("asked once");
    t.type_text("Sam Researcher");
    t.keys(&["Enter"]);
    t.wait_for("New note");
    for (name, role) in [
        ("Aisha Khan", "person with lived experience"),
        ("Craig Barker", "security officer"),
    ] {
        t.keys(&["C-p"]);
        t.type_text(name);
        t.keys(&["Enter"]);
        t.type_text(role);
        // consent (given), quote word for word (blank: not recorded), consent date (today),
        // form version: accept the defaults
        t.keys(&["Enter", "Enter", "Enter", "Enter", "Enter"]);
        std::thread::sleep(Duration::from_millis(300));
    }
    let _ = v;
}

#[test]
fn typed_notes_speakers_and_tags_reach_the_vault() {
    let v = TestVault::new();
    v.ok(&["project", "add", "F2F"], "");
    let t = Tmux::start(&v, "notes", 100, 30);
    unlock_and_open_new_session(&v, &t);
    // the interviewer is speaker 1, the participants follow in the order they were added
    let screen = t.wait_for("3P02");
    assert!(
        !screen.contains("Aisha") && !screen.contains("Craig"),
        "real names on screen:\n{screen}"
    );
    t.keys(&["M-2"]);
    t.type_text("The queue was two hours #Waiting");
    t.keys(&["Enter"]);
    t.keys(&["M-3"]);
    t.type_text("We close the desk at half four");
    t.keys(&["Enter"]);
    t.keys(&["M-2"]);
    t.type_text("Nobody explained why");
    t.keys(&["Enter"]);
    t.wait_for("Nobody explained why");
    t.wait_for("│ saved │");
    t.keys(&["C-q"]);
    t.wait_for("EXITED-0");

    let sid = v
        .ok(&["session", "list"], "")
        .split('\t')
        .next()
        .unwrap()
        .trim()
        .to_owned();
    let notes: serde_json::Value =
        serde_json::from_str(&v.ok(&["note", "list", "--session", &sid, "--format", "json"], ""))
            .unwrap();
    let got: Vec<(String, String, Vec<String>)> = notes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["text"].as_str().unwrap().to_owned(),
                n["speaker"].as_str().unwrap_or("").to_owned(),
                n["themes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "The queue was two hours".to_owned(),
                "P01".to_owned(),
                vec!["Waiting".to_owned()]
            ),
            (
                "We close the desk at half four".to_owned(),
                "P02".to_owned(),
                vec![]
            ),
            ("Nobody explained why".to_owned(), "P01".to_owned(), vec![]),
        ]
    );
    let people = v.ok(&["participant", "list", "--session", &sid], "");
    assert!(
        people.contains("P01\tAisha Khan") && people.contains("P02\tCraig Barker"),
        "{people}"
    );
}

#[test]
fn sigkill_after_typing_loses_at_most_the_last_second() {
    let v = TestVault::new();
    v.ok(&["project", "add", "F2F"], "");
    let t = Tmux::start(&v, "kill", 100, 30);
    unlock_and_open_new_session(&v, &t);
    t.type_text("A committed note");
    t.keys(&["Enter"]);
    t.type_text("typed but never sent");
    // keep typing without a pause, so the draft must be saved while keys still arrive
    let start = Instant::now();
    let mut k = 0;
    while start.elapsed() < Duration::from_millis(1500) {
        t.type_text(&format!(" w{k:02}"));
        std::thread::sleep(Duration::from_millis(60));
        k += 1;
    }
    let killed = Command::new("pkill")
        .args([
            "-KILL",
            "-f",
            &format!("fieldnotes --vault {}", v.dir().display()),
        ])
        .status()
        .unwrap();
    assert!(killed.success(), "no process to kill");
    t.wait_for("EXITED-137");
    let sid = v
        .ok(&["session", "list"], "")
        .split('\t')
        .next()
        .unwrap()
        .trim()
        .to_owned();
    let list = v.ok(&["note", "list", "--session", &sid], "");
    assert!(list.contains("A committed note"), "{list}");
    assert!(
        list.contains("typed but never sent w00 w01"),
        "the draft typed a second before the kill is lost:\n{list}"
    );
}

#[test]
fn a_span_tagged_with_a_number_key_reaches_the_vault() {
    let v = TestVault::new();
    let sid = v.with_session();
    v.ok(&["theme", "add", "Safety"], "");
    v.ok(&["theme", "add", "Waiting"], "");
    v.ok(
        &["note", "add", "--session", &sid],
        "Security shouted at him in the queue.",
    );
    let t = Tmux::start(&v, "span", 100, 30);
    unlock_to_sessions(&t);
    t.keys(&["r"]);
    t.wait_for("Reading");
    // select "shouted": a word right, then seven characters with Shift+→ past the space
    t.keys(&["C-Right", "Right"]);
    for _ in 0..7 {
        t.keys(&["S-Right"]);
    }
    t.wait_for("selected characters 9–16");
    // recent themes start in codebook order: 2 is Waiting
    t.keys(&["2"]);
    t.wait_for("⟦shouted⟧Wait");
    t.keys(&["C-q"]);
    t.wait_for("EXITED-0");
    let ex: serde_json::Value = serde_json::from_str(&v.ok(
        &[
            "analyse", "excerpts", "--theme", "Waiting", "--format", "json",
        ],
        "",
    ))
    .unwrap();
    assert_eq!(
        ex[0]["codings"][0],
        serde_json::json!({"theme": "Waiting", "start": 9, "end": 16})
    );
}

#[test]
fn a_refused_first_passphrase_is_not_part_of_the_vaults_passphrase() {
    let v = TestVault::empty();
    let t = Tmux::start(&v, "init", 100, 30);
    t.wait_for("no vault here yet");
    t.keys(&["Enter"]);
    t.wait_for("Create a vault");
    for pass in ["password", "password"] {
        t.type_text(pass);
        t.keys(&["Enter"]);
    }
    t.wait_for("too easy to guess");
    for _ in 0..2 {
        t.type_text("kettle harbour violet tram");
        t.keys(&["Enter"]);
    }
    t.wait_for("Projects");
    t.keys(&["C-q"]);
    t.wait_for("EXITED-0");
    let pass = v.tmp.path().join("new-pass");
    std::fs::write(&pass, "kettle harbour violet tram\n").unwrap();
    let o = v
        .bare()
        .arg("--passphrase-file")
        .arg(&pass)
        .args(["project", "list"])
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "the vault does not open with the passphrase typed last: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}
