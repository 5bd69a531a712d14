//! Persistence for spaced repetition and readiness: FSRS cards, the review log, study
//! settings, the exam-date plan, predictions (for calibration) and readiness history.
//!
//! `cards` is the incremental aggregate: one row per seen question, so mastery and readiness
//! read at most one row per question however long the review log grows.

use super::{Store, StoreError, now_utc, parse_time};
use crate::mastery::{ModelInputs, Prediction, Readiness, RealismSums};
use crate::srs::{
    Card, CardRecord, LoggedAnswer, Review, ReviewSource, Scheduler, StudySettings, state_code,
    state_from_code,
};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use std::collections::HashMap;

/// `text` as a time, or `fallback` when it is empty or unreadable.
fn parse_time_or(text: &str, fallback: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).map_or(fallback, |t| t.with_timezone(&Utc))
}

pub(super) fn ts(t: DateTime<Utc>) -> String {
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
    /// The mock exam a `source = "exam"` answer was given in.
    pub attempt_id: Option<i64>,
}

fn pass_mark_key(bank_id: &str) -> String {
    format!("{}{bank_id}", crate::sync::record::keys::PASS_MARK)
}

fn valid_pass_percent(p: f64) -> bool {
    p.is_finite() && (1.0..=100.0).contains(&p)
}

/// Add a mock exam's realism evidence to its bank's sums (in the exam's transaction).
pub(super) fn add_realism(
    tx: &rusqlite::Connection,
    bank_id: &str,
    r: &RealismSums,
) -> rusqlite::Result<()> {
    if r.answers == 0 {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO realism (bank_id, sum_mx, sum_mm, answers) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (bank_id) DO UPDATE SET sum_mx = sum_mx + excluded.sum_mx,
            sum_mm = sum_mm + excluded.sum_mm, answers = answers + excluded.answers",
        params![bank_id, r.sum_mx, r.sum_mm, r.answers],
    )
    .map(|_| ())
}

/// Write one review, stamped `hlc`: the card's new state and its log row, together.
pub(super) fn write_review(tx: &Transaction, r: &Review, hlc: &str) -> rusqlite::Result<()> {
    write_review_on(tx, r, hlc)
}

pub(super) fn write_review_on(
    tx: &rusqlite::Connection,
    r: &Review,
    hlc: &str,
) -> rusqlite::Result<()> {
    write_card(tx, &r.bank_id, &r.after)?;
    let c = &r.after.card;
    tx.execute(
        "INSERT INTO review_log (bank_id, question_id, reviewed_at, rating, correct, elapsed_days,
                                 scheduled_days, state_before, state_after, stability_after,
                                 due_after, source, attempt_id, duration_ms, uid, hlc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
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
            r.duration_ms,
            super::sync::new_uid(),
            hlc,
        ],
    )?;
    Ok(())
}

/// Insert or update one card row.
pub(super) fn write_card(
    tx: &rusqlite::Connection,
    bank_id: &str,
    rec: &CardRecord,
) -> rusqlite::Result<()> {
    let c = &rec.card;
    tx.prepare_cached(
        "INSERT INTO cards (bank_id, question_id, due, stability, difficulty, elapsed_days,
                            scheduled_days, reps, lapses, state, last_review, reviews, correct,
                            first_correct, step, decay, last_correct, first_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18)
         ON CONFLICT (bank_id, question_id) DO UPDATE SET
            due = excluded.due, stability = excluded.stability, difficulty = excluded.difficulty,
            elapsed_days = excluded.elapsed_days, scheduled_days = excluded.scheduled_days,
            reps = excluded.reps, lapses = excluded.lapses, state = excluded.state,
            last_review = excluded.last_review, reviews = excluded.reviews,
            correct = excluded.correct, first_correct = excluded.first_correct,
            step = excluded.step, decay = excluded.decay,
            last_correct = excluded.last_correct, first_at = excluded.first_at",
    )?
    .execute(params![
        bank_id,
        rec.question_id,
        ts(c.due),
        c.stability,
        c.difficulty,
        c.elapsed_days,
        c.scheduled_days,
        c.reps,
        c.lapses,
        state_code(c.state),
        ts(c.last_review),
        rec.reviews,
        rec.correct,
        rec.first_correct,
        c.step,
        c.decay,
        rec.last_correct,
        ts(rec.first_at),
    ])?;
    Ok(())
}

/// One settings-table value, read on any connection (the one query every settings read uses).
pub(super) fn setting_in(
    conn: &rusqlite::Connection,
    key: &str,
) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
        r.get(0)
    })
    .optional()
}

