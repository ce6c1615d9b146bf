//! The export review and writing an export, for the worker.

use fieldnotes::app::{self, AppError};
use fieldnotes::vault::Vault;

use super::{Reply, ReviewData, clock};

pub(super) fn review(v: &Vault, project: &str) -> Result<Reply, AppError> {
    Ok(Reply::ExportReview(Box::new(review_data(v, project)?)))
}

/// Every substitution an export of the project would make.
pub(crate) fn review_data(v: &Vault, project: &str) -> Result<ReviewData, AppError> {
    let scope = fieldnotes::export::Scope {
        project: project.to_owned(),
        ..Default::default()
    };
    let p = app::export::prepare(v, clock(), &scope)?;
    Ok(ReviewData {
        project: project.to_owned(),
        excerpts: p.summary.excerpts.len(),
        withheld: p.summary.withheld,
        quotes: p.summary.quotes.sentences(),
        items: p.review,
    })
}

pub(super) fn export(
    v: &Vault,
    project: &str,
    path: &std::path::Path,
    recipients: &[String],
    overwrite: bool,
) -> Result<Reply, AppError> {
    let format = fieldnotes::export::Format::from_path(path).map_err(AppError::ExportFormat)?;
    let keys = app::keys::parse_public_keys(recipients)?;
    let scope = fieldnotes::export::Scope {
        project: project.to_owned(),
        ..Default::default()
    };
    let mut p = app::export::prepare(v, clock(), &scope)?;
    match app::export::write(v, &mut p, &scope, format, path, &keys, overwrite) {
        Ok(_) => {}
        Err(AppError::Output(fieldnotes::outfile::OutputError::Exists(_))) => {
            return Ok(Reply::ExportExists {
                path: path.to_owned(),
                recipients: recipients.to_vec(),
            });
        }
        Err(e) => return Err(e),
    }
    Ok(Reply::Exported(format!(
        "Exported {} to {}{}",
        fieldnotes::export::count(p.summary.excerpts.len(), "excerpt", "excerpts"),
        path.display(),
        if keys.is_empty() {
            ""
        } else {
            ", encrypted to the recipient"
        }
    )))
}
