//! A travelling row as its vault-independent body: every column but local ids, with links to
//! other rows given by their `uid`. Reading a project's bodies, giving rows their `uid`, and
//! writing a body back into this vault's tables.

use std::collections::HashMap;

use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use serde_json::{Map, Value as Json};
use sha2::{Digest, Sha256};

use super::spec::{Clash, SPECS, Spec, UidRule, spec};

/// A fresh row identity: a UUIDv7, time-ordered and random.
pub(crate) fn fresh_uid() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A row identity derived from what the row is (a UUIDv8 over a SHA-256 of its parts).
fn derived_uid(table: &str, parts: &[Value]) -> String {
    let mut h = Sha256::new();
    h.update(table.as_bytes());
    for p in parts {
        h.update([0x1f]);
        match p {
            Value::Null => h.update(b"\0null"),
            Value::Integer(i) => h.update(i.to_string().as_bytes()),
            Value::Real(r) => h.update(r.to_string().as_bytes()),
            Value::Text(t) => h.update(t.as_bytes()),
            Value::Blob(b) => h.update(b),
        }
    }
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    uuid::Uuid::new_v8(b).to_string()
}

/// Gives every row of the project that has none its `uid`, parents first (derived uids are
/// built from their parents').
pub(crate) fn assign_uids(conn: &Connection, project_id: i64) -> rusqlite::Result<usize> {
    let mut n = 0;
    for s in SPECS.iter().filter(|s| s.table != "erasure_ledger") {
        let keys = if s.key.is_empty() {
            vec!["id"]
        } else {
            s.key.to_vec()
        };
        let select = format!(
            "SELECT {} FROM {} t WHERE t.uid IS NULL AND {}",
            keys.iter()
                .map(|k| format!("t.{k}"))
                .collect::<Vec<_>>()
                .join(", "),
            s.table,
            s.scope
        );
        let rows: Vec<Vec<Value>> = {
            let mut st = conn.prepare(&select)?;
            st.query_map([project_id], |r| {
                (0..keys.len()).map(|i| r.get::<_, Value>(i)).collect()
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        let update = format!(
            "UPDATE {} SET uid = ? WHERE {}",
            s.table,
            keys.iter()
                .map(|k| format!("{k} = ?"))
                .collect::<Vec<_>>()
                .join(" AND ")
        );
        let taken = format!("SELECT 1 FROM {} WHERE uid = ?1", s.table);
        for key in rows {
            let mut uid = match s.uid {
                UidRule::Fresh => fresh_uid(),
                UidRule::Derived(sql) => {
                    let parts: Vec<Value> = conn.query_row(sql, params_from_iter(&key), |r| {
                        let n = r.as_ref().column_count();
                        (0..n).map(|i| r.get::<_, Value>(i)).collect()
                    })?;
                    derived_uid(s.table, &parts)
                }
            };
            // a derived identity already held (a theme renamed, then its old name made again)
            if conn
                .query_row(&taken, [&uid], |_| Ok(()))
                .optional()?
                .is_some()
            {
                uid = fresh_uid();
            }
            let mut p: Vec<Value> = vec![Value::Text(uid)];
            p.extend(key);
            conn.execute(&update, params_from_iter(&p))?;
            n += 1;
        }
    }
    Ok(n)
}

/// One row's body: its columns (links as uids) in a canonical JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Body {
    pub uid: String,
    pub table: &'static str,
    pub json: String,
}

impl Body {
    /// What a body is compared by: two vaults holding the same body hold the same row.
    pub fn hash(&self) -> Vec<u8> {
        hash_of(self.table, &self.json)
    }
}

pub(crate) fn hash_of(table: &str, json: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(table.as_bytes());
    h.update([0]);
    h.update(json.as_bytes());
    h.finalize().to_vec()
}

/// Local id → uid of the rows of the linked tables, for turning links into uids.
type UidMaps = HashMap<&'static str, HashMap<i64, String>>;

fn uid_maps(conn: &Connection, s: &Spec) -> rusqlite::Result<UidMaps> {
    let mut maps = UidMaps::new();
    for (_, table) in s.links {
        if maps.contains_key(table) {
            continue;
        }
        let mut st = conn.prepare(&format!(
            "SELECT id, uid FROM {table} WHERE uid IS NOT NULL"
        ))?;
        let m = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        maps.insert(table, m);
    }
    Ok(maps)
}

fn to_json(v: ValueRef<'_>) -> Json {
    match v {
        ValueRef::Null => Json::Null,
        ValueRef::Integer(i) => Json::from(i),
        ValueRef::Real(r) => Json::from(r),
        ValueRef::Text(t) => Json::from(String::from_utf8_lossy(t).into_owned()),
        // no travelling column holds bytes; kept as hex should one ever do
        ValueRef::Blob(b) => Json::from(b.iter().map(|x| format!("{x:02x}")).collect::<String>()),
    }
}

/// One row's columns as a canonical JSON object: local ids dropped, links as uids (`link`
/// gives the uid of a linked table's row from its local id).
fn row_json(
    r: &rusqlite::Row<'_>,
    names: &[String],
    s: &Spec,
    uid_of: &dyn Fn(&str, i64) -> rusqlite::Result<Option<String>>,
) -> rusqlite::Result<(String, String)> {
    let mut uid = String::new();
    let mut m = Map::new();
    for (i, name) in names.iter().enumerate() {
        if name == "uid" {
            uid = r.get(i)?;
            continue;
        }
        if name == "id" || s.local.contains(&name.as_str()) {
            continue;
        }
        let link = s.links.iter().find(|(c, _)| c == name);
        let j = match (link, r.get_ref(i)?) {
            (Some((_, table)), ValueRef::Integer(id)) => {
                uid_of(table, id)?.map_or(Json::Null, Json::from)
            }
            (_, v) => to_json(v),
        };
        m.insert(name.clone(), j);
    }
    Ok((uid, serde_json::to_string(&m).unwrap_or_default()))
}

/// The bodies of one table's rows in the project (rows without a uid are not yet travelling).
pub(crate) fn bodies(
    conn: &Connection,
    s: &'static Spec,
    project_id: i64,
) -> rusqlite::Result<Vec<Body>> {
    let maps = uid_maps(conn, s)?;
    let sql = format!(
        "SELECT * FROM {} t WHERE t.uid IS NOT NULL AND {}",
        s.table, s.scope
    );
    let mut st = conn.prepare(&sql)?;
    let names: Vec<String> = st.column_names().map(str::to_owned).collect();
    let mut rows = st.query([project_id])?;
    let mut out = Vec::new();
    let uid_of = |table: &str, id: i64| -> rusqlite::Result<Option<String>> {
        Ok(maps.get(table).and_then(|m| m.get(&id)).cloned())
    };
    while let Some(r) = rows.next()? {
        let (uid, json) = row_json(r, &names, s, &uid_of)?;
        out.push(Body {
            uid,
            table: s.table,
            json,
        });
    }
    Ok(out)
}

/// The body of one row, by uid, as it stands in this vault now.
pub(crate) fn body_of(conn: &Connection, table: &str, uid: &str) -> rusqlite::Result<Option<Body>> {
    let Some(s) = spec(table) else {
        return Ok(None);
    };
    let mut st = conn.prepare_cached(&format!("SELECT * FROM {} t WHERE t.uid = ?1", s.table))?;
    let names: Vec<String> = st.column_names().map(str::to_owned).collect();
    let mut rows = st.query([uid])?;
    let Some(r) = rows.next()? else {
        return Ok(None);
    };
    // one row: its links looked up one by one (a whole table's map would cost more)
    let uid_of = |table: &str, id: i64| -> rusqlite::Result<Option<String>> {
        conn.prepare_cached(&format!("SELECT uid FROM {table} WHERE id = ?1"))?
            .query_row([id], |r| r.get(0))
            .optional()
            .map(Option::flatten)
    };
    let (_, json) = row_json(r, &names, s, &uid_of)?;
    Ok(Some(Body {
        uid: uid.to_owned(),
        table: s.table,
        json,
    }))
}

/// Why a body could not be written into this vault.
#[derive(Debug)]
pub(crate) enum WriteError {
    /// A row it links to is not here (yet).
    MissingLink,
    /// It clashes on a column unique in the project, even under a marked name.
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for WriteError {
    fn from(e: rusqlite::Error) -> Self {
        WriteError::Sql(e)
    }
}

fn from_json(j: &Json) -> Value {
    match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Integer(i64::from(*b)),
        Json::Number(n) => n
            .as_i64()
            .map(Value::Integer)
            .or_else(|| n.as_f64().map(Value::Real))
            .unwrap_or(Value::Null),
        Json::String(s) => Value::Text(s.clone()),
        other => Value::Text(other.to_string()),
    }
}

/// The table's columns this vault knows (a body's other keys, from a newer version, are
/// ignored rather than trusted as column names).
/// With each column, whether it holds bytes (sent as hex, see [`to_json`]).
fn columns(conn: &Connection, table: &str) -> rusqlite::Result<Vec<(String, bool)>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT name, upper(type) = 'BLOB' FROM pragma_table_info('{table}')"
    ))?;
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect()
}

