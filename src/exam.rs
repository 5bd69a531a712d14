//! Exams: blueprint-weighted assembly, the session a candidate sits, the countdown, scoring.
//!
//! Everything here is UI-free and takes the current `Instant` as an argument, so the clock
//! can be driven by tests and the countdown never reads the wall clock (a system clock that
//! jumps mid-exam cannot give or take time).

use crate::bank::{Bank, Question, QuestionType};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
// ChaCha8 rather than StdRng: its output is specified and stable across rand versions and
// platforms, so a seed written into a shared pack reproduces the same exam everywhere.
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

mod confidence;
pub mod review;
mod timing;

pub use confidence::AnswerConfidence;
pub use timing::ItemTimes;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Timed, no feedback until the end.
    Exam,
    /// Untimed, each answer is checked at once with explanations.
    Study,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Exam => "exam",
            Mode::Study => "study",
        }
    }
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "exam" => Some(Mode::Exam),
            "study" => Some(Mode::Study),
            _ => None,
        }
    }
}

/// One question as it appears in a particular exam: which question and the order its
/// options are shown in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamItem {
    pub question_id: String,
    pub option_order: Vec<String>,
}

/// How many questions each domain gets: the blueprint, applied to a bank and a count.
#[derive(Debug, Clone, PartialEq)]
pub struct Blueprint {
    /// (domain id, count) in manifest order.
    pub counts: Vec<(String, usize)>,
}

impl Blueprint {
    pub fn total(&self) -> usize {
        self.counts.iter().map(|(_, n)| n).sum()
    }

    pub fn count_for(&self, domain: &str) -> usize {
        self.counts
            .iter()
            .find(|(d, _)| d == domain)
            .map_or(0, |(_, n)| *n)
    }

    /// Split `total` questions over domains by weight with largest-remainder rounding,
    /// never asking a domain for more questions than the bank has; a shortfall is shared
    /// out again by weight among the domains that still have questions.
    pub fn for_bank(bank: &Bank, total: usize) -> Blueprint {
        let domains: Vec<(String, f64, usize)> = bank
            .manifest
            .domains
            .iter()
            .map(|d| (d.id.clone(), d.weight, bank.questions_in(&d.id).count()))
            .collect();
        Blueprint::allocate(&domains, total)
    }

    /// `domains`: (id, weight, available questions).
    pub fn allocate(domains: &[(String, f64, usize)], total: usize) -> Blueprint {
        let available: usize = domains.iter().map(|d| d.2).sum();
        let mut remaining = total.min(available);
        let mut counts = vec![0usize; domains.len()];
        // Each round either places everything or fills at least one domain, so this ends.
        while remaining > 0 {
            let open: Vec<usize> = (0..domains.len())
                .filter(|&i| counts[i] < domains[i].2 && domains[i].1 > 0.0)
                .collect();
            if open.is_empty() {
                break;
            }
            let weight_sum: f64 = open.iter().map(|&i| domains[i].1).sum();
            let shares = largest_remainder(
                &open
                    .iter()
                    .map(|&i| domains[i].1 / weight_sum)
                    .collect::<Vec<_>>(),
                remaining,
            );
            for (k, &i) in open.iter().enumerate() {
                let room = domains[i].2 - counts[i];
                let add = shares[k].min(room);
                counts[i] += add;
                remaining -= add;
            }
        }
        Blueprint {
            counts: domains
                .iter()
                .zip(counts)
                .map(|(d, n)| (d.0.clone(), n))
                .collect(),
        }
    }
}

