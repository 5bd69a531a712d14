//! The shipped banks meet the quality bar of the bank issue: size, balance per skill area,
//! explanations, answer-position balance, no duplicate stems, scenario share.

use certprep::bank::{Bank, QuestionType, load_bank, load_banks};
use certprep::lint::lint_bank;
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
    // The item-writing bar (issue 13): no cue gives keys away, no item error, most
    // single-answer items in option families, at least 40% of items decided by a fact.
    let lint = lint_bank(bank);
    assert!(
        lint.leaks().is_empty(),
        "{}: {:#?}",
        bank.id(),
        lint.leaks()
    );
    assert_eq!(lint.errors(), 0, "{}", lint.table());
    assert!(
        lint.families.share() >= 0.75,
        "{}: {:.0}% of single-answer items in option families",
        bank.id(),
        100.0 * lint.families.share()
    );
    let facts = bank
        .questions
        .iter()
        .filter(|q| q.tags.iter().any(|t| t == "fact"))
        .count();
    let judgement = bank
        .questions
        .iter()
        .filter(|q| q.tags.iter().any(|t| t == "judgement"))
        .count();
    assert_eq!(
        facts + judgement,
        stats.total,
        "{}: every item is tagged `fact` or `judgement`",
        bank.id()
    );
    assert!(
        facts as f64 >= 0.40 * stats.total as f64,
        "{}: {facts} of {} items decided by a fact",
        bank.id(),
        stats.total
    );
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
    // The same stem may serve two scenarios ("Which step should come first?"), not one.
    let mut seen: HashMap<(String, Option<&str>), &str> = HashMap::new();
    for q in &bank.questions {
        if let Some(other) = seen.insert((normalised(&q.stem), q.scenario.as_deref()), &q.id) {
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
    check_common(bank, 450, 30);
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
    check_common(bank, 100, 15);
}

mod common;

fn lint_fixture(name: &str) -> certprep::lint::LintReport {
    let bank =
        load_bank(&common::repo().join("tests/data/lint").join(name)).expect("fixture loads");
    lint_bank(&bank)
}

#[test]
fn lint_flags_every_cue_of_the_old_bank_on_a_leaky_fixture() {
    let r = lint_fixture("leaky");
    let leaks = r.leaks();
    let has = |s: &str| leaks.iter().any(|l| l.contains(s));
    assert!(has("self-justifying clause"), "{leaks:#?}");
    assert!(has("process words"), "{leaks:#?}");
    assert!(has("the key is the longest option"), "{leaks:#?}");
    assert!(has("single-answer keys sit at position a"), "{leaks:#?}");
    let findings: Vec<String> = r.findings.iter().map(|f| f.to_string()).collect();
    let find = |item: &str, text: &str| {
        findings
            .iter()
            .find(|f| f.contains(&format!("{item}: warning")) && f.contains(text))
            .unwrap_or_else(|| panic!("no '{text}' for {item} in {findings:#?}"))
            .clone()
    };
    // Each warning points at the file, line and column of the item's id.
    let all_above = find("leak-01", "All of the above");
    assert!(
        all_above.contains("tests/data/lint/leaky/questions.json:"),
        "{all_above}"
    );
    let at = r
        .findings
        .iter()
        .find(|f| f.item == "leak-01")
        .unwrap()
        .at
        .clone()
        .unwrap();
    let text = std::fs::read_to_string(&at.path).unwrap();
    let line = text.lines().nth(at.line - 1).unwrap();
    assert_eq!(&line[at.column - 1..at.column - 1 + 9], "\"leak-01\"");
    find("leak-02", "mirror images");
    find("leak-01", "the only long option");
    // The clash is reported where each enrolment is written: the two scenarios.
    find("s-maple-a", "different enrolments");
    find("s-maple-b", "different enrolments");
    find("s-unused", "not used by any question");
    assert_eq!(r.errors(), 0);
}

#[test]
fn lint_finds_nothing_on_a_clean_fixture() {
    let r = lint_fixture("clean");
    assert!(r.leaks().is_empty(), "{:#?}", r.leaks());
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    assert_eq!((r.families.families, r.families.covered), (5, 20));
}

#[test]
fn lint_cli_exit_codes_and_gift_lines() {
    let dir = common::repo().join("tests/data/lint");
    let run = |args: &[&str]| {
        let out = common::certprep(args);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, text) = run(&["lint", common::s(&dir.join("clean"))]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("no cue gives keys away"), "{text}");
    // Leaks and warnings alone exit 0; --deny-leaks makes leaks fail.
    let (code, text) = run(&["lint", common::s(&dir.join("leaky"))]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("LEAKS") && text.contains("leak: "), "{text}");
    let (code, _) = run(&["lint", "--deny-leaks", common::s(&dir.join("leaky"))]);
    assert_eq!(code, Some(1));
    // An item whose keys contradict its stem is an error.
    let (code, text) = run(&["lint", common::s(&dir.join("broken"))]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("two-of-three: error: the stem asks for 2 choices but 3 options are correct"),
        "{text}"
    );
    // A GIFT file is checked as it would be imported, with its lines.
    let (code, text) = run(&["lint", common::s(&dir.join("leaky.gift"))]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("leaky.gift:4:1: q1: warning: the key is the only long option"),
        "{text}"
    );
    // A bank id is looked up in the banks folder.
    let (code, text) = run(&["lint", "--banks", common::s(&dir), "lint-clean"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("bank lint-clean"), "{text}");
    let (code, _) = run(&["lint", "--banks", common::s(&dir), "no-such-bank"]);
    assert_eq!(code, Some(1));
}
