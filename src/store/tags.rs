//! Tags: a theme on a whole note or on a character span of it.

use rusqlite::{Connection, Row, params};

use super::{Result, Store, StoreError};

impl Store {
    /// Tags a note (or a character span of it) with a theme of its project. Unknown themes
    /// are added to the codebook; returns whether the theme was new.
    pub fn tag(&self, note_id: i64, theme: &str, span: Option<(usize, usize)>) -> Result<bool> {
        let note = self.note(note_id)?;
        let session = self.session(note.session_id)?;
        if let Some((a, b)) = span {
            let len = note.text.chars().count();
            if a >= b || b > len {
                return Err(StoreError::InvalidSpan {
                    start: a,
                    end: b,
                    note_id,
                    len,
                });
            }
        }
        let existed = self.theme_id(session.project_id, theme)?.is_some();
        let tx = self.conn.unchecked_transaction()?;
        let theme_id = self.theme_get_or_create(session.project_id, theme)?;
        tag_insert(&tx, note_id, theme_id, span)?;
        tx.commit()?;
        Ok(!existed)
    }

    /// Removes a whole-note tag.
    pub fn untag(&self, note_id: i64, theme: &str) -> Result<()> {
        self.untag_span(note_id, theme, None)
    }
}

/// The columns [`tag_row_from_row`] reads; `t` is the tag, `th` its theme.
const TAG_ROW_SELECT: &str = "SELECT t.note_id, th.name, t.span_start, t.span_end FROM tag t
    JOIN theme th ON th.id = t.theme_id";

/// Reads `note_id, theme name, span_start, span_end`.
fn tag_row_from_row(r: &Row<'_>) -> rusqlite::Result<TagRow> {
    let a: Option<i64> = r.get(2)?;
    let b: Option<i64> = r.get(3)?;
    Ok(TagRow {
        note_id: r.get(0)?,
        theme: r.get(1)?,
        span: a.zip(b).map(|(a, b)| (a as usize, b as usize)),
    })
}

/// One tag on a note: the theme and, for a span tag, its character range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRow {
    /// The tagged note.
    pub note_id: i64,
    /// The theme's name.
    pub theme: String,
    /// Characters `start..end` of the note, or the whole note.
    pub span: Option<(usize, usize)>,
}

impl Store {
    /// Every tag on the notes of one session.
    pub fn tag_rows_of_session(&self, session_id: i64) -> Result<Vec<TagRow>> {
        let mut st = self.conn.prepare(&format!(
            "{TAG_ROW_SELECT} JOIN note n ON n.id = t.note_id WHERE n.session_id = ?1
                 ORDER BY t.note_id, t.span_start, th.name COLLATE NOCASE"
        ))?;
        let rows = st.query_map([session_id], tag_row_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Removes one tag: a span tag when `span` is given, else the whole-note tag.
    pub fn untag_span(
        &self,
        note_id: i64,
        theme: &str,
        span: Option<(usize, usize)>,
    ) -> Result<()> {
        let note = self.note(note_id)?;
        let session = self.session(note.session_id)?;
        if let Some(tid) = self.theme_id(session.project_id, theme)? {
            let (a, b) = match span {
                Some((a, b)) => (a as i64, b as i64),
                None => (-1, -1),
            };
            self.conn.execute(
                "DELETE FROM tag WHERE note_id = ?1 AND theme_id = ?2
                   AND ifnull(span_start, -1) = ?3 AND ifnull(span_end, -1) = ?4",
                params![note_id, tid, a, b],
            )?;
        }
        Ok(())
    }

    /// Every tag on the notes of a project, in note and theme order.
    pub fn tag_rows(&self, project: &str) -> Result<Vec<TagRow>> {
        let pid = self.project_id(project)?;
        let mut st = self.conn.prepare(&format!(
            "{TAG_ROW_SELECT} WHERE th.project_id = ?1
                 ORDER BY t.note_id, th.name COLLATE NOCASE, t.span_start"
        ))?;
        let rows = st.query_map([pid], tag_row_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

pub(super) fn tag_insert(
    conn: &Connection,
    note_id: i64,
    theme_id: i64,
    span: Option<(usize, usize)>,
) -> Result<()> {
    let (a, b) = match span {
        Some((a, b)) => (Some(a as i64), Some(b as i64)),
        None => (None, None),
    };
    conn.execute(
        "INSERT OR IGNORE INTO tag (note_id, theme_id, span_start, span_end) VALUES (?1,?2,?3,?4)",
        params![note_id, theme_id, a, b],
    )?;
    Ok(())
}
