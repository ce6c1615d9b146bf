//! `fieldnotes session …`: interviews and workshops, typed live or from paper.

use std::io::Write;

use fieldnotes::app::{self, AppError, NewSession};
use fieldnotes::model::{self, RecordReview};
use fieldnotes::text::for_terminal;
use fieldnotes::vault::Vault;

use super::args::{ReviewArgs, SessionCmd, SessionEdit};
use super::{Result, clock, opt, project_arg, project_named};

pub(super) fn session(v: &Vault, c: &SessionCmd, out: &mut impl Write) -> Result<()> {
    match c {
        SessionCmd::Add(a) => {
            let s = NewSession {
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
            };
            let id = if a.kind == model::SessionKind::Review {
                app::sessions::add_review(v, &clock(), s, review_of(&a.review, None))?
            } else if a.review.any() {
                return Err(AppError::Invalid(
                    "--system, --record-ref, --from, --to and --sampling describe a record review: add --kind review",
                )
                .into());
            } else {
                app::sessions::add(v, &clock(), s)?
            };
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
            if let Some(r) = &x.review {
                writeln!(
                    out,
                    "{:<18}{}",
                    "Source system",
                    for_terminal(&r.system, false)
                )?;
                opt("Record reference", &r.record_ref, out)?;
                opt("Records from", &r.from, out)?;
                opt("Records to", &r.to, out)?;
                opt("Sampling", &r.sampling, out)?;
            }
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
                    if p.subject { "Subject" } else { "Participant" },
                    for_terminal(&p.pseudonym, false),
                    for_terminal(p.role.as_deref().unwrap_or("no role"), false)
                )?;
            }
            writeln!(out, "{:<18}{}", "Notes", app::notes::list(v, x.id)?.len())?;
        }
        SessionCmd::Edit(e) => edit(v, e, out)?,
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

/// What a record review read: the values given, over what it read before (`was`).
fn review_of(a: &ReviewArgs, was: Option<RecordReview>) -> RecordReview {
    let was = was.unwrap_or_default();
    let pick = |new: &Option<String>, old: Option<String>| new.clone().or(old);
    RecordReview {
        system: a.system.clone().unwrap_or(was.system),
        record_ref: pick(&a.record_ref, was.record_ref),
        from: pick(&a.from, was.from).filter(|d| !d.trim().is_empty()),
        to: pick(&a.to, was.to).filter(|d| !d.trim().is_empty()),
        sampling: pick(&a.sampling, was.sampling),
    }
}

/// `session edit`: the fields given change, the others stay.
fn edit(v: &Vault, e: &SessionEdit, out: &mut impl Write) -> Result<()> {
    let x = app::sessions::get(v, e.id)?;
    let s = NewSession {
        project: x.project.clone(),
        kind: x.kind,
        title: e.title.clone().unwrap_or(x.title),
        date: e.date.clone().or(x.date),
        location: e.location.clone().or(x.location),
        source: x.source,
        paper: x.paper,
        facilitators: x.facilitators,
    };
    match x.review {
        Some(was) => app::sessions::update_review(v, e.id, s, review_of(&e.review, Some(was)))?,
        None if e.review.any() => {
            return Err(AppError::Invalid(
                "--system, --record-ref, --from, --to and --sampling describe a record review, and this session is not one: nothing was changed",
            )
            .into());
        }
        None => app::sessions::update(v, e.id, s)?,
    }
    writeln!(out, "Changed session {}.", e.id)?;
    Ok(())
}
