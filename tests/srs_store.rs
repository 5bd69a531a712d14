//! Integration: spaced repetition, mastery and readiness over a real SQLite file and the
//! real binary.

use certprep::bank::load_bank;
use certprep::exam::{ExamSession, Mode, assemble};
use certprep::srs::{Rating, ReviewOrigin, Scheduler, State};
use certprep::store::{NewAttempt, Store};
use chrono::{Duration as Days, TimeZone, Utc};
use std::time::{Duration, Instant};

mod common;
use common::repo;

fn mini() -> certprep::bank::Bank {
    load_bank(&repo().join("tests/data/banks/mini")).expect("fixture bank loads")
}

/// Rate a card the way rs-fsrs does, directly, to compare with what was persisted.
fn fsrs_direct(card: rs_fsrs::Card, at: chrono::DateTime<Utc>, rating: Rating) -> rs_fsrs::Card {
    rs_fsrs::FSRS::new(rs_fsrs::Parameters::default())
        .next(card, at, rating)
        .card
}

#[test]
fn answering_moves_due_dates_as_fsrs_says_and_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let scheduler = Scheduler::new(0.9);
    let t0 = Utc.with_ymd_and_hms(2026, 9, 1, 18, 0, 0).unwrap();
    let mut expected = Scheduler::new_card(t0);
    let mut at = t0;
    // Right (Good), right (Good), wrong (Again), right (Easy): reopen the store each time.
    for (ok, rating) in [
        (true, Rating::Good),
        (true, Rating::Good),
        (false, Rating::Again),
        (true, Rating::Easy),
    ] {
        let store = Store::open_in(dir.path()).unwrap();
        let cards = store.load_cards("mini").unwrap();
        let r = scheduler.review(
            ReviewOrigin::study("mini"),
            "plan-1",
            cards.get("plan-1"),
            rating,
            at,
        );
        assert_eq!(
            r.correct, ok,
            "a rating of {rating:?} says whether the answer was right"
        );
        store.record_review(&r).unwrap();
        drop(store);
        expected = fsrs_direct(expected, at, rating);
        let store = Store::open_in(dir.path()).unwrap();
        let saved = store.load_cards("mini").unwrap()["plan-1"].clone();
        assert_eq!(saved.card.due, expected.due);
        assert_eq!(saved.card.state, expected.state);
        assert!((saved.card.stability - expected.stability).abs() < 1e-9);
        assert!((saved.card.difficulty - expected.difficulty).abs() < 1e-9);
        at = expected.due;
    }
    let store = Store::open_in(dir.path()).unwrap();
    let saved = &store.load_cards("mini").unwrap()["plan-1"];
    assert_eq!(
        (saved.reviews, saved.correct, saved.first_correct),
        (4, 3, true)
    );
    let log = store.review_log("mini", "plan-1").unwrap();
    let ratings: Vec<i64> = log.iter().map(|l| l.rating).collect();
    assert_eq!(ratings, vec![3, 3, 1, 4]);
    assert_eq!(log[0].state_before, 0);
    assert!(log.iter().all(|l| l.source == "study"));
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn submitting_an_exam_updates_every_answered_card() {
    let dir = tempfile::tempdir().unwrap();
    let bank = mini();
    let mut store = Store::open_in(dir.path()).unwrap();
    let items = assemble(&bank, 6, 3);
    let id = store
        .create_attempt(&NewAttempt {
            bank_id: bank.id(),
            bank_version: "t1",
            mode: Mode::Exam,
            seed: 3,
            pass_percent: 50.0,
            time_limit: None,
            items: &items,
            pack_id: None,
        })
        .unwrap();
    let mut s = ExamSession::new(id, bank.id(), Mode::Exam, 3, 50.0, items, None);
    // Answer the first five: right, wrong, right, wrong, right; leave the sixth blank.
    for i in 0..5 {
        let q = bank.question(&s.items[i].question_id).unwrap().clone();
        let pick = if i % 2 == 0 {
            q.correct_ids()
        } else {
            vec![q.options.iter().find(|o| !o.correct).unwrap().id.clone()]
        };
        for p in pick {
            s.choose(i, &p, q.kind);
        }
    }
    s.submit(Instant::now(), false);
    let report = s.score(&bank);
    let answered = certprep::srs::answered_items(&report);
    let now = Utc::now();
    let reviews = Scheduler::new(0.9).exam_reviews(
        bank.id(),
        &store.load_cards(bank.id()).unwrap(),
        &answered,
        now,
        id,
    );
    store
        .finish_attempt(&s, Duration::from_secs(60), &report, &reviews)
        .unwrap();
    drop(store);

    let store = Store::open_in(dir.path()).unwrap();
    let cards = store.load_cards(bank.id()).unwrap();
    assert_eq!(cards.len(), 5, "the unanswered item is not scheduled");
    for (i, item) in s.items.iter().enumerate().take(5) {
        let c = &cards[&item.question_id];
        assert_eq!(c.first_correct, i % 2 == 0);
        let log = store.review_log(bank.id(), &item.question_id).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].source, "exam");
        assert_eq!(log[0].rating, if i % 2 == 0 { 3 } else { 1 });
        assert!(c.card.due > now);
        assert_ne!(c.card.state, State::New);
    }
}

