//! The analysis screen: codebook (tree, counts, memo; rename, move, merge, delete), theme ×
//! group frequencies with bars, the co-occurrence matrix (a cell lists its excerpts), ideas
//! by votes, and excerpts (Enter opens the note in its session). Pseudonyms only.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, Paragraph, Wrap};

use super::move_selection;
use super::prompt::{CodebookPrompt, Prompt, PromptFor};
use crate::tui::app::{Screen, State};
use crate::tui::keys::Action;
use crate::tui::ui::list_state;
use crate::tui::worker::{AnalysisData, CodebookOp, Request};
use fieldnotes::analysis::Excerpt;
use fieldnotes::text::for_terminal;

/// The tabs, in order.
pub const TABS: [&str; 5] = [
    "Codebook",
    "Frequencies",
    "Co-occurrence",
    "Ideas",
    "Excerpts",
];

/// What the analysis screen shows.
#[derive(Debug, Clone)]
pub struct AnalysisView {
    /// The computed views.
    pub data: AnalysisData,
    /// Current tab (index into [`TABS`]).
    pub tab: usize,
    /// Selected row in the current tab's list.
    pub row: usize,
    /// Co-occurrence cursor column.
    pub col: usize,
    /// The last excerpt query and its results.
    pub query: String,
    /// Excerpts of the last query.
    pub excerpts: Vec<Excerpt>,
}

/// The views arrived (first load or after a change).
pub fn loaded(s: &mut State, data: AnalysisData) {
    match s.analysis.as_mut() {
        Some(v) if v.data.project == data.project => {
            v.row = v.row.min(data.themes.len().saturating_sub(1));
            v.col = v.col.min(data.themes.len().saturating_sub(1));
            v.data = data;
        }
        _ => {
            s.analysis = Some(AnalysisView {
                data,
                tab: 0,
                row: 0,
                col: 0,
                query: String::new(),
                excerpts: Vec::new(),
            })
        }
    }
    s.screen = Screen::Analysis;
}

/// Excerpts arrived for a query.
pub fn excerpts(s: &mut State, q: String, list: Vec<Excerpt>) {
    if let Some(v) = s.analysis.as_mut() {
        // a new query shows its excerpts; the same query again (after a filter change)
        // refreshes them where the user is
        if v.query != q {
            v.tab = 4;
            v.row = 0;
        }
        v.row = v.row.min(list.len().saturating_sub(1));
        v.query = q;
        v.excerpts = list;
    }
}

fn rows(v: &AnalysisView) -> usize {
    match v.tab {
        0..=2 => v.data.themes.len(),
        3 => v.data.ideas.len(),
        _ => v.excerpts.len(),
    }
}

