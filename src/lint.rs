//! Item-writing checks for anyone who writes a bank: does anything but knowledge give the key
//! away? (`certprep lint`, and the Import preview.)
//!
//! Two kinds of finding:
//! - **Cues over the whole bank**: for each cue (a self-justifying clause, an absolute word,
//!   student/stakeholder words, …) the share of keys and of distractors that carry it. A cue that
//!   is much more common on one side lets a test-wise reader pick the key without the
//!   knowledge; so do a key that is usually the longest option and keys bunched in one position.
//! - **Per item**: the key is the only long option, "all/none of the above", a mirror-image pair
//!   of options, a "choose N" stem that disagrees with its keys, a scenario no question uses or
//!   whose facts the item never mentions, the same district given two enrolments.
//!
//! A cue "leaks" only when the difference is both large (≥ [`LEAK_MIN_POINTS`] percentage points
//! and ≥ [`LEAK_MIN_RATIO`] times) and unlikely to be chance (two-proportion z ≥ [`LEAK_MIN_Z`]),
//! so a 20-question quiz is not flagged for noise and a 450-question bank is not excused.
//! True/false items are left out of cue and position figures: their two options are fixed.
//!
//! Everything here is linear in the size of the bank's text.

use crate::bank::{Bank, Question, QuestionType, Scenario};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

pub const LEAK_MIN_POINTS: f64 = 0.08;
pub const LEAK_MIN_RATIO: f64 = 1.5;
pub const LEAK_MIN_Z: f64 = 2.0;

/// A place in a source file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePos {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for SourcePos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
    }
}

/// Wording patterns that, in the first CETL bank, told keys from distractors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    /// "…, since …", "because", "so that", "to ensure": distractors that argue for themselves.
    Justification,
    /// "only", "all", "never", "always", …
    Absolute,
    /// students, learning, equity, stakeholders, families, evidence, data, collaboration
    PeopleAndEvidence,
    /// plan, review, assess, pilot, policy, board, committee, process
    Process,
    /// not, no, without, instead
    Negation,
    /// may, might, consider, could, usually
    Hedge,
}

impl Cue {
    pub const ALL: [Cue; 6] = [
        Cue::Justification,
        Cue::Absolute,
        Cue::PeopleAndEvidence,
        Cue::Process,
        Cue::Negation,
        Cue::Hedge,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Cue::Justification => "self-justifying clause (since, because, so that, to ensure)",
            Cue::Absolute => "absolute word (only, all, never, always, any, every)",
            Cue::PeopleAndEvidence => "students, stakeholders, equity, evidence, data words",
            Cue::Process => "process words (plan, review, assess, pilot, policy, board)",
            Cue::Negation => "negation (not, no, without, instead)",
            Cue::Hedge => "hedge (may, might, consider, could, usually)",
        }
    }

    /// Phrases as lowercase word sequences; a word ending in `*` matches any word it begins.
    fn phrases(self) -> &'static [&'static [&'static str]] {
        match self {
            Cue::Justification => &[
                &["since"],
                &["because"],
                &["so", "that"],
                &["so", "as", "to"],
                &["in", "order", "to"],
                &["to", "ensure"],
                &["which", "ensures"],
                &["ensuring"],
            ],
            Cue::Absolute => &[
                &["only"],
                &["all"],
                &["never"],
                &["always"],
                &["any"],
                &["every"],
                &["automatically"],
                &["solely"],
                &["entirely"],
                &["none"],
                &["immediately"],
                &["completely"],
            ],
            Cue::PeopleAndEvidence => &[
                &["student"],
                &["students"],
                &["learning"],
                &["learner"],
                &["learners"],
                &["equity"],
                &["equitable"],
                &["stakeholder"],
                &["stakeholders"],
                &["families"],
                &["parents"],
                &["community"],
                &["evidence"],
                &["data"],
                &["collaborat*"],
                &["input"],
                &["feedback"],
                &["team"],
            ],
            Cue::Process => &[
                &["plan*"],
                &["review*"],
                &["assess*"],
                &["pilot*"],
                &["polic*"],
                &["board"],
                &["committee"],
                &["process"],
                &["framework"],
            ],
            Cue::Negation => &[
                &["not"],
                &["no"],
                &["without"],
                &["nor"],
                &["cannot"],
                &["don't"],
                &["doesn't"],
                &["instead"],
            ],
            Cue::Hedge => &[
                &["may"],
                &["might"],
                &["consider*"],
                &["could"],
                &["likely"],
                &["usually"],
                &["typically"],
                &["generally"],
            ],
        }
    }

    /// Whether `words` (lowercase) contain one of this cue's phrases.
    pub fn found_in(self, words: &[String]) -> bool {
        self.phrases().iter().any(|phrase| {
            words.windows(phrase.len()).any(|w| {
                w.iter()
                    .zip(phrase.iter())
                    .all(|(word, p)| match p.strip_suffix('*') {
                        Some(stem) => word.starts_with(stem),
                        None => word == p,
                    })
            })
        })
    }
}

/// Lowercase words: letters, digits and inner apostrophes.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(|c| c == '\'' || c == '’').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Two proportions and whether their difference gives keys away.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Split {
    pub in_keys: usize,
    pub keys: usize,
    pub in_distractors: usize,
    pub distractors: usize,
}

