//! Person names: registered people (participants, people mentioned) in any form, and
//! unregistered names found from context, a gazetteer and whole-document propagation.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::LazyLock;

use std::borrow::Cow;

use compact_str::CompactString;

use super::{Candidate, Kind, count_ops};

/// The entries of a word list from `assets/`: one a line; blank lines and `#` comment lines
/// skipped.
fn entries(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// A word list from `assets/` as a set.
fn list(text: &'static str) -> HashSet<&'static str> {
    entries(text).collect::<HashSet<_>>()
}

/// A list embedded from `assets/`, parsed on first use and never again.
macro_rules! word_list {
    ($(#[$doc:meta])* $name:ident, $path:literal) => {
        $(#[$doc])*
        static $name: LazyLock<HashSet<&'static str>> =
            LazyLock::new(|| list(include_str!(concat!("../../assets/", $path))));
    };
}

word_list!(TITLES, "words/titles.txt");
word_list!(PARTICLES, "words/particles.txt");
word_list!(KIN, "words/kin.txt");
word_list!(CALLED, "words/called.txt");
word_list!(NOT_NAMES, "words/not_names.txt");
word_list!(PLACE_NEXT, "words/place_next.txt");
word_list!(HONORIFICS, "words/honorifics.txt");
word_list!(ACRONYMS, "words/acronyms.txt");
word_list!(PERSON_VERBS, "words/person_verbs.txt");
word_list!(INITIALS_AFTER, "words/initials_after.txt");
word_list!(
    /// Chat words, contractions without their apostrophe, email header words.
    INFORMAL,
    "words/informal.txt"
);
word_list!(
    /// Countries, cities, towns and London areas.
    PLACES,
    "words/places.txt"
);
word_list!(
    /// Names that are also everyday words ("Grace", "Penny", "Hope").
    WORD_NAMES,
    "words/word_names.txt"
);
word_list!(
    /// Jobs and roles written beside a name.
    ROLES,
    "words/roles.txt"
);

// One lookup per word: every list a word is on, as bits.
const FORE: u32 = 1;
const SUR: u32 = 1 << 1;
const AMBIG: u32 = 1 << 2;
const ENG: u32 = 1 << 3;
const NOT_NAME: u32 = 1 << 4;
const PLACE: u32 = 1 << 5;
const TITLE: u32 = 1 << 6;
const HONORIFIC: u32 = 1 << 7;
const KINSHIP: u32 = 1 << 8;
const CALLS: u32 = 1 << 9;
const VERB: u32 = 1 << 10;
const INIT_AFTER: u32 = 1 << 11;
const PLACE_NAME: u32 = 1 << 12;
const ROLE: u32 = 1 << 13;
// the short fixed sets below, looked up with the rest
const FUNCTION: u32 = 1 << 14;
const DESCRIPTOR: u32 = 1 << 15;
const CAL: u32 = 1 << 16;
const AUXILIARY: u32 = 1 << 17;
const ACTION: u32 = 1 << 18;
const DETERMINER: u32 = 1 << 19;
const ADVERB: u32 = 1 << 20;
const TWO_LETTER: u32 = 1 << 21;
const WORD_NAME: u32 = 1 << 22;
const PARTICLE: u32 = 1 << 23;
const NAMING_BEFORE: u32 = 1 << 24;
const NAMING_AFTER: u32 = 1 << 25;

/// Every word on a list, with the lists it is on as bits: one map, filled straight from the
/// embedded files (the large lists are never held as sets of their own), keyed by the
/// lower-case word.
struct Lexicon {
    map: HashMap<&'static str, u32>,
    /// The longest entry in bytes: a longer word is on no list and is not looked up.
    longest: usize,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    // the large lists straight from their text; the small ones are sets the rules use too
    let files: [(&'static str, u32); 4] = [
        (include_str!("../../assets/names/forenames.txt"), FORE),
        (include_str!("../../assets/names/surnames.txt"), SUR),
        (include_str!("../../assets/names/ambiguous.txt"), AMBIG),
        (include_str!("../../assets/words/english.txt"), ENG),
    ];
    let sets: [(&HashSet<&'static str>, u32); 23] = [
        (&NOT_NAMES, NOT_NAME),
        (&PLACE_NEXT, PLACE),
        (&TITLES, TITLE),
        (&HONORIFICS, HONORIFIC),
        (&KIN, KINSHIP),
        (&CALLED, CALLS),
        (&PERSON_VERBS, VERB),
        (&INITIALS_AFTER, INIT_AFTER),
        (&INFORMAL, NOT_NAME),
        (&PLACES, PLACE_NAME),
        (&ROLES, ROLE),
        (&FUNCTION_WORDS, FUNCTION),
        (&DESCRIPTORS, DESCRIPTOR),
        (&CALENDAR, CAL),
        (&AUX, AUXILIARY),
        (&ACTIONS, ACTION),
        (&DETERMINERS, DETERMINER),
        (&ADVERBS, ADVERB),
        (&TWO_LETTER_WORDS, TWO_LETTER),
        (&WORD_NAMES, WORD_NAME),
        (&PARTICLES, PARTICLE),
        (&NAMING_CUES_BEFORE, NAMING_BEFORE),
        (&NAMING_CUES_AFTER, NAMING_AFTER),
    ];
    let n = files.iter().map(|(t, _)| t.lines().count()).sum::<usize>()
        + sets.iter().map(|(s, _)| s.len()).sum::<usize>();
    let mut map: HashMap<&'static str, u32> =
        HashMap::with_capacity_and_hasher(n, Default::default());
    for (text, bit) in files {
        for w in entries(text) {
            *map.entry(w).or_insert(0) |= bit;
        }
    }
    for (set, bit) in sets {
        for &w in set {
            *map.entry(w).or_insert(0) |= bit;
        }
    }
    map.shrink_to_fit();
    let longest = map.keys().map(|k| k.len()).max().unwrap_or(0);
    Lexicon { map, longest }
});

impl Lexicon {
    /// The bits of a word already in lower case.
    fn get(&self, lower: &str) -> u32 {
        if lower.len() > self.longest {
            return 0;
        }
        self.map.get(lower).copied().unwrap_or(0)
    }
}

/// A word of the text: letters and digits, with inner apostrophes and hyphens.
///
/// Kept small (64 bytes): a long text has one for every five or six bytes.
#[derive(Debug, Clone)]
pub struct Word<'a> {
    /// Byte start.
    pub start: usize,
    /// Byte end, before a possessive `'s`.
    pub end: usize,
    /// The word (possessive removed).
    pub text: &'a str,
    /// The word in lower case (inline for words up to 24 bytes: no allocation per word).
    pub lower: CompactString,
    /// Length in characters (at most `u8::MAX`: longer words count as that).
    pub nchars: u8,
    /// The lists it is on (bits).
    pub lex: u32,
    /// It was written with a possessive `'s`.
    pub possessive: bool,
    /// Capitalised: an upper-case first letter and some lower case after it.
    pub cap: bool,
    /// Every letter lower case.
    pub lower_case: bool,
}

impl Word<'_> {
    fn is(&self, bits: u32) -> bool {
        self.lex & bits != 0
    }
}

fn is_apos(c: char) -> bool {
    c == '\'' || c == '’'
}

/// The character at byte `i` of `text` (a character boundary) and its length in bytes, read
/// without decoding when it is ASCII.
#[inline]
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        Some((char::from(b), 1))
    } else {
        text[i..].chars().next().map(|c| (c, c.len_utf8()))
    }
}

/// Letters, digits and `&` make words.
#[inline]
fn word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '&'
    } else {
        c.is_alphanumeric()
    }
}

