//! The exam-date plan: what a learner must do each day to see every question and reach the
//! target readiness by the exam, and an honest warning when that is not reachable.
//!
//! New questions are spread over the days before the exam, keeping the last week (or the
//! last quarter of a short runway) for review only. The review load is not guessed: every
//! seen card and a representative new card of each day are walked forward with the FSRS
//! scheduler (rated Good each time) and their reviews before the exam are counted.
//!
//! The same walks give the projected score, through the very function today's readiness uses
//! ([`mastery::chance_right`]): each question's chance on the exam date from its area's ability,
//! its own record (with the walk's reviews answered as often right as the learner's reviews
//! so far, see [`RepeatAccuracy`]), its FSRS recall on the exam date, and the learner's
//! realism. Questions not seen by the exam keep their area's ability. The model is written up
//! in `docs/readiness.md`, "Exam-date plan".

use crate::bank::Bank;
use crate::mastery::{self, MasteryReport, SeenItem};
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
    /// The area's projected mastery on the exam date if the plan is followed.
    pub projected: f64,
    /// New questions of this area per day, on average.
    pub new_per_day: f64,
}

/// How often the learner's answers after the first to the same question were right, and what
/// the plan expects of the reviews it schedules.
///
/// The FSRS walk rates every simulated review Good to find when reviews fall due; whether
/// each is answered right is a separate question. FSRS schedules a review when recall has
/// fallen to the desired retention r, so a learner FSRS describes well gets about r of their
/// repeat answers right. With n repeat answers of which k were right and
/// c = [`ACCURACY_PSEUDO_ANSWERS`], the plan expects each of its reviews to be right with
///
/// * shrunk accuracy  a' = (k + c·r) / (n + c),
///
/// and a question's record on the exam date (the T of `docs/readiness.md`) counts its
/// simulated reviews at that rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RepeatAccuracy {
    /// Answers to a question already answered before (reviews after the first), n.
    pub answers: u64,
    /// Of those, the right ones, k.
    pub right: u64,
    /// The accuracy the plan uses, a': the record shrunk toward the desired retention.
    pub shrunk: f64,
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
    RepeatAccuracy {
        answers,
        right,
        shrunk: if shrunk.is_finite() {
            shrunk.clamp(0.0, 1.0)
        } else {
            r
        },
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
    /// new questions, every review done on its due day), by the same model as today's
    /// readiness: Σ exam share × the area's mean chance per question on the exam date.
    pub projected: f64,
    pub target: f64,
    /// New questions a day over the last two weeks.
    pub recent_pace: f64,
    /// The learner's record on repeat answers, which the plan expects its reviews to match,
    /// so the dashboard can say what the projection assumes.
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
                last_correct: true,
                first_at: first_at,
            }
            .retrievability(until)
        }),
    }
}

/// A question's record on the exam date, as the counts T is made of: answers, right ones
/// (expected), and the chance the latest one is right.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ExpectedRecord {
    answers: f64,
    right: f64,
    last_right: f64,
}

impl ExpectedRecord {
    fn of(card: &CardRecord) -> ExpectedRecord {
        ExpectedRecord {
            answers: f64::from(card.reviews),
            right: f64::from(card.correct.min(card.reviews)),
            last_right: if card.last_correct { 1.0 } else { 0.0 },
        }
    }

    /// A question met for the first time, right with the area's ability.
    fn first_try(ability: f64) -> ExpectedRecord {
        ExpectedRecord {
            answers: 1.0,
            right: ability,
            last_right: ability,
        }
    }

    /// After `reviews` more answers, each right with `accuracy`.
    fn after(self, reviews: usize, accuracy: f64) -> ExpectedRecord {
        if reviews == 0 {
            return self;
        }
        ExpectedRecord {
            answers: self.answers + reviews as f64,
            right: self.right + reviews as f64 * accuracy,
            last_right: accuracy,
        }
    }

    /// T, as [`mastery::item_target`] reads a card (linear in the counts, so the expected
    /// record gives the expected T).
    fn target(self, guess: f64) -> f64 {
        let share = (self.right / self.answers.max(1.0)).clamp(0.0, 1.0);
        let known = mastery::LAST_ANSWER_SHARE * self.last_right
            + (1.0 - mastery::LAST_ANSWER_SHARE) * share;
        known * (1.0 - mastery::SLIP) + (1.0 - known) * guess
    }
}

