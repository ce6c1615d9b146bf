//! Receiving: checking a bundle is for this vault, from a member and unaltered, then merging
//! its row versions and applying the erasures it carries, all in one transaction.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};
use zeroize::Zeroizing;

use super::bundle::{self, Header};
use super::conflicts::{concurrent_edits, conflict, pending_edit};
use super::erasures::{Erased, apply_erasure, enforce_erasures};
use super::merge::{self, Version};
use super::rows::{self, Body, Written};
use super::spec::SPECS;
use super::waiting::{fold_redirects, retry_waiting, wait};
use super::{Result, TeamError, me};
use crate::store::{Rewriter, Store, now_rfc3339};
use crate::vault::keys::{Identity, UnwrapError, decrypt_with_identities};

/// What receiving one bundle did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Incoming {
    /// The project (its name here).
    pub project: String,
    /// Who sent it.
    pub from: String,
    /// Their member id (from their key).
    pub from_member: String,
    /// Their bundle number.
    pub seq: u64,
    /// Whether this vault joined the project with it.
    pub joined: bool,
    /// Whether it had been received before (nothing to do).
    pub already: bool,
    /// Row versions it carried.
    pub rows: usize,
    /// Rows added or changed here.
    pub applied: usize,
    /// Rows removed here.
    pub removed: usize,
    /// Versions older than what this vault has (or the same).
    pub older: usize,
    /// Erasures, withdrawals and restrictions applied.
    pub erasures: usize,
    /// Edits that clashed with one kept here (see `fieldnotes team status`).
    pub conflicts: usize,
    /// Rows of the project waiting here for their parent (a session, a note) to arrive in
    /// another member's bundle.
    pub waiting: usize,
}

/// Decrypts and opens a bundle file, without applying it.
fn decrypt(file: &[u8], identities: &[Identity]) -> Result<Zeroizing<Vec<u8>>> {
    if file.len() as u64 > bundle::MAX_BYTES {
        return Err(TeamError::TooLarge(file.len() as u64 >> 20));
    }
    decrypt_with_identities(file, identities).map_err(|e| match e {
        UnwrapError::NoMatch => TeamError::NotForUs,
        other => TeamError::Damaged(other.to_string()),
    })
}

fn unhex(s: &str) -> Option<Zeroizing<Vec<u8>>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    let mut out = Zeroizing::new(Vec::with_capacity(s.len() / 2));
    for i in (0..s.len()).step_by(2) {
        out.push(u8::from_str_radix(&s[i..i + 2], 16).ok()?);
    }
    Some(out)
}

/// Applies one bundle file. `extra` are identities besides this vault's team key (an SSH key
/// the lead added instead). `join` accepts an invitation to a project not yet here.
pub fn receive(
    store: &Store,
    file: &[u8],
    extra: &[Identity],
    join: bool,
    names: &dyn Rewriter,
) -> Result<Incoming> {
    receive_recorded(store, file, extra, join, names, &|_| Ok(()))
}

