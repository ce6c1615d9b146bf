//! The word lists the name rules read, as one lexicon: each lower-case word with the lists
//! it is on as bits, looked up once when the word is made.

use super::*;

/// The entries of a word list from `assets/`: one a line; blank lines and `#` comment lines
/// skipped.
pub(super) fn entries(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// A word list from `assets/` as a set.
pub(super) fn list(text: &'static str) -> HashSet<&'static str> {
    entries(text).collect::<HashSet<_>>()
}

/// A list embedded from `assets/`, parsed on first use and never again.
macro_rules! word_list {
    ($(#[$doc:meta])* $name:ident, $path:literal) => {
        $(#[$doc])*
        pub(super) static $name: LazyLock<HashSet<&'static str>> =
            LazyLock::new(|| list(include_str!(concat!("../../../assets/", $path))));
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
pub(super) const FORE: u32 = 1;
pub(super) const SUR: u32 = 1 << 1;
pub(super) const AMBIG: u32 = 1 << 2;
pub(super) const ENG: u32 = 1 << 3;
pub(super) const NOT_NAME: u32 = 1 << 4;
pub(super) const PLACE: u32 = 1 << 5;
pub(super) const TITLE: u32 = 1 << 6;
pub(super) const HONORIFIC: u32 = 1 << 7;
pub(super) const KINSHIP: u32 = 1 << 8;
pub(super) const CALLS: u32 = 1 << 9;
pub(super) const VERB: u32 = 1 << 10;
pub(super) const INIT_AFTER: u32 = 1 << 11;
pub(super) const PLACE_NAME: u32 = 1 << 12;
pub(super) const ROLE: u32 = 1 << 13;
// the short fixed sets below, looked up with the rest
pub(super) const FUNCTION: u32 = 1 << 14;
pub(super) const DESCRIPTOR: u32 = 1 << 15;
pub(super) const CAL: u32 = 1 << 16;
pub(super) const AUXILIARY: u32 = 1 << 17;
pub(super) const ACTION: u32 = 1 << 18;
pub(super) const DETERMINER: u32 = 1 << 19;
pub(super) const ADVERB: u32 = 1 << 20;
pub(super) const TWO_LETTER: u32 = 1 << 21;
pub(super) const WORD_NAME: u32 = 1 << 22;
pub(super) const PARTICLE: u32 = 1 << 23;
pub(super) const NAMING_BEFORE: u32 = 1 << 24;
pub(super) const NAMING_AFTER: u32 = 1 << 25;

/// Every word on a list, with the lists it is on as bits: one map, filled straight from the
/// embedded files (the large lists are never held as sets of their own), keyed by the
/// lower-case word.
pub(super) struct Lexicon {
    map: HashMap<&'static str, u32>,
    /// The longest entry in bytes: a longer word is on no list and is not looked up.
    longest: usize,
}

pub(super) static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    // the large lists straight from their text; the small ones are sets the rules use too
    let files: [(&'static str, u32); 4] = [
        (include_str!("../../../assets/names/forenames.txt"), FORE),
        (include_str!("../../../assets/names/surnames.txt"), SUR),
        (include_str!("../../../assets/names/ambiguous.txt"), AMBIG),
        (include_str!("../../../assets/words/english.txt"), ENG),
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
    pub(super) fn get(&self, lower: &str) -> u32 {
        if lower.len() > self.longest {
            return 0;
        }
        self.map.get(lower).copied().unwrap_or(0)
    }
}

/// A fixed set of short words, put in the lexicon with a bit of its own (each is asked of
/// nearly every word: one lookup when the word is made answers them all).
macro_rules! word_set {
    ($(#[$doc:meta])* $name:ident = [$($w:literal),* $(,)?]) => {
        $(#[$doc])*
        pub(super) static $name: LazyLock<HashSet<&'static str>> =
            LazyLock::new(|| [$($w),*].into_iter().collect());
    };
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
