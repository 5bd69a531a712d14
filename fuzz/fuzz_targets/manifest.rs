//! A whole bank folder whose manifest and question file are fuzzed bytes.
//! The check itself lives in the library so that `cargo test` replays the same code.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| certprep::fuzzing::manifest(data));
