//! The law's duties as reports: a subject access report for one person (with every third
//! party pseudonymised), and the accountability report (record of processing) for the data
//! protection officer. Pure: built from the store, rendered to text; the caller writes it.
//!
//! Both go through the export's anonymiser and its leak guard: every free text is anonymised,
//! and the rendered files (the report and the JSON beside it) are checked for every registered
//! name and every identifier found in the project's raw notes before anything is written.
//!
//! What the subject of an access report sees of themselves: their own record (name, role,
//! consent) and their own name wherever the notes use it, since those are their data. A name
//! part they share with someone else ("Khan") is read as the other person's and pseudonymised,
//! because the vault cannot tell whose it is. Structured identifiers (NHS numbers, phone
//! numbers, postcodes…) are replaced in every note for the same reason: a note can hold
//! anyone's; the request can be answered for those from the source records.

use std::collections::BTreeMap;

use serde::Serialize;

mod accountability_report;
mod review;
mod subject_report;

pub use accountability_report::{accountability_html, accountability_markdown};
pub use review::ReviewRead;
pub use subject_report::{subject_access_html, subject_access_markdown};

use std::sync::Arc;

use crate::anonymise::{Anonymiser, KnownPerson, Registry};
use crate::audit::Event;
use crate::export::guard::{GuardBuilder, LeakGuard};
use crate::model::{Participant, Project};
use crate::store::{Result, Rewriter as _, Store, StoreError, add_months};

/// Who the report is about.
#[derive(Debug, Clone, Serialize)]
pub struct Subject {
    /// `participant`, `subject of records` or `person mentioned`.
    pub kind: &'static str,
    /// Pseudonym.
    pub pseudonym: String,
    /// Real name (their own data), unless erased.
    pub real_name: Option<String>,
    /// Role or group.
    pub role: Option<String>,
    /// Consent status.
    pub consent: Option<String>,
    /// Date of the consent status.
    pub consent_date: Option<String>,
    /// Consent form version.
    pub consent_form: Option<String>,
    /// Whether processing is restricted.
    pub restricted: bool,
    /// Date consent was withdrawn.
    pub withdrawn_on: Option<String>,
    /// What was done on withdrawal.
    pub withdrawal: Option<String>,
}

/// A note as the subject access report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectNote {
    /// Note id.
    pub note_id: i64,
    /// Session id.
    pub session_id: i64,
    /// Session title (third parties pseudonymised).
    pub session: String,
    /// Session date.
    pub date: Option<String>,
    /// Speaker code.
    pub speaker: Option<String>,
    /// Kind of note.
    pub kind: String,
    /// Themes on the note.
    pub themes: Vec<String>,
    /// The text, third parties pseudonymised.
    pub text: String,
}

/// A researcher's memo that is about the subject: on a note they spoke, or naming them.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectMemo {
    /// Session id.
    pub session_id: i64,
    /// Session title (third parties pseudonymised).
    pub session: String,
    /// The note it is on, or none for a memo on the whole session.
    pub note_id: Option<i64>,
    /// The memo, third parties pseudonymised.
    pub text: String,
}

/// A session the subject took part in.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectSession {
    /// Session id.
    pub id: i64,
    /// Title (third parties pseudonymised).
    pub title: String,
    /// Interview or workshop.
    pub kind: String,
    /// Date.
    pub date: Option<String>,
    /// Location (third parties pseudonymised).
    pub location: Option<String>,
    /// What a record review about them read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<review::ReviewRead>,
}

/// Everything the vault holds about one person.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectAccess {
    /// Project name.
    pub project: String,
    /// The day it was made.
    pub generated_on: String,
    /// The audit trail's newest event when it was made (see `audit --verify`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_anchor: Option<String>,
    /// Their record.
    pub subject: Subject,
    /// Sessions they took part in.
    pub sessions: Vec<SubjectSession>,
    /// Notes they spoke.
    pub spoken: Vec<SubjectNote>,
    /// Notes by others that mention them.
    pub mentioned: Vec<SubjectNote>,
    /// The researchers' memos on their words or naming them.
    pub memos: Vec<SubjectMemo>,
    /// Audit events that name their pseudonym.
    pub audit: Vec<Event>,
    /// What the rendered report is checked for.
    #[serde(skip)]
    guard: Arc<LeakGuard>,
}

