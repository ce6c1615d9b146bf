//! Writing a file the user named (an export, a report, a backup).
//!
//! The rules: a regular file is created privately (0600) and atomically, never half-written;
//! an existing regular file is replaced only when the caller was told to overwrite; a device,
//! a fifo or an already-open descriptor such as `/dev/stdout` is written to, never replaced,
//! and a failed write to it (ENOSPC from `/dev/full`, a closed pipe) is an error. A rename
//! over a path is only ever done onto a regular file the caller agreed to replace.

use std::fs::{self, File, OpenOptions};
use std::io::{self, IsTerminal, Write};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Why an output file was not written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A regular file is there and overwriting was not asked for.
    #[error("{} already exists; nothing was written", .0.display())]
    Exists(PathBuf),
    /// The path is a folder.
    #[error("{} is a folder: name a file inside it", .0.display())]
    IsDir(PathBuf),
    /// A symbolic link whose target does not exist: where it would lead is not this
    /// program's to decide.
    #[error(
        "{} is a symbolic link to a file that does not exist: nothing was written; remove the link or name another file",
        .0.display()
    )]
    DanglingLink(PathBuf),
    /// A block device or a socket: nothing a report belongs in.
    #[error(
        "{} is a disk device or a socket, not a file: nothing was written; name a file",
        .0.display()
    )]
    NotAFile(PathBuf),
    /// The operating system refused.
    #[error("could not write {}: {source}. Check the folder exists and has space", path.display())]
    Io {
        /// The output path.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
}

impl OutputError {
    fn io(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
        move |source| OutputError::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// How an output path will be written, decided by [`plan`] before any work is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Nothing is there: a new private file appears atomically.
    New(PathBuf),
    /// A regular file the caller agreed to replace (a symbolic link's target, if it was one).
    Replace(PathBuf),
    /// A fifo, a character device or an open descriptor: the bytes are written into it.
    Stream(PathBuf),
}

/// `/dev/stdout`, `/dev/fd/3`…: these name a descriptor that is already open. Even when it
/// leads to a regular file it is written into, as every Unix tool does, never replaced.
fn is_descriptor_path(path: &Path) -> bool {
    ["/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/"]
        .iter()
        .any(|p| path.to_str().is_some_and(|s| s.starts_with(p)))
}

/// Decides how `path` is written. `overwrite` allows replacing an existing regular file.
pub fn plan(path: &Path, overwrite: bool) -> Result<Plan, OutputError> {
    if is_descriptor_path(path) {
        return Ok(Plan::Stream(path.to_owned()));
    }
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(OutputError::DanglingLink(path.to_owned()));
            }
            return Ok(Plan::New(path.to_owned()));
        }
        Err(e) => return Err(OutputError::io(path)(e)),
    };
    let kind = meta.file_type();
    if kind.is_dir() {
        Err(OutputError::IsDir(path.to_owned()))
    } else if kind.is_file() {
        if !overwrite {
            return Err(OutputError::Exists(path.to_owned()));
        }
        // a link to the file updates the file, and the link stays a link
        let target = fs::canonicalize(path).map_err(OutputError::io(path))?;
        Ok(Plan::Replace(target))
    } else if kind.is_fifo() || kind.is_char_device() {
        Ok(Plan::Stream(path.to_owned()))
    } else {
        Err(OutputError::NotAFile(path.to_owned()))
    }
}

/// Writes `bytes` to `path` under the rules above; says how it was written.
pub fn write(path: &Path, bytes: &[u8], overwrite: bool) -> Result<Plan, OutputError> {
    let plan = plan(path, overwrite)?;
    plan.write(bytes)?;
    Ok(plan)
}

impl Plan {
    /// The path written to.
    pub fn path(&self) -> &Path {
        match self {
            Plan::New(p) | Plan::Replace(p) | Plan::Stream(p) => p,
        }
    }

    /// True when the output ends up as a regular file (not a stream).
    pub fn is_file(&self) -> bool {
        !matches!(self, Plan::Stream(_))
    }

    /// Writes `bytes`: for a file, to a private temporary beside it, then [`Plan::commit`].
    pub fn write(&self, bytes: &[u8]) -> Result<(), OutputError> {
        match self {
            Plan::Stream(p) => write_stream(p, bytes),
            Plan::New(_) | Plan::Replace(_) => {
                let tmp = self.temp();
                let _ = fs::remove_file(&tmp);
                let written = (|| {
                    let mut f = OpenOptions::new()
                        .write(true)
                        .create_new(true)
                        .mode(0o600)
                        .open(&tmp)?;
                    f.write_all(bytes)?;
                    f.sync_all()
                })();
                if let Err(e) = written {
                    let _ = fs::remove_file(&tmp);
                    return Err(OutputError::io(self.path())(e));
                }
                self.commit(&tmp)
            }
        }
    }

    /// A temporary path in the same folder as a file output, for content that is made
    /// elsewhere and then [`Plan::commit`]ted.
    pub fn temp(&self) -> PathBuf {
        let p = self.path();
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        p.with_file_name(format!(".{name}.{}.part", std::process::id()))
    }

