//! Study groups end to end over real files: build a pack, two members sit it, their result
//! files make the report; damaged and foreign files are rejected with the right reasons.

mod common;

use certprep::bank::{Bank, load_bank, load_banks};
use certprep::exam::{ExamSession, ItemResult, Mode};
use certprep::group::{
    BankChoice, DiffKind, ExamPack, FileError, GroupReport, MAX_FILE_BYTES, MemberResult,
    PackError, PackOptions, QuestionFlag, Rejection, ReportInput,
};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn mini_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/banks/mini")
}

fn mini() -> Bank {
    load_bank(&mini_dir()).expect("mini bank loads")
}

fn opts(seed: u64, embed: bool) -> PackOptions {
    PackOptions {
        questions: 6,
        minutes: 10,
        seed,
        embed,
        title: Some("Spring mock".into()),
        pass_percent: None,
        opens: None,
        closes: None,
    }
}

/// Sit `pack` on `bank` the way the app does: a session with the pack's items, answering
/// correctly exactly where `right(domain)` says so; return the sealed result.
fn sit(pack: &ExamPack, bank: &Bank, member: &str, right: impl Fn(&str) -> bool) -> MemberResult {
    let mut s = ExamSession::new(
        1,
        bank.id(),
        Mode::Exam,
        pack.seed,
        pack.pass_percent,
        pack.exam_items(),
        Some(pack.time_limit()),
    );
    let t0 = Instant::now();
    s.clock.start(t0);
    for i in 0..s.len() {
        let q = bank.question(&s.items[i].question_id).unwrap().clone();
        let picks: Vec<String> = if right(&q.domain) {
            q.correct_ids()
        } else {
            // The first wrong option in the shown order.
            let wrong = s.items[i]
                .option_order
                .iter()
                .find(|o| !q.option(o).unwrap().correct)
                .unwrap()
                .clone();
            vec![wrong]
        };
        for p in picks {
            assert!(s.choose(i, &p, &q));
        }
    }
    s.submit(t0 + Duration::from_secs(300), false);
    let report = s.score(bank);
    MemberResult::new(
        &pack.pack_id,
        member,
        &report,
        Duration::from_secs(300),
        false,
    )
    .unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn same_arguments_give_a_byte_identical_pack() {
    let bank = mini();
    for embed in [false, true] {
        let a = ExamPack::build(&bank, &opts(7, embed)).unwrap().to_json();
        let b = ExamPack::build(&bank, &opts(7, embed)).unwrap().to_json();
        assert_eq!(a, b);
        let other = ExamPack::build(&bank, &opts(8, embed)).unwrap();
        assert_ne!(
            ExamPack::from_bytes(a.as_bytes()).unwrap().pack_id,
            other.pack_id
        );
    }
    let pack = ExamPack::build(&bank, &opts(7, false)).unwrap();
    assert_eq!(pack.pack_id.len(), 16);
    assert_eq!(pack.items.len(), 6);
    // Blueprint 50/30/20 over 6: plan 3, ops 2, data 1; areas in manifest order.
    let areas: Vec<&str> = pack.areas.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(areas, ["Planning", "Operations", "Data"]);
    // The pack is exactly what `assemble` gives for that seed.
    assert_eq!(pack.exam_items(), certprep::exam::assemble(&bank, 6, 7));
    // Reading it back gives the same value.
    assert_eq!(
        ExamPack::from_bytes(pack.to_json().as_bytes()).unwrap(),
        pack
    );
}

#[test]
fn cli_pack_build_is_byte_identical_and_report_prints_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_certprep");
    let banks = mini_dir().parent().unwrap().to_path_buf();
    let build = |out: &Path| {
        Command::new(bin)
            .args(["--banks"])
            .arg(&banks)
            .args(["--data-dir"])
            .arg(dir.path().join("data"))
            .args([
                "pack",
                "build",
                "--bank",
                "mini",
                "--questions",
                "6",
                "--minutes",
                "10",
                "--seed",
                "7",
                "--embed",
                "--title",
                "Spring mock",
                "--out",
            ])
            .arg(out)
            .output()
            .unwrap()
    };
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
    let out = build(&a);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(build(&b).status.success());
    let bytes = std::fs::read(&a).unwrap();
    assert_eq!(bytes, std::fs::read(&b).unwrap());
    let pack = ExamPack::from_bytes(&bytes).unwrap();
    assert_eq!(pack, ExamPack::build(&mini(), &opts(7, true)).unwrap());

    // Unknown bank: invalid input.
    let bad = Command::new(bin)
        .arg("--banks")
        .arg(&banks)
        .args(["pack", "build", "--bank", "nope", "--questions", "3"])
        .args(["--minutes", "5", "--seed", "1", "--out"])
        .arg(dir.path().join("x.json"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    // Missing argument: usage.
    let usage = Command::new(bin).args(["pack", "build"]).output().unwrap();
    assert_eq!(usage.status.code(), Some(2));

    // Report over two results and a pack; CSV written.
    let bank = mini();
    let ra = sit(&pack, &bank, "Alice", |_| true);
    let rb = sit(&pack, &bank, "Bob", |d| d == "plan");
    let fa = write(dir.path(), &ra.file_name(), &ra.to_json());
    let fb = write(dir.path(), &rb.file_name(), &rb.to_json());
    let csv = dir.path().join("report.csv");
    let out = Command::new(bin)
        .args(["group", "report"])
        .arg(&a)
        .arg(&fa)
        .arg(&fb)
        .arg("--csv")
        .arg(&csv)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("Member      Overall  Planning  Operations  Data"),
        "{text}"
    );
    assert!(
        text.contains("Bob         50.0     100.0     0.0         0.0"),
        "{text}"
    );
    assert!(
        text.contains("Group mean  75.0     100.0     50.0        50.0"),
        "{text}"
    );
    assert!(text.contains("Weakest areas: Operations (50.0%), Data (50.0%), Planning (100.0%)"));
    let csv = std::fs::read_to_string(&csv).unwrap();
    assert!(
        csv.starts_with("Member,Overall,Planning,Operations,Data\nAlice,100.0,100.0,100.0,100.0\n")
    );

    // A file that is not JSON is listed as rejected and the exit code says invalid input.
    let junk = write(dir.path(), "junk.certprep-result.json", "hello");
    let out = Command::new(bin)
        .args(["group", "report"])
        .arg(&fa)
        .arg(&junk)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("junk.certprep-result.json: not a JSON file"),
        "{text}"
    );
}

