//! Drawing: a pure function of the state. No I/O, no locking; only visible notes are laid out.

use fieldnotes::text::for_terminal;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::app::{Editor, NoteRow, Screen, State, theme_completion};
use super::keys::{Action, DEFAULTS};

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

fn selected() -> Style {
    // reverse video carries the selection without relying on colour
    Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
}

/// Draws the whole app.
pub fn draw(f: &mut Frame<'_>, s: &State) {
    draw_screen(f, s);
    scrub(f.buffer_mut());
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

fn draw_screen(f: &mut Frame<'_>, s: &State) {
    let area = f.area();
    if s.privacy {
        f.render_widget(Clear, area);
        return;
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
        Screen::Unlock => draw_unlock(f, body, s),
        Screen::Projects => draw_projects(f, body, s),
        Screen::Sessions => draw_sessions(f, body, s),
        Screen::Editor => {
            if let Some(e) = &s.editor {
                draw_editor(f, body, s, e);
            }
        }
        Screen::Search => draw_search(f, body, s),
        Screen::Review => super::review::draw_review(f, body, s),
        Screen::Retention => super::review::draw_retention(f, body, s),
        Screen::Analysis => super::analyse::draw(f, body, s),
        Screen::Reading => super::reader::draw(f, body, s),
    }
    draw_status(f, status, s);
    if let Some(p) = &s.prompt {
        draw_prompt(f, body, &p.label, &p.input);
    }
    if let Some(form) = &s.form {
        draw_form(f, body, form, s.busy.as_deref());
    }
    if s.help {
        draw_help(f, body, s);
    }
}

fn draw_title(f: &mut Frame<'_>, area: Rect, s: &State) {
    let where_ = match (s.screen, &s.project, &s.editor) {
        (Screen::Unlock, _, _) => "Locked".to_owned(),
        (Screen::Projects, _, _) => "Projects".to_owned(),
        (Screen::Search, _, _) => "Search".to_owned(),
        (Screen::Retention, _, _) => "Retention".to_owned(),
        (Screen::Review, Some(p), _) => format!("{} › Export review", for_terminal(p, false)),
        (Screen::Analysis, Some(p), _) => format!("{} › Analysis", for_terminal(p, false)),
        (Screen::Reading, Some(p), _) => format!("{} › Reading and coding", for_terminal(p, false)),
        (Screen::Sessions, Some(p), _) => format!("{} › Sessions", for_terminal(p, false)),
        (Screen::Editor, Some(p), Some(e)) => format!(
            "{} › {} ({}, {})",
            for_terminal(p, false),
            for_terminal(&e.session.title, false),
            e.session.kind,
            e.session.source
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

fn centered(area: Rect, w: u16, h: u16) -> Rect {
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
fn rows(text: &str, box_w: u16) -> u16 {
    let inner = usize::from(box_w.saturating_sub(2)).max(1);
    u16::try_from(text.width().div_ceil(inner).max(1)).unwrap_or(u16::MAX)
}

fn draw_unlock(f: &mut Frame<'_>, area: Rect, s: &State) {
    let mut lines = vec![Line::raw("")];
    let mut extra = 0;
    if s.no_vault {
        lines.push(Line::raw("There is no vault here yet."));
        lines.push(Line::styled(
            "Press Enter to create one here and choose its passphrase.",
            bold(),
        ));
        lines.push(Line::raw("Ctrl+Q quits."));
    } else {
        lines.push(Line::raw("Type the vault passphrase and press Enter."));
        lines.push(Line::raw("(What you type is not shown.)"));
        lines.push(Line::raw(""));
        let state = match &s.busy {
            Some(b) => b.clone(),
            None => "Passphrase: ▏".to_owned(),
        };
        lines.push(Line::styled(state, bold()));
        if let Some(m) = &s.message {
            let m = for_terminal(m, false);
            extra = 1 + rows(&m, 70.min(area.width));
            lines.push(Line::raw(""));
            lines.push(Line::raw(m));
        }
    }
    let r = centered(area, 70, 7 + extra);
    f.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Unlock the vault ");
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        r,
    );
}

/// A list's selection state: the row, kept inside the list.
pub(super) fn list_state(sel: usize, len: usize) -> ListState {
    let mut st = ListState::default();
    if len > 0 {
        st.select(Some(sel.min(len - 1)));
    }
    st
}

fn draw_projects(f: &mut Frame<'_>, area: Rect, s: &State) {
    let area = if s.retention_due > 0 {
        let [banner, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        f.render_widget(
            Paragraph::new(format!(
                " {} past their retention date. Ctrl+R shows what is due.",
                if s.retention_due == 1 {
                    "1 session is".to_owned()
                } else {
                    format!("{} sessions are", s.retention_due)
                }
            ))
            .style(bold()),
            banner,
        );
        rest
    } else {
        area
    };
    let visible = s.visible_projects();
    let items: Vec<ListItem<'_>> = visible
        .iter()
        .map(|p| {
            let dpia = p
                .dpia_ref
                .as_deref()
                .map(|d| format!("  DPIA {}", for_terminal(d, false)))
                .unwrap_or_default();
            let ret = p
                .retention_months
                .map(|m| format!("  retain {m} months"))
                .unwrap_or_default();
            ListItem::new(format!("{}{dpia}{ret}", for_terminal(&p.name, false)))
        })
        .collect();
    let title = if s.filter.is_empty() {
        " Projects — type to filter · Enter opens · Ctrl+N new · Ctrl+E edit ".to_owned()
    } else {
        format!(" Projects matching '{}' ", for_terminal(&s.filter, false))
    };
    let empty = visible.is_empty();
    let list = List::new(items)
        .block(Block::default().borders(Borders::ALL).title(title))
        .highlight_style(selected())
        .highlight_symbol("› ");
    f.render_stateful_widget(list, area, &mut list_state(s.selected, visible.len()));
    if empty {
        let msg = if s.projects.is_empty() {
            "No projects yet: press Ctrl+N to create one."
        } else {
            "No project matches the filter (Esc clears it)."
        };
        f.render_widget(Paragraph::new(msg), inner(area));
    }
}

fn inner(area: Rect) -> Rect {
    Rect::new(
        area.x + 2,
        area.y + 1,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    )
}

fn draw_sessions(f: &mut Frame<'_>, area: Rect, s: &State) {
    let items: Vec<ListItem<'_>> = s
        .sessions
        .iter()
        .map(|x| {
            ListItem::new(format!(
                "{:<10}  {:<9} {:<5}  {}",
                x.date.as_deref().unwrap_or("-"),
                x.kind.as_str(),
                x.source.as_str(),
                for_terminal(&x.title, false)
            ))
        })
        .collect();
    let list = List::new(items)
        .block(Block::default().borders(Borders::ALL).title(
            " Sessions — Enter opens · r read and code · a analyse · x export · n new · e edit · i interview · p paper · w workshop · Esc back ",
        ))
        .highlight_style(selected())
        .highlight_symbol("› ");
    f.render_stateful_widget(list, area, &mut list_state(s.selected, s.sessions.len()));
    if s.sessions.is_empty() {
        f.render_widget(
            Paragraph::new("No sessions yet: press i to start a live interview."),
            inner(area),
        );
    }
}

fn draw_search(f: &mut Frame<'_>, area: Rect, s: &State) {
    let items: Vec<ListItem<'_>> = s
        .hits
        .iter()
        .map(|h| {
            let text: String = for_terminal(&h.note.text, false)
                .chars()
                .take(200)
                .collect();
            ListItem::new(format!(
                "{} › {}: {}",
                for_terminal(&h.project, false),
                for_terminal(&h.session_title, false),
                text
            ))
        })
        .collect();
    let title = format!(
        " {} matching notes — Enter opens the session, Esc back ",
        s.hits.len()
    );
    let list = List::new(items)
        .block(Block::default().borders(Borders::ALL).title(title))
        .highlight_style(selected())
        .highlight_symbol("› ");
    f.render_stateful_widget(list, area, &mut list_state(s.selected, s.hits.len()));
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

fn note_lines(e: &Editor, row: &NoteRow, width: usize, selected_row: bool) -> Vec<Line<'static>> {
    let n = &row.note;
    let speaker = n.speaker.clone().unwrap_or_else(|| "—".into());
    let role = n
        .speaker
        .as_deref()
        .and_then(|c| e.speaker_role(c))
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    let when = match n.offset_ms {
        Some(o) => format!("+{:02}:{:02}", o / 60_000, (o / 1000) % 60),
        None => format!("#{}", n.position),
    };
    let mut head = format!(
        "{}{when} {speaker}{role} · {}",
        if selected_row { "▶ " } else { "" },
        n.kind
    );
    if let Some(p) = &n.page {
        head.push_str(&format!(" · p.{p}"));
    }
    if let Some(c) = &n.cluster {
        head.push_str(&format!(" · [{c}]"));
    }
    if n.votes > 0 || e.session.kind == fieldnotes::model::SessionKind::Workshop {
        head.push_str(&format!(
            " · {} vote{}",
            n.votes,
            if n.votes == 1 { "" } else { "s" }
        ));
    }
    if n.special_category {
        head.push_str(" · ⚑ special category");
    }
    if n.criminal_offence {
        head.push_str(" · ⚑ criminal offence");
    }
    if row.pending.is_some() {
        head.push_str(" (saving)");
    }
    if !n.themes.is_empty() {
        head.push_str(&format!("  #{}", n.themes.join(" #")));
    }
    let head_style = if selected_row { selected() } else { bold() };
    let mut lines = vec![Line::styled(for_terminal(&head, false), head_style)];
    let quote = n.kind == fieldnotes::model::NoteKind::Verbatim;
    let body = for_terminal(&n.text, true).replace('\t', "    ");
    let body = if quote { format!("“{body}”") } else { body };
    for l in wrap(&body, width.saturating_sub(2)) {
        lines.push(Line::raw(format!("  {l}")));
    }
    lines
}

fn draw_editor(f: &mut Frame<'_>, area: Rect, s: &State, e: &Editor) {
    let text_w = area.width.saturating_sub(2) as usize;
    let rows: usize = e.input.lines().iter().map(|l| wrap(l, text_w).len()).sum();
    let input_h = (rows as u16)
        .saturating_add(2)
        .clamp(3, (area.height / 2).max(3));
    let [notes_area, speakers_area, input_area] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(input_h),
    ])
    .areas(area);
    // lay out only the notes that fit, from the newest shown (after scrolling) upwards
    let width = notes_area.width as usize;
    let height = notes_area.height as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let order: Vec<usize> = if e.by_priority {
        e.display_order()
    } else {
        Vec::new()
    };
    let count = e.notes.len();
    let end = count.saturating_sub(e.scroll);
    for pos in (0..end).rev() {
        let i = if e.by_priority { order[pos] } else { pos };
        let mut l = note_lines(e, &e.notes[i], width, e.selected == Some(i));
        l.append(&mut lines);
        lines = l;
        if lines.len() >= height {
            break;
        }
    }
    if lines.len() > height {
        lines.drain(..lines.len() - height);
    }
    if e.notes.is_empty() {
        lines.push(Line::raw("No notes yet. Type below and press Enter."));
    }
    f.render_widget(Paragraph::new(lines), notes_area);
    // speakers: pseudonyms only; the selected one in brackets and reversed (not colour alone)
    let mut spans = vec![Span::raw("Speaker: ")];
    let sel = e.speaker;
    spans.push(if sel.is_none() {
        Span::styled("[none]", selected())
    } else {
        Span::raw(" none ")
    });
    for (i, code) in e.speakers().iter().enumerate() {
        let label = format!("{}{}", i + 1, for_terminal(code, false));
        spans.push(Span::raw(" "));
        spans.push(if sel == Some(i) {
            Span::styled(format!("[{label}]"), selected())
        } else {
            Span::raw(format!(" {label} "))
        });
    }
    spans.push(Span::raw(format!("  Kind: {}", e.kind)));
    if let Some(c) = theme_completion(e) {
        let style = if s.config.high_contrast {
            bold()
        } else {
            Style::new().fg(s.config.accent)
        };
        spans.push(Span::styled(format!("  → #{c}"), style));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), speakers_area);
    let title = input_title(e);
    let mut input = e.input.clone();
    input.set_block(Block::default().borders(Borders::ALL).title(title));
    f.render_widget(&input, input_area);
}

fn input_title(e: &Editor) -> String {
    let title = input_title_base(e);
    let mut flags = Vec::new();
    if e.special {
        flags.push("⚑ special category");
    }
    if e.criminal {
        flags.push("⚑ criminal offence");
    }
    if flags.is_empty() {
        title
    } else {
        format!("{}· {} ", title, flags.join(" · "))
    }
}

fn input_title_base(e: &Editor) -> String {
    if e.editing.is_some() {
        return " Editing the selected note — Enter saves, Esc cancels ".into();
    }
    let group = e.group.as_deref().map(|g| for_terminal(g, false));
    match (e.session.kind, e.session.source) {
        (fieldnotes::model::SessionKind::Workshop, _) => {
            let sort = if e.by_priority {
                "by votes"
            } else {
                "as written"
            };
            match group {
                Some(g) => format!(" New idea in cluster [{g}] · sorted {sort} "),
                None => format!(" New idea · sorted {sort} "),
            }
        }
        (_, fieldnotes::model::Source::Paper) => {
            let by = e
                .session
                .paper
                .written_by
                .as_deref()
                .map(|w| format!(" by {}", for_terminal(w, false)))
                .unwrap_or_default();
            let page = group.map(|g| format!(" · page {g}")).unwrap_or_default();
            let destroyed = match &e.session.paper.destroyed_on {
                Some(d) => format!(" · original destroyed {d}"),
                None => " · original not yet destroyed".into(),
            };
            format!(" Transcribing paper notes{by}{page}{destroyed} ")
        }
        _ => " New note ".into(),
    }
}

fn draw_form(f: &mut Frame<'_>, area: Rect, form: &super::form::Form, busy: Option<&str>) {
    let hint = form.fields.get(form.focus).map(|x| x.hint).unwrap_or("");
    let hint = format!("  {hint}");
    let status = match (busy, form.error()) {
        (Some(b), _) => b.to_owned(),
        (None, Some(e)) => format!("Not saved: {}", for_terminal(e, false)),
        (None, None) => {
            "Tab/↑↓ move · Enter next (saves on the last) · Ctrl+S save · Esc cancel".into()
        }
    };
    let status = format!("  {status}");
    let w = 78.min(area.width);
    // every line of the hint and the message shows: the box grows with them
    let h = (form.fields.len() as u16 + 3 + rows(&hint, w) + rows(&status, w)).min(area.height);
    let r = centered(area, w, h);
    f.render_widget(Clear, r);
    let label_w = form
        .fields
        .iter()
        .map(|x| x.label.chars().count())
        .max()
        .unwrap_or(10)
        + 1;
    let mut lines: Vec<Line<'_>> = form
        .fields
        .iter()
        .enumerate()
        .map(|(i, fl)| {
            // no cursor while a request runs: keys are not taken then
            let focused = i == form.focus && busy.is_none();
            let value = if fl.secret {
                if focused {
                    "(hidden) ▏".to_owned()
                } else {
                    "(hidden)".to_owned()
                }
            } else {
                format!(
                    "{}{}",
                    for_terminal(&fl.value, false),
                    if focused { "▏" } else { "" }
                )
            };
            let label = format!("{:<label_w$}", fl.label);
            let label = if focused {
                Span::styled(format!("› {label}"), selected())
            } else {
                Span::raw(format!("  {label}"))
            };
            Line::from(vec![label, Span::raw(" "), Span::raw(value)])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::raw(hint));
    lines.push(Line::styled(status, bold()));
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" {} ", form.title)),
        ),
        r,
    );
}

