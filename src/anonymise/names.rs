//! Person names: registered people (participants, people mentioned) in any form, and
//! unregistered names found from context, a gazetteer and whole-document propagation.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::LazyLock;

use std::borrow::Cow;

use compact_str::CompactString;

use super::{Candidate, Kind};

fn list(text: &'static str) -> HashSet<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<HashSet<_>>()
}

static FORENAMES: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| list(include_str!("../../assets/names/forenames.txt")));
static SURNAMES: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| list(include_str!("../../assets/names/surnames.txt")));
/// Names that are also ordinary English words (Grace, Will, May, Mark, Hope, Long…).
static AMBIGUOUS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| list(include_str!("../../assets/names/ambiguous.txt")));
static ENGLISH: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| list(include_str!("../../assets/words/english.txt")));

const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "cllr",
    "sgt",
    "prof",
    "rev",
    "sir",
    "dame",
    "officer",
    "pastor",
    "imam",
    "rabbi",
    "guard",
    "nurse",
    "councillor",
    "pc",
];
const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "da", "das", "dos", "del", "bin", "bint", "ibn", "al", "el",
    "mac", "le", "la", "o", "ó",
];
const KIN: &[&str] = &[
    "brother",
    "sister",
    "son",
    "daughter",
    "mum",
    "mother",
    "dad",
    "father",
    "partner",
    "husband",
    "wife",
    "boyfriend",
    "girlfriend",
    "friend",
    "cousin",
    "uncle",
    "aunt",
    "auntie",
    "nan",
    "gran",
    "grandma",
    "grandad",
    "neighbour",
    "mate",
    "ex",
    "child",
    "kid",
    "baby",
    "nephew",
    "niece",
    "carer",
    "supervisor",
    "manager",
    "colleague",
    "worker",
    "officer",
    "lad",
    "guy",
    "woman",
    "man",
    "regular",
];
const CALLED: &[&str] = &[
    "called",
    "named",
    "name",
    "names",
    "aka",
    "participant",
    "by",
    "with",
    "from",
    "and",
    "to",
];
/// Capitalised words that name places, organisations and things, never people here.
const NOT_NAMES: &[&str] = &[
    "camden",
    "london",
    "council",
    "housing",
    "needs",
    "group",
    "universal",
    "credit",
    "somers",
    "town",
    "kentish",
    "euston",
    "king's",
    "kings",
    "cross",
    "holborn",
    "islington",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "nhs",
    "gp",
    "police",
    "security",
    "reception",
    "addis",
    "bulgarian",
    "polish",
    "romanian",
    "irish",
    "somali",
    "eritrean",
    "ethiopian",
    "nigerian",
    "ghanaian",
    "english",
    "british",
    "welsh",
    "scottish",
    "turkish",
    "portuguese",
    "bengali",
    "arabic",
    "jobcentre",
    "mungo's",
    "mungos",
    "shelter",
    "crisis",
    "citizens",
    "advice",
    "a&e",
    "ucl",
    "royal",
    "free",
    "hospital",
    "street",
    "road",
    "station",
    "library",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mondays",
    "tuesdays",
    "wednesdays",
    "thursdays",
    "fridays",
    "saturdays",
    "sundays",
    "amharic",
    "tigrinya",
    "somali",
    "urdu",
    "farsi",
    "pashto",
    "kurdish",
    "yoruba",
    "igbo",
    "twi",
    "lingala",
    "punjabi",
    "gujarati",
    "tamil",
    "spanish",
    "french",
    "italian",
    "albanian",
    "lithuanian",
    "latvian",
    "ukrainian",
    "russian",
    "hungarian",
    "kilburn",
    "hampstead",
    "ealing",
    "harlow",
    "pancras",
    "highgate",
    "archway",
    "hackney",
    "brent",
    "barnet",
    "harrow",
    "enfield",
    "haringey",
    "westminster",
    "lambeth",
    "southwark",
    "newham",
    "croydon",
    "lewisham",
    "greenwich",
    "wembley",
    "edgware",
    "finchley",
    "tottenham",
    "stratford",
    "brixton",
    "peckham",
    "bloomsbury",
    "marylebone",
    "paddington",
    "belsize",
    "swiss",
    "cottage",
    "gospel",
    "chalk",
    "primrose",
    "mungo",
    "mosaic",
    "whittington",
    "middlesex",
    "tavistock",
    "regent's",
    "regents",
    "mornington",
    "chalcots",
    "gloucester",
    "westway",
    "birmingham",
    "manchester",
    "leeds",
    "glasgow",
    "cardiff",
    "belfast",
    "bristol",
    "liverpool",
    "luton",
    "watford",
    "england",
    "wales",
    "scotland",
    "ireland",
    "europe",
    "africa",
    "asia",
    "ethiopia",
    "eritrea",
    "somalia",
    "nigeria",
    "ghana",
    "romania",
    "poland",
    "bulgaria",
    "portugal",
    "turkey",
    "syria",
    "iraq",
    "iran",
    "afghanistan",
    "sudan",
    "bangladesh",
    "pakistan",
    "india",
    "jamaica",
    "ukraine",
    "christmas",
    "easter",
    "ramadan",
    "eid",
    "diwali",
    "covid",
    "whatsapp",
    "google",
    "facebook",
];
/// Words after a capitalised word that make it a place: "Pancras Square", "King's Cross".
const PLACE_NEXT: &[&str] = &[
    "square",
    "road",
    "street",
    "town",
    "park",
    "cross",
    "hill",
    "green",
    "lane",
    "grove",
    "centre",
    "center",
    "station",
    "library",
    "house",
    "court",
    "estate",
    "gardens",
    "place",
    "way",
    "common",
    "heath",
    "church",
    "hospital",
    "school",
    "college",
    "market",
    "bridge",
    "gate",
    "avenue",
    "crescent",
    "terrace",
    "council",
    "borough",
    "city",
    "village",
    "hall",
    "tower",
    "clinic",
    "surgery",
    "services",
    "team",
    "office",
    "trust",
    "foundation",
    "project",
    "group",
    "network",
];
/// Honorifics that belong to the name and go with it ("Mr Islam" → "[PERSON]"); role words
/// like "officer" or "pastor" point at a name but stay.
const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "cllr", "sgt", "prof", "rev", "sir", "dame",
];
/// Upper-case abbreviations that are not initials of a person.
const ACRONYMS: &[&str] = &[
    "NHS", "NI", "DOB", "GP", "ID", "IG", "UK", "TV", "CCTV", "PC", "OK", "AM", "PM", "HR", "IT",
    "CV", "ASB", "DWP", "UC", "ESA", "PIP", "HB", "CRM", "HNG", "HPO", "HPR", "CAD", "IGB", "DV",
    "CPN", "MH", "AA", "NA", "SEN", "ETA", "TA", "SOS", "ER", "ICU", "DPIA", "GDPR", "FAQ", "HMO",
    "CSO", "AKA", "ASAP", "FYI", "NB", "PS", "QR", "RE", "EU", "US", "USA", "BBC", "AE", "AND",
    "THE", "OR", "NO", "YES", "MP", "SMS", "ATM", "PPE", "DBS", "SIA", "RSI", "LA", "PA", "CEO",
    "ADHD", "PTSD", "OCD", "HIV", "STI", "TB", "UCL", "TFL", "BT", "EE", "DPA", "UKGDPR", "OT",
    "SW", "SE", "NW", "NE", "EN", "HA", "WC", "EC", "PERSON", "PHONE", "EMAIL", "ADDRESS", "CASE",
    "REF", "NUMBER", "REDACTED",
];
/// Words that follow a person's name in notes: "Eoin called security", "Jahangir sd".
const PERSON_VERBS: &[&str] = &[
    "said",
    "sd",
    "says",
    "say",
    "called",
    "rang",
    "mentioned",
    "gave",
    "suggested",
    "came",
    "told",
    "asked",
    "explained",
    "agreed",
    "shouted",
    "never",
    "wants",
    "thinks",
    "felt",
    "feels",
    "reported",
    "wrote",
    "added",
    "stated",
    "left",
    "arrived",
    "waited",
    "complained",
    "cried",
    "laughed",
    "replied",
    "admitted",
    "insisted",
    "recalled",
    "described",
    "confirmed",
    "disagreed",
    "noted",
    "proposed",
];
const INITIALS_AFTER: &[&str] = &[
    "to", "said", "says", "asked", "told", "rang", "called", "will", "thinks", "wants", "-", ":",
];

