//! Questions ("find any question") through egui_kittest over a real data folder: a question
//! answered in Study and in a mock exam is found by a word of its explanation, narrowed by
//! skill area, and opened with its own history, note and a link to the exam's results.

use certprep::ui::{CertprepApp, Screen};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;

fn harness(data: &std::path::Path) -> Harness<'static, CertprepApp> {
    common::harness_with(common::fixture_banks(), data, egui::vec2(1200.0, 1000.0))
}

/// The mini bank's question `qid`.
fn question(h: &Harness<'_, CertprepApp>, qid: &str) -> certprep::bank::Question {
    h.state()
        .banks
        .bank("mini")
        .and_then(|b| b.question(qid))
        .cloned()
        .expect("a mini-bank question")
}

fn search(h: &mut Harness<'_, CertprepApp>, words: &str) {
    h.get_by_label(certprep::ui::browse::SEARCH_LABEL).focus();
    h.run();
    h.get_by_label(certprep::ui::browse::SEARCH_LABEL)
        .type_text(words);
    h.run();
}

#[test]
fn a_question_answered_in_study_and_an_exam_is_found_and_shows_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());

    // Study: the first question, answered right and rated Good.
    let qid = {
        h.run();
        h.get_by_label("Study now: 0 due, 10 new").click();
        h.run();
        let Screen::Study(view) = &h.state().screen else {
            panic!("not on the study screen")
        };
        let (item, _) = view.session.current.clone().expect("a question");
        for label in common::correct_labels(&h, &item) {
            h.get_by_label(&label).click();
            h.run();
        }
        item.question_id
    };
    h.get_by_label("Check answer").click();
    h.run();
    h.get_by_label("Good (2)").click();
    h.run();
    h.get_by_label("Stop for now").click();
    h.run();
    h.state()
        .store
        .as_ref()
        .expect("the database is open")
        .set_note("mini", &qid, "Ask Pat about the plan")
        .expect("note saved");

    // Questions: everything, then one question by a word of its explanation.
    h.get_by_label("Questions").click();
    h.run();
    h.get_by_label("Showing 10 of 10 questions");
    let q = question(&h, &qid);
    let explanation = q.explanation.clone().expect("mini questions explain");
    search(&mut h, &explanation.to_uppercase());
    let row = format!("{qid} · ");
    h.get_by_label_contains(&row);
    let shown = {
        let Screen::Browse(_) = &h.state().screen else {
            panic!("not on the Questions screen")
        };
        h.query_all_by_label_contains(" · not seen").count()
            + h.query_all_by_label_contains(" right, last ").count()
    };
    assert!(shown >= 1, "the question is listed");
    assert!(
        h.query_all_by_label_contains(" right, last right · note")
            .count()
            == 1,
        "the list says it was answered right and has a note"
    );
    search(&mut h, " nowhere-in-any-question");
    h.get_by_label("No question matches. Fewer words, or every skill area, finds more.");

    // Back to every question, narrowed to the question's own area.
    h.get_by_label(certprep::ui::browse::SEARCH_LABEL).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.run();
    h.get_by_label("Showing 10 of 10 questions");
    let area = h
        .state()
        .banks
        .bank("mini")
        .unwrap()
        .domain_name(&q.domain)
        .to_string();
    let in_area = h
        .state()
        .banks
        .bank("mini")
        .unwrap()
        .questions
        .iter()
        .filter(|x| x.domain == q.domain)
        .count();
    h.get_by_label("Skill area").click();
    h.run();
    h.get_by_label(&area).click();
    h.run();
    h.get_by_label(&format!("Showing {in_area} of 10 questions"));

    // The question's page: its key and its history.
    h.get_by_label_contains(&row).click();
    h.run();
    h.get_by_label(&format!("Question {qid}"));
    h.get_by_label("Your history with this question");
    h.get_by_label_contains("Answered 1 time, 1 right.");
    h.get_by_label_contains("Chance you recall it now: ");
    h.get_by_label("Study");
    h.get_by_label("Good");
    h.get_by_label("Your note: Ask Pat about the plan");
    h.get_by_label("Back to the list").click();
    h.run();
    h.get_by_label(&format!("Showing {in_area} of 10 questions"));
}

#[test]
fn a_mock_exam_answer_links_to_that_exams_results() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    common::start_exam(&mut h, "Mini test bank");
    let (attempt, item) = {
        let Screen::Exam(v) = &h.state().screen else {
            panic!("not on the exam screen")
        };
        (v.session.attempt_id, v.session.items[0].clone())
    };
    // A whole answer that is wrong: a wrong option, and for a "choose two" question as many
    // more as it asks for (one option of two is no answer yet).
    let wrong: Vec<String> = {
        let q = question(&h, &item.question_id);
        let picks = match q.picks() {
            certprep::bank::Picks::Exactly(n) => n,
            certprep::bank::Picks::AnyNumber => 1,
        };
        let first_wrong = q.options.iter().position(|o| !o.correct);
        let first_wrong = first_wrong.expect("a wrong option");
        let others = (0..q.options.len()).filter(|&i| i != first_wrong);
        std::iter::once(first_wrong)
            .chain(others)
            .take(picks)
            .map(|i| common::option_label(&h, &item, &q.options[i].id))
            .collect()
    };
    for option in &wrong {
        h.get_by_label(option).click();
        h.run();
    }
    common::review_and_submit(&mut h);
    h.get_by_label("Home").click();
    h.run();

    h.get_by_label("Questions").click();
    h.run();
    h.get_by_label_contains(&format!("{} · ", item.question_id))
        .click();
    h.run();
    h.get_by_label_contains("Answered 1 time, 0 right.");
    // Not "recall 99%" right after a wrong answer.
    h.get_by_label_contains("Your last answer was wrong. Next review: ");
    assert!(
        h.query_by_label_contains("Chance you recall it now")
            .is_none()
    );
    h.get_by_label("Wrong");
    h.get_by_label("Mock exam").click();
    h.run();
    let Screen::Results(v) = &h.state().screen else {
        panic!("the link did not open the exam's results")
    };
    assert_eq!(v.session.attempt_id, attempt);
}

#[test]
fn a_question_never_answered_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("Questions").click();
    h.run();
    h.get_by_label_contains("plan-1 · ").click();
    h.run();
    h.get_by_label("Not answered yet.");
    h.key_press(egui::Key::Escape);
    h.run();
    h.get_by_label("Showing 10 of 10 questions");
}
