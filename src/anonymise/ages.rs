//! Exact ages generalised to bands: an age is a quasi-identifier (with a place and a date it
//! can single a person out), a band is not.
//!
//! Found only where the text says it is an age: "aged 34", "age 34", "34-year-old",
//! "34 years old", "34 yrs", "P02 - 34", "Mariam (34)" or "amara (4)" after a name or
//! pseudonym, "son, 7," after a word for a child. "In his 40s" is already a band and stays.
//!
//! Bands: adults by decade ("30–39"; "18–19" for the two adult years under twenty, "90+"
//! above ninety); children "under 5", "5–11" (primary school) and "12–17" (secondary).

use std::sync::LazyLock;

use regex::Regex;

use super::names::Word;
use super::{Candidate, Kind};

/// The band an age in years falls into.
pub fn band(age: u32) -> String {
    match age {
        0..=4 => "under 5".to_owned(),
        5..=11 => "5–11".to_owned(),
        12..=17 => "12–17".to_owned(),
        18..=19 => "18–19".to_owned(),
        90.. => "90+".to_owned(),
        n => format!("{}–{}", n / 10 * 10, n / 10 * 10 + 9),
    }
}

const RULE: &str =
    "exact age, generalised to a band (adults by decade; children under 5, 5–11, 12–17)";

/// "aged 34", "age: 34", "34-year-old", "34 year old", "34 years old", "34 yrs", "34yo".
static STATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i-u)\b(?:aged?[ \t]*:?[ \t]*(\d{1,3})\b|(\d{1,3})[ \t\-]*(?:years?|yrs?)[ \t\-]*old\b|(\d{1,3})[ \t]*(?:yrs?|yo|y/o)\b)",
    )
    .unwrap_or_else(|e| panic!("invalid built-in pattern: {e}"))
});

/// "(34)" or "(4)": an age in brackets, kept when a name or pseudonym is just before it.
static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u)\((\d{1,3})\)").unwrap_or_else(|e| panic!("invalid built-in pattern: {e}"))
});

/// "P02 - 34", "P02, 34,": a pseudonym then an age.
static AFTER_PSEUDONYM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\bP\d{1,3}[ \t]*)(?:[\-,:]|–)(?-u:[ \t]*(\d{1,2})\b)")
        .unwrap_or_else(|e| panic!("invalid built-in pattern: {e}"))
});

/// Words for a child or a person, after which ", 7," is an age.
const CHILD_WORDS: &[&str] = &[
    "son",
    "daughter",
    "girl",
    "boy",
    "child",
    "kid",
    "baby",
    "brother",
    "sister",
    "nephew",
    "niece",
    "grandson",
    "granddaughter",
    "toddler",
];

fn push(out: &mut Vec<Candidate>, start: usize, end: usize, age: &str) {
    let Ok(n) = age.parse::<u32>() else { return };
    if n > 120 {
        return;
    }
    out.push(Candidate {
        start,
        end,
        kind: Kind::Age,
        rule: RULE,
        replacement: std::borrow::Cow::Owned(band(n)),
    });
}

