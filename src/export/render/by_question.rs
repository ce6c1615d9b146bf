//! A session's notes grouped by the topic guide questions they answer, for reports made
//! with the by-question option: the guide's sections and questions in its order (those
//! with notes), then the notes answering none.

use crate::export::{QuestionOut, SessionSummary, Summary};

/// The heading of the notes that answer no question.
pub(super) const NOT_LINKED: &str = "Not linked to a question";

/// One group of a session's notes.
pub(super) struct Group<'a> {
    /// A section heading to show before the group (when it starts a new section).
    pub section: Option<&'a str>,
    /// The question answered (`None`: the notes answering none).
    pub question: Option<&'a QuestionOut>,
    /// The notes: (number in the session, from 1; index into the summary's excerpts).
    pub notes: Vec<(usize, usize)>,
}

/// The session's notes by question, or `None` when the report is not grouped or the session
/// follows no guide (its notes are then listed as they came).
pub(super) fn groups<'a>(s: &'a Summary, ss: &SessionSummary) -> Option<Vec<Group<'a>>> {
    if !s.by_question {
        return None;
    }
    let guide = s.guides.iter().find(|g| Some(g.id) == ss.guide_version)?;
    let numbered: Vec<(usize, usize)> = ss
        .excerpts
        .iter()
        .enumerate()
        .map(|(k, &i)| (k + 1, i))
        .collect();
    let answers = |id: Option<i64>| {
        numbered
            .iter()
            .copied()
            .filter(|&(_, i)| s.excerpts[i].question.as_ref().map(|q| q.id) == id)
            .collect::<Vec<_>>()
    };
    let mut out: Vec<Group<'a>> = Vec::new();
    let mut section: Option<&str> = None;
    for q in &guide.questions {
        let notes = answers(Some(q.id));
        if notes.is_empty() {
            continue;
        }
        let new_section = (section != Some(q.section.as_str()) && !q.section.is_empty())
            .then_some(q.section.as_str());
        section = Some(q.section.as_str());
        out.push(Group {
            section: new_section,
            question: Some(q),
            notes,
        });
    }
    let asked: Vec<i64> = guide.questions.iter().map(|q| q.id).collect();
    let rest: Vec<(usize, usize)> = numbered
        .iter()
        .copied()
        .filter(|&(_, i)| {
            s.excerpts[i]
                .question
                .as_ref()
                .is_none_or(|q| !asked.contains(&q.id))
        })
        .collect();
    if !rest.is_empty() {
        out.push(Group {
            section: None,
            question: None,
            notes: rest,
        });
    }
    Some(out)
}
