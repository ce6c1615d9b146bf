//! Team work: several researchers' vaults feeding one project through encrypted bundles.
//!
//! Each vault sends the rows of a project it changed since its last bundle, as versions
//! (`merge`) in a bundle encrypted to the project's members (`bundle`). Rows travel under
//! identities that never collide across vaults (`rows`); which tables travel, and how, is in
//! `spec`. A receiving vault keeps, for each row, the latest version it has seen, so bundles
//! can come in any order and any number of times. Erasures travel as the ledger's entries,
//! never as the erased data, and are applied on receipt.
//!
//! What never travels: the audit trail, drafts, the vault's keys and recipients, settings.

pub mod bundle;
mod conflicts;
mod erasures;
mod members;
mod merge;
mod receive;
mod rows;
mod send;
mod spec;
mod waiting;

pub use members::{Member, Role, add_member, init, members, remove_member};
pub use receive::{Incoming, receive, receive_recorded};
pub use send::{Outgoing, send, send_recorded};

use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::store::{Store, StoreError};
use crate::text;
use crate::vault::keys::Recipient;

/// Why team work failed, and what to do.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The project is not shared with a team.
    #[error(
        "project '{}' is not a team project: its lead runs `fieldnotes team init` on it, and members join from the lead's first bundle",
        text::for_terminal(.0, false)
    )]
    NotATeam(String),
    /// Only the lead may change the team.
    #[error("only the project's lead ({}) can add or remove members", text::for_terminal(.0, false))]
    NotLead(String),
    /// No such member.
    #[error(
        "no member '{}' in this project's team: see `fieldnotes team members`",
        text::for_terminal(.0, false)
    )]
    NoMember(String),
    /// A member with that key is already in the team.
    #[error("{} is already a member of this team, with that key", text::for_terminal(.0, false))]
    AlreadyMember(String),
    /// This vault was removed from the team.
    #[error(
        "this vault was removed from the team of project '{}': it can no longer send bundles for it",
        text::for_terminal(.0, false)
    )]
    Removed(String),
    /// The bundle is not encrypted to this vault.
    #[error(
        "this bundle is not addressed to this vault: it was encrypted to the project's members when it was sent, and this vault's team key is not among them. Check `fieldnotes team id` is the key your lead added; if it was, ask them for a new bundle"
    )]
    NotForUs,
    /// The file could not be decrypted or read as a bundle.
    #[error(
        "this file is damaged, cut short or altered ({0}): nothing was applied. Copy the bundle again from where it was shared"
    )]
    Damaged(String),
    /// A file larger than a bundle can be, or than this process may hold.
    #[error(
        "this file is {0} MB: larger than any bundle, or than this process may hold in memory (ulimit -v). Nothing was applied"
    )]
    TooLarge(u64),
    /// A newer format.
    #[error("{0}")]
    Format(#[from] bundle::FormatError),
    /// Decrypted, but not signed with the project's team key.
    #[error(
        "this bundle says it is from {} but is not signed with the team's key: it was altered or made by someone outside the team. Nothing was applied",
        text::for_terminal(.0, false)
    )]
    Forged(String),
    /// From someone not (or no longer) in the team.
    #[error(
        "this bundle is from {}, who {}: nothing was applied",
        text::for_terminal(.name, false),
        match .removed_on { Some(d) => format!("was removed from the team on {d}"), None => "is not a member of this team".into() }
    )]
    NotAMember {
        /// Who it says it is from.
        name: String,
        /// When they were removed, if they were.
        removed_on: Option<String>,
    },
    /// A bundle for a project this vault has not joined.
    #[error(
        "this bundle invites you to project '{}' from {}, whose member id is {member}. Check with them that `fieldnotes team members` shows that id on their laptop (anyone who knows your team key can make an invitation); if it does, run the same command with --join",
        text::for_terminal(.project, false),
        text::for_terminal(.from, false)
    )]
    Invitation {
        /// The project's name.
        project: String,
        /// Who sent it.
        from: String,
        /// The sender's member id (from their key), to check with them.
        member: String,
    },
    /// Joining needs a whole-project bundle.
    #[error(
        "this bundle holds only changes to project '{}', which this vault has not joined: ask the project's lead to add your key (`fieldnotes team id`) and send a bundle",
        text::for_terminal(.0, false)
    )]
    NotInvited(String),
    /// A bundle came before an earlier one from the same member.
    #[error(
        "this is bundle {got} from {}, but bundle {missing} from them has not been received here yet: receive it first (both can be given at once, in any order). Nothing was applied; this file can be received again later",
        text::for_terminal(.from, false)
    )]
    Gap {
        /// Who sent it.
        from: String,
        /// The first bundle missing.
        missing: u64,
        /// This bundle's number.
        got: u64,
    },
    /// A bundle could not be written.
    #[error("could not write the bundle to {}: {source}. Nothing was recorded as sent", .path.display())]
    Write {
        /// Where.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A bundle could not be read.
    #[error("could not read {}: {source}", .path.display())]
    Read {
        /// Where.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl From<rusqlite::Error> for TeamError {
    fn from(e: rusqlite::Error) -> Self {
        TeamError::Store(StoreError::from(e))
    }
}

/// Team results.
pub type Result<T> = std::result::Result<T, TeamError>;

const IDENTITY: &str = "team identity";

/// This vault's own team key: its secret opens bundles sent to it; its public key is what a
/// lead adds. Made the first time it is needed and kept inside the vault.
pub struct Me {
    /// This vault's member id (from its public key).
    pub member: String,
    /// The public key, `age1…`.
    pub public_key: String,
    identity: age::x25519::Identity,
}

impl std::fmt::Debug for Me {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Me")
            .field("member", &self.member)
            .field("public_key", &self.public_key)
            .finish_non_exhaustive()
    }
}

