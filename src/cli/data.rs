//! `certprep data export FILE` / `certprep data import FILE`: all history as one file, to move
//! to another computer or keep safe.

use super::Cli;
use crate::store::Store;
use crate::store::lock::InstanceLock;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// Write every attempt, answer, card, review and setting to FILE (a SQLite snapshot)
    Export { file: PathBuf },
    /// Replace the history with FILE (the current database is kept aside, not deleted)
    Import { file: PathBuf },
}

pub fn run(cli: &Cli, cmd: &DataCommand) -> ExitCode {
    let data_dir = cli.data_dir();
    // Hold the one-window lock: the database must not change under an open window.
    let _lock = match InstanceLock::acquire(&data_dir) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let result = match cmd {
        DataCommand::Export { file } => Store::open_in(&data_dir)
            .and_then(|s| s.export_history(file))
            .map(|bytes| {
                format!(
                    "exported history to {} ({} KiB)",
                    file.display(),
                    bytes / 1024
                )
            }),
        DataCommand::Import { file } => {
            crate::store::backup::import_history(&data_dir, file).map(|s| {
                let n = s.recent_attempts(usize::MAX >> 1).map_or(0, |a| a.len());
                format!(
                    "imported {} ({n} finished exams); the previous database was kept aside in {}",
                    file.display(),
                    data_dir.display()
                )
            })
        }
    };
    match result {
        Ok(msg) => {
            println!("{msg}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