/// Bytes sent as hex; `None` when the text is not hex.
fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

/// How many marked names are tried before a clash is given up as an error.
const MARK_TRIES: usize = 100;

/// What writing a body did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    Inserted,
    Updated,
    /// Kept under a marked name: the unique column clashed with another row here.
    Renamed,
}

/// Writes a body into this vault: an update of the row with its uid, or a new row. Links are
/// turned back into local ids.
pub(crate) fn write(conn: &Connection, body: &Body, mark: &str) -> Result<Written, WriteError> {
    let Some(s) = spec(body.table) else {
        return Ok(Written::Updated);
    };
    let map: Map<String, Json> = serde_json::from_str(&body.json).unwrap_or_default();
    let known = columns(conn, s.table)?;
    let mut cols: Vec<String> = Vec::new();
    let mut vals: Vec<Value> = Vec::new();
    for (k, j) in &map {
        let Some(&(_, bytes)) = known.iter().find(|(c, _)| c == k) else {
            continue;
        };
        if k == "id" || k == "uid" || s.local.contains(&k.as_str()) {
            continue;
        }
        let v = match s.links.iter().find(|(c, _)| c == k) {
            Some((_, table)) => match j.as_str() {
                None => Value::Null,
                Some(uid) => match local_id(conn, table, uid)? {
                    Some(id) => Value::Integer(id),
                    None => {
                        return Err(WriteError::MissingLink);
                    }
                },
            },
            None => match (bytes, j.as_str().and_then(from_hex)) {
                (true, Some(b)) => Value::Blob(b),
                _ => from_json(j),
            },
        };
        cols.push(k.clone());
        vals.push(v);
    }
    let exists = conn
        .prepare_cached(&format!("SELECT 1 FROM {} WHERE uid = ?1", s.table))?
        .query_row([&body.uid], |_| Ok(()))
        .optional()?
        .is_some();
    let attempt = |vals: &[Value]| -> rusqlite::Result<usize> {
        if exists {
            let set: Vec<String> = cols.iter().map(|c| format!("{c} = ?")).collect();
            let sql = format!("UPDATE {} SET {} WHERE uid = ?", s.table, set.join(", "));
            let mut p = vals.to_vec();
            p.push(Value::Text(body.uid.clone()));
            conn.prepare_cached(&sql)?.execute(params_from_iter(&p))
        } else {
            let marks = vec!["?"; cols.len() + 1].join(", ");
            let sql = format!(
                "INSERT INTO {} ({}, uid) VALUES ({marks})",
                s.table,
                cols.join(", ")
            );
            let mut p = vals.to_vec();
            p.push(Value::Text(body.uid.clone()));
            conn.prepare_cached(&sql)?.execute(params_from_iter(&p))
        }
    };
    let done = if exists {
        Written::Updated
    } else {
        Written::Inserted
    };
    match attempt(&vals) {
        Ok(_) => Ok(done),
        Err(rusqlite::Error::SqliteFailure(e, m))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            match s.clash {
                // a name another row here already has: keep both, the newcomer marked
                Clash::Mark(unique) => {
                    let Some(u) = cols.iter().position(|c| c == unique) else {
                        return Err(WriteError::Sql(rusqlite::Error::SqliteFailure(e, m)));
                    };
                    let Value::Text(name) = vals[u].clone() else {
                        return Err(WriteError::Sql(rusqlite::Error::SqliteFailure(e, m)));
                    };
                    // the marked name may be taken too (marked before, or named so here):
                    // number it until it is free
                    let mut vals = vals;
                    let mut tries = 1..=MARK_TRIES;
                    loop {
                        let n = tries.next().unwrap_or(MARK_TRIES);
                        vals[u] = Value::Text(if n == 1 {
                            format!("{name} ({mark})")
                        } else {
                            format!("{name} ({mark} {n})")
                        });
                        match attempt(&vals) {
                            Ok(_) => return Ok(Written::Renamed),
                            Err(rusqlite::Error::SqliteFailure(e, _))
                                if e.code == rusqlite::ErrorCode::ConstraintViolation
                                    && n < MARK_TRIES => {}
                            Err(e) => return Err(e.into()),
                        }
                    }
                }
                // the same thing made here too: this vault's copy gives way
                Clash::Same(what) => {
                    let mut cond = Vec::new();
                    let mut p = Vec::new();
                    for w in what {
                        let i = cols.iter().position(|c| c == w);
                        cond.push(format!("{w} IS ?"));
                        p.push(i.map_or(Value::Null, |i| vals[i].clone()));
                    }
                    p.push(Value::Text(body.uid.clone()));
                    conn.execute(
                        &format!(
                            "DELETE FROM {} WHERE {} AND uid IS NOT ?",
                            s.table,
                            cond.join(" AND ")
                        ),
                        params_from_iter(&p),
                    )?;
                    attempt(&vals)?;
                    Ok(done)
                }
                Clash::Never => Err(WriteError::Sql(rusqlite::Error::SqliteFailure(e, m))),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// The local id of the row a link names: the row with that uid, or the one it was merged
/// into (a theme merged, a participant linked to another).
fn local_id(conn: &Connection, table: &str, uid: &str) -> rusqlite::Result<Option<i64>> {
    let id = conn
        .prepare_cached(&format!("SELECT id FROM {table} WHERE uid = ?1"))?
        .query_row([uid], |r| r.get(0))
        .optional()?;
    if id.is_some() {
        return Ok(id);
    }
    let into = match table {
        "theme" => "into_theme_id",
        "participant" => "into_participant_id",
        _ => return Ok(None),
    };
    conn.query_row(
        &format!("SELECT {into} FROM team_redirect WHERE from_uid = ?1 AND {into} IS NOT NULL"),
        [uid],
        |r| r.get(0),
    )
    .optional()
}

/// Whether a row a body links to was deleted here (its last known version is a tombstone),
/// so the body can never be written.
pub(crate) fn parent_gone(conn: &Connection, body: &Body) -> rusqlite::Result<bool> {
    let Some(s) = spec(body.table) else {
        return Ok(false);
    };
    let map: Map<String, Json> = serde_json::from_str(&body.json).unwrap_or_default();
    let mut st = conn.prepare_cached("SELECT hash IS NULL FROM team_row WHERE uid = ?1")?;
    for (column, _) in s.links {
        if let Some(uid) = map.get(*column).and_then(Json::as_str)
            && st
                .query_row([uid], |r| r.get::<_, bool>(0))
                .optional()?
                .unwrap_or(false)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Deletes the row with this uid, if this vault has it. Returns whether it did.
pub(crate) fn remove(conn: &Connection, table: &str, uid: &str) -> rusqlite::Result<bool> {
    let Some(s) = spec(table) else {
        return Ok(false);
    };
    if s.table == "theme" {
        // its tags go with it (as when it is deleted in the app); its children move up
        conn.execute(
            "DELETE FROM tag WHERE theme_id = (SELECT id FROM theme WHERE uid = ?1)",
            [uid],
        )?;
        conn.execute(
            "UPDATE theme SET parent_id = NULL WHERE parent_id = (SELECT id FROM theme WHERE uid = ?1)",
            [uid],
        )?;
        conn.execute(
            "UPDATE team_redirect SET into_theme_id = NULL
             WHERE into_theme_id = (SELECT id FROM theme WHERE uid = ?1)",
            [uid],
        )?;
    }
    if s.table == "participant" {
        conn.execute(
            "UPDATE team_redirect SET into_participant_id = NULL
             WHERE into_participant_id = (SELECT id FROM participant WHERE uid = ?1)",
            [uid],
        )?;
    }
    if s.table == "note" {
        // a note's tags and memos go with it
        conn.execute(
            "DELETE FROM tag WHERE note_id = (SELECT id FROM note WHERE uid = ?1)",
            [uid],
        )?;
        conn.execute(
            "DELETE FROM memo WHERE note_id = (SELECT id FROM note WHERE uid = ?1)",
            [uid],
        )?;
    }
    match conn.execute(&format!("DELETE FROM {} WHERE uid = ?1", s.table), [uid]) {
        Ok(n) => Ok(n > 0),
        // still used here (a participant who speaks in a note kept here): kept
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Ok(false)
        }
        Err(e) => Err(e),
    }
}
