//! The real binary in tmux at a chosen size, for the command-line access and export tests.
#![allow(dead_code)]

use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{PASS, TestVault, WORK_FACTOR};

pub struct Tmux {
    pub name: String,
}

impl Tmux {
    pub fn start(v: &TestVault, tag: &str, width: u16, height: u16) -> Self {
        assert!(
            Command::new("tmux")
                .arg("-V")
                .output()
                .is_ok_and(|o| o.status.success()),
            "tmux is needed for this test: apt-get install tmux (.ci/run installs it)"
        );
        let name = format!("fieldnotes-access-{tag}-{}", std::process::id());
        let bin = assert_cmd::cargo::cargo_bin("fieldnotes");
        let status = Command::new("tmux")
            .args(["new-session", "-d", "-s", &name, "-x"])
            .arg(width.to_string())
            .arg("-y")
            .arg(height.to_string())
            .arg("env")
            .args(
                v.home_env()
                    .into_iter()
                    .map(|(var, dir)| format!("{var}={}", dir.display())),
            )
            .args(["bash", "-c"])
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

    pub fn wait_for(&self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(what) {
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
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    pub fn type_text(&self, text: &str) {
        Command::new("tmux")
            .args(["send-keys", "-t", &self.name, "-l", text])
            .status()
            .unwrap();
        std::thread::sleep(Duration::from_millis(50));
    }

    /// Unlocks, then opens the sessions screen of the project `filter` picks out.
    pub fn unlock_to_sessions(&self, filter: &str) {
        self.wait_for("Passphrase");
        self.type_text(PASS);
        self.keys(&["Enter"]);
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
