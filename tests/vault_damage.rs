//! The vault under damage and attack: a damaged write-ahead log, a missing or emptied vault
//! file, key files from elsewhere, restores of older backups, truncated audit trails and
//! core dumps.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use fieldnotes::app::{self, NewNote};
use fieldnotes::vault::{KdfSettings, Unlock, Vault};

fn passphrase() -> Unlock {
    Unlock::Passphrase(PASS.to_owned().into())
}

fn note(session_id: i64, text: &str) -> NewNote {
    NewNote {
        session_id,
        speaker: None,
        kind: fieldnotes::model::NoteKind::Observation,
        text: text.to_owned(),
        special_category: false,
        criminal_offence: false,
        themes: Vec::new(),
        at_ms: 0,
        cluster: None,
        page: None,
        question_id: None,
    }
}

/// A vault left as a crash leaves it: `committed` notes acknowledged by SQLite but still only
/// in the write-ahead log (with its index), as when the app is killed with the vault open.
fn crashed_vault(committed: usize) -> (TestVault, String) {
    let v = TestVault::new();
    let sid = v.with_session();
    v.ok(&["note", "add", "--session", &sid], "checkpointed note\n");
    let crashed = v.tmp.path().join("crashed");
    {
        let open = Vault::open(
            &v.dir(),
            passphrase(),
            KdfSettings {
                work_factor: Some(10),
            },
        )
        .unwrap();
        for i in 0..committed {
            let n = note(sid.parse().unwrap(), &format!("wal note {i}"));
            app::notes::add(&open, &app::SystemClock::local(), n.into()).unwrap();
        }
        // copy the files while the connection is open: exactly what a kill leaves
        std::fs::create_dir(&crashed).unwrap();
        for f in files_under(&v.dir()) {
            let rel = f.strip_prefix(v.dir()).unwrap();
            if rel.starts_with("lock") {
                continue;
            }
            let to = crashed.join(rel);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&f, &to).unwrap();
        }
    }
    assert!(
        crashed.join("fieldnotes.db-wal").exists() && crashed.join("fieldnotes.db-shm").exists(),
        "the crash left a log"
    );
    std::fs::remove_dir_all(v.dir()).unwrap();
    std::fs::rename(&crashed, v.dir()).unwrap();
    (v, sid)
}

fn wal(v: &TestVault) -> PathBuf {
    v.dir().join("fieldnotes.db-wal")
}