impl Split {
    pub fn key_rate(&self) -> f64 {
        ratio(self.in_keys, self.keys)
    }
    pub fn distractor_rate(&self) -> f64 {
        ratio(self.in_distractors, self.distractors)
    }
    /// Two-proportion z statistic (pooled), 0 when either side is empty.
    pub fn z(&self) -> f64 {
        let (n1, n2) = (self.keys as f64, self.distractors as f64);
        if n1 == 0.0 || n2 == 0.0 {
            return 0.0;
        }
        let p = (self.in_keys + self.in_distractors) as f64 / (n1 + n2);
        let se = (p * (1.0 - p) * (1.0 / n1 + 1.0 / n2)).sqrt();
        if se == 0.0 {
            0.0
        } else {
            (self.key_rate() - self.distractor_rate()) / se
        }
    }
    pub fn leaks(&self) -> bool {
        let (k, d) = (self.key_rate(), self.distractor_rate());
        let (lo, hi) = (k.min(d), k.max(d));
        hi - lo >= LEAK_MIN_POINTS
            && (lo == 0.0 || hi / lo >= LEAK_MIN_RATIO)
            && self.z().abs() >= LEAK_MIN_Z
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CueRate {
    pub cue: Cue,
    pub split: Split,
}

/// How often the key sits at each option position, against what chance gives.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Positions {
    pub items: usize,
    /// Keys seen at position i (0 = the first option in the file).
    pub keys_at: Vec<usize>,
    /// Items that have a position i.
    pub items_with: Vec<usize>,
    /// Expected keys at position i if keys were placed at random.
    pub expected_at: Vec<f64>,
}

impl Positions {
    fn add(&mut self, q: &Question) {
        let n = q.options.len();
        if self.keys_at.len() < n {
            self.keys_at.resize(n, 0);
            self.items_with.resize(n, 0);
            self.expected_at.resize(n, 0.0);
        }
        self.items += 1;
        let keys = q.options.iter().filter(|o| o.correct).count() as f64;
        for (i, o) in q.options.iter().enumerate() {
            self.keys_at[i] += o.correct as usize;
            self.items_with[i] += 1;
            self.expected_at[i] += keys / n as f64;
        }
    }

    /// Positions holding notably more or fewer keys than chance (binomial z ≥ 2.5 and at least
    /// 8 points of the items off).
    pub fn skewed(&self) -> Vec<usize> {
        (0..self.keys_at.len())
            .filter(|&i| {
                let n = self.items_with[i] as f64;
                if n < 10.0 {
                    return false;
                }
                let p = self.expected_at[i] / n;
                let sd = (n * p * (1.0 - p)).sqrt();
                let off = self.keys_at[i] as f64 - self.expected_at[i];
                sd > 0.0 && (off / sd).abs() >= 2.5 && (off / n).abs() >= 0.08
            })
            .collect()
    }

    pub fn describe(&self) -> String {
        (0..self.keys_at.len())
            .map(|i| {
                format!(
                    "{} {:.0}%",
                    option_letter(i),
                    100.0 * ratio(self.keys_at[i], self.items_with[i])
                )
            })
            .collect::<Vec<_>>()
            .join("  ")
    }
}

fn option_letter(i: usize) -> char {
    char::from(b'a' + i.min(25) as u8)
}

/// Where the key of a single-answer item ranks by length among its options.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct KeyLength {
    pub items: usize,
    /// Items whose key is at least as long as every other option.
    pub key_longest: usize,
    pub expected_longest: f64,
    /// Σ rank (1 = longest; ties share the better rank) and Σ of its expectation and variance.
    pub rank_sum: f64,
    pub expected_rank_sum: f64,
    rank_variance_sum: f64,
}

impl KeyLength {
    fn add(&mut self, q: &Question) {
        let lens: Vec<usize> = q.options.iter().map(|o| o.text.chars().count()).collect();
        let Some(k) = q.options.iter().position(|o| o.correct) else {
            return;
        };
        // Rank 1 = longest; tied options share the better rank. What chance gives is the
        // same statistic for an option picked at random, ties included: four options of equal
        // length all rank 1, and then "the key is the longest" says nothing.
        let rank_of = |l: usize| 1 + lens.iter().filter(|&&m| m > l).count();
        let ranks: Vec<f64> = lens.iter().map(|&l| rank_of(l) as f64).collect();
        let n = ranks.len() as f64;
        let mean = ranks.iter().sum::<f64>() / n;
        let rank = rank_of(lens[k]) as f64;
        self.items += 1;
        self.key_longest += (rank == 1.0) as usize;
        self.expected_longest += ranks.iter().filter(|&&r| r == 1.0).count() as f64 / n;
        self.rank_sum += rank;
        self.expected_rank_sum += mean;
        self.rank_variance_sum += ranks.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / n;
    }

    pub fn longest_share(&self) -> f64 {
        ratio(self.key_longest, self.items)
    }
    pub fn mean_rank(&self) -> f64 {
        self.rank_sum / self.items.max(1) as f64
    }
    pub fn expected_mean_rank(&self) -> f64 {
        self.expected_rank_sum / self.items.max(1) as f64
    }
    /// The key is the longest option notably more often than chance.
    pub fn longest_leaks(&self) -> bool {
        let n = self.items as f64;
        if n < 10.0 {
            return false;
        }
        let p = self.expected_longest / n;
        let sd = (n * p * (1.0 - p)).sqrt();
        let off = self.key_longest as f64 - self.expected_longest;
        off / n >= LEAK_MIN_POINTS && sd > 0.0 && off / sd >= LEAK_MIN_Z
    }
    /// Keys rank systematically long or short (mean rank off by ≥ 0.25 and z ≥ 2).
    pub fn rank_leaks(&self) -> bool {
        if self.items < 10 {
            return false;
        }
        let off = self.rank_sum - self.expected_rank_sum;
        let sd = self.rank_variance_sum.sqrt();
        (off / self.items as f64).abs() >= 0.25 && sd > 0.0 && (off / sd).abs() >= LEAK_MIN_Z
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One item-level finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub at: Option<SourcePos>,
    /// Question (or scenario) id.
    pub item: String,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(at) = &self.at {
            write!(f, "{at}: ")?;
        }
        let kind = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{}: {kind}: {}", self.item, self.message)
    }
}

