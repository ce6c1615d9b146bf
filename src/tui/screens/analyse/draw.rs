//! Drawing the analysis screen: the tab bar, each view, and an excerpt read in full.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, Paragraph, Wrap};

use super::{AnalysisView, TABS};
use crate::tui::app::State;
use crate::tui::ui::{bold, list_state};
use crate::tui::worker::Shown;
use fieldnotes::text::for_terminal;

fn excerpt_item(v: &AnalysisView, e: &Shown, width: u16) -> ListItem<'static> {
    let x = &e.excerpt;
    let who = match &x.note.speaker {
        Some(sp) => format!("{sp}, {}", x.note.group),
        None => x.note.group.clone(),
    };
    let (text, _) = v.text_of(e);
    // one line of the text in the list: Enter reads it in full
    let room = usize::from(width.saturating_sub(6)).max(1);
    let flat = for_terminal(&text.replace('\n', " "), false);
    let line = if unicode_width::UnicodeWidthStr::width(flat.as_str()) > room {
        let mut cut = String::new();
        for ch in flat.chars() {
            if unicode_width::UnicodeWidthStr::width(cut.as_str()) + 2 > room {
                break;
            }
            cut.push(ch);
        }
        format!("{cut}…")
    } else {
        flat
    };
    ListItem::new(vec![
        Line::from(vec![
            Span::styled(
                for_terminal(
                    &format!("{} · {} · {}", x.note.session, x.note.date, who),
                    false,
                ),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::raw(for_terminal(&format!("  # {}", x.themes.join(", ")), false)),
        ]),
        Line::raw(format!("  {line}")),
    ])
}

/// `text` with its coded spans marked `⟦…⟧Theme` and highlighted, one line per paragraph.
pub fn marked(text: &str, spans: &[(String, usize, usize)]) -> Vec<Line<'static>> {
    let chars: Vec<char> = text.chars().collect();
    let hi = Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD);
    let inside = |i: usize| spans.iter().any(|(_, a, b)| *a <= i && i < *b);
    let mut lines = vec![Line::default()];
    let mut cur = String::new();
    let mut cur_in = false;
    let flush = |lines: &mut Vec<Line<'static>>, cur: &mut String, on: bool| {
        for (k, part) in std::mem::take(cur).split('\n').enumerate() {
            if k > 0 {
                lines.push(Line::default());
            }
            if !part.is_empty()
                && let Some(l) = lines.last_mut()
            {
                let t = for_terminal(part, false);
                l.spans.push(if on {
                    Span::styled(t, hi)
                } else {
                    Span::raw(t)
                });
            }
        }
    };
    for i in 0..=chars.len() {
        let now_in = i < chars.len() && inside(i);
        let ends: Vec<String> = spans
            .iter()
            .filter(|(_, a, b)| *b == i && b > a)
            .map(|(t, ..)| for_terminal(t, false))
            .collect();
        if now_in != cur_in || !ends.is_empty() {
            flush(&mut lines, &mut cur, cur_in);
            if let Some(l) = lines.last_mut() {
                if !ends.is_empty() {
                    l.spans
                        .push(Span::styled(format!("⟧{}", ends.join("+")), bold()));
                }
                if now_in && (!cur_in || !ends.is_empty()) {
                    l.spans.push(Span::styled("⟦", bold()));
                }
            }
            cur_in = now_in;
        }
        if let Some(c) = chars.get(i) {
            cur.push(*c);
        }
    }
    flush(&mut lines, &mut cur, cur_in);
    lines
}

/// The keys of the current view, in words, for the line under it.
fn hints(v: &AnalysisView) -> String {
    let text = if v.real { "t anonymise" } else { "t real text" };
    if v.open.is_some() {
        return format!("↑↓ scroll · Enter open in its session · {text} · Esc back to the list");
    }
    let view = match (v.open, v.tab) {
        (_, 0) => "Enter excerpts · n new · r rename · m move · g merge into · d delete · o memo"
            .to_owned(),
        (_, 1) => "Enter excerpts".to_owned(),
        (_, 2) => "arrows move (the matrix scrolls) · Enter the notes with both".to_owned(),
        (_, super::COVERAGE) => super::coverage::hints(v),
        (_, _) => "Enter read in full".to_owned(),
    };
    let narrowed = v.data.filter.describe();
    let filter = if narrowed.is_empty() {
        String::new()
    } else {
        format!(" [{}]", for_terminal(&narrowed, false))
    };
    format!("{view} · Tab next view · / query · f filter{filter} · c children · {text} · Esc back")
}

