//! The sessions of the open project: open one to take notes or to read and code it, start
//! a new one, or go on to the project's analysis and export review.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, List, ListItem, Paragraph};

use super::form::Form;
use super::move_selection;
use super::prompt::{Prompt, PromptFor};
use crate::tui::app::{Screen, State, today};
use crate::tui::keys::Action;
use crate::tui::ui::{inner, list_state, selected};
use crate::tui::worker::Request;
use fieldnotes::model::{Session, SessionKind, Source};
use fieldnotes::text::for_terminal;

/// The open project's sessions and the selected row.
#[derive(Debug, Default)]
pub struct SessionsView {
    /// Which project they belong to.
    pub project: String,
    /// The sessions.
    pub list: Vec<Session>,
    /// Selected row.
    pub selected: usize,
}

impl SessionsView {
    /// A fresh list: another project's starts at the top; the same project's keeps its place.
    pub fn loaded(&mut self, project: &str, list: Vec<Session>) {
        if self.project != project {
            self.project = project.to_owned();
            self.selected = 0;
        }
        self.list = list;
        self.selected = self.selected.min(self.list.len().saturating_sub(1));
    }
}

/// An action on the sessions screen.
pub fn on_action(s: &mut State, action: Option<Action>, reqs: &mut Vec<Request>) {
    let v = &mut s.sessions;
    if move_selection(&mut v.selected, v.list.len(), action) {
        return;
    }
    let chosen = v.list.get(v.selected);
    let new =
        |kind, source, label: &str| Some(Prompt::new(PromptFor::NewSession(kind, source), label));
    match action {
        Some(Action::Open) => {
            if let Some(x) = chosen {
                reqs.push(Request::OpenSession(x.id));
            }
        }
        Some(Action::Back) => {
            s.screen = Screen::Projects;
            reqs.push(Request::Projects);
        }
        Some(Action::NewInterview) => {
            s.prompt = new(
                SessionKind::Interview,
                Source::Live,
                "Title of the new live interview",
            )
        }
        Some(Action::NewPaper) => {
            s.prompt = new(
                SessionKind::Interview,
                Source::Paper,
                "Title of the paper notes to transcribe",
            )
        }
        Some(Action::NewWorkshop) => {
            s.prompt = new(
                SessionKind::Workshop,
                Source::Live,
                "Title of the new workshop",
            )
        }
        Some(Action::NewReview) => {
            if let Some(p) = s.project.clone() {
                s.form = Some(Form::review(&p, &today()));
            }
        }
        Some(Action::NewSession) => {
            if let Some(p) = s.project.clone() {
                s.form = Some(Form::session(&p, &today()));
            }
        }
        Some(Action::EditSession) => {
            if let Some(x) = chosen {
                s.form = Some(match x.kind {
                    SessionKind::Review => Form::review_edit(x),
                    _ => Form::session_edit(x),
                });
            }
        }
        Some(Action::Read) => {
            if let Some(x) = chosen {
                reqs.push(Request::OpenSession(x.id));
                s.open_reading = true;
            }
        }
        Some(Action::ExportReview) => {
            if let Some(p) = s.project.clone() {
                s.busy = Some("Preparing the export…".into());
                reqs.push(Request::ExportReview(p));
            }
        }
        Some(Action::Guides) => super::guides::open(s, reqs),
        Some(Action::Analyse) => {
            if let Some(p) = s.project.clone() {
                s.busy = Some("Loading the analysis…".into());
                reqs.push(Request::Analysis(p, Default::default()));
            }
        }
        Some(Action::Quotes) => super::quotes::open(s, reqs),
        _ => {}
    }
}

/// Draws the open project's sessions.
pub fn draw(f: &mut Frame<'_>, area: Rect, s: &State) {
    let v = &s.sessions;
    let items: Vec<ListItem<'_>> = v
        .list
        .iter()
        .map(|x| {
            // the id first: the command line names a session by it (`--session 12`)
            ListItem::new(format!(
                "#{:<4} {:<10}  {:<9} {:<5}  {}",
                x.id,
                x.date.as_deref().unwrap_or("-"),
                x.kind.as_str(),
                x.source.as_str(),
                for_terminal(&x.title, false)
            ))
        })
        .collect();
    let list = List::new(items)
        .block(Block::default().borders(Borders::ALL).title(crate::tui::ui::fit_title(
            " Sessions — Enter opens · i interview · p paper · w workshop · v record review · r code · a analyse · x export · g guides · q quotes · n new · e edit · Esc back ",
            area.width,
        )))
        .highlight_style(selected())
        .highlight_symbol("› ");
    f.render_stateful_widget(list, area, &mut list_state(v.selected, v.list.len()));
    if v.list.is_empty() {
        f.render_widget(
            Paragraph::new("No sessions yet: press i to start a live interview."),
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
    fn sessions_keys() {
        check(
            Section::Sessions,
            &[
                (k(KeyCode::Up), Some(Action::Up)),
                (k(KeyCode::Down), Some(Action::Down)),
                (k(KeyCode::Enter), Some(Action::Open)),
                (k(KeyCode::Esc), Some(Action::Back)),
                (k(KeyCode::Backspace), Some(Action::Back)),
                (c('i'), Some(Action::NewInterview)),
                (c('p'), Some(Action::NewPaper)),
                (c('w'), Some(Action::NewWorkshop)),
                (c('v'), Some(Action::NewReview)),
                (c('n'), Some(Action::NewSession)),
                (c('e'), Some(Action::EditSession)),
                (c('r'), Some(Action::Read)),
                (c('a'), Some(Action::Analyse)),
                (c('x'), Some(Action::ExportReview)),
                (c('g'), Some(Action::Guides)),
                (c('?'), Some(Action::Help)),
                (c('X'), None),
            ],
        );
    }
}
