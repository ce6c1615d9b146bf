//! The command line beside the app: session ids on screen where the commands need them,
//! `--project` by any case or a unique start, and the commands that only read running while
//! the app holds the vault (writes stay with the one program that holds it).

mod common;

use std::time::Duration;

use common::tmux::Tmux;
use common::*;

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Three projects, two starting alike, and an interview with a note in the first.
fn three_projects() -> (TestVault, String) {
    let v = TestVault::new();
    for p in ["Housing Waits", "Foodbank", "F2F"] {
        v.ok(&["project", "add", p], "");
    }
    let sid = v.last_line(
        &[
            "session",
            "add",
            "--project",
            "housing",
            "--kind",
            "interview",
            "--title",
            "Security officer 1",
        ],
        "",
    );
    v.ok(
        &["note", "add", "--session", &sid],
        "The queue was two hours long #waiting\n",
    );
    (v, sid)
}

#[test]
fn a_project_is_named_in_any_case_or_by_a_unique_start() {
    let (v, sid) = three_projects();
    let listed = v.ok(&["session", "list", "--project", "HOUSING WAITS"], "");
    assert!(
        listed.starts_with(&format!("{sid}\tHousing Waits")),
        "{listed}"
    );
    assert!(
        v.ok(&["session", "list", "--project", "hou"], "")
            .contains("Security officer 1")
    );
    assert!(v.ok(&["project", "show", "food"], "").contains("Foodbank"));
    // an exact name wins over being the start of another
    v.ok(&["project", "add", "F2"], "");
    assert!(
        v.ok(&["project", "show", "f2"], "")
            .contains("Project                     F2\n")
    );
    // every command that takes one goes through the same resolver
    v.ok(&["theme", "add", "Waiting", "--project", "hous"], "");
    assert!(
        v.ok(&["theme", "list", "--project", "hOuSiNg"], "")
            .contains("Waiting")
    );
    assert!(
        v.ok(&["search", "queue", "--project", "hou"], "")
            .contains("two hours")
    );
    assert!(
        v.ok(&["analyse", "frequencies", "--project", "hou"], "")
            .contains("Waiting")
    );
    v.ok(
        &["person", "add", "--project", "hou", "--name", "Dana Scully"],
        "",
    );
    assert!(
        v.ok(&["person", "list", "--project", "HOU"], "")
            .contains("Dana Scully")
    );
    v.ok(&["project", "allow", "hou", "Camden"], "");
    assert!(
        v.ok(&["project", "lists", "housing"], "")
            .contains("allow\tCamden")
    );
    let out = v.tmpdir().join("hw.md");
    let said = v.ok(
        &[
            "export",
            "--project",
            "housing",
            "--out",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert!(said.contains("Housing Waits"), "{said}");
}

#[test]
fn an_unclear_project_lists_the_candidates() {
    let (v, _) = three_projects();
    let o = v.run(&["session", "list", "--project", "f"], "");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            "'f' could be any of these projects: 'F2F', 'Foodbank'. Give more of the name"
        ),
        "{err}"
    );
    let o = v.run(&["theme", "list", "--project", "Nowhere"], "");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("there is no project named 'Nowhere'. The projects are: 'F2F', 'Foodbank', 'Housing Waits'"),
        "{err}"
    );
    // names reach the terminal made safe, whoever typed them
    v.ok(&["project", "add", "Fake\u{1b}[2J"], "");
    let err = stderr(&v.run(&["session", "list", "--project", "f"], ""));
    let err2 = stderr(&v.run(&["session", "list", "--project", "zz\u{1b}]52;c;"], ""));
    for e in [&err, &err2] {
        assert!(
            !e.contains('\u{1b}'),
            "raw escape reached the terminal: {e:?}"
        );
    }
    assert!(err.contains("Fake\\u{1b}[2J"), "{err}");
}

/// Holds the vault as the app does, in this process.
fn hold(v: &TestVault) -> fieldnotes::vault::Vault {
    fieldnotes::vault::Vault::open(
        &v.dir(),
        fieldnotes::vault::Unlock::Passphrase(PASS.to_owned().into()),
        Default::default(),
    )
    .unwrap()
}

