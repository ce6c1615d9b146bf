//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

mod guide;
mod outputs;
mod quotes;
mod review;
mod team;
use fieldnotes::model::{Consent, NoteKind, QuoteConsent, SessionKind, Source};
pub use guide::GuideCmd;
pub use outputs::*;
pub use quotes::QuotesCmd;
pub use review::{DisclosureCmd, ReviewArgs, SessionEdit};
pub use team::TeamCmd;

/// Encrypted field notes for interviews and workshops, with anonymised export.
///
/// With no command, opens the full-screen app on the vault. Every command works on one vault
/// (the secured folder): by default the platform data folder, or --vault / FIELDNOTES_VAULT.
#[derive(Debug, Parser)]
#[command(name = "fieldnotes", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    /// The vault folder [default: the platform data folder, e.g. ~/.local/share/fieldnotes/vault]
    #[arg(long, global = true, env = "FIELDNOTES_VAULT", value_name = "DIR")]
    pub vault: Option<PathBuf>,

    /// Read the passphrase from FILE (`-` for standard input) instead of asking on the
    /// terminal. Its trailing newline is not part of the passphrase. With --identity, the
    /// passphrase of a protected identity file or SSH key.
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,

    /// Unlock with an identity file instead of the passphrase (a team member's key or the
    /// offline recovery key): an age identity file (AGE-SECRET-KEY-1…), the same protected
    /// with a passphrase (`age -p`), or an SSH private key (e.g. ~/.ssh/id_ed25519).
    #[arg(long, global = true, value_name = "FILE")]
    pub identity: Option<PathBuf>,

    /// scrypt work factor for new passphrase wraps (tests only: lower is weaker).
    #[arg(long, global = true, hide = true, env = "FIELDNOTES_KDF_WORK_FACTOR",
          value_parser = clap::value_parser!(u8).range(10..=30))]
    pub kdf_work_factor: Option<u8>,

    /// What to do; with none, the full-screen app opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new vault, protected by a passphrase asked twice (or --passphrase-file).
    Init,
    /// Research projects: lawful basis, DPIA, retention.
    #[command(subcommand)]
    Project(ProjectCmd),
    /// Interviews, workshops and record reviews.
    #[command(subcommand)]
    Session(SessionCmd),
    /// People taking part, known outside the vault only by pseudonym.
    #[command(subcommand)]
    Participant(ParticipantCmd),
    /// Third parties named in notes, with pseudonyms for consistent anonymisation.
    #[command(subcommand)]
    Person(PersonCmd),
    /// The disclosures log: data passed to another team or organisation, with whom, on what
    /// lawful basis and how.
    #[command(subcommand)]
    Disclosure(DisclosureCmd),
    /// Verbatim quotes awaiting their speaker's approval: list, approve, withdraw an approval.
    #[command(subcommand)]
    Quotes(QuotesCmd),
    /// Notes in a session.
    #[command(subcommand)]
    Note(NoteCmd),
    /// The project's codebook of themes.
    #[command(subcommand)]
    Theme(ThemeCmd),
    /// Topic guides: the sections and questions a session follows.
    #[command(subcommand)]
    Guide(GuideCmd),
    /// Tag a note (or a span of it) with a theme; an unknown theme is added to the codebook.
    Tag(TagArgs),
    /// Full-text search across every note in the vault.
    Search(SearchArgs),
    /// Show the audit trail (who opened, changed, exported or erased what).
    Audit(AuditArgs),
    /// Read and authenticate every page of the vault file, and check its structure.
    Check,
    /// Change the passphrase (re-wraps the key; the data is not re-encrypted).
    Passwd(PasswdArgs),
    /// Extra keys that can unlock the vault: team members, an offline recovery key.
    #[command(subcommand)]
    Recipient(RecipientCmd),
    /// Write an encrypted, consistent copy of the whole vault.
    ///
    /// The backup has two layers. The file is age-encrypted to the passphrase in force (or to
    /// the --recipient keys). Inside it, the database is itself a SQLCipher file, encrypted
    /// under a new key of its own, and that key is age-encrypted to the same passphrase or
    /// keys. So decrypting the file with `age -d` leaves only encrypted pages and the wrapped
    /// key on disk, never the notes in the clear; `fieldnotes restore` opens both layers in
    /// memory. Backups made by earlier versions (a plain database inside the age layer) still
    /// restore.
    Backup(BackupArgs),
    /// Replace the vault's contents with a backup's.
    Restore(RestoreArgs),
    /// Anonymise text from standard input to standard output (no vault needed).
    Redact(RedactArgs),
    /// Write an anonymised summary of a project: md, html, csv, json, qdpx (REFI-QDA) or xlsx.
    Export(ExportArgs),
    /// Everything the vault holds about one person (right of access), third parties hidden.
    SubjectAccess(SubjectAccessArgs),
    /// Erase a session, a note, or a person mentioned, for good (also from later restores).
    Erase(EraseArgs),
    /// Sessions past their retention period; --apply erases them.
    Retention(RetentionArgs),
    /// The record of processing for the data protection officer (HTML or Markdown).
    Report(ReportArgs),
    /// Thematic analysis: coded excerpts, frequencies by group, co-occurrence, ideas.
    #[command(subcommand, visible_alias = "analyze")]
    Analyse(AnalyseCmd),
    /// Your own settings, kept in the vault: your name, who speaks as F1 in a live session.
    #[command(subcommand)]
    Settings(SettingsCmd),
    /// Work as a team: several researchers' vaults feed one project through encrypted
    /// bundles of changes, passed on by any means (a shared drive, email, a USB stick).
    #[command(subcommand)]
    Team(TeamCmd),
    /// Print a shell's completion script for fieldnotes (no vault needed).
    ///
    /// To install the script, in bash:
    ///
    ///   fieldnotes completions bash > ~/.local/share/bash-completion/completions/fieldnotes
    ///
    /// in zsh (with ~/.zfunc on your fpath):
    ///
    ///   fieldnotes completions zsh > ~/.zfunc/_fieldnotes
    ///
    /// in fish:
    ///
    ///   fieldnotes completions fish > ~/.config/fish/completions/fieldnotes.fish
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write one page per command into a folder (no vault
    /// needed).
    ///
    /// To install the pages:
    ///
    ///   mkdir -p ~/.local/share/man/man1 && fieldnotes man --dir ~/.local/share/man/man1
    ///
    /// then `man fieldnotes` or `man fieldnotes-export`.
    Man(ManArgs),
}