#[test]
fn two_members_give_the_expected_report() {
    let dir = tempfile::tempdir().unwrap();
    let bank = mini();
    let pack = ExamPack::build(&bank, &opts(7, false)).unwrap();
    let alice = sit(&pack, &bank, "Alice", |_| true);
    let bob = sit(&pack, &bank, "Bob", |d| d == "plan");
    assert_eq!((alice.correct(), bob.correct()), (6, 3));
    let files = [
        write(dir.path(), "bob.certprep-result.json", &bob.to_json()),
        write(dir.path(), "alice.certprep-result.json", &alice.to_json()),
    ];
    // The folder listing finds both, sorted.
    assert_eq!(
        certprep::group::result_files_in(dir.path()).unwrap(),
        vec![files[1].clone(), files[0].clone()]
    );

    for report in [
        GroupReport::from_files(Some(&pack), std::slice::from_ref(&bank), &files),
        GroupReport::from_files(None, std::slice::from_ref(&bank), &files),
    ] {
        assert!(report.rejected.is_empty(), "{:?}", report.rejected);
        assert_eq!(report.pack_id.as_deref(), Some(pack.pack_id.as_str()));
        let table = report.table();
        let expected: Vec<Vec<&str>> = vec![
            vec!["Member", "Overall", "Planning", "Operations", "Data"],
            vec!["Alice", "100.0", "100.0", "100.0", "100.0"],
            vec!["Bob", "50.0", "100.0", "0.0", "0.0"],
            vec!["Group mean", "75.0", "100.0", "50.0", "50.0"],
        ];
        assert_eq!(table, expected);
        let weakest: Vec<&str> = report
            .weakest
            .iter()
            .map(|&i| report.area_name(i))
            .collect();
        assert_eq!(weakest, ["Operations", "Data", "Planning"]);
        // Per question: planning right by both (difficulty 1, discrimination undefined);
        // the others right by Alice only: difficulty 0.5, and with two members the
        // point-biserial against the rest score is exactly 1.
        assert_eq!(report.questions.len(), 6);
        for q in &report.questions {
            assert_eq!(q.members, 2);
            if q.area == "plan" {
                assert_eq!((q.correct, q.difficulty, q.discrimination), (2, 1.0, None));
            } else {
                assert_eq!(q.correct, 1);
                assert_eq!(q.difficulty, 0.5);
                assert!((q.discrimination.unwrap() - 1.0).abs() < 1e-9);
            }
            assert!(q.flags.is_empty());
        }
        // Question order is the pack's.
        let ids: Vec<&str> = report
            .questions
            .iter()
            .map(|q| q.question_id.as_str())
            .collect();
        let pack_ids: Vec<&str> = pack.items.iter().map(|i| i.question_id.as_str()).collect();
        assert_eq!(ids, pack_ids);
    }
}

