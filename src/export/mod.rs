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

pub(crate) mod guard;
mod qdpx;
mod render;

pub use render::cell as spreadsheet_cell;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::anonymise::{Anonymiser, Substitution};
use crate::model::{Note, NoteKind, Session, SessionKind};
use crate::store::{Store, StoreError, TagRow};
use guard::{GuardBuilder, Leak, LeakGuard};

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
}

impl Format {
    /// Every format, in the order offered.
    pub const ALL: [Format; 5] = [
        Format::Md,
        Format::Html,
        Format::Csv,
        Format::Json,
        Format::Qdpx,
    ];

    /// The typed name and file extension.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Qdpx => "qdpx",
        }
    }
}

impl Format {
    /// The format a file name asks for by its extension (`board.html`, `share.md.age`).
    pub fn from_path(path: &std::path::Path) -> Result<Format, String> {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let name = name.strip_suffix(".age").unwrap_or(name);
        match name.rsplit_once('.') {
            Some((_, ext)) => ext.parse(),
            None => Err(format!(
                "'{}' has no extension to tell the format: end it in .md, .html, .csv, .json or .qdpx",
                crate::text::for_terminal(name, false)
            )),
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim().to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == t || (t == "markdown" && *f == Format::Md))
            .ok_or_else(|| {
                format!("'{s}' is not an export format: use md, html, csv, json or qdpx")
            })
    }
}

/// What to export.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Project name.
    pub project: String,
    /// Only these sessions (empty: all of the project's).
    pub sessions: Vec<i64>,
    /// Only notes tagged with this theme or one of its descendants.
    pub theme: Option<String>,
}

