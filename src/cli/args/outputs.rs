//! Arguments of the commands whose results leave the vault or act on people's rights:
//! analysis, subject access, erasure, retention, the record of processing, export, redact.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use fieldnotes::model::SessionKind;

/// `analyse …`
#[derive(Debug, Subcommand)]
pub enum AnalyseCmd {
    /// Every coded excerpt matching a theme query, with session, speaker and role; or with
    /// --question, the notes answering a topic guide question.
    Excerpts {
        #[command(flatten)]
        common: AnalyseArgs,
        /// The notes answering question N of a topic guide across sessions (N as numbered
        /// by `analyse coverage`: the latest version's question N), coded or not.
        #[arg(long, value_name = "N", conflicts_with = "themes")]
        question: Option<usize>,
        /// The topic guide of --question [default: the project's only guide].
        #[arg(long, value_name = "NAME", requires = "question")]
        guide: Option<String>,
        /// With --question: only the notes of this session.
        #[arg(long, value_name = "ID", requires = "question")]
        session: Option<i64>,
    },
    /// Theme × participant group: notes and distinct participants.
    Frequencies(AnalyseArgs),
    /// Theme × theme: notes carrying both.
    Cooccurrence {
        #[command(flatten)]
        common: AnalyseArgs,
        /// Count only overlapping coded spans, not whole notes.
        #[arg(long)]
        overlap: bool,
    },
    /// Workshop ideas, most votes first, with clusters and themes.
    Ideas(AnalyseArgs),
    /// Topic guide coverage: each question (across the guide's versions) × each session
    /// following the guide, with the notes answering it.
    Coverage {
        #[command(flatten)]
        common: AnalyseArgs,
        /// The topic guide [default: the project's only guide].
        #[arg(long, value_name = "NAME")]
        guide: Option<String>,
    },
}

/// Options shared by the analysis views.
#[derive(Debug, Args)]
pub struct AnalyseArgs {
    /// Project name [default: the only project].
    #[arg(long)]
    pub project: Option<String>,
    /// A theme, or a query: "Waiting AND Safety", "A OR B", "A NOT B" (excerpts); the
    /// themes to show (frequencies, co-occurrence; repeatable).
    #[arg(long = "theme", value_name = "QUERY")]
    pub themes: Vec<String>,
    /// Count notes tagged with a theme's children under it too.
    #[arg(long)]
    pub children: bool,
    /// Only this participant group (role).
    #[arg(long, value_name = "ROLE")]
    pub role: Option<String>,
    /// Only interviews or only workshops.
    #[arg(long, value_name = "KIND")]
    pub session_kind: Option<SessionKind>,
    /// Only notes on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only notes on or before this date.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// table, csv or json.
    #[arg(long, default_value = "table")]
    pub format: TableFormat,
    /// Write to this file instead of standard output (a CSV file starts with a UTF-8 byte
    /// order mark so spreadsheets read it as UTF-8; standard output never gets one).
    #[arg(long, value_name = "PATH")]
    pub out: Option<std::path::PathBuf>,
    /// Replace the --out file if it exists.
    #[arg(long, requires = "out")]
    pub force: bool,
    /// Show the notes' text as written (identifiers, full dates; registered people by
    /// pseudonym), for work inside the vault, recorded in the audit trail; without it every
    /// output is anonymised like an export and checked by its leak guard.
    #[arg(long)]
    pub raw: bool,
}

/// Output of the analysis views.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum TableFormat {
    /// Aligned text (with bars where they help).
    Table,
    /// Comma-separated values.
    Csv,
    /// JSON.
    Json,
}

