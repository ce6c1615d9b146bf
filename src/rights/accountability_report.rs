//! The accountability report (record of processing) rendered for the data protection officer:
//! HTML and Markdown.

use std::fmt::Write as _;

use super::Accountability;
use super::subject_report::SAR_CSS;
use crate::audit::anchor_sentence;
use crate::text::html_escape as h;

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
