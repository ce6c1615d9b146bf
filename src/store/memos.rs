//! Memos: the researcher's own thoughts on a note or on a whole session, kept beside the notes
//! (never in them, so a quote stays what was said).

use rusqlite::params;

use super::{Result, Store, StoreError, now_ms};

/// A memo on a note, or on its session when `note_id` is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Memo {
    /// Memo id.
    pub id: i64,
    /// The session.
    pub session_id: i64,
    /// The note, if it is about one note.
    pub note_id: Option<i64>,
    /// What the researcher wrote.
    pub text: String,
    /// When (Unix ms).
    pub created_at_ms: i64,
}

impl Store {
    /// Adds a memo to a session or one of its notes; returns its id.
    pub fn memo_add(&self, session_id: i64, note_id: Option<i64>, text: &str) -> Result<i64> {
        if let Some(n) = note_id
            && self.note(n)?.session_id != session_id
        {
            return Err(StoreError::NotFound(format!(
                "note {n} is not in session {session_id}: nothing was saved"
            )));
        }
        self.session(session_id)?;
        self.conn.execute(
            "INSERT INTO memo (session_id, note_id, text, created_at_ms) VALUES (?1, ?2, ?3, ?4)",
            params![session_id, note_id, text, now_ms()],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// A session's memos, the session's own first, then by note, oldest first.
    pub fn memos_of_session(&self, session_id: i64) -> Result<Vec<Memo>> {
        let mut st = self.conn.prepare(
            "SELECT id, session_id, note_id, text, created_at_ms FROM memo
             WHERE session_id = ?1 ORDER BY note_id IS NOT NULL, note_id, id",
        )?;
        let rows = st.query_map([session_id], |r| {
            Ok(Memo {
                id: r.get(0)?,
                session_id: r.get(1)?,
                note_id: r.get(2)?,
                text: r.get(3)?,
                created_at_ms: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
