//! Question banks: the on-disk format (see `docs/bank-format.md`), loading and validation.
//!
//! A bank is a folder holding `bank.json` (the manifest) and any number of question files
//! below it. Loading collects *every* problem in a bank rather than stopping at the first,
//! so an author can fix a file in one pass; a bank with any error is rejected as a whole
//! while the other banks still load.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

pub const FORMAT_V1: &str = "certprep-bank/1";
pub const MANIFEST_FILE: &str = "bank.json";

/// Files larger than this are refused before parsing: a bank file is hand-written text,
/// and reading a runaway file into memory must not take the app down.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Longest stem, scenario or option text accepted (characters).
pub const MAX_TEXT_CHARS: usize = 20_000;
pub const MIN_OPTIONS: usize = 2;
pub const MAX_OPTIONS: usize = 8;

// ---------------------------------------------------------------------------------------------
// The format

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub id: String,
    pub title: String,
    pub version: String,
    pub exam: ExamDefaults,
    pub domains: Vec<Domain>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ExamDefaults {
    pub questions: u32,
    pub minutes: u32,
    pub pass_percent: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub id: String,
    pub name: String,
    pub category: String,
    pub weight: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    Single,
    Multiple,
    TrueFalse,
}

impl QuestionType {
    pub fn label(self) -> &'static str {
        match self {
            QuestionType::Single => "single",
            QuestionType::Multiple => "multiple",
            QuestionType::TrueFalse => "true_false",
        }
    }
}

/// How many options a question takes (see [`Question::picks`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picks {
    Exactly(usize),
    /// Any number, at least one ("choose all that apply").
    AnyNumber,
}

impl Picks {
    /// `n` picks make a whole answer (fewer is a partial one, which scores zero).
    pub fn complete(self, n: usize) -> bool {
        match self {
            Picks::Exactly(k) => n == k,
            Picks::AnyNumber => n > 0,
        }
    }

    /// One more pick is allowed after `n`.
    pub fn room_after(self, n: usize) -> bool {
        match self {
            Picks::Exactly(k) => n < k,
            Picks::AnyNumber => true,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub correct: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub domain: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    pub stem: String,
    pub options: Vec<AnswerOption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

impl Question {
    pub fn option(&self, id: &str) -> Option<&AnswerOption> {
        self.options.iter().find(|o| o.id == id)
    }

    /// Ids of the correct options, in file order.
    pub fn correct_ids(&self) -> Vec<String> {
        self.options
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.id.clone())
            .collect()
    }

    /// How many options a candidate picks: one for `single` and `true_false`; for `multiple`
    /// the number the stem asks for ("Choose two"), the same reading `certprep lint` checks
    /// against the keys; a `multiple` stem that names no number lets any number be picked.
    pub fn picks(&self) -> Picks {
        match self.kind {
            QuestionType::Single | QuestionType::TrueFalse => Picks::Exactly(1),
            QuestionType::Multiple => {
                crate::lint::stated_count(&self.stem).map_or(Picks::AnyNumber, Picks::Exactly)
            }
        }
    }

    /// What the runner shows above the options: "choose one", "choose two", "choose all
    /// that apply", "true or false".
    pub fn instruction(&self) -> String {
        match (self.kind, self.picks()) {
            (QuestionType::TrueFalse, _) => "true or false".into(),
            (_, Picks::Exactly(n)) => format!("choose {}", crate::text::number_word(n)),
            (_, Picks::AnyNumber) => "choose all that apply".into(),
        }
    }

    /// All-or-nothing: the chosen set must equal the correct set exactly.
    pub fn is_correct(&self, chosen: &[String]) -> bool {
        let chosen: HashSet<&str> = chosen.iter().map(String::as_str).collect();
        let correct: HashSet<&str> = self
            .options
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.id.as_str())
            .collect();
        !chosen.is_empty() && chosen == correct
    }

    /// SHA-256 over the question's canonical JSON: two banks agree on a question exactly when
    /// these match (used by shared exam packs to say which questions differ).
    pub fn content_hash(&self) -> String {
        // Serialising a struct is field-order stable, so this is canonical for our own type.
        let json = serde_json::to_vec(self).unwrap_or_default();
        hex(&Sha256::digest(&json))
    }
}

/// A question file is either a bare array of questions or an object with scenarios.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionFileObject {
    #[serde(default)]
    scenarios: Vec<Scenario>,
    #[serde(default)]
    questions: Vec<Question>,
}

// ---------------------------------------------------------------------------------------------
// Errors

/// Where a problem is: always a file, and a line/column or question id when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub question: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ":{l}:{c}")?;
        }
        if let Some(q) = &self.question {
            write!(f, ": question `{q}`")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BankError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: file is {size} bytes, larger than the {max}-byte limit for a bank file")]
    TooLarge { path: PathBuf, size: u64, max: u64 },
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{location}: {message}")]
    Invalid { location: Location, message: String },
}

