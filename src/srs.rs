//! Spaced repetition: every question of a bank is an FSRS card.
//!
//! FSRS-6 through the `fsrs` crate (the open-spaced-repetition project's Rust implementation,
//! the one Anki uses): it computes memory states (stability, difficulty) and fits the
//! learner's 21 parameters to their own reviews. Card states, (re)learning steps and the
//! exam-date cap are certprep's, in `scheduler`, the way py-fsrs 6 and Anki keep them; golden
//! vectors from py-fsrs 6.3.2 check the schedule (tests/srs_golden.rs).
//!
//! This module is pure: it turns (card, answer, time) into (new card, review log entry),
//! builds the study queue, fits parameters and summarises the review log. The store persists
//! what it returns.

pub mod exam_day;
pub mod fit;
mod model;
pub mod retention;
mod scheduler;
mod session;

pub use exam_day::{ExamDayRecall, exam_day_recall, lowest_exam_day_recall};
pub use model::{
    Card, FSRS5_DECAY, Rating, S_MIN, State, days_between, days_until_recall, forgetting_curve,
    whole_days,
};
pub use scheduler::{MAX_INTERVAL_DAYS, Scheduler};
pub use session::{SAME_SESSION, StudyQueue, StudyScope, StudySession, build_queue};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub const DEFAULT_RETENTION: f64 = 0.90;
pub const DEFAULT_DAILY_NEW: u32 = 20;
/// One 10-minute learning step: a question answered wrong comes back once the explanation is
/// no longer on screen, not a minute later; a right answer (Good) graduates at once.
pub const DEFAULT_LEARNING_STEPS_MIN: [u32; 1] = [10];
/// One 10-minute relearning step after a lapse.
pub const DEFAULT_RELEARNING_STEPS_MIN: [u32; 1] = [10];
/// Time one answer is taken to need before the learner has timed answers of their own.
pub const DEFAULT_SECONDS_PER_ANSWER: f64 = 60.0;

/// Study settings kept in the database (they follow the learner's history, not the machine).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudySettings {
    pub desired_retention: f64,
    pub daily_new_limit: u32,
    /// (Re)learning steps in minutes.
    #[serde(default = "default_learning_steps")]
    pub learning_steps_min: Vec<u32>,
    #[serde(default = "default_relearning_steps")]
    pub relearning_steps_min: Vec<u32>,
    /// Minutes a day the learner can give to study; 0 = no budget.
    #[serde(default)]
    pub daily_minutes: u32,
    /// The learner's FSRS-6 parameters; empty = FSRS-6's defaults. Set by fitting
    /// (Settings → Optimise), never typed.
    #[serde(default)]
    pub parameters: Vec<f32>,
}

fn default_learning_steps() -> Vec<u32> {
    DEFAULT_LEARNING_STEPS_MIN.to_vec()
}

fn default_relearning_steps() -> Vec<u32> {
    DEFAULT_RELEARNING_STEPS_MIN.to_vec()
}

impl Default for StudySettings {
    fn default() -> Self {
        StudySettings {
            desired_retention: DEFAULT_RETENTION,
            daily_new_limit: DEFAULT_DAILY_NEW,
            learning_steps_min: default_learning_steps(),
            relearning_steps_min: default_relearning_steps(),
            daily_minutes: 0,
            parameters: Vec::new(),
        }
    }
}

/// The longest (re)learning step, and how many of them: a step is a same-day repeat, not
/// an interval.
pub const MAX_STEP_MIN: u32 = 720;
pub const MAX_STEPS: usize = 5;

impl StudySettings {
    /// Keep values inside what FSRS and a sane day allow.
    pub fn clamped(self) -> StudySettings {
        let steps = |v: Vec<u32>| -> Vec<u32> {
            v.into_iter()
                .filter(|m| *m > 0)
                .map(|m| m.min(MAX_STEP_MIN))
                .take(MAX_STEPS)
                .collect()
        };
        StudySettings {
            desired_retention: if self.desired_retention.is_finite() {
                self.desired_retention.clamp(0.70, 0.99)
            } else {
                DEFAULT_RETENTION
            },
            daily_new_limit: self.daily_new_limit.min(500),
            learning_steps_min: steps(self.learning_steps_min),
            relearning_steps_min: steps(self.relearning_steps_min),
            daily_minutes: self.daily_minutes.min(24 * 60),
            parameters: if self.parameters.is_empty() {
                Vec::new()
            } else {
                model::checked_parameters(&self.parameters)
            },
        }
    }

