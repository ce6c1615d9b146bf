//! The analysis screen: codebook (tree, counts, memo; rename, move, merge, delete), theme ×
//! group frequencies with bars, the co-occurrence matrix (a cell lists its excerpts), ideas
//! by votes, and excerpts (Enter reads one in full, its coded spans marked; Enter again opens
//! the note in its session). Texts show as an export would (anonymised) unless the user asks
//! for the vault's real text, and the screen always says which.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, Paragraph, Wrap};

use super::move_selection;
use super::prompt::{CodebookPrompt, Prompt, PromptFor};
use crate::tui::app::{Screen, State};
use crate::tui::keys::Action;
use crate::tui::ui::{bold, list_state};
use crate::tui::worker::{AnalysisData, CodebookOp, Request, Shown};
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
    pub excerpts: Vec<Shown>,
    /// Show the vault's real text rather than the anonymised text.
    pub real: bool,
    /// The excerpt (or idea) being read in full: its row in the current tab's list.
    pub open: Option<usize>,
    /// How far the excerpt being read is scrolled down.
    pub detail_scroll: u16,
    /// The tab, row and column Enter asked for the excerpts from: Esc on the excerpts goes
    /// back there rather than out of the analysis.
    pub asked_from: Option<(usize, usize, usize)>,
}

impl AnalysisView {
    fn list(&self) -> &[Shown] {
        if self.tab == 3 {
            &self.data.ideas
        } else {
            &self.excerpts
        }
    }

    /// The text to show of an excerpt, and its coded spans in that text.
    pub fn text_of<'a>(&self, e: &'a Shown) -> (&'a str, &'a [(String, usize, usize)]) {
        if self.real {
            (&e.excerpt.note.text, &e.excerpt.spans)
        } else {
            (&e.anonymised, &e.anonymised_spans)
        }
    }
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
                real: false,
                open: None,
                detail_scroll: 0,
                asked_from: None,
            })
        }
    }
    s.screen = Screen::Analysis;
}

