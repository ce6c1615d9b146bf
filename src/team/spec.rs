//! Which tables travel between a project's vaults, how each is scoped to a project, which of
//! its columns point at other rows, and how a row's travelling identity is made.

/// How a row gets its `uid` the first time it leaves the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UidRule {
    /// A fresh UUIDv7 (time-ordered, random): two vaults never make the same one.
    Fresh,
    /// Derived from what the row is, so two vaults that make the same thing independently
    /// make the same row: a theme is its name in its project, a tag is its note, theme and
    /// span. The SQL gives the parts, parents' uids first.
    Derived(&'static str),
}

/// A row from another vault that clashes with a different row here on a unique column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Clash {
    /// Cannot happen (the table has no unique column besides its ids).
    Never,
    /// Two different things with one name (two "P01"s): the newcomer is kept under a marked
    /// name and the clash shown as a conflict.
    Mark(&'static str),
    /// The same thing made in two vaults (the same tag on the same words): these columns say
    /// what it is; the row here gives way to the travelling one.
    Same(&'static [&'static str]),
}

/// One table that travels.
#[derive(Debug)]
pub(crate) struct Spec {
    pub table: &'static str,
    /// `WHERE` clause over the table aliased `t`, with `?1` the local project id.
    pub scope: &'static str,
    /// Columns holding a local id of another travelling table: (column, table).
    pub links: &'static [(&'static str, &'static str)],
    /// Columns that stay in this vault (local ids and stamps).
    pub local: &'static [&'static str],
    pub uid: UidRule,
    /// What to do when a row from another vault clashes with one here on a unique column.
    pub clash: Clash,
    /// The table's own key columns when it has no integer id (WITHOUT ROWID tables).
    pub key: &'static [&'static str],
}

const IN_PROJECT: &str = "t.project_id = ?1";
const IN_SESSIONS: &str = "t.session_id IN (SELECT id FROM session WHERE project_id = ?1)";
const IN_GUIDES: &str = "t.guide_id IN (SELECT id FROM guide WHERE project_id = ?1)";
const OF_NOTES: &str = "t.note_id IN (SELECT n.id FROM note n JOIN session s ON s.id = n.session_id WHERE s.project_id = ?1)";

