use super::*;

fn right_wrong(rows: &[&[u8]]) -> Marks {
    let n = rows.first().map_or(0, |r| r.len());
    let mut m = Marks::new(vec![Item::right_wrong(Some(0.25)); n]).unwrap();
    for r in rows {
        let row: Vec<bool> = r.iter().map(|&x| x == 1).collect();
        m.push_right_wrong(&row).unwrap();
    }
    m
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

/// No figure anywhere is NaN or infinite: undefined is `None`.
fn all_finite(s: &QuizStatistics) -> bool {
    let t = &s.test;
    let test = [
        t.mean,
        t.median,
        t.sd,
        t.skewness,
        t.kurtosis,
        t.cic,
        t.error_ratio,
        t.standard_error,
    ];
    let items = s.items.iter().flat_map(|i| {
        [
            i.facility,
            i.sd,
            i.effective_weight,
            i.discrimination_index,
            i.discriminative_efficiency,
            Some(i.intended_weight),
        ]
    });
    test.into_iter().chain(items).flatten().all(f64::is_finite)
}

#[test]
fn a_small_test_worked_by_hand() {
    // Four attempts, three right/wrong items. Totals 3, 2, 1, 0: mean 1.5, median 1.5,
    // sample variance 5/3.
    let m = right_wrong(&[&[1, 1, 1], &[1, 1, 0], &[1, 0, 0], &[0, 0, 0]]);
    let s = QuizStatistics::compute(&m);
    assert_eq!(s.test.attempts, 4);
    assert!(close(s.test.mean, 1.5));
    assert!(close(s.test.median, 1.5));
    assert!(close(s.test.sd, (5.0f64 / 3.0).sqrt()));
    // Symmetric totals: no skew.
    assert!(close(s.test.skewness, 0.0));
    // Item variances (n − 1): 0.25, 1/3, 0.25; alpha = 1.5 × (1 − (5/6) / (5/3)) = 0.75.
    assert!(close(s.test.cic, 75.0));
    assert!(close(s.test.error_ratio, 50.0));
    assert!(close(s.test.standard_error, 0.5 * (5.0f64 / 3.0).sqrt()));
    // Item 1: right for 3 of 4; rest scores 2, 1, 0, 0 against marks 1, 1, 1, 0.
    let i1 = &s.items[0];
    assert!(close(i1.facility, 0.75));
    assert!(close(i1.sd, 0.5));
    assert!(close(Some(i1.intended_weight), 100.0 / 3.0));
    assert_eq!(i1.random_guess, Some(0.25));
    // cov = Σ dx·do / 3 with x̄ = .75, ō = .75: (.25·1.25 + .25·.25 + .25·−.75 + −.75·−.75)/3
    let cov = (0.25 * 1.25 + 0.25 * 0.25 + 0.25 * -0.75 + -0.75 * -0.75) / 3.0;
    let other_var = (1.25f64.powi(2) + 0.25f64.powi(2) + 2.0 * 0.75f64.powi(2)) / 3.0;
    assert!(close(i1.covariance, cov));
    assert!(close(
        i1.discrimination_index,
        100.0 * cov / (0.25 * other_var).sqrt()
    ));
    // These marks already pair with the rest scores in order: efficiency 100%.
    assert!(close(i1.discriminative_efficiency, 100.0));
    let weights: f64 = s.items.iter().filter_map(|i| i.effective_weight).sum();
    assert!((weights - 100.0).abs() < 1e-9);
    assert!(all_finite(&s));
}

#[test]
fn one_member_has_a_mean_and_nothing_that_needs_spread() {
    let s = QuizStatistics::compute(&right_wrong(&[&[1, 0, 1]]));
    assert_eq!(s.test.attempts, 1);
    assert!(close(s.test.mean, 2.0));
    assert!(close(s.test.median, 2.0));
    assert_eq!((s.test.sd, s.test.skewness, s.test.cic), (None, None, None));
    for (item, facility) in s.items.iter().zip([1.0, 0.0, 1.0]) {
        assert!(close(item.facility, facility));
        assert_eq!((item.sd, item.discrimination_index), (None, None));
        assert_eq!(item.effective_weight, None);
        assert!(item.flags.is_empty());
    }
    assert!(all_finite(&s));
}

#[test]
fn everybody_right_gives_none_not_nan() {
    let s = QuizStatistics::compute(&right_wrong(&[&[1, 1], &[1, 1], &[1, 1], &[1, 1]]));
    assert!(close(s.test.sd, 0.0));
    assert_eq!((s.test.skewness, s.test.kurtosis), (None, None));
    assert_eq!(
        (s.test.cic, s.test.error_ratio, s.test.standard_error),
        (None, None, None)
    );
    for item in &s.items {
        assert!(close(item.facility, 1.0));
        assert!(close(item.sd, 0.0));
        assert_eq!(item.discrimination_index, None);
        assert_eq!(item.discriminative_efficiency, None);
        assert_eq!(item.effective_weight, None);
        assert_eq!(item.needs_checking, None);
    }
    assert!(all_finite(&s));
}

#[test]
fn equal_totals_from_varying_items_give_no_alpha() {
    // Each attempt gets exactly one of two items: the items vary, the totals do not.
    let s = QuizStatistics::compute(&right_wrong(&[&[1, 0], &[0, 1], &[1, 0], &[0, 1]]));
    assert!(close(s.test.sd, 0.0));
    assert_eq!(s.test.cic, None);
    // Against the rest (the other item) each item is perfectly negative.
    assert!(close(s.items[0].discrimination_index, -100.0));
    assert_eq!(s.items[0].needs_checking, Some(NeedsChecking::VeryLikely));
    assert!(
        s.items[0]
            .flags
            .contains(&ItemFlag::LowDiscriminativeEfficiency)
    );
    assert!(all_finite(&s));
}

#[test]
fn fractional_totals_that_are_all_equal_count_as_no_spread() {
    // 0.1 + 0.2 style rounding must not turn into a skewness of 1e15.
    let mut m = Marks::new(vec![
        Item {
            max_mark: 1.0,
            random_guess: None
        };
        2
    ])
    .unwrap();
    for _ in 0..5 {
        m.push(&[0.1, 0.2]).unwrap();
    }
    let s = QuizStatistics::compute(&m);
    assert_eq!((s.test.skewness, s.test.cic), (None, None));
    assert!(all_finite(&s));
}

#[test]
fn medians_of_odd_and_even_counts() {
    let odd = right_wrong(&[&[1, 1], &[0, 0], &[1, 0]]);
    assert!(close(QuizStatistics::compute(&odd).test.median, 1.0));
    let even = right_wrong(&[&[1, 1], &[0, 0], &[1, 0], &[1, 1]]);
    assert!(close(QuizStatistics::compute(&even).test.median, 1.5));
}

#[test]
fn no_attempts_and_no_items_are_empty_not_errors() {
    let empty = QuizStatistics::compute(&Marks::new(vec![Item::right_wrong(None); 3]).unwrap());
    assert_eq!(empty.test.attempts, 0);
    assert_eq!(empty.test.mean, None);
    assert_eq!(empty.items.len(), 3);
    assert!(empty.items.iter().all(|i| i.facility.is_none()));
    let mut none = Marks::new(Vec::new()).unwrap();
    assert_eq!(none.attempts(), 0);
    assert_eq!(
        none.push(&[1.0]),
        Err(StatsError::WrongLength {
            attempt: 1,
            found: 1,
            expected: 0
        })
    );
}

#[test]
fn bad_input_is_a_typed_error_and_adds_nothing() {
    assert!(matches!(
        Marks::new(vec![Item {
            max_mark: 0.0,
            random_guess: None
        }]),
        Err(StatsError::BadMaxMark { item: 1, .. })
    ));
    assert!(matches!(
        Marks::new(vec![Item::right_wrong(Some(1.5))]),
        Err(StatsError::BadRandomGuess { item: 1, .. })
    ));
    let mut m = Marks::new(vec![Item::right_wrong(None); 2]).unwrap();
    m.push(&[1.0, 0.0]).unwrap();
    assert_eq!(
        m.push(&[1.0]),
        Err(StatsError::WrongLength {
            attempt: 2,
            found: 1,
            expected: 2
        })
    );
    for bad in [f64::NAN, -0.5, 1.5, f64::INFINITY] {
        let e = m.push(&[0.0, bad]).unwrap_err();
        assert!(matches!(
            e,
            StatsError::MarkOutOfRange {
                attempt: 2,
                item: 2,
                ..
            }
        ));
        assert!(e.to_string().contains("attempt 2, item 2"), "{e}");
    }
    assert_eq!(m.attempts(), 1);
}

#[test]
fn needs_checking_thresholds_are_moodles() {
    use NeedsChecking::*;
    let verdicts: Vec<NeedsChecking> = [-5.0, 29.9, 30.0, 49.9, 50.0, 90.0]
        .into_iter()
        .map(NeedsChecking::from_discrimination_index)
        .collect();
    assert_eq!(
        verdicts,
        [VeryLikely, VeryLikely, Likely, Likely, Unlikely, Unlikely]
    );
}

#[test]
fn discrimination_index_is_the_correlation_with_the_rest_score() {
    let rows: [&[u8]; 7] = [
        &[1, 1, 0, 1],
        &[0, 1, 0, 0],
        &[1, 0, 1, 1],
        &[1, 1, 1, 0],
        &[0, 0, 0, 1],
        &[0, 0, 1, 0],
        &[1, 1, 1, 1],
    ];
    let s = QuizStatistics::compute(&right_wrong(&rows));
    for (i, item) in s.items.iter().enumerate() {
        let x: Vec<f64> = rows.iter().map(|r| f64::from(r[i])).collect();
        let rest: Vec<f64> = rows
            .iter()
            .map(|r| r.iter().map(|&v| f64::from(v)).sum::<f64>() - f64::from(r[i]))
            .collect();
        let n = x.len() as f64;
        let (mx, mr) = (x.iter().sum::<f64>() / n, rest.iter().sum::<f64>() / n);
        let cov: f64 = x.iter().zip(&rest).map(|(a, b)| (a - mx) * (b - mr)).sum();
        let vx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
        let vr: f64 = rest.iter().map(|b| (b - mr).powi(2)).sum();
        let pearson = cov / (vx * vr).sqrt();
        assert!(
            close(item.discrimination_index, 100.0 * pearson),
            "item {i}"
        );
    }
}
