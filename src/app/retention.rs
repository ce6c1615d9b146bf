//! Retention: sessions past their project's retention period, and erasing them.

use super::{Clock, Result, audited};
use crate::audit::Action;
use crate::mentions::AnonymiserNames;
use crate::store::{ErasureReport, RetentionItem};
use crate::vault::Vault;

/// Sessions due under the schedule today (local), and paper originals still to destroy, of
/// one project or all.
pub fn list(v: &Vault, clock: &dyn Clock, project: Option<&str>) -> Result<Vec<RetentionItem>> {
    Ok(v.store().retention(project, &clock.today())?)
}

/// How many sessions are past their retention date today.
pub fn due_count(v: &Vault, clock: &dyn Clock) -> Result<usize> {
    Ok(list(v, clock, None)?.iter().filter(|i| i.overdue).count())
}

/// What applying retention did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Each project with sessions erased, with what was erased in it.
    pub projects: Vec<(String, ErasureReport)>,
    /// Everything erased, all projects together.
    pub total: ErasureReport,
}

/// Erases every session past its retention date today (local), of one project or all, with
/// one audit event per project carrying that project's counts.
pub fn apply(v: &Vault, clock: &dyn Clock, project: Option<&str>) -> Result<Applied> {
    let _readers = v.keep_readers_out()?;
    let today = clock.today();
    let mut due: Vec<String> = list(v, clock, project)?
        .into_iter()
        .filter(|i| i.overdue)
        .map(|i| i.project)
        .collect();
    // the list is in date order, so one project's sessions need not be adjacent
    due.sort();
    due.dedup();
    let mut applied = Applied::default();
    for p in due {
        let report = audited(v, Action::Retention, || {
            let report = v
                .store()
                .apply_retention(Some(&p), &today, &AnonymiserNames)?;
            let detail = format!("project {p}: {}", report.describe());
            Ok((report, detail))
        })?;
        add(&mut applied.total, &report);
        applied.projects.push((p, report));
    }
    Ok(applied)
}

fn add(total: &mut ErasureReport, r: &ErasureReport) {
    total.notes_erased += r.notes_erased;
    total.mentions_replaced += r.mentions_replaced;
    total.sessions_erased += r.sessions_erased;
    total.names_erased += r.names_erased;
    total.drafts_erased += r.drafts_erased;
}