    /// Whether two settings schedule cards differently (so stored due dates must be redone).
    pub fn schedules_like(&self, other: &StudySettings) -> bool {
        self.desired_retention == other.desired_retention
            && self.learning_steps_min == other.learning_steps_min
            && self.relearning_steps_min == other.relearning_steps_min
            && self.parameters == other.parameters
    }
}

/// Answers that fit a daily budget of `minutes` at `seconds_per_answer` each (at least one,
/// so a budget never stops study altogether).
pub fn answers_in_budget(minutes: u32, seconds_per_answer: f64) -> usize {
    let per = if seconds_per_answer.is_finite() && seconds_per_answer > 0.0 {
        seconds_per_answer
    } else {
        DEFAULT_SECONDS_PER_ANSWER
    };
    ((f64::from(minutes) * 60.0 / per).floor() as usize).max(1)
}

/// Steps as typed ("10m 1h 1d", "10, 30") → minutes; None with a message when a part is
/// not a duration.
pub fn parse_steps(text: &str) -> Result<Vec<u32>, String> {
    let mut out = Vec::new();
    for part in text.split([' ', ',', ';']).filter(|p| !p.is_empty()) {
        let (num, unit) = part
            .find(|c: char| !c.is_ascii_digit())
            .map_or((part, "m"), |i| part.split_at(i));
        let n: u32 = num
            .parse()
            .map_err(|_| format!("\"{part}\" is not a step: write minutes like 10m, or 1h."))?;
        let minutes = match unit {
            "m" | "min" => Some(n),
            "h" => n.checked_mul(60),
            "d" => n.checked_mul(24 * 60),
            _ => None,
        }
        .ok_or_else(|| format!("\"{part}\" is not a step: write minutes like 10m, or 1h."))?;
        if minutes == 0 || minutes > MAX_STEP_MIN {
            return Err(format!(
                "\"{part}\": a step is between 1 minute and 12 hours (longer waits are FSRS's intervals)."
            ));
        }
        out.push(minutes);
    }
    if out.len() > MAX_STEPS {
        return Err(format!("At most {MAX_STEPS} steps."));
    }
    Ok(out)
}

/// Minutes → "10m", "1h", "1h 30m".
pub fn format_steps(steps: &[u32]) -> String {
    steps
        .iter()
        .map(|m| match (m / 60, m % 60) {
            (0, m) => format!("{m}m"),
            (h, 0) => format!("{h}h"),
            (h, m) => format!("{h}h{m}m"),
        })
        .collect::<Vec<_>>()
        .join(" ")
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
    /// Whether the latest answer was right: with FSRS's recall, what the question's own
    /// record says about answering it now (a wrong answer leaves recall near 1 too).
    pub last_correct: bool,
    /// When the question was first answered: first tries are weighted by how recent they are.
    pub first_at: DateTime<Utc>,
}

impl CardRecord {
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        self.card.state != State::New && self.card.due <= now
    }

    /// Probability of recalling the answer at `now`: FSRS's forgetting curve with fractional
    /// days and the decay the card's stability was computed with (see [`forgetting_curve`]).
    /// The one place mastery, readiness, the plan and the exam-day figures read recall.
    pub fn retrievability(&self, now: DateTime<Utc>) -> f64 {
        if self.card.state == State::New || self.card.stability <= 0.0 {
            return 0.0;
        }
        forgetting_curve(
            days_between(self.card.last_review, now),
            self.card.stability,
            self.card.decay,
        )
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
    /// How long the answer took, from showing the question to the rating (study only).
    pub duration_ms: Option<i64>,
}

