//! The command-line shell: parse, call a use case, print. This file dispatches each command
//! to the file of its area and maps errors to exit codes, here only.

mod analyse;
pub mod args;
mod disclosures;
mod docs;
mod export;
mod guide;
mod notes;
mod people;
mod projects;
mod prompt;
mod quotes;
mod rights;
mod sessions;
mod team;
pub mod term;
mod themes;
mod vault;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use fieldnotes::app::{self, AppError, SystemClock};
use fieldnotes::export::ExportError;
use fieldnotes::outfile::OutputError;
use fieldnotes::text::for_terminal;
use fieldnotes::vault::keys::Identity;
use fieldnotes::vault::{KdfSettings, Unlock, Vault, VaultError};
use secrecy::SecretString;

use args::*;
use term::Out;

/// A failure, already in the user's words, each with what to do next.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// From the vault or store.
    #[error("{0}")]
    Vault(VaultError),
    /// A use case refused or failed for a reason of its own.
    #[error("{0}")]
    App(AppError),
    /// Writing output failed.
    #[error("could not write the output: {0}")]
    Io(#[from] std::io::Error),
    /// An output file that exists, without --force.
    #[error(
        "{} already exists: nothing was written; add --force to replace it, or choose another name",
        .0.display()
    )]
    OutputExists(PathBuf),
    /// An output file that could not be written.
    #[error("{0}")]
    Output(OutputError),
    /// A command that only reads met a full disk (said instead of "nothing was saved").
    #[error(
        "the disk is full: fieldnotes needs a little free space even to read the vault (SQLite's shared-memory index beside the vault file, and for some commands a line in the audit trail); nothing in the vault was changed. Free some space and try again"
    )]
    ReadDiskFull,
    /// No --vault and no home folder to find the default one in.
    #[error("could not find your home folder to place the vault: pass --vault DIR")]
    NoHomeFolder,
    /// The test-only work factor in a release build.
    #[error(
        "FIELDNOTES_KDF_WORK_FACTOR (--kdf-work-factor) is for the test suite only and would weaken the passphrase's protection: unset it"
    )]
    TestWorkFactor,
    /// The identity file could not be read.
    #[error("could not read the identity file {}: {source}", path.display())]
    IdentityUnreadable {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The identity file holds no identity that can be used.
    #[error("{} cannot be used as an identity file: {reason}", path.display())]
    NotAnIdentity {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        reason: fieldnotes::vault::keys::IdentityError,
    },
    /// `man --dir` given something that is not a folder.
    #[error("{} is not a folder: create it first (e.g. mkdir -p ~/.local/share/man/man1)", .0.display())]
    ManDir(PathBuf),
    /// A manual page could not be written.
    #[error("could not write the manual pages into {}: {source}", dir.display())]
    ManWrite {
        /// The folder.
        dir: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The passphrase given for a protected identity file (or SSH key) does not open it.
    #[error(
        "the passphrase does not open {what} {}: nothing was changed; try again, or give the right one with --passphrase-file FILE",
        path.display()
    )]
    IdentityPassphrase {
        /// The file.
        path: PathBuf,
        /// What it protects, in words.
        what: &'static str,
    },
    /// No subcommand, and no terminal to run the full-screen app in.
    #[error(
        "the full-screen app needs a terminal: run fieldnotes in one, or use a subcommand (see fieldnotes --help)"
    )]
    NoTerminal,
    /// The full-screen app's terminal failed.
    #[error("the terminal failed: {0}")]
    Terminal(std::io::Error),
    /// A phrase to take off the lists that is on neither (both made safe for a terminal).
    #[error("'{phrase}' is on neither list: see `fieldnotes project lists {project}`")]
    NotOnList {
        /// The phrase.
        phrase: String,
        /// The project.
        project: String,
    },
    /// A topic guide file that could not be read.
    #[error("could not read the topic guide {}: {reason}; nothing was imported", for_terminal(&path.display().to_string(), false))]
    GuideUnreadable {
        /// The file.
        path: PathBuf,
        /// Why, in words.
        reason: String,
    },
    /// `note add` with the passphrase on standard input, which holds the note.
    #[error(
        "note add reads the note on standard input, so the passphrase cannot come from it too: use a passphrase file"
    )]
    NotePassphraseOnStdin,
    /// The note could not be read from standard input.
    #[error("could not read the note from standard input: {0}")]
    NoteUnreadable(std::io::Error),
    /// The note is not UTF-8.
    #[error("the note is not UTF-8 text: nothing was saved; convert it to UTF-8 first")]
    NoteNotUtf8,
    /// A span that is not `START..END`.
    #[error("'{0}' is not a span: write START..END, e.g. 10..42")]
    Span(String),
    /// `--anchor` given something that is neither an anchor nor a readable file.
    #[error("'{given}' is neither an audit anchor (N:HASH) nor a file that can be read ({source})")]
    AnchorUnreadable {
        /// What was given (made safe for a terminal).
        given: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A file given as an anchor that carries none.
    #[error(
        "{0} carries no audit anchor: exports (Markdown, HTML, JSON), subject access reports and records of processing made by this version carry one"
    )]
    NoAnchor(String),
    /// `redact` with the passphrase on standard input, which holds the text.
    #[error(
        "redact reads the text on standard input, so the passphrase cannot come from it too: use a passphrase file"
    )]
    RedactPassphraseOnStdin,
    /// The names file could not be read.
    #[error("could not read the names file {}: {source}", path.display())]
    NamesFile {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The text to redact is not UTF-8.
    #[error("the input is not UTF-8 text: convert it to UTF-8 first")]
    InputNotUtf8,
    /// An export file whose name gives no format, and no --format.
    #[error("{0}, or say which with --format md|html|csv|json|qdpx|xlsx")]
    FormatFromName(fieldnotes::export::FormatError),
    /// A subject access report asked for with no way to protect it.
    #[error(
        "a subject access report names the person, so it is encrypted: give --recipient AGE_PUBLIC_KEY, --out-passphrase-file FILE, or --plaintext"
    )]
    SubjectAccessUnprotected,
    /// A subject access report asked for into a device or stream (made safe for a terminal).
    #[error(
        "{0} is a device, fifo or standard output, but a subject access report is two files (the report and its JSON beside it): nothing was written; name a file in a folder"
    )]
    SubjectAccessNotAFile(String),
    /// The passphrase could not be read from standard input.
    #[error("could not read the passphrase from standard input: {0}")]
    PassphraseStdin(std::io::Error),
    /// The passphrase file could not be read.
    #[error("could not read the passphrase file {}: {source}", path.display())]
    PassphraseFile {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The passphrase file is not UTF-8.
    #[error("the passphrase file is not UTF-8 text")]
    PassphraseFileNotUtf8,
    /// The passphrase file is empty.
    #[error("the passphrase file is empty")]
    PassphraseFileEmpty,
    /// No terminal to ask for a passphrase on.
    #[error(
        "no terminal to ask for the passphrase: pass --passphrase-file FILE (or - for standard input)"
    )]
    NoTerminalToAsk,
    /// The terminal failed while asking for a passphrase.
    #[error("could not read the passphrase from the terminal ({0}): pass --passphrase-file FILE")]
    PassphraseTerminal(std::io::Error),
    /// A new passphrase typed twice, differently.
    #[error("the two passphrases differ: nothing was changed; try again")]
    PassphrasesDiffer,
    /// A step that cannot be undone, with no terminal to confirm it on and no --yes.
    #[error("{0} This cannot be undone: add --yes to confirm")]
    NeedsYes(String),
    /// The user did not confirm.
    #[error("cancelled: nothing was changed")]
    Cancelled,
    /// Some bundles given to `team receive` were refused (each is listed above the error).
    #[error(
        "{0} of the bundles given could not be applied: each is listed above, with why. Those were not applied; the others were"
    )]
    BundlesRefused(usize),
}

