//! The topic guide beside the live editor: shown with the session's questions, moved
//! through while typing, answered by the notes saved while a question is current, kept with
//! the draft, and hidden to one line on a narrow screen; and the guides screen.

use super::*;
use crate::tui::worker::{GuideReply, GuideRequest};
use fieldnotes::model::{GuideQuestion, GuideSummary, GuideVersion};

fn q(id: i64, section: &str, text: &str, prompts: &[&str]) -> GuideQuestion {
    GuideQuestion {
        id,
        position: id - 100,
        section: section.into(),
        text: text.into(),
        prompts: prompts.iter().map(|p| p.to_string()).collect(),
    }
}

fn desk_guide() -> GuideVersion {
    GuideVersion {
        id: 9,
        guide_id: 3,
        guide: "Desk staff".into(),
        session_kind: None,
        number: 2,
        created_at: "2024-03-01T09:00:00Z".into(),
        questions: vec![
            q(
                101,
                "Arriving",
                "What happens at the desk?",
                &["Who is first?"],
            ),
            q(102, "Arriving", "How long is the wait?", &["Longest wait?"]),
            q(103, "Help", "What would help?", &[]),
            q(104, "Help", "Anything else?", &[]),
        ],
    }
}

fn guide_arrives(s: &mut State, version: Option<GuideVersion>) {
    update(
        s,
        Msg::Worker(Reply::Guide(GuideReply::Session(7, version.map(Box::new)))),
    );
}

/// The sample session, its first note answering question 1, with the desk guide.
fn guided() -> State {
    let mut s = in_editor();
    if let Some(e) = s.editor.as_mut() {
        e.notes[0].note.question_id = Some(101);
    }
    guide_arrives(&mut s, Some(desk_guide()));
    s
}

fn current(s: &State) -> usize {
    s.editor.as_ref().unwrap().guide.current
}

#[test]
fn the_guide_opens_at_the_first_question_not_covered_and_shows_coverage() {
    let s = guided();
    assert_eq!(current(&s), 1, "question 1 has a note already");
    assert_eq!(s.editor.as_ref().unwrap().guide.counts, [1, 0, 0, 0]);
    let out = render(&s, 140, 40);
    assert!(out.contains("Desk staff v2 · 1/4 covered"), "{out}");
    assert!(out.contains("1. What happens at the desk? ✓1"), "{out}");
    assert!(out.contains("▶ 2. How long is the wait?"), "{out}");
    assert!(
        out.contains("· Longest wait?"),
        "the current prompts show:\n{out}"
    );
    assert!(
        !out.contains("Who is first?"),
        "only the current prompts:\n{out}"
    );
    assert!(out.contains("Arriving") && out.contains("Help"), "{out}");
    assert!(
        out.contains("verbatim · Q1"),
        "the note list marks the answer:\n{out}"
    );
}

#[test]
fn alt_dot_and_alt_comma_move_through_the_questions_between_keystrokes() {
    let mut s = guided();
    type_str(&mut s, "she said ");
    update(&mut s, alt('.'));
    type_str(&mut s, "two hours");
    assert_eq!(current(&s), 2);
    update(&mut s, alt('.'));
    update(&mut s, alt('.'));
    assert_eq!(current(&s), 3, "the last question stays current");
    update(&mut s, alt(','));
    assert_eq!(current(&s), 2);
    assert_eq!(
        s.editor.as_ref().unwrap().text(),
        "she said two hours",
        "moving is not typing"
    );
    assert!(render(&s, 140, 40).contains("▶ 3. What would help?"));
}

#[test]
fn a_note_saved_while_a_question_is_current_answers_it() {
    let mut s = guided();
    update(&mut s, alt('.'));
    type_str(&mut s, "More staff at nine");
    let reqs = update(&mut s, key(KeyCode::Enter));
    let Some(Request::SaveNote { note, .. }) = reqs.first() else {
        panic!("Enter saves the note");
    };
    assert_eq!(note.question_id, Some(103));
    let e = s.editor.as_ref().unwrap();
    assert_eq!(e.notes.last().unwrap().note.question_id, Some(103));
    assert_eq!(
        e.guide.counts,
        [1, 0, 1, 0],
        "covered before the worker answers"
    );
    assert!(render(&s, 140, 40).contains("3. What would help? ✓1"));
}

