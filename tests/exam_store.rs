//! Integration: real bank files, a real SQLite file in a temp dir, the real binary.

use certprep::bank::{QuestionType, load_bank, load_banks};
use certprep::exam::{ExamSession, Mode, assemble};
use certprep::store::{NewAttempt, Store};
use std::path::Path;
use std::time::{Duration, Instant};

mod common;
use common::{certprep, repo};

fn mini() -> certprep::bank::Bank {
    load_bank(&repo().join("tests/data/banks/mini")).expect("fixture bank loads")
}

#[test]
fn shipped_banks_all_load() {
    let report = load_banks(&repo().join("question-banks"));
    let problems: Vec<String> = report
        .failures
        .iter()
        .flat_map(|f| f.errors.iter().map(|e| e.to_string()))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    let cetl = report.bank("cetl").expect("cetl bank ships");
    assert_eq!(cetl.manifest.domains.len(), 10);
    for (domain, n) in cetl.domain_counts() {
        assert!(n >= 5, "{domain} has only {n} questions");
    }
}

#[test]
fn blueprint_exam_from_the_shipped_bank_follows_the_weights() {
    let report = load_banks(&repo().join("question-banks"));
    let cetl = report.bank("cetl").expect("cetl bank ships");
    let n = 50.min(cetl.questions.len());
    let exam = assemble(cetl, n, 2026);
    assert_eq!(exam.len(), n);
    assert_eq!(exam, assemble(cetl, n, 2026), "seed reproduces the exam");
    let bp = certprep::exam::Blueprint::for_bank(cetl, n);
    for (domain, want) in &bp.counts {
        let got = exam
            .iter()
            .filter(|i| &cetl.question(&i.question_id).unwrap().domain == domain)
            .count();
        assert_eq!(got, *want, "{domain}");
    }
}

