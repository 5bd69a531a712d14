use super::Cli;
use crate::bank::{LoadReport, load_banks};
use std::path::PathBuf;
use std::process::ExitCode;

/// `certprep validate [PATH...]`: the given folders, or every bank the app reads (built in,
/// the data folder's, `--banks`).
pub fn run(cli: &Cli, paths: &[PathBuf]) -> ExitCode {
    let (reports, searched) = if paths.is_empty() {
        let sources = cli.bank_sources();
        (vec![sources.load()], sources.to_string())
    } else {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        (
            paths.iter().map(|p| load_banks(p)).collect(),
            shown.join(", "),
        )
    };
    let mut failed = false;
    let mut found = 0;
    for report in &reports {
        found += report.banks.len() + report.failures.len();
        failed |= print(report);
    }
    if found == 0 {
        eprintln!("no banks found in {searched} (a bank is a folder with a bank.json)");
        failed = true;
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// One line per good bank (and its warnings) on stdout, every error on stderr; whether any
/// bank failed.
fn print(report: &LoadReport) -> bool {
    for bank in &report.banks {
        println!(
            "bank {}: {} in {}",
            bank.id(),
            crate::text::count(bank.questions.len(), "question", "questions"),
            crate::text::count(bank.manifest.domains.len(), "domain", "domains")
        );
        for w in &bank.warnings {
            println!("  warning: {w}");
        }
    }
    for failure in &report.failures {
        eprintln!(
            "bank at {}: {}",
            failure.dir.display(),
            crate::text::count(failure.errors.len(), "error", "errors")
        );
        for e in &failure.errors {
            eprintln!("{e}");
        }
    }
    !report.failures.is_empty()
}
