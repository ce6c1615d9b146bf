//! The app's state and its pure update function: key → action → new state + requests for
//! the worker. No I/O here, so every behaviour is unit-testable without a terminal.

use crate::model::{Note, NoteKind, Participant, Project, SearchHit, Session, SessionKind, Source};
use crate::store::{Draft, NewNote, NewParticipant, NewSession};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui_textarea::{TextArea, WrapMode};
use secrecy::SecretString;
use zeroize::Zeroizing;

use super::worker::{Reply, Request};

/// Milliseconds between draft saves while typing: a crash loses at most this much.
pub const DRAFT_SAVE_MS: i64 = 500;

/// Which screen is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Passphrase prompt.
    Unlock,
    /// Projects list.
    Projects,
    /// Sessions of a project.
    Sessions,
    /// The note editor.
    Editor,
    /// Search results.
    Search,
}

/// What a one-line prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptFor {
    /// Title of a new session.
    NewSession(SessionKind, Source),
    /// Name of a new participant.
    ParticipantName,
    /// Role of the new participant named.
    ParticipantRole(String),
    /// Search words.
    Search,
}

/// A one-line text prompt over the current screen.
#[derive(Debug, Clone)]
pub struct Prompt {
    /// Purpose.
    pub purpose: PromptFor,
    /// The question.
    pub label: String,
    /// Typed so far.
    pub input: String,
}

/// A note on screen: saved (with its id) or on its way to the vault.
#[derive(Debug, Clone)]
pub struct NoteRow {
    /// Local id until the worker confirms it.
    pub pending: Option<u64>,
    /// The note (id 0 while pending).
    pub note: Note,
}

/// The editor of one session.
pub struct Editor {
    /// The session.
    pub session: Session,
    /// Its notes, in order.
    pub notes: Vec<NoteRow>,
    /// Its participants.
    pub participants: Vec<Participant>,
    /// Selected speaker: index into [`Editor::speakers`], or none.
    pub speaker: Option<usize>,
    /// Selected kind for the next note.
    pub kind: NoteKind,
    /// The text being typed.
    pub input: TextArea<'static>,
    /// Themes of the project (for completion).
    pub themes: Vec<String>,
    /// Notes scrolled up from the end.
    pub scroll: usize,
    /// Draft changed since last saved.
    pub dirty: bool,
    /// When the draft was last sent (ms).
    pub draft_sent_ms: i64,
}

impl Editor {
    /// Speaker codes: participants' pseudonyms, then facilitators F1…
    pub fn speakers(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .participants
            .iter()
            .map(|p| p.pseudonym.clone())
            .collect();
        v.extend((1..=self.session.facilitators.len()).map(|i| format!("F{i}")));
        v
    }

    /// The selected speaker's code.
    pub fn speaker_code(&self) -> Option<String> {
        self.speaker.and_then(|i| self.speakers().get(i).cloned())
    }

    /// The role shown next to a speaker (never the real name).
    pub fn speaker_role(&self, code: &str) -> Option<String> {
        if let Some(p) = self.participants.iter().find(|p| p.pseudonym == code) {
            return p.role.clone();
        }
        code.starts_with('F').then(|| "facilitator".to_owned())
    }

    fn text(&self) -> String {
        self.input.lines().join("\n")
    }
}

/// Everything the app shows. Rendering reads it; only [`update`] changes it.
pub struct State {
    /// Vault folder name, for the status bar.
    pub vault_name: String,
    /// Current screen.
    pub screen: Screen,
    /// The passphrase being typed (never shown, not even its length).
    pub passphrase: Zeroizing<String>,
    /// A request is running (e.g. "Unlocking…").
    pub busy: Option<String>,
    /// Last message for the user (error or info).
    pub message: Option<String>,
    /// Projects.
    pub projects: Vec<Project>,
    /// Filter typed on the projects screen.
    pub filter: String,
    /// Selected row on list screens.
    pub selected: usize,
    /// The open project.
    pub project: Option<String>,
    /// Sessions of the open project.
    pub sessions: Vec<Session>,
    /// The open session.
    pub editor: Option<Editor>,
    /// Search results.
    pub hits: Vec<SearchHit>,
    /// One-line prompt, if open.
    pub prompt: Option<Prompt>,
    /// Help overlay showing.
    pub help: bool,
    /// Privacy screen: everything blanked.
    pub privacy: bool,
    /// Notes sent and not yet confirmed.
    pub pending_saves: usize,
    /// Next local id for a pending note.
    next_local: u64,
    /// Last key or mouse input (ms), for auto-lock.
    pub last_input_ms: i64,
    /// Auto-lock after this many ms without input.
    pub idle_lock_ms: i64,
    /// The app should exit.
    pub quit: bool,
    /// No vault exists at the path.
    pub no_vault: bool,
}

