//! Drafts: the editor's unsent text, kept so a crash or a closed terminal loses nothing.

use super::Result;
use crate::store::Draft;
use crate::vault::Vault;

/// Keeps a session's unsent text (blank text clears it).
pub fn save(v: &Vault, d: &Draft) -> Result<()> {
    Ok(v.store().draft_save(d)?)
}

/// A session's unsent text from last time, if any.
pub fn load(v: &Vault, session_id: i64) -> Result<Option<Draft>> {
    Ok(v.store().draft(session_id)?)
}
