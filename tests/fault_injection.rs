//! Every command that rewrites the vault, killed at each of its file-system system calls in
//! turn (strace's `-e inject=SYSCALL:signal=KILL:when=N`), then checked for what the user was
//! promised: the vault opens with the passphrase in force and `check` passes, no committed
//! note is lost, nothing erased comes back, a removed recipient's old key opens nothing, no
//! temporary or staged file is left behind, and a retry of the command succeeds.
//!
//! Random kills rarely land between two renames; a kill at the N-th `rename` always does.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::strace::{self, Run, can_kill, clone_vault};
use common::*;

const NEW_PASS: &str = "kettle harbour violet tram";

/// The calls at which a command is killed. Writes are many; they are visited at a stride so
/// each command is killed at about a dozen points of each kind, first and last included.
const SYSCALLS: &[(&str, usize)] = &[
    ("unlink", 0),
    ("rename", 0),
    ("fsync", 10),
    ("fdatasync", 10),
    ("ftruncate", 10),
    ("pwrite64", 10),
    ("write", 10),
];

/// A vault with everything the commands below act on: notes, a participant who will
/// withdraw, a recipient who will be removed, a session past its retention date, a backup.
struct Fixture {
    v: TestVault,
    sid: String,
    alice: PathBuf,
    alice_pub: String,
    backup: PathBuf,
}

fn fixture() -> Fixture {
    let v = TestVault::new();
    let sid = v.with_session();
    let code = v.last_line(
        &[
            "participant",
            "add",
            "--session",
            &sid,
            "--name",
            "Zenobia Quartermaine",
            "--role",
            "resident",
        ],
        "",
    );
    assert_eq!(code, "P01");
    for i in 0..5 {
        v.ok(
            &["note", "add", "--session", &sid],
            &format!("kept note {i}\n"),
        );
    }
    v.ok(
        &["note", "add", "--session", &sid, "--speaker", "P01"],
        "withdrawn words of P01\n",
    );
    v.ok(&["project", "add", "Old", "--retention-months", "1"], "");
    let old = v.last_line(
        &[
            "session",
            "add",
            "--project",
            "Old",
            "--kind",
            "interview",
            "--title",
            "Long ago",
            "--date",
            "2020-01-01",
        ],
        "",
    );
    v.ok(&["note", "add", "--session", &old], "expired words\n");
    use age::secrecy::ExposeSecret;
    let id = age::x25519::Identity::generate();
    let alice = v.tmp.path().join("alice.txt");
    std::fs::write(&alice, format!("{}\n", id.to_string().expose_secret())).unwrap();
    let alice_pub = id.to_public().to_string();
    let backup = v.tmp.path().join("fixture-backup.age");
    v.ok(&["backup", "--out", backup.to_str().unwrap()], "");
    v.ok(
        &["note", "add", "--session", &sid],
        "added after the backup\n",
    );
    std::fs::write(v.tmp.path().join("newpass"), format!("{NEW_PASS}\n")).unwrap();
    Fixture {
        v,
        sid,
        alice,
        alice_pub,
        backup,
    }
}

/// A fresh copy of the fixture (same paths inside the copy's own folder).
fn clone(f: &Fixture) -> Fixture {
    let v = clone_vault(&f.v);
    let rebase = |p: &Path| v.tmp.path().join(p.strip_prefix(f.v.tmp.path()).unwrap());
    Fixture {
        sid: f.sid.clone(),
        alice: rebase(&f.alice),
        alice_pub: f.alice_pub.clone(),
        backup: rebase(&f.backup),
        v,
    }
}

/// The arguments with `{tmp}` standing for this copy's own folder.
fn args_for(v: &TestVault, args: &[&str]) -> Vec<String> {
    let tmp = v.tmp.path().to_str().unwrap();
    args.iter().map(|a| a.replace("{tmp}", tmp)).collect()
}

fn run_killed(v: &TestVault, pass: &str, args: &[&str], syscall: &str, when: usize) -> Run {
    let pass_file = v.tmp.path().join("pass-in-force");
    std::fs::write(&pass_file, format!("{pass}\n")).unwrap();
    strace::run_killed(v, &pass_file, &args_for(v, args), syscall, when)
}

