//! Getting secrets from the user: a file, standard input, or the terminal without echo.

use std::io::{IsTerminal, Read};
use std::path::Path;

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use super::CliError;

/// Reads a passphrase from FILE (`-` = standard input). One trailing newline is dropped.
pub fn from_file(path: &Path) -> Result<SecretString, CliError> {
    let mut raw = Zeroizing::new(Vec::new());
    if path.as_os_str() == "-" {
        std::io::stdin()
            .read_to_end(&mut raw)
            .map_err(CliError::PassphraseStdin)?;
    } else {
        let unreadable = |source| CliError::PassphraseFile {
            path: path.to_owned(),
            source,
        };
        let mut f = std::fs::File::open(path).map_err(unreadable)?;
        f.read_to_end(&mut raw).map_err(unreadable)?;
    }
    let text = std::str::from_utf8(&raw).map_err(|_| CliError::PassphraseFileNotUtf8)?;
    let line = text.strip_suffix('\n').unwrap_or(text);
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.is_empty() {
        return Err(CliError::PassphraseFileEmpty);
    }
    Ok(SecretString::from(line.to_owned()))
}

fn ask(prompt: &str) -> Result<SecretString, CliError> {
    if !std::io::stdin().is_terminal() && !Path::new("/dev/tty").exists() {
        return Err(CliError::NoTerminalToAsk);
    }
    let p = rpassword::prompt_password(prompt).map_err(CliError::PassphraseTerminal)?;
    Ok(SecretString::from(p))
}

/// Asks once, on the terminal, without echo.
pub fn ask_once(prompt: &str) -> Result<SecretString, CliError> {
    ask(prompt)
}

/// Asks twice and insists the two match (for a new passphrase).
pub fn ask_new(what: &str) -> Result<SecretString, CliError> {
    let first = ask(&format!("{what}: "))?;
    let second = ask(&format!("{what} again: "))?;
    if first.expose_secret() != second.expose_secret() {
        return Err(CliError::PassphrasesDiffer);
    }
    Ok(first)
}

/// Asks to confirm a destructive step: `--yes` skips the question; without a terminal to ask
/// on, the step is refused with advice. `what` says what will happen, as a question.
pub fn confirm(what: &str, yes: bool) -> Result<(), CliError> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::NeedsYes(what.to_owned()));
    }
    super::term::ask(&format!("{what} Type yes: "));
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    if answer.trim() != "yes" {
        return Err(CliError::Cancelled);
    }
    Ok(())
}