/// Everything `certprep lint` says about a set of items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LintReport {
    pub items: usize,
    pub singles: usize,
    pub multiples: usize,
    pub true_false: usize,
    pub cues: Vec<CueRate>,
    pub single_positions: Positions,
    pub multiple_positions: Positions,
    pub key_length: KeyLength,
    pub families: Families,
    pub findings: Vec<Finding>,
}

/// Single-answer items that share their four option texts with others ("option families",
/// as in extended-matching items). A reader who sees only the options cannot tell the members
/// apart, so a family of k members with all-different keys holds an options-only guess to at
/// most one right in k.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Families {
    pub single_items: usize,
    /// Families of [`FAMILY_MIN`] or more members whose keys all differ.
    pub families: usize,
    /// Single items in such families.
    pub covered: usize,
}

/// The smallest family that holds an options-only guess to one in three.
pub const FAMILY_MIN: usize = 3;

impl Families {
    pub fn share(&self) -> f64 {
        ratio(self.covered, self.single_items)
    }
}

impl LintReport {
    /// One line per bank-level cue that gives keys away.
    pub fn leaks(&self) -> Vec<String> {
        let mut out = Vec::new();
        for c in self.cues.iter().filter(|c| c.split.leaks()) {
            out.push(format!(
                "{}: in {:.0}% of keys ({}/{}) but {:.0}% of distractors ({}/{})",
                c.cue.label(),
                100.0 * c.split.key_rate(),
                c.split.in_keys,
                c.split.keys,
                100.0 * c.split.distractor_rate(),
                c.split.in_distractors,
                c.split.distractors
            ));
        }
        let kl = &self.key_length;
        if kl.longest_leaks() {
            out.push(format!(
                "the key is the longest option in {:.0}% of single-answer items ({}/{}); chance is {:.0}%",
                100.0 * kl.longest_share(),
                kl.key_longest,
                kl.items,
                100.0 * kl.expected_longest / kl.items.max(1) as f64
            ));
        }
        if kl.rank_leaks() {
            out.push(format!(
                "keys rank {:.2} by length on average (1 = longest); chance is {:.2}",
                kl.mean_rank(),
                kl.expected_mean_rank()
            ));
        }
        for (label, p) in [
            ("single-answer", &self.single_positions),
            ("choose-N", &self.multiple_positions),
        ] {
            for i in p.skewed() {
                out.push(format!(
                    "{label} keys sit at position {} in {:.0}% of items ({}/{}); chance is {:.0}%",
                    option_letter(i),
                    100.0 * ratio(p.keys_at[i], p.items_with[i]),
                    p.keys_at[i],
                    p.items_with[i],
                    100.0 * p.expected_at[i] / p.items_with[i].max(1) as f64
                ));
            }
        }
        out
    }

    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }

    /// The whole report as text, as `certprep lint` prints it.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} items: {} single, {} choose-N, {} true/false",
            self.items, self.singles, self.multiples, self.true_false
        );
        let _ = writeln!(s, "\n{:<62} {:>16} {:>16}", "cue", "keys", "distractors");
        for c in &self.cues {
            let k = format!(
                "{:.0}% ({}/{})",
                100.0 * c.split.key_rate(),
                c.split.in_keys,
                c.split.keys
            );
            let d = format!(
                "{:.0}% ({}/{})",
                100.0 * c.split.distractor_rate(),
                c.split.in_distractors,
                c.split.distractors
            );
            let flag = if c.split.leaks() { "  LEAKS" } else { "" };
            let _ = writeln!(s, "{:<62} {k:>16} {d:>16}{flag}", c.cue.label());
        }
        let kl = &self.key_length;
        if kl.items > 0 {
            let _ = writeln!(
                s,
                "{:<62} {:>16} {:>16}{}",
                "key is the longest option (single)",
                format!("{:.0}%", 100.0 * kl.longest_share()),
                format!(
                    "chance {:.0}%",
                    100.0 * kl.expected_longest / kl.items as f64
                ),
                if kl.longest_leaks() { "  LEAKS" } else { "" }
            );
            let _ = writeln!(
                s,
                "{:<62} {:>16} {:>16}{}",
                "key's mean length rank (1 = longest)",
                format!("{:.2}", kl.mean_rank()),
                format!("chance {:.2}", kl.expected_mean_rank()),
                if kl.rank_leaks() { "  LEAKS" } else { "" }
            );
        }
        for (label, p) in [
            ("single-answer key positions", &self.single_positions),
            ("choose-N key positions", &self.multiple_positions),
        ] {
            if p.items > 0 {
                let flag = if p.skewed().is_empty() { "" } else { "  LEAKS" };
                let _ = writeln!(s, "{label:<30} {}{flag}", p.describe());
            }
        }
        if self.families.single_items > 0 {
            let _ = writeln!(
                s,
                "{:<30} {} of {} single-answer items ({:.0}%) in {} families of {FAMILY_MIN}+ with all-different keys",
                "option families",
                self.families.covered,
                self.families.single_items,
                100.0 * self.families.share(),
                self.families.families
            );
        }
        let leaks = self.leaks();
        if leaks.is_empty() {
            let _ = writeln!(s, "\nno cue gives keys away");
        } else {
            let _ = writeln!(s);
            for l in &leaks {
                let _ = writeln!(s, "leak: {l}");
            }
        }
        if !self.findings.is_empty() {
            let _ = writeln!(s);
            for f in &self.findings {
                let _ = writeln!(s, "{f}");
            }
        }
        let _ = writeln!(
            s,
            "\n{}, {}, {}",
            crate::text::count(leaks.len(), "leaking cue", "leaking cues"),
            crate::text::count(self.warnings(), "warning", "warnings"),
            crate::text::count(self.errors(), "error", "errors")
        );
        s
    }
}

