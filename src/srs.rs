//! Spaced repetition: every question of a bank is an FSRS card.
//!
//! Scheduling is done by `rs-fsrs`, the open-spaced-repetition project's scheduler crate. We
//! chose it over the `fsrs` crate because certprep only needs to *schedule* with the published
//! FSRS weights: `fsrs` is the optimizer/trainer (it pulls in the `burn` ML stack), while
//! `rs-fsrs` is small, pure Rust, and exposes the card state, scheduler and forgetting curve
//! that mastery needs. Nothing here re-implements the algorithm.
//!
//! This module is pure: it turns (card, answer, time) into (new card, review log entry) and
//! builds the study queue. The store persists what it returns.

use crate::bank::Bank;
use crate::exam::{ExamItem, ItemState};
use chrono::{DateTime, Utc};
pub use rs_fsrs::{Card, Rating, State};
use rs_fsrs::{FSRS, Parameters};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub const DEFAULT_RETENTION: f64 = 0.90;
pub const DEFAULT_DAILY_NEW: u32 = 20;
/// A card due again within this time (an FSRS learning step) comes back in the same session.
pub const SAME_SESSION: chrono::Duration = chrono::Duration::minutes(30);

/// Study settings kept in the database (they follow the learner's history, not the machine).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StudySettings {
    pub desired_retention: f64,
    pub daily_new_limit: u32,
}

impl Default for StudySettings {
    fn default() -> Self {
        StudySettings {
            desired_retention: DEFAULT_RETENTION,
            daily_new_limit: DEFAULT_DAILY_NEW,
        }
    }
}

impl StudySettings {
    /// Keep values inside what FSRS and a sane day allow.
    pub fn clamped(self) -> StudySettings {
        StudySettings {
            desired_retention: if self.desired_retention.is_finite() {
                self.desired_retention.clamp(0.70, 0.99)
            } else {
                DEFAULT_RETENTION
            },
            daily_new_limit: self.daily_new_limit.min(500),
        }
    }
}

/// Today in the learner's time zone, and when it began in UTC ("today's" reviews and new
/// cards are counted from local midnight; records themselves stay in UTC).
pub fn local_day_start(now: DateTime<Utc>) -> (chrono::NaiveDate, DateTime<Utc>) {
    let day = now.with_timezone(&chrono::Local).date_naive();
    (day, local_midnight(day).unwrap_or(now))
}

/// The instant a local calendar day begins (the earlier one when a clock change repeats
/// midnight; `None` only where midnight does not exist at all).
pub fn local_midnight(day: chrono::NaiveDate) -> Option<DateTime<Utc>> {
    use chrono::TimeZone;
    day.and_hms_opt(0, 0, 0)
        .and_then(|m| chrono::Local.from_local_datetime(&m).earliest())
        .map(|t| t.with_timezone(&Utc))
}

/// How sure the learner was of a right answer (one key after answering; default Good).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Confidence {
    Hard,
    #[default]
    Good,
    Easy,
}

impl Confidence {
    pub fn label(self) -> &'static str {
        match self {
            Confidence::Hard => "Hard",
            Confidence::Good => "Good",
            Confidence::Easy => "Easy",
        }
    }
}

/// Wrong is always Again; a right answer is rated by the learner's confidence.
pub fn rating_for(correct: bool, confidence: Confidence) -> Rating {
    match (correct, confidence) {
        (false, _) => Rating::Again,
        (true, Confidence::Hard) => Rating::Hard,
        (true, Confidence::Good) => Rating::Good,
        (true, Confidence::Easy) => Rating::Easy,
    }
}

pub fn state_code(s: State) -> i64 {
    s as i64
}

pub fn state_from_code(c: i64) -> State {
    match c {
        1 => State::Learning,
        2 => State::Review,
        3 => State::Relearning,
        _ => State::New,
    }
}

pub fn state_label(s: State) -> &'static str {
    match s {
        State::New => "new",
        State::Learning => "learning",
        State::Review => "review",
        State::Relearning => "relearning",
    }
}

pub fn rating_from_code(c: i64) -> Rating {
    match c {
        1 => Rating::Again,
        2 => Rating::Hard,
        4 => Rating::Easy,
        _ => Rating::Good,
    }
}

