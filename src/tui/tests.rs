//! The app without a terminal: key → state → requests, and rendering into a test buffer.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use fieldnotes::model::{Note, NoteKind, Participant, Project, Session, SessionKind, Source};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secrecy::ExposeSecret;

use super::app::{Msg, Screen, State, update};
use super::config::Config;
use super::screens::editor::split_tags;
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
            tags: Vec::new(),
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
    assert!(s.editor.is_none() && s.projects.list.is_empty());
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
    t.draw(|f| {
        ui::draw(f, s);
    })
    .unwrap();
    t.backend().to_string()
}

/// Draws as the event loop does: what the frame laid out goes back to `update`.
fn render_and_remember(s: &mut State, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut drawn = ui::Drawn::default();
    t.draw(|f| drawn = ui::draw(f, s)).unwrap();
    update(s, Msg::Drawn(drawn));
    t.backend().to_string()
}

fn snap_both(name: &str, s: &State) {
    // forms offer today's date: the snapshot shows it as a fixed date, so it holds any day
    let today = fieldnotes::app::Clock::today(&fieldnotes::app::SystemClock::local());
    let fixed = |out: String| out.replace(&today, "2000-01-01");
    insta::assert_snapshot!(format!("{name}_80x24"), fixed(render(s, 80, 24)));
    insta::assert_snapshot!(format!("{name}_140x40"), fixed(render(s, 140, 40)));
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
            .map(|i| super::screens::editor::NoteRow {
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
            tags: Vec::new(),
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
            tags: Vec::new(),
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
    assert_eq!(s.projects.selected, 1);
    update(&mut s, Msg::Click(5, 20));
    assert_eq!(
        s.projects.selected, 1,
        "a click below the list changes nothing"
    );
}

#[test]
fn search_result_opens_its_session_at_the_note() {
    let mut s = in_editor();
    let hit = fieldnotes::model::SearchHit {
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
            tags: Vec::new(),
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

// ---- export review, retention, analysis and reading views ----

fn shift(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::SHIFT))
}

/// A small project in an in-memory store: two participants, three themes, a span tag.
fn store() -> fieldnotes::store::Store {
    use fieldnotes::store::{NewNote, NewParticipant, NewProject, NewSession, Store};
    let st = Store::open_in_memory().unwrap();
    st.project_add(NewProject {
        name: "F2F".into(),
        ..NewProject::default()
    })
    .unwrap();
    let sid = st
        .session_add(NewSession {
            project: "F2F".into(),
            kind: SessionKind::Interview,
            title: "Interview 3".into(),
            date: Some("2024-03-07".into()),
            location: None,
            source: Source::Live,
            paper: Default::default(),
            facilitators: vec![],
        })
        .unwrap();
    for (name, role) in [
        ("Abdirahman Warsame", "person with lived experience"),
        ("Gemma Ashworth", "customer support officer"),
    ] {
        st.participant_add(
            sid,
            NewParticipant {
                real_name: name.into(),
                role: Some(role.into()),
                ..NewParticipant::default()
            },
        )
        .unwrap();
    }
    st.theme_add("F2F", "Safety", None, None, None).unwrap();
    st.theme_add("F2F", "Guards", Some("Safety"), None, None)
        .unwrap();
    st.theme_add("F2F", "Waiting", None, None, None).unwrap();
    for (sp, text, themes) in [
        (
            "P01",
            "Abdirahman said the queue was two hours. He lives at NW1 9SL.",
            vec!["Waiting"],
        ),
        (
            "P02",
            "Security shouted at him; Gemma stepped in.",
            vec!["Safety", "Waiting"],
        ),
    ] {
        let id = st
            .note_add(NewNote {
                session_id: sid,
                speaker: Some(sp.into()),
                kind: NoteKind::Paraphrase,
                text: text.into(),
                special_category: false,
                criminal_offence: false,
                themes: themes.into_iter().map(String::from).collect(),
                at_ms: 0,
                cluster: None,
                page: None,
            })
            .unwrap();
        if sp == "P02" {
            st.tag(id, "Guards", Some((0, 8))).unwrap();
        }
    }
    st
}

fn in_sessions() -> State {
    let mut s = unlocked();
    update(
        &mut s,
        Msg::Worker(Reply::Sessions("F2F".into(), vec![session()])),
    );
    s
}

#[test]
fn export_review_keeps_denies_registers_and_exports() {
    let mut s = in_sessions();
    let reqs = update(&mut s, key(KeyCode::Char('x')));
    assert!(matches!(&reqs[..], [Request::ExportReview(p)] if p == "F2F"));
    let data = super::worker::review_data(&store(), "F2F").unwrap();
    update(&mut s, Msg::Worker(Reply::ExportReview(Box::new(data))));
    assert_eq!(s.screen, Screen::Review);
    snap_both("review", &s);
    let reqs = update(&mut s, key(KeyCode::Char('k')));
    match &reqs[..] {
        [
            Request::ReviewList {
                deny: false,
                phrase,
                ..
            },
        ] => assert_eq!(phrase, "Abdirahman"),
        other => panic!("{}", other.len()),
    }
    update(&mut s, key(KeyCode::Char('d')));
    type_str(&mut s, "the red-haired guard");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(&reqs[..], [Request::ReviewList { deny: true, phrase, .. }] if phrase == "the red-haired guard")
    );
    update(&mut s, key(KeyCode::Char('r')));
    type_str(&mut s, "Fatima Hassan");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(&reqs[..], [Request::ReviewRegister { name, .. }] if name == "Fatima Hassan"));
    update(&mut s, key(KeyCode::Char('e')));
    assert_eq!(s.prompt.as_ref().unwrap().input, "F2F-summary.html");
    assert!(
        update(&mut s, key(KeyCode::Enter)).is_empty(),
        "then: to whom?"
    );
    type_str(
        &mut s,
        "age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq",
    );
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(&reqs[..], [Request::Export { path, recipients, .. }]
            if path.to_str() == Some("F2F-summary.html") && recipients.len() == 1)
    );
    update(
        &mut s,
        Msg::Worker(Reply::Exported(
            "Exported 2 excerpts to F2F-summary.html".into(),
        )),
    );
    assert!(
        render(&s, 100, 24).contains("Exported 2 excerpts"),
        "the message shows"
    );
}

