//! Three vaults (in memory) exchanging bundles through a folder.

use std::path::{Path, PathBuf};

use super::*;
use crate::mentions::AnonymiserNames;
use crate::model::{NoteKind, PaperOrigin, SessionKind, Source};
use crate::store::{NewNote, NewParticipant, NewProject, NewSession};

pub(crate) struct Desk {
    pub store: Store,
}

pub(crate) fn desk() -> Desk {
    Desk {
        store: Store::open_in_memory().unwrap(),
    }
}

impl Desk {
    pub fn key(&self) -> Recipient {
        me(&self.store).unwrap().public_key.parse().unwrap()
    }

    pub fn send(&self, dir: &Path) -> Option<PathBuf> {
        send(&self.store, "F2F", dir).unwrap().map(|o| o.file)
    }

    pub fn receive(&self, file: &Path) -> Result<Incoming> {
        let bytes = std::fs::read(file).unwrap();
        receive(&self.store, &bytes, &[], true, &AnonymiserNames)
    }

    pub fn session(&self, title: &str) -> i64 {
        self.store
            .session_add(NewSession {
                project: "F2F".into(),
                kind: SessionKind::Interview,
                title: title.into(),
                date: None,
                location: None,
                source: Source::Live,
                paper: PaperOrigin::default(),
                facilitators: vec!["Researcher".into()],
            })
            .unwrap()
    }

    pub fn participant(&self, session: i64, name: &str, code: &str) -> String {
        self.store
            .participant_add(
                session,
                NewParticipant {
                    real_name: name.into(),
                    role: Some("security".into()),
                    consent: None,
                    consent_date: None,
                    consent_form: None,
                    pseudonym: Some(code.into()),
                    ..NewParticipant::default()
                },
            )
            .unwrap()
    }

    pub fn note(&self, session: i64, speaker: Option<&str>, text: &str, themes: &[&str]) -> i64 {
        self.store
            .note_add(NewNote {
                session_id: session,
                speaker: speaker.map(str::to_owned),
                kind: NoteKind::Paraphrase,
                text: text.into(),
                special_category: false,
                criminal_offence: false,
                themes: themes.iter().map(|t| (*t).to_owned()).collect(),
                at_ms: 1_700_000_000_000,
                cluster: None,
                page: None,
                question_id: None,
            })
            .unwrap()
    }