/// Anonymises the texts of a report, teaching the leak guard what each held. `keep` is the
/// pseudonym whose name stays (the subject of an access report).
struct Redactor {
    anon: Anonymiser,
    lists: bool,
    keep: Option<String>,
    guard: GuardBuilder,
}

impl Redactor {
    /// `people` in the order their names are claimed: a name part two people share is read
    /// as the first one's.
    /// The record references in `own_refs` (of the record reviews an access report's
    /// subject is the subject of) may appear; every other one of the project's is refused.
    fn new(
        registry: Registry,
        people: Vec<KnownPerson>,
        keep: Option<String>,
        own_refs: &[String],
    ) -> Self {
        // ages become bands as in an export, except in a subject's own report: the ages in
        // their notes are mostly their own data
        let ages = keep.is_none();
        let lists = !registry.allow.is_empty()
            || !registry.deny.is_empty()
            || !registry.record_refs.is_empty();
        let refs = registry.record_refs.clone();
        let anon = Anonymiser::new(&Registry {
            people: people.clone(),
            generalise_ages: ages,
            ..registry
        });
        Self {
            anon,
            lists,
            guard: GuardBuilder::generalising_ages(people, keep.clone(), ages)
                .with_record_refs(refs)
                .keeping_record_refs(own_refs),
            keep,
        }
    }

    fn text(&mut self, text: &str) -> String {
        let unlisted = self.guard.learn(text);
        let subs = if self.lists {
            self.anon.substitutions(text)
        } else {
            unlisted
        };
        let keep = self.keep.as_deref();
        crate::anonymise::apply(
            text,
            subs.iter().filter(|s| Some(s.replacement.as_str()) != keep),
        )
    }

    fn opt(&mut self, text: &Option<String>) -> Option<String> {
        text.as_deref().map(|t| self.text(t))
    }

    fn finish(self) -> Result<Arc<LeakGuard>> {
        self.guard
            .build()
            .map(Arc::new)
            .map_err(|e| StoreError::Report(e.to_string()))
    }
}

/// Runs the leak guard over each rendered part; `what` names the document in the refusal.
fn guarded(guard: &LeakGuard, what: &str, parts: &[(&str, &str)]) -> Result<()> {
    for (entry, text) in parts {
        guard.check(entry, text).map_err(|l| {
            StoreError::Report(format!(
                "{what} was refused: {} still appears in {}: \"{}\". Nothing was written. Add \
                 the word to the deny list (fieldnotes project deny), take it off the allow \
                 list, or reword the note, then try again",
                l.what, l.location, l.context
            ))
        })?;
    }
    Ok(())
}

/// A subject access report rendered (HTML, or Markdown when `markdown`) with the JSON that
/// goes beside it, both checked by the leak guard.
pub fn subject_access_files(r: &SubjectAccess, markdown: bool) -> Result<(String, String)> {
    // a title or role stored before typed text was cleaned may hold an escape sequence
    let body = crate::text::for_document(&if markdown {
        subject_access_markdown(r)
    } else {
        subject_access_html(r)
    })
    .into_owned();
    let json = crate::text::json_pretty(r)
        .map_err(|e| StoreError::Report(format!("could not build the JSON: {e}")))?;
    guarded(
        &r.guard,
        "the subject access report",
        &[
            (if markdown { "the Markdown" } else { "the HTML" }, &body),
            ("the JSON", &json),
        ],
    )?;
    Ok((body, json))
}

/// Builds the subject access report for a participant or a registered person mentioned.
pub fn subject_access(
    store: &Store,
    project: &str,
    code: &str,
    today: &str,
) -> Result<SubjectAccess> {
    let project = store.project(project)?;
    let registry = crate::mentions::registry(store, &project.name)?;
    let (mut subject, participant) = find_subject(store, &project, code)?;
    let me = subject.pseudonym.clone();
    // the subject's name is claimed last: a part they share with someone else is the other
    // person's, and is pseudonymised
    let (mine, mut people): (Vec<KnownPerson>, Vec<KnownPerson>) = registry
        .people
        .iter()
        .cloned()
        .partition(|p| p.pseudonym == me);
    people.extend(mine);
    // a record review's reference is kept from every output, except from the access
    // report of the person the record is about: it is their data, and it lets them (or the
    // data protection officer) ask the source system for the record itself
    let own_refs = review::own_record_refs(store, participant.as_ref(), &project)?;
    // third parties become pseudonyms or placeholders; the subject's own name stays
    let mut red = Redactor::new(registry, people, Some(me.clone()), &own_refs);
    // their own record, with anyone else it names pseudonymised
    subject.role = red.opt(&subject.role);
    subject.consent_form = red.opt(&subject.consent_form);
    subject.withdrawal = red.opt(&subject.withdrawal);
    let found = subject_notes(
        store,
        &project,
        &me,
        subject.real_name.as_deref(),
        participant.as_ref(),
        &mut red,
    )?;
    let audit = audit_naming(store, &me, &mut red)?;
    Ok(SubjectAccess {
        project: red.text(&project.name),
        generated_on: today.to_owned(),
        audit_anchor: store.audit_head()?.map(|a| a.to_string()),
        subject,
        sessions: found.sessions,
        spoken: found.spoken,
        mentioned: found.mentioned,
        memos: found.memos,
        audit,
        guard: red.finish()?,
    })
}

