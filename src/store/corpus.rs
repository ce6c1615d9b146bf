//! A project's notes and tags as analysis reads them, in two queries, with what the
//! project's restrictions withhold already left out.

use rusqlite::params;
use serde::Serialize;

use super::notes::speaker_sql;
use super::rights::SPEAKER_NOT_RESTRICTED;
use super::{Result, Rewriter, Store};
use crate::model::{NoteKind, SessionKind};

/// One note as analysis sees it.
#[derive(Debug, Clone, Serialize)]
pub struct NoteRow {
    /// Note id.
    pub id: i64,
    /// Session id.
    pub session_id: i64,
    /// Session title.
    pub session: String,
    /// Interview or workshop.
    pub session_kind: SessionKind,
    /// Session date (or the day the note was written), YYYY-MM-DD.
    pub date: String,
    /// Position in the session.
    pub position: i64,
    /// Speaker pseudonym or facilitator code.
    pub speaker: Option<String>,
    /// Participant group: the speaker's role, `facilitator`, or `unattributed`.
    pub group: String,
    /// Kind of note.
    pub kind: NoteKind,
    /// Raw text (inside the vault); see [`Corpus::display_text`].
    #[serde(skip)]
    pub text: String,
    /// Workshop votes.
    pub votes: i64,
    /// Workshop cluster.
    pub cluster: Option<String>,
    /// The topic guide question the note answers (a row id, inside the vault only).
    #[serde(skip)]
    pub question_id: Option<i64>,
}

/// A tag on a note of the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusTag {
    /// The note.
    pub note_id: i64,
    /// The theme.
    pub theme_id: i64,
    /// For a span tag, its character range.
    pub span: Option<(i64, i64)>,
}

impl Store {
    /// A project's notes in session order, with each speaker's participant group; the notes
    /// its restrictions withhold are left out (`names` finds restricted people's names).
    pub fn corpus_notes(&self, project: &str, names: &dyn Rewriter) -> Result<Vec<NoteRow>> {
        let pid = self.project_id(project)?;
        let restriction = self.restriction(project, names)?;
        let sql = format!(
            "SELECT n.id, n.session_id, s.title, s.kind,
               ifnull(s.date, date(n.created_at_ms / 1000, 'unixepoch')), n.position,
               {},
               CASE WHEN n.speaker_participant_id IS NOT NULL THEN ifnull(p.role, 'no role recorded')
                    WHEN n.speaker_facilitator IS NOT NULL THEN 'facilitator'
                    ELSE 'unattributed' END,
               n.kind, n.text, n.votes, n.cluster, n.question_id
             FROM note n JOIN session s ON s.id = n.session_id
             LEFT JOIN participant p ON p.id = n.speaker_participant_id
             WHERE s.project_id = ?1 AND {SPEAKER_NOT_RESTRICTED}
             ORDER BY ifnull(s.date, s.created_at), s.id, n.position",
            speaker_sql!()
        );
        let mut st = self.conn.prepare(&sql)?;
        let mut notes: Vec<NoteRow> = st
            .query_map(params![pid], |r| {
                let kind: String = r.get(3)?;
                let nkind: String = r.get(8)?;
                Ok(NoteRow {
                    id: r.get(0)?,
                    session_id: r.get(1)?,
                    session: r.get(2)?,
                    session_kind: kind.parse().unwrap_or(SessionKind::Interview),
                    date: r.get(4)?,
                    position: r.get(5)?,
                    speaker: r.get(6)?,
                    group: r.get(7)?,
                    kind: nkind.parse().unwrap_or(NoteKind::Paraphrase),
                    text: r.get(9)?,
                    votes: r.get(10)?,
                    cluster: r.get(11)?,
                    question_id: r.get(12)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        notes.retain(|n| !restriction.withholds_in(n.session_id, n.speaker.as_deref(), &n.text));
        Ok(notes)
    }

    /// Every tag on a note of a project's themes.
    pub fn corpus_tags(&self, project: &str) -> Result<Vec<CorpusTag>> {
        let pid = self.project_id(project)?;
        let mut st = self.conn.prepare(
            "SELECT t.note_id, t.theme_id, t.span_start, t.span_end FROM tag t
             JOIN theme th ON th.id = t.theme_id WHERE th.project_id = ?1",
        )?;
        let rows = st.query_map(params![pid], |r| {
            let (a, b): (Option<i64>, Option<i64>) = (r.get(2)?, r.get(3)?);
            Ok(CorpusTag {
                note_id: r.get(0)?,
                theme_id: r.get(1)?,
                span: a.zip(b),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
