//! The scheduler: FSRS-6 memory states from the `fsrs` crate, card states and (re)learning
//! steps kept by certprep the way py-fsrs 6 and Anki keep them, and the exam-date cap.
//!
//! `fsrs` answers "given this memory state, this many days later, what is the new stability
//! and difficulty for each rating" (`next_states`). Everything around it is here:
//!
//! * a new card, or one in (re)learning, walks its steps: Again goes back to the first step,
//!   Hard repeats the step (1.5 × a lone step, or the mean of the first two), Good moves on and
//!   graduates after the last one, Easy graduates at once. With no steps a card graduates on its
//!   first answer. A review card answered Again goes to the relearning steps (or, without any,
//!   stays in review with a new interval).
//! * a graduated card's interval is the whole number of days (rounded, at least 1, at most
//!   [`MAX_INTERVAL_DAYS`]) after which FSRS predicts recall falls to the desired retention;
//! * elapsed time is counted in whole 24-hour periods, as py-fsrs and fsrs-rs count it; a review
//!   less than a day after the last one updates stability by FSRS-6's short-term formula.
//!
//! Golden vectors from py-fsrs 6.3.2 (`tests/data/fsrs/`) check all of it.
//!
//! Mock-exam answers follow certprep's own rule (docs/readiness.md, "Exam answers"): they
//! skip the steps. See [`Scheduler::exam_review`].

use super::model::{Card, Rating, State, checked_parameters, days_between, whole_days};
use chrono::{DateTime, Duration, Utc};

/// The longest interval FSRS may give (py-fsrs's and Anki's default, 100 years).
pub const MAX_INTERVAL_DAYS: i64 = 36_500;

/// What happens to a card after one answer.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Next {
    /// Into review: due after FSRS's interval.
    Graduate,
    /// On (re)learning step `step`, due again after `wait`.
    Step { step: u32, wait: Duration },
}

/// The FSRS-6 scheduler with the learner's parameters, retention, steps and exam date.
#[derive(Debug, Clone)]
pub struct Scheduler {
    fsrs: fsrs::FSRS,
    weights: Vec<f32>,
    desired_retention: f64,
    learning_steps: Vec<Duration>,
    relearning_steps: Vec<Duration>,
    /// When the exam day starts (local midnight), if the learner set an exam date.
    exam_at: Option<DateTime<Utc>>,
}

impl Scheduler {
    /// FSRS-6's default parameters, certprep's default steps and the given retention.
    pub fn new(desired_retention: f64) -> Scheduler {
        Scheduler::with(
            &[],
            desired_retention,
            &super::DEFAULT_LEARNING_STEPS_MIN,
            &super::DEFAULT_RELEARNING_STEPS_MIN,
        )
    }

    /// The learner's scheduler: their parameters (or the defaults), retention and steps.
    pub fn from_settings(settings: &super::StudySettings) -> Scheduler {
        Scheduler::with(
            &settings.parameters,
            settings.desired_retention,
            &settings.learning_steps_min,
            &settings.relearning_steps_min,
        )
    }

    /// Parameters (empty = FSRS-6 defaults), retention and steps in minutes.
    pub fn with(
        weights: &[f32],
        desired_retention: f64,
        learning_steps_min: &[u32],
        relearning_steps_min: &[u32],
    ) -> Scheduler {
        Scheduler::with_step_durations(
            weights,
            desired_retention,
            learning_steps_min
                .iter()
                .map(|m| Duration::minutes(i64::from(*m)))
                .collect(),
            relearning_steps_min
                .iter()
                .map(|m| Duration::minutes(i64::from(*m)))
                .collect(),
        )
    }

    /// As [`Scheduler::with`], with steps of any length (the golden vectors use seconds).
    pub fn with_step_durations(
        weights: &[f32],
        desired_retention: f64,
        learning_steps: Vec<Duration>,
        relearning_steps: Vec<Duration>,
    ) -> Scheduler {
        let weights = checked_parameters(weights);
        // `checked_parameters` only passes weights `FSRS::new` accepts; the fallback is the
        // crate's own defaults, which it always accepts.
        let fsrs = fsrs::FSRS::new(&weights).unwrap_or_default();
        Scheduler {
            fsrs,
            weights,
            desired_retention: if desired_retention.is_finite() {
                desired_retention.clamp(0.70, 0.99)
            } else {
                super::DEFAULT_RETENTION
            },
            learning_steps,
            relearning_steps,
            exam_at: None,
        }
    }

    /// Schedule for an exam that starts at `exam_at` (see [`Scheduler::exam_cap`]).
    pub fn with_exam(mut self, exam_at: Option<DateTime<Utc>>) -> Scheduler {
        self.exam_at = exam_at;
        self
    }