/// Excerpts arrived for a query.
pub fn excerpts(s: &mut State, q: String, list: Vec<Shown>) {
    if let Some(v) = s.analysis.as_mut() {
        // a new query shows its excerpts; the same query again (after a filter change)
        // refreshes them where the user is
        if v.query != q {
            v.tab = 4;
            v.row = 0;
            v.open = None;
        }
        if v.open.is_some_and(|i| i >= list.len()) {
            v.open = None;
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
    if action == Some(Action::RealText) {
        v.real = !v.real;
        s.message = Some(if v.real {
            "Showing the vault's real text (names as typed); t anonymises again.".into()
        } else {
            "Showing the anonymised text, as an export would.".into()
        });
        return;
    }
    if let Some(i) = v.open {
        // reading one excerpt in full: the arrows scroll it, Esc goes back to the list
        match action {
            Some(Action::Up) => v.detail_scroll = v.detail_scroll.saturating_sub(1),
            Some(Action::Down) => v.detail_scroll = v.detail_scroll.saturating_add(1),
            Some(Action::PageUp) => v.detail_scroll = v.detail_scroll.saturating_sub(10),
            Some(Action::PageDown) => v.detail_scroll = v.detail_scroll.saturating_add(10),
            Some(Action::Back) => v.open = None,
            Some(Action::Open) => {
                if let Some(e) = v.list().get(i) {
                    s.back_to_analysis = true;
                    s.focus_note = Some(e.excerpt.note.id);
                    reqs.push(Request::OpenSession(e.excerpt.note.session_id));
                }
            }
            Some(Action::NextTab | Action::PrevTab) => {
                v.open = None;
                return on_action(s, action, reqs);
            }
            _ => {}
        }
        return;
    }
    if move_selection(&mut v.row, n, action) {
        return;
    }
    let Some(action) = action else { return };
    match action {
        Action::NextTab => {
            v.tab = (v.tab + 1) % TABS.len();
            v.row = 0;
            v.asked_from = None;
        }
        Action::PrevTab => {
            v.tab = (v.tab + TABS.len() - 1) % TABS.len();
            v.row = 0;
            v.asked_from = None;
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
                    v.asked_from = Some((v.tab, v.row, v.col));
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
                    v.asked_from = Some((v.tab, v.row, v.col));
                    v.query.clear();
                    reqs.push(Request::AnalysisQuery(project, q, filter));
                }
            }
            _ => {
                if v.row < v.list().len() {
                    v.open = Some(v.row);
                    v.detail_scroll = 0;
                }
            }
        },
        Action::Back if v.tab == 4 && v.asked_from.is_some() => {
            if let Some((tab, row, col)) = v.asked_from.take() {
                (v.tab, v.row, v.col) = (tab, row, col);
            }
        }
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
                Err(e) => s.message = Some(e.to_string()),
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

fn excerpt_item(v: &AnalysisView, e: &Shown, width: u16) -> ListItem<'static> {
    let x = &e.excerpt;
    let who = match &x.note.speaker {
        Some(sp) => format!("{sp}, {}", x.note.group),
        None => x.note.group.clone(),
    };
    let (text, _) = v.text_of(e);
    // one line of the text in the list: Enter reads it in full
    let room = usize::from(width.saturating_sub(6)).max(1);
    let flat = for_terminal(&text.replace('\n', " "), false);
    let line = if unicode_width::UnicodeWidthStr::width(flat.as_str()) > room {
        let mut cut = String::new();
        for ch in flat.chars() {
            if unicode_width::UnicodeWidthStr::width(cut.as_str()) + 2 > room {
                break;
            }
            cut.push(ch);
        }
        format!("{cut}…")
    } else {
        flat
    };
    ListItem::new(vec![
        Line::from(vec![
            Span::styled(
                for_terminal(
                    &format!("{} · {} · {}", x.note.session, x.note.date, who),
                    false,
                ),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::raw(for_terminal(&format!("  # {}", x.themes.join(", ")), false)),
        ]),
        Line::raw(format!("  {line}")),
    ])
}

/// `text` with its coded spans marked `⟦…⟧Theme` and highlighted, one line per paragraph.
pub fn marked(text: &str, spans: &[(String, usize, usize)]) -> Vec<Line<'static>> {
    let chars: Vec<char> = text.chars().collect();
    let hi = Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD);
    let inside = |i: usize| spans.iter().any(|(_, a, b)| *a <= i && i < *b);
    let mut lines = vec![Line::default()];
    let mut cur = String::new();
    let mut cur_in = false;
    let flush = |lines: &mut Vec<Line<'static>>, cur: &mut String, on: bool| {
        for (k, part) in std::mem::take(cur).split('\n').enumerate() {
            if k > 0 {
                lines.push(Line::default());
            }
            if !part.is_empty()
                && let Some(l) = lines.last_mut()
            {
                let t = for_terminal(part, false);
                l.spans.push(if on {
                    Span::styled(t, hi)
                } else {
                    Span::raw(t)
                });
            }
        }
    };
    for i in 0..=chars.len() {
        let now_in = i < chars.len() && inside(i);
        let ends: Vec<String> = spans
            .iter()
            .filter(|(_, a, b)| *b == i && b > a)
            .map(|(t, ..)| for_terminal(t, false))
            .collect();
        if now_in != cur_in || !ends.is_empty() {
            flush(&mut lines, &mut cur, cur_in);
            if let Some(l) = lines.last_mut() {
                if !ends.is_empty() {
                    l.spans
                        .push(Span::styled(format!("⟧{}", ends.join("+")), bold()));
                }
                if now_in && (!cur_in || !ends.is_empty()) {
                    l.spans.push(Span::styled("⟦", bold()));
                }
            }
            cur_in = now_in;
        }
        if let Some(c) = chars.get(i) {
            cur.push(*c);
        }
    }
    flush(&mut lines, &mut cur, cur_in);
    lines
}

