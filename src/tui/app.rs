//! The app's state and its pure update function: key → action → new state + requests for
//! the worker. No I/O here, so every behaviour is unit-testable without a terminal. Each
//! screen's own state, keys and drawing live in `screens/`; this file routes to them.

use crossterm::event::{KeyEvent, KeyEventKind};

use super::config::Config;
use super::keys::{Action, Section};
use super::screens::analyse::AnalysisView;
use super::screens::editor::{self, Editor};
use super::screens::form::{Form, Typed};
use super::screens::help::HelpView;
use super::screens::projects::ProjectsView;
use super::screens::prompt::{self, Prompt, PromptFor};
use super::screens::reader::Reader;
use super::screens::retention::RetentionView;
use super::screens::review::ReviewView;
use super::screens::search::SearchView;
use super::screens::sessions::SessionsView;
use super::screens::{analyse, help, projects, reader, retention, review, search};
use super::screens::{sessions, unlock};
use super::ui::Drawn;
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
    /// Export review: every substitution in context, then export.
    Review,
    /// Sessions due under the retention schedule.
    Retention,
    /// Analysis: codebook, frequencies, co-occurrence, ideas, excerpts.
    Analysis,
    /// Reading a session's notes and coding spans.
    Reading,
    /// A team project's exchange: what waits to be sent, what came from whom.
    Team,
    /// A project's disclosures log.
    Disclosures,
    /// Quotes awaiting their speaker's approval.
    Quotes,
    /// The project's topic guides.
    Guides,
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
    /// The projects list, its filter and selection.
    pub projects: ProjectsView,
    /// The open project.
    pub project: Option<String>,
    /// Sessions of the open project.
    pub sessions: SessionsView,
    /// The open session.
    pub editor: Option<Editor>,
    /// Search results.
    pub search: SearchView,
    /// One-line prompt, if open.
    pub prompt: Option<Prompt>,
    /// Multi-field form, if open.
    pub form: Option<Form>,
    /// Note to select when its session opens (from search).
    pub focus_note: Option<i64>,
    /// Help overlay, when showing.
    pub help: Option<HelpView>,
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
    pub review: Option<ReviewView>,
    /// Sessions due under retention (the list screen).
    pub retention: RetentionView,
    /// The team screen.
    pub team: super::screens::team::TeamView,
    /// A project's disclosures log.
    pub disclosures: super::screens::disclosures::DisclosuresView,
    /// Quotes awaiting approval in the open project.
    pub quotes: super::screens::quotes::QuotesView,
    /// How many sessions are past their retention date (banner after unlocking).
    pub retention_due: usize,
    /// The analysis views, when open.
    pub analysis: Option<AnalysisView>,
    /// The reading (coding) view, when open.
    pub reader: Option<Reader>,
    /// The next opened session goes to the reading view.
    pub open_reading: bool,
    /// Where the user was when the vault locked, until the unlock has taken them back.
    pub resume: Option<Resume>,
    /// Keys pressed while "Unlocking…" ran: not typed anywhere, and counted on screen so
    /// the user sees they went nowhere.
    pub ignored_keys: usize,
    /// The open session was opened from an analysis excerpt: Esc goes back to it.
    pub back_to_analysis: bool,
    /// The project's topic guides.
    pub guides: super::screens::guides::GuidesView,
}