/// This vault's team key, if it has one yet.
fn known_me(store: &Store) -> Result<Option<Me>> {
    let stored = store.setting(IDENTITY)?.map(Zeroizing::new);
    Ok(stored
        .as_ref()
        .and_then(|s| s.trim().parse::<age::x25519::Identity>().ok())
        .map(Me::from))
}

impl From<age::x25519::Identity> for Me {
    fn from(identity: age::x25519::Identity) -> Self {
        let public_key = identity.to_public().to_string();
        Me {
            member: member_id(&public_key),
            public_key,
            identity,
        }
    }
}

/// This vault's team key, made on first use.
pub fn me(store: &Store) -> Result<Me> {
    use age::secrecy::ExposeSecret;
    if let Some(me) = known_me(store)? {
        return Ok(me);
    }
    let identity = age::x25519::Identity::generate();
    let secret = Zeroizing::new(identity.to_string().expose_secret().to_owned());
    store.setting_set(IDENTITY, Some(&secret))?;
    Ok(Me::from(identity))
}

impl Me {
    fn identity(&self) -> crate::vault::keys::Identity {
        self.identity.clone().into()
    }
}

/// A member's id: the same for their key in every vault.
pub fn member_id(public_key: &str) -> String {
    let d = Sha256::digest(public_key.trim().as_bytes());
    d[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// A project's team state, if it is a team project.
fn team_of(store: &Store, project: &str) -> Result<(i64, String)> {
    let p = store.project(project)?;
    let uid: Option<String> = store
        .conn()
        .query_row(
            "SELECT p.uid FROM team t JOIN project p ON p.id = t.project_id WHERE t.project_id = ?1",
            [p.id],
            |r| r.get(0),
        )
        .optional()?;
    match uid {
        Some(u) => Ok((p.id, u)),
        None => Err(TeamError::NotATeam(p.name)),
    }
}

/// Parses a member's public key.
pub fn parse_key(key: &str) -> std::result::Result<Recipient, crate::vault::keys::NotARecipient> {
    key.parse()
}

/// What is waiting to be sent and what was received, for one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The project.
    pub project: String,
    /// Bundles this vault has sent.
    pub sent: u64,
    /// Rows changed here since the last bundle (new, edited or deleted).
    pub waiting: usize,
    /// Whether the next bundle holds the whole project (a member was added).
    pub full_next: bool,
    /// Per member: name, last bundle received from them, and when.
    pub received: Vec<(String, u64, String)>,
    /// Edits kept here that clashed with another member's.
    pub conflicts: Vec<Conflict>,
}

/// An edit of the same row in two vaults: this vault kept one, and shows the other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// What kind of row (`theme`, `memo`, …).
    pub table: String,
    /// The value kept here (the row's fields, JSON).
    pub kept: String,
    /// The other member's value.
    pub other: String,
    /// Who made the other value.
    pub other_by: String,
    /// When the clash was found.
    pub at: String,
}

/// Who typed a note's session, when it was another member's vault: such a note arrives in
/// their bundles, so only they change it (it can be tagged, quoted and exported here).
pub fn typed_elsewhere(store: &Store, note_id: i64) -> Result<Option<String>> {
    // a vault that never worked in a team has no key, and every note is its own
    let Some(me) = known_me(store)? else {
        return Ok(None);
    };
    Ok(store
        .conn()
        .query_row(
            "SELECT ifnull(m.name, r.rev_by) FROM note n JOIN session s ON s.id = n.session_id
             JOIN team_row r ON r.uid = s.uid
             LEFT JOIN team_member m ON m.project_id = s.project_id AND m.member = r.rev_by
             WHERE n.id = ?1 AND r.rev_by != ?2",
            rusqlite::params![note_id, me.member],
            |r| r.get(0),
        )
        .optional()?)
}

/// What is waiting and what came in, for one project.
pub fn status(store: &Store, project: &str) -> Result<Status> {
    let (pid, _) = team_of(store, project)?;
    let c = store.conn();
    let (sent, full_next): (i64, bool) = c.query_row(
        "SELECT sent_seq, full_next FROM team WHERE project_id = ?1",
        [pid],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let waiting = send::changed_rows(store, pid)?;
    let received = {
        let mut st = c.prepare(
            "SELECT ifnull(m.name, p.member), p.seq, p.received_at FROM team_peer p
             LEFT JOIN team_member m ON m.project_id = p.project_id AND m.member = p.member
             WHERE p.project_id = ?1 ORDER BY 1",
        )?;
        st.query_map([pid], |r| {
            Ok((r.get(0)?, r.get::<_, i64>(1)? as u64, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?
    };
    let conflicts = {
        let mut st = c.prepare(
            "SELECT tbl, kept, other, ifnull(m.name, c.other_by), c.at FROM team_conflict c
             LEFT JOIN team_member m ON m.project_id = c.project_id AND m.member = c.other_by
             WHERE c.project_id = ?1 ORDER BY c.id",
        )?;
        st.query_map([pid], |r| {
            Ok(Conflict {
                table: r.get(0)?,
                kept: r.get(1)?,
                other: r.get(2)?,
                other_by: r.get(3)?,
                at: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?
    };
    Ok(Status {
        project: project.to_owned(),
        sent: sent as u64,
        waiting,
        full_next,
        received,
        conflicts,
    })
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod prop;

#[cfg(test)]
mod tests_interview;
