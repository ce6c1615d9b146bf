//! The secured folder: where the vault lives, the single-writer lock, the wrapped database
//! key, and the keyed SQLCipher connection.
//!
//! ```text
//! vault/                 0700
//!   fieldnotes.db        SQLCipher database (WAL); every page, WAL frame and index encrypted
//!   keys/passphrase.age  the 32-byte database key, age-encrypted to the passphrase (scrypt)
//!   keys/<name>.age      the same key, age-encrypted to an X25519 recipient
//!   lock                 held (flock) while a fieldnotes has the vault open; pid inside
//!   lock.readers         shared by commands that only read while another has it open;
//!                        held alone while files are swapped (unlock-time recovery, key
//!                        rotation, restore, passphrase change)
//! ```
//! Only this module opens database connections.

mod backup;
mod files;
pub mod keys;
mod swap;
mod unlock;
pub mod wal;

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use rusqlite::{Connection, OpenFlags};

use crate::audit::{self, Action};
use crate::passphrase;
use crate::secret::DbKey;
use crate::store::{Store, StoreError, schema};

pub use backup::RestoreReport;
pub use error::VaultError;
use error::io_err;

type Result<T> = std::result::Result<T, VaultError>;
pub use files::{create_private_dir, write_private_atomic};

mod error;

/// The platform's default vault folder, e.g. `~/.local/share/fieldnotes/vault` on Linux.
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "fieldnotes").map(|d| d.data_dir().join("vault"))
}

/// How to unlock a vault.
pub enum Unlock {
    /// With the passphrase.
    Passphrase(SecretString),
    /// With identities (a team member's age or SSH key, or the offline recovery key).
    Identities(Vec<keys::Identity>),
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
    /// The readers' lock: see [`Structure`].
    pub fn readers_lock(&self) -> PathBuf {
        self.dir.join("lock.readers")
    }
}

/// An open, unlocked vault. Holds the single-writer lock until dropped (or, opened with
/// [`Vault::open_read_only`], the readers' lock shared).
pub struct Vault {
    paths: VaultPaths,
    store: Store,
    key: DbKey,
    passphrase: Option<SecretString>,
    kdf: KdfSettings,
    actor: String,
    /// The writer holding the vault, when this one only reads (its pid, if known).
    reading_beside: Option<Option<u32>>,
    _lock: File,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("dir", &self.paths.dir)
            .finish_non_exhaustive()
    }
}

/// How a vault connection may use the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Create the database file (only `init`).
    Create,
    /// Read and write an existing database.
    Write,
    /// Read only, beside a writer in another process (WAL lets readers and one writer share
    /// the database): no journal mode, no migration, nothing that writes.
    Read,
}

/// Opens a keyed SQLCipher connection and sets the pragmas every vault connection needs.
#[allow(clippy::disallowed_methods)]
fn open_connection(path: &Path, key: &DbKey, access: Access) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_NO_MUTEX
        | match access {
            Access::Create => OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
            Access::Write => OpenFlags::SQLITE_OPEN_READ_WRITE,
            Access::Read => OpenFlags::SQLITE_OPEN_READ_ONLY,
        };
    let conn = Connection::open_with_flags(path, flags).map_err(StoreError::from)?;
    // SQLCipher logs to stderr by default: that would garble the TUI and leak internals.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")
        .map_err(StoreError::from)?;
    conn.pragma_update(None, "key", &*key.sqlcipher_literal())
        .map_err(StoreError::from)?;
    let by_access = match access {
        Access::Read => "PRAGMA query_only = ON;",
        Access::Create | Access::Write => {
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA secure_delete = ON;"
        }
    };
    conn.execute_batch(&format!(
        "PRAGMA cipher_memory_security = ON;
         SELECT count(*) FROM sqlite_master;
         {by_access}
         PRAGMA temp_store = MEMORY;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;"
    ))
    .map_err(|e| match StoreError::from(e) {
        StoreError::Damaged(d) => StoreError::Damaged(format!("{}: {d}", path.display())),
        other => other,
    })?;
    Ok(conn)
}

/// Held while commands that only read are kept out (see [`Vault::keep_readers_out`]).
#[derive(Debug)]
pub struct ReadersOut(#[allow(dead_code)] File);

/// Opens one of the vault's lock files, creating it.
///
/// A lock file is opened with O_NOFOLLOW: a symbolic link planted in its place must not
/// make fieldnotes create, lock or write its pid into a file elsewhere.
fn open_lock_file(path: &Path) -> Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) {
                VaultError::Refused(format!(
                    "the vault's lock file {} is a symbolic link, which fieldnotes does not follow: remove it (it holds nothing) and try again",
                    path.display()
                ))
            } else {
                io_err(format!("open the lock file {}", path.display()))(e)
            }
        })
}

