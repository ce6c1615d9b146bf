//! The disclosures log: each time the team passes data to another team or organisation
//! (names and visit times sent to the CRM team to find records, say), what was shared, with
//! whom, on what lawful basis and how. Every change is audited by id only.

use super::{Result, audited};
use crate::audit::Action;
use crate::model::Disclosure;
use crate::store::NewDisclosure;
use crate::vault::Vault;

/// The fields with the date checked (`YYYY-MM-DD`, on the calendar).
fn checked(d: NewDisclosure) -> Result<NewDisclosure> {
    // an empty date is refused by the store, naming --on
    let shared_on = if d.shared_on.trim().is_empty() {
        String::new()
    } else {
        crate::model::parse_date(&d.shared_on)?
    };
    if shared_on > super::Clock::today(&super::SystemClock::local()) {
        return Err(super::AppError::Invalid(
            "a disclosure records data already passed on: its date (--on) cannot be after today; nothing was saved",
        ));
    }
    Ok(NewDisclosure { shared_on, ..d })
}

/// Records a disclosure in a project's log; returns its id.
pub fn add(v: &Vault, project: Option<&str>, d: NewDisclosure) -> Result<i64> {
    let project = super::projects::resolve(v, project)?;
    let d = checked(d)?;
    audited(v, Action::DisclosureAdd, || {
        let id = v.store().disclosure_add(&project.name, d)?;
        Ok((id, format!("disclosure {id} (project {})", project.id)))
    })
}

/// A project's disclosures, oldest first.
pub fn list(v: &Vault, project: Option<&str>) -> Result<Vec<Disclosure>> {
    let project = super::projects::resolve(v, project)?;
    Ok(v.store().disclosures(&project.name)?)
}

/// One disclosure of a project.
pub fn get(v: &Vault, project: Option<&str>, id: i64) -> Result<Disclosure> {
    let project = super::projects::resolve(v, project)?;
    Ok(v.store().disclosure(&project.name, id)?)
}

/// Corrects a disclosure of a project.
pub fn update(v: &Vault, project: Option<&str>, id: i64, d: NewDisclosure) -> Result<()> {
    let project = super::projects::resolve(v, project)?;
    let d = checked(d)?;
    audited(v, Action::DisclosureEdit, || {
        v.store().disclosure_update(&project.name, id, d)?;
        Ok(((), format!("disclosure {id} (project {})", project.id)))
    })
}

/// Deletes a disclosure recorded by mistake (the audit trail keeps that it was recorded).
pub fn delete(v: &Vault, project: Option<&str>, id: i64) -> Result<()> {
    let project = super::projects::resolve(v, project)?;
    audited(v, Action::DisclosureDelete, || {
        v.store().disclosure_delete(&project.name, id)?;
        Ok(((), format!("disclosure {id} (project {})", project.id)))
    })
}