impl CliError {
    /// 2 for a failed authentication, 1 for anything else. (A command line that does not
    /// parse exits with [`EXIT_USAGE`], before any of this runs.)
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Vault(v) if v.is_auth_failure() => 2,
            CliError::IdentityPassphrase { .. } => 2,
            _ => 1,
        }
    }

    fn is_disk_full(&self) -> bool {
        match self {
            CliError::Vault(v) => v.is_disk_full(),
            CliError::App(a) => a.is_disk_full(),
            CliError::Io(e) => e.raw_os_error() == Some(libc::ENOSPC),
            _ => false,
        }
    }

    /// `fieldnotes note list | head` is not an error.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

impl From<VaultError> for CliError {
    fn from(e: VaultError) -> Self {
        CliError::Vault(e)
    }
}

impl From<AppError> for CliError {
    fn from(e: AppError) -> Self {
        match e.into_vault_error() {
            Ok(v) => CliError::Vault(v),
            Err(AppError::Output(o) | AppError::Export(ExportError::Output(o))) => o.into(),
            Err(other) => CliError::App(other),
        }
    }
}

impl From<OutputError> for CliError {
    fn from(e: OutputError) -> Self {
        match e {
            OutputError::Exists(p) => CliError::OutputExists(p),
            other => CliError::Output(other),
        }
    }
}

