//! Members' problem reports ("Report a problem with this question") gathered from their
//! result files, per question, for the group screen and the text and CSV reports.

use super::MemberResult;
use crate::reports::ReportKind;
use crate::text::escape_controls;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One member's report on one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberProblem {
    /// The member's name as the report shows it.
    pub member: String,
    pub kind: ReportKind,
    pub text: String,
}

/// Every problem report in `results`, by question id; per question sorted by member name
/// (case-insensitively), then kind.
pub fn problem_reports(results: &[MemberResult]) -> BTreeMap<String, Vec<MemberProblem>> {
    problems_of(results.iter())
}

/// [`problem_reports`] over borrowed results (the group report's accepted ones).
pub fn problems_of<'a>(
    results: impl IntoIterator<Item = &'a MemberResult>,
) -> BTreeMap<String, Vec<MemberProblem>> {
    let mut out: BTreeMap<String, Vec<MemberProblem>> = BTreeMap::new();
    for r in results {
        if r.reports.is_empty() {
            continue;
        }
        let member = r.member_name().shown;
        for p in &r.reports {
            out.entry(p.question_id.clone())
                .or_default()
                .push(MemberProblem {
                    member: member.clone(),
                    kind: p.kind,
                    text: p.text.clone(),
                });
        }
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| {
            a.member
                .to_lowercase()
                .cmp(&b.member.to_lowercase())
                .then(a.kind.cmp(&b.kind))
                .then(a.text.cmp(&b.text))
        });
    }
    out
}

/// How many reports there are in all.
pub fn count(problems: &BTreeMap<String, Vec<MemberProblem>>) -> usize {
    problems.values().map(Vec::len).sum()
}

/// The text report's block: nothing when there are no reports. Text from files has its
/// control characters escaped, so it can neither add lines nor reach the terminal as a command.
pub fn text_block(problems: &BTreeMap<String, Vec<MemberProblem>>) -> String {
    let mut s = String::new();
    if problems.is_empty() {
        return s;
    }
    let _ = writeln!(
        s,
        "\nProblem reports ({}):",
        crate::text::count(count(problems), "report", "reports")
    );
    for (qid, list) in problems {
        let _ = writeln!(s, "  {}", escape_controls(qid));
        for p in list {
            let _ = write!(s, "    {} ({})", escape_controls(&p.member), p.kind.label());
            if p.text.is_empty() {
                s.push('\n');
            } else {
                let _ = writeln!(s, ": {}", escape_controls(&p.text));
            }
        }
    }
    s
}

/// One line per report on one question: "Name (kind): text", control characters escaped.
pub fn lines(list: &[MemberProblem]) -> Vec<String> {
    list.iter()
        .map(|p| {
            let head = format!("{} ({})", escape_controls(&p.member), p.kind.label());
            if p.text.is_empty() {
                head
            } else {
                format!("{head}: {}", escape_controls(&p.text))
            }
        })
        .collect()
}

/// The CSV report's block (a blank line, a header, one row per report): nothing when there
/// are no reports. Cells go through the same formula-safe writer as the rest of the CSV.
pub fn csv_block(problems: &BTreeMap<String, Vec<MemberProblem>>) -> String {
    let mut s = String::new();
    if problems.is_empty() {
        return s;
    }
    s.push('\n');
    let mut row = |cells: [&str; 4]| {
        let cells: Vec<String> = cells.iter().map(|c| crate::export::csv_cell(c)).collect();
        s.push_str(&cells.join(","));
        s.push('\n');
    };
    row(["Problem report: question", "Member", "Kind", "Text"]);
    for (qid, list) in problems {
        for p in list {
            row([qid, &p.member, p.kind.as_str(), &p.text]);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_escape_what_files_say_and_are_empty_without_reports() {
        let mut problems = BTreeMap::new();
        assert_eq!(text_block(&problems), "");
        assert_eq!(csv_block(&problems), "");
        problems.insert(
            "q1".to_string(),
            vec![MemberProblem {
                member: "Ana".into(),
                kind: ReportKind::WrongKey,
                text: "=cmd|' /C calc'!A0\n\x1b[2J".into(),
            }],
        );
        let text = text_block(&problems);
        assert!(text.contains("Problem reports (1 report):"), "{text}");
        assert!(text.contains("Ana (wrong answer key): =cmd"), "{text}");
        assert!(!text.contains('\x1b'), "{text:?}");
        assert_eq!(text.lines().count(), 4, "{text:?}");
        let csv = csv_block(&problems);
        assert!(csv.contains("q1,Ana,wrong_key,'=cmd"), "{csv}");
        assert!(!csv.contains('\x1b'), "{csv:?}");
    }
}
