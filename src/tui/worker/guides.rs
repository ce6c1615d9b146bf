//! The worker's side of topic guides: the guide an opened session follows, a project's
//! guides, importing and saving them, and linking notes to questions.

use std::path::PathBuf;

use fieldnotes::app::{self, AppError};
use fieldnotes::model::{GuideSummary, GuideVersion, SessionKind};
use fieldnotes::vault::Vault;

use super::Reply;

/// What the app asks about topic guides.
#[derive(Debug)]
pub enum GuideRequest {
    /// A project's guides.
    List(String),
    /// Import a Markdown file into a project.
    ImportFile {
        /// Project.
        project: String,
        /// The file.
        path: PathBuf,
    },
    /// Save a guide written in the app's text box.
    SaveText {
        /// Project.
        project: String,
        /// The guide's name (`None`: the text's `# title`).
        name: Option<String>,
        /// The session kind it is for.
        kind: Option<SessionKind>,
        /// The guide as Markdown.
        markdown: String,
    },
    /// The latest version of a guide as Markdown, to edit in the app.
    Edit {
        /// Project.
        project: String,
        /// Guide name.
        name: String,
    },
    /// Make a session follow a guide.
    Follow {
        /// Project.
        project: String,
        /// The session.
        session_id: i64,
        /// Its title, for the message.
        title: String,
        /// Guide name.
        name: String,
    },
    /// Link a note to a question (`None`: unlink it).
    Answer {
        /// Note.
        note: i64,
        /// Question.
        question: Option<i64>,
    },
}

/// What the worker answers about topic guides.
#[derive(Debug)]
pub enum GuideReply {
    /// The guide a session follows (`None`: its project has none).
    Session(i64, Option<Box<GuideVersion>>),
    /// A project's guides, with a message about what was just done.
    List {
        /// Project.
        project: String,
        /// Its guides.
        guides: Vec<GuideSummary>,
        /// What was done.
        message: Option<String>,
    },
    /// A guide to edit in the app's text box.
    Text {
        /// Its name (`None`: a new guide).
        name: Option<String>,
        /// The session kind it is for.
        kind: Option<SessionKind>,
        /// Its Markdown.
        markdown: String,
    },
}

/// The guide a session follows, as a reply.
pub fn of_session(v: &Vault, session_id: i64) -> Reply {
    match app::guides::of_session(v, session_id) {
        Ok(g) => Reply::Guide(GuideReply::Session(session_id, g.map(Box::new))),
        Err(e) => Reply::Failed(format!("The topic guide could not be loaded: {e}")),
    }
}

/// Runs one guide request.
pub fn handle(v: &Vault, req: GuideRequest) -> Result<Reply, AppError> {
    Ok(match req {
        GuideRequest::List(project) => list(v, project, None)?,
        GuideRequest::ImportFile { project, path } => {
            let text = read(&path)?;
            let saved = app::guides::import(v, Some(&project), None, None, &text)?;
            list(v, project, Some(saved_message("Imported", &saved)))?
        }
        GuideRequest::SaveText {
            project,
            name,
            kind,
            markdown,
        } => {
            let saved = app::guides::import(v, Some(&project), name.as_deref(), kind, &markdown)?;
            list(v, project, Some(saved_message("Saved", &saved)))?
        }
        GuideRequest::Edit { project, name } => {
            let version = app::guides::show(v, Some(&project), &name, None)?;
            Reply::Guide(GuideReply::Text {
                name: Some(version.guide.clone()),
                kind: version.session_kind,
                markdown: app::guides::markdown(&version),
            })
        }
        GuideRequest::Follow {
            project,
            session_id,
            title,
            name,
        } => {
            app::guides::choose_for_session(v, session_id, Some(&name))?;
            let message = format!(
                "“{}” now follows the guide “{}” (its latest version).",
                fieldnotes::text::for_terminal(&title, false),
                fieldnotes::text::for_terminal(&name, false)
            );
            list(v, project, Some(message))?
        }
        GuideRequest::Answer { note, question } => {
            app::guides::answer(v, note, question)?;
            Reply::NoteChanged(Box::new(app::notes::get(v, note)?))
        }
    })
}

/// Reads a guide file, no more of it than a guide can be (the import then says it is
/// too large).
fn read(path: &std::path::Path) -> Result<String, AppError> {
    use std::io::Read;
    let shown = fieldnotes::text::for_terminal(&path.display().to_string(), false);
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            f.take(fieldnotes::guide::MAX_GUIDE_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .map_err(|e| {
            AppError::Guide(format!(
                "could not read {shown}: {e}; check the path (a relative path starts in the folder the app was started from)"
            ))
        })?;
    String::from_utf8(bytes).map_err(|_| {
        AppError::Guide(format!(
            "{shown} is not UTF-8 text: save it as UTF-8 Markdown (.md) and import it again"
        ))
    })
}

fn list(v: &Vault, project: String, message: Option<String>) -> Result<Reply, AppError> {
    let guides = app::guides::list(v, Some(&project))?;
    Ok(Reply::Guide(GuideReply::List {
        project,
        guides,
        message,
    }))
}

/// "Saved “Desk staff” as version 2 (12 questions)", or that nothing changed.
fn saved_message(verb: &str, saved: &app::guides::Saved) -> String {
    let g = &saved.version;
    let name = fieldnotes::text::for_terminal(&g.guide, false);
    let mut m = if saved.new_version {
        format!(
            "{verb} “{name}” as version {} ({} questions).",
            g.number,
            g.questions.len()
        )
    } else {
        format!(
            "“{name}” is unchanged: its questions are those of version {}, so no new version was made.",
            g.number
        )
    };
    if saved.skipped > 0 {
        m.push_str(&format!(
            " {} paragraph(s) outside lists were not taken as questions: write questions as list items (- …).",
            saved.skipped
        ));
    }
    m
}