static TITLES_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| TITLES.iter().copied().collect());
static PARTICLES_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| PARTICLES.iter().copied().collect());
static ACRONYMS_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| ACRONYMS.iter().copied().collect());

// One lookup per word: every list a word is on, as bits.
const FORE: u16 = 1;
const SUR: u16 = 1 << 1;
const AMBIG: u16 = 1 << 2;
const ENG: u16 = 1 << 3;
const NOT_NAME: u16 = 1 << 4;
const PLACE: u16 = 1 << 5;
const TITLE: u16 = 1 << 6;
const HONORIFIC: u16 = 1 << 7;
const KINSHIP: u16 = 1 << 8;
const CALLS: u16 = 1 << 9;
const VERB: u16 = 1 << 10;
const INIT_AFTER: u16 = 1 << 11;

static LEXICON: LazyLock<HashMap<&'static str, u16>> = LazyLock::new(|| {
    let mut m: HashMap<&'static str, u16> = HashMap::default();
    let mut add = |words: &mut dyn Iterator<Item = &'static str>, bit: u16| {
        for w in words {
            *m.entry(w).or_insert(0) |= bit;
        }
    };
    add(&mut FORENAMES.iter().copied(), FORE);
    add(&mut SURNAMES.iter().copied(), SUR);
    add(&mut AMBIGUOUS.iter().copied(), AMBIG);
    add(&mut ENGLISH.iter().copied(), ENG);
    add(&mut NOT_NAMES.iter().copied(), NOT_NAME);
    add(&mut PLACE_NEXT.iter().copied(), PLACE);
    add(&mut TITLES.iter().copied(), TITLE);
    add(&mut HONORIFICS.iter().copied(), HONORIFIC);
    add(&mut KIN.iter().copied(), KINSHIP);
    add(&mut CALLED.iter().copied(), CALLS);
    add(&mut PERSON_VERBS.iter().copied(), VERB);
    add(&mut INITIALS_AFTER.iter().copied(), INIT_AFTER);
    m
});