/// One answer of the review log, as a replay needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoggedAnswer {
    pub at: DateTime<Utc>,
    pub rating: Rating,
    pub source: ReviewSource,
}

impl Scheduler {
    /// Rate one study answer: returns the review to persist (which carries the new card state).
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
        // Never before the card's last review: a clock set back (or another computer's clock,
        // when reviews are replayed after a sync) must not give FSRS a negative interval.
        let now = before.map_or(now, |r| now.max(r.card.last_review));
        let card = before.map_or_else(|| Self::new_card(now), |r| r.card.clone());
        let after = match origin.source {
            ReviewSource::Study => self.next_card(&card, rating, now),
            ReviewSource::Exam => self.exam_next_card(&card, rating, now),
        };
        Review::new(origin, question_id, before, card, after, rating, now)
    }

    /// Reviews for the answered items of a submitted exam (see [`answered_items`]), graded by
    /// [`exam_rating`]; none walks the learning steps (see [`Scheduler::exam_next_card`]).
    pub fn exam_reviews(
        &self,
        bank_id: &str,
        cards: &HashMap<String, CardRecord>,
        answered: &[AnsweredItem],
        now: DateTime<Utc>,
        attempt_id: i64,
    ) -> Vec<Review> {
        answered
            .iter()
            .map(|a| {
                self.review(
                    ReviewOrigin::exam(bank_id, attempt_id),
                    &a.question_id,
                    cards.get(&a.question_id),
                    exam_rating(a.right, a.confidence),
                    now,
                )
            })
            .collect()
    }

    /// A card's state after its whole review log, oldest first, as if this scheduler had
    /// scheduled it from the start (py-fsrs's `reschedule_card`). None for an empty log. An
    /// answer stamped before the card's last review (a merged log whose other computer's
    /// clock was behind, see docs/sync.md) is taken at that last review: time never runs
    /// backwards for a card.
    pub fn replay(&self, log: &[LoggedAnswer]) -> Option<Card> {
        let mut card: Option<Card> = None;
        for a in log {
            let before = card.unwrap_or_else(|| Self::new_card(a.at));
            let at = a.at.max(before.last_review);
            card = Some(match a.source {
                ReviewSource::Study => self.next_card(&before, a.rating, at),
                ReviewSource::Exam => self.exam_next_card(&before, a.rating, at),
            });
        }
        card
    }
}

impl Review {
    fn new(
        origin: ReviewOrigin<'_>,
        question_id: &str,
        before: Option<&CardRecord>,
        card_before: Card,
        after: Card,
        rating: Rating,
        now: DateTime<Utc>,
    ) -> Review {
        let correct = rating.is_pass();
        let (reviews, correct_count, first_correct, first_at) = match before {
            Some(r) if r.reviews > 0 => (r.reviews, r.correct, r.first_correct, r.first_at),
            _ => (0, 0, correct, now),
        };
        Review {
            bank_id: origin.bank_id.to_string(),
            rating,
            correct,
            reviewed_at: now,
            elapsed_days: after.elapsed_days,
            scheduled_days: after.scheduled_days,
            state_before: card_before.state,
            source: origin.source,
            attempt_id: origin.attempt_id,
            duration_ms: None,
            after: CardRecord {
                question_id: question_id.to_string(),
                card: after,
                reviews: reviews + 1,
                correct: correct_count + correct as u32,
                first_correct,
                last_correct: correct,
                first_at,
            },
        }
    }
}

/// The (question, right?) pairs of a scored exam that count as reviews: the items with a
/// whole answer (as many picks as the question asks for, see `Question::picks`). Unanswered
/// items were perhaps never read and a partly answered one was never finished (one pick of
/// a "choose two"), so they are left unscheduled, as the exam screen does not call them
/// answered either.
pub fn answered_items(
    report: &crate::exam::ScoreReport,
    bank: &crate::bank::Bank,
) -> Vec<AnsweredItem> {
    report
        .items
        .iter()
        .filter(|r| {
            bank.question(&r.question_id)
                .is_some_and(|q| q.picks().complete(r.selected.len()))
        })
        .map(|r| AnsweredItem {
            question_id: r.question_id.clone(),
            right: r.is_correct,
            confidence: None,
        })
        .collect()
}

