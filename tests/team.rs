//! Team work end to end through the real binary: a lead (Alex) and two members (Bea, Cal),
//! three vaults and one shared folder of bundles, as a team would use them.

mod common;

use std::path::Path;

use common::contains;
use common::team::*;

const BEA_SESSION: &str = "Front desk interviews";
const CAL_SESSION: &str = "Interpreters workshop";
const SPOKEN: &str = "The wait at the front desk was three hours and nobody explained why.";
const OBSERVED: &str = "Observed a queue of twelve people by ten o'clock.";
const LEAFLET: &str = "The leaflet about housing benefit is out of date.";
const CALENDAR: &str = "Staff want a shared calendar for interpreters.";
const REAL_NAME: &str = "Tesfay Habte";

fn refused_with(o: &std::process::Output, needle: &str) {
    assert_eq!(o.status.code(), Some(1), "{}", out_and_err(o));
    assert!(
        out_and_err(o).contains(needle),
        "expected '{needle}' in: {}",
        out_and_err(o)
    );
}

fn sorted(v: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

/// The number of audit events whose line holds `what`.
fn audited(r: &Researcher, what: &str) -> usize {
    r.ok(&["audit"])
        .lines()
        .filter(|l| l.contains(what))
        .count()
}

/// What the audit trail never holds: the notes' words and participants' real names.
fn audit_is_clean(r: &Researcher) {
    let audit = r.ok(&["audit"]);
    for text in [
        SPOKEN,
        OBSERVED,
        LEAFLET,
        CALENDAR,
        REAL_NAME,
        "three hours",
    ] {
        assert!(!audit.contains(text), "{}'s audit holds '{text}'", r.name);
    }
}

#[test]
fn a_team_shares_a_project_notes_tags_and_erasures_through_a_folder() {
    let t = Team::invited();
    let (lead, bea, cal, shared) = (&t.lead, &t.bea, &t.cal, t.shared.as_path());

    // the lead's first bundle is an invitation: refused unless it is accepted
    for m in [bea, cal] {
        let o = m.receive(&[shared], false);
        refused_with(&o, "invites you to project 'F2F' from Alex");
        assert!(out_and_err(&o).contains("--join"));
        assert!(!m.ok(&["project", "list"]).contains(PROJECT));
        let o = m.receive(&[shared], true);
        assert!(o.status.success(), "{}", out_and_err(&o));
        assert!(out_and_err(&o).contains("joined with bundle 1 from Alex"));
        // the project's definition and codebook came with it
        let show = m.ok(&["project", "show", PROJECT]);
        for field in ["6(1)(e) public task", "DPIA-2026-014", "18"] {
            assert!(
                show.contains(field),
                "{}: {field} missing in {show}",
                m.name
            );
        }
        assert!(
            m.ok(&["theme", "list", "--project", PROJECT])
                .contains("Waiting times")
        );
        let members = m.ok(&["team", "members"]);
        for who in ["Alex\tlead", "Bea\tmember", "Cal\tmember"] {
            assert!(members.contains(who), "{}: {members}", m.name);
        }
    }

    // Bea interviews someone; Cal runs a workshop and sends twice
    let sid = bea.add_session(BEA_SESSION);
    let code = bea.v.last_line(
        &[
            "participant",
            "add",
            "--session",
            &sid,
            "--name",
            REAL_NAME,
            "--role",
            "resident",
        ],
        "",
    );
    assert_eq!(
        code, "P2-01",
        "Bea, the second member, numbers her participants P2-nn"
    );
    bea.add_note(&sid, Some("P2-01"), SPOKEN);
    bea.add_note(&sid, None, OBSERVED);
    assert!(bea.send(shared).contains("Wrote bundle 1"));
    let sid = cal.add_session(CAL_SESSION);
    cal.add_note(&sid, None, LEAFLET);
    assert!(cal.send(shared).contains("Wrote bundle 1"));
    cal.add_note(&sid, None, CALENDAR);
    assert!(cal.send(shared).contains("Wrote bundle 2"));
    let status = lead.ok(&["team", "status"]);
    assert!(status.contains("Received: nothing yet"), "{status}");

    // the lead takes the whole folder: its own bundle is skipped, the rest applies
    let got = lead.receive_ok(&[shared]);
    assert_eq!(got.lines().count(), 3, "{got}");
    assert!(got.contains("bundle 1 from Bea") && got.contains("bundle 2 from Cal"));
    let all = sorted(&[SPOKEN, OBSERVED, LEAFLET, CALENDAR]);
    assert_eq!(lead.note_texts(), all);
    assert!(
        lead.ok(&["participant", "list", "--project", PROJECT])
            .contains(REAL_NAME)
    );
    let receipts = audited(lead, "team receive");
    assert_eq!(receipts, 3);
    // the same folder again: nothing to do
    let again = lead.receive_ok(&[shared]);
    assert_eq!(again.matches("already received").count(), 3, "{again}");
    assert_eq!(lead.note_texts(), all);
    assert_eq!(audited(lead, "team receive"), receipts);
    let status = lead.ok(&["team", "status"]);
    assert!(
        status.contains("Received from Bea: up to bundle 1"),
        "{status}"
    );
    assert!(
        status.contains("Received from Cal: up to bundle 2"),
        "{status}"
    );

    // Cal's bundles given the wrong way round: the later one waits for the earlier one
    let mut cals = bundles_from(shared, cal);
    assert_eq!(cals.len(), 2);
    cals.reverse();
    let got = bea.receive_ok(&[&cals[0], &cals[1]]);
    assert!(got.contains("bundle 2 from Cal") && got.contains("bundle 1 from Cal"));
    assert_eq!(bea.note_texts(), all);
    cal.receive_ok(&[shared]);
    assert_eq!(cal.note_texts(), all);

    // the lead codes the notes; the tags travel
    let spoken = lead.note(SPOKEN)["id"].to_string();
    let calendar = lead.note(CALENDAR)["id"].to_string();
    lead.ok(&["tag", "--note", &spoken, "--theme", "Waiting times"]);
    lead.ok(&["tag", "--note", &calendar, "--theme", "Interpreting"]);
    let status = lead.ok(&["team", "status"]);
    assert!(!status.contains("To send: 0 changes"), "{status}");
    assert!(lead.send(shared).contains("Wrote bundle 2"));
    assert!(lead.ok(&["team", "status"]).contains("To send: 0 changes"));
    for m in [bea, cal] {
        m.receive_ok(&[shared]);
        assert_eq!(
            m.note(SPOKEN)["themes"],
            serde_json::json!(["Waiting times"])
        );
        assert_eq!(
            m.note(CALENDAR)["themes"],
            serde_json::json!(["Interpreting"])
        );
        assert!(
            m.ok(&["theme", "list", "--project", PROJECT])
                .contains("Interpreting")
        );
    }

    // the lead erases: P2-01 withdraws (what they said goes) and Cal's leaflet note goes
    lead.ok(&[
        "participant",
        "withdraw",
        "P2-01",
        "--project",
        PROJECT,
        "--erase",
        "--yes",
    ]);
    let leaflet = lead.note(LEAFLET)["id"].to_string();
    lead.ok(&["erase", "--note", &leaflet, "--yes"]);
    assert!(lead.send(shared).contains("Wrote bundle 3"));
    for m in [bea, cal] {
        let got = m.receive_ok(&[shared]);
        assert!(got.contains("erasures applied"), "{}: {got}", m.name);
    }
    let left = sorted(&[OBSERVED, CALENDAR]);
    for m in [lead, bea, cal] {
        assert_eq!(m.note_texts(), left, "{}", m.name);
        for words in ["three hours", "leaflet"] {
            let found = m.ok(&["search", words, "--project", PROJECT]);
            assert!(found.trim().is_empty(), "{}: search finds {found}", m.name);
        }
        let found = m.ok(&["search", "calendar", "--project", PROJECT]);
        assert!(found.contains(CALENDAR), "{}: search finds {found}", m.name);
        assert!(
            !m.ok(&["participant", "list", "--project", PROJECT])
                .contains(REAL_NAME)
        );
        let pages = m.v.decrypted_pages();
        assert!(
            contains(&pages, CALENDAR.as_bytes()),
            "{}: the scan sees the notes that remain",
            m.name
        );
        for gone in [SPOKEN, LEAFLET, REAL_NAME] {
            assert!(
                !contains(&pages, gone.as_bytes()),
                "{}: '{gone}' survives in the vault's pages",
                m.name
            );
        }
        audit_is_clean(m);
    }
    // an old bundle received again brings nothing back
    let old = bundles_from(shared, bea);
    let got = lead.receive_ok(&[&old[0]]);
    assert!(got.contains("already received"), "{got}");
    assert_eq!(lead.note_texts(), left);

    let audit = lead.ok(&["audit"]);
    for event in ["team send", "team receive", "team member add", "team join"] {
        assert!(audit.contains(event), "lead's audit lacks {event}: {audit}");
    }
    assert!(bea.ok(&["audit"]).contains("team join"));
}

/// Copies `file` into `dir` with one byte of its encrypted payload flipped, and again cut
/// short; returns both.
fn damaged_copies(file: &Path, dir: &Path) -> [std::path::PathBuf; 2] {
    std::fs::create_dir_all(dir).unwrap();
    let bytes = std::fs::read(file).unwrap();
    let mut flipped = bytes.clone();
    let at = bytes.len() - 40;
    flipped[at] ^= 0x20;
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let a = dir.join(format!("flipped-{name}"));
    let b = dir.join(format!("cut-{name}"));
    std::fs::write(&a, flipped).unwrap();
    std::fs::write(&b, &bytes[..bytes.len() * 2 / 3]).unwrap();
    [a, b]
}

#[test]
fn removed_members_damaged_files_and_other_teams_bundles_are_refused() {
    let t = Team::joined();
    let (lead, bea, cal, shared) = (&t.lead, &t.bea, &t.cal, t.shared.as_path());
    let sid = bea.add_session(BEA_SESSION);
    bea.add_note(&sid, None, OBSERVED);
    bea.send(shared);
    lead.receive_ok(&[shared]);
    cal.receive_ok(&[shared]);

    // the lead removes Cal; the next bundle is not for Cal
    let removed = lead.ok(&["team", "remove", "Cal"]);
    assert!(removed.contains("Removed Cal"), "{removed}");
    let sent = lead.send(shared);
    assert!(sent.contains("Wrote bundle 2"), "{sent}");
    assert!(sent.contains("Encrypted to: Bea\n"), "{sent}");
    let from_lead = bundles_from(shared, lead);
    let second = &from_lead[1];

    // damaged copies of it are refused and change nothing
    let before = (
        bea.note_texts(),
        bea.ok(&["team", "members"]),
        bea.ok(&["team", "status"]),
    );
    let bad = t.lead.v.tmp.path().join("bad");
    for copy in damaged_copies(second, &bad) {
        let o = bea.receive(&[&copy], false);
        refused_with(&o, "damaged, cut short or altered");
        refused_with(&o, "nothing was applied");
        let after = (
            bea.note_texts(),
            bea.ok(&["team", "members"]),
            bea.ok(&["team", "status"]),
        );
        assert_eq!(after, before, "a damaged bundle changed something");
    }
    assert_eq!(audited(bea, "team bundle refused"), 2);

    // Bea takes the real one; Cal cannot open it
    bea.receive_ok(&[second]);
    let members = bea.ok(&["team", "members"]);
    assert!(
        members
            .lines()
            .any(|l| l.starts_with("Cal\t") && l.contains("removed")),
        "{members}"
    );
    let o = cal.receive(&[second], false);
    refused_with(&o, "not addressed to this vault");
    refused_with(&o, "fieldnotes team id");

    // Cal does not know yet and sends: every vault refuses it
    let sid = cal.add_session(CAL_SESSION);
    cal.add_note(&sid, None, LEAFLET);
    let sent = cal.send(shared);
    assert!(sent.contains("Wrote bundle 1"), "{sent}");
    let cals = bundles_from(shared, cal);
    for m in [lead, bea] {
        let o = m.receive(&[&cals[0]], false);
        refused_with(&o, "Cal, who was removed from the team on");
        assert_eq!(m.note_texts(), vec![OBSERVED.to_owned()], "{}", m.name);
        // the folder as a whole: the rest applies, Cal's is refused, the exit says so
        let o = m.receive(&[shared], false);
        refused_with(&o, "was removed from the team");
        refused_with(&o, "1 of the bundles given could not be applied");
        assert_eq!(m.note_texts(), vec![OBSERVED.to_owned()], "{}", m.name);
    }

    // another team's bundles: Dana leads project Other and invites Bea
    let dana = Researcher::new("Dana");
    let elsewhere = dana.v.tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    dana.ok(&["project", "add", "Other"]);
    dana.ok(&["team", "init", "--name", "Dana"]);
    dana.ok(&["team", "add", "Bea", &bea.key()]);
    dana.send(&elsewhere);
    dana.ok(&["theme", "add", "Parking"]);
    dana.send(&elsewhere);
    let others = bundles_in(&elsewhere);
    assert_eq!(others.len(), 2);
    let before = (bea.note_texts(), bea.ok(&["project", "list"]));
    refused_with(
        &bea.receive(&[&others[1]], false),
        "which this vault has not joined",
    );
    refused_with(
        &bea.receive(&[&others[0]], false),
        "invites you to project 'Other' from Dana",
    );
    refused_with(
        &lead.receive(&[&others[0]], false),
        "not addressed to this vault",
    );
    assert_eq!((bea.note_texts(), bea.ok(&["project", "list"])), before);
    assert!(!before.1.contains("Other"));

    // the status and the audit trails tell what happened, without the notes' words
    let status = bea.ok(&["team", "status"]);
    assert!(
        status.contains("Received from Alex: up to bundle 2"),
        "{status}"
    );
    let audit = lead.ok(&["audit"]);
    for event in [
        "team send",
        "team receive",
        "team member add",
        "team member remove",
        "team bundle refused",
    ] {
        assert!(audit.contains(event), "lead's audit lacks {event}: {audit}");
    }
    for m in [lead, bea, cal] {
        audit_is_clean(m);
    }
}
