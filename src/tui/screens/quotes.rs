//! Quotes awaiting approval: the verbatim notes of participants who asked to approve their
//! quotes, with no approval of their current words; `a` records the speaker's approval of
//! the selected one (asking the date, today by default). Keys and drawing; the worker does
//! the work.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders, List, ListItem, Paragraph};

use super::move_selection;
use super::prompt::{Prompt, PromptFor};
use crate::tui::app::{Screen, State, today};
use crate::tui::keys::Action;
use crate::tui::ui::{inner, list_state};
use crate::tui::worker::Request;
use fieldnotes::app::quotes::PendingQuote;
use fieldnotes::text::for_terminal;

/// The quotes awaiting approval in the open project, and the selected row.
#[derive(Debug, Default)]
pub struct QuotesView {
    /// Which project they belong to.
    pub project: String,
    /// The quotes.
    pub items: Vec<PendingQuote>,
    /// Selected row.
    pub selected: usize,
}

/// The list arrived (on opening, or after an approval with its message).
pub fn loaded(s: &mut State, project: String, items: Vec<PendingQuote>, msg: Option<String>) {
    s.busy = None;
    let selected = if s.screen == Screen::Quotes && s.quotes.project == project {
        s.quotes.selected.min(items.len().saturating_sub(1))
    } else {
        0
    };
    s.quotes = QuotesView {
        project,
        items,
        selected,
    };
    s.screen = Screen::Quotes;
    if msg.is_some() {
        s.message = msg;
    }
}

/// Opens the list for the open project.
pub fn open(s: &mut State, reqs: &mut Vec<Request>) {
    if let Some(p) = s.project.clone() {
        s.busy = Some("Finding quotes awaiting approval…".into());
        reqs.push(Request::Quotes(p));
    }
}

/// An action on the list.
pub fn on_action(s: &mut State, action: Option<Action>, reqs: &mut Vec<Request>) {
    let v = &mut s.quotes;
    if move_selection(&mut v.selected, v.items.len(), action) {
        return;
    }
    match action {
        Some(Action::ApproveQuote) => {
            if let Some(q) = v.items.get(v.selected) {
                let mut p = Prompt::new(
                    PromptFor::QuoteApproval(q.note_id),
                    &format!(
                        "Day {} approved these exact words of note {} (YYYY-MM-DD; Enter: today)",
                        for_terminal(&q.speaker, false),
                        q.note_id
                    ),
                );
                p.input = today();
                s.prompt = Some(p);
            }
        }
        Some(Action::Back) => {
            s.screen = Screen::Sessions;
            if let Some(p) = s.project.clone() {
                reqs.push(Request::Sessions(p));
            }
        }
        _ => {}
    }
}

/// The date typed for an approval (empty: today).
pub fn on_prompt(s: &mut State, note_id: i64, text: String, reqs: &mut Vec<Request>) {
    let on = if text.trim().is_empty() {
        today()
    } else {
        text.trim().to_owned()
    };
    s.busy = Some("Recording the approval…".into());
    reqs.push(Request::ApproveQuote {
        project: s.quotes.project.clone(),
        note_id,
        on,
    });
}

/// Draws the list: each quote's note, speaker and session, then its words.
pub fn draw(f: &mut Frame<'_>, area: Rect, s: &State) {
    let v = &s.quotes;
    let width = usize::from(area.width.saturating_sub(8)).max(10);
    let items: Vec<ListItem<'_>> = v
        .items
        .iter()
        .map(|q| {
            let edited = q
                .approved_before
                .as_ref()
                .map(|d| format!(" · edited since its approval on {d}"))
                .unwrap_or_default();
            let words: String = for_terminal(&q.text.replace('\n', " "), false)
                .chars()
                .take(width)
                .collect();
            ListItem::new(vec![
                ratatui::text::Line::raw(format!(
                    "note {}  {}  #{} {}{edited}",
                    q.note_id,
                    for_terminal(&q.speaker, false),
                    q.session_id,
                    for_terminal(&q.session, false)
                )),
                ratatui::text::Line::raw(format!("    “{words}”")),
            ])
        })
        .collect();
    let title = format!(
        " Quotes awaiting approval: {} — a approve the selected quote's exact words (asks the date) · Esc back ",
        v.items.len()
    );
    let list = List::new(items)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(crate::tui::ui::fit_title(&title, area.width)),
        )
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("› ");
    f.render_stateful_widget(list, area, &mut list_state(v.selected, v.items.len()));
    if v.items.is_empty() {
        f.render_widget(
            Paragraph::new(
                "No quote is awaiting approval: every participant who asked to approve their \
                 quotes has approved the words of each (or has none). Exports withhold a quote \
                 until it is approved; an edit after an approval brings it back here.",
            )
            .wrap(ratatui::widgets::Wrap { trim: true }),
            inner(area),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::table::{c, check, k};
    use crate::tui::keys::{Action, Section};
    use crossterm::event::KeyCode;

    #[test]
    fn quotes_keys() {
        check(
            Section::Quotes,
            &[
                (k(KeyCode::Up), Some(Action::Up)),
                (k(KeyCode::Down), Some(Action::Down)),
                (c('a'), Some(Action::ApproveQuote)),
                (k(KeyCode::Esc), Some(Action::Back)),
                (c('?'), Some(Action::Help)),
            ],
        );
        check(Section::Sessions, &[(c('q'), Some(Action::Quotes))]);
    }
}
