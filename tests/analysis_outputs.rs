//! What `analyse` writes leaves the vault like an export: anonymised, past the leak guard,
//! with the export's field names; `--raw` shows the vault's text and is audited.

mod common;

use common::TestVault;

const IDS: [&str; 5] = [
    "07700 900461",
    "943 476 5919",
    "th.home@example.org",
    "HOU-2024-0173",
    "NW1 9SL",
];

/// A project with a note holding a phone number, an NHS number, an email address, a case
/// reference and a postcode, and a workshop with clustered, voted ideas.
fn vault() -> TestVault {
    let v = TestVault::new();
    let sid = v.with_session();
    v.ok(
        &[
            "participant",
            "add",
            "--session",
            &sid,
            "--name",
            "Tesfay Habte",
            "--role",
            "tenant",
        ],
        "",
    );
    v.ok(&["theme", "add", "Contact"], "");
    v.ok(
        &[
            "note",
            "add",
            "--session",
            &sid,
            "--speaker",
            "P01",
            "--theme",
            "Contact",
        ],
        "Tesfay rang from 07700 900461, email th.home@example.org, NHS 943 476 5919, \
         case ref HOU-2024-0173, lives at NW1 9SL.",
    );
    let w = v.last_line(
        &[
            "session",
            "add",
            "--project",
            "F2F",
            "--kind",
            "workshop",
            "--title",
            "Ideas day",
        ],
        "",
    );
    let ideas: Vec<(i64, &str, i64)> = [("A greeter", "Welcome", 2), ("Radios", "Staff kit", 5)]
        .into_iter()
        .map(|(text, cluster, votes)| {
            let id = v
                .last_line(&["note", "add", "--session", &w, "--kind", "idea"], text)
                .parse()
                .unwrap();
            (id, cluster, votes)
        })
        .collect();
    // what the CLI cannot type: clusters and votes
    let vault = fieldnotes::vault::Vault::open(
        &v.dir(),
        fieldnotes::vault::Unlock::Passphrase(common::PASS.to_owned().into()),
        Default::default(),
    )
    .unwrap();
    for (id, cluster, votes) in ideas {
        fieldnotes::app::notes::set_cluster(&vault, id, Some(cluster)).unwrap();
        for _ in 0..votes {
            fieldnotes::app::notes::vote(&vault, id, 1).unwrap();
        }
    }
    drop(vault);
    v
}

fn assert_none_of_the_identifiers(what: &str, out: &str) {
    for id in IDS.iter().chain(&["Tesfay", "Habte"]) {
        assert!(!out.contains(id), "{what}: {id} shown:\n{out}");
    }
}

#[test]
fn excerpts_are_anonymised_in_every_format_and_raw_only_when_asked_and_audited() {
    let v = vault();
    for format in ["table", "csv", "json"] {
        let out = v.ok(&["analyse", "excerpts", "--format", format], "");
        assert_none_of_the_identifiers(format, &out);
        assert!(
            out.contains("P01 rang from"),
            "{format}: the note is there:\n{out}"
        );
    }
    let before = v.ok(&["audit"], "");
    assert!(!before.contains("analysis raw"), "{before}");
    for format in ["table", "csv", "json"] {
        let out = v.ok(&["analyse", "excerpts", "--format", format, "--raw"], "");
        for id in IDS {
            assert!(out.contains(id), "{format} --raw: {id} missing:\n{out}");
        }
    }
    let audit = v.ok(&["audit"], "");
    assert_eq!(
        audit.matches("analysis raw").count(),
        3,
        "each raw output is recorded: {audit}"
    );
    assert!(audit.contains("excerpts shown raw"), "{audit}");
    assert_none_of_the_identifiers("audit", &audit);
}

#[test]
fn the_leak_guard_refuses_an_allowed_identifier_and_raw_still_shows_it() {
    let v = vault();
    v.ok(&["project", "allow", "F2F", "07700 900461"], "");
    let o = v.run(&["analyse", "excerpts", "--format", "csv"], "");
    assert!(!o.status.success());
    assert!(o.stdout.is_empty(), "nothing is written");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("the analysis output was refused"), "{err}");
    assert!(err.contains("a phone number from the notes"), "{err}");
    assert!(err.contains("--raw"), "{err}");
    let raw = v.ok(&["analyse", "excerpts", "--format", "csv", "--raw"], "");
    assert!(raw.contains("07700 900461"));
}