#[inline]
fn alnum(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

/// Splits text into words, in one pass over its bytes: each word is lower-cased once
/// (inline, without allocating, for words up to 24 bytes) and looked up once in the lexicon.
pub fn words(text: &str) -> Vec<Word<'_>> {
    // about one word in six bytes of prose; the vector grows if there are more
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let bytes = text.as_bytes();
    let lexicon = &*LEXICON;
    let mut i = 0;
    while i < bytes.len() {
        // ASCII between words: skipped a byte at a time without decoding
        let b = bytes[i];
        if b < 0x80 && !(b.is_ascii_alphanumeric() || b == b'&') {
            i += 1;
            continue;
        }
        let Some((c, len)) = char_at(text, i) else {
            break;
        };
        if !word_char(c) {
            i += len;
            continue;
        }
        let start = i;
        let mut end = i + len;
        let mut j = end;
        let mut ascii = len == 1;
        while let Some(&b) = bytes.get(j) {
            if b.is_ascii_alphanumeric() || b == b'&' {
                j += 1;
                end = j;
                continue;
            }
            let Some((d, dl)) = char_at(text, j) else {
                break;
            };
            if word_char(d) {
                ascii = false;
                end = j + dl;
                j = end;
            } else if (d == '-' || is_apos(d))
                && char_at(text, j + dl).is_some_and(|(n, _)| alnum(n))
            {
                ascii &= dl == 1;
                j += dl;
            } else {
                break;
            }
        }
        count_ops(end - start);
        out.push(word_at(text, start, end, ascii, lexicon));
        i = end;
    }
    out
}

