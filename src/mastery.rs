//! Mastery per skill area and overall readiness, from the FSRS cards in the database.
//! The model, with a worked example, is written up in `docs/readiness.md`.
//!
//! - A seen question counts with its FSRS retrievability today, R; its uncertainty is
//!   R(1−R)/(1 + reviews): a question answered many times is known well.
//! - An unseen question counts with the area's prior: the posterior mean of a Beta(1, 1) on
//!   *first-try* success in that area (first tries, because later reviews are inflated by
//!   memory of that very question). All unseen questions of an area share that one estimate,
//!   so its variance enters fully correlated: (unseen share)² × Var(Beta).
//! - Mastery of an area = mean over all its questions; band = ±1.96 standard deviations.
//! - Predicted exam score = blueprint-weighted sum of area mastery. Its spread adds the
//!   model's variance (Σ w² var) and the luck of drawing n questions (Σ w·m(1−m) / n).
//!   Pass probability = P(score ≥ pass mark) under a normal with that spread.

use crate::bank::Bank;
use crate::srs::CardRecord;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Prior pseudo-counts (Beta(1, 1): no opinion before the first answer).
pub const PRIOR_ALPHA: f64 = 1.0;
pub const PRIOR_BETA: f64 = 1.0;
const Z95: f64 = 1.959_963_984_540_054;

#[derive(Debug, Clone, PartialEq)]
pub struct AreaMastery {
    pub domain_id: String,
    pub name: String,
    /// Normalised blueprint weight (sums to 1 over the bank).
    pub weight: f64,
    pub total: usize,
    pub seen: usize,
    /// Expected probability of answering a random question of the area right today.
    pub mastery: f64,
    pub variance: f64,
    pub low: f64,
    pub high: f64,
    /// The estimate used for the area's unseen questions.
    pub prior: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Readiness {
    /// Predicted exam score, 0..1.
    pub predicted: f64,
    pub low: f64,
    pub high: f64,
    pub pass_mark: f64,
    pub pass_probability: f64,
    pub exam_questions: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MasteryReport {
    pub bank_id: String,
    pub areas: Vec<AreaMastery>,
    pub readiness: Readiness,
    pub seen: usize,
    pub total: usize,
}

impl MasteryReport {
    /// Areas from weakest to strongest (by mastery, then by weight: heavier first).
    pub fn weakest(&self, n: usize) -> Vec<&AreaMastery> {
        let mut v: Vec<&AreaMastery> = self.areas.iter().collect();
        v.sort_by(|a, b| {
            a.mastery
                .total_cmp(&b.mastery)
                .then(b.weight.total_cmp(&a.weight))
        });
        v.truncate(n);
        v
    }

    pub fn by_area(&self) -> HashMap<String, f64> {
        self.areas
            .iter()
            .map(|a| (a.domain_id.clone(), a.mastery))
            .collect()
    }
}

fn band(mean: f64, variance: f64) -> (f64, f64) {
    let half = Z95 * variance.max(0.0).sqrt();
    ((mean - half).max(0.0), (mean + half).min(1.0))
}

/// Mastery of one area from its question ids and the cards seen among them.
pub fn area_mastery<'a>(
    question_ids: impl Iterator<Item = &'a str>,
    cards: &HashMap<String, CardRecord>,
    now: DateTime<Utc>,
) -> (usize, usize, f64, f64, f64) {
    let (mut total, mut seen) = (0usize, 0usize);
    let (mut first_right, mut sum_r, mut sum_var) = (0.0, 0.0, 0.0);
    for id in question_ids {
        total += 1;
        if let Some(c) = cards.get(id).filter(|c| c.reviews > 0) {
            seen += 1;
            let r = c.retrievability(now);
            sum_r += r;
            sum_var += r * (1.0 - r) / (1.0 + c.reviews as f64);
            first_right += c.first_correct as u8 as f64;
        }
    }
    let a = PRIOR_ALPHA + first_right;
    let b = PRIOR_BETA + (seen as f64 - first_right);
    let prior = a / (a + b);
    let prior_var = a * b / ((a + b).powi(2) * (a + b + 1.0));
    if total == 0 {
        return (0, 0, prior, prior_var, prior);
    }
    let n = total as f64;
    let unseen = (total - seen) as f64;
    let mastery = (sum_r + unseen * prior) / n;
    let variance = sum_var / (n * n) + (unseen / n).powi(2) * prior_var;
    (total, seen, mastery, variance, prior)
}

/// Mastery of every area of `bank` and the readiness they add up to.
pub fn report(
    bank: &Bank,
    cards: &HashMap<String, CardRecord>,
    now: DateTime<Utc>,
) -> MasteryReport {
    let weight_sum: f64 = bank.manifest.domains.iter().map(|d| d.weight).sum();
    let areas: Vec<AreaMastery> = bank
        .manifest
        .domains
        .iter()
        .map(|d| {
            let ids = bank.questions_in(&d.id).map(|q| q.id.as_str());
            let (total, seen, mastery, variance, prior) = area_mastery(ids, cards, now);
            let (low, high) = band(mastery, variance);
            AreaMastery {
                domain_id: d.id.clone(),
                name: d.name.clone(),
                weight: if weight_sum > 0.0 {
                    d.weight / weight_sum
                } else {
                    0.0
                },
                total,
                seen,
                mastery,
                variance,
                low,
                high,
                prior,
            }
        })
        .collect();
    let exam_questions = bank.manifest.exam.questions.max(1) as usize;
    let readiness = readiness(
        &areas,
        bank.manifest.exam.pass_percent / 100.0,
        exam_questions,
    );
    MasteryReport {
        bank_id: bank.id().to_string(),
        seen: areas.iter().map(|a| a.seen).sum(),
        total: areas.iter().map(|a| a.total).sum(),
        areas,
        readiness,
    }
}

/// Combine area mastery into a predicted score for an exam of `n` questions.
pub fn readiness(areas: &[AreaMastery], pass_mark: f64, n: usize) -> Readiness {
    let predicted: f64 = areas.iter().map(|a| a.weight * a.mastery).sum();
    let model_var: f64 = areas.iter().map(|a| a.weight * a.weight * a.variance).sum();
    let draw_var: f64 = areas
        .iter()
        .map(|a| a.weight * a.mastery * (1.0 - a.mastery))
        .sum::<f64>()
        / n.max(1) as f64;
    let var = model_var + draw_var;
    let (low, high) = band(predicted, var);
    let sd = var.sqrt();
    let pass_probability = if sd < 1e-12 {
        if predicted + 1e-12 >= pass_mark {
            1.0
        } else {
            0.0
        }
    } else {
        1.0 - normal_cdf((pass_mark - predicted) / sd)
    };
    Readiness {
        predicted,
        low,
        high,
        pass_mark,
        pass_probability,
        exam_questions: n,
    }
}

/// Standard normal CDF through erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7).
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * (1.0 + erf(x / std::f64::consts::SQRT_2))
}

