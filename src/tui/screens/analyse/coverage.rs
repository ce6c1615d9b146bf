//! The coverage view: a topic guide's question × session matrix (questions as rows, the
//! sessions following the guide as columns, `–` where a session's version does not ask the
//! question), the selected question and session in words under it, and Enter on a cell
//! listing that question's excerpts in that session.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::AnalysisView;
use crate::tui::keys::Action;
use crate::tui::ui::bold;
use crate::tui::worker::{CoverageShown, Request, question_line};
use fieldnotes::analysis::cell_text;
use fieldnotes::text::for_terminal;

/// Width of a session column.
const CELL: usize = 6;

/// The guide shown, if the project has any.
fn shown(v: &AnalysisView) -> Option<&CoverageShown> {
    v.data.coverage.get(v.guide)
}

/// Rows of the view: one per question.
pub(super) fn rows(v: &AnalysisView) -> usize {
    shown(v).map_or(0, |c| c.coverage.questions.len())
}

/// Keeps the cursor inside the matrix after the data changed.
pub(super) fn clamp(v: &mut AnalysisView) {
    let (rows, cols) = shown(v).map_or((0, 0), |c| {
        (c.coverage.questions.len(), c.coverage.sessions.len())
    });
    v.row = v.row.min(rows.saturating_sub(1));
    v.col = v.col.min(cols);
}

/// The arrows, the guide key and Enter on the coverage view; returns what to tell the user.
pub(super) fn on_action(
    v: &mut AnalysisView,
    action: Action,
    reqs: &mut Vec<Request>,
) -> Option<String> {
    let count = v.data.coverage.len();
    match action {
        // column 0 is the question column, 1… the sessions
        Action::MoveLeft => v.col = v.col.saturating_sub(1),
        Action::MoveRight => {
            let cols = shown(v).map_or(0, |c| c.coverage.sessions.len());
            v.col = (v.col + 1).min(cols);
        }
        Action::NextGuide => {
            if count < 2 {
                return Some(format!(
                    "This project has {} topic guide{}: there is no other to show.",
                    count,
                    if count == 1 { "" } else { "s" }
                ));
            }
            v.guide = (v.guide + 1) % count;
            v.row = 0;
            v.col = 0;
        }
        Action::Open => return open(v, reqs),
        _ => {}
    }
    None
}

/// Enter on a cell: that question's excerpts in that session, or why there are none.
fn open(v: &mut AnalysisView, reqs: &mut Vec<Request>) -> Option<String> {
    let Some(c) = shown(v) else {
        return Some(NO_GUIDE.to_owned());
    };
    let cov = &c.coverage;
    let q = cov.questions.get(v.row)?;
    let Some(session) = v.col.checked_sub(1).and_then(|i| cov.sessions.get(i)) else {
        return Some(format!(
            "Q{} is the question itself: move right onto a session's cell (→) and press Enter for its excerpts.",
            q.number
        ));
    };
    match cov.cells[v.row][v.col - 1] {
        None => Some(format!(
            "S{} follows version {}, which does not ask Q{}: there are no excerpts to list.",
            session.id, session.version, q.number
        )),
        Some(0) => Some(format!(
            "No note of S{} answers Q{}{}: nothing to list.",
            session.id,
            q.number,
            if v.data.filter.describe().is_empty() {
                ""
            } else {
                " (with the filter)"
            }
        )),
        Some(_) => {
            let request = Request::AnalysisQuestion {
                project: v.data.project.clone(),
                guide: v.guide,
                row: v.row,
                session: session.id,
                filter: v.data.filter.clone(),
            };
            v.question = Some((v.guide, v.row, session.id));
            v.asked_from = Some((v.tab, v.row, v.col));
            v.query.clear();
            reqs.push(request);
            None
        }
    }
}

/// What the view says when the project has no guide.
const NO_GUIDE: &str = "This project has no topic guide yet, so there is no coverage to show. Add one with g on the sessions screen, or from the command line with `fieldnotes guide import FILE`.";

/// The view's keys, in words.
pub(super) fn hints(v: &AnalysisView) -> String {
    if v.data.coverage.len() > 1 {
        "arrows move (the matrix scrolls) · Enter the question's excerpts in the session · G next guide".to_owned()
    } else {
        "arrows move (the matrix scrolls) · Enter the question's excerpts in the session".to_owned()
    }
}