/// Where the user was when the vault locked, as row ids and positions only: a lock drops
/// everything decrypted, yet the unlock takes the user back to the same place (the
/// half-typed note comes back from its encrypted draft).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resume {
    /// The screen that was showing.
    pub screen: Screen,
    /// The open project's row id.
    pub project_id: Option<i64>,
    /// The open session's row id (editor or reading view).
    pub session_id: Option<i64>,
    /// The selected note's row id.
    pub note_id: Option<i64>,
    /// How far the notes were scrolled back.
    pub scroll: usize,
    /// The selected row of the sessions list.
    pub row: usize,
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
    /// What the last frame laid out, for the mouse.
    Drawn(Drawn),
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
            projects: ProjectsView::default(),
            project: None,
            sessions: SessionsView::default(),
            editor: None,
            search: SearchView::default(),
            prompt: None,
            form: None,
            focus_note: None,
            help: None,
            privacy: false,
            pending_saves: 0,
            next_local: 1,
            last_input_ms: now_ms,
            config,
            quit: false,
            no_vault,
            review: None,
            retention: RetentionView::default(),
            quotes: Default::default(),
            team: super::screens::team::TeamView::default(),
            disclosures: Default::default(),
            retention_due: 0,
            analysis: None,
            reader: None,
            open_reading: false,
            resume: None,
            ignored_keys: 0,
            back_to_analysis: false,
            guides: Default::default(),
        }
    }

    /// The key map in force on the current screen.
    pub fn section(&self) -> Section {
        match self.screen {
            Screen::Unlock if self.no_vault => Section::FirstRun,
            Screen::Unlock => Section::Unlock,
            Screen::Projects => Section::Projects,
            Screen::Sessions => Section::Sessions,
            Screen::Editor => Section::Editor,
            Screen::Search => Section::Search,
            Screen::Review => Section::Review,
            Screen::Retention => Section::Retention,
            Screen::Team => Section::Team,
            Screen::Disclosures => Section::Disclosures,
            Screen::Quotes => Section::Quotes,
            Screen::Guides => Section::Guides,
            Screen::Analysis => Section::Analysis,
            Screen::Reading => Section::Reader,
        }
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
        // a lock drops everything decrypted, so what is typed goes to the vault first: the
        // half-typed note as its draft, and an edit in progress as the note's new text
        let edit_saved = editor::save_edit_before_lock(self, reqs);
        flush_draft(self, reqs, i64::MAX);
        let form_open = self
            .form
            .as_ref()
            .filter(|f| f.has_typing())
            .map(|f| (f.title, f.kept()));
        let mut form_lost = None;
        match form_open {
            Some((_, Some(kept))) => reqs.push(Request::KeepForm(kept)),
            Some((title, None)) => form_lost = Some(title),
            None => {}
        }
        let form_kept = reqs.iter().any(|r| matches!(r, Request::KeepForm(_)));
        reqs.push(Request::Lock);
        let resume = self.resume_point();
        let name = std::mem::take(&mut self.vault_name);
        let config = self.config.clone();
        *self = State::new(name, false, config, self.last_input_ms);
        self.resume = resume;
        let mut message = String::from("Locked.");
        if edit_saved {
            message.push_str(" The note you were editing was saved as it stood.");
        }
        if form_kept {
            message
                .push_str(" The form you were filling in is kept in the vault until you unlock.");
        }
        if let Some(title) = form_lost {
            message.push_str(&format!(
                " The \"{title}\" form that was open was not saved: fill it in again."
            ));
        }
        message.push_str(" Type the passphrase to unlock.");
        self.message = Some(message);
    }

    /// Where the user is, in ids only. A lock during the unlock's own "Unlocking…" keeps
    /// the place it was already going back to.
    fn resume_point(&self) -> Option<Resume> {
        if self.screen == Screen::Unlock {
            return self.resume;
        }
        let project_id = self.project.as_ref().and_then(|name| {
            self.projects
                .list
                .iter()
                .find(|p| &p.name == name)
                .map(|p| p.id)
        });
        let (session_id, note_id, scroll) = match (self.screen, &self.editor, &self.reader) {
            (Screen::Editor, Some(e), _) => (
                Some(e.session.id),
                e.selected
                    .and_then(|i| e.notes.get(i))
                    .filter(|r| r.pending.is_none())
                    .map(|r| r.note.id),
                e.scroll,
            ),
            (Screen::Reading, _, Some(r)) => {
                (Some(r.session.id), r.notes.get(r.note).map(|n| n.id), 0)
            }
            _ => (None, None, 0),
        };
        Some(Resume {
            screen: self.screen,
            project_id,
            session_id,
            note_id,
            scroll,
            row: self.sessions.selected,
        })
    }

    /// The current list screen's selection and length, for a click on a row.
    fn list_selection(&mut self) -> Option<(&mut usize, usize)> {
        match self.screen {
            Screen::Projects => {
                let len = self.projects.visible().len();
                Some((&mut self.projects.selected, len))
            }
            Screen::Sessions => Some((&mut self.sessions.selected, self.sessions.list.len())),
            Screen::Search => Some((&mut self.search.selected, self.search.hits.len())),
            Screen::Review => self
                .review
                .as_mut()
                .map(|r| (&mut r.selected, r.data.items.len())),
            Screen::Retention => Some((&mut self.retention.selected, self.retention.items.len())),
            Screen::Disclosures => {
                Some((&mut self.disclosures.selected, self.disclosures.list.len()))
            }
            Screen::Quotes => Some((&mut self.quotes.selected, self.quotes.items.len())),
            Screen::Guides => Some((&mut self.guides.selected, self.guides.list.len())),
            Screen::Unlock | Screen::Editor | Screen::Analysis | Screen::Reading | Screen::Team => {
                None
            }
        }
    }
}

