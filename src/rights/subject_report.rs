//! The subject access report rendered for the person who asked: HTML and Markdown.

use std::fmt::Write as _;

use super::{Subject, SubjectAccess, SubjectMemo, SubjectNote};
use crate::audit::anchor_sentence;
use crate::export::PRINT_CSS;
use crate::text::html_escape as h;

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

fn memos_html(o: &mut String, memos: &[SubjectMemo]) {
    let _ = writeln!(o, "<h2>Researchers' memos about you or your words</h2>");
    if memos.is_empty() {
        let _ = writeln!(o, "<p>None.</p>");
        return;
    }
    let _ = writeln!(o, "<ul>");
    for m in memos {
        let _ = writeln!(
            o,
            "<li><p>{}</p><p class=meta>{}</p></li>",
            h(&m.text),
            h(&memo_place(m))
        );
    }
    let _ = writeln!(o, "</ul>");
}

/// Where a memo was written: on one note, or on the whole session.
fn memo_place(m: &SubjectMemo) -> String {
    match m.note_id {
        Some(n) => format!("Memo on note {n} in “{}”", m.session),
        None => format!("Memo on the session “{}”", m.session),
    }
}

pub(super) const SAR_CSS: &str = "body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;\
padding:0 1rem;line-height:1.5}table{border-collapse:collapse}td,th{border:1px solid #999;\
padding:.2rem .6rem;text-align:left}.meta{color:#444;font-size:.9em;margin-top:0}";

/// The subject access report as one self-contained HTML page.
pub fn subject_access_html(r: &SubjectAccess) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
         <title>Subject access: {} in {}</title><style>{SAR_CSS}{PRINT_CSS}</style></head><body>\n",
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
    record_html(&mut o, &r.subject);
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
    reviews_html(&mut o, r);
    if r.subject.kind != "person mentioned" {
        notes_html(&mut o, spoken_title(&r.subject), &r.spoken);
    }
    notes_html(&mut o, "Notes that mention you", &r.mentioned);
    memos_html(&mut o, &r.memos);
    let _ = writeln!(
        o,
        "<h2>Record of actions on your data</h2><table><thead><tr><th scope=col>When</th>\
         <th scope=col>What</th><th scope=col>Detail</th></tr></thead><tbody>"
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
    let _ = writeln!(o, "</tbody></table>");
    if let Some(a) = &r.audit_anchor {
        let _ = writeln!(o, "<p>{}</p>", h(&anchor_sentence(a)));
    }
    let _ = writeln!(o, "</body></html>");
    o
}

/// The heading of the notes attributed to the subject: their words, or what the records
/// reviewed say about them.
fn spoken_title(s: &Subject) -> &'static str {
    if s.kind == "subject of records" {
        "What the records reviewed say about you"
    } else {
        "What you said"
    }
}

/// The record reviews about the subject: (system, period, reference, sampling) per session.
fn reviews(r: &SubjectAccess) -> Vec<(String, String, String, String)> {
    r.sessions
        .iter()
        .filter_map(|x| x.review.as_ref().map(|v| (x, v)))
        .map(|(x, v)| {
            let period = match (&v.from, &v.to) {
                (Some(a), Some(b)) => format!("{a} to {b}"),
                (Some(a), None) => format!("from {a}"),
                (None, Some(b)) => format!("up to {b}"),
                (None, None) => "no period recorded".to_owned(),
            };
            (
                format!("{} (“{}”)", v.system, x.title),
                period,
                v.record_ref
                    .clone()
                    .unwrap_or_else(|| "none recorded".into()),
                v.sampling.clone().unwrap_or_else(|| "none recorded".into()),
            )
        })
        .collect()
}

const REVIEWS_TITLE: &str = "Records about you that were reviewed";
const REVIEWS_HEAD: [&str; 4] = [
    "Source system",
    "Period read",
    "Record reference",
    "How records were chosen",
];

fn reviews_html(o: &mut String, r: &SubjectAccess) {
    let rows = reviews(r);
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(o, "<h2>{REVIEWS_TITLE}</h2><table><thead><tr>");
    for c in REVIEWS_HEAD {
        let _ = write!(o, "<th scope=col>{c}</th>");
    }
    let _ = writeln!(o, "</tr></thead><tbody>");
    for (a, b, c, d) in rows {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            h(&a),
            h(&b),
            h(&c),
            h(&d)
        );
    }
    let _ = writeln!(o, "</tbody></table>");
}

fn reviews_markdown(o: &mut String, r: &SubjectAccess) {
    let rows = reviews(r);
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## {REVIEWS_TITLE}\n");
    let _ = writeln!(o, "| {} |\n|---|---|---|---|", REVIEWS_HEAD.join(" | "));
    let cell = |t: &str| t.replace('|', "\\|").replace('\n', " ");
    for (a, b, c, d) in rows {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            cell(&a),
            cell(&b),
            cell(&c),
            cell(&d)
        );
    }
}

/// The subject's own record, as a table of what is known.
fn record_html(o: &mut String, s: &Subject) {
    let _ = writeln!(o, "<h2>Your record</h2><table><tbody>");
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
    let _ = writeln!(o, "</tbody></table>");
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
    reviews_markdown(&mut o, r);
    for (title, notes) in [
        (spoken_title(s), &r.spoken),
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
    let _ = writeln!(o, "\n## Researchers' memos about you or your words\n");
    if r.memos.is_empty() {
        let _ = writeln!(o, "None.");
    }
    for m in &r.memos {
        let _ = writeln!(o, "- {} ({})", m.text.replace('\n', " "), memo_place(m));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PaperOrigin, SessionKind, Source};
    use crate::store::{NewParticipant, NewProject, NewSession, Store};

    #[test]
    #[allow(clippy::disallowed_methods)]
    fn the_html_report_repeats_table_headers_and_keeps_headings_with_what_follows() {
        let store = Store::open_in_memory().unwrap();
        store
            .project_add(NewProject {
                name: "F2F".into(),
                ..NewProject::default()
            })
            .unwrap();
        let s = store
            .session_add(NewSession {
                project: "F2F".into(),
                kind: SessionKind::Interview,
                title: "Interview".into(),
                date: Some("2026-03-07".into()),
                location: None,
                source: Source::Live,
                paper: PaperOrigin::default(),
                facilitators: Vec::new(),
            })
            .unwrap();
        let code = store
            .participant_add(
                s,
                NewParticipant {
                    real_name: "Tesfay Habte".into(),
                    ..NewParticipant::default()
                },
            )
            .unwrap();
        let r = crate::rights::subject_access(&store, "F2F", &code, "2026-11-23").unwrap();
        let html = subject_access_html(&r);
        assert!(
            html.contains("<table><thead><tr><th scope=col>When</th>"),
            "{html}"
        );
        assert!(html.contains("</thead><tbody>"), "{html}");
        assert!(html.contains("thead{display:table-header-group}"));
        assert!(html.contains("h1,h2,h3,h4,h5,h6{break-after:avoid;page-break-after:avoid}"));
        assert!(html.contains("li,tr,figure,.passage,.keep{break-inside:avoid"));
    }
}
