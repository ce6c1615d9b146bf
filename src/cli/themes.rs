//! `fieldnotes theme …`: the codebook (themes, their tree, memos, merging and deleting).

use std::io::{Read, Write};

use fieldnotes::app;
use fieldnotes::text::for_terminal;
use fieldnotes::vault::Vault;

use super::args::ThemeCmd;
use super::{Result, prompt};

pub(super) fn theme(v: &Vault, c: &ThemeCmd, out: &mut impl Write) -> Result<()> {
    match c {
        ThemeCmd::Add {
            name,
            project,
            parent,
            description,
            colour,
        } => {
            let p = app::projects::resolve(v, project.as_deref())?;
            app::themes::add(
                v,
                &p.name,
                app::themes::NewTheme {
                    name: name.clone(),
                    parent: parent.clone(),
                    description: description.clone(),
                    colour: colour.clone(),
                },
            )?;
            writeln!(
                out,
                "{}",
                for_terminal(name.trim().trim_start_matches('#'), false)
            )?;
        }
        ThemeCmd::List { project } => {
            let p = app::projects::resolve(v, project.as_deref())?;
            for t in app::themes::list(v, &p.name)? {
                let indent = "  ".repeat(t.depth);
                let desc = t.description.map(|d| format!("\t{d}")).unwrap_or_default();
                writeln!(
                    out,
                    "{indent}{}{}",
                    for_terminal(&t.name, false),
                    for_terminal(&desc, false)
                )?;
            }
        }
        other => codebook(v, other, out)?,
    }
    Ok(())
}

/// The codebook subcommands that change or read one theme.
fn codebook(v: &Vault, c: &ThemeCmd, out: &mut impl Write) -> Result<()> {
    let project = |p: &Option<String>| -> Result<String> {
        Ok(app::projects::resolve(v, p.as_deref())?.name)
    };
    match c {
        ThemeCmd::Add { .. } | ThemeCmd::List { .. } => {}
        ThemeCmd::Rename {
            name,
            new_name,
            project: p,
        } => {
            let p = project(p)?;
            app::themes::rename(v, &p, name, new_name)?;
            writeln!(out, "Renamed.")?;
        }
        ThemeCmd::Move {
            name,
            parent,
            project: p,
            ..
        } => {
            let p = project(p)?;
            app::themes::move_to(v, &p, name, parent.as_deref())?;
            writeln!(out, "Moved.")?;
        }
        ThemeCmd::Merge {
            from,
            into,
            project: p,
        } => {
            let p = project(p)?;
            let n = app::themes::merge(v, &p, from, into)?;
            writeln!(
                out,
                "Merged '{}' into '{}': {n} tags moved, nothing lost.",
                for_terminal(from, false),
                for_terminal(into, false)
            )?;
        }
        ThemeCmd::Delete {
            name,
            project: p,
            yes,
        } => {
            let p = project(p)?;
            let n = app::themes::tag_count(v, &p, name)?;
            prompt::confirm(
                &format!(
                    "Delete theme '{}'? {n} tags will be removed (the notes stay).",
                    for_terminal(name, false)
                ),
                *yes,
            )?;
            let removed = app::themes::delete(v, &p, name)?;
            writeln!(out, "Deleted; {removed} tags removed.")?;
        }
        ThemeCmd::Memo {
            name,
            text,
            project: p,
        } => {
            let p = project(p)?;
            match text.as_deref() {
                None => {
                    let memo = app::themes::memo(v, &p, name)?;
                    writeln!(out, "{}", for_terminal(&memo, true))?;
                }
                Some(t) => {
                    let memo = if t == "-" {
                        let mut buf = String::new();
                        std::io::stdin().read_to_string(&mut buf)?;
                        buf
                    } else {
                        t.to_owned()
                    };
                    app::themes::set_memo(v, &p, name, &memo)?;
                    writeln!(out, "Memo saved.")?;
                }
            }
        }
        ThemeCmd::Edit {
            name,
            description,
            colour,
            project: p,
        } => {
            let p = project(p)?;
            app::themes::edit(v, &p, name, description.as_deref(), colour.as_deref())?;
            writeln!(out, "Saved.")?;
        }
    }
    Ok(())
}
