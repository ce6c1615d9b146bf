//! Thematic analysis over one project: coded excerpts by theme query, theme × participant
//! group frequencies, theme × theme co-occurrence, and workshop ideas by votes.
//!
//! A [`Corpus`] is loaded once (two queries) and every view is computed from it in memory
//! with sorted note-index sets, so views stay fast on large vaults; the TUI keeps one corpus
//! per project and reloads it after writes. Restricted people's notes are never loaded, and
//! excerpt texts show pseudonyms in place of registered names.

mod coverage;
mod query;

pub use coverage::{Coverage, CoverageQuestion, CoverageSession, NOT_ASKED, cell_text};

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

pub use query::{Query, QueryError};

pub use crate::store::NoteRow;

use crate::anonymise::{Anonymiser, Registry};
use crate::mentions::AnonymiserNames;
use crate::model::{NoteKind, SessionKind, Theme};
use crate::store::{Result, Store, StoreError};

/// Narrowing of every view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this participant group (case-insensitive).
    pub group: Option<String>,
    /// Only this kind of session.
    pub session_kind: Option<SessionKind>,
    /// Only notes on or after this date (YYYY-MM-DD).
    pub from: Option<String>,
    /// Only notes on or before this date.
    pub to: Option<String>,
    /// A theme counts the notes tagged with any theme under it too.
    pub children: bool,
}

/// A filter that does not read as `key=value` pairs of known keys.
#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    /// A part with no `=`.
    #[error("'{0}' is not key=value: use role=, kind=, from=, to=, children=")]
    NotKeyValue(String),
    /// A key the filter does not know.
    #[error("'{0}' is not a filter: use role, kind, from, to or children")]
    UnknownKey(String),
    /// A session kind that does not exist.
    #[error(transparent)]
    Kind(#[from] crate::model::ParseEnumError),
    /// A date not written as YYYY-MM-DD.
    #[error(transparent)]
    Date(#[from] crate::model::BadDate),
    /// A period whose start is after its end.
    #[error("the period runs backwards: from {from} is after to {to}; swap the two dates")]
    Backwards {
        /// The start given.
        from: String,
        /// The end given.
        to: String,
    },
}

impl Filter {
    /// Parses `role=security officer, kind=interview, from=2024-01-01, to=2024-06-30,
    /// children=yes` (any subset, in any order; empty clears every filter).
    pub fn parse(s: &str) -> std::result::Result<Filter, FilterError> {
        let mut f = Filter::default();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| FilterError::NotKeyValue(part.to_owned()))?;
            let v = v.trim();
            match k.trim().to_ascii_lowercase().as_str() {
                "role" | "group" => f.group = Some(v.to_owned()),
                "kind" => f.session_kind = Some(v.parse()?),
                "from" => f.from = Some(crate::model::parse_date(v)?),
                "to" => f.to = Some(crate::model::parse_date(v)?),
                "children" => f.children = matches!(v, "yes" | "on" | "true" | "1"),
                other => return Err(FilterError::UnknownKey(other.to_owned())),
            }
        }
        f.checked()
    }

    /// The filter, refused when its period runs backwards.
    pub fn checked(self) -> std::result::Result<Filter, FilterError> {
        match (&self.from, &self.to) {
            (Some(from), Some(to)) if from > to => Err(FilterError::Backwards {
                from: from.clone(),
                to: to.clone(),
            }),
            _ => Ok(self),
        }
    }

    /// The filter in the words [`Filter::parse`] reads.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(g) = &self.group {
            parts.push(format!("role={g}"));
        }
        if let Some(k) = self.session_kind {
            parts.push(format!("kind={k}"));
        }
        if let Some(d) = &self.from {
            parts.push(format!("from={d}"));
        }
        if let Some(d) = &self.to {
            parts.push(format!("to={d}"));
        }
        if self.children {
            parts.push("children=yes".into());
        }
        parts.join(", ")
    }
}

/// A coded excerpt: a note and the themes (with spans) that matched.
#[derive(Debug, Clone, Serialize)]
pub struct Excerpt {
    /// The note.
    #[serde(flatten)]
    pub note: NoteRow,
    /// All themes on the note.
    pub themes: Vec<String>,
    /// Coded spans on the note: (theme, start, end) in characters; whole-note tags omitted.
    pub spans: Vec<(String, usize, usize)>,
    /// The text with registered names shown as pseudonyms.
    pub text: String,
    /// Set when the words are withheld from outputs under the speaker's quote consent
    /// (anonymised views show a marker; the vault's real text stays in `note`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote_withheld: Option<crate::quotes::Withheld>,
}

