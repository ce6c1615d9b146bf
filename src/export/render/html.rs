//! The HTML report: one self-contained printable page (no external resources, every text
//! escaped), with an inline SVG chart in the themes' own colours.

use std::fmt::Write as _;

use super::by_question;
use super::plan::{self, Passage, Place};
use super::{
    colour, counted, header_rows, left_out, more_ideas, note_detail, participants_line,
    passage_words, prompt_label, redaction_line, review_line, session_heading, sessions_line,
    speaker, theme_heading,
};
use crate::audit::anchor_sentence;
use crate::export::{Excerpt, Summary, count};
use crate::text::html_escape as h;

/// Rules for print shared by every HTML report: headings stay with what follows, small
/// blocks are not split across pages, and a table's header row repeats on each page.
pub const PRINT_CSS: &str = "h1,h2,h3,h4,h5,h6{break-after:avoid;page-break-after:avoid}\
blockquote,li,tr,figure,.passage,.keep{break-inside:avoid;page-break-inside:avoid}\
thead{display:table-header-group}tfoot{display:table-footer-group}";

const CSS: &str = "body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;\
padding:0 1rem;line-height:1.5;color:#111}h1{font-size:1.6rem}h2{border-bottom:1px solid #999;\
margin-top:2rem}table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #999;\
padding:.2rem .6rem;text-align:left}td.n,th.n{text-align:right}q{quotes:'“' '”'}\
.who,.kind,.tags{color:#444;font-size:.9em}dt{font-weight:600}dd{margin:0 0 .4rem 0}\
ol.transcript>li{margin:.3rem 0}li.prompt{font-style:italic;color:#333;border-left:3px solid #9ab;padding-left:.5rem}\
li.prompt .who{font-style:normal;font-weight:600}blockquote{margin:.2rem 0 0 0;\
padding-left:.8rem;border-left:3px solid #bbb}mark{background:#fff3a8}\
.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.4em;border:1px solid #666}\
ul.passages{list-style:none;padding-left:0}li.passage{margin:.6rem 0}\
ul.tree ul{margin:0}section.theme{margin-top:1rem}\
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}}";

/// The HTML report: one self-contained printable file.
pub fn html(s: &Summary) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <title>{} — anonymised summary</title><style>{CSS}{PRINT_CSS}</style></head><body>\n",
        h(&s.project.name)
    );
    let _ = writeln!(o, "<h1>{} — anonymised summary</h1>", h(&s.project.name));
    let _ = writeln!(
        o,
        "<p>Exported on {} by fieldnotes. {}</p>",
        h(&s.generated_on),
        h(&redaction_line(s))
    );
    summary(&mut o, s);
    let _ = writeln!(o, "<h2>Project</h2><dl>");
    for (k, v) in header_rows(s) {
        let _ = writeln!(o, "<dt>{}</dt><dd>{}</dd>", h(k), h(&v));
    }
    let _ = writeln!(o, "</dl>");
    sessions(&mut o, s);
    themes(&mut o, s);
    if let Some(a) = &s.audit_anchor {
        let _ = writeln!(o, "<p class=anchor>{}</p>", h(&anchor_sentence(a)));
    }
    o.push_str("</body></html>\n");
    o
}

