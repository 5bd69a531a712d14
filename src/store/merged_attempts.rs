//! Another computer's attempts merged into this one: an exam's start, its state and its
//! answers (`sync::record`), each by its own rule.
//!
//! An answer's rule is [`AnswerRow::take`]: a record replaces what the row holds if its
//! stamp is newer. The merge applies it in two ways with the same result. An exam the merge
//! itself starts has its rows written once, each with what its answers make of it in stamp
//! order ([`apply_start`]): the 10,000 answers of a 100,000-record merge are not first
//! written empty and then rewritten one by one. An answer to an exam already here is read,
//! taken and written back ([`apply_item`]).

use super::sync::{FINISHED, Merge, Outcome, newer};
use crate::exam::AnswerConfidence;
use crate::sync::record::{AttemptStart, AttemptState, ItemRecord};
use rusqlite::{OptionalExtension, ToSql, params, params_from_iter};

/// One answer row of an attempt (`attempt_items`), as the merge reads and writes it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct AnswerRow {
    /// The options chosen, as the JSON list the column keeps.
    selected: String,
    flagged: bool,
    checked: bool,
    answered_at: Option<String>,
    hlc: Option<String>,
    time_ms: Option<i64>,
    confidence: Option<&'static str>,
}

impl AnswerRow {
    /// A question not answered yet, as an exam's start leaves it.
    fn unanswered() -> AnswerRow {
        AnswerRow {
            selected: "[]".into(),
            flagged: false,
            checked: false,
            answered_at: None,
            hlc: None,
            time_ms: None,
            confidence: None,
        }
    }

    /// Take the answer `i`, stamped `hlc`, if it is newer than what the row holds (or the row
    /// was never stamped); returns whether it did. v9's fields absent from `i` (an older
    /// certprep's record) keep what the row holds; a confidence mark certprep does not know
    /// is dropped rather than refused, and a negative time is not a time.
    pub(super) fn take(&mut self, hlc: &str, i: &ItemRecord) -> bool {
        if !newer(hlc, self.hlc.as_deref()) {
            return false;
        }
        self.selected = serde_json::to_string(&i.selected).unwrap_or_else(|_| "[]".into());
        self.flagged = i.flagged;
        self.checked = i.checked;
        self.answered_at.clone_from(&i.answered_at);
        self.hlc = Some(hlc.to_string());
        if let Some(t) = i.time_ms.filter(|t| *t >= 0) {
            self.time_ms = Some(t);
        }
        if let Some(c) = &i.confidence {
            self.confidence = AnswerConfidence::parse(c).map(|c| c.as_str());
        }
        true
    }

    /// The row's columns in the order both statements below bind them, after the row's key
    /// (and, for a new row, its question and option order).
    fn columns(&self) -> [&dyn ToSql; 7] {
        [
            &self.selected,
            &self.flagged,
            &self.checked,
            &self.answered_at,
            &self.hlc,
            &self.time_ms,
            &self.confidence,
        ]
    }
}

/// Start an exam from another computer unless it is here. `answers`: the records of its
/// answers in this merge with a valid stamp, in stamp order. Each row is written once, with
/// what the answers to its position make of it; returns the start's outcome and, if this
/// merge started the exam, the outcome of each of `answers` (an answer to a position the
/// exam does not have is left to [`apply_item`], which keeps it pending).
pub(super) fn apply_start(
    m: &mut Merge<'_>,
    hlc: &str,
    a: &AttemptStart,
    answers: &[(&str, &ItemRecord)],
) -> rusqlite::Result<(Outcome, Option<Vec<Option<Outcome>>>)> {
    let tx = m.tx;
    if m.attempt_id(&a.attempt)?.is_some() {
        return Ok((Outcome::Unchanged, None));
    }
    if !matches!(a.mode.as_str(), "exam" | "study") {
        return Ok((Outcome::Pending, None));
    }
    tx.prepare_cached(
        "INSERT INTO attempts (bank_id, bank_version, mode, seed, pass_percent, time_limit_secs,
                               status, started_at, pack_id, uid, start_hlc, title, practice)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'in_progress', ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        a.bank_id,
        a.bank_version,
        a.mode,
        a.seed,
        a.pass_percent,
        a.time_limit_secs,
        a.started_at,
        a.pack_id,
        a.attempt,
        hlc,
        a.title,
        a.practice
    ])?;
    let id = tx.last_insert_rowid();
    m.attempts.insert(a.attempt.clone(), id);
    let mut rows = vec![AnswerRow::unanswered(); a.items.len()];
    let outcomes = answers
        .iter()
        .map(|&(hlc, i)| {
            let row = usize::try_from(i.position)
                .ok()
                .and_then(|p| rows.get_mut(p))?;
            Some(if row.take(hlc, i) {
                Outcome::Applied
            } else {
                Outcome::Unchanged
            })
        })
        .collect();
    let mut st = tx.prepare_cached(
        "INSERT INTO attempt_items (attempt_id, position, question_id, option_order, selected,
                                    flagged, checked, answered_at, hlc, time_ms, confidence)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for (pos, ((qid, order), row)) in a.items.iter().zip(&rows).enumerate() {
        let order = serde_json::to_string(order).unwrap_or_else(|_| "[]".into());
        let key: [&dyn ToSql; 4] = [&id, &(pos as i64), qid, &order];
        st.execute(params_from_iter(key.into_iter().chain(row.columns())))?;
    }
    Ok((Outcome::Applied, Some(outcomes)))
}