/// [`receive`], with `record` called inside the transaction that applies the bundle (to
/// write its audit event): the bundle and its record are kept together or not at all.
pub fn receive_recorded(
    store: &Store,
    file: &[u8],
    extra: &[Identity],
    join: bool,
    names: &dyn Rewriter,
    record: &dyn Fn(&Incoming) -> Result<()>,
) -> Result<Incoming> {
    let me = me(store)?;
    let mut ids = vec![me.identity()];
    ids.extend_from_slice(extra);
    let plain = decrypt(file, &ids)?;
    let opened = bundle::open(&plain)?;
    let h = &opened.header;
    let c = store.conn();
    // a bundle already applied here (its sender removed since, say) changes nothing
    let seen = c
        .query_row(
            "SELECT project_id FROM team_received WHERE bundle = ?1",
            [&h.bundle],
            |r| r.get::<_, i64>(0),
        )
        .optional()?;
    if let Some(pid) = seen {
        return Ok(Incoming {
            project: project_name(store, pid)?,
            from: h.sender_name.clone(),
            seq: h.seq,
            rows: h.rows,
            already: true,
            ..Incoming::default()
        });
    }
    let local: Option<i64> = c
        .query_row(
            "SELECT t.project_id FROM team t JOIN project p ON p.id = t.project_id WHERE p.uid = ?1",
            [&h.project],
            |r| r.get(0),
        )
        .optional()?;
    let key = match local {
        None => {
            if !h.full {
                return Err(TeamError::NotInvited(h.project_name.clone()));
            }
            if !join {
                return Err(TeamError::Invitation {
                    project: h.project_name.clone(),
                    from: h.sender_name.clone(),
                    member: h.sender.chars().filter(char::is_ascii_hexdigit).collect(),
                });
            }
            key_in(h, h.epoch).ok_or_else(|| TeamError::Forged(h.sender_name.clone()))?
        }
        Some(pid) => {
            check_sender(store, pid, h)?;
            let stored: Option<Vec<u8>> = c
                .query_row(
                    "SELECT key FROM team_key WHERE project_id = ?1 AND epoch = ?2",
                    params![pid, h.epoch],
                    |r| r.get(0),
                )
                .optional()?;
            match stored {
                Some(k) => Zeroizing::new(k),
                // a key made since this vault last heard from the lead comes in the lead's bundle
                None if is_lead(store, pid, &h.sender)? => {
                    key_in(h, h.epoch).ok_or_else(|| TeamError::Forged(h.sender_name.clone()))?
                }
                None => return Err(TeamError::Forged(h.sender_name.clone())),
            }
        }
    };
    if !opened.signed_by(&key) {
        return Err(TeamError::Forged(h.sender_name.clone()));
    }
    let mut out = Incoming {
        project: h.project_name.clone(),
        from: h.sender_name.clone(),
        from_member: h.sender.clone(),
        seq: h.seq,
        rows: h.rows,
        ..Incoming::default()
    };
    if let Some(pid) = local {
        let last: i64 = c
            .query_row(
                "SELECT seq FROM team_peer WHERE project_id = ?1 AND member = ?2",
                params![pid, h.sender],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        if !h.full && h.seq > last as u64 + 1 {
            return Err(TeamError::Gap {
                from: h.sender_name.clone(),
                missing: last as u64 + 1,
                got: h.seq,
            });
        }
    }
    let versions = merge::decode(opened.rows).map_err(|e| TeamError::Damaged(e.to_string()))?;
    // writing a row back takes a handful of statements per table: keep them all prepared
    c.set_prepared_statement_cache_capacity(128);
    let tx = c.unchecked_transaction()?;
    let pid = match local {
        Some(pid) => {
            rows::assign_uids(c, pid)?;
            pid
        }
        None => {
            out.joined = true;
            join_project(store, h, &versions, &me.member)?
        }
    };
    apply(store, pid, h, &versions, opened.rows, names, &mut out)?;
    if out.joined {
        // this vault's pseudonyms: P2-01… for the second member the lead added
        c.execute(
            "UPDATE team SET pseudonym_prefix = (
               SELECT number FROM team_member WHERE project_id = ?1 AND member = ?2)
             WHERE project_id = ?1",
            params![pid, me.member],
        )?;
    }
    // the lead hands on the team's keys (a new one after a member is removed)
    if local.is_none() || is_lead(store, pid, &h.sender)? {
        for (epoch, k) in &h.keys {
            if let Some(k) = unhex(k) {
                c.execute(
                    "INSERT OR IGNORE INTO team_key (project_id, epoch, key) VALUES (?1, ?2, ?3)",
                    params![pid, epoch, &k[..]],
                )?;
            }
        }
    }
    let now = now_rfc3339();
    let mut peers = vec![(h.sender.clone(), h.seq)];
    if h.full {
        peers.extend(h.covers.iter().map(|(m, s)| (m.clone(), *s)));
    }
    for (m, s) in peers.into_iter().filter(|(m, _)| *m != me.member) {
        c.execute(
            "INSERT INTO team_peer (project_id, member, seq, received_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (project_id, member) DO UPDATE
               SET seq = max(seq, excluded.seq), received_at = excluded.received_at",
            params![pid, m, s as i64, now],
        )?;
    }
    c.execute(
        "INSERT INTO team_received (bundle, project_id, member, seq, changes, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            h.bundle,
            pid,
            h.sender,
            h.seq as i64,
            (out.applied + out.removed) as i64,
            now
        ],
    )?;
    out.project = project_name(store, pid)?;
    record(&out)?;
    tx.commit()?;
    if out.erasures > 0 || out.removed > 0 {
        store.scrub()?;
    }
    Ok(out)
}

fn key_in(h: &Header, epoch: u32) -> Option<Zeroizing<Vec<u8>>> {
    h.keys
        .iter()
        .find(|(e, _)| *e == epoch)
        .and_then(|(_, k)| unhex(k))
}

fn project_name(store: &Store, pid: i64) -> Result<String> {
    Ok(store
        .conn()
        .query_row("SELECT name FROM project WHERE id = ?1", [pid], |r| {
            r.get(0)
        })?)
}

