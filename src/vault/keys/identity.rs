//! Secret keys that open age files, and the identity files they come in: a native age
//! identity file (`AGE-SECRET-KEY-1…` lines), the same protected with a passphrase
//! (`age -p -o key.age key.txt`, binary or `-a` armoured), or an SSH private key
//! (`~/.ssh/id_ed25519`, `~/.ssh/id_rsa`; one protected with a passphrase too).
//!
//! A protected file is decrypted in memory only, into buffers wiped when dropped.

use std::io::Read;

use age::secrecy::SecretString;
use zeroize::Zeroizing;

use super::UnwrapError;

/// A secret key that can open age files.
#[derive(Clone)]
pub enum Identity {
    /// A native age identity, `AGE-SECRET-KEY-1…`.
    X25519(age::x25519::Identity),
    /// An SSH private key, already decrypted.
    Ssh(age::ssh::Identity),
}

impl Identity {
    /// The key as age's decryptor takes it.
    pub fn as_age(&self) -> &dyn age::Identity {
        match self {
            Identity::X25519(i) => i,
            Identity::Ssh(i) => i,
        }
    }
}

impl From<age::x25519::Identity> for Identity {
    fn from(i: age::x25519::Identity) -> Self {
        Identity::X25519(i)
    }
}

/// Never shows the key.
impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Identity::X25519(_) => "Identity::X25519(…)",
            Identity::Ssh(_) => "Identity::Ssh(…)",
        })
    }
}

/// What an identity file needs a passphrase for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protected {
    /// The whole file is age-encrypted to a passphrase (`age -p`).
    AgeFile,
    /// It is an SSH private key protected with a passphrase.
    SshKey,
}

/// Why an identity file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    /// A line that is not an `AGE-SECRET-KEY-1…` identity (age's reason; it never repeats
    /// the line).
    #[error("{0}")]
    Malformed(String),
    /// Only blank lines and comments.
    #[error("it holds no AGE-SECRET-KEY line and no SSH private key")]
    Empty,
    /// The passphrase given for the file (or the SSH key in it) does not open it.
    #[error("the passphrase does not open it")]
    WrongPassphrase(Protected),
    /// An age-encrypted file that is encrypted to a key rather than a passphrase.
    #[error(
        "it is age-encrypted to a key, not to a passphrase: decrypt it first with that key (age -d), or give the identity file itself"
    )]
    NotForPassphrase,
    /// A passphrase-protected file that is cut short or altered.
    #[error("it is passphrase-protected but damaged ({0}): use another copy")]
    Damaged(String),
    /// An SSH key this program cannot use.
    #[error("{0}")]
    SshUnsupported(String),
    /// The passphrase's key derivation needs more memory than this process may use.
    #[error("{0}")]
    NoMemory(String),
}

/// Reads identities from an identity file's bytes. When the file (or the SSH key in it) is
/// protected with a passphrase, `ask` is called for it; its error is passed on as
/// [`ReadError::Ask`].
pub fn read_identity_file<E>(
    bytes: &[u8],
    mut ask: impl FnMut(Protected) -> Result<SecretString, E>,
) -> Result<Vec<Identity>, ReadError<E>> {
    if is_age_file(bytes) {
        let plain = open_protected(bytes, &mut ask)?;
        return parse(&plain, &mut ask);
    }
    parse(bytes, &mut ask)
}

/// An identity file that could not be read: the passphrase could not be had, or the file
/// itself is the trouble.
#[derive(Debug)]
pub enum ReadError<E> {
    /// Asking for the passphrase failed.
    Ask(E),
    /// The file holds no usable identity, or its passphrase is wrong.
    Identity(IdentityError),
}

impl<E> From<IdentityError> for ReadError<E> {
    fn from(e: IdentityError) -> Self {
        ReadError::Identity(e)
    }
}

