//! Notes: what was said or seen in a session, in order, with speaker and kind.

use rusqlite::{OptionalExtension, Row, params};

use super::error::{no_note, no_participant};
use super::tags::tag_insert;
use super::{Result, Store, StoreError, blank_to_none, now_ms};
use crate::model::{Note, NoteKind, Session, SessionKind, Source};
use crate::text;

/// Fields of a new note.
#[derive(Debug, Clone)]
pub struct NewNote {
    /// Session id.
    pub session_id: i64,
    /// Speaker code (`P01`, `F1`) or `None`.
    pub speaker: Option<String>,
    /// Kind.
    pub kind: NoteKind,
    /// Text as typed; cleaned before storing.
    pub text: String,
    /// Special category flag.
    pub special_category: bool,
    /// Criminal-offence flag.
    pub criminal_offence: bool,
    /// Themes to tag the whole note with (created in the project when new).
    pub themes: Vec<String>,
    /// When it was written (Unix ms).
    pub at_ms: i64,
    /// Workshop cluster.
    pub cluster: Option<String>,
    /// Page of the paper original.
    pub page: Option<String>,
    /// The topic guide question it answers (of the guide the session follows).
    pub question_id: Option<i64>,
}

/// How a note's speaker is named: the participant's pseudonym, or `F` and the facilitator's
/// number. A note `n` joined to its speaking participant `p`; every query that names a
/// speaker uses this one expression, so a list, a search hit and an analysis view agree.
macro_rules! speaker_sql {
    () => {
        "CASE WHEN n.speaker_participant_id IS NOT NULL THEN p.pseudonym
              WHEN n.speaker_facilitator IS NOT NULL THEN 'F' || n.speaker_facilitator END"
    };
}
pub(super) use speaker_sql;

pub(super) const NOTE_COLUMNS: &str = concat!(
    "n.id, n.session_id, n.position, n.created_at_ms, n.offset_ms, ",
    speaker_sql!(),
    ",
    n.kind, n.text, n.special_category, n.criminal_offence,
    (SELECT group_concat(name, char(31)) FROM (SELECT DISTINCT th.name FROM tag t
        JOIN theme th ON th.id = t.theme_id WHERE t.note_id = n.id ORDER BY th.name)),
    n.cluster, n.votes, n.page, n.question_id"
);

/// How many columns [`NOTE_COLUMNS`] selects: a query adding its own reads them from here.
pub(super) const NOTE_COLUMN_COUNT: usize = 15;

pub(super) const NOTE_FROM: &str =
    "FROM note n LEFT JOIN participant p ON p.id = n.speaker_participant_id";

pub(super) fn note_from_row(r: &Row<'_>) -> rusqlite::Result<Note> {
    let kind: String = r.get(6)?;
    let themes: Option<String> = r.get(10)?;
    Ok(Note {
        id: r.get(0)?,
        session_id: r.get(1)?,
        position: r.get(2)?,
        created_at_ms: r.get(3)?,
        offset_ms: r.get(4)?,
        speaker: r.get(5)?,
        kind: kind.parse().unwrap_or(NoteKind::Paraphrase),
        text: r.get(7)?,
        special_category: r.get(8)?,
        criminal_offence: r.get(9)?,
        themes: themes
            .map(|s| s.split('\u{1f}').map(str::to_owned).collect())
            .unwrap_or_default(),
        cluster: r.get(11)?,
        votes: r.get(12)?,
        page: r.get(13)?,
        question_id: r.get(14)?,
    })
}

impl Store {
    /// Adds a note at the end of its session, with its tags, in one transaction; returns its id.
    pub fn note_add(&self, n: NewNote) -> Result<i64> {
        let tx = self.conn.unchecked_transaction()?;
        let id = self.insert_note(&n)?;
        tx.commit()?;
        Ok(id)
    }