/// The participant or person mentioned with pseudonym `code`, as the report shows them, and
/// their participant record when they are one.
fn find_subject(
    store: &Store,
    project: &Project,
    code: &str,
) -> Result<(Subject, Option<Participant>)> {
    let participant = store
        .participants_of_project(&project.name)?
        .into_iter()
        .find(|p| p.pseudonym.eq_ignore_ascii_case(code.trim()));
    let subject = match &participant {
        Some(p) => Subject {
            kind: if p.subject {
                "subject of records"
            } else {
                "participant"
            },
            pseudonym: p.pseudonym.clone(),
            real_name: p.real_name.clone(),
            role: p.role.clone(),
            consent: (p.subject || p.consent.is_some()).then(|| p.consent_shown(project)),
            consent_date: p.consent_date.clone(),
            consent_form: p.consent_form.clone(),
            restricted: p.restricted,
            withdrawn_on: p.withdrawn_on.clone(),
            withdrawal: p.withdrawal.clone(),
        },
        None => {
            let m = store
                .people_mentioned(&project.name)?
                .into_iter()
                .find(|p| p.pseudonym.eq_ignore_ascii_case(code.trim()))
                .ok_or_else(|| {
                    StoreError::NotFound(format!(
                        "no participant or person mentioned '{}' in project {}: see `fieldnotes participant list --project {}`",
                        crate::text::for_terminal(code, false),
                        project.name,
                        project.name
                    ))
                })?;
            Subject {
                kind: "person mentioned",
                pseudonym: m.pseudonym,
                real_name: Some(m.real_name).filter(|n| !n.is_empty()),
                role: None,
                consent: None,
                consent_date: None,
                consent_form: None,
                restricted: m.restricted,
                withdrawn_on: None,
                withdrawal: None,
            }
        }
    };
    Ok((subject, participant))
}

/// The sessions a subject took part in, the notes they said and the notes that name them.
struct SubjectNotes {
    sessions: Vec<SubjectSession>,
    spoken: Vec<SubjectNote>,
    mentioned: Vec<SubjectNote>,
    memos: Vec<SubjectMemo>,
}

