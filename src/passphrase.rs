//! Passphrase policy: refuse trivially guessable passphrases before they protect a vault.

use secrecy::{ExposeSecret, SecretString};

/// Why a passphrase was refused, in words the user can act on.
#[derive(Debug, thiserror::Error)]
#[error("this passphrase is too easy to guess{hint}")]
pub struct WeakPassphrase {
    hint: String,
}

/// Minimum length, whatever the estimator says.
pub const MIN_LEN: usize = 10;

/// Accepts a passphrase only when zxcvbn rates it at least "safely unguessable" (score 3)
/// and it has at least [`MIN_LEN`] characters.
pub fn check_strength(pass: &SecretString, context: &[&str]) -> Result<(), WeakPassphrase> {
    let p = pass.expose_secret();
    if p.chars().count() < MIN_LEN {
        return Err(WeakPassphrase {
            hint: format!(": use at least {MIN_LEN} characters; a few unrelated words work well"),
        });
    }
    let estimate = zxcvbn::zxcvbn(p, context);
    if estimate.score() >= zxcvbn::Score::Three {
        return Ok(());
    }
    let mut hint = String::new();
    if let Some(fb) = estimate.feedback() {
        if let Some(w) = fb.warning() {
            hint.push_str(&format!(": {w}"));
        }
        for s in fb.suggestions() {
            hint.push_str(&format!(" {s}"));
        }
    }
    if hint.is_empty() {
        hint.push_str(": add another unrelated word or two");
    }
    Err(WeakPassphrase { hint })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(p: &str) -> SecretString {
        SecretString::from(p.to_owned())
    }

    #[test]
    fn refuses_weak_and_accepts_strong() {
        assert!(check_strength(&s("password"), &[]).is_err());
        assert!(check_strength(&s("password123"), &[]).is_err());
        assert!(check_strength(&s("fieldnotes2024"), &["fieldnotes"]).is_err());
        assert!(check_strength(&s("correct horse battery staple 1987!"), &[]).is_ok());
    }

    #[test]
    fn refusal_says_why() {
        let e = check_strength(&s("qwerty"), &[]).unwrap_err();
        assert!(e.to_string().contains("too easy to guess"));
    }
}