/// A group folder shared through a sync tool: conflict copies and duplicates of a result are
/// read and counted once, a half-arrived file is reported as such, and a *different* second
/// result of one member is shown as a name conflict, never silently dropped.
#[test]
fn a_synced_group_folder_counts_copies_once_and_names_half_arrived_files() {
    let dir = tempfile::tempdir().unwrap();
    let bank = mini();
    let pack = ExamPack::build(&bank, &opts(7, false)).unwrap();
    let alice = sit(&pack, &bank, "Alice", |_| true);
    let bob = sit(&pack, &bank, "Bob", |d| d == "plan");
    let carol = sit(&pack, &bank, "Carol", |d| d == "ops");
    let bob_again = sit(&pack, &bank, "Bob", |_| false);
    write(dir.path(), "alice.certprep-result.json", &alice.to_json());
    write(
        dir.path(),
        "alice.certprep-result.sync-conflict-20261130-101010-ABCDEFG.json",
        &alice.to_json(),
    );
    write(
        dir.path(),
        "alice.certprep-result (1).json",
        &alice.to_json(),
    );
    write(dir.path(), "bob.certprep-result.json", &bob.to_json());
    write(
        dir.path(),
        "bob.certprep-result (conflicted copy 2026-11-30).json",
        &bob_again.to_json(),
    );
    let text = carol.to_json();
    write(
        dir.path(),
        "carol.certprep-result.json",
        &text[..text.len() / 2],
    );
    let files = certprep::group::result_files_in(dir.path()).unwrap();
    assert_eq!(files.len(), 6, "copies are found too: {files:?}");
    let report = GroupReport::from_files(Some(&pack), std::slice::from_ref(&bank), &files);
    let members: Vec<&str> = report.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        members,
        ["Alice", "Bob", "Bob"],
        "Alice once; Bob's two different results both shown: {members:?}"
    );
    let reasons: Vec<String> = report
        .rejected
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r.path.file_name().unwrap().to_string_lossy(),
                r.reason
            )
        })
        .collect();
    let copies = report
        .rejected
        .iter()
        .filter(|r| matches!(r.reason, Rejection::DuplicateCopy { .. }))
        .count();
    assert_eq!(copies, 2, "{reasons:#?}");
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("carol") && r.contains("still be arriving")),
        "{reasons:#?}"
    );
    assert_eq!(
        report.rejected.len(),
        3,
        "two copies and Carol's: {reasons:#?}"
    );
    let bobs: Vec<&certprep::group::MemberRow> =
        report.members.iter().filter(|m| m.name == "Bob").collect();
    assert!(
        bobs.iter().all(|m| m.conflict.len() == 1),
        "each Bob names the other as a conflict: {bobs:?}"
    );
    assert!(
        bobs.iter()
            .any(|m| m.conflict[0].contains("conflicted copy")),
        "{bobs:?}"
    );
}