/// Apportion `total` by `fractions` (summing to 1): floors first, then one more to the
/// largest remainders; ties go to the earlier entry so the result is deterministic.
pub fn largest_remainder(fractions: &[f64], total: usize) -> Vec<usize> {
    // Snap to 1e-9 so float noise (0.07 * 50 = 3.5000000000000004) neither moves a floor
    // nor breaks a tie that is exact on paper.
    let exact: Vec<f64> = fractions
        .iter()
        .map(|f| (f * total as f64 * 1e9).round() / 1e9)
        .collect();
    let mut counts: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let placed: usize = counts.iter().sum();
    let mut order: Vec<usize> = (0..fractions.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = exact[a] - exact[a].floor();
        let rb = exact[b] - exact[b].floor();
        rb.partial_cmp(&ra)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    for &i in order.iter().take(total.saturating_sub(placed)) {
        counts[i] += 1;
    }
    counts
}

/// Build an exam of `count` questions (fewer if the bank is smaller) from `bank`.
///
/// The same bank, count and seed always give the same exam. Questions that share a
/// scenario are placed next to each other, and options are shuffled per exam (True/False
/// keeps its natural order).
pub fn assemble(bank: &Bank, count: usize, seed: u64) -> Vec<ExamItem> {
    let pools: Vec<AreaPool> = bank
        .manifest
        .domains
        .iter()
        .map(|d| AreaPool {
            domain: d.id.clone(),
            weight: d.weight,
            questions: bank.questions_in(&d.id).collect(),
        })
        .collect();
    assemble_from(&pools, count, seed, PoolOrder::Random).1
}

/// The questions one skill area may give an exam (the session builder narrows them by
/// filter; a whole bank's exam takes all of them), with the area's blueprint weight.
#[derive(Debug, Clone)]
pub struct AreaPool<'b> {
    pub domain: String,
    pub weight: f64,
    /// In bank order, or in order of preference with [`PoolOrder::Ranked`].
    pub questions: Vec<&'b Question>,
}

/// How an area's quota is taken from its pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolOrder {
    /// At random, whole scenario groups first (a mock exam).
    Random,
    /// The first questions of the pool ("weakest first").
    Ranked,
}

/// [`assemble`] over chosen pools: `count` questions split by the pools' weights
/// ([`Blueprint::allocate`]: an area with too few questions gives what it has and the others
/// make up the difference by weight), then ordered in scenario blocks with shuffled options.
/// Returns the split with the exam.
pub fn assemble_from(
    pools: &[AreaPool],
    count: usize,
    seed: u64,
    order: PoolOrder,
) -> (Blueprint, Vec<ExamItem>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let sizes: Vec<(String, f64, usize)> = pools
        .iter()
        .map(|p| (p.domain.clone(), p.weight, p.questions.len()))
        .collect();
    let blueprint = Blueprint::allocate(&sizes, count);
    let mut chosen: Vec<&Question> = Vec::with_capacity(blueprint.total());
    for (pool, (_, quota)) in pools.iter().zip(&blueprint.counts) {
        match order {
            PoolOrder::Random => chosen.extend(pick_from_pool(&pool.questions, *quota, &mut rng)),
            PoolOrder::Ranked => chosen.extend(pool.questions.iter().take(*quota)),
        }
    }
    let items = order_into_blocks(chosen, &mut rng)
        .into_iter()
        .map(|q| ExamItem {
            question_id: q.id.clone(),
            option_order: option_order(q, &mut rng),
        })
        .collect();
    (blueprint, items)
}

/// Choose `quota` questions of one pool, preferring whole scenario groups so a passage
/// is read once for several questions; a group is only split when it alone overfills the
/// quota.
fn pick_from_pool<'b>(
    pool: &[&'b Question],
    quota: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<&'b Question> {
    let mut units: Vec<Vec<&Question>> = Vec::new();
    let mut by_scenario: BTreeMap<&str, usize> = BTreeMap::new();
    for &q in pool {
        match q.scenario.as_deref() {
            Some(s) => {
                let idx = *by_scenario.entry(s).or_insert_with(|| {
                    units.push(Vec::new());
                    units.len() - 1
                });
                units[idx].push(q);
            }
            None => units.push(vec![q]),
        }
    }
    units.shuffle(rng);
    let mut picked = Vec::with_capacity(quota);
    let mut leftovers = Vec::new();
    for unit in units {
        let room = quota - picked.len();
        if room == 0 {
            break;
        }
        if unit.len() <= room {
            picked.extend(unit);
        } else {
            leftovers.push(unit);
        }
    }
    for mut unit in leftovers {
        let room = quota - picked.len();
        if room == 0 {
            break;
        }
        unit.shuffle(rng);
        picked.extend(unit.into_iter().take(room));
    }
    picked
}