/// Lint a loaded bank, pointing findings at `file:line:column` in its question files.
pub fn lint_bank(bank: &Bank) -> LintReport {
    let positions = if bank.is_built_in() {
        // A built-in bank's files are in the binary, under the paths its findings name.
        let mut positions = IdPositions::default();
        for (path, text) in crate::shipped::texts_of(bank) {
            positions.scan_text(&path, text);
        }
        positions
    } else {
        IdPositions::scan(&bank.root)
    };
    lint_items(
        &bank.questions,
        &bank.scenarios.values().cloned().collect::<Vec<_>>(),
        |id| positions.get(id),
    )
}

/// Lint questions held in memory; `locate` gives a question's or scenario's source position.
pub fn lint_items(
    questions: &[Question],
    scenarios: &[Scenario],
    locate: impl Fn(&str) -> Option<SourcePos>,
) -> LintReport {
    let mut report = LintReport {
        items: questions.len(),
        cues: Cue::ALL
            .iter()
            .map(|&cue| CueRate {
                cue,
                split: Split {
                    in_keys: 0,
                    keys: 0,
                    in_distractors: 0,
                    distractors: 0,
                },
            })
            .collect(),
        ..LintReport::default()
    };
    let scenario_by_id: HashMap<&str, &Scenario> =
        scenarios.iter().map(|s| (s.id.as_str(), s)).collect();
    let finding = |item: &str, severity: Severity, message: String| Finding {
        at: locate(item),
        item: item.to_string(),
        severity,
        message,
    };
    let mut findings = Vec::new();
    let mut used_scenarios = HashSet::new();
    let mut stems: HashMap<(String, Option<&str>), &str> = HashMap::new();
    for q in questions {
        match q.kind {
            QuestionType::Single => report.singles += 1,
            QuestionType::Multiple => report.multiples += 1,
            QuestionType::TrueFalse => report.true_false += 1,
        }
        if let Some(s) = &q.scenario {
            used_scenarios.insert(s.as_str());
        }
        let stem_key = (words(&q.stem).join(" "), q.scenario.as_deref());
        if let Some(first) = stems.insert(stem_key, &q.id) {
            findings.push(finding(
                &q.id,
                Severity::Warning,
                format!("same stem as `{first}`"),
            ));
        }
        for message in item_messages(q, &mut report) {
            findings.push(finding(&q.id, message.0, message.1));
        }
        if let Some(s) = q.scenario.as_deref().and_then(|s| scenario_by_id.get(s))
            && !mentions_scenario_facts(q, s)
        {
            findings.push(finding(
                &q.id,
                Severity::Warning,
                format!(
                    "nothing in the item (stem, options, explanations) mentions a fact of scenario `{}` (a number or a name): check it cannot be answered without the scenario",
                    s.id
                ),
            ));
        }
    }
    let (families, family_findings) = families(questions);
    report.families = families;
    for (item, message) in family_findings {
        findings.push(finding(&item, Severity::Warning, message));
    }
    for s in scenarios {
        if !used_scenarios.contains(s.id.as_str()) {
            findings.push(finding(
                &s.id,
                Severity::Warning,
                "scenario is not used by any question".to_string(),
            ));
        }
    }
    for (name, mentions) in district_enrolments(questions, scenarios) {
        let sizes: BTreeMap<&str, &str> = mentions
            .iter()
            .map(|(n, item)| (n.as_str(), item.as_str()))
            .collect();
        if sizes.len() > 1 {
            let listed = listed(
                sizes
                    .iter()
                    .map(|(n, item)| format!("{n} students in `{item}`")),
                sizes.len(),
            );
            for item in sizes.values() {
                findings.push(finding(
                    item,
                    Severity::Warning,
                    format!("{name} is given different enrolments: {listed}"),
                ));
            }
        }
    }
    findings.sort_by(|a, b| {
        let key = |f: &Finding| {
            f.at.as_ref()
                .map(|p| (p.path.clone(), p.line, p.column))
                .unwrap_or_default()
        };
        key(a).cmp(&key(b)).then(a.item.cmp(&b.item))
    });
    report.findings = findings;
    report
}

/// How many entries a message that is repeated for each of them lists; the rest are counted.
const LISTED: usize = 6;

/// "a, b, c" — or the first [`LISTED`] and "and N more", so that messages repeated for each
/// of `len` entries stay linear in total.
fn listed(entries: impl Iterator<Item = String>, len: usize) -> String {
    let mut out = entries.take(LISTED).collect::<Vec<_>>().join(", ");
    if len > LISTED {
        out.push_str(&format!(" and {} more", len - LISTED));
    }
    out
}

/// Group single-answer items by their set of option texts (whitespace-normalised, in any
/// order); report coverage, and members of a shared set whose keys repeat.
fn families(questions: &[Question]) -> (Families, Vec<(String, String)>) {
    let norm = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut groups: BTreeMap<Vec<String>, Vec<(&str, String)>> = BTreeMap::new();
    let mut out = Families::default();
    for q in questions.iter().filter(|q| q.kind == QuestionType::Single) {
        out.single_items += 1;
        let mut set: Vec<String> = q.options.iter().map(|o| norm(&o.text)).collect();
        set.sort();
        let key = q
            .options
            .iter()
            .find(|o| o.correct)
            .map(|o| norm(&o.text))
            .unwrap_or_default();
        groups.entry(set).or_default().push((q.id.as_str(), key));
    }
    let mut findings = Vec::new();
    for members in groups.values().filter(|m| m.len() > 1) {
        let keys: HashSet<&str> = members.iter().map(|(_, k)| k.as_str()).collect();
        // Each member's message names at most LISTED of the family: naming all of them made
        // a 40,000-member family (one option set throughout a file) a 24 GB, quadratic report.
        let ids = listed(
            members.iter().map(|(id, _)| format!("`{id}`")),
            members.len(),
        );
        if keys.len() < members.len() {
            for (id, _) in members {
                findings.push((
                    id.to_string(),
                    format!(
                        "shares its options with {ids} and a key with one of them: an options-only reader gets both"
                    ),
                ));
            }
        } else if members.len() >= FAMILY_MIN {
            out.families += 1;
            out.covered += members.len();
        }
    }
    (out, findings)
}

