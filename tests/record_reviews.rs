//! A record review through the real binary: a subject of the records (no consent asked),
//! the record reference kept out of every export, their access report, their erasure, and the
//! project's disclosures log in the record of processing.

mod common;

use common::{TestVault, contains};

const REF: &str = "CRM-4471-Q";

/// F2F (public task, Art. 9(2)(g)) with a record review of Hodan Farah's CRM record.
fn review() -> (TestVault, String) {
    let v = TestVault::new();
    v.ok(
        &[
            "project",
            "add",
            "F2F",
            "--lawful-basis",
            "6(1)(e) public task",
            "--special-category-condition",
            "9(2)(g) substantial public interest",
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
            "review",
            "--title",
            "Desk contacts",
            "--system",
            "CRM",
            "--record-ref",
            REF,
            "--from",
            "2024-01-01",
            "--to",
            "2024-03-31",
            "--sampling",
            "every contact about the front desk",
        ],
        "",
    );
    let code = v.last_line(
        &[
            "participant",
            "add",
            "--session",
            &sid,
            "--subject",
            "--name",
            "Hodan Farah",
            "--role",
            "tenant",
        ],
        "",
    );
    assert_eq!(code, "P01");
    v.ok(
        &["note", "add", "--session", &sid, "--speaker", "P01"],
        &format!("Record {REF}: Hodan rang four times about the queue.\n"),
    );
    v.ok(
        &["note", "add", "--session", &sid],
        "Three visits in March, each over an hour.\n",
    );
    (v, sid)
}

