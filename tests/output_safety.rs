//! What the binary writes: no stored or typed text reaches a terminal as an escape sequence
//! or a bidirectional override; output files never replace a device, a fifo or an existing
//! file; exit codes and messages say what really happened.

mod common;

use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::{Command as Std, Output, Stdio};

use common::TestVault;

/// An OSC 52 clipboard write, a clear-screen CSI, an 8-bit CSI, a right-to-left override and
/// an isolate: each would act on a terminal rather than show.
const HOSTILE: &str = "Q\u{1b}]52;c;QUFBQQ==\u{7}\u{1b}[2J\u{9b}31m\u{202e}gpj.exe\u{2066}";

fn bidi(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Characters a terminal would obey: controls other than newline and tab, and (unless
/// `allow_bidi`) bidirectional formatting characters.
fn obeyed(bytes: &[u8], allow_bidi: bool) -> Vec<char> {
    String::from_utf8_lossy(bytes)
        .chars()
        .filter(|&c| (c.is_control() && c != '\n' && c != '\t') || (!allow_bidi && bidi(c)))
        .collect()
}

fn assert_inert(what: &str, o: &Output) {
    for (stream, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
        let bad = obeyed(bytes, false);
        assert!(
            bad.is_empty(),
            "{what}: {stream} carries {bad:?}: {}",
            String::from_utf8_lossy(bytes)
        );
    }
}

/// A vault whose project, session, participants, person, theme and notes all carry
/// [`HOSTILE`]. Returns it, the project's name and the session id.
fn hostile_vault() -> (TestVault, String, String) {
    let v = TestVault::new();
    let project = format!("F2F {HOSTILE}");
    v.ok(&["project", "add", &project, "--purpose", HOSTILE], "");
    let sid = v.last_line(
        &[
            "session",
            "add",
            "--project",
            &project,
            "--kind",
            "interview",
            "--title",
            &format!("Interview {HOSTILE}"),
            "--location",
            HOSTILE,
        ],
        "",
    );
    v.ok(
        &[
            "participant",
            "add",
            "--session",
            &sid,
            "--name",
            "Craig Barker",
            "--role",
            &format!("officer {HOSTILE}"),
        ],
        "",
    );
    v.ok(
        &[
            "person",
            "add",
            "--project",
            &project,
            "--name",
            &format!("Dana {HOSTILE}"),
        ],
        "",
    );
    v.ok(
        &[
            "theme",
            "add",
            &format!("Waiting{HOSTILE}"),
            "--project",
            &project,
        ],
        "",
    );
    v.ok(
        &[
            "note",
            "add",
            "--session",
            &sid,
            "--speaker",
            "P01",
            "--theme",
            &format!("Waiting{HOSTILE}"),
        ],
        "Queues build up after lunch.",
    );
    (v, project, sid)
}

#[test]
fn no_listing_or_view_passes_an_escape_or_override_to_the_output() {
    let (v, project, sid) = hostile_vault();
    let p = project.as_str();
    let runs: Vec<Vec<&str>> = vec![
        vec!["project", "list"],
        vec!["project", "show", p],
        vec!["session", "list"],
        vec!["session", "show", &sid],
        vec!["participant", "list", "--session", &sid],
        vec!["participant", "list", "--project", p],
        vec!["person", "list", "--project", p],
        vec!["note", "list", "--session", &sid],
        vec!["note", "list", "--session", &sid, "--format", "json"],
        vec!["theme", "list", "--project", p],
        vec!["search", "queues"],
        vec!["audit"],
        vec!["analyse", "excerpts", "--project", p],
        vec!["analyse", "excerpts", "--project", p, "--format", "json"],
        vec!["analyse", "frequencies", "--project", p],
        vec!["analyse", "frequencies", "--project", p, "--format", "json"],
        vec!["analyse", "cooccurrence", "--project", p],
        vec!["analyse", "ideas", "--project", p],
        vec!["recipient", "list"],
        vec!["retention"],
    ];
    for args in runs {
        let o = v.run(&args, "");
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_inert(&format!("{args:?}"), &o);
    }
    // the title is still there, shown rather than obeyed
    let list = v.ok(&["session", "list"], "");
    assert!(
        list.contains("Interview Q\\u{1b}]52;c;QUFBQQ==\\u{7}"),
        "{list}"
    );
    assert!(list.contains("\\u{202e}gpj.exe"), "{list}");
}

#[test]
fn csv_into_a_pipe_is_data_without_controls_and_json_reads_back_exactly() {
    let (v, project, _) = hostile_vault();
    for what in ["excerpts", "frequencies", "cooccurrence"] {
        let o = v.run(
            &["analyse", what, "--project", &project, "--format", "csv"],
            "",
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        // a pipe gets data: no control character, but right-to-left marks are text
        let bad = obeyed(&o.stdout, true);
        assert!(bad.is_empty(), "{what}: {bad:?}");
        assert_inert(
            &format!("{what} stderr"),
            &Output {
                stdout: Vec::new(),
                ..o
            },
        );
    }
    // the text itself, as written, is what `--raw` shows (the default output is anonymised,
    // and the anonymiser reads some of this text as names)
    let csv = v.ok(
        &[
            "analyse",
            "frequencies",
            "--project",
            &project,
            "--format",
            "csv",
            "--raw",
        ],
        "",
    );
    assert!(
        csv.contains("officer Q]52;c;QUFBQQ==[2J31m\u{202e}gpj.exe\u{2066}"),
        "{csv}"
    );

    let json = v.ok(
        &[
            "analyse",
            "excerpts",
            "--project",
            &project,
            "--format",
            "json",
            "--raw",
        ],
        "",
    );
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        parsed
            .to_string()
            .contains(&serde_json::to_string(&format!("officer {HOSTILE}")).unwrap()[1..]),
        "the role reads back exactly: {json}"
    );
}

/// Runs `fieldnotes ARGS` under a pseudo-terminal (util-linux `script`) and returns what the
/// terminal received, or None when `script` is missing.
fn on_a_terminal(v: &TestVault, args: &[&str]) -> Option<Vec<u8>> {
    if Std::new("script").arg("--version").output().is_err() {
        eprintln!("skipped the terminal run: util-linux `script` is not installed");
        return None;
    }
    let bin = assert_cmd::cargo::cargo_bin("fieldnotes");
    let mut line = vec![
        bin.display().to_string(),
        "--vault".into(),
        v.dir().display().to_string(),
        "--passphrase-file".into(),
        v.pass_file().display().to_string(),
    ];
    line.extend(args.iter().map(|a| a.to_string()));
    // each argument single-quoted for the shell `script` runs
    let cmd: Vec<String> = line
        .iter()
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    let o = Std::new("script")
        .args(["-qec", &cmd.join(" "), "/dev/null"])
        .envs(v.home_env())
        .env("FIELDNOTES_KDF_WORK_FACTOR", common::WORK_FACTOR)
        .env("TMPDIR", v.tmpdir())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?} on a terminal: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    Some(o.stdout)
}

#[test]
fn csv_json_and_redacted_text_on_a_terminal_carry_nothing_it_would_obey() {
    let (v, project, _) = hostile_vault();
    for args in [
        vec![
            "analyse",
            "excerpts",
            "--project",
            &project,
            "--format",
            "csv",
        ],
        vec![
            "analyse",
            "frequencies",
            "--project",
            &project,
            "--format",
            "csv",
        ],
        vec!["analyse", "frequencies", "--project", &project],
        vec![
            "analyse",
            "excerpts",
            "--project",
            &project,
            "--format",
            "json",
        ],
        vec!["session", "list"],
    ] {
        let Some(shown) = on_a_terminal(&v, &args) else {
            return;
        };
        // the pty turns \n into \r\n; everything else is what the program wrote
        let shown: Vec<u8> = String::from_utf8_lossy(&shown)
            .replace("\r\n", "\n")
            .into_bytes();
        let bad = obeyed(&shown, false);
        assert!(
            bad.is_empty(),
            "{args:?}: {bad:?} in {}",
            String::from_utf8_lossy(&shown)
        );
        assert!(!shown.is_empty());
    }
}

#[test]
fn redact_passes_data_through_a_pipe_unchanged() {
    let v = TestVault::new();
    let text = "Plain words\u{202e} stay\tas typed.\n";
    let o = v.cmd().args(["redact"]).write_stdin(text).output().unwrap();
    assert!(o.status.success());
    assert_eq!(String::from_utf8(o.stdout).unwrap(), text);
}

#[test]
fn error_messages_show_typed_and_stored_text_inert() {
    let (v, project, _) = hostile_vault();
    let out = v.tmpdir().join("x.md");
    let out = out.to_str().unwrap();
    let runs: Vec<Vec<String>> = vec![
        vec![
            "export".into(),
            "--project".into(),
            "\u{1b}]52;c;AAAA\u{7}".into(),
            "--out".into(),
            out.into(),
        ],
        vec!["project".into(), "show".into(), format!("nope{HOSTILE}")],
        vec![
            "theme".into(),
            "list".into(),
            "--project".into(),
            format!("nope{HOSTILE}"),
        ],
        vec![
            "export".into(),
            "--project".into(),
            project.clone(),
            "--out".into(),
            format!("/nonexistent/{HOSTILE}.md"),
        ],
        vec![
            "restore".into(),
            format!("/nonexistent/{HOSTILE}"),
            "--yes".into(),
        ],
        vec!["search".into(), format!("absent{HOSTILE}")],
        vec![format!("bogus{HOSTILE}")],
        vec!["session".into(), "show".into(), format!("{HOSTILE}")],
    ];
    for args in runs {
        let o = v.cmd().args(&args).output().unwrap();
        assert_inert(&format!("{args:?}"), &o);
        assert!(!o.stderr.is_empty(), "{args:?} says something");
    }
}

/// Makes a fifo at `path`.
fn mkfifo(path: &Path) {
    let st = Std::new("mkfifo").arg(path).status().unwrap();
    assert!(st.success());
}

fn export_args<'a>(out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["export", "--project", "F2F", "--out", out, "--format", "md"];
    a.extend_from_slice(extra);
    a
}