fn is_lead(store: &Store, pid: i64, member: &str) -> Result<bool> {
    Ok(store
        .conn()
        .query_row(
            "SELECT role = 'lead' FROM team_member WHERE project_id = ?1 AND member = ?2",
            params![pid, member],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(false))
}

/// Refuses a bundle from someone who is not, or no longer, a member.
fn check_sender(store: &Store, pid: i64, h: &Header) -> Result<()> {
    let row: Option<Option<String>> = store
        .conn()
        .query_row(
            "SELECT removed_at FROM team_member WHERE project_id = ?1 AND member = ?2",
            params![pid, h.sender],
            |r| r.get(0),
        )
        .optional()?;
    match row {
        Some(None) => Ok(()),
        Some(Some(on)) => Err(TeamError::NotAMember {
            name: h.sender_name.clone(),
            removed_on: Some(on),
        }),
        None => Err(TeamError::NotAMember {
            name: h.sender_name.clone(),
            removed_on: None,
        }),
    }
}

/// Joins a project from the lead's whole-project bundle: this vault must be among its
/// members. Returns the project's local id.
fn join_project(store: &Store, h: &Header, versions: &[Version], me: &str) -> Result<i64> {
    let listed = versions.iter().any(|v| {
        v.table == "team_member"
            && v.body.as_deref().is_some_and(|b| {
                serde_json::from_str::<serde_json::Value>(b)
                    .is_ok_and(|j| j["member"].as_str() == Some(me) && j["removed_at"].is_null())
            })
    });
    if !listed {
        return Err(TeamError::NotInvited(h.project_name.clone()));
    }
    let Some(p) = versions
        .iter()
        .find(|v| v.table == "project" && v.uid == h.project)
    else {
        return Err(TeamError::Damaged("the project's record is missing".into()));
    };
    let c = store.conn();
    let body = Body {
        uid: p.uid.clone(),
        table: "project",
        json: p.body.clone().unwrap_or_default(),
    };
    rows::write(c, &body, &format!("from {}", h.sender_name))
        .map_err(|e| TeamError::Damaged(format!("{e:?}")))?;
    let pid: i64 = c.query_row("SELECT id FROM project WHERE uid = ?1", [&h.project], |r| {
        r.get(0)
    })?;
    c.execute(
        "INSERT INTO team (project_id, sent_seq, full_next, joined_at) VALUES (?1, 0, 0, ?2)",
        params![pid, now_rfc3339()],
    )?;
    Ok(pid)
}

/// This vault's versions of the rows a bundle carries.
fn known_versions(store: &Store, incoming: &[Version]) -> Result<Vec<Version>> {
    let mut st = store
        .conn()
        .prepare("SELECT tbl, rev, rev_by, base, hash IS NULL FROM team_row WHERE uid = ?1")?;
    let mut out = Vec::new();
    for v in incoming {
        if let Some((table, rev, rev_by, base, gone)) = st
            .query_row([&v.uid], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get::<_, bool>(4)?,
                ))
            })
            .optional()?
        {
            out.push(Version {
                uid: v.uid.clone(),
                table,
                rev,
                rev_by,
                base,
                // the merge compares versions only; the body is not needed
                body: (!gone).then(String::new),
            });
        }
    }
    Ok(out)
}

