//! Participants of sessions and third parties mentioned in notes, each under a pseudonym.

use rusqlite::{OptionalExtension, Row, params};

use super::error::no_participant;
use super::{Result, Store, StoreError, blank_to_none, now_rfc3339};
use crate::model::{Consent, Participant, PersonMentioned, QuoteConsent};

/// Fields of a new participant.
#[derive(Debug, Clone, Default)]
pub struct NewParticipant {
    /// Real name.
    pub real_name: String,
    /// Role or group.
    pub role: Option<String>,
    /// Consent status.
    pub consent: Option<Consent>,
    /// Consent date.
    pub consent_date: Option<String>,
    /// Consent form version.
    pub consent_form: Option<String>,
    /// A chosen pseudonym; the next `Pnn` when `None`.
    pub pseudonym: Option<String>,
    /// May they be quoted word for word.
    pub quote_consent: Option<QuoteConsent>,
    /// A record review's subject rather than someone interviewed.
    pub subject: bool,
}

fn participant_from_row(r: &Row<'_>) -> rusqlite::Result<Participant> {
    let consent: Option<String> = r.get(5)?;
    Ok(Participant {
        id: r.get(0)?,
        project_id: r.get(1)?,
        pseudonym: r.get(2)?,
        real_name: r.get(3)?,
        role: r.get(4)?,
        consent: consent.and_then(|c| c.parse().ok()),
        consent_date: r.get(6)?,
        consent_form: r.get(7)?,
        restricted: r.get(8)?,
        withdrawn_on: r.get(9)?,
        withdrawal: r.get(10)?,
        erased_on: r.get(11)?,
        quote_consent: r.get::<_, Option<String>>(12)?.and_then(|c| c.parse().ok()),
        subject: r.get(13)?,
    })
}

const PARTICIPANT_SELECT: &str = "SELECT p.id, p.project_id, p.pseudonym, p.real_name, p.role,
    p.consent, p.consent_date, p.consent_form, p.restricted, p.withdrawn_on, p.withdrawal,
    p.erased_on, p.quote_consent, p.subject FROM participant p";

