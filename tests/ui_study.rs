//! Drives the Study screen and the dashboard through egui_kittest, over a real SQLite file.

use certprep::srs::State;
use certprep::store::Store;
use certprep::ui::{CertprepApp, Screen};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;

fn harness(data: &std::path::Path) -> Harness<'static, CertprepApp> {
    common::harness_with(common::fixture_banks(), data, egui::vec2(1100.0, 2000.0))
}

/// The study question on screen: its id, and the shown label of a right and a wrong option.
fn on_screen(h: &Harness<'_, CertprepApp>) -> (String, Vec<String>, String) {
    let Screen::Study(view) = &h.state().screen else {
        panic!("not on the study screen")
    };
    let (item, _) = view.session.current.as_ref().expect("a question");
    let bank = h.state().bank("mini").unwrap();
    let q = bank.question(&item.question_id).unwrap();
    let right = common::correct_labels(h, item);
    let wrong = q
        .options
        .iter()
        .find(|o| !o.correct)
        .map(|o| common::option_label(h, item, &o.id))
        .unwrap();
    (q.id.clone(), right, wrong)
}

/// Answer the study question on screen right, check it, and rate it Easy (3), which takes a
/// new card straight out of today's session.
fn answer_right_easy(h: &mut Harness<'_, CertprepApp>) {
    let (_, right, _) = on_screen(h);
    for label in &right {
        h.get_by_label(label).click();
        h.run();
    }
    h.key_press(egui::Key::Enter);
    h.run();
    h.key_press(egui::Key::Num3);
    h.run();
}

#[test]
fn study_session_end_to_end_writes_reviews_and_schedules_cards() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    // A fresh learner: nothing due, all 10 questions of the bank new.
    h.get_by_label("Study now: 0 due, 10 new").click();
    h.run();
    h.get_by_label_contains("0 done · 10 to go");

    // First question: answer right, rate Easy.
    let (first, right, _) = on_screen(&h);
    for l in &right {
        h.get_by_label(l).click();
        h.run();
    }
    h.get_by_label("Check answer").click();
    h.run();
    h.get_by_label("Correct");
    h.get_by_label("Easy (3)").click();
    h.run();

    // Second question: answer wrong by keyboard-free clicking, then continue (Again).
    let (second, _, wrong) = on_screen(&h);
    assert_ne!(first, second);
    h.get_by_label(&wrong).click();
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("Not quite");
    h.get_by_label("Continue (Enter)").click();
    h.run();
    h.get_by_label_contains("2 done");

    // Both ratings are in the database already, as FSRS cards and review-log rows.
    let store = Store::open_in(dir.path()).unwrap();
    let cards = store.load_cards("mini").unwrap();
    assert_eq!(cards.len(), 2);
    let easy = &cards[&first];
    let again = &cards[&second];
    assert_eq!(
        easy.card.state,
        State::Review,
        "Easy on a new card graduates it"
    );
    assert!(easy.card.due > again.card.due);
    assert!(again.card.state == State::Learning && !again.first_correct);
    let log = store.review_log("mini", &second).unwrap();
    assert_eq!((log.len(), log[0].rating, log[0].state_before), (1, 1, 0));
    drop(store);

    // The wrong one comes back in this session once its 10-minute step is over, not before.
    let Screen::Study(view) = &h.state().screen else {
        panic!()
    };
    assert!(view.session.returning.iter().any(|(_, q)| q == &second));
    assert!(
        !view
            .session
            .queue
            .iter()
            .any(|q| q == &second || q == &first)
    );
    assert_eq!(
        again.card.due - again.card.last_review,
        chrono::Duration::minutes(10)
    );

    // Back on the dashboard, the counts follow.
    h.get_by_label("Stop for now").click();
    h.run();
    h.get_by_label("2 reviewed today");
    h.get_by_label_contains("Seen 2 of 10 questions");
    // With answers to compare, the three weakest areas are offered; two questions cannot
    // have touched all three areas.
    assert_eq!(
        h.query_all_by_label_contains("Study this area: ").count(),
        3
    );
    assert!(h.query_all_by_label_contains("(not started)").count() >= 1);
    // Now there is a prediction, and unstarted areas borrow theirs from the answered ones.
    h.get_by_label_contains("Predicted score ");
    assert!(h.query_by_label("No prediction yet").is_none());
    h.get_by_label_contains("from other areas");
    let store = Store::open_in(dir.path()).unwrap();
    assert_eq!(store.readiness_history("mini").unwrap().len(), 1);
}

