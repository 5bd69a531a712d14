//! A member's ability on the scale of calibrated items: maximum likelihood given the items'
//! difficulties, the way Rasch programs report person measures.

/// A score of 0 or of every item has no finite maximum-likelihood ability. It is estimated
/// as if this much of one answer had gone the other way (Winsteps' default, EXTRSC = 0.3),
/// so an extreme member still gets a finite, clearly-labelled measure.
pub const EXTREME_SCORE_ADJUSTMENT: f64 = 0.3;

/// Abilities are kept within this many logits: further out, a handful of answers cannot
/// tell two values apart and the chance of a right answer is 0 or 1 to the precision shown.
pub const ABILITY_LIMIT: f64 = 10.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ability {
    /// Logits, on the scale of the difficulties it was estimated from.
    pub theta: f64,
    /// Standard error: 1 / √(Σ p(1 − p)), the inverse square root of the test information
    /// at `theta`.
    pub se: f64,
    pub answered: usize,
    pub right: usize,
    /// Every answer right or every answer wrong: `theta` used the extreme-score adjustment.
    pub extreme: bool,
}

pub(crate) fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// The maximum-likelihood ability for answers to items of known difficulty: the θ at which
/// the expected score Σ σ(θ − b_i) equals the score. None when there is no answer.
pub fn estimate(answers: &[(f64, bool)]) -> Option<Ability> {
    let n = answers.len();
    if n == 0 {
        return None;
    }
    let right = answers.iter().filter(|(_, x)| *x).count();
    let extreme = right == 0 || right == n;
    let score = (right as f64).clamp(
        EXTREME_SCORE_ADJUSTMENT,
        n as f64 - EXTREME_SCORE_ADJUSTMENT,
    );
    let mean_b = answers.iter().map(|(b, _)| b).sum::<f64>() / n as f64;
    let mut theta = (score / (n as f64 - score)).ln() + mean_b;
    // Newton's method on a function that is increasing and concave-then-convex: steps are
    // capped so a start far out cannot overshoot, and it stops when a step is negligible.
    for _ in 0..100 {
        let (expected, info) = expected_and_information(answers, theta);
        if info <= 0.0 {
            break;
        }
        let step = ((score - expected) / info).clamp(-1.0, 1.0);
        theta = (theta + step).clamp(-ABILITY_LIMIT, ABILITY_LIMIT);
        if step.abs() < 1e-10 {
            break;
        }
    }
    let (_, info) = expected_and_information(answers, theta);
    Some(Ability {
        theta,
        se: 1.0 / info.max(1e-12).sqrt(),
        answered: n,
        right,
        extreme,
    })
}

/// Σ p_i and Σ p_i(1 − p_i) at `theta`.
fn expected_and_information(answers: &[(f64, bool)], theta: f64) -> (f64, f64) {
    answers.iter().fold((0.0, 0.0), |(e, i), (b, _)| {
        let p = sigmoid(theta - b);
        (e + p, i + p * (1.0 - p))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_right_on_items_of_equal_difficulty_is_that_difficulty() {
        let answers: Vec<(f64, bool)> = (0..10).map(|i| (0.7, i % 2 == 0)).collect();
        let a = estimate(&answers).expect("answers");
        assert!((a.theta - 0.7).abs() < 1e-9);
        // Information 10 · ¼: SE = 1/√2.5.
        assert!((a.se - 1.0 / 2.5f64.sqrt()).abs() < 1e-9);
        assert!(!a.extreme);
    }

    #[test]
    fn the_estimate_solves_the_likelihood_equation() {
        let answers = [
            (-1.0, true),
            (0.0, true),
            (0.5, false),
            (1.2, true),
            (2.0, false),
        ];
        let a = estimate(&answers).expect("answers");
        let expected: f64 = answers.iter().map(|(b, _)| sigmoid(a.theta - b)).sum();
        assert!((expected - 3.0).abs() < 1e-9, "{expected}");
    }

    #[test]
    fn extreme_scores_are_finite_and_marked() {
        let all_right: Vec<(f64, bool)> = (0..5).map(|i| (i as f64 * 0.5, true)).collect();
        let a = estimate(&all_right).expect("answers");
        assert!(a.extreme && a.theta.is_finite() && a.theta > 2.0);
        let expected: f64 = all_right.iter().map(|(b, _)| sigmoid(a.theta - b)).sum();
        assert!((expected - (5.0 - EXTREME_SCORE_ADJUSTMENT)).abs() < 1e-9);
        assert!(estimate(&[]).is_none());
    }
}
