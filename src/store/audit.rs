//! The audit trail, as the store exposes it (the chain itself lives in [`crate::audit`]).

use super::{Result, Store};
use crate::audit;

impl Store {
    /// Appends a hash-chained audit event.
    pub fn audit(&self, actor: &str, action: &str, detail: &str) -> Result<()> {
        audit::append(&self.conn, actor, action, detail)
    }

    /// The next audit event, fixed but not yet written (see [`audit::PendingEvent`]).
    pub fn audit_pending(
        &self,
        actor: &str,
        action: &str,
        detail: &str,
    ) -> Result<audit::PendingEvent> {
        audit::pending(&self.conn, actor, action, detail)
    }

    /// Writes an event fixed by [`Store::audit_pending`].
    pub fn audit_commit(&self, event: &audit::PendingEvent) -> Result<()> {
        audit::commit(&self.conn, event)
    }

    /// Every audit event, oldest first.
    pub fn audit_events(&self) -> Result<Vec<audit::Event>> {
        audit::list(&self.conn)
    }

    /// Checks the audit chain; returns the number of events checked.
    pub fn audit_verify(&self) -> Result<usize> {
        audit::verify(&self.conn)
    }

    /// The audit trail's newest event, to be kept outside the vault as an anchor.
    pub fn audit_head(&self) -> Result<Option<audit::Anchor>> {
        audit::head(&self.conn)
    }

    /// Checks the trail still holds each anchored event unchanged.
    pub fn audit_verify_anchors(&self, anchors: &[(audit::Anchor, String)]) -> Result<()> {
        audit::verify_anchors(&self.conn, anchors)
    }
}