/// Merges the versions and writes the winners into the vault.
fn apply(
    store: &Store,
    pid: i64,
    h: &Header,
    incoming: &[Version],
    changeset: &[u8],
    names: &dyn Rewriter,
    out: &mut Incoming,
) -> Result<()> {
    let c = store.conn();
    let known = known_versions(store, incoming)?;
    let merged = merge::merge(&known, changeset)?;
    out.older = merged.lost;
    let mut by_table: HashMap<&str, Vec<&Version>> = HashMap::new();
    for v in &merged.won {
        by_table.entry(v.table.as_str()).or_default().push(v);
    }
    let mark = format!("from {}", h.sender_name);
    let record = |v: &Version, hash: Option<Vec<u8>>| -> Result<()> {
        Ok(merge::remember(c, pid, v, hash.as_deref())?)
    };
    // erasures first, while this vault still holds the names they replace: a withdrawn
    // participant's name goes from every text here, a note typed here before it came included
    for v in by_table.get("erasure_ledger").into_iter().flatten() {
        if let Some(json) = &v.body {
            out.erasures += usize::from(apply_erasure(store, pid, json, &v.uid, names)?);
            record(v, Some(rows::hash_of("erasure_ledger", json)))?;
        }
    }
    let erased = Erased::of(store, pid)?;
    out.conflicts += concurrent_edits(store, pid, incoming, &known)?;
    let index = SearchIndex::defer(c)?;
    // new and changed rows, parents first
    for s in SPECS {
        for v in by_table.get(s.table).into_iter().flatten() {
            let Some(json) = &v.body else { continue };
            if s.table == "erasure_ledger" {
                continue;
            }
            let body = Body {
                uid: v.uid.clone(),
                table: s.table,
                json: json.clone(),
            };
            if erased.covers(s.table, &body) {
                // erased here: the erasure wins over any version of it
                record(v, None)?;
                continue;
            }
            if let Some(kept) = pending_edit(store, &body)? {
                if kept.json != body.json {
                    conflict(store, pid, &kept, &body, &v.rev_by)?;
                    out.conflicts += 1;
                }
                // keep this vault's edit, as a version after the other member's
                record(
                    &Version {
                        rev: v.rev,
                        rev_by: v.rev_by.clone(),
                        ..(*v).clone()
                    },
                    Some(Vec::new()),
                )?;
                continue;
            }
            match rows::write(c, &body, &mark) {
                Ok(Written::Renamed) => {
                    let now = rows::body_of(c, s.table, &body.uid)?;
                    if let Some(now) = &now {
                        conflict(store, pid, now, &body, &v.rev_by)?;
                        out.conflicts += 1;
                    }
                    // recorded as received unmarked: the marked name is this vault's edit,
                    // sent on like any other, so every vault ends with the same names
                    record(v, Some(body.hash()))?;
                    out.applied += 1;
                }
                Ok(_) => {
                    record(v, Some(body.hash()))?;
                    out.applied += 1;
                }
                // a parent deleted here: the row went with it
                Err(rows::WriteError::MissingLink) if rows::parent_gone(c, &body)? => {
                    record(v, None)?;
                }
                Err(rows::WriteError::MissingLink) => wait(store, pid, v)?,
                Err(rows::WriteError::Sql(e)) => return Err(e.into()),
            }
        }
    }
    out.applied += retry_waiting(store, pid, &mark)?;
    // before anything of this bundle is deleted: the index must hold every note it deletes
    index.catch_up(c)?;
    out.applied += fold_redirects(store, pid)?;
    // an idea's total is every member's votes
    c.execute(
        "UPDATE note SET votes = (SELECT sum(v.votes) FROM idea_vote v WHERE v.note_id = note.id)
         WHERE id IN (SELECT v.note_id FROM idea_vote v JOIN note n ON n.id = v.note_id
                      JOIN session s ON s.id = n.session_id WHERE s.project_id = ?1)",
        [pid],
    )?;
    // deleted rows, children first
    for s in SPECS.iter().rev() {
        for v in by_table.get(s.table).into_iter().flatten() {
            if v.body.is_none() {
                out.removed += usize::from(rows::remove(c, s.table, &v.uid)?);
                record(v, None)?;
            }
        }
    }
    out.removed += enforce_erasures(store, pid)?;
    out.waiting = c.query_row(
        "SELECT count(*) FROM team_waiting WHERE project_id = ?1",
        [pid],
        |r| r.get::<_, i64>(0),
    )? as usize;
    Ok(())
}

/// The full-text index of the notes a bundle adds, built in one statement once they are all
/// written: indexed one by one, each insert's statement savepoint made the index flush a
/// segment to disk, and a large bundle spent most of its time there. Everything stays in the
/// receiving transaction, so a crash leaves the index as the notes.
struct SearchIndex {
    /// The note trigger's SQL, to put back.
    trigger: Option<String>,
    /// Notes above this id are new.
    after: i64,
}

impl SearchIndex {
    fn defer(c: &rusqlite::Connection) -> Result<Self> {
        let trigger: Option<String> = c
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'note_fts_insert'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let after: i64 = c.query_row("SELECT ifnull(max(id), 0) FROM note", [], |r| r.get(0))?;
        if trigger.is_some() {
            c.execute_batch("DROP TRIGGER note_fts_insert")?;
        }
        Ok(SearchIndex { trigger, after })
    }

    fn catch_up(self, c: &rusqlite::Connection) -> Result<()> {
        if let Some(sql) = &self.trigger {
            c.execute(
                "INSERT INTO note_fts (rowid, text) SELECT id, text FROM note WHERE id > ?1",
                [self.after],
            )?;
            c.execute_batch(sql)?;
        }
        Ok(())
    }
}
