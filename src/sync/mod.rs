//! Sync through a folder: one learner, several computers, no server.
//!
//! The learner picks a folder their own sync tool (OneDrive, Dropbox, Google Drive, iCloud
//! Drive, Syncthing, a file share) already copies between their computers. The SQLite
//! database never goes there: each computer keeps its own, and writes only its **own**
//! append-only journal files into the folder ([`journal`]): one checksummed line per change
//! ([`record`]), stamped by a hybrid logical clock ([`hlc`]). A pass ([`run_pass`]) reads the
//! other computers' journals (and any conflict copies the sync tool made), applies what is
//! new in one transaction, recomputes the FSRS cards the new reviews touch from the merged
//! review log, then writes this computer's new changes. Applying is idempotent: any order,
//! any number of copies, any delay gives the same database. docs/sync.md has the model and
//! the guarantees.

pub mod copies;
pub mod hlc;
pub mod journal;
pub mod record;
pub mod roots;
pub mod worker;

use crate::store::sync::FileBatch;
use crate::store::{Store, StoreError};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("certprep is not linked to a sync folder")]
    NotLinked,
    #[error(
        "the sync folder {path} is not there (is the drive connected, or did the sync tool move \
         it?); nothing was changed, and certprep will try again"
    )]
    FolderMissing { path: PathBuf },
    #[error(
        "{path} cannot be the sync folder: it is {why}. The database must stay out of the synced \
         folder; pick (or make) a folder of its own inside your sync tool's folder"
    )]
    BadFolder { path: PathBuf, why: &'static str },
    #[error("the sync folder {path} cannot be read: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "your changes could not be written to the sync folder {path}: {source}; they are safe in \
         the database and will be written on the next pass"
    )]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What one pass did, for the status line and the command line.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PassReport {
    /// Journal files in the folder.
    pub files: usize,
    /// Files read this pass (new or changed since they were last read in full).
    pub files_read: usize,
    /// Of those, copies made by the sync tool (conflict copies, duplicates).
    pub copies_read: usize,
    /// Records that changed this database.
    pub applied: usize,
    /// Records already here.
    pub unchanged: usize,
    /// Records waiting for another to arrive.
    pub pending: usize,
    /// Records of a kind from a newer certprep.
    pub unknown: usize,
    /// Lines that failed their checksum or were not records.
    pub bad_lines: usize,
    /// Files whose last line is still arriving.
    pub partial_files: usize,
    /// Files not read, with the reason.
    pub unreadable: Vec<String>,
    /// This computer's records written.
    pub written: usize,
    pub cards_recomputed: usize,
}

impl PassReport {
    /// Anything that will be tried again on the next pass.
    pub fn waiting(&self) -> usize {
        self.pending + self.unknown + self.bad_lines + self.partial_files + self.unreadable.len()
    }

    /// One line for people.
    pub fn summary(&self) -> String {
        let mut parts = vec![format!(
            "{} from other computers, {} of yours written",
            crate::text::count(self.applied, "change", "changes"),
            self.written
        )];
        if self.copies_read > 0 {
            parts.push(format!(
                "{} made by the sync tool read (duplicates are ignored)",
                crate::text::count(self.copies_read, "conflict copy", "conflict copies")
            ));
        }
        if self.pending + self.bad_lines + self.partial_files > 0 {
            parts.push(format!(
                "{} still arriving or damaged, tried again next time",
                crate::text::count(
                    self.pending + self.bad_lines + self.partial_files,
                    "record",
                    "records"
                )
            ));
        }
        if self.unknown > 0 {
            parts.push(format!(
                "{} from a newer certprep kept for when you update",
                crate::text::count(self.unknown, "record", "records")
            ));
        }
        for u in &self.unreadable {
            parts.push(format!("not read: {u}"));
        }
        parts.join("; ")
    }
}

/// This computer's name as others show it: the host name, or "this computer".
pub fn default_device_name() -> String {
    let host = gethostname::gethostname()
        .to_string_lossy()
        .trim()
        .to_string();
    if host.is_empty() || host == "localhost" {
        "another computer".to_string()
    } else {
        host
    }
}

/// Why `folder` cannot hold journals for the history in `data_dir`, if it cannot.
pub fn check_folder(data_dir: &Path, folder: &Path) -> Result<PathBuf, SyncError> {
    let canonical = std::fs::canonicalize(folder).map_err(|_| SyncError::FolderMissing {
        path: folder.to_path_buf(),
    })?;
    if !canonical.is_dir() {
        return Err(SyncError::BadFolder {
            path: folder.to_path_buf(),
            why: "not a folder",
        });
    }
    if let Ok(data) = std::fs::canonicalize(data_dir) {
        if canonical.starts_with(&data) {
            return Err(SyncError::BadFolder {
                path: folder.to_path_buf(),
                why: "inside the data folder",
            });
        }
        if data.starts_with(&canonical) {
            return Err(SyncError::BadFolder {
                path: folder.to_path_buf(),
                why: "a folder that holds the data folder (and so the database)",
            });
        }
    }
    Ok(canonical)
}

