//! All history as one file: export, import elsewhere, and refusal of files that are not a
//! certprep history, through the library and the real binary.

use certprep::srs::{Rating, ReviewOrigin, Scheduler};
use certprep::store::backup::import_history;
use certprep::store::{Store, StoreError};
use std::process::Command;

fn seeded_store(dir: &std::path::Path) -> Store {
    let store = Store::open_in(dir).unwrap();
    let r = Scheduler::new(0.9).review(
        ReviewOrigin::study("mini"),
        "plan-1",
        None,
        Rating::Good,
        chrono::Utc::now(),
    );
    store.record_review(&r).unwrap();
    store
}

#[test]
fn export_then_import_on_another_computer_keeps_everything() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let file = a.path().join("history.sqlite3");
    let bytes = seeded_store(a.path()).export_history(&file).unwrap();
    assert!(bytes > 0);
    // The other computer already has some history of its own: it is kept aside.
    drop(Store::open_in(b.path()).unwrap());
    let replaced = import_history(b.path(), &file).unwrap();
    assert!(replaced.kept_aside.is_some());
    let store = replaced.store;
    assert!(store.load_cards("mini").unwrap().contains_key("plan-1"));
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let kept: Vec<_> = std::fs::read_dir(b.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("before-import"))
        .collect();
    assert!(!kept.is_empty(), "the previous database is kept aside");
}

#[test]
fn files_that_are_not_a_certprep_history_are_refused_and_nothing_moves() {
    let dir = tempfile::tempdir().unwrap();
    drop(seeded_store(dir.path()));
    let other = tempfile::tempdir().unwrap();
    let foreign = other.path().join("other.sqlite3");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    match import_history(dir.path(), &foreign) {
        Err(StoreError::Rejected { reason, .. }) => {
            assert!(reason.contains("not a certprep history"), "{reason}")
        }
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a foreign database was imported"),
    }
    let garbage = other.path().join("garbage.sqlite3");
    std::fs::write(&garbage, b"nothing like sqlite ".repeat(300)).unwrap();
    assert!(matches!(
        import_history(dir.path(), &garbage),
        Err(StoreError::Rejected { .. })
    ));
    // The learner's own history is untouched.
    let store = Store::open_in(dir.path()).unwrap();
    assert!(store.load_cards("mini").unwrap().contains_key("plan-1"));
}

#[test]
fn cli_data_export_and_import() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    drop(seeded_store(a.path()));
    let file = a.path().join("out.sqlite3");
    let run = |args: &[&str], data: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_certprep"))
            .args(args)
            .arg("--data-dir")
            .arg(data)
            .output()
            .unwrap()
    };
    let out = run(&["data", "export", file.to_str().unwrap()], a.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("exported history"));
    let out = run(&["data", "import", file.to_str().unwrap()], b.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = Store::open_in(b.path()).unwrap();
    assert!(store.load_cards("mini").unwrap().contains_key("plan-1"));
    drop(store);
    let bad = b.path().join("nope.sqlite3");
    std::fs::write(&bad, b"x".repeat(5000)).unwrap();
    let out = run(&["data", "import", bad.to_str().unwrap()], b.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a SQLite database"));
}

/// A database exactly as certprep wrote it at schema v7 (before question reports), with a
/// study review in it.
fn v7_history(path: &std::path::Path) {
    let c = rusqlite::Connection::open(path).unwrap();
    for sql in &certprep::store::MIGRATIONS[..7] {
        c.execute_batch(sql).unwrap();
    }
    c.execute_batch(
        "INSERT INTO review_log (bank_id, question_id, reviewed_at, rating, correct,
                                 elapsed_days, scheduled_days, state_before, state_after,
                                 stability_after, due_after, source, uid, hlc)
         VALUES ('mini', 'plan-1', '2026-11-01T10:00:00.000Z', 3, 1, 0, 1, 0, 1, 2.5,
                 '2026-11-02T10:00:00.000Z', 'study', 'u1',
                 '000001761991200000-000000-00000000000000aa');
         INSERT INTO cards (bank_id, question_id, due, stability, difficulty, elapsed_days,
                            scheduled_days, reps, lapses, state, last_review, reviews, correct,
                            first_correct, step, decay, last_correct, first_at)
         VALUES ('mini', 'plan-1', '2026-11-02T10:00:00.000Z', 2.5, 5.0, 0, 1, 1, 0, 2,
                 '2026-11-01T10:00:00.000Z', 1, 1, 1, 0, 0.5, 1, '2026-11-01T10:00:00.000Z');
         PRAGMA user_version = 7;",
    )
    .unwrap();
}

