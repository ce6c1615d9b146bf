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

use crate::audit::anchor_sentence;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use std::sync::Arc;

use crate::anonymise::{Anonymiser, KnownPerson, Registry};
use crate::audit::Event;
use crate::export::guard::{GuardBuilder, LeakGuard};
use crate::model::Project;
use crate::store::{Result, Store, StoreError, add_months};
use crate::text::html_escape as h;

/// Who the report is about.
#[derive(Debug, Clone, Serialize)]
pub struct Subject {
    /// `participant` or `person mentioned`.
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
    fn new(registry: Registry, people: Vec<KnownPerson>, keep: Option<String>) -> Self {
        let lists = !registry.allow.is_empty() || !registry.deny.is_empty();
        let anon = Anonymiser::new(&Registry {
            people: people.clone(),
            ..registry
        });
        Self {
            anon,
            lists,
            guard: GuardBuilder::new(people, keep.clone()),
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
        self.guard.build().map(Arc::new).map_err(StoreError::Report)
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
    let body = if markdown {
        subject_access_markdown(r)
    } else {
        subject_access_html(r)
    };
    let json = serde_json::to_string_pretty(r)
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
    let participant = store
        .participants_of_project(&project.name)?
        .into_iter()
        .find(|p| p.pseudonym.eq_ignore_ascii_case(code.trim()));
    let mut subject = match &participant {
        Some(p) => Subject {
            kind: "participant",
            pseudonym: p.pseudonym.clone(),
            real_name: p.real_name.clone(),
            role: p.role.clone(),
            consent: p.consent.map(|c| c.to_string()),
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
    let me = subject.pseudonym.clone();
    // the subject's name is claimed last: a part they share with someone else is the other
    // person's, and is pseudonymised
    let (mine, mut people): (Vec<KnownPerson>, Vec<KnownPerson>) = registry
        .people
        .iter()
        .cloned()
        .partition(|p| p.pseudonym == me);
    people.extend(mine);
    // third parties become pseudonyms or placeholders; the subject's own name stays
    let mut red = Redactor::new(registry, people, Some(me.clone()));
    // their own record, with anyone else it names pseudonymised
    subject.role = red.opt(&subject.role);
    subject.consent_form = red.opt(&subject.consent_form);
    subject.withdrawal = red.opt(&subject.withdrawal);
    let theme_names: BTreeMap<String, String> = store
        .themes(&project.name)?
        .into_iter()
        .map(|t| {
            let shown = red.text(&t.name);
            (t.name, shown)
        })
        .collect();
    let mentioned_ids: std::collections::HashSet<i64> = store
        .mentions(&project.name, &me, &crate::mentions::AnonymiserNames)?
        .iter()
        .filter(|n| n.speaker.as_deref() != Some(me.as_str()))
        .map(|n| n.id)
        .collect();
    let mut sessions = Vec::new();
    let mut spoken = Vec::new();
    let mut mentioned = Vec::new();
    for s in store.sessions(Some(&project.name))? {
        let title = red.text(&s.title);
        let took_part = match &participant {
            Some(p) => store
                .participants_of_session(s.id)?
                .iter()
                .any(|x| x.id == p.id),
            None => false,
        };
        if took_part {
            sessions.push(SubjectSession {
                id: s.id,
                title: title.clone(),
                kind: s.kind.to_string(),
                date: s.date.clone(),
                location: red.opt(&s.location),
            });
        }
        // every note teaches the guard its identifiers; only the subject's are shown
        for n in store.notes(s.id)? {
            let theirs = took_part && n.speaker.as_deref() == Some(me.as_str());
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
                text: red.text(&n.text),
            };
            let at = (n.session_id, n.position);
            if theirs {
                spoken.push((at, view));
            } else {
                mentioned.push((at, view));
            }
        }
    }
    sessions.sort_by_key(|s| s.id);
    spoken.sort_by_key(|(at, _)| *at);
    mentioned.sort_by_key(|(at, _)| *at);
    let word = regex::Regex::new(&format!(r"(?i)\b{}\b", regex::escape(&me)))
        .map_err(|e| StoreError::Report(e.to_string()))?;
    let audit = store
        .audit_events()?
        .into_iter()
        .filter(|e| word.is_match(&e.detail))
        .map(|mut e| {
            e.detail = red.text(&e.detail);
            e
        })
        .collect();
    Ok(SubjectAccess {
        project: red.text(&project.name),
        generated_on: today.to_owned(),
        audit_anchor: store.audit_head()?.map(|a| a.to_string()),
        subject,
        sessions,
        spoken: spoken.into_iter().map(|(_, v)| v).collect(),
        mentioned: mentioned.into_iter().map(|(_, v)| v).collect(),
        audit,
        guard: red.finish()?,
    })
}

fn notes_html(o: &mut String, title: &str, notes: &[SubjectNote]) {
    let _ = writeln!(o, "<h2>{}</h2>", h(title));
    if notes.is_empty() {
        let _ = writeln!(o, "<p>None.</p>");
        return;
    }
    let _ = writeln!(o, "<ul>");
    for n in notes {
        let _ = writeln!(
            o,
            "<li><p>{}</p><p class=meta>Note {} in “{}”{}, {}{}{}</p></li>",
            h(&n.text),
            n.note_id,
            h(&n.session),
            n.date
                .as_deref()
                .map(|d| format!(" ({})", h(d)))
                .unwrap_or_default(),
            h(&n.kind),
            n.speaker
                .as_deref()
                .map(|s| format!(", spoken by {}", h(s)))
                .unwrap_or_default(),
            if n.themes.is_empty() {
                String::new()
            } else {
                format!(", themes: {}", h(&n.themes.join(", ")))
            }
        );
    }
    let _ = writeln!(o, "</ul>");
}

const SAR_CSS: &str = "body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;\
padding:0 1rem;line-height:1.5}table{border-collapse:collapse}td,th{border:1px solid #999;\
padding:.2rem .6rem;text-align:left}.meta{color:#444;font-size:.9em;margin-top:0}";

/// The subject access report as one self-contained HTML page.
pub fn subject_access_html(r: &SubjectAccess) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
         <title>Subject access: {} in {}</title><style>{SAR_CSS}</style></head><body>\n",
        h(&r.subject.pseudonym),
        h(&r.project)
    );
    let _ = writeln!(
        o,
        "<h1>Your data in the research project {}</h1>\n<p>Made on {} by fieldnotes in answer \
         to a subject access request (UK GDPR Art. 15). Other people in these notes are shown \
         only by pseudonyms or as [PERSON].</p>",
        h(&r.project),
        h(&r.generated_on)
    );
    let s = &r.subject;
    let _ = writeln!(o, "<h2>Your record</h2><table>");
    let rows = [
        ("Recorded as", Some(s.kind.to_owned())),
        ("Pseudonym", Some(s.pseudonym.clone())),
        (
            "Name",
            Some(s.real_name.clone().unwrap_or_else(|| "(erased)".to_owned())),
        ),
        ("Role", s.role.clone()),
        ("Consent", s.consent.clone()),
        ("Consent date", s.consent_date.clone()),
        ("Consent form", s.consent_form.clone()),
        ("Withdrawn on", s.withdrawn_on.clone()),
        ("On withdrawal", s.withdrawal.clone()),
        (
            "Processing restricted",
            Some(if s.restricted { "yes" } else { "no" }.to_owned()),
        ),
    ];
    for (k, v) in rows {
        if let Some(v) = v {
            let _ = writeln!(o, "<tr><th>{}</th><td>{}</td></tr>", h(k), h(&v));
        }
    }
    let _ = writeln!(o, "</table>");
    if !r.sessions.is_empty() {
        let _ = writeln!(o, "<h2>Sessions you took part in</h2><ul>");
        for x in &r.sessions {
            let _ = writeln!(
                o,
                "<li>{} ({}{}{})</li>",
                h(&x.title),
                h(&x.kind),
                x.date
                    .as_deref()
                    .map(|d| format!(", {}", h(d)))
                    .unwrap_or_default(),
                x.location
                    .as_deref()
                    .map(|l| format!(", {}", h(l)))
                    .unwrap_or_default()
            );
        }
        let _ = writeln!(o, "</ul>");
    }
    if s.kind == "participant" {
        notes_html(&mut o, "What you said", &r.spoken);
    }
    notes_html(&mut o, "Notes that mention you", &r.mentioned);
    let _ = writeln!(
        o,
        "<h2>Record of actions on your data</h2><table><tr><th>When</th><th>What</th><th>Detail</th></tr>"
    );
    for e in &r.audit {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            h(&e.at),
            h(&e.action),
            h(&e.detail)
        );
    }
    let _ = writeln!(o, "</table>");
    if let Some(a) = &r.audit_anchor {
        let _ = writeln!(o, "<p>{}</p>", h(&anchor_sentence(a)));
    }
    let _ = writeln!(o, "</body></html>");
    o
}

