//! What the coverage of a topic guide reads: every version of a guide, and the sessions that
//! follow one of them.

use std::collections::HashMap;

use rusqlite::params;

use super::{Result, Store};
use crate::model::{GuideVersion, Session, SessionKind};

impl Store {
    /// Every version of a guide, oldest first, with its questions.
    pub fn guide_versions(&self, guide_id: i64) -> Result<Vec<GuideVersion>> {
        let mut st = self
            .conn
            .prepare("SELECT id FROM guide_version WHERE guide_id = ?1 ORDER BY number")?;
        let ids: Vec<i64> = st
            .query_map([guide_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter()
            .map(|id| self.guide_version_by_id(id))
            .collect()
    }

    /// Every version of every guide of a project, by guide name then version number.
    pub fn project_guide_versions(&self, project: &str) -> Result<Vec<GuideVersion>> {
        let mut out = Vec::new();
        for g in self.guide_list(project)? {
            out.extend(self.guide_versions(g.id)?);
        }
        Ok(out)
    }

    /// The sessions of a project that follow a version of this guide, each with the id of
    /// that version: the one a session was given, else the project's default for its kind
    /// (see [`Store::session_guide`]).
    pub fn guide_followers(&self, project: &str, guide_id: i64) -> Result<Vec<(Session, i64)>> {
        let pid = self.project_id(project)?;
        let mut st = self
            .conn
            .prepare("SELECT id, guide_version_id FROM session WHERE project_id = ?1")?;
        let chosen: HashMap<i64, Option<i64>> = st
            .query_map(params![pid], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut st = self
            .conn
            .prepare("SELECT id FROM guide_version WHERE guide_id = ?1")?;
        let versions: Vec<i64> = st
            .query_map([guide_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut defaults: HashMap<SessionKind, Option<i64>> = HashMap::new();
        let mut out = Vec::new();
        for s in self.sessions(Some(project))? {
            let version = match chosen.get(&s.id).copied().flatten() {
                Some(v) => Some(v),
                None => match defaults.get(&s.kind) {
                    Some(d) => *d,
                    None => {
                        let d = self.default_guide_version(pid, s.kind)?;
                        defaults.insert(s.kind, d);
                        d
                    }
                },
            };
            if let Some(v) = version.filter(|v| versions.contains(v)) {
                out.push((s, v));
            }
        }
        Ok(out)
    }
}
