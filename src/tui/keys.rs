//! Key bindings: every command the keyboard can name is an [`Action`]; defaults are built in
//! and the user's config file overrides only what it names.

use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A command bound to a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Mark the note (selected, or being typed) as holding special category data.
    FlagSpecial,
    /// Mark the note (selected, or being typed) as holding criminal-offence data.
    FlagCriminal,
    /// Leave the app (everything typed is saved).
    Quit,
    /// Lock now.
    Lock,
    /// Blank the screen at once.
    Privacy,
    /// Show every key.
    Help,
    /// Search all notes.
    Search,
    /// Next speaker.
    NextSpeaker,
    /// Previous speaker.
    PrevSpeaker,
    /// Next note kind.
    CycleKind,
    /// Register a participant in this session.
    AddParticipant,
    /// Select the note above.
    SelectPrev,
    /// Select the note below (past the last: back to typing).
    SelectNext,
    /// Edit the selected note.
    EditNote,
    /// Move the selected note earlier.
    MoveUp,
    /// Move the selected note later.
    MoveDown,
    /// Undo the last note action (add, edit, move, tag, vote).
    UndoNote,
    /// Tag with a theme from the codebook.
    ThemePalette,
    /// Workshop: one more dot vote on the selected idea.
    VoteUp,
    /// Workshop: one dot vote fewer.
    VoteDown,
    /// Workshop: put the selected idea in a cluster. Paper: set the selected note's page.
    Group,
    /// Workshop: sort ideas by votes / by order written.
    SortByPriority,
    /// Paper: record that the paper original was destroyed.
    PaperDestroyed,
}

/// Names used in the config file, with the default key.
pub const DEFAULTS: &[(&str, Action, &str)] = &[
    ("quit", Action::Quit, "ctrl+q"),
    ("lock", Action::Lock, "ctrl+l"),
    ("privacy", Action::Privacy, "ctrl+b"),
    ("help", Action::Help, "f1"),
    ("search", Action::Search, "ctrl+f"),
    ("next_speaker", Action::NextSpeaker, "tab"),
    ("previous_speaker", Action::PrevSpeaker, "shift+tab"),
    ("cycle_kind", Action::CycleKind, "ctrl+k"),
    ("add_participant", Action::AddParticipant, "ctrl+p"),
    ("select_previous_note", Action::SelectPrev, "alt+up"),
    ("select_next_note", Action::SelectNext, "alt+down"),
    ("edit_note", Action::EditNote, "ctrl+e"),
    ("move_note_up", Action::MoveUp, "ctrl+up"),
    ("move_note_down", Action::MoveDown, "ctrl+down"),
    ("undo_note", Action::UndoNote, "ctrl+z"),
    ("theme_palette", Action::ThemePalette, "ctrl+t"),
    ("vote_up", Action::VoteUp, "alt+="),
    ("vote_down", Action::VoteDown, "alt+-"),
    ("group", Action::Group, "ctrl+g"),
    ("sort_by_priority", Action::SortByPriority, "ctrl+o"),
    ("paper_destroyed", Action::PaperDestroyed, "alt+d"),
    ("flag_special_category", Action::FlagSpecial, "alt+s"),
    ("flag_criminal_offence", Action::FlagCriminal, "alt+c"),
];

/// A key with its modifiers, normalised so that Shift+Tab and Shift+letter match however
/// the terminal reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord(KeyCode, KeyModifiers);

