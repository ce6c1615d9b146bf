//! The codebook: themes, their tree, memos, and merging or deleting them.

use super::{Result, audited};
use crate::audit::Action;
use crate::model::Theme;
use crate::vault::Vault;

/// A new theme's record.
#[derive(Debug, Clone, Default)]
pub struct NewTheme {
    /// Name (a leading `#` is dropped).
    pub name: String,
    /// Parent theme, or top level.
    pub parent: Option<String>,
    /// What the theme means.
    pub description: Option<String>,
    /// Colour.
    pub colour: Option<String>,
}

/// Adds a theme to a project's codebook; returns its id.
pub fn add(v: &Vault, project: &str, t: NewTheme) -> Result<i64> {
    Ok(v.store().theme_add(
        project,
        &t.name,
        t.parent.as_deref(),
        t.description,
        t.colour,
    )?)
}

/// Renames a theme.
pub fn rename(v: &Vault, project: &str, name: &str, new_name: &str) -> Result<()> {
    audited(v, Action::ThemeRename, || {
        v.store().theme_rename(project, name, new_name)?;
        Ok(((), format!("project {project}")))
    })
}

/// Moves a theme under a parent (`None`: to the top level).
pub fn move_to(v: &Vault, project: &str, name: &str, parent: Option<&str>) -> Result<()> {
    Ok(v.store().theme_move(project, name, parent)?)
}

/// Merges `from` into `into`; returns how many tags moved.
pub fn merge(v: &Vault, project: &str, from: &str, into: &str) -> Result<usize> {
    audited(v, Action::ThemeMerge, || {
        let n = v.store().theme_merge(project, from, into)?;
        Ok((n, format!("project {project}: {n} tags moved")))
    })
}

/// How many tags deleting a theme would remove (to ask first).
pub fn tag_count(v: &Vault, project: &str, name: &str) -> Result<usize> {
    Ok(v.store().theme_tag_count(project, name)?)
}

/// Deletes a theme and its tags (the notes stay); returns how many tags were removed.
pub fn delete(v: &Vault, project: &str, name: &str) -> Result<usize> {
    audited(v, Action::ThemeDelete, || {
        let n = v.store().theme_delete(project, name)?;
        Ok((n, format!("project {project}: {n} tags removed")))
    })
}

/// Sets a theme's memo (blank clears it).
pub fn set_memo(v: &Vault, project: &str, name: &str, memo: &str) -> Result<()> {
    Ok(v.store().theme_set(project, name, Some(memo), None, None)?)
}

/// Changes a theme's description and colour (each only when given).
pub fn edit(
    v: &Vault,
    project: &str,
    name: &str,
    description: Option<&str>,
    colour: Option<&str>,
) -> Result<()> {
    Ok(v.store()
        .theme_set(project, name, None, description, colour)?)
}

/// A theme's memo (empty when it has none).
pub fn memo(v: &Vault, project: &str, name: &str) -> Result<String> {
    let theme = v
        .store()
        .themes(project)?
        .into_iter()
        .find(|t| t.name.eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| {
            crate::store::StoreError::NotFound(format!(
                "no theme named '{}'",
                crate::text::for_terminal(name, false)
            ))
        })?;
    Ok(theme.memo.unwrap_or_default())
}

/// A project's codebook in tree order.
pub fn list(v: &Vault, project: &str) -> Result<Vec<Theme>> {
    Ok(v.store().themes(project)?)
}

/// The names of a project's themes in tree order (what completion offers).
pub fn names(v: &Vault, project: &str) -> Result<Vec<String>> {
    Ok(list(v, project)?.into_iter().map(|t| t.name).collect())
}
