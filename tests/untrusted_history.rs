//! Issue 14, history files from elsewhere: every way a history import or a failed open lost
//! or endangered the learner's history, through the real binary where the issue saw it.

mod common;

use certprep::srs::{Rating, ReviewOrigin, Scheduler};
use certprep::store::backup::list_backups;
use certprep::store::{DB_FILE, Store, StoreError};
use common::s;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A learner's history with `n` study reviews in `dir`.
fn history_with(dir: &Path, n: usize) -> Store {
    let store = Store::open_in(dir).unwrap();
    let sched = Scheduler::new(0.9);
    for i in 0..n {
        let r = sched.review(
            ReviewOrigin::study("mini"),
            &format!("q{i}"),
            None,
            Rating::Good,
            chrono::Utc::now(),
        );
        store.record_review(&r).unwrap();
    }
    store
}

fn reviews(db: &Path) -> i64 {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row("SELECT COUNT(*) FROM review_log", [], |r| r.get(0))
        .unwrap()
}

/// `certprep data import FILE` on the data folder `data`.
fn import(data: &Path, file: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_certprep"))
        .args(["data", "import", s(file), "--data-dir", s(data)])
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Files in `dir` whose name contains `part`.
fn named(dir: &Path, part: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(part))
        .filter(|p| {
            !p.to_string_lossy().ends_with("-wal") && !p.to_string_lossy().ends_with("-shm")
        })
        .collect();
    v.sort();
    v
}

/// An exported history file with `n` reviews, made in its own folder.
fn exported(n: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let file = dir.path().join("history.sqlite3");
    history_with(&src, n).export_history(&file).unwrap();
    (dir, file)
}

#[test]
fn two_imports_within_a_second_keep_every_previous_history() {
    let data = tempfile::tempdir().unwrap();
    drop(history_with(data.path(), 7));
    let (_a, first) = exported(3);
    let (_b, second) = exported(5);
    let one = import(data.path(), &first);
    let two = import(data.path(), &second);
    assert!(one.status.success(), "{}", stderr(&one));
    assert!(two.status.success(), "{}", stderr(&two));
    let kept = named(data.path(), ".before-import-");
    assert_eq!(kept.len(), 2, "both earlier histories are kept: {kept:?}");
    let mut counts: Vec<i64> = kept.iter().map(|p| reviews(p)).collect();
    counts.sort();
    assert_eq!(
        counts,
        vec![3, 7],
        "the original 7 reviews and the first import's 3"
    );
    assert_eq!(reviews(&data.path().join(DB_FILE)), 5);
}

#[test]
fn a_history_with_a_trigger_or_a_view_is_refused_and_nothing_changes() {
    for extra in [
        "CREATE TRIGGER wipe AFTER INSERT ON review_log BEGIN DELETE FROM attempts; END;",
        "CREATE VIEW swallow AS SELECT * FROM review_log;",
        "CREATE TABLE extra (x);",
    ] {
        let data = tempfile::tempdir().unwrap();
        drop(history_with(data.path(), 4));
        let (_d, file) = exported(2);
        rusqlite::Connection::open(&file)
            .unwrap()
            .execute_batch(extra)
            .unwrap();
        let out = import(data.path(), &file);
        assert_eq!(out.status.code(), Some(1), "{extra}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("did not create"),
            "{extra}: {}",
            stderr(&out)
        );
        assert_eq!(reviews(&data.path().join(DB_FILE)), 4, "{extra}");
        assert!(named(data.path(), ".before-import-").is_empty());
    }
}

#[test]
fn a_file_with_only_an_attempts_table_is_refused() {
    let data = tempfile::tempdir().unwrap();
    drop(history_with(data.path(), 4));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("thin.sqlite3");
    rusqlite::Connection::open(&file)
        .unwrap()
        .execute_batch("CREATE TABLE attempts (id INTEGER PRIMARY KEY); PRAGMA user_version = 3;")
        .unwrap();
    let out = import(data.path(), &file);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("lacks"), "{}", stderr(&out));
    // The learner's history still opens and works.
    let store = Store::open_in(data.path()).unwrap();
    assert_eq!(store.load_cards("mini").unwrap().len(), 4);
}

