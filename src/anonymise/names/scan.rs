//! Unregistered person names: the rules for each word, then names next to names,
//! propagation through the text (and the export), and runs of name words made one span.

mod word_rules;

use super::*;

/// How sure a word is a name, on its own.
pub(super) fn name_evidence(w: &Word<'_>) -> Option<&'static str> {
    if w.nchars < 2
        || w.is(NOT_NAME | PLACE_NAME | TITLE | KINSHIP)
        || w.lower_case && w.is(ROLE)
        || is_contraction(&w.lower)
        || w.text.bytes().any(|c| c.is_ascii_digit())
    {
        return None;
    }
    let known = w.is(FORE | SUR);
    let english = w.is(ENG);
    if w.cap || all_caps(w.text) && w.nchars > 3 {
        if known && !w.is(AMBIG) && !english {
            return Some("name in the gazetteer");
        }
    } else if w.lower_case && w.is(FORE) && !english && !w.is(AMBIG) {
        return Some("forename in the gazetteer (lower case)");
    }
    None
}

/// What the word lists say of a word, looked up once.
pub(super) struct Flags {
    english: bool,
    known: bool,
    fore: bool,
    ambiguous: bool,
    not_name: bool,
    place: bool,
    /// Hyphenated, every part a word: "follow-up", "Mon-Fri", but also "Vane-Tempest".
    compound: bool,
}

impl Flags {
    fn of(w: &Word<'_>) -> Self {
        let contraction = is_contraction(&w.lower);
        // "Mon-Fri", "follow-up": every part an ordinary word
        let compound = w.lex == 0
            && w.lower.contains('-')
            && w.lower
                .split('-')
                .all(|p| LEXICON.get(p) & (ENG | NOT_NAME) != 0);
        Flags {
            english: w.is(ENG) || contraction || compound,
            known: w.is(FORE | SUR),
            fore: w.is(FORE),
            ambiguous: w.is(AMBIG),
            not_name: w.is(NOT_NAME) || contraction,
            place: w.is(PLACE_NAME),
            compound,
        }
    }
}

/// For each word, the rule that made it a person's name, if any.
pub(super) type Evidence = [Option<&'static str>];

/// Unregistered person names: triggers, gazetteer, initials, then propagation.
pub fn find_unregistered(
    text: &str,
    ws: &[Word<'_>],
    taken: &[(usize, usize)],
    seen: &HashSet<String>,
    out: &mut Vec<Candidate>,
) {
    let scan = Scan::new(text, ws, taken);
    let mut person = vec![None::<&'static str>; ws.len()];
    for i in 0..ws.len() {
        if scan.eligible[i] {
            scan.word_evidence(i, &mut person);
        }
    }
    scan.forename_surname_pairs(&mut person);
    scan.names_next_to_names(&mut person);
    scan.propagate(&mut person, seen);
    scan.merge_runs(&person, out);
}

/// The words of one text, what the lists say of each, and which are free to be a name.
pub(super) struct Scan<'a> {
    text: &'a str,
    ws: &'a [Word<'a>],
    fl: Vec<Flags>,
    eligible: Vec<bool>,
    /// Where each word's line starts.
    line_start: Vec<usize>,
}

impl<'a> Scan<'a> {
    /// What is asked of every word, found in one pass over the words: where its line starts,
    /// its [`Flags`], whether it is eligible.
    fn new(text: &'a str, ws: &'a [Word<'a>], taken: &[(usize, usize)]) -> Self {
        let n = ws.len();
        let mut line_start = Vec::with_capacity(n);
        let mut fl = Vec::with_capacity(n);
        let mut eligible = Vec::with_capacity(n);
        let mut free = Free::new(taken);
        let mut at = 0;
        let mut prev_end = 0;
        for (i, w) in ws.iter().enumerate() {
            // where each word's line starts: a search back over the gap before it only
            if let Some(k) = text.as_bytes()[prev_end..w.start]
                .iter()
                .rposition(|&b| b == b'\n')
            {
                at = prev_end + k + 1;
            }
            line_start.push(at);
            prev_end = w.end;
            fl.push(Flags::of(w));
            eligible.push(free.holds(w) && may_be_a_name(text, ws, i));
        }
        Scan {
            text,
            ws,
            fl,
            eligible,
            line_start,
        }
    }

    /// The start of word `i`'s line, up to the word, when the word is near the line's start
    /// (where labels such as "Name:" are); `None` further along the line.
    fn line_head(&self, i: usize) -> Option<&'a str> {
        let (from, to) = (self.line_start[i], self.ws[i].start);
        (to - from <= 120).then(|| &self.text[from..to])
    }

    /// The first bytes (at most `n`) of word `i`'s line before the word, in lower case.
    fn line_label(&self, i: usize, n: usize) -> String {
        let (from, to) = (self.line_start[i], self.ws[i].start);
        let mut end = to.min(from + n);
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        self.text[from..end].trim_start().to_ascii_lowercase()
    }

    /// The text between words `a` and `b`.
    fn gap(&self, a: usize, b: usize) -> &'a str {
        &self.text[self.ws[a].end..self.ws[b].start]
    }

    fn gap_before(&self, i: usize) -> &'a str {
        i.checked_sub(1).map(|p| self.gap(p, i)).unwrap_or("")
    }

    fn prev_lower(&self, i: usize) -> Option<&'a str> {
        i.checked_sub(1).map(|p| self.ws[p].lower.as_str())
    }
}

