//! Row versions on the wire, and the merge rule, on SQLite's session extension.
//!
//! A bundle's rows are a changeset of one table, `version(uid, tbl, rev, rev_by, body)`,
//! written by a session on an in-memory database. The receiver loads the versions it already
//! knows into the same table and applies the changeset with a conflict handler: a row both
//! sides have is replaced only by a later version (`rev`, then `rev_by` to break a tie), so
//! every vault that has seen the same versions holds the same rows, whatever the order they
//! came in and however often. The versions that won, and only those, are written into the
//! vault.

use std::sync::{Arc, Mutex};

use rusqlite::session::{ConflictAction, ConflictType, Session};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, params};

/// One version of one row: its body, or `None` when the row was deleted (a tombstone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Version {
    pub uid: String,
    pub table: String,
    /// When it was made: milliseconds, kept ahead of every earlier version of the row.
    pub rev: i64,
    /// The member who made it.
    pub rev_by: String,
    /// The version it was made from (its `rev`; 0 for a new row): two versions neither of
    /// which was made from the other are concurrent edits, a conflict.
    pub base: i64,
    pub body: Option<String>,
}

impl Version {
    /// A version read from a row of `uid, tbl, rev, rev_by, base, body`.
    pub(crate) fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Version {
            uid: r.get(0)?,
            table: r.get(1)?,
            rev: r.get(2)?,
            rev_by: r.get(3)?,
            base: r.get(4)?,
            body: r.get(5)?,
        })
    }

    /// Whether neither version was made from the other: two members edited the same row.
    pub fn concurrent_with(&self, other: &Version) -> bool {
        self.rev != other.rev && self.base < other.rev && other.base < self.rev
    }

    /// Whether this version wins over `other` (the later one; the member id breaks a tie).
    pub fn beats(&self, other: &Version) -> bool {
        (self.rev, &self.rev_by) > (other.rev, &other.rev_by)
    }
}

/// Remembers `v` as this vault's version of its row, with the hash of the row's body here
/// (`None`: deleted here).
pub(crate) fn remember(
    c: &Connection,
    project: i64,
    v: &Version,
    hash: Option<&[u8]>,
) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT OR REPLACE INTO team_row (uid, tbl, project_id, rev, rev_by, base, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        v.uid, v.table, project, v.rev, v.rev_by, v.base, hash
    ])?;
    Ok(())
}

const TABLE: &str = "CREATE TABLE version (
    uid TEXT PRIMARY KEY, tbl TEXT NOT NULL, rev INTEGER NOT NULL, rev_by TEXT NOT NULL,
    base INTEGER NOT NULL, body TEXT
)";

#[allow(clippy::disallowed_methods)] // a scratch table in memory, never on disk
fn scratch() -> rusqlite::Result<Connection> {
    let c = Connection::open_in_memory()?;
    // nothing of it may reach a temporary file
    c.execute_batch("PRAGMA temp_store = MEMORY;")?;
    c.execute_batch(TABLE)?;
    Ok(c)
}

fn insert(c: &Connection, v: &Version) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO version (uid, tbl, rev, rev_by, base, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![v.uid, v.table, v.rev, v.rev_by, v.base, v.body],
    )?;
    Ok(())
}

/// The versions as a changeset (the bytes a bundle carries).
pub(crate) fn encode(versions: &[Version]) -> rusqlite::Result<Vec<u8>> {
    let c = scratch()?;
    let mut out = Vec::new();
    {
        let mut s = Session::new(&c)?;
        s.attach(Some("version"))?;
        let tx = c.unchecked_transaction()?;
        for v in versions {
            insert(&c, v)?;
        }
        tx.commit()?;
        s.changeset_strm(&mut out)?;
    }
    Ok(out)
}

/// What merging a changeset into what this vault knows decided.
#[derive(Debug, Default)]
pub(crate) struct Merged {
    /// Versions that are new here or later than what is here: to write into the vault.
    pub won: Vec<Version>,
    /// Versions older than (or the same as) what is here.
    pub lost: usize,
}

fn text(v: ValueRef<'_>) -> String {
    match v {
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        _ => String::new(),
    }
}

/// Merges `changeset` into `known` (this vault's current versions of the same rows).
pub(crate) fn merge(known: &[Version], changeset: &[u8]) -> rusqlite::Result<Merged> {
    let c = scratch()?;
    {
        let tx = c.unchecked_transaction()?;
        for v in known {
            insert(&c, v)?;
        }
        tx.commit()?;
    }
    let lost = Arc::new(Mutex::new(0usize));
    let counter = Arc::clone(&lost);
    let mut input: &[u8] = changeset;
    c.apply_strm(&mut input, None::<fn(&str) -> bool>, move |kind, item| {
        let later = || -> rusqlite::Result<bool> {
            let new = (item.new_value(2)?.as_i64()?, text(item.new_value(3)?));
            let here = (item.conflict(2)?.as_i64()?, text(item.conflict(3)?));
            Ok(new > here)
        };
        match kind {
            ConflictType::SQLITE_CHANGESET_CONFLICT if later().unwrap_or(false) => {
                ConflictAction::SQLITE_CHANGESET_REPLACE
            }
            _ => {
                if let Ok(mut n) = counter.lock() {
                    *n += 1;
                }
                ConflictAction::SQLITE_CHANGESET_OMIT
            }
        }
    })?;
    // what the handler let in: every version not as it was before
    let before: std::collections::HashMap<&str, (i64, &str)> = known
        .iter()
        .map(|v| (v.uid.as_str(), (v.rev, v.rev_by.as_str())))
        .collect();
    let won = all(&c)?
        .into_iter()
        .filter(|v| before.get(v.uid.as_str()) != Some(&(v.rev, v.rev_by.as_str())))
        .collect();
    let lost = lost.lock().map(|n| *n).unwrap_or(0);
    Ok(Merged { won, lost })
}

fn all(c: &Connection) -> rusqlite::Result<Vec<Version>> {
    let mut st = c.prepare("SELECT uid, tbl, rev, rev_by, base, body FROM version")?;
    st.query_map([], Version::from_row)?.collect()
}

/// Reads the versions a changeset carries (to check and count them before merging).
pub(crate) fn decode(changeset: &[u8]) -> rusqlite::Result<Vec<Version>> {
    let c = scratch()?;
    let mut input: &[u8] = changeset;
    c.apply_strm(&mut input, None::<fn(&str) -> bool>, |_, _| {
        ConflictAction::SQLITE_CHANGESET_ABORT
    })?;
    all(&c)
}
