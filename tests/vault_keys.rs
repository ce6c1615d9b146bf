//! Keys people already have, through the real binary: passphrase-protected age identity
//! files, SSH keys as recipients and identities, and what a backup holds once its age
//! layer is removed.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Output;

use age::secrecy::{ExposeSecret, SecretString};
use common::keys::{protect, run_detached, sealed_parts, ssh_keygen};
use common::{PASS, TestVault, contains};

const ID_PASS: &str = "velvet lantern orchard 42";
const NAME: &str = "Abdirahman Warsame";
const NOTE: &str = "QUOKKA-CANARY said the queue was two hours";

/// A vault with a participant and a note whose words must never leave in the clear.
fn vault_with_notes() -> (TestVault, String) {
    let v = TestVault::new();
    let sid = v.with_participant_note(NAME, NOTE);
    (v, sid)
}

fn decrypt(file: &[u8], id: &dyn age::Identity) -> Vec<u8> {
    let d = age::Decryptor::new(file).unwrap();
    let mut r = d.decrypt(std::iter::once(id)).unwrap();
    let mut out = Vec::new();
    r.read_to_end(&mut out).unwrap();
    out
}

/// An age identity file, and the same protected with a passphrase, in the test's folder.
fn identity_files(v: &TestVault) -> (age::x25519::Identity, PathBuf, PathBuf) {
    let id = age::x25519::Identity::generate();
    let text = format!(
        "# created: today\n# public key: {}\n{}\n",
        id.to_public(),
        id.to_string().expose_secret()
    );
    let plain = v.tmp.path().join("key.txt");
    std::fs::write(&plain, &text).unwrap();
    let protected = v.tmp.path().join("key.age");
    std::fs::write(&protected, protect(text.as_bytes(), ID_PASS)).unwrap();
    (id, plain, protected)
}

fn write_pass(v: &TestVault, name: &str, pass: &str) -> PathBuf {
    let f = v.tmp.path().join(name);
    std::fs::write(&f, format!("{pass}\n")).unwrap();
    f
}

