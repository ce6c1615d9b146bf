//! Who is speaking: the interviewer (F1) from the first note, and the order Tab goes through.

use super::Editor;
use fieldnotes::model::{SessionKind, Source};

impl Editor {
    /// The speaker a note starts with: in a live interview the researcher asks the first
    /// question, so F1 when the session has a facilitator; in a record review about one
    /// person, that person.
    pub fn interviewer(&self) -> Option<usize> {
        // a record review about one person: what is read is about them
        if self.session.kind == SessionKind::Review {
            let codes = self.speakers();
            let subjects: Vec<usize> = (0..codes.len())
                .filter(|&i| !codes[i].starts_with('F'))
                .collect();
            return (subjects.len() == 1).then(|| subjects[0]);
        }
        let live_interview =
            self.session.kind == SessionKind::Interview && self.session.source == Source::Live;
        if !live_interview || self.session.facilitators.is_empty() {
            return None;
        }
        self.speakers().iter().position(|c| c == "F1")
    }
}

/// The speaker after (or before) the current one. Tab goes through the facilitators (F1
/// first, the one asking), then the participants, then "no speaker", in the order the
/// speaker line shows and `Alt+1…` number them.
pub fn cycle(e: &Editor, forward: bool) -> Option<usize> {
    let codes = e.speakers();
    let facilitators = (0..codes.len()).filter(|&i| codes[i].starts_with('F'));
    let participants = (0..codes.len()).filter(|&i| !codes[i].starts_with('F'));
    let mut ring: Vec<Option<usize>> = facilitators.chain(participants).map(Some).collect();
    if ring.is_empty() {
        return None;
    }
    ring.push(None);
    let here = ring
        .iter()
        .position(|x| *x == e.speaker)
        .unwrap_or(ring.len() - 1);
    let next = if forward {
        (here + 1) % ring.len()
    } else {
        (here + ring.len() - 1) % ring.len()
    };
    ring[next]
}
