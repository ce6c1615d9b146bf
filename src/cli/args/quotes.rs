//! `fieldnotes quotes …` arguments: quotes awaiting their speaker's approval.

use clap::Subcommand;

/// `quotes …`
#[derive(Debug, Subcommand)]
pub enum QuotesCmd {
    /// List the verbatim quotes awaiting approval: notes of participants whose quote consent
    /// is `approval`, with no approval of their current words (text shown: inside the vault).
    Pending {
        /// Project [default: the only project].
        #[arg(long)]
        project: Option<String>,
    },
    /// Record that the speaker approved a quote's exact current words (audited, without the
    /// words); editing the note afterwards makes it pending again.
    Approve {
        /// The note's id (`quotes pending` and `note list` show it).
        note: i64,
        /// The day they approved it, YYYY-MM-DD [default: today].
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
    },
    /// Withdraw the approval of a quote: outputs withhold it again until it is approved anew.
    Revoke {
        /// The note's id.
        note: i64,
    },
}
