//! Projects: their record (purpose, lawful basis, retention) and the anonymiser's lists.

use std::ops::RangeInclusive;

use super::{AppError, Result, audited, record};
use crate::anonymise::Registry;
use crate::audit::Action;
use crate::model::Project;
use crate::store::NewProject;
use crate::vault::Vault;

/// How long a project may keep its sessions, in months: at least one, at most a century
/// (a longer period is a typo, not a schedule).
pub const RETENTION_MONTHS: RangeInclusive<u32> = 1..=1200;

/// Refuses a retention period outside [`RETENTION_MONTHS`].
pub fn check_retention_months(months: Option<u32>) -> Result<()> {
    match months {
        Some(m) if !RETENTION_MONTHS.contains(&m) => Err(AppError::RetentionMonths(m)),
        _ => Ok(()),
    }
}

/// Creates a project; returns its id.
pub fn add(v: &Vault, p: NewProject) -> Result<i64> {
    check_retention_months(p.retention_months)?;
    audited(v, Action::ProjectAdd, || {
        let id = v.store().project_add(p)?;
        Ok((id, format!("project {id}")))
    })
}

/// Changes the record of the project now called `name`.
pub fn update(v: &Vault, name: &str, p: NewProject) -> Result<()> {
    check_retention_months(p.retention_months)?;
    audited(v, Action::ProjectEdit, || {
        v.store().project_update(name, p)?;
        Ok(((), "project record changed".to_owned()))
    })
}

/// Puts a phrase on a project's allow list (`deny` false: never redact it) or deny list
/// (always redact it).
pub fn list_add(v: &Vault, project: &str, deny: bool, phrase: &str) -> Result<()> {
    audited(v, Action::AnonymiserList, || {
        v.store().list_add(project, deny, phrase)?;
        let list = if deny { "deny" } else { "allow" };
        Ok(((), format!("phrase added to the {list} list")))
    })
}

/// Takes a phrase off whichever list holds it; false when neither does (nothing recorded).
pub fn list_remove(v: &Vault, project: &str, phrase: &str) -> Result<bool> {
    if !v.store().list_remove(project, phrase)? {
        return Ok(false);
    }
    audited(v, Action::AnonymiserList, || {
        Ok((true, "phrase removed from a list".to_owned()))
    })
}

/// Every project.
pub fn list(v: &Vault) -> Result<Vec<Project>> {
    Ok(v.store().projects()?)
}

/// The project called `name`.
pub fn get(v: &Vault, name: &str) -> Result<Project> {
    Ok(v.store().project(name)?)
}

/// The project named, or the only one when none is named (refused when there are several).
pub fn resolve(v: &Vault, name: Option<&str>) -> Result<Project> {
    Ok(v.store().resolve_project(name)?)
}

/// A project's allow list and deny list.
pub fn lists(v: &Vault, name: &str) -> Result<(Vec<String>, Vec<String>)> {
    Ok(v.store().lists(name)?)
}

/// What the anonymiser knows of a project (people and lists), to redact text from outside
/// the vault with; recorded, since it hands out every real name the project holds.
pub fn registry_for_redaction(v: &Vault, name: &str) -> Result<Registry> {
    let registry = crate::mentions::registry(v.store(), name)?;
    record(
        v,
        Action::Redact,
        "text anonymised with the project's registry",
    )?;
    Ok(registry)
}
