//! Mastery per skill area and readiness: the chance of answering the questions of a mock exam
//! right, from the learner's answers in the database. The model, why it is built this way,
//! worked examples and its calibration on simulated learners are in `docs/readiness.md`.
//!
//! For a question i of area a, P_i is the chance of answering it right now:
//!
//! - **unseen**: p_a, the learner's ability in the area, from *first tries* (answers to
//!   questions never seen before; later answers are helped by memory of that very question),
//!   weighted by how recent they are (learners improve over the months before an exam), as a
//!   Beta posterior shrunk toward the learner's first-try rate over the whole bank.
//! - **seen**: P_i = p_a + ρ · (T_i − p_a) · R_i. T_i is what the question's own answers say
//!   (the latest one most), R_i its FSRS recall now, so a wrong answer's evidence fades back to
//!   p_a as its short stability decays, and a right answer's as it is forgotten. ρ, the learner's
//!   *realism*, says how far a question's own record carries over to an exam: it is estimated
//!   from mock-exam answers to questions seen before (see [`RealismSums`]).
//!
//! Mastery of an area is the mean of P_i over its questions; readiness the blueprint-weighted
//! sum, with an 80% band for the next mock exam's score and the chance it reaches the pass mark.

pub mod rasch;

use crate::bank::{Bank, Question, QuestionType};
use crate::rasch::saved::LoadedCalibration;
use crate::srs::{CardRecord, Review, Scheduler};
use chrono::{DateTime, Utc};
pub use rasch::{RaschFigures, ReadinessModel};
use std::collections::HashMap;
use std::sync::Arc;

/// Prior pseudo-counts of the overall first-try rate (Beta(1, 1): no opinion before the first
/// answer).
pub const PRIOR_ALPHA: f64 = 1.0;
pub const PRIOR_BETA: f64 = 1.0;
/// What a step of the bank's difficulty label (1 easy, 2, 3 hard) is taken to mean before the
/// learner's own first tries say, in logits, and how much that assumption weighs (in units
/// of Σ tries·(label − mean label)²: 100 first tries split evenly over two labels are 25).
pub const LABEL_STEP_PRIOR: f64 = -0.5;
pub const LABEL_STEP_PRIOR_WEIGHT: f64 = 10.0;
/// How much an area's ability leans on the overall first-try rate, in (weighted) first tries
/// of the area's own: after 4 recent first tries in an area, its own record and the overall
/// rate weigh the same.
pub const AREA_SHRINK: f64 = 4.0;
/// A first try counts half as much as one this many days newer. Learners improve over the
/// two to five months before an exam; a mock exam's many fresh first tries should outweigh
/// what was true when study began.
pub const FIRST_TRY_HALF_LIFE_DAYS: f64 = 21.0;
/// How much of a seen question's evidence is its latest answer (the rest is its record).
pub const LAST_ANSWER_SHARE: f64 = 0.6;
/// The chance of a wrong answer to a question the learner knows.
pub const SLIP: f64 = 0.05;
/// The realism factor before any mock exam, and how much evidence that prior is worth (in
/// units of Σ m², see [`RealismSums`]: a mock exam's 40 seen questions with m ≈ 0.25 add
/// 2.5). Below 1 because a question's own record overstates the exam: a first answer can be
/// right by reasoning without being learnt, and memory fades faster than FSRS's default
/// weights say for many learners (tuned on simulated learners, seed 7; docs/readiness.md).
pub const REALISM_PRIOR: f64 = 0.6;
pub const REALISM_PRIOR_WEIGHT: f64 = 3.0;
/// Variance of one answer around its chance, for the uncertainty of ρ (p(1 − p) near 70%).
const ANSWER_VARIANCE: f64 = 0.21;
/// The band shown is the central 80% of the next mock exam's likely scores.
pub const BAND_LEVEL: f64 = 0.80;
const Z80: f64 = 1.281_551_565_544_600_5;

#[derive(Debug, Clone, PartialEq)]
pub struct AreaMastery {
    pub domain_id: String,
    pub name: String,
    /// Normalised blueprint weight (sums to 1 over the bank).
    pub weight: f64,
    /// Questions a mock exam of the bank's length draws from the area (the blueprint), and
    /// their share of the exam: what readiness weighs the area by.
    pub drawn: usize,
    pub exam_share: f64,
    pub total: usize,
    pub seen: usize,
    /// Expected chance of answering a question of the area right today: the mean of P_i.
    pub mastery: f64,
    /// Variance of `mastery` from what the model does not know (ability, the overall rate,
    /// realism); not the luck of which questions an exam draws.
    pub variance: f64,
    pub low: f64,
    pub high: f64,
    /// p_a: the chance of answering an unseen question of the area right.
    pub ability: f64,
    /// The Beta posterior's variance of `ability` with the overall rate held fixed.
    pub ability_own_variance: f64,
    /// How far `ability` moves when the overall first-try rate moves by one: κ/(κ + tries).
    pub ability_on_overall: f64,
    /// ∂mastery/∂ability: 1 for an unseen area, less as seen questions rest on their own
    /// record.
    pub on_ability: f64,
    /// ∂mastery/∂ρ: the mean of (T_i − p_a)·R_i over the area's questions.
    pub on_realism: f64,
    /// Σ P_i(1 − P_i) / N and the variance of P_i over the area's questions: the luck of
    /// the draw of an exam.
    pub answer_variance: f64,
    pub spread: f64,
    /// The mean chance on the area's unseen questions: the ability, moved by their
    /// difficulty (what the exam-date plan counts a question still to be met with).
    pub unseen_chance: f64,
}

/// One category of the bank (the CETL reports its three), with its areas' mastery combined.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryMastery {
    pub name: String,
    /// Its share of a mock exam's questions (0..1).
    pub exam_share: f64,
    pub mastery: f64,
    /// Positions in [`MasteryReport::areas`].
    pub areas: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Readiness {
    /// Predicted score on the next mock exam drawn by the blueprint, 0..1.
    pub predicted: f64,
    /// The central 80% of likely scores ([`BAND_LEVEL`]).
    pub low: f64,
    pub high: f64,
    /// The learner's assumed pass mark, 0..1 (the real exam's raw cut is not published).
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
    /// ρ, the realism factor in use.
    pub realism: f64,
    /// The learner-level figures the questions' chances were built from.
    pub learner: Learner,
    /// Which model `readiness` comes from.
    pub model: ReadinessModel,
    /// Why a calibration was not used, when there is one (or a file that could not be read).
    pub model_note: Option<String>,
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

    /// Mastery by the bank's categories, each the mean of its areas' mastery weighted by
    /// their share of a mock exam, with the positions of its areas in `areas`.
    pub fn by_category(&self, bank: &Bank) -> Vec<CategoryMastery> {
        bank.categories()
            .into_iter()
            .map(|(name, areas)| {
                let (mut sum, mut share) = (0.0, 0.0);
                for a in areas.iter().filter_map(|&i| self.areas.get(i)) {
                    sum += a.exam_share * a.mastery;
                    share += a.exam_share;
                }
                CategoryMastery {
                    name,
                    exam_share: share,
                    mastery: if share > 0.0 { sum / share } else { 0.0 },
                    areas,
                }
            })
            .collect()
    }

    pub fn by_area(&self) -> HashMap<String, f64> {
        self.areas
            .iter()
            .map(|a| (a.domain_id.clone(), a.mastery))
            .collect()
    }
}

