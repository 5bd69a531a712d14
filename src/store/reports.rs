//! Question reports in the database (`question_reports`, schema v8): adding one, listing
//! them, deleting one. Every change is stamped like all synced history, so a report made on
//! one computer reaches the others (a `report` record, see `crate::sync::record`); a deletion
//! keeps the row as a tombstone with its text emptied, so it travels too.

use super::{Store, StoreError, parse_time, sync::new_uid};
use crate::reports::{ReportKind, check_id, check_text};
use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use rusqlite::params;

/// One report as the learner made it.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionReport {
    /// The same on every computer (32 hex digits).
    pub id: String,
    pub bank_id: String,
    pub question_id: String,
    pub kind: ReportKind,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

/// A report to add.
#[derive(Debug, Clone, Copy)]
pub struct NewReport<'a> {
    pub bank_id: &'a str,
    pub question_id: &'a str,
    pub kind: ReportKind,
    /// Up to [`crate::reports::MAX_REPORT_CHARS`] characters; surrounding blanks are trimmed.
    pub text: &'a str,
}

const COLUMNS: &str = "uid, bank_id, question_id, kind, text, created_at";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<QuestionReport> {
    let kind: String = r.get(3)?;
    let created: String = r.get(5)?;
    Ok(QuestionReport {
        id: r.get(0)?,
        bank_id: r.get(1)?,
        question_id: r.get(2)?,
        // The column's CHECK admits only known kinds.
        kind: ReportKind::parse(&kind).unwrap_or(ReportKind::Other),
        text: r.get(4)?,
        created_at: parse_time(&created),
    })
}

