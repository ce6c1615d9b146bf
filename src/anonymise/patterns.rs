//! Recognisers for structured UK identifiers, each validated where a checksum or an
//! official format exists.

use std::sync::LazyLock;

use regex::Regex;

use super::{Candidate, Kind};

mod spoken;

fn re(p: &str) -> Regex {
    // Patterns are constants checked by the unit tests; a bad one is a build defect.
    Regex::new(p).unwrap_or_else(|e| panic!("invalid built-in pattern {p}: {e}"))
}

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i-u)\b[a-z0-9][a-z0-9._%+\-]*@[a-z0-9][a-z0-9.\-]*\.[a-z]{2,}\b"));

/// UK postcodes by the official format: outward A9, A99, A9A, AA9, AA99, AA9A; inward digit
/// and two letters (never C I K M O V); Q V X never first; I J Z never second; GIR 0AA.
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i-u)\b(GIR ?0AA|(?:[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?) ?[0-9][ABD-HJLNP-UW-Z]{2})\b",
    )
});

static NHS: LazyLock<Regex> = LazyLock::new(|| re(r"(?-u)\b\d{3}[ \-]?\d{3}[ \-]?\d{4}\b"));

/// National Insurance numbers: D F I Q U V never either prefix letter, O never second.
static NINO: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i-u)\b([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])\b")
});

/// UK mobiles and landlines (07…, 01…, 02…, 03…, 08…, with +44, 0044 or (0) forms), an area
/// code in brackets ("(020) 8448 6072": only then is a bracket part of the number), digits
/// grouped by spaces, hyphens or dots however the writer liked ("07700.914.382",
/// "07 3 9 4 1 5 5 2 0 6 8"), and international numbers written with a leading +.
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?-u)\(0[1-9]\d{1,3}\)(?:[ \-.]?\d){6,8}\b|(?:\+44[ \-.]?(?:\(0\)[ \-.]?)?|\b0044[ \-.]?(?:\(0\)[ \-.]?)?|\b0 ?)[1-9](?:[ \-.]?\d){7,10}\b|\+(?:[1-9]\d{0,2})(?:[ \-.]?\d){7,12}\b",
    )
});

/// Ten digits in any grouping (spaces, dots or hyphens between any of them), for NHS
/// numbers written "9991.858.709" or "2507 291 427"; the checksum decides.
static DIGIT_RUN: LazyLock<Regex> = LazyLock::new(|| re(r"(?-u)\b\d(?:[ .\-]?\d)*\b"));

/// Postcodes with their characters spaced out or grouped oddly ("N W 1 2BH", "n w 1 2 b h");
/// [`POSTCODE`] finds the usual forms.
static POSTCODE_SPACED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i-u)\b(?:[A-PR-UWYZ] ?[0-9](?: ?[0-9A-HJKPSTUW])?|[A-PR-UWYZ] ?[A-HK-Y] ?[0-9](?: ?[0-9ABEHMNPRVWXY])?) ?[0-9] ?[ABD-HJLNP-UW-Z] ?[ABD-HJLNP-UW-Z]\b",
    )
});

/// Case references: letters then digits, with - / or space between parts (CRM 1900383,
/// HNG-2023-04417, HPO/22/9837, CAD 3381/12JAN), and mixed letter-digit codes (K01CL417).
static CASE_REF: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?-u)\b(?:[A-Z]{2,5}(?:[ \-/]|-)\d{2,}(?:[\-/][A-Z0-9]+)*|[A-Z]{2,5}\d{4,}|(?:[A-Z]+\d+[A-Z]+\d+[A-Z0-9]*|\d+[A-Z]+\d+[A-Z0-9]*)[A-Z0-9]*)\b",
    )
});

/// References in lower case with two or more number groups: "hpr-2025-3390", "hpo/22/9837".
static CASE_REF_LOWER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i-u)\b[a-z]{2,5}[\-/]\d{2,}(?:[\-/][a-z0-9]*\d[a-z0-9]*)+\b"));

const STREET: &str = r"(?:road|rd|street|st|grove|crescent|square|sq|lane|ln|avenue|ave|park|place|pl|gardens|gdns|close|way|terrace|estate|court|ct|hill|rise|row|mews|walk|drive|dr|green|parade|yard|view|vale|gate|wharf)";

