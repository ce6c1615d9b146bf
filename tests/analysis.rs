//! Codebook work and analysis views through the real binary.

mod common;

use common::TestVault;

fn coded() -> (TestVault, String) {
    let v = TestVault::new();
    let sid = v.with_session();
    for (name, role) in [
        ("Craig Barker", "security officer"),
        ("Hodan Jama", "person with lived experience"),
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
                role,
            ],
            "",
        );
    }
    for (sp, text, themes) in [
        (
            "P01",
            "Queues build up after lunch.",
            vec!["Waiting", "Safety"],
        ),
        (
            "P02",
            "I waited four hours; Craig was kind.",
            vec!["Waiting"],
        ),
        ("P02", "Security stood over me.", vec!["Waiting", "Safety"]),
        ("P02", "The signs only point to the lifts.", vec!["Signs"]),
    ] {
        let mut args = vec!["note", "add", "--session", &sid, "--speaker", sp];
        for t in &themes {
            args.extend(["--theme", t]);
        }
        v.ok(&args, text);
    }
    (v, sid)
}

#[test]
fn views_as_csv_count_notes_and_groups_with_pseudonyms_only() {
    let (v, _) = coded();
    let co = v.ok(&["analyse", "cooccurrence", "--format", "csv"], "");
    assert!(co.contains("Safety,Waiting,2"), "{co}");
    let fr = v.ok(&["analyse", "frequencies", "--format", "csv"], "");
    assert!(
        fr.contains("Waiting,person with lived experience,2,1"),
        "{fr}"
    );
    assert!(fr.contains("Waiting,security officer,1,1"), "{fr}");
    let ex = v.ok(
        &[
            "analyse",
            "excerpts",
            "--theme",
            "Waiting NOT Safety",
            "--format",
            "json",
        ],
        "",
    );
    let j: serde_json::Value = serde_json::from_str(&ex).unwrap();
    assert_eq!(j.as_array().unwrap().len(), 1);
    assert_eq!(j[0]["text"], "I waited four hours; P01 was kind.");
    assert_eq!(j[0]["pseudonym"], "P02");
    let table = v.ok(
        &[
            "analyse",
            "excerpts",
            "--theme",
            "Waiting",
            "--role",
            "security officer",
        ],
        "",
    );
    assert!(
        table.contains("1 excerpt\n") && table.contains("Queues"),
        "{table}"
    );
    let o = v.run(&["analyse", "excerpts", "--theme", "Nope"], "");
    assert!(String::from_utf8_lossy(&o.stderr).contains("no theme named 'Nope'"));
    v.ok(&["participant", "restrict", "P02"], "");
    let fr = v.ok(&["analyse", "frequencies", "--format", "csv"], "");
    assert!(
        !fr.contains("lived experience"),
        "restricted people leave every view: {fr}"
    );
}

#[test]
fn the_codebook_can_be_reorganised_without_losing_tags() {
    let (v, _) = coded();
    v.ok(&["theme", "add", "Access"], "");
    v.ok(&["theme", "move", "Signs", "--parent", "Access"], "");
    v.ok(&["theme", "rename", "Signs", "Signage"], "");
    assert_eq!(
        v.ok(&["theme", "list"], ""),
        "Access\n  Signage\nSafety\nWaiting\n"
    );
    let with = v.ok(
        &[
            "analyse",
            "excerpts",
            "--theme",
            "Access",
            "--children",
            "--format",
            "csv",
        ],
        "",
    );
    assert!(with.contains("signs only point"), "{with}");
    let o = v.run(&["theme", "move", "Access", "--parent", "Signage"], "");
    assert!(String::from_utf8_lossy(&o.stderr).contains("inside it"));
    v.ok(
        &["theme", "memo", "Safety", "Feeling unsafe in the building"],
        "",
    );
    v.ok(&["theme", "merge", "Safety", "Waiting"], "");
    assert!(
        v.ok(&["theme", "memo", "Waiting"], "")
            .contains("Feeling unsafe")
    );
    let ex = v.ok(
        &[
            "analyse", "excerpts", "--theme", "Waiting", "--format", "csv",
        ],
        "",
    );
    assert_eq!(ex.lines().count(), 1 + 3, "merged tags combine: {ex}");
    let o = v.run(&["theme", "delete", "Waiting"], "");
    assert!(String::from_utf8_lossy(&o.stderr).contains("3 tags will be removed"));
    assert!(
        v.ok(&["theme", "delete", "Waiting", "--yes"], "")
            .contains("3 tags removed")
    );
    assert_eq!(v.ok(&["theme", "list"], ""), "Access\n  Signage\n");
}
