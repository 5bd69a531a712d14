//! Replacing the learner's database with another one (an imported history, a restored
//! backup) without ever losing either.
//!
//! 1. The source is read only through SQLite's backup API, on a read-only connection (and
//!    `immutable=1` where it sits on read-only media), into a snapshot: its write-ahead log
//!    counts, and the source is never modified.
//! 2. The snapshot is checked: intact, a certprep schema version this build knows, exactly
//!    certprep's tables and indexes (no trigger, view or anything else).
//! 3. Its rows are copied into a *fresh* database of certprep's own schema, in one
//!    transaction, and checked there: column types, constraints, foreign keys, pack ids.
//!    The group-folder setting is not taken from the file: it stays what the learner chose
//!    on this computer.
//! 4. Only then is the current database given a second, new name that no file had (it is
//!    never overwritten) and the fresh one renamed over it: the learner's database is
//!    replaced in one atomic step, after the new one is complete.
//!
//! Any failure before step 4 leaves the learner's database as it was and removes the
//! temporary files.

use super::schema;
use super::{DB_FILE, SCHEMA_VERSION, Store, StoreError, harden};
use crate::fsutil::{self, ReadError, TempFiles};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What a replacement did.
pub struct Replaced {
    pub store: Store,
    /// The previous database's new name, when there was one.
    pub kept_aside: Option<PathBuf>,
    /// What the new history holds.
    pub counts: HistoryCounts,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HistoryCounts {
    /// Finished (submitted or timed-out) exams and study sessions.
    pub finished: i64,
    /// Answers given in exams.
    pub answers: i64,
    /// Study and exam reviews.
    pub reviews: i64,
}

impl HistoryCounts {
    pub fn is_empty(&self) -> bool {
        *self == HistoryCounts::default()
    }
}

/// Why a replacement is being made: it names the kept-aside file and sets what is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose<'a> {
    /// A history file from this or another computer (`before-import`). An empty history is
    /// refused over one that has exams, answers or reviews: the learner would see nothing.
    Import,
    /// A backup (the current file is kept as `<label>`, e.g. `damaged` or `before-restore`).
    Restore { aside: &'a str },
}

impl Purpose<'_> {
    fn label(&self) -> &str {
        match self {
            Purpose::Import => "before-import",
            Purpose::Restore { aside } => aside,
        }
    }
}

/// Test hook: the most pages the fresh database may take (a full disk, simulated).
#[doc(hidden)]
pub static MAX_PAGES_FOR_TESTS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// Replace the database in `data_dir` with the history in `source` (see the module docs).
pub fn replace_database(
    data_dir: &Path,
    source: &Path,
    purpose: Purpose,
) -> Result<Replaced, StoreError> {
    match fsutil::regular_file(source) {
        Ok(_) => {}
        Err(ReadError::NotFound) => {
            return Err(StoreError::Unreadable {
                path: source.to_path_buf(),
                detail: "there is no such file".into(),
            });
        }
        Err(e) => {
            return Err(StoreError::Unreadable {
                path: source.to_path_buf(),
                detail: e.to_string(),
            });
        }
    }
    std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
        path: data_dir.to_path_buf(),
        source,
    })?;
    remove_leftovers(data_dir);
    let mut temp = TempFiles::default();
    let reserve = |what: &str| {
        fsutil::reserve_new(data_dir, &format!("{DB_FILE}.{what}-{}", fsutil::stamp())).map_err(
            |source| StoreError::DataDir {
                path: data_dir.to_path_buf(),
                source,
            },
        )
    };
    let snapshot = temp.add(reserve("incoming")?);
    snapshot_of(source, &snapshot)?;

    // The learner's choice of group folder on this computer survives the import.
    let db = data_dir.join(DB_FILE);
    let group_folder = current_group_folder(&db);

    let fresh = temp.add(reserve("importing")?);
    let counts = {
        let mut store = Store::open(&fresh)?;
        let limit = MAX_PAGES_FOR_TESTS.load(std::sync::atomic::Ordering::Relaxed);
        if limit > 0 {
            let _ = store
                .conn
                .pragma_update(None, "max_page_count", i64::from(limit));
        }
        let counts = fill(&mut store.conn, &snapshot, group_folder.as_deref())
            .map_err(|e| e.into_store_error(source, &fresh))?;
        if purpose == Purpose::Import && counts.is_empty() && !current_counts(&db).is_empty() {
            return Err(StoreError::Rejected {
                path: source.to_path_buf(),
                reason: "it is a certprep history with no exams, answers or reviews in it; \
                         importing it would replace your history with an empty one"
                    .into(),
            });
        }
        let ok: String = store
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| super::classify(&fresh, e))?;
        if ok != "ok" {
            return Err(StoreError::Rejected {
                path: source.to_path_buf(),
                reason: format!("the copy did not pass SQLite's integrity check ({ok})"),
            });
        }
        store
            .conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(|e| super::classify(&fresh, e))?;
        counts
        // The store closes here: its write-ahead log is folded in and removed.
    };
    std::fs::File::open(&fresh)
        .and_then(|f| f.sync_all())
        .map_err(|source| StoreError::DataDir {
            path: fresh.clone(),
            source,
        })?;

    let kept_aside = swap_in(data_dir, &fresh, purpose.label())?;
    temp.keep(&fresh);
    drop(temp);
    let store = Store::open(&db)?;
    Ok(Replaced {
        store,
        kept_aside,
        counts,
    })
}

