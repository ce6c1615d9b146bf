//! The reading view: move through a session's notes, select a span with the keyboard, and
//! apply a theme with 1–9 (the nine most recently used) or `/` (fuzzy search over the
//! codebook). Coded spans show inline as ⟦text⟧ followed by the theme's short name, so tags
//! never rely on colour alone. `u` undoes the last tagging.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::prompt::{Prompt, PromptFor};
use crate::tui::app::{Screen, State};
use crate::tui::keys::Action;
use crate::tui::worker::{OpenedSession, Request};
use fieldnotes::app::TagRow;
use fieldnotes::model::{Note, Session};
use fieldnotes::text::for_terminal;

/// One tagging action: note, theme, span (`None`: the whole note).
pub type Tagging = (i64, String, Option<(usize, usize)>);

/// Reading-view state.
#[derive(Debug, Clone)]
pub struct Reader {
    /// The session.
    pub session: Session,
    /// Its notes.
    pub notes: Vec<Note>,
    /// Tags per note id.
    pub tags: HashMap<i64, Vec<TagRow>>,
    /// Selected note.
    pub note: usize,
    /// Cursor, in characters of the note.
    pub cursor: usize,
    /// Where the selection started, if one is being made.
    pub anchor: Option<usize>,
    /// Most recently used themes first (number keys 1–9).
    pub recent: Vec<String>,
    /// The codebook.
    pub themes: Vec<String>,
    /// Tagging actions to undo, latest last.
    pub undo: Vec<Tagging>,
    /// Where the last frame put each note's characters, for the mouse: `draw` returns it and
    /// `update` stores it (only the geometry of what is on screen).
    pub layout: Vec<RowMap>,
}

/// One screen row of a drawn note: where it is and which character of the note is in each
/// column (`None` for markers and labels).
#[derive(Debug, Clone, Default)]
pub struct RowMap {
    /// Screen row.
    pub y: u16,
    /// Screen column of the first cell.
    pub x: u16,
    /// Which note.
    pub note: usize,
    /// The note's character index under each column.
    pub cols: Vec<Option<usize>>,
}

/// The theme a fuzzy query means: exact, then prefix, then in-order letters; shortest wins.
pub fn fuzzy<'a>(themes: &'a [String], q: &str) -> Option<&'a String> {
    let q = q.trim().to_lowercase();
    if q.is_empty() {
        return None;
    }
    let subseq = |t: &str| {
        let mut it = t.chars();
        q.chars().all(|c| it.any(|x| x == c))
    };
    let lower: Vec<String> = themes.iter().map(|t| t.to_lowercase()).collect();
    let pick = |f: &dyn Fn(&str) -> bool| {
        themes
            .iter()
            .zip(&lower)
            .filter(|(_, l)| f(l))
            .min_by_key(|(t, _)| t.chars().count())
            .map(|(t, _)| t)
    };
    pick(&|l| l == q)
        .or_else(|| pick(&|l| l.starts_with(&q)))
        .or_else(|| pick(&|l| l.contains(&q)))
        .or_else(|| pick(&|l| subseq(l)))
}

impl Reader {
    /// Opens a session for reading.
    pub fn open(o: OpenedSession) -> Self {
        let mut tags: HashMap<i64, Vec<TagRow>> = HashMap::new();
        for t in o.tags {
            tags.entry(t.note_id).or_default().push(t);
        }
        Self {
            session: o.session,
            notes: o.notes,
            tags,
            note: 0,
            cursor: 0,
            anchor: None,
            recent: o.themes.iter().take(9).cloned().collect(),
            themes: o.themes,
            undo: Vec::new(),
            layout: Default::default(),
        }
    }

    /// The note and character under a screen cell, from the last frame drawn.
    fn at(&self, col: u16, row: u16) -> Option<(usize, usize)> {
        let r = self.layout.iter().find(|r| r.y == row)?;
        let k = usize::from(col.checked_sub(r.x)?);
        let here = r.cols.get(k).copied().flatten();
        // on a marker or past the end: the nearest character before it on the row
        let ch = here.or_else(|| r.cols[..k.min(r.cols.len())].iter().rev().find_map(|c| *c))?;
        Some((r.note, ch))
    }

