//! Screens and layout in a real terminal (tmux): a lock returns to the same session with the
//! half-typed note; forms and prompts keep the focused field and the whole question in view;
//! every screen works at 80×24 and a tiny window says so; analysis opens an excerpt in full,
//! anonymised unless asked otherwise; the first run tells one story.

mod common;

use std::time::Duration;

use common::tmux::Tmux;
use common::*;

/// A project F2F with one interview of `n` numbered notes; returns the session id.
fn interview_with_notes(v: &TestVault, n: usize) -> String {
    let sid = v.with_session();
    for i in 1..=n {
        v.ok(
            &["note", "add", "--session", &sid],
            &format!("numbered note {i:02}"),
        );
    }
    sid
}

/// The numbers of the numbered notes on screen.
fn visible_notes(screen: &str) -> Vec<u32> {
    screen
        .split("numbered note ")
        .skip(1)
        .filter_map(|r| r.get(..2)?.parse().ok())
        .collect()
}

#[test]
fn unlocking_after_a_lock_returns_to_the_same_session_scroll_and_half_typed_note() {
    let v = TestVault::new();
    interview_with_notes(&v, 40);
    let t = Tmux::start(&v, "resume", 120, 35);
    t.unlock();
    t.wait_for("F2F");
    t.keys(&["Enter"]);
    t.wait_for("Interview 1");
    t.keys(&["Enter"]);
    t.wait_for("numbered note 40");
    // start typing the next note, then scroll back to read an earlier one
    t.type_text("she said the desk was");
    t.wait_for("she said the desk was");
    t.keys(&["PageUp", "PageUp"]);
    std::thread::sleep(Duration::from_millis(300));
    let before = visible_notes(&t.screen());
    assert!(
        !before.is_empty() && !before.contains(&40),
        "PageUp did not scroll back: {before:?}"
    );
    t.keys(&["C-l"]);
    let locked = t.wait_for("Type the vault passphrase");
    assert!(
        !locked.contains("numbered note") && !locked.contains("she said"),
        "the lock screen shows notes:\n{locked}"
    );
    t.unlock();
    let back = t.wait_for("back where you were");
    assert!(back.contains("F2F › Interview 1"), "{back}");
    assert!(back.contains("she said the desk was"), "{back}");
    assert_eq!(
        visible_notes(&back),
        before,
        "not scrolled where it was:\n{back}"
    );
}

#[test]
fn an_excerpt_reads_in_full_anonymised_until_asked_and_esc_returns_to_the_excerpts() {
    let v = TestVault::new();
    let sid = v.with_session();
    v.ok(&["theme", "add", "Waiting"], "");
    v.ok(
        &[
            "participant",
            "add",
            "--session",
            &sid,
            "--name",
            "Abdirahman Warsame",
            "--role",
            "resident",
        ],
        "",
    );
    let long = "Abdirahman said the queue was two hours and that nobody at the desk could say \
                why; he came back the next day and the same thing happened again, so he gave up \
                and went home without seeing anyone at all";
    let nid = v.last_line(
        &["note", "add", "--session", &sid, "--speaker", "P01"],
        long,
    );
    v.ok(
        &[
            "tag", "--note", &nid, "--theme", "Waiting", "--span", "16..39",
        ],
        "",
    );
    let t = Tmux::start(&v, "excerpt", 80, 24);
    t.unlock();
    t.wait_for("F2F");
    t.keys(&["Enter"]);
    t.wait_for("Interview 1");
    t.keys(&["a"]);
    t.wait_for("Codebook");
    t.keys(&["Enter"]);
    let list = t.wait_for("1 excerpt for 'Waiting'");
    // at 80 columns, with six views in the tab bar, the label is the one word
    assert!(list.contains(" anonymised"), "{list}");
    assert!(
        !list.contains("Abdirahman"),
        "a real name on the analysis screen:\n{list}"
    );
    t.keys(&["Enter"]);
    let open = t.wait_for("Excerpt 1 of 1");
    assert!(open.contains("⟦the queue was two hours⟧Waiting"), "{open}");
    assert!(
        open.contains("without seeing anyone at all"),
        "cut short:\n{open}"
    );
    assert!(!open.contains("Abdirahman"), "{open}");
    t.keys(&["t"]);
    let real = t.wait_for("REAL TEXT");
    assert!(real.contains("Abdirahman said"), "{real}");
    t.keys(&["t", "Escape"]);
    let back = t.wait_for("1 excerpt for 'Waiting'");
    assert!(!back.contains("Abdirahman"), "{back}");
}

