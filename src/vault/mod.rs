//! The secured folder: where the vault lives, the single-writer lock, the wrapped database
//! key, and the keyed SQLCipher connection.
//!
//! ```text
//! vault/                 0700
//!   fieldnotes.db        SQLCipher database (WAL); every page, WAL frame and index encrypted
//!   keys/passphrase.age  the 32-byte database key, age-encrypted to the passphrase (scrypt)
//!   keys/<name>.age      the same key, age-encrypted to an X25519 recipient
//!   lock                 held (flock) while a fieldnotes has the vault open; pid inside
//! ```
//! Only this module opens database connections.

mod files;
pub mod keys;
mod swap;
pub mod wal;

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use rusqlite::{Connection, OpenFlags};
use zeroize::Zeroizing;

use crate::audit;
use crate::passphrase::{self, WeakPassphrase};
use crate::secret::DbKey;
use crate::store::{Store, StoreError, schema};
use keys::UnwrapError;

pub use files::{create_private_dir, write_private_atomic};

/// What went wrong with the secured folder, in the user's terms.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// No vault at the path.
    #[error("there is no vault at {0}: create one with `fieldnotes init` (or pass --vault DIR)")]
    NotFound(PathBuf),
    /// `init` on an existing vault.
    #[error("a vault already exists at {0}: nothing was changed")]
    AlreadyExists(PathBuf),
    /// The passphrase did not unwrap the key.
    #[error("wrong passphrase: it does not unlock this vault; nothing was changed. Try again")]
    WrongPassphrase,
    /// No identity matched any recipient key file.
    #[error(
        "none of the keys in the identity file can unlock this vault: use the passphrase, or an identity added with `fieldnotes recipient add`"
    )]
    NoMatchingIdentity,
    /// Another process holds the lock.
    #[error(
        "the vault is open in another fieldnotes{}: close it there first (only one program may write to a vault at a time)",
        .0.map(|p| format!(" (pid {p})")).unwrap_or_default()
    )]
    Locked(Option<u32>),
    /// A key file is unreadable or altered.
    #[error(
        "the key file {} is damaged or was altered (it is not a complete age-encrypted vault key); nothing was changed. Put back that file from a copy of the vault folder, or unlock with a recovery identity (--identity)",
        .file.display()
    )]
    KeyFileDamaged {
        /// Which file.
        file: PathBuf,
        /// What age said (for diagnosis; not shown: it speaks of age's internals).
        detail: String,
    },
    /// A key unwrapped but does not open the database.
    #[error(
        "the key in {} unlocks, but does not open {}: the key file may come from another vault, or the start of the vault file is damaged. Nothing was changed. Put back this vault's own keys folder, or restore a backup with `fieldnotes restore BACKUP`",
        .file.display(), .db.display()
    )]
    KeyMismatch {
        /// The key file.
        file: PathBuf,
        /// The database.
        db: PathBuf,
    },
    /// The database file is missing or empty while the key files exist.
    #[error(
        "the vault file {} is missing or empty, although the vault's key files are there: the notes are not in it. Nothing was changed. Restore a backup with `fieldnotes restore BACKUP` (only `fieldnotes init` creates a new vault file, in a new folder)",
        .0.display()
    )]
    DatabaseMissing(PathBuf),
    /// The write-ahead log would have silently dropped committed changes.
    #[error(
        "{} (the log of the latest changes) is damaged or was altered: {detail}, which would have been dropped without a word. It has been moved aside, still encrypted, to {}. Run the command again to open the vault with every change up to the damage; if you have a backup made after those changes, restore it with `fieldnotes restore BACKUP`",
        .wal.display(), .kept.display()
    )]
    WalDamaged {
        /// The log.
        wal: PathBuf,
        /// Where it was moved.
        kept: PathBuf,
        /// What was seen.
        detail: String,
    },
    /// The passphrase is too weak.
    #[error(transparent)]
    Weak(#[from] WeakPassphrase),
    /// A database problem.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A backup file could not be read.
    #[error("{0}")]
    Backup(String),
    /// The request needs something else first.
    #[error("{0}")]
    Refused(String),
    /// A file-system failure.
    #[error("could not {what}: {source}")]
    Io {
        /// What we were doing.
        what: String,
        /// The OS error.
        source: std::io::Error,
    },
}

impl VaultError {
    /// True when the failure is an authentication failure (exit code 2).
    pub fn is_auth_failure(&self) -> bool {
        matches!(
            self,
            VaultError::WrongPassphrase | VaultError::NoMatchingIdentity
        )
    }
}

type Result<T> = std::result::Result<T, VaultError>;

