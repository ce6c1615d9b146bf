//! The real binary in tmux: a record review made from the sessions screen (`v`), a subject
//! of the records added with Ctrl+P (no consent asked), a note about them, and a disclosure
//! recorded from the projects screen (Ctrl+D); then the command line finds all of it.

mod common;

use common::TestVault;
use common::tmux::Tmux;

#[test]
fn a_record_review_with_its_subject_and_a_disclosure_made_in_the_app() {
    let v = TestVault::new();
    v.ok(
        &[
            "project",
            "add",
            "F2F",
            "--lawful-basis",
            "6(1)(e) public task",
        ],
        "",
    );
    let t = Tmux::start(&v, "records", 120, 40);
    t.unlock_to_sessions("F2F");
    t.keys(&["v"]);
    t.wait_for("New record review");
    t.type_text("Desk contacts");
    t.keys(&["Tab", "Tab"]);
    t.type_text("CRM");
    t.keys(&["Tab"]);
    t.type_text("CRM-4471-Q");
    t.keys(&["Tab"]);
    t.type_text("2024-01-01");
    t.keys(&["Tab"]);
    t.type_text("2024-03-31");
    t.keys(&["Tab"]);
    t.type_text("every contact about the desk");
    t.keys(&["C-s"]);
    t.wait_for("Record review of CRM");
    t.keys(&["C-p"]);
    let form = t.wait_for("New subject of the records");
    assert!(!form.contains("Consent"), "{form}");
    t.type_text("Hodan Farah");
    t.keys(&["Enter"]);
    t.type_text("tenant");
    t.keys(&["Enter"]);
    t.wait_for("they are now the speaker");
    t.type_text("Rang four times about the queue");
    t.keys(&["Enter"]);
    t.wait_for("│ saved │");
    t.keys(&["Escape"]);
    let list = t.wait_for("Sessions —");
    assert!(
        list.contains("review") && list.contains("Desk contacts"),
        "{list}"
    );
    t.keys(&["Escape"]);
    t.wait_for("Projects matching 'F2F'");
    t.keys(&["C-d"]);
    t.wait_for("None recorded");
    t.keys(&["n"]);
    t.wait_for("Record a disclosure");
    t.keys(&["Tab"]);
    t.type_text("CRM team");
    t.keys(&["Tab"]);
    t.type_text("names and visit times of 12 people");
    t.keys(&["Tab"]);
    t.type_text("6(1)(e) public task");
    t.keys(&["Tab"]);
    t.type_text("encrypted email");
    t.keys(&["Enter"]);
    t.wait_for("to CRM team — names and visit times of 12 people");
    t.quit();

    let sessions = v.ok(&["session", "list"], "");
    let sid = sessions.split('\t').next().unwrap().trim().to_owned();
    let show = v.ok(&["session", "show", &sid], "");
    for want in [
        "review",
        "Source system     CRM",
        "CRM-4471-Q",
        "Subject           P01",
    ] {
        assert!(show.contains(want), "'{want}' missing:\n{show}");
    }
    let people = v.ok(&["participant", "list", "--session", &sid], "");
    assert!(
        people.contains("subject of records (no consent: 6(1)(e) public task)"),
        "{people}"
    );
    let notes = v.ok(&["note", "list", "--session", &sid], "");
    assert!(notes.contains("Rang four times"), "{notes}");
    let log = v.ok(&["disclosure", "list"], "");
    assert!(
        log.contains("CRM team\tnames and visit times of 12 people"),
        "{log}"
    );
}
