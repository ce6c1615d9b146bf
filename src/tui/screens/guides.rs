//! The project's topic guides: listed with their versions and questions; imported from a
//! Markdown file; written or edited in a text box holding the guide as Markdown; and chosen
//! for the session selected on the sessions screen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, List, ListItem, Paragraph};
use ratatui_textarea::TextArea;

use super::move_selection;
use super::prompt::{Prompt, PromptFor};
use crate::tui::app::{Screen, State};
use crate::tui::keys::{Action, Section};
use crate::tui::ui::{fit_title, inner, list_state, selected, wrap};
use crate::tui::worker::{GuideReply, GuideRequest, Request};
use fieldnotes::model::{GuideSummary, SessionKind};
use fieldnotes::text::for_terminal;

/// What a new guide's text box starts with.
pub const TEMPLATE: &str = "# Topic guide\n\n## Opening\n\n- How did you come to use the service?\n  - When was the last time?\n\n## Experience\n\n- What happened on your last visit?\n- What would have made it easier?\n";

/// A guide being written in the app.
pub struct GuideText {
    /// Its name (`None`: new, named by its `# title`).
    pub name: Option<String>,
    /// The session kind it is for.
    pub kind: Option<SessionKind>,
    /// The Markdown.
    pub input: TextArea<'static>,
}

/// The guides screen.
#[derive(Default)]
pub struct GuidesView {
    /// The project.
    pub project: String,
    /// Its guides.
    pub list: Vec<GuideSummary>,
    /// Selected row.
    pub selected: usize,
    /// The text box, while a guide is written or edited.
    pub editing: Option<GuideText>,
}

/// The guides screen's requests as they open it.
pub fn open(s: &mut State, reqs: &mut Vec<Request>) {
    if let Some(p) = s.project.clone() {
        s.busy = Some("Loading the topic guides…".into());
        reqs.push(Request::Guide(GuideRequest::List(p)));
    }
}

fn text_box(name: Option<String>, kind: Option<SessionKind>, markdown: &str) -> GuideText {
    let mut input = super::editor::new_input();
    input.set_placeholder_text("# Name\n\n## Section\n\n- Question\n  - prompt");
    input.insert_str(markdown);
    input.move_cursor(ratatui_textarea::CursorMove::Top);
    GuideText { name, kind, input }
}

/// The worker's answers about the project's guides.
pub fn on_reply(s: &mut State, r: GuideReply) {
    s.busy = None;
    match r {
        GuideReply::List {
            project,
            guides,
            message,
        } => {
            let v = &mut s.guides;
            if v.project != project {
                v.selected = 0;
            }
            v.project = project;
            v.list = guides;
            v.selected = v.selected.min(v.list.len().saturating_sub(1));
            // a save that went through closes the text box; a refusal leaves it open
            if message.is_some() {
                v.editing = None;
            }
            s.message = message;
            s.screen = Screen::Guides;
        }
        GuideReply::Text {
            name,
            kind,
            markdown,
        } => {
            s.guides.editing = Some(text_box(name, kind, &markdown));
            s.screen = Screen::Guides;
        }
        GuideReply::Session(id, version) => super::editor::guide_loaded(s, id, version.map(|v| *v)),
    }
}

/// A key on the guides screen.
pub fn on_key(
    s: &mut State,
    action: Option<Action>,
    k: crossterm::event::KeyEvent,
    reqs: &mut Vec<Request>,
) {
    if let Some(t) = s.guides.editing.as_mut() {
        match action {
            Some(Action::Save) => {
                let markdown = t.input.lines().join("\n");
                let (name, kind) = (t.name.clone(), t.kind);
                s.busy = Some("Saving the guide…".into());
                reqs.push(Request::Guide(GuideRequest::SaveText {
                    project: s.guides.project.clone(),
                    name,
                    kind,
                    markdown,
                }));
            }
            Some(Action::Back) => {
                s.guides.editing = None;
                s.message = Some("Not saved: the guide is as it was.".into());
            }
            _ => {
                t.input.input(k);
            }
        }
        return;
    }
    let v = &mut s.guides;
    if move_selection(&mut v.selected, v.list.len(), action) {
        return;
    }
    let chosen = v.list.get(v.selected).map(|g| g.name.clone());
    let project = v.project.clone();
    match action {
        Some(Action::Back) => s.screen = Screen::Sessions,
        Some(Action::ImportGuide) => {
            s.prompt = Some(Prompt::new(
                PromptFor::GuidePath,
                "Markdown file to import (headings are sections, list items questions, nested items prompts)",
            ))
        }
        Some(Action::NewGuide) => s.guides.editing = Some(text_box(None, None, TEMPLATE)),
        Some(Action::Open) => match chosen {
            Some(name) => {
                s.busy = Some("Opening the guide…".into());
                reqs.push(Request::Guide(GuideRequest::Edit { project, name }));
            }
            None => {
                s.message = Some("No guide yet: press i to import one or n to write one.".into())
            }
        },
        Some(Action::FollowGuide) => {
            let session = s.sessions.list.get(s.sessions.selected);
            match (chosen, session) {
                (Some(name), Some(x)) => reqs.push(Request::Guide(GuideRequest::Follow {
                    project,
                    session_id: x.id,
                    title: x.title.clone(),
                    name,
                })),
                (None, _) => s.message = Some("No guide to follow yet: press i or n first.".into()),
                (_, None) => {
                    s.message = Some(
                        "No session selected: pick one on the sessions screen (Esc), then come back with g."
                            .into(),
                    )
                }
            }
        }
        _ => {}
    }
}

