//! Pack and member-result files of any bytes (see `certprep::fuzzing::group_files`).
//! The check itself lives in the library so that `cargo test` replays the same code.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| certprep::fuzzing::group_files(data));
