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

#[test]
fn a_wrong_answer_comes_back_in_the_session_and_a_right_one_does_not() {
    let bank = mini();
    let queue = build_queue(&bank, &HashMap::new(), &HashMap::new(), Utc::now(), 4, None);
    let mut session = StudySession::new(&bank, &queue, HashMap::new(), StudyScope::Bank, 7);
    let s = Scheduler::new(0.9);
    let now = Utc::now();
    // First: wrong.
    let (item, _) = session.current.clone().unwrap();
    let q = bank.question(&item.question_id).unwrap();
    let wrong = q.options.iter().find(|o| !o.correct).unwrap().id.clone();
    assert!(
        session.rate(&bank, &s, Confidence::Good, now).is_none(),
        "not checked yet"
    );
    assert!(session.choose(&bank, &wrong));
    assert!(session.check(&bank));
    assert_eq!(session.checked_result(&bank), Some(false));
    let r = session.rate(&bank, &s, Confidence::Easy, now).unwrap();
    assert_eq!(
        r.rating,
        Rating::Again,
        "wrong is Again whatever the confidence"
    );
    assert!(session.queue.contains(&item.question_id));
    // Second: right, Easy: graduates, not asked again today.
    let (item2, _) = session.current.clone().unwrap();
    let q2 = bank.question(&item2.question_id).unwrap();
    for c in q2.correct_ids() {
        session.choose(&bank, &c);
    }
    session.check(&bank);
    let r2 = session.rate(&bank, &s, Confidence::Easy, now).unwrap();
    assert_eq!(r2.rating, Rating::Easy);
    assert!(!session.queue.contains(&item2.question_id));
    assert_eq!((session.reviewed, session.correct), (2, 1));
    assert!(session.progress() > 0.0 && session.progress() < 1.0);
}
