//! The app without a terminal: key → state → requests, and rendering into a test buffer.

use crate::model::{Note, NoteKind, Participant, Project, Session, SessionKind, Source};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secrecy::ExposeSecret;

use super::app::{Msg, Screen, State, split_tags, update};
use super::config::Config;
use super::ui;
use super::worker::{OpenedSession, Reply, Request};

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn alt(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT))
}

fn type_str(s: &mut State, text: &str) -> Vec<Request> {
    text.chars()
        .flat_map(|c| update(s, key(KeyCode::Char(c))))
        .collect()
}

fn project(name: &str) -> Project {
    Project {
        id: 1,
        name: name.into(),
        dpia_ref: Some("DPIA-24-07".into()),
        retention_months: Some(24),
        ..Default::default()
    }
}

fn session() -> Session {
    Session {
        id: 7,
        project_id: 1,
        project: "F2F".into(),
        kind: SessionKind::Interview,
        title: "Security officer 1".into(),
        date: Some("2024-03-07".into()),
        location: None,
        source: Source::Live,
        paper: Default::default(),
        facilitators: vec!["Jo Bloggs".into()],
        started_at_ms: Some(0),
    }
}

fn participant(code: &str, name: &str, role: &str) -> Participant {
    Participant {
        id: 1,
        project_id: 1,
        pseudonym: code.into(),
        real_name: Some(name.into()),
        role: Some(role.into()),
        consent: None,
        consent_date: None,
        consent_form: None,
        restricted: false,
        withdrawn_on: None,
        withdrawal: None,
        erased_on: None,
    }
}

fn note(id: i64, speaker: Option<&str>, kind: NoteKind, text: &str, themes: &[&str]) -> Note {
    Note {
        id,
        session_id: 7,
        position: id,
        created_at_ms: 0,
        offset_ms: Some(id * 65_000),
        speaker: speaker.map(str::to_owned),
        kind,
        text: text.into(),
        special_category: false,
        criminal_offence: false,
        themes: themes.iter().map(|t| t.to_string()).collect(),
        cluster: None,
        votes: 0,
        page: None,
    }
}

fn unlocked() -> State {
    let mut s = State::new("fieldnotes/vault".into(), false, Config::default(), 0);
    update(
        &mut s,
        Msg::Worker(Reply::Unlocked(vec![
            project("F2F"),
            project("Workshops 2024"),
        ])),
    );
    s
}

fn in_editor() -> State {
    let mut s = unlocked();
    update(
        &mut s,
        Msg::Worker(Reply::Sessions("F2F".into(), vec![session()])),
    );
    update(
        &mut s,
        Msg::Worker(Reply::Session(Box::new(OpenedSession {
            session: session(),
            notes: vec![
                note(
                    1,
                    Some("P01"),
                    NoteKind::Verbatim,
                    "I waited four hours and nobody told me why.",
                    &["Waiting"],
                ),
                note(
                    2,
                    Some("F1"),
                    NoteKind::Observation,
                    "Desk closed at 16:30; Zoë 😀 김민준 were queueing.",
                    &[],
                ),
                note(
                    3,
                    Some("P02"),
                    NoteKind::Paraphrase,
                    "Security staff feel they carry the blame for closed desks, especially late in the afternoon when the queue is longest.",
                    &["Safety", "Waiting"],
                ),
            ],
            participants: vec![
                participant("P01", "Aisha Khan", "person with lived experience"),
                participant("P02", "Craig Barker", "security officer"),
            ],
            draft: None,
            themes: vec!["Safety".into(), "Waiting times".into()],
        }))),
    );
    s
}

#[test]
fn unlock_sends_the_typed_passphrase_and_never_keeps_it() {
    let mut s = State::new("v".into(), false, Config::default(), 0);
    type_str(&mut s, "secret words");
    let reqs = update(&mut s, key(KeyCode::Enter));
    match reqs.as_slice() {
        [Request::Unlock(p)] => assert_eq!(p.expose_secret(), "secret words"),
        _ => panic!("expected one unlock request"),
    }
    assert!(s.passphrase.is_empty());
    assert_eq!(s.busy.as_deref(), Some("Unlocking…"));
    update(
        &mut s,
        Msg::Worker(Reply::UnlockFailed("wrong passphrase: try again".into())),
    );
    assert_eq!(s.screen, Screen::Unlock);
    assert!(s.message.as_deref().unwrap().contains("wrong passphrase"));
}

