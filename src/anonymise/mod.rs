//! The anonymiser: finds personal data in note text and replaces it consistently, recording
//! for every substitution which rule made it.
//!
//! `text + registry → substitutions → output`. Pure: no storage, no UI. Registered names come
//! first (full names before parts, titles and possessives included, one-letter variants of
//! long names), then validated identifiers (NHS mod-11, NINO prefixes, postcode format), then
//! unregistered names from context, a gazetteer and propagation through the whole text.

pub mod ages;
mod names;
pub mod patterns;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Serialize;

/// What kind of personal data a substitution removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A registered participant or person mentioned.
    RegisteredName,
    /// An unregistered person's name.
    Person,
    /// A postcode (generalised to its outward code).
    Postcode,
    /// A phone number.
    Phone,
    /// An email address.
    Email,
    /// An NHS number.
    NhsNumber,
    /// A National Insurance number.
    NiNumber,
    /// A date of birth (generalised to the decade).
    DateOfBirth,
    /// A street address.
    Address,
    /// A case reference.
    CaseRef,
    /// A phrase on the project's deny list.
    Denied,
    /// An exact age (generalised to a band), when the registry asks for it.
    Age,
}

impl Kind {
    /// Lower wins when two findings overlap.
    fn rank(self) -> u8 {
        match self {
            Kind::Denied => 0,
            Kind::Email => 1,
            Kind::RegisteredName => 2,
            Kind::NhsNumber => 3,
            Kind::NiNumber => 4,
            Kind::Address => 5,
            Kind::Postcode => 6,
            Kind::Phone => 7,
            Kind::DateOfBirth => 8,
            Kind::CaseRef => 9,
            Kind::Person => 10,
            Kind::Age => 11,
        }
    }

    /// Structured identifiers (everything but names). An age is not one: a band stands in
    /// for it, and "34" elsewhere in an export is no leak.
    pub fn is_identifier(self) -> bool {
        !matches!(
            self,
            Kind::RegisteredName | Kind::Person | Kind::Denied | Kind::Age
        )
    }
}

/// A finding before overlaps are resolved.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    pub rule: &'static str,
    pub replacement: std::borrow::Cow<'static, str>,
}

/// One replacement, as data: where, what, with what, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Substitution {
    /// Byte offset in the input where it starts.
    pub start: usize,
    /// Byte offset where it ends.
    pub end: usize,
    /// The text removed.
    pub original: String,
    /// What stands in its place.
    pub replacement: String,
    /// What kind of data it was.
    pub kind: Kind,
    /// The rule that found it, in words.
    pub rule: &'static str,
}

/// A person the project knows, and the pseudonym that replaces them everywhere.
#[derive(Debug, Clone)]
pub struct KnownPerson {
    /// Real name.
    pub name: String,
    /// Pseudonym, e.g. `P01` or `Person A`.
    pub pseudonym: String,
}

/// What the anonymiser knows about a project.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// Participants and people mentioned.
    pub people: Vec<KnownPerson>,
    /// Words and phrases never to remove (e.g. "Camden").
    pub allow: Vec<String>,
    /// Phrases always to remove (e.g. "the red-haired guard").
    pub deny: Vec<String>,
    /// Record reviews' references (kept in the vault, never in an output): removed like the
    /// deny list's phrases wherever a text holds one.
    pub record_refs: Vec<String>,
    /// Generalise exact ages to bands ("aged 34" → "aged 30–39"): exports and reports set
    /// it; `redact` only when asked.
    pub generalise_ages: bool,
}

/// Anonymised text and the substitutions that made it.
#[derive(Debug, Clone)]
pub struct Redacted {
    /// The anonymised text.
    pub text: String,
    /// Every substitution, in order.
    pub substitutions: Vec<Substitution>,
}

/// A compiled anonymiser for one project.
pub struct Anonymiser {
    registered: names::Registered,
    deny: Option<PhraseList>,
    allow: Option<PhraseList>,
    /// Names found in the other texts of the same export, lower case.
    seen: rustc_hash::FxHashSet<String>,
    generalise_ages: bool,
}

/// Phrases (lower case) searched all at once, in one pass over the text.
struct PhraseList {
    /// `None` if the automaton could not be built (a list far beyond any project's): then
    /// each phrase is searched on its own, never skipped.
    ac: Option<AhoCorasick>,
    phrases: Vec<String>,
}