impl BankError {
    pub(crate) fn invalid(location: Location, message: impl Into<String>) -> Self {
        BankError::Invalid {
            location,
            message: message.into(),
        }
    }
}

/// Turn a serde_json error into one that points at file:line:column, with serde's own
/// trailing " at line L column C" removed so the position is said once.
fn syntax_error(path: &Path, err: &serde_json::Error) -> BankError {
    let full = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
    BankError::Syntax {
        path: path.to_path_buf(),
        line: err.line(),
        column: err.column(),
        message,
    }
}

// ---------------------------------------------------------------------------------------------
// A loaded bank

#[derive(Debug, Clone)]
pub struct Bank {
    pub manifest: Manifest,
    pub root: PathBuf,
    /// In a stable order: files sorted by path, questions in file order.
    pub questions: Vec<Question>,
    pub scenarios: BTreeMap<String, Scenario>,
    /// Non-fatal remarks for the author (e.g. weights that do not sum to 100).
    pub warnings: Vec<String>,
    index: HashMap<String, usize>,
    /// Manifest position of each domain id.
    domain_index: HashMap<String, usize>,
    /// Question positions per domain id, in bank order: per-area work stays linear however
    /// many areas a bank has (a bank with 40,000 areas once took 27 s to open).
    by_domain: HashMap<String, Vec<usize>>,
    weight_total: f64,
    /// Read from the copy built into the binary (`src/shipped.rs`), not from a folder:
    /// `root` then names it in messages but is no path on this computer.
    built_in: bool,
}

impl Bank {
    pub fn id(&self) -> &str {
        &self.manifest.id
    }

    /// Whether this bank was built into certprep (`crate::shipped`) rather than read from a
    /// folder.
    pub fn is_built_in(&self) -> bool {
        self.built_in
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.index.get(id).map(|&i| &self.questions[i])
    }

    /// Each domain id's position in the manifest (the order areas are reported in).
    pub fn domain_positions(&self) -> &HashMap<String, usize> {
        &self.domain_index
    }

    /// The bank's categories (the CETL's three, each holding several skill areas) in order of
    /// first appearance, each with the manifest positions of its areas. An area without a
    /// category is one of its own, named after the area.
    pub fn categories(&self) -> Vec<(String, Vec<usize>)> {
        let mut out: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, d) in self.manifest.domains.iter().enumerate() {
            let name = if d.category.trim().is_empty() {
                d.name.clone()
            } else {
                d.category.clone()
            };
            match out.iter_mut().find(|(c, _)| *c == name) {
                Some((_, areas)) => areas.push(i),
                None => out.push((name, vec![i])),
            }
        }
        out
    }

    pub fn domain(&self, id: &str) -> Option<&Domain> {
        self.domain_index
            .get(id)
            .and_then(|&i| self.manifest.domains.get(i))
    }

    /// A domain's share of the blueprint (0..1): manifests may state weights that do not sum
    /// to 100, and are normalised with a warning, so the raw number is not a percentage.
    pub fn weight_share(&self, domain: &Domain) -> f64 {
        let sum = self.weight_total;
        if sum > 0.0 { domain.weight / sum } else { 0.0 }
    }

    pub fn domain_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.domain(id).map(|d| d.name.as_str()).unwrap_or(id)
    }

    pub fn scenario_text(&self, question: &Question) -> Option<&str> {
        question
            .scenario
            .as_ref()
            .and_then(|s| self.scenarios.get(s))
            .map(|s| s.text.as_str())
    }

    /// The questions of one domain, in bank order.
    pub fn questions_in(&self, domain: &str) -> impl Iterator<Item = &Question> {
        self.by_domain
            .get(domain)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.questions.get(i))
    }

    /// Number of questions per domain, in manifest order.
    pub fn domain_counts(&self) -> Vec<(String, usize)> {
        self.manifest
            .domains
            .iter()
            .map(|d| (d.id.clone(), self.by_domain.get(&d.id).map_or(0, Vec::len)))
            .collect()
    }

    /// SHA-256 over the manifest, scenarios and questions in canonical order, so packs can
    /// tell whether a member holds exactly the facilitator's bank.
    pub fn content_hash(&self) -> String {
        let mut h = Sha256::new();
        h.update(serde_json::to_vec(&self.manifest).unwrap_or_default());
        for s in self.scenarios.values() {
            h.update(serde_json::to_vec(s).unwrap_or_default());
        }
        let mut sorted: Vec<&Question> = self.questions.iter().collect();
        sorted.sort_by(|a, b| a.id.cmp(&b.id));
        for q in sorted {
            h.update(serde_json::to_vec(q).unwrap_or_default());
        }
        hex(&h.finalize())
    }

    /// Build a bank from parts already in memory (imports, embedded pack copies, tests),
    /// running the same checks as loading from disk.
    pub fn from_parts(
        manifest: Manifest,
        root: PathBuf,
        scenarios: Vec<Scenario>,
        questions: Vec<Question>,
    ) -> Result<Bank, Vec<BankError>> {
        let mut builder = BankBuilder::new(root.join(MANIFEST_FILE), manifest);
        let source = root.join("(in memory)");
        builder.add_file(&source, false, scenarios, questions);
        builder.finish()
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

// ---------------------------------------------------------------------------------------------
// Loading

/// Read a bank file: a regular file only (a FIFO or a link to a device named `*.json` is
/// refused, never waited on), at most [`MAX_FILE_BYTES`], enforced while reading.
pub(crate) fn read_text(path: &Path) -> Result<String, BankError> {
    use crate::fsutil::ReadError;
    let io = |source: std::io::Error| BankError::Io {
        path: path.to_path_buf(),
        source,
    };
    let bytes = crate::fsutil::read_capped(path, MAX_FILE_BYTES).map_err(|e| match e {
        ReadError::TooLarge { size, max } => BankError::TooLarge {
            path: path.to_path_buf(),
            size,
            max,
        },
        ReadError::NotFound => io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no such file",
        )),
        e => io(std::io::Error::other(e.to_string())),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "not UTF-8 text (byte {}); save the file as UTF-8",
                e.utf8_error().valid_up_to()
            ),
        ))
    })
}

