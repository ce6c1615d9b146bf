//! Restriction: a restricted person's data stays in the vault but is not processed, so it
//! leaves no export, analysis view or search result.

use std::collections::{HashMap, HashSet};

use rusqlite::params;

use super::{NameMatcher, NamedPerson, Rewriter, no_one, one_person};
use crate::model::{Note, SearchHit};
use crate::store::{Result, Store};

/// What a project's restrictions withhold: every note a restricted person spoke, and every
/// note that mentions one (any form of the name), since a note about them is their data too.
/// Export, analysis and search all withhold by this one rule.
pub struct Restriction {
    speakers: HashSet<String>,
    names: Option<Box<dyn NameMatcher>>,
    /// Record reviews whose one subject is restricted: every note of theirs is about them,
    /// whoever it is attributed to.
    sessions: HashSet<i64>,
}

impl std::fmt::Debug for Restriction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Restriction")
            .field("speakers", &self.speakers.len())
            .finish_non_exhaustive()
    }
}

impl Restriction {
    /// Whether a note spoken by `speaker` (a pseudonym or facilitator code) with this text
    /// is withheld.
    pub fn withholds(&self, speaker: Option<&str>, text: &str) -> bool {
        speaker.is_some_and(|c| self.speakers.contains(c))
            || self.names.as_ref().is_some_and(|n| n.mentions(text))
    }

    /// Whether a note of session `session_id` is withheld: as [`Restriction::withholds`],
    /// and every note of a record review whose one subject is restricted.
    pub fn withholds_in(&self, session_id: i64, speaker: Option<&str>, text: &str) -> bool {
        self.sessions.contains(&session_id) || self.withholds(speaker, text)
    }

    /// Whether nobody in the project is restricted.
    pub fn is_empty(&self) -> bool {
        self.speakers.is_empty()
    }

    /// A restricted person's name in `text` replaced by their pseudonym, for the places
    /// (session titles, theme names) that are shown rather than withheld.
    fn replace(&self, text: &str) -> Option<String> {
        self.names.as_ref().and_then(|n| n.replace(text))
    }
}

/// The part of the rule SQL can apply: leaves out the notes of a restricted participant
/// joined as `p`. Search applies it before its row limit so withheld notes take no place.
pub(crate) const SPEAKER_NOT_RESTRICTED: &str = "NOT ifnull(p.restricted, 0)";

impl Store {
    /// Restricts (or lifts the restriction on) a participant or a person mentioned: their
    /// data stays, but leaves no export, analysis view or search result. Returns whether
    /// anything changed.
    pub fn set_restricted(&self, project: &str, code: &str, restricted: bool) -> Result<bool> {
        let pid = self.project_id(project)?;
        if let Some(id) = self.participant_id(pid, code)? {
            let n = self.conn.execute(
                "UPDATE participant SET restricted = ?2 WHERE id = ?1 AND restricted != ?2",
                params![id, restricted],
            )?;
            return Ok(n > 0);
        }
        match self.person_row(pid, code)? {
            Some((id, _, _)) => Ok(self.conn.execute(
                "UPDATE person_mentioned SET restricted = ?2 WHERE id = ?1 AND restricted != ?2",
                params![id, restricted],
            )? > 0),
            None => Err(no_one(code, project)),
        }
    }

    /// What the restrictions of a project withhold (see [`Restriction`]).
    pub fn restriction(&self, project: &str, names: &dyn Rewriter) -> Result<Restriction> {
        let pid = self.project_id(project)?;
        self.restriction_of(pid, names)
    }

    fn restriction_of(&self, project_id: i64, names: &dyn Rewriter) -> Result<Restriction> {
        let mut st = self.conn.prepare(
            "SELECT real_name, pseudonym FROM participant WHERE project_id = ?1 AND restricted
             UNION ALL
             SELECT nullif(real_name, ''), pseudonym FROM person_mentioned
               WHERE project_id = ?1 AND restricted",
        )?;
        let rows: Vec<(Option<String>, String)> = st
            .query_map([project_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let speakers = rows.iter().map(|(_, code)| code.clone()).collect();
        let people: Vec<NamedPerson> = rows
            .into_iter()
            .filter_map(|(name, pseudonym)| name.map(|name| NamedPerson { name, pseudonym }))
            .collect();
        let sessions = self.sole_subject_sessions(project_id, "p.restricted")?;
        Ok(Restriction {
            speakers,
            names: (!people.is_empty()).then(|| names.matcher(people)),
            sessions: sessions.into_iter().collect(),
        })
    }

    /// The record reviews of a project with exactly one person in them, a subject for whom
    /// `condition` (SQL over the participant `p`) holds: all their notes are about that one
    /// person.
    pub(super) fn sole_subject_sessions(
        &self,
        project_id: i64,
        condition: &str,
    ) -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT s.id FROM session s
               JOIN session_participant sp ON sp.session_id = s.id
               JOIN participant p ON p.id = sp.participant_id
             WHERE s.project_id = ?1 AND s.kind = 'review'
             GROUP BY s.id
             HAVING count(*) = 1 AND max(p.subject) = 1 AND max({condition})"
        );
        let mut st = self.conn.prepare(&sql)?;
        let ids = st.query_map([project_id], |r| r.get(0))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    }

    /// Search results never quote a restricted person: what they said and what others said
    /// about them are withheld, as an export withholds them, rather than shown with the name
    /// replaced. A session title or theme that names them shows their pseudonym. Hits come
    /// with their project id.
    pub(crate) fn withhold_restricted(
        &self,
        hits: Vec<(i64, SearchHit)>,
        names: &dyn Rewriter,
    ) -> Result<Vec<SearchHit>> {
        let mut rules: HashMap<i64, Restriction> = HashMap::new();
        let mut out = Vec::with_capacity(hits.len());
        for (pid, mut h) in hits {
            if let std::collections::hash_map::Entry::Vacant(e) = rules.entry(pid) {
                e.insert(self.restriction_of(pid, names)?);
            }
            let Some(rule) = rules.get(&pid).filter(|r| !r.is_empty()) else {
                out.push(h);
                continue;
            };
            let n = &h.note;
            let named = |t: &str| rule.withholds(None, t);
            if rule.withholds_in(h.session_id, n.speaker.as_deref(), &n.text)
                || n.cluster.as_deref().is_some_and(named)
                || n.page.as_deref().is_some_and(named)
            {
                continue;
            }
            if let Some(t) = rule.replace(&h.session_title) {
                h.session_title = t;
            }
            for theme in &mut h.note.themes {
                if let Some(t) = rule.replace(theme) {
                    *theme = t;
                }
            }
            out.push(h);
        }
        Ok(out)
    }

    /// Notes of a project that mention a registered person (any form of the name the
    /// anonymiser knows: possessive, any case, title, one-letter variants).
    pub fn mentions(&self, project: &str, code: &str, names: &dyn Rewriter) -> Result<Vec<Note>> {
        let pid = self.project_id(project)?;
        let name = match self.participant_id(pid, code)? {
            Some(_) => self.participant(project, code)?.real_name,
            None => self
                .person_row(pid, code)?
                .map(|(_, n, _)| n)
                .filter(|n| !n.is_empty()),
        };
        let Some(name) = name else {
            return Ok(Vec::new());
        };
        let anon = one_person(names, &name, code);
        let mut out = Vec::new();
        for s in self.sessions(Some(project))? {
            out.extend(
                self.notes(s.id)?
                    .into_iter()
                    .filter(|n| anon.mentions(&n.text)),
            );
        }
        out.sort_by_key(|n| (n.session_id, n.position));
        Ok(out)
    }
}
