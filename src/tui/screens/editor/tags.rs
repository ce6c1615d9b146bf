//! `#theme` tags typed into a note: completed from the codebook, then split out of the text.

use ratatui_textarea::TextArea;

use super::Editor;

pub(super) fn at_end(t: &TextArea<'_>) -> bool {
    let c = t.cursor();
    let lines = t.lines();
    c.0 + 1 == lines.len() && lines.last().is_some_and(|l| c.1 == l.chars().count())
}

/// The `#partial` word before the cursor, if any.
fn theme_prefix(t: &TextArea<'_>) -> Option<String> {
    let line = t.lines().last()?;
    let word = line.rsplit(char::is_whitespace).next()?;
    let p = word.strip_prefix('#')?;
    (!p.is_empty()).then(|| p.to_owned())
}

/// The codebook theme that completes what is typed after `#`.
pub fn theme_completion(e: &Editor) -> Option<String> {
    let prefix = theme_prefix(&e.input)?.to_lowercase();
    e.themes
        .iter()
        .map(|t| t.replace(' ', "_"))
        .find(|t| t.to_lowercase().starts_with(&prefix) && t.len() > prefix.len())
}

pub(super) fn complete_theme(e: &mut Editor) -> bool {
    let (Some(prefix), Some(full)) = (theme_prefix(&e.input), theme_completion(e)) else {
        return false;
    };
    let rest: String = full.chars().skip(prefix.chars().count()).collect();
    e.input.insert_str(rest);
    true
}

/// Splits `#theme` tags out of typed text: (the text to keep, theme names). `_` in a tag
/// stands for a space, so `#waiting_times` tags "waiting times". A tag inside a sentence is
/// a word the speaker said: it stays in the text without its `#` (an export reads "on the
/// waiting list", not "on the #waiting list"); the run of tags that ends a line is only
/// tagging and is dropped from the text. `#3` and `#` before a digit are not tags.
pub fn split_tags(text: &str) -> (String, Vec<String>) {
    let mut themes: Vec<String> = Vec::new();
    let mut lines = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split(' ').collect();
        let tags: Vec<Option<&str>> = words.iter().map(|w| tag_of(w)).collect();
        // where the closing run of tags (and blanks) starts
        let mut tail = words.len();
        while tail > 0 && (tags[tail - 1].is_some() || words[tail - 1].is_empty()) {
            tail -= 1;
        }
        let mut kept: Vec<String> = Vec::new();
        for (i, (word, tag)) in words.iter().zip(&tags).enumerate() {
            if let Some(t) = tag {
                let name = t.replace('_', " ");
                if !themes.iter().any(|x| x.eq_ignore_ascii_case(&name)) {
                    themes.push(name);
                }
                if i < tail {
                    kept.push(word[1..].replace('_', " "));
                }
            } else if i < tail {
                kept.push((*word).to_owned());
            }
        }
        lines.push(kept.join(" ").trim_end().to_owned());
    }
    (lines.join("\n").trim().to_owned(), themes)
}

/// The theme a word tags (`#Waiting,` tags "Waiting"), if it is a tag.
fn tag_of(word: &str) -> Option<&str> {
    word.strip_prefix('#')
        .map(|t| t.trim_end_matches(['.', ',', ';', ':', '!', '?']))
        .filter(|t| t.chars().next().is_some_and(char::is_alphabetic))
        .filter(|t| {
            t.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        })
}
