//! The export review (every substitution in context; keep, deny, register, export) and the
//! retention list. Keys and drawing; the worker does the work.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, Paragraph};

use super::app::{Prompt, PromptFor, Screen, State};
use super::ui::list_state;
use super::worker::Request;
use fieldnotes::text::for_terminal;

fn back_to_sessions(s: &mut State, reqs: &mut Vec<Request>) {
    s.screen = Screen::Sessions;
    s.selected = 0;
    if let Some(p) = s.project.clone() {
        reqs.push(Request::Sessions(p));
    }
}

/// Keys on the review screen.
pub fn on_review_key(s: &mut State, k: KeyEvent, reqs: &mut Vec<Request>) {
    let Some(r) = &s.review else {
        return back_to_sessions(s, reqs);
    };
    let len = r.items.len();
    let project = r.project.clone();
    match k.code {
        KeyCode::Up => s.selected = s.selected.saturating_sub(1),
        KeyCode::Down => s.selected = (s.selected + 1).min(len.saturating_sub(1)),
        KeyCode::PageUp => s.selected = s.selected.saturating_sub(10),
        KeyCode::PageDown => s.selected = (s.selected + 10).min(len.saturating_sub(1)),
        KeyCode::Char('k') => {
            if let Some(item) = r.items.get(s.selected) {
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
        KeyCode::Char('d') => {
            s.prompt = Some(Prompt::new(
                PromptFor::ReviewDeny,
                "Always remove this phrase (deny list)",
            ))
        }
        KeyCode::Char('r') => {
            s.prompt = Some(Prompt::new(
                PromptFor::ReviewRegister,
                "Register a name the anonymiser missed (full name)",
            ))
        }
        KeyCode::Char('e') | KeyCode::Enter => {
            let mut p = Prompt::new(
                PromptFor::ExportPath,
                "Export to (.md .html .csv .json or .qdpx)",
            );
            p.input = format!("{project}-summary.html");
            s.prompt = Some(p);
        }
        KeyCode::Esc => {
            s.review = None;
            back_to_sessions(s, reqs);
        }
        _ => {}
    }
}

/// Keys on the retention list.
pub fn on_retention_key(s: &mut State, k: KeyEvent, reqs: &mut Vec<Request>) {
    match k.code {
        KeyCode::Up => s.selected = s.selected.saturating_sub(1),
        KeyCode::Down => s.selected = (s.selected + 1).min(s.retention.len().saturating_sub(1)),
        KeyCode::Char('X') if s.retention.iter().any(|i| i.overdue) => {
            let n = s.retention.iter().filter(|i| i.overdue).count();
            s.prompt = Some(Prompt::new(
                PromptFor::RetentionConfirm,
                &format!("Erase {n} sessions past retention, for good? Type yes"),
            ));
        }
        KeyCode::Esc => {
            s.screen = Screen::Projects;
            s.selected = 0;
            reqs.push(Request::Projects);
        }
        _ => {}
    }
}

/// Answers to the review and retention prompts.
pub fn on_prompt(s: &mut State, purpose: &PromptFor, text: String, reqs: &mut Vec<Request>) {
    let project = s.review.as_ref().map(|r| r.project.clone());
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
                "Encrypt to an age public key, for sharing (age1…; empty: a plain file)",
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
pub fn draw_review(f: &mut Frame<'_>, area: Rect, s: &State) {
    let Some(r) = &s.review else { return };
    let width = area.width.saturating_sub(6) as usize;
    let mark = Style::new().add_modifier(Modifier::REVERSED);
    // two lines a row inside the border; the window keeps the selection in view
    let rows = (area.height.saturating_sub(2) as usize / 2).max(1);
    let selected = s.selected.min(r.items.len().saturating_sub(1));
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
        .block(Block::default().borders(Borders::ALL).title(title))
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

/// Draws the retention list.
pub fn draw_retention(f: &mut Frame<'_>, area: Rect, s: &State) {
    let items: Vec<ListItem<'_>> = s
        .retention
        .iter()
        .map(|i| {
            let mut what = Vec::new();
            if i.overdue {
                what.push(format!("past retention since {}", i.due));
            }
            if i.paper_pending {
                what.push("paper original not yet destroyed".to_owned());
            }
            ListItem::new(format!(
                "{}  {}  {}  {}",
                for_terminal(&i.project, false),
                i.date,
                for_terminal(&i.title, false),
                what.join("; ")
            ))
        })
        .collect();
    let due = s.retention.iter().filter(|i| i.overdue).count();
    let title = if due > 0 {
        format!(
            " Retention: {due} sessions are due for erasure — X erases them (asks first) · Esc back "
        )
    } else {
        " Retention: nothing is past its date — Esc back ".to_owned()
    };
    let list = List::new(items)
        .block(Block::default().borders(Borders::ALL).title(title))
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("› ");
    f.render_stateful_widget(list, area, &mut list_state(s.selected, s.retention.len()));
}
