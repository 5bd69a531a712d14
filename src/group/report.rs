//! The group report: the member × area table, weakest areas and question statistics, as
//! text for a terminal and as CSV.

use super::names::MemberName;
use super::options::{OptionTable, option_tables, thirds};
use super::stats::{Item, ItemStats, Marks, QuizStatistics, TestStats};
use super::*;
use crate::bank::Bank;
use crate::exam::percent;
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
    pub problems: std::collections::BTreeMap<String, Vec<super::problems::MemberProblem>>,
}

/// The distinct pack ids of `results`, in order of first appearance.
fn pack_ids(results: &[(PathBuf, MemberResult)]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (_, r) in results {
        if seen.insert(r.pack_id.as_str()) {
            ids.push(r.pack_id.clone());
        }
    }
    ids
}

/// Moodle's statistics over the right/wrong matrix (members × questions, in question order).
fn quiz_statistics(key: &AnswerKey, question_ids: &[&str], matrix: &[Vec<bool>]) -> QuizStatistics {
    let items = question_ids
        .iter()
        .map(|q| Item::right_wrong(key.random_guess(q)))
        .collect();
    // Every row has one mark per question and a random-guess score is 1/n: the statistics
    // cannot refuse this input, and if they ever did the report would show no figures.
    let mut marks = match Marks::new(items) {
        Ok(m) => m,
        Err(_) => return empty_statistics(question_ids.len()),
    };
    for row in matrix {
        if marks.push_right_wrong(row).is_err() {
            return empty_statistics(question_ids.len());
        }
    }
    QuizStatistics::compute(&marks)
}

fn empty_statistics(questions: usize) -> QuizStatistics {
    QuizStatistics {
        test: TestStats::default(),
        items: vec![ItemStats::default(); questions],
    }
}

/// The report's flags for one question. Each needs a group big enough for the figure to
/// mean something: with one or two members a miss says more about the member than the
/// question, and under eight one member's luck flips a correlation's sign.
fn question_flags(members: usize, difficulty: f64, stats: &ItemStats) -> Vec<QuestionFlag> {
    let mut flags = Vec::new();
    if members >= MIN_MEMBERS_FOR_DIFFICULTY_FLAG && difficulty < FLAG_DIFFICULTY_BELOW {
        flags.push(QuestionFlag::TooHard);
    }
    if members >= MIN_MEMBERS_FOR_DISCRIMINATION_FLAG {
        if stats
            .discrimination_index
            .is_some_and(|d| d / 100.0 < FLAG_DISCRIMINATION_BELOW)
        {
            flags.push(QuestionFlag::NegativeDiscrimination);
        }
        if stats
            .flags
            .contains(&super::stats::ItemFlag::LowDiscriminativeEfficiency)
        {
            flags.push(QuestionFlag::LowEfficiency);
        }
    }
    flags
}

impl GroupReport {
    /// Load the files and build the report. `pack` fixes which pack the report is for;
    /// without it, results must all be for one pack. Scores come from each answer's
    /// selection against the pack's key (its embedded questions or a loaded bank in `banks`
    /// with the same question), never from the file's own marks.
    pub fn from_files(pack: Option<&ExamPack>, banks: &[Bank], paths: &[PathBuf]) -> GroupReport {
        let inputs: Vec<ReportInput> = paths.iter().map(|p| ReportInput::load(p)).collect();
        GroupReport::build(pack, banks, inputs)
    }

