//! Quiz statistics as Moodle's quiz statistics report computes them (classical test theory):
//! figures for the whole test ([`TestStats`]) and for each item ([`ItemStats`]), with the
//! items Moodle would flag. The input is one mark per attempt per item ([`Marks`]); nothing
//! here knows about packs, files or screens.
//!
//! Checked against Moodle's own fixture (tests/data/moodle_stats, tests/group_stats.rs).
//! Where a figure is undefined (too few attempts, no spread) it is `None`, never NaN.
//!
//! Cost: one pass over the marks for the totals, one per item for its moments; the
//! "maximum covariance" behind discriminative efficiency needs each item's marks and rest
//! scores in order, which is a sort per item (O(n log n) in the attempts); the median is a
//! selection (O(n)).

mod item;
mod marks;
mod moments;
mod test;

pub use item::{ItemFlag, ItemStats, NeedsChecking};
pub use marks::{Item, Marks, StatsError};
pub use test::TestStats;

/// Everything the statistics say about one sitting of a test.
#[derive(Debug, Clone, PartialEq)]
pub struct QuizStatistics {
    pub test: TestStats,
    /// In item order.
    pub items: Vec<ItemStats>,
}

impl QuizStatistics {
    pub fn compute(marks: &Marks) -> QuizStatistics {
        let totals = marks.totals();
        let items = item::all_items(marks, &totals);
        let sum_of_item_variances = items.iter().filter_map(|i| i.mark_variance).sum();
        let test = TestStats::compute(&totals, marks.items().len(), sum_of_item_variances);
        QuizStatistics { test, items }
    }
}

#[cfg(test)]
mod tests;
