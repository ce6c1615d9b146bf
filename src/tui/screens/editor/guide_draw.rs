//! Drawing the topic guide: a panel beside the notes on a wide screen, one line above the
//! note box on a narrow one. Reads the editor's state only.

use fieldnotes::text::for_terminal;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

use super::Editor;
use super::guide::{PANEL_MIN_WIDTH, no_guide_hint};
use crate::tui::app::State;
use crate::tui::keys::{Action, Section};
use crate::tui::ui::{bold, selected, wrap};

/// Where the guide goes: the editor's own area, and the panel beside it (wide screens) or
/// the line above the note box (narrow ones), when the guide is shown.
pub struct GuideAreas {
    /// What is left for the notes and the note box.
    pub editor: Rect,
    /// The panel, on a wide screen.
    pub panel: Option<Rect>,
    /// Narrow screens show the current question on one line.
    pub line: bool,
}

/// Splits the editor's area for the guide.
pub fn split(e: &Editor, area: Rect) -> GuideAreas {
    if !e.guide.visible() {
        return GuideAreas {
            editor: area,
            panel: None,
            line: false,
        };
    }
    if area.width < PANEL_MIN_WIDTH {
        return GuideAreas {
            editor: area,
            panel: None,
            line: true,
        };
    }
    let w = (area.width / 3).clamp(34, 50);
    let [editor, panel] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(w)]).areas(area);
    GuideAreas {
        editor,
        panel: Some(panel),
        line: false,
    }
}

fn cut(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            out.push('…');
            return out;
        }
        used += w;
        out.push(c);
    }
    out
}

fn covered(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(" ✓{n}")
    }
}

/// The one line of a narrow screen: "Q3/12 ✓2 · How long is the wait?".
pub fn line(e: &Editor, width: u16) -> Line<'static> {
    let g = &e.guide;
    let w = usize::from(width);
    let Some(v) = g.version.as_ref().filter(|v| !v.questions.is_empty()) else {
        return Line::raw(cut(
            "No topic guide: press g on the sessions screen to add one.",
            w,
        ));
    };
    let q = &v.questions[g.current.min(v.questions.len() - 1)];
    let count = g.counts.get(g.current).copied().unwrap_or(0);
    let text = format!(
        "Q{}/{}{} · {}",
        q.position,
        v.questions.len(),
        covered(count),
        for_terminal(&q.text, false)
    );
    Line::styled(cut(&text, w), selected())
}

/// The panel: sections as headings, questions numbered, covered ones marked, the current
/// one highlighted with its prompts under it.
pub fn panel(f: &mut Frame<'_>, area: Rect, s: &State, e: &Editor) {
    let keys = s.config.keys.get(Section::Editor);
    let g = &e.guide;
    let inner_w = usize::from(area.width.saturating_sub(2)).max(1);
    let height = usize::from(area.height.saturating_sub(2));
    let Some(v) = g.version.as_ref().filter(|v| !v.questions.is_empty()) else {
        let lines: Vec<Line<'static>> = wrap(no_guide_hint(), inner_w)
            .into_iter()
            .map(Line::raw)
            .collect();
        let block = Block::default()
            .borders(Borders::ALL)
            .title(" Topic guide ")
            .title_bottom(format!(" {} hides ", keys.keys_for(Action::ToggleGuide)));
        f.render_widget(Paragraph::new(lines).block(block), area);
        return;
    };
    let done = g.counts.iter().filter(|&&n| n > 0).count();
    let title = cut(
        &format!(
            " {} v{} · {done}/{} covered ",
            for_terminal(&v.guide, false),
            v.number,
            v.questions.len()
        ),
        inner_w,
    );
    let bottom = cut(
        &format!(
            " {} next · {} back · {} link ",
            keys.keys_for(Action::NextQuestion),
            keys.keys_for(Action::PrevQuestion),
            keys.keys_for(Action::LinkQuestion)
        ),
        inner_w,
    );
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut current_line = 0;
    let mut section: Option<&str> = None;
    for (i, q) in v.questions.iter().enumerate() {
        if section != Some(q.section.as_str()) {
            section = Some(q.section.as_str());
            if !q.section.is_empty() {
                lines.push(Line::styled(
                    cut(&for_terminal(&q.section, false), inner_w),
                    bold(),
                ));
            }
        }
        let count = g.counts.get(i).copied().unwrap_or(0);
        let text = for_terminal(&q.text, false);
        if i == g.current {
            current_line = lines.len();
            let head = format!("▶ {}. {text}{}", q.position, covered(count));
            for l in wrap(&head, inner_w) {
                lines.push(Line::styled(l, selected()));
            }
            for p in &q.prompts {
                for l in wrap(&format!("    · {}", for_terminal(p, false)), inner_w) {
                    lines.push(Line::styled(l, Style::new().add_modifier(Modifier::ITALIC)));
                }
            }
        } else {
            let mark = covered(count);
            let room = inner_w.saturating_sub(mark.chars().count());
            let line = format!("{}{mark}", cut(&format!("  {}. {text}", q.position), room));
            lines.push(if count > 0 {
                Line::styled(line, Style::new().add_modifier(Modifier::DIM))
            } else {
                Line::raw(line)
            });
        }
    }
    // the current question stays in view, a third of the way down
    let start = if lines.len() > height {
        current_line
            .saturating_sub(height / 3)
            .min(lines.len() - height)
    } else {
        0
    };
    let lines: Vec<Line<'static>> = lines.into_iter().skip(start).take(height).collect();
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title)
        .title_bottom(bottom);
    f.render_widget(Paragraph::new(lines).block(block), area);
}