/// [`answered_items`] with the confidence the candidate marked on each (exam mode, when
/// Settings asks for it), taken from `session`'s answers.
pub fn answered_items_of(
    session: &crate::exam::ExamSession,
    report: &crate::exam::ScoreReport,
    bank: &crate::bank::Bank,
) -> Vec<AnsweredItem> {
    let marked: HashMap<&str, crate::exam::AnswerConfidence> = session
        .items
        .iter()
        .zip(&session.states)
        .filter_map(|(i, s)| Some((i.question_id.as_str(), s.confidence?)))
        .collect();
    let mut answered = answered_items(report, bank);
    for a in &mut answered {
        a.confidence = marked.get(a.question_id.as_str()).copied();
    }
    answered
}

/// One whole answer of an exam, as its review is graded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnsweredItem {
    pub question_id: String,
    pub right: bool,
    pub confidence: Option<crate::exam::AnswerConfidence>,
}

/// The FSRS grade of an exam answer (docs/confidence.md). Without a confidence mark it is
/// what it always was: right = Good, wrong = Again. With one: a wrong answer is Again
/// whatever the mark (a sure mistake is still a failure to recall; the review names it);
/// a right answer is Good when sure and Hard when unsure or guessed: a right guess is
/// weak evidence of memory, so its interval is shorter, but it is not graded Again, so
/// the rating in the log still says whether the answer was right (true retention, the
/// replay of exam answers and fitting read it so).
pub fn exam_rating(right: bool, confidence: Option<crate::exam::AnswerConfidence>) -> Rating {
    use crate::exam::AnswerConfidence as C;
    match (right, confidence) {
        (false, _) => Rating::Again,
        (true, None | Some(C::Sure)) => Rating::Good,
        (true, Some(C::Unsure | C::Guess)) => Rating::Hard,
    }
}

/// Drop the cards of questions the bank no longer holds (retired when the bank was revised).
/// Their history stays in the database, untouched, but they are not scheduled, not counted
/// in mastery or the plan, and not "due". Returns how many were dropped.
pub fn drop_retired(bank: &crate::bank::Bank, cards: &mut HashMap<String, CardRecord>) -> usize {
    let before = cards.len();
    cards.retain(|id, _| bank.question(id).is_some());
    before - cards.len()
}

