//! Withdrawal and erasure: deleting what a person said, replacing every mention of them with
//! their pseudonym, and scrubbing the freed pages afterwards.

use rusqlite::{OptionalExtension, params};

use super::text_columns::{Kind, TEXT_COLUMNS};
use super::{ErasureReport, NameMatcher, Rewriter, no_one, one_person};
use crate::model::Participant;
use crate::store::error::{no_participant, no_session};
use crate::store::{Result, Store, StoreError, now_rfc3339};

impl Store {
    /// Withdraws a participant's consent. With `erase`, deletes every note they spoke;
    /// otherwise keeps them, anonymised. Either way every mention of them becomes their
    /// pseudonym and their real name is deleted, leaving a tombstone. Recorded in the ledger.
    pub fn withdraw(
        &self,
        project: &str,
        code: &str,
        erase: bool,
        names: &dyn Rewriter,
    ) -> Result<ErasureReport> {
        let p = self.participant(project, code)?;
        if let Some(on) = &p.withdrawn_on {
            return Err(StoreError::AlreadyWithdrawn {
                pseudonym: p.pseudonym,
                on: on.clone(),
            });
        }
        if p.real_name.is_none() {
            return Err(StoreError::NameAlreadyErased {
                on: p.erased_on.unwrap_or_else(|| "an earlier date".into()),
                pseudonym: p.pseudonym,
            });
        }
        let stamp = self
            .participant_stamp(p.id)?
            .ok_or_else(|| no_participant(&p.pseudonym, project))?;
        let mode = if erase { "erase" } else { "keep-anonymised" };
        let tx = self.conn.unchecked_transaction()?;
        let report = self.withdraw_in_tx(&p, mode, names)?;
        self.record_erasure("participant", p.id, &stamp, mode)?;
        tx.commit()?;
        self.scrub()?;
        Ok(report)
    }

