//! The secured folder through the real binary: encryption at rest, permissions, passphrases,
//! locking, damage, keys, backups.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::*;

#[test]
fn notes_round_trip_through_the_cli() {
    let v = TestVault::new();
    let sid = v.with_session();
    let code = v.last_line(
        &[
            "participant",
            "add",
            "--session",
            &sid,
            "--name",
            "Aisha Khan",
            "--role",
            "security officer",
        ],
        "",
    );
    assert_eq!(code, "P01");
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
            "--theme",
            "Waiting",
        ],
        "The queue was two hours long.\n",
    );
    assert!(id.parse::<i64>().is_ok(), "note add printed {id:?}");
    let list = v.ok(&["note", "list", "--session", &sid], "");
    assert!(list.contains("The queue was two hours long."), "{list}");
    assert!(
        list.contains("P01") && list.contains("verbatim") && list.contains("Waiting"),
        "{list}"
    );
    let json = v.ok(&["note", "list", "--session", &sid, "--format", "json"], "");
    let notes: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(notes[0]["speaker"], "P01");
    assert_eq!(notes[0]["themes"][0], "Waiting");
    let hits = v.ok(&["search", "queue"], "");
    assert!(hits.contains("two hours"), "{hits}");
    let people = v.ok(&["participant", "list", "--session", &sid], "");
    assert!(
        people.contains("P01") && people.contains("Aisha Khan"),
        "{people}"
    );
}

#[test]
fn no_plaintext_reaches_any_file() {
    let v = TestVault::new();
    let sid = v.with_session();
    let canary = "QUOKKA-CANARY-90210";
    v.ok(
        &["note", "add", "--session", &sid, "--theme", canary],
        &format!("{canary} was here\n"),
    );
    v.ok(
        &[
            "participant",
            "add",
            "--session",
            &sid,
            "--name",
            canary,
            "--role",
            "x",
        ],
        "",
    );
    v.ok(&["search", canary], "");
    v.ok(
        &[
            "backup",
            "--out",
            v.tmp.path().join("b.age").to_str().unwrap(),
        ],
        "",
    );
    let mut checked = 0;
    for f in files_under(v.tmp.path()) {
        if f == v.pass_file() {
            continue;
        }
        let bytes = std::fs::read(&f).unwrap();
        assert!(
            !contains(&bytes, canary.as_bytes()),
            "plaintext canary in {}",
            f.display()
        );
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} files checked");
}

#[test]
fn files_are_private() {
    let v = TestVault::new();
    let sid = v.with_session();
    v.ok(&["note", "add", "--session", &sid], "hello\n");
    for f in files_under(&v.dir()) {
        let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} has mode {mode:o}", f.display());
    }
    for d in [v.dir(), v.dir().join("keys")] {
        let mode = std::fs::metadata(&d).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{} has mode {mode:o}", d.display());
    }
}

