//! The session builder through egui_kittest: a filtered timed session built by keyboard
//! alone, a preset saved and started (and kept across a restart, and deleted), and a tutor
//! session that checks each answer.

use certprep::exam::Mode;
use certprep::srs::{Rating, ReviewOrigin, Scheduler};
use certprep::store::Store;
use certprep::ui::{CertprepApp, Screen};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::collections::BTreeSet;

mod common;

fn harness(data: &std::path::Path) -> Harness<'static, CertprepApp> {
    common::harness_with(common::fixture_banks(), data, egui::vec2(1100.0, 900.0))
}

/// History in the data folder before the window opens: `answers` (question, right?) as
/// study answers an hour ago.
fn with_answers(data: &std::path::Path, answers: &[(&str, bool)]) {
    let store = Store::open_in(data).unwrap();
    let scheduler = Scheduler::new(0.9);
    let at = chrono::Utc::now() - chrono::Duration::hours(1);
    for (qid, ok) in answers {
        let cards = store.load_cards("mini").unwrap();
        let rating = if *ok { Rating::Good } else { Rating::Again };
        let r = scheduler.review(
            ReviewOrigin::study("mini"),
            qid,
            cards.get(*qid),
            rating,
            at,
        );
        store.record_review(&r).unwrap();
    }
}

fn press(h: &mut Harness<'_, CertprepApp>, key: Key) {
    h.key_press(key);
    h.run();
}

/// Press Tab until the widget labelled `label` has the keyboard focus.
fn tab_to(h: &mut Harness<'_, CertprepApp>, label: &str) {
    for _ in 0..150 {
        if h.query_by_label(label).is_some_and(|n| n.is_focused()) {
            return;
        }
        press(h, Key::Tab);
    }
    panic!("Tab never reached \"{label}\"");
}

fn type_text(h: &mut Harness<'_, CertprepApp>, text: &str) {
    h.event(egui::Event::Text(text.into()));
    h.run();
}

fn exam<'a>(h: &'a Harness<'_, CertprepApp>) -> &'a certprep::ui::ExamView {
    match &h.state().screen {
        Screen::Exam(v) => v,
        _ => panic!("not on the exam screen"),
    }
}

/// The areas of the exam's questions, with how many each gives.
fn areas_of_exam(h: &Harness<'_, CertprepApp>) -> Vec<(String, usize)> {
    let s = &exam(h).session;
    let bank = h.state().bank(&s.bank_id).unwrap();
    let mut out: std::collections::BTreeMap<String, usize> = Default::default();
    for item in &s.items {
        *out.entry(bank.question(&item.question_id).unwrap().domain.clone())
            .or_default() += 1;
    }
    out.into_iter().collect()
}

/// Home → builder by Enter; "No area", then the Technology category (Operations and Data) by
/// Space; "Unseen" by Space; 3 questions and 6 minutes typed; Start by Enter. The exam holds
/// 3 unseen questions, 2 of Operations and 1 of Data (weights 30:20), in 6 minutes.
#[test]
fn a_filtered_timed_session_is_built_by_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    with_answers(dir.path(), &[("ops-1", false), ("data-1", true)]);
    let mut h = harness(dir.path());
    h.run();
    tab_to(&mut h, "Practice Mini test bank");
    press(&mut h, Key::Enter);
    assert!(matches!(h.state().screen, Screen::Setup(_)));
    // Live counts over every area: 10 questions, 8 never answered, 1 missed.
    h.get_by_label("All questions (10)");
    h.get_by_label("Unseen (8)");
    h.get_by_label("Missed before (1)");

    tab_to(&mut h, "No area");
    press(&mut h, Key::Space);
    h.get_by_label("Unseen (0)");
    h.get_by_label("No question matches: choose other skill areas or questions.");
    tab_to(&mut h, "Technology (5)");
    press(&mut h, Key::Space);
    tab_to(&mut h, "Unseen (3)");
    press(&mut h, Key::Space);
    // The area boxes now count unseen questions.
    h.get_by_label("Operations (2)");
    h.get_by_label("Data (1)");
    tab_to(&mut h, "Questions");
    type_text(&mut h, "3");
    tab_to(&mut h, "Time limit (minutes)");
    type_text(&mut h, "6");
    press(&mut h, Key::Tab);
    h.get_by_label("3 questions in 6 minutes: about 2 min a question.");
    let Screen::Setup(b) = &h.state().screen else {
        panic!("not on the builder")
    };
    assert_eq!(b.form.questions, 3);
    assert_eq!(b.form.minutes, 6);

    tab_to(&mut h, "Start exam");
    press(&mut h, Key::Enter);
    let s = &exam(&h).session;
    assert_eq!(s.mode, Mode::Exam);
    assert_eq!(s.clock.limit, Some(std::time::Duration::from_secs(360)));
    let ids: BTreeSet<&str> = s.items.iter().map(|i| i.question_id.as_str()).collect();
    assert_eq!(ids, BTreeSet::from(["ops-2", "ops-3", "data-2"]));
    assert_eq!(
        areas_of_exam(&h),
        vec![("data".to_string(), 1), ("ops".to_string(), 2)]
    );
    // An ordinary attempt: in the database, under the session's name.
    let store = h.state().store.as_ref().unwrap();
    let unfinished = store.unfinished_attempt().unwrap().unwrap();
    assert_eq!(
        unfinished.title.as_deref(),
        Some("Mini test bank: 3 unseen, Technology, timed 6 min")
    );
    h.get_by_label("Mini test bank: 3 unseen, Technology, timed 6 min");
}

