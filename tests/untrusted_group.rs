//! Issue 14, study-group files from other people: forged scores, spoofed names, invented
//! packs, terminal escapes, file names from content, and packs that borrow a real bank's
//! hash. Through the real binary where the issue saw it.

mod common;

use certprep::bank::{Bank, LoadReport};
use certprep::exam::{ExamSession, Mode};
use certprep::group::{ExamPack, FileError, MemberResult, PackError, PackItem, ResultReport};
use certprep::reports::ReportKind;
use common::s;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn banks() -> PathBuf {
    common::fixture_banks()
}

fn mini() -> Bank {
    common::group::mini()
}

fn pack() -> ExamPack {
    common::group::spring_mock(false)
}

/// Sit the pack as the app does, right exactly on the items `right(i)` says.
fn sit(pack: &ExamPack, member: &str, right: impl Fn(usize) -> bool) -> MemberResult {
    let bank = mini();
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
        let picks = if right(i) {
            q.correct_ids()
        } else {
            vec![q.options.iter().find(|o| !o.correct).unwrap().id.clone()]
        };
        for p in picks {
            assert!(s.choose(i, &p, &q));
        }
    }
    s.submit(t0 + Duration::from_secs(60), false);
    MemberResult::new(
        &pack.pack_id,
        member,
        &s.score(&bank),
        Duration::from_secs(60),
        false,
    )
    .unwrap()
}

/// Re-seal a result after editing it, as anyone can (the seal is an unkeyed hash).
fn reseal(mut r: MemberResult) -> MemberResult {
    r.checksum = r.computed_checksum();
    r
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn report(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_certprep"))
        .args(["--banks", s(&banks()), "group", "report"])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn a_forged_result_that_selected_nothing_scores_zero() {
    let dir = tempfile::tempdir().unwrap();
    let pack = pack();
    let pack_file = write(dir.path(), "p.certprep-exam.json", &pack.to_json());
    let honest = sit(&pack, "Bob", |i| i < 3);
    // Mallory answered nothing, then marked every answer right and re-sealed the file.
    let mut forged = sit(&pack, "Mallory", |_| false);
    for a in &mut forged.answers {
        a.selected.clear();
        a.correct = true;
    }
    for area in &mut forged.areas {
        area.correct = area.total;
    }
    let forged = reseal(forged);
    assert!(MemberResult::from_bytes(forged.to_json().as_bytes()).is_ok());
    let f1 = write(dir.path(), "bob.certprep-result.json", &honest.to_json());
    let f2 = write(
        dir.path(),
        "mallory.certprep-result.json",
        &forged.to_json(),
    );
    let out = report(&[&pack_file, &f1, &f2]);
    let text = stdout(&out);
    let row = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no row for {name}: {text}"))
            .split_whitespace()
            .nth(1)
            .unwrap()
            .to_string()
    };
    assert_eq!(row("Mallory"), "0.0", "{text}");
    assert_eq!(row("Bob"), "50.0", "{text}");
}

#[test]
fn look_alike_names_are_a_conflict_and_the_genuine_file_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let pack = pack();
    let pack_file = write(dir.path(), "p.certprep-exam.json", &pack.to_json());
    let alice = sit(&pack, "Alice", |_| true);
    // Cyrillic А, a zero-width space, and a lowercase copy in a file that sorts first.
    let cyrillic = sit(&pack, "\u{0410}lice", |_| false);
    let zero_width = sit(&pack, "Alice\u{200B}", |_| false);
    let lower = sit(&pack, "alice", |_| false);
    let files = [
        write(dir.path(), "0-first.certprep-result.json", &lower.to_json()),
        write(dir.path(), "1-alice.certprep-result.json", &alice.to_json()),
        write(
            dir.path(),
            "2-cyr.certprep-result.json",
            &cyrillic.to_json(),
        ),
        write(
            dir.path(),
            "3-zw.certprep-result.json",
            &zero_width.to_json(),
        ),
    ];
    let mut args: Vec<&Path> = vec![&pack_file];
    args.extend(files.iter().map(PathBuf::as_path));
    let out = report(&args);
    let text = stdout(&out);
    // The genuine result is in the table with its score, and nothing was rejected.
    assert!(
        text.lines()
            .any(|l| l.starts_with("Alice") && l.contains("100.0")),
        "{text}"
    );
    assert!(text.contains("4 members"), "{text}");
    assert!(text.contains("0 files rejected"), "{text}");
    assert!(text.contains("Name conflicts"), "{text}");
    assert!(text.contains("1-alice.certprep-result.json"), "{text}");
    assert!(!text.contains('\u{200B}'), "{text}");
    // A conflict needs the facilitator's eye: the exit code says so.
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn fake_results_for_an_invented_pack_cost_no_genuine_result() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("group");
    std::fs::create_dir(&folder).unwrap();
    let pack = pack();
    write(&folder, &pack.file_name(), &pack.to_json());
    for (i, name) in ["Ann", "Ben"].iter().enumerate() {
        let r = sit(&pack, name, |q| q <= i);
        write(&folder, &r.file_name(), &r.to_json());
    }
    for i in 0..4 {
        let mut fake = sit(&pack, &format!("Fake {i}"), |_| true);
        fake.pack_id = "0123456789abcdef".into();
        let fake = reseal(fake);
        write(&folder, &fake.file_name(), &fake.to_json());
    }
    let out = report(&[&folder]);
    let text = stdout(&out);
    assert!(text.contains(&format!("Pack {}", pack.pack_id)), "{text}");
    assert!(text.lines().any(|l| l.starts_with("Ann")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("Ben")), "{text}");
    assert!(text.contains("2 members"), "{text}");
}