impl Scope {
    /// The scope in words, for the audit trail and the report.
    pub fn describe(&self) -> String {
        let mut s = format!("project {}", self.project);
        if self.sessions.is_empty() {
            s.push_str(", all sessions");
        } else {
            let ids: Vec<String> = self.sessions.iter().map(i64::to_string).collect();
            s.push_str(&format!(", sessions {}", ids.join(",")));
        }
        if let Some(t) = &self.theme {
            s.push_str(&format!(", theme {t}"));
        }
        s
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
    /// Speaker pseudonym.
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
}

/// Counts for one participant group under a theme.
#[derive(Debug, Clone, Serialize)]
pub struct GroupCount {
    /// The role (or "unattributed").
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
        let line_start = text[..substitution.start].rfind('\n').map_or(0, |i| i + 1);
        let head = &text[line_start..substitution.start];
        let from = head
            .char_indices()
            .rev()
            .nth(REVIEW_CONTEXT - 1)
            .map_or(0, |(i, _)| i);
        let tail = &text[substitution.end..];
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

/// A prepared export: the summary, the substitutions to review, and the guard.
pub struct Prepared {
    /// What the export shows.
    pub summary: Summary,
    /// Every substitution made, text by text.
    pub review: Vec<ReviewItem>,
    guard: LeakGuard,
}

/// Anonymises every text of an export once, teaching the leak guard what each held and
/// listing each substitution for the review.
struct Redactor<'a> {
    anon: &'a Anonymiser,
    /// Without allow or deny lists the guard's findings are the export's substitutions: one
    /// anonymiser pass per text instead of two.
    lists: bool,
    guard: GuardBuilder,
    review: Vec<ReviewItem>,
    redactions: BTreeMap<String, usize>,
}

impl Redactor<'_> {
    fn redact(&mut self, note_id: i64, place: &str, text: &str) -> crate::anonymise::Redacted {
        // the guard knows every identifier in the raw text, the allow list notwithstanding
        let unlisted = self.guard.learn(text);
        let r = if self.lists {
            self.anon.redact(text)
        } else {
            crate::anonymise::Redacted {
                text: crate::anonymise::apply(text, &unlisted),
                substitutions: unlisted,
            }
        };
        for s in &r.substitutions {
            let k = serde_json::to_value(s.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            *self.redactions.entry(k).or_default() += 1;
            self.review.push(ReviewItem::new(note_id, place, text, s));
        }
        r
    }

    fn text(&mut self, place: &str, text: &str) -> String {
        self.redact(0, place, text).text
    }

    fn opt(&mut self, place: &str, text: &Option<String>) -> Option<String> {
        text.as_deref().map(|t| self.text(place, t))
    }
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

/// `2024-03-07` → `2024-03`.
fn month_of(date: &str) -> Option<String> {
    let d = date.get(..7)?;
    (d.len() == 7 && d.as_bytes()[4] == b'-').then(|| d.to_owned())
}

fn month_of_ms(ms: i64) -> Option<String> {
    let t = time::OffsetDateTime::from_unix_timestamp(ms / 1000).ok()?;
    Some(format!("{:04}-{:02}", t.year(), u8::from(t.month())))
}

/// Maps a character range of `orig` to the same words in `new`, given the substitutions that
/// turned one into the other. A boundary inside a substitution moves to its edge.
fn remap(
    orig: &str,
    subs: &[Substitution],
    new: &str,
    range: (usize, usize),
) -> Option<(usize, usize)> {
    let byte_of = |s: &str, c: usize| s.char_indices().nth(c).map_or(s.len(), |(b, _)| b);
    let map = |b: usize, is_end: bool| {
        let mut delta: isize = 0;
        for s in subs {
            if s.end <= b {
                delta += s.replacement.len() as isize - (s.end - s.start) as isize;
            } else if s.start < b {
                // inside a substitution: the start moves to its start, the end past it
                let base = (s.start as isize + delta) as usize;
                return if is_end {
                    base + s.replacement.len()
                } else {
                    base
                };
            } else {
                break;
            }
        }
        (b as isize + delta) as usize
    };
    let a = map(byte_of(orig, range.0), false);
    let b = map(byte_of(orig, range.1), true);
    let ca = new.get(..a)?.chars().count();
    let cb = new.get(..b)?.chars().count();
    (ca < cb).then_some((ca, cb))
}

/// Themes in scope: the named theme and its descendants.
fn theme_family(themes: &[crate::model::Theme], root: &str) -> Option<HashSet<String>> {
    let root = themes
        .iter()
        .find(|t| t.name.eq_ignore_ascii_case(root.trim()))?;
    let mut family: HashSet<String> = HashSet::from([root.name.clone()]);
    loop {
        let before = family.len();
        for t in themes {
            if t.parent.as_ref().is_some_and(|p| family.contains(p)) {
                family.insert(t.name.clone());
            }
        }
        if family.len() == before {
            return Some(family);
        }
    }
}

/// Builds the anonymised summary of `scope`. `today` is the export date (YYYY-MM-DD).
pub fn prepare(store: &Store, scope: &Scope, today: &str) -> Result<Prepared, ExportError> {
    let project = store.project(&scope.project)?;
    let registry = crate::mentions::registry(store, &project.name)?;
    let anon = Anonymiser::new(&registry);
    let mut red = Redactor {
        anon: &anon,
        lists: !registry.allow.is_empty() || !registry.deny.is_empty(),
        guard: GuardBuilder::new(registry.people.clone(), None),
        review: Vec::new(),
        redactions: BTreeMap::new(),
    };
    let participants = store.participants_of_project(&project.name)?;
    // every participant's role, anonymised once
    let mut role_of: HashMap<String, Option<String>> = HashMap::new();
    for p in &participants {
        let role = red.opt(&format!("role of {}", p.pseudonym), &p.role);
        role_of.insert(p.pseudonym.clone(), role);
    }
    let restriction = store.restriction(&project.name, &crate::mentions::AnonymiserNames)?;
    let themes = store.themes(&project.name)?;
    let family = match &scope.theme {
        Some(t) => Some(theme_family(&themes, t).ok_or_else(|| {
            ExportError::Scope(format!(
                "no theme named '{}' in project {}: see `fieldnotes theme list`",
                crate::text::for_terminal(t, false),
                project.name
            ))
        })?),
        None => None,
    };
    // the codebook as the export names it: anonymised, and still one name per theme
    let mut theme_name: HashMap<String, String> = HashMap::new();
    let mut taken: HashSet<String> = HashSet::new();
    for t in &themes {
        let base = red.text("theme name", &t.name);
        let mut name = base.clone();
        let mut n = 2;
        while !taken.insert(name.clone()) {
            name = format!("{base} ({n})");
            n += 1;
        }
        theme_name.insert(t.name.clone(), name);
    }
    let shown = |raw: &str| theme_name.get(raw).cloned().unwrap_or_default();
    let mut sessions: Vec<Session> = store.sessions(Some(&project.name))?;
    if !scope.sessions.is_empty() {
        for id in &scope.sessions {
            if !sessions.iter().any(|s| s.id == *id) {
                return Err(ExportError::Scope(format!(
                    "session {id} is not in project {}: see `fieldnotes session list --project {}`",
                    project.name, project.name
                )));
            }
        }
        sessions.retain(|s| scope.sessions.contains(&s.id));
    }
    // oldest first; undated sessions after dated ones, in the order they were added
    sessions
        .sort_by(|a, b| (a.date.is_none(), &a.date, a.id).cmp(&(b.date.is_none(), &b.date, b.id)));
    let mut tags: HashMap<i64, Vec<TagRow>> = HashMap::new();
    for t in store.tag_rows(&project.name)? {
        tags.entry(t.note_id).or_default().push(t);
    }

    let mut excerpts: Vec<Excerpt> = Vec::new();
    let mut out_sessions = Vec::new();
    let mut withheld = 0;

    for s in &sessions {
        let title = red.text("session title", &s.title);
        let notes: Vec<Note> = store.notes(s.id)?;
        let month = s
            .date
            .as_deref()
            .and_then(month_of)
            .or_else(|| notes.first().and_then(|n| month_of_ms(n.created_at_ms)));
        let mut speakers: Vec<Speaker> = store
            .participants_of_session(s.id)?
            .into_iter()
            .filter(|p| !p.restricted)
            .map(|p| Speaker {
                role: role_of.get(&p.pseudonym).cloned().flatten(),
                code: p.pseudonym,
            })
            .collect();
        speakers.extend((1..=s.facilitators.len()).map(|i| Speaker {
            code: format!("F{i}"),
            role: Some("facilitator".into()),
        }));
        let mut idx = Vec::new();
        for n in notes {
            let note_tags = tags.remove(&n.id).unwrap_or_default();
            if let Some(f) = &family
                && !note_tags.iter().any(|t| f.contains(&t.theme))
            {
                continue;
            }
            if restriction.withholds(n.speaker.as_deref(), &n.text) {
                withheld += 1;
                continue;
            }
            let place = format!("note {}", n.id);
            let r = red.redact(n.id, &place, &n.text);
            let chars = r.text.chars().count();
            let mut codings: Vec<Coding> = note_tags
                .iter()
                .filter_map(|t| {
                    let (start, end) = match t.span {
                        None => (0, chars),
                        Some(span) => remap(&n.text, &r.substitutions, &r.text, span)?,
                    };
                    Some(Coding {
                        theme: shown(&t.theme),
                        start,
                        end,
                    })
                })
                .collect();
            codings.dedup();
            let role = match n.speaker.as_deref() {
                Some(c) if c.starts_with('F') && !role_of.contains_key(c) => {
                    Some("facilitator".to_owned())
                }
                Some(c) => role_of.get(c).cloned().flatten(),
                None => None,
            };
            let cluster = n
                .cluster
                .as_deref()
                .map(|c| red.text(&format!("cluster of note {}", n.id), c));
            idx.push(excerpts.len());
            excerpts.push(Excerpt {
                note_id: n.id,
                session_id: s.id,
                session: title.clone(),
                session_kind: s.kind,
                month: month.clone(),
                speaker: n.speaker.clone(),
                role,
                kind: n.kind,
                themes: n.themes.iter().map(|t| shown(t)).collect(),
                codings,
                text: r.text,
                votes: n.votes,
                cluster,
            });
        }
        out_sessions.push(SessionSummary {
            id: s.id,
            title,
            kind: s.kind,
            month,
            participants: speakers,
            excerpts: idx,
        });
    }

    let months: Vec<&String> = out_sessions
        .iter()
        .filter_map(|s| s.month.as_ref())
        .collect();
    let header = Header {
        name: red.text("project name", &project.name),
        purpose: red.opt("project purpose", &project.purpose),
        lawful_basis: red.opt("project lawful basis", &project.lawful_basis),
        special_category_condition: red.opt(
            "project special category condition",
            &project.special_category_condition,
        ),
        schedule1_condition: red.opt("project Schedule 1 condition", &project.schedule1_condition),
        criminal_offence_basis: red.opt(
            "project criminal offence basis",
            &project.criminal_offence_basis,
        ),
        dpia_ref: red.opt("project DPIA reference", &project.dpia_ref),
        controller: red.opt("project data controller", &project.controller),
        from_month: months.iter().min().map(|m| (*m).clone()),
        to_month: months.iter().max().map(|m| (*m).clone()),
    };
    let mut theme_summaries = Vec::new();
    for t in &themes {
        let name = shown(&t.name);
        let ex: Vec<usize> = (0..excerpts.len())
            .filter(|&i| excerpts[i].themes.contains(&name))
            .collect();
        let mut groups: BTreeMap<String, (usize, HashSet<&str>)> = BTreeMap::new();
        for &i in &ex {
            let e = &excerpts[i];
            let g = groups
                .entry(e.role.clone().unwrap_or_else(|| "unattributed".into()))
                .or_default();
            g.0 += 1;
            if let Some(sp) = &e.speaker {
                g.1.insert(sp);
            }
        }
        theme_summaries.push(ThemeSummary {
            parent: t.parent.as_deref().map(shown),
            description: red.opt("theme description", &t.description),
            colour: red.opt("theme colour", &t.colour),
            excerpts: ex,
            by_group: groups
                .into_iter()
                .map(|(group, (excerpts, ps))| GroupCount {
                    group,
                    excerpts,
                    participants: ps.len(),
                })
                .collect(),
            name,
        });
    }
    let mut ideas: Vec<usize> = (0..excerpts.len())
        .filter(|&i| {
            excerpts[i].session_kind == SessionKind::Workshop && excerpts[i].kind == NoteKind::Idea
        })
        .collect();
    ideas.sort_by_key(|&i| (std::cmp::Reverse(excerpts[i].votes), i));
    let Redactor {
        guard,
        review,
        redactions,
        ..
    } = red;
    Ok(Prepared {
        summary: Summary {
            project: header,
            generated_on: today.to_owned(),
            sessions: out_sessions,
            themes: theme_summaries,
            ideas,
            excerpts,
            redactions,
            withheld,
            audit_anchor: store.audit_head()?.map(|a| a.to_string()),
        },
        review,
        guard: guard.build().map_err(ExportError::Pack)?,
    })
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
        recipients: &[age::x25519::Recipient],
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
            "export",
            &format!(
                "{}, format {}, {} excerpts, {} substitutions, {} withheld, {whom}, to {}",
                scope.describe(),
                format.as_str(),
                s.excerpts.len(),
                self.review.len(),
                s.withheld,
                path.display()
            ),
        )?;
        self.summary.audit_anchor = Some(record.anchor().to_string());
        let bytes = match self.render(format) {
            Ok(b) => b,
            Err(e) => {
                if matches!(e, ExportError::Leak { .. }) {
                    vault.audit(
                        "export refused",
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
            Format::Csv => vec![("the CSV".into(), render::csv(&self.summary)?)],
            Format::Json => vec![("the JSON".into(), render::json(&self.summary)?)],
            Format::Qdpx => qdpx::parts(&self.summary),
        };
        for (entry, text) in &parts {
            self.guard.check(entry, text)?;
        }
        match format {
            Format::Qdpx => qdpx::zip(&parts),
            _ => Ok(parts
                .into_iter()
                .next()
                .map(|p| p.1)
                .unwrap_or_default()
                .into_bytes()),
        }
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
