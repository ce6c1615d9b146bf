//! The disclosures log: what a project's team passed to another team or organisation, to
//! whom, on what lawful basis and how (the ICO's data sharing code asks for this record).

use rusqlite::{OptionalExtension, Row, params};

use super::{Result, Store, StoreError, now_rfc3339};
use crate::model::Disclosure;

/// Fields of a disclosure, as recorded or corrected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewDisclosure {
    /// When the data was passed on (YYYY-MM-DD), already checked.
    pub shared_on: String,
    /// The team or organisation it went to.
    pub recipient: String,
    /// What was shared (the categories of data).
    pub what: String,
    /// The lawful basis for sharing it.
    pub lawful_basis: String,
    /// How it was sent.
    pub method: String,
}

impl NewDisclosure {
    /// The fields trimmed; the first one left empty is refused, naming its option.
    fn checked(self) -> Result<Self> {
        let t = |s: String| s.trim().to_owned();
        let d = NewDisclosure {
            shared_on: t(self.shared_on),
            recipient: t(self.recipient),
            what: t(self.what),
            lawful_basis: t(self.lawful_basis),
            method: t(self.method),
        };
        for (value, field, flag) in [
            (&d.shared_on, "date", "--on"),
            (&d.recipient, "recipient", "--to"),
            (&d.what, "description of what was shared", "--what"),
            (&d.lawful_basis, "lawful basis", "--basis"),
            (&d.method, "way it was sent", "--method"),
        ] {
            if value.is_empty() {
                return Err(StoreError::Unnamed {
                    thing: "disclosure",
                    field,
                    flag: Some(flag),
                });
            }
        }
        Ok(d)
    }
}

fn disclosure_from_row(r: &Row<'_>) -> rusqlite::Result<Disclosure> {
    Ok(Disclosure {
        id: r.get(0)?,
        project_id: r.get(1)?,
        shared_on: r.get(2)?,
        recipient: r.get(3)?,
        what: r.get(4)?,
        lawful_basis: r.get(5)?,
        method: r.get(6)?,
        recorded_at: r.get(7)?,
    })
}

const DISCLOSURE_SELECT: &str = "SELECT id, project_id, shared_on, recipient, what,
    lawful_basis, method, recorded_at FROM disclosure";

impl Store {
    /// Records a disclosure in a project's log; returns its id.
    pub fn disclosure_add(&self, project: &str, d: NewDisclosure) -> Result<i64> {
        let pid = self.project_id(project)?;
        let d = d.checked()?;
        self.conn.execute(
            "INSERT INTO disclosure (project_id, shared_on, recipient, what, lawful_basis,
               method, recorded_at) VALUES (?1,?2,?3,?4,?5,?6,?7)",
            params![
                pid,
                d.shared_on,
                d.recipient,
                d.what,
                d.lawful_basis,
                d.method,
                now_rfc3339()
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// A project's disclosures, oldest first (by the day shared, then as recorded).
    pub fn disclosures(&self, project: &str) -> Result<Vec<Disclosure>> {
        let pid = self.project_id(project)?;
        let sql = format!("{DISCLOSURE_SELECT} WHERE project_id = ?1 ORDER BY shared_on, id");
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map([pid], disclosure_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One disclosure of a project.
    pub fn disclosure(&self, project: &str, id: i64) -> Result<Disclosure> {
        let pid = self.project_id(project)?;
        let sql = format!("{DISCLOSURE_SELECT} WHERE id = ?1 AND project_id = ?2");
        self.conn
            .query_row(&sql, params![id, pid], disclosure_from_row)
            .optional()?
            .ok_or(StoreError::NoDisclosure(id))
    }

    /// Corrects a disclosure of a project.
    pub fn disclosure_update(&self, project: &str, id: i64, d: NewDisclosure) -> Result<()> {
        self.disclosure(project, id)?;
        let d = d.checked()?;
        self.conn.execute(
            "UPDATE disclosure SET shared_on = ?2, recipient = ?3, what = ?4, lawful_basis = ?5,
               method = ?6 WHERE id = ?1",
            params![
                id,
                d.shared_on,
                d.recipient,
                d.what,
                d.lawful_basis,
                d.method
            ],
        )?;
        Ok(())
    }

    /// Deletes a disclosure recorded by mistake.
    pub fn disclosure_delete(&self, project: &str, id: i64) -> Result<()> {
        self.disclosure(project, id)?;
        self.conn
            .execute("DELETE FROM disclosure WHERE id = ?1", [id])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewProject;

    fn store() -> Store {
        let s = Store::open_in_memory().unwrap();
        s.project_add(NewProject {
            name: "F2F".into(),
            ..NewProject::default()
        })
        .unwrap();
        s
    }

    fn crm() -> NewDisclosure {
        NewDisclosure {
            shared_on: "2024-05-02".into(),
            recipient: " CRM team ".into(),
            what: "names and visit times of 12 people".into(),
            lawful_basis: "6(1)(e) public task".into(),
            method: "encrypted email".into(),
        }
    }

    #[test]
    fn recorded_listed_corrected_and_deleted() {
        let s = store();
        let id = s.disclosure_add("F2F", crm()).unwrap();
        let list = s.disclosures("F2F").unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].recipient, "CRM team");
        assert_eq!(list[0].what, "names and visit times of 12 people");
        s.disclosure_update(
            "F2F",
            id,
            NewDisclosure {
                method: "secure file transfer".into(),
                ..crm()
            },
        )
        .unwrap();
        assert_eq!(
            s.disclosure("F2F", id).unwrap().method,
            "secure file transfer"
        );
        s.disclosure_delete("F2F", id).unwrap();
        assert!(s.disclosures("F2F").unwrap().is_empty());
        assert!(matches!(
            s.disclosure_delete("F2F", id),
            Err(StoreError::NoDisclosure(_))
        ));
    }

    #[test]
    fn every_field_is_needed() {
        let s = store();
        let e = s
            .disclosure_add(
                "F2F",
                NewDisclosure {
                    method: "  ".into(),
                    ..crm()
                },
            )
            .unwrap_err()
            .to_string();
        assert!(e.contains("--method"), "{e}");
        assert!(s.disclosures("F2F").unwrap().is_empty());
    }
}
