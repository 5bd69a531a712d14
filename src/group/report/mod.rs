//! The group report: the member × area table, weakest areas, question statistics (Moodle's
//! and Rasch's), who chose what, and members' problem reports. Built from result files in
//! `build`, written as text and CSV in `render`.

mod build;
mod render;

pub use render::{disc, fixed2, pct};

use super::names::MemberName;
use super::stats::{Item, ItemStats, Marks, QuizStatistics, TestStats};
use super::*;
use crate::bank::Bank;
use crate::exam::percent;
use crate::group::options::{OptionTable, option_tables, thirds};
use crate::rasch::{Calibration, ItemEstimate, RaschError};
use crate::text::escape_controls;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

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
    /// Answers the file itself marked differently from how they score against the pack
    /// (an edited file, or a member who sat another version of a question).
    pub rescored: usize,
    /// Other members whose names look the same (a possible impostor, or the same person
    /// twice): shown in the report, never silently dropped.
    pub conflict: Vec<String>,
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
    /// Moodle's warning: discriminative efficiency under 15%, the question separates
    /// stronger from weaker members far less than it could.
    LowEfficiency,
    /// Its Rasch infit or outfit mean square is outside 0.7–1.3 by more than chance explains.
    RaschMisfit,
}

impl QuestionFlag {
    pub fn describe(self) -> &'static str {
        match self {
            QuestionFlag::TooHard => "under 20% correct: check the answer key and wording",
            QuestionFlag::NegativeDiscrimination => {
                "negative discrimination: weaker members did better on it"
            }
            QuestionFlag::LowEfficiency => {
                "discriminative efficiency under 15%: it hardly separates stronger from weaker members"
            }
            QuestionFlag::RaschMisfit => {
                "Rasch misfit: answers to it follow ability less (or more) than the model expects"
            }
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            QuestionFlag::TooHard => "too-hard",
            QuestionFlag::NegativeDiscrimination => "negative-discrimination",
            QuestionFlag::LowEfficiency => "low-efficiency",
            QuestionFlag::RaschMisfit => "rasch-misfit",
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
    /// Correlation (-1..=1) between getting it right and the rest score (the member's
    /// total without this question): Moodle's discrimination index / 100. `None` when
    /// undefined.
    pub discrimination: Option<f64>,
    pub flags: Vec<QuestionFlag>,
    /// Moodle's item figures for this question.
    pub stats: ItemStats,
    /// Who chose which option, by ability third.
    pub options: OptionTable,
    /// Its Rasch difficulty and fit, when the group could be calibrated.
    pub rasch: Option<ItemEstimate>,
}

/// One whole-test figure, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct TestFigure {
    pub name: &'static str,
    /// For reading: "4.62 of 7 (66.0%)", or "-" when undefined.
    pub shown: String,
    /// For a spreadsheet: the number itself.
    pub value: Option<f64>,
    /// What the figure means, in one line.
    pub meaning: &'static str,
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
    /// Moodle's whole-test figures over the members' totals (number right).
    pub test: TestStats,
    pub rejected: Vec<RejectedFile>,
    /// The bank the pack was drawn from (or whose questions the results answer).
    pub bank_id: Option<String>,
    /// The Rasch calibration of the questions, or why there is none (None: no members).
    pub calibration: Option<Result<Calibration, RaschError>>,
    /// The members' problem reports, by question id (see [`super::problems`]).
    pub problems: std::collections::BTreeMap<String, Vec<crate::group::problems::MemberProblem>>,
}

impl GroupReport {
    /// "Name (n)" for each member whose file's own marks differ from the rescoring in n
    /// answers: what the screen and the text report both name.
    pub fn rescored_members(&self) -> Vec<String> {
        self.members
            .iter()
            .filter(|m| m.rescored > 0)
            .map(|m| format!("{} ({})", m.name, m.rescored))
            .collect()
    }

