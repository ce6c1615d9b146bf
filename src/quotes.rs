//! Quote-level consent, the one rule every output applies: may a note's words be shown
//! word for word?
//!
//! Only verbatim notes (`NoteKind::Verbatim`) spoken by a participant are affected. A
//! participant who said `no` is never quoted: outputs show a marker instead of the words.
//! One who asked for `approval` is quoted only where an approval of the note's exact current
//! text is recorded (an edit after the approval makes the quote pending again). `yes` quotes
//! as before, and so does a participant whose quote consent was never recorded (vaults from
//! before the question was asked: their consent covered quoting) — but outputs count and
//! name them so the researcher can record it. Facilitators' notes, notes without a speaker and
//! paraphrases, observations and ideas are the researcher's words and are never withheld.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::model::{Note, NoteKind, QuoteConsent};
use crate::store::{QuoteApproval, Result, Store};

/// Why a verbatim note's words are not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Withheld {
    /// The speaker did not agree to be quoted word for word.
    Refused,
    /// The speaker asked to approve quotes first, and this text is not (or no longer) approved.
    AwaitingApproval,
}

impl Withheld {
    /// The marker an output shows in place of the words of `speaker`'s verbatim note.
    pub fn marker(self, speaker: &str) -> String {
        match self {
            Withheld::Refused => format!(
                "[verbatim quote withheld — {speaker} did not agree to be quoted word for word]"
            ),
            Withheld::AwaitingApproval => {
                format!(
                    "[verbatim quote withheld — awaiting {speaker}'s approval of the exact words]"
                )
            }
        }
    }

    /// Why, in a few words: `did not agree to be quoted`, `awaiting approval`.
    pub fn reason(self) -> &'static str {
        match self {
            Withheld::Refused => "did not agree to be quoted word for word",
            Withheld::AwaitingApproval => "awaiting approval of the exact words",
        }
    }
}

/// SHA-256 of a note's text, as an approval records it.
pub fn text_hash(text: &str) -> Vec<u8> {
    Sha256::digest(text.as_bytes()).to_vec()
}

/// What the rule says of one note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Not a participant's verbatim note, or one they agreed to: shown as written.
    Quotable,
    /// A participant's verbatim note shown because their quote consent is not recorded.
    Unrecorded,
    /// Withheld, and why.
    Withheld(Withheld),
}

/// The rule for one project: each participant's quote consent and the approvals recorded.
#[derive(Debug, Clone, Default)]
pub struct QuoteRule {
    /// Pseudonym → quote consent (`None`: not recorded).
    consent: HashMap<String, Option<QuoteConsent>>,
    approvals: HashMap<i64, QuoteApproval>,
}

impl QuoteRule {
    /// Loads the rule of `project`.
    pub fn load(store: &Store, project: &str) -> Result<Self> {
        let consent = store
            .participants_of_project(project)?
            .into_iter()
            .map(|p| (p.pseudonym, p.quote_consent))
            .collect();
        Ok(QuoteRule {
            consent,
            approvals: store.quote_approvals(project)?,
        })
    }

    /// A rule from its parts (tests, and callers that already hold them).
    pub fn new(
        consent: HashMap<String, Option<QuoteConsent>>,
        approvals: HashMap<i64, QuoteApproval>,
    ) -> Self {
        QuoteRule { consent, approvals }
    }

    /// What the rule says of a note.
    pub fn verdict(&self, note: &Note) -> Verdict {
        self.verdict_of(note.id, note.kind, note.speaker.as_deref(), &note.text)
    }

