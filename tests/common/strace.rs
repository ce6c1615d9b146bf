//! Killing the binary at an exact system call with strace
//! (`-e inject=SYSCALL:signal=KILL:when=N`), on copies of a test vault.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::{TestVault, WORK_FACTOR, files_under};

/// strace, where the machine has it.
pub fn strace() -> Option<PathBuf> {
    ["/usr/bin/strace", "/bin/strace"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Whether a kill test can run; without strace it is skipped, except on CI.
pub fn can_kill(name: &str) -> bool {
    if strace().is_some() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "strace is missing: .ci/run installs it"
    );
    eprintln!("skipping {name}: strace is not installed (apt-get install strace)");
    false
}

/// Copies every file under `from` to the same place under `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    for f in files_under(from) {
        let dest = to.join(f.strip_prefix(from).unwrap());
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&f, &dest).unwrap();
    }
    for d in [to.join("vault"), to.join("vault/keys")] {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o700));
    }
}

/// A copy of `v`'s whole folder (vault, passphrase file, home, anything else in it). In
/// memory where the machine has it: a killed process's writes are all in the page cache
/// either way.
pub fn clone_vault(v: &TestVault) -> TestVault {
    let shm = Path::new("/dev/shm");
    let tmp = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .unwrap();
    copy_tree(v.tmp.path(), tmp.path());
    TestVault { tmp }
}

/// How a run under strace ended.
pub enum Run {
    Killed,
    Finished(Output),
}

fn under_strace(v: &TestVault, pass_file: &Path, trace: &[String], args: &[String]) -> Output {
    let mut c = Command::new(strace().unwrap());
    c.args(["-f"]).args(trace);
    c.arg(assert_cmd::cargo::cargo_bin("fieldnotes"))
        .envs(v.home_env())
        .env("TMPDIR", v.tmpdir())
        .env("FIELDNOTES_KDF_WORK_FACTOR", WORK_FACTOR)
        .env_remove("FIELDNOTES_VAULT")
        .arg("--vault")
        .arg(v.dir())
        .arg("--passphrase-file")
        .arg(pass_file)
        .args(args);
    c.output().unwrap()
}

/// Runs `args` on `v` unlocked with `pass_file`, killed at its `when`-th call of `syscall`
/// (if it gets that far).
pub fn run_killed(
    v: &TestVault,
    pass_file: &Path,
    args: &[String],
    syscall: &str,
    when: usize,
) -> Run {
    let trace = [
        "-o".to_owned(),
        "/dev/null".to_owned(),
        "-e".to_owned(),
        format!("trace={syscall}"),
        "-e".to_owned(),
        format!("inject={syscall}:signal=KILL:when={when}"),
    ];
    let out = under_strace(v, pass_file, &trace, args);
    use std::os::unix::process::ExitStatusExt;
    if out.status.signal() == Some(libc::SIGKILL) {
        Run::Killed
    } else {
        Run::Finished(out)
    }
}

/// How many calls of `syscall` `args` makes on `v` unlocked with `pass_file`; `v` changes
/// (give it a copy).
pub fn count_calls(v: &TestVault, pass_file: &Path, args: &[String], syscall: &str) -> usize {
    let log = v.tmp.path().join("strace-count.log");
    let trace = [
        "-o".to_owned(),
        log.to_str().unwrap().to_owned(),
        "-e".to_owned(),
        format!("trace={syscall}"),
    ];
    let o = under_strace(v, pass_file, &trace, args);
    assert!(
        o.status.success(),
        "{args:?} fails unkilled: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let call = format!("{syscall}(");
    std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .filter(|l| l.contains(&call))
        .count()
}

/// The calls of 1..=`total` to kill at: every one when there are at most `most`, else about
/// `most` of them at an even stride, the first and the last always included.
pub fn kill_points(total: usize, most: usize) -> Vec<usize> {
    let step = total.div_ceil(most.max(1)).max(1);
    let mut points: Vec<usize> = (1..=total).step_by(step).collect();
    if total > 0 && points.last() != Some(&total) {
        points.push(total);
    }
    points
}
