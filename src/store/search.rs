//! Full-text search over notes.

use rusqlite::params;

use super::notes::{NOTE_COLUMNS, NOTE_FROM, note_from_row};
use super::rights::SPEAKER_NOT_RESTRICTED;
use super::{Result, Rewriter, Store};
use crate::model::SearchHit;

impl Store {
    /// Full-text search across notes (every word must appear, in any order; a word may be a
    /// prefix with a trailing `*`). User input never reaches FTS5's query syntax unquoted.
    /// `names` finds restricted people's names, whose mentions are withheld.
    pub fn search(
        &self,
        query: &str,
        project: Option<&str>,
        names: &dyn Rewriter,
    ) -> Result<Vec<SearchHit>> {
        let fts = fts_query(query);
        if fts.is_empty() {
            return Ok(Vec::new());
        }
        let pid = project.map(|p| self.project_id(p)).transpose()?;
        let sql = format!(
            "SELECT {NOTE_COLUMNS}, pr.name, s.title, s.project_id {NOTE_FROM}
             JOIN note_fts f ON f.rowid = n.id
             JOIN session s ON s.id = n.session_id JOIN project pr ON pr.id = s.project_id
             WHERE note_fts MATCH ?1 AND (?2 IS NULL OR s.project_id = ?2)
               AND {SPEAKER_NOT_RESTRICTED}
             ORDER BY f.rank LIMIT 500"
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map(params![fts, pid], |r| {
            let note = note_from_row(r)?;
            let hit = SearchHit {
                project: r.get(15)?,
                session_id: note.session_id,
                session_title: r.get(16)?,
                note,
            };
            Ok((r.get::<_, i64>(17)?, hit))
        })?;
        // the query leaves out what restricted people said; what others said about them
        // goes too
        self.withhold_restricted(rows.collect::<rusqlite::Result<_>>()?, names)
    }
}

/// Turns free text into an FTS5 query of quoted terms, so quotes, `AND`, `-` or `:` in what
/// the user typed are searched for rather than parsed.
fn fts_query(q: &str) -> String {
    q.split_whitespace()
        .filter_map(|w| {
            let prefix = w.ends_with('*');
            let core: String = w
                .trim_end_matches('*')
                .chars()
                .filter(|c| *c != '"')
                .collect();
            if core.is_empty() {
                return None;
            }
            Some(if prefix {
                format!("\"{core}\"*")
            } else {
                format!("\"{core}\"")
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}
