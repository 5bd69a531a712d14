//! The exam-date plan: what a learner must do each day to see every question and reach the
//! target readiness by the exam, and an honest warning when that is not reachable.
//!
//! New questions are spread over the days before the exam, keeping the last week (or the
//! last quarter of a short runway) for review only. The review load is not guessed: every
//! seen card and a representative new card of each day are walked forward with the FSRS
//! scheduler (rated Good each time) and their reviews before the exam are counted.

use crate::mastery::MasteryReport;
use crate::srs::{CardRecord, Rating, ReviewOrigin, Scheduler, StudySettings};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

/// Days kept free of new questions before the exam, at most.
pub const REVIEW_WEEK: i64 = 7;

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
    /// Predicted score on the exam date if the plan is followed (at most the daily limit).
    pub projected: f64,
    pub target: f64,
    /// New questions a day over the last two weeks.
    pub recent_pace: f64,
    pub areas: Vec<AreaPlan>,
    /// Empty when the plan is reachable.
    pub warnings: Vec<String>,
}

impl ExamPlan {
    pub fn reachable(&self) -> bool {
        self.warnings.is_empty()
    }
}

/// Reviews a card gets before `until` if every answer is Good.
fn reviews_before(
    scheduler: &Scheduler,
    start: Option<&CardRecord>,
    first_at: DateTime<Utc>,
    until: DateTime<Utc>,
) -> usize {
    let mut card = start.cloned();
    let mut at = card.as_ref().map_or(first_at, |c| c.card.due.max(first_at));
    let mut n = 0;
    // 60 steps is far beyond any real runway (intervals grow geometrically).
    while at < until && n < 60 {
        let r = scheduler.review(ReviewOrigin::study(""), "", card.as_ref(), Rating::Good, at);
        n += 1;
        at = r.after.card.due;
        card = Some(r.after);
    }
    n
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
    let scheduler = Scheduler::new(settings.desired_retention);

    // Reviews of cards already seen.
    let mut reviews: usize = cards
        .values()
        .map(|c| reviews_before(&scheduler, Some(c), now, exam_at))
        .sum();
    // Reviews of the cards still to come, introduced `rate` a day.
    let rate = new_per_day.min(settings.daily_new_limit as usize);
    let mut left = unseen;
    for day in 0..new_days {
        if left == 0 || rate == 0 {
            break;
        }
        let today_new = rate.min(left);
        left -= today_new;
        let first = now + chrono::Duration::days(day);
        reviews += today_new * reviews_before(&scheduler, None, first, exam_at);
    }
    let will_see = unseen - left;
    let reviews_per_day = if days_left > 0 {
        reviews as f64 / days_left as f64
    } else {
        0.0
    };

    // Projected score: questions seen by then sit at the desired retention (FSRS reviews
    // each when its recall falls to that level); the rest keep the area's prior.
    let mut areas = Vec::new();
    let mut projected = 0.0;
    for a in &report.areas {
        let a_unseen = a.total - a.seen;
        let share = if unseen == 0 {
            0.0
        } else {
            a_unseen as f64 / unseen as f64
        };
        let seen_then = a.seen as f64 + will_see as f64 * share;
        let m = if a.total == 0 {
            a.prior
        } else {
            (seen_then * settings.desired_retention + (a.total as f64 - seen_then) * a.prior)
                / a.total as f64
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
            "The exam date {exam_date} is not in the future: set the date of your exam."
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
                    today + chrono::Duration::days(d)
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
        areas,
        warnings,
    }
}
