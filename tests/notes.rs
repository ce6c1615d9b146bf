//! Notes, participants, themes, search and the audit trail through the real binary, and
//! hostile input.

mod common;

use common::*;

#[test]
fn speakers_kinds_and_tags() {
    let v = TestVault::new();
    v.ok(
        &[
            "project",
            "add",
            "F2F",
            "--dpia",
            "DPIA-2024-07",
            "--retention-months",
            "24",
            "--lawful-basis",
            "6(1)(e) public task",
        ],
        "",
    );
    let show = v.ok(&["project", "show", "F2F"], "");
    assert!(show.contains("DPIA-2024-07") && show.contains("24") && show.contains("public task"));
    let sid = v.last_line(
        &[
            "session",
            "add",
            "--project",
            "F2F",
            "--kind",
            "workshop",
            "--title",
            "Staff workshop",
            "--date",
            "2024-03-07",
            "--facilitator",
            "Jo Bloggs",
        ],
        "",
    );
    let p = v.last_line(
        &[
            "participant",
            "add",
            "--session",
            &sid,
            "--name",
            "Ana Silva",
            "--role",
            "customer support officer",
            "--consent",
            "given",
        ],
        "",
    );
    let q = v.last_line(
        &[
            "participant",
            "add",
            "--session",
            &sid,
            "--name",
            "Bo Li",
            "--role",
            "security officer",
        ],
        "",
    );
    assert_eq!((p.as_str(), q.as_str()), ("P01", "P02"));
    let idea = v.last_line(
        &["note", "add", "--session", &sid, "--speaker", "P02"],
        "Put signs at the door\n",
    );
    let fac = v.last_line(
        &[
            "note",
            "add",
            "--session",
            &sid,
            "--speaker",
            "F1",
            "--kind",
            "observation",
        ],
        "Room was cold\n",
    );
    v.ok(&["tag", "--note", &idea, "--theme", "Signage"], "");
    v.ok(
        &[
            "tag", "--note", &idea, "--theme", "Signage", "--span", "0..8",
        ],
        "",
    );
    let list = v.ok(&["note", "list", "--session", &sid, "--format", "json"], "");
    let notes: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(notes[0]["id"].to_string(), idea);
    assert_eq!(notes[0]["kind"], "idea", "workshop notes default to ideas");
    assert_eq!(notes[0]["speaker"], "P02");
    assert_eq!(notes[0]["themes"], serde_json::json!(["Signage"]));
    assert_eq!(notes[1]["id"].to_string(), fac);
    assert_eq!(notes[1]["speaker"], "F1");
    assert!(
        notes[1]["offset_ms"].is_number(),
        "live notes carry an offset"
    );
    assert!(v.ok(&["theme", "list"], "").contains("Signage"));

    // errors say what to do
    let o = v.run(
        &["note", "add", "--session", &sid, "--speaker", "P09"],
        "x\n",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("participant list"));
    let o = v.run(&["note", "add", "--session", "999"], "x\n");
    assert!(String::from_utf8_lossy(&o.stderr).contains("no session with id 999"));
    let o = v.run(&["note", "add", "--session", &sid], "   \n\n");
    assert!(String::from_utf8_lossy(&o.stderr).contains("empty"));
    let o = v.run(
        &["tag", "--note", &idea, "--theme", "X", "--span", "5..500"],
        "",
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("not inside note"));
    let o = v.run(
        &[
            "session",
            "add",
            "--project",
            "F2F",
            "--kind",
            "meeting",
            "--title",
            "t",
        ],
        "",
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("interview"));
    let o = v.run(
        &[
            "session",
            "add",
            "--project",
            "F2F",
            "--kind",
            "interview",
            "--title",
            "t",
            "--date",
            "31/12/2024",
        ],
        "",
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn paper_sessions_have_no_offsets_and_record_destruction() {
    let v = TestVault::new();
    v.ok(&["project", "add", "F2F"], "");
    let sid = v.last_line(
        &[
            "session",
            "add",
            "--project",
            "F2F",
            "--kind",
            "interview",
            "--title",
            "Paper 1",
            "--source",
            "paper",
            "--written-by",
            "A. Researcher",
            "--written-on",
            "2024-02-01",
        ],
        "",
    );
    v.ok(&["note", "add", "--session", &sid], "typed up later\n");
    let notes: serde_json::Value =
        serde_json::from_str(&v.ok(&["note", "list", "--session", &sid, "--format", "json"], ""))
            .unwrap();
    assert!(notes[0]["offset_ms"].is_null());
    assert!(
        v.ok(&["session", "show", &sid], "")
            .contains("not yet recorded")
    );
    v.ok(
        &["session", "paper-destroyed", &sid, "--date", "2024-02-10"],
        "",
    );
    assert!(v.ok(&["session", "show", &sid], "").contains("2024-02-10"));
}

#[test]
fn hostile_text_is_stored_safely_and_printed_inert() {
    let v = TestVault::new();
    let sid = v.with_session();
    let evil = "title \u{1b}]0;pwned\u{7} and \u{1b}[2J clear, Zoë 😀 김민준\r\n";
    v.ok(&["note", "add", "--session", &sid], evil);
    let out = v.ok(&["note", "list", "--session", &sid], "");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    assert!(out.contains("Zoë 😀 김민준"), "{out}");
    let o = v.run(&["note", "add", "--session", &sid], "\u{ff}\u{fe}");
    assert_eq!(
        o.status.code(),
        Some(0),
        "valid UTF-8 with odd characters is fine"
    );
    let mut c = v.cmd();
    let o = c
        .args(["note", "add", "--session", &sid])
        .write_stdin(vec![0xffu8, 0xfe, 0x00])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("UTF-8"));
}

#[test]
fn a_ten_megabyte_paste_is_kept_and_a_huge_one_refused() {
    let v = TestVault::new();
    let sid = v.with_session();
    let big = "word ".repeat(2 * 1024 * 1024); // 10 MB
    let id = v.last_line(&["note", "add", "--session", &sid], &big);
    let notes: serde_json::Value =
        serde_json::from_str(&v.ok(&["note", "list", "--session", &sid, "--format", "json"], ""))
            .unwrap();
    assert_eq!(notes[0]["id"].to_string(), id);
    assert_eq!(
        notes[0]["text"].as_str().unwrap().len(),
        big.trim_end().len()
    );
    let huge = "x".repeat(17 * 1024 * 1024);
    let o = v.run(&["note", "add", "--session", &sid], &huge);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("split it"));
}

