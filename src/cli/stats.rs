use super::Cli;
use crate::bank::Bank;
use std::process::ExitCode;

pub fn run(cli: &Cli, bank_id: Option<&str>) -> ExitCode {
    let report = cli.bank_sources().load();
    for f in &report.failures {
        for e in &f.errors {
            eprintln!("{e}");
        }
    }
    let banks: Vec<&Bank> = report
        .banks
        .iter()
        .filter(|b| bank_id.is_none_or(|id| b.id() == id))
        .collect();
    if banks.is_empty() {
        eprintln!("no bank {}", bank_id.unwrap_or("found"));
        return ExitCode::from(1);
    }
    for bank in banks {
        print!("{}", crate::stats::BankStats::of(bank).table());
    }
    if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
