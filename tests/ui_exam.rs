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
    // As the real exam reports: by category, the skill areas beneath. Leadership is
    // Planning alone (3/3); Technology is Operations (0/2) and Data (1/1).
    h.get_by_label("By category and skill area");
    h.get_by_label("Leadership");
    h.get_by_label("Technology");
    h.get_by_label("1/3");
    // Each area is named in the score table and again in the time table below it.
    assert_eq!(h.query_all_by_label("Planning").count(), 2);
    assert_eq!(h.query_all_by_label("3/3").count(), 2);
    assert_eq!(h.query_all_by_label("Operations").count(), 2);
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
    // The dashboard groups the areas the same way, each category with its share of a mock.
    h.get_by_label("Mastery by category and skill area");
    h.get_by_label("Leadership");
    h.get_by_label("Technology");
    assert_eq!(h.query_all_by_label_contains("% of a mock exam").count(), 2);
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
    h.get_by_label("Tutor (feedback after each answer)").click();
    h.run();
    h.get_by_label("Start study session").click();
    h.run();
    h.get_by_label("Study mode: untimed");
    let (_, domain, kind) = current_question(&h);
    let wrong: &[&str] = match (domain.as_str(), kind) {
        ("ops", _) => &["a"],
        // "Choose two": a whole answer takes two picks.
        (_, QuestionType::Multiple) => &["b", "d"],
        _ => &["b"],
    };
    for w in wrong {
        let label = option_label(&h, w);
        h.get_by_label(&label).click();
        h.run();
    }
    h.get_by_label("Check answer").click();
    h.run();
    h.get_by_label("Not quite");
    // One mark per wrong pick: both picks of a "choose two" can be wrong.
    assert!(
        h.query_all_by_label("Your choice — incorrect").count() >= 1,
        "a wrong pick is marked as such"
    );
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
    let Screen::Setup(builder) = &mut h.state_mut().screen else {
        panic!("not on the setup screen")
    };
    builder.form.questions = 10;
    h.run();
    h.get_by_label("10 questions in 10 minutes: about 1 min a question.");
    assert_eq!(h.query_all_by_label("5").count(), 1, "Planning gets all 5");

    // Tutor mode (the exam screen's study mode) has no clock, so no pace.
    h.get_by_label("Tutor (feedback after each answer)").click();
    h.run();
    assert!(h.query_by_label_contains("a question.").is_none());
}

/// The exam screen of the mini bank with a seed whose six questions include the "Choose two"
/// question (or, with `include` false, do not); returns its position.
fn mini_exam(h: &mut Harness<'_, CertprepApp>, include: bool) -> Option<usize> {
    let bank = h.state().bank("mini").unwrap().clone();
    let (seed, pos) = (0..200u64)
        .find_map(|seed| {
            let items = certprep::exam::assemble(&bank, 6, seed);
            let pos = items.iter().position(|i| i.question_id == "data-1");
            (pos.is_some() == include).then_some((seed, pos))
        })
        .expect("some seed draws the exam asked for");
    h.state_mut().push(
        certprep::ui::SetupCmd::Start(certprep::ui::SetupForm {
            bank_id: "mini".into(),
            questions: 6,
            minutes: 10,
            mode: certprep::exam::Mode::Exam,
            seed: Some(seed),
        })
        .into(),
    );
    h.run();
    pos
}

fn exam_with_choose_two(h: &mut Harness<'_, CertprepApp>) -> usize {
    mini_exam(h, true).expect("the exam has the choose-two question")
}

fn exam_view<'a>(h: &'a Harness<'_, CertprepApp>) -> &'a certprep::ui::ExamView {
    match &h.state().screen {
        Screen::Exam(v) => v,
        _ => panic!("not on the exam screen"),
    }
}

