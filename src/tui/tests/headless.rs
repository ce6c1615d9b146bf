//! The app run headless: its `update` and its worker thread, against a real temporary vault,
//! wired as the terminal loop wires them (requests to the worker, replies back as messages,
//! every frame drawn into a test buffer and its layout handed back). Nothing is stubbed
//! between a key and the vault on disk.

use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use fieldnotes::app::{self, NewParticipant, NewProject, NewSession};
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

/// A vault with one project, one live interview and one participant, made through the use
/// cases; closed again before the app opens it.
fn prepared_vault(dir: &std::path::Path) -> i64 {
    let pass = SecretString::from(PASSPHRASE.to_owned());
    Vault::init(dir, &pass, KDF).unwrap();
    let v = Vault::open(dir, Unlock::Passphrase(pass), KDF).unwrap();
    let clock = app::FixedClock::on(time::macros::date!(2024 - 03 - 07));
    app::projects::add(
        &v,
        NewProject {
            name: "F2F".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let sid = app::sessions::add(
        &v,
        &clock,
        NewSession {
            project: "F2F".into(),
            kind: SessionKind::Interview,
            title: "Security officer 1".into(),
            date: Some("2024-03-07".into()),
            location: None,
            source: Source::Live,
            paper: Default::default(),
            facilitators: vec![],
        },
    )
    .unwrap();
    app::people::participant_add(
        &v,
        sid,
        NewParticipant {
            real_name: "Gemma Ashworth".into(),
            role: Some("security officer".into()),
            ..Default::default()
        },
    )
    .unwrap();
    sid
}

#[test]
fn a_note_typed_in_the_app_reaches_the_vault_and_a_half_typed_one_survives_quitting() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let sid = prepared_vault(&dir);

    let mut h = Headless::start(dir.clone());
    h.keys(PASSPHRASE);
    h.send(key(KeyCode::Enter));
    assert_eq!(h.state.screen, Screen::Projects, "{}", h.screen_text());
    assert!(h.screen_text().contains("F2F"));

    h.send(key(KeyCode::Enter));
    assert_eq!(h.state.screen, Screen::Sessions, "{}", h.screen_text());
    assert!(h.screen_text().contains("Security officer 1"));

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
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(
        notes[0].text,
        "The queue was two hours and nobody explained why"
    );
    assert_eq!(notes[0].themes, vec!["waiting".to_owned()]);
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
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    prepared_vault(&dir);
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
