//! `certprep data export FILE` / `certprep data import FILE`: all history as one file, to move
//! to another computer or keep safe.

use super::Cli;
use crate::store::Store;
use crate::store::lock::InstanceLock;
use crate::text::count;
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
            crate::store::backup::import_history(&data_dir, file).map(|r| {
                let c = r.counts;
                let mut msg = format!(
                    "imported {}: {}, {}, {}",
                    file.display(),
                    count(
                        c.finished as usize,
                        "finished exam or session",
                        "finished exams and sessions"
                    ),
                    count(c.answers as usize, "exam answer", "exam answers"),
                    count(c.reviews as usize, "review", "reviews"),
                );
                match &r.kept_aside {
                    Some(p) => msg.push_str(&format!(
                        "; your previous history was kept as {}",
                        p.display()
                    )),
                    None => msg.push_str("; there was no previous history to keep"),
                }
                msg
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
