//! Issue 8, "huge inputs": a 200 MB bank file, a 1 MB stem, 10,000 options, and pack/result
//! files over their cap are refused with a message naming the problem, never read whole or
//! turned into an out-of-memory. Big files are sparse (`File::set_len`), so these tests
//! allocate nothing on disk.

use certprep::bank::{self, BankError, MAX_FILE_BYTES, MAX_OPTIONS, MAX_TEXT_CHARS};
use certprep::group::{self, ExamPack, FileError, MemberResult};
use certprep::import::{ImportOptions, csv, gift};
use std::path::Path;

const MB: u64 = 1024 * 1024;

fn sparse(path: &Path, len: u64) {
    let f = std::fs::File::create(path).unwrap();
    f.set_len(len).unwrap();
}

fn mini_bank(dir: &Path) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/banks/mini");
    for name in ["bank.json", "questions.json"] {
        std::fs::copy(src.join(name), dir.join(name)).unwrap();
    }
}

fn opts() -> ImportOptions {
    ImportOptions {
        bank_id: "huge".into(),
        title: None,
    }
}

fn messages(errs: &[BankError]) -> String {
    errs.iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_200_mb_question_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    mini_bank(dir.path());
    let big = dir.path().join("big.json");
    sparse(&big, 200 * MB);
    let errs = bank::load_bank(dir.path()).expect_err("a 200 MB file must not load");
    // Refused by size, not by content: a read would have given a syntax error (NUL bytes).
    assert!(
        errs.iter().any(|e| matches!(e,
            BankError::TooLarge { path, size, max }
                if path == &big && *size == 200 * MB && *max == MAX_FILE_BYTES)),
        "{errs:?}"
    );
    assert!(
        !errs.iter().any(|e| matches!(e, BankError::Syntax { .. })),
        "{errs:?}"
    );
    let text = messages(&errs);
    assert!(
        text.contains("big.json") && text.contains("limit"),
        "{text}"
    );
}

#[test]
fn a_200_mb_manifest_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    sparse(&dir.path().join("bank.json"), 200 * MB);
    let errs = bank::load_bank(dir.path()).expect_err("a 200 MB manifest must not load");
    assert!(
        matches!(errs.as_slice(), [BankError::TooLarge { size, .. }] if *size == 200 * MB),
        "{errs:?}"
    );
}

#[test]
fn a_200_mb_import_source_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.gift");
    sparse(&big, 200 * MB);
    let out = dir.path().join("bank");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_certprep"))
        .args(["import", "gift"])
        .arg(&big)
        .args(["--bank-id", "big", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(
        stderr.contains("larger than") && stderr.contains("limit"),
        "{stderr}"
    );
    assert!(!out.join("bank.json").exists());
}

#[test]
fn pack_and_result_files_over_the_cap_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Just over the cap, and far over it; both sparse.
    for len in [group::MAX_FILE_BYTES + 1, 200 * MB] {
        let path = dir.path().join(format!("file-{len}.json"));
        sparse(&path, len);
        let pack = ExamPack::load(&path).expect_err("oversized pack");
        assert!(
            matches!(pack, FileError::TooLarge { size, max } if size == len && max == group::MAX_FILE_BYTES),
            "{pack:?}"
        );
        assert!(pack.to_string().contains(&len.to_string()), "{pack}");
        let result = MemberResult::load(&path).expect_err("oversized result");
        assert!(
            matches!(result, FileError::TooLarge { size, .. } if size == len),
            "{result:?}"
        );
        let report = certprep::group::ReportInput::load(&path);
        assert!(matches!(report.result, Err(FileError::TooLarge { .. })));
    }
    // Bytes already in memory (e.g. dropped onto the window) hit the same cap.
    let bytes = vec![b' '; group::MAX_FILE_BYTES as usize + 1];
    assert!(matches!(
        ExamPack::from_bytes(&bytes),
        Err(FileError::TooLarge { .. })
    ));
    assert!(matches!(
        MemberResult::from_bytes(&bytes),
        Err(FileError::TooLarge { .. })
    ));
}

fn question_json(id: &str, stem: &str, options: usize) -> String {
    let opts: Vec<String> = (0..options)
        .map(|i| {
            format!(
                r#"{{"id":"o{i}","text":"Option {i}","correct":{}}}"#,
                i == 0
            )
        })
        .collect();
    format!(
        r#"{{"id":"{id}","domain":"plan","type":"single","stem":"{stem}","options":[{}]}}"#,
        opts.join(",")
    )
}

fn load_one(dir: &Path, question: &str) -> Result<bank::Bank, Vec<BankError>> {
    mini_bank(dir);
    std::fs::write(dir.join("extra.json"), format!("[{question}]")).unwrap();
    bank::load_bank(dir)
}

#[test]
fn a_1_mb_stem_is_refused_with_the_question_named() {
    let dir = tempfile::tempdir().unwrap();
    let stem = "x".repeat(MB as usize);
    let errs = load_one(dir.path(), &question_json("huge-stem", &stem, 4)).unwrap_err();
    let text = messages(&errs);
    assert!(
        text.contains("huge-stem")
            && text.contains(&format!("longer than {MAX_TEXT_CHARS} characters")),
        "{}",
        &text[..text.len().min(2000)]
    );
    // The message does not repeat the megabyte of text.
    assert!(text.len() < 10_000, "{} bytes of errors", text.len());
}

#[test]
fn ten_thousand_options_are_refused_with_the_question_named() {
    let dir = tempfile::tempdir().unwrap();
    let errs = load_one(dir.path(), &question_json("many", "Pick one", 10_000)).unwrap_err();
    let text = messages(&errs);
    assert!(
        text.contains("many")
            && text.contains(&format!(
                "has 10000 options; a question needs 2 to {MAX_OPTIONS}"
            )),
        "{}",
        &text[..text.len().min(2000)]
    );
}

#[test]
fn gift_import_skips_a_1_mb_stem_and_10_000_answers() {
    let stem = "y".repeat(MB as usize);
    let answers: String = (0..10_000)
        .map(|i| {
            if i == 0 {
                " =right".to_string()
            } else {
                format!(" ~wrong{i}")
            }
        })
        .collect();
    let text = format!(
        "::Small:: Fine? {{=yes ~no}}\n\n::Big:: {stem} {{=a ~b}}\n\n::Many:: Which? {{{answers}}}\n"
    );
    let import = gift::parse(&text, &opts());
    assert_eq!(import.questions.len(), 1, "only the small question is kept");
    let reasons: Vec<String> = import.skipped.iter().map(|s| s.to_string()).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].starts_with("line 3:") && reasons[0].contains("longer than"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].starts_with("line 5:") && reasons[1].contains("10000 answers"),
        "{reasons:?}"
    );
    import.validate().expect("what was kept validates");
}

#[test]
fn csv_import_skips_a_1_mb_stem() {
    let big = "z".repeat(MB as usize);
    let text = format!(
        "id,domain,type,stem,option_a,option_b,correct\n\
         small,net,single,Fine?,yes,no,a\n\
         big,net,single,{big},yes,no,a\n"
    );
    let import = csv::parse(&text, &opts()).expect("the file as a whole imports");
    let ids: Vec<&str> = import.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["small"]);
    assert!(
        import
            .skipped
            .iter()
            .any(|s| s.line == 3 && s.reason.contains("longer than")),
        "{:?}",
        import.skipped
    );
    import.validate().expect("what was kept validates");
}