    fn len(&self) -> usize {
        self.notes
            .get(self.note)
            .map_or(0, |n| n.text.chars().count())
    }

    /// The selected characters, if any.
    pub fn selection(&self) -> Option<(usize, usize)> {
        let a = self.anchor?;
        let (x, y) = (a.min(self.cursor), a.max(self.cursor));
        (x < y).then_some((x, y))
    }

    fn word_step(&self, forward: bool) -> usize {
        let chars: Vec<char> = self.notes[self.note].text.chars().collect();
        let mut i = self.cursor;
        if forward {
            while i < chars.len() && !chars[i].is_alphanumeric() {
                i += 1;
            }
            while i < chars.len() && chars[i].is_alphanumeric() {
                i += 1;
            }
        } else {
            while i > 0 && !chars[i - 1].is_alphanumeric() {
                i -= 1;
            }
            while i > 0 && chars[i - 1].is_alphanumeric() {
                i -= 1;
            }
        }
        i
    }

    fn apply(&mut self, theme: String, reqs: &mut Vec<Request>) {
        let Some(note) = self.notes.get(self.note) else {
            return;
        };
        let span = self.selection();
        self.undo.push((note.id, theme.clone(), span));
        reqs.push(Request::TagSpan {
            note: note.id,
            theme: theme.clone(),
            span,
        });
        self.recent.retain(|t| !t.eq_ignore_ascii_case(&theme));
        self.recent.insert(0, theme);
        self.recent.truncate(9);
        self.anchor = None;
    }

    /// The worker confirmed a tagging change.
    pub fn tagged(&mut self, note: Note, tags: Vec<TagRow>, themes: Vec<String>) {
        self.tags.insert(note.id, tags);
        if let Some(n) = self.notes.iter_mut().find(|n| n.id == note.id) {
            *n = note;
        }
        self.themes = themes;
    }
}

/// An action in the reading view, with the key's place in the action's list (the n-th key
/// of `tag_recent` tags with the n-th recent theme).
pub fn on_action(s: &mut State, found: Option<(Action, usize)>, reqs: &mut Vec<Request>) {
    let Some(r) = s.reader.as_mut() else {
        s.screen = Screen::Sessions;
        return;
    };
    let Some((action, nth)) = found else { return };
    let len = r.len();
    let step = |r: &mut Reader, to: usize, extend: bool| {
        if extend && r.anchor.is_none() {
            r.anchor = Some(r.cursor);
        }
        r.cursor = to.min(len);
    };
    let extend = matches!(
        action,
        Action::ExtendLeft
            | Action::ExtendRight
            | Action::ExtendWordLeft
            | Action::ExtendWordRight
            | Action::ExtendToStart
            | Action::ExtendToEnd
    );
    match action {
        Action::Up | Action::Down => {
            r.note = if action == Action::Up {
                r.note.saturating_sub(1)
            } else {
                (r.note + 1).min(r.notes.len().saturating_sub(1))
            };
            r.cursor = 0;
            r.anchor = None;
        }
        Action::WordLeft | Action::ExtendWordLeft => {
            let to = r.word_step(false);
            step(r, to, extend)
        }
        Action::WordRight | Action::ExtendWordRight => {
            let to = r.word_step(true);
            step(r, to, extend)
        }
        Action::MoveLeft | Action::ExtendLeft => {
            let to = r.cursor.saturating_sub(1);
            step(r, to, extend)
        }
        Action::MoveRight | Action::ExtendRight => {
            let to = r.cursor + 1;
            step(r, to, extend)
        }
        Action::NoteStart | Action::ExtendToStart => step(r, 0, extend),
        Action::NoteEnd | Action::ExtendToEnd => step(r, len, extend),
        Action::ToggleSelection => {
            r.anchor = match r.anchor {
                Some(_) => None,
                None => Some(r.cursor),
            }
        }
        Action::TagRecent => match r.recent.get(nth).cloned() {
            Some(t) => r.apply(t, reqs),
            None => {
                let key = s
                    .config
                    .keys
                    .get(crate::tui::keys::Section::Reader)
                    .bindings()
                    .into_iter()
                    .find(|(a, _)| *a == Action::TagRecent)
                    .and_then(|(_, keys)| keys.get(nth).map(|k| k.label()))
                    .unwrap_or_default();
                s.message = Some(format!(
                    "No theme on {key} yet: press / to choose one from the codebook."
                ))
            }
        },
        Action::TagTheme => {
            s.prompt = Some(Prompt::new(
                PromptFor::ReaderTheme,
                "Tag with theme (type part of a name; a new name adds it)",
            ))
        }
        Action::UndoTag => match r.undo.pop() {
            Some((note, theme, span)) => reqs.push(Request::UntagSpan { note, theme, span }),
            None => s.message = Some("Nothing to undo.".into()),
        },
        Action::Back if r.anchor.is_some() => r.anchor = None,
        Action::Back => {
            let project = r.session.project.clone();
            s.reader = None;
            s.screen = Screen::Sessions;
            reqs.push(Request::Sessions(project));
        }
        _ => {}
    }
}