fn io_err(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> VaultError {
    let what = what.into();
    move |source| {
        if source.raw_os_error() == Some(libc::ENOSPC) {
            VaultError::Store(StoreError::DiskFull)
        } else {
            VaultError::Io { what, source }
        }
    }
}

/// The platform's default vault folder, e.g. `~/.local/share/fieldnotes/vault` on Linux.
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "fieldnotes").map(|d| d.data_dir().join("vault"))
}

/// How to unlock a vault.
pub enum Unlock {
    /// With the passphrase.
    Passphrase(SecretString),
    /// With X25519 identities (a team member's key or the offline recovery key).
    Identities(Vec<age::x25519::Identity>),
}

/// Settings for operations that wrap keys.
#[derive(Debug, Clone, Copy, Default)]
pub struct KdfSettings {
    /// scrypt work factor (log2 N) for new passphrase wraps; `None` lets age calibrate to ~1 s.
    pub work_factor: Option<u8>,
}

/// The files of a vault folder.
#[derive(Debug, Clone)]
pub struct VaultPaths {
    /// The folder.
    pub dir: PathBuf,
}

impl VaultPaths {
    /// Paths inside `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }
    /// The database.
    pub fn db(&self) -> PathBuf {
        self.dir.join("fieldnotes.db")
    }
    /// A replacement database being prepared (rotation, restore); not yet committed.
    fn db_next(&self) -> PathBuf {
        self.dir.join("fieldnotes.db.next")
    }
    /// The key files' folder.
    pub fn keys(&self) -> PathBuf {
        self.dir.join("keys")
    }
    /// The passphrase-wrapped key.
    pub fn passphrase_key(&self) -> PathBuf {
        self.keys().join("passphrase.age")
    }
    /// A recipient's wrapped key.
    pub fn recipient_key(&self, name: &str) -> PathBuf {
        self.keys().join(format!("{name}.age"))
    }
    /// The lock file.
    pub fn lock(&self) -> PathBuf {
        self.dir.join("lock")
    }
}

/// An open, unlocked vault. Holds the single-writer lock until dropped.
pub struct Vault {
    paths: VaultPaths,
    store: Store,
    key: DbKey,
    passphrase: Option<SecretString>,
    kdf: KdfSettings,
    actor: String,
    _lock: File,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("dir", &self.paths.dir)
            .finish_non_exhaustive()
    }
}

/// Opens a keyed SQLCipher connection and sets the pragmas every vault connection needs.
fn open_connection(path: &Path, key: &DbKey, create: bool) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags).map_err(StoreError::from)?;
    // SQLCipher logs to stderr by default: that would garble the TUI and leak internals.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")
        .map_err(StoreError::from)?;
    conn.pragma_update(None, "key", &*key.sqlcipher_literal())
        .map_err(StoreError::from)?;
    conn.execute_batch(
        "PRAGMA cipher_memory_security = ON;
         SELECT count(*) FROM sqlite_master;
         PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA temp_store = MEMORY;
         PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;
         PRAGMA busy_timeout = 5000;",
    )
    .map_err(|e| match StoreError::from(e) {
        StoreError::Damaged(d) => StoreError::Damaged(format!("{}: {d}", path.display())),
        other => other,
    })?;
    Ok(conn)
}

/// Takes the single-writer lock, or says who holds it.
///
/// The lock file is opened with O_NOFOLLOW: a symbolic link planted in its place must not
/// make fieldnotes create, lock or write its pid into a file elsewhere.
fn take_lock(paths: &VaultPaths) -> Result<File> {
    let mut f = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(paths.lock())
        .map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) {
                VaultError::Refused(format!(
                    "the vault's lock file {} is a symbolic link, which fieldnotes does not follow: remove it (it holds nothing) and try again",
                    paths.lock().display()
                ))
            } else {
                io_err(format!("open the lock file {}", paths.lock().display()))(e)
            }
        })?;
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(fs::TryLockError::WouldBlock) => {
            let mut s = String::new();
            let _ = f.read_to_string(&mut s);
            Err(VaultError::Locked(s.trim().parse().ok()))
        }
        Err(fs::TryLockError::Error(e)) => Err(io_err("lock the vault")(e)),
    }
}

fn record_pid(lock: &mut File) {
    // Best effort: the pid is only shown to a second opener.
    let _ = lock.set_len(0);
    let _ = lock.rewind();
    let _ = writeln!(lock, "{}", std::process::id());
}