impl<'a> Scan<'a> {
    /// A forename then a surname, both capitalised: "Sunny Smith", "Grace Woldu".
    fn forename_surname_pairs(&self, person: &mut Evidence) {
        for i in 0..self.ws.len().saturating_sub(1) {
            let (a, b) = (&self.ws[i], &self.ws[i + 1]);
            if a.cap
                && b.cap
                && a.is(FORE)
                && b.is(SUR)
                && !a.is(NOT_NAME)
                && !b.is(NOT_NAME)
                && self.gap(i, i + 1) == " "
                && self.eligible[i]
                && self.eligible[i + 1]
            {
                person[i].get_or_insert("forename and surname");
                person[i + 1].get_or_insert("forename and surname");
            }
        }
    }

    /// A known name next to an unknown capitalised word makes both a name: "Filmon Gebremedhin".
    /// Left to right, so a word found here counts as a neighbour for the next.
    fn names_next_to_names(&self, person: &mut Evidence) {
        let n = self.ws.len();
        for i in 0..n {
            if person[i].is_some() || !self.eligible[i] {
                continue;
            }
            let (w, fl) = (&self.ws[i], &self.fl[i]);
            // what the word must be whatever its neighbours, asked first: most words are not
            let plausible = (w.cap || (w.lower_case && fl.known))
                && !fl.not_name
                && !fl.place
                && !w.is(TITLE | KINSHIP)
                && !(w.lower_case && w.is(ROLE));
            if !plausible {
                continue;
            }
            let adjacent_gap = |a: usize, b: usize| {
                let gap = self.gap(a, b);
                name_gap(gap) || (gap == ", " && w.cap && !fl.english)
            };
            // across a particle: "Jorge da Costa"
            let over_particle = |p: usize, q: usize| {
                self.ws[p].is(PARTICLE) && name_gap(self.gap(p.min(q), p.max(q)))
            };
            let next_is = i + 1 < n && person[i + 1].is_some() && adjacent_gap(i, i + 1)
                || i + 2 < n
                    && person[i + 2].is_some()
                    && over_particle(i + 1, i)
                    && name_gap(self.gap(i + 1, i + 2));
            let prev_is = i > 0 && person[i - 1].is_some() && adjacent_gap(i - 1, i)
                || i > 1
                    && person[i - 2].is_some()
                    && over_particle(i - 1, i)
                    && name_gap(self.gap(i - 2, i - 1));
            let looks = !fl.english || (fl.known || fl.compound) && (next_is || prev_is) && w.cap;
            if looks && (next_is || prev_is) {
                person[i] = Some("name next to a name");
            }
        }
    }

    /// Whole-document propagation: every other mention of a found name, in any case (and
    /// of names found in the other texts of the same export, `seen`); initials spread only
    /// to the same capitals.
    fn propagate(&self, person: &mut Evidence, seen: &HashSet<String>) {
        let ws = self.ws;
        let spreads = |i: usize| {
            person[i].is_some()
                && ws[i].nchars >= 3
                && !ws[i].is(DESCRIPTOR)
                && !ws[i].is(TITLE | ROLE | KINSHIP)
        };
        let found: HashSet<&str> = (0..ws.len())
            .filter(|&i| spreads(i))
            .map(|i| ws[i].lower.as_str())
            .collect();
        // a name given by a naming phrase spreads to every use, any case: "shorty", "duchess"
        let named: HashSet<&str> = (0..ws.len())
            .filter(|&i| {
                spreads(i)
                    && person[i].is_some_and(|r| {
                        r.starts_with("name after a naming") || r.starts_with("nickname")
                    })
            })
            .map(|i| ws[i].lower.as_str())
            .collect();
        // "gloria … oh glo", "Benedikt … Benny": the start of a longer name found here
        let short_forms: HashSet<&str> = found
            .iter()
            .filter(|f| f.len() >= 5 && f.is_ascii())
            .flat_map(|f| (3..f.len() - 1).map(move |k| &f[..k]))
            .collect();
        let initials: HashSet<&str> = (0..ws.len())
            .filter(|&i| person[i].is_some() && all_caps(ws[i].text) && ws[i].nchars <= 3)
            .map(|i| ws[i].text)
            .collect();
        for i in 0..ws.len() {
            if person[i].is_some() || !self.eligible[i] {
                continue;
            }
            let w = &ws[i];
            let l = w.lower.as_str();
            // a name that is also a word ("Grace", "drew") spreads only to capitalised uses
            let word_too = self.fl[i].english || self.fl[i].ambiguous || self.fl[i].not_name;
            let here = found.contains(l);
            let elsewhere = !here && !seen.is_empty() && seen.contains(l);
            // "sids hospital letter": a possessive typed without its apostrophe
            let bare_possessive = w.lower_case
                && !self.fl[i].english
                && l.len() > 3
                && l.strip_suffix('s').is_some_and(|b| found.contains(b));
            // "a friend called April" does not make "in April" a person
            let calendar = w.is(CAL) && !person_context(self.text, ws, i);
            if (here || elsewhere) && (!word_too || w.cap || named.contains(l)) && !calendar
                || bare_possessive
            {
                person[i] = Some(if elsewhere {
                    "same name found in another text of this export"
                } else {
                    "same name found elsewhere in the text"
                });
            } else if l.len() >= 3
                && short_forms.contains(l)
                && !self.fl[i].english
                && !self.fl[i].not_name
                && !self.fl[i].place
            {
                person[i] = Some("short form of a name found elsewhere in the text");
            } else if w.nchars <= 3 && initials.contains(w.text) {
                person[i] = Some("same initials found elsewhere in the text");
            }
        }
    }

