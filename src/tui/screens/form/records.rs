//! Forms of record reviews and the disclosures log: a new (or edited) record review, a
//! subject of the records read, and a disclosure.

use super::{Form, FormKind, Typed, field};
use crate::tui::worker::{RecordsRequest, Request};
use fieldnotes::app::{NewDisclosure, NewParticipant, NewSession};
use fieldnotes::model::{self, PaperOrigin, RecordReview, Session, SessionKind, Source};

impl Form {
    /// A new record review of `project`: what was read, from which system, which period.
    pub fn review(project: &str, today: &str) -> Self {
        Self::with(
            FormKind::NewReview(project.to_owned()),
            "New record review",
            vec![
                field("Title", "", "e.g. Incident reports, Civic Centre desk"),
                field("Date", today, "The day of the review, YYYY-MM-DD."),
                field(
                    "Source system",
                    "",
                    "Where the records come from: e.g. CRM, incident reports, Housing Needs.",
                ),
                field(
                    "Record reference",
                    "",
                    "The record's reference in that system: kept in the vault, never exported.",
                ),
                field(
                    "Records from",
                    "",
                    "First day of the period read, YYYY-MM-DD.",
                ),
                field("Records to", "", "Last day of the period read, YYYY-MM-DD."),
                field(
                    "Sampling",
                    "",
                    "How the records were chosen, e.g. every incident in March.",
                ),
            ],
        )
    }

    /// An existing record review's details.
    pub fn review_edit(x: &Session) -> Self {
        let mut f = Self::review(&x.project, "");
        f.kind = FormKind::EditReview(x.id, x.project.clone());
        f.title = "Edit the record review";
        let r = x.review.clone().unwrap_or_default();
        let values = [
            x.title.clone(),
            x.date.clone().unwrap_or_default(),
            r.system,
            r.record_ref.unwrap_or_default(),
            r.from.unwrap_or_default(),
            r.to.unwrap_or_default(),
            r.sampling.unwrap_or_default(),
        ];
        for (field, v) in f.fields.iter_mut().zip(values) {
            field.value = Typed::new(&v);
        }
        f
    }

    /// A subject of the records a review reads: name and description, no consent (the
    /// project's lawful basis covers them).
    pub fn subject(session_id: i64) -> Self {
        Self::with(
            FormKind::NewSubject(session_id),
            "New subject of the records",
            vec![
                field(
                    "Name",
                    "",
                    "Kept only inside the vault; the screen shows their pseudonym.",
                ),
                field(
                    "Role or description",
                    "",
                    "e.g. tenant, visitor to the Civic Centre. No consent is asked: the project's lawful basis applies.",
                ),
            ],
        )
    }

    /// A disclosure of `project`: data passed to another team or organisation.
    pub fn disclosure(project: &str, today: &str) -> Self {
        Self::with(
            FormKind::NewDisclosure(project.to_owned()),
            "Record a disclosure",
            vec![
                field(
                    "Shared on",
                    today,
                    "The day the data was passed on, YYYY-MM-DD.",
                ),
                field(
                    "Shared with",
                    "",
                    "The team or organisation, e.g. CRM team.",
                ),
                field(
                    "What was shared",
                    "",
                    "The categories of data, e.g. names and visit times of 12 people.",
                ),
                field("Lawful basis", "", "e.g. 6(1)(e) public task"),
                field("How it was sent", "", "e.g. encrypted email"),
            ],
        )
    }

    /// The request a record review's, subject's or disclosure's form makes.
    pub(super) fn build_record(&self) -> Result<Request, String> {
        match &self.kind {
            FormKind::NewReview(project) | FormKind::EditReview(_, project) => {
                let date = self.value(1).map(|d| model::parse_date(&d)).transpose()?;
                let session = NewSession {
                    project: project.clone(),
                    kind: SessionKind::Review,
                    title: self.value(0).ok_or("a record review needs a title")?,
                    date,
                    location: None,
                    source: Source::Live,
                    paper: PaperOrigin::default(),
                    facilitators: Vec::new(),
                };
                let review = RecordReview {
                    system: self
                        .value(2)
                        .ok_or("name the system the records come from, e.g. CRM")?,
                    record_ref: self.value(3),
                    from: self.value(4).map(|d| model::parse_date(&d)).transpose()?,
                    to: self.value(5).map(|d| model::parse_date(&d)).transpose()?,
                    sampling: self.value(6),
                };
                if let (Some(a), Some(b)) = (&review.from, &review.to)
                    && a > b
                {
                    return Err(format!("the period read ends ({b}) before it starts ({a})"));
                }
                Ok(Request::Records(match &self.kind {
                    FormKind::EditReview(id, _) => {
                        RecordsRequest::UpdateReview(*id, session, review)
                    }
                    _ => RecordsRequest::AddReview(session, review),
                }))
            }
            FormKind::NewSubject(session_id) => Ok(Request::AddParticipant {
                session_id: *session_id,
                participant: NewParticipant {
                    real_name: self.value(0).ok_or("a subject needs a name")?,
                    role: self.value(1),
                    subject: true,
                    ..NewParticipant::default()
                },
            }),
            FormKind::NewDisclosure(project) => {
                let shared_on = self.value(0).ok_or("give the day it was shared")?;
                let need = |i: usize, what: &str| self.value(i).ok_or(format!("give {what}"));
                Ok(Request::Records(RecordsRequest::AddDisclosure(
                    project.clone(),
                    NewDisclosure {
                        shared_on: model::parse_date(&shared_on)?,
                        recipient: need(1, "the team or organisation it went to")?,
                        what: need(2, "what was shared")?,
                        lawful_basis: need(3, "the lawful basis")?,
                        method: need(4, "how it was sent")?,
                    },
                )))
            }
            _ => Err("this form saves nothing".into()),
        }
    }
}
