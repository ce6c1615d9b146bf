//! Crash safety: SIGKILL at random moments during `note add` never damages the vault or
//! loses an acknowledged note.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// A small deterministic generator, so a failure can be replayed.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[test]
fn two_hundred_kills_lose_no_acknowledged_note() {
    let v = TestVault::new();
    let sid = v.with_session();
    let bin = assert_cmd::cargo::cargo_bin("fieldnotes");
    let mut seed = 0x9e3779b97f4a7c15u64;
    let mut acknowledged = Vec::new();
    let mut kills = 0;
    let mut i = 0;
    while kills < 200 {
        i += 1;
        let text = format!("kill-note-{i}");
        let mut child = Command::new(&bin)
            .envs(v.home_env())
            .env("TMPDIR", v.tmpdir())
            .args(["--vault", v.dir().to_str().unwrap(), "--passphrase-file"])
            .arg(v.pass_file())
            .args(["note", "add", "--session", &sid])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            let _ = stdin.write_all(text.as_bytes());
        }
        let delay = Duration::from_micros(next(&mut seed) % 40_000);
        let start = Instant::now();
        while start.elapsed() < delay {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        if out.status.success() {
            acknowledged.push(text);
        } else {
            kills += 1;
        }
    }
    let vault = fieldnotes::vault::Vault::open(
        &v.dir(),
        fieldnotes::vault::Unlock::Passphrase(PASS.to_owned().into()),
        Default::default(),
    )
    .expect("the vault opens after 200 kills");
    fieldnotes::app::vault_ops::check(&vault).expect("integrity_check passes");
    let texts: std::collections::HashSet<String> =
        fieldnotes::app::notes::list(&vault, sid.parse().unwrap())
            .unwrap()
            .into_iter()
            .map(|n| n.text)
            .collect();
    for t in &acknowledged {
        assert!(texts.contains(t), "{t} was acknowledged and then lost");
    }
    drop(vault);
    // the vault still takes writes
    v.ok(&["note", "add", "--session", &sid], "after the kills\n");
    eprintln!(
        "{kills} kills, {} acknowledged notes survived",
        acknowledged.len()
    );
}
