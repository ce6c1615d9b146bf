//! One-line questions over the current screen: a new session's title, search words, a
//! theme, an export path, a "yes" before erasing. Typed characters go in; the prompt's
//! actions answer or cancel.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::tui::app::{Screen, State};
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
    /// "N theme": pin a theme to number key N in the reading view.
    PinTheme,
    /// The researcher's own name, asked once before the first live interview (F1), with the
    /// title typed for that interview.
    Researcher(String),
    /// The name of a person mentioned in the interview, to register.
    PersonMentioned,
    /// A memo on a note (or, `None`, on the session).
    Memo(Option<i64>),
    /// The day the speaker approved this note's exact words (empty: today).
    QuoteApproval(i64),
    /// A Markdown file to import as a topic guide.
    GuidePath,
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
    /// What can be picked (a theme palette): filtered by what is typed, ↑↓ moves.
    pub choices: Vec<String>,
    /// The highlighted row among the filtered choices.
    pub pick: usize,
}

impl Prompt {
    /// An empty prompt.
    pub fn new(purpose: PromptFor, label: &str) -> Self {
        Self {
            purpose,
            label: label.to_owned(),
            input: String::new(),
            choices: Vec::new(),
            pick: 0,
        }
    }

    /// A prompt that lists `choices` filtered as the user types (a palette).
    pub fn with_choices(purpose: PromptFor, label: &str, choices: Vec<String>) -> Self {
        Self {
            choices,
            ..Self::new(purpose, label)
        }
    }

    /// The choices matching what is typed (case-insensitive, `_` for a space): names that start
    /// with it first, then names that contain it, each in codebook order.
    pub fn matches(&self) -> Vec<&String> {
        let q = self.input.trim().to_lowercase().replace('_', " ");
        let lower: Vec<String> = self.choices.iter().map(|c| c.to_lowercase()).collect();
        let starts = self
            .choices
            .iter()
            .zip(&lower)
            .filter(|(_, l)| l.starts_with(&q));
        let inside = self
            .choices
            .iter()
            .zip(&lower)
            .filter(|(_, l)| !l.starts_with(&q) && l.contains(&q));
        starts.chain(inside).map(|(c, _)| c).collect()
    }

    /// The rows a palette shows: the matches, then the typed text as a new name when no
    /// choice is exactly it.
    pub fn rows(&self) -> Vec<String> {
        let typed = self.input.trim();
        let mut rows: Vec<String> = self.matches().into_iter().cloned().collect();
        if !typed.is_empty() && !rows.iter().any(|r| r.eq_ignore_ascii_case(typed)) {
            rows.push(format!("+ new theme \u{201c}{typed}\u{201d}"));
        }
        rows
    }

    /// What Enter answers: the highlighted choice, or what is typed.
    fn answer(&self) -> String {
        let matches = self.matches();
        match matches.get(self.pick) {
            Some(m) if !self.choices.is_empty() => (*m).clone(),
            _ => self.input.trim().to_owned(),
        }
    }
}