/// Where a review came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewSource {
    Study,
    Exam,
}

/// Where an answer was given: the bank, and the mock-exam attempt when it was one.
#[derive(Debug, Clone, Copy)]
pub struct ReviewOrigin<'a> {
    pub bank_id: &'a str,
    pub source: ReviewSource,
    pub attempt_id: Option<i64>,
}

impl<'a> ReviewOrigin<'a> {
    pub fn study(bank_id: &'a str) -> Self {
        ReviewOrigin {
            bank_id,
            source: ReviewSource::Study,
            attempt_id: None,
        }
    }

    pub fn exam(bank_id: &'a str, attempt_id: i64) -> Self {
        ReviewOrigin {
            bank_id,
            source: ReviewSource::Exam,
            attempt_id: Some(attempt_id),
        }
    }
}

impl ReviewSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewSource::Study => "study",
            ReviewSource::Exam => "exam",
        }
    }
}

/// One question's scheduling state plus the counts mastery needs.
#[derive(Debug, Clone, PartialEq)]
pub struct CardRecord {
    pub question_id: String,
    pub card: Card,
    pub reviews: u32,
    pub correct: u32,
    /// Whether the very first answer was right: the best evidence for unseen questions.
    pub first_correct: bool,
}

impl CardRecord {
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        self.card.state != State::New && self.card.due <= now
    }

    /// Probability of recalling the answer at `now`, by FSRS's forgetting curve with
    /// fractional days (rs-fsrs's own helper rounds down to whole days).
    pub fn retrievability(&self, now: DateTime<Utc>) -> f64 {
        if self.card.state == State::New || self.card.stability <= 0.0 {
            return 0.0;
        }
        let days = (now - self.card.last_review).num_seconds().max(0) as f64 / 86_400.0;
        Parameters::forgetting_curve(days, self.card.stability).clamp(0.0, 1.0)
    }
}

/// One rating, as written to the review log.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub bank_id: String,
    pub after: CardRecord,
    pub rating: Rating,
    pub correct: bool,
    pub reviewed_at: DateTime<Utc>,
    pub elapsed_days: i64,
    pub scheduled_days: i64,
    pub state_before: State,
    pub source: ReviewSource,
    pub attempt_id: Option<i64>,
}

/// The FSRS scheduler with the learner's desired retention.
#[derive(Debug, Clone)]
pub struct Scheduler {
    fsrs: FSRS,
}

impl Scheduler {
    pub fn new(desired_retention: f64) -> Scheduler {
        let parameters = Parameters {
            request_retention: desired_retention,
            ..Parameters::default()
        };
        Scheduler {
            fsrs: FSRS::new(parameters),
        }
    }

    /// A card never reviewed, created at `now` (rs-fsrs's `Card::new` reads the wall clock,
    /// which tests and replays must not depend on).
    pub fn new_card(now: DateTime<Utc>) -> Card {
        Card {
            due: now,
            last_review: now,
            ..Card::default()
        }
    }

    /// Rate one answer: returns the review to persist (which carries the new card state).
    /// A wrong answer is always `Again` (see [`rating_for`]), so the rating says whether the
    /// answer was right.
    pub fn review(
        &self,
        origin: ReviewOrigin<'_>,
        question_id: &str,
        before: Option<&CardRecord>,
        rating: Rating,
        now: DateTime<Utc>,
    ) -> Review {
        let correct = rating != Rating::Again;
        // Never before the card's last review: a clock set back (or another computer's clock,
        // when reviews are replayed after a sync) must not give FSRS a negative interval.
        let now = before.map_or(now, |r| now.max(r.card.last_review));
        let card = before.map_or_else(|| Self::new_card(now), |r| r.card.clone());
        let state_before = card.state;
        let info = self.fsrs.next(card, now, rating);
        let (reviews, correct_count, first_correct) = match before {
            Some(r) if r.reviews > 0 => (r.reviews, r.correct, r.first_correct),
            _ => (0, 0, correct),
        };
        Review {
            bank_id: origin.bank_id.to_string(),
            after: CardRecord {
                question_id: question_id.to_string(),
                card: info.card,
                reviews: reviews + 1,
                correct: correct_count + correct as u32,
                first_correct,
            },
            rating,
            correct,
            reviewed_at: now,
            elapsed_days: info.review_log.elapsed_days,
            scheduled_days: info.review_log.scheduled_days,
            state_before,
            source: origin.source,
            attempt_id: origin.attempt_id,
        }
    }