/// A click puts the cursor under the pointer (and starts a selection there).
pub fn click(s: &mut State, col: u16, row: u16) {
    let Some(r) = s.reader.as_mut() else { return };
    if let Some((note, ch)) = r.at(col, row) {
        if note != r.note {
            r.note = note;
        }
        r.cursor = ch;
        r.anchor = Some(ch);
    }
}

/// Dragging extends the selection to the character under the pointer (same note only).
pub fn drag(s: &mut State, col: u16, row: u16) {
    let Some(r) = s.reader.as_mut() else { return };
    if let Some((note, ch)) = r.at(col, row)
        && note == r.note
    {
        let a = r.anchor.unwrap_or(r.cursor);
        r.anchor = Some(a);
        // the character under the pointer is part of the selection, whichever way
        r.cursor = if ch >= a { (ch + 1).min(r.len()) } else { ch };
    }
}

/// The `/` prompt's answer: the best fuzzy match, or a new theme.
pub fn on_prompt(s: &mut State, text: String, reqs: &mut Vec<Request>) {
    let Some(r) = s.reader.as_mut() else { return };
    let theme = fuzzy(&r.themes, &text).cloned().unwrap_or(text);
    r.apply(theme, reqs);
}

/// The short name shown after a coded span: the theme's first letters.
fn short(theme: &str) -> String {
    let words: Vec<&str> = theme.split_whitespace().collect();
    if words.len() > 1 {
        words
            .iter()
            .filter_map(|w| w.chars().next())
            .take(3)
            .collect()
    } else {
        theme.chars().take(4).collect()
    }
}

/// One drawn cell: a character (or part of a marker), its style, and which character of the
/// note it shows (`None` for markers and labels).
type Cell = (char, Style, Option<usize>);

