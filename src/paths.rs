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

/// The folder of banks the learner imports or writes: `question-banks/` in the data folder
/// (the Import screen and `certprep import` write there unless told otherwise).
pub fn data_banks_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("question-banks")
}

/// A folder of banks given for this run: `--banks`, else `$CERTPREP_BANKS_DIR`. It is read
/// besides the built-in banks and the data folder's (see `crate::bank_sources`).
pub fn given_banks_dir(flag: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = flag {
        return Some(p.to_path_buf());
    }
    std::env::var_os(BANKS_DIR_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}
