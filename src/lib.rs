//! certprep core: everything a window is not needed for.
pub mod bank;
pub mod exam;
pub mod store;
