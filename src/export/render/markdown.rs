//! The Markdown report (CommonMark): the summary, the project, each session's notes in
//! full once, then the codebook's themes nested as headings with their coded passages.

use std::fmt::Write as _;

use super::by_question;
use super::plan::{self, Passage, Place};
use super::{
    counted, header_rows, left_out, md, more_ideas, note_detail, participants_line, passage_words,
    prompt_label, redaction_line, review_line, session_heading, sessions_line, speaker,
    theme_heading,
};
use crate::audit::anchor_sentence;
use crate::export::{Excerpt, Summary, count};

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
    summary(&mut o, s);
    let _ = writeln!(o, "\n## Project\n");
    for (k, v) in header_rows(s) {
        let _ = writeln!(o, "- **{k}:** {}", md(&v));
    }
    sessions(&mut o, s);
    themes(&mut o, s);
    if let Some(a) = &s.audit_anchor {
        let _ = writeln!(o, "\n---\n\n{}", anchor_sentence(a));
    }
    o
}

/// The page a reader sees first.
fn summary(o: &mut String, s: &Summary) {
    let g = plan::glance(s);
    let _ = writeln!(o, "## Summary\n");
    let _ = writeln!(o, "**Sessions:** {}\n", sessions_line(s, &g));
    if !g.groups.is_empty() {
        let _ = writeln!(o, "### Who took part\n");
        let _ = writeln!(o, "| Participant group | Sessions | Participants |");
        let _ = writeln!(o, "|---|---:|---:|");
        for x in &g.groups {
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                md(&x.name),
                x.sessions,
                x.participants
            );
        }
        o.push('\n');
    }
    if !g.top_themes.is_empty() {
        let _ = writeln!(o, "### Top themes\n");
        let _ = writeln!(o, "| Theme | Notes | Participants |");
        let _ = writeln!(o, "|---|---:|---:|");
        for &(i, c) in &g.top_themes {
            let t = &s.themes[i];
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                md(&theme_heading(t)),
                c.notes,
                c.participants
            );
        }
        o.push('\n');
    }
    if !g.group_themes.is_empty() {
        let _ = writeln!(o, "### Top themes by participant group\n");
        for (group, ranked) in &g.group_themes {
            let themes: Vec<String> = ranked
                .iter()
                .map(|&(i, c)| format!("{} ({})", md(&s.themes[i].name), counted(c)))
                .collect();
            let _ = writeln!(o, "- **{}:** {}", md(group), themes.join("; "));
        }
        o.push('\n');
    }
    if !g.top_ideas.is_empty() || g.more_ideas > 0 {
        let _ = writeln!(o, "### Top workshop ideas, by votes\n");
        for (rank, &i) in g.top_ideas.iter().enumerate() {
            let e = &s.excerpts[i];
            let cluster = e
                .cluster
                .as_deref()
                .map(|c| format!(", cluster {}", md(c)))
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "{}. {} — {}{cluster} ({})",
                rank + 1,
                md(&e.text),
                count(e.votes.unsigned_abs() as usize, "vote", "votes"),
                md(&e.session)
            );
        }
        if let Some(more) = more_ideas(&g) {
            // a blank line after the list, none after the heading when there is no list
            let gap = if g.top_ideas.is_empty() { "" } else { "\n" };
            let _ = writeln!(o, "{gap}{more}");
        }
        o.push('\n');
    }
    codebook(o, s);
    let _ = writeln!(o, "### Left out of this export\n");
    for line in left_out(s) {
        let _ = writeln!(o, "- {line}");
    }
}

/// The codebook as a nested list, each theme with its notes.
fn codebook(o: &mut String, s: &Summary) {
    if s.themes.is_empty() {
        return;
    }
    let _ = writeln!(o, "### Codebook\n");
    for (t, d) in s.themes.iter().zip(plan::depths(s)) {
        let _ = writeln!(
            o,
            "{}- {} — {}",
            "  ".repeat(d),
            md(&t.name),
            count(t.excerpts.len(), "note", "notes")
        );
    }
    o.push('\n');
}

/// Each session's notes in full, in order, numbered for the themes to point at.
fn sessions(o: &mut String, s: &Summary) {
    let _ = writeln!(o, "\n## Sessions");
    for (n, ss) in s.sessions.iter().enumerate() {
        let _ = writeln!(o, "\n### {}\n", md(&session_heading(n + 1, ss)));
        if let Some(r) = review_line(ss) {
            let _ = writeln!(o, "{}\n", md(&r));
        }
        if !ss.participants.is_empty() {
            let _ = writeln!(o, "Participants: {}\n", md(&participants_line(ss)));
        }
        if ss.excerpts.is_empty() {
            let _ = writeln!(o, "No notes in this export.");
        } else if let Some(groups) = by_question::groups(s, ss) {
            grouped(o, s, &groups);
            continue;
        }
        for (k, &i) in ss.excerpts.iter().enumerate() {
            let _ = writeln!(o, "{}. {}", k + 1, transcript_item(&s.excerpts[i]));
        }
    }
}