    /// Every note's text in the project, sorted.
    pub fn texts(&self) -> Vec<String> {
        let mut st = self
            .store
            .conn()
            .prepare("SELECT text FROM note ORDER BY text")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// Theme names, sorted.
    pub fn themes(&self) -> Vec<String> {
        let mut t: Vec<String> = self
            .store
            .themes("F2F")
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect();
        t.sort();
        t
    }
}

/// A lead with a project and two members who joined from the lead's first bundle.
pub(crate) fn team(dir: &Path) -> [Desk; 3] {
    let lead = desk();
    lead.store
        .project_add(NewProject {
            name: "F2F".into(),
            lawful_basis: Some("6(1)(e)".into()),
            dpia_ref: Some("DPIA-7".into()),
            retention_months: Some(24),
            ..Default::default()
        })
        .unwrap();
    lead.store
        .theme_add("F2F", "Waiting", None, None, None)
        .unwrap();
    init(&lead.store, "F2F", "Alex").unwrap();
    let (b, c) = (desk(), desk());
    add_member(&lead.store, "F2F", "Bea", &b.key()).unwrap();
    add_member(&lead.store, "F2F", "Cal", &c.key()).unwrap();
    let first = lead.send(dir).unwrap();
    for m in [&b, &c] {
        let got = m.receive(&first).unwrap();
        assert!(got.joined);
        assert_eq!(got.project, "F2F");
    }
    [lead, b, c]
}

#[test]
fn a_member_joins_with_the_project_definition_and_codebook() {
    let dir = tempfile::tempdir().unwrap();
    let [_lead, b, _c] = team(dir.path());
    let p = b.store.project("F2F").unwrap();
    assert_eq!(p.lawful_basis.as_deref(), Some("6(1)(e)"));
    assert_eq!(p.dpia_ref.as_deref(), Some("DPIA-7"));
    assert_eq!(p.retention_months, Some(24));
    assert_eq!(b.themes(), ["Waiting"]);
    let team = members(&b.store, "F2F").unwrap();
    assert_eq!(team.len(), 3);
    assert_eq!(team[0].name, "Alex");
    assert_eq!(team[0].role, Role::Lead);
}

#[test]
fn an_invitation_is_refused_without_join_and_says_from_whom() {
    let dir = tempfile::tempdir().unwrap();
    let lead = desk();
    lead.store
        .project_add(NewProject {
            name: "F2F".into(),
            ..Default::default()
        })
        .unwrap();
    init(&lead.store, "F2F", "Alex").unwrap();
    let b = desk();
    add_member(&lead.store, "F2F", "Bea", &b.key()).unwrap();
    let f = lead.send(dir.path()).unwrap();
    let bytes = std::fs::read(&f).unwrap();
    let e = receive(&b.store, &bytes, &[], false, &AnonymiserNames).unwrap_err();
    assert!(matches!(e, TeamError::Invitation { .. }), "{e}");
    assert!(e.to_string().contains("Alex"), "{e}");
    assert!(b.store.projects().unwrap().is_empty());
}

#[test]
fn notes_travel_to_every_member_and_receiving_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let [lead, b, c] = team(dir.path());
    let s = b.session("Front desk");
    b.participant(s, "Aisha Khan", "P01");
    b.note(s, Some("P01"), "The queue was long", &["Waiting"]);
    b.note(s, None, "Security walked over", &["Escalation"]);
    let f = b.send(dir.path()).unwrap();
    for m in [&lead, &c] {
        let got = m.receive(&f).unwrap();
        assert!(got.applied >= 6, "{got:?}");
        assert_eq!(m.texts(), ["Security walked over", "The queue was long"]);
        assert_eq!(m.themes(), ["Escalation", "Waiting"]);
        let again = m.receive(&f).unwrap();
        assert!(again.already);
    }
    // the participant, with their pseudonym, is one person everywhere
    let p = lead.store.participant("F2F", "P01").unwrap();
    assert_eq!(p.real_name.as_deref(), Some("Aisha Khan"));
    // nothing changed in B since: no bundle
    assert!(b.send(dir.path()).is_none());
}

#[test]
fn a_later_bundle_waits_for_the_earlier_one_and_both_apply_in_either_order() {
    let dir = tempfile::tempdir().unwrap();
    let [lead, b, _c] = team(dir.path());
    let s = b.session("One");
    b.note(s, None, "first", &[]);
    let f1 = b.send(dir.path()).unwrap();
    b.note(s, None, "second", &[]);
    let f2 = b.send(dir.path()).unwrap();
    let e = lead.receive(&f2).unwrap_err();
    assert!(
        matches!(
            e,
            TeamError::Gap {
                missing: 1,
                got: 2,
                ..
            }
        ),
        "{e}"
    );
    assert!(lead.texts().is_empty());
    lead.receive(&f1).unwrap();
    lead.receive(&f2).unwrap();
    assert_eq!(lead.texts(), ["first", "second"]);
}

#[test]
fn a_theme_made_twice_is_one_theme_and_a_rename_is_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let [lead, b, c] = team(dir.path());
    b.store
        .theme_add("F2F", "Queue length", None, None, None)
        .unwrap();
    c.store
        .theme_add("F2F", "Queue length", None, None, None)
        .unwrap();
    let fb = b.send(dir.path()).unwrap();
    let fc = c.send(dir.path()).unwrap();
    for (m, files) in [(&lead, [&fb, &fc]), (&b, [&fc, &fc]), (&c, [&fb, &fb])] {
        for f in files {
            m.receive(f).unwrap();
        }
        assert_eq!(m.themes(), ["Queue length", "Waiting"]);
    }
    lead.store
        .theme_rename("F2F", "Queue length", "Queues")
        .unwrap();
    let f = lead.send(dir.path()).unwrap();
    b.receive(&f).unwrap();
    c.receive(&f).unwrap();
    assert_eq!(b.themes(), ["Queues", "Waiting"]);
    assert_eq!(c.themes(), ["Queues", "Waiting"]);
}