/// The cue, position and length tallies of one item, and its own findings.
fn item_messages(q: &Question, report: &mut LintReport) -> Vec<(Severity, String)> {
    let mut out = Vec::new();
    for o in &q.options {
        let t = o.text.to_lowercase();
        if ["all of the above", "none of the above", "both of the above"]
            .iter()
            .any(|p| t.contains(p))
        {
            out.push((
                Severity::Warning,
                format!(
                    "option {} is \"{}\": write a real option instead",
                    o.id,
                    o.text.trim()
                ),
            ));
        }
    }
    if q.kind == QuestionType::TrueFalse {
        return out;
    }
    let option_words: Vec<Vec<String>> = q.options.iter().map(|o| words(&o.text)).collect();
    for (o, w) in q.options.iter().zip(&option_words) {
        for c in report.cues.iter_mut() {
            let hit = c.cue.found_in(w) as usize;
            if o.correct {
                c.split.keys += 1;
                c.split.in_keys += hit;
            } else {
                c.split.distractors += 1;
                c.split.in_distractors += hit;
            }
        }
    }
    match q.kind {
        QuestionType::Single => {
            report.single_positions.add(q);
            report.key_length.add(q);
            if let Some(m) = lonely_long_key(q) {
                out.push((Severity::Warning, m));
            }
        }
        QuestionType::Multiple => {
            report.multiple_positions.add(q);
            let keys = q.options.iter().filter(|o| o.correct).count();
            match stated_count(&q.stem) {
                Some(n) if n != keys => out.push((
                    Severity::Error,
                    format!("the stem asks for {n} choices but {keys} options are correct"),
                )),
                None => out.push((
                    Severity::Warning,
                    format!("a choose-N item should say how many to choose ({keys})"),
                )),
                _ => {}
            }
        }
        QuestionType::TrueFalse => {}
    }
    if let Some(m) = mirror_pair(q, &option_words) {
        out.push((Severity::Warning, m));
    }
    if let Some(m) = unemphasised_negative(&q.stem) {
        out.push((Severity::Warning, m));
    }
    out
}

/// The key is much longer than every other option (≥ 1.25 times the next, 30+ characters).
fn lonely_long_key(q: &Question) -> Option<String> {
    let k = q.options.iter().position(|o| o.correct)?;
    let key_len = q.options[k].text.chars().count();
    let next = q
        .options
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != k)
        .map(|(_, o)| o.text.chars().count())
        .max()?;
    (key_len >= 30 && key_len as f64 >= 1.25 * next as f64).then(|| {
        format!("the key is the only long option ({key_len} characters; the next is {next})")
    })
}

/// Two options that differ in a word or two while another option is unlike them: a reader
/// guesses the key is one of the pair. Options that are all parallel (four dates, four forms,
/// four figures) are the good case and are not flagged.
fn mirror_pair(q: &Question, option_words: &[Vec<String>]) -> Option<String> {
    // Words that make a difference of fact, not of stance: numbers, months, weekdays.
    let factual = |w: &str| {
        w.chars().any(|c| c.is_ascii_digit())
            || [
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
            ]
            .contains(&w)
    };
    // Same length, one or two words apart, and at least one of them a word of stance.
    let near = |a: &[String], b: &[String]| {
        let n = a.len();
        n >= 3 && n == b.len() && {
            let diffs: Vec<(&String, &String)> = a.iter().zip(b).filter(|(x, y)| x != y).collect();
            !diffs.is_empty()
                && diffs.len() <= if n <= 4 { 1 } else { 2 }
                && diffs.iter().any(|(x, y)| !factual(x) && !factual(y))
        }
    };
    // At least half of the longer option's distinct words are shared.
    let alike = |a: &[String], b: &[String]| {
        let (a, b): (HashSet<&String>, HashSet<&String>) = (a.iter().collect(), b.iter().collect());
        let longer = a.len().max(b.len()).max(1);
        2 * a.intersection(&b).count() >= longer
    };
    let n = option_words.len();
    for i in 0..n {
        for j in i + 1..n {
            if !near(&option_words[i], &option_words[j]) {
                continue;
            }
            let stands_out = (0..n)
                .filter(|k| *k != i && *k != j)
                .any(|k| !alike(&option_words[k], &option_words[i]));
            if !stands_out {
                continue;
            }
            let key_inside = q.options[i].correct || q.options[j].correct;
            return Some(format!(
                "options {} and {} are mirror images of each other{}",
                q.options[i].id,
                q.options[j].id,
                if key_inside {
                    " and the key is one of them"
                } else {
                    ""
                }
            ));
        }
    }
    None
}

/// "Which … not …?" with the negative in lower case: easy to misread.
fn unemphasised_negative(stem: &str) -> Option<String> {
    let last = stem
        .trim_end()
        .rsplit_terminator(['.', '!'])
        .next()
        .unwrap_or(stem);
    let ws: Vec<&str> = last
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let asks = ws
        .first()
        .is_some_and(|w| ["Which", "What", "Who", "When"].contains(w));
    let neg = ws.iter().find(|w| ["not", "except", "least"].contains(w))?;
    asks.then(|| {
        format!(
            "negative stem: write \"{}\" in capitals",
            neg.to_uppercase()
        )
    })
}

