//! certprep core: everything a window is not needed for.
pub mod bank;
pub mod bank_sources;
pub mod cli;
pub mod exam;
pub mod export;
pub mod fsutil;
#[doc(hidden)]
pub mod fuzzing;
pub mod group;
pub mod import;
pub mod lint;
pub mod mastery;
pub mod paths;
pub mod plan;
pub mod prefs;
pub mod rasch;
pub mod reports;
pub mod shipped;
pub mod sim;
pub mod srs;
pub mod stats;
pub mod store;
pub mod sync;
pub mod synth;
pub mod text;
pub mod ui;
