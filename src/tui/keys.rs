//! Key bindings: every command the keyboard can name is an [`Action`]; each screen has its own
//! map from keys to actions. The defaults are `assets/keymap.toml`, built in, and the user's
//! `config.toml` overrides only what it names.

use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

/// The built-in bindings.
pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

macro_rules! actions {
    ($($variant:ident = $name:literal, $desc:literal;)*) => {
        /// A command bound to a key. The name is what `keymap.toml` and `config.toml` use; the
        /// description is what the help screen shows.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $(#[doc = $desc] $variant,)*
        }

        impl Action {
            /// Every action, in the order the help screen lists them.
            pub const ALL: &[Action] = &[$(Action::$variant),*];

            /// The name used in the key map files.
            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }

            /// What it does, for the help screen.
            pub fn describe(self) -> &'static str {
                match self {
                    $(Action::$variant => $desc,)*
                }
            }
        }
    };
}

actions! {
    Quit = "quit", "quit (everything typed is saved)";
    Lock = "lock", "lock now";
    Privacy = "privacy", "privacy screen (any key returns)";
    Help = "help", "this help";
    Search = "search", "search all notes";
    CreateVault = "create_vault", "create a vault here";
    Unlock = "unlock", "unlock with the passphrase";
    Up = "up", "move up";
    Down = "down", "move down";
    PageUp = "page_up", "move up a page";
    PageDown = "page_down", "move down a page";
    First = "first", "first row";
    Last = "last", "last row";
    Open = "open", "open the selected row";
    Back = "back", "go back";
    Cancel = "cancel", "cancel";
    Confirm = "confirm", "answer";
    DeleteChar = "delete_char", "delete the last character";
    Clear = "clear", "clear what is typed";
    NewProject = "new_project", "new project";
    EditProject = "edit_project", "edit the selected project";
    Retention = "retention", "sessions past their retention date";
    Team = "team", "team: what waits to be sent, what came from whom";
    Disclosures = "disclosures", "disclosures log: data passed to other teams";
    NewDisclosure = "new_disclosure", "record a disclosure";
    NewInterview = "new_interview", "new live interview, by title";
    NewPaper = "new_paper", "new paper transcription, by title";
    NewWorkshop = "new_workshop", "new workshop, by title";
    NewReview = "new_review", "new record review (source system, record, period read)";
    NewSession = "new_session", "new session with every field";
    EditSession = "edit_session", "edit the selected session";
    Read = "read", "read and code the session";
    Analyse = "analyse", "analysis of the project";
    ExportReview = "export_review", "export review of the project";
    SaveNote = "save_note", "save the note";
    NewLine = "new_line", "new line inside the note";
    NextSpeaker = "next_speaker", "next speaker";
    PrevSpeaker = "previous_speaker", "previous speaker";
    Speaker = "speaker", "speaker 1, 2, …";
    NoSpeaker = "no_speaker", "no speaker";
    CycleKind = "cycle_kind", "next note kind";
    AddParticipant = "add_participant", "add a participant";
    CompleteTheme = "complete_theme", "complete #theme from the codebook (_ = space)";
    ThemePalette = "theme_palette", "theme palette: tag the note";
    SelectPrev = "select_previous_note", "select an earlier note";
    SelectNext = "select_next_note", "select a later note";
    EditNote = "edit_note", "edit the selected note";
    MoveUp = "move_note_up", "move the selected note earlier";
    MoveDown = "move_note_down", "move the selected note later";
    UndoNote = "undo_note", "undo the last note action";
    UndoTyping = "undo_typing", "undo typing";
    RedoTyping = "redo_typing", "redo typing";
    ScrollUp = "scroll_up", "scroll to earlier notes";
    ScrollDown = "scroll_down", "scroll to later notes";
    VoteUp = "vote_up", "workshop: vote +1 on the selected idea";
    VoteDown = "vote_down", "workshop: vote −1 on the selected idea";
    Group = "group", "workshop: cluster; paper: page";
    SortByPriority = "sort_by_priority", "workshop: sort by votes / as written";
    GroupByCluster = "group_by_cluster", "workshop: ideas grouped by cluster / in one list";
    PersonMentioned = "person_mentioned", "register a person mentioned (name → pseudonym)";
    Memo = "memo", "memo on the selected note, or the session";
    PaperDestroyed = "paper_destroyed", "paper: original destroyed today (asks first)";
    FlagSpecial = "flag_special_category", "flag: special category data";
    FlagCriminal = "flag_criminal_offence", "flag: criminal-offence data";
    RedoNote = "redo_note", "redo the note action undone last";
    KindVerbatim = "kind_verbatim", "kind: verbatim quote (again: back to the default)";
    KindParaphrase = "kind_paraphrase", "kind: paraphrase";
    KindObservation = "kind_observation", "kind: observation";
    KindIdea = "kind_idea", "workshop kind: idea";
    KeepKind = "keep_kind", "keep the kind for the following notes, or not";
    MoveLeft = "move_left", "move left";
    MoveRight = "move_right", "move right";
    WordLeft = "word_left", "a word left";
    WordRight = "word_right", "a word right";
    NoteStart = "note_start", "start of the note";
    NoteEnd = "note_end", "end of the note";
    ExtendLeft = "extend_left", "select left";
    ExtendRight = "extend_right", "select right";
    ExtendWordLeft = "extend_word_left", "select a word left";
    ExtendWordRight = "extend_word_right", "select a word right";
    ExtendToStart = "extend_to_start", "select to the start";
    ExtendToEnd = "extend_to_end", "select to the end";
    ToggleSelection = "toggle_selection", "start / drop a selection";
    TagRecent = "tag_recent", "tag with theme 1, 2, … (codebook order, or as pinned)";
    PinTheme = "pin_theme", "pin a theme to a number key";
    TagTheme = "tag_theme", "tag with any theme (a new name adds it)";
    UndoTag = "undo_tag", "undo the last tagging";
    NextTab = "next_tab", "next view";
    PrevTab = "previous_tab", "previous view";
    Query = "query", "theme query (A AND B, A OR B, A NOT B)";
    Filter = "filter", "filter by role, kind, dates";
    CountChildren = "count_children", "count child themes under parents";
    NewTheme = "new_theme", "codebook: new theme";
    RenameTheme = "rename_theme", "codebook: rename";
    MoveTheme = "move_theme", "codebook: move under another theme";
    MergeTheme = "merge_theme", "codebook: merge into another";
    DeleteTheme = "delete_theme", "codebook: delete (asks first)";
    ThemeMemo = "theme_memo", "codebook: memo";
    RealText = "real_text", "show the vault's real text / the anonymised text";
    NextGuide = "next_guide", "coverage: show the next topic guide";
    Keep = "keep", "keep this word as written (allow list)";
    Deny = "deny", "always remove a phrase (deny list)";
    Register = "register", "register a name the anonymiser missed";
    Export = "export", "export (then a path and a recipient)";
    EraseDue = "erase_due", "erase what is due (asks first)";
    NextField = "next_field", "next field";
    PrevField = "previous_field", "previous field";
    NextOrSave = "next_or_save", "next field; saves on the last";
    Save = "save", "save";
    Quotes = "quotes", "quotes awaiting their speaker's approval";
    ApproveQuote = "approve_quote", "approve the selected quote's exact words (asks the date)";
    ToggleGuide = "toggle_guide", "topic guide: show / hide it beside the notes";
    NextQuestion = "next_question", "topic guide: next question";
    PrevQuestion = "previous_question", "topic guide: previous question";
    LinkQuestion = "link_question", "topic guide: link the selected note to the current question, or unlink it";
    Guides = "guides", "topic guides of the project";
    ImportGuide = "import_guide", "topic guides: import a Markdown file";
    NewGuide = "new_guide", "topic guides: write a new one";
    FollowGuide = "follow_guide", "topic guides: the selected session follows this guide";
}

