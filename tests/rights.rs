//! Data subject rights through the real binary, with erasure proven at the page level.

mod common;

use common::{TestVault, contains};
use fieldnotes::app;

/// F2F with an interview: P01 Tesfay Habte (lived experience), P02 Gemma Ashworth (staff).
fn project() -> (TestVault, String) {
    let v = TestVault::new();
    let sid = v.with_session();
    for (name, role) in [
        ("Tesfay Habte", "person with lived experience"),
        ("Gemma Ashworth", "customer support officer"),
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
    for (speaker, text) in [
        (
            "P01",
            "The wait at the front desk was three hours and nobody explained why.",
        ),
        (
            "P02",
            "Tesfay came back twice that week; Mr Habte was calm both times.",
        ),
        (
            "P02",
            "Gemma said the triage script needs a plain-English version.",
        ),
    ] {
        v.ok(
            &["note", "add", "--session", &sid, "--speaker", speaker],
            text,
        );
    }
    (v, sid)
}

/// `subject-access --participant CODE --out OUT EXTRA…`.
fn sar(v: &TestVault, code: &str, out: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["subject-access", "--participant", code, "--out", out];
    args.extend_from_slice(extra);
    v.run(&args, "")
}

/// Insists a run succeeded.
fn ok(o: std::process::Output) {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn assert_gone(v: &TestVault, needles: &[&str]) {
    let pages = v.decrypted_pages();
    assert!(
        contains(&pages, b"came back twice"),
        "the decrypted pages hold the notes that remain (so the scan can see text)"
    );
    for n in needles {
        assert!(
            !contains(&pages, n.as_bytes()),
            "'{n}' survives somewhere in the database pages"
        );
    }
}

#[test]
fn subject_access_shows_spoken_and_mentioned_without_third_parties() {
    let (v, _) = project();
    let out = v.tmp.path().join("sar.html");
    // identifying output is encrypted unless asked otherwise; without a terminal it says how
    let o = sar(&v, "P01", out.to_str().unwrap(), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--plaintext"));
    ok(sar(&v, "p01", out.to_str().unwrap(), &["--plaintext"]));
    let html = std::fs::read_to_string(&out).unwrap();
    let json = std::fs::read_to_string(out.with_extension("json")).unwrap();
    for doc in [&html, &json] {
        assert!(doc.contains("three hours"), "spoken");
        assert!(doc.contains("came back twice"), "mentioned");
        assert!(doc.contains("Tesfay Habte"), "their own name is their data");
        assert!(
            !doc.contains("Gemma") && !doc.contains("Ashworth"),
            "third party hidden"
        );
        assert!(!doc.contains("triage"), "unrelated note left out");
    }
    let j: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(j["spoken"].as_array().unwrap().len(), 1);
    assert_eq!(j["mentioned"].as_array().unwrap().len(), 1);
    assert!(v.ok(&["audit"], "").contains("subject access"));

    // encrypted to a recipient: unreadable as it stands
    let id = age::x25519::Identity::generate();
    let enc = v.tmp.path().join("sar2.md");
    ok(sar(
        &v,
        "P01",
        enc.to_str().unwrap(),
        &["--recipient", &id.to_public().to_string()],
    ));
    let sealed = std::fs::read(v.tmp.path().join("sar2.md.age")).unwrap();
    assert!(!contains(&sealed, b"three hours"));
    let o = sar(&v, "P09", "x.html", &["--plaintext"]);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no participant or person mentioned 'P09'")
    );
}

#[test]
fn withdrawal_with_erasure_leaves_no_byte_and_survives_a_restore() {
    let (v, sid) = project();
    let backup = v.tmp.path().join("before.age");
    v.ok(&["backup", "--out", backup.to_str().unwrap()], "");
    // a confirmation is needed; without a terminal the command says how
    let o = v.run(&["participant", "withdraw", "P01", "--erase"], "");
    assert!(String::from_utf8_lossy(&o.stderr).contains("--yes"));
    let msg = v.ok(&["participant", "withdraw", "P01", "--erase", "--yes"], "");
    assert!(msg.contains("1 notes erased"), "{msg}");
    let list = v.ok(&["note", "list", "--session", &sid], "");
    assert!(list.contains("P01 came back twice"), "{list}");
    assert!(!list.contains("three hours") && !list.contains("Tesfay") && !list.contains("Habte"));
    let parts = v.ok(&["participant", "list", "--session", &sid], "");
    assert!(
        parts.contains("P01\t(erased)") && parts.contains("(erase)"),
        "{parts}"
    );
    assert_gone(&v, &["Tesfay", "Habte", "three hours", "tesfay", "habte"]);
    // twice is an error that says what happened
    let o = v.run(&["participant", "withdraw", "P01", "--erase", "--yes"], "");
    assert!(String::from_utf8_lossy(&o.stderr).contains("already withdrew"));
    let o = v.run(&["participant", "withdraw", "P07", "--erase", "--yes"], "");
    assert!(String::from_utf8_lossy(&o.stderr).contains("no participant or facilitator 'P07'"));

    // the older backup does not bring them back
    v.ok(&["restore", backup.to_str().unwrap(), "--yes"], "");
    let list = v.ok(&["note", "list", "--session", &sid], "");
    assert!(
        list.contains("came back twice") && !list.contains("three hours"),
        "{list}"
    );
    assert_gone(&v, &["Tesfay", "Habte", "three hours", "tesfay", "habte"]);
    let audit = v.ok(&["audit"], "");
    assert!(audit.contains("1 later erasures re-applied"), "{audit}");
    assert!(
        !audit.contains("Tesfay"),
        "the audit trail holds no erased data"
    );
}

#[test]
fn keep_anonymised_keeps_what_they_said_without_who_they_are() {
    let (v, sid) = project();
    v.ok(
        &[
            "participant",
            "withdraw",
            "P01",
            "--keep-anonymised",
            "--yes",
        ],
        "",
    );
    let list = v.ok(&["note", "list", "--session", &sid], "");
    assert!(
        list.contains("three hours") && list.contains("P01 came back twice"),
        "{list}"
    );
    assert_gone(&v, &["Tesfay", "Habte"]);
}

#[test]
fn erasing_a_session_or_a_note_is_complete_and_survives_a_restore() {
    let (v, sid) = project();
    let other = v.last_line(
        &[
            "session",
            "add",
            "--project",
            "F2F",
            "--kind",
            "interview",
            "--title",
            "Wrong room",
        ],
        "",
    );
    v.ok(
        &["note", "add", "--session", &other],
        "Typed into the wrong session: zebra crossing.",
    );
    let stray = v.last_line(
        &["note", "add", "--session", &sid],
        "A stray note about kumquats.",
    );
    let backup = v.tmp.path().join("b.age");
    v.ok(&["backup", "--out", backup.to_str().unwrap()], "");
    v.ok(&["erase", "--session", &other, "--yes"], "");
    v.ok(&["erase", "--note", &stray, "--yes"], "");
    assert_gone(&v, &["zebra crossing", "kumquats", "Wrong room"]);
    v.ok(&["restore", backup.to_str().unwrap(), "--yes"], "");
    assert_gone(&v, &["zebra crossing", "kumquats", "Wrong room"]);
    let o = v.run(&["note", "list", "--session", &other], "");
    assert!(String::from_utf8_lossy(&o.stderr).contains("no session with id"));
    let o = v.run(&["erase", "--note", "999", "--yes"], "");
    assert!(String::from_utf8_lossy(&o.stderr).contains("no note with id 999"));
}

#[test]
fn erasure_is_refused_while_the_vault_is_open_elsewhere() {
    let (v, sid) = project();
    let lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(v.dir().join("lock"))
        .unwrap();
    lock.try_lock().unwrap();
    let o = v.run(&["erase", "--session", &sid, "--yes"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("open in another fieldnotes"));
    drop(lock);
    assert!(
        v.ok(&["note", "list", "--session", &sid], "")
            .contains("three hours")
    );
}

#[test]
fn retention_lists_and_erases_what_is_due() {
    let v = TestVault::new();
    v.ok(&["project", "add", "F2F", "--retention-months", "12"], "");
    let old = v.last_line(
        &[
            "session",
            "add",
            "--project",
            "F2F",
            "--kind",
            "interview",
            "--title",
            "Old",
            "--date",
            "2020-01-15",
        ],
        "",
    );
    let new = v.last_line(
        &[
            "session",
            "add",
            "--project",
            "F2F",
            "--kind",
            "interview",
            "--title",
            "New",
        ],
        "",
    );
    v.ok(
        &[
            "participant",
            "add",
            "--session",
            &old,
            "--name",
            "Hodan Jama",
        ],
        "",
    );
    v.ok(
        &["note", "add", "--session", &old, "--speaker", "P01"],
        "Hodan spoke of the pelican steps.",
    );
    v.ok(
        &["note", "add", "--session", &new],
        "The lifts were out of order.",
    );
    let list = v.ok(&["retention"], "");
    assert!(list.contains("past retention since 2021-01-15"), "{list}");
    assert!(!list.contains("\tNew\t"), "{list}");
    let o = v.run(&["retention", "--apply"], "");
    assert!(String::from_utf8_lossy(&o.stderr).contains("--yes"));
    let msg = v.ok(&["retention", "--apply", "--yes"], "");
    assert!(
        msg.contains("1 sessions erased") && msg.contains("1 real names erased"),
        "{msg}"
    );
    assert!(
        v.ok(&["note", "list", "--session", &new], "")
            .contains("lifts")
    );
    let pages = v.decrypted_pages();
    assert!(contains(&pages, b"lifts were out of order"));
    for gone in ["pelican steps", "Hodan", "Jama"] {
        assert!(!contains(&pages, gone.as_bytes()), "{gone} survives");
    }
    assert!(v.ok(&["retention"], "").contains("Nothing is due"));
}

#[test]
fn restriction_keeps_a_person_out_of_search_and_export_until_lifted() {
    let (v, _) = project();
    v.ok(&["participant", "restrict", "P02"], "");
    assert!(!v.ok(&["search", "triage"], "").contains("triage script"));
    let out = v.tmp.path().join("o.json");
    v.ok(&["export", "--out", out.to_str().unwrap()], "");
    let s = std::fs::read_to_string(&out).unwrap();
    assert!(!s.contains("triage") && s.contains("three hours"), "{s}");
    assert!(
        v.ok(&["participant", "list", "--project", "F2F"], "")
            .contains("restricted")
    );
    v.ok(&["participant", "unrestrict", "P02"], "");
    assert!(v.ok(&["search", "triage"], "").contains("triage script"));
    let audit = v.ok(&["audit"], "");
    assert!(
        audit.contains("\trestrict\t") && audit.contains("\tunrestrict\t"),
        "{audit}"
    );
}

#[test]
fn the_accountability_report_lists_bases_exports_and_erasures() {
    let (v, _) = project();
    let out = v.tmp.path().join("o.md");
    v.ok(&["export", "--out", out.to_str().unwrap()], "");
    v.ok(
        &[
            "participant",
            "withdraw",
            "P01",
            "--keep-anonymised",
            "--yes",
        ],
        "",
    );
    let rep = v.tmp.path().join("dpo.md");
    v.ok(&["report", "--out", rep.to_str().unwrap()], "");
    let text = std::fs::read_to_string(&rep).unwrap();
    assert!(
        text.contains("Lawful basis (UK GDPR Art. 6):** NOT RECORDED"),
        "{text}"
    );
    assert!(
        text.contains("| customer support officer | not recorded | 1 |"),
        "{text}"
    );
    assert!(
        text.contains("| person with lived experience | withdrawn | 1 |"),
        "{text}"
    );
    assert!(
        text.contains("export by") && text.contains("withdraw by"),
        "{text}"
    );
    assert!(
        !text.contains("Tesfay") && !text.contains("Gemma"),
        "no names: {text}"
    );
    let html = v.tmp.path().join("dpo.html");
    v.ok(&["report", "--out", html.to_str().unwrap()], "");
    assert!(std::fs::read_to_string(&html).unwrap().contains("<table>"));
}

#[test]
fn a_subject_access_report_to_a_one_off_passphrase_needs_a_strong_one() {
    let (v, _) = project();
    let weak = v.tmp.path().join("weak");
    std::fs::write(&weak, "password\n").unwrap();
    let out = v.tmp.path().join("sar.html");
    let o = sar(
        &v,
        "P01",
        out.to_str().unwrap(),
        &["--out-passphrase-file", weak.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("too easy to guess"));
    let strong = v.tmp.path().join("strong");
    std::fs::write(&strong, "plum kettle orbit 4711 lantern\n").unwrap();
    ok(sar(
        &v,
        "P01",
        out.to_str().unwrap(),
        &["--out-passphrase-file", strong.to_str().unwrap()],
    ));
    let sealed = std::fs::read(v.tmp.path().join("sar.html.age")).unwrap();
    let id = age::scrypt::Identity::new("plum kettle orbit 4711 lantern".to_owned().into());
    let d = age::Decryptor::new(&sealed[..]).unwrap();
    let mut r = d
        .decrypt(std::iter::once(&id as &dyn age::Identity))
        .unwrap();
    let mut html = String::new();
    std::io::Read::read_to_string(&mut r, &mut html).unwrap();
    assert!(html.contains("three hours"));
}

/// F2F with Tesfay Habte (P01) named, in some form, in every field a researcher can type:
/// the project record, the deny list, a paper session's title, location, author and
/// facilitators, roles and consent forms, notes, a theme's name, description, colour and
/// memo, a note's workshop cluster and paper page, drafts (one P01 was speaking, one by
/// P02), and Tesfay registered a second time as a person mentioned. Returns the vault and
/// the two session ids.
fn name_in_every_field() -> (TestVault, String, String) {
    let v = TestVault::new();
    v.ok(
        &[
            "project",
            "add",
            "F2F",
            "--purpose",
            "Follow-up for Tesfay Habte",
            "--lawful-basis",
            "6(1)(e), as Mr Habte asked",
            "--special-category-condition",
            "9(2)(g) for TESFAY",
            "--schedule1-condition",
            "Sch.1 para 6 (Habte)",
            "--criminal-offence-basis",
            "none for Tesfay",
            "--dpia",
            "DPIA on tesfay habte",
            "--controller",
            "Habte's council",
        ],
        "",
    );
    v.ok(&["project", "deny", "F2F", "Tesfay Habte"], "");
    let sid = v.last_line(
        &[
            "session",
            "add",
            "--project",
            "F2F",
            "--kind",
            "interview",
            "--title",
            "With Tesfay",
            "--location",
            "Mr Habte's flat",
            "--source",
            "paper",
            "--written-by",
            "Tesfay Habte",
            "--written-on",
            "2024-03-01",
            "--facilitator",
            "Jo Bloggs",
            "--facilitator",
            "Tesfay's sister",
        ],
        "",
    );
    let other = v.last_line(
        &[
            "session",
            "add",
            "--project",
            "F2F",
            "--kind",
            "workshop",
            "--title",
            "Workshop",
        ],
        "",
    );
    for (name, role, form) in [
        (
            "Tesfay Habte",
            "lived experience, Habte family",
            "v2 signed by Tesfay",
        ),
        ("Gemma Ashworth", "Tesfay's support worker", "v2"),
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
                "--consent-form",
                form,
            ],
            "",
        );
    }
    for code in ["P01", "P02"] {
        v.ok(
            &[
                "participant",
                "add",
                "--session",
                &other,
                "--existing",
                code,
            ],
            "",
        );
    }
    v.ok(
        &[
            "person",
            "add",
            "--project",
            "F2F",
            "--name",
            "Tesfay Habte",
            "--pseudonym",
            "Person T",
        ],
        "",
    );
    v.ok(
        &[
            "theme",
            "add",
            "Habte's case",
            "--description",
            "What Tesfay said",
            "--colour",
            "Tesfay blue",
        ],
        "",
    );
    v.ok(
        &[
            "theme",
            "memo",
            "Habte's case",
            "Memo: TESFAY HABTE is consistent",
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
            "Habte's case",
        ],
        "The wait at the front desk was three hours.",
    );
    let mentioning = v.last_line(
        &[
            "note",
            "add",
            "--session",
            &sid,
            "--speaker",
            "P02",
            "--theme",
            "Habte's case",
        ],
        "Tesfay came back twice that week; Mr Habte was calm both times.",
    );
    // what the CLI cannot type: the editor's drafts, a cluster, a paper page
    let vault = open_vault(&v);
    let id = mentioning.parse().unwrap();
    app::notes::set_cluster(&vault, id, Some("Tesfay's group")).unwrap();
    app::notes::set_page(&vault, id, Some("page 2 (Habte)")).unwrap();
    for (session, speaker, text) in [
        (&sid, "P01", "Tesfay was about to say it again"),
        (&other, "P02", "Gemma on Mr Habte"),
    ] {
        app::drafts::save(
            &vault,
            &app::Draft {
                session_id: session.parse().unwrap(),
                text: text.into(),
                speaker: Some(speaker.into()),
                kind: None,
                question_id: None,
            },
        )
        .unwrap();
    }
    (v, sid, other)
}

fn open_vault(v: &TestVault) -> fieldnotes::vault::Vault {
    fieldnotes::vault::Vault::open(
        &v.dir(),
        fieldnotes::vault::Unlock::Passphrase(common::PASS.to_owned().into()),
        Default::default(),
    )
    .unwrap()
}

/// Tesfay Habte, in any case, is nowhere: in what any command shows, in the drafts, in an
/// export, and in any byte of the decrypted database and WAL pages.
fn assert_tesfay_gone(v: &TestVault, sid: &str, other: &str) {
    let mut shown = Vec::new();
    for args in [
        &["project", "show", "F2F"][..],
        &["project", "lists", "F2F"],
        &["session", "list"],
        &["session", "show", sid],
        &["session", "show", other],
        &["participant", "list", "--project", "F2F"],
        &["person", "list", "--project", "F2F"],
        &["note", "list", "--session", sid, "--format", "json"],
        &["note", "list", "--session", other, "--format", "json"],
        &["theme", "list"],
        &["theme", "memo", "P01's case"],
        &["search", "came", "back"],
        &["search", "P01"],
        &["audit"],
    ] {
        shown.push((args.join(" "), v.ok(args, "")));
    }
    {
        let vault = open_vault(v);
        for id in [sid, other] {
            let draft = app::drafts::load(&vault, id.parse().unwrap()).unwrap();
            shown.push((format!("draft of {id}"), format!("{draft:?}")));
        }
    }
    let out = v.tmp.path().join("after.md");
    v.ok(&["export", "--force", "--out", out.to_str().unwrap()], "");
    shown.push(("export".into(), std::fs::read_to_string(&out).unwrap()));
    for (what, text) in &shown {
        let lower = text.to_lowercase();
        assert!(
            !lower.contains("tesfay") && !lower.contains("habte"),
            "{what} still names them:\n{text}"
        );
    }
    let all: String = shown.iter().map(|(_, t)| t.as_str()).collect();
    assert!(
        all.contains("P01 came back twice") && all.contains("P01's case"),
        "the mentions became the pseudonym:\n{all}"
    );
    assert_gone(
        v,
        &["Tesfay", "Habte", "tesfay", "habte", "TESFAY", "HABTE"],
    );
}

#[test]
fn withdrawal_erases_the_name_from_every_field_and_a_restore_does_not_bring_it_back() {
    let (v, sid, other) = name_in_every_field();
    let backup = v.tmp.path().join("before.age");
    v.ok(&["backup", "--out", backup.to_str().unwrap()], "");
    let msg = v.ok(&["participant", "withdraw", "P01", "--erase", "--yes"], "");
    assert!(
        msg.contains("1 notes erased") && msg.contains("1 unsaved drafts erased"),
        "{msg}"
    );
    assert_tesfay_gone(&v, &sid, &other);
    assert!(
        app::drafts::load(&open_vault(&v), sid.parse().unwrap())
            .unwrap()
            .is_none(),
        "what P01 was saying when they withdrew is erased with their notes"
    );
    v.ok(&["restore", backup.to_str().unwrap(), "--yes"], "");
    assert_tesfay_gone(&v, &sid, &other);
    assert!(
        !v.ok(&["note", "list", "--session", &sid], "")
            .contains("three hours")
    );
}

#[test]
fn withdrawal_keeping_notes_anonymised_erases_the_name_from_every_field() {
    let (v, sid, other) = name_in_every_field();
    v.ok(
        &[
            "participant",
            "withdraw",
            "P01",
            "--keep-anonymised",
            "--yes",
        ],
        "",
    );
    assert_tesfay_gone(&v, &sid, &other);
    assert!(
        v.ok(&["note", "list", "--session", &sid], "")
            .contains("three hours")
    );
    let draft = app::drafts::load(&open_vault(&v), sid.parse().unwrap())
        .unwrap()
        .expect("their unsaved draft is kept, anonymised");
    assert_eq!(draft.text, "P01 was about to say it again");
}

#[test]
fn search_never_quotes_a_restricted_person() {
    let (v, _) = project();
    assert!(
        v.ok(&["search", "came", "back"], "")
            .contains("Tesfay came back twice")
    );
    v.ok(&["participant", "restrict", "P01"], "");
    for q in [
        &["search", "came", "back"][..],
        &["search", "Habte"],
        &["search", "calm"],
    ] {
        let o = v.ok(q, "");
        assert!(
            !o.contains("Tesfay") && !o.contains("Habte") && !o.contains("came back"),
            "{q:?} quotes the restricted person:\n{o}"
        );
    }
    // what others said without naming them stays searchable
    assert!(v.ok(&["search", "triage"], "").contains("triage script"));
    v.ok(&["participant", "unrestrict", "P01"], "");
    assert!(
        v.ok(&["search", "came", "back"], "")
            .contains("Tesfay came back twice")
    );
}
