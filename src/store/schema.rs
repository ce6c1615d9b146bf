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
];

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
    fn a_newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", LATEST + 1)
            .unwrap();
        let e = migrate(&mut conn).unwrap_err();
        assert!(e.to_string().contains("newer fieldnotes"), "{e}");
    }
}
