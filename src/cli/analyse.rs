//! `fieldnotes analyse …`: theme frequencies, co-occurrence, excerpts and ideas.
//!
//! Every output is anonymised like an export and passes its leak guard before anything is
//! written (`app::analysis`); `--raw` shows the vault's own text and is audited as such.

use std::io::Write;

use fieldnotes::analysis::{Filter, Query};
use fieldnotes::app::analysis::{Analysis, ShownExcerpt};
use fieldnotes::app::{self, AppError};
use fieldnotes::model::parse_date;
use fieldnotes::text::{for_data, for_terminal, json_pretty};
use fieldnotes::vault::Vault;
use unicode_width::UnicodeWidthStr;

use super::Result;
use super::args::{AnalyseArgs, AnalyseCmd, TableFormat};
use super::term::Out;

mod coverage;

fn filter(a: &AnalyseArgs) -> Result<Filter> {
    let date = |d: &Option<String>| {
        d.as_deref()
            .map(parse_date)
            .transpose()
            .map_err(AppError::Date)
    };
    Ok(Filter {
        group: a.role.clone(),
        session_kind: a.session_kind,
        from: date(&a.from)?,
        to: date(&a.to)?,
        children: a.children,
    }
    .checked()
    .map_err(AppError::from)?)
}

/// CSV is data: no control character (an escape sequence in a title) survives into it, and
/// on a terminal [`Out::data`] makes the rest safe to show too. Cells a spreadsheet would
/// evaluate are defused as in the export.
pub(super) fn csv_text(rows: Vec<Vec<String>>) -> Result<String> {
    let rows = rows
        .into_iter()
        .map(|r| r.iter().map(|c| for_data(c)).collect::<Vec<String>>());
    Ok(fieldnotes::export::csv_text(rows).map_err(AppError::from)?)
}

/// JSON escapes every character a terminal would obey, so it is safe anywhere as it is.
pub(super) fn json_text(v: &impl serde::Serialize) -> Result<String> {
    let json = json_pretty(v).map_err(std::io::Error::other)?;
    Ok(format!("{json}\n"))
}

