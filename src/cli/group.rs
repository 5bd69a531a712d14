//! `certprep pack build|open` and `certprep group report`: shared mock exam packs and the
//! group readiness report (see `docs/group.md`).

use super::Cli;
use crate::bank::load_banks;
use crate::group::{ExamPack, FileKind, GroupReport, PackOptions, file_kind};
use chrono::NaiveDate;
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// Build a mock exam pack; the same arguments always give a byte-identical file
    Build {
        /// Bank id
        #[arg(long)]
        bank: String,
        /// Number of questions (drawn by the bank's blueprint weights)
        #[arg(long)]
        questions: usize,
        /// Time limit in minutes
        #[arg(long)]
        minutes: u32,
        /// Seed for the question draw and option order
        #[arg(long)]
        seed: u64,
        /// Put the questions themselves into the pack, for members without the bank
        #[arg(long)]
        embed: bool,
        /// Title shown to members (default: bank title, size and seed)
        #[arg(long)]
        title: Option<String>,
        /// Pass mark in percent (default: the bank's)
        #[arg(long, value_name = "PERCENT")]
        pass_percent: Option<f64>,
        /// First day the pack may be sat (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        opens: Option<NaiveDate>,
        /// Last day results are expected (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        closes: Option<NaiveDate>,
        /// Output file (conventionally *.certprep-exam.json)
        #[arg(long)]
        out: PathBuf,
    },
    /// Open the window on a pack, ready to sit it
    Open {
        /// The *.certprep-exam.json file
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Member × skill-area table, weakest areas, question statistics; rejected files listed
    Report {
        /// Result files (*.certprep-result.json) or folders of them; a *.certprep-exam.json
        /// among them fixes the pack the report is for
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Also write the report as CSV
        #[arg(long, value_name = "OUT")]
        csv: Option<PathBuf>,
    },
}

pub fn run_pack(cli: &Cli, cmd: &PackCommand) -> ExitCode {
    match cmd {
        PackCommand::Build {
            bank,
            questions,
            minutes,
            seed,
            embed,
            title,
            pass_percent,
            opens,
            closes,
            out,
        } => {
            let report = load_banks(&cli.banks_dir());
            let Some(b) = report.bank(bank) else {
                for f in report.failures.iter().filter(|f| f.dir.ends_with(bank)) {
                    for e in &f.errors {
                        eprintln!("{e}");
                    }
                }
                eprintln!("no bank \"{bank}\" in {}", cli.banks_dir().display());
                return ExitCode::from(1);
            };
            let opts = PackOptions {
                questions: *questions,
                minutes: *minutes,
                seed: *seed,
                embed: *embed,
                title: title.clone(),
                pass_percent: *pass_percent,
                opens: *opens,
                closes: *closes,
            };
            let pack = match ExamPack::build(b, &opts) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("cannot build the pack: {e}");
                    return ExitCode::from(2);
                }
            };
            if let Err(e) = std::fs::write(out, pack.to_json()) {
                eprintln!("cannot write {}: {e}", out.display());
                return ExitCode::from(1);
            }
            println!(
                "pack {}: {} questions, {} minutes{} -> {}",
                pack.pack_id,
                pack.items.len(),
                pack.time_limit_minutes,
                if pack.embedded.is_some() {
                    ", questions embedded"
                } else {
                    ""
                },
                out.display()
            );
            ExitCode::SUCCESS
        }
        // Checked here so a bad file fails without a window; the window is opened by main.
        PackCommand::Open { file } => match ExamPack::load(file) {
            Ok(_) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                ExitCode::from(1)
            }
        },
    }
}

/// A pack file named on the command line, with where it was found.
type PackArg = Option<(PathBuf, ExamPack)>;

/// Expand folders into their result files; sort out a pack given among the files.
fn gather(files: &[PathBuf]) -> Result<(PackArg, Vec<PathBuf>), String> {
    let mut pack = None;
    let mut results = Vec::new();
    for f in files {
        if f.is_dir() {
            let found = crate::group::result_files_in(f)
                .map_err(|e| format!("{}: cannot list the folder: {e}", f.display()))?;
            results.extend(found);
        } else {
            // A pack is known by its name or, failing that, by its content.
            let p = match ExamPack::load(f) {
                Ok(p) => Some(p),
                Err(e) if file_kind(f) == FileKind::Pack => {
                    return Err(format!("{}: {e}", f.display()));
                }
                Err(_) => None,
            };
            match p {
                Some(_) if pack.is_some() => return Err("give at most one exam pack".into()),
                Some(p) => pack = Some((f.clone(), p)),
                None => results.push(f.clone()),
            }
        }
    }
    Ok((pack, results))
}

pub fn run_group(cmd: &GroupCommand) -> ExitCode {
    match cmd {
        GroupCommand::Report { files, csv } => {
            let (pack, results) = match gather(files) {
                Ok(x) => x,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(1);
                }
            };
            let report = GroupReport::from_files(pack.as_ref().map(|(_, p)| p), &results);
            print!("{}", report.to_text());
            if let Some(out) = csv
                && let Err(e) = write_csv(out, &report)
            {
                eprintln!("cannot write {}: {e}", out.display());
                return ExitCode::from(1);
            }
            if report.members.is_empty() {
                eprintln!("no usable result files");
                ExitCode::from(1)
            } else if report
                .rejected
                .iter()
                .any(|r| !matches!(r.reason, crate::group::Rejection::Copy { .. }))
            {
                // Copies of a result (a sync tool's duplicates) are listed but are no error.
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

pub fn write_csv(out: &Path, report: &GroupReport) -> std::io::Result<()> {
    std::fs::write(out, report.to_csv())
}

/// The pack `certprep pack open FILE` asks the window to open, if any.
pub fn pack_to_open(cli: &Cli) -> Option<&Path> {
    match &cli.command {
        Some(super::Command::Pack {
            cmd: PackCommand::Open { file },
        }) => Some(file),
        _ => None,
    }
}
