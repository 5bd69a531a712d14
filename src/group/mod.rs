//! Study groups: shared mock exam packs and the group readiness report (UI-free).
//!
//! Two file formats travel between group members by email, a shared drive or a synced
//! folder (both described in `docs/group.md`):
//!
//! - an **exam pack** (`*.certprep-exam.json`, format `certprep-pack/1`) that a facilitator
//!   builds: which questions in which order, each with its option order and a hash of the
//!   question, the time limit and pass mark, and optionally the questions themselves;
//! - a **member result** (`*.certprep-result.json`, format `certprep-result/1`) that each member
//!   exports after sitting the pack: every answer, the time used, the scores per skill area,
//!   sealed with a SHA-256 over the canonical content.
//!
//! The facilitator loads the results into a [`GroupReport`]. Every input that cannot be used
//! is listed with a [`Rejection`] and skipped; nothing here panics on file contents.
//!
//! "Canonical content" is `serde_json::to_vec` of the struct with its hash field (`pack_id`
//! or `checksum`) set to the empty string: serde writes struct fields in declaration order
//! and the structs hold no maps, so the bytes are fixed for given values.

use crate::bank::{Manifest, Scenario};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;

pub const PACK_FORMAT: &str = "certprep-pack/1";
pub const RESULT_FORMAT: &str = "certprep-result/1";
pub const PACK_SUFFIX: &str = ".certprep-exam.json";
pub const RESULT_SUFFIX: &str = ".certprep-result.json";
/// Pack and result files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;
/// Longest member display name (characters).
pub const MAX_MEMBER_CHARS: usize = 80;
/// Most questions a pack may hold (a real mock exam has a few hundred at most; a pack of
/// 50,000 invented questions once made every exam frame take 200 ms).
pub const MAX_PACK_ITEMS: usize = 1_000;
/// Longest id (question, area, bank, option) a pack or result may carry (characters).
pub const MAX_ID_CHARS: usize = 200;
/// Longest pack title or area name (characters).
pub const MAX_NAME_CHARS: usize = 1_000;

/// A pack id as certprep makes them: 16 lowercase hex digits. Anything else found where a
/// pack id belongs (a result, a history file) is refused, so it can never become part of a
/// file name that leaves its folder.
pub fn is_pack_id(s: &str) -> bool {
    s.len() == 16 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
/// Questions fewer members than this got right are flagged (share correct).
pub const FLAG_DIFFICULTY_BELOW: f64 = 0.2;
/// Below this many members "hardly anyone got it right" describes the members, not the
/// question (one member's every miss would be flagged), so no question is flagged as too
/// hard in a smaller group.
pub const MIN_MEMBERS_FOR_DIFFICULTY_FLAG: usize = 3;
/// Questions whose discrimination is below this are flagged.
pub const FLAG_DISCRIMINATION_BELOW: f64 = 0.0;
/// Below this many members a point-biserial is mostly noise (one member's luck flips its
/// sign), so negative discrimination is only flagged from this group size up.
pub const MIN_MEMBERS_FOR_DISCRIMINATION_FLAG: usize = 8;
/// How many of the weakest areas the report names.
pub const WEAKEST_AREAS: usize = 3;

// ---------------------------------------------------------------------------------------------
// Errors

/// "1 question", "3 questions" (for the error messages below).
fn questions(n: &usize) -> String {
    crate::text::count(*n, "question", "questions")
}

/// Why a pack or result file could not be read. Clone + PartialEq so reports can be compared
/// in tests and kept in UI state.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FileError {
    #[error("cannot read the file: {0}")]
    Io(String),
    #[error("the file is {size} bytes, larger than the {max}-byte limit")]
    TooLarge { size: u64, max: u64 },
    #[error("not a JSON file ({0})")]
    NotJson(String),
    #[error(
        "the file ends early: it may still be arriving from your sync tool (it is read again \
         next time), or it was cut short"
    )]
    Incomplete,
    #[error("not a certprep file: it has no \"format\" field")]
    NoFormat,
    #[error("unknown format version \"{found}\"; this version of certprep reads \"{expected}\"")]
    UnknownFormat {
        found: String,
        expected: &'static str,
    },
    #[error("this is an exam pack, not a member result")]
    PackNotResult,
    #[error("this is a member result, not an exam pack")]
    ResultNotPack,
    #[error("malformed {what}: {message}")]
    Malformed { what: &'static str, message: String },
    #[error("checksum mismatch: the result was changed after it was exported")]
    ChecksumMismatch,
    #[error("pack id does not match the pack's content: the pack was changed after it was built")]
    PackModified,
}

