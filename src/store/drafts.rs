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
    /// The topic guide question that is current in the editor (kept with no text too).
    pub question_id: Option<i64>,
}

impl Store {
    /// crash can neither lose the note nor leave it behind as a draft too.
    pub fn note_add_from_draft(&self, n: NewNote) -> Result<i64> {
        let tx = self.conn.unchecked_transaction()?;
        let id = self.insert_note(&n)?;
        self.draft_clear_text(n.session_id)?;
        tx.commit()?;
        Ok(id)
    }

    /// Saves the editor's unsent text for a session (empty text with no current question
    /// removes the draft).
    pub fn draft_save(&self, d: &Draft) -> Result<()> {
        if d.text.trim().is_empty() && d.question_id.is_none() {
            self.draft_delete(d.session_id)?;
        } else {
            self.conn.execute(
                "INSERT INTO draft (session_id, text, speaker, kind, updated_at_ms, question_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (session_id) DO UPDATE SET text = excluded.text,
                   speaker = excluded.speaker, kind = excluded.kind,
                   updated_at_ms = excluded.updated_at_ms, question_id = excluded.question_id",
                params![
                    d.session_id,
                    if d.text.trim().is_empty() {
                        ""
                    } else {
                        d.text.as_str()
                    },
                    d.speaker,
                    d.kind.map(NoteKind::as_str),
                    now_ms(),
                    d.question_id
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
                "SELECT text, speaker, kind, question_id FROM draft WHERE session_id = ?1",
                [session_id],
                |r| {
                    let kind: Option<String> = r.get(2)?;
                    Ok(Draft {
                        session_id,
                        text: r.get(0)?,
                        speaker: r.get(1)?,
                        kind: kind.and_then(|k| k.parse().ok()),
                        question_id: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// After a note is saved from the draft: its text goes, the current question stays.
    fn draft_clear_text(&self, session_id: i64) -> Result<()> {
        self.conn.execute(
            "DELETE FROM draft WHERE session_id = ?1 AND question_id IS NULL",
            [session_id],
        )?;
        self.conn.execute(
            "UPDATE draft SET text = '' WHERE session_id = ?1",
            [session_id],
        )?;
        Ok(())
    }

    /// Removes a session's draft, if it has one.
    pub(super) fn draft_delete(&self, session_id: i64) -> Result<()> {
        self.conn
            .execute("DELETE FROM draft WHERE session_id = ?1", [session_id])?;
        Ok(())
    }
}
