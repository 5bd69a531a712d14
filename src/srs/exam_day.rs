//! Recall on the exam day: what the dashboard shows beside today's mastery, which questions
//! the last days before the exam review, and what a daily time budget costs.
//!
//! A seen question's recall on exam day is read two ways, both on the card's own forgetting
//! curve at the start of the exam day:
//!
//! * **if you stop now**: from its state today, no further review;
//! * **keeping up**: after every review the schedule (with the exam-date cap) puts before the
//!   exam, each answered right on its due date, the assumption the plan makes.

use super::{Card, CardRecord, Rating, Scheduler, forgetting_curve};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// The most simulated reviews of one card before the exam (intervals grow geometrically, so
/// this is never reached on a real runway).
const MAX_WALK: usize = 60;

impl Scheduler {
    /// Walk a card forward from `from` to `until`: each time it comes due it is answered
    /// right (Good). Returns how many reviews that took and the card after the last one
    /// (`start` itself, cloned, if none fell due). A card with no state yet (`None`) is first
    /// answered at `from`.
    pub fn walk_good(
        &self,
        start: Option<&Card>,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> (usize, Option<Card>) {
        let mut card = start.cloned();
        let mut at = card.as_ref().map_or(from, |c| c.due.max(from));
        let mut reviews = 0;
        while at < until && reviews < MAX_WALK {
            let before = card.unwrap_or_else(|| Self::new_card(at));
            let next = self.next_card(&before, Rating::Good, at);
            reviews += 1;
            at = next.due;
            card = Some(next);
        }
        (reviews, card)
    }

    /// A card's recall at `until` if it is reviewed (right) whenever due until then.
    pub fn recall_keeping_up(&self, card: &Card, now: DateTime<Utc>, until: DateTime<Utc>) -> f64 {
        let (_, last) = self.walk_good(Some(card), now, until);
        last.map_or(0.0, |c| card_recall(&c, until))
    }
}

fn card_recall(c: &Card, at: DateTime<Utc>) -> f64 {
    if c.state == super::State::New {
        return 0.0;
    }
    forgetting_curve(super::days_between(c.last_review, at), c.stability, c.decay)
}

/// Seen questions' recall on exam day, for one skill area or the whole bank.
#[derive(Debug, Clone, PartialEq)]
pub struct ExamDayRecall {
    /// The area's id ("" for the whole bank).
    pub domain_id: String,
    /// Seen questions it is computed over.
    pub seen: usize,
    /// Mean recall on exam day if no further review is done.
    pub if_stopped: f64,
    /// Mean recall on exam day keeping up with the schedule.
    pub keeping_up: f64,
}

/// Exam-day recall of a bank's seen questions: per skill area in the bank's order, then the
/// whole bank (last). Areas with nothing seen have `seen == 0` and 0 recall.
pub fn exam_day_recall(
    bank: &crate::bank::Bank,
    cards: &HashMap<String, CardRecord>,
    scheduler: &Scheduler,
    now: DateTime<Utc>,
    exam_at: DateTime<Utc>,
) -> Vec<ExamDayRecall> {
    let mut sums: HashMap<&str, (usize, f64, f64)> = HashMap::new();
    for c in cards.values().filter(|c| c.reviews > 0) {
        let Some(q) = bank.question(&c.question_id) else {
            continue;
        };
        let stopped = c.retrievability(exam_at);
        let kept = scheduler.recall_keeping_up(&c.card, now, exam_at);
        for key in [q.domain.as_str(), ""] {
            let e = sums.entry(key).or_default();
            e.0 += 1;
            e.1 += stopped;
            e.2 += kept;
        }
    }
    let row = |id: &str| {
        let (n, a, b) = sums.get(id).copied().unwrap_or_default();
        let mean = |x: f64| if n == 0 { 0.0 } else { x / n as f64 };
        ExamDayRecall {
            domain_id: id.to_string(),
            seen: n,
            if_stopped: mean(a),
            keeping_up: mean(b),
        }
    };
    bank.manifest
        .domains
        .iter()
        .map(|d| row(&d.id))
        .chain(std::iter::once(row("")))
        .collect()
}

/// The `n` seen questions with the lowest recall on exam day if no further review is done,
/// lowest first: what the last days before the exam review.
pub fn lowest_exam_day_recall(
    cards: &HashMap<String, CardRecord>,
    exam_at: DateTime<Utc>,
    n: usize,
) -> Vec<(String, f64)> {
    let mut v: Vec<(String, f64)> = cards
        .values()
        .filter(|c| c.reviews > 0)
        .map(|c| (c.question_id.clone(), c.retrievability(exam_at)))
        .collect();
    v.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

/// Mean exam-day recall lost (keeping up otherwise) when these due cards are reviewed a day
/// later than due: what leaving them out of today's budget costs, over all `seen` questions.
pub fn deferral_cost<'a>(
    deferred: impl IntoIterator<Item = &'a CardRecord>,
    seen: usize,
    scheduler: &Scheduler,
    now: DateTime<Utc>,
    exam_at: DateTime<Utc>,
) -> f64 {
    if seen == 0 {
        return 0.0;
    }
    let tomorrow = now + chrono::Duration::days(1);
    let lost: f64 = deferred
        .into_iter()
        .map(|c| {
            let on_time = scheduler.recall_keeping_up(&c.card, now, exam_at);
            let late = scheduler.recall_keeping_up(&c.card, tomorrow, exam_at);
            (on_time - late).max(0.0)
        })
        .sum();
    lost / seen as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 4, 1, 8, 0, 0).unwrap()
    }

    fn record(id: &str, stability: f64, days_ago: i64, due_in: i64) -> CardRecord {
        CardRecord {
            question_id: id.into(),
            card: Card {
                state: super::super::State::Review,
                stability,
                difficulty: 5.0,
                last_review: t0() - chrono::Duration::days(days_ago),
                due: t0() + chrono::Duration::days(due_in),
                ..Card::default()
            },
            reviews: 3,
            correct: 3,
            first_correct: true,
            last_correct: true,
            first_at: t0(),
        }
    }

    #[test]
    fn lowest_recall_first_hand_computed() {
        let d = f64::from(fsrs::FSRS6_DEFAULT_DECAY);
        let f = 0.9f64.powf(-1.0 / d) - 1.0;
        let exam = t0() + chrono::Duration::days(10);
        let cards: HashMap<String, CardRecord> = [
            record("a", 4.0, 2, 2),   // t = 12 days at the exam, S = 4
            record("b", 30.0, 5, 25), // t = 15, S = 30
            record("c", 1.0, 0, 1),   // t = 10, S = 1
        ]
        .into_iter()
        .map(|c| (c.question_id.clone(), c))
        .collect();
        let low = lowest_exam_day_recall(&cards, exam, 2);
        let r = |t: f64, s: f64| (1.0 + f * t / s).powf(-d);
        assert_eq!(low[0].0, "c");
        assert!((low[0].1 - r(10.0, 1.0)).abs() < 1e-12);
        assert_eq!(low[1].0, "a");
        assert!((low[1].1 - r(12.0, 4.0)).abs() < 1e-12);
    }

    #[test]
    fn keeping_up_beats_stopping_and_a_day_late_costs_something() {
        let s = Scheduler::new(0.9);
        let exam = t0() + chrono::Duration::days(20);
        let c = record("a", 2.0, 2, 0);
        let stopped = c.retrievability(exam);
        let kept = s.recall_keeping_up(&c.card, t0(), exam);
        assert!(kept > stopped + 0.1, "{kept} vs {stopped}");
        // Every review before the exam keeps recall at or above the desired retention there.
        assert!(kept >= 0.9 - 1e-9, "{kept}");
        let cost = deferral_cost([&c], 1, &s, t0(), exam);
        assert!(cost >= 0.0 && cost < 0.1, "{cost}");
        // A card not due before the exam is not walked: its recall is today's curve.
        let far = record("b", 300.0, 1, 200);
        assert!(
            (s.recall_keeping_up(&far.card, t0(), exam) - far.retrievability(exam)).abs() < 1e-12
        );
    }
}