impl Store {
    /// Adds a participant to a session (registering them in its project); returns the pseudonym.
    pub fn participant_add(&self, session_id: i64, p: NewParticipant) -> Result<String> {
        let session = self.session(session_id)?;
        let name = p.real_name.trim();
        if name.is_empty() {
            return Err(StoreError::Unnamed {
                thing: "participant",
                field: "name",
                flag: Some("--name"),
            });
        }
        let tx = self.conn.unchecked_transaction()?;
        let pseudonym = match blank_to_none(p.pseudonym) {
            Some(code) => {
                if self.participant_id(session.project_id, &code)?.is_some() {
                    return Err(StoreError::Duplicate(format!(
                        "pseudonym {code} is already used in project {}",
                        session.project
                    )));
                }
                code
            }
            None => self.next_pseudonym(session.project_id)?,
        };
        tx.execute(
            "INSERT INTO participant (project_id, pseudonym, real_name, role, consent,
               consent_date, consent_form, created_at, quote_consent, subject)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
            params![
                session.project_id,
                pseudonym,
                name,
                blank_to_none(p.role),
                p.consent.map(Consent::as_str),
                p.consent_date,
                blank_to_none(p.consent_form),
                now_rfc3339(),
                p.quote_consent.map(QuoteConsent::as_str),
                p.subject,
            ],
        )?;
        tx.execute(
            "INSERT INTO session_participant (session_id, participant_id) VALUES (?1, ?2)",
            params![session_id, tx.last_insert_rowid()],
        )?;
        tx.commit()?;
        Ok(pseudonym)
    }

    /// Removes a participant registered by mistake, with their name, if nothing refers to
    /// them yet: no note of theirs, no other session, no rights request. Returns false (and
    /// changes nothing) when something does.
    pub fn participant_remove_unused(&self, session_id: i64, pseudonym: &str) -> Result<bool> {
        let session = self.session(session_id)?;
        let pid = self
            .participant_id(session.project_id, pseudonym)?
            .ok_or_else(|| no_participant(pseudonym, &session.project))?;
        let tx = self.conn.unchecked_transaction()?;
        let used: i64 = tx.query_row(
            "SELECT (SELECT COUNT(*) FROM note WHERE speaker_participant_id = ?1)
                  + (SELECT COUNT(*) FROM session_participant
                       WHERE participant_id = ?1 AND session_id <> ?2)
                  + (SELECT COUNT(*) FROM participant WHERE id = ?1
                       AND (restricted <> 0 OR withdrawn_on IS NOT NULL OR erased_on IS NOT NULL))",
            params![pid, session_id],
            |r| r.get(0),
        )?;
        if used > 0 {
            return Ok(false);
        }
        tx.execute(
            "DELETE FROM session_participant WHERE participant_id = ?1",
            [pid],
        )?;
        tx.execute("DELETE FROM participant WHERE id = ?1", [pid])?;
        tx.commit()?;
        Ok(true)
    }

    /// Links two participants who are one person (interviewed twice, by two researchers):
    /// `from`'s notes and sessions become `into`'s, a restriction on either stays, and `from`
    /// goes. In a team project every vault does the same when it hears of it. Returns how
    /// many notes moved.
    pub fn participant_link(&self, project: &str, from: &str, into: &str) -> Result<usize> {
        let a = self.participant(project, from)?;
        let b = self.participant(project, into)?;
        if a.id == b.id {
            return Err(StoreError::Duplicate(format!(
                "{} is already {}: nothing to link",
                a.pseudonym, b.pseudonym
            )));
        }
        for p in [&a, &b] {
            if let Some(on) = &p.withdrawn_on {
                return Err(StoreError::AlreadyWithdrawn {
                    pseudonym: p.pseudonym.clone(),
                    on: on.clone(),
                });
            }
        }
        let tx = self.conn.unchecked_transaction()?;
        self.redirect_in_tx(a.id, "participant", b.id)?;
        let moved = self.participant_fold_in_tx(a.id, b.id)?;
        tx.commit()?;
        Ok(moved)
    }

    /// Folds participant `a` into `b` inside the caller's transaction.
    pub(crate) fn participant_fold_in_tx(&self, a: i64, b: i64) -> Result<usize> {
        let moved = self.conn.execute(
            "UPDATE note SET speaker_participant_id = ?2 WHERE speaker_participant_id = ?1",
            params![a, b],
        )?;
        self.conn.execute(
            "INSERT OR IGNORE INTO session_participant (session_id, participant_id)
             SELECT session_id, ?2 FROM session_participant WHERE participant_id = ?1",
            params![a, b],
        )?;
        self.conn.execute(
            "DELETE FROM session_participant WHERE participant_id = ?1",
            [a],
        )?;
        self.conn.execute(
            "UPDATE participant SET
               restricted = max(restricted, (SELECT restricted FROM participant WHERE id = ?1)),
               real_name = ifnull(real_name, (SELECT real_name FROM participant WHERE id = ?1))
             WHERE id = ?2",
            params![a, b],
        )?;
        // a subject of records who was also interviewed is a participant, with the consent
        // they gave when interviewed
        self.conn.execute(
            "UPDATE participant SET (subject, consent, consent_date, consent_form, quote_consent) =
               (SELECT 0, a.consent, a.consent_date, a.consent_form, a.quote_consent
                FROM participant a WHERE a.id = ?1)
             WHERE id = ?2 AND subject AND NOT (SELECT subject FROM participant WHERE id = ?1)",
            params![a, b],
        )?;
        // someone linked to `a` earlier now lives on as `b`
        self.conn.execute(
            "UPDATE team_redirect SET into_participant_id = ?2 WHERE into_participant_id = ?1",
            params![a, b],
        )?;
        self.conn
            .execute("DELETE FROM participant WHERE id = ?1", [a])?;
        Ok(moved)
    }

    /// Adds an already-registered participant (by pseudonym) to another session.
    pub fn participant_join(&self, session_id: i64, pseudonym: &str) -> Result<()> {
        let session = self.session(session_id)?;
        let pid = self
            .participant_id(session.project_id, pseudonym)?
            .ok_or_else(|| no_participant(pseudonym, &session.project))?;
        self.conn.execute(
            "INSERT OR IGNORE INTO session_participant (session_id, participant_id) VALUES (?1, ?2)",
            params![session_id, pid],
        )?;
        Ok(())
    }

    fn next_pseudonym(&self, project_id: i64) -> Result<String> {
        let mut st = self
            .conn
            .prepare("SELECT pseudonym FROM participant WHERE project_id = ?1")?;
        let used: Vec<String> = st
            .query_map([project_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // in a team project each vault numbers within its own prefix (P2-01 for the second
        // member), so two researchers never both make a P01 for different people
        let start = match &self.team_prefix(project_id)? {
            Some(p) => format!("P{p}-"),
            None => "P".to_owned(),
        };
        let max = used
            .iter()
            .filter_map(|c| c.strip_prefix(&start).and_then(|n| n.parse::<u32>().ok()))
            .max()
            .unwrap_or(0);
        Ok(format!("{start}{:02}", max + 1))
    }

    /// This vault's number in the project's team, which its new pseudonyms carry.
    fn team_prefix(&self, project_id: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT pseudonym_prefix FROM team WHERE project_id = ?1",
                [project_id],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    pub(super) fn participant_id(&self, project_id: i64, pseudonym: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM participant WHERE project_id = ?1 AND pseudonym = ?2 COLLATE NOCASE",
                params![project_id, pseudonym.trim()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Participants of one session.
    pub fn participants_of_session(&self, session_id: i64) -> Result<Vec<Participant>> {
        self.session(session_id)?;
        let sql = format!(
            "{PARTICIPANT_SELECT} JOIN session_participant sp ON sp.participant_id = p.id
             WHERE sp.session_id = ?1 ORDER BY p.pseudonym"
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map([session_id], participant_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Participants registered in a project.
    pub fn participants_of_project(&self, project: &str) -> Result<Vec<Participant>> {
        let pid = self.project_id(project)?;
        let sql = format!("{PARTICIPANT_SELECT} WHERE p.project_id = ?1 ORDER BY p.pseudonym");
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map([pid], participant_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ---- people mentioned ----

    /// Registers a third party named in notes; returns their pseudonym.
    pub fn person_add(
        &self,
        project: &str,
        real_name: &str,
        pseudonym: Option<String>,
    ) -> Result<String> {
        let pid = self.project_id(project)?;
        let name = real_name.trim();
        if name.is_empty() {
            return Err(StoreError::Unnamed {
                thing: "person",
                field: "name",
                flag: Some("--name"),
            });
        }
        let code = match blank_to_none(pseudonym) {
            Some(c) => c,
            None => {
                // in a team project, within this vault's own range (Person 2-A), as for
                // participants
                let start = match self.team_prefix(pid)? {
                    Some(p) => format!("Person {p}-"),
                    None => "Person ".to_owned(),
                };
                let n: i64 = self.conn.query_row(
                    "SELECT count(*) FROM person_mentioned WHERE project_id = ?1
                       AND substr(pseudonym, 1, length(?2)) = ?2
                       AND instr(substr(pseudonym, length(?2) + 1), '-') = 0",
                    params![pid, start],
                    |r| r.get(0),
                )?;
                format!("{start}{}", letters(n))
            }
        };
        self.conn
            .execute(
                "INSERT INTO person_mentioned (project_id, real_name, pseudonym) VALUES (?1,?2,?3)",
                params![pid, name, code],
            )
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::Duplicate(format!(
                    "pseudonym '{code}' is already used in project {project}"
                )),
                _ => e.into(),
            })?;
        Ok(code)
    }

    /// Third parties registered in a project.
    pub fn people_mentioned(&self, project: &str) -> Result<Vec<PersonMentioned>> {
        let pid = self.project_id(project)?;
        let mut st = self.conn.prepare(
            "SELECT id, project_id, real_name, pseudonym, restricted, erased_on
             FROM person_mentioned WHERE project_id = ?1 ORDER BY id",
        )?;
        let rows = st.query_map([pid], |r| {
            Ok(PersonMentioned {
                id: r.get(0)?,
                project_id: r.get(1)?,
                real_name: r.get(2)?,
                pseudonym: r.get(3)?,
                restricted: r.get(4)?,
                erased_on: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One participant of a project, by pseudonym.
    pub fn participant(&self, project: &str, code: &str) -> Result<Participant> {
        let pid = self.project_id(project)?;
        let id = self
            .participant_id(pid, code)?
            .ok_or_else(|| no_participant(code, project))?;
        self.participants_of_project(project)?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| no_participant(code, project))
    }

    /// A person mentioned, by pseudonym: (id, real name, project id).
    pub(super) fn person_row(
        &self,
        project_id: i64,
        code: &str,
    ) -> Result<Option<(i64, String, i64)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, real_name, project_id FROM person_mentioned
                 WHERE project_id = ?1 AND pseudonym = ?2 COLLATE NOCASE",
                params![project_id, code.trim()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?)
    }

    /// One participant, by row id.
    pub(super) fn participant_by_id(&self, id: i64) -> Result<Participant> {
        let sql = format!("{} WHERE p.id = ?1", PARTICIPANT_SELECT);
        Ok(self.conn.query_row(&sql, [id], participant_from_row)?)
    }
}

/// `A`, `B`, … `Z`, `AA`, `AB`… for the n-th (0-based) person.
fn letters(mut n: i64) -> String {
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'A' + (n % 26) as u8));
        n = n / 26 - 1;
        if n < 0 {
            break;
        }
    }
    out.iter().rev().collect()
}