fn err_of(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn an_intact_log_after_a_crash_keeps_every_committed_note() {
    let (v, sid) = crashed_vault(3);
    let list = v.ok(&["note", "list", "--session", &sid], "");
    for i in 0..3 {
        assert!(list.contains(&format!("wal note {i}")), "{list}");
    }
    assert!(v.ok(&["check"], "").contains("intact"));
}

#[test]
fn a_torn_frame_after_the_last_commit_is_not_damage() {
    let (v, sid) = crashed_vault(3);
    // a crash in the middle of a fourth commit: half a frame written after the last commit
    let mut bytes = std::fs::read(wal(&v)).unwrap();
    let frame = 24 + 4096;
    let mut torn = bytes[32..32 + frame / 2].to_vec();
    torn[0] ^= 0x55;
    bytes.extend_from_slice(&torn);
    std::fs::write(wal(&v), &bytes).unwrap();
    let list = v.ok(&["note", "list", "--session", &sid], "");
    assert!(list.contains("wal note 2"), "{list}");
}

#[test]
fn a_flipped_byte_in_the_log_is_reported_and_the_log_kept() {
    let (v, sid) = crashed_vault(3);
    let mut bytes = std::fs::read(wal(&v)).unwrap();
    bytes[32 + 24 + 100] ^= 0x01; // inside the first frame's (encrypted) page
    std::fs::write(wal(&v), &bytes).unwrap();

    let o = v.run(&["note", "list", "--session", &sid], "");
    let err = err_of(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("fieldnotes.db-wal") && err.contains("damaged") && err.contains("restore"),
        "{err}"
    );
    let kept: Vec<_> = files_under(&v.dir())
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("-wal.damaged-"))
        .collect();
    assert_eq!(kept.len(), 1, "the damaged log is kept aside");
    assert_eq!(std::fs::read(&kept[0]).unwrap(), bytes, "kept as it was");

    // reported once; then the vault opens with what is intact, and `check` keeps saying so
    let list = v.ok(&["note", "list", "--session", &sid], "");
    assert!(list.contains("checkpointed note"), "{list}");
    let o = v.run(&["check"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(err_of(&o).contains("set aside"), "{}", err_of(&o));
}

#[test]
fn a_truncated_log_is_reported() {
    let (v, sid) = crashed_vault(4);
    let bytes = std::fs::read(wal(&v)).unwrap();
    std::fs::write(wal(&v), &bytes[..32 + 24 + 4096]).unwrap();
    let o = v.run(&["note", "list", "--session", &sid], "");
    assert_eq!(o.status.code(), Some(1), "{}", err_of(&o));
    assert!(err_of(&o).contains("damaged"), "{}", err_of(&o));
}

#[test]
fn a_wrong_passphrase_does_not_touch_a_damaged_log() {
    let (v, sid) = crashed_vault(2);
    let mut bytes = std::fs::read(wal(&v)).unwrap();
    bytes[32 + 24 + 100] ^= 0x01;
    std::fs::write(wal(&v), &bytes).unwrap();
    let bad = v.tmp.path().join("bad");
    std::fs::write(&bad, "not the passphrase\n").unwrap();
    let o = v
        .bare()
        .args(["--passphrase-file", bad.to_str().unwrap()])
        .args(["note", "list", "--session", &sid])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(wal(&v)).unwrap(), bytes);
}

#[test]
fn an_emptied_or_missing_vault_file_is_not_a_new_vault() {
    let v = TestVault::new();
    let sid = v.with_session();
    v.ok(&["note", "add", "--session", &sid], "precious\n");
    let backup = v.tmp.path().join("b.age");
    v.ok(&["backup", "--out", backup.to_str().unwrap()], "");
    let db = v.dir().join("fieldnotes.db");
    for damage in ["empty", "missing"] {
        if damage == "empty" {
            std::fs::write(&db, b"").unwrap();
        } else {
            std::fs::remove_file(&db).unwrap();
        }
        for cmd in [
            &["check"][..],
            &["project", "list"],
            &["note", "list", "--session", &sid],
        ] {
            let o = v.run(cmd, "");
            let err = err_of(&o);
            assert_eq!(o.status.code(), Some(1), "{damage} {cmd:?}: {err}");
            assert!(
                err.contains("fieldnotes.db")
                    && err.contains("missing or empty")
                    && err.contains("restore"),
                "{err}"
            );
        }
        assert!(
            std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) == 0,
            "nothing was created in its place"
        );
        // restore works on exactly this vault
        v.ok(&["restore", backup.to_str().unwrap(), "--yes"], "");
        assert!(
            v.ok(&["note", "list", "--session", &sid], "")
                .contains("precious")
        );
        assert!(v.ok(&["check"], "").contains("intact"));
    }
}

#[test]
fn a_key_file_from_another_vault_is_named() {
    let v = TestVault::new();
    let other = TestVault::new();
    std::fs::copy(
        other.dir().join("keys/passphrase.age"),
        v.dir().join("keys/passphrase.age"),
    )
    .unwrap();
    let o = v.run(&["project", "list"], "");
    let err = err_of(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("keys/passphrase.age") && err.contains("another vault"),
        "{err}"
    );
}

#[test]
fn a_damaged_key_file_speaks_plainly() {
    let v = TestVault::new();
    let key = v.dir().join("keys/passphrase.age");
    let good = std::fs::read(&key).unwrap();
    let damages: [&[u8]; 4] = [
        b"age-encryption.org/v2\n",
        b"age-encryption.org/v1\n-> garbage\n",
        &good[..good.len() / 2],
        b"\x00\x01 not age at all",
    ];
    for damage in damages {
        std::fs::write(&key, damage).unwrap();
        let o = v.run(&["project", "list"], "");
        let err = err_of(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.contains("passphrase.age") && err.contains("damaged"),
            "{err}"
        );
        for internal in ["upgrading", "Unknown age format", "Header", "header"] {
            assert!(!err.contains(internal), "{err}");
        }
    }
}

