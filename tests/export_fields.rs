//! Every string that leaves the vault goes through the anonymiser and the leak guard, not only
//! the notes: the project's record, roles, the codebook, session titles, and the reports.

mod common;

use std::io::Read;

use common::TestVault;

const NHS: &str = "943 476 5919";
const POSTCODE: &str = "NW1 9SL";
const PHONE: &str = "07700 900461";
const NAME: &str = "Tesfay Habte";

/// Text holding one of each identifier and the registered participant's name.
fn laden(what: &str) -> String {
    format!("{what} {NAME} NHS {NHS} at {POSTCODE} tel {PHONE}")
}

/// A project whose purpose, DPIA reference, controller, a role, a theme's name, description
/// and memo, and a session's title and location all hold identifiers.
fn project() -> TestVault {
    let v = TestVault::new();
    v.ok(
        &[
            "project",
            "add",
            "F2F",
            "--purpose",
            &laden("Purpose:"),
            "--dpia",
            &laden("DPIA"),
            "--controller",
            &laden("Controller"),
        ],
        "",
    );
    let sid = v.last_line(
        &[
            "session",
            "add",
            "--project",
            "F2F",
            "--kind",
            "interview",
            "--title",
            &laden("Interview with"),
            "--location",
            &laden("Room of"),
        ],
        "",
    );
    v.ok(
        &[
            "participant",
            "add",
            "--session",
            &sid,
            "--name",
            NAME,
            "--role",
            &laden("carer"),
        ],
        "",
    );
    let theme = format!("Waiting {NHS}");
    v.ok(
        &["theme", "add", &theme, "--description", &laden("About")],
        "",
    );
    v.ok(&["theme", "memo", &theme, &laden("Memo")], "");
    v.ok(
        &[
            "note",
            "add",
            "--session",
            &sid,
            "--speaker",
            "P01",
            "--theme",
            &theme,
        ],
        "The queue was two hours.",
    );
    v
}

/// The identifying strings, in the forms a reader would search for.
fn assert_clean(what: &str, text: &str) {
    let squashed: String = text.chars().filter(char::is_ascii_alphanumeric).collect();
    for needle in [NHS, POSTCODE, PHONE, "Tesfay", "Habte"] {
        assert!(!text.contains(needle), "{what}: '{needle}' leaked:\n{text}");
    }
    for needle in ["9434765919", "07700900461"] {
        assert!(!squashed.contains(needle), "{what}: '{needle}' leaked");
    }
}

/// Every file of an export: the text itself, or each entry of a QDPX zip.
fn files(path: &std::path::Path) -> Vec<(String, String)> {
    let bytes = std::fs::read(path).unwrap();
    if path.extension().is_some_and(|e| e == "qdpx") {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..z.len())
            .map(|i| {
                let mut f = z.by_index(i).unwrap();
                let mut s = String::new();
                f.read_to_string(&mut s).unwrap();
                (f.name().unwrap().into_owned(), s)
            })
            .collect()
    } else {
        vec![(
            path.display().to_string(),
            String::from_utf8(bytes).unwrap(),
        )]
    }
}

#[test]
fn project_fields_roles_themes_and_titles_are_anonymised_in_every_format() {
    let v = project();
    for f in ["md", "html", "csv", "json", "qdpx"] {
        let out = v.tmp.path().join(format!("out.{f}"));
        v.ok(&["export", "--out", out.to_str().unwrap()], "");
        let parts = files(&out);
        assert!(
            parts.len() > usize::from(f == "qdpx"),
            "{f}: every file read"
        );
        let all: String = parts.iter().map(|(_, t)| t.as_str()).collect();
        assert!(
            all.contains("queue was two hours"),
            "{f}: the note is there"
        );
        for (name, text) in &parts {
            assert_clean(&format!("{f} {name}"), text);
        }
    }
    // the theme keeps its words without the number; the role names the participant by pseudonym
    let json = std::fs::read_to_string(v.tmp.path().join("out.json")).unwrap();
    assert!(json.contains("\"Waiting [NHS NUMBER]\""), "{json}");
    assert!(json.contains("\"carer P01 NHS [NHS NUMBER]"), "{json}");
}

