//! Sessions: an interview or workshop, typed live or from paper.

use super::{AppError, Clock, Result, audited, checked_date};
use crate::audit::Action;
use crate::model::{Note, Participant, RecordReview, Session, SessionKind, Source};
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

/// Creates a session, dated today (local) unless a date is given; returns its id. A live
/// session without facilitators gets the researcher (their setting) as F1.
pub fn add(v: &Vault, clock: &dyn Clock, s: NewSession) -> Result<i64> {
    if s.kind == SessionKind::Review {
        return Err(AppError::Invalid(
            "a record review is made with what it read, the source system at least: use `session add --kind review --system NAME`, or v on the app's sessions screen; nothing was saved",
        ));
    }
    let mut s = checked(s)?;
    if s.date.is_none() {
        s.date = Some(clock.today());
    }
    // whoever takes the notes live asks the questions: without named facilitators the
    // researcher is F1, so questions are attributed from the first note
    if s.facilitators.is_empty()
        && s.source == Source::Live
        && s.kind != SessionKind::Review
        && let Some(me) = super::settings::researcher(v)?
    {
        s.facilitators = vec![me];
    }
    audited(v, Action::SessionAdd, || {
        let id = v.store().session_add(s)?;
        Ok((id, format!("session {id}")))
    })
}

/// Changes a session's record. A record review stays one (its details change through
/// [`update_review`]), and no other session becomes one.
pub fn update(v: &Vault, id: i64, s: NewSession) -> Result<()> {
    let s = checked(s)?;
    let was_review = v.store().session(id)?.kind == SessionKind::Review;
    if was_review != (s.kind == SessionKind::Review) {
        return Err(AppError::Invalid(
            "a record review cannot become an interview or workshop, nor one of those a record review: nothing was changed; create a new session of the kind you need",
        ));
    }
    audited(v, Action::SessionEdit, || {
        v.store().session_update(id, s)?;
        Ok(((), format!("session {id}")))
    })
}

/// A record review's details checked: the source system named, the dates on the calendar
/// and in order, texts trimmed.
pub fn checked_review(r: RecordReview) -> Result<RecordReview> {
    let system = r.system.trim().to_owned();
    if system.is_empty() {
        return Err(AppError::Invalid(
            "a record review needs the system its records come from (--system, e.g. CRM or incident reports): nothing was saved",
        ));
    }
    let from = checked_date(r.from.as_deref())?;
    let to = checked_date(r.to.as_deref())?;
    if let (Some(a), Some(b)) = (&from, &to)
        && a > b
    {
        return Err(AppError::ReviewPeriod {
            from: a.clone(),
            to: b.clone(),
        });
    }
    let trimmed = |t: Option<String>| t.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    Ok(RecordReview {
        system,
        record_ref: trimmed(r.record_ref),
        from,
        to,
        sampling: trimmed(r.sampling),
    })
}

/// A record review's session fields: typed straight from the records, so it has no paper
/// original and no live timestamps; its people are the records' subjects, so no facilitator
/// is added for the researcher.
fn review_session(s: NewSession) -> Result<NewSession> {
    if s.source == Source::Paper || s.paper.written_by.is_some() || s.paper.written_on.is_some() {
        return Err(AppError::Invalid(
            "a record review is typed straight from the records, so it has no paper original: leave out --source paper, --written-by and --written-on",
        ));
    }
    Ok(NewSession {
        kind: SessionKind::Review,
        source: Source::Live,
        ..s
    })
}

/// Creates a record review session: what was read (system, record reference, period,
/// sampling), dated today (local) unless a date is given; returns its id.
pub fn add_review(
    v: &Vault,
    clock: &dyn Clock,
    s: NewSession,
    review: RecordReview,
) -> Result<i64> {
    let mut s = checked(review_session(s)?)?;
    let review = checked_review(review)?;
    if s.date.is_none() {
        s.date = Some(clock.today());
    }
    audited(v, Action::SessionAdd, || {
        let id = v.store().session_add_review(s, &review)?;
        Ok((id, format!("session {id} (record review)")))
    })
}

/// Changes a record review's session fields and what it read.
pub fn update_review(v: &Vault, id: i64, s: NewSession, review: RecordReview) -> Result<()> {
    let s = checked(review_session(s)?)?;
    let review = checked_review(review)?;
    if v.store().session(id)?.kind != SessionKind::Review {
        return Err(crate::store::StoreError::NotReview(id).into());
    }
    audited(v, Action::SessionEdit, || {
        let store = v.store();
        store.session_update(id, s)?;
        store.session_set_review(id, &review)?;
        Ok(((), format!("session {id} (record review)")))
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
