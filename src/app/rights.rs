//! Data subject rights: subject access, erasure, withdrawal, restriction and the
//! accountability report.

use std::path::{Path, PathBuf};

use secrecy::SecretString;

use super::{AppError, Clock, Result, audited, record};
use crate::audit::Action;
use crate::mentions::AnonymiserNames;
use crate::model::Participant;
use crate::outfile::Plan;
use crate::rights::SubjectAccess;
use crate::store::ErasureReport;
use crate::text::for_terminal;
use crate::vault::Vault;

/// The name of a project given by name, or the only one.
pub fn project_name(v: &Vault, project: Option<&str>) -> Result<String> {
    Ok(super::projects::resolve(v, project)?.name)
}

/// A project's name after an erasure: a name that held the erased person's name now holds
/// their pseudonym, and the audit trail must get the new one.
fn name_after_erasure(v: &Vault, id: i64, before: String) -> Result<String> {
    Ok(v.store()
        .projects()?
        .into_iter()
        .find(|p| p.id == id)
        .map_or(before, |p| p.name))
}

/// What to erase for good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Erasure {
    /// A session and its notes.
    Session(i64),
    /// One note.
    Note(i64),
    /// A person's real name (every mention becomes the pseudonym), in a project or the only one.
    Person {
        /// The project, or the only one.
        project: Option<String>,
        /// The person's code.
        code: String,
    },
}

/// Erases a session, a note or a person's real name for good (an erasure asked for, not one
/// the retention schedule makes).
pub fn erase(v: &Vault, what: &Erasure) -> Result<ErasureReport> {
    let _readers = v.keep_readers_out()?;
    let s = v.store();
    audited(v, Action::Erase, || {
        let (report, detail) = match what {
            Erasure::Session(id) => {
                // the session's project is read first: it is gone afterwards
                let detail = format!("project {}: session {id}", s.session(*id)?.project);
                (s.erase_session(*id, "mistake")?, detail)
            }
            Erasure::Note(id) => {
                let note = s.note(*id)?;
                let detail = format!("project {}: note {id}", s.session(note.session_id)?.project);
                (s.erase_note(*id, "mistake")?, detail)
            }
            Erasure::Person { project, code } => {
                let project = super::projects::resolve(v, project.as_deref())?;
                let report = s.erase_person(&project.name, code, &AnonymiserNames)?;
                let name = name_after_erasure(v, project.id, project.name)?;
                let detail = format!(
                    "project {name}: person {}",
                    for_terminal(code.trim(), false)
                );
                (report, detail)
            }
        };
        let detail = format!("{detail}; {}", report.describe());
        Ok((report, detail))
    })
}

/// A participant of a project (or the only one), with the project's name: what a withdrawal
/// asks about before it is made.
pub fn participant(v: &Vault, project: Option<&str>, code: &str) -> Result<(String, Participant)> {
    let project = project_name(v, project)?;
    let p = v.store().participant(&project, code)?;
    Ok((project, p))
}

/// What a withdrawal did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    /// The participant's pseudonym, which the tombstone keeps.
    pub pseudonym: String,
    /// What was erased or anonymised.
    pub report: ErasureReport,
}

/// Withdraws a participant: their real name goes and every mention becomes their pseudonym;
/// the notes they spoke are deleted (`erase`) or kept anonymised.
pub fn withdraw(v: &Vault, project: Option<&str>, code: &str, erase: bool) -> Result<Withdrawal> {
    let (project, p) = participant(v, project, code)?;
    let _readers = v.keep_readers_out()?;
    audited(v, Action::Withdraw, || {
        let report = v
            .store()
            .withdraw(&project, code, erase, &AnonymiserNames)?;
        let project = name_after_erasure(v, p.project_id, project)?;
        let detail = format!(
            "project {project}: {} withdrew ({}); {}",
            p.pseudonym,
            if erase { "erase" } else { "keep-anonymised" },
            report.describe()
        );
        Ok((
            Withdrawal {
                pseudonym: p.pseudonym,
                report,
            },
            detail,
        ))
    })
}

/// Restricts a participant's data (`on`) or lifts the restriction; says whether anything
/// changed. Only a change is audited.
pub fn restrict(v: &Vault, project: Option<&str>, code: &str, on: bool) -> Result<bool> {
    let project = project_name(v, project)?;
    let changed = v.store().set_restricted(&project, code, on)?;
    if changed {
        let action = if on {
            Action::Restrict
        } else {
            Action::Unrestrict
        };
        let detail = format!("project {project}: {}", for_terminal(code.trim(), false));
        super::record(v, action, &detail)?;
    }
    Ok(changed)
}