/// "Choose two", "select 3", "pick three": the number a stem asks for.
pub fn stated_count(stem: &str) -> Option<usize> {
    let ws = words(stem);
    ws.windows(2).find_map(|w| {
        if !["choose", "select", "pick", "identify", "mark"].contains(&w[0].as_str()) {
            return None;
        }
        match w[1].as_str() {
            "two" | "2" => Some(2),
            "three" | "3" => Some(3),
            "four" | "4" => Some(4),
            "five" | "5" => Some(5),
            _ => None,
        }
    })
}

/// Numbers and names of a scenario that the item mentions somewhere.
fn mentions_scenario_facts(q: &Question, s: &Scenario) -> bool {
    let facts = salient_tokens(&s.text);
    if facts.is_empty() {
        return true;
    }
    let mut item_text = q.stem.clone();
    for o in &q.options {
        item_text.push(' ');
        item_text.push_str(&o.text);
        if let Some(e) = &o.explanation {
            item_text.push(' ');
            item_text.push_str(e);
        }
    }
    if let Some(e) = &q.explanation {
        item_text.push(' ');
        item_text.push_str(e);
    }
    let said = salient_tokens(&item_text);
    facts.iter().any(|f| said.contains(f))
}

/// Numbers (digits, without separators) and capitalised words that do not open a sentence.
fn salient_tokens(text: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut sentence_start = true;
    for raw in text.split_whitespace() {
        let w: String = raw
            .trim_matches(|c: char| !c.is_alphanumeric())
            .chars()
            .filter(|c| *c != ',')
            .collect();
        if !w.is_empty() {
            if w.chars().any(|c| c.is_ascii_digit()) {
                out.insert(w.to_lowercase());
            } else if !sentence_start
                && w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().count() > 2
            {
                out.insert(w.to_lowercase());
            }
        }
        let title = ["Dr.", "Mr.", "Ms.", "Mrs.", "St."].contains(&raw);
        sentence_start = raw.ends_with(['.', '?', '!', ':']) && !title;
    }
    out
}

const DISTRICT_SUFFIXES: [&[&str]; 5] = [
    &["School", "District"],
    &["Public", "Schools"],
    &["County", "Schools"],
    &["Schools"],
    &["District"],
];

/// District names followed, in the same sentence, by "N students": name → (N, item id).
fn district_enrolments(
    questions: &[Question],
    scenarios: &[Scenario],
) -> BTreeMap<String, Vec<(String, String)>> {
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let texts = scenarios
        .iter()
        .map(|s| (s.id.as_str(), s.text.as_str()))
        .chain(questions.iter().map(|q| (q.id.as_str(), q.stem.as_str())));
    for (item, text) in texts {
        for sentence in text.split_inclusive(['.', ';']) {
            let tokens: Vec<&str> = sentence.split_whitespace().collect();
            let Some((name, after)) = district_name(&tokens) else {
                continue;
            };
            // The enrolment of the district itself: "(N students" right after the name, or
            // "N students" a few words on, with no school named in between ("… District
            // elementary school (520 students)" is that school's size).
            let window = &tokens[after..tokens.len().min(after + 10)];
            let school_between = |upto: usize| {
                window[..upto].iter().any(|t| {
                    let t = t
                        .trim_matches(|c: char| !c.is_alphanumeric())
                        .to_lowercase();
                    [
                        "school",
                        "schools",
                        "elementary",
                        "middle",
                        "high",
                        "campus",
                        "academy",
                    ]
                    .contains(&t.as_str())
                })
            };
            let count = window.windows(2).enumerate().find_map(|(i, w)| {
                if school_between(i) {
                    return None;
                }
                let n = w[0].trim_start_matches('(');
                let is_number = !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == ',');
                (is_number && w[1].trim_end_matches(|c: char| !c.is_alphanumeric()) == "students")
                    .then(|| n.to_string())
            });
            if let Some(n) = count {
                out.entry(name).or_default().push((n, item.to_string()));
            }
        }
    }
    out
}

/// The first "<Capitalised words> <suffix>" in `tokens`, and the index after it.
fn district_name(tokens: &[&str]) -> Option<(String, usize)> {
    let clean = |t: &str| t.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    for end in 0..tokens.len() {
        for suffix in DISTRICT_SUFFIXES {
            let Some(start) = (end + 1).checked_sub(suffix.len()) else {
                continue;
            };
            if start == 0 {
                continue;
            }
            let matches = suffix
                .iter()
                .enumerate()
                .all(|(i, s)| clean(tokens[start + i]) == *s);
            if !matches {
                continue;
            }
            let mut first = start;
            while first > 0 {
                let t = clean(tokens[first - 1]);
                let capitalised = t.chars().next().is_some_and(char::is_uppercase)
                    && !["The", "At", "In", "A", "An", "For", "Your"].contains(&t.as_str());
                if !capitalised || tokens[first - 1].ends_with([',', '.', ':']) {
                    break;
                }
                first -= 1;
            }
            if first < start {
                let name = tokens[first..=end]
                    .iter()
                    .map(|t| clean(t))
                    .collect::<Vec<_>>()
                    .join(" ");
                return Some((name, end + 1));
            }
        }
    }
    None
}

/// Where each `"id": "<value>"` is written in a bank's question files (one pass per file).
#[derive(Debug, Default)]
pub struct IdPositions {
    at: HashMap<String, SourcePos>,
}

