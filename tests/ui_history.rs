//! The attempt history, a past attempt's review with filters, the retake of its wrong and
//! flagged questions, time per question and the confidence choice, driven through
//! egui_kittest over a real SQLite file.

use certprep::ui::{CertprepApp, Screen};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::time::Duration;

mod common;

fn harness(data: &std::path::Path) -> Harness<'static, CertprepApp> {
    common::harness_with(common::fixture_banks(), data, egui::vec2(1100.0, 2000.0))
}

/// The exam item on screen.
fn current_item(h: &Harness<'_, CertprepApp>) -> certprep::exam::ExamItem {
    let Screen::Exam(v) = &h.state().screen else {
        panic!("not on the exam screen")
    };
    v.session.items[v.session.current].clone()
}

/// Answer the exam question on screen right or wrong by clicking its options (as many as it
/// asks for); its question id.
fn answer_on_screen(h: &mut Harness<'_, CertprepApp>, right: bool) -> String {
    let item = current_item(h);
    let labels = if right {
        common::correct_labels(h, &item)
    } else {
        let bank = h.state().bank("mini").unwrap();
        let q = bank.question(&item.question_id).unwrap();
        let n = q.correct_ids().len();
        let wrong: Vec<String> = q
            .options
            .iter()
            .filter(|o| !o.correct)
            .take(n)
            .map(|o| o.id.clone())
            .collect();
        wrong
            .iter()
            .map(|o| common::option_label(h, &item, o))
            .collect()
    };
    for label in &labels {
        h.get_by_label(label).click();
        h.run();
    }
    item.question_id
}

/// Spend `secs` on the question on screen (the app's clock moved, no sleeping).
fn spend(h: &mut Harness<'_, CertprepApp>, secs: u64) {
    h.state_mut().time_shift += Duration::from_secs(secs);
    h.run();
}

fn next(h: &mut Harness<'_, CertprepApp>) {
    h.get_by_label("Next").click();
    h.run();
}

#[test]
fn an_old_attempt_is_reopened_from_the_history_filtered_and_its_wrong_ones_retaken() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    // Nothing is over yet.
    h.get_by_label("History").click();
    h.run();
    h.get_by_label_contains("No exam or tutor session is over yet");
    h.get_by_label("Home").click();
    h.run();

    // Six answered: the second wrong, the third right but flagged, the rest right.
    common::start_exam(&mut h, "Mini test bank");
    let mut asked = Vec::new();
    for pos in 0..6 {
        spend(&mut h, 10 + 5 * pos);
        asked.push(answer_on_screen(&mut h, pos != 1));
        if pos == 2 {
            h.get_by_label("Flag for review").click();
            h.run();
        }
        if pos < 5 {
            next(&mut h);
        }
    }
    common::review_and_submit(&mut h);
    h.get_by_label("Score: 5 of 6 correct (83%)");
    h.get_by_label("Home").click();
    h.run();
    // An exam left running is not in the history; one given up is, as abandoned.
    common::start_exam(&mut h, "Mini test bank");
    h.get_by_label("Save and leave").click();
    h.run();
    h.get_by_label("Discard…").click();
    h.run();
    h.get_by_label("Discard exam").click();
    h.run();

    h.get_by_label("History").click();
    h.run();
    h.get_by_label(
        "2 attempts, newest first. Review opens an attempt's questions with filters and a retake.",
    );
    h.get_by_label("abandoned, not scored");
    h.get_by_label("5/6 (83%)");
    h.get_by_label("Review #1").click();
    h.run();
    let Screen::Results(view) = &h.state().screen else {
        panic!("not on Results")
    };
    assert_eq!(view.session.attempt_id, 1);

    // Filters.
    assert_eq!(h.query_all_by_label_contains(". Correct · ").count(), 5);
    h.get_by_label("Wrong (1)").click();
    h.run();
    assert_eq!(h.query_all_by_label_contains(". Wrong · ").count(), 1);
    assert!(h.query_by_label_contains(". Correct · ").is_none());
    h.get_by_label("Flagged (1)").click();
    h.run();
    assert!(h.query_by_label_contains(". Wrong · ").is_none());
    h.get_by_label_contains("3. Correct · ");
    h.get_by_label("Unanswered (0)").click();
    h.run();
    h.get_by_label("No question matches this filter.");
    h.get_by_label("All (6)").click();
    h.run();
    // Time per question: the slowest first, the pace of the exam beside each area.
    h.get_by_label("Slowest questions");
    h.get_by_label_contains("0:35 · 6.");
    h.get_by_label("Pace: 1:40 a question (10:00 for 6 questions).");

    h.get_by_label("Retake the wrong and flagged ones (2)")
        .click();
    h.run();
    let Screen::Exam(v) = &h.state().screen else {
        panic!("the retake did not start")
    };
    let retaken: Vec<String> = v
        .session
        .items
        .iter()
        .map(|i| i.question_id.clone())
        .collect();
    assert_eq!(retaken, vec![asked[1].clone(), asked[2].clone()]);
    assert_ne!(v.session.attempt_id, 1, "a new attempt");
    assert_eq!(v.session.clock.limit, Some(Duration::from_secs(200)));
    assert!(v.title.ends_with("retake"), "{}", v.title);
    // The new attempt is written: it is the one Home offers to resume.
    let store = h.state().store.as_ref().unwrap();
    let unfinished = store.unfinished_attempt().unwrap().unwrap();
    assert_eq!(unfinished.question_count, 2);
}