    /// A participant's creation stamp, which the ledger keeps so a reused row id is never
    /// mistaken for them.
    pub(super) fn participant_stamp(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT created_at FROM participant WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub(super) fn withdraw_in_tx(
        &self,
        p: &Participant,
        mode: &str,
        names: &dyn Rewriter,
    ) -> Result<ErasureReport> {
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
        if p.subject {
            report.notes_erased += self.erase_subject_records(p, mode)?;
        }
        if let Some(name) = &p.real_name {
            report.mentions_replaced =
                self.replace_in_project(p.project_id, name, &p.pseudonym, names)?;
        }
        let today = &now_rfc3339()[..10];
        let (withdrawn_on, withdrawal) = if mode == "retention" {
            (None, None)
        } else {
            (Some(today), Some(mode))
        };
        // a record's subject gave no consent, so none is withdrawn: the dates say what was done
        self.conn.execute(
            "UPDATE participant SET real_name = NULL, erased_on = ?2,
               consent = CASE WHEN ?3 IS NULL OR subject THEN consent ELSE 'withdrawn' END,
               consent_date = CASE WHEN ?3 IS NULL OR subject THEN consent_date ELSE ?2 END,
               withdrawn_on = ifnull(?3, withdrawn_on), withdrawal = ifnull(?4, withdrawal)
             WHERE id = ?1",
            params![p.id, today, withdrawn_on, withdrawal],
        )?;
        report.names_erased = usize::from(p.real_name.is_some());
        Ok(report)
    }

    /// What an erasure of a record's subject takes besides what they are quoted as saying:
    /// the reference of every record review they are a subject of (it would lead back to
    /// them in the source system), and with `erase`, every note of a record review they are
    /// the one person of (all of it is about them, whoever a note is attributed to). Returns
    /// how many notes went.
    fn erase_subject_records(&self, p: &Participant, mode: &str) -> Result<usize> {
        // the reference goes from every text that repeats it too (a title, a theme, the
        // sampling), or clearing it would take it off the list the export guard refuses
        let refs: Vec<String> = {
            let mut st = self.conn.prepare(
                "SELECT review_record_ref FROM session
                 WHERE kind = 'review' AND review_record_ref IS NOT NULL
                   AND trim(review_record_ref) <> '' AND id IN
                   (SELECT session_id FROM session_participant WHERE participant_id = ?1)",
            )?;
            st.query_map([p.id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        for r in &refs {
            self.rewrite_text_columns(p.project_id, &|_, text| {
                replace_ignoring_case(text, r.trim(), RECORD_REF_REMOVED)
            })?;
        }
        self.conn.execute(
            "UPDATE session SET review_record_ref = NULL
             WHERE kind = 'review' AND id IN
               (SELECT session_id FROM session_participant WHERE participant_id = ?1)",
            [p.id],
        )?;
        if mode != "erase" {
            return Ok(0);
        }
        let mut erased = 0;
        for sid in self.sole_subject_sessions(p.project_id, &format!("p.id = {}", p.id))? {
            self.conn.execute(
                "DELETE FROM tag WHERE note_id IN (SELECT id FROM note WHERE session_id = ?1)",
                [sid],
            )?;
            erased += self
                .conn
                .execute("DELETE FROM note WHERE session_id = ?1", [sid])?;
            self.conn
                .execute("DELETE FROM draft WHERE session_id = ?1", [sid])?;
            self.conn
                .execute("DELETE FROM memo WHERE session_id = ?1", [sid])?;
        }
        Ok(erased)
    }

    /// Replaces every mention of `name` (any form the anonymiser knows) with `code` in every
    /// free-text field of a project ([`TEXT_COLUMNS`]), drops allow and deny phrases that name
    /// them, and erases the real name of any person mentioned registered under the same name
    /// (the same person twice). Returns how many texts changed.
    fn replace_in_project(
        &self,
        project_id: i64,
        name: &str,
        code: &str,
        names: &dyn Rewriter,
    ) -> Result<usize> {
        let anon = one_person(names, name, code);
        let mut changed = self.rewrite_text_columns(project_id, &|kind, text| match kind {
            Kind::NameList => replace_in_list(anon.as_ref(), text),
            Kind::Text | Kind::Unique => anon.replace(text),
        })?;
        changed += self.rewrite_waiting(project_id, anon.as_ref())?;
        changed += self.drop_listed_mentions(project_id, anon.as_ref())?;
        self.erase_same_name_people(project_id, name)?;
        Ok(changed)
    }

    /// Rewrites every free-text field of a project ([`TEXT_COLUMNS`]) that `rewrite` changes
    /// (it returns `None` for a text it leaves alone). Returns how many texts changed.
    fn rewrite_text_columns(
        &self,
        project_id: i64,
        rewrite: &dyn Fn(Kind, &str) -> Option<String>,
    ) -> Result<usize> {
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
                let Some(new) = rewrite(c.kind, &text) else {
                    continue;
                };
                match self.conn.execute(&update, params![id, new]) {
                    // the rewritten text clashes with another row's (a theme called "P01"
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
        Ok(changed)
    }

    /// Rows waiting here for a team member's bundle (`crate::team`) hold text too: each text
    /// value of their bodies is rewritten as the column it will be written into would be.
    /// They are kept, not dropped: the bundle they came in is not sent again.
    fn rewrite_waiting(&self, project_id: i64, anon: &dyn NameMatcher) -> Result<usize> {
        let rows: Vec<(String, String)> = {
            let mut st = self
                .conn
                .prepare("SELECT uid, body FROM team_waiting WHERE project_id = ?1")?;
            st.query_map([project_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut changed = 0;
        for (uid, body) in rows {
            let Ok(mut json) = serde_json::from_str::<serde_json::Value>(&body) else {
                continue;
            };
            let mut any = false;
            for value in json
                .as_object_mut()
                .into_iter()
                .flat_map(|m| m.values_mut())
            {
                if let serde_json::Value::String(text) = value
                    && let Some(new) = anon.replace(text)
                {
                    *text = new;
                    any = true;
                }
            }
            if any {
                self.conn.execute(
                    "UPDATE team_waiting SET body = ?2 WHERE uid = ?1",
                    params![uid, json.to_string()],
                )?;
                changed += 1;
            }
        }
        Ok(changed)
    }

    /// Allow and deny phrases that name the person: they exist only for that name, which no
    /// text holds any more, and rewritten to the pseudonym they would hide or expose it.
    fn drop_listed_mentions(&self, project_id: i64, anon: &dyn NameMatcher) -> Result<usize> {
        let rows: Vec<(String, String)> = {
            let mut st = self
                .conn
                .prepare("SELECT list, phrase FROM anonymiser_list WHERE project_id = ?1")?;
            st.query_map([project_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut n = 0;
        for (list, phrase) in rows {
            if anon.mentions(&phrase) {
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
            self.erase_person_name(id)?;
        }
        Ok(())
    }

    /// Erases a registered third party's real name, replacing every mention with their
    /// pseudonym. Recorded in the ledger.
    pub fn erase_person(
        &self,
        project: &str,
        code: &str,
        names: &dyn Rewriter,
    ) -> Result<ErasureReport> {
        let pid = self.project_id(project)?;
        let (id, name, _) = self
            .person_row(pid, code)?
            .ok_or_else(|| no_one(code, project))?;
        if name.is_empty() {
            return Err(StoreError::PersonAlreadyErased(code.trim().to_owned()));
        }
        let tx = self.conn.unchecked_transaction()?;
        let report = self.erase_person_in_tx(id, names)?;
        self.record_erasure("person", id, &format!("person {id}"), "erase")?;
        tx.commit()?;
        self.scrub()?;
        Ok(report)
    }

    pub(super) fn erase_person_in_tx(
        &self,
        id: i64,
        names: &dyn Rewriter,
    ) -> Result<ErasureReport> {
        let (name, code, project_id): (String, String, i64) = self.conn.query_row(
            "SELECT real_name, pseudonym, project_id FROM person_mentioned WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let mut report = ErasureReport::default();
        if !name.is_empty() {
            report.mentions_replaced = self.replace_in_project(project_id, &name, &code, names)?;
            report.names_erased = 1;
        }
        self.erase_person_name(id)?;
        Ok(report)
    }

    /// Empties a person mentioned's real name and dates it; their pseudonym stays.
    fn erase_person_name(&self, id: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE person_mentioned SET real_name = '', erased_on = ?2 WHERE id = ?1",
            params![id, &now_rfc3339()[..10]],
        )?;
        Ok(())
    }

    /// Erases one note (e.g. typed into the wrong session). Recorded in the ledger.
    pub fn erase_note(&self, id: i64, mode: &str) -> Result<ErasureReport> {
        let note = self.note(id)?;
        let tx = self.conn.unchecked_transaction()?;
        // recorded first: the ledger keeps the note's travelling id, read from its row
        self.record_erasure("note", id, &note.created_at_ms.to_string(), mode)?;
        let report = self.erase_note_in_tx(id)?;
        tx.commit()?;
        self.scrub()?;
        Ok(report)
    }

    pub(super) fn erase_note_in_tx(&self, id: i64) -> Result<ErasureReport> {
        Ok(ErasureReport {
            notes_erased: self.delete_note_rows(id)?,
            ..ErasureReport::default()
        })
    }

    /// Erases a session: its notes, tags, draft and attendance. Participants stay registered
    /// (they may be in other sessions). Recorded in the ledger.
    pub fn erase_session(&self, id: i64, mode: &str) -> Result<ErasureReport> {
        let stamp = self.session_stamp(id)?.ok_or_else(|| no_session(id))?;
        let tx = self.conn.unchecked_transaction()?;
        self.record_erasure("session", id, &stamp, mode)?;
        let report = self.erase_session_in_tx(id)?;
        tx.commit()?;
        self.scrub()?;
        Ok(report)
    }

    pub(super) fn session_stamp(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT created_at FROM session WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub(crate) fn erase_session_in_tx(&self, id: i64) -> Result<ErasureReport> {
        self.conn.execute(
            "DELETE FROM tag WHERE note_id IN (SELECT id FROM note WHERE session_id = ?1)",
            [id],
        )?;
        let notes = self
            .conn
            .execute("DELETE FROM note WHERE session_id = ?1", [id])?;
        self.draft_delete(id)?;
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
}

/// Replaces mentions inside each name of a JSON list; `None` when nothing changed (or the
/// text is not such a list, which the store never writes).
/// What an erased subject's record reference becomes wherever a text repeated it.
pub(crate) const RECORD_REF_REMOVED: &str = "[record reference erased]";

/// `text` with every occurrence of `phrase` replaced, in any case when the phrase is ASCII
/// (a record reference); `None` when it has none.
fn replace_ignoring_case(text: &str, phrase: &str, with: &str) -> Option<String> {
    if phrase.is_empty() {
        return None;
    }
    if !phrase.is_ascii() {
        return text.contains(phrase).then(|| text.replace(phrase, with));
    }
    let (t, p) = (text.as_bytes(), phrase.as_bytes());
    let mut out = String::with_capacity(text.len());
    let (mut at, mut i, mut found) = (0, 0, false);
    // an ASCII byte never continues a multi-byte character: a match starts and ends on
    // character boundaries
    while i + p.len() <= t.len() {
        if t[i..i + p.len()].eq_ignore_ascii_case(p) {
            out.push_str(&text[at..i]);
            out.push_str(with);
            i += p.len();
            at = i;
            found = true;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[at..]);
    found.then_some(out)
}

fn replace_in_list(anon: &dyn NameMatcher, json: &str) -> Option<String> {
    let names: Vec<String> = serde_json::from_str(json).ok()?;
    let mut changed = false;
    let out: Vec<String> = names
        .into_iter()
        .map(|n| match anon.replace(&n) {
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
