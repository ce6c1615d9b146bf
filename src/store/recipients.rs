//! Key recipients: the researchers the database key is wrapped to.

use rusqlite::params;

use super::{Result, Store, now_rfc3339};

const INSERT_RECIPIENT: &str =
    "INSERT INTO key_recipient (name, public_key, added_at) VALUES (?1, ?2, ?3)";

impl Store {
    /// Lists a recipient and audits it, in one transaction.
    pub(crate) fn recipient_insert(&self, name: &str, public_key: &str, actor: &str) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(INSERT_RECIPIENT, params![name, public_key, now_rfc3339()])?;
        super::audit::append(&tx, actor, "recipient add", &format!("recipient {name}"))?;
        tx.commit()?;
        Ok(())
    }

    /// Unlists a recipient and audits the removal and key rotation, in one transaction.
    pub(crate) fn recipient_delete(&self, name: &str, actor: &str) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute("DELETE FROM key_recipient WHERE name = ?1", [name])?;
        super::audit::append(
            &tx,
            actor,
            "recipient remove",
            &format!("recipient {name}; database key rotated"),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every recipient row: (name, age public key, added at).
    pub(crate) fn recipient_rows(&self) -> Result<Vec<(String, String, String)>> {
        let mut st = self
            .conn
            .prepare("SELECT name, public_key, added_at FROM key_recipient ORDER BY name")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Replaces the recipient list (a restore keeps the live vault's list, not the backup's).
    pub(crate) fn set_recipient_rows(&self, rows: &[(String, String, String)]) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute("DELETE FROM key_recipient", [])?;
        for (name, key, at) in rows {
            tx.execute(INSERT_RECIPIENT, params![name, key, at])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Recipients the key is wrapped to: (name, age public key).
    pub fn recipients(&self) -> Result<Vec<(String, String)>> {
        let mut st = self
            .conn
            .prepare("SELECT name, public_key FROM key_recipient ORDER BY name")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