/// The key files to try, in the order that matches where an interrupted replacement stopped:
/// after its commit the staged (`.next`) files hold the key in force, before it the live ones.
fn key_files(paths: &VaultPaths, how: &Unlock, pending: swap::Pending) -> Result<Vec<PathBuf>> {
    let (mut live, mut staged) = match how {
        Unlock::Passphrase(_) => (
            vec![paths.passphrase_key()],
            vec![paths.passphrase_key().with_extension("age.next")],
        ),
        Unlock::Identities(_) => {
            let not_pass = |p: &PathBuf| {
                !p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("passphrase."))
            };
            (
                swap::live_keys(paths)?
                    .into_iter()
                    .filter(not_pass)
                    .collect(),
                swap::next_keys(paths)?
                    .into_iter()
                    .filter(not_pass)
                    .collect(),
            )
        }
    };
    staged.retain(|p| p.exists());
    Ok(match pending {
        swap::Pending::Committed => {
            staged.append(&mut live);
            staged
        }
        swap::Pending::Uncommitted => {
            live.append(&mut staged);
            live
        }
        swap::Pending::None => live,
    })
}

fn unwrap_file(file: &Path, how: &Unlock) -> std::result::Result<DbKey, UnwrapError> {
    let bytes = fs::read(file).map_err(|e| UnwrapError::Damaged(e.to_string()))?;
    let plain = match how {
        Unlock::Passphrase(p) => keys::decrypt_with_passphrase(&bytes, p)?,
        Unlock::Identities(ids) => keys::decrypt_with_identities(&bytes, ids)?,
    };
    keys::key_from_plaintext(&plain)
}

/// Before SQLite sees the files: the database must exist and not be empty (SQLite would make
/// an empty file a new, empty vault), and a damaged log is set aside and reported rather than
/// silently cut short.
fn check_database_files(paths: &VaultPaths) -> Result<()> {
    let db = paths.db();
    match fs::metadata(&db) {
        Ok(m) if m.len() > 0 => {}
        Ok(_) => return Err(VaultError::DatabaseMissing(db)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(VaultError::DatabaseMissing(db));
        }
        Err(e) => return Err(io_err(format!("read {}", db.display()))(e)),
    }
    let Some(damage) = wal::check(&db).map_err(io_err("read the vault's log"))? else {
        return Ok(());
    };
    let wal = wal::sibling(&db, "-wal");
    let stamp = crate::store::now_rfc3339().replace(':', "-");
    let kept = wal::sibling(&db, &format!("-wal.damaged-{stamp}"));
    if wal.exists() {
        fs::rename(&wal, &kept).map_err(io_err("set the damaged log aside"))?;
    }
    let shm = wal::sibling(&db, "-shm");
    if shm.exists() {
        fs::remove_file(&shm).map_err(io_err("remove the log's index"))?;
    }
    files::sync_parent(&db).map_err(io_err("flush the vault folder"))?;
    Err(VaultError::WalDamaged {
        wal,
        kept,
        detail: damage.detail,
    })
}

/// Logs set aside by [`check_database_files`], oldest first.
pub fn damaged_logs(paths: &VaultPaths) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(&paths.dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("fieldnotes.db-wal.damaged-"))
        })
        .collect();
    found.sort();
    found
}

/// Unwraps the key and opens the database with it. Each key file that unwraps is tried until
/// one's key opens the database, so a half-finished rotation is resolved by what the database
/// itself accepts. Nothing on disk changes before a key has unwrapped.
fn unlock_and_connect(
    paths: &VaultPaths,
    how: &Unlock,
    pending: swap::Pending,
) -> Result<(DbKey, Connection, PathBuf)> {
    let mut damaged = None;
    let mut mismatch = None;
    let mut checked = false;
    for file in key_files(paths, how, pending)? {
        let key = match unwrap_file(&file, how) {
            Ok(k) => k,
            Err(UnwrapError::NoMatch) => continue,
            Err(UnwrapError::Damaged(detail)) => {
                damaged.get_or_insert(VaultError::KeyFileDamaged {
                    file: file.clone(),
                    detail,
                });
                continue;
            }
        };
        if !checked {
            check_database_files(paths)?;
            checked = true;
        }
        match open_connection(&paths.db(), &key, false) {
            Ok(conn) => return Ok((key, conn, file)),
            Err(VaultError::Store(StoreError::Damaged(_))) => {
                mismatch.get_or_insert(file);
            }
            Err(e) => return Err(e),
        }
    }
    if let Some(file) = mismatch {
        return Err(VaultError::KeyMismatch {
            file,
            db: paths.db(),
        });
    }
    Err(damaged.unwrap_or(match how {
        Unlock::Passphrase(_) => VaultError::WrongPassphrase,
        Unlock::Identities(_) => VaultError::NoMatchingIdentity,
    }))
}

