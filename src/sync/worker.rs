//! Passes off the window's thread: a helper thread opens its own connection to the database
//! for each pass (SQLite in WAL mode lets it write while the window reads; the shared clock
//! row keeps stamps in order), so a slow folder or a first link never freezes the window.

use super::{PassReport, run_pass};
use crate::store::Store;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};

/// What a finished pass tells the window.
#[derive(Debug, Clone)]
pub struct PassOutcome {
    pub folder: PathBuf,
    pub result: Result<PassReport, String>,
    pub finished_at: chrono::DateTime<chrono::Utc>,
}

/// One helper thread running passes on request, one at a time.
pub struct SyncWorker {
    requests: Sender<PathBuf>,
    outcomes: Receiver<PassOutcome>,
    running: bool,
}

impl SyncWorker {
    /// Start the helper for the database at `db_path`.
    pub fn start(db_path: PathBuf) -> SyncWorker {
        let (requests, todo) = channel::<PathBuf>();
        let (done, outcomes) = channel();
        std::thread::Builder::new()
            .name("certprep-sync".into())
            .spawn(move || {
                // Ends when the window drops its sender.
                while let Ok(folder) = todo.recv() {
                    let (result, store) = match Store::open(&db_path) {
                        Ok(mut store) => {
                            let r = run_pass(&mut store, &folder).map_err(|e| e.to_string());
                            (r, Some(store))
                        }
                        Err(e) => (Err(super::SyncError::from(e).to_string()), None),
                    };
                    let outcome = PassOutcome {
                        folder,
                        result,
                        finished_at: chrono::Utc::now(),
                    };
                    if done.send(outcome).is_err() {
                        break;
                    }
                    // The window has the outcome; the pass's pages are copied into the
                    // database here, so no later commit of the window's waits for it. A
                    // failure leaves them in the WAL for the next checkpoint: nothing is lost.
                    if let Some(store) = store {
                        let _ = store.checkpoint();
                    }
                }
            })
            .ok();
        SyncWorker {
            requests,
            outcomes,
            running: false,
        }
    }

    /// Ask for a pass unless one is running. Returns whether one was started.
    pub fn request(&mut self, folder: PathBuf) -> bool {
        if self.running {
            return false;
        }
        self.running = self.requests.send(folder).is_ok();
        self.running
    }

    pub fn is_running(&self) -> bool {
        self.running
    }

    /// The outcome of the pass that finished, if one did since the last call.
    pub fn poll(&mut self) -> Option<PassOutcome> {
        let outcome = self.outcomes.try_recv().ok()?;
        self.running = false;
        Some(outcome)
    }
}
