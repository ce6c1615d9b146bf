//! Codebook work: rename, move, merge, delete, memo, colour and description of themes.

use rusqlite::{OptionalExtension, params};

use super::themes::clean_theme_name;
use super::{Result, Store, StoreError};

impl Store {
    fn theme_of(&self, project: &str, name: &str) -> Result<(i64, i64)> {
        let pid = self.project_id(project)?;
        let id = self
            .theme_id(pid, name)?
            .ok_or_else(|| StoreError::NoTheme {
                name: name.to_owned(),
                project: project.to_owned(),
            })?;
        Ok((pid, id))
    }

    /// Whether theme `id` is `ancestor` or lies somewhere under it.
    fn theme_within(&self, id: i64, ancestor: i64) -> Result<bool> {
        let mut at = Some(id);
        while let Some(x) = at {
            if x == ancestor {
                return Ok(true);
            }
            at = self
                .conn
                .query_row("SELECT parent_id FROM theme WHERE id = ?1", [x], |r| {
                    r.get(0)
                })
                .optional()?
                .flatten();
        }
        Ok(false)
    }

    /// Renames a theme; its tags and children follow.
    pub fn theme_rename(&self, project: &str, name: &str, new_name: &str) -> Result<()> {
        let (pid, id) = self.theme_of(project, name)?;
        let new = clean_theme_name(new_name)?;
        if let Some(other) = self.theme_id(pid, &new)?
            && other != id
        {
            return Err(StoreError::Duplicate(format!(
                "theme '{new}' already exists: merge the two with `fieldnotes theme merge`"
            )));
        }
        self.conn
            .execute("UPDATE theme SET name = ?2 WHERE id = ?1", params![id, new])?;
        Ok(())
    }

    /// Moves a theme under another (`None`: to the top level). A theme cannot move under
    /// itself or one of its own descendants.
    pub fn theme_move(&self, project: &str, name: &str, parent: Option<&str>) -> Result<()> {
        let (_, id) = self.theme_of(project, name)?;
        let parent_id = match parent {
            Some(p) => {
                let (_, pid) = self.theme_of(project, p)?;
                // a theme under one of its own descendants would make a loop
                if self.theme_within(pid, id)? {
                    return Err(StoreError::ThemeCycle {
                        theme: name.to_owned(),
                        parent: p.to_owned(),
                    });
                }
                Some(pid)
            }
            None => None,
        };
        self.conn.execute(
            "UPDATE theme SET parent_id = ?2 WHERE id = ?1",
            params![id, parent_id],
        )?;
        Ok(())
    }

    /// Merges theme `from` into `into`: every tag moves (duplicates collapse), `from`'s
    /// children move under `into`, its memo is appended, and `from` is removed. Returns how
    /// many tags moved.
    pub fn theme_merge(&self, project: &str, from: &str, into: &str) -> Result<usize> {
        let (_, a) = self.theme_of(project, from)?;
        let (_, b) = self.theme_of(project, into)?;
        if a == b {
            return Err(StoreError::MergeIntoItself);
        }
        if self.theme_within(b, a)? {
            return Err(StoreError::MergeIntoChild {
                into: into.to_owned(),
                from: from.to_owned(),
            });
        }
        let tx = self.conn.unchecked_transaction()?;
        self.redirect_in_tx(a, "theme", b)?;
        let moved = self.theme_fold_in_tx(a, b, true)?;
        tx.commit()?;
        Ok(moved)
    }

