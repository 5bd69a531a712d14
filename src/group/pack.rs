//! Exam packs: build, read and check one, and decide which bank a member sits it with.

use super::*;
use crate::bank::{Bank, LoadReport, Question};
use crate::exam::{ExamItem, assemble};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

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
                    "{} — {}, seed {}",
                    bank.manifest.title,
                    crate::text::count(items.len(), "question", "questions"),
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
        if !is_pack_id(&pack.pack_id) || pack.computed_id() != pack.pack_id {
            return Err(FileError::PackModified);
        }
        if pack.items.is_empty() {
            return Err(malformed("pack", "it has no questions"));
        }
        if pack.items.len() > MAX_PACK_ITEMS {
            return Err(malformed(
                "pack",
                format!(
                    "it has {} questions; a pack holds at most {MAX_PACK_ITEMS}",
                    pack.items.len()
                ),
            ));
        }
        let too_long = |s: &str| s.is_empty() || s.chars().count() > MAX_ID_CHARS;
        let long_text = |s: &str| s.chars().count() > MAX_NAME_CHARS;
        if too_long(&pack.bank.id) || long_text(&pack.title) {
            return Err(malformed(
                "pack",
                format!(
                    "its bank id is empty or longer than {MAX_ID_CHARS} characters, or its \
                     title longer than {MAX_NAME_CHARS}"
                ),
            ));
        }
        let areas: HashSet<&str> = pack.areas.iter().map(|a| a.id.as_str()).collect();
        if areas.len() != pack.areas.len()
            || pack
                .areas
                .iter()
                .any(|a| too_long(&a.id) || long_text(&a.name))
        {
            return Err(malformed(
                "pack",
                "its skill areas repeat an id, or an id or name is empty or too long",
            ));
        }
        for it in &pack.items {
            let order: HashSet<&str> = it.option_order.iter().map(String::as_str).collect();
            let problem = if too_long(&it.question_id) {
                Some("a question id is empty or too long".to_string())
            } else if !areas.contains(it.domain.as_str()) {
                Some("it is in no skill area the pack lists".to_string())
            } else if !(crate::bank::MIN_OPTIONS..=crate::bank::MAX_OPTIONS)
                .contains(&it.option_order.len())
                || order.len() != it.option_order.len()
                || it.option_order.iter().any(|o| too_long(o))
            {
                Some(format!(
                    "its option order must name {} to {} different options",
                    crate::bank::MIN_OPTIONS,
                    crate::bank::MAX_OPTIONS
                ))
            } else if it.question_hash.len() != 64
                || !it.question_hash.bytes().all(|b| b.is_ascii_hexdigit())
            {
                Some("its question hash is not 64 hex digits".to_string())
            } else {
                None
            };
            if let Some(p) = problem {
                return Err(malformed(
                    "pack",
                    format!(
                        "question \"{}\": {p}",
                        crate::text::escape_controls(
                            &it.question_id.chars().take(60).collect::<String>()
                        )
                    ),
                ));
            }
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

    /// Which of the pack's questions differ from `bank`: missing, or not the same question
    /// (hash, area, or an option order that is not exactly the question's options). Every
    /// item is checked, whatever bank hash the pack claims.
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
                Some(q) => (!item_fits(it, q)).then(|| QuestionDiff {
                    question_id: it.question_id.clone(),
                    kind: DiffKind::Changed,
                }),
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
        if let Some(bad) = self.items.iter().find(|i| {
            bank.question(&i.question_id)
                .is_some_and(|q| q.content_hash() != i.question_hash || !item_fits(i, q))
        }) {
            return Err(PackError::BadEmbedded(format!(
                "question \"{}\" does not match its embedded copy",
                bad.question_id
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
                // Checked even when the bank hash matches: a pack can copy a genuine bank's
                // hash and list invented questions.
                let diffs = self.differences(b);
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
                "{} in your bank {} from the facilitator's: {}",
                crate::text::count(changed.len(), "question", "questions"),
                crate::text::noun(changed.len(), "differs", "differ"),
                abbreviate(&changed, 8)
            ));
        }
        if !missing.is_empty() {
            out.push(format!(
                "{} {} not in your bank: {}",
                crate::text::count(missing.len(), "question", "questions"),
                crate::text::noun(missing.len(), "is", "are"),
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

/// A pack item is this question as the pack shows it: the same text (hash), the same area,
/// and an option order that is a permutation of exactly the question's options.
/// (The hash is compared by the callers, which need it apart.)
fn item_fits(it: &PackItem, q: &Question) -> bool {
    q.domain == it.domain
        && it.option_order.len() == q.options.len()
        && it.option_order.iter().all(|o| q.option(o).is_some())
        && it.option_order.iter().collect::<HashSet<_>>().len() == q.options.len()
}

pub(crate) fn abbreviate(ids: &[&str], max: usize) -> String {
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
