//! Versions that wait for their parent, and rows folded into what they became elsewhere (a
//! theme merged, a participant linked).

use rusqlite::{OptionalExtension, params};

use super::Result;
use super::erasures::Erased;
use super::merge::Version;
use super::rows::{self, Body};
use super::spec::SPECS;
use crate::store::Store;

/// Keeps a version whose parent (a session, a note) is not here yet, to write once it is:
/// a bundle may edit a row made in another member's bundle not yet received.
pub(super) fn wait(store: &Store, pid: i64, v: &Version) -> Result<()> {
    store.conn().execute(
        "INSERT INTO team_waiting (uid, project_id, tbl, rev, rev_by, base, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (uid) DO UPDATE SET rev = excluded.rev, rev_by = excluded.rev_by,
           base = excluded.base, body = excluded.body
         WHERE (excluded.rev, excluded.rev_by) > (rev, rev_by)",
        params![
            v.uid,
            pid,
            v.table,
            v.rev,
            v.rev_by,
            v.base,
            v.body.as_deref().unwrap_or_default()
        ],
    )?;
    Ok(())
}

/// Writes the waiting versions whose parents have arrived, parents first, until no more
/// can be. A waiting version older than what arrived since is dropped. Returns how many
/// were written.
pub(super) fn retry_waiting(store: &Store, pid: i64, mark: &str) -> Result<usize> {
    let c = store.conn();
    // including erasures this bundle brought
    let erased = Erased::of(store, pid)?;
    let mut written = 0;
    loop {
        let waiting: Vec<Version> = {
            let mut st = c.prepare(
                "SELECT uid, tbl, rev, rev_by, base, body FROM team_waiting WHERE project_id = ?1",
            )?;
            st.query_map([pid], Version::from_row)?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut progress = false;
        for s in SPECS {
            for v in waiting.iter().filter(|v| v.table == s.table) {
                let here: Option<(i64, String)> = c
                    .query_row(
                        "SELECT rev, rev_by FROM team_row WHERE uid = ?1",
                        [&v.uid],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                let body = Body {
                    uid: v.uid.clone(),
                    table: s.table,
                    json: v.body.clone().unwrap_or_default(),
                };
                let stale = here.is_some_and(|(rev, by)| (v.rev, &v.rev_by) <= (rev, &by));
                // a parent deleted here: the row went with it
                if stale || erased.covers(s.table, &body) || rows::parent_gone(c, &body)? {
                    c.execute("DELETE FROM team_waiting WHERE uid = ?1", [&v.uid])?;
                    continue;
                }
                match rows::write(c, &body, mark) {
                    Ok(_) => {
                        super::merge::remember(c, pid, v, Some(&body.hash()))?;
                        c.execute("DELETE FROM team_waiting WHERE uid = ?1", [&v.uid])?;
                        written += 1;
                        progress = true;
                    }
                    Err(rows::WriteError::MissingLink) => {}
                    Err(rows::WriteError::Sql(e)) => return Err(e.into()),
                }
            }
        }
        if !progress {
            return Ok(written);
        }
    }
}

/// Folds every theme merged and participant linked elsewhere that is still here on its own
/// into what it became. Returns how many were folded.
pub(super) fn fold_redirects(store: &Store, pid: i64) -> Result<usize> {
    let c = store.conn();
    let redirects: Vec<i64> = {
        let mut st =
            c.prepare("SELECT id FROM team_redirect WHERE project_id = ?1 ORDER BY at, from_uid")?;
        st.query_map([pid], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut n = 0;
    for id in redirects {
        // read afresh: a fold before this one may have moved what it points to
        let (theme, into_theme, participant, into_participant): (
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
        ) = c.query_row(
            "SELECT (SELECT id FROM theme WHERE uid = r.from_uid), r.into_theme_id,
                    (SELECT id FROM participant WHERE uid = r.from_uid), r.into_participant_id
             FROM team_redirect r WHERE r.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        if let (Some(a), Some(b)) = (theme, into_theme)
            && a != b
        {
            store.theme_fold_in_tx(a, b, false)?;
            n += 1;
        }
        if let (Some(a), Some(b)) = (participant, into_participant)
            && a != b
        {
            store.participant_fold_in_tx(a, b)?;
            n += 1;
        }
    }
    Ok(n)
}
