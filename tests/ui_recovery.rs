//! What a user sees when the data folder is in use or the database is damaged.

use certprep::store::lock::InstanceLock;
use certprep::store::{DB_FILE, Store};
use certprep::ui::CertprepApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::PathBuf;

mod common;

fn harness(data: &std::path::Path) -> Harness<'static, CertprepApp> {
    common::harness_with(common::fixture_banks(), data, egui::vec2(1100.0, 800.0))
}

/// A second window says the history is open in another window: a lock, not damage (no
/// "cannot be opened"), and takes it over with "Try again" once the first has closed.
#[test]
fn second_window_on_the_same_data_folder_gets_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let first = InstanceLock::acquire(dir.path()).unwrap();
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("Your history is open in another certprep window.");
    h.get_by_label_contains("certprep is already open on the data folder");
    assert!(h.query_by_label_contains("cannot be opened").is_none());
    assert!(h.query_by_label_contains("damaged").is_none());
    assert!(
        h.state().store.is_err(),
        "the second window must not open the database"
    );
    // Starting an exam is not offered while nothing could be saved.
    h.get_by_label("Practice Mini test bank").click();
    h.run();
    h.get_by_label("Question banks");
    // While the first window is open, trying again says so; once it is closed, it works.
    h.get_by_label("Try again").click();
    h.run();
    h.get_by_label_contains("Still not available");
    assert!(h.state().store.is_err());
    drop(first);
    h.get_by_label("Try again").click();
    h.run();
    h.get_by_label("Your history is open here now.");
    assert!(h.state().store.is_ok());
    assert!(h.query_by_label("Try again").is_none());
    // And it now holds the lock: a third window is refused.
    assert!(InstanceLock::acquire(dir.path()).is_err());
}

#[test]
fn damaged_database_is_kept_aside_and_the_backup_restored() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open_in(dir.path()).unwrap();
        store
            .connection()
            .execute(
                "INSERT INTO attempts (bank_id, bank_version, mode, seed, pass_percent, status, started_at,
                                       score_correct, score_total)
                 VALUES ('mini','t1','exam',1,50,'submitted','2026-11-01T10:00:00Z', 5, 6)",
                [],
            )
            .unwrap();
        store.backup_now("daily").unwrap();
    }
    let garbage = b"definitely not a database ".repeat(300);
    std::fs::write(dir.path().join(DB_FILE), &garbage).unwrap();

    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("Your history cannot be opened, so nothing can be saved right now.");
    h.get_by_label_contains("Restore the backup of").click();
    h.run();
    h.get_by_label_contains("Backup restored. The previous database was kept as");
    // The restored history is on Home, and the damaged bytes are still on disk.
    h.get_by_label_contains("5/6 (83%) pass");
    let kept: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(".damaged-"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(std::fs::read(&kept[0]).unwrap(), garbage);
}

#[test]
fn damaged_database_without_backup_can_start_afresh() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(DB_FILE), b"junk".repeat(1000)).unwrap();
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("No backup was found.");
    h.get_by_label("Keep the damaged file aside and start afresh")
        .click();
    h.run();
    h.get_by_label_contains("Started a new database");
    assert!(h.state().store.is_ok());
}

#[test]
fn settings_persist_across_restart_and_restore_keeps_the_current_file() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut h = harness(dir.path());
        h.run();
        h.get_by_label("Settings").click();
        h.run();
        h.get_by_label("Light").click();
        h.run();
        h.get_by_label("Back up now").click();
        h.run();
        h.get_by_label_contains("Backup written to");
        assert_eq!(h.state().prefs.theme, certprep::prefs::Theme::Light);
        assert_eq!(h.ctx.theme(), egui::Theme::Light);
    }
    // Restart: the theme and the last screen (Settings) are remembered.
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("Back up now");
    assert_eq!(h.ctx.theme(), egui::Theme::Light);
    h.get_all_by_label_contains("Restore ")
        .next()
        .unwrap()
        .click();
    h.run();
    h.get_by_label_contains("Backup restored. The previous database was kept as");
    let aside = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".before-restore-"))
        .count();
    assert_eq!(aside, 1);
}

fn reviews_in(db: &std::path::Path) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM review_log", [], |r| r.get(0))
        .unwrap()
}

fn history_with(dir: &std::path::Path, n: usize) -> Store {
    use certprep::srs::{Rating, ReviewOrigin, Scheduler};
    let store = Store::open_in(dir).unwrap();
    for i in 0..n {
        let r = Scheduler::new(0.9).review(
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

/// Issue 14: "Import history" clicked twice imported twice within one second, and the
/// second import's kept-aside copy replaced the first, so the original history was gone.
#[test]
fn import_history_clicked_twice_asks_once_and_every_history_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    drop(history_with(dir.path(), 3));
    let other = tempfile::tempdir().unwrap();
    let file = other.path().join("moved.sqlite3");
    history_with(&other.path().join("src"), 5)
        .export_history(&file)
        .unwrap();

    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label("File").focus();
    h.run();
    h.get_by_label("File").type_text(file.to_str().unwrap());
    h.run();
    h.get_by_label("Import history").click();
    h.run();
    h.get_by_label("Import history").click();
    h.run();
    // Nothing is replaced before the learner says yes.
    assert_eq!(reviews_in(&dir.path().join(DB_FILE)), 3);
    h.get_by_label("Replace my history").click();
    h.run();
    h.get_by_label_contains("History imported from");
    h.get_by_label_contains("The previous database was kept as");
    // At once again: a second kept file, never written over the first.
    h.get_by_label("Import history").click();
    h.run();
    h.get_by_label("Replace my history").click();
    h.run();
    let mut kept: Vec<i64> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let n = p.to_string_lossy();
            n.contains(".before-import-") && !n.ends_with("-wal") && !n.ends_with("-shm")
        })
        .map(|p| reviews_in(&p))
        .collect();
    kept.sort();
    assert_eq!(
        kept,
        vec![3, 5],
        "the original history and the first import are both kept"
    );
    drop(h);
    assert_eq!(reviews_in(&dir.path().join(DB_FILE)), 5);
}