/// How an identifying output (a subject access report) is protected.
#[derive(Debug)]
pub enum Protection {
    /// Not encrypted: asked for explicitly.
    Plain,
    /// Encrypted to age recipients.
    Recipients(Vec<crate::vault::keys::Recipient>),
    /// Encrypted to a one-off passphrase.
    Passphrase(SecretString),
}

impl Protection {
    /// A one-off passphrase for a report, refused when weak: the report names the person.
    pub fn passphrase(pass: SecretString) -> Result<Self> {
        crate::passphrase::check_strength(&pass, &["fieldnotes", "subject", "access"])
            .map_err(|e| AppError::Protection(format!("the report's one-off passphrase: {e}")))?;
        Ok(Protection::Passphrase(pass))
    }

    /// The bytes as they are written.
    pub fn seal(&self, bytes: &[u8], kdf: Option<u8>) -> Result<Vec<u8>> {
        let sealed = match self {
            Protection::Plain => return Ok(bytes.to_vec()),
            Protection::Recipients(r) => crate::vault::keys::encrypt_to_recipients(bytes, r),
            Protection::Passphrase(p) => crate::vault::keys::encrypt_to_passphrase(bytes, p, kdf),
        };
        sealed.map_err(|e| AppError::Protection(format!("could not encrypt the report: {e}")))
    }

    /// Where a file asked for at `p` is written: an encrypted one says so with `.age`.
    pub fn path(&self, p: PathBuf) -> PathBuf {
        match self {
            Protection::Plain => p,
            _ => {
                let mut s = p.into_os_string();
                s.push(".age");
                PathBuf::from(s)
            }
        }
    }

    /// In words, for the audit trail and the person.
    pub fn describe(&self) -> &'static str {
        match self {
            Protection::Plain => "unencrypted",
            Protection::Recipients(_) => "encrypted to age recipients",
            Protection::Passphrase(_) => "encrypted to a one-off passphrase",
        }
    }
}

/// Where a subject access report goes: both files are planned before either is written, so
/// there is no report without its JSON.
pub struct SubjectAccessOutput<'a> {
    /// The report (HTML, or Markdown when `markdown`).
    pub main: &'a Plan,
    /// Its data as JSON.
    pub json: &'a Plan,
    /// The report's path as asked for (with `.age` when encrypted), for the audit trail.
    pub shown_as: &'a Path,
    /// Markdown rather than HTML.
    pub markdown: bool,
    /// How both files are protected.
    pub protection: &'a Protection,
    /// The passphrase encryption's work factor, when one is set.
    pub kdf_work_factor: Option<u8>,
}

/// Writes a subject access report for a participant or person of a project (or the only
/// one), dated today (local), and audits it. A report the leak guard refuses is audited as
/// refused, and nothing is written.
pub fn subject_access(
    v: &Vault,
    clock: &dyn Clock,
    project: Option<&str>,
    code: &str,
    out: SubjectAccessOutput<'_>,
) -> Result<SubjectAccess> {
    let project = project_name(v, project)?;
    let report = crate::rights::subject_access(v.store(), &project, code, &clock.today())?;
    let (body, json) = match crate::rights::subject_access_files(&report, out.markdown) {
        Ok(files) => files,
        Err(e) => {
            let detail = format!(
                "project {project}: {}: the leak guard found personal data",
                report.subject.pseudonym
            );
            record(v, Action::SubjectAccessRefused, &detail)?;
            return Err(e.into());
        }
    };
    let kdf = out.kdf_work_factor;
    out.main
        .write(&out.protection.seal(body.as_bytes(), kdf)?)?;
    out.json
        .write(&out.protection.seal(json.as_bytes(), kdf)?)?;
    let detail = format!(
        "project {project}: {} ({}), {} notes spoken, {} mentioning, {}, to {}",
        report.subject.pseudonym,
        report.subject.kind,
        report.spoken.len(),
        report.mentioned.len(),
        out.protection.describe(),
        out.shown_as.display()
    );
    record(v, Action::SubjectAccess, &detail)?;
    Ok(report)
}

/// Writes a project's record of processing (Markdown when `markdown`, else HTML), dated
/// today (local), to a planned output, and audits it under the path as asked for.
pub fn accountability_report(
    v: &Vault,
    clock: &dyn Clock,
    project: Option<&str>,
    plan: &Plan,
    shown_as: &Path,
    markdown: bool,
) -> Result<()> {
    let project = project_name(v, project)?;
    let a = crate::rights::accountability(v.store(), &project, &clock.today())?;
    let text = crate::rights::accountability_file(&a, markdown)?;
    plan.write(text.as_bytes())?;
    let detail = format!(
        "project {project}: record of processing to {}",
        shown_as.display()
    );
    record(v, Action::Report, &detail)
}
