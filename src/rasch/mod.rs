//! Rasch (one-parameter logistic) calibration: each item's difficulty and each member's
//! ability on one logit scale, P(right) = σ(θ − b), from right/wrong answers.
//!
//! **Estimator: conditional maximum likelihood (CML).** Given a member's raw score on a set
//! of items, which items they got right does not depend on their ability under the Rasch
//! model, so the difficulties can be estimated without estimating abilities at the same time.
//! That makes CML consistent for a fixed number of items as the group grows, where joint
//! maximum likelihood (JML) is biased outward by about L/(L − 1) and needs an ad hoc
//! correction; and, unlike marginal maximum likelihood (MML), it assumes nothing about how
//! abilities are spread in the group, which a self-selected study group is not (normal).
//! Members who sat different packs over one bank are grouped by the set of items they
//! answered and each set contributes its own conditional likelihood, so pooled packs that
//! share items are calibrated on one scale.
//!
//! Identification: the difficulties of the calibrated items sum to zero.
//! Standard errors: the square roots of the diagonal of the inverse information matrix
//! under that constraint. Abilities: maximum likelihood given the difficulties
//! ([`ability::estimate`]). Fit: infit and outfit mean squares per item.
//!
//! Checked against the PyPI package girth (rasch_conditional, ability_mle) on simulated
//! responses in `tests/data/rasch/` (tests/rasch_reference.rs), and for recovery of known
//! parameters on simulated groups.
//!
//! Cost: reading the answers is linear; each iteration is O(k³) per distinct item set of k
//! items (elementary symmetric functions left one out), independent of the number of members.

pub mod ability;
mod esf;
mod linalg;
pub mod saved;
pub mod simulate;

pub use ability::{Ability, estimate as estimate_ability};
use std::collections::HashMap;

/// Fewer members with a score strictly between none and all right than this calibrate
/// nothing: with 30, difficulties are within about ±1 logit at 95% confidence (Linacre,
/// "Sample size and item calibration stability", Rasch Measurement Transactions 7:4), the
/// least that says anything about an item.
pub const MIN_MEMBERS: usize = 30;

/// Distinct item sets (packs) one calibration pools at most: each costs O(k³) per iteration.
pub const MAX_ITEM_SETS: usize = 64;

/// Mean squares outside this range flag an item: the range Wright and Linacre give as
/// reasonable for "run of the mill" multiple-choice tests (Rasch Measurement Transactions
/// 8:3, 1994). Below: the item is more predictable than the model (often it duplicates
/// another); above: answers are noisier than ability explains (a wrong key, a trick, a
/// guessable item).
pub const FIT_RANGE: (f64, f64) = (0.7, 1.3);

/// ...and only when the departure is also unlikely by chance: its standardised value
/// (Wilson–Hilferty, as Winsteps reports ZSTD) beyond ±2. In a group of 60, a mean square
/// of 1.4 can be luck; without this, about a quarter of perfectly good questions were
/// flagged there.
pub const FIT_Z: f64 = 2.0;

/// A difficulty further than this from the centre is not estimable in practice.
const DIFFICULTY_LIMIT: f64 = 12.0;
const MAX_ITERATIONS: usize = 500;
const TOLERANCE: f64 = 1e-8;

/// Right/wrong answers, one row per member, one column per item; None: not answered (the
/// item was not in that member's pack).
#[derive(Debug, Clone, Default)]
pub struct Responses {
    items: usize,
    rows: Vec<Vec<Option<bool>>>,
}

impl Responses {
    pub fn new(items: usize) -> Responses {
        Responses {
            items,
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Option<bool>>) -> Result<(), RaschError> {
        if row.len() != self.items {
            return Err(RaschError::RowLength {
                row: self.rows.len(),
                expected: self.items,
                found: row.len(),
            });
        }
        self.rows.push(row);
        Ok(())
    }

    /// A complete right/wrong row.
    pub fn push_complete(&mut self, row: &[bool]) -> Result<(), RaschError> {
        self.push(row.iter().map(|&x| Some(x)).collect())
    }

    pub fn items(&self) -> usize {
        self.items
    }

    pub fn members(&self) -> usize {
        self.rows.len()
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RaschError {
    #[error(
        "it needs at least {need} members with some but not all answers right; these results have {have}"
    )]
    TooFewMembers { have: usize, need: usize },
    #[error(
        "Rasch calibration needs at least two questions that some but not all members got right"
    )]
    TooFewItems,
    #[error(
        "these results cover {sets} different sets of questions; a calibration pools at most {max} (calibrate fewer packs at once)"
    )]
    TooManyItemSets { sets: usize, max: usize },
    #[error("member {row} has {found} answers where {expected} questions were expected")]
    RowLength {
        row: usize,
        expected: usize,
        found: usize,
    },
    #[error("the calibration did not settle (the answers may be too extreme to estimate)")]
    NotConverged,
}