/// Terminal and timer events, and the worker's replies.
#[derive(Debug)]
pub enum Msg {
    /// A key.
    Key(KeyEvent),
    /// Pasted text.
    Paste(String),
    /// Scroll the notes (positive = older).
    Scroll(i32),
    /// Time passes (now, ms).
    Tick(i64),
    /// From the worker.
    Worker(Reply),
    /// SIGTERM, SIGHUP: leave as if Ctrl+Q.
    Terminate,
}

impl State {
    /// A fresh, locked app.
    pub fn new(vault_name: String, no_vault: bool, idle_lock_ms: i64, now_ms: i64) -> Self {
        Self {
            vault_name,
            screen: Screen::Unlock,
            passphrase: Zeroizing::new(String::new()),
            busy: None,
            message: None,
            projects: Vec::new(),
            filter: String::new(),
            selected: 0,
            project: None,
            sessions: Vec::new(),
            editor: None,
            hits: Vec::new(),
            prompt: None,
            help: false,
            privacy: false,
            pending_saves: 0,
            next_local: 1,
            last_input_ms: now_ms,
            idle_lock_ms,
            quit: false,
            no_vault,
        }
    }

    /// Projects matching the filter.
    pub fn visible_projects(&self) -> Vec<&Project> {
        let f = self.filter.to_lowercase();
        self.projects
            .iter()
            .filter(|p| p.name.to_lowercase().contains(&f))
            .collect()
    }

    /// "saved" once everything typed is in the vault.
    pub fn save_state(&self) -> &'static str {
        let dirty = self.editor.as_ref().is_some_and(|e| e.dirty);
        if self.pending_saves > 0 || dirty {
            "saving…"
        } else {
            "saved"
        }
    }

    fn lock(&mut self, reqs: &mut Vec<Request>) {
        flush_draft(self, reqs, i64::MAX);
        reqs.push(Request::Lock);
        let name = std::mem::take(&mut self.vault_name);
        let idle = self.idle_lock_ms;
        *self = State::new(name, false, idle, self.last_input_ms);
        self.message = Some("Locked. Type the passphrase to unlock.".into());
    }
}

fn ctrl(k: &KeyEvent, c: char) -> bool {
    k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char(c)
}

/// Applies one message; returns the requests for the worker.
pub fn update(s: &mut State, msg: Msg) -> Vec<Request> {
    let mut reqs = Vec::new();
    match msg {
        Msg::Worker(r) => on_reply(s, r),
        Msg::Tick(now) => {
            flush_draft(s, &mut reqs, now);
            if s.screen != Screen::Unlock && now - s.last_input_ms >= s.idle_lock_ms {
                s.lock(&mut reqs);
            }
        }
        Msg::Terminate => {
            flush_draft(s, &mut reqs, i64::MAX);
            s.quit = true;
        }
        Msg::Scroll(d) => {
            if let Some(e) = s.editor.as_mut().filter(|_| s.screen == Screen::Editor) {
                e.scroll = (e.scroll as i64 + i64::from(d)).clamp(0, e.notes.len() as i64) as usize;
            }
        }
        Msg::Paste(text) => {
            if s.privacy || s.help {
                return reqs;
            }
            if let Some(p) = s.prompt.as_mut() {
                p.input.push_str(&text.replace(['\n', '\r'], " "));
            } else if s.screen == Screen::Editor
                && let Some(e) = s.editor.as_mut()
            {
                e.input.insert_str(crate::text::clean_note_text(&text));
                e.dirty = true;
            } else if s.screen == Screen::Unlock {
                s.passphrase.push_str(text.trim_end_matches(['\n', '\r']));
            }
        }
        Msg::Key(k) => {
            if k.kind == KeyEventKind::Release {
                return reqs;
            }
            on_key(s, k, &mut reqs);
        }
    }
    reqs
}

