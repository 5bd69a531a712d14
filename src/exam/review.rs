//! Reviewing a finished attempt: the questions a filter keeps, the ones "Retake the wrong
//! and flagged ones" asks again, the slowest questions and the time per skill area against
//! the exam's pace. UI-free: the Results screen draws what these return.

use super::{AnswerConfidence, ExamItem, ExamSession, ScoreReport};
use crate::bank::Bank;
use std::time::{Duration, Instant};

/// Which questions the review shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ReviewFilter {
    #[default]
    All,
    /// Not right: wrong, partly answered or unanswered (what "Practice the ones I missed"
    /// studies).
    Missed,
    /// Answered but not right (partly answered included).
    Wrong,
    Flagged,
    /// Nothing picked.
    Unanswered,
    /// One skill area, by id.
    Area(String),
}

/// One scored question of an attempt, as the review needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRow {
    /// Position in the attempt.
    pub position: usize,
    pub question_id: String,
    pub domain_id: String,
    pub right: bool,
    /// Nothing was picked.
    pub unanswered: bool,
    pub flagged: bool,
    pub confidence: Option<AnswerConfidence>,
    /// Time on screen, summed over visits.
    pub time: Duration,
}

impl ReviewRow {
    pub fn is_wrong(&self) -> bool {
        !self.right && !self.unanswered
    }

    pub fn matches(&self, filter: &ReviewFilter) -> bool {
        match filter {
            ReviewFilter::All => true,
            ReviewFilter::Missed => !self.right,
            ReviewFilter::Wrong => self.is_wrong(),
            ReviewFilter::Flagged => self.flagged,
            ReviewFilter::Unanswered => self.unanswered,
            ReviewFilter::Area(id) => &self.domain_id == id,
        }
    }

    /// What a retake asks again: every question not answered right (wrong, partly answered
    /// or unanswered: none of them earned a mark), and every flagged one.
    pub fn to_retake(&self) -> bool {
        !self.right || self.flagged
    }
}

/// The attempt's scored questions in exam order (questions its bank no longer holds are
/// not scored and not listed, as in the score).
pub fn rows(bank: &Bank, session: &ExamSession, report: &ScoreReport) -> Vec<ReviewRow> {
    let now = Instant::now();
    let mut results = report.items.iter();
    let mut out = Vec::with_capacity(report.items.len());
    for (position, (item, state)) in session.items.iter().zip(&session.states).enumerate() {
        if bank.question(&item.question_id).is_none() {
            continue;
        }
        // The report scored the same items in the same order, skipping the same ones.
        let Some(result) = results.next() else { break };
        out.push(ReviewRow {
            position,
            question_id: result.question_id.clone(),
            domain_id: result.domain_id.clone(),
            right: result.is_correct,
            unanswered: state.selected.is_empty(),
            flagged: state.flagged,
            confidence: state.confidence,
            time: session.times.spent(position, now),
        });
    }
    out
}

/// The questions a retake asks, in the order they were asked.
pub fn retake_ids(rows: &[ReviewRow]) -> Vec<String> {
    rows.iter()
        .filter(|r| r.to_retake())
        .map(|r| r.question_id.clone())
        .collect()
}

/// The retake's items: those questions in the same order, their options shuffled afresh
/// by `seed` (a retake should not be answered by where the right option sat last time).
pub fn retake_items(bank: &Bank, question_ids: &[String], seed: u64) -> Vec<ExamItem> {
    question_ids
        .iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let q = bank.question(id)?;
            Some(super::single_item(q, seed.wrapping_add(i as u64)))
        })
        .collect()
}

/// A retake's time limit: the original's pace for the questions it asks (untimed stays
/// untimed), at least a minute.
pub fn retake_limit(limit: Option<Duration>, asked: usize, retaken: usize) -> Option<Duration> {
    let pace = pace(limit, asked)?;
    Some((pace * u32::try_from(retaken).unwrap_or(u32::MAX)).max(Duration::from_secs(60)))
}

/// Time per question the limit allows; `None` untimed or empty.
pub fn pace(limit: Option<Duration>, questions: usize) -> Option<Duration> {
    let n = u32::try_from(questions).ok().filter(|n| *n > 0)?;
    limit.map(|l| l / n)
}

/// The `n` questions that took longest (at least a second), slowest first.
pub fn slowest(rows: &[ReviewRow], n: usize) -> Vec<&ReviewRow> {
    let mut timed: Vec<&ReviewRow> = rows
        .iter()
        .filter(|r| r.time >= Duration::from_secs(1))
        .collect();
    timed.sort_by(|a, b| b.time.cmp(&a.time).then(a.position.cmp(&b.position)));
    timed.truncate(n);
    timed
}