/// One note as cells: coded spans bracketed and labelled, the selection reversed, the cursor
/// underlined (selected note only).
fn note_cells(r: &Reader, i: usize) -> Vec<Cell> {
    let n = &r.notes[i];
    let chars: Vec<char> = n.text.chars().collect();
    let tags = r.tags.get(&n.id).map(Vec::as_slice).unwrap_or(&[]);
    let mut opens: HashMap<usize, usize> = HashMap::new();
    let mut closes: HashMap<usize, Vec<String>> = HashMap::new();
    for t in tags {
        if let Some((a, b)) = t.span {
            *opens.entry(a).or_default() += 1;
            closes.entry(b).or_default().push(short(&t.theme));
        }
    }
    let current = i == r.note;
    let sel = if current { r.selection() } else { None };
    let mark = Style::new().add_modifier(Modifier::BOLD);
    let mut cells: Vec<Cell> = Vec::with_capacity(chars.len() + 16);
    let label = |cells: &mut Vec<Cell>, text: &str| {
        cells.extend(for_terminal(text, false).chars().map(|c| (c, mark, None)));
    };
    label(
        &mut cells,
        &format!(
            "{} ",
            n.speaker
                .as_deref()
                .map(|x| format!("{x}:"))
                .unwrap_or_else(|| "·".into())
        ),
    );
    for k in 0..=chars.len() {
        if let Some(labels) = closes.get(&k) {
            label(&mut cells, &format!("⟧{}", labels.join("+")));
        }
        if let Some(&o) = opens.get(&k) {
            label(&mut cells, &"⟦".repeat(o));
        }
        if k == chars.len() {
            if current && r.cursor == k {
                cells.push((' ', Style::new().add_modifier(Modifier::REVERSED), Some(k)));
            }
            break;
        }
        let mut style = Style::new();
        if sel.is_some_and(|(a, b)| a <= k && k < b) {
            style = style.add_modifier(Modifier::REVERSED);
        }
        if current && r.cursor == k {
            style = style.add_modifier(Modifier::UNDERLINED | Modifier::BOLD);
        }
        let c = match chars[k] {
            '\n' | '\t' => ' ',
            c if fieldnotes::text::is_unsafe_for_terminal(c) => '?',
            c => c,
        };
        cells.push((c, style, Some(k)));
    }
    let whole: Vec<&str> = tags
        .iter()
        .filter(|t| t.span.is_none())
        .map(|t| t.theme.as_str())
        .collect();
    if !whole.is_empty() {
        label(&mut cells, &format!("  # {}", whole.join(", ")));
    }
    cells
}

/// Word-wraps cells into rows of at most `width` columns, breaking after a space when it can.
fn wrap_cells(cells: Vec<Cell>, width: usize) -> Vec<Vec<Cell>> {
    use unicode_width::UnicodeWidthChar;
    let width = width.max(2);
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    let mut used = 0;
    for cell in cells {
        let w = cell.0.width().unwrap_or(0);
        if used + w > width && !row.is_empty() {
            let cut = row
                .iter()
                .rposition(|c| c.0 == ' ')
                .filter(|&p| p + 1 < row.len())
                .map_or(row.len(), |p| p + 1);
            let rest = row.split_off(cut);
            rows.push(std::mem::replace(&mut row, rest));
            used = row.iter().map(|c| c.0.width().unwrap_or(0)).sum();
        }
        used += w;
        row.push(cell);
    }
    rows.push(row);
    rows
}

/// A row of cells as a line of spans, and the note character under each column.
fn row_line(row: &[Cell]) -> (Line<'static>, Vec<Option<usize>>) {
    use unicode_width::UnicodeWidthChar;
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut cols = Vec::with_capacity(row.len());
    let mut run = String::new();
    let mut style = row.first().map(|c| c.1).unwrap_or_default();
    for &(c, st, idx) in row {
        if st != style && !run.is_empty() {
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        style = st;
        run.push(c);
        for _ in 0..c.width().unwrap_or(0) {
            cols.push(idx);
        }
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, style));
    }
    (Line::from(spans), cols)
}

