//! Where certprep keeps its data and finds its banks.

use std::path::{Path, PathBuf};

pub const DATA_DIR_ENV: &str = "CERTPREP_DATA_DIR";
pub const BANKS_DIR_ENV: &str = "CERTPREP_BANKS_DIR";

/// The data folder: `--data-dir`, else `$CERTPREP_DATA_DIR`, else the platform's data
/// directory (e.g. `~/.local/share/certprep` on Linux).
pub fn data_dir(flag: Option<&Path>) -> PathBuf {
    if let Some(p) = flag {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return PathBuf::from(p);
    }
    directories::ProjectDirs::from("org", "certprep", "certprep")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".certprep"))
}

/// The banks folder: `--banks`, else `$CERTPREP_BANKS_DIR`, else `question-banks/` in the
/// current folder, else `question-banks/` in the data folder, else the one shipped in the
/// source tree (so `cargo run` works from anywhere).
pub fn banks_dir(flag: Option<&Path>, data_dir: &Path) -> PathBuf {
    if let Some(p) = flag {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os(BANKS_DIR_ENV).filter(|v| !v.is_empty()) {
        return PathBuf::from(p);
    }
    let candidates = [
        PathBuf::from("question-banks"),
        data_dir.join("question-banks"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("question-banks"),
    ];
    candidates
        .iter()
        .find(|p| p.is_dir())
        .cloned()
        .unwrap_or_else(|| candidates[0].clone())
}
