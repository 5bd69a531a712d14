//! Per-item figures: how easy an item was, how much it weighed in the totals, and whether
//! the attempts that did well on it did well on the rest of the test.

use super::marks::{Item, Marks};
use super::moments::{no_spread, sorted_cross_sum};

/// Moodle's quiz statistics report marks an item whose discriminative efficiency is below
/// this (percent) as one to look at.
pub const LOW_DISCRIMINATIVE_EFFICIENCY: f64 = 15.0;
/// Moodle's question bank says an item "very likely" needs checking below this
/// discrimination index (percent) ...
pub const NEEDS_CHECKING_VERY_LIKELY_BELOW: f64 = 30.0;
/// ... and "likely" below this one.
pub const NEEDS_CHECKING_LIKELY_BELOW: f64 = 50.0;

/// Moodle's question bank "Needs checking?" verdict, from the discrimination index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeedsChecking {
    VeryLikely,
    Likely,
    Unlikely,
}

impl NeedsChecking {
    pub fn from_discrimination_index(index: f64) -> NeedsChecking {
        if index < NEEDS_CHECKING_VERY_LIKELY_BELOW {
            NeedsChecking::VeryLikely
        } else if index < NEEDS_CHECKING_LIKELY_BELOW {
            NeedsChecking::Likely
        } else {
            NeedsChecking::Unlikely
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            NeedsChecking::VeryLikely => "very likely",
            NeedsChecking::Likely => "likely",
            NeedsChecking::Unlikely => "unlikely",
        }
    }
}

/// What Moodle points out about an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemFlag {
    /// Discriminative efficiency under 15%: the item separates stronger from weaker
    /// attempts far less than it could (Moodle highlights the row).
    LowDiscriminativeEfficiency,
    /// The item's marks go down as the total goes up: it gets no effective weight.
    NegativeCovariance,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemStats {
    pub attempts: usize,
    /// Mean mark as a share of the maximum (0..=1): higher is easier.
    pub facility: Option<f64>,
    /// Sample standard deviation of the marks, in marks; from 2 attempts.
    pub sd: Option<f64>,
    /// Expected mark of a random guess as a share of the maximum, when known.
    pub random_guess: Option<f64>,
    /// The item's share of the test's maximum mark, percent.
    pub intended_weight: f64,
    /// The item's share of the spread of the totals, percent; `None` when its covariance
    /// with the total is negative or nothing varies.
    pub effective_weight: Option<f64>,
    /// Correlation × 100 of the item's marks with the rest of the test (the total without
    /// this item), so the item does not correlate with itself.
    pub discrimination_index: Option<f64>,
    /// Covariance with the rest of the test × 100 / the largest covariance these marks
    /// could have had with those rest scores.
    pub discriminative_efficiency: Option<f64>,
    pub needs_checking: Option<NeedsChecking>,
    pub flags: Vec<ItemFlag>,
    // The sample (n − 1) moments the figures above come from, kept for checks and exports.
    pub mark_variance: Option<f64>,
    pub other_mark_variance: Option<f64>,
    pub covariance: Option<f64>,
    pub covariance_max: Option<f64>,
    pub covariance_with_total: Option<f64>,
}

/// Every item's figures. Effective weights need all items' covariances with the total, so
/// they are filled in last.
pub fn all_items(marks: &Marks, totals: &[f64]) -> Vec<ItemStats> {
    let max_total: f64 = marks.items().iter().map(|i| i.max_mark).sum();
    let total_mean = mean_of(totals);
    let mut items: Vec<ItemStats> = marks
        .items()
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let column: Vec<f64> = marks.column(i).collect();
            one_item(item, &column, totals, total_mean, max_total)
        })
        .collect();
    set_effective_weights(&mut items);
    items
}

fn mean_of(xs: &[f64]) -> f64 {
    super::moments::mean(xs).unwrap_or(0.0)
}

fn one_item(
    item: &Item,
    column: &[f64],
    totals: &[f64],
    total_mean: f64,
    max_total: f64,
) -> ItemStats {
    let n = column.len();
    let mut stats = ItemStats {
        attempts: n,
        random_guess: item.random_guess,
        intended_weight: 100.0 * item.max_mark / max_total,
        ..ItemStats::default()
    };
    if n == 0 {
        return stats;
    }
    let mut others: Vec<f64> = column.iter().zip(totals).map(|(x, t)| t - x).collect();
    let mark_mean = mean_of(column);
    let other_mean = mean_of(&others);
    stats.facility = Some(mark_mean / item.max_mark);
    if n < 2 {
        return stats;
    }
    let (mut mark_sq, mut other_sq, mut cross, mut cross_total) = (0.0, 0.0, 0.0, 0.0);
    for ((x, o), t) in column.iter().zip(&others).zip(totals) {
        let (dx, d_o) = (x - mark_mean, o - other_mean);
        mark_sq += dx * dx;
        other_sq += d_o * d_o;
        cross += dx * d_o;
        cross_total += dx * (t - total_mean);
    }
    let mut sorted_marks = column.to_vec();
    let cross_max = sorted_cross_sum(&mut sorted_marks, &mut others, mark_mean, other_mean);
    let df = (n - 1) as f64;
    let (var, other_var, cov) = (mark_sq / df, other_sq / df, cross / df);
    let cov_max = cross_max / df;
    stats.mark_variance = Some(var);
    stats.other_mark_variance = Some(other_var);
    stats.covariance = Some(cov);
    stats.covariance_max = Some(cov_max);
    stats.covariance_with_total = Some(cross_total / df);
    stats.sd = Some(var.sqrt());
    let spread = !no_spread(var, item.max_mark) && !no_spread(other_var, max_total);
    if spread {
        stats.discrimination_index = Some(100.0 * cov / (var * other_var).sqrt());
    }
    if spread && !no_spread(cov_max.abs(), item.max_mark * max_total) {
        stats.discriminative_efficiency = Some(100.0 * cov / cov_max);
    }
    stats.needs_checking = stats
        .discrimination_index
        .map(NeedsChecking::from_discrimination_index);
    if stats
        .discriminative_efficiency
        .is_some_and(|e| e < LOW_DISCRIMINATIVE_EFFICIENCY)
    {
        stats.flags.push(ItemFlag::LowDiscriminativeEfficiency);
    }
    if cross_total < 0.0 {
        stats.flags.push(ItemFlag::NegativeCovariance);
    }
    stats
}

/// Effective weight: √(covariance with the total) as a share of the sum of those roots
/// over the items whose covariance is not negative.
fn set_effective_weights(items: &mut [ItemStats]) {
    let roots = |i: &ItemStats| i.covariance_with_total.filter(|c| *c >= 0.0).map(f64::sqrt);
    let sum: f64 = items.iter().filter_map(roots).sum();
    if sum <= 0.0 {
        return;
    }
    for item in items.iter_mut() {
        item.effective_weight = roots(item).map(|r| 100.0 * r / sum);
    }
}
