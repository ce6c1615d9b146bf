//! A note as large as `note add` accepts, dense with identifiers, leaves the vault (export,
//! subject access, analysis) in memory proportional to its size: under a 1 GiB address-space
//! limit, in bounded time, with nothing identifying in the output.

mod common;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use common::TestVault;

/// Address space allowed to each run, in KiB (`ulimit -v`).
const LIMIT_KIB: u64 = 1024 * 1024;
/// Generous for a debug build on a shared machine; a pass that compares every finding with
/// every other, or copies the note once per finding, takes far longer or runs out of memory.
const DEADLINE: Duration = Duration::from_secs(120);
/// About 10 MB of note.
const LINES: usize = 100_000;

/// A valid (mod-11) NHS number from a nine-digit stem, or none when the stem has no check digit.
fn nhs(stem: u64) -> Option<String> {
    let d: Vec<u32> = format!("{stem:09}")
        .bytes()
        .map(|b| u32::from(b - b'0'))
        .collect();
    let sum: u32 = d.iter().zip((2..=10).rev()).map(|(x, w)| x * w).sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return None,
        c => c,
    };
    Some(format!(
        "{}{}{} {}{}{} {}{}{}{check}",
        d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8]
    ))
}

/// The note, and every distinct identifier in it.
fn dense_note() -> (String, Vec<String>) {
    const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    let mut text = String::with_capacity(LINES * 110);
    let mut ids = Vec::new();
    let mut stem = 943_476_591;
    for i in 0..LINES {
        let number = loop {
            stem += 7;
            if let Some(n) = nhs(stem) {
                break n;
            }
        };
        let postcode = format!(
            "NW{} {}{}{}",
            1 + i % 9,
            i % 10,
            LETTERS[i / 10 % 20] as char,
            LETTERS[i / 200 % 20] as char
        );
        let phone = format!("07700 9{:05}", i % 100_000);
        let _ = writeln!(
            text,
            "Tesfay Habte gave NHS {number}, lives at {postcode} and rang {phone} about Gemma Ashworth."
        );
        if i % 1000 == 0 {
            ids.extend([number, postcode, phone]);
        }
    }
    (text, ids)
}

/// Runs the binary under the address-space limit and the deadline; returns stdout.
fn capped(v: &TestVault, args: &[&str]) -> String {
    let bin = assert_cmd::cargo::cargo_bin("fieldnotes");
    let mut c = std::process::Command::new("sh");
    c.arg("-c")
        .arg(format!("ulimit -v {LIMIT_KIB} && exec \"$@\""))
        .arg("sh")
        .arg(bin)
        .arg("--vault")
        .arg(v.dir())
        .arg("--passphrase-file")
        .arg(v.pass_file())
        .args(args)
        .envs(v.home_env())
        .env("TMPDIR", v.tmpdir())
        .env("FIELDNOTES_KDF_WORK_FACTOR", common::WORK_FACTOR)
        .env_remove("FIELDNOTES_VAULT")
        .env_remove("RUST_BACKTRACE");
    let started = Instant::now();
    let o = assert_cmd::Command::from_std(c)
        .timeout(DEADLINE)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?} failed under a {LIMIT_KIB} KiB limit after {:?} ({:?}): {}",
        started.elapsed(),
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// What must never appear: the registered names and the note's identifiers, also found by
/// shape (one pass each, whatever the output's size).
fn assert_clean(what: &str, out: &str, names: &[&str], ids: &[String]) {
    for n in names {
        assert!(!out.contains(n), "{what}: '{n}' leaked");
    }
    for id in ids {
        assert!(!out.contains(id.as_str()), "{what}: '{id}' leaked");
    }
    for shape in [
        r"\b\d{3} \d{3} \d{4}\b",
        r"\bNW\d \d[A-Z]{2}\b",
        r"\b07700 9\d{5}\b",
    ] {
        let re = regex::Regex::new(shape).unwrap();
        assert!(
            re.find(out).is_none(),
            "{what}: {:?} leaked",
            re.find(out).map(|m| m.as_str())
        );
    }
}

#[test]
fn a_ten_megabyte_note_dense_with_identifiers_leaves_the_vault_in_bounded_memory() {
    let v = TestVault::new();
    let sid = v.with_session();
    for name in ["Tesfay Habte", "Gemma Ashworth"] {
        v.ok(
            &["participant", "add", "--session", &sid, "--name", name],
            "",
        );
    }
    v.ok(&["theme", "add", "Waiting", "--project", "F2F"], "");
    let (note, ids) = dense_note();
    assert!(note.len() > 9_000_000, "{} bytes", note.len());
    v.ok(
        &[
            "note",
            "add",
            "--session",
            &sid,
            "--speaker",
            "P01",
            "--theme",
            "Waiting",
        ],
        &note,
    );
    drop(note);

    let out = v.tmp.path().join("summary.md");
    capped(&v, &["export", "--out", out.to_str().unwrap()]);
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(
        md.contains("NHS NUMBER") && md.contains("P02"),
        "anonymised"
    );
    assert_clean(
        "export",
        &md,
        &["Tesfay", "Habte", "Gemma", "Ashworth"],
        &ids,
    );

    // the other participant asks for their data: the note mentions them
    let sar = v.tmp.path().join("sar.html");
    capped(
        &v,
        &[
            "subject-access",
            "--participant",
            "P02",
            "--out",
            sar.to_str().unwrap(),
            "--plaintext",
        ],
    );
    for file in [sar.clone(), sar.with_extension("json")] {
        let doc = std::fs::read_to_string(&file).unwrap();
        assert!(doc.contains("[NHS NUMBER]"), "the note is in the report");
        assert_clean("subject access", &doc, &["Tesfay", "Habte"], &ids);
    }

    // analysis shows registered names as pseudonyms
    let table = capped(&v, &["analyse", "excerpts", "--format", "csv"]);
    assert!(table.contains("P01 gave NHS"), "the note is listed");
    for n in ["Tesfay", "Habte", "Gemma", "Ashworth"] {
        assert!(!table.contains(n), "analysis: '{n}' shown");
    }
}
