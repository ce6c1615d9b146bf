//! One file per screen: its state, its keys (through the named actions of its key map) and
//! its `draw`, a pure function of the state that returns whatever layout it must remember.

pub mod analyse;
pub mod disclosures;
pub mod editor;
pub mod form;
pub mod guides;
pub mod help;
pub mod projects;
pub mod prompt;
pub mod quotes;
pub mod reader;
pub mod retention;
pub mod review;
pub mod search;
pub mod sessions;
pub mod team;
pub mod unlock;

use super::keys::Action;

/// Moves a list selection for the movement actions; false for any other action.
pub fn move_selection(sel: &mut usize, len: usize, action: Option<Action>) -> bool {
    let last = len.saturating_sub(1);
    match action {
        Some(Action::Up) => *sel = sel.saturating_sub(1),
        Some(Action::Down) => *sel = (*sel + 1).min(last),
        Some(Action::PageUp) => *sel = sel.saturating_sub(10),
        Some(Action::PageDown) => *sel = (*sel + 10).min(last),
        Some(Action::First) => *sel = 0,
        Some(Action::Last) => *sel = last,
        _ => return false,
    }
    true
}

#[cfg(test)]
pub(crate) mod table {
    //! Key → action tables checked against the built-in key map.

    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use crate::tui::keys::{Action, Keymaps, Section};

    /// A plain key.
    pub fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    /// A character.
    pub fn c(ch: char) -> KeyEvent {
        let m = if ch.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        KeyEvent::new(KeyCode::Char(ch), m)
    }

    /// A key with modifiers.
    pub fn m(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    /// Every row's key means its action (or nothing) on the screen.
    pub fn check(section: Section, rows: &[(KeyEvent, Option<Action>)]) {
        let keys = Keymaps::default();
        for (key, want) in rows {
            assert_eq!(
                keys.action(section, key),
                *want,
                "{}: {:?} {:?}",
                section.name(),
                key.code,
                key.modifiers
            );
        }
    }
}