/// Settles an interrupted replacement (see [`swap`]) once the database is open, and removes
/// what interrupted writes left behind. Returns a line for the audit trail when anything
/// was settled.
fn settle(paths: &VaultPaths, pending: swap::Pending, store: &Store) -> Result<Option<String>> {
    let mut done = Vec::new();
    match pending {
        swap::Pending::Uncommitted => {
            swap::roll_back(paths)?;
            done.push("an interrupted key rotation or restore was rolled back".to_owned());
        }
        swap::Pending::Committed | swap::Pending::None => {
            let listed: Vec<String> = store.recipients()?.into_iter().map(|(n, _)| n).collect();
            if pending == swap::Pending::Committed {
                done.push("an interrupted key rotation was finished".to_owned());
            }
            let removed = swap::finish(paths, &listed)?;
            if !removed.is_empty() {
                done.push(format!(
                    "key files of recipients not listed were removed: {}",
                    removed.join(", ")
                ));
            }
        }
    }
    swap::remove_stray_temporaries(paths)?;
    Ok((!done.is_empty()).then(|| done.join("; ")))
}

impl Vault {
    /// Creates a new vault in `dir`, protected by `pass`.
    pub fn init(dir: &Path, pass: &SecretString, kdf: KdfSettings) -> Result<()> {
        let paths = VaultPaths::new(dir);
        if paths.passphrase_key().exists() || paths.db().exists() {
            return Err(VaultError::AlreadyExists(dir.to_owned()));
        }
        passphrase::check_strength(pass, &["fieldnotes", "vault"])?;
        create_private_dir(&paths.keys())
            .map_err(io_err(format!("create the vault folder {}", dir.display())))?;
        files::create_private_dir(dir).map_err(io_err("set the vault folder's permissions"))?;
        let mut lock = take_lock(&paths)?;
        let key = DbKey::generate().map_err(|e| {
            VaultError::Refused(format!(
                "the system's random number source failed ({e}); nothing was created"
            ))
        })?;
        let wrapped = keys::encrypt_to_passphrase(key.expose(), pass, kdf.work_factor)
            .map_err(io_err("encrypt the vault key"))?;
        // SQLite creates its files with the database file's mode: make that 0600 first.
        files::create_private_file(&paths.db()).map_err(io_err("create the database file"))?;
        let conn = open_connection(&paths.db(), &key, true)?;
        let store = Store::new(conn)?;
        store.audit(&audit::current_actor(), "init", "vault created")?;
        drop(store);
        // The key file last: a vault is initialised exactly when it exists.
        files::write_private_atomic(&paths.passphrase_key(), &wrapped)
            .map_err(io_err("write the key file"))?;
        record_pid(&mut lock);
        Ok(())
    }

    /// Opens and unlocks the vault in `dir`. On a wrong passphrase nothing on disk changes.
    pub fn open(dir: &Path, unlock: Unlock, kdf: KdfSettings) -> Result<Self> {
        let paths = VaultPaths::new(dir);
        if !paths.passphrase_key().exists() {
            return Err(VaultError::NotFound(dir.to_owned()));
        }
        let mut lock = take_lock(&paths)?;
        let pending = swap::pending(&paths)?;
        let (key, conn, _) = unlock_and_connect(&paths, &unlock, pending)?;
        let store = Store::new(conn)?;
        let settled = settle(&paths, pending, &store)?;
        record_pid(&mut lock);
        let vault = Self {
            paths,
            store,
            key,
            passphrase: match unlock {
                Unlock::Passphrase(p) => Some(p),
                Unlock::Identities(_) => None,
            },
            kdf,
            actor: audit::current_actor(),
            _lock: lock,
        };
        if let Some(what) = settled {
            vault.audit("recovery", &what)?;
        }
        Ok(vault)
    }

    /// The data.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The folder.
    pub fn paths(&self) -> &VaultPaths {
        &self.paths
    }

    /// Who is acting (the OS user), for the audit trail.
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// Records an audit event as the current user.
    pub fn audit(&self, action: &str, detail: &str) -> Result<()> {
        Ok(self.store.audit(&self.actor, action, detail)?)
    }

    /// Changes the passphrase: re-wraps the same key; the data is not re-encrypted.
    pub fn change_passphrase(&mut self, new: SecretString) -> Result<()> {
        passphrase::check_strength(&new, &["fieldnotes", "vault"])?;
        let wrapped = keys::encrypt_to_passphrase(self.key.expose(), &new, self.kdf.work_factor)
            .map_err(io_err("encrypt the vault key"))?;
        files::write_private_atomic(&self.paths.passphrase_key(), &wrapped)
            .map_err(io_err("write the key file"))?;
        self.passphrase = Some(new);
        self.audit(
            "passphrase change",
            "vault key re-wrapped to a new passphrase",
        )
    }