    pub fn exam_at(&self) -> Option<DateTime<Utc>> {
        self.exam_at
    }

    pub fn desired_retention(&self) -> f64 {
        self.desired_retention
    }

    pub fn weights(&self) -> &[f32] {
        &self.weights
    }

    /// The decay of this learner's forgetting curve (parameter w20, kept inside FSRS-6's
    /// bounds 0.1–0.8 as the crate keeps it).
    pub fn decay(&self) -> f64 {
        f64::from(self.weights[20]).clamp(0.1, 0.8)
    }

    /// The crate's model with these parameters (for fitting and evaluation).
    pub fn fsrs(&self) -> &fsrs::FSRS {
        &self.fsrs
    }

    /// A card never reviewed, created at `now`.
    pub fn new_card(now: DateTime<Utc>) -> Card {
        Card {
            due: now,
            last_review: now,
            ..Card::default()
        }
    }

    /// The card after a study answer rated `rating` at `now` (steps as configured).
    pub fn next_card(&self, before: &Card, rating: Rating, now: DateTime<Utc>) -> Card {
        let mut card = self.with_memory(before, rating, now);
        let next = match before.state {
            State::New | State::Learning => {
                let step = if before.state == State::New {
                    0
                } else {
                    before.step
                };
                steps_outcome(&self.learning_steps, step, rating)
            }
            State::Relearning => steps_outcome(&self.relearning_steps, before.step, rating),
            State::Review => match self.relearning_steps.first() {
                Some(first) if rating == Rating::Again => Next::Step {
                    step: 0,
                    wait: *first,
                },
                _ => Next::Graduate,
            },
        };
        let relearning = matches!(before.state, State::Review | State::Relearning);
        self.apply(&mut card, next, relearning, now);
        card
    }

    /// The card after a mock-exam answer graded `rating` (see `crate::srs::exam_rating`: Good
    /// or Again without a confidence mark, Hard for a right answer the candidate was not sure
    /// of): a right answer graduates (or stays) in review with FSRS's interval for its grade,
    /// skipping any learning step; a wrong one goes to the first (re)learning step and is due
    /// at once, so it is in the next study session, not a minute later.
    pub fn exam_next_card(&self, before: &Card, rating: Rating, now: DateTime<Utc>) -> Card {
        let right = rating.is_pass();
        let mut card = self.with_memory(before, rating, now);
        let relearning = matches!(before.state, State::Review | State::Relearning);
        let next = if right {
            Next::Graduate
        } else {
            Next::Step {
                step: 0,
                wait: Duration::zero(),
            }
        };
        self.apply(&mut card, next, relearning, now);
        card
    }

    /// `before` with FSRS-6's new memory state, counts and times for `rating` at `now`
    /// (state and due are set by [`Scheduler::apply`]).
    fn with_memory(&self, before: &Card, rating: Rating, now: DateTime<Utc>) -> Card {
        let is_new = before.state == State::New;
        let elapsed = if is_new {
            0
        } else {
            whole_days(before.last_review, now)
        };
        let memory = (!is_new).then(|| fsrs::MemoryState {
            stability: before.stability.max(super::S_MIN) as f32,
            difficulty: before.difficulty as f32,
        });
        let days = u32::try_from(elapsed).unwrap_or(u32::MAX);
        // `next_states` fails only on a non-finite state (a damaged row): start such a card
        // afresh rather than refuse the answer.
        let states = self
            .fsrs
            .next_states(memory, self.desired_retention as f32, days)
            .or_else(|_| {
                self.fsrs
                    .next_states(None, self.desired_retention as f32, 0)
            });
        let mut card = before.clone();
        if let Ok(states) = states {
            let m = match rating {
                Rating::Again => states.again.memory,
                Rating::Hard => states.hard.memory,
                Rating::Good => states.good.memory,
                Rating::Easy => states.easy.memory,
            };
            card.stability = f64::from(m.stability);
            card.difficulty = f64::from(m.difficulty);
        }
        card.decay = self.decay();
        card.elapsed_days = elapsed;
        card.last_review = now;
        card.reps = before.reps.saturating_add(1);
        if before.state == State::Review && rating == Rating::Again {
            card.lapses = before.lapses.saturating_add(1);
        }
        card
    }

    fn apply(&self, card: &mut Card, next: Next, relearning: bool, now: DateTime<Utc>) {
        match next {
            Next::Graduate => {
                let days = self.exam_cap(now, card.stability, self.interval_days(card.stability));
                card.state = State::Review;
                card.step = 0;
                card.scheduled_days = days;
                card.due = now + Duration::days(days);
            }
            Next::Step { step, wait } => {
                card.state = if relearning {
                    State::Relearning
                } else {
                    State::Learning
                };
                card.step = step;
                card.scheduled_days = 0;
                card.due = now + wait;
            }
        }
    }

