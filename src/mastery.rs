//! Mastery per skill area and overall readiness, from the FSRS cards in the database.
//! The model, with worked examples, is written up in `docs/readiness.md`.
//!
//! - A seen question counts with its FSRS retrievability today, R; its uncertainty is
//!   R(1−R)/(1 + reviews): a question answered many times is known well.
//! - An unseen question counts with the area's prior: the learner's *first-try* success in that
//!   area (first tries, because later reviews are inflated by memory of that very question),
//!   shrunk toward their first-try rate over the whole bank. Areas are not independent: a
//!   learner who does well in three areas is likely to do well in a fourth, and one estimate
//!   of the overall rate serves every area's unseen questions, so its uncertainty moves all
//!   areas together.
//! - Mastery of an area = mean over all its questions; band = ±1.96 standard deviations.
//! - Predicted exam score = blueprint-weighted sum of area mastery. Its spread adds each area's
//!   own variance (Σ w² var), the shared part ((Σ w·loading)² · Var(overall rate)) and the luck
//!   of drawing n questions (Σ w·m(1−m) / n). Pass probability = P(score ≥ pass mark) under a
//!   normal with that spread.

use crate::bank::Bank;
use crate::srs::CardRecord;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Prior pseudo-counts of the overall first-try rate (Beta(1, 1): no opinion before the first
/// answer).
pub const PRIOR_ALPHA: f64 = 1.0;
pub const PRIOR_BETA: f64 = 1.0;
/// How much an area's prior leans on the overall first-try rate, in first tries of the area's
/// own: after 4 first tries in an area, its own record and the overall rate weigh the same.
pub const AREA_SHRINK: f64 = 4.0;
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
    /// Variance of `mastery`: the area's own part plus its share of the overall rate's.
    pub variance: f64,
    /// The part of `variance` that is this area's alone (independent of other areas).
    pub own_variance: f64,
    /// How far this area's mastery moves when the overall first-try rate moves by one:
    /// (unseen share) × (the prior's weight on the overall rate).
    pub overall_loading: f64,
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
    /// Nothing answered yet: every figure is the bare prior (50%, anything possible), so the
    /// app shows no prediction, stores none, ranks no area and charts no point.
    pub fn is_prior_only(&self) -> bool {
        self.seen == 0
    }

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

/// What the cards say about one area's questions.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AreaEvidence {
    pub total: usize,
    pub seen: usize,
    /// Seen questions answered right the first time.
    pub first_right: usize,
    /// Σ R over seen questions, and Σ R(1−R)/(1 + reviews).
    pub sum_r: f64,
    pub sum_var: f64,
}

pub fn area_evidence<'a>(
    question_ids: impl Iterator<Item = &'a str>,
    cards: &HashMap<String, CardRecord>,
    now: DateTime<Utc>,
) -> AreaEvidence {
    let mut e = AreaEvidence::default();
    for id in question_ids {
        e.total += 1;
        if let Some(c) = cards.get(id).filter(|c| c.reviews > 0) {
            e.seen += 1;
            let r = c.retrievability(now);
            e.sum_r += r;
            e.sum_var += r * (1.0 - r) / (1.0 + c.reviews as f64);
            e.first_right += c.first_correct as usize;
        }
    }
    e
}

/// The learner's first-try success rate over the whole bank: Beta(1 + right, 1 + wrong).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OverallRate {
    pub mean: f64,
    pub variance: f64,
}

impl OverallRate {
    pub fn from_areas(areas: &[AreaEvidence]) -> Self {
        let right: usize = areas.iter().map(|e| e.first_right).sum();
        let seen: usize = areas.iter().map(|e| e.seen).sum();
        let (mean, variance) = beta_moments(
            PRIOR_ALPHA + right as f64,
            PRIOR_BETA + (seen - right) as f64,
        );
        OverallRate { mean, variance }
    }
}

fn beta_moments(a: f64, b: f64) -> (f64, f64) {
    (a / (a + b), a * b / ((a + b).powi(2) * (a + b + 1.0)))
}