/// One row of the frequency table.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Frequency {
    /// Theme.
    pub theme: String,
    /// Participant group: the role (`role` in JSON and CSV, as in the export).
    #[serde(rename = "role")]
    pub group: String,
    /// Notes coded with the theme from that group.
    pub excerpts: usize,
    /// Distinct speakers from that group among them.
    pub participants: usize,
}

/// The theme × theme co-occurrence matrix.
#[derive(Debug, Clone, Serialize)]
pub struct Cooccurrence {
    /// Themes, in codebook order.
    pub themes: Vec<String>,
    /// `counts[i][j]`: notes carrying both (the diagonal: notes carrying theme i).
    pub counts: Vec<Vec<usize>>,
}

/// A tag on a loaded note: theme index and, for a span tag, its character range.
type NoteTag = (usize, Option<(usize, usize)>);

/// A project's notes, themes and tags, loaded for analysis.
pub struct Corpus {
    /// Project name.
    pub project: String,
    /// The codebook in tree order.
    pub themes: Vec<Theme>,
    children: Vec<Vec<usize>>,
    /// Notes (restricted people's excluded).
    pub notes: Vec<NoteRow>,
    /// Per note: its tags.
    tags: Vec<Vec<NoteTag>>,
    /// Per theme: sorted indexes of notes tagged with it directly.
    by_theme: Vec<Vec<u32>>,
    /// Participant groups, sorted, and each note's group and speaker as small numbers.
    group_names: Vec<String>,
    group_of: Vec<u16>,
    speaker_of: Vec<u32>,
    speakers: usize,
    names: Anonymiser,
    /// Who may be quoted word for word.
    quotes: crate::quotes::QuoteRule,
}

impl std::fmt::Debug for Corpus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Corpus")
            .field("project", &self.project)
            .field("notes", &self.notes.len())
            .finish_non_exhaustive()
    }
}

fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

fn union(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j == b.len() || (i < a.len() && a[i] < b[j]) {
            out.push(a[i]);
            i += 1;
        } else if i == a.len() || b[j] < a[i] {
            out.push(b[j]);
            j += 1;
        } else {
            out.push(a[i]);
            i += 1;
            j += 1;
        }
    }
    out
}

fn minus(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut j = 0;
    a.iter()
        .copied()
        .filter(|x| {
            while j < b.len() && b[j] < *x {
                j += 1;
            }
            !(j < b.len() && b[j] == *x)
        })
        .collect()
}