/// "Choose two" says so, takes exactly two picks (a third is refused until one is cleared),
/// counts one pick as a partial answer, not an answered question, and the review page lists
/// it as partly answered.
#[test]
fn choose_two_takes_exactly_two_picks() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    let pos = exam_with_choose_two(&mut h);
    h.state_mut().push(certprep::ui::ExamCmd::GoTo(pos).into());
    h.run();
    h.get_by_label("Data · choose two");
    assert!(h.query_by_label_contains("all that apply").is_none());

    let a = option_label(&h, "a");
    h.get_by_label(&a).click();
    h.run();
    h.get_by_label("1 of 2 chosen. Choose two.");
    h.get_by_label("0 answered");
    h.key_press(egui::Key::R);
    h.run();
    h.get_by_label("Partly answered (1)");
    h.get_by_label("0 of 6 questions answered.");
    h.get_by_label_contains("1 partly answered question score zero");
    h.key_press(egui::Key::Escape);
    h.run();

    for o in ["c", "d"] {
        let label = option_label(&h, o);
        h.get_by_label(&label).click();
        h.run();
    }
    let picked = &exam_view(&h).session.states[pos].selected;
    assert_eq!(picked.len(), 2, "the third pick is refused: {picked:?}");
    assert!(picked.contains(&"a".to_string()) && picked.contains(&"c".to_string()));
    h.get_by_label("2 of 2 chosen. To change, clear one of them first.");
    h.get_by_label("1 answered");
    // The keyboard cannot add a third either; clearing one makes room.
    let d_key = exam_view(&h).session.items[pos]
        .option_order
        .iter()
        .position(|o| o == "d")
        .unwrap();
    h.key_press(egui::Key::from_name(&(d_key + 1).to_string()).unwrap());
    h.run();
    assert_eq!(exam_view(&h).session.states[pos].selected.len(), 2);
    h.get_by_label(&a).click();
    h.run();
    h.key_press(egui::Key::from_name(&(d_key + 1).to_string()).unwrap());
    h.run();
    let picked = &exam_view(&h).session.states[pos].selected;
    assert!(
        picked.contains(&"d".to_string()) && picked.len() == 2,
        "{picked:?}"
    );
}

/// Clicking a number in the grid while the review page is open opens that question.
#[test]
fn a_grid_number_on_the_review_page_opens_that_question() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    common::start_exam(&mut h, "Mini test bank");
    h.get_by_label("Review and submit").click();
    h.run();
    h.get_by_label("Review before submitting");
    h.get_by_role_and_label(egui::accesskit::Role::Button, "4")
        .click();
    h.run();
    let v = exam_view(&h);
    assert!(!v.reviewing, "the page is the question, not the review");
    assert_eq!(v.session.current, 3);
    h.get_by_label("Question 4 of 6");
    assert!(h.query_by_label("Review before submitting").is_none());
    h.get_by_label("Flag for review");
}

/// The label of the widget with the keyboard focus.
fn focused(h: &Harness<'_, CertprepApp>) -> Option<String> {
    use egui_kittest::kittest::NodeT;
    h.query_by(|n| n.is_focused())
        .and_then(|n| n.accesskit_node().label())
}

/// On the review page Tab reaches the page's own links and buttons first, then "Save and
/// leave", then the grid; the first Tab and Enter stay in the exam.
#[test]
fn review_page_tab_order_puts_its_own_actions_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    common::start_exam(&mut h, "Mini test bank");
    h.key_press(egui::Key::F);
    h.run();
    h.key_press(egui::Key::R);
    h.run();
    let mut order = Vec::new();
    for _ in 0..16 {
        h.key_press(egui::Key::Tab);
        h.run();
        order.push(focused(&h).unwrap_or_default());
    }
    let at = |label: &str| {
        order
            .iter()
            .position(|l| l == label)
            .unwrap_or_else(|| panic!("Tab never reached {label:?}: {order:?}"))
    };
    let link = order
        .iter()
        .position(|l| l.starts_with("1. "))
        .unwrap_or_else(|| panic!("Tab never reached the flagged question's link: {order:?}"));
    assert_eq!(order[0], "Flagged for review (1)", "{order:?}");
    assert!(link < at("Return to the exam"), "{order:?}");
    assert!(at("Return to the exam") < at("Submit exam"), "{order:?}");
    assert!(at("Submit exam") < at("Save and leave"), "{order:?}");
    assert!(
        at("Save and leave") < at("1"),
        "the grid comes last: {order:?}"
    );

    // From a fresh review page: one Tab and Enter stay in the exam.
    h.key_press(egui::Key::Escape);
    h.run();
    h.key_press(egui::Key::R);
    h.run();
    h.key_press(egui::Key::Tab);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(matches!(h.state().screen, Screen::Exam(_)));
    assert!(exam_view(&h).session.is_open());
}

