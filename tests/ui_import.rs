//! The Import screen through egui_kittest: a GIFT or CSV file is previewed (counts per skill
//! area, skipped items with their lines) before anything is written; Import writes a bank
//! folder that loads, and an existing folder is replaced only after an explicit yes.

use certprep::ui::{CertprepApp, Screen};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};

mod common;

const QUIZ: &str = "\
// A quiz exported from Moodle for the import tests.
$CATEGORY: $course$/top/Spring/Planning

::p1:: Which step comes first in a technology plan? {=A needs assessment ~Buying devices ~A pilot}

::p2:: A technology plan is reviewed at least once a year. {T}

$CATEGORY: $course$/top/Spring/Data Privacy

::d1:: Which two US laws protect student data? {~%50%FERPA ~%50%COPPA ~%-100%HIPAA}

::essay:: Describe your district's vision for learning. {}

::bits:: How many bits are in a byte? {#8}
";

/// A banks folder named like the real one, holding a copy of the fixture bank, a data
/// folder, and the quiz file "Spring Quiz.gift".
struct Setup {
    _dir: tempfile::TempDir,
    banks: PathBuf,
    data: PathBuf,
    quiz: PathBuf,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let banks = dir.path().join("question-banks");
    let mini = banks.join("mini");
    std::fs::create_dir_all(&mini).unwrap();
    for f in std::fs::read_dir(common::fixture_banks().join("mini")).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), mini.join(f.file_name())).unwrap();
    }
    let quiz = dir.path().join("Spring Quiz.gift");
    std::fs::write(&quiz, QUIZ).unwrap();
    Setup {
        data: dir.path().join("data"),
        banks,
        quiz,
        _dir: dir,
    }
}

fn harness(s: &Setup) -> Harness<'static, CertprepApp> {
    common::harness_with(s.banks.clone(), &s.data, egui::vec2(1100.0, 1400.0))
}

/// Step frames until the background job is done and its result is on screen.
fn wait_for_job(h: &mut Harness<'_, CertprepApp>) {
    for _ in 0..1000 {
        h.step();
        if !h.state().import.busy() {
            h.run();
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("the import job did not finish");
}

fn preview_by_typing(h: &mut Harness<'_, CertprepApp>, file: &Path) {
    h.get_by_label("Import").click();
    h.run();
    h.get_by_label("File to import").focus();
    h.run();
    h.get_by_label("File to import")
        .type_text(&file.display().to_string());
    h.run();
    h.get_by_label("Preview").click();
    wait_for_job(h);
}

#[test]
fn gift_preview_shows_counts_and_skipped_lines_then_import_writes_a_bank_that_loads() {
    let s = setup();
    let mut h = harness(&s);
    h.run();
    preview_by_typing(&mut h, &s.quiz);

    h.get_by_label("Preview of Spring Quiz.gift (GIFT)");
    h.get_by_label("3 questions to import, 2 skipped");
    h.get_by_label("Planning: 2 questions");
    h.get_by_label("Data Privacy: 1 question");
    h.get_by_label("Which step comes first in a technology plan?");
    h.get_by_label("Skipped (2)");
    h.get_by_label_contains("Line 12: essay");
    h.get_by_label_contains("Line 14: numerical");
    // The id comes from the file name; nothing is written yet.
    assert_eq!(h.state().import.bank_id, "spring-quiz");
    let target = s.banks.join("spring-quiz");
    assert!(!target.exists(), "the preview must not write anything");

    // A title of our own, then import.
    h.get_by_label("Title").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Title").type_text("Spring quiz (imported)");
    h.run();
    h.get_by_label("Import into question-banks/spring-quiz")
        .click();
    wait_for_job(&mut h);

    h.get_by_label("Imported 3 questions into question-banks/spring-quiz.");
    let bank = certprep::bank::load_bank(&target).expect("the written bank loads");
    assert_eq!(bank.questions.len(), 3);
    assert_eq!(bank.manifest.title, "Spring quiz (imported)");
    // Banks were reloaded: the new bank is there, beside the old one.
    let app = h.state();
    assert!(app.bank("spring-quiz").is_some());
    assert!(app.bank("mini").is_some());
    assert_eq!(app.selected_bank.as_deref(), Some("spring-quiz"));

    // And it can be practised at once.
    h.get_by_label("Practise with it").click();
    h.run();
    assert!(matches!(&h.state().screen, Screen::Setup(b) if b.form.bank_id == "spring-quiz"));
}

#[test]
fn an_existing_bank_folder_is_replaced_only_after_an_explicit_yes() {
    let s = setup();
    let mut h = harness(&s);
    h.run();
    preview_by_typing(&mut h, &s.quiz);
    // Aim at the fixture bank's folder.
    h.get_by_label("Bank id").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Bank id").type_text("mini");
    h.run();
    h.get_by_label("question-banks/mini already exists: importing will ask before replacing it.");
    h.get_by_label("Import into question-banks/mini").click();
    h.run();
    // Asked, nothing written.
    h.get_by_label_contains("question-banks/mini already holds a bank. Replace it?");
    assert!(!h.state().import.busy());
    let old_manifest = std::fs::read_to_string(s.banks.join("mini/bank.json")).unwrap();
    assert!(old_manifest.contains("\"mini\""));
    // "No" keeps it.
    h.get_by_label("Keep the existing bank").click();
    h.run();
    assert!(h.query_by_label("Replace question-banks/mini").is_none());
    assert_eq!(
        std::fs::read_to_string(s.banks.join("mini/bank.json")).unwrap(),
        old_manifest
    );

    // Ask again and say yes: the old folder is moved aside into the data folder.
    h.get_by_label("Import into question-banks/mini").click();
    h.run();
    h.get_by_label("Replace question-banks/mini").click();
    wait_for_job(&mut h);
    h.get_by_label("Imported 3 questions into question-banks/mini.");
    assert_eq!(h.state().bank("mini").unwrap().questions.len(), 3);
    let aside: Vec<PathBuf> = std::fs::read_dir(s.data.join("replaced-banks"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        std::fs::read_to_string(aside[0].join("bank.json")).unwrap(),
        old_manifest
    );
}

/// A file dropped onto the window, as the windowing integration hands it over.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_dropped_csv_file_opens_its_preview_from_any_screen() {
    let s = setup();
    let csv = s.data.parent().unwrap().join("sheet.csv");
    std::fs::write(
        &csv,
        "domain,stem,option_a,option_b,option_c,correct\n\
         Networks,Which protocol assigns addresses?,DHCP,DNS,ARP,a\n\
         Networks,Which protocol resolves names?,DHCP,DNS,ARP,b\n\
         Networks,A question with one option,Only,,,a\n\
         Security,Which is a second factor?,A password,A hardware key,A username,b\n",
    )
    .unwrap();
    let mut h = harness(&s);
    h.run();
    assert!(matches!(h.state().screen, Screen::Home));
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(csv.clone())));
    h.step();
    wait_for_job(&mut h);
    assert!(matches!(h.state().screen, Screen::Import));
    h.get_by_label("Preview of sheet.csv (CSV)");
    h.get_by_label("3 questions to import, 1 skipped");
    h.get_by_label("Networks: 2 questions");
    h.get_by_label("Security: 1 question");
    h.get_by_label_contains("Line 4:");
    assert!(!s.banks.join("sheet").exists());
}

