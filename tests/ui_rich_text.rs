//! Rich text on the real screens (egui_kittest): a question of the rich fixture bank with
//! superscript and subscript, a code block, a list, a table and an image from the bank
//! folder in the exam and on Results; and a shipped plain-text question drawn exactly as
//! its text.

use certprep::ui::{CertprepApp, Screen};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;

fn rich_banks() -> std::path::PathBuf {
    common::repo().join("tests/data/rich")
}

/// Exam on the rich bank, with question `id` on screen.
fn exam_on(h: &mut Harness<'_, CertprepApp>, id: &str) {
    common::start_exam(h, "Rich text bank");
    let pos = {
        let Screen::Exam(v) = &h.state().screen else {
            panic!("not on the exam screen")
        };
        v.session
            .items
            .iter()
            .position(|i| i.question_id == id)
            .expect("the question is in the exam")
    };
    h.get_by_label(&(pos + 1).to_string()).click();
    h.run();
}

fn assert_rich_question_shown(h: &Harness<'_, CertprepApp>) {
    // Superscript and subscript are their own runs of the stem's one label.
    h.get_by_label("A /22 network holds 210 addresses. Which command lists them? (CO2 aside.)");
    // The code block keeps its line break and indentation.
    h.get_by_label("ip addr show eth0\n    inet 10.50.0.5/22");
    // The list: a bullet and each item.
    assert_eq!(h.query_all_by_label("•").count(), 2);
    h.get_by_label("the network address is reserved");
    h.get_by_label("the broadcast address is reserved");
    // The image from the bank folder, decoded and drawn (not its alt-text fallback).
    h.get_by_role_and_label(egui::accesskit::Role::Image, "Bar chart of three subnets");
    assert!(h.query_by_label_contains("Not loaded").is_none());
}

#[test]
fn exam_and_results_draw_sup_sub_code_list_and_bank_image() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness_with(rich_banks(), dir.path(), egui::vec2(1100.0, 1400.0));
    h.run();
    exam_on(&mut h, "rich-1");
    assert_rich_question_shown(&h);
    // Options in code style keep their letter and text as the radio button's label.
    h.get_by_label_contains("ping 10.50.0.255").click();
    h.run();
    let Screen::Exam(v) = &h.state().screen else {
        panic!("not on the exam screen")
    };
    let item = v
        .session
        .items
        .iter()
        .position(|i| i.question_id == "rich-1")
        .unwrap();
    assert_eq!(v.session.states[item].selected, ["b"]);

    // Results: the same question unfolded shows the same rich text and the explanation.
    common::review_and_submit(&mut h);
    h.get_by_label_contains("Score:");
    h.get_by_label_contains(&format!("{}. Wrong", item + 1))
        .click();
    h.run();
    assert_rich_question_shown(&h);
    h.get_by_label("It prints 1,022 usable hosts.");
    h.get_by_label("That only tests one address.");
}

#[test]
fn table_rows_and_cells_are_laid_out() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness_with(rich_banks(), dir.path(), egui::vec2(1100.0, 1400.0));
    h.run();
    exam_on(&mut h, "rich-2");
    h.get_by_label("Which port does each service use?");
    for cell in ["Service", "Port", "SSH", "22", "HTTPS", "443"] {
        h.get_by_label(cell);
    }
}

#[test]
fn shipped_plain_question_is_drawn_exactly_as_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness_with(
        common::repo().join("question-banks"),
        dir.path(),
        egui::vec2(1100.0, 2000.0),
    );
    h.run();
    common::start_exam(&mut h, "School IT technician fundamentals");
    let Screen::Exam(v) = &h.state().screen else {
        panic!("not on the exam screen")
    };
    let item = v.session.items[0].clone();
    let bank = h.state().bank("school-it-tech").unwrap();
    let q = bank.question(&item.question_id).unwrap().clone();
    assert!(certprep::markup::is_plain(&q.stem));
    // One label holding the stem exactly, and each option as "B. text".
    h.get_by_label(&q.stem);
    for oid in &item.option_order {
        h.get_by_label(&common::option_label(&h, &item, oid));
    }
}

/// Copy the rich fixture bank into `dir` (so its image can be broken) and return the banks
/// folder.
fn rich_bank_copy(dir: &std::path::Path) -> std::path::PathBuf {
    let banks = dir.join("banks");
    let to = banks.join("rich");
    std::fs::create_dir_all(to.join("images")).unwrap();
    let from = rich_banks().join("rich");
    for f in ["bank.json", "questions.json", "images/bars.png"] {
        std::fs::copy(from.join(f), to.join(f)).unwrap();
    }
    banks
}

#[test]
fn a_missing_or_broken_image_shows_its_alt_text_and_why() {
    for (case, break_it) in [
        ("missing", None),
        ("broken", Some(b"not a png at all".as_slice())),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let banks = rich_bank_copy(dir.path());
        let mut h = common::harness_with(
            banks.clone(),
            &dir.path().join("data"),
            egui::vec2(1100.0, 1400.0),
        );
        h.run();
        // The bank was valid when it loaded; the file changes under the running app.
        let image = banks.join("rich/images/bars.png");
        match break_it {
            None => std::fs::remove_file(&image).unwrap(),
            Some(bytes) => std::fs::write(&image, bytes).unwrap(),
        }
        exam_on(&mut h, "rich-1");
        h.get_by_label("Bar chart of three subnets");
        assert!(
            h.query_by_role_and_label(egui::accesskit::Role::Image, "Bar chart of three subnets")
                .is_none(),
            "{case}"
        );
        let want = if break_it.is_none() {
            "Not loaded: image \"images/bars.png\" is not a file in the bank folder"
        } else {
            "Not loaded: not a readable PNG or JPEG image"
        };
        h.get_by_label_contains(want);
    }
}