/// A result with exactly these items right (by position in the pack).
fn synthetic(pack: &ExamPack, member: &str, right: &[usize]) -> MemberResult {
    let bank = mini();
    let items: Vec<ItemResult> = pack
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            // The selections a member who got exactly these right would have made: reports
            // score the selections, not the marks.
            let q = bank.question(&it.question_id).unwrap();
            let selected = if right.contains(&i) {
                q.correct_ids()
            } else {
                vec![q.options.iter().find(|o| !o.correct).unwrap().id.clone()]
            };
            ItemResult {
                question_id: it.question_id.clone(),
                domain_id: it.domain.clone(),
                selected,
                correct_ids: vec![],
                is_correct: right.contains(&i),
            }
        })
        .collect();
    let report = common::group::score_report(&bank, pack, items, 50.0);
    MemberResult::new(
        &pack.pack_id,
        member,
        &report,
        Duration::from_secs(60),
        false,
    )
    .unwrap()
}

#[test]
fn negative_discrimination_is_flagged_in_a_group_of_eight() {
    let bank = mini();
    let pack = ExamPack::build(&bank, &opts(7, false)).unwrap();
    let rights: [&[usize]; 8] = [
        &[1, 2, 3, 4],
        &[1, 2, 3],
        &[1, 2, 4],
        &[2, 3, 4],
        &[1, 3, 4],
        &[1, 2, 3, 4],
        &[0],
        &[0, 1],
    ];
    let inputs = rights
        .iter()
        .enumerate()
        .map(|(i, r)| ReportInput {
            path: PathBuf::from(format!("m{i}")),
            result: Ok(synthetic(&pack, &format!("M{i}"), r)),
        })
        .collect();
    let report = GroupReport::build(Some(&pack), std::slice::from_ref(&bank), inputs);
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    let q0 = &report.questions[0];
    assert!(q0.discrimination.unwrap() < 0.0);
    // A negative discrimination is also a negative discriminative efficiency, which Moodle
    // flags (under 15%).
    assert_eq!(
        q0.flags,
        vec![
            QuestionFlag::NegativeDiscrimination,
            QuestionFlag::LowEfficiency
        ]
    );
    let q1 = &report.questions[1];
    assert!(!q1.flags.contains(&QuestionFlag::NegativeDiscrimination));
    // Question 1 correlates weakly but positively with the rest (r = 0.092); its marks
    // reach a ninth of the covariance they could have: efficiency 11.1%, under Moodle's 15%.
    assert!((q1.discrimination.unwrap() - 0.092_450_03).abs() < 1e-8);
    assert!((q1.stats.discriminative_efficiency.unwrap() - 100.0 / 9.0).abs() < 1e-9);
    assert_eq!(q1.flags, vec![QuestionFlag::LowEfficiency]);
    let csv = report.to_csv();
    assert!(
        csv.contains("negative-discrimination low-efficiency"),
        "{csv}"
    );
}

#[test]
fn broken_looking_questions_are_flagged() {
    let bank = mini();
    let pack = ExamPack::build(&bank, &opts(7, false)).unwrap();
    // Item 0 is right only for the weakest member (negative discrimination); nobody gets
    // item 5 (under 20% correct).
    let inputs = vec![
        ("a", synthetic(&pack, "A", &[1, 2, 3, 4])),
        ("b", synthetic(&pack, "B", &[1, 2, 3])),
        ("c", synthetic(&pack, "C", &[0])),
    ]
    .into_iter()
    .map(|(p, r)| ReportInput {
        path: PathBuf::from(p),
        result: Ok(r),
    })
    .collect();
    let report = GroupReport::build(Some(&pack), std::slice::from_ref(&bank), inputs);
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    let q0 = &report.questions[0];
    // Three members are too few to trust a discrimination's sign: computed, not flagged.
    assert!(q0.flags.is_empty(), "{:?}", q0.flags);
    // rest scores 4, 3, 0; item right only for the 0: r = -0.9707 (worked in the unit test
    // style: M1 = 0, M0 = 3.5, s = sqrt(26/9), p = 1/3).
    let expected = (0.0 - 3.5) / (26.0f64 / 9.0).sqrt() * (2.0f64 / 9.0).sqrt();
    assert!((q0.discrimination.unwrap() - expected).abs() < 1e-9);
    let q5 = &report.questions[5];
    assert_eq!((q5.difficulty, q5.discrimination), (0.0, None));
    assert_eq!(q5.flags, vec![QuestionFlag::TooHard]);
    let flagged: Vec<usize> = report
        .questions
        .iter()
        .enumerate()
        .filter(|(_, q)| !q.flags.is_empty())
        .map(|(i, _)| i)
        .collect();
    assert_eq!(flagged, vec![5]);
    assert!(report.to_csv().contains("too-hard"));
}