/// Shuffle the chosen questions as blocks: one block per scenario (its questions in bank
/// order, which is the author's reading order), one block per stand-alone question.
fn order_into_blocks<'b>(chosen: Vec<&'b Question>, rng: &mut ChaCha8Rng) -> Vec<&'b Question> {
    let mut blocks: Vec<Vec<&Question>> = Vec::new();
    let mut by_scenario: HashMap<&str, usize> = HashMap::new();
    for q in chosen {
        match q.scenario.as_deref() {
            Some(s) => {
                let idx = *by_scenario.entry(s).or_insert_with(|| {
                    blocks.push(Vec::new());
                    blocks.len() - 1
                });
                blocks[idx].push(q);
            }
            None => blocks.push(vec![q]),
        }
    }
    blocks.shuffle(rng);
    blocks.into_iter().flatten().collect()
}

/// One question on its own, options shuffled by `seed` (the Study screen asks them so).
pub fn single_item(q: &Question, seed: u64) -> ExamItem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    ExamItem {
        question_id: q.id.clone(),
        option_order: option_order(q, &mut rng),
    }
}

fn option_order(q: &Question, rng: &mut ChaCha8Rng) -> Vec<String> {
    let mut ids: Vec<String> = q.options.iter().map(|o| o.id.clone()).collect();
    if q.kind != QuestionType::TrueFalse {
        ids.shuffle(rng);
    }
    ids
}

/// A fresh random seed for a new exam.
pub fn random_seed() -> u64 {
    // Kept below 2^53 so the seed survives a round trip through JSON numbers in any tool.
    rand::rng().random_range(0..(1u64 << 53))
}

// ---------------------------------------------------------------------------------------------
// The countdown

/// Time used so far, on the monotonic clock. `used` holds time from earlier runs of the app
/// (restored from the database); `running_since` is set while the exam screen is live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Countdown {
    pub limit: Option<Duration>,
    used: Duration,
    running_since: Option<Instant>,
}

impl Countdown {
    pub fn new(limit: Option<Duration>, already_used: Duration) -> Self {
        Countdown {
            limit,
            used: already_used,
            running_since: None,
        }
    }

    pub fn start(&mut self, now: Instant) {
        if self.running_since.is_none() {
            self.running_since = Some(now);
        }
    }

    pub fn pause(&mut self, now: Instant) {
        if let Some(since) = self.running_since.take() {
            self.used += now.saturating_duration_since(since);
        }
    }

    pub fn is_running(&self) -> bool {
        self.running_since.is_some()
    }

    pub fn used(&self, now: Instant) -> Duration {
        self.used
            + self
                .running_since
                .map_or(Duration::ZERO, |s| now.saturating_duration_since(s))
    }

    /// `None` for an untimed session.
    pub fn remaining(&self, now: Instant) -> Option<Duration> {
        self.limit.map(|l| l.saturating_sub(self.used(now)))
    }

    pub fn expired(&self, now: Instant) -> bool {
        self.remaining(now).is_some_and(|r| r.is_zero())
    }
}

/// Warnings the runner shows as time runs down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TimeWarning {
    None,
    TenMinutes,
    OneMinute,
}

impl TimeWarning {
    pub fn for_remaining(remaining: Option<Duration>) -> TimeWarning {
        match remaining {
            Some(r) if r <= Duration::from_secs(60) => TimeWarning::OneMinute,
            Some(r) if r <= Duration::from_secs(600) => TimeWarning::TenMinutes,
            _ => TimeWarning::None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The session

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExamStatus {
    InProgress,
    Submitted,
    /// Time ran out and the exam was submitted automatically.
    Expired,
}

impl ExamStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ExamStatus::InProgress => "in_progress",
            ExamStatus::Submitted => "submitted",
            ExamStatus::Expired => "expired",
        }
    }
    pub fn parse(s: &str) -> Option<ExamStatus> {
        match s {
            "in_progress" => Some(ExamStatus::InProgress),
            "submitted" => Some(ExamStatus::Submitted),
            "expired" => Some(ExamStatus::Expired),
            _ => None,
        }
    }
}

/// What the candidate has done with one item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemState {
    /// Chosen option ids, kept in the order the options are shown.
    pub selected: Vec<String>,
    pub flagged: bool,
    /// Study mode: the answer was checked and feedback shown; it can no longer change.
    pub checked: bool,
    /// Exam mode, when Settings asks for it: how sure the candidate was (schema v9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<AnswerConfidence>,
}

impl ItemState {
    /// At least one option is picked (for a choose-N question perhaps fewer than N).
    pub fn has_pick(&self) -> bool {
        !self.selected.is_empty()
    }

