//! Keys made the way people make them (`age -p`, `ssh-keygen`), tools run without a
//! terminal, and the parts of a sealed backup.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use age::secrecy::SecretString;

/// `text` age-encrypted to `pass`, the format `age -p` writes (a low work factor keeps the
/// tests quick; the factor is in the file).
pub fn protect(text: &[u8], pass: &str) -> Vec<u8> {
    let mut r = age::scrypt::Recipient::new(SecretString::from(pass.to_owned()));
    r.set_work_factor(10);
    let enc = age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient)).unwrap();
    let mut out = Vec::new();
    let mut w = enc.wrap_output(&mut out).unwrap();
    std::io::Write::write_all(&mut w, text).unwrap();
    w.finish().unwrap();
    out
}

/// Runs a command with no terminal at all (a session of its own, standard input closed), so
/// a program that would ask on the terminal cannot, and gives it 20 seconds. Its output must
/// be small (a pipe's buffer): large output goes to a file.
pub fn run_detached(cmd: &mut Command) -> Output {
    // SAFETY: setsid is async-signal-safe and touches nothing of the parent's.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{cmd:?} did not finish in 20 seconds");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// True when `tool` runs; under CI (which installs it) a missing tool is an error, so a
/// test cannot skip there.
pub fn have(tool: &str, package: &str) -> bool {
    let found = Command::new(tool)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{tool} is not installed, so this test cannot run: .ci/run installs the Debian package {package}"
        );
        eprintln!("skipping: {tool} is not installed (apt-get install {package})");
    }
    found
}

/// A key pair made by ssh-keygen in `dir`, of `kind` (`ed25519`, `rsa`; `pass`: its
/// passphrase, empty for none): the private key file and the public key line. `None` where
/// ssh-keygen is missing.
pub fn ssh_keygen(dir: &Path, name: &str, kind: &str, pass: &str) -> Option<(PathBuf, String)> {
    if !have("ssh-keygen", "openssh-client") {
        return None;
    }
    let file = dir.join(name);
    let o = run_detached(
        Command::new("ssh-keygen")
            .args(["-q", "-t", kind, "-C", "amira@laptop", "-N", pass, "-f"])
            .arg(&file),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let public = std::fs::read_to_string(file.with_extension("pub")).unwrap();
    Some((file, public.trim().to_owned()))
}

/// A sealed backup's contents once its age layer is removed (see `fieldnotes backup
/// --help`): the backup's age-encrypted key and its SQLCipher database.
pub fn sealed_parts(inner: &[u8]) -> (&[u8], &[u8]) {
    let rest = inner
        .strip_prefix(&b"fieldnotes backup 2\n"[..])
        .expect("a sealed backup");
    let len = u32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
    let (key, rest) = rest[4..].split_at(len);
    let db_len = u64::from_be_bytes(rest[..8].try_into().unwrap()) as usize;
    assert_eq!(rest.len(), 8 + db_len, "the database runs to the end");
    (key, &rest[8..])
}