impl Action {
    /// The action with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }
}

macro_rules! sections {
    ($($variant:ident = $name:literal, $title:literal;)*) => {
        /// A screen (or overlay) with its own key map: a section of `keymap.toml`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Section {
            $(#[doc = $title] $variant,)*
        }

        impl Section {
            /// Every section, in the order the help screen lists them.
            pub const ALL: &[Section] = &[$(Section::$variant),*];

            /// The section's name in the key map files.
            pub fn name(self) -> &'static str {
                match self {
                    $(Section::$variant => $name,)*
                }
            }

            /// Its heading on the help screen.
            pub fn title(self) -> &'static str {
                match self {
                    $(Section::$variant => $title,)*
                }
            }
        }
    };
}

sections! {
    Global = "global", "Anywhere";
    FirstRun = "first_run", "No vault yet";
    Unlock = "unlock", "Unlock";
    Projects = "projects", "Projects (type to filter)";
    Sessions = "sessions", "Sessions";
    Search = "search", "Search results";
    Editor = "editor", "Note editor (type the note; #theme tags it)";
    Reader = "reader", "Reading and coding";
    Analysis = "analysis", "Analysis (codebook keys on the Codebook view)";
    Review = "review", "Export review";
    Retention = "retention", "Retention";
    Team = "team", "Team exchange";
    Disclosures = "disclosures", "Disclosures log";
    Quotes = "quotes", "Quotes awaiting approval";
    Guides = "guides", "Topic guides (Ctrl+S saves the text box, Esc leaves it)";
    Form = "form", "Forms";
    Prompt = "prompt", "One-line questions";
    Help = "help", "This help (any other key closes it)";
}

