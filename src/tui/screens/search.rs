//! Search results across every project: Enter opens the note's session at the note.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, List, ListItem};

use super::move_selection;
use crate::tui::app::{Screen, State};
use crate::tui::keys::Action;
use crate::tui::ui::{list_state, selected};
use crate::tui::worker::Request;
use fieldnotes::model::SearchHit;
use fieldnotes::text::for_terminal;

/// The hits of the last search and the selected row.
#[derive(Debug, Default)]
pub struct SearchView {
    /// Matching notes.
    pub hits: Vec<SearchHit>,
    /// Selected row.
    pub selected: usize,
}

/// An action on the search results.
pub fn on_action(s: &mut State, action: Option<Action>, reqs: &mut Vec<Request>) {
    let v = &mut s.search;
    if move_selection(&mut v.selected, v.hits.len(), action) {
        return;
    }
    match action {
        Some(Action::Open) => {
            if let Some(h) = v.hits.get(v.selected) {
                s.focus_note = Some(h.note.id);
                reqs.push(Request::OpenSession(h.session_id));
            }
        }
        Some(Action::Back) => {
            s.screen = if s.editor.is_some() {
                Screen::Editor
            } else {
                Screen::Projects
            };
        }
        _ => {}
    }
}

/// Draws the search results.
pub fn draw(f: &mut Frame<'_>, area: Rect, s: &State) {
    let v = &s.search;
    let items: Vec<ListItem<'_>> = v
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
        v.hits.len()
    );
    let list = List::new(items)
        .block(Block::default().borders(Borders::ALL).title(title))
        .highlight_style(selected())
        .highlight_symbol("› ");
    f.render_stateful_widget(list, area, &mut list_state(v.selected, v.hits.len()));
}

#[cfg(test)]
mod tests {
    use super::super::table::{c, check, k};
    use crate::tui::keys::{Action, Section};
    use crossterm::event::KeyCode;

    #[test]
    fn search_keys() {
        check(
            Section::Search,
            &[
                (k(KeyCode::Up), Some(Action::Up)),
                (k(KeyCode::PageDown), Some(Action::PageDown)),
                (k(KeyCode::Enter), Some(Action::Open)),
                (k(KeyCode::Esc), Some(Action::Back)),
                (c('?'), Some(Action::Help)),
                (k(KeyCode::Backspace), None),
            ],
        );
    }
}