impl PhraseList {
    /// `None` when there is nothing to search for.
    fn new(phrases: &[String]) -> Option<Self> {
        let phrases: Vec<String> = phrases
            .iter()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        if phrases.is_empty() {
            return None;
        }
        // the phrases are lower case; ASCII case folding lets an ASCII text be searched as
        // it is, without a lower-cased copy
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&phrases)
            .ok();
        Some(Self { ac, phrases })
    }

    /// Every occurrence of each phrase, left to right without overlapping another
    /// occurrence of the same phrase (as searching for each phrase on its own would find
    /// them), in one pass.
    fn find(&self, hay: &str) -> Vec<(usize, usize)> {
        let Some(ac) = &self.ac else {
            let lowered = hay.to_ascii_lowercase();
            return self
                .phrases
                .iter()
                .flat_map(|p| lowered.match_indices(p.as_str()))
                .map(|(i, m)| (i, i + m.len()))
                .collect();
        };
        let mut last_end = vec![0usize; self.phrases.len()];
        let mut out = Vec::new();
        for m in ac.find_overlapping_iter(hay) {
            count_ops(1);
            let (p, s, e) = (m.pattern().as_usize(), m.start(), m.end());
            if let Some(last) = last_end.get_mut(p)
                && s >= *last
            {
                *last = e;
                out.push((s, e));
            }
        }
        out
    }
}

/// Spans sorted by start, and the furthest end among each span and those before it: finds
/// whether a span holds a range in one binary search.
struct Cover {
    spans: Vec<(usize, usize)>,
    max_end: Vec<usize>,
}

impl Cover {
    fn new(mut spans: Vec<(usize, usize)>) -> Self {
        spans.sort_unstable();
        let max_end = spans
            .iter()
            .scan(0, |m, &(_, e)| {
                *m = (*m).max(e);
                Some(*m)
            })
            .collect();
        Self { spans, max_end }
    }

    /// Some span starts at or before `start` and ends at or after `end`.
    fn holds(&self, start: usize, end: usize) -> bool {
        count_ops(1);
        let k = self.spans.partition_point(|&(s, _)| s <= start);
        k > 0 && self.max_end[k - 1] >= end
    }
}

