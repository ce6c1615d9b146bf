//! Team work: joining a project's team, adding and removing members, sending and receiving
//! bundles of changes (see [`crate::team`]). Each step is audited: who, which project, which
//! bundle, how many changes; never the changes themselves.

use std::path::{Path, PathBuf};

use super::{AppError, Result, audited, record};
use crate::audit::Action;
use crate::mentions::AnonymiserNames;
use crate::team::{self, Incoming, Member, Outgoing, Status, TeamError};
use crate::text::for_terminal;
use crate::vault::Vault;
use crate::vault::keys::Identity;

/// This vault's team public key (`age1…`), which a lead adds to a project's team.
pub fn my_key(v: &Vault) -> Result<String> {
    Ok(team::me(v.store())?.public_key)
}

/// The name this vault's researcher goes by in a team: `name`, else the researcher's name
/// from the settings.
fn my_name(v: &Vault, name: Option<&str>) -> Result<String> {
    let given = name.map(str::trim).filter(|n| !n.is_empty());
    match given {
        Some(n) => Ok(n.to_owned()),
        None => super::settings::researcher(v)?.ok_or(AppError::Invalid(
            "the team needs your name: give --name, or set it with `fieldnotes settings researcher NAME`",
        )),
    }
}

/// Makes a project a team project, led from this vault.
pub fn init(v: &Vault, project: Option<&str>, name: Option<&str>) -> Result<Member> {
    let project = super::projects::resolve(v, project)?.name;
    let name = my_name(v, name)?;
    audited(v, Action::TeamJoin, || {
        let lead = team::init(v.store(), &project, &name)?;
        let detail = format!("project {project}: team led by {}", lead.name);
        Ok((lead, detail))
    })
}

/// Adds a member by their public key (lead only).
pub fn add_member(v: &Vault, project: Option<&str>, name: &str, key: &str) -> Result<Member> {
    let project = super::projects::resolve(v, project)?.name;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.contains('\n') {
        return Err(AppError::Invalid(
            "a member's name is one line of at most 200 characters: nothing was changed",
        ));
    }
    let key = super::keys::parse_public_key(key)?;
    audited(v, Action::TeamMemberAdd, || {
        let m = team::add_member(v.store(), &project, name, &key)?;
        let detail = format!("project {project}: {} ({})", m.name, m.public_key);
        Ok((m, detail))
    })
}

/// Removes a member (lead only).
pub fn remove_member(v: &Vault, project: Option<&str>, who: &str) -> Result<Member> {
    let project = super::projects::resolve(v, project)?.name;
    audited(v, Action::TeamMemberRemove, || {
        let m = team::remove_member(v.store(), &project, who)?;
        let detail = format!("project {project}: {} ({})", m.name, m.public_key);
        Ok((m, detail))
    })
}

/// The project's team.
pub fn members(v: &Vault, project: Option<&str>) -> Result<Vec<Member>> {
    let project = super::projects::resolve(v, project)?.name;
    Ok(team::members(v.store(), &project)?)
}

/// Writes a bundle of the project's changes into `dir`; `None` when nothing changed.
pub fn send(v: &Vault, project: Option<&str>, dir: &Path) -> Result<Option<Outgoing>> {
    let project = super::projects::resolve(v, project)?.name;
    if !dir.is_dir() {
        return Err(AppError::Team(TeamError::Write {
            path: dir.to_owned(),
            source: std::io::Error::other("it is not a folder"),
        }));
    }
    let out = team::send(v.store(), &project, dir)?;
    if let Some(o) = &out {
        record(
            v,
            Action::TeamSend,
            &format!(
                "project {project}: bundle {} ({} changes{}) to {}",
                o.seq,
                o.rows,
                if o.full { ", whole project" } else { "" },
                o.recipients.join(", ")
            ),
        )?;
    }
    Ok(out)
}

/// One bundle file's outcome.
#[derive(Debug)]
pub struct Received {
    /// The file.
    pub file: PathBuf,
    /// What it did, or why it was refused.
    pub outcome: Result<Incoming>,
}