/// Answers are written as they are given: after dropping the store without submitting
/// (as a crash would), reopening finds every answer, flag and the used time.
#[test]
fn answers_written_mid_exam_survive_reopening_the_store() {
    let bank = mini();
    let dir = tempfile::tempdir().unwrap();
    let items = assemble(&bank, 6, 11);
    let attempt_id;
    let mut expected = Vec::new();
    {
        let mut store = Store::open_in(dir.path()).unwrap();
        attempt_id = store
            .create_attempt(&NewAttempt {
                time_limit: Some(Duration::from_secs(600)),
                ..common::exam_attempt(&bank, &items, 11, 50.0)
            })
            .unwrap();
        let mut s = ExamSession::new(
            attempt_id,
            bank.id(),
            Mode::Exam,
            11,
            50.0,
            items.clone(),
            Some(Duration::from_secs(600)),
        );
        let t0 = Instant::now();
        s.clock.start(t0);
        for i in 0..4 {
            let q = bank.question(&s.items[i].question_id).unwrap();
            let opt = s.items[i].option_order[i % 2].clone();
            assert!(s.choose(i, &opt, q));
            if i == 2 {
                s.toggle_flag(i);
            }
            s.current = i;
            store
                .save_item(
                    attempt_id,
                    i,
                    &s.states[i],
                    Duration::from_secs(30 * (i as u64 + 1)),
                    i,
                )
                .unwrap();
            expected.push(s.states[i].clone());
        }
        // No submit, no close: the store is simply dropped.
    }
    let store = Store::open_in(dir.path()).unwrap();
    let unfinished = store
        .unfinished_attempt()
        .unwrap()
        .expect("offered for resume");
    assert_eq!(unfinished.id, attempt_id);
    let loaded = store.load_session(attempt_id).unwrap().unwrap().session;
    assert_eq!(loaded.items, items);
    assert_eq!(&loaded.states[..4], &expected[..]);
    assert!(loaded.states[4..].iter().all(|s| !s.has_pick()));
    assert_eq!(loaded.current, 3);
    assert_eq!(
        loaded.clock.remaining(Instant::now()),
        Some(Duration::from_secs(600 - 120))
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn finishing_records_scores_per_area_and_history() {
    let bank = mini();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let items = assemble(&bank, 10, 5);
    let id = store
        .create_attempt(&NewAttempt {
            bank_id: bank.id(),
            bank_version: "t1",
            mode: Mode::Exam,
            seed: 5,
            pass_percent: 50.0,
            time_limit: None,
            items: &items,
            pack_id: None,
            title: None,
            practice: false,
        })
        .unwrap();
    let mut s = ExamSession::new(id, bank.id(), Mode::Exam, 5, 50.0, items, None);
    // Correct answers everywhere except the multiple-answer question, half-answered.
    for i in 0..s.len() {
        let q = bank.question(&s.items[i].question_id).unwrap().clone();
        if q.kind == QuestionType::Multiple {
            s.choose(i, "a", &q);
        } else {
            s.choose(i, &q.correct_ids()[0], &q);
        }
    }
    s.submit(Instant::now(), false);
    let report = s.score(&bank);
    store
        .finish_attempt(&s, Duration::from_secs(100), &report, &Default::default())
        .unwrap();
    drop(store);
    let store = Store::open_in(dir.path()).unwrap();
    let summary = store.attempt_summary(id).unwrap().unwrap();
    assert_eq!((summary.correct, summary.total), (Some(9), Some(10)));
    let per_area = store.attempt_domain_scores(id).unwrap();
    assert_eq!(
        per_area,
        vec![
            ("data".to_string(), 1, 2),
            ("ops".to_string(), 3, 3),
            ("plan".to_string(), 5, 5)
        ]
    );
    assert_eq!(
        store.question_history("mini", "data-1").unwrap(),
        Some((1, 0))
    );
    assert_eq!(
        store.question_history("mini", "plan-1").unwrap(),
        Some((1, 1))
    );
    assert!(store.unfinished_attempt().unwrap().is_none());
}

fn write_bank(dir: &Path, questions: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::copy(
        repo().join("tests/data/banks/mini/bank.json"),
        dir.join("bank.json"),
    )
    .unwrap();
    std::fs::write(dir.join("questions.json"), questions).unwrap();
}

#[test]
fn validate_prints_one_line_per_good_bank_and_exits_0() {
    let out = certprep(&[
        "validate",
        repo().join("tests/data/banks").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "bank mini: 10 questions in 3 domains"
    );
}

#[test]
fn validate_exits_1_with_file_line_column_on_a_malformed_bank() {
    let root = tempfile::tempdir().unwrap();
    let bad = root.path().join("broken");
    // Line 4 has a typo'd field name.
    write_bank(
        &bad,
        "[\n  {\"id\": \"q1\", \"domain\": \"plan\", \"type\": \"single\", \"stem\": \"S?\",\n   \"options\": [\n     {\"id\": \"a\", \"text\": \"x\", \"corect\": true},\n     {\"id\": \"b\", \"text\": \"y\"}]}\n]\n",
    );
    let good = root.path().join("good");
    std::fs::create_dir_all(&good).unwrap();
    for f in ["bank.json", "questions.json"] {
        std::fs::copy(repo().join("tests/data/banks/mini").join(f), good.join(f)).unwrap();
    }
    let out = certprep(&["validate", root.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expected = format!("{}:4:", bad.join("questions.json").display());
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(stderr.contains("unknown field `corect`"), "{stderr}");
    // The good bank beside it is still reported as loaded.
    assert!(String::from_utf8_lossy(&out.stdout).contains("bank mini: 10 questions"));
}

#[test]
fn stats_prints_counts_per_area_type_and_difficulty() {
    let out = certprep(&[
        "--banks",
        repo().join("tests/data/banks").to_str().unwrap(),
        "stats",
        "mini",
    ]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    // The row of an area: id, weight, count, what the weight asks for, name.
    let plan = text
        .lines()
        .find(|l| l.starts_with("plan "))
        .expect("plan row");
    let cells: Vec<&str> = plan.split_whitespace().collect();
    assert_eq!(cells, ["plan", "50", "5", "5.0", "Planning"], "{text}");
    assert!(text.contains("single"), "{text}");
    assert!(text.contains("true_false"), "{text}");
    assert!(text.contains("scenario-based: 2 (20.0%)"), "{text}");
}