/// `subject-access`
#[derive(Debug, Args)]
pub struct SubjectAccessArgs {
    /// Project name [default: the only project].
    #[arg(long)]
    pub project: Option<String>,
    /// The participant's pseudonym (e.g. P01).
    #[arg(
        long,
        value_name = "CODE",
        required_unless_present = "person",
        conflicts_with = "person"
    )]
    pub participant: Option<String>,
    /// A registered person mentioned, by pseudonym (e.g. "Person A").
    #[arg(long, value_name = "CODE")]
    pub person: Option<String>,
    /// The report (HTML, or Markdown when it ends in .md); the JSON goes beside it.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Encrypt to this public key (repeatable): age1…, or an SSH public key in quotes
    /// ("ssh-ed25519 AAAA…", "ssh-rsa AAAA…").
    #[arg(long = "recipient", value_name = "AGE_PUBLIC_KEY")]
    pub recipients: Vec<String>,
    /// Encrypt with a one-off passphrase read from FILE (otherwise asked twice).
    #[arg(long, value_name = "FILE")]
    pub out_passphrase_file: Option<PathBuf>,
    /// Write the report unencrypted (it names the person: handle it with care).
    #[arg(long, conflicts_with_all = ["recipients", "out_passphrase_file"])]
    pub plaintext: bool,
    /// Replace the report and its JSON if it already exists (a device or fifo is written into, never replaced).
    #[arg(long)]
    pub force: bool,
}

/// `erase`
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["session", "note", "person"])))]
pub struct EraseArgs {
    /// A whole session: its notes, tags and attendance.
    #[arg(long, value_name = "ID")]
    pub session: Option<i64>,
    /// One note.
    #[arg(long, value_name = "ID")]
    pub note: Option<i64>,
    /// A registered person mentioned (their real name; mentions become their pseudonym).
    #[arg(long, value_name = "CODE")]
    pub person: Option<String>,
    /// Project of --person [default: the only project].
    #[arg(long)]
    pub project: Option<String>,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,
}

/// `retention`
#[derive(Debug, Args)]
pub struct RetentionArgs {
    /// Only this project.
    #[arg(long)]
    pub project: Option<String>,
    /// Erase every session past its retention date.
    #[arg(long)]
    pub apply: bool,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,
}

/// `report`
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Project name [default: the only project].
    #[arg(long)]
    pub project: Option<String>,
    /// Where to write it (Markdown when it ends in .md, HTML otherwise).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Replace --out if it already exists (a device or fifo is written into, never replaced).
    #[arg(long)]
    pub force: bool,
}

/// `export`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Project name [default: the only project].
    #[arg(long)]
    pub project: Option<String>,
    /// md, html, csv, json, qdpx or xlsx [default: from --out's extension].
    #[arg(long)]
    pub format: Option<String>,
    /// Where to write it.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Encrypt the export to this public key (repeatable), for sharing: age1…, or an SSH
    /// public key in quotes ("ssh-ed25519 AAAA…", "ssh-rsa AAAA…").
    #[arg(long = "recipient", value_name = "AGE_PUBLIC_KEY")]
    pub recipients: Vec<String>,
    /// Only this session (repeatable).
    #[arg(long = "session", value_name = "ID")]
    pub sessions: Vec<i64>,
    /// Only notes tagged with this theme (or one under it).
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,
    /// List every substitution (what, why) on standard error before writing.
    #[arg(long)]
    pub review: bool,
    /// Keep exact ages ("aged 34") instead of generalising them to bands ("aged 30–39").
    #[arg(long)]
    pub exact_ages: bool,
    /// Show each session's notes under its topic guide's sections and questions (Markdown
    /// and HTML; notes answering no question come last). CSV, JSON and XLSX always carry
    /// each note's section and question.
    #[arg(long)]
    pub by_question: bool,
    /// Replace --out if it already exists (a device or fifo is written into, never replaced).
    #[arg(long)]
    pub force: bool,
}

/// `redact`
#[derive(Debug, Args)]
pub struct RedactArgs {
    /// Registered names, one a line, optionally `name<TAB>pseudonym`.
    #[arg(long, value_name = "FILE")]
    pub names: Option<PathBuf>,
    /// Use a project's participants, people mentioned and allow/deny lists (opens the vault).
    #[arg(long, value_name = "NAME")]
    pub project: Option<String>,
    /// Also write every substitution (what, where, which rule) to standard error as JSON lines.
    #[arg(long)]
    pub explain: bool,
    /// Generalise exact ages to bands ("aged 34" → "aged 30–39"), as exports do.
    #[arg(long)]
    pub age_bands: bool,
}