#[test]
fn bad_files_are_rejected_with_the_right_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let bank = mini();
    let pack = ExamPack::build(&bank, &opts(7, false)).unwrap();
    let other = ExamPack::build(&bank, &opts(99, false)).unwrap();
    let alice = sit(&pack, &bank, "Alice", |_| true);
    let bob = sit(&pack, &bank, "Bob", |d| d == "plan");

    // An edited answer with the old checksum kept.
    let mut v: serde_json::Value = serde_json::from_str(&bob.to_json()).unwrap();
    let was = v["answers"][2]["correct"].as_bool().unwrap();
    v["answers"][2]["correct"] = serde_json::Value::Bool(!was);
    let tampered = serde_json::to_string_pretty(&v).unwrap();
    // An unknown format version (checksum recomputed would not help: the version is read
    // first).
    let mut v: serde_json::Value = serde_json::from_str(&alice.to_json()).unwrap();
    v["format"] = "certprep-result/2".into();
    let future = serde_json::to_string(&v).unwrap();
    let foreign = sit(&other, &bank, "Dave", |_| true);
    let duplicate = sit(&pack, &bank, " alice ", |_| false);

    let files = vec![
        write(dir.path(), "1-alice.json", &alice.to_json()),
        write(dir.path(), "2-bob.json", &bob.to_json()),
        write(dir.path(), "3-tampered.json", &tampered),
        write(dir.path(), "4-future.json", &future),
        write(dir.path(), "5-foreign.json", &foreign.to_json()),
        write(dir.path(), "6-duplicate.json", &duplicate.to_json()),
        write(dir.path(), "7-notes.json", "Meeting notes, not JSON"),
        write(dir.path(), "8-pack.json", &pack.to_json()),
        dir.path().join("9-missing.json"),
    ];
    let big = dir.path().join("10-big.json");
    std::fs::write(&big, vec![b' '; MAX_FILE_BYTES as usize + 1]).unwrap();
    let mut all = files.clone();
    all.push(big);

    // Without the pack, results for two packs are not sorted out by a majority: the report
    // asks for the pack, and every readable result waits for it.
    let without = GroupReport::from_files(None, std::slice::from_ref(&bank), &all);
    assert!(without.members.is_empty());
    assert!(
        without
            .rejected
            .iter()
            .any(|r| matches!(r.reason, Rejection::WhichPack { packs: 2, .. }))
    );
    {
        let report = GroupReport::from_files(Some(&pack), std::slice::from_ref(&bank), &all);
        // " alice " is a look-alike of "Alice": both are shown, as a conflict.
        let names: Vec<&str> = report.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["Alice", "alice", "Bob"]);
        assert!(report.members[0].conflict[0].contains("6-duplicate.json"));
        assert!(report.members[1].conflict[0].contains("1-alice.json"));
        assert!(report.members[2].conflict.is_empty());
        let reasons: Vec<(String, Rejection)> = report
            .rejected
            .iter()
            .map(|r| {
                (
                    r.path.file_name().unwrap().to_string_lossy().into_owned(),
                    r.reason.clone(),
                )
            })
            .collect();
        let by = |name: &str| {
            reasons
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, r)| r.clone())
                .unwrap_or_else(|| panic!("{name} not rejected: {reasons:?}"))
        };
        assert_eq!(
            by("3-tampered.json"),
            Rejection::File(FileError::ChecksumMismatch)
        );
        assert!(matches!(
            by("4-future.json"),
            Rejection::File(FileError::UnknownFormat { ref found, .. }) if found == "certprep-result/2"
        ));
        assert_eq!(
            by("5-foreign.json"),
            Rejection::ForeignPack {
                found: other.pack_id.clone(),
                expected: pack.pack_id.clone()
            }
        );
        assert!(matches!(
            by("7-notes.json"),
            Rejection::File(FileError::NotJson(_))
        ));
        assert_eq!(by("8-pack.json"), Rejection::File(FileError::PackNotResult));
        assert!(matches!(
            by("9-missing.json"),
            Rejection::File(FileError::Io(_))
        ));
        assert!(matches!(
            by("10-big.json"),
            Rejection::File(FileError::TooLarge { .. })
        ));
        assert_eq!(report.rejected.len(), 7);
        // Reasons read well.
        assert_eq!(
            by("3-tampered.json").to_string(),
            "checksum mismatch: the result was changed after it was exported"
        );
        assert!(
            by("5-foreign.json")
                .to_string()
                .starts_with("result from another pack")
        );
        assert!(
            report
                .to_text()
                .contains("alice (6-duplicate.json) looks like Alice (1-alice.json)"),
            "{}",
            report.to_text()
        );
    }
}