#[test]
fn a_history_from_before_question_reports_still_imports_and_upgrades() {
    assert!(certprep::store::SCHEMA_VERSION >= 8);
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.sqlite3");
    v7_history(&old);

    // Imported into another data folder: everything there, and reports work.
    let b = tempfile::tempdir().unwrap();
    let replaced = import_history(b.path(), &old).unwrap();
    let store = replaced.store;
    assert_eq!(replaced.counts.reviews, 1);
    assert_eq!(
        store.schema_version().unwrap(),
        certprep::store::SCHEMA_VERSION
    );
    assert!(store.load_cards("mini").unwrap().contains_key("plan-1"));
    assert!(store.reports().unwrap().is_empty());
    let r = store
        .add_report(
            &certprep::store::reports::NewReport {
                bank_id: "mini",
                question_id: "plan-1",
                kind: certprep::reports::ReportKind::WrongKey,
                text: "the key is B",
            },
            chrono::Utc::now(),
        )
        .unwrap();
    assert_eq!(store.reports().unwrap(), vec![r.clone()]);

    // And a history that has reports moves to a third computer with them.
    let file = b.path().join("moved.sqlite3");
    store.export_history(&file).unwrap();
    drop(store);
    let c = tempfile::tempdir().unwrap();
    let moved = import_history(c.path(), &file).unwrap().store;
    assert_eq!(moved.reports().unwrap(), vec![r]);

    // A v7 data folder opened by this build is upgraded in place, with a backup first.
    let d = tempfile::tempdir().unwrap();
    v7_history(&d.path().join(certprep::store::DB_FILE));
    let s = Store::open_in(d.path()).unwrap();
    assert_eq!(s.schema_version().unwrap(), certprep::store::SCHEMA_VERSION);
    assert!(s.reports().unwrap().is_empty());
    assert!(
        certprep::store::backup::list_backups(d.path())
            .iter()
            .any(|b| b.path.to_string_lossy().contains("before-v8")),
        "the v7 database is kept before the upgrade"
    );
}

#[test]
fn a_history_file_with_a_bad_report_row_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.sqlite3");
    {
        drop(seeded_store(dir.path()));
        let c = rusqlite::Connection::open(dir.path().join(certprep::store::DB_FILE)).unwrap();
        // A blob where the schema keeps text: SQLite itself would store it.
        c.execute_batch(
            "INSERT INTO question_reports (uid, bank_id, question_id, kind, text, created_at,
                                           deleted, hlc)
             VALUES ('u', 'mini', 'plan-1', 'typo', '', '2026-01-01T00:00:00Z', 1, 'x');
             UPDATE question_reports SET hlc = x'00';",
        )
        .unwrap();
        c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
        std::fs::copy(dir.path().join(certprep::store::DB_FILE), &bad).unwrap();
    }
    let other = tempfile::tempdir().unwrap();
    match import_history(other.path(), &bad) {
        Err(StoreError::Rejected { reason, .. }) => {
            assert!(reason.contains("question_reports"), "{reason}")
        }
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a history with a damaged report row was imported"),
    }
}

/// A database as certprep wrote it at schema v8 (before time per question and confidence):
/// one submitted exam of two questions, one answered right, one wrong and flagged.
fn v8_history(path: &std::path::Path) {
    let c = rusqlite::Connection::open(path).unwrap();
    for sql in &certprep::store::MIGRATIONS[..8] {
        c.execute_batch(sql).unwrap();
    }
    c.execute_batch(
        "INSERT INTO attempts (id, bank_id, bank_version, mode, seed, pass_percent,
                               time_limit_secs, status, started_at, finished_at, elapsed_ms,
                               score_correct, score_total, uid, start_hlc, state_hlc)
         VALUES (1, 'mini', '1', 'exam', 5, 70, 600, 'submitted', '2026-11-01T10:00:00.000Z',
                 '2026-11-01T10:09:00.000Z', 540000, 1, 2, 'a1',
                 '000001761991200000-000000-00000000000000aa',
                 '000001761991740000-000000-00000000000000aa');
         INSERT INTO attempt_items (attempt_id, position, question_id, option_order, selected,
                                    flagged, answered_at, hlc, correct)
         VALUES (1, 0, 'plan-1', '[\"a\",\"b\"]', '[\"a\"]', 0, '2026-11-01T10:01:00.000Z',
                 '000001761991260000-000000-00000000000000aa', 1),
                (1, 1, 'plan-2', '[\"a\",\"b\"]', '[\"b\"]', 1, '2026-11-01T10:02:00.000Z',
                 '000001761991320000-000000-00000000000000aa', 0);
         INSERT INTO attempt_domain_scores (attempt_id, domain_id, correct, total)
         VALUES (1, 'planning', 1, 2);
         PRAGMA user_version = 8;",
    )
    .unwrap();
}

#[test]
fn a_history_from_before_time_and_confidence_still_imports_and_lists() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("v8.sqlite3");
    v8_history(&old);
    let b = tempfile::tempdir().unwrap();
    let replaced = import_history(b.path(), &old).unwrap();
    assert_eq!(replaced.counts.finished, 1);
    assert_eq!(replaced.counts.answers, 2);
    let store = replaced.store;
    assert_eq!(
        store.schema_version().unwrap(),
        certprep::store::SCHEMA_VERSION
    );
    // Listed in the history with its areas, and reopened without times or confidence.
    let past = store.past_attempts(10).unwrap();
    assert_eq!(past.len(), 1);
    assert_eq!(past[0].areas, vec!["planning".to_string()]);
    assert_eq!(past[0].time_used, std::time::Duration::from_secs(540));
    let loaded = store.load_session(1).unwrap().unwrap().session;
    assert!(loaded.states.iter().all(|s| s.confidence.is_none()));
    assert_eq!(
        loaded.times.all(std::time::Instant::now()),
        vec![std::time::Duration::ZERO; 2]
    );
    assert!(loaded.states[1].flagged);

    // The same file opened as a data folder is upgraded in place, a backup kept first.
    let d = tempfile::tempdir().unwrap();
    v8_history(&d.path().join(certprep::store::DB_FILE));
    let s = Store::open_in(d.path()).unwrap();
    assert_eq!(s.schema_version().unwrap(), certprep::store::SCHEMA_VERSION);
    assert_eq!(s.past_attempts(10).unwrap().len(), 1);
    assert!(
        certprep::store::backup::list_backups(d.path())
            .iter()
            .any(|b| b.path.to_string_lossy().contains("before-v9")),
        "the v8 database is kept before the upgrade"
    );
}
