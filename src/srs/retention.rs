//! What the review log says about the learner's memory: true retention as Anki defines it,
//! and how well the recall FSRS predicted matched the answers given (a calibration table).
//!
//! * **True retention**: the pass rate (Hard, Good or Easy; a wrong answer is Again) of
//!   answers to cards in review, a day or more after the previous answer; split into
//!   **young** (the card's interval before the answer was under 21 days) and **mature**
//!   (21 days or more). Learning-step repeats and same-day answers are left out: they test
//!   short-term memory, not what the schedule is for.
//! * **Calibration**: every such answer's predicted recall (the card's forgetting curve at
//!   the moment of answering, replaying the log with the learner's current parameters) is
//!   put in a bin; each bin shows the mean prediction beside the actual pass rate. A
//!   well-calibrated model has the two close in every bin with enough answers.

use super::{Card, LoggedAnswer, Scheduler, State, days_between, forgetting_curve, whole_days};
use chrono::{DateTime, Utc};

/// Anki's line between young and mature cards, in days of interval.
pub const MATURE_DAYS: i64 = 21;

/// Passes of some answers.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PassCount {
    pub passed: usize,
    pub total: usize,
}

impl PassCount {
    pub fn add(&mut self, passed: bool) {
        self.total += 1;
        self.passed += passed as usize;
    }

    /// Pass rate, None with no answers.
    pub fn rate(&self) -> Option<f64> {
        (self.total > 0).then(|| self.passed as f64 / self.total as f64)
    }

    fn merged(self, o: PassCount) -> PassCount {
        PassCount {
            passed: self.passed + o.passed,
            total: self.total + o.total,
        }
    }
}

/// True retention over one period.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TrueRetention {
    pub young: PassCount,
    pub mature: PassCount,
}

impl TrueRetention {
    pub fn all(&self) -> PassCount {
        self.young.merged(self.mature)
    }
}

/// One bin of the calibration table.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CalibrationBin {
    /// Predicted recall from `low` (inclusive) to `high` (exclusive; the last bin includes 1).
    pub low: f64,
    pub high: f64,
    pub answers: usize,
    pub mean_predicted: f64,
    pub passed: usize,
}

impl CalibrationBin {
    pub fn pass_rate(&self) -> Option<f64> {
        (self.answers > 0).then(|| self.passed as f64 / self.answers as f64)
    }
}

/// The calibration bins' edges: finer where FSRS's predictions usually fall.
pub const BIN_EDGES: [f64; 8] = [0.0, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0];

/// Everything the Statistics view and `certprep readiness` show about the review log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemoryStats {
    /// The last 30 days.
    pub month: TrueRetention,
    pub all_time: TrueRetention,
    pub calibration: Vec<CalibrationBin>,
}

/// Summarise the review logs of all cards (each oldest first), replaying them with
/// `scheduler`'s parameters for the predictions. Linear in the number of answers.
pub fn memory_stats<'a>(
    logs: impl IntoIterator<Item = &'a [LoggedAnswer]>,
    scheduler: &Scheduler,
    now: DateTime<Utc>,
) -> MemoryStats {
    let month_start = now - chrono::Duration::days(30);
    let mut stats = MemoryStats {
        calibration: BIN_EDGES
            .windows(2)
            .map(|w| CalibrationBin {
                low: w[0],
                high: w[1],
                ..CalibrationBin::default()
            })
            .collect(),
        ..MemoryStats::default()
    };
    let mut sum_predicted = vec![0.0; stats.calibration.len()];
    for log in logs {
        let mut card: Option<Card> = None;
        for a in log {
            if let Some(before) = card.as_ref().filter(|c| c.state == State::Review)
                && whole_days(before.last_review, a.at) >= 1
            {
                let passed = a.rating.is_pass();
                let young = before.scheduled_days < MATURE_DAYS;
                for (period, counts) in [
                    (true, &mut stats.all_time),
                    (a.at >= month_start, &mut stats.month),
                ] {
                    if period {
                        if young {
                            counts.young.add(passed);
                        } else {
                            counts.mature.add(passed);
                        }
                    }
                }
                let predicted = forgetting_curve(
                    days_between(before.last_review, a.at),
                    before.stability,
                    before.decay,
                );
                let bin = BIN_EDGES[1..]
                    .iter()
                    .position(|edge| predicted < *edge)
                    .unwrap_or(stats.calibration.len() - 1);
                let b = &mut stats.calibration[bin];
                b.answers += 1;
                b.passed += passed as usize;
                sum_predicted[bin] += predicted;
            }
            let before = card.unwrap_or_else(|| Scheduler::new_card(a.at));
            card = Some(match a.source {
                super::ReviewSource::Study => scheduler.next_card(&before, a.rating, a.at),
                super::ReviewSource::Exam => scheduler.exam_next_card(&before, a.rating, a.at),
            });
        }
    }
    for (b, sum) in stats.calibration.iter_mut().zip(sum_predicted) {
        if b.answers > 0 {
            b.mean_predicted = sum / b.answers as f64;
        }
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::{Rating, ReviewSource};
    use chrono::TimeZone;

    fn at(day: i64, minute: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap()
            + chrono::Duration::days(day)
            + chrono::Duration::minutes(minute)
    }

    fn a(day: i64, minute: i64, rating: Rating) -> LoggedAnswer {
        LoggedAnswer {
            at: at(day, minute),
            rating,
            source: ReviewSource::Study,
        }
    }

    #[test]
    fn true_retention_counts_review_answers_a_day_apart_hand_computed() {
        let s = Scheduler::new(0.9);
        // New, Good (graduates, 2 days), then on day 2 Good (young pass), on day 12 Again
        // (young fail; relearning), 10 minutes later Good (a step: not counted), on day 13
        // less than 24 hours later Good (not a day apart: not counted), on day 15 Good (young
        // pass).
        let log = [
            a(0, 0, Rating::Good),
            a(2, 0, Rating::Good),
            a(12, 0, Rating::Again),
            a(12, 10, Rating::Good),
            a(13, 0, Rating::Good),
            a(15, 0, Rating::Good),
        ];
        // Easy first (8 days), Good on day 8 (young pass) gives an interval of 21 days or
        // more, so the Again on day 48 is a mature fail.
        let log2 = [
            a(0, 0, Rating::Easy),
            a(8, 0, Rating::Good),
            a(8 + 40, 0, Rating::Again),
        ];
        let replay = s.replay(&log2[..2]).unwrap();
        assert!(
            replay.scheduled_days >= MATURE_DAYS,
            "{}",
            replay.scheduled_days
        );
        let st = memory_stats([&log[..], &log2[..]], &s, at(60, 0));
        assert_eq!(
            st.all_time.young,
            PassCount {
                passed: 3,
                total: 4
            }
        );
        assert_eq!(
            st.all_time.mature,
            PassCount {
                passed: 0,
                total: 1
            }
        );
        assert_eq!(
            st.all_time.all(),
            PassCount {
                passed: 3,
                total: 5
            }
        );
        // Only the day-48 answer is in the last 30 days before day 60.
        assert_eq!(
            st.month.all(),
            PassCount {
                passed: 0,
                total: 1
            }
        );
        // Every counted answer is in one calibration bin.
        let binned: usize = st.calibration.iter().map(|b| b.answers).sum();
        assert_eq!(binned, 5);
        for b in &st.calibration {
            if b.answers > 0 {
                assert!(
                    b.mean_predicted >= b.low && b.mean_predicted <= b.high,
                    "{b:?}"
                );
            }
        }
    }
}
