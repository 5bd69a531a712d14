//! `certprep reports export --out FILE`: every question report as CSV, for the bank's author
//! (columns in docs/question-reports.md).

use super::Cli;
use crate::store::{DB_FILE, Store};
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum ReportsCommand {
    /// Write every question report as CSV: bank, question id, area, kind, text, reported at
    Export {
        /// File to write ('-' for standard output)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

pub fn run(cli: &Cli, cmd: &ReportsCommand) -> ExitCode {
    super::finish(export(cli, cmd))
}

fn export(cli: &Cli, cmd: &ReportsCommand) -> Result<String, String> {
    let ReportsCommand::Export { out } = cmd;
    let banks = cli.bank_sources().load().banks;
    // A data folder without a database has no reports; the export never creates one.
    let path = cli.data_dir().join(DB_FILE);
    let (text, n) = if path.is_file() {
        let store = Store::open(&path).map_err(|e| e.to_string())?;
        crate::export::store_reports_csv(&store, &banks).map_err(|e| e.to_string())?
    } else {
        (crate::export::REPORT_COLUMNS.join(",") + "\n", 0)
    };
    if out == Path::new("-") {
        print!("{text}");
    } else {
        std::fs::write(out, &text).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    }
    Ok(format!(
        "wrote {} to {}",
        crate::text::count(n, "question report", "question reports"),
        out.display()
    ))
}