fn identity(v: &TestVault, name: &str) -> (PathBuf, String) {
    use age::secrecy::ExposeSecret;
    let id = age::x25519::Identity::generate();
    let file = v.tmp.path().join(format!("{name}.txt"));
    std::fs::write(&file, format!("{}\n", id.to_string().expose_secret())).unwrap();
    (file, id.to_public().to_string())
}

fn opens_with(v: &TestVault, id_file: &Path) -> bool {
    v.bare()
        .arg("--identity")
        .arg(id_file)
        .args(["project", "list"])
        .output()
        .unwrap()
        .status
        .success()
}

#[test]
fn a_restore_keeps_the_live_recipients_and_key() {
    let v = TestVault::new();
    v.with_session();
    let (alice, alice_pub) = identity(&v, "alice");
    let (bob, bob_pub) = identity(&v, "bob");
    v.ok(&["recipient", "add", "alice", &alice_pub], "");
    let backup = v.tmp.path().join("old.age");
    v.ok(&["backup", "--out", backup.to_str().unwrap()], "");
    let alice_old_file = std::fs::read(v.dir().join("keys/alice.age")).unwrap();
    v.ok(&["recipient", "remove", "alice"], "");
    v.ok(&["recipient", "add", "bob", &bob_pub], "");

    let out = v.ok(&["restore", backup.to_str().unwrap(), "--yes"], "");
    assert!(
        out.contains("bob") && out.contains("own passphrase"),
        "{out}"
    );
    let list = v.ok(&["recipient", "list"], "");
    assert!(list.contains("bob") && !list.contains("alice"), "{list}");
    assert!(opens_with(&v, &bob));
    assert!(!opens_with(&v, &alice));
    // a later rotation re-issues keys to the listed recipients only
    v.ok(&["recipient", "remove", "bob"], "");
    assert!(!v.dir().join("keys/alice.age").exists());
    std::fs::write(v.dir().join("keys/alice.age"), alice_old_file).unwrap();
    assert!(
        !opens_with(&v, &alice),
        "a removed recipient's old key opens nothing"
    );
}

#[test]
fn removed_trailing_audit_events_are_caught_by_a_backup_anchor() {
    let v = TestVault::new();
    v.with_session();
    v.ok(&["project", "add", "Second"], "");
    v.ok(&["backup"], ""); // into the vault's own backups folder
    let out = v.ok(&["audit", "--verify"], "");
    assert!(out.contains("intact") && out.contains("backup"), "{out}");
    let anchor = out
        .lines()
        .find_map(|l| l.strip_prefix("Anchor now: "))
        .expect("the current anchor is printed")
        .to_owned();
    let export = v.tmp.path().join("export.md");
    v.ok(
        &[
            "export",
            "--project",
            "F2F",
            "--out",
            export.to_str().unwrap(),
        ],
        "",
    );
    let exported = std::fs::read_to_string(&export).unwrap();
    assert!(exported.contains("Audit anchor "), "{exported}");
    let out = v.ok(
        &["audit", "--verify", "--anchor", export.to_str().unwrap()],
        "",
    );
    assert!(out.contains("export.md"), "{out}");

    // someone holding the key removes the newest events
    #[allow(clippy::disallowed_methods)]
    {
        let conn = rusqlite::Connection::open(v.dir().join("fieldnotes.db")).unwrap();
        let key: String = v.raw_key().iter().map(|b| format!("{b:02x}")).collect();
        conn.execute_batch(&format!("PRAGMA key = \"x'{key}'\";"))
            .unwrap();
        conn.execute(
            "DELETE FROM audit WHERE id > (SELECT max(id) - 4 FROM audit)",
            [],
        )
        .unwrap();
    }
    let o = v.run(&["audit", "--verify", "--anchor", &anchor], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err_of(&o).contains("removed from its end"),
        "{}",
        err_of(&o)
    );
    // an export made before the removal carries its own anchor
    let o = v.run(
        &["audit", "--verify", "--anchor", export.to_str().unwrap()],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err_of(&o).contains("removed from its end") && err_of(&o).contains("export.md"),
        "{}",
        err_of(&o)
    );
    // the backup in the vault's folder is checked without being named
    let o = v.run(&["audit", "--verify"], "");
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(err_of(&o).contains("the backup"), "{}", err_of(&o));
}