#[allow(clippy::too_many_arguments)]
pub fn plan(
    bank: &Bank,
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
    let accuracy = repeat_accuracy(
        cards.values().filter(|c| c.reviews > 0),
        settings.desired_retention,
    );
    let a_rate = accuracy.shrunk;
    let rho = report.realism;
    let area_index: HashMap<&str, usize> = report
        .areas
        .iter()
        .enumerate()
        .map(|(i, a)| (a.domain_id.as_str(), i))
        .collect();

    // Questions seen today: each one's own walk and record, by the per-question function.
    let mut reviews = 0;
    let mut seen_chance = vec![0.0; report.areas.len()];
    // The mean guessing chance of each area's unseen questions, for those introduced later.
    let mut unseen_guess = vec![(0.0, 0usize); report.areas.len()];
    for q in &bank.questions {
        let Some(&i) = area_index.get(q.domain.as_str()) else {
            continue;
        };
        let guess = mastery::guess_chance(q);
        let Some(start) = report.learner.start(q) else {
            continue;
        };
        match cards.get(&q.id).filter(|c| c.reviews > 0) {
            Some(c) => {
                let walk = walk_to_exam(&scheduler, Some(c), now, exam_at);
                reviews += walk.reviews;
                let seen = SeenItem {
                    target: ExpectedRecord::of(c)
                        .after(walk.reviews, a_rate)
                        .target(guess),
                    recall: walk.recall_at_exam,
                };
                seen_chance[i] += mastery::chance_right(start.chance, Some(seen), rho);
            }
            None => {
                unseen_guess[i].0 += guess;
                unseen_guess[i].1 += 1;
            }
        }
    }

    // Questions still to come, introduced `rate` a day: one representative walk per day serves
    // all of that day's new questions (they start from the same state at the same time); they
    // go to the areas in proportion to each area's unseen questions.
    let rate = new_per_day.min(settings.daily_new_limit as usize);
    let mut left = unseen;
    let mut introduced_chance = vec![0.0; report.areas.len()];
    for day in 0..new_days {
        if left == 0 || rate == 0 {
            break;
        }
        let today_new = rate.min(left);
        left -= today_new;
        let first = now + chrono::Duration::days(day);
        let walk = walk_to_exam(&scheduler, None, first, exam_at);
        reviews += today_new * walk.reviews;
        for (i, a) in report.areas.iter().enumerate() {
            let (guess_sum, n) = unseen_guess[i];
            if n == 0 {
                continue;
            }
            let start = a.unseen_chance;
            let seen = SeenItem {
                target: ExpectedRecord::first_try(start)
                    .after(walk.reviews.saturating_sub(1), a_rate)
                    .target(guess_sum / n as f64),
                recall: walk.recall_at_exam,
            };
            let share = n as f64 / unseen as f64;
            introduced_chance[i] +=
                today_new as f64 * share * mastery::chance_right(start, Some(seen), rho);
        }
    }
    let will_see = unseen - left;
    let reviews_per_day = if days_left > 0 {
        reviews as f64 / days_left as f64
    } else {
        0.0
    };

    let mut areas = Vec::new();
    let mut projected = 0.0;
    for (i, a) in report.areas.iter().enumerate() {
        let a_unseen = a.total - a.seen;
        let share = if unseen == 0 {
            0.0
        } else {
            a_unseen as f64 / unseen as f64
        };
        let still_unseen = a_unseen as f64 - will_see as f64 * share;
        let m = if a.total == 0 {
            a.ability
        } else {
            let sum = seen_chance[i] + introduced_chance[i] + still_unseen * a.unseen_chance;
            (sum / a.total as f64).clamp(0.0, 1.0)
        };
        projected += a.exam_share * m;
        areas.push(AreaPlan {
            domain_id: a.domain_id.clone(),
            name: a.name.clone(),
            unseen: a_unseen,
            total: a.total,
            mastery: a.mastery,
            projected: m,
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
    use crate::mastery::ModelInputs;
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
            last_correct: true,
            first_at: t0(),
        }
    }

    /// A card answered right `reviews` times, each time it came due, the first `days_ago`
    /// days before t0; the counts are then set to `correct` right answers (the latest one
    /// right only when all are).
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
        c.last_correct = correct == reviews;
        c
    }

    /// A one-area bank of `total` questions q-0, q-1, ... (mock exams of all of them).
    fn one_area(total: usize) -> Bank {
        crate::synth::small_bank(&[("q", 1.0, total)], total as u32)
    }

    fn report_of(bank: &Bank, cards: &HashMap<String, CardRecord>) -> MasteryReport {
        mastery::report(bank, cards, &ModelInputs::for_bank(bank), t0())
    }

    fn by_id(cards: Vec<CardRecord>) -> HashMap<String, CardRecord> {
        cards
            .into_iter()
            .map(|c| (c.question_id.clone(), c))
            .collect()
    }

    fn plan_at(bank: &Bank, cards: &HashMap<String, CardRecord>, days_left: i64) -> ExamPlan {
        let today = t0().date_naive();
        plan(
            bank,
            cards,
            &report_of(bank, cards),
            &StudySettings::default(),
            today + chrono::Duration::days(days_left),
            0.8,
            t0(),
            today,
            5.0,
        )
    }

    #[test]
    fn repeat_accuracy_hand_computed_shrinkage() {
        // 10 repeats with 7 right (the first answer, also right, is not a repeat) and 20
        // repeats with 14 right (first answer wrong): k = 21 of n = 30, observed 0.7.
        // a' = (21 + 10·0.9) / (30 + 10) = 30/40 = 0.75.
        let cards = [counts("q1", 11, 8, true), counts("q2", 21, 14, false)];
        let acc = repeat_accuracy(&cards, 0.9);
        assert_eq!((acc.answers, acc.right), (30, 21));
        assert!((acc.observed().unwrap() - 0.7).abs() < 1e-12);
        assert!((acc.shrunk - 0.75).abs() < 1e-12);

        // No repeats yet: a' is the desired retention.
        let first_only = [counts("q1", 1, 0, false), counts("q2", 1, 1, true)];
        let acc = repeat_accuracy(&first_only, 0.9);
        assert_eq!((acc.answers, acc.observed()), (0, None));
        assert!((acc.shrunk - 0.9).abs() < 1e-12);

        // Better than the desired retention: a' = (30 + 9)/40 = 0.975.
        let perfect = [counts("q1", 31, 31, true)];
        assert!((repeat_accuracy(&perfect, 0.9).shrunk - 0.975).abs() < 1e-12);

        // Counts that contradict each other (more right than answered) count every repeat
        // as right at most, instead of an accuracy above 100%.
        let odd = [counts("q1", 2, 5, true)];
        assert_eq!(repeat_accuracy(&odd, 0.9).right, 1);
    }

    #[test]
    fn expected_record_hand_computed() {
        // 1 of 2 right, the latest wrong, then 3 reviews the plan expects right at 0.8:
        // answers 5, right 1 + 2.4 = 3.4, latest right 0.8;
        // K = 0.6·0.8 + 0.4·3.4/5 = 0.752, T = 0.752·0.95 + 0.248·0.25 = 0.7764.
        let mut c = counts("q", 2, 1, true);
        c.last_correct = false;
        let t = ExpectedRecord::of(&c).after(3, 0.8).target(0.25);
        assert!((t - 0.7764).abs() < 1e-12, "{t}");
        // No simulated review: T is the card's own, as today's readiness reads it.
        let today = ExpectedRecord::of(&c).after(0, 0.8).target(0.25);
        assert!((today - mastery::item_target(&c, 0.25)).abs() < 1e-12);
        // A new question (first try right with the ability 0.6) and 2 reviews at 0.9:
        // answers 3, right 2.4, K = 0.54 + 0.4·0.8 = 0.86, T = 0.817 + 0.035 = 0.852.
        let t = ExpectedRecord::first_try(0.6).after(2, 0.9).target(0.25);
        assert!((t - 0.852).abs() < 1e-12, "{t}");
    }

    #[test]
    fn poor_repeat_accuracy_projects_lower_than_perfect_all_else_equal() {
        // The same FSRS states and first tries; only how often the repeats were right differs.
        let bank = one_area(20);
        let perfect: Vec<CardRecord> = (0..10)
            .map(|i| studied(&format!("q-{i}"), 20 + i, 3, 3))
            .collect();
        let poor: Vec<CardRecord> = perfect
            .iter()
            .map(|c| CardRecord {
                correct: 1,
                last_correct: false,
                ..c.clone()
            })
            .collect();
        let (perfect, poor) = (by_id(perfect), by_id(poor));
        let good = plan_at(&bank, &perfect, 60);
        let bad = plan_at(&bank, &poor, 60);
        // 20 repeats, none right: a' = 9/30 = 0.3.
        assert!((bad.repeat_accuracy.shrunk - 0.3).abs() < 1e-12);
        assert_eq!(good.reviews_per_day, bad.reviews_per_day);
        assert!(
            bad.projected + 0.2 < good.projected,
            "{} vs {}",
            bad.projected,
            good.projected
        );
    }

    #[test]
    fn far_exam_for_a_fully_seen_bank_is_the_per_question_function_at_exam_date_recall() {
        // 30 questions, all seen, started on different days, every answer right.
        let bank = one_area(30);
        let cards = by_id(
            (0..30)
                .map(|i| studied(&format!("q-{i}"), 5 + 3 * i, 4, 4))
                .collect(),
        );
        let report = report_of(&bank, &cards);
        let p = plan_at(&bank, &cards, 300);
        assert_eq!(p.unseen, 0);

        // Each card walked to the exam (Good whenever due); its record gains the walk's
        // reviews, each expected right at the learner's shrunk accuracy a'.
        let s = Scheduler::new(0.9);
        let exam_at = t0() + chrono::Duration::days(300);
        let a = p.repeat_accuracy.shrunk;
        let ability = report.areas[0].ability;
        let mut recalls = Vec::new();
        let mut sum = 0.0;
        for c in cards.values() {
            let mut walked = c.clone();
            let mut at = walked.card.due.max(t0());
            let mut k = 0;
            while at < exam_at {
                walked = s
                    .review(
                        ReviewOrigin::study("b"),
                        "",
                        Some(&walked),
                        Rating::Good,
                        at,
                    )
                    .after;
                at = walked.card.due;
                k += 1;
            }
            let recall = walked.retrievability(exam_at);
            recalls.push(recall);
            let target = ExpectedRecord::of(c).after(k, a).target(0.25);
            sum +=
                mastery::chance_right(ability, Some(SeenItem { target, recall }), report.realism);
        }
        let mean = sum / 30.0;
        assert!(
            (p.projected - mean).abs() < 1e-9,
            "{} vs {mean}",
            p.projected
        );
        // FSRS reviews a card when its recall has fallen to about the desired retention, so on
        // the exam date each sits between that and 1.
        assert!(
            recalls.iter().all(|r| (0.85..1.0).contains(r)),
            "{recalls:?}"
        );
        assert!(p.projected < 0.96 && p.projected > 0.8, "{}", p.projected);
    }

    #[test]
    fn exam_today_projects_todays_readiness() {
        // Nothing can be reviewed or introduced any more: the projection is today's figure.
        let bank = one_area(15);
        let cards = by_id(
            (0..6)
                .map(|i| studied(&format!("q-{i}"), 10 + i, 2, 1 + (i as u32 % 2)))
                .collect(),
        );
        let report = report_of(&bank, &cards);
        let p = plan_at(&bank, &cards, 0);
        assert!(!p.reachable());
        assert!(
            (p.projected - report.readiness.predicted).abs() < 1e-12,
            "{} vs {}",
            p.projected,
            report.readiness.predicted
        );
        assert!((p.areas[0].projected - report.areas[0].mastery).abs() < 1e-12);
    }

    #[test]
    fn unseen_questions_keep_the_ability_and_new_ones_count_with_their_walk() {
        // A fresh learner: 10 unseen questions, the daily limit (20) lets all of them in.
        let bank = one_area(10);
        let cards = HashMap::new();
        let report = report_of(&bank, &cards);
        let ability = report.areas[0].ability;
        let p = plan_at(&bank, &cards, 30);
        assert_eq!(p.new_per_day, 1);
        // Every question is introduced and reviewed to the exam: above the ability, below 1.
        assert!(
            p.projected > ability && p.projected < 1.0,
            "{}",
            p.projected
        );

        // With a daily limit of 0 nothing new is seen: the ability stays.
        let none = plan(
            &bank,
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
        assert!((none.projected - ability).abs() < 1e-12);
    }
}
