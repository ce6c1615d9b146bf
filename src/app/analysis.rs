//! Analysis: a project's notes loaded once into memory, from which every view is drawn.

use super::{Result, record};
use crate::analysis::Corpus;
use crate::audit::Action;
use crate::vault::Vault;

/// Loads a project's notes, tags and participants for analysis. Loading is not recorded:
/// [`viewed`] records what was shown from it.
pub fn corpus(v: &Vault, project: &str) -> Result<Corpus> {
    Ok(Corpus::load(v.store(), project)?)
}

/// Records that analysis views of a project (`what`: "excerpts", "frequencies"…) were
/// shown: they carry participants' words and roles.
pub fn viewed(v: &Vault, project: &str, what: &str) -> Result<()> {
    record(
        v,
        Action::Analysis,
        &format!("project {project}: {what} viewed"),
    )
}

/// The anonymiser an export of `project` uses (its participants, people mentioned, allow
/// and deny lists), for showing analysis excerpts as they would leave the vault.
pub fn anonymiser(v: &Vault, project: &str) -> Result<crate::anonymise::Anonymiser> {
    let mut registry = crate::mentions::registry(v.store(), project)?;
    registry.generalise_ages = true;
    Ok(crate::anonymise::Anonymiser::new(&registry))
}
