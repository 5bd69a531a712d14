//! Drives the real screens through egui_kittest: Home → Setup → Exam → Review → Results.

use certprep::bank::QuestionType;
use certprep::ui::{CertprepApp, Screen};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;

fn harness(data: &std::path::Path) -> Harness<'static, CertprepApp> {
    common::harness_with(common::fixture_banks(), data, egui::vec2(1100.0, 800.0))
}

/// The label of an option as the runner shows it ("B. P1 option A"), found from the state.
fn option_label(h: &Harness<'_, CertprepApp>, original_id: &str) -> String {
    let Screen::Exam(view) = &h.state().screen else {
        panic!("not on the exam screen")
    };
    common::option_label(h, &view.session.items[view.session.current], original_id)
}

fn current_question(h: &Harness<'_, CertprepApp>) -> (String, String, QuestionType) {
    let Screen::Exam(view) = &h.state().screen else {
        panic!("not on the exam screen")
    };
    let s = &view.session;
    let bank = h.state().bank(&s.bank_id).unwrap();
    let q = bank.question(&s.items[s.current].question_id).unwrap();
    (q.id.clone(), q.domain.clone(), q.kind)
}

#[test]
fn sit_flag_review_submit_and_see_per_area_results() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("Practice Mini test bank").click();
    h.run();
    h.get_by_label("Start exam").click();
    h.run();
    h.get_by_label("Question 1 of 6");

    // Answer planning and data correctly, operations wrongly; flag the second question.
    for i in 0..6 {
        let (_id, domain, kind) = current_question(&h);
        let picks: Vec<&str> = match (domain.as_str(), kind) {
            ("plan", _) => vec!["a"],
            ("ops", _) => vec!["c"],
            (_, QuestionType::Multiple) => vec!["a", "c"],
            _ => vec!["a"],
        };
        for p in picks {
            let label = option_label(&h, p);
            h.get_by_label(&label).click();
            h.run();
        }
        if i == 1 {
            h.get_by_label("Flag for review").click();
            h.run();
        }
        if i < 5 {
            h.get_by_label("Next").click();
            h.run();
        }
    }
    h.get_by_label("Review and submit").click();
    h.run();
    h.get_by_label("6 of 6 questions answered.");
    h.get_by_label("Flagged for review (1)");
    h.get_by_label("Submit exam").click();
    h.run();

    h.get_by_label("Score: 4 of 6 correct (67%)");
    h.get_by_label("Pass");
    h.get_by_label("— pass mark 50% (your assumption; the real exam's cut is not published)");
    // Per-area rows.
    h.get_by_label("Planning");
    h.get_by_label("3/3");
    h.get_by_label("Operations");
    h.get_by_label("0/2");
    h.get_by_label("1/1");
    // Every folded review row leads with its verdict.
    assert_eq!(h.get_all_by_label_contains("Correct · ").count(), 4);
    assert_eq!(h.get_all_by_label_contains("Wrong · ").count(), 2);

    // The result is in the database, and Home lists it after a restart.
    drop(h);
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label_contains("4/6 (67%) pass");
}

#[test]
fn keyboard_picks_options_moves_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    common::start_exam(&mut h, "Mini test bank");
    h.key_press(egui::Key::Num2);
    h.run();
    h.key_press(egui::Key::F);
    h.run();
    h.key_press(egui::Key::N);
    h.run();
    let Screen::Exam(view) = &h.state().screen else {
        panic!()
    };
    let s = &view.session;
    assert_eq!(s.current, 1);
    assert_eq!(
        s.states[0].selected,
        vec![s.items[0].option_order[1].clone()]
    );
    assert!(s.states[0].flagged);
    h.key_press(egui::Key::ArrowLeft);
    h.run();
    let Screen::Exam(view) = &h.state().screen else {
        panic!()
    };
    assert_eq!(view.session.current, 0);
}

#[test]
fn countdown_auto_submits_when_time_runs_out() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    common::start_exam(&mut h, "Mini test bank");
    h.state_mut().time_shift = std::time::Duration::from_secs(9 * 60 + 30);
    h.run();
    h.get_by_label("One minute left. Unanswered questions score zero.");
    h.state_mut().time_shift = std::time::Duration::from_secs(10 * 60 + 1);
    h.run();
    h.get_by_label("Time is up: your exam was submitted automatically.");
    h.get_by_label("Score: 0 of 6 correct (0%)");
}

#[test]
fn study_mode_shows_feedback_after_checking() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("Practice Mini test bank").click();
    h.run();
    h.get_by_label("Study (instant feedback)").click();
    h.run();
    h.get_by_label("Start study session").click();
    h.run();
    h.get_by_label("Study mode: untimed");
    let (_, domain, kind) = current_question(&h);
    let wrong = match (domain.as_str(), kind) {
        ("ops", _) => "a",
        (_, QuestionType::TrueFalse) => "b",
        _ => "b",
    };
    let label = option_label(&h, wrong);
    h.get_by_label(&label).click();
    h.run();
    h.get_by_label("Check answer").click();
    h.run();
    h.get_by_label("Not quite");
    h.get_by_label("Your choice — incorrect");
}