    /// Wraps the key to an X25519 recipient (a team member or an offline recovery key). The
    /// key file is written first and the recipient listed after it, so an interrupted add
    /// leaves at most an unlisted key file, which the next open removes and a retry replaces.
    pub fn add_recipient(&self, name: &str, public_key: &str) -> Result<()> {
        let name = check_recipient_name(name)?;
        let recipient: age::x25519::Recipient = public_key.trim().parse().map_err(|e| {
            VaultError::Refused(format!(
                "'{}' is not an age public key ({e}); it starts with age1…",
                crate::text::for_terminal(public_key.trim(), false)
            ))
        })?;
        if self.is_listed(&name)? {
            return Err(VaultError::Refused(format!(
                "a recipient named '{name}' already exists: remove it first or pick another name"
            )));
        }
        let wrapped = keys::encrypt_to_recipients(self.key.expose(), &[recipient])
            .map_err(io_err("encrypt the vault key"))?;
        files::write_private_atomic(&self.paths.recipient_key(&name), &wrapped)
            .map_err(io_err("write the recipient's key file"))?;
        let listed = self
            .store
            .recipient_insert(&name, public_key.trim(), &self.actor);
        if listed.is_err() {
            let _ = fs::remove_file(self.paths.recipient_key(&name));
        }
        Ok(listed?)
    }

    fn is_listed(&self, name: &str) -> Result<bool> {
        Ok(self.store.recipients()?.iter().any(|(n, _)| n == name))
    }

    /// Removes a recipient and rotates the database key, so the removed key (and any copy of
    /// the old key file) can no longer open the vault. Needs the passphrase in hand. One
    /// recoverable transaction (see [`swap`]): until the commit the recipient stays listed
    /// under the old key; after it, it is gone and the old key opens nothing.
    pub fn remove_recipient(self, name: &str) -> Result<Self> {
        let name = check_recipient_name(name)?;
        if !self.is_listed(&name)? {
            return Err(VaultError::Refused(format!(
                "there is no recipient named '{name}': see `fieldnotes recipient list`"
            )));
        }
        let Some(pass) = self.passphrase.clone() else {
            return Err(VaultError::Refused(
                "removing a recipient re-wraps the key to the passphrase: unlock with the passphrase, not an identity"
                    .into(),
            ));
        };
        let new_key = DbKey::generate()
            .map_err(|e| VaultError::Refused(format!("the random number source failed ({e})")))?;
        let prepared = self.prepare_rotation(&name, &pass, &new_key);
        if let Err(e) = prepared {
            let _ = swap::roll_back(&self.paths);
            return Err(e);
        }
        self.swap_in_next(new_key)
    }

    /// Steps 1 and 2 of a rotation: the new database (recipient gone, removal audited), then
    /// the staged key files for the passphrase and every remaining recipient.
    fn prepare_rotation(&self, removed: &str, pass: &SecretString, new_key: &DbKey) -> Result<()> {
        let next = self.paths.db_next();
        export_encrypted(self.store.conn(), &next, new_key)?;
        let staged = Store::new(open_connection(&next, new_key, false)?)?;
        staged.recipient_delete(removed, &self.actor)?;
        let remaining = staged.recipients()?;
        close_checkpointed(staged.into_conn())?;
        File::open(&next)
            .and_then(|f| f.sync_all())
            .map_err(io_err("flush the new database"))?;
        let stage = |p: PathBuf| p.with_extension("age.next");
        let wrapped = keys::encrypt_to_passphrase(new_key.expose(), pass, self.kdf.work_factor)
            .map_err(io_err("encrypt the vault key"))?;
        files::write_private_atomic(&stage(self.paths.passphrase_key()), &wrapped)
            .map_err(io_err("write the new key file"))?;
        for (name, public) in remaining {
            let r: age::x25519::Recipient = public.parse().map_err(|e| {
                VaultError::Refused(format!("stored key of recipient {name} is invalid: {e}"))
            })?;
            let wrapped = keys::encrypt_to_recipients(new_key.expose(), &[r])
                .map_err(io_err("encrypt the vault key"))?;
            files::write_private_atomic(&stage(self.paths.recipient_key(&name)), &wrapped)
                .map_err(io_err("write a new key file"))?;
        }
        Ok(())
    }

    /// The commit (see [`commit_next`]), then the vault reopened under `key`.
    fn swap_in_next(self, key: DbKey) -> Result<Self> {
        let Vault {
            paths,
            store,
            passphrase,
            kdf,
            actor,
            _lock,
            ..
        } = self;
        let store = commit_next(&paths, Some(store.into_conn()), &key)?;
        Ok(Vault {
            paths,
            store,
            key,
            passphrase,
            kdf,
            actor,
            _lock,
        })
    }