/// What the model reads besides the cards: the learner's settings and the evidence mock
/// exams left.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelInputs {
    pub realism: RealismSums,
    /// The pass mark the learner assumes, 0..1.
    pub pass_mark: f64,
    /// Calibrated item difficulties in logits relative to their area's calibrated mean
    /// (from `calibration`, [`rasch::relative_difficulties`]). A listed unseen question counts
    /// with σ(logit(p_a) − d) instead of p_a and its label.
    pub difficulties: HashMap<String, f64>,
    /// A study group's calibration of the bank: readiness comes from it (on the Rasch scale)
    /// once the learner has enough first tries at calibrated questions.
    pub calibration: Option<Arc<LoadedCalibration>>,
    /// Why a calibration file was there but not used (for the dashboard to say).
    pub calibration_problem: Option<String>,
}

impl ModelInputs {
    /// No mock-exam evidence yet and the bank's own pass mark.
    pub fn for_bank(bank: &Bank) -> ModelInputs {
        ModelInputs {
            realism: RealismSums::default(),
            pass_mark: bank.manifest.exam.pass_percent / 100.0,
            difficulties: HashMap::new(),
            calibration: None,
            calibration_problem: None,
        }
    }

    /// These inputs with `calibration` in use: its difficulties replace the labels, and
    /// readiness comes from it when the learner's first tries allow.
    pub fn with_calibration(self, bank: &Bank, calibration: LoadedCalibration) -> ModelInputs {
        ModelInputs {
            difficulties: rasch::relative_difficulties(bank, &calibration),
            calibration: Some(Arc::new(calibration)),
            ..self
        }
    }
}

// ---------------------------------------------------------------------------------------------
// One question

/// The chance of answering `q` right by guessing: one of its options for a single answer, one
/// of the C(n, k) sets of k options for "choose k", one in two for true/false.
pub fn guess_chance(q: &Question) -> f64 {
    let n = q.options.len().max(1);
    match q.kind {
        QuestionType::TrueFalse => 0.5,
        QuestionType::Single => 1.0 / n as f64,
        QuestionType::Multiple => {
            let k = q.options.iter().filter(|o| o.correct).count().clamp(1, n);
            1.0 / binomial(n, k)
        }
    }
}

fn binomial(n: usize, k: usize) -> f64 {
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

/// T_i, what a seen question's own answers say about answering it: K = 0.6·[latest right] +
/// 0.4·(right / answers) is how well it is known, and a known question is answered right
/// unless the learner slips, an unknown one only by a guess.
pub fn item_target(card: &CardRecord, guess: f64) -> f64 {
    let share = (card.correct as f64 / card.reviews.max(1) as f64).clamp(0.0, 1.0);
    let last = if card.last_correct { 1.0 } else { 0.0 };
    let known = LAST_ANSWER_SHARE * last + (1.0 - LAST_ANSWER_SHARE) * share;
    known * (1.0 - SLIP) + (1.0 - known) * guess
}

/// A seen question as the model reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeenItem {
    /// T_i: what its own answers say.
    pub target: f64,
    /// R_i: its FSRS recall at the moment the chance is for.
    pub recall: f64,
}

impl SeenItem {
    pub fn of(card: &CardRecord, guess: f64, at: DateTime<Utc>) -> SeenItem {
        SeenItem {
            target: item_target(card, guess),
            recall: card.retrievability(at),
        }
    }
}

/// P_i, the chance of answering one question right: the area's ability `ability` for an
/// unseen question; for a seen one, the ability moved toward the question's own record by as
/// much as it is still remembered, times the learner's realism. The one function both today's
/// readiness and the exam-date plan use.
pub fn chance_right(ability: f64, seen: Option<SeenItem>, realism: f64) -> f64 {
    match seen {
        None => ability,
        Some(s) => (ability + realism * (s.target - ability) * s.recall).clamp(0.0, 1.0),
    }
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    (p / (1.0 - p)).ln()
}

use crate::rasch::ability::sigmoid;

// ---------------------------------------------------------------------------------------------
// Realism

/// The evidence mock exams give about ρ. At each submitted mock, for every answered question
/// seen before, with p its area's ability, m = (T − p)·R read from the cards *before* the
/// exam's reviews, and x = 1 for a right answer:
///
/// ρ = (Σ m(x − p) + M₀·ρ₀) / (Σ m² + M₀),  clamped to 0..1,
///
/// the least-squares slope of "how far the exam answer was from the ability" on "how far the
/// model said it would be", with a prior ρ₀ = [`REALISM_PRIOR`] worth M₀ =
/// [`REALISM_PRIOR_WEIGHT`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RealismSums {
    /// Σ m·(x − p)
    pub sum_mx: f64,
    /// Σ m²
    pub sum_mm: f64,
    /// How many exam answers went in.
    pub answers: u32,
}

impl RealismSums {
    pub fn add(&mut self, m: f64, right: bool, ability: f64) {
        let x = if right { 1.0 } else { 0.0 };
        self.sum_mx += m * (x - ability);
        self.sum_mm += m * m;
        self.answers += 1;
    }

    pub fn plus(self, other: RealismSums) -> RealismSums {
        RealismSums {
            sum_mx: self.sum_mx + other.sum_mx,
            sum_mm: self.sum_mm + other.sum_mm,
            answers: self.answers + other.answers,
        }
    }

    /// ρ.
    pub fn factor(&self) -> f64 {
        let rho = (self.sum_mx + REALISM_PRIOR_WEIGHT * REALISM_PRIOR)
            / (self.sum_mm + REALISM_PRIOR_WEIGHT);
        if rho.is_finite() {
            rho.clamp(0.0, 1.0)
        } else {
            REALISM_PRIOR
        }
    }

    /// Var(ρ): an answer's variance over the evidence's weight.
    pub fn variance(&self) -> f64 {
        ANSWER_VARIANCE / (self.sum_mm.max(0.0) + REALISM_PRIOR_WEIGHT)
    }
}

/// What a submitted exam teaches certprep: the FSRS reviews of its answered questions, and
/// the realism evidence of those seen before. The app and the simulation both apply an
/// exam through this.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExamEvidence {
    pub reviews: Vec<Review>,
    pub realism: RealismSums,
}

