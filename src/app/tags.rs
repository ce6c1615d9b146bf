//! Tags: a theme on a whole note or on a span of its characters.

use super::Result;
use crate::model::Note;
use crate::store::TagRow;
use crate::vault::Vault;

/// A note with its tags and the themes its project offers, as shown after a tag changes.
#[derive(Debug, Clone)]
pub struct TaggedNote {
    /// The note as stored.
    pub note: Note,
    /// Its tags, spans included.
    pub tags: Vec<TagRow>,
    /// The names of its project's themes (a new one may have just been added).
    pub themes: Vec<String>,
}

/// Tags a note, or the characters `span` of it, with a theme (added to the codebook when
/// new); returns true when the theme was new. Tags are not audited one by one, like notes.
pub fn tag(v: &Vault, note: i64, theme: &str, span: Option<(usize, usize)>) -> Result<bool> {
    Ok(v.store().tag(note, theme, span)?)
}

/// Removes a whole-note tag.
pub fn untag(v: &Vault, note: i64, theme: &str) -> Result<()> {
    Ok(v.store().untag(note, theme)?)
}

/// Removes one tag: on the characters `span`, or on the whole note.
pub fn untag_span(v: &Vault, note: i64, theme: &str, span: Option<(usize, usize)>) -> Result<()> {
    Ok(v.store().untag_span(note, theme, span)?)
}

/// A note, its tags and its project's theme names.
pub fn of_note(v: &Vault, note: i64) -> Result<TaggedNote> {
    let s = v.store();
    let n = s.note(note)?;
    let tags = s
        .tag_rows_of_session(n.session_id)?
        .into_iter()
        .filter(|t| t.note_id == note)
        .collect();
    let project = s.session(n.session_id)?.project;
    Ok(TaggedNote {
        note: n,
        tags,
        themes: super::themes::names(v, &project)?,
    })
}