/// An action on the analysis screen.
pub fn on_action(s: &mut State, action: Option<Action>, reqs: &mut Vec<Request>) {
    let Some(v) = s.analysis.as_mut() else {
        s.screen = Screen::Sessions;
        return;
    };
    let project = v.data.project.clone();
    let filter = v.data.filter.clone();
    let n = rows(v);
    let theme = v.data.themes.get(v.row).map(|(t, _)| t.name.clone());
    if move_selection(&mut v.row, n, action) {
        return;
    }
    let Some(action) = action else { return };
    match action {
        Action::NextTab => {
            v.tab = (v.tab + 1) % TABS.len();
            v.row = 0;
        }
        Action::PrevTab => {
            v.tab = (v.tab + TABS.len() - 1) % TABS.len();
            v.row = 0;
        }
        Action::MoveLeft if v.tab == 2 => v.col = v.col.saturating_sub(1),
        Action::MoveRight if v.tab == 2 => v.col = (v.col + 1).min(n.saturating_sub(1)),
        Action::Query => {
            s.prompt = Some(Prompt::new(
                PromptFor::AnalysisQuery,
                "Excerpts for (e.g. Waiting AND Safety, A OR B, A NOT B)",
            ))
        }
        Action::CountChildren => {
            s.busy = Some("Counting…".into());
            let mut f = filter;
            f.children = !f.children;
            reqs.push(Request::Analysis(project, f));
        }
        Action::Filter => {
            let mut p = Prompt::new(
                PromptFor::AnalysisFilter,
                "Filter (role=…, kind=interview|workshop, from=YYYY-MM-DD, to=…, children=yes; empty: none)",
            );
            p.input = filter.describe();
            s.prompt = Some(p);
        }
        Action::Open => match v.tab {
            0 | 1 => {
                if let Some(t) = theme {
                    v.query.clear();
                    reqs.push(Request::AnalysisQuery(project, t, filter));
                }
            }
            2 => {
                let names: Vec<&String> = v.data.cooccurrence.themes.iter().collect();
                if let (Some(a), Some(b)) = (names.get(v.row), names.get(v.col)) {
                    let q = if a == b {
                        (*a).clone()
                    } else {
                        format!("{a} AND {b}")
                    };
                    v.query.clear();
                    reqs.push(Request::AnalysisQuery(project, q, filter));
                }
            }
            _ => {
                let list = if v.tab == 3 {
                    &v.data.ideas
                } else {
                    &v.excerpts
                };
                if let Some(e) = list.get(v.row) {
                    s.focus_note = Some(e.note.id);
                    reqs.push(Request::OpenSession(e.note.session_id));
                }
            }
        },
        Action::Back => {
            s.analysis = None;
            s.screen = Screen::Sessions;
            reqs.push(Request::Sessions(project));
        }
        codebook if v.tab == 0 => {
            let ask = |purpose: CodebookPrompt, label: String, input: String| {
                let mut p = Prompt::new(PromptFor::Codebook(purpose), &label);
                p.input = input;
                Some(p)
            };
            let t = theme.clone().unwrap_or_default();
            let shown = for_terminal(&t, false);
            s.prompt = match (codebook, theme) {
                (Action::NewTheme, _) => {
                    ask(CodebookPrompt::New, "New theme".into(), String::new())
                }
                (Action::RenameTheme, Some(_)) => ask(
                    CodebookPrompt::Rename(t.clone()),
                    format!("Rename '{shown}' to"),
                    t.clone(),
                ),
                (Action::MoveTheme, Some(_)) => ask(
                    CodebookPrompt::Move(t.clone()),
                    format!("Move '{shown}' under (empty: top level)"),
                    String::new(),
                ),
                (Action::MergeTheme, Some(_)) => ask(
                    CodebookPrompt::Merge(t.clone()),
                    format!("Merge '{shown}' into"),
                    String::new(),
                ),
                (Action::DeleteTheme, Some(_)) => {
                    let count = v.data.themes.get(v.row).map_or(0, |x| x.1);
                    ask(
                        CodebookPrompt::Delete(t.clone()),
                        format!("Delete '{shown}' and untag its {count} notes? Type yes"),
                        String::new(),
                    )
                }
                (Action::ThemeMemo, Some(_)) => {
                    let memo = v
                        .data
                        .themes
                        .get(v.row)
                        .and_then(|x| x.0.memo.clone())
                        .unwrap_or_default();
                    ask(
                        CodebookPrompt::Memo(t.clone()),
                        format!("Memo for '{shown}'"),
                        memo.replace('\n', " "),
                    )
                }
                _ => return,
            };
        }
        _ => {}
    }
}

/// Answers to the analysis prompts.
pub fn on_prompt(s: &mut State, purpose: &PromptFor, text: String, reqs: &mut Vec<Request>) {
    let Some(v) = s.analysis.as_ref() else { return };
    let project = v.data.project.clone();
    let filter = v.data.filter.clone();
    let op = match purpose {
        PromptFor::AnalysisQuery => {
            if let Some(v) = s.analysis.as_mut() {
                v.query.clear();
            }
            reqs.push(Request::AnalysisQuery(project, text, filter));
            return;
        }
        PromptFor::AnalysisFilter => {
            match fieldnotes::analysis::Filter::parse(&text) {
                Ok(f) => {
                    s.busy = Some("Counting…".into());
                    if !v.query.is_empty() {
                        reqs.push(Request::AnalysisQuery(
                            project.clone(),
                            v.query.clone(),
                            f.clone(),
                        ));
                    }
                    reqs.push(Request::Analysis(project, f));
                }
                Err(e) => s.message = Some(e),
            }
            return;
        }
        PromptFor::Codebook(CodebookPrompt::New) => CodebookOp::Add(text),
        PromptFor::Codebook(CodebookPrompt::Rename(t)) => CodebookOp::Rename(t.clone(), text),
        PromptFor::Codebook(CodebookPrompt::Move(t)) => {
            CodebookOp::Move(t.clone(), (!text.is_empty()).then_some(text))
        }
        PromptFor::Codebook(CodebookPrompt::Merge(t)) => CodebookOp::Merge(t.clone(), text),
        PromptFor::Codebook(CodebookPrompt::Delete(t)) => {
            if !text.eq_ignore_ascii_case("yes") {
                s.message = Some("Nothing was deleted.".into());
                return;
            }
            CodebookOp::Delete(t.clone())
        }
        PromptFor::Codebook(CodebookPrompt::Memo(t)) => CodebookOp::Memo(t.clone(), text),
        _ => return,
    };
    s.busy = Some("Saving…".into());
    reqs.push(Request::Codebook(project, op, filter));
}

