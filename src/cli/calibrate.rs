//! `certprep group calibrate`: a Rasch calibration pooled from result files of any packs
//! drawn from one bank, printed and optionally saved for readiness.

use super::Cli;
use crate::group::ReportInput;
use crate::group::calibration::pooled;
use crate::text::escape_controls;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(cli: &Cli, bank_id: &str, files: &[PathBuf], save: bool) -> ExitCode {
    let banks = cli.bank_sources().load();
    let Some(bank) = banks.banks.iter().find(|b| b.id() == bank_id) else {
        eprintln!(
            "no bank {} among the loaded banks",
            escape_controls(bank_id)
        );
        return ExitCode::from(1);
    };
    let mut paths = Vec::new();
    for f in files {
        if f.is_dir() {
            match crate::group::result_files_in(f) {
                Ok(found) => paths.extend(found),
                Err(e) => {
                    eprintln!(
                        "{}: cannot list the folder: {e}",
                        escape_controls(&f.display().to_string())
                    );
                    return ExitCode::from(1);
                }
            }
        } else {
            paths.push(f.clone());
        }
    }
    let inputs = paths
        .iter()
        .map(|p| {
            let input = ReportInput::load(p);
            (input.path, input.result)
        })
        .collect();
    let pooled = pooled(bank, inputs);
    print!("{}", text(&pooled));
    for (path, why) in &pooled.skipped {
        eprintln!(
            "left out {}: {}",
            escape_controls(&path.display().to_string()),
            escape_controls(why)
        );
    }
    if pooled.calibration.is_err() {
        return ExitCode::from(1);
    }
    if save {
        let Some(saved) = pooled.saved(bank.id(), chrono::Utc::now()) else {
            return ExitCode::from(1);
        };
        match saved.save(&cli.data_dir()) {
            Ok(path) => println!("saved to {}", escape_controls(&path.display().to_string())),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(1);
            }
        }
    }
    ExitCode::SUCCESS
}

/// The calibration as a table: one line per question with a difficulty or the reason it has
/// none.
pub fn text(p: &crate::group::calibration::Pooled) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} from {}, {} questions",
        crate::text::count(p.used, "result", "results"),
        crate::text::count(p.packs, "pack", "packs"),
        p.question_ids.len()
    );
    match &p.calibration {
        Err(e) => {
            let _ = writeln!(s, "No Rasch calibration: {e}.");
        }
        Ok(c) => {
            let _ = writeln!(
                s,
                "{} members and {} answers used; difficulties sum to zero\n{:<24} {:>10} {:>6} {:>6} {:>6}  status",
                c.members_used, c.responses_used, "question", "difficulty", "SE", "infit", "outfit"
            );
            for (id, e) in p.question_ids.iter().zip(&c.items) {
                let f = |v: Option<f64>| v.map_or("-".into(), |x| format!("{x:.2}"));
                let _ = writeln!(
                    s,
                    "{:<24} {:>10} {:>6} {:>6} {:>6}  {}",
                    escape_controls(id),
                    e.difficulty.map_or("-".into(), |d| format!("{d:+.2}")),
                    f(e.se),
                    f(e.infit),
                    f(e.outfit),
                    if e.misfits() {
                        "misfit"
                    } else {
                        e.status.describe()
                    }
                );
            }
        }
    }
    s
}
