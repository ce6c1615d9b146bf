//! The real binary in tmux: the interviewer is F1 from the first note; a person mentioned and
//! memos are registered without leaving the interview; the theme palette filters the
//! codebook and the reader's number keys stay put; workshop ideas rank most votes first and
//! group by cluster, with "1 vote".

mod common;

use common::tmux::Tmux;
use common::*;

/// Quits once the save state says everything is saved.
trait QuitWhenSaved {
    fn quit_when_saved(&self);
}

impl QuitWhenSaved for Tmux {
    fn quit_when_saved(&self) {
        self.wait_for("│ saved │");
        self.keys(&["C-q"]);
        self.wait_for("EXITED-0");
    }
}

fn unlock_to_sessions(t: &Tmux) {
    t.wait_for("Passphrase");
    t.type_text(PASS);
    t.keys(&["Enter"]);
    t.wait_for("F2F");
    t.keys(&["Enter"]);
    t.wait_for("Sessions");
}

fn notes_of(v: &TestVault, sid: &str) -> serde_json::Value {
    serde_json::from_str(&v.ok(&["note", "list", "--session", sid, "--format", "json"], ""))
        .unwrap()
}

fn first_session(v: &TestVault) -> String {
    v.ok(&["session", "list"], "")
        .split('\t')
        .next()
        .unwrap()
        .trim()
        .to_owned()
}

#[test]
fn the_interviewer_is_f1_from_the_first_note_and_tab_cycles_f1_and_the_participants() {
    let v = TestVault::new();
    v.ok(&["project", "add", "F2F"], "");
    let t = Tmux::start(&v, "f1", 120, 35);
    unlock_to_sessions(&t);
    t.keys(&["i"]);
    t.type_text("Security officer 1");
    t.keys(&["Enter"]);
    t.wait_for("Your name, as interviewer F1 (asked once)");
    t.type_text("Sam Patel");
    t.keys(&["Enter"]);
    t.wait_for("New note");
    let screen = t.wait_for("speaker F1");
    assert!(screen.contains("[1F1]"), "{screen}");
    t.type_text("What happens at the desk at closing time?");
    t.keys(&["Enter"]);
    t.keys(&["C-p"]);
    t.type_text("Craig Barker");
    t.keys(&["Enter"]);
    t.type_text("security officer");
    // consent, quote word for word, consent date, form version: the defaults
    t.keys(&["Enter", "Enter", "Enter", "Enter", "Enter"]);
    t.wait_for("they are now the speaker");
    t.type_text("We close the shutters at half four");
    t.keys(&["Enter"]);
    // Tab from P01: no speaker, then the interviewer again
    t.keys(&["Tab"]);
    t.wait_for("speaker none");
    t.keys(&["Tab"]);
    t.wait_for("speaker F1");
    t.type_text("And after that?");
    t.keys(&["Enter"]);
    t.wait_for("And after that?");
    t.quit_when_saved();

    let sid = first_session(&v);
    let notes = notes_of(&v, &sid);
    let speakers: Vec<&str> = notes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["speaker"].as_str().unwrap_or("none"))
        .collect();
    assert_eq!(speakers, ["F1", "P01", "F1"]);
    assert!(v.ok(&["session", "show", &sid], "").contains("Sam Patel"));
    assert_eq!(v.ok(&["settings", "researcher"], "").trim(), "Sam Patel");

    // asked once: the next live interview opens straight away, with F1
    let t = Tmux::start(&v, "f1-again", 80, 24);
    unlock_to_sessions(&t);
    t.keys(&["i"]);
    t.type_text("Security officer 2");
    t.keys(&["Enter"]);
    t.wait_for("New note");
    let screen = t.wait_for("speaker F1");
    assert!(!screen.contains("asked once"), "{screen}");
    t.keys(&["C-q"]);
    t.wait_for("EXITED-0");
}

#[test]
fn a_person_mentioned_and_memos_are_written_without_leaving_the_interview() {
    let v = TestVault::new();
    let sid = v.with_session();
    v.ok(
        &["note", "add", "--session", &sid],
        "Dennis from housing said the form was lost.",
    );
    let t = Tmux::start(&v, "people", 120, 35);
    unlock_to_sessions(&t);
    t.keys(&["Enter"]);
    t.wait_for("New note");
    t.type_text("half a sentence");
    t.keys(&["M-n"]);
    t.wait_for("Name of a person mentioned");
    t.type_text("Dennis Price");
    t.keys(&["Enter"]);
    t.wait_for("Registered as Person A");
    // a memo on the session, then one on the note
    t.keys(&["M-m"]);
    t.wait_for("Memo on this session");
    t.type_text("Recorder refused; notes only");
    t.keys(&["Enter"]);
    t.wait_for("Memo saved");
    t.keys(&["M-Up"]);
    t.keys(&["M-m"]);
    t.wait_for("Memo on the selected note");
    t.type_text("Check the lost form with the housing team");
    t.keys(&["Enter"]);
    t.wait_for("✎ memo");
    t.keys(&["Escape"]);
    let screen = t.wait_for("half a sentence");
    assert!(!screen.contains("Dennis Price"), "{screen}");
    t.wait_for("│ saved │");
    // the reading view shows both memos
    t.keys(&["Escape"]);
    t.wait_for("Sessions");
    t.keys(&["r"]);
    let screen = t.wait_for("✎ memo: Check the lost form");
    assert!(
        screen.contains("✎ session memo: Recorder refused; notes only"),
        "{screen}"
    );
    t.keys(&["C-q"]);
    t.wait_for("EXITED-0");
    let people = v.ok(&["person", "list", "--project", "F2F"], "");
    assert!(
        people.contains("Person A") && people.contains("Dennis Price"),
        "{people}"
    );
    let audit = v.ok(&["audit"], "");
    assert!(audit.contains("person add\tPerson A"), "{audit}");
    // the note and the draft keep what was typed
    let list = v.ok(&["note", "list", "--session", &sid], "");
    assert!(list.contains("half a sentence"), "{list}");
}

