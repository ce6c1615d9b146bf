//! `team receive` and `team send` killed at their file-system calls (strace's
//! `-e inject=SYSCALL:signal=KILL:when=N`), each time on fresh copies of the vaults: the vault
//! opens and passes `check`, holds the bundle's changes either not at all or entirely, and a
//! retry succeeds and ends with everything applied.
//!
//! A command makes hundreds of `write`s and `pwrite64`s: each kind of call is visited at an
//! even stride of at most [`MOST`] points, first and last included, to keep the run short.

mod common;

use std::path::PathBuf;

use common::strace::*;
use common::team::*;
use common::{TestVault, files_under};

const SYSCALLS: &[&str] = &[
    "write",
    "pwrite64",
    "fsync",
    "fdatasync",
    "rename",
    "unlink",
];
/// The most kill points per kind of call.
const MOST: usize = 24;

/// What the project holds in a vault: each note's text with its themes, sorted.
type State = Vec<(String, String)>;

fn state(r: &Researcher) -> State {
    let mut s: State = r
        .notes()
        .iter()
        .map(|n| {
            (
                n["text"].as_str().unwrap().to_owned(),
                n["themes"].to_string(),
            )
        })
        .collect();
    s.sort();
    s
}

fn copy_of(name: &'static str, v: &TestVault) -> Researcher {
    Researcher {
        name,
        v: clone_vault(v),
    }
}