#[test]
fn the_retention_banner_leads_to_the_list_and_a_confirmed_erasure() {
    let mut s = unlocked();
    update(&mut s, Msg::Worker(Reply::RetentionDue(2)));
    snap_both("projects_retention_due", &s);
    let reqs = update(&mut s, ctrl('r'));
    assert!(matches!(&reqs[..], [Request::Retention]));
    let item = |id, overdue| fieldnotes::store::RetentionItem {
        project: "F2F".into(),
        session_id: id,
        title: format!("Interview {id}"),
        date: "2022-01-10".into(),
        due: "2024-01-10".into(),
        overdue,
        paper_pending: !overdue,
    };
    update(
        &mut s,
        Msg::Worker(Reply::Retention(vec![item(1, true), item(2, false)], None)),
    );
    assert_eq!(s.screen, Screen::Retention);
    snap_both("retention", &s);
    update(&mut s, key(KeyCode::Char('X')));
    type_str(&mut s, "no");
    assert!(
        update(&mut s, key(KeyCode::Enter)).is_empty(),
        "only 'yes' erases"
    );
    update(&mut s, key(KeyCode::Char('X')));
    type_str(&mut s, "yes");
    assert!(matches!(
        &update(&mut s, key(KeyCode::Enter))[..],
        [Request::ApplyRetention]
    ));
}

fn in_analysis() -> State {
    let mut s = in_sessions();
    let reqs = update(&mut s, key(KeyCode::Char('a')));
    assert!(
        matches!(&reqs[..], [Request::Analysis(p, f)] if p == "F2F" && *f == Default::default())
    );
    let data = super::worker::analysis_data(&store(), "F2F", Default::default()).unwrap();
    update(&mut s, Msg::Worker(Reply::Analysis(Box::new(data))));
    assert_eq!(s.screen, Screen::Analysis);
    s
}

