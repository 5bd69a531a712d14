//! Building the report from result files: which files count, the pack they are for, each
//! member's answers scored again against the key, and the figures per question.

use super::*;

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
        let calibration = (nm > 0).then(|| crate::group::calibration::of_matrix(&matrix, nq));
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
        report.problems = crate::group::problems::problems_of(accepted.iter().map(|(_, r)| r));
        report.pack_id = Some(expected);
        report.pack_title = pack.map(|p| p.title.clone());
        report
    }
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
