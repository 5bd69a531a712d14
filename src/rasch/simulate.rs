//! Responses drawn from known Rasch parameters (a fixed seed gives the same responses
//! everywhere), for the recovery tests and the benchmarks.

use super::Responses;
use super::ability::sigmoid;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Known parameters and the responses drawn from them.
pub struct Simulated {
    pub difficulties: Vec<f64>,
    pub abilities: Vec<f64>,
    pub responses: Responses,
    /// Every row complete, for callers that want plain right/wrong rows.
    pub rows: Vec<Vec<bool>>,
}

/// `members` × `items` answers: difficulties ~ N(0, 1), abilities ~ N(`mean_ability`, 1).
pub fn simulate(members: usize, items: usize, mean_ability: f64, seed: u64) -> Simulated {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let difficulties: Vec<f64> = (0..items).map(|_| normal(&mut rng)).collect();
    let abilities: Vec<f64> = (0..members)
        .map(|_| mean_ability + normal(&mut rng))
        .collect();
    let mut responses = Responses::new(items);
    let mut rows = Vec::with_capacity(members);
    for &theta in &abilities {
        let row: Vec<bool> = difficulties
            .iter()
            .map(|&b| rng.random::<f64>() < sigmoid(theta - b))
            .collect();
        // Rows have `items` entries by construction.
        let _ = responses.push_complete(&row);
        rows.push(row);
    }
    Simulated {
        difficulties,
        abilities,
        responses,
        rows,
    }
}

/// A standard normal draw (Box–Muller: rand_distr is not a dependency, and one normal at a
/// time is enough). The learner simulation draws its normals here too.
pub fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random_range(f64::EPSILON..1.0);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Pearson's correlation of two equally long series (how well estimates recover the truth).
pub fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}