/// The reviews and realism evidence of an exam's answered items, `answered` as (question,
/// right?), read against `cards` as they were before the exam.
#[allow(clippy::too_many_arguments)]
pub fn exam_evidence(
    bank: &Bank,
    cards: &HashMap<String, CardRecord>,
    inputs: &ModelInputs,
    scheduler: &Scheduler,
    answered: &[crate::srs::AnsweredItem],
    now: DateTime<Utc>,
    attempt_id: i64,
) -> ExamEvidence {
    let learner = Learner::new(bank, cards, inputs);
    let mut realism = RealismSums::default();
    for crate::srs::AnsweredItem {
        question_id: qid,
        right,
        ..
    } in answered
    {
        let (Some(q), Some(card)) = (bank.question(qid), cards.get(qid)) else {
            continue;
        };
        let Some(start) = learner.start(q) else {
            continue;
        };
        if card.reviews == 0 {
            continue;
        }
        let seen = SeenItem::of(card, guess_chance(q), now);
        realism.add(
            (seen.target - start.chance) * seen.recall,
            *right,
            start.chance,
        );
    }
    ExamEvidence {
        reviews: scheduler.exam_reviews(bank.id(), cards, answered, now, attempt_id),
        realism,
    }
}

// ---------------------------------------------------------------------------------------------
// Ability from first tries

/// Recency-weighted first tries: right and wrong.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FirstTries {
    pub right: f64,
    pub wrong: f64,
}

impl FirstTries {
    pub fn count(&self) -> f64 {
        self.right + self.wrong
    }

    /// A first try `age_days` older than the newest one.
    pub fn add(&mut self, right: bool, age_days: f64) {
        self.add_weighted(right, first_try_weight(age_days));
    }

    fn add_weighted(&mut self, right: bool, w: f64) {
        if right {
            self.right += w;
        } else {
            self.wrong += w;
        }
    }
}

/// How much a first try `age_days` older than the newest one counts: half per
/// [`FIRST_TRY_HALF_LIFE_DAYS`].
fn first_try_weight(age_days: f64) -> f64 {
    0.5f64.powf(age_days.max(0.0) / FIRST_TRY_HALF_LIFE_DAYS)
}

/// The learner's first-try success rate over the whole bank: Beta(1 + right, 1 + wrong).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OverallRate {
    pub mean: f64,
    pub variance: f64,
}

impl OverallRate {
    pub fn from_areas(areas: &[FirstTries]) -> Self {
        let right: f64 = areas.iter().map(|t| t.right).sum();
        let wrong: f64 = areas.iter().map(|t| t.wrong).sum();
        let (mean, variance) = beta_moments(PRIOR_ALPHA + right, PRIOR_BETA + wrong);
        OverallRate { mean, variance }
    }
}

fn beta_moments(a: f64, b: f64) -> (f64, f64) {
    (a / (a + b), a * b / ((a + b).powi(2) * (a + b + 1.0)))
}

/// An area's ability p_a: Beta(κ·ḡ + right, κ·(1 − ḡ) + wrong), the area's own (weighted)
/// first tries on top of κ = [`AREA_SHRINK`] pseudo-tries at the overall rate ḡ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ability {
    pub mean: f64,
    /// The Beta's variance with ḡ held fixed.
    pub own_variance: f64,
    /// ∂p_a/∂ḡ = κ/(κ + tries): how much of the overall rate's doubt p_a carries.
    pub on_overall: f64,
}

pub fn area_ability(tries: &FirstTries, overall: &OverallRate) -> Ability {
    let (mean, own_variance) = beta_moments(
        AREA_SHRINK * overall.mean + tries.right,
        AREA_SHRINK * (1.0 - overall.mean) + tries.wrong,
    );
    Ability {
        mean,
        own_variance,
        on_overall: AREA_SHRINK / (AREA_SHRINK + tries.count()),
    }
}

// ---------------------------------------------------------------------------------------------
// Areas and readiness

/// The sums an area's figures are made of, one question at a time.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AreaSums {
    pub total: usize,
    pub seen: usize,
    sum_p: f64,
    sum_p2: f64,
    sum_on_ability: f64,
    sum_on_realism: f64,
    /// Σ of the unseen questions' starting chances.
    unseen_chance: f64,
}

impl AreaSums {
    /// Add one question: its chance P and its derivatives by ability and realism.
    pub fn add(&mut self, p: f64, on_ability: f64, on_realism: f64, seen: bool) {
        self.total += 1;
        self.seen += seen as usize;
        self.sum_p += p;
        self.sum_p2 += p * p;
        self.sum_on_ability += on_ability;
        self.sum_on_realism += on_realism;
    }

    /// Add one question: `start` is its chance unseen, `seen` what its own answers say.
    pub fn add_item(&mut self, start: Start, seen: Option<SeenItem>, realism: f64) {
        let p = chance_right(start.chance, seen, realism);
        match seen {
            None => {
                self.unseen_chance += start.chance;
                self.add(p, start.on_ability, 0.0, false)
            }
            Some(s) => self.add(
                p,
                (1.0 - realism * s.recall) * start.on_ability,
                (s.target - start.chance) * s.recall,
                true,
            ),
        }
    }

    /// The mean chance over the area's questions (the ability for an empty area).
    pub fn mean(&self, ability: f64) -> f64 {
        if self.total == 0 {
            ability
        } else {
            self.sum_p / self.total as f64
        }
    }
}

/// Mastery of one area from its questions' sums, its ability and the learner-level unknowns.
pub fn area_mastery(
    sums: &AreaSums,
    ability: &Ability,
    overall: &OverallRate,
    realism: &RealismSums,
) -> AreaMastery {
    let n = sums.total.max(1) as f64;
    let mastery = sums.mean(ability.mean);
    let (on_ability, on_realism) = if sums.total == 0 {
        (1.0, 0.0)
    } else {
        (sums.sum_on_ability / n, sums.sum_on_realism / n)
    };
    let variance = on_ability.powi(2)
        * (ability.own_variance + ability.on_overall.powi(2) * overall.variance)
        + on_realism.powi(2) * realism.variance();
    let spread = if sums.total == 0 {
        0.0
    } else {
        (sums.sum_p2 / n - mastery * mastery).max(0.0)
    };
    let (low, high) = band(mastery, variance);
    AreaMastery {
        domain_id: String::new(),
        name: String::new(),
        weight: 0.0,
        drawn: 0,
        exam_share: 0.0,
        total: sums.total,
        seen: sums.seen,
        mastery,
        variance,
        low,
        high,
        ability: ability.mean,
        ability_own_variance: ability.own_variance,
        ability_on_overall: ability.on_overall,
        on_ability,
        on_realism,
        answer_variance: (mastery - spread - mastery * mastery).max(0.0),
        spread,
        unseen_chance: if sums.total > sums.seen {
            sums.unseen_chance / (sums.total - sums.seen) as f64
        } else {
            ability.mean
        },
    }
}

fn band(mean: f64, variance: f64) -> (f64, f64) {
    let half = Z80 * variance.max(0.0).sqrt();
    ((mean - half).max(0.0), (mean + half).min(1.0))
}

/// The newest first try among `cards`: first tries are weighted by their age relative to it,
/// so a break from study does not wipe out what is known about the learner.
fn newest_first_try<'a>(cards: impl Iterator<Item = &'a CardRecord>) -> Option<DateTime<Utc>> {
    cards.map(|c| c.first_at).max()
}

fn age_days(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_seconds().max(0) as f64 / 86_400.0
}