#[test]
fn newlines_and_escape_sequences_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let pack = pack();
    let pack_file = write(dir.path(), "p.certprep-exam.json", &pack.to_json());
    let mut a = sit(&pack, "Eve", |_| true);
    a.member = "Eve\nMallory        100.0\u{1b}]0;owned\u{7}\u{1b}[2J".into();
    let a = reseal(a);
    let b = sit(&pack, "Bob", |_| false);
    let f1 = write(dir.path(), "eve.certprep-result.json", &a.to_json());
    let f2 = write(
        dir.path(),
        "bob\u{1b}[31m.certprep-result.json",
        &b.to_json(),
    );
    let out = report(&[&pack_file, &f1, &f2]);
    let text = stdout(&out);
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(!text.contains('\u{7}'), "{text:?}");
    assert!(
        !text.lines().any(|l| l.starts_with("Mallory")),
        "a name added a row: {text}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .chars()
            .all(|c| c != '\u{1b}')
    );
}

#[test]
fn a_negative_discrimination_is_a_number_in_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let pack = pack();
    let pack_file = write(dir.path(), "p.certprep-exam.json", &pack.to_json());
    // Question 0 is right only for the weakest member: a negative point-biserial.
    let members = [
        sit(&pack, "A", |i| i >= 1),
        sit(&pack, "B", |i| (1..5).contains(&i)),
        sit(&pack, "C", |i| i == 0),
    ];
    let mut args: Vec<PathBuf> = vec![pack_file];
    for m in &members {
        args.push(write(dir.path(), &m.file_name(), &m.to_json()));
    }
    let csv = dir.path().join("r.csv");
    let out = Command::new(env!("CARGO_BIN_EXE_certprep"))
        .args(["--banks", s(&banks()), "group", "report"])
        .args(&args)
        .arg("--csv")
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stdout(&out));
    let csv = std::fs::read_to_string(&csv).unwrap();
    let q0 = csv
        .lines()
        .find(|l| l.starts_with(&pack.items[0].question_id))
        .unwrap();
    let disc = q0.split(',').nth(5).unwrap();
    assert!(disc.starts_with("-0."), "{q0}");
    assert!(!csv.contains("'-"), "{csv}");
}

#[test]
fn a_result_file_name_never_leaves_its_folder() {
    let pack = pack();
    let mut r = sit(&pack, "../../Bob", |_| true);
    r.pack_id = "../../../../tmp/evil".into();
    let name = r.file_name();
    assert!(!name.contains('/') && !name.contains('\\'), "{name}");
    assert!(!name.starts_with('.'), "{name}");
}

/// A pack that lists questions the bank does not have, under the real bank's hash.
fn pack_with_items(items: Vec<PackItem>) -> ExamPack {
    let mut p = pack();
    p.items = items;
    p.pack_id = p.computed_id();
    p
}

