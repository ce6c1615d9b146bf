//! The app run headless: its `update` and its worker thread, against a real temporary vault,
//! wired as the terminal loop wires them (requests to the worker, replies back as messages,
//! every frame drawn into a test buffer and its layout handed back). Nothing is stubbed
//! between a key and the vault on disk.

use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use fieldnotes::app;
use fieldnotes::vault::{KdfSettings, Unlock, Vault};
use secrecy::SecretString;

use super::*;
use crate::tui::{Event, worker};

const PASSPHRASE: &str = "correct horse battery staple 1987!";
const KDF: KdfSettings = KdfSettings {
    work_factor: Some(10),
};

/// The app and its worker, with a clock the test moves.
struct Headless {
    state: State,
    requests: Option<Sender<Request>>,
    replies: Receiver<Event>,
    worker: Option<std::thread::JoinHandle<()>>,
    now_ms: i64,
}

impl Headless {
    fn start(dir: std::path::PathBuf) -> Self {
        let (req_tx, req_rx) = mpsc::channel();
        let (ev_tx, ev_rx) = mpsc::channel();
        let worker = std::thread::spawn(move || worker::run(dir, KDF, req_rx, ev_tx));
        let mut h = Headless {
            state: State::new("vault".into(), false, Config::default(), 0),
            requests: Some(req_tx),
            replies: ev_rx,
            worker: Some(worker),
            now_ms: 0,
        };
        h.draw();
        h
    }

    /// One message through `update`, its requests to the worker, then every reply that
    /// follows, each with its own requests, until the worker is quiet.
    fn send(&mut self, msg: Msg) {
        // requests sent and not yet answered; an unlock is answered twice (the projects, then
        // what retention has due), hence the short drain once none is outstanding
        let mut outstanding = self.dispatch(msg);
        if outstanding == 0 {
            return;
        }
        loop {
            let wait = if outstanding > 0 {
                // the first reply may wait on the key derivation
                Duration::from_secs(20)
            } else {
                Duration::from_millis(100)
            };
            match self.replies.recv_timeout(wait) {
                Ok(ev) => outstanding = outstanding.saturating_sub(1) + self.reply(ev),
                Err(_) if outstanding == 0 => return,
                Err(e) => panic!("the worker did not answer: {e}"),
            }
        }
    }

    fn reply(&mut self, ev: Event) -> usize {
        match ev {
            Event::Worker(r) => self.dispatch(Msg::Worker(r)),
            other => panic!("the worker sent {other:?}"),
        }
    }

    /// Runs `update`, sends its requests, draws; says how many requests went.
    fn dispatch(&mut self, msg: Msg) -> usize {
        let requests = update(&mut self.state, msg);
        let n = requests.len();
        for r in requests {
            self.requests
                .as_ref()
                .expect("the app is running")
                .send(r)
                .expect("the worker is running");
        }
        self.draw();
        n
    }

    /// A frame, as the terminal loop draws one after every message.
    fn draw(&mut self) {
        render_and_remember(&mut self.state, 100, 30);
    }

    fn screen_text(&self) -> String {
        render(&self.state, 100, 30)
    }

    fn keys(&mut self, text: &str) {
        for c in text.chars() {
            self.send(key(KeyCode::Char(c)));
        }
    }

    /// Time passes, as the loop's ticks say it does.
    fn wait(&mut self, ms: i64) {
        self.now_ms += ms;
        self.send(Msg::Tick(self.now_ms));
    }

    /// Closes the request channel, as leaving the loop does, and waits for the worker.
    fn stop(mut self) {
        self.requests = None;
        if let Some(w) = self.worker.take() {
            w.join().expect("the worker ends cleanly");
        }
    }
}

/// The app tests' sample project in a temporary vault, closed again before the app opens
/// it; returns the folder (kept while the first half lives), the vault's path and the
/// session's id.
fn prepared_vault() -> (tempfile::TempDir, std::path::PathBuf, i64) {
    let (tmp, v) = vault();
    let sid = app::sessions::list(&v, Some("F2F")).unwrap()[0].id;
    drop(v);
    let dir = tmp.path().join("vault");
    (tmp, dir, sid)
}

