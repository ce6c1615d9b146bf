//! The export as an Excel workbook (`.xlsx`): sheets of typed cells, so nothing in it is a
//! formula. Numbers (ids, votes, counts) are written as numbers and every text as a string
//! cell (never through a formula), so a spreadsheet shows `=1+1` as those four characters.
//!
//! Sheets: `excerpts` (the CSV's columns), `themes` (one row per theme, with its parent,
//! description, colour and excerpt count), `themes by role`, `sessions` and `ideas` (most
//! votes first). The leak guard reads every string cell, sheet by sheet ([`Sheet::text`]).

use super::{EXCERPT_COLUMNS, excerpt_row};
use crate::export::{ExportError, Summary};

/// One cell of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A string cell (empty strings are left blank).
    Text(String),
    /// A number cell.
    Number(f64),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<Option<&str>> for Cell {
    fn from(s: Option<&str>) -> Self {
        Cell::Text(s.unwrap_or_default().to_owned())
    }
}

fn num(n: impl TryInto<i32> + Copy + std::fmt::Display) -> Cell {
    // ids, votes and counts fit an f64 exactly far beyond what a vault holds
    match n.try_into() {
        Ok(i) => Cell::Number(f64::from(i)),
        Err(_) => Cell::Text(n.to_string()),
    }
}

/// A sheet: its name and rows (the first is the header).
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The tab's name.
    pub name: &'static str,
    /// Rows of cells.
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    fn new(name: &'static str, head: &[&str]) -> Self {
        Sheet {
            name,
            rows: vec![head.iter().map(|h| Cell::from(*h)).collect()],
        }
    }

    /// Every string cell, a row per line and cells separated by tabs: what the leak guard
    /// reads.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for r in &self.rows {
            let texts: Vec<&str> = r
                .iter()
                .filter_map(|c| match c {
                    Cell::Text(t) => Some(t.as_str()),
                    Cell::Number(_) => None,
                })
                .collect();
            out.push_str(&texts.join("\t"));
            out.push('\n');
        }
        out
    }
}

/// The workbook's sheets.
pub fn sheets(s: &Summary) -> Vec<Sheet> {
    let mut excerpts = Sheet::new("excerpts", &EXCERPT_COLUMNS);
    for e in &s.excerpts {
        let mut row: Vec<Cell> = excerpt_row(e).into_iter().map(Cell::from).collect();
        row[0] = num(e.note_id);
        row[1] = num(e.session_id);
        row[9] = num(e.votes);
        if let Some(q) = &e.question {
            row[12] = num(q.number);
        }
        excerpts.rows.push(row);
    }
    let mut themes = Sheet::new(
        "themes",
        &["theme", "parent", "description", "colour", "excerpts"],
    );
    let mut by_role = Sheet::new(
        "themes by role",
        &["theme", "role", "excerpts", "participants"],
    );
    for t in &s.themes {
        themes.rows.push(vec![
            t.name.as_str().into(),
            t.parent.as_deref().into(),
            t.description.as_deref().into(),
            t.colour.as_deref().into(),
            num(t.excerpts.len()),
        ]);
        for g in &t.by_group {
            by_role.rows.push(vec![
                t.name.as_str().into(),
                g.group.as_str().into(),
                num(g.excerpts),
                num(g.participants),
            ]);
        }
    }
    let mut sessions = Sheet::new(
        "sessions",
        &[
            "session_id",
            "title",
            "kind",
            "month",
            "participants",
            "excerpts",
            "records_read",
        ],
    );
    for x in &s.sessions {
        let people: Vec<String> = x
            .participants
            .iter()
            .map(|p| match &p.role {
                Some(r) => format!("{} ({r})", p.code),
                None => p.code.clone(),
            })
            .collect();
        sessions.rows.push(vec![
            num(x.id),
            x.title.as_str().into(),
            x.kind.to_string().into(),
            x.month.as_deref().into(),
            people.join("; ").into(),
            num(x.excerpts.len()),
            crate::export::render::review_line(x).as_deref().into(),
        ]);
    }
    let mut ideas = Sheet::new(
        "ideas",
        &[
            "rank",
            "note_id",
            "session_id",
            "session",
            "votes",
            "cluster",
            "themes",
            "text",
        ],
    );
    for (rank, e) in s
        .ideas
        .iter()
        .filter_map(|&i| s.excerpts.get(i))
        .enumerate()
    {
        ideas.rows.push(vec![
            num(rank + 1),
            num(e.note_id),
            num(e.session_id),
            e.session.as_str().into(),
            num(e.votes),
            e.cluster.as_deref().into(),
            e.themes.join("; ").into(),
            e.text.as_str().into(),
        ]);
    }
    vec![excerpts, themes, by_role, sessions, ideas]
}

/// The guard's name for a sheet, e.g. "the XLSX sheet excerpts".
pub fn entry(sheet: &Sheet) -> String {
    format!("the XLSX sheet {}", sheet.name)
}

/// The workbook's bytes.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, ExportError> {
    use rust_xlsxwriter::{Format, Workbook, XlsxError};
    let pack = |sheet: &str, e: XlsxError| {
        ExportError::Pack(match e {
            XlsxError::MaxStringLengthExceeded => format!(
                "a text in the {sheet} sheet is longer than a spreadsheet cell holds (32,767 \
                 characters); export it as csv or json instead"
            ),
            other => format!("the spreadsheet's {sheet} sheet: {other}"),
        })
    };
    let bold = Format::new().set_bold();
    let mut wb = Workbook::new();
    for sheet in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet.name).map_err(|e| pack(sheet.name, e))?;
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = u32::try_from(r).map_err(|_| {
                ExportError::Pack(format!(
                    "the {} sheet has more rows than a spreadsheet holds; export it as csv or json instead",
                    sheet.name
                ))
            })?;
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                match cell {
                    Cell::Text(t) if r == 0 => ws.write_string_with_format(r, c, t, &bold),
                    Cell::Text(t) => ws.write_string(r, c, t),
                    Cell::Number(n) => ws.write_number(r, c, *n),
                }
                .map_err(|e| pack(sheet.name, e))?;
            }
        }
        ws.set_freeze_panes(1, 0).map_err(|e| pack(sheet.name, e))?;
    }
    wb.save_to_buffer().map_err(|e| pack("workbook", e))
}
