//! Anonymised export: what leaves the secured folder.
//!
//! `store + scope → Summary` (every text anonymised — notes, titles, clusters, the project's
//! fields, roles and the codebook — dates generalised to months, restricted people left out)
//! `→ rendered files → leak guard → bytes`. The leak guard looks for every registered real
//! name, and every identifier the anonymiser found in any raw text, in every rendered part
//! itself, so a path that forgot to anonymise cannot leak. Pure: the caller writes the bytes
//! (plain or age-encrypted) and records the audit event.
//!
//! Memory stays proportional to the data: a substitution holds its span, the short text it
//! replaced and a few words either side for the review, never a copy of its whole note.

mod data;
pub(crate) mod guard;
mod prepare;
mod qdpx;
mod render;
mod scope;

pub use data::cell as spreadsheet_cell;
pub use data::{BOM, EXCERPT_COLUMNS, JSON_FORMAT_VERSION, csv_text, excerpt_row, would_evaluate};
pub use prepare::{prepare, prepare_at, project_anonymiser};
pub use render::PRINT_CSS;
pub use scope::Scope;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::anonymise::Substitution;
use crate::model::{NoteKind, SessionKind};
use crate::store::StoreError;
use guard::{Leak, LeakGuard};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown report.
    Md,
    /// One self-contained printable HTML file with an inline SVG chart.
    Html,
    /// One row per excerpt.
    Csv,
    /// The project header and one object per excerpt.
    Json,
    /// REFI-QDA project exchange (a zip with `project.qde` and `sources/`).
    Qdpx,
    /// An Excel workbook of typed cells: excerpts, themes, sessions and ideas sheets.
    Xlsx,
}

impl Format {
    /// Every format, in the order offered.
    pub const ALL: [Format; 6] = [
        Format::Md,
        Format::Html,
        Format::Csv,
        Format::Json,
        Format::Qdpx,
        Format::Xlsx,
    ];

    /// The typed name and file extension.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Qdpx => "qdpx",
            Format::Xlsx => "xlsx",
        }
    }
}

impl Format {
    /// The format a file name asks for by its extension (`board.html`, `share.md.age`).
    pub fn from_path(path: &std::path::Path) -> Result<Format, FormatError> {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let name = name.strip_suffix(".age").unwrap_or(name);
        match name.rsplit_once('.') {
            Some((_, ext)) => ext.parse(),
            None => Err(FormatError::NoExtension(crate::text::for_terminal(
                name, false,
            ))),
        }
    }
}

/// A format name, or a file name, that says no format this version writes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// A word that is not a format.
    #[error("'{0}' is not an export format: use md, html, csv, json, qdpx or xlsx")]
    Unknown(String),
    /// A file name with no extension (made safe for a terminal).
    #[error(
        "'{0}' has no extension to tell the format: end it in .md, .html, .csv, .json, .qdpx or .xlsx"
    )]
    NoExtension(String),
}

impl std::str::FromStr for Format {
    type Err = FormatError;
    fn from_str(s: &str) -> Result<Self, FormatError> {
        let t = s.trim().to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == t || (t == "markdown" && *f == Format::Md))
            .ok_or_else(|| FormatError::Unknown(s.to_owned()))
    }
}