#[test]
fn dashboard_shows_every_area_and_studies_one_area() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    // Before any answer the model has only its prior: no score is shown as if it were one,
    // every area is marked not started, and no chart point is stored.
    h.get_by_label("No prediction yet");
    assert!(h.query_by_label_contains("Predicted score").is_none());
    assert_eq!(h.query_all_by_label("not started").count(), 3);
    h.get_by_label_contains("charted here once you start");
    assert!(h.query_by_label_contains("Studied on").is_none());
    let store = Store::open_in(dir.path()).unwrap();
    assert!(store.readiness_history("mini").unwrap().is_empty());
    drop(store);
    for area in ["Planning (50%)", "Operations (30%)", "Data (20%)"] {
        h.get_by_label(area);
    }
    h.get_by_label("Weakest areas");
    // Nothing answered yet: no area is weaker than another.
    h.get_by_label_contains("Answer a few questions first");
    assert!(h.query_by_label_contains("Study this area").is_none());
    h.get_by_label("Study Operations only").click();
    h.run();
    let Screen::Study(view) = &h.state().screen else {
        panic!("not studying")
    };
    let bank = h.state().bank("mini").unwrap();
    let all_ops = view
        .session
        .queue
        .iter()
        .chain(view.session.current.as_ref().map(|(i, _)| &i.question_id))
        .all(|id| bank.question(id).unwrap().domain == "ops");
    assert!(all_ops);
    assert_eq!(view.session.scope.area(), Some("ops"));
}

#[test]
fn exam_date_plan_is_saved_and_warns_when_out_of_reach() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    let in_two_days = (chrono::Local::now().date_naive() + chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    h.get_by_label("Exam date (YYYY-MM-DD)").focus();
    h.run();
    h.get_by_label("Exam date (YYYY-MM-DD)")
        .type_text(&in_two_days);
    h.run();
    h.get_by_label("Save plan").click();
    h.run();
    // 10 unseen questions in two days is 5 a day; nothing studied yet, so not on pace.
    h.get_by_label_contains("2 days left: 5 new questions a day");
    // The projection says what it assumes; a fresh learner has no repeat answers to go by.
    h.get_by_label_contains("if you follow the plan: ");
    h.get_by_label_contains("you have not answered any question a second time yet");
    h.get_by_label_contains(
        "you have not started new questions in the last two weeks; the plan needs 5 a day",
    );
    drop(h);
    let store = Store::open_in(dir.path()).unwrap();
    let plan = store.study_plan("mini").unwrap().unwrap();
    assert_eq!(plan.exam_date.format("%Y-%m-%d").to_string(), in_two_days);
}

#[test]
fn a_mock_exam_is_compared_with_the_prediction_made_when_it_started() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label_contains("Sit a timed mock exam to see how well");
    // A first exam before any answer: there was no prediction, so nothing to score.
    common::start_exam(&mut h, "Mini test bank");
    common::review_and_submit(&mut h);
    h.get_by_label("Home").click();
    h.run();
    h.get_by_label_contains("earlier ones had no prediction to compare");
    let store = Store::open_in(dir.path()).unwrap();
    assert!(store.predictions("mini").unwrap().is_empty());

    // Two right answers in Study, then a blank exam: that one is compared.
    h.get_by_label_contains("Study now").click();
    h.run();
    for _ in 0..2 {
        answer_right_easy(&mut h);
    }
    h.get_by_label("Stop for now").click();
    h.run();
    let predicted = h
        .state()
        .home
        .dashboard
        .as_ref()
        .unwrap()
        .report
        .readiness
        .predicted;
    common::start_exam(&mut h, "Mini test bank");
    common::review_and_submit(&mut h);
    h.get_by_label("Home").click();
    h.run();
    let p = store.predictions("mini").unwrap();
    assert_eq!(p.len(), 1);
    // Recall decays in the moments between the two readings (FSRS-6's curve falls about
    // 2e-7 a second right after an Easy answer).
    assert!((p[0].predicted - predicted).abs() < 1e-6);
    assert_eq!(p[0].actual, Some(0.0));
    let off = (predicted * 100.0).round();
    h.get_by_label_contains(&format!(
        "1 exam, off by {off} points on average (certprep was {off} points optimistic)"
    ));
}

