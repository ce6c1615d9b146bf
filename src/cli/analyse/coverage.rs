//! `analyse coverage` and `analyse excerpts --question`: a topic guide's question × session
//! matrix as text, CSV or JSON, and the notes answering one question.

use fieldnotes::analysis::{Coverage, Filter, NOT_ASKED, cell_text as cell};
use fieldnotes::app::AppError;
use fieldnotes::app::analysis::{Analysis, ShownExcerpt};
use fieldnotes::vault::Vault;

use super::super::Result;
use super::super::args::TableFormat;
use super::{csv_text, json_text, table_text};

/// The notes answering question `n` (as `analyse coverage` numbers it) of a guide, of one
/// session or all.
pub(super) fn question_excerpts(
    v: &Vault,
    analysis: &Analysis,
    f: &Filter,
    guide: Option<&str>,
    n: usize,
    session: Option<i64>,
) -> Result<Vec<ShownExcerpt>> {
    let cov = analysis.coverage(v, guide, f)?;
    let Some(row) = n.checked_sub(1).filter(|&r| r < cov.questions.len()) else {
        return Err(AppError::Guide(format!(
            "the topic guide has questions 1 to {}, not {n}: see `fieldnotes analyse coverage`",
            cov.questions.len()
        ))
        .into());
    };
    if let Some(s) = session
        && !cov.sessions.iter().any(|c| c.id == s)
    {
        return Err(AppError::Guide(format!(
            "session {s} does not follow this topic guide: see the sessions of `fieldnotes analyse coverage`"
        ))
        .into());
    }
    Ok(analysis.question_excerpts(&cov, row, session))
}

/// The matrix as text (question numbers × session ids, with a legend), CSV (one row per
/// question, one column per session; an empty cell is a question the session's version
/// does not ask) or JSON.
pub(super) fn text(format: TableFormat, cov: &Coverage) -> Result<String> {
    let when = |s: &fieldnotes::analysis::CoverageSession| {
        s.date
            .clone()
            .or_else(|| s.month.clone())
            .unwrap_or_default()
    };
    match format {
        TableFormat::Json => json_text(cov),
        TableFormat::Csv => {
            let mut head: Vec<String> = ["question_number", "section", "question", "versions"]
                .map(String::from)
                .to_vec();
            head.extend(
                cov.sessions
                    .iter()
                    .map(|s| format!("{}: {} ({})", s.id, s.title, when(s))),
            );
            head.extend(["sessions_covering", "notes"].map(String::from));
            let mut rows = vec![head];
            for (q, row) in cov.questions.iter().enumerate() {
                let mut line = vec![
                    row.number.to_string(),
                    row.section.clone(),
                    row.text.clone(),
                    row.versions
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(";"),
                ];
                line.extend(
                    cov.cells[q]
                        .iter()
                        .map(|c| c.map(|n| n.to_string()).unwrap_or_default()),
                );
                line.push(row.sessions.to_string());
                line.push(row.notes.to_string());
                rows.push(line);
            }
            let mut total = vec![
                String::new(),
                String::new(),
                "questions covered".to_owned(),
                String::new(),
            ];
            total.extend(
                cov.sessions
                    .iter()
                    .map(|s| format!("{}/{}", s.covered, s.questions)),
            );
            total.extend([String::new(), String::new()]);
            rows.push(total);
            csv_text(rows)
        }
        TableFormat::Table => {
            let mut out = format!(
                "Topic guide: {} (version{} {})\n\n",
                cov.guide,
                if cov.versions.len() == 1 { "" } else { "s" },
                cov.versions
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if cov.sessions.is_empty() {
                out.push_str("No session follows this guide yet.\n\n");
            }
            let mut head = vec![String::new()];
            head.extend(cov.sessions.iter().map(|s| format!("S{}", s.id)));
            head.extend(["sessions".to_owned(), "notes".to_owned()]);
            let mut t = vec![head];
            for (q, row) in cov.questions.iter().enumerate() {
                let mut line = vec![format!("Q{}", row.number)];
                line.extend(cov.cells[q].iter().map(|&c| cell(c)));
                line.push(row.sessions.to_string());
                line.push(row.notes.to_string());
                t.push(line);
            }
            let mut covered = vec!["covered".to_owned()];
            covered.extend(
                cov.sessions
                    .iter()
                    .map(|s| format!("{}/{}", s.covered, s.questions)),
            );
            t.push(covered);
            out.push_str(&table_text(t));
            out.push_str("\nQuestions\n");
            let mut legend = Vec::new();
            for (q, row) in cov.questions.iter().enumerate() {
                let section = if row.section.is_empty() {
                    String::new()
                } else {
                    format!("{} — ", row.section)
                };
                let mut line = vec![format!("Q{}", row.number), format!("{section}{}", row.text)];
                let note = cov.versions_note(q);
                if !note.is_empty() {
                    line.push(format!("({note})"));
                }
                legend.push(line);
            }
            out.push_str(&table_text(legend));
            if !cov.sessions.is_empty() {
                out.push_str("\nSessions\n");
                let rows = cov
                    .sessions
                    .iter()
                    .map(|s| {
                        vec![
                            format!("S{}", s.id),
                            s.title.clone(),
                            when(s),
                            format!("version {}", s.version),
                        ]
                    })
                    .collect();
                out.push_str(&table_text(rows));
            }
            out.push_str(&format!(
                "\ncells: notes answering the question in the session; {NOT_ASKED}: not in the version the session follows\n"
            ));
            Ok(out)
        }
    }
}