#[test]
fn no_core_dump_holds_the_passphrase() {
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    let v = TestVault::new();
    let cwd = v.tmp.path().join("cwd");
    std::fs::create_dir(&cwd).unwrap();
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("fieldnotes"));
    cmd.current_dir(&cwd)
        .envs(v.home_env())
        .env("FIELDNOTES_KDF_WORK_FACTOR", WORK_FACTOR)
        .args([
            "--vault",
            v.dir().to_str().unwrap(),
            "--passphrase-file",
            "-",
        ])
        .args(["project", "list"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // SAFETY: setrlimit is async-signal-safe and only reads the struct.
    unsafe {
        cmd.pre_exec(|| {
            let unlimited = libc::rlimit {
                rlim_cur: libc::RLIM_INFINITY,
                rlim_max: libc::RLIM_INFINITY,
            };
            libc::setrlimit(libc::RLIMIT_CORE, &unlimited);
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    {
        use std::io::Write;
        // half a passphrase: the process waits for the rest with a secret in memory
        let stdin = child.stdin.as_mut().unwrap();
        stdin.write_all(&PASS.as_bytes()[..10]).unwrap();
        stdin.flush().unwrap();
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    // SAFETY: sending a signal to our own child.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGQUIT);
    }
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(libc::SIGQUIT), "{status:?}");
    assert!(!status.core_dumped(), "a core file was written");
    assert!(
        files_under(&cwd).is_empty(),
        "nothing was written where a core would go"
    );
}

#[test]
fn too_little_memory_to_unlock_is_a_clear_error_not_an_abort() {
    use std::os::unix::process::CommandExt;
    let v = TestVault::empty();
    // the production work factor: 512 MiB for scrypt
    let o = v
        .cmd()
        .env("FIELDNOTES_KDF_WORK_FACTOR", "19")
        .arg("init")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", err_of(&o));
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("fieldnotes"));
    cmd.envs(v.home_env())
        .args(["--vault", v.dir().to_str().unwrap(), "--passphrase-file"])
        .arg(v.pass_file())
        .args(["project", "list"]);
    // SAFETY: setrlimit is async-signal-safe and only reads the struct.
    unsafe {
        cmd.pre_exec(|| {
            let cap = libc::rlimit {
                rlim_cur: 400 << 20,
                rlim_max: 400 << 20,
            };
            libc::setrlimit(libc::RLIMIT_AS, &cap);
            Ok(())
        });
    }
    let o = cmd.output().unwrap();
    let err = err_of(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("MiB of memory") && err.contains("ulimit -v"),
        "{err}"
    );
    assert!(
        !err.contains("memory allocation") && !err.contains("backtrace"),
        "{err}"
    );
}

/// Removes every audit event from number `from` on, with the vault's own key, as an insider
/// could.
#[allow(clippy::disallowed_methods)]
fn drop_events_from(v: &TestVault, from: i64) {
    let conn = rusqlite::Connection::open(v.dir().join("fieldnotes.db")).unwrap();
    let key: String = v.raw_key().iter().map(|b| format!("{b:02x}")).collect();
    conn.execute_batch(&format!("PRAGMA key = \"x'{key}'\";"))
        .unwrap();
    conn.execute("DELETE FROM audit WHERE id >= ?1", [from])
        .unwrap();
}

#[test]
fn an_export_anchors_its_own_record() {
    let v = TestVault::new();
    v.with_session();
    let export = v.tmp.path().join("board.md");
    v.ok(
        &[
            "export",
            "--project",
            "F2F",
            "--out",
            export.to_str().unwrap(),
        ],
        "",
    );
    let listed = v.ok(&["audit"], "");
    let record = listed
        .lines()
        .find(|l| l.contains("\texport\t") && l.contains("board.md"))
        .expect("the export is audited");
    let id: i64 = record.split('\t').next().unwrap().parse().unwrap();
    let file = std::fs::read_to_string(&export).unwrap();
    assert!(file.contains(&format!("Audit anchor {id}:")), "{file}");
    // the record of this export (and what followed) goes: the file itself shows it
    drop_events_from(&v, id);
    let o = v.run(
        &["audit", "--verify", "--anchor", export.to_str().unwrap()],
        "",
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(
        err_of(&o).contains(&format!("audit event {id}")),
        "{}",
        err_of(&o)
    );
}
