//! Notes: what was said, paraphrased, observed or suggested in a session.

use super::{Clock, Result};
use crate::model::{NoteKind, SessionKind};
use crate::store::NewNote;
use crate::vault::Vault;

/// The kind a note takes when none is chosen: an idea in a workshop, a paraphrase in an
/// interview (notes typed while someone talks are rarely word for word).
pub fn default_kind(session: SessionKind) -> NoteKind {
    match session {
        SessionKind::Workshop => NoteKind::Idea,
        SessionKind::Interview => NoteKind::Paraphrase,
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
            from_draft: false,
        }
    }
}

/// Adds a note at the end of its session; returns its id. Notes are not audited one by
/// one: the trail records who did what to the vault, not every line typed.
pub fn add(v: &Vault, clock: &dyn Clock, n: NoteInput) -> Result<i64> {
    let s = v.store();
    // looked up even when the kind is given: a missing session is refused in its own words
    let session = s.session(n.session_id)?;
    let kind = n.kind.unwrap_or_else(|| default_kind(session.kind));
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
    };
    Ok(if n.from_draft {
        s.note_add_from_draft(note)?
    } else {
        s.note_add(note)?
    })
}
