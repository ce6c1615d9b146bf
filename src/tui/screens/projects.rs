//! The projects list: type to filter, open one, create or edit a project's record, and see
//! what retention says is due.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Borders, List, ListItem, Paragraph};

use super::form::Form;
use super::move_selection;
use crate::tui::app::State;
use crate::tui::keys::Action;
use crate::tui::ui::{bold, inner, list_state, selected};
use crate::tui::worker::{RecordsRequest, Request};
use fieldnotes::model::Project;
use fieldnotes::text::for_terminal;

/// The projects, the filter typed over them and the selected row (of those that match).
#[derive(Debug, Default)]
pub struct ProjectsView {
    /// Every project.
    pub list: Vec<Project>,
    /// Filter typed on the projects screen.
    pub filter: String,
    /// Selected row among the visible projects.
    pub selected: usize,
}

impl ProjectsView {
    /// Projects matching the filter.
    pub fn visible(&self) -> Vec<&Project> {
        let f = self.filter.to_lowercase();
        self.list
            .iter()
            .filter(|p| p.name.to_lowercase().contains(&f))
            .collect()
    }

    /// A fresh list: the selection stays where it was, within the list.
    pub fn loaded(&mut self, list: Vec<Project>) {
        self.list = list;
        self.selected = self.selected.min(self.visible().len().saturating_sub(1));
    }

    fn set_filter(&mut self, change: impl FnOnce(&mut String)) {
        change(&mut self.filter);
        self.selected = 0;
    }
}

/// A key on the projects screen: its action, or a character of the filter.
pub fn on_key(s: &mut State, action: Option<Action>, k: KeyEvent, reqs: &mut Vec<Request>) {
    let v = &mut s.projects;
    let len = v.visible().len();
    if move_selection(&mut v.selected, len, action) {
        return;
    }
    let chosen = v.visible().get(v.selected).map(|p| (*p).clone());
    match action {
        Some(Action::NewProject) => s.form = Some(Form::project(None)),
        Some(Action::Retention) => reqs.push(Request::Retention),
        Some(Action::Team) => {
            if let Some(p) = &chosen {
                reqs.push(Request::Team(p.name.clone()));
            }
        }
        Some(Action::Disclosures) => {
            if let Some(p) = &chosen {
                reqs.push(Request::Records(RecordsRequest::Disclosures(
                    p.name.clone(),
                )));
            }
        }
        Some(Action::EditProject) => {
            if let Some(p) = chosen {
                s.form = Some(Form::project(Some(&p)));
            }
        }
        Some(Action::Open) => {
            if let Some(p) = chosen {
                reqs.push(Request::Sessions(p.name));
            }
        }
        Some(Action::DeleteChar) => v.set_filter(|f| {
            f.pop();
        }),
        Some(Action::Clear) => v.set_filter(String::clear),
        _ => {
            if let KeyCode::Char(c) = k.code
                && !k.modifiers.contains(KeyModifiers::CONTROL)
            {
                v.set_filter(|f| f.push(c));
            }
        }
    }
}

/// Draws the list, under the retention banner when sessions are due.
pub fn draw(f: &mut Frame<'_>, area: Rect, s: &State) {
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
    let v = &s.projects;
    let visible = v.visible();
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
    let title = if v.filter.is_empty() {
        " Projects — type to filter · Enter opens · Ctrl+N new · Ctrl+E edit · Ctrl+T team "
            .to_owned()
    } else {
        format!(" Projects matching '{}' ", for_terminal(&v.filter, false))
    };
    let empty = visible.is_empty();
    let list = List::new(items)
        .block(Block::default().borders(Borders::ALL).title(title))
        .highlight_style(selected())
        .highlight_symbol("› ");
    f.render_stateful_widget(list, area, &mut list_state(v.selected, visible.len()));
    if empty {
        let msg = if v.list.is_empty() {
            "No projects yet: press Ctrl+N to create one."
        } else {
            "No project matches the filter (Esc clears it)."
        };
        f.render_widget(Paragraph::new(msg), inner(area));
    }
}

#[cfg(test)]
mod tests {
    use super::super::table::{c, check, k, m};
    use crate::tui::keys::{Action, Section};
    use crossterm::event::{KeyCode, KeyModifiers};

    #[test]
    fn projects_keys() {
        let ctrl = KeyModifiers::CONTROL;
        check(
            Section::Projects,
            &[
                (k(KeyCode::Up), Some(Action::Up)),
                (k(KeyCode::Down), Some(Action::Down)),
                (k(KeyCode::PageUp), Some(Action::PageUp)),
                (k(KeyCode::PageDown), Some(Action::PageDown)),
                (k(KeyCode::Home), Some(Action::First)),
                (k(KeyCode::End), Some(Action::Last)),
                (k(KeyCode::Enter), Some(Action::Open)),
                (m(KeyCode::Char('n'), ctrl), Some(Action::NewProject)),
                (m(KeyCode::Char('e'), ctrl), Some(Action::EditProject)),
                (m(KeyCode::Char('r'), ctrl), Some(Action::Retention)),
                (m(KeyCode::Char('t'), ctrl), Some(Action::Team)),
                (k(KeyCode::Backspace), Some(Action::DeleteChar)),
                (k(KeyCode::Esc), Some(Action::Clear)),
                // letters and `?` are typed into the filter
                (c('n'), None),
                (c('?'), None),
            ],
        );
    }
}
