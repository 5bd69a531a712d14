//! The attempt history and the review of a past attempt, on a real database in a temp dir:
//! which attempts are listed and in what order, what a reopened attempt holds (time on screen,
//! confidence), the review's filters and the retake's questions.

use certprep::bank::Bank;
use certprep::exam::review::{self, ReviewFilter};
use certprep::exam::{AnswerConfidence, ExamSession, Mode, assemble};
use certprep::store::{NewAttempt, Store};
use std::time::{Duration, Instant};

mod common;

fn bank() -> Bank {
    certprep::synth::bank(40, 3)
}

fn start(
    store: &mut Store,
    bank: &Bank,
    mode: Mode,
    n: usize,
    seed: u64,
    title: Option<&str>,
) -> i64 {
    start_as(store, bank, mode, n, seed, title, false)
}

/// [`start`], or a practice session (`practice`).
fn start_as(
    store: &mut Store,
    bank: &Bank,
    mode: Mode,
    n: usize,
    seed: u64,
    title: Option<&str>,
    practice: bool,
) -> i64 {
    let items = assemble(bank, n, seed);
    store
        .create_attempt(&NewAttempt {
            mode,
            time_limit: (mode == Mode::Exam).then(|| Duration::from_secs(60 * n as u64)),
            title,
            practice,
            ..common::exam_attempt(bank, &items, seed, 70.0)
        })
        .unwrap()
}

fn session(store: &Store, id: i64) -> ExamSession {
    store.load_session(id).unwrap().unwrap().session
}

/// Answer item `pos` right or wrong, with a confidence and time on screen, as the exam
/// screen writes it.
fn answer(
    store: &Store,
    bank: &Bank,
    s: &mut ExamSession,
    pos: usize,
    right: bool,
    confidence: Option<AnswerConfidence>,
    secs: u64,
) {
    let item = s.items[pos].clone();
    let q = bank.question(&item.question_id).unwrap();
    // As many picks as the question asks for ("choose two" takes two).
    let picks: Vec<String> = if right {
        q.correct_ids()
    } else {
        q.options
            .iter()
            .filter(|o| !o.correct)
            .map(|o| o.id.clone())
            .take(q.correct_ids().len())
            .collect()
    };
    for option in picks {
        assert!(s.choose(pos, &option, q));
    }
    if let Some(c) = confidence {
        s.set_confidence(pos, c);
    }
    store
        .save_answer(
            s.attempt_id,
            pos,
            &s.states[pos],
            Some(Duration::from_secs(secs)),
            Duration::from_secs(100),
            pos,
        )
        .unwrap();
}

fn finish(store: &mut Store, bank: &Bank, id: i64) {
    let mut s = session(store, id);
    s.submit(Instant::now(), false);
    let report = s.score(bank);
    let evidence = certprep::mastery::exam_evidence(
        bank,
        &store.load_cards(bank.id()).unwrap(),
        &store.model_inputs(bank).unwrap(),
        &store.scheduler_for(bank.id()).unwrap(),
        &certprep::srs::answered_items_of(&s, &report, bank),
        chrono::Utc::now(),
        id,
    );
    store
        .finish_attempt(&s, Duration::from_secs(100), &report, &evidence)
        .unwrap();
}

