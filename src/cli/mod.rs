//! The command-line shell: parse, call the core, print. Errors map to exit codes here only.

mod analyse;
pub mod args;
mod export;
mod prompt;
mod rights;
pub mod term;

use std::fmt;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use fieldnotes::app::{self, AppError, SystemClock};
use fieldnotes::audit::Action;
use fieldnotes::export::ExportError;
use fieldnotes::model::{self, Note};
use fieldnotes::outfile::{self, OutputError};
use fieldnotes::store::{NewParticipant, NewProject, NewSession, StoreError};
use fieldnotes::text::for_terminal;
use fieldnotes::vault::{self, KdfSettings, Unlock, Vault, VaultError};
use secrecy::SecretString;

use args::*;
use term::Out;

/// A failure, already in the user's words.
#[derive(Debug)]
pub enum CliError {
    /// From the vault or store.
    Vault(VaultError),
    /// A message of our own.
    Msg(String),
    /// Writing output failed.
    Io(std::io::Error),
}

impl CliError {
    /// A plain message.
    pub fn msg(s: impl Into<String>) -> Self {
        CliError::Msg(s.into())
    }

    /// 2 for a failed authentication, 1 for anything else. (A command line that does not
    /// parse exits with [`EXIT_USAGE`], before any of this runs.)
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Vault(v) if v.is_auth_failure() => 2,
            _ => 1,
        }
    }

    fn is_disk_full(&self) -> bool {
        match self {
            CliError::Vault(VaultError::Store(StoreError::DiskFull)) => true,
            CliError::Io(e) => e.raw_os_error() == Some(libc::ENOSPC),
            _ => false,
        }
    }

    /// `fieldnotes note list | head` is not an error.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Vault(e) => write!(f, "{e}"),
            CliError::Msg(m) => f.write_str(m),
            CliError::Io(e) => write!(f, "could not write the output: {e}"),
        }
    }
}

impl From<VaultError> for CliError {
    fn from(e: VaultError) -> Self {
        CliError::Vault(e)
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        CliError::Vault(VaultError::Store(e))
    }
}

