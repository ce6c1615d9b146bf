//! User settings: `config.toml` in the platform config folder (e.g.
//! `~/.config/fieldnotes/config.toml`). Every setting is optional.
//!
//! ```toml
//! idle_lock_minutes = 5        # lock after this long without a key (0 = never)
//! high_contrast = true         # bold black-on-white accents instead of colour
//! accent = "cyan"              # colour of completions and marks
//! [keys]
//! lock = "ctrl+l"              # an action of every screen or of the note editor
//! [keys.reader]
//! tag_theme = "t"              # any screen's action: the help screen lists them
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ratatui::style::Color;
use serde::Deserialize;

use super::keys::{KeyList, Keymaps};

/// Settings as written in the file.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct File {
    idle_lock_minutes: Option<u32>,
    high_contrast: Option<bool>,
    accent: Option<String>,
    keys: HashMap<String, KeyEntry>,
}

/// A line under `[keys]`: a global or editor action's key(s), or a `[keys.<screen>]` table.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum KeyEntry {
    Keys(KeyList),
    Screen(HashMap<String, KeyList>),
}

/// Settings in force.
#[derive(Debug, Clone)]
pub struct Config {
    /// Lock after this many ms without input.
    pub idle_lock_ms: i64,
    /// Use no colour at all: marks are bold/reversed only.
    pub high_contrast: bool,
    /// Accent colour.
    pub accent: Color,
    /// Key bindings, per screen.
    pub keys: Keymaps,
    /// The folder an export is offered in (found once at start: finding it reads files).
    pub export_dir: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            idle_lock_ms: 5 * 60_000,
            high_contrast: false,
            accent: Color::Cyan,
            keys: Keymaps::default(),
            export_dir: None,
        }
    }
}

/// Where the config file lives.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "fieldnotes").map(|d| d.config_dir().join("config.toml"))
}

impl Config {
    /// Honours the `NO_COLOR` convention (<https://no-color.org>): when the variable is set
    /// and not empty, the app uses no colour at all, as with `high_contrast`.
    pub fn honour_no_color(&mut self, no_color: Option<&std::ffi::OsStr>) {
        if no_color.is_some_and(|v| !v.is_empty()) {
            self.high_contrast = true;
        }
    }

    /// Reads the file if present. Problems do not stop the app: defaults are used and the
    /// problems returned, to be shown.
    pub fn load(path: Option<&Path>) -> (Self, Vec<String>) {
        let Some(path) = path else {
            return (Config::default(), Vec::new());
        };
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Config::default(), Vec::new()),
            Err(e) => (
                Config::default(),
                vec![format!("could not read {}: {e}", path.display())],
            ),
        }
    }

    /// Parses the file's text.
    pub fn parse(text: &str) -> (Self, Vec<String>) {
        let file: File = match toml::from_str(text) {
            Ok(f) => f,
            Err(e) => {
                let msg = e.message().to_owned();
                return (
                    Config::default(),
                    vec![format!("config.toml ignored: {msg}")],
                );
            }
        };
        let mut problems = Vec::new();
        let (mut keys, mut key_problems) = Keymaps::defaults();
        problems.append(&mut key_problems);
        let mut flat = HashMap::new();
        let mut screens: Vec<(&String, &HashMap<String, KeyList>)> = Vec::new();
        for (name, entry) in &file.keys {
            match entry {
                KeyEntry::Keys(k) => {
                    flat.insert(name.clone(), k.clone());
                }
                KeyEntry::Screen(t) => screens.push((name, t)),
            }
        }
        keys.apply_flat(&flat, &mut problems);
        screens.sort_by_key(|(name, _)| *name);
        for (name, table) in screens {
            keys.apply_section(name, table, &mut problems);
        }
        let accent = match file.accent.as_deref() {
            None => Color::Cyan,
            Some(c) => c.parse::<Color>().unwrap_or_else(|_| {
                problems.push(format!("'{c}' is not a colour"));
                Color::Cyan
            }),
        };
        let idle = match file.idle_lock_minutes {
            Some(0) => i64::MAX,
            Some(m) => i64::from(m) * 60_000,
            None => 5 * 60_000,
        };
        (
            Config {
                idle_lock_ms: idle,
                high_contrast: file.high_contrast.unwrap_or(false),
                accent,
                keys,
                export_dir: None,
            },
            problems,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_turns_colour_off_unless_empty() {
        let mut c = Config::default();
        c.honour_no_color(Some(std::ffi::OsStr::new("")));
        assert!(!c.high_contrast, "an empty NO_COLOR is as if unset");
        c.honour_no_color(None);
        assert!(!c.high_contrast);
        c.honour_no_color(Some(std::ffi::OsStr::new("1")));
        assert!(c.high_contrast);
    }

    #[test]
    fn reads_settings_and_reports_mistakes() {
        let (c, p) =
            Config::parse("idle_lock_minutes = 2\naccent = \"yellow\"\n[keys]\nlock = \"f9\"\n");
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(c.idle_lock_ms, 120_000);
        assert_eq!(c.accent, Color::Yellow);
        let (c, p) = Config::parse("idle_lock_minutes = \"soon\"");
        assert_eq!(c.idle_lock_ms, 300_000);
        assert_eq!(p.len(), 1);
        let (_, p) = Config::parse("[keys]\nlock = \"ctrl+nothing\"");
        assert_eq!(p.len(), 1);
    }

    #[test]
    fn a_screen_table_overrides_that_screen_only() {
        use super::super::keys::{Action, Section};
        use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        let (c, p) = Config::parse(
            "[keys]\nlock = \"f9\"\n[keys.reader]\ntag_recent = [\"a\", \"s\", \"d\"]\n",
        );
        assert!(p.is_empty(), "{p:?}");
        let s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::NONE);
        assert_eq!(
            c.keys.get(Section::Reader).lookup(&s),
            Some((Action::TagRecent, 1))
        );
        let one = KeyEvent::new(KeyCode::Char('1'), KeyModifiers::NONE);
        assert_eq!(c.keys.action(Section::Reader, &one), None);
        let up = KeyEvent::new(KeyCode::Up, KeyModifiers::NONE);
        assert_eq!(c.keys.action(Section::Reader, &up), Some(Action::Up));
        let (_, p) = Config::parse("[keys.reader]\ntag_theme = \"ctrl+\"\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with("[keys.reader] tag_theme:"), "{p:?}");
    }
}
