//! One test per bug fixed, named after the bug, so a bug that comes back fails by its name.
//! Each is short; where a thorough test of the same bug lives elsewhere, the doc comment says
//! where. Add the next one here when a bug is fixed.

mod common;

use common::{PASS, TestVault};
use fieldnotes::anonymise::{Anonymiser, Registry};
use fieldnotes::app::{Clock, FixedClock, SystemClock};

fn redact(registry: &Registry, text: &str) -> String {
    Anonymiser::new(registry).redact(text).text
}

fn audit_actions(v: &TestVault) -> String {
    v.ok(&["audit"], "")
}

fn stderr_of(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A passphrase refused as weak was kept and prefixed to the next one typed. The app's form
/// is covered in src/tui/tests.rs (`a_refused_new_passphrase_is_never_part_of_the_next_one`)
/// and tests/tui_e2e.rs; the command line must behave the same.
#[test]
fn refused_passphrase_clears_both_fields() {
    let v = TestVault::empty();
    let weak = v.tmp.path().join("weak");
    std::fs::write(&weak, "short\n").unwrap();
    let o = v
        .bare()
        .arg("--passphrase-file")
        .arg(&weak)
        .arg("init")
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(!v.dir().join("keys/passphrase.age").exists());
    v.ok(&["init"], "");
    let joined = v.tmp.path().join("joined");
    std::fs::write(&joined, format!("short{PASS}\n")).unwrap();
    let o = v
        .bare()
        .arg("--passphrase-file")
        .arg(&joined)
        .args(["project", "list"])
        .output()
        .unwrap();
    assert!(
        !o.status.success(),
        "the refused passphrase became part of the vault's"
    );
    v.ok(&["project", "list"], "");
}

/// The two shells dated things differently (UTC in one, local in the other) near midnight.
/// Both now take the date from one clock (thorough cases in src/app/tests.rs).
#[test]
fn today_is_local_date_in_both_shells() {
    use time::macros::{datetime, offset};
    let late = FixedClock(datetime!(2024-03-07 23:30 UTC).to_offset(offset!(+1)));
    assert_eq!(late.today(), "2024-03-08");
    let far_east = SystemClock::with_offset(offset!(+14));
    let utc = time::OffsetDateTime::now_utc();
    assert_eq!(
        far_east.today(),
        utc.to_offset(offset!(+14)).date().to_string()
    );
}

/// An output path that is a symbolic link to nothing was followed and a file made at its
/// target; with --force the link was replaced.
#[test]
fn dangling_symlink_output_is_refused_with_or_without_force() {
    let v = TestVault::new();
    v.ok(&["project", "add", "F2F"], "");
    let link = v.tmp.path().join("link.md");
    std::os::unix::fs::symlink(v.tmp.path().join("nowhere/x.md"), &link).unwrap();
    for force in [false, true] {
        let mut c = v.cmd();
        c.args(["export", "--project", "F2F", "--out"]).arg(&link);
        if force {
            c.arg("--force");
        }
        let o = c.output().unwrap();
        assert!(!o.status.success());
        assert!(stderr_of(&o).contains("symbolic link"), "{}", stderr_of(&o));
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
}

/// An export's audit record was written before the file: a failed write left a record of an
/// export that never happened (thorough: tests/export.rs `an_export_anchors_its_own_record`).
#[test]
fn failed_export_write_leaves_no_audit_record() {
    let v = TestVault::new();
    v.ok(&["project", "add", "F2F"], "");
    let o = v.run(
        &[
            "export",
            "--project",
            "F2F",
            "--out",
            "/nonexistent-folder/x.md",
        ],
        "",
    );
    assert!(!o.status.success());
    assert!(!audit_actions(&v).contains("\texport\t"));
}

/// A backup was recorded in the audit trail before it had been written.
#[test]
fn backup_is_recorded_only_once_it_has_arrived() {
    let v = TestVault::new();
    let o = v.run(&["backup", "--out", "/nonexistent-folder/b.age"], "");
    assert!(!o.status.success());
    assert!(!audit_actions(&v).contains("\tbackup"));
    v.ok(
        &[
            "backup",
            "--out",
            v.tmp.path().join("b.age").to_str().unwrap(),
        ],
        "",
    );
    assert!(audit_actions(&v).contains("\tbackup"));
}

/// Usage errors exited 2 like a wrong passphrase; they exit 64 (thorough:
/// tests/output_safety.rs `usage_errors_exit_64_and_help_and_version_exit_0`).
#[test]
fn usage_errors_exit_64() {
    let v = TestVault::new();
    let o = v.run(&["project", "add"], "");
    assert_eq!(o.status.code(), Some(64));
}

/// An export replaced an existing file without being asked to.
#[test]
fn existing_output_is_replaced_only_with_force() {
    let v = TestVault::new();
    v.ok(&["project", "add", "F2F"], "");
    let out = v.tmp.path().join("summary.md");
    std::fs::write(&out, "earlier\n").unwrap();
    let o = v.run(
        &["export", "--project", "F2F", "--out", out.to_str().unwrap()],
        "",
    );
    assert!(!o.status.success());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "earlier\n");
    v.ok(
        &[
            "export",
            "--project",
            "F2F",
            "--out",
            out.to_str().unwrap(),
            "--force",
        ],
        "",
    );
    assert_ne!(std::fs::read_to_string(&out).unwrap(), "earlier\n");
}

/// Deny-list matches were found in a lower-cased copy and cut the original at the copy's
/// byte positions, inside a character: İ and ẞ change length when lower-cased (property
/// test in src/anonymise/tests.rs).
#[test]
fn deny_list_matches_never_cut_inside_a_character() {
    let anon = Anonymiser::new(&Registry {
        deny: vec!["x".into(), "i".into()],
        allow: vec!["ß".into()],
        ..Registry::default()
    });
    for text in ["İxİ", "ẞix ß", "xİİx i", "ıxI ẞẞ X"] {
        let r = anon.redact(text);
        assert!(
            r.substitutions
                .iter()
                .all(|s| text.is_char_boundary(s.start) && text.is_char_boundary(s.end)),
            "{text}"
        );
    }
}

/// Role words like "guard" took the next lower-case word as a name ("the guard opened…").
#[test]
fn role_words_do_not_make_the_next_word_a_name() {
    let text = "the guard opened the door and the officer waited";
    assert_eq!(redact(&Registry::default(), text), text);
}

/// Two-digit years of birth were judged against a fixed year, not the current one.
#[test]
fn dates_of_birth_are_judged_against_the_current_year() {
    let r = Registry::default();
    // dates of birth are generalised to the decade: '86 is 1986, '12 is 2012
    assert!(redact(&r, "born 9 June '86").contains("[DOB 1980s]"));
    assert!(redact(&r, "born 9 June '12").contains("[DOB 2010s]"));
}

/// A vault file emptied or removed was taken for a new vault and silently recreated
/// (thorough: tests/vault_damage.rs `an_emptied_or_missing_vault_file_is_not_a_new_vault`).
#[test]
fn emptied_vault_file_is_not_a_new_vault() {
    let v = TestVault::new();
    let db = v.dir().join("fieldnotes.db");
    std::fs::write(&db, "").unwrap();
    let o = v.run(&["project", "list"], "");
    assert!(!o.status.success());
    assert_eq!(std::fs::metadata(&db).unwrap().len(), 0);
}

/// CSV cells starting with = + - @ were opened as formulas by spreadsheets; the analysis CSV
/// now defuses them with the export's function. Ordinary text starting with a sign (`-5
/// degrees`, `+44 20 7946 0000`) is not a formula and stays as written.
#[test]
fn spreadsheet_cells_never_start_a_formula() {
    for bad in ["=1+1", "+A1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
        assert!(fieldnotes::export::spreadsheet_cell(bad).starts_with('\''));
    }
    for plain in ["plain", "+44 20 7946 0000", "-2", "- bullet"] {
        assert_eq!(fieldnotes::export::spreadsheet_cell(plain), plain);
    }
}

/// A wrong passphrase must change nothing on disk (thorough: tests/vault.rs
/// `wrong_passphrase_exits_2_and_changes_nothing`).
#[test]
fn wrong_passphrase_changes_nothing() {
    let v = TestVault::new();
    let before = std::fs::read(v.dir().join("fieldnotes.db")).unwrap();
    let wrong = v.tmp.path().join("wrong");
    std::fs::write(&wrong, "not the passphrase at all 42\n").unwrap();
    let o = v
        .bare()
        .arg("--passphrase-file")
        .arg(&wrong)
        .args(["project", "add", "X"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read(v.dir().join("fieldnotes.db")).unwrap(),
        before
    );
}

/// Partial outputs of a killed backup (`.name.<pid>.part`) stayed in the vault for ever; they
/// are removed at the next unlock.
#[test]
fn stray_partial_outputs_are_removed_at_unlock() {
    let v = TestVault::new();
    let stray = v.dir().join(".backup.4242.part");
    std::fs::write(&stray, "half a backup").unwrap();
    v.ok(&["project", "list"], "");
    assert!(!stray.exists());
}

/// The vault's lock file was opened through a symbolic link, creating its target (thorough:
/// tests/output_safety.rs `a_symlinked_lock_file_is_refused_and_not_followed`).
#[test]
fn symlinked_lock_file_is_not_followed() {
    let v = TestVault::new();
    let elsewhere = v.tmpdir().join("victim");
    std::fs::remove_file(v.dir().join("lock")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, v.dir().join("lock")).unwrap();
    let o = v.run(&["project", "list"], "");
    assert!(!o.status.success());
    assert!(!elsewhere.exists());
}

/// A damaged key file gave a raw decoder error; it is named in plain words (thorough:
/// tests/vault_damage.rs `a_damaged_key_file_speaks_plainly`).
#[test]
fn damaged_key_file_is_named_not_panicked() {
    let v = TestVault::new();
    std::fs::write(v.dir().join("keys/passphrase.age"), "not an age file").unwrap();
    let o = v.run(&["project", "list"], "");
    let err = stderr_of(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("key") && !err.contains("panicked"), "{err}");
}

/// A key rotation killed between its renames left key files that no longer opened the
/// database (thorough: every rename and unlink killed in turn, tests/fault_injection.rs
/// `recipient_remove_survives_a_kill_at_every_call`). Here the commit has happened and the
/// staged key file has not yet replaced the old one: the next unlock finishes the job.
#[test]
fn rotation_killed_between_renames_recovers() {
    let v = TestVault::new();
    v.ok(&["project", "add", "F2F"], "");
    let keys = v.dir().join("keys");
    let staged = std::fs::read(keys.join("passphrase.age")).unwrap();
    std::fs::write(keys.join("passphrase.age.next"), &staged).unwrap();
    // another vault's wrap, under the same passphrase, stands for the old key's
    let other = TestVault::new();
    std::fs::copy(
        other.dir().join("keys/passphrase.age"),
        keys.join("passphrase.age"),
    )
    .unwrap();
    assert!(v.ok(&["project", "list"], "").contains("F2F"));
    assert!(!keys.join("passphrase.age.next").exists());
    assert_eq!(std::fs::read(keys.join("passphrase.age")).unwrap(), staged);
}

/// The same rotation killed before its commit: the staged database and key files are
/// discarded and the vault is as it was.
#[test]
fn rotation_killed_before_its_commit_rolls_back() {
    let v = TestVault::new();
    v.ok(&["project", "add", "F2F"], "");
    let live = std::fs::read(v.dir().join("keys/passphrase.age")).unwrap();
    std::fs::write(v.dir().join("fieldnotes.db.next"), "half a database").unwrap();
    std::fs::write(v.dir().join("keys/passphrase.age.next"), "half a key").unwrap();
    assert!(v.ok(&["project", "list"], "").contains("F2F"));
    assert!(!v.dir().join("fieldnotes.db.next").exists());
    assert!(!v.dir().join("keys/passphrase.age.next").exists());
    assert_eq!(
        std::fs::read(v.dir().join("keys/passphrase.age")).unwrap(),
        live
    );
}

/// A project with one interview, a participant P01 (Aisha Khan) and a note she said.
fn with_participant() -> TestVault {
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
        ],
        "",
    );
    v.ok(
        &["note", "add", "--session", &sid, "--speaker", "P01"],
        "The lift was broken again.",
    );
    v.ok(
        &["note", "add", "--session", &sid],
        "Aisha Khan came back twice about the lift.",
    );
    v
}