/// A drag across the retention slider passes many values; only the one let go on is saved,
/// in one write, and the slider follows the pointer meanwhile.
#[test]
fn dragging_the_retention_slider_saves_once_on_release() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("Settings").click();
    h.run();
    let saved = |h: &Harness<'_, CertprepApp>| {
        let store = h.state().store.as_ref().expect("database open");
        store
            .study_settings()
            .expect("settings read")
            .desired_retention
    };
    // A second connection sees `data_version` change with every commit the app makes.
    let watcher = rusqlite::Connection::open(dir.path().join(certprep::store::DB_FILE)).unwrap();
    let writes = |_: &Harness<'_, CertprepApp>| -> i64 {
        watcher
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .unwrap()
    };
    assert!((saved(&h) - 0.9).abs() < 1e-9);
    let before = writes(&h);

    let rect = h
        .get_by_role_and_label(egui::accesskit::Role::Slider, "Desired retention")
        .rect();
    let at = |share: f32| egui::pos2(rect.left() + rect.width() * share, rect.center().y);
    h.hover_at(at(0.5));
    h.run();
    h.drag_at(at(0.5));
    h.run();
    for share in [0.55, 0.6, 0.7, 0.8, 0.85] {
        h.hover_at(at(share));
        h.run();
    }
    // Mid-drag: the slider shows the draft, nothing is written yet.
    assert_eq!(writes(&h), before, "no write while the slider is dragged");
    assert!((saved(&h) - 0.9).abs() < 1e-9);
    h.drop_at(at(0.85));
    h.run();
    assert_eq!(writes(&h), before + 1, "one write when the drag ends");
    let now = saved(&h);
    assert!(now > 0.92, "the released value is saved, got {now}");
    assert!((h.state().study_settings.desired_retention - now).abs() < 1e-9);
}

/// The calendar beside the exam-date field opens three months out when nothing is typed, and
/// its Save writes the picked day into the field, ready for "Save plan".
#[test]
fn the_calendar_fills_the_exam_date_field() {
    let dir = tempfile::tempdir().unwrap();
    // egui_extras' calendar has unnamed year/month/day boxes, which the accessibility check
    // rejects; the typed field next to it is the accessible way (tested above).
    let mut app = CertprepApp::open(common::fixture_banks(), dir.path().to_path_buf());
    assert!(app.wait_for_banks(std::time::Duration::from_secs(120)));
    let mut h = Harness::builder()
        .with_size(egui::vec2(1100.0, 2000.0))
        .with_accessibility_check(false)
        .build_ui_state(|ui, app: &mut CertprepApp| app.show(ui), app);
    h.run();
    h.get_by_label("Pick a date…").click();
    h.run();
    h.get_by_label("Save").click();
    h.run();
    let expected = (chrono::Local::now().date_naive() + chrono::Duration::days(90))
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(h.state().home.plan_date, expected);
    h.get_by_label("Save plan").click();
    h.run();
    h.get_by_label_contains("90 days left");
}

