//! The group report: the member × area table, weakest areas and question statistics, as
//! text for a terminal and as CSV.

use super::names::MemberName;
use super::*;
use crate::bank::Bank;
use crate::exam::percent;
use crate::text::escape_controls;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

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
            if nm >= MIN_MEMBERS_FOR_DIFFICULTY_FLAG && difficulty < FLAG_DIFFICULTY_BELOW {
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
            let rescored: Vec<String> = self
                .members
                .iter()
                .filter(|m| m.rescored > 0)
                .map(|m| format!("{} ({})", m.name, m.rescored))
                .collect();
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

/// "66.7", or "-" for no value.
pub fn pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |p| format!("{p:.1}"))
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