/// Why a pack could not be built or opened.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PackError {
    #[error("no bank \"{0}\" is loaded")]
    NoBank(String),
    #[error("the number of questions must be at least 1")]
    NoQuestions,
    #[error("the time limit must be at least 1 minute")]
    NoTime,
    #[error("the pass mark must be above 0 and at most 100 (got {0})")]
    PassMark(f64),
    #[error("the pack closes ({closes}) before it opens ({opens})")]
    Dates { opens: NaiveDate, closes: NaiveDate },
    #[error("the pack opens on {0}; it cannot be sat before then")]
    NotOpenYet(NaiveDate),
    #[error(
        "you do not have the bank \"{0}\" and the pack has no embedded questions; ask the \
         facilitator for a pack built with --embed"
    )]
    BankMissing(String),
    #[error(
        "your bank \"{bank}\" lacks {} of this pack ({ids}), and the pack has no embedded \
         questions",
        questions(.count)
    )]
    QuestionsMissing {
        bank: String,
        count: usize,
        ids: String,
    },
    #[error("the pack's embedded questions are not a valid bank: {0}")]
    BadEmbedded(String),
    #[error("the member name must not be empty")]
    EmptyMember,
    #[error("the member name is longer than {MAX_MEMBER_CHARS} characters")]
    LongMember,
    #[error("\"{0}\" is not a pack id (16 hex digits); the exam's record is damaged")]
    BadPackId(String),
    #[error("a problem report cannot go in the result: {0}")]
    BadReport(String),
}

/// Why a result file was left out of a group report.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Rejection {
    #[error("{0}")]
    File(#[from] FileError),
    #[error("result from another pack ({found}); this report is for pack {expected}")]
    ForeignPack { found: String, expected: String },
    #[error("the same result as {first} (an identical copy)")]
    DuplicateCopy { first: String },
    #[error("its answers are not for this pack's questions")]
    QuestionsMismatch,
    #[error(
        "results are for {packs} different packs ({ids}); open or give the pack file to \
         choose which one to report"
    )]
    WhichPack { packs: usize, ids: String },
    #[error(
        "cannot be scored: certprep has no answer key for {missing}; give the pack (built \
         with --embed), or load the bank it was built from"
    )]
    NoAnswerKey { missing: String },
}

// ---------------------------------------------------------------------------------------------
// Hashing and reading

fn sha256_hex(bytes: &[u8]) -> String {
    crate::bank::hex(&Sha256::digest(bytes))
}

fn canonical<T: Serialize>(value: &T) -> Vec<u8> {
    // Serialising our own plain structs cannot fail; an empty vector would only make a
    // checksum mismatch, never a panic.
    serde_json::to_vec(value).unwrap_or_default()
}

/// Read a pack or result file: a regular file only (a FIFO or device is refused, never
/// waited on), with the size cap enforced while reading.
pub fn read_capped(path: &Path) -> Result<Vec<u8>, FileError> {
    crate::fsutil::read_capped(path, MAX_FILE_BYTES).map_err(|e| match e {
        crate::fsutil::ReadError::TooLarge { size, max } => FileError::TooLarge { size, max },
        e => FileError::Io(e.to_string()),
    })
}

/// Parse JSON and check its `format` field before looking at anything else, so an unknown
/// version is reported as such rather than as a confusing field error. The head is read
/// without building the document; then the whole file is parsed straight into `T`.
fn parse_versioned<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    expected: &'static str,
    what: &'static str,
) -> Result<T, FileError> {
    #[derive(Deserialize)]
    struct Head {
        format: Option<String>,
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(FileError::TooLarge {
            size: bytes.len() as u64,
            max: MAX_FILE_BYTES,
        });
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let head: Head = serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => FileError::NoFormat,
        // A sync tool that has delivered only the start of the file.
        serde_json::error::Category::Eof => FileError::Incomplete,
        _ => FileError::NotJson(e.to_string()),
    })?;
    let format = head.format.ok_or(FileError::NoFormat)?;
    if format != expected {
        return Err(match (format.as_str(), expected) {
            (PACK_FORMAT, RESULT_FORMAT) => FileError::PackNotResult,
            (RESULT_FORMAT, PACK_FORMAT) => FileError::ResultNotPack,
            _ => FileError::UnknownFormat {
                found: format.chars().take(60).collect(),
                expected,
            },
        });
    }
    serde_json::from_slice(bytes).map_err(|e| malformed(what, e))
}

fn malformed(what: &'static str, e: impl ToString) -> FileError {
    FileError::Malformed {
        what,
        message: e.to_string(),
    }
}

pub mod calibration;
mod names;
pub mod options;
mod pack;
pub mod problems;
mod report;
mod result;
pub mod stats;

pub use names::{MemberName, name_key, normalise_name};
pub use options::{OptionFlag, OptionPicks, OptionTable};
pub use pack::*;
pub use problems::{MemberProblem, problem_reports};
pub use report::*;
pub use result::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_rejected_not_panicked_on() {
        for bytes in [
            &b""[..],
            b"not json",
            b"[]",
            b"{}",
            b"{\"format\": 3}",
            b"{\"format\": \"certprep-result/1\"}",
            b"\xff\xfe",
        ] {
            assert!(MemberResult::from_bytes(bytes).is_err());
            assert!(ExamPack::from_bytes(bytes).is_err());
        }
        assert_eq!(
            MemberResult::from_bytes(b"{\"format\": \"certprep-result/9\"}"),
            Err(FileError::UnknownFormat {
                found: "certprep-result/9".into(),
                expected: RESULT_FORMAT
            })
        );
        assert_eq!(
            MemberResult::from_bytes(b"{\"format\": \"certprep-pack/1\"}"),
            Err(FileError::PackNotResult)
        );
    }
}