#[test]
fn a_crafted_pack_id_or_group_folder_is_not_imported() {
    let data = tempfile::tempdir().unwrap();
    let mine = data.path().join("my-group");
    {
        let s = history_with(data.path(), 1);
        s.set_group_folder(Some(&mine)).unwrap();
    }
    // A pack id that would make "Export result…" write outside the data folder.
    let (_d, file) = exported(2);
    rusqlite::Connection::open(&file)
        .unwrap()
        .execute_batch(
            "INSERT INTO attempts (bank_id, bank_version, mode, seed, pass_percent, status,
                                   started_at, pack_id)
             VALUES ('mini', '1', 'exam', 1, 70, 'submitted', '2026-01-01T00:00:00Z',
                     '../../../../tmp/evil');",
        )
        .unwrap();
    let out = import(data.path(), &file);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("not a pack id"), "{}", stderr(&out));

    // A group folder of the file's own is dropped; the learner's stays.
    let (_e, file) = exported(2);
    rusqlite::Connection::open(&file)
        .unwrap()
        .execute_batch("INSERT INTO settings (key, value) VALUES ('group_folder', '/etc');")
        .unwrap();
    let out = import(data.path(), &file);
    assert!(out.status.success(), "{}", stderr(&out));
    let store = Store::open_in(data.path()).unwrap();
    assert_eq!(store.group_folder().unwrap(), Some(mine));
}

#[test]
fn importing_the_live_database_onto_itself_keeps_the_history() {
    let data = tempfile::tempdir().unwrap();
    drop(history_with(data.path(), 6));
    let db = data.path().join(DB_FILE);
    let out = import(data.path(), &db);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(reviews(&db), 6);
    let store = Store::open_in(data.path()).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn an_empty_history_is_not_imported_over_a_real_one() {
    let data = tempfile::tempdir().unwrap();
    drop(history_with(data.path(), 3));
    let (_d, file) = exported(0);
    let out = import(data.path(), &file);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("empty"), "{}", stderr(&out));
    assert_eq!(reviews(&data.path().join(DB_FILE)), 3);
}

#[test]
fn the_source_write_ahead_log_is_imported_too() {
    let data = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let store = history_with(src.path(), 0);
    store
        .connection()
        .execute_batch("PRAGMA wal_autocheckpoint=0;")
        .unwrap();
    let sched = Scheduler::new(0.9);
    for i in 0..40 {
        let r = sched.review(
            ReviewOrigin::study("mini"),
            &format!("w{i}"),
            None,
            Rating::Good,
            chrono::Utc::now(),
        );
        store.record_review(&r).unwrap();
    }
    let source = src.path().join(DB_FILE);
    let wal = PathBuf::from(format!("{}-wal", source.display()));
    assert!(
        std::fs::metadata(&wal).unwrap().len() > 0,
        "answers wait in the log"
    );
    // Another certprep still has the file open (or was killed): import it as it is.
    let out = import(data.path(), &source);
    drop(store);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(reviews(&data.path().join(DB_FILE)), 40);
}

#[test]
fn a_missing_file_is_reported_as_missing() {
    let data = tempfile::tempdir().unwrap();
    drop(history_with(data.path(), 1));
    let out = import(data.path(), &data.path().join("no-such.sqlite3"));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("no such file"), "{err}");
    assert!(!err.contains("disk space"), "{err}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("kept"));
}

#[test]
fn the_message_says_kept_aside_only_when_something_was() {
    let data = tempfile::tempdir().unwrap();
    let (_d, file) = exported(2);
    let out = import(data.path(), &file);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(!said.contains("was kept"), "{said}");
    assert!(said.contains("no previous history"), "{said}");
}

#[test]
fn a_failed_export_leaves_no_partial_file() {
    let data = tempfile::tempdir().unwrap();
    let store = history_with(data.path(), 2);
    let out = tempfile::tempdir().unwrap();
    // The target is a folder with something in it: the final rename cannot happen.
    let target = out.path().join("history.sqlite3");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("x"), "x").unwrap();
    assert!(store.export_history(&target).is_err());
    let left: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left.len(), 1, "only the folder that was there: {left:?}");
}

