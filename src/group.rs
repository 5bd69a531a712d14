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

use crate::bank::{Bank, LoadReport, Manifest, Question, Scenario};
use crate::exam::{ExamItem, ScoreReport, assemble, percent};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const PACK_FORMAT: &str = "certprep-pack/1";
pub const RESULT_FORMAT: &str = "certprep-result/1";
pub const PACK_SUFFIX: &str = ".certprep-exam.json";
pub const RESULT_SUFFIX: &str = ".certprep-result.json";
/// Pack and result files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;
/// Longest member display name (characters).
pub const MAX_MEMBER_CHARS: usize = 80;
/// Questions fewer members than this got right are flagged (share correct).
pub const FLAG_DIFFICULTY_BELOW: f64 = 0.2;
/// Questions whose discrimination is below this are flagged.
pub const FLAG_DISCRIMINATION_BELOW: f64 = 0.0;
/// Below this many members a point-biserial is mostly noise (one member's luck flips its
/// sign), so negative discrimination is only flagged from this group size up.
pub const MIN_MEMBERS_FOR_DISCRIMINATION_FLAG: usize = 8;
/// How many of the weakest areas the report names.
pub const WEAKEST_AREAS: usize = 3;

// ---------------------------------------------------------------------------------------------
// Errors

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
        "{count} question(s) of this pack are missing from your bank \"{bank}\" ({ids}) and \
         the pack has no embedded questions"
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
}

/// Why a result file was left out of a group report.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Rejection {
    #[error("{0}")]
    File(#[from] FileError),
    #[error("result from another pack ({found}); this report is for pack {expected}")]
    ForeignPack { found: String, expected: String },
    #[error("duplicate member \"{name}\" (already loaded from {first})")]
    DuplicateMember { name: String, first: String },
    /// The same result as another file: a copy a sync tool made (`… (1).json`, a conflict
    /// copy) or the member sending it twice. Counted once; not an error.
    #[error("the same result as {first} (a copy, e.g. made by a sync tool); counted once")]
    Copy { first: String },
    #[error("its answers are not for this pack's questions")]
    QuestionsMismatch,
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

/// Read a file with the size cap checked before reading.
pub fn read_capped(path: &Path) -> Result<Vec<u8>, FileError> {
    let meta = std::fs::metadata(path).map_err(|e| FileError::Io(e.to_string()))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge {
            size: meta.len(),
            max: MAX_FILE_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(|e| FileError::Io(e.to_string()))?;
    // The file may have grown between the two calls.
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(FileError::TooLarge {
            size: bytes.len() as u64,
            max: MAX_FILE_BYTES,
        });
    }
    Ok(bytes)
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

// ---------------------------------------------------------------------------------------------
// Exam packs

/// The bank a pack was built from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackBank {
    pub id: String,
    pub version: String,
    /// [`Bank::content_hash`] of the facilitator's bank.
    pub content_hash: String,
}

/// A skill area that appears in the pack, in the bank's manifest order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackArea {
    pub id: String,
    pub name: String,
}

/// One question of the pack, in exam order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackItem {
    pub question_id: String,
    pub domain: String,
    /// Option ids in the order they are shown.
    pub option_order: Vec<String>,
    /// [`Question::content_hash`] of the facilitator's copy.
    pub question_hash: String,
}

/// The questions themselves, for members who do not hold the bank (or hold another version).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Embedded {
    pub manifest: Manifest,
    pub scenarios: Vec<Scenario>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamPack {
    pub format: String,
    /// First 16 hex digits of the SHA-256 of the canonical pack with this field empty.
    pub pack_id: String,
    pub title: String,
    pub bank: PackBank,
    pub seed: u64,
    pub time_limit_minutes: u32,
    pub pass_percent: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes: Option<NaiveDate>,
    pub areas: Vec<PackArea>,
    pub items: Vec<PackItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embedded: Option<Embedded>,
}

/// What a facilitator chooses when building a pack.
#[derive(Debug, Clone, PartialEq)]
pub struct PackOptions {
    pub questions: usize,
    pub minutes: u32,
    pub seed: u64,
    pub embed: bool,
    pub title: Option<String>,
    /// Default: the bank's pass mark.
    pub pass_percent: Option<f64>,
    pub opens: Option<NaiveDate>,
    pub closes: Option<NaiveDate>,
}

