//! Rasch calibration from a study group's real result files, end to end: a pack of the
//! shipped CETL bank sat by 150 simulated members whose answers follow known Rasch
//! parameters; the report calibrates it, shows who chose what, saves the calibration, and
//! readiness then reads a learner's answers on that scale, in the library and through the
//! real binary.

mod common;

use certprep::bank::Bank;
use certprep::group::{ExamPack, GroupReport, QuestionFlag};
use certprep::mastery::ReadinessModel;
use certprep::rasch::saved::{SavedCalibration, load};
use certprep::rasch::simulate::correlation;
use certprep::srs::{Rating, ReviewOrigin, Scheduler};
use certprep::store::Store;
use common::group::{cetl, county_mock};
use common::{certprep, repo, s};
use std::path::{Path, PathBuf};

const MEMBERS: usize = 150;
const QUESTIONS: usize = 40;

fn pack(bank: &Bank, seed: u64) -> ExamPack {
    county_mock(bank, QUESTIONS, seed)
}

/// Writes one result file per simulated member; returns the files and the true difficulties.
fn sit_group(dir: &Path, pack: &ExamPack, bank: &Bank, seed: u64) -> (Vec<PathBuf>, Vec<f64>) {
    common::group::sit_group(dir, pack, bank, MEMBERS, seed, |_, row| row.to_vec())
}

/// Study answers to `ids` (right where `right`), written as the app writes them.
fn study(store: &Store, ids: &[String], right: impl Fn(usize) -> bool) {
    let scheduler = Scheduler::new(0.9);
    for (i, id) in ids.iter().enumerate() {
        let rating = if right(i) {
            Rating::Good
        } else {
            Rating::Again
        };
        let review = scheduler.review(
            ReviewOrigin::study("cetl"),
            id,
            None,
            rating,
            chrono::Utc::now() - chrono::Duration::hours(1),
        );
        store.record_review(&review).expect("review saved");
    }
}

