//! Identifiers written out in words, as transcribed voicemails and lowercase notes have them:
//! phone numbers read digit by digit ("oh seven nine four six, two two one, nine oh eight")
//! and dates of birth with ordinal days, month names in several languages and years in
//! figures or words ("the ninth of october nineteen sixty-nine", "12 de março de 1990").
//! Both work on the text's words, once through: linear in the text.

use super::super::names::Word;
use super::{Candidate, DOB_TRIGGER, Kind, push};

/// Words that say a phone number is near.
const PHONE_CONTEXT: &[&str] = &[
    "number",
    "phone",
    "mobile",
    "ring",
    "call",
    "tel",
    "telephone",
    "mob",
    "contact",
    "landline",
    "text",
    "whatsapp",
    "reach",
];

fn digit_word(w: &str) -> Option<u8> {
    Some(match w {
        "oh" | "o" | "zero" | "nought" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        _ => return None,
    })
}

/// Whether only spaces and light punctuation stand between two words of one number or date.
fn joined(text: &str, a: &Word<'_>, b: &Word<'_>) -> bool {
    let gap = &text[a.end..b.start];
    gap.len() <= 4
        && gap
            .chars()
            .all(|c| matches!(c, ' ' | ',' | '-' | '.' | '\'' | '’' | '\t'))
}

