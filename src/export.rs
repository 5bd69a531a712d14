//! Exports for spreadsheets and other tools: exam history and per-area mastery as CSV
//! (columns in `docs/import.md`), and banks as Moodle GIFT ([`crate::import::gift::export`]).

use crate::bank::Bank;
use crate::mastery::MasteryReport;
use crate::store::{AttemptSummary, Store, StoreError};
use std::collections::{BTreeSet, HashMap, HashSet};

pub use crate::import::gift::export as bank_to_gift;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write CSV: {0}")]
    Csv(String),
}

/// A plain decimal number (`12`, `-0.693`): written as it is, so spreadsheets read a number.
pub fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// A text cell made safe for a spreadsheet: control characters escaped (see
/// [`crate::text::escape_controls`]) and, when it starts with `=`, `+`, `-` or `@` (a formula
/// to Excel, LibreOffice and Google Sheets), prefixed with `'` so it stays text. A lone `-`
/// (no value) is left alone.
pub fn csv_text(s: &str) -> String {
    let s = crate::text::escape_controls(s);
    if s.starts_with(['=', '+', '-', '@']) && s != "-" {
        format!("'{s}")
    } else {
        s
    }
}

/// One cell as CSV: numbers as numbers, anything else through [`csv_text`], quoted when it
/// holds a comma or a quote.
pub fn csv_cell(s: &str) -> String {
    let c = if is_plain_number(s) {
        s.to_string()
    } else {
        csv_text(s)
    };
    if c.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", c.replace('"', "\"\""))
    } else {
        c
    }
}

fn csv_string(rows: &[Vec<String>]) -> Result<String, ExportError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    for r in rows {
        let safe: Vec<String> = r
            .iter()
            .map(|c| {
                if is_plain_number(c) {
                    c.clone()
                } else {
                    csv_text(c)
                }
            })
            .collect();
        w.write_record(&safe)
            .map_err(|e| ExportError::Csv(e.to_string()))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ExportError::Csv(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| ExportError::Csv(e.to_string()))
}

fn pct(x: f64) -> String {
    format!("{x:.1}")
}

/// The fixed columns of the history export; one `area:<domain id>` column per skill area follows.
pub const HISTORY_COLUMNS: [&str; 12] = [
    "attempt_id",
    "date",
    "started_at",
    "finished_at",
    "bank",
    "mode",
    "status",
    "correct",
    "total",
    "percent",
    "pass_percent",
    "passed",
];

/// Every finished attempt (submitted or timed out), oldest first, optionally of one bank.
/// Area columns follow the manifest order of `banks`; areas of banks not loaded come last.
pub fn history_csv(
    store: &Store,
    banks: &[Bank],
    bank: Option<&str>,
) -> Result<String, ExportError> {
    let mut attempts: Vec<AttemptSummary> = store
        .recent_attempts(usize::MAX >> 1)?
        .into_iter()
        .filter(|a| bank.is_none_or(|b| a.bank_id == b))
        .collect();
    attempts.reverse();
    let mut scores: Vec<HashMap<String, (i64, i64)>> = Vec::with_capacity(attempts.len());
    for a in &attempts {
        scores.push(
            store
                .attempt_domain_scores(a.id)?
                .into_iter()
                .map(|(d, c, t)| (d, (c, t)))
                .collect(),
        );
    }
    // Area columns: manifest order for the banks that appear, then any others by id.
    let used_banks: HashSet<&str> = attempts.iter().map(|a| a.bank_id.as_str()).collect();
    let mut areas: Vec<String> = Vec::new();
    for b in banks.iter().filter(|b| used_banks.contains(b.id())) {
        for d in &b.manifest.domains {
            if !areas.contains(&d.id) {
                areas.push(d.id.clone());
            }
        }
    }
    let rest: BTreeSet<&String> = scores
        .iter()
        .flat_map(|s| s.keys())
        .filter(|d| !areas.contains(d))
        .collect();
    areas.extend(rest.into_iter().cloned());

    let mut header: Vec<String> = HISTORY_COLUMNS.iter().map(|s| s.to_string()).collect();
    header.extend(areas.iter().map(|a| format!("area:{a}")));
    let mut rows = vec![header];
    for (a, s) in attempts.iter().zip(&scores) {
        let finished = a.finished_at.unwrap_or(a.started_at);
        let percent = a.percent();
        let mut row = vec![
            a.id.to_string(),
            finished.format("%Y-%m-%d").to_string(),
            a.started_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            a.finished_at
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default(),
            a.bank_id.clone(),
            a.mode.as_str().to_string(),
            a.status.clone(),
            a.correct.map(|c| c.to_string()).unwrap_or_default(),
            a.total.map(|t| t.to_string()).unwrap_or_default(),
            percent.map(pct).unwrap_or_default(),
            format!("{}", a.pass_percent),
            match percent {
                Some(p) => if p + 1e-9 >= a.pass_percent {
                    "yes"
                } else {
                    "no"
                }
                .to_string(),
                None => String::new(),
            },
        ];
        row.extend(areas.iter().map(|d| match s.get(d) {
            Some(&(c, t)) if t > 0 => pct(100.0 * c as f64 / t as f64),
            _ => String::new(),
        }));
        rows.push(row);
    }
    csv_string(&rows)
}

