//! Quotes awaiting approval in the app: `q` on the sessions screen lists them, `a` asks the
//! day (today by default) and records the approval; the help lists the keys.

mod common;

use common::tmux::Tmux;
use common::*;

#[test]
fn a_quote_awaiting_approval_is_approved_from_the_sessions_screen() {
    let v = TestVault::new();
    let sid = v.with_session();
    v.ok(
        &[
            "participant",
            "add",
            "--session",
            &sid,
            "--name",
            "Tomasz Lis",
            "--role",
            "tenant",
            "--quote",
            "approval",
        ],
        "",
    );
    let id = v.last_line(
        &[
            "note",
            "add",
            "--session",
            &sid,
            "--speaker",
            "P01",
            "--kind",
            "verbatim",
        ],
        "nobody at the kiosk looked up at me once\n",
    );
    let t = Tmux::start(&v, "quotes", 120, 35);
    t.unlock_to_sessions("F2F");
    t.keys(&["q"]);
    let list = t.wait_for("Quotes awaiting approval: 1");
    assert!(
        list.contains(&format!("note {id}")) && list.contains("kiosk"),
        "{list}"
    );
    // the help names the screen's keys
    t.keys(&["?"]);
    t.wait_for("approve the selected quote's exact words");
    t.keys(&["Escape"]);
    t.wait_for("Quotes awaiting approval: 1");
    // a day that is not a date is refused, and nothing is recorded
    t.keys(&["a"]);
    t.wait_for("approved these exact words");
    for _ in 0..10 {
        t.keys(&["BSpace"]);
    }
    t.type_text("1st April");
    t.keys(&["Enter"]);
    t.wait_for("YYYY-MM-DD");
    t.wait_for("Quotes awaiting approval: 1");
    // the day is asked, today offered: replaced by the day they approved it
    t.keys(&["a"]);
    t.wait_for("approved these exact words");
    for _ in 0..10 {
        t.keys(&["BSpace"]);
    }
    t.type_text("2024-04-01");
    t.keys(&["Enter"]);
    t.wait_for("Quotes awaiting approval: 0");
    t.wait_for("approved by P01 on 2024-04-01");
    t.keys(&["Escape"]);
    t.wait_for("Sessions —");
    t.quit();
    let audit = v.ok(&["audit"], "");
    assert!(audit.contains(&format!("note {id} by P01")), "{audit}");
    assert!(!audit.contains("kiosk"), "{audit}");
    let pending = v.ok(&["quotes", "pending", "--project", "F2F"], "");
    assert!(
        pending.contains("No quote is awaiting approval"),
        "{pending}"
    );
}