fn err(o: &std::process::Output) -> String {
    assert!(!o.status.success());
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_review_is_checked_and_shown_with_its_subject_labelled_by_the_lawful_basis() {
    let (v, sid) = review();
    let show = v.ok(&["session", "show", &sid], "");
    for want in [
        "Kind              review",
        "Source system     CRM",
        REF,
        "2024-01-01",
        "2024-03-31",
        "every contact about the front desk",
        "Subject           P01 (tenant)",
    ] {
        assert!(show.contains(want), "'{want}' missing:\n{show}");
    }
    let list = v.ok(&["participant", "list", "--session", &sid], "");
    assert!(
        list.contains(
            "P01\tHodan Farah\ttenant\tsubject of records (no consent: 6(1)(e) public task; 9(2)(g) substantial public interest)"
        ),
        "{list}"
    );
    // a subject is never asked for consent; dates are checked and in order
    let o = v.run(
        &[
            "participant",
            "add",
            "--session",
            &sid,
            "--name",
            "Sam Jones",
            "--consent",
            "given",
        ],
        "",
    );
    assert!(err(&o).contains("not asked for consent"), "{}", err(&o));
    let add = |from: &str, to: &str| {
        v.run(
            &[
                "session",
                "add",
                "--project",
                "F2F",
                "--kind",
                "review",
                "--title",
                "x",
                "--system",
                "CRM",
                "--from",
                from,
                "--to",
                to,
            ],
            "",
        )
    };
    assert!(err(&add("2024-04-01", "2024-03-01")).contains("before it starts"));
    assert!(err(&add("2024-02-30", "2024-03-01")).contains("YYYY-MM-DD"));
    let o = v.run(
        &[
            "session",
            "add",
            "--project",
            "F2F",
            "--kind",
            "interview",
            "--title",
            "x",
            "--system",
            "CRM",
        ],
        "",
    );
    assert!(err(&o).contains("add --kind review"), "{}", err(&o));
    // edited: only what is given changes
    v.ok(
        &["session", "edit", &sid, "--sampling", "every contact in Q1"],
        "",
    );
    let show = v.ok(&["session", "show", &sid], "");
    assert!(
        show.contains("every contact in Q1") && show.contains(REF),
        "{show}"
    );
}

#[test]
fn the_record_reference_leaves_in_no_export_but_in_the_subjects_own_access_report() {
    let (v, _) = review();
    for f in ["md", "html", "csv", "json", "qdpx"] {
        let out = v.tmp.path().join(format!("out.{f}"));
        v.ok(&["export", "--out", out.to_str().unwrap()], "");
        let bytes = std::fs::read(&out).unwrap();
        assert!(!contains(&bytes, REF.as_bytes()), "{f} holds the reference");
        if f == "md" {
            let md = String::from_utf8(bytes).unwrap();
            assert!(
                md.contains("Records read: CRM, January 2024 to March 2024"),
                "{md}"
            );
            assert!(!md.contains("Hodan"), "{md}");
        }
    }
    let audit = v.ok(&["audit"], "");
    assert!(!audit.contains(REF), "{audit}");

    let out = v.tmp.path().join("sar.md");
    v.ok(
        &[
            "subject-access",
            "--participant",
            "P01",
            "--out",
            out.to_str().unwrap(),
            "--plaintext",
        ],
        "",
    );
    let md = std::fs::read_to_string(&out).unwrap();
    for want in [
        "Recorded as: subject of records",
        "Consent: subject of records (no consent: 6(1)(e) public task",
        "## Records about you that were reviewed",
        "| CRM (“Desk contacts”) | 2024-01-01 to 2024-03-31 | CRM-4471-Q | every contact about the front desk |",
        "## What the records reviewed say about you",
        "Three visits in March",
    ] {
        assert!(md.contains(want), "'{want}' missing:\n{md}");
    }
}

#[test]
fn erasing_a_subject_leaves_no_name_no_note_and_no_reference() {
    let (v, sid) = review();
    let msg = v.ok(&["participant", "withdraw", "P01", "--erase", "--yes"], "");
    assert!(msg.contains("2 notes erased"), "{msg}");
    let notes = v.ok(&["note", "list", "--session", &sid], "");
    assert!(notes.trim().is_empty(), "{notes}");
    let show = v.ok(&["session", "show", &sid], "");
    assert!(!show.contains(REF) && show.contains("CRM"), "{show}");
    let list = v.ok(&["participant", "list", "--session", &sid], "");
    assert!(list.contains("P01\t(erased)"), "{list}");
    let pages = v.decrypted_pages();
    for gone in ["Hodan", "Farah", REF, "four times", "Three visits"] {
        assert!(
            !contains(&pages, gone.as_bytes()),
            "'{gone}' survives in the pages"
        );
    }
}

#[test]
fn disclosures_are_logged_and_reach_the_record_of_processing() {
    let (v, _) = review();
    let report = |name: &str| {
        let out = v.tmp.path().join(name);
        v.ok(&["report", "--out", out.to_str().unwrap()], "");
        std::fs::read_to_string(out).unwrap()
    };
    let before = report("before.md");
    assert!(
        before.contains("## Disclosures\n\nNone recorded."),
        "{before}"
    );
    // the subject counts under the basis the project relies on, not as a missing consent
    assert!(
        before.contains(
            "| tenant | subject of records (no consent: 6(1)(e) public task; 9(2)(g) substantial public interest) | 1 |"
        ),
        "{before}"
    );
    assert!(!before.contains("not recorded"), "{before}");
    let id = v.last_line(
        &[
            "disclosure",
            "add",
            "--project",
            "F2F",
            "--on",
            "2024-05-02",
            "--to",
            "CRM team",
            "--what",
            "names and visit times of 12 people",
            "--basis",
            "6(1)(e) public task",
            "--method",
            "encrypted email",
        ],
        "",
    );
    let o = v.run(
        &[
            "disclosure",
            "add",
            "--on",
            "May",
            "--to",
            "x",
            "--what",
            "x",
            "--basis",
            "x",
            "--method",
            "x",
        ],
        "",
    );
    assert!(err(&o).contains("YYYY-MM-DD"));
    let list = v.ok(&["disclosure", "list", "--project", "F2F"], "");
    assert_eq!(
        list.trim(),
        format!(
            "{id}\t2024-05-02\tCRM team\tnames and visit times of 12 people\t6(1)(e) public task\tencrypted email"
        )
    );
    v.ok(
        &[
            "disclosure",
            "edit",
            &id,
            "--method",
            "secure file transfer",
        ],
        "",
    );
    let md = report("after.md");
    assert!(
        md.contains("| 2024-05-02 | CRM team | names and visit times of 12 people | 6(1)(e) public task | secure file transfer |"),
        "{md}"
    );
    let audit = v.ok(&["audit"], "");
    assert!(audit.contains("disclosure recorded") && audit.contains("disclosure corrected"));
    assert!(!audit.contains("12 people"), "ids only");
    v.ok(&["disclosure", "delete", &id], "");
    assert!(v.ok(&["disclosure", "list"], "").trim().is_empty());
}
