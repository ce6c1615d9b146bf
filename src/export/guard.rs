//! The leak guard: the last check on anything that leaves the vault (exports, subject access
//! reports, the record of processing). It looks for every registered real name, and every
//! identifier the anonymiser found in the raw texts, in the rendered output itself, so a path
//! that forgot to anonymise, an allow-listed identifier or an identifier written in a form the
//! anonymiser misses cannot leak.
//!
//! Learning records each identifier once; checking is one pass over the output per kind of
//! search (names, identifiers as written, identifiers with their spacing removed), however
//! many identifiers there are, so a note dense with identifiers is checked in time and memory
//! proportional to its size.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::anonymise::{Anonymiser, Kind, KnownPerson, Registry, Substitution};

/// What the guard found: what it is (without repeating it), where, and the text around it.
#[derive(Debug, Clone)]
pub(crate) struct Leak {
    /// e.g. "the registered name of P01" or "an NHS number from the notes".
    pub what: String,
    /// The output part and line, e.g. "the Markdown, line 12".
    pub location: String,
    /// The surrounding text, control characters made visible.
    pub context: String,
}

/// Collects what the guard must look for, text by text.
pub(crate) struct GuardBuilder {
    names: Anonymiser,
    own: Option<String>,
    identifiers: HashMap<String, Kind>,
    record_refs: Vec<String>,
    own_refs: Vec<String>,
}

impl GuardBuilder {
    /// A guard for these registered people. A name found for `own` (the subject of a subject
    /// access report: their name is their own data) is not a leak.
    #[cfg(test)]
    pub fn new(people: Vec<KnownPerson>, own: Option<String>) -> Self {
        Self::generalising_ages(people, own, false)
    }

    /// A guard for these registered people (see `new`), with exact ages generalised to bands
    /// in the substitutions [`GuardBuilder::learn`] returns when `ages` holds (an age is never
    /// learnt as an identifier).
    pub fn generalising_ages(people: Vec<KnownPerson>, own: Option<String>, ages: bool) -> Self {
        Self {
            names: Anonymiser::new(&Registry {
                people,
                generalise_ages: ages,
                ..Registry::default()
            }),
            own,
            identifiers: HashMap::new(),
            record_refs: Vec::new(),
            own_refs: Vec::new(),
        }
    }

    /// Also looks for these record references (of the project's record reviews: kept in the
    /// vault, never in an output), in any case, wherever they appear.
    pub fn with_record_refs(mut self, refs: impl IntoIterator<Item = String>) -> Self {
        self.record_refs.extend(
            refs.into_iter()
                .map(|r| fold(r.trim()))
                .filter(|r| !r.is_empty()),
        );
        self
    }

    /// Also removes (in [`GuardBuilder::learn`]'s substitutions) the names found in the other
    /// texts of the same export.
    pub fn with_seen_names(mut self, names: Vec<String>) -> Self {
        self.names = self.names.with_seen_names(names);
        self
    }

    /// Lets these record references through, also where the notes hold them as identifiers:
    /// those of the record reviews a subject access report's subject is the subject of.
    pub fn keeping_record_refs(mut self, refs: &[String]) -> Self {
        self.own_refs.extend(
            refs.iter()
                .map(|r| fold(r.trim()))
                .filter(|r| !r.is_empty()),
        );
        self
    }

    /// Learns every identifier in a raw text, the allow list notwithstanding, and returns the
    /// substitutions an anonymiser without allow or deny lists makes in it.
    pub fn learn(&mut self, text: &str) -> Vec<Substitution> {
        let subs = self.names.substitutions(text);
        for s in subs.iter().filter(|s| s.kind.is_identifier()) {
            let needle = fold(&s.original);
            if !needle.trim().is_empty() {
                self.identifiers.entry(needle).or_insert(s.kind);
            }
        }
        subs
    }