/// Study settings as stored; a missing or unreadable value gives the defaults.
fn study_settings_in(conn: &rusqlite::Connection) -> rusqlite::Result<StudySettings> {
    Ok(setting_in(conn, "study")?
        .and_then(|t| serde_json::from_str::<StudySettings>(&t).ok())
        .unwrap_or_default()
        .clamped())
}

/// When a bank's exam day starts (local midnight of its exam date), if it has one.
fn exam_at_in(
    conn: &rusqlite::Connection,
    bank_id: &str,
) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let day: Option<String> = conn
        .query_row(
            "SELECT exam_date FROM study_plans WHERE bank_id = ?1",
            [bank_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(day
        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .and_then(crate::srs::local_midnight))
}

/// The scheduler for one bank: the learner's settings and parameters, and the bank's exam
/// date.
pub(super) fn scheduler_in(
    conn: &rusqlite::Connection,
    bank_id: &str,
) -> rusqlite::Result<Scheduler> {
    let settings = study_settings_in(conn)?;
    Ok(Scheduler::from_settings(&settings).with_exam(exam_at_in(conn, bank_id)?))
}

/// One review-log row as a replay needs it.
pub(super) fn logged_answer(at: &str, rating: i64, source: &str) -> LoggedAnswer {
    LoggedAnswer {
        at: parse_time(at),
        rating: crate::srs::rating_from_code(rating),
        source: if source == "exam" {
            ReviewSource::Exam
        } else {
            ReviewSource::Study
        },
    }
}

/// The order a card's answers were given in: by hybrid-logical-clock stamp (docs/sync.md),
/// which no computer's wrong clock can invert; rows from before sync existed have no stamp
/// and come first, by time. Schema v4's upgrade step replays the log before v5 adds the
/// stamp: there, every row is unstamped and time alone orders them.
pub(super) fn answer_order(conn: &rusqlite::Connection) -> rusqlite::Result<&'static str> {
    let stamped: bool = conn.query_row(
        "SELECT COUNT(*) > 0 FROM pragma_table_info('review_log') WHERE name = 'hlc'",
        [],
        |r| r.get(0),
    )?;
    Ok(if stamped {
        "hlc, reviewed_at, id"
    } else {
        "reviewed_at, id"
    })
}

/// Every answer of the review log, grouped by card (bank, question), each card's oldest
/// first (see [`answer_order`]). One pass over the log in its question index.
fn answer_logs_in(
    conn: &rusqlite::Connection,
    bank_id: Option<&str>,
) -> rusqlite::Result<Vec<(String, String, Vec<LoggedAnswer>)>> {
    let order = answer_order(conn)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT bank_id, question_id, reviewed_at, rating, source FROM review_log
         WHERE ?1 IS NULL OR bank_id = ?1
         ORDER BY bank_id, question_id, {order}"
    ))?;
    let mut rows = stmt.query([bank_id])?;
    let mut out: Vec<(String, String, Vec<LoggedAnswer>)> = Vec::new();
    while let Some(r) = rows.next()? {
        let bank: String = r.get(0)?;
        let question: String = r.get(1)?;
        let at: String = r.get(2)?;
        let source: String = r.get(4)?;
        let answer = logged_answer(&at, r.get(3)?, &source);
        match out.last_mut() {
            Some((b, q, log)) if *b == bank && *q == question => log.push(answer),
            _ => out.push((bank, question, vec![answer])),
        }
    }
    Ok(out)
}

/// Recompute the memory state and due date of every card (of one bank, or all) from its
/// review log, as if the learner's current settings, parameters and exam date had always
/// been in force (py-fsrs's `reschedule_card`). Counts (reviews, right answers, first try)
/// stay: they are facts, not schedule. Returns how many cards were rescheduled.
///
/// Runs on every change that alters the schedule (schema v4, fitted or reset parameters,
/// desired retention, steps, an exam date), so the stored schedule is always what the
/// current settings say. Linear in the log: one ordered read, one write per card.
pub(super) fn reschedule(
    conn: &rusqlite::Connection,
    bank_id: Option<&str>,
) -> rusqlite::Result<usize> {
    let logs = answer_logs_in(conn, bank_id)?;
    let mut schedulers: HashMap<String, Scheduler> = HashMap::new();
    let mut n = 0;
    for (bank, question, log) in &logs {
        if !schedulers.contains_key(bank) {
            schedulers.insert(bank.clone(), scheduler_in(conn, bank)?);
        }
        let Some(card) = schedulers.get(bank).and_then(|s| s.replay(log)) else {
            continue;
        };
        n += conn.execute(
            "UPDATE cards SET due = ?3, stability = ?4, difficulty = ?5, elapsed_days = ?6,
                    scheduled_days = ?7, reps = ?8, lapses = ?9, state = ?10, last_review = ?11,
                    step = ?12, decay = ?13
             WHERE bank_id = ?1 AND question_id = ?2",
            params![
                bank,
                question,
                ts(card.due),
                card.stability,
                card.difficulty,
                card.elapsed_days,
                card.scheduled_days,
                card.reps,
                card.lapses,
                state_code(card.state),
                ts(card.last_review),
                card.step,
                card.decay,
            ],
        )?;
    }
    Ok(n)
}

