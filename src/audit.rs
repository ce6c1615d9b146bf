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

/// What an audit event records. The trail stores [`Action::as_str`], and these words are the
/// ones the trail has always used, so events written before the enum read the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// The vault was created.
    Init,
    /// The vault was opened in the full-screen app.
    Unlock,
    /// An interrupted key change or damaged log was recovered on opening.
    Recovery,
    /// Every page was read and authenticated.
    Check,
    /// The trail itself was listed.
    AuditView,
    /// Text from standard input was anonymised with a project's registry.
    Redact,
    /// The vault key was re-wrapped to a new passphrase.
    PassphraseChange,
    /// The key was wrapped to a new recipient.
    RecipientAdd,
    /// A recipient was removed and the key rotated.
    RecipientRemove,
    /// A backup was written.
    Backup,
    /// The vault was restored from a backup.
    Restore,
    /// A project was created.
    ProjectAdd,
    /// A project's record changed.
    ProjectEdit,
    /// A phrase went on (or off) a project's allow or deny list.
    AnonymiserList,
    /// A session was created.
    SessionAdd,
    /// A session's record changed.
    SessionEdit,
    /// A paper original was recorded as destroyed.
    PaperDestroyed,
    /// A participant was registered in a session.
    ParticipantAdd,
    /// A person mentioned (not a participant) was registered.
    PersonAdd,
    /// A theme was renamed.
    ThemeRename,
    /// A theme was merged into another.
    ThemeMerge,
    /// A theme was deleted with its tags.
    ThemeDelete,
    /// Sessions past their retention date were erased.
    Retention,
    /// Something was erased on request.
    Erase,
    /// A participant withdrew.
    Withdraw,
    /// A participant's data was restricted.
    Restrict,
    /// A restriction was lifted.
    Unrestrict,
    /// A subject access report was written.
    SubjectAccess,
    /// A subject access report was refused by the leak guard.
    SubjectAccessRefused,
    /// An anonymised export was written.
    Export,
    /// An export was refused by the leak guard.
    ExportRefused,
    /// A record of processing was written.
    Report,
    /// Analysis views were read.
    Analysis,
}

impl Action {
    /// Every action, for checks that the words stay distinct.
    pub const ALL: [Action; 33] = [
        Action::Init,
        Action::Unlock,
        Action::Recovery,
        Action::Check,
        Action::AuditView,
        Action::Redact,
        Action::PassphraseChange,
        Action::RecipientAdd,
        Action::RecipientRemove,
        Action::Backup,
        Action::Restore,
        Action::ProjectAdd,
        Action::ProjectEdit,
        Action::AnonymiserList,
        Action::SessionAdd,
        Action::SessionEdit,
        Action::PaperDestroyed,
        Action::ParticipantAdd,
        Action::PersonAdd,
        Action::ThemeRename,
        Action::ThemeMerge,
        Action::ThemeDelete,
        Action::Retention,
        Action::Erase,
        Action::Withdraw,
        Action::Restrict,
        Action::Unrestrict,
        Action::SubjectAccess,
        Action::SubjectAccessRefused,
        Action::Export,
        Action::ExportRefused,
        Action::Report,
        Action::Analysis,
    ];

    /// The word stored in the trail.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Init => "init",
            Action::Unlock => "unlock",
            Action::Recovery => "recovery",
            Action::Check => "check",
            Action::AuditView => "audit view",
            Action::Redact => "redact",
            Action::PassphraseChange => "passphrase change",
            Action::RecipientAdd => "recipient add",
            Action::RecipientRemove => "recipient remove",
            Action::Backup => "backup",
            Action::Restore => "restore",
            Action::ProjectAdd => "project add",
            Action::ProjectEdit => "project edit",
            Action::AnonymiserList => "anonymiser list",
            Action::SessionAdd => "session add",
            Action::SessionEdit => "session edit",
            Action::PaperDestroyed => "paper destroyed",
            Action::ParticipantAdd => "participant add",
            Action::PersonAdd => "person add",
            Action::ThemeRename => "theme rename",
            Action::ThemeMerge => "theme merge",
            Action::ThemeDelete => "theme delete",
            Action::Retention => "retention",
            Action::Erase => "erase",
            Action::Withdraw => "withdraw",
            Action::Restrict => "restrict",
            Action::Unrestrict => "unrestrict",
            Action::SubjectAccess => "subject access",
            Action::SubjectAccessRefused => "subject access refused",
            Action::Export => "export",
            Action::ExportRefused => "export refused",
            Action::Report => "report",
            Action::Analysis => "analysis",
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
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
            return Err(StoreError::Invalid(
                "the audit trail changed while an event was being prepared: try again".into(),
            ));
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

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:", self.id)?;
        self.hash.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl std::str::FromStr for Anchor {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let bad = || {
            format!(
                "'{s}' is not an audit anchor: it looks like 42:9f86d081… (event number, colon, 64 hex digits)"
            )
        };
        let (id, hex) = s.trim().split_once(':').ok_or_else(bad)?;
        let id: i64 = id.parse().map_err(|_| bad())?;
        if hex.len() != 64 || !hex.is_ascii() {
            return Err(bad());
        }
        let hash = (0..32)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16))
            .collect::<std::result::Result<Vec<u8>, _>>()
            .map_err(|_| bad())?;
        Ok(Anchor { id, hash })
    }
}

/// The sentence an output carries about its anchor.
pub fn anchor_sentence(anchor: &str) -> String {
    format!(
        "Audit anchor {anchor}: `fieldnotes audit --verify --anchor {anchor}` proves that no event of the vault's audit trail up to the making of this file was later removed or altered."
    )
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
    fn action_words_are_distinct_and_unchanged() {
        let words: std::collections::HashSet<_> = Action::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(words.len(), Action::ALL.len());
        assert_eq!(Action::ThemeMerge.as_str(), "theme merge");
        assert_eq!(Action::AnonymiserList.to_string(), "anonymiser list");
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