/// A table with a header row that repeats on each printed page. `numeric` marks the
/// columns to right-align; every cell is escaped.
fn table(o: &mut String, head: &[&str], numeric: &[bool], rows: &[Vec<String>]) {
    let align = |k: usize| {
        if numeric.get(k) == Some(&true) {
            " class=n"
        } else {
            ""
        }
    };
    o.push_str("<table><thead><tr>");
    for (k, c) in head.iter().enumerate() {
        let _ = write!(o, "<th scope=col{}>{}</th>", align(k), h(c));
    }
    o.push_str("</tr></thead><tbody>\n");
    for r in rows {
        o.push_str("<tr>");
        for (k, c) in r.iter().enumerate() {
            let _ = write!(o, "<td{}>{}</td>", align(k), h(c));
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody></table>\n");
}

/// The colour of the theme at `i` in the codebook, safe for CSS and SVG.
fn theme_colour(s: &Summary, i: usize) -> String {
    colour::of(s.themes[i].colour.as_deref(), i)
}

/// The page a reader sees first.
fn summary(o: &mut String, s: &Summary) {
    let g = plan::glance(s);
    let _ = writeln!(o, "<h2 id=summary>Summary</h2>");
    let _ = writeln!(o, "<p><b>Sessions:</b> {}</p>", h(&sessions_line(s, &g)));
    if !g.groups.is_empty() {
        let _ = writeln!(o, "<h3>Who took part</h3>");
        let rows: Vec<Vec<String>> = g
            .groups
            .iter()
            .map(|x| {
                vec![
                    x.name.clone(),
                    x.sessions.to_string(),
                    x.participants.to_string(),
                ]
            })
            .collect();
        table(
            o,
            &["Participant group", "Sessions", "Participants"],
            &[false, true, true],
            &rows,
        );
    }
    if !g.top_themes.is_empty() {
        let _ = writeln!(o, "<h3>Top themes</h3>");
        let rows: Vec<Vec<String>> = g
            .top_themes
            .iter()
            .map(|&(i, c)| {
                vec![
                    theme_heading(&s.themes[i]),
                    c.notes.to_string(),
                    c.participants.to_string(),
                ]
            })
            .collect();
        table(
            o,
            &["Theme", "Notes", "Participants"],
            &[false, true, true],
            &rows,
        );
        let _ = writeln!(o, "<figure>{}</figure>", chart(s));
    }
    if !g.group_themes.is_empty() {
        let _ = writeln!(o, "<h3>Top themes by participant group</h3>");
        let rows: Vec<Vec<String>> = g
            .group_themes
            .iter()
            .map(|(group, ranked)| {
                let themes: Vec<String> = ranked
                    .iter()
                    .map(|&(i, c)| format!("{} ({})", s.themes[i].name, counted(c)))
                    .collect();
                vec![group.clone(), themes.join("; ")]
            })
            .collect();
        table(o, &["Participant group", "Top themes"], &[], &rows);
    }
    if !g.top_ideas.is_empty() || g.more_ideas > 0 {
        let _ = writeln!(o, "<h3>Top workshop ideas, by votes</h3>");
        if !g.top_ideas.is_empty() {
            o.push_str("<ol>\n");
        }
        for &i in &g.top_ideas {
            let e = &s.excerpts[i];
            let cluster = e
                .cluster
                .as_deref()
                .map(|c| format!(", cluster {}", h(c)))
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "<li>{} — <b>{}</b>{cluster} <span class=who>({})</span></li>",
                h(&e.text),
                count(e.votes.unsigned_abs() as usize, "vote", "votes"),
                h(&e.session)
            );
        }
        if !g.top_ideas.is_empty() {
            o.push_str("</ol>\n");
        }
        if let Some(more) = more_ideas(&g) {
            let _ = writeln!(o, "<p>{}</p>", h(&more));
        }
    }
    codebook(o, s);
    let _ = writeln!(o, "<h3>Left out of this export</h3><ul class=keep>");
    for line in left_out(s) {
        let _ = writeln!(o, "<li>{}</li>", h(&line));
    }
    let _ = writeln!(o, "</ul>");
}

/// The codebook as nested lists, each theme in its colour with its notes.
fn codebook(o: &mut String, s: &Summary) {
    if s.themes.is_empty() {
        return;
    }
    let _ = write!(o, "<h3>Codebook</h3>\n<ul class=tree>");
    let depths = plan::depths(s);
    let mut open = 0;
    for (i, t) in s.themes.iter().enumerate() {
        let d = depths[i];
        if i > 0 {
            if d > open {
                o.push_str("<ul>");
            } else {
                o.push_str("</li>");
                for _ in d..open {
                    o.push_str("</ul></li>");
                }
            }
        }
        open = d;
        let _ = write!(
            o,
            "\n<li><span class=swatch style=\"background:{}\"></span>{} — {}",
            theme_colour(s, i),
            h(&t.name),
            count(t.excerpts.len(), "note", "notes")
        );
    }
    o.push_str("</li>");
    for _ in 0..open {
        o.push_str("</ul></li>");
    }
    o.push_str("</ul>\n");
}

/// An inline SVG bar chart of notes per theme, in codebook order, children indented.
fn chart(s: &Summary) -> String {
    let bar_h = 22;
    let label_w = 240;
    let width = 640;
    let depths = plan::depths(s);
    let coded: Vec<usize> = (0..s.themes.len())
        .filter(|&i| !s.themes[i].excerpts.is_empty())
        .collect();
    let max = coded
        .iter()
        .map(|&i| s.themes[i].excerpts.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let height = bar_h * coded.len() + 10;
    let mut o = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         role=\"img\" aria-label=\"Notes per theme\">"
    );
    for (row, &i) in coded.iter().enumerate() {
        let t = &s.themes[i];
        let y = row * bar_h + 5;
        let n = t.excerpts.len();
        let w = (width - label_w - 50) * n / max;
        let indent = if depths[i] > 0 { "› " } else { "" };
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\">{indent}{}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{}\" fill=\"{}\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"13\">{n}</text>",
            label_w - 8,
            y + 15,
            h(&t.name),
            bar_h - 6,
            theme_colour(s, i),
            label_w + w + 6,
            y + 15
        );
    }
    o.push_str("</svg>");
    o
}

