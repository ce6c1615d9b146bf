//! Interoperability with the reference `age` tools (`age`, `age-keygen`) and OpenSSH's
//! `ssh-keygen`: what fieldnotes encrypts opens with them, and the keys they make open
//! fieldnotes. CI installs all three (.ci/run); without them the test fails under CI and
//! is skipped elsewhere.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::keys::{have, protect, run_detached, sealed_parts, ssh_keygen};
use common::{TestVault, contains};

const NAME: &str = "Abdirahman Warsame";
const NOTE: &str = "Abdirahman said the queue at the housing office was two hours.";
const ID_PASS: &str = "velvet lantern orchard 42";

/// `age -d -i IDENTITY -o FILE.out FILE`, by the reference age; what it wrote.
fn age_decrypt(identity: &Path, file: &Path) -> Vec<u8> {
    let out = file.with_extension("out");
    let o = run_detached(
        Command::new("age")
            .arg("-d")
            .arg("-i")
            .arg(identity)
            .arg("-o")
            .arg(&out)
            .arg(file),
    );
    assert!(
        o.status.success(),
        "age -d -i {} {} failed: {}",
        identity.display(),
        file.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::read(&out).unwrap()
}

/// An age identity made by the reference `age-keygen`; its file and public key.
fn age_keygen(dir: &Path) -> (PathBuf, String) {
    let file = dir.join("age-identity.txt");
    let o = run_detached(Command::new("age-keygen").arg("-o").arg(&file));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run_detached(Command::new("age-keygen").arg("-y").arg(&file));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let public = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    assert!(public.starts_with("age1"), "{public}");
    (file, public)
}

/// A vault with a participant and a note naming them.
fn vault() -> (TestVault, String) {
    let v = TestVault::new();
    let sid = v.with_participant_note(NAME, NOTE);
    (v, sid)
}

#[test]
fn the_reference_age_opens_exports_and_backups_and_its_keys_open_fieldnotes() {
    if !(have("age", "age") && have("age-keygen", "age") && have("ssh-keygen", "openssh-client")) {
        return;
    }
    let (v, sid) = vault();
    let dir = v.tmp.path().to_owned();
    let (age_id, age_pub) = age_keygen(&dir);
    let Some((ssh_id, ssh_pub)) = ssh_keygen(&dir, "id_ed25519", "ed25519", "") else {
        return;
    };

    for (label, identity, public) in [("x25519", &age_id, &age_pub), ("ssh", &ssh_id, &ssh_pub)] {
        // an export: the reference age decrypts it to the anonymised text
        let export = dir.join(format!("export-{label}.md.age"));
        v.ok(
            &[
                "export",
                "--project",
                "F2F",
                "--out",
                export.to_str().unwrap(),
                "--recipient",
                public,
            ],
            "",
        );
        let md = String::from_utf8(age_decrypt(identity, &export)).unwrap();
        assert!(
            md.contains("queue at the housing office was two hours") && md.contains("P01"),
            "{label}: {md}"
        );
        assert!(
            !md.contains("Abdirahman") && !md.contains("Warsame"),
            "{label}: {md}"
        );

        // a backup: the reference age removes its age layer, and what is left is no SQLite
        // file and holds no name or note
        let backup = dir.join(format!("backup-{label}.age"));
        v.ok(
            &[
                "backup",
                "--out",
                backup.to_str().unwrap(),
                "--recipient",
                public,
            ],
            "",
        );
        let inner = age_decrypt(identity, &backup);
        assert!(!inner.starts_with(b"SQLite format 3\0"), "{label}");
        assert!(!contains(&inner, b"SQLite format 3"), "{label}");
        // needles of 9 bytes and more: a 3-byte one (the project's name, F2F) turns up by
        // chance in this many encrypted bytes about once in twenty runs
        for needle in ["Abdirahman", "Warsame", "housing office", "was two hours"] {
            assert!(
                !contains(&inner, needle.as_bytes()),
                "{label}: {needle} in the decrypted backup"
            );
        }
        // what is left holds the backup's key, age-encrypted to the same key: the reference
        // age opens that too, to 32 bytes (a key, not notes)
        let key_file = dir.join(format!("backup-{label}.key.age"));
        std::fs::write(&key_file, sealed_parts(&inner).0).unwrap();
        assert_eq!(age_decrypt(identity, &key_file).len(), 32, "{label}");
    }

    // the keys made by age-keygen and ssh-keygen unlock the vault and restore its backups
    v.ok(&["recipient", "add", "team", &age_pub], "");
    v.ok(&["recipient", "add", "amira", &ssh_pub], "");
    for (label, identity) in [("x25519", &age_id), ("ssh", &ssh_id)] {
        v.ok(
            &["note", "add", "--session", &sid],
            "added after the backup\n",
        );
        let backup = dir.join(format!("backup-{label}.age"));
        let o = v
            .bare()
            .arg("--identity")
            .arg(identity)
            .args(["restore", backup.to_str().unwrap(), "--yes"])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{label}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let notes = v.ok(&["note", "list", "--session", &sid], "");
        assert!(
            notes.contains(NOTE) && !notes.contains("added after the backup"),
            "{label}: {notes}"
        );
    }

    // An identity file protected with a passphrase, as `age -p -o key.age key.txt` makes
    // it. The reference age asks for that passphrase on the terminal only, so the file is
    // made here with the age library's passphrase recipient (the same format), and the
    // reference age is shown to need a terminal for it.
    let protected = dir.join("age-identity.age");
    let sealed = protect(&std::fs::read(&age_id).unwrap(), ID_PASS);
    std::fs::write(&protected, &sealed).unwrap();
    let o = run_detached(
        Command::new("age")
            .arg("-d")
            .arg("-i")
            .arg(&protected)
            .arg(dir.join("backup-x25519.age")),
    );
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && o.stdout.is_empty() && said.contains("could not read passphrase"),
        "the reference age was expected to need a terminal for the identity's passphrase: {said}"
    );
    // fieldnotes opens it with the passphrase from a file
    let pass_file = dir.join("identity-pass");
    std::fs::write(&pass_file, format!("{ID_PASS}\n")).unwrap();
    let o = v
        .bare()
        .arg("--identity")
        .arg(&protected)
        .arg("--passphrase-file")
        .arg(&pass_file)
        .args(["note", "list", "--session", &sid])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains(NOTE));
}
