//! Topic guides: imported from Markdown or written in the app, followed in a live interview
//! (each note can answer the question that was current), and covered question by question.

use super::{Action, AppError, Result, audited};
use crate::guide::{self, GuideItem};
use crate::model::{GuideQuestion, GuideSummary, GuideVersion, SessionKind};
use crate::vault::Vault;

/// What saving a guide did.
#[derive(Debug, Clone)]
pub struct Saved {
    /// The version now current.
    pub version: GuideVersion,
    /// Whether it is a new version (false: the questions were already the latest's).
    pub new_version: bool,
    /// Paragraphs outside lists that were not taken as questions.
    pub skipped: usize,
}

/// The name a guide gets when none is given and its text has no title.
pub const DEFAULT_NAME: &str = "Topic guide";

/// Imports (or re-imports) a guide from Markdown: headings are sections, list items
/// questions, nested items prompts. The name is `name`, else the document's title, else
/// [`DEFAULT_NAME`]; a guide of that name gets a new version when its questions changed.
pub fn import(
    v: &Vault,
    project: Option<&str>,
    name: Option<&str>,
    kind: Option<SessionKind>,
    markdown: &str,
) -> Result<Saved> {
    let parsed = guide::parse_markdown(markdown).map_err(|e| AppError::Guide(e.to_string()))?;
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .or(parsed.title)
        .unwrap_or_else(|| DEFAULT_NAME.to_owned());
    let mut saved = save(v, project, &name, kind, &parsed.items)?;
    saved.skipped = parsed.skipped;
    Ok(saved)
}

/// Saves a guide's questions as written in the app: a new version when they changed.
pub fn save(
    v: &Vault,
    project: Option<&str>,
    name: &str,
    kind: Option<SessionKind>,
    items: &[GuideItem],
) -> Result<Saved> {
    if items.is_empty() {
        return Err(AppError::Guide(guide::GuideError::NoQuestions.to_string()));
    }
    let project = super::projects::resolve(v, project)?.name;
    let name = guide::clean(name);
    if name.chars().count() > guide::MAX_TEXT_CHARS {
        return Err(AppError::Guide(format!(
            "a guide's name is at most {} characters",
            guide::MAX_TEXT_CHARS
        )));
    }
    audited(v, Action::GuideSave, || {
        let (version, new_version) = v.store().guide_save(&project, &name, kind, items)?;
        let detail = format!(
            "project {project}: guide {} version {} ({} questions{})",
            version.guide_id,
            version.number,
            version.questions.len(),
            if new_version { "" } else { ", unchanged" }
        );
        Ok((
            Saved {
                version,
                new_version,
                skipped: 0,
            },
            detail,
        ))
    })
}

/// A project's guides.
pub fn list(v: &Vault, project: Option<&str>) -> Result<Vec<GuideSummary>> {
    let project = super::projects::resolve(v, project)?.name;
    Ok(v.store().guide_list(&project)?)
}

/// A guide's version (`None`: its latest).
pub fn show(
    v: &Vault,
    project: Option<&str>,
    name: &str,
    number: Option<i64>,
) -> Result<GuideVersion> {
    let project = super::projects::resolve(v, project)?.name;
    Ok(v.store().guide_version(&project, name, number)?)
}

/// A guide version as Markdown, to edit and import again.
pub fn markdown(version: &GuideVersion) -> String {
    guide::to_markdown(&version.guide, &items_of(&version.questions))
}

/// A version's questions as items to edit and save again.
pub fn items_of(questions: &[GuideQuestion]) -> Vec<GuideItem> {
    questions
        .iter()
        .map(|q| GuideItem {
            section: q.section.clone(),
            text: q.text.clone(),
            prompts: q.prompts.clone(),
        })
        .collect()
}

/// The guide a session follows (see [`crate::store::Store::session_guide`]).
pub fn of_session(v: &Vault, session_id: i64) -> Result<Option<GuideVersion>> {
    Ok(v.store().session_guide(session_id)?)
}

/// Makes a session follow a guide's latest version (`None`: the project's default again).
pub fn choose_for_session(v: &Vault, session_id: i64, name: Option<&str>) -> Result<()> {
    let s = v.store();
    let version = match name {
        Some(name) => {
            let session = s.session(session_id)?;
            Some(s.guide_version(&session.project, name, None)?.id)
        }
        None => None,
    };
    Ok(s.session_guide_set(session_id, version)?)
}

/// Links a note to the question it answers (`None`: to none). Only the vault that typed
/// a note changes it.
pub fn answer(v: &Vault, note_id: i64, question_id: Option<i64>) -> Result<()> {
    super::notes::own(v, note_id)?;
    Ok(v.store().note_set_question(note_id, question_id)?)
}

/// The id of question number `n` of the guide a session follows.
pub fn question_at(v: &Vault, session_id: i64, n: i64) -> Result<i64> {
    let guide = of_session(v, session_id)?.ok_or(AppError::Guide(
        "this session's project has no topic guide: import one with `fieldnotes guide import FILE`"
            .into(),
    ))?;
    let count = guide.questions.len();
    guide
        .questions
        .into_iter()
        .find(|q| q.position == n)
        .map(|q| q.id)
        .ok_or_else(|| {
            AppError::Guide(format!(
                "the session's guide has questions 1 to {count}, not {n} (see `fieldnotes guide show --session {session_id}`)"
            ))
        })
}

/// Each question of the session's guide with how many of its notes answer it.
pub fn coverage(v: &Vault, session_id: i64) -> Result<Vec<(GuideQuestion, usize)>> {
    Ok(v.store().session_coverage(session_id)?)
}

