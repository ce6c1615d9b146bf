//! `fieldnotes guide …`: topic guides, imported from Markdown and followed by sessions.

use std::io::{Read, Write};
use std::path::Path;

use fieldnotes::app;
use fieldnotes::guide::MAX_GUIDE_BYTES;
use fieldnotes::model::GuideVersion;
use fieldnotes::text::for_terminal;
use fieldnotes::vault::Vault;

use super::args::GuideCmd;
use super::{CliError, Result};

pub(super) fn run(v: &Vault, c: &GuideCmd, out: &mut impl Write) -> Result<()> {
    match c {
        GuideCmd::Import {
            file,
            project,
            name,
            kind,
        } => {
            let text = read_guide(file)?;
            let saved = app::guides::import(v, project.as_deref(), name.as_deref(), *kind, &text)?;
            let g = &saved.version;
            let sections = sections(g);
            if saved.new_version {
                writeln!(
                    out,
                    "Imported '{}' version {}: {} in {}.",
                    for_terminal(&g.guide, false),
                    g.number,
                    count(g.questions.len(), "question"),
                    count(sections, "section")
                )?;
            } else {
                writeln!(
                    out,
                    "'{}' version {} already has these questions: nothing changed.",
                    for_terminal(&g.guide, false),
                    g.number
                )?;
            }
            if saved.skipped > 0 {
                let what = if saved.skipped == 1 {
                    "1 paragraph outside lists was".to_owned()
                } else {
                    format!("{} paragraphs outside lists were", saved.skipped)
                };
                writeln!(out, "{what} left out (only list items are questions).")?;
            }
        }
        GuideCmd::List { project } => {
            let guides = app::guides::list(v, project.as_deref())?;
            if guides.is_empty() {
                writeln!(
                    out,
                    "No topic guides yet: import one with `fieldnotes guide import FILE.md`."
                )?;
            }
            for g in guides {
                writeln!(
                    out,
                    "{}\tversion {}\t{}\t{}\t{}",
                    for_terminal(&g.name, false),
                    g.latest,
                    count(g.questions, "question"),
                    g.session_kind
                        .map_or("every session kind".to_owned(), |k| format!("{k}s")),
                    count(g.sessions, "session")
                )?;
            }
        }
        GuideCmd::Show {
            name,
            project,
            version,
            session,
        } => match session {
            Some(sid) => show_session(v, *sid, out)?,
            None => {
                let name = match name {
                    Some(n) => n.clone(),
                    None => only_guide(v, project.as_deref())?,
                };
                let g = app::guides::show(v, project.as_deref(), &name, *version)?;
                write!(out, "{}", for_terminal(&app::guides::markdown(&g), true))?;
            }
        },
        GuideCmd::Use {
            session,
            name,
            default,
        } => {
            let name = if *default { None } else { name.as_deref() };
            app::guides::choose_for_session(v, *session, name)?;
            match app::guides::of_session(v, *session)? {
                Some(g) => writeln!(
                    out,
                    "Session {session} follows '{}' version {}.",
                    for_terminal(&g.guide, false),
                    g.number
                )?,
                None => writeln!(out, "Session {session} follows no topic guide.")?,
            }
        }
        GuideCmd::Answer {
            note,
            question,
            none,
        } => {
            let q = match (question, none) {
                (Some(n), false) => {
                    let session = app::notes::get(v, *note)?.session_id;
                    Some(app::guides::question_at(v, session, *n)?)
                }
                _ => None,
            };
            app::guides::answer(v, *note, q)?;
        }
    }
    Ok(())
}

/// The name of the project's only guide, or what to type when there are several or none.
fn only_guide(v: &Vault, project: Option<&str>) -> Result<String> {
    let guides = app::guides::list(v, project)?;
    match guides.as_slice() {
        [one] => Ok(one.name.clone()),
        [] => Err(CliError::App(app::AppError::Guide(
            "the project has no topic guide yet: import one with `fieldnotes guide import FILE.md`"
                .into(),
        ))),
        several => Err(CliError::App(app::AppError::Guide(format!(
            "the project has {} topic guides: name one ({})",
            several.len(),
            several
                .iter()
                .map(|g| for_terminal(&g.name, false))
                .collect::<Vec<_>>()
                .join(", ")
        )))),
    }
}

/// "1 question", "3 questions".
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn sections(g: &GuideVersion) -> usize {
    let mut n = 0;
    let mut last = None;
    for q in &g.questions {
        if last != Some(&q.section) {
            n += 1;
            last = Some(&q.section);
        }
    }
    n
}

/// The guide a session follows, its questions numbered, with how many notes answer each.
fn show_session(v: &Vault, sid: i64, out: &mut impl Write) -> Result<()> {
    let Some(g) = app::guides::of_session(v, sid)? else {
        writeln!(
            out,
            "Session {sid} follows no topic guide: its project has none (`fieldnotes guide import FILE.md`)."
        )?;
        return Ok(());
    };
    let coverage = app::guides::coverage(v, sid)?;
    let covered = coverage.iter().filter(|(_, n)| *n > 0).count();
    writeln!(
        out,
        "Session {sid} follows '{}' version {}: {covered} of {} questions covered.",
        for_terminal(&g.guide, false),
        g.number,
        coverage.len()
    )?;
    let mut section = None;
    for (q, n) in &coverage {
        if section != Some(&q.section) {
            writeln!(out, "\n{}", for_terminal(&q.section, false))?;
            section = Some(&q.section);
        }
        let mark = if *n > 0 { "✓" } else { " " };
        let notes = match n {
            0 => String::new(),
            1 => "  (1 note)".into(),
            n => format!("  ({n} notes)"),
        };
        writeln!(
            out,
            "{mark} {:>2}. {}{notes}",
            q.position,
            for_terminal(&q.text, false)
        )?;
    }
    Ok(())
}

/// Reads a guide file (or standard input), refusing one too large to be a guide.
fn read_guide(path: &Path) -> Result<String> {
    let unreadable = |reason: String| CliError::GuideUnreadable {
        path: path.to_owned(),
        reason,
    };
    let mut bytes = Vec::new();
    let limit = MAX_GUIDE_BYTES as u64 + 1;
    if path.as_os_str() == "-" {
        std::io::stdin()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| unreadable(e.to_string()))?;
    } else {
        std::fs::File::open(path)
            .and_then(|f| f.take(limit).read_to_end(&mut bytes))
            .map_err(|e| unreadable(e.to_string()))?;
    }
    if bytes.len() > MAX_GUIDE_BYTES {
        return Err(unreadable(format!(
            "it is larger than {} KB, too large to be a topic guide",
            MAX_GUIDE_BYTES / 1024
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| unreadable("it is not UTF-8 text: save it as UTF-8 Markdown (.md)".into()))
}
