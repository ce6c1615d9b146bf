//! Participants (people in a session) and people mentioned (registered so the anonymiser
//! replaces their names).

use super::{AppError, Result, audited, checked_date, record};
use crate::audit::Action;
use crate::model::{Participant, PersonMentioned, QuoteConsent, SessionKind};
use crate::store::NewParticipant;
use crate::text::for_terminal;
use crate::vault::Vault;

/// Registers a new participant in a session; returns their pseudonym. In a record review
/// everyone added is a subject of the records read (`subject` need not be set): no consent
/// is asked or kept, since the project's lawful basis covers them, and they are never quoted
/// word for word (the words are the records', not theirs to approve). A subject can only be
/// added to a record review.
pub fn participant_add(v: &Vault, session_id: i64, p: NewParticipant) -> Result<String> {
    let review = v.store().session(session_id)?.kind == SessionKind::Review;
    let p = if review || p.subject {
        subject(review, p)?
    } else {
        NewParticipant {
            consent_date: checked_date(p.consent_date.as_deref())?,
            ..p
        }
    };
    audited(v, Action::ParticipantAdd, || {
        let code = v.store().participant_add(session_id, p)?;
        let detail = format!("{code} in session {session_id}");
        Ok((code, detail))
    })
}

/// A record's subject as registered: no consent fields, never quoted word for word.
fn subject(review: bool, p: NewParticipant) -> Result<NewParticipant> {
    if !review {
        return Err(AppError::Invalid(
            "a subject of records belongs to a record review session (--kind review): add them to one, or leave out --subject",
        ));
    }
    if p.consent.is_some() || p.consent_date.is_some() || p.consent_form.is_some() {
        return Err(AppError::Invalid(
            "a subject of records is not asked for consent (the project's lawful basis covers them): leave out --consent, --consent-date and --consent-form",
        ));
    }
    Ok(NewParticipant {
        subject: true,
        quote_consent: Some(QuoteConsent::No),
        ..p
    })
}

/// Links two participants who are one person (interviewed twice, perhaps by two
/// researchers): `from`'s notes and sessions become `into`'s and `from` goes. In a team
/// project the link travels to every vault. Returns how many notes moved.
pub fn participant_link(v: &Vault, project: Option<&str>, from: &str, into: &str) -> Result<usize> {
    let project = super::projects::resolve(v, project)?.name;
    audited(v, Action::ParticipantLink, || {
        let moved = v.store().participant_link(&project, from, into)?;
        let detail = format!(
            "project {project}: {} is {} ({moved} notes moved)",
            from.trim(),
            into.trim()
        );
        Ok((moved, detail))
    })
}

/// Removes a participant just registered by mistake, with their name, while nothing refers to
/// them yet; returns false, changing nothing, once they have notes or other records.
pub fn participant_remove_unused(v: &Vault, session_id: i64, pseudonym: &str) -> Result<bool> {
    if !v.store().participant_remove_unused(session_id, pseudonym)? {
        return Ok(false);
    }
    record(
        v,
        Action::ParticipantAdd,
        &format!("{pseudonym} in session {session_id}: registered by mistake, removed"),
    )?;
    Ok(true)
}

/// Adds a participant already registered in the project (by pseudonym) to another session.
pub fn participant_join(v: &Vault, session_id: i64, pseudonym: &str) -> Result<()> {
    Ok(v.store().participant_join(session_id, pseudonym)?)
}

/// Registers a person mentioned in the notes; returns their pseudonym.
pub fn person_add(
    v: &Vault,
    project: &str,
    real_name: &str,
    pseudonym: Option<String>,
) -> Result<String> {
    audited(v, Action::PersonAdd, || {
        let code = v.store().person_add(project, real_name, pseudonym)?;
        // a chosen pseudonym is typed text: the trail holds it without control characters
        let detail = for_terminal(&code, false);
        Ok((code, detail))
    })
}

/// The participants of a session.
pub fn participants_of_session(v: &Vault, session_id: i64) -> Result<Vec<Participant>> {
    Ok(v.store().participants_of_session(session_id)?)
}

/// Every participant registered in a project.
pub fn participants_of_project(v: &Vault, project: &str) -> Result<Vec<Participant>> {
    Ok(v.store().participants_of_project(project)?)
}

/// The people mentioned registered in a project.
pub fn people_mentioned(v: &Vault, project: &str) -> Result<Vec<PersonMentioned>> {
    Ok(v.store().people_mentioned(project)?)
}