/// True for an age file, binary or armoured.
fn is_age_file(bytes: &[u8]) -> bool {
    bytes.starts_with(b"age-encryption.org/")
        || bytes
            .trim_ascii_start()
            .starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----")
}

/// Decrypts a passphrase-protected identity file into a buffer wiped when dropped.
fn open_protected<E>(
    bytes: &[u8],
    ask: &mut impl FnMut(Protected) -> Result<SecretString, E>,
) -> Result<Zeroizing<Vec<u8>>, ReadError<E>> {
    let mut armoured = age::armor::ArmoredReader::new(bytes);
    let mut binary = Zeroizing::new(Vec::new());
    armoured
        .read_to_end(&mut binary)
        .map_err(|e| IdentityError::Damaged(e.to_string()))?;
    match super::is_passphrase_file(&binary) {
        Some(true) => {}
        Some(false) => return Err(IdentityError::NotForPassphrase.into()),
        None => return Err(IdentityError::Damaged("not a complete age file".into()).into()),
    }
    let pass = ask(Protected::AgeFile).map_err(ReadError::Ask)?;
    super::decrypt_with_passphrase(&binary, &pass).map_err(|e| {
        ReadError::Identity(match e {
            UnwrapError::NoMatch => IdentityError::WrongPassphrase(Protected::AgeFile),
            UnwrapError::Damaged(d) => IdentityError::Damaged(d),
            e @ UnwrapError::NoMemory { .. } => IdentityError::NoMemory(e.to_string()),
        })
    })
}

/// Reads the identities of an unprotected identity file (or of one just decrypted).
fn parse<E>(
    bytes: &[u8],
    ask: &mut impl FnMut(Protected) -> Result<SecretString, E>,
) -> Result<Vec<Identity>, ReadError<E>> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        IdentityError::Malformed(
            "it is neither text (AGE-SECRET-KEY lines, an SSH private key) nor a passphrase-protected age file".into(),
        )
    })?;
    if text.trim_start().starts_with("-----BEGIN") {
        return Ok(vec![ssh_identity(text, ask)?]);
    }
    Ok(parse_identities(text)?
        .into_iter()
        .map(Identity::X25519)
        .collect())
}

/// Reads an SSH private key, asking for its passphrase when it has one.
fn ssh_identity<E>(
    text: &str,
    ask: &mut impl FnMut(Protected) -> Result<SecretString, E>,
) -> Result<Identity, ReadError<E>> {
    use age::ssh::{Identity as Ssh, UnsupportedKey as U};
    let parsed = Ssh::from_buffer(text.as_bytes(), None).map_err(|_| {
        IdentityError::Malformed(
            "it looks like a PEM or SSH key but is not an SSH private key age can read (an OpenSSH ed25519 or RSA key)".into(),
        )
    })?;
    match parsed {
        Ssh::Unencrypted(_) => Ok(Identity::Ssh(parsed)),
        Ssh::Encrypted(key) => {
            let pass = ask(Protected::SshKey).map_err(ReadError::Ask)?;
            let key = key
                .decrypt(pass)
                .map_err(|_| IdentityError::WrongPassphrase(Protected::SshKey))?;
            Ok(Identity::Ssh(Ssh::from(key)))
        }
        Ssh::Unsupported(u) => Err(IdentityError::SshUnsupported(match u {
            U::EncryptedPem => "it is an RSA key in the old encrypted PEM format: convert it to the OpenSSH format with `ssh-keygen -p -o -f FILE` (it keeps its passphrase), then try again".to_owned(),
            U::EncryptedSsh(cipher) => format!(
                "it is encrypted with the cipher {}, which cannot be read here: change its passphrase with `ssh-keygen -p -f FILE` (which re-encrypts it with a supported cipher), then try again",
                crate::text::for_terminal(&cipher, false)
            ),
            U::Hardware(kind) => format!(
                "it is a hardware security key ({}), which cannot be used here: use an ed25519 key (ssh-keygen -t ed25519) or an age key",
                crate::text::for_terminal(&kind, false)
            ),
            U::Type(kind) => format!(
                "SSH keys of type {} cannot be used: use an ed25519 or RSA key, or an age key",
                crate::text::for_terminal(&kind, false)
            ),
        })
        .into()),
    }
}