#[test]
fn analysis_tabs_render_and_a_cell_lists_its_excerpts() {
    let mut s = in_analysis();
    snap_both("analysis_codebook", &s);
    update(&mut s, key(KeyCode::Tab));
    snap_both("analysis_frequencies", &s);
    update(&mut s, key(KeyCode::Tab));
    // Safety (row 0) with Waiting (column 2)
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Right));
    snap_both("analysis_cooccurrence", &s);
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(&reqs[..], [Request::AnalysisQuery(_, q, _)] if q == "Safety AND Waiting"));
    let c = fieldnotes::analysis::Corpus::load(&store(), "F2F").unwrap();
    let q = fieldnotes::analysis::Query::parse("Safety AND Waiting").unwrap();
    let ex = c.excerpts(&c.select(&q, &Default::default()).unwrap());
    update(
        &mut s,
        Msg::Worker(Reply::Excerpts("Safety AND Waiting".into(), ex)),
    );
    let out = render(&s, 140, 40);
    assert!(
        out.contains("Security shouted at him; P02 stepped in."),
        "pseudonyms only:\n{out}"
    );
    assert!(!out.contains("Gemma"));
    snap_both("analysis_excerpts", &s);
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(&reqs[..], [Request::OpenSession(_)]));
}

#[test]
fn codebook_changes_go_to_the_worker_after_confirmation() {
    let mut s = in_analysis();
    update(&mut s, key(KeyCode::Char('d')));
    assert!(
        s.prompt
            .as_ref()
            .unwrap()
            .label
            .contains("untag its 1 notes")
    );
    type_str(&mut s, "yes");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(&reqs[..], [Request::Codebook(_, super::worker::CodebookOp::Delete(t), _)] if t == "Safety")
    );
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Char('g')));
    type_str(&mut s, "Waiting");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(&reqs[..], [Request::Codebook(_, super::worker::CodebookOp::Merge(a, b), _)] if a == "Guards" && b == "Waiting")
    );
    update(&mut s, key(KeyCode::Char('m')));
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(&reqs[..], [Request::Codebook(_, super::worker::CodebookOp::Move(a, None), _)] if a == "Guards")
    );
    let reqs = update(&mut s, key(KeyCode::Char('c')));
    assert!(matches!(&reqs[..], [Request::Analysis(_, f)] if f.children));
    update(&mut s, key(KeyCode::Char('f')));
    type_str(
        &mut s,
        "role=security officer, kind=interview, from=2024-01-01",
    );
    let reqs = update(&mut s, key(KeyCode::Enter));
    match &reqs[..] {
        [Request::Analysis(_, f)] => {
            assert_eq!(f.group.as_deref(), Some("security officer"));
            assert_eq!(f.from.as_deref(), Some("2024-01-01"));
            assert_eq!(
                f.describe(),
                "role=security officer, kind=interview, from=2024-01-01"
            );
        }
        other => panic!("{}", other.len()),
    }
    update(&mut s, key(KeyCode::Char('f')));
    for _ in 0..80 {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_str(&mut s, "colour=red");
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    assert!(
        s.message
            .as_deref()
            .unwrap()
            .contains("'colour' is not a filter")
    );
}

fn in_reader() -> State {
    let mut s = in_sessions();
    let reqs = update(&mut s, key(KeyCode::Char('r')));
    assert!(matches!(&reqs[..], [Request::OpenSession(7)]));
    let st = store();
    let sid = st.sessions(Some("F2F")).unwrap()[0].id;
    update(
        &mut s,
        Msg::Worker(Reply::Session(Box::new(OpenedSession {
            session: st.session(sid).unwrap(),
            notes: st.notes(sid).unwrap(),
            participants: st.participants_of_session(sid).unwrap(),
            draft: None,
            themes: st
                .themes("F2F")
                .unwrap()
                .into_iter()
                .map(|t| t.name)
                .collect(),
            tags: st.tag_rows_of_session(sid).unwrap(),
        }))),
    );
    assert_eq!(s.screen, Screen::Reading);
    s
}