/// Applies one message; returns the requests for the worker.
pub fn update(s: &mut State, msg: Msg) -> Vec<Request> {
    let mut reqs = Vec::new();
    match msg {
        Msg::Worker(r) => on_reply(s, r, &mut reqs),
        Msg::Drawn(d) => {
            if let (Some(r), Some(rows)) = (s.reader.as_mut(), d.reader) {
                r.layout = rows;
            }
        }
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
            reader::click(s, col, row)
        }
        Msg::Drag(col, row) => {
            if s.screen == Screen::Reading && s.prompt.is_none() {
                reader::drag(s, col, row)
            }
        }
        Msg::Click(_col, row) => on_click(s, row),
        Msg::Paste(text) => on_paste(s, &text),
        Msg::Key(k) => {
            if k.kind == KeyEventKind::Release {
                return reqs;
            }
            on_key(s, k, &mut reqs);
        }
    }
    reqs
}

fn on_click(s: &mut State, row: u16) {
    if s.screen == Screen::Editor
        && let Some(e) = s.editor.as_mut()
    {
        e.selected = None; // a click anywhere returns focus to typing
    }
    // lists start under the title line and the list's border; the retention banner takes a
    // line above the projects list
    let top = if s.screen == Screen::Projects && s.retention_due > 0 {
        3
    } else {
        2
    };
    if s.prompt.is_some() || s.form.is_some() || s.help.is_some() || row < top {
        return;
    }
    if let Some((sel, len)) = s.list_selection()
        && usize::from(row - top) < len
    {
        *sel = usize::from(row - top);
    }
}

