//! Topic guides in the project file: a "Guide" code with a code per guide and under it a
//! code per question (one for a question across the versions that ask it alike), and each
//! note answering a question coded with it over the whole note.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::{guid, x};
use crate::export::{Excerpt, Summary};

/// The codes of the project's guides, and each question's code by its row id.
pub(super) struct GuideCodes {
    /// The "Guide" code and everything under it, indented for `<Codes>` (empty: no guide).
    pub xml: String,
    /// Question row id → its code's GUID.
    pub by_question: HashMap<i64, String>,
}

/// A question as compared across versions: lower case, runs of spaces as one.
fn key(section: &str, text: &str) -> String {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    format!("{}\u{1f}{}", norm(section), norm(text))
}

/// Builds the guide codes of a summary's guides.
pub(super) fn codes(s: &Summary, p: &str) -> GuideCodes {
    let mut out = GuideCodes {
        xml: String::new(),
        by_question: HashMap::new(),
    };
    if s.guides.is_empty() {
        return out;
    }
    let mut names: Vec<(i64, &str)> = Vec::new();
    for g in &s.guides {
        if !names.iter().any(|(id, _)| *id == g.guide_id) {
            names.push((g.guide_id, g.name.as_str()));
        }
    }
    let _ = writeln!(
        out.xml,
        "      <Code guid=\"{}\" name=\"Guide\" isCodable=\"false\">\n        \
         <Description>Topic guide questions: each note answering one is coded with it.</Description>",
        guid(p, "guide code", "")
    );
    for (id, name) in names {
        let versions: Vec<_> = s.guides.iter().filter(|g| g.guide_id == id).collect();
        let gkey = format!("{id}");
        let _ = writeln!(
            out.xml,
            "        <Code guid=\"{}\" name=\"{}\" isCodable=\"false\">",
            guid(p, "guide", &gkey),
            x(name)
        );
        // the latest version's questions first, then older versions' not asked alike since
        let mut done: HashMap<String, String> = HashMap::new();
        for v in versions.iter().rev() {
            for q in &v.questions {
                let k = key(&q.section, &q.text);
                if let Some(g) = done.get(&k) {
                    out.by_question.insert(q.id, g.clone());
                    continue;
                }
                let g = guid(p, "guide question", &format!("{gkey}\u{1f}{k}"));
                let asked: Vec<String> = versions
                    .iter()
                    .filter_map(|w| {
                        w.questions
                            .iter()
                            .find(|o| key(&o.section, &o.text) == k)
                            .map(|o| format!("question {} of version {}", o.number, w.number))
                    })
                    .collect();
                let section = if q.section.is_empty() {
                    String::new()
                } else {
                    format!("Section: {}. ", q.section)
                };
                let _ = writeln!(
                    out.xml,
                    "          <Code guid=\"{g}\" name=\"{}\" isCodable=\"true\">\n            \
                     <Description>{}</Description>\n          </Code>",
                    x(&q.text),
                    x(&format!("{section}Asked as {}.", asked.join(", ")))
                );
                out.by_question.insert(q.id, g.clone());
                done.insert(k, g);
            }
        }
        out.xml.push_str("        </Code>\n");
    }
    out.xml.push_str("      </Code>\n");
    out
}

/// The selection of a whole note coding it with the question it answers, `base`
/// characters into its source; its GUID is returned for the speaker's case.
pub(super) fn selection(
    codes: &GuideCodes,
    e: &Excerpt,
    p: &str,
    (who, about, user, when): (&str, &str, &str, &str),
    base: usize,
    sel: &mut String,
) -> Option<String> {
    let q = e.question.as_ref()?;
    let code = codes.by_question.get(&q.id)?;
    let id = e.note_id.to_string();
    let selg = guid(p, "question selection", &id);
    let _ = write!(
        sel,
        "      <PlainTextSelection guid=\"{selg}\" name=\"{} question {}\" startPosition=\"{base}\" \
         endPosition=\"{}\" creatingUser=\"{user}\" creationDateTime=\"{when}\">\n\
         \x20       <Description>{about}</Description>\n\
         \x20       <Coding guid=\"{}\" creatingUser=\"{user}\" creationDateTime=\"{when}\">\n\
         \x20         <CodeRef targetGUID=\"{code}\"/>\n        </Coding>\n      </PlainTextSelection>\n",
        x(who),
        q.number,
        base + e.text.chars().count(),
        guid(p, "question coding", &id)
    );
    Some(selg)
}
