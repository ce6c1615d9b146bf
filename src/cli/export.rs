//! `fieldnotes export`: anonymise, guard, write (plain or age-encrypted), audit.

use std::io::Write;

use fieldnotes::export::{self, ExportError, Format, Scope};
use fieldnotes::text::for_terminal;
use fieldnotes::vault::{self, Vault};

use super::args::ExportArgs;
use super::{CliError, Result, parse_recipients, today};

fn format_of(e: &ExportArgs) -> Result<Format> {
    let typed = match &e.format {
        Some(f) => f.clone(),
        None => e
            .out
            .extension()
            .and_then(|x| x.to_str())
            .map(str::to_owned)
            .ok_or_else(|| {
                CliError::msg("say which format to write with --format md|html|csv|json|qdpx")
            })?,
    };
    typed.parse().map_err(CliError::Msg)
}

pub fn run(v: &Vault, e: &ExportArgs, out: &mut impl Write) -> Result<()> {
    let format = format_of(e)?;
    let recipients = parse_recipients(&e.recipients)?;
    let project = v.store().resolve_project(e.project.as_deref())?;
    let scope = Scope {
        project: project.name.clone(),
        sessions: e.sessions.clone(),
        theme: e.theme.clone(),
    };
    let prepared = export::prepare(v.store(), &scope, &today()).map_err(export_error)?;
    if e.review {
        for r in &prepared.review {
            let s = &r.substitution;
            eprintln!(
                "note {}: \"{}\" → {} ({})",
                r.note_id,
                for_terminal(&s.original, false),
                for_terminal(&s.replacement, false),
                s.rule
            );
        }
    }
    let bytes = match prepared.render(format) {
        Ok(b) => b,
        Err(err) => {
            if matches!(err, ExportError::Leak { .. }) {
                v.audit(
                    "export refused",
                    &format!(
                        "{}, format {}: the leak guard found personal data",
                        scope.describe(),
                        format.as_str()
                    ),
                )?;
            }
            return Err(export_error(err));
        }
    };
    let bytes = if recipients.is_empty() {
        bytes
    } else {
        vault::keys::encrypt_to_recipients(&bytes, &recipients)
            .map_err(|err| CliError::msg(format!("could not encrypt the export: {err}")))?
    };
    vault::write_private_atomic(&e.out, &bytes).map_err(|err| {
        CliError::msg(format!(
            "could not write {}: {err}. Check the folder exists and has space",
            e.out.display()
        ))
    })?;
    let whom = if e.recipients.is_empty() {
        "unencrypted".to_owned()
    } else {
        format!("encrypted to {}", e.recipients.join(", "))
    };
    let s = &prepared.summary;
    v.audit(
        "export",
        &format!(
            "{}, format {}, {} excerpts, {} substitutions, {} withheld, {whom}, to {}",
            scope.describe(),
            format.as_str(),
            s.excerpts.len(),
            prepared.review.len(),
            s.withheld,
            e.out.display()
        ),
    )?;
    writeln!(
        out,
        "Exported {} excerpts from {} sessions of {} ({} substitutions{}) to {}{}",
        s.excerpts.len(),
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
    )?;
    Ok(())
}

fn export_error(e: ExportError) -> CliError {
    match e {
        ExportError::Store(s) => s.into(),
        other => CliError::Msg(other.to_string()),
    }
}