#[test]
fn an_erasure_travels_and_an_old_bundle_never_brings_the_note_back() {
    let dir = tempfile::tempdir().unwrap();
    let [lead, b, c] = team(dir.path());
    let s = b.session("One");
    let n = b.note(s, None, "Told me her flat number is 12", &[]);
    b.note(s, None, "kept", &[]);
    let f1 = b.send(dir.path()).unwrap();
    lead.receive(&f1).unwrap();
    b.store.erase_note(n, "erase").unwrap();
    let f2 = b.send(dir.path()).unwrap();
    lead.receive(&f2).unwrap();
    assert_eq!(lead.texts(), ["kept"]);
    // C hears of the erasure first, then gets the older bundle from the lead's full resend
    c.receive(&f1).unwrap();
    c.receive(&f2).unwrap();
    assert_eq!(c.texts(), ["kept"]);
    let d = desk();
    add_member(&lead.store, "F2F", "Dee", &d.key()).unwrap();
    let full = lead.send(dir.path()).unwrap();
    d.receive(&full).unwrap();
    assert_eq!(d.texts(), ["kept"]);
    // and B's first bundle, which D cannot read, is not needed
    assert!(matches!(d.receive(&f1), Err(TeamError::NotForUs)));
}

#[test]
fn an_erasure_made_anywhere_reaches_the_author_and_late_copies_are_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let [lead, b, c] = team(dir.path());
    let s = b.session("One");
    b.participant(s, "Aisha Khan", "P01");
    b.note(s, Some("P01"), "Aisha said she slept in her car", &[]);
    b.note(s, None, "the door was locked", &[]);
    let f1 = b.send(dir.path()).unwrap();
    lead.receive(&f1).unwrap();
    // the lead records her withdrawal, with erasure
    lead.store
        .withdraw("F2F", "P01", true, &AnonymiserNames)
        .unwrap();
    let fl = lead.send(dir.path()).unwrap();
    b.receive(&fl).unwrap();
    assert_eq!(b.texts(), ["the door was locked"]);
    // C gets the lead's erasure before B's older bundle
    c.receive(&fl).unwrap();
    c.receive(&f1).unwrap();
    assert_eq!(c.texts(), ["the door was locked"]);
    for m in [&lead, &b, &c] {
        let p = m.store.participant("F2F", "P01").unwrap();
        assert_eq!(p.real_name, None);
        assert!(p.withdrawn_on.is_some());
    }
}

#[test]
fn a_removed_member_cannot_read_new_bundles_and_their_bundles_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let [lead, b, c] = team(dir.path());
    remove_member(&lead.store, "F2F", "Cal").unwrap();
    let s = lead.session("After");
    lead.note(s, None, "new", &[]);
    let f = lead.send(dir.path()).unwrap();
    assert!(matches!(c.receive(&f), Err(TeamError::NotForUs)));
    b.receive(&f).unwrap();
    assert_eq!(b.texts(), ["new"]);
    // Cal's later bundle is refused by every vault that knows of the removal
    let s = c.session("Cal's");
    c.note(s, None, "from cal", &[]);
    let fc = c.send(dir.path()).unwrap();
    for m in [&lead, &b] {
        let e = m.receive(&fc).unwrap_err();
        assert!(
            matches!(
                e,
                TeamError::NotAMember {
                    removed_on: Some(_),
                    ..
                }
            ),
            "{e}"
        );
    }
}

