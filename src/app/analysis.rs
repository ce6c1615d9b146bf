//! Analysis: a project's notes loaded once into memory, from which every view is drawn, and
//! the views as they leave the vault.
//!
//! Every output of `analyse` is anonymised like an export by default: [`open`] runs the
//! export's anonymiser over the whole project (with the names found in any of its texts
//! removed from all of them), the views show the export's excerpts, theme names and roles,
//! and [`Analysis::release`] passes the rendered output through the export's leak guard
//! before it is shown. `raw` shows the vault's own text for work inside the vault, and each
//! such output is recorded in the audit trail as raw.

use std::collections::HashMap;

use serde::Serialize;

use super::{AppError, Clock, Result, record};
use crate::analysis::{Cooccurrence, Corpus, Filter, Frequency, Query};
use crate::audit::Action;
use crate::export::{Coding, Excerpt, ExportError, Prepared, Scope};
use crate::vault::Vault;

mod coverage;
pub use coverage::coverages;

/// Loads a project's notes, tags and participants for analysis. Loading is not recorded:
/// [`viewed`] records what was shown from it.
pub fn corpus(v: &Vault, project: &str) -> Result<Corpus> {
    Ok(Corpus::load(v.store(), project)?)
}

/// Records that analysis views of a project (`what`: "excerpts", "frequencies"…) were
/// shown: they carry participants' words and roles.
pub fn viewed(v: &Vault, project: &str, what: &str) -> Result<()> {
    record(
        v,
        Action::Analysis,
        &format!("project {project}: {what} viewed"),
    )
}

/// The anonymiser an export of `project` uses (its participants, people mentioned, allow
/// and deny lists, and every name found in any of its texts), for showing analysis excerpts
/// as they would leave the vault.
pub fn anonymiser(v: &Vault, project: &str) -> Result<crate::anonymise::Anonymiser> {
    Ok(crate::export::project_anonymiser(v.store(), project)?)
}

/// An excerpt as the analysis outputs show it: the export's excerpt, with its field names,
/// and in a raw view the full date.
#[derive(Debug, Clone, Serialize)]
pub struct ShownExcerpt {
    /// The excerpt.
    #[serde(flatten)]
    pub excerpt: Excerpt,
    /// The session's date (YYYY-MM-DD), in raw views only: anonymised views show the month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// The anonymised project behind anonymised views.
struct Anonymised {
    prepared: Box<Prepared>,
    /// Note id → index into the summary's excerpts.
    by_note: HashMap<i64, usize>,
    /// Role as stored → role as shown.
    roles: HashMap<String, String>,
}

/// A project's analysis views, anonymised or raw.
pub struct Analysis {
    /// The notes as loaded (raw: inside the vault only).
    pub corpus: Corpus,
    anonymised: Option<Anonymised>,
    /// Topic guide questions as written, by row id (raw views only).
    raw_questions: HashMap<i64, crate::export::QuestionOut>,
}

impl std::fmt::Debug for Analysis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analysis")
            .field("corpus", &self.corpus)
            .field("raw", &self.is_raw())
            .finish_non_exhaustive()
    }
}

/// Loads a project's analysis views: anonymised as an export of the whole project would be
/// (as of the clock's today), or with `raw` the vault's own text. It only reads; what is
/// shown is recorded by [`Analysis::release`].
pub fn open(v: &Vault, clock: &dyn Clock, project: &str, raw: bool) -> Result<Analysis> {
    let corpus = corpus(v, project)?;
    if raw {
        return Ok(Analysis {
            raw_questions: coverage::raw_questions(v, project)?,
            corpus,
            anonymised: None,
        });
    }
    let scope = Scope {
        project: project.to_owned(),
        ..Scope::default()
    };
    let prepared = crate::export::prepare(v.store(), &scope, &clock.today())?;
    let by_note: HashMap<i64, usize> = prepared
        .summary
        .excerpts
        .iter()
        .enumerate()
        .map(|(i, e)| (e.note_id, i))
        .collect();
    let mut roles = HashMap::new();
    for n in &corpus.notes {
        if let Some(role) = by_note
            .get(&n.id)
            .and_then(|&i| prepared.summary.excerpts[i].role.clone())
        {
            roles.entry(n.group.clone()).or_insert(role);
        }
    }
    Ok(Analysis {
        corpus,
        anonymised: Some(Anonymised {
            prepared: Box::new(prepared),
            by_note,
            roles,
        }),
        raw_questions: HashMap::new(),
    })
}

/// Groups that are words of the app rather than a person's role.
const FIXED_GROUPS: [&str; 3] = ["facilitator", "unattributed", "no role recorded"];

impl Analysis {
    /// Whether the views show the vault's own text.
    pub fn is_raw(&self) -> bool {
        self.anonymised.is_none()
    }

    /// A theme's name as shown, by its index in the codebook.
    pub fn theme_name(&self, i: usize) -> String {
        match &self.anonymised {
            None => self.corpus.themes[i].name.clone(),
            Some(a) => a
                .prepared
                .summary
                .themes
                .get(i)
                .map(|t| t.name.clone())
                .unwrap_or_default(),
        }
    }

    /// A participant group (a role) as shown.
    pub fn group_name(&self, group: &str) -> String {
        match &self.anonymised {
            None => group.to_owned(),
            Some(_) if FIXED_GROUPS.contains(&group) => group.to_owned(),
            Some(a) => a
                .roles
                .get(group)
                .cloned()
                .unwrap_or_else(|| "[role withheld]".to_owned()),
        }
    }

