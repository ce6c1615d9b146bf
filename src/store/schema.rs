//! Versioned schema. Each migration moves the database from version `i` to `i + 1` in one
//! transaction; `PRAGMA user_version` records where a database stands.

use rusqlite::Connection;

use super::StoreError;

/// Migration `i` takes a database at version `i` to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 → 1: the core model.
    r#"
    CREATE TABLE project (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        purpose TEXT,
        lawful_basis TEXT,
        special_category_condition TEXT,
        schedule1_condition TEXT,
        criminal_offence_basis TEXT,
        dpia_ref TEXT,
        controller TEXT,
        retention_months INTEGER CHECK (retention_months IS NULL OR retention_months > 0),
        created_at TEXT NOT NULL
    );
    CREATE TABLE session (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES project(id),
        kind TEXT NOT NULL CHECK (kind IN ('interview', 'workshop')),
        title TEXT NOT NULL,
        date TEXT,
        location TEXT,
        source TEXT NOT NULL CHECK (source IN ('live', 'paper')),
        paper_written_by TEXT,
        paper_written_on TEXT,
        paper_destroyed_on TEXT,
        facilitators TEXT NOT NULL DEFAULT '[]',
        started_at_ms INTEGER,
        created_at TEXT NOT NULL
    );
    CREATE INDEX session_project ON session(project_id);
    CREATE TABLE participant (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES project(id),
        pseudonym TEXT NOT NULL,
        real_name TEXT,
        role TEXT,
        consent TEXT CHECK (consent IN ('given', 'refused', 'withdrawn')),
        consent_date TEXT,
        consent_form TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (project_id, pseudonym)
    );
    CREATE TABLE session_participant (
        session_id INTEGER NOT NULL REFERENCES session(id),
        participant_id INTEGER NOT NULL REFERENCES participant(id),
        PRIMARY KEY (session_id, participant_id)
    ) WITHOUT ROWID;
    CREATE TABLE person_mentioned (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES project(id),
        real_name TEXT NOT NULL,
        pseudonym TEXT NOT NULL,
        UNIQUE (project_id, pseudonym)
    );
    CREATE TABLE note (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES session(id),
        position INTEGER NOT NULL,
        created_at_ms INTEGER NOT NULL,
        offset_ms INTEGER,
        speaker_participant_id INTEGER REFERENCES participant(id),
        speaker_facilitator INTEGER,
        kind TEXT NOT NULL CHECK (kind IN ('verbatim', 'paraphrase', 'observation', 'idea')),
        text TEXT NOT NULL,
        special_category INTEGER NOT NULL DEFAULT 0,
        criminal_offence INTEGER NOT NULL DEFAULT 0,
        updated_at_ms INTEGER NOT NULL
    );
    CREATE INDEX note_session ON note(session_id, position);
    CREATE INDEX note_speaker ON note(speaker_participant_id);
    CREATE TABLE theme (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES project(id),
        name TEXT NOT NULL,
        description TEXT,
        colour TEXT,
        parent_id INTEGER REFERENCES theme(id),
        UNIQUE (project_id, name)
    );
    CREATE TABLE tag (
        id INTEGER PRIMARY KEY,
        note_id INTEGER NOT NULL REFERENCES note(id) ON DELETE CASCADE,
        theme_id INTEGER NOT NULL REFERENCES theme(id),
        span_start INTEGER,
        span_end INTEGER,
        CHECK ((span_start IS NULL) = (span_end IS NULL)),
        CHECK (span_start IS NULL OR span_start < span_end)
    );
    CREATE UNIQUE INDEX tag_unique ON tag(note_id, theme_id, ifnull(span_start, -1), ifnull(span_end, -1));
    CREATE INDEX tag_theme ON tag(theme_id);
    CREATE TABLE key_recipient (
        name TEXT PRIMARY KEY,
        public_key TEXT NOT NULL,
        added_at TEXT NOT NULL
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash BLOB NOT NULL,
        hash BLOB NOT NULL
    );
    CREATE VIRTUAL TABLE note_fts USING fts5(
        text, content = 'note', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO note_fts(note_fts, rank) VALUES ('secure-delete', 1);
    CREATE TRIGGER note_fts_insert AFTER INSERT ON note BEGIN
        INSERT INTO note_fts(rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER note_fts_delete AFTER DELETE ON note BEGIN
        INSERT INTO note_fts(note_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    CREATE TRIGGER note_fts_update AFTER UPDATE OF text ON note BEGIN
        INSERT INTO note_fts(note_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO note_fts(rowid, text) VALUES (new.id, new.text);
    END;
    "#,
    // 1 → 2: the editor's unsent text, saved within a second of typing so a crash loses
    // at most the last second.
    r#"
    CREATE TABLE draft (
        session_id INTEGER PRIMARY KEY REFERENCES session(id),
        text TEXT NOT NULL,
        speaker TEXT,
        kind TEXT,
        updated_at_ms INTEGER NOT NULL
    );
    "#,
    // 2 → 3: workshop ideas (cluster, dot votes) and the page of a paper original.
    r#"
    ALTER TABLE note ADD COLUMN cluster TEXT;
    ALTER TABLE note ADD COLUMN votes INTEGER NOT NULL DEFAULT 0 CHECK (votes >= 0);
    ALTER TABLE note ADD COLUMN page TEXT;
    "#,
    // 3 → 4: the anonymiser's per-project allow and deny lists.
    r#"
    CREATE TABLE anonymiser_list (
        project_id INTEGER NOT NULL REFERENCES project(id),
        list TEXT NOT NULL CHECK (list IN ('allow', 'deny')),
        phrase TEXT NOT NULL,
        PRIMARY KEY (project_id, list, phrase)
    ) WITHOUT ROWID;
    "#,
    // 4 → 5: data subject rights (restriction, withdrawal tombstones, the erasure ledger)
    // and the analyst's memo per theme.
    r#"
    ALTER TABLE participant ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE participant ADD COLUMN withdrawn_on TEXT;
    ALTER TABLE participant ADD COLUMN withdrawal TEXT
        CHECK (withdrawal IS NULL OR withdrawal IN ('erase', 'keep-anonymised'));
    ALTER TABLE participant ADD COLUMN erased_on TEXT;
    ALTER TABLE person_mentioned ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE person_mentioned ADD COLUMN erased_on TEXT;
    ALTER TABLE theme ADD COLUMN memo TEXT;
    CREATE TABLE erasure_ledger (
        uid TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        what TEXT NOT NULL CHECK (what IN ('note', 'session', 'participant', 'person')),
        target_id INTEGER NOT NULL,
        target_stamp TEXT NOT NULL,
        mode TEXT NOT NULL
    ) WITHOUT ROWID;
    "#,
    // 5 → 6: the researcher's own settings (their name, F1 in a new live interview) and memos
    // on a note or a whole session. A memo goes with its note or session.
    r#"
    CREATE TABLE setting (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE memo (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
        note_id INTEGER REFERENCES note(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL
    );
    CREATE INDEX memo_session ON memo(session_id);
    "#,
    // 6 → 7: team work. Rows that travel between researchers' vaults get an identity that
    // cannot collide across vaults (`uid`, a UUID given when a row first leaves the vault);
    // integer ids stay local. The team tables record members, the project's bundle keys,
    // what each row's last known version is, and what was received from whom.
    r#"
    ALTER TABLE project ADD COLUMN uid TEXT;
    CREATE UNIQUE INDEX project_uid ON project(uid);
    ALTER TABLE session ADD COLUMN uid TEXT;
    CREATE UNIQUE INDEX session_uid ON session(uid);
    ALTER TABLE participant ADD COLUMN uid TEXT;
    CREATE UNIQUE INDEX participant_uid ON participant(uid);
    ALTER TABLE session_participant ADD COLUMN uid TEXT;
    CREATE UNIQUE INDEX session_participant_uid ON session_participant(uid);
    ALTER TABLE person_mentioned ADD COLUMN uid TEXT;
    CREATE UNIQUE INDEX person_mentioned_uid ON person_mentioned(uid);
    ALTER TABLE note ADD COLUMN uid TEXT;
    CREATE UNIQUE INDEX note_uid ON note(uid);
    ALTER TABLE theme ADD COLUMN uid TEXT;
    CREATE UNIQUE INDEX theme_uid ON theme(uid);
    ALTER TABLE tag ADD COLUMN uid TEXT;
    CREATE UNIQUE INDEX tag_uid ON tag(uid);
    ALTER TABLE memo ADD COLUMN uid TEXT;
    CREATE UNIQUE INDEX memo_uid ON memo(uid);
    ALTER TABLE anonymiser_list ADD COLUMN uid TEXT;
    CREATE UNIQUE INDEX anonymiser_list_uid ON anonymiser_list(uid);
    ALTER TABLE erasure_ledger ADD COLUMN project_uid TEXT;
    ALTER TABLE erasure_ledger ADD COLUMN target_uid TEXT;
    CREATE TABLE team (
        project_id INTEGER PRIMARY KEY REFERENCES project(id),
        sent_seq INTEGER NOT NULL DEFAULT 0,
        full_next INTEGER NOT NULL DEFAULT 1,
        joined_at TEXT NOT NULL,
        pseudonym_prefix TEXT
    );
    CREATE TABLE team_member (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES project(id),
        uid TEXT UNIQUE,
        member TEXT NOT NULL,
        name TEXT NOT NULL,
        public_key TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('lead', 'member')),
        number INTEGER NOT NULL,
        added_at TEXT NOT NULL,
        removed_at TEXT,
        UNIQUE (project_id, member)
    );
    CREATE TABLE team_key (
        project_id INTEGER NOT NULL REFERENCES project(id),
        epoch INTEGER NOT NULL,
        key BLOB NOT NULL,
        PRIMARY KEY (project_id, epoch)
    ) WITHOUT ROWID;
    CREATE TABLE team_row (
        uid TEXT PRIMARY KEY,
        tbl TEXT NOT NULL,
        project_id INTEGER NOT NULL,
        rev INTEGER NOT NULL,
        rev_by TEXT NOT NULL,
        base INTEGER NOT NULL DEFAULT 0,
        hash BLOB
    ) WITHOUT ROWID;
    CREATE INDEX team_row_project ON team_row(project_id, tbl);
    CREATE TABLE team_peer (
        project_id INTEGER NOT NULL REFERENCES project(id),
        member TEXT NOT NULL,
        seq INTEGER NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (project_id, member)
    ) WITHOUT ROWID;
    CREATE TABLE team_received (
        bundle TEXT PRIMARY KEY,
        project_id INTEGER NOT NULL,
        member TEXT NOT NULL,
        seq INTEGER NOT NULL,
        changes INTEGER NOT NULL,
        at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE idea_vote (
        id INTEGER PRIMARY KEY,
        note_id INTEGER NOT NULL REFERENCES note(id) ON DELETE CASCADE,
        member TEXT NOT NULL,
        votes INTEGER NOT NULL CHECK (votes >= 0),
        uid TEXT UNIQUE,
        UNIQUE (note_id, member)
    );
    CREATE TABLE team_redirect (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES project(id),
        uid TEXT UNIQUE,
        from_uid TEXT NOT NULL,
        into_theme_id INTEGER REFERENCES theme(id),
        into_participant_id INTEGER REFERENCES participant(id),
        at TEXT NOT NULL
    );
    CREATE TABLE team_waiting (
        uid TEXT PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES project(id),
        tbl TEXT NOT NULL,
        rev INTEGER NOT NULL,
        rev_by TEXT NOT NULL,
        base INTEGER NOT NULL,
        body TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE team_conflict (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES project(id),
        tbl TEXT NOT NULL,
        uid TEXT NOT NULL,
        kept TEXT NOT NULL,
        other TEXT NOT NULL,
        other_by TEXT NOT NULL,
        at TEXT NOT NULL
    );
    "#,
    // 7 → 8: the interview itself. Topic guides (a project's, or one per session kind),
    // versioned: a changed guide is a new version and sessions keep the version they used; a
    // note can answer one question. Quote-level consent (may a participant be quoted word for
    // word: yes, no, or only an approved quote) and the approvals. Record reviews (a session
    // kind whose "participants" are the subjects of the records read) and the project's
    // disclosures log. `session.kind` gains `review` in `widen_session_kind` below.
    r#"
    CREATE TABLE guide (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES project(id),
        name TEXT NOT NULL,
        session_kind TEXT CHECK (session_kind IS NULL OR session_kind IN ('interview', 'workshop', 'review')),
        created_at TEXT NOT NULL,
        uid TEXT UNIQUE,
        UNIQUE (project_id, name)
    );
    CREATE TABLE guide_version (
        id INTEGER PRIMARY KEY,
        guide_id INTEGER NOT NULL REFERENCES guide(id),
        number INTEGER NOT NULL CHECK (number > 0),
        created_at TEXT NOT NULL,
        uid TEXT UNIQUE,
        UNIQUE (guide_id, number)
    );
    CREATE TABLE guide_question (
        id INTEGER PRIMARY KEY,
        version_id INTEGER NOT NULL REFERENCES guide_version(id),
        position INTEGER NOT NULL,
        section TEXT NOT NULL,
        text TEXT NOT NULL,
        prompts TEXT NOT NULL DEFAULT '',
        uid TEXT UNIQUE,
        UNIQUE (version_id, position)
    );
    ALTER TABLE session ADD COLUMN guide_version_id INTEGER REFERENCES guide_version(id);
    ALTER TABLE note ADD COLUMN question_id INTEGER REFERENCES guide_question(id);
    CREATE INDEX note_question ON note(question_id) WHERE question_id IS NOT NULL;
    ALTER TABLE draft ADD COLUMN question_id INTEGER;
    ALTER TABLE participant ADD COLUMN quote_consent TEXT
        CHECK (quote_consent IS NULL OR quote_consent IN ('yes', 'no', 'approval'));
    ALTER TABLE participant ADD COLUMN subject INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE quote_approval (
        id INTEGER PRIMARY KEY,
        note_id INTEGER NOT NULL UNIQUE REFERENCES note(id) ON DELETE CASCADE,
        approved_on TEXT NOT NULL,
        text_hash BLOB NOT NULL,
        uid TEXT UNIQUE
    );
    ALTER TABLE session ADD COLUMN review_source TEXT;
    ALTER TABLE session ADD COLUMN review_record_ref TEXT;
    ALTER TABLE session ADD COLUMN review_from TEXT;
    ALTER TABLE session ADD COLUMN review_to TEXT;
    ALTER TABLE session ADD COLUMN review_sampling TEXT;
    CREATE TABLE disclosure (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES project(id),
        shared_on TEXT NOT NULL,
        recipient TEXT NOT NULL,
        what TEXT NOT NULL,
        lawful_basis TEXT NOT NULL,
        method TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        uid TEXT UNIQUE
    );
    "#,
];

/// Steps a migration takes after its SQL, in Rust (index = the migration's).
const AFTER: &[(usize, Step)] = &[(7, widen_session_kind)];

/// A migration step written in Rust, run inside the migration's transaction.
type Step = fn(&rusqlite::Transaction) -> Result<(), StoreError>;

/// `session.kind` gains `review`. SQLite cannot alter a CHECK constraint, and rebuilding the
/// table would mean turning foreign keys off around it; widening the list of allowed words is
/// one of the changes SQLite documents as safe to make by editing the stored schema (every
/// existing row still satisfies the wider check), in the same transaction as the migration.
fn widen_session_kind(tx: &rusqlite::Transaction) -> Result<(), StoreError> {
    const OLD: &str = "CHECK (kind IN ('interview', 'workshop'))";
    const NEW: &str = "CHECK (kind IN ('interview', 'workshop', 'review'))";
    let sql: String = tx.query_row(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'session'",
        [],
        |r| r.get(0),
    )?;
    if !sql.contains(OLD) {
        return Err(StoreError::Damaged(
            "the session table is not as this version of fieldnotes made it".into(),
        ));
    }
    let schema_version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.pragma_update(None, "writable_schema", true)?;
    tx.execute(
        "UPDATE sqlite_master SET sql = ?1 WHERE type = 'table' AND name = 'session'",
        [sql.replace(OLD, NEW)],
    )?;
    tx.pragma_update(None, "schema_version", schema_version + 1)?;
    tx.pragma_update(None, "writable_schema", false)?;
    let ok: String = tx.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if ok != "ok" {
        return Err(StoreError::Damaged(format!(
            "the database failed its check after widening the session kinds: {ok}"
        )));
    }
    Ok(())
}

/// The schema version this build writes.
pub const LATEST: u32 = MIGRATIONS.len() as u32;

/// The database's current schema version.
pub fn version(conn: &Connection) -> Result<u32, StoreError> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Brings the database up to [`LATEST`], one transaction per step. A database written by a
/// newer fieldnotes is refused rather than misread.
pub fn migrate(conn: &mut Connection) -> Result<u32, StoreError> {
    migrate_to(conn, LATEST)
}

/// Migrates up to `target` (tests use this to build databases at older versions).
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<u32, StoreError> {
    let current = version(conn)?;
    if current > LATEST {
        return Err(StoreError::TooNew {
            found: current,
            supported: LATEST,
        });
    }
    for v in current..target.min(LATEST) {
        let tx = conn.transaction()?;
        tx.execute_batch(MIGRATIONS[v as usize])?;
        for (_, step) in AFTER.iter().filter(|(i, _)| *i == v as usize) {
            step(&tx)?;
        }
        tx.pragma_update(None, "user_version", v + 1)?;
        tx.commit()?;
    }
    version(conn)
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;

    #[test]
    fn migrates_from_version_one_keeping_data() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(migrate_to(&mut conn, 1).unwrap(), 1);
        conn.execute(
            "INSERT INTO project (name, created_at) VALUES ('F2F', '2024-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), LATEST);
        let name: String = conn
            .query_row("SELECT name FROM project", [], |r| r.get(0))
            .unwrap();
        assert_eq!(name, "F2F");
        // running again is a no-op
        assert_eq!(migrate(&mut conn).unwrap(), LATEST);
    }

    #[test]
    fn version_eight_allows_record_reviews_and_keeps_sessions() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        assert_eq!(migrate_to(&mut conn, 7).unwrap(), 7);
        conn.execute_batch(
            "INSERT INTO project (name, created_at) VALUES ('F2F', 'now');
             INSERT INTO session (project_id, kind, title, source, created_at)
                 VALUES (1, 'interview', 'Desk', 'live', 'now');",
        )
        .unwrap();
        let refused = conn.execute(
            "INSERT INTO session (project_id, kind, title, source, created_at)
             VALUES (1, 'review', 'CRM', 'paper', 'now')",
            [],
        );
        assert!(refused.is_err(), "version 7 knows no reviews");
        assert_eq!(migrate(&mut conn).unwrap(), LATEST);
        conn.execute(
            "INSERT INTO session (project_id, kind, title, source, created_at)
             VALUES (1, 'review', 'CRM', 'paper', 'now')",
            [],
        )
        .unwrap();
        let bad = conn.execute(
            "INSERT INTO session (project_id, kind, title, source, created_at)
             VALUES (1, 'meeting', 'x', 'live', 'now')",
            [],
        );
        assert!(bad.is_err(), "other kinds are still refused");
        let kinds: Vec<String> = conn
            .prepare("SELECT kind FROM session ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(kinds, ["interview", "review"]);
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
    }

    #[test]
    fn a_newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", LATEST + 1)
            .unwrap();
        let e = migrate(&mut conn).unwrap_err();
        assert!(e.to_string().contains("newer fieldnotes"), "{e}");
    }
}