fn snapshot(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = files_under(dir)
        .into_iter()
        .map(|f| {
            let b = std::fs::read(&f).unwrap();
            (f, b)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn wrong_passphrase_exits_2_and_changes_nothing() {
    let v = TestVault::new();
    let sid = v.with_session();
    v.ok(&["note", "add", "--session", &sid], "a note\n");
    let before = snapshot(&v.dir());
    let bad = v.tmp.path().join("bad");
    std::fs::write(&bad, "not the passphrase\n").unwrap();
    let o = v
        .bare()
        .args([
            "--passphrase-file",
            bad.to_str().unwrap(),
            "note",
            "list",
            "--session",
            &sid,
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("wrong passphrase"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        before,
        snapshot(&v.dir()),
        "a failed unlock changed the vault"
    );
}

#[test]
fn weak_passphrase_is_refused_at_init() {
    let v = TestVault::empty();
    let weak = v.tmp.path().join("weak");
    std::fs::write(&weak, "password1\n").unwrap();
    let o = v
        .bare()
        .args(["--passphrase-file", weak.to_str().unwrap(), "init"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("too easy to guess"));
    assert!(!v.dir().join("keys/passphrase.age").exists());
}

#[test]
fn init_twice_is_refused_and_missing_vault_points_at_init() {
    let v = TestVault::empty();
    let o = v.run(&["project", "list"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("fieldnotes init"));
    v.ok(&["init"], "");
    let o = v.run(&["init"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists"));
}

#[test]
fn a_second_opener_gets_the_lock_error() {
    let v = TestVault::new();
    v.with_session();
    let held = fieldnotes::vault::Vault::open(
        &v.dir(),
        fieldnotes::vault::Unlock::Passphrase(PASS.to_owned().into()),
        Default::default(),
    )
    .unwrap();
    // a write is refused; a command that only reads runs beside the holder
    let o = v.run(&["project", "add", "Second"], "");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    let me = std::process::id();
    assert!(
        err.contains(&format!("vault is open in another fieldnotes (pid {me})")),
        "{err}"
    );
    assert!(v.ok(&["project", "list"], "").contains("F2F"));
    drop(held);
    assert!(v.ok(&["project", "list"], "").contains("F2F"));
}

#[test]
fn a_damaged_database_is_named_not_panicked() {
    let v = TestVault::new();
    let sid = v.with_session();
    for i in 0..50 {
        v.ok(
            &["note", "add", "--session", &sid],
            &format!("note {i} {}\n", "x".repeat(500)),
        );
    }
    assert!(v.ok(&["check"], "").contains("intact"));
    let db = v.dir().join("fieldnotes.db");
    let mut bytes = std::fs::read(&db).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&db, &bytes).unwrap();
    // `check` reads every page, so it finds the damage wherever it is
    let o = v.run(&["check"], "");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("fieldnotes.db") && err.contains("damaged"),
        "{err}"
    );
    // a command that happens to read the damaged page says so; none panics
    let o = v.run(&["note", "list", "--session", &sid], "");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{err}");
    assert!(o.status.success() || err.contains("damaged"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    bytes[mid] ^= 0xff;
    bytes[5] ^= 0x01; // the header (salt)
    std::fs::write(&db, &bytes).unwrap();
    let o = v.run(&["note", "list", "--session", &sid], "");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("fieldnotes.db") && err.contains("damaged"),
        "{err}"
    );
}

#[test]
fn a_damaged_key_file_is_named() {
    let v = TestVault::new();
    let key = v.dir().join("keys/passphrase.age");
    let mut bytes = std::fs::read(&key).unwrap();
    bytes.truncate(40);
    std::fs::write(&key, &bytes).unwrap();
    let o = v.run(&["project", "list"], "");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("passphrase.age") && err.contains("damaged"),
        "{err}"
    );
}

#[test]
fn passwd_rewraps_the_key() {
    let v = TestVault::new();
    v.with_session();
    let new = v.tmp.path().join("new");
    std::fs::write(&new, "a different long passphrase 4 the vault\n").unwrap();
    v.ok(
        &["passwd", "--new-passphrase-file", new.to_str().unwrap()],
        "",
    );
    assert_eq!(v.run(&["project", "list"], "").status.code(), Some(2));
    let o = v
        .bare()
        .args([
            "--passphrase-file",
            new.to_str().unwrap(),
            "project",
            "list",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("F2F"));
    let o = v
        .bare()
        .args(["--passphrase-file", new.to_str().unwrap(), "audit"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("passphrase change"));
}

#[test]
fn recipients_unlock_and_removal_rotates_the_key() {
    let v = TestVault::new();
    v.with_session();
    let id = age::x25519::Identity::generate();
    use age::secrecy::ExposeSecret;
    let id_file = v.tmp.path().join("recovery.txt");
    std::fs::write(
        &id_file,
        format!("# recovery\n{}\n", id.to_string().expose_secret()),
    )
    .unwrap();
    let public = id.to_public().to_string();
    v.ok(&["recipient", "add", "recovery", &public], "");
    assert!(v.ok(&["recipient", "list"], "").contains(&public));
    let with_id = |args: &[&str]| {
        v.bare()
            .arg("--identity")
            .arg(&id_file)
            .args(args)
            .output()
            .unwrap()
    };
    let o = with_id(&["project", "list"]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("F2F"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    // keep the old key file, as an attacker who copied it would
    let old_copy = std::fs::read(v.dir().join("keys/recovery.age")).unwrap();
    v.ok(&["recipient", "remove", "recovery"], "");
    assert!(!v.dir().join("keys/recovery.age").exists());
    assert_eq!(with_id(&["project", "list"]).status.code(), Some(2));
    std::fs::write(v.dir().join("keys/recovery.age"), old_copy).unwrap();
    let o = with_id(&["project", "list"]);
    assert_ne!(
        o.status.code(),
        Some(0),
        "a removed recipient's old key file still opens the vault"
    );
    std::fs::remove_file(v.dir().join("keys/recovery.age")).unwrap();
    assert!(v.ok(&["project", "list"], "").contains("F2F"));
}

#[test]
fn backup_and_restore_round_trip() {
    let v = TestVault::new();
    let sid = v.with_session();
    v.ok(
        &["note", "add", "--session", &sid, "--theme", "Safety"],
        "before the backup\n",
    );
    let b = v.tmp.path().join("b.age");
    v.ok(&["backup", "--out", b.to_str().unwrap()], "");
    let mode = std::fs::metadata(&b).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    v.ok(&["note", "add", "--session", &sid], "after the backup\n");
    let o = v.run(&["restore", b.to_str().unwrap()], "");
    assert_eq!(
        o.status.code(),
        Some(1),
        "restore without --yes and without a terminal must refuse"
    );
    assert!(
        v.ok(&["note", "list", "--session", &sid], "")
            .contains("after the backup")
    );
    v.ok(&["restore", b.to_str().unwrap(), "--yes"], "");
    let list = v.ok(&["note", "list", "--session", &sid], "");
    assert!(
        list.contains("before the backup") && !list.contains("after the backup"),
        "{list}"
    );
    assert!(
        v.ok(&["search", "before"], "")
            .contains("before the backup")
    );
    assert!(v.ok(&["audit"], "").contains("restore"));
    v.ok(&["audit", "--verify"], "");

    // a damaged backup is refused and changes nothing
    let mut bytes = std::fs::read(&b).unwrap();
    let n = bytes.len();
    bytes[n - 10] ^= 1;
    std::fs::write(&b, bytes).unwrap();
    let o = v.run(&["restore", b.to_str().unwrap(), "--yes"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("damaged"));
    assert!(
        v.ok(&["note", "list", "--session", &sid], "")
            .contains("before the backup")
    );
}

#[test]
fn backup_to_a_recipient_opens_only_with_its_identity() {
    let v = TestVault::new();
    v.with_session();
    let id = age::x25519::Identity::generate();
    let b = v.tmp.path().join("team.age");
    v.ok(
        &[
            "backup",
            "--out",
            b.to_str().unwrap(),
            "--recipient",
            &id.to_public().to_string(),
        ],
        "",
    );
    let bytes = std::fs::read(&b).unwrap();
    let dec = age::Decryptor::new(&bytes[..]).unwrap();
    let mut r = dec
        .decrypt(std::iter::once(&id as &dyn age::Identity))
        .unwrap();
    let mut plain = Vec::new();
    std::io::Read::read_to_end(&mut r, &mut plain).unwrap();
    // the age layer holds the sealed format: no plain SQLite file, even once decrypted
    assert!(plain.starts_with(b"fieldnotes backup 2\n"));
    assert!(!contains(&plain, b"SQLite format 3"));
    let other = age::x25519::Identity::generate();
    let dec = age::Decryptor::new(&bytes[..]).unwrap();
    assert!(
        dec.decrypt(std::iter::once(&other as &dyn age::Identity))
            .is_err()
    );
    // restored with the vault's passphrase, it says which key it needs, not a passphrase
    let o = v.run(&["restore", b.to_str().unwrap(), "--yes"], "");
    assert_eq!(o.status.code(), Some(1));
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(
        said.contains("--identity") && !said.contains("--backup-passphrase-file"),
        "{said}"
    );
}
