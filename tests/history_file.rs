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