#[test]
fn reading_view_tags_a_selected_span_with_a_number_and_undoes_it() {
    let mut s = in_reader();
    snap_both("reading", &s);
    // "said" in the first note: a word right, one more, then four with Shift
    update(&mut s, ctrl_key(KeyCode::Right));
    update(&mut s, key(KeyCode::Right));
    for _ in 0..4 {
        update(&mut s, shift(KeyCode::Right));
    }
    let r = s.reader.as_ref().unwrap();
    assert_eq!(r.selection(), Some((11, 15)));
    assert_eq!(r.recent[..3], ["Safety", "Guards", "Waiting"]);
    let reqs = update(&mut s, key(KeyCode::Char('3')));
    let id = s.reader.as_ref().unwrap().notes[0].id;
    assert!(
        matches!(&reqs[..], [Request::TagSpan { note, theme, span: Some((11, 15)) }] if *note == id && theme == "Waiting")
    );
    assert_eq!(
        s.reader.as_ref().unwrap().recent[0],
        "Waiting",
        "most recent first"
    );
    // with no selection a number tags the whole note
    let reqs = update(&mut s, key(KeyCode::Char('2')));
    assert!(matches!(&reqs[..], [Request::TagSpan { span: None, .. }]));
    let reqs = update(&mut s, key(KeyCode::Char('u')));
    assert!(
        matches!(&reqs[..], [Request::UntagSpan { span: None, theme, .. }] if theme == "Safety")
    );
    update(&mut s, key(KeyCode::Char('/')));
    type_str(&mut s, "grd");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(&reqs[..], [Request::TagSpan { theme, .. }] if theme == "Guards"));
}

fn ctrl_key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::CONTROL))
}

#[test]
fn notes_are_flagged_special_category_or_criminal_offence() {
    let mut s = in_editor();
    update(&mut s, alt('s'));
    assert!(
        render(&s, 100, 30).contains("⚑ special category"),
        "the input shows the flag"
    );
    type_str(&mut s, "He spoke about his mental health");
    let reqs = update(&mut s, key(KeyCode::Enter));
    let [Request::SaveNote { note, .. }] = reqs.as_slice() else {
        panic!("a save");
    };
    assert!(note.special_category && !note.criminal_offence);
    assert!(
        !s.editor.as_ref().unwrap().special,
        "the next note starts unmarked"
    );
    // a saved note: select it and flag it
    update(&mut s, alt('c'));
    assert!(s.editor.as_ref().unwrap().criminal);
    update(&mut s, alt('c'));
    // the newest note is still saving: it cannot be flagged yet; the one before it can
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Up, KeyModifiers::ALT)),
    );
    assert!(update(&mut s, alt('c')).is_empty());
    assert!(
        s.message
            .as_deref()
            .unwrap_or("")
            .contains("Wait until the note is saved")
    );
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Up, KeyModifiers::ALT)),
    );
    let reqs = update(&mut s, alt('c'));
    assert!(
        matches!(
            &reqs[..],
            [Request::SetFlags {
                criminal_offence: true,
                ..
            }]
        ),
        "{}",
        reqs.len()
    );
}

#[test]
fn reading_view_selects_a_span_by_dragging_the_mouse() {
    let mut s = in_reader();
    // drawing records where each character is; the first note starts after "P01: "
    let out = render_and_remember(&mut s, 100, 30);
    let row = out.lines().nth(2).unwrap();
    assert!(row.contains("P01: Abdirahman said"), "{row}");
    update(&mut s, Msg::Click(1 + 5 + 11, 2));
    update(&mut s, Msg::Drag(1 + 5 + 14, 2));
    let r = s.reader.as_ref().unwrap();
    assert_eq!(r.selection(), Some((11, 15)), "'said' is selected");
    let reqs = update(&mut s, key(KeyCode::Char('1')));
    assert!(matches!(
        &reqs[..],
        [Request::TagSpan {
            span: Some((11, 15)),
            ..
        }]
    ));
    // a click on the second note moves there
    render_and_remember(&mut s, 100, 30);
    update(&mut s, Msg::Click(8, 4));
    assert_eq!(s.reader.as_ref().unwrap().note, 1);
}