fn with_note() -> TestVault {
    let v = TestVault::new();
    let sid = v.with_session();
    v.ok(&["note", "add", "--session", &sid], "The queue was long.");
    v
}

#[test]
fn export_into_a_full_device_is_an_error_and_the_device_stays() {
    let v = with_note();
    let dev = v.tmpdir().join("full");
    let made = Std::new("mknod").arg(&dev).args(["c", "1", "7"]).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mknod is not permitted here (needs CAP_MKNOD)");
        return;
    }
    let o = v.run(&export_args(dev.to_str().unwrap(), &[]), "");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    assert!(!String::from_utf8_lossy(&o.stdout).contains("Exported"));
    let kind = std::fs::symlink_metadata(&dev).unwrap().file_type();
    assert!(kind.is_char_device(), "the device was replaced by {kind:?}");
    // a backup into it fails too, and neither is recorded as made
    let o = v.run(&["backup", "--out", dev.to_str().unwrap()], "");
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let trail = v.ok(&["audit"], "");
    assert!(
        !trail.contains("\texport\t") && !trail.contains("backup written"),
        "{trail}"
    );
}

#[test]
fn export_into_a_fifo_writes_through_it() {
    let v = with_note();
    let fifo = v.tmpdir().join("pipe");
    mkfifo(&fifo);
    let mut reader = Std::new("cat")
        .arg(&fifo)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let o = v.run(&export_args(fifo.to_str().unwrap(), &[]), "");
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    if !kind.is_fifo() {
        let _ = reader.kill();
        panic!("the fifo was replaced by {kind:?}");
    }
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got = reader.wait_with_output().unwrap();
    assert!(String::from_utf8_lossy(&got.stdout).contains("The queue was long."));
    // the confirmation stays off the stream: it could be standard output itself
    assert!(String::from_utf8_lossy(&o.stderr).contains("Exported 1 excerpt"));
}

