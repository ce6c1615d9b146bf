//! `fieldnotes participant …` and `fieldnotes person …`: the people in a session, and the
//! people mentioned whose names the anonymiser replaces.

use std::io::Write;

use fieldnotes::app::{self, NewParticipant};
use fieldnotes::text::for_terminal;
use fieldnotes::vault::Vault;

use super::args::{ParticipantCmd, PersonCmd, SettingsCmd};
use super::{Result, project_arg, project_named, rights};

pub(super) fn participant(v: &Vault, c: &ParticipantCmd, out: &mut impl Write) -> Result<()> {
    match c {
        ParticipantCmd::Add(a) => {
            if let Some(code) = &a.existing {
                app::people::participant_join(v, a.session, code)?;
                writeln!(out, "{}", for_terminal(code, false))?;
                return Ok(());
            }
            let code = app::people::participant_add(
                v,
                a.session,
                NewParticipant {
                    real_name: a.name.clone().unwrap_or_default(),
                    role: a.role.clone(),
                    consent: a.consent,
                    consent_date: a.consent_date.clone(),
                    consent_form: a.consent_form.clone(),
                    pseudonym: a.pseudonym.clone(),
                    subject: a.subject,
                    quote_consent: a.quote,
                },
            )?;
            writeln!(out, "{}", for_terminal(&code, false))?;
        }
        ParticipantCmd::Withdraw {
            code,
            project,
            erase,
            yes,
            ..
        } => {
            let project = project_arg(v, project.as_deref())?;
            rights::withdraw(v, code, project.as_deref(), *erase, *yes, out)?
        }
        ParticipantCmd::Link {
            from,
            into,
            project,
        } => {
            let moved = app::people::participant_link(v, project.as_deref(), from, into)?;
            writeln!(
                out,
                "Linked: {} is now {} ({moved} notes moved).",
                for_terminal(from.trim(), false),
                for_terminal(into.trim(), false)
            )?;
        }
        ParticipantCmd::Restrict { code, project } => {
            let project = project_arg(v, project.as_deref())?;
            rights::restrict(v, code, project.as_deref(), true, out)?
        }
        ParticipantCmd::Unrestrict { code, project } => {
            let project = project_arg(v, project.as_deref())?;
            rights::restrict(v, code, project.as_deref(), false, out)?
        }
        ParticipantCmd::Edit {
            code,
            project,
            quote,
        } => {
            let project = project_arg(v, project.as_deref())?;
            let p = app::quotes::set_quote_consent(v, project.as_deref(), code, Some(*quote))?;
            writeln!(
                out,
                "{}: quote word for word: {}.",
                for_terminal(&p.pseudonym, false),
                super::quotes::quote_words(p.quote_consent)
            )?;
        }
        ParticipantCmd::List { session, project } => {
            let (list, project) = match (session, project) {
                (Some(id), _) => (
                    app::people::participants_of_session(v, *id)?,
                    app::sessions::get(v, *id)?.project,
                ),
                (None, Some(p)) => {
                    let name = project_named(v, p)?;
                    (app::people::participants_of_project(v, &name)?, name)
                }
                (None, None) => (Vec::new(), String::new()),
            };
            let project = if list.is_empty() {
                Default::default()
            } else {
                app::projects::get(v, &project)?
            };
            for p in list {
                // a subject of records was never asked: the project's lawful basis stands
                let consent = match (p.subject, p.consent) {
                    (true, _) => p.consent_shown(&project),
                    (false, Some(c)) => c.to_string(),
                    (false, None) => "-".to_owned(),
                };
                let mut status = Vec::new();
                if p.restricted {
                    status.push("restricted".to_owned());
                }
                if let (Some(on), Some(how)) = (&p.withdrawn_on, &p.withdrawal) {
                    status.push(format!("withdrew {on} ({how})"));
                }
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\tquote {}",
                    for_terminal(&p.pseudonym, false),
                    for_terminal(p.real_name.as_deref().unwrap_or("(erased)"), false),
                    for_terminal(p.role.as_deref().unwrap_or("-"), false),
                    for_terminal(&consent, false),
                    if status.is_empty() {
                        "-".to_owned()
                    } else {
                        status.join(", ")
                    },
                    p.quote_consent.map_or("not recorded", |q| q.as_str())
                )?;
            }
        }
    }
    Ok(())
}

pub(super) fn person(v: &Vault, c: &PersonCmd, out: &mut impl Write) -> Result<()> {
    match c {
        PersonCmd::Add {
            project,
            name,
            pseudonym,
        } => {
            let project = project_named(v, project)?;
            let code = app::people::person_add(v, &project, name, pseudonym.clone())?;
            writeln!(out, "{}", for_terminal(&code, false))?;
        }
        PersonCmd::List { project } => {
            for p in app::people::people_mentioned(v, &project_named(v, project)?)? {
                writeln!(
                    out,
                    "{}\t{}",
                    for_terminal(&p.pseudonym, false),
                    for_terminal(&p.real_name, false)
                )?;
            }
        }
    }
    Ok(())
}

pub(super) fn settings(v: &Vault, c: &SettingsCmd, out: &mut impl Write) -> Result<()> {
    match c {
        SettingsCmd::Researcher { name: Some(name) } => {
            app::settings::set_researcher(v, name)?;
            match app::settings::researcher(v)? {
                Some(n) => writeln!(
                    out,
                    "You are {}: F1 in every new live session without --facilitator.",
                    for_terminal(&n, false)
                )?,
                None => writeln!(out, "Your name is cleared: new live sessions have no F1.")?,
            }
        }
        SettingsCmd::Researcher { name: None } => match app::settings::researcher(v)? {
            Some(n) => writeln!(out, "{}", for_terminal(&n, false))?,
            None => writeln!(
                out,
                "Not set: `fieldnotes settings researcher \"Your Name\"` makes you F1 in new live sessions."
            )?,
        },
    }
    Ok(())
}