    /// Compiles the searches.
    pub fn build(self) -> Result<LeakGuard, GuardError> {
        let own = &self.own_refs;
        let mut exact: Vec<(String, Kind)> = self
            .identifiers
            .into_iter()
            .filter(|(id, _)| !own.contains(id))
            .collect();
        // a stable order: the same leak is reported the same way every time
        exact.sort();
        let spaced: Vec<(String, Kind)> = exact
            .iter()
            .map(|(id, k)| (squash(id), *k))
            .filter(|(n, _)| n.bytes().filter(u8::is_ascii_digit).count() >= 8)
            .collect();
        let refs = self
            .record_refs
            .into_iter()
            .filter(|r| !own.contains(r))
            .map(|r| (r, Kind::CaseRef))
            .collect();
        Ok(LeakGuard {
            names: self.names,
            own: self.own,
            exact: Search::new(exact)?,
            spaced: Search::new(spaced)?,
            record_refs: Search::new(refs)?,
        })
    }
}

/// The guard's searches could not be compiled (too many or too long identifiers for memory).
#[derive(Debug, thiserror::Error)]
#[error(
    "could not prepare the leak guard: {0}; nothing was written, try a smaller export (--session or --theme)"
)]
pub struct GuardError(#[from] aho_corasick::BuildError);

/// Many literal needles found in one pass.
struct Search {
    automaton: Option<AhoCorasick>,
    kinds: Vec<Kind>,
}

impl Search {
    fn new(needles: Vec<(String, Kind)>) -> Result<Self, GuardError> {
        if needles.is_empty() {
            return Ok(Self {
                automaton: None,
                kinds: Vec::new(),
            });
        }
        let (patterns, kinds): (Vec<String>, Vec<Kind>) = needles.into_iter().unzip();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&patterns)?;
        Ok(Self {
            automaton: Some(automaton),
            kinds,
        })
    }

    /// The first needle in `hay`: (byte start, byte end, kind).
    fn first(&self, hay: &str) -> Option<(usize, usize, Kind)> {
        let m = self.automaton.as_ref()?.find(hay)?;
        Some((m.start(), m.end(), self.kinds[m.pattern().as_usize()]))
    }
}

/// The leak guard, ready to check output.
pub(crate) struct LeakGuard {
    names: Anonymiser,
    own: Option<String>,
    exact: Search,
    spaced: Search,
    /// Record reviews' references, in any case.
    record_refs: Search,
}

impl std::fmt::Debug for LeakGuard {
    // the guard holds the identifiers it looks for: never print them
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeakGuard").finish_non_exhaustive()
    }
}

/// Lower case where a character's lower case has the same length in UTF-8, so positions in
/// the folded text are positions in the original (İ and ẞ change length when lower-cased and
/// are kept as written).
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| {
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(x), None) if x.len_utf8() == c.len_utf8() => x,
                _ => c,
            }
        })
        .collect()
}

/// Letters and digits only, lower case: an identifier however it is spaced or punctuated.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl LeakGuard {
    /// Looks for personal data in one part of the output (`entry`, e.g. "the Markdown").
    pub fn check(&self, entry: &str, text: &str) -> Result<(), Leak> {
        let leak = |at: usize, end: usize, what: String| {
            let floor = |mut i: usize| {
                i = i.min(text.len());
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                i
            };
            let (at, end) = (floor(at), floor(end));
            let line = text[..at].matches('\n').count() + 1;
            let from = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let from = text[from..at]
                .char_indices()
                .rev()
                .nth(40)
                .map_or(from, |(i, _)| from + i);
            let to = text[end..]
                .char_indices()
                .nth(40)
                .map_or(text.len(), |(i, _)| end + i);
            let to = text[at..to].find('\n').map_or(to, |i| at + i);
            Leak {
                what,
                location: format!("{entry}, line {line}"),
                context: crate::text::for_terminal(&text[from..to], false),
            }
        };
        if let Some(s) = self
            .names
            .registered_names(text)
            .into_iter()
            .find(|s| self.own.as_deref() != Some(s.replacement.as_str()))
        {
            return Err(leak(
                s.start,
                s.end,
                format!("the registered name of {}", s.replacement),
            ));
        }
        let folded = fold(text);
        if let Some((at, end, _)) = self.record_refs.first(&folded) {
            return Err(leak(
                at,
                end,
                "the record reference of a record review".into(),
            ));
        }
        if let Some((at, end, kind)) = self.exact.first(&folded) {
            return Err(leak(at, end, describe(kind)));
        }
        // identifiers written with different spacing: compare runs of letters and digits
        if let Some((_, _, kind)) = self.spaced.first(&squash(text)) {
            return Err(Leak {
                what: describe(kind),
                location: entry.to_owned(),
                context: "the same characters with different spacing or punctuation".into(),
            });
        }
        Ok(())
    }
}

