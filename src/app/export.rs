//! Exports: anonymise a project's notes for the date the clock gives, review every
//! substitution, then write the file past the leak guard and audit it.

use std::path::Path;

use super::{AppError, Clock, Result};
use crate::export::{ExportError, Format, Prepared, Scope};
use crate::outfile::Plan;
use crate::vault::Vault;

/// Anonymises what `scope` names as of now (dated today, local), with every substitution
/// made, for review or writing. It only reads.
pub fn prepare(v: &Vault, clock: &dyn Clock, scope: &Scope) -> Result<Prepared> {
    Ok(crate::export::prepare_at(v.store(), scope, clock.now())?)
}

/// Renders `prepared` as `format`, encrypts it to `recipients` when there are any and writes
/// it to `path` (an existing file only when `overwrite`), with its audit event; a refusal by
/// the leak guard is audited too, and nothing is written. `scope` is what [`prepare`] was
/// given. Says how the path was written.
///
/// The export writes its own event ([`Prepared::write`]): the file carries the anchor of
/// that event, which is fixed before the file is rendered and kept only once it is written.
pub fn write(
    v: &Vault,
    prepared: &mut Prepared,
    scope: &Scope,
    format: Format,
    path: &Path,
    recipients: &[crate::vault::keys::Recipient],
    overwrite: bool,
) -> Result<Plan> {
    prepared
        .write(v, scope, format, path, recipients, overwrite)
        .map_err(|e| match e {
            ExportError::Output(o) => AppError::Output(o),
            other => AppError::Export(other),
        })
}