/// Why an export was not made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the vault failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The scope names something that is not there.
    #[error("{0}")]
    Scope(String),
    /// The leak guard could not be prepared.
    #[error(transparent)]
    Guard(#[from] guard::GuardError),
    /// The leak guard found personal data in the output.
    #[error(
        "the export was refused: {what} still appears in {location}: \"{context}\". \
         Nothing was written. Add the word to the deny list (fieldnotes project deny), take it \
         off the allow list, or reword the note, then export again"
    )]
    Leak {
        /// What was found, without repeating it (e.g. "the registered name of P01").
        what: String,
        /// The output part and line, e.g. "the Markdown, line 12".
        location: String,
        /// The surrounding text, control characters made visible.
        context: String,
    },
    /// Assembling the output failed.
    #[error("could not assemble the export: {0}")]
    Pack(String),
    /// Encrypting the file failed.
    #[error("{0}")]
    Write(String),
    /// Writing the file failed or was refused (it exists, it is a folder…).
    #[error(transparent)]
    Output(#[from] crate::outfile::OutputError),
    /// The vault refused (e.g. recording the audit event).
    #[error(transparent)]
    Vault(#[from] crate::vault::VaultError),
}

/// The project as the export shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    /// Project name.
    pub name: String,
    /// Purpose of the research.
    pub purpose: Option<String>,
    /// Art. 6 basis.
    pub lawful_basis: Option<String>,
    /// Art. 9 condition.
    pub special_category_condition: Option<String>,
    /// DPA 2018 Schedule 1 condition.
    pub schedule1_condition: Option<String>,
    /// Art. 10 basis.
    pub criminal_offence_basis: Option<String>,
    /// DPIA reference.
    pub dpia_ref: Option<String>,
    /// Data controller.
    pub controller: Option<String>,
    /// First month of the sessions exported (YYYY-MM).
    pub from_month: Option<String>,
    /// Last month (YYYY-MM).
    pub to_month: Option<String>,
}

/// A speaker as the export shows them.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Speaker {
    /// Pseudonym (`P01`) or facilitator code (`F1`).
    pub code: String,
    /// Role or group.
    pub role: Option<String>,
}

/// A coded span of an excerpt, in characters of the anonymised text.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Coding {
    /// Theme name.
    pub theme: String,
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// One anonymised note.
#[derive(Debug, Clone, Serialize)]
pub struct Excerpt {
    /// The note's id (not personal data; lets a reader cite it back inside the vault).
    pub note_id: i64,
    /// Session id.
    pub session_id: i64,
    /// Session title, anonymised.
    pub session: String,
    /// Interview or workshop.
    pub session_kind: SessionKind,
    /// Session month (YYYY-MM).
    pub month: Option<String>,
    /// Speaker pseudonym (`pseudonym` in JSON, the name `analyse` uses too).
    #[serde(rename = "pseudonym")]
    pub speaker: Option<String>,
    /// Speaker's role or group.
    pub role: Option<String>,
    /// Kind of note; verbatim notes are shown as quotes.
    pub kind: NoteKind,
    /// Themes on the note or on spans of it.
    pub themes: Vec<String>,
    /// Coded spans (whole-note tags span the whole text).
    pub codings: Vec<Coding>,
    /// The anonymised text.
    pub text: String,
    /// Workshop dot votes.
    pub votes: i64,
    /// Workshop cluster, anonymised.
    pub cluster: Option<String>,

    // Quote-level consent.
    /// Set on a participant's verbatim note whose words are withheld under their quote
    /// consent: `text` is then the marker saying so, and the codings span the marker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote_withheld: Option<crate::quotes::Withheld>,
    // The topic guide question the note answers.
    /// The question, anonymised (`null` when the note answers none).
    pub question: Option<QuestionOut>,
}

/// One session's summary.
#[derive(Debug, Clone, Serialize)]
pub struct SessionSummary {
    /// Session id.
    pub id: i64,
    /// Title, anonymised.
    pub title: String,
    /// Interview or workshop.
    pub kind: SessionKind,
    /// Month (YYYY-MM).
    pub month: Option<String>,
    /// Who took part, by pseudonym and role (facilitators as F1, F2…).
    pub participants: Vec<Speaker>,
    /// Indexes into [`Summary::excerpts`].
    pub excerpts: Vec<usize>,

    // The topic guide it follows.
    /// The id of the guide version it follows (see [`Summary::guides`]).
    #[serde(skip)]
    pub guide_version: Option<i64>,
    /// A record review's source system, period read and sampling (never its record
    /// reference, which stays in the vault).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewOut>,
}

/// What a record review read, as an export shows it: anonymised, the period by month.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewOut {
    /// The source system, anonymised.
    pub system: String,
    /// First month read (YYYY-MM).
    pub from_month: Option<String>,
    /// Last month read (YYYY-MM).
    pub to_month: Option<String>,
    /// How the records were chosen, anonymised.
    pub sampling: Option<String>,
}

