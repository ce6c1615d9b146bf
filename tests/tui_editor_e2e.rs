//! The live editor in a real terminal (tmux, the real binary): an earlier note selected in
//! its context, a `#tag` mid-sentence that keeps its word, one undo stack with redo over
//! note actions, a question before a paper original is recorded as destroyed, and direct
//! keys for note kinds that do not stick to the following notes.

mod common;

use common::tmux::Tmux;
use common::*;

/// Project F2F with one session of this kind and source; returns its id.
fn session(v: &TestVault, kind: &str, source: &str) -> String {
    v.ok(&["project", "add", "F2F"], "");
    v.last_line(
        &[
            "session",
            "add",
            "--project",
            "F2F",
            "--kind",
            kind,
            "--source",
            source,
            "--title",
            "Session one",
        ],
        "",
    )
}

fn notes_json(v: &TestVault, sid: &str) -> Vec<serde_json::Value> {
    let out = v.ok(&["note", "list", "--session", sid, "--format", "json"], "");
    serde_json::from_str::<serde_json::Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn selecting_an_earlier_note_keeps_the_notes_after_it_visible() {
    for (size, tag) in [((80, 24), "sel80"), ((120, 35), "sel120")] {
        let v = TestVault::new();
        let sid = session(&v, "interview", "live");
        for text in ["First answer", "Second answer", "Third answer"] {
            v.ok(&["note", "add", "--session", &sid], text);
        }
        let t = Tmux::start(&v, tag, size.0, size.1);
        t.open_first_session();
        t.wait_for("Third answer");
        t.keys(&["M-Up", "M-Up", "M-Up"]);
        let screen = t.wait_for("▶");
        let first = screen
            .find("First answer")
            .expect("the selected note shows");
        let selected = screen.find("▶").unwrap();
        assert!(
            selected < first,
            "the first note is the one selected:\n{screen}"
        );
        assert!(
            screen.contains("Second answer") && screen.contains("Third answer"),
            "the notes after the selection vanished at {size:?}:\n{screen}"
        );
        t.keys(&["Escape"]);
        t.keys(&["C-q"]);
        t.wait_for("EXITED-0");
    }
}

#[test]
fn a_tag_in_the_middle_of_a_sentence_keeps_its_word() {
    let v = TestVault::new();
    let sid = session(&v, "interview", "live");
    let t = Tmux::start(&v, "tag", 120, 35);
    t.open_first_session();
    t.type_text("flat #3 on the #waiting list");
    t.keys(&["Enter"]);
    t.wait_for("flat #3 on the waiting list");
    t.quit();
    let notes = notes_json(&v, &sid);
    assert_eq!(notes[0]["text"], "flat #3 on the waiting list");
    assert_eq!(notes[0]["themes"], serde_json::json!(["waiting"]));
}

#[test]
fn undo_and_redo_walk_back_and_forth_over_votes_and_new_ideas() {
    let v = TestVault::new();
    let sid = session(&v, "workshop", "live");
    for text in ["Signs at the door", "A quiet room"] {
        v.ok(&["note", "add", "--session", &sid], text);
    }
    let t = Tmux::start(&v, "undo", 120, 35);
    t.open_first_session();
    t.type_text("Radio on floor 2");
    t.keys(&["Enter"]);
    t.wait_for("Radio on floor 2");
    t.wait_for("│ saved │");
    // vote on the first idea
    t.keys(&["M-Up", "M-Up", "M-Up", "M-="]);
    t.wait_for("· 1 vote");
    t.keys(&["C-z"]);
    t.wait_for("Undone: vote on note 1");
    t.keys(&["C-z"]);
    t.wait_for("Undone: new note 3");
    t.wait_for("│ saved │");
    assert!(
        !t.screen().contains("Radio on floor 2"),
        "the new idea is taken back:\n{}",
        t.screen()
    );
    t.keys(&["C-y"]);
    t.wait_for("Redone: a new note");
    t.wait_for("Radio on floor 2");
    t.keys(&["C-y"]);
    t.wait_for("Redone: vote on note 1");
    t.keys(&["Escape"]);
    t.quit();
    let notes = notes_json(&v, &sid);
    let got: Vec<(String, i64)> = notes
        .iter()
        .map(|n| {
            (
                n["text"].as_str().unwrap().to_owned(),
                n["votes"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("Signs at the door".to_owned(), 1),
            ("A quiet room".to_owned(), 0),
            ("Radio on floor 2".to_owned(), 0),
        ]
    );
}

#[test]
fn alt_d_mid_typing_asks_first_and_can_be_undone() {
    let v = TestVault::new();
    let sid = session(&v, "interview", "paper");
    let t = Tmux::start(&v, "destroyed", 80, 24);
    t.open_first_session();
    t.type_text("The first page, typed up");
    t.keys(&["Enter"]);
    t.wait_for("The first page, typed up");
    t.type_text("He said the lift was");
    t.keys(&["M-d"]);
    t.wait_for("destroyed today");
    t.type_text("n");
    t.keys(&["Enter"]);
    t.wait_for("Nothing recorded");
    t.wait_for("original kept");
    // the typing goes on where it was
    t.type_text(" broken");
    t.wait_for("He said the lift was broken");
    t.keys(&["M-d"]);
    t.wait_for("destroyed today");
    t.type_text("y");
    t.keys(&["Enter"]);
    t.wait_for("Recorded: the paper original was destroyed on");
    t.keys(&["C-z"]);
    t.wait_for("no longer recorded as destroyed");
    t.wait_for("He said the lift was broken");
    t.quit();
    let show = v.ok(&["session", "show", &sid], "");
    assert!(show.contains("not yet recorded"), "{show}");
    let list = v.ok(&["note", "list", "--session", &sid], "");
    assert!(
        list.contains("He said the lift was broken"),
        "the draft is kept: {list}"
    );
    assert!(
        list.contains("The first page, typed up"),
        "Ctrl+Z after Alt+D took back the record, not the last note: {list}"
    );
}

#[test]
fn a_kind_key_marks_one_note_unless_the_kind_is_kept() {
    let v = TestVault::new();
    let sid = session(&v, "interview", "live");
    let t = Tmux::start(&v, "kind", 80, 24);
    t.open_first_session();
    t.keys(&["M-q"]);
    t.wait_for("· verbatim ·");
    t.type_text("I waited four hours");
    t.keys(&["Enter"]);
    t.wait_for("· paraphrase ·");
    t.type_text("She waited a long time");
    t.keys(&["Enter"]);
    t.keys(&["M-o", "M-k"]);
    t.wait_for("observation (kept)");
    for text in ["Looks tired", "Checks the phone"] {
        t.type_text(text);
        t.keys(&["Enter"]);
    }
    t.wait_for("Checks the phone");
    t.wait_for("observation (kept)");
    t.quit();
    let kinds: Vec<String> = notes_json(&v, &sid)
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        kinds,
        ["verbatim", "paraphrase", "observation", "observation"]
    );
}

/// The SGR parameters in `screen` that set a colour (foreground or background, any palette).
fn colour_codes(screen: &str) -> Vec<String> {
    let mut found = Vec::new();
    for seq in screen.split("\x1b[").skip(1) {
        let Some(end) = seq.find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':')) else {
            continue;
        };
        if !seq[end..].starts_with('m') {
            continue;
        }
        let mut params = seq[..end].split(';');
        while let Some(p) = params.next() {
            let Ok(n) = p.parse::<u16>() else { continue };
            if matches!(n, 30..=37 | 40..=47 | 90..=97 | 100..=107) {
                found.push(n.to_string());
            } else if n == 38 || n == 48 {
                // 38;5;N or 38;2;R;G;B: skip the colour's own numbers
                found.push(n.to_string());
                match params.next() {
                    Some("5") => {
                        params.next();
                    }
                    Some("2") => {
                        params.nth(2);
                    }
                    _ => {}
                }
            }
        }
    }
    found
}

