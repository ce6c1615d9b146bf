//! `fieldnotes analyse …`: theme frequencies, co-occurrence, excerpts and ideas.

use std::io::Write;

use fieldnotes::analysis::{Corpus, Filter, Query};
use fieldnotes::app::{self, AppError};
use fieldnotes::model::parse_date;
use fieldnotes::text::{for_data, for_terminal, json_pretty};
use fieldnotes::vault::Vault;
use unicode_width::UnicodeWidthStr;

use super::Result;
use super::args::{AnalyseArgs, AnalyseCmd, TableFormat};
use super::term::Out;

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
    })
}

/// CSV is data: no control character (an escape sequence in a title) survives into it, and
/// on a terminal [`Out::data`] makes the rest safe to show too.
fn csv_out(out: &mut Out<impl Write>, rows: Vec<Vec<String>>) -> Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(
            r.iter()
                .map(|c| fieldnotes::export::spreadsheet_cell(&for_data(c))),
        )
        .map_err(std::io::Error::other)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    out.data()?.write_all(&bytes)?;
    Ok(())
}

/// JSON escapes every character a terminal would obey, so it is safe anywhere as it is.
fn json_out(out: &mut Out<impl Write>, v: &impl serde::Serialize) -> Result<()> {
    let json = json_pretty(v).map_err(std::io::Error::other)?;
    writeln!(out.data()?, "{json}")?;
    Ok(())
}

