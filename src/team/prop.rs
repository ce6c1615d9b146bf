//! Convergence: three vaults make random edits and exchange their bundles in random orders,
//! late, twice or before an earlier one; once everyone has sent and received everything, the
//! three hold the same project, and nothing erased is left anywhere.

use std::collections::BTreeMap;
use std::path::PathBuf;

use proptest::prelude::*;

use super::tests::{Desk, team};
use super::*;
use crate::mentions::AnonymiserNames;
use crate::model::NoteKind;
use crate::store::NewNote;

const THEMES: [&str; 5] = ["Waiting", "Queues", "Doors", "Staff", "Signs"];

/// One step of the run. Numbers pick among what the vault holds when the step runs.
#[derive(Debug, Clone)]
enum Op {
    Session(usize),
    Participant(usize, u8),
    Note {
        at: usize,
        session: u8,
        speaker: Option<u8>,
        idea: bool,
        themes: Vec<u8>,
    },
    Tag(usize, u8, u8),
    Rename(usize, u8, u8),
    Merge(usize, u8, u8),
    Delete(usize, u8),
    Vote(usize, u8, bool),
    Memo(usize, u8, u8),
    Erase(usize, u8),
    Withdraw(usize, u8),
    Send(usize),
    /// A vault receives one of the bundles sent so far (again, late or early).
    Deliver(usize, u8),
}

fn op() -> impl Strategy<Value = Op> {
    let v = 0..3usize;
    prop_oneof![
        2 => v.clone().prop_map(Op::Session),
        1 => (v.clone(), any::<u8>()).prop_map(|(a, s)| Op::Participant(a, s)),
        4 => (
            v.clone(),
            any::<u8>(),
            proptest::option::of(any::<u8>()),
            any::<bool>(),
            proptest::collection::vec(any::<u8>(), 0..3)
        )
            .prop_map(|(at, session, speaker, idea, themes)| Op::Note {
                at,
                session,
                speaker,
                idea,
                themes
            }),
        2 => (v.clone(), any::<u8>(), any::<u8>()).prop_map(|(a, n, t)| Op::Tag(a, n, t)),
        1 => (v.clone(), any::<u8>(), any::<u8>()).prop_map(|(a, f, t)| Op::Rename(a, f, t)),
        1 => (v.clone(), any::<u8>(), any::<u8>()).prop_map(|(a, f, t)| Op::Merge(a, f, t)),
        1 => (v.clone(), any::<u8>()).prop_map(|(a, n)| Op::Delete(a, n)),
        1 => (v.clone(), any::<u8>(), any::<bool>()).prop_map(|(a, n, up)| Op::Vote(a, n, up)),
        1 => (v.clone(), any::<u8>(), any::<u8>()).prop_map(|(a, t, m)| Op::Memo(a, t, m)),
        1 => (v.clone(), any::<u8>()).prop_map(|(a, n)| Op::Erase(a, n)),
        1 => (v.clone(), any::<u8>()).prop_map(|(a, p)| Op::Withdraw(a, p)),
        3 => v.clone().prop_map(Op::Send),
        4 => (v, any::<u8>()).prop_map(|(a, b)| Op::Deliver(a, b)),
    ]
}

struct World {
    dir: tempfile::TempDir,
    desks: [Desk; 3],
    /// Every bundle sent, with its sender.
    bundles: Vec<(usize, PathBuf)>,
    made: usize,
    /// Every note's text, with its speaker's pseudonym.
    notes: Vec<(String, Option<String>)>,
    /// Participants' pseudonyms and real names.
    people: Vec<(String, String)>,
    /// Texts erased, and pseudonyms withdrawn with erasure.
    erased: Vec<String>,
    withdrawn: Vec<String>,
}

fn pick<T: Clone>(all: &[T], n: u8) -> Option<T> {
    (!all.is_empty()).then(|| all[usize::from(n) % all.len()].clone())
}

