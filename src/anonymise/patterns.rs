//! Recognisers for structured UK identifiers, each validated where a checksum or an
//! official format exists.

use std::sync::LazyLock;

use regex::Regex;

use super::{Candidate, Kind};

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

/// UK mobiles and landlines (07…, 01…, 02…, 03…, 08…, with +44 or (0) forms) and
/// international numbers written with a leading +.
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?-u)(?:\+44[ \-]?(?:\(0\)[ \-]?)?|\(0|\b0)[1-9]\d{1,4}\)?(?:[ \-]?\d){6,8}\b|\+(?:[1-9]\d{0,2})(?:[ \-]?\d){7,12}\b",
    )
});

/// Case references: letters then digits, with - / or space between parts (CRM 1900383,
/// HNG-2023-04417, HPO/22/9837, CAD 3381/12JAN), and mixed letter-digit codes (K01CL417).
static CASE_REF: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?-u)\b(?:[A-Z]{2,5}(?:[ \-/]|-)\d{2,}(?:[\-/][A-Z0-9]+)*|[A-Z]{2,5}\d{4,}|(?:[A-Z]+\d+[A-Z]+\d+[A-Z0-9]*|\d+[A-Z]+\d+[A-Z0-9]*)[A-Z0-9]*)\b",
    )
});

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

/// Whether an address can be in the text: a street word with a number or a building word
/// at most four words before it. Most notes have none, and the address pattern is the
/// slowest of all, so it only runs when this holds.
fn may_hold_address(ws: &[super::names::Word<'_>]) -> bool {
    ws.iter().enumerate().any(|(i, w)| {
        STREET_WORDS.contains(w.lower.as_str())
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
    }
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

fn numbered(text: &str, out: &mut Vec<Candidate>) {
    for m in NHS.find_iter(text) {
        if nhs_valid(&digits(m.as_str())) {
            push(
                out,
                m.start(),
                m.end(),
                Kind::NhsNumber,
                "NHS number (valid mod-11 checksum)",
                "[NHS NUMBER]",
            );
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
    for m in PHONE.find_iter(text) {
        let n = digits(m.as_str()).len();
        if (9..=13).contains(&n) {
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
    for m in CASE_REF.find_iter(text) {
        let s = m.as_str();
        let d = s.bytes().filter(u8::is_ascii_digit).count();
        let prefix: String = s.chars().take_while(char::is_ascii_alphabetic).collect();
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

/// Street addresses: with a house number, or a named building and a street (which need no
/// digit, so they are searched in every text).
fn addresses(text: &str, out: &mut Vec<Candidate>) {
    for m in ADDRESS.find_iter(text) {
        push(
            out,
            m.start(),
            m.end(),
            Kind::Address,
            "street address (number and street, or building and street)",
            "[ADDRESS]",
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

/// Dates of birth: a date after a DOB trigger (within 40 characters), or any date with a
/// year long enough ago that it cannot be the interview's date. Generalised to the year.
fn dates_of_birth(text: &str, out: &mut Vec<Candidate>) {
    let this_year = *THIS_YEAR;
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
                "date of birth, generalised to the year",
                format!("[DOB {year}]"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        let mut v = Vec::new();
        find(text, &super::super::names::words(text), &mut v);
        v.into_iter()
            .map(|c| (c.kind, text[c.start..c.end].to_owned()))
            .collect()
    }

    fn finds(kind: Kind, sample: &str) -> bool {
        let embedded = format!("He said {sample}, then left.");
        kinds(sample).iter().any(|(k, s)| *k == kind && s == sample)
            && kinds(&embedded)
                .iter()
                .any(|(k, s)| *k == kind && s == sample)
    }

    #[test]
    fn each_recogniser_matches_its_samples_bare_and_embedded() {
        let rows: &[(Kind, &[&str])] = &[
            (
                Kind::Email,
                &[
                    "florin45@icloud.com",
                    "h.tessema@lawcentre-nw.org.uk",
                    "jlindo_84@hotmail.co.uk",
                ],
            ),
            (
                Kind::NhsNumber,
                &["943 476 5919", "9434765919", "814-695-1783", "603 941 9342"],
            ),
            (
                Kind::NiNumber,
                &["JT580693A", "EH 290471 A", "GT 12 93 64 B", "ra 406152 c"],
            ),
            (
                Kind::Postcode,
                &[
                    "NW1 2BH", "nw1 2hn", "WC1N 1WP", "SE17 5WU", "NW106LB", "GIR 0AA",
                ],
            ),
            (
                Kind::Phone,
                &[
                    "07700 900461",
                    "+44 7254 583 663",
                    "(020) 8448 6072",
                    "020 7267 3349",
                    "07289936367",
                    "+251 91 133 4702",
                ],
            ),
            (
                Kind::CaseRef,
                &[
                    "CRM 1900383",
                    "HNG-2023-04417",
                    "HPO/22/9837",
                    "IGB-25-0611",
                    "K01CL417",
                    "CAD 3381/12JAN",
                ],
            ),
            (
                Kind::Address,
                &[
                    "14 Agar Grove",
                    "104 drummond st",
                    "Flat 9, 16 Savernake Road",
                    "Flat 21, Coniston House, Mansfield Road",
                    "Coniston House, Mansfield Road",
                    "12c Fortune Green Road",
                    "56 Prince of Wales Road",
                ],
            ),
        ];
        for (kind, samples) in rows {
            for s in *samples {
                assert!(
                    finds(*kind, s),
                    "{kind:?} missed {s:?}: {:?}",
                    kinds(&format!("He said {s}, then left."))
                );
            }
        }
    }

    #[test]
    fn invalid_identifiers_do_not_match() {
        for s in ["943 476 5918", "1234567890"] {
            assert!(!kinds(s).iter().any(|(k, _)| *k == Kind::NhsNumber), "{s}");
        }
        for s in ["QQ123456C", "BG123456A", "AO123456A", "AB123456E"] {
            assert!(!kinds(s).iter().any(|(k, _)| *k == Kind::NiNumber), "{s}");
        }
        for s in ["NW1", "QW1 2BH", "NW1 2CH", "AB1 2IK"] {
            assert!(!kinds(s).iter().any(|(k, _)| *k == Kind::Postcode), "{s}");
        }
        for s in [
            "at 16:30",
            "2 hours",
            "COVID-19",
            "A&E",
            "level 2",
            "9 November 2023",
            "28/02",
        ] {
            assert!(kinds(s).is_empty(), "{s}: {:?}", kinds(s));
        }
    }

    #[test]
    fn dates_of_birth_are_generalised_to_the_year() {
        let v = kinds("gave DOB 23/4/84 and");
        assert_eq!(v, vec![(Kind::DateOfBirth, "23/4/84".to_owned())]);
        let mut c = Vec::new();
        find(
            "born 9 June '86",
            &super::super::names::words("born 9 June '86"),
            &mut c,
        );
        assert_eq!(c[0].replacement, "[DOB 1986]");
        assert!(kinds("interviewed on 9 November 2023").is_empty());
        assert_eq!(kinds("dob written in the age box, 01.03.1954.").len(), 1);
    }

    #[test]
    fn nhs_checksum() {
        assert!(nhs_valid(&digits("9434765919")));
        assert!(!nhs_valid(&digits("9434765918")));
    }
}