fn flush_draft(s: &mut State, reqs: &mut Vec<Request>, now: i64) {
    if let Some(e) = s.editor.as_mut()
        && e.dirty
        && now.saturating_sub(e.draft_sent_ms) >= DRAFT_SAVE_MS
    {
        e.dirty = false;
        e.draft_sent_ms = now.min(i64::MAX - 1);
        reqs.push(Request::SaveDraft(Draft {
            session_id: e.session.id,
            text: e.text(),
            speaker: e.speaker_code(),
            kind: Some(e.kind),
        }));
    }
}

fn on_key(s: &mut State, k: KeyEvent, reqs: &mut Vec<Request>) {
    if ctrl(&k, 'q') {
        flush_draft(s, reqs, i64::MAX);
        s.quit = true;
        return;
    }
    if s.privacy {
        s.privacy = false;
        return;
    }
    if ctrl(&k, 'b') {
        s.privacy = true;
        return;
    }
    if s.screen != Screen::Unlock && ctrl(&k, 'l') {
        s.lock(reqs);
        return;
    }
    if s.help {
        s.help = false;
        return;
    }
    if k.code == KeyCode::F(1) || (k.code == KeyCode::Char('?') && !typing(s)) {
        s.help = true;
        return;
    }
    if s.prompt.is_some() {
        on_prompt_key(s, k, reqs);
        return;
    }
    if s.screen != Screen::Unlock && ctrl(&k, 'f') {
        s.prompt = Some(Prompt {
            purpose: PromptFor::Search,
            label: "Search all notes".into(),
            input: String::new(),
        });
        return;
    }
    match s.screen {
        Screen::Unlock => on_unlock_key(s, k, reqs),
        Screen::Projects => on_projects_key(s, k, reqs),
        Screen::Sessions => on_sessions_key(s, k, reqs),
        Screen::Editor => on_editor_key(s, k, reqs),
        Screen::Search => on_search_key(s, k, reqs),
    }
}

/// True when printable keys go into text (so `?` is a character, not help).
fn typing(s: &State) -> bool {
    s.prompt.is_some() || matches!(s.screen, Screen::Unlock | Screen::Editor | Screen::Projects)
}

fn on_unlock_key(s: &mut State, k: KeyEvent, reqs: &mut Vec<Request>) {
    if s.busy.is_some() {
        return;
    }
    match k.code {
        KeyCode::Enter if !s.passphrase.is_empty() => {
            let pass = SecretString::from(std::mem::take(&mut *s.passphrase));
            s.busy = Some("Unlocking…".into());
            s.message = None;
            reqs.push(Request::Unlock(pass));
        }
        KeyCode::Backspace => {
            s.passphrase.pop();
        }
        KeyCode::Esc => s.passphrase.clear(),
        KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => s.passphrase.push(c),
        _ => {}
    }
}

fn move_sel(sel: &mut usize, len: usize, code: KeyCode) -> bool {
    match code {
        KeyCode::Up => *sel = sel.saturating_sub(1),
        KeyCode::Down => *sel = (*sel + 1).min(len.saturating_sub(1)),
        KeyCode::PageUp => *sel = sel.saturating_sub(10),
        KeyCode::PageDown => *sel = (*sel + 10).min(len.saturating_sub(1)),
        KeyCode::Home => *sel = 0,
        KeyCode::End => *sel = len.saturating_sub(1),
        _ => return false,
    }
    true
}

fn on_projects_key(s: &mut State, k: KeyEvent, reqs: &mut Vec<Request>) {
    let len = s.visible_projects().len();
    if move_sel(&mut s.selected, len, k.code) {
        return;
    }
    match k.code {
        KeyCode::Enter => {
            if let Some(p) = s.visible_projects().get(s.selected) {
                let name = p.name.clone();
                reqs.push(Request::Sessions(name));
            }
        }
        KeyCode::Backspace => {
            s.filter.pop();
            s.selected = 0;
        }
        KeyCode::Esc => {
            s.filter.clear();
            s.selected = 0;
        }
        KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => {
            s.filter.push(c);
            s.selected = 0;
        }
        _ => {}
    }
}