    /// Runs of name words separated by spaces become one span.
    fn merge_runs(&self, person: &Evidence, out: &mut Vec<Candidate>) {
        let n = self.ws.len();
        let mut i = 0;
        while i < n {
            let Some(rule) = person[i] else {
                i += 1;
                continue;
            };
            let mut j = i;
            loop {
                if j + 1 < n && person[j + 1].is_some() && name_gap(self.gap(j, j + 1)) {
                    j += 1;
                } else if j + 2 < n
                    && person[j + 2].is_some()
                    && self.ws[j + 1].is(PARTICLE)
                    && name_gap(self.gap(j, j + 1))
                    && name_gap(self.gap(j + 1, j + 2))
                {
                    j += 2;
                } else {
                    break;
                }
            }
            out.push(Candidate {
                start: start_with_honorific(self.text, self.ws, i),
                end: self.ws[j].end,
                kind: Kind::Person,
                rule,
                replacement: Cow::Borrowed("[PERSON]"),
            });
            i = j + 1;
        }
    }
}

/// The space between two words of one name: spaces, or one line break ("Cressida\nVane-Tempest").
pub(super) fn name_gap(gap: &str) -> bool {
    !gap.is_empty()
        && gap.chars().all(|c| c == ' ' || c == '\n')
        && gap.chars().filter(|c| *c == '\n').count() <= 1
}

/// The words of a found name that may be looked for in other texts: not a title, role,
/// describing word or particle, three letters or more.
pub fn spreadable_parts(name: &str) -> Vec<String> {
    words(name)
        .into_iter()
        .filter(|w| {
            w.nchars >= 3
                && !w.is(TITLE | HONORIFIC | ROLE | KINSHIP | NOT_NAME | PLACE_NAME)
                && !w.is(DESCRIPTOR)
                && !w.is(PARTICLE)
        })
        .map(|w| w.lower.to_string())
        .collect()
}

/// Whether words, taken in order, are outside every span already found.
///
/// The words come in order and their ends rise, so one walk over the spans sorted by start,
/// keeping the furthest end of those starting before the word's end, tells for every word
/// whether a span reaches into it.
pub(super) struct Free {
    spans: Vec<(usize, usize)>,
    /// The spans starting before the last word's end.
    k: usize,
    /// The furthest end among them.
    max_end: usize,
}

impl Free {
    fn new(taken: &[(usize, usize)]) -> Self {
        let mut spans = taken.to_vec();
        spans.sort_unstable();
        Free {
            spans,
            k: 0,
            max_end: 0,
        }
    }

    /// No span reaches into `w` (asked of the words in order).
    fn holds(&mut self, w: &Word<'_>) -> bool {
        count_ops(1);
        while let Some(&(s, e)) = self.spans.get(self.k)
            && s < w.end
        {
            count_ops(1);
            self.max_end = self.max_end.max(e);
            self.k += 1;
        }
        self.k == 0 || self.max_end <= w.start
    }
}

/// Word `i` can be a name as far as its own shape goes: no digits, not a plural
/// abbreviation, not part of a place's name. With [`Free`], whether a word is eligible.
pub(super) fn may_be_a_name(text: &str, ws: &[Word<'_>], i: usize) -> bool {
    let t = ws[i].text;
    !t.bytes().any(|b| b.is_ascii_digit()) && !plural_acronym(t) && !in_place_name(text, ws, i)
}
