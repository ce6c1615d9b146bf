//! Quote-level consent through the real binary: recorded with `participant add --quote` and
//! `participant edit`, honoured by `export`, `analyse` and `subject-access`, and quotes
//! approved with `quotes pending|approve|revoke`, each audited without the words.

mod common;

use common::TestVault;

const REFUSED: &str = "the tannoy was deafening every single morning";
const PENDING: &str = "nobody at the kiosk looked up at me once";
const OPEN: &str = "the new benches made the long wait bearable";

/// F2F with P01 Hyacinth Obi (no), P02 Tomasz Lis (approval), P03 Ada Mensah (yes), each
/// with one verbatim quote tagged Waiting; P03's names P01. Returns the vault and the ids of
/// the three notes.
fn project() -> (TestVault, [String; 3]) {
    let v = TestVault::new();
    let sid = v.with_session();
    for (name, quote) in [
        ("Hyacinth Obi", "no"),
        ("Tomasz Lis", "approval"),
        ("Ada Mensah", "yes"),
    ] {
        v.ok(
            &[
                "participant",
                "add",
                "--session",
                &sid,
                "--name",
                name,
                "--role",
                "resident",
                "--quote",
                quote,
            ],
            "",
        );
    }
    let mut ids = Vec::new();
    for (speaker, text) in [
        ("P01", REFUSED.to_owned()),
        ("P02", PENDING.to_owned()),
        ("P03", format!("{OPEN}, Hyacinth said so too")),
    ] {
        ids.push(v.last_line(
            &[
                "note",
                "add",
                "--session",
                &sid,
                "--speaker",
                speaker,
                "--kind",
                "verbatim",
                "--theme",
                "Waiting",
            ],
            &text,
        ));
    }
    (v, ids.try_into().unwrap())
}

fn export_md(v: &TestVault, name: &str) -> (String, String) {
    let out = v.tmpdir().join(name);
    let stdout = v.ok(
        &["export", "--project", "F2F", "--out", out.to_str().unwrap()],
        "",
    );
    (std::fs::read_to_string(out).unwrap(), stdout)
}

#[test]
fn participant_add_and_edit_record_quote_consent_and_the_list_shows_it() {
    let (v, _) = project();
    let list = v.ok(&["participant", "list", "--project", "F2F"], "");
    assert!(
        list.lines()
            .any(|l| l.starts_with("P01") && l.ends_with("quote no")),
        "{list}"
    );
    assert!(
        list.lines()
            .any(|l| l.starts_with("P02") && l.ends_with("quote approval")),
        "{list}"
    );
    let said = v.ok(
        &[
            "participant",
            "edit",
            "P01",
            "--project",
            "F2F",
            "--quote",
            "yes",
        ],
        "",
    );
    assert!(said.contains("P01: quote word for word: yes"), "{said}");
    let list = v.ok(&["participant", "list", "--project", "F2F"], "");
    assert!(
        list.lines()
            .any(|l| l.starts_with("P01") && l.ends_with("quote yes")),
        "{list}"
    );
    let audit = v.ok(&["audit"], "");
    assert!(audit.contains("participant edit"), "{audit}");
    assert!(audit.contains("P01 quote consent yes (was no)"), "{audit}");
    // a word that is not a quote consent is refused with the words that are
    let o = v.run(&["participant", "edit", "P01", "--quote", "maybe"], "");
    assert_eq!(o.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&o.stderr).contains("yes no approval"));
}

#[test]
fn the_export_withholds_what_was_not_agreed_and_says_so() {
    let (v, _) = project();
    let (md, stdout) = export_md(&v, "a.md");
    assert!(!md.contains(REFUSED) && !md.contains(PENDING), "{md}");
    assert!(md.contains(OPEN), "{md}");
    assert!(
        md.contains("P01 did not agree to be quoted word for word"),
        "{md}"
    );
    assert!(md.contains("awaiting P02's approval"), "{md}");
    assert!(
        stdout.contains("withheld because the speaker did not agree"),
        "{stdout}"
    );
    assert!(
        stdout.contains("P01 (1)") && stdout.contains("P02 (1)"),
        "{stdout}"
    );
    let audit = v.ok(&["audit"], "");
    assert!(
        audit.contains("2 verbatim quotes withheld under quote consent"),
        "{audit}"
    );
    // a changed mind is honoured by the next export
    v.ok(&["participant", "edit", "P01", "--quote", "yes"], "");
    let (md, _) = export_md(&v, "b.md");
    assert!(md.contains(REFUSED), "{md}");
}

