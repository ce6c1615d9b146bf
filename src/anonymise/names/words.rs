//! Splitting a text into words, each with its shape, its lower case and its lists; folding
//! full-width letters and accents.

use super::*;

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
    pub(super) fn is(&self, bits: u32) -> bool {
        self.lex & bits != 0
    }
}

pub(super) fn is_apos(c: char) -> bool {
    c == '\'' || c == '’'
}

/// The character at byte `i` of `text` (a character boundary) and its length in bytes, read
/// without decoding when it is ASCII.
#[inline]
pub(super) fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        Some((char::from(b), 1))
    } else {
        text[i..].chars().next().map(|c| (c, c.len_utf8()))
    }
}

/// Letters, digits and `&` make words.
#[inline]
pub(super) fn word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '&'
    } else {
        c.is_alphanumeric()
    }
}

#[inline]
pub(super) fn alnum(c: char) -> bool {
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
pub(super) fn word_at<'a>(
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

pub(super) fn all_caps(w: &str) -> bool {
    w.chars().all(|c| c.is_uppercase()) && w.chars().count() >= 2
}

/// A full-width letter or sign ("Ｍ", "０") as its ASCII one; any other character as it is.
pub(super) fn fold_width(c: char) -> char {
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