impl IdPositions {
    pub fn scan(root: &Path) -> IdPositions {
        let mut positions = IdPositions::default();
        for path in crate::bank::question_file_paths(root) {
            if let Ok(text) = crate::bank::read_text(&path) {
                positions.scan_text(&path, &text);
            }
        }
        positions
    }

    /// Record every `"id": "…"` whose value is not yet known (the first definition wins).
    pub fn scan_text(&mut self, path: &Path, text: &str) {
        let mut line = 1;
        let mut line_start = 0;
        let mut searched = 0;
        for (at, _) in text.match_indices("\"id\"") {
            for (i, b) in text[searched..at].bytes().enumerate() {
                if b == b'\n' {
                    line += 1;
                    line_start = searched + i + 1;
                }
            }
            searched = at;
            let rest = text[at + 4..].trim_start();
            let Some(rest) = rest.strip_prefix(':') else {
                continue;
            };
            let rest = rest.trim_start();
            let Some(rest) = rest.strip_prefix('"') else {
                continue;
            };
            let Some(end) = rest.find('"') else {
                continue;
            };
            let id = &rest[..end];
            let value_at = text.len() - rest.len() - 1;
            let column = text[line_start..value_at].chars().count() + 1;
            self.at.entry(id.to_string()).or_insert(SourcePos {
                path: path.to_path_buf(),
                line,
                column,
            });
        }
    }