/// Takes the single-writer lock, or says who holds it.
fn take_lock(paths: &VaultPaths) -> Result<File> {
    let mut f = open_lock_file(&paths.lock())?;
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

/// How the vault's files may change under a process. Commands that only read while another
/// fieldnotes holds the vault share the readers' lock for as long as they are open; whatever
/// renames, removes or replaces the database, its log or the key files (recovery at unlock,
/// key rotation, restore, a passphrase change) holds it alone, so a reader never opens a
/// half-swapped vault and never has its files swapped under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Structure {
    /// Reading: any number at once.
    Shared,
    /// Swapping files: no reader at the same time.
    Exclusive,
}

/// How long to wait for the readers' lock before saying who is in the way. A reader holds
/// it for one command (a listing piped into a pager holds it until the pager quits).
const STRUCTURE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Takes the readers' lock, waiting a little for whoever holds it the other way.
fn hold_structure(paths: &VaultPaths, how: Structure) -> Result<File> {
    let f = open_lock_file(&paths.readers_lock())?;
    let deadline = std::time::Instant::now() + STRUCTURE_WAIT;
    loop {
        let tried = match how {
            Structure::Shared => f.try_lock_shared(),
            Structure::Exclusive => f.try_lock(),
        };
        match tried {
            Ok(()) => return Ok(f),
            Err(fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(VaultError::Refused(match how {
                    Structure::Shared => "the vault is being recovered, re-keyed or restored by another fieldnotes: wait for it to finish and run this again".to_owned(),
                    Structure::Exclusive => "a fieldnotes command that only reads (a listing, a search) is still reading this vault, perhaps into a pager: let it finish or quit it, then try again; nothing was changed".to_owned(),
                }));
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(io_err("lock the vault for reading")(e));
            }
        }
    }
}

fn record_pid(lock: &mut File) {
    // Best effort: the pid is only shown to a second opener.
    let _ = lock.set_len(0);
    let _ = lock.rewind();
    let _ = writeln!(lock, "{}", std::process::id());
}

