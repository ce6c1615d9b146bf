//! Shared helpers: a temporary vault driven through the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub const PASS: &str = "correct horse battery staple 1987!";
/// scrypt work factor for tests: the factor is stored in the key file, so unlocking is fast
/// too. Real vaults use age's ~1 s calibration.
pub const WORK_FACTOR: &str = "10";

pub struct TestVault {
    pub tmp: tempfile::TempDir,
}

impl TestVault {
    /// A new, initialised vault.
    pub fn new() -> Self {
        let v = Self::empty();
        v.ok(&["init"], "");
        v
    }

    /// A folder with a passphrase file but no vault yet.
    pub fn empty() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("tmp")).unwrap();
        std::fs::write(tmp.path().join("pass"), format!("{PASS}\n")).unwrap();
        Self { tmp }
    }

    pub fn dir(&self) -> PathBuf {
        self.tmp.path().join("vault")
    }

    pub fn tmpdir(&self) -> PathBuf {
        self.tmp.path().join("tmp")
    }

    pub fn pass_file(&self) -> PathBuf {
        self.tmp.path().join("pass")
    }

    /// The binary with --vault and TMPDIR pointed inside this test's folder.
    pub fn bare(&self) -> Command {
        let mut c = Command::cargo_bin("fieldnotes").unwrap();
        c.env("TMPDIR", self.tmpdir())
            .env("FIELDNOTES_KDF_WORK_FACTOR", WORK_FACTOR)
            .env_remove("FIELDNOTES_VAULT")
            .arg("--vault")
            .arg(self.dir());
        c
    }

    /// The binary with the passphrase file.
    pub fn cmd(&self) -> Command {
        let mut c = self.bare();
        c.arg("--passphrase-file").arg(self.pass_file());
        c
    }

    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        self.cmd()
            .args(args)
            .write_stdin(stdin.to_owned())
            .output()
            .unwrap()
    }

    /// Runs and insists on success; returns stdout.
    pub fn ok(&self, args: &[&str], stdin: &str) -> String {
        let o = self.run(args, stdin);
        assert!(
            o.status.success(),
            "{args:?} failed ({:?}): {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }

    /// Last non-empty line of a successful run's stdout.
    pub fn last_line(&self, args: &[&str], stdin: &str) -> String {
        self.ok(args, stdin)
            .lines()
            .last()
            .unwrap_or("")
            .trim()
            .to_owned()
    }

    /// A project F2F with one interview session; returns the session id.
    pub fn with_session(&self) -> String {
        self.ok(&["project", "add", "F2F"], "");
        self.last_line(
            &[
                "session",
                "add",
                "--project",
                "F2F",
                "--kind",
                "interview",
                "--title",
                "Interview 1",
            ],
            "",
        )
    }
}

/// Every regular file under `dir`.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// True when `needle` occurs in `hay`.
pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}
