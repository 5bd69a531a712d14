//! Notes and bookmarks through egui_kittest over a real data folder: bookmark a question and
//! write a note on it in Study after checking an answer, see them again on Results' question
//! review, and find the note from Home's search.

use certprep::ui::CertprepApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::Path;

mod common;

fn harness(data: &Path) -> Harness<'static, CertprepApp> {
    common::harness_with(common::fixture_banks(), data, egui::vec2(1200.0, 1400.0))
}

const NOTE: &str = "Note (empty removes it)";

/// Types `text` into the open note dialog's box.
fn type_note(h: &mut Harness<'_, CertprepApp>, text: &str) {
    h.get_by_label(NOTE).focus();
    h.run();
    h.get_by_label(NOTE).type_text(text);
    h.run();
}

/// The notes and bookmarks kept on the mini bank.
fn saved_notes(
    h: &Harness<'_, CertprepApp>,
) -> std::collections::BTreeMap<String, certprep::store::notes::QuestionNotes> {
    h.state()
        .store
        .as_ref()
        .expect("the database is open")
        .question_notes("mini")
        .expect("notes read")
}

#[test]
fn bookmark_and_note_in_study_then_find_them_from_home() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    let (qid, first) = common::study_first_question(&mut h);
    assert!(
        h.query_by_label("Bookmark").is_none(),
        "not before the answer is checked"
    );
    h.get_by_label(&first).click();
    h.run();
    h.get_by_label("Check answer").click();
    h.run();
    h.get_by_label("Bookmark").click();
    h.run();
    h.get_by_label("Remove bookmark");
    h.get_by_label("Bookmarked");
    h.get_by_label("Add a note…").click();
    h.run();
    h.get_by_label("Your note on this question");
    // Keys typed into the note are text, not study ratings (2 would rate Good).
    type_note(&mut h, "Ask Pat about 2 retention rules");
    h.get_by_label_contains("0 done");
    h.get_by_label("Save note").click();
    h.run();
    assert!(h.query_by_label("Save note").is_none(), "the dialog closed");
    h.get_by_label("Your note: Ask Pat about 2 retention rules");
    h.get_by_label("Edit note…");
    let saved = saved_notes(&h);
    assert_eq!(saved[&qid].note, "Ask Pat about 2 retention rules");
    assert!(saved[&qid].bookmarked);

    // Esc cancels an edit: the note stays as it was.
    h.get_by_label("Edit note…").click();
    h.run();
    type_note(&mut h, " and more");
    h.key_press(egui::Key::Escape);
    h.run();
    h.get_by_label("Your note: Ask Pat about 2 retention rules");

    // Home lists it; the search finds it by a word of the note and not by a word that is
    // nowhere.
    h.get_by_label("Stop for now").click();
    h.run();
    if h.query_by_label("Back to the dashboard").is_some() {
        h.get_by_label("Back to the dashboard").click();
        h.run();
    }
    h.get_by_label("Your notes and bookmarks (1)")
        .scroll_to_me();
    h.run();
    h.get_by_label("Your notes and bookmarks (1)").click();
    h.run();
    h.get_by_label("Ask Pat about 2 retention rules");
    h.get_by_label("Search notes").focus();
    h.run();
    h.get_by_label("Search notes").type_text("PAT retention");
    h.run();
    h.get_by_label_contains(&format!("{qid} · bookmarked · "));
    h.get_by_label("Search notes").type_text(" zebra");
    h.run();
    h.get_by_label("No note or bookmarked question matches.");
}

#[test]
fn notes_show_on_results_review_and_removing_them_works() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut h = harness(&data);
    h.run();
    let qid = common::results_with_first_question_open(&mut h);
    h.get_by_label("Add a note…").click();
    h.run();
    type_note(&mut h, "Reread chapter 4");
    h.get_by_label("Save note").click();
    h.run();
    h.get_by_label("Your note: Reread chapter 4");
    // Emptying the note removes it.
    h.get_by_label("Edit note…").click();
    h.run();
    h.get_by_label(NOTE).focus();
    h.run();
    for _ in 0.."Reread chapter 4".len() {
        h.key_press(egui::Key::Backspace);
    }
    h.run();
    h.get_by_label("Save note").click();
    h.run();
    assert!(h.query_by_label("Your note: Reread chapter 4").is_none());
    h.get_by_label("Add a note…");
    let notes = saved_notes(&h);
    assert!(!notes.contains_key(&qid));
}
