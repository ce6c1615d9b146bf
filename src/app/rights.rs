//! Data subject rights: erasure, withdrawal and restriction.

use super::{Result, audited};
use crate::audit::Action;
use crate::model::Participant;
use crate::store::ErasureReport;
use crate::text::for_terminal;
use crate::vault::Vault;

/// The name of a project given by name, or the only one.
pub fn project_name(v: &Vault, project: Option<&str>) -> Result<String> {
    Ok(v.store().resolve_project(project)?.name)
}

/// A project's name after an erasure: a name that held the erased person's name now holds
/// their pseudonym, and the audit trail must get the new one.
fn name_after_erasure(v: &Vault, id: i64, before: String) -> Result<String> {
    Ok(v.store()
        .projects()?
        .into_iter()
        .find(|p| p.id == id)
        .map_or(before, |p| p.name))
}

/// What to erase for good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Erasure {
    /// A session and its notes.
    Session(i64),
    /// One note.
    Note(i64),
    /// A person's real name (every mention becomes the pseudonym), in a project or the only one.
    Person {
        /// The project, or the only one.
        project: Option<String>,
        /// The person's code.
        code: String,
    },
}

/// Erases a session, a note or a person's real name for good (an erasure asked for, not one
/// the retention schedule makes).
pub fn erase(v: &Vault, what: &Erasure) -> Result<ErasureReport> {
    let s = v.store();
    audited(v, Action::Erase, || {
        let (report, detail) = match what {
            Erasure::Session(id) => {
                // the session's project is read first: it is gone afterwards
                let detail = format!("project {}: session {id}", s.session(*id)?.project);
                (s.erase_session(*id, "mistake")?, detail)
            }
            Erasure::Note(id) => {
                let note = s.note(*id)?;
                let detail = format!("project {}: note {id}", s.session(note.session_id)?.project);
                (s.erase_note(*id, "mistake")?, detail)
            }
            Erasure::Person { project, code } => {
                let project = s.resolve_project(project.as_deref())?;
                let report = s.erase_person(&project.name, code)?;
                let name = name_after_erasure(v, project.id, project.name)?;
                let detail = format!(
                    "project {name}: person {}",
                    for_terminal(code.trim(), false)
                );
                (report, detail)
            }
        };
        let detail = format!("{detail}; {}", report.describe());
        Ok((report, detail))
    })
}

/// A participant of a project (or the only one), with the project's name: what a withdrawal
/// asks about before it is made.
pub fn participant(v: &Vault, project: Option<&str>, code: &str) -> Result<(String, Participant)> {
    let project = project_name(v, project)?;
    let p = v.store().participant(&project, code)?;
    Ok((project, p))
}

/// What a withdrawal did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    /// The participant's pseudonym, which the tombstone keeps.
    pub pseudonym: String,
    /// What was erased or anonymised.
    pub report: ErasureReport,
}

/// Withdraws a participant: their real name goes and every mention becomes their pseudonym;
/// the notes they spoke are deleted (`erase`) or kept anonymised.
pub fn withdraw(v: &Vault, project: Option<&str>, code: &str, erase: bool) -> Result<Withdrawal> {
    let (project, p) = participant(v, project, code)?;
    audited(v, Action::Withdraw, || {
        let report = v.store().withdraw(&project, code, erase)?;
        let project = name_after_erasure(v, p.project_id, project)?;
        let detail = format!(
            "project {project}: {} withdrew ({}); {}",
            p.pseudonym,
            if erase { "erase" } else { "keep-anonymised" },
            report.describe()
        );
        Ok((
            Withdrawal {
                pseudonym: p.pseudonym,
                report,
            },
            detail,
        ))
    })
}

/// Restricts a participant's data (`on`) or lifts the restriction; says whether anything
/// changed. Only a change is audited.
pub fn restrict(v: &Vault, project: Option<&str>, code: &str, on: bool) -> Result<bool> {
    let project = project_name(v, project)?;
    let changed = v.store().set_restricted(&project, code, on)?;
    if changed {
        let action = if on {
            Action::Restrict
        } else {
            Action::Unrestrict
        };
        let detail = format!("project {project}: {}", for_terminal(code.trim(), false));
        super::record(v, action, &detail)?;
    }
    Ok(changed)
}