/// The exit code of a command line that does not parse (BSD's EX_USAGE): distinct from 2,
/// which says the passphrase or identity was wrong.
pub const EXIT_USAGE: u8 = 64;

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

pub(crate) fn vault_dir(args: &Cli) -> Result<PathBuf> {
    match &args.vault {
        Some(d) => Ok(d.clone()),
        None => fieldnotes::vault::default_dir().ok_or(CliError::NoHomeFolder),
    }
}

/// The scrypt work factor for new passphrase wraps. Lowering it is for the test suite only
/// (debug builds): a release build refuses the override instead of weakening a real vault.
pub(crate) fn kdf(args: &Cli) -> Result<KdfSettings> {
    if args.kdf_work_factor.is_some() && !cfg!(debug_assertions) {
        return Err(CliError::TestWorkFactor);
    }
    Ok(KdfSettings {
        work_factor: args.kdf_work_factor,
    })
}

pub(crate) fn unlock_method(args: &Cli) -> Result<Unlock> {
    unlock_with(args, identities(args)?)
}

/// The identities already read from `--identity`, or else the vault's passphrase.
pub(crate) fn unlock_with(args: &Cli, ids: Option<Vec<Identity>>) -> Result<Unlock> {
    if let Some(ids) = ids {
        return Ok(Unlock::Identities(ids));
    }
    Ok(Unlock::Passphrase(passphrase(
        args,
        "Passphrase for the vault: ",
    )?))
}

/// The identities of `--identity FILE`, if given: an age identity file, one protected with a
/// passphrase (`age -p`), or an SSH private key. A passphrase the file needs comes from
/// `--passphrase-file` (which, with `--identity`, is that file's), or is asked on the terminal. Every identity file is read here.
pub(crate) fn identities(args: &Cli) -> Result<Option<Vec<Identity>>> {
    use fieldnotes::vault::keys::{IdentityError, Protected, ReadError, read_identity_file};
    let Some(path) = &args.identity else {
        return Ok(None);
    };
    let bytes = zeroize::Zeroizing::new(std::fs::read(path).map_err(|source| {
        CliError::IdentityUnreadable {
            path: path.clone(),
            source,
        }
    })?);
    let what = |p: Protected| match p {
        Protected::AgeFile => "the identity file",
        Protected::SshKey => "the SSH key",
    };
    let ask = |p: Protected| match &args.passphrase_file {
        Some(f) => prompt::from_file(f),
        None => prompt::ask_once(&format!(
            "Passphrase for {} {}: ",
            what(p),
            for_terminal(&path.display().to_string(), false)
        )),
    };
    match read_identity_file(&bytes, ask) {
        Ok(ids) => Ok(Some(ids)),
        Err(ReadError::Ask(e)) => Err(e),
        Err(ReadError::Identity(IdentityError::WrongPassphrase(p))) => {
            Err(CliError::IdentityPassphrase {
                path: path.clone(),
                what: what(p),
            })
        }
        Err(ReadError::Identity(reason)) => Err(CliError::NotAnIdentity {
            path: path.clone(),
            reason,
        }),
    }
}

fn passphrase(args: &Cli, prompt: &str) -> Result<SecretString> {
    match &args.passphrase_file {
        Some(f) => prompt::from_file(f),
        None => prompt::ask_once(prompt),
    }
}

/// Opens the vault for the command on the line. A command that only reads runs beside a
/// fieldnotes that holds the vault (the app, say); one that records its reading in the audit
/// trail is then told where it can run instead, before it reads anything.
pub(crate) fn open(args: &Cli) -> Result<Vault> {
    let dir = vault_dir(args)?;
    let reads = args.command.as_ref().is_some_and(Command::reads_beside);
    if !reads {
        return Ok(Vault::open(&dir, unlock_method(args)?, kdf(args)?)?);
    }
    let v = Vault::open_or_read(&dir, unlock_method(args)?, kdf(args)?)?;
    match v.reading_beside() {
        Some(holder) if args.command.as_ref().is_some_and(Command::records_reading) => {
            Err(VaultError::ReadingBeside(holder).into())
        }
        _ => Ok(v),
    }
}