    /// FSRS's interval for a stability: the days until recall falls to the desired
    /// retention, rounded half to even as py-fsrs rounds, at least 1, at most 100 years.
    pub fn interval_days(&self, stability: f64) -> i64 {
        let raw = super::days_until_recall(stability, self.desired_retention, self.decay());
        if !raw.is_finite() {
            return MAX_INTERVAL_DAYS;
        }
        (raw.round_ties_even() as i64).clamp(1, MAX_INTERVAL_DAYS)
    }

    /// The exam-date cap on an interval of `days` whole days from a review at `reviewed`.
    ///
    /// With an exam date, a card must not go into the exam with a predicted recall below the
    /// desired retention. If the review `days` after `reviewed` would come after the exam
    /// starts and the card's recall at the start of the exam day, R(exam), is below the desired
    /// retention, the interval is cut to the last whole day that lands before the exam. (With
    /// the interval FSRS gives, R(exam) falls below the retention only when rounding carried
    /// the interval past the point where recall reaches it; the cap binds fully for stored due
    /// dates made under a lower retention, other parameters or FSRS-5, which every change of
    /// those reschedules through this function.) A review already less than a day before the
    /// exam cannot land before it and is left alone.
    pub fn exam_cap(&self, reviewed: DateTime<Utc>, stability: f64, days: i64) -> i64 {
        let Some(exam) = self.exam_at else {
            return days;
        };
        if reviewed >= exam || reviewed + Duration::days(days) < exam {
            return days;
        }
        let recall = super::forgetting_curve(days_between(reviewed, exam), stability, self.decay());
        // Whole days strictly before the exam: due at the exam day's midnight is on the day.
        let last_day_before = ((exam - reviewed).num_milliseconds() - 1) / 86_400_000;
        if recall + 1e-12 < self.desired_retention && last_day_before >= 1 {
            last_day_before.min(days)
        } else {
            days
        }
    }
}

