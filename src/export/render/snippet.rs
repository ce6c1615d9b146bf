//! A coded passage cut out of its note with a little context either side, and the short
//! form of a whole note. Cuts fall between words, never inside a redaction marker such as
//! `[NHS NUMBER]`, and prefer the edges of the sentence the passage sits in.

/// Characters of context kept either side of a coded passage.
pub const CONTEXT: usize = 80;

/// The most characters the short form of a whole note shows.
pub const LEAD: usize = 2 * CONTEXT;

/// A coded passage and the words around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// Context before the passage (empty at the start of the note).
    pub before: String,
    /// The coded words.
    pub coded: String,
    /// Context after the passage.
    pub after: String,
    /// Whether the note goes on before the context (shown as an ellipsis).
    pub more_before: bool,
    /// Whether the note goes on after the context.
    pub more_after: bool,
}

/// The note's characters, with which of them sit inside a redaction marker.
struct Chars {
    c: Vec<char>,
    /// `true` for every character from a marker's `[` to its `]`.
    marker: Vec<bool>,
}

/// The longest a redaction marker can be, brackets included.
const MAX_MARKER: usize = 40;

impl Chars {
    fn new(text: &str) -> Self {
        let c: Vec<char> = text.chars().collect();
        let mut marker = vec![false; c.len()];
        let mut i = 0;
        while i < c.len() {
            if c[i] == '['
                && let Some(len) = c[i + 1..]
                    .iter()
                    .take(MAX_MARKER)
                    .position(|&x| x == ']' || x == '[' || x == '\n')
                    .filter(|&k| c[i + 1 + k] == ']')
            {
                marker[i..=i + 1 + len].fill(true);
                i += len + 2;
                continue;
            }
            i += 1;
        }
        Chars { c, marker }
    }

    fn len(&self) -> usize {
        self.c.len()
    }

    /// Whether a cut may fall before character `i`: at either end, or next to a space,
    /// outside every marker.
    fn boundary(&self, i: usize) -> bool {
        let space = |k: usize| self.c[k].is_whitespace() && !self.marker[k];
        i == 0 || i == self.len() || space(i - 1) || space(i)
    }

    /// Whether a sentence starts at character `i`.
    fn starts_sentence(&self, i: usize) -> bool {
        i == 0
            || self.c[i - 1] == '\n'
            || (i >= 2 && self.c[i - 1].is_whitespace() && self.ends_with_stop(i - 1))
    }

    /// Whether a sentence ends just before character `i`.
    fn ends_sentence(&self, i: usize) -> bool {
        i == self.len()
            || self.c[i] == '\n'
            || (i >= 1 && self.c[i].is_whitespace() && self.ends_with_stop(i))
    }

    /// Whether the character before `i` closes a sentence.
    fn ends_with_stop(&self, i: usize) -> bool {
        matches!(self.c[i - 1], '.' | '!' | '?' | '…') && !self.marker[i - 1]
    }

    fn text(&self, a: usize, b: usize) -> String {
        self.c[a..b].iter().collect()
    }
}

/// The passage `start..end` (characters) of `text`, with context back to the start of its
/// sentence and on to the end of it, each at most [`CONTEXT`] characters (cut between words
/// when the sentence goes further).
pub fn passage(text: &str, start: usize, end: usize) -> Snippet {
    let t = Chars::new(text);
    let end = end.min(t.len());
    let start = start.min(end);
    let lower = start.saturating_sub(CONTEXT);
    let from = (lower..=start)
        .rev()
        .find(|&i| t.starts_sentence(i))
        .or_else(|| (lower..=start).find(|&i| t.boundary(i)))
        .unwrap_or(start);
    let upper = (end + CONTEXT).min(t.len());
    let to = (end..=upper)
        .find(|&i| t.ends_sentence(i))
        .or_else(|| (end..=upper).rev().find(|&i| t.boundary(i)))
        .unwrap_or(end);
    Snippet {
        more_before: t.c[..from].iter().any(|c| !c.is_whitespace()),
        more_after: t.c[to..].iter().any(|c| !c.is_whitespace()),
        before: t.text(from, start).trim_start().to_owned(),
        coded: t.text(start, end),
        after: t.text(end, to).trim_end().to_owned(),
    }
}

/// The short form of a whole note: its first sentences up to [`LEAD`] characters (or as
/// many words as fit), and whether anything was left off.
pub fn lead(text: &str) -> (String, bool) {
    let t = Chars::new(text);
    if t.len() <= LEAD {
        return (text.trim().to_owned(), false);
    }
    let inside = |i: usize| t.marker[i - 1] && t.marker[i];
    let cut = (1..=LEAD)
        .rev()
        .find(|&i| t.ends_sentence(i))
        .or_else(|| (1..=LEAD).rev().find(|&i| t.boundary(i)))
        .or_else(|| (1..=LEAD).rev().find(|&i| !inside(i)))
        .unwrap_or(LEAD);
    (t.text(0, cut).trim_end().to_owned(), true)
}
