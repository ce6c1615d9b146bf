//! Arguments of record reviews (`session add --kind review`, `session edit`) and of the
//! disclosures log (`disclosure …`).

use clap::{Args, Subcommand};

/// What a record review read (`session add --kind review`, `session edit`).
#[derive(Debug, Args, Default)]
pub struct ReviewArgs {
    /// Record reviews: the system the records come from, e.g. CRM, "incident reports",
    /// "Housing Needs".
    #[arg(long, value_name = "SYSTEM")]
    pub system: Option<String>,
    /// Record reviews: the record's reference in that system (kept in the vault, never in an
    /// export).
    #[arg(long, value_name = "REF")]
    pub record_ref: Option<String>,
    /// Record reviews: the first day of the period read, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Record reviews: the last day of the period read, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Record reviews: how the records were chosen, e.g. "every incident at the Civic
    /// Centre desk in March".
    #[arg(long, value_name = "TEXT")]
    pub sampling: Option<String>,
}

impl ReviewArgs {
    /// True when any record review detail is given.
    pub fn any(&self) -> bool {
        [
            &self.system,
            &self.record_ref,
            &self.from,
            &self.to,
            &self.sampling,
        ]
        .iter()
        .any(|o| o.is_some())
    }
}

/// `session edit`
#[derive(Debug, Args)]
pub struct SessionEdit {
    /// Session id.
    pub id: i64,
    /// A new title.
    #[arg(long)]
    pub title: Option<String>,
    /// A new date, YYYY-MM-DD.
    #[arg(long)]
    pub date: Option<String>,
    /// A new location (an empty one clears it).
    #[arg(long)]
    pub location: Option<String>,
    /// What a record review read (an empty value clears it).
    #[command(flatten)]
    pub review: ReviewArgs,
}

/// `disclosure …`
#[derive(Debug, Subcommand)]
pub enum DisclosureCmd {
    /// Record that data was passed to another team or organisation; prints its id.
    Add(DisclosureAdd),
    /// List a project's disclosures, oldest first.
    List {
        /// Project [default: the only project].
        #[arg(long)]
        project: Option<String>,
    },
    /// Correct a disclosure: only the fields given change.
    Edit(DisclosureEdit),
    /// Delete a disclosure recorded by mistake (the audit trail keeps that it was recorded).
    Delete {
        /// Disclosure id, from `disclosure list`.
        id: i64,
        /// Project [default: the only project].
        #[arg(long)]
        project: Option<String>,
    },
}

/// `disclosure add`
#[derive(Debug, Args)]
pub struct DisclosureAdd {
    /// Project [default: the only project].
    #[arg(long)]
    pub project: Option<String>,
    /// When the data was passed on, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub on: String,
    /// The team or organisation it went to, e.g. "CRM team".
    #[arg(long, value_name = "RECIPIENT")]
    pub to: String,
    /// What was shared: the categories of data, e.g. "names and visit times of 12 people".
    #[arg(long, value_name = "TEXT")]
    pub what: String,
    /// The lawful basis for sharing it, e.g. "6(1)(e) public task".
    #[arg(long, value_name = "TEXT")]
    pub basis: String,
    /// How it was sent, e.g. "encrypted email".
    #[arg(long, value_name = "TEXT")]
    pub method: String,
}

/// `disclosure edit`
#[derive(Debug, Args)]
pub struct DisclosureEdit {
    /// Disclosure id, from `disclosure list`.
    pub id: i64,
    /// Project [default: the only project].
    #[arg(long)]
    pub project: Option<String>,
    /// When the data was passed on, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
    /// The team or organisation it went to.
    #[arg(long, value_name = "RECIPIENT")]
    pub to: Option<String>,
    /// What was shared.
    #[arg(long, value_name = "TEXT")]
    pub what: Option<String>,
    /// The lawful basis for sharing it.
    #[arg(long, value_name = "TEXT")]
    pub basis: Option<String>,
    /// How it was sent.
    #[arg(long, value_name = "TEXT")]
    pub method: Option<String>,
}
