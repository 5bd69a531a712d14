//! Backups with SQLite's online backup API, and recovery from a damaged database file.
//!
//! A backup is taken before every schema migration and at most once a day; the newest
//! [`KEEP_BACKUPS`] are kept in `<data dir>/backups/`. A damaged database is never deleted:
//! it is renamed aside (`*.damaged-<time>`) before a backup is restored or a fresh one made.

use super::{DB_FILE, Store, StoreError, classify};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

pub const BACKUP_DIR: &str = "backups";
pub const KEEP_BACKUPS: usize = 10;
const DAY_SECS: i64 = 24 * 60 * 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub taken_at: DateTime<Utc>,
    pub reason: String,
    pub bytes: u64,
}

fn io_err(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::DataDir {
        path: path.to_path_buf(),
        source,
    }
}

/// Backups in `data_dir`, newest first. Files that do not look like ours are ignored.
pub fn list_backups(data_dir: &Path) -> Vec<BackupInfo> {
    let dir = data_dir.join(BACKUP_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<BackupInfo> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            // certprep-20261122T233900Z-daily.sqlite3
            let rest = name.strip_prefix("certprep-")?.strip_suffix(".sqlite3")?;
            let (stamp, reason) = rest.split_once('-')?;
            let taken_at = chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%SZ")
                .ok()?
                .and_utc();
            Some(BackupInfo {
                path: e.path(),
                taken_at,
                reason: reason.to_string(),
                bytes: e.metadata().map(|m| m.len()).unwrap_or(0),
            })
        })
        .collect();
    out.sort_by(|a, b| b.taken_at.cmp(&a.taken_at).then(b.path.cmp(&a.path)));
    out
}

impl Store {
    fn data_dir(&self) -> PathBuf {
        self.path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    /// Copy the live database into `backups/` and prune old copies. Safe while the app runs:
    /// the backup API copies a consistent snapshot.
    pub fn backup_now(&self, reason: &str) -> Result<BackupInfo, StoreError> {
        let dir = self.data_dir().join(BACKUP_DIR);
        std::fs::create_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
        let now = Utc::now();
        let mut path = dir.join(format!(
            "certprep-{}-{reason}.sqlite3",
            now.format("%Y%m%dT%H%M%SZ")
        ));
        // Two backups in the same second (tests, a migration right after a daily one).
        let mut n = 1;
        while path.exists() {
            n += 1;
            path = dir.join(format!(
                "certprep-{}-{reason}{n}.sqlite3",
                now.format("%Y%m%dT%H%M%SZ")
            ));
        }
        self.conn
            .backup(rusqlite::MAIN_DB, &path, None)
            .map_err(|e| classify(&path, e))?;
        prune(&self.data_dir(), KEEP_BACKUPS);
        Ok(BackupInfo {
            bytes: std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0),
            path,
            taken_at: now,
            reason: reason.to_string(),
        })
    }

    /// Write all history (every attempt, answer, card, review and setting) to one file, a
    /// consistent SQLite snapshot that `import_history` reads back on any computer.
    /// Written beside the target first, then renamed, so a failed export leaves no half file.
    pub fn export_history(&self, to: &Path) -> Result<u64, StoreError> {
        let tmp = PathBuf::from(format!("{}.partial", to.display()));
        let _ = std::fs::remove_file(&tmp);
        self.conn
            .backup(rusqlite::MAIN_DB, &tmp, None)
            .map_err(|e| classify(&tmp, e))?;
        std::fs::rename(&tmp, to).map_err(|e| io_err(to, e))?;
        Ok(std::fs::metadata(to).map(|m| m.len()).unwrap_or(0))
    }

    /// Take the daily backup if the newest one is more than a day old.
    pub fn backup_if_due(&self) -> Result<Option<BackupInfo>, StoreError> {
        let newest = list_backups(&self.data_dir()).into_iter().next();
        let due = newest.is_none_or(|b| (Utc::now() - b.taken_at).num_seconds() >= DAY_SECS);
        if due {
            self.backup_now("daily").map(Some)
        } else {
            Ok(None)
        }
    }
}

fn prune(data_dir: &Path, keep: usize) {
    for old in list_backups(data_dir).into_iter().skip(keep) {
        let _ = std::fs::remove_file(old.path);
    }
}