#[test]
fn enter_commits_the_note_with_speaker_kind_and_tags() {
    let mut s = in_editor();
    update(&mut s, key(KeyCode::Tab)); // P01
    update(&mut s, key(KeyCode::Tab)); // P02
    update(&mut s, ctrl('k')); // paraphrase -> observation
    type_str(&mut s, "Queue past the door #Waiting_times #safety");
    let reqs = update(&mut s, key(KeyCode::Enter));
    let [Request::SaveNote { note, .. }] = reqs.as_slice() else {
        panic!("expected a save")
    };
    assert_eq!(note.text, "Queue past the door");
    assert_eq!(note.speaker.as_deref(), Some("P02"));
    assert_eq!(note.kind, NoteKind::Observation);
    assert_eq!(
        note.themes,
        vec!["Waiting times".to_owned(), "safety".to_owned()]
    );
    let e = s.editor.as_ref().unwrap();
    assert_eq!(
        e.notes.len(),
        4,
        "the note shows at once, before the vault confirms"
    );
    assert!(e.input.is_empty());
    assert_eq!(s.save_state(), "saving…");
}

#[test]
fn alt_digits_pick_speakers_and_tab_wraps_to_none() {
    let mut s = in_editor();
    update(&mut s, alt('3'));
    assert_eq!(
        s.editor.as_ref().unwrap().speaker_code().as_deref(),
        Some("F1")
    );
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.editor.as_ref().unwrap().speaker_code(), None);
    update(&mut s, alt('0'));
    assert_eq!(s.editor.as_ref().unwrap().speaker_code(), None);
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
    );
    assert_eq!(
        s.editor.as_ref().unwrap().speaker_code().as_deref(),
        Some("F1")
    );
}

#[test]
fn drafts_are_saved_within_a_second_and_on_quit() {
    let mut s = in_editor();
    type_str(&mut s, "half a thought");
    let reqs = update(&mut s, Msg::Tick(10_000));
    assert!(matches!(reqs.as_slice(), [Request::SaveDraft(d)] if d.text == "half a thought"));
    type_str(&mut s, " more");
    assert!(
        update(&mut s, Msg::Tick(10_100)).is_empty(),
        "not more often than every 500 ms"
    );
    let reqs = update(&mut s, Msg::Tick(10_600));
    assert!(matches!(reqs.as_slice(), [Request::SaveDraft(d)] if d.text == "half a thought more"));
    type_str(&mut s, "!");
    let reqs = update(&mut s, ctrl('q'));
    assert!(s.quit);
    assert!(matches!(reqs.as_slice(), [Request::SaveDraft(d)] if d.text.ends_with('!')));
}

#[test]
fn lock_clears_everything_and_drops_the_key() {
    let mut s = in_editor();
    type_str(&mut s, "unsaved");
    let reqs = update(&mut s, ctrl('l'));
    assert!(matches!(
        reqs.as_slice(),
        [Request::SaveDraft(_), Request::Lock]
    ));
    assert_eq!(s.screen, Screen::Unlock);
    assert!(s.editor.is_none() && s.projects.is_empty());
}

#[test]
fn idle_time_locks() {
    let mut s = in_editor();
    let reqs = update(&mut s, Msg::Tick(300_001));
    assert!(reqs.iter().any(|r| matches!(r, Request::Lock)));
    assert_eq!(s.screen, Screen::Unlock);
}

#[test]
fn privacy_screen_blanks_and_any_key_returns_without_typing() {
    let mut s = in_editor();
    update(&mut s, ctrl('b'));
    assert!(s.privacy);
    update(&mut s, key(KeyCode::Char('x')));
    assert!(!s.privacy);
    assert!(
        s.editor.as_ref().unwrap().input.is_empty(),
        "the key that returns is not typed"
    );
}

#[test]
fn theme_tags_are_split_from_text() {
    assert_eq!(
        split_tags("a #b c"),
        ("a c".to_owned(), vec!["b".to_owned()])
    );
    assert_eq!(
        split_tags("#1 priority"),
        ("#1 priority".to_owned(), vec![])
    );
    assert_eq!(
        split_tags("end. #Safety."),
        ("end.".to_owned(), vec!["Safety".to_owned()])
    );
    assert_eq!(split_tags("#a #A"), (String::new(), vec!["a".to_owned()]));
}

