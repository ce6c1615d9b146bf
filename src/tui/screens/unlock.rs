//! The first screen: the passphrase prompt, or (with no vault at the path) the way to create
//! one. What is typed is never shown, not even its length.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::form::Form;
use crate::tui::app::{Screen, State};
use crate::tui::keys::Action;
use crate::tui::ui::{bold, centered, rows};
use crate::tui::worker::Request;
use fieldnotes::model::Project;
use fieldnotes::text::for_terminal;

/// A key on the unlock (or first-run) screen: its action, or a character of the passphrase.
pub fn on_key(s: &mut State, action: Option<Action>, k: KeyEvent, reqs: &mut Vec<Request>) {
    if s.busy.is_some() {
        return;
    }
    if s.no_vault {
        if action == Some(Action::CreateVault) {
            s.form = Some(Form::new_vault());
        }
        return;
    }
    match action {
        Some(Action::Unlock) => {
            if !s.passphrase.is_empty() {
                let pass = s.passphrase.take();
                s.busy = Some("Unlocking…".into());
                s.message = None;
                reqs.push(Request::Unlock(pass));
            }
        }
        Some(Action::DeleteChar) => s.passphrase.pop(),
        Some(Action::Clear) => s.passphrase.clear(),
        _ => {
            if let KeyCode::Char(c) = k.code
                && !k.modifiers.contains(KeyModifiers::CONTROL)
            {
                s.passphrase.push(c)
            }
        }
    }
}

/// The vault opened: its projects show.
pub fn unlocked(s: &mut State, projects: Vec<Project>) {
    s.busy = None;
    s.form = None;
    s.no_vault = false;
    s.projects.list = projects;
    s.projects.selected = 0;
    s.screen = Screen::Projects;
    s.message = None;
}

/// Draws the passphrase box, or the word that there is no vault yet.
pub fn draw(f: &mut Frame<'_>, area: Rect, s: &State) {
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

#[cfg(test)]
mod tests {
    use super::super::table::{c, check, k, m};
    use crate::tui::keys::{Action, Section};
    use crossterm::event::{KeyCode, KeyModifiers};

    #[test]
    fn unlock_and_first_run_keys() {
        check(
            Section::Unlock,
            &[
                (k(KeyCode::Enter), Some(Action::Unlock)),
                (k(KeyCode::Backspace), Some(Action::DeleteChar)),
                (k(KeyCode::Esc), Some(Action::Clear)),
                (c('q'), None),
                (c('?'), None),
            ],
        );
        check(
            Section::FirstRun,
            &[
                (k(KeyCode::Enter), Some(Action::CreateVault)),
                (
                    m(KeyCode::Char('n'), KeyModifiers::CONTROL),
                    Some(Action::CreateVault),
                ),
                (c('n'), None),
            ],
        );
    }
}