    /// Changes a note's text, speaker and kind (themes stay).
    pub fn note_update(
        &self,
        id: i64,
        text: &str,
        speaker: Option<&str>,
        kind: NoteKind,
    ) -> Result<Note> {
        let note = self.note(id)?;
        let session = self.session(note.session_id)?;
        let text = text::clean_note_text(text);
        if text.is_empty() {
            return Err(StoreError::EmptiedNote);
        }
        let (sp, sf) = self.resolve_speaker(&session, speaker)?;
        self.conn.execute(
            "UPDATE note SET text = ?2, speaker_participant_id = ?3, speaker_facilitator = ?4,
               kind = ?5, updated_at_ms = ?6 WHERE id = ?1",
            params![id, text, sp, sf, kind.as_str(), now_ms()],
        )?;
        self.note(id)
    }

    /// Swaps a note with its neighbour (earlier when `up`); returns false at either end.
    pub fn note_move(&self, id: i64, up: bool) -> Result<bool> {
        let note = self.note(id)?;
        let sql = if up {
            "SELECT id, position FROM note WHERE session_id = ?1 AND position < ?2 ORDER BY position DESC LIMIT 1"
        } else {
            "SELECT id, position FROM note WHERE session_id = ?1 AND position > ?2 ORDER BY position LIMIT 1"
        };
        let other: Option<(i64, i64)> = self
            .conn
            .query_row(sql, params![note.session_id, note.position], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let Some((other_id, other_pos)) = other else {
            return Ok(false);
        };
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "UPDATE note SET position = ?2 WHERE id = ?1",
            params![id, other_pos],
        )?;
        tx.execute(
            "UPDATE note SET position = ?2 WHERE id = ?1",
            params![other_id, note.position],
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// Deletes a note and its tags (secure_delete overwrites the freed pages).
    pub fn note_delete(&self, id: i64) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        let n = self.delete_note_rows(id)?;
        tx.commit()?;
        if n == 0 { Err(no_note(id)) } else { Ok(()) }
    }

    /// Deletes a note and its tags inside the caller's transaction; returns how many notes
    /// went (0 or 1).
    pub(super) fn delete_note_rows(&self, id: i64) -> Result<usize> {
        self.conn
            .execute("DELETE FROM tag WHERE note_id = ?1", [id])?;
        Ok(self.conn.execute("DELETE FROM note WHERE id = ?1", [id])?)
    }

    /// Adds (or, negative, removes) dot votes on an idea; never below zero.
    pub fn note_vote(&self, id: i64, delta: i64) -> Result<i64> {
        self.note(id)?;
        self.conn.execute(
            "UPDATE note SET votes = max(0, votes + ?2), updated_at_ms = ?3 WHERE id = ?1",
            params![id, delta, now_ms()],
        )?;
        Ok(self.note(id)?.votes)
    }

    /// Marks whether a note holds special category or criminal-offence data.
    pub fn note_set_flags(&self, id: i64, special: bool, criminal: bool) -> Result<()> {
        self.note(id)?;
        self.conn.execute(
            "UPDATE note SET special_category = ?2, criminal_offence = ?3 WHERE id = ?1",
            params![id, special, criminal],
        )?;
        Ok(())
    }

    /// Puts an idea in a cluster (`None` or blank removes it from any).
    pub fn note_set_cluster(&self, id: i64, cluster: Option<&str>) -> Result<()> {
        self.note(id)?;
        let c = cluster.map(str::trim).filter(|c| !c.is_empty());
        self.conn
            .execute("UPDATE note SET cluster = ?2 WHERE id = ?1", params![id, c])?;
        Ok(())
    }

    /// Records the page of the paper original a note was transcribed from.
    pub fn note_set_page(&self, id: i64, page: Option<&str>) -> Result<()> {
        self.note(id)?;
        let p = page.map(str::trim).filter(|p| !p.is_empty());
        self.conn
            .execute("UPDATE note SET page = ?2 WHERE id = ?1", params![id, p])?;
        Ok(())
    }

    /// Adds many notes in one transaction (imports, transcriptions); all or none.
    pub fn note_add_many(&self, notes: &[NewNote]) -> Result<Vec<i64>> {
        let tx = self.conn.unchecked_transaction()?;
        let ids = notes
            .iter()
            .map(|n| self.insert_note(n))
            .collect::<Result<Vec<_>>>()?;
        tx.commit()?;
        Ok(ids)
    }

    /// Inserts one note inside the caller's transaction.
    pub(super) fn insert_note(&self, n: &NewNote) -> Result<i64> {
        let text = text::clean_note_text(&n.text);
        if text.is_empty() {
            return Err(StoreError::EmptyText);
        }
        if text.len() > text::MAX_NOTE_BYTES {
            return Err(StoreError::NoteTooLarge {
                mb: text.len() / (1024 * 1024),
                max_mb: text::MAX_NOTE_BYTES / (1024 * 1024),
            });
        }
        let session = self.session(n.session_id)?;
        let (speaker_participant, speaker_facilitator) =
            self.resolve_speaker(&session, n.speaker.as_deref())?;
        if let Some(q) = n.question_id {
            self.question_for_session(session.id, q)?;
        }
        let offset_ms = if session.source == Source::Live && session.kind != SessionKind::Review {
            let start = match session.started_at_ms {
                Some(s) => s,
                None => {
                    self.conn.execute(
                        "UPDATE session SET started_at_ms = ?2 WHERE id = ?1",
                        params![session.id, n.at_ms],
                    )?;
                    n.at_ms
                }
            };
            Some((n.at_ms - start).max(0))
        } else {
            None
        };
        self.conn.execute(
            "INSERT INTO note (session_id, position, created_at_ms, offset_ms,
               speaker_participant_id, speaker_facilitator, kind, text, special_category,
               criminal_offence, updated_at_ms, cluster, page, question_id)
             VALUES (?1, (SELECT ifnull(max(position), 0) + 1 FROM note WHERE session_id = ?1),
                     ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?2, ?10, ?11, ?12)",
            params![
                session.id,
                n.at_ms,
                offset_ms,
                speaker_participant,
                speaker_facilitator,
                n.kind.as_str(),
                text,
                n.special_category,
                n.criminal_offence,
                blank_to_none(n.cluster.clone()),
                blank_to_none(n.page.clone()),
                n.question_id
            ],
        )?;
        let note_id = self.conn.last_insert_rowid();
        for theme in &n.themes {
            let theme_id = self.theme_get_or_create(session.project_id, theme)?;
            tag_insert(&self.conn, note_id, theme_id, None)?;
        }
        Ok(note_id)
    }

