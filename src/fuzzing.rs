//! What each fuzz target checks (`fuzz/fuzz_targets/`), kept in the library so that the
//! targets and `cargo test`'s replay of stored inputs (`tests/fuzz_regressions.rs`) run the
//! very same code. Each function may panic only where the property it checks is broken.

use std::path::{Path, PathBuf};

/// A question file of any bytes: parsing and validation return errors, never panic; whatever
/// validates also assembles and scores.
pub fn bank_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.json");
    if let Ok((scenarios, questions)) = crate::bank::parse_question_file(path, text) {
        let manifest = crate::synth::manifest("fuzz");
        if let Ok(bank) =
            crate::bank::Bank::from_parts(manifest, PathBuf::from("fuzz"), scenarios, questions)
        {
            let items = crate::exam::assemble(&bank, 20, 1);
            let states = vec![crate::exam::ItemState::default(); items.len()];
            let _ = crate::exam::ScoreReport::compute(&bank, &items, &states, 70.0);
            let _ = bank.content_hash();
        }
    }
}

/// A whole bank folder: the bytes before the first NUL are `bank.json`, the rest a question
/// file. Written to a fresh temporary folder, loaded, removed.
pub fn manifest(data: &[u8]) {
    use std::sync::atomic::{AtomicU64, Ordering};
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let split = data.iter().position(|b| *b == 0).unwrap_or(data.len());
    let (manifest, rest) = data.split_at(split);
    let dir = std::env::temp_dir().join(format!(
        "certprep-fuzz-{}-{}",
        std::process::id(),
        CALLS.fetch_add(1, Ordering::Relaxed)
    ));
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let _ = std::fs::write(dir.join("bank.json"), manifest);
    let _ = std::fs::write(dir.join("q.json"), rest.get(1..).unwrap_or_default());
    let _ = crate::bank::load_bank(&dir);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Pack and member-result files of any bytes: loading returns errors, never panics; what
/// loads also builds a report and its text and CSV.
pub fn group_files(data: &[u8]) {
    use crate::group::{ExamPack, GroupReport, MemberResult, ReportInput};
    if let Ok(pack) = ExamPack::from_bytes(data) {
        let _ = pack.exam_items();
        let _ = pack.file_name();
        let _ = pack.embedded_bank("fuzz");
        let banks = crate::bank::LoadReport::default();
        if let Some(day) = pack.opens.or(pack.closes)
            && let Ok(src) = pack.resolve(&banks, day)
        {
            let _ = src.messages(&pack);
        }
    }
    let result = MemberResult::from_bytes(data);
    let inputs = vec![
        ReportInput {
            path: PathBuf::from("a"),
            result: result.clone(),
        },
        ReportInput {
            path: PathBuf::from("b"),
            result,
        },
    ];
    let report = GroupReport::build(None, &[], inputs);
    let _ = report.to_text();
    let _ = report.to_csv();
    // Scored against a key: the fixture bank the seed corpus was built from, when present.
    static MINI: std::sync::OnceLock<Option<crate::bank::Bank>> = std::sync::OnceLock::new();
    let mini = MINI.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/banks/mini");
        crate::bank::load_bank(&dir).ok()
    });
    if let Some(bank) = mini
        && let Ok(r) = MemberResult::from_bytes(data)
    {
        let report = GroupReport::build(
            None,
            std::slice::from_ref(bank),
            vec![ReportInput {
                path: PathBuf::from("a"),
                result: Ok(r),
            }],
        );
        let _ = report.to_text();
        let _ = report.to_csv();
    }
}

fn opts() -> crate::import::ImportOptions {
    crate::import::ImportOptions {
        bank_id: "fuzz".into(),
        title: None,
    }
}

/// Any text as GIFT: never panics; what is accepted validates; export then import keeps it.
pub fn gift_import(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let import = crate::import::gift::parse(&text, &opts());
    if import.questions.is_empty() {
        return;
    }
    let bank = import.validate().expect("an import always validates");
    let again = crate::import::gift::parse(&crate::import::gift::export(&bank), &opts());
    assert!(again.skipped.is_empty(), "{:?}", again.skipped);
    assert_same_questions(&bank, &again);
}

/// Any text as Moodle XML: an error or an import, never a panic; what is accepted validates,
/// its images have safe names; export then import keeps it.
pub fn moodle_xml_import(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(import) = crate::import::moodle_xml::parse(&text, &opts()) else {
        return;
    };
    assert!(
        import
            .images
            .iter()
            .all(|i| crate::import::is_safe_image_name(&i.name))
    );
    if import.questions.is_empty() {
        return;
    }
    let bank = import.validate().expect("an import always validates");
    let again =
        crate::import::moodle_xml::parse(&crate::import::moodle_xml::export(&bank), &opts())
            .expect("the export reads back");
    assert!(again.skipped.is_empty(), "{:?}", again.skipped);
    assert_same_questions(&bank, &again);
}

/// Any bytes as CSV: rows or errors, never a panic; what is accepted validates.
pub fn csv_import(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(import) = crate::import::csv::parse(&text, &opts())
        && !import.questions.is_empty()
    {
        import.validate().expect("an import always validates");
    }
}

/// A re-imported export validates and holds the bank's questions. Exports group questions by
/// skill area, so they are compared by id.
fn assert_same_questions(bank: &crate::bank::Bank, again: &crate::import::Import) {
    let again = again.validate().expect("a re-import validates");
    let mut before = bank.questions.clone();
    let mut after = again.questions.clone();
    before.sort_by(|a, b| a.id.cmp(&b.id));
    after.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(after, before);
}
