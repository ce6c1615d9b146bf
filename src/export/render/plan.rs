//! What the renderings show, worked out once from a [`Summary`] for Markdown and HTML alike:
//! where each note is shown in full, the codebook as a tree, the passages a theme shows of
//! each note, and the figures of the summary a reader sees first.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::super::{Excerpt, Summary};
use crate::model::{NoteKind, SessionKind};

/// Themes the summary ranks overall, and ideas it lists.
pub const TOP: usize = 5;
/// Themes the summary ranks for each participant group.
pub const TOP_PER_GROUP: usize = 3;
/// The group of participants with no role recorded.
pub const NO_ROLE: &str = "no role recorded";

/// Where a note is shown in full: its session's number and its place in that session's
/// transcript, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// The session's number in the export.
    pub session: usize,
    /// The note's number in the session.
    pub note: usize,
}

impl Place {
    /// The HTML anchor of the note in its session's transcript.
    pub fn anchor(self) -> String {
        format!("s{}-n{}", self.session, self.note)
    }

    /// `session 1, note 3`.
    pub fn words(self) -> String {
        format!("session {}, note {}", self.session, self.note)
    }
}

/// Each excerpt's place, by its index in [`Summary::excerpts`].
pub fn places(s: &Summary) -> Vec<Option<Place>> {
    let mut out = vec![None; s.excerpts.len()];
    for (si, ss) in s.sessions.iter().enumerate() {
        for (ni, &i) in ss.excerpts.iter().enumerate() {
            if let Some(p) = out.get_mut(i) {
                *p = Some(Place {
                    session: si + 1,
                    note: ni + 1,
                });
            }
        }
    }
    out
}

/// Whether a facilitator (`F1`, `F2`…) spoke or wrote the note.
pub fn is_facilitator(e: &Excerpt) -> bool {
    is_facilitator_code(e.speaker.as_deref().unwrap_or(""))
}

/// A facilitator's code (`F1`, `F12`), as opposed to a participant's pseudonym (`P01`).
pub(in crate::export) fn is_facilitator_code(code: &str) -> bool {
    code.strip_prefix('F')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The text a note shows, and where it starts in the note in characters: a verbatim note
/// without the quotation marks typed around it.
pub fn body(e: &Excerpt) -> (&str, usize) {
    if !quoted(e) {
        return (&e.text, 0);
    }
    let inner = crate::text::without_quote_marks(&e.text);
    let offset = (inner.as_ptr() as usize).saturating_sub(e.text.as_ptr() as usize);
    let chars = e.text.get(..offset).map_or(0, |h| h.chars().count());
    (inner, chars)
}

/// Whether a note shows as a quote, in quotation marks: a verbatim note whose words are
/// shown (the marker of a quote withheld is not a quote).
pub fn quoted(e: &Excerpt) -> bool {
    e.kind == NoteKind::Verbatim && e.quote_withheld.is_none()
}

/// What a theme's section shows of one note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passage {
    /// The note is tagged as a whole: its short form, pointing to it in full.
    Whole,
    /// A coded span, in characters of [`body`].
    Span(usize, usize),
}

/// The passages of `e` coded with `theme`: each coded span once, in order; or, when the
/// theme tags only the whole note (or no span is known), the whole note once.
pub fn passages(e: &Excerpt, theme: &str) -> Vec<Passage> {
    let (text, offset) = body(e);
    let len = text.chars().count();
    let mut spans: Vec<(usize, usize)> = e
        .codings
        .iter()
        .filter(|c| c.theme == theme)
        .map(|c| {
            let a = c.start.saturating_sub(offset).min(len);
            let b = c.end.saturating_sub(offset).min(len);
            (a, b)
        })
        .collect();
    spans.retain(|&(a, b)| a < b && !(a == 0 && b >= len));
    if spans.is_empty() {
        return vec![Passage::Whole];
    }
    spans.sort_unstable();
    spans.dedup();
    spans
        .into_iter()
        .map(|(a, b)| Passage::Span(a, b))
        .collect()
}

/// Each theme's depth in the codebook (0 for a top-level theme), in codebook order.
pub fn depths(s: &Summary) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::with_capacity(s.themes.len());
    for t in &s.themes {
        let d = t
            .parent
            .as_ref()
            .and_then(|p| s.themes.iter().position(|x| &x.name == p))
            .and_then(|i| out.get(i).map(|d| d + 1))
            .unwrap_or(0);
        out.push(d);
    }
    out
}

/// Which themes the Themes section shows: those with notes, and their parents.
pub fn shown(s: &Summary) -> Vec<bool> {
    let mut out: Vec<bool> = s.themes.iter().map(|t| !t.excerpts.is_empty()).collect();
    // children follow their parents, so one pass from the end carries a mark upwards
    for i in (0..s.themes.len()).rev() {
        if out[i]
            && let Some(p) = &s.themes[i].parent
            && let Some(j) = s.themes.iter().position(|x| &x.name == p)
        {
            out[j] = true;
        }
    }
    out
}