/// `completions`
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `man`
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write fieldnotes.1 and a page per command (fieldnotes-export.1, …) into DIR,
    /// replacing pages already there, instead of printing fieldnotes.1.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `settings …`
#[derive(Debug, Subcommand)]
pub enum SettingsCmd {
    /// Show or set your name: a live session created without --facilitator has you as F1.
    Researcher {
        /// Your name (kept only in the vault); "" clears it; without it, shows the current one.
        name: Option<String>,
    },
}

/// `project …`
#[derive(Debug, Subcommand)]
pub enum ProjectCmd {
    /// Create a project.
    Add(ProjectAdd),
    /// List projects.
    List,
    /// Show one project's record.
    Show {
        /// Project name.
        name: String,
    },
    /// Never anonymise this word or phrase in the project (e.g. a place: "Camden").
    Allow {
        /// Project name.
        name: String,
        /// The word or phrase.
        phrase: String,
    },
    /// Always anonymise this phrase in the project (e.g. "the red-haired guard").
    Deny {
        /// Project name.
        name: String,
        /// The phrase.
        phrase: String,
    },
    /// Take a word or phrase off the allow and deny lists.
    Unlist {
        /// Project name.
        name: String,
        /// The word or phrase.
        phrase: String,
    },
    /// Show the project's allow and deny lists.
    Lists {
        /// Project name.
        name: String,
    },
}

/// `project add`
#[derive(Debug, Args)]
pub struct ProjectAdd {
    /// Short unique name, e.g. F2F.
    pub name: String,
    /// Why the data is collected.
    #[arg(long)]
    pub purpose: Option<String>,
    /// UK GDPR Article 6 basis, e.g. "6(1)(e) public task".
    #[arg(long)]
    pub lawful_basis: Option<String>,
    /// Article 9 condition for special category data, e.g. "9(2)(g) substantial public interest".
    #[arg(long)]
    pub special_category_condition: Option<String>,
    /// DPA 2018 Schedule 1 condition, e.g. "Sch.1 Pt 2 para 6 statutory purposes".
    #[arg(long)]
    pub schedule1_condition: Option<String>,
    /// Article 10 basis for criminal-offence data.
    #[arg(long)]
    pub criminal_offence_basis: Option<String>,
    /// DPIA reference.
    #[arg(long, value_name = "REF")]
    pub dpia: Option<String>,
    /// Data controller.
    #[arg(long)]
    pub controller: Option<String>,
    /// Months after a session's date when its data is destroyed.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1200))]
    pub retention_months: Option<u32>,
}

