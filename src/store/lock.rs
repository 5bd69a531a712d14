//! One window per data folder: a second instance gets a clear message instead of fighting
//! over the database.

use super::StoreError;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

pub const LOCK_FILE: &str = "certprep.lock";

/// Held for as long as the window is open; the OS releases it if the process dies, so a
/// crash never leaves a stale lock behind.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
    pub path: PathBuf,
}

impl InstanceLock {
    pub fn acquire(data_dir: &Path) -> Result<InstanceLock, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let path = data_dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| StoreError::DataDir {
                path: path.clone(),
                source,
            })?;
        match file.try_lock() {
            Ok(()) => Ok(InstanceLock { _file: file, path }),
            Err(TryLockError::WouldBlock) => Err(StoreError::InUse {
                path: data_dir.to_path_buf(),
            }),
            Err(TryLockError::Error(source)) => Err(StoreError::DataDir { path, source }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_on_the_same_folder_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = InstanceLock::acquire(dir.path()).unwrap();
        let second = InstanceLock::acquire(dir.path());
        assert!(matches!(second, Err(StoreError::InUse { .. })));
        assert!(second.unwrap_err().to_string().contains("already open"));
        drop(first);
        assert!(InstanceLock::acquire(dir.path()).is_ok());
    }
}