/// Draws the analysis screen.
pub fn draw(f: &mut Frame<'_>, area: Rect, s: &State) {
    let Some(v) = &s.analysis else { return };
    let hint = hints(v);
    let hint_rows = crate::tui::ui::rows(&hint, area.width.saturating_add(2)).min(3);
    let [tabs, body, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(hint_rows),
    ])
    .areas(area);
    let mut spans = Vec::new();
    for (i, t) in TABS.iter().enumerate() {
        let style = if i == v.tab {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new()
        };
        spans.push(Span::styled(format!(" {t} "), style));
    }
    spans.push(Span::raw(" "));
    // which text shows is stated on screen, for whoever is looking
    // (in short words where the full ones would be cut off)
    let narrow = area.width < 100;
    spans.push(if v.real {
        Span::styled(
            if narrow {
                "REAL TEXT"
            } else {
                "REAL TEXT (names shown)"
            },
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    } else {
        Span::styled(
            if narrow {
                "anonymised"
            } else {
                "anonymised text"
            },
            bold(),
        )
    });
    f.render_widget(Paragraph::new(Line::from(spans)), tabs);
    f.render_widget(Paragraph::new(hint).wrap(Wrap { trim: true }), keys);
    if let Some(e) = v.open.and_then(|i| v.list().get(i)) {
        draw_detail(f, body, v, e);
        return;
    }
    match v.tab {
        0 => draw_codebook(f, body, v),
        1 => draw_frequencies(f, body, v),
        2 => draw_cooccurrence(f, body, v),
        3 => draw_ideas(f, body, v),
        super::COVERAGE => super::coverage::draw(f, body, v),
        _ => draw_excerpts(f, body, v),
    }
}

/// The codebook tree with each theme's count and memo.
fn draw_codebook(f: &mut Frame<'_>, body: Rect, v: &AnalysisView) {
    let d = &v.data;
    let items: Vec<ListItem<'_>> = d
        .themes
        .iter()
        .map(|(t, n)| {
            let memo = t
                .memo
                .as_deref()
                .map(|m| format!("  ✎ {}", m.lines().next().unwrap_or("")))
                .unwrap_or_default();
            ListItem::new(for_terminal(
                &format!("{}{}  ({n}){memo}", "  ".repeat(t.depth), t.name),
                false,
            ))
        })
        .collect();
    let list = List::new(items)
        .block(Block::default().borders(Borders::ALL).title(" Codebook "))
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("› ");
    f.render_stateful_widget(list, body, &mut list_state(v.row, d.themes.len()));
}

/// Notes per theme as bars, with the counts by group wrapped under each.
fn draw_frequencies(f: &mut Frame<'_>, body: Rect, v: &AnalysisView) {
    let d = &v.data;
    let max = d.themes.iter().map(|x| x.1).max().unwrap_or(1).max(1);
    let name_w = d
        .themes
        .iter()
        .map(|(t, _)| t.name.chars().count())
        .max()
        .unwrap_or(5)
        .min(30)
        .min(usize::from(body.width / 3));
    let bar_w = (body.width as usize).saturating_sub(name_w + 10).min(40);
    let items: Vec<ListItem<'_>> = d
        .themes
        .iter()
        .map(|(t, n)| {
            let groups: Vec<String> = d
                .frequencies
                .iter()
                .filter(|r| r.theme == t.name)
                .map(|r| format!("{} {} ({})", r.group, r.excerpts, r.participants))
                .collect();
            let name: String = t.name.chars().take(name_w).collect();
            let mut lines = vec![Line::raw(for_terminal(
                &format!(
                    "{name:<name_w$} {n:>5} {}",
                    "█".repeat((n * bar_w).div_ceil(max))
                ),
                false,
            ))];
            // the groups wrap under the bar rather than run off a narrow screen
            let indent = 4;
            let room = usize::from(body.width.saturating_sub(4)).saturating_sub(indent);
            for l in crate::tui::ui::wrap(&groups.join(" · "), room) {
                lines.push(Line::raw(for_terminal(
                    &format!("{:indent$}{l}", ""),
                    false,
                )));
            }
            ListItem::new(lines)
        })
        .collect();
    let list = List::new(items)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Frequencies — notes per theme; by group: notes (distinct participants) "),
        )
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("› ");
    f.render_stateful_widget(list, body, &mut list_state(v.row, d.themes.len()));
}