fn on_paste(s: &mut State, text: &str) {
    if s.privacy || s.help.is_some() {
        return;
    }
    // while a form's or the unlock screen's request runs ("Unlocking…", "Saving…") a paste is
    // dropped like a key: it would land in a field the reply is about to clear or close
    let waiting = s.busy.is_some();
    if let Some(f) = s.form.as_mut() {
        if !waiting {
            f.paste(text);
        }
    } else if let Some(p) = s.prompt.as_mut() {
        p.input.push_str(&text.replace(['\n', '\r'], " "));
    } else if s.screen == Screen::Editor
        && let Some(e) = s.editor.as_mut()
    {
        e.input.insert_str(fieldnotes::text::clean_note_text(text));
        e.dirty = true;
    } else if s.screen == Screen::Unlock && !s.no_vault && !waiting {
        s.passphrase.push_str(text.trim_end_matches(['\n', '\r']));
    }
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
    let global = s.config.keys.action(Section::Global, &k);
    if s.screen != Screen::Unlock && s.prompt.is_none() && s.form.is_none() {
        // a message stays on the status line until the next key
        s.message = None;
    }
    if global == Some(Action::Quit) {
        flush_draft(s, reqs, i64::MAX);
        s.quit = true;
        return;
    }
    if s.privacy {
        s.privacy = false;
        return;
    }
    if global == Some(Action::Privacy) {
        s.privacy = true;
        return;
    }
    if s.screen != Screen::Unlock && global == Some(Action::Lock) {
        s.lock(reqs);
        return;
    }
    if s.help.is_some() {
        help::on_key(s, &k);
        return;
    }
    // a screen's own keys (e.g. `?` for help in lists) count only while nothing is typed
    // into a prompt or a form
    let typing = s.prompt.is_some() || s.form.is_some();
    let section = s.section();
    let here = s.config.keys.get(section).lookup(&k).filter(|_| !typing);
    if global == Some(Action::Help) || here.is_some_and(|(a, _)| a == Action::Help) {
        s.help = Some(HelpView::default());
        return;
    }
    if s.prompt.is_some() {
        prompt::on_key(s, k, reqs);
        return;
    }
    if let Some(f) = s.form.as_mut() {
        // The form's request is running ("Saving…", or the vault being created): keys are
        // dropped, as on the unlock screen, rather than typed into fields the reply will
        // close or, on a refusal, empty.
        if s.busy.is_some() {
            s.ignored_keys += 1;
            return;
        }
        let action = s.config.keys.action(Section::Form, &k);
        if action == Some(Action::Cancel) {
            s.form = None;
        } else if let Some(r) = f.on_key(action, k) {
            if let (Request::AddParticipant { participant, .. }, Some(e)) = (&r, s.editor.as_mut())
            {
                // kept in memory so that undoing the registration can be redone
                e.adding = Some(participant.clone());
            }
            let doing = match r {
                Request::Init(_) => "Creating the vault…",
                _ => "Saving…",
            };
            s.busy = Some(doing.into());
            s.ignored_keys = 0;
            reqs.push(r);
        }
        return;
    }
    if s.screen != Screen::Unlock && global == Some(Action::Search) {
        s.prompt = Some(Prompt::new(PromptFor::Search, "Search all notes"));
        return;
    }
    if s.screen == Screen::Editor
        && s.back_to_analysis
        && s.analysis.is_some()
        && here.is_some_and(|(a, _)| a == Action::Back)
        && s.editor.as_ref().is_some_and(|e| e.editing.is_none())
    {
        // opened from an excerpt: back to the excerpts, where the reading left off
        flush_draft(s, reqs, i64::MAX);
        s.back_to_analysis = false;
        s.screen = Screen::Analysis;
        return;
    }
    match s.screen {
        Screen::Unlock => unlock::on_key(s, here.map(|(a, _)| a), k, reqs),
        Screen::Projects => projects::on_key(s, here.map(|(a, _)| a), k, reqs),
        Screen::Sessions => sessions::on_action(s, here.map(|(a, _)| a), reqs),
        Screen::Editor => editor::on_key(s, here, k, reqs),
        Screen::Search => search::on_action(s, here.map(|(a, _)| a), reqs),
        Screen::Review => review::on_action(s, here.map(|(a, _)| a), reqs),
        Screen::Retention => retention::on_action(s, here.map(|(a, _)| a), reqs),
        Screen::Team => super::screens::team::on_action(s, here.map(|(a, _)| a), reqs),
        Screen::Disclosures => {
            super::screens::disclosures::on_action(s, here.map(|(a, _)| a), reqs)
        }
        Screen::Quotes => super::screens::quotes::on_action(s, here.map(|(a, _)| a), reqs),
        Screen::Guides => super::screens::guides::on_key(s, here.map(|(a, _)| a), k, reqs),
        Screen::Analysis => analyse::on_action(s, here.map(|(a, _)| a), reqs),
        Screen::Reading => reader::on_action(s, here, reqs),
    }
}

/// Today's date, for a new session.
pub(crate) fn today() -> String {
    use fieldnotes::app::Clock;
    fieldnotes::app::SystemClock::local().today()
}

