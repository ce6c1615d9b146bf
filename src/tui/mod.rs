//! The full-screen app. The main thread turns terminal events into [`app::Msg`]s, applies
//! them with the pure [`app::update`], hands requests to the worker thread (which owns the
//! vault) and draws. The terminal is restored on exit, on error and on panic. Each screen
//! (its state, keys and drawing) is a file under `screens/`; keys reach a screen as named
//! actions through the key maps of `keys` (defaults in `assets/keymap.toml`).

pub mod app;
pub mod config;
pub mod keys;
pub mod screens;
pub mod ui;
pub mod worker;

use fieldnotes::app::{Clock, SystemClock};
use std::io;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    MouseEventKind,
};
use crossterm::execute;
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use fieldnotes::vault::KdfSettings;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use app::{Msg, State};

/// How often time-based work (draft saves, auto-lock) is checked, in ms.
const TICK_MS: i64 = 200;

/// What reaches the main loop.
#[derive(Debug)]
pub enum Event {
    /// From the terminal.
    Term(event::Event),
    /// From the worker.
    Worker(worker::Reply),
    /// SIGTERM or SIGHUP.
    Signal,
    /// The terminal input reader failed.
    InputClosed,
}

fn restore_terminal() {
    let _ = terminal::disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// The terminal's settings before raw mode, for the abort handler.
static SAVED_TERMIOS: std::sync::OnceLock<libc::termios> = std::sync::OnceLock::new();

/// An abort (an allocation that fails, a panic while panicking) runs no panic hook and no
/// destructor, and would leave the shell in raw mode on the alternate screen. A SIGABRT
/// handler puts the terminal back with async-signal-safe calls only (tcsetattr, write); the
/// abort then goes on and ends the process.
fn restore_terminal_on_abort() {
    let mut t = std::mem::MaybeUninit::<libc::termios>::uninit();
    // SAFETY: tcgetattr fills the termios when it returns 0, and only then is it read.
    if unsafe { libc::tcgetattr(libc::STDIN_FILENO, t.as_mut_ptr()) } != 0 {
        return;
    }
    // SAFETY: initialised by the successful tcgetattr above.
    let _ = SAVED_TERMIOS.set(unsafe { t.assume_init() });
    let handler = || {
        if let Some(t) = SAVED_TERMIOS.get() {
            // SAFETY: tcsetattr is async-signal-safe and `t` is a valid termios.
            unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, t) };
        }
        // bracketed paste and mouse reporting off, main screen back, cursor shown
        const RESET: &[u8] =
            b"\x1b[?2004l\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l\x1b[?1049l\x1b[?25h";
        // SAFETY: write is async-signal-safe; the buffer is a static byte string.
        unsafe { libc::write(libc::STDOUT_FILENO, RESET.as_ptr().cast(), RESET.len()) };
    };
    // SAFETY: the handler makes only async-signal-safe calls and reads a value set before
    // it is registered.
    let _ = unsafe { signal_hook::low_level::register(signal_hook::consts::SIGABRT, handler) };
}

/// Runs the app on the vault in `dir` until the user quits.
pub fn run(dir: PathBuf, kdf: KdfSettings) -> io::Result<()> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "vault".into());
    let parent = dir
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned());
    let vault_name = match parent {
        Some(p) if name == "vault" => format!("{p}/{name}"),
        _ => name,
    };
    let no_vault = !dir.join("keys").join("passphrase.age").exists();

    let (tx, rx) = mpsc::channel::<Event>();
    let (req_tx, req_rx) = mpsc::channel();
    let worker_tx = tx.clone();
    let worker = std::thread::Builder::new()
        .name("vault".into())
        .spawn(move || worker::run(dir, kdf, req_rx, worker_tx))?;

    // SIGTERM / SIGHUP (terminal closed): leave as Ctrl+Q would, saving the draft.
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ])?;
    let sig_tx = tx.clone();
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = sig_tx.send(Event::Signal);
        }
    });

    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        default_hook(info);
    }));
    restore_terminal_on_abort();
    terminal::enable_raw_mode()?;
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )?;
    let result = event_loop(&tx, &rx, &req_tx, vault_name, no_vault);
    restore_terminal();
    // Closing the request channel lets the worker finish every queued save, then stop.
    drop(req_tx);
    let _ = worker.join();
    result
}

fn event_loop(
    tx: &mpsc::Sender<Event>,
    rx: &mpsc::Receiver<Event>,
    req_tx: &mpsc::Sender<worker::Request>,
    vault_name: String,
    no_vault: bool,
) -> io::Result<()> {
    let input_tx = tx.clone();
    std::thread::spawn(move || {
        loop {
            match event::read() {
                Ok(ev) => {
                    if input_tx.send(Event::Term(ev)).is_err() {
                        break;
                    }
                }
                Err(_) => {
                    let _ = input_tx.send(Event::InputClosed);
                    break;
                }
            }
        }
    });
    let mut term = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let (mut config, problems) = config::Config::load(config::default_path().as_deref());
    config.honour_no_color(std::env::var_os("NO_COLOR").as_deref());
    config.export_dir = screens::review::export_folder();
    let clock = SystemClock::local();
    let mut state = State::new(vault_name, no_vault, config, clock.now_ms());
    if !problems.is_empty() {
        state.message = Some(format!("Settings: {}", problems.join("; ")));
    }
    let mut drawn = ui::Drawn::default();
    term.draw(|f| drawn = ui::draw(f, &state))?;
    app::update(&mut state, Msg::Drawn(drawn));
    let mut last_tick = clock.now_ms();
    loop {
        let msg = match rx.recv_timeout(Duration::from_millis(TICK_MS as u64)) {
            Ok(Event::Term(event::Event::Key(k))) => {
                state.last_input_ms = clock.now_ms();
                Some(Msg::Key(k))
            }
            Ok(Event::Term(event::Event::Paste(p))) => {
                state.last_input_ms = clock.now_ms();
                Some(Msg::Paste(p))
            }
            Ok(Event::Term(event::Event::Mouse(m))) => {
                state.last_input_ms = clock.now_ms();
                match m.kind {
                    MouseEventKind::ScrollUp => Some(Msg::Scroll(1)),
                    MouseEventKind::ScrollDown => Some(Msg::Scroll(-1)),
                    MouseEventKind::Down(event::MouseButton::Left) => {
                        Some(Msg::Click(m.column, m.row))
                    }
                    MouseEventKind::Drag(event::MouseButton::Left) => {
                        Some(Msg::Drag(m.column, m.row))
                    }
                    _ => None,
                }
            }
            Ok(Event::Term(_)) => None, // resize: just redraw
            Ok(Event::Worker(r)) => Some(Msg::Worker(r)),
            Ok(Event::Signal) | Ok(Event::InputClosed) => Some(Msg::Terminate),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => Some(Msg::Terminate),
        };
        // Ticks come by the clock, not only when input pauses: continuous typing must still
        // have its draft saved every DRAFT_SAVE_MS.
        let now = clock.now_ms();
        let tick = (now - last_tick >= TICK_MS).then(|| {
            last_tick = now;
            Msg::Tick(now)
        });
        for msg in msg.into_iter().chain(tick) {
            for r in app::update(&mut state, msg) {
                if req_tx.send(r).is_err() {
                    return Err(io::Error::other("the vault worker stopped unexpectedly"));
                }
            }
        }
        if state.quit {
            return Ok(());
        }
        let mut drawn = ui::Drawn::default();
        term.draw(|f| drawn = ui::draw(f, &state))?;
        app::update(&mut state, Msg::Drawn(drawn));
    }
}

#[cfg(test)]
mod tests;