impl Chord {
    /// From a terminal key event.
    pub fn from_event(k: &KeyEvent) -> Self {
        let mut m = k.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match k.code {
            KeyCode::BackTab => {
                m |= KeyModifiers::SHIFT;
                KeyCode::BackTab
            }
            KeyCode::Char(c) => {
                m.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        };
        Chord(code, m)
    }

    /// Parses `ctrl+q`, `alt+up`, `shift+tab`, `f1`, `alt+=`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim().to_ascii_lowercase();
        let mut m = KeyModifiers::NONE;
        let mut rest = s.as_str();
        loop {
            if let Some(r) = rest.strip_prefix("ctrl+") {
                m |= KeyModifiers::CONTROL;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt+") {
                m |= KeyModifiers::ALT;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("shift+") {
                m |= KeyModifiers::SHIFT;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest {
            "tab" if m.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            "tab" => KeyCode::Tab,
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "backspace" => KeyCode::Backspace,
            "delete" => KeyCode::Delete,
            "space" => KeyCode::Char(' '),
            f if f.starts_with('f')
                && f.len() > 1
                && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
            {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            c if c.chars().count() == 1 => {
                if !m.contains(KeyModifiers::SHIFT) || c.chars().all(|c| !c.is_ascii_alphabetic()) {
                    m.remove(KeyModifiers::SHIFT);
                }
                KeyCode::Char(c.chars().next().unwrap_or(' '))
            }
            _ => return Err(format!("'{s}' is not a key: write e.g. ctrl+q, alt+up, f1")),
        };
        Ok(Chord(code, m))
    }
}

/// Key → action.
#[derive(Debug, Clone)]
pub struct KeyMap(HashMap<Chord, Action>);

impl Default for KeyMap {
    fn default() -> Self {
        let mut map = HashMap::new();
        for (_, action, key) in DEFAULTS {
            if let Ok(c) = Chord::parse(key) {
                map.insert(c, *action);
            }
        }
        KeyMap(map)
    }
}

impl KeyMap {
    /// Defaults with the user's overrides (`name = "key"`); returns problems found.
    pub fn with_overrides(overrides: &HashMap<String, String>) -> (Self, Vec<String>) {
        let mut km = KeyMap::default();
        let mut problems = Vec::new();
        for (name, key) in overrides {
            let Some((_, action, _)) = DEFAULTS.iter().find(|(n, _, _)| n == name) else {
                problems.push(format!("unknown key binding '{name}'"));
                continue;
            };
            match Chord::parse(key) {
                Ok(chord) => {
                    km.0.retain(|_, a| a != action);
                    km.0.insert(chord, *action);
                }
                Err(e) => problems.push(e),
            }
        }
        (km, problems)
    }

    /// The action bound to a key event.
    pub fn action(&self, k: &KeyEvent) -> Option<Action> {
        self.0.get(&Chord::from_event(k)).copied()
    }

    /// The key bound to an action, for the help screen.
    pub fn key_for(&self, action: Action) -> String {
        let Some((c, _)) = self.0.iter().find(|(_, a)| **a == action) else {
            return "(unbound)".into();
        };
        let mut s = String::new();
        if c.1.contains(KeyModifiers::CONTROL) {
            s.push_str("Ctrl+");
        }
        if c.1.contains(KeyModifiers::ALT) {
            s.push_str("Alt+");
        }
        if c.1.contains(KeyModifiers::SHIFT) && c.0 != KeyCode::BackTab {
            s.push_str("Shift+");
        }
        s.push_str(&match c.0 {
            KeyCode::Char(ch) => ch.to_ascii_uppercase().to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::BackTab => "Shift+Tab".into(),
            other => format!("{other:?}"),
        });
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let km = KeyMap::default();
        let k = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert_eq!(km.action(&k), Some(Action::Quit));
        let bt = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(km.action(&bt), Some(Action::PrevSpeaker));
        let mut o = HashMap::new();
        o.insert("lock".to_owned(), "f9".to_owned());
        o.insert("nonsense".to_owned(), "f2".to_owned());
        let (km, problems) = KeyMap::with_overrides(&o);
        assert_eq!(
            km.action(&KeyEvent::new(KeyCode::F(9), KeyModifiers::NONE)),
            Some(Action::Lock)
        );
        assert_eq!(
            km.action(&KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL)),
            None
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(km.key_for(Action::Lock), "F9");
    }

    #[test]
    fn bad_keys_are_reported() {
        assert!(Chord::parse("ctrl+nothing").is_err());
        assert!(Chord::parse("alt+=").is_ok());
    }
}