fn draw_prompt(f: &mut Frame<'_>, area: Rect, label: &str, input: &str) {
    let r = centered(area, 70, 3);
    f.render_widget(Clear, r);
    let p = Paragraph::new(format!("{}▏", for_terminal(input, false))).block(
        Block::default()
            .borders(Borders::ALL)
            .title(format!(" {label} — Enter ok, Esc cancel ")),
    );
    f.render_widget(p, r);
}

/// Keys that are not configurable, with what they do.
pub const FIXED_KEYS: &[(&str, &str)] = &[
    ("↑↓ Enter Esc", "move / open / back"),
    ("type (lists)", "filter projects"),
    ("i / p / w", "new interview/paper/workshop"),
    ("Enter/Alt+Enter", "save note / new line"),
    ("Alt+1..9/Alt+0", "speaker n / none"),
    ("#theme →", "tag; → completes"),
    ("Ctrl+U/Ctrl+R", "undo/redo typing"),
    ("r / a / x", "sessions: read+code/analyse/export"),
    ("Ctrl+R", "projects: retention due"),
    ("1–9 / (reading)", "tag selection: recent/any"),
    ("Shift+←→ u", "reading: select / undo tag"),
    ("Tab / (analysis)", "next view / theme query"),
];

/// What each configurable action does, for the help screen.
fn describe(a: Action) -> &'static str {
    match a {
        Action::Quit => "quit, saving all",
        Action::Lock => "lock now",
        Action::Privacy => "privacy screen",
        Action::Help => "this help",
        Action::Search => "search all notes",
        Action::NextSpeaker => "next speaker",
        Action::PrevSpeaker => "previous speaker",
        Action::CycleKind => "next note kind",
        Action::AddParticipant => "add a participant",
        Action::SelectPrev => "select earlier note",
        Action::SelectNext => "select later note",
        Action::EditNote => "edit selected note",
        Action::MoveUp => "move note earlier",
        Action::MoveDown => "move note later",
        Action::UndoNote => "undo last note action",
        Action::ThemePalette => "theme palette",
        Action::VoteUp => "workshop: vote +1",
        Action::VoteDown => "workshop: vote −1",
        Action::Group => "cluster / paper page",
        Action::SortByPriority => "workshop: sort by votes",
        Action::PaperDestroyed => "paper destroyed",
        Action::FlagSpecial => "flag: special category data",
        Action::FlagCriminal => "flag: criminal-offence data",
    }
}

