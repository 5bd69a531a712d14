//! Any text as a GIFT file: the importer must never panic, whatever it accepts must pass
//! certprep's validator, and exporting that bank and importing it again must keep it.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let opts = certprep::import::ImportOptions {
        bank_id: "fuzz".into(),
        title: None,
    };
    let import = certprep::import::gift::parse(&text, &opts);
    if import.questions.is_empty() {
        return;
    }
    let bank = import.validate().expect("an import always validates");
    let again = certprep::import::gift::parse(&certprep::import::gift::export(&bank), &opts);
    assert!(again.skipped.is_empty(), "{:?}", again.skipped);
    let again = again.validate().expect("a re-import validates");
    // Export groups questions by skill area, so compare them by id.
    let mut before = bank.questions.clone();
    let mut after = again.questions.clone();
    before.sort_by(|a, b| a.id.cmp(&b.id));
    after.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(after, before);
});
