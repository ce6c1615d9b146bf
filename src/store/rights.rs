//! Data subject rights inside the store: restriction, withdrawal, erasure and its ledger,
//! retention. Erasure overwrites: `secure_delete` zeroes freed pages, FTS5's `secure-delete`
//! removes index entries, and the WAL is checkpointed and truncated afterwards.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError, no_project};
use crate::model::Participant;

impl Store {
    /// One participant of a project, by pseudonym.
    pub fn participant(&self, project: &str, code: &str) -> Result<Participant> {
        let pid = self
            .project_id(project)
            .optional()?
            .ok_or_else(|| no_project(project))?;
        let id = self
            .participant_id(pid, code)?
            .ok_or_else(|| super::no_participant(code, project))?;
        self.participants_of_project(project)?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| super::no_participant(code, project))
    }

    /// Restricts (or lifts the restriction on) a participant or a person mentioned: their
    /// data stays, but leaves no export, analysis view or search result. Returns whether
    /// anything changed.
    pub fn set_restricted(&self, project: &str, code: &str, restricted: bool) -> Result<bool> {
        let pid = self
            .project_id(project)
            .optional()?
            .ok_or_else(|| no_project(project))?;
        if let Some(id) = self.participant_id(pid, code)? {
            let n = self.conn.execute(
                "UPDATE participant SET restricted = ?2 WHERE id = ?1 AND restricted != ?2",
                params![id, restricted],
            )?;
            return Ok(n > 0);
        }
        let n = self.conn.execute(
            "UPDATE person_mentioned SET restricted = ?3
             WHERE project_id = ?1 AND pseudonym = ?2 COLLATE NOCASE",
            params![pid, code.trim(), restricted],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(format!(
                "no participant or person mentioned '{}' in project {project}: see `fieldnotes participant list --project {project}`",
                crate::text::for_terminal(code, false)
            )));
        }
        Ok(true)
    }
}