/// Every `*.json` below `dir` except the manifest, sorted so load order is deterministic.
/// Links to folders are not followed (a link loop, or a link to `/`, would walk forever or
/// walk the whole disk); each one is named in `warnings`.
fn question_files(
    dir: &Path,
    errors: &mut Vec<BankError>,
    warnings: &mut Vec<String>,
) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(source) => {
                errors.push(BankError::Io { path: d, source });
                continue;
            }
        };
        for entry in entries.flatten() {
            let p = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_symlink() && p.is_dir() {
                warnings.push(format!(
                    "{}: a link to a folder; certprep does not follow folder links in a bank",
                    p.display()
                ));
            } else if kind.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "json")
                && !(d == dir && p.file_name().is_some_and(|n| n == MANIFEST_FILE))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A bank folder's question files, in load order (unreadable folders are skipped).
pub(crate) fn question_file_paths(dir: &Path) -> Vec<PathBuf> {
    question_files(dir, &mut Vec::new(), &mut Vec::new())
}

/// Load and validate one bank folder. All problems found are returned together.
pub fn load_bank(dir: &Path) -> Result<Bank, Vec<BankError>> {
    let manifest_path = dir.join(MANIFEST_FILE);
    let text = read_text(&manifest_path).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let mut link_warnings = Vec::new();
    let files = question_files(dir, &mut errors, &mut link_warnings);
    // Files are read one at a time as the builder takes them, so a big bank is never held
    // in memory as text all at once.
    let texts = files.into_iter().map(|path| {
        let text = read_text(&path).map(std::borrow::Cow::Owned);
        (path, text)
    });
    build_bank(dir, text, texts, true, errors, link_warnings)
}

/// Load and validate one bank whose files are held in memory (the banks built into the
/// binary): the same parse and the same checks as [`load_bank`]. `root` names the bank in
/// messages; `files` are each question file's path below `root` and its text.
pub fn load_bank_from_texts(
    root: &Path,
    manifest_text: &str,
    files: &[(&str, &str)],
) -> Result<Bank, Vec<BankError>> {
    let texts = files
        .iter()
        .map(|(name, text)| (root.join(name), Ok(std::borrow::Cow::Borrowed(*text))));
    let mut bank = build_bank(
        root,
        manifest_text.to_string(),
        texts,
        false,
        Vec::new(),
        Vec::new(),
    )?;
    bank.built_in = true;
    Ok(bank)
}

/// The part of loading shared by folders and built-in banks: parse the manifest, then each
/// question file, and run the checks. `on_disk` says whether a file can be read again to
/// point an error at its line.
fn build_bank<'a>(
    root: &Path,
    manifest_text: String,
    files: impl Iterator<Item = (PathBuf, Result<std::borrow::Cow<'a, str>, BankError>)>,
    on_disk: bool,
    mut errors: Vec<BankError>,
    link_warnings: Vec<String>,
) -> Result<Bank, Vec<BankError>> {
    let manifest_path = root.join(MANIFEST_FILE);
    let manifest: Manifest =
        serde_json::from_str(&manifest_text).map_err(|e| vec![syntax_error(&manifest_path, &e)])?;
    let mut builder = BankBuilder::new(manifest_path, manifest);
    builder.root = root.to_path_buf();
    // A folder's image references are checked against its files; a built-in bank has no
    // folder, so only their shape is checked (the shipped banks carry no images).
    builder.image_files_exist = on_disk;
    builder.manifest_text = Some(manifest_text);
    for (path, text) in files {
        match text.and_then(|text| parse_question_file(&path, &text)) {
            Ok((scenarios, questions)) => builder.add_file(&path, on_disk, scenarios, questions),
            Err(e) => errors.push(e),
        }
    }
    builder.errors.extend(errors);
    builder.extra_warnings = link_warnings;
    builder.finish()
}