#[test]
fn ideas_show_their_clusters_in_every_format() {
    let v = vault();
    let table = v.ok(&["analyse", "ideas"], "");
    assert!(table.contains("cluster"), "{table}");
    let radios = table.lines().find(|l| l.contains("Radios")).unwrap();
    assert!(radios.contains("Staff kit"), "{table}");
    assert!(
        table.find("Radios").unwrap() < table.find("A greeter").unwrap(),
        "most votes first: {table}"
    );
    let csv = v.ok(&["analyse", "ideas", "--format", "csv"], "");
    assert!(csv.lines().next().unwrap().contains(",cluster,"), "{csv}");
    // section, question number and question (empty: the ideas answer none) before the text
    assert!(csv.contains(",5,Staff kit,,,,Radios"), "{csv}");
    assert!(csv.contains(",2,Welcome,,,,A greeter"), "{csv}");
    let json: serde_json::Value =
        serde_json::from_str(&v.ok(&["analyse", "ideas", "--format", "json"], "")).unwrap();
    assert_eq!(json[0]["cluster"], "Staff kit");
    assert_eq!(json[0]["votes"], 5);
    assert_eq!(json[1]["cluster"], "Welcome");
}

#[test]
fn json_uses_the_exports_names() {
    let v = vault();
    let ex: serde_json::Value =
        serde_json::from_str(&v.ok(&["analyse", "excerpts", "--format", "json"], "")).unwrap();
    let e = &ex[0];
    for field in [
        "note_id",
        "session_id",
        "pseudonym",
        "role",
        "codings",
        "themes",
        "kind",
        "text",
        "votes",
        "cluster",
        "month",
    ] {
        assert!(e.get(field).is_some(), "{field} missing: {e}");
    }
    for old in ["id", "speaker", "group", "spans", "date"] {
        assert!(e.get(old).is_none(), "{old} is not a field any more: {e}");
    }
    assert_eq!(e["pseudonym"], "P01");
    assert_eq!(e["role"], "tenant");
    assert_eq!(e["codings"][0]["theme"], "Contact");
    assert_eq!(e["codings"][0]["start"], 0);
    let fr: serde_json::Value =
        serde_json::from_str(&v.ok(&["analyse", "frequencies", "--format", "json"], "")).unwrap();
    assert_eq!(
        fr[0],
        serde_json::json!({"theme": "Contact", "role": "tenant", "excerpts": 1, "participants": 1})
    );
    let csv = v.ok(&["analyse", "frequencies", "--format", "csv"], "");
    assert!(
        csv.starts_with("theme,role,excerpts,participants\n"),
        "{csv}"
    );
    // the excerpt itself fits the export's schema
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../assets/export.schema.json")).unwrap();
    let mut c = boon::Compiler::new();
    c.add_resource("export.schema.json", schema).unwrap();
    let mut s = boon::Schemas::new();
    let i = c
        .compile("export.schema.json#/$defs/excerpt", &mut s)
        .unwrap();
    s.validate(e, i).unwrap();
    let raw: serde_json::Value =
        serde_json::from_str(&v.ok(&["analyse", "excerpts", "--format", "json", "--raw"], ""))
            .unwrap();
    s.validate(&raw[0], i).unwrap();
}

#[test]
fn a_csv_file_starts_with_a_byte_order_mark_and_standard_output_does_not() {
    let v = vault();
    let out = v.tmpdir().join("ideas.csv");
    v.ok(
        &[
            "analyse",
            "ideas",
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
        ],
        "",
    );
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with("\u{feff}note_id,".as_bytes()));
    let stdout = v.ok(&["analyse", "ideas", "--format", "csv"], "");
    assert!(stdout.starts_with("note_id,"), "{stdout}");
    let o = v.run(
        &[
            "analyse",
            "ideas",
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert!(
        !o.status.success(),
        "an existing file is kept without --force"
    );
    v.ok(
        &[
            "analyse",
            "ideas",
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
            "--force",
        ],
        "",
    );
}