/// A failure while filling the fresh database: from the source's content, or from writing.
enum FillError {
    Rejected(String),
    Write(rusqlite::Error),
    Newer(i64),
}

impl FillError {
    fn into_store_error(self, source: &Path, fresh: &Path) -> StoreError {
        match self {
            FillError::Rejected(reason) => StoreError::Rejected {
                path: source.to_path_buf(),
                reason,
            },
            FillError::Newer(found) => StoreError::NewerSchema {
                path: source.to_path_buf(),
                found,
                supported: SCHEMA_VERSION,
            },
            FillError::Write(e) => match e.sqlite_error_code() {
                // Constraint failures come from the file's rows, not from the disk.
                Some(ErrorCode::ConstraintViolation) | Some(ErrorCode::TypeMismatch) => {
                    StoreError::Rejected {
                        path: source.to_path_buf(),
                        reason: format!("its rows break certprep's rules ({e})"),
                    }
                }
                _ => super::classify(fresh, e),
            },
        }
    }
}

fn rejected(reason: impl Into<String>) -> FillError {
    FillError::Rejected(reason.into())
}

/// A path as an SQLite URI (`file:/a%20b/c.sqlite3?mode=ro`).
fn uri(path: &Path, params: &str) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file:");
    if text.as_bytes().get(1) == Some(&b':') {
        out.push_str("///");
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.push('?');
    out.push_str(params);
    out
}

fn open_source(path: &Path, params: &str) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        uri(path, params),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
    )?;
    harden(&conn)?;
    conn.busy_timeout(Duration::from_secs(2))?;
    Ok(conn)
}

/// Copy `source` into `snapshot` with the backup API: read-only, and immutable when the
/// source's folder cannot hold SQLite's shared-memory file (read-only media).
fn snapshot_of(source: &Path, snapshot: &Path) -> Result<(), StoreError> {
    let unreadable = |e: rusqlite::Error| -> StoreError {
        match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => {
                StoreError::Rejected {
                    path: source.to_path_buf(),
                    reason: format!("it is not a SQLite database, or it is damaged ({e})"),
                }
            }
            _ => StoreError::Unreadable {
                path: source.to_path_buf(),
                detail: e.to_string(),
            },
        }
    };
    let copy = |params: &str| -> rusqlite::Result<()> {
        let src = open_source(source, params)?;
        // Reading the schema opens the write-ahead log (or fails on read-only media).
        src.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })?;
        let mut dst = Connection::open(snapshot)?;
        harden(&dst)?;
        let backup = rusqlite::backup::Backup::new(&src, &mut dst)?;
        backup.run_to_completion(256, Duration::from_millis(20), None)
    };
    match copy("mode=ro") {
        Ok(()) => Ok(()),
        Err(e) if cannot_open_read_only(&e) => {
            // Read-only media: SQLite cannot make the shared-memory file beside the source.
            // `immutable=1` reads the main file alone, which is the whole history only when
            // there is no write-ahead log beside it.
            let wal = PathBuf::from(format!("{}-wal", source.display()));
            if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                return Err(StoreError::Unreadable {
                    path: source.to_path_buf(),
                    detail: format!(
                        "its write-ahead log ({}) cannot be read where it is (read-only \
                         media?); copy both files to a folder you can write to and import \
                         from there",
                        wal.display()
                    ),
                });
            }
            let _ = std::fs::remove_file(snapshot);
            let _ = std::fs::File::create(snapshot);
            copy("mode=ro&immutable=1").map_err(unreadable)
        }
        Err(e) => Err(unreadable(e)),
    }
}

fn cannot_open_read_only(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::CannotOpen) | Some(ErrorCode::ReadOnly) | Some(ErrorCode::SystemIoFailure)
    )
}

/// What the current database holds (nothing when it is missing or does not open).
fn current_counts(db: &Path) -> HistoryCounts {
    if !db.is_file() {
        return HistoryCounts::default();
    }
    let Ok(conn) = open_source(db, "mode=ro") else {
        return HistoryCounts::default();
    };
    let n = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap_or(0);
    HistoryCounts {
        finished: n("SELECT COUNT(*) FROM attempts WHERE status IN ('submitted','expired')"),
        answers: n("SELECT COUNT(*) FROM attempt_items WHERE answered_at IS NOT NULL"),
        reviews: n("SELECT COUNT(*) FROM review_log"),
    }
}

