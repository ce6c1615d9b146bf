//! Projects: the record of each study and the lookup every other concept starts from.

use rusqlite::OptionalExtension;

use super::error::no_project;
use super::{Result, Store, StoreError, blank_to_none, now_rfc3339};
use crate::model::Project;

/// Fields of a new project.
#[derive(Debug, Clone, Default)]
pub struct NewProject {
    /// Unique name.
    pub name: String,
    /// Purpose.
    pub purpose: Option<String>,
    /// Article 6 basis.
    pub lawful_basis: Option<String>,
    /// Article 9 condition.
    pub special_category_condition: Option<String>,
    /// Schedule 1 condition.
    pub schedule1_condition: Option<String>,
    /// Article 10 basis.
    pub criminal_offence_basis: Option<String>,
    /// DPIA reference.
    pub dpia_ref: Option<String>,
    /// Data controller.
    pub controller: Option<String>,
    /// Retention in months.
    pub retention_months: Option<u32>,
}

impl Store {
    /// Creates a project; returns its id.
    pub fn project_add(&self, p: NewProject) -> Result<i64> {
        let name = p.name.trim();
        if name.is_empty() {
            return Err(StoreError::Unnamed {
                thing: "project",
                field: "name",
                flag: None,
            });
        }
        if self.find_project_id(name)?.is_some() {
            return Err(StoreError::Duplicate(format!(
                "a project named '{name}' already exists"
            )));
        }
        self.conn.execute(
            "INSERT INTO project (name, purpose, lawful_basis, special_category_condition,
               schedule1_condition, criminal_offence_basis, dpia_ref, controller,
               retention_months, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
            rusqlite::params_from_iter(
                std::iter::once(rusqlite::types::Value::from(name.to_owned()))
                    .chain(project_columns(p))
                    .chain(std::iter::once(now_rfc3339().into())),
            ),
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Changes a project's record (its name too).
    pub fn project_update(&self, current_name: &str, p: NewProject) -> Result<()> {
        let id = self.project_id(current_name)?;
        let name = p.name.trim();
        if name.is_empty() {
            return Err(StoreError::Unnamed {
                thing: "project",
                field: "name",
                flag: None,
            });
        }
        if name != current_name.trim() && self.find_project_id(name)?.is_some() {
            return Err(StoreError::Duplicate(format!(
                "a project named '{name}' already exists"
            )));
        }
        self.conn.execute(
            "UPDATE project SET name = ?2, purpose = ?3, lawful_basis = ?4,
               special_category_condition = ?5, schedule1_condition = ?6,
               criminal_offence_basis = ?7, dpia_ref = ?8, controller = ?9,
               retention_months = ?10 WHERE id = ?1",
            rusqlite::params_from_iter(
                [id.into(), rusqlite::types::Value::from(name.to_owned())]
                    .into_iter()
                    .chain(project_columns(p)),
            ),
        )?;
        Ok(())
    }

    /// The id of the project named `name`; a "no project named …" error when there is none.
    /// Every concept that takes a project by name starts here.
    pub(super) fn project_id(&self, name: &str) -> Result<i64> {
        self.find_project_id(name)?.ok_or_else(|| no_project(name))
    }

    fn find_project_id(&self, name: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM project WHERE name = ?1",
                [name.trim()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Every project, by name.
    pub fn projects(&self) -> Result<Vec<Project>> {
        let mut st = self.conn.prepare(
            "SELECT id, name, purpose, lawful_basis, special_category_condition,
               schedule1_condition, criminal_offence_basis, dpia_ref, controller,
               retention_months, created_at FROM project ORDER BY name COLLATE NOCASE",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Project {
                id: r.get(0)?,
                name: r.get(1)?,
                purpose: r.get(2)?,
                lawful_basis: r.get(3)?,
                special_category_condition: r.get(4)?,
                schedule1_condition: r.get(5)?,
                criminal_offence_basis: r.get(6)?,
                dpia_ref: r.get(7)?,
                controller: r.get(8)?,
                retention_months: r.get(9)?,
                created_at: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One project by name.
    pub fn project(&self, name: &str) -> Result<Project> {
        self.projects()?
            .into_iter()
            .find(|p| p.name == name.trim())
            .ok_or_else(|| no_project(name))
    }

    /// The project a command means: the one named, or the only one when none is named.
    pub fn resolve_project(&self, name: Option<&str>) -> Result<Project> {
        match name {
            Some(n) => self.project(n),
            None => {
                let mut all = self.projects()?;
                match all.len() {
                    1 => Ok(all.remove(0)),
                    0 => Err(StoreError::NoProjectYet),
                    _ => Err(StoreError::WhichProject),
                }
            }
        }
    }
}

/// A project's optional fields, in the column order insert and update share: purpose,
/// lawful basis, Art. 9, Schedule 1, Art. 10, DPIA, controller, retention.
fn project_columns(p: NewProject) -> Vec<rusqlite::types::Value> {
    let texts = [
        p.purpose,
        p.lawful_basis,
        p.special_category_condition,
        p.schedule1_condition,
        p.criminal_offence_basis,
        p.dpia_ref,
        p.controller,
    ];
    let mut v: Vec<rusqlite::types::Value> =
        texts.into_iter().map(|t| blank_to_none(t).into()).collect();
    v.push(p.retention_months.map(i64::from).into());
    v
}
