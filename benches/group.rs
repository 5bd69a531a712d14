//! Group report over 200 members x 150 questions: from results in memory, and from 200
//! result files on disk (read, checksum, parse, report). Then the state-wide mock of issue 19:
//! 5,000 members x 100 questions: the whole report (which now includes the Rasch calibration
//! and the option tables), Moodle's quiz statistics alone, and the Rasch calibration alone.
use certprep::exam::{DomainScore, ItemResult, ScoreReport};
use certprep::group::stats::{Item, Marks, QuizStatistics};
use certprep::group::{ExamPack, GroupReport, MemberResult, PackOptions, ReportInput};
use criterion::{Criterion, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

const MEMBERS: usize = 200;
const QUESTIONS: usize = 150;
/// A state-wide mock exam (issue 19: report and statistics within 1 s).
const STATE_MEMBERS: usize = 5000;
const STATE_QUESTIONS: usize = 100;

fn results(pack: &ExamPack, bank: &certprep::bank::Bank, members: usize) -> Vec<MemberResult> {
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    // Per-question difficulty and per-member ability, so the statistics have work to do.
    let hardness: Vec<f64> = (0..pack.items.len())
        .map(|_| rng.random_range(0.1..0.9))
        .collect();
    (0..members)
        .map(|m| {
            let ability: f64 = rng.random_range(0.0..1.0);
            let items: Vec<ItemResult> = pack
                .items
                .iter()
                .zip(&hardness)
                .map(|(it, h)| {
                    // Selections that score as intended: reports score them again.
                    let right = rng.random_range(0.0..1.0) < (ability + 1.0 - h) / 2.0;
                    let q = bank.question(&it.question_id).expect("question");
                    let selected = if right {
                        q.correct_ids()
                    } else {
                        let wrong = q
                            .options
                            .iter()
                            .find(|o| !o.correct)
                            .expect("a wrong option");
                        vec![wrong.id.clone()]
                    };
                    ItemResult {
                        question_id: it.question_id.clone(),
                        domain_id: it.domain.clone(),
                        selected,
                        correct_ids: vec![],
                        is_correct: right,
                    }
                })
                .collect();
            let domains = pack
                .areas
                .iter()
                .map(|a| DomainScore {
                    domain_id: a.id.clone(),
                    name: a.name.clone(),
                    correct: items
                        .iter()
                        .filter(|i| i.domain_id == a.id && i.is_correct)
                        .count(),
                    total: items.iter().filter(|i| i.domain_id == a.id).count(),
                })
                .collect();
            let report = ScoreReport {
                correct: items.iter().filter(|i| i.is_correct).count(),
                total: items.len(),
                pass_percent: 70.0,
                domains,
                items,
            };
            MemberResult::new(
                &pack.pack_id,
                &format!("Member {m:04}"),
                &report,
                Duration::from_secs(9000),
                false,
            )
            .expect("valid member")
        })
        .collect()
}

fn group_report(c: &mut Criterion) {
    let (scen, qs) = certprep::synth::questions(1000, 1);
    let bank = certprep::bank::Bank::from_parts(
        certprep::synth::manifest("bench"),
        PathBuf::from("bench"),
        scen,
        qs,
    )
    .expect("valid bank");
    let opts = PackOptions {
        questions: QUESTIONS,
        minutes: 180,
        seed: 1,
        embed: false,
        title: None,
        pass_percent: None,
        opens: None,
        closes: None,
    };
    let pack = ExamPack::build(&bank, &opts).expect("pack");
    assert_eq!(pack.items.len(), QUESTIONS);
    let small = results(&pack, &bank, MEMBERS);
    let dir = tempfile::tempdir().expect("temp dir");
    let files: Vec<PathBuf> = small
        .iter()
        .map(|r| {
            let p = dir.path().join(r.file_name());
            std::fs::write(&p, r.to_json()).expect("write");
            p
        })
        .collect();

    let mut g = c.benchmark_group("group_report");
    g.sample_size(30);
    g.bench_function("200x150_in_memory", |b| {
        b.iter(|| {
            let inputs: Vec<ReportInput> = small
                .iter()
                .zip(&files)
                .map(|(r, p)| ReportInput {
                    path: p.clone(),
                    result: Ok(r.clone()),
                })
                .collect();
            let report = GroupReport::build(Some(&pack), std::slice::from_ref(&bank), inputs);
            assert_eq!(report.members.len(), MEMBERS);
            black_box(report)
        })
    });
    g.bench_function("200x150_from_files", |b| {
        b.iter(|| {
            let report = GroupReport::from_files(Some(&pack), std::slice::from_ref(&bank), &files);
            assert_eq!(report.members.len(), MEMBERS);
            black_box(report)
        })
    });

    // The state-wide mock: one report, and the statistics on their own.
    let state_pack = ExamPack::build(
        &bank,
        &PackOptions {
            questions: STATE_QUESTIONS,
            ..opts.clone()
        },
    )
    .expect("pack");
    let state = results(&state_pack, &bank, STATE_MEMBERS);
    g.sample_size(10);
    g.bench_function("5000x100_in_memory", |b| {
        b.iter(|| {
            let inputs: Vec<ReportInput> = state
                .iter()
                .enumerate()
                .map(|(k, r)| ReportInput {
                    path: PathBuf::from(format!("m{k}.certprep-result.json")),
                    result: Ok(r.clone()),
                })
                .collect();
            let report = GroupReport::build(Some(&state_pack), std::slice::from_ref(&bank), inputs);
            assert_eq!(report.members.len(), STATE_MEMBERS);
            assert!(matches!(report.calibration, Some(Ok(_))));
            black_box(report)
        })
    });
    let mut marks =
        Marks::new(vec![Item::right_wrong(Some(0.25)); STATE_QUESTIONS]).expect("items");
    for r in &state {
        let right: Vec<bool> = r.answers.iter().map(|a| a.correct).collect();
        marks
            .push_right_wrong(&right)
            .expect("one mark per question");
    }
    g.bench_function("5000x100_quiz_statistics", |b| {
        b.iter(|| black_box(QuizStatistics::compute(&marks)))
    });
    // Rasch responses drawn from known parameters (the recovery tests' generator).
    let sim = certprep::rasch::simulate::simulate(STATE_MEMBERS, STATE_QUESTIONS, 0.3, 19);
    g.bench_function("5000x100_rasch_calibration", |b| {
        b.iter(|| black_box(certprep::rasch::calibrate(&sim.responses).expect("calibrates")))
    });
    g.finish();
}

criterion_group!(benches, group_report);
criterion_main!(benches);
