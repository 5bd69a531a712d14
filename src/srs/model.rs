//! FSRS-6's memory model as certprep stores it: the card, its state and rating, the learner's
//! parameters and the one forgetting curve every reader of recall uses (the scheduler, mastery,
//! readiness, the plan, the exam-day figures and the calibration table).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The least stability (days) a card can have: FSRS's own floor (fsrs-rs and py-fsrs both
/// clamp to 0.001). A stored stability below it, or zero from a damaged row, is read as this.
pub const S_MIN: f64 = 0.001;

/// The forgetting-curve decay of FSRS-5 and earlier (rs-fsrs 1.2, certprep before schema v4):
/// kept for a card whose stability was never recomputed, so its recall reads on the curve
/// that produced it.
pub const FSRS5_DECAY: f64 = 0.5;

/// Where a card is in its life: never answered, in (re)learning steps, or in review.
/// The codes are the database's and FSRS's (py-fsrs uses 1–3 for the last three).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum State {
    #[default]
    New = 0,
    Learning = 1,
    Review = 2,
    Relearning = 3,
}

/// FSRS's four answers. certprep derives them from the answer (wrong is Again) and, for a
/// right answer, the learner's confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    pub fn is_pass(self) -> bool {
        self != Rating::Again
    }
}

/// One question's FSRS card.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub due: DateTime<Utc>,
    /// Days until recall falls to 90%.
    pub stability: f64,
    /// 1 (easy) to 10 (hard).
    pub difficulty: f64,
    /// Whole days between the last two reviews.
    pub elapsed_days: i64,
    /// Whole days the last review scheduled (0 for a learning step).
    pub scheduled_days: i64,
    pub reps: i32,
    pub lapses: i32,
    pub state: State,
    pub last_review: DateTime<Utc>,
    /// The (re)learning step the card is on; 0 in review.
    pub step: u32,
    /// The decay of the forgetting curve its stability was computed with (the learner's
    /// parameter w20 when it was last scheduled; see [`forgetting_curve`]).
    pub decay: f64,
}

impl Default for Card {
    fn default() -> Self {
        Card {
            due: DateTime::<Utc>::default(),
            stability: 0.0,
            difficulty: 0.0,
            elapsed_days: 0,
            scheduled_days: 0,
            reps: 0,
            lapses: 0,
            state: State::New,
            last_review: DateTime::<Utc>::default(),
            step: 0,
            decay: f64::from(fsrs::FSRS6_DEFAULT_DECAY),
        }
    }
}

/// FSRS's forgetting curve: the probability of recalling a card `elapsed_days` (fractional)
/// after its last review, given its stability and the curve's decay d:
///
/// R(t) = (1 + F · t / S)^−d with F = 0.9^(−1/d) − 1,
///
/// so R(S) = 0.9 whatever d is. FSRS-5 fixed d = 0.5 (F = 19/81); FSRS-6 fits d to the learner
/// (default 0.1542), which gives a flatter tail. The stability is floored at [`S_MIN`].
pub fn forgetting_curve(elapsed_days: f64, stability: f64, decay: f64) -> f64 {
    let s = stability.max(S_MIN);
    let t = elapsed_days.max(0.0);
    let d = if decay.is_finite() && decay > 0.0 {
        decay
    } else {
        FSRS5_DECAY
    };
    let factor = 0.9f64.powf(-1.0 / d) - 1.0;
    (1.0 + factor * t / s).powf(-d).clamp(0.0, 1.0)
}

/// The days after a review at which recall falls to `retention`: the inverse of
/// [`forgetting_curve`], unrounded.
pub fn days_until_recall(stability: f64, retention: f64, decay: f64) -> f64 {
    let d = if decay.is_finite() && decay > 0.0 {
        decay
    } else {
        FSRS5_DECAY
    };
    let factor = 0.9f64.powf(-1.0 / d) - 1.0;
    stability.max(S_MIN) / factor * (retention.powf(-1.0 / d) - 1.0)
}

/// Fractional days from `from` to `to` (negative spans count as 0).
pub fn days_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_milliseconds().max(0) as f64 / 86_400_000.0
}

/// Whole 24-hour periods from `from` to `to`, the elapsed time FSRS's stability update uses
/// (py-fsrs's `timedelta.days`; fsrs-rs takes whole days).
pub fn whole_days(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    (to - from).num_days().max(0)
}

/// The learner's 21 FSRS-6 parameters. Empty means FSRS-6's published defaults.
pub fn checked_parameters(weights: &[f32]) -> Vec<f32> {
    match fsrs::check_and_fill_parameters(weights) {
        Ok(w) if w.len() == 21 && w.iter().all(|x| x.is_finite()) => w,
        _ => fsrs::DEFAULT_PARAMETERS.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_curve_is_ninety_percent_at_the_stability_for_any_decay() {
        for d in [0.1, 0.1542, 0.35, 0.5, 0.8] {
            assert!((forgetting_curve(12.0, 12.0, d) - 0.9).abs() < 1e-12, "{d}");
            assert!((days_until_recall(12.0, 0.9, d) - 12.0).abs() < 1e-9, "{d}");
        }
        // FSRS-5: F = 19/81, so 9 days on a stability of 9 is (100/81)^-0.5 = 0.9 exactly.
        assert!((forgetting_curve(9.0, 9.0, 0.5) - 0.9).abs() < 1e-15);
        // And at 36 days: (1 + 19/81 · 4)^-0.5 = (157/81)^-0.5.
        let want = (157.0f64 / 81.0).powf(-0.5);
        assert!((forgetting_curve(36.0, 9.0, 0.5) - want).abs() < 1e-15);
    }

    #[test]
    fn the_curve_inverts_and_has_a_stability_floor() {
        let t = days_until_recall(30.0, 0.8, 0.1542);
        assert!((forgetting_curve(t, 30.0, 0.1542) - 0.8).abs() < 1e-12);
        // A damaged row (stability 0 or negative) reads as the floor, never NaN.
        let r = forgetting_curve(1.0, 0.0, 0.1542);
        assert!(r.is_finite() && r < 0.5);
        assert_eq!(forgetting_curve(1.0, -3.0, 0.1542), r);
        assert_eq!(forgetting_curve(0.0, 5.0, 0.1542), 1.0);
    }

    #[test]
    fn bad_parameters_fall_back_to_the_defaults() {
        assert_eq!(checked_parameters(&[]), fsrs::DEFAULT_PARAMETERS.to_vec());
        assert_eq!(
            checked_parameters(&[1.0, 2.0]),
            fsrs::DEFAULT_PARAMETERS.to_vec()
        );
        let mut w = fsrs::DEFAULT_PARAMETERS.to_vec();
        w[3] = f32::NAN;
        assert_eq!(checked_parameters(&w), fsrs::DEFAULT_PARAMETERS.to_vec());
    }
}
