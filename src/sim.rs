//! Simulated learners: the check that readiness predicts what it claims to.
//!
//! Each simulated learner has a truth certprep does not share: an ability per skill area (a
//! logit) that rises slowly with practice, a difficulty per question, a memory per question
//! that decays on its own (exponential) curve and grows when it is recalled, and a chance that
//! feedback teaches a question. They study through certprep's own code (`srs::build_queue`
//! with the daily new limit, `StudySession`, `Scheduler::review`) and sit mock exams drawn by
//! `exam::assemble`, whose answers are applied as the app applies them
//! (`mastery::exam_evidence`: FSRS reviews and realism evidence). Before each mock exam the
//! model's prediction, 80% band and pass probability are recorded; after it, the score.
//!
//! Deterministic: the same bank, configuration and seed give the same forecasts. The figures
//! are in `docs/readiness.md`; `cargo bench --bench readiness_sim` runs the full size.

use crate::bank::{Bank, Question};
use crate::mastery::{self, ModelInputs, RealismSums};
use crate::srs::{CardRecord, Confidence, Scheduler, StudyQueue, StudyScope, StudySession};
use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// How many learners, how long they study, how they sit mock exams.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    pub learners: usize,
    pub seed: u64,
    /// Days of study before the last mock exam, drawn per learner from this range.
    pub min_days: u32,
    pub max_days: u32,
    /// Questions per mock exam (the real exam's length is the bank's default).
    pub exam_questions: usize,
    pub desired_retention: f64,
    pub truth: TruthModel,
}

impl SimConfig {
    pub fn new(learners: usize, seed: u64) -> SimConfig {
        SimConfig {
            learners,
            seed,
            min_days: 60,
            max_days: 150,
            exam_questions: 100,
            desired_retention: crate::srs::DEFAULT_RETENTION,
            truth: TruthModel::default(),
        }
    }
}

/// A mock exam's questions split into those seen before and those not: how many, the sum of
/// the model's chances for them, and how many were answered right.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Split {
    pub seen: usize,
    pub seen_predicted: f64,
    pub seen_right: usize,
    pub unseen: usize,
    pub unseen_predicted: f64,
    pub unseen_right: usize,
}

impl Split {
    fn add(&mut self, seen: bool, p: f64, right: bool) {
        if seen {
            self.seen += 1;
            self.seen_predicted += p;
            self.seen_right += right as usize;
        } else {
            self.unseen += 1;
            self.unseen_predicted += p;
            self.unseen_right += right as usize;
        }
    }
}

/// One prediction and the mock exam score that followed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub learner: usize,
    pub day: u32,
    /// Answers (study and exam) the learner had given when the prediction was made.
    pub answers_before: usize,
    pub predicted: f64,
    pub low: f64,
    pub high: f64,
    pub pass_probability: f64,
    pub pass_mark: f64,
    pub actual: f64,
    /// The exam's seen and unseen questions, predicted one by one.
    pub split: Split,
}

impl Forecast {
    pub fn passed(&self) -> bool {
        self.actual + 1e-9 >= self.pass_mark
    }

    pub fn inside_band(&self) -> bool {
        self.actual >= self.low - 1e-9 && self.actual <= self.high + 1e-9
    }
}

/// One row of the reliability table: forecasts whose pass probability fell in [from, to).
#[derive(Debug, Clone, PartialEq)]
pub struct ReliabilityBin {
    pub from: f64,
    pub to: f64,
    pub forecasts: usize,
    pub mean_predicted: f64,
    pub observed_pass_rate: f64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SimReport {
    pub forecasts: Vec<Forecast>,
}

impl SimReport {
    /// The forecasts made after at least `answers` answers.
    pub fn after(&self, answers: usize) -> SimReport {
        SimReport {
            forecasts: self
                .forecasts
                .iter()
                .filter(|f| f.answers_before >= answers)
                .cloned()
                .collect(),
        }
    }

    fn mean(&self, f: impl Fn(&Forecast) -> f64) -> f64 {
        if self.forecasts.is_empty() {
            return f64::NAN;
        }
        self.forecasts.iter().map(f).sum::<f64>() / self.forecasts.len() as f64
    }