    /// Folds theme `a` into `b` inside the caller's transaction: tags move (duplicates
    /// collapse), children move under `b`, with `memo` `a`'s memo is appended to `b`'s, and
    /// `a` goes. Returns how many tags moved.
    pub(crate) fn theme_fold_in_tx(&self, a: i64, b: i64, memo: bool) -> Result<usize> {
        let moved = self.conn.execute(
            "INSERT OR IGNORE INTO tag (note_id, theme_id, span_start, span_end)
             SELECT note_id, ?2, span_start, span_end FROM tag WHERE theme_id = ?1",
            params![a, b],
        )?;
        self.conn
            .execute("DELETE FROM tag WHERE theme_id = ?1", [a])?;
        self.conn.execute(
            "UPDATE theme SET parent_id = ?2 WHERE parent_id = ?1",
            params![a, b],
        )?;
        if memo {
            self.conn.execute(
                "UPDATE theme SET memo = CASE
                     WHEN (SELECT memo FROM theme WHERE id = ?1) IS NULL THEN memo
                     WHEN memo IS NULL THEN (SELECT memo FROM theme WHERE id = ?1)
                     ELSE memo || char(10) || char(10) || (SELECT memo FROM theme WHERE id = ?1) END
                 WHERE id = ?2",
                params![a, b],
            )?;
        }
        // a theme merged into `a` earlier now lives on as `b`
        self.conn.execute(
            "UPDATE team_redirect SET into_theme_id = ?2 WHERE into_theme_id = ?1",
            params![a, b],
        )?;
        self.conn.execute("DELETE FROM theme WHERE id = ?1", [a])?;
        Ok(moved)
    }

