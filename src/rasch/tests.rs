use super::simulate::correlation;
use super::simulate::simulate;
use super::*;

fn difficulties(c: &Calibration) -> Vec<f64> {
    c.items
        .iter()
        .map(|i| i.difficulty.unwrap_or(f64::NAN))
        .collect()
}

#[test]
fn recovers_known_difficulties_at_500_members_by_100_items() {
    let sim = simulate(500, 100, 0.3, 19);
    let c = calibrate(&sim.responses).expect("calibrates");
    assert!(c.items.iter().all(|i| i.status == ItemStatus::Calibrated));
    let r = correlation(&difficulties(&c), &sim.difficulties);
    assert!(r >= 0.95, "correlation {r}");
    let thetas: Vec<f64> = c
        .members
        .iter()
        .map(|m| m.map_or(0.0, |m| m.theta))
        .collect();
    let r_theta = correlation(&thetas, &sim.abilities);
    // 100 items measure a member to about ±0.23 logits against a spread of 1.
    assert!(r_theta >= 0.95, "ability correlation {r_theta}");
    // The centred truth and the estimate agree item by item within about 3 standard errors.
    let mean = sim.difficulties.iter().sum::<f64>() / 100.0;
    let far = c
        .items
        .iter()
        .zip(&sim.difficulties)
        .filter(|(e, t)| {
            let (d, se) = (e.difficulty.unwrap_or(0.0), e.se.unwrap_or(0.0));
            (d - (*t - mean)).abs() > 3.0 * se
        })
        .count();
    assert!(far <= 2, "{far} items further than 3 SE from the truth");
}

