//! The reading view: move through a session's notes, select a span with the keyboard, and
//! apply a theme with 1–9 (a fixed mapping: the codebook's first nine themes, or pinned with
//! `p`, always all nine on screen) or `/` (fuzzy search over the codebook). Coded spans show inline as ⟦text⟧ followed by the theme's short name, so tags
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
    /// The theme on each number key 1–9: fixed while the session is open (the codebook's first
    /// nine, or pinned), so a key means the same theme every time.
    pub slots: [Option<String>; 9],
    /// The codebook.
    pub themes: Vec<String>,
    /// Tagging actions to undo, latest last.
    pub undo: Vec<Tagging>,
    /// Where the last frame put each note's characters, for the mouse: `draw` returns it and
    /// `update` stores it (only the geometry of what is on screen).
    pub layout: Vec<RowMap>,
    /// Memos on the session and its notes.
    pub memos: Vec<fieldnotes::app::Memo>,
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
            slots: std::array::from_fn(|i| o.themes.get(i).cloned()),
            themes: o.themes,
            undo: Vec::new(),
            layout: Default::default(),
            memos: Vec::new(),
        }
    }

    /// Fills empty number keys with codebook themes not yet on a key (a theme added while
    /// reading takes the first free key; no key ever changes its theme by itself).
    fn fill_slots(&mut self) {
        for t in &self.themes {
            if self
                .slots
                .iter()
                .flatten()
                .any(|x| x.eq_ignore_ascii_case(t))
            {
                continue;
            }
            match self.slots.iter_mut().find(|x| x.is_none()) {
                Some(free) => *free = Some(t.clone()),
                None => break,
            }
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
        if !self.themes.iter().any(|t| t.eq_ignore_ascii_case(&theme)) {
            self.themes.push(theme);
            self.fill_slots();
        }
        self.anchor = None;
    }

    /// The worker confirmed a tagging change.
    pub fn tagged(&mut self, note: Note, tags: Vec<TagRow>, themes: Vec<String>) {
        self.tags.insert(note.id, tags);
        if let Some(n) = self.notes.iter_mut().find(|n| n.id == note.id) {
            *n = note;
        }
        self.themes = themes;
        self.fill_slots();
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
        Action::TagRecent => match r.slots.get(nth).cloned().flatten() {
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
                    "No theme on {key} yet: p pins one to it, / tags with any theme."
                ))
            }
        },
        Action::TagTheme => {
            s.prompt = Some(Prompt::with_choices(
                PromptFor::ReaderTheme,
                "Tag with theme: type to filter (a new name adds it)",
                r.themes.clone(),
            ))
        }
        Action::Memo => {
            let note = r.notes.get(r.note).map(|n| n.id);
            s.prompt = Some(Prompt::new(PromptFor::Memo(note), "Memo on this note"));
        }
        Action::PinTheme => {
            s.prompt = Some(Prompt::new(
                PromptFor::PinTheme,
                "Pin: a key 1–9, then a theme (e.g. 3 safety)",
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

/// The pin prompt's answer, "N theme": number key N now tags with that theme (found as `/`
/// finds one; a new name is added to the codebook when first used).
pub fn on_pin(s: &mut State, text: &str) {
    let Some(r) = s.reader.as_mut() else { return };
    let mut parts = text.trim().splitn(2, char::is_whitespace);
    let key = parts.next().and_then(|k| k.parse::<usize>().ok());
    let name = parts.next().map(str::trim).unwrap_or_default();
    let (Some(key @ 1..=9), false) = (key, name.is_empty()) else {
        s.message = Some(
            "Not pinned: type a key from 1 to 9, a space, then the theme (e.g. 3 safety).".into(),
        );
        return;
    };
    let theme = fuzzy(&r.themes, name)
        .cloned()
        .unwrap_or_else(|| name.to_owned());
    // a theme sits on one key only: pinning it elsewhere frees its old key
    for slot in r.slots.iter_mut() {
        if slot
            .as_ref()
            .is_some_and(|t| t.eq_ignore_ascii_case(&theme))
        {
            *slot = None;
        }
    }
    r.slots[key - 1] = Some(theme.clone());
    s.message = Some(format!(
        "Key {key} now tags with {}.",
        for_terminal(&theme, false)
    ));
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
    let [notes, keys] = Layout::vertical([Constraint::Min(1), Constraint::Length(5)]).areas(area);
    let title = format!(
        " Reading {} · ↑↓ note · ←→ move · Shift+←→ or v select · 1–9 tag · / any theme · p pin · m memo · u undo · Esc back ",
        for_terminal(&r.session.title, false)
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(crate::tui::ui::fit_title(&title, notes.width));
    let inner = block.inner(notes);
    f.render_widget(block, notes);
    let width = inner.width.max(1) as usize;
    let bottom = inner.y + inner.height;
    let mut y = inner.y;
    let mut layout = Vec::new();
    for m in r.memos.iter().filter(|m| m.note_id.is_none()) {
        if y >= bottom {
            break;
        }
        let text = format!("✎ session memo: {}", for_terminal(&m.text, false));
        for l in crate::tui::ui::wrap(&text, width).into_iter() {
            if y >= bottom {
                break;
            }
            f.render_widget(
                Paragraph::new(Line::styled(l, Style::new().add_modifier(Modifier::ITALIC))),
                Rect::new(inner.x, y, inner.width, 1),
            );
            y += 1;
        }
    }
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
        let id = r.notes[i].id;
        for m in r.memos.iter().filter(|m| m.note_id == Some(id)) {
            let text = format!("  ✎ memo: {}", for_terminal(&m.text, false));
            for l in crate::tui::ui::wrap(&text, width) {
                if y >= bottom {
                    break;
                }
                f.render_widget(
                    Paragraph::new(Line::styled(l, Style::new().add_modifier(Modifier::ITALIC))),
                    Rect::new(inner.x, y, inner.width, 1),
                );
                y += 1;
            }
        }
        y += 1;
    }
    if r.notes.is_empty() {
        f.render_widget(Paragraph::new("This session has no notes yet."), inner);
    }
    let sel = match r.selection() {
        Some((a, b)) => format!("selected characters {a}–{b}: a number tags them"),
        None => "no selection: a number tags the whole note".into(),
    };
    let mut lines = slot_lines(r, usize::from(keys.width));
    lines.push(Line::raw(sel));
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::TOP)),
        keys,
    );
    layout
}

/// The nine number keys and their themes, all nine always shown (an empty key says so), in
/// three columns of three rows, or fewer columns when the window is narrow.
fn slot_lines(r: &Reader, width: usize) -> Vec<Line<'static>> {
    let cells: Vec<String> = r
        .slots
        .iter()
        .enumerate()
        .map(|(i, t)| match t {
            Some(t) => format!("{} {} ({})", i + 1, for_terminal(t, false), short(t)),
            None => format!("{} —", i + 1),
        })
        .collect();
    let col = (width / 3).max(1);
    let fit = |c: &String| -> String {
        if c.chars().count() < col {
            format!("{c:<col$}")
        } else {
            let mut s: String = c.chars().take(col.saturating_sub(2)).collect();
            s.push_str("… ");
            s
        }
    };
    (0..3)
        .map(|row| {
            let text: String = (0..3).map(|k| fit(&cells[row * 3 + k])).collect();
            Line::raw(text.trim_end().to_owned())
        })
        .collect()
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
                (c('p'), Some(Action::PinTheme)),
                (c('m'), Some(Action::Memo)),
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