    /// Mean |predicted − actual| in score points (0..1).
    pub fn mean_abs_error(&self) -> f64 {
        self.mean(|f| (f.predicted - f.actual).abs())
    }

    /// Mean predicted − actual: positive is optimistic.
    pub fn bias(&self) -> f64 {
        self.mean(|f| f.predicted - f.actual)
    }

    /// Share of scores inside the stated 80% band.
    pub fn coverage(&self) -> f64 {
        self.mean(|f| f.inside_band() as u8 as f64)
    }

    /// Mean squared error of the pass probability against pass (1) or not (0).
    pub fn brier(&self) -> f64 {
        self.mean(|f| (f.pass_probability - f.passed() as u8 as f64).powi(2))
    }

    /// The Brier score of always saying the observed pass rate: what a forecast that knows
    /// nothing about the learner would score.
    pub fn brier_of_base_rate(&self) -> f64 {
        let rate = self.mean(|f| f.passed() as u8 as f64);
        self.mean(|f| (rate - f.passed() as u8 as f64).powi(2))
    }

    /// Over all forecasts: (seen questions, mean predicted − actual on them in points),
    /// and the same for unseen ones.
    pub fn split_bias(&self) -> ((usize, f64), (usize, f64)) {
        let mut t = Split::default();
        for f in &self.forecasts {
            let s = f.split;
            t.seen += s.seen;
            t.seen_predicted += s.seen_predicted;
            t.seen_right += s.seen_right;
            t.unseen += s.unseen;
            t.unseen_predicted += s.unseen_predicted;
            t.unseen_right += s.unseen_right;
        }
        let bias = |n: usize, p: f64, r: usize| {
            if n == 0 {
                0.0
            } else {
                (p - r as f64) / n as f64
            }
        };
        (
            (t.seen, bias(t.seen, t.seen_predicted, t.seen_right)),
            (t.unseen, bias(t.unseen, t.unseen_predicted, t.unseen_right)),
        )
    }