impl Section {
    /// The section with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        Section::ALL.iter().copied().find(|s| s.name() == name)
    }
}

/// A key with its modifiers, normalised so that Shift+Tab and Shift+letter match however
/// the terminal reports them: a plain letter's case carries Shift; with Ctrl or Alt, case is
/// ignored (terminals differ in what they send for Ctrl+Shift+Q).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord(KeyCode, KeyModifiers);

impl Chord {
    fn new(code: KeyCode, mods: KeyModifiers) -> Self {
        let mut m = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::BackTab => {
                m |= KeyModifiers::SHIFT;
                KeyCode::BackTab
            }
            KeyCode::Char(c) => {
                m.remove(KeyModifiers::SHIFT);
                if m.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            other => other,
        };
        Chord(code, m)
    }

    /// From a terminal key event.
    pub fn from_event(k: &KeyEvent) -> Self {
        Chord::new(k.code, k.modifiers)
    }

    /// Parses `ctrl+q`, `alt+up`, `shift+tab`, `f1`, `alt+=`, `X`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        let mut m = KeyModifiers::NONE;
        let mut rest = trimmed;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (flag, len) = if lower.starts_with("ctrl+") && rest.len() > 5 {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt+") && rest.len() > 4 {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift+") && rest.len() > 6 {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            m |= flag;
            rest = &rest[len..];
        }
        let name = rest.to_ascii_lowercase();
        let code = match name.as_str() {
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
            f if f.len() > 1 && f.starts_with('f') => match f[1..].parse::<u8>() {
                Ok(n) if (1..=12).contains(&n) => KeyCode::F(n),
                _ => return Err(not_a_key(trimmed)),
            },
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if m.contains(KeyModifiers::SHIFT) => {
                        KeyCode::Char(c.to_ascii_uppercase())
                    }
                    (Some(c), None) => KeyCode::Char(c),
                    _ => return Err(not_a_key(trimmed)),
                }
            }
        };
        Ok(Chord::new(code, m))
    }

    /// As the help screen writes it: `Ctrl+Q`, `Shift+Tab`, `X`.
    pub fn label(self) -> String {
        let Chord(code, m) = self;
        let mut s = String::new();
        if m.contains(KeyModifiers::CONTROL) {
            s.push_str("Ctrl+");
        }
        if m.contains(KeyModifiers::ALT) {
            s.push_str("Alt+");
        }
        if m.contains(KeyModifiers::SHIFT) && code != KeyCode::BackTab {
            s.push_str("Shift+");
        }
        let ctrl_or_alt = m.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        s.push_str(&match code {
            KeyCode::Char(' ') => "Space".into(),
            KeyCode::Char(c) if ctrl_or_alt => c.to_ascii_uppercase().to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::BackTab => "Shift+Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            other => format!("{other:?}"),
        });
        s
    }
}