/// Rows as aligned columns (terminal-safe).
pub(super) fn table_text(rows: Vec<Vec<String>>) -> String {
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| r.iter().map(|c| for_terminal(c, false)).collect())
        .collect();
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            line.push_str(c);
            if i + 1 < r.len() {
                line.push_str(&" ".repeat(widths[i] - c.width() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The themes to show: those asked for, or all of them.
fn theme_indexes(c: &Analysis, a: &AnalyseArgs) -> Result<Vec<usize>> {
    if a.themes.is_empty() {
        return Ok((0..c.corpus.themes.len()).collect());
    }
    a.themes
        .iter()
        .map(|t| {
            c.corpus
                .theme_index(t)
                .map_err(|e| AppError::from(e).into())
        })
        .collect()
}

fn format_name(f: TableFormat) -> &'static str {
    match f {
        TableFormat::Table => "table",
        TableFormat::Csv => "csv",
        TableFormat::Json => "json",
    }
}

pub fn run(v: &Vault, cmd: &AnalyseCmd, out: &mut Out<impl Write>) -> Result<()> {
    let (a, what) = match cmd {
        AnalyseCmd::Excerpts { common, .. } => (common, "excerpts"),
        AnalyseCmd::Coverage { common, .. } => (common, "coverage"),
        AnalyseCmd::Frequencies(a) => (a, "frequencies"),
        AnalyseCmd::Cooccurrence { common, .. } => (common, "cooccurrence"),
        AnalyseCmd::Ideas(a) => (a, "ideas"),
    };
    if let Some(path) = &a.out {
        // an existing file is refused before the work, not after it
        fieldnotes::outfile::plan(path, a.force)?;
    }
    let project = app::projects::resolve(v, a.project.as_deref())?;
    let f = filter(a)?;
    let query = match cmd {
        AnalyseCmd::Excerpts { question: None, .. } => {
            Some(Query::parse(&a.themes.join(" AND ")).map_err(AppError::Query)?)
        }
        _ => None,
    };
    let analysis = app::analysis::open(v, &super::clock(), &project.name, a.raw)?;
    let text = match cmd {
        AnalyseCmd::Excerpts {
            question: Some(n),
            guide,
            session,
            ..
        } => {
            let ex = coverage::question_excerpts(v, &analysis, &f, guide.as_deref(), *n, *session)?;
            excerpts_text(a.format, &ex, false)?
        }
        AnalyseCmd::Excerpts { .. } => {
            let q = query.unwrap_or(Query::All);
            excerpts_text(a.format, &analysis.excerpts(&q, &f)?, false)?
        }
        AnalyseCmd::Coverage { guide, .. } => {
            let cov = analysis.coverage(v, guide.as_deref(), &f)?;
            coverage::text(a.format, &cov)?
        }
        AnalyseCmd::Ideas(_) => excerpts_text(a.format, &analysis.ideas(&f), true)?,
        AnalyseCmd::Frequencies(_) => frequencies_text(a, &analysis, &f)?,
        AnalyseCmd::Cooccurrence { overlap, .. } => {
            let keep = theme_indexes(&analysis, a)?;
            cooccurrence_text(a.format, &keep, &analysis, &f, *overlap)?
        }
    };
    let to = a
        .out
        .as_ref()
        .map_or("standard output".to_owned(), |p| p.display().to_string());
    // the guard reads the output as written; the view is recorded before it is shown
    analysis.release(v, what, format_name(a.format), &to, &text)?;
    match &a.out {
        Some(path) => {
            let bom = if matches!(a.format, TableFormat::Csv) {
                fieldnotes::export::BOM
            } else {
                ""
            };
            fieldnotes::outfile::write(path, format!("{bom}{text}").as_bytes(), a.force)?;
        }
        None if matches!(a.format, TableFormat::Table) => out.write_all(text.as_bytes())?,
        None => out.data()?.write_all(text.as_bytes())?,
    }
    Ok(())
}

/// Excerpts (or ideas, with their clusters) as a table, CSV (the export's columns) or JSON
/// (the export's excerpt objects).
fn excerpts_text(format: TableFormat, ex: &[ShownExcerpt], ideas: bool) -> Result<String> {
    match format {
        TableFormat::Json => json_text(&ex),
        TableFormat::Csv => {
            let mut rows = vec![
                fieldnotes::export::EXCERPT_COLUMNS
                    .map(String::from)
                    .to_vec(),
            ];
            rows.extend(
                ex.iter()
                    .map(|e| fieldnotes::export::excerpt_row(&e.excerpt).to_vec()),
            );
            csv_text(rows)
        }
        TableFormat::Table => {
            let clusters = ideas || ex.iter().any(|e| e.excerpt.cluster.is_some());
            // anonymised views show months, raw views dates
            let when = if ex.iter().any(|e| e.date.is_some()) {
                "date"
            } else {
                "month"
            };
            let mut head = vec![
                "note_id",
                "session",
                when,
                "pseudonym",
                "role",
                "themes",
                "votes",
            ];
            if clusters {
                head.push("cluster");
            }
            head.push("text");
            let mut rows = vec![head.into_iter().map(String::from).collect::<Vec<_>>()];
            for s in ex {
                let e = &s.excerpt;
                let mut row = vec![
                    e.note_id.to_string(),
                    e.session.clone(),
                    s.date
                        .clone()
                        .or_else(|| e.month.clone())
                        .unwrap_or_default(),
                    e.speaker.clone().unwrap_or_default(),
                    e.role.clone().unwrap_or_default(),
                    e.themes.join("; "),
                    e.votes.to_string(),
                ];
                if clusters {
                    row.push(e.cluster.clone().unwrap_or_default());
                }
                row.push(e.text.clone());
                rows.push(row);
            }
            let mut t = table_text(rows);
            t.push_str(&fieldnotes::export::count(ex.len(), "excerpt", "excerpts"));
            t.push('\n');
            Ok(t)
        }
    }
}

/// Notes and distinct participants per theme and role.
fn frequencies_text(a: &AnalyseArgs, c: &Analysis, f: &Filter) -> Result<String> {
    let keep = theme_indexes(c, a)?;
    let rows = c.frequencies(f, &keep);
    match a.format {
        TableFormat::Json => json_text(&rows),
        TableFormat::Csv => {
            let mut t = vec![
                ["theme", "role", "excerpts", "participants"]
                    .map(String::from)
                    .to_vec(),
            ];
            t.extend(rows.iter().map(|r| {
                vec![
                    r.theme.clone(),
                    r.group.clone(),
                    r.excerpts.to_string(),
                    r.participants.to_string(),
                ]
            }));
            csv_text(t)
        }
        TableFormat::Table => {
            let names: Vec<String> = keep.iter().map(|&i| c.theme_name(i)).collect();
            let groups = c.groups();
            let mut head = vec!["theme".to_owned()];
            head.extend(groups.iter().cloned());
            head.push("all".into());
            head.push(String::new());
            let mut t = vec![head];
            let totals: Vec<usize> = names
                .iter()
                .map(|n| {
                    rows.iter()
                        .filter(|r| &r.theme == n)
                        .map(|r| r.excerpts)
                        .sum()
                })
                .collect();
            let max = totals.iter().copied().max().unwrap_or(1).max(1);
            for (n, total) in names.iter().zip(&totals) {
                let mut line = vec![n.clone()];
                for g in &groups {
                    line.push(
                        rows.iter()
                            .find(|r| &r.theme == n && &r.group == g)
                            .map(|r| format!("{} ({})", r.excerpts, r.participants))
                            .unwrap_or_else(|| "·".into()),
                    );
                }
                line.push(total.to_string());
                line.push("█".repeat((total * 30).div_ceil(max)));
                t.push(line);
            }
            let mut out = table_text(t);
            out.push_str("cells: notes (distinct participants)\n");
            Ok(out)
        }
    }
}

/// Notes carrying both of each pair of the kept themes.
fn cooccurrence_text(
    format: TableFormat,
    keep: &[usize],
    c: &Analysis,
    f: &Filter,
    overlap: bool,
) -> Result<String> {
    let co = c.cooccurrence(f, overlap);
    let pairs = || {
        keep.iter()
            .enumerate()
            .flat_map(|(x, &i)| keep[x + 1..].iter().map(move |&j| (i, j)))
    };
    match format {
        TableFormat::Json => {
            let out: Vec<serde_json::Value> = pairs()
                .map(|(i, j)| {
                    serde_json::json!({
                        "theme_a": co.themes[i], "theme_b": co.themes[j],
                        "notes": co.counts[i][j],
                    })
                })
                .collect();
            json_text(&out)
        }
        TableFormat::Csv => {
            let mut t = vec![["theme_a", "theme_b", "notes"].map(String::from).to_vec()];
            t.extend(pairs().map(|(i, j)| {
                vec![
                    co.themes[i].clone(),
                    co.themes[j].clone(),
                    co.counts[i][j].to_string(),
                ]
            }));
            csv_text(t)
        }
        TableFormat::Table => {
            let mut head = vec![String::new()];
            head.extend((1..=keep.len()).map(|k| k.to_string()));
            let mut t = vec![head];
            for (x, &i) in keep.iter().enumerate() {
                let mut line = vec![format!("{} {}", x + 1, co.themes[i])];
                line.extend(keep.iter().map(|&j| co.counts[i][j].to_string()));
                t.push(line);
            }
            let mut out = table_text(t);
            out.push_str(
                "cells: notes carrying both themes (the diagonal: notes carrying the theme)\n",
            );
            Ok(out)
        }
    }
}