impl From<AppError> for CliError {
    fn from(e: AppError) -> Self {
        match e.into_vault_error() {
            Ok(v) => CliError::Vault(v),
            Err(AppError::Output(o) | AppError::Export(ExportError::Output(o))) => o.into(),
            Err(other) => CliError::Msg(other.to_string()),
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Io(e)
    }
}

impl From<OutputError> for CliError {
    fn from(e: OutputError) -> Self {
        match e {
            OutputError::Exists(p) => CliError::msg(format!(
                "{} already exists: nothing was written; add --force to replace it, or choose another name",
                p.display()
            )),
            other => CliError::msg(other.to_string()),
        }
    }
}

/// The exit code of a command line that does not parse (BSD's EX_USAGE): distinct from 2,
/// which says the passphrase or identity was wrong.
pub const EXIT_USAGE: u8 = 64;

/// Said instead of "nothing was saved" when a command that only reads meets a full disk.
const READ_DISK_FULL: &str = "the disk is full: fieldnotes needs a little free space even to read the vault (SQLite's shared-memory index beside the vault file, and for some commands a line in the audit trail); nothing in the vault was changed. Free some space and try again";

type Result<T> = std::result::Result<T, CliError>;

/// Reads the local UTC offset while the process is still single-threaded: the CLI and the
/// app both tell the time by the clock it sets.
pub fn init_local_offset() {
    SystemClock::local();
}

/// The clock of this process, in the local offset read at start.
pub(crate) fn clock() -> SystemClock {
    SystemClock::local()
}

fn local_time(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(clock().offset());
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    t.format(fmt).unwrap_or_default()
}

fn offset(ms: i64) -> String {
    let s = ms / 1000;
    format!("+{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}

fn vault_dir(args: &Cli) -> Result<PathBuf> {
    match &args.vault {
        Some(d) => Ok(d.clone()),
        None => vault::default_dir().ok_or_else(|| {
            CliError::msg("could not find your home folder to place the vault: pass --vault DIR")
        }),
    }
}

/// The scrypt work factor for new passphrase wraps. Lowering it is for the test suite only
/// (debug builds): a release build refuses the override instead of weakening a real vault.
fn kdf(args: &Cli) -> Result<KdfSettings> {
    if args.kdf_work_factor.is_some() && !cfg!(debug_assertions) {
        return Err(CliError::msg(
            "FIELDNOTES_KDF_WORK_FACTOR (--kdf-work-factor) is for the test suite only and would weaken the passphrase's protection: unset it",
        ));
    }
    Ok(KdfSettings {
        work_factor: args.kdf_work_factor,
    })
}

fn unlock_method(args: &Cli) -> Result<Unlock> {
    if let Some(id_file) = &args.identity {
        let text = std::fs::read_to_string(id_file).map_err(|e| {
            CliError::msg(format!(
                "could not read the identity file {}: {e}",
                id_file.display()
            ))
        })?;
        let ids = vault::keys::parse_identities(&text).map_err(|e| {
            CliError::msg(format!(
                "{} is not an age identity file: {e}",
                id_file.display()
            ))
        })?;
        return Ok(Unlock::Identities(ids));
    }
    Ok(Unlock::Passphrase(passphrase(
        args,
        "Passphrase for the vault: ",
    )?))
}

fn passphrase(args: &Cli, prompt: &str) -> Result<SecretString> {
    match &args.passphrase_file {
        Some(f) => prompt::from_file(f),
        None => prompt::ask_once(prompt),
    }
}

pub(crate) fn open(args: &Cli) -> Result<Vault> {
    let dir = vault_dir(args)?;
    let v = Vault::open(&dir, unlock_method(args)?, kdf(args)?)?;
    Ok(v)
}

/// Runs one command line.
pub fn run(args: Cli) -> Result<()> {
    let Some(command) = &args.command else {
        if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
            return Err(CliError::msg(
                "the full-screen app needs a terminal: run fieldnotes in one, or use a subcommand (see fieldnotes --help)",
            ));
        }
        return crate::tui::run(vault_dir(&args)?, kdf(&args)?)
            .map_err(|e| CliError::msg(format!("the terminal failed: {e}")));
    };
    let stdout = std::io::stdout();
    let mut out = Out::new(stdout.lock(), stdout.is_terminal());
    let result = dispatch(&args, command, &mut out).and_then(|()| Ok(out.finish()?));
    result.map_err(|e| {
        if e.is_disk_full() && command.only_reads() {
            CliError::msg(READ_DISK_FULL)
        } else {
            e
        }
    })
}

impl Command {
    /// True for the commands that change nothing in the vault (they may still record in the
    /// audit trail that they read it).
    fn only_reads(&self) -> bool {
        match self {
            Command::Project(c) => matches!(
                c,
                ProjectCmd::List | ProjectCmd::Show { .. } | ProjectCmd::Lists { .. }
            ),
            Command::Session(c) => matches!(c, SessionCmd::List { .. } | SessionCmd::Show { .. }),
            Command::Participant(c) => matches!(c, ParticipantCmd::List { .. }),
            Command::Person(c) => matches!(c, PersonCmd::List { .. }),
            Command::Note(c) => matches!(c, NoteCmd::List { .. }),
            Command::Theme(c) => matches!(c, ThemeCmd::List { .. }),
            Command::Recipient(c) => matches!(c, RecipientCmd::List),
            Command::Retention(r) => !r.apply,
            Command::Search(_) | Command::Audit(_) | Command::Check | Command::Analyse(_) => true,
            _ => false,
        }
    }
}

fn dispatch(args: &Cli, command: &Command, out: &mut Out<impl Write>) -> Result<()> {
    match command {
        Command::Init => init(args, out),
        Command::Project(c) => project(&open(args)?, c, out),
        Command::Session(c) => session(&open(args)?, c, out),
        Command::Participant(c) => participant(&open(args)?, c, out),
        Command::Person(c) => person(&open(args)?, c, out),
        Command::Note(c) => note(args, c, out),
        Command::Theme(c) => theme(&open(args)?, c, out),
        Command::Tag(t) => tag(&open(args)?, t, out),
        Command::Search(s) => search(&open(args)?, s, out),
        Command::Audit(a) => audit(&open(args)?, a, out),
        Command::Check => {
            let pages = app::vault_ops::check(&open(args)?)?;
            writeln!(
                out,
                "The vault is intact: {pages} pages read and authenticated, structure checked."
            )?;
            Ok(())
        }
        Command::Passwd(p) => passwd(args, p, out),
        Command::Recipient(r) => recipient(args, r, out),
        Command::Backup(b) => backup(args, b, out),
        Command::Restore(r) => restore(args, r, out),
        Command::Redact(r) => redact(args, r, out),
        Command::Export(e) => export::run(&open(args)?, e, out),
        Command::SubjectAccess(a) => rights::subject_access(args, a, out),
        Command::Erase(e) => rights::erase(&open(args)?, e, out),
        Command::Retention(r) => rights::retention(&open(args)?, r, out),
        Command::Report(r) => rights::report(&open(args)?, r, out),
        Command::Analyse(a) => analyse::run(&open(args)?, a, out),
    }
}

fn init(args: &Cli, out: &mut impl Write) -> Result<()> {
    let dir = vault_dir(args)?;
    if dir.join("keys").join("passphrase.age").exists() {
        return Err(VaultError::AlreadyExists(dir).into());
    }
    let pass = match &args.passphrase_file {
        Some(f) => prompt::from_file(f)?,
        None => prompt::ask_new("New passphrase for the vault")?,
    };
    Vault::init(&dir, &pass, kdf(args)?)?;
    writeln!(out, "Created a vault at {}", dir.display())?;
    writeln!(
        out,
        "Keep the passphrase safe: without it (or a recovery key from `fieldnotes recipient add`) the notes cannot be read by anyone."
    )?;
    Ok(())
}

fn opt(label: &str, v: &Option<String>, out: &mut impl Write) -> Result<()> {
    if let Some(v) = v {
        writeln!(out, "{label:<28}{}", for_terminal(v, false))?;
    }
    Ok(())
}

fn project(v: &Vault, c: &ProjectCmd, out: &mut impl Write) -> Result<()> {
    let s = v.store();
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
            for p in s.projects()? {
                let sessions = s.sessions(Some(&p.name))?.len();
                writeln!(
                    out,
                    "{}\t{} session(s)",
                    for_terminal(&p.name, false),
                    sessions
                )?;
            }
        }
        ProjectCmd::Show { name } => {
            let p = s.project(name)?;
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
            app::projects::list_add(v, name, deny, phrase)?;
            let list = if deny { "deny" } else { "allow" };
            writeln!(
                out,
                "Added to the {list} list of {}.",
                for_terminal(name, false)
            )?;
        }
        ProjectCmd::Unlist { name, phrase } => {
            if !app::projects::list_remove(v, name, phrase)? {
                return Err(CliError::msg(format!(
                    "'{}' is on neither list: see `fieldnotes project lists {}`",
                    for_terminal(phrase, false),
                    for_terminal(name, false)
                )));
            }
            writeln!(out, "Removed.")?;
        }
        ProjectCmd::Lists { name } => {
            let (allow, deny) = s.lists(name)?;
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

fn session(v: &Vault, c: &SessionCmd, out: &mut impl Write) -> Result<()> {
    let s = v.store();
    match c {
        SessionCmd::Add(a) => {
            let id = app::sessions::add(
                v,
                &clock(),
                NewSession {
                    project: a.project.clone(),
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
            for x in s.sessions(project.as_deref())? {
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
            let x = s.session(*id)?;
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
            for p in s.participants_of_session(x.id)? {
                writeln!(
                    out,
                    "{:<18}{} ({})",
                    "Participant",
                    for_terminal(&p.pseudonym, false),
                    for_terminal(p.role.as_deref().unwrap_or("no role"), false)
                )?;
            }
            writeln!(out, "{:<18}{}", "Notes", s.notes(x.id)?.len())?;
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

fn participant(v: &Vault, c: &ParticipantCmd, out: &mut impl Write) -> Result<()> {
    let s = v.store();
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
        } => rights::withdraw(v, code, project.as_deref(), *erase, *yes, out)?,
        ParticipantCmd::Restrict { code, project } => {
            rights::restrict(v, code, project.as_deref(), true, out)?
        }
        ParticipantCmd::Unrestrict { code, project } => {
            rights::restrict(v, code, project.as_deref(), false, out)?
        }
        ParticipantCmd::List { session, project } => {
            let list = match (session, project) {
                (Some(id), _) => s.participants_of_session(*id)?,
                (None, Some(p)) => s.participants_of_project(p)?,
                (None, None) => Vec::new(),
            };
            for p in list {
                let mut status = Vec::new();
                if p.restricted {
                    status.push("restricted".to_owned());
                }
                if let (Some(on), Some(how)) = (&p.withdrawn_on, &p.withdrawal) {
                    status.push(format!("withdrew {on} ({how})"));
                }
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    for_terminal(&p.pseudonym, false),
                    for_terminal(p.real_name.as_deref().unwrap_or("(erased)"), false),
                    for_terminal(p.role.as_deref().unwrap_or("-"), false),
                    p.consent.map(|c| c.as_str()).unwrap_or("-"),
                    if status.is_empty() {
                        "-".to_owned()
                    } else {
                        status.join(", ")
                    }
                )?;
            }
        }
    }
    Ok(())
}

fn person(v: &Vault, c: &PersonCmd, out: &mut impl Write) -> Result<()> {
    match c {
        PersonCmd::Add {
            project,
            name,
            pseudonym,
        } => {
            let code = app::people::person_add(v, project, name, pseudonym.clone())?;
            writeln!(out, "{}", for_terminal(&code, false))?;
        }
        PersonCmd::List { project } => {
            for p in v.store().people_mentioned(project)? {
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

fn read_note_text() -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        term::say("Type the note, then Ctrl+D on a new line:");
    }
    let mut buf = Vec::new();
    stdin
        .lock()
        .take(fieldnotes::text::MAX_NOTE_BYTES as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| CliError::msg(format!("could not read the note from standard input: {e}")))?;
    if buf.len() > fieldnotes::text::MAX_NOTE_BYTES {
        return Err(CliError::msg(format!(
            "the note is larger than {} MB: nothing was saved; split it into several notes",
            fieldnotes::text::MAX_NOTE_BYTES / (1024 * 1024)
        )));
    }
    String::from_utf8(buf).map_err(|_| {
        CliError::msg("the note is not UTF-8 text: nothing was saved; convert it to UTF-8 first")
    })
}

fn note(args: &Cli, c: &NoteCmd, out: &mut Out<impl Write>) -> Result<()> {
    match c {
        NoteCmd::Add(a) => {
            if args
                .passphrase_file
                .as_deref()
                .is_some_and(|p| p.as_os_str() == "-")
            {
                return Err(CliError::msg(
                    "note add reads the note on standard input, so the passphrase cannot come from it too: use a passphrase file",
                ));
            }
            // Read the note before unlocking: typing it must not wait on the vault.
            let text = read_note_text()?;
            let v = open(args)?;
            let id = app::notes::add(
                &v,
                &clock(),
                app::notes::NoteInput {
                    session_id: a.session,
                    speaker: a.speaker.clone(),
                    kind: a.kind,
                    text,
                    special_category: a.special_category,
                    criminal_offence: a.criminal_offence,
                    themes: a.themes.clone(),
                    ..Default::default()
                },
            )?;
            writeln!(out, "{id}")?;
        }
        NoteCmd::List { session, format } => {
            let v = open(args)?;
            let notes = v.store().notes(*session)?;
            match format {
                OutputFormat::Json => {
                    let json =
                        fieldnotes::text::json_pretty(&notes).map_err(std::io::Error::other)?;
                    writeln!(out.data()?, "{json}")?;
                }
                OutputFormat::Text => {
                    for n in &notes {
                        print_note(n, out)?;
                    }
                    if let Some(d) = v.store().draft(*session)? {
                        writeln!(out, "(draft, not yet saved as a note; the app restores it)")?;
                        for line in d.text.lines() {
                            writeln!(out, "    {}", for_terminal(line, false))?;
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

fn print_note(n: &Note, out: &mut impl Write) -> Result<()> {
    let mut head = format!("#{} {}", n.id, local_time(n.created_at_ms));
    if let Some(o) = n.offset_ms {
        head.push_str(&format!(" {}", offset(o)));
    }
    head.push_str(&format!(" {}", n.speaker.as_deref().unwrap_or("-")));
    head.push_str(&format!(" {}", n.kind));
    if n.special_category {
        head.push_str(" [special category]");
    }
    if n.criminal_offence {
        head.push_str(" [criminal offence]");
    }
    if !n.themes.is_empty() {
        head.push_str(&format!(" {{{}}}", n.themes.join(", ")));
    }
    writeln!(out, "{}", for_terminal(&head, false))?;
    for line in n.text.lines() {
        writeln!(out, "    {}", for_terminal(line, false))?;
    }
    Ok(())
}

fn theme(v: &Vault, c: &ThemeCmd, out: &mut impl Write) -> Result<()> {
    let s = v.store();
    match c {
        ThemeCmd::Add {
            name,
            project,
            parent,
            description,
            colour,
        } => {
            let p = s.resolve_project(project.as_deref())?;
            app::themes::add(
                v,
                &p.name,
                app::themes::NewTheme {
                    name: name.clone(),
                    parent: parent.clone(),
                    description: description.clone(),
                    colour: colour.clone(),
                },
            )?;
            writeln!(
                out,
                "{}",
                for_terminal(name.trim().trim_start_matches('#'), false)
            )?;
        }
        ThemeCmd::List { project } => {
            let p = s.resolve_project(project.as_deref())?;
            for t in s.themes(&p.name)? {
                let indent = "  ".repeat(t.depth);
                let desc = t.description.map(|d| format!("\t{d}")).unwrap_or_default();
                writeln!(
                    out,
                    "{indent}{}{}",
                    for_terminal(&t.name, false),
                    for_terminal(&desc, false)
                )?;
            }
        }
        other => analyse::theme(v, other, out)?,
    }
    Ok(())
}

fn parse_span(s: &str) -> Result<(usize, usize)> {
    let bad = || {
        CliError::msg(format!(
            "'{s}' is not a span: write START..END, e.g. 10..42"
        ))
    };
    let (a, b) = s.split_once("..").ok_or_else(bad)?;
    Ok((
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    ))
}

fn tag(v: &Vault, t: &TagArgs, out: &mut impl Write) -> Result<()> {
    let span = t.span.as_deref().map(parse_span).transpose()?;
    let created = v.store().tag(t.note, &t.theme, span)?;
    if created {
        term::say(&format!(
            "Added the theme '{}' to the codebook.",
            for_terminal(t.theme.trim(), false)
        ));
    }
    writeln!(
        out,
        "Tagged note {} with {}",
        t.note,
        for_terminal(t.theme.trim(), false)
    )?;
    Ok(())
}

fn search(v: &Vault, a: &SearchArgs, out: &mut impl Write) -> Result<()> {
    let q = a.query.join(" ");
    let hits = v.store().search(
        &q,
        a.project.as_deref(),
        &fieldnotes::mentions::AnonymiserNames,
    )?;
    if hits.is_empty() {
        term::say(&format!("No note matches '{}'.", for_terminal(&q, false)));
    }
    for h in hits {
        writeln!(
            out,
            "{} / session {} ({}):",
            for_terminal(&h.project, false),
            h.session_id,
            for_terminal(&h.session_title, false)
        )?;
        print_note(&h.note, out)?;
    }
    Ok(())
}

fn audit(v: &Vault, a: &AuditArgs, out: &mut impl Write) -> Result<()> {
    if a.verify {
        return audit_verify(v, a, out);
    }
    for e in app::vault_ops::audit_trail(v)? {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            e.id,
            e.at,
            for_terminal(&e.actor, false),
            for_terminal(&e.action, false),
            for_terminal(&e.detail, false)
        )?;
    }
    Ok(())
}

/// Checks the chain, then every anchor: given ones, given backups', and the newest backup in
/// the default folder. Says what was proved and what was not.
fn audit_verify(v: &Vault, a: &AuditArgs, out: &mut impl Write) -> Result<()> {
    let n = app::vault_ops::audit_chain(v)?;
    let mut anchors = Vec::new();
    for given in &a.anchors {
        anchors.extend(anchors_in(given)?);
    }
    let found = app::vault_ops::backup_anchors(v, &a.backups)?;
    for (file, anchor) in found.anchors {
        let shown = for_terminal(&file.display().to_string(), false);
        anchors.push((anchor, format!("the backup {shown}")));
    }
    if let Some((file, e)) = found.unchecked {
        writeln!(
            out,
            "(The newest backup, {}, was not checked: {})",
            for_terminal(&file.display().to_string(), false),
            for_terminal(&e.to_string(), false)
        )?;
    }
    let head = app::vault_ops::audit_anchors(v, &anchors)?;
    writeln!(
        out,
        "The audit trail is intact: {n} events, each linked to the one before, so none was edited, reordered or removed from the middle."
    )?;
    for (a, source) in &anchors {
        writeln!(
            out,
            "Event {} as recorded in {source}: still there, unchanged.",
            a.id
        )?;
    }
    match anchors.iter().max_by_key(|(a, _)| a.id) {
        Some((a, _)) => writeln!(
            out,
            "So no event up to number {} was removed. Events after it could have been removed from the end without trace: only a later anchor can show that.",
            a.id
        )?,
        None => writeln!(
            out,
            "No anchor was checked, so events removed from the end of the trail would not show. Every backup in the vault's backups folder is an anchor (checked by default), and every export and report carries one: pass it with --anchor FILE."
        )?,
    }
    if let Some(head) = head {
        writeln!(out, "Anchor now: {head}")?;
    }
    Ok(())
}

/// The anchor given as `N:HASH`, or every anchor a file carries.
fn anchors_in(given: &str) -> Result<Vec<(fieldnotes::audit::Anchor, String)>> {
    use fieldnotes::audit::Anchor;
    if let Ok(a) = given.parse::<Anchor>() {
        return Ok(vec![(a, "the anchor given".to_owned())]);
    }
    let shown = for_terminal(given, false);
    let bytes = std::fs::read(given).map_err(|e| {
        CliError::msg(format!(
            "'{shown}' is neither an audit anchor (N:HASH) nor a file that can be read ({e})"
        ))
    })?;
    let text = String::from_utf8_lossy(&bytes);
    let found: Vec<_> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == ':'))
        .filter_map(|w| w.parse::<Anchor>().ok())
        .map(|a| (a, format!("the file {shown}")))
        .collect();
    if found.is_empty() {
        return Err(CliError::msg(format!(
            "{shown} carries no audit anchor: exports (Markdown, HTML, JSON), subject access reports and records of processing made by this version carry one"
        )));
    }
    Ok(found)
}

fn passwd(args: &Cli, p: &PasswdArgs, out: &mut impl Write) -> Result<()> {
    let mut v = open(args)?;
    let new = match &p.new_passphrase_file {
        Some(f) => prompt::from_file(f)?,
        None => prompt::ask_new("New passphrase")?,
    };
    app::keys::change_passphrase(&mut v, new)?;
    writeln!(
        out,
        "Passphrase changed. Backups made before today still open with the old one."
    )?;
    Ok(())
}

fn recipient(args: &Cli, r: &RecipientCmd, out: &mut impl Write) -> Result<()> {
    let v = open(args)?;
    match r {
        RecipientCmd::Add { name, public_key } => {
            app::keys::recipient_add(&v, name, public_key)?;
            writeln!(
                out,
                "The vault now also opens with the identity of '{}'.",
                for_terminal(name, false)
            )?;
        }
        RecipientCmd::List => {
            for (name, key) in app::keys::recipients(&v)? {
                writeln!(
                    out,
                    "{}\t{}",
                    for_terminal(&name, false),
                    for_terminal(&key, false)
                )?;
            }
        }
        RecipientCmd::Remove { name } => {
            app::keys::recipient_remove(v, name)?;
            writeln!(
                out,
                "Removed '{}' and moved the vault to a new key: old copies of its key file no longer open it.",
                for_terminal(name, false)
            )?;
        }
    }
    Ok(())
}

pub(crate) fn parse_recipients(keys: &[String]) -> Result<Vec<age::x25519::Recipient>> {
    Ok(app::keys::parse_public_keys(keys)?)
}

fn backup(args: &Cli, b: &BackupArgs, out: &mut impl Write) -> Result<()> {
    let recipients = parse_recipients(&b.recipients)?;
    // refuse an existing file before unlocking, not after the work
    if let Some(p) = &b.out {
        outfile::plan(p, b.force)?;
    }
    let mut v = open(args)?;
    let written = app::vault_ops::backup(&mut v, &clock(), b.out.as_deref(), b.force, &recipients)?;
    let (path, plan) = (written.path, written.plan);
    if plan.is_file() {
        let to = if recipients.is_empty() {
            "the passphrase in force now: it opens with that passphrase, even after a later change"
                .to_owned()
        } else {
            format!(
                "{} recipient key(s): it opens with their identities",
                recipients.len()
            )
        };
        writeln!(out, "Backup written, encrypted to {to}:")?;
        writeln!(out, "{}", for_terminal(&path.display().to_string(), false))?;
    } else {
        // the stream may be standard output itself: keep it for the backup's bytes
        term::say(&format!("Backup written to {}", path.display()));
    }
    Ok(())
}

fn restore(args: &Cli, r: &RestoreArgs, out: &mut impl Write) -> Result<()> {
    prompt::confirm(
        &format!(
            "Replace everything in the vault with the contents of {}?",
            r.file.display()
        ),
        r.yes,
    )?;
    let backup_pass = r
        .backup_passphrase_file
        .as_deref()
        .map(prompt::from_file)
        .transpose()?;
    let ids = match &args.identity {
        Some(f) => {
            let text = std::fs::read_to_string(f)
                .map_err(|e| CliError::msg(format!("could not read {}: {e}", f.display())))?;
            vault::keys::parse_identities(&text).map_err(CliError::Msg)?
        }
        None => Vec::new(),
    };
    let from = app::vault_ops::RestoreFrom {
        file: &r.file,
        passphrase: backup_pass.as_ref(),
        identities: &ids,
    };
    let report =
        app::vault_ops::restore(&vault_dir(args)?, unlock_method(args)?, kdf(args)?, from)?;
    if let Some(why) = &report.unreadable {
        writeln!(
            out,
            "The vault file could not be read ({}); the backup replaces it.",
            for_terminal(why, false)
        )?;
    }
    writeln!(
        out,
        "Restored the vault from {}. It keeps its own passphrase and key recipients ({}), not the backup's; {} erasure(s) made since the backup were applied again.",
        for_terminal(&r.file.display().to_string(), false),
        if report.recipients.is_empty() {
            "none besides the passphrase".to_owned()
        } else {
            for_terminal(&report.recipients.join(", "), false)
        },
        report.reapplied
    )?;
    Ok(())
}

fn redact(args: &Cli, r: &RedactArgs, out: &mut Out<impl Write>) -> Result<()> {
    use fieldnotes::anonymise::{Anonymiser, Registry, parse_names_file};
    let mut registry = match &r.project {
        Some(p) => {
            if args
                .passphrase_file
                .as_deref()
                .is_some_and(|f| f.as_os_str() == "-")
            {
                return Err(CliError::msg(
                    "redact reads the text on standard input, so the passphrase cannot come from it too",
                ));
            }
            let v = open(args)?;
            let reg = fieldnotes::mentions::registry(v.store(), p)?;
            app::record(
                &v,
                Action::Redact,
                "text anonymised with the project's registry",
            )?;
            reg
        }
        None => Registry::default(),
    };
    if let Some(f) = &r.names {
        let text = std::fs::read_to_string(f).map_err(|e| {
            CliError::msg(format!(
                "could not read the names file {}: {e}",
                f.display()
            ))
        })?;
        registry.people.extend(parse_names_file(&text));
    }
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|_| CliError::msg("the input is not UTF-8 text: convert it to UTF-8 first"))?;
    let anonymiser = Anonymiser::new(&registry);
    let result = anonymiser.redact(&input);
    out.data()?.write_all(result.text.as_bytes())?;
    if r.explain {
        for s in &result.substitutions {
            let line = serde_json::to_string(s).map_err(std::io::Error::other)?;
            term::say(&line);
        }
    }
    Ok(())
}
