//! Markdown and HTML renderings of an anonymised [`Summary`].

use crate::audit::anchor_sentence;
use std::fmt::Write as _;

use super::{Excerpt, Summary, count, month_words};
use crate::model::NoteKind;

/// The project header as label/value pairs, shared by Markdown and HTML.
fn header_rows(s: &Summary) -> Vec<(&'static str, String)> {
    let p = &s.project;
    let mut rows = Vec::new();
    let mut add = |label, v: &Option<String>| {
        if let Some(v) = v.as_ref().filter(|v| !v.trim().is_empty()) {
            rows.push((label, v.clone()));
        }
    };
    add("Purpose", &p.purpose);
    add("Lawful basis (UK GDPR Art. 6)", &p.lawful_basis);
    add(
        "Special category condition (Art. 9)",
        &p.special_category_condition,
    );
    add("DPA 2018 Schedule 1 condition", &p.schedule1_condition);
    add("Criminal offence data (Art. 10)", &p.criminal_offence_basis);
    add("DPIA reference", &p.dpia_ref);
    add("Data controller", &p.controller);
    if let (Some(a), Some(b)) = (&p.from_month, &p.to_month) {
        let period = if a == b {
            month_words(a)
        } else {
            format!("{} – {}", month_words(a), month_words(b))
        };
        rows.push(("Period", period));
    }
    let interviews = s
        .sessions
        .iter()
        .filter(|x| x.kind == crate::model::SessionKind::Interview)
        .count();
    rows.push((
        "Sessions",
        format!(
            "{} ({}, {}), {}",
            s.sessions.len(),
            count(interviews, "interview", "interviews"),
            count(s.sessions.len() - interviews, "workshop", "workshops"),
            count(s.excerpts.len(), "excerpt", "excerpts")
        ),
    ));
    rows
}

fn attribution(e: &Excerpt) -> String {
    match (&e.speaker, &e.role) {
        (Some(sp), Some(r)) => format!("{sp}, {r}"),
        (Some(sp), None) => sp.clone(),
        (None, _) => "unattributed".into(),
    }
}

fn redaction_line(s: &Summary) -> String {
    if s.redactions.is_empty() {
        return "No personal data was found to replace.".into();
    }
    let parts: Vec<String> = s
        .redactions
        .iter()
        .map(|(k, n)| {
            let (one, many) = match k.as_str() {
                "registered_name" => ("registered name", "registered names"),
                "person" => ("other name", "other names"),
                "phone" => ("phone number", "phone numbers"),
                "email" => ("email address", "email addresses"),
                "nhs_number" => ("NHS number", "NHS numbers"),
                "ni_number" => ("National Insurance number", "National Insurance numbers"),
                "date_of_birth" => ("date of birth", "dates of birth"),
                "address" => ("street address", "street addresses"),
                "case_ref" => ("case reference", "case references"),
                "denied" => ("deny-listed phrase", "deny-listed phrases"),
                "postcode" => ("postcode", "postcodes"),
                other => (other, other),
            };
            count(*n, one, many)
        })
        .collect();
    let mut line = format!(
        "Replaced before export: {}. Names are pseudonyms (P01…, Person A…); postcodes keep \
         only their outward code; dates are given by month.",
        parts.join(", ")
    );
    if s.withheld > 0 {
        let _ = write!(
            line,
            " {} withheld because a person in them has restricted the use of their data.",
            count(s.withheld, "note was", "notes were")
        );
    }
    line
}

/// A theme's name, with its parent when it has one.
fn theme_heading(t: &super::ThemeSummary) -> String {
    match &t.parent {
        Some(p) => format!("{} (under {p})", t.name),
        None => t.name.clone(),
    }
}

/// Themes with at least one excerpt, in codebook order.
fn coded(s: &Summary) -> impl Iterator<Item = &super::ThemeSummary> {
    s.themes.iter().filter(|t| !t.excerpts.is_empty())
}

/// Themes of a session in codebook order, then the unthemed notes: (heading, excerpts).
fn session_groups<'a>(s: &'a Summary, idx: &[usize]) -> Vec<(String, Vec<&'a Excerpt>)> {
    let mut groups = Vec::new();
    for t in &s.themes {
        let ex: Vec<&Excerpt> = idx
            .iter()
            .map(|&i| &s.excerpts[i])
            .filter(|e| e.themes.contains(&t.name))
            .collect();
        if !ex.is_empty() {
            groups.push((t.name.clone(), ex));
        }
    }
    let rest: Vec<&Excerpt> = idx
        .iter()
        .map(|&i| &s.excerpts[i])
        .filter(|e| e.themes.is_empty())
        .collect();
    if !rest.is_empty() {
        groups.push(("Not themed".into(), rest));
    }
    groups
}