fn describe(kind: Kind) -> String {
    let what = match kind {
        Kind::Postcode => "a postcode",
        Kind::Phone => "a phone number",
        Kind::Email => "an email address",
        Kind::NhsNumber => "an NHS number",
        Kind::NiNumber => "a National Insurance number",
        Kind::DateOfBirth => "a date of birth",
        Kind::Address => "a street address",
        Kind::CaseRef => "a case reference",
        Kind::Age => "an exact age",
        Kind::RegisteredName | Kind::Person | Kind::Denied => "a name",
    };
    format!("{what} from the notes")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(raw: &[&str]) -> LeakGuard {
        let mut b = GuardBuilder::new(
            vec![KnownPerson {
                name: "Tesfay Habte".into(),
                pseudonym: "P01".into(),
            }],
            None,
        );
        for t in raw {
            b.learn(t);
        }
        b.build().unwrap()
    }

    #[test]
    fn finds_names_and_identifiers_as_written_and_respaced() {
        let g = guard(&["NHS 943 476 5919, lives at NW1 2BH, rang 07700 900461"]);
        assert!(g.check("x", "nothing here, P01 and NW1").is_ok());
        let e = g.check("the Markdown", "a\nb said Tesfay").unwrap_err();
        assert_eq!(e.what, "the registered name of P01");
        assert_eq!(e.location, "the Markdown, line 2");
        let e = g.check("x", "at nw1 2bh then").unwrap_err();
        assert_eq!(e.what, "a postcode from the notes");
        assert!(e.context.contains("nw1 2bh"), "{}", e.context);
        let e = g.check("x", "number 943.476.59-19 here").unwrap_err();
        assert_eq!(e.what, "an NHS number from the notes");
        assert!(g.check("x", "phone 07700900461").is_err());
    }

    #[test]
    fn the_subjects_own_name_is_not_a_leak() {
        let mut b = GuardBuilder::new(
            vec![
                KnownPerson {
                    name: "Gemma Ashworth".into(),
                    pseudonym: "P02".into(),
                },
                KnownPerson {
                    name: "Tesfay Habte".into(),
                    pseudonym: "P01".into(),
                },
            ],
            Some("P01".into()),
        );
        b.learn("");
        let g = b.build().unwrap();
        assert!(g.check("x", "Tesfay Habte said").is_ok());
        assert!(g.check("x", "Tesfay Habte and Gemma").is_err());
    }

    #[test]
    fn record_refs_are_found_in_any_case() {
        let g = GuardBuilder::new(Vec::new(), None)
            .with_record_refs(["CRM-4471".to_owned(), " ".to_owned()])
            .build()
            .unwrap();
        assert!(g.check("x", "CRM case notes, 2023").is_ok());
        let e = g.check("the HTML", "read crm-4471 today").unwrap_err();
        assert_eq!(e.what, "the record reference of a record review");
        assert!(e.context.contains("crm-4471"), "{}", e.context);
        // a subject's own access report: their record's reference passes, even where a
        // note holds it as a case reference; another's does not
        let mut b = GuardBuilder::new(Vec::new(), Some("P01".into()))
            .with_record_refs(["CRM-4471".to_owned(), "HN-9920-X".to_owned()])
            .keeping_record_refs(&["CRM-4471".to_owned()]);
        b.learn("Record CRM-4471 says three visits");
        let g = b.build().unwrap();
        assert!(g.check("x", "your record CRM-4471").is_ok());
        assert!(g.check("x", "and HN-9920-X").is_err());
    }

    #[test]
    fn folding_keeps_positions() {
        for s in ["İstanbul NW1", "STRAßE ẞ", "Zoë"] {
            assert_eq!(fold(s).len(), s.len());
        }
        assert_eq!(fold("NW1 2BH"), "nw1 2bh");
    }
}
