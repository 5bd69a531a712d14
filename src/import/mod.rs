//! Importing questions from other tools into a certprep bank folder.
//!
//! - [`gift`]: Moodle's GIFT text format (and the way back, [`gift::export`]).
//! - [`csv`]: spreadsheet rows with the column layout in `docs/import.md`.
//! - [`aiken`]: Moodle's Aiken format (a question line, `A. option` lines, `ANSWER: X`).
//! - [`moodle_xml`]: Moodle XML question banks (and the way back, [`moodle_xml::export`]),
//!   with their embedded images.
//!
//! All produce an [`Import`]: the bank (manifest, scenarios, questions) plus every source
//! item that was skipped, with its line and the reason. [`write_bank`] writes it as a bank
//! folder that `certprep validate` accepts.

pub mod aiken;
pub mod csv;
pub mod gift;
pub mod html;
pub mod moodle_xml;

use crate::bank::{
    Bank, BankError, Domain, ExamDefaults, FORMAT_V1, MANIFEST_FILE, Manifest, Question, Scenario,
};
use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

/// Name of the question file an import writes beside `bank.json`.
pub const QUESTIONS_FILE: &str = "questions.json";

/// Longest id generated from a title or a spreadsheet cell.
const MAX_ID_CHARS: usize = 60;

/// A source item that did not become a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// 1-based line in the source file where the item starts.
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// The result of reading a source file: what will be written, and what will not.
#[derive(Debug, Clone)]
pub struct Import {
    pub manifest: Manifest,
    pub scenarios: Vec<Scenario>,
    pub questions: Vec<Question>,
    pub skipped: Vec<Skipped>,
    /// Imported, but with something lost or changed (e.g. partial credit); line and remark.
    pub notes: Vec<Skipped>,
    /// The source line where each imported question starts, by question id.
    pub lines: std::collections::HashMap<String, usize>,
    /// The character encoding the file was read as, when it was not UTF-8
    /// (`Some("Windows-1252")` for an older Excel CSV).
    pub encoding: Option<&'static str>,
    /// Images the source file carries (Moodle XML embeds them), written to [`IMAGES_DIR`]
    /// in the bank folder; the texts refer to them as `images/<name>`.
    pub images: Vec<ImportedImage>,
}

/// Folder inside a bank folder that holds an import's images.
pub const IMAGES_DIR: &str = "images";

/// An image from the source file. `name` is already safe as a file name (see
/// [`is_safe_image_name`]); [`write_bank`] checks again before writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedImage {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A plain file name for an image: ASCII letters, digits, `-` and `_`, one `.` before a
/// known image extension, at most 80 characters. No separator, no `..`, nothing hidden, so
/// it can only name a file inside `images/`.
pub fn is_safe_image_name(name: &str) -> bool {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    name.len() <= 80
        && !stem.is_empty()
        && stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && IMAGE_EXTENSIONS.contains(&ext)
}

/// The image files an import keeps: those a bank can show (`markup::IMAGE_EXTENSIONS`, PNG
/// and JPEG; never SVG, which can carry scripts).
pub const IMAGE_EXTENSIONS: &[&str] = &crate::markup::IMAGE_EXTENSIONS;

impl Import {
    /// Run certprep's own validator over the import, in memory.
    pub fn validate(&self) -> Result<Bank, Vec<BankError>> {
        Bank::from_parts(
            self.manifest.clone(),
            PathBuf::from("(import)"),
            self.scenarios.clone(),
            self.questions.clone(),
        )
    }

    /// The item-writing check over what would be imported, pointing at `source`'s lines.
    pub fn lint(&self, source: &Path) -> crate::lint::LintReport {
        crate::lint::lint_items(&self.questions, &self.scenarios, |id| {
            self.lines.get(id).map(|&line| crate::lint::SourcePos {
                path: source.to_path_buf(),
                line,
                column: 1,
            })
        })
    }
}

/// Options shared by the importers.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The new bank's id (lowercase letters, digits and `-`).
    pub bank_id: String,
    /// Title for the manifest; default: taken from the file, else the bank id.
    pub title: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("bank id \"{0}\" must use only lowercase letters, digits and '-'")]
    BadBankId(String),
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("{path} already holds files; choose an empty or new folder, or pass --force")]
    NotEmpty { path: PathBuf },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the written bank does not validate:\n{0}")]
    Validation(String),
}

pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `"Leadership & Vision"` → `"leadership-vision"`: ASCII letters and digits lowercased,
/// every other run of characters one `-`, at most 60 characters. Empty when nothing is left.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
            if out.len() >= MAX_ID_CHARS {
                break;
            }
        } else {
            dash = true;
        }
    }
    out
}

/// Hands out ids that are unique within one import: `base`, `base-2`, `base-3`, ...
/// Each base remembers the next number to try, so 40,000 questions with the same title
/// take linear time (counting up from 2 every time took 144 s).
#[derive(Debug, Default)]
pub(crate) struct UniqueIds {
    used: HashSet<String>,
    next: std::collections::HashMap<String, u64>,
}

