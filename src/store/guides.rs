//! Topic guides: a project's (or one session kind's) sections and questions, versioned. A
//! changed guide is saved as a new version; a session keeps the version its notes answer.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError, now_rfc3339};
use crate::guide::GuideItem;
use crate::model::{GuideQuestion, GuideSummary, GuideVersion, SessionKind};

/// Joins a guide's prompts into the one text column that holds them.
fn prompts_text(prompts: &[String]) -> String {
    prompts.join("\n")
}

fn prompts_of(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

impl Store {
    /// Saves a guide's questions: a new guide, or a new version of the guide of that name
    /// when they differ from its latest. Returns the version and whether it is new.
    pub fn guide_save(
        &self,
        project: &str,
        name: &str,
        kind: Option<SessionKind>,
        items: &[GuideItem],
    ) -> Result<(GuideVersion, bool)> {
        let pid = self.project_id(project)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Unnamed {
                thing: "topic guide",
                field: "name",
                flag: Some("--name"),
            });
        }
        let tx = self.conn.unchecked_transaction()?;
        let existing: Option<i64> = tx
            .query_row(
                "SELECT id FROM guide WHERE project_id = ?1 AND name = ?2",
                params![pid, name],
                |r| r.get(0),
            )
            .optional()?;
        let guide_id = match existing {
            Some(id) => {
                tx.execute(
                    "UPDATE guide SET session_kind = ?2 WHERE id = ?1",
                    params![id, kind.map(SessionKind::as_str)],
                )?;
                if let Some(latest) = self.guide_latest_id(id)? {
                    let v = self.guide_version_by_id(latest)?;
                    if same_items(&v.questions, items) {
                        tx.commit()?;
                        return Ok((self.guide_version_by_id(latest)?, false));
                    }
                }
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO guide (project_id, name, session_kind, created_at)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![pid, name, kind.map(SessionKind::as_str), now_rfc3339()],
                )?;
                tx.last_insert_rowid()
            }
        };
        tx.execute(
            "INSERT INTO guide_version (guide_id, number, created_at)
             VALUES (?1, (SELECT ifnull(max(number), 0) + 1 FROM guide_version WHERE guide_id = ?1), ?2)",
            params![guide_id, now_rfc3339()],
        )?;
        let version_id = tx.last_insert_rowid();
        {
            let mut ins = tx.prepare(
                "INSERT INTO guide_question (version_id, position, section, text, prompts)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (i, q) in items.iter().enumerate() {
                ins.execute(params![
                    version_id,
                    i as i64 + 1,
                    q.section,
                    q.text,
                    prompts_text(&q.prompts)
                ])?;
            }
        }
        tx.commit()?;
        Ok((self.guide_version_by_id(version_id)?, true))
    }

    fn guide_latest_id(&self, guide_id: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM guide_version WHERE guide_id = ?1 ORDER BY number DESC LIMIT 1",
                [guide_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// A project's guides, with their latest version and how many sessions use each.
    pub fn guide_list(&self, project: &str) -> Result<Vec<GuideSummary>> {
        let pid = self.project_id(project)?;
        let mut st = self.conn.prepare(
            "SELECT g.id, g.name, g.session_kind,
                    (SELECT max(number) FROM guide_version WHERE guide_id = g.id),
                    (SELECT count(*) FROM guide_question q WHERE q.version_id =
                        (SELECT id FROM guide_version WHERE guide_id = g.id ORDER BY number DESC LIMIT 1)),
                    (SELECT count(*) FROM session s JOIN guide_version v ON v.id = s.guide_version_id
                        WHERE v.guide_id = g.id)
             FROM guide g WHERE g.project_id = ?1 ORDER BY g.name COLLATE NOCASE",
        )?;
        let rows = st.query_map([pid], |r| {
            Ok(GuideSummary {
                id: r.get(0)?,
                name: r.get(1)?,
                session_kind: r.get::<_, Option<String>>(2)?.and_then(|k| k.parse().ok()),
                latest: r.get::<_, Option<i64>>(3)?.unwrap_or(0),
                questions: r.get::<_, i64>(4)? as usize,
                sessions: r.get::<_, i64>(5)? as usize,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A guide's version by number, or its latest.
    pub fn guide_version(
        &self,
        project: &str,
        name: &str,
        number: Option<i64>,
    ) -> Result<GuideVersion> {
        let pid = self.project_id(project)?;
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT v.id FROM guide_version v JOIN guide g ON g.id = v.guide_id
                 WHERE g.project_id = ?1 AND g.name = ?2 AND (?3 IS NULL OR v.number = ?3)
                 ORDER BY v.number DESC LIMIT 1",
                params![pid, name.trim(), number],
                |r| r.get(0),
            )
            .optional()?;
        match id {
            Some(id) => self.guide_version_by_id(id),
            None => Err(StoreError::NotFound(match number {
                Some(n) => format!(
                    "the topic guide '{}' has no version {n}: see `fieldnotes guide list --project {project}`",
                    crate::text::for_terminal(name, false)
                ),
                None => format!(
                    "no topic guide named '{}' in project {project}: see `fieldnotes guide list --project {project}`",
                    crate::text::for_terminal(name, false)
                ),
            })),
        }
    }

    /// One version of a guide with its questions in order.
    pub fn guide_version_by_id(&self, id: i64) -> Result<GuideVersion> {
        let (guide_id, guide, kind, number, created_at) = self
            .conn
            .query_row(
                "SELECT g.id, g.name, g.session_kind, v.number, v.created_at
                 FROM guide_version v JOIN guide g ON g.id = v.guide_id WHERE v.id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, String>(4)?,
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no topic guide version {id}")))?;
        let mut st = self.conn.prepare(
            "SELECT id, position, section, text, prompts FROM guide_question
             WHERE version_id = ?1 ORDER BY position",
        )?;
        let questions = st
            .query_map([id], |r| {
                Ok(GuideQuestion {
                    id: r.get(0)?,
                    position: r.get(1)?,
                    section: r.get(2)?,
                    text: r.get(3)?,
                    prompts: prompts_of(&r.get::<_, String>(4)?),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(GuideVersion {
            id,
            guide_id,
            guide,
            session_kind: kind.and_then(|k| k.parse().ok()),
            number,
            created_at,
            questions,
        })
    }

    /// The guide version a session follows: the one it was given, else the latest version
    /// of its project's guide for its kind (else of the project's guide for every kind,
    /// the most recently made when there are several). `None` when the project has none.
    pub fn session_guide(&self, session_id: i64) -> Result<Option<GuideVersion>> {
        let session = self.session(session_id)?;
        let chosen: Option<i64> = self.conn.query_row(
            "SELECT guide_version_id FROM session WHERE id = ?1",
            [session_id],
            |r| r.get(0),
        )?;
        if let Some(id) = chosen {
            return self.guide_version_by_id(id).map(Some);
        }
        self.default_guide_version(session.project_id, session.kind)?
            .map(|id| self.guide_version_by_id(id))
            .transpose()
    }

    /// The guide version a session of this kind follows when it was given none: the latest
    /// version of the project's guide for its kind, else of its guide for every kind.
    pub(super) fn default_guide_version(
        &self,
        project_id: i64,
        kind: SessionKind,
    ) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT v.id FROM guide g JOIN guide_version v ON v.guide_id = g.id
                 WHERE g.project_id = ?1 AND (g.session_kind = ?2 OR g.session_kind IS NULL)
                 ORDER BY g.session_kind IS NULL, g.id DESC, v.number DESC LIMIT 1",
                params![project_id, kind.as_str()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Sets which guide version a session follows (`None`: back to the project's default).
    /// Refused while notes answer questions of the version it follows now.
    pub fn session_guide_set(&self, session_id: i64, version_id: Option<i64>) -> Result<()> {
        let session = self.session(session_id)?;
        if let Some(id) = version_id {
            let v = self.guide_version_by_id(id)?;
            let pid: i64 = self.conn.query_row(
                "SELECT project_id FROM guide WHERE id = ?1",
                [v.guide_id],
                |r| r.get(0),
            )?;
            if pid != session.project_id {
                return Err(StoreError::NotFound(format!(
                    "the topic guide '{}' is not one of project {}'s",
                    crate::text::for_terminal(&v.guide, false),
                    session.project
                )));
            }
        }
        let answered: i64 = self.conn.query_row(
            "SELECT count(*) FROM note n JOIN guide_question q ON q.id = n.question_id
             WHERE n.session_id = ?1 AND q.version_id IS NOT ?2",
            params![session_id, version_id],
            |r| r.get(0),
        )?;
        if answered > 0 {
            return Err(StoreError::Duplicate(format!(
                "{answered} notes of this session answer questions of the guide it follows now: \
                 it keeps that guide (unlink them from their questions first to change it)"
            )));
        }
        self.conn.execute(
            "UPDATE session SET guide_version_id = ?2 WHERE id = ?1",
            params![session_id, version_id],
        )?;
        Ok(())
    }

    /// Checks that a question belongs to the guide the session follows, and fixes that
    /// version as the session's (its notes now answer it). Inside the caller's transaction.
    pub(super) fn question_for_session(&self, session_id: i64, question_id: i64) -> Result<()> {
        let guide = self.session_guide(session_id)?;
        let Some(guide) = guide else {
            return Err(StoreError::NotFound(
                "this session's project has no topic guide: import one with `fieldnotes guide import`"
                    .into(),
            ));
        };
        if !guide.questions.iter().any(|q| q.id == question_id) {
            return Err(StoreError::NotFound(format!(
                "that question is not in the topic guide this session follows ('{}', version {})",
                crate::text::for_terminal(&guide.guide, false),
                guide.number
            )));
        }
        self.conn.execute(
            "UPDATE session SET guide_version_id = ?2 WHERE id = ?1 AND guide_version_id IS NULL",
            params![session_id, guide.id],
        )?;
        Ok(())
    }

    /// Links a note to the question it answers, or unlinks it.
    pub fn note_set_question(&self, note_id: i64, question_id: Option<i64>) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        let session_id: i64 = tx
            .query_row(
                "SELECT session_id FROM note WHERE id = ?1",
                [note_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NoNote(note_id))?;
        if let Some(q) = question_id {
            self.question_for_session(session_id, q)?;
        }
        tx.execute(
            "UPDATE note SET question_id = ?2 WHERE id = ?1",
            params![note_id, question_id],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// How many notes of a session answer each question of the guide it follows, in the
    /// guide's order (zero for a question not yet covered).
    pub fn session_coverage(&self, session_id: i64) -> Result<Vec<(GuideQuestion, usize)>> {
        let Some(guide) = self.session_guide(session_id)? else {
            return Ok(Vec::new());
        };
        let mut st = self.conn.prepare(
            "SELECT question_id, count(*) FROM note
             WHERE session_id = ?1 AND question_id IS NOT NULL GROUP BY question_id",
        )?;
        let counts: std::collections::HashMap<i64, usize> = st
            .query_map([session_id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)? as usize))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(guide
            .questions
            .into_iter()
            .map(|q| {
                let n = counts.get(&q.id).copied().unwrap_or(0);
                (q, n)
            })
            .collect())
    }
}

/// Whether a stored version holds exactly these questions.
fn same_items(stored: &[GuideQuestion], items: &[GuideItem]) -> bool {
    stored.len() == items.len()
        && stored
            .iter()
            .zip(items)
            .all(|(a, b)| a.section == b.section && a.text == b.text && a.prompts == b.prompts)
}
