//! REFI-QDA project exchange (QDPX): a zip holding `project.qde` (QDA-XML 1.0) and one plain
//! text source per session under `sources/`, with codings on character spans. Opens in NVivo,
//! ATLAS.ti, MAXQDA and QualCoder.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;

use sha2::{Digest, Sha256};

use super::{Excerpt, ExportError, Summary, month_words};

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

/// The files of the export: `project.qde` first, then `sources/<guid>.txt`.
pub fn parts(s: &Summary) -> Vec<(String, String)> {
    let q = Qde::new(s);
    let mut xml = q.header();
    q.codebook(&mut xml);
    let sources = q.sources();
    q.cases(&mut xml, &sources);
    if !sources.xml.is_empty() {
        let _ = write!(xml, "  <Sources>\n{}  </Sources>\n", sources.xml);
    }
    let _ = write!(
        xml,
        "  <Description>Anonymised export of project {}, made on {} by fieldnotes.</Description>\n</Project>\n",
        x(q.p),
        s.generated_on
    );
    let mut out = vec![("project.qde".to_owned(), xml)];
    out.extend(sources.files);
    out
}

/// What every element of `project.qde` refers to: the project, its one user, the export's
/// date and each theme's code.
struct Qde<'a> {
    s: &'a Summary,
    p: &'a str,
    user: String,
    when: String,
    code_guid: BTreeMap<&'a str, String>,
}

/// One text source per session, and what the cases need from them.
struct Sources {
    xml: String,
    files: Vec<(String, String)>,
    /// Each speaker's coded selections, for their case.
    case_selections: BTreeMap<String, Vec<String>>,
    roles: BTreeMap<String, Option<String>>,
}

impl<'a> Qde<'a> {
    fn new(s: &'a Summary) -> Self {
        let p = s.project.name.as_str();
        Qde {
            s,
            p,
            user: guid(p, "user", "fieldnotes"),
            when: format!("{}T00:00:00Z", s.generated_on),
            code_guid: s
                .themes
                .iter()
                .map(|t| (t.name.as_str(), guid(p, "code", &t.name)))
                .collect(),
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
        if self.s.themes.is_empty() {
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

    /// One text source per session; remembers each speaker's selections for their case.
    fn sources(&self) -> Sources {
        let (p, user, when) = (self.p, &self.user, &self.when);
        let mut out = Sources {
            xml: String::new(),
            files: Vec::new(),
            case_selections: BTreeMap::new(),
            roles: BTreeMap::new(),
        };
        for ss in &self.s.sessions {
            for sp in &ss.participants {
                out.roles.entry(sp.code.clone()).or_insert(sp.role.clone());
            }
            let sg = guid(p, "source", &ss.id.to_string());
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
                text.push_str(&who);
                text.push_str(": ");
                let base = text.chars().count();
                text.push_str(&e.text);
                text.push('\n');
                self.selections(e, &who, base, &mut sel, &mut out.case_selections);
            }
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

    /// An excerpt's codings as selections of its source, `base` characters in.
    fn selections(
        &self,
        e: &Excerpt,
        who: &str,
        base: usize,
        sel: &mut String,
        case_selections: &mut BTreeMap<String, Vec<String>>,
    ) {
        let (p, user, when) = (self.p, &self.user, &self.when);
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
                 \x20       <Coding guid=\"{}\" creatingUser=\"{user}\" creationDateTime=\"{when}\">\n\
                 \x20         <CodeRef targetGUID=\"{cg}\"/>\n        </Coding>\n      </PlainTextSelection>\n",
                x(who),
                x(&c.theme),
                base + c.start,
                base + c.end,
                guid(p, "coding", &id)
            );
            if let Some(sp) = &e.speaker {
                case_selections.entry(sp.clone()).or_default().push(selg);
            }
        }
    }

    /// Participants as cases, with their role as a variable.
    fn cases(&self, xml: &mut String, sources: &Sources) {
        if sources.roles.is_empty() {
            return;
        }
        let p = self.p;
        let var = guid(p, "variable", "role");
        let _ = write!(
            xml,
            "  <Variables>\n    <Variable guid=\"{var}\" name=\"Role\" typeOfVariable=\"Text\">\n\
             \x20     <Description>The participant's role or group</Description>\n    </Variable>\n  </Variables>\n  <Cases>\n"
        );
        for (code, role) in &sources.roles {
            let _ = writeln!(
                xml,
                "    <Case guid=\"{}\" name=\"{}\">",
                guid(p, "case", code),
                x(code)
            );
            if let Some(r) = role {
                let _ = write!(
                    xml,
                    "      <VariableValue>\n        <VariableRef targetGUID=\"{var}\"/>\n\
                     \x20       <TextValue>{}</TextValue>\n      </VariableValue>\n",
                    x(r)
                );
            }
            for selg in sources.case_selections.get(code).into_iter().flatten() {
                let _ = writeln!(xml, "      <SelectionRef targetGUID=\"{selg}\"/>");
            }
            let _ = writeln!(xml, "    </Case>");
        }
        xml.push_str("  </Cases>\n");
    }
}

/// Zips the parts (deflated).
pub fn zip(parts: &[(String, String)]) -> Result<Vec<u8>, ExportError> {
    let pack = |e: zip::result::ZipError| ExportError::Pack(e.to_string());
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o600);
    for (name, text) in parts {
        w.start_file(name.as_str(), opts).map_err(pack)?;
        w.write_all(text.as_bytes())
            .map_err(|e| ExportError::Pack(e.to_string()))?;
    }
    Ok(w.finish().map_err(pack)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_stable_and_well_formed() {
        let a = guid("F2F", "code", "Safety");
        assert_eq!(a, guid("F2F", "code", "Safety"));
        assert_ne!(a, guid("F2F", "code", "Waiting"));
        let re = regex::Regex::new(
            "^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
        )
        .unwrap();
        assert!(re.is_match(&a), "{a}");
    }

    #[test]
    fn xml_text_is_escaped() {
        assert_eq!(x("a<b & \"c\"\u{1b}"), "a&lt;b &amp; &quot;c&quot; ");
    }
}
