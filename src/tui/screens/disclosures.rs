//! A project's disclosures log (data passed to other teams or organisations), and the form
//! that records one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, List, ListItem, Paragraph};

use super::form::Form;
use super::move_selection;
use crate::tui::app::{Screen, State, today};
use crate::tui::keys::Action;
use crate::tui::ui::{inner, list_state, selected};
use crate::tui::worker::Request;
use fieldnotes::model::Disclosure;
use fieldnotes::text::for_terminal;

/// A project's disclosures and the selected row.
#[derive(Debug, Default)]
pub struct DisclosuresView {
    /// Which project's log.
    pub project: String,
    /// Its entries, oldest first.
    pub list: Vec<Disclosure>,
    /// Selected row.
    pub selected: usize,
}

/// The log arrived (on opening it, or after recording an entry).
pub fn loaded(s: &mut State, project: String, list: Vec<Disclosure>) {
    s.busy = None;
    let recorded = s.screen == Screen::Disclosures && list.len() > s.disclosures.list.len();
    let selected = if recorded {
        list.len().saturating_sub(1)
    } else {
        0
    };
    s.disclosures = DisclosuresView {
        project,
        list,
        selected,
    };
    if recorded {
        s.message = Some("Disclosure recorded.".into());
    }
    s.screen = Screen::Disclosures;
}

/// An action on the disclosures log.
pub fn on_action(s: &mut State, action: Option<Action>, reqs: &mut Vec<Request>) {
    let v = &mut s.disclosures;
    if move_selection(&mut v.selected, v.list.len(), action) {
        return;
    }
    match action {
        Some(Action::NewDisclosure) => {
            s.form = Some(Form::disclosure(&v.project, &today()));
        }
        Some(Action::Back) => {
            s.screen = Screen::Projects;
            reqs.push(Request::Projects);
        }
        _ => {}
    }
}

/// Draws the log.
pub fn draw(f: &mut Frame<'_>, area: Rect, s: &State) {
    let v = &s.disclosures;
    let items: Vec<ListItem<'_>> = v
        .list
        .iter()
        .map(|d| {
            ListItem::new(format!(
                "{}  to {} — {} · basis: {} · sent by {}",
                d.shared_on,
                for_terminal(&d.recipient, false),
                for_terminal(&d.what, false),
                for_terminal(&d.lawful_basis, false),
                for_terminal(&d.method, false)
            ))
        })
        .collect();
    let title = format!(
        " Disclosures of {} — n record one · Esc back ",
        for_terminal(&v.project, false)
    );
    let list = List::new(items)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(crate::tui::ui::fit_title(&title, area.width)),
        )
        .highlight_style(selected())
        .highlight_symbol("› ");
    f.render_stateful_widget(list, area, &mut list_state(v.selected, v.list.len()));
    if v.list.is_empty() {
        f.render_widget(
            Paragraph::new(
                "None recorded. Press n when data about people goes to another team or organisation.",
            ),
            inner(area),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::table::{c, check, k};
    use crate::tui::keys::{Action, Section};
    use crossterm::event::KeyCode;

    #[test]
    fn disclosures_keys() {
        check(
            Section::Disclosures,
            &[
                (k(KeyCode::Up), Some(Action::Up)),
                (k(KeyCode::Esc), Some(Action::Back)),
                (c('n'), Some(Action::NewDisclosure)),
                (c('?'), Some(Action::Help)),
                (c('x'), None),
            ],
        );
    }
}
