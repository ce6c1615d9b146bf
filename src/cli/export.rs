//! `fieldnotes export`: anonymise, guard, write (plain or age-encrypted), audit.

use std::io::Write;

use fieldnotes::app::{self, AppError};
use fieldnotes::export::{self, Format, Scope};
use fieldnotes::text::for_terminal;
use fieldnotes::vault::Vault;

use super::args::ExportArgs;
use super::{CliError, Result, clock, parse_recipients};

fn format_of(e: &ExportArgs) -> Result<Format> {
    match &e.format {
        Some(f) => f.parse().map_err(|m| AppError::ExportFormat(m).into()),
        None => Format::from_path(&e.out).map_err(CliError::FormatFromName),
    }
}

pub fn run(v: &Vault, e: &ExportArgs, out: &mut impl Write) -> Result<()> {
    let format = format_of(e)?;
    // an existing file is refused before the work, not after it
    fieldnotes::outfile::plan(&e.out, e.force)?;
    let recipients = parse_recipients(&e.recipients)?;
    let project = app::projects::resolve(v, e.project.as_deref())?;
    let scope = Scope {
        project: project.name.clone(),
        sessions: e.sessions.clone(),
        theme: e.theme.clone(),
        exact_ages: e.exact_ages,
    };
    let mut prepared = app::export::prepare(v, &clock(), &scope)?;
    prepared.summary.by_question = e.by_question;
    if e.review {
        for r in &prepared.review {
            let s = &r.substitution;
            super::term::say(&format!(
                "{}: \"{}\" → {} ({})",
                for_terminal(&r.place, false),
                for_terminal(&s.original, false),
                for_terminal(&s.replacement, false),
                s.rule
            ));
        }
    }
    let plan = app::export::write(
        v,
        &mut prepared,
        &scope,
        format,
        &e.out,
        &recipients,
        e.force,
    )?;
    let s = &prepared.summary;
    let done = format!(
        "Exported {} from {} sessions of {} ({} substitutions{}) to {}{}",
        export::count(s.excerpts.len(), "excerpt", "excerpts"),
        s.sessions.len(),
        for_terminal(&project.name, false),
        prepared.review.len(),
        if s.withheld > 0 {
            format!(", {} notes withheld: restricted", s.withheld)
        } else {
            String::new()
        },
        e.out.display(),
        if recipients.is_empty() {
            ""
        } else {
            " (age-encrypted)"
        }
    );
    // quote-level consent: what was withheld and why, whose consent is not recorded
    let quotes: String = s
        .quotes
        .sentences()
        .iter()
        .map(|line| format!("\n{}", for_terminal(line, false)))
        .collect();
    if plan.is_file() {
        writeln!(out, "{done}{quotes}")?;
    } else {
        // the stream may be standard output itself: keep it for the export
        super::term::say(&format!("{done}{quotes}"));
    }
    Ok(())
}
