//! Registered people (participants, people mentioned) in any form their names are written.

use super::*;

/// A registered person's name parts and pseudonym.
pub struct Registered {
    full: Vec<(Vec<String>, String)>,
    parts: HashMap<String, String>,
    long_parts: Vec<(Vec<char>, String)>,
}

impl Registered {
    /// From (real name, pseudonym) pairs.
    pub fn new(people: &[(String, String)]) -> Self {
        let mut full = Vec::new();
        let mut parts = HashMap::default();
        let mut long_parts = Vec::new();
        for (name, code) in people {
            let ps: Vec<String> = words(name)
                .iter()
                .map(|w| fold_accents(&w.lower).into_owned())
                .collect();
            if ps.is_empty() {
                continue;
            }
            for p in &ps {
                if p.chars().count() >= 2
                    && !PARTICLES.contains(p.as_str())
                    && !TITLES.contains(p.as_str())
                {
                    parts.entry(p.clone()).or_insert_with(|| code.clone());
                    if p.chars().count() >= 6 {
                        long_parts.push((p.chars().collect(), code.clone()));
                    }
                }
            }
            full.push((ps, code.clone()));
        }
        // longest names first, so "Aisha Khan" wins over "Aisha"
        full.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        Self {
            full,
            parts,
            long_parts,
        }
    }

    /// Registered names in `ws`.
    pub fn find(&self, text: &str, ws: &[Word<'_>], out: &mut Vec<Candidate>) {
        let mut i = 0;
        while i < ws.len() {
            let mut matched = None;
            let key = fold_accents(&ws[i].lower);
            // one lookup answers both whether the word is a part and whose
            let part = self.parts.get(key.as_ref());
            let is_part = part.is_some();
            for (parts, code) in self.full.iter().filter(|_| is_part) {
                let n = parts.len();
                if n > 1
                    && i + n <= ws.len()
                    && (0..n).all(|k| fold_accents(&ws[i + k].lower) == parts[k].as_str())
                {
                    matched = Some((n, code.clone(), "registered name (full name)"));
                    break;
                }
            }
            if matched.is_none() {
                if let Some(code) = part.filter(|_| registered_word_is_a_name(text, ws, i)) {
                    matched = Some((1, code.clone(), "registered name (part of the name)"));
                } else if let Some(code) = self.typo(&ws[i], &key, is_part) {
                    matched = Some((1, code, "registered name (one-letter variant)"));
                } else if let Some((n, code, rule)) = self.disguised(text, ws, i) {
                    matched = Some((n, code, rule));
                }
            }
            if let Some((n, code, rule)) = matched {
                out.push(Candidate {
                    start: start_with_honorific(text, ws, i),
                    end: ws[i + n - 1].end,
                    kind: Kind::RegisteredName,
                    rule,
                    replacement: Cow::Owned(code),
                });
                i += n;
            } else {
                i += 1;
            }
        }
    }

    /// A registered name written to hide it, starting at word `i`: broken by a hyphen and a
    /// line break ("Lo-\npez"), split by a hyphen ("Ma-ria"), letter-spaced ("M a r i a"), or
    /// run into a handle ("@marialopez88", "mlopez_88"). Full-width letters are folded when
    /// the words are made, accents by [`fold_accents`]. Returns the number of words it covers.
    pub(super) fn disguised(
        &self,
        text: &str,
        ws: &[Word<'_>],
        i: usize,
    ) -> Option<(usize, String, &'static str)> {
        let w = &ws[i];
        // broken over a line by a hyphen
        if let Some(next) = ws.get(i + 1) {
            let gap = &text[w.end..next.start];
            if gap.starts_with('-')
                && gap[1..]
                    .trim_start_matches([' ', '\t', '\r'])
                    .starts_with('\n')
                && gap[1..].trim().is_empty()
            {
                let joined = fold_accents(&format!("{}{}", w.lower, next.lower)).into_owned();
                if let Some(code) = self.parts.get(joined.as_str()) {
                    return Some((2, code.clone(), "registered name (broken over a line)"));
                }
            }
        }
        // split by a hyphen inside the word
        if w.lower.contains('-') {
            let joined: String = fold_accents(&w.lower)
                .chars()
                .filter(|c| *c != '-')
                .collect();
            if let Some(code) = self.parts.get(joined.as_str()) {
                return Some((1, code.clone(), "registered name (split by a hyphen)"));
            }
        }
        // letter-spaced: single letters one space apart
        if w.nchars == 1 {
            let mut j = i;
            let mut joined = String::from(w.lower.as_str());
            while let Some(n) = ws.get(j + 1) {
                if n.nchars != 1 || &text[ws[j].end..n.start] != " " {
                    break;
                }
                joined.push_str(&n.lower);
                j += 1;
            }
            if j >= i + 2
                && let Some(code) = self.parts.get(fold_accents(&joined).as_ref())
            {
                return Some((j - i + 1, code.clone(), "registered name (letter-spaced)"));
            }
        }
        // a handle or address: digits in the word, or an @ before it
        let handle = w.text.bytes().any(|b| b.is_ascii_digit())
            || text[..w.start].ends_with(['@', '/', '_']);
        if handle && w.nchars >= 4 {
            let letters: String = fold_accents(&w.lower)
                .chars()
                .filter(|c| c.is_alphabetic())
                .collect();
            if let Some((_, code)) = self
                .parts
                .iter()
                .filter(|(p, _)| p.chars().count() >= 4)
                .find(|(p, _)| letters.contains(p.as_str()))
            {
                return Some((
                    1,
                    code.clone(),
                    "registered name (inside a handle or address)",
                ));
            }
        }
        None
    }

    /// A word one edit away from a long registered part (`folded`: the word's lower case
    /// without accents; `is_part`: it is a registered part as it is).
    pub(super) fn typo(&self, word: &Word<'_>, folded: &str, is_part: bool) -> Option<String> {
        // most words are short or English: decide before collecting characters
        if word.nchars < 5 || word.is(ENG) || self.long_parts.is_empty() || is_part {
            return None;
        }
        // one edit changes the length by at most one: most words are near no part's length
        let len = folded.chars().count();
        if !self
            .long_parts
            .iter()
            .any(|(p, _)| p.len().abs_diff(len) <= 1)
        {
            return None;
        }
        let w: Vec<char> = folded.chars().collect();
        self.long_parts
            .iter()
            .find(|(p, _)| within_one_edit(&w, p))
            .map(|(_, c)| c.clone())
    }
}

/// A registered name that is also a word ("Grace", "Penny", "Sunday") is the person only where
/// the text says a person is meant: "grace periods" and "a penny" stay, "Penny:" and "grace
/// gave her date of birth" go. Other registered names always go.
pub(super) fn registered_word_is_a_name(text: &str, ws: &[Word<'_>], i: usize) -> bool {
    let w = &ws[i];
    let calendar = w.is(CAL);
    if !(calendar || w.is(WORD_NAME)) {
        return true;
    }
    if person_context(text, ws, i) {
        return true;
    }
    w.cap && !calendar && !at_sentence_start(text, w) && !after_determiner(text, ws, i)
}

/// Damerau–Levenshtein distance ≤ 1 (one insertion, deletion, substitution or swap).
pub fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if prefix == la && la == lb {
        return true;
    }
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    if la == lb {
        ra[1..] == rb[1..]
            || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
    } else if la > lb {
        ra[1..] == *rb
    } else {
        *ra == rb[1..]
    }
}