    /// The participant groups present, as shown, sorted.
    pub fn groups(&self) -> Vec<String> {
        let mut g: Vec<String> = self
            .corpus
            .groups()
            .iter()
            .map(|g| self.group_name(g))
            .collect();
        g.sort();
        g.dedup();
        g
    }

    /// Notes by index of the corpus, as shown (a note the export withholds is left out).
    fn shown(&self, idx: &[u32]) -> Vec<ShownExcerpt> {
        idx.iter()
            .filter_map(|&i| {
                let n = &self.corpus.notes[i as usize];
                match &self.anonymised {
                    Some(a) => a.by_note.get(&n.id).map(|&x| ShownExcerpt {
                        excerpt: a.prepared.summary.excerpts[x].clone(),
                        date: None,
                    }),
                    None => Some(self.raw_excerpt(i as usize)),
                }
            })
            .collect()
    }

    fn raw_excerpt(&self, i: usize) -> ShownExcerpt {
        let n = &self.corpus.notes[i];
        let chars = n.text.chars().count();
        let mut themes: Vec<String> = Vec::new();
        let codings = self
            .corpus
            .tags_of(i)
            .into_iter()
            .map(|(theme, span)| {
                themes.push(theme.clone());
                let (start, end) = span.unwrap_or((0, chars));
                Coding { theme, start, end }
            })
            .collect();
        themes.sort();
        themes.dedup();
        ShownExcerpt {
            excerpt: Excerpt {
                note_id: n.id,
                session_id: n.session_id,
                session: n.session.clone(),
                session_kind: n.session_kind,
                month: n.date.get(..7).map(str::to_owned),
                speaker: n.speaker.clone(),
                role: (!matches!(n.group.as_str(), "unattributed" | "no role recorded"))
                    .then(|| n.group.clone()),
                kind: n.kind,
                themes,
                codings,
                text: self.corpus.display_text(i),
                votes: n.votes,
                cluster: n.cluster.clone(),
                // the vault's own words, for work inside the vault
                quote_withheld: None,
                question: n
                    .question_id
                    .and_then(|q| self.raw_questions.get(&q).cloned()),
            },
            date: Some(n.date.clone()),
        }
    }

    /// Coded excerpts matching a theme query and the filter, in session order.
    pub fn excerpts(&self, q: &Query, f: &Filter) -> Result<Vec<ShownExcerpt>> {
        Ok(self.shown(&self.corpus.select(q, f)?))
    }

    /// Workshop ideas, most votes first, with their clusters.
    pub fn ideas(&self, f: &Filter) -> Vec<ShownExcerpt> {
        self.shown(&self.corpus.idea_indexes(f))
    }

    /// Theme × role rows for the themes kept (indexes into the codebook), names as shown.
    pub fn frequencies(&self, f: &Filter, keep: &[usize]) -> Vec<Frequency> {
        let names: Vec<&str> = keep
            .iter()
            .map(|&i| self.corpus.themes[i].name.as_str())
            .collect();
        let mut rows: Vec<Frequency> = self
            .corpus
            .frequencies(f)
            .into_iter()
            .filter(|r| names.contains(&r.theme.as_str()))
            .map(|r| {
                let t = self
                    .corpus
                    .themes
                    .iter()
                    .position(|t| t.name == r.theme)
                    .unwrap_or(0);
                Frequency {
                    theme: self.theme_name(t),
                    group: self.group_name(&r.group),
                    ..r
                }
            })
            .collect();
        // two stored roles may read the same once anonymised: one row each
        let mut merged: Vec<Frequency> = Vec::with_capacity(rows.len());
        for r in rows.drain(..) {
            match merged
                .iter_mut()
                .find(|m| m.theme == r.theme && m.group == r.group)
            {
                Some(m) => {
                    m.excerpts += r.excerpts;
                    m.participants += r.participants;
                }
                None => merged.push(r),
            }
        }
        merged
    }

    /// Theme × theme, names as shown.
    pub fn cooccurrence(&self, f: &Filter, overlap: bool) -> Cooccurrence {
        let mut co = self.corpus.cooccurrence(f, overlap);
        co.themes = (0..co.themes.len()).map(|i| self.theme_name(i)).collect();
        co
    }

    /// Lets an output of these views leave: an anonymised one once the export's leak guard
    /// has read all of `text` (refused, and recorded as refused, if it finds a registered
    /// name or an identifier from the notes); a raw one recorded as raw. `what` names the
    /// view ("excerpts"…), `to` where it goes ("standard output", a path).
    pub fn release(&self, v: &Vault, what: &str, format: &str, to: &str, text: &str) -> Result<()> {
        let project = &self.corpus.project;
        let Some(a) = &self.anonymised else {
            return record(
                v,
                Action::AnalysisRaw,
                &format!(
                    "project {project}: {what} shown raw (--raw: identifiers as written), format {format}, to {to}"
                ),
            );
        };
        match a.prepared.check(&format!("the {what}"), text) {
            Ok(()) => viewed(v, project, what),
            Err(ExportError::Leak {
                what: found,
                location,
                context,
            }) => {
                record(
                    v,
                    Action::Analysis,
                    &format!("project {project}: {what} refused by the leak guard"),
                )?;
                Err(AppError::AnalysisRefused {
                    what: found,
                    location,
                    context,
                })
            }
            Err(e) => Err(e.into()),
        }
    }
}
