//! Every free-text column an erasure rewrites, and every text column it leaves alone with the
//! reason why.

/// How a free-text column is rewritten.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Plain text.
    Text,
    /// Text that must stay unique (theme and project names).
    Unique,
    /// A JSON array of names (a session's facilitators).
    NameList,
}

/// One free-text column an erasure rewrites. `scope` selects the project's rows (`?1` is the
/// project id, `t` the table).
pub(crate) struct TextColumn {
    pub(crate) table: &'static str,
    pub(crate) column: &'static str,
    pub(super) key: &'static str,
    pub(super) scope: &'static str,
    pub(super) kind: Kind,
}

const OF_PROJECT: &str = "WHERE t.project_id = ?1";
const OF_SESSION: &str = "JOIN session s ON s.id = t.session_id WHERE s.project_id = ?1";

const fn col(table: &'static str, column: &'static str, scope: &'static str) -> TextColumn {
    TextColumn {
        table,
        column,
        key: "id",
        scope,
        kind: Kind::Text,
    }
}

/// Every column where a researcher's text can hold a person's name. The schema test
/// `every_text_column_is_erased_or_says_why_not` fails when a migration adds a text column
/// that is neither here nor in [`NOT_FREE_TEXT`], so a new field cannot be missed.
pub(crate) const TEXT_COLUMNS: &[TextColumn] = &[
    TextColumn {
        kind: Kind::Unique,
        ..col("project", "name", "WHERE t.id = ?1")
    },
    col("project", "purpose", "WHERE t.id = ?1"),
    col("project", "lawful_basis", "WHERE t.id = ?1"),
    col("project", "special_category_condition", "WHERE t.id = ?1"),
    col("project", "schedule1_condition", "WHERE t.id = ?1"),
    col("project", "criminal_offence_basis", "WHERE t.id = ?1"),
    col("project", "dpia_ref", "WHERE t.id = ?1"),
    col("project", "controller", "WHERE t.id = ?1"),
    col("session", "title", OF_PROJECT),
    col("session", "location", OF_PROJECT),
    col("session", "paper_written_by", OF_PROJECT),
    TextColumn {
        kind: Kind::NameList,
        ..col("session", "facilitators", OF_PROJECT)
    },
    col("participant", "role", OF_PROJECT),
    col("participant", "consent_form", OF_PROJECT),
    col("note", "text", OF_SESSION),
    col("note", "cluster", OF_SESSION),
    col("note", "page", OF_SESSION),
    TextColumn {
        kind: Kind::Unique,
        ..col("theme", "name", OF_PROJECT)
    },
    col("theme", "description", OF_PROJECT),
    col("theme", "memo", OF_PROJECT),
    col("theme", "colour", OF_PROJECT),
    TextColumn {
        key: "session_id",
        ..col("draft", "text", OF_SESSION)
    },
    col("memo", "text", OF_SESSION),
    col("session", "review_source", OF_PROJECT),
    col("session", "review_sampling", OF_PROJECT),
    col("session", "review_record_ref", OF_PROJECT),
    TextColumn {
        kind: Kind::Unique,
        ..col("guide", "name", OF_PROJECT)
    },
    col(
        "guide_question",
        "section",
        "JOIN guide_version v ON v.id = t.version_id JOIN guide g ON g.id = v.guide_id WHERE g.project_id = ?1",
    ),
    col(
        "guide_question",
        "prompts",
        "JOIN guide_version v ON v.id = t.version_id JOIN guide g ON g.id = v.guide_id WHERE g.project_id = ?1",
    ),
    col(
        "guide_question",
        "text",
        "JOIN guide_version v ON v.id = t.version_id JOIN guide g ON g.id = v.guide_id WHERE g.project_id = ?1",
    ),
    col("disclosure", "recipient", OF_PROJECT),
    col("disclosure", "what", OF_PROJECT),
    col("disclosure", "lawful_basis", OF_PROJECT),
    col("disclosure", "method", OF_PROJECT),
];