impl Corpus {
    /// Loads a project for analysis.
    pub fn load(store: &Store, project: &str) -> Result<Self> {
        let project = store.project(project)?;
        let themes = store.themes(&project.name)?;
        let index: HashMap<i64, usize> =
            themes.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
        let mut children = vec![Vec::new(); themes.len()];
        for (i, t) in themes.iter().enumerate() {
            if let Some(p) = &t.parent
                && let Some(pi) = themes.iter().position(|x| &x.name == p)
            {
                children[pi].push(i);
            }
        }
        let registry = crate::mentions::registry(store, &project.name)?;
        let notes = store.corpus_notes(&project.name, &AnonymiserNames)?;
        let row_of: HashMap<i64, usize> =
            notes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
        let mut tags = vec![Vec::new(); notes.len()];
        let mut by_theme: Vec<Vec<u32>> = vec![Vec::new(); themes.len()];
        for t in store.corpus_tags(&project.name)? {
            let (Some(&ni), Some(&ti)) = (row_of.get(&t.note_id), index.get(&t.theme_id)) else {
                continue;
            };
            tags[ni].push((ti, t.span.map(|(a, b)| (a as usize, b as usize))));
            by_theme[ti].push(ni as u32);
        }
        for v in &mut by_theme {
            v.sort_unstable();
            v.dedup();
        }
        let group_names: Vec<String> = notes
            .iter()
            .map(|n| n.group.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let group_of = notes
            .iter()
            .map(|n| group_names.binary_search(&n.group).unwrap_or(0) as u16)
            .collect();
        let mut speaker_ids: HashMap<&str, u32> = HashMap::new();
        let speaker_of = notes
            .iter()
            .map(|n| match &n.speaker {
                Some(sp) => {
                    let next = speaker_ids.len() as u32;
                    *speaker_ids.entry(sp.as_str()).or_insert(next)
                }
                None => u32::MAX,
            })
            .collect();
        let speakers = speaker_ids.len();
        let quotes = crate::quotes::QuoteRule::load(store, &project.name)?;
        Ok(Self {
            project: project.name,
            themes,
            children,
            notes,
            tags,
            by_theme,
            group_names,
            group_of,
            speaker_of,
            speakers,
            names: Anonymiser::new(&Registry {
                people: registry.people,
                ..Registry::default()
            }),
            quotes,
        })
    }

    /// The index of a theme by name (case-insensitive).
    pub fn theme_index(&self, name: &str) -> Result<usize> {
        self.themes
            .iter()
            .position(|t| t.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| StoreError::NoTheme {
                name: name.to_owned(),
                project: self.project.clone(),
            })
    }

    /// A theme and, when asked, everything under it.
    fn family(&self, t: usize, children: bool) -> Vec<usize> {
        let mut out = vec![t];
        if children {
            let mut i = 0;
            while i < out.len() {
                out.extend(self.children[out[i]].iter().copied());
                i += 1;
            }
        }
        out
    }

    /// Sorted indexes of notes carrying theme `t` (or one under it).
    fn notes_of(&self, t: usize, children: bool) -> Vec<u32> {
        let fam = self.family(t, children);
        if fam.len() == 1 {
            return self.by_theme[t].clone();
        }
        fam.iter()
            .fold(Vec::new(), |acc, f| union(&acc, &self.by_theme[*f]))
    }

    fn keep(&self, f: &Filter, i: u32) -> bool {
        let n = &self.notes[i as usize];
        f.group
            .as_ref()
            .is_none_or(|g| n.group.eq_ignore_ascii_case(g.trim()))
            && f.session_kind.is_none_or(|k| n.session_kind == k)
            && f.from
                .as_ref()
                .is_none_or(|d| n.date.as_str() >= d.as_str())
            && f.to.as_ref().is_none_or(|d| n.date.as_str() <= d.as_str())
    }

    /// Notes matching a theme query and the filter, in session order.
    pub fn select(&self, q: &Query, f: &Filter) -> Result<Vec<u32>> {
        let set = match q {
            Query::Theme(name) => self.notes_of(self.theme_index(name)?, f.children),
            Query::And(a, b) => intersect(&self.select(a, f)?, &self.select(b, f)?),
            Query::Or(a, b) => union(&self.select(a, f)?, &self.select(b, f)?),
            Query::Not(a, b) => minus(&self.select(a, f)?, &self.select(b, f)?),
            Query::All => (0..self.notes.len() as u32)
                .filter(|&i| !self.tags[i as usize].is_empty())
                .collect(),
        };
        Ok(set.into_iter().filter(|&i| self.keep(f, i)).collect())
    }

    /// A note's text with registered names replaced by pseudonyms.
    pub fn display_text(&self, i: usize) -> String {
        let text = &self.notes[i].text;
        crate::anonymise::apply(text, &self.names.registered_names(text))
    }

    /// Why a note's words are withheld from outputs under its speaker's quote consent, if
    /// they are.
    pub fn quote_withheld(&self, i: usize) -> Option<crate::quotes::Withheld> {
        let n = &self.notes[i];
        match self
            .quotes
            .verdict_of(n.id, n.kind, n.speaker.as_deref(), &n.text)
        {
            crate::quotes::Verdict::Withheld(w) => Some(w),
            _ => None,
        }
    }

    /// The excerpts for a list of note indexes.
    pub fn excerpts(&self, idx: &[u32]) -> Vec<Excerpt> {
        idx.iter()
            .map(|&i| {
                let i = i as usize;
                let mut themes: Vec<String> = self.tags[i]
                    .iter()
                    .map(|(t, _)| self.themes[*t].name.clone())
                    .collect();
                themes.sort();
                themes.dedup();
                Excerpt {
                    note: self.notes[i].clone(),
                    themes,
                    spans: self.tags[i]
                        .iter()
                        .filter_map(|(t, s)| s.map(|(a, b)| (self.themes[*t].name.clone(), a, b)))
                        .collect(),
                    text: self.display_text(i),
                    quote_withheld: self.quote_withheld(i),
                }
            })
            .collect()
    }

    /// Theme × participant group: notes and distinct speakers, for every theme with notes.
    pub fn frequencies(&self, f: &Filter) -> Vec<Frequency> {
        let g = self.group_names.len();
        let filtered =
            f.group.is_some() || f.session_kind.is_some() || f.from.is_some() || f.to.is_some();
        let mut out = Vec::new();
        let mut notes = vec![0usize; g];
        let mut people = vec![0usize; g];
        // a speaker belongs to one group: stamp each speaker with the theme that last saw them
        let mut seen = vec![u32::MAX; self.speakers];
        for t in 0..self.themes.len() {
            notes.iter_mut().for_each(|x| *x = 0);
            people.iter_mut().for_each(|x| *x = 0);
            let fam = self.family(t, f.children);
            let set;
            let idx: &[u32] = if fam.len() == 1 {
                &self.by_theme[t]
            } else {
                set = self.notes_of(t, true);
                &set
            };
            for &i in idx {
                if filtered && !self.keep(f, i) {
                    continue;
                }
                let gi = self.group_of[i as usize] as usize;
                notes[gi] += 1;
                let sp = self.speaker_of[i as usize];
                if sp != u32::MAX && seen[sp as usize] != t as u32 {
                    seen[sp as usize] = t as u32;
                    people[gi] += 1;
                }
            }
            for gi in 0..g {
                if notes[gi] > 0 {
                    out.push(Frequency {
                        theme: self.themes[t].name.clone(),
                        group: self.group_names[gi].clone(),
                        excerpts: notes[gi],
                        participants: people[gi],
                    });
                }
            }
        }
        out
    }

    /// Theme × theme: notes carrying both. With `overlap`, only notes where a span of one
    /// overlaps a span of the other (a whole-note tag covers every span).
    pub fn cooccurrence(&self, f: &Filter, overlap: bool) -> Cooccurrence {
        let k = self.themes.len();
        let mut counts = vec![vec![0usize; k]; k];
        // a theme's ancestors, for counting children under their parents
        let mut up: Vec<Vec<usize>> = vec![Vec::new(); k];
        if f.children {
            for t in 0..k {
                for d in self.family(t, true) {
                    up[d].push(t);
                }
            }
        } else {
            for (t, u) in up.iter_mut().enumerate() {
                u.push(t);
            }
        }
        let mut present: Vec<(usize, Option<(usize, usize)>)> = Vec::new();
        let mut themes_here: Vec<usize> = Vec::new();
        for i in 0..self.notes.len() {
            if self.tags[i].is_empty() || !self.keep(f, i as u32) {
                continue;
            }
            present.clear();
            for (t, span) in &self.tags[i] {
                for a in &up[*t] {
                    present.push((*a, *span));
                }
            }
            themes_here.clear();
            themes_here.extend(present.iter().map(|p| p.0));
            themes_here.sort_unstable();
            themes_here.dedup();
            for (x, &a) in themes_here.iter().enumerate() {
                counts[a][a] += 1;
                for &b in &themes_here[x + 1..] {
                    let hit = !overlap
                        || present.iter().filter(|p| p.0 == a).any(|(_, sa)| {
                            present
                                .iter()
                                .filter(|p| p.0 == b)
                                .any(|(_, sb)| match (sa, sb) {
                                    (Some((a0, a1)), Some((b0, b1))) => a0 < b1 && b0 < a1,
                                    _ => true,
                                })
                        });
                    if hit {
                        counts[a][b] += 1;
                        counts[b][a] += 1;
                    }
                }
            }
        }
        Cooccurrence {
            themes: self.themes.iter().map(|t| t.name.clone()).collect(),
            counts,
        }
    }

    /// Workshop ideas, most votes first, with their clusters and themes.
    pub fn ideas(&self, f: &Filter) -> Vec<Excerpt> {
        self.excerpts(&self.idea_indexes(f))
    }

    /// A note's tags (by index of [`Corpus::notes`]): theme name and, for a span tag, its
    /// character range.
    pub fn tags_of(&self, i: usize) -> Vec<(String, Option<(usize, usize)>)> {
        self.tags[i]
            .iter()
            .map(|(t, s)| (self.themes[*t].name.clone(), *s))
            .collect()
    }

    /// Indexes of the workshop ideas, most votes first.
    pub fn idea_indexes(&self, f: &Filter) -> Vec<u32> {
        let mut idx: Vec<u32> = (0..self.notes.len() as u32)
            .filter(|&i| {
                let n = &self.notes[i as usize];
                n.session_kind == SessionKind::Workshop
                    && n.kind == NoteKind::Idea
                    && self.keep(f, i)
            })
            .collect();
        idx.sort_by_key(|&i| (std::cmp::Reverse(self.notes[i as usize].votes), i));
        idx
    }

    /// Participant groups present, sorted.
    pub fn groups(&self) -> Vec<String> {
        self.group_names.clone()
    }
}

#[cfg(test)]
mod tests;