/// A question's chance of a right answer before it is seen, and how it moves with its
/// area's ability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Start {
    pub chance: f64,
    /// ∂chance/∂p_a: 1 at the area's own difficulty, less toward 0 or 1.
    pub on_ability: f64,
}

/// s, the logits a step of the difficulty label moves a first try (negative: harder labels
/// are answered right less often): the slope of logit(rate of label l) on l, weighted by each
/// label's first tries, with the prior [`LABEL_STEP_PRIOR`]. Each label's rate is shrunk by
/// two tries at the overall rate `overall`, so a label with all first tries right or wrong
/// has a finite logit.
pub fn label_step(by_label: &[FirstTries; 4], overall: f64) -> f64 {
    let labelled = || (1..4).map(|l| (l as f64, &by_label[l]));
    let n: f64 = labelled().map(|(_, t)| t.count()).sum();
    if n <= 0.0 {
        return LABEL_STEP_PRIOR;
    }
    let z = |t: &FirstTries| logit((t.right + 2.0 * overall) / (t.count() + 2.0));
    let mean_l = labelled().map(|(l, t)| t.count() * l).sum::<f64>() / n;
    let mean_z = labelled().map(|(_, t)| t.count() * z(t)).sum::<f64>() / n;
    let sxy: f64 = labelled()
        .map(|(l, t)| t.count() * (l - mean_l) * (z(t) - mean_z))
        .sum();
    let sxx: f64 = labelled()
        .map(|(l, t)| t.count() * (l - mean_l).powi(2))
        .sum();
    (sxy + LABEL_STEP_PRIOR_WEIGHT * LABEL_STEP_PRIOR) / (sxx + LABEL_STEP_PRIOR_WEIGHT)
}

/// The difficulty label of a question as an index: 0 unlabelled, 1 easy, 2, 3 hard.
fn label(q: &Question) -> usize {
    q.difficulty.map_or(0, |d| usize::from(d.clamp(1, 3)))
}

/// What the model knows about the learner before reading any one question: each area's
/// ability, the overall rate, and how the bank's difficulty labels move a first try.
///
/// The study queue offers easier questions first, so an area's first tries lean easy and the
/// questions still unseen lean hard. The labels are read through the learner's own first
/// tries: a question labelled l is δ_l = s·(l − 2) logits easier or harder than the middle,
/// s being the weighted least-squares slope of the logit first-try rate per label on the
/// label, with a prior of [`LABEL_STEP_PRIOR`] (harder labels are answered less often)
/// worth [`LABEL_STEP_PRIOR_WEIGHT`]; an unlabelled question counts as the middle. An
/// area's first tries average δ̄_a (its κ pseudo-tries count 0), so its ability at the
/// middle difficulty is λ_a = logit(p_a) − δ̄_a, and a question labelled l starts at
/// σ(λ_a + δ_l). A calibrated difficulty d (logits above its area's mean,
/// [`ModelInputs::difficulties`]) replaces the label: σ(logit(p_a) − d).
#[derive(Debug, Clone, PartialEq)]
pub struct Learner {
    pub abilities: Vec<Ability>,
    pub overall: OverallRate,
    /// δ_l by label index (0 unlabelled, 1–3): s·(l − 2), 0 for unlabelled.
    pub label_offsets: [f64; 4],
    /// δ̄_a by area (manifest order).
    pub area_offsets: Vec<f64>,
    area_index: HashMap<String, usize>,
    difficulties: HashMap<String, f64>,
}

impl Learner {
    pub fn new(bank: &Bank, cards: &HashMap<String, CardRecord>, inputs: &ModelInputs) -> Self {
        let area_index = bank.domain_positions().clone();
        let seen = |q: &Question| cards.get(&q.id).filter(|c| c.reviews > 0);
        let newest = newest_first_try(bank.questions.iter().filter_map(seen));
        // (question, area, weight, right) of every first try, in bank order.
        let tries: Vec<(&Question, usize, f64, bool)> = bank
            .questions
            .iter()
            .filter_map(|q| {
                let c = seen(q)?;
                let area = *area_index.get(q.domain.as_str())?;
                let age = age_days(c.first_at, newest?);
                Some((q, area, first_try_weight(age), c.first_correct))
            })
            .collect();
        let mut by_area = vec![FirstTries::default(); area_index.len()];
        let mut by_label = [FirstTries::default(); 4];
        for &(q, area, w, right) in &tries {
            by_area[area].add_weighted(right, w);
            by_label[label(q)].add_weighted(right, w);
        }
        let overall = OverallRate::from_areas(&by_area);
        let step = label_step(&by_label, overall.mean);
        let label_offsets = [0.0, -step, 0.0, step];
        let mut offset_sums = vec![0.0; area_index.len()];
        for &(q, area, w, _) in &tries {
            offset_sums[area] += w * label_offsets[label(q)];
        }
        let area_offsets = offset_sums
            .iter()
            .zip(&by_area)
            .map(|(sum, t)| sum / (t.count() + AREA_SHRINK))
            .collect();
        Learner {
            abilities: by_area.iter().map(|t| area_ability(t, &overall)).collect(),
            overall,
            label_offsets,
            area_offsets,
            area_index,
            difficulties: inputs.difficulties.clone(),
        }
    }

    /// `q`'s chance before it is seen (None for a question of an area the bank lacks).
    pub fn start(&self, q: &Question) -> Option<Start> {
        let area = *self.area_index.get(q.domain.as_str())?;
        let p = self.abilities.get(area)?.mean;
        let shift = match self.difficulties.get(&q.id) {
            Some(d) => -d,
            None => self.label_offsets[label(q)] - self.area_offsets[area],
        };
        let chance = sigmoid(logit(p) + shift);
        // d σ(logit p + c)/dp = σ(1 − σ)/(p(1 − p)).
        let on_ability = chance * (1.0 - chance) / (p * (1.0 - p)).max(1e-9);
        Some(Start { chance, on_ability })
    }
}

/// Mastery of every area of `bank` and the readiness they add up to.
pub fn report(
    bank: &Bank,
    cards: &HashMap<String, CardRecord>,
    inputs: &ModelInputs,
    now: DateTime<Utc>,
) -> MasteryReport {
    let learner = Learner::new(bank, cards, inputs);
    let rho = inputs.realism.factor();
    let blueprint = crate::exam::Blueprint::for_bank(bank, bank.manifest.exam.questions as usize);
    let exam_questions = blueprint.total().max(1);
    let areas: Vec<AreaMastery> = bank
        .manifest
        .domains
        .iter()
        .zip(&learner.abilities)
        .map(|(d, ability)| {
            let mut sums = AreaSums::default();
            for q in bank.questions_in(&d.id) {
                let Some(start) = learner.start(q) else {
                    continue;
                };
                let seen = cards
                    .get(&q.id)
                    .filter(|c| c.reviews > 0)
                    .map(|c| SeenItem::of(c, guess_chance(q), now));
                sums.add_item(start, seen, rho);
            }
            AreaMastery {
                domain_id: d.id.clone(),
                name: d.name.clone(),
                weight: bank.weight_share(d),
                drawn: blueprint.count_for(&d.id),
                exam_share: blueprint.count_for(&d.id) as f64 / exam_questions as f64,
                ..area_mastery(&sums, ability, &learner.overall, &inputs.realism)
            }
        })
        .collect();
    let mut readiness = readiness(&areas, &learner.overall, &inputs.realism, inputs.pass_mark);
    let mut model = ReadinessModel::FirstTries;
    let mut model_note = inputs.calibration_problem.clone();
    if let Some(calibration) = &inputs.calibration {
        match rasch::readiness(
            bank,
            cards,
            calibration,
            &inputs.realism,
            inputs.pass_mark,
            now,
        ) {
            Ok((calibrated, figures)) => {
                readiness = calibrated;
                model = ReadinessModel::Rasch(figures);
            }
            Err(why) => model_note = Some(why),
        }
    }
    MasteryReport {
        bank_id: bank.id().to_string(),
        seen: areas.iter().map(|a| a.seen).sum(),
        total: areas.iter().map(|a| a.total).sum(),
        areas,
        readiness,
        realism: rho,
        learner,
        model,
        model_note,
    }
}

