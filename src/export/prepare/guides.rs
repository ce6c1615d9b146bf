//! Topic guides in an export: every version's sections and questions anonymised once, so a
//! name typed into a question is found, replaced and looked for by the leak guard like any
//! other.

use std::collections::HashMap;

use super::Redactor;
use crate::export::{ExportError, GuideOut, QuestionOut};
use crate::store::Store;

/// Every guide text of a project, for the first pass that finds names in all texts.
pub(super) fn names_in(
    store: &Store,
    project: &str,
    learn: &mut impl FnMut(&str),
) -> Result<(), ExportError> {
    for v in store.project_guide_versions(project)? {
        learn(&v.guide);
        for q in &v.questions {
            learn(&q.section);
            learn(&q.text);
        }
    }
    Ok(())
}

/// Every version of the project's guides, its texts anonymised (each distinct text once).
pub(super) fn anonymised(
    store: &Store,
    project: &str,
    red: &mut Redactor<'_>,
) -> Result<Vec<GuideOut>, ExportError> {
    let mut done: HashMap<(&'static str, String), String> = HashMap::new();
    let mut text = |place: &'static str, raw: &str| {
        done.entry((place, raw.to_owned()))
            .or_insert_with(|| red.text(place, raw))
            .clone()
    };
    let mut out = Vec::new();
    for v in store.project_guide_versions(project)? {
        let name = text("topic guide name", &v.guide);
        let questions = v
            .questions
            .iter()
            .map(|q| QuestionOut {
                id: q.id,
                guide: name.clone(),
                version: v.number,
                number: q.position,
                section: text("topic guide section", &q.section),
                text: text("topic guide question", &q.text),
            })
            .collect();
        out.push(GuideOut {
            id: v.id,
            guide_id: v.guide_id,
            name,
            number: v.number,
            questions,
        });
    }
    Ok(out)
}

/// The questions of the guides by row id.
pub(super) fn questions(guides: &[GuideOut]) -> HashMap<i64, QuestionOut> {
    guides
        .iter()
        .flat_map(|g| g.questions.iter().map(|q| (q.id, q.clone())))
        .collect()
}

/// The guide version a session follows.
pub(super) fn version_of(store: &Store, session_id: i64) -> Result<Option<i64>, ExportError> {
    Ok(store.session_guide(session_id)?.map(|g| g.id))
}