fn on_sessions_key(s: &mut State, k: KeyEvent, reqs: &mut Vec<Request>) {
    if move_sel(&mut s.selected, s.sessions.len(), k.code) {
        return;
    }
    let new = |kind, source, label: &str| Prompt {
        purpose: PromptFor::NewSession(kind, source),
        label: label.into(),
        input: String::new(),
    };
    match k.code {
        KeyCode::Enter => {
            if let Some(x) = s.sessions.get(s.selected) {
                reqs.push(Request::OpenSession(x.id));
            }
        }
        KeyCode::Esc | KeyCode::Backspace => {
            s.screen = Screen::Projects;
            s.selected = 0;
            reqs.push(Request::Projects);
        }
        KeyCode::Char('i') => {
            s.prompt = Some(new(
                SessionKind::Interview,
                Source::Live,
                "Title of the new live interview",
            ))
        }
        KeyCode::Char('p') => {
            s.prompt = Some(new(
                SessionKind::Interview,
                Source::Paper,
                "Title of the paper notes to transcribe",
            ))
        }
        KeyCode::Char('w') => {
            s.prompt = Some(new(
                SessionKind::Workshop,
                Source::Live,
                "Title of the new workshop",
            ))
        }
        _ => {}
    }
}

fn on_search_key(s: &mut State, k: KeyEvent, reqs: &mut Vec<Request>) {
    if move_sel(&mut s.selected, s.hits.len(), k.code) {
        return;
    }
    match k.code {
        KeyCode::Enter => {
            if let Some(h) = s.hits.get(s.selected) {
                reqs.push(Request::OpenSession(h.session_id));
            }
        }
        KeyCode::Esc => {
            s.screen = if s.editor.is_some() {
                Screen::Editor
            } else {
                Screen::Projects
            };
            s.selected = 0;
        }
        _ => {}
    }
}

fn on_prompt_key(s: &mut State, k: KeyEvent, reqs: &mut Vec<Request>) {
    let Some(p) = s.prompt.as_mut() else { return };
    match k.code {
        KeyCode::Esc => s.prompt = None,
        KeyCode::Backspace => {
            p.input.pop();
        }
        KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => p.input.push(c),
        KeyCode::Enter => {
            let Some(p) = s.prompt.take() else { return };
            let text = p.input.trim().to_owned();
            if text.is_empty() {
                return;
            }
            submit_prompt(s, p.purpose, text, reqs);
        }
        _ => {}
    }
}

fn submit_prompt(s: &mut State, purpose: PromptFor, text: String, reqs: &mut Vec<Request>) {
    match purpose {
        PromptFor::NewSession(kind, source) => {
            if let Some(project) = s.project.clone() {
                reqs.push(Request::AddSession(NewSession {
                    project,
                    kind,
                    title: text,
                    date: Some(today()),
                    location: None,
                    source,
                    paper: Default::default(),
                    facilitators: Vec::new(),
                }));
            }
        }
        PromptFor::ParticipantName => {
            s.prompt = Some(Prompt {
                purpose: PromptFor::ParticipantRole(text),
                label: "Their role or group (e.g. security officer)".into(),
                input: String::new(),
            });
        }
        PromptFor::ParticipantRole(name) => {
            if let Some(e) = &s.editor {
                reqs.push(Request::AddParticipant {
                    session_id: e.session.id,
                    participant: NewParticipant {
                        real_name: name,
                        role: Some(text),
                        ..Default::default()
                    },
                });
            }
        }
        PromptFor::Search => {
            s.busy = Some("Searching…".into());
            reqs.push(Request::Search(text));
        }
    }
}

fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

const KINDS: [NoteKind; 4] = [
    NoteKind::Verbatim,
    NoteKind::Paraphrase,
    NoteKind::Observation,
    NoteKind::Idea,
];