/// Parse one question file. The two accepted shapes are told apart by the first character,
/// so a mistake inside either shape still gets serde's precise line and column.
pub fn parse_question_file(
    path: &Path,
    text: &str,
) -> Result<(Vec<Scenario>, Vec<Question>), BankError> {
    let first = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .next();
    let parsed = match first {
        Some('[') => serde_json::from_str::<Vec<Question>>(text).map(|q| (Vec::new(), q)),
        _ => serde_json::from_str::<QuestionFileObject>(text).map(|f| (f.scenarios, f.questions)),
    };
    parsed.map_err(|e| syntax_error(path, &e))
}

/// Line and column (1-based) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map_or(offset, |nl| offset - nl - 1) + 1;
    (line, column)
}

/// Where `"id": "<id>"` is written, so an error points at its item rather than at some
/// other mention of the same string.
fn position_of_id(text: &str, id: &str) -> Option<(usize, usize)> {
    let needle = format!("\"{id}\"");
    let mut from = 0;
    while let Some(found) = text[from..].find(&needle) {
        let at = from + found;
        let before = text[..at].trim_end();
        if let Some(key) = before.strip_suffix(':')
            && key.trim_end().ends_with("\"id\"")
        {
            return Some(line_column(text, at));
        }
        from = at + needle.len();
    }
    None
}

/// Line and column of the first occurrence of `needle` (for manifest keys).
fn position_of(text: &str, needle: &str) -> Option<(usize, usize)> {
    text.find(needle).map(|at| line_column(text, at))
}

/// Accumulates files into a bank and runs the semantic checks.
struct BankBuilder {
    manifest_path: PathBuf,
    manifest_text: Option<String>,
    root: PathBuf,
    manifest: Manifest,
    /// Each source file, and whether it can be read again to locate an error. Texts are not
    /// kept: a 10,000-question bank would otherwise hold all its JSON in memory twice.
    files: Vec<(PathBuf, bool)>,
    /// The last file text read back to locate an error (errors come in file order).
    located_text: std::cell::RefCell<Option<(usize, String)>>,
    questions: Vec<(Question, usize)>,
    scenarios: Vec<(Scenario, usize)>,
    errors: Vec<BankError>,
    /// Remarks found while reading files (folder links not followed).
    extra_warnings: Vec<String>,
    /// Whether image references must name files that exist (a bank read from disk); banks
    /// built in memory (imports before writing) have only their paths' shape checked.
    image_files_exist: bool,
}

impl BankBuilder {
    fn new(manifest_path: PathBuf, manifest: Manifest) -> Self {
        let root = manifest_path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        BankBuilder {
            manifest_path,
            manifest_text: None,
            root,
            manifest,
            files: Vec::new(),
            located_text: std::cell::RefCell::new(None),
            questions: Vec::new(),
            scenarios: Vec::new(),
            errors: Vec::new(),
            extra_warnings: Vec::new(),
            image_files_exist: false,
        }
    }

    fn add_file(
        &mut self,
        path: &Path,
        on_disk: bool,
        scenarios: Vec<Scenario>,
        questions: Vec<Question>,
    ) {
        let file = self.files.len();
        self.files.push((path.to_path_buf(), on_disk));
        self.scenarios
            .extend(scenarios.into_iter().map(|s| (s, file)));
        self.questions
            .extend(questions.into_iter().map(|q| (q, file)));
    }

    /// Point an error at the line where the item's id is written.
    fn locate(&self, file: usize, id: &str, is_question: bool) -> Location {
        let (path, on_disk) = &self.files[file];
        let pos = if *on_disk {
            self.with_text(file, |t| position_of_id(t, id))
        } else {
            None
        };
        Location {
            path: path.clone(),
            line: pos.map(|p| p.0),
            column: pos.map(|p| p.1),
            question: is_question.then(|| id.to_string()),
        }
    }

    /// Run `f` over the text of `file`, reading it back from disk at most once in a row.
    fn with_text<T>(&self, file: usize, f: impl FnOnce(&str) -> Option<T>) -> Option<T> {
        let mut cache = self.located_text.borrow_mut();
        if cache.as_ref().is_none_or(|(i, _)| *i != file) {
            let text = read_text(&self.files[file].0).ok()?;
            *cache = Some((file, text));
        }
        cache.as_ref().and_then(|(_, t)| f(t))
    }

    fn manifest_location(&self, needle: Option<&str>) -> Location {
        let pos = needle.and_then(|n| {
            self.manifest_text
                .as_deref()
                .and_then(|t| position_of(t, &format!("\"{n}\"")))
        });
        Location {
            path: self.manifest_path.clone(),
            line: pos.map(|p| p.0),
            column: pos.map(|p| p.1),
            question: None,
        }
    }