#[test]
fn practicing_the_missed_questions_of_an_exam_studies_exactly_those() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    common::start_exam(&mut h, "Mini test bank");
    // Answer the first question right and leave the other five unanswered.
    let (first, right) = {
        let Screen::Exam(view) = &h.state().screen else {
            panic!("not on the exam screen")
        };
        let item = &view.session.items[0];
        (item.question_id.clone(), common::correct_labels(&h, item))
    };
    for label in &right {
        h.get_by_label(label).click();
        h.run();
    }
    let exam_order: Vec<String> = {
        let Screen::Exam(view) = &h.state().screen else {
            panic!()
        };
        view.session
            .items
            .iter()
            .map(|i| i.question_id.clone())
            .collect()
    };
    common::review_and_submit(&mut h);
    h.get_by_label("Score: 1 of 6 correct (17%)");
    // The review list filters to the same five the practice button offers.
    h.get_by_label("Missed (5)").click();
    h.run();
    assert_eq!(h.query_all_by_label_contains("Unanswered · ").count(), 5);
    assert!(h.query_by_label_contains("Correct · ").is_none());

    h.get_by_label("Practice the 5 questions I missed").click();
    h.run();
    h.get_by_label("Questions you missed in the exam");
    h.get_by_label_contains("0 done · 5 to go · 0 right");
    let (on_screen_id, queued) = {
        let Screen::Study(view) = &h.state().screen else {
            panic!("not studying")
        };
        let (item, _) = view.session.current.as_ref().unwrap();
        (item.question_id.clone(), view.session.queue.clone())
    };
    // The five missed questions in exam order, the right one left out.
    let mut asked = vec![on_screen_id.clone()];
    asked.extend(queued);
    assert_eq!(asked, exam_order[1..].to_vec());
    assert!(!asked.contains(&first));

    // Answering one is a study review like any other, written at once.
    let (_, right, _) = on_screen(&h);
    for label in &right {
        h.get_by_label(label).click();
        h.run();
    }
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("Good (2)").click();
    h.run();
    // A right answer rated Good passes the one learning step: it graduates and does not come
    // back today; four missed questions to go.
    h.get_by_label_contains("1 done · 4 to go · 1 right");
    let store = Store::open_in(dir.path()).unwrap();
    let log = store.review_log("mini", &on_screen_id).unwrap();
    assert_eq!(
        log.len(),
        1,
        "unanswered in the exam, so only the study review"
    );
    assert_eq!(log[0].source, "study");

    // Through the rest (right, and Easy so nothing comes back today), the end of the
    // session leads back to the same results.
    for _ in 0..20 {
        let Screen::Study(view) = &h.state().screen else {
            panic!("left the study screen")
        };
        if view.session.is_finished() {
            break;
        }
        answer_right_easy(&mut h);
    }
    h.get_by_label("You have been through every question you missed in that exam.");
    h.get_by_label("Back to the results").click();
    h.run();
    h.get_by_label("Score: 1 of 6 correct (17%)");
}

#[test]
fn past_the_daily_limit_a_learner_can_study_more_new_questions_once() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open_in(dir.path()).unwrap();
        store
            .set_study_settings(certprep::srs::StudySettings {
                daily_new_limit: 2,
                ..Default::default()
            })
            .unwrap();
    }
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("Study now: 0 due, 2 new").click();
    h.run();
    // Both new questions right and Easy, so neither comes back today.
    answer_right_easy(&mut h);
    answer_right_easy(&mut h);
    h.get_by_label("Done for now");
    // Eight of the bank's ten questions are still unseen: at most ten are offered.
    h.get_by_label("Study 8 more new questions").click();
    h.run();
    let Screen::Study(view) = &h.state().screen else {
        panic!("not studying")
    };
    assert_eq!(view.session.remaining(), 8);
    answer_right_easy(&mut h);
    // The extra answers count as today's new questions; the limit itself is unchanged.
    let store = Store::open_in(dir.path()).unwrap();
    assert_eq!(store.study_settings().unwrap().daily_new_limit, 2);
    assert_eq!(store.load_cards("mini").unwrap().len(), 3);
    h.get_by_label("Stop for now").click();
    h.run();
    h.get_by_label("Study now: 0 due, 0 new").click();
    h.run();
    h.get_by_label("Study 7 more new questions").click();
    h.run();
    for _ in 0..7 {
        answer_right_easy(&mut h);
    }
    // Every question seen: nothing more to offer, and the next visit says why.
    h.get_by_label_contains("You answered 7 questions, 7 right the first time (100%).");
    assert!(h.query_by_label_contains("more new question").is_none());
    h.get_by_label("Back to the dashboard").click();
    h.run();
    h.get_by_label("Study now: 0 due, 0 new").click();
    h.run();
    h.get_by_label_contains("you have seen every question here");
}

