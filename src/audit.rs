//! The audit trail: who opened, changed, exported or erased what, hash-chained so that an
//! edited, removed or reordered event shows on `audit --verify`.
//!
//! Events never carry note text or real names: only ids, counts and actions.

pub use crate::store::audit::{Anchor, Event, PendingEvent};

/// What an audit event records. The trail stores [`Action::as_str`], and these words are the
/// ones the trail has always used, so events written before the enum read the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// The vault was created.
    Init,
    /// The vault was opened in the full-screen app.
    Unlock,
    /// An interrupted key change or damaged log was recovered on opening.
    Recovery,
    /// Every page was read and authenticated.
    Check,
    /// The trail itself was listed.
    AuditView,
    /// Text from standard input was anonymised with a project's registry.
    Redact,
    /// The vault key was re-wrapped to a new passphrase.
    PassphraseChange,
    /// The key was wrapped to a new recipient.
    RecipientAdd,
    /// A recipient was removed and the key rotated.
    RecipientRemove,
    /// A backup was written.
    Backup,
    /// The vault was restored from a backup.
    Restore,
    /// A project was created.
    ProjectAdd,
    /// A project's record changed.
    ProjectEdit,
    /// A phrase went on (or off) a project's allow or deny list.
    AnonymiserList,
    /// A session was created.
    SessionAdd,
    /// A session's record changed.
    SessionEdit,
    /// A paper original was recorded as destroyed.
    PaperDestroyed,
    /// A participant was registered in a session.
    ParticipantAdd,
    /// A person mentioned (not a participant) was registered.
    PersonAdd,
    /// A theme was renamed.
    ThemeRename,
    /// A theme was merged into another.
    ThemeMerge,
    /// A theme was deleted with its tags.
    ThemeDelete,
    /// Sessions past their retention date were erased.
    Retention,
    /// Something was erased on request.
    Erase,
    /// A participant withdrew.
    Withdraw,
    /// A participant's data was restricted.
    Restrict,
    /// A restriction was lifted.
    Unrestrict,
    /// A subject access report was written.
    SubjectAccess,
    /// A subject access report was refused by the leak guard.
    SubjectAccessRefused,
    /// An anonymised export was written.
    Export,
    /// An export was refused by the leak guard.
    ExportRefused,
    /// A record of processing was written.
    Report,
    /// Analysis views were read.
    Analysis,
    /// Analysis output was shown raw (`analyse --raw`): names and identifiers as written.
    AnalysisRaw,
    /// Two participants were found to be one person and linked.
    ParticipantLink,
    /// A project became a team project, or this vault joined one.
    TeamJoin,
    /// A member was added to a project's team.
    TeamMemberAdd,
    /// A member was removed from a project's team.
    TeamMemberRemove,
    /// A bundle of changes was written for the team.
    TeamSend,
    /// A bundle from a team member was applied.
    TeamReceive,
    /// A bundle was refused (not for this vault, altered, from a removed member).
    TeamRefused,
    /// A topic guide was imported or changed (a new version).
    GuideSave,
    /// Data passed to another team or organisation was recorded in the disclosures log.
    DisclosureAdd,
    /// An entry of the disclosures log was corrected.
    DisclosureEdit,
    /// An entry of the disclosures log was deleted (recorded by mistake).
    DisclosureDelete,

    // Quote-level consent.
    /// A participant's record changed (e.g. their quote consent).
    ParticipantEdit,
    /// A participant approved the exact words of one of their quotes.
    QuoteApprove,
    /// The approval of a quote was withdrawn.
    QuoteRevoke,
}

impl Action {
    /// Every action, for checks that the words stay distinct.
    pub const ALL: [Action; 48] = [
        Action::Init,
        Action::Unlock,
        Action::Recovery,
        Action::Check,
        Action::AuditView,
        Action::Redact,
        Action::PassphraseChange,
        Action::RecipientAdd,
        Action::RecipientRemove,
        Action::Backup,
        Action::Restore,
        Action::ProjectAdd,
        Action::ProjectEdit,
        Action::AnonymiserList,
        Action::SessionAdd,
        Action::SessionEdit,
        Action::PaperDestroyed,
        Action::ParticipantAdd,
        Action::PersonAdd,
        Action::ThemeRename,
        Action::ThemeMerge,
        Action::ThemeDelete,
        Action::Retention,
        Action::Erase,
        Action::Withdraw,
        Action::Restrict,
        Action::Unrestrict,
        Action::SubjectAccess,
        Action::SubjectAccessRefused,
        Action::Export,
        Action::ExportRefused,
        Action::Report,
        Action::Analysis,
        Action::AnalysisRaw,
        Action::ParticipantLink,
        Action::TeamJoin,
        Action::TeamMemberAdd,
        Action::TeamMemberRemove,
        Action::TeamSend,
        Action::TeamReceive,
        Action::TeamRefused,
        Action::GuideSave,
        Action::DisclosureAdd,
        Action::DisclosureEdit,
        Action::DisclosureDelete,
        Action::ParticipantEdit,
        Action::QuoteApprove,
        Action::QuoteRevoke,
    ];

