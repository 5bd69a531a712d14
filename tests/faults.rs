//! Broken environments: each gives a clear message and loses nothing already saved.

use certprep::exam::{ItemState, Mode, assemble};
use certprep::store::{NewAttempt, Store, StoreError};
use certprep::ui::CertprepApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::PathBuf;
use std::time::Duration;

fn mini() -> certprep::bank::Bank {
    certprep::bank::load_bank(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/banks/mini"),
    )
    .unwrap()
}

/// A full disk, simulated by capping the database's page count: the write that does not fit
/// fails with a message naming the cause, and every earlier answer is still there.
#[test]
fn disk_full_fails_the_write_clearly_and_keeps_earlier_answers() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let bank = certprep::synth::bank(400, 1);
    let items = assemble(&bank, 400, 1);
    let id = store
        .create_attempt(&NewAttempt {
            bank_id: bank.id(),
            bank_version: "s",
            mode: Mode::Exam,
            seed: 1,
            pass_percent: 70.0,
            time_limit: None,
            items: &items,
            pack_id: None,
            title: None,
            practice: false,
        })
        .unwrap();
    let pages: i64 = store
        .connection()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    store
        .connection()
        .execute_batch(&format!("PRAGMA max_page_count = {}", pages + 2))
        .unwrap();
    let long = "x".repeat(3000);
    let mut saved = 0;
    let mut failure = None;
    for pos in 0..items.len() {
        // Long selections make each row grow until the capped file is full.
        let state = ItemState {
            selected: vec![format!("{long}{pos}")],
            flagged: false,
            checked: false,
            confidence: None,
        };
        match store.save_item(id, pos, &state, Duration::ZERO, pos) {
            Ok(()) => saved += 1,
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let err = failure.expect("the capped database fills up");
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("full"), "{msg}");
    assert!(msg.contains("free disk space"), "{msg}");
    assert!(saved > 0);
    drop(store);
    let store = Store::open_in(dir.path()).unwrap();
    let kept = store.load_session(id).unwrap().unwrap().session;
    assert_eq!(kept.with_picks(), saved);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

fn harness(banks: PathBuf, data: PathBuf) -> Harness<'static, CertprepApp> {
    let mut app = CertprepApp::open(banks, data);
    assert!(app.wait_for_banks(std::time::Duration::from_secs(120)));
    Harness::builder()
        .with_size(egui::vec2(1100.0, 800.0))
        .build_ui_state(|ui, app: &mut CertprepApp| app.show(ui), app)
}

#[test]
fn data_folder_that_cannot_be_created_is_explained_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_dir = dir.path().join("file");
    std::fs::write(&not_a_dir, "I am a file").unwrap();
    let banks = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/banks");
    let mut h = harness(banks, not_a_dir.join("data"));
    h.run();
    h.get_by_label("Your history cannot be opened, so nothing can be saved right now.");
    h.get_by_label_contains("cannot create the data folder");
    // The banks still load and are listed.
    h.get_by_label("Mini test bank");
}

#[test]
fn unreadable_bank_is_listed_with_its_reason_and_the_others_load() {
    let root = tempfile::tempdir().unwrap();
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/banks/mini");
    let good = root.path().join("mini");
    std::fs::create_dir_all(&good).unwrap();
    for f in ["bank.json", "questions.json"] {
        std::fs::copy(src.join(f), good.join(f)).unwrap();
    }
    // A question file that cannot be read: a link to nowhere (file permissions do not stop
    // root, which CI runs as, so they cannot stand in for an unreadable file).
    let bad = root.path().join("broken");
    std::fs::create_dir_all(&bad).unwrap();
    let manifest = std::fs::read_to_string(src.join("bank.json")).unwrap();
    std::fs::write(
        bad.join("bank.json"),
        manifest.replace("\"mini\"", "\"broken\""),
    )
    .unwrap();
    std::os::unix::fs::symlink(root.path().join("gone.json"), bad.join("questions.json")).unwrap();
    let data = tempfile::tempdir().unwrap();
    let mut h = harness(root.path().to_path_buf(), data.path().to_path_buf());
    h.run();
    h.get_by_label("Mini test bank");
    h.get_by_label("Banks that could not be loaded");
    assert_eq!(h.state().banks.failures.len(), 1);
    let msg = h.state().banks.failures[0].errors[0].to_string();
    assert!(msg.contains("questions.json: cannot read"), "{msg}");
}

#[test]
fn mini_fixture_is_valid() {
    assert_eq!(mini().questions.len(), 10);
}
