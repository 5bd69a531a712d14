//! The study group screen's Rasch part through egui_kittest: a group folder of 60 results
//! for a CETL pack, one question miskeyed; the screen shows the calibration, the misfit, the
//! option table by ability third; "Save calibration" writes the file and the dashboard says
//! which readiness model it shows.

mod common;

use certprep::group::ResultReport;
use certprep::rasch::saved::SavedCalibration;
use certprep::reports::ReportKind;
use certprep::ui::CertprepApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::Path;

/// The app on the shipped banks and `data`, on the study group screen reading `folder`.
fn group_screen_on(data: &Path, folder: &Path) -> Harness<'static, CertprepApp> {
    let mut h = common::harness_with(
        common::repo().join("question-banks"),
        data,
        egui::vec2(1400.0, 1000.0),
    );
    h.run();
    h.get_by_label("Study group").click();
    h.run();
    h.get_by_label("Group folder").focus();
    h.run();
    h.get_by_label("Group folder")
        .type_text(&folder.display().to_string());
    h.run();
    h.get_by_label("Use folder").click();
    h.run();
    h
}

#[test]
fn the_group_screen_calibrates_shows_who_chose_what_and_saves_for_readiness() {
    let bank = common::group::cetl();
    let pack = common::group::county_mock(&bank, 30, 41);
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("group");
    std::fs::create_dir_all(&folder).unwrap();
    // Question 1's answers reversed: the strong miss it (and pick a distractor), the weak
    // get it: negative discrimination, a Rasch misfit, a distractor the top third prefers.
    common::group::sit_group(&folder, &pack, &bank, 59, 41, |_, row| {
        let mut row = row.to_vec();
        row[0] = !row[0];
        row
    });
    // A sixtieth member, strong, who missed question 1 and reported it.
    let q1 = pack.items[0].question_id.clone();
    let mut row = vec![true; 30];
    row[0] = false;
    row[7] = false;
    let reported = common::group::result(&pack, &bank, 59, &row)
        .with_reports(vec![ResultReport {
            question_id: q1.clone(),
            kind: ReportKind::WrongKey,
            text: "B is also defensible".into(),
            at: chrono::Utc::now(),
        }])
        .unwrap();
    std::fs::write(
        folder.join("member-41-059.certprep-result.json"),
        reported.to_json(),
    )
    .unwrap();
    let data = dir.path().join("data");
    let mut h = group_screen_on(&data, &folder);

    h.get_by_label("60 members, 30 questions, 0 files rejected");
    h.get_by_label("Rasch calibration");
    h.get_by_label_contains("Rasch calibration (conditional maximum likelihood):");
    h.get_by_label_contains("of 30 placed on one logit scale from");
    // Below the fold in this window: scrolled into view first, as a user would.
    h.get_by_label("Difficulty and fit of every question")
        .scroll_to_me();
    h.run();
    h.get_by_label("Difficulty and fit of every question")
        .click();
    h.run();
    for head in ["Infit", "Outfit", "SE"] {
        h.get_by_label(head);
    }
    assert!(h.query_all_by_label("misfit").count() >= 1);

    // The miskeyed question is flagged, with its figures and who chose what.
    h.get_by_label_contains(&format!("{q1} · "));
    h.get_by_label("Reported: Member 059 (wrong answer key): B is also defensible");
    h.get_by_label_contains("negative discrimination: weaker members did better on it");
    assert!(
        h.query_all_by_label_contains("Rasch misfit: answers to it follow ability less")
            .count()
            >= 1
    );
    // One option table per flagged question: thirds of 20.
    let flagged = h.query_all_by_label("Bottom third (20)").count();
    assert!(flagged >= 1);
    assert_eq!(h.query_all_by_label("Top third (20)").count(), flagged);
    assert!(
        h.query_all_by_label_contains("the top third chose it more often than the bottom third")
            .count()
            >= 1
    );

    // The text report lists the same for the author.
    let files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    let text =
        certprep::group::GroupReport::from_files(Some(&pack), std::slice::from_ref(&bank), &files)
            .to_text();
    assert!(
        text.contains("  reported: Member 059 (wrong answer key): B is also defensible"),
        "{text}"
    );
    assert!(text.contains("For the author: flagged questions and who chose what"));

    // Save it: the file is there, and Home says the model is waiting for first tries.
    h.get_by_label("Save calibration for bank cetl")
        .scroll_to_me();
    h.run();
    h.get_by_label("Save calibration for bank cetl")
        .scroll_to_me();
    h.run();
    h.get_by_label("Save calibration for bank cetl").click();
    h.run();
    h.get_by_label_contains("Calibration saved to");
    let saved = SavedCalibration::path_in(&data, "cetl");
    assert!(saved.is_file(), "{}", saved.display());
    h.get_by_label("Home").click();
    h.run();
    h.get_by_label_contains(
        "A study group's calibration is saved for this bank; readiness on it needs first tries at 10 calibrated questions (you have 0).",
    );
}

#[test]
fn results_of_two_packs_are_calibrated_together_from_the_group_screen() {
    let bank = common::group::cetl();
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("group");
    std::fs::create_dir_all(&folder).unwrap();
    for seed in [51, 52] {
        let pack = common::group::county_mock(&bank, 30, seed);
        common::group::sit_group(&folder, &pack, &bank, 40, seed, |_, row| row.to_vec());
    }
    let data = dir.path().join("data");
    let mut h = group_screen_on(&data, &folder);
    // Without a pack the report cannot tell which pack the results are for: it says so, and
    // offers to calibrate them together.
    h.get_by_label("Calibrate several packs together");
    h.get_by_label("Calibrate all results for bank cetl")
        .scroll_to_me();
    h.run();
    h.get_by_label("Calibrate all results for bank cetl")
        .click();
    h.run();
    h.get_by_label_contains("Bank cetl: 80 results from 2 packs,");
    h.get_by_label_contains("questions placed on one scale from");
    h.get_by_label("Save pooled calibration for bank cetl")
        .scroll_to_me();
    h.run();
    h.get_by_label("Save pooled calibration for bank cetl")
        .click();
    h.run();
    h.get_by_label_contains("Calibration saved to");
    let saved = certprep::rasch::saved::load(&SavedCalibration::path_in(&data, "cetl"), &bank)
        .expect("the pooled calibration reads back");
    assert_eq!(saved.saved.source, "2 packs pooled");
    assert!(saved.saved.members > 60, "{}", saved.saved.members);
}
