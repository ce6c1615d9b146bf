//! `fieldnotes team …`: members, and bundles of changes sent and received.

use std::io::Write;
use std::path::PathBuf;

use fieldnotes::app::{self, AppError};
use fieldnotes::team::{Role, TeamError};
use fieldnotes::text::for_terminal;
use fieldnotes::vault::Vault;

use super::args::{Cli, TeamCmd};
use super::{CliError, Result, identities, kdf, open, unlock_with, vault_dir};

pub(super) fn run(args: &Cli, c: &TeamCmd, out: &mut impl Write) -> Result<()> {
    if let TeamCmd::Receive { files, join } = c {
        return receive(args, files, *join, out);
    }
    let v = open(args)?;
    let t = |s: &str| for_terminal(s, false);
    match c {
        TeamCmd::Id => writeln!(out, "{}", app::team::my_key(&v)?)?,
        TeamCmd::Init { project, name } => {
            let lead = app::team::init(&v, project.as_deref(), name.as_deref())?;
            writeln!(
                out,
                "This is now a team project, led by {} from this vault. Add members with `fieldnotes team add NAME KEY`; each runs `fieldnotes team id` to get their key.",
                t(&lead.name)
            )?;
        }
        TeamCmd::Add { name, key, project } => {
            let m = app::team::add_member(&v, project.as_deref(), name, key)?;
            writeln!(
                out,
                "Added {} (member {}). Your next `fieldnotes team send` holds the whole project for them.",
                t(&m.name),
                m.member
            )?;
        }
        TeamCmd::Remove { name, project } => {
            let m = app::team::remove_member(&v, project.as_deref(), name)?;
            writeln!(
                out,
                "Removed {}: bundles from now on are not encrypted to them, and every vault that receives your next bundle refuses theirs.",
                t(&m.name)
            )?;
        }
        TeamCmd::Members { project } => {
            for m in app::team::members(&v, project.as_deref())? {
                let role = match m.role {
                    Role::Lead => "lead",
                    Role::Member => "member",
                };
                let removed = m
                    .removed_on
                    .map(|d| format!("\tremoved {d}"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{}\t{role}\t{}\t{}{removed}",
                    t(&m.name),
                    m.member,
                    t(&m.public_key)
                )?;
            }
        }
        TeamCmd::Send { to, project } => match app::team::send(&v, project.as_deref(), to)? {
            Some(o) => writeln!(
                out,
                "Wrote bundle {} ({} changes{}) to {}\nEncrypted to: {}",
                o.seq,
                o.rows,
                if o.full { ", the whole project" } else { "" },
                t(&o.file.display().to_string()),
                t(&o.recipients.join(", "))
            )?,
            None => writeln!(
                out,
                "Nothing changed since your last bundle: nothing written."
            )?,
        },
        TeamCmd::Status { project } => status(&v, project.as_deref(), out)?,
        TeamCmd::Receive { .. } => {}
    }
    Ok(())
}

fn status(v: &Vault, project: Option<&str>, out: &mut impl Write) -> Result<()> {
    let s = app::team::status(v, project)?;
    let t = |s: &str| for_terminal(s, false);
    writeln!(out, "Project {}", t(&s.project))?;
    writeln!(
        out,
        "To send: {} changes{}; bundles sent so far: {}",
        s.waiting,
        if s.full_next {
            " (the next bundle holds the whole project, for a new member)"
        } else {
            ""
        },
        s.sent
    )?;
    if s.received.is_empty() {
        writeln!(out, "Received: nothing yet")?;
    }
    for (who, seq, at) in &s.received {
        writeln!(out, "Received from {}: up to bundle {seq}, on {at}", t(who))?;
    }
    for c in &s.conflicts {
        writeln!(
            out,
            "Conflict ({}, {}): kept {}; {} had {}",
            t(&c.table),
            t(&c.at),
            t(&c.kept),
            t(&c.other_by),
            t(&c.other)
        )?;
    }
    Ok(())
}

/// Bundle files given, folders expanded to the bundles in them (sorted by name: sender,
/// then number).
fn expand(files: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for f in files {
        if f.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(f)
                .map_err(|source| {
                    CliError::App(AppError::Team(TeamError::Read {
                        path: f.clone(),
                        source,
                    }))
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "fnbundle"))
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(f.clone());
        }
    }
    Ok(out)
}

fn receive(args: &Cli, files: &[PathBuf], join: bool, out: &mut impl Write) -> Result<()> {
    let ids = identities(args)?;
    let v = Vault::open(
        &vault_dir(args)?,
        unlock_with(args, ids.clone())?,
        kdf(args)?,
    )?;
    let files = expand(files)?;
    // a folder shared by the team holds this vault's own bundles too: they are not for it
    let mine = format!("-{}-", fieldnotes::team::member_id(&app::team::my_key(&v)?));
    let files: Vec<PathBuf> = files
        .into_iter()
        .filter(|f| {
            !f.file_name()
                .is_some_and(|n| n.to_string_lossy().contains(&mine))
        })
        .collect();
    if files.is_empty() {
        writeln!(
            out,
            "No bundles to receive there (a bundle's name ends in .fnbundle; your own are left out)."
        )?;
        return Ok(());
    }
    let results = app::team::receive(&v, &files, ids.as_deref().unwrap_or_default(), join)?;
    let mut refused = 0;
    for r in results {
        let name = for_terminal(
            &r.file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            false,
        );
        match r.outcome {
            Ok(g) if g.already => writeln!(
                out,
                "{name}: bundle {} from {} was already received: nothing to do",
                g.seq,
                for_terminal(&g.from, false)
            )?,
            Ok(g) => {
                writeln!(
                    out,
                    "{name}: {}bundle {} from {}, project {}: {} rows added or changed, {} removed, {} older versions ignored{}{}{}",
                    if g.joined { "joined with " } else { "" },
                    g.seq,
                    if g.joined {
                        format!(
                            "{} (member {})",
                            for_terminal(&g.from, false),
                            for_terminal(&g.from_member, false)
                        )
                    } else {
                        for_terminal(&g.from, false)
                    },
                    for_terminal(&g.project, false),
                    g.applied,
                    g.removed,
                    g.older,
                    if g.erasures > 0 {
                        format!(", {} erasures applied", g.erasures)
                    } else {
                        String::new()
                    },
                    if g.conflicts > 0 {
                        format!(
                            ", {} conflicting edits (see `fieldnotes team status`)",
                            g.conflicts
                        )
                    } else {
                        String::new()
                    },
                    if g.waiting > 0 {
                        format!(
                            ", {} rows of the project wait for their session, note or theme from another member's bundle, and are applied when it comes",
                            g.waiting
                        )
                    } else {
                        String::new()
                    },
                )?;
            }
            Err(e) => {
                writeln!(out, "{name}: refused: {e}")?;
                refused += 1;
            }
        }
    }
    if refused > 0 {
        return Err(CliError::BundlesRefused(refused));
    }
    Ok(())
}
