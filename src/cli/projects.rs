//! `fieldnotes project …`: a project's record and the anonymiser's allow and deny lists.

use std::io::Write;

use fieldnotes::app::{self, NewProject};
use fieldnotes::text::for_terminal;
use fieldnotes::vault::Vault;

use super::args::ProjectCmd;
use super::{CliError, Result, opt, project_named};

pub(super) fn project(v: &Vault, c: &ProjectCmd, out: &mut impl Write) -> Result<()> {
    match c {
        ProjectCmd::Add(p) => {
            app::projects::add(
                v,
                NewProject {
                    name: p.name.clone(),
                    purpose: p.purpose.clone(),
                    lawful_basis: p.lawful_basis.clone(),
                    special_category_condition: p.special_category_condition.clone(),
                    schedule1_condition: p.schedule1_condition.clone(),
                    criminal_offence_basis: p.criminal_offence_basis.clone(),
                    dpia_ref: p.dpia.clone(),
                    controller: p.controller.clone(),
                    retention_months: p.retention_months,
                },
            )?;
            writeln!(out, "{}", for_terminal(p.name.trim(), false))?;
        }
        ProjectCmd::List => {
            for p in app::projects::list(v)? {
                let sessions = app::sessions::list(v, Some(&p.name))?.len();
                writeln!(
                    out,
                    "{}\t{} session(s)",
                    for_terminal(&p.name, false),
                    sessions
                )?;
            }
        }
        ProjectCmd::Show { name } => {
            let p = app::projects::resolve(v, Some(name))?;
            writeln!(out, "{:<28}{}", "Project", for_terminal(&p.name, false))?;
            opt("Purpose", &p.purpose, out)?;
            opt("Lawful basis (Art. 6)", &p.lawful_basis, out)?;
            opt(
                "Special category (Art. 9)",
                &p.special_category_condition,
                out,
            )?;
            opt("DPA 2018 Schedule 1", &p.schedule1_condition, out)?;
            opt("Criminal offence (Art. 10)", &p.criminal_offence_basis, out)?;
            opt("DPIA reference", &p.dpia_ref, out)?;
            opt("Data controller", &p.controller, out)?;
            opt(
                "Retention (months)",
                &p.retention_months.map(|m| m.to_string()),
                out,
            )?;
            writeln!(out, "{:<28}{}", "Created", p.created_at)?;
        }
        ProjectCmd::Allow { name, phrase } | ProjectCmd::Deny { name, phrase } => {
            let deny = matches!(c, ProjectCmd::Deny { .. });
            let name = &project_named(v, name)?;
            app::projects::list_add(v, name, deny, phrase)?;
            let list = if deny { "deny" } else { "allow" };
            writeln!(
                out,
                "Added to the {list} list of {}.",
                for_terminal(name, false)
            )?;
        }
        ProjectCmd::Unlist { name, phrase } => {
            let name = &project_named(v, name)?;
            if !app::projects::list_remove(v, name, phrase)? {
                return Err(CliError::NotOnList {
                    phrase: for_terminal(phrase, false),
                    project: for_terminal(name, false),
                });
            }
            writeln!(out, "Removed.")?;
        }
        ProjectCmd::Lists { name } => {
            let (allow, deny) = app::projects::lists(v, &project_named(v, name)?)?;
            for a in allow {
                writeln!(out, "allow\t{}", for_terminal(&a, false))?;
            }
            for d in deny {
                writeln!(out, "deny\t{}", for_terminal(&d, false))?;
            }
        }
    }
    Ok(())
}
