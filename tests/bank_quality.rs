//! The shipped banks meet the quality bar of the bank issue: size, balance per skill area,
//! explanations, answer-position balance, no duplicate stems, scenario share.

use certprep::bank::{Bank, QuestionType, load_banks};
use certprep::stats::BankStats;
use std::collections::HashMap;
use std::path::PathBuf;

fn shipped() -> certprep::bank::LoadReport {
    let report = load_banks(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("question-banks"));
    let errors: Vec<String> = report
        .failures
        .iter()
        .flat_map(|f| f.errors.iter().map(|e| e.to_string()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    report
}

fn normalised(stem: &str) -> String {
    stem.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The checks every shipped bank must pass.
fn check_common(bank: &Bank, min_total: usize, min_per_area: usize) {
    let stats = BankStats::of(bank);
    assert!(
        stats.total >= min_total,
        "{}: {} questions",
        bank.id(),
        stats.total
    );
    for a in &stats.areas {
        assert!(
            a.count >= min_per_area,
            "{}: {} has {} questions",
            bank.id(),
            a.domain_id,
            a.count
        );
        assert!(
            (a.count as f64 - a.proportional).abs() <= 3.0,
            "{}: {} has {} questions, its weight asks for {:.1}",
            bank.id(),
            a.domain_id,
            a.count,
            a.proportional
        );
    }
    assert_eq!(
        stats.options_without_explanation,
        0,
        "{}: every option needs an explanation",
        bank.id()
    );
    let singles: usize = stats.single_correct_position.values().sum();
    for (pos, n) in &stats.single_correct_position {
        let share = *n as f64 / singles as f64;
        assert!(
            share <= 0.35,
            "{}: correct answer at position {pos} in {:.0}% of single questions",
            bank.id(),
            share * 100.0
        );
    }
    let mut seen: HashMap<String, &str> = HashMap::new();
    for q in &bank.questions {
        if let Some(other) = seen.insert(normalised(&q.stem), &q.id) {
            panic!("{}: {} and {other} have the same stem", bank.id(), q.id);
        }
        assert!(
            q.reference.is_some(),
            "{}: {} has no reference",
            bank.id(),
            q.id
        );
        assert!(
            q.explanation.is_some(),
            "{}: {} has no explanation",
            bank.id(),
            q.id
        );
        if q.kind == QuestionType::Multiple {
            let n = q.correct_ids().len();
            let words = ["two", "three", "four", "2", "3", "4"];
            assert!(
                words.iter().any(|w| q.stem.to_lowercase().contains(w)),
                "{}: {} must say how many to choose ({n})",
                bank.id(),
                q.id
            );
        }
    }
    let tf = stats.by_type.get("true_false").copied().unwrap_or(0);
    assert!(
        tf as f64 <= 0.10 * stats.total as f64,
        "{}: {tf} true/false questions",
        bank.id()
    );
}

#[test]
fn cetl_bank_meets_the_bar() {
    let report = shipped();
    let bank = report.bank("cetl").expect("cetl bank");
    assert_eq!(bank.manifest.domains.len(), 10);
    check_common(bank, 300, 20);
    let stats = BankStats::of(bank);
    assert!(
        stats.scenario_based as f64 >= 0.40 * stats.total as f64,
        "scenario-based: {} of {}",
        stats.scenario_based,
        stats.total
    );
    assert!(stats.by_type.get("multiple").copied().unwrap_or(0) > 0);
    for d in 1..=3 {
        assert!(stats.by_difficulty[d] > 0, "no difficulty {d} questions");
    }
    // Weights are those of the blueprint.
    let w: Vec<f64> = bank.manifest.domains.iter().map(|d| d.weight).collect();
    assert_eq!(w, vec![15., 15., 10., 12., 9., 9., 9., 7., 7., 7.]);
}

#[test]
fn school_it_tech_bank_meets_the_bar() {
    let report = shipped();
    let bank = report.bank("school-it-tech").expect("school-it-tech bank");
    assert_eq!(bank.manifest.domains.len(), 5);
    check_common(bank, 60, 5);
}
