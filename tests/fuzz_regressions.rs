//! Replays for the fuzz targets (`fuzz/fuzz_targets/`): inputs that once crashed a target are
//! kept in `tests/data/fuzz/<target>/` (none so far: the measured runs in docs/RELIABILITY.md
//! found no crash), and each target's seed corpus is in `fuzz/corpus/<target>/`. Each test runs
//! every such file through the same code path and checks its target runs, so a fixed crash
//! cannot come back unnoticed.

use std::path::{Path, PathBuf};

/// The stored crashing inputs of `target`, then its seed corpus (`fuzz/corpus/<target>/`),
/// so `cargo test` also runs every seed through the target's checks.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [
        root.join("tests/data/fuzz").join(target),
        root.join("fuzz/corpus").join(target),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        out.extend(files.into_iter().map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        }));
    }
    assert!(!out.is_empty(), "no inputs for {target}");
    out
}

// The bodies of the fuzz targets, unchanged but for being functions.

fn bank_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.json");
    if let Ok((scenarios, questions)) = certprep::bank::parse_question_file(path, text) {
        let manifest = certprep::synth::manifest("fuzz");
        if let Ok(bank) =
            certprep::bank::Bank::from_parts(manifest, PathBuf::from("fuzz"), scenarios, questions)
        {
            let items = certprep::exam::assemble(&bank, 20, 1);
            let states = vec![certprep::exam::ItemState::default(); items.len()];
            let _ = certprep::exam::ScoreReport::compute(&bank, &items, &states, 70.0);
            let _ = bank.content_hash();
        }
    }
}

fn manifest(data: &[u8]) -> Result<certprep::bank::Bank, Vec<certprep::bank::BankError>> {
    let split = data.iter().position(|b| *b == 0).unwrap_or(data.len());
    let (manifest, rest) = data.split_at(split);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bank.json"), manifest).unwrap();
    std::fs::write(dir.path().join("q.json"), rest.get(1..).unwrap_or_default()).unwrap();
    certprep::bank::load_bank(dir.path())
}

fn group_files(data: &[u8]) {
    if let Ok(pack) = certprep::group::ExamPack::from_bytes(data) {
        let _ = pack.exam_items();
        let _ = pack.file_name();
        let _ = pack.embedded_bank("fuzz");
        let banks = certprep::bank::LoadReport::default();
        if let Some(day) = pack.opens.or(pack.closes)
            && let Ok(src) = pack.resolve(&banks, day)
        {
            let _ = src.messages(&pack);
        }
    }
    let result = certprep::group::MemberResult::from_bytes(data);
    let inputs = vec![
        certprep::group::ReportInput {
            path: PathBuf::from("a"),
            result: result.clone(),
        },
        certprep::group::ReportInput {
            path: PathBuf::from("b"),
            result,
        },
    ];
    let report = certprep::group::GroupReport::build(None, inputs);
    let _ = report.to_text();
    let _ = report.to_csv();
}

fn opts() -> certprep::import::ImportOptions {
    certprep::import::ImportOptions {
        bank_id: "fuzz".into(),
        title: None,
    }
}

fn gift_import(data: &[u8]) -> certprep::import::Import {
    let text = String::from_utf8_lossy(data);
    let import = certprep::import::gift::parse(&text, &opts());
    if import.questions.is_empty() {
        return import;
    }
    let bank = import.validate().expect("an import always validates");
    let again = certprep::import::gift::parse(&certprep::import::gift::export(&bank), &opts());
    assert!(again.skipped.is_empty(), "{:?}", again.skipped);
    let again = again.validate().expect("a re-import validates");
    let mut before = bank.questions.clone();
    let mut after = again.questions.clone();
    before.sort_by(|a, b| a.id.cmp(&b.id));
    after.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(after, before);
    import
}

fn csv_import(data: &[u8]) -> Result<certprep::import::Import, certprep::import::ImportError> {
    let text = String::from_utf8_lossy(data);
    let import = certprep::import::csv::parse(&text, &opts());
    if let Ok(import) = &import
        && !import.questions.is_empty()
    {
        import.validate().expect("an import always validates");
    }
    import
}

/// Run `f` over every stored input of `target`, naming the file that fails.
fn run_all<T>(target: &str, f: impl Fn(&[u8]) -> T) {
    for (path, bytes) in inputs(target) {
        let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = f(&bytes);
        }));
        assert!(ok.is_ok(), "{} panics again", path.display());
    }
}

#[test]
fn bank_file_inputs_do_not_panic() {
    run_all("bank_file", bank_file);
}

#[test]
fn manifest_inputs_do_not_panic() {
    run_all("manifest", manifest);
}

#[test]
fn group_files_inputs_do_not_panic() {
    run_all("group_files", group_files);
}

#[test]
fn gift_import_inputs_do_not_panic() {
    run_all("gift_import", gift_import);
}

#[test]
fn csv_import_inputs_do_not_panic() {
    run_all("csv_import", csv_import);
}