    /// A whole answer: as many picks as `q` asks for ([`Question::picks`]). One pick of a
    /// "choose two" question is a partial answer, not an answered question.
    pub fn answered(&self, q: &Question) -> bool {
        q.picks().complete(self.selected.len())
    }

    /// Some but not enough picks for `q`.
    pub fn partial(&self, q: &Question) -> bool {
        self.has_pick() && !self.answered(q)
    }

    /// Single/true-false: the option replaces the selection; multiple: it toggles, up to the
    /// number the question asks for (a pick beyond it is refused: one must be cleared
    /// first), and the selection stays in display order. False when nothing changed.
    pub fn choose(&mut self, order: &[String], option_id: &str, q: &Question) -> bool {
        if self.checked {
            return false;
        }
        match q.kind {
            QuestionType::Multiple => {
                if let Some(pos) = self.selected.iter().position(|o| o == option_id) {
                    self.selected.remove(pos);
                } else if q.picks().room_after(self.selected.len()) {
                    self.selected.push(option_id.to_string());
                    self.selected
                        .sort_by_key(|o| order.iter().position(|x| x == o));
                } else {
                    return false;
                }
            }
            QuestionType::Single | QuestionType::TrueFalse => {
                self.selected = vec![option_id.to_string()];
            }
        }
        true
    }
}

/// An exam (or study session) being sat: the items, what was answered, the clock.
#[derive(Debug, Clone)]
pub struct ExamSession {
    pub attempt_id: i64,
    pub bank_id: String,
    pub mode: Mode,
    pub seed: u64,
    pub pass_percent: f64,
    pub items: Vec<ExamItem>,
    pub states: Vec<ItemState>,
    pub current: usize,
    pub status: ExamStatus,
    pub clock: Countdown,
    /// Time on screen per question (exam and study alike; shown in an exam's review).
    pub times: ItemTimes,
}

impl ExamSession {
    pub fn new(
        attempt_id: i64,
        bank_id: impl Into<String>,
        mode: Mode,
        seed: u64,
        pass_percent: f64,
        items: Vec<ExamItem>,
        limit: Option<Duration>,
    ) -> Self {
        let n = items.len();
        ExamSession {
            attempt_id,
            bank_id: bank_id.into(),
            mode,
            seed,
            pass_percent,
            items,
            states: vec![ItemState::default(); n],
            current: 0,
            status: ExamStatus::InProgress,
            times: ItemTimes::new(n),
            clock: Countdown::new(
                if mode == Mode::Study { None } else { limit },
                Duration::ZERO,
            ),
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn is_open(&self) -> bool {
        self.status == ExamStatus::InProgress
    }

    /// Whether item `index` holds a whole answer (a question the bank no longer has counts
    /// as answered once anything is picked; it is not scored).
    pub fn is_answered(&self, bank: &Bank, index: usize) -> bool {
        let state = &self.states[index];
        match bank.question(&self.items[index].question_id) {
            Some(q) => state.answered(q),
            None => state.has_pick(),
        }
    }

    /// Items with a whole answer.
    pub fn answered_count(&self, bank: &Bank) -> usize {
        (0..self.len())
            .filter(|&i| self.is_answered(bank, i))
            .count()
    }

    /// Items with nothing picked.
    pub fn unanswered(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| !self.states[i].has_pick())
            .collect()
    }

    /// Items with some picks but fewer than the question asks for (they score zero).
    pub fn partly_answered(&self, bank: &Bank) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| self.states[i].has_pick() && !self.is_answered(bank, i))
            .collect()
    }

    /// Items with anything picked (partly answered ones included).
    pub fn with_picks(&self) -> usize {
        self.states.iter().filter(|s| s.has_pick()).count()
    }

    pub fn flagged(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| self.states[i].flagged)
            .collect()
    }

    pub fn go_to(&mut self, index: usize) {
        if index < self.len() {
            self.current = index;
        }
    }

    pub fn next(&mut self) {
        self.go_to(self.current + 1);
    }

    pub fn previous(&mut self) {
        if self.current > 0 {
            self.current -= 1;
        }
    }

    /// Apply a choice of option `option_id` of `q`, the question of the item at `index`:
    /// for single/true-false the option replaces the selection, for multiple it toggles (up to
    /// the number the stem asks for). Returns false when the change is not allowed (exam
    /// closed, study answer already checked, unknown option, enough picked already).
    pub fn choose(&mut self, index: usize, option_id: &str, q: &Question) -> bool {
        if !self.is_open() || index >= self.len() {
            return false;
        }
        if !self.items[index]
            .option_order
            .iter()
            .any(|o| o == option_id)
        {
            return false;
        }
        let order = &self.items[index].option_order;
        self.states[index].choose(order, option_id, q)
    }

    /// Mark how sure the candidate is of item `index`; the same mark again takes it off.
    /// Only while the exam is open (a study answer is rated after its feedback instead).
    pub fn set_confidence(&mut self, index: usize, c: AnswerConfidence) -> bool {
        if !self.is_open() || self.mode != Mode::Exam || index >= self.len() {
            return false;
        }
        let st = &mut self.states[index];
        st.confidence = if st.confidence == Some(c) {
            None
        } else {
            Some(c)
        };
        true
    }

    pub fn toggle_flag(&mut self, index: usize) -> bool {
        if !self.is_open() || index >= self.len() {
            return false;
        }
        self.states[index].flagged = !self.states[index].flagged;
        true
    }

    /// Study mode: lock the (whole) answer to `q`, the item's question, and reveal feedback.
    pub fn check(&mut self, index: usize, q: &Question) -> bool {
        if !self.is_open() || index >= self.len() || !self.states[index].answered(q) {
            return false;
        }
        self.states[index].checked = true;
        true
    }

    /// Close the session. `expired` marks an automatic submission when time ran out.
    pub fn submit(&mut self, now: Instant, expired: bool) {
        if !self.is_open() {
            return;
        }
        self.clock.pause(now);
        self.times.pause(now);
        self.status = if expired {
            ExamStatus::Expired
        } else {
            ExamStatus::Submitted
        };
    }

    /// Submit automatically if the countdown has run out. Returns true if it did.
    pub fn submit_if_expired(&mut self, now: Instant) -> bool {
        if self.is_open() && self.clock.expired(now) {
            self.submit(now, true);
            true
        } else {
            false
        }
    }

    pub fn score(&self, bank: &Bank) -> ScoreReport {
        ScoreReport::compute(bank, &self.items, &self.states, self.pass_percent)
    }
}

