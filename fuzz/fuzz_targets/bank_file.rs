//! A question file of any bytes: parsing and validation must return errors, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.json");
    if let Ok((scenarios, questions)) = certprep::bank::parse_question_file(path, text) {
        let manifest = certprep::synth::manifest("fuzz");
        if let Ok(bank) =
            certprep::bank::Bank::from_parts(manifest, PathBuf::from("fuzz"), scenarios, questions)
        {
            // Whatever validated must also assemble and score without panicking.
            let items = certprep::exam::assemble(&bank, 20, 1);
            let states = vec![certprep::exam::ItemState::default(); items.len()];
            let _ = certprep::exam::ScoreReport::compute(&bank, &items, &states, 70.0);
            let _ = bank.content_hash();
        }
    }
});
