//! Readiness on a calibrated scale: when a study group's results have placed the bank's
//! questions on a Rasch logit scale (`crate::rasch`), the learner's ability is estimated on
//! that scale from their first tries at calibrated questions, and the next mock exam's score
//! and the chance of passing come from P(right) = σ(θ − b) for each question, with the
//! uncertainty of θ, of the difficulties and of the draw. Seen questions still lean on their
//! own record as in the model without calibration ([`super::chance_right`]).
//!
//! docs/readiness.md, "Readiness on a calibrated scale", explains when each model is shown.

use super::{Readiness, RealismSums, SeenItem, band, chance_right, guess_chance, pass_probability};
use crate::bank::Bank;
use crate::rasch::saved::LoadedCalibration;
use crate::rasch::{Ability, estimate_ability};
use crate::srs::CardRecord;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// First tries at calibrated questions needed before θ is worth showing: with ten, its
/// standard error is about 0.7 logits (a band of roughly ±15 points on a mid-range score).
pub const MIN_CALIBRATED_FIRST_TRIES: usize = 10;

/// Which model the readiness figures come from.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadinessModel {
    /// The model from first tries and the bank's difficulty labels (no usable calibration).
    FirstTries,
    Rasch(RaschFigures),
}

#[derive(Debug, Clone, PartialEq)]
pub struct RaschFigures {
    /// θ on the calibration's scale, with its standard error.
    pub ability: Ability,
    /// Bank questions with a calibrated difficulty, of all the bank's questions.
    pub calibrated_questions: usize,
    pub bank_questions: usize,
    /// Where the difficulties came from.
    pub source: String,
    pub members: usize,
    pub responses: usize,
    pub calibrated_at: DateTime<Utc>,
}

/// The calibrated readiness, or why it cannot be given (for the dashboard to say).
pub fn readiness(
    bank: &Bank,
    cards: &HashMap<String, CardRecord>,
    calibration: &LoadedCalibration,
    realism: &RealismSums,
    pass_mark: f64,
    now: DateTime<Utc>,
) -> Result<(Readiness, RaschFigures), String> {
    let difficulties = calibration.difficulties();
    let seen = |id: &str| cards.get(id).filter(|c| c.reviews > 0);
    let first_tries: Vec<(f64, bool)> = bank
        .questions
        .iter()
        .filter_map(|q| {
            let (b, _) = difficulties.get(&q.id)?;
            Some((*b, seen(&q.id)?.first_correct))
        })
        .collect();
    if first_tries.len() < MIN_CALIBRATED_FIRST_TRIES {
        return Err(format!(
            "A study group's calibration is saved for this bank; readiness on it needs first tries at {MIN_CALIBRATED_FIRST_TRIES} calibrated questions (you have {}).",
            first_tries.len()
        ));
    }
    let Some(ability) = estimate_ability(&first_tries) else {
        return Err("No first tries at calibrated questions yet.".into());
    };
    let rho = realism.factor();
    let fallback = mean(difficulties.values().map(|(b, _)| *b)).unwrap_or(0.0);
    // An uncalibrated question counts at its area's mean calibrated difficulty, which is
    // itself uncertain: a mean of k difficulties spread by sd is known to sd/√k, and every
    // uncalibrated question of the area moves with it (one shared error per area).
    let sd = spread(difficulties.values().map(|(b, _)| *b)).unwrap_or(1.0);
    let blueprint = crate::exam::Blueprint::for_bank(bank, bank.manifest.exam.questions as usize);
    let n = blueprint.total().max(1);
    let n_f = n as f64;
    let (mut predicted, mut on_theta, mut on_rho) = (0.0, 0.0, 0.0);
    let (mut from_difficulties, mut draw) = (0.0, 0.0);
    for d in &bank.manifest.domains {
        let drawn = blueprint.count_for(&d.id);
        let questions: Vec<_> = bank.questions_in(&d.id).collect();
        if drawn == 0 || questions.is_empty() {
            continue;
        }
        let calibrated: Vec<f64> = questions
            .iter()
            .filter_map(|q| difficulties.get(&q.id).map(|x| x.0))
            .collect();
        let area_b = mean(calibrated.iter().copied()).unwrap_or(fallback);
        let area_b_se = sd / (calibrated.len().max(1) as f64).sqrt();
        let mut area = AreaSums::default();
        let mut uncalibrated_on_theta = 0.0;
        for q in &questions {
            let known = difficulties.get(&q.id).copied();
            let (b, se) = known.unwrap_or((area_b, 0.0));
            let p = crate::rasch::ability::sigmoid(ability.theta - b);
            let item = seen(&q.id).map(|c| SeenItem::of(c, guess_chance(q), now));
            let chance = chance_right(p, item, rho);
            let recall = item.map_or(0.0, |s| s.recall);
            let d_theta = (1.0 - rho * recall) * p * (1.0 - p);
            area.add(
                chance,
                d_theta,
                item.map_or(0.0, |s| (s.target - p) * s.recall),
                se,
            );
            if known.is_none() {
                uncalibrated_on_theta += d_theta;
            }
        }
        let total = questions.len() as f64;
        let share = drawn as f64 / n_f;
        let m = area.sum_p / total;
        predicted += share * m;
        on_theta += share * area.sum_theta / total;
        on_rho += share * area.sum_rho / total;
        // Each calibrated difficulty's doubt moves only its own question's chance; the
        // area mean's doubt moves every uncalibrated question of the area together.
        from_difficulties +=
            (share / total).powi(2) * (area.sum_b2 + (uncalibrated_on_theta * area_b_se).powi(2));
        let spread = (area.sum_p2 / total - m * m).max(0.0);
        let answer_variance = (m - area.sum_p2 / total).max(0.0);
        let fpc = if questions.len() > 1 {
            ((total - drawn as f64) / (total - 1.0)).max(0.0)
        } else {
            0.0
        };
        draw += drawn as f64 * (answer_variance + spread * fpc) / (n_f * n_f);
    }
    let variance = on_theta.powi(2) * ability.se.powi(2)
        + on_rho.powi(2) * realism.variance()
        + from_difficulties
        + draw;
    let (low, high) = band(predicted, variance);
    let readiness = Readiness {
        predicted,
        low,
        high,
        pass_mark,
        pass_probability: pass_probability(predicted, variance, pass_mark, n),
        exam_questions: n,
    };
    let figures = RaschFigures {
        ability,
        calibrated_questions: bank
            .questions
            .iter()
            .filter(|q| difficulties.contains_key(&q.id))
            .count(),
        bank_questions: bank.questions.len(),
        source: calibration.saved.source.clone(),
        members: calibration.saved.members,
        responses: calibration.saved.responses,
        calibrated_at: calibration.saved.created_at,
    };
    Ok((readiness, figures))
}

