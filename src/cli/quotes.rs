//! `fieldnotes quotes …`: verbatim quotes awaiting their speaker's approval.

use std::io::Write;

use fieldnotes::app;
use fieldnotes::model::QuoteConsent;
use fieldnotes::text::for_terminal;
use fieldnotes::vault::Vault;

use super::args::QuotesCmd;
use super::{Result, clock, project_arg};

/// A quote consent in words, for listings and confirmations.
pub(super) fn quote_words(q: Option<QuoteConsent>) -> &'static str {
    match q {
        Some(QuoteConsent::Yes) => "yes",
        Some(QuoteConsent::No) => "no (verbatim notes are withheld from outputs)",
        Some(QuoteConsent::Approval) => {
            "only quotes they approved (see `fieldnotes quotes pending`)"
        }
        None => "not recorded",
    }
}

pub(super) fn run(v: &Vault, c: &QuotesCmd, out: &mut impl Write) -> Result<()> {
    match c {
        QuotesCmd::Pending { project } => {
            let project = project_arg(v, project.as_deref())?;
            let list = app::quotes::pending(v, project.as_deref())?;
            if list.is_empty() {
                writeln!(out, "No quote is awaiting approval.")?;
                return Ok(());
            }
            for q in &list {
                let edited = q
                    .approved_before
                    .as_ref()
                    .map(|d| format!(" (edited since its approval on {d})"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "note {}\t{}\tsession {} {}{edited}\n    {}",
                    q.note_id,
                    for_terminal(&q.speaker, false),
                    q.session_id,
                    for_terminal(&q.session, false),
                    for_terminal(&q.text, false).replace('\n', "\n    ")
                )?;
            }
            writeln!(
                out,
                "{} awaiting approval: `fieldnotes quotes approve NOTE [--on YYYY-MM-DD]` once the speaker has approved the exact words.",
                fieldnotes::export::count(list.len(), "quote", "quotes")
            )?;
        }
        QuotesCmd::Approve { note, on } => {
            let a = app::quotes::approve(v, &clock(), *note, on.as_deref())?;
            writeln!(
                out,
                "Note {} approved by {} on {}: outputs quote its words until it is edited.",
                a.note_id,
                for_terminal(&a.speaker, false),
                a.on
            )?;
        }
        QuotesCmd::Revoke { note } => {
            let was = app::quotes::revoke(v, *note)?;
            writeln!(
                out,
                "The approval of note {note} (given on {was}) is withdrawn: outputs withhold its words again."
            )?;
        }
    }
    Ok(())
}
