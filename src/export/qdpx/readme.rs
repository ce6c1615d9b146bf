//! `README.txt`: what the archive holds, how to read its positions, how fieldnotes' records
//! map to REFI-QDA's, and what was done to anonymise it.

use crate::export::{Summary, count};

/// The archive's README for `s`, made at `when` (UTC, as `project.qde` dates it).
pub(super) fn text(s: &Summary, when: &str) -> String {
    let period = match (&s.project.from_month, &s.project.to_month) {
        (Some(a), Some(b)) if a != b => format!("sessions from {a} to {b}"),
        (Some(a), _) => format!("sessions of {a}"),
        _ => "no dated sessions".to_owned(),
    };
    let mut withheld = Vec::new();
    if s.withheld > 0 {
        withheld.push(count(s.withheld, "note", "notes"));
    }
    if s.memos_withheld > 0 {
        withheld.push(count(s.memos_withheld, "memo", "memos"));
    }
    let withheld = if withheld.is_empty() {
        "No note or memo was withheld for a restriction.".to_owned()
    } else {
        format!(
            "Withheld because they concern a person whose processing is restricted: {}.",
            withheld.join(" and ")
        )
    };
    let quotes: String = s
        .quotes
        .sentences()
        .iter()
        .map(|line| format!("{}\n", wrap(line, 80)))
        .collect();
    format!(
        "\
Anonymised export of project {project} from fieldnotes {version}
Made {when}; {period}; {sources}, {excerpts}, {themes}, {memos}.

WHAT THIS ARCHIVE HOLDS

This is a REFI-QDA project exchange file (QDPX, QDA-XML 1.0, namespace
urn:QDA-XML:project:1.0). It opens in NVivo, ATLAS.ti, MAXQDA, QualCoder and other
tools that read the standard.

  project.qde         the project: codebook, variables, cases, sources with their
                      coded selections, and memos as notes
  sources/<id>.txt    one plain text source per session (UTF-8): a heading line
                      (title, kind, month), then one paragraph per note,
                      \"SPEAKER (kind): text\"
  README.txt          this file

POSITIONS ARE UNICODE CODE POINTS

Every startPosition and endPosition counts Unicode code points (characters) from
the start of its source text, as the REFI-QDA standard says: not bytes, and not
UTF-16 code units. A reader that counts UTF-16 code units (as some tools built on
Windows, Java or JavaScript strings do) will place a selection one position too
early for each character outside the Basic Multilingual Plane before it: emoji
such as \u{1f642}, and some rarer scripts and symbols. Text without such characters
reads the same either way.

HOW FIELDNOTES MAPS TO REFI-QDA

  theme                  Code, children under their parent; its description is
                         the code's description, its memo a Note the code refers to
  session                TextSource, one per session, with the variables
                         \"Session kind\" (interview or workshop) and \"Session month\"
                         (YYYY-MM); its memos are Notes the source refers to
  note                   a paragraph of its session's source, its kind (verbatim
                         quote, paraphrase, observation, idea) in brackets after
                         the speaker
  tag                    PlainTextSelection with a Coding of the theme's Code; a tag
                         on a whole note selects the whole note; the selection's
                         description gives the note's number and kind
  memo on a note         a PlainTextSelection of the whole note referring to a Note
  participant (P01...)   Case with the variable \"Role\", referring to the sources
                         they took part in and their selections
  facilitator (F1...)    Case with the Role \"facilitator\": one code per person
                         across the whole project, the same in every session
  memo                   Note (under Notes), its text in PlainTextContent

ANONYMISATION

Every text here went through fieldnotes' anonymiser before it was written: notes,
memos, session titles, workshop clusters, roles, theme names and descriptions and
the project's own fields. Registered participants appear only as pseudonyms (P01),
facilitators only as codes (F1); their names stay in the encrypted vault. Other
people named appear as a pseudonym (Person A) or [PERSON]; phone numbers, email
and street addresses, NHS and National Insurance numbers, dates of birth and case
references are replaced; postcodes keep only their outward code; dates are given
by month; exact ages become bands unless the export was asked to keep them.
{withheld}
{quotes}Before the archive was written, every file in it was searched for every registered
name and every identifier found in any text exported; finding one would have
stopped the export.
This is still research data about people: keep and share it only as the project's
data protection impact assessment allows.
",
        project = s.project.name,
        when = when.replace('T', " ").replace('Z', " UTC"),
        version = env!("CARGO_PKG_VERSION"),
        sources = count(s.sessions.len(), "source", "sources"),
        excerpts = count(s.excerpts.len(), "note", "notes"),
        themes = count(s.themes.len(), "code", "codes"),
        memos = count(s.memos.len(), "memo", "memos"),
    )
}

/// `text` broken at spaces into lines of at most `width` characters (a longer word stays
/// whole on its own line).
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split(' ') {
        let n = word.chars().count();
        if line > 0 && line + 1 + n > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += n;
    }
    out
}
