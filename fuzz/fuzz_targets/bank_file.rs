//! A question file of any bytes: parsing and validation must return errors, never panic.
//! The check itself lives in the library so that `cargo test` replays the same code.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| certprep::fuzzing::bank_file(data));
