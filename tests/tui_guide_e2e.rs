//! The topic guide in a real terminal (tmux, the real binary): a guide imported with the
//! command line shows beside the live interview, Alt+. moves to the next question between
//! notes, and each note typed answers the question that was current.

mod common;

use common::tmux::Tmux;
use common::*;

const GUIDE: &str = "# Desk staff\n\n## Arriving\n\n- What happens at the desk?\n  - Who is first?\n- How long is the wait?\n\n## Help\n\n- What would help?\n";

/// Project F2F with the desk guide and one live interview; returns the session's id.
fn guided_session(v: &TestVault) -> String {
    v.ok(&["project", "add", "F2F"], "");
    let file = v.tmpdir().join("guide.md");
    std::fs::write(&file, GUIDE).unwrap();
    v.ok(
        &[
            "guide",
            "import",
            file.to_str().unwrap(),
            "--project",
            "F2F",
        ],
        "",
    );
    v.last_line(
        &[
            "session",
            "add",
            "--project",
            "F2F",
            "--kind",
            "interview",
            "--source",
            "live",
            "--title",
            "Front desk",
        ],
        "",
    )
}

#[test]
fn notes_typed_while_moving_through_the_guide_answer_its_questions() {
    let v = TestVault::new();
    let sid = guided_session(&v);
    let t = Tmux::start(&v, "guide140", 140, 40);
    t.open_first_session();
    t.wait_for("Desk staff v1 · 0/3 covered");
    t.wait_for("▶ 1. What happens at the desk?");
    t.type_text("The guard waves people through");
    t.keys(&["Enter"]);
    t.wait_for("1. What happens at the desk? ✓1");
    t.keys(&["M-."]);
    t.wait_for("▶ 2. How long is the wait?");
    t.type_text("Two hours on a Monday");
    t.keys(&["Enter"]);
    t.type_text("Longer after lunch");
    t.keys(&["Enter"]);
    t.wait_for("2. How long is the wait? ✓2");
    t.wait_for("· Q2");
    t.quit();
    let shown = v.ok(&["guide", "show", "--session", &sid], "");
    assert!(shown.contains("2 of 3 questions covered"), "{shown}");
    assert!(
        shown.contains("✓  1. What happens at the desk?  (1 note)"),
        "{shown}"
    );
    assert!(
        shown.contains("✓  2. How long is the wait?  (2 notes)"),
        "{shown}"
    );
    assert!(shown.contains("   3. What would help?\n"), "{shown}");
}

#[test]
fn at_80_columns_the_current_question_is_one_line_and_comes_back_after_quitting() {
    let v = TestVault::new();
    let sid = guided_session(&v);
    let t = Tmux::start(&v, "guide80", 80, 24);
    t.open_first_session();
    t.wait_for("Q1/3 · What happens at the desk?");
    t.keys(&["M-.", "M-."]);
    t.wait_for("Q3/3 · What would help?");
    t.type_text("A bench");
    t.keys(&["Enter"]);
    t.wait_for("Q3/3 ✓1 · What would help?");
    t.quit();
    // opened again, the interview is back at question 3
    let t = Tmux::start(&v, "guide80b", 80, 24);
    t.open_first_session();
    t.wait_for("Q3/3 ✓1 · What would help?");
    t.quit();
    let shown = v.ok(&["guide", "show", "--session", &sid], "");
    assert!(
        shown.contains("✓  3. What would help?  (1 note)"),
        "{shown}"
    );
}