/// The import prompt's answer: a file to read.
pub fn on_prompt(s: &mut State, path: String, reqs: &mut Vec<Request>) {
    s.busy = Some("Importing the guide…".into());
    reqs.push(Request::Guide(GuideRequest::ImportFile {
        project: s.guides.project.clone(),
        path: path.trim().into(),
    }));
}

/// Draws the guides, or the text box.
pub fn draw(f: &mut Frame<'_>, area: Rect, s: &State) {
    let v = &s.guides;
    let keys = s.config.keys.get(Section::Guides);
    if let Some(t) = &v.editing {
        let name = t
            .name
            .as_deref()
            .map(|n| format!("“{}”", for_terminal(n, false)))
            .unwrap_or_else(|| "new guide (named by its # title)".into());
        let title = fit_title(
            &format!(
                " Guide {name} as Markdown — {} saves (a new version only if the questions changed) · {} cancels ",
                keys.keys_for(Action::Save),
                keys.keys_for(Action::Back)
            ),
            area.width,
        );
        let mut input = t.input.clone();
        input.set_block(Block::default().borders(Borders::ALL).title(title));
        f.render_widget(&input, area);
        return;
    }
    let session = s
        .sessions
        .list
        .get(s.sessions.selected)
        .map(|x| format!("“{}”", for_terminal(&x.title, false)))
        .unwrap_or_else(|| "the selected session".into());
    let [list_area, help_area] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(2)]).areas(area);
    let items: Vec<ListItem<'_>> = v
        .list
        .iter()
        .map(|g| {
            ListItem::new(format!(
                "{:<28} {:<10} v{:<3} {:>3} questions  {} sessions",
                for_terminal(&g.name, false),
                g.session_kind.map_or("any kind", |k| k.as_str()),
                g.latest,
                g.questions,
                g.sessions
            ))
        })
        .collect();
    let title = fit_title(
        &format!(
            " Topic guides — {} edit · {} import · {} new · {} {session} follows it · {} back ",
            keys.keys_for(Action::Open),
            keys.keys_for(Action::ImportGuide),
            keys.keys_for(Action::NewGuide),
            keys.keys_for(Action::FollowGuide),
            keys.keys_for(Action::Back),
        ),
        area.width,
    );
    let list = List::new(items)
        .block(Block::default().borders(Borders::ALL).title(title))
        .highlight_style(selected())
        .highlight_symbol("› ");
    f.render_stateful_widget(list, list_area, &mut list_state(v.selected, v.list.len()));
    if v.list.is_empty() {
        f.render_widget(
            Paragraph::new(
                "No topic guide yet: press i to import a Markdown file, or n to write one here.",
            ),
            inner(list_area),
        );
    }
    let note = "A session keeps the version its notes answer; a changed guide is a new version for later sessions.";
    let lines: Vec<Line<'_>> = wrap(note, usize::from(help_area.width).max(1))
        .into_iter()
        .map(Line::raw)
        .collect();
    f.render_widget(Paragraph::new(lines), help_area);
}

#[cfg(test)]
mod tests {
    use super::super::table::{c, check, k, m};
    use crate::tui::keys::{Action, Section};
    use crossterm::event::{KeyCode, KeyModifiers};

    #[test]
    fn guides_keys() {
        check(
            Section::Guides,
            &[
                (k(KeyCode::Up), Some(Action::Up)),
                (k(KeyCode::Enter), Some(Action::Open)),
                (k(KeyCode::Esc), Some(Action::Back)),
                (c('i'), Some(Action::ImportGuide)),
                (c('n'), Some(Action::NewGuide)),
                (c('u'), Some(Action::FollowGuide)),
                (
                    m(KeyCode::Char('s'), KeyModifiers::CONTROL),
                    Some(Action::Save),
                ),
                (c('x'), None),
            ],
        );
    }
}