#[cfg(test)]
mod tests {
    use super::super::{notes, projects, sessions};
    use super::*;
    use crate::model::{PaperOrigin, Source};
    use crate::store::{NewProject, NewSession};

    const V1: &str = "# Desk staff\n\n## Arriving\n\n- What happens at the desk?\n  - Who is first?\n- How long is the wait?\n\n## Help\n\n- What would help?\n";

    fn setup() -> (tempfile::TempDir, Vault, crate::app::FixedClock) {
        let (tmp, v) = crate::app::tests::vault();
        projects::add(
            &v,
            NewProject {
                name: "F2F".into(),
                ..Default::default()
            },
        )
        .unwrap();
        (tmp, v, crate::app::tests::clock())
    }

    fn session(v: &Vault, clock: &crate::app::FixedClock, kind: SessionKind) -> i64 {
        sessions::add(
            v,
            clock,
            NewSession {
                project: "F2F".into(),
                kind,
                title: "Front desk".into(),
                date: None,
                location: None,
                source: Source::Live,
                paper: PaperOrigin::default(),
                facilitators: Vec::new(),
            },
        )
        .unwrap()
    }

    fn note(v: &Vault, clock: &crate::app::FixedClock, sid: i64, q: Option<i64>) -> i64 {
        notes::add(
            v,
            clock,
            notes::NoteInput {
                session_id: sid,
                text: "It was a long wait".into(),
                question_id: q,
                ..Default::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn an_imported_guide_is_versioned_only_when_it_changes() {
        let (_t, v, _c) = setup();
        let a = import(&v, Some("F2F"), None, None, V1).unwrap();
        assert!(a.new_version);
        assert_eq!(a.version.guide, "Desk staff");
        assert_eq!(a.version.number, 1);
        assert_eq!(a.version.questions.len(), 3);
        assert_eq!(a.version.questions[0].prompts, ["Who is first?"]);
        let again = import(&v, Some("F2F"), None, None, V1).unwrap();
        assert!(
            !again.new_version,
            "the same questions are the same version"
        );
        assert_eq!(again.version.id, a.version.id);
        let b = import(
            &v,
            Some("F2F"),
            None,
            None,
            &V1.replace("What would help?", "What would have helped?"),
        )
        .unwrap();
        assert!(b.new_version);
        assert_eq!(b.version.number, 2);
        let listed = list(&v, Some("F2F")).unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!((listed[0].latest, listed[0].questions), (2, 3));
        assert_eq!(
            show(&v, Some("F2F"), "Desk staff", Some(1)).unwrap().id,
            a.version.id
        );
        let back = crate::guide::parse_markdown(&markdown(&b.version)).unwrap();
        assert_eq!(back.items, items_of(&b.version.questions));
        let e = import(&v, Some("F2F"), None, None, "just prose").unwrap_err();
        assert!(e.to_string().contains("no questions found"), "{e}");
        let events = v.store().audit_events().unwrap();
        assert_eq!(
            events.iter().filter(|e| e.action == "guide save").count(),
            3,
            "each save is audited, unchanged or not"
        );
    }

    #[test]
    fn a_session_keeps_the_version_its_notes_answer() {
        let (_t, v, c) = setup();
        let v1 = import(&v, Some("F2F"), None, None, V1).unwrap().version;
        let sid = session(&v, &c, SessionKind::Interview);
        let q = v1.questions[1].id;
        note(&v, &c, sid, Some(q));
        note(&v, &c, sid, Some(q));
        note(&v, &c, sid, None);
        let v2 = import(&v, Some("F2F"), None, None, &V1.replace("wait?", "queue?"))
            .unwrap()
            .version;
        assert_eq!(of_session(&v, sid).unwrap().unwrap().id, v1.id);
        let counts: Vec<usize> = coverage(&v, sid).unwrap().iter().map(|x| x.1).collect();
        assert_eq!(counts, [0, 2, 0]);
        // a new session follows the new version, and a question of the old one is refused
        let later = session(&v, &c, SessionKind::Interview);
        assert_eq!(of_session(&v, later).unwrap().unwrap().id, v2.id);
        let e = notes::add(
            &v,
            &c,
            notes::NoteInput {
                session_id: later,
                text: "x".into(),
                question_id: Some(q),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("not in the topic guide"), "{e}");
        // the first session cannot be moved off the version its notes answer
        let e = choose_for_session(&v, sid, None).unwrap_err();
        assert!(e.to_string().contains("2 notes"), "{e}");
    }

    #[test]
    fn a_guide_for_a_session_kind_is_chosen_before_the_projects_own() {
        let (_t, v, c) = setup();
        import(&v, Some("F2F"), Some("Everyone"), None, V1).unwrap();
        let w = import(
            &v,
            Some("F2F"),
            Some("Workshops"),
            Some(SessionKind::Workshop),
            "- Which idea first?\n",
        )
        .unwrap()
        .version;
        let ws = session(&v, &c, SessionKind::Workshop);
        let iv = session(&v, &c, SessionKind::Interview);
        assert_eq!(of_session(&v, ws).unwrap().unwrap().id, w.id);
        assert_eq!(of_session(&v, iv).unwrap().unwrap().guide, "Everyone");
        choose_for_session(&v, iv, Some("Workshops")).unwrap();
        assert_eq!(of_session(&v, iv).unwrap().unwrap().id, w.id);
        let n = note(&v, &c, iv, None);
        answer(&v, n, Some(w.questions[0].id)).unwrap();
        assert_eq!(
            notes::get(&v, n).unwrap().question_id,
            Some(w.questions[0].id)
        );
        answer(&v, n, None).unwrap();
        assert_eq!(notes::get(&v, n).unwrap().question_id, None);
    }
}
