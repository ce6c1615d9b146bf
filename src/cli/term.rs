//! Everything the CLI writes goes through here, so no stored or typed text can carry an
//! escape sequence (an OSC 52 clipboard write, a CSI that clears the screen, an 8-bit C1
//! control) or a bidirectional override onto the user's terminal.
//!
//! Two kinds of output:
//! - human text (listings, confirmations, messages): always made safe, whatever stdout is,
//!   with the controls shown as visible `\u{..}` escapes;
//! - data (CSV, JSON, redacted text) through [`Out::data`]: unchanged into a pipe or a file,
//!   where it is the user's data, and made safe like human text on a terminal. (The CSV
//!   itself drops control characters and the JSON escapes them; see README.)

use std::io::{self, Write};

use fieldnotes::text::for_terminal;

/// Standard output (or any writer), made terminal-safe line by line.
pub struct Out<W: Write> {
    inner: W,
    tty: bool,
    line: Vec<u8>,
}

impl<W: Write> Out<W> {
    /// `tty`: whether `inner` is a terminal.
    pub fn new(inner: W, tty: bool) -> Self {
        Self {
            inner,
            tty,
            line: Vec::new(),
        }
    }

    /// Where data goes: straight through to a pipe or file, made safe on a terminal.
    pub fn data(&mut self) -> io::Result<&mut dyn Write> {
        if self.tty {
            Ok(self)
        } else {
            self.write_pending()?;
            Ok(&mut self.inner)
        }
    }

    fn write_line(&mut self, bytes: &[u8]) -> io::Result<()> {
        let safe = for_terminal(&String::from_utf8_lossy(bytes), true);
        self.inner.write_all(safe.as_bytes())
    }

    fn write_pending(&mut self) -> io::Result<()> {
        if !self.line.is_empty() {
            let pending = std::mem::take(&mut self.line);
            self.write_line(&pending)?;
        }
        Ok(())
    }

    /// Writes what is pending and flushes; the errors a drop would lose (a full disk behind
    /// a redirection) surface here.
    pub fn finish(mut self) -> io::Result<()> {
        self.flush()
    }
}

impl<W: Write> Write for Out<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.line.extend_from_slice(buf);
        // a newline byte never occurs inside a multi-byte UTF-8 character, so each complete
        // line decodes on its own
        if let Some(last) = self.line.iter().rposition(|b| *b == b'\n') {
            let rest = self.line.split_off(last + 1);
            let done = std::mem::replace(&mut self.line, rest);
            self.write_line(&done)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.write_pending()?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for Out<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// A message on standard error, made terminal-safe (it may quote a path or a name). Standard
/// error closed early (`2>&1 | head`) loses the message, never panics.
pub fn say(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{}", for_terminal(msg, true));
}

/// A question on standard error, without the newline.
pub fn ask(msg: &str) {
    let mut e = std::io::stderr();
    let _ = write!(e, "{}", for_terminal(msg, true));
    let _ = e.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "a\u{1b}]52;c;QUFB\u{7}b\u{9b}2J\u{1b}[31mc\u{202e}d\u{2066}e\r";

    fn unsafe_chars(b: &[u8]) -> Vec<char> {
        String::from_utf8_lossy(b)
            .chars()
            .filter(|c| !matches!(c, '\n' | '\t') && fieldnotes::text::is_unsafe_for_terminal(*c))
            .collect()
    }

    #[test]
    fn human_text_is_made_safe_on_a_terminal_and_in_a_pipe() {
        for tty in [true, false] {
            let mut buf = Vec::new();
            {
                let mut out = Out::new(&mut buf, tty);
                write!(out, "Title: {HOSTILE}").unwrap();
                writeln!(out, " more\tcolumns").unwrap();
                write!(out, "tail {HOSTILE}").unwrap();
                out.finish().unwrap();
            }
            assert!(unsafe_chars(&buf).is_empty(), "tty {tty}: {buf:?}");
            let text = String::from_utf8(buf).unwrap();
            assert!(text.contains("\\u{1b}]52;c;QUFB\\u{7}"), "{text}");
            assert!(text.contains("\\u{202e}"), "{text}");
            assert!(text.contains(" more\tcolumns\ntail "), "{text}");
        }
    }

    #[test]
    fn data_passes_unchanged_into_a_pipe_and_is_made_safe_on_a_terminal() {
        let mut piped = Vec::new();
        {
            let mut out = Out::new(&mut piped, false);
            writeln!(out.data().unwrap(), "{HOSTILE}").unwrap();
            out.finish().unwrap();
        }
        assert_eq!(piped, format!("{HOSTILE}\n").as_bytes());

        let mut shown = Vec::new();
        {
            let mut out = Out::new(&mut shown, true);
            writeln!(out.data().unwrap(), "{HOSTILE}").unwrap();
            out.finish().unwrap();
        }
        assert!(unsafe_chars(&shown).is_empty(), "{shown:?}");
    }

    #[test]
    fn a_character_split_across_writes_survives() {
        let mut buf = Vec::new();
        {
            let mut out = Out::new(&mut buf, true);
            let bytes = "Zoë 김\n".as_bytes();
            for b in bytes {
                out.write_all(std::slice::from_ref(b)).unwrap();
            }
            out.finish().unwrap();
        }
        assert_eq!(String::from_utf8(buf).unwrap(), "Zoë 김\n");
    }
}
