//! `fieldnotes session …`: interviews and workshops, typed live or from paper.

use std::io::Write;

use fieldnotes::app::{self, NewSession};
use fieldnotes::model;
use fieldnotes::text::for_terminal;
use fieldnotes::vault::Vault;

use super::args::SessionCmd;
use super::{Result, clock, opt, project_arg, project_named};

pub(super) fn session(v: &Vault, c: &SessionCmd, out: &mut impl Write) -> Result<()> {
    match c {
        SessionCmd::Add(a) => {
            let id = app::sessions::add(
                v,
                &clock(),
                NewSession {
                    project: project_named(v, &a.project)?,
                    kind: a.kind,
                    title: a.title.clone(),
                    date: a.date.clone(),
                    location: a.location.clone(),
                    source: a.source,
                    paper: model::PaperOrigin {
                        written_by: a.written_by.clone(),
                        written_on: a.written_on.clone(),
                        destroyed_on: None,
                    },
                    facilitators: a.facilitators.clone(),
                },
            )?;
            writeln!(out, "{id}")?;
        }
        SessionCmd::List { project } => {
            for x in app::sessions::list(v, project_arg(v, project.as_deref())?.as_deref())? {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    x.id,
                    for_terminal(&x.project, false),
                    x.date.as_deref().unwrap_or("-"),
                    x.kind,
                    x.source,
                    for_terminal(&x.title, false)
                )?;
            }
        }
        SessionCmd::Show { id } => {
            let x = app::sessions::get(v, *id)?;
            writeln!(out, "{:<18}{}", "Session", x.id)?;
            writeln!(out, "{:<18}{}", "Project", for_terminal(&x.project, false))?;
            writeln!(out, "{:<18}{}", "Title", for_terminal(&x.title, false))?;
            writeln!(out, "{:<18}{}", "Kind", x.kind)?;
            writeln!(out, "{:<18}{}", "Source", x.source)?;
            opt("Date", &x.date, out)?;
            opt("Location", &x.location, out)?;
            opt("Written by", &x.paper.written_by, out)?;
            opt("Written on", &x.paper.written_on, out)?;
            if x.source == model::Source::Paper {
                let d = x
                    .paper
                    .destroyed_on
                    .clone()
                    .unwrap_or_else(|| "not yet recorded".into());
                writeln!(out, "{:<18}{}", "Paper destroyed", d)?;
            }
            for (i, f) in x.facilitators.iter().enumerate() {
                writeln!(
                    out,
                    "{:<18}F{} {}",
                    "Facilitator",
                    i + 1,
                    for_terminal(f, false)
                )?;
            }
            for p in app::people::participants_of_session(v, x.id)? {
                writeln!(
                    out,
                    "{:<18}{} ({})",
                    "Participant",
                    for_terminal(&p.pseudonym, false),
                    for_terminal(p.role.as_deref().unwrap_or("no role"), false)
                )?;
            }
            writeln!(out, "{:<18}{}", "Notes", app::notes::list(v, x.id)?.len())?;
        }
        SessionCmd::PaperDestroyed { id, date } => {
            let d = app::sessions::paper_destroyed(v, &clock(), *id, date.as_deref())?;
            writeln!(
                out,
                "Recorded: the paper original of session {id} was destroyed on {d}"
            )?;
        }
    }
    Ok(())
}
