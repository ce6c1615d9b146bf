//! The export review: every substitution in context; keep, deny, register, export. Keys and
//! drawing; the worker does the work.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, Paragraph};

use super::move_selection;
use super::prompt::{Prompt, PromptFor};
use crate::tui::app::{Screen, State};
use crate::tui::keys::Action;
use crate::tui::ui::list_state;
use crate::tui::worker::{Request, ReviewData};
use fieldnotes::text::for_terminal;

/// The review and its selected row.
#[derive(Debug)]
pub struct ReviewView {
    /// What the worker found.
    pub data: ReviewData,
    /// Selected row.
    pub selected: usize,
}

/// The review arrived: a first one starts at the top, a new pass keeps the place.
pub fn loaded(s: &mut State, data: ReviewData) {
    s.busy = None;
    let selected = match (&s.review, s.screen) {
        (Some(r), Screen::Review) => r.selected.min(data.items.len().saturating_sub(1)),
        _ => 0,
    };
    // quote-level consent: what the export will withhold, and whose consent is missing
    if !data.quotes.is_empty() {
        s.message = Some(format!(
            "{} q lists the quotes awaiting approval.",
            data.quotes.join(" ")
        ));
    }
    s.review = Some(ReviewView { data, selected });
    s.screen = Screen::Review;
}

/// The export's file exists: ask before replacing it.
pub fn exists(s: &mut State, path: std::path::PathBuf, recipients: Vec<String>) {
    s.busy = None;
    // the question first: on a narrow screen a long path is what gets cut, not the question
    let label = format!(
        "Replace it? Type y (anything else keeps it): {} already exists",
        for_terminal(&path.display().to_string(), false)
    );
    s.prompt = Some(Prompt::new(
        PromptFor::ExportOverwrite(path, recipients),
        &label,
    ));
}

fn back_to_sessions(s: &mut State, reqs: &mut Vec<Request>) {
    s.screen = Screen::Sessions;
    if let Some(p) = s.project.clone() {
        reqs.push(Request::Sessions(p));
    }
}

/// An action on the review screen.
pub fn on_action(s: &mut State, action: Option<Action>, reqs: &mut Vec<Request>) {
    let Some(r) = s.review.as_mut() else {
        return back_to_sessions(s, reqs);
    };
    if move_selection(&mut r.selected, r.data.items.len(), action) {
        return;
    }
    let project = r.data.project.clone();
    match action {
        Some(Action::Keep) => {
            if let Some(item) = r.data.items.get(r.selected) {
                let phrase = item.substitution.original.clone();
                s.message = Some(format!(
                    "Kept '{}' as written, here and everywhere in the project (allow list).",
                    for_terminal(&phrase, false)
                ));
                s.busy = Some("Reviewing again…".into());
                reqs.push(Request::ReviewList {
                    project,
                    deny: false,
                    phrase,
                });
            }
        }
        Some(Action::Deny) => {
            s.prompt = Some(Prompt::new(
                PromptFor::ReviewDeny,
                "Always remove this phrase (deny list)",
            ))
        }
        Some(Action::Register) => {
            s.prompt = Some(Prompt::new(
                PromptFor::ReviewRegister,
                "Register a name the anonymiser missed (full name)",
            ))
        }
        Some(Action::Export) => {
            let mut p = Prompt::new(
                PromptFor::ExportPath,
                "Export to (.md .html .csv .json .qdpx .xlsx; edit the path as you like)",
            );
            let name = export_file_name(&project, &crate::tui::app::today());
            p.input = match &s.config.export_dir {
                Some(dir) => dir.join(name).display().to_string(),
                None => name,
            };
            s.prompt = Some(p);
        }
        Some(Action::Back) => {
            s.review = None;
            back_to_sessions(s, reqs);
        }
        Some(Action::Quotes) => {
            s.review = None;
            super::quotes::open(s, reqs);
        }
        _ => {}
    }
}

/// The folder an export is offered in: the platform's documents folder, else its downloads
/// folder, else the home folder (the first that exists). Reads files: call it once, at start.
pub fn export_folder() -> Option<std::path::PathBuf> {
    let dirs = directories::UserDirs::new()?;
    [
        dirs.document_dir(),
        dirs.download_dir(),
        Some(dirs.home_dir()),
    ]
    .into_iter()
    .flatten()
    .find(|d| d.is_dir())
    .map(std::path::Path::to_path_buf)
}

/// An export's default file name: the project and the day, in characters every file system
/// and shell takes as they are (a project name may hold a slash or a space).
pub fn export_file_name(project: &str, today: &str) -> String {
    let mut slug = String::new();
    for c in project.chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    let slug = if slug.is_empty() { "project" } else { slug };
    format!("{slug}-summary-{today}.html")
}