    /// When row `a` of `table` (a theme, a participant) has left this vault for a team,
    /// records that it now lives on as `b`, so every vault folds it the same way, and a
    /// late row that names `a` lands on `b`.
    pub(crate) fn redirect_in_tx(&self, a: i64, table: &str, b: i64) -> Result<()> {
        let (sql, column) = match table {
            "theme" => (
                "SELECT project_id, uid FROM theme WHERE id = ?1",
                "into_theme_id",
            ),
            _ => (
                "SELECT project_id, uid FROM participant WHERE id = ?1",
                "into_participant_id",
            ),
        };
        let (project, uid): (i64, Option<String>) = self
            .conn
            .query_row(sql, [a], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if let Some(uid) = uid {
            self.conn.execute(
                &format!(
                    "INSERT INTO team_redirect (project_id, from_uid, {column}, at)
                     VALUES (?1, ?2, ?3, ?4)"
                ),
                params![project, uid, b, crate::store::now_rfc3339()],
            )?;
        }
        Ok(())
    }

    /// How many tags deleting a theme would remove.
    pub fn theme_tag_count(&self, project: &str, name: &str) -> Result<usize> {
        let (_, id) = self.theme_of(project, name)?;
        let n: i64 =
            self.conn
                .query_row("SELECT count(*) FROM tag WHERE theme_id = ?1", [id], |r| {
                    r.get(0)
                })?;
        Ok(n as usize)
    }

    /// Deletes a theme and its tags; its children move up to its parent. Returns how many
    /// tags were removed.
    pub fn theme_delete(&self, project: &str, name: &str) -> Result<usize> {
        let (_, id) = self.theme_of(project, name)?;
        let tx = self.conn.unchecked_transaction()?;
        let removed = tx.execute("DELETE FROM tag WHERE theme_id = ?1", [id])?;
        tx.execute(
            "UPDATE theme SET parent_id = (SELECT parent_id FROM theme WHERE id = ?1)
             WHERE parent_id = ?1",
            [id],
        )?;
        // themes merged into it earlier go with it
        tx.execute(
            "UPDATE team_redirect SET into_theme_id = NULL WHERE into_theme_id = ?1",
            [id],
        )?;
        tx.execute("DELETE FROM theme WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(removed)
    }

    /// Sets a theme's memo, description or colour (`Some("")` clears one).
    pub fn theme_set(
        &self,
        project: &str,
        name: &str,
        memo: Option<&str>,
        description: Option<&str>,
        colour: Option<&str>,
    ) -> Result<()> {
        let (_, id) = self.theme_of(project, name)?;
        let clean = |v: &str| {
            let t = crate::text::clean_note_text(v);
            (!t.trim().is_empty()).then_some(t)
        };
        for (column, value) in [
            ("memo", memo),
            ("description", description),
            ("colour", colour),
        ] {
            if let Some(v) = value {
                self.conn.execute(
                    &format!("UPDATE theme SET {column} = ?2 WHERE id = ?1"),
                    params![id, clean(v)],
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use crate::model::{NoteKind, PaperOrigin, SessionKind, Source};
    use crate::store::{NewNote, NewProject, NewSession, Store};

    /// Codebook: Access > (Waiting, Signage), Safety; notes tagged across them.
    #[allow(clippy::disallowed_methods)]
    fn fixture() -> (Store, Vec<i64>) {
        let s = Store::new(Connection::open_in_memory().unwrap()).unwrap();
        s.project_add(NewProject {
            name: "F2F".into(),
            ..NewProject::default()
        })
        .unwrap();
        let sid = s
            .session_add(NewSession {
                project: "F2F".into(),
                kind: SessionKind::Interview,
                title: "I".into(),
                date: None,
                location: None,
                source: Source::Live,
                paper: PaperOrigin::default(),
                facilitators: vec![],
            })
            .unwrap();
        s.theme_add("F2F", "Access", None, None, None).unwrap();
        s.theme_add("F2F", "Waiting", Some("Access"), None, None)
            .unwrap();
        s.theme_add("F2F", "Signage", Some("Access"), None, None)
            .unwrap();
        s.theme_add("F2F", "Safety", None, None, None).unwrap();
        let notes = [
            vec!["Waiting", "Safety"],
            vec!["Waiting"],
            vec!["Safety", "Signage"],
        ]
        .iter()
        .map(|themes| {
            s.note_add(NewNote {
                session_id: sid,
                speaker: None,
                kind: NoteKind::Paraphrase,
                text: "text".into(),
                special_category: false,
                criminal_offence: false,
                themes: themes.iter().map(|t| t.to_string()).collect(),
                at_ms: 0,
                cluster: None,
                page: None,
                question_id: None,
            })
            .unwrap()
        })
        .collect();
        (s, notes)
    }

    fn tree(s: &Store) -> Vec<String> {
        s.themes("F2F")
            .unwrap()
            .into_iter()
            .map(|t| format!("{}{}", "-".repeat(t.depth), t.name))
            .collect()
    }

    #[test]
    fn merge_combines_tags_and_loses_nothing() {
        let (s, notes) = fixture();
        s.theme_set("F2F", "Waiting", Some("queues"), None, None)
            .unwrap();
        s.theme_set("F2F", "Safety", Some("feeling unsafe"), None, None)
            .unwrap();
        let moved = s.theme_merge("F2F", "Waiting", "Safety").unwrap();
        assert_eq!(moved, 1, "the note tagged with both keeps one Safety tag");
        for n in &notes {
            assert!(s.note(*n).unwrap().themes.contains(&"Safety".into()));
        }
        assert_eq!(tree(&s), ["Access", "-Signage", "Safety"]);
        let safety = s
            .themes("F2F")
            .unwrap()
            .into_iter()
            .find(|t| t.name == "Safety")
            .unwrap();
        assert_eq!(safety.memo.as_deref(), Some("feeling unsafe\n\nqueues"));
        assert!(s.theme_merge("F2F", "Safety", "Safety").is_err());
    }

    #[test]
    fn move_refuses_loops_and_delete_lifts_children() {
        let (s, notes) = fixture();
        let e = s.theme_move("F2F", "Access", Some("Waiting")).unwrap_err();
        assert!(e.to_string().contains("inside it"), "{e}");
        s.theme_move("F2F", "Safety", Some("Waiting")).unwrap();
        assert_eq!(tree(&s), ["Access", "-Signage", "-Waiting", "--Safety"]);
        assert_eq!(s.theme_tag_count("F2F", "Access").unwrap(), 0);
        assert_eq!(s.theme_delete("F2F", "Waiting").unwrap(), 2);
        assert_eq!(tree(&s), ["Access", "-Safety", "-Signage"]);
        assert_eq!(s.note(notes[1]).unwrap().themes, Vec::<String>::new());
        s.theme_move("F2F", "Safety", None).unwrap();
        s.theme_rename("F2F", "Safety", "Feeling safe").unwrap();
        assert_eq!(tree(&s), ["Access", "-Signage", "Feeling safe"]);
        assert!(s.theme_rename("F2F", "Signage", "feeling safe").is_err());
    }
}
