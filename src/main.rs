//! The `fieldnotes` binary: the CLI shell (and, with no subcommand, the full-screen app).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Every file we create is private, whatever creates it.
    // SAFETY: umask only changes this process's file-creation mask; no memory is involved.
    unsafe {
        libc::umask(0o077);
    }
    // Before any secret is read: no core dumps, no debugger attach.
    if let Err(e) = fieldnotes::secret::harden_process() {
        eprintln!(
            "fieldnotes: could not turn off core dumps for this process ({e}); refusing to run, so that no passphrase or note can reach a core file"
        );
        return ExitCode::from(1);
    }
    cli::init_local_offset();
    let args = cli::args::Cli::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if !e.is_broken_pipe() {
                eprintln!("fieldnotes: {e}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}