#[test]
fn export_to_standard_output_writes_the_export_there_and_confirms_on_stderr() {
    let v = with_note();
    // what /dev/stdout is, but a link of the test's own: a program that renames over its
    // output path breaks only this link, not the system's /dev/stdout
    let stdout_link = v.tmpdir().join("stdout");
    std::os::unix::fs::symlink("/proc/self/fd/1", &stdout_link).unwrap();
    let o = v.run(&export_args(stdout_link.to_str().unwrap(), &[]), "");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("The queue was long."), "{stdout}");
    assert!(!stdout.contains("Exported 1 excerpt"), "{stdout}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("Exported 1 excerpt"));
    let kind = std::fs::symlink_metadata(&stdout_link).unwrap().file_type();
    assert!(kind.is_symlink(), "the link was replaced by {kind:?}");
}

#[test]
fn an_existing_output_file_is_replaced_only_with_force() {
    let v = with_note();
    let sid = v.ok(&["session", "list"], "");
    let sid = sid.split('\t').next().unwrap().to_owned();
    v.ok(
        &[
            "participant",
            "add",
            "--session",
            &sid,
            "--name",
            "Hodan Jama",
            "--role",
            "resident",
        ],
        "",
    );
    let path = |name: &str| v.tmpdir().join(name);
    let mine = "the researcher's own file";
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "summary.md",
            vec![
                "export".into(),
                "--project".into(),
                "F2F".into(),
                "--out".into(),
            ],
        ),
        ("record.html", vec!["report".into(), "--out".into()]),
        ("copy.age", vec!["backup".into(), "--out".into()]),
        (
            "sar.json",
            vec![
                "subject-access".into(),
                "--participant".into(),
                "P01".into(),
                "--plaintext".into(),
                "--out".into(),
            ],
        ),
    ];
    for (name, args) in cases {
        let p = path(name);
        std::fs::write(&p, mine).unwrap();
        let mut a = args.clone();
        a.push(p.display().to_string());
        let o = v.cmd().args(&a).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{a:?}: {err}");
        assert!(
            err.contains("already exists") && err.contains("--force"),
            "{a:?}: {err}"
        );
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            mine,
            "{a:?} overwrote it"
        );
        a.push("--force".into());
        let o = v.cmd().args(&a).output().unwrap();
        assert!(
            o.status.success(),
            "{a:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_ne!(
            std::fs::read_to_string(&p).unwrap_or_default(),
            mine,
            "{a:?} --force"
        );
    }
    // the subject access JSON beside the report counts too, and stops the report as well
    let report = path("sar2.html");
    std::fs::write(path("sar2.json"), mine).unwrap();
    let o = v
        .cmd()
        .args([
            "subject-access",
            "--participant",
            "P01",
            "--plaintext",
            "--out",
        ])
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(!report.exists(), "no report without its JSON");
    assert_eq!(std::fs::read_to_string(path("sar2.json")).unwrap(), mine);
}

