//! Drawing: a pure function of the state. No I/O, no locking; only visible notes are laid out.

use fieldnotes::text::for_terminal;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, ListState, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::app::{Screen, State};
use super::screens::reader::RowMap;
use super::screens::{
    analyse, editor, form, help, projects, prompt, reader, retention, review, search, sessions,
    unlock,
};

/// Bold text: headings and marks that must not rely on colour.
pub fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// The selected row.
pub fn selected() -> Style {
    // reverse video carries the selection without relying on colour
    Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
}

/// What a frame laid out that the next keys or clicks need: handed to `update` as
/// `Msg::Drawn`, so drawing never writes into the state.
#[derive(Debug, Default)]
pub struct Drawn {
    /// Where the reading view put each note's characters.
    pub reader: Option<Vec<RowMap>>,
}

/// Draws the whole app and returns the layout to remember.
pub fn draw(f: &mut Frame<'_>, s: &State) -> Drawn {
    let drawn = draw_screen(f, s);
    scrub(f.buffer_mut());
    drawn
}

/// The last word before a frame reaches the terminal: whichever widget put text in a cell,
/// no control character (ESC, C1…) or bidirectional formatting character (U+202E…) is sent.
/// The screens show such characters visibly through [`for_terminal`]; this catches any path
/// that did not.
pub fn scrub(buf: &mut ratatui::buffer::Buffer) {
    for cell in &mut buf.content {
        if cell
            .symbol()
            .chars()
            .any(fieldnotes::text::is_unsafe_for_terminal)
        {
            let clean: String = cell
                .symbol()
                .chars()
                .filter(|c| !fieldnotes::text::is_unsafe_for_terminal(*c))
                .collect();
            cell.set_symbol(if clean.is_empty() { " " } else { &clean });
        }
    }
}

fn draw_screen(f: &mut Frame<'_>, s: &State) -> Drawn {
    let area = f.area();
    let mut drawn = Drawn::default();
    if s.privacy {
        f.render_widget(Clear, area);
        return drawn;
    }
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        draw_too_small(f, area, s);
        return drawn;
    }
    let [title, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_title(f, title, s);
    match s.screen {
        // the first-run form stands alone: no unlock box behind it
        Screen::Unlock if s.form.is_some() => {}
        Screen::Unlock => unlock::draw(f, body, s),
        Screen::Projects => projects::draw(f, body, s),
        Screen::Sessions => sessions::draw(f, body, s),
        Screen::Editor => editor::draw(f, body, s),
        Screen::Search => search::draw(f, body, s),
        Screen::Review => review::draw(f, body, s),
        Screen::Retention => retention::draw(f, body, s),
        Screen::Disclosures => super::screens::disclosures::draw(f, body, s),
        Screen::Team => super::screens::team::draw(f, body, s),
        Screen::Quotes => super::screens::quotes::draw(f, body, s),
        Screen::Guides => super::screens::guides::draw(f, body, s),
        Screen::Analysis => analyse::draw(f, body, s),
        Screen::Reading => drawn.reader = Some(reader::draw(f, body, s)),
    }
    draw_status(f, status, s);
    if let Some(p) = &s.prompt {
        prompt::draw(f, body, p);
    }
    if let Some(x) = &s.form {
        let busy = s.busy.as_ref().map(|b| match s.ignored_keys {
            0 => b.clone(),
            n => format!(
                "{b} — {n} key{} pressed meanwhile went nowhere; type again once this ends.",
                if n == 1 { "" } else { "s" }
            ),
        });
        form::draw(f, body, x, busy.as_deref());
    }
    if s.help.is_some() {
        help::draw(f, body, s);
    }
    drawn
}

/// Below this the screens cannot lay out their lists, boxes and key lines.
pub const MIN_WIDTH: u16 = 50;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 12;

/// A window too small for any screen says so plainly; in the editor the line being typed
/// still shows at the bottom, so typing mid-interview goes on while the window is fixed.
fn draw_too_small(f: &mut Frame<'_>, area: Rect, s: &State) {
    let msg = format!(
        "Window too small: make it at least {MIN_WIDTH}×{MIN_HEIGHT} (now {}×{}). Nothing is lost.",
        area.width, area.height
    );
    let mut lines: Vec<Line<'_>> = wrap(&msg, usize::from(area.width))
        .into_iter()
        .map(|l| Line::styled(l, bold()))
        .collect();
    let typing = match (s.screen, &s.editor) {
        (Screen::Editor, Some(e)) if s.prompt.is_none() && s.form.is_none() => {
            let last = e.input.lines().last().cloned().unwrap_or_default();
            let who = e.speaker_code().unwrap_or_else(|| "–".into());
            Some(format!("{who}› {}▏", for_terminal(&last, false)))
        }
        _ => None,
    };
    let room = usize::from(area.height);
    if let Some(t) = typing {
        // the end of the line, where the cursor is, if the whole does not fit
        let w = usize::from(area.width).max(1);
        let chars: Vec<char> = t.chars().collect();
        let mut start = chars.len();
        let mut width = 0;
        while start > 0 {
            let cw = unicode_width::UnicodeWidthChar::width(chars[start - 1]).unwrap_or(0);
            if width + cw > w {
                break;
            }
            width += cw;
            start -= 1;
        }
        let tail: String = chars[start..].iter().collect();
        lines.truncate(room.saturating_sub(1));
        while lines.len() + 1 < room {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(tail, selected()));
    }
    f.render_widget(Paragraph::new(lines), area);
}

