//! The app's state and its pure update function: key → action → new state + requests for
//! the worker. No I/O here, so every behaviour is unit-testable without a terminal.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::config::Config;
use super::editor;
pub use super::editor::{Editor, NoteRow, theme_completion};
use super::form::{Form, Typed};
use super::keys::Action;
use super::worker::{Reply, Request};
use fieldnotes::app::NewSession;
use fieldnotes::model::{Project, SearchHit, Session, SessionKind, Source};

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
    /// Export review: every substitution in context, then export.
    Review,
    /// Sessions due under the retention schedule.
    Retention,
    /// Analysis: codebook, frequencies, co-occurrence, ideas, excerpts.
    Analysis,
    /// Reading a session's notes and coding spans.
    Reading,
}

/// What a one-line prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptFor {
    /// Title of a new session.
    NewSession(SessionKind, Source),
    /// Search words.
    Search,
    /// A theme to tag with.
    Theme,
    /// A workshop cluster or a paper page.
    Group,
    /// A phrase for the deny list (export review).
    ReviewDeny,
    /// A name the anonymiser missed (export review).
    ReviewRegister,
    /// Where to write the export.
    ExportPath,
    /// Whom to encrypt the export to (the path chosen before).
    ExportRecipient(std::path::PathBuf),
    /// "y" to replace the export's file that already exists (with the recipients chosen).
    ExportOverwrite(std::path::PathBuf, Vec<String>),
    /// "yes" to erase what retention says is due.
    RetentionConfirm,
    /// A theme query for excerpts.
    AnalysisQuery,
    /// The analysis filter (role, kind, dates, children).
    AnalysisFilter,
    /// A codebook change on the named theme.
    Codebook(CodebookPrompt),
    /// A theme to apply in the reading view (fuzzy).
    ReaderTheme,
}

/// Which codebook change a prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodebookPrompt {
    /// A new theme's name.
    New,
    /// New name for the theme.
    Rename(String),
    /// New parent for the theme (empty: top level).
    Move(String),
    /// The theme to merge it into.
    Merge(String),
    /// "yes" to delete it.
    Delete(String),
    /// Its memo.
    Memo(String),
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

impl Prompt {
    /// An empty prompt.
    pub fn new(purpose: PromptFor, label: &str) -> Self {
        Self {
            purpose,
            label: label.to_owned(),
            input: String::new(),
        }
    }
}

/// Everything the app shows. Rendering reads it; only [`update`] changes it.
pub struct State {
    /// Vault folder name, for the status bar.
    pub vault_name: String,
    /// Current screen.
    pub screen: Screen,
    /// The passphrase being typed (never shown, not even its length).
    pub passphrase: Typed,
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
    /// Multi-field form, if open.
    pub form: Option<Form>,
    /// Note to select when its session opens (from search).
    pub focus_note: Option<i64>,
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
    /// Settings and key bindings.
    pub config: Config,
    /// The app should exit.
    pub quit: bool,
    /// No vault exists at the path.
    pub no_vault: bool,
    /// The export review, when open.
    pub review: Option<super::worker::ReviewData>,
    /// Sessions due under retention (the list screen).
    pub retention: Vec<fieldnotes::app::RetentionItem>,
    /// How many sessions are past their retention date (banner after unlocking).
    pub retention_due: usize,
    /// The analysis views, when open.
    pub analysis: Option<super::analyse::AnalysisView>,
    /// The reading (coding) view, when open.
    pub reader: Option<super::reader::Reader>,
    /// The next opened session goes to the reading view.
    pub open_reading: bool,
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
    /// Left click at (column, row) of the terminal.
    Click(u16, u16),
    /// The pointer dragged with the left button held, now at (column, row).
    Drag(u16, u16),
    /// Time passes (now, ms).
    Tick(i64),
    /// From the worker.
    Worker(Reply),
    /// SIGTERM, SIGHUP: leave as if Ctrl+Q.
    Terminate,
}