impl Store {
    /// Keep a report on a question, made at `at`. Refused (nothing written) when the text is
    /// longer than [`crate::reports::MAX_REPORT_CHARS`] or an id is empty or too long.
    pub fn add_report(
        &self,
        new: &NewReport<'_>,
        at: DateTime<Utc>,
    ) -> Result<QuestionReport, StoreError> {
        let text = new.text.trim();
        check_id("bank id", new.bank_id)
            .and_then(|()| check_id("question id", new.question_id))
            .and_then(|()| check_text(text))
            .map_err(StoreError::Report)?;
        // Kept to the millisecond, as written: the report returned is the one read back.
        let at = at.trunc_subsecs(3);
        let report = QuestionReport {
            id: new_uid(),
            bank_id: new.bank_id.to_string(),
            question_id: new.question_id.to_string(),
            kind: new.kind,
            text: text.to_string(),
            created_at: at,
        };
        let tx = self.write_tx()?;
        let hlc = self.stamp(&tx).map_err(|e| self.err(e))?;
        tx.execute(
            "INSERT INTO question_reports (uid, bank_id, question_id, kind, text, created_at, hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                report.id,
                report.bank_id,
                report.question_id,
                report.kind.as_str(),
                report.text,
                at.to_rfc3339_opts(SecondsFormat::Millis, true),
                hlc
            ],
        )
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(report)
    }

    /// Every report not deleted, oldest first (by bank, then question for equal times).
    pub fn reports(&self) -> Result<Vec<QuestionReport>, StoreError> {
        self.query_all(
            &format!(
                "SELECT {COLUMNS} FROM question_reports WHERE deleted = 0
                 ORDER BY created_at, bank_id, question_id, uid"
            ),
            [],
            from_row,
        )
    }

    /// The reports on one question, oldest first.
    pub fn reports_for(
        &self,
        bank_id: &str,
        question_id: &str,
    ) -> Result<Vec<QuestionReport>, StoreError> {
        self.query_all(
            &format!(
                "SELECT {COLUMNS} FROM question_reports
                 WHERE bank_id = ?1 AND question_id = ?2 AND deleted = 0
                 ORDER BY created_at, uid"
            ),
            [bank_id, question_id],
            from_row,
        )
    }

    /// Delete a report: its row stays as a stamped tombstone (text emptied) so the deletion
    /// reaches the other computers. `false` when there was no such report (or it was already
    /// deleted).
    pub fn delete_report(&self, id: &str) -> Result<bool, StoreError> {
        let tx = self.write_tx()?;
        let hlc = self.stamp(&tx).map_err(|e| self.err(e))?;
        let n = tx
            .execute(
                "UPDATE question_reports SET deleted = 1, text = '', hlc = ?2
                 WHERE uid = ?1 AND deleted = 0",
                params![id, hlc],
            )
            .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(n == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::{MAX_REPORT_CHARS, ReportError};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn add_list_and_delete() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open_in(dir.path()).unwrap();
        let a = s
            .add_report(
                &NewReport {
                    bank_id: "b",
                    question_id: "q1",
                    kind: ReportKind::WrongKey,
                    text: "  B is right too, see RFC 1918  ",
                },
                at("2026-11-30T10:00:00Z"),
            )
            .unwrap();
        assert_eq!(a.text, "B is right too, see RFC 1918", "trimmed");
        assert_eq!(a.id.len(), 32);
        let b = s
            .add_report(
                &NewReport {
                    bank_id: "b",
                    question_id: "q2",
                    kind: ReportKind::Typo,
                    text: "",
                },
                at("2026-11-30T09:00:00Z"),
            )
            .unwrap();
        assert_eq!(
            s.reports().unwrap(),
            vec![b.clone(), a.clone()],
            "oldest first"
        );
        assert_eq!(s.reports_for("b", "q1").unwrap(), vec![a.clone()]);
        assert!(s.reports_for("other", "q1").unwrap().is_empty());

        assert!(s.delete_report(&a.id).unwrap());
        assert!(!s.delete_report(&a.id).unwrap(), "already gone");
        assert!(!s.delete_report("nope").unwrap());
        assert_eq!(s.reports().unwrap(), vec![b]);
        // The tombstone keeps no text, and its stamp is newer than the report's.
        let (text, deleted): (String, bool) = s
            .connection()
            .query_row(
                "SELECT text, deleted FROM question_reports WHERE uid = ?1",
                [&a.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((text.as_str(), deleted), ("", true));
    }

    #[test]
    fn too_long_text_and_missing_ids_are_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open_in(dir.path()).unwrap();
        let long = "x".repeat(MAX_REPORT_CHARS + 1);
        let err = s
            .add_report(
                &NewReport {
                    bank_id: "b",
                    question_id: "q",
                    kind: ReportKind::Other,
                    text: &long,
                },
                Utc::now(),
            )
            .unwrap_err();
        assert!(matches!(
            err,
            StoreError::Report(ReportError::TooLong { chars: 2001, .. })
        ));
        assert!(err.to_string().contains("at most 2000"), "{err}");
        let err = s
            .add_report(
                &NewReport {
                    bank_id: "b",
                    question_id: "",
                    kind: ReportKind::Other,
                    text: "x",
                },
                Utc::now(),
            )
            .unwrap_err();
        assert!(matches!(
            err,
            StoreError::Report(ReportError::MissingId { .. })
        ));
        // Exactly the limit is kept.
        let max = "é".repeat(MAX_REPORT_CHARS);
        s.add_report(
            &NewReport {
                bank_id: "b",
                question_id: "q",
                kind: ReportKind::Unclear,
                text: &max,
            },
            Utc::now(),
        )
        .unwrap();
        assert_eq!(s.reports().unwrap().len(), 1);
    }

    #[test]
    fn the_schema_refuses_unknown_kinds_and_long_text_written_behind_its_back() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open_in(dir.path()).unwrap();
        let bad = [
            "INSERT INTO question_reports (uid, bank_id, question_id, kind, text, created_at)
             VALUES ('u', 'b', 'q', 'rude', '', '2026-01-01T00:00:00Z')",
            "INSERT INTO question_reports (uid, bank_id, question_id, kind, text, created_at)
             VALUES ('u', 'b', 'q', 'typo', printf('%.2001c', 'x'), '2026-01-01T00:00:00Z')",
        ];
        for sql in bad {
            assert!(s.connection().execute(sql, []).is_err(), "{sql}");
        }
    }
}
