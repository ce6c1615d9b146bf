//! Sessions: interviews and workshops, typed live or transcribed from paper.

use rusqlite::{OptionalExtension, Row, params};

use super::error::no_session;
use super::{Result, Store, StoreError, blank_to_none, now_rfc3339};
use crate::model::{PaperOrigin, RecordReview, Session, SessionKind, Source};

/// Fields of a new session.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// Project name.
    pub project: String,
    /// Interview or workshop.
    pub kind: SessionKind,
    /// Title.
    pub title: String,
    /// Date (YYYY-MM-DD), already checked.
    pub date: Option<String>,
    /// Location.
    pub location: Option<String>,
    /// Live or paper.
    pub source: Source,
    /// Paper provenance.
    pub paper: PaperOrigin,
    /// Facilitators' names.
    pub facilitators: Vec<String>,
}

fn session_from_row(r: &Row<'_>) -> rusqlite::Result<Session> {
    let kind: String = r.get(3)?;
    let source: String = r.get(7)?;
    let facilitators: String = r.get(11)?;
    Ok(Session {
        id: r.get(0)?,
        project_id: r.get(1)?,
        project: r.get(2)?,
        kind: kind.parse().unwrap_or(SessionKind::Interview),
        title: r.get(4)?,
        date: r.get(5)?,
        location: r.get(6)?,
        source: source.parse().unwrap_or(Source::Live),
        paper: PaperOrigin {
            written_by: r.get(8)?,
            written_on: r.get(9)?,
            destroyed_on: r.get(10)?,
        },
        facilitators: serde_json::from_str(&facilitators).unwrap_or_default(),
        started_at_ms: r.get(12)?,
        review: review_from_row(r)?,
    })
}

/// The review columns (13 to 17): a record review's details, `None` for other kinds.
fn review_from_row(r: &Row<'_>) -> rusqlite::Result<Option<RecordReview>> {
    let kind: String = r.get(3)?;
    if kind != SessionKind::Review.as_str() {
        return Ok(None);
    }
    Ok(Some(RecordReview {
        system: r.get::<_, Option<String>>(13)?.unwrap_or_default(),
        record_ref: r.get(14)?,
        from: r.get(15)?,
        to: r.get(16)?,
        sampling: r.get(17)?,
    }))
}

const SESSION_SELECT: &str = "SELECT s.id, s.project_id, pr.name, s.kind, s.title, s.date,
    s.location, s.source, s.paper_written_by, s.paper_written_on, s.paper_destroyed_on,
    s.facilitators, s.started_at_ms, s.review_source, s.review_record_ref, s.review_from,
    s.review_to, s.review_sampling FROM session s JOIN project pr ON pr.id = s.project_id";