/// Phone numbers read out digit by digit in words ("double"/"treble" repeat the next digit;
/// figures may be mixed in), 9 to 13 digits, with a word such as number, phone, mobile, ring
/// or call among the eight words before.
pub(super) fn phones(text: &str, ws: &[Word<'_>], out: &mut Vec<Candidate>) {
    let mut i = 0;
    while i < ws.len() {
        let mut j = i;
        let mut n = 0usize;
        let mut spelled = false;
        let mut repeat = 1;
        let mut last = i;
        while j < ws.len() && (j == i || joined(text, &ws[j - 1], &ws[j])) {
            let w = ws[j].lower.as_str();
            let (count, is_word) = if matches!(w, "double") {
                repeat = 2;
                j += 1;
                continue;
            } else if matches!(w, "treble" | "triple") {
                repeat = 3;
                j += 1;
                continue;
            } else if let Some(_d) = digit_word(w) {
                (repeat, true)
            } else if w.bytes().all(|b| b.is_ascii_digit()) && w.len() <= 5 {
                (w.len() + repeat - 1, false)
            } else {
                break;
            };
            n += count;
            spelled |= is_word;
            repeat = 1;
            last = j;
            j += 1;
        }
        if spelled && (9..=13).contains(&n) {
            let near = ws[i.saturating_sub(8)..i]
                .iter()
                .any(|w| PHONE_CONTEXT.contains(&w.lower.as_str()));
            if near {
                push(
                    out,
                    ws[i].start,
                    ws[last].end,
                    Kind::Phone,
                    "phone number read out in words",
                    "[PHONE]",
                );
            }
        }
        i = if j > i { j.max(i + 1) } else { i + 1 };
    }
}

fn small_number(w: &str) -> Option<u32> {
    if let Some(d) = digit_word(w).filter(|_| !matches!(w, "oh" | "o" | "nought")) {
        return Some(u32::from(d));
    }
    Some(match w {
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        _ => return None,
    })
}

fn tens(w: &str) -> Option<u32> {
    Some(match w {
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

fn ordinal_unit(w: &str) -> Option<u32> {
    Some(match w {
        "first" => 1,
        "second" => 2,
        "third" => 3,
        "fourth" => 4,
        "fifth" => 5,
        "sixth" => 6,
        "seventh" => 7,
        "eighth" => 8,
        "ninth" => 9,
        "tenth" => 10,
        "eleventh" => 11,
        "twelfth" => 12,
        "thirteenth" => 13,
        "fourteenth" => 14,
        "fifteenth" => 15,
        "sixteenth" => 16,
        "seventeenth" => 17,
        "eighteenth" => 18,
        "nineteenth" => 19,
        "twentieth" => 20,
        "thirtieth" => 30,
        _ => return None,
    })
}

/// An ordinal day or month from word `i`: "9th", "9", "ninth", "twenty-first", "twenty first".
/// Returns the number and the index of its last word.
fn ordinal(ws: &[Word<'_>], text: &str, i: usize, figures: bool) -> Option<(u32, usize)> {
    let w = ws.get(i)?.lower.as_str();
    // figures start with a digit; every ordinal or tens word has five letters or more and
    // starts with one of these
    let first = *w.as_bytes().first()?;
    if !(first.is_ascii_digit()
        || w.len() >= 5 && matches!(first, b'e' | b'f' | b'n' | b's' | b't'))
    {
        return None;
    }
    if figures {
        let num = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &w[num.len()..];
        if !num.is_empty()
            && num.len() <= 2
            && num.bytes().all(|b| b.is_ascii_digit())
            && matches!(
                suffix,
                "" | "st" | "nd" | "rd" | "th" | "er" | "eme" | "o" | "º"
            )
        {
            return num.parse().ok().map(|n| (n, i));
        }
    }
    if let Some(n) = ordinal_unit(w) {
        return Some((n, i));
    }
    if let Some((t, u)) = w.split_once('-')
        && let (Some(t), Some(u)) = (tens(t), ordinal_unit(u))
    {
        return Some((t + u, i));
    }
    let t = tens(w)?;
    let next = ws.get(i + 1)?;
    if !joined(text, &ws[i], next) {
        return None;
    }
    ordinal_unit(next.lower.as_str())
        .filter(|u| *u < 10)
        .map(|u| (t + u, i + 1))
}

/// Month names and their usual abbreviations in English, Spanish, French, Portuguese, Italian,
/// Polish (nominative and genitive) and Romanian.
fn month(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.');
    Some(match w {
        "january" | "jan" | "enero" | "janvier" | "janeiro" | "gennaio" | "styczeń"
        | "stycznia" | "ianuarie" => 1,
        "february" | "feb" | "febrero" | "février" | "fevrier" | "fevereiro" | "febbraio"
        | "luty" | "lutego" | "februarie" => 2,
        "march" | "mar" | "marzo" | "mars" | "março" | "marco" | "marzec" | "marca" | "martie" => {
            3
        }
        "april" | "apr" | "abril" | "avril" | "aprile" | "kwiecień" | "kwietnia" | "aprilie" => 4,
        "may" | "mayo" | "mai" | "maio" | "maggio" | "maj" | "maja" => 5,
        "june" | "jun" | "junio" | "juin" | "junho" | "giugno" | "czerwiec" | "czerwca"
        | "iunie" => 6,
        "july" | "jul" | "julio" | "juillet" | "julho" | "luglio" | "lipiec" | "lipca"
        | "iulie" => 7,
        "august" | "aug" | "agosto" | "août" | "aout" | "sierpień" | "sierpnia" => 8,
        "september" | "sep" | "sept" | "septiembre" | "setiembre" | "septembre" | "setembro"
        | "settembre" | "wrzesień" | "września" | "septembrie" => 9,
        "october" | "oct" | "octubre" | "octobre" | "outubro" | "ottobre" | "październik"
        | "października" | "octombrie" => 10,
        "november" | "nov" | "noviembre" | "novembre" | "novembro" | "listopad" | "listopada"
        | "noiembrie" => 11,
        "december" | "dec" | "diciembre" | "décembre" | "decembre" | "dezembro" | "dicembre"
        | "grudzień" | "grudnia" | "decembrie" => 12,
        _ => return None,
    })
}

/// Words that may join a day, a month and a year: "of", "the", "de", "del", "di".
fn connector(w: &str) -> bool {
    matches!(w, "of" | "the" | "de" | "del" | "di")
}

/// A year from word `i`: figures ("1979", "79", "'79") or words ("nineteen sixty-nine",
/// "eighty-three", "two thousand and three"). Returns the year, the index of its last word
/// and whether the century was given.
fn year(ws: &[Word<'_>], text: &str, i: usize, this_year: i32) -> Option<(i32, usize, bool)> {
    let w = ws.get(i)?.lower.as_str();
    if w.bytes().all(|b| b.is_ascii_digit()) {
        let n: i32 = w.parse().ok()?;
        return match w.len() {
            4 if (1900..=this_year).contains(&n) => Some((n, i, true)),
            2 => Some((pivot(n, this_year), i, false)),
            _ => None,
        };
    }
    let next_joined = |k: usize| {
        ws.get(k + 1)
            .filter(|n| joined(text, &ws[k], n))
            .map(|n| n.lower.as_str())
    };
    // the last two digits in words, from word k
    let two = |k: usize| -> Option<(i32, usize)> {
        let w = ws.get(k)?.lower.as_str();
        if let Some((t, u)) = w.split_once('-') {
            let (t, u) = (tens(t)?, small_number(u).filter(|u| *u < 10)?);
            return Some(((t + u) as i32, k));
        }
        if let Some(t) = tens(w) {
            if let Some(u) = next_joined(k).and_then(small_number).filter(|u| *u < 10) {
                return Some(((t + u) as i32, k + 1));
            }
            return Some((t as i32, k));
        }
        if matches!(w, "oh" | "o") {
            let u = next_joined(k).and_then(small_number).filter(|u| *u < 10)?;
            return Some((u as i32, k + 1));
        }
        small_number(w).filter(|n| *n >= 10).map(|n| (n as i32, k))
    };
    match w {
        "nineteen" => {
            let (n, end) = two(i + 1).filter(|_| next_joined(i).is_some())?;
            Some((1900 + n, end, true))
        }
        "two" if next_joined(i) == Some("thousand") => {
            let mut k = i + 2;
            if ws.get(k).is_some_and(|w| w.lower == "and") {
                k += 1;
            }
            let (n, end) = two(k)
                .or_else(|| {
                    let w = ws.get(k)?.lower.as_str();
                    small_number(w).map(|n| (n as i32, k))
                })
                .unwrap_or((0, i + 1));
            Some((2000 + n, end, true)).filter(|(y, _, _)| *y <= this_year)
        }
        _ => {
            let (n, end) = two(i)?;
            Some((pivot(n, this_year), end, false))
        }
    }
}

/// A two-digit year: in this century when it is not later than this year, else the last.
fn pivot(n: i32, this_year: i32) -> i32 {
    if n > this_year % 100 {
        1900 + n
    } else {
        2000 + n
    }
}

/// Dates of birth written with words: a day (figures with or without an ordinal ending, or
/// an ordinal word), a month (a name, or after "of the" an ordinal: "the fourth of the
/// twelfth"), a year; or a month and a year straight after "born (in)" or "DOB". A year of
/// two digits needs a birth word (born, DOB, date of birth, birthday) within 60 characters
/// before; a full year needs one, or to be at least 14 years ago, as for dates in figures.
/// Interview dates and dates without a year are left alone. Generalised to the year.
pub(super) fn dates(text: &str, ws: &[Word<'_>], this_year: i32, out: &mut Vec<Candidate>) {
    let triggered = |start: usize| {
        let from = super::floor_boundary(text, start.saturating_sub(60));
        DOB_TRIGGER.is_match(&text[from..start])
    };
    let next = |k: usize| ws.get(k + 1).filter(|n| joined(text, &ws[k], n));
    let mut i = 0;
    while i < ws.len() {
        let mut found = None;
        if let Some((_day, d_end)) =
            ordinal(ws, text, i, true).filter(|(d, _)| (1..=31).contains(d))
        {
            // connectors, then a month
            let mut k = d_end;
            let mut by_ordinal = false;
            let mut m = None;
            let mut steps = 0;
            while let Some(n) = next(k) {
                let l = n.lower.as_str();
                if let Some(mo) = month(l) {
                    m = Some((mo, k + 1));
                    break;
                }
                if connector(l) && steps < 2 {
                    by_ordinal |= l == "the";
                    k += 1;
                    steps += 1;
                    continue;
                }
                if by_ordinal
                    && let Some((mo, end)) = ordinal(ws, text, k + 1, false)
                    && (1..=12).contains(&mo)
                {
                    m = Some((mo, end));
                }
                break;
            }
            if let Some((_mo, m_end)) = m {
                let mut k = m_end;
                if next(k).is_some_and(|n| connector(n.lower.as_str())) {
                    k += 1;
                }
                if next(k).is_some() {
                    found = year(ws, text, k + 1, this_year);
                }
            }
        }
        // a month and a year straight after "born", "born in" or "DOB"
        let mut start = ws[i].start;
        if found.is_none() && month(ws[i].lower.as_str()).is_some() {
            let before: Vec<&str> = ws[i.saturating_sub(2)..i]
                .iter()
                .map(|w| w.lower.as_str())
                .collect();
            let after_birth =
                matches!(before.last(), Some(&("born" | "dob"))) || before == ["born", "in"];
            if after_birth && next(i).is_some() {
                found = year(ws, text, i + 1, this_year);
            }
        }
        if let Some((y, y_end, century)) = found {
            // "the ninth of …": the article goes too
            if i > 0 && ws[i - 1].lower == "the" && joined(text, &ws[i - 1], &ws[i]) {
                start = ws[i - 1].start;
            }
            if triggered(start) || (century && y <= this_year - 14) {
                push(
                    out,
                    start,
                    ws[y_end].end,
                    Kind::DateOfBirth,
                    "date of birth in words, generalised to the decade",
                    super::birth_decade(y),
                );
                i = y_end + 1;
                continue;
            }
        }
        i += 1;
    }
}
