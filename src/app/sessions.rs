//! Sessions: an interview or workshop, typed live or from paper.

use super::{AppError, Clock, Result, audited, checked_date};
use crate::audit::Action;
use crate::model::{Note, Participant, Session, Source};
use crate::store::{Draft, NewSession, TagRow};
use crate::vault::Vault;

/// Checks dates and paper provenance.
fn checked(mut s: NewSession) -> Result<NewSession> {
    s.date = checked_date(s.date.as_deref())?;
    if s.source == Source::Live && (s.paper.written_by.is_some() || s.paper.written_on.is_some()) {
        return Err(AppError::PaperDetailsOnLiveSession);
    }
    s.paper.written_on = checked_date(s.paper.written_on.as_deref())?;
    s.paper.destroyed_on = checked_date(s.paper.destroyed_on.as_deref())?;
    Ok(s)
}

/// Creates a session, dated today (local) unless a date is given; returns its id.
pub fn add(v: &Vault, clock: &dyn Clock, s: NewSession) -> Result<i64> {
    let mut s = checked(s)?;
    if s.date.is_none() {
        s.date = Some(clock.today());
    }
    audited(v, Action::SessionAdd, || {
        let id = v.store().session_add(s)?;
        Ok((id, format!("session {id}")))
    })
}

/// Changes a session's record.
pub fn update(v: &Vault, id: i64, s: NewSession) -> Result<()> {
    let s = checked(s)?;
    audited(v, Action::SessionEdit, || {
        v.store().session_update(id, s)?;
        Ok(((), format!("session {id}")))
    })
}

/// Records that a session's paper original was destroyed, on `date` or today (local);
/// returns the date recorded.
pub fn paper_destroyed(
    v: &Vault,
    clock: &dyn Clock,
    id: i64,
    date: Option<&str>,
) -> Result<String> {
    let day = checked_date(date)?.unwrap_or_else(|| clock.today());
    audited(v, Action::PaperDestroyed, || {
        v.store().session_paper_destroyed(id, &day)?;
        let detail = format!("session {id}, on {day}");
        Ok((day, detail))
    })
}

/// Withdraws the record that a session's paper original was destroyed (recorded by mistake,
/// and taken back at once in the editor). The trail keeps both the record and its withdrawal.
pub fn paper_not_destroyed(v: &Vault, id: i64) -> Result<()> {
    audited(v, Action::PaperDestroyed, || {
        v.store().session_paper_not_destroyed(id)?;
        Ok(((), format!("session {id}: the record was withdrawn")))
    })
}

/// A session with everything the editor needs to take notes in it.
#[derive(Debug)]
pub struct OpenedSession {
    /// The session.
    pub session: Session,
    /// Its notes, in order.
    pub notes: Vec<Note>,
    /// Its participants.
    pub participants: Vec<Participant>,
    /// Unsent text from last time.
    pub draft: Option<Draft>,
    /// The project's theme names.
    pub themes: Vec<String>,
    /// Every tag on the session's notes (spans included).
    pub tags: Vec<TagRow>,
}

/// The sessions of a project, or of every project.
pub fn list(v: &Vault, project: Option<&str>) -> Result<Vec<Session>> {
    Ok(v.store().sessions(project)?)
}

/// One session's record.
pub fn get(v: &Vault, id: i64) -> Result<Session> {
    Ok(v.store().session(id)?)
}

/// Opens a session to take notes in: its notes, participants, draft, tags and themes.
pub fn open(v: &Vault, id: i64) -> Result<OpenedSession> {
    let s = v.store();
    let session = s.session(id)?;
    let themes = super::themes::names(v, &session.project)?;
    Ok(OpenedSession {
        notes: s.notes(id)?,
        participants: s.participants_of_session(id)?,
        draft: s.draft(id)?,
        tags: s.tag_rows_of_session(id)?,
        session,
        themes,
    })
}
