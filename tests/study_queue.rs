//! The study queue and session over the fixture bank: due cards first, new questions by
//! blueprint weight × weakness, the daily limit, one area only, and wrong answers coming back.

use certprep::bank::load_bank;
use certprep::srs::{
    Confidence, Rating, ReviewOrigin, Scheduler, StudyScope, StudySession, build_queue,
};
use chrono::{Duration, TimeZone, Utc};
use std::collections::HashMap;
use std::path::PathBuf;

fn mini() -> certprep::bank::Bank {
    load_bank(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/banks/mini")).unwrap()
}

#[test]
fn due_cards_come_first_most_overdue_first_then_new_up_to_the_limit() {
    let bank = mini();
    let s = Scheduler::new(0.9);
    let t0 = Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).unwrap();
    let mut cards = HashMap::new();
    for (qid, at) in [("ops-1", t0), ("plan-2", t0 - Duration::days(3))] {
        let r = s.review(ReviewOrigin::study("mini"), qid, None, Rating::Good, at);
        cards.insert(qid.to_string(), r.after);
    }
    let now = t0 + Duration::days(30);
    let q = build_queue(&bank, &cards, &HashMap::new(), now, 3, None);
    assert_eq!(q.due, vec!["plan-2".to_string(), "ops-1".to_string()]);
    assert_eq!(q.new.len(), 3);
    assert!(q.new.iter().all(|id| !cards.contains_key(id)));
    // Right after the first review nothing is due yet (the next learning step is minutes away).
    let q = build_queue(
        &bank,
        &cards,
        &HashMap::new(),
        t0 - Duration::days(3),
        0,
        None,
    );
    assert!(q.due.is_empty() && q.new.is_empty());
}

#[test]
fn new_questions_follow_weight_and_weakness() {
    let bank = mini();
    let none = HashMap::new();
    // Equal mastery: the 50/30/20 weights decide. Ten picks take all ten questions, so look at
    // the first five: planning (50%) gets the most.
    let even: HashMap<String, f64> = [("plan", 0.5), ("ops", 0.5), ("data", 0.5)]
        .into_iter()
        .map(|(a, m)| (a.to_string(), m))
        .collect();
    let q = build_queue(&bank, &none, &even, Utc::now(), 5, None);
    let area = |id: &str| bank.question(id).unwrap().domain.clone();
    let count = |q: &[String], a: &str| q.iter().filter(|id| area(id) == a).count();
    assert!(count(&q.new, "plan") >= count(&q.new, "ops"));
    assert!(count(&q.new, "ops") >= count(&q.new, "data"));
    // Strong in planning, weak in data: data now comes first despite its small weight.
    let skewed: HashMap<String, f64> = [("plan", 0.95), ("ops", 0.9), ("data", 0.1)]
        .into_iter()
        .map(|(a, m)| (a.to_string(), m))
        .collect();
    let q = build_queue(&bank, &none, &skewed, Utc::now(), 3, None);
    assert_eq!(area(&q.new[0]), "data");
    // One area only.
    let q = build_queue(&bank, &none, &even, Utc::now(), 10, Some("ops"));
    assert_eq!(q.new.len(), 3);
    assert!(q.new.iter().all(|id| area(id) == "ops"));
}

/// Answer the question on screen right (all correct options) or wrong (one wrong option).
fn answer(session: &mut StudySession, bank: &certprep::bank::Bank, right: bool) -> String {
    let (item, _) = session.current.clone().unwrap();
    let q = bank.question(&item.question_id).unwrap();
    if right {
        for c in q.correct_ids() {
            session.choose(bank, &c);
        }
    } else {
        let wrong = q.options.iter().find(|o| !o.correct).unwrap().id.clone();
        assert!(session.choose(bank, &wrong));
    }
    assert!(session.check(&bank));
    item.question_id
}

