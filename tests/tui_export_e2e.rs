//! Exporting from the app: the file is offered in the documents folder, in full and dated,
//! and a file already there is replaced only after a yes.

mod common;

use std::time::Duration;

use common::tmux::Tmux;
use common::*;

#[test]
fn export_from_the_app_goes_to_the_documents_folder_and_asks_before_replacing() {
    let v = TestVault::new();
    let sid = v.with_session();
    v.ok(
        &[
            "participant",
            "add",
            "--session",
            &sid,
            "--name",
            "Aisha Khan",
            "--role",
            "tenant",
        ],
        "",
    );
    v.ok(
        &["note", "add", "--session", &sid, "--speaker", "P01"],
        "Aisha Khan said the queue was two hours long\n",
    );
    // the platform's documents folder, as a desktop session declares it
    let docs = v.home().join("Documents");
    std::fs::create_dir_all(&docs).unwrap();
    let config = v.home().join(".config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("user-dirs.dirs"),
        "XDG_DOCUMENTS_DIR=\"$HOME/Documents\"\n",
    )
    .unwrap();
    let today = v.ok(&["session", "show", &sid], "");
    let today = today
        .lines()
        .find_map(|l| l.strip_prefix("Date"))
        .unwrap()
        .trim()
        .to_owned();
    let expected = docs.join(format!("F2F-summary-{today}.html"));

    let t = Tmux::start(&v, "export", 120, 35);
    t.unlock_to_sessions("F2F");
    t.keys(&["x"]);
    t.wait_for("Review before export");
    t.keys(&["e"]);
    // shown in full, ready to edit
    t.wait_for(&expected.display().to_string());
    t.keys(&["Enter"]);
    t.wait_for("Encrypt to a public key");
    t.keys(&["Enter"]);
    t.wait_for("Exported");
    let first = std::fs::read(&expected).unwrap();
    assert!(
        !common::contains(&first, b"Aisha"),
        "a name left in the export"
    );

    // again: the file is there, so the app asks, and anything but y keeps it
    std::fs::write(&expected, b"kept").unwrap();
    t.keys(&["e"]);
    t.wait_for(&expected.display().to_string());
    t.keys(&["Enter"]);
    t.wait_for("Encrypt to a public key");
    t.keys(&["Enter"]);
    t.wait_for("Replace it?");
    t.type_text("n");
    t.keys(&["Enter"]);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(std::fs::read(&expected).unwrap(), b"kept");
    t.keys(&["e", "Enter", "Enter"]);
    t.wait_for("Replace it?");
    t.type_text("y");
    t.keys(&["Enter"]);
    let start = std::time::Instant::now();
    while std::fs::read(&expected).unwrap() == b"kept" {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "a yes did not replace the file; screen:\n{}",
            t.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    t.keys(&["C-q"]);
    t.wait_for("EXITED-0");
}
