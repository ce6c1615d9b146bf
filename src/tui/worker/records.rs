//! Record reviews and the disclosures log, for the worker.

use fieldnotes::app::{self, AppError, NewDisclosure, NewSession};
use fieldnotes::model::RecordReview;
use fieldnotes::vault::Vault;

use super::{Reply, clock, open_session};

/// What the app asks of the vault about record reviews and disclosures.
pub enum RecordsRequest {
    /// Create a record review, then open it.
    AddReview(NewSession, RecordReview),
    /// Change a record review's record and what it read.
    UpdateReview(i64, NewSession, RecordReview),
    /// A project's disclosures log.
    Disclosures(String),
    /// Record a disclosure in a project's log.
    AddDisclosure(String, NewDisclosure),
}

pub(super) fn handle(v: &Vault, r: RecordsRequest) -> Result<Reply, AppError> {
    Ok(match r {
        RecordsRequest::AddReview(s, review) => {
            let id = app::sessions::add_review(v, clock(), s, review)?;
            open_session(v, id)?
        }
        RecordsRequest::UpdateReview(id, s, review) => {
            let project = s.project.clone();
            app::sessions::update_review(v, id, s, review)?;
            Reply::Sessions(project.clone(), app::sessions::list(v, Some(&project))?)
        }
        RecordsRequest::Disclosures(p) => disclosures(v, p)?,
        RecordsRequest::AddDisclosure(p, d) => {
            app::disclosures::add(v, Some(&p), d)?;
            disclosures(v, p)?
        }
    })
}

fn disclosures(v: &Vault, project: String) -> Result<Reply, AppError> {
    let list = app::disclosures::list(v, Some(&project))?;
    Ok(Reply::Disclosures(project, list))
}