#[test]
fn a_wrong_answer_comes_back_only_when_its_step_is_over() {
    let bank = mini();
    let t0 = Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).unwrap();
    let queue = build_queue(&bank, &HashMap::new(), &HashMap::new(), t0, 4, None);
    let mut session = StudySession::new(&bank, &queue, HashMap::new(), StudyScope::Bank, 7, t0);
    let s = Scheduler::new(0.9);
    assert!(
        session.rate(&bank, &s, Confidence::Good, t0).is_none(),
        "not checked yet"
    );
    // First: wrong. Again whatever the confidence, and it waits out its 10-minute step.
    let first = answer(&mut session, &bank, false);
    assert_eq!(session.checked_result(&bank), Some(false));
    let r = session.rate(&bank, &s, Confidence::Easy, t0).unwrap();
    assert_eq!(
        r.rating,
        Rating::Again,
        "wrong is Again whatever the confidence"
    );
    assert_eq!(
        session.returning,
        vec![(t0 + Duration::minutes(10), first.clone())]
    );
    // The other three new questions are asked in the meantime, one a minute: right, so they
    // graduate (Good on the only step) and do not come back today.
    for i in 1..=3 {
        let at = t0 + Duration::minutes(i);
        let id = answer(&mut session, &bank, true);
        assert_ne!(id, first, "not asked again before its step is over");
        let r = session.rate(&bank, &s, Confidence::Good, at).unwrap();
        assert_eq!(r.after.card.state, certprep::srs::State::Review);
    }
    // Nothing on screen: the session waits for the returning question, not finished.
    assert!(session.current.is_none() && !session.is_finished());
    assert_eq!(session.waiting_until(), Some(t0 + Duration::minutes(10)));
    assert!(!session.resume_if_due(&bank, t0 + Duration::minutes(9)));
    assert!(session.resume_if_due(&bank, t0 + Duration::minutes(10)));
    assert_eq!(session.current.as_ref().unwrap().0.question_id, first);
    // Right this time, 10 minutes later: a short-term review, then it graduates.
    answer(&mut session, &bank, true);
    let r = session
        .rate(&bank, &s, Confidence::Good, t0 + Duration::minutes(11))
        .unwrap();
    assert_eq!(r.elapsed_days, 0);
    assert_eq!(r.after.card.state, certprep::srs::State::Review);
    assert!(session.is_finished());
    // Five answers to four questions; three right the first time.
    assert_eq!((session.reviewed, session.correct), (5, 4));
    assert_eq!(
        (
            session.answered.len(),
            session.right_first_time,
            session.repeats()
        ),
        (4, 3, 1)
    );
    assert_eq!(session.progress(), 1.0);
}

#[test]
fn hard_on_a_new_question_repeats_after_one_and_a_half_steps_and_a_budget_trims_the_queue() {
    let bank = mini();
    let t0 = Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).unwrap();
    let mut queue = build_queue(&bank, &HashMap::new(), &HashMap::new(), t0, 5, None);
    assert_eq!(queue.limit(2), 0, "no due questions left out");
    assert_eq!(queue.len(), 2);
    let mut session = StudySession::new(&bank, &queue, HashMap::new(), StudyScope::Bank, 1, t0);
    let s = Scheduler::new(0.9);
    let id = answer(&mut session, &bank, true);
    let r = session.rate(&bank, &s, Confidence::Hard, t0).unwrap();
    assert_eq!(r.after.card.state, certprep::srs::State::Learning);
    assert_eq!(session.returning, vec![(t0 + Duration::minutes(15), id)]);
    // Durations are measured from showing the question to the rating.
    answer(&mut session, &bank, true);
    let r = session
        .rate(&bank, &s, Confidence::Good, t0 + Duration::seconds(42))
        .unwrap();
    assert_eq!(r.duration_ms, Some(42_000));
    // Due questions first when the budget cuts: 3 due, 2 new, room for 2.
    let mut q = certprep::srs::StudyQueue {
        due: vec!["a".into(), "b".into(), "c".into()],
        new: vec!["d".into(), "e".into()],
    };
    assert_eq!(q.limit(2), 1);
    assert_eq!(q.order(), vec!["a".to_string(), "b".to_string()]);
}