/// The word `text[start..end]` (`ascii`: all its bytes are ASCII): its possessive taken
/// off, its case and its lists.
fn word_at<'a>(
    text: &'a str,
    start: usize,
    end: usize,
    ascii: bool,
    lexicon: &Lexicon,
) -> Word<'a> {
    let mut w = &text[start..end];
    let mut possessive = false;
    for suffix in ["'s", "’s", "'S"] {
        if w.len() > suffix.len() + 1 && w.ends_with(suffix) {
            w = &w[..w.len() - suffix.len()];
            possessive = true;
        }
    }
    // a word that had a non-ASCII possessive taken off may be ASCII now
    let (lower, nchars, first_upper, any_lower, all_lower) = if ascii || w.is_ascii() {
        // shape and lower case in one pass, into a buffer on the stack
        let b = w.as_bytes();
        let first_upper = b.first().is_some_and(u8::is_ascii_uppercase);
        let (mut any_lower, mut all_lower) = (false, true);
        // as long as a `CompactString` holds without allocating
        let mut buf = [0u8; 24];
        let inline = b.len() <= buf.len();
        for (k, &c) in b.iter().enumerate() {
            let low = c.is_ascii_lowercase();
            any_lower |= low;
            all_lower &= low;
            if inline {
                buf[k] = c.to_ascii_lowercase();
            }
        }
        let l = if inline {
            // ASCII lower-cased is ASCII
            std::str::from_utf8(&buf[..b.len()])
                .map(CompactString::from)
                .unwrap_or_default()
        } else {
            let mut l = CompactString::from(w);
            l.make_ascii_lowercase();
            l
        };
        (l, w.len(), first_upper, any_lower, all_lower)
    } else {
        let (mut nchars, mut first_upper, mut any_lower, mut all_lower) = (0, false, false, true);
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
        // full-width letters ("Ｍａｒｉａ") are the ASCII ones
        let lower: CompactString = w
            .chars()
            .map(fold_width)
            .flat_map(char::to_lowercase)
            .collect();
        (lower, nchars, first_upper, any_lower, all_lower)
    };
    let lex = lexicon.get(&lower);
    Word {
        start,
        end: start + w.len(),
        text: w,
        possessive,
        lower,
        lex,
        cap: first_upper && any_lower,
        lower_case: all_lower,
        nchars: u8::try_from(nchars).unwrap_or(u8::MAX),
    }
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
    let next_place = ws.get(i + 1).is_some_and(|w| {
        w.is(PLACE)
            && w.cap
            && text[ws[i].end..w.start]
                .trim()
                .trim_start_matches(['\'', '’'])
                .trim_start_matches('s')
                .is_empty()
    });
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

