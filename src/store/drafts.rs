//! Drafts: text typed in the editor and not yet committed, kept so a crash loses nothing.

use rusqlite::{OptionalExtension, params};

use super::{NewNote, Result, Store, now_ms};
use crate::model::NoteKind;

/// Text typed in the editor but not yet committed as a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Session id.
    pub session_id: i64,
    /// The text as typed (may hold `#theme` tags).
    pub text: String,
    /// Selected speaker code.
    pub speaker: Option<String>,
    /// Selected note kind.
    pub kind: Option<NoteKind>,
}

impl Store {
    /// crash can neither lose the note nor leave it behind as a draft too.
    pub fn note_add_from_draft(&self, n: NewNote) -> Result<i64> {
        let tx = self.conn.unchecked_transaction()?;
        let id = self.insert_note(&n)?;
        self.draft_delete(n.session_id)?;
        tx.commit()?;
        Ok(id)
    }

    /// Saves the editor's unsent text for a session (empty text removes the draft).
    pub fn draft_save(&self, d: &Draft) -> Result<()> {
        if d.text.trim().is_empty() {
            self.draft_delete(d.session_id)?;
        } else {
            self.conn.execute(
                "INSERT INTO draft (session_id, text, speaker, kind, updated_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (session_id) DO UPDATE SET text = excluded.text,
                   speaker = excluded.speaker, kind = excluded.kind,
                   updated_at_ms = excluded.updated_at_ms",
                params![
                    d.session_id,
                    d.text,
                    d.speaker,
                    d.kind.map(NoteKind::as_str),
                    now_ms()
                ],
            )?;
        }
        Ok(())
    }

    /// The unsent text of a session, if any.
    pub fn draft(&self, session_id: i64) -> Result<Option<Draft>> {
        Ok(self
            .conn
            .query_row(
                "SELECT text, speaker, kind FROM draft WHERE session_id = ?1",
                [session_id],
                |r| {
                    let kind: Option<String> = r.get(2)?;
                    Ok(Draft {
                        session_id,
                        text: r.get(0)?,
                        speaker: r.get(1)?,
                        kind: kind.and_then(|k| k.parse().ok()),
                    })
                },
            )
            .optional()?)
    }

    /// Removes a session's draft, if it has one.
    pub(super) fn draft_delete(&self, session_id: i64) -> Result<()> {
        self.conn
            .execute("DELETE FROM draft WHERE session_id = ?1", [session_id])?;
        Ok(())
    }
}