/// Link the history to `folder` and run the first pass, which merges both ways: everything
/// this computer has goes into its journal, everything the others wrote comes in.
pub fn link(
    store: &mut Store,
    data_dir: &Path,
    folder: &Path,
    name: Option<&str>,
) -> Result<PassReport, SyncError> {
    let folder = check_folder(data_dir, folder)?;
    store.set_sync_folder(Some(&folder))?;
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .or(store.device_name(store.device_id())?)
        .unwrap_or_else(default_device_name);
    store.set_device_name(&name)?;
    run_pass(store, &folder)
}

/// Stop syncing: the folder is forgotten; every record already merged stays here, and the
/// folder's files are left as they are (other computers still use them).
pub fn unlink(store: &Store) -> Result<(), SyncError> {
    store.set_sync_folder(None)?;
    Ok(())
}

/// Run one pass on the linked folder.
pub fn sync_now(store: &mut Store) -> Result<PassReport, SyncError> {
    let folder = store.sync_folder()?.ok_or(SyncError::NotLinked)?;
    run_pass(store, &folder)
}

/// Read what is new in `folder`, apply it, write this computer's new records.
///
/// The pass's commits leave the WAL as it is: copying a large merge's pages into the
/// database file (SQLite's checkpoint, 0.1 s of a 100,000-record merge) waits until the
/// pass has reported. The helper thread runs [`Store::checkpoint`] once the window has the
/// outcome; otherwise the next commit on any connection does it, or the last one to close.
pub fn run_pass(store: &mut Store, folder: &Path) -> Result<PassReport, SyncError> {
    store.set_auto_checkpoint(false)?;
    let result = pass(store, folder);
    let restored = store.set_auto_checkpoint(true);
    let report = result?;
    restored?;
    Ok(report)
}

/// Read and parse one changed journal file into a batch for the merge, counting in `report`
/// what was read (an unreadable file is listed and left for the next pass).
fn read_file(f: &journal::JournalFile, report: &mut PassReport) -> Option<FileBatch> {
    let parsed = match journal::read(f) {
        Ok(p) => p,
        Err(e) => {
            report.unreadable.push(format!("{}: {e}", f.name));
            return None;
        }
    };
    report.files_read += 1;
    if f.kind == journal::FileKind::Copy {
        report.copies_read += 1;
    }
    report.bad_lines += parsed.bad;
    report.partial_files += parsed.partial as usize;
    Some(FileBatch {
        name: f.name.clone(),
        len: f.len,
        mtime_ms: f.mtime_ms,
        clean: parsed.bad == 0 && !parsed.partial,
        records: parsed.records,
    })
}

fn pass(store: &mut Store, folder: &Path) -> Result<PassReport, SyncError> {
    if !folder.is_dir() {
        return Err(SyncError::FolderMissing {
            path: folder.to_path_buf(),
        });
    }
    store.stamp_legacy()?;
    let mut report = PassReport::default();
    let files = journal::list(folder).map_err(|source| SyncError::Read {
        path: folder.to_path_buf(),
        source,
    })?;
    report.files = files.len();
    let cache = store.sync_file_cache()?;
    let changed: Vec<journal::JournalFile> = files
        .into_iter()
        .filter(|f| cache.get(&f.name) != Some(&(f.len, f.mtime_ms)))
        .collect();
    if !changed.is_empty() {
        let (applied, read) = std::thread::scope(|s| {
            // Files are parsed on another core while the first are applied (parsing 100,000
            // records is 37 MB of JSON), and sent in order, so the merge sees them as listed.
            let (send, receive) = std::sync::mpsc::channel();
            let changed = &changed;
            let parse = move |send: std::sync::mpsc::Sender<FileBatch>| {
                let mut read = PassReport::default();
                for f in changed {
                    if let Some(batch) = read_file(f, &mut read)
                        && send.send(batch).is_err()
                    {
                        break;
                    }
                }
                read
            };
            let here = send.clone();
            match std::thread::Builder::new().spawn_scoped(s, move || parse(send)) {
                Ok(parser) => {
                    drop(here);
                    let applied = store.apply_stream(receive);
                    (applied, parser.join().unwrap_or_default())
                }
                // No thread to be had: every file parsed here first.
                Err(_) => {
                    let read = parse(here);
                    (store.apply_stream(receive), read)
                }
            }
        });
        let applied = applied?;
        report.files_read = read.files_read;
        report.copies_read = read.copies_read;
        report.bad_lines = read.bad_lines;
        report.partial_files = read.partial_files;
        report.unreadable = read.unreadable;
        report.applied = applied.applied;
        report.unchanged = applied.unchanged;
        report.pending = applied.pending;
        report.unknown = applied.unknown;
        report.cards_recomputed = applied.cards_recomputed;
    }
    let (records, mark) = store.export_records()?;
    let lines: Vec<String> = records.iter().map(journal::encode).collect();
    let written =
        journal::append(folder, store.device_id(), &lines).map_err(|source| SyncError::Write {
            path: folder.to_path_buf(),
            source,
        })?;
    store.mark_exported(&mark, &written)?;
    report.written = records.len();
    Ok(report)
}