/// A v2 database whose schema is not certprep's (an index missing): every open fails, and
/// none of those failures may push the good daily backup out of the ten kept.
#[test]
fn failed_opens_never_push_the_daily_backup_out() {
    let data = tempfile::tempdir().unwrap();
    let daily = {
        let s = history_with(data.path(), 2);
        s.backup_if_due().unwrap().expect("the daily backup")
    };
    // Taken an hour ago, so every later backup is newer than it.
    let earlier = (chrono::Utc::now() - chrono::Duration::hours(1)).format("%Y%m%dT%H%M%SZ");
    let daily_path = daily
        .path
        .with_file_name(format!("certprep-{earlier}-daily.sqlite3"));
    std::fs::rename(&daily.path, &daily_path).unwrap();
    let db = data.path().join(DB_FILE);
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch("DROP INDEX review_log_time; PRAGMA user_version = 2;")
            .unwrap();
    }
    for _ in 0..11 {
        assert!(Store::open_in(data.path()).is_err());
    }
    let kept = list_backups(data.path());
    assert!(
        kept.iter().any(|b| b.path == daily_path),
        "the daily backup is still there: {kept:?}"
    );
    assert!(kept.len() <= 10);
}

#[test]
fn a_store_with_a_planted_trigger_does_not_open() {
    let data = tempfile::tempdir().unwrap();
    drop(history_with(data.path(), 2));
    rusqlite::Connection::open(data.path().join(DB_FILE))
        .unwrap()
        .execute_batch("CREATE TRIGGER t AFTER INSERT ON review_log BEGIN DELETE FROM cards; END;")
        .unwrap();
    match Store::open_in(data.path()) {
        Err(StoreError::Corrupt { detail, .. }) => assert!(detail.contains("trigger"), "{detail}"),
        Err(e) => panic!("wrong error {e}"),
        Ok(_) => panic!("a database with a trigger certprep did not make was opened"),
    }
}

#[test]
fn exports_neutralise_formula_cells() {
    let data = tempfile::tempdir().unwrap();
    let store = history_with(data.path(), 0);
    store
        .connection()
        .execute_batch(
            "INSERT INTO attempts (bank_id, bank_version, mode, seed, pass_percent, status,
                                   started_at, finished_at, score_correct, score_total)
             VALUES ('=HYPERLINK(\"http://x\",\"y\")', '1', 'exam', 1, 70, 'submitted',
                     '2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z', 3, 4);
             INSERT INTO attempt_domain_scores VALUES (1, '@area', 3, 4);",
        )
        .unwrap();
    let csv = certprep::export::history_csv(&store, &[], None).unwrap();
    let row = csv.lines().nth(1).unwrap();
    assert!(row.contains(",\"'=HYPERLINK("), "{row}");
    assert!(csv.lines().next().unwrap().contains("area:@area"), "{csv}");
    assert!(!row.contains(",=") && !row.contains(",\"="), "{row}");
    // Numbers stay numbers.
    assert!(row.contains(",3,4,75.0,70,"), "{row}");
}

