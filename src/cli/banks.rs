//! `certprep banks`: every bank the app reads, with where it comes from (built in, the data
//! folder's `question-banks/`, `--banks`), then the folders themselves and any bank that
//! was not loaded with the reason (a bad file, an id already taken).

use super::Cli;
use crate::bank_sources::FolderKind;
use std::process::ExitCode;

pub fn run(cli: &Cli) -> ExitCode {
    let sources = cli.bank_sources();
    let report = sources.load();
    for bank in &report.banks {
        let place = if bank.is_built_in() {
            "built in".to_string()
        } else {
            bank.root.display().to_string()
        };
        println!(
            "{}\t{}\t{}\t{place}",
            bank.id(),
            bank.manifest.title,
            crate::text::count(bank.questions.len(), "question", "questions"),
        );
    }
    println!();
    if sources.built_in {
        println!("built in: {}", crate::shipped::bank_folders().join(", "));
    }
    for folder in &sources.folders {
        let what = match folder.kind {
            FolderKind::DataFolder => "data folder",
            FolderKind::Given => "--banks",
        };
        let missing = if folder.path.is_dir() {
            ""
        } else {
            " (not created yet)"
        };
        println!("{what}: {}{missing}", folder.path.display());
    }
    println!("imports go to: {}", sources.import_to.display());
    for failure in &report.failures {
        eprintln!("not loaded: {}", failure.dir.display());
        for e in &failure.errors {
            eprintln!("  {e}");
        }
    }
    if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