#[test]
fn a_group_calibrates_its_pack_and_readiness_reads_the_saved_scale() {
    let bank = cetl();
    let pack = pack(&bank, 11);
    let results = tempfile::tempdir().unwrap();
    let (files, truth) = sit_group(results.path(), &pack, &bank, 11);
    let report = GroupReport::from_files(Some(&pack), std::slice::from_ref(&bank), &files);
    assert_eq!(report.members.len(), MEMBERS);
    let calibration = match &report.calibration {
        Some(Ok(c)) => c,
        other => panic!("no calibration: {other:?}"),
    };
    let estimated: Vec<f64> = report
        .questions
        .iter()
        .map(|q| {
            q.rasch
                .as_ref()
                .and_then(|r| r.difficulty)
                .unwrap_or(f64::NAN)
        })
        .collect();
    let r = correlation(&estimated, &truth);
    assert!(r > 0.9, "difficulties recovered with r = {r}");
    assert!(calibration.members_used > MEMBERS - 10);

    // Who chose what: every member is counted once per question, in one third or another.
    for q in &report.questions {
        let t = &q.options;
        assert_eq!(t.third_sizes.iter().sum::<usize>(), MEMBERS);
        let key_picks: usize = t
            .options
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.by_third.iter().sum::<usize>())
            .max()
            .unwrap_or(0);
        assert_eq!(key_picks, q.correct, "{}", q.question_id);
        // A question with four options has at least one distractor no simulated member
        // picks (wrong answers go to the first two): it is flagged as doing no work.
        if t.options.iter().filter(|o| !o.correct).count() > 2 {
            assert!(
                t.flagged()
                    .any(|o| o.flag == Some(certprep::group::OptionFlag::NobodyChose))
            );
        }
    }
    // Flagged questions list their figures and option table in the text report; the CSV
    // carries the Rasch columns and the option block.
    let text = report.to_text();
    assert!(
        text.contains("Rasch calibration (conditional maximum likelihood)"),
        "{text}"
    );
    if report.flagged().next().is_some() {
        assert!(text.contains("For the author: flagged questions and who chose what"));
    }
    let csv = report.to_csv();
    assert!(csv.contains("Rasch difficulty,Rasch SE,Infit,Outfit,Rasch status"));
    assert!(csv.contains(
        "Question,Option,Correct,Option text,Bottom third,Middle third,Top third,Option flag"
    ));

    // Save it; readiness on this data folder now reads the calibration.
    let data = tempfile::tempdir().unwrap();
    let saved = report
        .saved_calibration(chrono::Utc::now())
        .expect("a calibration to save");
    assert_eq!(saved.bank_id, "cetl");
    assert_eq!(saved.items.len(), QUESTIONS);
    let path = saved.save(data.path()).expect("saved");
    assert_eq!(path, SavedCalibration::path_in(data.path(), "cetl"));
    assert_eq!(load(&path, &bank).expect("reads back").saved, saved);

    let store = Store::open_in(data.path()).unwrap();
    let inputs = store.model_inputs(&bank).unwrap();
    assert!(
        inputs.calibration.is_some(),
        "{:?}",
        inputs.calibration_problem
    );
    // Twelve first tries at calibrated questions, eight right.
    let ids: Vec<String> = pack
        .items
        .iter()
        .take(12)
        .map(|i| i.question_id.clone())
        .collect();
    study(&store, &ids, |i| i < 8);
    let cards = store.load_cards("cetl").unwrap();
    let m = store
        .mastery_report(&bank, &cards, chrono::Utc::now())
        .unwrap();
    let ReadinessModel::Rasch(f) = &m.model else {
        panic!("expected the Rasch model: {:?}", m.model_note);
    };
    assert_eq!(f.ability.answered, 12);
    assert_eq!(f.calibrated_questions, QUESTIONS);
    assert!(f.ability.theta.is_finite() && f.ability.se > 0.3 && f.ability.se < 1.0);
    let rd = &m.readiness;
    assert!(rd.low <= rd.predicted && rd.predicted <= rd.high, "{rd:?}");
}

#[test]
fn a_bad_calibration_file_is_named_and_readiness_goes_on_without_it() {
    let bank = cetl();
    let data = tempfile::tempdir().unwrap();
    let path = SavedCalibration::path_in(data.path(), "cetl");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let q = &bank.questions[0].id;
    let cases = [
        (
            format!(
                r#"{{"format":"certprep-calibration-1","bank_id":"cetl","created_at":"2026-11-01T00:00:00Z","source":"x","members":50,"responses":500,"items":[{{"question_id":"{q}","difficulty":1e308,"se":0.2,"responses":50}}]}}"#
            ),
            "difficulty",
        ),
        (
            format!(
                r#"{{"format":"certprep-calibration-1","bank_id":"other","created_at":"2026-11-01T00:00:00Z","source":"x","members":50,"responses":500,"items":[{{"question_id":"{q}","difficulty":0.1,"se":0.2,"responses":50}}]}}"#
            ),
            "not \"cetl\"",
        ),
        (
            r#"{"format":"certprep-calibration-9"}"#.to_string(),
            "certprep-calibration-9",
        ),
        ("not json".to_string(), "not a calibration file"),
        (
            format!(
                r#"{{"format":"certprep-calibration-1","bank_id":"cetl","created_at":"2026-11-01T00:00:00Z","source":"x","members":50,"responses":500,"items":[{{"question_id":"{q}","difficulty":0.1,"se":0.2,"responses":50}},{{"question_id":"{q}","difficulty":0.3,"se":0.2,"responses":50}}]}}"#
            ),
            "listed twice",
        ),
    ];
    for (json, why) in cases {
        std::fs::write(&path, &json).unwrap();
        let store = Store::open_in(data.path()).unwrap();
        let inputs = store.model_inputs(&bank).unwrap();
        assert!(inputs.calibration.is_none());
        let problem = inputs.calibration_problem.clone().unwrap_or_default();
        assert!(problem.contains(why), "{why}: {problem}");
        let m = store
            .mastery_report(&bank, &Default::default(), chrono::Utc::now())
            .unwrap();
        assert_eq!(m.model, ReadinessModel::FirstTries);
        assert_eq!(m.model_note.as_deref(), Some(problem.as_str()));
    }
}

