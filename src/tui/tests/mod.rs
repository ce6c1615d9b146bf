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

mod access;
mod analysis;
mod coverage;
mod editor;
mod guide;
mod headless;
mod lists;
mod live_editor;
mod people;
mod quotes;
mod reader;
mod records;
mod review;
mod screens;
mod unlock;

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
        review: None,
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
        quote_consent: None,
        subject: false,
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
        question_id: None,
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
fn snapshot_help() {
    let mut s = in_editor();
    update(&mut s, key(KeyCode::F(1)));
    snap_both("help", &s);
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

fn shift(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::SHIFT))
}

/// A small project in a temporary vault, made through the use cases the app calls: two
/// participants, three themes, a span tag. The folder goes when the first half is dropped.
fn vault() -> (tempfile::TempDir, fieldnotes::vault::Vault) {
    use fieldnotes::app::{self, NewParticipant, NewProject, NewSession};
    use fieldnotes::vault::{KdfSettings, Unlock, Vault};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let pass = secrecy::SecretString::from("correct horse battery staple 1987!".to_owned());
    let kdf = KdfSettings {
        work_factor: Some(10),
    };
    Vault::init(&dir, &pass, kdf).unwrap();
    let v = Vault::open(&dir, Unlock::Passphrase(pass), kdf).unwrap();
    let clock = app::FixedClock::on(time::macros::date!(2024 - 03 - 07));
    app::projects::add(
        &v,
        NewProject {
            name: "F2F".into(),
            ..NewProject::default()
        },
    )
    .unwrap();
    let sid = app::sessions::add(
        &v,
        &clock,
        NewSession {
            project: "F2F".into(),
            kind: SessionKind::Interview,
            title: "Interview 3".into(),
            date: Some("2024-03-07".into()),
            location: None,
            source: Source::Live,
            paper: Default::default(),
            facilitators: vec![],
        },
    )
    .unwrap();
    for (name, role) in [
        ("Abdirahman Warsame", "person with lived experience"),
        ("Gemma Ashworth", "customer support officer"),
    ] {
        app::people::participant_add(
            &v,
            sid,
            NewParticipant {
                real_name: name.into(),
                role: Some(role.into()),
                ..NewParticipant::default()
            },
        )
        .unwrap();
    }
    for (name, parent) in [
        ("Safety", None),
        ("Guards", Some("Safety")),
        ("Waiting", None),
    ] {
        let theme = app::themes::NewTheme {
            name: name.into(),
            parent: parent.map(str::to_owned),
            ..Default::default()
        };
        app::themes::add(&v, "F2F", theme).unwrap();
    }
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
        let id = app::notes::add(
            &v,
            &clock,
            app::notes::NoteInput {
                session_id: sid,
                speaker: Some(sp.into()),
                kind: Some(NoteKind::Paraphrase),
                text: text.into(),
                themes: themes.into_iter().map(String::from).collect(),
                at_ms: Some(0),
                ..Default::default()
            },
        )
        .unwrap();
        if sp == "P02" {
            app::tags::tag(&v, id, "Guards", Some((0, 8))).unwrap();
        }
    }
    (tmp, v)
}

fn in_sessions() -> State {
    let mut s = unlocked();
    update(
        &mut s,
        Msg::Worker(Reply::Sessions("F2F".into(), vec![session()])),
    );
    s
}

fn in_analysis() -> State {
    let mut s = in_sessions();
    let reqs = update(&mut s, key(KeyCode::Char('a')));
    assert!(
        matches!(&reqs[..], [Request::Analysis(p, f)] if p == "F2F" && *f == Default::default())
    );
    let (_tmp, v) = vault();
    let data = super::worker::analysis_data(&v, "F2F", Default::default()).unwrap();
    update(&mut s, Msg::Worker(Reply::Analysis(Box::new(data))));
    assert_eq!(s.screen, Screen::Analysis);
    s
}

fn in_reader() -> State {
    let mut s = in_sessions();
    let reqs = update(&mut s, key(KeyCode::Char('r')));
    assert!(matches!(&reqs[..], [Request::OpenSession(7)]));
    let (_tmp, v) = vault();
    let sid = fieldnotes::app::sessions::list(&v, Some("F2F")).unwrap()[0].id;
    let opened = fieldnotes::app::sessions::open(&v, sid).unwrap();
    assert!(opened.draft.is_none());
    update(&mut s, Msg::Worker(Reply::Session(Box::new(opened))));
    assert_eq!(s.screen, Screen::Reading);
    s
}

fn ctrl_key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::CONTROL))
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
