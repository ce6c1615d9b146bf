//! Facilitators as an export names them: one code per person across the project, where the
//! vault numbers them per session (`F1` is whoever a session lists first).

use std::collections::HashMap;

use crate::model::Session;

/// Project-wide facilitator codes: the same person (the same name, any case and spacing) is
/// the same `F1` in every session, numbered in order of first appearance over the project's
/// sessions, oldest first. Names stay here: only the codes leave.
#[derive(Debug, Default)]
pub(in crate::export) struct Facilitators {
    /// A session's own code (`(session, 2)` for its `F2`) → the project's code.
    of_slot: HashMap<(i64, usize), String>,
    /// A name as compared → its code.
    of_name: HashMap<String, String>,
    /// Each session's facilitators' codes, in the session's order.
    of_session: HashMap<i64, Vec<String>>,
}

/// A name as two spellings of one person compare: any case, runs of spaces as one.
fn key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Facilitators {
    /// Codes for the facilitators of `sessions`, which are all the project's sessions in
    /// export order (so an export of some sessions keeps the codes of an export of all).
    pub(in crate::export) fn new(sessions: &[Session]) -> Self {
        let mut f = Facilitators::default();
        for s in sessions {
            for (i, name) in s.facilitators.iter().enumerate() {
                let code = f.code_for(key(name));
                f.of_slot.insert((s.id, i + 1), code.clone());
                let listed = f.of_session.entry(s.id).or_default();
                if !listed.contains(&code) {
                    listed.push(code);
                }
            }
        }
        f
    }

    /// The code of a name as compared, a new one after the last when it is new.
    fn code_for(&mut self, key: String) -> String {
        let next = format!("F{}", self.of_name.len() + 1);
        self.of_name.entry(key).or_insert(next).clone()
    }

    /// The project's code for a session's facilitator code (`F2` of session 7 → `F1`), or
    /// `None` when `local` is no facilitator code. A code the session does not list (a note
    /// kept from before its facilitators changed) gets a code of its own, never another
    /// person's.
    pub(in crate::export) fn code(&mut self, session: i64, local: &str) -> Option<String> {
        let n: usize = local.strip_prefix('F')?.parse().ok()?;
        if let Some(c) = self.of_slot.get(&(session, n)) {
            return Some(c.clone());
        }
        // a key no typed name can have: names are trimmed, so none starts with a space
        let code = self.code_for(format!(" unlisted {session} {n}"));
        self.of_slot.insert((session, n), code.clone());
        Some(code)
    }

    /// A session's facilitators' codes, in the order the session lists them, each once.
    pub(in crate::export) fn of_session(&self, session: i64) -> &[String] {
        self.of_session.get(&session).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PaperOrigin, SessionKind, Source};

    fn session(id: i64, facilitators: &[&str]) -> Session {
        Session {
            id,
            project_id: 1,
            project: "F2F".into(),
            kind: SessionKind::Interview,
            title: format!("session {id}"),
            date: None,
            location: None,
            source: Source::Live,
            paper: PaperOrigin::default(),
            facilitators: facilitators.iter().map(|f| (*f).to_owned()).collect(),
            started_at_ms: None,
            review: None,
        }
    }

    #[test]
    fn one_person_has_one_code_in_every_session() {
        let mut f = Facilitators::new(&[
            session(3, &["Ruth Okafor", "Dan Lee"]),
            session(1, &["dan  LEE ", "Mo Ali"]),
            session(2, &[]),
        ]);
        assert_eq!(f.code(3, "F1").as_deref(), Some("F1"));
        assert_eq!(f.code(3, "F2").as_deref(), Some("F2"));
        assert_eq!(
            f.code(1, "F1").as_deref(),
            Some("F2"),
            "same name, other spelling"
        );
        assert_eq!(f.code(1, "F2").as_deref(), Some("F3"));
        assert_eq!(f.of_session(1), ["F2", "F3"]);
        assert!(f.of_session(2).is_empty());
        assert_eq!(f.code(1, "P01"), None);
        // a slot the session does not list is nobody else
        assert_eq!(f.code(2, "F1").as_deref(), Some("F4"));
        assert_eq!(f.code(2, "F1").as_deref(), Some("F4"));
    }
}
