//! Data subject rights inside the store: restriction, withdrawal, erasure and its ledger,
//! retention. Erasure overwrites: `secure_delete` zeroes freed pages, FTS5's `secure-delete`
//! removes index entries, and [`Store::scrub`] checkpoints and truncates the WAL afterwards.
//!
//! The erasure ledger records what was erased (kind, row id, creation stamp, date) and never
//! the erased data, so `restore` can erase it again from an older backup.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Result, Store, StoreError, no_project, no_session, now_rfc3339};
use crate::anonymise::{Anonymiser, KnownPerson, Registry};
use crate::model::{Note, Participant, Source};

/// What an erasure did, in counts (the audit trail never holds erased content).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ErasureReport {
    /// Notes deleted.
    pub notes_erased: usize,
    /// Notes (and titles, drafts) whose mentions of the person were replaced.
    pub mentions_replaced: usize,
    /// Sessions deleted.
    pub sessions_erased: usize,
    /// Participants whose real name was deleted.
    pub names_erased: usize,
    /// Unsaved drafts (text typed as a withdrawn speaker, not yet a note) deleted.
    pub drafts_erased: usize,
}

impl ErasureReport {
    fn add(&mut self, o: ErasureReport) {
        self.notes_erased += o.notes_erased;
        self.mentions_replaced += o.mentions_replaced;
        self.sessions_erased += o.sessions_erased;
        self.names_erased += o.names_erased;
        self.drafts_erased += o.drafts_erased;
    }

    /// In words, for messages and the audit trail.
    pub fn describe(&self) -> String {
        let drafts = match self.drafts_erased {
            0 => String::new(),
            n => format!(", {n} unsaved drafts erased"),
        };
        format!(
            "{} notes erased, {} texts with mentions replaced, {} sessions erased, {} real names erased{drafts}",
            self.notes_erased, self.mentions_replaced, self.sessions_erased, self.names_erased
        )
    }
}

/// One erasure, as the ledger keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    /// Unique id of the erasure (so a restore applies each once).
    pub uid: String,
    /// When (RFC 3339).
    pub at: String,
    /// `note`, `session`, `participant` or `person`.
    pub what: String,
    /// Row id of what was erased.
    pub target_id: i64,
    /// Its creation stamp, so a reused row id is never mistaken for it.
    pub target_stamp: String,
    /// `erase`, `keep-anonymised`, `retention` or `mistake`.
    pub mode: String,
}

/// A session due for destruction, or a paper original still to destroy.
#[derive(Debug, Clone, Serialize)]
pub struct RetentionItem {
    /// Project name.
    pub project: String,
    /// Session id.
    pub session_id: i64,
    /// Session title.
    pub title: String,
    /// The session's date (or the day it was recorded).
    pub date: String,
    /// When its retention period ends (or ended).
    pub due: String,
    /// Past its retention date.
    pub overdue: bool,
    /// A paper original not yet recorded as destroyed.
    pub paper_pending: bool,
}

/// Adds `months` to a `YYYY-MM-DD` date, keeping the day where the month has it.
pub fn add_months(date: &str, months: u32) -> Option<String> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let d = time::Date::parse(date.get(..10)?, fmt).ok()?;
    let total = d.year() * 12 + i32::from(u8::from(d.month())) - 1 + months as i32;
    let (y, m) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8);
    let month = time::Month::try_from(m).ok()?;
    let day = d.day().min(month.length(y));
    Some(
        time::Date::from_calendar_date(y, month, day)
            .ok()?
            .to_string(),
    )
}

