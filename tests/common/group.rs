//! Study-group fixtures shared by the group tests: a pack of the shipped CETL bank and
//! members whose answers follow known Rasch parameters, written as real result files.

use certprep::bank::{Bank, load_bank};
use certprep::exam::{ItemResult, ScoreReport};
use certprep::group::{ExamPack, MemberResult, PackOptions};
use certprep::rasch::simulate::simulate;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub fn cetl() -> Bank {
    load_bank(&super::repo().join("question-banks/cetl")).expect("the shipped CETL bank loads")
}

/// The small fixture bank the UI tests sit.
pub fn mini() -> Bank {
    load_bank(&super::fixture_banks().join("mini")).expect("the mini bank loads")
}

/// The mini bank's six-question pack, seed 7, titled "Spring mock", ten minutes.
pub fn spring_mock(embed: bool) -> ExamPack {
    ExamPack::build(
        &mini(),
        &PackOptions {
            questions: 6,
            minutes: 10,
            seed: 7,
            embed,
            title: Some("Spring mock".into()),
            pass_percent: None,
            opens: None,
            closes: None,
        },
    )
    .expect("pack builds")
}

/// A pack of `questions` drawn from `bank` with `seed`, titled "County mock <seed>".
pub fn county_mock(bank: &Bank, questions: usize, seed: u64) -> ExamPack {
    ExamPack::build(
        bank,
        &PackOptions {
            questions,
            minutes: 60,
            seed,
            embed: false,
            title: Some(format!("County mock {seed}")),
            pass_percent: None,
            opens: None,
            closes: None,
        },
    )
    .expect("pack builds")
}

/// A sealed result whose selections are right exactly where `right[i]`; a wrong answer picks
/// one of the first two distractors shown, by member number, so distractors draw differently.
pub fn result(pack: &ExamPack, bank: &Bank, member: usize, right: &[bool]) -> MemberResult {
    let items: Vec<ItemResult> = pack
        .items
        .iter()
        .zip(right)
        .map(|(it, &ok)| {
            let q = bank
                .question(&it.question_id)
                .expect("pack question in bank");
            let wrong: Vec<&str> = it
                .option_order
                .iter()
                .filter(|o| q.option(o).is_some_and(|o| !o.correct))
                .map(String::as_str)
                .collect();
            let selected = if ok {
                q.correct_ids()
            } else {
                vec![wrong[member % wrong.len().min(2)].to_string()]
            };
            ItemResult {
                question_id: it.question_id.clone(),
                domain_id: it.domain.clone(),
                selected,
                correct_ids: vec![],
                is_correct: ok,
            }
        })
        .collect();
    let report = score_report(bank, pack, items, 70.0);
    MemberResult::new(
        &pack.pack_id,
        &format!("Member {member:03}"),
        &report,
        Duration::from_secs(1800),
        false,
    )
    .expect("result seals")
}

/// The score report a member with these answers would have (the per-area counts follow the
/// answers; reports score the selections again anyway).
pub fn score_report(
    bank: &Bank,
    pack: &ExamPack,
    items: Vec<ItemResult>,
    pass_percent: f64,
) -> ScoreReport {
    let states: Vec<_> = vec![Default::default(); pack.items.len()];
    let mut report = ScoreReport::compute(bank, &pack.exam_items(), &states, pass_percent);
    for d in &mut report.domains {
        d.correct = items
            .iter()
            .filter(|r| r.domain_id == d.domain_id && r.is_correct)
            .count();
    }
    report.items = items;
    report
}

/// One result file per simulated member in `dir` (answers from `simulate(members, …, seed)`,
/// passed through `edit(member, row)`); returns the files and the true difficulties.
pub fn sit_group(
    dir: &Path,
    pack: &ExamPack,
    bank: &Bank,
    members: usize,
    seed: u64,
    edit: impl Fn(usize, &[bool]) -> Vec<bool>,
) -> (Vec<PathBuf>, Vec<f64>) {
    let sim = simulate(members, pack.items.len(), 0.5, seed);
    let files = sim
        .rows
        .iter()
        .enumerate()
        .map(|(m, row)| {
            let path = dir.join(format!("member-{seed}-{m:03}.certprep-result.json"));
            let json = result(pack, bank, m, &edit(m, row)).to_json();
            std::fs::write(&path, json).expect("write result");
            path
        })
        .collect();
    (files, sim.difficulties)
}