/// Markdown text safe to embed: no raw HTML, no accidental headings or lists.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.lines().enumerate() {
        if i > 0 {
            out.push_str("  \n  ");
        }
        for c in line.chars() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' => {
                    out.push('\\');
                    out.push(c)
                }
                c => out.push(c),
            }
        }
    }
    out
}

fn md_excerpt(e: &Excerpt) -> String {
    if e.kind == NoteKind::Verbatim {
        let quote = crate::text::without_quote_marks(&e.text);
        format!("“{}” — {}", md(quote), md(&attribution(e)))
    } else {
        format!("{} — {} ({})", md(&e.text), md(&attribution(e)), e.kind)
    }
}

/// The Markdown report.
pub fn markdown(s: &Summary) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {} — anonymised summary\n", md(&s.project.name));
    let _ = writeln!(
        o,
        "Exported on {} by fieldnotes. {}\n",
        s.generated_on,
        redaction_line(s)
    );
    let _ = writeln!(o, "## Project\n");
    for (k, v) in header_rows(s) {
        let _ = writeln!(o, "- **{k}:** {}", md(&v));
    }
    md_sessions(&mut o, s);
    md_themes(&mut o, s);
    md_ideas(&mut o, s);
    if let Some(a) = &s.audit_anchor {
        let _ = writeln!(o, "\n---\n\n{}", anchor_sentence(a));
    }
    o
}

fn md_sessions(o: &mut String, s: &Summary) {
    let _ = writeln!(o, "\n## Sessions");
    for ss in &s.sessions {
        let when = ss.month.as_deref().map(month_words).unwrap_or_default();
        let _ = writeln!(o, "\n### {} — {}, {}\n", md(&ss.title), ss.kind, when);
        if !ss.participants.is_empty() {
            let who: Vec<String> = ss
                .participants
                .iter()
                .map(|p| match &p.role {
                    Some(r) => format!("{} ({})", p.code, md(r)),
                    None => p.code.clone(),
                })
                .collect();
            let _ = writeln!(o, "Participants: {}\n", who.join(", "));
        }
        if ss.excerpts.is_empty() {
            let _ = writeln!(o, "No notes in this export.");
        }
        for (heading, ex) in session_groups(s, &ss.excerpts) {
            let _ = writeln!(o, "#### {}\n", md(&heading));
            for e in ex {
                let _ = writeln!(o, "- {}", md_excerpt(e));
            }
            o.push('\n');
        }
    }
}

fn md_themes(o: &mut String, s: &Summary) {
    if coded(s).next().is_some() {
        let _ = writeln!(o, "\n## Themes");
    }
    for t in coded(s) {
        let _ = writeln!(
            o,
            "\n### {} — {}\n",
            md(&theme_heading(t)),
            count(t.excerpts.len(), "excerpt", "excerpts")
        );
        if let Some(d) = &t.description {
            let _ = writeln!(o, "{}\n", md(d));
        }
        let _ = writeln!(o, "| Participant group | Excerpts | Participants |");
        let _ = writeln!(o, "|---|---:|---:|");
        for g in &t.by_group {
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                md(&g.group),
                g.excerpts,
                g.participants
            );
        }
        o.push('\n');
        for &i in &t.excerpts {
            let e = &s.excerpts[i];
            let _ = writeln!(o, "- {} ({})", md_excerpt(e), md(&e.session));
        }
    }
}

/// Workshop ideas, most votes first.
fn md_ideas(o: &mut String, s: &Summary) {
    if !s.ideas.is_empty() {
        let _ = writeln!(o, "\n## Workshop ideas, by votes\n");
        for (rank, &i) in s.ideas.iter().enumerate() {
            let e = &s.excerpts[i];
            let cluster = e
                .cluster
                .as_deref()
                .map(|c| format!(" [{}]", md(c)))
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "{}. {} — {}{} ({})",
                rank + 1,
                md(&e.text),
                count(e.votes as usize, "vote", "votes"),
                cluster,
                md(&e.session)
            );
        }
    }
}

use crate::text::html_escape as h;

fn html_excerpt(e: &Excerpt) -> String {
    let body = if e.kind == NoteKind::Verbatim {
        format!("<q>{}</q>", h(crate::text::without_quote_marks(&e.text)))
    } else {
        format!("{} <span class=kind>({})</span>", h(&e.text), e.kind)
    };
    format!(
        "<li>{body} <span class=who>— {}</span></li>",
        h(&attribution(e))
    )
}

/// An inline SVG bar chart of excerpts per theme.
fn chart(s: &Summary) -> String {
    let bar_h = 22;
    let label_w = 220;
    let width = 640;
    let max = coded(s).map(|t| t.excerpts.len()).max().unwrap_or(1).max(1);
    let height = bar_h * coded(s).count() + 10;
    let mut o = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         role=\"img\" aria-label=\"Excerpts per theme\">"
    );
    for (i, t) in coded(s).enumerate() {
        let y = i * bar_h + 5;
        let n = t.excerpts.len();
        let w = (width - label_w - 50) * n / max;
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{}\" fill=\"#2b6cb0\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"13\">{n}</text>",
            label_w - 8,
            y + 15,
            h(&t.name),
            bar_h - 6,
            label_w + w + 6,
            y + 15
        );
    }
    o.push_str("</svg>");
    o
}