#[test]
fn two_packs_sharing_questions_pool_into_one_calibration_through_the_cli() {
    let bank = cetl();
    let results = tempfile::tempdir().unwrap();
    let (a, b) = (pack(&bank, 21), pack(&bank, 22));
    let (files_a, _) = sit_group(results.path(), &a, &bank, 21);
    let (files_b, _) = sit_group(results.path(), &b, &bank, 22);
    // The same file twice counts once.
    let copy = results.path().join("copy.certprep-result.json");
    std::fs::copy(&files_a[0], &copy).unwrap();
    let union: std::collections::HashSet<&str> = a
        .items
        .iter()
        .chain(&b.items)
        .map(|i| i.question_id.as_str())
        .collect();
    let data = tempfile::tempdir().unwrap();
    let out = certprep(&[
        "--data-dir",
        s(data.path()),
        "--banks",
        s(&repo().join("question-banks")),
        "group",
        "calibrate",
        "--bank",
        "cetl",
        "--save",
        s(results.path()),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.starts_with(&format!(
            "{} results from 2 packs, {} questions",
            files_a.len() + files_b.len(),
            union.len()
        )),
        "{stdout}"
    );
    assert!(
        stderr.contains("a copy of a result already counted"),
        "{stderr}"
    );
    let saved = load(&SavedCalibration::path_in(data.path(), "cetl"), &bank).expect("saved");
    assert_eq!(saved.saved.source, "2 packs pooled");
    // Questions in both packs or in one are all on the one scale (unless everyone got one
    // right or wrong).
    assert!(
        saved.saved.items.len() + 2 >= union.len(),
        "{} of {}",
        saved.saved.items.len(),
        union.len()
    );

    // `certprep readiness` says which model it shows: not yet with 3 first tries at
    // calibrated questions, Rasch with 12.
    let ids: Vec<String> = saved
        .saved
        .items
        .iter()
        .map(|i| i.question_id.clone())
        .collect();
    let readiness = || {
        let out = certprep(&[
            "--data-dir",
            s(data.path()),
            "--banks",
            s(&repo().join("question-banks")),
            "readiness",
            "--bank",
            "cetl",
        ]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    study(&Store::open_in(data.path()).unwrap(), &ids[..3], |_| true);
    let stdout = readiness();
    assert!(
        stdout
            .contains("readiness on it needs first tries at 10 calibrated questions (you have 3)."),
        "{stdout}"
    );
    study(&Store::open_in(data.path()).unwrap(), &ids[3..12], |i| {
        i % 2 == 0
    });
    let stdout = readiness();
    assert!(
        stdout.contains("Model: Rasch, on a study group's calibration (2 packs pooled;"),
        "{stdout}"
    );
    assert!(
        stdout.contains("from 12 first tries at calibrated questions"),
        "{stdout}"
    );
}

#[test]
fn a_small_group_gets_a_reason_instead_of_a_calibration() {
    let bank = cetl();
    let pack = pack(&bank, 31);
    let results = tempfile::tempdir().unwrap();
    let (files, _) = sit_group(results.path(), &pack, &bank, 31);
    let report = GroupReport::from_files(Some(&pack), std::slice::from_ref(&bank), &files[..12]);
    assert!(matches!(report.calibration, Some(Err(_))));
    let summary = report.calibration_summary().unwrap_or_default();
    assert!(summary.contains("needs at least 30 members"), "{summary}");
    assert!(report.saved_calibration(chrono::Utc::now()).is_none());
    assert!(
        report
            .questions
            .iter()
            .all(|q| !q.flags.contains(&QuestionFlag::RaschMisfit))
    );
}
