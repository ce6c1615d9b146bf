//! Markdown and HTML renderings of an anonymised [`Summary`]: a short summary first (who
//! took part, the top themes overall and by group, the top ideas, what was left out), the
//! project, each session's notes in full once, then each theme with its coded passages.

mod by_question;
mod colour;
mod html;
mod markdown;
mod plan;
mod snippet;
#[cfg(test)]
mod tests;

pub use html::{PRINT_CSS, html};
pub use markdown::markdown;
pub(super) use plan::is_facilitator_code;

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
    rows
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
    format!(
        "Replaced before export: {}. Names are pseudonyms (P01…, Person A…); postcodes keep \
         only their outward code; dates are given by month.",
        parts.join(", ")
    )
}

/// What the export leaves out, one sentence each: notes withheld for a restriction,
/// participants who withdrew, then verbatim quotes withheld under quote consent (and whose
/// quote consent is not recorded), when there are any.
fn left_out(s: &Summary) -> Vec<String> {
    let mut lines = restricted_and_withdrawn(s).to_vec();
    lines.extend(s.quotes.sentences());
    lines
}

/// Notes withheld for a restriction, and participants who withdrew.
fn restricted_and_withdrawn(s: &Summary) -> [String; 2] {
    let withheld = match s.withheld {
        0 => "No notes were withheld: nobody in them has restricted the use of their data.".into(),
        n => format!(
            "{} withheld because a person in them has restricted the use of their data.",
            count(n, "note was", "notes were")
        ),
    };
    let withdrawn = match s.withdrawn {
        0 => "No participant of these sessions has withdrawn.".into(),
        n => format!(
            "{} withdrew from the research: what they said was erased, or is shown only \
             anonymised, as each chose.",
            count(n, "participant", "participants")
        ),
    };
    [withheld, withdrawn]
}

/// Who said a note: `P01, person with lived experience`, `F1, facilitator`.
fn speaker(e: &Excerpt) -> Option<String> {
    e.speaker.as_ref().map(|sp| match &e.role {
        Some(r) => format!("{sp}, {r}"),
        None => sp.clone(),
    })
}

/// How a facilitator's note reads in a transcript: a question or prompt, unless it records
/// what they saw or suggested.
fn prompt_label(e: &Excerpt) -> String {
    let code = e.speaker.as_deref().unwrap_or("F");
    match e.kind {
        NoteKind::Observation => format!("Facilitator {code} noted:"),
        NoteKind::Idea => format!("Facilitator {code} suggested:"),
        _ => format!("Facilitator {code} asked:"),
    }
}

