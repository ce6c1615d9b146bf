//! The vault itself: `init`, `audit`, `passwd`, `recipient`, `backup`, `restore`, and
//! `redact` with a project's registry.

use std::io::{Read, Write};

use fieldnotes::app;
use fieldnotes::outfile;
use fieldnotes::text::for_terminal;
use fieldnotes::vault::{Vault, VaultError};

use super::args::{AuditArgs, BackupArgs, Cli, PasswdArgs, RecipientCmd, RedactArgs, RestoreArgs};
use super::term::{self, Out};
use super::{CliError, Result, clock, kdf, open, parse_recipients, prompt, vault_dir};

pub(super) fn init(args: &Cli, out: &mut impl Write) -> Result<()> {
    let dir = vault_dir(args)?;
    if dir.join("keys").join("passphrase.age").exists() {
        return Err(VaultError::AlreadyExists(dir).into());
    }
    let pass = match &args.passphrase_file {
        Some(f) => prompt::from_file(f)?,
        None => prompt::ask_new("New passphrase for the vault")?,
    };
    Vault::init(&dir, &pass, kdf(args)?)?;
    writeln!(out, "Created a vault at {}", dir.display())?;
    writeln!(
        out,
        "Keep the passphrase safe: without it (or a recovery key from `fieldnotes recipient add`) the notes cannot be read by anyone."
    )?;
    Ok(())
}

pub(super) fn audit(v: &Vault, a: &AuditArgs, out: &mut impl Write) -> Result<()> {
    if a.verify {
        return audit_verify(v, a, out);
    }
    for e in app::vault_ops::audit_trail(v)? {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            e.id,
            e.at,
            for_terminal(&e.actor, false),
            for_terminal(&e.action, false),
            for_terminal(&e.detail, false)
        )?;
    }
    Ok(())
}

/// Checks the chain, then every anchor: given ones, given backups', and the newest backup in
/// the default folder. Says what was proved and what was not.
fn audit_verify(v: &Vault, a: &AuditArgs, out: &mut impl Write) -> Result<()> {
    let n = app::vault_ops::audit_chain(v)?;
    let mut anchors = Vec::new();
    for given in &a.anchors {
        anchors.extend(anchors_in(given)?);
    }
    let found = app::vault_ops::backup_anchors(v, &a.backups)?;
    for (file, anchor) in found.anchors {
        let shown = for_terminal(&file.display().to_string(), false);
        anchors.push((anchor, format!("the backup {shown}")));
    }
    if let Some((file, e)) = found.unchecked {
        writeln!(
            out,
            "(The newest backup, {}, was not checked: {})",
            for_terminal(&file.display().to_string(), false),
            for_terminal(&e.to_string(), false)
        )?;
    }
    let head = app::vault_ops::audit_anchors(v, &anchors)?;
    writeln!(
        out,
        "The audit trail is intact: {n} events, each linked to the one before, so none was edited, reordered or removed from the middle."
    )?;
    for (a, source) in &anchors {
        writeln!(
            out,
            "Event {} as recorded in {source}: still there, unchanged.",
            a.id
        )?;
    }
    match anchors.iter().max_by_key(|(a, _)| a.id) {
        Some((a, _)) => writeln!(
            out,
            "So no event up to number {} was removed. Events after it could have been removed from the end without trace: only a later anchor can show that.",
            a.id
        )?,
        None => writeln!(
            out,
            "No anchor was checked, so events removed from the end of the trail would not show. Every backup in the vault's backups folder is an anchor (checked by default), and every export and report carries one: pass it with --anchor FILE."
        )?,
    }
    if let Some(head) = head {
        writeln!(out, "Anchor now: {head}")?;
    }
    Ok(())
}

/// The anchor given as `N:HASH`, or every anchor a file carries.
fn anchors_in(given: &str) -> Result<Vec<(fieldnotes::audit::Anchor, String)>> {
    use fieldnotes::audit::Anchor;
    if let Ok(a) = given.parse::<Anchor>() {
        return Ok(vec![(a, "the anchor given".to_owned())]);
    }
    let shown = for_terminal(given, false);
    let bytes = std::fs::read(given).map_err(|source| CliError::AnchorUnreadable {
        given: shown.clone(),
        source,
    })?;
    let text = String::from_utf8_lossy(&bytes);
    let found: Vec<_> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == ':'))
        .filter_map(|w| w.parse::<Anchor>().ok())
        .map(|a| (a, format!("the file {shown}")))
        .collect();
    if found.is_empty() {
        return Err(CliError::NoAnchor(shown));
    }
    Ok(found)
}

pub(super) fn passwd(args: &Cli, p: &PasswdArgs, out: &mut impl Write) -> Result<()> {
    let mut v = open(args)?;
    let new = match &p.new_passphrase_file {
        Some(f) => prompt::from_file(f)?,
        None => prompt::ask_new("New passphrase")?,
    };
    app::keys::change_passphrase(&mut v, new)?;
    writeln!(
        out,
        "Passphrase changed. Backups made before today still open with the old one."
    )?;
    Ok(())
}