#[test]
fn an_altered_or_cut_bundle_is_refused_and_nothing_is_applied() {
    let dir = tempfile::tempdir().unwrap();
    let [_lead, b, c] = team(dir.path());
    let s = b.session("One");
    b.note(s, None, "x", &[]);
    let f = b.send(dir.path()).unwrap();
    let bytes = std::fs::read(&f).unwrap();
    for cut in [bytes.len() - 1, bytes.len() / 2, 10] {
        let e = receive(&c.store, &bytes[..cut], &[], true, &AnonymiserNames).unwrap_err();
        assert!(
            matches!(e, TeamError::Damaged(_) | TeamError::NotForUs),
            "{e}"
        );
    }
    let mut flipped = bytes.clone();
    let at = flipped.len() - 40;
    flipped[at] ^= 0x20;
    let e = receive(&c.store, &flipped, &[], true, &AnonymiserNames).unwrap_err();
    assert!(matches!(e, TeamError::Damaged(_)), "{e}");
    assert!(c.texts().is_empty());
    c.receive(&f).unwrap();
    assert_eq!(c.texts(), ["x"]);
}

#[test]
fn a_bundle_forged_by_an_outsider_with_the_members_keys_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let [lead, b, _c] = team(dir.path());
    // an outsider knows the public keys and the project id, but not the team key
    let outsider = desk();
    outsider
        .store
        .project_add(NewProject {
            name: "F2F".into(),
            ..Default::default()
        })
        .unwrap();
    let uid: String = lead
        .store
        .conn()
        .query_row("SELECT uid FROM project", [], |r| r.get(0))
        .unwrap();
    outsider
        .store
        .conn()
        .execute("UPDATE project SET uid = ?1", [&uid])
        .unwrap();
    init(&outsider.store, "F2F", "Alex").unwrap();
    add_member(&outsider.store, "F2F", "Bea", &b.key()).unwrap();
    let s = outsider.session("Fake");
    outsider.note(s, None, "planted", &[]);
    let f = outsider.send(dir.path()).unwrap();
    let e = b.receive(&f).unwrap_err();
    assert!(
        matches!(e, TeamError::NotAMember { .. } | TeamError::Forged(_)),
        "{e}"
    );
    assert!(b.texts().is_empty());
}

#[test]
fn the_same_memo_edited_in_two_vaults_keeps_both_and_shows_the_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let [lead, b, _c] = team(dir.path());
    lead.store
        .theme_set("F2F", "Waiting", None, Some("Lead's memo"), None)
        .ok();
    b.store
        .theme_set("F2F", "Waiting", None, Some("Bea's memo"), None)
        .ok();
    let fl = lead.send(dir.path()).unwrap();
    let fb = b.send(dir.path()).unwrap();
    lead.receive(&fb).unwrap();
    b.receive(&fl).unwrap();
    let st = status(&lead.store, "F2F").unwrap();
    let all: String = st
        .conflicts
        .iter()
        .map(|c| format!("{} | {}", c.kept, c.other))
        .collect();
    let st_b = status(&b.store, "F2F").unwrap();
    let all_b: String = st_b
        .conflicts
        .iter()
        .map(|c| format!("{} | {}", c.kept, c.other))
        .collect();
    let both = format!("{all} {all_b}");
    assert!(
        both.contains("Lead's memo") && both.contains("Bea's memo"),
        "{both}"
    );
    // after one more exchange, both vaults hold the same value
    for _ in 0..2 {
        if let Some(f) = lead.send(dir.path()) {
            b.receive(&f).unwrap();
        }
        if let Some(f) = b.send(dir.path()) {
            lead.receive(&f).unwrap();
        }
    }
    let memo = |d: &Desk| {
        d.store
            .conn()
            .query_row(
                "SELECT description FROM theme WHERE name = 'Waiting'",
                [],
                |r| r.get::<_, Option<String>>(0),
            )
            .unwrap()
    };
    assert_eq!(memo(&lead), memo(&b));
}