/// Counts for one participant group under a theme.
#[derive(Debug, Clone, Serialize)]
pub struct GroupCount {
    /// The role (or "unattributed"); `role` in JSON, as in `analyse`.
    #[serde(rename = "role")]
    pub group: String,
    /// Excerpts from that group.
    pub excerpts: usize,
    /// Distinct speakers from that group.
    pub participants: usize,
}

/// One theme across sessions.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeSummary {
    /// Theme name.
    pub name: String,
    /// Parent theme.
    pub parent: Option<String>,
    /// What the theme means.
    pub description: Option<String>,
    /// Display colour.
    pub colour: Option<String>,
    /// Indexes into [`Summary::excerpts`].
    pub excerpts: Vec<usize>,
    /// Counts by participant group.
    pub by_group: Vec<GroupCount>,
}

/// Everything an export shows, already anonymised.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The project record.
    pub project: Header,
    /// The day the export was made (YYYY-MM-DD).
    pub generated_on: String,
    /// Sessions in order.
    pub sessions: Vec<SessionSummary>,
    /// The codebook in order, each theme with its excerpts (possibly none).
    pub themes: Vec<ThemeSummary>,
    /// Workshop ideas, most votes first (indexes into `excerpts`).
    pub ideas: Vec<usize>,
    /// Every excerpt.
    pub excerpts: Vec<Excerpt>,
    /// How many substitutions of each kind were made.
    pub redactions: BTreeMap<String, usize>,
    /// Notes left out because a person in them is restricted.
    pub withheld: usize,
    /// The audit trail's newest event when the export was made (see `audit --verify`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_anchor: Option<String>,

    // Counted apart from the notes withheld, for the summary a reader sees first.
    /// Participants of the exported sessions who withdrew from the research (their notes
    /// were erased, or kept only anonymised, as they chose).
    pub withdrawn: usize,

    // The researcher's memos and the export's moment (carried by the QDA interchange).
    /// The memos on the themes, sessions and notes exported, anonymised.
    pub memos: Vec<MemoOut>,
    /// Memos left out: about a note withheld, or naming a person whose processing is
    /// restricted.
    pub memos_withheld: usize,
    /// The moment the export was made, in the offset the clock gave.
    #[serde(skip)]
    pub generated_at: time::OffsetDateTime,

    // Quote-level consent.
    /// Verbatim notes withheld under their speaker's quote consent, and those quoted
    /// without a recorded quote consent, by participant.
    pub quotes: crate::quotes::QuoteTally,
    // Topic guides: the notes' questions, for grouping and the QDA codes.
    /// Every version of the project's topic guides, anonymised.
    #[serde(skip)]
    pub guides: Vec<GuideOut>,
    /// Show each session's notes under its guide's sections and questions (Markdown, HTML).
    #[serde(skip)]
    pub by_question: bool,
}

/// A topic guide question as an export shows it: the researcher's words, anonymised like
/// every other text.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct QuestionOut {
    /// Its row id in the vault.
    #[serde(skip)]
    pub id: i64,
    /// The guide's name.
    pub guide: String,
    /// The guide's version.
    pub version: i64,
    /// Its number in that version (1, 2…).
    pub number: i64,
    /// Its section (empty before any heading).
    pub section: String,
    /// The question.
    pub text: String,
}

/// One version of a topic guide as an export shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct GuideOut {
    /// The version's row id.
    pub id: i64,
    /// The guide's row id.
    pub guide_id: i64,
    /// The guide's name, anonymised.
    pub name: String,
    /// Version number.
    pub number: i64,
    /// Its questions in order.
    pub questions: Vec<QuestionOut>,
}

/// What a memo is about.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase", tag = "about")]
pub enum MemoAbout {
    /// A theme of the codebook, by its exported name.
    Theme {
        /// The theme's name as the export shows it.
        theme: String,
    },
    /// A whole session.
    Session {
        /// Session id.
        session_id: i64,
    },
    /// One note, exported as an excerpt.
    Note {
        /// Session id.
        session_id: i64,
        /// The note's id.
        note_id: i64,
    },
}

