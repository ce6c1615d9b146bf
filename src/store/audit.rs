//! The audit trail's storage: each event hash-chained to the one before, so that an edited,
//! removed or reordered event shows on verification. The action words and the text form of
//! anchors belong to the audit module above the store, which depends on this one.

use rusqlite::{Connection, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Result, Store, StoreError, now_rfc3339};

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

/// An event whose number and hash are fixed before it is written, so that an output can
/// carry the anchor of its own record: the record is written only once the output is.
#[derive(Debug, Clone)]
pub struct PendingEvent {
    id: i64,
    at: String,
    actor: String,
    action: String,
    detail: String,
    prev: Vec<u8>,
    hash: Vec<u8>,
}

impl PendingEvent {
    /// The anchor this event will have once written.
    pub fn anchor(&self) -> Anchor {
        Anchor {
            id: self.id,
            hash: self.hash.clone(),
        }
    }
}

/// The next event, computed from the trail's head (one writer holds the vault, so the head
/// cannot move before [`commit`]).
pub(crate) fn pending(
    conn: &Connection,
    actor: &str,
    action: &str,
    detail: &str,
) -> Result<PendingEvent> {
    let (id, prev) = match head(conn)? {
        Some(a) => (a.id + 1, a.hash),
        None => (1, vec![0u8; 32]),
    };
    let at = now_rfc3339();
    let hash = chain_hash(&prev, &at, actor, action, detail);
    Ok(PendingEvent {
        id,
        at,
        actor: actor.to_owned(),
        action: action.to_owned(),
        detail: detail.to_owned(),
        prev,
        hash,
    })
}

/// Writes a pending event. Refused if the trail moved since it was computed.
pub(crate) fn commit(conn: &Connection, e: &PendingEvent) -> Result<()> {
    // A savepoint, not a transaction, so an event can join the transaction of the change it
    // records (both land, or neither).
    conn.execute_batch("SAVEPOINT audit_event")?;
    let result = (|| {
        let now = head(conn)?;
        if now.as_ref().map_or(vec![0u8; 32], |a| a.hash.clone()) != e.prev
            || now.map_or(0, |a| a.id) + 1 != e.id
        {
            return Err(StoreError::AuditMoved);
        }
        conn.execute(
            "INSERT INTO audit (id, at, actor, action, detail, prev_hash, hash) VALUES (?1,?2,?3,?4,?5,?6,?7)",
            params![e.id, e.at, e.actor, e.action, e.detail, e.prev, e.hash],
        )?;
        Ok(())
    })();
    match result {
        Ok(()) => conn.execute_batch("RELEASE audit_event")?,
        Err(err) => {
            // the original error is what matters; the savepoint goes either way
            let _ = conn.execute_batch("ROLLBACK TO audit_event; RELEASE audit_event");
            return Err(err);
        }
    }
    Ok(())
}

pub(crate) fn append(conn: &Connection, actor: &str, action: &str, detail: &str) -> Result<()> {
    commit(conn, &pending(conn, actor, action, detail)?)
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

/// The newest event of the trail at some moment: its number and hash. Kept outside the
/// vault (a backup holds one; exports, reports and backups print one), it lets
/// `audit --verify` prove that no event up to it was later removed from the end of the trail,
/// which the chain alone cannot show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// The event's sequence number.
    pub id: i64,
    /// Its chain hash.
    pub hash: Vec<u8>,
}

/// The trail's newest event, if any.
pub(crate) fn head(conn: &Connection) -> Result<Option<Anchor>> {
    let row = conn.query_row(
        "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
        [],
        |r| {
            Ok(Anchor {
                id: r.get(0)?,
                hash: r.get(1)?,
            })
        },
    );
    match row {
        Ok(a) => Ok(Some(a)),
        Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Checks that the trail still holds each anchored event unchanged (the chain itself is
/// checked by [`verify`]). `source` names where each anchor came from, for the message.
pub(crate) fn verify_anchors(conn: &Connection, anchors: &[(Anchor, String)]) -> Result<()> {
    for (a, source) in anchors {
        let stored: Option<Vec<u8>> = conn
            .query_row("SELECT hash FROM audit WHERE id = ?1", [a.id], |r| r.get(0))
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?;
        match stored {
            Some(h) if h == a.hash => {}
            Some(_) => {
                return Err(StoreError::AuditMismatch(format!(
                    "audit event {} differs from the one recorded in {source}: either the trail was rewritten, or the anchor was mistyped or comes from another vault (check it against the file it came from)",
                    a.id
                )));
            }
            None => {
                return Err(StoreError::AuditMismatch(format!(
                    "audit event {} recorded in {source} is no longer in the trail: events were removed from its end (or the anchor comes from another vault)",
                    a.id
                )));
            }
        }
    }
    Ok(())
}

impl Store {
    /// Appends a hash-chained audit event.
    pub fn audit(&self, actor: &str, action: &str, detail: &str) -> Result<()> {
        append(&self.conn, actor, action, detail)
    }

    /// The next audit event, fixed but not yet written (see [`PendingEvent`]).
    pub fn audit_pending(&self, actor: &str, action: &str, detail: &str) -> Result<PendingEvent> {
        pending(&self.conn, actor, action, detail)
    }

    /// Writes an event fixed by [`Store::audit_pending`].
    pub fn audit_commit(&self, event: &PendingEvent) -> Result<()> {
        commit(&self.conn, event)
    }

    /// Every audit event, oldest first.
    pub fn audit_events(&self) -> Result<Vec<Event>> {
        list(&self.conn)
    }

    /// Checks the audit chain; returns the number of events checked.
    pub fn audit_verify(&self) -> Result<usize> {
        verify(&self.conn)
    }

    /// The audit trail's newest event, to be kept outside the vault as an anchor.
    pub fn audit_head(&self) -> Result<Option<Anchor>> {
        head(&self.conn)
    }

    /// Checks the trail still holds each anchored event unchanged.
    pub fn audit_verify_anchors(&self, anchors: &[(Anchor, String)]) -> Result<()> {
        verify_anchors(&self.conn, anchors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::disallowed_methods)]
    fn db() -> Connection {
        let mut c = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&mut c).unwrap();
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
    fn removed_trailing_events_are_found_only_with_an_anchor() {
        let c = db();
        let anchor = head(&c).unwrap().unwrap();
        assert_eq!(anchor.id, 5);
        let text = anchor.to_string();
        assert_eq!(text.parse::<Anchor>().unwrap(), anchor);
        c.execute("DELETE FROM audit WHERE id >= 4", []).unwrap();
        assert_eq!(verify(&c).unwrap(), 3, "the chain alone cannot see it");
        let e = verify_anchors(&c, &[(anchor, "backup.age".into())])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("audit event 5") && e.contains("backup.age"),
            "{e}"
        );
        let earlier = Anchor {
            id: 2,
            hash: c
                .query_row("SELECT hash FROM audit WHERE id = 2", [], |r| r.get(0))
                .unwrap(),
        };
        verify_anchors(&c, &[(earlier, "x".into())]).unwrap();
        assert!("12:zz".parse::<Anchor>().is_err());
    }

    #[test]
    fn a_removed_event_is_found() {
        let c = db();
        c.execute("DELETE FROM audit WHERE id = 2", []).unwrap();
        let e = verify(&c).unwrap_err().to_string();
        assert!(e.contains("audit event 3"), "{e}");
    }
}
