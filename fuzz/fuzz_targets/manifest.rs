//! A whole bank folder whose manifest and question file are fuzzed bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|b| *b == 0).unwrap_or(data.len());
    let (manifest, rest) = data.split_at(split);
    let Ok(dir) = tempfile_dir() else { return };
    let _ = std::fs::write(dir.join("bank.json"), manifest);
    let _ = std::fs::write(dir.join("q.json"), rest.get(1..).unwrap_or_default());
    let _ = certprep::bank::load_bank(&dir);
    let _ = std::fs::remove_dir_all(&dir);
});

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("certprep-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