fn on_editor_key(s: &mut State, k: KeyEvent, reqs: &mut Vec<Request>) {
    let Some(e) = s.editor.as_mut() else { return };
    let alt = k.modifiers.contains(KeyModifiers::ALT);
    let n = e.speakers().len();
    match k.code {
        KeyCode::Esc => {
            flush_draft(s, reqs, i64::MAX);
            s.screen = Screen::Sessions;
            if let Some(p) = s.project.clone() {
                reqs.push(Request::Sessions(p));
            }
        }
        KeyCode::Enter if !alt && !k.modifiers.contains(KeyModifiers::SHIFT) => {
            commit_note(s, reqs)
        }
        KeyCode::Tab => {
            e.speaker = match e.speaker {
                _ if n == 0 => None,
                None => Some(0),
                Some(i) if i + 1 < n => Some(i + 1),
                Some(_) => None,
            };
            e.dirty = true;
        }
        KeyCode::BackTab => {
            e.speaker = match e.speaker {
                _ if n == 0 => None,
                None => Some(n - 1),
                Some(0) => None,
                Some(i) => Some(i - 1),
            };
            e.dirty = true;
        }
        KeyCode::Char(c @ '0'..='9') if alt => {
            let i = c as usize - '0' as usize;
            e.speaker = if i == 0 || i > n { None } else { Some(i - 1) };
            e.dirty = true;
        }
        KeyCode::Char('k') if k.modifiers.contains(KeyModifiers::CONTROL) => {
            let i = KINDS.iter().position(|x| *x == e.kind).unwrap_or(0);
            e.kind = KINDS[(i + 1) % KINDS.len()];
            e.dirty = true;
        }
        KeyCode::Char('p') if k.modifiers.contains(KeyModifiers::CONTROL) => {
            s.prompt = Some(Prompt {
                purpose: PromptFor::ParticipantName,
                label: "New participant's name (kept in the vault; shown as a pseudonym)".into(),
                input: String::new(),
            });
        }
        KeyCode::PageUp => e.scroll = (e.scroll + 5).min(e.notes.len()),
        KeyCode::PageDown => e.scroll = e.scroll.saturating_sub(5),
        KeyCode::Right if at_end(&e.input) && complete_theme(e) => e.dirty = true,
        KeyCode::Enter => {
            e.input.insert_newline();
            e.dirty = true;
        }
        _ => {
            if e.input.input(k) {
                e.dirty = true;
            }
        }
    }
}

fn at_end(t: &TextArea<'_>) -> bool {
    let c = t.cursor();
    let lines = t.lines();
    c.0 + 1 == lines.len() && lines.last().is_some_and(|l| c.1 == l.chars().count())
}

/// The `#partial` word before the cursor, if any.
fn theme_prefix(t: &TextArea<'_>) -> Option<String> {
    let line = t.lines().last()?;
    let word = line.rsplit(char::is_whitespace).next()?;
    let p = word.strip_prefix('#')?;
    (!p.is_empty()).then(|| p.to_owned())
}

/// The codebook theme that completes what is typed after `#`.
pub fn theme_completion(e: &Editor) -> Option<String> {
    let prefix = theme_prefix(&e.input)?.to_lowercase();
    e.themes
        .iter()
        .map(|t| t.replace(' ', "_"))
        .find(|t| t.to_lowercase().starts_with(&prefix) && t.len() > prefix.len())
}

fn complete_theme(e: &mut Editor) -> bool {
    let (Some(prefix), Some(full)) = (theme_prefix(&e.input), theme_completion(e)) else {
        return false;
    };
    let rest: String = full.chars().skip(prefix.chars().count()).collect();
    e.input.insert_str(rest);
    true
}

/// Splits `#theme` tags out of typed text: (text without tags, theme names). `_` in a tag
/// stands for a space, so `#waiting_times` tags "waiting times".
pub fn split_tags(text: &str) -> (String, Vec<String>) {
    let mut themes: Vec<String> = Vec::new();
    let mut lines = Vec::new();
    for line in text.lines() {
        let mut kept = Vec::new();
        for word in line.split(' ') {
            let tag = word
                .strip_prefix('#')
                .map(|t| t.trim_end_matches(['.', ',', ';', ':', '!', '?']))
                .filter(|t| t.chars().next().is_some_and(char::is_alphabetic))
                .filter(|t| {
                    t.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                });
            match tag {
                Some(t) => {
                    let name = t.replace('_', " ");
                    if !themes.iter().any(|x| x.eq_ignore_ascii_case(&name)) {
                        themes.push(name);
                    }
                }
                None => kept.push(word),
            }
        }
        lines.push(kept.join(" ").trim_end().to_owned());
    }
    (lines.join("\n").trim().to_owned(), themes)
}

