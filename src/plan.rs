//! The exam-date plan: what a learner must do each day to see every question and reach the
//! target readiness by the exam, and an honest warning when that is not reachable.
//!
//! New questions are spread over the days before the exam, keeping the last week (or the
//! last quarter of a short runway) for review only. The review load is not guessed: every
//! seen card and a representative new card of each day are walked forward with the FSRS
//! scheduler (rated Good each time) and their reviews before the exam are counted.
//!
//! The same walks give the projected score: each walked card's FSRS recall on the exam date,
//! lowered when the learner's own repeat answers are less often right than the walk assumes
//! (see [`RepeatAccuracy`]). Questions not seen by the exam keep their area's prior. The model
//! is written up in `docs/readiness.md`, "Exam-date plan".

use crate::mastery::MasteryReport;
use crate::srs::{CardRecord, Scheduler, StudySettings};
#[cfg(test)]
use crate::srs::{Rating, ReviewOrigin};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

/// Days kept free of new questions before the exam, at most.
pub const REVIEW_WEEK: i64 = 7;

/// Imaginary repeat answers, right at exactly the desired retention, added to the learner's
/// own: with few real answers the accuracy stays near what FSRS assumes, so three unlucky
/// answers cannot sink the projection; after a few dozen the learner's record dominates.
pub const ACCURACY_PSEUDO_ANSWERS: f64 = 10.0;

#[derive(Debug, Clone, PartialEq)]
pub struct AreaPlan {
    pub domain_id: String,
    pub name: String,
    pub unseen: usize,
    pub total: usize,
    pub mastery: f64,
    /// New questions of this area per day, on average.
    pub new_per_day: f64,
}

/// How often the learner's answers after the first to the same question were right, and what
/// the plan makes of it.
///
/// The FSRS walk rates every simulated review Good, i.e. assumes every review is answered
/// right. FSRS schedules a review when recall has fallen to the desired retention r, so a
/// learner FSRS describes well gets about r of their repeat answers right. With n repeat
/// answers of which k were right and c = [`ACCURACY_PSEUDO_ANSWERS`]:
///
/// * shrunk accuracy  a' = (k + c·r) / (n + c)
/// * recall scale     s  = min(1, a' / r)
///
/// Each exam-date recall that rests on at least one simulated review is multiplied by s. The
/// scale never exceeds 1: the walk already assumes every review goes right, so a good record
/// does not raise the forecast further.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RepeatAccuracy {
    /// Answers to a question already answered before (reviews after the first), n.
    pub answers: u64,
    /// Of those, the right ones, k.
    pub right: u64,
    /// The accuracy the plan uses, a': the record shrunk toward the desired retention.
    pub shrunk: f64,
    /// What each simulated exam-date recall is multiplied by, s.
    pub recall_scale: f64,
    /// The desired retention r the record is measured against.
    pub desired_retention: f64,
}

impl RepeatAccuracy {
    /// The learner's plain record k / n, or None before any question was answered twice.
    pub fn observed(&self) -> Option<f64> {
        (self.answers > 0).then(|| self.right as f64 / self.answers as f64)
    }
}