#[test]
fn an_unreadable_file_says_why_and_writes_nothing() {
    let s = setup();
    let mut h = harness(&s);
    h.run();
    let missing = s.data.parent().unwrap().join("nope.gift");
    preview_by_typing(&mut h, &missing);
    h.get_by_label_contains("nope.gift: cannot read");
    assert!(h.query_by_label_contains("questions to import").is_none());
}

#[test]
fn the_import_screen_is_remembered_across_a_restart() {
    let s = setup();
    let mut h = harness(&s);
    h.run();
    h.get_by_label("Import").click();
    h.run();
    drop(h);
    let mut h = harness(&s);
    h.run();
    assert!(matches!(h.state().screen, Screen::Import));
    h.get_by_label("Import questions");
}

/// The preview runs `certprep lint` over what would be imported and lists what it finds, by
/// line; it informs and does not block the import.
#[test]
fn the_preview_shows_the_item_writing_check_by_line() {
    let s = setup();
    let leaky = common::repo().join("tests/data/lint/leaky.gift");
    let mut h = harness(&s);
    h.run();
    preview_by_typing(&mut h, &leaky);
    h.get_by_label("Item-writing check: 0 cues that give keys away, 3 remarks");
    h.get_by_label_contains("Line 4: q1: the key is the only long option");
    h.get_by_label_contains("Line 11: q2: option c is \"None of the above\"");
    assert!(
        h.query_by_label_contains("Import into question-banks/leaky")
            .is_some(),
        "the check does not stop the import"
    );
}

/// An older Excel "CSV" (Windows-1252, not UTF-8) is previewed, decoded, and the preview
/// says how it was read (issue 18).
#[test]
fn a_windows_1252_csv_is_previewed_and_the_preview_names_the_encoding() {
    let s = setup();
    let csv = s.data.parent().unwrap().join("Quiz FR.csv");
    std::fs::copy(common::repo().join("tests/data/csv/excel_cp1252.csv"), &csv).unwrap();
    let mut h = harness(&s);
    h.run();
    preview_by_typing(&mut h, &csv);
    h.get_by_label("Preview of Quiz FR.csv (CSV)");
    h.get_by_label("2 questions to import, 1 skipped");
    h.get_by_label_contains("it was read as Windows-1252");
    h.get_by_label("Quel café coûte 3 €?");
    h.get_by_label_contains("Line 3:");
}