/// The keys of the current view, in words, for the line under it.
fn hints(v: &AnalysisView) -> String {
    let text = if v.real { "t anonymise" } else { "t real text" };
    if v.open.is_some() {
        return format!("↑↓ scroll · Enter open in its session · {text} · Esc back to the list");
    }
    let view = match (v.open, v.tab) {
        (_, 0) => "Enter excerpts · n new · r rename · m move · g merge into · d delete · o memo"
            .to_owned(),
        (_, 1) => "Enter excerpts".to_owned(),
        (_, 2) => "arrows move (the matrix scrolls) · Enter the notes with both".to_owned(),
        (_, _) => "Enter read in full".to_owned(),
    };
    let narrowed = v.data.filter.describe();
    let filter = if narrowed.is_empty() {
        String::new()
    } else {
        format!(" [{}]", for_terminal(&narrowed, false))
    };
    format!("{view} · Tab next view · / query · f filter{filter} · c children · {text} · Esc back")
}

/// Draws the analysis screen.
pub fn draw(f: &mut Frame<'_>, area: Rect, s: &State) {
    let Some(v) = &s.analysis else { return };
    let hint = hints(v);
    let hint_rows = crate::tui::ui::rows(&hint, area.width.saturating_add(2)).min(3);
    let [tabs, body, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(hint_rows),
    ])
    .areas(area);
    let mut spans = Vec::new();
    for (i, t) in TABS.iter().enumerate() {
        let style = if i == v.tab {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new()
        };
        spans.push(Span::styled(format!(" {t} "), style));
    }
    spans.push(Span::raw(" "));
    // which text shows is stated on screen, for whoever is looking
    spans.push(if v.real {
        Span::styled(
            "REAL TEXT (names shown)",
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    } else {
        Span::styled("anonymised text", bold())
    });
    f.render_widget(Paragraph::new(Line::from(spans)), tabs);
    f.render_widget(Paragraph::new(hint).wrap(Wrap { trim: true }), keys);
    if let Some(e) = v.open.and_then(|i| v.list().get(i)) {
        draw_detail(f, body, v, e);
        return;
    }
    match v.tab {
        0 => draw_codebook(f, body, v),
        1 => draw_frequencies(f, body, v),
        2 => draw_cooccurrence(f, body, v),
        3 => draw_ideas(f, body, v),
        _ => draw_excerpts(f, body, v),
    }
}

/// The codebook tree with each theme's count and memo.
fn draw_codebook(f: &mut Frame<'_>, body: Rect, v: &AnalysisView) {
    let d = &v.data;
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
        .block(Block::default().borders(Borders::ALL).title(" Codebook "))
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("› ");
    f.render_stateful_widget(list, body, &mut list_state(v.row, d.themes.len()));
}

/// Notes per theme as bars, with the counts by group wrapped under each.
fn draw_frequencies(f: &mut Frame<'_>, body: Rect, v: &AnalysisView) {
    let d = &v.data;
    let max = d.themes.iter().map(|x| x.1).max().unwrap_or(1).max(1);
    let name_w = d
        .themes
        .iter()
        .map(|(t, _)| t.name.chars().count())
        .max()
        .unwrap_or(5)
        .min(30)
        .min(usize::from(body.width / 3));
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
            let mut lines = vec![Line::raw(for_terminal(
                &format!(
                    "{name:<name_w$} {n:>5} {}",
                    "█".repeat((n * bar_w).div_ceil(max))
                ),
                false,
            ))];
            // the groups wrap under the bar rather than run off a narrow screen
            let indent = 4;
            let room = usize::from(body.width.saturating_sub(4)).saturating_sub(indent);
            for l in crate::tui::ui::wrap(&groups.join(" · "), room) {
                lines.push(Line::raw(for_terminal(
                    &format!("{:indent$}{l}", ""),
                    false,
                )));
            }
            ListItem::new(lines)
        })
        .collect();
    let list = List::new(items)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Frequencies — notes per theme; by group: notes (distinct participants) "),
        )
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("› ");
    f.render_stateful_widget(list, body, &mut list_state(v.row, d.themes.len()));
}