/// The group folder set in the current database, if it opens.
fn current_group_folder(db: &Path) -> Option<String> {
    if !db.is_file() {
        return None;
    }
    let conn = open_source(db, "mode=ro").ok()?;
    conn.query_row(
        "SELECT value FROM settings WHERE key = 'group_folder'",
        [],
        |r| r.get(0),
    )
    .ok()
}

/// Tables in the order rows are copied (parents before the rows that refer to them).
fn tables_in_order(conn: &Connection, schema: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT name FROM \"{schema}\".sqlite_master WHERE type = 'table' ORDER BY name"
    ))?;
    let mut names: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    names.sort_by_key(|n| (n != "attempts", n.clone()));
    Ok(names)
}

fn columns(
    conn: &Connection,
    schema: &str,
    table: &str,
) -> rusqlite::Result<Vec<(String, String, bool)>> {
    let mut stmt = conn.prepare(&format!("PRAGMA \"{schema}\".table_info(\"{table}\")"))?;
    stmt.query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? != 0)))?
        .collect()
}

/// Check the snapshot and copy its rows into `conn` (a fresh database of certprep's schema).
fn fill(
    conn: &mut Connection,
    snapshot: &Path,
    group_folder: Option<&str>,
) -> Result<HistoryCounts, FillError> {
    conn.execute("ATTACH DATABASE ?1 AS src", [uri(snapshot, "mode=ro")])
        .map_err(FillError::Write)?;
    let result = fill_attached(conn, group_folder);
    let _ = conn.execute_batch("DETACH DATABASE src");
    result
}

fn fill_attached(
    conn: &mut Connection,
    group_folder: Option<&str>,
) -> Result<HistoryCounts, FillError> {
    let check: String = conn
        .query_row("PRAGMA src.integrity_check(1)", [], |r| r.get(0))
        .map_err(|e| rejected(format!("it is damaged ({e})")))?;
    if check != "ok" {
        return Err(rejected(format!("it is damaged ({check})")));
    }
    let version: i64 = conn
        .query_row("PRAGMA src.user_version", [], |r| r.get(0))
        .map_err(|e| rejected(format!("it is damaged ({e})")))?;
    if version < 1 {
        return Err(rejected(
            "it is a SQLite file but not a certprep history (it has no certprep schema version)",
        ));
    }
    if version > SCHEMA_VERSION {
        return Err(FillError::Newer(version));
    }
    schema::check(conn, "src", version).map_err(|why| {
        rejected(format!(
            "it is not a certprep history as certprep writes them: {why}"
        ))
    })?;

    let tx = conn.transaction().map_err(FillError::Write)?;
    for table in tables_in_order(&tx, "src").map_err(FillError::Write)? {
        let cols: Vec<String> = columns(&tx, "src", &table)
            .map_err(FillError::Write)?
            .into_iter()
            .map(|(name, _, _)| format!("\"{name}\""))
            .collect();
        let list = cols.join(", ");
        // The group folder is a path on the computer the file came from; here it would
        // send reads and writes wherever the file says.
        let filter = if table == "settings" {
            " WHERE key <> 'group_folder'"
        } else {
            ""
        };
        // OR REPLACE: the fresh database already holds the rows opening it seeds (the sync
        // clock, this database's device id); the file's own take their place. The file's
        // rows cannot conflict among themselves: its schema was checked to be certprep's.
        tx.execute(
            &format!(
                "INSERT OR REPLACE INTO main.\"{table}\" ({list}) SELECT {list} FROM src.\"{table}\"{filter}"
            ),
            [],
        )
        .map_err(FillError::Write)?;
    }
    if let Some(folder) = group_folder {
        tx.execute(
            "INSERT OR REPLACE INTO main.settings (key, value) VALUES ('group_folder', ?1)",
            [folder],
        )
        .map_err(FillError::Write)?;
    }
    if version < 5 {
        // A history from before schema v5 gets what the upgrade gives a database of that age
        // (`migration_step`): its cards lack the latest answer and the time of the first,
        // which readiness reads, and hold FSRS-5 memory states; both come from the copied log.
        tx.execute_batch(super::FILL_READINESS_COLUMNS)
            .and_then(|()| super::srs::reschedule(&tx, None).map(|_| ()))
            .map_err(FillError::Write)?;
    }
    check_values(&tx)?;
    let counts = HistoryCounts {
        finished: count(
            &tx,
            "SELECT COUNT(*) FROM main.attempts WHERE status IN ('submitted','expired')",
        )?,
        answers: count(
            &tx,
            "SELECT COUNT(*) FROM main.attempt_items WHERE answered_at IS NOT NULL",
        )?,
        reviews: count(&tx, "SELECT COUNT(*) FROM main.review_log")?,
    };
    tx.commit().map_err(FillError::Write)?;
    Ok(counts)
}

