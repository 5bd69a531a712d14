use super::Cli;
use crate::bank::load_banks;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(cli: &Cli, paths: &[PathBuf]) -> ExitCode {
    let paths = if paths.is_empty() {
        vec![cli.banks_dir()]
    } else {
        paths.to_vec()
    };
    let mut failed = false;
    let mut found = 0;
    for path in &paths {
        let report = load_banks(path);
        found += report.banks.len() + report.failures.len();
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
            failed = true;
            eprintln!(
                "bank at {}: {}",
                failure.dir.display(),
                crate::text::count(failure.errors.len(), "error", "errors")
            );
            for e in &failure.errors {
                eprintln!("{e}");
            }
        }
    }
    if found == 0 {
        eprintln!(
            "no banks found in {} (a bank is a folder with a bank.json)",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        failed = true;
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
