//! Replays for the fuzz targets (`fuzz/fuzz_targets/`): inputs that once crashed a target are
//! kept in `tests/data/fuzz/<target>/` (none so far: the measured runs in docs/RELIABILITY.md
//! found no crash), and each target's seed corpus is in `fuzz/corpus/<target>/`. Each test runs
//! every such file through the target's own check (`certprep::fuzzing`), so a fixed crash
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

/// Run `f` over every stored input of `target`, naming the file that fails.
fn run_all(target: &str, f: impl Fn(&[u8])) {
    for (path, bytes) in inputs(target) {
        let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            f(&bytes);
        }));
        assert!(ok.is_ok(), "{} panics again", path.display());
    }
}

#[test]
fn bank_file_inputs_do_not_panic() {
    run_all("bank_file", certprep::fuzzing::bank_file);
}

#[test]
fn manifest_inputs_do_not_panic() {
    run_all("manifest", certprep::fuzzing::manifest);
}

#[test]
fn group_files_inputs_do_not_panic() {
    run_all("group_files", certprep::fuzzing::group_files);
}

#[test]
fn gift_import_inputs_do_not_panic() {
    run_all("gift_import", certprep::fuzzing::gift_import);
}

#[test]
fn csv_import_inputs_do_not_panic() {
    run_all("csv_import", certprep::fuzzing::csv_import);
}

#[test]
fn moodle_xml_import_inputs_do_not_panic() {
    run_all("moodle_xml_import", certprep::fuzzing::moodle_xml_import);
}