/// Whether the word just before byte `at` names a person: a capitalised word, a registered
/// name already found, a pseudonym (P02, Person A) or a lower-case name followed by "(4)".
fn person_before(text: &str, ws: &[Word<'_>], taken: &[(usize, usize)], at: usize) -> bool {
    let before = text[..at].trim_end();
    if taken.iter().any(|(_, e)| *e == before.len()) {
        return true;
    }
    let Some(w) = ws.iter().rev().find(|w| w.end <= before.len()) else {
        return false;
    };
    if w.end != before.len() {
        return false;
    }
    let t = w.text;
    t.chars().next().is_some_and(char::is_uppercase)
        || (t.starts_with('P') && t[1..].bytes().all(|b| b.is_ascii_digit()))
        || ws
            .iter()
            .rev()
            .skip_while(|x| x.start >= w.start)
            .take(3)
            .any(|x| CHILD_WORDS.contains(&x.lower.as_str()))
}

/// Finds exact ages (`taken`: the spans other recognisers found, whose end may be a name).
pub(crate) fn find(
    text: &str,
    ws: &[Word<'_>],
    taken: &[(usize, usize)],
    out: &mut Vec<Candidate>,
) {
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return;
    }
    for c in STATED.captures_iter(text) {
        let Some(g) = (1..=3).find_map(|k| c.get(k)) else {
            continue;
        };
        push(out, g.start(), g.end(), g.as_str());
    }
    for c in AFTER_PSEUDONYM.captures_iter(text) {
        if let Some(g) = c.get(1) {
            push(out, g.start(), g.end(), g.as_str());
        }
    }
    for c in BRACKETED.captures_iter(text) {
        let (Some(m), Some(g)) = (c.get(0), c.get(1)) else {
            continue;
        };
        if person_before(text, ws, taken, m.start()) {
            push(out, g.start(), g.end(), g.as_str());
        }
    }
    // "son, 7," "her daughter, 15,"
    for (i, w) in ws.iter().enumerate() {
        if !CHILD_WORDS.contains(&w.lower.as_str()) {
            continue;
        }
        let Some(n) = ws.get(i + 1) else { continue };
        let gap = &text[w.end..n.start];
        let after = text[n.end..].chars().next();
        if gap.trim() == ","
            && n.text.len() <= 2
            && n.text.bytes().all(|b| b.is_ascii_digit())
            && matches!(after, Some(',' | ')' | ';') | None)
        {
            push(out, n.start, n.end, n.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ages(text: &str) -> Vec<(String, String)> {
        let ws = super::super::names::words(text);
        let mut v = Vec::new();
        find(text, &ws, &[], &mut v);
        v.into_iter()
            .map(|c| (text[c.start..c.end].to_owned(), c.replacement.into_owned()))
            .collect()
    }

    fn one(text: &str, age: &str, band: &str) {
        let got = ages(text);
        assert!(
            got.iter().any(|(a, b)| a == age && b == band),
            "{text}: {got:?}"
        );
    }

    #[test]
    fn bands() {
        assert_eq!(band(0), "under 5");
        assert_eq!(band(4), "under 5");
        assert_eq!(band(5), "5–11");
        assert_eq!(band(11), "5–11");
        assert_eq!(band(12), "12–17");
        assert_eq!(band(17), "12–17");
        assert_eq!(band(18), "18–19");
        assert_eq!(band(34), "30–39");
        assert_eq!(band(40), "40–49");
        assert_eq!(band(89), "80–89");
        assert_eq!(band(97), "90+");
    }

    #[test]
    fn ages_in_their_usual_forms_become_bands() {
        one("P02 - 34, lives alone", "34", "30–39");
        one("woman aged 34 came in", "34", "30–39");
        one("age 61", "61", "60–69");
        one("Age: 52", "52", "50–59");
        one("a 34-year-old man", "34", "30–39");
        one("she is 71 years old", "71", "70–79");
        one("he's 45 yrs and tired", "45", "40–49");
        one("Mariam (34) said", "34", "30–39");
        one("her little girl amara (4) was there", "4", "under 5");
        one("came with her son, 7, and the pram", "7", "5–11");
        one("a 15 year old from the estate", "15", "12–17");
        one("a 15-year-old from the estate", "15", "12–17");
    }

    #[test]
    fn bands_counts_and_times_stay() {
        for text in [
            "in his 40s",
            "14 of 20 said yes",
            "at 16:30",
            "waited (3) hours",
            "see page (34)",
            "option (2) was better",
            "the 134 bus",
            "for 2 years",
            "lived here 12 years",
            "room 34",
            "COVID-19",
            "a 5-year plan",
        ] {
            assert!(ages(text).is_empty(), "{text}: {:?}", ages(text));
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "aged 9999",
            "(",
            "son, ",
            "P1 - ",
            "age",
            "é (3)",
            "aged 000",
        ] {
            let _ = ages(text);
        }
    }
}
