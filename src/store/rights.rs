//! Data subject rights inside the store: restriction, withdrawal, erasure and its ledger,
//! retention. Erasure overwrites: `secure_delete` zeroes freed pages, FTS5's `secure-delete`
//! removes index entries, and [`Store::scrub`] checkpoints and truncates the WAL afterwards.
//!
//! The erasure ledger records what was erased (kind, row id, creation stamp, date) and never
//! the erased data, so `restore` can erase it again from an older backup.

mod erasure;
mod ledger;
mod restriction;
mod retention;
mod rewriter;
mod text_columns;

pub use ledger::LedgerEntry;
pub use restriction::Restriction;
pub(crate) use restriction::SPEAKER_NOT_RESTRICTED;
pub use retention::{RetentionItem, add_months};
pub use rewriter::{NameMatcher, NamedPerson, Rewriter};

use serde::Serialize;

use super::StoreError;

/// What an erasure did, in counts (the audit trail never holds erased content).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ErasureReport {
    /// Notes deleted.
    pub notes_erased: usize,
    /// Notes (and titles, drafts) whose mentions of the person were replaced.
    pub mentions_replaced: usize,
    /// Sessions deleted.
    pub sessions_erased: usize,
    /// Participants whose real name was deleted.
    pub names_erased: usize,
    /// Unsaved drafts (text typed as a withdrawn speaker, not yet a note) deleted.
    pub drafts_erased: usize,
}

impl ErasureReport {
    fn add(&mut self, o: ErasureReport) {
        self.notes_erased += o.notes_erased;
        self.mentions_replaced += o.mentions_replaced;
        self.sessions_erased += o.sessions_erased;
        self.names_erased += o.names_erased;
        self.drafts_erased += o.drafts_erased;
    }

    /// In words, for messages and the audit trail.
    pub fn describe(&self) -> String {
        let drafts = match self.drafts_erased {
            0 => String::new(),
            n => format!(", {n} unsaved drafts erased"),
        };
        format!(
            "{} notes erased, {} texts with mentions replaced, {} sessions erased, {} real names erased{drafts}",
            self.notes_erased, self.mentions_replaced, self.sessions_erased, self.names_erased
        )
    }
}

fn one_person(names: &dyn Rewriter, name: &str, code: &str) -> Box<dyn NameMatcher> {
    names.matcher(vec![NamedPerson {
        name: name.to_owned(),
        pseudonym: code.to_owned(),
    }])
}

fn no_one(code: &str, project: &str) -> StoreError {
    StoreError::NoPerson {
        code: code.to_owned(),
        project: project.to_owned(),
    }
}

#[cfg(test)]
mod tests;