/// A `.txt` file in Moodle's Aiken format is told from GIFT by its text and previewed as
/// Aiken, with its skipped questions by line (issue 18).
#[test]
fn an_aiken_txt_file_is_previewed_as_aiken() {
    let s = setup();
    let file = s.data.parent().unwrap().join("Week 3.txt");
    std::fs::copy(common::repo().join("tests/data/aiken/sample.txt"), &file).unwrap();
    let mut h = harness(&s);
    h.run();
    preview_by_typing(&mut h, &file);
    h.get_by_label("Preview of Week 3.txt (Aiken)");
    h.get_by_label("5 questions to import, 8 skipped");
    h.get_by_label("Which protocol assigns IP addresses automatically?");
    h.get_by_label_contains("Line 24: no \"ANSWER: X\" line");
}

/// A Moodle XML file is previewed as Moodle XML: questions by category, the skipped
/// short-answer question with its line and type, how many images are kept; Import writes
/// the bank with its images in images/ (issue 18).
#[test]
fn a_moodle_xml_file_is_previewed_with_its_images_and_imported() {
    let s = setup();
    let file = s.data.parent().unwrap().join("Network Quiz.xml");
    std::fs::copy(
        common::repo().join("tests/data/moodle_xml/images.xml"),
        &file,
    )
    .unwrap();
    let mut h = harness(&s);
    h.run();
    preview_by_typing(&mut h, &file);
    h.get_by_label("Preview of Network Quiz.xml (Moodle XML)");
    h.get_by_label("2 questions to import, 1 skipped");
    h.get_by_label("3 images kept: written to images/ in the new bank folder.");
    h.get_by_label("Network diagrams: 2 questions");
    h.get_by_label_contains("What does this diagram show?");
    h.get_by_label_contains("Line 29: question type \"shortanswer\" (short answer)");
    let target = s.banks.join("network-quiz");
    assert!(!target.exists(), "the preview must not write anything");

    h.get_by_label("Import into question-banks/network-quiz")
        .click();
    wait_for_job(&mut h);
    h.get_by_label("Imported 2 questions into question-banks/network-quiz.");
    let bank = certprep::bank::load_bank(&target).expect("the written bank loads");
    assert_eq!(bank.questions.len(), 2);
    for image in ["net-map.png", "star.png", "evil.png"] {
        assert!(target.join("images").join(image).is_file(), "{image}");
    }
}

/// A Moodle XML export saved under another extension is still told apart by its `<quiz>`
/// root; one with another root gets a clear reason and nothing is written.
#[test]
fn moodle_xml_is_recognised_by_its_root_and_a_wrong_root_is_refused() {
    let s = setup();
    let dir = s.data.parent().unwrap();
    let renamed = dir.join("from moodle.txt");
    std::fs::copy(
        common::repo().join("tests/data/moodle_xml/truefalse.xml"),
        &renamed,
    )
    .unwrap();
    let mut h = harness(&s);
    h.run();
    preview_by_typing(&mut h, &renamed);
    h.get_by_label("Preview of from moodle.txt (Moodle XML)");
    h.get_by_label("2 questions to import, 1 skipped");
    h.get_by_label("No images kept.");

    let wrong = dir.join("page.xml");
    std::fs::copy(
        common::repo().join("tests/data/moodle_xml/wrong_root.xml"),
        &wrong,
    )
    .unwrap();
    h.get_by_label("File to import").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("File to import")
        .type_text(&wrong.display().to_string());
    h.run();
    h.get_by_label("Preview").click();
    wait_for_job(&mut h);
    h.get_by_label_contains("the root element is <html>, not <quiz>");
    assert!(h.query_by_label_contains("questions to import").is_none());
}

/// Without --banks, an import goes to the data folder's question-banks/, and a built-in
/// bank's id is refused there (the built-in bank would win and hide the import).
#[test]
fn an_import_into_the_data_folder_cannot_take_a_built_in_bank_id() {
    let s = setup();
    let sources = certprep::bank_sources::BankSources::standard(&s.data, None);
    let mut app = CertprepApp::open(sources, s.data.clone());
    assert!(app.wait_for_banks(std::time::Duration::from_secs(120)));
    let mut h = Harness::builder()
        .with_size(egui::vec2(1100.0, 1400.0))
        .build_ui_state(
            |ui, app: &mut CertprepApp| {
                certprep::ui::apply_style(ui.ctx());
                app.show(ui)
            },
            app,
        );
    h.run();
    preview_by_typing(&mut h, &s.quiz);
    h.get_by_label("Bank id").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Bank id").type_text("cetl");
    h.run();
    h.get_by_label(
        "\"cetl\" is the id of a bank built into certprep; an import cannot replace it. \
         Choose another bank id.",
    );
    h.get_by_label("Import into question-banks/cetl").click();
    h.run();
    assert!(!h.state().import.busy());
    assert!(!s.data.join("question-banks/cetl").exists());

    // Another id is written to the data folder and read from there.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Bank id").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Bank id").type_text("spring");
    h.run();
    h.get_by_label("Import into question-banks/spring").click();
    wait_for_job(&mut h);
    assert!(s.data.join("question-banks/spring/bank.json").is_file());
    let spring = h
        .state()
        .banks
        .bank("spring")
        .expect("the import is loaded");
    assert!(!spring.is_built_in());
    assert!(
        h.state()
            .banks
            .bank("cetl")
            .is_some_and(|b| b.is_built_in())
    );
}
