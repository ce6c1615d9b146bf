//! Quote-level consent: recording whether a participant may be quoted word for word, the
//! quotes awaiting their approval, and approving or withdrawing the approval of one.
//!
//! Audit events name notes by id, participants by pseudonym and approvals by date: never the
//! words approved.

use serde::Serialize;

use super::{AppError, Clock, Result, audited};
use crate::audit::Action;
use crate::model::{NoteKind, Participant, QuoteConsent};
use crate::quotes::{QuoteRule, Verdict, Withheld, text_hash};
use crate::vault::Vault;

/// Records (or, with `None`, clears) whether a participant may be quoted word for word.
/// Returns the participant as they are now.
pub fn set_quote_consent(
    v: &Vault,
    project: Option<&str>,
    code: &str,
    consent: Option<QuoteConsent>,
) -> Result<Participant> {
    let project = super::projects::resolve(v, project)?.name;
    audited(v, Action::ParticipantEdit, || {
        let before = v
            .store()
            .participant_set_quote_consent(&project, code, consent)?;
        let word = |c: Option<QuoteConsent>| c.map_or("not recorded", QuoteConsent::as_str);
        let detail = format!(
            "project {project}: {} quote consent {} (was {})",
            before.pseudonym,
            word(consent),
            word(before.quote_consent)
        );
        let now = Participant {
            quote_consent: consent,
            ..before
        };
        Ok((now, detail))
    })
}

/// A verbatim note waiting for its speaker's approval.
#[derive(Debug, Clone, Serialize)]
pub struct PendingQuote {
    /// The note.
    pub note_id: i64,
    /// Its session.
    pub session_id: i64,
    /// The session's title.
    pub session: String,
    /// The speaker's pseudonym.
    pub speaker: String,
    /// The note's current text (inside the vault: this is what the speaker approves).
    pub text: String,
    /// The day an earlier version of the text was approved, when it was edited since.
    pub approved_before: Option<String>,
}

/// The verbatim notes of `project` awaiting approval: spoken by participants who asked to
/// approve their quotes, with no approval of their current text. In session order.
pub fn pending(v: &Vault, project: Option<&str>) -> Result<Vec<PendingQuote>> {
    let project = super::projects::resolve(v, project)?.name;
    let store = v.store();
    let rule = QuoteRule::load(store, &project)?;
    let mut out = Vec::new();
    for s in store.sessions(Some(&project))? {
        for n in store.notes(s.id)? {
            if rule.verdict(&n) != Verdict::Withheld(Withheld::AwaitingApproval) {
                continue;
            }
            out.push(PendingQuote {
                note_id: n.id,
                session_id: s.id,
                session: s.title.clone(),
                speaker: n.speaker.clone().unwrap_or_default(),
                approved_before: rule.approval(n.id).map(|a| a.approved_on.clone()),
                text: n.text,
            });
        }
    }
    Ok(out)
}

/// An approval recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approved {
    /// The note.
    pub note_id: i64,
    /// Its speaker's pseudonym.
    pub speaker: String,
    /// The day of the approval (YYYY-MM-DD).
    pub on: String,
}

/// The note's speaker, when the note is a verbatim quote by a participant who asked to
/// approve their quotes; otherwise why approving it means nothing.
fn approvable(v: &Vault, note_id: i64) -> Result<(String, String)> {
    let store = v.store();
    let note = store.note(note_id)?;
    let project = store.session(note.session_id)?.project;
    if note.kind != NoteKind::Verbatim {
        return Err(AppError::Quote(format!(
            "note {note_id} is a {}, not a verbatim quote: only a participant's own words need \
             their approval. Nothing was changed",
            note.kind
        )));
    }
    let speaker = note.speaker.clone().unwrap_or_default();
    let participant = store
        .participants_of_project(&project)?
        .into_iter()
        .find(|p| p.pseudonym == speaker)
        .ok_or_else(|| {
            AppError::Quote(format!(
                "note {note_id} is not spoken by a participant (a facilitator's words or no \
                 speaker): it needs no approval. Nothing was changed"
            ))
        })?;
    match participant.quote_consent {
        Some(QuoteConsent::Approval) => Ok((speaker, project)),
        other => Err(AppError::Quote(format!(
            "{} {}: approvals are for participants who asked to approve their quotes. Nothing \
             was changed; if they now want to approve each quote, run `fieldnotes participant \
             edit {} --project \"{}\" --quote approval` first",
            crate::text::for_terminal(&speaker, false),
            match other {
                Some(QuoteConsent::Yes) => "agreed to be quoted word for word",
                Some(QuoteConsent::No) => "did not agree to be quoted word for word",
                _ => "has no quote consent recorded",
            },
            crate::text::for_terminal(&speaker, false),
            crate::text::for_terminal(&project, false),
        ))),
    }
}

/// Records that the speaker approved the note's exact current text, on `on` (YYYY-MM-DD,
/// checked) or today. An edit of the note afterwards makes it pending again.
pub fn approve(v: &Vault, clock: &dyn Clock, note_id: i64, on: Option<&str>) -> Result<Approved> {
    let on = match on {
        Some(d) => crate::model::parse_date(d)?,
        None => clock.today(),
    };
    if on > clock.today() {
        return Err(AppError::Quote(format!(
            "{on} is after today: an approval is recorded on or after the day it was given; nothing was saved"
        )));
    }
    let (speaker, project) = approvable(v, note_id)?;
    audited(v, Action::QuoteApprove, || {
        let note = v.store().note(note_id)?;
        v.store()
            .quote_approve(note_id, &on, &text_hash(&note.text))?;
        let detail = format!(
            "project {project}: note {note_id} by {speaker} in session {}: quote approved on {on}",
            note.session_id
        );
        Ok((
            Approved {
                note_id,
                speaker: speaker.clone(),
                on: on.clone(),
            },
            detail,
        ))
    })
}

/// Withdraws the approval of a note's quote: it is withheld again until approved anew.
/// Returns the day it had been approved.
pub fn revoke(v: &Vault, note_id: i64) -> Result<String> {
    let store = v.store();
    let note = store.note(note_id)?;
    let project = store.session(note.session_id)?.project;
    let Some(was) = store.quote_approval(note_id)? else {
        return Err(AppError::Quote(format!(
            "note {note_id} has no approval to withdraw: see `fieldnotes quotes pending --project \
             \"{}\"`. Nothing was changed",
            crate::text::for_terminal(&project, false)
        )));
    };
    audited(v, Action::QuoteRevoke, || {
        store.quote_revoke(note_id)?;
        let detail = format!(
            "project {project}: note {note_id} by {} in session {}: approval of {} withdrawn",
            note.speaker.as_deref().unwrap_or("no speaker"),
            note.session_id,
            was.approved_on
        );
        Ok((was.approved_on.clone(), detail))
    })
}
