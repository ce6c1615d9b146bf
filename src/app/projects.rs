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
/// A name may be given in any case, or shortened to a start no other project shares.
pub fn resolve(v: &Vault, name: Option<&str>) -> Result<Project> {
    match name {
        Some(n) => get(v, &resolve_name(v, n)?),
        None => Ok(v.store().resolve_project(None)?),
    }
}

/// The name of the project a person means by `given`, as the vault spells it: the exact
/// name; else the one name equal to it in any case; else the one name that starts with it
/// (in any case). Several or none is an error that lists the candidates.
pub fn resolve_name(v: &Vault, given: &str) -> Result<String> {
    let names: Vec<String> = list(v)?.into_iter().map(|p| p.name).collect();
    match_project_name(&names, given)
}

/// [`resolve_name`] over a list of names.
pub fn match_project_name(names: &[String], given: &str) -> Result<String> {
    let given = given.trim();
    if let Some(exact) = names.iter().find(|n| *n == given) {
        return Ok(exact.clone());
    }
    let lower = given.to_lowercase();
    let same: Vec<&String> = names.iter().filter(|n| n.to_lowercase() == lower).collect();
    let starting: Vec<&String> = names
        .iter()
        .filter(|n| n.to_lowercase().starts_with(&lower))
        .collect();
    let found = if same.is_empty() { starting } else { same };
    match found.as_slice() {
        [one] if !given.is_empty() => Ok((*one).clone()),
        [] | [_] => Err(AppError::ProjectNotClear {
            given: given.to_owned(),
            candidates: names.to_vec(),
        }),
        several => Err(AppError::ProjectNotClear {
            given: given.to_owned(),
            candidates: several.iter().map(|n| (*n).clone()).collect(),
        }),
    }
}

/// How many candidate names an unclear project name lists before "and N more".
const CANDIDATES_SHOWN: usize = 12;

/// The message of [`AppError::ProjectNotClear`]; every name made safe for a terminal.
pub(crate) fn unclear_message(given: &str, candidates: &[String]) -> String {
    let shown = |names: &[String]| {
        let mut list: Vec<String> = names
            .iter()
            .take(CANDIDATES_SHOWN)
            .map(|n| format!("'{}'", crate::text::for_terminal(n, false)))
            .collect();
        if names.len() > CANDIDATES_SHOWN {
            list.push(format!("and {} more", names.len() - CANDIDATES_SHOWN));
        }
        list.join(", ")
    };
    let given_shown = crate::text::for_terminal(given, false);
    let lower = given.to_lowercase();
    let all_start = !candidates.is_empty()
        && candidates
            .iter()
            .all(|n| n.to_lowercase().starts_with(&lower));
    if candidates.is_empty() {
        format!(
            "there is no project named '{given_shown}': this vault has no project yet; create one with `fieldnotes project add NAME`"
        )
    } else if all_start && candidates.len() > 1 && !given.is_empty() {
        format!(
            "'{given_shown}' could be any of these projects: {}. Give more of the name",
            shown(candidates)
        )
    } else {
        format!(
            "there is no project named '{given_shown}'. The projects are: {}. Give one of these names (any case), or the start of one",
            shown(candidates)
        )
    }
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
