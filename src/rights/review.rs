//! Record reviews in the reports: what a review about the subject read, and which record
//! references their own access report may hold.

use serde::Serialize;

use super::Redactor;
use crate::model::{Disclosure, Participant, Project, RecordReview, SessionKind};
use crate::store::{Result, Store};

/// What a record review read, as the subject's access report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewRead {
    /// The source system (third parties pseudonymised).
    pub system: String,
    /// The record's reference in that system: about them, so theirs to see.
    pub record_ref: Option<String>,
    /// First day of the period read.
    pub from: Option<String>,
    /// Last day of the period read.
    pub to: Option<String>,
    /// How the records were chosen (third parties pseudonymised).
    pub sampling: Option<String>,
}

/// A record review's details for the access report of one of its subjects.
pub(super) fn shown(r: &RecordReview, red: &mut Redactor) -> ReviewRead {
    ReviewRead {
        system: red.text(&r.system),
        // their own record's reference, shown as stored (the anonymiser would remove it)
        record_ref: r
            .record_ref
            .as_deref()
            .map(|x| crate::text::for_document(x).into_owned()),
        from: r.from.clone(),
        to: r.to.clone(),
        sampling: red.opt(&r.sampling),
    }
}

/// The record references of the record reviews `p` is a subject of.
pub(super) fn own_record_refs(
    store: &Store,
    p: Option<&Participant>,
    project: &Project,
) -> Result<Vec<String>> {
    let Some(p) = p else {
        return Ok(Vec::new());
    };
    let mut refs = Vec::new();
    for s in store.sessions(Some(&project.name))? {
        if s.kind != SessionKind::Review {
            continue;
        }
        let Some(r) = s.review.as_ref().and_then(|r| r.record_ref.clone()) else {
            continue;
        };
        if store
            .participants_of_session(s.id)?
            .iter()
            .any(|x| x.id == p.id)
        {
            refs.push(r);
        }
    }
    Ok(refs)
}

/// A project's disclosures log for the record of processing, its texts anonymised.
pub(super) fn disclosures(
    store: &Store,
    project: &str,
    red: &mut Redactor,
) -> Result<Vec<Disclosure>> {
    Ok(store
        .disclosures(project)?
        .into_iter()
        .map(|d| Disclosure {
            recipient: red.text(&d.recipient),
            what: red.text(&d.what),
            lawful_basis: red.text(&d.lawful_basis),
            method: red.text(&d.method),
            ..d
        })
        .collect())
}