/// A word of the text: letters and digits, with inner apostrophes and hyphens.
#[derive(Debug, Clone)]
pub struct Word<'a> {
    /// Byte start.
    pub start: usize,
    /// Byte end, before a possessive `'s`.
    pub end: usize,
    /// The word (possessive removed).
    pub text: &'a str,
    /// It was written with a possessive `'s`.
    pub possessive: bool,
    /// The word in lower case (inline for words up to 24 bytes: no allocation per word).
    pub lower: CompactString,
    /// The lists it is on (bits).
    pub lex: u16,
    /// Capitalised: an upper-case first letter and some lower case after it.
    pub cap: bool,
    /// Every letter lower case.
    pub lower_case: bool,
    /// Length in characters.
    pub nchars: usize,
}

impl Word<'_> {
    fn is(&self, bits: u16) -> bool {
        self.lex & bits != 0
    }
}

fn is_apos(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Splits text into words.
pub fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() || c == '&' {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() || d == '&' {
                    end = j + d.len_utf8();
                    chars.next();
                } else if (d == '-' || is_apos(d))
                    && text[j + d.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric)
                {
                    chars.next();
                } else {
                    break;
                }
            }
            let mut w = &text[i..end];
            let mut possessive = false;
            for suffix in ["'s", "’s", "'S"] {
                if w.len() > suffix.len() + 1 && w.ends_with(suffix) {
                    w = &w[..w.len() - suffix.len()];
                    possessive = true;
                }
            }
            let l = if w.is_ascii() {
                CompactString::from(w).to_ascii_lowercase()
            } else {
                CompactString::from(w.to_lowercase())
            };
            let lex = LEXICON.get(l.as_str()).copied().unwrap_or(0);
            // one pass for the shape of the word
            let (mut nchars, mut first_upper, mut any_lower, mut all_lower) =
                (0, false, false, true);
            for c in w.chars() {
                if nchars == 0 {
                    first_upper = c.is_uppercase();
                }
                nchars += 1;
                if c.is_lowercase() {
                    any_lower = true;
                } else {
                    all_lower = false;
                }
            }
            out.push(Word {
                start: i,
                end: i + w.len(),
                text: w,
                possessive,
                lower: l,
                lex,
                cap: first_upper && any_lower,
                lower_case: all_lower,
                nchars,
            });
        }
    }
    out
}

fn all_caps(w: &str) -> bool {
    w.chars().all(|c| c.is_uppercase()) && w.chars().count() >= 2
}