/// Home asks before discarding an unfinished exam, says how many answers still count, and
/// Tab-Enter from "Resume exam" and then Enter again cannot lose it. Discarded, its answers
/// are reviews as on submit; it is not scored.
#[test]
fn discarding_asks_first_and_the_answers_still_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    // One key press is a whole answer to every question of this exam.
    mini_exam(&mut h, false);
    for _ in 0..3 {
        h.key_press(egui::Key::Num1);
        h.run();
        h.key_press(egui::Key::N);
        h.run();
    }
    let id = exam_view(&h).session.attempt_id;
    h.get_by_label("Save and leave").click();
    h.run();
    h.get_by_label_contains("3 of 6 answered");

    // Resume is focused; Tab and Enter open the question, Enter again keeps the exam.
    h.get_by_label("Resume exam").focus();
    h.run();
    h.key_press(egui::Key::Tab);
    h.run();
    assert_eq!(focused(&h).as_deref(), Some("Discard…"));
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("Discard this exam?");
    h.get_by_label_contains("Your 3 answers still count as study reviews");
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.query_by_label("Discard this exam?").is_none());
    h.get_by_label("Resume exam");
    let store = h.state().store.as_ref().unwrap();
    assert!(store.unfinished_attempt().unwrap().is_some());

    // Escape closes the question too; then a real discard.
    h.get_by_label("Discard…").click();
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.query_by_label("Discard this exam?").is_none());
    h.get_by_label("Discard…").click();
    h.run();
    h.get_by_label("Discard exam").click();
    h.run();
    h.get_by_label_contains("Exam discarded. It is not scored, but your 3 answers count");
    assert!(h.query_by_label("Resume exam").is_none());
    let store = h.state().store.as_ref().unwrap();
    assert!(store.unfinished_attempt().unwrap().is_none());
    assert_eq!(
        store.attempt_summary(id).unwrap().unwrap().status,
        "abandoned"
    );
    assert!(store.recent_attempts(10).unwrap().is_empty(), "not scored");
    let from_exam: i64 = store
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM review_log WHERE source = 'exam' AND attempt_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(from_exam, 3);
    assert_eq!(store.load_cards("mini").unwrap().len(), 3);
    // Discarding again (a second window, a stale Home) counts nothing twice.
    store.abandon_attempt(id, &[]).unwrap();
}

/// Moving between questions is saved at once: after a crash (no clean close), resume opens
/// on the question that was on screen, not the last one answered.
#[test]
fn resume_opens_on_the_question_that_was_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut h = harness(dir.path());
        h.run();
        common::start_exam(&mut h, "Mini test bank");
        h.key_press(egui::Key::Num1);
        h.run();
        for _ in 0..3 {
            h.key_press(egui::Key::N);
            h.run();
        }
        h.get_by_role_and_label(egui::accesskit::Role::Button, "6")
            .click();
        h.run();
        h.key_press(egui::Key::P);
        h.run();
        assert_eq!(exam_view(&h).session.current, 4);
        // Dropped without on_close: as if the power went.
    }
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("Resume exam").click();
    h.run();
    assert_eq!(exam_view(&h).session.current, 4);
    h.get_by_label("Question 5 of 6");
    // Said on the exam page, and gone with it.
    h.get_by_label_contains("Exam resumed with your answers");
    common::review_and_submit(&mut h);
    assert!(h.query_by_label_contains("Exam resumed").is_none());
    assert!(
        h.query_by_label_contains("seed").is_none(),
        "the seed is not shown to candidates"
    );
    h.get_by_label("Home").click();
    h.run();
    assert!(h.query_by_label_contains("Exam resumed").is_none());
}

/// The pace line counts every unit in words that agree with the number.
#[test]
fn setup_says_one_minute_not_one_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("Practice Mini test bank").click();
    h.run();
    let Screen::Setup(builder) = &mut h.state_mut().screen else {
        panic!("not on the setup screen")
    };
    builder.form.minutes = 1;
    h.run();
    h.get_by_label("6 questions in 1 minute: about 10 s a question.");
    // Escape goes back to Home.
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(matches!(h.state().screen, Screen::Home));
}

/// One pick of a "choose two" is not an answer: submitted, it scores zero, the results call
/// it partly answered, and it does not become a review (whole answers do).
#[test]
fn a_partly_answered_question_is_scored_zero_and_not_a_review() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    let pos = exam_with_choose_two(&mut h);
    let other = if pos == 0 { 1 } else { 0 };
    for (index, picks) in [(pos, 1), (other, 1)] {
        h.state_mut()
            .push(certprep::ui::ExamCmd::GoTo(index).into());
        h.run();
        for p in 0..picks {
            let option = exam_view(&h).session.items[index].option_order[p].clone();
            let label = option_label(&h, &option);
            h.get_by_label(&label).click();
            h.run();
        }
    }
    let id = exam_view(&h).session.attempt_id;
    common::review_and_submit(&mut h);
    h.get_by_label_contains(&format!("{}. Partly answered", pos + 1));
    let store = h.state().store.as_ref().unwrap();
    let reviewed: Vec<String> = store
        .connection()
        .prepare("SELECT question_id FROM review_log WHERE attempt_id = ?1")
        .unwrap()
        .query_map([id], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let Screen::Results(r) = &h.state().screen else {
        panic!("not on the results screen")
    };
    assert_eq!(reviewed, vec![r.session.items[other].question_id.clone()]);
    assert!(!r.report.items[pos].is_correct);
}