#[test]
fn a_note_typed_in_the_app_reaches_the_vault_and_a_half_typed_one_survives_quitting() {
    let (_tmp, dir, sid) = prepared_vault();

    let mut h = Headless::start(dir.clone());
    h.keys(PASSPHRASE);
    h.send(key(KeyCode::Enter));
    assert_eq!(h.state.screen, Screen::Projects, "{}", h.screen_text());
    assert!(h.screen_text().contains("F2F"));

    h.send(key(KeyCode::Enter));
    assert_eq!(h.state.screen, Screen::Sessions, "{}", h.screen_text());
    assert!(h.screen_text().contains("Interview 3"));

    h.send(key(KeyCode::Enter));
    assert_eq!(h.state.screen, Screen::Editor, "{}", h.screen_text());

    h.keys("The queue was two hours and nobody explained why #waiting");
    h.send(key(KeyCode::Enter));
    assert!(
        h.screen_text()
            .contains("The queue was two hours and nobody explained why"),
        "the saved note is on screen:\n{}",
        h.screen_text()
    );
    assert_eq!(h.state.pending_saves, 0, "the worker acknowledged the note");

    h.keys("and then security");
    h.wait(1_000);
    h.send(ctrl('q'));
    assert!(h.state.quit);
    h.stop();

    let v = Vault::open(
        &dir,
        Unlock::Passphrase(SecretString::from(PASSPHRASE.to_owned())),
        KDF,
    )
    .unwrap();
    let notes = app::notes::list(&v, sid).unwrap();
    let last = notes.last().expect("the note was saved");
    assert_eq!(notes.len(), 3, "the sample's two and the one typed");
    assert_eq!(
        last.text,
        "The queue was two hours and nobody explained why"
    );
    // `#waiting` is the codebook's own theme, whatever its case
    assert_eq!(last.themes, vec!["Waiting".to_owned()]);
    let draft = app::drafts::load(&v, sid)
        .unwrap()
        .expect("the draft was kept");
    assert_eq!(draft.text, "and then security");
    let opened = app::vault_ops::audit_trail(&v)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "unlock")
        .count();
    assert_eq!(opened, 1, "the app's unlock is on the audit trail");
}

#[test]
fn a_wrong_passphrase_in_the_app_changes_nothing_and_the_right_one_then_opens() {
    let (_tmp, dir, _sid) = prepared_vault();
    let before: Vec<(String, u64)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().len(),
            )
        })
        .collect();

    let mut h = Headless::start(dir.clone());
    h.keys("not the passphrase at all");
    h.send(key(KeyCode::Enter));
    assert_eq!(h.state.screen, Screen::Unlock);
    assert!(
        h.state
            .message
            .as_deref()
            .is_some_and(|m| m.to_lowercase().contains("passphrase")),
        "{:?}",
        h.state.message
    );
    let mut after: Vec<(String, u64)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().len(),
            )
        })
        .collect();
    let mut before = before;
    before.sort();
    after.sort();
    assert_eq!(before, after, "a refused unlock writes nothing");

    h.keys(PASSPHRASE);
    h.send(key(KeyCode::Enter));
    assert_eq!(h.state.screen, Screen::Projects, "{}", h.screen_text());
    h.send(ctrl('q'));
    h.stop();
}

#[test]
fn ctrl_t_on_a_team_project_shows_what_waits_to_be_sent_and_the_team() {
    let (_tmp, dir, _sid) = prepared_vault();
    {
        let v = Vault::open(
            &dir,
            Unlock::Passphrase(SecretString::from(PASSPHRASE.to_owned())),
            KDF,
        )
        .unwrap();
        app::team::init(&v, Some("F2F"), Some("Alex Lead")).unwrap();
        let other = age::x25519::Identity::generate().to_public().to_string();
        app::team::add_member(&v, Some("F2F"), "Bea Member", &other).unwrap();
    }
    let mut h = Headless::start(dir.clone());
    h.keys(PASSPHRASE);
    h.send(key(KeyCode::Enter));
    assert_eq!(h.state.screen, Screen::Projects, "{}", h.screen_text());
    h.send(Msg::Key(KeyEvent::new(
        KeyCode::Char('t'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(h.state.screen, Screen::Team, "{}", h.screen_text());
    let text = h.screen_text();
    assert!(text.contains("Waiting to be sent"), "{text}");
    assert!(text.contains("whole project"), "{text}");
    assert!(text.contains("Alex Lead (lead)"), "{text}");
    assert!(text.contains("Bea Member (member)"), "{text}");
    assert!(text.contains("nothing yet"), "{text}");
    h.send(key(KeyCode::Esc));
    assert_eq!(h.state.screen, Screen::Projects);
    h.stop();
}

#[test]
fn the_current_question_outlives_the_note_that_takes_the_drafts_text() {
    let (_tmp, v) = vault();
    let sid = app::sessions::list(&v, Some("F2F")).unwrap()[0].id;
    let draft = app::Draft {
        session_id: sid,
        text: "half a thought".into(),
        speaker: None,
        kind: None,
        question_id: Some(42),
    };
    app::drafts::save(&v, &draft).unwrap();
    app::notes::add(
        &v,
        &app::FixedClock::on(time::macros::date!(2024 - 03 - 07)),
        app::notes::NoteInput {
            session_id: sid,
            text: "half a thought, finished".into(),
            from_draft: true,
            ..Default::default()
        },
    )
    .unwrap();
    let kept = app::drafts::load(&v, sid)
        .unwrap()
        .expect("the question stays");
    assert_eq!((kept.text.as_str(), kept.question_id), ("", Some(42)));
    // with nothing typed and no question, the draft goes
    app::drafts::save(
        &v,
        &app::Draft {
            text: String::new(),
            question_id: None,
            ..draft
        },
    )
    .unwrap();
    assert!(app::drafts::load(&v, sid).unwrap().is_none());
}