/// A subject access report to a one-off passphrase took any passphrase, however weak; it
/// is held to the vault's rule and nothing is written.
#[test]
fn subject_access_to_a_one_off_passphrase_needs_a_strong_one() {
    let v = with_participant();
    let weak = v.tmp.path().join("weak");
    std::fs::write(&weak, "short\n").unwrap();
    let out = v.tmp.path().join("report.html");
    let o = v.run(
        &[
            "subject-access",
            "--participant",
            "P01",
            "--out",
            out.to_str().unwrap(),
            "--out-passphrase-file",
            weak.to_str().unwrap(),
        ],
        "",
    );
    assert!(!o.status.success());
    assert!(stderr_of(&o).contains("passphrase"), "{}", stderr_of(&o));
    assert!(!out.exists());
}

/// Search quoted notes that name a person whose processing is restricted (thorough:
/// tests/rights.rs `search_never_quotes_a_restricted_person`).
#[test]
fn search_never_quotes_a_restricted_person() {
    let v = with_participant();
    assert!(v.ok(&["search", "lift"], "").contains("came back twice"));
    v.ok(&["participant", "restrict", "P01"], "");
    let found = v.ok(&["search", "lift"], "");
    assert!(
        !found.contains("came back twice") && !found.contains("broken again"),
        "{found}"
    );
}

/// `analyse … --format json` returned before its audit event was written, so the trail missed
/// every analysis read as JSON (the table and CSV forms were recorded).
#[test]
fn analysis_read_as_json_is_on_the_audit_trail() {
    let v = TestVault::new();
    v.with_session();
    let before = audit_actions(&v).matches("analysis").count();
    v.ok(&["analyse", "frequencies", "--format", "json"], "");
    v.ok(&["analyse", "excerpts", "--format", "json"], "");
    v.ok(&["analyse", "cooccurrence", "--format", "json"], "");
    let after = audit_actions(&v).matches("analysis").count();
    assert_eq!(after, before + 3, "{}", audit_actions(&v));
}

/// An error written to a standard error already closed (`2>&1 >/dev/null | true`) made the
/// program panic (exit 101) instead of exiting with the error's own code.
#[test]
fn an_error_to_a_closed_standard_error_exits_with_its_code_not_a_panic() {
    let v = TestVault::new();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_fieldnotes"))
        .env("HOME", v.dir())
        .env_remove("FIELDNOTES_VAULT")
        .arg("--vault")
        .arg(v.dir())
        .args(["--passphrase-file", "/dev/null", "check"])
        .stderr(std::process::Stdio::from(writer))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{o:?}");
}