// Work done by the anonymiser (bytes tokenised and scanned by the patterns, phrases and
// candidates handled, steps of resolving overlaps), counted in tests only, per thread: a cost
// that grows faster than the text shows here without timing anything.
#[cfg(test)]
thread_local! {
    static OPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Counts `n` units of work (nothing outside tests).
#[inline(always)]
pub(crate) fn count_ops(n: usize) {
    #[cfg(test)]
    OPS.with(|c| c.set(c.get() + n as u64));
    #[cfg(not(test))]
    let _ = n;
}

/// The work counted on this thread so far.
#[cfg(test)]
pub(crate) fn ops() -> u64 {
    OPS.with(std::cell::Cell::get)
}

impl Anonymiser {
    /// Prepares an anonymiser for a project's registry.
    pub fn new(registry: &Registry) -> Self {
        let people: Vec<(String, String)> = registry
            .people
            .iter()
            .map(|p| (p.name.clone(), p.pseudonym.clone()))
            .collect();
        Self {
            registered: names::Registered::new(&people),
            allow: PhraseList::new(&registry.allow),
            deny: PhraseList::new(
                &registry
                    .deny
                    .iter()
                    .chain(&registry.record_refs)
                    .cloned()
                    .collect::<Vec<_>>(),
            ),
            seen: Default::default(),
            generalise_ages: registry.generalise_ages,
        }
    }

    /// The unregistered names found in `text` with their own evidence, lower case, word by
    /// word: what [`Anonymiser::with_seen_names`] takes, so a name found in one note of an
    /// export is removed from every other text of it ("Ines took him upstairs" after "Ms Ines
    /// Varga (receptionist)" in another note).
    pub fn names_found(&self, text: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .substitutions(text)
            .into_iter()
            .filter(|s| s.kind == Kind::Person && !s.rule.starts_with("same "))
            .flat_map(|s| names::spreadable_parts(&s.original))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// This anonymiser, also removing names found in the other texts of the same export
    /// (from [`Anonymiser::names_found`]) wherever they appear in a text.
    pub fn with_seen_names(mut self, names: impl IntoIterator<Item = String>) -> Self {
        self.seen.extend(names);
        self
    }

    /// Every substitution for `text`, non-overlapping, in order.
    pub fn substitutions(&self, text: &str) -> Vec<Substitution> {
        let ws = names::words(text);
        let mut cands = Vec::new();
        // the lists are searched case-blind: an ASCII text as it is; any other text in a
        // lower-cased copy, when its case mapping keeps byte lengths (nearly every note), so
        // that offsets in the copy are offsets in the text
        let lists = self.deny.is_some() || self.allow.is_some();
        let lowered = if lists && !text.is_ascii() {
            Some(text.to_lowercase())
        } else {
            None
        };
        let hay = match &lowered {
            Some(l) if l.len() == text.len() => Some(l.as_str()),
            Some(_) => None,
            None => lists.then_some(text),
        };
        if let (Some(hay), Some(deny)) = (hay, &self.deny) {
            // a match must also sit on the original's character boundaries to be cut out
            for (s, e) in deny
                .find(hay)
                .into_iter()
                .filter(|(s, e)| text.is_char_boundary(*s) && text.is_char_boundary(*e))
            {
                cands.push(Candidate {
                    start: s,
                    end: e,
                    kind: Kind::Denied,
                    rule: "project deny list",
                    replacement: std::borrow::Cow::Borrowed("[REDACTED]"),
                });
            }
        }
        self.registered.find(text, &ws, &mut cands);
        patterns::find(text, &ws, &mut cands);
        let taken: Vec<(usize, usize)> = cands.iter().map(|c| (c.start, c.end)).collect();
        names::find_unregistered(text, &ws, &taken, &self.seen, &mut cands);
        if self.generalise_ages {
            let found: Vec<(usize, usize)> = cands.iter().map(|c| (c.start, c.end)).collect();
            ages::find(text, &ws, &found, &mut cands);
        }
        drop(taken);
        drop(ws);
        if let (Some(hay), Some(allow)) = (hay, &self.allow) {
            let allowed = Cover::new(allow.find(hay));
            cands.retain(|c| c.kind == Kind::Denied || !allowed.holds(c.start, c.end));
        }
        drop(lowered);
        resolve(text, cands)
    }

    /// Registered names only, ignoring the allow list: what the export's leak guard and the
    /// search for one person's mentions need.
    pub fn registered_names(&self, text: &str) -> Vec<Substitution> {
        let ws = names::words(text);
        let mut cands = Vec::new();
        self.registered.find(text, &ws, &mut cands);
        resolve(text, cands)
    }

    /// The anonymised text and its substitutions.
    pub fn redact(&self, text: &str) -> Redacted {
        let substitutions = self.substitutions(text);
        Redacted {
            text: apply(text, &substitutions),
            substitutions,
        }
    }
}

/// `text` with each substitution's span replaced (they are in order and do not overlap, as
/// [`Anonymiser::substitutions`] gives them).
pub fn apply<'a>(text: &str, subs: impl IntoIterator<Item = &'a Substitution>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in subs {
        out.push_str(&text[at..s.start]);
        out.push_str(&s.replacement);
        at = s.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Picks non-overlapping findings: by kind's rank, then the longest. The findings chosen so
/// far are kept ordered by start: they never overlap, so their ends rise with their starts
/// and only the last one starting before a candidate's end can overlap it. A note dense with
/// identifiers has hundreds of thousands of findings; comparing each with every earlier one
/// would take hours.
fn resolve(text: &str, mut cands: Vec<Candidate>) -> Vec<Substitution> {
    cands.sort_by_key(|c| (c.kind.rank(), std::cmp::Reverse(c.end - c.start), c.start));
    let mut chosen: std::collections::BTreeMap<usize, Candidate> =
        std::collections::BTreeMap::new();
    for c in cands {
        count_ops(1);
        let overlaps = chosen
            .range(..c.end)
            .next_back()
            .is_some_and(|(_, k)| c.start < k.end);
        if c.start < c.end && !overlaps {
            chosen.insert(c.start, c);
        }
    }
    chosen
        .into_values()
        .map(|c| Substitution {
            start: c.start,
            end: c.end,
            original: text[c.start..c.end].to_owned(),
            replacement: c.replacement.into_owned(),
            kind: c.kind,
            rule: c.rule,
        })
        .collect()
}

/// Reads a names file: one name a line, optionally `name<TAB>pseudonym`; names without a
/// pseudonym get `P01`, `P02`… in order.
pub fn parse_names_file(text: &str) -> Vec<KnownPerson> {
    let mut out = Vec::new();
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (name, code) = match line.split_once('\t') {
            Some((n, c)) if !c.trim().is_empty() => (n.trim().to_owned(), c.trim().to_owned()),
            _ => (line.to_owned(), format!("P{:02}", out.len() + 1)),
        };
        out.push(KnownPerson {
            name,
            pseudonym: code,
        });
    }
    out
}

#[cfg(test)]
mod tests;