/// Draws the reading view; returns where each note's characters went, for the mouse.
pub fn draw(f: &mut Frame<'_>, area: Rect, s: &State) -> Vec<RowMap> {
    let Some(r) = &s.reader else {
        return Vec::new();
    };
    let [notes, keys] = Layout::vertical([Constraint::Min(1), Constraint::Length(3)]).areas(area);
    let block = Block::default().borders(Borders::ALL).title(format!(
        " Reading {} — ↑↓ note · ←→ move · Shift+←→ or v select · 1–9 tag · / any theme · u undo · Esc back ",
        for_terminal(&r.session.title, false)
    ));
    let inner = block.inner(notes);
    f.render_widget(block, notes);
    let width = inner.width.max(1) as usize;
    let bottom = inner.y + inner.height;
    let mut y = inner.y;
    let mut layout = Vec::new();
    let first = r.note.saturating_sub(2);
    for i in first..r.notes.len() {
        if y >= bottom {
            break;
        }
        for row in wrap_cells(note_cells(r, i), width) {
            if y >= bottom {
                break;
            }
            let (line, cols) = row_line(&row);
            f.render_widget(Paragraph::new(line), Rect::new(inner.x, y, inner.width, 1));
            layout.push(RowMap {
                y,
                x: inner.x,
                note: i,
                cols,
            });
            y += 1;
        }
        y += 1;
    }
    if r.notes.is_empty() {
        f.render_widget(Paragraph::new("This session has no notes yet."), inner);
    }
    let recent: Vec<String> = r
        .recent
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{} {} ({})", i + 1, t, short(t)))
        .collect();
    let sel = match r.selection() {
        Some((a, b)) => format!("selected characters {a}–{b}: a number tags them"),
        None => "no selection: a number tags the whole note".into(),
    };
    f.render_widget(
        Paragraph::new(vec![
            Line::raw(for_terminal(&recent.join("  "), false)),
            Line::raw(sel),
        ])
        .block(Block::default().borders(Borders::TOP)),
        keys,
    );
    layout
}

#[cfg(test)]
mod tests {
    use super::super::table::{c, check, k, m};
    use super::fuzzy;
    use crate::tui::keys::{Action, Section};
    use crossterm::event::{KeyCode, KeyModifiers};

    #[test]
    fn reader_keys() {
        let (ctrl, shift) = (KeyModifiers::CONTROL, KeyModifiers::SHIFT);
        check(
            Section::Reader,
            &[
                (k(KeyCode::Up), Some(Action::Up)),
                (k(KeyCode::Down), Some(Action::Down)),
                (k(KeyCode::Left), Some(Action::MoveLeft)),
                (k(KeyCode::Right), Some(Action::MoveRight)),
                (m(KeyCode::Left, ctrl), Some(Action::WordLeft)),
                (m(KeyCode::Right, ctrl), Some(Action::WordRight)),
                (m(KeyCode::Left, shift), Some(Action::ExtendLeft)),
                (m(KeyCode::Right, shift), Some(Action::ExtendRight)),
                (m(KeyCode::Left, ctrl | shift), Some(Action::ExtendWordLeft)),
                (
                    m(KeyCode::Right, ctrl | shift),
                    Some(Action::ExtendWordRight),
                ),
                (k(KeyCode::Home), Some(Action::NoteStart)),
                (k(KeyCode::End), Some(Action::NoteEnd)),
                (m(KeyCode::Home, shift), Some(Action::ExtendToStart)),
                (m(KeyCode::End, shift), Some(Action::ExtendToEnd)),
                (c('v'), Some(Action::ToggleSelection)),
                (c('1'), Some(Action::TagRecent)),
                (c('9'), Some(Action::TagRecent)),
                (c('0'), None),
                (c('/'), Some(Action::TagTheme)),
                (c('u'), Some(Action::UndoTag)),
                (k(KeyCode::Esc), Some(Action::Back)),
                (c('?'), None),
            ],
        );
    }

    #[test]
    fn fuzzy_prefers_exact_then_prefix_then_letters() {
        let themes: Vec<String> = ["Waiting times", "Safety", "Security staff", "Signage"]
            .map(String::from)
            .to_vec();
        assert_eq!(fuzzy(&themes, "safety").unwrap(), "Safety");
        assert_eq!(fuzzy(&themes, "sec").unwrap(), "Security staff");
        assert_eq!(fuzzy(&themes, "wt").unwrap(), "Waiting times");
        assert_eq!(fuzzy(&themes, "sgn").unwrap(), "Signage");
        assert!(fuzzy(&themes, "zzz").is_none());
    }
}