/// The theme × theme matrix, scrolled to keep the cursor cell in view.
fn draw_cooccurrence(f: &mut Frame<'_>, body: Rect, v: &AnalysisView) {
    let d = &v.data;
    let co = &d.cooccurrence;
    let k = co.themes.len();
    let name_w = co
        .themes
        .iter()
        .map(|t| t.chars().count())
        .max()
        .unwrap_or(4)
        .min(24)
        .min(usize::from(body.width / 3));
    let cell = 5usize;
    let visible_cols = ((body.width as usize).saturating_sub(name_w + 6) / cell).max(1);
    let first_col = v.col.saturating_sub(visible_cols - 1);
    let last_col = k.min(first_col + visible_cols);
    let mut lines = vec![Line::raw(format!(
        "{:w$}{}{}",
        "",
        (first_col..last_col)
            .map(|j| format!("{:>cell$}", j + 1))
            .collect::<String>(),
        // the matrix is wider than the screen: say which columns show
        if first_col > 0 || last_col < k {
            format!("  ◂ columns {}–{} of {k} ▸", first_col + 1, last_col)
        } else {
            String::new()
        },
        w = name_w + 3
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
        for j in first_col..last_col {
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
        " Co-occurrence: '{}' with '{}' ",
        for_terminal(&a, false),
        for_terminal(&b, false)
    );
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        body,
    );
}

/// Workshop ideas, most votes first.
fn draw_ideas(f: &mut Frame<'_>, body: Rect, v: &AnalysisView) {
    let d = &v.data;
    let items: Vec<ListItem<'_>> = d
        .ideas
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let x = &e.excerpt;
            let cluster = x
                .note
                .cluster
                .as_deref()
                .map(|c| format!(" [{c}]"))
                .unwrap_or_default();
            let votes = if x.note.votes == 1 { "vote" } else { "votes" };
            ListItem::new(for_terminal(
                &format!(
                    "{:>3}. {:>3} {votes}{cluster}  {}  # {}",
                    i + 1,
                    x.note.votes,
                    v.text_of(e).0,
                    x.themes.join(", ")
                ),
                false,
            ))
        })
        .collect();
    let list = List::new(items)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Workshop ideas by votes "),
        )
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("› ");
    f.render_stateful_widget(list, body, &mut list_state(v.row, d.ideas.len()));
}

/// The excerpts of the last query.
fn draw_excerpts(f: &mut Frame<'_>, body: Rect, v: &AnalysisView) {
    let items: Vec<ListItem<'_>> = v
        .excerpts
        .iter()
        .map(|e| excerpt_item(v, e, body.width))
        .collect();
    let n = v.excerpts.len();
    let title = format!(
        " {n} excerpt{} for '{}' ",
        if n == 1 { "" } else { "s" },
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

/// One excerpt in full: who, when, its themes, and its text with the coded spans marked.
fn draw_detail(f: &mut Frame<'_>, area: Rect, v: &AnalysisView, e: &Shown) {
    let x = &e.excerpt;
    let who = match &x.note.speaker {
        Some(sp) => format!("{sp}, {}", x.note.group),
        None => x.note.group.clone(),
    };
    let (text, spans) = v.text_of(e);
    let mut lines = vec![
        Line::styled(
            for_terminal(
                &format!(
                    "{} · {} · {} · {}",
                    x.note.session, x.note.date, who, x.note.kind
                ),
                false,
            ),
            bold(),
        ),
        Line::raw(for_terminal(
            &format!("Themes: {}", x.themes.join(", ")),
            false,
        )),
        Line::raw(""),
    ];
    lines.extend(marked(text, spans));
    let list_len = v.list().len();
    let title = format!(
        " {} {} of {list_len} ",
        if v.tab == 3 { "Idea" } else { "Excerpt" },
        v.open.unwrap_or(0) + 1,
    );
    f.render_widget(
        Paragraph::new(lines)
            .block(Block::default().borders(Borders::ALL).title(title))
            .wrap(Wrap { trim: false })
            .scroll((v.detail_scroll, 0)),
        area,
    );
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