    pub fn build(pack: Option<&ExamPack>, banks: &[Bank], inputs: Vec<ReportInput>) -> GroupReport {
        let mut report = GroupReport::default();
        let mut ok: Vec<(PathBuf, MemberResult)> = Vec::new();
        let mut copies: HashMap<String, PathBuf> = HashMap::new();
        for input in inputs {
            match input.result {
                Ok(r) => {
                    // The same sealed result twice (a file copied, or added twice) is one
                    // member: the copy is listed, nothing is lost.
                    if let Some(first) = copies.get(&r.checksum) {
                        report.rejected.push(RejectedFile {
                            path: input.path,
                            reason: Rejection::DuplicateCopy {
                                first: first.display().to_string(),
                            },
                        });
                        continue;
                    }
                    copies.insert(r.checksum.clone(), input.path.clone());
                    ok.push((input.path, r))
                }
                Err(e) => report.rejected.push(RejectedFile {
                    path: input.path,
                    reason: Rejection::File(e),
                }),
            }
        }
        let expected = match pack {
            Some(p) => p.pack_id.clone(),
            None => {
                // Without the pack there is no telling a real pack id from an invented one:
                // results for several packs are not sorted out by a majority (four fake
                // files for a made-up pack would outvote every genuine one).
                let ids = pack_ids(&ok);
                match ids.len() {
                    0 => return report,
                    1 => ids[0].clone(),
                    n => {
                        let shown: Vec<&str> = ids.iter().map(String::as_str).collect();
                        let ids = abbreviate(&shown, 4);
                        for (path, _) in ok {
                            report.rejected.push(RejectedFile {
                                path,
                                reason: Rejection::WhichPack {
                                    packs: n,
                                    ids: ids.clone(),
                                },
                            });
                        }
                        return report;
                    }
                }
            }
        };
        // The question list: the pack's, or the first result's.
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
        let key = match pack {
            Some(p) => AnswerKey::for_pack(p, banks),
            None => AnswerKey::from_banks(&question_ids, banks),
        };
        let unkeyed: Vec<&str> = question_ids
            .iter()
            .copied()
            .filter(|q| !key.has(q))
            .collect();

        let mut accepted: Vec<(PathBuf, MemberResult)> = Vec::new();
        for (path, r) in ok {
            let reason = if r.pack_id != expected {
                Some(Rejection::ForeignPack {
                    found: r.pack_id.clone(),
                    expected: expected.clone(),
                })
            } else if !r
                .answers
                .iter()
                .map(|a| a.question_id.as_str())
                .eq(question_ids.iter().copied())
            {
                Some(Rejection::QuestionsMismatch)
            } else if !unkeyed.is_empty() {
                Some(Rejection::NoAnswerKey {
                    missing: format!(
                        "{} ({})",
                        crate::text::count(unkeyed.len(), "question", "questions"),
                        abbreviate(&unkeyed, 5)
                    ),
                })
            } else {
                None
            };
            match reason {
                Some(reason) => report.rejected.push(RejectedFile { path, reason }),
                None => accepted.push((path, r)),
            }
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
                let mut seen = std::collections::HashSet::new();
                for (_, r) in &accepted {
                    for a in &r.areas {
                        if seen.insert(a.id.clone()) {
                            v.push((a.id.clone(), a.name.clone()));
                        }
                    }
                }
                v
            }
        };
        // Areas a question uses but the list lacks (a pack edited by hand cannot get here,
        // but results without a pack might) still get a column.
        let mut known: std::collections::HashSet<String> =
            report.areas.iter().map(|(id, _)| id.clone()).collect();
        for (_, d) in &questions {
            if known.insert(d.clone()) {
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

        let names: Vec<MemberName> = accepted.iter().map(|(_, r)| r.member_name()).collect();
        let mut order: Vec<usize> = (0..accepted.len()).collect();
        order.sort_by(|&a, &b| {
            names[a]
                .shown
                .to_lowercase()
                .cmp(&names[b].shown.to_lowercase())
                .then_with(|| accepted[a].0.cmp(&accepted[b].0))
        });
        // Look-alike names: every member sharing a key is shown with the others' names.
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            by_key.entry(n.key.as_str()).or_default().push(i);
        }
        let na = report.areas.len();
        let nq = questions.len();
        // matrix[m][q]: member m got question q right, scored again from the selections.
        let mut matrix: Vec<Vec<bool>> = Vec::with_capacity(accepted.len());
        let mut member_answers: Vec<&[ResultAnswer]> = Vec::with_capacity(accepted.len());
        for &i in &order {
            let (path, r) = &accepted[i];
            let row: Vec<bool> = key.score(r);
            let rescored = row
                .iter()
                .zip(&r.answers)
                .filter(|(right, a)| **right != a.correct)
                .count();
            let conflict = by_key
                .get(names[i].key.as_str())
                .map(|same| {
                    same.iter()
                        .filter(|&&j| j != i)
                        .map(|&j| {
                            let file = accepted[j].0.file_name().map_or_else(
                                || accepted[j].0.display().to_string(),
                                |n| n.to_string_lossy().into_owned(),
                            );
                            format!("{} ({file})", names[j].shown)
                        })
                        .collect()
                })
                .unwrap_or_default();
            let mut areas = vec![(0usize, 0usize); na];
            for (q, &right) in row.iter().enumerate() {
                let a = &mut areas[q_area[q]];
                a.1 += 1;
                a.0 += right as usize;
            }
            report.members.push(MemberRow {
                name: names[i].shown.clone(),
                file: path.clone(),
                correct: row.iter().filter(|&&x| x).count(),
                total: nq,
                time_used_secs: r.time_used_secs,
                areas: areas
                    .into_iter()
                    .map(|(c, t)| (t > 0).then_some((c, t)))
                    .collect(),
                rescored,
                conflict,
            });
            matrix.push(row);
            member_answers.push(r.answers.as_slice());
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

        let nm = matrix.len();
        let statistics = quiz_statistics(&key, &question_ids, &matrix);
        let totals: Vec<usize> = report.members.iter().map(|m| m.correct).collect();
        let tables = option_tables(
            &key,
            &question_ids,
            &member_answers,
            &thirds(&totals),
            MIN_MEMBERS_FOR_DIFFICULTY_FLAG,
        );
        let calibration = (nm > 0).then(|| super::calibration::of_matrix(&matrix, nq));
        let rasch_items = calibration.as_ref().and_then(|c| c.as_ref().ok());
        for (q, (((qid, area), stats), options)) in questions
            .iter()
            .zip(statistics.items)
            .zip(tables)
            .enumerate()
        {
            let correct = matrix.iter().filter(|row| row[q]).count();
            let difficulty = stats.facility.unwrap_or(0.0);
            let discrimination = stats.discrimination_index.map(|d| d / 100.0);
            let rasch = rasch_items.and_then(|c| c.items.get(q).cloned());
            let mut flags = question_flags(nm, difficulty, &stats);
            if rasch.as_ref().is_some_and(|r| r.misfits()) {
                flags.push(QuestionFlag::RaschMisfit);
            }
            report.questions.push(QuestionStat {
                question_id: qid.clone(),
                area: area.clone(),
                correct,
                members: nm,
                difficulty,
                discrimination,
                flags,
                stats,
                options,
                rasch,
            });
        }
        report.test = statistics.test;
        report.calibration = calibration;
        report.bank_id = match pack {
            Some(p) => Some(p.bank.id.clone()),
            None => banks
                .iter()
                .find(|b| question_ids.iter().all(|id| b.question(id).is_some()))
                .map(|b| b.id().to_string()),
        };
        report.problems = super::problems::problems_of(accepted.iter().map(|(_, r)| r));
        report.pack_id = Some(expected);
        report.pack_title = pack.map(|p| p.title.clone());
        report
    }

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

    /// The whole report as plain text for a terminal.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        match (&self.pack_id, &self.pack_title) {
            (Some(id), Some(t)) => {
                let _ = writeln!(s, "Pack {id}: {}", escape_controls(t));
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
            "{}, {}, {} rejected\n",
            crate::text::count(self.members.len(), "member", "members"),
            crate::text::count(self.questions.len(), "question", "questions"),
            crate::text::count(self.rejected.len(), "file", "files")
        );
        if !self.members.is_empty() {
            s.push_str(&align(&self.table()));
            let conflicts: Vec<&MemberRow> = self
                .members
                .iter()
                .filter(|m| !m.conflict.is_empty())
                .collect();
            if !conflicts.is_empty() {
                let _ = writeln!(
                    s,
                    "\nName conflicts (names that look the same; check who sent which file):"
                );
                for m in conflicts {
                    let _ = writeln!(
                        s,
                        "  {} ({}) looks like {}",
                        m.name,
                        file_name(&m.file),
                        escape_controls(&m.conflict.join(", "))
                    );
                }
            }
            let rescored = self.rescored_members();
            if !rescored.is_empty() {
                let _ = writeln!(
                    s,
                    "\nScored from the answers, not the file's own marks, which differ for: {}",
                    rescored.join(", ")
                );
            }
            if !self.weakest.is_empty() {
                let w: Vec<String> = self
                    .weakest
                    .iter()
                    .map(|&i| {
                        format!(
                            "{} ({})",
                            escape_controls(self.area_name(i)),
                            pct(self.area_means[i]) + "%"
                        )
                    })
                    .collect();
                let _ = writeln!(s, "\nWeakest areas: {}", w.join(", "));
            }
            let _ = writeln!(s, "\nTest statistics:");
            let figures: Vec<Vec<String>> = self
                .test_figures()
                .into_iter()
                .map(|f| vec![f.name.to_string(), f.shown, f.meaning.to_string()])
                .collect();
            s.push_str(&align(&figures));
            let _ = writeln!(s, "\nQuestions:");
            let mut rows = vec![vec![
                "Question".to_string(),
                "Area".to_string(),
                "Correct".to_string(),
                "Discrimination".to_string(),
                "Efficiency".to_string(),
                "Flags".to_string(),
            ]];
            for q in &self.questions {
                rows.push(vec![
                    q.question_id.clone(),
                    q.area.clone(),
                    format!("{}/{} ({:.0}%)", q.correct, q.members, q.difficulty * 100.0),
                    disc(q.discrimination),
                    pct(q.stats.discriminative_efficiency),
                    q.flags
                        .iter()
                        .map(|f| f.code())
                        .collect::<Vec<_>>()
                        .join(" "),
                ]);
            }
            s.push_str(&align(&rows));
            self.rasch_text(&mut s);
            self.author_feedback_text(&mut s);
        }
        s.push_str(&super::problems::text_block(&self.problems));
        if !self.rejected.is_empty() {
            let _ = writeln!(s, "\nRejected:");
            for r in &self.rejected {
                let _ = writeln!(
                    s,
                    "  {}: {}",
                    escape_controls(&r.path.display().to_string()),
                    escape_controls(&r.reason.to_string())
                );
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
                "Facility %".into(),
                "SD %".into(),
                "Random guess %".into(),
                "Intended weight %".into(),
                "Effective weight %".into(),
                "Discrimination index %".into(),
                "Discriminative efficiency %".into(),
                "Needs checking".into(),
                "Rasch difficulty".into(),
                "Rasch SE".into(),
                "Infit".into(),
                "Outfit".into(),
                "Rasch status".into(),
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
                    number(q.stats.facility.map(|f| 100.0 * f)),
                    // Moodle shows an item's SD as a share of its maximum mark (1 here).
                    number(q.stats.sd.map(|d| 100.0 * d)),
                    number(q.stats.random_guess.map(|g| 100.0 * g)),
                    number(Some(q.stats.intended_weight)),
                    number(q.stats.effective_weight),
                    number(q.stats.discrimination_index),
                    number(q.stats.discriminative_efficiency),
                    q.stats
                        .needs_checking
                        .map_or(String::new(), |n| n.describe().to_string()),
                    number(q.rasch.as_ref().and_then(|r| r.difficulty)),
                    number(q.rasch.as_ref().and_then(|r| r.se)),
                    number(q.rasch.as_ref().and_then(|r| r.infit)),
                    number(q.rasch.as_ref().and_then(|r| r.outfit)),
                    q.rasch
                        .as_ref()
                        .map_or(String::new(), |r| r.status.describe().to_string()),
                ],
            );
        }
        s.push('\n');
        csv_row(
            &mut s,
            &[
                "Question".into(),
                "Option".into(),
                "Correct".into(),
                "Option text".into(),
                "Bottom third".into(),
                "Middle third".into(),
                "Top third".into(),
                "Option flag".into(),
            ],
        );
        for q in &self.questions {
            for o in &q.options.options {
                csv_row(
                    &mut s,
                    &[
                        q.question_id.clone(),
                        o.label.clone(),
                        if o.correct { "yes" } else { "no" }.into(),
                        o.text.clone(),
                        o.by_third[0].to_string(),
                        o.by_third[1].to_string(),
                        o.by_third[2].to_string(),
                        o.flag.map_or(String::new(), |f| f.describe().to_string()),
                    ],
                );
            }
        }
        s.push('\n');
        csv_row(
            &mut s,
            &["Test statistic".into(), "Value".into(), "Meaning".into()],
        );
        for f in self.test_figures() {
            csv_row(&mut s, &[f.name.into(), number(f.value), f.meaning.into()]);
        }
        s.push_str(&super::problems::csv_block(&self.problems));
        s
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

