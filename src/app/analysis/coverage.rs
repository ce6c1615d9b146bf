//! Topic guide coverage as the analysis views show it: the question × session matrix and
//! the notes answering a question, anonymised like every other view (the guide's texts and
//! the session titles as the export shows them) unless raw.

use std::collections::HashMap;

use super::{Analysis, ShownExcerpt};
use crate::analysis::{Corpus, Coverage, Filter};
use crate::app::{AppError, Result};
use crate::export::QuestionOut;
use crate::model::GuideSummary;
use crate::vault::Vault;

/// The project's topic guide questions as written, by row id, for raw views.
pub(super) fn raw_questions(v: &Vault, project: &str) -> Result<HashMap<i64, QuestionOut>> {
    let mut out = HashMap::new();
    for g in v.store().project_guide_versions(project)? {
        for q in &g.questions {
            out.insert(
                q.id,
                QuestionOut {
                    id: q.id,
                    guide: g.guide.clone(),
                    version: g.number,
                    number: q.position,
                    section: q.section.clone(),
                    text: q.text.clone(),
                },
            );
        }
    }
    Ok(out)
}

/// The guide a coverage view is of: the one named (case aside), else the project's only one.
fn choose(guides: &[GuideSummary], name: Option<&str>, project: &str) -> Result<GuideSummary> {
    let listed = || {
        guides
            .iter()
            .map(|g| format!("'{}'", crate::text::for_terminal(&g.name, false)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (name.map(str::trim), guides) {
        (_, []) => Err(AppError::Guide(format!(
            "project {project} has no topic guide: import one with `fieldnotes guide import FILE --project {project}`"
        ))),
        (Some(n), _) => guides
            .iter()
            .find(|g| g.name.trim().eq_ignore_ascii_case(n))
            .cloned()
            .ok_or_else(|| {
                AppError::Guide(format!(
                    "no topic guide named '{}' in project {project}: its guides are {}",
                    crate::text::for_terminal(n, false),
                    listed()
                ))
            }),
        (None, [one]) => Ok(one.clone()),
        (None, _) => Err(AppError::Guide(format!(
            "project {project} has {} topic guides ({}): choose one with --guide NAME",
            guides.len(),
            listed()
        ))),
    }
}

/// One guide's question × session matrix over a corpus, texts as written.
fn of_guide(v: &Vault, corpus: &Corpus, guide: &GuideSummary, f: &Filter) -> Result<Coverage> {
    let s = v.store();
    let versions = s.guide_versions(guide.id)?;
    let followers = s.guide_followers(&corpus.project, guide.id)?;
    Ok(corpus.coverage(&versions, &followers, f))
}

/// The question × session matrix of every topic guide of a corpus's project, in the order
/// the guides are listed, texts as written (the app anonymises what it shows itself).
pub fn coverages(v: &Vault, corpus: &Corpus, f: &Filter) -> Result<Vec<Coverage>> {
    v.store()
        .guide_list(&corpus.project)?
        .iter()
        .map(|g| of_guide(v, corpus, g, f))
        .collect()
}

impl Analysis {
    /// The names of the project's topic guides, as stored (to choose one by).
    pub fn guide_names(&self, v: &Vault) -> Result<Vec<String>> {
        Ok(v.store()
            .guide_list(&self.corpus.project)?
            .into_iter()
            .map(|g| g.name)
            .collect())
    }

    /// A guide's question × session matrix (`guide`: its name, or `None` for the project's
    /// only guide), texts as shown.
    pub fn coverage(&self, v: &Vault, guide: Option<&str>, f: &Filter) -> Result<Coverage> {
        let project = &self.corpus.project;
        let s = v.store();
        let chosen = choose(&s.guide_list(project)?, guide, project)?;
        let mut cov = of_guide(v, &self.corpus, &chosen, f)?;
        let Some(a) = &self.anonymised else {
            return Ok(cov);
        };
        let summary = &a.prepared.summary;
        let questions: HashMap<i64, &QuestionOut> = summary
            .guides
            .iter()
            .flat_map(|g| g.questions.iter().map(|q| (q.id, q)))
            .collect();
        cov.guide = summary
            .guides
            .iter()
            .find(|g| g.guide_id == chosen.id)
            .map(|g| g.name.clone())
            .unwrap_or_default();
        for row in &mut cov.questions {
            let shown = row.ids.first().and_then(|(_, q)| questions.get(q));
            row.section = shown.map(|q| q.section.clone()).unwrap_or_default();
            row.text = shown.map(|q| q.text.clone()).unwrap_or_default();
        }
        let titles: HashMap<i64, (&str, Option<&String>)> = summary
            .sessions
            .iter()
            .map(|x| (x.id, (x.title.as_str(), x.month.as_ref())))
            .collect();
        for col in &mut cov.sessions {
            let (title, month) = titles
                .get(&col.id)
                .copied()
                .unwrap_or(("[session withheld]", None));
            col.title = title.to_owned();
            col.month = month.cloned();
            col.date = None;
        }
        Ok(cov)
    }

    /// The notes answering row `q` of a coverage matrix (of one session, or of every
    /// session), as excerpts are shown.
    pub fn question_excerpts(
        &self,
        cov: &Coverage,
        q: usize,
        session: Option<i64>,
    ) -> Vec<ShownExcerpt> {
        self.shown(&cov.notes_of(q, session, &self.corpus))
    }
}
