//! The researcher's memos as QDA-XML notes: one `Note` each under `<Notes>`, referred to
//! (`NoteRef`) by the code, source or note selection it is about.

use std::fmt::Write as _;

use super::{Qde, x};
use crate::export::{MemoAbout, MemoOut};

/// A memo's note GUID, stable over re-exports: from the memo's id in the vault, or the
/// theme's name for a theme's memo.
pub(super) fn guid_of(project: &str, m: &MemoOut) -> String {
    match (&m.about, m.id) {
        (MemoAbout::Theme { theme }, _) => super::guid(project, "theme memo", theme),
        (_, Some(id)) => super::guid(project, "memo", &id.to_string()),
        (_, None) => super::guid(project, "memo", &m.text),
    }
}

impl Qde<'_> {
    /// A memo's name as a QDA tool lists it.
    fn memo_name(&self, m: &MemoOut) -> String {
        match &m.about {
            MemoAbout::Theme { theme } => format!("Memo on theme {theme}"),
            MemoAbout::Session { session_id } => {
                let title = self
                    .s
                    .sessions
                    .iter()
                    .find(|s| s.id == *session_id)
                    .map_or("", |s| s.title.as_str());
                format!("Memo on session {title}")
            }
            MemoAbout::Note { note_id, .. } => {
                let who = self
                    .s
                    .excerpts
                    .iter()
                    .find(|e| e.note_id == *note_id)
                    .and_then(|e| e.speaker.as_deref())
                    .map(|sp| format!(" ({sp})"))
                    .unwrap_or_default();
                format!("Memo on note {note_id}{who}")
            }
        }
    }

    /// `NoteRef`s to every memo `about` accepts, each on its own line after `pad`.
    pub(super) fn note_refs(
        &self,
        xml: &mut String,
        pad: &str,
        about: impl Fn(&MemoAbout) -> bool,
    ) {
        for (m, g) in self.s.memos.iter().zip(&self.memo_guid) {
            if about(&m.about) {
                let _ = writeln!(xml, "{pad}<NoteRef targetGUID=\"{g}\"/>");
            }
        }
    }

    /// `<Notes>`: every memo's text, in the project file.
    pub(super) fn notes(&self, xml: &mut String) {
        if self.s.memos.is_empty() {
            return;
        }
        let (user, when) = (&self.user, &self.when);
        xml.push_str("  <Notes>\n");
        for (m, g) in self.s.memos.iter().zip(&self.memo_guid) {
            let _ = write!(
                xml,
                "    <Note guid=\"{g}\" name=\"{}\" creatingUser=\"{user}\" \
                 creationDateTime=\"{when}\">\n      <PlainTextContent>{}</PlainTextContent>\n    </Note>\n",
                x(&self.memo_name(m)),
                x(&m.text)
            );
        }
        xml.push_str("  </Notes>\n");
    }
}