#[test]
fn wrap_counts_wide_characters() {
    assert_eq!(ui::wrap("김민준 김민준", 7), vec!["김민준", "김민준"]);
    assert_eq!(ui::wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
    assert_eq!(ui::wrap("a\nb", 10), vec!["a", "b"]);
}

fn render(s: &State, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| ui::draw(f, s)).unwrap();
    t.backend().to_string()
}

fn snap_both(name: &str, s: &State) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(s, 80, 24));
    insta::assert_snapshot!(format!("{name}_140x40"), render(s, 140, 40));
}

#[test]
fn snapshot_unlock() {
    let mut s = State::new("fieldnotes/vault".into(), false, Config::default(), 0);
    type_str(&mut s, "hunter2 secret");
    let out = render(&s, 80, 24);
    assert!(
        !out.contains("hunter2") && !out.contains("*"),
        "nothing of the passphrase shows"
    );
    snap_both("unlock", &s);
}

#[test]
fn snapshot_no_vault() {
    snap_both(
        "no_vault",
        &State::new("fieldnotes/vault".into(), true, Config::default(), 0),
    );
}

#[test]
fn snapshot_projects() {
    snap_both("projects", &unlocked());
}

#[test]
fn snapshot_sessions() {
    let mut s = unlocked();
    update(
        &mut s,
        Msg::Worker(Reply::Sessions("F2F".into(), vec![session()])),
    );
    snap_both("sessions", &s);
}

#[test]
fn snapshot_editor() {
    let mut s = in_editor();
    update(&mut s, key(KeyCode::Tab));
    type_str(&mut s, "They said the #Wai");
    let out = render(&s, 80, 24);
    assert!(
        !out.contains("Aisha") && !out.contains("Craig"),
        "real names never show"
    );
    snap_both("editor", &s);
}

#[test]
fn snapshot_help() {
    let mut s = in_editor();
    update(&mut s, key(KeyCode::F(1)));
    snap_both("help", &s);
}

#[test]
fn snapshot_search() {
    let mut s = unlocked();
    update(&mut s, ctrl('f'));
    type_str(&mut s, "queue");
    snap_both("search_prompt", &s);
}

#[test]
fn snapshot_privacy() {
    let mut s = in_editor();
    update(&mut s, ctrl('b'));
    let out = render(&s, 80, 24);
    assert!(
        out.chars().all(|c| c == ' ' || c == '"' || c == '\n'),
        "privacy screen shows nothing"
    );
}

#[test]
fn a_long_session_renders_only_what_fits() {
    let mut s = in_editor();
    if let Some(e) = s.editor.as_mut() {
        let n = e.notes[2].clone();
        e.notes = (0..5000)
            .map(|i| super::app::NoteRow {
                pending: None,
                note: Note {
                    id: i,
                    position: i,
                    ..n.note.clone()
                },
            })
            .collect();
    }
    let out = render(&s, 80, 24);
    assert!(out.contains("Security staff"), "{out}");
}

fn workshop() -> State {
    let mut s = unlocked();
    let mut w = session();
    w.kind = SessionKind::Workshop;
    w.title = "Staff workshop".into();
    let mut ideas: Vec<Note> = [
        ("Signs at the door", 1),
        ("A quiet room", 4),
        ("Radio on floor 2", 2),
    ]
    .iter()
    .enumerate()
    .map(|(i, (t, v))| {
        let mut n = note(i as i64 + 1, Some("P01"), NoteKind::Idea, t, &[]);
        n.votes = *v;
        n.offset_ms = None;
        n
    })
    .collect();
    ideas[1].cluster = Some("Waiting area".into());
    update(
        &mut s,
        Msg::Worker(Reply::Session(Box::new(OpenedSession {
            session: w,
            notes: ideas,
            participants: vec![participant("P01", "Ana Silva", "customer support officer")],
            draft: None,
            themes: vec![],
        }))),
    );
    s
}

fn alt_key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::ALT))
}