    /// What the rule says of a note given by its parts.
    pub fn verdict_of(
        &self,
        id: i64,
        kind: NoteKind,
        speaker: Option<&str>,
        text: &str,
    ) -> Verdict {
        if kind != NoteKind::Verbatim {
            return Verdict::Quotable;
        }
        // facilitators (`F1`) and notes without a speaker are not participants
        let Some(consent) = speaker.and_then(|s| self.consent.get(s)) else {
            return Verdict::Quotable;
        };
        match consent {
            None => Verdict::Unrecorded,
            Some(QuoteConsent::Yes) => Verdict::Quotable,
            Some(QuoteConsent::No) => Verdict::Withheld(Withheld::Refused),
            Some(QuoteConsent::Approval) => match self.approvals.get(&id) {
                Some(a) if a.text_hash == text_hash(text) => Verdict::Quotable,
                _ => Verdict::Withheld(Withheld::AwaitingApproval),
            },
        }
    }

    /// Why a note is withheld, if it is.
    pub fn withheld(&self, note: &Note) -> Option<Withheld> {
        match self.verdict(note) {
            Verdict::Withheld(w) => Some(w),
            _ => None,
        }
    }

    /// The approval recorded on a note, if any (valid or not).
    pub fn approval(&self, note_id: i64) -> Option<&QuoteApproval> {
        self.approvals.get(&note_id)
    }
}

/// What an output did under the rule, by participant: the notes withheld and why, and the
/// verbatim notes quoted although their speaker's quote consent is not recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QuoteTally {
    /// Pseudonym → notes withheld because they did not agree to be quoted.
    pub refused: BTreeMap<String, usize>,
    /// Pseudonym → notes withheld while awaiting their approval.
    pub awaiting_approval: BTreeMap<String, usize>,
    /// Pseudonym → verbatim notes quoted without a recorded quote consent.
    pub not_recorded: BTreeMap<String, usize>,
}

impl QuoteTally {
    /// Counts one note's verdict (spoken by `speaker`).
    pub fn count(&mut self, speaker: Option<&str>, verdict: Verdict) {
        let Some(code) = speaker else { return };
        let list = match verdict {
            Verdict::Quotable => return,
            Verdict::Unrecorded => &mut self.not_recorded,
            Verdict::Withheld(Withheld::Refused) => &mut self.refused,
            Verdict::Withheld(Withheld::AwaitingApproval) => &mut self.awaiting_approval,
        };
        *list.entry(code.to_owned()).or_default() += 1;
    }

    /// How many notes were withheld in all.
    pub fn withheld(&self) -> usize {
        self.refused.values().sum::<usize>() + self.awaiting_approval.values().sum::<usize>()
    }

    /// Whether there is nothing to say.
    pub fn is_empty(&self) -> bool {
        self.refused.is_empty() && self.awaiting_approval.is_empty() && self.not_recorded.is_empty()
    }

    /// The tally in sentences, for an output's summary: what was withheld and why, by
    /// participant, then whose consent is not recorded and how to record it.
    pub fn sentences(&self) -> Vec<String> {
        let mut out = Vec::new();
        let list = |m: &BTreeMap<String, usize>| {
            m.iter()
                .map(|(code, n)| format!("{code} ({n})"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let n = self.refused.values().sum::<usize>();
        if n > 0 {
            out.push(format!(
                "{} withheld because the speaker did not agree to be quoted word for word: {}.",
                crate::export::count(n, "verbatim quote was", "verbatim quotes were"),
                list(&self.refused)
            ));
        }
        let n = self.awaiting_approval.values().sum::<usize>();
        if n > 0 {
            out.push(format!(
                "{} withheld while awaiting the speaker's approval of the exact words: {}.",
                crate::export::count(n, "verbatim quote was", "verbatim quotes were"),
                list(&self.awaiting_approval)
            ));
        }
        let n = self.not_recorded.values().sum::<usize>();
        if n > 0 {
            let codes: Vec<&str> = self.not_recorded.keys().map(String::as_str).collect();
            out.push(format!(
                "Quote consent not recorded for {}: their {} quoted. Record it with \
                 `fieldnotes participant edit CODE --quote yes|no|approval`.",
                codes.join(", "),
                crate::export::count(n, "verbatim note is", "verbatim notes are")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests;