/// The binary with `--identity FILE` (and the file's passphrase, if given) instead of the
/// vault's passphrase.
fn with_identity(v: &TestVault, id: &Path, pass_file: Option<&Path>, args: &[&str]) -> Output {
    let mut c = v.bare();
    c.arg("--identity").arg(id);
    if let Some(p) = pass_file {
        c.arg("--passphrase-file").arg(p);
    }
    c.args(args).output().unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_passphrase_protected_identity_file_unlocks_and_restores() {
    let (v, sid) = vault_with_notes();
    let (id, _, protected) = identity_files(&v);
    v.ok(
        &["recipient", "add", "recovery", &id.to_public().to_string()],
        "",
    );
    let right = write_pass(&v, "id-pass", ID_PASS);

    let o = with_identity(&v, &protected, Some(&right), &["project", "list"]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("F2F"));

    // a wrong passphrase for the identity file is an authentication failure, said plainly
    let wrong = write_pass(&v, "id-wrong", "not the passphrase");
    let o = with_identity(&v, &protected, Some(&wrong), &["project", "list"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let e = err(&o);
    assert!(
        e.contains("the passphrase does not open the identity file") && e.contains("key.age"),
        "{e}"
    );
    assert!(!e.contains("UTF-8"), "{e}");

    // no passphrase and no terminal to ask on (a session of its own, without one): says how
    // to give it
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("fieldnotes"));
    v.isolate(&mut c);
    let o = run_detached(
        c.arg("--vault")
            .arg(v.dir())
            .arg("--identity")
            .arg(&protected)
            .args(["project", "list"]),
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(err(&o).contains("--passphrase-file"), "{}", err(&o));

    // restore with the protected identity: a backup encrypted to its public key
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
    v.ok(&["note", "add", "--session", &sid], "after the backup\n");
    let o = with_identity(
        &v,
        &protected,
        Some(&right),
        &["restore", b.to_str().unwrap(), "--yes"],
    );
    assert!(o.status.success(), "{}", err(&o));
    let notes = v.ok(&["note", "list", "--session", &sid], "");
    assert!(
        notes.contains(NOTE) && !notes.contains("after the backup"),
        "{notes}"
    );
}

#[test]
fn ssh_keys_are_recipients_and_identities() {
    let (v, sid) = vault_with_notes();
    let Some((key, public)) = ssh_keygen(v.tmp.path(), "id_ed25519", "ed25519", "") else {
        return;
    };
    // a vault recipient: the key listed without its comment, and the private key unlocks
    v.ok(&["recipient", "add", "amira", &public], "");
    let listed = v.ok(&["recipient", "list"], "");
    assert!(listed.contains("amira\tssh-ed25519 AAAA"), "{listed}");
    assert!(!listed.contains("amira@laptop"), "{listed}");
    let o = with_identity(&v, &key, None, &["project", "list"]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("F2F"));

    // an export to the SSH key opens with it
    let out = v.tmp.path().join("share.md.age");
    v.ok(
        &[
            "export",
            "--project",
            "F2F",
            "--out",
            out.to_str().unwrap(),
            "--recipient",
            &public,
        ],
        "",
    );
    let ssh_id =
        age::ssh::Identity::from_buffer(std::fs::read(&key).unwrap().as_slice(), None).unwrap();
    let md = String::from_utf8(decrypt(&std::fs::read(&out).unwrap(), &ssh_id)).unwrap();
    assert!(
        md.contains("the queue was two hours") && !md.contains("Warsame"),
        "{md}"
    );

    // a backup to the SSH key restores with the private key
    let b = v.tmp.path().join("ssh-backup.age");
    v.ok(
        &[
            "backup",
            "--out",
            b.to_str().unwrap(),
            "--recipient",
            &public,
        ],
        "",
    );
    v.ok(&["note", "add", "--session", &sid], "after the backup\n");
    let o = with_identity(&v, &key, None, &["restore", b.to_str().unwrap(), "--yes"]);
    assert!(o.status.success(), "{}", err(&o));
    let notes = v.ok(&["note", "list", "--session", &sid], "");
    assert!(
        notes.contains(NOTE) && !notes.contains("after the backup"),
        "{notes}"
    );

    // a key that is not one is refused, saying what a key looks like
    let o = v.run(&["recipient", "add", "bob", "ssh-ed25519 AAAAnope"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains(".pub"), "{}", err(&o));
}

#[test]
fn a_passphrase_protected_ssh_key_opens_with_its_passphrase() {
    let v = TestVault::new();
    v.with_session();
    let Some((key, public)) = ssh_keygen(v.tmp.path(), "id_locked", "ed25519", ID_PASS) else {
        return;
    };
    v.ok(&["recipient", "add", "amira", &public], "");
    let right = write_pass(&v, "ssh-pass", ID_PASS);
    let o = with_identity(&v, &key, Some(&right), &["project", "list"]);
    assert!(o.status.success(), "{}", err(&o));
    let wrong = write_pass(&v, "ssh-wrong", "not the passphrase");
    let o = with_identity(&v, &key, Some(&wrong), &["project", "list"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        err(&o).contains("the passphrase does not open the SSH key"),
        "{}",
        err(&o)
    );
}

#[test]
fn an_ssh_rsa_key_is_a_recipient_and_an_identity() {
    let v = TestVault::new();
    v.with_session();
    let Some((key, public)) = ssh_keygen(v.tmp.path(), "id_rsa", "rsa", "") else {
        return;
    };
    assert!(public.starts_with("ssh-rsa "), "{public}");
    v.ok(&["recipient", "add", "amira", &public], "");
    let o = with_identity(&v, &key, None, &["project", "list"]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("F2F"));
}

/// The vault's passphrase as an age identity.
fn passphrase_identity() -> age::scrypt::Identity {
    let mut id = age::scrypt::Identity::new(SecretString::from(PASS.to_owned()));
    id.set_max_work_factor(22);
    id
}

/// The contents of a passphrase backup once its age layer is removed, as `age -d` would.
fn age_layer_removed(backup: &Path) -> Vec<u8> {
    decrypt(&std::fs::read(backup).unwrap(), &passphrase_identity())
}

#[test]
fn a_decrypted_backup_holds_no_plaintext() {
    let (v, _) = vault_with_notes();
    let b = v.tmp.path().join("b.age");
    v.ok(&["backup", "--out", b.to_str().unwrap()], "");
    let inner = age_layer_removed(&b);
    assert!(
        !inner.starts_with(b"SQLite format 3\0"),
        "a plain SQLite file"
    );
    assert!(inner.starts_with(b"fieldnotes backup 2\n"));
    for needle in [NAME, "Warsame", "QUOKKA-CANARY", "two hours", "F2F"] {
        assert!(
            !contains(&inner, needle.as_bytes()),
            "{needle} in the decrypted backup"
        );
    }
    // the database inside is SQLCipher: none of its pages is plain SQLite either
    assert!(!contains(&inner, b"SQLite format 3"));
    assert!(!contains(&inner, b"CREATE TABLE"));
}

/// A backup in the format of earlier versions (a plain SQLite database inside the age
/// layer), made from a current one: the inner key unwrapped, the SQLCipher database
/// exported to a plain file, and that age-encrypted to the passphrase.
#[allow(clippy::disallowed_methods)]
fn old_format(v: &TestVault, sealed: &Path) -> PathBuf {
    let inner = age_layer_removed(sealed);
    let (wrapped, db) = sealed_parts(&inner);
    let key = decrypt(wrapped, &passphrase_identity());
    let enc_file = v.tmp.path().join("sealed.db");
    let plain_file = v.tmp.path().join("plain.db");
    std::fs::write(&enc_file, db).unwrap();
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let conn = rusqlite::Connection::open(&enc_file).unwrap();
    conn.pragma_update(None, "key", format!("x'{hex}'"))
        .unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    conn.execute(
        "ATTACH DATABASE ?1 AS plain KEY ''",
        [plain_file.to_str().unwrap()],
    )
    .unwrap();
    conn.execute_batch("SELECT sqlcipher_export('plain');")
        .unwrap();
    conn.pragma_update(Some("plain"), "user_version", version)
        .unwrap();
    conn.execute_batch("DETACH DATABASE plain;").unwrap();
    drop(conn);
    let plain = std::fs::read(&plain_file).unwrap();
    assert!(plain.starts_with(b"SQLite format 3\0"));
    let old = v.tmp.path().join("old-format.age");
    std::fs::write(&old, protect(&plain, PASS)).unwrap();
    std::fs::remove_file(&plain_file).unwrap();
    old
}

#[test]
fn old_and_new_backups_restore_after_the_key_moved() {
    let (v, sid) = vault_with_notes();
    let b = v.tmp.path().join("b.age");
    v.ok(&["backup", "--out", b.to_str().unwrap()], "");
    let old = old_format(&v, &b);
    // the vault moves to a new key (a recipient removed) and a new passphrase
    let other = age::x25519::Identity::generate();
    v.ok(
        &["recipient", "add", "bob", &other.to_public().to_string()],
        "",
    );
    v.ok(&["recipient", "remove", "bob"], "");
    let new_pass = write_pass(&v, "new-pass", "saffron kettle meadow 1999!");
    v.ok(
        &[
            "passwd",
            "--new-passphrase-file",
            new_pass.to_str().unwrap(),
        ],
        "",
    );
    let with_new = |args: &[&str]| {
        let o = v
            .bare()
            .arg("--passphrase-file")
            .arg(&new_pass)
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}: {}", err(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    for backup in [&b, &old] {
        let o = v
            .bare()
            .arg("--passphrase-file")
            .arg(&new_pass)
            .args(["note", "add", "--session", &sid])
            .write_stdin("after the backup\n")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", err(&o));
        with_new(&[
            "restore",
            backup.to_str().unwrap(),
            "--yes",
            "--backup-passphrase-file",
            v.pass_file().to_str().unwrap(),
        ]);
        let notes = with_new(&["note", "list", "--session", &sid]);
        assert!(
            notes.contains(NOTE) && !notes.contains("after the backup"),
            "{}: {notes}",
            backup.display()
        );
        // the vault keeps its own, new passphrase
        with_new(&["check"]);
    }
}