/// A session's notes under its guide's sections and questions, each keeping its number.
fn grouped(o: &mut String, s: &Summary, groups: &[by_question::Group<'_>]) {
    for g in groups {
        if let Some(section) = g.section {
            let _ = writeln!(o, "#### {}\n", md(section));
        }
        match g.question {
            Some(q) => {
                let _ = writeln!(o, "**Question {}. {}**\n", q.number, md(&q.text));
            }
            None => {
                let _ = writeln!(o, "#### {}\n", by_question::NOT_LINKED);
            }
        }
        for &(k, i) in &g.notes {
            let _ = writeln!(o, "- **{k}.** {}", transcript_item(&s.excerpts[i]));
        }
        o.push('\n');
    }
}

/// One note in its session: a facilitator's words as a prompt, a quote in marks, other
/// notes with their kind; then the themes it is tagged with.
fn transcript_item(e: &Excerpt) -> String {
    let (text, _) = plan::body(e);
    let mut line = if plan::is_facilitator(e) {
        format!("*{}* {}", md(&prompt_label(e)), md(text))
    } else if plan::quoted(e) {
        format!("“{}”", md(text))
    } else {
        md(text)
    };
    let who = speaker(e).filter(|_| !plan::is_facilitator(e));
    let detail = note_detail(e).filter(|_| !plan::is_facilitator(e));
    match (who, detail) {
        (Some(w), Some(d)) => {
            let _ = write!(line, " — {} ({})", md(&w), md(&d));
        }
        (Some(w), None) => {
            let _ = write!(line, " — {}", md(&w));
        }
        (None, Some(d)) => {
            let _ = write!(line, " ({})", md(&d));
        }
        (None, None) => {}
    }
    if !e.themes.is_empty() {
        let names: Vec<String> = e.themes.iter().map(|t| md(t)).collect();
        let _ = write!(line, " *Themes: {}*", names.join(", "));
    }
    line
}

/// The codebook's themes with notes, nested as headings, each with its passages.
fn themes(o: &mut String, s: &Summary) {
    let shown = plan::shown(s);
    if !shown.iter().any(|&x| x) {
        return;
    }
    let places = plan::places(s);
    let _ = writeln!(o, "\n## Themes");
    for ((t, d), _) in s
        .themes
        .iter()
        .zip(plan::depths(s))
        .zip(&shown)
        .filter(|(_, show)| **show)
    {
        let hashes = "#".repeat((3 + d).min(6));
        let _ = writeln!(
            o,
            "\n{hashes} {} — {}\n",
            md(&t.name),
            count(t.excerpts.len(), "note", "notes")
        );
        if let Some(p) = t.parent.as_ref().filter(|_| d >= 3) {
            let _ = writeln!(o, "Under {}.\n", md(p));
        }
        if let Some(desc) = &t.description {
            let _ = writeln!(o, "{}\n", md(desc));
        }
        if t.excerpts.is_empty() {
            let _ = writeln!(o, "No notes are tagged with this theme itself.");
            continue;
        }
        let _ = writeln!(o, "| Participant group | Notes | Participants |");
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
            let place = places.get(i).copied().flatten();
            for p in plan::passages(e, &t.name) {
                let _ = writeln!(o, "- {}", passage_item(e, p, place));
            }
        }
    }
}

/// One passage under a theme: the coded words in bold with their context, or a whole
/// note's short form, then who said it and where it is in full.
fn passage_item(e: &Excerpt, p: Passage, place: Option<Place>) -> String {
    let (words, shortened) = passage_words(e, p, md, bold);
    let words = if plan::quoted(e) {
        format!("“{words}”")
    } else {
        words
    };
    let who = speaker(e).unwrap_or_else(|| e.kind.to_string());
    let whole = if shortened { "in full at " } else { "" };
    let at = place
        .map(|p| format!(" ({whole}{})", p.words()))
        .unwrap_or_default();
    format!("{words} — {}; {}{at}", md(&who), md(&e.session))
}

/// Coded words in bold, the spaces at their edges left outside the markers (CommonMark does
/// not close `**` after a space).
pub(super) fn bold(coded: &str) -> String {
    let core = coded.trim();
    if core.is_empty() {
        return md(coded);
    }
    let start = coded.len() - coded.trim_start().len();
    let end = start + core.len();
    format!("{}**{}**{}", &coded[..start], md(core), &coded[end..])
}