/// Each session's notes in full, in order, each with an anchor for the themes to link to.
fn sessions(o: &mut String, s: &Summary) {
    let _ = writeln!(o, "<h2>Sessions</h2>");
    for (n, ss) in s.sessions.iter().enumerate() {
        let _ = writeln!(
            o,
            "<section><h3 id=s{}>{}</h3>",
            n + 1,
            h(&session_heading(n + 1, ss))
        );
        if let Some(r) = review_line(ss) {
            let _ = writeln!(o, "<p>{}</p>", h(&r));
        }
        if !ss.participants.is_empty() {
            let _ = writeln!(o, "<p>Participants: {}</p>", h(&participants_line(ss)));
        }
        if ss.excerpts.is_empty() {
            let _ = writeln!(o, "<p>No notes in this export.</p>");
        } else if let Some(groups) = by_question::groups(s, ss) {
            grouped(o, s, n + 1, &groups);
        } else {
            let _ = writeln!(o, "<ol class=transcript>");
            for (k, &i) in ss.excerpts.iter().enumerate() {
                let place = Place {
                    session: n + 1,
                    note: k + 1,
                };
                let _ = writeln!(o, "{}", transcript_item(&s.excerpts[i], place));
            }
            let _ = writeln!(o, "</ol>");
        }
        let _ = writeln!(o, "</section>");
    }
}

