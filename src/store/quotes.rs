//! Quote-level consent: whether a participant may be quoted word for word, and the quotes
//! they approved (the note, the day, and a hash of the exact words approved).

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::error::no_participant;
use super::{Result, Store};
use crate::model::{Participant, QuoteConsent};

/// A quote a participant approved: when, and a SHA-256 hash of the exact words approved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteApproval {
    /// The note approved.
    pub note_id: i64,
    /// The day of the approval (YYYY-MM-DD).
    pub approved_on: String,
    /// SHA-256 of the note's text as approved.
    pub text_hash: Vec<u8>,
}

impl Store {
    /// Records (or clears, with `None`) whether a participant of `project` may be quoted word
    /// for word. Returns the participant as they were before the change.
    pub fn participant_set_quote_consent(
        &self,
        project: &str,
        code: &str,
        consent: Option<QuoteConsent>,
    ) -> Result<Participant> {
        let before = self.participant(project, code)?;
        let n = self.conn.execute(
            "UPDATE participant SET quote_consent = ?2 WHERE id = ?1",
            params![before.id, consent.map(QuoteConsent::as_str)],
        )?;
        if n == 0 {
            return Err(no_participant(code, project));
        }
        Ok(before)
    }

    /// Every approval recorded on a note of `project`, by note id.
    pub fn quote_approvals(&self, project: &str) -> Result<HashMap<i64, QuoteApproval>> {
        let pid = self.project_id(project)?;
        let mut st = self.conn.prepare(
            "SELECT a.note_id, a.approved_on, a.text_hash FROM quote_approval a
             JOIN note n ON n.id = a.note_id JOIN session s ON s.id = n.session_id
             WHERE s.project_id = ?1",
        )?;
        let rows = st.query_map([pid], |r| {
            Ok(QuoteApproval {
                note_id: r.get(0)?,
                approved_on: r.get(1)?,
                text_hash: r.get(2)?,
            })
        })?;
        let mut out = HashMap::new();
        for a in rows {
            let a = a?;
            out.insert(a.note_id, a);
        }
        Ok(out)
    }

    /// The approval recorded on one note, if any.
    pub fn quote_approval(&self, note_id: i64) -> Result<Option<QuoteApproval>> {
        Ok(self
            .conn
            .query_row(
                "SELECT note_id, approved_on, text_hash FROM quote_approval WHERE note_id = ?1",
                [note_id],
                |r| {
                    Ok(QuoteApproval {
                        note_id: r.get(0)?,
                        approved_on: r.get(1)?,
                        text_hash: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Records that the words hashed as `text_hash` were approved on `on`; replaces an earlier
    /// approval of the same note.
    pub fn quote_approve(&self, note_id: i64, on: &str, text_hash: &[u8]) -> Result<()> {
        self.note(note_id)?;
        self.conn.execute(
            "INSERT INTO quote_approval (note_id, approved_on, text_hash) VALUES (?1, ?2, ?3)
             ON CONFLICT (note_id) DO UPDATE SET approved_on = excluded.approved_on,
               text_hash = excluded.text_hash",
            params![note_id, on, text_hash],
        )?;
        Ok(())
    }

    /// Withdraws a note's approval; returns whether there was one.
    pub fn quote_revoke(&self, note_id: i64) -> Result<bool> {
        self.note(note_id)?;
        Ok(self
            .conn
            .execute("DELETE FROM quote_approval WHERE note_id = ?1", [note_id])?
            > 0)
    }
}