fn count(conn: &Connection, sql: &str) -> Result<i64, FillError> {
    conn.query_row(sql, [], |r| r.get(0))
        .map_err(FillError::Write)
}

/// Every value has the type its column declares (SQLite would keep text in an INTEGER
/// column), rows refer to rows that exist, and pack ids are what certprep writes.
fn check_values(conn: &Connection) -> Result<(), FillError> {
    for table in tables_in_order(conn, "main").map_err(FillError::Write)? {
        for (name, decl, not_null) in columns(conn, "main", &table).map_err(FillError::Write)? {
            let want = match decl.to_ascii_uppercase().as_str() {
                "INTEGER" => "'integer'",
                "REAL" => "'real'",
                "TEXT" => "'text'",
                _ => continue,
            };
            let allowed = if not_null {
                want.to_string()
            } else {
                format!("{want}, 'null'")
            };
            let bad: i64 = count(
                conn,
                &format!(
                    "SELECT COUNT(*) FROM main.\"{table}\" WHERE typeof(\"{name}\") NOT IN ({allowed})"
                ),
            )?;
            if bad > 0 {
                return Err(rejected(format!(
                    "{bad} row(s) of {table} hold a value of the wrong type in column {name}"
                )));
            }
        }
    }
    let broken: i64 = count(conn, "SELECT COUNT(*) FROM pragma_foreign_key_check")?;
    if broken > 0 {
        return Err(rejected(format!(
            "{broken} row(s) refer to exams that are not in the file"
        )));
    }
    let bad_pack: Option<String> = conn
        .query_row(
            "SELECT pack_id FROM main.attempts WHERE pack_id IS NOT NULL
               AND (length(pack_id) <> 16 OR pack_id GLOB '*[^0-9a-f]*') LIMIT 1",
            [],
            |r| r.get(0),
        )
        .ok();
    if let Some(p) = bad_pack {
        return Err(rejected(format!(
            "an exam names the pack \"{}\", which is not a pack id (16 hex digits)",
            crate::text::escape_controls(&p.chars().take(40).collect::<String>())
        )));
    }
    Ok(())
}

/// Put `fresh` in place of the database in `data_dir`. The current file first gets a second,
/// new name (`certprep.sqlite3.<label>-<time>[-n]`, never an existing file's), then `fresh` is
/// renamed over it: at every moment `certprep.sqlite3` is either the old or the new history.
fn swap_in(data_dir: &Path, fresh: &Path, label: &str) -> Result<Option<PathBuf>, StoreError> {
    let db = data_dir.join(DB_FILE);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| StoreError::DataDir { path, source }
    };
    let companion = |p: &Path, s: &str| PathBuf::from(format!("{}{s}", p.display()));
    let mut kept = None;
    if db.exists() {
        // Fold the current write-ahead log in, so the kept file is whole on its own.
        if let Ok(c) = Connection::open(&db) {
            let _ = harden(&c);
            let _ = c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
        }
        let name = format!("{DB_FILE}.{label}-{}", fsutil::stamp());
        let aside = fsutil::link_to_new_name(&db, data_dir, &name).map_err(io(&db))?;
        // A log the checkpoint could not fold in (a damaged file) goes with its database.
        let wal = companion(&db, "-wal");
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
            let target = companion(&aside, "-wal");
            let moved = std::fs::hard_link(&wal, &target).and_then(|()| std::fs::remove_file(&wal));
            if moved.is_err() {
                let file = target
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                fsutil::move_to_new_name(&wal, data_dir, &file).map_err(io(&wal))?;
            }
        }
        kept = Some(aside);
    }
    for s in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(companion(&db, s));
    }
    std::fs::rename(fresh, &db).map_err(io(&db))?;
    fsutil::sync_dir(data_dir);
    Ok(kept)
}

/// Temporary files of an import that was killed half-way: never the learner's data.
fn remove_leftovers(data_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(data_dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let ours = [".incoming-", ".importing-"]
            .iter()
            .any(|m| name.starts_with(&format!("{DB_FILE}{m}")));
        if ours && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uris() {
        assert_eq!(
            uri(Path::new("/a b/c?.sqlite3"), "mode=ro"),
            "file:/a%20b/c%3F.sqlite3?mode=ro"
        );
        assert_eq!(
            uri(Path::new("C:\\x\\y"), "mode=ro"),
            "file:///C:/x/y?mode=ro"
        );
    }
}