/// A key while a prompt is open: its actions, or a character typed into it.
pub fn on_key(s: &mut State, k: KeyEvent, reqs: &mut Vec<Request>) {
    let action = s.config.keys.action(Section::Prompt, &k);
    let Some(p) = s.prompt.as_mut() else { return };
    match action {
        // skipping the name still creates the session the title was typed for
        Some(Action::Cancel) if matches!(p.purpose, PromptFor::Researcher(_)) => {
            if let Some(p) = s.prompt.take() {
                submit(s, p.purpose, String::new(), reqs);
                s.message = Some(
                    "No F1 then; `fieldnotes settings researcher NAME` adds you later.".into(),
                );
            }
        }
        Some(Action::Cancel) => s.prompt = None,
        Some(Action::DeleteChar) => {
            p.input.pop();
            p.pick = 0;
        }
        Some(Action::Up) if !p.choices.is_empty() => p.pick = p.pick.saturating_sub(1),
        Some(Action::Down) if !p.choices.is_empty() => {
            p.pick = (p.pick + 1).min(p.rows().len().saturating_sub(1))
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
            let text = p.answer();
            let may_be_empty = matches!(
                p.purpose,
                PromptFor::Group
                    | PromptFor::ExportRecipient(_)
                    | PromptFor::AnalysisFilter
                    | PromptFor::Codebook(CodebookPrompt::Move(_))
                    | PromptFor::Researcher(_)
                    | PromptFor::QuoteApproval(_)
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
                p.pick = 0;
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
        PromptFor::PinTheme => super::reader::on_pin(s, &text),
        PromptFor::Researcher(title) => {
            if let Some(project) = s.project.clone() {
                s.message = None;
                s.busy = Some("Creating the session…".into());
                let session = NewSession {
                    project,
                    kind: SessionKind::Interview,
                    title,
                    date: Some(crate::tui::app::today()),
                    location: None,
                    source: Source::Live,
                    paper: Default::default(),
                    facilitators: Vec::new(),
                };
                reqs.push(Request::AddSessionAs(session, text));
            }
        }
        PromptFor::PersonMentioned => super::editor::on_prompt(s, &purpose, text, reqs),
        PromptFor::QuoteApproval(note_id) => super::quotes::on_prompt(s, note_id, text, reqs),
        PromptFor::GuidePath => super::guides::on_prompt(s, text, reqs),
        PromptFor::Memo(note_id) => {
            let session = match s.screen {
                Screen::Reading => s.reader.as_ref().map(|r| r.session.id),
                _ => s.editor.as_ref().map(|e| e.session.id),
            };
            if let Some(session_id) = session {
                reqs.push(Request::AddMemo {
                    session_id,
                    note_id,
                    text,
                });
                s.message = Some("Memo saved in the vault.".into());
            }
        }
    }
}

/// What Esc does: skipping the researcher's name still creates the interview.
fn esc_word(purpose: &PromptFor) -> &'static str {
    match purpose {
        PromptFor::Researcher(_) => "skip",
        _ => "cancel",
    }
}

/// Draws the prompt over `area`.
pub fn draw(f: &mut Frame<'_>, area: Rect, p: &Prompt) {
    if !p.choices.is_empty() {
        return draw_palette(f, area, p);
    }
    // the whole question shows, wrapped: a cut-off question is answered blind
    let w = area.width.min(if area.width >= 120 { 100 } else { 78 });
    let inner = usize::from(w.saturating_sub(2)).max(1);
    let mut lines: Vec<Line<'_>> = wrap(&for_terminal(&p.label, false), inner)
        .into_iter()
        .map(|l| Line::styled(l, bold()))
        .collect();
    let input = wrap(&format!("{}▏", for_terminal(&p.input, false)), inner);
    let keys = Line::raw(format!("Enter ok · Esc {}", esc_word(&p.purpose)));
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

/// A palette: the question and what is typed, then the matching choices, the highlighted
/// one reversed (and marked, not by colour alone).
fn draw_palette(f: &mut Frame<'_>, area: Rect, p: &Prompt) {
    use ratatui::style::{Modifier, Style};
    use ratatui::text::Line;
    let rows = p.rows();
    let shown = rows.len().clamp(1, 9) as u16;
    let r = centered(area, 70, shown + 4);
    f.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", p.label))
        .title_bottom(" ↑↓ choose · Enter tags · Esc cancel ");
    let inner = block.inner(r);
    f.render_widget(block, r);
    let mut lines = vec![Line::raw(format!("{}▏", for_terminal(&p.input, false)))];
    lines.push(Line::raw("─".repeat(usize::from(inner.width))));
    let first = p.pick.saturating_sub(usize::from(shown) - 1);
    for (i, row) in rows.iter().enumerate().skip(first).take(usize::from(shown)) {
        let text = for_terminal(row, false);
        lines.push(if i == p.pick {
            Line::styled(
                format!("› {text}"),
                Style::new().add_modifier(Modifier::REVERSED),
            )
        } else {
            Line::raw(format!("  {text}"))
        });
    }
    if rows.is_empty() {
        lines.push(Line::raw("  type a theme's name"));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