pub(super) fn apply_state(
    m: &mut Merge<'_>,
    hlc: &str,
    s: &AttemptState,
) -> rusqlite::Result<Outcome> {
    let tx = m.tx;
    let Some(id) = m.attempt_id(&s.attempt)? else {
        return Ok(Outcome::Pending);
    };
    if !matches!(
        s.status.as_str(),
        "in_progress" | "submitted" | "expired" | "abandoned"
    ) {
        return Ok(Outcome::Pending);
    }
    let (stored, was): (Option<String>, String) = tx
        .prepare_cached("SELECT state_hlc, status FROM attempts WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    // A finished exam stays finished: its score is the record of it, and a later "still in
    // progress" from a computer that had not heard of the finish (its clock ahead) must not
    // reopen it on some computers and not on others. So a finish beats any unfinished state,
    // and between two of a kind the newest stamp wins: the same result in any order.
    let (stored_final, incoming_final) = (
        FINISHED.contains(&was.as_str()),
        FINISHED.contains(&s.status.as_str()),
    );
    let wins = match (stored_final, incoming_final) {
        (true, false) => false,
        (false, true) => true,
        _ => newer(hlc, stored.as_deref()),
    };
    if !wins {
        return Ok(Outcome::Unchanged);
    }
    tx.prepare_cached(
        "UPDATE attempts SET status = ?2, finished_at = ?3, elapsed_ms = ?4, current_index = ?5,
                score_correct = ?6, score_total = ?7, state_hlc = ?8
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        s.status,
        s.finished_at,
        s.elapsed_ms,
        s.current_index,
        s.score.as_ref().map(|x| x.correct),
        s.score.as_ref().map(|x| x.total),
        hlc
    ])?;
    if let Some(score) = &s.score {
        tx.prepare_cached("DELETE FROM attempt_domain_scores WHERE attempt_id = ?1")?
            .execute([id])?;
        for (domain, correct, total) in &score.domains {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO attempt_domain_scores (attempt_id, domain_id, correct, total)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![id, domain, correct, total])?;
        }
        let first_finish =
            !FINISHED.contains(&was.as_str()) && FINISHED.contains(&s.status.as_str());
        let when = s.finished_at.clone().unwrap_or_default();
        let bank: String = tx
            .prepare_cached("SELECT bank_id FROM attempts WHERE id = ?1")?
            .query_row([id], |r| r.get(0))?;
        for (pos, (qid, correct)) in score.items.iter().enumerate() {
            tx.prepare_cached(
                "UPDATE attempt_items SET correct = ?3 WHERE attempt_id = ?1 AND position = ?2",
            )?
            .execute(params![id, pos as i64, correct])?;
            if first_finish {
                // Counted once per attempt, however many computers finish it.
                super::count_question_seen(tx, &bank, qid, *correct, &when)?;
            }
        }
    }
    Ok(Outcome::Applied)
}

/// Apply an answer to an exam already here: its row read, the answer taken if newer
/// ([`AnswerRow::take`]), the row written back.
pub(super) fn apply_item(
    m: &mut Merge<'_>,
    hlc: &str,
    i: &ItemRecord,
) -> rusqlite::Result<Outcome> {
    let tx = m.tx;
    let Some(id) = m.attempt_id(&i.attempt)? else {
        return Ok(Outcome::Pending);
    };
    let row = tx
        .prepare_cached(
            "SELECT selected, flagged, checked, answered_at, hlc, time_ms, confidence
             FROM attempt_items WHERE attempt_id = ?1 AND position = ?2",
        )?
        .query_row(params![id, i.position], |r| {
            Ok(AnswerRow {
                selected: r.get(0)?,
                flagged: r.get(1)?,
                checked: r.get(2)?,
                answered_at: r.get(3)?,
                hlc: r.get(4)?,
                time_ms: r.get(5)?,
                confidence: r
                    .get::<_, Option<String>>(6)?
                    .as_deref()
                    .and_then(AnswerConfidence::parse)
                    .map(|c| c.as_str()),
            })
        })
        .optional()?;
    // A position the attempt does not have: not something certprep writes.
    let Some(mut row) = row else {
        return Ok(Outcome::Pending);
    };
    if !row.take(hlc, i) {
        return Ok(Outcome::Unchanged);
    }
    tx.prepare_cached(
        "UPDATE attempt_items SET selected = ?3, flagged = ?4, checked = ?5, answered_at = ?6,
                hlc = ?7, time_ms = ?8, confidence = ?9
         WHERE attempt_id = ?1 AND position = ?2",
    )?
    .execute(params_from_iter(
        [&id as &dyn ToSql, &i.position]
            .into_iter()
            .chain(row.columns()),
    ))?;
    Ok(Outcome::Applied)
}

