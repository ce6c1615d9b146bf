//! Answers to the questions the editor asks (memos, people mentioned, the paper record…).

use super::*;

/// Applies a prompt answer meant for the editor.
pub fn on_prompt(s: &mut State, purpose: &PromptFor, text: String, reqs: &mut Vec<Request>) {
    let Some(e) = s.editor.as_mut() else { return };
    match purpose {
        PromptFor::Theme => match e.selected_note().map(|n| n.id) {
            Some(id) if !text.is_empty() => {
                let had = e
                    .selected_note()
                    .is_some_and(|n| n.themes.iter().any(|t| t.eq_ignore_ascii_case(&text)));
                if !had {
                    e.did(UndoStep::Tagged {
                        id,
                        theme: text.clone(),
                    });
                }
                reqs.push(Request::Tag(id, text));
            }
            None if !text.is_empty() => {
                let tag = format!(" #{}", text.replace(' ', "_"));
                e.input.insert_str(tag);
                e.dirty = true;
            }
            _ => {}
        },
        PromptFor::PersonMentioned => {
            s.busy = Some("Registering…".into());
            reqs.push(Request::AddPerson {
                project: e.session.project.clone(),
                name: text,
            });
        }
        PromptFor::Group => {
            let value = Some(text).filter(|t| !t.is_empty());
            let workshop = e.session.kind == SessionKind::Workshop;
            match e.selected_note().cloned() {
                Some(n) => {
                    let before = if workshop { n.cluster } else { n.page };
                    if before != value {
                        e.did(UndoStep::Grouped {
                            id: n.id,
                            page: !workshop,
                            before,
                            after: value.clone(),
                        });
                    }
                    reqs.push(if workshop {
                        Request::SetCluster(n.id, value)
                    } else {
                        Request::SetPage(n.id, value)
                    });
                }
                None => e.group = value,
            }
        }
        PromptFor::PaperDestroyed(today) => {
            if matches!(text.to_lowercase().as_str(), "y" | "yes") {
                e.did(UndoStep::PaperDestroyed {
                    session: e.session.id,
                    on: today.clone(),
                });
                reqs.push(Request::PaperDestroyedOn(e.session.id, today.clone()));
            } else {
                s.message =
                    Some("Nothing recorded: the paper original is not marked as destroyed.".into());
            }
        }
        _ => {}
    }
}
