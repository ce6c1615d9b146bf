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

/// True for the bidirectional formatting characters (embeddings, overrides, isolates and the
/// directional marks). They are invisible yet reorder what follows them, so a name or title
/// carrying one can make a line on the terminal read differently from what it holds.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// True for what must never reach a terminal raw: control characters (C0 such as ESC and
/// BEL, DEL, and the C1 block, which some terminals obey as 8-bit escapes) and bidirectional
/// formatting characters.
pub fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Makes user text safe to print on a terminal: control characters (ESC, BEL, C1 controls…)
/// and bidirectional formatting characters (U+202E…) are shown as visible `\u{..}` escapes;
/// newlines and tabs are kept when `keep_newlines`.
pub fn for_terminal(s: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\t' if keep_newlines => out.push(c),
            '\n' | '\t' => out.push(' '),
            c if is_unsafe_for_terminal(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// True for the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069): invisible, they reorder the text after them until their paragraph ends.
/// The directional marks (U+200E, U+200F, U+061C) only nudge neutral characters and stay.
pub fn is_bidi_reorder(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// True for what no document that leaves the vault should carry: control characters other
/// than newline, tab and carriage return (an escape sequence, BEL, a C1 control would act on
/// the terminal of whoever `cat`s the file) and the bidirectional reorderings, which make a
/// line in a browser, spreadsheet or QDA tool read differently from what it holds.
pub fn is_unfit_for_document(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t' | '\r')) || is_bidi_reorder(c)
}

/// `s` without the characters of [`is_unfit_for_document`] (borrowed when it has none, as
/// nearly every text has).
pub fn for_document(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(is_unfit_for_document) {
        std::borrow::Cow::Owned(s.chars().filter(|c| !is_unfit_for_document(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Removes the control characters no data file needs (C0 other than tab, newline and carriage
/// return; DEL; C1) from a value written as CSV. Bidirectional marks stay: right-to-left text
/// can need them, and a spreadsheet shows them as intended.
pub fn for_data(s: &str) -> String {
    s.chars()
        .filter(|c| matches!(c, '\t' | '\n' | '\r') || !c.is_control())
        .collect()
}

/// Pretty JSON in which every character unsafe on a terminal is a `\uXXXX` escape: serde_json
/// escapes C0 controls itself, this adds DEL, the C1 block and the bidirectional formatting
/// characters. Any JSON reader decodes the same strings, so the data is unchanged, yet the
/// output can be shown on a terminal as it is.
pub fn json_pretty<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut buf = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(
        &mut buf,
        TerminalSafeJson(serde_json::ser::PrettyFormatter::new()),
    );
    value.serialize(&mut ser)?;
    // serde_json writes only UTF-8
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

struct TerminalSafeJson(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for TerminalSafeJson {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_unsafe_for_terminal(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    write!(w, "\\u{:04x}", u)?;
                }
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Escapes text for HTML element content or a quoted attribute; newlines become `<br>`;
/// control characters and bidirectional reorderings are dropped ([`is_unfit_for_document`]).
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
            c if is_unfit_for_document(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// A verbatim quote without the quotation marks the researcher typed around it, for display
/// in marks of our own: `"I sleep with a chair"` shows as “I sleep with a chair”, not as
/// “"I sleep with a chair"”. Only one matching pair around the whole text is taken off.
pub fn without_quote_marks(text: &str) -> &str {
    let t = text.trim();
    for (open, close) in [('"', '"'), ('“', '”'), ('\'', '\''), ('‘', '’')] {
        if let Some(inner) = t.strip_prefix(open).and_then(|r| r.strip_suffix(close))
            && !inner.trim().is_empty()
            && !inner.contains(open)
            && !inner.contains(close)
        {
            return inner;
        }
    }
    text
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
        assert_eq!(for_terminal("a\u{9b}31m", false), "a\\u{9b}31m");
    }

    #[test]
    fn terminal_output_shows_bidi_controls_visibly() {
        for c in [
            '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200e}', '\u{200f}', '\u{061c}',
        ] {
            let shown = for_terminal(&format!("abc{c}def"), false);
            assert!(!shown.contains(c), "{:x} passed through", u32::from(c));
            assert_eq!(shown, format!("abc\\u{{{:x}}}def", u32::from(c)));
        }
        // Arabic and Hebrew letters themselves are text, not controls
        assert_eq!(for_terminal("سلام שלום", false), "سلام שלום");
    }

    #[test]
    fn json_escapes_what_a_terminal_would_obey_and_reads_back_the_same() {
        let value =
            serde_json::json!({"title": "a\u{1b}]52;c;QUJD\u{7}\u{9b}2J\u{202e}z\u{7f} 😀"});
        let text = json_pretty(&value).unwrap();
        assert!(
            !text.chars().any(|c| c != '\n' && is_unsafe_for_terminal(c)),
            "{text:?}"
        );
        assert!(
            text.contains("\\u202e") && text.contains("\\u009b"),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
        assert_eq!(
            json_pretty(&serde_json::json!([1, {"a": "b"}])).unwrap(),
            serde_json::to_string_pretty(&serde_json::json!([1, {"a": "b"}])).unwrap()
        );
    }

    #[test]
    fn data_keeps_text_and_layout_but_drops_escapes() {
        assert_eq!(
            for_data("a\u{1b}]52;c;QUJD\u{7}b\u{9b}2J\tc\r\nd\u{202e}e\u{7f}"),
            "a]52;c;QUJDb2J\tc\r\nd\u{202e}e"
        );
    }

    #[test]
    fn one_pair_of_typed_quote_marks_is_taken_off_a_quote() {
        for (typed, shown) in [
            ("\"I sleep with a chair\"", "I sleep with a chair"),
            ("“I sleep with a chair”", "I sleep with a chair"),
            ("  'no room'  ", "no room"),
            ("I said \"no\" twice", "I said \"no\" twice"),
            ("\"one\" and \"two\"", "\"one\" and \"two\""),
            ("\"\"", "\"\""),
            ("plain", "plain"),
        ] {
            assert_eq!(without_quote_marks(typed), shown, "{typed}");
        }
    }
}