#[test]
fn standard_errors_match_the_spread_of_estimates_over_replications() {
    // 40 groups of 200 from the same items: the SD of an item's estimates over the groups is
    // what its standard error claims.
    let items = 20;
    let base = simulate(1, items, 0.0, 5).difficulties;
    let mut estimates = vec![Vec::new(); items];
    let mut ses = vec![0.0; items];
    for seed in 0..40 {
        let mut sim = simulate(200, items, 0.0, 1000 + seed);
        // Same difficulties in every replication: redraw the answers from `base`.
        let mut responses = Responses::new(items);
        for &theta in &sim.abilities {
            let row: Vec<bool> = base
                .iter()
                .zip(&sim.rows[0])
                .enumerate()
                .map(|(i, (b, _))| {
                    // A deterministic uniform per (seed, member, item) from the drawn rows'
                    // randomness is not needed: hash into [0, 1).
                    let u = ((seed as f64 * 7919.0 + theta * 104729.0 + i as f64 * 13.0).sin()
                        * 43758.5453)
                        .fract()
                        .abs();
                    u < ability::sigmoid(theta - b)
                })
                .collect();
            responses.push_complete(&row).expect("row");
        }
        sim.responses = responses;
        let c = calibrate(&sim.responses).expect("calibrates");
        for (i, e) in c.items.iter().enumerate() {
            estimates[i].push(e.difficulty.unwrap_or(0.0));
            ses[i] += e.se.unwrap_or(0.0) / 40.0;
        }
    }
    let mut ratio_sum = 0.0;
    for i in 0..items {
        let n = estimates[i].len() as f64;
        let mean = estimates[i].iter().sum::<f64>() / n;
        let sd = (estimates[i].iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        ratio_sum += sd / ses[i];
    }
    let ratio = ratio_sum / items as f64;
    assert!((0.8..1.2).contains(&ratio), "empirical SD / SE = {ratio}");
}

#[test]
fn pooled_packs_sharing_items_land_on_one_scale() {
    // Pack A: items 0..60, pack B: items 40..100, 400 members each; 20 items shared.
    let sim = simulate(800, 100, 0.0, 23);
    let mut responses = Responses::new(100);
    for (m, row) in sim.rows.iter().enumerate() {
        let range = if m < 400 { 0..60 } else { 40..100 };
        let r: Vec<Option<bool>> = (0..100)
            .map(|i| range.contains(&i).then_some(row[i]))
            .collect();
        responses.push(r).expect("row");
    }
    let c = calibrate(&responses).expect("calibrates");
    assert!(c.items.iter().all(|i| i.status == ItemStatus::Calibrated));
    let r = correlation(&difficulties(&c), &sim.difficulties);
    assert!(r >= 0.95, "correlation {r}");
    // Items answered by half the members have larger errors than shared ones.
    let se = |i: usize| c.items[i].se.unwrap_or(0.0);
    let only_a: f64 = (0..40).map(se).sum::<f64>() / 40.0;
    let shared: f64 = (40..60).map(se).sum::<f64>() / 20.0;
    assert!(shared < only_a, "shared {shared} vs one pack {only_a}");
}

#[test]
fn packs_sharing_nothing_calibrate_the_larger_and_say_why_not_the_other() {
    let sim = simulate(300, 40, 0.0, 29);
    let mut responses = Responses::new(40);
    for (m, row) in sim.rows.iter().enumerate() {
        let range = if m < 200 { 0..20 } else { 20..40 };
        responses
            .push(
                (0..40)
                    .map(|i| range.contains(&i).then_some(row[i]))
                    .collect(),
            )
            .expect("row");
    }
    let c = calibrate(&responses).expect("calibrates");
    assert!(
        c.items[..20]
            .iter()
            .all(|i| i.status == ItemStatus::Calibrated)
    );
    assert!(
        c.items[20..]
            .iter()
            .all(|i| i.status == ItemStatus::NotLinked)
    );
    assert!(c.items[20].difficulty.is_none());
}

#[test]
fn items_everyone_got_right_or_wrong_are_named_not_estimated() {
    let sim = simulate(200, 12, 0.0, 31);
    let mut responses = Responses::new(14);
    for row in &sim.rows {
        let mut r = row.clone();
        r.push(true); // item 12: everyone right
        r.push(false); // item 13: everyone wrong
        responses.push_complete(&r).expect("row");
    }
    let c = calibrate(&responses).expect("calibrates");
    assert_eq!(c.items[12].status, ItemStatus::AllRight);
    assert_eq!(c.items[13].status, ItemStatus::AllWrong);
    assert_eq!(c.items[12].responses, 200);
    let sum: f64 = c.items.iter().filter_map(|i| i.difficulty).sum();
    assert!(
        sum.abs() < 1e-9,
        "calibrated difficulties sum to zero: {sum}"
    );
    // Members who got everything else right still get a (finite, marked) measure.
    assert!(c.members.iter().flatten().all(|m| m.theta.is_finite()));
}

#[test]
fn too_few_members_is_a_reason_not_a_number() {
    let sim = simulate(20, 30, 0.0, 37);
    let err = calibrate(&sim.responses).expect_err("20 members");
    assert!(
        matches!(
            err,
            RaschError::TooFewMembers {
                need: MIN_MEMBERS,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("at least 30 members"));
    let mut bad = Responses::new(3);
    assert!(bad.push(vec![Some(true)]).is_err());
}

#[test]
fn a_miskeyed_item_misfits_and_a_model_item_does_not() {
    // Item 0's answers are reversed (the strong get it wrong): far noisier than the model.
    let sim = simulate(600, 30, 0.0, 41);
    let mut responses = Responses::new(30);
    for row in &sim.rows {
        let mut r = row.clone();
        r[0] = !r[0];
        responses.push_complete(&r).expect("row");
    }
    let c = calibrate(&responses).expect("calibrates");
    assert!(c.items[0].misfits(), "{:?}", c.items[0]);
    assert!(c.items[0].outfit.unwrap_or(0.0) > 1.3);
    let misfitting = c.items[1..].iter().filter(|i| i.misfits()).count();
    assert!(misfitting <= 1, "{misfitting} model items flagged");
    assert!(c.items[0].outfit_z.unwrap_or(0.0) > 2.0);
}

#[test]
fn in_a_small_group_chance_departures_are_not_flagged() {
    // 60 members answering 30 questions exactly as the model says: mean squares wander
    // outside 0.7–1.3 by chance, their standardised values mostly do not.
    let mut flagged = 0;
    let mut outside = 0;
    for seed in 0..10 {
        let sim = simulate(60, 30, 0.5, 500 + seed);
        let c = calibrate(&sim.responses).expect("calibrates");
        flagged += c.items.iter().filter(|i| i.misfits()).count();
        outside += c
            .items
            .iter()
            .filter(|i| {
                let out =
                    |v: Option<f64>| v.is_some_and(|v| !(FIT_RANGE.0..=FIT_RANGE.1).contains(&v));
                out(i.infit) || out(i.outfit)
            })
            .count();
    }
    // Of 300 fitting questions: many outside the range (42 on these seeds), few flagged (5).
    assert!(
        outside > 3 * flagged,
        "{outside} outside the range, {flagged} flagged"
    );
    assert!(flagged <= 15, "{flagged} of 300 flagged");
}

#[test]
fn standardised_fit_is_hand_computed() {
    // v = 1: z = q/3; v = 1.728 (1.2³), q = 0.2: (1.2 − 1)·15 + 0.0667 = 3.0667.
    assert!((wilson_hilferty(1.0, 0.3) - 0.1).abs() < 1e-12);
    assert!((wilson_hilferty(1.728, 0.2) - (3.0 + 0.2 / 3.0)).abs() < 1e-9);
}
