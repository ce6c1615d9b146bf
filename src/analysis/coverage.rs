//! Topic guide coverage: which questions of a guide each session that follows it answered,
//! and with how many notes. One row per question across all the guide's versions (a
//! question is the same row in two versions when its section and text read the same, case
//! and spacing aside), one column per session, and in each cell the notes of that session
//! answering that question, or nothing when the session's version does not ask it.

use std::collections::HashMap;

use serde::Serialize;

use super::{Corpus, Filter};
use crate::model::{GuideVersion, Session};

/// One question of the guide, across its versions.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CoverageQuestion {
    /// Its row number: the questions of the latest version first, numbered as there (so
    /// question `n` is the latest version's question `n`), then questions only older
    /// versions asked.
    pub number: usize,
    /// Its section heading (empty before any heading).
    pub section: String,
    /// The question.
    pub text: String,
    /// The version numbers that ask it.
    pub versions: Vec<i64>,
    /// Whether every version asks it.
    pub in_every_version: bool,
    /// Sessions with at least one note answering it.
    pub sessions: usize,
    /// Notes answering it, across sessions.
    pub notes: usize,
    /// Its row id in each version that asks it: (version id, question id).
    #[serde(skip)]
    pub ids: Vec<(i64, i64)>,
}

/// One session that follows a version of the guide.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CoverageSession {
    /// Session id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Date (YYYY-MM-DD) as stored; see the views for what is shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Month (YYYY-MM).
    pub month: Option<String>,
    /// The version of the guide it follows.
    pub version: i64,
    /// Questions of its version with at least one note answering them.
    pub covered: usize,
    /// Questions in its version.
    pub questions: usize,
    /// Notes answering a question.
    pub notes: usize,
}

/// A guide's question × session matrix.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Coverage {
    /// The guide's name.
    pub guide: String,
    /// Its version numbers, oldest first.
    pub versions: Vec<i64>,
    /// Rows.
    pub questions: Vec<CoverageQuestion>,
    /// Columns, by date.
    pub sessions: Vec<CoverageSession>,
    /// `cells[q][s]`: notes of session `s` answering question `q`; `None` when the version
    /// session `s` follows does not ask it (not the same as 0: asked, not answered).
    pub cells: Vec<Vec<Option<usize>>>,
    /// Per row: the corpus indexes of the notes answering it, in session order.
    #[serde(skip)]
    pub notes: Vec<Vec<u32>>,
}

/// A section and question as compared across versions: lower case, runs of spaces as one.
fn key(section: &str, text: &str) -> (String, String) {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    (norm(section), norm(text))
}

/// What a cell shows when the session's version does not ask the question.
pub const NOT_ASKED: &str = "–";

/// A cell as the views show it: its count, or [`NOT_ASKED`].
pub fn cell_text(c: Option<usize>) -> String {
    c.map_or_else(|| NOT_ASKED.to_owned(), |n| n.to_string())
}

impl Coverage {
    /// The versions row `q` is in, in words: "" when it is in all of them.
    pub fn versions_note(&self, q: usize) -> String {
        let Some(row) = self.questions.get(q).filter(|r| !r.in_every_version) else {
            return String::new();
        };
        let vs: Vec<String> = row.versions.iter().map(i64::to_string).collect();
        match vs.as_slice() {
            [one] => format!("version {one} only"),
            _ => format!("versions {} only", vs.join(", ")),
        }
    }

