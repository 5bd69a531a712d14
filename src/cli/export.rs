//! `certprep export gift|moodle-xml|history|mastery --out FILE`.

use super::Cli;
use crate::bank::Bank;
use crate::store::{DB_FILE, Store};
use clap::Subcommand;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write a bank as a Moodle GIFT file (one $CATEGORY per skill area)
    Gift {
        /// Bank id
        #[arg(long, value_name = "ID")]
        bank: String,
        /// File to write ('-' for standard output)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Write a bank as a Moodle XML file (one category per skill area, explanations as
    /// general feedback)
    MoodleXml {
        /// Bank id
        #[arg(long, value_name = "ID")]
        bank: String,
        /// File to write ('-' for standard output)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Write every finished exam as a CSV row: date, bank, mode, score, score per skill area
    History {
        /// Only this bank's attempts
        #[arg(long, value_name = "ID")]
        bank: Option<String>,
        /// File to write ('-' for standard output)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Write mastery per skill area (and the predicted exam score) as CSV
    Mastery {
        /// Bank id
        #[arg(long, value_name = "ID")]
        bank: String,
        /// File to write ('-' for standard output)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

fn write_out(out: &Path, text: &str) -> Result<(), String> {
    if out == Path::new("-") {
        print!("{text}");
        return Ok(());
    }
    std::fs::write(out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))
}

fn find_bank(cli: &Cli, id: &str) -> Result<Bank, String> {
    let mut report = cli.bank_sources().load();
    match report.banks.iter().position(|b| b.id() == id) {
        Some(i) => Ok(report.banks.swap_remove(i)),
        None => {
            let known: Vec<&str> = report.banks.iter().map(|b| b.id()).collect();
            let mut msg = format!(
                "no bank \"{id}\" in {} (banks: {})",
                cli.bank_sources(),
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            );
            for f in &report.failures {
                if f.dir.file_name().is_some_and(|n| n == id) {
                    for e in &f.errors {
                        msg.push_str(&format!("\n{e}"));
                    }
                }
            }
            Err(msg)
        }
    }
}

/// The store, when the data folder has a database; exports never create one.
fn open_store(cli: &Cli) -> Result<Option<Store>, String> {
    let path = cli.data_dir().join(DB_FILE);
    if !path.is_file() {
        return Ok(None);
    }
    Store::open(&path).map(Some).map_err(|e| e.to_string())
}

pub fn run(cli: &Cli, cmd: &ExportCommand) -> ExitCode {
    super::finish(export(cli, cmd))
}

fn export(cli: &Cli, cmd: &ExportCommand) -> Result<String, String> {
    match cmd {
        ExportCommand::Gift { bank, out } | ExportCommand::MoodleXml { bank, out } => {
            let bank = find_bank(cli, bank)?;
            let text = match cmd {
                ExportCommand::Gift { .. } => crate::import::gift::export(&bank),
                _ => crate::import::moodle_xml::export(&bank),
            };
            write_out(out, &text)?;
            Ok(format!(
                "wrote {} in {} to {}",
                crate::text::count(bank.questions.len(), "question", "questions"),
                crate::text::count(bank.manifest.domains.len(), "skill area", "skill areas"),
                out.display()
            ))
        }
        ExportCommand::History { bank, out } => {
            let banks = cli.bank_sources().load().banks;
            let text = match open_store(cli)? {
                Some(store) => crate::export::history_csv(&store, &banks, bank.as_deref())
                    .map_err(|e| e.to_string())?,
                None => crate::export::HISTORY_COLUMNS.join(",") + "\n",
            };
            write_out(out, &text)?;
            let rows = text.lines().count().saturating_sub(1);
            Ok(format!("wrote {rows} attempts to {}", out.display()))
        }
        ExportCommand::Mastery { bank, out } => {
            let bank = find_bank(cli, bank)?;
            let now = chrono::Utc::now();
            let report = match open_store(cli)? {
                Some(store) => store
                    .load_cards(bank.id())
                    .and_then(|mut cards| {
                        crate::srs::drop_retired(&bank, &mut cards);
                        store.mastery_report(&bank, &cards, now)
                    })
                    .map_err(|e| e.to_string())?,
                None => crate::mastery::report(
                    &bank,
                    &HashMap::new(),
                    &crate::mastery::ModelInputs::for_bank(&bank),
                    now,
                ),
            };
            let text = crate::export::mastery_csv(&report).map_err(|e| e.to_string())?;
            write_out(out, &text)?;
            Ok(format!(
                "wrote mastery of {} to {}",
                crate::text::count(report.areas.len(), "skill area", "skill areas"),
                out.display()
            ))
        }
    }
}