fn subject_notes(
    store: &Store,
    project: &Project,
    me: &str,
    name: Option<&str>,
    participant: Option<&Participant>,
    red: &mut Redactor,
) -> Result<SubjectNotes> {
    let theme_names: BTreeMap<String, String> = store
        .themes(&project.name)?
        .into_iter()
        .map(|t| {
            let shown = red.text(&t.name);
            (t.name, shown)
        })
        .collect();
    let mentioned_ids: std::collections::HashSet<i64> = store
        .mentions(&project.name, me, &crate::mentions::AnonymiserNames)?
        .iter()
        .filter(|n| n.speaker.as_deref() != Some(me))
        .map(|n| n.id)
        .collect();
    // a memo is theirs when it is on a note they spoke, or names them
    let names_them = name.map(|n| {
        crate::mentions::AnonymiserNames.matcher(vec![crate::store::NamedPerson {
            name: n.to_owned(),
            pseudonym: me.to_owned(),
        }])
    });
    // a person's own words go to them in full; another participant's verbatim note that
    // mentions them honours that participant's quote consent
    let quotes = crate::quotes::QuoteRule::load(store, &project.name)?;
    let mut sessions = Vec::new();
    let mut spoken = Vec::new();
    let mut mentioned = Vec::new();
    let mut memos = Vec::new();
    for s in store.sessions(Some(&project.name))? {
        let title = red.text(&s.title);
        let people = match participant {
            Some(_) => store.participants_of_session(s.id)?,
            None => Vec::new(),
        };
        let took_part = participant.is_some_and(|p| people.iter().any(|x| x.id == p.id));
        // a record review of their record alone: every note of it is about them
        let all_theirs = took_part && s.review.is_some() && people.len() == 1;
        if took_part {
            sessions.push(SubjectSession {
                id: s.id,
                title: title.clone(),
                kind: s.kind.to_string(),
                date: s.date.clone(),
                location: red.opt(&s.location),
                review: s.review.as_ref().map(|r| review::shown(r, red)),
            });
        }
        // every note teaches the guard its identifiers; only the subject's are shown
        let mut their_notes = std::collections::HashSet::new();
        for n in store.notes(s.id)? {
            let theirs = took_part && (all_theirs || n.speaker.as_deref() == Some(me));
            if theirs {
                their_notes.insert(n.id);
            }
            if !theirs && !mentioned_ids.contains(&n.id) {
                red.guard.learn(&n.text);
                continue;
            }
            let view = SubjectNote {
                note_id: n.id,
                session_id: n.session_id,
                session: title.clone(),
                date: s.date.clone(),
                speaker: n.speaker.clone(),
                kind: n.kind.to_string(),
                themes: n
                    .themes
                    .iter()
                    .map(|t| theme_names.get(t).cloned().unwrap_or_default())
                    .collect(),
                text: match quotes.withheld(&n).filter(|_| !theirs) {
                    Some(w) => {
                        red.guard.learn(&n.text);
                        w.marker(n.speaker.as_deref().unwrap_or("the speaker"))
                    }
                    None => red.text(&n.text),
                },
            };
            let at = (n.session_id, n.position);
            if theirs {
                spoken.push((at, view));
            } else {
                mentioned.push((at, view));
            }
        }
        for m in store.memos_of_session(s.id)? {
            let on_theirs = m.note_id.is_some_and(|id| their_notes.contains(&id));
            let names = names_them.as_ref().is_some_and(|x| x.mentions(&m.text));
            if !on_theirs && !names {
                red.guard.learn(&m.text);
                continue;
            }
            memos.push(SubjectMemo {
                session_id: s.id,
                session: title.clone(),
                note_id: m.note_id,
                text: red.text(&m.text),
            });
        }
    }
    sessions.sort_by_key(|s| s.id);
    spoken.sort_by_key(|(at, _)| *at);
    mentioned.sort_by_key(|(at, _)| *at);
    Ok(SubjectNotes {
        sessions,
        spoken: spoken.into_iter().map(|(_, v)| v).collect(),
        mentioned: mentioned.into_iter().map(|(_, v)| v).collect(),
        memos,
    })
}

/// Audit events whose details name the subject's pseudonym, anonymised.
fn audit_naming(store: &Store, me: &str, red: &mut Redactor) -> Result<Vec<Event>> {
    let word = regex::Regex::new(&format!(r"(?i)\b{}\b", regex::escape(me)))
        .map_err(|e| StoreError::Report(e.to_string()))?;
    Ok(store
        .audit_events()?
        .into_iter()
        .filter(|e| word.is_match(&e.detail))
        .map(|mut e| {
            e.detail = red.text(&e.detail);
            e
        })
        .collect())
}

/// Facts for the accountability report.
#[derive(Debug, Clone, Serialize)]
pub struct Accountability {
    /// The project record.
    pub project: Project,
    /// The day it was made.
    pub generated_on: String,
    /// The audit trail's newest event when it was made (see `audit --verify`).
    pub audit_anchor: Option<String>,
    /// Notes held, with special category data, with criminal-offence data.
    pub notes: (usize, usize, usize),
    /// Participants by role, then by consent state.
    pub participants: BTreeMap<String, BTreeMap<String, usize>>,
    /// Participants whose processing is restricted.
    pub restricted: usize,
    /// Sessions with their retention date: (id, kind, date, destroy by).
    pub retention: Vec<(i64, String, String, String)>,
    /// Exports made (audit events).
    pub exports: Vec<Event>,
    /// Erasures, withdrawals, restrictions and restores (audit events).
    pub erasures: Vec<Event>,
    /// The disclosures log: data passed to other teams or organisations (texts anonymised).
    pub disclosures: Vec<crate::model::Disclosure>,
    /// What the rendered report is checked for.
    #[serde(skip)]
    guard: Arc<LeakGuard>,
}