/// Applies bundle files, in whatever order they are given: a bundle that must wait for an
/// earlier one from the same member, or whose rows wait for a parent from another member's
/// bundle, is tried again once the others are in. `identities` are
/// keys besides the vault's own team key (an SSH key a lead added instead of it).
pub fn receive(v: &Vault, files: &[PathBuf], identities: &[Identity], join: bool) -> Vec<Received> {
    let mut pending: Vec<PathBuf> = files.to_vec();
    let mut done: Vec<Received> = Vec::new();
    loop {
        let mut waiting = Vec::new();
        let mut progress = false;
        for file in pending {
            let outcome = receive_one(v, &file, identities, join);
            match outcome {
                Err(AppError::Team(TeamError::Gap { .. })) => waiting.push((file, outcome)),
                // rows waiting for a parent another of the files may bring: tried again after
                Ok(ref got) if got.waiting > 0 => {
                    progress |= got.applied + got.removed + got.erasures > 0;
                    waiting.push((file, outcome));
                }
                outcome => {
                    progress |= outcome.is_ok();
                    done.push(Received { file, outcome });
                }
            }
        }
        if waiting.is_empty() || !progress {
            done.extend(
                waiting
                    .into_iter()
                    .map(|(file, outcome)| Received { file, outcome }),
            );
            return done;
        }
        pending = waiting.into_iter().map(|(f, _)| f).collect();
    }
}

fn receive_one(v: &Vault, file: &Path, identities: &[Identity], join: bool) -> Result<Incoming> {
    let bytes = read_bundle(file)?;
    match team::receive(v.store(), &bytes, identities, join, &AnonymiserNames) {
        Ok(got) => {
            if !got.already {
                record(
                    v,
                    if got.joined {
                        Action::TeamJoin
                    } else {
                        Action::TeamReceive
                    },
                    &format!(
                        "project {}: bundle {} from {}: {} rows applied, {} removed, {} erasures, {} conflicts",
                        got.project,
                        got.seq,
                        got.from,
                        got.applied,
                        got.removed,
                        got.erasures,
                        got.conflicts
                    ),
                )?;
            }
            Ok(got)
        }
        // a bundle that only has to wait is not a refusal
        Err(e @ TeamError::Gap { .. }) => Err(e.into()),
        Err(e) => {
            let name = file
                .file_name()
                .map(|n| for_terminal(&n.to_string_lossy(), false))
                .unwrap_or_default();
            record(v, Action::TeamRefused, &format!("{name}: {}", refusal(&e)))?;
            Err(e.into())
        }
    }
}

/// A refusal in a few words for the audit trail.
fn refusal(e: &TeamError) -> &'static str {
    match e {
        TeamError::NotForUs => "not addressed to this vault",
        TeamError::Damaged(_) | TeamError::Format(_) => "damaged, cut short or altered",
        TeamError::Forged(_) => "not signed with the team's key",
        TeamError::NotAMember { .. } => "from someone not in the team",
        TeamError::Invitation { .. } => "an invitation, not accepted (no --join)",
        TeamError::NotInvited(_) => "for a project this vault has not joined",
        _ => "could not be applied",
    }
}

fn read_bundle(file: &Path) -> Result<Vec<u8>> {
    let read_err = |source| {
        AppError::Team(TeamError::Read {
            path: file.to_owned(),
            source,
        })
    };
    let meta = std::fs::metadata(file).map_err(read_err)?;
    if meta.len() > team::bundle::MAX_BYTES {
        return Err(AppError::Team(TeamError::Damaged(
            "larger than any bundle".into(),
        )));
    }
    std::fs::read(file).map_err(read_err)
}

/// What is waiting to be sent and what was received, for one project.
pub fn status(v: &Vault, project: Option<&str>) -> Result<Status> {
    let project = super::projects::resolve(v, project)?.name;
    Ok(team::status(v.store(), &project)?)
}