/// Time spent on one skill area's questions.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaTime {
    pub domain_id: String,
    pub questions: usize,
    pub total: Duration,
}

impl AreaTime {
    pub fn per_question(&self) -> Duration {
        self.total / u32::try_from(self.questions.max(1)).unwrap_or(u32::MAX)
    }
}

/// Time per skill area, in the bank's manifest order (areas without a question left out).
pub fn time_by_area(bank: &Bank, rows: &[ReviewRow]) -> Vec<AreaTime> {
    bank.manifest
        .domains
        .iter()
        .filter_map(|d| {
            let (questions, total) = rows
                .iter()
                .filter(|r| r.domain_id == d.id)
                .fold((0, Duration::ZERO), |(n, t), r| (n + 1, t + r.time));
            (questions > 0).then(|| AreaTime {
                domain_id: d.id.clone(),
                questions,
                total,
            })
        })
        .collect()
}

/// How many rows each confidence/verdict disagreement has: (right but guessed, wrong but
/// sure).
pub fn mismatches(rows: &[ReviewRow]) -> (usize, usize) {
    rows.iter().fold((0, 0), |(g, s), r| match r.confidence {
        Some(AnswerConfidence::Guess) if r.right => (g + 1, s),
        Some(AnswerConfidence::Sure) if r.is_wrong() => (g, s + 1),
        _ => (g, s),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        position: usize,
        domain: &str,
        right: bool,
        unanswered: bool,
        flagged: bool,
    ) -> ReviewRow {
        ReviewRow {
            position,
            question_id: format!("q{position}"),
            domain_id: domain.into(),
            right,
            unanswered,
            flagged,
            confidence: None,
            time: Duration::from_secs(position as u64 * 10),
        }
    }

    #[test]
    fn filters_and_the_retake_pick_the_right_questions() {
        let rows = vec![
            row(0, "a", true, false, false),
            row(1, "a", false, false, false),
            row(2, "b", true, false, true),
            row(3, "b", false, true, false),
            row(4, "b", false, true, true),
        ];
        let pick = |f: ReviewFilter| -> Vec<usize> {
            rows.iter()
                .filter(|r| r.matches(&f))
                .map(|r| r.position)
                .collect()
        };
        assert_eq!(pick(ReviewFilter::All), vec![0, 1, 2, 3, 4]);
        assert_eq!(pick(ReviewFilter::Missed), vec![1, 3, 4]);
        assert_eq!(pick(ReviewFilter::Wrong), vec![1]);
        assert_eq!(pick(ReviewFilter::Flagged), vec![2, 4]);
        assert_eq!(pick(ReviewFilter::Unanswered), vec![3, 4]);
        assert_eq!(pick(ReviewFilter::Area("a".into())), vec![0, 1]);
        assert_eq!(retake_ids(&rows), vec!["q1", "q2", "q3", "q4"]);
    }

    #[test]
    fn slowest_first_and_the_pace_of_a_retake() {
        let rows: Vec<ReviewRow> = (0..5).map(|i| row(i, "a", true, false, false)).collect();
        let slow: Vec<usize> = slowest(&rows, 2).iter().map(|r| r.position).collect();
        assert_eq!(slow, vec![4, 3]);
        // Position 0 took no time: it is never among the slowest.
        assert_eq!(slowest(&rows, 10).len(), 4);
        let limit = Some(Duration::from_secs(100 * 60));
        assert_eq!(pace(limit, 100), Some(Duration::from_secs(60)));
        assert_eq!(pace(limit, 0), None);
        assert_eq!(pace(None, 10), None);
        assert_eq!(
            retake_limit(limit, 100, 7),
            Some(Duration::from_secs(7 * 60))
        );
        assert_eq!(retake_limit(limit, 100, 0), Some(Duration::from_secs(60)));
        assert_eq!(retake_limit(None, 100, 7), None);
    }

    #[test]
    fn mismatches_count_right_guesses_and_sure_mistakes() {
        let mut rows = vec![
            row(0, "a", true, false, false),
            row(1, "a", false, false, false),
            row(2, "a", false, true, false),
        ];
        rows[0].confidence = Some(AnswerConfidence::Guess);
        rows[1].confidence = Some(AnswerConfidence::Sure);
        // Unanswered but "sure" is not a sure mistake: nothing was answered.
        rows[2].confidence = Some(AnswerConfidence::Sure);
        assert_eq!(mismatches(&rows), (1, 1));
    }
}
