//! Public keys that age files are encrypted to: native age keys (`age1…`) and SSH public keys
//! (`ssh-ed25519 …`, `ssh-rsa …`, as in `~/.ssh/id_ed25519.pub`). Every public key the
//! program reads — for a vault recipient, a backup, an export or a report — is parsed here.

use std::fmt;
use std::str::FromStr;

/// A public key to encrypt to.
#[derive(Clone, Debug)]
pub enum Recipient {
    /// A native age key, `age1…`.
    X25519(age::x25519::Recipient),
    /// An SSH public key, `ssh-ed25519 …` or `ssh-rsa …` (a comment after it is ignored).
    Ssh(age::ssh::Recipient),
}

impl Recipient {
    /// The key as age's encryptor takes it.
    pub fn as_age(&self) -> &dyn age::Recipient {
        match self {
            Recipient::X25519(r) => r,
            Recipient::Ssh(r) => r,
        }
    }
}

impl From<age::x25519::Recipient> for Recipient {
    fn from(r: age::x25519::Recipient) -> Self {
        Recipient::X25519(r)
    }
}

/// The key in its canonical form: `age1…`, or the SSH key type and its key without the comment.
impl fmt::Display for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Recipient::X25519(r) => r.fmt(f),
            Recipient::Ssh(r) => r.fmt(f),
        }
    }
}

/// Why a text is not a public key. It never repeats the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NotARecipient(String);

impl FromStr for Recipient {
    type Err = NotARecipient;

    /// Reads `age1…`, `ssh-ed25519 AAAA… [comment]` or `ssh-rsa AAAA… [comment]`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.starts_with("ssh-") || s.starts_with("ecdsa-") || s.starts_with("sk-") {
            return parse_ssh(s).map(Recipient::Ssh);
        }
        s.parse::<age::x25519::Recipient>()
            .map(Recipient::X25519)
            .map_err(|e| NotARecipient(e.to_string()))
    }
}

fn parse_ssh(s: &str) -> Result<age::ssh::Recipient, NotARecipient> {
    use age::ssh::ParseRecipientKeyError as E;
    s.parse::<age::ssh::Recipient>().map_err(|e| {
        NotARecipient(match e {
            E::RsaModulusTooSmall => {
                "this RSA key is shorter than 2048 bits, too weak to protect the notes: use an ed25519 key (ssh-keygen -t ed25519) or a longer RSA key".to_owned()
            }
            E::RsaModulusTooLarge => {
                "this RSA key is longer than age supports (4096 bits at most): use an ed25519 key (ssh-keygen -t ed25519)".to_owned()
            }
            E::Unsupported(kind) if kind.starts_with("sk-") => format!(
                "{} is a hardware security key, which cannot be used here: use an ed25519 key (ssh-keygen -t ed25519) or an age key",
                crate::text::for_terminal(&kind, false)
            ),
            E::Unsupported(kind) => format!(
                "SSH keys of type {} cannot be used: use an ssh-ed25519 or ssh-rsa key, or an age key",
                crate::text::for_terminal(&kind, false)
            ),
            _ => "it is not a complete SSH public key: copy the whole line of the .pub file (ssh-ed25519 AAAA… or ssh-rsa AAAA…)".to_owned(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHl6objUqv97MIitkqvn9t0LspASx6qfL3AMfJEkf9kV alice@example";

    #[test]
    fn reads_age_and_ssh_keys_and_says_what_a_key_looks_like() {
        let age_key = age::x25519::Identity::generate().to_public().to_string();
        let r: Recipient = format!("  {age_key}\n").parse().unwrap();
        assert!(matches!(r, Recipient::X25519(_)));
        assert_eq!(r.to_string(), age_key);
        let r: Recipient = ED25519.parse().unwrap();
        assert!(matches!(r, Recipient::Ssh(_)));
        // the comment is not part of the key
        assert!(!r.to_string().contains("alice"));
        assert!(r.to_string().starts_with("ssh-ed25519 AAAA"));
        let e = "ssh-ed25519 AAAA"
            .parse::<Recipient>()
            .unwrap_err()
            .to_string();
        assert!(e.contains(".pub"), "{e}");
    }
}