/// Why an item has no difficulty, or that it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemStatus {
    Calibrated,
    /// Everyone who answered it (among members who are not all right or all wrong) got it
    /// right: easier than the scale can say.
    AllRight,
    AllWrong,
    NoResponses,
    /// Answered only by members whose packs share no items with the rest.
    NotLinked,
}

impl ItemStatus {
    pub fn describe(self) -> &'static str {
        match self {
            ItemStatus::Calibrated => "calibrated",
            ItemStatus::AllRight => "everyone right: too easy to place",
            ItemStatus::AllWrong => "everyone wrong: too hard to place",
            ItemStatus::NoResponses => "no answers",
            ItemStatus::NotLinked => "its pack shares no questions with the others",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemEstimate {
    pub status: ItemStatus,
    /// Logits; the calibrated items' difficulties sum to zero.
    pub difficulty: Option<f64>,
    pub se: Option<f64>,
    /// Information-weighted mean square: sensitive to unexpected answers from members near
    /// the item's difficulty. Expected 1.
    pub infit: Option<f64>,
    /// Unweighted mean square: sensitive to outliers (a strong member wrong on an easy item).
    pub outfit: Option<f64>,
    /// The mean squares standardised (Wilson–Hilferty): about N(0, 1) when the item fits.
    pub infit_z: Option<f64>,
    pub outfit_z: Option<f64>,
    /// Answers and right answers among all members.
    pub responses: usize,
    pub right: usize,
}

impl ItemEstimate {
    /// Infit or outfit outside [`FIT_RANGE`] with its standardised value beyond [`FIT_Z`].
    pub fn misfits(&self) -> bool {
        let out = |v: Option<f64>, z: Option<f64>| {
            v.is_some_and(|v| v < FIT_RANGE.0 || v > FIT_RANGE.1)
                && z.is_some_and(|z| z.abs() > FIT_Z)
        };
        out(self.infit, self.infit_z) || out(self.outfit, self.outfit_z)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// In the order of the columns of [`Responses`].
    pub items: Vec<ItemEstimate>,
    /// In the order of the rows; None for a member who answered no calibrated item.
    pub members: Vec<Option<Ability>>,
    /// Members and answers the difficulties were estimated from (scores strictly between
    /// none and all right, on linked calibrated items).
    pub members_used: usize,
    pub responses_used: usize,
    pub iterations: usize,
}

/// Members who answered one set of items, counted by raw score.
struct ItemSet {
    /// Indices into the calibrated items.
    items: Vec<usize>,
    /// counts[r]: members with raw score r on these items.
    counts: Vec<f64>,
}

/// Calibrates the items of `responses`. See the module documentation for the method.
pub fn calibrate(responses: &Responses) -> Result<Calibration, RaschError> {
    let n_items = responses.items;
    let rows = &responses.rows;
    let (status, active_members) = trim(responses);

    let sets = item_sets(rows, &status, &active_members);
    let (sets, status, active_members) = largest_linked(sets, status, active_members, rows);
    let used_members = active_members.iter().filter(|&&a| a).count();
    if used_members < MIN_MEMBERS {
        return Err(RaschError::TooFewMembers {
            have: used_members,
            need: MIN_MEMBERS,
        });
    }
    let calibrated: Vec<usize> = (0..n_items)
        .filter(|&i| status[i] == ItemStatus::Calibrated)
        .collect();
    if calibrated.len() < 2 {
        return Err(RaschError::TooFewItems);
    }
    let local: HashMap<usize, usize> = calibrated
        .iter()
        .enumerate()
        .map(|(l, &i)| (i, l))
        .collect();
    let sets: Vec<ItemSet> = sets
        .into_iter()
        .map(|(items, counts)| ItemSet {
            items: items.iter().map(|i| local[i]).collect(),
            counts,
        })
        .collect();
    if sets.len() > MAX_ITEM_SETS {
        return Err(RaschError::TooManyItemSets {
            sets: sets.len(),
            max: MAX_ITEM_SETS,
        });
    }
    let mut observed = vec![0.0; calibrated.len()];
    let mut responses_used = 0;
    for (row, _) in rows.iter().zip(&active_members).filter(|(_, a)| **a) {
        for (l, &i) in calibrated.iter().enumerate() {
            if let Some(x) = row[i] {
                responses_used += 1;
                observed[l] += f64::from(u8::from(x));
            }
        }
    }

    let (b, iterations) = solve(&sets, &observed)?;
    let se = standard_errors(&sets, &b);

    let mut difficulty = vec![None; n_items];
    for (l, &i) in calibrated.iter().enumerate() {
        difficulty[i] = Some(b[l]);
    }
    let members: Vec<Option<Ability>> = rows
        .iter()
        .map(|row| {
            let answers: Vec<(f64, bool)> = row
                .iter()
                .zip(&difficulty)
                .filter_map(|(x, d)| Some(((*d)?, (*x)?)))
                .collect();
            ability::estimate(&answers)
        })
        .collect();
    let fit = item_fit(rows, &active_members, &difficulty, &members);
    let items = (0..n_items)
        .map(|i| {
            let answered = rows.iter().filter_map(|r| r[i]);
            let (responses, right) = answered.fold((0, 0), |(n, k), x| (n + 1, k + usize::from(x)));
            let l = local.get(&i);
            ItemEstimate {
                status: status[i],
                difficulty: difficulty[i],
                se: l.and_then(|&l| se.get(l).copied().flatten()),
                infit: fit[i].map(|f| f.infit),
                outfit: fit[i].map(|f| f.outfit),
                infit_z: fit[i].map(|f| f.infit_z),
                outfit_z: fit[i].map(|f| f.outfit_z),
                responses,
                right,
            }
        })
        .collect();
    Ok(Calibration {
        items,
        members,
        members_used: used_members,
        responses_used,
        iterations,
    })
}

/// Drops, until nothing changes, members whose score on the remaining items is none or all
/// right (or who answered fewer than two), and items that the remaining members all got
/// right or all got wrong: neither carries information about the other under CML.
fn trim(responses: &Responses) -> (Vec<ItemStatus>, Vec<bool>) {
    let rows = &responses.rows;
    let mut status = vec![ItemStatus::Calibrated; responses.items];
    let mut active = vec![true; rows.len()];
    loop {
        let mut changed = false;
        for (row, a) in rows.iter().zip(active.iter_mut()).filter(|(_, a)| **a) {
            let (n, k) = row
                .iter()
                .zip(&status)
                .filter(|(_, s)| **s == ItemStatus::Calibrated)
                .filter_map(|(x, _)| *x)
                .fold((0, 0), |(n, k), x| (n + 1, k + usize::from(x)));
            if n < 2 || k == 0 || k == n {
                *a = false;
                changed = true;
            }
        }
        for (i, s) in status.iter_mut().enumerate() {
            if *s != ItemStatus::Calibrated {
                continue;
            }
            let (n, k) = rows
                .iter()
                .zip(&active)
                .filter(|(_, a)| **a)
                .filter_map(|(r, _)| r[i])
                .fold((0, 0), |(n, k), x| (n + 1, k + usize::from(x)));
            let new = if n == 0 {
                ItemStatus::NoResponses
            } else if k == n {
                ItemStatus::AllRight
            } else if k == 0 {
                ItemStatus::AllWrong
            } else {
                continue;
            };
            *s = new;
            changed = true;
        }
        if !changed {
            return (status, active);
        }
    }
}

/// Active members grouped by the set of calibrated items they answered: (items, counts by
/// raw score), in order of first appearance.
fn item_sets(
    rows: &[Vec<Option<bool>>],
    status: &[ItemStatus],
    active: &[bool],
) -> Vec<(Vec<usize>, Vec<f64>)> {
    let mut index: HashMap<Vec<usize>, usize> = HashMap::new();
    let mut sets: Vec<(Vec<usize>, Vec<f64>)> = Vec::new();
    for (row, _) in rows.iter().zip(active).filter(|(_, a)| **a) {
        let items: Vec<usize> = (0..row.len())
            .filter(|&i| status[i] == ItemStatus::Calibrated && row[i].is_some())
            .collect();
        let score = items.iter().filter(|&&i| row[i] == Some(true)).count();
        let at = *index.entry(items.clone()).or_insert_with(|| {
            sets.push((items.clone(), vec![0.0; items.len() + 1]));
            sets.len() - 1
        });
        sets[at].1[score] += 1.0;
    }
    sets
}

type Sets = Vec<(Vec<usize>, Vec<f64>)>;

/// Keeps the item sets linked (through shared items) to the one holding the most answers;
/// the items and members of the others are marked not linked.
fn largest_linked(
    sets: Sets,
    mut status: Vec<ItemStatus>,
    mut active: Vec<bool>,
    rows: &[Vec<Option<bool>>],
) -> (Sets, Vec<ItemStatus>, Vec<bool>) {
    let mut parent: Vec<usize> = (0..status.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for (items, _) in &sets {
        for w in items.windows(2) {
            let (a, b) = (find(&mut parent, w[0]), find(&mut parent, w[1]));
            parent[a] = b;
        }
    }
    let mut weight: HashMap<usize, f64> = HashMap::new();
    for (items, counts) in &sets {
        if let Some(&first) = items.first() {
            let root = find(&mut parent, first);
            *weight.entry(root).or_default() += counts.iter().sum::<f64>() * items.len() as f64;
        }
    }
    let Some(main) = weight
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(&r, _)| r)
    else {
        return (sets, status, active);
    };
    for (i, s) in status.iter_mut().enumerate() {
        if *s == ItemStatus::Calibrated && find(&mut parent, i) != main {
            *s = ItemStatus::NotLinked;
        }
    }
    for (row, a) in rows.iter().zip(active.iter_mut()) {
        let linked = row
            .iter()
            .zip(&status)
            .any(|(x, s)| x.is_some() && *s == ItemStatus::Calibrated);
        if !linked {
            *a = false;
        }
    }
    let sets = sets
        .into_iter()
        .filter(|(items, _)| items.first().is_some_and(|&i| find(&mut parent, i) == main))
        .collect();
    (sets, status, active)
}

/// The expected right answers and their variance per item, given difficulties `b`.
fn expectations(sets: &[ItemSet], b: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let mut expected = vec![0.0; b.len()];
    let mut information = vec![0.0; b.len()];
    for set in sets {
        let eps: Vec<f64> = set.items.iter().map(|&l| (-b[l]).exp()).collect();
        let gamma = esf::esf(&eps);
        let loo = esf::leave_one_out(&eps);
        for (k, &l) in set.items.iter().enumerate() {
            for r in 1..set.items.len() {
                let n = set.counts[r];
                if n == 0.0 {
                    continue;
                }
                let p = eps[k] * loo[k][r - 1] / gamma[r];
                expected[l] += n * p;
                information[l] += n * p * (1.0 - p);
            }
        }
    }
    (expected, information)
}

/// Solves the conditional likelihood equations (observed = expected right answers per item)
/// by Newton steps on each item's own equation, re-centred after each sweep. Returns the
/// difficulties and the number of sweeps.
fn solve(sets: &[ItemSet], observed: &[f64]) -> Result<(Vec<f64>, usize), RaschError> {
    let n = observed.len();
    // Start from the centred log-odds of being wrong, a close first guess.
    let answered = answers_per_item(sets, n);
    let mut b: Vec<f64> = (0..n)
        .map(|l| {
            let p = (observed[l] / answered[l]).clamp(1e-3, 1.0 - 1e-3);
            ((1.0 - p) / p).ln()
        })
        .collect();
    centre(&mut b);
    for iteration in 1..=MAX_ITERATIONS {
        let (expected, information) = expectations(sets, &b);
        let mut largest = 0.0f64;
        for l in 0..n {
            if information[l].is_nan() || information[l] <= 0.0 || !expected[l].is_finite() {
                return Err(RaschError::NotConverged);
            }
            let step = ((expected[l] - observed[l]) / information[l]).clamp(-1.0, 1.0);
            b[l] = (b[l] + step).clamp(-DIFFICULTY_LIMIT, DIFFICULTY_LIMIT);
            largest = largest.max(step.abs());
        }
        centre(&mut b);
        if largest < TOLERANCE {
            return Ok((b, iteration));
        }
    }
    Err(RaschError::NotConverged)
}

fn answers_per_item(sets: &[ItemSet], n: usize) -> Vec<f64> {
    let mut answered = vec![0.0; n];
    for set in sets {
        let members: f64 = set.counts.iter().sum();
        for &l in &set.items {
            answered[l] += members;
        }
    }
    answered
}

fn centre(b: &mut [f64]) {
    let mean = b.iter().sum::<f64>() / b.len() as f64;
    for x in b.iter_mut() {
        *x -= mean;
    }
}

/// Standard errors from the information matrix I (minus the Hessian of the conditional
/// log-likelihood): I_ii = Σ_r n_r P_ir(1 − P_ir), I_ij = Σ_r n_r (P_ijr − P_ir P_jr) (negative: items compete for one score) with
/// P_ijr = ε_i ε_j γ^(ij)_{r−2} / γ_r. I is singular along (1, …, 1) (shifting every
/// difficulty changes nothing); under the sum-to-zero constraint the covariance is its
/// pseudo-inverse, (I + J/n)⁻¹ − J/n with J all ones.
fn standard_errors(sets: &[ItemSet], b: &[f64]) -> Vec<Option<f64>> {
    let n = b.len();
    let mut info = vec![0.0; n * n];
    for set in sets {
        let eps: Vec<f64> = set.items.iter().map(|&l| (-b[l]).exp()).collect();
        let gamma = esf::esf(&eps);
        let loo = esf::leave_one_out(&eps);
        let k_items = set.items.len();
        let p = |k: usize, r: usize| eps[k] * loo[k][r - 1] / gamma[r];
        for k in 0..k_items {
            let li = set.items[k];
            for r in 1..k_items {
                let c = set.counts[r];
                if c > 0.0 {
                    let pk = p(k, r);
                    info[li * n + li] += c * pk * (1.0 - pk);
                }
            }
            for m in (k + 1)..k_items {
                let lj = set.items[m];
                // Without both k and m: m's functions with k left out.
                let both = esf::remove_item(&loo[k], eps[m]);
                let mut v = 0.0;
                for r in 2..k_items {
                    let c = set.counts[r];
                    if c == 0.0 {
                        continue;
                    }
                    let pkm = eps[k] * eps[m] * both[r - 2] / gamma[r];
                    v += c * (pkm - p(k, r) * p(m, r));
                }
                info[li * n + lj] += v;
                info[lj * n + li] += v;
            }
        }
    }
    let j = 1.0 / n as f64;
    for x in info.iter_mut() {
        *x += j;
    }
    match linalg::invert_spd(&info, n) {
        Some(inv) => (0..n)
            .map(|i| {
                let v = inv[i * n + i] - j;
                (v > 0.0).then(|| v.sqrt())
            })
            .collect(),
        None => vec![None; n],
    }
}

/// An item's fit: the two mean squares and their standardised values.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Fit {
    infit: f64,
    outfit: f64,
    infit_z: f64,
    outfit_z: f64,
}

/// Infit and outfit mean squares per item over the members the difficulties came from, with
/// their model variances (Wright & Masters, Rating Scale Analysis, 1982, for a right/wrong
/// answer with W = p(1 − p): E(x − p)⁴ = W(1 − 3W)): outfit q² = Σ(1/W − 4)/n²,
/// infit q² = Σ(W(1 − 3W) − W²)/(ΣW)².
fn item_fit(
    rows: &[Vec<Option<bool>>],
    active: &[bool],
    difficulty: &[Option<f64>],
    members: &[Option<Ability>],
) -> Vec<Option<Fit>> {
    #[derive(Clone, Copy, Default)]
    struct Sums {
        squared: f64,
        weight: f64,
        z2: f64,
        outfit_var: f64,
        infit_var: f64,
        count: usize,
    }
    let n = difficulty.len();
    let mut sums = vec![Sums::default(); n];
    for ((row, _), m) in rows
        .iter()
        .zip(active)
        .zip(members)
        .filter(|((_, a), _)| **a)
    {
        let Some(m) = m else { continue };
        for i in 0..n {
            let (Some(x), Some(d)) = (row[i], difficulty[i]) else {
                continue;
            };
            let p = ability::sigmoid(m.theta - d);
            let w = (p * (1.0 - p)).max(1e-12);
            let resid = f64::from(u8::from(x)) - p;
            let s = &mut sums[i];
            s.squared += resid * resid;
            s.weight += w;
            s.z2 += resid * resid / w;
            s.outfit_var += 1.0 / w - 4.0;
            s.infit_var += w * (1.0 - 3.0 * w) - w * w;
            s.count += 1;
        }
    }
    sums.into_iter()
        .map(|s| {
            if s.count == 0 || s.weight <= 0.0 {
                return None;
            }
            let count = s.count as f64;
            let infit = s.squared / s.weight;
            let outfit = s.z2 / count;
            let q_out = (s.outfit_var.max(0.0)).sqrt() / count;
            let q_in = (s.infit_var.max(0.0)).sqrt() / s.weight;
            Some(Fit {
                infit,
                outfit,
                infit_z: wilson_hilferty(infit, q_in),
                outfit_z: wilson_hilferty(outfit, q_out),
            })
        })
        .collect()
}

/// A mean square's standardised value: (v^⅓ − 1)(3/q) + q/3, q its model standard deviation.
fn wilson_hilferty(mean_square: f64, q: f64) -> f64 {
    if q <= 0.0 {
        return 0.0;
    }
    (mean_square.cbrt() - 1.0) * (3.0 / q) + q / 3.0
}

#[cfg(test)]
mod tests;
