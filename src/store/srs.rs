//! Persistence for spaced repetition and readiness: FSRS cards, the review log, study
//! settings, the exam-date plan, predictions (for calibration) and readiness history.
//!
//! `cards` is the incremental aggregate: one row per seen question, so mastery and readiness
//! read at most one row per question however long the review log grows.

use super::{Store, StoreError, now_utc, parse_time};
use crate::mastery::{Prediction, Readiness};
use crate::srs::{Card, CardRecord, Review, StudySettings, state_code, state_from_code};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use std::collections::HashMap;

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The learner's exam date and target score for one bank.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyPlanSettings {
    pub exam_date: NaiveDate,
    /// Target predicted score, 0..1.
    pub target: f64,
}

/// One day's readiness, for the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadinessPoint {
    pub day: NaiveDate,
    pub predicted: f64,
    pub low: f64,
    pub high: f64,
}

/// One review-log row as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewLogRow {
    pub question_id: String,
    pub reviewed_at: DateTime<Utc>,
    pub rating: i64,
    pub correct: bool,
    pub elapsed_days: i64,
    pub scheduled_days: i64,
    pub state_before: i64,
    pub state_after: i64,
    pub source: String,
}

/// Write one review, stamped `hlc`: the card's new state and its log row, together.
pub(super) fn write_review(tx: &Transaction, r: &Review, hlc: &str) -> rusqlite::Result<()> {
    upsert_card(tx, &r.bank_id, &r.after)?;
    let c = &r.after.card;
    tx.execute(
        "INSERT INTO review_log (bank_id, question_id, reviewed_at, rating, correct, elapsed_days,
                                 scheduled_days, state_before, state_after, stability_after,
                                 due_after, source, attempt_id, uid, hlc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            r.bank_id,
            r.after.question_id,
            ts(r.reviewed_at),
            r.rating as i64,
            r.correct,
            r.elapsed_days,
            r.scheduled_days,
            state_code(r.state_before),
            state_code(c.state),
            c.stability,
            ts(c.due),
            r.source.as_str(),
            r.attempt_id,
            super::sync::new_uid(),
            hlc,
        ],
    )?;
    Ok(())
}

/// Store one card's state (new or replacing the old).
pub(super) fn upsert_card(
    tx: &rusqlite::Connection,
    bank_id: &str,
    after: &CardRecord,
) -> rusqlite::Result<()> {
    let c = &after.card;
    tx.prepare_cached(
        "INSERT INTO cards (bank_id, question_id, due, stability, difficulty, elapsed_days,
                            scheduled_days, reps, lapses, state, last_review, reviews, correct,
                            first_correct)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT (bank_id, question_id) DO UPDATE SET
            due = excluded.due, stability = excluded.stability, difficulty = excluded.difficulty,
            elapsed_days = excluded.elapsed_days, scheduled_days = excluded.scheduled_days,
            reps = excluded.reps, lapses = excluded.lapses, state = excluded.state,
            last_review = excluded.last_review, reviews = excluded.reviews,
            correct = excluded.correct, first_correct = excluded.first_correct",
    )?
    .execute(params![
        bank_id,
        after.question_id,
        ts(c.due),
        c.stability,
        c.difficulty,
        c.elapsed_days,
        c.scheduled_days,
        c.reps,
        c.lapses,
        state_code(c.state),
        ts(c.last_review),
        after.reviews,
        after.correct,
        after.first_correct,
    ])?;
    Ok(())
}