    /// The word stored in the trail.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Init => "init",
            Action::Unlock => "unlock",
            Action::Recovery => "recovery",
            Action::Check => "check",
            Action::AuditView => "audit view",
            Action::Redact => "redact",
            Action::PassphraseChange => "passphrase change",
            Action::RecipientAdd => "recipient add",
            Action::RecipientRemove => "recipient remove",
            Action::Backup => "backup",
            Action::Restore => "restore",
            Action::ProjectAdd => "project add",
            Action::ProjectEdit => "project edit",
            Action::AnonymiserList => "anonymiser list",
            Action::SessionAdd => "session add",
            Action::SessionEdit => "session edit",
            Action::PaperDestroyed => "paper destroyed",
            Action::ParticipantAdd => "participant add",
            Action::PersonAdd => "person add",
            Action::ThemeRename => "theme rename",
            Action::ThemeMerge => "theme merge",
            Action::ThemeDelete => "theme delete",
            Action::Retention => "retention",
            Action::Erase => "erase",
            Action::Withdraw => "withdraw",
            Action::Restrict => "restrict",
            Action::Unrestrict => "unrestrict",
            Action::SubjectAccess => "subject access",
            Action::SubjectAccessRefused => "subject access refused",
            Action::Export => "export",
            Action::ExportRefused => "export refused",
            Action::Report => "report",
            Action::Analysis => "analysis",
            Action::AnalysisRaw => "analysis raw",
            Action::ParticipantLink => "participant link",
            Action::TeamJoin => "team join",
            Action::TeamMemberAdd => "team member add",
            Action::TeamMemberRemove => "team member remove",
            Action::TeamSend => "team send",
            Action::TeamReceive => "team receive",
            Action::TeamRefused => "team bundle refused",
            Action::GuideSave => "guide save",
            Action::DisclosureAdd => "disclosure recorded",
            Action::DisclosureEdit => "disclosure corrected",
            Action::DisclosureDelete => "disclosure deleted",
            Action::ParticipantEdit => "participant edit",
            Action::QuoteApprove => "quote approve",
            Action::QuoteRevoke => "quote revoke",
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The operating-system user running fieldnotes.
pub fn current_actor() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| {
            // SAFETY: getuid has no preconditions and cannot fail.
            format!("uid {}", unsafe { libc::getuid() })
        })
}

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:", self.id)?;
        self.hash.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// Text that is not an audit anchor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{0}' is not an audit anchor: it looks like 42:9f86d081… (event number, colon, 64 hex digits)"
)]
pub struct BadAnchor(pub String);

impl std::str::FromStr for Anchor {
    type Err = BadAnchor;
    fn from_str(s: &str) -> std::result::Result<Self, BadAnchor> {
        let bad = || BadAnchor(s.to_owned());
        let (id, hex) = s.trim().split_once(':').ok_or_else(bad)?;
        let id: i64 = id.parse().map_err(|_| bad())?;
        if hex.len() != 64 || !hex.is_ascii() {
            return Err(bad());
        }
        let hash = (0..32)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16))
            .collect::<std::result::Result<Vec<u8>, _>>()
            .map_err(|_| bad())?;
        Ok(Anchor { id, hash })
    }
}

/// The sentence an output carries about its anchor.
pub fn anchor_sentence(anchor: &str) -> String {
    format!(
        "Audit anchor {anchor}: `fieldnotes audit --verify --anchor {anchor}` proves that no event of the vault's audit trail up to the making of this file was later removed or altered."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_words_are_distinct_and_unchanged() {
        let words: std::collections::HashSet<_> = Action::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(words.len(), Action::ALL.len());
        assert_eq!(Action::ThemeMerge.as_str(), "theme merge");
        assert_eq!(Action::AnonymiserList.to_string(), "anonymiser list");
    }
}
