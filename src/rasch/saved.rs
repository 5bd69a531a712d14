//! A bank's calibration kept on disk: the difficulties a study group's results gave its
//! questions, with their standard errors and how many answers they came from, so readiness
//! can read the learner's answers on the same scale.
//!
//! Where: "Save calibration" writes `calibrations/<bank id>.json` in the data folder. A bank
//! can also carry one: `calibration.json` in the bank's own folder, from its author. The data
//! folder's copy wins (it is the learner's own group's).
//!
//! A calibration file comes from other people like a bank does: it is read with a size cap,
//! parsed strictly, and every number checked; a bad file is refused with its reason and
//! readiness falls back to the model without calibration.

use super::{Calibration, ItemStatus};
use crate::bank::Bank;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub const CALIBRATION_FORMAT: &str = "certprep-calibration-1";
/// 20,000 questions at about 100 bytes each, with room to spare.
pub const MAX_CALIBRATION_BYTES: u64 = 4 << 20;
/// Difficulties and abilities beyond this many logits are not estimable from a group.
const MAX_LOGITS: f64 = 12.0;
const MAX_SE: f64 = 10.0;
/// The name of a calibration shipped beside a bank, in the bank's folder.
pub const BESIDE_BANK: &str = "calibration.json";
/// The folder in the data folder that "Save calibration" writes to.
pub const DATA_FOLDER: &str = "calibrations";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedItem {
    pub question_id: String,
    /// Logits; the items of one calibration sum to zero.
    pub difficulty: f64,
    pub se: f64,
    /// Answers the difficulty came from.
    pub responses: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedCalibration {
    pub format: String,
    pub bank_id: String,
    pub created_at: DateTime<Utc>,
    /// What it was calibrated from, for people: a pack title or "3 packs".
    pub source: String,
    /// Members and answers the difficulties were estimated from.
    pub members: usize,
    pub responses: usize,
    pub items: Vec<SavedItem>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CalibrationFileError {
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{path} is not a calibration file: {reason}")]
    Parse { path: String, reason: String },
    #[error("{path} is format \"{found}\"; this certprep reads \"{CALIBRATION_FORMAT}\"")]
    Format { path: String, found: String },
    #[error("{path} is a calibration for bank \"{found}\", not \"{expected}\"")]
    OtherBank {
        path: String,
        found: String,
        expected: String,
    },
    #[error("{path}: question {question}: {reason}")]
    BadItem {
        path: String,
        question: String,
        reason: String,
    },
    #[error("{path} calibrates none of this bank's questions")]
    NoItems { path: String },
    #[error("cannot save the calibration to {path}: {reason}")]
    Write { path: String, reason: String },
}

/// A saved calibration and where it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedCalibration {
    pub saved: SavedCalibration,
    pub path: PathBuf,
    /// Questions in the file that the bank no longer has (left out).
    pub unknown_questions: usize,
}

impl LoadedCalibration {
    /// Difficulty and standard error by question id.
    pub fn difficulties(&self) -> HashMap<String, (f64, f64)> {
        self.saved
            .items
            .iter()
            .map(|i| (i.question_id.clone(), (i.difficulty, i.se)))
            .collect()
    }
}

impl SavedCalibration {
    /// The calibrated items of `calibration`, whose columns are `question_ids`.
    pub fn new(
        bank_id: &str,
        source: &str,
        calibration: &Calibration,
        question_ids: &[String],
        now: DateTime<Utc>,
    ) -> SavedCalibration {
        let items = calibration
            .items
            .iter()
            .zip(question_ids)
            .filter(|(e, _)| e.status == ItemStatus::Calibrated)
            .filter_map(|(e, id)| {
                Some(SavedItem {
                    question_id: id.clone(),
                    difficulty: e.difficulty?,
                    se: e.se?,
                    responses: e.responses,
                })
            })
            .collect();
        SavedCalibration {
            format: CALIBRATION_FORMAT.into(),
            bank_id: bank_id.into(),
            created_at: now,
            source: source.into(),
            members: calibration.members_used,
            responses: calibration.responses_used,
            items,
        }
    }

    /// `calibrations/<bank id>.json` in `data_dir`; the id is reduced to file-name-safe
    /// characters so no bank id can name a path outside that folder.
    pub fn path_in(data_dir: &Path, bank_id: &str) -> PathBuf {
        let safe: String = bank_id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .take(80)
            .collect();
        data_dir.join(DATA_FOLDER).join(format!("{safe}.json"))
    }

    /// Writes it to [`SavedCalibration::path_in`], replacing an older one atomically.
    pub fn save(&self, data_dir: &Path) -> Result<PathBuf, CalibrationFileError> {
        let path = SavedCalibration::path_in(data_dir, &self.bank_id);
        let write_err = |e: std::io::Error| CalibrationFileError::Write {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(write_err)?;
        }
        let mut bytes = serde_json::to_vec_pretty(self)
            .map_err(|e| write_err(std::io::Error::other(e.to_string())))?;
        bytes.push(b'\n');
        crate::fsutil::replace_atomically(&path, &bytes).map_err(write_err)?;
        Ok(path)
    }

    /// The calibration readiness should use for `bank`: the data folder's, else the one
    /// beside the bank, else None. A file that is there but bad is an error (with its reason);
    /// the caller shows it and goes on without.
    pub fn load_for(
        bank: &Bank,
        data_dir: &Path,
    ) -> Result<Option<LoadedCalibration>, CalibrationFileError> {
        let mut candidates = vec![SavedCalibration::path_in(data_dir, bank.id())];
        // A built-in bank's root names it but is no folder here (see `crate::shipped`).
        if !bank.is_built_in() {
            candidates.push(bank.root.join(BESIDE_BANK));
        }
        for path in candidates {
            match std::fs::symlink_metadata(&path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                _ => return load(&path, bank).map(Some),
            }
        }
        Ok(None)
    }
}

/// Reads and checks the calibration at `path` for `bank`.
pub fn load(path: &Path, bank: &Bank) -> Result<LoadedCalibration, CalibrationFileError> {
    let shown = path.display().to_string();
    let bytes = crate::fsutil::read_capped(path, MAX_CALIBRATION_BYTES).map_err(|e| {
        CalibrationFileError::Read {
            path: shown.clone(),
            reason: e.to_string(),
        }
    })?;
    // The format first, so a newer file says so instead of naming a field it lacks.
    #[derive(Deserialize)]
    struct Head {
        format: Option<String>,
    }
    let parse_err = |e: serde_json::Error| CalibrationFileError::Parse {
        path: shown.clone(),
        reason: e.to_string(),
    };
    let head: Head = serde_json::from_slice(&bytes).map_err(parse_err)?;
    match head.format.as_deref() {
        Some(CALIBRATION_FORMAT) => {}
        found => {
            return Err(CalibrationFileError::Format {
                path: shown,
                found: crate::text::escape_controls(
                    &found.unwrap_or("none").chars().take(40).collect::<String>(),
                ),
            });
        }
    }
    let saved: SavedCalibration = serde_json::from_slice(&bytes).map_err(parse_err)?;
    if saved.bank_id != bank.id() {
        return Err(CalibrationFileError::OtherBank {
            path: shown,
            found: crate::text::escape_controls(
                &saved.bank_id.chars().take(80).collect::<String>(),
            ),
            expected: bank.id().to_string(),
        });
    }
    let mut seen = HashSet::new();
    let mut unknown = 0;
    let mut kept = Vec::with_capacity(saved.items.len());
    for item in &saved.items {
        let bad = |reason: &str| CalibrationFileError::BadItem {
            path: shown.clone(),
            question: crate::text::escape_controls(
                &item.question_id.chars().take(80).collect::<String>(),
            ),
            reason: reason.to_string(),
        };
        if !item.difficulty.is_finite() || item.difficulty.abs() > MAX_LOGITS {
            return Err(bad(
                "its difficulty is not a number of logits between -12 and 12",
            ));
        }
        if !item.se.is_finite() || item.se <= 0.0 || item.se > MAX_SE {
            return Err(bad("its standard error is not a positive number up to 10"));
        }
        if !seen.insert(item.question_id.as_str()) {
            return Err(bad("it is listed twice"));
        }
        if bank.question(&item.question_id).is_none() {
            unknown += 1;
            continue;
        }
        kept.push(item.clone());
    }
    if kept.is_empty() {
        return Err(CalibrationFileError::NoItems { path: shown });
    }
    Ok(LoadedCalibration {
        saved: SavedCalibration {
            items: kept,
            ..saved
        },
        path: path.to_path_buf(),
        unknown_questions: unknown,
    })
}