    /// Reviews for the answered items of a submitted exam (see [`answered_items`]): right is
    /// Good, wrong is Again.
    pub fn exam_reviews(
        &self,
        bank_id: &str,
        cards: &HashMap<String, CardRecord>,
        answered: &[(String, bool)],
        now: DateTime<Utc>,
        attempt_id: i64,
    ) -> Vec<Review> {
        answered
            .iter()
            .map(|(qid, ok)| {
                self.review(
                    ReviewOrigin::exam(bank_id, attempt_id),
                    qid,
                    cards.get(qid),
                    rating_for(*ok, Confidence::Good),
                    now,
                )
            })
            .collect()
    }
}

/// The (question, right?) pairs of a scored exam that count as reviews: the answered items.
/// Unanswered items were perhaps never read, so they are left unscheduled.
pub fn answered_items(report: &crate::exam::ScoreReport) -> Vec<(String, bool)> {
    report
        .items
        .iter()
        .filter(|r| !r.selected.is_empty())
        .map(|r| (r.question_id.clone(), r.is_correct))
        .collect()
}

/// What the Study screen works through today.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StudyQueue {
    /// Due cards, most overdue first.
    pub due: Vec<String>,
    /// New questions, picked by blueprint weight and weakness.
    pub new: Vec<String>,
}

impl StudyQueue {
    pub fn len(&self) -> usize {
        self.due.len() + self.new.len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Question ids in the order they are asked.
    pub fn order(&self) -> Vec<String> {
        self.due.iter().chain(&self.new).cloned().collect()
    }
}

/// Build today's queue: every due card first, then up to `new_allowed` unseen questions.
///
/// New questions are spread over the skill areas by `weight × (1 − mastery)`: a heavy area
/// the learner is weak in gets new questions first, and each pick lowers that area's claim
/// (divided by 1 + picks so far) so one area never takes the whole day. Within an area,
/// easier questions come first, then file order (authors build areas up in that order).
pub fn build_queue(
    bank: &Bank,
    cards: &HashMap<String, CardRecord>,
    mastery_by_area: &HashMap<String, f64>,
    now: DateTime<Utc>,
    new_allowed: usize,
    only_area: Option<&str>,
) -> StudyQueue {
    let in_scope = |domain: &str| only_area.is_none_or(|a| a == domain);
    let mut due: Vec<&CardRecord> = cards
        .values()
        .filter(|c| c.is_due(now))
        .filter(|c| {
            bank.question(&c.question_id)
                .is_some_and(|q| in_scope(&q.domain))
        })
        .collect();
    due.sort_by(|a, b| {
        a.card
            .due
            .cmp(&b.card.due)
            .then(a.question_id.cmp(&b.question_id))
    });

    let mut pools: Vec<(String, f64, Vec<String>, usize)> = bank
        .manifest
        .domains
        .iter()
        .filter(|d| in_scope(&d.id))
        .map(|d| {
            let mut unseen: Vec<_> = bank
                .questions_in(&d.id)
                .filter(|q| !cards.contains_key(&q.id))
                .collect();
            unseen.sort_by_key(|q| q.difficulty.unwrap_or(2));
            let ids: Vec<String> = unseen.iter().rev().map(|q| q.id.clone()).collect();
            let m = mastery_by_area.get(&d.id).copied().unwrap_or(0.5);
            let claim = bank.weight_share(d) * (1.0 - m).max(0.05);
            (d.id.clone(), claim, ids, 0)
        })
        .collect();
    let mut new = Vec::new();
    while new.len() < new_allowed {
        let best = pools.iter_mut().filter(|p| !p.2.is_empty()).max_by(|a, b| {
            let ca = a.1 / (1 + a.3) as f64;
            let cb = b.1 / (1 + b.3) as f64;
            ca.total_cmp(&cb)
        });
        let Some(pool) = best else { break };
        if let Some(id) = pool.2.pop() {
            new.push(id);
            pool.3 += 1;
        }
    }
    StudyQueue {
        due: due.into_iter().map(|c| c.question_id.clone()).collect(),
        new,
    }
}

/// Drop the cards of questions the bank no longer holds (retired when the bank was revised).
/// Their history stays in the database, untouched, but they are not scheduled, not counted
/// in mastery or the plan, and not "due". Returns how many were dropped.
pub fn drop_retired(bank: &Bank, cards: &mut HashMap<String, CardRecord>) -> usize {
    let before = cards.len();
    cards.retain(|id, _| bank.question(id).is_some());
    before - cards.len()
}

/// What to tell a learner who has history for retired questions.
pub fn retired_note(bank: &Bank, retired: usize) -> Option<String> {
    (retired > 0).then(|| {
        format!(
            "{} you answered {} no longer in {} (version {}): your answers to {} are kept in your history but no longer scheduled or counted here.",
            crate::text::count(retired, "question", "questions"),
            if retired == 1 { "is" } else { "are" },
            bank.manifest.title,
            bank.manifest.version,
            if retired == 1 { "it" } else { "them" }
        )
    })
}

/// A Study-screen session: today's queue asked one question at a time, with immediate
/// feedback, then a rating. UI-free so it can be driven by tests.
/// What a study session draws from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StudyScope {
    /// Today's queue over the whole bank.
    Bank,
    /// Today's queue, one skill area only ("Study this area").
    Area(String),
    /// The questions an exam attempt got wrong or left unanswered, once each, due or not.
    Missed { attempt_id: i64 },
}

