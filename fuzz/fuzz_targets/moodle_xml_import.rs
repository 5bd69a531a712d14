//! Any text as a Moodle XML file (see `certprep::fuzzing::moodle_xml_import`).
//! The check itself lives in the library so that `cargo test` replays the same code.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| certprep::fuzzing::moodle_xml_import(data));