/// The editor's one coloured mark (the theme a `#tag` would complete to), with and without
/// NO_COLOR; a selection is shown reversed, never in colour.
fn completion_screen(no_color: Option<&str>) -> String {
    let v = TestVault::new();
    session(&v, "interview", "live");
    v.ok(&["theme", "add", "Waiting", "--project", "F2F"], "");
    let env: Vec<(&str, &str)> = no_color.map(|c| ("NO_COLOR", c)).into_iter().collect();
    let t = Tmux::start_env(&v, "colour", 120, 35, &env);
    t.open_first_session();
    t.type_text("long wait at the desk #Wai");
    t.wait_for("→ #Waiting");
    t.keys(&["S-Left", "S-Left", "S-Left"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let styled = t.styled_screen();
    t.keys(&["Escape"]);
    t.quit();
    styled
}

#[test]
fn no_color_leaves_the_app_without_colour() {
    let coloured = completion_screen(None);
    assert!(
        !colour_codes(&coloured).is_empty(),
        "without NO_COLOR the completion is in the accent colour; screen:\n{coloured:?}"
    );
    let plain = completion_screen(Some("1"));
    assert_eq!(
        colour_codes(&plain),
        Vec::<String>::new(),
        "NO_COLOR=1 must leave no colour on screen:\n{plain:?}"
    );
    assert!(plain.contains("→ #Waiting"), "{plain:?}");
}