    pub fn get(&self, id: &str) -> Option<SourcePos> {
        self.at.get(id).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::AnswerOption;

    fn opt(id: &str, text: &str, correct: bool) -> AnswerOption {
        AnswerOption {
            id: id.into(),
            text: text.into(),
            correct,
            explanation: Some("because".into()),
        }
    }

    fn single(id: &str, texts: [&str; 4], key: usize) -> Question {
        Question {
            id: id.into(),
            domain: "d".into(),
            kind: QuestionType::Single,
            scenario: None,
            stem: format!("Stem of {id}?"),
            options: texts
                .iter()
                .enumerate()
                .map(|(i, t)| opt(&option_letter(i).to_string(), t, i == key))
                .collect(),
            explanation: None,
            difficulty: Some(2),
            tags: vec![],
            reference: None,
        }
    }

    #[test]
    fn words_lowercase_and_split_on_punctuation() {
        assert_eq!(
            words("Since it's FERPA's rule, act."),
            ["since", "it's", "ferpa's", "rule", "act"]
        );
    }

    #[test]
    fn cues_match_phrases_and_prefixes() {
        assert!(Cue::Justification.found_in(&words("Do it so that staff know")));
        assert!(!Cue::Justification.found_in(&words("Do it so staff know")));
        assert!(Cue::Process.found_in(&words("Pilot it in two schools")));
        assert!(Cue::PeopleAndEvidence.found_in(&words("Collaborate with principals")));
        assert!(!Cue::Absolute.found_in(&words("Allocate funds")));
    }

    #[test]
    fn a_cue_only_in_distractors_leaks_and_an_even_one_does_not() {
        let leaky: Vec<Question> = (0..40)
            .map(|i| {
                single(
                    &format!("q{i}"),
                    [
                        "Adopt the plan now",
                        "Adopt it since the board wants it",
                        "Delay it because staff are busy",
                        "Drop it since it costs money",
                    ],
                    0,
                )
            })
            .collect();
        let r = lint_items(&leaky, &[], |_| None);
        let j = r.cues.iter().find(|c| c.cue == Cue::Justification).unwrap();
        assert_eq!((j.split.in_keys, j.split.keys), (0, 40));
        assert_eq!((j.split.in_distractors, j.split.distractors), (120, 120));
        assert!(j.split.leaks());
        assert!(r.leaks().iter().any(|l| l.starts_with("self-justifying")));
        // Keys always in position a: 100% against 25%.
        assert_eq!(r.single_positions.skewed(), vec![0, 1, 2, 3]);

        let even: Vec<Question> = (0..40)
            .map(|i| {
                single(
                    &format!("q{i}"),
                    [
                        "Adopt it since the board wants it",
                        "Adopt it since the staff want it",
                        "Drop it since it costs money",
                        "Drop it since it takes time",
                    ],
                    i % 4,
                )
            })
            .collect();
        let r = lint_items(&even, &[], |_| None);
        assert!(r.leaks().is_empty(), "{:?}", r.leaks());
    }

    #[test]
    fn small_differences_on_a_small_quiz_are_not_called_leaks() {
        let s = Split {
            in_keys: 2,
            keys: 10,
            in_distractors: 3,
            distractors: 30,
        };
        // 20% against 10%: large, but 10 keys cannot show it is not chance.
        assert!(s.z() < LEAK_MIN_Z);
        assert!(!s.leaks());
    }

    #[test]
    fn key_length_ranks_count_ties_as_the_better_rank() {
        let mut kl = KeyLength::default();
        kl.add(&single("a", ["aaaa", "aaaa", "a", "aa"], 0));
        kl.add(&single("b", ["a", "aaaa", "aa", "aaa"], 0));
        assert_eq!(kl.key_longest, 1);
        assert_eq!(kl.rank_sum, 1.0 + 4.0);
        // Item a: ranks 1, 1, 4, 3 (two tied longest); item b: 4, 1, 3, 2.
        assert!((kl.expected_longest - (0.5 + 0.25)).abs() < 1e-12);
        assert!((kl.expected_rank_sum - (2.25 + 2.5)).abs() < 1e-12);
        // Four equal options: the key is "longest", as is every option.
        let mut tie = KeyLength::default();
        tie.add(&single("t", ["same", "same", "same", "same"], 2));
        assert_eq!((tie.key_longest, tie.expected_longest), (1, 1.0));
    }

    #[test]
    fn a_lonely_long_key_is_flagged() {
        let q = single(
            "q",
            [
                "Confirm permitted uses with bond counsel, then bring options to the board",
                "Spend the rest on devices",
                "Let principals decide",
                "Return the money",
            ],
            0,
        );
        assert!(lonely_long_key(&q).is_some());
        let q = single("q", ["Form 470", "Form 471", "Form 486", "Form 472"], 1);
        assert!(lonely_long_key(&q).is_none());
    }

    #[test]
    fn a_mirror_pair_is_flagged_but_parallel_facts_are_not() {
        let q = single(
            "q",
            [
                "Side with the principals on the schedule",
                "Side with the teachers on the schedule",
                "Ask the union for a meeting",
                "Survey every school next term",
            ],
            0,
        );
        let w: Vec<Vec<String>> = q.options.iter().map(|o| words(&o.text)).collect();
        let m = mirror_pair(&q, &w).expect("flagged");
        assert!(
            m.contains("a and b") && m.contains("key is one of them"),
            "{m}"
        );
        let q = single(
            "q",
            [
                "Tuesday, February 3, 2026",
                "Tuesday, January 27, 2026",
                "Friday, February 6, 2026",
                "Tuesday, January 20, 2026",
            ],
            0,
        );
        let w: Vec<Vec<String>> = q.options.iter().map(|o| words(&o.text)).collect();
        assert_eq!(mirror_pair(&q, &w), None);
    }

    #[test]
    fn families_count_shared_option_sets_with_different_keys() {
        let laws = ["FERPA", "PPRA", "COPPA", "CIPA"];
        let mut qs: Vec<Question> = (0..3).map(|i| single(&format!("f{i}"), laws, i)).collect();
        // The same set in another order still makes one family.
        qs.push(single("f3", ["CIPA", "COPPA", "PPRA", "FERPA"], 0));
        // A pair that repeats its key is a leak, not a family.
        qs.push(single("p1", ["RPO", "RTO", "MTD", "SLA"], 1));
        qs.push(single("p2", ["SLA", "RTO", "MTD", "RPO"], 1));
        qs.push(single("lone", ["a1", "b1", "c1", "d1"], 2));
        let (f, findings) = families(&qs);
        assert_eq!((f.single_items, f.families, f.covered), (7, 1, 4));
        assert_eq!(findings.len(), 2);
        assert!(findings[0].1.contains("a key with one of them"));
    }

    #[test]
    fn a_large_family_names_a_few_members_in_each_message() {
        // One option set and key throughout a file (issue 18's 40,000-question GIFT file):
        // each message lists six members and counts the rest, so the report stays linear.
        let qs: Vec<Question> = (0..1000)
            .map(|i| single(&format!("m{i}"), ["w", "x", "y", "z"], 0))
            .collect();
        let (_, findings) = families(&qs);
        assert_eq!(findings.len(), 1000);
        assert!(
            findings[999].1.starts_with(
                "shares its options with `m0`, `m1`, `m2`, `m3`, `m4`, `m5` and 994 more"
            ),
            "{}",
            findings[999].1
        );
        assert!(findings.iter().all(|(_, m)| m.len() < 200));
    }

    #[test]
    fn stated_counts_are_read_from_the_stem() {
        assert_eq!(stated_count("Which two apply? Choose two."), Some(2));
        assert_eq!(stated_count("Select 3 of these."), Some(3));
        assert_eq!(stated_count("Which apply?"), None);
    }

    #[test]
    fn negative_stems_must_be_in_capitals() {
        assert!(unemphasised_negative("Which of these is not required?").is_some());
        assert!(unemphasised_negative("Which of these is NOT required?").is_none());
        assert!(unemphasised_negative("The plan is not ready. What comes first?").is_none());
    }

    #[test]
    fn district_enrolments_are_read_from_scenarios_and_stems() {
        let scenarios = vec![
            Scenario {
                id: "s1".into(),
                text: "Maple Ridge Unified School District (9,000 students) passed a bond.".into(),
            },
            Scenario {
                id: "s2".into(),
                text: "At Maple Ridge Unified School District, which serves 11,000 students, a plan is due.".into(),
            },
            Scenario {
                id: "s3".into(),
                text: "Pine County Schools is a rural district of 1,800 students.".into(),
            },
            Scenario {
                id: "s4".into(),
                text: "A Maple Ridge Unified School District elementary school (520 students) asked.".into(),
            },
        ];
        let found = district_enrolments(&[], &scenarios);
        let maple = &found["Maple Ridge Unified School District"];
        assert_eq!(
            maple,
            &vec![
                ("9,000".to_string(), "s1".to_string()),
                ("11,000".to_string(), "s2".to_string())
            ]
        );
        assert_eq!(found["Pine County Schools"].len(), 1);
    }

    #[test]
    fn salient_tokens_skip_sentence_openers() {
        let t = salient_tokens("The district has 9,000 students. Its CTO reports to Dr. Lee.");
        assert!(t.contains("9000") && t.contains("cto") && t.contains("lee"));
        assert!(!t.contains("the") && !t.contains("its"));
    }

    #[test]
    fn id_positions_point_at_the_value() {
        let mut p = IdPositions::default();
        let text = "{\n  \"questions\": [\n    { \"id\": \"q1\",\n      \"x\": 1 },\n    {\"id\":\"q2\"}\n  ]\n}\n";
        p.scan_text(Path::new("f.json"), text);
        assert_eq!(p.get("q1").map(|s| (s.line, s.column)), Some((3, 13)));
        assert_eq!(p.get("q2").map(|s| (s.line, s.column)), Some((5, 11)));
        assert_eq!(p.get("nope"), None);
    }
}