fn uid() -> String {
    let mut b = [0u8; 16];
    // a clash needs the same 128 random bits twice; the time fallback is unique enough
    if getrandom::fill(&mut b).is_err() {
        b[..8].copy_from_slice(&super::now_ms().to_le_bytes());
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Replaces every registered-name match in `text` with the match's pseudonym.
fn replace_mentions(anon: &Anonymiser, text: &str) -> Option<String> {
    let subs = anon.registered_names(text);
    (!subs.is_empty()).then(|| crate::anonymise::apply(text, &subs))
}

impl Store {
    fn project_id_of(&self, project: &str) -> Result<i64> {
        self.project_id(project)
            .optional()?
            .ok_or_else(|| no_project(project))
    }

    /// One participant of a project, by pseudonym.
    pub fn participant(&self, project: &str, code: &str) -> Result<Participant> {
        let pid = self.project_id_of(project)?;
        let id = self
            .participant_id(pid, code)?
            .ok_or_else(|| super::no_participant(code, project))?;
        self.participants_of_project(project)?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| super::no_participant(code, project))
    }

    /// Restricts (or lifts the restriction on) a participant or a person mentioned: their
    /// data stays, but leaves no export, analysis view or search result. Returns whether
    /// anything changed.
    pub fn set_restricted(&self, project: &str, code: &str, restricted: bool) -> Result<bool> {
        let pid = self.project_id_of(project)?;
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

    fn person_row(&self, project_id: i64, code: &str) -> Result<Option<(i64, String, i64)>> {
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
        let pid = self.project_id_of(project)?;
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

    /// Withdraws a participant's consent. With `erase`, deletes every note they spoke;
    /// otherwise keeps them, anonymised. Either way every mention of them becomes their
    /// pseudonym and their real name is deleted, leaving a tombstone. Recorded in the ledger.
    pub fn withdraw(&self, project: &str, code: &str, erase: bool) -> Result<ErasureReport> {
        let p = self.participant(project, code)?;
        if let Some(on) = &p.withdrawn_on {
            return Err(StoreError::Invalid(format!(
                "{} already withdrew on {on}: nothing more to do",
                p.pseudonym
            )));
        }
        if p.real_name.is_none() {
            return Err(StoreError::Invalid(format!(
                "{}'s real name was already erased (on {}): nothing more to do",
                p.pseudonym,
                p.erased_on.as_deref().unwrap_or("an earlier date")
            )));
        }
        let stamp = self.participant_stamp(p.id)?;
        let mode = if erase { "erase" } else { "keep-anonymised" };
        let tx = self.conn.unchecked_transaction()?;
        let report = self.withdraw_in_tx(&p, mode)?;
        self.record_erasure("participant", p.id, &stamp, mode)?;
        tx.commit()?;
        self.scrub()?;
        Ok(report)
    }

    fn participant_stamp(&self, id: i64) -> Result<String> {
        Ok(self.conn.query_row(
            "SELECT created_at FROM participant WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?)
    }

    fn withdraw_in_tx(&self, p: &Participant, mode: &str) -> Result<ErasureReport> {
        let mut report = ErasureReport::default();
        if mode == "erase" {
            self.conn.execute(
                "DELETE FROM tag WHERE note_id IN
                   (SELECT id FROM note WHERE speaker_participant_id = ?1)",
                [p.id],
            )?;
            report.notes_erased = self
                .conn
                .execute("DELETE FROM note WHERE speaker_participant_id = ?1", [p.id])?;
            // what the editor saved of a note they were saying is theirs as much as the notes
            report.drafts_erased = self.conn.execute(
                "DELETE FROM draft WHERE speaker = ?2 COLLATE NOCASE
                   AND session_id IN (SELECT id FROM session WHERE project_id = ?1)",
                params![p.project_id, p.pseudonym],
            )?;
        }
        if let Some(name) = &p.real_name {
            report.mentions_replaced = self.replace_in_project(p.project_id, name, &p.pseudonym)?;
        }
        let today = &now_rfc3339()[..10];
        let (withdrawn_on, withdrawal) = if mode == "retention" {
            (None, None)
        } else {
            (Some(today), Some(mode))
        };
        self.conn.execute(
            "UPDATE participant SET real_name = NULL, erased_on = ?2,
               consent = CASE WHEN ?3 IS NULL THEN consent ELSE 'withdrawn' END,
               consent_date = CASE WHEN ?3 IS NULL THEN consent_date ELSE ?2 END,
               withdrawn_on = ifnull(?3, withdrawn_on), withdrawal = ifnull(?4, withdrawal)
             WHERE id = ?1",
            params![p.id, today, withdrawn_on, withdrawal],
        )?;
        report.names_erased = usize::from(p.real_name.is_some());
        Ok(report)
    }

    /// Replaces every mention of `name` (any form the anonymiser knows) with `code` in every
    /// free-text field of a project ([`TEXT_COLUMNS`]), drops allow and deny phrases that name
    /// them, and erases the real name of any person mentioned registered under the same name
    /// (the same person twice). Returns how many texts changed.
    fn replace_in_project(&self, project_id: i64, name: &str, code: &str) -> Result<usize> {
        let anon = one_person(name, code);
        let mut changed = 0;
        for c in TEXT_COLUMNS {
            let (key, column, table) = (c.key, c.column, c.table);
            let select = format!(
                "SELECT t.{key}, t.{column} FROM {table} t {} AND t.{column} IS NOT NULL",
                c.scope
            );
            let rows: Vec<(i64, String)> = {
                let mut st = self.conn.prepare(&select)?;
                st.query_map([project_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?
            };
            let update = format!("UPDATE {table} SET {column} = ?2 WHERE {key} = ?1");
            for (id, text) in rows {
                let new = match c.kind {
                    Kind::NameList => replace_in_list(&anon, &text),
                    Kind::Text | Kind::Unique => replace_mentions(&anon, &text),
                };
                let Some(new) = new else { continue };
                match self.conn.execute(&update, params![id, new]) {
                    // the replaced name clashes with another row's (a theme called "P01"
                    // already): the row id makes it unique and keeps it recognisable
                    Err(rusqlite::Error::SqliteFailure(e, _))
                        if c.kind == Kind::Unique
                            && e.code == rusqlite::ErrorCode::ConstraintViolation =>
                    {
                        self.conn
                            .execute(&update, params![id, format!("{new} ({id})")])?;
                    }
                    r => {
                        r?;
                    }
                }
                changed += 1;
            }
        }
        changed += self.drop_listed_mentions(project_id, &anon)?;
        self.erase_same_name_people(project_id, name)?;
        Ok(changed)
    }

    /// Allow and deny phrases that name the person: they exist only for that name, which no
    /// text holds any more, and rewritten to the pseudonym they would hide or expose it.
    fn drop_listed_mentions(&self, project_id: i64, anon: &Anonymiser) -> Result<usize> {
        let rows: Vec<(String, String)> = {
            let mut st = self
                .conn
                .prepare("SELECT list, phrase FROM anonymiser_list WHERE project_id = ?1")?;
            st.query_map([project_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut n = 0;
        for (list, phrase) in rows {
            if !anon.registered_names(&phrase).is_empty() {
                n += self.conn.execute(
                    "DELETE FROM anonymiser_list WHERE project_id = ?1 AND list = ?2 AND phrase = ?3",
                    params![project_id, list, phrase],
                )?;
            }
        }
        Ok(n)
    }

    /// A person mentioned registered under exactly this name is the same person: their real
    /// name goes too (their pseudonym stays, as after `erase --person`).
    fn erase_same_name_people(&self, project_id: i64, name: &str) -> Result<()> {
        let same = |other: &str| other.trim().to_lowercase() == name.trim().to_lowercase();
        let rows: Vec<(i64, String)> = {
            let mut st = self.conn.prepare(
                "SELECT id, real_name FROM person_mentioned WHERE project_id = ?1 AND real_name != ''",
            )?;
            st.query_map([project_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        for (id, _) in rows.into_iter().filter(|(_, n)| same(n)) {
            self.conn.execute(
                "UPDATE person_mentioned SET real_name = '', erased_on = ?2 WHERE id = ?1",
                params![id, &now_rfc3339()[..10]],
            )?;
        }
        Ok(())
    }

    /// Erases a registered third party's real name, replacing every mention with their
    /// pseudonym. Recorded in the ledger.
    pub fn erase_person(&self, project: &str, code: &str) -> Result<ErasureReport> {
        let pid = self.project_id_of(project)?;
        let (id, name, _) = self
            .person_row(pid, code)?
            .ok_or_else(|| no_one(code, project))?;
        if name.is_empty() {
            return Err(StoreError::Invalid(format!(
                "{} was already erased: nothing more to do",
                code.trim()
            )));
        }
        let tx = self.conn.unchecked_transaction()?;
        let report = self.erase_person_in_tx(id)?;
        self.record_erasure("person", id, &format!("person {id}"), "erase")?;
        tx.commit()?;
        self.scrub()?;
        Ok(report)
    }

    fn erase_person_in_tx(&self, id: i64) -> Result<ErasureReport> {
        let (name, code, project_id): (String, String, i64) = self.conn.query_row(
            "SELECT real_name, pseudonym, project_id FROM person_mentioned WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let mut report = ErasureReport::default();
        if !name.is_empty() {
            report.mentions_replaced = self.replace_in_project(project_id, &name, &code)?;
            report.names_erased = 1;
        }
        self.conn.execute(
            "UPDATE person_mentioned SET real_name = '', erased_on = ?2 WHERE id = ?1",
            params![id, &now_rfc3339()[..10]],
        )?;
        Ok(report)
    }

    /// Erases one note (e.g. typed into the wrong session). Recorded in the ledger.
    pub fn erase_note(&self, id: i64, mode: &str) -> Result<ErasureReport> {
        let note = self.note(id)?;
        let tx = self.conn.unchecked_transaction()?;
        let report = self.erase_note_in_tx(id)?;
        self.record_erasure("note", id, &note.created_at_ms.to_string(), mode)?;
        tx.commit()?;
        self.scrub()?;
        Ok(report)
    }

    fn erase_note_in_tx(&self, id: i64) -> Result<ErasureReport> {
        self.conn
            .execute("DELETE FROM tag WHERE note_id = ?1", [id])?;
        let n = self.conn.execute("DELETE FROM note WHERE id = ?1", [id])?;
        Ok(ErasureReport {
            notes_erased: n,
            ..ErasureReport::default()
        })
    }

    /// Erases a session: its notes, tags, draft and attendance. Participants stay registered
    /// (they may be in other sessions). Recorded in the ledger.
    pub fn erase_session(&self, id: i64, mode: &str) -> Result<ErasureReport> {
        let stamp = self.session_stamp(id)?.ok_or_else(|| no_session(id))?;
        let tx = self.conn.unchecked_transaction()?;
        let report = self.erase_session_in_tx(id)?;
        self.record_erasure("session", id, &stamp, mode)?;
        tx.commit()?;
        self.scrub()?;
        Ok(report)
    }

    fn session_stamp(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT created_at FROM session WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?)
    }

    fn erase_session_in_tx(&self, id: i64) -> Result<ErasureReport> {
        self.conn.execute(
            "DELETE FROM tag WHERE note_id IN (SELECT id FROM note WHERE session_id = ?1)",
            [id],
        )?;
        let notes = self
            .conn
            .execute("DELETE FROM note WHERE session_id = ?1", [id])?;
        self.conn
            .execute("DELETE FROM draft WHERE session_id = ?1", [id])?;
        self.conn.execute(
            "DELETE FROM session_participant WHERE session_id = ?1",
            [id],
        )?;
        let s = self
            .conn
            .execute("DELETE FROM session WHERE id = ?1", [id])?;
        Ok(ErasureReport {
            notes_erased: notes,
            sessions_erased: s,
            ..ErasureReport::default()
        })
    }

    /// Records an erasure in the ledger, under a fresh id.
    fn record_erasure(&self, what: &str, target_id: i64, stamp: &str, mode: &str) -> Result<()> {
        self.ledger_insert(&LedgerEntry {
            uid: uid(),
            at: now_rfc3339(),
            what: what.into(),
            target_id,
            target_stamp: stamp.into(),
            mode: mode.into(),
        })
    }

    fn ledger_insert(&self, e: &LedgerEntry) -> Result<()> {
        self.conn.execute(
            "INSERT OR IGNORE INTO erasure_ledger (uid, at, what, target_id, target_stamp, mode)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![e.uid, e.at, e.what, e.target_id, e.target_stamp, e.mode],
        )?;
        Ok(())
    }

    /// Every erasure recorded, oldest first.
    pub fn ledger(&self) -> Result<Vec<LedgerEntry>> {
        let mut st = self.conn.prepare(
            "SELECT uid, at, what, target_id, target_stamp, mode FROM erasure_ledger
             ORDER BY at, uid",
        )?;
        let rows = st.query_map([], |r| {
            Ok(LedgerEntry {
                uid: r.get(0)?,
                at: r.get(1)?,
                what: r.get(2)?,
                target_id: r.get(3)?,
                target_stamp: r.get(4)?,
                mode: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Applies erasures this database has not seen (a restored backup older than them), in
    /// the order they were made, and records them. Returns how many were applied.
    pub fn apply_ledger(&self, entries: &[LedgerEntry]) -> Result<usize> {
        let known: std::collections::HashSet<String> =
            self.ledger()?.into_iter().map(|e| e.uid).collect();
        let tx = self.conn.unchecked_transaction()?;
        let mut applied = 0;
        for e in entries.iter().filter(|e| !known.contains(&e.uid)) {
            match e.what.as_str() {
                "note" => {
                    let stamp: Option<i64> = self
                        .conn
                        .query_row(
                            "SELECT created_at_ms FROM note WHERE id = ?1",
                            [e.target_id],
                            |r| r.get(0),
                        )
                        .optional()?;
                    if stamp.is_some_and(|s| s.to_string() == e.target_stamp) {
                        self.erase_note_in_tx(e.target_id)?;
                    }
                }
                "session"
                    if self.session_stamp(e.target_id)?.as_deref() == Some(&e.target_stamp) =>
                {
                    self.erase_session_in_tx(e.target_id)?;
                }
                "participant" => {
                    let stamp: Option<String> = self
                        .conn
                        .query_row(
                            "SELECT created_at FROM participant WHERE id = ?1",
                            [e.target_id],
                            |r| r.get(0),
                        )
                        .optional()?;
                    if stamp.as_deref() == Some(&e.target_stamp) {
                        let p = self.participant_by_id(e.target_id)?;
                        self.withdraw_in_tx(&p, &e.mode)?;
                    }
                }
                "person" => {
                    let exists: Option<i64> = self
                        .conn
                        .query_row(
                            "SELECT id FROM person_mentioned WHERE id = ?1",
                            [e.target_id],
                            |r| r.get(0),
                        )
                        .optional()?;
                    if exists.is_some() && e.target_stamp == format!("person {}", e.target_id) {
                        self.erase_person_in_tx(e.target_id)?;
                    }
                }
                _ => {}
            }
            self.ledger_insert(e)?;
            applied += 1;
        }
        tx.commit()?;
        self.scrub()?;
        Ok(applied)
    }

    fn participant_by_id(&self, id: i64) -> Result<Participant> {
        let sql = format!("{} WHERE p.id = ?1", super::PARTICIPANT_SELECT);
        Ok(self
            .conn
            .query_row(&sql, [id], super::participant_from_row)?)
    }

    /// After an erasure: merges the full-text index (secure-delete already dropped the
    /// entries) and checkpoints the WAL, truncating it, so no copy of an erased page stays.
    pub fn scrub(&self) -> Result<()> {
        self.conn
            .execute_batch("INSERT INTO note_fts(note_fts) VALUES ('optimize');")?;
        // an in-memory database has no WAL; the pragma then reports and does nothing
        let _: (i64, i64, i64) =
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
        Ok(())
    }

    /// Sessions past their project's retention period (`today` is YYYY-MM-DD), and paper
    /// originals not yet recorded as destroyed.
    pub fn retention(&self, project: Option<&str>, today: &str) -> Result<Vec<RetentionItem>> {
        let projects = match project {
            Some(p) => vec![self.project(p)?],
            None => self.projects()?,
        };
        let mut out = Vec::new();
        for p in projects {
            for s in self.sessions(Some(&p.name))? {
                let created: String = self.session_stamp(s.id)?.unwrap_or_default();
                let date = s
                    .date
                    .clone()
                    .unwrap_or_else(|| created.get(..10).unwrap_or_default().to_owned());
                let due = p
                    .retention_months
                    .and_then(|m| add_months(&date, m))
                    .unwrap_or_default();
                let overdue = !due.is_empty() && due.as_str() <= today;
                let paper_pending = s.source == Source::Paper && s.paper.destroyed_on.is_none();
                if overdue || paper_pending {
                    out.push(RetentionItem {
                        project: p.name.clone(),
                        session_id: s.id,
                        title: s.title,
                        date,
                        due,
                        overdue,
                        paper_pending,
                    });
                }
            }
        }
        out.sort_by(|a, b| (&a.due, a.session_id).cmp(&(&b.due, b.session_id)));
        Ok(out)
    }

    /// Erases every session past its retention date, then the real names of participants
    /// left with no session. Each erasure goes in the ledger.
    pub fn apply_retention(&self, project: Option<&str>, today: &str) -> Result<ErasureReport> {
        let mut report = ErasureReport::default();
        let due: Vec<RetentionItem> = self
            .retention(project, today)?
            .into_iter()
            .filter(|i| i.overdue)
            .collect();
        for item in &due {
            report.add(self.erase_session(item.session_id, "retention")?);
        }
        let mut projects: Vec<&str> = due.iter().map(|i| i.project.as_str()).collect();
        projects.dedup();
        for p in projects {
            let orphans: Vec<Participant> = self
                .participants_of_project(p)?
                .into_iter()
                .filter(|x| x.real_name.is_some())
                .collect();
            for x in orphans {
                let sessions: i64 = self.conn.query_row(
                    "SELECT count(*) FROM session_participant WHERE participant_id = ?1",
                    [x.id],
                    |r| r.get(0),
                )?;
                if sessions == 0 {
                    let stamp = self.participant_stamp(x.id)?;
                    let tx = self.conn.unchecked_transaction()?;
                    report.add(self.withdraw_in_tx(&x, "retention")?);
                    self.record_erasure("participant", x.id, &stamp, "retention")?;
                    tx.commit()?;
                }
            }
        }
        self.scrub()?;
        Ok(report)
    }
}

/// How a free-text column is rewritten.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Plain text.
    Text,
    /// Text that must stay unique (theme and project names).
    Unique,
    /// A JSON array of names (a session's facilitators).
    NameList,
}

/// One free-text column an erasure rewrites. `scope` selects the project's rows (`?1` is the
/// project id, `t` the table).
pub(crate) struct TextColumn {
    pub(crate) table: &'static str,
    pub(crate) column: &'static str,
    key: &'static str,
    scope: &'static str,
    kind: Kind,
}

const OF_PROJECT: &str = "WHERE t.project_id = ?1";
const OF_SESSION: &str = "JOIN session s ON s.id = t.session_id WHERE s.project_id = ?1";

const fn col(table: &'static str, column: &'static str, scope: &'static str) -> TextColumn {
    TextColumn {
        table,
        column,
        key: "id",
        scope,
        kind: Kind::Text,
    }
}

/// Every column where a researcher's text can hold a person's name. The schema test
/// `every_text_column_is_erased_or_says_why_not` fails when a migration adds a text column
/// that is neither here nor in [`NOT_FREE_TEXT`], so a new field cannot be missed.
pub(crate) const TEXT_COLUMNS: &[TextColumn] = &[
    TextColumn {
        kind: Kind::Unique,
        ..col("project", "name", "WHERE t.id = ?1")
    },
    col("project", "purpose", "WHERE t.id = ?1"),
    col("project", "lawful_basis", "WHERE t.id = ?1"),
    col("project", "special_category_condition", "WHERE t.id = ?1"),
    col("project", "schedule1_condition", "WHERE t.id = ?1"),
    col("project", "criminal_offence_basis", "WHERE t.id = ?1"),
    col("project", "dpia_ref", "WHERE t.id = ?1"),
    col("project", "controller", "WHERE t.id = ?1"),
    col("session", "title", OF_PROJECT),
    col("session", "location", OF_PROJECT),
    col("session", "paper_written_by", OF_PROJECT),
    TextColumn {
        kind: Kind::NameList,
        ..col("session", "facilitators", OF_PROJECT)
    },
    col("participant", "role", OF_PROJECT),
    col("participant", "consent_form", OF_PROJECT),
    col("note", "text", OF_SESSION),
    col("note", "cluster", OF_SESSION),
    col("note", "page", OF_SESSION),
    TextColumn {
        kind: Kind::Unique,
        ..col("theme", "name", OF_PROJECT)
    },
    col("theme", "description", OF_PROJECT),
    col("theme", "memo", OF_PROJECT),
    col("theme", "colour", OF_PROJECT),
    TextColumn {
        key: "session_id",
        ..col("draft", "text", OF_SESSION)
    },
];

/// Text columns an erasure leaves alone, and why.
#[cfg(test)]
pub(crate) const NOT_FREE_TEXT: &[(&str, &str, &str)] = &[
    ("project", "created_at", "a timestamp"),
    ("session", "kind", "interview or workshop"),
    ("session", "date", "a checked date"),
    ("session", "source", "live or paper"),
    ("session", "paper_written_on", "a checked date"),
    ("session", "paper_destroyed_on", "a checked date"),
    ("session", "created_at", "a timestamp"),
    ("participant", "pseudonym", "the replacement itself"),
    (
        "participant",
        "real_name",
        "deleted by the erasure (other people's names stay theirs)",
    ),
    ("participant", "consent", "given, refused or withdrawn"),
    ("participant", "consent_date", "a checked date"),
    ("participant", "created_at", "a timestamp"),
    ("participant", "withdrawn_on", "a date"),
    ("participant", "withdrawal", "erase or keep-anonymised"),
    ("participant", "erased_on", "a date"),
    (
        "person_mentioned",
        "real_name",
        "emptied by the erasure (other people's names stay theirs)",
    ),
    ("person_mentioned", "pseudonym", "the replacement itself"),
    ("person_mentioned", "erased_on", "a date"),
    ("note", "kind", "one of four kinds"),
    ("draft", "speaker", "a pseudonym or facilitator code"),
    ("draft", "kind", "one of four kinds"),
    ("anonymiser_list", "list", "allow or deny"),
    (
        "anonymiser_list",
        "phrase",
        "deleted when it names the person",
    ),
    (
        "key_recipient",
        "name",
        "a researcher holding a key, not a research subject",
    ),
    ("key_recipient", "public_key", "an age key"),
    ("key_recipient", "added_at", "a timestamp"),
    ("audit", "at", "a timestamp"),
    ("audit", "actor", "the researcher's account name"),
    ("audit", "action", "a fixed verb"),
    (
        "audit",
        "detail",
        "ids, pseudonyms, counts, project names and file paths, never note text or real names; \
         rewriting a past event would break the hash chain (the README asks users to keep names \
         out of project and file names)",
    ),
    ("erasure_ledger", "uid", "a random id"),
    ("erasure_ledger", "at", "a timestamp"),
    ("erasure_ledger", "what", "a fixed kind"),
    ("erasure_ledger", "target_stamp", "a creation stamp"),
    ("erasure_ledger", "mode", "a fixed mode"),
];

/// Replaces mentions inside each name of a JSON list; `None` when nothing changed (or the
/// text is not such a list, which the store never writes).
fn replace_in_list(anon: &Anonymiser, json: &str) -> Option<String> {
    let names: Vec<String> = serde_json::from_str(json).ok()?;
    let mut changed = false;
    let out: Vec<String> = names
        .into_iter()
        .map(|n| match replace_mentions(anon, &n) {
            Some(r) => {
                changed = true;
                r
            }
            None => n,
        })
        .collect();
    if !changed {
        return None;
    }
    serde_json::to_string(&out).ok()
}

fn one_person(name: &str, code: &str) -> Anonymiser {
    Anonymiser::new(&Registry {
        people: vec![KnownPerson {
            name: name.to_owned(),
            pseudonym: code.to_owned(),
        }],
        ..Registry::default()
    })
}

fn no_one(code: &str, project: &str) -> StoreError {
    StoreError::NotFound(format!(
        "no participant or person mentioned '{}' in project {project}: see `fieldnotes participant list --project {project}`",
        crate::text::for_terminal(code, false)
    ))
}

#[cfg(test)]
mod tests;