static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)(?-u:\b)(?:(?:flat|apartment|apt|room|unit)[ \t]*\d+[a-z]?,?[ \t]+)?(?:\d+[a-z]?,?[ \t]+(?:[A-Za-z\u{{C0}}-\u{{24F}}'\-]+[ \t]+){{1,3}}{STREET}(?-u:\b)(?:[ \t]+estate(?-u:\b))?|(?:(?-i:[A-Z\u{{C0}}-\u{{DE}}])[A-Za-z\u{{C0}}-\u{{24F}}'\-]*[ \t]+){{1,2}}(?:house|court|tower|lodge|mansions|buildings),?[ \t]+(?:[A-Za-z\u{{C0}}-\u{{24F}}'\-]+[ \t]+){{1,3}}{STREET}(?-u:\b))"
    ))
});

const MONTHS: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

/// Dates with a year: 12/07/1955, 11.11.71, 23/4/84, 9 June '86, 12th Dec 1996.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i-u)\b(?:(\d{{1,2}})[/.\-](\d{{1,2}})[/.\-](\d{{4}}|\d{{2}})\b|(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTHS})\.?,?\s+('?\d{{4}}\b|'\d{{2}}\b))"
    ))
});

/// Dates year first, as forms and systems write them: 1979-10-09, 1979/10/09.
static ISO_DATE_IN_TEXT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?-u)\b((?:19|20)\d{2})([\-/.])(\d{1,2})([\-/.])(\d{1,2})\b"));

static DOB_TRIGGER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i-u)\b(?:d\.?o\.?b\.?|date of birth|born|birthday|aged? )"));

/// NHS number checksum: weights 10..2 on the first nine digits, 11 − (sum mod 11), 11 → 0,
/// 10 → invalid, must equal the tenth digit.
pub fn nhs_valid(digits: &[u8]) -> bool {
    if digits.len() != 10 {
        return false;
    }
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    let check = 11 - (sum % 11);
    let check = if check == 11 { 0 } else { check };
    check != 10 && check == u32::from(digits[9])
}

fn digits(s: &str) -> Vec<u8> {
    s.bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect()
}

fn push(
    out: &mut Vec<Candidate>,
    start: usize,
    end: usize,
    kind: Kind,
    rule: &'static str,
    replacement: impl Into<std::borrow::Cow<'static, str>>,
) {
    out.push(Candidate {
        start,
        end,
        kind,
        rule,
        replacement: replacement.into(),
    });
}

/// The year today, for telling a date of birth from a recent date.
static THIS_YEAR: LazyLock<i32> = LazyLock::new(|| time::OffsetDateTime::now_utc().year());

/// Street words, and the words a named building ends in, as [`ADDRESS`] spells them.
static STREET_WORDS: LazyLock<rustc_hash::FxHashSet<&'static str>> = LazyLock::new(|| {
    STREET
        .trim_start_matches("(?:")
        .trim_end_matches(')')
        .split('|')
        .collect()
});
const BUILDING_WORDS: &[&str] = &["house", "court", "tower", "lodge", "mansions", "buildings"];
/// The words a building with flats in it may end in (see [`FLAT`]).
const FLAT_BUILDING_WORDS: &[&str] = &[
    "house",
    "court",
    "tower",
    "lodge",
    "mansions",
    "buildings",
    "estate",
    "heights",
    "point",
    "block",
    "gardens",
    "place",
    "hall",
];

