//! A project's anonymiser allow and deny lists, and the names the anonymiser must find.

use rusqlite::params;

use super::{NamedPerson, Result, Store, StoreError};
use crate::text;

impl Store {
    /// Adds a phrase to a project's allow list (never removed) or deny list (always removed).
    pub fn list_add(&self, project: &str, deny: bool, phrase: &str) -> Result<()> {
        let pid = self.project_id(project)?;
        let phrase = text::clean_note_text(phrase).replace('\n', " ");
        let phrase = phrase.trim();
        if phrase.is_empty() {
            return Err(StoreError::EmptyPhrase);
        }
        self.conn.execute(
            "INSERT OR IGNORE INTO anonymiser_list (project_id, list, phrase) VALUES (?1, ?2, ?3)",
            params![pid, if deny { "deny" } else { "allow" }, phrase],
        )?;
        Ok(())
    }

    /// Removes a phrase from both lists; returns whether it was on one.
    pub fn list_remove(&self, project: &str, phrase: &str) -> Result<bool> {
        let pid = self.project_id(project)?;
        let n = self.conn.execute(
            "DELETE FROM anonymiser_list WHERE project_id = ?1 AND phrase = ?2",
            params![pid, phrase.trim()],
        )?;
        Ok(n > 0)
    }

    /// A project's (allow, deny) lists.
    pub fn lists(&self, project: &str) -> Result<(Vec<String>, Vec<String>)> {
        let pid = self.project_id(project)?;
        let mut st = self.conn.prepare(
            "SELECT list, phrase FROM anonymiser_list WHERE project_id = ?1 ORDER BY phrase",
        )?;
        let mut allow = Vec::new();
        let mut deny = Vec::new();
        for row in st.query_map([pid], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })? {
            let (list, phrase) = row?;
            if list == "deny" {
                deny.push(phrase)
            } else {
                allow.push(phrase)
            }
        }
        Ok((allow, deny))
    }

    /// Everyone in a project whose real name the anonymiser must find: each participant and
    /// person mentioned with a name still on record, with their pseudonym.
    pub fn named_people(&self, project: &str) -> Result<Vec<NamedPerson>> {
        let mut people: Vec<NamedPerson> = self
            .participants_of_project(project)?
            .into_iter()
            .filter_map(|p| {
                p.real_name.map(|name| NamedPerson {
                    name,
                    pseudonym: p.pseudonym,
                })
            })
            .collect();
        people.extend(
            self.people_mentioned(project)?
                .into_iter()
                .filter(|p| !p.real_name.is_empty())
                .map(|p| NamedPerson {
                    name: p.real_name,
                    pseudonym: p.pseudonym,
                }),
        );
        Ok(people)
    }
}