#[test]
fn a_full_disk_during_import_changes_nothing() {
    use certprep::store::replace::MAX_PAGES_FOR_TESTS;
    let data = tempfile::tempdir().unwrap();
    drop(history_with(data.path(), 3));
    let (_d, file) = exported(400);
    // The fresh database may take 8 pages: the copy runs out of room half-way.
    MAX_PAGES_FOR_TESTS.store(8, std::sync::atomic::Ordering::Relaxed);
    let result = certprep::store::backup::import_history(data.path(), &file);
    MAX_PAGES_FOR_TESTS.store(0, std::sync::atomic::Ordering::Relaxed);
    let err = result.err().expect("the import must fail");
    assert!(err.to_string().contains("full"), "{err}");
    assert_eq!(reviews(&data.path().join(DB_FILE)), 3);
    let left: Vec<_> = std::fs::read_dir(data.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.contains(".importing-") || n.contains(".incoming-") || n.contains("before-import")
        })
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Read-only media, for real: the history sits in a read-only bind mount (a private mount
/// namespace, so nothing outside the test sees it). Skipped, saying so, only where the
/// machine allows no mount namespace.
#[test]
fn a_history_on_read_only_media_imports() {
    let unshare_works = Command::new("unshare")
        .args(["-m", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !unshare_works {
        eprintln!("SKIPPED: no mount namespaces here (unshare -m), so no read-only mount");
        return;
    }
    let data = tempfile::tempdir().unwrap();
    drop(history_with(data.path(), 1));
    // A history as another certprep left it: its last answers still in the write-ahead log.
    let media = tempfile::tempdir().unwrap();
    let src = media.path().join("card");
    let store = history_with(&src, 0);
    store
        .connection()
        .execute_batch("PRAGMA wal_autocheckpoint=0;")
        .unwrap();
    let sched = Scheduler::new(0.9);
    for i in 0..30 {
        let r = sched.review(
            ReviewOrigin::study("mini"),
            &format!("r{i}"),
            None,
            Rating::Good,
            chrono::Utc::now(),
        );
        store.record_review(&r).unwrap();
    }
    let clean = media.path().join("clean.sqlite3");
    store.export_history(&clean).unwrap();
    std::mem::forget(store); // as if killed: the log stays beside the file
    let mnt = tempfile::tempdir().unwrap();
    let run = |file: &str| {
        Command::new("unshare")
            .args(["-m", "sh", "-c"])
            .arg(format!(
                "mount --bind -o ro '{}' '{}' && exec '{}' data import '{}/{file}' --data-dir '{}'",
                s(media.path()),
                s(mnt.path()),
                env!("CARGO_BIN_EXE_certprep"),
                s(mnt.path()),
                s(data.path())
            ))
            .output()
            .unwrap()
    };
    let out = run("clean.sqlite3");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(reviews(&data.path().join(DB_FILE)), 30);
    // With its log beside it, the history is imported whole, or refused saying why.
    let out = run(&format!("card/{DB_FILE}"));
    if out.status.success() {
        assert_eq!(reviews(&data.path().join(DB_FILE)), 30);
    } else {
        assert!(stderr(&out).contains("write-ahead log"), "{}", stderr(&out));
        assert_eq!(reviews(&data.path().join(DB_FILE)), 30);
    }
}

/// A history with `n` review-log rows, written in one transaction (fast), exported.
fn big_export(n: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let store = history_with(&dir.path().join("src"), 1);
    store
        .connection()
        .execute(
            "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?1)
             INSERT INTO review_log (bank_id, question_id, reviewed_at, rating, correct,
                 elapsed_days, scheduled_days, state_before, state_after, stability_after,
                 due_after, source)
             SELECT 'mini', 'q' || i, '2026-01-01T00:00:00Z', 3, 1, 0, 1, 0, 1, 1.0,
                    '2026-01-02T00:00:00Z', 'study' FROM k",
            [n as i64 - 1],
        )
        .unwrap();
    let file = dir.path().join("big.sqlite3");
    store.export_history(&file).unwrap();
    (dir, file)
}

#[test]
fn a_kill_during_import_leaves_the_old_or_the_new_history_never_a_broken_one() {
    let data = tempfile::tempdir().unwrap();
    drop(history_with(data.path(), 3));
    let (_d, file) = big_export(50_000);
    let db = data.path().join(DB_FILE);
    // How long a whole import takes here, so the kills fall all along it.
    let scratch = tempfile::tempdir().unwrap();
    drop(history_with(scratch.path(), 1));
    let t0 = std::time::Instant::now();
    assert!(import(scratch.path(), &file).status.success());
    let whole = t0.elapsed();
    let kills = 12u32;
    for i in 0..kills {
        let mut child = Command::new(env!("CARGO_BIN_EXE_certprep"))
            .args(["data", "import", s(&file), "--data-dir", s(data.path())])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(whole * (i + 1) / (kills + 1));
        let _ = child.kill();
        let _ = child.wait();
        let store = Store::open_in(data.path())
            .unwrap_or_else(|e| panic!("kill {i} of {kills} (import takes {whole:?}): {e}"));
        assert_eq!(store.integrity_check().unwrap(), "ok");
        drop(store);
        let n = reviews(&db);
        assert!(n == 3 || n == 50_000, "kill {i}: {n} reviews");
    }
    // The next import clears what the killed ones left and completes.
    let out = import(data.path(), &file);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(reviews(&db), 50_000);
    assert!(named(data.path(), ".importing-").is_empty());
    assert!(named(data.path(), ".incoming-").is_empty());
}