impl StudyScope {
    /// The skill area a session is limited to, if any.
    pub fn area(&self) -> Option<&str> {
        match self {
            StudyScope::Area(a) => Some(a),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct StudySession {
    pub bank_id: String,
    pub scope: StudyScope,
    pub queue: std::collections::VecDeque<String>,
    /// The question on screen, its option order and what the learner did with it.
    pub current: Option<(ExamItem, ItemState)>,
    pub cards: HashMap<String, CardRecord>,
    pub reviewed: usize,
    pub correct: usize,
    seed: u64,
}

impl StudySession {
    pub fn new(
        bank: &Bank,
        queue: &StudyQueue,
        cards: HashMap<String, CardRecord>,
        scope: StudyScope,
        seed: u64,
    ) -> StudySession {
        let mut s = StudySession {
            bank_id: bank.id().to_string(),
            scope,
            queue: queue.order().into(),
            current: None,
            cards,
            reviewed: 0,
            correct: 0,
            seed,
        };
        s.advance(bank);
        s
    }

    fn advance(&mut self, bank: &Bank) {
        self.current = None;
        while let Some(id) = self.queue.pop_front() {
            if let Some(q) = bank.question(&id) {
                // A fresh option order each showing, so positions are not learned.
                let item =
                    crate::exam::single_item(q, self.seed.wrapping_add(self.reviewed as u64));
                self.current = Some((item, ItemState::default()));
                return;
            }
        }
    }

    pub fn is_finished(&self) -> bool {
        self.current.is_none()
    }

    /// Questions still to answer, the one on screen included.
    pub fn remaining(&self) -> usize {
        self.queue.len() + self.current.is_some() as usize
    }

    /// Share of the session done, for the progress bar.
    pub fn progress(&self) -> f32 {
        let total = self.reviewed + self.remaining();
        if total == 0 {
            1.0
        } else {
            self.reviewed as f32 / total as f32
        }
    }

    pub fn choose(&mut self, bank: &Bank, option_id: &str) -> bool {
        let Some((item, state)) = &mut self.current else {
            return false;
        };
        let Some(q) = bank.question(&item.question_id) else {
            return false;
        };
        item.option_order.iter().any(|o| o == option_id)
            && state.choose(&item.option_order, option_id, q.kind)
    }

    /// Lock the answer and show the feedback.
    pub fn check(&mut self) -> bool {
        match &mut self.current {
            Some((_, st)) if st.answered() && !st.checked => {
                st.checked = true;
                true
            }
            _ => false,
        }
    }

    /// Whether the checked answer on screen is right (None before checking).
    pub fn checked_result(&self, bank: &Bank) -> Option<bool> {
        let (item, st) = self.current.as_ref()?;
        st.checked.then(|| {
            bank.question(&item.question_id)
                .is_some_and(|q| q.is_correct(&st.selected))
        })
    }

    /// Rate the checked answer (wrong is always Again), move to the next question and return
    /// the review to persist. A card FSRS wants again within the session goes back into the
    /// queue a few questions later.
    pub fn rate(
        &mut self,
        bank: &Bank,
        scheduler: &Scheduler,
        confidence: Confidence,
        now: DateTime<Utc>,
    ) -> Option<Review> {
        let correct = self.checked_result(bank)?;
        let (item, _) = self.current.as_ref()?;
        let qid = item.question_id.clone();
        let review = scheduler.review(
            ReviewOrigin::study(&self.bank_id),
            &qid,
            self.cards.get(&qid),
            rating_for(correct, confidence),
            now,
        );
        self.cards.insert(qid.clone(), review.after.clone());
        self.reviewed += 1;
        self.correct += correct as usize;
        if review.after.card.due <= now + SAME_SESSION {
            let at = self.queue.len().min(3);
            self.queue.insert(at, qid);
        }
        self.advance(bank);
        Some(review)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
    }

    #[test]
    fn ratings_follow_correctness_and_confidence() {
        assert_eq!(rating_for(false, Confidence::Easy), Rating::Again);
        assert_eq!(rating_for(true, Confidence::Hard), Rating::Hard);
        assert_eq!(rating_for(true, Confidence::default()), Rating::Good);
        assert_eq!(rating_for(true, Confidence::Easy), Rating::Easy);
    }

    #[test]
    fn review_matches_rs_fsrs_and_counts_answers() {
        let s = Scheduler::new(0.9);
        let r1 = s.review(ReviewOrigin::study("b"), "q1", None, Rating::Good, t0());
        let direct =
            FSRS::new(Parameters::default()).next(Scheduler::new_card(t0()), t0(), Rating::Good);
        assert_eq!(r1.after.card, direct.card);
        assert_eq!(r1.state_before, State::New);
        assert_eq!(
            (r1.after.reviews, r1.after.correct, r1.after.first_correct),
            (1, 1, true)
        );
        let later = r1.after.card.due;
        let r2 = s.review(
            ReviewOrigin::exam("b", 3),
            "q1",
            Some(&r1.after),
            Rating::Again,
            later,
        );
        assert_eq!(
            (r2.after.reviews, r2.after.correct, r2.after.first_correct),
            (2, 1, true)
        );
        assert_eq!(r2.after.card.reps, 2);
        assert_eq!(r2.rating, Rating::Again);
        assert!(r2.after.card.due > later);
    }

    #[test]
    fn higher_retention_gives_shorter_intervals() {
        // A card rated Good at every due date, four times, under a given retention.
        let walk = |retention: f64| {
            let s = Scheduler::new(retention);
            let mut card: Option<CardRecord> = None;
            let mut at = t0();
            for _ in 0..4 {
                let r = s.review(
                    ReviewOrigin::study("b"),
                    "q",
                    card.as_ref(),
                    Rating::Good,
                    at,
                );
                at = r.after.card.due;
                card = Some(r.after);
            }
            card.map_or(0, |c| c.card.scheduled_days)
        };
        let (lo, hi) = (walk(0.80), walk(0.97));
        assert!(hi < lo, "{hi} vs {lo}");
    }

    #[test]
    fn retrievability_decays_from_one() {
        let r = Scheduler::new(0.9)
            .review(ReviewOrigin::study("b"), "q", None, Rating::Good, t0())
            .after;
        assert!((r.retrievability(t0()) - 1.0).abs() < 1e-9);
        let s = r.card.stability;
        // FSRS: R(t) = (1 + 19/81 · t/S)^-0.5; at t = S it is 0.9 by construction.
        let at_s = t0() + chrono::Duration::seconds((s * 86_400.0) as i64);
        assert!((r.retrievability(at_s) - 0.9).abs() < 1e-3);
    }
}
