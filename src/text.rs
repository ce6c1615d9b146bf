//! Text hygiene for what users type and what the terminal shows.

/// Largest note accepted, in bytes. Far above any typed note; stops an accidental paste of a
/// whole file from becoming one unreadable note.
pub const MAX_NOTE_BYTES: usize = 16 * 1024 * 1024;

/// Normalises typed or pasted text for storage: CRLF and CR become LF, tabs stay, and every
/// other control character (escape sequences included) is removed. Trailing whitespace is
/// trimmed.
pub fn clean_note_text(raw: &str) -> String {
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
    let cleaned: String = unified
        .chars()
        .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
        .collect();
    cleaned.trim_end().trim_start_matches('\n').to_owned()
}

/// Makes user text safe to print on a terminal: control characters (ESC, BEL, C1 controls…)
/// are shown as visible `\u{..}` escapes; newlines and tabs are kept when `keep_newlines`.
pub fn for_terminal(s: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\t' if keep_newlines => out.push(c),
            '\n' | '\t' => out.push(' '),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for HTML element content or a quoted attribute; newlines become `<br>`.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escape_sequences_and_keeps_lines() {
        assert_eq!(
            clean_note_text("a\u{1b}[31mred\r\nb\t c\u{7}  \n"),
            "a[31mred\nb\t c"
        );
    }

    #[test]
    fn terminal_output_shows_controls_visibly() {
        assert_eq!(
            for_terminal("x\u{1b}]0;evil\u{7}", true),
            "x\\u{1b}]0;evil\\u{7}"
        );
        assert_eq!(for_terminal("a\nb", false), "a b");
        assert_eq!(for_terminal("Zoë 😀 김", true), "Zoë 😀 김");
    }
}