// ---------------------------------------------------------------------------------------------
// Scoring

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainScore {
    pub domain_id: String,
    pub name: String,
    pub correct: usize,
    pub total: usize,
}

impl DomainScore {
    pub fn percent(&self) -> f64 {
        percent(self.correct, self.total)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemResult {
    pub question_id: String,
    pub domain_id: String,
    pub selected: Vec<String>,
    pub correct_ids: Vec<String>,
    pub is_correct: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreReport {
    pub correct: usize,
    pub total: usize,
    pub pass_percent: f64,
    /// Domains of the bank that appear in the exam, in manifest order.
    pub domains: Vec<DomainScore>,
    pub items: Vec<ItemResult>,
}

/// A category's score: its areas' questions together, as the real exam reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryScore {
    pub name: String,
    pub correct: usize,
    pub total: usize,
    /// Positions in [`ScoreReport::domains`] of the category's areas on this exam.
    pub areas: Vec<usize>,
}

impl CategoryScore {
    pub fn percent(&self) -> f64 {
        percent(self.correct, self.total)
    }
}

impl ScoreReport {
    /// The score by the bank's categories, each with its areas beneath (categories with no
    /// question on this exam are left out).
    pub fn by_category(&self, bank: &Bank) -> Vec<CategoryScore> {
        bank.categories()
            .into_iter()
            .filter_map(|(name, positions)| {
                let areas: Vec<usize> = self
                    .domains
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| {
                        bank.domain_positions()
                            .get(&d.domain_id)
                            .is_some_and(|p| positions.contains(p))
                    })
                    .map(|(i, _)| i)
                    .collect();
                let (correct, total) = areas.iter().fold((0, 0), |(c, t), &i| {
                    (c + self.domains[i].correct, t + self.domains[i].total)
                });
                (total > 0).then_some(CategoryScore {
                    name,
                    correct,
                    total,
                    areas,
                })
            })
            .collect()
    }
}

pub fn percent(correct: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        100.0 * correct as f64 / total as f64
    }
}