#[test]
fn the_palette_filters_the_codebook_and_number_keys_stay_put() {
    let v = TestVault::new();
    let sid = v.with_session();
    for t in ["Safety", "Staff attitude", "Waiting times"] {
        v.ok(&["theme", "add", t], "");
    }
    v.ok(
        &["note", "add", "--session", &sid],
        "Security shouted at him.",
    );
    v.ok(
        &["note", "add", "--session", &sid],
        "Two hours in the queue.",
    );
    let t = Tmux::start(&v, "codes", 80, 24);
    unlock_to_sessions(&t);
    t.keys(&["Enter"]);
    t.wait_for("New note");
    t.type_text("The guard was rude");
    t.keys(&["C-t"]);
    let screen = t.wait_for("type to filter");
    for theme in ["Safety", "Staff attitude", "Waiting times"] {
        assert!(screen.contains(theme), "the codebook is listed:\n{screen}");
    }
    t.type_text("att");
    let screen = t.wait_until("only Staff attitude", |s| !s.contains("Safety"));
    assert!(screen.contains("Staff attitude"), "{screen}");
    t.keys(&["Enter"]);
    t.wait_for("#Staff_attitude");
    t.keys(&["Enter"]);
    t.wait_for("│ saved │");
    t.keys(&["Escape"]);
    t.wait_for("Sessions");
    // the reading view: all nine keys on screen, and a key keeps its theme after use
    t.keys(&["r"]);
    let screen = t.wait_for("9 —");
    assert!(
        screen.contains("1 Safety") && screen.contains("3 Waiting times"),
        "{screen}"
    );
    t.keys(&["Down", "3"]);
    t.wait_for("# Waiting times");
    t.keys(&["Up", "1"]);
    t.wait_for("# Safety");
    let screen = t.screen();
    assert!(
        screen.contains("1 Safety") && screen.contains("3 Waiting times"),
        "{screen}"
    );
    // pin a theme to key 5
    t.keys(&["p"]);
    t.type_text("5 wait");
    t.keys(&["Enter"]);
    t.wait_for("Key 5 now tags with Waiting times");
    let screen = t.wait_for("5 Waiting times");
    assert!(screen.contains("3 —"), "{screen}");
    t.keys(&["C-q"]);
    t.wait_for("EXITED-0");
    let notes = notes_of(&v, &sid);
    let themes: Vec<Vec<&str>> = notes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            n["themes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(
        themes,
        [
            vec!["Safety"],
            vec!["Waiting times"],
            vec!["Staff attitude"]
        ]
    );
}

#[test]
fn workshop_ideas_rank_most_votes_first_and_group_by_cluster() {
    let v = TestVault::new();
    v.ok(&["project", "add", "F2F"], "");
    let t = Tmux::start(&v, "workshop", 100, 30);
    unlock_to_sessions(&t);
    t.keys(&["w"]);
    t.type_text("Staff workshop");
    t.keys(&["Enter"]);
    t.wait_for("New idea");
    for idea in ["Signs at the door", "A quiet room", "Radio on floor 2"] {
        t.type_text(idea);
        t.keys(&["Enter"]);
    }
    t.wait_for("│ saved │");
    // "A quiet room": two votes and a cluster; "Signs at the door": one vote
    t.keys(&["M-Up", "M-Up", "M-=", "M-="]);
    t.wait_for("2 votes");
    t.keys(&["C-g"]);
    t.type_text("Waiting area");
    t.keys(&["Enter"]);
    t.wait_for("[Waiting area]");
    t.keys(&["M-Up", "M-="]);
    t.wait_for("· 1 vote");
    t.keys(&["Escape"]);
    t.keys(&["C-o"]);
    let screen = t.wait_for("sorted by votes");
    let at = |s: &str, what: &str| s.lines().position(|l| l.contains(what)).unwrap();
    assert!(
        at(&screen, "A quiet room") < at(&screen, "Signs at the door")
            && at(&screen, "Signs at the door") < at(&screen, "Radio on floor 2"),
        "most votes first:\n{screen}"
    );
    t.keys(&["M-g"]);
    let screen = t.wait_for("── Cluster: Waiting area · 1 idea · 2 votes");
    assert!(
        screen.contains("── No cluster · 2 ideas · 1 vote"),
        "{screen}"
    );
    assert!(!screen.contains("1 votes"), "{screen}");
    // the analysis ideas view says "1 vote" too
    t.keys(&["Escape"]);
    t.wait_for("Sessions");
    t.keys(&["a"]);
    t.wait_for("Codebook");
    t.keys(&["Tab", "Tab", "Tab"]);
    let screen = t.wait_for("Workshop ideas");
    assert!(
        screen.contains("1 vote ") && !screen.contains("1 votes"),
        "{screen}"
    );
    t.keys(&["C-q"]);
    t.wait_for("EXITED-0");
}