/// Where (re)learning steps take a card, py-fsrs 6's rule.
fn steps_outcome(steps: &[Duration], step: u32, rating: Rating) -> Next {
    let step_i = step as usize;
    if steps.is_empty() || (step_i >= steps.len() && rating != Rating::Again) {
        return Next::Graduate;
    }
    match rating {
        Rating::Again => Next::Step {
            step: 0,
            wait: steps[0],
        },
        Rating::Hard => {
            let wait = match (step_i, steps.len()) {
                (0, 1) => steps[0] * 3 / 2,
                (0, _) => (steps[0] + steps[1]) / 2,
                _ => steps[step_i],
            };
            Next::Step { step, wait }
        }
        Rating::Good if step_i + 1 >= steps.len() => Next::Graduate,
        Rating::Good => Next::Step {
            step: step + 1,
            wait: steps[step_i + 1],
        },
        Rating::Easy => Next::Graduate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
    }

    fn minutes(m: &[i64]) -> Vec<Duration> {
        m.iter().map(|m| Duration::minutes(*m)).collect()
    }

    #[test]
    fn steps_follow_py_fsrs() {
        let two = minutes(&[1, 10]);
        let one = minutes(&[10]);
        let step = |step, wait| Next::Step { step, wait };
        assert_eq!(
            steps_outcome(&two, 0, Rating::Again),
            step(0, Duration::minutes(1))
        );
        assert_eq!(
            steps_outcome(&two, 0, Rating::Hard),
            step(0, Duration::seconds(330))
        );
        assert_eq!(
            steps_outcome(&one, 0, Rating::Hard),
            step(0, Duration::minutes(15))
        );
        assert_eq!(
            steps_outcome(&two, 1, Rating::Hard),
            step(1, Duration::minutes(10))
        );
        assert_eq!(
            steps_outcome(&two, 0, Rating::Good),
            step(1, Duration::minutes(10))
        );
        assert_eq!(steps_outcome(&two, 1, Rating::Good), Next::Graduate);
        assert_eq!(steps_outcome(&one, 0, Rating::Good), Next::Graduate);
        assert_eq!(steps_outcome(&two, 0, Rating::Easy), Next::Graduate);
        assert_eq!(steps_outcome(&[], 0, Rating::Again), Next::Graduate);
        // A card left on step 3 by longer steps graduates on a pass, restarts on Again.
        assert_eq!(steps_outcome(&two, 3, Rating::Hard), Next::Graduate);
        assert_eq!(
            steps_outcome(&two, 3, Rating::Again),
            step(0, Duration::minutes(1))
        );
    }

    #[test]
    fn a_new_card_starts_from_fsrs6_initial_stability() {
        let s = Scheduler::new(0.9);
        let c = s.next_card(&Scheduler::new_card(t0()), Rating::Good, t0());
        // w2 = 2.3065; with the one 10-minute step, Good graduates at once: round(2.3065) = 2.
        assert!((c.stability - 2.3065).abs() < 1e-6);
        assert_eq!((c.state, c.scheduled_days), (State::Review, 2));
        assert_eq!(c.due, t0() + Duration::days(2));
        let again = s.next_card(&Scheduler::new_card(t0()), Rating::Again, t0());
        assert_eq!((again.state, again.step), (State::Learning, 0));
        assert_eq!(again.due, t0() + Duration::minutes(10));
        assert!((again.stability - 0.212).abs() < 1e-6);
    }

    #[test]
    fn exam_answers_skip_the_steps() {
        let s = Scheduler::new(0.9);
        let right = s.exam_next_card(&Scheduler::new_card(t0()), Rating::Good, t0());
        assert_eq!((right.state, right.scheduled_days), (State::Review, 2));
        let wrong = s.exam_next_card(&Scheduler::new_card(t0()), Rating::Again, t0());
        assert_eq!((wrong.state, wrong.due), (State::Learning, t0()));
        // A review card answered wrong in an exam lapses into relearning, due at once.
        let later = right.due + Duration::hours(3);
        let lapse = s.exam_next_card(&right, Rating::Again, later);
        assert_eq!(
            (lapse.state, lapse.due, lapse.lapses),
            (State::Relearning, later, 1)
        );
    }

    /// A card reviewed Good at t0 with stability 10 (default parameters, r = 0.9):
    /// interval = 10 days exactly (R(S) = 0.9).
    fn review_card(stability: f64) -> Card {
        Card {
            state: State::Review,
            stability,
            difficulty: 5.0,
            due: t0(),
            last_review: t0(),
            ..Card::default()
        }
    }

    #[test]
    fn exam_cap_hand_computed() {
        let decay = f64::from(fsrs::FSRS6_DEFAULT_DECAY);
        let factor = 0.9f64.powf(-1.0 / decay) - 1.0;
        let exam = t0() + Duration::days(20) + Duration::hours(15); // midnight, 20.625 days on
        let s = Scheduler::new(0.9).with_exam(Some(exam));
        // Stability 20.4: R(20.625 days) = (1 + F·20.625/20.4)^-d < 0.9, and a 21-day
        // interval lands after the exam: cut to the 20 whole days before it.
        let r = (1.0 + factor * 20.625 / 20.4).powf(-decay);
        assert!(r < 0.9, "{r}");
        assert_eq!(s.exam_cap(t0(), 20.4, 21), 20);
        // Stability 21: R(20.625) = (1 + F·20.625/21)^-d > 0.9: the 21-day interval stays.
        assert!((1.0 + factor * 20.625 / 21.0).powf(-decay) > 0.9);
        assert_eq!(s.exam_cap(t0(), 21.0, 21), 21);
        // Stability 5 with an interval that lands before the exam: untouched.
        assert_eq!(s.exam_cap(t0(), 5.0, 5), 5);
        // Less than a day before the exam nothing can land before it.
        let eve = exam - Duration::hours(10);
        assert_eq!(s.exam_cap(eve, 0.5, 3), 3);
        // After the exam, or without one, no cap.
        assert_eq!(s.exam_cap(exam + Duration::days(1), 0.5, 3), 3);
        assert_eq!(Scheduler::new(0.9).exam_cap(t0(), 20.4, 21), 21);
    }

    #[test]
    fn a_card_scheduled_under_a_lower_retention_is_pulled_before_the_exam() {
        // A 60-day interval made at a lower retention (stability 20), rescheduled with the exam
        // exactly 30 days on: recall at the exam, (1 + F·30/20)^-d, is below 0.9, so the
        // review moves to day 29 (day 30 is the exam day itself). The cap only shortens: the
        // 20 days FSRS gives at 90% land before the exam and stay.
        let exam = t0() + Duration::days(30);
        let s = Scheduler::new(0.9).with_exam(Some(exam));
        assert_eq!(s.exam_cap(t0(), 20.0, 60), 29);
        assert_eq!(s.exam_cap(t0(), 20.0, 30), 29);
        assert_eq!(s.interval_days(20.0), 20);
        assert_eq!(s.exam_cap(t0(), 20.0, 20), 20);
        // Through a review: a card with stability 10 answered Good on time gets a new
        // stability above 30, so its next review (past the exam) keeps recall at the exam
        // above 0.9 and the interval is FSRS's own.
        let before = Card {
            last_review: t0() - Duration::days(10),
            ..review_card(10.0)
        };
        let c = s.next_card(&before, Rating::Good, t0());
        assert_eq!(c.scheduled_days, s.interval_days(c.stability));
        assert!(c.due > exam);
    }
}