/// One memo as the export shows it: the researcher's own words on a theme, a session or a
/// note, anonymised like every other text.
#[derive(Debug, Clone, Serialize)]
pub struct MemoOut {
    /// The memo's id in the vault (none for a theme's memo: a theme has one).
    pub id: Option<i64>,
    /// What it is about.
    #[serde(flatten)]
    pub about: MemoAbout,
    /// The anonymised text.
    pub text: String,
}

/// Characters of raw text kept either side of a substitution for the review.
pub const REVIEW_CONTEXT: usize = 60;

/// One substitution in one text, for the review step.
#[derive(Debug, Clone)]
pub struct ReviewItem {
    /// The note (0 when the text is not a note: a title, a role, a theme, a project field).
    pub note_id: i64,
    /// Where the text is, in words: "note 12", "session title", "project purpose"…
    pub place: String,
    /// Up to [`REVIEW_CONTEXT`] characters of raw text before it, on its line (inside the
    /// vault only).
    pub before: String,
    /// Up to [`REVIEW_CONTEXT`] characters after it, on its line.
    pub after: String,
    /// What was replaced, where and why.
    pub substitution: Substitution,
}

impl ReviewItem {
    fn new(note_id: i64, place: &str, text: &str, substitution: &Substitution) -> Self {
        let (lo, hi) = context_window(text, substitution.start, substitution.end);
        let head = &text[lo..substitution.start];
        let head = &head[head.rfind('\n').map_or(0, |i| i + 1)..];
        let from = head
            .char_indices()
            .rev()
            .nth(REVIEW_CONTEXT - 1)
            .map_or(0, |(i, _)| i);
        let tail = &text[substitution.end..hi];
        let tail = &tail[..tail.find('\n').unwrap_or(tail.len())];
        let to = tail
            .char_indices()
            .nth(REVIEW_CONTEXT)
            .map_or(tail.len(), |(i, _)| i);
        Self {
            note_id,
            place: place.to_owned(),
            before: head[from..].to_owned(),
            after: tail[..to].to_owned(),
            substitution: substitution.clone(),
        }
    }
}

/// The bytes around `start..end` that can hold [`REVIEW_CONTEXT`] characters either side:
/// only this window is searched for the line's ends, since a text may be one line of
/// megabytes with a substitution every few words (searching the whole line for each one made
/// such an export take minutes).
fn context_window(text: &str, start: usize, end: usize) -> (usize, usize) {
    let reach = REVIEW_CONTEXT * 4;
    let mut lo = start.saturating_sub(reach);
    while !text.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = (end + reach).min(text.len());
    while !text.is_char_boundary(hi) {
        hi += 1;
    }
    (lo, hi)
}

/// A prepared export: the summary, the substitutions to review, and the guard.
pub struct Prepared {
    /// What the export shows.
    pub summary: Summary,
    /// Every substitution made, text by text.
    pub review: Vec<ReviewItem>,
    guard: LeakGuard,
}

impl From<Leak> for ExportError {
    fn from(l: Leak) -> Self {
        ExportError::Leak {
            what: l.what,
            location: l.location,
            context: l.context,
        }
    }
}

