//! Exam-history and mastery CSV exports over a real SQLite file in a temp dir, through the
//! library and through the CLI.

use certprep::bank::{Bank, QuestionType, load_bank};
use certprep::exam::{ExamSession, Mode, assemble};
use certprep::export::{HISTORY_COLUMNS, MASTERY_COLUMNS, history_csv, mastery_csv};
use certprep::srs::Scheduler;
use certprep::store::{DB_FILE, NewAttempt, Store};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod common;
use common::repo;

fn banks_dir() -> PathBuf {
    repo().join("tests/data/banks")
}

fn mini() -> Bank {
    load_bank(&banks_dir().join("mini")).expect("fixture bank")
}

/// Take and submit one exam; `right` decides, per position, whether to answer correctly.
fn take_exam(store: &mut Store, bank: &Bank, seed: u64, right: impl Fn(usize) -> bool) -> i64 {
    let items = assemble(bank, 6, seed);
    let id = store
        .create_attempt(&NewAttempt {
            ..common::exam_attempt(bank, &items, seed, 50.0)
        })
        .unwrap();
    let mut s = ExamSession::new(id, bank.id(), Mode::Exam, seed, 50.0, items, None);
    for i in 0..s.len() {
        let q = bank.question(&s.items[i].question_id).unwrap().clone();
        let correct = q.correct_ids();
        if right(i) {
            for c in &correct {
                s.choose(i, c, &q);
            }
        } else {
            let wrong = q.options.iter().find(|o| !o.correct).unwrap().id.clone();
            s.choose(i, &wrong, &q);
            if q.kind == QuestionType::Multiple {
                assert!(!s.states[i].selected.is_empty());
            }
        }
    }
    s.submit(Instant::now(), false);
    let report = s.score(bank);
    let cards = store.load_cards(bank.id()).unwrap();
    let answered: Vec<certprep::srs::AnsweredItem> = report
        .items
        .iter()
        .map(|it| certprep::srs::AnsweredItem {
            question_id: it.question_id.clone(),
            right: it.is_correct,
            confidence: None,
        })
        .collect();
    let evidence = certprep::mastery::exam_evidence(
        bank,
        &cards,
        &store.model_inputs(bank).unwrap(),
        &Scheduler::new(0.9),
        &answered,
        chrono::Utc::now(),
        id,
    );
    store
        .finish_attempt(&s, Duration::from_secs(90), &report, &evidence)
        .unwrap();
    id
}

fn rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn col<'a>(rows: &'a [Vec<String>], row: usize, name: &str) -> &'a str {
    let i = rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    &rows[row][i]
}

/// A data folder with two finished exams on the mini bank and one left unfinished.
fn data_dir_with_history() -> (tempfile::TempDir, Vec<i64>) {
    let bank = mini();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let a = take_exam(&mut store, &bank, 1, |_| true);
    let b = take_exam(&mut store, &bank, 2, |i| i == 0);
    let items = assemble(&bank, 6, 3);
    store
        .create_attempt(&NewAttempt {
            bank_id: bank.id(),
            bank_version: "t1",
            mode: Mode::Study,
            seed: 3,
            pass_percent: 50.0,
            time_limit: None,
            items: &items,
            pack_id: None,
            title: None,
            practice: false,
        })
        .unwrap();
    (dir, vec![a, b])
}

#[test]
fn history_has_one_row_per_finished_exam_with_area_scores() {
    let (dir, ids) = data_dir_with_history();
    let store = Store::open_in(dir.path()).unwrap();
    let text = history_csv(&store, &[mini()], None).unwrap();
    let r = rows(&text);
    let mut header: Vec<String> = HISTORY_COLUMNS.iter().map(|s| s.to_string()).collect();
    header.extend(["area:plan", "area:ops", "area:data"].map(String::from));
    assert_eq!(r[0], header, "area columns in manifest order");
    assert_eq!(r.len(), 3, "unfinished attempts are not history:\n{text}");
    assert_eq!(col(&r, 1, "attempt_id"), ids[0].to_string(), "oldest first");
    assert_eq!(col(&r, 2, "attempt_id"), ids[1].to_string());
    assert_eq!(col(&r, 1, "bank"), "mini");
    assert_eq!(col(&r, 1, "mode"), "exam");
    assert_eq!(col(&r, 1, "status"), "submitted");
    assert_eq!(col(&r, 1, "total"), "6");
    assert_eq!(col(&r, 1, "correct"), "6");
    assert_eq!(col(&r, 1, "percent"), "100.0");
    assert_eq!(col(&r, 1, "passed"), "yes");
    assert_eq!(col(&r, 2, "correct"), "1");
    assert_eq!(col(&r, 2, "percent"), "16.7");
    assert_eq!(col(&r, 2, "passed"), "no");
    assert_eq!(col(&r, 1, "pass_percent"), "50");
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(col(&r, 1, "date"), today);
    assert!(col(&r, 1, "finished_at").starts_with(&today));
    // Area scores match what the store recorded.
    for (row, id) in ids.iter().enumerate() {
        for (domain, c, t) in store.attempt_domain_scores(*id).unwrap() {
            let want = format!("{:.1}", 100.0 * c as f64 / t as f64);
            assert_eq!(col(&r, row + 1, &format!("area:{domain}")), want);
        }
    }
    assert_eq!(col(&r, 1, "area:plan"), "100.0");

    // Filtering by another bank leaves only the header.
    let other = history_csv(&store, &[mini()], Some("cetl")).unwrap();
    assert_eq!(rows(&other).len(), 1);
}

