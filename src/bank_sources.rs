//! Where banks come from, and which one wins when two share an id.
//!
//! The app reads, in this order: the banks built into the binary (`src/shipped.rs`), the
//! data folder's `question-banks/` (what the learner imports), and a folder given with
//! `--banks` or `$CERTPREP_BANKS_DIR`. **The first bank with an id wins**: a later bank with
//! the same id is not loaded and is listed among the failures with the reason, so an
//! imported bank can never silently take a built-in bank's place (a learner's history is
//! kept per bank id, and would otherwise be scored against other questions). The same bank
//! found twice (identical content, e.g. `--banks question-banks` in the source tree) is read
//! once, without complaint.

use crate::bank::{BankError, BankFailure, LoadProgress, LoadReport, Location, MANIFEST_FILE};
use std::fmt;
use std::path::{Path, PathBuf};

/// What a folder of banks is to the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderKind {
    /// The data folder's `question-banks/`: may not exist yet (nothing imported).
    DataFolder,
    /// Given with `--banks` / `$CERTPREP_BANKS_DIR` (or, in tests, the only folder).
    Given,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankFolder {
    pub kind: FolderKind,
    pub path: PathBuf,
}

/// The places banks are read from, in order of precedence, and where imports go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankSources {
    /// Whether the built-in banks come first.
    pub built_in: bool,
    /// Folders of banks after the built-in ones, first wins.
    pub folders: Vec<BankFolder>,
    /// The folder of banks an import writes into.
    pub import_to: PathBuf,
}

impl BankSources {
    /// What the app and the command line use: the built-in banks, the data folder's, and
    /// `given` (`--banks`). Imports go to `given` when there is one, else the data folder.
    pub fn standard(data_dir: &Path, given: Option<PathBuf>) -> BankSources {
        let data_banks = crate::paths::data_banks_dir(data_dir);
        let mut folders = vec![BankFolder {
            kind: FolderKind::DataFolder,
            path: data_banks.clone(),
        }];
        let import_to = given.clone().unwrap_or(data_banks);
        folders.extend(given.map(|path| BankFolder {
            kind: FolderKind::Given,
            path,
        }));
        BankSources {
            built_in: true,
            folders,
            import_to,
        }
    }

    /// Exactly one folder of banks, nothing built in; imports go there too (tests that
    /// need a known set of banks).
    pub fn only(dir: PathBuf) -> BankSources {
        BankSources {
            built_in: false,
            folders: vec![BankFolder {
                kind: FolderKind::Given,
                path: dir.clone(),
            }],
            import_to: dir,
        }
    }

    /// The folder given for this run (`--banks`), if any.
    pub fn given(&self) -> Option<&Path> {
        self.folders
            .iter()
            .find(|f| f.kind == FolderKind::Given)
            .map(|f| f.path.as_path())
    }

    pub fn load(&self) -> LoadReport {
        self.load_with(&mut |_| {})
    }

    /// Read every source in order, telling `progress` as [`crate::bank::load_banks_with`]
    /// does (counts run on across folders), and keep the first bank of each id.
    pub fn load_with(&self, progress: &mut dyn FnMut(LoadProgress)) -> LoadReport {
        let mut report = if self.built_in {
            crate::shipped::load()
        } else {
            LoadReport::default()
        };
        let mut base = 0;
        for folder in &self.folders {
            if folder.kind == FolderKind::DataFolder && !folder.path.exists() {
                continue;
            }
            let mut last_total = 0;
            let found = crate::bank::load_banks_with(&folder.path, &mut |p| {
                last_total = p.total;
                progress(LoadProgress {
                    done: base + p.done,
                    total: base + p.total,
                    next: p.next,
                })
            });
            base += last_total;
            merge(&mut report, found);
        }
        report.banks.sort_by(|a, b| a.id().cmp(b.id()));
        report
    }
}

/// Add `found` to `report`: a bank whose id is taken is dropped, silently when it is the
/// same bank, else as a failure that says which bank holds the id.
fn merge(report: &mut LoadReport, found: LoadReport) {
    report.failures.extend(found.failures);
    for bank in found.banks {
        let Some(first) = report.banks.iter().find(|b| b.id() == bank.id()) else {
            report.banks.push(bank);
            continue;
        };
        if first.content_hash() == bank.content_hash() {
            continue;
        }
        let holder = if first.is_built_in() {
            "a bank built into certprep".to_string()
        } else {
            format!("the bank in {}", first.root.display())
        };
        let message = format!(
            "bank id \"{}\" is already used by {holder}, which is kept; this bank is not \
             loaded: give it another id in its bank.json",
            bank.id()
        );
        let location = Location {
            path: bank.root.join(MANIFEST_FILE),
            line: None,
            column: None,
            question: None,
        };
        report.failures.push(BankFailure {
            dir: bank.root.clone(),
            errors: vec![BankError::invalid(location, message)],
        });
    }
}

impl From<PathBuf> for BankSources {
    fn from(dir: PathBuf) -> BankSources {
        BankSources::only(dir)
    }
}

/// "the built-in banks, DIR and DIR": for messages such as "no bank X in …".
impl fmt::Display for BankSources {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if self.built_in {
            parts.push("the built-in banks".into());
        }
        parts.extend(self.folders.iter().map(|d| d.path.display().to_string()));
        match parts.split_last() {
            None => write!(f, "no folder"),
            Some((last, [])) => write!(f, "{last}"),
            Some((last, rest)) => write!(f, "{} and {last}", rest.join(", ")),
        }
    }
}