fn on_reply(s: &mut State, r: Reply, reqs: &mut Vec<Request>) {
    match r {
        Reply::Unlocked(projects) => {
            unlock::unlocked(s, projects);
            unlock::resume(s, reqs);
            reqs.push(Request::TakeKeptForm);
        }
        Reply::KeptForm(Some(kept)) => {
            if let Some(f) = Form::from_kept(&kept) {
                s.form = Some(f);
                s.message =
                    Some("The form you were filling in when the vault locked is back.".into());
            }
        }
        Reply::KeptForm(None) => {}
        Reply::UnlockFailed(m) => {
            s.busy = None;
            s.passphrase.clear();
            refuse(s, m);
        }
        Reply::Projects(p) => {
            s.busy = None;
            s.form = None;
            s.projects.loaded(p);
        }
        Reply::Sessions(project, list) => {
            s.busy = None;
            s.back_to_analysis = false;
            s.form = None;
            s.sessions.loaded(&project, list);
            if let Some(r) = s.resume.take() {
                s.sessions.selected = r.row.min(s.sessions.list.len().saturating_sub(1));
            }
            s.project = Some(project);
            s.screen = Screen::Sessions;
        }
        Reply::Session(opened) if s.open_reading => {
            s.busy = None;
            s.open_reading = false;
            s.project = Some(opened.session.project.clone());
            s.reader = Some(Reader::open(*opened));
            s.screen = Screen::Reading;
            if let (Some(r), Some(reader)) = (s.resume.take(), s.reader.as_mut())
                && let Some(i) = reader.notes.iter().position(|n| Some(n.id) == r.note_id)
            {
                reader.note = i;
            }
        }
        Reply::Session(opened) if s.resume.is_some() => {
            editor::on_reply(s, Reply::Session(opened));
            if let (Some(r), Some(e)) = (s.resume.take(), s.editor.as_mut()) {
                e.scroll = r.scroll.min(e.notes.len());
                s.message = Some(if e.input.is_empty() {
                    "Unlocked: back where you were.".into()
                } else {
                    "Unlocked: back where you were, with the note you were typing.".into()
                });
            }
        }
        r @ (Reply::Session(_)
        | Reply::ParticipantAdded(_)
        | Reply::ParticipantRemoved { .. }
        | Reply::NoteSaved { .. }
        | Reply::NoteFailed { .. }
        | Reply::NoteChanged(_)
        | Reply::Notes(_)
        | Reply::SessionChanged(_)
        | Reply::PersonAdded(_)) => editor::on_reply(s, r),
        Reply::AskResearcher(title) => {
            s.busy = None;
            s.prompt = Some(Prompt::new(
                PromptFor::Researcher(title),
                "Your name, as interviewer F1 (asked once)",
            ));
            s.message = Some(
                "Your questions are attributed to you as F1; your name stays in the vault.".into(),
            );
        }
        Reply::Memos(session_id, memos) => {
            if let Some(r) = s.reader.as_mut().filter(|r| r.session.id == session_id) {
                r.memos = memos.clone();
            }
            if let Some(e) = s.editor.as_mut().filter(|e| e.session.id == session_id) {
                e.memos = memos;
            }
        }
        Reply::Guide(g) => super::screens::guides::on_reply(s, g),
        Reply::DraftSaved | Reply::Locked => {}
        Reply::SearchResults(_q, hits) => {
            s.busy = None;
            s.search = SearchView { hits, selected: 0 };
            s.screen = Screen::Search;
        }
        Reply::RetentionDue(n) => s.retention_due = n,
        Reply::ExportReview(data) => review::loaded(s, *data),
        Reply::Exported(m) => {
            s.busy = None;
            s.message = Some(m);
        }
        Reply::ExportExists { path, recipients } => review::exists(s, path, recipients),
        Reply::Retention(items, msg) => retention::loaded(s, items, msg),
        Reply::Team(status, members) => super::screens::team::loaded(s, *status, members),
        Reply::Disclosures(project, list) => {
            s.form = None;
            super::screens::disclosures::loaded(s, project, list)
        }
        Reply::Quotes(project, items, msg) => {
            super::screens::quotes::loaded(s, project, items, msg)
        }
        Reply::Analysis(data) => {
            s.busy = None;
            analyse::loaded(s, *data);
        }
        Reply::Excerpts(q, list) => {
            s.busy = None;
            analyse::excerpts(s, q, list);
        }
        Reply::Tagged(note, tags, themes) => {
            if let Some(r) = s.reader.as_mut() {
                r.tagged(*note, tags, themes);
            }
        }
        Reply::Failed(m) => {
            s.busy = None;
            s.resume = None;
            refuse(s, m);
        }
    }
}

/// A refusal shows in the open form (which keeps what was typed), else on the status line.
fn refuse(s: &mut State, m: String) {
    match s.form.as_mut() {
        Some(f) => f.refuse(m),
        None => s.message = Some(m),
    }
}
