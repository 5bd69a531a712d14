//! Shared by the UI tests: the real app in an egui_kittest harness, as the window runs it.
#![allow(dead_code)]

pub mod group;

use certprep::ui::CertprepApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run the real binary with `args` and collect its output.
pub fn certprep(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_certprep"))
        .args(args)
        .output()
        .expect("binary runs")
}

/// `certprep import FORMAT FILE --bank-id ID --out OUT`, which must succeed; its standard
/// output.
pub fn imported(format: &str, file: &Path, bank_id: &str, out: &Path) -> String {
    let o = certprep(&[
        "import",
        format,
        s(file),
        "--bank-id",
        bank_id,
        "--out",
        s(out),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    stdout
}

/// A path as a command-line argument.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("test paths are UTF-8")
}

/// The small fixture banks under tests/data/banks.
pub fn fixture_banks() -> PathBuf {
    repo().join("tests/data/banks")
}

/// Open the app on `banks` and `data` as the window does, in a harness of the given size.
pub fn harness_with(
    banks: PathBuf,
    data: &Path,
    size: egui::Vec2,
) -> Harness<'static, CertprepApp> {
    let mut app = CertprepApp::open(banks, data.to_path_buf());
    // Banks are read on a helper thread; the tests start from a window that has them.
    assert!(app.wait_for_banks(std::time::Duration::from_secs(120)));
    Harness::builder().with_size(size).build_ui_state(
        |ui, app: &mut CertprepApp| {
            certprep::ui::apply_style(ui.ctx());
            app.show(ui)
        },
        app,
    )
}

/// Home → "Practice <bank title>" → Start exam, with the bank's default length and time.
pub fn start_exam(h: &mut Harness<'_, CertprepApp>, bank_title: &str) {
    h.get_by_label(&format!("Practice {bank_title}")).click();
    h.run();
    h.get_by_label("Start exam").click();
    h.run();
}

/// The loaded question behind `item`, whichever bank holds it.
fn question_of<'a>(
    h: &'a Harness<'_, CertprepApp>,
    item: &certprep::exam::ExamItem,
) -> &'a certprep::bank::Question {
    h.state()
        .banks
        .banks
        .iter()
        .find_map(|b| b.question(&item.question_id))
        .expect("the item's question is loaded")
}

/// The label the runner gives option `option_id` of `item` ("B. The option's text").
pub fn option_label(
    h: &Harness<'_, CertprepApp>,
    item: &certprep::exam::ExamItem,
    option_id: &str,
) -> String {
    let q = question_of(h, item);
    let pos = item
        .option_order
        .iter()
        .position(|o| o == option_id)
        .expect("the option is on screen");
    let text = &q.option(option_id).expect("the option exists").text;
    format!("{}. {text}", (b'A' + pos as u8) as char)
}

/// The labels of `item`'s correct options, in the bank's order.
pub fn correct_labels(
    h: &Harness<'_, CertprepApp>,
    item: &certprep::exam::ExamItem,
) -> Vec<String> {
    question_of(h, item)
        .correct_ids()
        .iter()
        .map(|o| option_label(h, item, o))
        .collect()
}

/// From the exam screen: Review and submit → Submit exam.
pub fn review_and_submit(h: &mut Harness<'_, CertprepApp>) {
    h.get_by_label("Review and submit").click();
    h.run();
    h.get_by_label("Submit exam").click();
    h.run();
}

/// A mini-bank exam started, submitted unanswered, and its first question unfolded on
/// Results; that question's id.
pub fn results_with_first_question_open(h: &mut Harness<'_, CertprepApp>) -> String {
    start_exam(h, "Mini test bank");
    review_and_submit(h);
    h.get_by_label_contains("Score:");
    let qid = {
        let certprep::ui::Screen::Results(v) = &h.state().screen else {
            panic!("not on the results screen")
        };
        v.session.items[0].question_id.clone()
    };
    h.get_by_label_contains("1. Unanswered").click();
    h.run();
    qid
}

/// Home → "Study now" on the mini bank's ten new questions; the first question's id and the
/// label of the first option shown.
pub fn study_first_question(h: &mut Harness<'_, CertprepApp>) -> (String, String) {
    h.run();
    h.get_by_label("Study now: 0 due, 10 new").click();
    h.run();
    let certprep::ui::Screen::Study(view) = &h.state().screen else {
        panic!("not on the study screen")
    };
    let (item, _) = view.session.current.as_ref().expect("a question");
    let label = option_label(h, item, &item.option_order[0]);
    (item.question_id.clone(), label)
}

/// An exported bank read back is the bank: nothing skipped or noted, and the same manifest,
/// scenarios and questions (stems, options, keys, explanations, areas, tags and the rest).
pub fn assert_reads_back_as(back: &certprep::import::Import, bank: &certprep::bank::Bank) {
    assert!(back.skipped.is_empty(), "{:?}", back.skipped);
    assert!(back.notes.is_empty(), "{:?}", back.notes);
    let again = back.validate().expect("re-imported bank validates");
    assert_eq!(again.manifest, bank.manifest);
    assert_eq!(again.scenarios, bank.scenarios);
    assert_eq!(again.questions.len(), bank.questions.len());
    for q in &bank.questions {
        assert_eq!(again.question(&q.id), Some(q), "question {}", q.id);
    }
}

/// A mock exam of `items` from `bank` as certprep starts one: no time limit, no pack, no
/// title of its own, not practice. A test sets what it needs over it
/// (`NewAttempt { time_limit: …, ..exam_attempt(…) }`).
pub fn exam_attempt<'a>(
    bank: &'a certprep::bank::Bank,
    items: &'a [certprep::exam::ExamItem],
    seed: u64,
    pass_percent: f64,
) -> certprep::store::NewAttempt<'a> {
    certprep::store::NewAttempt {
        bank_id: bank.id(),
        bank_version: &bank.manifest.version,
        mode: certprep::exam::Mode::Exam,
        seed,
        pass_percent,
        time_limit: None,
        items,
        pack_id: None,
        title: None,
        practice: false,
    }
}
