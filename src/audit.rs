//! The audit trail: who opened, changed, exported or erased what, hash-chained so that an
//! edited, removed or reordered event shows on `audit --verify`.
//!
//! Events never carry note text or real names: only ids, counts and actions.

use rusqlite::{Connection, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::store::{Result, StoreError, now_rfc3339};

/// One audit event.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    /// Sequence number.
    pub id: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who: the operating-system user.
    pub actor: String,
    /// What, e.g. `unlock`, `export`, `erase`.
    pub action: String,
    /// Scope and parameters (never personal data).
    pub detail: String,
}

fn chain_hash(prev: &[u8], at: &str, actor: &str, action: &str, detail: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(prev);
    for field in [at, actor, action, detail] {
        h.update((field.len() as u64).to_le_bytes());
        h.update(field.as_bytes());
    }
    h.finalize().to_vec()
}

/// The operating-system user running fieldnotes.
pub fn current_actor() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| {
            // SAFETY: getuid has no preconditions and cannot fail.
            format!("uid {}", unsafe { libc::getuid() })
        })
}

pub(crate) fn append(conn: &Connection, actor: &str, action: &str, detail: &str) -> Result<()> {
    let tx = conn.unchecked_transaction()?;
    let prev: Vec<u8> = tx
        .query_row("SELECT hash FROM audit ORDER BY id DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(vec![0u8; 32]),
            e => Err(e),
        })?;
    let at = now_rfc3339();
    let hash = chain_hash(&prev, &at, actor, action, detail);
    tx.execute(
        "INSERT INTO audit (at, actor, action, detail, prev_hash, hash) VALUES (?1,?2,?3,?4,?5,?6)",
        params![at, actor, action, detail, prev, hash],
    )?;
    tx.commit()?;
    Ok(())
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<Event>> {
    let mut st = conn.prepare("SELECT id, at, actor, action, detail FROM audit ORDER BY id")?;
    let rows = st.query_map([], |r| {
        Ok(Event {
            id: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            detail: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn verify(conn: &Connection) -> Result<usize> {
    let mut st = conn
        .prepare("SELECT id, at, actor, action, detail, prev_hash, hash FROM audit ORDER BY id")?;
    let mut rows = st.query([])?;
    let mut prev = vec![0u8; 32];
    let mut count = 0;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let (at, actor, action, detail): (String, String, String, String) =
            (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        let (stored_prev, stored): (Vec<u8>, Vec<u8>) = (r.get(5)?, r.get(6)?);
        if stored_prev != prev || stored != chain_hash(&prev, &at, &actor, &action, &detail) {
            return Err(StoreError::Damaged(format!(
                "audit event {id} was altered, or an event before it was removed"
            )));
        }
        prev = stored;
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        let mut c = Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&mut c).unwrap();
        for i in 0..5 {
            append(&c, "amira", "export", &format!("project 1, event {i}")).unwrap();
        }
        c
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify(&db()).unwrap(), 5);
    }

    #[test]
    fn an_edited_event_is_found() {
        let c = db();
        c.execute(
            "UPDATE audit SET detail = 'nothing happened' WHERE id = 3",
            [],
        )
        .unwrap();
        let e = verify(&c).unwrap_err().to_string();
        assert!(e.contains("audit event 3"), "{e}");
    }

    #[test]
    fn a_removed_event_is_found() {
        let c = db();
        c.execute("DELETE FROM audit WHERE id = 2", []).unwrap();
        let e = verify(&c).unwrap_err().to_string();
        assert!(e.contains("audit event 3"), "{e}");
    }
}