/// The subject access report as Markdown.
pub fn subject_access_markdown(r: &SubjectAccess) -> String {
    let mut o = String::new();
    let s = &r.subject;
    let _ = writeln!(
        o,
        "# Your data in the research project {}\n\nMade on {} by fieldnotes in answer to a subject \
         access request (UK GDPR Art. 15). Other people are shown only by pseudonyms or as [PERSON].\n",
        r.project, r.generated_on
    );
    let _ = writeln!(o, "## Your record\n");
    let _ = writeln!(o, "- Recorded as: {}", s.kind);
    let _ = writeln!(o, "- Pseudonym: {}", s.pseudonym);
    let _ = writeln!(
        o,
        "- Name: {}",
        s.real_name.as_deref().unwrap_or("(erased)")
    );
    for (k, v) in [
        ("Role", &s.role),
        ("Consent", &s.consent),
        ("Consent date", &s.consent_date),
        ("Consent form", &s.consent_form),
        ("Withdrawn on", &s.withdrawn_on),
        ("On withdrawal", &s.withdrawal),
    ] {
        if let Some(v) = v {
            let _ = writeln!(o, "- {k}: {v}");
        }
    }
    let _ = writeln!(
        o,
        "- Processing restricted: {}",
        if s.restricted { "yes" } else { "no" }
    );
    for (title, notes) in [
        ("What you said", &r.spoken),
        ("Notes that mention you", &r.mentioned),
    ] {
        let _ = writeln!(o, "\n## {title}\n");
        if notes.is_empty() {
            let _ = writeln!(o, "None.");
        }
        for n in notes.iter() {
            let _ = writeln!(
                o,
                "- {} (note {} in “{}”, {})",
                n.text.replace('\n', " "),
                n.note_id,
                n.session,
                n.kind
            );
        }
    }
    let _ = writeln!(o, "\n## Record of actions on your data\n");
    for e in &r.audit {
        let _ = writeln!(o, "- {} {}: {}", e.at, e.action, e.detail);
    }
    if let Some(a) = &r.audit_anchor {
        let _ = writeln!(o, "\n{}", anchor_sentence(a));
    }
    o
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
    /// What the rendered report is checked for.
    #[serde(skip)]
    guard: Arc<LeakGuard>,
}

