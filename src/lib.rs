//! certprep core: everything a window is not needed for.
pub mod bank;
pub mod cli;
pub mod exam;
pub mod paths;
pub mod prefs;
pub mod stats;
pub mod store;
pub mod synth;
pub mod ui;