#[test]
fn select_edit_and_undo_an_earlier_note() {
    let mut s = in_editor();
    type_str(&mut s, "half typed");
    update(&mut s, alt_key(KeyCode::Up));
    update(&mut s, alt_key(KeyCode::Up));
    assert_eq!(s.editor.as_ref().unwrap().selected, Some(1));
    update(&mut s, ctrl('e'));
    let e = s.editor.as_ref().unwrap();
    assert_eq!(
        e.text(),
        "Desk closed at 16:30; Zoë 😀 김민준 were queueing."
    );
    assert_eq!(e.speaker_code().as_deref(), Some("F1"));
    assert_eq!(
        e.draft().text,
        "half typed",
        "the draft is put aside, not lost"
    );
    type_str(&mut s, " Later reopened.");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(reqs.as_slice(), [Request::UpdateNote { id: 2, text, .. }] if text.ends_with("Later reopened."))
    );
    assert_eq!(
        s.editor.as_ref().unwrap().text(),
        "half typed",
        "the draft comes back"
    );
    let reqs = update(&mut s, ctrl('z'));
    assert!(
        matches!(reqs.as_slice(), [Request::UpdateNote { id: 2, text, .. }] if text.ends_with("queueing."))
    );
}

#[test]
fn move_and_undo_move() {
    let mut s = in_editor();
    update(&mut s, alt_key(KeyCode::Up));
    let reqs = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Up, KeyModifiers::CONTROL)),
    );
    assert!(matches!(
        reqs.as_slice(),
        [Request::MoveNote { id: 3, up: true }]
    ));
    let reqs = update(&mut s, ctrl('z'));
    assert!(matches!(
        reqs.as_slice(),
        [Request::MoveNote { id: 3, up: false }]
    ));
}

#[test]
fn undo_of_a_new_note_deletes_it_once_saved() {
    let mut s = in_editor();
    type_str(&mut s, "oops wrong session");
    let reqs = update(&mut s, key(KeyCode::Enter));
    let [Request::SaveNote { local, .. }] = reqs.as_slice() else {
        panic!()
    };
    let local = *local;
    let reqs = update(&mut s, ctrl('z'));
    assert!(reqs.is_empty(), "not yet saved: nothing to delete yet");
    let saved = note(99, None, NoteKind::Paraphrase, "oops wrong session", &[]);
    update(
        &mut s,
        Msg::Worker(Reply::NoteSaved {
            local,
            note: Box::new(saved),
        }),
    );
    let reqs = update(&mut s, ctrl('z'));
    assert!(matches!(reqs.as_slice(), [Request::DeleteNote(99)]));
}

#[test]
fn theme_palette_tags_the_selected_note() {
    let mut s = in_editor();
    update(&mut s, alt_key(KeyCode::Up));
    update(&mut s, ctrl('t'));
    type_str(&mut s, "wai");
    update(&mut s, key(KeyCode::Right));
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(reqs.as_slice(), [Request::Tag(3, t)] if t == "Waiting times"));
}

#[test]
fn workshop_votes_and_sorts_by_priority() {
    let mut s = workshop();
    assert_eq!(s.editor.as_ref().unwrap().kind, NoteKind::Idea);
    update(&mut s, ctrl('o'));
    let e = s.editor.as_ref().unwrap();
    let order: Vec<i64> = e
        .display_order()
        .iter()
        .map(|&i| e.notes[i].note.votes)
        .collect();
    assert_eq!(order, vec![1, 2, 4], "most votes nearest the input");
    update(&mut s, alt_key(KeyCode::Up));
    let reqs = update(&mut s, alt('='));
    assert!(matches!(
        reqs.as_slice(),
        [Request::Vote { id: 2, delta: 1 }]
    ));
    update(&mut s, ctrl('g'));
    type_str(&mut s, "Quick wins");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(reqs.as_slice(), [Request::SetCluster(2, Some(c))] if c == "Quick wins"));
}

#[test]
fn snapshot_workshop() {
    let mut s = workshop();
    update(&mut s, ctrl('o'));
    update(&mut s, alt_key(KeyCode::Up));
    snap_both("workshop", &s);
}