/// A session's notes under its guide's sections and questions, each keeping its number
/// (and its anchor, which the themes link to).
fn grouped(o: &mut String, s: &Summary, session: usize, groups: &[by_question::Group<'_>]) {
    for g in groups {
        if let Some(section) = g.section {
            let _ = writeln!(o, "<h4>{}</h4>", h(section));
        }
        match g.question {
            Some(q) => {
                let _ = writeln!(o, "<h5>Question {}. {}</h5>", q.number, h(&q.text));
            }
            None => {
                let _ = writeln!(o, "<h4>{}</h4>", by_question::NOT_LINKED);
            }
        }
        let _ = writeln!(o, "<ol class=transcript>");
        for &(k, i) in &g.notes {
            let item = transcript_item(&s.excerpts[i], Place { session, note: k });
            let _ = writeln!(
                o,
                "{}",
                item.replacen("<li ", &format!("<li value={k} "), 1)
            );
        }
        let _ = writeln!(o, "</ol>");
    }
}

/// One note in its session: a facilitator's words as a prompt, a quote in marks, other
/// notes with their kind; then the themes it is tagged with.
fn transcript_item(e: &Excerpt, place: Place) -> String {
    let (text, _) = plan::body(e);
    let tags = if e.themes.is_empty() {
        String::new()
    } else {
        format!(
            " <span class=tags>Themes: {}</span>",
            h(&e.themes.join(", "))
        )
    };
    if plan::is_facilitator(e) {
        return format!(
            "<li id={} class=prompt><span class=who>{}</span> {}{tags}</li>",
            place.anchor(),
            h(&prompt_label(e)),
            h(text)
        );
    }
    let body = if plan::quoted(e) {
        format!("<q>{}</q>", h(text))
    } else {
        h(text)
    };
    let who = speaker(e)
        .map(|w| format!(" <span class=who>— {}</span>", h(&w)))
        .unwrap_or_default();
    let detail = note_detail(e)
        .map(|d| format!(" <span class=kind>({})</span>", h(&d)))
        .unwrap_or_default();
    format!("<li id={}>{body}{who}{detail}{tags}</li>", place.anchor())
}

/// The codebook's themes with notes, nested by depth, each with its passages.
fn themes(o: &mut String, s: &Summary) {
    let shown = plan::shown(s);
    if !shown.iter().any(|&x| x) {
        return;
    }
    let places = plan::places(s);
    let depths = plan::depths(s);
    let _ = writeln!(o, "<h2>Themes</h2>");
    for (i, t) in s.themes.iter().enumerate().filter(|(i, _)| shown[*i]) {
        let d = depths[i];
        let level = (3 + d).min(6);
        let _ = writeln!(
            o,
            "<section class=theme style=\"margin-left:{}rem\"><h{level} id=theme-{}>\
             <span class=swatch style=\"background:{}\"></span>{} — {}</h{level}>",
            d * 2,
            i + 1,
            theme_colour(s, i),
            h(&t.name),
            count(t.excerpts.len(), "note", "notes")
        );
        if let Some(desc) = &t.description {
            let _ = writeln!(o, "<p>{}</p>", h(desc));
        }
        if t.excerpts.is_empty() {
            let _ = writeln!(
                o,
                "<p>No notes are tagged with this theme itself.</p></section>"
            );
            continue;
        }
        let rows: Vec<Vec<String>> = t
            .by_group
            .iter()
            .map(|g| {
                vec![
                    g.group.clone(),
                    g.excerpts.to_string(),
                    g.participants.to_string(),
                ]
            })
            .collect();
        table(
            o,
            &["Participant group", "Notes", "Participants"],
            &[false, true, true],
            &rows,
        );
        let _ = writeln!(o, "<ul class=passages>");
        for &x in &t.excerpts {
            let e = &s.excerpts[x];
            let place = places.get(x).copied().flatten();
            for p in plan::passages(e, &t.name) {
                let _ = writeln!(o, "{}", passage_item(e, p, place));
            }
        }
        let _ = writeln!(o, "</ul></section>");
    }
}

/// One passage under a theme: the coded words marked within their context, or a whole
/// note's short form, then who said it and a link to it in full.
fn passage_item(e: &Excerpt, p: Passage, place: Option<Place>) -> String {
    let (words, shortened) = passage_words(e, p, h, |c| format!("<mark>{}</mark>", h(c)));
    let words = if plan::quoted(e) {
        format!("<q>{words}</q>")
    } else {
        words
    };
    let who = speaker(e).unwrap_or_else(|| e.kind.to_string());
    let link = place
        .map(|p| {
            format!(
                ", <a href=\"#{}\">{}{}</a>",
                p.anchor(),
                if shortened { "in full at " } else { "" },
                p.words()
            )
        })
        .unwrap_or_default();
    format!(
        "<li class=passage><blockquote>{words}</blockquote><span class=who>— {}; {}{link}</span></li>",
        h(&who),
        h(&e.session)
    )
}