    /// A consistent copy of the whole database, age-encrypted to the passphrase (or to the
    /// given recipients), written to `out` with mode 0600. The plaintext copy exists only in
    /// memory.
    pub fn backup(&mut self, out: &Path, recipients: &[age::x25519::Recipient]) -> Result<()> {
        let image = self.plain_image()?;
        let encrypted = if recipients.is_empty() {
            let pass = self.passphrase.as_ref().ok_or_else(|| {
                VaultError::Refused(
                    "a backup is encrypted to the passphrase: unlock with it, or pass --recipient"
                        .into(),
                )
            })?;
            keys::encrypt_to_passphrase(&image, pass, self.kdf.work_factor)
        } else {
            keys::encrypt_to_recipients(&image, recipients)
        }
        .map_err(io_err("encrypt the backup"))?;
        files::write_private_atomic(out, &encrypted)
            .map_err(io_err(format!("write the backup {}", out.display())))?;
        self.audit(
            "backup",
            &format!(
                "backup written ({} bytes, encrypted to {})",
                encrypted.len(),
                if recipients.is_empty() {
                    "the passphrase".to_owned()
                } else {
                    format!("{} recipient(s)", recipients.len())
                }
            ),
        )
    }

    /// The audit trail's newest event as a backup recorded it: an anchor outside the live
    /// trail, so `audit --verify` can see events removed from its end since.
    pub fn backup_anchor(
        &self,
        backup: &Path,
        pass: Option<&SecretString>,
        ids: &[age::x25519::Identity],
    ) -> Result<Option<crate::audit::Anchor>> {
        let plain = open_backup(backup, pass.or(self.passphrase.as_ref()), ids)?;
        let store = Store::new(load_backup(backup, &plain)?)?;
        Ok(store.audit_head()?)
    }

    /// Backups in the vault's default folder, newest first.
    pub fn default_backups(&self) -> Vec<PathBuf> {
        let mut found: Vec<(std::time::SystemTime, PathBuf)> =
            fs::read_dir(self.paths.dir.join("backups"))
                .into_iter()
                .flatten()
                .filter_map(|e| e.ok())
                .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
                .filter(|(_, p)| p.extension().is_some_and(|x| x == "age"))
                .collect();
        found.sort_by_key(|f| std::cmp::Reverse(f.0));
        found.into_iter().map(|(_, p)| p).collect()
    }

    /// Serialises an unencrypted copy of the database. It exists only in memory: SQLite's
    /// backup API cannot copy between encrypted and plain pages, so the pages are exported
    /// into an attached, unkeyed in-memory database and that is serialised.
    fn plain_image(&mut self) -> Result<Zeroizing<Vec<u8>>> {
        let version = schema::version(self.store.conn())?;
        let conn = self.store.conn_mut();
        conn.execute_batch("ATTACH DATABASE ':memory:' AS plain KEY '';")
            .map_err(StoreError::from)?;
        let result = (|| {
            conn.execute_batch("SELECT sqlcipher_export('plain');")?;
            conn.pragma_update(Some("plain"), "user_version", version)?;
            let data = conn.serialize("plain")?;
            Ok::<_, rusqlite::Error>(Zeroizing::new(data.to_vec()))
        })();
        let detach = conn.execute_batch("DETACH DATABASE plain;");
        let image = result.map_err(StoreError::from)?;
        detach.map_err(StoreError::from)?;
        Ok(image)
    }