#[test]
fn search_takes_any_text_without_syntax_errors() {
    let v = TestVault::new();
    let sid = v.with_session();
    v.ok(
        &["note", "add", "--session", &sid],
        "He said \"NOT AND OR\" - twice: café\n",
    );
    for q in ["\"NOT", "AND", "-", "twice:", "cafe", "caf*", "(", "NEAR("] {
        let o = v.run(&["search", q], "");
        assert_eq!(
            o.status.code(),
            Some(0),
            "search {q:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    assert!(
        v.ok(&["search", "cafe"], "").contains("twice"),
        "diacritics fold"
    );
    assert!(
        v.ok(&["search", "tw*"], "").contains("twice"),
        "prefix search"
    );
}

#[test]
fn audit_trail_records_and_verifies() {
    let v = TestVault::new();
    v.with_session();
    let out = v.ok(&["audit"], "");
    for action in ["init", "project add", "session add"] {
        assert!(out.contains(action), "{out}");
    }
    assert!(v.ok(&["audit", "--verify"], "").contains("intact"));
}

#[test]
fn every_subcommand_has_help() {
    let v = TestVault::empty();
    let cmds: &[&[&str]] = &[
        &[],
        &["init"],
        &["project"],
        &["project", "add"],
        &["project", "list"],
        &["project", "show"],
        &["session"],
        &["session", "add"],
        &["session", "list"],
        &["session", "show"],
        &["session", "paper-destroyed"],
        &["participant", "add"],
        &["participant", "list"],
        &["person", "add"],
        &["person", "list"],
        &["note", "add"],
        &["note", "list"],
        &["theme", "add"],
        &["theme", "list"],
        &["tag"],
        &["search"],
        &["audit"],
        &["passwd"],
        &["recipient", "add"],
        &["recipient", "list"],
        &["recipient", "remove"],
        &["backup"],
        &["restore"],
        &["check"],
        &["redact"],
        &["project", "allow"],
        &["project", "deny"],
        &["project", "unlist"],
        &["project", "lists"],
    ];
    for c in cmds {
        let o = v.bare().args(*c).arg("--help").output().unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success() && out.contains("Usage:"),
            "{c:?} --help: {out}"
        );
    }
}