impl ScoreReport {
    /// Unanswered items count as wrong; `multiple` items score all or nothing. Items whose
    /// question is no longer in the bank are left out (and so cannot be scored unfairly).
    pub fn compute(
        bank: &Bank,
        items: &[ExamItem],
        states: &[ItemState],
        pass_percent: f64,
    ) -> ScoreReport {
        let mut results = Vec::with_capacity(items.len());
        let mut per_domain: HashMap<&str, (usize, usize)> = HashMap::new();
        for (item, state) in items.iter().zip(states) {
            let Some(q) = bank.question(&item.question_id) else {
                continue;
            };
            let ok = q.is_correct(&state.selected);
            let e = per_domain.entry(q.domain.as_str()).or_default();
            e.1 += 1;
            if ok {
                e.0 += 1;
            }
            results.push(ItemResult {
                question_id: q.id.clone(),
                domain_id: q.domain.clone(),
                selected: state.selected.clone(),
                correct_ids: q.correct_ids(),
                is_correct: ok,
            });
        }
        let domains = bank
            .manifest
            .domains
            .iter()
            .filter_map(|d| {
                per_domain
                    .get(d.id.as_str())
                    .map(|&(correct, total)| DomainScore {
                        domain_id: d.id.clone(),
                        name: d.name.clone(),
                        correct,
                        total,
                    })
            })
            .collect();
        ScoreReport {
            correct: results.iter().filter(|r| r.is_correct).count(),
            total: results.len(),
            pass_percent,
            domains,
            items: results,
        }
    }

    pub fn percent(&self) -> f64 {
        percent(self.correct, self.total)
    }

