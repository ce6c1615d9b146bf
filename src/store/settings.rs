//! The researcher's own settings, kept in the vault because they can name a person (config.toml
//! is plain text on disk).

use rusqlite::{OptionalExtension, params};

use super::{Result, Store};

impl Store {
    /// A setting's value, if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets (or, with `None`, clears) a setting.
    pub fn setting_set(&self, key: &str, value: Option<&str>) -> Result<()> {
        match value {
            Some(v) => self.conn.execute(
                "INSERT INTO setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, v],
            )?,
            None => self
                .conn
                .execute("DELETE FROM setting WHERE key = ?1", [key])?,
        };
        Ok(())
    }
}