#[test]
fn a_theme_merge_is_replayed_and_codings_made_meanwhile_follow_it() {
    let dir = tempfile::tempdir().unwrap();
    let [lead, b, _c] = team(dir.path());
    lead.store
        .theme_add("F2F", "Queues", None, None, None)
        .unwrap();
    let s = b.session("One");
    let n1 = b.note(s, None, "long queue", &["Waiting"]);
    let f = b.send(dir.path()).unwrap();
    lead.receive(&f).unwrap();
    let f = lead.send(dir.path()).unwrap();
    b.receive(&f).unwrap();
    // B codes another note with Queues while the lead merges Queues into Waiting
    let n2 = b.note(s, None, "queue again", &["Queues"]);
    b.store.tag(n1, "Queues", None).unwrap();
    lead.store.theme_merge("F2F", "Queues", "Waiting").unwrap();
    let fl = lead.send(dir.path()).unwrap();
    let fb = b.send(dir.path()).unwrap();
    b.receive(&fl).unwrap();
    lead.receive(&fb).unwrap();
    for d in [&lead, &b] {
        assert_eq!(d.themes(), ["Waiting"]);
        let tagged: Vec<String> = d
            .store
            .tag_rows("F2F")
            .unwrap()
            .into_iter()
            .map(|t| t.theme)
            .collect();
        assert!(tagged.iter().all(|t| t == "Waiting"), "{tagged:?}");
        let n: i64 = d
            .store
            .conn()
            .query_row(
                "SELECT count(DISTINCT note_id) FROM tag JOIN theme h ON h.id = tag.theme_id
                 WHERE h.name = 'Waiting'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 2, "both notes coded Waiting");
    }
    let _ = n2;
}

#[test]
fn a_person_interviewed_by_two_researchers_is_linked_to_one_participant_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let [lead, b, c] = team(dir.path());
    let sb = b.session("B's interview");
    b.participant(sb, "Sam Reid", "B01");
    b.note(sb, Some("B01"), "first visit", &[]);
    let sc = c.session("C's interview");
    c.participant(sc, "Sam Reid", "C01");
    c.note(sc, Some("C01"), "second visit", &[]);
    for f in [b.send(dir.path()).unwrap(), c.send(dir.path()).unwrap()] {
        lead.receive(&f).unwrap();
    }
    lead.store.participant_link("F2F", "C01", "B01").unwrap();
    let fl = lead.send(dir.path()).unwrap();
    // each gets the lead's bundle before the other member's
    let from = |d: &Desk| {
        let m = me(&d.store).unwrap().member;
        std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains(&m))
            .collect::<Vec<_>>()
    };
    b.receive(&fl).unwrap();
    assert!(status_waiting(&b) > 0, "C's note waits for C's session");
    for f in from(&c) {
        b.receive(&f).unwrap();
    }
    assert_eq!(status_waiting(&b), 0);
    c.receive(&fl).unwrap();
    for f in from(&b) {
        c.receive(&f).unwrap();
    }
    for d in [&lead, &b, &c] {
        let codes: Vec<String> = d
            .store
            .participants_of_project("F2F")
            .unwrap()
            .into_iter()
            .map(|p| p.pseudonym)
            .collect();
        assert_eq!(codes, ["B01"]);
        let speakers: i64 = d
            .store
            .conn()
            .query_row(
                "SELECT count(*) FROM note n JOIN participant p ON p.id = n.speaker_participant_id
                 WHERE p.pseudonym = 'B01'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(speakers, 2);
    }
}