/// When and how well the learner's parameters were last fitted.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FitRecord {
    pub fitted_at: DateTime<Utc>,
    /// Usable reviews the fit saw.
    pub reviews: usize,
    pub log_loss_before: f64,
    pub log_loss_after: f64,
    pub rmse_before: f64,
    pub rmse_after: f64,
    /// Whether the fitted parameters were kept (they predicted better).
    pub improved: bool,
}

/// The columns [`card_from_row`] reads, in its order.
const CARD_COLUMNS: &str = "question_id, due, stability, difficulty, elapsed_days, scheduled_days,
     reps, lapses, state, last_review, reviews, correct, first_correct, step, decay,
     last_correct, first_at";

fn card_from_row(r: &rusqlite::Row) -> rusqlite::Result<CardRecord> {
    let due: String = r.get(1)?;
    let last: String = r.get(9)?;
    let first: String = r.get(16)?;
    let last_review = parse_time(&last);
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
            last_review,
            step: r.get(13)?,
            decay: r.get(14)?,
        },
        reviews: r.get(10)?,
        correct: r.get(11)?,
        first_correct: r.get(12)?,
        last_correct: r.get(15)?,
        // Written by every review since schema v5 and filled from the log by the upgrade; a
        // row without one is read as first answered when last.
        first_at: parse_time_or(&first, last_review),
    })
}

impl Store {
    /// Every seen card of a bank, by question id.
    pub fn load_cards(&self, bank_id: &str) -> Result<HashMap<String, CardRecord>, StoreError> {
        let cards = self.query_all(
            &format!("SELECT {CARD_COLUMNS} FROM cards WHERE bank_id = ?1"),
            [bank_id],
            card_from_row,
        )?;
        Ok(cards
            .into_iter()
            .map(|c| (c.question_id.clone(), c))
            .collect())
    }