#[test]
fn mastery_from_a_stored_history_matches_hand_computation() {
    // Two plan questions reviewed; everything else unseen. Planning has 5 questions.
    let dir = tempfile::tempdir().unwrap();
    let bank = mini();
    let store = Store::open_in(dir.path()).unwrap();
    let s = Scheduler::new(0.9);
    let t0 = Utc.with_ymd_and_hms(2026, 9, 1, 12, 0, 0).unwrap();
    let right = s.review(
        ReviewOrigin::study("mini"),
        "plan-1",
        None,
        Rating::Good,
        t0,
    );
    let wrong = s.review(
        ReviewOrigin::study("mini"),
        "plan-2",
        None,
        Rating::Again,
        t0,
    );
    store.record_review(&right).unwrap();
    store.record_review(&wrong).unwrap();
    let cards = store.load_cards("mini").unwrap();
    let now = t0 + Days::days(2);
    let m = certprep::mastery::report(&bank, &cards, now);
    let plan = m.areas.iter().find(|a| a.domain_id == "plan").unwrap();
    // R(t) = (1 + 19/81 · t/S)^-0.5 with the stabilities FSRS gave, t = 2 days.
    let r = |st: f64| (1.0 + 19.0 / 81.0 * 2.0 / st).powf(-0.5);
    let r1 = r(right.after.card.stability);
    let r2 = r(wrong.after.card.stability);
    // First tries: 1 right of 2 → Beta(2, 2) → prior 0.5 for the 3 unseen.
    let want = (r1 + r2 + 3.0 * 0.5) / 5.0;
    assert_eq!((plan.seen, plan.total), (2, 5));
    assert!(
        (plan.mastery - want).abs() < 1e-9,
        "{} vs {want}",
        plan.mastery
    );
    let ops = m.areas.iter().find(|a| a.domain_id == "ops").unwrap();
    assert!((ops.mastery - 0.5).abs() < 1e-12 && ops.seen == 0);
    let predicted = 0.5 * plan.mastery + 0.3 * 0.5 + 0.2 * 0.5;
    assert!((m.readiness.predicted - predicted).abs() < 1e-9);
}

#[test]
fn readiness_cli_prints_the_table_and_refuses_a_damaged_database() {
    let dir = tempfile::tempdir().unwrap();
    let banks = repo().join("tests/data/banks");
    let run = |data: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_certprep"))
            .args(["readiness", "--bank", "mini", "--banks"])
            .arg(&banks)
            .arg("--data-dir")
            .arg(data)
            .output()
            .unwrap()
    };
    {
        let store = Store::open_in(dir.path()).unwrap();
        let r = Scheduler::new(0.9).review(
            ReviewOrigin::study("mini"),
            "ops-1",
            None,
            Rating::Good,
            Utc::now(),
        );
        store.record_review(&r).unwrap();
    }
    let out = run(dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("bank mini"), "{text}");
    let ops_line = text
        .lines()
        .find(|l| l.starts_with("ops "))
        .expect("ops row");
    assert!(ops_line.contains("1/3"), "{ops_line}");
    assert!(text.contains("pass probability"), "{text}");

    let bad = tempfile::tempdir().unwrap();
    std::fs::write(
        bad.path().join("certprep.sqlite3"),
        b"this is not a database".repeat(200),
    )
    .unwrap();
    let out = run(bad.path());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not a certprep database or is damaged"),
        "{err}"
    );
}