pub use unlock::damaged_logs;
use unlock::{settle, unlock_and_connect};

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
        let conn = open_connection(&paths.db(), &key, Access::Create)?;
        let store = Store::new(conn)?;
        store.audit(
            &audit::current_actor(),
            Action::Init.as_str(),
            "vault created",
        )?;
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
        let lock = take_lock(&paths)?;
        Self::open_locked(paths, lock, unlock, kdf)
    }

    /// Opens the vault to change it when no other fieldnotes holds it, as [`Vault::open`];
    /// when one does, opens it to read only beside it ([`Vault::open_read_only`]).
    pub fn open_or_read(dir: &Path, unlock: Unlock, kdf: KdfSettings) -> Result<Self> {
        let paths = VaultPaths::new(dir);
        if !paths.passphrase_key().exists() {
            return Err(VaultError::NotFound(dir.to_owned()));
        }
        match take_lock(&paths) {
            Ok(lock) => Self::open_locked(paths, lock, unlock, kdf),
            Err(VaultError::Locked(holder)) => Self::open_read_only(dir, unlock, holder),
            Err(e) => Err(e),
        }
    }

    fn open_locked(
        paths: VaultPaths,
        mut lock: File,
        unlock: Unlock,
        kdf: KdfSettings,
    ) -> Result<Self> {
        let structure = hold_structure(&paths, Structure::Exclusive)?;
        let pending = swap::pending(&paths)?;
        let (key, conn, _) = unlock_and_connect(&paths, &unlock, pending)?;
        let store = Store::new(conn)?;
        let settled = settle(&paths, pending, &store)?;
        drop(structure);
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
            reading_beside: None,
            _lock: lock,
        };
        if let Some(what) = settled {
            vault.audit(Action::Recovery, &what)?;
        }
        Ok(vault)
    }

    /// Opens the vault to read only, beside the fieldnotes that holds it (`holder`, its pid
    /// if known, from the [`VaultError::Locked`] that [`Vault::open`] returned). Nothing on
    /// disk is written: the database is opened read-only, nothing is recovered or cleaned up
    /// (the holder did that when it unlocked), and no audit event can be recorded, so the
    /// commands that record what they read (analysis, export, check, the audit listing) are
    /// refused with what to do instead.
    pub fn open_read_only(dir: &Path, unlock: Unlock, holder: Option<u32>) -> Result<Self> {
        let paths = VaultPaths::new(dir);
        if !paths.passphrase_key().exists() {
            return Err(VaultError::NotFound(dir.to_owned()));
        }
        let structure = hold_structure(&paths, Structure::Shared)?;
        if swap::pending(&paths)? != swap::Pending::None {
            return Err(VaultError::NeedsRecovery(holder));
        }
        let (key, conn) = unlock::unlock_read_only(&paths, &unlock)?;
        let version = schema::version(&conn)?;
        if version != schema::LATEST {
            return Err(VaultError::NeedsRecovery(holder));
        }
        Ok(Self {
            paths,
            store: Store::wrap(conn),
            key,
            passphrase: None,
            kdf: KdfSettings::default(),
            actor: audit::current_actor(),
            reading_beside: Some(holder),
            _lock: structure,
        })
    }

    /// Keeps commands that only read out of the vault until the guard is dropped: an
    /// erasure cleans the log of recent changes, which SQLite cannot cut short while a
    /// reader beside this process still reads from it.
    pub fn keep_readers_out(&self) -> Result<ReadersOut> {
        self.writable()?;
        Ok(ReadersOut(hold_structure(
            &self.paths,
            Structure::Exclusive,
        )?))
    }

    /// The pid of the fieldnotes that holds the vault, when this one only reads beside it.
    pub fn reading_beside(&self) -> Option<Option<u32>> {
        self.reading_beside
    }

    fn writable(&self) -> Result<()> {
        match self.reading_beside {
            Some(pid) => Err(VaultError::ReadingBeside(pid)),
            None => Ok(()),
        }
    }

    /// The data. Only the use cases (`app`) reach it: the shells and the tests go through
    /// them, so validation, audit and dates cannot be bypassed.
    pub(crate) fn store(&self) -> &Store {
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
    pub fn audit(&self, action: Action, detail: &str) -> Result<()> {
        self.writable()?;
        Ok(self.store.audit(&self.actor, action.as_str(), detail)?)
    }

    /// The next audit event as the current user, fixed but not yet written: an output can
    /// carry its anchor, and the event is written once the output is.
    pub fn audit_pending(
        &self,
        action: Action,
        detail: &str,
    ) -> Result<crate::audit::PendingEvent> {
        self.writable()?;
        Ok(self
            .store
            .audit_pending(&self.actor, action.as_str(), detail)?)
    }

    /// Writes an event fixed by [`Vault::audit_pending`].
    pub fn audit_commit(&self, event: &crate::audit::PendingEvent) -> Result<()> {
        Ok(self.store.audit_commit(event)?)
    }

    /// Changes the passphrase: re-wraps the same key; the data is not re-encrypted.
    pub fn change_passphrase(&mut self, new: SecretString) -> Result<()> {
        passphrase::check_strength(&new, &["fieldnotes", "vault"])?;
        let wrapped = keys::encrypt_to_passphrase(self.key.expose(), &new, self.kdf.work_factor)
            .map_err(io_err("encrypt the vault key"))?;
        let _structure = hold_structure(&self.paths, Structure::Exclusive)?;
        files::write_private_atomic(&self.paths.passphrase_key(), &wrapped)
            .map_err(io_err("write the key file"))?;
        self.passphrase = Some(new);
        self.audit(
            Action::PassphraseChange,
            "vault key re-wrapped to a new passphrase",
        )
    }

    /// Wraps the key to a recipient (a team member's age or SSH public key, or an offline
    /// recovery key). The key file is written first and the recipient listed after it, so an
    /// interrupted add leaves at most an unlisted key file, which the next open removes and a
    /// retry replaces. The public key is listed in its canonical form (an SSH key without its
    /// comment).
    pub fn add_recipient(&self, name: &str, recipient: &keys::Recipient) -> Result<()> {
        let name = check_recipient_name(name)?;
        if self.is_listed(&name)? {
            return Err(VaultError::Refused(format!(
                "a recipient named '{name}' already exists: remove it first or pick another name"
            )));
        }
        let wrapped =
            keys::encrypt_to_recipients(self.key.expose(), std::slice::from_ref(recipient))
                .map_err(io_err("encrypt the vault key"))?;
        files::write_private_atomic(&self.paths.recipient_key(&name), &wrapped)
            .map_err(io_err("write the recipient's key file"))?;
        let listed = self
            .store
            .recipient_insert(&name, &recipient.to_string(), &self.actor);
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
        let _structure = hold_structure(&self.paths, Structure::Exclusive)?;
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
        let staged = Store::new(open_connection(&next, new_key, Access::Write)?)?;
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
            let r: keys::Recipient = public.parse().map_err(|e| {
                VaultError::Refused(format!(
                    "the stored key of recipient {name} cannot be read ({e}): remove that recipient from a copy made before the damage, or restore a backup"
                ))
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
            reading_beside,
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
            reading_beside,
            _lock,
        })
    }
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
    let store = Store::new(open_connection(&paths.db(), key, Access::Write)?)?;
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