fn commit_note(s: &mut State, reqs: &mut Vec<Request>) {
    let Some(e) = s.editor.as_mut() else { return };
    let (text, themes) = split_tags(&e.text());
    if text.is_empty() {
        return;
    }
    let now = crate::store::now_ms();
    let local = s.next_local;
    s.next_local += 1;
    let note = NewNote {
        session_id: e.session.id,
        speaker: e.speaker_code(),
        kind: e.kind,
        text: text.clone(),
        special_category: false,
        criminal_offence: false,
        themes: themes.clone(),
        at_ms: now,
    };
    for t in &themes {
        if !e.themes.iter().any(|x| x.eq_ignore_ascii_case(t)) {
            e.themes.push(t.clone());
        }
    }
    e.notes.push(NoteRow {
        pending: Some(local),
        note: Note {
            id: 0,
            session_id: e.session.id,
            position: e.notes.len() as i64 + 1,
            created_at_ms: now,
            offset_ms: None,
            speaker: note.speaker.clone(),
            kind: e.kind,
            text,
            special_category: false,
            criminal_offence: false,
            themes,
        },
    });
    e.input = new_input();
    e.scroll = 0;
    e.dirty = false;
    s.pending_saves += 1;
    reqs.push(Request::SaveNote { local, note });
}

/// An empty note input.
pub fn new_input() -> TextArea<'static> {
    let mut t = TextArea::default();
    t.set_wrap_mode(WrapMode::WordOrGlyph);
    t.set_placeholder_text(
        "Type the note; Enter saves it, Alt+Enter starts a new line, #theme tags it",
    );
    t
}

fn on_reply(s: &mut State, r: Reply) {
    match r {
        Reply::Unlocked(projects) => {
            s.busy = None;
            s.projects = projects;
            s.screen = Screen::Projects;
            s.selected = 0;
            s.message = None;
        }
        Reply::UnlockFailed(m) => {
            s.busy = None;
            s.message = Some(m);
        }
        Reply::Projects(p) => s.projects = p,
        Reply::Sessions(project, list) => {
            s.project = Some(project);
            s.sessions = list;
            s.screen = Screen::Sessions;
            s.selected = s.selected.min(s.sessions.len().saturating_sub(1));
        }
        Reply::Session(opened) => {
            let super::worker::OpenedSession {
                session,
                notes,
                participants,
                draft,
                themes,
            } = *opened;
            s.busy = None;
            s.project = Some(session.project.clone());
            let mut input = new_input();
            let mut speaker = None;
            let mut kind = if session.kind == SessionKind::Workshop {
                NoteKind::Idea
            } else {
                NoteKind::Paraphrase
            };
            let mut ed = Editor {
                notes: notes
                    .into_iter()
                    .map(|note| NoteRow {
                        pending: None,
                        note,
                    })
                    .collect(),
                participants,
                speaker: None,
                kind,
                input: new_input(),
                themes,
                scroll: 0,
                dirty: false,
                draft_sent_ms: 0,
                session,
            };
            if let Some(d) = draft {
                input.insert_str(&d.text);
                speaker = d
                    .speaker
                    .and_then(|c| ed.speakers().iter().position(|x| *x == c));
                kind = d.kind.unwrap_or(kind);
                s.message = Some("Restored the text you had not yet saved as a note.".into());
            }
            ed.input = input;
            ed.speaker = speaker;
            ed.kind = kind;
            s.editor = Some(ed);
            s.screen = Screen::Editor;
        }
        Reply::ParticipantAdded(list) => {
            if let Some(e) = s.editor.as_mut() {
                let code = list.last().map(|p| p.pseudonym.clone());
                e.participants = list;
                if let Some(c) = code {
                    e.speaker = e.speakers().iter().position(|x| *x == c);
                    s.message = Some(format!("Added participant {c}; they are now the speaker."));
                }
            }
        }
        Reply::NoteSaved { local, note } => {
            s.pending_saves = s.pending_saves.saturating_sub(1);
            if let Some(e) = s.editor.as_mut()
                && let Some(row) = e.notes.iter_mut().find(|r| r.pending == Some(local))
            {
                *row = NoteRow {
                    pending: None,
                    note,
                };
            }
        }
        Reply::DraftSaved => {}
        Reply::SearchResults(_q, hits) => {
            s.busy = None;
            s.hits = hits;
            s.selected = 0;
            s.screen = Screen::Search;
        }
        Reply::Locked => {}
        Reply::Failed(m) => {
            s.busy = None;
            s.message = Some(m);
        }
    }
}
