//! Wrapping the database key with age: to the passphrase (scrypt) and to recipients (age
//! and SSH public keys); the identities and identity files that unwrap it.

use std::io::{Read, Write};
use std::iter;

use age::secrecy::SecretString;
use zeroize::Zeroizing;

use crate::secret::DbKey;

mod identity;
mod recipient;

pub use identity::{
    Identity, IdentityError, Protected, ReadError, parse_identities, read_identity_file,
};
pub use recipient::{NotARecipient, Recipient};

/// Why a wrapped key could not be unwrapped.
#[derive(Debug)]
pub enum UnwrapError {
    /// The passphrase or identity does not match.
    NoMatch,
    /// The file is not a well-formed age file of ours.
    Damaged(String),
    /// The passphrase's key derivation needs more memory than this process may use.
    NoMemory {
        /// MiB the derivation needs.
        need_mib: u64,
        /// MiB the process may map (its address-space limit).
        limit_mib: u64,
    },
}

impl std::fmt::Display for UnwrapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UnwrapError::NoMatch => f.write_str("the passphrase or identity does not match"),
            UnwrapError::Damaged(_) => f.write_str("it is not a complete age-encrypted file"),
            UnwrapError::NoMemory {
                need_mib,
                limit_mib,
            } => write!(
                f,
                "unlocking needs about {need_mib} MiB of memory for the passphrase's protection, but this process is limited to {limit_mib} MiB (ulimit -v): raise the limit and try again"
            ),
        }
    }
}

/// scrypt work factor (log2 N) for new passphrase wraps: N = 2^19 with r = 8 takes 512 MiB
/// and about a second on a laptop. Fixed rather than calibrated, so a wrap made on a busy
/// machine is not weaker, and unlocking fits in the memory a locked-down session allows.
pub const DEFAULT_WORK_FACTOR: u8 = 19;

/// Encrypts `plaintext` with age to a passphrase. `work_factor` overrides
/// [`DEFAULT_WORK_FACTOR`] (log2 of scrypt's N); the factor is stored in the file, so
/// unwrapping follows it.
pub fn encrypt_to_passphrase(
    plaintext: &[u8],
    pass: &SecretString,
    work_factor: Option<u8>,
) -> std::io::Result<Vec<u8>> {
    let mut r = age::scrypt::Recipient::new(pass.clone());
    r.set_work_factor(work_factor.unwrap_or(DEFAULT_WORK_FACTOR));
    encrypt(plaintext, iter::once(&r as &dyn age::Recipient))
}

/// Encrypts `plaintext` with age to recipients (age or SSH public keys).
pub fn encrypt_to_recipients(
    plaintext: &[u8],
    recipients: &[Recipient],
) -> std::io::Result<Vec<u8>> {
    encrypt(plaintext, recipients.iter().map(Recipient::as_age))
}

fn encrypt<'a>(
    plaintext: &[u8],
    recipients: impl Iterator<Item = &'a dyn age::Recipient>,
) -> std::io::Result<Vec<u8>> {
    let enc = age::Encryptor::with_recipients(recipients).map_err(std::io::Error::other)?;
    let mut out = Vec::with_capacity(plaintext.len() + 256);
    let mut w = enc.wrap_output(&mut out)?;
    w.write_all(plaintext)?;
    w.finish()?;
    Ok(out)
}

/// The largest scrypt work factor (log2 N) accepted when unwrapping.
pub const MAX_WORK_FACTOR: u8 = 22;

/// Decrypts an age file with the passphrase.
pub fn decrypt_with_passphrase(
    file: &[u8],
    pass: &SecretString,
) -> Result<Zeroizing<Vec<u8>>, UnwrapError> {
    check_memory_for(file)?;
    let mut identity = age::scrypt::Identity::new(pass.clone());
    // age bounds the work it accepts by timing this machine now; on a busy machine that bound
    // falls below the vault's own work factor and a sound key file would be refused. A fixed
    // bound (4 GiB and some seconds at most) keeps the protection against hostile files
    // without depending on the load.
    identity.set_max_work_factor(MAX_WORK_FACTOR);
    decrypt(file, iter::once(&identity as &dyn age::Identity))
}

/// The scrypt work factor an age file's header asks for (`-> scrypt SALT N`).
fn scrypt_work_factor(file: &[u8]) -> Option<u8> {
    let head = &file[..file.len().min(1024)];
    String::from_utf8_lossy(head)
        .lines()
        .find_map(|l| l.strip_prefix("-> scrypt "))
        .and_then(|args| args.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
}

/// Refuses, with the numbers, a derivation that could not get its memory: the allocator
/// would otherwise abort the process.
fn check_memory_for(file: &[u8]) -> Result<(), UnwrapError> {
    let Some(log_n) = scrypt_work_factor(file).filter(|n| *n <= MAX_WORK_FACTOR) else {
        return Ok(());
    };
    // scrypt with r = 8 takes 128 · r · N bytes, plus room for the program itself
    let need = (1024u64 << log_n) + (96 << 20);
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct we own.
    if unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut lim) } != 0
        || lim.rlim_cur == libc::RLIM_INFINITY
        || lim.rlim_cur >= need
    {
        return Ok(());
    }
    Err(UnwrapError::NoMemory {
        need_mib: need >> 20,
        limit_mib: lim.rlim_cur >> 20,
    })
}

/// Decrypts an age file with any of the identities.
pub fn decrypt_with_identities(
    file: &[u8],
    identities: &[Identity],
) -> Result<Zeroizing<Vec<u8>>, UnwrapError> {
    decrypt(file, identities.iter().map(Identity::as_age))
}

fn decrypt<'a>(
    file: &[u8],
    identities: impl Iterator<Item = &'a dyn age::Identity>,
) -> Result<Zeroizing<Vec<u8>>, UnwrapError> {
    use age::DecryptError as E;
    let dec = age::Decryptor::new(file).map_err(|e| UnwrapError::Damaged(e.to_string()))?;
    let mut reader = dec.decrypt(identities).map_err(|e| match e {
        E::DecryptionFailed | E::NoMatchingKeys | E::KeyDecryptionFailed => UnwrapError::NoMatch,
        other => UnwrapError::Damaged(other.to_string()),
    })?;
    let mut out = Zeroizing::new(Vec::new());
    reader
        .read_to_end(&mut out)
        .map_err(|e| UnwrapError::Damaged(e.to_string()))?;
    Ok(out)
}

/// `Some(true)` for an age file encrypted to a passphrase, `Some(false)` for one encrypted to
/// recipients, `None` for something that is not an age file.
pub fn is_passphrase_file(file: &[u8]) -> Option<bool> {
    age::Decryptor::new(file).ok().map(|d| d.is_scrypt())
}

/// Unwraps a database key from its age file.
pub fn key_from_plaintext(plain: &[u8]) -> Result<DbKey, UnwrapError> {
    DbKey::from_slice(plain)
        .ok_or_else(|| UnwrapError::Damaged("the wrapped key has the wrong length".into()))
}