fn excerpt_item(e: &Excerpt) -> ListItem<'static> {
    let who = match &e.note.speaker {
        Some(sp) => format!("{sp}, {}", e.note.group),
        None => e.note.group.clone(),
    };
    ListItem::new(vec![
        Line::from(vec![
            Span::styled(
                for_terminal(
                    &format!("{} · {} · {}", e.note.session, e.note.date, who),
                    false,
                ),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::raw(for_terminal(&format!("  # {}", e.themes.join(", ")), false)),
        ]),
        Line::raw(format!("  {}", for_terminal(&e.text, false))),
    ])
}

/// Draws the analysis screen.
pub fn draw(f: &mut Frame<'_>, area: Rect, s: &State) {
    let Some(v) = &s.analysis else { return };
    let [tabs, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let mut spans = Vec::new();
    for (i, t) in TABS.iter().enumerate() {
        let style = if i == v.tab {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new()
        };
        spans.push(Span::styled(format!(" {t} "), style));
        spans.push(Span::raw(" "));
    }
    let narrowed = v.data.filter.describe();
    spans.push(Span::raw(format!(
        "  Tab next · / query · f filter{} · c children · Esc back",
        if narrowed.is_empty() {
            String::new()
        } else {
            format!(" [{}]", for_terminal(&narrowed, false))
        }
    )));
    f.render_widget(Paragraph::new(Line::from(spans)), tabs);
    let d = &v.data;
    match v.tab {
        0 => {
            let items: Vec<ListItem<'_>> = d
                .themes
                .iter()
                .map(|(t, n)| {
                    let memo = t
                        .memo
                        .as_deref()
                        .map(|m| format!("  ✎ {}", m.lines().next().unwrap_or("")))
                        .unwrap_or_default();
                    ListItem::new(for_terminal(
                        &format!("{}{}  ({n}){memo}", "  ".repeat(t.depth), t.name),
                        false,
                    ))
                })
                .collect();
            let list = List::new(items)
                .block(Block::default().borders(Borders::ALL).title(
                    " Codebook — Enter excerpts · n new · r rename · m move · g merge into · d delete · o memo ",
                ))
                .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
                .highlight_symbol("› ");
            f.render_stateful_widget(list, body, &mut list_state(v.row, d.themes.len()));
        }
        1 => {
            let max = d.themes.iter().map(|x| x.1).max().unwrap_or(1).max(1);
            let name_w = d
                .themes
                .iter()
                .map(|(t, _)| t.name.chars().count())
                .max()
                .unwrap_or(5)
                .min(30);
            let bar_w = (body.width as usize).saturating_sub(name_w + 10).min(40);
            let items: Vec<ListItem<'_>> = d
                .themes
                .iter()
                .map(|(t, n)| {
                    let groups: Vec<String> = d
                        .frequencies
                        .iter()
                        .filter(|r| r.theme == t.name)
                        .map(|r| format!("{} {} ({})", r.group, r.excerpts, r.participants))
                        .collect();
                    let name: String = t.name.chars().take(name_w).collect();
                    ListItem::new(vec![
                        Line::raw(for_terminal(
                            &format!(
                                "{name:<name_w$} {n:>5} {}",
                                "█".repeat((n * bar_w).div_ceil(max))
                            ),
                            false,
                        )),
                        Line::raw(for_terminal(
                            &format!("{:name_w$}   {}", "", groups.join(" · ")),
                            false,
                        )),
                    ])
                })
                .collect();
            let list = List::new(items)
                .block(Block::default().borders(Borders::ALL).title(
                    " Frequencies — notes per theme; by group: notes (distinct participants) · Enter excerpts ",
                ))
                .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
                .highlight_symbol("› ");
            f.render_stateful_widget(list, body, &mut list_state(v.row, d.themes.len()));
        }
        2 => {
            let co = &d.cooccurrence;
            let k = co.themes.len();
            let name_w = co
                .themes
                .iter()
                .map(|t| t.chars().count())
                .max()
                .unwrap_or(4)
                .min(24);
            let cell = 5usize;
            let visible_cols = ((body.width as usize).saturating_sub(name_w + 4) / cell).max(1);
            let first_col = v.col.saturating_sub(visible_cols - 1);
            let mut lines = vec![Line::raw(format!(
                "{:name_w$}  {}",
                "",
                (first_col..k.min(first_col + visible_cols))
                    .map(|j| format!("{:>cell$}", j + 1))
                    .collect::<String>()
            ))];
            let first_row = v
                .row
                .saturating_sub((body.height as usize).saturating_sub(4));
            for i in first_row..k {
                let name: String = co.themes[i].chars().take(name_w).collect();
                let mut spans = vec![Span::raw(for_terminal(
                    &format!("{:>2} {name:<name_w$}", i + 1),
                    false,
                ))];
                for j in first_col..k.min(first_col + visible_cols) {
                    let text = format!("{:>cell$}", co.counts[i][j]);
                    let style = if i == v.row && j == v.col {
                        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
                    } else if i == j {
                        Style::new().add_modifier(Modifier::DIM)
                    } else {
                        Style::new()
                    };
                    spans.push(Span::styled(text, style));
                }
                lines.push(Line::from(spans));
            }
            let a = co.themes.get(v.row).cloned().unwrap_or_default();
            let b = co.themes.get(v.col).cloned().unwrap_or_default();
            let title = format!(
                " Co-occurrence — notes carrying both · arrows move · Enter lists '{}' with '{}' ",
                for_terminal(&a, false),
                for_terminal(&b, false)
            );
            f.render_widget(
                Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
                body,
            );
        }
        3 => {
            let items: Vec<ListItem<'_>> = d
                .ideas
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let cluster = e
                        .note
                        .cluster
                        .as_deref()
                        .map(|c| format!(" [{c}]"))
                        .unwrap_or_default();
                    ListItem::new(for_terminal(
                        &format!(
                            "{:>3}. {:>9}{cluster}  {}  # {}",
                            i + 1,
                            fieldnotes::export::count(e.note.votes as usize, "vote", "votes"),
                            e.text,
                            e.themes.join(", ")
                        ),
                        false,
                    ))
                })
                .collect();
            let list = List::new(items)
                .block(
                    Block::default()
                        .borders(Borders::ALL)
                        .title(" Workshop ideas by votes — Enter opens "),
                )
                .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
                .highlight_symbol("› ");
            f.render_stateful_widget(list, body, &mut list_state(v.row, d.ideas.len()));
        }
        _ => {
            let items: Vec<ListItem<'_>> = v.excerpts.iter().map(excerpt_item).collect();
            let title = format!(
                " {} excerpts for '{}' — Enter opens the note in its session · / new query ",
                v.excerpts.len(),
                for_terminal(&v.query, false)
            );
            let list = List::new(items)
                .block(Block::default().borders(Borders::ALL).title(title))
                .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
                .highlight_symbol("› ");
            f.render_stateful_widget(list, body, &mut list_state(v.row, v.excerpts.len()));
            if v.excerpts.is_empty() {
                f.render_widget(
                    Paragraph::new("No excerpts yet: press / to query, or Enter on a theme.")
                        .wrap(Wrap { trim: true }),
                    Rect::new(body.x + 2, body.y + 1, body.width.saturating_sub(4), 2),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::table::{c, check, k, m};
    use crate::tui::keys::{Action, Section};
    use crossterm::event::{KeyCode, KeyModifiers};

    #[test]
    fn analysis_keys() {
        check(
            Section::Analysis,
            &[
                (k(KeyCode::Tab), Some(Action::NextTab)),
                (
                    m(KeyCode::BackTab, KeyModifiers::SHIFT),
                    Some(Action::PrevTab),
                ),
                (k(KeyCode::Up), Some(Action::Up)),
                (k(KeyCode::PageDown), Some(Action::PageDown)),
                (k(KeyCode::Left), Some(Action::MoveLeft)),
                (k(KeyCode::Right), Some(Action::MoveRight)),
                (k(KeyCode::Enter), Some(Action::Open)),
                (k(KeyCode::Esc), Some(Action::Back)),
                (c('/'), Some(Action::Query)),
                (c('f'), Some(Action::Filter)),
                (c('c'), Some(Action::CountChildren)),
                (c('n'), Some(Action::NewTheme)),
                (c('r'), Some(Action::RenameTheme)),
                (c('m'), Some(Action::MoveTheme)),
                (c('g'), Some(Action::MergeTheme)),
                (c('d'), Some(Action::DeleteTheme)),
                (c('o'), Some(Action::ThemeMemo)),
                (c('?'), Some(Action::Help)),
                (c('C'), None),
            ],
        );
    }
}
