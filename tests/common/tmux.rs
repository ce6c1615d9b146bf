//! The real binary in a real terminal (tmux) at a chosen size, driven as a person would:
//! keys and text in, the screen read back. One driver for every end-to-end test of the app.
#![allow(dead_code)]

use std::process::Command;
use std::time::{Duration, Instant};

use super::{PASS, TestVault, WORK_FACTOR};

pub struct Tmux {
    pub name: String,
}

impl Tmux {
    pub fn start(v: &TestVault, tag: &str, width: u16, height: u16) -> Self {
        Self::start_env(v, tag, width, height, &[])
    }

    /// [`Tmux::start`] with extra variables in the app's environment (e.g. `NO_COLOR`).
    pub fn start_env(
        v: &TestVault,
        tag: &str,
        width: u16,
        height: u16,
        env: &[(&str, &str)],
    ) -> Self {
        assert!(
            Command::new("tmux")
                .arg("-V")
                .output()
                .is_ok_and(|o| o.status.success()),
            "tmux is needed for this test: apt-get install tmux (.ci/run installs it)"
        );
        let name = format!("fieldnotes-e2e-{tag}-{}", std::process::id());
        let bin = assert_cmd::cargo::cargo_bin("fieldnotes");
        let status = Command::new("tmux")
            .args(["new-session", "-d", "-s", &name, "-x"])
            .arg(width.to_string())
            .arg("-y")
            .arg(height.to_string())
            // the tmux server, not this process, starts the app: its home goes on the line
            .arg("env")
            .args(
                v.home_env()
                    .into_iter()
                    .map(|(var, dir)| format!("{var}={}", dir.display())),
            )
            .args(env.iter().map(|(var, value)| format!("{var}={value}")))
            .args(["bash", "-c"])
            // a vault created in the app wraps its key with the tests' low work factor
            .arg(format!(
                r#"export FIELDNOTES_KDF_WORK_FACTOR={WORK_FACTOR}; unset FIELDNOTES_VAULT; "$0" --vault "$1"; echo "EXITED-$?"; sleep 60"#
            ))
            .arg(bin)
            .arg(v.dir())
            .env("TMPDIR", v.tmpdir())
            .status()
            .unwrap();
        assert!(status.success());
        Self { name }
    }

    pub fn screen(&self) -> String {
        let o = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    /// The screen with its styles, as the escape sequences tmux would send a terminal.
    pub fn styled_screen(&self) -> String {
        let o = Command::new("tmux")
            .args(["capture-pane", "-p", "-e", "-t", &self.name])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    pub fn wait_for(&self, what: &str) -> String {
        self.wait_until(what, |s| s.contains(what))
    }

    /// Waits until the screen satisfies `ok`; `what` names it in the failure.
    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "'{what}' never showed; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            Command::new("tmux")
                .args(["send-keys", "-t", &self.name, k])
                .status()
                .unwrap();
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    pub fn type_text(&self, text: &str) {
        Command::new("tmux")
            .args(["send-keys", "-t", &self.name, "-l", text])
            .status()
            .unwrap();
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn resize(&self, w: u16, h: u16) {
        Command::new("tmux")
            .args(["resize-window", "-t", &self.name])
            .args(["-x", &w.to_string(), "-y", &h.to_string()])
            .status()
            .unwrap();
        std::thread::sleep(Duration::from_millis(200));
    }

    /// Types the tests' passphrase into the unlock screen.
    pub fn unlock(&self) {
        self.wait_for("Passphrase");
        self.type_text(PASS);
        self.keys(&["Enter"]);
    }

    /// Unlocks and opens the first session of project F2F in the editor.
    pub fn open_first_session(&self) {
        self.unlock();
        self.wait_for("F2F");
        self.keys(&["Enter"]);
        self.wait_for("Sessions");
        self.keys(&["Enter"]);
        self.wait_for("┌");
    }

    /// Quits: the app finishes what is being saved first (a message may hide the save
    /// state at 80 columns, so it is not waited for here).
    pub fn quit(&self) {
        std::thread::sleep(Duration::from_millis(300));
        self.keys(&["C-q"]);
        self.wait_for("EXITED-0");
    }

    /// Unlocks, then opens the sessions screen of the project `filter` picks out.
    pub fn unlock_to_sessions(&self, filter: &str) {
        self.unlock();
        self.wait_for("Projects —");
        self.type_text(filter);
        std::thread::sleep(Duration::from_millis(100));
        self.keys(&["Enter"]);
        self.wait_for("Sessions —");
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .status();
    }
}