fn ids(d: &Desk, sql: &str) -> Vec<i64> {
    let mut st = d.store.conn().prepare(sql).unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn strings(d: &Desk, sql: &str) -> Vec<String> {
    let mut st = d.store.conn().prepare(sql).unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

impl World {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let desks = team(dir.path());
        World {
            dir,
            desks,
            bundles: Vec::new(),
            made: 0,
            notes: Vec::new(),
            people: Vec::new(),
            erased: Vec::new(),
            withdrawn: Vec::new(),
        }
    }

    fn fresh(&mut self) -> usize {
        self.made += 1;
        self.made
    }

    fn theme(&self, at: usize, n: u8) -> Option<String> {
        let names = strings(&self.desks[at], "SELECT name FROM theme ORDER BY name");
        pick(&names, n)
    }

    /// Runs one step. A step the vault refuses (a name taken, nothing to pick) does nothing:
    /// what is checked is what the vaults make of the steps they take.
    fn run(&mut self, op: &Op) {
        match op.clone() {
            Op::Session(at) => {
                let n = self.fresh();
                self.desks[at].session(&format!("Session {n}"));
            }
            Op::Participant(at, s) => {
                let d = &self.desks[at];
                let Some(sid) = pick(&ids(d, "SELECT id FROM session ORDER BY id"), s) else {
                    return;
                };
                let n = self.fresh();
                let (code, name) = (format!("P{at}x{n}"), format!("Realname Qz{n}r"));
                self.desks[at].participant(sid, &name, &code);
                self.people.push((code, name));
            }
            Op::Note {
                at,
                session,
                speaker,
                idea,
                themes,
            } => {
                let d = &self.desks[at];
                let Some(sid) = pick(&ids(d, "SELECT id FROM session ORDER BY id"), session) else {
                    return;
                };
                // a participant withdrawn here is not given new words here
                let speakers = strings(
                    d,
                    "SELECT pseudonym FROM participant WHERE withdrawn_on IS NULL ORDER BY pseudonym",
                );
                let speaker = speaker.and_then(|s| pick(&speakers, s));
                let themes: Vec<String> = themes
                    .iter()
                    .map(|t| THEMES[usize::from(*t) % THEMES.len()].to_owned())
                    .collect();
                let n = self.fresh();
                let text = format!("Said qx{n}v{at} today");
                self.desks[at]
                    .store
                    .note_add(NewNote {
                        session_id: sid,
                        speaker: speaker.clone(),
                        kind: if idea {
                            NoteKind::Idea
                        } else {
                            NoteKind::Paraphrase
                        },
                        text: text.clone(),
                        special_category: false,
                        criminal_offence: false,
                        themes,
                        at_ms: 1_700_000_000_000 + n as i64,
                        cluster: None,
                        page: None,
                        question_id: None,
                    })
                    .unwrap();
                self.notes.push((text, speaker));
            }
            Op::Tag(at, n, t) => {
                let d = &self.desks[at];
                if let Some(id) = pick(&ids(d, "SELECT id FROM note ORDER BY id"), n) {
                    let theme = THEMES[usize::from(t) % THEMES.len()];
                    d.store.tag(id, theme, None).unwrap();
                }
            }
            Op::Rename(at, f, t) => {
                if let Some(from) = self.theme(at, f) {
                    let to = THEMES[usize::from(t) % THEMES.len()];
                    let _ = self.desks[at].store.theme_rename("F2F", &from, to);
                }
            }
            Op::Merge(at, f, t) => {
                if let (Some(from), Some(into)) = (self.theme(at, f), self.theme(at, t)) {
                    let _ = self.desks[at].store.theme_merge("F2F", &from, &into);
                }
            }
            Op::Delete(at, n) => {
                let d = &self.desks[at];
                if let Some(id) = pick(&ids(d, "SELECT id FROM note ORDER BY id"), n) {
                    d.store.note_delete(id).unwrap();
                }
            }
            Op::Vote(at, n, up) => {
                let d = &self.desks[at];
                let ideas = ids(d, "SELECT id FROM note WHERE kind = 'idea' ORDER BY id");
                if let Some(id) = pick(&ideas, n) {
                    d.store.note_vote(id, if up { 1 } else { -1 }).unwrap();
                }
            }
            Op::Memo(at, t, m) => {
                if let Some(name) = self.theme(at, t) {
                    let memo = format!("Memo {m} from vault {at}");
                    let desc = format!("Described {m}");
                    self.desks[at]
                        .store
                        .theme_set("F2F", &name, Some(&memo), Some(&desc), None)
                        .unwrap();
                }
            }
            Op::Erase(at, n) => {
                let d = &self.desks[at];
                if let Some(id) = pick(&ids(d, "SELECT id FROM note ORDER BY id"), n) {
                    let text = d.store.note(id).unwrap().text;
                    d.store.erase_note(id, "erase").unwrap();
                    self.erased.push(text);
                }
            }
            Op::Withdraw(at, p) => {
                let d = &self.desks[at];
                let codes = strings(
                    d,
                    "SELECT pseudonym FROM participant WHERE withdrawn_on IS NULL ORDER BY pseudonym",
                );
                if let Some(code) = pick(&codes, p) {
                    d.store
                        .withdraw("F2F", &code, true, &AnonymiserNames)
                        .unwrap();
                    self.withdrawn.push(code);
                }
            }
            Op::Send(at) => {
                if let Some(f) = self.desks[at].send(self.dir.path()) {
                    self.bundles.push((at, f));
                }
            }
            Op::Deliver(at, b) => {
                let theirs: Vec<PathBuf> = self
                    .bundles
                    .iter()
                    .filter(|(from, _)| *from != at)
                    .map(|(_, f)| f.clone())
                    .collect();
                if let Some(f) = pick(&theirs, b) {
                    self.deliver(at, &f);
                }
            }
        }
    }

    /// Receives one bundle; whether it changed anything. A bundle that came before an
    /// earlier one is kept for later, as the app does.
    fn deliver(&self, at: usize, f: &std::path::Path) -> bool {
        match self.desks[at].receive(f) {
            Ok(got) => !got.already && got.applied + got.removed + got.erasures > 0,
            Err(TeamError::Gap { .. }) => false,
            Err(e) => panic!("vault {at} refused {}: {e}", f.display()),
        }
    }

    /// Everyone sends and everyone receives everything, until nothing is left to send.
    fn settle(&mut self) -> usize {
        for round in 0..10 {
            for at in 0..3 {
                while self
                    .bundles
                    .iter()
                    .filter(|(from, _)| *from != at)
                    .fold(false, |any, (_, f)| self.deliver(at, f) | any)
                {}
            }
            let mut sent = false;
            for at in 0..3 {
                if let Some(f) = self.desks[at].send(self.dir.path()) {
                    self.bundles.push((at, f));
                    sent = true;
                }
            }
            if !sent {
                return round;
            }
        }
        panic!("the vaults still had changes to send after ten rounds");
    }
}

/// The project's travelling rows as `table uid` → body, as this vault holds them.
fn dump(d: &Desk) -> BTreeMap<String, String> {
    let pid = d.store.project("F2F").unwrap().id;
    let mut out = BTreeMap::new();
    for s in spec::SPECS {
        for b in rows::bodies(d.store.conn(), s, pid).unwrap() {
            out.insert(format!("{} {}", b.table, b.uid), b.json);
        }
    }
    out
}

/// Every text and blob value in every table of the vault, the full-text index's included.
fn everything(d: &Desk) -> String {
    let tables = strings(d, "SELECT name FROM sqlite_master WHERE type = 'table'");
    let mut out = String::new();
    for t in tables {
        let mut st = d
            .store
            .conn()
            .prepare(&format!("SELECT * FROM \"{t}\""))
            .unwrap();
        let n = st.column_count();
        let mut rows = st.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            for i in 0..n {
                if let rusqlite::types::ValueRef::Text(b) | rusqlite::types::ValueRef::Blob(b) =
                    r.get_ref(i).unwrap()
                {
                    out.push_str(&String::from_utf8_lossy(b).to_lowercase());
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// The word that makes a note's text findable: `qx…v…`.
fn word(text: &str) -> &str {
    text.split(' ').nth(1).unwrap_or(text)
}

fn check(w: &mut World) -> std::result::Result<(), TestCaseError> {
    w.settle();
    let first = dump(&w.desks[0]);
    for d in &w.desks[1..] {
        let other = dump(d);
        let keys: std::collections::BTreeSet<&String> = first.keys().chain(other.keys()).collect();
        let differ: Vec<(&String, Option<&String>, Option<&String>)> = keys
            .into_iter()
            .filter(|k| first.get(*k) != other.get(*k))
            .map(|k| (k, first.get(k), other.get(k)))
            .collect();
        prop_assert!(differ.is_empty(), "the vaults differ: {differ:#?}");
    }
    // nothing erased, and nothing a withdrawn participant said, is left in any table
    let mut gone: Vec<String> = w.erased.clone();
    for (text, speaker) in &w.notes {
        if speaker.as_ref().is_some_and(|s| w.withdrawn.contains(s)) {
            gone.push(text.clone());
        }
    }
    let names: Vec<&String> = w
        .people
        .iter()
        .filter(|(code, _)| w.withdrawn.contains(code))
        .map(|(_, name)| name)
        .collect();
    for (at, d) in w.desks.iter().enumerate() {
        let all = everything(d);
        for g in &gone {
            let token = word(g).to_lowercase();
            prop_assert!(!all.contains(&token), "vault {at} still holds '{g}'");
            let found: i64 = d
                .store
                .conn()
                .query_row(
                    "SELECT count(*) FROM note_fts WHERE note_fts MATCH ?1",
                    [&token],
                    |r| r.get(0),
                )
                .unwrap();
            prop_assert_eq!(found, 0, "vault {} finds '{}'", at, g);
        }
        for n in &names {
            prop_assert!(
                !all.contains(&n.to_lowercase()),
                "vault {at} still holds the name '{n}'"
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn three_vaults_converge_whatever_the_order_of_bundles(
        ops in proptest::collection::vec(op(), 5..60)
    ) {
        let mut w = World::new();
        for op in &ops {
            w.run(op);
        }
        check(&mut w)?;
    }
}

fn tags(d: &Desk) -> Vec<String> {
    strings(
        d,
        "SELECT n.text || ' / ' || h.name FROM tag t JOIN note n ON n.id = t.note_id
         JOIN theme h ON h.id = t.theme_id ORDER BY 1",
    )
}

#[test]
fn a_theme_renamed_onto_a_name_made_elsewhere_has_the_same_names_everywhere() {
    let mut w = World::new();
    w.desks[0]
        .store
        .theme_rename("F2F", "Waiting", "Staff")
        .unwrap();
    w.desks[2]
        .store
        .theme_add("F2F", "Staff", None, None, None)
        .unwrap();
    w.run(&Op::Send(0));
    w.run(&Op::Send(2));
    w.settle();
    let names = w.desks[0].themes();
    assert_eq!(names.len(), 2, "{names:?}");
    for d in &w.desks[1..] {
        assert_eq!(d.themes(), names);
    }
}

#[test]
fn a_tag_whose_theme_is_in_another_members_later_bundle_is_applied_when_that_bundle_comes() {
    let w = World::new();
    let [lead, b, c] = &w.desks;
    let dir = w.dir.path();
    let s = c.session("One");
    let c1 = c.send(dir).unwrap();
    b.receive(&c1).unwrap();
    b.note(
        ids(b, "SELECT id FROM session")[0],
        None,
        "from bea",
        &["Queues"],
    );
    let b1 = b.send(dir).unwrap();
    c.note(s, None, "from cal", &["Queues"]);
    c.receive(&b1).unwrap();
    // Cal's tag of his note names the theme as it came from Bea: not in Cal's bundle
    let c2 = c.send(dir).unwrap();
    lead.receive(&c1).unwrap();
    let early = lead.receive(&c2).unwrap();
    assert!(early.waiting > 0, "{early:?}");
    // the tag waits in the vault and is written as soon as the theme arrives
    let later = lead.receive(&b1).unwrap();
    assert_eq!(later.waiting, 0, "{later:?}");
    assert_eq!(tags(lead), ["from bea / Queues", "from cal / Queues"]);
    assert!(lead.receive(&c2).unwrap().already);
}

#[test]
fn renames_made_on_both_sides_of_a_note_tagged_meanwhile_converge() {
    let mut w = World::new();
    let note = |at, themes: Vec<u8>| Op::Note {
        at,
        session: 0,
        speaker: None,
        idea: false,
        themes,
    };
    for op in [
        Op::Rename(2, 0, 73),
        Op::Memo(1, 0, 0),
        Op::Session(1),
        Op::Send(2),
        Op::Session(2),
        note(2, vec![24]),
        Op::Send(1),
        Op::Rename(2, 104, 135),
        Op::Rename(1, 0, 31),
        note(1, vec![75]),
    ] {
        w.run(&op);
    }
    check(&mut w).unwrap();
}

#[test]
fn a_row_waiting_for_its_parent_outlives_an_erasure_made_meanwhile() {
    // Bea's participant joins Cal's session; Alex gets it before Cal's session and
    // withdraws the participant with erasure while the link waits: when the session comes,
    // the link is written as everywhere else
    let mut w = World::new();
    for op in [
        Op::Session(1),
        Op::Session(0),
        Op::Send(1),
        Op::Deliver(0, 0),
        Op::Participant(0, 19),
        Op::Send(0),
        Op::Deliver(2, 223),
        Op::Withdraw(2, 0),
    ] {
        w.run(&op);
    }
    check(&mut w).unwrap();
}