#[test]
fn the_history_lists_what_is_over_newest_first_and_not_what_is_running() {
    let bank = bank();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let exam = start(&mut store, &bank, Mode::Exam, 6, 1, Some("Region 4 pack"));
    finish(&mut store, &bank, exam);
    let tutor = start(&mut store, &bank, Mode::Study, 3, 2, None);
    finish(&mut store, &bank, tutor);
    let abandoned = start(&mut store, &bank, Mode::Exam, 4, 3, None);
    store.abandon_attempt(abandoned, &[]).unwrap();
    let running = start(&mut store, &bank, Mode::Exam, 4, 4, None);

    let past = store.past_attempts(100).unwrap();
    let ids: Vec<i64> = past.iter().map(|a| a.summary.id).collect();
    assert_eq!(ids, vec![abandoned, tutor, exam]);
    assert!(!ids.contains(&running));
    assert!(past[0].is_abandoned() && past[0].areas.is_empty());
    assert_eq!(past[1].summary.mode, Mode::Study);
    assert_eq!(past[1].time_limit, None);
    assert_eq!(past[2].summary.title.as_deref(), Some("Region 4 pack"));
    assert_eq!(past[2].time_limit, Some(Duration::from_secs(360)));
    assert_eq!(past[2].time_used, Duration::from_secs(100));
    assert!(!past[2].areas.is_empty());
    let areas_of_exam: std::collections::BTreeSet<String> = session(&store, exam)
        .items
        .iter()
        .map(|i| bank.question(&i.question_id).unwrap().domain.clone())
        .collect();
    assert_eq!(
        past[2]
            .areas
            .iter()
            .cloned()
            .collect::<std::collections::BTreeSet<_>>(),
        areas_of_exam
    );
    // The limit is honoured: the newest only.
    assert_eq!(store.past_attempts(1).unwrap().len(), 1);

    // Hundreds of attempts are listed in one query.
    for seed in 10..310 {
        let id = start(&mut store, &bank, Mode::Exam, 2, seed, None);
        finish(&mut store, &bank, id);
    }
    let all = store.past_attempts(10_000).unwrap();
    assert_eq!(all.len(), 303);
    let ends: Vec<_> = all
        .iter()
        .map(|a| a.summary.finished_at.unwrap_or(a.summary.started_at))
        .collect();
    let sorted = {
        let mut s = ends.clone();
        s.sort_by(|a, b| b.cmp(a));
        s
    };
    assert_eq!(ends, sorted, "newest first");
}

