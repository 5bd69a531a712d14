//! Any bytes as a CSV file: the importer returns rows or errors, never panics, and whatever
//! it accepts passes certprep's validator.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let opts = certprep::import::ImportOptions {
        bank_id: "fuzz".into(),
        title: None,
    };
    if let Ok(import) = certprep::import::csv::parse(&text, &opts)
        && !import.questions.is_empty()
    {
        import.validate().expect("an import always validates");
    }
});
