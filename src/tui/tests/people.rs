//! Speakers, people mentioned, memos, the theme palette, the reader's number keys and
//! workshop ideas by votes and cluster.

use super::*;
use crate::tui::screens::prompt::PromptFor;
use fieldnotes::app::Memo;

fn speaker(s: &State) -> Option<String> {
    s.editor.as_ref().unwrap().speaker_code()
}

fn memo(id: i64, note_id: Option<i64>, text: &str) -> Memo {
    Memo {
        id,
        session_id: 7,
        note_id,
        text: text.into(),
        created_at_ms: 0,
    }
}

#[test]
fn a_live_interview_starts_with_the_interviewer_and_tab_cycles_f1_then_participants() {
    let mut s = in_editor();
    assert_eq!(
        speaker(&s).as_deref(),
        Some("F1"),
        "questions are attributed"
    );
    let mut seen = Vec::new();
    for _ in 0..4 {
        update(&mut s, key(KeyCode::Tab));
        seen.push(speaker(&s));
    }
    assert_eq!(
        seen,
        [
            Some("P01".into()),
            Some("P02".into()),
            None,
            Some("F1".into())
        ]
    );
    let reqs = type_str(&mut s, "What brought you in today?");
    assert!(reqs.is_empty());
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(&reqs[..], [Request::SaveNote { note, .. }] if note.speaker.as_deref() == Some("F1"))
    );
}

#[test]
fn the_first_live_interview_asks_the_researchers_name_once() {
    let mut s = in_sessions();
    update(&mut s, key(KeyCode::Char('i')));
    type_str(&mut s, "Security officer 1");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(&reqs[..], [Request::AddSession(ns)] if ns.facilitators.is_empty()));
    update(
        &mut s,
        Msg::Worker(Reply::AskResearcher("Security officer 1".into())),
    );
    assert!(matches!(
        s.prompt.as_ref().map(|p| &p.purpose),
        Some(PromptFor::Researcher(t)) if t == "Security officer 1"
    ));
    snap_both("researcher_prompt", &s);
    type_str(&mut s, "Sam Patel");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(&reqs[..], [Request::AddSessionAs(ns, name)] if ns.title == "Security officer 1" && name == "Sam Patel")
    );
    // Esc skips the name but still creates the interview
    let mut s = in_sessions();
    update(&mut s, Msg::Worker(Reply::AskResearcher("Second".into())));
    let reqs = update(&mut s, key(KeyCode::Esc));
    assert!(
        matches!(&reqs[..], [Request::AddSessionAs(ns, name)] if ns.title == "Second" && name.is_empty())
    );
    assert!(
        s.message
            .as_deref()
            .unwrap()
            .contains("settings researcher")
    );
}

#[test]
fn a_person_mentioned_is_registered_from_the_editor() {
    let mut s = in_editor();
    type_str(&mut s, "half typed");
    update(&mut s, alt('n'));
    assert!(matches!(
        s.prompt.as_ref().map(|p| &p.purpose),
        Some(PromptFor::PersonMentioned)
    ));
    type_str(&mut s, "Dennis Price");
    snap_both("person_prompt", &s);
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(&reqs[..], [Request::AddPerson { project, name }] if project == "F2F" && name == "Dennis Price")
    );
    update(&mut s, Msg::Worker(Reply::PersonAdded("Person A".into())));
    assert!(s.message.as_deref().unwrap().contains("Person A"));
    assert_eq!(s.editor.as_ref().unwrap().text(), "half typed", "kept");
}

#[test]
fn a_memo_goes_on_the_selected_note_or_the_session() {
    let mut s = in_editor();
    update(&mut s, alt('m'));
    assert!(matches!(
        s.prompt.as_ref().map(|p| &p.purpose),
        Some(PromptFor::Memo(None))
    ));
    type_str(&mut s, "Noisy room");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(
        &reqs[..],
        [Request::AddMemo { session_id: 7, note_id: None, text }] if text == "Noisy room"
    ));
    update(&mut s, alt_key(KeyCode::Up));
    update(&mut s, alt('m'));
    type_str(&mut s, "Ask again about the blame");
    snap_both("memo_prompt", &s);
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(
        &reqs[..],
        [Request::AddMemo {
            note_id: Some(3),
            ..
        }]
    ));
    update(
        &mut s,
        Msg::Worker(Reply::Memos(
            7,
            vec![memo(1, None, "Noisy room"), memo(2, Some(3), "Ask again")],
        )),
    );
    update(&mut s, key(KeyCode::Esc));
    let out = render(&s, 100, 30);
    assert!(
        out.contains("P02 (security officer) · paraphrase · ✎ memo"),
        "{out}"
    );
}