/// Mastery of one area, given what its cards say and the overall first-try rate.
///
/// Unseen questions count with the prior Beta(κ·g + k, κ·(1 − g) + S − k): the area's own
/// first tries (k right of S) on top of κ = [`AREA_SHRINK`] pseudo-tries at the overall rate g.
/// Its variance is split: the Beta's own variance (this area alone) and the overall rate's
/// uncertainty, carried in with weight κ/(κ + S), which every area shares.
pub fn area_mastery(e: &AreaEvidence, overall: &OverallRate) -> AreaMastery {
    let k = e.first_right as f64;
    let wrong = (e.seen - e.first_right) as f64;
    let (prior, prior_own_var) = beta_moments(
        AREA_SHRINK * overall.mean + k,
        AREA_SHRINK * (1.0 - overall.mean) + wrong,
    );
    let on_overall = AREA_SHRINK / (AREA_SHRINK + e.seen as f64);
    let (mastery, own_variance, overall_loading) = if e.total == 0 {
        (prior, prior_own_var, on_overall)
    } else {
        let n = e.total as f64;
        let unseen_share = (e.total - e.seen) as f64 / n;
        (
            (e.sum_r + unseen_share * n * prior) / n,
            e.sum_var / (n * n) + unseen_share.powi(2) * prior_own_var,
            unseen_share * on_overall,
        )
    };
    let variance = own_variance + overall_loading.powi(2) * overall.variance;
    let (low, high) = band(mastery, variance);
    AreaMastery {
        domain_id: String::new(),
        name: String::new(),
        weight: 0.0,
        total: e.total,
        seen: e.seen,
        mastery,
        variance,
        own_variance,
        overall_loading,
        low,
        high,
        prior,
    }
}

