//! What an export covers: a project, some or all of its sessions, perhaps one theme's family.

use std::collections::HashSet;

use super::ExportError;
use crate::model::{Session, Theme};
use crate::store::Store;

/// What to export.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Project name.
    pub project: String,
    /// Only these sessions (empty: all of the project's).
    pub sessions: Vec<i64>,
    /// Only notes tagged with this theme or one of its descendants.
    pub theme: Option<String>,
    /// Keep exact ages rather than generalise them to bands (the default generalises).
    pub exact_ages: bool,
}

impl Scope {
    /// The scope in words, for the audit trail and the report.
    pub fn describe(&self) -> String {
        let mut s = format!("project {}", self.project);
        if self.sessions.is_empty() {
            s.push_str(", all sessions");
        } else {
            let ids: Vec<String> = self.sessions.iter().map(i64::to_string).collect();
            s.push_str(&format!(", sessions {}", ids.join(",")));
        }
        if let Some(t) = &self.theme {
            s.push_str(&format!(", theme {t}"));
        }
        s
    }

    /// The themes whose notes are in scope (the named theme and its descendants), or `None`
    /// when every note is.
    pub(super) fn themes(
        &self,
        themes: &[Theme],
        project: &str,
    ) -> Result<Option<HashSet<String>>, ExportError> {
        let Some(t) = &self.theme else {
            return Ok(None);
        };
        theme_family(themes, t).map(Some).ok_or_else(|| {
            ExportError::Scope(format!(
                "no theme named '{}' in project {project}: see `fieldnotes theme list`",
                crate::text::for_terminal(t, false),
            ))
        })
    }

    /// The sessions in scope, oldest first; undated sessions after dated ones, in the order
    /// they were added.
    pub(super) fn sessions(
        &self,
        store: &Store,
        project: &str,
    ) -> Result<Vec<Session>, ExportError> {
        let mut sessions: Vec<Session> = store.sessions(Some(project))?;
        if !self.sessions.is_empty() {
            for id in &self.sessions {
                if !sessions.iter().any(|s| s.id == *id) {
                    return Err(ExportError::Scope(format!(
                        "session {id} is not in project {project}: see `fieldnotes session list --project {project}`",
                    )));
                }
            }
            sessions.retain(|s| self.sessions.contains(&s.id));
        }
        sessions.sort_by(|a, b| {
            (a.date.is_none(), &a.date, a.id).cmp(&(b.date.is_none(), &b.date, b.id))
        });
        Ok(sessions)
    }
}

/// Themes in scope: the named theme and its descendants.
fn theme_family(themes: &[Theme], root: &str) -> Option<HashSet<String>> {
    let root = themes
        .iter()
        .find(|t| t.name.eq_ignore_ascii_case(root.trim()))?;
    let mut family: HashSet<String> = HashSet::from([root.name.clone()]);
    loop {
        let before = family.len();
        for t in themes {
            if t.parent.as_ref().is_some_and(|p| family.contains(p)) {
                family.insert(t.name.clone());
            }
        }
        if family.len() == before {
            return Some(family);
        }
    }
}