fn not_a_key(text: &str) -> String {
    format!("'{text}' is not a key: write e.g. ctrl+q, alt+up, shift+tab, f1 or x")
}

/// One screen's keys → actions. An action may have several keys; where order matters (the
/// n-th speaker, the n-th recent theme) the n-th key of its list means n.
#[derive(Debug, Clone, Default)]
pub struct KeyMap {
    binds: HashMap<Action, Vec<Chord>>,
}

impl KeyMap {
    /// The action bound to a key event.
    pub fn action(&self, k: &KeyEvent) -> Option<Action> {
        self.lookup(k).map(|(a, _)| a)
    }

    /// The action bound to a key event, and the key's place in the action's list.
    pub fn lookup(&self, k: &KeyEvent) -> Option<(Action, usize)> {
        let c = Chord::from_event(k);
        self.binds
            .iter()
            .find_map(|(a, keys)| keys.iter().position(|x| *x == c).map(|i| (*a, i)))
    }

    /// Binds `action` to exactly `keys`; a key another action had moves to this one.
    fn bind(&mut self, action: Action, keys: Vec<Chord>) {
        for other in self.binds.values_mut() {
            other.retain(|c| !keys.contains(c));
        }
        self.binds.insert(action, keys);
    }

    /// Every bound action and its keys, in the order of [`Action::ALL`].
    pub fn bindings(&self) -> Vec<(Action, &[Chord])> {
        let mut v: Vec<(Action, &[Chord])> = self
            .binds
            .iter()
            .filter(|(_, k)| !k.is_empty())
            .map(|(a, k)| (*a, k.as_slice()))
            .collect();
        v.sort_by_key(|(a, _)| *a);
        v
    }

    /// The keys bound to an action, as the help screen writes them (`(unbound)` if none).
    pub fn keys_for(&self, action: Action) -> String {
        match self.binds.get(&action) {
            Some(keys) if !keys.is_empty() => describe_keys(keys),
            _ => "(unbound)".into(),
        }
    }
}