pub(super) fn recipient(args: &Cli, r: &RecipientCmd, out: &mut impl Write) -> Result<()> {
    let v = open(args)?;
    match r {
        RecipientCmd::Add { name, public_key } => {
            app::keys::recipient_add(&v, name, public_key)?;
            writeln!(
                out,
                "The vault now also opens with the identity of '{}'.",
                for_terminal(name, false)
            )?;
        }
        RecipientCmd::List => {
            for (name, key) in app::keys::recipients(&v)? {
                writeln!(
                    out,
                    "{}\t{}",
                    for_terminal(&name, false),
                    for_terminal(&key, false)
                )?;
            }
        }
        RecipientCmd::Remove { name } => {
            app::keys::recipient_remove(v, name)?;
            writeln!(
                out,
                "Removed '{}' and moved the vault to a new key: old copies of its key file no longer open it.",
                for_terminal(name, false)
            )?;
        }
    }
    Ok(())
}

pub(super) fn backup(args: &Cli, b: &BackupArgs, out: &mut impl Write) -> Result<()> {
    let recipients = parse_recipients(&b.recipients)?;
    // refuse an existing file before unlocking, not after the work
    if let Some(p) = &b.out {
        outfile::plan(p, b.force)?;
    }
    let mut v = open(args)?;
    let written = app::vault_ops::backup(&mut v, &clock(), b.out.as_deref(), b.force, &recipients)?;
    let (path, plan) = (written.path, written.plan);
    if plan.is_file() {
        let to = if recipients.is_empty() {
            "the passphrase in force now: it opens with that passphrase, even after a later change"
                .to_owned()
        } else {
            format!(
                "{} recipient key(s): it opens with their identities",
                recipients.len()
            )
        };
        writeln!(out, "Backup written, encrypted to {to}:")?;
        writeln!(out, "{}", for_terminal(&path.display().to_string(), false))?;
    } else {
        // the stream may be standard output itself: keep it for the backup's bytes
        term::say(&format!("Backup written to {}", path.display()));
    }
    Ok(())
}

pub(super) fn restore(args: &Cli, r: &RestoreArgs, out: &mut impl Write) -> Result<()> {
    prompt::confirm(
        &format!(
            "Replace everything in the vault with the contents of {}?",
            r.file.display()
        ),
        r.yes,
    )?;
    let backup_pass = r
        .backup_passphrase_file
        .as_deref()
        .map(prompt::from_file)
        .transpose()?;
    // the identity file is read (and its passphrase asked) once, for the vault and the backup
    let ids = super::identities(args)?;
    let unlock = super::unlock_with(args, ids.clone())?;
    let ids = ids.unwrap_or_default();
    let from = app::vault_ops::RestoreFrom {
        file: &r.file,
        passphrase: backup_pass.as_ref(),
        identities: &ids,
    };
    let report = app::vault_ops::restore(&vault_dir(args)?, unlock, kdf(args)?, from)?;
    if let Some(why) = &report.unreadable {
        writeln!(
            out,
            "The vault file could not be read ({}); the backup replaces it.",
            for_terminal(why, false)
        )?;
    }
    writeln!(
        out,
        "Restored the vault from {}. It keeps its own passphrase and key recipients ({}), not the backup's; {} erasure(s) made since the backup were applied again.",
        for_terminal(&r.file.display().to_string(), false),
        if report.recipients.is_empty() {
            "none besides the passphrase".to_owned()
        } else {
            for_terminal(&report.recipients.join(", "), false)
        },
        report.reapplied
    )?;
    Ok(())
}

pub(super) fn redact(args: &Cli, r: &RedactArgs, out: &mut Out<impl Write>) -> Result<()> {
    use fieldnotes::anonymise::{Anonymiser, Registry, parse_names_file};
    let mut registry = match &r.project {
        Some(p) => {
            if args
                .passphrase_file
                .as_deref()
                .is_some_and(|f| f.as_os_str() == "-")
            {
                return Err(CliError::RedactPassphraseOnStdin);
            }
            let v = open(args)?;
            app::projects::registry_for_redaction(&v, &super::project_named(&v, p)?)?
        }
        None => Registry::default(),
    };
    if let Some(f) = &r.names {
        let text = std::fs::read_to_string(f).map_err(|source| CliError::NamesFile {
            path: f.clone(),
            source,
        })?;
        registry.people.extend(parse_names_file(&text));
    }
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|_| CliError::InputNotUtf8)?;
    registry.generalise_ages = r.age_bands;
    let anonymiser = Anonymiser::new(&registry);
    let result = anonymiser.redact(&input);
    out.data()?.write_all(result.text.as_bytes())?;
    if r.explain {
        for s in &result.substitutions {
            let line = serde_json::to_string(s).map_err(std::io::Error::other)?;
            term::say(&line);
        }
    }
    Ok(())
}
