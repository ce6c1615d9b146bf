use super::registered::within_one_edit;
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
