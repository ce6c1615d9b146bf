//! A team of vaults driven through the real binary: a lead and members sharing one folder.

use std::path::{Path, PathBuf};
use std::process::Output;

use super::TestVault;

/// The project the team works on.
pub const PROJECT: &str = "F2F";

/// One researcher's vault.
pub struct Researcher {
    pub name: &'static str,
    pub v: TestVault,
}

impl Researcher {
    /// A new vault for `name`.
    pub fn new(name: &'static str) -> Self {
        Self {
            name,
            v: TestVault::new(),
        }
    }

    /// The team key `team id` prints.
    pub fn key(&self) -> String {
        let key = self.v.last_line(&["team", "id"], "");
        assert!(
            key.starts_with("age1"),
            "{}: team id printed {key}",
            self.name
        );
        key
    }

    /// `args`, insisting on success; stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        self.v.ok(args, "")
    }

    /// `args`, whatever the outcome.
    pub fn run(&self, args: &[&str]) -> Output {
        self.v.run(args, "")
    }

    /// `team send --to DIR`, insisting on success; stdout.
    pub fn send(&self, dir: &Path) -> String {
        self.ok(&["team", "send", "--to", dir.to_str().unwrap()])
    }

    /// `team receive FILES… [--join]`.
    pub fn receive(&self, files: &[&Path], join: bool) -> Output {
        let mut args: Vec<&str> = vec!["team", "receive"];
        args.extend(files.iter().map(|f| f.to_str().unwrap()));
        if join {
            args.push("--join");
        }
        self.run(&args)
    }

    /// `team receive FILES…`, insisting on success; stdout.
    pub fn receive_ok(&self, files: &[&Path]) -> String {
        let o = self.receive(files, false);
        assert!(
            o.status.success(),
            "{} could not receive {files:?}: {}",
            self.name,
            out_and_err(&o)
        );
        String::from_utf8(o.stdout).unwrap()
    }

    /// A session of the project; returns its id here.
    pub fn add_session(&self, title: &str) -> String {
        self.v.last_line(
            &[
                "session",
                "add",
                "--project",
                PROJECT,
                "--kind",
                "interview",
                "--title",
                title,
            ],
            "",
        )
    }

    /// A note in session `sid`; returns its id here.
    pub fn add_note(&self, sid: &str, speaker: Option<&str>, text: &str) -> String {
        let mut args = vec!["note", "add", "--session", sid];
        if let Some(s) = speaker {
            args.extend(["--speaker", s]);
        }
        self.v.last_line(&args, &format!("{text}\n"))
    }

    /// The project's sessions here: (id, title).
    pub fn sessions(&self) -> Vec<(String, String)> {
        self.ok(&["session", "list", "--project", PROJECT])
            .lines()
            .filter_map(|l| {
                let cols: Vec<&str> = l.split('\t').collect();
                Some((cols.first()?.to_string(), cols.last()?.to_string()))
            })
            .collect()
    }

    /// The id of the session titled `title` here.
    pub fn session_id(&self, title: &str) -> String {
        self.sessions()
            .into_iter()
            .find(|(_, t)| t == title)
            .unwrap_or_else(|| panic!("{}: no session '{title}'", self.name))
            .0
    }

    /// Every note of the project here, as `note list --format json` gives them.
    pub fn notes(&self) -> Vec<serde_json::Value> {
        let mut out = Vec::new();
        for (sid, _) in self.sessions() {
            let json = self.ok(&["note", "list", "--session", &sid, "--format", "json"]);
            let list: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
            out.extend(list);
        }
        out
    }

    /// The texts of every note of the project here, sorted.
    pub fn note_texts(&self) -> Vec<String> {
        let mut t: Vec<String> = self
            .notes()
            .iter()
            .map(|n| n["text"].as_str().unwrap().to_owned())
            .collect();
        t.sort();
        t
    }

    /// The note whose text is `text` here.
    pub fn note(&self, text: &str) -> serde_json::Value {
        self.notes()
            .into_iter()
            .find(|n| n["text"] == text)
            .unwrap_or_else(|| panic!("{}: no note '{text}'", self.name))
    }
}

/// A run's stdout and stderr together.
pub fn out_and_err(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The bundle files in `dir`, sorted by name (sender, then number).
pub fn bundles_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "fnbundle"))
        .collect();
    v.sort();
    v
}

/// The bundles in `dir` sent by `r` (their file names carry the sender's member id).
pub fn bundles_from(dir: &Path, r: &Researcher) -> Vec<PathBuf> {
    let id = format!("-{}-", fieldnotes::team::member_id(&r.key()));
    bundles_in(dir)
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains(&id))
        .collect()
}

/// A lead (Alex) with project F2F (lawful basis, DPIA, retention) and a theme, its team
/// with Bea and Cal added by the keys they printed, and the lead's first bundle in `shared`.
pub struct Team {
    pub lead: Researcher,
    pub bea: Researcher,
    pub cal: Researcher,
    pub shared: PathBuf,
}

impl Team {
    /// The lead's side, up to its first bundle; the members have not joined yet.
    pub fn invited() -> Self {
        let lead = Researcher::new("Alex");
        let bea = Researcher::new("Bea");
        let cal = Researcher::new("Cal");
        let shared = lead.v.tmp.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        lead.ok(&[
            "project",
            "add",
            PROJECT,
            "--lawful-basis",
            "6(1)(e) public task",
            "--dpia",
            "DPIA-2026-014",
            "--retention-months",
            "18",
        ]);
        lead.ok(&[
            "theme",
            "add",
            "Waiting times",
            "--project",
            PROJECT,
            "--description",
            "How long people wait and what they are told",
        ]);
        lead.ok(&["team", "init", "--project", PROJECT, "--name", "Alex"]);
        lead.ok(&["team", "add", "Bea", &bea.key(), "--project", PROJECT]);
        lead.ok(&["team", "add", "Cal", &cal.key(), "--project", PROJECT]);
        let sent = lead.send(&shared);
        assert!(sent.contains("Wrote bundle 1"), "{sent}");
        assert!(sent.contains("Bea") && sent.contains("Cal"), "{sent}");
        Team {
            lead,
            bea,
            cal,
            shared,
        }
    }

    /// Both members joined from the lead's first bundle.
    pub fn joined() -> Self {
        let t = Self::invited();
        for m in [&t.bea, &t.cal] {
            let o = m.receive(&[&t.shared], true);
            assert!(o.status.success(), "{} joins: {}", m.name, out_and_err(&o));
        }
        t
    }
}