/// Text columns an erasure leaves alone, and why.
#[cfg(test)]
pub(crate) const NOT_FREE_TEXT: &[(&str, &str, &str)] = &[
    ("project", "created_at", "a timestamp"),
    ("session", "kind", "interview or workshop"),
    ("session", "date", "a checked date"),
    ("session", "source", "live or paper"),
    ("session", "paper_written_on", "a checked date"),
    ("session", "paper_destroyed_on", "a checked date"),
    ("session", "created_at", "a timestamp"),
    ("participant", "pseudonym", "the replacement itself"),
    (
        "participant",
        "real_name",
        "deleted by the erasure (other people's names stay theirs)",
    ),
    ("participant", "consent", "given, refused or withdrawn"),
    ("participant", "consent_date", "a checked date"),
    ("participant", "created_at", "a timestamp"),
    ("participant", "withdrawn_on", "a date"),
    ("participant", "withdrawal", "erase or keep-anonymised"),
    ("participant", "erased_on", "a date"),
    (
        "person_mentioned",
        "real_name",
        "emptied by the erasure (other people's names stay theirs)",
    ),
    ("person_mentioned", "pseudonym", "the replacement itself"),
    ("person_mentioned", "erased_on", "a date"),
    ("note", "kind", "one of four kinds"),
    ("draft", "speaker", "a pseudonym or facilitator code"),
    ("draft", "kind", "one of four kinds"),
    ("anonymiser_list", "list", "allow or deny"),
    (
        "anonymiser_list",
        "phrase",
        "deleted when it names the person",
    ),
    (
        "key_recipient",
        "name",
        "a researcher holding a key, not a research subject",
    ),
    ("key_recipient", "public_key", "an age key"),
    ("key_recipient", "added_at", "a timestamp"),
    ("audit", "at", "a timestamp"),
    ("audit", "actor", "the researcher's account name"),
    ("audit", "action", "a fixed verb"),
    (
        "audit",
        "detail",
        "ids, pseudonyms, counts, project names and file paths, never note text or real names; \
         rewriting a past event would break the hash chain (the README asks users to keep names \
         out of project and file names)",
    ),
    ("project", "uid", "a random id"),
    ("session", "uid", "a random id"),
    ("participant", "uid", "a random id"),
    ("session_participant", "uid", "a random id"),
    ("person_mentioned", "uid", "a random id"),
    ("note", "uid", "a random id"),
    ("theme", "uid", "a random id"),
    ("tag", "uid", "a random id"),
    ("memo", "uid", "a random id"),
    ("anonymiser_list", "uid", "a random id"),
    ("idea_vote", "uid", "a random id"),
    ("idea_vote", "member", "a team member's id"),
    ("erasure_ledger", "project_uid", "a random id"),
    ("erasure_ledger", "target_uid", "a random id"),
    ("team", "joined_at", "a timestamp"),
    ("team", "pseudonym_prefix", "a number"),
    ("team_member", "uid", "a random id"),
    ("team_member", "member", "a team member's id"),
    (
        "team_member",
        "name",
        "a researcher in the team, not a research subject",
    ),
    ("team_member", "public_key", "an age key"),
    ("team_member", "role", "lead or member"),
    ("team_member", "added_at", "a timestamp"),
    ("team_member", "removed_at", "a date"),
    ("team_row", "uid", "a random id"),
    ("team_row", "tbl", "a table's name"),
    ("team_row", "rev_by", "a team member's id"),
    ("team_peer", "member", "a team member's id"),
    ("team_peer", "received_at", "a timestamp"),
    ("team_received", "bundle", "a random id"),
    ("team_received", "member", "a team member's id"),
    ("team_received", "at", "a timestamp"),
    ("team_redirect", "uid", "a random id"),
    ("team_redirect", "from_uid", "a random id"),
    ("team_redirect", "at", "a timestamp"),
    ("team_waiting", "uid", "a random id"),
    ("team_waiting", "tbl", "a table's name"),
    ("team_waiting", "rev_by", "a team member's id"),
    (
        "team_waiting",
        "body",
        "JSON: every text value is rewritten by the erasure (`rewrite_waiting`); a row of what \
         is erased is dropped when the waiting rows are next tried",
    ),
    ("team_conflict", "tbl", "a table's name"),
    ("team_conflict", "uid", "a random id"),
    (
        "team_conflict",
        "kept",
        "deleted, with every conflict in the project, by every erasure in it",
    ),
    (
        "team_conflict",
        "other",
        "deleted, with every conflict in the project, by every erasure in it",
    ),
    ("team_conflict", "other_by", "a team member's id"),
    ("team_conflict", "at", "a timestamp"),
    ("erasure_ledger", "uid", "a random id"),
    ("erasure_ledger", "at", "a timestamp"),
    ("erasure_ledger", "what", "a fixed kind"),
    ("erasure_ledger", "target_stamp", "a creation stamp"),
    ("erasure_ledger", "mode", "a fixed mode"),
    ("setting", "key", "a fixed setting name"),
    ("session", "review_from", "a checked date"),
    ("session", "review_to", "a checked date"),
    ("guide", "session_kind", "interview, workshop or review"),
    ("guide", "created_at", "a timestamp"),
    ("guide", "uid", "a random id"),
    ("guide_version", "created_at", "a timestamp"),
    ("guide_version", "uid", "a random id"),
    ("guide_question", "uid", "a random id"),
    ("participant", "quote_consent", "yes, no or approval"),
    ("quote_approval", "approved_on", "a checked date"),
    ("quote_approval", "uid", "a random id"),
    ("disclosure", "shared_on", "a checked date"),
    ("disclosure", "recorded_at", "a timestamp"),
    ("disclosure", "uid", "a random id"),
    (
        "setting",
        "value",
        "the researcher's own settings (their name as facilitator), not a research subject",
    ),
];
