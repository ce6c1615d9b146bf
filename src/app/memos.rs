//! Memos: what the researcher thinks about a note or a session, kept apart from the notes.

use super::{AppError, Result};
use crate::store::Memo;
use crate::vault::Vault;

/// Writes a memo on a note of a session, or on the session itself; returns its id.
pub fn add(v: &Vault, session_id: i64, note_id: Option<i64>, text: &str) -> Result<i64> {
    let text = crate::text::clean_note_text(text);
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::Invalid(
            "a memo needs some text: nothing was saved",
        ));
    }
    if text.len() > crate::text::MAX_NOTE_BYTES {
        return Err(AppError::NoteTooLarge);
    }
    Ok(v.store().memo_add(session_id, note_id, text)?)
}

/// A session's memos: the session's own first, then each note's.
pub fn of_session(v: &Vault, session_id: i64) -> Result<Vec<Memo>> {
    Ok(v.store().memos_of_session(session_id)?)
}