pub const MASTERY_COLUMNS: [&str; 8] = [
    "domain_id",
    "name",
    "weight_percent",
    "questions",
    "seen",
    "mastery_percent",
    "low_percent",
    "high_percent",
];

/// One row per skill area in manifest order, then an `overall` row with the predicted exam
/// score (blueprint-weighted) and its 80% band.
pub fn mastery_csv(report: &MasteryReport) -> Result<String, ExportError> {
    let mut rows = vec![
        MASTERY_COLUMNS
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
    ];
    for a in &report.areas {
        rows.push(vec![
            a.domain_id.clone(),
            a.name.clone(),
            pct(100.0 * a.weight),
            a.total.to_string(),
            a.seen.to_string(),
            pct(100.0 * a.mastery),
            pct(100.0 * a.low),
            pct(100.0 * a.high),
        ]);
    }
    let r = &report.readiness;
    rows.push(vec![
        "overall".into(),
        "Predicted exam score".into(),
        pct(100.0),
        report.total.to_string(),
        report.seen.to_string(),
        pct(100.0 * r.predicted),
        pct(100.0 * r.low),
        pct(100.0 * r.high),
    ]);
    csv_string(&rows)
}

/// The columns of the question-report export (docs/question-reports.md).
pub const REPORT_COLUMNS: [&str; 6] =
    ["bank", "question id", "area", "kind", "text", "reported at"];

/// Every question report, oldest first, for the bank's author: the area is the question's
/// skill area in the loaded bank (empty when the bank or the question is not loaded), the
/// kind its stable name, the time UTC (RFC 3339). Text goes through the same formula-safe
/// writer as the other exports, so a report that starts with `=` stays text.
pub fn reports_csv(
    reports: &[crate::store::reports::QuestionReport],
    banks: &[Bank],
) -> Result<String, ExportError> {
    let mut rows = vec![
        REPORT_COLUMNS
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
    ];
    for r in reports {
        let area = banks
            .iter()
            .find(|b| b.id() == r.bank_id)
            .and_then(|b| {
                b.question(&r.question_id)
                    .map(|q| b.domain_name(&q.domain).to_string())
            })
            .unwrap_or_default();
        rows.push(vec![
            r.bank_id.clone(),
            r.question_id.clone(),
            area,
            r.kind.as_str().to_string(),
            r.text.clone(),
            r.created_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ]);
    }
    csv_string(&rows)
}

/// Every report in `store` as CSV ([`reports_csv`]).
pub fn store_reports_csv(store: &Store, banks: &[Bank]) -> Result<(String, usize), ExportError> {
    let reports = store.reports()?;
    Ok((reports_csv(&reports, banks)?, reports.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::ReportKind;
    use crate::store::reports::QuestionReport;

    #[test]
    fn report_csv_has_its_columns_and_neutralises_formulas_and_controls() {
        let bank = crate::synth::bank(5, 3);
        let q = &bank.questions[0];
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-30T10:00:00.250Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let reports = vec![
            QuestionReport {
                id: "1".into(),
                bank_id: bank.id().into(),
                question_id: q.id.clone(),
                kind: ReportKind::WrongKey,
                text: "=HYPERLINK(\"http://x\",\"click\")".into(),
                created_at: at,
            },
            QuestionReport {
                id: "2".into(),
                bank_id: "gone".into(),
                question_id: "q9".into(),
                kind: ReportKind::Typo,
                text: "line one\nline two, with a comma".into(),
                created_at: at,
            },
        ];
        let text = reports_csv(&reports, std::slice::from_ref(&bank)).unwrap();
        let mut rd = ::csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header, REPORT_COLUMNS);
        let rows: Vec<Vec<String>> = rd
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][2], bank.domain_name(&q.domain));
        assert_eq!(rows[0][3], "wrong_key");
        assert!(rows[0][4].starts_with("'="), "{}", rows[0][4]);
        assert_eq!(rows[0][5], "2026-11-30T10:00:00Z");
        assert_eq!(rows[1][2], "", "bank not loaded: no area");
        assert!(!rows[1][4].contains('\n'), "{}", rows[1][4]);
        assert!(rows[1][4].contains("with a comma"));
    }
}
