//! Small numerical helpers shared by the test and item figures.

/// Sample variances at or below this share of the squared scale are treated as no spread:
/// scores that are all equal can leave a rounding residue (1e-30) that would otherwise turn
/// into a huge skewness instead of "undefined".
const ZERO_VARIANCE: f64 = 1e-12;

pub fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Whether a variance is really zero for values of about this size.
pub fn no_spread(variance: f64, scale: f64) -> bool {
    variance <= ZERO_VARIANCE * (1.0 + scale * scale)
}

/// The median: the middle value, or the mean of the two middle values.
pub fn median(xs: &[f64]) -> Option<f64> {
    let n = xs.len();
    if n == 0 {
        return None;
    }
    let mut v = xs.to_vec();
    let (_, &mut upper, _) = v.select_nth_unstable_by(n / 2, f64::total_cmp);
    if n % 2 == 1 {
        return Some(upper);
    }
    // The lower middle is the largest of the values before the upper middle.
    let lower = v[..n / 2].iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some((lower + upper) / 2.0)
}

/// Sum over pairs of (x − x̄)(y − ȳ) after sorting both lists: the largest covariance sum
/// any pairing of these values could have (Moodle's "covariance max").
pub fn sorted_cross_sum(xs: &mut [f64], ys: &mut [f64], mean_x: f64, mean_y: f64) -> f64 {
    xs.sort_unstable_by(f64::total_cmp);
    ys.sort_unstable_by(f64::total_cmp);
    xs.iter()
        .zip(ys.iter())
        .map(|(x, y)| (x - mean_x) * (y - mean_y))
        .sum()
}