/// A full-length mock exam with most questions unanswered: the review page puts the flagged
/// question first, folds the long unanswered list, and keeps Submit in the window.
#[test]
fn review_of_a_long_exam_keeps_flagged_first_and_submit_in_view() {
    let dir = tempfile::tempdir().unwrap();
    let size = egui::vec2(1100.0, 800.0);
    let mut h = common::harness_with(common::repo().join("question-banks"), dir.path(), size);
    h.run();
    common::start_exam(&mut h, "CETL-style practice bank");
    h.get_by_label("Question 1 of 100");
    h.get_by_label("Next").click();
    h.run();
    h.get_by_label("Flag for review").click();
    h.run();
    h.get_by_label("Review and submit").click();
    h.run();

    let flagged = h.get_by_label("Flagged for review (1)").rect();
    let unanswered = h.get_by_label("Unanswered (100)").rect();
    assert!(flagged.top() < unanswered.top(), "flagged comes first");
    let stem_of = |h: &Harness<'_, CertprepApp>, i: usize| {
        let Screen::Exam(view) = &h.state().screen else {
            panic!("not on the exam screen")
        };
        let bank = h.state().bank("cetl").unwrap();
        let q = bank.question(&view.session.items[i].question_id).unwrap();
        let start: String = q.stem.chars().take(40).collect();
        format!("{}. {start}", i + 1)
    };
    let third = stem_of(&h, 2);
    assert!(
        h.query_by_label_contains(&third).is_none(),
        "100 unanswered start folded"
    );
    let submit = h.get_by_label("Submit exam").rect();
    assert!(
        submit.bottom() <= size.y,
        "Submit is inside the window: {submit:?}"
    );

    // Unfold, follow a link: back in the exam on that question.
    h.get_by_label("Unanswered (100)").click();
    h.run();
    h.get_by_label_contains(&third).click();
    h.run();
    let Screen::Exam(view) = &h.state().screen else {
        panic!("not on the exam screen")
    };
    assert!(!view.reviewing);
    assert_eq!(view.session.current, 2);
}

/// Screens do not share a scroll position: with Home scrolled down to its last line, an
/// exam's results open from there still start at the top.
#[test]
fn results_open_at_their_top_whatever_home_was_scrolled_to() {
    let dir = tempfile::tempdir().unwrap();
    let size = egui::vec2(1100.0, 600.0);
    let mut h = common::harness_with(common::repo().join("question-banks"), dir.path(), size);
    h.run();
    common::start_exam(&mut h, "CETL-style practice bank");
    common::review_and_submit(&mut h);
    h.get_by_label("Home").click();
    h.run();

    h.hover_at(egui::pos2(550.0, 300.0));
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, -5000.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::NONE,
    });
    // The wheel scrolls smoothly over a few frames.
    h.run_steps(10);
    assert!(
        h.get_by_label("Question banks").rect().bottom() < 0.0,
        "Home is scrolled down"
    );
    h.get_by_label_contains("Review #").click();
    h.run();
    let score = h.get_by_label("Score: 0 of 100 correct (0%)").rect();
    assert!(score.top() >= 0.0 && score.bottom() <= size.y, "{score:?}");
}

#[test]
fn setup_shows_the_questions_each_area_gets_and_the_pace() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("Practice Mini test bank").click();
    h.run();
    // The bank's default: 6 questions in 10 minutes, split 50/30/20 as 3, 2 and 1.
    h.get_by_label("Questions per skill area, by the blueprint");
    for (area, weight) in [("Planning", "50%"), ("Operations", "30%"), ("Data", "20%")] {
        h.get_by_label(area);
        h.get_by_label(weight);
    }
    for n in ["3", "2", "1"] {
        assert!(h.query_all_by_label(n).count() >= 1, "no cell reads {n}");
    }
    h.get_by_label("6 questions in 10 minutes: about 1 min 40 s a question.");

    // A longer exam takes everything the bank has and the pace follows.
    let Screen::Setup(form) = &mut h.state_mut().screen else {
        panic!("not on the setup screen")
    };
    form.questions = 10;
    h.run();
    h.get_by_label("10 questions in 10 minutes: about 1 min a question.");
    assert_eq!(h.query_all_by_label("5").count(), 1, "Planning gets all 5");

    // Study mode has no clock, so no pace.
    h.get_by_label("Study (instant feedback)").click();
    h.run();
    assert!(h.query_by_label_contains("a question.").is_none());
}