    /// Replaces the vault's data with a backup's. The backup is checked before anything is
    /// replaced; the swap is one recoverable rename, so a crash leaves either the old or the
    /// restored data. The vault keeps its own key, passphrase and recipients (the backup's
    /// list would bring back removed people), and erasures made since the backup are applied
    /// before anything is written. It also works when the live vault file is missing, empty
    /// or damaged: that is when a backup is needed most.
    pub fn restore(
        dir: &Path,
        unlock: Unlock,
        kdf: KdfSettings,
        backup: &Path,
        backup_pass: Option<&SecretString>,
        ids: &[age::x25519::Identity],
    ) -> Result<(Self, RestoreReport)> {
        let paths = VaultPaths::new(dir);
        if !paths.passphrase_key().exists() {
            return Err(VaultError::NotFound(dir.to_owned()));
        }
        let mut lock = take_lock(&paths)?;
        let pending = swap::pending(&paths)?;
        let mut live = unlock_and_connect(&paths, &unlock, pending);
        if matches!(live, Err(VaultError::WalDamaged { .. })) {
            // the damaged log is set aside; the backup replaces what it held anyway
            live = unlock_and_connect(&paths, &unlock, pending);
        }
        let (key, live_store, unreadable) = match live {
            Ok((key, conn, _)) => {
                let store = Store::new(conn)?;
                settle(&paths, pending, &store)?;
                (key, Some(store), None)
            }
            Err(
                e @ (VaultError::DatabaseMissing(_)
                | VaultError::KeyMismatch { .. }
                | VaultError::Store(StoreError::Damaged(_))),
            ) => {
                if pending == swap::Pending::Uncommitted {
                    swap::roll_back(&paths)?;
                }
                let key = unwrap_in_force(&paths, &unlock)?;
                (key, None, Some(e.to_string()))
            }
            Err(e) => return Err(e),
        };
        record_pid(&mut lock);
        let passphrase = match unlock {
            Unlock::Passphrase(p) => Some(p),
            Unlock::Identities(_) => None,
        };
        let plain = open_backup(backup, backup_pass.or(passphrase.as_ref()), ids)?;
        let restored = Store::new(load_backup(backup, &plain)?)?;
        // Erasures made since the backup are applied in memory, before anything is written:
        // erased data never reaches the disk again.
        let (reapplied, recipients) = match &live_store {
            Some(live) => {
                let reapplied = restored.apply_ledger(&live.ledger()?)?;
                restored.set_recipient_rows(&live.recipient_rows()?)?;
                (reapplied, live.recipients()?)
            }
            None => {
                // Only the key files say who holds the key now.
                let rows: Vec<_> = restored
                    .recipient_rows()?
                    .into_iter()
                    .filter(|(name, ..)| paths.recipient_key(name).exists())
                    .collect();
                restored.set_recipient_rows(&rows)?;
                (0, restored.recipients()?)
            }
        };
        let kept: Vec<String> = recipients.into_iter().map(|(n, _)| n).collect();
        export_encrypted(restored.conn(), &paths.db_next(), &key)?;
        drop(restored);
        let store = commit_next(&paths, live_store.map(Store::into_conn), &key)?;
        let vault = Vault {
            paths,
            store,
            key,
            passphrase,
            kdf,
            actor: audit::current_actor(),
            _lock: lock,
        };
        let report = RestoreReport {
            reapplied,
            recipients: kept,
            unreadable,
        };
        vault.audit("restore", &report.audit_detail())?;
        Ok((vault, report))
    }
}

/// What a restore kept and did.
#[derive(Debug, Clone)]
pub struct RestoreReport {
    /// Erasures recorded since the backup, applied again.
    pub reapplied: usize,
    /// The recipients the restored vault lists: the live vault's, not the backup's.
    pub recipients: Vec<String>,
    /// Why the live vault file could not be read, when it could not.
    pub unreadable: Option<String>,
}

impl RestoreReport {
    fn audit_detail(&self) -> String {
        let mut d = format!(
            "vault contents replaced from a backup; {} later erasures re-applied; the vault's own key and recipients kept ({})",
            self.reapplied,
            if self.recipients.is_empty() {
                "none".to_owned()
            } else {
                self.recipients.join(", ")
            }
        );
        if self.unreadable.is_some() {
            d.push_str("; the live vault file could not be read, so no later erasures were known");
        }
        d
    }
}

/// The key in force, from the first key file that unwraps, without the database's word (the
/// database is what a restore replaces). Staged files go first: they exist only after a commit.
fn unwrap_in_force(paths: &VaultPaths, how: &Unlock) -> Result<DbKey> {
    let mut damaged = None;
    for file in key_files(paths, how, swap::pending(paths)?)? {
        match unwrap_file(&file, how) {
            Ok(k) => return Ok(k),
            Err(UnwrapError::NoMatch) => {}
            Err(UnwrapError::Damaged(detail)) => {
                damaged.get_or_insert(VaultError::KeyFileDamaged { file, detail });
            }
        }
    }
    Err(damaged.unwrap_or(match how {
        Unlock::Passphrase(_) => VaultError::WrongPassphrase,
        Unlock::Identities(_) => VaultError::NoMatchingIdentity,
    }))
}

