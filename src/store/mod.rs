//! The vault's database: schema, queries and the rules that keep the data consistent.
//!
//! A [`Store`] wraps an already-keyed SQLCipher connection (opened only by [`crate::vault`]).
//! Every write is one SQLite transaction, so a write is durable when the call returns and a
//! crash at any instant leaves the database at the last committed state.

pub mod audit;
mod codebook;
mod corpus;
mod coverage;
mod disclosures;
mod drafts;
mod error;
mod guides;
mod lists;
mod memos;
mod notes;
mod participants;
mod projects;
mod quotes;
mod recipients;
mod rights;
pub mod schema;
mod search;
mod sessions;
mod settings;
mod tags;
mod themes;

pub use corpus::{CorpusTag, NoteRow};
pub use disclosures::NewDisclosure;
pub use drafts::Draft;
pub use error::{Result, StoreError};
pub use memos::Memo;
pub use notes::NewNote;
pub use participants::NewParticipant;
pub use projects::NewProject;
pub use quotes::QuoteApproval;
pub use rights::{
    ErasureReport, LedgerEntry, NameMatcher, NamedPerson, Restriction, RetentionItem, Rewriter,
    add_months,
};
pub use sessions::NewSession;
pub use tags::TagRow;

use rusqlite::Connection;

/// Current time in Unix milliseconds.
pub fn now_ms() -> i64 {
    let ns = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    i64::try_from(ns / 1_000_000).unwrap_or(i64::MAX)
}

/// Current time as RFC 3339 (UTC, seconds).
pub fn now_rfc3339() -> String {
    let t = time::OffsetDateTime::now_utc();
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

fn blank_to_none(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// The vault's data, over a keyed connection.
pub struct Store {
    conn: Connection,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store")
    }
}

impl Store {
    /// Wraps a keyed connection and brings its schema up to date. Crate-private: the vault is
    /// the only way to a store on disk.
    pub(crate) fn new(mut conn: Connection) -> Result<Self> {
        schema::migrate(&mut conn)?;
        Ok(Self { conn })
    }

    /// A store over a connection that is already at the latest schema and may not be
    /// migrated (a read-only connection beside another process's).
    pub(crate) fn wrap(conn: Connection) -> Self {
        Self { conn }
    }

    /// An empty store held in memory, without a key, for tests and benchmarks outside the
    /// crate: it never touches the disk, and a vault is the only way to open one that does.
    #[doc(hidden)]
    #[allow(clippy::disallowed_methods)]
    pub fn open_in_memory() -> Result<Self> {
        Self::new(Connection::open_in_memory()?)
    }

    /// The underlying connection, for the vault's maintenance work (backup, rekey).
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Gives the connection back (to close it before files are swapped).
    pub(crate) fn into_conn(self) -> Connection {
        self.conn
    }

    /// Runs `PRAGMA integrity_check`; `Ok(())` when the database is sound.
    pub fn integrity_check(&self) -> Result<()> {
        let res: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if res == "ok" {
            Ok(())
        } else {
            Err(StoreError::Damaged(res))
        }
    }

    /// Reads and authenticates every page of the file (SQLCipher's HMAC on each page), then
    /// checks the database's structure. Returns the number of pages checked.
    pub fn verify_pages(&self) -> Result<i64> {
        let mut st = self.conn.prepare("PRAGMA cipher_integrity_check")?;
        let problems: Vec<String> = st
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?;
        if !problems.is_empty() {
            let shown: Vec<&str> = problems.iter().take(3).map(String::as_str).collect();
            return Err(StoreError::Damaged(shown.join("; ")));
        }
        self.integrity_check()?;
        Ok(self.conn.query_row("PRAGMA page_count", [], |r| r.get(0))?)
    }
}