#[test]
fn confidence_is_off_by_default_chosen_by_key_and_shown_in_review() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    common::start_exam(&mut h, "Mini test bank");
    assert!(
        h.query_by_label("How sure are you?").is_none(),
        "off by default"
    );
    h.get_by_label("Save and leave").click();
    h.run();
    h.get_by_label("Discard…").click();
    h.run();
    h.get_by_label("Discard exam").click();
    h.run();

    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label("Ask how sure I am in exams (sure, unsure, guess)")
        .click();
    h.run();
    assert!(h.state().prefs.ask_confidence);
    h.get_by_label("Home").click();
    h.run();

    common::start_exam(&mut h, "Mini test bank");
    h.get_by_label("How sure are you?");
    // Right, then G: a guess. Wrong, then S: sure. Right, then U twice: no mark.
    answer_on_screen(&mut h, true);
    h.key_press(Key::G);
    h.run();
    next(&mut h);
    answer_on_screen(&mut h, false);
    h.key_press(Key::S);
    h.run();
    next(&mut h);
    answer_on_screen(&mut h, true);
    h.key_press(Key::U);
    h.run();
    h.key_press(Key::U);
    h.run();
    let marks: Vec<_> = {
        let Screen::Exam(v) = &h.state().screen else {
            panic!()
        };
        v.session.states.iter().map(|s| s.confidence).collect()
    };
    use certprep::exam::AnswerConfidence as C;
    assert_eq!(
        marks,
        vec![Some(C::Guess), Some(C::Sure), None, None, None, None]
    );
    // Written as given: the marks are in the database before submitting.
    let id = {
        let Screen::Exam(v) = &h.state().screen else {
            panic!()
        };
        v.session.attempt_id
    };
    let saved = h
        .state()
        .store
        .as_ref()
        .unwrap()
        .load_session(id)
        .unwrap()
        .unwrap()
        .session;
    assert_eq!(saved.states[0].confidence, Some(C::Guess));
    assert_eq!(saved.states[1].confidence, Some(C::Sure));

    common::review_and_submit(&mut h);
    h.get_by_label("Confidence: 1 right but guessed, 1 wrong but sure.");
    h.get_by_label_contains("1. Correct · ");
    h.get_by_label_contains("guess, right but guessed");
    h.get_by_label_contains("sure, wrong but sure");
}

/// Time on a question adds up over visits, the review page and the time away from the exam
/// add nothing, and it is in the database when the candidate leaves.
#[test]
fn time_per_question_adds_up_over_visits_and_stops_while_away() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    common::start_exam(&mut h, "Mini test bank");
    spend(&mut h, 20);
    next(&mut h);
    spend(&mut h, 7);
    h.get_by_label("Previous").click();
    h.run();
    spend(&mut h, 5);
    // The review page is no question: 60 s there add nothing.
    h.get_by_label("Review and submit").click();
    h.run();
    spend(&mut h, 60);
    h.get_by_label("Return to the exam").click();
    h.run();
    spend(&mut h, 3);
    h.get_by_label("Save and leave").click();
    h.run();
    // An hour away, then resumed: the question on screen goes on from its time.
    spend(&mut h, 3600);
    let id = h.state().home.unfinished.as_ref().unwrap().summary.id;
    let store_times = |h: &Harness<'_, CertprepApp>| -> Vec<u64> {
        let s = h
            .state()
            .store
            .as_ref()
            .unwrap()
            .load_session(id)
            .unwrap()
            .unwrap()
            .session;
        s.times
            .all(std::time::Instant::now())
            .iter()
            .map(|d| d.as_secs())
            .collect()
    };
    assert_eq!(store_times(&h)[..2], [28, 7]);
    h.get_by_label("Resume exam").click();
    h.run();
    spend(&mut h, 2);
    next(&mut h);
    assert_eq!(store_times(&h)[..2], [30, 7]);
}

/// A study-group pack's long title is cut to its slot in the history row (whole on hover):
/// the score, time and areas after it stay inside the window instead of past its edge.
#[test]
fn a_long_pack_title_leaves_the_rest_of_its_row_in_the_window() {
    use certprep::exam::assemble;
    use certprep::store::{NewAttempt, Store};
    let dir = tempfile::tempdir().unwrap();
    let title = "Region 4 spring mock exam for district technology leaders, second sitting, \
                 with the revised budget, procurement and data privacy questions";
    {
        let bank = certprep::bank::load_bank(&common::fixture_banks().join("mini")).unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let items = assemble(&bank, 5, 3);
        let id = store
            .create_attempt(&NewAttempt {
                time_limit: Some(Duration::from_secs(300)),
                title: Some(title),
                ..common::exam_attempt(&bank, &items, 3, 70.0)
            })
            .unwrap();
        let mut s = store.load_session(id).unwrap().unwrap().session;
        s.submit(std::time::Instant::now(), false);
        let report = s.score(&bank);
        let evidence = certprep::mastery::exam_evidence(
            &bank,
            &store.load_cards(bank.id()).unwrap(),
            &store.model_inputs(&bank).unwrap(),
            &store.scheduler_for(bank.id()).unwrap(),
            &certprep::srs::answered_items_of(&s, &report, &bank),
            chrono::Utc::now(),
            id,
        );
        store
            .finish_attempt(&s, Duration::from_secs(100), &report, &evidence)
            .unwrap();
    }
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("History").click();
    h.run();
    let width = h.ctx.content_rect().width();
    let shown = h.get_by_label_contains("Region 4 spring mock exam").rect();
    assert!(shown.width() <= 321.0, "the title takes {shown:?}");
    // The row's last column, the skill areas.
    let areas = h.get_by_label_contains("skill areas").rect();
    assert!(
        areas.max.x <= width,
        "the skill areas end at {} in a window {width} wide",
        areas.max.x
    );
}
