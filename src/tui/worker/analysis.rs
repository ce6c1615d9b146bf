//! The analysis views as the worker answers them: a project's corpus, loaded once and kept
//! while only analysis is asked for, and excerpts anonymised here, off the keystroke path.

use fieldnotes::app::{self, AppError};
use fieldnotes::vault::Vault;

use super::{Reply, Request};

/// The analysis views of one project.
#[derive(Debug, Clone)]
pub struct AnalysisData {
    /// Project.
    pub project: String,
    /// The filter the views are narrowed by (children counted under parents, group…).
    pub filter: fieldnotes::analysis::Filter,
    /// The codebook in tree order with the number of notes carrying each theme.
    pub themes: Vec<(fieldnotes::model::Theme, usize)>,
    /// Theme × group.
    pub frequencies: Vec<fieldnotes::analysis::Frequency>,
    /// Theme × theme.
    pub cooccurrence: fieldnotes::analysis::Cooccurrence,
    /// Workshop ideas by votes.
    pub ideas: Vec<Shown>,
    /// Each topic guide's question × session matrix, in the order the guides are listed.
    pub coverage: Vec<CoverageShown>,
}

/// A topic guide's coverage with its texts as the screen shows them: as written, and
/// through the export's anonymiser (the default).
#[derive(Debug, Clone)]
pub struct CoverageShown {
    /// The matrix, its texts as written.
    pub coverage: fieldnotes::analysis::Coverage,
    /// The guide's name, anonymised.
    pub guide: String,
    /// Per row: "section — question", anonymised.
    pub questions: Vec<String>,
    /// Per column: the session's title, anonymised.
    pub sessions: Vec<String>,
}

impl CoverageShown {
    fn new(
        coverage: fieldnotes::analysis::Coverage,
        anon: &fieldnotes::anonymise::Anonymiser,
    ) -> Self {
        let hide = |t: &str| fieldnotes::anonymise::apply(t, &anon.substitutions(t));
        CoverageShown {
            guide: hide(&coverage.guide),
            questions: coverage
                .questions
                .iter()
                .map(|q| hide(&question_line(&q.section, &q.text)))
                .collect(),
            sessions: coverage.sessions.iter().map(|c| hide(&c.title)).collect(),
            coverage,
        }
    }
}

/// A question with its section, as the coverage legend shows it.
pub fn question_line(section: &str, text: &str) -> String {
    if section.is_empty() {
        text.to_owned()
    } else {
        format!("{section} — {text}")
    }
}

/// An excerpt with its text as an export would show it: the screen shows this unless the
/// user asks for the vault's real text.
#[derive(Debug, Clone)]
pub struct Shown {
    /// The excerpt (its note holds the real text).
    pub excerpt: fieldnotes::analysis::Excerpt,
    /// The note's text through the export's anonymiser.
    pub anonymised: String,
    /// The coded spans, in characters of [`Shown::anonymised`].
    pub anonymised_spans: Vec<(String, usize, usize)>,
}

/// Anonymises excerpts for the screen, here rather than in drawing: the anonymiser is far
/// too slow for a frame.
pub(crate) fn shown(
    anon: &fieldnotes::anonymise::Anonymiser,
    list: Vec<fieldnotes::analysis::Excerpt>,
) -> Vec<Shown> {
    list.into_iter()
        .map(|excerpt| {
            // a quote its speaker did not agree to (or has not approved) shows as the marker
            // outputs carry, its themes coding the whole marker
            if let Some(w) = excerpt.quote_withheld {
                let anonymised = w.marker(excerpt.note.speaker.as_deref().unwrap_or("the speaker"));
                let end = anonymised.chars().count();
                let anonymised_spans = excerpt
                    .spans
                    .iter()
                    .map(|(t, _, _)| (t.clone(), 0, end))
                    .collect();
                return Shown {
                    excerpt,
                    anonymised,
                    anonymised_spans,
                };
            }
            let text = &excerpt.note.text;
            let subs = anon.substitutions(text);
            let anonymised = fieldnotes::anonymise::apply(text, &subs);
            let anonymised_spans = excerpt
                .spans
                .iter()
                .map(|(t, a, b)| {
                    let (a, b) = map_span(text, &subs, *a, *b);
                    (t.clone(), a, b)
                })
                .collect();
            Shown {
                excerpt,
                anonymised,
                anonymised_spans,
            }
        })
        .collect()
}