#[test]
fn the_guard_refuses_an_allow_listed_identifier_in_a_project_field() {
    let v = project();
    for phrase in [NHS, POSTCODE, PHONE, NAME] {
        v.ok(&["project", "allow", "F2F", phrase], "");
        for f in ["md", "qdpx"] {
            let out = v.tmp.path().join(format!("allowed.{f}"));
            let o = v.run(&["export", "--out", out.to_str().unwrap()], "");
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(1), "{phrase} {f}: {err}");
            assert!(
                err.contains("the export was refused"),
                "{phrase} {f}: {err}"
            );
            assert!(!out.exists(), "nothing written");
        }
        v.ok(&["project", "unlist", "F2F", phrase], "");
    }
}

#[test]
fn the_accountability_report_quotes_free_text_anonymised() {
    let v = project();
    for f in ["md", "html"] {
        let out = v.tmp.path().join(format!("dpo.{f}"));
        v.ok(&["report", "--out", out.to_str().unwrap()], "");
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.contains("Purpose: P01 NHS [NHS NUMBER]"), "{text}");
        assert_clean(&format!("report {f}"), &text);
    }
    v.ok(&["project", "allow", "F2F", NHS], "");
    let out = v.tmp.path().join("dpo2.md");
    let o = v.run(&["report", "--out", out.to_str().unwrap()], "");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("the record of processing was refused"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!out.exists(), "nothing written");
}

/// `subject-access --participant CODE --out OUT --plaintext`.
fn sar(v: &TestVault, code: &str, out: &std::path::Path) -> std::process::Output {
    v.run(
        &[
            "subject-access",
            "--participant",
            code,
            "--out",
            out.to_str().unwrap(),
            "--plaintext",
            "--force",
        ],
        "",
    )
}

#[test]
fn a_subject_access_report_never_shows_another_persons_identifiers() {
    let v = TestVault::new();
    let sid = v.with_session();
    for name in [NAME, "Gemma Ashworth"] {
        v.ok(
            &["participant", "add", "--session", &sid, "--name", name],
            "",
        );
    }
    v.ok(
        &["note", "add", "--session", &sid, "--speaker", "P02"],
        &format!("Gemma Ashworth gave her NHS number {NHS} at the desk."),
    );
    // the number again, written with slashes so that no recogniser knows it (spaced forms
    // such as "9434 765 919" are NHS numbers to the anonymiser now)
    let id = v.last_line(
        &["note", "add", "--session", &sid, "--speaker", "P01"],
        "Tesfay said Gemma read out 9434/765/919 to the whole queue.",
    );
    let out = v.tmp.path().join("sar.html");
    let o = sar(&v, "P01", &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the subject access report was refused: an NHS number from the notes"),
        "{err}"
    );
    assert!(
        !out.exists() && !out.with_extension("json").exists(),
        "nothing written"
    );
    assert!(v.ok(&["audit"], "").contains("subject access refused"));

    // reworded, the report is made: their own name stays, the other person's does not,
    // even when it is on the allow list
    v.ok(&["erase", "--note", &id, "--yes"], "");
    v.ok(
        &["note", "add", "--session", &sid, "--speaker", "P01"],
        "Tesfay Habte said Gemma was kind to him.",
    );
    let o = sar(&v, "P01", &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for file in [out.clone(), out.with_extension("json")] {
        let doc = std::fs::read_to_string(&file).unwrap();
        assert!(doc.contains("Tesfay Habte said P02 was kind"), "{doc}");
        assert!(!doc.contains("Gemma") && !doc.contains("Ashworth"), "{doc}");
    }
    v.ok(&["project", "allow", "F2F", "Gemma"], "");
    let o = sar(&v, "P01", &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("the subject access report was refused: the registered name of P02"),
        "{err}"
    );
}

#[test]
fn a_subject_access_report_anonymises_titles_locations_and_themes() {
    let v = project();
    let out = v.tmp.path().join("sar.md");
    let o = sar(&v, "P01", &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for file in [out.clone(), out.with_extension("json")] {
        let doc = std::fs::read_to_string(&file).unwrap();
        assert!(doc.contains("queue was two hours"), "{doc}");
        // their own name is theirs; the identifiers are replaced, whoever's they are
        assert!(doc.contains(NAME), "{doc}");
        for needle in [NHS, POSTCODE, PHONE] {
            assert!(!doc.contains(needle), "'{needle}' in {doc}");
        }
    }
}
