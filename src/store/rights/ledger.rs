//! The erasure ledger: what was erased and when, never the erased data, so a restore from an
//! older backup can erase it again.

use rusqlite::{OptionalExtension, params};

use super::Rewriter;
use crate::store::{Result, Store, now_ms, now_rfc3339};

/// One erasure, as the ledger keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    /// Unique id of the erasure (so a restore applies each once).
    pub uid: String,
    /// When (RFC 3339).
    pub at: String,
    /// `note`, `session`, `participant` or `person`.
    pub what: String,
    /// Row id of what was erased.
    pub target_id: i64,
    /// Its creation stamp, so a reused row id is never mistaken for it.
    pub target_stamp: String,
    /// `erase`, `keep-anonymised`, `retention` or `mistake`.
    pub mode: String,
    /// The project's travelling id, when it had one: the erasure travels to its team.
    pub project_uid: Option<String>,
    /// The erased row's travelling id, when it had left this vault.
    pub target_uid: Option<String>,
}

fn uid() -> String {
    let mut b = [0u8; 16];
    // a clash needs the same 128 random bits twice; the time fallback is unique enough
    if getrandom::fill(&mut b).is_err() {
        b[..8].copy_from_slice(&now_ms().to_le_bytes());
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl Store {
    /// Records an erasure in the ledger, under a fresh id.
    pub(super) fn record_erasure(
        &self,
        what: &str,
        target_id: i64,
        stamp: &str,
        mode: &str,
    ) -> Result<()> {
        // a form the app kept through a lock may hold what is being erased: it goes too
        self.conn.execute(
            "DELETE FROM setting WHERE key = 'form kept through a lock'",
            [],
        )?;
        let (target_uid, project_uid) = self.travelling_ids(what, target_id)?;
        // edits kept beside clashing ones may hold what is erased: they go. Versions waiting
        // for a team member's bundle stay (their bundle is not sent again), but not one that
        // is, or belongs to, what is erased: the erased row, what links to an erased note or
        // session, and the notes of a participant erased with their words (names in the
        // others are rewritten with the vault's other text)
        if let Some(t) = &target_uid {
            self.conn.execute(
                "DELETE FROM team_waiting
                 WHERE project_id = (SELECT id FROM project WHERE uid = ?1)
                   AND (uid = ?2 OR (body LIKE ?3 AND (?4 IN ('note', 'session')
                        OR (?4 = 'participant' AND ?5 = 'erase' AND tbl = 'note'))))",
                params![project_uid.as_deref(), t, format!("%\"{t}\"%"), what, mode],
            )?;
        }
        self.conn.execute(
            "DELETE FROM team_conflict WHERE project_id = (SELECT id FROM project WHERE uid = ?1)",
            [project_uid.as_deref()],
        )?;
        self.ledger_insert(&LedgerEntry {
            uid: uid(),
            at: now_rfc3339(),
            what: what.into(),
            target_id,
            target_stamp: stamp.into(),
            mode: mode.into(),
            project_uid,
            target_uid,
        })
    }

    /// The travelling ids of an erasure's target and of its project (see `crate::team`).
    fn travelling_ids(&self, what: &str, id: i64) -> Result<(Option<String>, Option<String>)> {
        let sql = match what {
            "note" => {
                "SELECT n.uid, p.uid FROM note n JOIN session s ON s.id = n.session_id
                 JOIN project p ON p.id = s.project_id WHERE n.id = ?1"
            }
            "session" => {
                "SELECT s.uid, p.uid FROM session s JOIN project p ON p.id = s.project_id
                 WHERE s.id = ?1"
            }
            "participant" => {
                "SELECT t.uid, p.uid FROM participant t JOIN project p ON p.id = t.project_id
                 WHERE t.id = ?1"
            }
            _ => {
                "SELECT t.uid, p.uid FROM person_mentioned t JOIN project p ON p.id = t.project_id
                 WHERE t.id = ?1"
            }
        };
        Ok(self
            .conn
            .query_row(sql, [id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .unwrap_or((None, None)))
    }

    pub(crate) fn ledger_insert(&self, e: &LedgerEntry) -> Result<()> {
        self.conn.execute(
            "INSERT OR IGNORE INTO erasure_ledger
               (uid, at, what, target_id, target_stamp, mode, project_uid, target_uid)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                e.uid,
                e.at,
                e.what,
                e.target_id,
                e.target_stamp,
                e.mode,
                e.project_uid,
                e.target_uid
            ],
        )?;
        Ok(())
    }

    /// Every erasure recorded, oldest first.
    pub fn ledger(&self) -> Result<Vec<LedgerEntry>> {
        let mut st = self.conn.prepare(
            "SELECT uid, at, what, target_id, target_stamp, mode, project_uid, target_uid
             FROM erasure_ledger ORDER BY at, uid",
        )?;
        let rows = st.query_map([], |r| {
            Ok(LedgerEntry {
                uid: r.get(0)?,
                at: r.get(1)?,
                what: r.get(2)?,
                target_id: r.get(3)?,
                target_stamp: r.get(4)?,
                mode: r.get(5)?,
                project_uid: r.get(6)?,
                target_uid: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Applies erasures this database has not seen (a restored backup older than them), in
    /// the order they were made, and records them. Returns how many were applied.
    pub fn apply_ledger(&self, entries: &[LedgerEntry], names: &dyn Rewriter) -> Result<usize> {
        let known: std::collections::HashSet<String> =
            self.ledger()?.into_iter().map(|e| e.uid).collect();
        let tx = self.conn.unchecked_transaction()?;
        let mut applied = 0;
        for e in entries.iter().filter(|e| !known.contains(&e.uid)) {
            self.apply_erasure_in_tx(e, names)?;
            self.ledger_insert(e)?;
            applied += 1;
        }
        tx.commit()?;
        self.scrub()?;
        Ok(applied)
    }

    /// Erases what one ledger entry names, if this database still holds it (same id and
    /// creation stamp), inside the caller's transaction. Does not record the entry.
    pub(crate) fn apply_erasure_in_tx(&self, e: &LedgerEntry, names: &dyn Rewriter) -> Result<()> {
        {
            match e.what.as_str() {
                "note" => {
                    let stamp: Option<i64> = self
                        .conn
                        .query_row(
                            "SELECT created_at_ms FROM note WHERE id = ?1",
                            [e.target_id],
                            |r| r.get(0),
                        )
                        .optional()?;
                    if stamp.is_some_and(|s| s.to_string() == e.target_stamp) {
                        self.erase_note_in_tx(e.target_id)?;
                    }
                }
                "session"
                    if self.session_stamp(e.target_id)?.as_deref() == Some(&e.target_stamp) =>
                {
                    self.erase_session_in_tx(e.target_id)?;
                }
                "participant"
                    if self.participant_stamp(e.target_id)?.as_deref() == Some(&e.target_stamp) =>
                {
                    let p = self.participant_by_id(e.target_id)?;
                    self.withdraw_in_tx(&p, &e.mode, names)?;
                }
                "person" => {
                    let exists: Option<i64> = self
                        .conn
                        .query_row(
                            "SELECT id FROM person_mentioned WHERE id = ?1",
                            [e.target_id],
                            |r| r.get(0),
                        )
                        .optional()?;
                    if exists.is_some() && e.target_stamp == format!("person {}", e.target_id) {
                        self.erase_person_in_tx(e.target_id, names)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}