#[test]
fn a_version_1_database_is_upgraded_with_a_backup_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("certprep.sqlite3");
    {
        // The shipped v1 schema, with one finished attempt in it.
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(certprep::store::MIGRATIONS[0]).unwrap();
        c.execute_batch(
            "INSERT INTO attempts (bank_id, bank_version, mode, seed, pass_percent, status, started_at, finished_at,
               score_correct, score_total) VALUES ('mini','t1','exam',1,50,'submitted','2026-01-01T00:00:00.000Z',
               '2026-01-01T01:00:00.000Z', 4, 6);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let store = Store::open_in(dir.path()).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        certprep::store::SCHEMA_VERSION
    );
    assert_eq!(store.recent_attempts(5).unwrap().len(), 1, "history kept");
    assert!(store.load_cards("mini").unwrap().is_empty());
    // v3: the dashboard's answer counts are answered from the time index alone.
    let columns: Vec<String> = store
        .connection()
        .prepare("SELECT name FROM pragma_index_info('review_log_time') ORDER BY seqno")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(columns, ["bank_id", "reviewed_at", "state_before"]);
    let plan: String = store
        .connection()
        .query_row(
            "EXPLAIN QUERY PLAN SELECT COALESCE(SUM(state_before = 0), 0), COUNT(*)
             FROM review_log WHERE bank_id = 'mini' AND reviewed_at >= '2026'",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("COVERING INDEX review_log_time"), "{plan}");
    let backups = certprep::store::backup::list_backups(dir.path());
    assert!(
        backups.iter().any(|b| b.reason == "before-v2"),
        "{backups:?}"
    );
}

/// A bank revision retires questions: the learner's answers to them stay in the database, but
/// they are not due, not in mastery or the plan, and the dashboard and CLI say so.
#[test]
fn history_of_retired_questions_is_kept_but_not_scheduled_or_counted() {
    let dir = tempfile::tempdir().unwrap();
    let bank = mini();
    let long_ago = Utc::now() - Days::days(60);
    {
        let store = Store::open_in(dir.path()).unwrap();
        for id in ["ops-1", "retired-7", "retired-8"] {
            let r = Scheduler::new(0.9).review(
                ReviewOrigin::study("mini"),
                id,
                None,
                Rating::Again,
                long_ago,
            );
            store.record_review(&r).unwrap();
        }
    }
    let store = Store::open_in(dir.path()).unwrap();
    let all = store.load_cards("mini").unwrap();
    assert_eq!(
        all.len(),
        3,
        "the retired questions' history is still stored"
    );
    let (dash, _) =
        certprep::ui::build_dashboard(&store, &bank, &store.study_settings().unwrap(), Utc::now())
            .unwrap();
    assert_eq!(dash.retired, 2);
    assert_eq!(dash.report.seen, 1, "only ops-1 counts in mastery");
    assert_eq!(dash.due_now, 1, "retired questions are never due");
    let note = certprep::srs::retired_note(&bank, dash.retired).unwrap();
    assert!(
        note.starts_with("2 questions you answered are no longer in"),
        "{note}"
    );
    assert_eq!(certprep::srs::retired_note(&bank, 0), None);
    drop(store);

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_certprep"))
        .args(["readiness", "--bank", "mini", "--banks"])
        .arg(repo().join("tests/data/banks"))
        .arg("--data-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("2 questions you answered are no longer in"),
        "{text}"
    );
}
