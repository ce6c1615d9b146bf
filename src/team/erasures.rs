//! Erasures between vaults: the ledger's entries travel, never the erased data; each vault
//! applies them on receipt and keeps any late copy of what they erased from coming back.

use std::collections::HashSet;

use rusqlite::OptionalExtension;

use super::Result;
use super::rows::{self, Body};
use crate::store::{LedgerEntry, Rewriter, Store};

/// The erasures known here, to keep any version of what they erased from coming back.
pub(super) struct Erased {
    targets: HashSet<String>,
    speakers: HashSet<String>,
}

impl Erased {
    pub(super) fn of(store: &Store, pid: i64) -> Result<Self> {
        let c = store.conn();
        let mut st = c.prepare(
            "SELECT target_uid, what, mode FROM erasure_ledger
             WHERE target_uid IS NOT NULL AND project_uid = (SELECT uid FROM project WHERE id = ?1)",
        )?;
        let mut targets = HashSet::new();
        let mut speakers = HashSet::new();
        for r in st.query_map([pid], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })? {
            let (uid, what, mode) = r?;
            if what == "participant" {
                if mode == "erase" {
                    speakers.insert(uid);
                }
            } else if what != "person" {
                targets.insert(uid);
            }
        }
        Ok(Erased { targets, speakers })
    }

    /// Whether this row is, or belongs to, something erased.
    pub(super) fn covers(&self, table: &str, body: &Body) -> bool {
        if self.targets.contains(&body.uid) {
            return true;
        }
        let j: serde_json::Value = serde_json::from_str(&body.json).unwrap_or_default();
        let linked = |k: &str| j[k].as_str().is_some_and(|u| self.targets.contains(u));
        match table {
            "note" => {
                linked("session_id")
                    || j["speaker_participant_id"]
                        .as_str()
                        .is_some_and(|u| self.speakers.contains(u))
            }
            "memo" | "session_participant" => linked("session_id") || linked("note_id"),
            "tag" | "quote_approval" => linked("note_id"),
            _ => false,
        }
    }
}

/// Applies one erasure from another vault, unless already applied here. Returns whether it
/// was new.
pub(super) fn apply_erasure(
    store: &Store,
    pid: i64,
    json: &str,
    uid: &str,
    names: &dyn Rewriter,
) -> Result<bool> {
    let c = store.conn();
    let known = c
        .query_row("SELECT 1 FROM erasure_ledger WHERE uid = ?1", [uid], |_| {
            Ok(())
        })
        .optional()?
        .is_some();
    if known {
        return Ok(false);
    }
    let j: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    let s = |k: &str| j[k].as_str().unwrap_or_default().to_owned();
    let what = s("what");
    let target_uid = j["target_uid"].as_str().map(str::to_owned);
    let (table, stamp_sql) = match what.as_str() {
        "note" => ("note", "CAST(created_at_ms AS TEXT)"),
        "session" => ("session", "created_at"),
        "participant" => ("participant", "created_at"),
        _ => ("person_mentioned", "'person ' || id"),
    };
    let target: Option<(i64, String)> = match &target_uid {
        Some(t) => c
            .query_row(
                &format!("SELECT id, {stamp_sql} FROM {table} WHERE uid = ?1"),
                [t],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?,
        None => None,
    };
    let entry = LedgerEntry {
        uid: uid.to_owned(),
        at: s("at"),
        what,
        target_id: target.as_ref().map_or(0, |t| t.0),
        target_stamp: target.map_or_else(|| s("target_stamp"), |t| t.1),
        mode: s("mode"),
        project_uid: j["project_uid"].as_str().map(str::to_owned),
        target_uid,
    };
    if entry.target_id != 0 {
        store.apply_erasure_in_tx(&entry, names)?;
    }
    store.ledger_insert(&entry)?;
    // an erasure in the project: conflicts kept for it may hold what was erased
    c.execute("DELETE FROM team_conflict WHERE project_id = ?1", [pid])?;
    Ok(true)
}

/// Removes anything of the project an erasure here names (a version that arrived from a
/// vault that had not yet heard of it). Returns how many rows went.
pub(super) fn enforce_erasures(store: &Store, pid: i64) -> Result<usize> {
    let c = store.conn();
    let erased = Erased::of(store, pid)?;
    let mut n = 0;
    for uid in &erased.targets {
        n += usize::from(rows::remove(c, "note", uid)?);
        let session: Option<i64> = c
            .query_row("SELECT id FROM session WHERE uid = ?1", [uid], |r| r.get(0))
            .optional()?;
        if let Some(id) = session {
            c.execute("DELETE FROM memo WHERE session_id = ?1", [id])?;
            n += store.erase_session_in_tx(id)?.notes_erased;
        }
    }
    for uid in &erased.speakers {
        let ids: Vec<i64> = {
            let mut st = c.prepare(
                "SELECT n.id FROM note n JOIN participant p ON p.id = n.speaker_participant_id
                 WHERE p.uid = ?1",
            )?;
            st.query_map([uid], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        for id in ids {
            c.execute("DELETE FROM tag WHERE note_id = ?1", [id])?;
            c.execute("DELETE FROM memo WHERE note_id = ?1", [id])?;
            n += c.execute("DELETE FROM note WHERE id = ?1", [id])?;
        }
    }
    Ok(n)
}