    fn check_manifest(&mut self) -> Vec<String> {
        let mut warnings = Vec::new();
        let m = self.manifest.clone();
        if m.format != FORMAT_V1 {
            let loc = self.manifest_location(Some("format"));
            self.errors.push(BankError::invalid(
                loc,
                format!(
                    "format is \"{}\"; this version of certprep reads \"{FORMAT_V1}\"",
                    m.format
                ),
            ));
        }
        if !is_slug(&m.id) {
            let loc = self.manifest_location(Some("id"));
            self.errors.push(BankError::invalid(
                loc,
                format!(
                    "bank id \"{}\" must use only lowercase letters, digits and '-'",
                    m.id
                ),
            ));
        }
        if m.exam.questions == 0 || m.exam.minutes == 0 {
            let loc = self.manifest_location(Some("exam"));
            self.errors.push(BankError::invalid(
                loc,
                "exam.questions and exam.minutes must be at least 1",
            ));
        }
        if !(m.exam.pass_percent > 0.0 && m.exam.pass_percent <= 100.0) {
            let loc = self.manifest_location(Some("pass_percent"));
            self.errors.push(BankError::invalid(
                loc,
                format!(
                    "exam.pass_percent is {}; it must be above 0 and at most 100",
                    m.exam.pass_percent
                ),
            ));
        }
        if m.domains.is_empty() {
            let loc = self.manifest_location(Some("domains"));
            self.errors.push(BankError::invalid(
                loc,
                "the bank lists no domains (skill areas)",
            ));
        }
        let mut seen = HashSet::new();
        for d in &m.domains {
            // Located only when there is an error: searching the manifest for every one of
            // 40,000 domains made validation quadratic.
            if !seen.insert(d.id.as_str()) {
                let loc = self.manifest_location(Some(&d.id));
                self.errors.push(BankError::invalid(
                    loc,
                    format!("domain id \"{}\" is listed twice", d.id),
                ));
            }
            if !(d.weight.is_finite() && d.weight > 0.0) {
                let loc = self.manifest_location(Some(&d.id));
                self.errors.push(BankError::invalid(
                    loc,
                    format!(
                        "domain \"{}\" has weight {}; weights must be positive numbers",
                        d.id, d.weight
                    ),
                ));
            }
        }
        let total: f64 = m.domains.iter().map(|d| d.weight).sum();
        if !m.domains.is_empty() && (total - 100.0).abs() > 1e-6 {
            warnings.push(format!(
                "{}: domain weights sum to {total}, not 100; they are normalised",
                self.manifest_path.display()
            ));
        }
        warnings
    }

