//! Themes: adding to a project's codebook and reading it as a tree (reshaping it is in
//! `codebook`).

use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError, blank_to_none};
use crate::model::Theme;
use crate::text;

impl Store {
    /// Adds a theme to a project's codebook; returns its id.
    pub fn theme_add(
        &self,
        project: &str,
        name: &str,
        parent: Option<&str>,
        description: Option<String>,
        colour: Option<String>,
    ) -> Result<i64> {
        let pid = self.project_id(project)?;
        let name = clean_theme_name(name)?;
        if self.theme_id(pid, &name)?.is_some() {
            return Err(StoreError::Duplicate(format!(
                "theme '{name}' already exists in project {project}"
            )));
        }
        let parent_id = match parent {
            Some(p) => Some(self.theme_id(pid, p)?.ok_or_else(|| StoreError::NoTheme {
                name: p.to_owned(),
                project: project.to_owned(),
            })?),
            None => None,
        };
        self.conn.execute(
            "INSERT INTO theme (project_id, name, description, colour, parent_id)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                pid,
                name,
                blank_to_none(description),
                blank_to_none(colour),
                parent_id
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub(super) fn theme_id(&self, project_id: i64, name: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM theme WHERE project_id = ?1 AND name = ?2 COLLATE NOCASE",
                params![project_id, name.trim()],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub(super) fn theme_get_or_create(&self, project_id: i64, name: &str) -> Result<i64> {
        let name = clean_theme_name(name)?;
        if let Some(id) = self.theme_id(project_id, &name)? {
            return Ok(id);
        }
        self.conn.execute(
            "INSERT INTO theme (project_id, name) VALUES (?1, ?2)",
            params![project_id, name],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// A project's codebook in tree order: each theme followed by its children, siblings
    /// alphabetical; `depth` says how deep each one is.
    pub fn themes(&self, project: &str) -> Result<Vec<Theme>> {
        let pid = self.project_id(project)?;
        let mut st = self.conn.prepare(
            "SELECT t.id, t.project_id, t.name, t.description, t.colour, p.name, t.memo,
               t.parent_id
             FROM theme t LEFT JOIN theme p ON p.id = t.parent_id
             WHERE t.project_id = ?1 ORDER BY t.name COLLATE NOCASE",
        )?;
        let rows = st.query_map([pid], |r| {
            Ok((
                Theme {
                    id: r.get(0)?,
                    project_id: r.get(1)?,
                    name: r.get(2)?,
                    description: r.get(3)?,
                    colour: r.get(4)?,
                    parent: r.get(5)?,
                    memo: r.get(6)?,
                    depth: 0,
                },
                r.get::<_, Option<i64>>(7)?,
            ))
        })?;
        let all: Vec<(Theme, Option<i64>)> = rows.collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(all.len());
        fn visit(
            all: &[(Theme, Option<i64>)],
            parent: Option<i64>,
            depth: usize,
            out: &mut Vec<Theme>,
        ) {
            for (t, p) in all.iter().filter(|(_, p)| *p == parent) {
                let _ = p;
                out.push(Theme { depth, ..t.clone() });
                visit(all, Some(t.id), depth + 1, out);
            }
        }
        visit(&all, None, 0, &mut out);
        Ok(out)
    }
}

/// The longest a theme name can be, in characters: it heads columns and fits one line.
const MAX_THEME_NAME: usize = 80;

pub(super) fn clean_theme_name(name: &str) -> Result<String> {
    let n = text::clean_note_text(name).replace('\n', " ");
    let n = n.trim().trim_start_matches('#').trim().to_owned();
    if n.is_empty() {
        return Err(StoreError::Unnamed {
            thing: "theme",
            field: "name",
            flag: None,
        });
    }
    if n.chars().count() > MAX_THEME_NAME {
        return Err(StoreError::ThemeNameTooLong(MAX_THEME_NAME));
    }
    Ok(n)
}