    /// Forecasts binned by pass probability (`bins` equal bins over 0..1): how often those
    /// said to pass with about p did pass.
    pub fn reliability(&self, bins: usize) -> Vec<ReliabilityBin> {
        let bins = bins.max(1);
        (0..bins)
            .map(|b| {
                let from = b as f64 / bins as f64;
                let to = (b + 1) as f64 / bins as f64;
                let inside: Vec<&Forecast> = self
                    .forecasts
                    .iter()
                    .filter(|f| {
                        f.pass_probability >= from
                            && (f.pass_probability < to
                                || (b + 1 == bins && f.pass_probability <= to))
                    })
                    .collect();
                let n = inside.len();
                let avg = |g: &dyn Fn(&Forecast) -> f64| {
                    if n == 0 {
                        f64::NAN
                    } else {
                        inside.iter().map(|f| g(f)).sum::<f64>() / n as f64
                    }
                };
                ReliabilityBin {
                    from,
                    to,
                    forecasts: n,
                    mean_predicted: avg(&|f| f.pass_probability),
                    observed_pass_rate: avg(&|f| f.passed() as u8 as f64),
                }
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// The truth

/// The simulated learners' truth: how people answer, learn and forget, deliberately not
/// certprep's model (logistic ability, exponential forgetting, memory that grows by its own
/// rule). Learner-level values are drawn uniformly from the ranges given.
#[derive(Debug, Clone, PartialEq)]
pub struct TruthModel {
    /// A learner's starting ability (logit): mean and spread between learners, and the spread
    /// of their areas around it.
    pub ability_mean: f64,
    pub ability_sd: f64,
    pub area_sd: f64,
    /// A question's difficulty (logit) by its author's label (1 easy, 2, 3 hard), and each
    /// question's own deviation from it: labels carry some information, not all.
    pub label_difficulty: f64,
    pub item_sd: f64,
    /// A known question is answered wrong this often anyway.
    pub slip: f64,
    /// Logits gained per answer in an area, and the most an area can gain.
    pub learn_rate: (f64, f64),
    pub max_gain: f64,
    /// The chance that seeing the right answer teaches a question not known.
    pub teach: (f64, f64),
    /// Days until a newly learnt question's recall falls to 1/e, and how much a recall
    /// multiplies that (more when recall was hard: 1 + growth·(1 − recall)).
    pub first_stability: (f64, f64),
    pub growth: (f64, f64),
    /// The share of days a learner studies, and the chance they read a mock exam's
    /// explanations afterwards (which teaches like study).
    pub study_days: (f64, f64),
    pub reads_results: (f64, f64),
}

impl Default for TruthModel {
    fn default() -> Self {
        TruthModel {
            ability_mean: -0.4,
            ability_sd: 0.7,
            area_sd: 0.45,
            label_difficulty: 0.7,
            item_sd: 0.7,
            slip: 0.03,
            learn_rate: (0.001, 0.008),
            max_gain: 0.8,
            teach: (0.2, 0.6),
            first_stability: (0.5, 3.0),
            growth: (1.0, 3.0),
            study_days: (0.5, 0.95),
            reads_results: (0.2, 0.9),
        }
    }
}

/// Study sessions end after this many answers (learners have evenings, not days).
const MAX_SESSION: usize = 150;

fn uniform(rng: &mut ChaCha8Rng, (lo, hi): (f64, f64)) -> f64 {
    if hi > lo {
        rng.random_range(lo..hi)
    } else {
        lo
    }
}

use crate::rasch::ability::sigmoid;

use crate::rasch::simulate::normal;

/// What a learner remembers of one question.
#[derive(Debug, Clone, Copy)]
struct Memory {
    /// Days until recall has fallen to 1/e.
    stability: f64,
    last: DateTime<Utc>,
}

/// One simulated learner: their truth, drawn from the seed.
struct Learner {
    /// Ability per area (logit) at the start, and gained since.
    theta: Vec<f64>,
    gain: Vec<f64>,
    /// Logits gained per answer in an area.
    learn_rate: f64,
    /// The chance that seeing the right answer teaches a question not known.
    teach: f64,
    /// Stability of a newly learnt question (days), and how much a recall multiplies it.
    first_stability: f64,
    growth: f64,
    daily_new: u32,
    study_days: f64,
    /// The chance of reading a mock exam's explanations afterwards (which teaches like study).
    reads_results: f64,
    slip: f64,
    max_gain: f64,
    memory: HashMap<String, Memory>,
    rng: ChaCha8Rng,
}

impl Learner {
    fn draw(areas: usize, truth: &TruthModel, seed: u64) -> Learner {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let base = truth.ability_mean + truth.ability_sd * normal(&mut rng);
        let theta = (0..areas)
            .map(|_| base + truth.area_sd * normal(&mut rng))
            .collect();
        Learner {
            theta,
            gain: vec![0.0; areas],
            learn_rate: uniform(&mut rng, truth.learn_rate),
            teach: uniform(&mut rng, truth.teach),
            first_stability: uniform(&mut rng, truth.first_stability),
            growth: uniform(&mut rng, truth.growth),
            daily_new: [10, 15, 20, 25][rng.random_range(0..4)],
            study_days: uniform(&mut rng, truth.study_days),
            reads_results: uniform(&mut rng, truth.reads_results),
            slip: truth.slip,
            max_gain: truth.max_gain,
            memory: HashMap::new(),
            rng,
        }
    }

    /// The chance of answering `q` right at `at` by ability alone.
    fn ability_chance(&self, area: usize, truth: &ItemTruth) -> f64 {
        let theta = self.theta[area] + self.gain[area];
        truth.guess + (1.0 - truth.guess) * sigmoid(theta - truth.difficulty)
    }

    fn recall(&self, id: &str, at: DateTime<Utc>) -> f64 {
        self.memory.get(id).map_or(0.0, |m| {
            let days = (at - m.last).num_seconds().max(0) as f64 / 86_400.0;
            (-days / m.stability).exp()
        })
    }

    /// Answer one question: recalled (and not slipped), or worked out by ability or a guess.
    /// With `feedback` the right answer is then shown, which strengthens or teaches it.
    fn answer(
        &mut self,
        id: &str,
        area: usize,
        truth: &ItemTruth,
        at: DateTime<Utc>,
        feedback: bool,
    ) -> bool {
        let recalled = self.rng.random::<f64>() < self.recall(id, at);
        let right = if recalled {
            self.rng.random::<f64>() >= self.slip
        } else {
            self.rng.random::<f64>() < self.ability_chance(area, truth)
        };
        self.gain[area] = (self.gain[area] + self.learn_rate).min(self.max_gain);
        if feedback {
            self.learn(id, recalled, at);
        }
        right
    }

    fn learn(&mut self, id: &str, recalled: bool, at: DateTime<Utc>) {
        let r = self.recall(id, at);
        match self.memory.get_mut(id) {
            Some(m) if recalled => {
                // Spacing: a recall that was hard (low r) strengthens memory most.
                m.stability *= 1.0 + self.growth * (1.0 - r).max(0.1);
                m.last = at;
            }
            _ => {
                if self.rng.random::<f64>() < self.teach {
                    let s = self.first_stability;
                    self.memory.insert(
                        id.to_string(),
                        Memory {
                            stability: s,
                            last: at,
                        },
                    );
                }
            }
        }
    }
}

/// What the truth knows about a question.
#[derive(Debug, Clone, Copy)]
struct ItemTruth {
    difficulty: f64,
    guess: f64,
}

fn item_truths(bank: &Bank, model: &TruthModel, seed: u64) -> HashMap<String, ItemTruth> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_1de4);
    bank.questions
        .iter()
        .map(|q| {
            let label = f64::from(q.difficulty.unwrap_or(2)) - 2.0;
            let truth = ItemTruth {
                difficulty: model.label_difficulty * label + model.item_sd * normal(&mut rng),
                guess: mastery::guess_chance(q),
            };
            (q.id.clone(), truth)
        })
        .collect()
}

/// Pick options the way a learner who is right (or wrong) would.
fn picks(q: &Question, right: bool) -> Vec<String> {
    let correct = q.correct_ids();
    if right {
        return correct;
    }
    // A wrong answer of the right size: one wrong option in place of one right one.
    let wrong = q.options.iter().find(|o| !o.correct).map(|o| o.id.clone());
    let mut out: Vec<String> = correct.into_iter().skip(1).collect();
    out.extend(wrong);
    out
}

// ---------------------------------------------------------------------------------------------
// A learner's months

struct Run<'a> {
    bank: &'a Bank,
    truths: &'a HashMap<String, ItemTruth>,
    area_of: HashMap<&'a str, usize>,
    scheduler: Scheduler,
    cards: HashMap<String, CardRecord>,
    realism: RealismSums,
    answers: usize,
}

impl Run<'_> {
    fn inputs(&self) -> ModelInputs {
        ModelInputs {
            realism: self.realism,
            ..ModelInputs::for_bank(self.bank)
        }
    }

