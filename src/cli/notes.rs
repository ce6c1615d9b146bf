//! `fieldnotes note …`, `fieldnotes tag` and `fieldnotes search`: notes typed, tagged and
//! found again.

use std::io::{IsTerminal, Read, Write};

use fieldnotes::app::{self, AppError};
use fieldnotes::model::Note;
use fieldnotes::text::for_terminal;
use fieldnotes::vault::Vault;

use super::args::{Cli, NoteCmd, OutputFormat, SearchArgs, TagArgs};
use super::term::{self, Out};
use super::{CliError, Result, clock, open};

fn local_time(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(clock().offset());
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    t.format(fmt).unwrap_or_default()
}

fn offset(ms: i64) -> String {
    let s = ms / 1000;
    format!("+{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}

fn read_note_text() -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        term::say("Type the note, then Ctrl+D on a new line:");
    }
    let mut buf = Vec::new();
    stdin
        .lock()
        .take(fieldnotes::text::MAX_NOTE_BYTES as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(CliError::NoteUnreadable)?;
    if buf.len() > fieldnotes::text::MAX_NOTE_BYTES {
        return Err(AppError::NoteTooLarge.into());
    }
    String::from_utf8(buf).map_err(|_| CliError::NoteNotUtf8)
}

pub(super) fn note(args: &Cli, c: &NoteCmd, out: &mut Out<impl Write>) -> Result<()> {
    match c {
        NoteCmd::Add(a) => {
            if args
                .passphrase_file
                .as_deref()
                .is_some_and(|p| p.as_os_str() == "-")
            {
                return Err(CliError::NotePassphraseOnStdin);
            }
            // Read the note before unlocking: typing it must not wait on the vault.
            let text = read_note_text()?;
            let v = open(args)?;
            let question_id = a
                .question
                .map(|n| app::guides::question_at(&v, a.session, n))
                .transpose()?;
            let id = app::notes::add(
                &v,
                &clock(),
                app::notes::NoteInput {
                    session_id: a.session,
                    speaker: a.speaker.clone(),
                    kind: a.kind,
                    text,
                    special_category: a.special_category,
                    criminal_offence: a.criminal_offence,
                    themes: a.themes.clone(),
                    question_id,
                    ..Default::default()
                },
            )?;
            writeln!(out, "{id}")?;
        }
        NoteCmd::List { session, format } => {
            let v = open(args)?;
            let notes = app::notes::list(&v, *session)?;
            match format {
                OutputFormat::Json => {
                    let json =
                        fieldnotes::text::json_pretty(&notes).map_err(std::io::Error::other)?;
                    writeln!(out.data()?, "{json}")?;
                }
                OutputFormat::Text => {
                    for n in &notes {
                        print_note(n, out)?;
                    }
                    if let Some(d) =
                        app::drafts::load(&v, *session)?.filter(|d| !d.text.trim().is_empty())
                    {
                        writeln!(out, "(draft, not yet saved as a note; the app restores it)")?;
                        for line in d.text.lines() {
                            writeln!(out, "    {}", for_terminal(line, false))?;
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

fn print_note(n: &Note, out: &mut impl Write) -> Result<()> {
    let mut head = format!("#{} {}", n.id, local_time(n.created_at_ms));
    if let Some(o) = n.offset_ms {
        head.push_str(&format!(" {}", offset(o)));
    }
    head.push_str(&format!(" {}", n.speaker.as_deref().unwrap_or("-")));
    head.push_str(&format!(" {}", n.kind));
    if n.special_category {
        head.push_str(" [special category]");
    }
    if n.criminal_offence {
        head.push_str(" [criminal offence]");
    }
    if !n.themes.is_empty() {
        head.push_str(&format!(" {{{}}}", n.themes.join(", ")));
    }
    writeln!(out, "{}", for_terminal(&head, false))?;
    for line in n.text.lines() {
        writeln!(out, "    {}", for_terminal(line, false))?;
    }
    Ok(())
}

fn parse_span(s: &str) -> Result<(usize, usize)> {
    let bad = || CliError::Span(s.to_owned());
    let (a, b) = s.split_once("..").ok_or_else(bad)?;
    Ok((
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    ))
}

pub(super) fn tag(v: &Vault, t: &TagArgs, out: &mut impl Write) -> Result<()> {
    let span = t.span.as_deref().map(parse_span).transpose()?;
    let created = app::tags::tag(v, t.note, &t.theme, span)?;
    if created {
        term::say(&format!(
            "Added the theme '{}' to the codebook.",
            for_terminal(t.theme.trim(), false)
        ));
    }
    writeln!(
        out,
        "Tagged note {} with {}",
        t.note,
        for_terminal(t.theme.trim(), false)
    )?;
    Ok(())
}

pub(super) fn search(v: &Vault, a: &SearchArgs, out: &mut impl Write) -> Result<()> {
    let q = a.query.join(" ");
    let project = super::project_arg(v, a.project.as_deref())?;
    let hits = app::search::search(v, &q, project.as_deref())?;
    if hits.is_empty() {
        term::say(&format!("No note matches '{}'.", for_terminal(&q, false)));
    }
    for h in hits {
        writeln!(
            out,
            "{} / session {} ({}):",
            for_terminal(&h.project, false),
            h.session_id,
            for_terminal(&h.session_title, false)
        )?;
        print_note(&h.note, out)?;
    }
    Ok(())
}
