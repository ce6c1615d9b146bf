//! Data subject rights on the command line: subject access, withdrawal, restriction, erasure,
//! retention and the accountability report.

use std::io::Write;

use fieldnotes::app::{
    self,
    rights::{Erasure, Protection, SubjectAccessOutput, project_name},
};
use fieldnotes::outfile::{self, Plan};
use fieldnotes::text::for_terminal;
use fieldnotes::vault::Vault;

use super::args::{Cli, EraseArgs, ReportArgs, RetentionArgs, SubjectAccessArgs};
use super::{CliError, Result, clock, open, parse_recipients, prompt};

/// Where a written output was announced: a regular file on standard output, a stream
/// (which may be standard output itself) on standard error.
fn announce(plans: &[&Plan], msg: &str, out: &mut impl Write) -> Result<()> {
    if plans.iter().all(|p| p.is_file()) {
        writeln!(out, "{msg}")?;
    } else {
        super::term::say(msg);
    }
    Ok(())
}

pub fn subject_access(args: &Cli, a: &SubjectAccessArgs, out: &mut impl Write) -> Result<()> {
    let protection = if a.plaintext {
        Protection::Plain
    } else if !a.recipients.is_empty() {
        Protection::Recipients(parse_recipients(&a.recipients)?)
    } else if let Some(f) = &a.out_passphrase_file {
        Protection::passphrase(prompt::from_file(f)?)?
    } else if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        Protection::passphrase(prompt::ask_new(
            "A one-off passphrase for this subject access report",
        )?)?
    } else {
        return Err(CliError::SubjectAccessUnprotected);
    };
    let json_path = if a.out.extension().is_some_and(|x| x == "json") {
        a.out.with_extension("data.json")
    } else {
        a.out.with_extension("json")
    };
    let main_path = protection.path(a.out.clone());
    let json_path = protection.path(json_path);
    // both are checked before either is written: no report without its JSON
    let main_plan = outfile::plan(&main_path, a.force)?;
    let json_plan = outfile::plan(&json_path, a.force)?;
    if !main_plan.is_file() || !json_plan.is_file() {
        return Err(CliError::SubjectAccessNotAFile(for_terminal(
            &a.out.display().to_string(),
            false,
        )));
    }
    let v = open(args)?;
    let code = a
        .participant
        .as_deref()
        .or(a.person.as_deref())
        .unwrap_or_default();
    let output = SubjectAccessOutput {
        main: &main_plan,
        json: &json_plan,
        shown_as: &main_path,
        markdown: a.out.extension().is_some_and(|x| x == "md"),
        protection: &protection,
        kdf_work_factor: args.kdf_work_factor,
    };
    let report = app::rights::subject_access(&v, &clock(), a.project.as_deref(), code, output)?;
    announce(
        &[&main_plan, &json_plan],
        &format!(
            "Subject access report for {}: {} notes they spoke, {} that mention them ({}):\n{}\n{}",
            for_terminal(&report.subject.pseudonym, false),
            report.spoken.len(),
            report.mentioned.len(),
            protection.describe(),
            main_path.display(),
            json_path.display()
        ),
        out,
    )
}

pub fn withdraw(
    v: &Vault,
    code: &str,
    project: Option<&str>,
    erase: bool,
    yes: bool,
    out: &mut impl Write,
) -> Result<()> {
    let (project, p) = app::rights::participant(v, project, code)?;
    let what = if erase {
        "delete every note they spoke, replace every mention of them with their pseudonym and delete their real name"
    } else {
        "keep their notes anonymised, replace every mention of them with their pseudonym and delete their real name"
    };
    prompt::confirm(
        &format!(
            "Withdraw {} from project {project}: {what}?",
            for_terminal(&p.pseudonym, false)
        ),
        yes,
    )?;
    let w = app::rights::withdraw(v, Some(&project), code, erase)?;
    writeln!(
        out,
        "{} has withdrawn: {}. A tombstone keeps the pseudonym and today's date.",
        for_terminal(&w.pseudonym, false),
        w.report.describe()
    )?;
    Ok(())
}

