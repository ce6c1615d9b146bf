//! Notes: what was said, paraphrased, observed or suggested in a session.

use super::{AppError, Clock, Result};
use crate::model::{Note, NoteKind, SessionKind};
use crate::store::NewNote;
use crate::text::MAX_NOTE_BYTES;
use crate::vault::Vault;

/// The kind a note takes when none is chosen: an idea in a workshop, a paraphrase in an
/// interview (notes typed while someone talks are rarely word for word), an observation in a
/// record review (what the researcher read).
pub fn default_kind(session: SessionKind) -> NoteKind {
    match session {
        SessionKind::Workshop => NoteKind::Idea,
        SessionKind::Interview => NoteKind::Paraphrase,
        SessionKind::Review => NoteKind::Observation,
    }
}

/// A note to add.
#[derive(Debug, Clone, Default)]
pub struct NoteInput {
    /// Session id.
    pub session_id: i64,
    /// Speaker code (`P01`, `F1`) or none.
    pub speaker: Option<String>,
    /// Kind; the session's [`default_kind`] when none.
    pub kind: Option<NoteKind>,
    /// Text as typed.
    pub text: String,
    /// Holds special category data.
    pub special_category: bool,
    /// Holds criminal-offence data.
    pub criminal_offence: bool,
    /// Themes to tag the whole note with (added to the codebook when new).
    pub themes: Vec<String>,
    /// Workshop cluster.
    pub cluster: Option<String>,
    /// Page of the paper original.
    pub page: Option<String>,
    /// When it was written (Unix ms); now when none. The app stamps a note when Enter is
    /// pressed, before the save reaches the vault.
    pub at_ms: Option<i64>,
    /// The note is the session's draft, sent: the draft goes in the same transaction.
    pub from_draft: bool,
    /// The topic guide question it answers.
    pub question_id: Option<i64>,
}

impl From<NewNote> for NoteInput {
    fn from(n: NewNote) -> Self {
        NoteInput {
            session_id: n.session_id,
            speaker: n.speaker,
            kind: Some(n.kind),
            text: n.text,
            special_category: n.special_category,
            criminal_offence: n.criminal_offence,
            themes: n.themes,
            cluster: n.cluster,
            page: n.page,
            at_ms: Some(n.at_ms),
            question_id: n.question_id,
            from_draft: false,
        }
    }
}

/// Adds a note at the end of its session; returns its id. Notes are not audited one by
/// one: the trail records who did what to the vault, not every line typed.
pub fn add(v: &Vault, clock: &dyn Clock, n: NoteInput) -> Result<i64> {
    let s = v.store();
    // the session is read only when its kind decides the note's: saving reads it again in
    // its own transaction (and refuses a missing one in the same words), and a second read
    // outside it costs every keystroke-paced save about a fifth of its time
    let kind = match n.kind {
        Some(k) => k,
        None => default_kind(s.session(n.session_id)?.kind),
    };
    let note = NewNote {
        session_id: n.session_id,
        speaker: n.speaker,
        kind,
        text: n.text,
        special_category: n.special_category,
        criminal_offence: n.criminal_offence,
        themes: n.themes,
        cluster: n.cluster,
        page: n.page,
        at_ms: n.at_ms.unwrap_or_else(|| clock.now_ms()),
        question_id: n.question_id,
    };
    Ok(if n.from_draft {
        s.note_add_from_draft(note)?
    } else {
        s.note_add(note)?
    })
}

/// Refuses a change to a note typed in another member's vault (see [`crate::team`]).
pub(crate) fn own(v: &Vault, id: i64) -> Result<()> {
    match crate::team::typed_elsewhere(v.store(), id)? {
        Some(author) => Err(AppError::TypedElsewhere(author)),
        None => Ok(()),
    }
}

/// Refuses a note larger than the store keeps, before anything is written.
fn checked_size(text: &str) -> Result<()> {
    if text.len() > MAX_NOTE_BYTES {
        return Err(AppError::NoteTooLarge);
    }
    Ok(())
}

/// The notes of a session, in order.
pub fn list(v: &Vault, session_id: i64) -> Result<Vec<Note>> {
    Ok(v.store().notes(session_id)?)
}

/// One note.
pub fn get(v: &Vault, id: i64) -> Result<Note> {
    Ok(v.store().note(id)?)
}

/// Changes a note's text, speaker and kind; returns the note as stored. A note cannot be
/// made empty (erasing it is a separate, recorded act).
pub fn edit(v: &Vault, id: i64, text: &str, speaker: Option<&str>, kind: NoteKind) -> Result<Note> {
    checked_size(text)?;
    own(v, id)?;
    Ok(v.store().note_update(id, text, speaker, kind)?)
}

/// Moves a note one place (earlier when `up`); returns the session's notes in their new
/// order (unchanged at either end).
pub fn move_by(v: &Vault, id: i64, up: bool) -> Result<Vec<Note>> {
    let s = v.store();
    own(v, id)?;
    s.note_move(id, up)?;
    Ok(s.notes(s.note(id)?.session_id)?)
}

/// Deletes a note just added (the editor's undo); returns the session's remaining notes.
pub fn delete(v: &Vault, id: i64) -> Result<Vec<Note>> {
    let s = v.store();
    let session_id = s.note(id)?.session_id;
    own(v, id)?;
    s.note_delete(id)?;
    Ok(s.notes(session_id)?)
}

/// Gives an idea one dot vote (`delta` 1) or takes one back (-1); votes never go below
/// nought. Returns the note as stored.
pub fn vote(v: &Vault, id: i64, delta: i64) -> Result<Note> {
    if !matches!(delta, -1 | 1) {
        return Err(AppError::Vote(delta));
    }
    let s = v.store();
    s.note_vote(id, delta)?;
    Ok(s.note(id)?)
}

/// Sets whether a note holds special category or criminal-offence data; returns the note.
pub fn set_flags(
    v: &Vault,
    id: i64,
    special_category: bool,
    criminal_offence: bool,
) -> Result<Note> {
    let s = v.store();
    own(v, id)?;
    s.note_set_flags(id, special_category, criminal_offence)?;
    Ok(s.note(id)?)
}

/// Puts an idea in a workshop cluster (`None` or blank: in none); returns the note.
pub fn set_cluster(v: &Vault, id: i64, cluster: Option<&str>) -> Result<Note> {
    let s = v.store();
    own(v, id)?;
    s.note_set_cluster(id, cluster)?;
    Ok(s.note(id)?)
}

/// Sets the page of the paper original a note was typed from (`None` or blank: none);
/// returns the note.
pub fn set_page(v: &Vault, id: i64, page: Option<&str>) -> Result<Note> {
    let s = v.store();
    own(v, id)?;
    s.note_set_page(id, page)?;
    Ok(s.note(id)?)
}

/// Adds notes typed elsewhere (a transcript, an import) at the end of their sessions, all in
/// one transaction: all are kept or none. Returns their ids.
pub fn add_many(v: &Vault, notes: &[NewNote]) -> Result<Vec<i64>> {
    for n in notes {
        checked_size(&n.text)?;
    }
    Ok(v.store().note_add_many(notes)?)
}
