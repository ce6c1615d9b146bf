//! CSV and JSON renderings of an anonymised [`Summary`]: the data a spreadsheet or a script reads.

use super::{Excerpt, ExportError, Summary};

/// A spreadsheet opens a cell starting with `=`, `+`, `-` or `@` as a formula; a leading
/// apostrophe keeps it text.
pub fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// One row per excerpt.
pub fn csv(s: &Summary) -> Result<String, ExportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let pack = |e: csv::Error| ExportError::Pack(e.to_string());
    w.write_record([
        "note_id",
        "session_id",
        "session",
        "session_kind",
        "month",
        "pseudonym",
        "role",
        "themes",
        "kind",
        "votes",
        "cluster",
        "text",
    ])
    .map_err(pack)?;
    for e in &s.excerpts {
        w.write_record([
            e.note_id.to_string(),
            e.session_id.to_string(),
            cell(&e.session),
            e.session_kind.to_string(),
            e.month.clone().unwrap_or_default(),
            e.speaker.clone().unwrap_or_default(),
            cell(e.role.as_deref().unwrap_or_default()),
            cell(&e.themes.join("; ")),
            e.kind.to_string(),
            e.votes.to_string(),
            cell(e.cluster.as_deref().unwrap_or_default()),
            cell(&e.text),
        ])
        .map_err(pack)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ExportError::Pack(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| ExportError::Pack(e.to_string()))
}

/// The project header, counts and one object per excerpt.
pub fn json(s: &Summary) -> Result<String, ExportError> {
    #[derive(serde::Serialize)]
    struct Out<'a> {
        project: &'a super::Header,
        generated_on: &'a str,
        redactions: &'a std::collections::BTreeMap<String, usize>,
        withheld: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        audit_anchor: Option<&'a str>,
        themes: Vec<ThemeOut<'a>>,
        excerpts: &'a [Excerpt],
    }
    #[derive(serde::Serialize)]
    struct ThemeOut<'a> {
        name: &'a str,
        parent: Option<&'a str>,
        description: Option<&'a str>,
        excerpts: usize,
        by_group: &'a [super::GroupCount],
    }
    let out = Out {
        project: &s.project,
        generated_on: &s.generated_on,
        redactions: &s.redactions,
        withheld: s.withheld,
        audit_anchor: s.audit_anchor.as_deref(),
        themes: s
            .themes
            .iter()
            .map(|t| ThemeOut {
                name: &t.name,
                parent: t.parent.as_deref(),
                description: t.description.as_deref(),
                excerpts: t.excerpts.len(),
                by_group: &t.by_group,
            })
            .collect(),
        excerpts: &s.excerpts,
    };
    let mut text =
        serde_json::to_string_pretty(&out).map_err(|e| ExportError::Pack(e.to_string()))?;
    text.push('\n');
    Ok(text)
}