/// Decrypts a backup file.
fn open_backup(
    backup: &Path,
    pass: Option<&SecretString>,
    ids: &[age::x25519::Identity],
) -> Result<Zeroizing<Vec<u8>>> {
    let bytes =
        fs::read(backup).map_err(io_err(format!("read the backup {}", backup.display())))?;
    match (keys::is_passphrase_file(&bytes), pass) {
        (Some(true), Some(p)) => keys::decrypt_with_passphrase(&bytes, p),
        (Some(true), None) => {
            return Err(VaultError::Refused(
                "this backup is encrypted to a passphrase: give it with --backup-passphrase-file"
                    .into(),
            ));
        }
        (Some(false), _) => keys::decrypt_with_identities(&bytes, ids),
        (None, _) => Err(UnwrapError::Damaged("not an age file".into())),
    }
    .map_err(|e| match e {
        UnwrapError::NoMatch => VaultError::Backup(format!(
            "the backup {} does not open with this passphrase or identity: it may have been made before a passphrase change; pass --backup-passphrase-file",
            backup.display()
        )),
        UnwrapError::Damaged(_) => VaultError::Backup(format!(
            "the backup {} is damaged or is not a fieldnotes backup (it is not a complete age-encrypted file); nothing was changed",
            backup.display()
        )),
    })
}

/// Loads a decrypted backup into memory and checks it is a sound fieldnotes database.
fn load_backup(backup: &Path, plain: &[u8]) -> Result<Connection> {
    let mut mem = Connection::open_in_memory().map_err(StoreError::from)?;
    mem.execute_batch("PRAGMA cipher_log_level = NONE;")
        .map_err(StoreError::from)?;
    let not_ours = |d: String| {
        VaultError::Backup(format!(
            "{} is not a fieldnotes backup ({d}); nothing was changed",
            backup.display()
        ))
    };
    mem.deserialize_read_exact("main", plain, plain.len(), false)
        .map_err(|e| not_ours(e.to_string()))?;
    let version = schema::version(&mem).map_err(|e| not_ours(e.to_string()))?;
    if version == 0 || version > schema::LATEST {
        return Err(not_ours(format!("schema version {version}")));
    }
    let check: String = mem
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| not_ours(e.to_string()))?;
    if check != "ok" {
        return Err(not_ours(check));
    }
    Ok(mem)
}

/// The commit of a replacement: the old connection (if any) is checkpointed and closed, its
/// log removed, the prepared database renamed into place (the commit point) and the folder
/// flushed; then the key files are finished and the new database opened under `key`.
fn commit_next(paths: &VaultPaths, old: Option<Connection>, key: &DbKey) -> Result<Store> {
    if let Some(conn) = old {
        close_checkpointed(conn)?;
    }
    for stale in ["-wal", "-shm"] {
        let p = wal::sibling(&paths.db(), stale);
        if p.exists() {
            fs::remove_file(&p).map_err(io_err("remove the old database's log"))?;
        }
    }
    fs::rename(paths.db_next(), paths.db()).map_err(io_err("put the new database in place"))?;
    files::sync_parent(&paths.db()).map_err(io_err("flush the vault folder"))?;
    let store = Store::new(open_connection(&paths.db(), key, false)?)?;
    let listed: Vec<String> = store.recipients()?.into_iter().map(|(n, _)| n).collect();
    swap::finish(paths, &listed)?;
    Ok(store)
}

fn check_recipient_name(name: &str) -> Result<String> {
    let n = name.trim();
    let ok = !n.is_empty()
        && n.len() <= 64
        && n != "passphrase"
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(n.to_owned())
    } else {
        Err(VaultError::Refused(format!(
            "'{}' cannot name a recipient: use letters, digits, - and _ (not 'passphrase')",
            crate::text::for_terminal(n, false)
        )))
    }
}

/// Checkpoints the whole log into the database file and closes the connection, so the file
/// alone holds every committed change.
fn close_checkpointed(conn: Connection) -> Result<()> {
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .map_err(StoreError::from)?;
    conn.close().map_err(|(_, e)| StoreError::from(e))?;
    Ok(())
}

/// Copies every table of `conn`'s main database into a new encrypted database at `dest`.
fn export_encrypted(conn: &Connection, dest: &Path, key: &DbKey) -> Result<()> {
    let _ = fs::remove_file(dest);
    files::create_private_file(dest).map_err(io_err("create the replacement database"))?;
    let version = schema::version(conn)?;
    let dest_str = dest.to_str().ok_or_else(|| {
        VaultError::Refused("the vault path is not valid UTF-8; move the vault".into())
    })?;
    conn.execute(
        "ATTACH DATABASE ?1 AS next KEY ?2",
        rusqlite::params![dest_str, &*key.sqlcipher_literal()],
    )
    .map_err(StoreError::from)?;
    let result = conn
        .execute_batch("SELECT sqlcipher_export('next');")
        .and_then(|_| conn.pragma_update(Some("next"), "user_version", version));
    let detach = conn.execute_batch("DETACH DATABASE next;");
    result.map_err(StoreError::from)?;
    detach.map_err(StoreError::from)?;
    Ok(())
}
