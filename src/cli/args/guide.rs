//! `fieldnotes guide …` arguments.

use std::path::PathBuf;

use clap::Subcommand;
use fieldnotes::model::SessionKind;

/// `guide …`
#[derive(Debug, Subcommand)]
pub enum GuideCmd {
    /// Import a topic guide from a Markdown file: headings are sections, list items are
    /// questions, items indented under a question are its prompts. Importing a changed file
    /// again makes a new version; sessions keep the version they used.
    Import {
        /// The Markdown file (`-` for standard input).
        file: PathBuf,
        /// The project [default: the only one].
        #[arg(long)]
        project: Option<String>,
        /// The guide's name [default: the file's `# Title`, else "Topic guide"].
        #[arg(long)]
        name: Option<String>,
        /// Only for this kind of session: interview, workshop or review [default: every kind].
        #[arg(long)]
        kind: Option<SessionKind>,
    },
    /// List the project's topic guides.
    List {
        /// The project [default: the only one].
        #[arg(long)]
        project: Option<String>,
    },
    /// Print a topic guide as Markdown (to edit and import again), or the one a session
    /// follows with how many notes answer each question.
    Show {
        /// The guide's name [default: the project's only guide].
        name: Option<String>,
        /// The project [default: the only one].
        #[arg(long)]
        project: Option<String>,
        /// This version [default: the latest].
        #[arg(long)]
        version: Option<i64>,
        /// The guide this session follows, with its coverage.
        #[arg(long, conflicts_with_all = ["name", "version"])]
        session: Option<i64>,
    },
    /// Make a session follow a guide (its latest version), or the project's default again.
    Use {
        /// Session id.
        session: i64,
        /// The guide's name.
        #[arg(required_unless_present = "default")]
        name: Option<String>,
        /// Follow the project's default guide for the session's kind again.
        #[arg(long, conflicts_with = "name")]
        default: bool,
    },
    /// Link a note to the question of its session's guide that it answers.
    Answer {
        /// Note id.
        note: i64,
        /// The question's number in the guide (as `guide show --session` numbers them).
        #[arg(required_unless_present = "none")]
        question: Option<i64>,
        /// Unlink it from any question.
        #[arg(long, conflicts_with = "question")]
        none: bool,
    },
}
