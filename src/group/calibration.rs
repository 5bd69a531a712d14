//! Rasch calibration of a study group's results (`crate::rasch`): one pack's report, or
//! several packs over one bank pooled, and the calibration saved for readiness.

use super::result::{AnswerKey, MemberResult};
use super::{FileError, GroupReport};
use crate::bank::Bank;
use crate::rasch::saved::SavedCalibration;
use crate::rasch::{Calibration, RaschError, Responses, calibrate};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// Calibrates one pack's right/wrong matrix (members × questions, every cell answered:
/// an unanswered question is wrong on an exam).
pub fn of_matrix(matrix: &[Vec<bool>], questions: usize) -> Result<Calibration, RaschError> {
    let mut responses = Responses::new(questions);
    for row in matrix {
        responses.push_complete(row)?;
    }
    calibrate(&responses)
}

impl GroupReport {
    /// The report's calibration, ready to save for the pack's bank: None without a usable
    /// calibration or without a known bank.
    pub fn saved_calibration(&self, now: DateTime<Utc>) -> Option<SavedCalibration> {
        let calibration = self.calibration.as_ref()?.as_ref().ok()?;
        let bank_id = self.bank_id.as_deref()?;
        let ids: Vec<String> = self
            .questions
            .iter()
            .map(|q| q.question_id.clone())
            .collect();
        let source = match (&self.pack_title, &self.pack_id) {
            (Some(t), _) => format!("pack \"{t}\""),
            (None, Some(id)) => format!("pack {id}"),
            _ => "a study group's pack".into(),
        };
        Some(SavedCalibration::new(
            bank_id,
            &source,
            calibration,
            &ids,
            now,
        ))
    }
}

/// A calibration pooled from result files of several packs over one bank.
#[derive(Debug)]
pub struct Pooled {
    /// Column order of `calibration`: the bank's questions that any used file answered,
    /// in bank order.
    pub question_ids: Vec<String>,
    pub calibration: Result<Calibration, RaschError>,
    /// Files whose results went in, and the packs they came from.
    pub used: usize,
    pub packs: usize,
    /// Files left out, with why.
    pub skipped: Vec<(PathBuf, String)>,
}

impl Pooled {
    pub fn saved(&self, bank_id: &str, now: DateTime<Utc>) -> Option<SavedCalibration> {
        let calibration = self.calibration.as_ref().ok()?;
        let source = crate::text::count(self.packs, "pack", "packs") + " pooled";
        Some(SavedCalibration::new(
            bank_id,
            &source,
            calibration,
            &self.question_ids,
            now,
        ))
    }
}

/// Pools member results of any packs over `bank`: each answer is scored again against the
/// bank's key (never the file's own marks), duplicate copies of one result count once, and
/// a result with a question the bank does not have is left out with its reason.
pub fn pooled(bank: &Bank, results: Vec<(PathBuf, Result<MemberResult, FileError>)>) -> Pooled {
    let mut skipped = Vec::new();
    let mut seen_checksums = HashSet::new();
    let mut kept: Vec<(MemberResult, Vec<bool>)> = Vec::new();
    for (path, result) in results {
        let r = match result {
            Ok(r) => r,
            Err(e) => {
                skipped.push((path, e.to_string()));
                continue;
            }
        };
        if !seen_checksums.insert(r.checksum.clone()) {
            skipped.push((path, "a copy of a result already counted".into()));
            continue;
        }
        let ids: Vec<&str> = r.answers.iter().map(|a| a.question_id.as_str()).collect();
        if let Some(missing) = ids.iter().find(|id| bank.question(id).is_none()) {
            skipped.push((
                path,
                format!(
                    "question {} is not in bank {}",
                    crate::text::escape_controls(&missing.chars().take(80).collect::<String>()),
                    bank.id()
                ),
            ));
            continue;
        }
        let key = AnswerKey::from_banks(&ids, std::slice::from_ref(bank));
        let row = key.score(&r);
        kept.push((r, row));
    }
    let answered: HashSet<&str> = kept
        .iter()
        .flat_map(|(r, _)| r.answers.iter().map(|a| a.question_id.as_str()))
        .collect();
    let question_ids: Vec<String> = bank
        .questions
        .iter()
        .filter(|q| answered.contains(q.id.as_str()))
        .map(|q| q.id.clone())
        .collect();
    let column: HashMap<&str, usize> = question_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let mut responses = Responses::new(question_ids.len());
    for (r, row) in &kept {
        let mut cells = vec![None; question_ids.len()];
        for (a, right) in r.answers.iter().zip(row) {
            if let Some(&c) = column.get(a.question_id.as_str()) {
                cells[c] = Some(*right);
            }
        }
        // Every row has one cell per column by construction.
        let _ = responses.push(cells);
    }
    let packs: HashSet<&str> = kept.iter().map(|(r, _)| r.pack_id.as_str()).collect();
    Pooled {
        calibration: calibrate(&responses),
        used: kept.len(),
        packs: packs.len(),
        question_ids,
        skipped,
    }
}
