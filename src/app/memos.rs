//! Memos: what the researcher thinks about a note or a session, kept apart from the notes.

use super::{AppError, Result};
use crate::store::Memo;
use crate::vault::Vault;

/// Writes a memo on a note of a session, or on the session itself; returns its id.
pub fn add(v: &Vault, session_id: i64, note_id: Option<i64>, text: &str) -> Result<i64> {
    let text = crate::text::clean_note_text(text);
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::Invalid(
            "a memo needs some text: nothing was saved",
        ));
    }
    if text.len() > crate::text::MAX_NOTE_BYTES {
        return Err(AppError::NoteTooLarge);
    }
    Ok(v.store().memo_add(session_id, note_id, text)?)
}

/// A session's memos: the session's own first, then each note's.
pub fn of_session(v: &Vault, session_id: i64) -> Result<Vec<Memo>> {
    Ok(v.store().memos_of_session(session_id)?)
}

#[cfg(test)]
mod tests {
    use super::super::{notes, people, projects, rights, sessions};
    use crate::model::{PaperOrigin, SessionKind, Source};
    use crate::store::{NewParticipant, NewProject, NewSession};
    use crate::vault::Vault;

    fn interview() -> (tempfile::TempDir, Vault, i64, i64) {
        let (tmp, v) = crate::app::tests::vault();
        let clock = crate::app::tests::clock();
        projects::add(
            &v,
            NewProject {
                name: "F2F".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let session = NewSession {
            project: "F2F".into(),
            kind: SessionKind::Interview,
            title: "Front desk".into(),
            date: None,
            location: None,
            source: Source::Live,
            paper: PaperOrigin::default(),
            facilitators: Vec::new(),
        };
        let sid = sessions::add(&v, &clock, session).unwrap();
        let code = people::participant_add(
            &v,
            sid,
            NewParticipant {
                real_name: "Aisha Khan".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let note = notes::add(
            &v,
            &clock,
            notes::NoteInput {
                session_id: sid,
                text: "Waited an hour".into(),
                speaker: Some(code),
                ..Default::default()
            },
        )
        .unwrap();
        (tmp, v, sid, note)
    }

    #[test]
    fn memos_belong_to_a_note_or_the_session_and_go_with_them() {
        let (_t, v, sid, note) = interview();
        assert!(super::add(&v, sid, Some(note), "  ").is_err(), "empty");
        assert!(super::add(&v, sid + 1, Some(note), "elsewhere").is_err());
        super::add(&v, sid, None, "Room was noisy throughout").unwrap();
        super::add(&v, sid, Some(note), "Ask about the hour").unwrap();
        let m = super::of_session(&v, sid).unwrap();
        let got: Vec<(Option<i64>, &str)> =
            m.iter().map(|m| (m.note_id, m.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (None, "Room was noisy throughout"),
                (Some(note), "Ask about the hour")
            ]
        );
        rights::erase(&v, &rights::Erasure::Note(note)).unwrap();
        assert_eq!(
            super::of_session(&v, sid).unwrap().len(),
            1,
            "note's memo erased"
        );
        rights::erase(&v, &rights::Erasure::Session(sid)).unwrap();
        assert!(v.store().memos_of_session(sid).unwrap().is_empty());
    }

    #[test]
    fn a_withdrawal_reaches_the_memos() {
        let (_t, v, sid, note) = interview();
        super::add(&v, sid, Some(note), "Aisha Khan seemed tired").unwrap();
        super::add(&v, sid, None, "Khan asked for a copy").unwrap();
        rights::withdraw(&v, None, "P01", false).unwrap();
        for m in super::of_session(&v, sid).unwrap() {
            assert!(!m.text.contains("Khan"), "{}", m.text);
            assert!(m.text.contains("P01"), "{}", m.text);
        }
    }
}