    fn truth(&self, q: &Question) -> (usize, ItemTruth) {
        let area = self.area_of.get(q.domain.as_str()).copied().unwrap_or(0);
        let truth = self.truths.get(&q.id).copied().unwrap_or(ItemTruth {
            difficulty: 0.0,
            guess: 0.25,
        });
        (area, truth)
    }

    /// One evening of study: today's queue (due first, then new up to the daily limit)
    /// through a real `StudySession`.
    fn study(&mut self, learner: &mut Learner, start: DateTime<Utc>) {
        let report = mastery::report(self.bank, &self.cards, &self.inputs(), start);
        let queue: StudyQueue = crate::srs::build_queue(
            self.bank,
            &self.cards,
            &report.by_area(),
            start,
            learner.daily_new as usize,
            None,
        );
        let mut session = StudySession::new(
            self.bank,
            &queue,
            std::mem::take(&mut self.cards),
            StudyScope::Bank,
            learner.rng.random::<u64>(),
            start,
        );
        let mut at = start;
        let mut done = 0;
        while let Some((item, _)) = session.current.clone() {
            if done >= MAX_SESSION {
                break;
            }
            let Some(q) = self.bank.question(&item.question_id) else {
                break;
            };
            let (area, truth) = self.truth(q);
            let right = learner.answer(&q.id, area, &truth, at, true);
            for o in picks(q, right) {
                session.choose(self.bank, &o);
            }
            session.check(self.bank);
            if session
                .rate(self.bank, &self.scheduler, Confidence::Good, at)
                .is_none()
            {
                break;
            }
            done += 1;
            self.answers += 1;
            at += Duration::seconds(75);
        }
        self.cards = session.cards;
    }

