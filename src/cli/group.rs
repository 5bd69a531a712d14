//! `certprep pack build|open` and `certprep group report`: shared mock exam packs and the
//! group readiness report (see `docs/group.md`).

use super::Cli;
use crate::group::{ExamPack, FileKind, GroupReport, PackOptions, file_kind};
use crate::text::escape_controls;
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
        /// among them (or the one pack in a given folder) fixes the pack the report is for.
        /// Scores are worked out from the answers against the pack's embedded questions or
        /// the bank it was built from (--banks)
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Also write the report as CSV
        #[arg(long, value_name = "OUT")]
        csv: Option<PathBuf>,
    },
    /// Rasch calibration of a bank's questions, pooled from result files of any packs drawn
    /// from it (docs/group.md)
    Calibrate {
        /// Bank id the packs were drawn from
        #[arg(long)]
        bank: String,
        /// Result files or folders of them
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Save it in the data folder: readiness then uses it for this bank
        #[arg(long)]
        save: bool,
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
            let report = cli.bank_sources().load();
            let Some(b) = report.bank(bank) else {
                for f in report.failures.iter().filter(|f| f.dir.ends_with(bank)) {
                    for e in &f.errors {
                        eprintln!("{e}");
                    }
                }
                eprintln!("no bank \"{bank}\" in {}", cli.bank_sources());
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
                "pack {}: {}, {}{} -> {}",
                pack.pack_id,
                crate::text::count(pack.items.len(), "question", "questions"),
                crate::text::count(pack.time_limit_minutes as usize, "minute", "minutes"),
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
                eprintln!("{}: {}", shown(file), escape_controls(&e.to_string()));
                ExitCode::from(1)
            }
        },
    }
}

/// A pack file named on the command line, with where it was found.
type PackArg = Option<(PathBuf, ExamPack)>;

/// Expand folders into their result files; sort out a pack given among the files, or the
/// single pack of a given folder.
fn gather(files: &[PathBuf]) -> Result<(PackArg, Vec<PathBuf>), String> {
    let mut pack = None;
    let mut results = Vec::new();
    let mut folder_packs = Vec::new();
    for f in files {
        if f.is_dir() {
            let found = crate::group::result_files_in(f)
                .map_err(|e| format!("{}: cannot list the folder: {e}", shown(f)))?;
            results.extend(found);
            folder_packs.extend(crate::group::pack_files_in(f).unwrap_or_default());
        } else {
            // A pack is known by its name or, failing that, by its content.
            let p = match ExamPack::load(f) {
                Ok(p) => Some(p),
                Err(e) if file_kind(f) == FileKind::Pack => {
                    return Err(format!("{}: {e}", shown(f)));
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
    if pack.is_none()
        && let [only] = folder_packs.as_slice()
        && let Ok(p) = ExamPack::load(only)
    {
        pack = Some((only.clone(), p));
    }
    Ok((pack, results))
}

/// A path for a terminal line: control characters escaped.
fn shown(p: &Path) -> String {
    escape_controls(&p.display().to_string())
}

pub fn run_group(cli: &Cli, cmd: &GroupCommand) -> ExitCode {
    match cmd {
        GroupCommand::Calibrate { bank, files, save } => {
            super::calibrate::run(cli, bank, files, *save)
        }
        GroupCommand::Report { files, csv } => {
            let (pack, results) = match gather(files) {
                Ok(x) => x,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(1);
                }
            };
            let banks = cli.bank_sources().load();
            let report =
                GroupReport::from_files(pack.as_ref().map(|(_, p)| p), &banks.banks, &results);
            print!("{}", report.to_text());
            if let Some(out) = csv
                && let Err(e) = write_csv(out, &report)
            {
                eprintln!("cannot write {}: {e}", shown(out));
                return ExitCode::from(1);
            }
            let conflicts = report.members.iter().any(|m| !m.conflict.is_empty());
            if report.members.is_empty() {
                eprintln!("no usable result files");
                ExitCode::from(1)
            } else if conflicts
                || report
                    .rejected
                    .iter()
                    .any(|r| !matches!(r.reason, crate::group::Rejection::DuplicateCopy { .. }))
            {
                // An identical copy of a result (a sync tool's duplicate) is listed but loses
                // nothing: no error.
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