/// `session …`
#[derive(Debug, Subcommand)]
pub enum SessionCmd {
    /// Create a session; prints its id.
    Add(SessionAdd),
    /// List sessions.
    List {
        /// Only this project's.
        #[arg(long)]
        project: Option<String>,
    },
    /// Show one session.
    Show {
        /// Session id.
        id: i64,
    },
    /// Change a session's title, date or location, or what a record review read.
    Edit(SessionEdit),
    /// Record that a paper session's original notes were destroyed.
    PaperDestroyed {
        /// Session id.
        id: i64,
        /// When (YYYY-MM-DD) [default: today].
        #[arg(long)]
        date: Option<String>,
    },
}

/// `session add`
#[derive(Debug, Args)]
pub struct SessionAdd {
    /// Project name.
    #[arg(long)]
    pub project: String,
    /// interview, workshop or review (a record review: give --system).
    #[arg(long)]
    pub kind: SessionKind,
    /// Short title.
    #[arg(long)]
    pub title: String,
    /// Date of the session, YYYY-MM-DD [default: today].
    #[arg(long)]
    pub date: Option<String>,
    /// Where it took place.
    #[arg(long)]
    pub location: Option<String>,
    /// live (typed during the session) or paper (transcribed later).
    #[arg(long, default_value = "live")]
    pub source: Source,
    /// Paper sessions: who wrote the paper notes.
    #[arg(long)]
    pub written_by: Option<String>,
    /// Paper sessions: when the paper notes were written, YYYY-MM-DD.
    #[arg(long)]
    pub written_on: Option<String>,
    /// A facilitator's name (repeatable); they speak as F1, F2… in this order. Without it, a
    /// live session has you as F1 (your name from `fieldnotes settings researcher NAME`).
    #[arg(long = "facilitator", value_name = "NAME")]
    pub facilitators: Vec<String>,
    /// What a record review read.
    #[command(flatten)]
    pub review: ReviewArgs,
}

/// `participant …`
#[derive(Debug, Subcommand)]
pub enum ParticipantCmd {
    /// Register a participant in a session; prints their pseudonym.
    Add(ParticipantAdd),
    /// Withdraw consent: delete the real name, replace every mention with the pseudonym, and
    /// erase (--erase) or keep anonymised (--keep-anonymised) what they said.
    Withdraw {
        /// The participant's pseudonym.
        code: String,
        /// Project [default: the only project].
        #[arg(long)]
        project: Option<String>,
        /// Delete every note they spoke.
        #[arg(
            long,
            conflicts_with = "keep_anonymised",
            required_unless_present = "keep_anonymised"
        )]
        erase: bool,
        /// Keep their notes, with their identity removed.
        #[arg(long)]
        keep_anonymised: bool,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Link two participants who are one person (interviewed twice, perhaps by two
    /// researchers): FROM's notes and sessions become INTO's, and FROM goes. Audited; in a
    /// team project every vault does the same once it receives your next bundle.
    Link {
        /// The pseudonym that goes.
        from: String,
        /// The pseudonym that stays.
        into: String,
        /// Project [default: the only project].
        #[arg(long)]
        project: Option<String>,
    },
    /// Restrict processing (Art. 18): their data stays but leaves no export, analysis or search.
    Restrict {
        /// The participant's (or person mentioned's) pseudonym.
        code: String,
        /// Project [default: the only project].
        #[arg(long)]
        project: Option<String>,
    },
    /// Lift a restriction.
    Unrestrict {
        /// The pseudonym.
        code: String,
        /// Project [default: the only project].
        #[arg(long)]
        project: Option<String>,
    },
    /// Change a participant's record: whether they may be quoted word for word (audited).
    Edit {
        /// The participant's pseudonym.
        code: String,
        /// Project [default: the only project].
        #[arg(long)]
        project: Option<String>,
        /// May they be quoted word for word: yes, no, or approval (only quotes they approved,
        /// as approved).
        #[arg(long, value_name = "yes|no|approval")]
        quote: QuoteConsent,
    },
    /// List participants of a session or a project (real names shown: inside the vault).
    List {
        /// A session's participants.
        #[arg(long, conflicts_with = "project", required_unless_present = "project")]
        session: Option<i64>,
        /// Every participant of a project.
        #[arg(long)]
        project: Option<String>,
    },
}