fn erf(x: f64) -> f64 {
    let sign = if x < 0.0 { -1.0 } else { 1.0 };
    let x = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let y = 1.0
        - (((((1.061_405_429 * t - 1.453_152_027) * t) + 1.421_413_741) * t - 0.284_496_736) * t
            + 0.254_829_592)
            * t
            * (-x * x).exp();
    sign * y
}

/// A prediction made when a mock exam started, and the score it got.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub attempt_id: i64,
    pub made_at: DateTime<Utc>,
    pub predicted: f64,
    pub low: f64,
    pub high: f64,
    pub pass_probability: f64,
    /// The exam's score, 0..1, once it was submitted.
    pub actual: Option<f64>,
}

/// How well past predictions matched the mock exams that followed them.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    pub exams: usize,
    /// Mean of |predicted − actual|, in score points (0..1).
    pub mean_abs_error: f64,
    /// Mean of predicted − actual: positive means certprep was optimistic.
    pub bias: f64,
    pub inside_band: usize,
}

pub fn calibration(predictions: &[Prediction]) -> Option<Calibration> {
    let done: Vec<(&Prediction, f64)> = predictions
        .iter()
        .filter_map(|p| p.actual.map(|a| (p, a)))
        .collect();
    if done.is_empty() {
        return None;
    }
    let n = done.len() as f64;
    Some(Calibration {
        exams: done.len(),
        mean_abs_error: done
            .iter()
            .map(|(p, a)| (p.predicted - a).abs())
            .sum::<f64>()
            / n,
        bias: done.iter().map(|(p, a)| p.predicted - a).sum::<f64>() / n,
        inside_band: done
            .iter()
            .filter(|(p, a)| *a >= p.low - 1e-9 && *a <= p.high + 1e-9)
            .count(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::{Card, State};
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap()
    }

    /// A card reviewed `days` ago with stability `s`.
    fn card(
        id: &str,
        days: f64,
        s: f64,
        reviews: u32,
        first_correct: bool,
    ) -> (String, CardRecord) {
        let last = now() - chrono::Duration::seconds((days * 86_400.0) as i64);
        (
            id.to_string(),
            CardRecord {
                question_id: id.to_string(),
                card: Card {
                    due: last,
                    stability: s,
                    difficulty: 5.0,
                    elapsed_days: 0,
                    scheduled_days: 0,
                    reps: reviews as i32,
                    lapses: 0,
                    state: State::Review,
                    last_review: last,
                },
                reviews,
                correct: reviews,
                first_correct,
            },
        )
    }

    #[test]
    fn unseen_area_is_the_uniform_prior() {
        let cards = HashMap::new();
        let (total, seen, m, var, prior) = area_mastery(["a", "b"].into_iter(), &cards, now());
        assert_eq!((total, seen), (2, 0));
        assert!((m - 0.5).abs() < 1e-12 && (prior - 0.5).abs() < 1e-12);
        // Beta(1,1) variance = 1/12, all questions unseen.
        assert!((var - 1.0 / 12.0).abs() < 1e-12);
    }

    #[test]
    fn hand_computed_area() {
        // Four questions; q1 seen 3 times, reviewed 9 days ago with S = 9 days:
        //   R = (1 + 19/81 · 9/9)^-0.5 = (100/81)^-0.5 = 0.9 exactly.
        // q2 seen once, just now (R = 1), first try wrong.
        // Prior: first tries 1 right of 2 → Beta(2, 2): mean 0.5, var 4/(16·5) = 0.05.
        // Mastery = (0.9 + 1.0 + 2 × 0.5) / 4 = 0.725.
        // Variance = (0.9·0.1/4 + 0)/16 + (2/4)² × 0.05 = 0.00140625 + 0.0125 = 0.01390625.
        let cards: HashMap<_, _> = [
            card("q1", 9.0, 9.0, 3, true),
            card("q2", 0.0, 2.0, 1, false),
        ]
        .into_iter()
        .collect();
        let (total, seen, m, var, prior) =
            area_mastery(["q1", "q2", "q3", "q4"].into_iter(), &cards, now());
        assert_eq!((total, seen), (4, 2));
        assert!((prior - 0.5).abs() < 1e-12);
        assert!((m - 0.725).abs() < 1e-9, "{m}");
        assert!((var - 0.013_906_25).abs() < 1e-9, "{var}");
    }

    #[test]
    fn hand_computed_readiness() {
        let area = |w: f64, m: f64, v: f64| AreaMastery {
            domain_id: "x".into(),
            name: "x".into(),
            weight: w,
            total: 10,
            seen: 10,
            mastery: m,
            variance: v,
            low: 0.0,
            high: 1.0,
            prior: 0.5,
        };
        // Two areas 60/40 at 0.8 and 0.5: predicted 0.68.
        // model var = 0.36·0.01 + 0.16·0.02 = 0.0068; draw var = (0.6·0.16 + 0.4·0.25)/100 = 0.00196.
        // sd = sqrt(0.00876) = 0.093595; P(score ≥ 0.70) = 1 − Φ(0.02/0.093595) = 1 − Φ(0.21369) = 0.4154.
        let r = readiness(&[area(0.6, 0.8, 0.01), area(0.4, 0.5, 0.02)], 0.70, 100);
        assert!((r.predicted - 0.68).abs() < 1e-12);
        assert!(
            (r.pass_probability - 0.4154).abs() < 5e-4,
            "{}",
            r.pass_probability
        );
        let half = 1.959_964 * 0.00876f64.sqrt();
        assert!((r.low - (0.68 - half)).abs() < 1e-6 && (r.high - (0.68 + half)).abs() < 1e-6);
    }

    #[test]
    fn band_narrows_as_evidence_grows() {
        let ids: Vec<String> = (0..20).map(|i| format!("q{i}")).collect();
        let mut cards = HashMap::new();
        let mut widths = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            let (k, c) = card(id, 1.0, 30.0, 4, i % 4 != 0);
            cards.insert(k, c);
            let (.., m, var, _) = area_mastery(ids.iter().map(|s| s.as_str()), &cards, now());
            let (lo, hi) = band(m, var);
            widths.push(hi - lo);
        }
        assert!(
            widths.windows(2).all(|w| w[1] <= w[0] + 1e-12),
            "{widths:?}"
        );
        assert!(widths[19] < widths[0] / 3.0);
    }

    #[test]
    fn normal_cdf_known_values() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(-1.0) - 0.158_655_3).abs() < 1e-6);
    }

    #[test]
    fn calibration_summarises_finished_predictions() {
        let p = |pred: f64, actual: Option<f64>| Prediction {
            attempt_id: 1,
            made_at: now(),
            predicted: pred,
            low: pred - 0.1,
            high: pred + 0.1,
            pass_probability: 0.5,
            actual,
        };
        assert_eq!(calibration(&[p(0.7, None)]), None);
        let c = calibration(&[p(0.7, Some(0.6)), p(0.5, Some(0.8)), p(0.6, None)]).unwrap();
        assert_eq!(c.exams, 2);
        assert!((c.mean_abs_error - 0.2).abs() < 1e-12);
        assert!((c.bias - (-0.1)).abs() < 1e-12);
        assert_eq!(c.inside_band, 1);
    }
}
