//! REFI-QDA project exchange (QDPX): a zip holding `project.qde` (QDA-XML 1.0), a
//! `README.txt` and one plain text source per session under `sources/`, with codings on
//! character spans (Unicode code points, as the standard counts them), participants and
//! facilitators as cases, and the memos as notes. Opens in NVivo, ATLAS.ti, MAXQDA and
//! QualCoder.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;

use sha2::{Digest, Sha256};

use time::OffsetDateTime;

use super::{Excerpt, ExportError, MemoAbout, SessionSummary, Summary, month_words};
use crate::model::NoteKind;

/// A stable GUID for one object of the export, so a re-export keeps its identities (an
/// RFC 9562 version 8 UUID from SHA-256 of the project and the object).
fn guid(project: &str, what: &str, id: &str) -> String {
    let d = Sha256::digest(format!("fieldnotes\u{1f}{project}\u{1f}{what}\u{1f}{id}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn x(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot carry most control characters; notes have none but tabs/newlines
            c if c.is_control() && !matches!(c, '\n' | '\t') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn rgb(c: &Option<String>) -> Option<String> {
    let c = c.as_deref()?.trim();
    let hex = c.strip_prefix('#')?;
    ((hex.len() == 6 || hex.len() == 3) && hex.chars().all(|h| h.is_ascii_hexdigit()))
        .then(|| c.to_owned())
}

mod guide;
mod memos;
mod readme;

/// The files of the export: `project.qde` first, then `README.txt`, then
/// `sources/<guid>.txt`.
pub fn parts(s: &Summary) -> Vec<(String, String)> {
    let q = Qde::new(s);
    let mut xml = q.header();
    q.codebook(&mut xml);
    let sources = q.sources();
    q.variables(&mut xml, &sources);
    q.cases(&mut xml, &sources);
    if !sources.xml.is_empty() {
        let _ = write!(xml, "  <Sources>\n{}  </Sources>\n", sources.xml);
    }
    q.notes(&mut xml);
    let _ = write!(
        xml,
        "  <Description>Anonymised export of project {}, made on {} by fieldnotes.</Description>\n</Project>\n",
        x(q.p),
        s.generated_on
    );
    let mut out = vec![
        ("project.qde".to_owned(), xml),
        ("README.txt".to_owned(), readme::text(s, &q.when)),
    ];
    out.extend(sources.files);
    out
}

/// A note's kind in words, for its line in the source and its selections' descriptions.
fn kind_words(k: NoteKind) -> &'static str {
    match k {
        NoteKind::Verbatim => "verbatim quote",
        NoteKind::Paraphrase => "paraphrase",
        NoteKind::Observation => "observation",
        NoteKind::Idea => "idea",
    }
}

/// The export's moment as QDA-XML writes it: UTC, to the second.
fn utc(at: OffsetDateTime) -> String {
    let t = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// What every element of `project.qde` refers to: the project, its one user, the export's
/// moment, each theme's code and each memo's note.
struct Qde<'a> {
    s: &'a Summary,
    p: &'a str,
    user: String,
    when: String,
    code_guid: BTreeMap<&'a str, String>,
    /// Each memo's `Note`, in the order of [`Summary::memos`].
    memo_guid: Vec<String>,
    /// The topic guides' codes.
    guide: guide::GuideCodes,
}

/// The variables sources and cases carry.
const ROLE: &str = "role";
const SESSION_KIND: &str = "session kind";
const SESSION_MONTH: &str = "session month";
const SESSION_RECORDS: &str = "records read";

/// One text source per session, and what the cases need from them.
struct Sources {
    xml: String,
    files: Vec<(String, String)>,
    /// Each speaker's selections, for their case.
    case_selections: BTreeMap<String, Vec<String>>,
    /// The sources each speaker took part in, for their case.
    case_sources: BTreeMap<String, Vec<String>>,
    roles: BTreeMap<String, Option<String>>,
}

impl<'a> Qde<'a> {
    fn new(s: &'a Summary) -> Self {
        let p = s.project.name.as_str();
        Qde {
            s,
            p,
            user: guid(p, "user", "fieldnotes"),
            when: utc(s.generated_at),
            code_guid: s
                .themes
                .iter()
                .map(|t| (t.name.as_str(), guid(p, "code", &t.name)))
                .collect(),
            memo_guid: s.memos.iter().map(|m| memos::guid_of(p, m)).collect(),
            guide: guide::codes(s, p),
        }
    }

    fn header(&self) -> String {
        let (user, when) = (&self.user, &self.when);
        let mut xml = String::new();
        let _ = write!(
            xml,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project xmlns=\"urn:QDA-XML:project:1.0\" \
             name=\"{}\" origin=\"fieldnotes {}\" creatingUserGUID=\"{user}\" \
             creationDateTime=\"{when}\">\n  <Users>\n    <User guid=\"{user}\" name=\"fieldnotes\"/>\n  </Users>\n",
            x(self.p),
            env!("CARGO_PKG_VERSION")
        );
        xml
    }

    /// The codebook: children under their parents.
    fn codebook(&self, xml: &mut String) {
        if self.s.themes.is_empty() && self.guide.xml.is_empty() {
            return;
        }
        xml.push_str("  <CodeBook>\n    <Codes>\n");
        for t in &self.s.themes {
            let top = t
                .parent
                .as_deref()
                .is_none_or(|par| !self.code_guid.contains_key(par));
            if top {
                self.code(xml, &t.name, 3);
            }
        }
        xml.push_str(&self.guide.xml);
        xml.push_str("    </Codes>\n  </CodeBook>\n");
    }

    fn code(&self, xml: &mut String, name: &str, depth: usize) {
        let Some(t) = self.s.themes.iter().find(|t| t.name == name) else {
            return;
        };
        let pad = "  ".repeat(depth);
        let colour = rgb(&t.colour)
            .map(|c| format!(" color=\"{c}\""))
            .unwrap_or_default();
        let _ = writeln!(
            xml,
            "{pad}<Code guid=\"{}\" name=\"{}\" isCodable=\"true\"{colour}>",
            self.code_guid[name],
            x(name)
        );
        if let Some(d) = &t.description {
            let _ = writeln!(xml, "{pad}  <Description>{}</Description>", x(d));
        }
        self.note_refs(
            xml,
            &format!("{pad}  "),
            |a| matches!(a, MemoAbout::Theme { theme } if theme == name),
        );
        for c in self
            .s
            .themes
            .iter()
            .filter(|c| c.parent.as_deref() == Some(name))
        {
            self.code(xml, &c.name, depth + 1);
        }
        let _ = writeln!(xml, "{pad}</Code>");
    }

    /// One text source per session, each note a paragraph `SPEAKER (kind): text`;
    /// remembers each speaker's selections and sessions for their case.
    fn sources(&self) -> Sources {
        let (p, user, when) = (self.p, &self.user, &self.when);
        let mut out = Sources {
            xml: String::new(),
            files: Vec::new(),
            case_selections: BTreeMap::new(),
            case_sources: BTreeMap::new(),
            roles: BTreeMap::new(),
        };
        for ss in &self.s.sessions {
            let sg = guid(p, "source", &ss.id.to_string());
            for sp in &ss.participants {
                out.roles.entry(sp.code.clone()).or_insert(sp.role.clone());
                out.case_sources
                    .entry(sp.code.clone())
                    .or_default()
                    .push(sg.clone());
            }
            let mut text = format!(
                "{} ({}, {})\n",
                ss.title,
                ss.kind,
                ss.month.as_deref().map(month_words).unwrap_or_default()
            );
            let mut sel = String::new();
            for &i in &ss.excerpts {
                let e = &self.s.excerpts[i];
                text.push('\n');
                let who = e.speaker.clone().unwrap_or_else(|| "Note".into());
                let _ = write!(text, "{who} ({}): ", kind_words(e.kind));
                let base = text.chars().count();
                text.push_str(&e.text);
                text.push('\n');
                self.selections(e, &who, base, &mut sel, &mut out.case_selections);
            }
            self.note_refs(
                &mut sel,
                "      ",
                |a| matches!(a, MemoAbout::Session { session_id } if *session_id == ss.id),
            );
            self.source_variables(&mut sel, ss);
            let _ = write!(
                out.xml,
                "    <TextSource guid=\"{sg}\" name=\"{}\" plainTextPath=\"internal://{sg}.txt\" \
                 creatingUser=\"{user}\" creationDateTime=\"{when}\">\n{sel}    </TextSource>\n",
                x(&ss.title)
            );
            out.files.push((format!("sources/{sg}.txt"), text));
        }
        out
    }

    /// An excerpt's codings as selections of its source, `base` characters in, and one
    /// selection of the whole note holding the memos on it.
    fn selections(
        &self,
        e: &Excerpt,
        who: &str,
        base: usize,
        sel: &mut String,
        case_selections: &mut BTreeMap<String, Vec<String>>,
    ) {
        let (p, user, when) = (self.p, &self.user, &self.when);
        let about = format!("Note {}, {}", e.note_id, kind_words(e.kind));
        let mut mine = Vec::new();
        for (k, c) in e.codings.iter().enumerate() {
            let Some(cg) = self.code_guid.get(c.theme.as_str()) else {
                continue;
            };
            let id = format!("{}:{k}", e.note_id);
            let selg = guid(p, "selection", &id);
            let _ = write!(
                sel,
                "      <PlainTextSelection guid=\"{selg}\" name=\"{} {}\" startPosition=\"{}\" \
                 endPosition=\"{}\" creatingUser=\"{user}\" creationDateTime=\"{when}\">\n\
                 \x20       <Description>{about}</Description>\n\
                 \x20       <Coding guid=\"{}\" creatingUser=\"{user}\" creationDateTime=\"{when}\">\n\
                 \x20         <CodeRef targetGUID=\"{cg}\"/>\n        </Coding>\n      </PlainTextSelection>\n",
                x(who),
                x(&c.theme),
                base + c.start,
                base + c.end,
                guid(p, "coding", &id)
            );
            mine.push(selg);
        }
        mine.extend(guide::selection(
            &self.guide,
            e,
            p,
            (who, &about, user, when),
            base,
            sel,
        ));
        let on_note =
            |a: &MemoAbout| matches!(a, MemoAbout::Note { note_id, .. } if *note_id == e.note_id);
        if self.s.memos.iter().any(|m| on_note(&m.about)) {
            let selg = guid(p, "memo selection", &e.note_id.to_string());
            let _ = writeln!(
                sel,
                "      <PlainTextSelection guid=\"{selg}\" name=\"{} memo\" startPosition=\"{base}\" \
                 endPosition=\"{}\" creatingUser=\"{user}\" creationDateTime=\"{when}\">\n\
                 \x20       <Description>{about}</Description>",
                x(who),
                base + e.text.chars().count(),
            );
            self.note_refs(sel, "        ", on_note);
            sel.push_str("      </PlainTextSelection>\n");
            mine.push(selg);
        }
        if let Some(sp) = &e.speaker {
            case_selections.entry(sp.clone()).or_default().extend(mine);
        }
    }

    /// The session's kind and month, as values of the source's variables.
    fn source_variables(&self, xml: &mut String, ss: &SessionSummary) {
        let kind = ss.kind.to_string();
        let records = super::render::review_line(ss);
        for (var, value) in [
            (SESSION_KIND, Some(&kind)),
            (SESSION_MONTH, ss.month.as_ref()),
            (SESSION_RECORDS, records.as_ref()),
        ] {
            if let Some(v) = value {
                variable_value(xml, "      ", &guid(self.p, "variable", var), v);
            }
        }
    }

    /// The variables: participants' roles on cases, sessions' kind and month on sources.
    fn variables(&self, xml: &mut String, sources: &Sources) {
        let mut vars = Vec::new();
        if !sources.roles.is_empty() {
            vars.push((ROLE, "Role", "The participant's role or group"));
        }
        if !self.s.sessions.is_empty() {
            vars.push((
                SESSION_KIND,
                "Session kind",
                "What the session was: interview or workshop",
            ));
            vars.push((
                SESSION_MONTH,
                "Session month",
                "The month the session took place (YYYY-MM)",
            ));
        }
        if self.s.sessions.iter().any(|ss| ss.review.is_some()) {
            vars.push((
                SESSION_RECORDS,
                "Records read",
                "A record review's source system, months read and how the records were chosen",
            ));
        }
        if vars.is_empty() {
            return;
        }
        xml.push_str("  <Variables>\n");
        for (id, name, about) in vars {
            let _ = write!(
                xml,
                "    <Variable guid=\"{}\" name=\"{name}\" typeOfVariable=\"Text\">\n\
                 \x20     <Description>{}</Description>\n    </Variable>\n",
                guid(self.p, "variable", id),
                x(about)
            );
        }
        xml.push_str("  </Variables>\n");
    }

    /// Participants and facilitators as cases (one per person across the project), with
    /// their role as a variable, the sources they took part in and their selections.
    fn cases(&self, xml: &mut String, sources: &Sources) {
        if sources.roles.is_empty() {
            return;
        }
        let p = self.p;
        let var = guid(p, "variable", ROLE);
        xml.push_str("  <Cases>\n");
        for (code, role) in &sources.roles {
            let _ = writeln!(
                xml,
                "    <Case guid=\"{}\" name=\"{}\">",
                guid(p, "case", code),
                x(code)
            );
            if let Some(r) = role {
                variable_value(xml, "      ", &var, r);
            }
            for sg in sources.case_sources.get(code).into_iter().flatten() {
                let _ = writeln!(xml, "      <SourceRef targetGUID=\"{sg}\"/>");
            }
            for selg in sources.case_selections.get(code).into_iter().flatten() {
                let _ = writeln!(xml, "      <SelectionRef targetGUID=\"{selg}\"/>");
            }
            let _ = writeln!(xml, "    </Case>");
        }
        xml.push_str("  </Cases>\n");
    }
}

/// One `VariableValue` holding text.
fn variable_value(xml: &mut String, pad: &str, var: &str, value: &str) {
    let _ = write!(
        xml,
        "{pad}<VariableValue>\n{pad}  <VariableRef targetGUID=\"{var}\"/>\n\
         {pad}  <TextValue>{}</TextValue>\n{pad}</VariableValue>\n",
        x(value)
    );
}

/// The date and time a zip entry carries (the export's moment as the clock showed it; the
/// format has no zone). Outside the years zip can write (1980–2107), its first day.
fn zip_time(at: OffsetDateTime) -> zip::DateTime {
    let year = u16::try_from(at.year()).unwrap_or(0);
    zip::DateTime::from_date_and_time(
        year,
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
    )
    .unwrap_or(zip::DateTime::DEFAULT)
}

/// Zips the parts (deflated), each entry dated `at`.
pub fn zip(parts: &[(String, String)], at: OffsetDateTime) -> Result<Vec<u8>, ExportError> {
    let pack = |e: zip::result::ZipError| ExportError::Pack(e.to_string());
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o600)
        .last_modified_time(zip_time(at));
    for (name, text) in parts {
        w.start_file(name.as_str(), opts).map_err(pack)?;
        w.write_all(text.as_bytes())
            .map_err(|e| ExportError::Pack(e.to_string()))?;
    }
    Ok(w.finish().map_err(pack)?.into_inner())
}

#[cfg(test)]
pub(super) mod tests;