    fn rasch_text(&self, s: &mut String) {
        let Some(summary) = self.calibration_summary() else {
            return;
        };
        let _ = writeln!(s, "\n{summary}");
        if !matches!(self.calibration, Some(Ok(_))) {
            return;
        }
        let mut rows = vec![
            ["Question", "Difficulty", "SE", "Infit", "Outfit", "Status"]
                .map(String::from)
                .to_vec(),
        ];
        for q in &self.questions {
            let Some(r) = &q.rasch else { continue };
            rows.push(vec![
                q.question_id.clone(),
                logits(r.difficulty),
                fixed2(r.se),
                fixed2(r.infit),
                fixed2(r.outfit),
                if r.misfits() {
                    "misfit".to_string()
                } else {
                    r.status.describe().to_string()
                },
            ]);
        }
        s.push_str(&align(&rows));
    }

    /// Per flagged question: its figures and who chose which option, by ability third.
    fn author_feedback_text(&self, s: &mut String) {
        let flagged: Vec<&QuestionStat> = self.flagged().collect();
        if flagged.is_empty() {
            return;
        }
        let _ = writeln!(s, "\nFor the author: flagged questions and who chose what");
        for q in flagged {
            let _ = writeln!(s, "\n{}  {}", q.question_id, q.figures_line());
            for f in &q.flags {
                let _ = writeln!(s, "  - {}", f.describe());
            }
            for line in super::problems::lines(self.problems_for(&q.question_id)) {
                let _ = writeln!(s, "  reported: {line}");
            }
            let sizes = q.options.third_sizes;
            let mut rows = vec![vec![
                String::new(),
                "Option".to_string(),
                format!("Bottom {}", sizes[0]),
                format!("Middle {}", sizes[1]),
                format!("Top {}", sizes[2]),
                String::new(),
            ]];
            for o in &q.options.options {
                rows.push(vec![
                    format!("  {}{}", o.label, if o.correct { " (key)" } else { "" }),
                    escape_controls(&short_text(&o.text, 50)),
                    o.by_third[0].to_string(),
                    o.by_third[1].to_string(),
                    o.by_third[2].to_string(),
                    o.flag.map_or(String::new(), |f| f.describe().to_string()),
                ]);
            }
            s.push_str(&align(&rows));
        }
    }
}

