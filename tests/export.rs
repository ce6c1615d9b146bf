//! Export through the real binary: formats, encryption to recipients, the leak guard, audit.

mod common;

use std::io::Read;

use common::{TestVault, contains};

/// A project with a registered participant and a note full of identifiers.
fn project() -> (TestVault, String) {
    let v = TestVault::new();
    let sid = v.with_session();
    v.ok(
        &[
            "participant",
            "add",
            "--session",
            &sid,
            "--name",
            "Abdirahman Warsame",
            "--role",
            "person with lived experience",
        ],
        "",
    );
    v.ok(
        &[
            "note",
            "add",
            "--session",
            &sid,
            "--speaker",
            "P01",
            "--theme",
            "Waiting",
        ],
        "Abdirahman said the queue was two hours. Warsame lives at 14 Agar Grove, NW1 9SL.\n",
    );
    (v, sid)
}

#[test]
fn every_format_is_written_without_the_name_and_audited() {
    let (v, _) = project();
    for f in ["md", "html", "csv", "json", "qdpx"] {
        let out = v.tmp.path().join(format!("out.{f}"));
        // the format comes from the extension when --format is not given
        let msg = v.ok(
            &["export", "--project", "F2F", "--out", out.to_str().unwrap()],
            "",
        );
        assert!(msg.contains("Exported 1 excerpt"), "{msg}");
        let bytes = std::fs::read(&out).unwrap();
        assert!(!bytes.is_empty());
        if f != "qdpx" {
            let s = String::from_utf8(bytes).unwrap().to_lowercase();
            assert!(
                s.contains("queue") && !s.contains("warsame") && !s.contains("agar"),
                "{s}"
            );
        }
    }
    let audit = v.ok(&["audit"], "");
    assert_eq!(audit.matches("\texport\t").count(), 5, "{audit}");
    assert!(
        audit.contains("format qdpx") && audit.contains("unencrypted"),
        "{audit}"
    );
}

#[test]
fn an_export_to_a_recipient_opens_only_with_their_identity() {
    let (v, _) = project();
    let id = age::x25519::Identity::generate();
    let other = age::x25519::Identity::generate();
    let public = id.to_public().to_string();
    let out = v.tmp.path().join("share.md.age");
    v.ok(
        &[
            "export",
            "--project",
            "F2F",
            "--format",
            "md",
            "--out",
            out.to_str().unwrap(),
            "--recipient",
            &public,
        ],
        "",
    );
    let bytes = std::fs::read(&out).unwrap();
    assert!(
        !contains(&bytes, b"queue"),
        "the file is not readable as it stands"
    );
    let open = |ident: &age::x25519::Identity| -> Option<String> {
        let d = age::Decryptor::new(&bytes[..]).ok()?;
        let mut r = d
            .decrypt(std::iter::once(ident as &dyn age::Identity))
            .ok()?;
        let mut s = String::new();
        r.read_to_string(&mut s).ok()?;
        Some(s)
    };
    let text = open(&id).expect("the recipient can decrypt");
    assert!(
        text.contains("two hours") && !text.contains("Warsame"),
        "{text}"
    );
    assert!(open(&other).is_none(), "another identity cannot");
    let audit = v.ok(&["audit"], "");
    assert!(audit.contains(&format!("encrypted to {public}")), "{audit}");
    let bad = v.run(&["export", "--out", "x.md", "--recipient", "age1nope"], "");
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not an age public key"));
}

#[test]
fn the_leak_guard_refuses_and_writes_nothing() {
    let (v, _) = project();
    v.ok(&["project", "allow", "F2F", "Warsame"], "");
    let out = v.tmp.path().join("out.md");
    let o = v.run(
        &["export", "--project", "F2F", "--out", out.to_str().unwrap()],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("the export was refused: the registered name of P01"),
        "{err}"
    );
    assert!(err.contains("line"), "says where: {err}");
    assert!(!out.exists(), "nothing written");
    assert!(v.ok(&["audit"], "").contains("export refused"));
}

#[test]
fn export_scope_and_format_errors_are_plain() {
    let (v, sid) = project();
    let o = v.run(&["export", "--out", "x.pdf"], "");
    assert!(String::from_utf8_lossy(&o.stderr).contains("'pdf' is not an export format"));
    let o = v.run(&["export", "--out", "noext"], "");
    assert!(String::from_utf8_lossy(&o.stderr).contains("--format md|html|csv|json|qdpx"));
    let out = v.tmp.path().join("one.json");
    v.ok(
        &[
            "export",
            "--session",
            &sid,
            "--theme",
            "waiting",
            "--out",
            out.to_str().unwrap(),
        ],
        "",
    );
    let j: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(j["excerpts"].as_array().unwrap().len(), 1);
    // one name for the speaker's pseudonym, as in `analyse --format json`
    assert!(j["excerpts"][0].get("speaker").is_none());
    assert_eq!(j["excerpts"][0]["pseudonym"], "P01");
}