#[test]
fn the_dashboard_shows_which_of_the_last_days_had_study() {
    let dir = tempfile::tempdir().unwrap();
    {
        // Answers today, 2 and 5 days ago (twice), and 10 days ago: three of the last seven
        // days, six answers in four weeks. Noon keeps each on its local calendar day.
        let store = Store::open_in(dir.path()).unwrap();
        let scheduler = certprep::srs::Scheduler::new(0.9);
        let today = chrono::Local::now().date_naive();
        for (days_ago, qid) in [
            (0, "plan-1"),
            (2, "plan-2"),
            (5, "plan-3"),
            (5, "plan-4"),
            (10, "ops-1"),
            (10, "ops-2"),
        ] {
            let at = (today - chrono::Duration::days(days_ago))
                .and_hms_opt(12, 0, 0)
                .unwrap()
                .and_local_timezone(chrono::Local)
                .earliest()
                .unwrap()
                .with_timezone(&chrono::Utc)
                .min(chrono::Utc::now());
            let review = scheduler.review(
                certprep::srs::ReviewOrigin::study("mini"),
                qid,
                None,
                certprep::srs::Rating::Good,
                at,
            );
            store.record_review(&review).unwrap();
        }
    }
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("Studied on 3 of the last 7 days · 6 answers in 4 weeks");
    let d = h.state().home.dashboard.as_ref().unwrap();
    assert_eq!(d.activity.len(), 28);
    let counts: Vec<usize> = d.activity.iter().rev().map(|a| a.1).take(11).collect();
    assert_eq!(counts, [1, 0, 1, 0, 0, 2, 0, 0, 0, 0, 2]);
}

/// A wrong answer on the last question of the session: the Study screen waits for it (with a
/// countdown) instead of asking it again at once, and asks it when its step is over.
#[test]
fn a_question_answered_wrong_comes_back_when_its_step_is_over() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open_in(dir.path()).unwrap();
        store
            .set_study_settings(certprep::srs::StudySettings {
                daily_new_limit: 1,
                ..Default::default()
            })
            .unwrap();
    }
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("Study now: 0 due, 1 new").click();
    h.run();
    let (id, _, wrong) = on_screen(&h);
    h.get_by_label(&wrong).click();
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("Continue (Enter)").click();
    h.run();
    h.get_by_label("Waiting for a question to come back");
    // (a moment has passed since the answer: 9:59 or 10:00)
    h.get_by_label_contains("The next one is asked in ");
    assert!(
        h.query_by_label_contains("asked in 10:00").is_some()
            || h.query_by_label_contains("asked in 9:59").is_some()
    );
    // Nine minutes on: still waiting.
    h.state_mut().time_shift += std::time::Duration::from_secs(9 * 60);
    h.run();
    assert!(
        h.query_by_label_contains("asked in 1:00").is_some()
            || h.query_by_label_contains("asked in 0:59").is_some()
    );
    // Ten minutes on: it is asked again.
    h.state_mut().time_shift += std::time::Duration::from_secs(60);
    h.run();
    let (again, right, _) = on_screen(&h);
    assert_eq!(again, id);
    for l in &right {
        h.get_by_label(l).click();
        h.run();
    }
    h.key_press(egui::Key::Enter);
    h.run();
    h.key_press(egui::Key::Num2);
    h.run();
    h.get_by_label("Done for now");
    h.get_by_label_contains("You answered 1 question, 0 right the first time (0%). 1 second try");
    let store = Store::open_in(dir.path()).unwrap();
    let log = store.review_log("mini", &id).unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        store.load_cards("mini").unwrap()[&id].card.state,
        State::Review
    );
}