/// Rename the database (and its WAL and shared-memory files) aside as
/// `certprep.sqlite3.<label>-<time>` so nothing is lost. Returns the new name of the main
/// file, or `None` if there was no file.
pub fn set_aside(data_dir: &Path, label: &str) -> Result<Option<PathBuf>, StoreError> {
    let db = data_dir.join(DB_FILE);
    if !db.exists() {
        return Ok(None);
    }
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
    let target = data_dir.join(format!("{DB_FILE}.{label}-{stamp}"));
    for suffix in ["", "-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", db.display()));
        if from.exists() {
            let to = PathBuf::from(format!("{}{suffix}", target.display()));
            std::fs::rename(&from, &to).map_err(|e| io_err(&from, e))?;
        }
    }
    Ok(Some(target))
}

/// Put the current database aside (labelled `aside`, e.g. "damaged") and copy `backup` in
/// its place, then open it. The caller must have closed its own connection.
pub fn restore_backup(data_dir: &Path, backup: &Path, aside: &str) -> Result<Store, StoreError> {
    // Check the backup opens before touching the current file.
    drop(Store::open_read_only(backup)?);
    set_aside(data_dir, aside)?;
    let db = data_dir.join(DB_FILE);
    std::fs::copy(backup, &db).map_err(|e| io_err(&db, e))?;
    Store::open(&db)
}

/// Replace the history with an exported file (from this or another computer). The file is
/// checked first (a certprep database, not newer than this version, intact); the current
/// database is kept aside as `certprep.sqlite3.before-import-<time>`.
pub fn import_history(data_dir: &Path, file: &Path) -> Result<Store, StoreError> {
    {
        let conn = Store::open_read_only(file)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| classify(file, e))?;
        let has_attempts: bool = conn
            .query_row(
                "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'attempts'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| classify(file, e))?;
        if version < 1 || !has_attempts {
            return Err(StoreError::Corrupt {
                path: file.to_path_buf(),
                detail: "this SQLite file is not a certprep history".into(),
            });
        }
        if version > super::SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: file.to_path_buf(),
                found: version,
                supported: super::SCHEMA_VERSION,
            });
        }
    }
    let mut store = restore_backup(data_dir, file, "before-import")?;
    // The file may come from another computer: this one must not write journals under that
    // computer's id, nor use its sync folder path (docs/sync.md).
    store.forget_sync_identity()?;
    Ok(store)
}

/// Put the damaged database aside and start with an empty one.
pub fn start_fresh(data_dir: &Path) -> Result<Store, StoreError> {
    set_aside(data_dir, "damaged")?;
    Store::open_in(data_dir)
}

impl Store {
    fn open_read_only(path: &Path) -> Result<rusqlite::Connection, StoreError> {
        let conn =
            rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .map_err(|e| classify(path, e))?;
        let ok: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| classify(path, e))?;
        if ok != "ok" {
            return Err(StoreError::Corrupt {
                path: path.to_path_buf(),
                detail: ok,
            });
        }
        Ok(conn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_list_prune_and_restore_after_damage() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in(dir.path()).unwrap();
        store
            .connection()
            .execute("INSERT INTO attempts (bank_id, bank_version, mode, seed, pass_percent, status, started_at) VALUES ('b','1','exam',1,70,'submitted','2026-01-01T00:00:00Z')", [])
            .unwrap();
        let first = store.backup_if_due().unwrap().expect("first backup is due");
        assert!(store.backup_if_due().unwrap().is_none(), "not twice a day");
        for i in 0..12 {
            store.backup_now(&format!("t{i}")).unwrap();
        }
        assert_eq!(list_backups(dir.path()).len(), KEEP_BACKUPS);
        drop(store);

        // Damage the live file; it must be kept aside, and the backup restored.
        let db = dir.path().join(DB_FILE);
        std::fs::write(&db, b"garbage garbage garbage".repeat(200)).unwrap();
        assert!(matches!(
            Store::open_in(dir.path()),
            Err(StoreError::Corrupt { .. })
        ));
        let newest = list_backups(dir.path()).remove(0);
        let restored = restore_backup(dir.path(), &newest.path, "damaged").unwrap();
        let n: i64 = restored
            .connection()
            .query_row("SELECT COUNT(*) FROM attempts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
        let damaged: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".damaged-"))
            .collect();
        assert_eq!(damaged.len(), 1, "the bad file is kept");
        let _ = first;
    }
}