impl Store {
    /// Creates a session; returns its id.
    pub fn session_add(&self, s: NewSession) -> Result<i64> {
        let project_id = self.project_id(&s.project)?;
        let title = s.title.trim();
        if title.is_empty() {
            return Err(StoreError::Unnamed {
                thing: "session",
                field: "title",
                flag: Some("--title"),
            });
        }
        let facilitators = facilitators_json(&facilitator_names(&s.facilitators))?;
        self.conn.execute(
            "INSERT INTO session (project_id, kind, title, date, location, source,
               paper_written_by, paper_written_on, paper_destroyed_on, facilitators, created_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
            params![
                project_id,
                s.kind.as_str(),
                title,
                s.date,
                blank_to_none(s.location),
                s.source.as_str(),
                blank_to_none(s.paper.written_by),
                s.paper.written_on,
                s.paper.destroyed_on,
                facilitators,
                now_rfc3339()
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Creates a record review session with what it read, in one transaction; returns its id.
    pub fn session_add_review(&self, s: NewSession, review: &RecordReview) -> Result<i64> {
        let tx = self.conn.unchecked_transaction()?;
        let id = self.session_add(NewSession {
            kind: SessionKind::Review,
            ..s
        })?;
        self.write_review(id, review)?;
        tx.commit()?;
        Ok(id)
    }

    /// Changes what a record review read (the session must be a record review).
    pub fn session_set_review(&self, id: i64, review: &RecordReview) -> Result<()> {
        if self.session(id)?.kind != SessionKind::Review {
            return Err(StoreError::NotReview(id));
        }
        self.write_review(id, review)
    }

    /// The record references of a project's record reviews (kept in the vault, never
    /// exported: every output's leak guard looks for them).
    pub fn record_refs(&self, project: &str) -> Result<Vec<String>> {
        let pid = self.project_id(project)?;
        let mut st = self.conn.prepare(
            "SELECT DISTINCT review_record_ref FROM session
             WHERE project_id = ?1 AND review_record_ref IS NOT NULL
               AND trim(review_record_ref) <> '' ORDER BY 1",
        )?;
        let refs = st.query_map([pid], |r| r.get(0))?;
        Ok(refs.collect::<rusqlite::Result<_>>()?)
    }

    fn write_review(&self, id: i64, r: &RecordReview) -> Result<()> {
        self.conn.execute(
            "UPDATE session SET review_source = ?2, review_record_ref = ?3, review_from = ?4,
               review_to = ?5, review_sampling = ?6 WHERE id = ?1",
            params![
                id,
                r.system.trim(),
                blank_to_none(r.record_ref.clone()),
                r.from,
                r.to,
                blank_to_none(r.sampling.clone())
            ],
        )?;
        Ok(())
    }

    /// Changes a session's record. Facilitators can be added or renamed, but not removed
    /// while notes are attributed to them.
    pub fn session_update(&self, id: i64, s: NewSession) -> Result<()> {
        self.session(id)?;
        let title = s.title.trim();
        if title.is_empty() {
            return Err(StoreError::Unnamed {
                thing: "session",
                field: "title",
                flag: None,
            });
        }
        let facilitators = facilitator_names(&s.facilitators);
        let highest: Option<i64> = self.conn.query_row(
            "SELECT max(speaker_facilitator) FROM note WHERE session_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        if highest.is_some_and(|h| h as usize > facilitators.len()) {
            return Err(StoreError::FacilitatorsInUse(highest.unwrap_or(0)));
        }
        let facilitators = facilitators_json(&facilitators)?;
        self.conn.execute(
            "UPDATE session SET kind = ?2, title = ?3, date = ?4, location = ?5, source = ?6,
               paper_written_by = ?7, paper_written_on = ?8, facilitators = ?9 WHERE id = ?1",
            params![
                id,
                s.kind.as_str(),
                title,
                s.date,
                blank_to_none(s.location),
                s.source.as_str(),
                blank_to_none(s.paper.written_by),
                s.paper.written_on,
                facilitators
            ],
        )?;
        if s.kind != SessionKind::Review {
            // what a record review read means nothing for another kind of session
            self.conn.execute(
                "UPDATE session SET review_source = NULL, review_record_ref = NULL,
                   review_from = NULL, review_to = NULL, review_sampling = NULL WHERE id = ?1",
                [id],
            )?;
        }
        Ok(())
    }

    /// Sessions, newest first, optionally of one project.
    pub fn sessions(&self, project: Option<&str>) -> Result<Vec<Session>> {
        let pid = project.map(|p| self.project_id(p)).transpose()?;
        let sql = format!(
            "{SESSION_SELECT} WHERE ?1 IS NULL OR s.project_id = ?1
             ORDER BY ifnull(s.date, substr(s.created_at, 1, 10)) DESC, s.id DESC"
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map([pid], session_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One session by id.
    pub fn session(&self, id: i64) -> Result<Session> {
        let sql = format!("{SESSION_SELECT} WHERE s.id = ?1");
        self.conn
            .query_row(&sql, [id], session_from_row)
            .optional()?
            .ok_or_else(|| no_session(id))
    }

    /// Records that a paper original was destroyed on `date`.
    pub fn session_paper_destroyed(&self, id: i64, date: &str) -> Result<()> {
        let s = self.session(id)?;
        if s.source != Source::Paper {
            return Err(StoreError::NotPaper(id));
        }
        self.conn.execute(
            "UPDATE session SET paper_destroyed_on = ?2 WHERE id = ?1",
            params![id, date],
        )?;
        Ok(())
    }

    /// Withdraws the record that a paper original was destroyed (it was recorded by mistake).
    pub fn session_paper_not_destroyed(&self, id: i64) -> Result<()> {
        let s = self.session(id)?;
        if s.source != Source::Paper {
            return Err(StoreError::NotPaper(id));
        }
        self.conn.execute(
            "UPDATE session SET paper_destroyed_on = NULL WHERE id = ?1",
            params![id],
        )?;
        Ok(())
    }
}

/// Facilitators' names as typed, trimmed, blanks dropped: their order gives the `F1`, `F2`…
/// codes notes are attributed to.
fn facilitator_names(names: &[String]) -> Vec<String> {
    names
        .iter()
        .map(|f| f.trim().to_owned())
        .filter(|f| !f.is_empty())
        .collect()
}

/// The facilitators column: a JSON array of names.
fn facilitators_json(names: &[String]) -> Result<String> {
    serde_json::to_string(names).map_err(|e| StoreError::FacilitatorNames(e.to_string()))
}