    /// The whole-test figures as (name, value for reading, value for a spreadsheet, what it
    /// means): one list for the text report, the CSV and the screen. Marks are numbers of
    /// questions right; undefined figures are "-" and an empty cell.
    pub fn test_figures(&self) -> Vec<TestFigure> {
        let t = &self.test;
        let max = self.questions.len() as f64;
        let of_max = |v: f64| format!("{v:.2} of {max} ({:.1}%)", 100.0 * v / max.max(1.0));
        let spread = |v: f64| format!("{v:.2} ({:.1}%)", 100.0 * v / max.max(1.0));
        let plain = |v: f64| format!("{v:.3}");
        let percent = |v: f64| format!("{v:.1}%");
        let fig = |name, value: Option<f64>, shown: &dyn Fn(f64) -> String, meaning| TestFigure {
            name,
            shown: value.map_or("-".into(), shown),
            value,
            meaning,
        };
        vec![
            fig(
                "Members",
                Some(t.attempts as f64),
                &|v| format!("{v}"),
                "results in these figures, one attempt each",
            ),
            fig(
                "Mean score",
                t.mean,
                &of_max,
                "the average number of questions right",
            ),
            fig(
                "Median score",
                t.median,
                &of_max,
                "half the group scored this or less",
            ),
            fig(
                "Standard deviation",
                t.sd,
                &spread,
                "how far scores typically lie from the mean",
            ),
            fig(
                "Skewness",
                t.skewness,
                &plain,
                "below 0: scores bunch toward the top; above 0: toward the bottom",
            ),
            fig(
                "Kurtosis",
                t.kurtosis,
                &plain,
                "above 0: scores pile up near the middle; below 0: spread flat",
            ),
            fig(
                "Internal consistency (CIC)",
                t.cic,
                &percent,
                "Cronbach's alpha (KR-20): how consistently the questions rank members; higher is more reliable",
            ),
            fig(
                "Error ratio",
                t.error_ratio,
                &percent,
                "the share of the spread in scores that is measurement noise; lower is better",
            ),
            fig(
                "Standard error",
                t.standard_error,
                &spread,
                "a member's score is uncertain by about this much either way",
            ),
        ]
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
}

impl GroupReport {
    /// One line on the calibration: what it rests on, or why there is none.
    pub fn calibration_summary(&self) -> Option<String> {
        Some(match self.calibration.as_ref()? {
            Ok(c) => {
                let calibrated = c.items.iter().filter(|i| i.difficulty.is_some()).count();
                let misfits = c.items.iter().filter(|i| i.misfits()).count();
                format!(
                    "Rasch calibration (conditional maximum likelihood): {} of {} placed on one logit scale from {} and {}; {}.",
                    calibrated,
                    c.items.len(),
                    crate::text::count(c.members_used, "member", "members"),
                    crate::text::count(c.responses_used, "answer", "answers"),
                    match misfits {
                        0 => "no question misfits".to_string(),
                        n => format!(
                            "{} misfitting (infit or outfit outside 0.7–1.3 by more than chance)",
                            crate::text::count(n, "question", "questions")
                        ),
                    }
                )
            }
            Err(e) => format!("No Rasch calibration: {e}."),
        })
    }
}

impl GroupReport {
    /// The members' problem reports on `question_id` (empty when there are none).
    pub fn problems_for(&self, question_id: &str) -> &[crate::group::problems::MemberProblem] {
        self.problems.get(question_id).map_or(&[], Vec::as_slice)
    }
}

impl QuestionStat {
    /// "42% correct · discrimination 0.31 · efficiency 40% · difficulty +0.85 ± 0.21 logits ·
    /// infit 1.05 · outfit 1.10": the figures an author reads a flagged question by.
    pub fn figures_line(&self) -> String {
        let mut parts = vec![
            format!("{:.0}% correct", self.difficulty * 100.0),
            format!("discrimination {}", disc(self.discrimination)),
            format!(
                "efficiency {}",
                self.stats
                    .discriminative_efficiency
                    .map_or("-".into(), |e| format!("{e:.0}%"))
            ),
        ];
        if let Some(r) = &self.rasch {
            if let (Some(d), Some(se)) = (r.difficulty, r.se) {
                parts.push(format!("difficulty {d:+.2} ± {se:.2} logits"));
            } else {
                parts.push(format!("Rasch: {}", r.status.describe()));
            }
            if let (Some(i), Some(o)) = (r.infit, r.outfit) {
                parts.push(format!("infit {i:.2} · outfit {o:.2}"));
            }
        }
        parts.join(" · ")
    }
}

/// A path's file name for a sentence (the whole path when it has none).
fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
