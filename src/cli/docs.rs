//! Shell completions and manual pages, generated from the same clap tree as `--help`, so
//! they can never disagree with it. Neither opens a vault.

use std::io::Write;

use clap::CommandFactory;

use super::args::{Cli, CompletionsArgs, ManArgs};
use super::{CliError, Result};

/// `fieldnotes completions SHELL`: the script on standard output.
pub(super) fn completions(c: &CompletionsArgs, out: &mut impl Write) -> Result<()> {
    let mut cmd = Cli::command();
    // into memory first: the generator panics on a failed write (e.g. `| head`)
    let mut script = Vec::new();
    clap_complete::generate(c.shell, &mut cmd, "fieldnotes", &mut script);
    out.write_all(&script)?;
    Ok(())
}

/// `fieldnotes man [--dir DIR]`: fieldnotes.1 on standard output, or every page into DIR.
pub(super) fn man(m: &ManArgs, out: &mut impl Write) -> Result<()> {
    let cmd = Cli::command();
    let Some(dir) = &m.dir else {
        let mut page = Vec::new();
        clap_mangen::Man::new(cmd).render(&mut page)?;
        out.write_all(&page)?;
        return Ok(());
    };
    if !dir.is_dir() {
        return Err(CliError::ManDir(dir.clone()));
    }
    clap_mangen::generate_to(cmd, dir).map_err(|source| CliError::ManWrite {
        dir: dir.clone(),
        source,
    })?;
    writeln!(
        out,
        "Wrote the manual pages to {}: try `man fieldnotes` (the folder must be on your MANPATH, as ~/.local/share/man/man1 usually is).",
        fieldnotes::text::for_terminal(&dir.display().to_string(), false)
    )?;
    Ok(())
}
