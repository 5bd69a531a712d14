//! Member results: made and sealed after a pack is sat, read back and checked, and scored
//! again from their selections against the pack's answer key.

use super::names::{MemberName, normalise_name};
use super::*;
use crate::exam::ScoreReport;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

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

/// A member's report of a problem with one of the pack's questions ("Report a problem with
/// this question"), carried in their result so the facilitator sees it beside the scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultReport {
    pub question_id: String,
    pub kind: crate::reports::ReportKind,
    /// At most [`crate::reports::MAX_REPORT_CHARS`] characters.
    pub text: String,
    /// When the member made it (UTC).
    pub at: chrono::DateTime<chrono::Utc>,
}

/// Most problem reports one result may carry (one per question and kind is also enforced).
pub const MAX_RESULT_REPORTS: usize = 200;

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
    /// The member's problem reports on the pack's questions. Absent when there are none, so
    /// such a file is byte for byte what certprep wrote before reports existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reports: Vec<ResultReport>,
    /// SHA-256 (hex) of the canonical result with this field empty (reports included).
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
        if !is_pack_id(pack_id) {
            return Err(PackError::BadPackId(crate::text::escape_controls(
                &pack_id.chars().take(40).collect::<String>(),
            )));
        }
        let member = normalise_name(member);
        if member.is_empty() {
            return Err(PackError::EmptyMember);
        }
        if member.chars().count() > MAX_MEMBER_CHARS {
            return Err(PackError::LongMember);
        }
        let mut r = MemberResult {
            format: RESULT_FORMAT.into(),
            pack_id: pack_id.to_string(),
            member,
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
            reports: Vec::new(),
            checksum: String::new(),
        };
        r.checksum = r.computed_checksum();
        Ok(r)
    }

    /// This result with the member's problem reports on its questions, sealed again. Reports
    /// on questions the result does not answer are left out, as are repeats of a kind on one
    /// question (the latest is kept) and any beyond [`MAX_RESULT_REPORTS`] (the latest are
    /// kept); text longer than the limit is refused, as the file reader would refuse it.
    pub fn with_reports(
        mut self,
        mut reports: Vec<ResultReport>,
    ) -> Result<MemberResult, PackError> {
        if let Some(r) = reports
            .iter()
            .find(|r| crate::reports::check_text(&r.text).is_err())
        {
            return Err(PackError::BadReport(format!(
                "the report on \"{}\" is longer than {} characters",
                r.question_id,
                crate::reports::MAX_REPORT_CHARS
            )));
        }
        let asked: HashSet<&str> = self
            .answers
            .iter()
            .map(|a| a.question_id.as_str())
            .collect();
        reports.retain(|r| asked.contains(r.question_id.as_str()));
        // Newest first, so the first of each (question, kind) kept is the latest.
        reports.sort_by_key(|r| std::cmp::Reverse(r.at));
        let mut seen = HashSet::new();
        reports.retain(|r| seen.insert((r.question_id.clone(), r.kind)));
        reports.truncate(MAX_RESULT_REPORTS);
        // In the pack's order, then by time: the file reads like the exam.
        let position: HashMap<&str, usize> = self
            .answers
            .iter()
            .enumerate()
            .map(|(i, a)| (a.question_id.as_str(), i))
            .collect();
        reports.sort_by_key(|r| (position.get(r.question_id.as_str()).copied(), r.at, r.kind));
        self.reports = reports;
        self.checksum = self.computed_checksum();
        Ok(self)
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

    /// `<pack id>-<member slug>.certprep-result.json`: letters, digits and '-' only, so the
    /// name stays in the folder it is written to (a pack id that is not 16 hex digits is
    /// slugged too, though [`MemberResult::new`] and [`MemberResult::from_bytes`] refuse one).
    pub fn file_name(&self) -> String {
        format!(
            "{}-{}{RESULT_SUFFIX}",
            slug(&self.pack_id),
            slug(&self.member)
        )
    }

    /// The member's name as the report shows it, and the key look-alikes share.
    pub fn member_name(&self) -> MemberName {
        MemberName::new(&self.member)
    }

    /// Parse and check a result from bytes (any bytes: errors, never a panic).
    pub fn from_bytes(bytes: &[u8]) -> Result<MemberResult, FileError> {
        let r: MemberResult = parse_versioned(bytes, RESULT_FORMAT, "result")?;
        if r.computed_checksum() != r.checksum {
            return Err(FileError::ChecksumMismatch);
        }
        if !is_pack_id(&r.pack_id) {
            return Err(malformed("result", "its pack id is not 16 hex digits"));
        }
        let name = normalise_name(&r.member);
        if name.is_empty() || name.chars().count() > MAX_MEMBER_CHARS {
            return Err(malformed("result", "the member name is empty or too long"));
        }
        if r.answers.is_empty() {
            return Err(malformed("result", "it has no answers"));
        }
        if r.answers.len() > MAX_PACK_ITEMS {
            return Err(malformed(
                "result",
                format!("it has more than {MAX_PACK_ITEMS} answers"),
            ));
        }
        let too_long = |s: &str| s.chars().count() > MAX_ID_CHARS;
        if r.answers.iter().any(|a| {
            too_long(&a.question_id)
                || too_long(&a.domain)
                || a.selected.len() > crate::bank::MAX_OPTIONS
                || a.selected.iter().any(|o| too_long(o))
        }) || r
            .areas
            .iter()
            .any(|a| too_long(&a.id) || a.name.chars().count() > MAX_NAME_CHARS)
        {
            return Err(malformed(
                "result",
                format!(
                    "an id is longer than {MAX_ID_CHARS} characters, or an answer picks more than {} options",
                    crate::bank::MAX_OPTIONS
                ),
            ));
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
        check_reports(&r, &seen)?;
        Ok(r)
    }

    pub fn load(path: &Path) -> Result<MemberResult, FileError> {
        MemberResult::from_bytes(&read_capped(path)?)
    }

    /// How many answers the file itself marks right. Reports never use this: they score
    /// every answer again against the pack's answer key ([`AnswerKey::score`]).
    pub fn correct(&self) -> usize {
        self.answers.iter().filter(|a| a.correct).count()
    }
}

/// A result's problem reports: a bounded number, each on a question the result answers (and
/// so, once the report checks the answers against the pack, a question of the pack), with
/// text within the limit, and at most one per question and kind. Kinds are checked as the
/// file is parsed (an unknown kind is a malformed file).
fn check_reports(r: &MemberResult, answered: &HashSet<&str>) -> Result<(), FileError> {
    if r.reports.len() > MAX_RESULT_REPORTS {
        return Err(malformed(
            "result",
            format!("it carries more than {MAX_RESULT_REPORTS} problem reports"),
        ));
    }
    let mut once = HashSet::new();
    for p in &r.reports {
        let id = crate::text::escape_controls(&p.question_id.chars().take(60).collect::<String>());
        if !answered.contains(p.question_id.as_str()) {
            return Err(malformed(
                "result",
                format!("a problem report names question \"{id}\", which is not in the pack"),
            ));
        }
        if crate::reports::check_text(&p.text).is_err() {
            return Err(malformed(
                "result",
                format!(
                    "the problem report on question \"{id}\" is longer than {} characters",
                    crate::reports::MAX_REPORT_CHARS
                ),
            ));
        }
        if !once.insert((p.question_id.as_str(), p.kind)) {
            return Err(malformed(
                "result",
                format!(
                    "question \"{id}\" is reported twice as \"{}\"",
                    p.kind.as_str()
                ),
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Scoring against the pack

/// The right answers of a pack's questions, from the pack's embedded copy or a loaded bank
/// whose question matches the pack's hash: what every result is scored against.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnswerKey {
    /// question id -> (the option ids the pack shows, the correct ones).
    keys: HashMap<String, (HashSet<String>, HashSet<String>)>,
    /// question id -> its options in the order shown, for the option table.
    options: HashMap<String, Vec<KeyOption>>,
}

/// One option of a keyed question, as the pack showed it.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyOption {
    pub id: String,
    pub text: String,
    pub correct: bool,
}

impl AnswerKey {
    /// The key for `pack`: each item from the embedded questions when the pack has them,
    /// else from a loaded bank whose copy of the question has the pack's hash (the pack's own
    /// bank first). Items with no such copy have no key.
    pub fn for_pack(pack: &ExamPack, banks: &[crate::bank::Bank]) -> AnswerKey {
        let embedded = pack
            .embedded
            .as_ref()
            .and_then(|_| pack.embedded_bank(&pack.bank.id).ok().flatten());
        let mut ordered: Vec<&crate::bank::Bank> = banks.iter().collect();
        ordered.sort_by_key(|b| b.id() != pack.bank.id);
        let mut key = AnswerKey::default();
        for it in &pack.items {
            let from_embedded = embedded.as_ref().and_then(|b| b.question(&it.question_id));
            let q = from_embedded.or_else(|| {
                ordered.iter().find_map(|b| {
                    b.question(&it.question_id)
                        .filter(|q| q.content_hash() == it.question_hash)
                })
            });
            if let Some(q) = q {
                key.insert(q, Some(&it.option_order));
            }
        }
        key
    }

    /// Without a pack: the questions of the first loaded bank that holds every one of `ids`.
    pub fn from_banks(ids: &[&str], banks: &[crate::bank::Bank]) -> AnswerKey {
        let mut key = AnswerKey::default();
        if let Some(b) = banks
            .iter()
            .find(|b| ids.iter().all(|id| b.question(id).is_some()))
        {
            for id in ids {
                if let Some(q) = b.question(id) {
                    key.insert(q, None);
                }
            }
        }
        key
    }

    fn insert(&mut self, q: &crate::bank::Question, shown: Option<&Vec<String>>) {
        let options: HashSet<String> = match shown {
            Some(order) => order.iter().cloned().collect(),
            None => q.options.iter().map(|o| o.id.clone()).collect(),
        };
        let correct = q
            .options
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.id.clone())
            .collect();
        let ordered: Vec<KeyOption> = match shown {
            Some(order) => order
                .iter()
                .filter_map(|id| q.option(id))
                .collect::<Vec<_>>(),
            None => q.options.iter().collect::<Vec<_>>(),
        }
        .into_iter()
        .map(|o| KeyOption {
            id: o.id.clone(),
            text: o.text.clone(),
            correct: o.correct,
        })
        .collect();
        self.keys.insert(q.id.clone(), (options, correct));
        self.options.insert(q.id.clone(), ordered);
    }

    /// `question_id`'s options in the order the pack showed them (empty without a key).
    pub fn options(&self, question_id: &str) -> &[KeyOption] {
        self.options.get(question_id).map_or(&[], Vec::as_slice)
    }

    pub fn has(&self, question_id: &str) -> bool {
        self.keys.contains_key(question_id)
    }

    /// Whether `selected` answers `question_id` right: exactly the correct options, each
    /// one the pack showed, none twice. Unknown questions and unanswered items are wrong.
    pub fn is_right(&self, question_id: &str, selected: &[String]) -> bool {
        let Some((shown, correct)) = self.keys.get(question_id) else {
            return false;
        };
        let picked: HashSet<&String> = selected.iter().collect();
        !selected.is_empty()
            && picked.len() == selected.len()
            && selected.iter().all(|s| shown.contains(s))
            && picked.len() == correct.len()
            && selected.iter().all(|s| correct.contains(s))
    }

    /// The chance that a blind guess is right: one over the number of ways to pick as many
    /// options as the question has correct ones (1/4 for one of four, 1/6 for two of four),
    /// since only exactly the right set scores. `None` for a question with no key.
    pub fn random_guess(&self, question_id: &str) -> Option<f64> {
        let (shown, correct) = self.keys.get(question_id)?;
        let ways = choose(shown.len(), correct.len());
        (ways > 0.0).then(|| 1.0 / ways)
    }

    /// Every answer of `r` scored again: right or wrong, in the result's order.
    pub fn score(&self, r: &MemberResult) -> Vec<bool> {
        r.answers
            .iter()
            .map(|a| self.is_right(&a.question_id, &a.selected))
            .collect()
    }
}

/// n choose k, as a float (0 when k > n).
fn choose(n: usize, k: usize) -> f64 {
    if k > n {
        return 0.0;
    }
    (0..k.min(n - k)).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
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

/// Every `*.certprep-exam.json` directly in `dir` (regular files), sorted by name.
pub fn pack_files_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && file_kind(p) == FileKind::Pack)
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