#[test]
fn commands_that_only_read_run_beside_the_holder_and_change_nothing() {
    let (v, sid) = three_projects();
    let held = hold(&v);
    // a key file of a recipient the vault does not list: an opener that may write removes
    // it; one that only reads must leave it
    let stray = v.dir().join("keys").join("ghost.age");
    std::fs::copy(v.dir().join("keys").join("passphrase.age"), &stray).unwrap();
    let db = std::fs::read(v.dir().join("fieldnotes.db")).unwrap();
    assert!(
        v.ok(&["note", "list", "--session", &sid], "")
            .contains("two hours")
    );
    assert!(
        v.ok(&["note", "list", "--session", &sid, "--format", "json"], "")
            .contains("two hours")
    );
    assert!(
        v.ok(&["session", "show", &sid], "")
            .contains("Security officer 1")
    );
    assert!(v.ok(&["project", "list"], "").contains("Foodbank"));
    assert!(v.ok(&["search", "queue"], "").contains("two hours"));
    assert!(
        v.ok(&["participant", "list", "--project", "hou"], "")
            .is_empty()
    );
    v.ok(&["audit", "--verify"], "");
    v.ok(&["retention"], "");
    assert!(stray.exists(), "a reader cleaned up");
    assert_eq!(
        std::fs::read(v.dir().join("fieldnotes.db")).unwrap(),
        db,
        "a reader wrote"
    );
    // writes, and reads that must be recorded, say what to do and what still runs
    let o = v.run(&["note", "add", "--session", &sid], "later\n");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("open in another fieldnotes"), "{err}");
    assert!(
        err.contains("these commands still run: note list, session list|show"),
        "{err}"
    );
    for args in [
        &["analyse", "frequencies"][..],
        &["export", "--project", "hou", "--out", "/dev/null"],
        &["check"],
        &["audit"],
    ] {
        let o = v.run(args, "");
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = stderr(&o);
        assert!(
            err.contains("records in the audit trail that it ran")
                && err.contains("run it from the app, or close the app"),
            "{args:?}: {err}"
        );
    }
    drop(held);
    // alone again, the next opener may write: it tidies up and records
    v.ok(&["analyse", "frequencies", "--project", "hou"], "");
    assert!(!stray.exists());
}

#[test]
fn a_reader_keeps_a_key_change_from_swapping_files_under_it() {
    let (v, _) = three_projects();
    let readers = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(v.dir().join("lock.readers"))
        .unwrap();
    readers.try_lock_shared().unwrap();
    let new_pass = v.tmpdir().join("new-pass");
    std::fs::write(&new_pass, "another quite long passphrase 2024!\n").unwrap();
    let o = v.run(
        &[
            "passwd",
            "--new-passphrase-file",
            new_pass.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("only reads") && err.contains("nothing was changed"),
        "{err}"
    );
    // an erasure cleans the log, which it cannot while a reader reads from it
    let o = v.run(&["erase", "--note", "1", "--yes"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("only reads"), "{}", stderr(&o));
    drop(readers);
    assert!(
        v.ok(&["note", "list", "--session", "1"], "")
            .contains("two hours")
    );
    v.ok(&["erase", "--note", "1", "--yes"], "");
}

#[test]
fn the_app_shows_session_ids_and_listings_run_while_it_is_open() {
    let (v, sid) = three_projects();
    let t = Tmux::start(&v, "ids", 80, 24);
    t.unlock_to_sessions("hou");
    let screen = t.wait_for(&format!("#{sid} "));
    assert!(screen.contains("Security officer 1"), "{screen}");
    t.keys(&["Enter"]);
    t.wait_for(&format!(
        "› Security officer 1 (session {sid}, interview, live)"
    ));
    t.type_text("Asked about the night shift");
    t.keys(&["Enter"]);
    std::thread::sleep(Duration::from_millis(800));
    // the command the title names works while the app holds the vault
    let listed = v.ok(&["note", "list", "--session", &sid], "");
    assert!(listed.contains("Asked about the night shift"), "{listed}");
    assert!(v.ok(&["search", "night"], "").contains("night shift"));
    let o = v.run(
        &[
            "session",
            "add",
            "--project",
            "hou",
            "--kind",
            "interview",
            "--title",
            "x",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("these commands still run"));
    t.keys(&["C-q"]);
    t.wait_for("EXITED-0");
    v.ok(
        &[
            "session",
            "add",
            "--project",
            "hou",
            "--kind",
            "interview",
            "--title",
            "x",
        ],
        "",
    );
}