/// Whether an address can be in the text: a street word with a number or a building word
/// at most four words before it. Most notes have none, and the address pattern is the
/// slowest of all, so it only runs when this holds.
fn may_hold_address(ws: &[super::names::Word<'_>]) -> bool {
    ws.iter().enumerate().any(|(i, w)| {
        (STREET_WORDS.contains(w.lower.as_str()) || FLAT_BUILDING_WORDS.contains(&w.lower.as_str()))
            && ws[i.saturating_sub(4)..i].iter().any(|p| {
                p.text.starts_with(|c: char| c.is_ascii_digit())
                    || BUILDING_WORDS.contains(&p.lower.as_str())
            })
    })
}

/// Finds every structured identifier in `text` (`ws`: its words).
pub(crate) fn find(text: &str, ws: &[super::names::Word<'_>], out: &mut Vec<Candidate>) {
    // every identifier but an email address or a named building holds a digit: most
    // sentences have none
    if text.contains('@') {
        super::count_ops(text.len());
        emails(text, out);
    }
    if may_hold_address(ws) {
        super::count_ops(text.len());
        addresses(text, out);
    }
    if text.bytes().any(|b| b.is_ascii_digit()) {
        // six patterns, each a pass over the text
        super::count_ops(6 * text.len());
        numbered(text, out);
        references(text, ws, out);
    }
    spoken::phones(text, ws, out);
    spoken::dates(text, ws, *THIS_YEAR, out);
}

fn emails(text: &str, out: &mut Vec<Candidate>) {
    for m in EMAIL.find_iter(text) {
        push(
            out,
            m.start(),
            m.end(),
            Kind::Email,
            "email address",
            "[EMAIL]",
        );
    }
}

/// An address, found by `rule`.
fn push_address(out: &mut Vec<Candidate>, m: &regex::Match<'_>, rule: &'static str) {
    push(out, m.start(), m.end(), Kind::Address, rule, "[ADDRESS]");
}

/// An NHS number whose check digit holds.
fn push_nhs(out: &mut Vec<Candidate>, m: &regex::Match<'_>) {
    push(
        out,
        m.start(),
        m.end(),
        Kind::NhsNumber,
        "NHS number (valid mod-11 checksum)",
        "[NHS NUMBER]",
    );
}

fn numbered(text: &str, out: &mut Vec<Candidate>) {
    for m in NHS.find_iter(text) {
        if nhs_valid(&digits(m.as_str())) {
            push_nhs(out, &m);
        }
    }
    for c in NINO.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        let prefix = c
            .get(1)
            .map(|p| p.as_str().to_ascii_uppercase())
            .unwrap_or_default();
        if ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(&prefix.as_str()) {
            continue;
        }
        push(
            out,
            m.start(),
            m.end(),
            Kind::NiNumber,
            "National Insurance number",
            "[NI NUMBER]",
        );
    }
    for c in POSTCODE.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        let pc = m.as_str().to_ascii_uppercase().replace(' ', "");
        let outward = &pc[..pc.len().saturating_sub(3)];
        push(
            out,
            m.start(),
            m.end(),
            Kind::Postcode,
            "UK postcode, generalised to its outward code",
            outward.to_owned(),
        );
    }
    for m in DIGIT_RUN.find_iter(text) {
        let d = digits(m.as_str());
        let groups = m.as_str().split([' ', '.', '-']).count();
        // digits one by one are a phone number read out, not an NHS number, unless the
        // text says so
        let nhs_said = text[floor_boundary(text, m.start().saturating_sub(24))..m.start()]
            .to_ascii_lowercase()
            .contains("nhs");
        if d.len() == 10 && nhs_valid(&d) && (groups <= 4 || nhs_said) {
            push_nhs(out, &m);
        }
    }
    for m in POSTCODE_SPACED.find_iter(text) {
        let s = m.as_str();
        if POSTCODE.find(s).is_some_and(|p| p.len() == s.len()) {
            continue;
        }
        // a lone "a" or "I" before a number is a word, not the start of a postcode
        if s.starts_with(['a', 'i', 'A', 'I']) && s.as_bytes().get(1) == Some(&b' ') {
            continue;
        }
        let pc = s.to_ascii_uppercase().replace(' ', "");
        let outward = &pc[..pc.len().saturating_sub(3)];
        push(
            out,
            m.start(),
            m.end(),
            Kind::Postcode,
            "UK postcode (spaced out), generalised to its outward code",
            outward.to_owned(),
        );
    }
    for m in PHONE.find_iter(text) {
        // 9 to 11 national digits after a +44 or 0044 (and a "(0)"), 9 to 13 otherwise
        let s = m.as_str();
        let national = s
            .strip_prefix("+44")
            .or_else(|| s.strip_prefix("0044"))
            .map(|r| r.trim_start_matches([' ', '-', '.']))
            .map(|r| r.strip_prefix("(0)").unwrap_or(r));
        let ok = match national {
            Some(r) => (9..=11).contains(&digits(r).len()),
            None => (9..=13).contains(&digits(s).len()),
        };
        if ok {
            push(
                out,
                m.start(),
                m.end(),
                Kind::Phone,
                "phone number",
                "[PHONE]",
            );
        }
    }
    for m in CASE_REF
        .find_iter(text)
        .chain(CASE_REF_LOWER.find_iter(text))
    {
        let s = m.as_str();
        let d = s.bytes().filter(u8::is_ascii_digit).count();
        let prefix: String = s
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        // a label before a number is not part of a reference: "DOB 23/4/84", "NHS 943…"
        let label = [
            "DOB", "NHS", "NI", "TEL", "MOB", "REF", "NO", "FLAT", "AGE", "AGED", "ROOM", "DESK",
            "GP", "CALL", "DPIA",
        ]
        .contains(&prefix.as_str());
        if d >= 3 && !label {
            push(
                out,
                m.start(),
                m.end(),
                Kind::CaseRef,
                "case reference (letters and digits)",
                "[CASE REF]",
            );
        }
    }
    dates_of_birth(text, out);
}