fn draw_title(f: &mut Frame<'_>, area: Rect, s: &State) {
    let where_ = match (s.screen, &s.project, &s.editor) {
        (Screen::Unlock, _, _) => "Locked".to_owned(),
        (Screen::Projects, _, _) => "Projects".to_owned(),
        (Screen::Search, _, _) => "Search".to_owned(),
        (Screen::Retention, _, _) => "Retention".to_owned(),
        (Screen::Disclosures, _, _) => "Disclosures".to_owned(),
        (Screen::Team, Some(p), _) => format!("{} › Team", for_terminal(p, false)),
        (Screen::Team, None, _) => "Team".to_owned(),
        (Screen::Quotes, Some(p), _) => {
            format!("{} › Quotes awaiting approval", for_terminal(p, false))
        }
        (Screen::Guides, Some(p), _) => format!("{} › Topic guides", for_terminal(p, false)),
        (Screen::Guides, None, _) => "Topic guides".to_owned(),
        (Screen::Review, Some(p), _) => format!("{} › Export review", for_terminal(p, false)),
        (Screen::Analysis, Some(p), _) => format!("{} › Analysis", for_terminal(p, false)),
        (Screen::Reading, Some(p), _) => format!("{} › Reading and coding", for_terminal(p, false)),
        (Screen::Sessions, Some(p), _) => format!("{} › Sessions", for_terminal(p, false)),
        (Screen::Editor, Some(p), Some(e)) => editor_title(
            &for_terminal(p, false),
            &for_terminal(&e.session.title, false),
            &format!(
                " (session {}, {}, {})",
                e.session.id, e.session.kind, e.session.source
            ),
            usize::from(area.width).saturating_sub(" fieldnotes  ".len()),
        ),
        _ => String::new(),
    };
    let line = Line::from(vec![
        Span::styled(" fieldnotes ", selected()),
        Span::raw(" "),
        Span::styled(where_, bold()),
    ]);
    f.render_widget(Paragraph::new(line), area);
}

/// The editor's heading: project › title (session id, kind, source). The session's id is
/// what `fieldnotes note list --session ID` and the other commands need, so a title too
/// long for the line is shortened rather than the id pushed off it.
fn editor_title(project: &str, title: &str, about: &str, room: usize) -> String {
    let head = format!("{project} › ");
    let fixed = head.width() + about.width();
    if fixed + title.width() <= room || fixed + 1 >= room {
        return format!("{head}{title}{about}");
    }
    let mut short = String::new();
    for c in title.chars() {
        let next = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if fixed + short.width() + next + 1 > room {
            break;
        }
        short.push(c);
    }
    format!("{head}{short}…{about}")
}

fn draw_status(f: &mut Frame<'_>, area: Rect, s: &State) {
    let lock = if s.screen == Screen::Unlock {
        "locked"
    } else {
        "unlocked"
    };
    let mut parts = vec![
        format!(" {}", for_terminal(&s.vault_name, false)),
        lock.to_owned(),
    ];
    if s.screen != Screen::Unlock {
        parts.push(s.save_state().to_owned());
    }
    if let (Screen::Editor, Some(e)) = (s.screen, &s.editor) {
        parts.push(format!(
            "speaker {}",
            e.speaker_code().unwrap_or_else(|| "none".into())
        ));
        parts.push(e.kind.to_string());
    }
    parts.push("F1 help".into());
    if s.screen != Screen::Unlock
        && let Some(m) = s.busy.as_ref().or(s.message.as_ref())
    {
        // the latest word for the user comes first, so a narrow terminal still shows it
        parts.insert(0, format!(" {}", for_terminal(m, false)));
    }
    f.render_widget(
        Paragraph::new(parts.join(" │ ")).style(Style::new().add_modifier(Modifier::REVERSED)),
        area,
    );
}

/// A box of `w`×`h` in the middle of `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Rows `text` takes when wrapped into a box of outer width `box_w` (borders excluded).
pub fn rows(text: &str, box_w: u16) -> u16 {
    let inner = usize::from(box_w.saturating_sub(2)).max(1);
    u16::try_from(text.width().div_ceil(inner).max(1)).unwrap_or(u16::MAX)
}

/// A list's selection state: the row, kept inside the list.
pub fn list_state(sel: usize, len: usize) -> ListState {
    let mut st = ListState::default();
    if len > 0 {
        st.select(Some(sel.min(len - 1)));
    }
    st
}

/// Inside a list's border, indented past its selection mark.
pub fn inner(area: Rect) -> Rect {
    Rect::new(
        area.x + 2,
        area.y + 1,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    )
}

/// Word-wraps `text` to `width` columns (display width, so wide characters count double).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut w = 0;
        for word in para.split(' ') {
            let ww = word.width();
            if w > 0 && w + 1 + ww > width {
                out.push(std::mem::take(&mut line));
                w = 0;
            }
            if w > 0 {
                line.push(' ');
                w += 1;
            }
            if ww > width {
                // a word longer than the line: break it by characters
                for ch in word.chars() {
                    let cw = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
                    if w + cw > width {
                        out.push(std::mem::take(&mut line));
                        w = 0;
                    }
                    line.push(ch);
                    w += cw;
                }
            } else {
                line.push_str(word);
                w += ww;
            }
        }
        out.push(line);
    }
    out
}

/// A box's title cut to its width at a ` · ` between keys, ending with where the rest is: a
/// title cut mid-word ("e e") tells a narrow screen's user nothing.
pub fn fit_title(title: &str, width: u16) -> String {
    let room = usize::from(width.saturating_sub(2));
    if title.width() <= room {
        return title.to_owned();
    }
    let more = " · F1 more keys ";
    let parts: Vec<&str> = title.trim_end().split(" · ").collect();
    for n in (1..parts.len()).rev() {
        let head = parts[..n].join(" · ");
        if head.width() + more.width() <= room {
            return format!("{head}{more}");
        }
    }
    match parts.first() {
        Some(first) if first.width() < room => format!("{first} "),
        _ => title.chars().take(room).collect(),
    }
}