    pub fn passed(&self) -> bool {
        self.total > 0 && self.percent() + 1e-9 >= self.pass_percent
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::{AnswerOption, Domain, ExamDefaults, Manifest, Scenario};
    use std::path::PathBuf;

    fn question(id: &str, domain: &str, scenario: Option<&str>) -> Question {
        Question {
            id: id.into(),
            domain: domain.into(),
            kind: QuestionType::Single,
            scenario: scenario.map(Into::into),
            stem: format!("Stem {id}"),
            options: ["a", "b", "c", "d"]
                .iter()
                .map(|o| AnswerOption {
                    id: o.to_string(),
                    text: format!("{id} {o}"),
                    correct: *o == "a",
                    explanation: None,
                })
                .collect(),
            explanation: None,
            difficulty: None,
            tags: vec![],
            reference: None,
        }
    }

    /// Domains x(50) y(30) z(20) with 20, 20 and 3 questions; y has a 4-question scenario.
    fn bank() -> Bank {
        let manifest = Manifest {
            format: crate::bank::FORMAT_V1.into(),
            id: "t".into(),
            title: "T".into(),
            version: "1".into(),
            exam: ExamDefaults {
                questions: 10,
                minutes: 10,
                pass_percent: 70.0,
            },
            domains: [("x", 50.0), ("y", 30.0), ("z", 20.0)]
                .iter()
                .map(|(id, w)| Domain {
                    id: id.to_string(),
                    name: id.to_uppercase(),
                    category: "C".into(),
                    weight: *w,
                })
                .collect(),
        };
        let mut qs = Vec::new();
        for i in 0..20 {
            qs.push(question(&format!("x{i}"), "x", None));
        }
        for i in 0..20 {
            let scen = if i < 4 { Some("s1") } else { None };
            qs.push(question(&format!("y{i}"), "y", scen));
        }
        for i in 0..3 {
            qs.push(question(&format!("z{i}"), "z", None));
        }
        Bank::from_parts(
            manifest,
            PathBuf::from("/t"),
            vec![Scenario {
                id: "s1".into(),
                text: "passage".into(),
            }],
            qs,
        )
        .unwrap()
    }

    #[test]
    fn largest_remainder_matches_hand_computation() {
        // 7 by 50/30/20: exact 3.5, 2.1, 1.4 -> floors 3,2,1 (6); the largest remainder
        // (.5, x) gets the 7th.
        assert_eq!(largest_remainder(&[0.5, 0.3, 0.2], 7), vec![4, 2, 1]);
        // CETL weights over 100 questions are exact.
        let w = [15., 15., 10., 12., 9., 9., 9., 7., 7., 7.];
        let f: Vec<f64> = w.iter().map(|x| x / 100.0).collect();
        assert_eq!(
            largest_remainder(&f, 100),
            vec![15, 15, 10, 12, 9, 9, 9, 7, 7, 7]
        );
        // 50 questions: 7.5,7.5,5,6,4.5,4.5,4.5,3.5,3.5,3.5 -> floors sum 46, four .5 ties
        // go to the earliest entries.
        assert_eq!(
            largest_remainder(&f, 50),
            vec![8, 8, 5, 6, 5, 5, 4, 3, 3, 3]
        );
    }

    #[test]
    fn blueprint_caps_small_domains_and_redistributes() {
        let b = bank();
        let bp = Blueprint::for_bank(&b, 20);
        // exact 10, 6, 4 but z has only 3: the spare one goes by weight 50:30 -> x.
        assert_eq!(bp.count_for("z"), 3);
        assert_eq!(bp.total(), 20);
        assert_eq!(bp.count_for("x"), 11);
        assert_eq!(bp.count_for("y"), 6);
        // Asking for more than the bank holds gives the whole bank.
        assert_eq!(Blueprint::for_bank(&b, 500).total(), 43);
    }

    #[test]
    fn same_seed_same_exam_different_seed_different_exam() {
        let b = bank();
        let a1 = assemble(&b, 15, 42);
        let a2 = assemble(&b, 15, 42);
        let other = assemble(&b, 15, 43);
        assert_eq!(a1, a2);
        assert_ne!(a1, other);
        assert_eq!(a1.len(), 15);
        let mut ids: Vec<_> = a1.iter().map(|i| &i.question_id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 15, "no duplicates");
    }

    #[test]
    fn scenario_questions_stay_together() {
        let b = bank();
        for seed in 0..50 {
            let exam = assemble(&b, 20, seed);
            let positions: Vec<usize> = exam
                .iter()
                .enumerate()
                .filter(|(_, it)| {
                    b.question(&it.question_id).unwrap().scenario.as_deref() == Some("s1")
                })
                .map(|(i, _)| i)
                .collect();
            if let (Some(first), Some(last)) = (positions.first(), positions.last()) {
                assert_eq!(
                    last - first + 1,
                    positions.len(),
                    "seed {seed}: {positions:?}"
                );
            }
        }
    }

    #[test]
    fn options_are_shuffled_but_complete() {
        let b = bank();
        let exam = assemble(&b, 20, 7);
        let mut any_moved = false;
        for it in &exam {
            let mut sorted = it.option_order.clone();
            sorted.sort();
            assert_eq!(sorted, vec!["a", "b", "c", "d"]);
            any_moved |= it.option_order != sorted;
        }
        assert!(any_moved);
    }

    #[test]
    fn countdown_runs_only_while_started_and_expires() {
        let t0 = Instant::now();
        let mut c = Countdown::new(Some(Duration::from_secs(60)), Duration::from_secs(10));
        assert_eq!(c.remaining(t0), Some(Duration::from_secs(50)));
        c.start(t0);
        assert_eq!(
            c.remaining(t0 + Duration::from_secs(20)),
            Some(Duration::from_secs(30))
        );
        c.pause(t0 + Duration::from_secs(20));
        // Paused: time passing (app closed) does not count.
        assert_eq!(
            c.remaining(t0 + Duration::from_secs(1000)),
            Some(Duration::from_secs(30))
        );
        c.start(t0 + Duration::from_secs(1000));
        assert!(c.expired(t0 + Duration::from_secs(1030)));
        assert_eq!(
            TimeWarning::for_remaining(c.remaining(t0 + Duration::from_secs(1025))),
            TimeWarning::OneMinute
        );
    }

    #[test]
    fn session_scoring_and_auto_submit() {
        let b = bank();
        let items = assemble(&b, 10, 1);
        let mut s = ExamSession::new(
            1,
            "t",
            Mode::Exam,
            1,
            70.0,
            items,
            Some(Duration::from_secs(60)),
        );
        let t0 = Instant::now();
        s.clock.start(t0);
        // Answer the first 7 correctly ("a"), the 8th wrong, leave 2 blank.
        for i in 0..8 {
            let opt = if i < 7 { "a" } else { "b" };
            let q = b.question(&s.items[i].question_id).unwrap();
            assert!(s.choose(i, opt, q));
        }
        s.toggle_flag(9);
        assert_eq!(s.unanswered(), vec![8, 9]);
        assert_eq!(s.flagged(), vec![9]);
        assert!(!s.submit_if_expired(t0 + Duration::from_secs(59)));
        assert!(s.submit_if_expired(t0 + Duration::from_secs(61)));
        assert_eq!(s.status, ExamStatus::Expired);
        let q8 = b.question(&s.items[8].question_id).unwrap();
        assert!(!s.choose(8, "a", q8), "closed exam is read-only");
        let r = s.score(&b);
        assert_eq!((r.correct, r.total), (7, 10));
        assert!(r.passed());
        let per: usize = r.domains.iter().map(|d| d.total).sum();
        assert_eq!(per, 10);
    }

    #[test]
    fn study_check_locks_answer() {
        let b = bank();
        let mut s = ExamSession::new(1, "t", Mode::Study, 1, 70.0, assemble(&b, 3, 1), None);
        assert!(s.clock.limit.is_none());
        let q = b.question(&s.items[0].question_id).unwrap();
        assert!(!s.check(0, q), "cannot check before answering");
        s.choose(0, "b", q);
        assert!(s.check(0, q));
        assert!(!s.choose(0, "a", q));
        assert_eq!(s.states[0].selected, vec!["b"]);
    }

    fn choose_n(stem: &str, keys: usize) -> Question {
        let mut q = question("m", "x", None);
        q.kind = QuestionType::Multiple;
        q.stem = stem.into();
        for (i, o) in q.options.iter_mut().enumerate() {
            o.correct = i < keys;
        }
        q
    }

    #[test]
    fn choose_two_takes_exactly_two_picks_and_one_is_partial() {
        let q = choose_n("Which two apply? Choose two.", 2);
        assert_eq!(q.picks(), crate::bank::Picks::Exactly(2));
        assert_eq!(q.instruction(), "choose two");
        let order: Vec<String> = ["c", "a", "d", "b"].map(String::from).to_vec();
        let mut st = ItemState::default();
        assert!(st.choose(&order, "a", &q));
        assert!(
            st.partial(&q) && !st.answered(&q),
            "one of two is not an answer"
        );
        assert!(st.choose(&order, "c", &q));
        assert!(st.answered(&q));
        // A third pick is refused and changes nothing; clearing one makes room again.
        assert!(!st.choose(&order, "b", &q));
        assert_eq!(st.selected, vec!["c", "a"], "kept in display order");
        assert!(st.choose(&order, "c", &q));
        assert!(st.choose(&order, "b", &q));
        assert_eq!(st.selected, vec!["a", "b"]);
        assert!(q.is_correct(&st.selected));
    }

    #[test]
    fn a_stem_that_names_no_number_takes_any_number_of_picks() {
        let q = choose_n("Which of these apply?", 3);
        assert_eq!(q.picks(), crate::bank::Picks::AnyNumber);
        assert_eq!(q.instruction(), "choose all that apply");
        let order: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
        let mut st = ItemState::default();
        for o in ["a", "b", "c", "d"] {
            assert!(st.choose(&order, o, &q));
        }
        assert!(st.answered(&q) && !st.partial(&q));
        assert_eq!(question("s", "x", None).instruction(), "choose one");
    }

    #[test]
    fn the_session_counts_partial_answers_apart() {
        let mut b = bank();
        // Make x0 a choose-two question; put it first in a one-item exam.
        let mut qs = b.questions.clone();
        qs[0] = {
            let mut q = choose_n("Pick the pair. Choose two.", 2);
            q.id = "x0".into();
            q
        };
        b = Bank::from_parts(
            b.manifest.clone(),
            PathBuf::from("/t"),
            b.scenarios.values().cloned().collect(),
            qs,
        )
        .unwrap();
        let items = vec![ExamItem {
            question_id: "x0".into(),
            option_order: ["a", "b", "c", "d"].map(String::from).to_vec(),
        }];
        let mut s = ExamSession::new(1, "t", Mode::Exam, 1, 70.0, items, None);
        let q = b.question("x0").unwrap().clone();
        s.choose(0, "a", &q);
        assert_eq!(s.answered_count(&b), 0);
        assert_eq!(s.partly_answered(&b), vec![0]);
        assert!(s.unanswered().is_empty());
        assert_eq!(s.with_picks(), 1);
        s.choose(0, "b", &q);
        assert_eq!(s.answered_count(&b), 1);
        assert!(s.partly_answered(&b).is_empty());
    }
}