#[test]
fn coverage_follows_an_undone_note() {
    let mut s = guided();
    type_str(&mut s, "Twenty minutes");
    let reqs = update(&mut s, key(KeyCode::Enter));
    let Some(Request::SaveNote { local, note }) = reqs.into_iter().next() else {
        panic!("Enter saves the note");
    };
    let mut saved = super::note(4, None, NoteKind::Paraphrase, &note.text, &[]);
    saved.question_id = note.question_id;
    update(
        &mut s,
        Msg::Worker(Reply::NoteSaved {
            local,
            note: Box::new(saved),
        }),
    );
    assert_eq!(s.editor.as_ref().unwrap().guide.counts, [1, 1, 0, 0]);
    let reqs = update(&mut s, ctrl('z'));
    assert!(matches!(reqs.as_slice(), [Request::DeleteNote(4)]));
    let kept: Vec<Note> = s.editor.as_ref().unwrap().notes[..3]
        .iter()
        .map(|r| r.note.clone())
        .collect();
    update(&mut s, Msg::Worker(Reply::Notes(kept)));
    assert_eq!(s.editor.as_ref().unwrap().guide.counts, [1, 0, 0, 0]);
}

#[test]
fn a_selected_note_is_linked_to_the_current_question_and_back_with_undo() {
    let mut s = guided();
    update(&mut s, alt_key(KeyCode::Up));
    let reqs = update(&mut s, alt('l'));
    assert!(
        matches!(
            reqs.as_slice(),
            [Request::Guide(GuideRequest::Answer {
                note: 3,
                question: Some(102)
            })]
        ),
        "note 3 answers question 2"
    );
    assert!(
        s.message
            .as_deref()
            .unwrap_or("")
            .contains("now answers Q2")
    );
    let mut linked = s.editor.as_ref().unwrap().notes[2].note.clone();
    linked.question_id = Some(102);
    update(&mut s, Msg::Worker(Reply::NoteChanged(Box::new(linked))));
    assert_eq!(s.editor.as_ref().unwrap().guide.counts, [1, 1, 0, 0]);
    assert!(render(&s, 140, 40).contains("paraphrase · Q2"));
    let reqs = update(&mut s, ctrl('z'));
    assert!(matches!(
        reqs.as_slice(),
        [Request::Guide(GuideRequest::Answer {
            note: 3,
            question: None
        })]
    ));
    // pressed on a note that already answers the current question, the key unlinks it
    update(&mut s, ctrl('y'));
    let mut again = s.editor.as_ref().unwrap().notes[2].note.clone();
    again.question_id = Some(102);
    update(&mut s, Msg::Worker(Reply::NoteChanged(Box::new(again))));
    let reqs = update(&mut s, alt('l'));
    assert!(matches!(
        reqs.as_slice(),
        [Request::Guide(GuideRequest::Answer {
            note: 3,
            question: None
        })]
    ));
}

#[test]
fn alt_t_hides_and_shows_the_guide() {
    let mut s = guided();
    update(&mut s, alt('t'));
    let out = render(&s, 140, 40);
    assert!(!out.contains("covered"), "hidden:\n{out}");
    update(&mut s, alt('t'));
    assert!(render(&s, 140, 40).contains("covered"));
}

#[test]
fn a_narrow_screen_shows_the_current_question_on_one_line() {
    let s = guided();
    let out = render(&s, 80, 24);
    assert!(!out.contains("covered"), "no panel at 80 columns:\n{out}");
    assert!(out.contains("Q2/4 · How long is the wait?"), "{out}");
    assert!(
        render(&s, 99, 30).contains("Q2/4"),
        "below 100 columns: one line"
    );
    assert!(
        render(&s, 100, 30).contains("covered"),
        "from 100 columns: the panel"
    );
}

#[test]
fn without_a_guide_nothing_shows_until_asked_and_then_it_says_how_to_add_one() {
    let mut s = in_editor();
    guide_arrives(&mut s, None);
    let before = render(&s, 140, 40);
    assert!(!before.contains("Topic guide"), "{before}");
    update(&mut s, alt('t'));
    let out = render(&s, 140, 40);
    assert!(
        out.contains("Topic guide") && out.contains("press g"),
        "{out}"
    );
    let reqs = type_str(&mut s, "x");
    assert!(reqs.is_empty());
    let reqs = update(&mut s, key(KeyCode::Enter));
    let Some(Request::SaveNote { note, .. }) = reqs.first() else {
        panic!("the note is saved");
    };
    assert_eq!(note.question_id, None);
}