    /// The notes (corpus indexes) answering row `q`, of one session or of all.
    pub fn notes_of(&self, q: usize, session: Option<i64>, corpus: &Corpus) -> Vec<u32> {
        self.notes
            .get(q)
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|&i| session.is_none_or(|s| corpus.notes[i as usize].session_id == s))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Corpus {
    /// The coverage of one guide: `versions` are all its versions (any order), `followers`
    /// the sessions following one of them with that version's id. Notes the corpus left out
    /// (restricted people's) are not counted; the filter narrows the notes counted (role,
    /// kind, dates) and the sessions shown (kind, dates).
    pub fn coverage(
        &self,
        versions: &[GuideVersion],
        followers: &[(Session, i64)],
        f: &Filter,
    ) -> Coverage {
        let mut versions: Vec<&GuideVersion> = versions.iter().collect();
        versions.sort_by_key(|v| v.number);
        let number_of: HashMap<i64, i64> = versions.iter().map(|v| (v.id, v.number)).collect();
        // rows: the latest version's questions, then older versions' (newest first) not in it
        let mut rows: Vec<CoverageQuestion> = Vec::new();
        let mut row_of_key: HashMap<(String, String), usize> = HashMap::new();
        let mut row_of_question: HashMap<i64, usize> = HashMap::new();
        for v in versions.iter().rev() {
            for q in &v.questions {
                let k = key(&q.section, &q.text);
                let r = *row_of_key.entry(k).or_insert_with(|| {
                    rows.push(CoverageQuestion {
                        number: rows.len() + 1,
                        section: q.section.clone(),
                        text: q.text.clone(),
                        versions: Vec::new(),
                        in_every_version: false,
                        sessions: 0,
                        notes: 0,
                        ids: Vec::new(),
                    });
                    rows.len() - 1
                });
                if !rows[r].versions.contains(&v.number) {
                    rows[r].versions.push(v.number);
                    rows[r].ids.push((v.id, q.id));
                }
                row_of_question.insert(q.id, r);
            }
        }
        for r in &mut rows {
            r.versions.sort_unstable();
            r.in_every_version = r.versions.len() == versions.len();
        }
        // columns: the sessions kept by the filter, by date (undated last)
        let mut cols: Vec<(&Session, i64)> = followers
            .iter()
            .filter(|(s, v)| {
                number_of.contains_key(v)
                    && f.session_kind.is_none_or(|k| s.kind == k)
                    && s.date.as_deref().is_none_or(|d| {
                        f.from.as_deref().is_none_or(|x| d >= x)
                            && f.to.as_deref().is_none_or(|x| d <= x)
                    })
            })
            .map(|(s, v)| (s, *v))
            .collect();
        cols.sort_by(|a, b| {
            (a.0.date.is_none(), &a.0.date, a.0.id).cmp(&(b.0.date.is_none(), &b.0.date, b.0.id))
        });
        let col_of: HashMap<i64, usize> = cols
            .iter()
            .enumerate()
            .map(|(i, (s, _))| (s.id, i))
            .collect();
        let mut cells: Vec<Vec<Option<usize>>> = rows
            .iter()
            .map(|r| {
                cols.iter()
                    .map(|(_, v)| r.ids.iter().any(|(rv, _)| rv == v).then_some(0))
                    .collect()
            })
            .collect();
        let mut notes: Vec<Vec<u32>> = vec![Vec::new(); rows.len()];
        for (i, n) in self.notes.iter().enumerate() {
            let (Some(q), Some(&c)) = (n.question_id, col_of.get(&n.session_id)) else {
                continue;
            };
            let Some(&r) = row_of_question.get(&q) else {
                continue;
            };
            if !self.keep(f, i as u32) {
                continue;
            }
            if let Some(cell) = &mut cells[r][c] {
                *cell += 1;
                notes[r].push(i as u32);
            }
        }
        for (r, row) in rows.iter_mut().enumerate() {
            row.sessions = cells[r].iter().filter(|c| c.is_some_and(|n| n > 0)).count();
            row.notes = cells[r].iter().flatten().sum();
        }
        let sessions = cols
            .iter()
            .enumerate()
            .map(|(c, (s, v))| {
                let column = cells.iter().map(|row| row[c]);
                CoverageSession {
                    id: s.id,
                    title: s.title.clone(),
                    date: s.date.clone(),
                    month: s
                        .date
                        .as_deref()
                        .and_then(|d| d.get(..7))
                        .map(str::to_owned),
                    version: number_of.get(v).copied().unwrap_or(0),
                    covered: column.clone().filter(|x| x.is_some_and(|n| n > 0)).count(),
                    questions: column.clone().flatten().count(),
                    notes: column.flatten().sum(),
                }
            })
            .collect();
        Coverage {
            guide: versions
                .first()
                .map(|v| v.guide.clone())
                .unwrap_or_default(),
            versions: versions.iter().map(|v| v.number).collect(),
            questions: rows,
            sessions,
            cells,
            notes,
        }
    }
}

#[cfg(test)]
mod tests;