#[test]
fn mastery_has_one_row_per_area_and_the_prediction() {
    let (dir, _) = data_dir_with_history();
    let store = Store::open_in(dir.path()).unwrap();
    let bank = mini();
    let cards = store.load_cards(bank.id()).unwrap();
    assert!(!cards.is_empty());
    let report = store
        .mastery_report(&bank, &cards, chrono::Utc::now())
        .unwrap();
    let text = mastery_csv(&report).unwrap();
    let r = rows(&text);
    assert_eq!(r[0], MASTERY_COLUMNS);
    assert_eq!(r.len(), 1 + bank.manifest.domains.len() + 1);
    for (i, a) in report.areas.iter().enumerate() {
        assert_eq!(r[i + 1][0], a.domain_id);
        assert_eq!(r[i + 1][1], a.name);
        assert_eq!(r[i + 1][3], a.total.to_string());
        assert_eq!(r[i + 1][4], a.seen.to_string());
        assert_eq!(r[i + 1][5], format!("{:.1}", 100.0 * a.mastery));
    }
    assert_eq!(r[1][2], "50.0", "plan weighs 50 of 100");
    let last = r.last().unwrap();
    assert_eq!(last[0], "overall");
    assert_eq!(last[4], cards.len().to_string());
    assert_eq!(
        last[5],
        format!("{:.1}", 100.0 * report.readiness.predicted)
    );
}

fn certprep(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_certprep"))
        .arg("--data-dir")
        .arg(data)
        .arg("--banks")
        .arg(banks_dir())
        .args(args)
        .output()
        .expect("binary runs")
}

#[test]
fn cli_exports_match_the_library() {
    let (dir, _) = data_dir_with_history();
    let out = tempfile::tempdir().unwrap();
    let history = out.path().join("history.csv");
    let o = certprep(
        dir.path(),
        &["export", "history", "--out", history.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let store = Store::open_in(dir.path()).unwrap();
    let written = std::fs::read_to_string(&history).unwrap();
    assert_eq!(written, history_csv(&store, &[mini()], None).unwrap());
    assert!(String::from_utf8_lossy(&o.stderr).contains("wrote 2 attempts"));

    let mastery = out.path().join("mastery.csv");
    let o = certprep(
        dir.path(),
        &[
            "export",
            "mastery",
            "--bank",
            "mini",
            "--out",
            mastery.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = rows(&std::fs::read_to_string(&mastery).unwrap());
    assert_eq!(r.len(), 5);
    assert_eq!(r[4][0], "overall");

    let o = certprep(
        dir.path(),
        &["export", "mastery", "--bank", "nope", "--out", "-"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no bank \"nope\""));
    let o = certprep(dir.path(), &["export", "mastery", "--out", "-"]);
    assert_eq!(o.status.code(), Some(2), "--bank is required");
}

#[test]
fn cli_exports_without_a_database_write_headers_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let o = certprep(dir.path(), &["export", "history", "--out", "-"]);
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        HISTORY_COLUMNS.join(",") + "\n"
    );
    let o = certprep(
        dir.path(),
        &["export", "mastery", "--bank", "mini", "--out", "-"],
    );
    assert!(o.status.success());
    let r = rows(&String::from_utf8_lossy(&o.stdout));
    assert_eq!(r.len(), 5);
    assert!(r[1..].iter().all(|row| row[4] == "0"), "nothing seen");
    assert!(!dir.path().join(DB_FILE).exists());
}