fn invented(n: usize) -> Vec<PackItem> {
    (0..n)
        .map(|i| PackItem {
            question_id: format!("invented-{i}"),
            domain: "plan".into(),
            option_order: vec!["a".into(), "b".into()],
            question_hash: "0".repeat(64),
        })
        .collect()
}

#[test]
fn a_pack_with_a_copied_bank_hash_is_checked_question_by_question() {
    let banks = LoadReport {
        banks: vec![mini()],
        failures: vec![],
    };
    let today = chrono::Local::now().date_naive();
    let forged = pack_with_items(invented(3));
    let loaded = ExamPack::from_bytes(forged.to_json().as_bytes()).expect("well formed");
    assert_eq!(loaded.bank.content_hash, mini().content_hash());
    match loaded.resolve(&banks, today) {
        Err(PackError::QuestionsMissing { count: 3, .. }) => {}
        other => panic!("a pack of invented questions was accepted: {other:?}"),
    }
    // An item whose option order names options the question does not have.
    let mut p = pack();
    p.items[0].option_order = vec!["a".into(), "zz".into()];
    p.pack_id = p.computed_id();
    let src = ExamPack::from_bytes(p.to_json().as_bytes())
        .unwrap()
        .resolve(&banks, today)
        .unwrap();
    assert!(
        src.differences
            .iter()
            .any(|d| d.question_id == p.items[0].question_id),
        "{:?}",
        src.differences
    );
}