fn with_pass(v: &TestVault, pass: &str, args: &[&str]) -> Output {
    let pass_file = v.tmp.path().join("pass-in-force");
    std::fs::write(&pass_file, format!("{pass}\n")).unwrap();
    v.bare()
        .arg("--passphrase-file")
        .arg(&pass_file)
        .args(args_for(v, args))
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The passphrase the vault opens with now: exactly one of the old and the new.
fn passphrase_in_force(v: &TestVault) -> &'static str {
    let old = with_pass(v, PASS, &["project", "list"]).status.success();
    let new = with_pass(v, NEW_PASS, &["project", "list"])
        .status
        .success();
    assert!(old ^ new, "old opens: {old}, new opens: {new}");
    if old { PASS } else { NEW_PASS }
}

/// What must hold after any kill, whatever the command.
fn check_vault(f: &Fixture, pass: &str, ctx: &str) -> String {
    let v = &f.v;
    let o = with_pass(v, pass, &["check"]);
    assert!(o.status.success(), "{ctx}: check failed: {}", text(&o));
    let o = with_pass(v, pass, &["note", "list", "--session", &f.sid]);
    assert!(o.status.success(), "{ctx}: {}", text(&o));
    let notes = String::from_utf8_lossy(&o.stdout).into_owned();
    for i in 0..5 {
        assert!(
            notes.contains(&format!("kept note {i}")),
            "{ctx}: lost a note: {notes}"
        );
    }
    let leftovers: Vec<_> = files_under(&v.dir())
        .into_iter()
        .filter(|p| {
            let s = p.file_name().unwrap().to_string_lossy();
            s.contains(".tmp")
                || s.ends_with(".next")
                || s.contains(".db.next")
                || s.ends_with(".part")
        })
        .collect();
    assert!(leftovers.is_empty(), "{ctx}: left behind {leftovers:?}");
    notes
}

/// Kills `args` at every call of every kind in turn, each time on a fresh copy of `base`;
/// after each kill `judge` checks the state and says whether the command had taken effect,
/// and if it had not, a retry must succeed and take effect.
fn exercise(
    base: &Fixture,
    name: &str,
    args: &[&str],
    judge: &dyn Fn(&Fixture, &str, &str) -> bool,
) {
    if !can_kill(name) {
        return;
    }
    let mut kills = 0;
    for &(syscall, stride_target) in SYSCALLS {
        let total = count_calls(base, args, syscall);
        let step = total.checked_div(stride_target).unwrap_or(1).max(1);
        let mut points: Vec<usize> = (1..=total).step_by(step).collect();
        if total > 0 && points.last() != Some(&total) {
            points.push(total);
        }
        for when in points {
            let f = clone(base);
            let ctx = format!("{name} killed at {syscall} #{when}");
            if let Run::Finished(o) = run_killed(&f.v, PASS, args, syscall, when) {
                assert!(o.status.success(), "{ctx}: {}", text(&o));
                continue;
            }
            kills += 1;
            let pass = passphrase_in_force(&f.v);
            if !judge(&f, pass, &ctx) {
                let o = with_pass(&f.v, pass, args);
                assert!(o.status.success(), "{ctx}: the retry failed: {}", text(&o));
                let pass = passphrase_in_force(&f.v);
                assert!(
                    judge(&f, pass, &format!("{ctx}, retried")),
                    "{ctx}: the retry had no effect"
                );
            }
        }
    }
    assert!(kills > 0, "{name} was never killed");
    eprintln!("{name}: {kills} kills, each recovered");
}

/// How many calls of `syscall` the command makes, counted by strace on an unkilled run of a
/// fresh copy.
fn count_calls(base: &Fixture, args: &[&str], syscall: &str) -> usize {
    let f = clone(base);
    let pass_file = f.v.tmp.path().join("pass-in-force");
    std::fs::write(&pass_file, format!("{PASS}\n")).unwrap();
    strace::count_calls(&f.v, &pass_file, &args_for(&f.v, args), syscall)
}

fn listed(f: &Fixture, pass: &str) -> String {
    String::from_utf8_lossy(&with_pass(&f.v, pass, &["recipient", "list"]).stdout).into_owned()
}

fn opens_with_alice(f: &Fixture) -> bool {
    f.v.bare()
        .arg("--identity")
        .arg(&f.alice)
        .args(["project", "list"])
        .output()
        .unwrap()
        .status
        .success()
}

#[test]
fn recipient_add_survives_a_kill_at_every_call() {
    let base = fixture();
    let public = base.alice_pub.clone();
    exercise(
        &base,
        "recipient add",
        &["recipient", "add", "alice", &public],
        &|f, pass, ctx| {
            check_vault(f, pass, ctx);
            let is_listed = listed(f, pass).contains("alice");
            assert!(
                !is_listed || f.v.dir().join("keys/alice.age").exists(),
                "{ctx}: listed without a key file"
            );
            assert_eq!(is_listed, opens_with_alice(f), "{ctx}: listed {is_listed}");
            is_listed
        },
    );
}