impl State {
    /// A fresh, locked app.
    pub fn new(vault_name: String, no_vault: bool, config: Config, now_ms: i64) -> Self {
        Self {
            vault_name,
            screen: Screen::Unlock,
            passphrase: Typed::default(),
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
            form: None,
            focus_note: None,
            help: false,
            privacy: false,
            pending_saves: 0,
            next_local: 1,
            last_input_ms: now_ms,
            config,
            quit: false,
            no_vault,
            review: None,
            retention: Vec::new(),
            retention_due: 0,
            analysis: None,
            reader: None,
            open_reading: false,
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

    /// A fresh local id for a note on its way to the vault.
    pub fn next_local(&mut self) -> u64 {
        self.next_local += 1;
        self.next_local
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
        let config = self.config.clone();
        *self = State::new(name, false, config, self.last_input_ms);
        self.message = Some("Locked. Type the passphrase to unlock.".into());
    }
}

/// Applies one message; returns the requests for the worker.
pub fn update(s: &mut State, msg: Msg) -> Vec<Request> {
    let mut reqs = Vec::new();
    match msg {
        Msg::Worker(r) => on_reply(s, r),
        Msg::Tick(now) => {
            flush_draft(s, &mut reqs, now);
            if s.screen != Screen::Unlock
                && now.saturating_sub(s.last_input_ms) >= s.config.idle_lock_ms
            {
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
        Msg::Click(col, row) if s.screen == Screen::Reading && s.prompt.is_none() => {
            super::reader::click(s, col, row)
        }
        Msg::Drag(col, row) => {
            if s.screen == Screen::Reading && s.prompt.is_none() {
                super::reader::drag(s, col, row)
            }
        }
        Msg::Click(_col, row) => {
            // lists start under the title line and the list's border
            let len = match s.screen {
                Screen::Projects => s.visible_projects().len(),
                Screen::Sessions => s.sessions.len(),
                Screen::Search => s.hits.len(),
                Screen::Editor => {
                    if let Some(e) = s.editor.as_mut() {
                        e.selected = None; // a click anywhere returns focus to typing
                    }
                    0
                }
                Screen::Review => s.review.as_ref().map_or(0, |r| r.items.len()),
                Screen::Retention => s.retention.len(),
                Screen::Unlock | Screen::Analysis | Screen::Reading => 0,
            };
            // the retention banner takes a line above the projects list
            let top = if s.screen == Screen::Projects && s.retention_due > 0 {
                3
            } else {
                2
            };
            if s.prompt.is_none()
                && s.form.is_none()
                && !s.help
                && row >= top
                && usize::from(row - top) < len
            {
                s.selected = usize::from(row - top);
            }
        }
        Msg::Paste(text) => {
            if s.privacy || s.help {
                return reqs;
            }
            // while a form's or the unlock screen's request runs ("Unlocking…", "Saving…")
            // a paste is dropped like a key: it would land in a field the reply is about to
            // clear or close
            let waiting = s.busy.is_some();
            if let Some(f) = s.form.as_mut() {
                if !waiting {
                    f.paste(&text);
                }
            } else if let Some(p) = s.prompt.as_mut() {
                p.input.push_str(&text.replace(['\n', '\r'], " "));
            } else if s.screen == Screen::Editor
                && let Some(e) = s.editor.as_mut()
            {
                e.input.insert_str(fieldnotes::text::clean_note_text(&text));
                e.dirty = true;
            } else if s.screen == Screen::Unlock && !s.no_vault && !waiting {
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

/// Sends the draft to the worker if it changed and the last send is `DRAFT_SAVE_MS` old.
pub(crate) fn flush_draft(s: &mut State, reqs: &mut Vec<Request>, now: i64) {
    if let Some(e) = s.editor.as_mut()
        && e.dirty
        && now.saturating_sub(e.draft_sent_ms) >= DRAFT_SAVE_MS
    {
        e.dirty = false;
        e.draft_sent_ms = now.min(i64::MAX - 1);
        reqs.push(Request::SaveDraft(e.draft()));
    }
}

fn on_key(s: &mut State, k: KeyEvent, reqs: &mut Vec<Request>) {
    let action = s.config.keys.action(&k);
    if s.screen != Screen::Unlock && s.prompt.is_none() && s.form.is_none() {
        // a message stays on the status line until the next key
        s.message = None;
    }
    if action == Some(Action::Quit) {
        flush_draft(s, reqs, i64::MAX);
        s.quit = true;
        return;
    }
    if s.privacy {
        s.privacy = false;
        return;
    }
    if action == Some(Action::Privacy) {
        s.privacy = true;
        return;
    }
    if s.screen != Screen::Unlock && action == Some(Action::Lock) {
        s.lock(reqs);
        return;
    }
    if s.help {
        s.help = false;
        return;
    }
    if action == Some(Action::Help) || (k.code == KeyCode::Char('?') && !typing(s)) {
        s.help = true;
        return;
    }
    if s.prompt.is_some() {
        on_prompt_key(s, k, reqs);
        return;
    }
    if let Some(f) = s.form.as_mut() {
        // The form's request is running ("Saving…", or the vault being created): keys are
        // dropped, as on the unlock screen, rather than typed into fields the reply will
        // close or, on a refusal, empty.
        if s.busy.is_some() {
            return;
        }
        if k.code == KeyCode::Esc {
            s.form = None;
        } else if let Some(r) = f.on_key(k) {
            let doing = match r {
                Request::Init(_) => "Creating the vault…",
                _ => "Saving…",
            };
            s.busy = Some(doing.into());
            reqs.push(r);
        }
        return;
    }
    if s.screen != Screen::Unlock && action == Some(Action::Search) {
        s.prompt = Some(Prompt::new(PromptFor::Search, "Search all notes"));
        return;
    }
    match s.screen {
        Screen::Unlock => on_unlock_key(s, k, reqs),
        Screen::Projects => on_projects_key(s, k, reqs),
        Screen::Sessions => on_sessions_key(s, k, reqs),
        Screen::Editor => editor::on_key(s, k, action, reqs),
        Screen::Search => on_search_key(s, k, reqs),
        Screen::Review => super::review::on_review_key(s, k, reqs),
        Screen::Retention => super::review::on_retention_key(s, k, reqs),
        Screen::Analysis => super::analyse::on_key(s, k, reqs),
        Screen::Reading => super::reader::on_key(s, k, reqs),
    }
}

/// True when printable keys go into text (so `?` is a character, not help).
fn typing(s: &State) -> bool {
    s.prompt.is_some()
        || s.form.is_some()
        || matches!(
            s.screen,
            Screen::Unlock | Screen::Editor | Screen::Projects | Screen::Reading
        )
}

fn on_unlock_key(s: &mut State, k: KeyEvent, reqs: &mut Vec<Request>) {
    if s.busy.is_some() {
        return;
    }
    if s.no_vault {
        if k.code == KeyCode::Enter || is_ctrl(&k, 'n') {
            s.form = Some(Form::new_vault());
        }
        return;
    }
    match k.code {
        KeyCode::Enter if !s.passphrase.is_empty() => {
            let pass = s.passphrase.take();
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

fn is_ctrl(k: &KeyEvent, c: char) -> bool {
    k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char(c)
}

fn on_projects_key(s: &mut State, k: KeyEvent, reqs: &mut Vec<Request>) {
    let len = s.visible_projects().len();
    if move_sel(&mut s.selected, len, k.code) {
        return;
    }
    if is_ctrl(&k, 'n') {
        s.form = Some(Form::project(None));
        return;
    }
    if is_ctrl(&k, 'r') {
        reqs.push(Request::Retention);
        return;
    }
    if is_ctrl(&k, 'e') {
        let p = s.visible_projects().get(s.selected).map(|p| (*p).clone());
        if let Some(p) = p {
            s.form = Some(Form::project(Some(&p)));
        }
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
        KeyCode::Char('n') => {
            if let Some(p) = s.project.clone() {
                s.form = Some(Form::session(&p, &today()));
            }
        }
        KeyCode::Char('e') => {
            if let Some(x) = s.sessions.get(s.selected) {
                s.form = Some(Form::session_edit(x));
            }
        }
        KeyCode::Char('w') => {
            s.prompt = Some(new(
                SessionKind::Workshop,
                Source::Live,
                "Title of the new workshop",
            ))
        }
        KeyCode::Char('r') => {
            if let Some(x) = s.sessions.get(s.selected) {
                s.open_reading = true;
                reqs.push(Request::OpenSession(x.id));
            }
        }
        KeyCode::Char('x') => {
            if let Some(p) = s.project.clone() {
                s.busy = Some("Preparing the export…".into());
                reqs.push(Request::ExportReview(p));
            }
        }
        KeyCode::Char('a') => {
            if let Some(p) = s.project.clone() {
                s.busy = Some("Loading the analysis…".into());
                reqs.push(Request::Analysis(p, Default::default()));
            }
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
                s.focus_note = Some(h.note.id);
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
        KeyCode::Right if p.purpose == PromptFor::Theme => {
            let typed = p.input.to_lowercase();
            if let Some(t) = s.editor.as_ref().and_then(|e| {
                e.themes
                    .iter()
                    .find(|t| t.to_lowercase().starts_with(&typed) && !typed.is_empty())
            }) {
                p.input = t.clone();
            }
        }
        KeyCode::Enter => {
            let Some(p) = s.prompt.take() else { return };
            let text = p.input.trim().to_owned();
            let may_be_empty = matches!(
                p.purpose,
                PromptFor::Group
                    | PromptFor::ExportRecipient(_)
                    | PromptFor::AnalysisFilter
                    | PromptFor::Codebook(CodebookPrompt::Move(_))
            );
            if text.is_empty() && !may_be_empty {
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
        PromptFor::Search => {
            s.busy = Some("Searching…".into());
            reqs.push(Request::Search(text));
        }
        PromptFor::Theme | PromptFor::Group => editor::on_prompt(s, &purpose, text, reqs),
        PromptFor::ReviewDeny
        | PromptFor::ReviewRegister
        | PromptFor::ExportPath
        | PromptFor::ExportRecipient(_)
        | PromptFor::ExportOverwrite(..)
        | PromptFor::RetentionConfirm => super::review::on_prompt(s, &purpose, text, reqs),
        PromptFor::AnalysisQuery | PromptFor::AnalysisFilter | PromptFor::Codebook(_) => {
            super::analyse::on_prompt(s, &purpose, text, reqs)
        }
        PromptFor::ReaderTheme => super::reader::on_prompt(s, text, reqs),
    }
}

fn today() -> String {
    use fieldnotes::app::Clock;
    fieldnotes::app::SystemClock::local().today()
}

fn on_reply(s: &mut State, r: Reply) {
    match r {
        Reply::Unlocked(projects) => {
            s.busy = None;
            s.form = None;
            s.no_vault = false;
            s.projects = projects;
            s.screen = Screen::Projects;
            s.selected = 0;
            s.message = None;
        }
        Reply::UnlockFailed(m) => {
            s.busy = None;
            s.passphrase.clear();
            match s.form.as_mut() {
                Some(f) => f.refuse(m),
                None => s.message = Some(m),
            }
        }
        Reply::Projects(p) => {
            s.busy = None;
            s.form = None;
            s.projects = p;
        }
        Reply::Sessions(project, list) => {
            s.busy = None;
            s.form = None;
            s.project = Some(project);
            s.sessions = list;
            s.screen = Screen::Sessions;
            s.selected = s.selected.min(s.sessions.len().saturating_sub(1));
        }
        Reply::Session(opened) if s.open_reading => {
            s.busy = None;
            s.open_reading = false;
            s.project = Some(opened.session.project.clone());
            s.reader = Some(super::reader::Reader::open(*opened));
            s.screen = Screen::Reading;
        }
        Reply::Session(opened) => {
            s.busy = None;
            s.project = Some(opened.session.project.clone());
            s.form = None;
            let (mut ed, restored) = Editor::open(*opened);
            if let Some(id) = s.focus_note.take() {
                ed.select_note(id);
            }
            if restored {
                s.message = Some("Restored the text you had not yet saved as a note.".into());
            }
            s.editor = Some(ed);
            s.screen = Screen::Editor;
        }
        Reply::ParticipantAdded(list) => {
            s.busy = None;
            s.form = None;
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
            if let Some(e) = s.editor.as_mut() {
                editor::note_saved(e, local, *note);
            }
        }
        Reply::NoteFailed {
            local,
            text,
            message,
        } => {
            s.pending_saves = s.pending_saves.saturating_sub(1);
            if let Some(e) = s.editor.as_mut() {
                editor::note_failed(e, local, &text);
            }
            s.message = Some(format!(
                "Not saved, your text is back in the box: {message}"
            ));
        }
        Reply::NoteChanged(note) => {
            if let Some(e) = s.editor.as_mut() {
                editor::note_changed(e, *note);
            }
        }
        Reply::Notes(notes) => {
            if let Some(e) = s.editor.as_mut() {
                editor::notes_reloaded(e, notes);
            }
        }
        Reply::SessionChanged(session) => {
            if let Some(e) = s.editor.as_mut() {
                e.session = *session;
                s.message = Some("Recorded: the paper original was destroyed today.".into());
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
        Reply::RetentionDue(n) => s.retention_due = n,
        Reply::ExportReview(data) => {
            s.busy = None;
            if s.screen != Screen::Review {
                s.selected = 0;
            }
            s.selected = s.selected.min(data.items.len().saturating_sub(1));
            s.review = Some(*data);
            s.screen = Screen::Review;
        }
        Reply::Exported(m) => {
            s.busy = None;
            s.message = Some(m);
        }
        Reply::ExportExists { path, recipients } => {
            s.busy = None;
            let label = format!(
                "{} already exists: replace it? Type y (anything else keeps it)",
                fieldnotes::text::for_terminal(&path.display().to_string(), false)
            );
            s.prompt = Some(Prompt::new(
                PromptFor::ExportOverwrite(path, recipients),
                &label,
            ));
        }
        Reply::Retention(items, msg) => {
            s.busy = None;
            s.retention_due = items.iter().filter(|i| i.overdue).count();
            s.retention = items;
            s.selected = 0;
            s.screen = Screen::Retention;
            if msg.is_some() {
                s.message = msg;
            }
        }
        Reply::Analysis(data) => {
            s.busy = None;
            super::analyse::loaded(s, *data);
        }
        Reply::Excerpts(q, list) => {
            s.busy = None;
            super::analyse::excerpts(s, q, list);
        }
        Reply::Tagged(note, tags, themes) => {
            if let Some(r) = s.reader.as_mut() {
                r.tagged(*note, tags, themes);
            }
        }
        Reply::Failed(m) => {
            s.busy = None;
            match s.form.as_mut() {
                Some(f) => f.refuse(m),
                None => s.message = Some(m),
            }
        }
    }
}
