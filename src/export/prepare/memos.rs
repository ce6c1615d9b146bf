//! The researcher's memos that go with an export: each theme's memo, each session's memos
//! and the memos on the notes exported, anonymised and shown to the leak guard like every
//! other text.

use std::collections::HashSet;

use super::Builder;
use crate::export::{ExportError, MemoAbout, MemoOut};
use crate::model::Session;

impl Builder<'_> {
    /// The memos of what the export holds: the memo of each theme in scope, then session by
    /// session its own memos and those on its exported notes. A memo on a note left out is
    /// left out with it; a memo naming a person whose processing is restricted is withheld,
    /// as a note would be. Returns the memos and how many were withheld.
    pub(super) fn memos(
        &mut self,
        sessions: &[Session],
    ) -> Result<(Vec<MemoOut>, usize), ExportError> {
        let mut out = Vec::new();
        let mut withheld = 0;
        for t in &self.themes {
            let Some(memo) = t.memo.as_deref().filter(|m| !m.trim().is_empty()) else {
                continue;
            };
            if self.family.as_ref().is_some_and(|f| !f.contains(&t.name)) {
                continue;
            }
            if self.restriction.withholds(None, memo) {
                withheld += 1;
                continue;
            }
            let theme = self.codebook.shown(&t.name);
            out.push(MemoOut {
                id: None,
                text: self.red.text(&format!("memo on theme {theme}"), memo),
                about: MemoAbout::Theme { theme },
            });
        }
        let exported: HashSet<i64> = self.excerpts.iter().map(|e| e.note_id).collect();
        for s in sessions {
            for m in self.store.memos_of_session(s.id)? {
                if m.text.trim().is_empty() {
                    continue;
                }
                let (about, place) = match m.note_id {
                    None => (
                        MemoAbout::Session { session_id: s.id },
                        format!("memo on session {}", s.id),
                    ),
                    Some(note_id) if exported.contains(&note_id) => (
                        MemoAbout::Note {
                            session_id: s.id,
                            note_id,
                        },
                        format!("memo on note {note_id}"),
                    ),
                    Some(note_id) => {
                        // out of scope, or withheld: the memo goes with its note
                        if self.withholds(&self.store.note(note_id)?) {
                            withheld += 1;
                        }
                        continue;
                    }
                };
                if self.restriction.withholds(None, &m.text) {
                    withheld += 1;
                    continue;
                }
                out.push(MemoOut {
                    id: Some(m.id),
                    text: self.red.text(&place, &m.text),
                    about,
                });
            }
        }
        Ok((out, withheld))
    }
}
