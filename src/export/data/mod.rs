//! CSV and JSON renderings of an anonymised [`Summary`]: the data a spreadsheet or a script
//! reads.
//!
//! CSV files start with a UTF-8 byte order mark so spreadsheets open them as UTF-8 without
//! asking; cells a spreadsheet would evaluate as formulas are defused ([`cell`]). JSON is
//! described by `assets/export.schema.json` (its `format_version` says which shape it is).

mod cell;
pub(crate) mod xlsx;

pub use cell::{cell, would_evaluate};

use super::render::is_facilitator_code;
use super::{Excerpt, ExportError, Summary};

/// The UTF-8 byte order mark a CSV file starts with: spreadsheets (Excel, LibreOffice) then
/// read it as UTF-8 instead of guessing a legacy encoding.
pub const BOM: &str = "\u{feff}";

/// The shape of the export's JSON: 1 had no version field, sessions, participants or ideas;
/// 2 added them and shares its field names with `analyse … --format json`; 3 added each
/// excerpt's topic guide `question`.
pub const JSON_FORMAT_VERSION: u32 = 3;

/// The columns of one excerpt row, in CSV and in the spreadsheet's excerpts sheet.
pub const EXCERPT_COLUMNS: [&str; 15] = [
    "note_id",
    "session_id",
    "session",
    "session_kind",
    "month",
    "pseudonym",
    "role",
    "themes",
    "kind",
    "votes",
    "cluster",
    // the topic guide question the note answers (empty when none)
    "section",
    "question_number",
    "question",
    "text",
];

/// One excerpt's cells, in [`EXCERPT_COLUMNS`] order, as plain strings (not yet defused).
pub fn excerpt_row(e: &Excerpt) -> [String; 15] {
    let q = e.question.as_ref();
    [
        e.note_id.to_string(),
        e.session_id.to_string(),
        e.session.clone(),
        e.session_kind.to_string(),
        e.month.clone().unwrap_or_default(),
        e.speaker.clone().unwrap_or_default(),
        e.role.clone().unwrap_or_default(),
        e.themes.join("; "),
        e.kind.to_string(),
        e.votes.to_string(),
        e.cluster.clone().unwrap_or_default(),
        q.map(|q| q.section.clone()).unwrap_or_default(),
        q.map(|q| q.number.to_string()).unwrap_or_default(),
        q.map(|q| q.text.clone()).unwrap_or_default(),
        e.text.clone(),
    ]
}

/// Rows as CSV text, every cell defused; without the byte order mark.
pub fn csv_text<R, C>(rows: R) -> Result<String, ExportError>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    let pack = |e: csv::Error| ExportError::Pack(e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(r.into_iter().map(|c| cell(c.as_ref())))
            .map_err(pack)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ExportError::Pack(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| ExportError::Pack(e.to_string()))
}

/// One row per excerpt, after the byte order mark.
pub fn csv(s: &Summary) -> Result<String, ExportError> {
    let head = EXCERPT_COLUMNS.map(str::to_owned);
    let rows = std::iter::once(head).chain(s.excerpts.iter().map(excerpt_row));
    Ok(format!("{BOM}{}", csv_text(rows)?))
}

/// A participant as the JSON shows them.
#[derive(serde::Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct PersonOut<'a> {
    pseudonym: &'a str,
    role: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct SessionOut<'a> {
    session_id: i64,
    title: &'a str,
    kind: crate::model::SessionKind,
    month: Option<&'a str>,
    participants: Vec<PersonOut<'a>>,
    facilitators: Vec<&'a str>,
    excerpts: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    review: Option<&'a super::ReviewOut>,
}

#[derive(serde::Serialize)]
struct ThemeOut<'a> {
    name: &'a str,
    parent: Option<&'a str>,
    description: Option<&'a str>,
    colour: Option<&'a str>,
    excerpts: usize,
    by_role: &'a [super::GroupCount],
}

#[derive(serde::Serialize)]
struct IdeaOut<'a> {
    note_id: i64,
    session_id: i64,
    votes: i64,
    cluster: Option<&'a str>,
    text: &'a str,
}

#[derive(serde::Serialize)]
struct JsonOut<'a> {
    format_version: u32,
    project: &'a super::Header,
    generated_on: &'a str,
    redactions: &'a std::collections::BTreeMap<String, usize>,
    withheld: usize,
    withdrawn: usize,
    memos_withheld: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    audit_anchor: Option<&'a str>,
    participants: Vec<PersonOut<'a>>,
    sessions: Vec<SessionOut<'a>>,
    themes: Vec<ThemeOut<'a>>,
    ideas: Vec<IdeaOut<'a>>,
    memos: &'a [super::MemoOut],
    excerpts: &'a [Excerpt],
    // quote-level consent: what was withheld, by participant
    quotes: &'a crate::quotes::QuoteTally,
}

/// The project header, participants, sessions, themes, ideas and one object per excerpt
/// (`assets/export.schema.json`).
pub fn json(s: &Summary) -> Result<String, ExportError> {
    let sessions: Vec<SessionOut> = s
        .sessions
        .iter()
        .map(|x| SessionOut {
            session_id: x.id,
            title: &x.title,
            kind: x.kind,
            month: x.month.as_deref(),
            participants: x
                .participants
                .iter()
                .filter(|p| !is_facilitator_code(&p.code))
                .map(|p| PersonOut {
                    pseudonym: &p.code,
                    role: p.role.as_deref(),
                })
                .collect(),
            facilitators: x
                .participants
                .iter()
                .filter(|p| is_facilitator_code(&p.code))
                .map(|p| p.code.as_str())
                .collect(),
            excerpts: x.excerpts.len(),
            review: x.review.as_ref(),
        })
        .collect();
    let mut participants: Vec<PersonOut> = s
        .sessions
        .iter()
        .flat_map(|x| &x.participants)
        .filter(|p| !is_facilitator_code(&p.code))
        .map(|p| PersonOut {
            pseudonym: &p.code,
            role: p.role.as_deref(),
        })
        .collect();
    participants.sort();
    participants.dedup_by(|a, b| a.pseudonym == b.pseudonym);
    let out = JsonOut {
        format_version: JSON_FORMAT_VERSION,
        project: &s.project,
        generated_on: &s.generated_on,
        redactions: &s.redactions,
        withheld: s.withheld,
        withdrawn: s.withdrawn,
        memos_withheld: s.memos_withheld,
        audit_anchor: s.audit_anchor.as_deref(),
        participants,
        sessions,
        themes: s
            .themes
            .iter()
            .map(|t| ThemeOut {
                name: &t.name,
                parent: t.parent.as_deref(),
                description: t.description.as_deref(),
                colour: t.colour.as_deref(),
                excerpts: t.excerpts.len(),
                by_role: &t.by_group,
            })
            .collect(),
        ideas: s
            .ideas
            .iter()
            .filter_map(|&i| s.excerpts.get(i))
            .map(|e| IdeaOut {
                note_id: e.note_id,
                session_id: e.session_id,
                votes: e.votes,
                cluster: e.cluster.as_deref(),
                text: &e.text,
            })
            .collect(),
        memos: &s.memos,
        excerpts: &s.excerpts,
        quotes: &s.quotes,
    };
    let mut text = crate::text::json_pretty(&out).map_err(|e| ExportError::Pack(e.to_string()))?;
    text.push('\n');
    Ok(text)
}