/// A preset is saved from the builder, listed, started in one click, still there after a
/// restart, and deleted.
#[test]
fn a_preset_is_saved_started_kept_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    with_answers(
        dir.path(),
        &[("plan-1", false), ("plan-3", false), ("ops-1", false)],
    );
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("Practice Mini test bank").click();
    h.run();
    h.get_by_label("Missed before (3)").click();
    h.run();
    h.get_by_label("Tutor (feedback after each answer)").click();
    h.run();
    let Screen::Setup(b) = &mut h.state_mut().screen else {
        panic!("not on the builder")
    };
    b.form.questions = 3;
    h.run();
    h.get_by_label("Preset name").click();
    h.run();
    type_text(&mut h, "Missed, tutor");
    h.get_by_label("Save as preset").click();
    h.run();
    h.get_by_label("Saved preset \"Missed, tutor\".");
    h.get_by_label("Start preset Missed, tutor");
    h.get_by_label("3 missed, all areas, tutor");

    // One click starts it: the three missed questions, checked one by one.
    h.get_by_label("Start preset Missed, tutor").click();
    h.run();
    let s = &exam(&h).session;
    assert_eq!(s.mode, Mode::Study);
    let ids: BTreeSet<&str> = s.items.iter().map(|i| i.question_id.as_str()).collect();
    assert_eq!(ids, BTreeSet::from(["plan-1", "plan-3", "ops-1"]));
    h.get_by_label("Mini test bank: Missed, tutor");
    h.state_mut()
        .push(certprep::ui::ExamCmd::SaveAndLeave.into());
    h.run();
    drop(h);

    // A new window on the same data: the preset is there; Delete removes it.
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("Discard…").click();
    h.run();
    h.get_by_label("Discard exam").click();
    h.run();
    h.get_by_label("Practice Mini test bank").click();
    h.run();
    h.get_by_label("Delete preset Missed, tutor").click();
    h.run();
    h.get_by_label("Deleted preset \"Missed, tutor\".");
    assert!(h.query_by_label("Start preset Missed, tutor").is_none());
    let store = h.state().store.as_ref().unwrap();
    assert!(store.presets("mini").unwrap().presets.is_empty());
}

/// Tutor mode over the questions missed before: each answer is checked at once with feedback.
#[test]
fn a_tutor_session_checks_each_answer() {
    let dir = tempfile::tempdir().unwrap();
    with_answers(dir.path(), &[("plan-4", false), ("plan-5", true)]);
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("Practice Mini test bank").click();
    h.run();
    h.get_by_label("Missed before (1)").click();
    h.run();
    h.get_by_label("Tutor (feedback after each answer)").click();
    h.run();
    h.get_by_label("Start study session").click();
    h.run();
    h.get_by_label("Study mode: untimed");
    let s = &exam(&h).session;
    assert_eq!(s.len(), 1);
    let item = s.items[0].clone();
    assert_eq!(item.question_id, "plan-4");
    let bank = h.state().bank("mini").unwrap();
    let q = bank.question("plan-4").unwrap();
    let wrong = q.options.iter().find(|o| !o.correct).unwrap().id.clone();
    let right: Vec<String> = q
        .options
        .iter()
        .filter(|o| o.correct)
        .map(|o| o.id.clone())
        .collect();
    let label = common::option_label(&h, &item, &wrong);
    h.get_by_label(&label).click();
    h.run();
    h.get_by_label("Check answer").click();
    h.run();
    h.get_by_label("Not quite");
    assert!(h.query_all_by_label("Your choice — incorrect").count() >= 1);
    // The answer is kept as given the moment it is checked.
    let store = h.state().store.as_ref().unwrap();
    let id = exam(&h).session.attempt_id;
    let loaded = store.load_session(id).unwrap().unwrap();
    assert!(loaded.session.states[0].checked);
    assert_eq!(loaded.session.states[0].selected, vec![wrong]);
    assert!(!right.is_empty());
}