pub fn restrict(
    v: &Vault,
    code: &str,
    project: Option<&str>,
    on: bool,
    out: &mut impl Write,
) -> Result<()> {
    let changed = app::rights::restrict(v, project, code, on)?;
    let code = for_terminal(code.trim(), false);
    let msg = match (on, changed) {
        (true, true) => format!(
            "{code} is restricted: their data stays in the vault but leaves no export, analysis view or search result until `fieldnotes participant unrestrict {code}`."
        ),
        (true, false) => format!("{code} was already restricted."),
        (false, true) => format!("The restriction on {code} is lifted."),
        (false, false) => format!("{code} was not restricted."),
    };
    writeln!(out, "{msg}")?;
    Ok(())
}

pub fn erase(v: &Vault, e: &EraseArgs, out: &mut impl Write) -> Result<()> {
    let (question, what) = if let Some(id) = e.session {
        let session = app::sessions::get(v, id)?;
        let n = app::notes::list(v, id)?.len();
        (
            format!(
                "Erase session {id} (\"{}\") and its {n} notes for good?",
                for_terminal(&session.title, false)
            ),
            Erasure::Session(id),
        )
    } else if let Some(id) = e.note {
        let note = app::notes::get(v, id)?;
        app::sessions::get(v, note.session_id)?;
        (
            format!("Erase note {id} of session {} for good?", note.session_id),
            Erasure::Note(id),
        )
    } else {
        let project = project_name(v, e.project.as_deref())?;
        let code = e.person.as_deref().unwrap_or_default();
        (
            format!(
                "Erase the real name of {} in project {project}, replacing every mention with the pseudonym?",
                for_terminal(code, false)
            ),
            Erasure::Person {
                project: e.project.clone(),
                code: code.to_owned(),
            },
        )
    };
    prompt::confirm(&question, e.yes)?;
    let report = app::rights::erase(v, &what)?;
    writeln!(
        out,
        "Erased: {}. Restoring an older backup will not bring it back.",
        report.describe()
    )?;
    Ok(())
}

pub fn retention(v: &Vault, r: &RetentionArgs, out: &mut impl Write) -> Result<()> {
    let project = super::project_arg(v, r.project.as_deref())?;
    let items = app::retention::list(v, &clock(), project.as_deref())?;
    let due: Vec<_> = items.iter().filter(|i| i.overdue).collect();
    if items.is_empty() {
        writeln!(
            out,
            "Nothing is due: no session is past its retention date."
        )?;
    }
    for i in &items {
        let mut what = Vec::new();
        if i.overdue {
            what.push(format!("past retention since {}", i.due));
        }
        if i.paper_pending {
            what.push("paper original not yet recorded as destroyed".to_owned());
        }
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            i.session_id,
            for_terminal(&i.project, false),
            i.date,
            for_terminal(&i.title, false),
            what.join("; ")
        )?;
    }
    if !r.apply {
        if !due.is_empty() {
            writeln!(
                out,
                "{} sessions are due for erasure: run `fieldnotes retention --apply` to erase them.",
                due.len()
            )?;
        }
        return Ok(());
    }
    if due.is_empty() {
        return Ok(());
    }
    prompt::confirm(
        &format!(
            "Erase {} sessions past their retention date, with their notes?",
            due.len()
        ),
        r.yes,
    )?;
    let applied = app::retention::apply(v, &clock(), project.as_deref())?;
    writeln!(out, "Retention applied: {}.", applied.total.describe())?;
    Ok(())
}

pub fn report(v: &Vault, r: &ReportArgs, out: &mut impl Write) -> Result<()> {
    let plan = outfile::plan(&r.out, r.force)?;
    let markdown = r.out.extension().is_some_and(|x| x == "md");
    let project = r.project.as_deref();
    app::rights::accountability_report(v, &clock(), project, &plan, &r.out, markdown)?;
    announce(
        &[&plan],
        &format!("Record of processing written to {}", r.out.display()),
        out,
    )
}
