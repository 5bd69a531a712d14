//! Whole-test figures, from each attempt's total mark.

use super::moments::{mean, median, no_spread};

/// Moodle's "quiz structure analysis" figures. Marks are in the test's own units (for
/// right/wrong questions: number right); `cic`, `error_ratio` are percentages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TestStats {
    pub attempts: usize,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    /// Sample standard deviation of the totals (n − 1); from 2 attempts.
    pub sd: Option<f64>,
    /// Sample skewness (k3 / k2^1.5); from 3 attempts, when the totals vary.
    pub skewness: Option<f64>,
    /// Sample excess kurtosis (k4 / k2²); from 4 attempts, when the totals vary.
    pub kurtosis: Option<f64>,
    /// Coefficient of internal consistency, Cronbach's alpha (KR-20 for right/wrong
    /// items) × 100; from 3 attempts and 2 items, when the totals vary. Can be negative.
    pub cic: Option<f64>,
    /// 100 × √(1 − CIC/100): the share of the spread that is measurement error.
    pub error_ratio: Option<f64>,
    /// Standard error of measurement: error ratio × SD / 100, in marks.
    pub standard_error: Option<f64>,
}

/// Sums of the 2nd, 3rd and 4th powers of the totals' distances from their mean.
struct Powers {
    p2: f64,
    p3: f64,
    p4: f64,
}

fn powers(totals: &[f64], mean: f64) -> Powers {
    let mut p = Powers {
        p2: 0.0,
        p3: 0.0,
        p4: 0.0,
    };
    for t in totals {
        let d = t - mean;
        let d2 = d * d;
        p.p2 += d2;
        p.p3 += d2 * d;
        p.p4 += d2 * d2;
    }
    p
}

impl TestStats {
    /// `items` is the number of items, `sum_of_item_variances` the sum of each item's
    /// sample mark variance (what alpha compares the total's variance with).
    pub fn compute(totals: &[f64], items: usize, sum_of_item_variances: f64) -> TestStats {
        let mut stats = TestStats {
            attempts: totals.len(),
            mean: mean(totals),
            median: median(totals),
            ..TestStats::default()
        };
        let Some(m) = stats.mean else {
            return stats;
        };
        let s = totals.len() as f64;
        if totals.len() < 2 {
            return stats;
        }
        let p = powers(totals, m);
        let sd = (p.p2 / (s - 1.0)).sqrt();
        stats.sd = Some(sd);
        if totals.len() < 3 {
            return stats;
        }
        // Unbiased cumulants k2, k3, k4 from the central moments m2, m3, m4.
        let (m2, m3, m4) = (p.p2 / s, p.p3 / s, p.p4 / s);
        let k2 = s * m2 / (s - 1.0);
        if no_spread(k2, m) {
            return stats;
        }
        let k3 = s * s * m3 / ((s - 1.0) * (s - 2.0));
        stats.skewness = Some(k3 / k2.powf(1.5));
        if totals.len() > 3 {
            let k4 = s * s * ((s + 1.0) * m4 - 3.0 * (s - 1.0) * m2 * m2)
                / ((s - 1.0) * (s - 2.0) * (s - 3.0));
            stats.kurtosis = Some(k4 / (k2 * k2));
        }
        if items > 1 {
            let n = items as f64;
            let cic = 100.0 * n / (n - 1.0) * (1.0 - sum_of_item_variances / k2);
            // Alpha cannot exceed 1 in exact arithmetic; rounding can pass it by an ulp.
            let error_ratio = 100.0 * (1.0 - cic / 100.0).max(0.0).sqrt();
            stats.cic = Some(cic);
            stats.error_ratio = Some(error_ratio);
            stats.standard_error = Some(error_ratio * sd / 100.0);
        }
        stats
    }
}
