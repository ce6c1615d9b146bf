//! The help overlay, generated from the key maps in force (defaults and the user's
//! overrides), so it lists exactly the keys the app obeys. The current screen's keys come
//! first, then those that work anywhere, then every other screen's. It scrolls when taller than
//! the terminal.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::move_selection;
use crate::tui::app::State;
use crate::tui::keys::{Keymaps, Section};
use crate::tui::ui::{bold, centered};

/// Widest the help box grows: it fits an 80-column terminal.
const WIDTH: u16 = 80;
/// Columns for the keys before their description.
const KEY_W: usize = 20;

/// Where the help is scrolled to.
#[derive(Debug, Clone, Default)]
pub struct HelpView {
    /// First line shown.
    pub scroll: usize,
}

/// Sections in the order shown: this screen's, the keys that work anywhere, then the rest.
fn order(current: Section) -> Vec<Section> {
    let mut v = vec![current, Section::Global];
    v.extend(
        Section::ALL
            .iter()
            .copied()
            .filter(|s| *s != current && *s != Section::Global),
    );
    v.dedup();
    v
}

/// Every line of the help: a heading per screen (with its `[keys.<name>]` table), then each
/// action's keys and what it does, cut to the box's inner width.
pub fn lines(keys: &Keymaps, current: Section, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for section in order(current) {
        if !out.is_empty() {
            out.push(Line::raw(""));
        }
        out.push(Line::styled(
            format!("{}  [keys.{}]", section.title(), section.name()),
            bold(),
        ));
        let map = keys.get(section);
        for (action, _) in map.bindings() {
            let keys = map.keys_for(action);
            let row = format!(" {keys:<KEY_W$} {}", action.describe());
            out.push(Line::raw(row.chars().take(width).collect::<String>()));
        }
    }
    out
}

/// A key while the help shows: the help's own keys scroll it; any other closes it.
pub fn on_key(s: &mut State, k: &KeyEvent) {
    let action = s.config.keys.action(Section::Help, k);
    let total = lines(&s.config.keys, s.section(), usize::from(WIDTH)).len();
    let scrolled = s
        .help
        .as_mut()
        .is_some_and(|h| move_selection(&mut h.scroll, total, action));
    if !scrolled {
        s.help = None;
    }
}

/// Draws the help over `area`.
pub fn draw(f: &mut Frame<'_>, area: Rect, s: &State) {
    let Some(h) = &s.help else { return };
    let w = WIDTH.min(area.width);
    let inner_w = usize::from(w.saturating_sub(2));
    let all = lines(&s.config.keys, s.section(), inner_w);
    let room = usize::from(area.height.saturating_sub(2)).max(1);
    let first = h.scroll.min(all.len().saturating_sub(room));
    let shown: Vec<Line<'static>> = all.iter().skip(first).take(room).cloned().collect();
    let height = u16::try_from(shown.len() + 2).unwrap_or(u16::MAX);
    let r = centered(area, w, height);
    f.render_widget(Clear, r);
    let more = if all.len() > room {
        format!(" {}–{} of {} ", first + 1, first + shown.len(), all.len())
    } else {
        String::new()
    };
    f.render_widget(
        Paragraph::new(shown).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Keys — ↑↓ PgUp PgDn scroll · any other key closes ")
                .title_bottom(more),
        ),
        r,
    );
}

#[cfg(test)]
mod tests {
    use super::super::table::{c, check, k};
    use super::*;
    use crate::tui::keys::{Action, KeyList};
    use crossterm::event::KeyCode;
    use std::collections::HashMap;

    #[test]
    fn help_keys() {
        check(
            Section::Help,
            &[
                (k(KeyCode::Up), Some(Action::Up)),
                (k(KeyCode::Down), Some(Action::Down)),
                (k(KeyCode::PageUp), Some(Action::PageUp)),
                (k(KeyCode::PageDown), Some(Action::PageDown)),
                (k(KeyCode::Esc), None),
                (c('q'), None),
            ],
        );
    }

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn the_help_follows_the_keys_in_force_and_fits_80_columns() {
        let mut keys = Keymaps::default();
        let all = text(&lines(&keys, Section::Reader, 78));
        assert!(all[0].starts_with("Reading and coding"), "{all:?}");
        assert!(all.iter().all(|l| l.chars().count() <= 78));
        assert!(
            all.iter()
                .any(|l| l.contains("1…9") && l.contains(Action::TagRecent.describe()))
        );
        let mut problems = Vec::new();
        let o = HashMap::from([("tag_theme".to_owned(), KeyList::One("t".into()))]);
        keys.apply_section("reader", &o, &mut problems);
        let all = text(&lines(&keys, Section::Reader, 78));
        let row = all
            .iter()
            .find(|l| l.contains(Action::TagTheme.describe()))
            .cloned()
            .unwrap_or_default();
        assert!(row.trim_start().starts_with("t "), "{row}");
    }
}
