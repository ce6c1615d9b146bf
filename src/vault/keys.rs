//! Wrapping the database key with age: to the passphrase (scrypt) and to X25519 recipients.

use std::io::{Read, Write};
use std::iter;

use age::secrecy::SecretString;
use zeroize::Zeroizing;

use crate::secret::DbKey;

/// Why a wrapped key could not be unwrapped.
#[derive(Debug)]
pub enum UnwrapError {
    /// The passphrase or identity does not match.
    NoMatch,
    /// The file is not a well-formed age file of ours.
    Damaged(String),
}

/// Encrypts `plaintext` with age to a passphrase. `work_factor` overrides age's calibration
/// (log2 of scrypt's N); the factor is stored in the file, so unwrapping follows it.
pub fn encrypt_to_passphrase(
    plaintext: &[u8],
    pass: &SecretString,
    work_factor: Option<u8>,
) -> std::io::Result<Vec<u8>> {
    let mut r = age::scrypt::Recipient::new(pass.clone());
    if let Some(n) = work_factor {
        r.set_work_factor(n);
    }
    encrypt(plaintext, iter::once(&r as &dyn age::Recipient))
}

/// Encrypts `plaintext` with age to X25519 recipients.
pub fn encrypt_to_recipients(
    plaintext: &[u8],
    recipients: &[age::x25519::Recipient],
) -> std::io::Result<Vec<u8>> {
    encrypt(
        plaintext,
        recipients.iter().map(|r| r as &dyn age::Recipient),
    )
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

/// Decrypts an age file with the passphrase.
pub fn decrypt_with_passphrase(
    file: &[u8],
    pass: &SecretString,
) -> Result<Zeroizing<Vec<u8>>, UnwrapError> {
    let identity = age::scrypt::Identity::new(pass.clone());
    decrypt(file, iter::once(&identity as &dyn age::Identity))
}

/// Decrypts an age file with any of the X25519 identities.
pub fn decrypt_with_identities(
    file: &[u8],
    identities: &[age::x25519::Identity],
) -> Result<Zeroizing<Vec<u8>>, UnwrapError> {
    decrypt(file, identities.iter().map(|i| i as &dyn age::Identity))
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

/// Reads X25519 identities (`AGE-SECRET-KEY-1…` lines) from an identity file's text.
pub fn parse_identities(text: &str) -> Result<Vec<age::x25519::Identity>, String> {
    let ids: Vec<age::x25519::Identity> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            l.parse::<age::x25519::Identity>()
                .map_err(|e| e.to_string())
        })
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Err("it holds no AGE-SECRET-KEY line".into());
    }
    Ok(ids)
}