impl UniqueIds {
    pub(crate) fn take(&mut self, base: &str) -> String {
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let n = self.next.entry(base.to_string()).or_insert(2);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
    pub(crate) fn contains(&self, id: &str) -> bool {
        self.used.contains(id)
    }
}

/// A manifest for an imported bank: domains weighted by their share of the questions
/// (in percent, so they add up to 100 up to rounding), a 50-question, 75-minute default exam.
pub(crate) fn default_manifest(
    opts: &ImportOptions,
    title: Option<String>,
    domains: Vec<Domain>,
) -> Manifest {
    Manifest {
        format: FORMAT_V1.to_string(),
        id: opts.bank_id.clone(),
        title: opts
            .title
            .clone()
            .or(title)
            .unwrap_or_else(|| title_from_id(&opts.bank_id)),
        version: "1".to_string(),
        exam: ExamDefaults {
            questions: 50,
            minutes: 75,
            pass_percent: 70.0,
        },
        domains,
    }
}

/// A readable title when the source names none: the id with spaces and a capital
/// ("spring-quiz-3" → "Spring quiz 3"), which the learner sees on Home until they rename it.
fn title_from_id(id: &str) -> String {
    let words = id.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => id.to_string(),
    }
}

/// Weights proportional to question counts, as percentages that sum to exactly 100 when
/// every domain has questions (largest remainder on hundredths).
pub(crate) fn weights_by_count(domains: &mut [Domain], questions: &[Question]) {
    let mut per: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for q in questions {
        *per.entry(q.domain.as_str()).or_default() += 1;
    }
    let counts: Vec<usize> = domains
        .iter()
        .map(|d| per.get(d.id.as_str()).copied().unwrap_or(0))
        .collect();
    let total: usize = counts.iter().sum();
    if total == 0 {
        return;
    }
    let fractions: Vec<f64> = counts.iter().map(|&c| c as f64 / total as f64).collect();
    let hundredths = crate::exam::largest_remainder(&fractions, 10_000);
    for (d, h) in domains.iter_mut().zip(hundredths) {
        // A domain with no questions still needs a positive weight to validate.
        d.weight = if h == 0 { 0.01 } else { h as f64 / 100.0 };
    }
}

/// Questions per exam: the bank's default exam asks at most as many as it holds.
pub(crate) fn fit_exam(manifest: &mut Manifest, questions: usize) {
    let n = (questions as u32).clamp(1, manifest.exam.questions.max(1));
    if n < manifest.exam.questions {
        manifest.exam.minutes = ((n as f64 * 1.5).ceil() as u32).max(1);
        manifest.exam.questions = n;
    }
}

/// Write `import` as a bank folder at `dir` (`bank.json`, `questions.json` and the images in
/// `images/`), then load it back with certprep's own loader. `dir` must be new or empty unless `force` is set, in
/// which case only those two files are replaced.
pub fn write_bank(import: &Import, dir: &Path, force: bool) -> Result<Bank, ImportError> {
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ImportError::Write { path, source }
    };
    if !force
        && let Ok(mut entries) = std::fs::read_dir(dir)
        && entries.next().is_some()
    {
        return Err(ImportError::NotEmpty {
            path: dir.to_path_buf(),
        });
    }
    std::fs::create_dir_all(dir).map_err(write_err(dir))?;
    let manifest_json = serde_json::to_string_pretty(&import.manifest)
        .map_err(|e| ImportError::Invalid(e.to_string()))?;
    let questions_json = if import.scenarios.is_empty() {
        serde_json::to_string_pretty(&import.questions)
    } else {
        serde_json::to_string_pretty(&serde_json::json!({
            "scenarios": import.scenarios,
            "questions": import.questions,
        }))
    }
    .map_err(|e| ImportError::Invalid(e.to_string()))?;
    let manifest_path = dir.join(MANIFEST_FILE);
    std::fs::write(&manifest_path, manifest_json + "\n").map_err(write_err(&manifest_path))?;
    let questions_path = dir.join(QUESTIONS_FILE);
    std::fs::write(&questions_path, questions_json + "\n").map_err(write_err(&questions_path))?;
    write_images(&import.images, dir)?;
    crate::bank::load_bank(dir).map_err(|errors| {
        ImportError::Validation(
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })
}

/// The import's images as files in `dir/images/`. A name that is not a plain image file name
/// is refused (the importers never make one; this is the last line of defence against a
/// path outside the bank folder).
fn write_images(images: &[ImportedImage], dir: &Path) -> Result<(), ImportError> {
    if images.is_empty() {
        return Ok(());
    }
    let folder = dir.join(IMAGES_DIR);
    std::fs::create_dir_all(&folder).map_err(|source| ImportError::Write {
        path: folder.clone(),
        source,
    })?;
    for image in images {
        if !is_safe_image_name(&image.name) {
            return Err(ImportError::Invalid(format!(
                "image name \"{}\" is not a plain file name; nothing more was written",
                image.name
            )));
        }
        let path = folder.join(&image.name);
        std::fs::write(&path, &image.bytes)
            .map_err(|source| ImportError::Write { path, source })?;
    }
    Ok(())
}

