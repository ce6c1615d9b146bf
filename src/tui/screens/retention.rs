//! Sessions past their retention date (and paper originals not yet destroyed), with the
//! way to erase what is due after a typed "yes".

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders, List, ListItem};

use super::move_selection;
use super::prompt::{Prompt, PromptFor};
use crate::tui::app::{Screen, State};
use crate::tui::keys::Action;
use crate::tui::ui::list_state;
use crate::tui::worker::Request;
use fieldnotes::app::RetentionItem;
use fieldnotes::text::for_terminal;

/// What retention lists and the selected row.
#[derive(Debug, Default)]
pub struct RetentionView {
    /// Sessions due, or with a paper original still kept.
    pub items: Vec<RetentionItem>,
    /// Selected row.
    pub selected: usize,
}

/// The list arrived (on opening, or after an erasure with its message).
pub fn loaded(s: &mut State, items: Vec<RetentionItem>, msg: Option<String>) {
    s.busy = None;
    s.retention_due = items.iter().filter(|i| i.overdue).count();
    s.retention = RetentionView { items, selected: 0 };
    s.screen = Screen::Retention;
    if msg.is_some() {
        s.message = msg;
    }
}

/// An action on the retention list.
pub fn on_action(s: &mut State, action: Option<Action>, reqs: &mut Vec<Request>) {
    let v = &mut s.retention;
    if move_selection(&mut v.selected, v.items.len(), action) {
        return;
    }
    let due = v.items.iter().filter(|i| i.overdue).count();
    match action {
        Some(Action::EraseDue) if due > 0 => {
            s.prompt = Some(Prompt::new(
                PromptFor::RetentionConfirm,
                &format!("Erase {due} sessions past retention, for good? Type yes"),
            ));
        }
        Some(Action::Back) => {
            s.screen = Screen::Projects;
            reqs.push(Request::Projects);
        }
        _ => {}
    }
}

/// Draws the retention list.
pub fn draw(f: &mut Frame<'_>, area: Rect, s: &State) {
    let v = &s.retention;
    let items: Vec<ListItem<'_>> = v
        .items
        .iter()
        .map(|i| {
            let mut what = Vec::new();
            if i.overdue {
                what.push(format!("past retention since {}", i.due));
            }
            if i.paper_pending {
                what.push("paper original not yet destroyed".to_owned());
            }
            ListItem::new(format!(
                "{}  {}  {}  {}",
                for_terminal(&i.project, false),
                i.date,
                for_terminal(&i.title, false),
                what.join("; ")
            ))
        })
        .collect();
    let due = v.items.iter().filter(|i| i.overdue).count();
    let title = if due > 0 {
        format!(
            " Retention: {due} sessions are due for erasure — X erases them (asks first) · Esc back "
        )
    } else {
        " Retention: nothing is past its date — Esc back ".to_owned()
    };
    let list = List::new(items)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(crate::tui::ui::fit_title(&title, area.width)),
        )
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("› ");
    f.render_stateful_widget(list, area, &mut list_state(v.selected, v.items.len()));
}

#[cfg(test)]
mod tests {
    use super::super::table::{c, check, k};
    use crate::tui::keys::{Action, Section};
    use crossterm::event::KeyCode;

    #[test]
    fn retention_keys() {
        check(
            Section::Retention,
            &[
                (k(KeyCode::Up), Some(Action::Up)),
                (k(KeyCode::Down), Some(Action::Down)),
                (c('X'), Some(Action::EraseDue)),
                (c('x'), None),
                (k(KeyCode::Esc), Some(Action::Back)),
                (c('?'), Some(Action::Help)),
            ],
        );
    }
}