/// Prints rows as aligned columns (terminal-safe).
fn table_out(out: &mut impl Write, rows: Vec<Vec<String>>) -> Result<()> {
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
    for r in rows {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            line.push_str(c);
            if i + 1 < r.len() {
                line.push_str(&" ".repeat(widths[i] - c.width() + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn emit(out: &mut Out<impl Write>, f: TableFormat, rows: Vec<Vec<String>>) -> Result<()> {
    match f {
        TableFormat::Csv => csv_out(out, rows),
        _ => table_out(out, rows),
    }
}

/// The themes to show: those asked for, or all of them.
fn theme_indexes(c: &Corpus, a: &AnalyseArgs) -> Result<Vec<usize>> {
    if a.themes.is_empty() {
        return Ok((0..c.themes.len()).collect());
    }
    a.themes
        .iter()
        .map(|t| c.theme_index(t).map_err(|e| AppError::from(e).into()))
        .collect()
}

pub fn run(v: &Vault, cmd: &AnalyseCmd, out: &mut Out<impl Write>) -> Result<()> {
    let (a, what) = match cmd {
        AnalyseCmd::Excerpts(a) => (a, "excerpts"),
        AnalyseCmd::Frequencies(a) => (a, "frequencies"),
        AnalyseCmd::Cooccurrence { common, .. } => (common, "cooccurrence"),
        AnalyseCmd::Ideas(a) => (a, "ideas"),
    };
    let project = app::projects::resolve(v, a.project.as_deref())?;
    let corpus = app::analysis::corpus(v, &project.name)?;
    let f = filter(a)?;
    match cmd {
        AnalyseCmd::Excerpts(_) => {
            let q = Query::parse(&a.themes.join(" AND ")).map_err(AppError::Query)?;
            let ex = corpus.excerpts(&corpus.select(&q, &f).map_err(AppError::from)?);
            excerpts_out(out, a.format, &ex)?;
        }
        AnalyseCmd::Ideas(_) => excerpts_out(out, a.format, &corpus.ideas(&f))?,
        AnalyseCmd::Frequencies(_) => frequencies_out(out, a, &corpus, &f)?,
        AnalyseCmd::Cooccurrence { overlap, .. } => {
            let keep = theme_indexes(&corpus, a)?;
            cooccurrence_out(out, a.format, &keep, &corpus.cooccurrence(&f, *overlap))?;
        }
    }
    // every view that was shown is recorded, in every format
    app::analysis::viewed(v, &project.name, what)?;
    Ok(())
}

/// Excerpts (or ideas) as a table, CSV or JSON.
fn excerpts_out(
    out: &mut Out<impl Write>,
    format: TableFormat,
    ex: &[fieldnotes::analysis::Excerpt],
) -> Result<()> {
    if matches!(format, TableFormat::Json) {
        return json_out(out, &ex);
    }
    let mut rows = vec![
        [
            "note",
            "session",
            "date",
            "pseudonym",
            "role",
            "themes",
            "votes",
            "text",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for e in ex {
        rows.push(vec![
            e.note.id.to_string(),
            e.note.session.clone(),
            e.note.date.clone(),
            e.note.speaker.clone().unwrap_or_default(),
            e.note.group.clone(),
            e.themes.join("; "),
            e.note.votes.to_string(),
            e.text.clone(),
        ]);
    }
    emit(out, format, rows)?;
    if matches!(format, TableFormat::Table) {
        writeln!(
            out,
            "{}",
            fieldnotes::export::count(ex.len(), "excerpt", "excerpts")
        )?;
    }
    Ok(())
}

/// Notes and distinct participants per theme and group.
fn frequencies_out(
    out: &mut Out<impl Write>,
    a: &AnalyseArgs,
    corpus: &Corpus,
    f: &Filter,
) -> Result<()> {
    let keep = theme_indexes(corpus, a)?;
    let names: Vec<&str> = keep
        .iter()
        .map(|&i| corpus.themes[i].name.as_str())
        .collect();
    let rows: Vec<_> = corpus
        .frequencies(f)
        .into_iter()
        .filter(|r| names.contains(&r.theme.as_str()))
        .collect();
    match a.format {
        TableFormat::Json => json_out(out, &rows),
        TableFormat::Csv => {
            let mut t = vec![
                ["theme", "group", "excerpts", "participants"]
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
            csv_out(out, t)
        }
        TableFormat::Table => {
            let groups = corpus.groups();
            let mut head = vec!["theme".to_owned()];
            head.extend(groups.iter().cloned());
            head.push("all".into());
            head.push(String::new());
            let mut t = vec![head];
            let totals: Vec<usize> = names
                .iter()
                .map(|n| {
                    rows.iter()
                        .filter(|r| r.theme == *n)
                        .map(|r| r.excerpts)
                        .sum()
                })
                .collect();
            let max = totals.iter().copied().max().unwrap_or(1).max(1);
            for (n, total) in names.iter().zip(&totals) {
                let mut line = vec![(*n).to_owned()];
                for g in &groups {
                    line.push(
                        rows.iter()
                            .find(|r| r.theme == *n && &r.group == g)
                            .map(|r| format!("{} ({})", r.excerpts, r.participants))
                            .unwrap_or_else(|| "·".into()),
                    );
                }
                line.push(total.to_string());
                line.push("█".repeat((total * 30).div_ceil(max)));
                t.push(line);
            }
            table_out(out, t)?;
            writeln!(out, "cells: notes (distinct participants)")?;
            Ok(())
        }
    }
}

/// Notes carrying both of each pair of the kept themes.
fn cooccurrence_out(
    out: &mut Out<impl Write>,
    format: TableFormat,
    keep: &[usize],
    co: &fieldnotes::analysis::Cooccurrence,
) -> Result<()> {
    match format {
        TableFormat::Json => {
            let mut pairs = Vec::new();
            for (x, &i) in keep.iter().enumerate() {
                for &j in &keep[x + 1..] {
                    pairs.push(serde_json::json!({
                        "theme_a": co.themes[i], "theme_b": co.themes[j],
                        "notes": co.counts[i][j],
                    }));
                }
            }
            json_out(out, &pairs)
        }
        TableFormat::Csv => {
            let mut t = vec![["theme_a", "theme_b", "notes"].map(String::from).to_vec()];
            for (x, &i) in keep.iter().enumerate() {
                for &j in &keep[x + 1..] {
                    t.push(vec![
                        co.themes[i].clone(),
                        co.themes[j].clone(),
                        co.counts[i][j].to_string(),
                    ]);
                }
            }
            csv_out(out, t)
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
            table_out(out, t)?;
            writeln!(
                out,
                "cells: notes carrying both themes (the diagonal: notes carrying the theme)"
            )?;
            Ok(())
        }
    }
}
