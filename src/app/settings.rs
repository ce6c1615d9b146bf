//! The researcher's own settings, kept in the vault (they can name a person, and config.toml
//! is plain text on disk).

use super::{AppError, Result};
use crate::vault::Vault;

const RESEARCHER: &str = "researcher";
const RESEARCHER_SKIPPED: &str = "researcher_skipped";

/// The researcher's name, who speaks as F1 in a new live interview, if set.
pub fn researcher(v: &Vault) -> Result<Option<String>> {
    Ok(v.store().setting(RESEARCHER)?)
}

/// Sets the researcher's name (blank clears it).
pub fn set_researcher(v: &Vault, name: &str) -> Result<()> {
    let name = crate::text::clean_note_text(name);
    let name = name.trim();
    if name.chars().any(|c| c == '\n') || name.len() > 200 {
        return Err(AppError::Invalid(
            "the researcher's name is one line of at most 200 characters: nothing was saved",
        ));
    }
    let value = Some(name).filter(|n| !n.is_empty());
    Ok(v.store().setting_set(RESEARCHER, value)?)
}

/// True once the app has asked for the researcher's name (answered or skipped), so it asks
/// only once.
pub fn researcher_asked(v: &Vault) -> Result<bool> {
    Ok(researcher(v)?.is_some() || v.store().setting(RESEARCHER_SKIPPED)?.is_some())
}

/// Records that the researcher chose not to give their name when asked.
pub fn skip_researcher(v: &Vault) -> Result<()> {
    Ok(v.store().setting_set(RESEARCHER_SKIPPED, Some("yes"))?)
}