/// `participant add`
#[derive(Debug, Args)]
pub struct ParticipantAdd {
    /// Session id.
    #[arg(long)]
    pub session: i64,
    /// Real name (kept only inside the vault).
    #[arg(long, required_unless_present = "existing")]
    pub name: Option<String>,
    /// Role or group, e.g. "security officer", "person with lived experience".
    #[arg(long)]
    pub role: Option<String>,
    /// given, refused or withdrawn.
    #[arg(long)]
    pub consent: Option<Consent>,
    /// Date of consent, YYYY-MM-DD.
    #[arg(long)]
    pub consent_date: Option<String>,
    /// Consent form version.
    #[arg(long)]
    pub consent_form: Option<String>,
    /// May they be quoted word for word: yes, no, or approval (only quotes they approved, as
    /// approved). Unrecorded, verbatim notes are quoted and exports say so.
    #[arg(long, value_name = "yes|no|approval")]
    pub quote: Option<QuoteConsent>,
    /// Choose the pseudonym instead of the next Pnn.
    #[arg(long)]
    pub pseudonym: Option<String>,
    /// Add an already-registered participant (by pseudonym) to this session.
    #[arg(long, value_name = "CODE", conflicts_with_all = ["name", "role", "pseudonym", "quote"])]
    pub existing: Option<String>,
    /// The person a reviewed record is about (record reviews; implied there): no consent is
    /// asked, the project's lawful basis applies.
    #[arg(long, conflicts_with_all = ["consent", "consent_date", "consent_form", "existing"])]
    pub subject: bool,
}

/// `person …`
#[derive(Debug, Subcommand)]
pub enum PersonCmd {
    /// Register a third party named in notes; prints their pseudonym.
    Add {
        /// Project name.
        #[arg(long)]
        project: String,
        /// Real name.
        #[arg(long)]
        name: String,
        /// Pseudonym [default: Person A, Person B…].
        #[arg(long)]
        pseudonym: Option<String>,
    },
    /// List people mentioned in a project.
    List {
        /// Project name.
        #[arg(long)]
        project: String,
    },
}

/// `note …`
#[derive(Debug, Subcommand)]
pub enum NoteCmd {
    /// Add a note (text on standard input); prints its id.
    Add(NoteAdd),
    /// List a session's notes.
    List {
        /// Session id.
        #[arg(long)]
        session: i64,
        /// text or json.
        #[arg(long, default_value = "text")]
        format: OutputFormat,
    },
}

/// `note add`
#[derive(Debug, Args)]
pub struct NoteAdd {
    /// Session id.
    #[arg(long)]
    pub session: i64,
    /// Who spoke: a participant's pseudonym (P01) or a facilitator (F1).
    #[arg(long)]
    pub speaker: Option<String>,
    /// verbatim, paraphrase, observation or idea [default: paraphrase; idea in workshops].
    #[arg(long)]
    pub kind: Option<NoteKind>,
    /// Tag the note with a theme (repeatable).
    #[arg(long = "theme", value_name = "NAME")]
    pub themes: Vec<String>,
    /// The note holds special category data (health, …).
    #[arg(long)]
    pub special_category: bool,
    /// The note holds criminal-offence data.
    #[arg(long)]
    pub criminal_offence: bool,
    /// The question of the session's topic guide it answers, by number (`guide show
    /// --session ID` lists them).
    #[arg(long, value_name = "N")]
    pub question: Option<i64>,
}

/// Output format for listings.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum OutputFormat {
    /// Human-readable text.
    Text,
    /// JSON.
    Json,
}