/// What to tell a learner who has history for retired questions.
pub fn retired_note(bank: &crate::bank::Bank, retired: usize) -> Option<String> {
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

    /// Exam answers: no confidence mark grades as before (right Good, wrong Again); a mark
    /// makes a right answer Hard unless sure, and never makes a wrong one anything but Again.
    #[test]
    fn exam_answers_are_graded_by_their_confidence() {
        use crate::exam::AnswerConfidence as C;
        assert_eq!(exam_rating(true, None), Rating::Good);
        assert_eq!(exam_rating(false, None), Rating::Again);
        assert_eq!(exam_rating(true, Some(C::Sure)), Rating::Good);
        assert_eq!(exam_rating(true, Some(C::Unsure)), Rating::Hard);
        assert_eq!(exam_rating(true, Some(C::Guess)), Rating::Hard);
        for c in C::ALL {
            assert_eq!(exam_rating(false, Some(c)), Rating::Again);
        }
        let s = Scheduler::new(0.9);
        let answered = |right, confidence| AnsweredItem {
            question_id: "q1".into(),
            right,
            confidence,
        };
        let reviews = s.exam_reviews(
            "b",
            &HashMap::new(),
            &[
                answered(true, None),
                answered(true, Some(C::Guess)),
                answered(false, Some(C::Sure)),
            ],
            t0(),
            7,
        );
        let ratings: Vec<Rating> = reviews.iter().map(|r| r.rating).collect();
        assert_eq!(ratings, vec![Rating::Good, Rating::Hard, Rating::Again]);
        // A right guess still counts as right, and is due sooner than a sure answer.
        assert!(reviews[1].correct);
        assert!(reviews[1].after.card.due < reviews[0].after.card.due);
        // Replaying the log gives the same card (the rating is in the log).
        let replayed = s
            .replay(&[LoggedAnswer {
                at: t0(),
                rating: Rating::Hard,
                source: ReviewSource::Exam,
            }])
            .unwrap();
        assert_eq!(replayed, reviews[1].after.card);
    }

    #[test]
    fn review_counts_answers_and_follows_the_scheduler() {
        let s = Scheduler::new(0.9);
        let r1 = s.review(ReviewOrigin::study("b"), "q1", None, Rating::Good, t0());
        let direct = s.next_card(&Scheduler::new_card(t0()), Rating::Good, t0());
        assert_eq!(r1.after.card, direct);
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
        // The latest answer and the time of the first are what readiness reads.
        assert!(r1.after.last_correct && !r2.after.last_correct);
        assert_eq!((r1.after.first_at, r2.after.first_at), (t0(), t0()));
        assert_eq!(r2.after.card.reps, 2);
        assert_eq!(r2.rating, Rating::Again);
        // A wrong exam answer is due at once (in the next study session), in relearning.
        assert_eq!(r2.after.card.due, later);
        assert_eq!(r2.after.card.state, State::Relearning);
    }

    #[test]
    fn replay_gives_the_state_the_reviews_gave() {
        let s = Scheduler::new(0.9);
        let mut card: Option<CardRecord> = None;
        let mut log = Vec::new();
        let mut at = t0();
        for (i, rating) in [
            Rating::Again,
            Rating::Good,
            Rating::Hard,
            Rating::Again,
            Rating::Easy,
        ]
        .into_iter()
        .enumerate()
        {
            let origin = if i == 3 {
                ReviewOrigin::exam("b", 1)
            } else {
                ReviewOrigin::study("b")
            };
            let r = s.review(origin, "q", card.as_ref(), rating, at);
            log.push(LoggedAnswer {
                at,
                rating,
                source: origin.source,
            });
            at = r.after.card.due.max(at + chrono::Duration::hours(5));
            card = Some(r.after);
        }
        assert_eq!(s.replay(&log), card.map(|c| c.card));
        assert_eq!(s.replay(&[]), None);
    }

    #[test]
    fn steps_parse_and_print() {
        assert_eq!(parse_steps("10m 1h, 90"), Ok(vec![10, 60, 90]));
        assert_eq!(parse_steps(""), Ok(vec![]));
        assert_eq!(format_steps(&[10, 60, 90]), "10m 1h 1h30m");
        assert!(parse_steps("10x").unwrap_err().contains("10x"));
        assert!(parse_steps("2d").unwrap_err().contains("12 hours"));
        assert!(parse_steps("0m").is_err());
        assert!(parse_steps("1 2 3 4 5 6").is_err());
        let c = StudySettings {
            learning_steps_min: vec![0, 5, 9999],
            ..StudySettings::default()
        }
        .clamped();
        assert_eq!(c.learning_steps_min, vec![5, MAX_STEP_MIN]);
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
    fn retrievability_decays_from_one_on_the_cards_own_curve() {
        let r = Scheduler::new(0.9)
            .review(ReviewOrigin::study("b"), "q", None, Rating::Good, t0())
            .after;
        assert!((r.retrievability(t0()) - 1.0).abs() < 1e-9);
        let s = r.card.stability;
        // R(S) = 0.9 on any curve; in between, FSRS-6's flatter curve stays higher than
        // FSRS-5's at 2S.
        let at = |days: f64| t0() + chrono::Duration::milliseconds((days * 86_400_000.0) as i64);
        assert!((r.retrievability(at(s)) - 0.9).abs() < 1e-6);
        let mut old = r.clone();
        old.card.decay = FSRS5_DECAY;
        assert!(r.retrievability(at(2.0 * s)) > old.retrievability(at(2.0 * s)));
        // FSRS-5 at 2S: (1 + 19/81 · 2)^-0.5.
        let want = (1.0f64 + 38.0 / 81.0).powf(-0.5);
        assert!((old.retrievability(at(2.0 * s)) - want).abs() < 1e-6);
    }
}