/// The theme × theme matrix, scrolled to keep the cursor cell in view.
fn draw_cooccurrence(f: &mut Frame<'_>, body: Rect, v: &AnalysisView) {
    let d = &v.data;
    let co = &d.cooccurrence;
    let k = co.themes.len();
    let name_w = co
        .themes
        .iter()
        .map(|t| t.chars().count())
        .max()
        .unwrap_or(4)
        .min(24)
        .min(usize::from(body.width / 3));
    let cell = 5usize;
    let visible_cols = ((body.width as usize).saturating_sub(name_w + 6) / cell).max(1);
    let first_col = v.col.saturating_sub(visible_cols - 1);
    let last_col = k.min(first_col + visible_cols);
    let mut lines = vec![Line::raw(format!(
        "{:w$}{}{}",
        "",
        (first_col..last_col)
            .map(|j| format!("{:>cell$}", j + 1))
            .collect::<String>(),
        // the matrix is wider than the screen: say which columns show
        if first_col > 0 || last_col < k {
            format!("  ◂ columns {}–{} of {k} ▸", first_col + 1, last_col)
        } else {
            String::new()
        },
        w = name_w + 3
    ))];
    let first_row = v
        .row
        .saturating_sub((body.height as usize).saturating_sub(4));
    for i in first_row..k {
        let name: String = co.themes[i].chars().take(name_w).collect();
        let mut spans = vec![Span::raw(for_terminal(
            &format!("{:>2} {name:<name_w$}", i + 1),
            false,
        ))];
        for j in first_col..last_col {
            let text = format!("{:>cell$}", co.counts[i][j]);
            let style = if i == v.row && j == v.col {
                Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
            } else if i == j {
                Style::new().add_modifier(Modifier::DIM)
            } else {
                Style::new()
            };
            spans.push(Span::styled(text, style));
        }
        lines.push(Line::from(spans));
    }
    let a = co.themes.get(v.row).cloned().unwrap_or_default();
    let b = co.themes.get(v.col).cloned().unwrap_or_default();
    let title = format!(
        " Co-occurrence: '{}' with '{}' ",
        for_terminal(&a, false),
        for_terminal(&b, false)
    );
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        body,
    );
}

/// Workshop ideas, most votes first.
fn draw_ideas(f: &mut Frame<'_>, body: Rect, v: &AnalysisView) {
    let d = &v.data;
    let items: Vec<ListItem<'_>> = d
        .ideas
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let x = &e.excerpt;
            let cluster = x
                .note
                .cluster
                .as_deref()
                .map(|c| format!(" [{c}]"))
                .unwrap_or_default();
            let votes = if x.note.votes == 1 { "vote" } else { "votes" };
            ListItem::new(for_terminal(
                &format!(
                    "{:>3}. {:>3} {votes}{cluster}  {}  # {}",
                    i + 1,
                    x.note.votes,
                    v.text_of(e).0,
                    x.themes.join(", ")
                ),
                false,
            ))
        })
        .collect();
    let list = List::new(items)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Workshop ideas by votes "),
        )
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("› ");
    f.render_stateful_widget(list, body, &mut list_state(v.row, d.ideas.len()));
}

/// The excerpts of the last query.
fn draw_excerpts(f: &mut Frame<'_>, body: Rect, v: &AnalysisView) {
    let items: Vec<ListItem<'_>> = v
        .excerpts
        .iter()
        .map(|e| excerpt_item(v, e, body.width))
        .collect();
    let n = v.excerpts.len();
    let title = format!(
        " {n} excerpt{} for '{}' ",
        if n == 1 { "" } else { "s" },
        for_terminal(&v.query, false)
    );
    let list = List::new(items)
        .block(Block::default().borders(Borders::ALL).title(title))
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("› ");
    f.render_stateful_widget(list, body, &mut list_state(v.row, v.excerpts.len()));
    if v.excerpts.is_empty() {
        f.render_widget(
            Paragraph::new("No excerpts yet: press / to query, or Enter on a theme.")
                .wrap(Wrap { trim: true }),
            Rect::new(body.x + 2, body.y + 1, body.width.saturating_sub(4), 2),
        );
    }
}

/// One excerpt in full: who, when, its themes, and its text with the coded spans marked.
fn draw_detail(f: &mut Frame<'_>, area: Rect, v: &AnalysisView, e: &Shown) {
    let x = &e.excerpt;
    let who = match &x.note.speaker {
        Some(sp) => format!("{sp}, {}", x.note.group),
        None => x.note.group.clone(),
    };
    let (text, spans) = v.text_of(e);
    let mut lines = vec![
        Line::styled(
            for_terminal(
                &format!(
                    "{} · {} · {} · {}",
                    x.note.session, x.note.date, who, x.note.kind
                ),
                false,
            ),
            bold(),
        ),
        Line::raw(for_terminal(
            &format!("Themes: {}", x.themes.join(", ")),
            false,
        )),
        Line::raw(""),
    ];
    lines.extend(marked(text, spans));
    let list_len = v.list().len();
    let title = format!(
        " {} {} of {list_len} ",
        if v.tab == 3 { "Idea" } else { "Excerpt" },
        v.open.unwrap_or(0) + 1,
    );
    f.render_widget(
        Paragraph::new(lines)
            .block(Block::default().borders(Borders::ALL).title(title))
            .wrap(Wrap { trim: false })
            .scroll((v.detail_scroll, 0)),
        area,
    );
}
