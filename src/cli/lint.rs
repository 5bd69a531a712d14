//! `certprep lint [BANK|PATH]...`: the item-writing check (see `crate::lint`).
//!
//! Each argument is a bank id in the banks folder, a bank folder, a folder of banks, or a
//! GIFT (`.gift`, `.txt`), Moodle XML (`.xml`) or CSV (`.csv`) file, checked as the Import
//! screen would import it.
//! Exit 0 when nothing is wrong beyond warnings, 1 on errors (a bank that does not load, an
//! item whose keys contradict its stem), and also on leaking cues with `--deny-leaks`.

use super::Cli;
use crate::bank::{Bank, load_banks};
use crate::import::ImportOptions;
use crate::lint::{LintReport, lint_bank};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What one argument named.
enum Target {
    /// Every bank the app reads (no argument).
    AllBanks,
    Banks(PathBuf),
    Import(PathBuf),
    BankId(String),
}

fn target(arg: &Path) -> Target {
    let ext = arg
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if arg.is_file() && matches!(ext.as_deref(), Some("gift" | "txt" | "csv" | "xml")) {
        Target::Import(arg.to_path_buf())
    } else if arg.is_dir() {
        Target::Banks(arg.to_path_buf())
    } else {
        Target::BankId(arg.to_string_lossy().into_owned())
    }
}

pub fn run(cli: &Cli, args: &[PathBuf], deny_leaks: bool) -> ExitCode {
    let targets: Vec<Target> = if args.is_empty() {
        vec![Target::AllBanks]
    } else {
        args.iter().map(|a| target(a)).collect()
    };
    let mut failed = false;
    // Print one report; whether it fails the run.
    let print = |title: String, report: &LintReport| {
        println!("{title}");
        print!("{}", report.table());
        println!();
        report.errors() > 0 || (deny_leaks && !report.leaks().is_empty())
    };
    for t in targets {
        match t {
            Target::AllBanks | Target::Banks(_) => {
                let (report, searched) = match &t {
                    Target::Banks(dir) => (load_banks(dir), dir.display().to_string()),
                    _ => (cli.bank_sources().load(), cli.bank_sources().to_string()),
                };
                if report.banks.is_empty() && report.failures.is_empty() {
                    eprintln!("no banks found in {searched} (a bank is a folder with a bank.json)");
                    failed = true;
                }
                for f in &report.failures {
                    eprintln!("bank at {} does not load:", f.dir.display());
                    for e in &f.errors {
                        eprintln!("{e}");
                    }
                    failed = true;
                }
                for bank in &report.banks {
                    failed |= print(title(bank), &lint_bank(bank));
                }
            }
            Target::BankId(id) => {
                let sources = cli.bank_sources();
                let report = sources.load();
                match report.bank(&id) {
                    Some(bank) => failed |= print(title(bank), &lint_bank(bank)),
                    None => {
                        eprintln!(
                            "{id}: not a file, a folder, or a bank in {sources} ({})",
                            report
                                .banks
                                .iter()
                                .map(|b| b.id())
                                .collect::<Vec<_>>()
                                .join(", ")
                        );
                        failed = true;
                    }
                }
            }
            Target::Import(path) => match import(&path) {
                Ok(import) => {
                    for s in &import.skipped {
                        eprintln!("{}:{}: skipped: {}", path.display(), s.line, s.reason);
                    }
                    failed |= print(
                        format!(
                            "{} (as imported: {} questions)",
                            path.display(),
                            import.questions.len()
                        ),
                        &import.lint(&path),
                    )
                }
                Err(e) => {
                    eprintln!("{e}");
                    failed = true;
                }
            },
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn title(bank: &Bank) -> String {
    format!(
        "bank {} ({}, version {}) at {}",
        bank.id(),
        bank.manifest.title,
        bank.manifest.version,
        bank.root.display()
    )
}

fn import(path: &Path) -> Result<crate::import::Import, String> {
    let opts = ImportOptions {
        bank_id: "lint".into(),
        title: None,
    };
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
    {
        return crate::import::moodle_xml::parse(&super::import::read_xml(path)?, &opts)
            .map_err(|e| format!("{}: {e}", path.display()));
    }
    let text = super::import::read(path)?;
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        crate::import::csv::parse(&text, &opts).map_err(|e| format!("{}: {e}", path.display()))
    } else {
        Ok(crate::import::gift::parse(&text, &opts))
    }
}