#[test]
fn a_symlinked_lock_file_is_refused_and_not_followed() {
    let v = TestVault::new();
    let elsewhere = v.tmpdir().join("victim");
    std::fs::remove_file(v.dir().join("lock")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, v.dir().join("lock")).unwrap();
    let o = v.run(&["project", "list"], "");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("symbolic link"), "{err}");
    assert!(
        !elsewhere.exists(),
        "the link was followed and its target created"
    );
}

#[test]
fn usage_errors_exit_64_and_help_and_version_exit_0() {
    let v = TestVault::new();
    for args in [
        vec!["--no-such-flag"],
        vec!["no-such-command"],
        vec!["session", "show", "not-a-number"],
        vec!["export"],
    ] {
        let o = v.bare().args(&args).output().unwrap();
        assert_eq!(
            o.status.code(),
            Some(64),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!o.stderr.is_empty());
    }
    for args in [vec!["--help"], vec!["--version"], vec!["export", "--help"]] {
        let o = v.bare().args(&args).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(!o.stdout.is_empty(), "{args:?}");
    }
    // 2 still means a wrong passphrase, and only that
    std::fs::write(v.pass_file(), "wrong horse battery staple 1987!\n").unwrap();
    assert_eq!(v.run(&["project", "list"], "").status.code(), Some(2));
}

