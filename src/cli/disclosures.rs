//! `fieldnotes disclosure …`: the disclosures log.

use std::io::Write;

use fieldnotes::app::{self, NewDisclosure};
use fieldnotes::text::for_terminal;
use fieldnotes::vault::Vault;

use super::Result;
use super::args::DisclosureCmd;

pub(super) fn run(v: &Vault, c: &DisclosureCmd, out: &mut impl Write) -> Result<()> {
    match c {
        DisclosureCmd::Add(a) => {
            let id = app::disclosures::add(
                v,
                a.project.as_deref(),
                NewDisclosure {
                    shared_on: a.on.clone(),
                    recipient: a.to.clone(),
                    what: a.what.clone(),
                    lawful_basis: a.basis.clone(),
                    method: a.method.clone(),
                },
            )?;
            writeln!(out, "{id}")?;
        }
        DisclosureCmd::List { project } => {
            for d in app::disclosures::list(v, project.as_deref())? {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    d.id,
                    d.shared_on,
                    for_terminal(&d.recipient, false),
                    for_terminal(&d.what, false),
                    for_terminal(&d.lawful_basis, false),
                    for_terminal(&d.method, false)
                )?;
            }
        }
        DisclosureCmd::Edit(e) => {
            let was = app::disclosures::get(v, e.project.as_deref(), e.id)?;
            let pick = |new: &Option<String>, old: String| new.clone().unwrap_or(old);
            app::disclosures::update(
                v,
                e.project.as_deref(),
                e.id,
                NewDisclosure {
                    shared_on: pick(&e.on, was.shared_on),
                    recipient: pick(&e.to, was.recipient),
                    what: pick(&e.what, was.what),
                    lawful_basis: pick(&e.basis, was.lawful_basis),
                    method: pick(&e.method, was.method),
                },
            )?;
            writeln!(out, "Corrected disclosure {}.", e.id)?;
        }
        DisclosureCmd::Delete { id, project } => {
            app::disclosures::delete(v, project.as_deref(), *id)?;
            writeln!(out, "Deleted disclosure {id}.")?;
        }
    }
    Ok(())
}
