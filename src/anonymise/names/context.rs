//! What the words around a word say of it: the start of a sentence, an honorific, a place's
//! name, a verb after it, a determiner before it.

use super::*;

/// True when the word begins a sentence, a line or a quotation.
pub(super) fn at_sentence_start(text: &str, w: &Word<'_>) -> bool {
    let before = text[..w.start].trim_end_matches([' ', '"', '\'', '“', '‘', '(', '#', '-']);
    before.is_empty() || before.ends_with(['.', '!', '?', '\n', ':', ';'])
}

/// Where a name starting at word `i` begins, taking in an honorific just before it
/// ("Mr Islam", "Dr. Eze"): the honorific goes with the name.
pub(super) fn start_with_honorific(text: &str, ws: &[Word<'_>], i: usize) -> usize {
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
pub(super) fn in_place_name(text: &str, ws: &[Word<'_>], i: usize) -> bool {
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
pub(super) fn plural_acronym(w: &str) -> bool {
    w.strip_suffix('s')
        .is_some_and(|r| r.chars().count() >= 2 && r.chars().all(char::is_uppercase))
}

/// Contractions are words, never names: "I'm", "I've", "we'd", "don't".
pub(super) fn is_contraction(lower: &str) -> bool {
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

/// Whether word `i` is followed (across at most one adverb) by a verb a person does.
pub(super) fn next_is_verb(text: &str, ws: &[Word<'_>], i: usize) -> bool {
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
pub(super) fn after_determiner(text: &str, ws: &[Word<'_>], i: usize) -> bool {
    i > 0 && ws[i - 1].is(DETERMINER) && text[ws[i - 1].end..ws[i].start].trim().is_empty()
}

/// What around word `i` says a person is meant: a possessive, a verb after it, a title,
/// relationship or role before it, a speaker's colon, or a name's punctuation after it.
pub(super) fn person_context(text: &str, ws: &[Word<'_>], i: usize) -> bool {
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