/// A learner with a real review log (synthetic, 1,500 answers over the mini bank's ten
/// questions and more) fits FSRS from Settings: the fit runs in the background with progress,
/// its before/after figures are shown and stored with the date, and "Reset" brings the
/// defaults back; the true-retention and calibration tables are on the same screen.
#[test]
fn settings_fit_fsrs_to_the_learner_and_reset_it() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open_in(dir.path()).unwrap();
        let s = certprep::srs::Scheduler::new(0.9);
        let conn = store.connection();
        conn.execute_batch("BEGIN").unwrap();
        for (i, log) in certprep::synth::learner_log(150, 1_500, 3)
            .iter()
            .enumerate()
        {
            let qid = format!("synthetic-{i}");
            let mut card: Option<certprep::srs::CardRecord> = None;
            for a in log {
                let r = s.review(
                    certprep::srs::ReviewOrigin::study("mini"),
                    &qid,
                    card.as_ref(),
                    a.rating,
                    a.at,
                );
                certprep::store::bench_write_review(conn, &r).unwrap();
                card = Some(r.after);
            }
        }
        conn.execute_batch("COMMIT").unwrap();
    }
    let mut h = harness(dir.path());
    h.run();
    // The dashboard offers the fit (more than 400 usable reviews, never fitted).
    h.get_by_label_contains("FSRS can learn your memory from");
    h.get_by_label("Settings").click();
    h.run();
    assert!(h.state().settings.stats.is_some());
    h.get_by_label("True retention");
    h.get_by_label("Predicted recall against your answers");
    h.get_by_label_contains("Scheduling uses FSRS-6's default parameters");
    h.get_by_label("Optimise for my reviews").click();
    h.step();
    h.step();
    // While it runs, Settings shows its progress.
    if h.state().settings.fitting() {
        assert!(h.query_all_by_label_contains("Fitting…").count() >= 1);
    }
    // The fit runs on its own thread; the window keeps drawing until it is done.
    for _ in 0..600 {
        if !h.state().settings.fitting() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
    h.run();
    assert!(!h.state().settings.fitting(), "the fit finished");
    let notice = h
        .state()
        .notice
        .clone()
        .expect("a notice says what happened")
        .text;
    assert!(notice.contains("log loss"), "{notice}");
    let store = Store::open_in(dir.path()).unwrap();
    let record = store.fit_record().unwrap().expect("the fit is recorded");
    assert!(record.reviews >= certprep::srs::fit::MIN_REVIEWS);
    h.get_by_label_contains("Last fit: log loss");
    // The learner's memory decays faster than FSRS-6's default assumes: the fit finds it and
    // predicts their answers better, so it is kept.
    assert!(record.improved, "{record:?}");
    let params = store.study_settings().unwrap().parameters;
    assert_eq!(params.len(), 21);
    assert!(params[20] > fsrs::FSRS6_DEFAULT_DECAY, "{params:?}");
    assert!(record.log_loss_after < record.log_loss_before);
    h.get_by_label("Reset to FSRS-6 defaults").click();
    h.run();
    assert!(store.study_settings().unwrap().parameters.is_empty());
    h.get_by_label_contains("Scheduling uses FSRS-6's default parameters");
}

/// With the exam four days away: the dashboard shows recall on exam day beside mastery, and
/// offers the final review of the questions most likely to be forgotten, which studies
/// exactly those.
#[test]
fn the_last_days_before_the_exam_offer_a_final_review() {
    let dir = tempfile::tempdir().unwrap();
    let exam = chrono::Local::now().date_naive() + chrono::Duration::days(4);
    {
        let store = Store::open_in(dir.path()).unwrap();
        let s = certprep::srs::Scheduler::new(0.9);
        let t0 = chrono::Utc::now() - chrono::Duration::days(20);
        // Three questions answered 20 days ago (right, wrong then right, right/Easy).
        for (qid, ratings) in [
            ("plan-1", vec![certprep::srs::Rating::Good]),
            (
                "plan-2",
                vec![certprep::srs::Rating::Again, certprep::srs::Rating::Good],
            ),
            ("ops-1", vec![certprep::srs::Rating::Easy]),
        ] {
            let mut card = None;
            for (i, r) in ratings.into_iter().enumerate() {
                let rev = s.review(
                    certprep::srs::ReviewOrigin::study("mini"),
                    qid,
                    card.as_ref(),
                    r,
                    t0 + chrono::Duration::minutes(15 * i as i64),
                );
                store.record_review(&rev).unwrap();
                card = Some(rev.after);
            }
        }
        store
            .set_study_plan(
                "mini",
                &certprep::store::srs::StudyPlanSettings {
                    exam_date: exam,
                    target: 0.8,
                },
            )
            .unwrap();
    }
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label_contains("On exam day (");
    h.get_by_label_contains("of the 3 questions seen if you keep up with your reviews");
    assert!(h.query_all_by_label_contains("exam day ").count() >= 2);
    h.get_by_label("Final review: the 3 questions you are most likely to forget by the exam")
        .click();
    h.run();
    h.get_by_label("Final review before the exam");
    let Screen::Study(view) = &h.state().screen else {
        panic!("not studying")
    };
    let mut asked: Vec<String> = view.session.queue.iter().cloned().collect();
    asked.push(view.session.current.as_ref().unwrap().0.question_id.clone());
    asked.sort();
    assert_eq!(asked, ["ops-1", "plan-1", "plan-2"]);
    // Lowest exam-day recall first: not the Easy one.
    assert_ne!(
        view.session.current.as_ref().unwrap().0.question_id,
        "ops-1"
    );
}