#[test]
fn the_focused_field_of_a_form_stays_in_view_at_80x24() {
    let v = TestVault::new();
    let t = Tmux::start(&v, "form", 80, 24);
    t.unlock();
    t.wait_for("Projects");
    t.keys(&["C-n"]);
    t.wait_for("New project");
    t.type_text("F2F");
    t.keys(&["Tab"]);
    let purpose = "To understand how residents experience waiting at the face to face housing \
                   options desk, including queueing times, safety in the waiting area, how staff \
                   explain delays, what happens when the desk closes before everyone is seen, and \
                   how this differs for carers, parents and people who need an interpreter, so \
                   that the redesign rests on what residents and staff actually said, and not \
                   only on complaint counts, which miss the people who gave up and went home \
                   without being seen at all.";
    t.type_text(purpose);
    for _ in 0..7 {
        t.keys(&["Tab"]);
    }
    t.type_text("24");
    let s = t.wait_for("› Retention (months)");
    assert!(
        s.contains("24▏"),
        "the typed retention is not visible:\n{s}"
    );
    assert!(s.contains("↑ more above"), "{s}");
    t.keys(&["C-s"]);
    t.wait_for("F2F");
    t.keys(&["C-q"]);
    t.wait_for("EXITED-0");
    let shown = v.ok(&["project", "show", "F2F"], "");
    assert!(shown.contains("24"), "{shown}");
}

#[test]
fn a_long_prompt_is_shown_whole_at_80x24() {
    let v = TestVault::new();
    v.with_session();
    let t = Tmux::start(&v, "prompt", 80, 24);
    t.unlock();
    t.wait_for("F2F");
    t.keys(&["Enter"]);
    t.wait_for("Interview 1");
    t.keys(&["a"]);
    t.wait_for("Codebook");
    t.keys(&["f"]);
    let s = t.wait_for("Enter ok · Esc cancel");
    assert!(s.contains("children=yes; empty: none)"), "{s}");
}

#[test]
fn at_80x24_headers_end_whole_and_a_tiny_window_says_so_but_keeps_the_typing_line() {
    let v = TestVault::new();
    v.with_session();
    let t = Tmux::start(&v, "small", 80, 24);
    t.unlock();
    t.wait_for("F2F");
    t.keys(&["Enter"]);
    let sessions = t.wait_for("Interview 1");
    assert!(sessions.contains("· F1 more keys"), "{sessions}");
    assert!(!sessions.contains(" e e┐"), "{sessions}");
    t.keys(&["Enter"]);
    t.wait_for("F2F › Interview 1");
    t.type_text("the radio on floor two");
    t.resize(40, 10);
    let small = t.wait_for("Window too small");
    assert!(small.contains("at least 50×12"), "{small}");
    assert!(small.contains("radio on floor two▏"), "{small}");
    t.type_text(" was broken");
    t.wait_for("floor two was broken▏");
    t.resize(80, 24);
    let back = t.wait_for("F2F › Interview 1");
    assert!(back.contains("the radio on floor two was broken"), "{back}");
}

#[test]
fn the_first_run_tells_one_story_and_the_form_stands_alone() {
    let v = TestVault::empty();
    let t = Tmux::start(&v, "first", 80, 24);
    let first = t.wait_for("There is no vault here yet.");
    assert!(
        first.contains("Press Enter to create one here") && first.contains("fieldnotes init"),
        "{first}"
    );
    assert!(!first.contains("then start fieldnotes again"), "{first}");
    t.keys(&["F1"]);
    let help = t.wait_for("create a vault here");
    assert!(help.contains("Enter"), "{help}");
    t.keys(&["Escape"]);
    t.wait_for("There is no vault here yet.");
    t.keys(&["Enter"]);
    let form = t.wait_for("Create a vault");
    assert!(
        !form.contains("Unlock the vault") && !form.contains("no vault here yet"),
        "the old box shows under the form:\n{form}"
    );
    for _ in 0..2 {
        t.type_text("kettle harbour violet tram");
        t.keys(&["Enter"]);
    }
    t.wait_for("Projects");
    // the README's words for the first run are the screen's
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains("press Enter to create one"));
    assert!(!readme.contains("in coming releases"));
}

#[test]
fn a_lock_keeps_a_half_filled_form_and_an_edit_in_progress() {
    let v = TestVault::new();
    let sid = interview_with_notes(&v, 2);
    let t = Tmux::start(&v, "keepform", 120, 35);
    t.unlock();
    t.wait_for("F2F");
    t.keys(&["Enter"]);
    t.wait_for("Interview 1");
    t.keys(&["Enter"]);
    t.wait_for("numbered note 02");
    // a participant half registered when the laptop is locked
    t.keys(&["C-p"]);
    t.wait_for("New participant");
    t.type_text("Tomasz Wierzbicki");
    t.keys(&["Tab"]);
    t.type_text("hostel manager");
    t.wait_for("hostel manager");
    t.keys(&["C-l"]);
    let locked = t.wait_for("kept in the vault");
    assert!(
        !locked.contains("Tomasz"),
        "the lock screen shows the form:\n{locked}"
    );
    t.unlock();
    let back = t.wait_for("is back");
    assert!(
        back.contains("Tomasz Wierzbicki") && back.contains("hostel manager"),
        "{back}"
    );
    t.keys(&["Escape"]);
    // an edit of a saved note, in progress when the laptop is locked
    t.keys(&["M-Up"]);
    t.keys(&["C-e"]);
    t.type_text(" and more");
    t.wait_for("and more");
    t.keys(&["C-l"]);
    t.wait_for("editing was saved");
    t.unlock();
    t.wait_for("back where you were");
    let notes = v.ok(&["note", "list", "--session", &sid], "");
    assert!(notes.contains("numbered note 02 and more"), "{notes}");
}