#[cfg(test)]
mod tests {
    use crate::store::Store;
    use crate::store::sync::FileBatch;
    use crate::sync::hlc::Hlc;
    use crate::sync::record::{AttemptStart, Body, ItemRecord, Record};

    const EXAM: &str = "019ad7358400000000000000000000e1";

    fn at(minute: i64) -> String {
        Hlc::new(1_764_547_200_000 + minute * 60_000, 0, "00000000000000b0").to_string()
    }

    fn answer(minute: i64, position: i64, time_ms: Option<i64>, mark: Option<&str>) -> Record {
        Record {
            hlc: at(minute),
            body: Body::Item(ItemRecord {
                attempt: EXAM.into(),
                position,
                selected: vec![format!("o{minute}")],
                flagged: minute % 2 == 0,
                checked: false,
                answered_at: Some(format!("2025-12-01T00:0{minute}:00.000Z")),
                time_ms,
                confidence: mark.map(str::to_string),
            }),
        }
    }

    fn batch(name: &str, records: Vec<Record>) -> Vec<FileBatch> {
        vec![FileBatch {
            name: format!("00000000000000b0-{name}.certprep-journal"),
            len: 1,
            mtime_ms: 1,
            clean: true,
            records,
        }]
    }

    type Row = (
        i64,
        String,
        bool,
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<String>,
    );

    fn rows(store: &Store) -> Vec<Row> {
        store
            .connection()
            .prepare(
                "SELECT position, selected, flagged, answered_at, hlc, time_ms, confidence
                 FROM attempt_items ORDER BY position",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// An exam started by a merge has its rows written with its answers; the rows must be
    /// what the same answers make of them when they come in later passes, one by one, each
    /// read, taken and written back; and each answer must be reported the same way.
    #[test]
    fn an_exam_merged_with_its_answers_is_what_its_answers_make_of_it_one_by_one() {
        let start = Record {
            hlc: at(1),
            body: Body::AttemptStart(AttemptStart {
                attempt: EXAM.into(),
                bank_id: "bank".into(),
                bank_version: "1".into(),
                mode: "exam".into(),
                seed: 7,
                pass_percent: 70.0,
                time_limit_secs: Some(600),
                started_at: "2025-12-01T00:01:00.000Z".into(),
                pack_id: None,
                title: None,
                practice: false,
                items: (0..3)
                    .map(|q| (format!("q{q}"), vec!["a".into(), "b".into()]))
                    .collect(),
            }),
        };
        // In stamp order: position 0 answered, then changed by an older certprep (no time,
        // no mark: those it had stay) and the change seen twice; position 1 with a time that
        // is not one and a mark certprep does not know; a position the exam does not have.
        let answers = vec![
            answer(2, 0, Some(5_000), Some("sure")),
            answer(3, 1, Some(-1), Some("certain")),
            answer(4, 0, None, None),
            answer(4, 0, None, None),
            answer(5, 7, Some(1_000), None),
        ];

        let together_dir = tempfile::tempdir().unwrap();
        let mut together = Store::open_in(together_dir.path()).unwrap();
        let mut all = vec![start.clone()];
        all.extend(answers.iter().cloned());
        let merged = together.apply_records(batch("000001", all)).unwrap();

        let apart_dir = tempfile::tempdir().unwrap();
        let mut apart = Store::open_in(apart_dir.path()).unwrap();
        let mut reports = vec![apart.apply_records(batch("000001", vec![start])).unwrap()];
        for (n, a) in answers.into_iter().enumerate() {
            let name = format!("00000{}", n + 2);
            reports.push(apart.apply_records(batch(&name, vec![a])).unwrap());
        }

        let outcome =
            |applied: usize, unchanged: usize, pending: usize| (applied, unchanged, pending);
        assert_eq!(
            outcome(merged.applied, merged.unchanged, merged.pending),
            outcome(4, 1, 1),
            "{merged:?}"
        );
        let sum = |f: fn(&crate::store::sync::Applied) -> usize| reports.iter().map(f).sum();
        assert_eq!(
            outcome(sum(|r| r.applied), sum(|r| r.unchanged), sum(|r| r.pending)),
            outcome(4, 1, 1)
        );
        let expected: Vec<Row> = vec![
            (
                0,
                r#"["o4"]"#.into(),
                true,
                Some("2025-12-01T00:04:00.000Z".into()),
                Some(at(4)),
                Some(5_000),
                Some("sure".into()),
            ),
            (
                1,
                r#"["o3"]"#.into(),
                false,
                Some("2025-12-01T00:03:00.000Z".into()),
                Some(at(3)),
                None,
                None,
            ),
            (2, "[]".into(), false, None, None, None, None),
        ];
        assert_eq!(rows(&together), expected);
        assert_eq!(rows(&apart), expected);
    }
}
