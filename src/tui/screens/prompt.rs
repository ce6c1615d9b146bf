//! One-line questions over the current screen: a new session's title, search words, a
//! theme, an export path, a "yes" before erasing. Typed characters go in; the prompt's
//! actions answer or cancel.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::tui::app::State;
use crate::tui::keys::{Action, Section};
use crate::tui::ui::{bold, centered, wrap};
use crate::tui::worker::Request;
use fieldnotes::app::NewSession;
use fieldnotes::model::{SessionKind, Source};
use fieldnotes::text::for_terminal;

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
    /// "y" to record that the open session's paper original was destroyed on this date.
    PaperDestroyed(String),
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

/// A key while a prompt is open: its actions, or a character typed into it.
pub fn on_key(s: &mut State, k: KeyEvent, reqs: &mut Vec<Request>) {
    let action = s.config.keys.action(Section::Prompt, &k);
    let Some(p) = s.prompt.as_mut() else { return };
    match action {
        Some(Action::Cancel) => s.prompt = None,
        Some(Action::DeleteChar) => {
            p.input.pop();
        }
        Some(Action::CompleteTheme) if p.purpose == PromptFor::Theme => {
            let typed = p.input.to_lowercase();
            if let Some(t) = s.editor.as_ref().and_then(|e| {
                e.themes
                    .iter()
                    .find(|t| t.to_lowercase().starts_with(&typed) && !typed.is_empty())
            }) {
                p.input = t.clone();
            }
        }
        Some(Action::Confirm) => {
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
            submit(s, p.purpose, text, reqs);
        }
        _ => {
            if let KeyCode::Char(c) = k.code
                && !k.modifiers.contains(KeyModifiers::CONTROL)
            {
                p.input.push(c);
            }
        }
    }
}

fn submit(s: &mut State, purpose: PromptFor, text: String, reqs: &mut Vec<Request>) {
    match purpose {
        PromptFor::NewSession(kind, source) => {
            if let Some(project) = s.project.clone() {
                reqs.push(Request::AddSession(NewSession {
                    project,
                    kind,
                    title: text,
                    date: Some(crate::tui::app::today()),
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
        PromptFor::Theme | PromptFor::Group | PromptFor::PaperDestroyed(_) => {
            super::editor::on_prompt(s, &purpose, text, reqs)
        }
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

/// Draws the prompt over `area`.
pub fn draw(f: &mut Frame<'_>, area: Rect, p: &Prompt) {
    // the whole question shows, wrapped: a cut-off question is answered blind
    let w = area.width.min(if area.width >= 120 { 100 } else { 78 });
    let inner = usize::from(w.saturating_sub(2)).max(1);
    let mut lines: Vec<Line<'_>> = wrap(&for_terminal(&p.label, false), inner)
        .into_iter()
        .map(|l| Line::styled(l, bold()))
        .collect();
    let input = wrap(&format!("{}▏", for_terminal(&p.input, false)), inner);
    let keys = Line::raw("Enter ok · Esc cancel");
    // on a short screen the end of what is typed (where the cursor is) wins over the question
    let room = usize::from(area.height.saturating_sub(2)).max(1);
    let input_rows = input.len().min(room);
    let label_rows = lines.len().min(room.saturating_sub(input_rows + 1));
    lines.truncate(label_rows);
    lines.extend(
        input
            .into_iter()
            .rev()
            .take(input_rows)
            .rev()
            .map(Line::raw),
    );
    if label_rows + input_rows < room {
        lines.push(keys);
    }
    let h = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let r = centered(area, w, h);
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL)),
        r,
    );
}