    /// Moves a finished temporary into place: a new file appears only if nothing took its
    /// name meanwhile; a replacement goes only onto a regular file. The temporary is removed
    /// on failure.
    pub fn commit(&self, tmp: &Path) -> Result<(), OutputError> {
        let result = match self {
            Plan::Stream(p) => fs::read(tmp)
                .map_err(OutputError::io(p))
                .and_then(|b| write_stream(p, &b)),
            Plan::New(p) => create_from(tmp, p),
            Plan::Replace(p) => match fs::symlink_metadata(p) {
                Ok(m) if m.file_type().is_file() => fs::rename(tmp, p)
                    .and_then(|()| sync_parent(p))
                    .map_err(OutputError::io(p)),
                // something else appeared there since the plan: leave it alone
                Ok(_) => Err(OutputError::NotAFile(p.clone())),
                Err(_) => create_from(tmp, p),
            },
        };
        let _ = fs::remove_file(tmp);
        result
    }
}

/// Gives `tmp`'s content the name `path` only if `path` does not exist: a hard link fails
/// rather than replace anything. Filesystems without hard links (FAT on a memory stick) get
/// a check and a rename instead.
fn create_from(tmp: &Path, path: &Path) -> Result<(), OutputError> {
    match fs::hard_link(tmp, path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(OutputError::Exists(path.to_owned()));
        }
        Err(_) => {
            if fs::symlink_metadata(path).is_ok() {
                return Err(OutputError::Exists(path.to_owned()));
            }
            fs::rename(tmp, path).map_err(OutputError::io(path))?;
        }
    }
    sync_parent(path).map_err(OutputError::io(path))
}

fn sync_parent(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => File::open(dir)?.sync_all(),
        _ => Ok(()),
    }
}

/// Writes into an existing fifo, device or descriptor. Never creates or truncates it; a
/// regular file behind a descriptor path is appended to, as a shell's `>>` would. On a
/// terminal the bytes are made safe first: an export can carry text a terminal would obey.
fn write_stream(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let regular = fs::metadata(path).is_ok_and(|m| m.is_file());
    let mut f = OpenOptions::new()
        .write(true)
        .append(regular)
        .custom_flags(libc::O_NOCTTY)
        .open(path)
        .map_err(OutputError::io(path))?;
    let shown;
    let bytes = if f.is_terminal() {
        shown = crate::text::for_terminal(&String::from_utf8_lossy(bytes), true);
        shown.as_bytes()
    } else {
        bytes
    };
    f.write_all(bytes)
        .and_then(|()| f.flush())
        .map_err(OutputError::io(path))?;
    if regular {
        f.sync_all().map_err(OutputError::io(path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dangling_link_is_refused_even_with_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("out.md");
        std::os::unix::fs::symlink(dir.path().join("missing/target.md"), &link).unwrap();
        for overwrite in [false, true] {
            let e = write(&link, b"x", overwrite).unwrap_err();
            assert!(matches!(e, OutputError::DanglingLink(_)), "{e}");
            assert!(e.to_string().contains("symbolic link"), "{e}");
        }
        assert!(!dir.path().join("missing").exists());
    }

    #[test]
    fn a_new_file_is_private_and_an_existing_one_needs_overwrite() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.md");
        assert_eq!(write(&p, b"one", false).unwrap(), Plan::New(p.clone()));
        assert_eq!(fs::read(&p).unwrap(), b"one");
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert!(matches!(
            write(&p, b"two", false),
            Err(OutputError::Exists(_))
        ));
        assert_eq!(fs::read(&p).unwrap(), b"one", "untouched without overwrite");
        write(&p, b"two", true).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary left behind");
    }

    #[test]
    fn descriptor_paths_are_streams_whatever_they_lead_to() {
        for p in ["/dev/stdout", "/dev/stderr", "/dev/fd/3", "/proc/self/fd/1"] {
            assert_eq!(plan(Path::new(p), false).unwrap(), Plan::Stream(p.into()));
        }
    }

    #[test]
    fn a_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            write(dir.path(), b"x", true),
            Err(OutputError::IsDir(_))
        ));
    }

    #[test]
    fn a_full_device_is_an_error_and_stays_a_device() {
        let dev = Path::new("/dev/full");
        if !dev.exists() {
            eprintln!("skipped: this system has no /dev/full");
            return;
        }
        let e = write(dev, b"data", true).unwrap_err();
        assert!(
            matches!(&e, OutputError::Io { source, .. } if source.raw_os_error() == Some(libc::ENOSPC)),
            "{e}"
        );
        assert!(fs::metadata(dev).unwrap().file_type().is_char_device());
    }

    #[test]
    fn a_fifo_is_written_into_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: mkfifo reads a NUL-terminated path that lives across the call.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read(fifo).unwrap())
        };
        assert_eq!(
            write(&fifo, b"through the pipe", false).unwrap(),
            Plan::Stream(fifo.clone())
        );
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    }

    #[test]
    fn a_new_file_is_not_created_over_one_that_appeared_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.html");
        let plan = plan(&p, false).unwrap();
        fs::write(&p, b"someone else's").unwrap();
        assert!(matches!(plan.write(b"ours"), Err(OutputError::Exists(_))));
        assert_eq!(fs::read(&p).unwrap(), b"someone else's");
    }

    #[test]
    fn replacing_through_a_link_updates_the_file_and_keeps_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.md");
        let link = dir.path().join("link.md");
        fs::write(&real, b"old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write(&link, b"new", true).unwrap();
        assert_eq!(fs::read(&real).unwrap(), b"new");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
}
