//! Restriction: a restricted person's data stays in the vault but is not processed, so it
//! leaves no export, analysis view or search result.

use rusqlite::params;

use super::{no_one, one_person, replace_mentions};
use crate::anonymise::{Anonymiser, KnownPerson, Registry};
use crate::model::Note;
use crate::store::{Result, Store};

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

    /// Search results never quote a restricted person. Their own notes are left out by the
    /// search query; a note by someone else that mentions them (any form of the name) is
    /// withheld too, as an export withholds it, rather than shown with the name replaced: a
    /// restricted person's data is not processed, and a note about them is their data. A
    /// session title or theme that names them shows their pseudonym. Hits come with their
    /// project id.
    pub(crate) fn withhold_restricted(
        &self,
        hits: Vec<(i64, crate::model::SearchHit)>,
    ) -> Result<Vec<crate::model::SearchHit>> {
        let mut guards: std::collections::HashMap<i64, Option<Anonymiser>> =
            std::collections::HashMap::new();
        let mut out = Vec::with_capacity(hits.len());
        for (pid, mut h) in hits {
            if let std::collections::hash_map::Entry::Vacant(e) = guards.entry(pid) {
                e.insert(self.restricted_anonymiser(pid)?);
            }
            let Some(anon) = guards.get(&pid).and_then(Option::as_ref) else {
                out.push(h);
                continue;
            };
            let names = |t: &str| !anon.registered_names(t).is_empty();
            let n = &h.note;
            if names(&n.text)
                || n.cluster.as_deref().is_some_and(names)
                || n.page.as_deref().is_some_and(names)
            {
                continue;
            }
            if let Some(t) = replace_mentions(anon, &h.session_title) {
                h.session_title = t;
            }
            for theme in &mut h.note.themes {
                if let Some(t) = replace_mentions(anon, theme) {
                    *theme = t;
                }
            }
            out.push(h);
        }
        Ok(out)
    }

    /// Matches the names of a project's restricted participants and people mentioned.
    fn restricted_anonymiser(&self, project_id: i64) -> Result<Option<Anonymiser>> {
        let mut st = self.conn.prepare(
            "SELECT real_name, pseudonym FROM participant
               WHERE project_id = ?1 AND restricted AND real_name IS NOT NULL
             UNION ALL
             SELECT real_name, pseudonym FROM person_mentioned
               WHERE project_id = ?1 AND restricted AND real_name != ''",
        )?;
        let people: Vec<KnownPerson> = st
            .query_map([project_id], |r| {
                Ok(KnownPerson {
                    name: r.get(0)?,
                    pseudonym: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok((!people.is_empty()).then(|| {
            Anonymiser::new(&Registry {
                people,
                ..Registry::default()
            })
        }))
    }

    /// Notes of a project that mention a registered person (any form of the name the
    /// anonymiser knows: possessive, any case, title, one-letter variants).
    pub fn mentions(&self, project: &str, code: &str) -> Result<Vec<Note>> {
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
        let anon = one_person(&name, code);
        let mut out = Vec::new();
        for s in self.sessions(Some(project))? {
            out.extend(
                self.notes(s.id)?
                    .into_iter()
                    .filter(|n| !anon.registered_names(&n.text).is_empty()),
            );
        }
        out.sort_by_key(|n| (n.session_id, n.position));
        Ok(out)
    }
}
