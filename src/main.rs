//! The `fieldnotes` binary: the CLI shell (and, with no subcommand, the full-screen app).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod cli;
mod tui;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use fieldnotes::text::for_terminal;

fn main() -> ExitCode {
    // Every file we create is private, whatever creates it.
    // SAFETY: umask only changes this process's file-creation mask; no memory is involved.
    unsafe {
        libc::umask(0o077);
    }
    // Before any secret is read: no core dumps, no debugger attach.
    if let Err(e) = fieldnotes::secret::harden_process() {
        cli::term::say(&format!(
            "fieldnotes: could not turn off core dumps for this process ({e}); refusing to run, so that no passphrase or note can reach a core file"
        ));
        return ExitCode::from(1);
    }
    cli::init_local_offset();
    let args = match cli::args::Cli::try_parse() {
        Ok(a) => a,
        Err(e) => return usage(&e),
    };
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if !e.is_broken_pipe() {
                // the message may quote a path, a name or a title: never raw on the terminal
                cli::term::say(&format!("fieldnotes: {e}"));
            }
            ExitCode::from(e.exit_code())
        }
    }
}

/// `--help` and `--version` succeed; anything else clap refused is a usage error, exit 64,
/// with clap's message made safe (it quotes what was typed).
fn usage(e: &clap::Error) -> ExitCode {
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        return match e.print() {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        };
    }
    // plain text: clap's styling would be escape sequences of its own
    let _ = write!(
        std::io::stderr(),
        "{}",
        for_terminal(&e.render().to_string(), true)
    );
    ExitCode::from(cli::EXIT_USAGE)
}