/// Reads X25519 identities (`AGE-SECRET-KEY-1…` lines) from an identity file's text.
pub fn parse_identities(text: &str) -> Result<Vec<age::x25519::Identity>, IdentityError> {
    let ids: Vec<age::x25519::Identity> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            l.parse::<age::x25519::Identity>()
                .map_err(|e| IdentityError::Malformed(e.to_string()))
        })
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Err(IdentityError::Empty);
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use age::secrecy::ExposeSecret;

    use super::*;

    fn pass(p: &str) -> SecretString {
        SecretString::from(p.to_owned())
    }

    fn protected(text: &str, p: &str) -> Vec<u8> {
        super::super::encrypt_to_passphrase(text.as_bytes(), &pass(p), Some(10)).unwrap()
    }

    #[test]
    fn a_passphrase_protected_identity_file_opens_with_its_passphrase_only() {
        let id = age::x25519::Identity::generate();
        let text = format!("# key\n{}\n", id.to_string().expose_secret());
        let file = protected(&text, "tangerine umbrella");
        let mut asked = Vec::new();
        let ids = read_identity_file(&file, |what| {
            asked.push(what);
            Ok::<_, ()>(pass("tangerine umbrella"))
        })
        .unwrap();
        assert_eq!(asked, [Protected::AgeFile]);
        assert!(matches!(&ids[..], [Identity::X25519(i)] if i.to_public() == id.to_public()));
        let wrong = read_identity_file(&file, |_| Ok::<_, ()>(pass("nope"))).unwrap_err();
        assert!(matches!(
            wrong,
            ReadError::Identity(IdentityError::WrongPassphrase(Protected::AgeFile))
        ));
        // a plain file is never asked about
        let ids = read_identity_file(text.as_bytes(), |_| -> Result<SecretString, ()> {
            panic!("asked for a passphrase for a plain file")
        })
        .unwrap();
        assert_eq!(ids.len(), 1);
    }

    #[test]
    fn an_armoured_protected_file_opens_too() {
        use age::armor::{ArmoredWriter, Format};
        let id = age::x25519::Identity::generate();
        let binary = protected(id.to_string().expose_secret(), "tangerine umbrella");
        let mut armoured = Vec::new();
        let mut w = ArmoredWriter::wrap_output(&mut armoured, Format::AsciiArmor).unwrap();
        std::io::Write::write_all(&mut w, &binary).unwrap();
        w.finish().unwrap();
        assert!(armoured.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"));
        let ids =
            read_identity_file(&armoured, |_| Ok::<_, ()>(pass("tangerine umbrella"))).unwrap();
        assert!(matches!(&ids[..], [Identity::X25519(i)] if i.to_public() == id.to_public()));
    }

    #[test]
    fn a_file_encrypted_to_a_key_or_cut_short_is_named_so() {
        let id = age::x25519::Identity::generate();
        let to_key = super::super::encrypt_to_recipients(
            b"AGE-SECRET-KEY-1",
            &[age::x25519::Identity::generate().to_public().into()],
        )
        .unwrap();
        let e = read_identity_file(&to_key, |_| Ok::<_, ()>(pass("x"))).unwrap_err();
        assert!(matches!(
            e,
            ReadError::Identity(IdentityError::NotForPassphrase)
        ));
        let file = protected(id.to_string().expose_secret(), "tangerine umbrella");
        let cut = &file[..file.len() - 20];
        let e = read_identity_file(cut, |_| Ok::<_, ()>(pass("tangerine umbrella"))).unwrap_err();
        assert!(matches!(e, ReadError::Identity(IdentityError::Damaged(_))));
    }
}