#[test]
fn memos_show_in_the_reading_view() {
    let mut s = in_reader();
    let sid = s.reader.as_ref().unwrap().session.id;
    let first = s.reader.as_ref().unwrap().notes[0].id;
    update(
        &mut s,
        Msg::Worker(Reply::Memos(
            sid,
            vec![
                Memo {
                    session_id: sid,
                    ..memo(1, None, "Interview cut short at 11:40")
                },
                Memo {
                    session_id: sid,
                    ..memo(2, Some(first), "Compare with the guard's account")
                },
            ],
        )),
    );
    snap_both("reading_memos", &s);
    let out = render(&s, 100, 30);
    assert!(out.contains("✎ session memo: Interview cut short"), "{out}");
    assert!(out.contains("✎ memo: Compare with the guard"), "{out}");
    let reqs = update(&mut s, key(KeyCode::Char('m')));
    assert!(reqs.is_empty());
    type_str(&mut s, "Check");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(&reqs[..], [Request::AddMemo { session_id, note_id: Some(n), .. }] if *session_id == sid && *n == first)
    );
}

#[test]
fn the_palette_lists_the_codebook_and_filters_as_you_type() {
    let mut s = in_editor();
    if let Some(e) = s.editor.as_mut() {
        e.themes = ["Safety", "Waiting times", "Staff attitude", "Signage"]
            .map(String::from)
            .to_vec();
    }
    update(&mut s, ctrl('t'));
    let p = s.prompt.as_ref().unwrap();
    assert_eq!(p.rows().len(), 4, "the whole codebook before typing");
    type_str(&mut s, "s");
    snap_both("palette", &s);
    let p = s.prompt.as_ref().unwrap();
    assert_eq!(
        p.rows(),
        [
            "Safety",
            "Staff attitude",
            "Signage",
            "Waiting times",
            "+ new theme “s”"
        ]
    );
    type_str(&mut s, "TA");
    assert_eq!(
        s.prompt.as_ref().unwrap().rows(),
        ["Staff attitude", "+ new theme “sTA”"]
    );
    update(&mut s, key(KeyCode::Backspace));
    update(&mut s, key(KeyCode::Backspace));
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        s.editor.as_ref().unwrap().text(),
        " #Signage",
        "no selection: the tag goes on the note being typed"
    );
}

#[test]
fn number_keys_in_the_reader_stay_put_and_can_be_pinned() {
    let mut s = in_reader();
    let slots = |s: &State| -> Vec<Option<String>> { s.reader.as_ref().unwrap().slots.to_vec() };
    let before = slots(&s);
    assert_eq!(before[0].as_deref(), Some("Safety"));
    update(&mut s, key(KeyCode::Char('3')));
    update(&mut s, key(KeyCode::Char('1')));
    assert_eq!(slots(&s), before, "using a key does not reorder the keys");
    update(&mut s, key(KeyCode::Char('p')));
    type_str(&mut s, "5 wait");
    update(&mut s, key(KeyCode::Enter));
    let after = slots(&s);
    assert_eq!(after[4].as_deref(), Some("Waiting"));
    assert_eq!(after[2], None, "a theme sits on one key");
    let reqs = update(&mut s, key(KeyCode::Char('5')));
    assert!(matches!(&reqs[..], [Request::TagSpan { theme, .. }] if theme == "Waiting"));
    update(&mut s, key(KeyCode::Char('p')));
    type_str(&mut s, "12 nothing");
    update(&mut s, key(KeyCode::Enter));
    assert!(s.message.as_deref().unwrap().starts_with("Not pinned"));
    snap_both("reading_pinned", &s);
    let out = render(&s, 80, 24);
    for k in 1..=9 {
        assert!(out.contains(&format!("{k} ")), "key {k} not shown:\n{out}");
    }
}

#[test]
fn workshop_ideas_rank_most_votes_first_and_group_by_cluster() {
    let mut s = workshop();
    if let Some(e) = s.editor.as_mut() {
        let mut tie = e.notes[2].clone();
        tie.note.id = 4;
        tie.note.position = 4;
        tie.note.text = "Water fountain".into();
        tie.note.cluster = Some("Waiting area".into());
        e.notes.push(tie);
    }
    update(&mut s, ctrl('o'));
    let e = s.editor.as_ref().unwrap();
    let ids: Vec<i64> = e
        .display_order()
        .iter()
        .map(|&i| e.notes[i].note.id)
        .collect();
    assert_eq!(ids, [2, 3, 4, 1], "most votes first, ties as written");
    update(&mut s, alt('g'));
    let e = s.editor.as_ref().unwrap();
    let ids: Vec<i64> = e
        .display_order()
        .iter()
        .map(|&i| e.notes[i].note.id)
        .collect();
    assert_eq!(ids, [2, 4, 3, 1], "by cluster, most votes first in each");
    snap_both("workshop_clusters", &s);
    let out = render(&s, 80, 24);
    assert!(
        out.contains("── Cluster: Waiting area · 2 ideas · 6 votes"),
        "{out}"
    );
    assert!(out.contains("── No cluster · 2 ideas · 3 votes"), "{out}");
    assert!(
        out.contains("· 1 vote\n") || out.contains("· 1 vote "),
        "{out}"
    );
    assert!(!out.contains("1 votes"), "{out}");
    // the ranking reads from the top: the most-voted idea is the first one shown
    let first_idea = out.lines().position(|l| l.contains("A quiet room"));
    let last_idea = out.lines().position(|l| l.contains("Signs at the door"));
    assert!(first_idea < last_idea, "{out}");
}
