//! Backups with SQLite's online backup API, and recovery from a damaged database file.
//!
//! A backup is taken before every schema migration and at most once a day; the newest
//! [`KEEP_BACKUPS`] are kept in `<data dir>/backups/`. A damaged database is never deleted:
//! it is renamed aside (`*.damaged-<time>`) before a backup is restored or a fresh one made.

use super::replace::{Purpose, Replaced, replace_database};
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

    /// Copy this database into the file at `to` with SQLite's backup API (a consistent
    /// snapshot, safe while the app runs); the destination connection is hardened too.
    fn backup_into(&self, to: &Path) -> rusqlite::Result<()> {
        let mut dst = rusqlite::Connection::open(to)?;
        super::harden(&dst)?;
        let b = rusqlite::backup::Backup::new(&self.conn, &mut dst)?;
        b.run_to_completion(256, std::time::Duration::from_millis(10), None)
    }

    /// Copy the live database into `backups/` and prune old copies. Safe while the app runs:
    /// the backup API copies a consistent snapshot.
    pub fn backup_now(&self, reason: &str) -> Result<BackupInfo, StoreError> {
        let dir = self.data_dir().join(BACKUP_DIR);
        std::fs::create_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
        let now = Utc::now();
        // Two backups in the same second (tests, a migration right after a daily one) get
        // `daily-2`, `daily-3`, ...; the name is taken with create_new, so a backup never
        // writes over another.
        let mut n = 1;
        let path = loop {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!("-{n}")
            };
            let path = dir.join(format!(
                "certprep-{}-{reason}{suffix}.sqlite3",
                now.format("%Y%m%dT%H%M%SZ")
            ));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(_) => break path,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 10_000 => n += 1,
                Err(e) => return Err(io_err(&path, e)),
            }
        };
        if let Err(e) = self.backup_into(&path) {
            let _ = std::fs::remove_file(&path);
            return Err(classify(&path, e));
        }
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
    /// Written beside the target under a new name first, then renamed, so a failed export
    /// leaves neither a half file nor an empty one.
    pub fn export_history(&self, to: &Path) -> Result<u64, StoreError> {
        let dir = match to.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = to
            .file_name()
            .map(|n| format!("{}.partial", n.to_string_lossy()))
            .unwrap_or_else(|| "certprep-history.partial".into());
        let tmp = crate::fsutil::reserve_new(&dir, &name).map_err(|e| StoreError::ReadOnly {
            path: to.to_path_buf(),
            detail: e.to_string(),
        })?;
        let mut temp = crate::fsutil::TempFiles::default();
        temp.add(tmp.clone());
        self.backup_into(&tmp).map_err(|e| classify(to, e))?;
        std::fs::rename(&tmp, to).map_err(|e| io_err(to, e))?;
        temp.keep(&tmp);
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

/// Keep the newest `keep` backups, and always the newest daily one: however many backups
/// come after it (an upgrade tried again and again, many manual ones), the last good daily
/// copy never leaves the retention window because of them.
fn prune(data_dir: &Path, keep: usize) {
    let all = list_backups(data_dir);
    let newest_daily = all
        .iter()
        .find(|b| b.reason == "daily")
        .map(|b| b.path.clone());
    for old in all.into_iter().skip(keep) {
        if Some(&old.path) != newest_daily.as_ref() {
            let _ = std::fs::remove_file(old.path);
        }
    }
}

/// Rename the database (and its WAL and shared-memory files) aside as
/// `certprep.sqlite3.<label>-<time>` (with `-2`, `-3`, ... when that name is taken: an
/// existing file is never replaced) so nothing is lost. Returns the new name of the main
/// file, or `None` if there was no file.
pub fn set_aside(data_dir: &Path, label: &str) -> Result<Option<PathBuf>, StoreError> {
    let db = data_dir.join(DB_FILE);
    if !db.exists() {
        return Ok(None);
    }
    let name = format!("{DB_FILE}.{label}-{}", crate::fsutil::stamp());
    let target =
        crate::fsutil::move_to_new_name(&db, data_dir, &name).map_err(|e| io_err(&db, e))?;
    for suffix in ["-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", db.display()));
        if from.exists() {
            let file = format!(
                "{}{suffix}",
                target
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            );
            crate::fsutil::move_to_new_name(&from, data_dir, &file)
                .map_err(|e| io_err(&from, e))?;
        }
    }
    crate::fsutil::sync_dir(data_dir);
    Ok(Some(target))
}

/// Put `backup` in place of the current database, which is kept as
/// `certprep.sqlite3.<aside>-<time>` (e.g. `damaged`, `before-restore`). The backup is
/// checked and copied as an imported history is ([`super::replace`]). The caller must have
/// closed its own connection.
pub fn restore_backup(data_dir: &Path, backup: &Path, aside: &str) -> Result<Replaced, StoreError> {
    replace_database(data_dir, backup, Purpose::Restore { aside })
}

/// Replace the history with an exported file (from this or another computer): read through
/// SQLite's backup API, checked, copied row by row into a fresh database, and only then put
/// in place; the current database is kept as `certprep.sqlite3.before-import-<time>`.
pub fn import_history(data_dir: &Path, file: &Path) -> Result<Replaced, StoreError> {
    let mut replaced = replace_database(data_dir, file, Purpose::Import)?;
    // The file may come from another computer: this one must not write journals under that
    // computer's id, nor use its sync folder path (docs/sync.md).
    replaced.store.forget_sync_identity()?;
    Ok(replaced)
}

/// Put the damaged database aside and start with an empty one; returns the new store and
/// where the damaged file went (if there was one).
pub fn start_fresh(data_dir: &Path) -> Result<(Store, Option<PathBuf>), StoreError> {
    let kept = set_aside(data_dir, "damaged")?;
    Ok((Store::open_in(data_dir)?, kept))
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
        // The newest ten, and the daily one however many came after it.
        let kept = list_backups(dir.path());
        assert_eq!(kept.len(), KEEP_BACKUPS + 1);
        assert!(kept.iter().any(|b| b.path == first.path));
        drop(store);

        // Damage the live file; it must be kept aside, and the backup restored.
        let db = dir.path().join(DB_FILE);
        std::fs::write(&db, b"garbage garbage garbage".repeat(200)).unwrap();
        assert!(matches!(
            Store::open_in(dir.path()),
            Err(StoreError::Corrupt { .. })
        ));
        let newest = list_backups(dir.path()).remove(0);
        let restored = restore_backup(dir.path(), &newest.path, "damaged")
            .unwrap()
            .store;
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
    }
}