/// The nearest character boundary at or before `i`.
fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Words after which a reference number follows: "letter ref hpo-2025-1142", "crime ref
/// 02/99817/25", "case no. 55120", "reference HNX 2025 1178".
const REF_CONTEXT: &[&str] = &[
    "ref",
    "refs",
    "reference",
    "case",
    "crime",
    "crm",
    "police",
    "claim",
    "letter",
    "file",
    "incident",
    "log",
    "ticket",
    "complaint",
    "application",
    "enquiry",
    "cad",
];

/// What may stand between a context word and its reference ("no.", "number", ":", "is"), then
/// the reference: letter-and-digit groups joined by - / or . and, after a space, further
/// groups that start with a digit ("HNX 2025 1178"). Applied to at most 80 bytes after a
/// context word, so its cost stays linear in the text.
static REF_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i-u)\A((?:[ \t]*(?:no\.?|nr\.?|num(?:ber)?|ref\.?|reference|is|was|[:#]))*)[ \t]*([a-z0-9]+(?:[\-/.][a-z0-9]+)*(?:[ \t][0-9][a-z0-9]{2,}(?:[\-/.][a-z0-9]+)*)*)",
    )
});

static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?-u)\A(?:19|20)\d{2}[\-/.]\d{1,2}[\-/.]\d{1,2}\z"));

/// References in free formats after a context word. A bare number needs four digits and not
/// to be a year (or three after "no."/"ref"); dates and times are not references.
fn references(text: &str, ws: &[super::names::Word<'_>], out: &mut Vec<Candidate>) {
    for w in ws
        .iter()
        .filter(|w| REF_CONTEXT.contains(&w.lower.as_str()))
    {
        let end = floor_boundary(text, w.end + 80);
        let Some(c) = REF_AFTER.captures(&text[w.end..end]) else {
            continue;
        };
        let (Some(marker), Some(r)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let s = r.as_str();
        let nd = s.bytes().filter(u8::is_ascii_digit).count();
        let all_digits = s.bytes().all(|b| b.is_ascii_digit());
        let marked = !marker.as_str().trim().is_empty();
        let year_like = s.len() == 4 && (s.starts_with("19") || s.starts_with("20"));
        // a word before the numbers is a prefix ("HNX 2025 1178") only when it is short, not
        // an ordinary word, and more than a year follows it ("case from 2019")
        let (head, rest) = s.split_once([' ', '\t']).unwrap_or((s, ""));
        if head.bytes().all(|b| b.is_ascii_alphabetic()) {
            let rest = rest.trim();
            let year_only = rest.len() == 4 && (rest.starts_with("19") || rest.starts_with("20"));
            let word = [
                "from", "in", "on", "since", "dated", "date", "of", "the", "for", "at", "by", "to",
                "and", "about", "re", "until", "due", "back", "before", "after", "around", "til",
            ]
            .contains(&head.to_ascii_lowercase().as_str());
            if head.len() > 5 || year_only || word {
                continue;
            }
        }
        let ok = if all_digits {
            !year_like && (nd >= 4 || (marked && nd >= 3))
        } else {
            nd >= 3 && !ISO_DATE.is_match(s) && DATE.find(s).is_none_or(|d| d.len() != s.len())
        };
        if ok {
            push(
                out,
                w.end + r.start(),
                w.end + r.end(),
                Kind::CaseRef,
                "case or crime reference (after a word such as ref, case, crime or letter)",
                "[CASE REF]",
            );
        }
    }
}

/// A flat in a named building, with or without a street after it: "Flat 7, Harrowby Court",
/// "flat 3b Marchmont House".
static FLAT: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)(?-u:\b)(?:flat|apartment|apt|unit)[ \t]*\d+[a-z]?,?[ \t]+((?:[A-Za-z\u{{C0}}-\u{{24F}}'\-]+[ \t]+){{1,3}})(?:house|court|tower|lodge|mansions|buildings|estate|heights|point|block|gardens|place|hall){ST}(?-u:\b)",
        ST = r"(?:,?[ \t]+(?:\d+[a-z]?[ \t]+)?(?:[A-Za-z\u{C0}-\u{24F}'\-]+[ \t]+){1,3}(?:road|rd|street|st|lane|avenue|ave|grove|crescent|square|close|way|terrace|gardens|place|drive|walk|row|hill|mews))?"
    ))
});

