//! The analysis screen: codebook (tree, counts, memo; rename, move, merge, delete), theme ×
//! group frequencies with bars, the co-occurrence matrix (a cell lists its excerpts), ideas
//! by votes, and excerpts (Enter reads one in full, its coded spans marked; Enter again opens
//! the note in its session), and topic guide coverage (a question × session matrix; a cell
//! lists its excerpts). Texts show as an export would (anonymised) unless the user asks
//! for the vault's real text, and the screen always says which.

mod coverage;
mod draw;

pub use draw::draw;

use super::move_selection;
use super::prompt::{CodebookPrompt, Prompt, PromptFor};
use crate::tui::app::{Screen, State};
use crate::tui::keys::Action;
use crate::tui::worker::{AnalysisData, CodebookOp, Request, Shown};
use fieldnotes::text::for_terminal;

/// The tabs, in order.
pub const TABS: [&str; 6] = [
    "Codebook",
    "Frequencies",
    "Co-occurrence",
    "Ideas",
    "Excerpts",
    "Coverage",
];

/// The coverage view's place in [`TABS`].
pub const COVERAGE: usize = 5;

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
    /// The topic guide the coverage view shows: its place in the data's list.
    pub guide: usize,
    /// The coverage cell whose excerpts are listed (guide, row, session), for a filter
    /// change to list them again.
    pub question: Option<(usize, usize, i64)>,
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
            v.guide = v.guide.min(data.coverage.len().saturating_sub(1));
            v.data = data;
            if v.tab == COVERAGE {
                coverage::clamp(v);
            }
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
                guide: 0,
                question: None,
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
        COVERAGE => coverage::rows(v),
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
        Action::NextTab | Action::PrevTab => {
            let step = if action == Action::NextTab {
                1
            } else {
                TABS.len() - 1
            };
            v.tab = (v.tab + step) % TABS.len();
            v.row = 0;
            v.asked_from = None;
            if v.tab == COVERAGE {
                v.col = 0;
            }
        }
        Action::MoveLeft if v.tab == 2 => v.col = v.col.saturating_sub(1),
        Action::MoveRight if v.tab == 2 => v.col = (v.col + 1).min(n.saturating_sub(1)),
        Action::MoveLeft | Action::MoveRight | Action::NextGuide | Action::Open
            if v.tab == COVERAGE =>
        {
            if let Some(message) = coverage::on_action(v, action, reqs) {
                s.message = Some(message);
            }
        }
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
                    v.question = None;
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
                    v.question = None;
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
                v.question = None;
            }
            reqs.push(Request::AnalysisQuery(project, text, filter));
            return;
        }
        PromptFor::AnalysisFilter => {
            match fieldnotes::analysis::Filter::parse(&text) {
                Ok(f) => {
                    s.busy = Some("Counting…".into());
                    if let Some((guide, row, session)) = v.question {
                        reqs.push(Request::AnalysisQuestion {
                            project: project.clone(),
                            guide,
                            row,
                            session,
                            filter: f.clone(),
                        });
                    } else if !v.query.is_empty() {
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
                (c('G'), Some(Action::NextGuide)),
                (c('C'), None),
            ],
        );
    }
}