/// A fixed set of short words, put in the lexicon with a bit of its own (each is asked of
/// nearly every word: one lookup when the word is made answers them all).
macro_rules! word_set {
    ($(#[$doc:meta])* $name:ident = [$($w:literal),* $(,)?]) => {
        $(#[$doc])*
        static $name: LazyLock<HashSet<&'static str>> =
            LazyLock::new(|| [$($w),*].into_iter().collect());
    };
}

/// Contractions are words, never names: "I'm", "I've", "we'd", "don't".
fn is_contraction(lower: &str) -> bool {
    // an apostrophe, or the first byte of a typographic one
    if !lower.bytes().any(|b| b == b'\'' || b == 0xE2) {
        return false;
    }
    let l = lower.replace('’', "'");
    l.starts_with("i'")
        || ["n't", "'ve", "'ll", "'d", "'re", "'m"]
            .iter()
            .any(|s| l.ends_with(s))
}

word_set!(
/// Days and months: words that are capitalised anyway, so a capital says nothing.
CALENDAR = [
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
]);

word_set!(
/// Words before a noun that make it a thing, not a person: "a grace period", "no hope".
DETERMINERS = [
    "a", "an", "the", "no", "any", "some", "every", "her", "his", "my", "their", "our", "your",
    "its", "this", "that", "of", "in", "on", "for", "much", "more", "less", "such", "what",
]);

word_set!(
/// Words that describe a person and often become part of a nickname: "little roo", "Tall Ray".
DESCRIPTORS = [
    "little", "old", "big", "tall", "young", "wee", "fat", "skinny", "mad", "auld", "lanky",
    "ginger", "long", "baby",
]);

word_set!(
/// Short words that are never a name, whatever comes before them.
FUNCTION_WORDS = [
    "the",
    "a",
    "an",
    "and",
    "or",
    "but",
    "to",
    "for",
    "from",
    "with",
    "it",
    "that",
    "this",
    "there",
    "here",
    "not",
    "no",
    "on",
    "at",
    "by",
    "of",
    "as",
    "is",
    "was",
    "be",
    "been",
    "him",
    "her",
    "them",
    "me",
    "you",
    "us",
    "back",
    "up",
    "out",
    "over",
    "in",
    "off",
    "again",
    "today",
    "yesterday",
    "tomorrow",
    "now",
    "later",
    "he",
    "she",
    "they",
    "we",
    "i",
    "my",
    "his",
    "their",
    "what",
    "who",
    "so",
    "if",
    "all",
    "one",
    "someone",
    "anyone",
    "everyone",
    "nobody",
    "security",
    "police",
    "reception",
    "ambulance",
    "about",
    "into",
    "after",
    "before",
    "only",
    "names",
    "mate",
    "too",
    "sometimes",
]);

word_set!(
/// Two-letter words that are words, not initials, when written in capitals.
TWO_LETTER_WORDS = [
    "am", "an", "as", "at", "be", "by", "do", "go", "he", "if", "in", "is", "it", "me", "my", "no",
    "of", "oh", "ok", "on", "or", "so", "to", "up", "us", "we", "hi", "ah", "eh", "ha",
]);

word_set!(
/// Auxiliaries: after initials they mark a person ("FC has erased"), after a word that is
/// also a name they do not ("Hope is what keeps people coming back").
AUX = [
    "has", "had", "is", "was", "will", "would", "can", "could", "should", "must", "might", "did",
    "does", "do",
]);

word_set!(
/// Common verbs of what people do, beyond the speech verbs of `person_verbs.txt`.
ACTIONS = [
    "says", "said", "goes", "went", "comes", "came", "gets", "got", "keeps", "kept", "brings",
    "brought", "helps", "helped", "took", "takes", "sleeps", "slept", "lives", "lived", "knows",
    "knew", "found", "finds", "sent", "sends", "wrote", "writes", "made", "makes",
]);

word_set!(
/// Adverbs that may stand between a name and its verb.
ADVERBS = [
    "never",
    "always",
    "also",
    "just",
    "still",
    "then",
    "often",
    "later",
    "now",
    "really",
    "already",
    "usually",
    "sometimes",
    "only",
    "even",
    "then",
    "actually",
    "apparently",
]);

word_set!(
/// The words just before a name that a naming phrase ends with: "known as", "name is", "goes
/// by", "aka", "calls him", "called", "name:". No naming phrase names a word without one of
/// these before it or one of [`NAMING_CUES_AFTER`] after it.
NAMING_CUES_BEFORE = [
    "as", "is", "by", "aka", "nickname", "nicknamed", "him", "her", "them", "himself", "herself",
    "calls", "call", "called", "named", "name",
]);

word_set!(
/// The words just after a name that a naming phrase after it starts with: "shorty they call
/// him", "Dutch, as everyone calls her".
NAMING_CUES_AFTER = ["they", "everyone", "everybody", "people", "we", "as"]);

/// Whether word `i` is followed (across at most one adverb) by a verb a person does.
fn next_is_verb(text: &str, ws: &[Word<'_>], i: usize) -> bool {
    let is_verb = |w: &Word<'_>| {
        w.lower_case && (w.is(VERB) || w.is(ACTION) || w.nchars >= 5 && w.lower.ends_with("ed"))
    };
    let joined = |a: usize, b: usize| text[ws[a].end..ws[b].start].trim().is_empty();
    match ws.get(i + 1) {
        Some(n) if joined(i, i + 1) && is_verb(n) => true,
        Some(n) if joined(i, i + 1) && n.is(ADVERB) => ws
            .get(i + 2)
            .is_some_and(|m| joined(i + 1, i + 2) && is_verb(m)),
        _ => false,
    }
}

/// Whether the word before `i` is a determiner or preposition that makes word `i` a thing.
fn after_determiner(text: &str, ws: &[Word<'_>], i: usize) -> bool {
    i > 0 && ws[i - 1].is(DETERMINER) && text[ws[i - 1].end..ws[i].start].trim().is_empty()
}

/// What around word `i` says a person is meant: a possessive, a verb after it, a title,
/// relationship or role before it, a speaker's colon, or a name's punctuation after it.
fn person_context(text: &str, ws: &[Word<'_>], i: usize) -> bool {
    let w = &ws[i];
    if w.possessive || next_is_verb(text, ws, i) {
        return true;
    }
    let prev_points = i > 0 && {
        let (p, gap) = (&ws[i - 1], &text[ws[i - 1].end..w.start]);
        gap == " " && p.is(TITLE | HONORIFIC | KINSHIP | CALLS | ROLE)
            || gap == ". " && p.is(TITLE | HONORIFIC)
            || gap == ", " && p.is(KINSHIP | ROLE) && !p.cap
    };
    if prev_points {
        return true;
    }
    let after = text[w.end..].trim_start_matches([' ', '\t']);
    let speaker = after.starts_with(':') && at_sentence_start(text, w);
    let punct = after.starts_with([',', ')', '?', '!', '\n'])
        || after.starts_with(". ")
        || after == "."
        || after.is_empty();
    speaker || (punct && !after_determiner(text, ws, i) && i > 0)
}

/// A full-width letter or sign ("Ｍ", "０") as its ASCII one; any other character as it is.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// A lower-case word without its accents ("núñez" → "nunez", "łukasz" → "lukasz"), so a
/// registered name matches with accents added or dropped. ASCII words are returned as they are.
pub fn fold_accents(lower: &str) -> Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    if lower.is_ascii() {
        return Cow::Borrowed(lower);
    }
    let mut out = String::with_capacity(lower.len());
    for c in lower.nfd() {
        match c {
            '\u{300}'..='\u{36F}' => {}
            'ł' => out.push('l'),
            'ø' => out.push('o'),
            'đ' | 'ð' => out.push('d'),
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ı' => out.push('i'),
            'þ' => out.push_str("th"),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
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
    fn disguised(
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
    fn typo(&self, word: &Word<'_>, folded: &str, is_part: bool) -> Option<String> {
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
fn registered_word_is_a_name(text: &str, ws: &[Word<'_>], i: usize) -> bool {
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

/// How sure a word is a name, on its own.
fn name_evidence(w: &Word<'_>) -> Option<&'static str> {
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
struct Flags {
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
type Evidence = [Option<&'static str>];

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
struct Scan<'a> {
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

    /// Every rule that looks at one word and its neighbours, in order: a later rule that
    /// sets the evidence outranks an earlier one, one that only fills it in does not.
    fn word_evidence(&self, i: usize, person: &mut Evidence) {
        // most words are lower-case dictionary words that are no forename: of all the rules
        // only a naming phrase ("calls him biscuit") can make one a name
        let (w, fl) = (&self.ws[i], &self.fl[i]);
        if w.lower_case && fl.english && !fl.fore {
            if let Some(rule) = self.named(i) {
                person[i] = Some(rule);
            }
            return;
        }
        for rule in [
            name_evidence(&self.ws[i]),
            self.after_title(i),
            self.after_relationship(i),
            self.acts_like_a_person(i),
            self.beside_a_role(i),
            self.before_a_pronoun(i),
            self.named(i),
            self.on_a_name_line(i),
        ]
        .into_iter()
        .flatten()
        {
            person[i] = Some(rule);
        }
        if self.ws[i].nchars < 2 {
            return;
        }
        if let Some(rule) = self.inside_a_sentence(i) {
            person[i].get_or_insert(rule);
        }
        // "Mrs A. Nyarko": a title, an initial, a surname
        if i >= 2 && self.ws[i - 2].is(TITLE) && self.ws[i - 1].nchars == 1 && self.ws[i].cap {
            person[i] = Some("name after a title and an initial");
            person[i - 1] = Some("initial after a title");
        }
        if self.initials(i) {
            person[i] = Some("initials of a person");
        }
        if let Some(rule) = self.nickname(i) {
            person[i] = Some(rule);
            person[i - 1] = Some(rule);
        }
    }

    /// "Name: NOWAK, Jan Piotr (DOB …)": on a line labelled as a name, the capitalised words
    /// up to a bracket or the line's end are the name, surname first or not.
    fn on_a_name_line(&self, i: usize) -> Option<&'static str> {
        let w = &self.ws[i];
        if !(w.cap || all_caps(w.text)) || w.is(FUNCTION) {
            return None;
        }
        let head = self.line_head(i)?;
        let (label, rest) = head.split_once(':')?;
        let label = label.trim().to_ascii_lowercase();
        let labelled = [
            "name",
            "full name",
            "client",
            "client name",
            "customer",
            "patient",
            "surname",
            "forename",
            "forenames",
            "preferred name",
            "known as",
            "visitor",
            "caller",
        ]
        .contains(&label.as_str());
        let only_name_before = rest
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | ',' | '-' | '\'' | '’' | '.'));
        (labelled && only_name_before).then_some("name on a line labelled as a name")
    }

    /// "known as Captain", "his name is wiesiek", "everyone calls him smiler", "Preferred
    /// name: Dot", "goes by Smudge", "a friend called April": a phrase that names whoever
    /// follows it, whatever the word.
    fn named(&self, i: usize) -> Option<&'static str> {
        // every phrase below has a cue word just before the word or just after it
        let cue_before = i > 0 && self.ws[i - 1].is(NAMING_BEFORE);
        let cue_after = self.ws.get(i + 1).is_some_and(|n| n.is(NAMING_AFTER));
        if !(cue_before || cue_after) {
            return None;
        }
        let (w, fl) = (&self.ws[i], &self.fl[i]);
        if w.nchars < 2
            || w.is(FUNCTION)
            || fl.place
            || (fl.not_name && !w.is(CAL))
            || w.text.bytes().any(|b| b.is_ascii_digit())
            || w.is(KINSHIP | TITLE)
        {
            return None;
        }
        let gap = self.gap_before(i);
        let plain = gap
            .chars()
            .all(|c| matches!(c, ' ' | '"' | '\'' | '“' | '‘' | ':' | ','));
        let p1 = if plain {
            self.prev_lower(i).unwrap_or("")
        } else {
            ""
        };
        // the word before that, in the same phrase
        let p2 = i
            .checked_sub(1)
            .filter(|&k| k > 0 && self.gap(k - 1, k).trim().is_empty())
            .and_then(|k| self.prev_lower(k))
            .unwrap_or("");
        // "known to staff as Moose"
        let known_as = p1 == "as"
            && (i.saturating_sub(6)..i.saturating_sub(1)).any(|k| {
                self.ws[k].lower == "known"
                    && !self.text[self.ws[k].end..w.start].contains(['.', '\n'])
            });
        let phrase = known_as
            || (p2 == "name" && p1 == "is")
            || (matches!(p2, "goes" | "go" | "went") && p1 == "by")
            || matches!(p1, "aka" | "nickname" | "nicknamed") && !(w.lower_case && fl.english)
            || (matches!(p2, "calls" | "call" | "called")
                && matches!(p1, "him" | "her" | "them" | "himself" | "herself"))
            || (matches!(p1, "calls" | "call")
                && matches!(
                    p2,
                    "everyone" | "everybody" | "they" | "people" | "we" | "staff" | "all" | "lads"
                ))
            || (p1 == "name" && gap.contains(':'));
        let called = matches!(p1, "called" | "named")
            && w.cap
            && gap == " "
            && !at_sentence_start(self.text, w);
        // "shorty they call him", "Dutch, as everyone calls her"
        let after: [&str; 3] =
            std::array::from_fn(|k| self.ws.get(i + 1 + k).map_or("", |w| w.lower.as_str()));
        let before_phrase = matches!(
            after,
            [
                "they" | "everyone" | "everybody" | "people" | "we",
                "call" | "calls",
                "him" | "her" | "them",
            ] | ["as", "they" | "everyone" | "people", "call" | "calls"]
        ) && self
            .gap(i, i + 1)
            .trim_start_matches([',', '"', '\''])
            .trim()
            .is_empty();
        (phrase || called || before_phrase)
            .then_some("name after a naming phrase ('known as', 'name is')")
    }

    /// "little roo", "old sid", "Tall Ray": a describing word and a name, as one nickname.
    fn nickname(&self, i: usize) -> Option<&'static str> {
        let (w, fl) = (&self.ws[i], &self.fl[i]);
        if i == 0
            || w.nchars < 2
            || fl.not_name
            || fl.place
            || w.is(KINSHIP | ROLE | TITLE)
            || self.gap_before(i) != " "
        {
            return None;
        }
        let d = &self.ws[i - 1];
        if !d.is(DESCRIPTOR) || !(d.lower_case || d.cap) {
            return None;
        }
        let name_like = if w.cap {
            d.cap && (!fl.english || fl.fore || fl.ambiguous) || !fl.english && fl.known
        } else {
            w.lower_case && (fl.fore || !fl.english)
        };
        name_like.then_some("nickname (a describing word and a name)")
    }

    /// "Malgosia (team leader)", "the cleaner, Sunday, brought tea", "receptionist Ines".
    fn beside_a_role(&self, i: usize) -> Option<&'static str> {
        let (w, fl) = (&self.ws[i], &self.fl[i]);
        if w.nchars < 2 || fl.not_name && !w.is(CAL) || fl.place {
            return None;
        }
        let rest = &self.text[w.end..];
        // a role in brackets after a name
        if (w.cap && (!fl.english || fl.fore)) && rest.starts_with(" (") {
            let inner: String = rest[2..]
                .chars()
                .take_while(|c| *c != ')')
                .take(40)
                .collect();
            if words(&inner).iter().any(|x| x.is(ROLE)) {
                return Some("name before a role in brackets");
            }
        }
        // a name in apposition after a role: "the cleaner, Sunday, brought"
        let role_before =
            i > 0 && self.ws[i - 1].is(ROLE) && !self.ws[i - 1].cap && !w.is(FUNCTION);
        if role_before && w.cap {
            let gap = self.gap_before(i);
            let closed = rest.starts_with([',', ')', ';']);
            if (gap == ", " && closed) || (gap == " " && !fl.english && !fl.ambiguous) {
                return Some("name beside a role");
            }
        }
        None
    }

    /// "Fitzy on the door, he's sound": an unknown capitalised word opening a sentence whose
    /// next clause speaks of him or her.
    fn before_a_pronoun(&self, i: usize) -> Option<&'static str> {
        let (w, fl) = (&self.ws[i], &self.fl[i]);
        if !w.cap
            || fl.english
            || fl.not_name
            || fl.place
            || w.nchars < 3
            || !at_sentence_start(self.text, w)
        {
            return None;
        }
        for k in i + 1..(i + 7).min(self.ws.len()) {
            let gap = self.gap(k - 1, k);
            if gap.contains(['.', '!', '?', '\n', ';']) {
                return None;
            }
            if matches!(self.ws[k].lower.as_str(), "he" | "she") && gap.contains(',') {
                return Some("name before 'he' or 'she' in the next clause");
            }
        }
        None
    }

    /// "Mr Islam", "Ms. doherty", "Mrs A. Nyarko".
    fn after_title(&self, i: usize) -> Option<&'static str> {
        let (w, fl) = (&self.ws[i], &self.fl[i]);
        let title = self
            .prev_lower(i)
            .is_some_and(|p| self.ws[i - 1].is(TITLE) && p != "officer");
        (title
            && (w.cap || !fl.english)
            && !fl.not_name
            && self.gap_before(i).chars().all(|c| c == '.' || c == ' '))
        .then_some("name after a title")
    }

    /// "my brother Tom", "his mate stoyan", "called Joy", "officer ferenc balogh".
    fn after_relationship(&self, i: usize) -> Option<&'static str> {
        let (w, fl) = (&self.ws[i], &self.fl[i]);
        let plausible = w.cap || (w.lower_case && !fl.english && fl.known);
        let next_surname = self
            .ws
            .get(i + 1)
            .is_some_and(|n| n.is(SUR) && !n.is(ENG) && self.gap(i, i + 1) == " ");
        let acts = fl.fore && next_is_verb(self.text, self.ws, i)
            || w.lower_case
                && !fl.english
                && !fl.place
                && w.nchars >= 3
                && i > 0
                && self.ws[i - 1].is(KINSHIP);
        if w.is(FUNCTION)
            || w.lower_case && (w.is(VERB) || w.is(ACTION))
            || fl.place && i > 0 && !self.ws[i - 1].is(KINSHIP)
        {
            return None;
        }
        (i > 0
            && self.ws[i - 1].is(KINSHIP | CALLS)
            && (plausible || fl.fore && next_surname || acts)
            && !fl.not_name
            && (!fl.english || fl.fore && next_surname || acts)
            && self
                .gap_before(i)
                .chars()
                .all(|c| matches!(c, ' ' | ',' | '"' | '(')))
        .then_some("name after a relationship or 'called'")
    }

    /// "Eoin called security", "Fatema's case ref": a proper noun that acts like a person.
    fn acts_like_a_person(&self, i: usize) -> Option<&'static str> {
        let (w, fl) = (&self.ws[i], &self.fl[i]);
        let gap_after = if i + 1 < self.ws.len() {
            self.gap(i, i + 1)
        } else {
            ""
        };
        let proper = ((w.cap && (!fl.english || fl.known))
            || (w.lower_case && !fl.english && w.nchars >= 3))
            && !w.is(KINSHIP | ROLE | TITLE);
        let acts = self.ws.get(i + 1).is_some_and(|w| w.is(VERB)) && gap_after.trim().is_empty();
        let lower_forename_possessive = w.lower_case
            && w.possessive
            && fl.known
            && !fl.english
            && !w.is(KINSHIP | ROLE)
            && !w.is(FUNCTION)
            && !after_determiner(self.text, self.ws, i);
        if lower_forename_possessive && !fl.not_name {
            return Some("possessive forename");
        }
        let item_to = self.text[..w.start].trim_end().ends_with([':', ';'])
            && self.ws.get(i + 1).is_some_and(|n| n.lower == "to");
        let joy = w.cap
            && fl.ambiguous
            && fl.fore
            && !w.is(KINSHIP | ROLE | TITLE)
            && (next_is_verb(self.text, self.ws, i) || item_to);
        if joy && !fl.not_name {
            return Some("name before a verb of speech or action");
        }
        // "patience rang back" at the start of a line of lower-case notes
        let spoken = w.lower_case
            && fl.fore
            && at_sentence_start(self.text, w)
            && self
                .ws
                .get(i + 1)
                .is_some_and(|n| n.is(VERB) && n.lower_case)
            && gap_after.trim().is_empty()
            && !w.is(KINSHIP | ROLE | TITLE);
        if spoken && !fl.not_name {
            return Some("forename before a verb of speech or action");
        }
        if proper && !fl.not_name && (acts || w.possessive) && !fl.ambiguous {
            Some(if acts {
                "name before a verb of speech or action"
            } else {
                "possessive proper noun"
            })
        } else {
            None
        }
    }

    /// A capitalised word away from the start of a sentence.
    fn inside_a_sentence(&self, i: usize) -> Option<&'static str> {
        let (w, fl) = (&self.ws[i], &self.fl[i]);
        if at_sentence_start(self.text, w) || !w.cap || fl.not_name || fl.place {
            return None;
        }
        // a proper noun inside a sentence: "interview Tendai", "guard Kidus speaks"
        if !fl.english && w.nchars >= 3 {
            return Some("proper noun inside a sentence");
        }
        // a forename that is also a word, used as a name: "is Miles,", "Grant from the ICO", "Miles's eye"
        let after = self.text[w.end..]
            .trim_start_matches(['\'', '’', 's'])
            .chars()
            .next();
        let name_like_next = self
            .ws
            .get(i + 1)
            .is_some_and(|w| w.is(VERB) || w.lower == "from")
            || matches!(after, Some(',' | '?' | ')'))
            || w.possessive;
        (fl.fore && name_like_next && !w.is(KINSHIP | ROLE | TITLE))
            .then_some("forename used as a name")
    }

    /// Initials: "SJP to re-check", "from AO", "DL to strike".
    fn initials(&self, i: usize) -> bool {
        let w = &self.ws[i];
        let fl = &self.fl[i];
        if !all_caps(w.text) || w.nchars > 3 {
            return false;
        }
        // "Actions: NB chase; ID draft the guide; DO book room", "Present: AB, CD": in such a
        // list capitals at the start of an item are people, even where they spell a word
        let line_head = self.line_label(i, 16);
        let listing = [
            "actions:",
            "action:",
            "present:",
            "attendees:",
            "apologies:",
            "minutes:",
        ]
        .iter()
        .any(|h| line_head.starts_with(h));
        let item_start = self.text[..w.start].trim_end().ends_with([':', ';', ',']);
        if listing
            && item_start
            && !["NHS", "GP", "DWP", "CRM", "HPO", "DPO", "AOB"].contains(&w.text)
        {
            return true;
        }
        // "PK and SO on the door": capitals joined to initials
        let joined_to_initials = i >= 2
            && matches!(self.ws[i - 1].lower.as_str(), "and" | "&")
            && all_caps(self.ws[i - 2].text)
            && self.ws[i - 2].nchars <= 3
            && !ACRONYMS.contains(self.ws[i - 2].text)
            && !self.fl[i - 2].english;
        if joined_to_initials && !ACRONYMS.contains(w.text) {
            return true;
        }
        if w.nchars > 3
            || ACRONYMS.contains(w.text)
            // two-letter dictionary entries are mostly abbreviations ("pd", "kt"): only
            // real words rule initials out there
            || (fl.english && (w.nchars > 2 || w.is(TWO_LETTER)))
            || fl.not_name
            || fl.place
        {
            return false;
        }
        let after = self.text[w.end..].trim_start().chars().next();
        let verbish = self.ws.get(i + 1).is_some_and(|n| {
            n.lower_case
                && self.gap(i, i + 1).trim().is_empty()
                && (n.is(INIT_AFTER | VERB)
                    || n.is(AUXILIARY)
                    || n.is(ACTION)
                    || n.nchars >= 5 && (n.lower.ends_with("ing") || n.lower.ends_with("ed")))
        });
        // an item of minutes or an action list: "Minutes: KT", "; MQ slides"
        let item = self.text[..w.start].trim_end().ends_with([':', ';'])
            && self.ws.get(i + 1).is_some_and(|n| !n.cap);
        let by_word = verbish || item;
        // "the ICO", "a DWP letter": an organisation
        if self
            .prev_lower(i)
            .is_some_and(|p| matches!(p, "the" | "a" | "an"))
        {
            return false;
        }
        let by_mark = matches!(after, Some('-' | ':'));
        let by_prev = self.prev_lower(i).is_some_and(|p| {
            [
                "from", "with", "by", "to", "and", "ask", "tell", "saw", "see", "seen", "met",
                "told", "asked", "called", "rang", "emailed", "phoned", "thanked", "per", "via",
            ]
            .contains(&p)
        });
        // "TM and RA are both off"
        let before_initials = self.ws.get(i + 2).is_some_and(|n| {
            matches!(self.ws[i + 1].lower.as_str(), "and" | "&")
                && all_caps(n.text)
                && n.nchars <= 3
                && !ACRONYMS.contains(n.text)
        });
        by_word || by_mark || by_prev || before_initials
    }

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
fn name_gap(gap: &str) -> bool {
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
struct Free {
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
fn may_be_a_name(text: &str, ws: &[Word<'_>], i: usize) -> bool {
    let t = ws[i].text;
    !t.bytes().any(|b| b.is_ascii_digit()) && !plural_acronym(t) && !in_place_name(text, ws, i)
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

    /// The tokeniser as it was first written, a character at a time: the byte-level one
    /// must split and describe every text the same way.
    fn reference_words(text: &str) -> Vec<(usize, usize, bool, String, bool, bool, usize)> {
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
                let first_upper = w.chars().next().is_some_and(char::is_uppercase);
                let any_lower = w.chars().any(char::is_lowercase);
                let all_lower = w.chars().all(char::is_lowercase);
                out.push((
                    i,
                    i + w.len(),
                    possessive,
                    // full-width letters are the ASCII ones
                    w.chars()
                        .map(fold_width)
                        .flat_map(char::to_lowercase)
                        .collect::<String>(),
                    first_upper && any_lower,
                    all_lower,
                    w.chars().count(),
                ));
            }
        }
        out
    }

    fn described(text: &str) -> Vec<(usize, usize, bool, String, bool, bool, usize)> {
        words(text)
            .iter()
            .map(|w| {
                assert_eq!(w.text, &text[w.start..w.end]);
                assert_eq!(w.lex, LEXICON.get(&w.lower));
                (
                    w.start,
                    w.end,
                    w.possessive,
                    w.lower.to_string(),
                    w.cap,
                    w.lower_case,
                    usize::from(w.nchars),
                )
            })
            .collect()
    }

    #[test]
    fn tokeniser_samples() {
        for text in [
            "Aisha's bag, O'Sullivan-Smith said.",
            "İstanbul’s ẞtraße A&E 07700-900461 x'-y -a- 'b' Zoë’s ÉCOLE's ab’S",
            "a thirty-character-long-hyphenated-word-of-ascii and ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "",
            "'''---",
            "é",
        ] {
            assert_eq!(described(text), reference_words(text), "{text:?}");
        }
        let w = words("Mr SMITH met smith");
        assert_eq!(
            (w[0].lex & HONORIFIC != 0, w[1].cap, w[2].lower_case),
            (true, false, true)
        );
        assert!(w[1].lex & SUR != 0 && w[1].lower == "smith");
    }

    #[test]
    fn a_word_stays_small() {
        // a long text has a word for every five or six bytes
        assert!(std::mem::size_of::<Word<'_>>() <= 64);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        #[test]
        fn tokeniser_matches_the_reference(text in "[a-zA-Z0-9&'’ .,İıẞßéÉ\u{300}٣-]{0,60}") {
            proptest::prop_assert_eq!(described(&text), reference_words(&text));
        }

        #[test]
        fn tokeniser_matches_the_reference_on_any_text(text in "\\PC{0,80}") {
            proptest::prop_assert_eq!(described(&text), reference_words(&text));
        }
    }

    #[test]
    fn word_lists_are_read_without_their_headers() {
        for list in [
            &*TITLES,
            &*PARTICLES,
            &*KIN,
            &*CALLED,
            &*NOT_NAMES,
            &*PLACE_NEXT,
            &*HONORIFICS,
            &*ACRONYMS,
            &*PERSON_VERBS,
            &*INITIALS_AFTER,
            &*INFORMAL,
            &*PLACES,
            &*ROLES,
            &*WORD_NAMES,
        ] {
            assert!(!list.is_empty());
            assert!(list.iter().all(|w| !w.starts_with('#') && w.trim() == *w));
        }
        assert!(TITLES.contains("cllr") && ACRONYMS.contains("NHS") && KIN.contains("mate"));
    }
}