/// Runs one command line.
pub fn run(args: Cli) -> Result<()> {
    let Some(command) = &args.command else {
        if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
            return Err(CliError::NoTerminal);
        }
        return crate::tui::run(vault_dir(&args)?, kdf(&args)?).map_err(CliError::Terminal);
    };
    let stdout = std::io::stdout();
    let mut out = Out::new(stdout.lock(), stdout.is_terminal());
    let result = dispatch(&args, command, &mut out).and_then(|()| Ok(out.finish()?));
    result.map_err(|e| {
        if e.is_disk_full() && command.only_reads() {
            CliError::ReadDiskFull
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
            Command::Disclosure(c) => matches!(c, args::DisclosureCmd::List { .. }),
            Command::Quotes(c) => matches!(c, QuotesCmd::Pending { .. }),
            Command::Note(c) => matches!(c, NoteCmd::List { .. }),
            Command::Theme(c) => matches!(c, ThemeCmd::List { .. }),
            Command::Guide(c) => matches!(c, GuideCmd::List { .. } | GuideCmd::Show { .. }),
            Command::Recipient(c) => matches!(c, RecipientCmd::List),
            Command::Retention(r) => !r.apply,
            Command::Search(_) | Command::Audit(_) | Command::Check | Command::Analyse(_) => true,
            Command::Settings(SettingsCmd::Researcher { name }) => name.is_none(),
            Command::Team(c) => matches!(c, TeamCmd::Members { .. }),
            _ => false,
        }
    }

    /// True for the commands that may run beside a fieldnotes holding the vault: those that
    /// only read, and an export (a read whose output file is outside the vault).
    fn reads_beside(&self) -> bool {
        self.only_reads() || matches!(self, Command::Export(_))
    }

    /// True for the reading commands that record in the audit trail that they ran (what
    /// was shown or written out), which only the program holding the vault may write.
    fn records_reading(&self) -> bool {
        match self {
            Command::Audit(a) => !a.verify,
            Command::Check | Command::Analyse(_) | Command::Export(_) => true,
            _ => false,
        }
    }
}

fn dispatch(args: &Cli, command: &Command, out: &mut Out<impl Write>) -> Result<()> {
    match command {
        Command::Init => vault::init(args, out),
        Command::Project(c) => projects::project(&open(args)?, c, out),
        Command::Session(c) => sessions::session(&open(args)?, c, out),
        Command::Participant(c) => people::participant(&open(args)?, c, out),
        Command::Person(c) => people::person(&open(args)?, c, out),
        Command::Disclosure(c) => disclosures::run(&open(args)?, c, out),
        Command::Quotes(c) => quotes::run(&open(args)?, c, out),
        Command::Note(c) => notes::note(args, c, out),
        Command::Theme(c) => themes::theme(&open(args)?, c, out),
        Command::Guide(c) => guide::run(&open(args)?, c, out),
        Command::Tag(t) => notes::tag(&open(args)?, t, out),
        Command::Search(s) => notes::search(&open(args)?, s, out),
        Command::Audit(a) => vault::audit(&open(args)?, a, out),
        Command::Check => {
            let pages = app::vault_ops::check(&open(args)?)?;
            writeln!(
                out,
                "The vault is intact: {pages} pages read and authenticated, structure checked."
            )?;
            Ok(())
        }
        Command::Passwd(p) => vault::passwd(args, p, out),
        Command::Recipient(r) => vault::recipient(args, r, out),
        Command::Backup(b) => vault::backup(args, b, out),
        Command::Restore(r) => vault::restore(args, r, out),
        Command::Redact(r) => vault::redact(args, r, out),
        Command::Export(e) => export::run(&open(args)?, e, out),
        Command::SubjectAccess(a) => rights::subject_access(args, a, out),
        Command::Erase(e) => rights::erase(&open(args)?, e, out),
        Command::Retention(r) => rights::retention(&open(args)?, r, out),
        Command::Report(r) => rights::report(&open(args)?, r, out),
        Command::Analyse(a) => analyse::run(&open(args)?, a, out),
        Command::Settings(c) => people::settings(&open(args)?, c, out),
        Command::Team(c) => team::run(args, c, out),
        Command::Completions(c) => docs::completions(c, out),
        Command::Man(m) => docs::man(m, out),
    }
}

/// The project named on the command line, as the vault spells it: any case, or the start
/// of one name (see [`app::projects::resolve_name`]). Every `--project` goes through here.
pub(crate) fn project_arg(v: &Vault, given: Option<&str>) -> Result<Option<String>> {
    Ok(given
        .map(|g| app::projects::resolve_name(v, g))
        .transpose()?)
}

/// [`project_arg`] for a project that must be named.
pub(crate) fn project_named(v: &Vault, given: &str) -> Result<String> {
    Ok(app::projects::resolve_name(v, given)?)
}

/// Prints `label` and the value when there is one (terminal-safe).
fn opt(label: &str, v: &Option<String>, out: &mut impl Write) -> Result<()> {
    if let Some(v) = v {
        writeln!(out, "{label:<28}{}", for_terminal(v, false))?;
    }
    Ok(())
}

pub(crate) fn parse_recipients(keys: &[String]) -> Result<Vec<fieldnotes::vault::keys::Recipient>> {
    Ok(app::keys::parse_public_keys(keys)?)
}