/// The travelling tables, parents before children: rows are written back in this order and
/// removed in the reverse.
pub(crate) const SPECS: &[Spec] = &[
    Spec {
        table: "project",
        scope: "t.id = ?1",
        links: &[],
        local: &[],
        uid: UidRule::Fresh,
        clash: Clash::Mark("name"),
        key: &[],
    },
    Spec {
        table: "team_member",
        scope: IN_PROJECT,
        links: &[("project_id", "project")],
        local: &[],
        uid: UidRule::Derived(
            "SELECT p.uid, t.member FROM team_member t JOIN project p ON p.id = t.project_id WHERE t.id = ?1",
        ),
        clash: Clash::Same(&["project_id", "member"]),
        key: &[],
    },
    Spec {
        table: "theme",
        scope: IN_PROJECT,
        links: &[("project_id", "project"), ("parent_id", "theme")],
        local: &[],
        uid: UidRule::Derived(
            "SELECT p.uid, lower(trim(t.name)) FROM theme t JOIN project p ON p.id = t.project_id WHERE t.id = ?1",
        ),
        clash: Clash::Mark("name"),
        key: &[],
    },
    Spec {
        table: "guide",
        scope: IN_PROJECT,
        links: &[("project_id", "project")],
        local: &[],
        uid: UidRule::Fresh,
        clash: Clash::Mark("name"),
        key: &[],
    },
    Spec {
        table: "guide_version",
        scope: IN_GUIDES,
        links: &[("guide_id", "guide")],
        local: &[],
        // version 2 of a guide made in two vaults is one version: its questions merge
        // position by position, the later edit of each winning
        uid: UidRule::Derived(
            "SELECT g.uid, t.number FROM guide_version t JOIN guide g ON g.id = t.guide_id WHERE t.id = ?1",
        ),
        clash: Clash::Same(&["guide_id", "number"]),
        key: &[],
    },
    Spec {
        table: "guide_question",
        scope: "t.version_id IN (SELECT v.id FROM guide_version v JOIN guide g ON g.id = v.guide_id WHERE g.project_id = ?1)",
        links: &[("version_id", "guide_version")],
        local: &[],
        uid: UidRule::Derived(
            "SELECT v.uid, t.position FROM guide_question t JOIN guide_version v ON v.id = t.version_id WHERE t.id = ?1",
        ),
        clash: Clash::Same(&["version_id", "position"]),
        key: &[],
    },
    Spec {
        table: "participant",
        scope: IN_PROJECT,
        links: &[("project_id", "project")],
        local: &[],
        uid: UidRule::Fresh,
        clash: Clash::Mark("pseudonym"),
        key: &[],
    },
    Spec {
        table: "person_mentioned",
        scope: IN_PROJECT,
        links: &[("project_id", "project")],
        local: &[],
        uid: UidRule::Fresh,
        clash: Clash::Mark("pseudonym"),
        key: &[],
    },
    Spec {
        table: "session",
        scope: IN_PROJECT,
        links: &[
            ("project_id", "project"),
            ("guide_version_id", "guide_version"),
        ],
        local: &[],
        uid: UidRule::Fresh,
        clash: Clash::Never,
        key: &[],
    },
    Spec {
        table: "session_participant",
        scope: IN_SESSIONS,
        links: &[("session_id", "session"), ("participant_id", "participant")],
        local: &[],
        uid: UidRule::Derived(
            "SELECT s.uid, p.uid FROM session s, participant p WHERE s.id = ?1 AND p.id = ?2",
        ),
        clash: Clash::Same(&["session_id", "participant_id"]),
        key: &["session_id", "participant_id"],
    },
    Spec {
        table: "note",
        scope: IN_SESSIONS,
        links: &[
            ("session_id", "session"),
            ("speaker_participant_id", "participant"),
            ("question_id", "guide_question"),
        ],
        // the total of the idea's dot votes, which `idea_vote` carries member by member
        local: &["votes"],
        uid: UidRule::Fresh,
        clash: Clash::Never,
        key: &[],
    },
    Spec {
        table: "idea_vote",
        scope: OF_NOTES,
        links: &[("note_id", "note")],
        local: &[],
        uid: UidRule::Derived(
            "SELECT n.uid, t.member FROM idea_vote t JOIN note n ON n.id = t.note_id WHERE t.id = ?1",
        ),
        clash: Clash::Same(&["note_id", "member"]),
        key: &[],
    },
    Spec {
        table: "tag",
        scope: OF_NOTES,
        links: &[("note_id", "note"), ("theme_id", "theme")],
        local: &[],
        uid: UidRule::Derived(
            "SELECT n.uid, h.uid, ifnull(t.span_start, -1), ifnull(t.span_end, -1)
             FROM tag t JOIN note n ON n.id = t.note_id JOIN theme h ON h.id = t.theme_id WHERE t.id = ?1",
        ),
        clash: Clash::Same(&["note_id", "theme_id", "span_start", "span_end"]),
        key: &[],
    },
    Spec {
        table: "quote_approval",
        scope: OF_NOTES,
        links: &[("note_id", "note")],
        local: &[],
        uid: UidRule::Derived(
            "SELECT n.uid FROM quote_approval t JOIN note n ON n.id = t.note_id WHERE t.id = ?1",
        ),
        clash: Clash::Same(&["note_id"]),
        key: &[],
    },
    Spec {
        table: "memo",
        scope: IN_SESSIONS,
        links: &[("session_id", "session"), ("note_id", "note")],
        local: &[],
        uid: UidRule::Fresh,
        clash: Clash::Never,
        key: &[],
    },
    Spec {
        table: "anonymiser_list",
        scope: IN_PROJECT,
        links: &[("project_id", "project")],
        local: &[],
        uid: UidRule::Derived("SELECT p.uid, ?2, ?3 FROM project p WHERE p.id = ?1"),
        clash: Clash::Same(&["project_id", "list", "phrase"]),
        key: &["project_id", "list", "phrase"],
    },
    Spec {
        table: "disclosure",
        scope: IN_PROJECT,
        links: &[("project_id", "project")],
        local: &[],
        uid: UidRule::Fresh,
        clash: Clash::Never,
        key: &[],
    },
    Spec {
        table: "team_redirect",
        scope: IN_PROJECT,
        links: &[
            ("project_id", "project"),
            ("into_theme_id", "theme"),
            ("into_participant_id", "participant"),
        ],
        local: &[],
        uid: UidRule::Fresh,
        clash: Clash::Never,
        key: &[],
    },
    Spec {
        table: "erasure_ledger",
        scope: "t.project_uid = (SELECT uid FROM project WHERE id = ?1)",
        links: &[],
        local: &["target_id"],
        uid: UidRule::Fresh,
        clash: Clash::Never,
        key: &[],
    },
];

/// The spec of a travelling table.
pub(crate) fn spec(table: &str) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.table == table)
}