    fn check_question(
        &self,
        q: &Question,
        scenario_ids: &HashSet<&str>,
        domain_ids: &HashSet<&str>,
    ) -> Vec<String> {
        let mut problems = Vec::new();
        if !domain_ids.contains(q.domain.as_str()) {
            problems.push(format!(
                "domain \"{}\" is not one of the bank's domains ({}{})",
                q.domain,
                self.manifest
                    .domains
                    .iter()
                    .take(12)
                    .map(|d| d.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                match self.manifest.domains.len() {
                    n if n > 12 => format!(" and {} more", n - 12),
                    _ => String::new(),
                }
            ));
        }
        if let Some(s) = &q.scenario
            && !scenario_ids.contains(s.as_str())
        {
            problems.push(format!("scenario \"{s}\" is not defined in this bank"));
        }
        if q.stem.trim().is_empty() {
            problems.push("the stem is empty".into());
        }
        if q.stem.chars().count() > MAX_TEXT_CHARS {
            problems.push(format!(
                "the stem is longer than {MAX_TEXT_CHARS} characters"
            ));
        }
        let n = q.options.len();
        if !(MIN_OPTIONS..=MAX_OPTIONS).contains(&n) {
            problems.push(format!(
                "has {n} options; a question needs {MIN_OPTIONS} to {MAX_OPTIONS}"
            ));
        }
        let mut option_ids = HashSet::new();
        for o in &q.options {
            if !option_ids.insert(o.id.as_str()) {
                problems.push(format!("option id \"{}\" is used twice", o.id));
            }
            if o.text.trim().is_empty() {
                problems.push(format!("option \"{}\" has no text", o.id));
            }
            if o.text.chars().count() > MAX_TEXT_CHARS {
                problems.push(format!(
                    "option \"{}\" is longer than {MAX_TEXT_CHARS} characters",
                    o.id
                ));
            }
        }
        let correct = q.options.iter().filter(|o| o.correct).count();
        match q.kind {
            QuestionType::Single if correct != 1 => problems.push(format!(
                "type \"single\" needs exactly one correct option, found {correct}"
            )),
            QuestionType::Multiple if correct < 2 => problems.push(format!(
                "type \"multiple\" needs two or more correct options, found {correct}"
            )),
            QuestionType::TrueFalse => {
                let ids: Vec<&str> = q.options.iter().map(|o| o.id.as_str()).collect();
                if ids != ["a", "b"] {
                    problems.push(
                        "type \"true_false\" needs exactly two options, a (True) and b (False)"
                            .into(),
                    );
                }
                if correct != 1 {
                    problems.push(format!(
                        "type \"true_false\" needs exactly one correct option, found {correct}"
                    ));
                }
            }
            _ => {}
        }
        if let Some(d) = q.difficulty
            && !(1..=3).contains(&d)
        {
            problems.push(format!("difficulty is {d}; it must be 1, 2 or 3"));
        }
        problems.extend(self.image_problems("the stem", &q.stem));
        for o in &q.options {
            problems.extend(self.image_problems(&format!("option \"{}\"", o.id), &o.text));
            if let Some(e) = &o.explanation {
                problems.extend(
                    self.image_problems(&format!("the explanation of option \"{}\"", o.id), e),
                );
            }
        }
        if let Some(e) = &q.explanation {
            problems.extend(self.image_problems("the explanation", e));
        }
        problems
    }

    /// Images a text names that cannot be shown from this bank's folder (docs/bank-format.md,
    /// "Formatting"): web addresses, paths leaving the folder, and (for a bank on disk)
    /// files that are not there or are not PNG/JPEG.
    fn image_problems(&self, field: &str, text: &str) -> Vec<String> {
        if !text.contains("![") {
            return Vec::new();
        }
        crate::markup::images(text)
            .into_iter()
            .filter_map(|img| {
                let checked = if self.image_files_exist {
                    crate::markup::resolve_image(&self.root, &img.src).map(|_| ())
                } else {
                    crate::markup::image_path_shape(&img.src).map(|_| ())
                };
                checked.err().map(|e| format!("{field}: {e}"))
            })
            .collect()
    }

    fn finish(mut self) -> Result<Bank, Vec<BankError>> {
        let mut warnings = self.check_manifest();
        warnings.append(&mut self.extra_warnings);

        let mut scenarios = BTreeMap::new();
        for (s, file) in std::mem::take(&mut self.scenarios) {
            if s.text.chars().count() > MAX_TEXT_CHARS {
                self.errors.push(BankError::invalid(
                    self.locate(file, &s.id, false),
                    format!(
                        "scenario \"{}\" is longer than {MAX_TEXT_CHARS} characters",
                        s.id
                    ),
                ));
            }
            for problem in self.image_problems(&format!("scenario \"{}\"", s.id), &s.text) {
                self.errors
                    .push(BankError::invalid(self.locate(file, &s.id, false), problem));
            }
            if scenarios.contains_key(&s.id) {
                self.errors.push(BankError::invalid(
                    self.locate(file, &s.id, false),
                    format!("scenario id \"{}\" is defined twice", s.id),
                ));
            } else {
                scenarios.insert(s.id.clone(), s);
            }
        }
        let scenario_ids: HashSet<&str> = scenarios.keys().map(String::as_str).collect();
        let domain_ids: HashSet<&str> = self
            .manifest
            .domains
            .iter()
            .map(|d| d.id.as_str())
            .collect();

        let mut first_seen: HashMap<&str, usize> = HashMap::new();
        let mut problems = Vec::new();
        for (q, file) in &self.questions {
            if let Some(&prev_file) = first_seen.get(q.id.as_str()) {
                let prev = self.locate(prev_file, &q.id, false);
                // The second definition: find the id's next mention after the first one.
                let mut loc = self.locate(*file, &q.id, true);
                if prev_file == *file && self.files[*file].1 {
                    let needle = format!("\"{}\"", q.id);
                    let second = self.with_text(*file, |t| {
                        let at = t.match_indices(&needle).nth(1)?.0;
                        Some(line_column(t, at))
                    });
                    if let Some((l, c)) = second {
                        loc.line = Some(l);
                        loc.column = Some(c);
                    }
                }
                problems.push(BankError::invalid(
                    loc,
                    format!("id is used twice; it is first defined at {prev}"),
                ));
            } else {
                first_seen.insert(q.id.as_str(), *file);
            }
            let problems_here = self.check_question(q, &scenario_ids, &domain_ids);
            if !problems_here.is_empty() {
                let loc = self.locate(*file, &q.id, true);
                problems.extend(
                    problems_here
                        .into_iter()
                        .map(|p| BankError::invalid(loc.clone(), p)),
                );
            }
        }
        self.errors.extend(problems);
        if self.questions.is_empty() && self.errors.is_empty() {
            let loc = self.manifest_location(None);
            self.errors.push(BankError::invalid(
                loc,
                "the bank has no questions: add question files beside bank.json",
            ));
        }
        if !self.errors.is_empty() {
            return Err(self.errors);
        }

        let questions: Vec<Question> = self.questions.into_iter().map(|(q, _)| q).collect();
        let index = questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.clone(), i))
            .collect();
        let domain_index = self
            .manifest
            .domains
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        let mut by_domain: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, q) in questions.iter().enumerate() {
            by_domain.entry(q.domain.clone()).or_default().push(i);
        }
        let weight_total = self.manifest.domains.iter().map(|d| d.weight).sum();
        Ok(Bank {
            manifest: self.manifest,
            root: self.root,
            questions,
            scenarios,
            warnings,
            index,
            domain_index,
            by_domain,
            weight_total,
            built_in: false,
        })
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The outcome of loading every bank below a folder: the good ones, and each bad one with
/// its problems.
#[derive(Debug, Default)]
pub struct LoadReport {
    pub banks: Vec<Bank>,
    pub failures: Vec<BankFailure>,
}