/// `theme …`
#[derive(Debug, Subcommand)]
pub enum ThemeCmd {
    /// Add a theme to the codebook.
    Add {
        /// Theme name.
        name: String,
        /// Project [default: the only project].
        #[arg(long)]
        project: Option<String>,
        /// Parent theme.
        #[arg(long)]
        parent: Option<String>,
        /// What the theme means.
        #[arg(long)]
        description: Option<String>,
        /// Display colour.
        #[arg(long)]
        colour: Option<String>,
    },
    /// List the codebook.
    List {
        /// Project [default: the only project].
        #[arg(long)]
        project: Option<String>,
    },
    /// Rename a theme (its tags follow).
    Rename {
        /// Current name.
        name: String,
        /// New name.
        new_name: String,
        /// Project [default: the only project].
        #[arg(long)]
        project: Option<String>,
    },
    /// Move a theme under another (or to the top with --top).
    Move {
        /// Theme.
        name: String,
        /// New parent.
        #[arg(long, required_unless_present = "top", conflicts_with = "top")]
        parent: Option<String>,
        /// Make it a top-level theme.
        #[arg(long)]
        top: bool,
        /// Project [default: the only project].
        #[arg(long)]
        project: Option<String>,
    },
    /// Merge one theme into another: tags combine, children and memo move, nothing is lost.
    Merge {
        /// The theme that goes.
        from: String,
        /// The theme that stays.
        into: String,
        /// Project [default: the only project].
        #[arg(long)]
        project: Option<String>,
    },
    /// Delete a theme and untag its notes (children move up); asks first.
    Delete {
        /// Theme.
        name: String,
        /// Project [default: the only project].
        #[arg(long)]
        project: Option<String>,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Show, or set (from the argument or standard input), a theme's memo.
    Memo {
        /// Theme.
        name: String,
        /// The memo; `-` reads it from standard input; none shows the current memo.
        text: Option<String>,
        /// Project [default: the only project].
        #[arg(long)]
        project: Option<String>,
    },
    /// Change a theme's description or colour.
    Edit {
        /// Theme.
        name: String,
        /// What the theme means.
        #[arg(long)]
        description: Option<String>,
        /// Display colour (#rrggbb or a name).
        #[arg(long)]
        colour: Option<String>,
        /// Project [default: the only project].
        #[arg(long)]
        project: Option<String>,
    },
}

/// `tag`
#[derive(Debug, Args)]
pub struct TagArgs {
    /// Note id.
    #[arg(long)]
    pub note: i64,
    /// Theme name.
    #[arg(long)]
    pub theme: String,
    /// Tag only characters START..END of the note (0-based, end exclusive).
    #[arg(long, value_name = "START..END")]
    pub span: Option<String>,
}

/// `search`
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to find (all must appear; end a word with * for a prefix).
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// Only in this project.
    #[arg(long)]
    pub project: Option<String>,
}

/// `audit`
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Check the hash chain instead of listing events (and, against anchors, that no event
    /// was removed from its end).
    #[arg(long)]
    pub verify: bool,
    /// An anchor (`N:HASH`), or a file that carries one (an export, a report, a subject
    /// access report): the trail must still hold that event unchanged. Repeatable.
    #[arg(long = "anchor", value_name = "N:HASH|FILE", requires = "verify")]
    pub anchors: Vec<String>,
    /// A backup whose newest audit event the trail must still hold (by default the newest
    /// backup in the vault's backups folder is checked when it opens with the passphrase).
    #[arg(long = "backup", value_name = "FILE", requires = "verify")]
    pub backups: Vec<PathBuf>,
}

/// `passwd`
#[derive(Debug, Args)]
pub struct PasswdArgs {
    /// Read the new passphrase from FILE instead of asking twice.
    #[arg(long, value_name = "FILE")]
    pub new_passphrase_file: Option<PathBuf>,
}

/// `recipient …`
#[derive(Debug, Subcommand)]
pub enum RecipientCmd {
    /// Wrap the vault key to a public key: age1…, or an SSH public key (ssh-ed25519, ssh-rsa).
    Add {
        /// A short name for the key, e.g. recovery or amira-laptop.
        name: String,
        /// The public key: age1…, or the line of an SSH .pub file in quotes
        /// ("ssh-ed25519 AAAA… comment"; the comment is not kept).
        public_key: String,
    },
    /// List recipients.
    List,
    /// Remove a recipient and rotate the database key.
    Remove {
        /// The recipient's name.
        name: String,
    },
}

/// `backup`
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write it [default: VAULT/backups/fieldnotes-<time>.age].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Encrypt to this public key instead of the passphrase (repeatable): age1…, or an SSH
    /// public key in quotes ("ssh-ed25519 AAAA…", "ssh-rsa AAAA…").
    #[arg(long = "recipient", value_name = "AGE_PUBLIC_KEY")]
    pub recipients: Vec<String>,
    /// Replace --out if it already exists (a device or fifo is written into, never replaced).
    #[arg(long)]
    pub force: bool,
}

/// `restore`
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file.
    pub file: PathBuf,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,
    /// The backup's passphrase, when it differs from the vault's.
    #[arg(long, value_name = "FILE")]
    pub backup_passphrase_file: Option<PathBuf>,
}
