//! A project's team: its lead and members, each known by an age public key.

use rusqlite::{OptionalExtension, params};
use zeroize::Zeroizing;

use super::{Me, Result, TeamError, me, member_id, rows, team_of};
use crate::store::{Store, StoreError, now_rfc3339};
use crate::vault::keys::Recipient;

/// What a member may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Adds and removes members; holds the team's keys.
    Lead,
    /// Sends and receives.
    Member,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Lead => "lead",
            Role::Member => "member",
        }
    }
}

/// One member of a project's team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Their name, as the lead wrote it.
    pub name: String,
    /// Their member id (from their key).
    pub member: String,
    /// Their public key.
    pub public_key: String,
    /// Lead or member.
    pub role: Role,
    /// When they were added (RFC 3339).
    pub added_at: String,
    /// When they were removed (`YYYY-MM-DD`), if they were.
    pub removed_on: Option<String>,
}

fn member_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Member> {
    let role: String = r.get(3)?;
    Ok(Member {
        name: r.get(0)?,
        member: r.get(1)?,
        public_key: r.get(2)?,
        role: if role == "lead" {
            Role::Lead
        } else {
            Role::Member
        },
        added_at: r.get(4)?,
        removed_on: r.get(5)?,
    })
}

const COLUMNS: &str = "name, member, public_key, role, added_at, removed_at";

/// Every member of the project's team, the lead first, removed members included.
pub fn members(store: &Store, project: &str) -> Result<Vec<Member>> {
    let (pid, _) = team_of(store, project)?;
    members_of(store, pid)
}

pub(super) fn members_of(store: &Store, pid: i64) -> Result<Vec<Member>> {
    let mut st = store.conn().prepare(&format!(
        "SELECT {COLUMNS} FROM team_member WHERE project_id = ?1 ORDER BY role = 'member', added_at, name"
    ))?;
    Ok(st
        .query_map([pid], member_row)?
        .collect::<rusqlite::Result<_>>()?)
}

fn random_key() -> Result<Zeroizing<Vec<u8>>> {
    let mut k = Zeroizing::new(vec![0u8; 32]);
    getrandom::fill(&mut k)
        .map_err(|e| TeamError::Store(StoreError::NotFound(format!("no randomness: {e}"))))?;
    Ok(k)
}

/// Makes a project a team project led by this vault, whose researcher is `my_name`.
/// Doing it again changes nothing and returns the lead.
pub fn init(store: &Store, project: &str, my_name: &str) -> Result<Member> {
    let p = store.project(project)?;
    let me = me(store)?;
    if let Ok((pid, _)) = team_of(store, project) {
        return lead_of(store, pid);
    }
    let c = store.conn();
    let tx = c.unchecked_transaction()?;
    rows::assign_uids(c, p.id)?;
    c.execute(
        "INSERT INTO team (project_id, sent_seq, full_next, joined_at, pseudonym_prefix)
         VALUES (?1, 0, 1, ?2, '1')",
        params![p.id, now_rfc3339()],
    )?;
    c.execute(
        "INSERT INTO team_key (project_id, epoch, key) VALUES (?1, 1, ?2)",
        params![p.id, &random_key()?[..]],
    )?;
    insert_member(store, p.id, &me.public_key, my_name, Role::Lead)?;
    rows::assign_uids(c, p.id)?;
    tx.commit()?;
    lead_of(store, p.id)
}

fn insert_member(store: &Store, pid: i64, key: &str, name: &str, role: Role) -> Result<()> {
    store.conn().execute(
        "INSERT INTO team_member (project_id, member, name, public_key, role, number, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5,
                 (SELECT ifnull(max(number), 0) + 1 FROM team_member WHERE project_id = ?1), ?6)",
        params![
            pid,
            member_id(key),
            name.trim(),
            key.trim(),
            role.as_str(),
            now_rfc3339()
        ],
    )?;
    Ok(())
}

fn lead_of(store: &Store, pid: i64) -> Result<Member> {
    members_of(store, pid)?
        .into_iter()
        .find(|m| m.role == Role::Lead)
        .ok_or_else(|| TeamError::NoMember("the lead".into()))
}

/// Refuses unless this vault leads the project.
fn check_lead(store: &Store, pid: i64, me: &Me) -> Result<()> {
    let lead = lead_of(store, pid)?;
    if lead.member != me.member {
        return Err(TeamError::NotLead(lead.name));
    }
    Ok(())
}

/// Adds a member by their public key (lead only). Their first bundle from this vault holds
/// the whole project.
pub fn add_member(store: &Store, project: &str, name: &str, key: &Recipient) -> Result<Member> {
    let (pid, _) = team_of(store, project)?;
    let me = me(store)?;
    check_lead(store, pid, &me)?;
    let key = key.to_string();
    let id = member_id(&key);
    let existing: Option<Option<String>> = store
        .conn()
        .query_row(
            "SELECT removed_at FROM team_member WHERE project_id = ?1 AND member = ?2",
            params![pid, id],
            |r| r.get(0),
        )
        .optional()?;
    let tx = store.conn().unchecked_transaction()?;
    match existing {
        Some(None) => return Err(TeamError::AlreadyMember(name.trim().to_owned())),
        // added again after being removed
        Some(Some(_)) => {
            store.conn().execute(
                "UPDATE team_member SET removed_at = NULL, name = ?3 WHERE project_id = ?1 AND member = ?2",
                params![pid, id, name.trim()],
            )?;
        }
        None => insert_member(store, pid, &key, name, Role::Member)?,
    }
    store
        .conn()
        .execute("UPDATE team SET full_next = 1 WHERE project_id = ?1", [pid])?;
    tx.commit()?;
    find(store, pid, &id)
}

fn find(store: &Store, pid: i64, who: &str) -> Result<Member> {
    let who_l = who.trim().to_lowercase();
    members_of(store, pid)?
        .into_iter()
        .find(|m| m.member == who.trim() || m.name.to_lowercase() == who_l)
        .ok_or_else(|| TeamError::NoMember(who.trim().to_owned()))
}

/// Removes a member (lead only): bundles sent from now on are not encrypted to them, a new
/// team key signs them, and every vault refuses their bundles once it hears of it.
pub fn remove_member(store: &Store, project: &str, who: &str) -> Result<Member> {
    let (pid, _) = team_of(store, project)?;
    let me = me(store)?;
    check_lead(store, pid, &me)?;
    let m = find(store, pid, who)?;
    if m.member == me.member {
        return Err(TeamError::NotLead(
            "you; the lead cannot remove themself".into(),
        ));
    }
    if m.removed_on.is_some() {
        return Ok(m);
    }
    let c = store.conn();
    let tx = c.unchecked_transaction()?;
    c.execute(
        "UPDATE team_member SET removed_at = ?3 WHERE project_id = ?1 AND member = ?2",
        params![pid, m.member, &now_rfc3339()[..10]],
    )?;
    c.execute(
        "INSERT INTO team_key (project_id, epoch, key)
         VALUES (?1, (SELECT max(epoch) + 1 FROM team_key WHERE project_id = ?1), ?2)",
        params![pid, &random_key()?[..]],
    )?;
    tx.commit()?;
    find(store, pid, &m.member)
}