/// Draws the coverage view.
pub(super) fn draw(f: &mut Frame<'_>, body: Rect, v: &AnalysisView) {
    let Some(c) = shown(v) else {
        f.render_widget(
            Paragraph::new(NO_GUIDE)
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL).title(" Coverage ")),
            body,
        );
        return;
    };
    let cov = &c.coverage;
    let guide = if v.real { &cov.guide } else { &c.guide };
    let versions = cov
        .versions
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let which = if v.data.coverage.len() > 1 {
        format!(
            " — guide {} of {} (G next)",
            v.guide + 1,
            v.data.coverage.len()
        )
    } else {
        String::new()
    };
    let title = for_terminal(
        &format!(
            " Coverage: '{guide}' (version{} {versions}){which} ",
            if cov.versions.len() == 1 { "" } else { "s" }
        ),
        false,
    );
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(body);
    f.render_widget(block, body);
    let [matrix, legend] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(4)]).areas(inner);
    f.render_widget(Paragraph::new(matrix_lines(v, c, matrix)), matrix);
    f.render_widget(
        Paragraph::new(legend_lines(v, c)).wrap(Wrap { trim: true }),
        legend,
    );
}

/// The matrix, scrolled to keep the cursor cell in view, with a "covered" row under it.
fn matrix_lines(v: &AnalysisView, c: &CoverageShown, area: Rect) -> Vec<Line<'static>> {
    let cov = &c.coverage;
    let k = cov.sessions.len();
    if k == 0 {
        return vec![Line::raw(
            "No session follows this guide yet: choose it for a session on the sessions screen.",
        )];
    }
    let label_w = cov
        .questions
        .iter()
        .map(|q| format!("Q{}", q.number).len())
        .max()
        .unwrap_or(2)
        .max("covered".len())
        + 1;
    let hi = Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD);
    let visible = ((area.width as usize).saturating_sub(label_w) / CELL).max(1);
    let cursor = v.col.saturating_sub(1);
    let first = cursor.saturating_sub(visible - 1);
    let last = k.min(first + visible);
    let mut head: String = format!("{:label_w$}", "");
    for s in &cov.sessions[first..last] {
        head.push_str(&format!("{:>CELL$}", format!("S{}", s.id)));
    }
    let mut lines = vec![Line::styled(head, bold())];
    if first > 0 || last < k {
        lines.push(Line::raw(format!(
            "{:label_w$}◂ sessions {}–{last} of {k} ▸",
            "",
            first + 1
        )));
    }
    // the head, the covered row and the marker line stay; the rows scroll under them
    let room = (area.height as usize)
        .saturating_sub(lines.len() + 1)
        .max(1);
    let first_row = v.row.saturating_sub(room - 1);
    for (q, row) in cov.questions.iter().enumerate().skip(first_row).take(room) {
        let label = format!("{:<label_w$}", format!("Q{}", row.number));
        let mut spans = vec![Span::styled(
            label,
            if q == v.row && v.col == 0 {
                hi
            } else if q == v.row {
                bold()
            } else {
                Style::new()
            },
        )];
        for (j, cell) in cov.cells[q].iter().enumerate().take(last).skip(first) {
            let style = if q == v.row && j + 1 == v.col {
                hi
            } else if cell.is_none() {
                Style::new().add_modifier(Modifier::DIM)
            } else {
                Style::new()
            };
            spans.push(Span::styled(format!("{:>CELL$}", cell_text(*cell)), style));
        }
        lines.push(Line::from(spans));
    }
    let mut covered = format!("{:<label_w$}", "covered");
    for s in &cov.sessions[first..last] {
        covered.push_str(&format!(
            "{:>CELL$}",
            format!("{}/{}", s.covered, s.questions)
        ));
    }
    lines.push(Line::styled(
        covered,
        Style::new().add_modifier(Modifier::DIM),
    ));
    lines
}

/// The selected question and session in words, and what `–` means.
fn legend_lines(v: &AnalysisView, c: &CoverageShown) -> Vec<Line<'static>> {
    let cov = &c.coverage;
    let mut lines = Vec::new();
    if let Some(q) = cov.questions.get(v.row) {
        let text = if v.real {
            question_line(&q.section, &q.text)
        } else {
            c.questions.get(v.row).cloned().unwrap_or_default()
        };
        let note = cov.versions_note(v.row);
        let note = if note.is_empty() {
            String::new()
        } else {
            format!(" ({note})")
        };
        lines.push(Line::from(vec![
            Span::styled(format!("Q{} ", q.number), bold()),
            Span::raw(for_terminal(&format!("{text}{note}"), false)),
        ]));
    }
    if let Some(s) = v.col.checked_sub(1).and_then(|i| cov.sessions.get(i)) {
        let title = if v.real {
            s.title.clone()
        } else {
            c.sessions.get(v.col - 1).cloned().unwrap_or_default()
        };
        // anonymised views show the month, as an export does
        let when = if v.real { s.date.clone() } else { None }
            .or_else(|| s.month.clone())
            .unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(format!("S{} ", s.id), bold()),
            Span::raw(for_terminal(
                &format!(
                    "{title} · {when} · version {} · {}/{} questions covered",
                    s.version, s.covered, s.questions
                ),
                false,
            )),
        ]));
    }
    lines.push(Line::styled(
        format!(
            "cells: notes answering the question in the session; {}: not in the version the session follows",
            fieldnotes::analysis::NOT_ASKED
        ),
        Style::new().add_modifier(Modifier::DIM),
    ));
    lines
}