/// The accountability report rendered (HTML, or Markdown when `markdown`) and checked by the
/// leak guard: it quotes the project's free text, roles and audit details, and is written
/// unencrypted.
pub fn accountability_file(a: &Accountability, markdown: bool) -> Result<String> {
    let text = if markdown {
        accountability_markdown(a)
    } else {
        accountability_html(a)
    };
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
    let mut red = Redactor::new(registry, people, None);
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
        let consent = p
            .consent
            .map(|c| c.to_string())
            .unwrap_or_else(|| "not recorded".into());
        *participants
            .entry(role)
            .or_default()
            .entry(consent)
            .or_default() += 1;
        restricted += usize::from(p.restricted);
    }
    let tag = format!("project {}", project.name);
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
        guard: red.finish()?,
    })
}

/// The accountability report as Markdown (`html` wraps the same sections).
pub fn accountability_markdown(a: &Accountability) -> String {
    let mut o = String::new();
    let p = &a.project;
    let _ = writeln!(
        o,
        "# Record of processing: {}\n\nMade on {} by fieldnotes for the data protection officer.\n",
        p.name, a.generated_on
    );
    let _ = writeln!(o, "## Purpose and lawful basis\n");
    let na = |v: &Option<String>| v.clone().unwrap_or_else(|| "NOT RECORDED".into());
    for (k, v) in [
        ("Purpose", na(&p.purpose)),
        ("Lawful basis (UK GDPR Art. 6)", na(&p.lawful_basis)),
        (
            "Special category condition (Art. 9)",
            na(&p.special_category_condition),
        ),
        ("DPA 2018 Schedule 1 condition", na(&p.schedule1_condition)),
        (
            "Criminal offence data (Art. 10)",
            na(&p.criminal_offence_basis),
        ),
        ("DPIA reference", na(&p.dpia_ref)),
        ("Data controller", na(&p.controller)),
        (
            "Retention",
            p.retention_months
                .map(|m| format!("{m} months after each session"))
                .unwrap_or_else(|| "NOT RECORDED".into()),
        ),
    ] {
        let _ = writeln!(o, "- **{k}:** {v}");
    }
    let _ = writeln!(o, "\n## Categories of data held\n");
    let _ = writeln!(
        o,
        "- Notes: {} in all; {} flagged as special category data (health, housing…); {} flagged as criminal-offence data",
        a.notes.0, a.notes.1, a.notes.2
    );
    let _ = writeln!(
        o,
        "- Participants' names, roles and consent records (inside the encrypted vault only)"
    );
    let _ = writeln!(o, "\n## Participants by role and consent\n");
    let _ = writeln!(o, "| Role | Consent | Participants |\n|---|---|---:|");
    for (role, by) in &a.participants {
        for (consent, n) in by {
            let _ = writeln!(o, "| {role} | {consent} | {n} |");
        }
    }
    let _ = writeln!(o, "\nRestricted (Art. 18): {}", a.restricted);
    let _ = writeln!(o, "\n## Retention\n");
    let _ = writeln!(
        o,
        "| Session | Kind | Date | Destroy by |\n|---:|---|---|---|"
    );
    for (id, kind, date, due) in &a.retention {
        let _ = writeln!(o, "| {id} | {kind} | {date} | {due} |");
    }
    for (title, events) in [
        ("Exports and disclosures", &a.exports),
        ("Erasures, withdrawals and restrictions", &a.erasures),
    ] {
        let _ = writeln!(o, "\n## {title}\n");
        if events.is_empty() {
            let _ = writeln!(o, "None.");
        }
        for e in events {
            let _ = writeln!(o, "- {} — {} by {}: {}", e.at, e.action, e.actor, e.detail);
        }
    }
    if let Some(anchor) = &a.audit_anchor {
        let _ = writeln!(o, "\n{}", anchor_sentence(anchor));
    }
    o
}