fn draw_help(f: &mut Frame<'_>, area: Rect, s: &State) {
    let mut rows: Vec<(String, &str)> = DEFAULTS
        .iter()
        .map(|(_, a, _)| (s.config.keys.key_for(*a), describe(*a)))
        .collect();
    rows.extend(FIXED_KEYS.iter().map(|(k, d)| ((*k).to_owned(), *d)));
    // two columns when wide enough, one otherwise
    let two = area.width >= 120 || rows.len() + 2 > area.height as usize;
    let per_col = if two {
        rows.len().div_ceil(2)
    } else {
        rows.len()
    };
    let width = if two {
        area.width.min(150)
    } else {
        area.width.min(80)
    };
    let key_w = if width >= 120 { 22 } else { 14 };
    let h = (per_col as u16 + 2).min(area.height);
    let r = centered(area, width, h);
    f.render_widget(Clear, r);
    let col_w = if two {
        (width as usize - 2) / 2
    } else {
        width as usize - 2
    };
    let fmt = |(k, d): &(String, &str)| {
        let cell = format!("{k:<key_w$} {d}");
        let cut: String = cell.chars().take(col_w.saturating_sub(1)).collect();
        format!("{cut:<col_w$}")
    };
    let lines: Vec<Line<'_>> = (0..per_col)
        .map(|i| {
            let left = rows.get(i).map(fmt).unwrap_or_default();
            let right = if two {
                rows.get(i + per_col).map(fmt).unwrap_or_default()
            } else {
                String::new()
            };
            Line::raw(format!("{left}{right}"))
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Keys — any key closes; rebind in config.toml "),
        ),
        r,
    );
}