/// The accountability report rendered (HTML, or Markdown when `markdown`) and checked by the
/// leak guard: it quotes the project's free text, roles and audit details, and is written
/// unencrypted.
pub fn accountability_file(a: &Accountability, markdown: bool) -> Result<String> {
    let text = crate::text::for_document(&if markdown {
        accountability_markdown(a)
    } else {
        accountability_html(a)
    })
    .into_owned();
    guarded(
        &a.guard,
        "the record of processing",
        &[(if markdown { "the Markdown" } else { "the HTML" }, &text)],
    )?;
    Ok(text)
}

/// Gathers the record of processing for one project.
pub fn accountability(store: &Store, project: &str, today: &str) -> Result<Accountability> {
    let project = store.project(project)?;
    let registry = crate::mentions::registry(store, &project.name)?;
    let people = registry.people.clone();
    let mut red = Redactor::new(registry, people, None, &[]);
    let mut notes = (0, 0, 0);
    let mut retention = Vec::new();
    for s in store.sessions(Some(&project.name))? {
        for n in store.notes(s.id)? {
            notes.0 += 1;
            notes.1 += usize::from(n.special_category);
            notes.2 += usize::from(n.criminal_offence);
            // not shown, but what the guard must recognise in what is
            red.guard.learn(&n.text);
        }
        let date = s.date.clone().unwrap_or_default();
        let due = project
            .retention_months
            .and_then(|m| add_months(&date, m))
            .unwrap_or_else(|| "no retention period set".into());
        retention.push((s.id, s.kind.to_string(), date, due));
    }
    retention.sort();
    let mut participants: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut restricted = 0;
    for p in store.participants_of_project(&project.name)? {
        let role = red
            .opt(&p.role)
            .unwrap_or_else(|| "no role recorded".into());
        let consent = red.text(&p.consent_shown(&project));
        *participants
            .entry(role)
            .or_default()
            .entry(consent)
            .or_default() += 1;
        restricted += usize::from(p.restricted);
    }
    let (exports, erasures) = project_events(store, &project.name)?;
    let mut quoted = |events: Vec<Event>| -> Vec<Event> {
        events
            .into_iter()
            .map(|mut e| {
                e.detail = red.text(&e.detail);
                e
            })
            .collect()
    };
    let exports = quoted(exports);
    let erasures = quoted(erasures);
    let disclosures = review::disclosures(store, &project.name, &mut red)?;
    let project = Project {
        name: red.text(&project.name),
        purpose: red.opt(&project.purpose),
        lawful_basis: red.opt(&project.lawful_basis),
        special_category_condition: red.opt(&project.special_category_condition),
        schedule1_condition: red.opt(&project.schedule1_condition),
        criminal_offence_basis: red.opt(&project.criminal_offence_basis),
        dpia_ref: red.opt(&project.dpia_ref),
        controller: red.opt(&project.controller),
        ..project
    };
    Ok(Accountability {
        project,
        generated_on: today.to_owned(),
        audit_anchor: store.audit_head()?.map(|a| a.to_string()),
        notes,
        participants,
        restricted,
        retention,
        exports,
        erasures,
        disclosures,
        guard: red.finish()?,
    })
}

/// The audit events of one project: its exports and subject access reports, and its
/// erasures, withdrawals, restrictions and the vault's restores.
fn project_events(store: &Store, project: &str) -> Result<(Vec<Event>, Vec<Event>)> {
    let tag = format!("project {project}");
    let ours = |e: &Event| {
        e.detail.starts_with(&format!("{tag},"))
            || e.detail.starts_with(&format!("{tag}:"))
            || e.detail == tag
    };
    let events = store.audit_events()?;
    let exports: Vec<Event> = events
        .iter()
        .filter(|e| e.action.starts_with("export") || e.action == "subject access")
        .filter(|e| ours(e))
        .cloned()
        .collect();
    let erasures: Vec<Event> = events
        .iter()
        .filter(|e| {
            matches!(
                e.action.as_str(),
                "withdraw" | "erase" | "retention" | "restrict" | "unrestrict"
            ) && ours(e)
                || e.action == "restore"
        })
        .cloned()
        .collect();
    Ok((exports, erasures))
}