/// Checks certprep's validator makes on one question, run before a question is accepted so
/// that one bad item is skipped (with its line) instead of failing the whole bank.
pub(crate) fn question_problem(q: &Question) -> Option<String> {
    use crate::bank::{MAX_OPTIONS, MAX_TEXT_CHARS, MIN_OPTIONS, QuestionType};
    if q.stem.trim().is_empty() {
        return Some("the question has no text".into());
    }
    if q.stem.chars().count() > MAX_TEXT_CHARS {
        return Some(format!(
            "the question text is longer than {MAX_TEXT_CHARS} characters"
        ));
    }
    let n = q.options.len();
    if n < MIN_OPTIONS {
        return Some(format!(
            "{}; a question needs at least {MIN_OPTIONS}",
            crate::text::count(n, "answer", "answers")
        ));
    }
    if n > MAX_OPTIONS {
        return Some(format!(
            "{n} answers; certprep allows at most {MAX_OPTIONS}"
        ));
    }
    for (i, o) in q.options.iter().enumerate() {
        if o.text.trim().is_empty() {
            return Some(format!("answer {} has no text", i + 1));
        }
        if o.text.chars().count() > MAX_TEXT_CHARS {
            return Some(format!(
                "answer {} is longer than {MAX_TEXT_CHARS} characters",
                i + 1
            ));
        }
    }
    let correct = q.options.iter().filter(|o| o.correct).count();
    match q.kind {
        QuestionType::Single if correct != 1 => Some(format!(
            "single-answer question needs exactly one correct answer, found {correct}"
        )),
        QuestionType::Multiple if correct < 2 => Some(format!(
            "multiple-answer question needs two or more correct answers, found {correct}"
        )),
        QuestionType::TrueFalse if correct != 1 || n != 2 => {
            Some("true/false question needs exactly one correct answer of two".into())
        }
        _ => None,
    }
}

/// The lines of a text with their 1-based numbers. A line ends at `\r\n`, `\n` or a lone
/// `\r` (old Mac files), so a file written with any of the three reads the same. Linear.
pub(crate) fn split_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = Some(text);
    let mut n = 0usize;
    std::iter::from_fn(move || {
        let s = rest?;
        n += 1;
        match s.find(['\r', '\n']) {
            Some(i) => {
                let skip = if s[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&s[i + skip..]);
                Some((n, &s[..i]))
            }
            None => {
                rest = None;
                Some((n, s))
            }
        }
    })
}

/// A line that separates questions: empty once the characters PHP's `trim` removes
/// (space, tab, line breaks, NUL, vertical tab) are gone, as in Moodle. A line holding a
/// no-break space (U+00A0) or other Unicode space is not blank there, so not here either.
pub(crate) fn is_blank_line(line: &str) -> bool {
    line.chars()
        .all(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\0' | '\u{0B}'))
}

/// Option ids in order: `a`, `b`, ... `h`.
pub(crate) fn option_id(index: usize) -> String {
    char::from(b'a' + (index.min(25) as u8)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_untitled_import_is_titled_from_its_id() {
        assert_eq!(title_from_id("spring-quiz-3"), "Spring quiz 3");
        assert_eq!(title_from_id("cetl_week_2"), "Cetl week 2");
        assert_eq!(title_from_id("imported"), "Imported");
        assert_eq!(title_from_id("-"), "-");
    }

    #[test]
    fn slugify_keeps_ascii_alphanumerics() {
        assert_eq!(slugify("Leadership & Vision"), "leadership-vision");
        assert_eq!(slugify("  --Q1-- "), "q1");
        assert_eq!(slugify("日本語"), "");
        assert_eq!(slugify("Grant's tomb"), "grant-s-tomb");
        assert_eq!(slugify(&"x".repeat(100)).len(), 60);
    }

    #[test]
    fn lines_end_at_crlf_lf_or_a_lone_cr() {
        let lines: Vec<(usize, &str)> = split_lines("a\r\nb\nc\rd\r\re").collect();
        assert_eq!(
            lines,
            [(1, "a"), (2, "b"), (3, "c"), (4, "d"), (5, ""), (6, "e")]
        );
        assert_eq!(split_lines("").collect::<Vec<_>>(), [(1, "")]);
        assert_eq!(split_lines("x\n").collect::<Vec<_>>(), [(1, "x"), (2, "")]);
        assert!(is_blank_line(" \t"));
        assert!(!is_blank_line("\u{a0}"));
    }

    #[test]
    fn unique_ids_add_suffixes() {
        let mut u = UniqueIds::default();
        assert_eq!(u.take("q"), "q");
        assert_eq!(u.take("q"), "q-2");
        assert_eq!(u.take("q"), "q-3");
    }
}