impl GroupReport {
    /// The members' problem reports on `question_id` (empty when there are none).
    pub fn problems_for(&self, question_id: &str) -> &[super::problems::MemberProblem] {
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

fn short_text(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        one_line.chars().take(max - 1).collect::<String>() + "…"
    }
}

/// "+0.85", or "-" for no value.
fn logits(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| format!("{x:+.2}"))
}

/// "0.85", or "-" for no value.
pub fn fixed2(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| format!("{x:.2}"))
}

/// "66.7", or "-" for no value.
pub fn pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |p| format!("{p:.1}"))
}

/// A spreadsheet number with up to 4 decimals, or an empty cell when undefined.
fn number(v: Option<f64>) -> String {
    v.map_or(String::new(), |x| {
        let s = format!("{x:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" { "0".into() } else { s.to_string() }
    })
}

/// "0.58", or "-" when undefined.
pub fn disc(v: Option<f64>) -> String {
    v.map_or("-".into(), |d| format!("{d:.2}"))
}

/// Rows as aligned columns; every cell's control characters escaped first, so a name or id
/// from a file can neither add lines nor reach the terminal as a command.
fn align(rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| escape_controls(c)).collect())
        .collect();
    let rows = rows.as_slice();
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
        // Cells were escaped before the widths were measured (see `to_text`).
        s.push_str(line.join("  ").trim_end());
        s.push('\n');
    }
    s
}

/// One CSV line. Text cells go through [`crate::export::csv_text`] (formulas neutralised,
/// control characters escaped); numbers are written as numbers, so a negative
/// discrimination stays `-0.693`, not the text `'-0.693`.
fn csv_row(out: &mut String, cells: &[String]) {
    let cells: Vec<String> = cells.iter().map(|c| crate::export::csv_cell(c)).collect();
    out.push_str(&cells.join(","));
    out.push('\n');
}

/// A path's file name for a sentence (the whole path when it has none).
fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut s = String::new();
        csv_row(
            &mut s,
            &[
                "-0.693".into(),
                "-1".into(),
                "-x".into(),
                "@a".into(),
                "+3".into(),
            ],
        );
        assert_eq!(s, "-0.693,-1,'-x,'@a,'+3\n");
    }
}