    /// One question's card; `None` until it is first answered.
    pub fn load_card(
        &self,
        bank_id: &str,
        question_id: &str,
    ) -> Result<Option<CardRecord>, StoreError> {
        let mut cards = self.query_all(
            &format!("SELECT {CARD_COLUMNS} FROM cards WHERE bank_id = ?1 AND question_id = ?2"),
            [bank_id, question_id],
            card_from_row,
        )?;
        Ok(cards.pop())
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
                    state_before, state_after, source, attempt_id
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
                    attempt_id: r.get(9)?,
                })
            },
        )
    }

    // -----------------------------------------------------------------------------------------
    // Settings kept with the history

    fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        setting_in(&self.conn, key).map_err(|e| self.err(e))
    }

    /// Set a settings-table value; a key that travels (`sync::synced_setting`) is stamped.
    pub(super) fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let tx = self.write_tx()?;
        self.set_setting_on(&tx, key, value)?;
        tx.commit().map_err(|e| self.err(e))
    }

    /// [`Store::set_setting`] inside a write transaction.
    fn set_setting_on(
        &self,
        tx: &rusqlite::Connection,
        key: &str,
        value: &str,
    ) -> Result<(), StoreError> {
        let hlc = if super::sync::synced_setting(key) {
            Some(self.stamp(tx).map_err(|e| self.err(e))?)
        } else {
            None
        };
        tx.execute(
            "INSERT INTO settings (key, value, hlc) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, hlc = excluded.hlc",
            params![key, value, hlc],
        )
        .map(|_| ())
        .map_err(|e| self.err(e))
    }

    /// Study settings; a missing or unreadable value gives the default.
    pub fn study_settings(&self) -> Result<StudySettings, StoreError> {
        study_settings_in(&self.conn).map_err(|e| self.err(e))
    }

    /// Save study settings. A change that alters the schedule (retention, steps,
    /// parameters) reschedules every card from its log in the same transaction.
    pub fn set_study_settings(&self, s: StudySettings) -> Result<(), StoreError> {
        let new = s.clamped();
        let tx = self.write_tx()?;
        let old = study_settings_in(&tx).map_err(|e| self.err(e))?;
        let text = serde_json::to_string(&new).unwrap_or_default();
        self.set_setting_on(&tx, "study", &text)?;
        if !old.schedules_like(&new) {
            reschedule(&tx, None).map_err(|e| self.err(e))?;
        }
        tx.commit().map_err(|e| self.err(e))
    }

    /// Keep fitted (or reset) parameters with a record of the fit, and reschedule every card
    /// with them, in one transaction. `None` for the record resets to FSRS-6's defaults.
    pub fn set_fsrs_parameters(
        &self,
        parameters: Vec<f32>,
        record: Option<&FitRecord>,
    ) -> Result<(), StoreError> {
        let mut settings = self.study_settings()?;
        settings.parameters = parameters;
        self.set_study_settings(settings)?;
        let text = record
            .and_then(|r| serde_json::to_string(r).ok())
            .unwrap_or_default();
        self.set_setting("fsrs_fit", &text)
    }

    /// The last fit, if the parameters in use came from one.
    pub fn fit_record(&self) -> Result<Option<FitRecord>, StoreError> {
        Ok(self
            .setting("fsrs_fit")?
            .and_then(|t| serde_json::from_str(&t).ok()))
    }

    /// The scheduler for a bank: the learner's settings and parameters and the bank's exam
    /// date.
    pub fn scheduler_for(&self, bank_id: &str) -> Result<Scheduler, StoreError> {
        scheduler_in(&self.conn, bank_id).map_err(|e| self.err(e))
    }

    /// Every card's answers, oldest first, grouped by (bank, question).
    pub fn answer_logs(
        &self,
        bank_id: Option<&str>,
    ) -> Result<Vec<(String, String, Vec<LoggedAnswer>)>, StoreError> {
        answer_logs_in(&self.conn, bank_id).map_err(|e| self.err(e))
    }

    /// Reschedule every card from its log with the current settings (see [`reschedule`]).
    pub fn reschedule_all(&self) -> Result<usize, StoreError> {
        let tx = self.write_tx()?;
        let n = reschedule(&tx, None).map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(n)
    }

    /// Answers a day or more after the previous answer to the same question: what fitting
    /// can learn from (Settings shows it).
    pub fn usable_reviews(&self) -> Result<usize, StoreError> {
        self.usable_reviews_up_to(i64::MAX)
    }

    /// [`Store::usable_reviews`], counting no further than `limit`: the dashboard only asks
    /// whether the offer's threshold is reached, and should not read a long log to say so.
    pub fn usable_reviews_up_to(&self, limit: i64) -> Result<usize, StoreError> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM (SELECT 1 FROM review_log
                 WHERE elapsed_days >= 1 AND state_before != 0 LIMIT ?1)",
                [limit],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as usize)
            .map_err(|e| self.err(e))
    }

    /// Answers today's time budget still has room for (all banks), or None without a budget.
    pub fn budget_left_today(
        &self,
        settings: &StudySettings,
        now: DateTime<Utc>,
    ) -> Result<Option<usize>, StoreError> {
        if settings.daily_minutes == 0 {
            return Ok(None);
        }
        let per_day =
            crate::srs::answers_in_budget(settings.daily_minutes, self.seconds_per_answer()?);
        let (_, day_start) = crate::srs::local_day_start(now);
        let done: i64 = self
            .conn
            .query_row(
                "SELECT COUNT(*) FROM review_log
                 WHERE bank_id IN (SELECT DISTINCT bank_id FROM cards) AND reviewed_at >= ?1",
                [ts(day_start)],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        Ok(Some(per_day.saturating_sub(done.max(0) as usize)))
    }

    /// Seconds one study answer takes this learner: the median of their last 200 timed
    /// answers among the last 5,000 (answers left on screen over 20 minutes are not counted), or
    /// [`crate::srs::DEFAULT_SECONDS_PER_ANSWER`] before there are 10.
    pub fn seconds_per_answer(&self) -> Result<f64, StoreError> {
        let mut ms: Vec<i64> = self.query_all(
            "SELECT duration_ms FROM review_log
             WHERE duration_ms IS NOT NULL AND duration_ms > 0 AND duration_ms <= 1200000
               AND id > (SELECT COALESCE(MAX(id), 0) FROM review_log) - 5000
             ORDER BY id DESC LIMIT 200",
            [],
            |r| r.get(0),
        )?;
        if ms.len() < 10 {
            return Ok(crate::srs::DEFAULT_SECONDS_PER_ANSWER);
        }
        ms.sort_unstable();
        Ok(ms[ms.len() / 2] as f64 / 1000.0)
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

    /// Save a bank's exam date and target; a new exam date reschedules the bank's cards
    /// (the exam-date cap, see `Scheduler::exam_cap`) in the same transaction.
    pub fn set_study_plan(
        &self,
        bank_id: &str,
        plan: &StudyPlanSettings,
    ) -> Result<(), StoreError> {
        let tx = self.write_tx()?;
        let hlc = self.stamp(&tx).map_err(|e| self.err(e))?;
        let before = exam_at_in(&tx, bank_id).map_err(|e| self.err(e))?;
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
        if exam_at_in(&tx, bank_id).map_err(|e| self.err(e))? != before {
            reschedule(&tx, Some(bank_id)).map_err(|e| self.err(e))?;
        }
        tx.commit().map_err(|e| self.err(e))
    }

    // -----------------------------------------------------------------------------------------
    // What the readiness model reads besides the cards

    /// The realism evidence mock exams have left for a bank (none yet: all zero).
    pub fn realism(&self, bank_id: &str) -> Result<RealismSums, StoreError> {
        self.conn
            .query_row(
                "SELECT sum_mx, sum_mm, answers FROM realism WHERE bank_id = ?1",
                [bank_id],
                |r| {
                    Ok(RealismSums {
                        sum_mx: r.get(0)?,
                        sum_mm: r.get(1)?,
                        answers: r.get(2)?,
                    })
                },
            )
            .optional()
            .map(Option::unwrap_or_default)
            .map_err(|e| self.err(e))
    }

    /// The pass mark the learner set for a bank, in percent (None: the bank's own).
    pub fn pass_mark(&self, bank_id: &str) -> Result<Option<f64>, StoreError> {
        Ok(self
            .setting(&pass_mark_key(bank_id))?
            .and_then(|t| t.trim().parse::<f64>().ok())
            .filter(|p| valid_pass_percent(*p)))
    }

    /// Set the pass mark of a bank in percent, or with `None` go back to the bank's own.
    /// A mark outside 1–100 is refused, not clamped: the learner typed something else.
    pub fn set_pass_mark(&self, bank_id: &str, percent: Option<f64>) -> Result<(), StoreError> {
        let key = pass_mark_key(bank_id);
        match percent {
            Some(p) if valid_pass_percent(p) => self.set_setting(&key, &p.to_string()),
            Some(p) => Err(StoreError::Invalid {
                what: format!("a pass mark of {p}%: it must be between 1% and 100%"),
            }),
            // Kept as an empty, stamped value rather than deleted: pass marks travel, and a
            // deleted row could not tell the other computers (nor win over a mark they set
            // earlier). An empty value reads as "none" everywhere.
            None => self.set_setting(&key, ""),
        }
    }

    /// The learner's pass mark for `bank` (percent): theirs if set, else the bank's.
    pub fn effective_pass_percent(&self, bank: &crate::bank::Bank) -> Result<f64, StoreError> {
        Ok(self
            .pass_mark(bank.id())?
            .unwrap_or(bank.manifest.exam.pass_percent))
    }

    /// Everything readiness reads for `bank` besides its cards: the realism and pass mark
    /// kept here, and a study group's calibration of the bank if one is saved in the data
    /// folder or shipped beside the bank (a bad file is named and left out).
    pub fn model_inputs(&self, bank: &crate::bank::Bank) -> Result<ModelInputs, StoreError> {
        let inputs = ModelInputs {
            realism: self.realism(bank.id())?,
            pass_mark: self.effective_pass_percent(bank)? / 100.0,
            ..ModelInputs::for_bank(bank)
        };
        let data_dir = self.path().parent().unwrap_or(std::path::Path::new("."));
        Ok(
            match crate::rasch::saved::SavedCalibration::load_for(bank, data_dir) {
                Ok(Some(calibration)) => inputs.with_calibration(bank, calibration),
                Ok(None) => inputs,
                Err(e) => ModelInputs {
                    calibration_problem: Some(format!("The saved calibration was not used: {e}")),
                    ..inputs
                },
            },
        )
    }

    /// Mastery and readiness of `bank` from `cards`, with the realism and pass mark kept here.
    pub fn mastery_report(
        &self,
        bank: &crate::bank::Bank,
        cards: &HashMap<String, CardRecord>,
        now: DateTime<Utc>,
    ) -> Result<crate::mastery::MasteryReport, StoreError> {
        Ok(crate::mastery::report(
            bank,
            cards,
            &self.model_inputs(bank)?,
            now,
        ))
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