/// Answers to the review and retention prompts.
pub fn on_prompt(s: &mut State, purpose: &PromptFor, text: String, reqs: &mut Vec<Request>) {
    let project = s.review.as_ref().map(|r| r.data.project.clone());
    match (purpose, project) {
        (PromptFor::ReviewDeny, Some(project)) => {
            s.busy = Some("Reviewing again…".into());
            reqs.push(Request::ReviewList {
                project,
                deny: true,
                phrase: text,
            });
        }
        (PromptFor::ReviewRegister, Some(project)) => {
            s.busy = Some("Reviewing again…".into());
            reqs.push(Request::ReviewRegister {
                project,
                name: text,
            });
        }
        (PromptFor::ExportPath, Some(_)) => {
            s.prompt = Some(Prompt::new(
                PromptFor::ExportRecipient(text.into()),
                "Encrypt to a public key, for sharing (age1… or ssh-ed25519 …; empty: a plain file)",
            ));
        }
        (PromptFor::ExportRecipient(path), Some(project)) => {
            s.busy = Some("Exporting…".into());
            reqs.push(Request::Export {
                project,
                path: path.clone(),
                recipients: text.split_whitespace().map(str::to_owned).collect(),
                overwrite: false,
            });
        }
        (PromptFor::ExportOverwrite(path, recipients), Some(project)) => {
            if matches!(text.to_lowercase().as_str(), "y" | "yes") {
                s.busy = Some("Exporting…".into());
                reqs.push(Request::Export {
                    project,
                    path: path.clone(),
                    recipients: recipients.clone(),
                    overwrite: true,
                });
            } else {
                s.message = Some("Nothing was exported; press e to choose another name.".into());
            }
        }
        (PromptFor::RetentionConfirm, _) => {
            if text.eq_ignore_ascii_case("yes") {
                s.busy = Some("Erasing…".into());
                reqs.push(Request::ApplyRetention);
            } else {
                s.message = Some("Nothing was erased.".into());
            }
        }
        _ => {}
    }
}

/// The last `n` characters of `s`.
fn last_chars(s: &str, n: usize) -> &str {
    let from = s
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    if n == 0 { "" } else { &s[from..] }
}

/// The first `n` characters of `s`.
fn first_chars(s: &str, n: usize) -> &str {
    &s[..s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)]
}

/// Draws the review: each substitution highlighted in its sentence, with the rule. Only the
/// rows that fit are built: a note dense with identifiers can make hundreds of thousands.
pub fn draw(f: &mut Frame<'_>, area: Rect, s: &State) {
    let Some(ReviewView { data: r, selected }) = &s.review else {
        return;
    };
    let width = area.width.saturating_sub(6) as usize;
    let mark = Style::new().add_modifier(Modifier::REVERSED);
    // two lines a row inside the border; the window keeps the selection in view
    let rows = (area.height.saturating_sub(2) as usize / 2).max(1);
    let selected = (*selected).min(r.items.len().saturating_sub(1));
    let first = selected.saturating_sub(rows - 1);
    let items: Vec<ListItem<'_>> = r
        .items
        .iter()
        .skip(first)
        .take(rows)
        .map(|it| {
            let sub = &it.substitution;
            let before = for_terminal(last_chars(&it.before, width / 3), false);
            let after = for_terminal(first_chars(&it.after, width / 3), false);
            let head = if it.note_id > 0 {
                format!("note {}  ", it.note_id)
            } else {
                format!("{}  ", for_terminal(&it.place, false))
            };
            ListItem::new(vec![
                Line::from(vec![
                    Span::raw(head),
                    Span::styled(for_terminal(&sub.original, false), mark),
                    Span::raw(" → "),
                    Span::styled(
                        for_terminal(&sub.replacement, false),
                        Style::new().add_modifier(Modifier::BOLD),
                    ),
                    Span::raw(format!("   ({})", sub.rule)),
                ]),
                Line::from(vec![
                    Span::raw(format!("    …{before}")),
                    Span::styled(
                        format!("[{}]", for_terminal(&sub.replacement, false)),
                        Style::new().add_modifier(Modifier::UNDERLINED),
                    ),
                    Span::raw(format!("{after}…")),
                ]),
            ])
        })
        .collect();
    let title = format!(
        " Review before export: {} substitutions in {} notes{} — k keep as written · d deny a phrase · r register a missed name · e export · Esc back ",
        r.items.len(),
        r.excerpts,
        if r.withheld > 0 {
            format!(", {} withheld (restricted)", r.withheld)
        } else {
            String::new()
        }
    );
    let shown = items.len();
    let list = List::new(items)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(crate::tui::ui::fit_title(&title, area.width)),
        )
        .highlight_style(Style::new().add_modifier(Modifier::BOLD))
        .highlight_symbol("› ");
    f.render_stateful_widget(list, area, &mut list_state(selected - first, shown));
    if r.items.is_empty() {
        f.render_widget(
            Paragraph::new("No personal data found to replace. Press e to export."),
            Rect::new(area.x + 2, area.y + 1, area.width.saturating_sub(4), 1),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::table::{c, check, k};
    use crate::tui::keys::{Action, Section};
    use crossterm::event::KeyCode;

    #[test]
    fn review_keys() {
        check(
            Section::Review,
            &[
                (k(KeyCode::Up), Some(Action::Up)),
                (k(KeyCode::PageDown), Some(Action::PageDown)),
                (c('k'), Some(Action::Keep)),
                (c('d'), Some(Action::Deny)),
                (c('r'), Some(Action::Register)),
                (c('e'), Some(Action::Export)),
                (c('q'), Some(Action::Quotes)),
                (k(KeyCode::Enter), Some(Action::Export)),
                (k(KeyCode::Esc), Some(Action::Back)),
                (c('?'), Some(Action::Help)),
                (k(KeyCode::Home), None),
            ],
        );
    }
}
