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
        let results = distinct_results(inputs, &mut report.rejected);
        let expected = match expected_pack_id(pack, &results) {
            Ok(Some(id)) => id,
            Ok(None) => return report,
            Err(reason) => {
                for (path, _) in results {
                    report.rejected.push(RejectedFile {
                        path,
                        reason: reason.clone(),
                    });
                }
                return report;
            }
        };
        let questions = question_list(pack, &results, &expected);
        let question_ids: Vec<&str> = questions.iter().map(|(q, _)| q.as_str()).collect();
        let key = match pack {
            Some(p) => AnswerKey::for_pack(p, banks),
            None => AnswerKey::from_banks(&question_ids, banks),
        };
        let accepted = accepted_results(
            results,
            &expected,
            &question_ids,
            &key,
            &mut report.rejected,
        );
        report.areas = report_areas(pack, &accepted, &questions);
        let scored = score_members(&accepted, &key, &report.areas, &questions);
        report.members = scored.rows;
        (report.area_means, report.weakest) = area_summary(&report.members, report.areas.len());

        let nm = scored.matrix.len();
        let statistics = quiz_statistics(&key, &question_ids, &scored.matrix);
        let totals: Vec<usize> = report.members.iter().map(|m| m.correct).collect();
        let tables = option_tables(
            &key,
            &question_ids,
            &scored.answers,
            &thirds(&totals),
            MIN_MEMBERS_FOR_DIFFICULTY_FLAG,
        );
        let calibration =
            (nm > 0).then(|| crate::group::calibration::of_matrix(&scored.matrix, questions.len()));
        let rasch_items = calibration.as_ref().and_then(|c| c.as_ref().ok());
        for (q, (((qid, area), stats), options)) in questions
            .iter()
            .zip(statistics.items)
            .zip(tables)
            .enumerate()
        {
            let correct = scored.matrix.iter().filter(|row| row[q]).count();
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

/// The results that could be read, each sealed result once: the same result twice (a file
/// copied, or added twice) is one member, and the copy is listed, so nothing is lost.
fn distinct_results(
    inputs: Vec<ReportInput>,
    rejected: &mut Vec<RejectedFile>,
) -> Vec<(PathBuf, MemberResult)> {
    let mut ok: Vec<(PathBuf, MemberResult)> = Vec::new();
    let mut copies: HashMap<String, PathBuf> = HashMap::new();
    for input in inputs {
        match input.result {
            Ok(r) => {
                if let Some(first) = copies.get(&r.checksum) {
                    rejected.push(RejectedFile {
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
            Err(e) => rejected.push(RejectedFile {
                path: input.path,
                reason: Rejection::File(e),
            }),
        }
    }
    ok
}

/// The pack the report is for: the given pack's, else the one pack every result names
/// (None without results). Without the pack there is no telling a real pack id from an
/// invented one, so results for several packs are not sorted out by a majority (four fake
/// files for a made-up pack would outvote every genuine one): every result is rejected with
/// the reason.
fn expected_pack_id(
    pack: Option<&ExamPack>,
    results: &[(PathBuf, MemberResult)],
) -> Result<Option<String>, Rejection> {
    if let Some(p) = pack {
        return Ok(Some(p.pack_id.clone()));
    }
    let ids = pack_ids(results);
    match ids.len() {
        0 => Ok(None),
        1 => Ok(ids.into_iter().next()),
        n => {
            let shown: Vec<&str> = ids.iter().map(String::as_str).collect();
            Err(Rejection::WhichPack {
                packs: n,
                ids: abbreviate(&shown, 4),
            })
        }
    }
}

/// (question id, area id) in pack order: the pack's, or the first matching result's.
fn question_list(
    pack: Option<&ExamPack>,
    results: &[(PathBuf, MemberResult)],
    expected: &str,
) -> Vec<(String, String)> {
    match pack {
        Some(p) => p
            .items
            .iter()
            .map(|i| (i.question_id.clone(), i.domain.clone()))
            .collect(),
        None => results
            .iter()
            .find(|(_, r)| r.pack_id == expected)
            .map(|(_, r)| {
                r.answers
                    .iter()
                    .map(|a| (a.question_id.clone(), a.domain.clone()))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The results for the expected pack, answering its questions in its order, with a key for
/// every question; the others are rejected with the reason.
fn accepted_results(
    results: Vec<(PathBuf, MemberResult)>,
    expected: &str,
    question_ids: &[&str],
    key: &AnswerKey,
    rejected: &mut Vec<RejectedFile>,
) -> Vec<(PathBuf, MemberResult)> {
    let unkeyed: Vec<&str> = question_ids
        .iter()
        .copied()
        .filter(|q| !key.has(q))
        .collect();
    let mut accepted = Vec::new();
    for (path, r) in results {
        let reason = if r.pack_id != expected {
            Some(Rejection::ForeignPack {
                found: r.pack_id.clone(),
                expected: expected.to_string(),
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
            Some(reason) => rejected.push(RejectedFile { path, reason }),
            None => accepted.push((path, r)),
        }
    }
    accepted
}

/// (area id, name): the pack's list, else in order of first appearance in the results;
/// areas a question uses but the list lacks (a pack edited by hand cannot get here, but
/// results without a pack might) still get a column.
fn report_areas(
    pack: Option<&ExamPack>,
    accepted: &[(PathBuf, MemberResult)],
    questions: &[(String, String)],
) -> Vec<(String, String)> {
    let mut areas: Vec<(String, String)> = match pack {
        Some(p) => p
            .areas
            .iter()
            .map(|a| (a.id.clone(), a.name.clone()))
            .collect(),
        None => {
            let mut v: Vec<(String, String)> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for (_, r) in accepted {
                for a in &r.areas {
                    if seen.insert(a.id.clone()) {
                        v.push((a.id.clone(), a.name.clone()));
                    }
                }
            }
            v
        }
    };
    let mut known: std::collections::HashSet<String> =
        areas.iter().map(|(id, _)| id.clone()).collect();
    for (_, d) in questions {
        if known.insert(d.clone()) {
            areas.push((d.clone(), d.clone()));
        }
    }
    areas
}

/// The members scored again from their selections, sorted by name.
struct Scored<'a> {
    rows: Vec<MemberRow>,
    /// matrix[m][q]: member m got question q right.
    matrix: Vec<Vec<bool>>,
    /// Each member's answers, in the same order.
    answers: Vec<&'a [ResultAnswer]>,
}

fn score_members<'a>(
    accepted: &'a [(PathBuf, MemberResult)],
    key: &AnswerKey,
    areas: &[(String, String)],
    questions: &[(String, String)],
) -> Scored<'a> {
    let area_index: HashMap<&str, usize> = areas
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
    let mut scored = Scored {
        rows: Vec::with_capacity(accepted.len()),
        matrix: Vec::with_capacity(accepted.len()),
        answers: Vec::with_capacity(accepted.len()),
    };
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
                    .map(|&j| format!("{} ({})", names[j].shown, file_name(&accepted[j].0)))
                    .collect()
            })
            .unwrap_or_default();
        let mut per_area = vec![(0usize, 0usize); areas.len()];
        for (q, &right) in row.iter().enumerate() {
            let a = &mut per_area[q_area[q]];
            a.1 += 1;
            a.0 += right as usize;
        }
        scored.rows.push(MemberRow {
            name: names[i].shown.clone(),
            file: path.clone(),
            correct: row.iter().filter(|&&x| x).count(),
            total: questions.len(),
            time_used_secs: r.time_used_secs,
            areas: per_area
                .into_iter()
                .map(|(c, t)| (t > 0).then_some((c, t)))
                .collect(),
            rescored,
            conflict,
        });
        scored.matrix.push(row);
        scored.answers.push(r.answers.as_slice());
    }
    scored
}

/// The mean of the members' percentages per area, and the weakest areas (lowest mean first).
fn area_summary(members: &[MemberRow], areas: usize) -> (Vec<Option<f64>>, Vec<usize>) {
    let means: Vec<Option<f64>> = (0..areas)
        .map(|i| {
            let v: Vec<f64> = members.iter().filter_map(|m| m.area_percent(i)).collect();
            (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
        })
        .collect();
    let mut order: Vec<usize> = (0..areas).filter(|&i| means[i].is_some()).collect();
    order.sort_by(|&a, &b| {
        means[a]
            .partial_cmp(&means[b])
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    order.truncate(WEAKEST_AREAS);
    (means, order)
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