/// The learner's repeat accuracy from their cards (see [`RepeatAccuracy`]).
pub fn repeat_accuracy<'a>(
    cards: impl IntoIterator<Item = &'a CardRecord>,
    desired_retention: f64,
) -> RepeatAccuracy {
    let (mut answers, mut right) = (0u64, 0u64);
    for c in cards {
        let repeats = c.reviews.saturating_sub(1);
        // The first answer is not a repeat; a record whose counts contradict each other
        // (more right than answered) counts at most every repeat as right.
        let right_repeats = c
            .correct
            .saturating_sub(c.first_correct as u32)
            .min(repeats);
        answers += u64::from(repeats);
        right += u64::from(right_repeats);
    }
    let r = desired_retention;
    let shrunk =
        (right as f64 + ACCURACY_PSEUDO_ANSWERS * r) / (answers as f64 + ACCURACY_PSEUDO_ANSWERS);
    let recall_scale = if r > 0.0 && shrunk.is_finite() {
        (shrunk / r).clamp(0.0, 1.0)
    } else {
        1.0
    };
    RepeatAccuracy {
        answers,
        right,
        shrunk,
        recall_scale,
        desired_retention: r,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExamPlan {
    pub exam_date: NaiveDate,
    pub days_left: i64,
    /// Days on which new questions are introduced (the rest is the review run-in).
    pub new_days: i64,
    pub unseen: usize,
    /// New questions a day needed to see every question in time.
    pub new_per_day: usize,
    /// Average reviews a day the plan implies (FSRS-simulated).
    pub reviews_per_day: f64,
    /// Predicted score on the exam date if the plan is followed (at most the daily limit of
    /// new questions, every review done on its due day): Σ blueprint weight × the area's
    /// projected mastery (see `plan`). A seen or newly introduced question counts with its FSRS
    /// recall on the exam date, scaled by [`RepeatAccuracy::recall_scale`]; a question not
    /// seen by then keeps its area's prior.
    pub projected: f64,
    pub target: f64,
    /// New questions a day over the last two weeks.
    pub recent_pace: f64,
    /// The learner's record on repeat answers and the scale it puts on the projection, so
    /// the dashboard can say what the projection assumes.
    pub repeat_accuracy: RepeatAccuracy,
    pub areas: Vec<AreaPlan>,
    /// Empty when the plan is reachable.
    pub warnings: Vec<String>,
}

impl ExamPlan {
    pub fn reachable(&self) -> bool {
        self.warnings.is_empty()
    }
}

/// A card walked forward to the exam with every answer Good.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Walk {
    /// Reviews it gets before the exam.
    reviews: usize,
    /// Its FSRS recall at the exam (0 for a card that was never reviewed).
    recall_at_exam: f64,
}

/// Walk one card forward to `until`: review it (Good) each time it comes due, count those
/// reviews, and read its recall at `until` off the last state.
fn walk_to_exam(
    scheduler: &Scheduler,
    start: Option<&CardRecord>,
    first_at: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Walk {
    let (reviews, last) = scheduler.walk_good(start.map(|c| &c.card), first_at, until);
    Walk {
        reviews,
        recall_at_exam: last.map_or(0.0, |card| {
            CardRecord {
                question_id: String::new(),
                card,
                reviews: 1,
                correct: 1,
                first_correct: true,
            }
            .retrievability(until)
        }),
    }
}

/// A walked card's recall on the exam date, tempered by the learner's repeat accuracy when
/// it rests on simulated (all-Good) reviews. A card that does not come due before the exam
/// keeps FSRS's recall as it is, the way today's mastery counts it.
fn projected_recall(walk: Walk, accuracy: &RepeatAccuracy) -> f64 {
    if walk.reviews > 0 {
        walk.recall_at_exam * accuracy.recall_scale
    } else {
        walk.recall_at_exam
    }
}

#[allow(clippy::too_many_arguments)]
pub fn plan(
    cards: &HashMap<String, CardRecord>,
    report: &MasteryReport,
    settings: &StudySettings,
    exam_date: NaiveDate,
    target: f64,
    now: DateTime<Utc>,
    today: NaiveDate,
    recent_pace: f64,
) -> ExamPlan {
    let days_left = (exam_date - today).num_days();
    let review_days = REVIEW_WEEK.min(days_left / 4).max(0);
    let new_days = (days_left - review_days).max(0);
    let unseen: usize = report.areas.iter().map(|a| a.total - a.seen).sum();
    let new_per_day = if unseen == 0 {
        0
    } else if new_days == 0 {
        unseen
    } else {
        unseen.div_ceil(new_days as usize)
    };
    let exam_at = now + chrono::Duration::days(days_left.max(0));
    let scheduler =
        Scheduler::from_settings(settings).with_exam(crate::srs::local_midnight(exam_date));
    let seen_cards = || cards.values().filter(|c| c.reviews > 0);
    let accuracy = repeat_accuracy(seen_cards(), settings.desired_retention);

    // Cards already seen: each one's own walk.
    let mut reviews = 0;
    let (mut seen_walked, mut seen_recall_sum) = (0usize, 0.0);
    for c in seen_cards() {
        let walk = walk_to_exam(&scheduler, Some(c), now, exam_at);
        reviews += walk.reviews;
        seen_walked += 1;
        seen_recall_sum += projected_recall(walk, &accuracy);
    }
    // Cards still to come, introduced `rate` a day: one representative walk per day serves
    // all of that day's new cards (they start from the same state at the same time).
    let rate = new_per_day.min(settings.daily_new_limit as usize);
    let mut left = unseen;
    let mut new_recall_sum = 0.0;
    for day in 0..new_days {
        if left == 0 || rate == 0 {
            break;
        }
        let today_new = rate.min(left);
        left -= today_new;
        let first = now + chrono::Duration::days(day);
        let walk = walk_to_exam(&scheduler, None, first, exam_at);
        reviews += today_new * walk.reviews;
        new_recall_sum += today_new as f64 * projected_recall(walk, &accuracy);
    }
    let will_see = unseen - left;
    let reviews_per_day = if days_left > 0 {
        reviews as f64 / days_left as f64
    } else {
        0.0
    };

    // Projected mastery of an area: the mean over its questions of
    //   seen now            → the mean projected recall of all seen cards (why: below),
    //   introduced by then  → its day's walk, new questions going to areas by unseen share,
    //   still unseen        → the area's prior.
    // `plan` gets the cards without their areas, so a seen card is not attributed to its own
    // area: every area's seen questions count with the bank-wide mean. Under the plan each
    // card is reviewed whenever its recall falls to the desired retention, so its recall on the
    // exam date depends mostly on where the exam falls between two reviews, not on its area.
    let seen_recall_mean = (seen_walked > 0).then(|| seen_recall_sum / seen_walked as f64);
    let mut areas = Vec::new();
    let mut projected = 0.0;
    for a in &report.areas {
        let a_unseen = a.total - a.seen;
        let share = if unseen == 0 {
            0.0
        } else {
            a_unseen as f64 / unseen as f64
        };
        let introduced = will_see as f64 * share;
        let m = if a.total == 0 {
            a.prior
        } else {
            // Seen questions without any walked card mean the inputs disagree (cards and
            // report from different moments); today's mastery of them is the best figure left.
            let seen_recall = match seen_recall_mean {
                Some(mean) => a.seen as f64 * mean,
                None => a.mastery * a.total as f64 - a_unseen as f64 * a.prior,
            };
            let sum =
                seen_recall + new_recall_sum * share + (a_unseen as f64 - introduced) * a.prior;
            (sum / a.total as f64).clamp(0.0, 1.0)
        };
        projected += a.weight * m;
        areas.push(AreaPlan {
            domain_id: a.domain_id.clone(),
            name: a.name.clone(),
            unseen: a_unseen,
            total: a.total,
            mastery: a.mastery,
            new_per_day: new_per_day as f64 * share,
        });
    }

    let mut warnings = Vec::new();
    if days_left <= 0 {
        warnings.push(format!(
            "The exam date {} is not in the future: set the date of your exam.",
            crate::text::long_date(exam_date)
        ));
    } else {
        if new_per_day > settings.daily_new_limit as usize {
            warnings.push(format!(
                "Seeing all {unseen} unseen questions before the final review days needs \
                 {new_per_day} new questions a day, more than your daily limit of {}. Raise the \
                 limit in Settings or move the exam date.",
                settings.daily_new_limit
            ));
        }
        if unseen > 0 && recent_pace + 1e-9 < new_per_day as f64 {
            let finish = if recent_pace > 0.0 {
                let d = (unseen as f64 / recent_pace).ceil() as i64;
                format!(
                    "you would see the last question on {}",
                    crate::text::long_date(today + chrono::Duration::days(d))
                )
            } else {
                "you have not started new questions in the last two weeks".to_string()
            };
            warnings.push(format!(
                "At your recent pace of {recent_pace:.1} new questions a day {finish}; the plan \
                 needs {new_per_day} a day."
            ));
        }
        if projected + 1e-9 < target {
            warnings.push(format!(
                "Even following this plan the projected score is {:.0}%, below your target of \
                 {:.0}%.",
                projected * 100.0,
                target * 100.0
            ));
        }
    }
    ExamPlan {
        exam_date,
        days_left,
        new_days,
        unseen,
        new_per_day,
        reviews_per_day,
        projected,
        target,
        recent_pace,
        repeat_accuracy: accuracy,
        areas,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mastery::{self, AreaMastery, OverallRate};
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
    }

    /// A card with the given counts and a fresh FSRS state (only the counts matter here).
    fn counts(id: &str, reviews: u32, correct: u32, first_correct: bool) -> CardRecord {
        CardRecord {
            question_id: id.to_string(),
            card: Scheduler::new_card(t0()),
            reviews,
            correct,
            first_correct,
        }
    }

    /// A card answered right `reviews` times, each time it came due, the first `days_ago`
    /// days before t0; the counts are then set to `correct` right answers (first one right).
    fn studied(id: &str, days_ago: i64, reviews: u32, correct: u32) -> CardRecord {
        let s = Scheduler::new(0.9);
        let mut card: Option<CardRecord> = None;
        let mut at = t0() - chrono::Duration::days(days_ago);
        for _ in 0..reviews {
            let r = s.review(
                ReviewOrigin::study("b"),
                id,
                card.as_ref(),
                Rating::Good,
                at,
            );
            at = r.after.card.due.min(t0());
            card = Some(r.after);
        }
        let mut c = card.expect("at least one review");
        c.correct = correct;
        c
    }

    /// A one-area bank of `total` questions q0, q1, ... as `mastery::report` would see it.
    fn one_area_report(total: usize, cards: &HashMap<String, CardRecord>) -> MasteryReport {
        let ids: Vec<String> = (0..total).map(|i| format!("q{i}")).collect();
        let evidence = mastery::area_evidence(ids.iter().map(|s| s.as_str()), cards, t0());
        let overall = OverallRate::from_areas(&[evidence]);
        let areas = vec![AreaMastery {
            domain_id: "a".into(),
            name: "Area".into(),
            weight: 1.0,
            ..mastery::area_mastery(&evidence, &overall)
        }];
        let readiness = mastery::readiness(&areas, &overall, 0.7, 50);
        MasteryReport {
            bank_id: "b".into(),
            seen: evidence.seen,
            total,
            areas,
            readiness,
        }
    }

    fn by_id(cards: Vec<CardRecord>) -> HashMap<String, CardRecord> {
        cards
            .into_iter()
            .map(|c| (c.question_id.clone(), c))
            .collect()
    }

    fn plan_at(
        cards: &HashMap<String, CardRecord>,
        report: &MasteryReport,
        days_left: i64,
    ) -> ExamPlan {
        let today = t0().date_naive();
        plan(
            cards,
            report,
            &StudySettings::default(),
            today + chrono::Duration::days(days_left),
            0.8,
            t0(),
            today,
            5.0,
        )
    }

    #[test]
    fn repeat_accuracy_hand_computed_shrinkage_and_scale() {
        // 10 repeats with 7 right (the first answer, also right, is not a repeat) and 20
        // repeats with 14 right (first answer wrong): k = 21 of n = 30, observed 0.7.
        // a' = (21 + 10·0.9) / (30 + 10) = 30/40 = 0.75; s = 0.75/0.9 = 5/6.
        let cards = [counts("q1", 11, 8, true), counts("q2", 21, 14, false)];
        let acc = repeat_accuracy(&cards, 0.9);
        assert_eq!((acc.answers, acc.right), (30, 21));
        assert!((acc.observed().unwrap() - 0.7).abs() < 1e-12);
        assert!((acc.shrunk - 0.75).abs() < 1e-12);
        assert!((acc.recall_scale - 5.0 / 6.0).abs() < 1e-12);

        // The scale applies to a recall that rests on simulated reviews: 0.96 · 5/6 = 0.8.
        let reviewed = Walk {
            reviews: 2,
            recall_at_exam: 0.96,
        };
        assert!((projected_recall(reviewed, &acc) - 0.8).abs() < 1e-12);
        // A card not due before the exam keeps FSRS's recall, as today's mastery does.
        let untouched = Walk {
            reviews: 0,
            recall_at_exam: 0.96,
        };
        assert_eq!(projected_recall(untouched, &acc), 0.96);

        // No repeats yet: a' is the desired retention and nothing is scaled.
        let first_only = [counts("q1", 1, 0, false), counts("q2", 1, 1, true)];
        let acc = repeat_accuracy(&first_only, 0.9);
        assert_eq!((acc.answers, acc.observed()), (0, None));
        assert!((acc.shrunk - 0.9).abs() < 1e-12);
        assert_eq!(acc.recall_scale, 1.0);

        // Better than the desired retention: a' = (30 + 9)/40 = 0.975, but the scale stops
        // at 1 (the walk already assumes every review is right).
        let perfect = [counts("q1", 31, 31, true)];
        let acc = repeat_accuracy(&perfect, 0.9);
        assert!((acc.shrunk - 0.975).abs() < 1e-12);
        assert_eq!(acc.recall_scale, 1.0);

        // Counts that contradict each other (more right than answered) count every repeat
        // as right at most, instead of an accuracy above 100%.
        let odd = [counts("q1", 2, 5, true)];
        assert_eq!(repeat_accuracy(&odd, 0.9).right, 1);
    }

    #[test]
    fn poor_repeat_accuracy_projects_lower_than_perfect_all_else_equal() {
        // The same FSRS states and first tries; only how often the repeats were right differs.
        let perfect: Vec<CardRecord> = (0..10)
            .map(|i| studied(&format!("q{i}"), 20 + i, 3, 3))
            .collect();
        let poor: Vec<CardRecord> = perfect
            .iter()
            .map(|c| CardRecord {
                correct: 1,
                ..c.clone()
            })
            .collect();
        let (perfect, poor) = (by_id(perfect), by_id(poor));
        let report = one_area_report(20, &perfect);
        assert_eq!(
            report,
            one_area_report(20, &poor),
            "today's readiness is equal"
        );

        let good = plan_at(&perfect, &report, 60);
        let bad = plan_at(&poor, &report, 60);
        assert_eq!(good.repeat_accuracy.recall_scale, 1.0);
        // 20 repeats, none right: a' = 9/30 = 0.3, s = 1/3.
        assert!((bad.repeat_accuracy.recall_scale - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(good.reviews_per_day, bad.reviews_per_day);
        assert!(
            bad.projected + 0.2 < good.projected,
            "{} vs {}",
            bad.projected,
            good.projected
        );
    }

    #[test]
    fn far_exam_for_a_fully_seen_bank_follows_fsrs_recall_not_desired_retention() {
        // 30 questions, all seen, started on different days, every answer right.
        let cards = by_id(
            (0..30)
                .map(|i| studied(&format!("q{i}"), 5 + 3 * i, 4, 4))
                .collect(),
        );
        let report = one_area_report(30, &cards);
        let p = plan_at(&cards, &report, 300);
        assert_eq!(p.unseen, 0);
        assert_eq!(p.repeat_accuracy.recall_scale, 1.0);

        // Each card's FSRS recall on the exam date after being reviewed (Good) whenever due.
        let s = Scheduler::new(0.9);
        let exam_at = t0() + chrono::Duration::days(300);
        let recalls: Vec<f64> = cards
            .values()
            .map(|c| {
                let mut c = c.clone();
                let mut at = c.card.due.max(t0());
                while at < exam_at {
                    c = s
                        .review(ReviewOrigin::study("b"), "", Some(&c), Rating::Good, at)
                        .after;
                    at = c.card.due;
                }
                c.retrievability(exam_at)
            })
            .collect();
        let mean = recalls.iter().sum::<f64>() / recalls.len() as f64;
        assert!(
            (p.projected - mean).abs() < 1e-9,
            "{} vs {mean}",
            p.projected
        );
        // FSRS reviews a card when its recall has fallen to about the desired retention, so on
        // the exam date each sits between that and 1: below 100%, and above the flat 90% the
        // old formula claimed.
        assert!(
            recalls.iter().all(|r| (0.85..1.0).contains(r)),
            "{recalls:?}"
        );
        assert!(p.projected < 0.999, "{}", p.projected);
        assert!(p.projected > 0.9 + 0.005, "{}", p.projected);
    }

    #[test]
    fn exam_today_projects_todays_readiness() {
        // Nothing can be reviewed or introduced any more: the projection is today's figure.
        let cards = by_id(
            (0..6)
                .map(|i| studied(&format!("q{i}"), 10 + i, 2, 1 + (i as u32 % 2)))
                .collect(),
        );
        let report = one_area_report(15, &cards);
        let p = plan_at(&cards, &report, 0);
        assert!(!p.reachable());
        assert!(
            (p.projected - report.readiness.predicted).abs() < 1e-12,
            "{} vs {}",
            p.projected,
            report.readiness.predicted
        );
    }

    #[test]
    fn unseen_questions_keep_the_prior_and_new_ones_count_with_their_walk() {
        // A fresh learner: 10 unseen questions, the daily limit (20) lets all of them in.
        let cards = HashMap::new();
        let report = one_area_report(10, &cards);
        let prior = report.areas[0].prior;
        let p = plan_at(&cards, &report, 30);
        assert_eq!(p.new_per_day, 1);
        // Every question is introduced and reviewed to the exam: above the prior, below 1.
        assert!(p.projected > prior && p.projected < 1.0, "{}", p.projected);

        // With a daily limit of 0 nothing new is seen: the prior stays.
        let none = plan(
            &cards,
            &report,
            &StudySettings {
                daily_new_limit: 0,
                ..StudySettings::default()
            },
            t0().date_naive() + chrono::Duration::days(30),
            0.8,
            t0(),
            t0().date_naive(),
            0.0,
        );
        assert!((none.projected - prior).abs() < 1e-12);
    }
}
