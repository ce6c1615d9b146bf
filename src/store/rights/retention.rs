//! Retention: sessions past their project's retention period, and paper originals still to
//! destroy.

use serde::Serialize;

use super::{ErasureReport, Rewriter};
use crate::model::{Participant, Source};
use crate::store::error::no_participant;
use crate::store::{Result, Store};

/// A session due for destruction, or a paper original still to destroy.
#[derive(Debug, Clone, Serialize)]
pub struct RetentionItem {
    /// Project name.
    pub project: String,
    /// Session id.
    pub session_id: i64,
    /// Session title.
    pub title: String,
    /// The session's date (or the day it was recorded).
    pub date: String,
    /// When its retention period ends (or ended).
    pub due: String,
    /// Past its retention date.
    pub overdue: bool,
    /// A paper original not yet recorded as destroyed.
    pub paper_pending: bool,
}

/// Adds `months` to a `YYYY-MM-DD` date, keeping the day where the month has it.
pub fn add_months(date: &str, months: u32) -> Option<String> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let d = time::Date::parse(date.get(..10)?, fmt).ok()?;
    let total = d.year() * 12 + i32::from(u8::from(d.month())) - 1 + months as i32;
    let (y, m) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8);
    let month = time::Month::try_from(m).ok()?;
    let day = d.day().min(month.length(y));
    Some(
        time::Date::from_calendar_date(y, month, day)
            .ok()?
            .to_string(),
    )
}

impl Store {
    /// Sessions past their project's retention period (`today` is YYYY-MM-DD), and paper
    /// originals not yet recorded as destroyed.
    pub fn retention(&self, project: Option<&str>, today: &str) -> Result<Vec<RetentionItem>> {
        let projects = match project {
            Some(p) => vec![self.project(p)?],
            None => self.projects()?,
        };
        let mut out = Vec::new();
        for p in projects {
            for s in self.sessions(Some(&p.name))? {
                let created: String = self.session_stamp(s.id)?.unwrap_or_default();
                let date = s
                    .date
                    .clone()
                    .unwrap_or_else(|| created.get(..10).unwrap_or_default().to_owned());
                let due = p
                    .retention_months
                    .and_then(|m| add_months(&date, m))
                    .unwrap_or_default();
                let overdue = !due.is_empty() && due.as_str() <= today;
                let paper_pending = s.source == Source::Paper && s.paper.destroyed_on.is_none();
                if overdue || paper_pending {
                    out.push(RetentionItem {
                        project: p.name.clone(),
                        session_id: s.id,
                        title: s.title,
                        date,
                        due,
                        overdue,
                        paper_pending,
                    });
                }
            }
        }
        out.sort_by(|a, b| (&a.due, a.session_id).cmp(&(&b.due, b.session_id)));
        Ok(out)
    }

    /// Erases every session past its retention date, then the real names of participants
    /// left with no session. Each erasure goes in the ledger.
    pub fn apply_retention(
        &self,
        project: Option<&str>,
        today: &str,
        names: &dyn Rewriter,
    ) -> Result<ErasureReport> {
        let mut report = ErasureReport::default();
        let due: Vec<RetentionItem> = self
            .retention(project, today)?
            .into_iter()
            .filter(|i| i.overdue)
            .collect();
        for item in &due {
            report.add(self.erase_session(item.session_id, "retention")?);
        }
        let mut projects: Vec<&str> = due.iter().map(|i| i.project.as_str()).collect();
        projects.dedup();
        for p in projects {
            let orphans: Vec<Participant> = self
                .participants_of_project(p)?
                .into_iter()
                .filter(|x| x.real_name.is_some())
                .collect();
            for x in orphans {
                let sessions: i64 = self.conn.query_row(
                    "SELECT count(*) FROM session_participant WHERE participant_id = ?1",
                    [x.id],
                    |r| r.get(0),
                )?;
                if sessions == 0 {
                    let stamp = self
                        .participant_stamp(x.id)?
                        .ok_or_else(|| no_participant(&x.pseudonym, p))?;
                    let tx = self.conn.unchecked_transaction()?;
                    report.add(self.withdraw_in_tx(&x, "retention", names)?);
                    self.record_erasure("participant", x.id, &stamp, "retention")?;
                    tx.commit()?;
                }
            }
        }
        self.scrub()?;
        Ok(report)
    }
}