#[test]
fn a_pack_of_20000_invented_questions_is_refused_promptly() {
    let forged = pack_with_items(invented(20_000));
    let json = forged.to_json();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(ExamPack::from_bytes(json.as_bytes()).map(|p| p.items.len()));
    });
    let loaded = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("loading a pack finishes");
    let err = loaded.expect_err("a 20,000-question pack must be refused");
    assert!(err.to_string().contains("at most"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Problem reports carried in result files

fn problem(qid: &str, kind: ReportKind, text: &str, minute: u32) -> ResultReport {
    ResultReport {
        question_id: qid.into(),
        kind,
        text: text.into(),
        at: chrono::DateTime::parse_from_rfc3339(&format!("2026-11-30T10:{minute:02}:00Z"))
            .unwrap()
            .with_timezone(&chrono::Utc),
    }
}

fn malformed(bytes: &[u8]) -> String {
    match MemberResult::from_bytes(bytes) {
        Err(FileError::Malformed { message, .. }) => message,
        Err(e) => panic!("expected a malformed result, got: {e}"),
        Ok(_) => panic!("a bad report was accepted"),
    }
}

#[test]
fn a_result_without_reports_is_unchanged_and_one_with_reports_round_trips() {
    let pack = pack();
    let plain = sit(&pack, "Bob", |i| i < 3);
    let json = plain.to_json();
    assert!(!json.contains("reports"), "{json}");
    // Adding no reports seals the same file.
    let same = plain.clone().with_reports(Vec::new()).unwrap();
    assert_eq!(same.to_json(), json);

    let q: Vec<String> = pack.items.iter().map(|i| i.question_id.clone()).collect();
    let with = plain
        .clone()
        .with_reports(vec![
            problem(&q[2], ReportKind::Typo, "\"adress\"", 5),
            problem(&q[0], ReportKind::WrongKey, "C is right too", 1),
            // Repeated kind on one question: the latest is kept.
            problem(&q[0], ReportKind::WrongKey, "C is right too (newer)", 3),
            // Not a question of this pack: left out.
            problem("elsewhere", ReportKind::Other, "", 2),
        ])
        .unwrap();
    assert_ne!(
        with.checksum, plain.checksum,
        "the checksum covers the reports"
    );
    let back = MemberResult::from_bytes(with.to_json().as_bytes()).unwrap();
    assert_eq!(back, with);
    let kept: Vec<(&str, &str)> = back
        .reports
        .iter()
        .map(|r| (r.question_id.as_str(), r.text.as_str()))
        .collect();
    assert_eq!(
        kept,
        [
            (q[0].as_str(), "C is right too (newer)"),
            (q[2].as_str(), "\"adress\"")
        ],
        "in pack order"
    );
    let problems = certprep::group::problem_reports(std::slice::from_ref(&back));
    assert_eq!(problems.len(), 2);
    assert_eq!(problems[&q[0]][0].member, "Bob");
    assert_eq!(problems[&q[0]][0].kind, ReportKind::WrongKey);

    // Too long a text is refused when the result is made.
    let long = "x".repeat(certprep::reports::MAX_REPORT_CHARS + 1);
    assert!(matches!(
        plain.with_reports(vec![problem(&q[1], ReportKind::Other, &long, 1)]),
        Err(PackError::BadReport(_))
    ));
}

#[test]
fn a_tampered_report_fails_the_checksum_and_bad_reports_are_clear_errors() {
    let pack = pack();
    let q: Vec<String> = pack.items.iter().map(|i| i.question_id.clone()).collect();
    let r = sit(&pack, "Ana", |_| true)
        .with_reports(vec![problem(&q[1], ReportKind::Unclear, "two readings", 1)])
        .unwrap();
    // Edited after export, not re-sealed: the checksum catches it.
    let tampered = r.to_json().replace("two readings", "the key is wrong");
    assert_eq!(
        MemberResult::from_bytes(tampered.as_bytes()),
        Err(FileError::ChecksumMismatch)
    );
    // A report removed without re-sealing too.
    let mut dropped = r.clone();
    dropped.reports.clear();
    assert_eq!(
        MemberResult::from_bytes(dropped.to_json().as_bytes()),
        Err(FileError::ChecksumMismatch)
    );

    // Re-sealed edits are caught by the checks themselves.
    let mut foreign = r.clone();
    foreign.reports[0].question_id = "not-in-pack".into();
    let why = malformed(reseal(foreign).to_json().as_bytes());
    assert!(why.contains("not in the pack"), "{why}");

    let mut long = r.clone();
    long.reports[0].text = "y".repeat(certprep::reports::MAX_REPORT_CHARS + 1);
    let why = malformed(reseal(long).to_json().as_bytes());
    assert!(why.contains("longer than 2000"), "{why}");

    let mut twice = r.clone();
    twice.reports.push(twice.reports[0].clone());
    let why = malformed(reseal(twice).to_json().as_bytes());
    assert!(why.contains("reported twice"), "{why}");

    let mut many = r.clone();
    many.reports = (0..certprep::group::MAX_RESULT_REPORTS + 1)
        .map(|i| problem(&q[i % q.len()], ReportKind::Other, &format!("{i}"), 1))
        .collect();
    let why = malformed(reseal(many).to_json().as_bytes());
    assert!(why.contains("more than 200 problem reports"), "{why}");

    // An unknown kind is a malformed file, never a panic.
    let unknown = reseal(r.clone())
        .to_json()
        .replace("\"unclear\"", "\"offensive\"");
    let why = malformed(unknown.as_bytes());
    assert!(why.contains("offensive"), "{why}");
}

#[test]
fn the_group_report_lists_members_problem_reports_in_text_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let pack = pack();
    let q: Vec<String> = pack.items.iter().map(|i| i.question_id.clone()).collect();
    let pack_file = write(dir.path(), "p.certprep-exam.json", &pack.to_json());
    let ana = sit(&pack, "Ana", |_| true)
        .with_reports(vec![problem(
            &q[1],
            ReportKind::WrongKey,
            "=B is right too",
            1,
        )])
        .unwrap();
    let bob = sit(&pack, "Bob", |i| i < 2);
    let f1 = write(dir.path(), "ana.certprep-result.json", &ana.to_json());
    let f2 = write(dir.path(), "bob.certprep-result.json", &bob.to_json());
    let out = report(&[&pack_file, &f1, &f2]);
    let text = stdout(&out);
    assert!(text.contains("Problem reports (1 report):"), "{text}");
    assert!(
        text.contains(&format!(
            "  {}\n    Ana (wrong answer key): =B is right too",
            q[1]
        )),
        "{text}"
    );
    let csv_file = dir.path().join("r.csv");
    let o = Command::new(env!("CARGO_BIN_EXE_certprep"))
        .args(["--banks", s(&banks()), "group", "report", "--csv"])
        .arg(&csv_file)
        .args([&pack_file, &f1, &f2])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(&csv_file).unwrap();
    assert!(
        csv.contains(&format!("{},Ana,wrong_key,'=B is right too", q[1])),
        "{csv}"
    );
}