fn status_waiting(d: &Desk) -> i64 {
    d.store
        .conn()
        .query_row("SELECT count(*) FROM team_waiting", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn each_vault_numbers_new_pseudonyms_in_its_own_range() {
    let dir = tempfile::tempdir().unwrap();
    let [lead, b, c] = team(dir.path());
    let mut codes = Vec::new();
    for d in [&lead, &b, &c] {
        let s = d.session("x");
        for name in ["One Person", "Two Person"] {
            codes.push(
                d.store
                    .participant_add(
                        s,
                        NewParticipant {
                            real_name: name.into(),
                            role: None,
                            consent: None,
                            consent_date: None,
                            consent_form: None,
                            pseudonym: None,
                            ..NewParticipant::default()
                        },
                    )
                    .unwrap(),
            );
        }
    }
    assert_eq!(
        codes,
        ["P1-01", "P1-02", "P2-01", "P2-02", "P3-01", "P3-02"]
    );
}

#[test]
fn dot_votes_given_in_several_vaults_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let [lead, b, c] = team(dir.path());
    let s = b.session("Workshop");
    let idea = b.note(s, None, "A greeter at the door", &[]);
    b.store.note_vote(idea, 1).unwrap();
    b.store.note_vote(idea, 1).unwrap();
    let f = b.send(dir.path()).unwrap();
    lead.receive(&f).unwrap();
    c.receive(&f).unwrap();
    let id_at = |d: &Desk| -> i64 {
        d.store
            .conn()
            .query_row("SELECT id FROM note", [], |r| r.get(0))
            .unwrap()
    };
    lead.store.note_vote(id_at(&lead), 1).unwrap();
    for _ in 0..3 {
        c.store.note_vote(id_at(&c), 1).unwrap();
    }
    let fl = lead.send(dir.path()).unwrap();
    let fc = c.send(dir.path()).unwrap();
    for (d, files) in [(&lead, vec![&fc]), (&b, vec![&fl, &fc]), (&c, vec![&fl])] {
        for f in files {
            d.receive(f).unwrap();
        }
        let votes = d.store.note(id_at(d)).unwrap().votes;
        assert_eq!(votes, 6, "2 + 1 + 3 everywhere");
    }
    // nobody's vote counts twice after more rounds
    for d in [&lead, &b, &c] {
        if let Some(f) = d.send(dir.path()) {
            for o in [&lead, &b, &c] {
                let _ = o.receive(&f);
            }
        }
    }
    for d in [&lead, &b, &c] {
        assert_eq!(d.store.note(id_at(d)).unwrap().votes, 6);
    }
}

#[test]
fn a_note_typed_in_another_vault_is_theirs_to_change() {
    let dir = tempfile::tempdir().unwrap();
    let [lead, b, _c] = team(dir.path());
    let s = b.session("One");
    let n = b.note(s, None, "the queue", &[]);
    let f = b.send(dir.path()).unwrap();
    lead.receive(&f).unwrap();
    let at_lead: i64 = lead
        .store
        .conn()
        .query_row("SELECT id FROM note", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        typed_elsewhere(&lead.store, at_lead).unwrap().as_deref(),
        Some("Bea")
    );
    assert_eq!(typed_elsewhere(&b.store, n).unwrap(), None);
    // a vault that never joined a team gets no team key from asking
    let solo = desk();
    assert_eq!(typed_elsewhere(&solo.store, 1).unwrap(), None);
    assert_eq!(solo.store.setting("team identity").unwrap(), None);
}

#[test]
#[allow(clippy::disallowed_methods)] // a database at the previous schema, in memory
fn a_vault_from_before_team_work_migrates_and_its_rows_travel() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    crate::store::schema::migrate_to(&mut conn, 6).unwrap();
    conn.execute_batch(
        "INSERT INTO project (id, name, created_at) VALUES (1, 'F2F', '2025-01-01T00:00:00Z');
         INSERT INTO session (id, project_id, kind, title, source, created_at)
           VALUES (1, 1, 'interview', 'Old session', 'live', '2025-01-02T00:00:00Z');
         INSERT INTO participant (id, project_id, pseudonym, real_name, created_at)
           VALUES (1, 1, 'P01', 'Old Person', '2025-01-02T00:00:00Z');
         INSERT INTO note (session_id, position, created_at_ms, speaker_participant_id, kind, text, updated_at_ms)
           VALUES (1, 1, 1, 1, 'paraphrase', 'typed before teams existed', 1);",
    )
    .unwrap();
    let lead = Desk {
        store: Store::new(conn).unwrap(),
    };
    assert_eq!(
        crate::store::schema::version(lead.store.conn()).unwrap(),
        crate::store::schema::LATEST
    );
    init(&lead.store, "F2F", "Alex").unwrap();
    let b = desk();
    add_member(&lead.store, "F2F", "Bea", &b.key()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let f = lead.send(dir.path()).unwrap();
    b.receive(&f).unwrap();
    assert_eq!(b.texts(), ["typed before teams existed"]);
    let p = b.store.participant("F2F", "P01").unwrap();
    assert_eq!(p.real_name.as_deref(), Some("Old Person"));
    // every travelling row of the old vault now has an identity
    let missing: i64 = lead
        .store
        .conn()
        .query_row(
            "SELECT (SELECT count(*) FROM note WHERE uid IS NULL)
                  + (SELECT count(*) FROM session WHERE uid IS NULL)
                  + (SELECT count(*) FROM participant WHERE uid IS NULL)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(missing, 0);
}

#[test]
fn a_withdrawal_replaces_the_name_in_a_note_typed_elsewhere_before_it_came() {
    let dir = tempfile::tempdir().unwrap();
    let [lead, b, c] = team(dir.path());
    let s = b.session("One");
    b.participant(s, "Priyanka Ramaswamy", "B01");
    b.participant(s, "Sam Other", "B02");
    b.note(s, Some("B01"), "I was there at nine", &[]);
    let f1 = b.send(dir.path()).unwrap();
    lead.receive(&f1).unwrap();
    lead.store
        .withdraw("F2F", "B01", true, &AnonymiserNames)
        .unwrap();
    let fl = lead.send(dir.path()).unwrap();
    // typed at Bea's before the withdrawal reached her
    b.note(
        s,
        Some("B02"),
        "Officer said Priyanka Ramaswamy's case is escalated",
        &[],
    );
    b.receive(&fl).unwrap();
    let fb = b.send(dir.path()).unwrap();
    lead.receive(&fb).unwrap();
    for f in [&f1, &fl, &fb] {
        c.receive(f).unwrap();
    }
    for d in [&lead, &b, &c] {
        let all = d.texts().join(" | ");
        assert!(!all.contains("Priyanka"), "{all}");
        assert!(all.contains("B01's case is escalated"), "{all}");
        assert!(!all.contains("I was there at nine"), "{all}");
    }
}

#[test]
fn people_mentioned_get_pseudonyms_in_each_vaults_own_range_too() {
    let dir = tempfile::tempdir().unwrap();
    let [lead, b, _c] = team(dir.path());
    let a = lead.store.person_add("F2F", "Yusuf Demir", None).unwrap();
    let g = b.store.person_add("F2F", "Gordon Pettigrew", None).unwrap();
    assert_eq!((a.as_str(), g.as_str()), ("Person 1-A", "Person 2-A"));
    let fb = b.send(dir.path()).unwrap();
    lead.receive(&fb).unwrap();
    let codes: Vec<String> = lead
        .store
        .people_mentioned("F2F")
        .unwrap()
        .into_iter()
        .map(|p| p.pseudonym)
        .collect();
    assert_eq!(codes.len(), 2);
    assert!(codes.iter().all(|c| !c.contains("from")), "{codes:?}");
}

#[test]
fn received_notes_are_found_by_search_and_the_index_stays_sound() {
    let dir = tempfile::tempdir().unwrap();
    let [lead, b, _c] = team(dir.path());
    let s = b.session("One");
    for i in 0..30 {
        b.note(s, None, &format!("queue number{i} at the desk"), &[]);
    }
    let n = b.note(s, None, "erased later", &[]);
    let f1 = b.send(dir.path()).unwrap();
    b.store.erase_note(n, "erase").unwrap();
    b.note(s, None, "zebra crossing", &[]);
    let f2 = b.send(dir.path()).unwrap();
    lead.receive(&f1).unwrap();
    lead.receive(&f2).unwrap();
    let c = lead.store.conn();
    let hits = |q: &str| -> i64 {
        c.query_row(
            "SELECT count(*) FROM note_fts WHERE note_fts MATCH ?1",
            [q],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(hits("queue"), 30);
    assert_eq!(hits("zebra"), 1);
    assert_eq!(hits("erased"), 0);
    c.execute(
        "INSERT INTO note_fts (note_fts, rank) VALUES ('integrity-check', 1)",
        [],
    )
    .unwrap();
    // the trigger that indexes a note typed here is back
    let mine = lead.session("Lead's own");
    lead.note(mine, None, "kangaroo", &[]);
    assert_eq!(hits("kangaroo"), 1);
}
