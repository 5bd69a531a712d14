//! Pack and member-result files of any bytes: loading must return errors, never panic; what
//! loads must also build a report and its text and CSV without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

fuzz_target!(|data: &[u8]| {
    if let Ok(pack) = certprep::group::ExamPack::from_bytes(data) {
        let _ = pack.exam_items();
        let _ = pack.file_name();
        let _ = pack.embedded_bank("fuzz");
        let banks = certprep::bank::LoadReport::default();
        // Any date the pack itself names (the fuzz crate does not depend on chrono).
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
});
