//! Who can open the vault: the passphrase and the recipients the key is wrapped to, and the
//! age public keys that backups, exports and reports are encrypted to.

use secrecy::SecretString;

use super::{AppError, Result};
use crate::text::for_terminal;
use crate::vault::Vault;
use crate::vault::keys::Recipient;

/// Reads one public key: an age key (`age1…`) or an SSH public key (`ssh-ed25519 …`,
/// `ssh-rsa …`). Every key a person gives — a vault recipient, or whom a backup, export or
/// report is encrypted to — is read here.
pub fn parse_public_key(key: &str) -> Result<Recipient> {
    key.trim()
        .parse::<Recipient>()
        .map_err(|reason| AppError::NotAPublicKey {
            key: for_terminal(key.trim(), false),
            reason: reason.to_string(),
        })
}

/// Reads public keys, refusing the first that is not one.
pub fn parse_public_keys(keys: &[String]) -> Result<Vec<Recipient>> {
    keys.iter().map(|k| parse_public_key(k)).collect()
}

/// Wraps the vault key to a new recipient (a team member's age or SSH key, or an offline
/// recovery key). The
/// vault records the event in the same transaction as the listing.
pub fn recipient_add(v: &Vault, name: &str, public_key: &str) -> Result<()> {
    let recipient = parse_public_key(public_key)?;
    Ok(v.add_recipient(name, &recipient)?)
}

/// The recipients: name and public key.
pub fn recipients(v: &Vault) -> Result<Vec<(String, String)>> {
    Ok(v.store().recipients()?)
}

/// Removes a recipient and moves the vault to a new key (audited inside the rotation);
/// returns the vault, open under the new key.
pub fn recipient_remove(v: Vault, name: &str) -> Result<Vault> {
    Ok(v.remove_recipient(name)?)
}

/// Re-wraps the vault key to a new passphrase (the vault checks its strength and records the
/// change).
pub fn change_passphrase(v: &mut Vault, new: SecretString) -> Result<()> {
    Ok(v.change_passphrase(new)?)
}