/// The accountability report as one self-contained HTML page.
pub fn accountability_html(a: &Accountability) -> String {
    // the Markdown is plain enough to present line by line
    let mut o = format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Record of \
         processing: {}</title><style>{SAR_CSS}</style></head><body>\n",
        h(&a.project.name)
    );
    let mut in_list = false;
    let mut in_table = false;
    for line in accountability_markdown(a).lines() {
        let is_item = line.starts_with("- ");
        let is_row = line.starts_with('|');
        if in_list && !is_item {
            o.push_str("</ul>\n");
            in_list = false;
        }
        if in_table && !is_row {
            o.push_str("</table>\n");
            in_table = false;
        }
        if let Some(t) = line.strip_prefix("# ") {
            let _ = writeln!(o, "<h1>{}</h1>", h(t));
        } else if let Some(t) = line.strip_prefix("## ") {
            let _ = writeln!(o, "<h2>{}</h2>", h(t));
        } else if let Some(t) = line.strip_prefix("- ") {
            if !in_list {
                o.push_str("<ul>\n");
                in_list = true;
            }
            let _ = writeln!(o, "<li>{}</li>", h(&t.replace("**", "")));
        } else if is_row {
            if line.starts_with("|---") {
                continue;
            }
            if !in_table {
                o.push_str("<table>\n");
                in_table = true;
            }
            let cells: Vec<String> = line
                .trim_matches('|')
                .split('|')
                .map(|c| format!("<td>{}</td>", h(c.trim())))
                .collect();
            let _ = writeln!(o, "<tr>{}</tr>", cells.concat());
        } else if !line.trim().is_empty() {
            let _ = writeln!(o, "<p>{}</p>", h(line));
        }
    }
    if in_list {
        o.push_str("</ul>\n");
    }
    if in_table {
        o.push_str("</table>\n");
    }
    o.push_str("</body></html>\n");
    o
}