/// The next mock exam's score, for an exam drawing `drawn` questions from each area.
///
/// Predicted = Σ s_a·m_a with s_a = n_a/n. Its variance adds what the model does not know,
/// each unknown's loadings summed over the areas it moves together before squaring:
/// Σ s_a² L_a² Var_own(p_a) (each area's own ability) + (Σ s_a L_a c_a)² Var(ḡ) (the overall
/// rate every area leans on) + (Σ s_a D_a)² Var(ρ) (one realism for all), and the luck of the
/// draw: which n_a questions of N_a are drawn and how each is answered,
/// Σ n_a [mean P(1 − P) + Var(P)·(N_a − n_a)/(N_a − 1)] / n².
pub fn readiness(
    areas: &[AreaMastery],
    overall: &OverallRate,
    realism: &RealismSums,
    pass_mark: f64,
) -> Readiness {
    let n: usize = areas.iter().map(|a| a.drawn).sum();
    let n_f = n.max(1) as f64;
    let mut predicted = 0.0;
    let (mut own, mut on_overall, mut on_realism, mut draw) = (0.0, 0.0, 0.0, 0.0);
    for a in areas {
        let s = a.drawn as f64 / n_f;
        predicted += s * a.mastery;
        own += (s * a.on_ability).powi(2) * a.ability_own_variance;
        on_overall += s * a.on_ability * a.ability_on_overall;
        on_realism += s * a.on_realism;
        let n_a = a.drawn as f64;
        let fpc = if a.total > 1 {
            ((a.total as f64 - n_a) / (a.total as f64 - 1.0)).max(0.0)
        } else {
            0.0
        };
        draw += n_a * (a.answer_variance + a.spread * fpc) / (n_f * n_f);
    }
    let variance = own
        + on_overall.powi(2) * overall.variance
        + on_realism.powi(2) * realism.variance()
        + draw;
    let (low, high) = band(predicted, variance);
    Readiness {
        predicted,
        low,
        high,
        pass_mark,
        pass_probability: pass_probability(predicted, variance, pass_mark, n.max(1)),
        exam_questions: n,
    }
}