#[test]
fn snapshot_paper() {
    let mut s = unlocked();
    let mut p = session();
    p.source = Source::Paper;
    p.title = "Notes from 3 March".into();
    p.paper.written_by = Some("R. Okafor".into());
    update(
        &mut s,
        Msg::Worker(Reply::Session(Box::new(OpenedSession {
            session: p,
            notes: vec![{
                let mut n = note(
                    1,
                    None,
                    NoteKind::Observation,
                    "long queue by the lifts",
                    &[],
                );
                n.offset_ms = None;
                n.page = Some("2".into());
                n
            }],
            participants: vec![],
            draft: None,
            themes: vec![],
        }))),
    );
    snap_both("paper", &s);
}

#[test]
fn snapshot_forms() {
    let mut s = unlocked();
    update(&mut s, ctrl('n'));
    type_str(&mut s, "F2F 2025");
    snap_both("project_form", &s);
    let mut s = in_editor();
    update(&mut s, ctrl('p'));
    type_str(&mut s, "Aisha Khan");
    snap_both("participant_form", &s);
    let mut s = State::new("fieldnotes/vault".into(), true, Config::default(), 0);
    update(&mut s, key(KeyCode::Enter));
    type_str(&mut s, "secret words here");
    let out = render(&s, 80, 24);
    assert!(!out.contains("secret"), "a new passphrase never shows");
    snap_both("vault_form", &s);
}

#[test]
fn clicking_a_row_selects_it() {
    let mut s = unlocked();
    update(&mut s, Msg::Click(5, 3));
    assert_eq!(s.selected, 1);
    update(&mut s, Msg::Click(5, 20));
    assert_eq!(s.selected, 1, "a click below the list changes nothing");
}

#[test]
fn search_result_opens_its_session_at_the_note() {
    let mut s = in_editor();
    let hit = crate::model::SearchHit {
        project: "F2F".into(),
        session_id: 7,
        session_title: "Security officer 1".into(),
        note: note(2, Some("F1"), NoteKind::Observation, "Desk closed", &[]),
    };
    update(
        &mut s,
        Msg::Worker(Reply::SearchResults("desk".into(), vec![hit])),
    );
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(reqs.as_slice(), [Request::OpenSession(7)]));
    let mut again = in_editor();
    again.focus_note = s.focus_note;
    update(
        &mut again,
        Msg::Worker(Reply::Session(Box::new(OpenedSession {
            session: session(),
            notes: vec![
                note(1, None, NoteKind::Paraphrase, "a", &[]),
                note(2, None, NoteKind::Paraphrase, "b", &[]),
            ],
            participants: vec![],
            draft: None,
            themes: vec![],
        }))),
    );
    assert_eq!(again.editor.as_ref().unwrap().selected, Some(1));
}

#[test]
fn a_refused_save_puts_the_text_back() {
    let mut s = in_editor();
    type_str(&mut s, "first");
    let reqs = update(&mut s, key(KeyCode::Enter));
    let [Request::SaveNote { local, .. }] = reqs.as_slice() else {
        panic!()
    };
    let local = *local;
    type_str(&mut s, "second");
    update(
        &mut s,
        Msg::Worker(Reply::NoteFailed {
            local,
            text: "first".into(),
            message: "the disk is full".into(),
        }),
    );
    let e = s.editor.as_ref().unwrap();
    assert_eq!(e.notes.len(), 3, "the pending row is gone");
    assert_eq!(e.text(), "first\nsecond");
    assert!(e.dirty, "the restored text is saved as the draft");
    assert_eq!(s.save_state(), "saving…");
    assert!(s.message.as_deref().unwrap().contains("disk is full"));
}

#[test]
fn editing_a_session_prefills_its_record() {
    let mut s = unlocked();
    update(
        &mut s,
        Msg::Worker(Reply::Sessions("F2F".into(), vec![session()])),
    );
    update(&mut s, key(KeyCode::Char('e')));
    let f = s.form.as_ref().expect("a form");
    assert_eq!(f.fields[0].value.as_str(), "Security officer 1");
    assert_eq!(f.fields[5].value.as_str(), "Jo Bloggs");
    for _ in 0..4 {
        update(&mut s, key(KeyCode::Tab));
    }
    type_str(&mut s, "Crowndale Centre");
    let reqs = update(&mut s, ctrl('s'));
    assert!(
        matches!(reqs.as_slice(), [Request::UpdateSession(7, ns)] if ns.location.as_deref() == Some("Crowndale Centre"))
    );
}