fn checked(r: &Researcher, ctx: &str) {
    let o = r.run(&["check"]);
    assert!(
        o.status.success(),
        "{ctx}: check fails: {}",
        out_and_err(&o)
    );
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// Kills `args(copy)` at every point of every kind of call in turn, each time on a fresh
/// copy made by `copy`, and hands the killed copy to `judge`.
fn exercise<T>(
    name: &str,
    copy: &dyn Fn() -> T,
    vault: &dyn Fn(&T) -> &TestVault,
    args: &dyn Fn(&T) -> Vec<String>,
    judge: &dyn Fn(&T, &str),
) {
    let started = std::time::Instant::now();
    let mut kills = 0;
    for syscall in SYSCALLS {
        let counted = copy();
        let total = count_calls(
            vault(&counted),
            &vault(&counted).pass_file(),
            &args(&counted),
            syscall,
        );
        eprintln!("{name}: {total} calls of {syscall}");
        for when in kill_points(total, MOST) {
            let c = copy();
            let ctx = format!("{name} killed at {syscall} #{when}");
            match run_killed(vault(&c), &vault(&c).pass_file(), &args(&c), syscall, when) {
                Run::Killed => kills += 1,
                Run::Finished(o) => {
                    assert!(o.status.success(), "{ctx}: {}", out_and_err(&o));
                }
            }
            judge(&c, &ctx);
        }
        // one call past the last: the command completes
        let c = copy();
        let Run::Finished(o) = run_killed(
            vault(&c),
            &vault(&c).pass_file(),
            &args(&c),
            syscall,
            total + 1,
        ) else {
            panic!("{name} was killed past its last {syscall}");
        };
        assert!(o.status.success(), "{name}: {}", out_and_err(&o));
    }
    assert!(kills > 0, "{name} was never killed");
    eprintln!(
        "{name}: {kills} kills, each recovered, in {:.1?}",
        started.elapsed()
    );
}

#[test]
fn a_receive_killed_at_any_call_applies_all_or_nothing_and_a_retry_applies_it() {
    if !can_kill("team receive") {
        return;
    }
    // Bea's second bundle brings a participant, notes, a new theme on a note and the
    // erasure of a note the lead already has
    let t = Team::joined();
    let (lead, bea, shared) = (&t.lead, &t.bea, t.shared.as_path());
    let sid = bea.add_session("Front desk interviews");
    let gone = bea.add_note(&sid, None, "Erased later: the caretaker's phone number.");
    bea.add_note(&sid, None, "Kept: queues start before opening.");
    bea.send(shared);
    lead.receive_ok(&[shared]);
    bea.ok(&[
        "participant",
        "add",
        "--session",
        &sid,
        "--name",
        "Ines Varga",
        "--role",
        "resident",
    ]);
    let spoken = bea.add_note(&sid, Some("P2-01"), "Nobody told us the desk had moved.");
    bea.add_note(&sid, Some("P2-01"), "I came back the next day.");
    bea.ok(&["tag", "--note", &spoken, "--theme", "Signage"]);
    bea.ok(&["erase", "--note", &gone, "--yes"]);
    bea.send(shared);
    let second = bundles_from(shared, bea).pop().unwrap();
    let second = second.strip_prefix(lead.v.tmp.path()).unwrap().to_owned();

    let before = state(lead);
    let after = state(bea);
    assert_ne!(before, after);
    let args = |r: &Researcher| {
        let file = r.v.tmp.path().join(&second);
        strings(&["team", "receive", file.to_str().unwrap()])
    };
    exercise(
        "team receive",
        &|| copy_of("Alex", &lead.v),
        &|r| &r.v,
        &args,
        &|r, ctx| {
            checked(r, ctx);
            let now = state(r);
            assert!(
                now == before || now == after,
                "{ctx}: half applied: {now:?}"
            );
            // the receipt is kept with the changes: a retry applies them, or knows them
            let o = r.run(&args(r).iter().map(String::as_str).collect::<Vec<_>>());
            assert!(o.status.success(), "{ctx}: retry: {}", out_and_err(&o));
            if now == after {
                assert!(out_and_err(&o).contains("already received"), "{ctx}");
            }
            assert_eq!(state(r), after, "{ctx}: retried");
            checked(r, ctx);
        },
    );
}

/// The lead's and Bea's vaults, copied, and the folder the lead sends into.
struct Pair {
    lead: Researcher,
    bea: Researcher,
}

impl Pair {
    fn out(&self) -> PathBuf {
        let d = self.lead.v.tmp.path().join("out");
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}

#[test]
fn a_send_killed_at_any_call_is_repeated_and_the_member_ends_with_everything() {
    if !can_kill("team send") {
        return;
    }
    let t = Team::joined();
    let (lead, bea) = (&t.lead, &t.bea);
    let sid = lead.add_session("Lead's interview");
    for i in 0..3 {
        lead.add_note(
            &sid,
            None,
            &format!("Lead's note {i} about the waiting room."),
        );
    }
    let first = lead.note("Lead's note 0 about the waiting room.")["id"].to_string();
    lead.ok(&["tag", "--note", &first, "--theme", "Waiting times"]);
    let expected = state(lead);

    exercise(
        "team send",
        &|| Pair {
            lead: copy_of("Alex", &lead.v),
            bea: copy_of("Bea", &bea.v),
        },
        &|p| &p.lead.v,
        &|p| strings(&["team", "send", "--to", p.out().to_str().unwrap()]),
        &|p, ctx| {
            checked(&p.lead, ctx);
            assert_eq!(state(&p.lead), expected, "{ctx}: the lead's notes changed");
            // a bundle the killed send left is whole: Bea takes it
            let out = p.out();
            if !bundles_in(&out).is_empty() {
                p.bea.receive_ok(&[&out]);
            }
            // the next send works, repeating the bundle number if the first was not recorded,
            // and Bea takes that too
            let o = p.lead.run(&["team", "send", "--to", out.to_str().unwrap()]);
            assert!(o.status.success(), "{ctx}: next send: {}", out_and_err(&o));
            assert!(
                !bundles_in(&out).is_empty(),
                "{ctx}: no bundle was ever written"
            );
            p.bea.receive_ok(&[&out]);
            assert_eq!(state(&p.bea), expected, "{ctx}: Bea lacks some of it");
            let status = p.lead.ok(&["team", "status"]);
            assert!(status.contains("To send: 0 changes"), "{ctx}: {status}");
            // nothing half-written is left where bundles are shared
            let stray: Vec<_> = files_under(&out)
                .into_iter()
                .filter(|f| f.extension().is_none_or(|x| x != "fnbundle"))
                .collect();
            assert!(stray.is_empty(), "{ctx}: left behind {stray:?}");
        },
    );
}