impl Store {
    /// Every seen card of a bank, by question id.
    pub fn load_cards(&self, bank_id: &str) -> Result<HashMap<String, CardRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT question_id, due, stability, difficulty, elapsed_days, scheduled_days,
                        reps, lapses, state, last_review, reviews, correct, first_correct
                 FROM cards WHERE bank_id = ?1",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([bank_id], |r| {
                let due: String = r.get(1)?;
                let last: String = r.get(9)?;
                Ok(CardRecord {
                    question_id: r.get(0)?,
                    card: Card {
                        due: parse_time(&due),
                        stability: r.get(2)?,
                        difficulty: r.get(3)?,
                        elapsed_days: r.get(4)?,
                        scheduled_days: r.get(5)?,
                        reps: r.get(6)?,
                        lapses: r.get(7)?,
                        state: state_from_code(r.get(8)?),
                        last_review: parse_time(&last),
                    },
                    reviews: r.get(10)?,
                    correct: r.get(11)?,
                    first_correct: r.get(12)?,
                })
            })
            .map_err(|e| self.err(e))?;
        let mut out = HashMap::new();
        for row in rows {
            let c = row.map_err(|e| self.err(e))?;
            out.insert(c.question_id.clone(), c);
        }
        Ok(out)
    }

    /// Durably record one study rating (card and log row in one transaction).
    pub fn record_review(&self, review: &Review) -> Result<(), StoreError> {
        let tx = self.write_tx()?;
        self.stamp(&tx)
            .and_then(|hlc| write_review(&tx, review, &hlc))
            .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    /// Reviews since `since` for a bank: (new cards introduced, all reviews).
    pub fn reviews_since(
        &self,
        bank_id: &str,
        since: DateTime<Utc>,
    ) -> Result<(usize, usize), StoreError> {
        self.conn
            .query_row(
                "SELECT COALESCE(SUM(state_before = 0), 0), COUNT(*) FROM review_log
                 WHERE bank_id = ?1 AND reviewed_at >= ?2",
                params![bank_id, ts(since)],
                |r| Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)? as usize)),
            )
            .map_err(|e| self.err(e))
    }

    /// Answers given on each of `days` (local calendar days). One indexed range count per
    /// day: no row is read, so a heavy month costs the same as a light one.
    pub fn answers_per_day(
        &self,
        bank_id: &str,
        days: impl IntoIterator<Item = NaiveDate>,
    ) -> Result<Vec<(NaiveDate, usize)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT COUNT(*) FROM review_log
                 WHERE bank_id = ?1 AND reviewed_at >= ?2 AND reviewed_at < ?3",
            )
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for day in days {
            let bounds = crate::srs::local_midnight(day)
                .zip(day.succ_opt().and_then(crate::srs::local_midnight));
            let n = match bounds {
                Some((from, to)) => stmt
                    .query_row(params![bank_id, ts(from), ts(to)], |r| r.get::<_, i64>(0))
                    .map_err(|e| self.err(e))? as usize,
                None => 0,
            };
            out.push((day, n));
        }
        Ok(out)
    }

    /// The review log of one question, oldest first.
    pub fn review_log(
        &self,
        bank_id: &str,
        question_id: &str,
    ) -> Result<Vec<ReviewLogRow>, StoreError> {
        self.query_all(
            "SELECT question_id, reviewed_at, rating, correct, elapsed_days, scheduled_days,
                    state_before, state_after, source
             FROM review_log WHERE bank_id = ?1 AND question_id = ?2 ORDER BY id",
            [bank_id, question_id],
            |r| {
                let at: String = r.get(1)?;
                Ok(ReviewLogRow {
                    question_id: r.get(0)?,
                    reviewed_at: parse_time(&at),
                    rating: r.get(2)?,
                    correct: r.get(3)?,
                    elapsed_days: r.get(4)?,
                    scheduled_days: r.get(5)?,
                    state_before: r.get(6)?,
                    state_after: r.get(7)?,
                    source: r.get(8)?,
                })
            },
        )
    }

    // -----------------------------------------------------------------------------------------
    // Settings kept with the history

    fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Set a settings-table value; a key that travels (`sync::SYNCED_SETTINGS`) is stamped.
    pub(super) fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let tx = self.write_tx()?;
        let hlc = if super::sync::SYNCED_SETTINGS.contains(&key) {
            Some(self.stamp(&tx).map_err(|e| self.err(e))?)
        } else {
            None
        };
        tx.execute(
            "INSERT INTO settings (key, value, hlc) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, hlc = excluded.hlc",
            params![key, value, hlc],
        )
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    /// Study settings; a missing or unreadable value gives the default.
    pub fn study_settings(&self) -> Result<StudySettings, StoreError> {
        Ok(self
            .setting("study")?
            .and_then(|t| serde_json::from_str::<StudySettings>(&t).ok())
            .unwrap_or_default()
            .clamped())
    }

    /// Save the study settings. When they change how FSRS schedules (the desired
    /// retention), every card is recomputed from the review log with them, in the same
    /// transaction: cards are a function of the log and the settings, so a computer that
    /// receives these settings by sync computes the same cards.
    pub fn set_study_settings(&self, s: StudySettings) -> Result<(), StoreError> {
        let before = self.study_settings()?;
        let text = serde_json::to_string(&s.clamped()).unwrap_or_default();
        let tx = self.write_tx()?;
        let hlc = self.stamp(&tx).map_err(|e| self.err(e))?;
        tx.execute(
            "INSERT INTO settings (key, value, hlc) VALUES ('study', ?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, hlc = excluded.hlc",
            params![text, hlc],
        )
        .map_err(|e| self.err(e))?;
        if before.desired_retention != s.clamped().desired_retention {
            super::sync::replay_all_cards(&tx).map_err(|e| self.err(e))?;
        }
        tx.commit().map_err(|e| self.err(e))
    }

    pub fn study_plan(&self, bank_id: &str) -> Result<Option<StudyPlanSettings>, StoreError> {
        let row: Option<(String, f64)> = self
            .conn
            .query_row(
                "SELECT exam_date, target FROM study_plans WHERE bank_id = ?1",
                [bank_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(row.and_then(|(d, target)| {
            NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .ok()
                .map(|exam_date| StudyPlanSettings { exam_date, target })
        }))
    }

    pub fn set_study_plan(
        &self,
        bank_id: &str,
        plan: &StudyPlanSettings,
    ) -> Result<(), StoreError> {
        let tx = self.write_tx()?;
        let hlc = self.stamp(&tx).map_err(|e| self.err(e))?;
        tx.execute(
            "INSERT INTO study_plans (bank_id, exam_date, target, hlc) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (bank_id) DO UPDATE SET exam_date = excluded.exam_date,
                                                 target = excluded.target, hlc = excluded.hlc",
            params![
                bank_id,
                plan.exam_date.format("%Y-%m-%d").to_string(),
                plan.target,
                hlc
            ],
        )
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    // -----------------------------------------------------------------------------------------
    // Predictions and readiness history

    /// Remember what readiness predicted when a mock exam started.
    pub fn save_prediction(
        &self,
        attempt_id: i64,
        bank_id: &str,
        r: &Readiness,
    ) -> Result<(), StoreError> {
        let tx = self.write_tx()?;
        let hlc = self.stamp(&tx).map_err(|e| self.err(e))?;
        tx.execute(
            "INSERT OR REPLACE INTO predictions
                (attempt_id, bank_id, made_at, predicted, low, high, pass_probability, hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                attempt_id,
                bank_id,
                now_utc(),
                r.predicted,
                r.low,
                r.high,
                r.pass_probability,
                hlc
            ],
        )
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    /// Predictions of a bank, oldest first, with the exam score where the exam was submitted.
    pub fn predictions(&self, bank_id: &str) -> Result<Vec<Prediction>, StoreError> {
        self.query_all(
            "SELECT p.attempt_id, p.made_at, p.predicted, p.low, p.high, p.pass_probability,
                    CASE WHEN a.status IN ('submitted','expired') AND a.score_total > 0
                         THEN CAST(a.score_correct AS REAL) / a.score_total END
             FROM predictions p JOIN attempts a ON a.id = p.attempt_id
             WHERE p.bank_id = ?1 ORDER BY p.attempt_id",
            [bank_id],
            |r| {
                let made: String = r.get(1)?;
                Ok(Prediction {
                    attempt_id: r.get(0)?,
                    made_at: parse_time(&made),
                    predicted: r.get(2)?,
                    low: r.get(3)?,
                    high: r.get(4)?,
                    pass_probability: r.get(5)?,
                    actual: r.get(6)?,
                })
            },
        )
    }

    /// Keep today's readiness (one row per bank and day; the latest of the day wins).
    pub fn save_readiness_point(
        &self,
        bank_id: &str,
        day: NaiveDate,
        r: &Readiness,
    ) -> Result<(), StoreError> {
        let tx = self.write_tx()?;
        let day = day.format("%Y-%m-%d").to_string();
        // Only a change is stamped (the dashboard saves the day's point on every visit).
        let same: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM readiness_history WHERE bank_id = ?1 AND day = ?2
                   AND predicted = ?3 AND low = ?4 AND high = ?5 AND pass_probability = ?6",
                params![bank_id, day, r.predicted, r.low, r.high, r.pass_probability],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        if same.is_some() {
            return Ok(());
        }
        let hlc = self.stamp(&tx).map_err(|e| self.err(e))?;
        tx.execute(
            "INSERT INTO readiness_history (bank_id, day, predicted, low, high, pass_probability, hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (bank_id, day) DO UPDATE SET predicted = excluded.predicted,
                low = excluded.low, high = excluded.high,
                pass_probability = excluded.pass_probability, hlc = excluded.hlc",
            params![bank_id, day, r.predicted, r.low, r.high, r.pass_probability, hlc],
        )
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    pub fn readiness_history(&self, bank_id: &str) -> Result<Vec<ReadinessPoint>, StoreError> {
        let rows: Vec<(String, f64, f64, f64)> = self.query_all(
            "SELECT day, predicted, low, high FROM readiness_history
             WHERE bank_id = ?1 ORDER BY day",
            [bank_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|(d, predicted, low, high)| {
                NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                    .ok()
                    .map(|day| ReadinessPoint {
                        day,
                        predicted,
                        low,
                        high,
                    })
            })
            .collect())
    }
}
