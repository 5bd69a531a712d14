//! Property tests for blueprint assembly over randomly shaped banks.

use certprep::bank::{
    AnswerOption, Bank, Domain, ExamDefaults, Manifest, Question, QuestionType, Scenario,
};
use certprep::exam::{Blueprint, assemble};
use proptest::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// (weight, questions, scenario group size) per domain.
fn bank_from(shape: &[(u8, u8, u8)]) -> Bank {
    let mut questions = Vec::new();
    let mut scenarios = Vec::new();
    for (d, &(_, n, group)) in shape.iter().enumerate() {
        for i in 0..n as usize {
            let scenario = (group > 1).then(|| format!("s{d}-{}", i / group as usize));
            if let Some(s) = &scenario
                && !scenarios.iter().any(|x: &Scenario| &x.id == s)
            {
                scenarios.push(Scenario {
                    id: s.clone(),
                    text: "passage".into(),
                });
            }
            questions.push(Question {
                id: format!("d{d}-q{i}"),
                domain: format!("d{d}"),
                kind: QuestionType::Single,
                scenario,
                stem: format!("stem {d} {i}"),
                options: ["a", "b", "c", "d"]
                    .iter()
                    .map(|o| AnswerOption {
                        id: o.to_string(),
                        text: o.to_string(),
                        correct: *o == "a",
                        explanation: None,
                    })
                    .collect(),
                explanation: None,
                difficulty: None,
                tags: vec![],
                reference: None,
            });
        }
    }
    let manifest = Manifest {
        format: certprep::bank::FORMAT_V1.into(),
        id: "p".into(),
        title: "P".into(),
        version: "1".into(),
        exam: ExamDefaults {
            questions: 10,
            minutes: 10,
            pass_percent: 70.0,
        },
        domains: shape
            .iter()
            .enumerate()
            .map(|(d, &(w, _, _))| Domain {
                id: format!("d{d}"),
                name: format!("D{d}"),
                category: "c".into(),
                weight: w as f64,
            })
            .collect(),
    };
    if questions.is_empty() {
        questions.push(Question {
            id: "extra".into(),
            domain: "d0".into(),
            ..questions_template()
        });
    }
    Bank::from_parts(manifest, PathBuf::from("/p"), scenarios, questions).expect("valid bank")
}

fn questions_template() -> Question {
    Question {
        id: String::new(),
        domain: String::new(),
        kind: QuestionType::TrueFalse,
        scenario: None,
        stem: "tf".into(),
        options: vec![
            AnswerOption {
                id: "a".into(),
                text: "True".into(),
                correct: true,
                explanation: None,
            },
            AnswerOption {
                id: "b".into(),
                text: "False".into(),
                correct: false,
                explanation: None,
            },
        ],
        explanation: None,
        difficulty: None,
        tags: vec![],
        reference: None,
    }
}

fn shape() -> impl Strategy<Value = Vec<(u8, u8, u8)>> {
    prop::collection::vec((1u8..30, 0u8..25, 0u8..5), 1..7)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn assembly_properties(shape in shape(), count in 1usize..160, seed in any::<u64>()) {
        let bank = bank_from(&shape);
        let exam = assemble(&bank, count, seed);
        // Exact count (the whole bank when it is smaller).
        prop_assert_eq!(exam.len(), count.min(bank.questions.len()));
        // No duplicates.
        let ids: HashSet<&str> = exam.iter().map(|i| i.question_id.as_str()).collect();
        prop_assert_eq!(ids.len(), exam.len());
        // Per-area counts follow the blueprint, which never exceeds what an area has.
        let bp = Blueprint::for_bank(&bank, count);
        let mut per: HashMap<String, usize> = HashMap::new();
        for it in &exam {
            *per.entry(bank.question(&it.question_id).unwrap().domain.clone()).or_default() += 1;
        }
        for (d, n) in &bp.counts {
            prop_assert_eq!(per.get(d).copied().unwrap_or(0), *n);
            prop_assert!(*n <= bank.questions_in(d).count());
        }
        // Questions of one scenario are contiguous.
        let mut last_pos: HashMap<&str, usize> = HashMap::new();
        for (pos, it) in exam.iter().enumerate() {
            if let Some(s) = bank.question(&it.question_id).unwrap().scenario.as_deref()
                && let Some(prev) = last_pos.insert(s, pos)
            {
                prop_assert_eq!(prev + 1, pos, "scenario {} split", s);
            }
        }
        // Same seed, same exam.
        prop_assert_eq!(&exam, &assemble(&bank, count, seed));
    }

    #[test]
    fn blueprint_is_proportional_when_no_area_runs_short(
        weights in prop::collection::vec(1u8..30, 1..10), count in 1usize..200
    ) {
        let domains: Vec<(String, f64, usize)> = weights
            .iter()
            .enumerate()
            .map(|(i, w)| (format!("d{i}"), *w as f64, 1000))
            .collect();
        let bp = Blueprint::allocate(&domains, count);
        prop_assert_eq!(bp.total(), count);
        let sum: f64 = weights.iter().map(|w| *w as f64).sum();
        for ((_, n), w) in bp.counts.iter().zip(&weights) {
            let exact = count as f64 * *w as f64 / sum;
            prop_assert!((*n as f64 - exact).abs() < 1.0, "{} vs {}", n, exact);
        }
    }
}