/// A note's kind, votes and cluster after its text in a transcript (`paraphrase`,
/// `idea, 5 votes, cluster Welcome`); a verbatim quote needs none, nor does the marker of a
/// quote withheld (it says what it is).
fn note_detail(e: &Excerpt) -> Option<String> {
    match e.kind {
        NoteKind::Verbatim => None,
        NoteKind::Idea => Some(
            [
                Some("idea".to_owned()),
                (e.votes > 0).then(|| count(e.votes.unsigned_abs() as usize, "vote", "votes")),
                e.cluster.as_ref().map(|c| format!("cluster {c}")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", "),
        ),
        k => Some(k.to_string()),
    }
}

/// The heading of a session: `Session 1: Interview with P01 — interview, March 2024`.
fn session_heading(n: usize, ss: &super::SessionSummary) -> String {
    let when = ss
        .month
        .as_deref()
        .map(|m| format!(", {}", month_words(m)))
        .unwrap_or_default();
    format!("Session {n}: {} — {}{when}", ss.title, ss.kind)
}

/// What a record review read: `Records read: CRM, March 2024 to May 2024; chosen: …`.
pub(in crate::export) fn review_line(ss: &super::SessionSummary) -> Option<String> {
    let r = ss.review.as_ref()?;
    let month = |m: &Option<String>| m.as_deref().map(month_words);
    let period = match (month(&r.from_month), month(&r.to_month)) {
        (Some(a), Some(b)) if a == b => format!(", {a}"),
        (Some(a), Some(b)) => format!(", {a} to {b}"),
        (Some(a), None) => format!(", from {a}"),
        (None, Some(b)) => format!(", up to {b}"),
        (None, None) => String::new(),
    };
    let sampling = r
        .sampling
        .as_deref()
        .map(|x| format!("; records chosen: {x}"))
        .unwrap_or_default();
    Some(format!("Records read: {}{period}{sampling}", r.system))
}

/// A session's participants: `P01 (person with lived experience), F1 (facilitator)`.
fn participants_line(ss: &super::SessionSummary) -> String {
    ss.participants
        .iter()
        .map(|p| match &p.role {
            Some(r) => format!("{} ({r})", p.code),
            None => p.code.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Notes and participants in words: `2 notes from 1 participant`.
fn counted(c: plan::Count) -> String {
    let from = if c.participants > 0 {
        format!(
            " from {}",
            count(c.participants, "participant", "participants")
        )
    } else {
        String::new()
    };
    format!("{}{from}", count(c.notes, "note", "notes"))
}

/// The Sessions line of the summary: `2 (1 interview, 1 workshop), 7 notes`.
fn sessions_line(s: &Summary, g: &plan::Glance) -> String {
    let reviews = s
        .sessions
        .iter()
        .filter(|x| x.kind == crate::model::SessionKind::Review)
        .count();
    let reviews = match reviews {
        0 => String::new(),
        n => format!(", {}", count(n, "record review", "record reviews")),
    };
    format!(
        "{} ({}, {}{reviews}), {}",
        s.sessions.len(),
        count(g.interviews, "interview", "interviews"),
        count(g.workshops, "workshop", "workshops"),
        count(s.excerpts.len(), "note", "notes")
    )
}

/// The workshop ideas the summary does not list: those with fewer votes, or all of them
/// when none has votes yet.
fn more_ideas(g: &plan::Glance) -> Option<String> {
    match (g.top_ideas.len(), g.more_ideas) {
        (_, 0) => None,
        (0, n) => Some(format!(
            "No workshop idea has votes yet; {} in the sessions below.",
            count(n, "idea is", "ideas are")
        )),
        (_, n) => Some(format!(
            "{} in the sessions below.",
            count(n, "more idea", "more ideas")
        )),
    }
}

/// What a theme's section shows of a note, escaped by `escape` with the coded words marked
/// by `mark`, an ellipsis where the note goes on; and whether any of the note was left out.
fn passage_words(
    e: &Excerpt,
    p: plan::Passage,
    escape: fn(&str) -> String,
    mark: fn(&str) -> String,
) -> (String, bool) {
    let (text, _) = plan::body(e);
    match p {
        plan::Passage::Whole => {
            let (l, cut) = snippet::lead(text);
            (
                format!("{}{}", escape(&l), if cut { " …" } else { "" }),
                cut,
            )
        }
        plan::Passage::Span(a, b) => {
            let x = snippet::passage(text, a, b);
            let words = format!(
                "{}{}{}{}{}",
                if x.more_before { "… " } else { "" },
                escape(&x.before),
                mark(&x.coded),
                escape(&x.after),
                if x.more_after { " …" } else { "" }
            );
            (words, x.more_before || x.more_after)
        }
    }
}

/// A theme's name, with its parent when it has one.
fn theme_heading(t: &super::ThemeSummary) -> String {
    match &t.parent {
        Some(p) => format!("{} (under {p})", t.name),
        None => t.name.clone(),
    }
}

/// Markdown text safe to embed: no raw HTML, no accidental headings or lists.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.lines().enumerate() {
        if i > 0 {
            out.push_str("  \n  ");
        }
        // a line that would start a list, or underline a heading, is text
        let indent = line.chars().take_while(|c| c.is_whitespace()).count();
        let rest = line.trim_start();
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let marker = match rest.as_bytes().get(digits) {
            Some(b'.' | b')') if digits > 0 => Some(indent + digits),
            Some(b'-' | b'+' | b'=') if digits == 0 => Some(indent),
            _ => None,
        };
        for (k, c) in line.chars().enumerate() {
            if Some(k) == marker {
                out.push('\\');
            }
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
