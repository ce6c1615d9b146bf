//! The law's duties as reports: a subject access report for one person (with every third
//! party pseudonymised), and the accountability report (record of processing) for the data
//! protection officer. Pure: built from the store, rendered to text; the caller writes it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::anonymise::Anonymiser;
use crate::audit::Event;
use crate::model::{Note, Project};
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
}

/// Builds the subject access report for a participant or a registered person mentioned.
pub fn subject_access(
    store: &Store,
    project: &str,
    code: &str,
    today: &str,
) -> Result<SubjectAccess> {
    let project = store.project(project)?;
    let registry = store.registry(&project.name)?;
    let anon = Anonymiser::new(&registry);
    let participant = store
        .participants_of_project(&project.name)?
        .into_iter()
        .find(|p| p.pseudonym.eq_ignore_ascii_case(code.trim()));
    let subject = match &participant {
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
    // third parties become pseudonyms or placeholders; the subject's own name stays
    let others_out = |text: &str| -> String {
        let subs = anon.substitutions(text);
        crate::anonymise::apply(text, subs.iter().filter(|s| s.replacement != me))
    };
    let mut sessions = Vec::new();
    let mut titles = BTreeMap::new();
    let mut dates = BTreeMap::new();
    for s in store.sessions(Some(&project.name))? {
        let title = others_out(&s.title);
        titles.insert(s.id, title.clone());
        dates.insert(s.id, s.date.clone());
        if let Some(p) = &participant
            && store
                .participants_of_session(s.id)?
                .iter()
                .any(|x| x.id == p.id)
        {
            sessions.push(SubjectSession {
                id: s.id,
                title,
                kind: s.kind.to_string(),
                date: s.date.clone(),
                location: s.location.as_deref().map(others_out),
            });
        }
    }
    sessions.sort_by_key(|s| s.id);
    let view = |n: &Note| SubjectNote {
        note_id: n.id,
        session_id: n.session_id,
        session: titles.get(&n.session_id).cloned().unwrap_or_default(),
        date: dates.get(&n.session_id).cloned().flatten(),
        speaker: n.speaker.clone(),
        kind: n.kind.to_string(),
        themes: n.themes.clone(),
        text: others_out(&n.text),
    };
    let mut spoken = Vec::new();
    if participant.is_some() {
        for s in &sessions {
            spoken.extend(
                store
                    .notes(s.id)?
                    .iter()
                    .filter(|n| n.speaker.as_deref() == Some(me.as_str()))
                    .map(view),
            );
        }
    }
    let mentioned: Vec<SubjectNote> = store
        .mentions(&project.name, &me)?
        .iter()
        .filter(|n| n.speaker.as_deref() != Some(me.as_str()))
        .map(view)
        .collect();
    let word = regex::Regex::new(&format!(r"(?i)\b{}\b", regex::escape(&me)))
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    let audit = store
        .audit_events()?
        .into_iter()
        .filter(|e| word.is_match(&e.detail))
        .collect();
    Ok(SubjectAccess {
        project: project.name,
        generated_on: today.to_owned(),
        subject,
        sessions,
        spoken,
        mentioned,
        audit,
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
    let _ = writeln!(o, "</table></body></html>");
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
    o
}

/// Facts for the accountability report.
#[derive(Debug, Clone, Serialize)]
pub struct Accountability {
    /// The project record.
    pub project: Project,
    /// The day it was made.
    pub generated_on: String,
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
}

/// Gathers the record of processing for one project.
pub fn accountability(store: &Store, project: &str, today: &str) -> Result<Accountability> {
    let project = store.project(project)?;
    let mut notes = (0, 0, 0);
    let mut retention = Vec::new();
    for s in store.sessions(Some(&project.name))? {
        for n in store.notes(s.id)? {
            notes.0 += 1;
            notes.1 += usize::from(n.special_category);
            notes.2 += usize::from(n.criminal_offence);
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
        let role = p.role.clone().unwrap_or_else(|| "no role recorded".into());
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
    let exports = events
        .iter()
        .filter(|e| e.action.starts_with("export") || e.action == "subject access")
        .filter(|e| ours(e))
        .cloned()
        .collect();
    let erasures = events
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
    Ok(Accountability {
        project,
        generated_on: today.to_owned(),
        notes,
        participants,
        restricted,
        retention,
        exports,
        erasures,
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