/// Every character a terminal would obey rather than show.
fn unsafe_chars(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| *c != '\n' && fieldnotes::text::is_unsafe_for_terminal(*c))
        .collect()
}

#[test]
fn the_frame_scrub_removes_controls_and_bidi_overrides_from_any_cell() {
    let mut buf = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, 4, 1));
    buf.content[0].set_symbol("\u{202e}");
    buf.content[1].set_symbol("a\u{2066}");
    buf.content[2].set_symbol("\u{1b}");
    buf.content[3].set_symbol("\u{9b}");
    ui::scrub(&mut buf);
    let symbols: Vec<&str> = buf.content.iter().map(|c| c.symbol()).collect();
    assert_eq!(symbols, [" ", "a", " ", " "]);
}

#[test]
fn hostile_project_session_and_role_names_reach_the_screen_inert() {
    let hostile = "X\u{1b}]52;c;QUFB\u{7}\u{9b}2J\u{202e}gpj.exe\u{2067}";
    let mut s = State::new("fieldnotes/vault".into(), false, Config::default(), 0);
    update(
        &mut s,
        Msg::Worker(Reply::Unlocked(vec![project(hostile), project("F2F")])),
    );
    let projects = render(&s, 80, 24);
    assert!(unsafe_chars(&projects).is_empty(), "{projects}");
    assert!(projects.contains("\\u{202e}"), "shown visibly: {projects}");
    let mut sess = session();
    sess.title = hostile.into();
    sess.project = hostile.into();
    update(
        &mut s,
        Msg::Worker(Reply::Sessions(hostile.into(), vec![sess])),
    );
    let sessions = render(&s, 100, 24);
    assert!(unsafe_chars(&sessions).is_empty(), "{sessions}");
}

#[test]
fn an_existing_export_file_is_replaced_only_after_a_yes() {
    use fieldnotes::vault::{KdfSettings, Unlock, Vault};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let pass = secrecy::SecretString::from("correct horse battery staple 1987!".to_owned());
    let kdf = KdfSettings {
        work_factor: Some(10),
    };
    Vault::init(&dir, &pass, kdf).unwrap();
    let v = Vault::open(&dir, Unlock::Passphrase(pass), kdf).unwrap();
    v.store()
        .project_add(fieldnotes::store::NewProject {
            name: "F2F".into(),
            ..Default::default()
        })
        .unwrap();
    v.store()
        .session_add(fieldnotes::store::NewSession {
            project: "F2F".into(),
            kind: SessionKind::Interview,
            title: "Interview 1".into(),
            date: Some("2024-03-07".into()),
            location: None,
            source: Source::Live,
            paper: Default::default(),
            facilitators: vec![],
        })
        .unwrap();
    let out = tmp.path().join("summary.md");
    std::fs::write(&out, "the researcher's own notes").unwrap();
    let export = |overwrite| Request::Export {
        project: "F2F".into(),
        path: out.clone(),
        recipients: Vec::new(),
        overwrite,
    };
    let reply = super::worker::handle(&v, export(false));
    assert!(
        matches!(&reply, Reply::ExportExists { path, .. } if *path == out),
        "{reply:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "the researcher's own notes"
    );

    // the app asks; anything but y keeps the file
    let mut s = unlocked();
    s.review = Some(super::screens::review::ReviewView {
        selected: 0,
        data: super::worker::ReviewData {
            project: "F2F".into(),
            excerpts: 0,
            withheld: 0,
            items: Vec::new(),
        },
    });
    update(&mut s, Msg::Worker(reply));
    let label = s
        .prompt
        .as_ref()
        .map(|p| p.label.clone())
        .unwrap_or_default();
    assert!(label.contains("already exists"), "{label}");
    type_str(&mut s, "n");
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    assert!(
        s.message
            .as_deref()
            .unwrap_or("")
            .contains("Nothing was exported")
    );

    update(
        &mut s,
        Msg::Worker(super::worker::handle(&v, export(false))),
    );
    type_str(&mut s, "y");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(
            &reqs[..],
            [Request::Export {
                overwrite: true,
                ..
            }]
        ),
        "{} requests, not one export with overwrite",
        reqs.len()
    );
    let Some(req) = reqs.into_iter().next() else {
        unreachable!()
    };
    let reply = super::worker::handle(&v, req);
    assert!(matches!(reply, Reply::Exported(_)), "{reply:?}");
    assert!(std::fs::read_to_string(&out).unwrap().contains("F2F"));
}

