//! `fieldnotes team …` arguments.

use std::path::PathBuf;

use clap::Subcommand;

/// `team …`
#[derive(Debug, Subcommand)]
pub enum TeamCmd {
    /// Print this vault's team key (age1…): give it to the project's lead, who adds you.
    Id,
    /// Make a project a team project, led from this vault.
    Init {
        /// The project [default: the only one].
        #[arg(long)]
        project: Option<String>,
        /// Your name in the team [default: your researcher name from `settings researcher`].
        #[arg(long)]
        name: Option<String>,
    },
    /// Add a member by their team key (lead only); your next bundle holds the whole project.
    Add {
        /// Their name, as the team knows them.
        name: String,
        /// Their key: the age1… line `fieldnotes team id` prints on their laptop (or an SSH
        /// public key in quotes).
        key: String,
        /// The project [default: the only one].
        #[arg(long)]
        project: Option<String>,
    },
    /// Remove a member (lead only): bundles from now on are not encrypted to them, and every
    /// vault refuses theirs.
    Remove {
        /// Their name or member id.
        name: String,
        /// The project [default: the only one].
        #[arg(long)]
        project: Option<String>,
    },
    /// List the project's team.
    Members {
        /// The project [default: the only one].
        #[arg(long)]
        project: Option<String>,
    },
    /// Write a bundle of everything changed since your last one into a folder (a shared
    /// drive, a USB stick), encrypted to the team's members.
    Send {
        /// The folder to write the bundle into.
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
        /// The project [default: the only one].
        #[arg(long)]
        project: Option<String>,
    },
    /// Apply bundles from other members, in any order, any number of times. A folder means
    /// every bundle in it.
    Receive {
        /// Bundle files, or folders of them.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Accept an invitation: join the project a lead's first bundle brings.
        #[arg(long)]
        join: bool,
    },
    /// What is waiting to be sent, what was received from whom, and edits that clashed.
    Status {
        /// The project [default: the only one].
        #[arg(long)]
        project: Option<String>,
    },
}