    fn resolve_speaker(
        &self,
        session: &Session,
        speaker: Option<&str>,
    ) -> Result<(Option<i64>, Option<i64>)> {
        let Some(code) = speaker.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok((None, None));
        };
        if let Some(pid) = self.participant_id(session.project_id, code)? {
            return Ok((Some(pid), None));
        }
        let facilitator = code
            .strip_prefix(['F', 'f'])
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n >= 1 && *n <= session.facilitators.len());
        match facilitator {
            Some(n) => Ok((None, Some(n as i64))),
            None => Err(no_participant(code, &session.project)),
        }
    }

    /// Notes of a session, in order.
    pub fn notes(&self, session_id: i64) -> Result<Vec<Note>> {
        self.session(session_id)?;
        let sql = format!(
            "SELECT {NOTE_COLUMNS} {NOTE_FROM} WHERE n.session_id = ?1 ORDER BY n.position"
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map([session_id], note_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One note.
    pub fn note(&self, id: i64) -> Result<Note> {
        let sql = format!("SELECT {NOTE_COLUMNS} {NOTE_FROM} WHERE n.id = ?1");
        self.conn
            .query_row(&sql, [id], note_from_row)
            .optional()?
            .ok_or_else(|| no_note(id))
    }
}

#[cfg(test)]
mod column_tests {
    use super::*;

    #[test]
    fn the_note_column_count_is_what_the_query_selects() {
        let s = Store::open_in_memory().unwrap();
        let st = s
            .conn
            .prepare(&format!("SELECT {NOTE_COLUMNS} {NOTE_FROM}"))
            .unwrap();
        assert_eq!(st.column_count(), NOTE_COLUMN_COUNT);
    }
}
