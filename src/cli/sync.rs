//! `certprep sync …`: link the history to a folder a sync tool copies between computers,
//! run a pass, show the state, unlink (docs/sync.md).

use super::Cli;
use crate::store::Store;
use crate::store::lock::InstanceLock;
use crate::sync::{self, SyncError};
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Sync through FOLDER (a folder of its own inside OneDrive, Dropbox, Syncthing, …): the
    /// first pass merges this computer's history with what the others wrote there
    Link {
        folder: PathBuf,
        /// This computer's name as the others show it (default: the host name)
        #[arg(long)]
        name: Option<String>,
    },
    /// Read the other computers' changes and write this one's, now
    Now,
    /// The linked folder, this computer's name and id, the computers seen
    Status,
    /// Stop syncing; all history stays here, and the folder's files are left for the others
    Unlink,
}

pub fn run(cli: &Cli, cmd: &SyncCommand) -> ExitCode {
    let data_dir = cli.data_dir();
    // One window or command at a time on a data folder.
    let _lock = match InstanceLock::acquire(&data_dir) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let mut store = match Store::open_in(&data_dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let result = match cmd {
        SyncCommand::Link { folder, name } => {
            sync::link(&mut store, &data_dir, folder, name.as_deref()).map(|r| {
                format!(
                    "linked to {}; first pass: {}",
                    store.sync_folder().ok().flatten().unwrap_or_default().display(),
                    r.summary()
                )
            })
        }
        SyncCommand::Now => sync::sync_now(&mut store).map(|r| r.summary()),
        SyncCommand::Status => status(&store).map_err(SyncError::from),
        SyncCommand::Unlink => sync::unlink(&store).map(|()| {
            "unlinked: your history stays here; the folder's files were left for your other computers"
                .to_string()
        }),
    };
    match result {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}

fn status(store: &Store) -> Result<String, crate::store::StoreError> {
    let me = store.device_id().to_string();
    let mut lines = vec![match store.sync_folder()? {
        Some(f) => format!("linked to {}", f.display()),
        None => "not linked (certprep sync link FOLDER)".to_string(),
    }];
    let name = store
        .device_name(&me)?
        .unwrap_or_else(sync::default_device_name);
    lines.push(format!("this computer: {name} ({me})"));
    for (id, name) in store.device_names()? {
        if id != me {
            lines.push(format!("other computer: {name} ({id})"));
        }
    }
    Ok(lines.join("\n"))
}