/// Small words that never name a building: "flat 2 in the house" is not an address.
const NOT_BUILDING_NAME: &[&str] = &[
    "the", "a", "an", "in", "at", "of", "on", "my", "his", "her", "their", "our", "your", "with",
    "this", "that", "and", "or", "to", "for", "is", "was", "same", "whole",
];

/// Street addresses: with a house number, or a named building and a street (which need no
/// digit, so they are searched in every text).
fn addresses(text: &str, out: &mut Vec<Candidate>) {
    // words of a sentence, not of a street's name: "on 6 June 2023, at Pancras Square", "at
    // 16:30, so Dr Kavanagh"
    const PROSE: &[&str] = &[
        "at", "so", "in", "on", "to", "and", "from", "for", "by", "with", "is", "was", "then", "a",
        "an", "we", "i", "he", "she", "it", "they", "but", "or", "if", "when", "near",
    ];
    for m in ADDRESS.find_iter(text) {
        let prose = m
            .as_str()
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| PROSE.contains(&w.to_ascii_lowercase().as_str()));
        // the minutes of a time ("16:30") are not a house number
        let time = text[..m.start()].ends_with(':');
        if prose || time {
            continue;
        }
        push_address(
            out,
            &m,
            "street address (number and street, or building and street)",
        );
    }
    for c in FLAT.captures_iter(text) {
        let (Some(m), Some(name)) = (c.get(0), c.get(1)) else {
            continue;
        };
        if name
            .as_str()
            .split_whitespace()
            .any(|w| NOT_BUILDING_NAME.contains(&w.to_ascii_lowercase().as_str()))
        {
            continue;
        }
        push_address(
            out,
            &m,
            "flat in a named building (flat number and building name)",
        );
    }
}

fn year_of(raw: &str, this_year: i32) -> Option<i32> {
    let y = raw.trim_start_matches('\'');
    let n: i32 = y.parse().ok()?;
    Some(if y.len() == 2 {
        if n > this_year % 100 {
            1900 + n
        } else {
            2000 + n
        }
    } else {
        n
    })
}

/// What a date of birth becomes: the decade of the year ("[DOB 1960s]"). A year of birth is
/// an exact age, which exports generalise to a band; the decade is the same band.
pub(crate) fn birth_decade(year: i32) -> String {
    format!("[DOB {}s]", year.div_euclid(10) * 10)
}

/// Dates of birth: a date after a DOB trigger (within 40 characters), or any date with a
/// year long enough ago that it cannot be the interview's date. Generalised to the decade.
fn dates_of_birth(text: &str, out: &mut Vec<Candidate>) {
    let this_year = *THIS_YEAR;
    for c in ISO_DATE_IN_TEXT.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        let num = |k: usize| c.get(k).and_then(|g| g.as_str().parse::<i32>().ok());
        let (Some(year), Some(month), Some(day)) = (num(1), num(3), num(5)) else {
            continue;
        };
        let same_sep = c.get(2).map(|g| g.as_str()) == c.get(4).map(|g| g.as_str());
        if !same_sep || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            continue;
        }
        let window_start = floor_boundary(text, m.start().saturating_sub(40));
        let triggered = DOB_TRIGGER.is_match(&text[window_start..m.start()]);
        if triggered || year <= this_year - 14 {
            push(
                out,
                m.start(),
                m.end(),
                Kind::DateOfBirth,
                "date of birth (year first), generalised to the decade",
                birth_decade(year),
            );
        }
    }
    for c in DATE.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        let year_raw = c
            .get(3)
            .or_else(|| c.get(6))
            .map(|y| y.as_str())
            .unwrap_or("");
        let Some(year) = year_of(year_raw, this_year) else {
            continue;
        };
        let window_start = text[..m.start()]
            .char_indices()
            .rev()
            .nth(39)
            .map(|(i, _)| i)
            .unwrap_or(0);
        let triggered = DOB_TRIGGER.is_match(&text[window_start..m.start()]);
        if triggered || year <= this_year - 14 {
            push(
                out,
                m.start(),
                m.end(),
                Kind::DateOfBirth,
                "date of birth, generalised to the decade",
                birth_decade(year),
            );
        }
    }
}

#[cfg(test)]
mod tests;