const CSS: &str = "body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;\
padding:0 1rem;line-height:1.5;color:#111}h1{font-size:1.6rem}h2{border-bottom:1px solid #999;\
margin-top:2rem}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2rem .6rem}\
td.n{text-align:right}q{quotes:'“' '”'}.who,.kind{color:#444;font-size:.9em}\
dt{font-weight:600}dd{margin:0 0 .4rem 0}@media print{body{margin:0;max-width:none}\
h2,h3{break-after:avoid}li{break-inside:avoid}}";

/// The HTML report: one self-contained printable file.
pub fn html(s: &Summary) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <title>{} — anonymised summary</title><style>{CSS}</style></head><body>\n",
        h(&s.project.name)
    );
    let _ = writeln!(o, "<h1>{} — anonymised summary</h1>", h(&s.project.name));
    let _ = writeln!(
        o,
        "<p>Exported on {} by fieldnotes. {}</p>",
        h(&s.generated_on),
        h(&redaction_line(s))
    );
    let _ = writeln!(o, "<h2>Project</h2><dl>");
    for (k, v) in header_rows(s) {
        let _ = writeln!(o, "<dt>{}</dt><dd>{}</dd>", h(k), h(&v));
    }
    let _ = writeln!(o, "</dl>");
    if coded(s).next().is_some() {
        let _ = writeln!(o, "<h2>Themes at a glance</h2>\n{}", chart(s));
    }
    html_sessions(&mut o, s);
    html_themes(&mut o, s);
    html_ideas(&mut o, s);
    if let Some(a) = &s.audit_anchor {
        let _ = writeln!(o, "<p class=anchor>{}</p>", h(&anchor_sentence(a)));
    }
    o.push_str("</body></html>\n");
    o
}

fn html_sessions(o: &mut String, s: &Summary) {
    let _ = writeln!(o, "<h2>Sessions</h2>");
    for ss in &s.sessions {
        let when = ss.month.as_deref().map(month_words).unwrap_or_default();
        let _ = writeln!(
            o,
            "<section><h3>{} — {}, {}</h3>",
            h(&ss.title),
            ss.kind,
            h(&when)
        );
        if !ss.participants.is_empty() {
            let who: Vec<String> = ss
                .participants
                .iter()
                .map(|p| match &p.role {
                    Some(r) => format!("{} ({})", h(&p.code), h(r)),
                    None => h(&p.code),
                })
                .collect();
            let _ = writeln!(o, "<p>Participants: {}</p>", who.join(", "));
        }
        for (heading, ex) in session_groups(s, &ss.excerpts) {
            let _ = writeln!(o, "<h4>{}</h4><ul>", h(&heading));
            for e in ex {
                let _ = writeln!(o, "{}", html_excerpt(e));
            }
            let _ = writeln!(o, "</ul>");
        }
        let _ = writeln!(o, "</section>");
    }
}

fn html_themes(o: &mut String, s: &Summary) {
    if coded(s).next().is_some() {
        let _ = writeln!(o, "<h2>Themes</h2>");
    }
    for t in coded(s) {
        let _ = writeln!(
            o,
            "<section><h3>{} — {}</h3>",
            h(&theme_heading(t)),
            count(t.excerpts.len(), "excerpt", "excerpts")
        );
        if let Some(d) = &t.description {
            let _ = writeln!(o, "<p>{}</p>", h(d));
        }
        let _ = writeln!(
            o,
            "<table><tr><th>Participant group</th><th>Excerpts</th><th>Participants</th></tr>"
        );
        for g in &t.by_group {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td class=n>{}</td><td class=n>{}</td></tr>",
                h(&g.group),
                g.excerpts,
                g.participants
            );
        }
        let _ = writeln!(o, "</table><ul>");
        for &i in &t.excerpts {
            let e = &s.excerpts[i];
            let _ = writeln!(o, "{}", html_excerpt(e));
        }
        let _ = writeln!(o, "</ul></section>");
    }
}

/// Workshop ideas, most votes first.
fn html_ideas(o: &mut String, s: &Summary) {
    if !s.ideas.is_empty() {
        let _ = writeln!(o, "<h2>Workshop ideas, by votes</h2><ol>");
        for &i in &s.ideas {
            let e = &s.excerpts[i];
            let cluster = e
                .cluster
                .as_deref()
                .map(|c| format!(" [{}]", h(c)))
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "<li>{} — <b>{}</b>{} <span class=who>({})</span></li>",
                h(&e.text),
                count(e.votes as usize, "vote", "votes"),
                cluster,
                h(&e.session)
            );
        }
        let _ = writeln!(o, "</ol>");
    }
}