/// Mastery of every area of `bank` and the readiness they add up to.
pub fn report(
    bank: &Bank,
    cards: &HashMap<String, CardRecord>,
    now: DateTime<Utc>,
) -> MasteryReport {
    let domains = &bank.manifest.domains;
    let evidence: Vec<AreaEvidence> = domains
        .iter()
        .map(|d| area_evidence(bank.questions_in(&d.id).map(|q| q.id.as_str()), cards, now))
        .collect();
    let overall = OverallRate::from_areas(&evidence);
    let areas: Vec<AreaMastery> = domains
        .iter()
        .zip(&evidence)
        .map(|(d, e)| AreaMastery {
            domain_id: d.id.clone(),
            name: d.name.clone(),
            weight: bank.weight_share(d),
            ..area_mastery(e, &overall)
        })
        .collect();
    let exam_questions = bank.manifest.exam.questions.max(1) as usize;
    let readiness = readiness(
        &areas,
        &overall,
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
pub fn readiness(
    areas: &[AreaMastery],
    overall: &OverallRate,
    pass_mark: f64,
    n: usize,
) -> Readiness {
    let predicted: f64 = areas.iter().map(|a| a.weight * a.mastery).sum();
    // Each area's own uncertainty is independent of the others'; the overall rate's moves
    // them all at once, so its loadings add up before they are squared.
    let own_var: f64 = areas
        .iter()
        .map(|a| a.weight * a.weight * a.own_variance)
        .sum();
    let loading: f64 = areas.iter().map(|a| a.weight * a.overall_loading).sum();
    let model_var = own_var + loading * loading * overall.variance;
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
                    step: 0,
                    // The hand computations below use FSRS-5's curve, R = (1 + 19/81 · t/S)^-0.5.
                    decay: crate::srs::FSRS5_DECAY,
                },
                reviews,
                correct: reviews,
                first_correct,
            },
        )
    }

    fn mastery_of(ids: &[&str], cards: &HashMap<String, CardRecord>) -> AreaMastery {
        let e = area_evidence(ids.iter().copied(), cards, now());
        area_mastery(&e, &OverallRate::from_areas(&[e]))
    }

    #[test]
    fn unseen_area_of_a_new_learner_is_the_uniform_prior() {
        // Nothing seen: the overall rate is Beta(1,1) (mean 0.5, var 1/12); the area's prior
        // is Beta(4·0.5, 4·0.5) = Beta(2,2) (var 4/(16·5) = 0.05), fully loaded on the overall.
        let m = mastery_of(&["a", "b"], &HashMap::new());
        assert_eq!((m.total, m.seen), (2, 0));
        assert!((m.mastery - 0.5).abs() < 1e-12 && (m.prior - 0.5).abs() < 1e-12);
        assert!((m.own_variance - 0.05).abs() < 1e-12);
        assert!((m.overall_loading - 1.0).abs() < 1e-12);
        assert!((m.variance - (0.05 + 1.0 / 12.0)).abs() < 1e-12);
    }

    #[test]
    fn hand_computed_area() {
        // Four questions; q1 seen 3 times, reviewed 9 days ago with S = 9 days:
        //   R = (1 + 19/81 · 9/9)^-0.5 = (100/81)^-0.5 = 0.9 exactly.
        // q2 seen once, just now (R = 1), first try wrong.
        // Overall (this area only): 1 right of 2 → Beta(2, 2): mean 0.5, var 0.05.
        // Area prior: Beta(4·0.5 + 1, 4·0.5 + 1) = Beta(3, 3): mean 0.5, var 9/(36·7).
        // Mastery = (0.9 + 1.0 + 2 × 0.5) / 4 = 0.725.
        // Own variance = (0.9·0.1/4)/16 + (2/4)² × 9/252 = 0.00140625 + 0.00892857 = 0.01033482.
        // Loading = (2/4) × 4/(4 + 2) = 1/3; variance = own + (1/3)² × 0.05 = 0.01589038.
        let cards: HashMap<_, _> = [
            card("q1", 9.0, 9.0, 3, true),
            card("q2", 0.0, 2.0, 1, false),
        ]
        .into_iter()
        .collect();
        let m = mastery_of(&["q1", "q2", "q3", "q4"], &cards);
        assert_eq!((m.total, m.seen), (4, 2));
        assert!((m.prior - 0.5).abs() < 1e-12);
        assert!((m.mastery - 0.725).abs() < 1e-9, "{}", m.mastery);
        assert!((m.own_variance - 0.010_334_821).abs() < 1e-9);
        assert!((m.overall_loading - 1.0 / 3.0).abs() < 1e-12);
        assert!((m.variance - 0.015_890_377).abs() < 1e-9, "{}", m.variance);
    }

    #[test]
    fn hand_computed_readiness() {
        let area = |w: f64, m: f64, v: f64, loading: f64| AreaMastery {
            domain_id: "x".into(),
            name: "x".into(),
            weight: w,
            total: 10,
            seen: 10,
            mastery: m,
            variance: v,
            own_variance: v,
            overall_loading: loading,
            low: 0.0,
            high: 1.0,
            prior: 0.5,
        };
        let overall = OverallRate {
            mean: 0.7,
            variance: 0.01,
        };
        // Two areas 60/40 at 0.8 and 0.5: predicted 0.68.
        // own var = 0.36·0.01 + 0.16·0.02 = 0.0068; with no loading on the overall rate,
        // draw var = (0.6·0.16 + 0.4·0.25)/100 = 0.00196.
        // sd = sqrt(0.00876) = 0.093595; P(score ≥ 0.70) = 1 − Φ(0.02/0.093595) = 1 − Φ(0.21369) = 0.4154.
        let r = readiness(
            &[area(0.6, 0.8, 0.01, 0.0), area(0.4, 0.5, 0.02, 0.0)],
            &overall,
            0.70,
            100,
        );
        assert!((r.predicted - 0.68).abs() < 1e-12);
        assert!(
            (r.pass_probability - 0.4154).abs() < 5e-4,
            "{}",
            r.pass_probability
        );
        let half = 1.959_964 * 0.00876f64.sqrt();
        assert!((r.low - (0.68 - half)).abs() < 1e-6 && (r.high - (0.68 + half)).abs() < 1e-6);

        // Loadings 0.5 and 0.25 on an overall rate of variance 0.01 add
        // (0.6·0.5 + 0.4·0.25)² × 0.01 = 0.0016: var 0.01036, sd 0.101784,
        // P = 1 − Φ(0.02/0.101784) = 1 − Φ(0.196494) = 0.4221.
        let r = readiness(
            &[area(0.6, 0.8, 0.01, 0.5), area(0.4, 0.5, 0.02, 0.25)],
            &overall,
            0.70,
            100,
        );
        assert!(
            (r.pass_probability - 0.4221).abs() < 5e-4,
            "{}",
            r.pass_probability
        );
        let half = 1.959_964 * 0.01036f64.sqrt();
        assert!((r.high - (0.68 + half)).abs() < 1e-6);
    }

    #[test]
    fn band_narrows_as_evidence_grows() {
        let ids: Vec<String> = (0..20).map(|i| format!("q{i}")).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut cards = HashMap::new();
        let mut sds = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            let (k, c) = card(id, 1.0, 30.0, 4, i % 4 != 0);
            cards.insert(k, c);
            sds.push(mastery_of(&ids, &cards).variance.sqrt());
        }
        // A Beta's spread can grow a little when a surprise moves its mean toward 50%, so
        // the check is over blocks of four answers (each with one wrong first try).
        let blocks: Vec<f64> = sds.chunks(4).map(|c| c[3]).collect();
        assert!(blocks.windows(2).all(|w| w[1] < w[0]), "{sds:?}");
        assert!(sds[19] < sds[0] / 3.0, "{sds:?}");
    }

    /// Ten equal areas of 30 questions; `seen` first tries in each of the first `areas_seen`,
    /// all right.
    fn ten_areas(areas_seen: usize, seen: usize) -> (Vec<AreaMastery>, OverallRate) {
        let evidence: Vec<AreaEvidence> = (0..10)
            .map(|a| {
                let s = if a < areas_seen { seen } else { 0 };
                AreaEvidence {
                    total: 30,
                    seen: s,
                    first_right: s,
                    sum_r: 0.95 * s as f64,
                    sum_var: 0.0,
                }
            })
            .collect();
        let overall = OverallRate::from_areas(&evidence);
        let areas = evidence
            .iter()
            .map(|e| AreaMastery {
                weight: 0.1,
                ..area_mastery(e, &overall)
            })
            .collect();
        (areas, overall)
    }

    #[test]
    fn a_new_learner_gets_a_band_that_admits_not_knowing() {
        // Treating ten unseen areas as independent would average their doubts away
        // (sd 0.122 with the draw); they share one unknown, the learner.
        let (areas, overall) = ten_areas(0, 0);
        let r = readiness(&areas, &overall, 0.7, 150);
        assert!((r.predicted - 0.5).abs() < 1e-12);
        assert!(r.low < 0.01 && r.high > 0.99, "{r:?}");
        // var = 10·0.01·0.05 + 1²·(1/12) + 0.25/150 = 0.09, sd 0.3:
        // P(pass) = 1 − Φ(0.2/0.3) = 0.2525, where independent areas would say 1 − Φ(1.63) = 0.051.
        assert!((r.pass_probability - 0.2525).abs() < 1e-3, "{r:?}");
    }

    #[test]
    fn strength_in_some_areas_lifts_the_estimate_of_unseen_ones() {
        let (areas, _) = ten_areas(3, 10);
        // 30 of 30 first tries right → overall Beta(31, 1): mean 31/32.
        assert!((areas[9].prior - 31.0 / 32.0).abs() < 1e-12);
        assert!(areas[9].mastery > 0.9, "{:?}", areas[9]);
        // Seen areas lean less on the overall rate than unseen ones.
        assert!(areas[0].overall_loading < areas[9].overall_loading);
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