/// P(score ≥ pass mark) on an exam of `n` questions: the score is a count, so the cut is the
/// first whole number of right answers at or above the mark, with a continuity correction.
pub fn pass_probability(mean: f64, variance: f64, pass_mark: f64, n: usize) -> f64 {
    let n = n as f64;
    let cut = (pass_mark * n - 1e-9).ceil().max(0.0);
    let sd = variance.max(0.0).sqrt() * n;
    let gap = cut - 0.5 - mean * n;
    if sd < 1e-12 {
        return if gap <= 0.0 { 1.0 } else { 0.0 };
    }
    1.0 - normal_cdf(gap / sd)
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

// ---------------------------------------------------------------------------------------------
// Calibration

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

    fn days_ago(days: f64) -> DateTime<Utc> {
        now() - chrono::Duration::seconds((days * 86_400.0) as i64)
    }

    /// A card last reviewed `last` days ago with stability `s`, first answered `first` days
    /// ago, with `correct` of `reviews` answers right.
    #[allow(clippy::too_many_arguments)]
    fn card(
        id: &str,
        last: f64,
        s: f64,
        reviews: u32,
        correct: u32,
        first_correct: bool,
        last_correct: bool,
        first: f64,
    ) -> (String, CardRecord) {
        (
            id.to_string(),
            CardRecord {
                question_id: id.to_string(),
                card: Card {
                    due: days_ago(last),
                    stability: s,
                    difficulty: 5.0,
                    elapsed_days: 0,
                    scheduled_days: 0,
                    reps: reviews as i32,
                    lapses: 0,
                    state: State::Review,
                    last_review: days_ago(last),
                    step: 0,
                    // The hand computations below use FSRS-5's curve, R = (1 + 19/81 · t/S)^-0.5.
                    decay: crate::srs::FSRS5_DECAY,
                },
                reviews,
                correct,
                first_correct,
                last_correct,
                first_at: days_ago(first),
            },
        )
    }

    fn question(kind: QuestionType, options: usize, correct: usize) -> Question {
        Question {
            id: "q".into(),
            domain: "a".into(),
            kind,
            scenario: None,
            stem: "?".into(),
            options: (0..options)
                .map(|i| crate::bank::AnswerOption {
                    id: format!("o{i}"),
                    text: format!("option {i}"),
                    correct: i < correct,
                    explanation: None,
                })
                .collect(),
            explanation: None,
            difficulty: None,
            tags: Vec::new(),
            reference: None,
        }
    }

    #[test]
    fn guessing_chances_by_question_type() {
        assert_eq!(guess_chance(&question(QuestionType::Single, 4, 1)), 0.25);
        assert_eq!(guess_chance(&question(QuestionType::Single, 5, 1)), 0.2);
        // Choose 2 of 5: C(5, 2) = 10 sets.
        assert!((guess_chance(&question(QuestionType::Multiple, 5, 2)) - 0.1).abs() < 1e-12);
        assert_eq!(guess_chance(&question(QuestionType::TrueFalse, 2, 1)), 0.5);
    }

    #[test]
    fn item_target_hand_computed() {
        // 2 of 3 right, the latest wrong: K = 0.6·0 + 0.4·2/3 = 0.26667,
        // T = 0.26667·0.95 + 0.73333·0.25 = 0.25333 + 0.18333 = 0.43667.
        let (_, c) = card("q", 1.0, 5.0, 3, 2, true, false, 30.0);
        assert!((item_target(&c, 0.25) - 0.436_666_667).abs() < 1e-9);
        // Once, right: K = 1, T = 1 − slip.
        let (_, c) = card("q", 1.0, 5.0, 1, 1, true, true, 1.0);
        assert!((item_target(&c, 0.25) - 0.95).abs() < 1e-12);
        // Once, wrong: K = 0, T = the guessing chance.
        let (_, c) = card("q", 1.0, 5.0, 1, 0, false, false, 1.0);
        assert!((item_target(&c, 0.25) - 0.25).abs() < 1e-12);
    }

    #[test]
    fn chance_right_hand_computed() {
        let p = 0.6;
        assert_eq!(chance_right(p, None, 0.8), 0.6);
        // Right and well remembered: 0.6 + 0.8·(0.95 − 0.6)·0.9 = 0.6 + 0.252 = 0.852.
        let known = SeenItem {
            target: 0.95,
            recall: 0.9,
        };
        assert!((chance_right(p, Some(known), 0.8) - 0.852).abs() < 1e-12);
        // Wrong a moment ago (R = 1): the guessing chance, not "recall 100%".
        let just_wrong = SeenItem {
            target: 0.25,
            recall: 1.0,
        };
        assert!((chance_right(p, Some(just_wrong), 1.0) - 0.25).abs() < 1e-12);
        // As that wrong answer's short memory fades, the chance goes back toward the ability:
        // 0.6 + (0.25 − 0.6)·0.5 = 0.425.
        let fading = SeenItem {
            target: 0.25,
            recall: 0.5,
        };
        assert!((chance_right(p, Some(fading), 1.0) - 0.425).abs() < 1e-12);
        // A learner whose records say nothing about exams (ρ = 0) is read by ability alone.
        assert_eq!(chance_right(p, Some(known), 0.0), 0.6);
    }

    #[test]
    fn realism_update_hand_computed() {
        // Two seen questions answered wrong on a mock exam, area ability 0.6:
        //   one right in study and remembered: m = (0.95 − 0.6)·1.0 = 0.35, m(x − p) = −0.21;
        //   one wrong in study, recall 0.8:    m = (0.25 − 0.6)·0.8 = −0.28, m(x − p) = 0.168.
        // Σ m(x − p) = −0.042, Σ m² = 0.1225 + 0.0784 = 0.2009; with the prior ρ₀ = 0.6 worth
        // M₀ = 3: ρ = (−0.042 + 3·0.6)/(0.2009 + 3) = 1.758/3.2009 = 0.549221;
        // Var(ρ) = 0.21/3.2009 = 0.065607.
        assert_eq!((REALISM_PRIOR, REALISM_PRIOR_WEIGHT), (0.6, 3.0));
        let mut r = RealismSums::default();
        assert!((r.factor() - REALISM_PRIOR).abs() < 1e-12);
        r.add(0.35, false, 0.6);
        r.add(-0.28, false, 0.6);
        assert_eq!(r.answers, 2);
        assert!((r.sum_mx - (-0.042)).abs() < 1e-12);
        assert!((r.sum_mm - 0.2009).abs() < 1e-12);
        assert!((r.factor() - 0.549_220_532).abs() < 1e-9, "{}", r.factor());
        assert!((r.variance() - 0.065_606_548).abs() < 1e-9);
        // Evidence that records run the wrong way stops at 0, and that they run ahead at 1.
        let mut against = RealismSums::default();
        for _ in 0..50 {
            against.add(0.35, false, 0.6);
        }
        assert_eq!(against.factor(), 0.0);
        let mut ahead = RealismSums::default();
        for _ in 0..50 {
            ahead.add(0.35, true, 0.3);
        }
        assert_eq!(ahead.factor(), 1.0);
        assert_eq!(r.plus(ahead).answers, 52);
    }

    #[test]
    fn first_tries_count_less_as_they_age() {
        let mut t = FirstTries::default();
        t.add(true, 0.0);
        t.add(false, FIRST_TRY_HALF_LIFE_DAYS);
        t.add(true, 2.0 * FIRST_TRY_HALF_LIFE_DAYS);
        assert!((t.right - 1.25).abs() < 1e-12 && (t.wrong - 0.5).abs() < 1e-12);
    }

    #[test]
    fn area_ability_hand_computed() {
        // Weighted first tries 1.25 right, 0.5 wrong, this area only.
        // Overall Beta(2.25, 1.5): mean 0.6, var 2.25·1.5/(3.75²·4.75) = 0.050526.
        // Area Beta(4·0.6 + 1.25, 4·0.4 + 0.5) = Beta(3.65, 2.1): mean 0.634783,
        // var 3.65·2.1/(5.75²·6.75) = 0.0343457; on the overall rate 4/5.75 = 0.695652.
        let t = FirstTries {
            right: 1.25,
            wrong: 0.5,
        };
        let overall = OverallRate::from_areas(&[t]);
        assert!((overall.mean - 0.6).abs() < 1e-12);
        assert!((overall.variance - 0.050_526_316).abs() < 1e-9);
        let a = area_ability(&t, &overall);
        assert!((a.mean - 0.634_782_609).abs() < 1e-9);
        assert!((a.own_variance - 0.034_345_726).abs() < 1e-9);
        assert!((a.on_overall - 0.695_652_174).abs() < 1e-9);
    }

    /// The worked example of docs/readiness.md.
    #[test]
    fn hand_computed_report() {
        // One area of four unlabelled questions (single answer of four: guess 0.25); mock
        // exams of two questions, pass mark 70%; no mock-exam evidence yet (ρ = 0.6,
        // Var(ρ) = 0.21/3 = 0.07).
        let bank = crate::synth::small_bank(&[("a", 1.0, 4)], 2);
        // a-0: right the first time, 21 days ago, with S = 21: R = 0.9, weight 0.5.
        // a-1: wrong the first time, just now: R = 1, weight 1.
        let cards: HashMap<_, _> = [
            card("a-0", 21.0, 21.0, 1, 1, true, true, 21.0),
            card("a-1", 0.0, 0.4, 1, 0, false, false, 0.0),
        ]
        .into_iter()
        .collect();
        let inputs = ModelInputs::for_bank(&bank);
        let r = report(&bank, &cards, &inputs, now());
        let a = &r.areas[0];
        // First tries 0.5 right, 1 wrong. Overall Beta(1.5, 2): 3/7, var 0.054422.
        // Ability Beta(4·3/7 + 0.5, 4·4/7 + 1): p = 0.402597, var 0.037002, c = 4/5.5.
        assert!((a.ability - 0.402_597_403).abs() < 1e-9, "{}", a.ability);
        assert!((a.ability_own_variance - 0.037_001_959).abs() < 1e-9);
        // P: a-0 = p + 0.6·(0.95 − p)·0.9 = 0.698195; a-1 = p + 0.6·(0.25 − p)·1 = 0.311039
        // (wrong just now: well below the ability, not "recall 100%"); a-2, a-3 = p.
        // Mastery = (0.698195 + 0.311039 + 2·0.402597)/4 = 0.453607.
        assert!((a.mastery - 0.453_607_143).abs() < 1e-9, "{}", a.mastery);
        // L = ((1 − 0.6·0.9) + (1 − 0.6·1) + 1 + 1)/4 = 0.715;
        // D = ((0.95 − p)·0.9 + (0.25 − p)·1)/4 = 0.085016;
        // var = L²·(0.037002 + c²·0.054422) + D²·0.07 = 0.034138.
        assert!((a.on_ability - 0.715).abs() < 1e-12);
        assert!((a.on_realism - 0.085_016_234).abs() < 1e-9);
        assert!((a.variance - 0.034_137_916).abs() < 1e-9, "{}", a.variance);
        // The next mock exam draws 2 of the 4: mean P(1 − P) = 0.226510, Var(P) = 0.021338,
        // finite-population factor (4 − 2)/3; draw var = 2·(0.226510 + 0.021338·2/3)/2² =
        // 0.120367. Total 0.154505, sd 0.393072.
        let rd = &r.readiness;
        assert_eq!(rd.exam_questions, 2);
        assert!((rd.predicted - 0.453_607_143).abs() < 1e-9);
        // The 80% band ±1.281552·0.393072 = ±0.503747, clipped at 0.
        let half = Z80 * 0.154_505_401f64.sqrt();
        assert_eq!(rd.low, 0.0, "{rd:?}");
        assert!((rd.high - (0.453_607_143 + half)).abs() < 1e-8, "{rd:?}");
        // Passing needs 2 of 2: P(count ≥ 1.5) = 1 − Φ((1.5 − 0.907214)/0.786144) = 0.22541.
        assert!((rd.pass_probability - 0.225_412).abs() < 1e-5, "{rd:?}");
    }

    #[test]
    fn pass_probability_hand_computed() {
        // Mean 68 of 100, sd 9.3595 questions; 70 needed: 1 − Φ((69.5 − 68)/9.3595) = 0.43634.
        let p = pass_probability(0.68, 0.00876, 0.70, 100);
        assert!((p - 0.436_336).abs() < 1e-5, "{p}");
        // No spread: a sure pass at the mark, a sure fail below it.
        assert_eq!(pass_probability(0.70, 0.0, 0.70, 100), 1.0);
        assert_eq!(pass_probability(0.69, 0.0, 0.70, 100), 0.0);
    }

    #[test]
    fn a_new_learner_gets_a_band_that_admits_not_knowing() {
        // Ten areas, nothing answered: 50%, and every score from near 0 to near 100 is
        // within the 80% band, because the one unknown (the learner) moves all areas together.
        let bank = crate::synth::bank(300, 1);
        let r = report(&bank, &HashMap::new(), &ModelInputs::for_bank(&bank), now());
        assert!(r.is_prior_only());
        assert!((r.readiness.predicted - 0.5).abs() < 1e-12);
        assert!(r.readiness.low < 0.15 && r.readiness.high > 0.85, "{r:?}");
        assert!((0.2..0.4).contains(&r.readiness.pass_probability), "{r:?}");
    }

    #[test]
    fn strength_in_some_areas_lifts_the_estimate_of_unseen_ones() {
        let bank = crate::synth::small_bank(&[("a", 1.0, 10), ("b", 1.0, 10)], 10);
        let cards: HashMap<_, _> = (0..10)
            .map(|i| card(&format!("a-{i}"), 0.0, 10.0, 1, 1, true, true, 0.0))
            .collect();
        let r = report(&bank, &cards, &ModelInputs::for_bank(&bank), now());
        // Ten right of ten: overall Beta(11, 1) = 11/12, and area b's ability is that.
        assert!((r.areas[1].ability - 11.0 / 12.0).abs() < 1e-12);
        assert!(r.areas[1].ability_on_overall > r.areas[0].ability_on_overall);
    }

    #[test]
    fn a_calibrated_difficulty_moves_an_unseen_question_on_the_logit_scale() {
        // The seam for calibrated difficulties: ability 0.5, a question ln 3 logits harder
        // than its area starts at 1/(1 + 3) = 0.25; the other stays at 0.5.
        let bank = crate::synth::small_bank(&[("a", 1.0, 2)], 2);
        let mut inputs = ModelInputs::for_bank(&bank);
        inputs.difficulties.insert("a-1".into(), 3f64.ln());
        let r = report(&bank, &HashMap::new(), &inputs, now());
        assert!((r.areas[0].mastery - (0.5 + 0.25) / 2.0).abs() < 1e-12);
        // It moves with the ability by σ(1 − σ)/(p(1 − p)) = 0.1875/0.25 = 0.75.
        let start = r.learner.start(&bank.questions[1]).unwrap();
        assert!((start.on_ability - 0.75).abs() < 1e-12);
    }

    /// A saved calibration of `items` (id, difficulty), each with SE `se`.
    fn calibration_of(bank: &Bank, items: &[(String, f64)], se: f64) -> LoadedCalibration {
        use crate::rasch::saved::{SavedCalibration, SavedItem};
        LoadedCalibration {
            saved: SavedCalibration {
                format: crate::rasch::saved::CALIBRATION_FORMAT.into(),
                bank_id: bank.id().into(),
                created_at: now(),
                source: "pack \"test\"".into(),
                members: 120,
                responses: 2400,
                items: items
                    .iter()
                    .map(|(id, b)| SavedItem {
                        question_id: id.clone(),
                        difficulty: *b,
                        se,
                        responses: 120,
                    })
                    .collect(),
            },
            path: "calibration.json".into(),
            unknown_questions: 0,
        }
    }

    /// First tries two days ago at a-0..a-(n−1), right where `right(i)` (stability 4).
    fn first_tries(n: usize, right: impl Fn(usize) -> bool) -> HashMap<String, CardRecord> {
        (0..n)
            .map(|i| {
                let ok = right(i);
                card(&format!("a-{i}"), 2.0, 4.0, 1, u32::from(ok), ok, ok, 2.0)
            })
            .collect()
    }

    #[test]
    fn rasch_readiness_hand_computed() {
        // One area of 20 questions, mock exams of 10. a-0..a-9 calibrated at b = 0, a-10..a-19
        // at b = ln 3 (SE 0.2 each). The learner's first tries: a-0..a-4 right, a-5..a-9
        // wrong, so θ = 0 exactly and SE(θ) = 1/√(10·¼).
        let bank = crate::synth::small_bank(&[("a", 1.0, 20)], 10);
        let items: Vec<(String, f64)> = (0..20)
            .map(|i| (format!("a-{i}"), if i < 10 { 0.0 } else { 3f64.ln() }))
            .collect();
        let cards = first_tries(10, |i| i < 5);
        let inputs = ModelInputs::for_bank(&bank)
            .with_calibration(&bank, calibration_of(&bank, &items, 0.2));
        let r = report(&bank, &cards, &inputs, now());
        let ReadinessModel::Rasch(f) = &r.model else {
            panic!("expected the Rasch model: {:?}", r.model_note);
        };
        assert!(f.ability.theta.abs() < 1e-9, "{}", f.ability.theta);
        assert!((f.ability.se - 1.0 / 2.5f64.sqrt()).abs() < 1e-9);
        assert_eq!((f.calibrated_questions, f.bank_questions), (20, 20));
        // Each seen question: p = ½ moved toward its record; each unseen one σ(−ln 3) = ¼.
        let rho = inputs.realism.factor();
        let mut sum_p = 0.0;
        let mut sum_p2 = 0.0;
        let mut on_theta = 0.0;
        let mut on_rho = 0.0;
        let mut from_b = 0.0;
        for q in &bank.questions {
            let (p, item) = match cards.get(&q.id) {
                Some(c) => (0.5, Some(SeenItem::of(c, guess_chance(q), now()))),
                None => (0.25, None),
            };
            let chance = chance_right(p, item, rho);
            let d_theta = (1.0 - rho * item.map_or(0.0, |s| s.recall)) * p * (1.0 - p);
            sum_p += chance;
            sum_p2 += chance * chance;
            on_theta += d_theta / 20.0;
            on_rho += item.map_or(0.0, |s| (s.target - p) * s.recall) / 20.0;
            from_b += (d_theta * 0.2 / 20.0).powi(2);
        }
        let m = sum_p / 20.0;
        let spread = sum_p2 / 20.0 - m * m;
        let draw = 10.0 * ((m - sum_p2 / 20.0) + spread * 10.0 / 19.0) / 100.0;
        let variance =
            on_theta.powi(2) / 2.5 + on_rho.powi(2) * inputs.realism.variance() + from_b + draw;
        let rd = &r.readiness;
        assert!((rd.predicted - m).abs() < 1e-12, "{} vs {m}", rd.predicted);
        assert!(
            (rd.pass_probability - pass_probability(m, variance, rd.pass_mark, 10)).abs() < 1e-12
        );
        let (low, high) = band(m, variance);
        assert!((rd.low - low).abs() < 1e-12 && (rd.high - high).abs() < 1e-12);
        // The calibrated relative difficulties also replace the labels in the area figures:
        // the unseen questions are ln 3 − (ln 3)/2 logits above the area's mean.
        assert!((inputs.difficulties["a-15"] - 3f64.ln() / 2.0).abs() < 1e-12);
        let lines = rasch::describe(&r.model, r.model_note.as_deref());
        assert!(lines[0].starts_with("Model: Rasch"), "{lines:?}");
        assert!(
            lines[0].contains("+0.00 ± 0.63 logits from 10 first tries"),
            "{lines:?}"
        );
    }

    #[test]
    fn rasch_readiness_waits_for_enough_calibrated_first_tries() {
        let bank = crate::synth::small_bank(&[("a", 1.0, 20)], 10);
        let items: Vec<(String, f64)> = (0..20).map(|i| (format!("a-{i}"), 0.0)).collect();
        let cards = first_tries(9, |_| true);
        let plain = report(&bank, &cards, &ModelInputs::for_bank(&bank), now());
        let inputs = ModelInputs::for_bank(&bank)
            .with_calibration(&bank, calibration_of(&bank, &items, 0.2));
        let r = report(&bank, &cards, &inputs, now());
        assert_eq!(r.model, ReadinessModel::FirstTries);
        let note = r.model_note.as_deref().unwrap_or_default();
        assert!(
            note.contains("10 calibrated questions (you have 9)"),
            "{note}"
        );
        // Equal difficulties: the area figures are those without calibration.
        assert!((r.readiness.predicted - plain.readiness.predicted).abs() < 1e-12);
    }

    #[test]
    fn uncalibrated_questions_widen_the_band_by_the_doubt_of_their_area_mean() {
        let bank = crate::synth::small_bank(&[("a", 1.0, 40)], 20);
        let items: Vec<(String, f64)> = (0..40)
            .map(|i| (format!("a-{i}"), (i % 5) as f64 * 0.5 - 1.0))
            .collect();
        let cards = first_tries(10, |i| i % 2 == 0);
        let width = |calibrated: &[(String, f64)]| {
            let inputs = ModelInputs::for_bank(&bank)
                .with_calibration(&bank, calibration_of(&bank, calibrated, 0.2));
            let r = report(&bank, &cards, &inputs, now());
            assert!(matches!(r.model, ReadinessModel::Rasch(_)));
            r.readiness.high - r.readiness.low
        };
        let (all, ten) = (width(&items), width(&items[..10]));
        assert!(
            ten > all * 1.1,
            "band {ten} with 10 of 40 calibrated vs {all} with all"
        );
    }

    #[test]
    fn a_stronger_learner_on_the_calibrated_scale_is_predicted_higher() {
        let bank = crate::synth::small_bank(&[("a", 1.0, 30), ("b", 1.0, 30)], 20);
        let items: Vec<(String, f64)> = bank
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.clone(), (i % 7) as f64 * 0.4 - 1.2))
            .collect();
        let inputs = ModelInputs::for_bank(&bank)
            .with_calibration(&bank, calibration_of(&bank, &items, 0.15));
        let learner = |right: usize| -> Readiness {
            let cards: HashMap<_, _> = (0..12)
                .map(|i| {
                    let id = if i % 2 == 0 {
                        format!("a-{i}")
                    } else {
                        format!("b-{i}")
                    };
                    card(
                        &id,
                        1.0,
                        3.0,
                        1,
                        u32::from(i < right),
                        i < right,
                        i < right,
                        1.0,
                    )
                })
                .collect();
            report(&bank, &cards, &inputs, now()).readiness
        };
        let (weak, strong) = (learner(4), learner(9));
        assert!(
            strong.predicted > weak.predicted + 0.1,
            "{weak:?} {strong:?}"
        );
        assert!(strong.pass_probability > weak.pass_probability);
        assert!(weak.low <= weak.predicted && weak.predicted <= weak.high);
    }

    #[test]
    fn categories_combine_their_areas_by_exam_share() {
        // Areas a (2 of a 4-question mock), b (1) and c (1); a and b in category X, c in Y.
        let mut bank = crate::synth::small_bank(&[("a", 2.0, 4), ("b", 1.0, 4), ("c", 1.0, 4)], 4);
        bank.manifest.domains[0].category = "X".into();
        bank.manifest.domains[1].category = "X".into();
        bank.manifest.domains[2].category = "Y".into();
        let cards: HashMap<_, _> = (0..4)
            .map(|i| card(&format!("a-{i}"), 0.0, 10.0, 1, 1, true, true, 0.0))
            .collect();
        let r = report(&bank, &cards, &ModelInputs::for_bank(&bank), now());
        let cats = r.by_category(&bank);
        assert_eq!(cats.len(), 2);
        assert_eq!(
            (cats[0].name.as_str(), cats[0].areas.as_slice()),
            ("X", &[0, 1][..])
        );
        let (sa, sb) = (r.areas[0].exam_share, r.areas[1].exam_share);
        let want = (sa * r.areas[0].mastery + sb * r.areas[1].mastery) / (sa + sb);
        assert!((cats[0].mastery - want).abs() < 1e-12);
        assert!(
            (cats[0].exam_share - 0.75).abs() < 1e-12,
            "{}",
            cats[0].exam_share
        );
        assert!((cats[1].mastery - r.areas[2].mastery).abs() < 1e-12);
        // The exam's score by category sums its areas' questions.
        let bank_categories = bank.categories();
        assert_eq!(bank_categories[1], ("Y".to_string(), vec![2]));
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

    #[test]
    fn normal_cdf_known_values() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(Z80) - 0.9).abs() < 1e-6);
    }
}