    /// A mock exam: the prediction first, then the answers, applied as the app applies them.
    /// No forecast when nothing was answered before (the app stores none then either).
    fn mock(
        &mut self,
        learner: &mut Learner,
        at: DateTime<Utc>,
        n: usize,
        day: u32,
    ) -> Option<Forecast> {
        let inputs = self.inputs();
        let report = mastery::report(self.bank, &self.cards, &inputs, at);
        let items = crate::exam::assemble(self.bank, n, learner.rng.random::<u64>());
        let reads = learner.rng.random::<f64>() < learner.reads_results;
        let mut answered = Vec::with_capacity(items.len());
        let mut split = Split::default();
        for item in &items {
            let Some(q) = self.bank.question(&item.question_id) else {
                continue;
            };
            let (area, truth) = self.truth(q);
            let right = learner.answer(&q.id, area, &truth, at, reads);
            // Where the error comes from: the model's chance for this very question.
            let seen = self
                .cards
                .get(&q.id)
                .filter(|c| c.reviews > 0)
                .map(|c| mastery::SeenItem::of(c, mastery::guess_chance(q), at));
            if let Some(start) = report.learner.start(q) {
                let p = mastery::chance_right(start.chance, seen, report.realism);
                split.add(seen.is_some(), p, right);
            }
            answered.push(crate::srs::AnsweredItem {
                question_id: q.id.clone(),
                right,
                confidence: None,
            });
        }
        let right = answered.iter().filter(|a| a.right).count();
        let evidence = mastery::exam_evidence(
            self.bank,
            &self.cards,
            &inputs,
            &self.scheduler,
            &answered,
            at,
            i64::from(day),
        );
        for r in evidence.reviews {
            self.cards.insert(r.after.question_id.clone(), r.after);
        }
        self.realism = self.realism.plus(evidence.realism);
        let forecast = (!report.is_prior_only()).then(|| Forecast {
            learner: 0,
            day,
            answers_before: self.answers,
            predicted: report.readiness.predicted,
            low: report.readiness.low,
            high: report.readiness.high,
            pass_probability: report.readiness.pass_probability,
            pass_mark: report.readiness.pass_mark,
            actual: right as f64 / items.len().max(1) as f64,
            split,
        });
        self.answers += answered.len();
        forecast
    }
}

/// Run `config.learners` learners over `bank`; every mock exam's forecast, in order.
pub fn run(bank: &Bank, config: &SimConfig) -> SimReport {
    let truths = item_truths(bank, &config.truth, config.seed);
    let area_of: HashMap<&str, usize> = bank
        .manifest
        .domains
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let mut forecasts = Vec::new();
    let mut schedule_rng = ChaCha8Rng::seed_from_u64(config.seed);
    for l in 0..config.learners {
        let learner_seed = schedule_rng.random::<u64>();
        let mut learner = Learner::draw(bank.manifest.domains.len(), &config.truth, learner_seed);
        let days = learner
            .rng
            .random_range(config.min_days..=config.max_days.max(config.min_days));
        let first_mock = learner.rng.random_range(7..=21u32);
        let interval = learner.rng.random_range(10..=21u32);
        let mut run = Run {
            bank,
            truths: &truths,
            area_of: area_of.clone(),
            scheduler: Scheduler::new(config.desired_retention),
            cards: HashMap::new(),
            realism: RealismSums::default(),
            answers: 0,
        };
        let start = Utc
            .with_ymd_and_hms(2026, 1, 5, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let mut next_mock = first_mock;
        for day in 0..=days {
            let midnight = start + Duration::days(i64::from(day));
            if day == next_mock || day == days {
                let at = midnight + Duration::hours(10);
                if let Some(mut f) = run.mock(&mut learner, at, config.exam_questions, day) {
                    f.learner = l;
                    forecasts.push(f);
                }
                next_mock = day + interval;
            }
            if day < days && learner.rng.random::<f64>() < learner.study_days {
                run.study(&mut learner, midnight + Duration::hours(19));
            }
        }
    }
    SimReport { forecasts }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forecast(predicted: f64, actual: f64, p: f64) -> Forecast {
        Forecast {
            learner: 0,
            day: 0,
            answers_before: 300,
            predicted,
            low: predicted - 0.05,
            high: predicted + 0.05,
            pass_probability: p,
            pass_mark: 0.7,
            actual,
            split: Split::default(),
        }
    }

    #[test]
    fn report_figures_hand_computed() {
        let r = SimReport {
            forecasts: vec![
                forecast(0.70, 0.74, 0.6), // inside, passed
                forecast(0.60, 0.50, 0.1), // outside, failed
                forecast(0.80, 0.69, 0.9), // outside, failed
                forecast(0.72, 0.70, 0.5), // inside, passed
            ],
        };
        assert!((r.mean_abs_error() - (0.04 + 0.10 + 0.11 + 0.02) / 4.0).abs() < 1e-12);
        assert!((r.bias() - (-0.04 + 0.10 + 0.11 + 0.02) / 4.0).abs() < 1e-12);
        assert!((r.coverage() - 0.5).abs() < 1e-12);
        // (0.4² + 0.1² + 0.9² + 0.5²)/4 = (0.16 + 0.01 + 0.81 + 0.25)/4 = 0.3075
        assert!((r.brier() - 0.3075).abs() < 1e-12);
        // Base rate 0.5: every forecast off by 0.5.
        assert!((r.brier_of_base_rate() - 0.25).abs() < 1e-12);
        let bins = r.reliability(2);
        assert_eq!(bins[0].forecasts, 1);
        assert_eq!(bins[1].forecasts, 3);
        assert!((bins[1].observed_pass_rate - 2.0 / 3.0).abs() < 1e-12);
        assert!((bins[1].mean_predicted - (0.6 + 0.9 + 0.5) / 3.0).abs() < 1e-12);
    }

    /// The harness at a small size, over the real CETL bank: the same seed gives the same
    /// forecasts, and the model is roughly calibrated (the full run is
    /// `cargo bench --bench readiness_sim`, reported in docs/readiness.md).
    #[test]
    fn a_small_run_is_repeatable_and_roughly_calibrated() {
        let bank = crate::bank::load_bank(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("question-banks/cetl"),
        )
        .expect("the CETL bank loads");
        let config = SimConfig {
            min_days: 45,
            max_days: 75,
            ..SimConfig::new(10, 11)
        };
        let r = run(&bank, &config);
        assert!(r.forecasts.len() >= 25, "{} forecasts", r.forecasts.len());
        let later = r.after(200);
        assert!(later.forecasts.len() >= 15);
        let mae = later.mean_abs_error();
        assert!(mae < 0.08, "MAE {mae}");
        let coverage = r.coverage();
        assert!((0.6..=0.95).contains(&coverage), "coverage {coverage}");
        assert!(
            r.brier() < r.brier_of_base_rate(),
            "{} vs {}",
            r.brier(),
            r.brier_of_base_rate()
        );
        let two = SimConfig {
            learners: 2,
            ..config.clone()
        };
        assert_eq!(run(&bank, &two), run(&bank, &two), "deterministic");
    }

    #[test]
    fn a_wrong_pick_is_wrong_and_the_size_of_a_right_one() {
        let bank = crate::synth::bank(40, 1);
        for q in &bank.questions {
            let wrong = picks(q, false);
            assert!(!q.is_correct(&wrong), "{}", q.id);
            assert_eq!(wrong.len(), q.correct_ids().len(), "{}", q.id);
            assert!(q.is_correct(&picks(q, true)));
        }
    }
}