#[test]
fn a_session_record_can_change_but_keeps_its_facilitators_in_use() {
    use fieldnotes::model::{NoteKind, SessionKind, Source};
    use fieldnotes::store::{NewNote, NewProject, NewSession, Store};
    let store = Store::open_in_memory().unwrap();
    store
        .project_add(NewProject {
            name: "F2F".into(),
            ..Default::default()
        })
        .unwrap();
    let mut ns = NewSession {
        project: "F2F".into(),
        kind: SessionKind::Interview,
        title: "Interview 1".into(),
        date: Some("2024-03-07".into()),
        location: None,
        source: Source::Live,
        paper: Default::default(),
        facilitators: vec!["Jo".into(), "Sam".into()],
    };
    let id = store.session_add(ns.clone()).unwrap();
    store
        .note_add(NewNote {
            session_id: id,
            speaker: Some("F2".into()),
            kind: NoteKind::Observation,
            text: "note".into(),
            special_category: false,
            criminal_offence: false,
            themes: vec![],
            at_ms: 0,
            cluster: None,
            page: None,
            question_id: None,
        })
        .unwrap();
    ns.location = Some("Crowndale Centre".into());
    ns.facilitators = vec!["Jo".into()];
    let e = store.session_update(id, ns.clone()).unwrap_err();
    assert!(e.to_string().contains("F2"), "{e}");
    ns.facilitators = vec!["Jo".into(), "Sam Jones".into()];
    store.session_update(id, ns).unwrap();
    let s = store.session(id).unwrap();
    assert_eq!(s.location.as_deref(), Some("Crowndale Centre"));
    assert_eq!(
        s.facilitators,
        vec!["Jo".to_owned(), "Sam Jones".to_owned()]
    );
}

#[test]
fn redact_with_a_project_uses_its_people_and_lists() {
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
            "x",
        ],
        "",
    );
    v.ok(
        &[
            "person",
            "add",
            "--project",
            "F2F",
            "--name",
            "Gemma Ashworth",
        ],
        "",
    );
    v.ok(&["project", "allow", "F2F", "Kentish Town"], "");
    v.ok(&["project", "deny", "F2F", "the red-haired guard"], "");
    let lists = v.ok(&["project", "lists", "F2F"], "");
    assert!(
        lists.contains("allow\tKentish Town") && lists.contains("deny\tthe red-haired guard"),
        "{lists}"
    );
    let out = v.ok(
        &["redact", "--project", "F2F"],
        "Mr Warsame met Gemma and the red-haired guard in Kentish Town; NW1 2BH.\n",
    );
    assert_eq!(
        out,
        "P01 met Person A and [REDACTED] in Kentish Town; NW1.\n"
    );
    v.ok(&["project", "unlist", "F2F", "the red-haired guard"], "");
    let o = v.run(&["project", "unlist", "F2F", "nothing"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(v.ok(&["audit"], "").contains("anonymiser list"));
}

#[test]
fn redact_without_a_vault_reads_a_names_file() {
    let v = TestVault::empty();
    let names = v.tmp.path().join("names.txt");
    std::fs::write(&names, "Aisha Khan\tP07\n").unwrap();
    let o = v
        .bare()
        .args(["redact", "--names", names.to_str().unwrap(), "--explain"])
        .write_stdin("aisha's NHS number 943 476 5919\n")
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "P07's NHS number [NHS NUMBER]\n"
    );
    let explained = String::from_utf8_lossy(&o.stderr);
    assert!(
        explained.contains("\"rule\":\"NHS number (valid mod-11 checksum)\""),
        "{explained}"
    );
    assert!(!v.dir().exists(), "no vault is touched");
}

#[test]
fn a_project_record_can_be_changed_and_renamed() {
    use fieldnotes::store::{NewProject, Store};
    let store = Store::open_in_memory().unwrap();
    store
        .project_add(NewProject {
            name: "F2F".into(),
            dpia_ref: Some("D-1".into()),
            ..Default::default()
        })
        .unwrap();
    store
        .project_add(NewProject {
            name: "Other".into(),
            ..Default::default()
        })
        .unwrap();
    let renamed = NewProject {
        name: "F2F 2025".into(),
        lawful_basis: Some("6(1)(e) public task".into()),
        retention_months: Some(36),
        ..Default::default()
    };
    store.project_update("F2F", renamed).unwrap();
    let p = store.project("F2F 2025").unwrap();
    assert_eq!(p.lawful_basis.as_deref(), Some("6(1)(e) public task"));
    assert_eq!(p.retention_months, Some(36));
    assert_eq!(
        p.dpia_ref, None,
        "the form sends every field; a cleared field is cleared"
    );
    let clash = NewProject {
        name: "Other".into(),
        ..Default::default()
    };
    assert!(
        store
            .project_update("F2F 2025", clash)
            .unwrap_err()
            .to_string()
            .contains("already exists")
    );
}