#[derive(Debug)]
pub struct BankFailure {
    pub dir: PathBuf,
    pub errors: Vec<BankError>,
}

impl LoadReport {
    pub fn bank(&self, id: &str) -> Option<&Bank> {
        self.banks.iter().find(|b| b.id() == id)
    }
}

/// Load every bank found at `path`: the folder itself when it holds a `bank.json`, otherwise
/// each sub-folder that does. Banks are returned sorted by id.
pub fn load_banks(path: &Path) -> LoadReport {
    load_banks_with(path, &mut |_| {})
}

/// Where [`load_banks_with`] is: `done` of `total` bank folders read, `next` being read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadProgress {
    pub done: usize,
    pub total: usize,
    pub next: Option<PathBuf>,
}

/// [`load_banks`], telling `progress` before each bank folder and once at the end (the
/// window shows it while banks load on a helper thread).
pub fn load_banks_with(path: &Path, progress: &mut dyn FnMut(LoadProgress)) -> LoadReport {
    let mut report = LoadReport::default();
    let dirs: Vec<PathBuf> = if path.join(MANIFEST_FILE).is_file() {
        vec![path.to_path_buf()]
    } else {
        match std::fs::read_dir(path) {
            Ok(entries) => {
                let mut d: Vec<PathBuf> = entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.join(MANIFEST_FILE).is_file())
                    .collect();
                d.sort();
                d
            }
            Err(source) => {
                report.failures.push(BankFailure {
                    dir: path.to_path_buf(),
                    errors: vec![BankError::Io {
                        path: path.to_path_buf(),
                        source,
                    }],
                });
                return report;
            }
        }
    };
    let mut seen_ids: HashMap<String, PathBuf> = HashMap::new();
    let total = dirs.len();
    for (done, dir) in dirs.into_iter().enumerate() {
        progress(LoadProgress {
            done,
            total,
            next: Some(dir.clone()),
        });
        match load_bank(&dir) {
            Ok(bank) => {
                if let Some(prev) = seen_ids.get(bank.id()) {
                    report.failures.push(BankFailure {
                        dir: dir.clone(),
                        errors: vec![BankError::invalid(
                            Location {
                                path: dir.join(MANIFEST_FILE),
                                line: None,
                                column: None,
                                question: None,
                            },
                            format!(
                                "bank id \"{}\" is already used by {}",
                                bank.id(),
                                prev.display()
                            ),
                        )],
                    });
                    continue;
                }
                seen_ids.insert(bank.id().to_string(), dir.clone());
                report.banks.push(bank);
            }
            Err(errors) => report.failures.push(BankFailure { dir, errors }),
        }
    }
    report.banks.sort_by(|a, b| a.id().cmp(b.id()));
    progress(LoadProgress {
        done: total,
        total,
        next: None,
    });
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    const MANIFEST: &str = r#"{
  "format": "certprep-bank/1", "id": "t", "title": "T", "version": "1",
  "exam": { "questions": 2, "minutes": 5, "pass_percent": 70 },
  "domains": [ { "id": "a", "name": "A", "category": "C", "weight": 60 },
               { "id": "b", "name": "B", "category": "C", "weight": 40 } ]
}"#;

    fn q(id: &str, domain: &str, correct: &[&str]) -> String {
        let opts: Vec<String> = ["a", "b", "c"]
            .iter()
            .map(|o| {
                format!(
                    r#"{{"id":"{o}","text":"opt {o}","correct":{}}}"#,
                    correct.contains(o)
                )
            })
            .collect();
        format!(
            r#"{{"id":"{id}","domain":"{domain}","type":"single","stem":"Stem {id}?","options":[{}]}}"#,
            opts.join(",")
        )
    }

    #[test]
    fn loads_a_good_bank_with_both_file_shapes() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "bank.json", MANIFEST);
        write(
            dir.path(),
            "one.json",
            &format!("[{},{}]", q("q1", "a", &["a"]), q("q2", "b", &["c"])),
        );
        write(
            dir.path(),
            "sub/two.json",
            &format!(
                r#"{{"scenarios":[{{"id":"s1","text":"A district..."}}],"questions":[{}]}}"#,
                q("q3", "a", &["b"]).replacen(r#""type""#, r#""scenario":"s1","type""#, 1)
            ),
        );
        let bank = load_bank(dir.path()).expect("bank loads");
        assert_eq!(bank.questions.len(), 3);
        assert_eq!(bank.domain_counts(), vec![("a".into(), 2), ("b".into(), 1)]);
        assert_eq!(
            bank.scenario_text(bank.question("q3").unwrap()),
            Some("A district...")
        );
        assert!(bank.warnings.is_empty());
    }

    #[test]
    fn unknown_field_reports_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "bank.json", MANIFEST);
        write(
            dir.path(),
            "bad.json",
            "[\n  {\"id\":\"q1\",\"domain\":\"a\",\"type\":\"single\",\"stem\":\"S\",\n   \"options\":[{\"id\":\"a\",\"text\":\"x\",\"corect\":true}]}\n]",
        );
        let errs = load_bank(dir.path()).unwrap_err();
        assert_eq!(errs.len(), 1);
        let msg = errs[0].to_string();
        assert!(msg.contains("bad.json:3:"), "{msg}");
        assert!(msg.contains("unknown field `corect`"), "{msg}");
        assert!(!msg.contains(" at line "), "position said once: {msg}");
    }

    #[test]
    fn semantic_errors_name_the_question_and_its_line() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "bank.json", MANIFEST);
        write(
            dir.path(),
            "x.json",
            &format!(
                "[\n{},\n{},\n{}\n]",
                q("q1", "a", &["a", "b"]),
                q("q2", "zzz", &["a"]),
                q("q1", "b", &["a"])
            ),
        );
        let errs: Vec<String> = load_bank(dir.path())
            .unwrap_err()
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert!(
            errs.iter()
                .any(|e| e.contains("x.json:2:") && e.contains("exactly one correct")),
            "{errs:?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.contains("question `q2`") && e.contains("\"zzz\" is not one")),
            "{errs:?}"
        );
        assert!(errs.iter().any(|e| e.contains("used twice")), "{errs:?}");
    }

    #[test]
    fn option_count_true_false_and_scenario_rules() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "bank.json", MANIFEST);
        let tf_bad = r#"{"id":"t1","domain":"a","type":"true_false","stem":"S","options":[{"id":"a","text":"True","correct":true},{"id":"c","text":"False"}]}"#;
        let one_opt = r#"{"id":"o1","domain":"a","type":"single","stem":"S","options":[{"id":"a","text":"x","correct":true}]}"#;
        let scen = r#"{"id":"s1","domain":"a","type":"single","scenario":"nope","stem":"S","options":[{"id":"a","text":"x","correct":true},{"id":"b","text":"y"}]}"#;
        write(
            dir.path(),
            "x.json",
            &format!("[{tf_bad},{one_opt},{scen}]"),
        );
        let errs: Vec<String> = load_bank(dir.path())
            .unwrap_err()
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert!(errs.iter().any(|e| e.contains("a (True) and b (False)")));
        assert!(errs.iter().any(|e| e.contains("has 1 options")));
        assert!(errs.iter().any(|e| e.contains("scenario \"nope\"")));
    }

    #[test]
    fn bad_bank_is_skipped_and_others_load() {
        let root = tempfile::tempdir().unwrap();
        let good = root.path().join("good");
        let bad = root.path().join("bad");
        write(&good, "bank.json", MANIFEST);
        write(&good, "q.json", &format!("[{}]", q("q1", "a", &["a"])));
        write(&bad, "bank.json", &MANIFEST.replace("\"t\"", "\"u\""));
        write(&bad, "q.json", "[ { \"id\": ");
        let report = load_banks(root.path());
        assert_eq!(report.banks.len(), 1);
        assert_eq!(report.failures.len(), 1);
        assert!(
            report.failures[0].errors[0]
                .to_string()
                .contains("q.json:1:")
        );
    }

    #[test]
    fn weights_not_summing_to_100_warn_but_load() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "bank.json", &MANIFEST.replace("60", "30"));
        write(dir.path(), "q.json", &format!("[{}]", q("q1", "a", &["a"])));
        let bank = load_bank(dir.path()).unwrap();
        assert_eq!(bank.warnings.len(), 1);
        assert!(bank.warnings[0].contains("sum to 70"));
    }

    #[test]
    fn multiple_scoring_is_all_or_nothing() {
        let question: Question = serde_json::from_str(
            r#"{"id":"m","domain":"a","type":"multiple","stem":"Choose two.","options":[
            {"id":"a","text":"x","correct":true},{"id":"b","text":"y","correct":true},{"id":"c","text":"z"}]}"#,
        )
        .unwrap();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(question.is_correct(&s(&["b", "a"])));
        assert!(!question.is_correct(&s(&["a"])));
        assert!(!question.is_correct(&s(&["a", "b", "c"])));
        assert!(!question.is_correct(&[]));
    }
}
