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
        "the key file {file} is damaged or was altered ({detail}); restore it from a backup of the vault folder"
    )]
    KeyFileDamaged {
        /// Which file.
        file: PathBuf,
        /// What age said.
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

fn read_file(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(io_err(format!("read {}", path.display())))
}

/// Finishes or discards a key rotation or restore that a crash interrupted. A replacement
/// database not yet renamed into place was never committed: discard it and its keys. Key
/// files still named `.next` without one belong to a committed rotation: put them in place.
fn recover_interrupted_swap(paths: &VaultPaths) -> Result<()> {
    let pending: Vec<PathBuf> = fs::read_dir(paths.keys())
        .map_err(io_err("read the keys folder"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "next"))
        .collect();
    if paths.db_next().exists() {
        fs::remove_file(paths.db_next()).map_err(io_err("remove an unfinished replacement"))?;
        for p in &pending {
            fs::remove_file(p).map_err(io_err("remove an unfinished key file"))?;
        }
    } else {
        for p in &pending {
            fs::rename(p, p.with_extension("")).map_err(io_err("finish a key rotation"))?;
        }
    }
    Ok(())
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
        recover_interrupted_swap(&paths)?;
        let (key, passphrase) = match unlock {
            Unlock::Passphrase(p) => (unwrap_with_passphrase(&paths, &p)?, Some(p)),
            Unlock::Identities(ids) => (unwrap_with_identities(&paths, &ids)?, None),
        };
        record_pid(&mut lock);
        let conn = open_connection(&paths.db(), &key, false)?;
        let store = Store::new(conn)?;
        let vault = Self {
            paths,
            store,
            key,
            passphrase,
            kdf,
            actor: audit::current_actor(),
            _lock: lock,
        };
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

    /// Wraps the key to an X25519 recipient (a team member or an offline recovery key).
    pub fn add_recipient(&self, name: &str, public_key: &str) -> Result<()> {
        let name = check_recipient_name(name)?;
        let recipient: age::x25519::Recipient = public_key.trim().parse().map_err(|e| {
            VaultError::Refused(format!(
                "'{}' is not an age public key ({e}); it starts with age1…",
                crate::text::for_terminal(public_key.trim(), false)
            ))
        })?;
        if self.paths.recipient_key(&name).exists() {
            return Err(VaultError::Refused(format!(
                "a recipient named '{name}' already exists: remove it first or pick another name"
            )));
        }
        let wrapped = keys::encrypt_to_recipients(self.key.expose(), &[recipient])
            .map_err(io_err("encrypt the vault key"))?;
        self.store.recipient_insert(&name, public_key.trim())?;
        files::write_private_atomic(&self.paths.recipient_key(&name), &wrapped)
            .map_err(io_err("write the recipient's key file"))?;
        self.audit("recipient add", &format!("recipient {name}"))
    }

    /// Removes a recipient and rotates the database key, so the removed key (and any copy of
    /// the old key file) can no longer open the vault. Needs the passphrase in hand.
    pub fn remove_recipient(self, name: &str) -> Result<Self> {
        let name = check_recipient_name(name)?;
        if !self.store.recipients()?.iter().any(|(n, _)| *n == name) {
            return Err(VaultError::Refused(format!(
                "there is no recipient named '{name}': see `fieldnotes recipient list`"
            )));
        }
        if self.passphrase.is_none() {
            return Err(VaultError::Refused(
                "removing a recipient re-wraps the key to the passphrase: unlock with the passphrase, not an identity"
                    .into(),
            ));
        }
        let file = self.paths.recipient_key(&name);
        if file.exists() {
            fs::remove_file(&file).map_err(io_err("remove the recipient's key file"))?;
        }
        self.store.recipient_delete(&name)?;
        self.audit(
            "recipient remove",
            &format!("recipient {name}; database key rotated"),
        )?;
        self.rotate_key()
    }

    /// Moves every page to a fresh key: exports to a new file under the new key, then swaps
    /// it in by rename (the commit point), then renames the new key files into place.
    fn rotate_key(self) -> Result<Self> {
        let new_key = DbKey::generate()
            .map_err(|e| VaultError::Refused(format!("the random number source failed ({e})")))?;
        let pass = self.passphrase.clone().ok_or_else(|| {
            VaultError::Refused("unlock with the passphrase to rotate the key".into())
        })?;
        let wrapped = keys::encrypt_to_passphrase(new_key.expose(), &pass, self.kdf.work_factor)
            .map_err(io_err("encrypt the vault key"))?;
        let next = |p: PathBuf| p.with_extension("age.next");
        files::write_private_atomic(&next(self.paths.passphrase_key()), &wrapped)
            .map_err(io_err("write the new key file"))?;
        for (name, public) in self.store.recipients()? {
            let r: age::x25519::Recipient = public.parse().map_err(|e| {
                VaultError::Refused(format!("stored key of recipient {name} is invalid: {e}"))
            })?;
            let wrapped = keys::encrypt_to_recipients(new_key.expose(), &[r])
                .map_err(io_err("encrypt the vault key"))?;
            files::write_private_atomic(&next(self.paths.recipient_key(&name)), &wrapped)
                .map_err(io_err("write a new key file"))?;
        }
        export_encrypted(self.store.conn(), &self.paths.db_next(), &new_key)?;
        self.swap_in_next(new_key)
    }

    /// Renames the prepared replacement database into place, finishes key renames, reopens.
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
        let conn = store.into_conn();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(StoreError::from)?;
        conn.close().map_err(|(_, e)| StoreError::from(e))?;
        File::open(paths.db_next())
            .and_then(|f| f.sync_all())
            .map_err(io_err("flush the new database"))?;
        for stale in ["fieldnotes.db-wal", "fieldnotes.db-shm"] {
            let _ = fs::remove_file(paths.dir.join(stale));
        }
        fs::rename(paths.db_next(), paths.db()).map_err(io_err("put the new database in place"))?;
        files::sync_parent(&paths.db()).map_err(io_err("flush the vault folder"))?;
        recover_interrupted_swap(&paths)?;
        let conn = open_connection(&paths.db(), &key, false)?;
        let store = Store::new(conn)?;
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
    /// replaced; the swap is a rename, so a crash leaves either the old or the restored data.
    pub fn restore(
        self,
        backup: &Path,
        pass: Option<&SecretString>,
        ids: &[age::x25519::Identity],
    ) -> Result<Self> {
        let bytes =
            fs::read(backup).map_err(io_err(format!("read the backup {}", backup.display())))?;
        let pass = pass.or(self.passphrase.as_ref());
        let plain = match (keys::is_passphrase_file(&bytes), pass) {
            (Some(true), Some(p)) => keys::decrypt_with_passphrase(&bytes, p),
            (Some(true), None) => {
                return Err(VaultError::Refused(
                    "this backup is encrypted to a passphrase: give it with --passphrase-file".into(),
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
            UnwrapError::Damaged(d) => VaultError::Backup(format!(
                "the backup {} is damaged or is not a fieldnotes backup ({d})",
                backup.display()
            )),
        })?;
        let mut mem = Connection::open_in_memory().map_err(StoreError::from)?;
        mem.execute_batch("PRAGMA cipher_log_level = NONE;")
            .map_err(StoreError::from)?;
        let not_ours = |d: String| {
            VaultError::Backup(format!(
                "{} is not a fieldnotes backup ({d})",
                backup.display()
            ))
        };
        mem.deserialize_read_exact("main", &plain[..], plain.len(), false)
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
        // Erasures made since the backup are applied in memory, before anything is written:
        // erased data never reaches the disk again.
        let ledger = self.store.ledger()?;
        let restored = Store::new(mem)?;
        let reapplied = restored.apply_ledger(&ledger)?;
        export_encrypted(restored.conn(), &self.paths.db_next(), &self.key)?;
        drop(restored);
        let key = self.key.clone();
        let vault = self.swap_in_next(key)?;
        vault.audit(
            "restore",
            &format!(
                "vault contents replaced from a backup; {reapplied} later erasures re-applied"
            ),
        )?;
        Ok(vault)
    }
}

fn unwrap_with_passphrase(paths: &VaultPaths, pass: &SecretString) -> Result<DbKey> {
    let file = paths.passphrase_key();
    let bytes = read_file(&file)?;
    let plain = keys::decrypt_with_passphrase(&bytes, pass).map_err(|e| match e {
        UnwrapError::NoMatch => VaultError::WrongPassphrase,
        UnwrapError::Damaged(detail) => VaultError::KeyFileDamaged {
            file: file.clone(),
            detail,
        },
    })?;
    keys::key_from_plaintext(&plain).map_err(|_| VaultError::KeyFileDamaged {
        file,
        detail: "wrong key length".into(),
    })
}

fn unwrap_with_identities(paths: &VaultPaths, ids: &[age::x25519::Identity]) -> Result<DbKey> {
    let entries = fs::read_dir(paths.keys()).map_err(io_err("read the keys folder"))?;
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "age") || path == paths.passphrase_key() {
            continue;
        }
        let bytes = read_file(&path)?;
        if let Ok(plain) = keys::decrypt_with_identities(&bytes, ids) {
            return keys::key_from_plaintext(&plain).map_err(|_| VaultError::KeyFileDamaged {
                file: path,
                detail: "wrong key length".into(),
            });
        }
    }
    Err(VaultError::NoMatchingIdentity)
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
