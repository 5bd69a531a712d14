//! Hidden helper for the crash test: answers questions through the real store as fast as it
//! can and prints `ack <attempt> <position> <option>` after each answer is committed, so a
//! test can kill it at any moment and check that every acknowledged answer survived.

use super::Cli;
use crate::exam::{ExamSession, Mode, assemble};
use crate::store::{NewAttempt, Store};
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

pub fn run(cli: &Cli, bank_id: &str, answers: usize) -> ExitCode {
    match write_answers(cli, bank_id, answers) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("crash-writer: {e}");
            ExitCode::from(1)
        }
    }
}

fn write_answers(cli: &Cli, bank_id: &str, answers: usize) -> Result<(), String> {
    let report = cli.bank_sources().load();
    let bank = report
        .bank(bank_id)
        .ok_or_else(|| format!("no bank {bank_id}"))?;
    let mut store = Store::open_in(&cli.data_dir()).map_err(|e| e.to_string())?;
    let stdout = std::io::stdout();
    let mut written = 0;
    while written < answers {
        let mut session = match store.unfinished_attempt().map_err(|e| e.to_string())? {
            Some(a) => {
                store
                    .load_session(a.id)
                    .map_err(|e| e.to_string())?
                    .ok_or("attempt vanished")?
                    .session
            }
            None => {
                let items = assemble(bank, 6, written as u64);
                let id = store
                    .create_attempt(&NewAttempt {
                        bank_id: bank.id(),
                        bank_version: &bank.manifest.version,
                        mode: Mode::Exam,
                        seed: written as u64,
                        pass_percent: 50.0,
                        time_limit: Some(Duration::from_secs(600)),
                        items: &items,
                        pack_id: None,
                        title: None,
                        practice: false,
                    })
                    .map_err(|e| e.to_string())?;
                ExamSession::new(id, bank.id(), Mode::Exam, 0, 50.0, items, None)
            }
        };
        for pos in session.unanswered() {
            let q = bank
                .question(&session.items[pos].question_id)
                .ok_or("question missing")?;
            let option = session.items[pos].option_order[pos % q.options.len()].clone();
            session.choose(pos, &option, q);
            store
                .save_item(
                    session.attempt_id,
                    pos,
                    &session.states[pos],
                    Duration::ZERO,
                    pos,
                )
                .map_err(|e| e.to_string())?;
            let mut out = stdout.lock();
            let _ = writeln!(out, "ack {} {pos} {option}", session.attempt_id);
            let _ = out.flush();
            written += 1;
        }
        session.submit(Instant::now(), false);
        let report = session.score(bank);
        store
            .finish_attempt(&session, Duration::ZERO, &report, &Default::default())
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