/// Difficulties relative to their area's mean calibrated difficulty: what the model without
/// a usable θ reads in place of the difficulty labels ([`super::ModelInputs::difficulties`]).
pub fn relative_difficulties(bank: &Bank, calibration: &LoadedCalibration) -> HashMap<String, f64> {
    let difficulties = calibration.difficulties();
    let mut out = HashMap::new();
    for d in &bank.manifest.domains {
        let calibrated: Vec<(&str, f64)> = bank
            .questions_in(&d.id)
            .filter_map(|q| difficulties.get(&q.id).map(|x| (q.id.as_str(), x.0)))
            .collect();
        let Some(m) = mean(calibrated.iter().map(|x| x.1)) else {
            continue;
        };
        out.extend(
            calibrated
                .into_iter()
                .map(|(id, b)| (id.to_string(), b - m)),
        );
    }
    out
}

/// The sample standard deviation (None for fewer than two values).
fn spread(values: impl Iterator<Item = f64> + Clone) -> Option<f64> {
    let m = mean(values.clone())?;
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), x| (s + (x - m).powi(2), n + 1));
    (n > 1).then(|| (sum / (n - 1) as f64).sqrt())
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// One area's questions, summed.
#[derive(Default)]
struct AreaSums {
    sum_p: f64,
    sum_p2: f64,
    sum_theta: f64,
    sum_rho: f64,
    /// Σ (∂P/∂b · se)², with ∂P/∂b = −∂P/∂θ.
    sum_b2: f64,
}

impl AreaSums {
    fn add(&mut self, p: f64, d_theta: f64, d_rho: f64, difficulty_se: f64) {
        self.sum_p += p;
        self.sum_p2 += p * p;
        self.sum_theta += d_theta;
        self.sum_rho += d_rho;
        self.sum_b2 += (d_theta * difficulty_se).powi(2);
    }
}

/// One line saying which model the readiness figures come from, for the dashboard and the
/// CLI; a second line says why a calibration was not used, if one was there.
pub fn describe(model: &ReadinessModel, note: Option<&str>) -> Vec<String> {
    let mut lines = vec![match model {
        ReadinessModel::Rasch(f) => format!(
            "Model: Rasch, on a study group's calibration ({}; {} members, {} answers, {}). Your ability {:+.2} ± {:.2} logits from {} first tries at calibrated questions; {} of {} questions calibrated.",
            f.source,
            f.members,
            f.responses,
            f.calibrated_at.format("%Y-%m-%d"),
            f.ability.theta,
            f.ability.se,
            f.ability.answered,
            f.calibrated_questions,
            f.bank_questions
        ),
        ReadinessModel::FirstTries => {
            "Model: your first tries per area and the bank's difficulty labels (no study-group calibration in use)."
                .to_string()
        }
    }];
    if let Some(note) = note {
        lines.push(note.to_string());
    }
    lines
}
