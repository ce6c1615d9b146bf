//! Topic guide coverage, excerpts by question and exports grouped by question through the
//! real binary.

mod common;

use common::TestVault;

const V1: &str = "# Desk staff\n\n## Arriving\n\n- What happens at the desk?\n- How long is the wait?\n\n## Help\n\n- What did Craig Barker do?\n";

fn session(v: &TestVault, title: &str, date: &str) -> String {
    v.last_line(
        &[
            "session",
            "add",
            "--project",
            "F2F",
            "--kind",
            "interview",
            "--title",
            title,
            "--date",
            date,
        ],
        "",
    )
}

fn note(v: &TestVault, sid: &str, speaker: Option<&str>, q: Option<&str>, text: &str) {
    let mut args = vec!["note", "add", "--session", sid];
    if let Some(s) = speaker {
        args.extend(["--speaker", s]);
    }
    if let Some(q) = q {
        args.extend(["--question", q]);
    }
    v.ok(&args, &format!("{text}\n"));
}

fn import(v: &TestVault, md: &str) {
    let file = v.tmpdir().join("guide.md");
    std::fs::create_dir_all(v.tmpdir()).unwrap();
    std::fs::write(&file, md).unwrap();
    v.ok(
        &[
            "guide",
            "import",
            file.to_str().unwrap(),
            "--project",
            "F2F",
        ],
        "",
    );
}

/// Session A (March) follows version 1: two notes answer question 1, one question 3 (which
/// names a registered participant), one none. Version 2 rewords question 2; session B
/// (February) follows it, one note answering its question 2. Returns (A, B).
fn built() -> (TestVault, String, String) {
    let v = TestVault::new();
    v.ok(&["project", "add", "F2F"], "");
    import(&v, V1);
    let a = session(&v, "Front desk", "2024-03-01");
    for name in ["Craig Barker", "Hodan Jama"] {
        v.ok(&["participant", "add", "--session", &a, "--name", name], "");
    }
    note(
        &v,
        &a,
        Some("P01"),
        Some("1"),
        "Queues build up after lunch.",
    );
    note(&v, &a, Some("P02"), Some("1"), "I waited four hours.");
    note(&v, &a, Some("P02"), Some("3"), "He was kind.");
    note(
        &v,
        &a,
        Some("P02"),
        None,
        "The signs only point to the lifts.",
    );
    import(
        &v,
        &V1.replace("How long is the wait?", "How long did you wait?"),
    );
    let b = session(&v, "Back office", "2024-02-01");
    note(&v, &b, None, Some("2"), "Ten minutes.");
    (v, a, b)
}

fn csv_rows(s: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(s.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn coverage_counts_notes_per_question_and_session_across_versions() {
    let (v, a, b) = built();
    let csv = v.ok(&["analyse", "coverage", "--format", "csv"], "");
    let rows = csv_rows(&csv);
    assert!(
        rows[0][4].starts_with(&format!("{b}: ")),
        "sessions by date: {csv}"
    );
    assert!(rows[0][5].starts_with(&format!("{a}: ")), "{csv}");
    let body: Vec<Vec<&str>> = rows[1..]
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(
        body,
        [
            vec![
                "1",
                "Arriving",
                "What happens at the desk?",
                "1;2",
                "0",
                "2",
                "1",
                "2"
            ],
            vec![
                "2",
                "Arriving",
                "How long did you wait?",
                "2",
                "1",
                "",
                "1",
                "1"
            ],
            vec!["3", "Help", "What did P01 do?", "1;2", "0", "1", "1", "1"],
            vec![
                "4",
                "Arriving",
                "How long is the wait?",
                "1",
                "",
                "0",
                "0",
                "0"
            ],
            vec!["", "", "questions covered", "", "1/3", "2/3", "", ""],
        ],
        "an empty cell: the session's version does not ask it; 0: asked, not answered"
    );
    assert!(!csv.contains("Craig"), "{csv}");
    let table = v.ok(&["analyse", "coverage"], "");
    assert!(
        table.contains("Topic guide: Desk staff (versions 1, 2)"),
        "{table}"
    );
    assert!(table.contains(&format!("S{b}")), "{table}");
    assert!(table.contains("(version 1 only)"), "{table}");
    assert!(table.contains("–"), "{table}");
    assert!(!table.contains("Craig"), "{table}");
    let json: serde_json::Value =
        serde_json::from_str(&v.ok(&["analyse", "coverage", "--format", "json"], "")).unwrap();
    assert_eq!(json["cells"][3], serde_json::json!([null, 0]));
    assert_eq!(json["sessions"][1]["covered"], 2);
    assert!(
        json["sessions"][1].get("date").is_none(),
        "anonymised views show months"
    );
    let raw = v.ok(&["analyse", "coverage", "--raw"], "");
    assert!(raw.contains("What did Craig Barker do?"), "{raw}");
    let audit = v.ok(&["audit"], "");
    assert!(audit.contains("coverage viewed"), "{audit}");
    assert!(audit.contains("coverage shown raw"), "{audit}");
}

#[test]
fn excerpts_by_question_across_sessions_or_one() {
    let (v, a, _) = built();
    let ex = v.ok(
        &["analyse", "excerpts", "--question", "1", "--format", "json"],
        "",
    );
    let j: serde_json::Value = serde_json::from_str(&ex).unwrap();
    let texts: Vec<&str> = j
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        ["Queues build up after lunch.", "I waited four hours."]
    );
    assert_eq!(j[0]["question"]["section"], "Arriving");
    let q3 = v.ok(
        &[
            "analyse",
            "excerpts",
            "--question",
            "3",
            "--session",
            &a,
            "--format",
            "json",
        ],
        "",
    );
    let j: serde_json::Value = serde_json::from_str(&q3).unwrap();
    assert_eq!(j[0]["text"], "He was kind.");
    assert_eq!(j[0]["question"]["text"], "What did P01 do?");
    let out = v.run(&["analyse", "excerpts", "--question", "9"], "");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("questions 1 to 4, not 9"), "{err}");
}

#[test]
fn a_project_with_two_guides_asks_which() {
    let (v, _, _) = built();
    let file = v.tmpdir().join("other.md");
    std::fs::write(&file, "- Which idea first?\n").unwrap();
    v.ok(
        &[
            "guide",
            "import",
            file.to_str().unwrap(),
            "--name",
            "Workshops",
            "--kind",
            "workshop",
        ],
        "",
    );
    let out = v.run(&["analyse", "coverage"], "");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("choose one with --guide NAME"), "{err}");
    let ok = v.ok(&["analyse", "coverage", "--guide", "workshops"], "");
    assert!(ok.contains("No session follows this guide yet."), "{ok}");
}

#[test]
fn export_by_question_groups_notes_under_their_questions() {
    let (v, _, _) = built();
    let out = v.tmpdir().join("report.md");
    v.ok(
        &["export", "--out", out.to_str().unwrap(), "--by-question"],
        "",
    );
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(
        md.contains("**Question 1. What happens at the desk?**"),
        "{md}"
    );
    assert!(md.contains("**Question 3. What did P01 do?**"), "{md}");
    assert!(md.contains("#### Not linked to a question"), "{md}");
    assert!(!md.contains("Craig"), "{md}");
    let csv = v.tmpdir().join("notes.csv");
    v.ok(&["export", "--out", csv.to_str().unwrap()], "");
    let csv = std::fs::read_to_string(&csv).unwrap();
    assert!(csv.contains(",Help,3,What did P01 do?"), "{csv}");
}
