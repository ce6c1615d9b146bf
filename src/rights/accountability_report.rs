//! The accountability report (record of processing) rendered for the data protection officer:
//! HTML and Markdown.

use std::fmt::Write as _;

use super::Accountability;
use super::subject_report::SAR_CSS;
use crate::audit::anchor_sentence;
use crate::export::PRINT_CSS;
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
        "| Session | Kind | Date | Destroy by | Status |\n|---:|---|---|---|---|"
    );
    for (id, kind, date, due) in &a.retention {
        let status = retention_status(due, &a.generated_on);
        let _ = writeln!(o, "| {id} | {kind} | {date} | {due} | {status} |");
    }
    disclosures_markdown(&mut o, a);
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

/// The disclosures log (ICO data sharing code): what was shared, with whom, on what basis
/// and how, one row each; "None recorded." when the log is empty.
fn disclosures_markdown(o: &mut String, a: &Accountability) {
    let _ = writeln!(o, "\n## Disclosures\n");
    if a.disclosures.is_empty() {
        let _ = writeln!(o, "None recorded.");
        return;
    }
    let _ = writeln!(
        o,
        "| Shared on | With | What was shared | Lawful basis | How it was sent |\n|---|---|---|---|---|"
    );
    // a cell holds no column separator, line break or bold marker of its own
    let cell = |t: &str| t.replace(['|', '\n', '\r'], " ").replace("**", "");
    for d in &a.disclosures {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            cell(&d.shared_on),
            cell(&d.recipient),
            cell(&d.what),
            cell(&d.lawful_basis),
            cell(&d.method)
        );
    }
}

/// Whether a session's destroy-by date has passed by `today` (both `YYYY-MM-DD`; the report
/// is made on the day it is dated, so its date is today's): overdue in bold when it has.
fn retention_status(due: &str, today: &str) -> &'static str {
    let is_date = |d: &str| {
        d.len() == 10
            && d.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            })
    };
    if !is_date(due) || !is_date(today) {
        return "—";
    }
    match due.cmp(today) {
        std::cmp::Ordering::Less => "**overdue**",
        std::cmp::Ordering::Equal => "due today",
        std::cmp::Ordering::Greater => "not yet due",
    }
}

/// A table cell as HTML: escaped, with `**bold**` made strong.
fn cell_html(c: &str) -> String {
    if c.matches("**").count() % 2 == 1 {
        return h(c);
    }
    c.split("**")
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<strong>{}</strong>", h(part))
            } else {
                h(part)
            }
        })
        .collect()
}

/// The accountability report as one self-contained HTML page.
pub fn accountability_html(a: &Accountability) -> String {
    // the Markdown is plain enough to present line by line
    let mut o = format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Record of \
         processing: {}</title><style>{SAR_CSS}{PRINT_CSS}</style></head><body>\n",
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
            o.push_str("</tbody></table>\n");
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
            let cells = line.trim_matches('|').split('|').map(str::trim);
            if !in_table {
                // the first row names the columns, repeated on each printed page
                let head: Vec<String> = cells
                    .map(|c| format!("<th scope=col>{}</th>", h(c)))
                    .collect();
                let _ = writeln!(
                    o,
                    "<table>\n<thead><tr>{}</tr></thead><tbody>",
                    head.concat()
                );
                in_table = true;
                continue;
            }
            let cells: Vec<String> = cells
                .map(|c| format!("<td>{}</td>", cell_html(c)))
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
        o.push_str("</tbody></table>\n");
    }
    o.push_str("</body></html>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PaperOrigin, SessionKind, Source};
    use crate::store::{NewProject, NewSession, Store};

    /// A project kept 12 months with sessions in 2024 and 2026, reported on `today`.
    #[allow(clippy::disallowed_methods)]
    fn report(today: &str) -> Accountability {
        let store = Store::open_in_memory().unwrap();
        store
            .project_add(NewProject {
                name: "F2F".into(),
                retention_months: Some(12),
                ..NewProject::default()
            })
            .unwrap();
        for date in ["2024-03-07", "2026-06-01"] {
            store
                .session_add(NewSession {
                    project: "F2F".into(),
                    kind: SessionKind::Interview,
                    title: format!("Interview on {date}"),
                    date: Some(date.into()),
                    location: None,
                    source: Source::Live,
                    paper: PaperOrigin::default(),
                    facilitators: Vec::new(),
                })
                .unwrap();
        }
        crate::rights::accountability(&store, "F2F", today).unwrap()
    }

    #[test]
    fn a_retention_date_already_passed_is_overdue_and_a_future_one_is_not() {
        let md = accountability_markdown(&report("2026-11-23"));
        assert!(
            md.contains("| 2024-03-07 | 2025-03-07 | **overdue** |"),
            "{md}"
        );
        assert!(
            md.contains("| 2026-06-01 | 2027-06-01 | not yet due |"),
            "{md}"
        );
        let html = accountability_html(&report("2026-11-23"));
        assert!(html.contains("<td><strong>overdue</strong></td>"), "{html}");
        assert_eq!(html.matches("overdue").count(), 1, "{html}");
        // the same sessions a year earlier: nothing is overdue yet
        let md = accountability_markdown(&report("2025-01-01"));
        assert!(!md.contains("overdue"), "{md}");
        assert_eq!(retention_status("2025-03-07", "2025-03-07"), "due today");
        assert_eq!(
            retention_status("no retention period set", "2025-03-07"),
            "—"
        );
    }

    #[test]
    fn disclosures_are_listed_or_said_to_be_none() {
        let md = accountability_markdown(&report("2026-11-23"));
        assert!(md.contains("## Disclosures\n\nNone recorded."), "{md}");
        let store = Store::open_in_memory().unwrap();
        store
            .project_add(NewProject {
                name: "F2F".into(),
                ..NewProject::default()
            })
            .unwrap();
        store
            .disclosure_add(
                "F2F",
                crate::store::NewDisclosure {
                    shared_on: "2024-05-02".into(),
                    recipient: "CRM team | housing".into(),
                    what: "names and visit times of 12 people".into(),
                    lawful_basis: "6(1)(e) public task".into(),
                    method: "encrypted email".into(),
                },
            )
            .unwrap();
        let a = crate::rights::accountability(&store, "F2F", "2026-11-23").unwrap();
        let md = accountability_markdown(&a);
        assert!(
            md.contains(
                "| 2024-05-02 | CRM team   housing | names and visit times of 12 people | 6(1)(e) public task | encrypted email |"
            ),
            "{md}"
        );
        assert!(!md.contains("None recorded."), "{md}");
        let html = accountability_html(&a);
        assert!(
            html.contains("<th scope=col>What was shared</th>")
                && html.contains("<td>names and visit times of 12 people</td>"),
            "{html}"
        );
    }

    #[test]
    fn the_html_tables_repeat_their_header_and_print_well() {
        let html = accountability_html(&report("2026-11-23"));
        assert!(
            html.contains("<table>\n<thead><tr><th scope=col>Session</th>"),
            "{html}"
        );
        assert!(html.contains("</thead><tbody>") && html.contains("</tbody></table>"));
        assert!(!html.contains("<tr><td>Session</td>"), "{html}");
        assert!(html.contains("thead{display:table-header-group}"));
        assert!(html.contains("h1,h2,h3,h4,h5,h6{break-after:avoid;page-break-after:avoid}"));
    }
}
