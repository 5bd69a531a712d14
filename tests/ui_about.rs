//! Help → About, opened by keyboard (F1): the version, the data folder and every place banks
//! come from, with buttons that copy a path.

mod common;

use certprep::bank_sources::BankSources;
use certprep::ui::CertprepApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::Path;

fn about_harness(data: &Path) -> Harness<'static, CertprepApp> {
    let sources = BankSources::standard(data, Some(common::fixture_banks()));
    let mut app = CertprepApp::open(sources, data.to_path_buf());
    assert!(app.wait_for_banks(std::time::Duration::from_secs(120)));
    Harness::builder()
        .with_size(egui::vec2(1100.0, 800.0))
        .build_ui_state(
            |ui, app: &mut CertprepApp| {
                certprep::ui::apply_style(ui.ctx());
                app.show(ui)
            },
            app,
        )
}

#[test]
fn f1_opens_about_with_the_version_the_data_folder_and_the_banks_folders() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut h = about_harness(&data);
    h.run();
    assert!(h.query_by_label("About certprep").is_none());

    h.key_press(egui::Key::F1);
    h.run();
    h.get_by_label("About certprep");
    h.get_by_label(&format!("certprep version {}", env!("CARGO_PKG_VERSION")));
    h.get_by_label(&format!("Data folder: {}", data.display()));
    h.get_by_label(&format!(
        "Your banks: {}",
        data.join("question-banks").display()
    ));
    h.get_by_label(&format!(
        "Banks folder (--banks): {}",
        common::fixture_banks().display()
    ));
    h.get_by_label("Built in: cetl, school-it-tech (inside this program, not a folder)");
    // --banks was given, so imports go there; the data folder's banks do not exist yet.
    h.get_by_label("Given for this run. Imports are written here.");
    h.get_by_label("Banks you import. Not created yet.");

    // The first "Copy path" is the data folder's.
    h.get_all_by_label("Copy path")
        .next()
        .expect("a copy button")
        .click();
    h.run();
    assert_eq!(
        h.state().about.copied.as_deref(),
        Some(data.display().to_string().as_str())
    );
    h.get_by_label(&format!("Copied {}", data.display()));

    h.get_by_label("Close").click();
    h.run();
    assert!(!h.state().about.open);
    assert!(h.query_by_label("About certprep").is_none());
}

#[test]
fn the_help_menu_opens_about_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = about_harness(dir.path());
    h.run();
    h.get_by_label("Help").click();
    h.run();
    h.get_by_label("About certprep (F1)").click();
    h.run();
    assert!(h.state().about.open);
    h.get_by_label("About certprep");
}