impl Prepared {
    /// Renders `format`, encrypts it to `recipients` when there are any, writes it to `path`
    /// under the rules of [`crate::outfile`] (a new file atomically and 0600; an existing file
    /// only when `overwrite`; a fifo or device written into, never replaced) and records the
    /// export in the audit trail. A refusal by the leak guard is audited too, and nothing is
    /// written. `scope` is what [`prepare`] was given. Says how the path was written.
    pub fn write(
        &mut self,
        vault: &crate::vault::Vault,
        scope: &Scope,
        format: Format,
        path: &std::path::Path,
        recipients: &[crate::vault::keys::Recipient],
        overwrite: bool,
    ) -> Result<crate::outfile::Plan, ExportError> {
        // refuse an existing file before the work, not after it
        crate::outfile::plan(path, overwrite)?;
        let whom = if recipients.is_empty() {
            "unencrypted".to_owned()
        } else {
            let keys: Vec<String> = recipients.iter().map(ToString::to_string).collect();
            format!("encrypted to {}", keys.join(", "))
        };
        // The export's own record is fixed first, so the file carries its anchor: removing
        // the record of this export later shows against the file. It is written only once
        // the file is.
        let s = &self.summary;
        let record = vault.audit_pending(
            crate::audit::Action::Export,
            &format!(
                "{}, format {}, {} excerpts, {} substitutions, {} withheld, {whom}, to {}{}",
                scope.describe(),
                format.as_str(),
                s.excerpts.len(),
                self.review.len(),
                s.withheld,
                path.display(),
                match s.quotes.withheld() {
                    0 => String::new(),
                    n => format!(", {n} verbatim quotes withheld under quote consent"),
                }
            ),
        )?;
        self.summary.audit_anchor = Some(record.anchor().to_string());
        let bytes = match self.render(format) {
            Ok(b) => b,
            Err(e) => {
                if matches!(e, ExportError::Leak { .. }) {
                    vault.audit(
                        crate::audit::Action::ExportRefused,
                        &format!(
                            "{}, format {}: the leak guard found personal data",
                            scope.describe(),
                            format.as_str()
                        ),
                    )?;
                }
                return Err(e);
            }
        };
        let bytes = if recipients.is_empty() {
            bytes
        } else {
            crate::vault::keys::encrypt_to_recipients(&bytes, recipients)
                .map_err(|e| ExportError::Write(format!("could not encrypt the export: {e}")))?
        };
        let plan = crate::outfile::write(path, &bytes, overwrite)?;
        vault.audit_commit(&record)?;
        Ok(plan)
    }

    /// Renders the export, runs the leak guard over every part, and returns the file's bytes.
    pub fn render(&self, format: Format) -> Result<Vec<u8>, ExportError> {
        let parts: Vec<(String, String)> = match format {
            Format::Md => vec![("the Markdown".into(), render::markdown(&self.summary))],
            Format::Html => vec![("the HTML".into(), render::html(&self.summary))],
            Format::Csv => vec![("the CSV".into(), data::csv(&self.summary)?)],
            Format::Json => vec![("the JSON".into(), data::json(&self.summary)?)],
            Format::Qdpx => qdpx::parts(&self.summary),
            Format::Xlsx => return self.xlsx(),
        };
        for (entry, text) in &parts {
            self.guard.check(entry, text)?;
        }
        match format {
            Format::Qdpx => qdpx::zip(&parts, self.summary.generated_at),
            _ => Ok(parts
                .into_iter()
                .next()
                .map(|p| p.1)
                .unwrap_or_default()
                .into_bytes()),
        }
    }
}

// Spreadsheet output, and the guard for outputs built outside this module.
impl Prepared {
    /// The workbook, once the leak guard has read every string cell of every sheet.
    fn xlsx(&self) -> Result<Vec<u8>, ExportError> {
        let sheets = data::xlsx::sheets(&self.summary);
        for sheet in &sheets {
            self.guard.check(&data::xlsx::entry(sheet), &sheet.text())?;
        }
        data::xlsx::workbook(&sheets)
    }

    /// Runs the leak guard over `text`, one part of an output (`entry`, e.g. "the CSV") built
    /// from this summary elsewhere (the analysis views).
    pub fn check(&self, entry: &str, text: &str) -> Result<(), ExportError> {
        Ok(self.guard.check(entry, text)?)
    }
}

/// `1 excerpt`, `2 excerpts`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Calendar month in words: `2024-03` → `March 2024`.
pub fn month_words(m: &str) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match (
        m.get(..4),
        m.get(5..7).and_then(|x| x.parse::<usize>().ok()),
    ) {
        (Some(y), Some(mm)) if (1..=12).contains(&mm) => format!("{} {y}", NAMES[mm - 1]),
        _ => m.to_owned(),
    }
}

#[cfg(test)]
mod tests;
