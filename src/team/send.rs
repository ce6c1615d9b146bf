//! Sending: the project's rows changed since this vault's last bundle, as a bundle file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::params;
use zeroize::Zeroizing;

use super::bundle::{FORMAT, Header, seal};
use super::members::members_of;
use super::merge::{Version, encode};
use super::spec::SPECS;
use super::{Me, Result, TeamError, me, rows, team_of};
use crate::store::{Store, now_ms, now_rfc3339};
use crate::vault::keys::{Recipient, encrypt_to_recipients};

/// A bundle written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The file.
    pub file: PathBuf,
    /// Its number among this vault's bundles.
    pub seq: u64,
    /// Row versions in it.
    pub rows: usize,
    /// Whether it holds the whole project.
    pub full: bool,
    /// Members it is encrypted to.
    pub recipients: Vec<String>,
}

/// What this vault last knew of each row of the project: uid → (table, rev, rev_by, hash,
/// base).
type Known = HashMap<String, (String, i64, String, Option<Vec<u8>>, i64)>;

fn known(store: &Store, pid: i64) -> Result<Known> {
    let mut st = store
        .conn()
        .prepare("SELECT uid, tbl, rev, rev_by, hash, base FROM team_row WHERE project_id = ?1")?;
    Ok(st
        .query_map([pid], |r| {
            Ok((
                r.get(0)?,
                (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?),
            ))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// The versions to send: rows new or changed here get a new version made by `me`; with
/// `full`, every row's latest version goes too. Records the new versions as known.
fn versions(store: &Store, pid: i64, me: &str, full: bool, record: bool) -> Result<Vec<Version>> {
    let c = store.conn();
    let known = known(store, pid)?;
    let now = now_ms();
    let mut out = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let put = |uid: &str, table: &str, rev: i64, base: i64, hash: Option<&[u8]>| -> Result<()> {
        if record {
            let v = Version {
                uid: uid.to_owned(),
                table: table.to_owned(),
                rev,
                rev_by: me.to_owned(),
                base,
                body: None,
            };
            super::merge::remember(c, pid, &v, hash)?;
        }
        Ok(())
    };
    for s in SPECS {
        for b in rows::bodies(c, s, pid)? {
            seen.insert(b.uid.clone());
            let hash = b.hash();
            let prior = known.get(&b.uid);
            let changed = prior.is_none_or(|(_, _, _, h, _)| h.as_deref() != Some(&hash[..]));
            let (rev, rev_by, base) = match prior {
                Some((_, rev, by, _, base)) if !changed => (*rev, by.clone(), *base),
                Some((_, rev, _, _, _)) => (now.max(rev + 1), me.to_owned(), *rev),
                None => (now, me.to_owned(), 0),
            };
            if changed {
                put(&b.uid, s.table, rev, base, Some(&hash))?;
            }
            if changed || full {
                out.push(Version {
                    uid: b.uid,
                    table: s.table.to_owned(),
                    rev,
                    rev_by,
                    base,
                    body: Some(b.json),
                });
            }
        }
    }
    // rows gone since they were last known: tombstones, which carry nothing but the id
    for (uid, (table, rev, by, hash, base)) in &known {
        if seen.contains(uid) {
            continue;
        }
        let (new_rev, rev_by, base) = if hash.is_some() {
            let new_rev = now.max(rev + 1);
            put(uid, table, new_rev, *rev, None)?;
            (new_rev, me.to_owned(), *rev)
        } else if full {
            (*rev, by.clone(), *base)
        } else {
            continue;
        };
        out.push(Version {
            uid: uid.clone(),
            table: table.clone(),
            rev: new_rev,
            rev_by,
            base,
            body: None,
        });
    }
    Ok(out)
}

/// How many rows changed here since the last bundle (without recording anything).
pub(super) fn changed_rows(store: &Store, pid: i64) -> Result<usize> {
    let c = store.conn();
    let me = me(store)?;
    let tx = c.unchecked_transaction()?;
    vote_shares(store, pid, &me.member)?;
    rows::assign_uids(c, pid)?;
    let n = versions(store, pid, "", false, false)?.len();
    // only counted: the uids given are taken back
    tx.rollback()?;
    Ok(n)
}

/// The bundle's file name: the project's and sender's ids and the bundle number, so a shared
/// folder of bundles sorts by sender and order.
fn file_name(project_uid: &str, me: &Me, seq: u64) -> String {
    let p: String = project_uid.chars().filter(|c| *c != '-').take(8).collect();
    format!("fieldnotes-{p}-{}-{seq:06}.fnbundle", me.member)
}

/// Writes a bundle of the project's changes since this vault's last bundle into `dir`.
/// `None` when nothing changed. The file is complete before the vault records it as sent: a
/// crash in between leaves a bundle the next one repeats, which receiving tolerates.
pub fn send(store: &Store, project: &str, dir: &Path) -> Result<Option<Outgoing>> {
    send_recorded(store, project, dir, &|_| Ok(()))
}

/// [`send`], with `record` called inside the transaction that records the bundle as sent
/// (to write its audit event).
pub fn send_recorded(
    store: &Store,
    project: &str,
    dir: &Path,
    record: &dyn Fn(&Outgoing) -> Result<()>,
) -> Result<Option<Outgoing>> {
    let (pid, project_uid) = team_of(store, project)?;
    let me = me(store)?;
    let team = members_of(store, pid)?;
    let mine = team.iter().find(|m| m.member == me.member);
    if mine.is_none_or(|m| m.removed_on.is_some()) {
        return Err(TeamError::Removed(project.to_owned()));
    }
    let lead = mine.is_some_and(|m| m.role == super::Role::Lead);
    let c = store.conn();
    let (sent, full): (i64, bool) = c.query_row(
        "SELECT sent_seq, full_next FROM team WHERE project_id = ?1",
        [pid],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    // the rows' ids are kept before the bundle is written: a send killed after writing it
    // and before recording it is repeated under the same ids, so no row arrives twice
    let tx = c.unchecked_transaction()?;
    vote_shares(store, pid, &me.member)?;
    rows::assign_uids(c, pid)?;
    tx.commit()?;
    let tx = c.unchecked_transaction()?;
    let versions = versions(store, pid, &me.member, full, true)?;
    if versions.is_empty() {
        return Ok(None);
    }
    let seq = sent as u64 + 1;
    let mut covers = BTreeMap::new();
    if full {
        let mut st = c.prepare("SELECT member, seq FROM team_peer WHERE project_id = ?1")?;
        for r in st.query_map([pid], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (m, s) = r?;
            covers.insert(m, s as u64);
        }
        covers.insert(me.member.clone(), seq);
    }
    let keys: Vec<(u32, Zeroizing<Vec<u8>>)> = {
        let mut st =
            c.prepare("SELECT epoch, key FROM team_key WHERE project_id = ?1 ORDER BY epoch")?;
        st.query_map([pid], |r| Ok((r.get(0)?, Zeroizing::new(r.get(1)?))))?
            .collect::<rusqlite::Result<_>>()?
    };
    let Some((epoch, key)) = keys.last() else {
        return Err(TeamError::NotATeam(project.to_owned()));
    };
    let header = Header {
        format: FORMAT,
        bundle: rows::fresh_uid(),
        project: project_uid.clone(),
        project_name: store.project(project)?.name,
        sender: me.member.clone(),
        sender_name: mine.map(|m| m.name.clone()).unwrap_or_default(),
        seq,
        full,
        covers,
        epoch: *epoch,
        // the lead hands the team's keys on; members only use them
        keys: if lead {
            keys.iter().map(|(e, k)| (*e, hex(k))).collect()
        } else {
            Vec::new()
        },
        made_at: now_rfc3339(),
        rows: versions.len(),
    };
    let changes = encode(&versions)?;
    let plain = seal(&header, &changes, key);
    let current: Vec<&super::Member> = team
        .iter()
        .filter(|m| m.removed_on.is_none() && m.member != me.member)
        .collect();
    let recipients: Vec<Recipient> = current
        .iter()
        .filter_map(|m| m.public_key.parse().ok())
        .collect();
    let path = dir.join(file_name(&project_uid, &me, seq));
    let write_err = |source| TeamError::Write {
        path: path.clone(),
        source,
    };
    if recipients.is_empty() {
        return Err(write_err(std::io::Error::other(
            "the team has no other member yet: add one with `fieldnotes team add`",
        )));
    }
    let file = encrypt_to_recipients(&plain, &recipients).map_err(write_err)?;
    crate::vault::write_private_atomic(&path, &file).map_err(write_err)?;
    // readable by the others on a shared drive: it is encrypted to the members
    set_readable(&path).map_err(write_err)?;
    remove_leftovers(dir, &file_name(&project_uid, &me, 0));
    c.execute(
        "UPDATE team SET sent_seq = ?2, full_next = 0 WHERE project_id = ?1",
        params![pid, seq as i64],
    )?;
    let out = Outgoing {
        file: path,
        seq,
        rows: versions.len(),
        full,
        recipients: current.iter().map(|m| m.name.clone()).collect(),
    };
    record(&out)?;
    tx.commit()?;
    Ok(Some(out))
}

/// This vault's share of each idea's dot votes: its total less what other members gave,
/// which came in their bundles. Votes made in several vaults add up.
fn vote_shares(store: &Store, pid: i64, me: &str) -> Result<()> {
    store.conn().execute(
        "INSERT INTO idea_vote (note_id, member, votes)
         SELECT n.id, ?2, max(0, n.votes - ifnull((SELECT sum(v.votes) FROM idea_vote v
                                                   WHERE v.note_id = n.id AND v.member != ?2), 0))
         FROM note n JOIN session s ON s.id = n.session_id
         WHERE s.project_id = ?1
           AND (n.votes > 0 OR EXISTS (SELECT 1 FROM idea_vote v WHERE v.note_id = n.id))
         ON CONFLICT (note_id, member) DO UPDATE SET votes = excluded.votes
           WHERE votes != excluded.votes",
        params![pid, me],
    )?;
    Ok(())
}

/// Removes the temporary files a send of this vault's bundles killed while writing left in
/// `dir` (`…-000007.tmp1234`), so a shared folder holds only whole bundles. `like` is a
/// bundle's file name: only names with the same project and sender go.
fn remove_leftovers(dir: &Path, like: &str) {
    let Some((prefix, _)) = like.rsplit_once('-') else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let temporary = name.rsplit_once('.').is_some_and(|(_, ext)| {
            ext.strip_prefix("tmp")
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        });
        if temporary && name.starts_with(prefix) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(unix)]
fn set_readable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_readable(_: &Path) -> std::io::Result<()> {
    Ok(())
}

pub(super) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