#[test]
fn a_reopened_attempt_holds_its_times_and_confidence_and_filters_pick_the_right_questions() {
    let bank = bank();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let id = start(&mut store, &bank, Mode::Exam, 6, 9, None);
    let mut s = session(&store, id);
    answer(
        &store,
        &bank,
        &mut s,
        0,
        true,
        Some(AnswerConfidence::Guess),
        30,
    );
    answer(
        &store,
        &bank,
        &mut s,
        1,
        false,
        Some(AnswerConfidence::Sure),
        95,
    );
    answer(
        &store,
        &bank,
        &mut s,
        2,
        true,
        Some(AnswerConfidence::Sure),
        12,
    );
    answer(&store, &bank, &mut s, 3, false, None, 40);
    // 4 flagged but right; 5 left unanswered after 8 s on screen.
    answer(&store, &bank, &mut s, 4, true, None, 20);
    s.toggle_flag(4);
    store
        .save_item(id, 4, &s.states[4], Duration::from_secs(100), 4)
        .unwrap();
    store.save_item_time(id, 5, Duration::from_secs(8)).unwrap();
    finish(&mut store, &bank, id);

    let s = session(&store, id);
    let report = s.score(&bank);
    let rows = review::rows(&bank, &s, &report);
    let secs: Vec<u64> = rows.iter().map(|r| r.time.as_secs()).collect();
    assert_eq!(secs, vec![30, 95, 12, 40, 20, 8]);
    let confidence: Vec<_> = rows.iter().map(|r| r.confidence).collect();
    assert_eq!(
        confidence,
        vec![
            Some(AnswerConfidence::Guess),
            Some(AnswerConfidence::Sure),
            Some(AnswerConfidence::Sure),
            None,
            None,
            None
        ]
    );
    let pick = |f: ReviewFilter| -> Vec<usize> {
        rows.iter()
            .filter(|r| r.matches(&f))
            .map(|r| r.position)
            .collect()
    };
    assert_eq!(pick(ReviewFilter::Wrong), vec![1, 3]);
    assert_eq!(pick(ReviewFilter::Flagged), vec![4]);
    assert_eq!(pick(ReviewFilter::Unanswered), vec![5]);
    assert_eq!(pick(ReviewFilter::Missed), vec![1, 3, 5]);
    let area = rows[1].domain_id.clone();
    let in_area = pick(ReviewFilter::Area(area.clone()));
    assert!(in_area.contains(&1));
    assert!(in_area.iter().all(|&p| rows[p].domain_id == area));
    assert_eq!(review::mismatches(&rows), (1, 1));
    let slowest: Vec<usize> = review::slowest(&rows, 2)
        .iter()
        .map(|r| r.position)
        .collect();
    assert_eq!(slowest, vec![1, 3]);

    // The retake: exactly the wrong, unanswered and flagged questions, in exam order.
    let retake = review::retake_ids(&rows);
    let want: Vec<String> = [1, 3, 4, 5]
        .iter()
        .map(|&p| s.items[p].question_id.clone())
        .collect();
    assert_eq!(retake, want);
    let items = review::retake_items(&bank, &retake, 77);
    assert_eq!(
        items
            .iter()
            .map(|i| i.question_id.clone())
            .collect::<Vec<_>>(),
        want
    );

    // The exam's answers were graded by confidence: the right guess Hard (3 is Good).
    let ratings: Vec<(String, i64)> = {
        let mut st = store
            .connection()
            .prepare("SELECT question_id, rating FROM review_log WHERE attempt_id = ?1")
            .unwrap();
        st.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let rating_of = |pos: usize| {
        ratings
            .iter()
            .find(|(q, _)| *q == s.items[pos].question_id)
            .map(|(_, r)| *r)
    };
    assert_eq!(rating_of(0), Some(2), "a right guess is Hard");
    assert_eq!(rating_of(1), Some(1), "wrong but sure is Again");
    assert_eq!(rating_of(2), Some(3), "right and sure is Good");
    assert_eq!(rating_of(3), Some(1), "wrong without a mark is Again");
    assert_eq!(rating_of(4), Some(3), "right without a mark is Good");
    assert_eq!(rating_of(5), None, "unanswered is no review");
}

/// A practice session (a filtered session, a retake) is kept as practice: it is listed and
/// reviewable like any attempt, but readiness learns no realism from it and the dashboard
/// does not chart it as a mock exam. The same answers in a mock exam do add realism.
#[test]
fn practice_is_marked_and_teaches_readiness_no_realism() {
    let bank = bank();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let evidence = certprep::mastery::ExamEvidence {
        reviews: Vec::new(),
        realism: certprep::mastery::RealismSums {
            sum_mx: 0.5,
            sum_mm: 2.0,
            answers: 4,
        },
    };
    let sit = |store: &mut Store, practice: bool, seed: u64| -> i64 {
        let id = start_as(store, &bank, Mode::Exam, 4, seed, None, practice);
        let mut s = session(store, id);
        s.submit(Instant::now(), false);
        let report = s.score(&bank);
        store
            .finish_attempt(&s, Duration::from_secs(60), &report, &evidence)
            .unwrap();
        id
    };
    let practice = sit(&mut store, true, 1);
    assert_eq!(store.realism(bank.id()).unwrap().answers, 0);
    let mock = sit(&mut store, false, 2);
    assert_eq!(store.realism(bank.id()).unwrap().answers, 4);
    let listed = store.recent_attempts(10).unwrap();
    let flag = |id: i64| listed.iter().find(|a| a.id == id).map(|a| a.practice);
    assert_eq!(flag(practice), Some(true));
    assert_eq!(flag(mock), Some(false));
    assert_eq!(
        store.attempt_summary(practice).unwrap().map(|a| a.practice),
        Some(true)
    );
    // Home's chart of mock exam scores holds the mock exam only.
    let (dashboard, _) = certprep::ui::build_dashboard(
        &store,
        &bank,
        &certprep::srs::StudySettings::default(),
        chrono::Utc::now(),
    )
    .unwrap();
    assert_eq!(dashboard.exam_scores.len(), 1);
}