/// A small filesystem that can be filled: tmpfs when mounting is permitted.
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Self> {
        std::fs::create_dir_all(at).unwrap();
        let o = Std::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output();
        match o {
            Ok(o) if o.status.success() => Some(Tmpfs(at.to_owned())),
            Ok(o) => {
                eprintln!(
                    "skipped: cannot mount a tmpfs here ({})",
                    String::from_utf8_lossy(&o.stderr).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("skipped: cannot run mount ({e})");
                None
            }
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Std::new("umount").arg(&self.0).status();
    }
}

/// Fills the filesystem holding `dir` until a write fails with ENOSPC.
fn fill(dir: &Path) {
    use std::io::Write;
    let mut f = std::fs::File::create(dir.join("filler")).unwrap();
    let block = vec![0u8; 64 * 1024];
    loop {
        if let Err(e) = f.write_all(&block).and_then(|()| f.sync_all()) {
            assert_eq!(e.raw_os_error(), Some(28), "{e}");
            break;
        }
    }
    // and the last few bytes
    while f.write_all(&[0u8; 512]).and_then(|()| f.sync_all()).is_ok() {}
}

#[test]
fn a_read_only_command_on_a_full_disk_says_so_truthfully() {
    let v = TestVault::empty();
    let Some(_fs) = Tmpfs::mount(&v.tmp.path().join("vault"), "16m") else {
        return;
    };
    v.ok(&["init"], "");
    let sid = v.with_session();
    v.ok(&["note", "add", "--session", &sid], "Queues after lunch.");
    fill(&v.dir());
    for args in [
        vec!["check"],
        vec!["session", "list"],
        vec!["search", "queues"],
        vec!["audit"],
    ] {
        let o = v.run(&args, "");
        let err = String::from_utf8_lossy(&o.stderr);
        // `check` records itself in the audit trail, so it cannot succeed on a full disk; the
        // others could, if reading ever stops needing the shared-memory index
        if o.status.success() && args != ["check"] {
            continue;
        }
        assert!(!o.status.success(), "{args:?} succeeded on a full disk");
        assert!(err.contains("disk is full"), "{args:?}: {err}");
        assert!(
            !err.contains("nothing was saved"),
            "{args:?} claims a save: {err}"
        );
        assert!(err.contains("even to read"), "{args:?}: {err}");
    }
    // a command that writes still says nothing was saved
    let o = v.run(&["note", "add", "--session", &sid], &"x".repeat(200_000));
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing was saved"));
    std::fs::remove_file(v.dir().join("filler")).unwrap();
    v.ok(&["check"], "");
}

#[test]
fn a_subject_access_report_is_never_half_written_into_a_stream() {
    let v = with_note();
    let session = v
        .ok(&["session", "list"], "")
        .lines()
        .find_map(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap();
    v.ok(
        &[
            "participant",
            "add",
            "--session",
            &session,
            "--name",
            "Aisha Khan",
            "--role",
            "resident",
        ],
        "",
    );
    let fifo = v.tmpdir().join("report");
    mkfifo(&fifo);
    // refused before anything opens the fifo: no reader is needed, and nothing blocks
    let o = v.run(
        &[
            "subject-access",
            "--participant",
            "P01",
            "--plaintext",
            "--out",
            fifo.to_str().unwrap(),
        ],
        "",
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("two files"), "{err}");
    assert!(!String::from_utf8_lossy(&o.stdout).contains("Aisha"));
    assert!(!v.ok(&["audit"], "").contains("subject access"));
}

/// Every file that leaves the vault is read by another program: a terminal (`cat`), a browser,
/// a spreadsheet, a QDA tool. None carries an escape sequence, a C1 control or a bidirectional
/// override from a title, role, location, theme, project field or note.
#[test]
fn no_export_report_or_subject_access_file_carries_an_escape_or_override() {
    let v = TestVault::new();
    let project = "F2F";
    v.ok(&["project", "add", project, "--purpose", HOSTILE], "");
    let sid = v.last_line(
        &[
            "session",
            "add",
            "--project",
            project,
            "--kind",
            "workshop",
            "--title",
            &format!("Interview {HOSTILE}"),
            "--location",
            HOSTILE,
        ],
        "",
    );
    v.ok(
        &[
            "participant",
            "add",
            "--session",
            &sid,
            "--name",
            "Craig Barker",
            "--role",
            &format!("officer {HOSTILE}"),
        ],
        "",
    );
    let theme = format!("Waiting{HOSTILE}");
    v.ok(&["theme", "add", &theme, "--project", project], "");
    v.ok(
        &[
            "note",
            "add",
            "--session",
            &sid,
            "--speaker",
            "P01",
            "--kind",
            "idea",
            "--theme",
            &theme,
        ],
        &format!("Queues build up after lunch {HOSTILE}"),
    );
    // a note that reverses its middle, with a span coded after the override
    let nid = v.last_line(
        &["note", "add", "--session", &sid, "--speaker", "P01"],
        "Before \u{202e}reversed\u{202c} then the guard shouted.",
    );
    v.ok(
        &[
            "tag", "--note", &nid, "--theme", "Safety", "--span", "23..41",
        ],
        "",
    );
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for ext in ["md", "html", "csv", "json", "xlsx", "qdpx"] {
        let out = dir.path().join(format!("export.{ext}"));
        v.ok(
            &[
                "export",
                "--project",
                project,
                "--out",
                out.to_str().unwrap(),
            ],
            "",
        );
        files.push(out);
    }
    for name in ["record.md", "record.html"] {
        let out = dir.path().join(name);
        v.ok(
            &[
                "report",
                "--project",
                project,
                "--out",
                out.to_str().unwrap(),
            ],
            "",
        );
        files.push(out);
    }
    let sar = dir.path().join("access.html");
    v.ok(
        &[
            "subject-access",
            "--project",
            project,
            "--participant",
            "P01",
            "--out",
            sar.to_str().unwrap(),
            "--plaintext",
        ],
        "",
    );
    files.push(sar.clone());
    files.push(sar.with_extension("json"));
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        // the zip formats: every member
        let texts: Vec<(String, Vec<u8>)> = if bytes.starts_with(b"PK") {
            let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            (0..z.len())
                .map(|i| {
                    let mut e = z.by_index(i).unwrap();
                    let mut b = Vec::new();
                    std::io::Read::read_to_end(&mut e, &mut b).unwrap();
                    (e.name().map(|n| n.into_owned()).unwrap_or_default(), b)
                })
                .collect()
        } else {
            vec![(String::new(), bytes)]
        };
        for (member, b) in texts {
            // carriage returns end CSV rows; marks (U+200E…) are not overrides
            let bad: Vec<char> = obeyed(&b, true)
                .into_iter()
                .filter(|&c| c != '\r')
                .chain(
                    String::from_utf8_lossy(&b)
                        .chars()
                        .filter(|c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
                )
                .collect();
            assert!(bad.is_empty(), "{} {member}: {bad:?}", f.display());
        }
    }
    // the span still covers the words it was coded on, the override gone
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("export.json")).unwrap()).unwrap();
    let e = json["excerpts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["note_id"].as_i64() == nid.parse().ok())
        .unwrap();
    let text: Vec<char> = e["text"].as_str().unwrap().chars().collect();
    let c = e["codings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["theme"] == "Safety")
        .unwrap();
    let (a, b) = (
        c["start"].as_u64().unwrap() as usize,
        c["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(text[a..b].iter().collect::<String>(), "the guard shouted.");
}