#[test]
fn approving_a_quote_is_audited_without_its_words_and_an_edit_brings_it_back() {
    let (v, ids) = project();
    let pending = v.ok(&["quotes", "pending", "--project", "F2F"], "");
    assert!(pending.contains(&format!("note {}", ids[1])), "{pending}");
    assert!(
        pending.contains(PENDING) && !pending.contains(REFUSED),
        "{pending}"
    );
    let said = v.ok(&["quotes", "approve", &ids[1], "--on", "2024-04-01"], "");
    assert!(said.contains("approved by P02 on 2024-04-01"), "{said}");
    let audit = v.ok(&["audit"], "");
    let event = audit
        .lines()
        .find(|l| l.contains("quote approve"))
        .unwrap_or_else(|| panic!("no approval event:\n{audit}"));
    assert!(
        event.contains(&format!("note {}", ids[1])) && event.contains("2024-04-01"),
        "{event}"
    );
    assert!(
        !audit.contains("kiosk") && !audit.contains("Tomasz"),
        "{audit}"
    );
    let pending = v.ok(&["quotes", "pending", "--project", "F2F"], "");
    assert!(
        pending.contains("No quote is awaiting approval"),
        "{pending}"
    );
    let (md, _) = export_md(&v, "a.md");
    assert!(md.contains(PENDING), "{md}");
    // withdrawn: withheld again, and audited
    v.ok(&["quotes", "revoke", &ids[1]], "");
    assert!(v.ok(&["audit"], "").contains("quote revoke"));
    let (md, _) = export_md(&v, "b.md");
    assert!(!md.contains(PENDING), "{md}");
    // a bad date, a quote that needs no approval: refused with what to do
    let o = v.run(&["quotes", "approve", &ids[1], "--on", "1st April"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("YYYY-MM-DD"));
    let o = v.run(&["quotes", "approve", &ids[0]], "");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("P01 did not agree to be quoted") && err.contains("participant edit"),
        "{err}"
    );
}

#[test]
fn every_export_format_and_analysis_output_withholds_the_words() {
    let (v, _) = project();
    for ext in ["md", "html", "csv", "json", "qdpx", "xlsx"] {
        let out = v.tmpdir().join(format!("all.{ext}"));
        v.ok(
            &["export", "--project", "F2F", "--out", out.to_str().unwrap()],
            "",
        );
        let bytes = std::fs::read(&out).unwrap();
        let text = if matches!(ext, "qdpx" | "xlsx") {
            unzipped(&bytes)
        } else {
            String::from_utf8(bytes).unwrap()
        };
        assert!(
            !text.contains("tannoy") && !text.contains("kiosk"),
            "{ext}:\n{text}"
        );
        assert!(text.contains("benches"), "{ext} lost a quote agreed to");
    }
    for format in ["table", "csv", "json"] {
        let out = v.ok(
            &[
                "analyse",
                "excerpts",
                "--project",
                "F2F",
                "--format",
                format,
            ],
            "",
        );
        assert!(
            !out.contains("tannoy") && !out.contains("kiosk"),
            "{format}:\n{out}"
        );
        assert!(
            out.contains("did not agree to be quoted"),
            "{format}:\n{out}"
        );
    }
}

fn unzipped(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut all = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        all.push_str(&s);
    }
    all
}

#[test]
fn subject_access_gives_a_person_their_own_words_and_honours_others_consent() {
    let (v, _) = project();
    // P01 said no to quotes, but their own words are their data
    let out = v.tmpdir().join("p01.html");
    v.ok(
        &[
            "subject-access",
            "--project",
            "F2F",
            "--participant",
            "P01",
            "--out",
            out.to_str().unwrap(),
            "--plaintext",
        ],
        "",
    );
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("tannoy"), "{html}");
    // P03's note naming P01 is quoted: P03 agreed
    assert!(html.contains("benches"), "{html}");
    // P02 awaits approval: a note of theirs naming P03 shows as the marker in P03's report
    v.ok(&["participant", "edit", "P03", "--quote", "approval"], "");
    let out = v.tmpdir().join("p01b.html");
    v.ok(
        &[
            "subject-access",
            "--project",
            "F2F",
            "--participant",
            "P01",
            "--out",
            out.to_str().unwrap(),
            "--plaintext",
        ],
        "",
    );
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(!html.contains("benches"), "{html}");
    assert!(html.contains("awaiting P03"), "{html}");
}