#[test]
fn an_edited_pack_is_refused() {
    let pack = ExamPack::build(&mini(), &opts(7, false)).unwrap();
    let text = pack
        .to_json()
        .replace("\"time_limit_minutes\": 10", "\"time_limit_minutes\": 90");
    assert_eq!(
        ExamPack::from_bytes(text.as_bytes()),
        Err(FileError::PackModified)
    );
}

/// A copy of the mini bank with one question reworded and one removed.
fn altered_banks(dir: &Path) -> PathBuf {
    let root = dir.join("banks");
    let b = root.join("mini");
    std::fs::create_dir_all(&b).unwrap();
    std::fs::copy(mini_dir().join("bank.json"), b.join("bank.json")).unwrap();
    let text = std::fs::read_to_string(mini_dir().join("questions.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let qs = v["questions"].as_array_mut().unwrap();
    for q in qs.iter_mut() {
        if q["id"] == "plan-1" {
            q["stem"] = "Reworded: which step comes first?".into();
        }
    }
    qs.retain(|q| q["id"] != "ops-1");
    std::fs::write(b.join("questions.json"), serde_json::to_string(&v).unwrap()).unwrap();
    root
}

#[test]
fn opening_a_pack_says_which_questions_differ_and_uses_the_embedded_copy() {
    let dir = tempfile::tempdir().unwrap();
    let bank = mini();
    // A pack holding every question, so both changed ones are in it.
    let mut o = opts(3, true);
    o.questions = 10;
    let embedded = ExamPack::build(&bank, &o).unwrap();
    o.embed = false;
    let plain = ExamPack::build(&bank, &o).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();

    // Same bank: nothing differs, own bank used.
    let same = load_banks(mini_dir().parent().unwrap());
    let src = embedded.resolve(&same, today).unwrap();
    assert!(src.bank_hash_matches && src.differences.is_empty());
    assert!(matches!(src.bank, BankChoice::Own(ref id) if id == "mini"));

    // Altered bank: the two questions are named; the embedded copy is used under its own id.
    let altered = load_banks(&altered_banks(dir.path()));
    let src = embedded.resolve(&altered, today).unwrap();
    let mut diffs: Vec<(String, DiffKind)> = src
        .differences
        .iter()
        .map(|d| (d.question_id.clone(), d.kind))
        .collect();
    diffs.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        diffs,
        vec![
            ("ops-1".to_string(), DiffKind::Missing),
            ("plan-1".to_string(), DiffKind::Changed)
        ]
    );
    let BankChoice::Embedded(eb) = &src.bank else {
        panic!("expected the embedded copy")
    };
    assert_eq!(eb.id(), format!("mini-pack-{}", embedded.pack_id));
    assert_eq!(
        eb.question("plan-1").unwrap().content_hash(),
        bank.question("plan-1").unwrap().content_hash()
    );
    let msgs = src.messages(&embedded).join("\n");
    assert!(msgs.contains("1 question in your bank differs from the facilitator's: plan-1"));
    assert!(msgs.contains("1 question is not in your bank: ops-1"));

    // Without an embedded copy a missing question stops it, with the ids said.
    assert_eq!(
        plain.resolve(&altered, today).unwrap_err(),
        PackError::QuestionsMissing {
            bank: "mini".into(),
            count: 1,
            ids: "ops-1".into()
        }
    );

    // No bank at all: embedded copy under the pack's bank id, or a clear refusal.
    let none = load_banks(&dir.path().join("empty"));
    let src = embedded.resolve(&none, today).unwrap();
    assert_eq!(src.bank_id(), "mini");
    assert_eq!(
        plain.resolve(&none, today).unwrap_err(),
        PackError::BankMissing("mini".into())
    );

    // Dates: not before it opens; after it closes with a warning.
    let mut o = opts(3, false);
    o.opens = chrono::NaiveDate::from_ymd_opt(2026, 6, 1);
    o.closes = chrono::NaiveDate::from_ymd_opt(2026, 6, 30);
    let dated = ExamPack::build(&bank, &o).unwrap();
    assert_eq!(
        dated.resolve(&same, today).unwrap_err(),
        PackError::NotOpenYet(o.opens.unwrap())
    );
    let late = chrono::NaiveDate::from_ymd_opt(2026, 7, 2).unwrap();
    let src = dated.resolve(&same, late).unwrap();
    assert!(
        src.messages(&dated)
            .join(" ")
            .contains("closed on 2026-06-30")
    );
}

/// A cheap stand-in for the fuzz target in every `cargo test`: thousands of byte-level
/// mutations of a real pack and a real result load as errors or values, never a panic.
#[test]
fn mutated_files_never_panic() {
    use rand::{Rng, SeedableRng};
    let bank = mini();
    let pack = ExamPack::build(&bank, &opts(7, true)).unwrap();
    let result = sit(&pack, &bank, "Alice", |_| true);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    for original in [pack.to_json().into_bytes(), result.to_json().into_bytes()] {
        for _ in 0..1500 {
            let mut bytes = original.clone();
            for _ in 0..rng.random_range(1..4) {
                let i = rng.random_range(0..bytes.len());
                match rng.random_range(0..3) {
                    0 => bytes[i] = rng.random(),
                    1 => bytes.truncate(i),
                    _ => bytes.insert(i, b"{}[]\",:0-e\\"[rng.random_range(0..11)]),
                }
                if bytes.is_empty() {
                    break;
                }
            }
            if let Ok(p) = ExamPack::from_bytes(&bytes) {
                let _ = p.embedded_bank("x");
            }
            let r = MemberResult::from_bytes(&bytes);
            let report = GroupReport::build(
                Some(&pack),
                std::slice::from_ref(&bank),
                vec![ReportInput {
                    path: PathBuf::from("m"),
                    result: r,
                }],
            );
            let _ = (report.to_text(), report.to_csv());
        }
    }
}

/// One or two members are too few to call a question too hard: every miss of theirs would
/// be flagged. From three members up, a question nobody got right is flagged.
#[test]
fn a_group_of_one_or_two_flags_no_question() {
    let bank = mini();
    let pack = ExamPack::build(&bank, &opts(7, false)).unwrap();
    let report_of = |members: &[(&str, &[usize])]| {
        let inputs = members
            .iter()
            .map(|(name, right)| ReportInput {
                path: PathBuf::from(*name),
                result: Ok(synthetic(&pack, name, right)),
            })
            .collect();
        GroupReport::build(Some(&pack), std::slice::from_ref(&bank), inputs)
    };
    let solo = report_of(&[("Solo", &[0, 1])]);
    assert_eq!(solo.members.len(), 1);
    assert!(solo.questions.iter().any(|q| q.difficulty == 0.0));
    assert_eq!(solo.flagged().count(), 0);
    assert!(!solo.to_csv().contains("too-hard"));
    let pair = report_of(&[("A", &[0, 1]), ("B", &[1])]);
    assert_eq!(pair.flagged().count(), 0);
    let three = report_of(&[("A", &[0, 1]), ("B", &[1]), ("C", &[1, 2])]);
    let flagged: Vec<&str> = three.flagged().map(|q| q.question_id.as_str()).collect();
    assert_eq!(flagged.len(), 3, "items 3, 4 and 5 nobody got: {flagged:?}");
}

// ---------------------------------------------------------------------------------------------
// Moodle's quiz statistics fixture (quiz 00): the same marks give Moodle's figures.

mod moodle_fixture {
    use certprep::group::stats::{Item, Marks, QuizStatistics};
    use std::collections::HashMap;
    use std::path::PathBuf;

    fn data(name: &str) -> Vec<Vec<String>> {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/moodle_stats")
            .join(name);
        let text = std::fs::read_to_string(&path).expect("fixture data (see convert.py)");
        text.lines()
            .map(|l| l.split(',').map(str::to_owned).collect())
            .collect()
    }

    fn number(cell: &str) -> f64 {
        cell.parse()
            .unwrap_or_else(|_| panic!("not a number: {cell}"))
    }

    /// Moodle's own test allows a relative error of `rel` (1e-6 for most question figures,
    /// 1e-5 for covariance, discrimination index, discriminative efficiency and effective
    /// weight, 1.5e-5 for the quiz figures).
    fn assert_close(what: &str, actual: Option<f64>, expected: f64, rel: f64) {
        let actual = actual.unwrap_or_else(|| panic!("{what}: undefined, Moodle has {expected}"));
        assert!(
            (actual - expected).abs() <= expected.abs() * rel,
            "{what}: {actual} vs Moodle's {expected} (relative {rel})"
        );
    }

    fn statistics() -> QuizStatistics {
        let rows = data("marks00.csv");
        let items = rows[0].len() - 1;
        let mut marks = Marks::new(vec![Item::right_wrong(None); items]).unwrap();
        for row in &rows[1..] {
            let m: Vec<f64> = row[1..].iter().map(|c| number(c)).collect();
            marks.push(&m).unwrap();
        }
        QuizStatistics::compute(&marks)
    }

    #[test]
    fn quiz_figures_match_moodle() {
        let s = statistics();
        let expected: HashMap<String, f64> = data("expected_test00.csv")[1..]
            .iter()
            .map(|r| (r[0].clone(), number(&r[1])))
            .collect();
        assert_eq!(s.test.attempts as f64, expected["attempts"]);
        let t = &s.test;
        for (name, actual) in [
            ("mean", t.mean),
            ("median", t.median),
            ("sd", t.sd),
            ("skewness", t.skewness),
            ("kurtosis", t.kurtosis),
            ("cic", t.cic),
            ("error_ratio", t.error_ratio),
            ("standard_error", t.standard_error),
        ] {
            assert_close(name, actual, expected[name], 1.5e-5);
        }
    }

    #[test]
    fn question_figures_match_moodle() {
        let s = statistics();
        let rows = data("expected_items00.csv");
        let header = &rows[0];
        assert_eq!(rows.len() - 1, s.items.len());
        for (row, item) in rows[1..].iter().zip(&s.items) {
            for (col, cell) in header.iter().zip(row).skip(1) {
                let (actual, rel) = match col.as_str() {
                    "facility" => (item.facility, 1e-6),
                    "sd" => (item.sd, 1e-6),
                    "mark_variance" => (item.mark_variance, 1e-6),
                    "other_mark_variance" => (item.other_mark_variance, 1e-6),
                    "covariance_max" => (item.covariance_max, 1e-6),
                    "covariance" => (item.covariance, 1e-5),
                    "effective_weight" => (item.effective_weight, 1e-5),
                    "discrimination_index" => (item.discrimination_index, 1e-5),
                    "discriminative_efficiency" => (item.discriminative_efficiency, 1e-5),
                    other => panic!("unexpected column {other}"),
                };
                assert_close(&format!("{} {col}", row[0]), actual, number(cell), rel);
            }
        }
        // Every item has the same maximum mark: equal intended weights.
        for item in &s.items {
            assert!((item.intended_weight - 100.0 / 7.0).abs() < 1e-12);
        }
    }
}
