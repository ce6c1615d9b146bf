//! Quotes awaiting approval, as the worker answers for the app's quotes screen.

use fieldnotes::app::{self, AppError, Clock};
use fieldnotes::vault::Vault;

use super::Reply;

/// The project's quotes awaiting approval, with a message for the status line.
pub(super) fn pending(v: &Vault, project: String, msg: Option<String>) -> Result<Reply, AppError> {
    let list = app::quotes::pending(v, Some(&project))?;
    Ok(Reply::Quotes(project, list, msg))
}

/// Records an approval on the day typed, then lists what still waits.
pub(super) fn approve(
    v: &Vault,
    clock: &dyn Clock,
    project: String,
    note_id: i64,
    on: &str,
) -> Result<Reply, AppError> {
    let a = app::quotes::approve(v, clock, note_id, Some(on))?;
    let msg = format!(
        "Note {} approved by {} on {}: exports quote its words until it is edited.",
        a.note_id,
        fieldnotes::text::for_terminal(&a.speaker, false),
        a.on
    );
    pending(v, project, Some(msg))
}