/// True when the word begins a sentence, a line or a quotation.
fn at_sentence_start(text: &str, w: &Word<'_>) -> bool {
    let before = text[..w.start].trim_end_matches([' ', '"', '\'', '“', '‘', '(', '#', '-']);
    before.is_empty() || before.ends_with(['.', '!', '?', '\n', ':', ';'])
}

/// Where a name starting at word `i` begins, taking in an honorific just before it
/// ("Mr Islam", "Dr. Eze"): the honorific goes with the name.
fn start_with_honorific(text: &str, ws: &[Word<'_>], i: usize) -> usize {
    match i.checked_sub(1).map(|p| &ws[p]) {
        Some(prev)
            if prev.is(HONORIFIC)
                && text[prev.end..ws[i].start]
                    .trim_matches(['.', ' '])
                    .is_empty() =>
        {
            prev.start
        }
        _ => ws[i].start,
    }
}

/// A capitalised word that is part of a place's name: before "Square", after "St".
fn in_place_name(text: &str, ws: &[Word<'_>], i: usize) -> bool {
    let next_place = ws
        .get(i + 1)
        .is_some_and(|w| w.is(PLACE) && w.cap && text[ws[i].end..w.start].trim().is_empty());
    let after_saint = i > 0
        && ws[i - 1].text == "St"
        && text[ws[i - 1].end..ws[i].start]
            .trim_matches(['.', ' '])
            .is_empty();
    next_place || after_saint || ws[i].is(PLACE) && i > 0 && ws[i].cap
}

/// Upper-case abbreviations with a plural s: "HPOs", "GCSEs".
fn plural_acronym(w: &str) -> bool {
    w.strip_suffix('s')
        .is_some_and(|r| r.chars().count() >= 2 && r.chars().all(char::is_uppercase))
}

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
            let ps: Vec<String> = words(name).iter().map(|w| w.lower.to_string()).collect();
            if ps.is_empty() {
                continue;
            }
            for p in &ps {
                if p.chars().count() >= 2
                    && !PARTICLES_SET.contains(p.as_str())
                    && !TITLES_SET.contains(p.as_str())
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
            let is_part = self.parts.contains_key(ws[i].lower.as_str());
            for (parts, code) in self.full.iter().filter(|_| is_part) {
                let n = parts.len();
                if n > 1 && i + n <= ws.len() && (0..n).all(|k| ws[i + k].lower == parts[k]) {
                    matched = Some((n, code.clone(), "registered name (full name)"));
                    break;
                }
            }
            if matched.is_none() {
                let l = &ws[i].lower;
                if let Some(code) = self.parts.get(l.as_str()) {
                    matched = Some((1, code.clone(), "registered name (part of the name)"));
                } else if let Some(code) = self.typo(&ws[i]) {
                    matched = Some((1, code, "registered name (one-letter variant)"));
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

    fn typo(&self, word: &Word<'_>) -> Option<String> {
        // most words are short or English: decide before collecting characters
        if word.nchars < 5 || word.is(ENG) || self.long_parts.is_empty() {
            return None;
        }
        let w: Vec<char> = word.lower.chars().collect();
        self.long_parts
            .iter()
            .find(|(p, _)| within_one_edit(&w, p))
            .map(|(_, c)| c.clone())
    }
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

/// How sure a word is a name, on its own.
fn name_evidence(w: &Word<'_>) -> Option<&'static str> {
    if w.nchars < 2 || w.is(NOT_NAME) || w.text.bytes().any(|c| c.is_ascii_digit()) {
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

/// Unregistered person names: triggers, gazetteer, initials, then propagation.
/// What the word lists say of a word, looked up once.
struct Flags {
    english: bool,
    known: bool,
    fore: bool,
    ambiguous: bool,
    not_name: bool,
}

impl Flags {
    fn of(w: &Word<'_>) -> Self {
        Flags {
            english: w.is(ENG),
            known: w.is(FORE | SUR),
            fore: w.is(FORE),
            ambiguous: w.is(AMBIG),
            not_name: w.is(NOT_NAME),
        }
    }
}

pub fn find_unregistered(
    text: &str,
    ws: &[Word<'_>],
    taken: &[(usize, usize)],
    out: &mut Vec<Candidate>,
) {
    let n = ws.len();
    let mut person = vec![None::<&'static str>; n];
    let fl: Vec<Flags> = ws.iter().map(Flags::of).collect();
    let mut spans: Vec<(usize, usize)> = taken.to_vec();
    spans.sort_unstable();
    // overlap test: binary search over spans sorted by start, with the running maximum end
    let max_end: Vec<usize> = spans
        .iter()
        .scan(0, |m, (_, e)| {
            *m = (*m).max(*e);
            Some(*m)
        })
        .collect();
    let free = |w: &Word<'_>| {
        let k = spans.partition_point(|(s, _)| *s < w.end);
        k == 0 || max_end[k - 1] <= w.start
    };
    let eligible: Vec<bool> = (0..n)
        .map(|i| {
            let t = ws[i].text;
            free(&ws[i])
                && !t.chars().any(|c| c.is_ascii_digit())
                && !plural_acronym(t)
                && !in_place_name(text, ws, i)
        })
        .collect();
    for i in 0..n {
        if !eligible[i] {
            continue;
        }
        let prev = i.checked_sub(1).map(|p| ws[p].lower.as_str());
        let gap_before = i
            .checked_sub(1)
            .map(|p| &text[ws[p].end..ws[i].start])
            .unwrap_or("");
        if let Some(e) = name_evidence(&ws[i]) {
            person[i] = Some(e);
        }
        let plausible = ws[i].cap || (ws[i].lower_case && !fl[i].english && fl[i].known);
        let not_place = !fl[i].not_name;
        // after a title: "Mr Islam", "Ms. doherty", "Mrs A. Nyarko"
        if let Some(p) = &prev
            && ws[i - 1].is(TITLE)
            && *p != "officer"
            && (ws[i].cap || !fl[i].english)
            && not_place
            && gap_before.chars().all(|c| c == '.' || c == ' ')
        {
            person[i] = Some("name after a title");
        }
        // "my brother Tom", "his mate stoyan", "called Joy", "officer ferenc balogh"
        let next_surname = ws.get(i + 1).is_some_and(|w| w.is(SUR) && !w.is(ENG));
        if prev.is_some()
            && ws[i - 1].is(KINSHIP | CALLS)
            && (plausible || fl[i].fore && next_surname)
            && not_place
            && (!fl[i].english || fl[i].fore && next_surname)
            && gap_before
                .chars()
                .all(|c| matches!(c, ' ' | ',' | '"' | '('))
        {
            person[i] = Some("name after a relationship or 'called'");
        }
        // "Eoin called security", "Fatema's case ref": a proper noun that acts like a person
        let gap_after = ws
            .get(i + 1)
            .map(|w| &text[ws[i].end..w.start])
            .unwrap_or("");
        let proper = (ws[i].cap && (!fl[i].english || fl[i].known))
            || (ws[i].lower_case && !fl[i].english && ws[i].nchars >= 3);
        let acts = ws.get(i + 1).is_some_and(|w| w.is(VERB)) && gap_after.trim().is_empty();
        if proper && not_place && (acts || ws[i].possessive) && !fl[i].ambiguous {
            person[i] = Some(if acts {
                "name before a verb of speech or action"
            } else {
                "possessive proper noun"
            });
        }
        if ws[i].nchars < 2 {
            continue;
        }
        // a proper noun inside a sentence: "interview Tendai", "guard Kidus speaks"
        let mid = !at_sentence_start(text, &ws[i]);
        if mid && ws[i].cap && not_place && !fl[i].english && ws[i].nchars >= 3 {
            person[i].get_or_insert("proper noun inside a sentence");
        }
        // a forename that is also a word, used as a name: "is Miles,", "Grant from the ICO", "Miles's eye"
        let after = text[ws[i].end..]
            .trim_start_matches(['\'', '’', 's'])
            .chars()
            .next();
        let name_like_next = ws
            .get(i + 1)
            .is_some_and(|w| w.is(VERB) || w.lower == "from")
            || matches!(after, Some(',' | '?' | ')'))
            || ws[i].possessive;
        if mid && ws[i].cap && fl[i].fore && not_place && name_like_next {
            person[i].get_or_insert("forename used as a name");
        }
        // "Mrs A. Nyarko": a title, an initial, a surname
        if i >= 2 && ws[i - 2].is(TITLE) && ws[i - 1].nchars == 1 && ws[i].cap {
            person[i] = Some("name after a title and an initial");
            person[i - 1] = Some("initial after a title");
        }
        // initials: "SJP to re-check", "from AO", "DL to strike"
        if all_caps(ws[i].text) && ws[i].nchars <= 3 && !ACRONYMS_SET.contains(ws[i].text) {
            let after = text[ws[i].end..].trim_start().chars().next();
            let by_word = ws.get(i + 1).is_some_and(|w| w.is(INIT_AFTER));
            let by_mark = matches!(after, Some('-' | ':'));
            let by_prev = prev
                .is_some_and(|p| ["from", "with", "by", "to", "and", "ask", "tell"].contains(&p));
            if by_word || by_mark || by_prev {
                person[i] = Some("initials of a person");
            }
        }
    }
    // a forename then a surname, both capitalised: "Sunny Smith", "Grace Woldu"
    for i in 0..n.saturating_sub(1) {
        let (a, b) = (&ws[i], &ws[i + 1]);
        if a.cap
            && b.cap
            && a.is(FORE)
            && b.is(SUR)
            && !a.is(NOT_NAME)
            && !b.is(NOT_NAME)
            && text[a.end..b.start] == *" "
            && eligible[i]
            && eligible[i + 1]
        {
            person[i].get_or_insert("forename and surname");
            person[i + 1].get_or_insert("forename and surname");
        }
    }
    // a known name next to an unknown capitalised word makes both a name: "Filmon Gebremedhin"
    for i in 0..n {
        if person[i].is_some() || !eligible[i] {
            continue;
        }

        let neighbour =
            |j: Option<usize>| j.and_then(|j| person.get(j).copied().flatten()).is_some();
        let adjacent_gap = |a: usize, b: usize| {
            let gap = &text[ws[a].end..ws[b].start];
            gap.chars().all(|c| c == ' ') || (gap == ", " && ws[i].cap && !fl[i].english)
        };
        let next_is = i + 1 < n && neighbour(Some(i + 1)) && adjacent_gap(i, i + 1);
        let prev_is = i > 0 && neighbour(Some(i - 1)) && adjacent_gap(i - 1, i);
        let looks = (ws[i].cap || (ws[i].lower_case && fl[i].known))
            && !fl[i].not_name
            && (!fl[i].english || fl[i].known && (next_is || prev_is) && ws[i].cap);
        if looks && (next_is || prev_is) {
            person[i] = Some("name next to a name");
        }
    }
    // whole-document propagation: every other mention of a found name, in any case
    let found: HashSet<&str> = (0..n)
        .filter(|&i| person[i].is_some() && ws[i].nchars >= 3)
        .map(|i| ws[i].lower.as_str())
        .collect();
    for i in 0..n {
        let l = &ws[i].lower;
        // a name that is also a word ("Grace", "drew") spreads only to capitalised uses
        let word_too = fl[i].english || fl[i].ambiguous;
        if person[i].is_none()
            && eligible[i]
            && found.contains(l.as_str())
            && (!word_too || ws[i].cap)
        {
            person[i] = Some("same name found elsewhere in the text");
        }
    }
    // merge runs of name words into one span
    let mut i = 0;
    while i < n {
        let Some(rule) = person[i] else {
            i += 1;
            continue;
        };
        let mut j = i;
        while j + 1 < n
            && person[j + 1].is_some()
            && text[ws[j].end..ws[j + 1].start].chars().all(|c| c == ' ')
        {
            j += 1;
        }
        out.push(Candidate {
            start: start_with_honorific(text, ws, i),
            end: ws[j].end,
            kind: Kind::Person,
            rule,
            replacement: Cow::Borrowed("[PERSON]"),
        });
        i = j + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(within_one_edit(&c("popescu"), &c("popesku")));
        assert!(within_one_edit(&c("dimitar"), &c("dimitr")));
        assert!(within_one_edit(&c("kowalski"), &c("kowaslki")));
        assert!(!within_one_edit(&c("kowalski"), &c("kovalsky")));
    }

    #[test]
    fn words_drop_possessives() {
        let w = words("Aisha's bag, O'Sullivan-Smith said.");
        let t: Vec<&str> = w.iter().map(|w| w.text).collect();
        assert_eq!(t, vec!["Aisha", "bag", "O'Sullivan-Smith", "said"]);
    }
}