#[test]
fn the_current_question_goes_with_the_draft_and_comes_back() {
    let mut s = guided();
    update(&mut s, alt('.'));
    let reqs = update(&mut s, Msg::Tick(10_000));
    let Some(Request::SaveDraft(d)) = reqs.first() else {
        panic!("moving saves the draft");
    };
    assert_eq!(d.question_id, Some(103));
    assert_eq!(d.text, "", "a question alone is kept, with nothing typed");
    // a note saved keeps the question in the draft too
    type_str(&mut s, "A later note");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert_eq!(reqs.len(), 1);
    assert!(s.editor.as_ref().unwrap().dirty);
    // reopened (after a lock or a crash), the session is back at question 3
    let mut s = in_editor();
    if let Some(e) = s.editor.as_mut() {
        e.guide.restore = Some(103);
    }
    guide_arrives(&mut s, Some(desk_guide()));
    assert_eq!(current(&s), 2);
    assert!(!s.editor.as_ref().unwrap().dirty, "nothing moved");
}

#[test]
fn snapshot_editor_with_guide() {
    let mut s = guided();
    update(&mut s, alt('.'));
    type_str(&mut s, "More staff at nine");
    snap_both("editor_guide", &s);
}

fn in_guides() -> State {
    let mut s = in_sessions();
    let reqs = update(&mut s, key(KeyCode::Char('g')));
    assert!(matches!(
        reqs.as_slice(),
        [Request::Guide(GuideRequest::List(p))] if p == "F2F"
    ));
    update(
        &mut s,
        Msg::Worker(Reply::Guide(GuideReply::List {
            project: "F2F".into(),
            guides: vec![GuideSummary {
                id: 3,
                name: "Desk staff".into(),
                session_kind: None,
                latest: 2,
                questions: 4,
                sessions: 1,
            }],
            message: None,
        })),
    );
    s
}

#[test]
fn the_guides_screen_lists_imports_writes_and_chooses() {
    let mut s = in_guides();
    assert_eq!(s.screen, Screen::Guides);
    let out = render(&s, 140, 40);
    assert!(out.contains("Desk staff") && out.contains("v2") && out.contains("4 questions"));
    // import: a path prompt
    update(&mut s, key(KeyCode::Char('i')));
    type_str(&mut s, "guide.md");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(
        reqs.as_slice(),
        [Request::Guide(GuideRequest::ImportFile { project, path })]
            if project == "F2F" && path == std::path::Path::new("guide.md")
    ));
    update(
        &mut s,
        Msg::Worker(Reply::Failed("could not read guide.md".into())),
    );
    assert!(render(&s, 140, 40).contains("could not read guide.md"));
    // the selected session follows the selected guide
    let reqs = update(&mut s, key(KeyCode::Char('u')));
    assert!(matches!(
        reqs.as_slice(),
        [Request::Guide(GuideRequest::Follow { session_id: 7, name, .. })] if name == "Desk staff"
    ));
    // a new guide in the text box: typed keys are text, Ctrl+S saves, Esc leaves it
    update(&mut s, key(KeyCode::Char('n')));
    assert!(render(&s, 140, 40).contains("# Topic guide"));
    type_str(&mut s, "- Is it new?");
    update(&mut s, key(KeyCode::Enter));
    let reqs = update(&mut s, ctrl('s'));
    let [Request::Guide(GuideRequest::SaveText { markdown, name, .. })] = reqs.as_slice() else {
        panic!("Ctrl+S saves the guide");
    };
    assert!(markdown.starts_with("- Is it new?") && markdown.contains("## Opening"));
    assert_eq!(*name, None);
    update(
        &mut s,
        Msg::Worker(Reply::Failed("no questions found".into())),
    );
    assert!(s.guides.editing.is_some(), "a refusal keeps the text");
    update(&mut s, key(KeyCode::Esc));
    assert!(s.guides.editing.is_none());
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.screen, Screen::Sessions);
}
