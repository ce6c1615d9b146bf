//! Two members' edits of the same row: the one kept, and the other, shown to the lead.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::Result;
use super::merge::Version;
use super::rows::{self, Body};
use crate::store::{Store, now_rfc3339};

/// Records, for every row both this vault and the bundle edited without seeing the other's
/// edit, the value that lost, beside the one kept. Returns how many.
pub(super) fn concurrent_edits(
    store: &Store,
    pid: i64,
    incoming: &[Version],
    known: &[Version],
) -> Result<usize> {
    let known: HashMap<&str, &Version> = known.iter().map(|k| (k.uid.as_str(), k)).collect();
    let mut n = 0;
    for v in incoming {
        let Some(k) = known.get(v.uid.as_str()) else {
            continue;
        };
        let (Some(json), Some(_)) = (&v.body, &k.body) else {
            continue;
        };
        if !v.concurrent_with(k)
            || !matches!(
                v.table.as_str(),
                "project"
                    | "theme"
                    | "memo"
                    | "participant"
                    | "person_mentioned"
                    | "session"
                    | "guide"
                    | "guide_question"
                    | "disclosure"
            )
        {
            continue;
        }
        let Some(table) = super::spec::spec(&v.table).map(|s| s.table) else {
            continue;
        };
        let Some(here) = rows::body_of(store.conn(), table, &v.uid)? else {
            continue;
        };
        if &here.json == json {
            continue;
        }
        let theirs = Body {
            uid: v.uid.clone(),
            table,
            json: json.clone(),
        };
        if v.beats(k) {
            conflict(store, pid, &theirs, &here, &k.rev_by)?;
        } else {
            conflict(store, pid, &here, &theirs, &v.rev_by)?;
        }
        n += 1;
    }
    Ok(n)
}

/// This vault's row, if it was edited here since this vault last sent or received it.
pub(super) fn pending_edit(store: &Store, body: &Body) -> Result<Option<Body>> {
    let c = store.conn();
    let Some(here) = rows::body_of(c, body.table, &body.uid)? else {
        return Ok(None);
    };
    let known: Option<Option<Vec<u8>>> = c
        .prepare_cached("SELECT hash FROM team_row WHERE uid = ?1")?
        .query_row([&body.uid], |r| r.get(0))
        .optional()?;
    // an empty hash marks an edit of this vault's kept over another member's, not yet sent
    let unchanged = known
        .flatten()
        .is_some_and(|h| !h.is_empty() && h == here.hash());
    // a row made here and never sent, or edited since: this vault's edit is pending
    Ok((!unchanged && here.json != body.json).then_some(here))
}

pub(super) fn conflict(store: &Store, pid: i64, kept: &Body, other: &Body, by: &str) -> Result<()> {
    store.conn().execute(
        "INSERT INTO team_conflict (project_id, tbl, uid, kept, other, other_by, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            pid,
            kept.table,
            kept.uid,
            kept.json,
            other.json,
            by,
            now_rfc3339()
        ],
    )?;
    Ok(())
}
