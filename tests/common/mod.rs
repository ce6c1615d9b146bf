//! Shared helpers: a temporary vault driven through the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub mod keys;
pub mod strace;
pub mod team;
pub mod tmux;

pub const PASS: &str = "correct horse battery staple 1987!";
/// scrypt work factor for tests: the factor is stored in the key file, so unlocking is fast
/// too. Real vaults use age's ~1 s calibration.
pub const WORK_FACTOR: &str = "10";

/// The variables the platform folders are found from (the `directories` crate reads these on
/// Linux; macOS looks under HOME). Every run of the binary gets them all, pointing inside the
/// test's own folder, so no test reads the developer's config.toml or finds their vault.
pub const HOME_VARS: [&str; 5] = [
    "HOME",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_CACHE_HOME",
    "XDG_STATE_HOME",
];

/// [`HOME_VARS`] for a home folder at `home`, which is created.
pub fn home_env(home: &Path) -> Vec<(&'static str, PathBuf)> {
    std::fs::create_dir_all(home).unwrap();
    HOME_VARS
        .iter()
        .zip(["", ".config", ".local/share", ".cache", ".local/state"])
        .map(|(var, sub)| (*var, home.join(sub)))
        .collect()
}

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

    /// The home folder every run of the binary is given.
    pub fn home(&self) -> PathBuf {
        self.tmp.path().join("home")
    }

    /// HOME and the XDG folders, inside this test's folder: pass to every process that might
    /// run the binary (`.envs(v.home_env())`).
    pub fn home_env(&self) -> Vec<(&'static str, PathBuf)> {
        home_env(&self.home())
    }

    /// Gives `c` a home, TMPDIR and the tests' work factor of its own, whatever the
    /// environment the tests were started in.
    pub fn isolate(&self, c: &mut std::process::Command) {
        c.envs(self.home_env())
            .env("TMPDIR", self.tmpdir())
            .env("FIELDNOTES_KDF_WORK_FACTOR", WORK_FACTOR)
            .env_remove("FIELDNOTES_VAULT");
    }

    /// The binary with no vault named, isolated.
    pub fn isolated(&self) -> Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("fieldnotes"));
        self.isolate(&mut c);
        Command::from_std(c)
    }

    /// The binary with --vault, HOME, the XDG folders and TMPDIR pointed inside this test's
    /// folder.
    pub fn bare(&self) -> Command {
        let mut c = self.isolated();
        c.arg("--vault").arg(self.dir());
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

    /// A session (see [`TestVault::with_session`]) with participant `name` (P01, a
    /// resident) and one note of theirs; returns the session id.
    pub fn with_participant_note(&self, name: &str, note: &str) -> String {
        let sid = self.with_session();
        self.ok(
            &[
                "participant",
                "add",
                "--session",
                &sid,
                "--name",
                name,
                "--role",
                "resident",
            ],
            "",
        );
        self.ok(
            &["note", "add", "--session", &sid, "--speaker", "P01"],
            &format!("{note}\n"),
        );
        sid
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

/// SQLCipher 4's page layout: 4096-byte pages, each ending in a 16-byte IV and a 64-byte HMAC.
const PAGE: usize = 4096;
const RESERVE: usize = 80;

fn decrypt_page(key: &[u8; 32], page: &[u8], first: bool) -> Vec<u8> {
    use aes::cipher::{BlockDecryptMut, KeyIvInit, block_padding::NoPadding};
    let from = if first { 16 } else { 0 };
    let iv = &page[PAGE - RESERVE..PAGE - RESERVE + 16];
    let mut data = page[from..PAGE - RESERVE].to_vec();
    cbc::Decryptor::<aes::Aes256>::new(key.into(), iv.into())
        .decrypt_padded_mut::<NoPadding>(&mut data)
        .expect("whole blocks");
    data
}

impl TestVault {
    /// The vault's database key, unwrapped from keys/passphrase.age with the passphrase.
    pub fn raw_key(&self) -> [u8; 32] {
        use std::io::Read;
        let wrapped = std::fs::read(self.dir().join("keys/passphrase.age")).unwrap();
        let id = age::scrypt::Identity::new(PASS.to_owned().into());
        let d = age::Decryptor::new(&wrapped[..]).unwrap();
        let mut r = d
            .decrypt(std::iter::once(&id as &dyn age::Identity))
            .unwrap();
        let mut key = Vec::new();
        r.read_to_end(&mut key).unwrap();
        key.try_into().expect("a 32-byte key")
    }

    /// Every page of the database file and of any WAL, decrypted with the vault key — free
    /// pages included: what an attacker holding the key could read.
    pub fn decrypted_pages(&self) -> Vec<u8> {
        let key = self.raw_key();
        let db = std::fs::read(self.dir().join("fieldnotes.db")).unwrap();
        assert_eq!(db.len() % PAGE, 0, "whole pages");
        let mut out = Vec::with_capacity(db.len());
        for (i, page) in db.chunks(PAGE).enumerate() {
            let plain = decrypt_page(&key, page, i == 0);
            if i == 0 {
                // the header's page size (offset 16 of the plain header) proves the key is right
                assert_eq!(
                    &plain[..2],
                    &[0x10, 0x00],
                    "page 1 decrypts to a SQLite header"
                );
            }
            out.extend_from_slice(&plain);
        }
        let wal = std::fs::read(self.dir().join("fieldnotes.db-wal")).unwrap_or_default();
        if wal.len() > 32 {
            for frame in wal[32..].chunks(24 + PAGE) {
                if frame.len() == 24 + PAGE {
                    let pgno = u32::from_be_bytes(frame[..4].try_into().unwrap());
                    out.extend_from_slice(&decrypt_page(&key, &frame[24..], pgno == 1));
                }
            }
        }
        out
    }
}