/// The new-vault form's fields: (first, second, focus).
fn vault_form(s: &State) -> (String, String, usize) {
    let f = s.form.as_ref().expect("the new-vault form is open");
    (
        f.fields[0].value.to_string(),
        f.fields[1].value.to_string(),
        f.focus,
    )
}

fn submit_twice(s: &mut State, pass: &str) -> Vec<Request> {
    type_str(s, pass);
    update(s, key(KeyCode::Enter));
    type_str(s, pass);
    update(s, key(KeyCode::Enter))
}

#[test]
fn a_refused_new_passphrase_is_never_part_of_the_next_one() {
    let mut s = State::new("v".into(), true, Config::default(), 0);
    update(&mut s, key(KeyCode::Enter));
    // refused by the vault (too weak): the worker answers, the fields empty
    match submit_twice(&mut s, "password").as_slice() {
        [Request::Init(p)] => assert_eq!(p.expose_secret(), "password"),
        _ => panic!("expected the vault to be asked to refuse it"),
    }
    // keys while the vault is being created are not typed anywhere
    type_str(&mut s, "xyz");
    update(&mut s, Msg::Paste("pasted".into()));
    update(
        &mut s,
        Msg::Worker(Reply::UnlockFailed(
            "this passphrase is too easy to guess: use at least 10 characters".into(),
        )),
    );
    assert_eq!(vault_form(&s), (String::new(), String::new(), 0));
    let error = s.form.as_ref().and_then(|f| f.error()).unwrap_or_default();
    assert!(
        error.contains("too easy to guess") && error.contains("type it again"),
        "{error}"
    );
    match submit_twice(&mut s, "kettle harbour violet tram").as_slice() {
        [Request::Init(p)] => assert_eq!(p.expose_secret(), "kettle harbour violet tram"),
        _ => panic!("expected a vault with the passphrase typed last"),
    }

    // refused by the form (the two differ): the same
    let mut s = State::new("v".into(), true, Config::default(), 0);
    update(&mut s, key(KeyCode::Enter));
    type_str(&mut s, "kettle harbour");
    update(&mut s, key(KeyCode::Enter));
    type_str(&mut s, "kettle harbor");
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    assert_eq!(vault_form(&s), (String::new(), String::new(), 0));
    match submit_twice(&mut s, "kettle harbour violet tram").as_slice() {
        [Request::Init(p)] => assert_eq!(p.expose_secret(), "kettle harbour violet tram"),
        _ => panic!("expected a vault with the passphrase typed last"),
    }
}

#[test]
fn a_wrong_unlock_passphrase_leaves_nothing_for_the_next_try() {
    let mut s = State::new("v".into(), false, Config::default(), 0);
    type_str(&mut s, "wrong words");
    assert_eq!(update(&mut s, key(KeyCode::Enter)).len(), 1);
    // typed and pasted while "Unlocking…" shows: dropped, not kept for the next try
    type_str(&mut s, "abc");
    update(&mut s, Msg::Paste("pasted".into()));
    assert!(s.passphrase.is_empty());
    update(
        &mut s,
        Msg::Worker(Reply::UnlockFailed("wrong passphrase: try again".into())),
    );
    assert!(s.passphrase.is_empty());
    type_str(&mut s, "right words");
    match update(&mut s, key(KeyCode::Enter)).as_slice() {
        [Request::Unlock(p)] => assert_eq!(p.expose_secret(), "right words"),
        _ => panic!("expected one unlock request"),
    }
}