/// Notes, and distinct participants, behind a theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    /// Notes tagged with the theme.
    pub notes: usize,
    /// Distinct participants (not facilitators) who said them.
    pub participants: usize,
}

/// One participant group in the sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The role.
    pub name: String,
    /// Sessions the group took part in.
    pub sessions: usize,
    /// Distinct participants in the group.
    pub participants: usize,
}

/// The figures of the summary a reader sees first.
#[derive(Debug, Clone)]
pub struct Glance {
    /// Interviews exported.
    pub interviews: usize,
    /// Workshops exported.
    pub workshops: usize,
    /// Participant groups, by name.
    pub groups: Vec<Group>,
    /// Themes with notes, most first (index into [`Summary::themes`]), at most [`TOP`].
    pub top_themes: Vec<(usize, Count)>,
    /// For each group with coded notes, its themes most first, at most [`TOP_PER_GROUP`].
    pub group_themes: Vec<(String, Vec<(usize, Count)>)>,
    /// The ideas with most votes, none without (indexes into [`Summary::excerpts`]), at
    /// most [`TOP`].
    pub top_ideas: Vec<usize>,
    /// Ideas not among them.
    pub more_ideas: usize,
}

/// Works out the summary's figures.
pub fn glance(s: &Summary) -> Glance {
    let interviews = s
        .sessions
        .iter()
        .filter(|x| x.kind == SessionKind::Interview)
        .count();
    let mut groups: BTreeMap<&str, (usize, BTreeSet<&str>)> = BTreeMap::new();
    for ss in &s.sessions {
        let mut here: HashSet<&str> = HashSet::new();
        for p in ss
            .participants
            .iter()
            .filter(|p| !is_facilitator_code(&p.code))
        {
            let g = p.role.as_deref().unwrap_or(NO_ROLE);
            let entry = groups.entry(g).or_default();
            entry.1.insert(p.code.as_str());
            if here.insert(g) {
                entry.0 += 1;
            }
        }
    }
    let spoken_groups: BTreeSet<&str> = s
        .excerpts
        .iter()
        .filter(|e| e.speaker.is_some() && !is_facilitator(e))
        .map(|e| e.role.as_deref().unwrap_or(NO_ROLE))
        .collect();
    let group_themes = spoken_groups
        .into_iter()
        .map(|g| {
            let of_group = |e: &Excerpt| {
                e.speaker.is_some()
                    && !is_facilitator(e)
                    && e.role.as_deref().unwrap_or(NO_ROLE) == g
            };
            (g.to_owned(), ranked(s, of_group, TOP_PER_GROUP))
        })
        .filter(|(_, r)| !r.is_empty())
        .collect();
    let top_ideas: Vec<usize> = s
        .ideas
        .iter()
        .copied()
        .filter(|&i| s.excerpts[i].votes > 0)
        .take(TOP)
        .collect();
    Glance {
        interviews,
        workshops: s
            .sessions
            .iter()
            .filter(|x| x.kind == SessionKind::Workshop)
            .count(),
        groups: groups
            .into_iter()
            .map(|(name, (sessions, who))| Group {
                name: name.to_owned(),
                sessions,
                participants: who.len(),
            })
            .collect(),
        top_themes: ranked(s, |_| true, TOP),
        group_themes,
        top_ideas: top_ideas.clone(),
        more_ideas: s.ideas.len() - top_ideas.len(),
    }
}

/// Notes and distinct participants among `ex`.
fn count_of<'a>(ex: impl Iterator<Item = &'a Excerpt>) -> Count {
    let mut notes = 0;
    let mut who: HashSet<&str> = HashSet::new();
    for e in ex {
        notes += 1;
        if let Some(sp) = e.speaker.as_deref().filter(|c| !is_facilitator_code(c)) {
            who.insert(sp);
        }
    }
    Count {
        notes,
        participants: who.len(),
    }
}

/// The themes with notes that `pick` keeps, most notes (then participants) first.
fn ranked(s: &Summary, pick: impl Fn(&Excerpt) -> bool, top: usize) -> Vec<(usize, Count)> {
    let mut r: Vec<(usize, Count)> = s
        .themes
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let ex = t
                .excerpts
                .iter()
                .map(|&x| &s.excerpts[x])
                .filter(|e| pick(e));
            (i, count_of(ex))
        })
        .filter(|(_, c)| c.notes > 0)
        .collect();
    r.sort_by_key(|&(i, c)| {
        (
            std::cmp::Reverse(c.notes),
            std::cmp::Reverse(c.participants),
            i,
        )
    });
    r.truncate(top);
    r
}
