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
        // the passphrase field is empty until the answer comes: a key now would start the
        // next try with a stray character, so it is counted on screen instead
        s.ignored_keys += 1;
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
                s.ignored_keys = 0;
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
    s.ignored_keys = 0;
}

/// After an unlock that followed a lock: back to the screen, session, note and scroll the
/// user left, asking the worker for what the lock dropped.
pub fn resume(s: &mut State, reqs: &mut Vec<Request>) {
    let Some(r) = s.resume else { return };
    let project = r
        .project_id
        .and_then(|id| s.projects.list.iter().find(|p| p.id == id))
        .map(|p| p.name.clone());
    if let Some(i) = r
        .project_id
        .and_then(|id| s.projects.list.iter().position(|p| p.id == id))
    {
        s.projects.selected = i;
    }
    match (r.screen, project, r.session_id) {
        (Screen::Editor, _, Some(id)) => {
            s.focus_note = r.note_id;
            s.busy = Some("Reopening the session…".into());
            reqs.push(Request::OpenSession(id));
        }
        (Screen::Reading, _, Some(id)) => {
            s.open_reading = true;
            s.busy = Some("Reopening the session…".into());
            reqs.push(Request::OpenSession(id));
        }
        (Screen::Analysis, Some(p), _) => {
            s.resume = None;
            s.project = Some(p.clone());
            s.busy = Some("Counting…".into());
            reqs.push(Request::Analysis(p, Default::default()));
        }
        (Screen::Projects | Screen::Unlock, _, _) | (_, None, _) => s.resume = None,
        (_, Some(p), _) => {
            s.busy = Some("Loading…".into());
            reqs.push(Request::Sessions(p));
        }
    }
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
        lines.push(Line::raw(
            "(Or quit with Ctrl+Q and run `fieldnotes init` in a terminal.)",
        ));
    } else {
        lines.push(Line::raw("Type the vault passphrase and press Enter."));
        lines.push(Line::raw("(What you type is not shown.)"));
        lines.push(Line::raw(""));
        let state = match &s.busy {
            Some(b) => format!("{b} please wait"),
            None => "Passphrase: ▏".to_owned(),
        };
        lines.push(Line::styled(state, bold()));
        if s.busy.is_some() && s.ignored_keys > 0 {
            let n = s.ignored_keys;
            let m = format!(
                "{n} key{} pressed while unlocking went nowhere; type again once this ends.",
                if n == 1 { "" } else { "s" }
            );
            extra += rows(&m, 70.min(area.width));
            lines.push(Line::raw(m));
        }
        if let Some(m) = &s.message {
            let m = for_terminal(m, false);
            extra = 1 + rows(&m, 70.min(area.width));
            lines.push(Line::raw(""));
            lines.push(Line::raw(m));
        }
    }
    let r = centered(area, 70, 7 + extra);
    f.render_widget(Clear, r);
    let block = Block::default().borders(Borders::ALL).title(if s.no_vault {
        " No vault yet "
    } else {
        " Unlock the vault "
    });
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
