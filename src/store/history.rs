//! The attempt history screen's list: every attempt that is over (submitted, timed out or
//! abandoned), newest first, in one query, however many there are.

use super::{AttemptSummary, Store, StoreError};
use std::time::Duration;

/// One past attempt as the history lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct PastAttempt {
    pub summary: AttemptSummary,
    /// Time used on the clock.
    pub time_used: Duration,
    pub time_limit: Option<Duration>,
    /// The skill areas it scored, by id (an abandoned attempt was never scored: none).
    pub areas: Vec<String>,
}

impl PastAttempt {
    pub fn is_abandoned(&self) -> bool {
        self.summary.status == "abandoned"
    }
}

impl Store {
    /// Attempts that are over, newest first (by when they ended, or began when they never
    /// ended), at most `limit`; attempts still in progress are not listed.
    pub fn past_attempts(&self, limit: usize) -> Result<Vec<PastAttempt>, StoreError> {
        // The summary's columns, then the history's own, then the summary's FROM.
        let columns = Self::SUMMARY_SQL.trim_end_matches("FROM attempts a");
        let sql = format!(
            "{columns}, a.elapsed_ms, a.time_limit_secs,
                (SELECT group_concat(d.domain_id, char(31)) FROM attempt_domain_scores d
                 WHERE d.attempt_id = a.id)
             FROM attempts a
             WHERE a.status IN ('submitted','expired','abandoned')
             ORDER BY COALESCE(a.finished_at, a.started_at) DESC, a.id DESC LIMIT ?1"
        );
        self.query_all(&sql, [i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
            // The columns after the summary's own.
            let n = Self::SUMMARY_COLUMNS;
            let elapsed: i64 = r.get(n)?;
            let limit: Option<i64> = r.get(n + 1)?;
            let areas: Option<String> = r.get(n + 2)?;
            Ok(PastAttempt {
                summary: Self::summary_from_row(r)?,
                time_used: Duration::from_millis(elapsed.max(0) as u64),
                time_limit: limit.map(|s| Duration::from_secs(s.max(0) as u64)),
                areas: areas
                    .map(|a| a.split('\u{1f}').map(str::to_string).collect())
                    .unwrap_or_default(),
            })
        })
    }
}