/// A span of `text` (characters `a..b`) in the text after `subs`: a span boundary inside a
/// replaced word widens to take the whole replacement, so the coded part stays covered.
pub(crate) fn map_span(
    text: &str,
    subs: &[fieldnotes::anonymise::Substitution],
    a: usize,
    b: usize,
) -> (usize, usize) {
    let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(i, _)| i);
    let (a, b) = (byte(a), byte(b.max(a)));
    // walk the text and its anonymised form together, in characters
    let mut at = 0; // byte in `text`
    let mut out = 0; // characters in the output
    let (mut na, mut nb) = (None, None);
    let chars = |s: &str| s.chars().count();
    for s in subs {
        if na.is_none() && a < s.start {
            na = Some(out + chars(&text[at..a]));
        }
        if nb.is_none() && b <= s.start {
            nb = Some(out + chars(&text[at..b]));
        }
        out += chars(&text[at..s.start]);
        if na.is_none() && a < s.end {
            na = Some(out);
        }
        out += chars(&s.replacement);
        if nb.is_none() && b <= s.end && b > s.start {
            nb = Some(out);
        }
        at = s.end;
    }
    let na = na.unwrap_or_else(|| out + chars(&text[at..a.max(at)]));
    let nb = nb.unwrap_or_else(|| out + chars(&text[at..b.max(at)]));
    (na, nb.max(na))
}

pub(super) fn analysis(
    v: &Vault,
    project: &str,
    f: fieldnotes::analysis::Filter,
) -> Result<Reply, AppError> {
    Ok(Reply::Analysis(Box::new(analysis_data(v, project, f)?)))
}

/// Loads a project's corpus for the analysis views, recording that they were opened: the
/// CLI records each analysis it shows, and the app records each time it loads a project's
/// notes for them (not each view or filter switched to afterwards, which reads no more).
pub(super) fn load_corpus(
    v: &Vault,
    project: &str,
) -> Result<fieldnotes::analysis::Corpus, AppError> {
    let c = app::analysis::corpus(v, project)?;
    app::analysis::viewed(v, project, "analysis views in the app")?;
    Ok(c)
}

/// Answers an analysis request from a loaded corpus.
pub(crate) fn from_corpus(
    v: &Vault,
    c: &fieldnotes::analysis::Corpus,
    anon: &fieldnotes::anonymise::Anonymiser,
    req: Request,
) -> Result<Reply, AppError> {
    match req {
        Request::AnalysisQuery(_, q, f) => {
            let query = fieldnotes::analysis::Query::parse(&q).map_err(AppError::Query)?;
            let idx = c.select(&query, &f)?;
            Ok(Reply::Excerpts(q, shown(anon, c.excerpts(&idx))))
        }
        Request::Analysis(_, f) => Ok(Reply::Analysis(Box::new(views(v, c, anon, f)?))),
        Request::AnalysisQuestion {
            guide,
            row,
            session,
            filter,
            ..
        } => {
            let covs = app::analysis::coverages(v, c, &filter)?;
            let Some(cov) = covs.get(guide) else {
                return Err(AppError::Guide(
                    "that topic guide is no longer in the project: press Esc and open the analysis again".into(),
                ));
            };
            let idx = cov.notes_of(row, Some(session), c);
            Ok(Reply::Excerpts(
                question_label(cov, row, session),
                shown(anon, c.excerpts(&idx)),
            ))
        }
        // only analysis requests are routed here
        _ => Ok(Reply::Failed("not an analysis request".into())),
    }
}

/// The analysis views of a project, after a codebook change made while they were open
/// (so already recorded as viewed).
pub(crate) fn analysis_data(
    v: &Vault,
    project: &str,
    f: fieldnotes::analysis::Filter,
) -> Result<AnalysisData, AppError> {
    let anon = app::analysis::anonymiser(v, project)?;
    views(v, &app::analysis::corpus(v, project)?, &anon, f)
}

/// What the excerpts of one coverage cell are listed as: "Q3 in S12".
fn question_label(cov: &fieldnotes::analysis::Coverage, row: usize, session: i64) -> String {
    let n = cov.questions.get(row).map_or(row + 1, |q| q.number);
    format!("Q{n} in S{session}")
}

fn views(
    v: &Vault,
    c: &fieldnotes::analysis::Corpus,
    anon: &fieldnotes::anonymise::Anonymiser,
    f: fieldnotes::analysis::Filter,
) -> Result<AnalysisData, AppError> {
    let themes = c
        .themes
        .iter()
        .map(|t| {
            let q = fieldnotes::analysis::Query::Theme(t.name.clone());
            let n = c.select(&q, &f).map(|x| x.len()).unwrap_or(0);
            (t.clone(), n)
        })
        .collect();
    let coverage = app::analysis::coverages(v, c, &f)?
        .into_iter()
        .map(|cov| CoverageShown::new(cov, anon))
        .collect();
    Ok(AnalysisData {
        project: c.project.clone(),
        themes,
        frequencies: c.frequencies(&f),
        cooccurrence: c.cooccurrence(&f, false),
        ideas: shown(anon, c.ideas(&f)),
        filter: f,
        coverage,
    })
}