#[test]
fn recipient_remove_survives_a_kill_at_every_call() {
    let base = fixture();
    base.v
        .ok(&["recipient", "add", "alice", &base.alice_pub], "");
    let old_key_file = std::fs::read(base.v.dir().join("keys/alice.age")).unwrap();
    exercise(
        &base,
        "recipient remove",
        &["recipient", "remove", "alice"],
        &|f, pass, ctx| {
            check_vault(f, pass, ctx);
            let is_listed = listed(f, pass).contains("alice");
            if is_listed {
                assert!(
                    opens_with_alice(f),
                    "{ctx}: still listed but its key no longer opens"
                );
                return false;
            }
            // gone: neither its file nor a copy of its old file opens anything
            assert!(
                !opens_with_alice(f),
                "{ctx}: removed but its key still opens"
            );
            let file = f.v.dir().join("keys/alice.age");
            std::fs::write(&file, &old_key_file).unwrap();
            assert!(
                !opens_with_alice(f),
                "{ctx}: the removed key's old file opens the vault"
            );
            std::fs::remove_file(&file).unwrap();
            true
        },
    );
}

#[test]
fn passwd_survives_a_kill_at_every_call() {
    let base = fixture();
    let new = base.v.tmp.path().join("newpass");
    let new = new.to_str().unwrap().to_owned();
    exercise(
        &base,
        "passwd",
        &["passwd", "--new-passphrase-file", &new],
        &|f, pass, ctx| {
            check_vault(f, pass, ctx);
            pass == NEW_PASS
        },
    );
}

#[test]
fn backup_survives_a_kill_at_every_call() {
    let base = fixture();
    exercise(
        &base,
        "backup",
        &["backup", "--out", "{tmp}/new-backup.age"],
        &|f, pass, ctx| {
            check_vault(f, pass, ctx);
            let target = f.v.tmp.path().join("new-backup.age");
            if !target.exists() {
                return false;
            }
            // a backup that exists is whole: it restores
            let o = with_pass(&f.v, pass, &["restore", target.to_str().unwrap(), "--yes"]);
            assert!(
                o.status.success(),
                "{ctx}: the backup does not restore: {}",
                text(&o)
            );
            check_vault(f, pass, ctx);
            true
        },
    );
}

#[test]
fn restore_survives_a_kill_at_every_call() {
    let base = fixture();
    let backup = base.backup.to_str().unwrap().to_owned();
    exercise(
        &base,
        "restore",
        &["restore", &backup, "--yes"],
        &|f, pass, ctx| {
            let notes = check_vault(f, pass, ctx);
            !notes.contains("added after the backup")
        },
    );
}

#[test]
fn withdrawal_with_erasure_survives_a_kill_at_every_call() {
    let base = fixture();
    exercise(
        &base,
        "participant withdraw --erase",
        &[
            "participant",
            "withdraw",
            "P01",
            "--project",
            "F2F",
            "--erase",
            "--yes",
        ],
        &|f, pass, ctx| {
            let notes = check_vault(f, pass, ctx);
            let people = String::from_utf8_lossy(
                &with_pass(&f.v, pass, &["participant", "list", "--session", &f.sid]).stdout,
            )
            .into_owned();
            let name = people.contains("Zenobia");
            let words = notes.contains("withdrawn words");
            assert_eq!(
                name, words,
                "{ctx}: half erased (name {name}, words {words})"
            );
            !name
        },
    );
}

#[test]
fn retention_apply_survives_a_kill_at_every_call() {
    let base = fixture();
    exercise(
        &base,
        "retention --apply",
        &["retention", "--apply", "--yes"],
        &|f, pass, ctx| {
            check_vault(f, pass, ctx);
            let found =
                String::from_utf8_lossy(&with_pass(&f.v, pass, &["search", "expired"]).stdout)
                    .into_owned();
            let sessions = String::from_utf8_lossy(
                &with_pass(&f.v, pass, &["session", "list", "--project", "Old"]).stdout,
            )
            .into_owned();
            let gone = !sessions.contains("Long ago");
            assert!(
                !gone || !found.contains("expired"),
                "{ctx}: erased words are back"
            );
            gone
        },
    );
}