impl ExamPack {
    /// Build a pack from a bank. The same bank and options always give the same pack, byte
    /// for byte: nothing here reads the clock or a random source.
    pub fn build(bank: &Bank, opts: &PackOptions) -> Result<ExamPack, PackError> {
        if opts.questions == 0 {
            return Err(PackError::NoQuestions);
        }
        if opts.minutes == 0 {
            return Err(PackError::NoTime);
        }
        let pass = opts.pass_percent.unwrap_or(bank.manifest.exam.pass_percent);
        if !(pass > 0.0 && pass <= 100.0) {
            return Err(PackError::PassMark(pass));
        }
        if let (Some(opens), Some(closes)) = (opts.opens, opts.closes)
            && closes < opens
        {
            return Err(PackError::Dates { opens, closes });
        }
        let exam = assemble(bank, opts.questions, opts.seed);
        let mut items = Vec::with_capacity(exam.len());
        for it in &exam {
            let Some(q) = bank.question(&it.question_id) else {
                continue;
            };
            items.push(PackItem {
                question_id: q.id.clone(),
                domain: q.domain.clone(),
                option_order: it.option_order.clone(),
                question_hash: q.content_hash(),
            });
        }
        let used: HashSet<&str> = items.iter().map(|i| i.domain.as_str()).collect();
        let areas = bank
            .manifest
            .domains
            .iter()
            .filter(|d| used.contains(d.id.as_str()))
            .map(|d| PackArea {
                id: d.id.clone(),
                name: d.name.clone(),
            })
            .collect();
        let embedded = opts.embed.then(|| {
            let ids: HashSet<&str> = items.iter().map(|i| i.question_id.as_str()).collect();
            let questions: Vec<Question> = bank
                .questions
                .iter()
                .filter(|q| ids.contains(q.id.as_str()))
                .cloned()
                .collect();
            let scen: BTreeSet<&str> = questions
                .iter()
                .filter_map(|q| q.scenario.as_deref())
                .collect();
            Embedded {
                manifest: bank.manifest.clone(),
                scenarios: bank
                    .scenarios
                    .values()
                    .filter(|s| scen.contains(s.id.as_str()))
                    .cloned()
                    .collect(),
                questions,
            }
        });
        let title = opts
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| {
                format!(
                    "{} — {} questions, seed {}",
                    bank.manifest.title,
                    items.len(),
                    opts.seed
                )
            });
        let mut pack = ExamPack {
            format: PACK_FORMAT.into(),
            pack_id: String::new(),
            title,
            bank: PackBank {
                id: bank.id().to_string(),
                version: bank.manifest.version.clone(),
                content_hash: bank.content_hash(),
            },
            seed: opts.seed,
            time_limit_minutes: opts.minutes,
            pass_percent: pass,
            opens: opts.opens,
            closes: opts.closes,
            areas,
            items,
            embedded,
        };
        pack.pack_id = pack.computed_id();
        Ok(pack)
    }

    /// The id this pack's content gives.
    pub fn computed_id(&self) -> String {
        let mut copy = self.clone();
        copy.pack_id.clear();
        let mut id = sha256_hex(&canonical(&copy));
        id.truncate(16);
        id
    }

    /// The file text: pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Parse and check a pack from bytes (any bytes: errors, never a panic).
    pub fn from_bytes(bytes: &[u8]) -> Result<ExamPack, FileError> {
        let pack: ExamPack = parse_versioned(bytes, PACK_FORMAT, "pack")?;
        if pack.computed_id() != pack.pack_id {
            return Err(FileError::PackModified);
        }
        if pack.items.is_empty() {
            return Err(malformed("pack", "it has no questions"));
        }
        if pack.time_limit_minutes == 0 {
            return Err(malformed("pack", "the time limit is 0 minutes"));
        }
        if !(pack.pass_percent > 0.0 && pack.pass_percent <= 100.0) {
            return Err(malformed("pack", "the pass mark is not in (0, 100]"));
        }
        let mut seen = HashSet::new();
        for it in &pack.items {
            if !seen.insert(it.question_id.as_str()) {
                return Err(malformed(
                    "pack",
                    format!("question \"{}\" appears twice", it.question_id),
                ));
            }
        }
        Ok(pack)
    }

    pub fn load(path: &Path) -> Result<ExamPack, FileError> {
        ExamPack::from_bytes(&read_capped(path)?)
    }

    pub fn time_limit(&self) -> Duration {
        Duration::from_secs(self.time_limit_minutes as u64 * 60)
    }

    /// The items as the exam runner wants them.
    pub fn exam_items(&self) -> Vec<ExamItem> {
        self.items
            .iter()
            .map(|i| ExamItem {
                question_id: i.question_id.clone(),
                option_order: i.option_order.clone(),
            })
            .collect()
    }

    /// A file name for this pack: `<title slug>-<id>.certprep-exam.json`.
    pub fn file_name(&self) -> String {
        format!("{}-{}{PACK_SUFFIX}", slug(&self.title), &self.pack_id)
    }

    /// Which of the pack's questions differ from `bank` (by question hash).
    pub fn differences(&self, bank: &Bank) -> Vec<QuestionDiff> {
        self.items
            .iter()
            .filter_map(|it| match bank.question(&it.question_id) {
                None => Some(QuestionDiff {
                    question_id: it.question_id.clone(),
                    kind: DiffKind::Missing,
                }),
                Some(q) if q.content_hash() != it.question_hash => Some(QuestionDiff {
                    question_id: it.question_id.clone(),
                    kind: DiffKind::Changed,
                }),
                Some(q) => {
                    // Same text, but options the pack shows must exist.
                    let ok = it.option_order.iter().all(|o| q.option(o).is_some());
                    (!ok).then(|| QuestionDiff {
                        question_id: it.question_id.clone(),
                        kind: DiffKind::Changed,
                    })
                }
            })
            .collect()
    }

    /// Build the in-memory bank of the embedded questions, under `bank_id`.
    pub fn embedded_bank(&self, bank_id: &str) -> Result<Option<Bank>, PackError> {
        let Some(e) = &self.embedded else {
            return Ok(None);
        };
        let mut manifest = e.manifest.clone();
        if manifest.id != bank_id {
            manifest.id = bank_id.to_string();
            manifest.title = format!("{} (copy from pack {})", manifest.title, self.title);
        }
        let bank = Bank::from_parts(
            manifest,
            PathBuf::from(format!("(pack {})", self.pack_id)),
            e.scenarios.clone(),
            e.questions.clone(),
        )
        .map_err(|errs| {
            PackError::BadEmbedded(
                errs.iter()
                    .take(3)
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        if let Some(missing) = self
            .items
            .iter()
            .find(|i| bank.question(&i.question_id).is_none())
        {
            return Err(PackError::BadEmbedded(format!(
                "question \"{}\" is not embedded",
                missing.question_id
            )));
        }
        Ok(Some(bank))
    }

    /// Decide which bank a member sits this pack with, given their banks and today's date.
    pub fn resolve(&self, banks: &LoadReport, today: NaiveDate) -> Result<PackSource, PackError> {
        if let Some(opens) = self.opens
            && today < opens
        {
            return Err(PackError::NotOpenYet(opens));
        }
        let closed = self.closes.filter(|c| today > *c);
        let own = banks.bank(&self.bank.id);
        let (bank, differences, hash_matches) = match own {
            Some(b) => {
                let matches = b.content_hash() == self.bank.content_hash;
                let diffs = if matches {
                    Vec::new()
                } else {
                    self.differences(b)
                };
                if diffs.is_empty() {
                    (BankChoice::Own(b.id().to_string()), diffs, matches)
                } else if self.embedded.is_some() {
                    let id = format!("{}-pack-{}", self.bank.id, &self.pack_id);
                    let eb = self
                        .embedded_bank(&id)?
                        .ok_or(PackError::BankMissing(self.bank.id.clone()))?;
                    (BankChoice::Embedded(Box::new(eb)), diffs, matches)
                } else if diffs.iter().any(|d| d.kind == DiffKind::Missing) {
                    let missing: Vec<&str> = diffs
                        .iter()
                        .filter(|d| d.kind == DiffKind::Missing)
                        .map(|d| d.question_id.as_str())
                        .collect();
                    return Err(PackError::QuestionsMissing {
                        bank: self.bank.id.clone(),
                        count: missing.len(),
                        ids: abbreviate(&missing, 5),
                    });
                } else {
                    // Every question is there but some read differently: sit it on the
                    // member's own copy and say so.
                    (BankChoice::Own(b.id().to_string()), diffs, matches)
                }
            }
            None => match self.embedded_bank(&self.bank.id)? {
                Some(eb) => (BankChoice::Embedded(Box::new(eb)), Vec::new(), false),
                None => return Err(PackError::BankMissing(self.bank.id.clone())),
            },
        };
        Ok(PackSource {
            bank,
            differences,
            bank_hash_matches: hash_matches,
            closed,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffKind {
    /// The member's bank has no question with this id.
    Missing,
    /// The member's copy reads differently from the facilitator's.
    Changed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionDiff {
    pub question_id: String,
    pub kind: DiffKind,
}

#[derive(Debug, Clone)]
pub enum BankChoice {
    /// The member's own loaded bank (by id).
    Own(String),
    /// The pack's embedded copy, as a bank to add to the loaded ones.
    Embedded(Box<Bank>),
}

/// How a pack will be sat on this machine.
#[derive(Debug, Clone)]
pub struct PackSource {
    pub bank: BankChoice,
    /// Questions whose copy here differs from the facilitator's (empty when the bank
    /// matches or is absent).
    pub differences: Vec<QuestionDiff>,
    pub bank_hash_matches: bool,
    /// Set when the pack's closing date has passed (it can still be sat).
    pub closed: Option<NaiveDate>,
}

impl PackSource {
    pub fn bank_id(&self) -> &str {
        match &self.bank {
            BankChoice::Own(id) => id,
            BankChoice::Embedded(b) => b.id(),
        }
    }

    /// Sentences for the member about what differs and what will be used.
    pub fn messages(&self, pack: &ExamPack) -> Vec<String> {
        let mut out = Vec::new();
        let ids = |kind| {
            let v: Vec<&str> = self
                .differences
                .iter()
                .filter(|d| d.kind == kind)
                .map(|d| d.question_id.as_str())
                .collect();
            v
        };
        let changed = ids(DiffKind::Changed);
        let missing = ids(DiffKind::Missing);
        if !changed.is_empty() {
            out.push(format!(
                "{} question(s) in your bank differ from the facilitator's: {}",
                changed.len(),
                abbreviate(&changed, 8)
            ));
        }
        if !missing.is_empty() {
            out.push(format!(
                "{} question(s) are not in your bank: {}",
                missing.len(),
                abbreviate(&missing, 8)
            ));
        }
        match &self.bank {
            BankChoice::Embedded(_) if self.differences.is_empty() => out.push(format!(
                "You do not have the bank \"{}\"; the questions embedded in the pack are used.",
                pack.bank.id
            )),
            BankChoice::Embedded(_) => {
                out.push("The questions embedded in the pack are used instead.".into())
            }
            BankChoice::Own(_) if !self.differences.is_empty() => out.push(
                "The pack has no embedded questions, so your own copies are used; your score \
                 on the differing questions may not match the group's."
                    .into(),
            ),
            BankChoice::Own(_) if !self.bank_hash_matches => out.push(format!(
                "Your bank \"{}\" is another version, but every question in this pack is the same.",
                pack.bank.id
            )),
            BankChoice::Own(_) => {}
        }
        if let Some(c) = self.closed {
            out.push(format!(
                "This pack closed on {c}; the facilitator may no longer count new results."
            ));
        }
        out
    }
}

fn abbreviate(ids: &[&str], max: usize) -> String {
    let mut s = ids.iter().take(max).copied().collect::<Vec<_>>().join(", ");
    if ids.len() > max {
        let _ = write!(s, " and {} more", ids.len() - max);
    }
    s
}

/// Lowercase letters, digits and '-', at most 40 characters; "result" when nothing is left.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "result".into() } else { out }
}

// ---------------------------------------------------------------------------------------------
// Member results

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultAnswer {
    pub question_id: String,
    pub domain: String,
    /// Chosen option ids (empty: unanswered).
    pub selected: Vec<String>,
    pub correct: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaScore {
    pub id: String,
    pub name: String,
    pub correct: u32,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberResult {
    pub format: String,
    pub pack_id: String,
    pub member: String,
    pub app_version: String,
    pub time_used_secs: u64,
    /// "submitted", or "expired" when time ran out.
    pub status: String,
    pub answers: Vec<ResultAnswer>,
    pub areas: Vec<AreaScore>,
    /// SHA-256 (hex) of the canonical result with this field empty.
    pub checksum: String,
}

impl MemberResult {
    /// A sealed result from a scored pack attempt.
    pub fn new(
        pack_id: &str,
        member: &str,
        report: &ScoreReport,
        time_used: Duration,
        expired: bool,
    ) -> Result<MemberResult, PackError> {
        let member = member.trim();
        if member.is_empty() {
            return Err(PackError::EmptyMember);
        }
        if member.chars().count() > MAX_MEMBER_CHARS {
            return Err(PackError::LongMember);
        }
        let mut r = MemberResult {
            format: RESULT_FORMAT.into(),
            pack_id: pack_id.to_string(),
            member: member.chars().filter(|c| !c.is_control()).collect(),
            app_version: env!("CARGO_PKG_VERSION").into(),
            time_used_secs: time_used.as_secs(),
            status: if expired { "expired" } else { "submitted" }.into(),
            answers: report
                .items
                .iter()
                .map(|i| ResultAnswer {
                    question_id: i.question_id.clone(),
                    domain: i.domain_id.clone(),
                    selected: i.selected.clone(),
                    correct: i.is_correct,
                })
                .collect(),
            areas: report
                .domains
                .iter()
                .map(|d| AreaScore {
                    id: d.domain_id.clone(),
                    name: d.name.clone(),
                    correct: d.correct as u32,
                    total: d.total as u32,
                })
                .collect(),
            checksum: String::new(),
        };
        r.checksum = r.computed_checksum();
        Ok(r)
    }

    pub fn computed_checksum(&self) -> String {
        let mut copy = self.clone();
        copy.checksum.clear();
        sha256_hex(&canonical(&copy))
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// `<pack id>-<member slug>.certprep-result.json`
    pub fn file_name(&self) -> String {
        format!("{}-{}{RESULT_SUFFIX}", self.pack_id, slug(&self.member))
    }

    /// Parse and check a result from bytes (any bytes: errors, never a panic).
    pub fn from_bytes(bytes: &[u8]) -> Result<MemberResult, FileError> {
        let r: MemberResult = parse_versioned(bytes, RESULT_FORMAT, "result")?;
        if r.computed_checksum() != r.checksum {
            return Err(FileError::ChecksumMismatch);
        }
        let name = r.member.trim();
        if name.is_empty() || name.chars().count() > MAX_MEMBER_CHARS {
            return Err(malformed("result", "the member name is empty or too long"));
        }
        if r.answers.is_empty() {
            return Err(malformed("result", "it has no answers"));
        }
        // The per-area scores must agree with the answers.
        let mut per: HashMap<&str, (u32, u32)> = HashMap::new();
        let mut seen = HashSet::new();
        for a in &r.answers {
            if !seen.insert(a.question_id.as_str()) {
                return Err(malformed(
                    "result",
                    format!("question \"{}\" is answered twice", a.question_id),
                ));
            }
            let e = per.entry(a.domain.as_str()).or_default();
            e.1 += 1;
            e.0 += a.correct as u32;
        }
        let listed: HashMap<&str, (u32, u32)> = r
            .areas
            .iter()
            .map(|a| (a.id.as_str(), (a.correct, a.total)))
            .collect();
        if listed != per || listed.len() != r.areas.len() {
            return Err(malformed(
                "result",
                "the per-area scores do not add up to the answers",
            ));
        }
        Ok(r)
    }

    pub fn load(path: &Path) -> Result<MemberResult, FileError> {
        MemberResult::from_bytes(&read_capped(path)?)
    }

    pub fn correct(&self) -> usize {
        self.answers.iter().filter(|a| a.correct).count()
    }
}

/// Every `*.certprep-result.json` directly in `dir`, and the copies sync tools make of them
/// (`ann.certprep-result (1).json`, `ann.certprep-result.sync-conflict-….json`, …), sorted by
/// name. A copy is read like the original; the report counts identical copies once.
pub fn result_files_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let is_result = |n: &str| {
        n.ends_with(RESULT_SUFFIX)
            || crate::sync::copies::copy_of(n).is_some_and(|o| o.ends_with(RESULT_SUFFIX))
    };
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(is_result)
        })
        .collect();
    out.sort();
    Ok(out)
}

/// What a dropped or given file looks like, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pack,
    Result,
    Other,
}

pub fn file_kind(path: &Path) -> FileKind {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.ends_with(PACK_SUFFIX) {
        FileKind::Pack
    } else if name.ends_with(RESULT_SUFFIX) {
        FileKind::Result
    } else {
        FileKind::Other
    }
}

// ---------------------------------------------------------------------------------------------
// Statistics

/// Point-biserial correlation between a right/wrong item and a score: Pearson's r with the
/// item coded 1/0, i.e. `(M1 - M0) / s * sqrt(p q)` with `s` the population standard
/// deviation of the scores. `None` when it is undefined (fewer than two people, everyone
/// right or everyone wrong, or all scores equal).
pub fn point_biserial(item: &[bool], scores: &[f64]) -> Option<f64> {
    let n = item.len();
    if n < 2 || scores.len() != n {
        return None;
    }
    let nf = n as f64;
    let ones = item.iter().filter(|&&x| x).count();
    if ones == 0 || ones == n {
        return None;
    }
    let mean = scores.iter().sum::<f64>() / nf;
    let var = scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / nf;
    if var <= 1e-12 {
        return None;
    }
    let (mut sum1, mut sum0) = (0.0, 0.0);
    for (x, s) in item.iter().zip(scores) {
        if *x {
            sum1 += s;
        } else {
            sum0 += s;
        }
    }
    let p = ones as f64 / nf;
    let m1 = sum1 / ones as f64;
    let m0 = sum0 / (n - ones) as f64;
    Some((m1 - m0) / var.sqrt() * (p * (1.0 - p)).sqrt())
}

// ---------------------------------------------------------------------------------------------
// The group report

/// One file given to a report and what became of it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportInput {
    pub path: PathBuf,
    pub result: Result<MemberResult, FileError>,
}

impl ReportInput {
    pub fn load(path: &Path) -> ReportInput {
        ReportInput {
            path: path.to_path_buf(),
            result: MemberResult::load(path),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct MemberRow {
    pub name: String,
    pub file: PathBuf,
    pub correct: usize,
    pub total: usize,
    pub time_used_secs: u64,
    /// (correct, total) per report area; `None` when the member had no question there.
    pub areas: Vec<Option<(usize, usize)>>,
}

impl MemberRow {
    pub fn percent(&self) -> f64 {
        percent(self.correct, self.total)
    }
    pub fn area_percent(&self, i: usize) -> Option<f64> {
        self.areas
            .get(i)
            .copied()
            .flatten()
            .map(|(c, t)| percent(c, t))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionFlag {
    /// Fewer than 20% of members got it right: check the key and the wording.
    TooHard,
    /// Members who did worse overall got it right more often than those who did better.
    NegativeDiscrimination,
}

impl QuestionFlag {
    pub fn describe(self) -> &'static str {
        match self {
            QuestionFlag::TooHard => "under 20% correct: check the answer key and wording",
            QuestionFlag::NegativeDiscrimination => {
                "negative discrimination: weaker members did better on it"
            }
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            QuestionFlag::TooHard => "too-hard",
            QuestionFlag::NegativeDiscrimination => "negative-discrimination",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct QuestionStat {
    pub question_id: String,
    pub area: String,
    /// Members who got it right / members.
    pub correct: usize,
    pub members: usize,
    /// Share correct (0..=1): the classical "difficulty" index.
    pub difficulty: f64,
    /// Point-biserial against the rest score (the member's total without this question);
    /// `None` when undefined.
    pub discrimination: Option<f64>,
    pub flags: Vec<QuestionFlag>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RejectedFile {
    pub path: PathBuf,
    pub reason: Rejection,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupReport {
    /// The pack the report is for (`None` when no result could be used).
    pub pack_id: Option<String>,
    pub pack_title: Option<String>,
    /// (area id, area name), in pack order.
    pub areas: Vec<(String, String)>,
    /// Sorted by name.
    pub members: Vec<MemberRow>,
    /// Mean of the members' percentages per area.
    pub area_means: Vec<Option<f64>>,
    /// Indices into `areas`, weakest first.
    pub weakest: Vec<usize>,
    /// In pack order.
    pub questions: Vec<QuestionStat>,
    pub rejected: Vec<RejectedFile>,
}

impl GroupReport {
    /// Load the files and build the report. `pack` fixes which pack the report is for;
    /// without it, the pack most results are for (first seen on a tie).
    pub fn from_files(pack: Option<&ExamPack>, paths: &[PathBuf]) -> GroupReport {
        let inputs: Vec<ReportInput> = paths.iter().map(|p| ReportInput::load(p)).collect();
        GroupReport::build(pack, inputs)
    }

    pub fn build(pack: Option<&ExamPack>, inputs: Vec<ReportInput>) -> GroupReport {
        let mut report = GroupReport::default();
        let mut ok: Vec<(PathBuf, MemberResult)> = Vec::new();
        for input in inputs {
            match input.result {
                Ok(r) => ok.push((input.path, r)),
                Err(e) => report.rejected.push(RejectedFile {
                    path: input.path,
                    reason: Rejection::File(e),
                }),
            }
        }
        let expected = match pack {
            Some(p) => Some(p.pack_id.clone()),
            None => majority(ok.iter().map(|(_, r)| r.pack_id.as_str())),
        };
        let Some(expected) = expected else {
            return report;
        };
        // The question list: the pack's, or the first matching result's.
        let questions: Vec<(String, String)> = match pack {
            Some(p) => p
                .items
                .iter()
                .map(|i| (i.question_id.clone(), i.domain.clone()))
                .collect(),
            None => ok
                .iter()
                .find(|(_, r)| r.pack_id == expected)
                .map(|(_, r)| {
                    r.answers
                        .iter()
                        .map(|a| (a.question_id.clone(), a.domain.clone()))
                        .collect()
                })
                .unwrap_or_default(),
        };
        let question_ids: Vec<&str> = questions.iter().map(|(q, _)| q.as_str()).collect();

        let mut accepted: Vec<(PathBuf, MemberResult)> = Vec::new();
        let mut names: HashMap<String, (PathBuf, usize)> = HashMap::new();
        for (path, r) in ok {
            if r.pack_id != expected {
                report.rejected.push(RejectedFile {
                    path,
                    reason: Rejection::ForeignPack {
                        found: r.pack_id.clone(),
                        expected: expected.clone(),
                    },
                });
                continue;
            }
            let answered: Vec<&str> = r.answers.iter().map(|a| a.question_id.as_str()).collect();
            if answered != question_ids {
                report.rejected.push(RejectedFile {
                    path,
                    reason: Rejection::QuestionsMismatch,
                });
                continue;
            }
            let key = r.member.trim().to_lowercase();
            if let Some((first, at)) = names.get(&key) {
                let reason = if accepted[*at].1 == r {
                    Rejection::Copy {
                        first: first.display().to_string(),
                    }
                } else {
                    Rejection::DuplicateMember {
                        name: r.member.trim().to_string(),
                        first: first.display().to_string(),
                    }
                };
                report.rejected.push(RejectedFile { path, reason });
                continue;
            }
            names.insert(key, (path.clone(), accepted.len()));
            accepted.push((path, r));
        }

        // Areas: the pack's list, else in order of first appearance.
        report.areas = match pack {
            Some(p) => p
                .areas
                .iter()
                .map(|a| (a.id.clone(), a.name.clone()))
                .collect(),
            None => {
                let mut v: Vec<(String, String)> = Vec::new();
                for (_, r) in &accepted {
                    for a in &r.areas {
                        if !v.iter().any(|(id, _)| *id == a.id) {
                            v.push((a.id.clone(), a.name.clone()));
                        }
                    }
                }
                v
            }
        };
        // Areas a question uses but the list lacks (a pack edited by hand cannot get here,
        // but results without a pack might) still get a column.
        for (_, d) in &questions {
            if !report.areas.iter().any(|(id, _)| id == d) {
                report.areas.push((d.clone(), d.clone()));
            }
        }
        let area_index: HashMap<&str, usize> = report
            .areas
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (id.as_str(), i))
            .collect();
        let q_area: Vec<usize> = questions
            .iter()
            .map(|(_, d)| area_index.get(d.as_str()).copied().unwrap_or(0))
            .collect();

        accepted.sort_by(|a, b| {
            a.1.member
                .to_lowercase()
                .cmp(&b.1.member.to_lowercase())
                .then_with(|| a.0.cmp(&b.0))
        });
        let na = report.areas.len();
        let nq = questions.len();
        // matrix[m][q]: member m got question q right.
        let mut matrix: Vec<Vec<bool>> = Vec::with_capacity(accepted.len());
        for (path, r) in &accepted {
            let row: Vec<bool> = r.answers.iter().map(|a| a.correct).collect();
            let mut areas = vec![(0usize, 0usize); na];
            for (q, &right) in row.iter().enumerate() {
                let a = &mut areas[q_area[q]];
                a.1 += 1;
                a.0 += right as usize;
            }
            report.members.push(MemberRow {
                name: r.member.trim().to_string(),
                file: path.clone(),
                correct: row.iter().filter(|&&x| x).count(),
                total: nq,
                time_used_secs: r.time_used_secs,
                areas: areas
                    .into_iter()
                    .map(|(c, t)| (t > 0).then_some((c, t)))
                    .collect(),
            });
            matrix.push(row);
        }

        report.area_means = (0..na)
            .map(|i| {
                let v: Vec<f64> = report
                    .members
                    .iter()
                    .filter_map(|m| m.area_percent(i))
                    .collect();
                (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
            })
            .collect();
        let mut order: Vec<usize> = (0..na)
            .filter(|&i| report.area_means[i].is_some())
            .collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (report.area_means[a], report.area_means[b]);
            x.partial_cmp(&y)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.cmp(&b))
        });
        order.truncate(WEAKEST_AREAS);
        report.weakest = order;

        let totals: Vec<f64> = matrix
            .iter()
            .map(|row| row.iter().filter(|&&x| x).count() as f64)
            .collect();
        let nm = matrix.len();
        let mut column = vec![false; nm];
        let mut rest = vec![0.0; nm];
        for (q, (qid, area)) in questions.iter().enumerate() {
            for m in 0..nm {
                column[m] = matrix[m][q];
                rest[m] = totals[m] - column[m] as u8 as f64;
            }
            let correct = column.iter().filter(|&&x| x).count();
            let difficulty = if nm == 0 {
                0.0
            } else {
                correct as f64 / nm as f64
            };
            let discrimination = point_biserial(&column, &rest);
            let mut flags = Vec::new();
            if nm > 0 && difficulty < FLAG_DIFFICULTY_BELOW {
                flags.push(QuestionFlag::TooHard);
            }
            if nm >= MIN_MEMBERS_FOR_DISCRIMINATION_FLAG
                && discrimination.is_some_and(|d| d < FLAG_DISCRIMINATION_BELOW)
            {
                flags.push(QuestionFlag::NegativeDiscrimination);
            }
            report.questions.push(QuestionStat {
                question_id: qid.clone(),
                area: area.clone(),
                correct,
                members: nm,
                difficulty,
                discrimination,
                flags,
            });
        }
        report.pack_id = Some(expected);
        report.pack_title = pack.map(|p| p.title.clone());
        report
    }

    pub fn flagged(&self) -> impl Iterator<Item = &QuestionStat> {
        self.questions.iter().filter(|q| !q.flags.is_empty())
    }

    pub fn area_name(&self, i: usize) -> &str {
        self.areas.get(i).map_or("", |(_, n)| n.as_str())
    }

    /// The member × area table as rows of cells: a header, one row per member, then the
    /// group mean. Percentages have one decimal; "-" where there is no value.
    pub fn table(&self) -> Vec<Vec<String>> {
        let mut rows = Vec::with_capacity(self.members.len() + 2);
        let mut header = vec!["Member".to_string(), "Overall".to_string()];
        header.extend(self.areas.iter().map(|(_, n)| n.clone()));
        rows.push(header);
        for m in &self.members {
            let mut row = vec![m.name.clone(), pct(Some(m.percent()))];
            row.extend((0..self.areas.len()).map(|i| pct(m.area_percent(i))));
            rows.push(row);
        }
        if !self.members.is_empty() {
            let overall = self.members.iter().map(MemberRow::percent).sum::<f64>()
                / self.members.len() as f64;
            let mut row = vec!["Group mean".to_string(), pct(Some(overall))];
            row.extend(self.area_means.iter().map(|m| pct(*m)));
            rows.push(row);
        }
        rows
    }

    /// The whole report as plain text for a terminal.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        match (&self.pack_id, &self.pack_title) {
            (Some(id), Some(t)) => {
                let _ = writeln!(s, "Pack {id}: {t}");
            }
            (Some(id), None) => {
                let _ = writeln!(s, "Pack {id}");
            }
            _ => {
                let _ = writeln!(s, "No usable results.");
            }
        }
        let _ = writeln!(
            s,
            "{} member(s), {} question(s), {} file(s) rejected\n",
            self.members.len(),
            self.questions.len(),
            self.rejected.len()
        );
        if !self.members.is_empty() {
            s.push_str(&align(&self.table()));
            if !self.weakest.is_empty() {
                let w: Vec<String> = self
                    .weakest
                    .iter()
                    .map(|&i| format!("{} ({})", self.area_name(i), pct(self.area_means[i]) + "%"))
                    .collect();
                let _ = writeln!(s, "\nWeakest areas: {}", w.join(", "));
            }
            let _ = writeln!(s, "\nQuestions:");
            let mut rows = vec![vec![
                "Question".to_string(),
                "Area".to_string(),
                "Correct".to_string(),
                "Discrimination".to_string(),
                "Flags".to_string(),
            ]];
            for q in &self.questions {
                rows.push(vec![
                    q.question_id.clone(),
                    q.area.clone(),
                    format!("{}/{} ({:.0}%)", q.correct, q.members, q.difficulty * 100.0),
                    disc(q.discrimination),
                    q.flags
                        .iter()
                        .map(|f| f.code())
                        .collect::<Vec<_>>()
                        .join(" "),
                ]);
            }
            s.push_str(&align(&rows));
        }
        if !self.rejected.is_empty() {
            let _ = writeln!(s, "\nRejected:");
            for r in &self.rejected {
                let _ = writeln!(s, "  {}: {}", r.path.display(), r.reason);
            }
        }
        s
    }

    /// CSV: the member × area table (with the group mean row), a blank line, then one row
    /// per question. Cells that a spreadsheet would run as a formula are prefixed with '.
    pub fn to_csv(&self) -> String {
        let mut s = String::new();
        for row in self.table() {
            csv_row(&mut s, &row);
        }
        s.push('\n');
        csv_row(
            &mut s,
            &[
                "Question".into(),
                "Area".into(),
                "Correct".into(),
                "Members".into(),
                "Difficulty".into(),
                "Discrimination".into(),
                "Flags".into(),
            ],
        );
        for q in &self.questions {
            csv_row(
                &mut s,
                &[
                    q.question_id.clone(),
                    q.area.clone(),
                    q.correct.to_string(),
                    q.members.to_string(),
                    format!("{:.3}", q.difficulty),
                    q.discrimination
                        .map_or(String::new(), |d| format!("{d:.3}")),
                    q.flags
                        .iter()
                        .map(|f| f.code())
                        .collect::<Vec<_>>()
                        .join(" "),
                ],
            );
        }
        s
    }
}

fn majority<'a>(ids: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for id in ids {
        match counts.iter_mut().find(|(x, _)| *x == id) {
            Some(c) => c.1 += 1,
            None => counts.push((id, 1)),
        }
    }
    // max_by_key keeps the last of equal maxima; iterate reversed to keep the first seen.
    counts
        .into_iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map(|(id, _)| id.to_string())
}

/// "66.7", or "-" for no value.
pub fn pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |p| format!("{p:.1}"))
}

/// "0.58", or "-" when undefined.
pub fn disc(v: Option<f64>) -> String {
    v.map_or("-".into(), |d| format!("{d:.2}"))
}

fn align(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|x| x.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut s = String::new();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(c, x)| format!("{x:<w$}", w = widths[c]))
            .collect();
        s.push_str(line.join("  ").trim_end());
        s.push('\n');
    }
    s
}

fn csv_row(out: &mut String, cells: &[String]) {
    let cells: Vec<String> = cells
        .iter()
        .map(|c| {
            let c = if c.starts_with(['=', '+', '-', '@']) && c != "-" {
                format!("'{c}")
            } else {
                c.clone()
            };
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c
            }
        })
        .collect();
    out.push_str(&cells.join(","));
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn point_biserial_matches_hand_computation() {
        // Scores 1..=5, item right for the top two.
        // mean 3, population var = (4+1+0+1+4)/5 = 2, s = sqrt 2; M1 = 4.5, M0 = 2;
        // p = 0.4, q = 0.6 -> r = 2.5 / sqrt(2) * sqrt(0.24) = 0.8660254...
        let item = [false, false, false, true, true];
        let scores = [1.0, 2.0, 3.0, 4.0, 5.0];
        let r = point_biserial(&item, &scores).unwrap();
        assert!(close(r, 2.5 / 2f64.sqrt() * 0.24f64.sqrt()), "{r}");
        assert!(close(r, 0.75f64.sqrt()), "{r}");
        // Reversed item: the same magnitude, negative.
        let rev = [true, true, true, false, false];
        assert!(close(
            point_biserial(&rev, &scores).unwrap(),
            -(0.75f64.sqrt())
        ));
        // Perfect split of two people: r = 1.
        assert!(close(
            point_biserial(&[true, false], &[3.0, 1.0]).unwrap(),
            1.0
        ));
        // Undefined cases.
        assert_eq!(point_biserial(&[true, true], &[1.0, 2.0]), None);
        assert_eq!(point_biserial(&[true, false], &[2.0, 2.0]), None);
        assert_eq!(point_biserial(&[true], &[1.0]), None);
        assert_eq!(point_biserial(&[true, false], &[1.0]), None);
    }

    #[test]
    fn point_biserial_equals_pearson() {
        let item = [true, false, true, true, false, false, true];
        let scores = [7.0, 3.0, 5.0, 2.0, 4.0, 1.0, 6.0];
        let x: Vec<f64> = item.iter().map(|&b| b as u8 as f64).collect();
        let n = x.len() as f64;
        let (mx, my) = (x.iter().sum::<f64>() / n, scores.iter().sum::<f64>() / n);
        let cov: f64 = x
            .iter()
            .zip(&scores)
            .map(|(a, b)| (a - mx) * (b - my))
            .sum();
        let vx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
        let vy: f64 = scores.iter().map(|b| (b - my).powi(2)).sum();
        let pearson = cov / (vx * vy).sqrt();
        assert!(close(point_biserial(&item, &scores).unwrap(), pearson));
    }

    #[test]
    fn slugs_and_csv_escaping() {
        assert_eq!(slug("Ana María O'Neil"), "ana-mar-a-o-neil");
        assert_eq!(slug("  "), "result");
        let mut s = String::new();
        csv_row(
            &mut s,
            &[
                "a,b".into(),
                "say \"hi\"".into(),
                "=SUM(A1)".into(),
                "-".into(),
            ],
        );
        assert_eq!(s, "\"a,b\",\"say \"\"hi\"\"\",'=SUM(A1),-\n");
    }

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

    #[test]
    fn majority_prefers_first_seen_on_tie() {
        assert_eq!(majority(["b", "a", "a", "b"].into_iter()), Some("b".into()));
        assert_eq!(majority(["b", "a", "a"].into_iter()), Some("a".into()));
        assert_eq!(majority(std::iter::empty()), None);
    }
}