/// `Alt+1…9` for a run of consecutive digits or letters, otherwise every key, comma-separated.
pub fn describe_keys(keys: &[Chord]) -> String {
    let run = keys.len() > 2
        && keys.windows(2).all(|w| match (w[0], w[1]) {
            (Chord(KeyCode::Char(a), ma), Chord(KeyCode::Char(b), mb)) => {
                ma == mb && u32::from(a) + 1 == u32::from(b)
            }
            _ => false,
        });
    match (run, keys.first(), keys.last()) {
        (true, Some(first), Some(Chord(KeyCode::Char(last), _))) => {
            format!("{}…{last}", first.label())
        }
        _ => keys
            .iter()
            .map(|c| c.label())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// One key or several, as written in a key map file.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum KeyList {
    /// `action = "ctrl+q"`
    One(String),
    /// `action = ["enter", "ctrl+n"]`
    Many(Vec<String>),
}

impl KeyList {
    fn as_vec(&self) -> Vec<&str> {
        match self {
            KeyList::One(k) => vec![k.as_str()],
            KeyList::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// Every screen's key map.
#[derive(Debug, Clone)]
pub struct Keymaps {
    maps: HashMap<Section, KeyMap>,
}

impl Default for Keymaps {
    /// The built-in bindings (`assets/keymap.toml`).
    fn default() -> Self {
        Keymaps::defaults().0
    }
}

impl Keymaps {
    /// The built-in bindings, with any problem in them (a test keeps this list empty).
    pub fn defaults() -> (Self, Vec<String>) {
        let mut km = Keymaps {
            maps: HashMap::new(),
        };
        let mut problems = Vec::new();
        match toml::from_str::<HashMap<String, HashMap<String, KeyList>>>(DEFAULT_KEYMAP) {
            Ok(sections) => {
                for (section, binds) in &sections {
                    km.apply_section(section, binds, &mut problems);
                }
            }
            Err(e) => problems.push(format!("the built-in key map: {}", e.message())),
        }
        (km, problems)
    }

    /// The map of one screen.
    pub fn get(&self, section: Section) -> &KeyMap {
        static EMPTY: std::sync::OnceLock<KeyMap> = std::sync::OnceLock::new();
        self.maps
            .get(&section)
            .unwrap_or_else(|| EMPTY.get_or_init(KeyMap::default))
    }

    /// The action a key means on a screen.
    pub fn action(&self, section: Section, k: &KeyEvent) -> Option<Action> {
        self.get(section).action(k)
    }

    /// Applies `[keys.<screen>] action = keys` lines, reporting each one it cannot use.
    pub fn apply_section(
        &mut self,
        section: &str,
        binds: &HashMap<String, KeyList>,
        problems: &mut Vec<String>,
    ) {
        let Some(sec) = Section::from_name(section) else {
            let names: Vec<&str> = Section::ALL.iter().map(|s| s.name()).collect();
            problems.push(format!(
                "[keys.{section}] is not a screen: use one of {}",
                names.join(", ")
            ));
            return;
        };
        let mut names: Vec<&String> = binds.keys().collect();
        names.sort();
        for name in names {
            let keys = &binds[name];
            let Some(action) = Action::from_name(name) else {
                problems.push(format!(
                    "[keys.{section}] {name}: there is no action '{name}'; the help screen (F1) lists each screen's actions"
                ));
                continue;
            };
            match keys.as_vec().into_iter().map(Chord::parse).collect() {
                Ok(chords) => self.maps.entry(sec).or_default().bind(action, chords),
                Err(e) => problems.push(format!("[keys.{section}] {name}: {e}")),
            }
        }
    }

    /// Applies the older flat `[keys] action = key` lines: each names a global or editor action.
    pub fn apply_flat(&mut self, binds: &HashMap<String, KeyList>, problems: &mut Vec<String>) {
        let mut names: Vec<&String> = binds.keys().collect();
        names.sort();
        for name in names {
            let home = Action::from_name(name).and_then(|a| {
                [Section::Global, Section::Editor]
                    .into_iter()
                    .find(|s| self.get(*s).binds.contains_key(&a))
            });
            match home {
                Some(sec) => {
                    let one = HashMap::from([(name.clone(), binds[name].clone())]);
                    self.apply_section(sec.name(), &one, problems);
                }
                None => problems.push(format!(
                    "[keys] {name}: not an action of every screen or of the editor; write it under [keys.<screen>] (the help screen, F1, lists them)"
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn the_built_in_key_map_is_sound() {
        let (km, problems) = Keymaps::defaults();
        assert!(problems.is_empty(), "{problems:?}");
        let raw: HashMap<String, HashMap<String, KeyList>> =
            toml::from_str(DEFAULT_KEYMAP).unwrap();
        for s in Section::ALL {
            let written: usize = raw[s.name()].values().map(|k| k.as_vec().len()).sum();
            let bound: usize = km.get(*s).bindings().iter().map(|(_, k)| k.len()).sum();
            assert!(bound > 0, "{} has no keys", s.name());
            assert_eq!(
                bound,
                written,
                "{}: a key is bound to two actions",
                s.name()
            );
        }
    }

    #[test]
    fn keys_parse_and_normalise() {
        assert!(Chord::parse("ctrl+nothing").is_err());
        assert!(Chord::parse("f13").is_err());
        assert!(Chord::parse("alt+=").is_ok());
        let x = Chord::parse("X").unwrap();
        assert_eq!(
            x,
            Chord::from_event(&ev(KeyCode::Char('X'), KeyModifiers::SHIFT))
        );
        assert_ne!(
            x,
            Chord::from_event(&ev(KeyCode::Char('x'), KeyModifiers::NONE))
        );
        assert_eq!(
            Chord::parse("shift+tab").unwrap(),
            Chord::from_event(&ev(KeyCode::BackTab, KeyModifiers::NONE))
        );
        assert_eq!(
            Chord::parse("alt+d").unwrap(),
            Chord::from_event(&ev(
                KeyCode::Char('D'),
                KeyModifiers::ALT | KeyModifiers::SHIFT
            ))
        );
        assert_eq!(Chord::parse("ctrl+q").unwrap().label(), "Ctrl+Q");
    }

    #[test]
    fn a_run_of_keys_is_written_short() {
        let km = Keymaps::default();
        assert_eq!(km.get(Section::Reader).keys_for(Action::TagRecent), "1…9");
        assert_eq!(km.get(Section::Editor).keys_for(Action::Speaker), "Alt+1…9");
        assert_eq!(
            km.get(Section::Sessions).keys_for(Action::Back),
            "Esc, Backspace"
        );
    }

    #[test]
    fn the_nth_key_of_a_list_means_n() {
        let km = Keymaps::default();
        let three = ev(KeyCode::Char('3'), KeyModifiers::NONE);
        assert_eq!(
            km.get(Section::Reader).lookup(&three),
            Some((Action::TagRecent, 2))
        );
    }

    #[test]
    fn overrides_replace_only_what_they_name() {
        let mut km = Keymaps::default();
        let mut problems = Vec::new();
        let o = HashMap::from([
            ("tag_theme".to_owned(), KeyList::One("t".into())),
            ("nonsense".to_owned(), KeyList::One("f2".into())),
            ("undo_tag".to_owned(), KeyList::One("ctrl+nothing".into())),
        ]);
        km.apply_section("reader", &o, &mut problems);
        let r = km.get(Section::Reader);
        assert_eq!(
            r.action(&ev(KeyCode::Char('t'), KeyModifiers::NONE)),
            Some(Action::TagTheme)
        );
        assert_eq!(r.action(&ev(KeyCode::Char('/'), KeyModifiers::NONE)), None);
        assert_eq!(
            r.action(&ev(KeyCode::Char('u'), KeyModifiers::NONE)),
            Some(Action::UndoTag),
            "a bad override leaves the default"
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("nonsense")));
        assert!(
            problems
                .iter()
                .any(|p| p.contains("ctrl+nothing") && p.contains("write e.g."))
        );
        km.apply_section("nowhere", &o, &mut problems);
        assert!(
            problems
                .last()
                .is_some_and(|p| p.contains("[keys.nowhere]"))
        );
    }

    #[test]
    fn flat_overrides_keep_working_for_global_and_editor_actions() {
        let mut km = Keymaps::default();
        let mut problems = Vec::new();
        let o = HashMap::from([
            ("lock".to_owned(), KeyList::One("f9".into())),
            ("previous_speaker".to_owned(), KeyList::One("f3".into())),
            ("nonsense".to_owned(), KeyList::One("f2".into())),
        ]);
        km.apply_flat(&o, &mut problems);
        assert_eq!(
            km.action(Section::Global, &ev(KeyCode::F(9), KeyModifiers::NONE)),
            Some(Action::Lock)
        );
        assert_eq!(
            km.action(
                Section::Global,
                &ev(KeyCode::Char('l'), KeyModifiers::CONTROL)
            ),
            None
        );
        assert_eq!(
            km.action(Section::Editor, &ev(KeyCode::F(3), KeyModifiers::NONE)),
            Some(Action::PrevSpeaker)
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(km.get(Section::Global).keys_for(Action::Lock), "F9");
    }
}
