//! Elementary symmetric functions of the item parameters ε_i = exp(−b_i): γ_r is the sum,
//! over every set of r items, of the product of their ε. Under the Rasch model a member
//! with raw score r answered a given set of r items right with probability
//! ∏ε / γ_r, whatever their ability: that is what conditional maximum likelihood uses.

/// γ_0..=γ_n of `eps` (length n + 1), by adding one item at a time:
/// γ'_r = γ_r + ε·γ_{r−1}. Every term is positive, so there is no cancellation.
pub fn esf(eps: &[f64]) -> Vec<f64> {
    let mut g = Vec::with_capacity(eps.len() + 1);
    g.push(1.0);
    for &e in eps {
        add_item(&mut g, e);
    }
    g
}

/// Adds one item with parameter `e` to the functions in `g`, in place.
pub fn add_item(g: &mut Vec<f64>, e: f64) {
    g.push(0.0);
    for r in (1..g.len()).rev() {
        g[r] += e * g[r - 1];
    }
}

/// The functions of every set "all items but i", for each i (n vectors of length n), from
/// prefix and suffix functions convolved: no subtraction, so no loss of precision however
/// far apart the difficulties are. O(n³) in all, O(n²) memory.
pub fn leave_one_out(eps: &[f64]) -> Vec<Vec<f64>> {
    let n = eps.len();
    // prefix[k]: items 0..k; suffix[k]: items k..n.
    let mut prefix = Vec::with_capacity(n + 1);
    prefix.push(vec![1.0]);
    for &e in eps {
        let mut next = prefix[prefix.len() - 1].clone();
        add_item(&mut next, e);
        prefix.push(next);
    }
    let mut suffix = vec![vec![1.0]; n + 1];
    for k in (0..n).rev() {
        let mut next = suffix[k + 1].clone();
        add_item(&mut next, eps[k]);
        suffix[k] = next;
    }
    (0..n)
        .map(|i| convolve(&prefix[i], &suffix[i + 1]))
        .collect()
}

fn convolve(a: &[f64], b: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; a.len() + b.len() - 1];
    for (i, &x) in a.iter().enumerate() {
        for (j, &y) in b.iter().enumerate() {
            out[i + j] += x * y;
        }
    }
    out
}

/// The functions without one more item `e`, from `g` (which includes it), solving
/// γ_r = δ_r + e·δ_{r−1}. Upward (δ_r = γ_r − e·δ_{r−1}) a step multiplies the error so far
/// by e·δ_{r−1}/δ_r, downward by the inverse; that ratio grows with r (the functions are
/// log-concave), so δ is solved upward while it is below 1 and downward from the top for
/// the rest: each value comes from the direction in which errors shrink.
pub fn remove_item(g: &[f64], e: f64) -> Vec<f64> {
    let m = g.len() - 1; // items in g
    let mut d = vec![0.0; m];
    if m == 0 {
        return d;
    }
    d[0] = g[0];
    let mut cross = m;
    for r in 1..m {
        let next = g[r] - e * d[r - 1];
        if e * d[r - 1] > next {
            cross = r;
            break;
        }
        d[r] = next;
    }
    if cross < m {
        d[m - 1] = g[m] / e;
        for r in (cross + 1..m).rev() {
            d[r - 1] = (g[r] - d[r]) / e;
        }
    }
    // Rounding can leave a tiny negative where the true value is a tiny positive.
    for x in &mut d {
        if *x < 0.0 {
            *x = 0.0;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0))
    }

    #[test]
    fn three_items_by_hand() {
        // γ1 = a + b + c, γ2 = ab + ac + bc, γ3 = abc.
        let (a, b, c) = (0.5, 2.0, 3.0);
        let g = esf(&[a, b, c]);
        assert!(close(
            &g,
            &[1.0, a + b + c, a * b + a * c + b * c, a * b * c]
        ));
    }

    #[test]
    fn leaving_one_out_matches_recomputing() {
        let eps: Vec<f64> = [-2.5, -1.0, 0.0, 0.3, 1.7, 3.9, -0.4]
            .iter()
            .map(|b: &f64| (-b).exp())
            .collect();
        let loo = leave_one_out(&eps);
        for (i, without) in loo.iter().enumerate() {
            let mut rest = eps.clone();
            rest.remove(i);
            assert!(close(without, &esf(&rest)), "item {i}");
        }
    }

    #[test]
    fn removing_an_item_in_either_direction_matches_recomputing() {
        let eps: Vec<f64> = [-3.0, -1.2, 0.0, 0.8, 2.4, 4.0]
            .iter()
            .map(|b: &f64| (-b).exp())
            .collect();
        let g = esf(&eps);
        for i in 0..eps.len() {
            let mut rest = eps.clone();
            rest.remove(i);
            let want = esf(&rest);
            let got = remove_item(&g, eps[i]);
            assert!(close(&got, &want), "item {i}: {got:?} vs {want:?}");
        }
    }

    #[test]
    fn removing_an_item_from_a_hundred_keeps_every_function_precise() {
        // Upward alone loses all precision past r ≈ 85 here (relative error 1e-2 and growing).
        let sim = crate::rasch::simulate::simulate(1, 100, 0.0, 19);
        let eps: Vec<f64> = sim.difficulties.iter().map(|b| (-b).exp()).collect();
        let loo = leave_one_out(&eps);
        for m in [1usize, 5, 50, 99] {
            let got = remove_item(&loo[0], eps[m]);
            let mut rest = eps.clone();
            rest.remove(m);
            rest.remove(0);
            let want = esf(&rest);
            for (r, (x, y)) in got.iter().zip(&want).enumerate() {
                assert!((x - y).abs() <= 1e-9 * y.abs(), "m {m} r {r}: {x} vs {y}");
            }
        }
    }
}
