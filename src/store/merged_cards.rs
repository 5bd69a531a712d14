//! Cards recomputed after a sync merge: each touched card's review log, merged from both
//! computers, read in answer order and replayed through FSRS ([`reschedule_merged`]).
//!
//! A large merge reads the whole log. The rows that were there before the merge can be read
//! by a second connection on another core while the merge writes
//! ([`Store::apply_records`](super::Store::apply_records) starts [`LogByCard::read_file`]);
//! the rows the merge adds come from its records ([`Prefetched`]). The result is the same as
//! reading the log after the merge (tests/sync.rs
//! `a_large_merge_reads_the_log_while_writing_and_its_cards_are_the_replayed_ones`).

use super::srs::{answer_order, logged_answer, scheduler_in, write_card};
use crate::srs::{CardRecord, LoggedAnswer, Scheduler};
use rusqlite::params;
use rusqlite::types::Type;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// The review logs of `cards` (sorted, as the set is), each oldest first in [`answer_order`].
///
/// Two ways to read them, with the same result ([`logs_by_card`], [`logs_by_scan`]). One
/// indexed query per card reaches each row through the question index, one random page visit
/// per row; when the cards hold a large share of the log (a first link, a computer long
/// offline: a 100,000-answer merge touches every card) that is most of the table in random
/// order, and reading the whole table once in storage order costs less.
fn merged_logs(
    conn: &rusqlite::Connection,
    cards: &std::collections::BTreeSet<(String, String)>,
) -> rusqlite::Result<Vec<Vec<LoggedAnswer>>> {
    let order = answer_order(conn)?;
    let stored: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM cards")?
        .query_row([], |r| r.get(0))?;
    // A quarter of the cards: a rough line. Far below it (a pass bringing a day's answers
    // into a long history) the per-card queries read a small part of the table; at the
    // 100,000-record merge (every card) the scan took the recompute from 0.8 s to 0.3 s
    // (docs/PERFORMANCE.md).
    if order.starts_with("hlc") && cards.len() as i64 * 4 >= stored {
        logs_by_scan(conn, cards)
    } else {
        logs_by_card(conn, cards, order)
    }
}

/// [`merged_logs`] by one indexed query per card.
fn logs_by_card(
    conn: &rusqlite::Connection,
    cards: &std::collections::BTreeSet<(String, String)>,
    order: &str,
) -> rusqlite::Result<Vec<Vec<LoggedAnswer>>> {
    let mut read = conn.prepare_cached(&format!(
        "SELECT reviewed_at, rating, source FROM review_log
         WHERE bank_id = ?1 AND question_id = ?2 ORDER BY {order}"
    ))?;
    cards
        .iter()
        .map(|(bank, question)| {
            read.query_map(params![bank, question], |r| {
                let at: String = r.get(0)?;
                let source: String = r.get(2)?;
                Ok(logged_answer(&at, r.get(1)?, &source))
            })?
            .collect()
        })
        .collect()
}

/// Column `i` of a row as text, borrowed from the row.
fn text_at<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(i)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e)))
}

/// Every row of the review log that is kept, grouped by card, each with its sort key: (hlc,
/// reviewed_at, id), the order [`answer_order`] gives SQL once the log is stamped; an
/// unstamped row first as SQL sorts NULL; text by its bytes as SQLite's default collation
/// compares it. The keys' text lives in one buffer (two strings allocated per row were the
/// read's largest cost besides SQLite's own).
#[derive(Debug, Default)]
pub(super) struct LogByCard {
    text: String,
    slots: HashMap<(String, String), usize>,
    rows: Vec<Vec<(ScanKey, LoggedAnswer)>>,
    probe: (String, String),
}

impl LogByCard {
    /// The log of `cards` in one read in storage order.
    fn read(
        conn: &rusqlite::Connection,
        cards: &BTreeSet<(String, String)>,
    ) -> rusqlite::Result<LogByCard> {
        let mut log = LogByCard {
            slots: cards.iter().cloned().zip(0..).collect(),
            rows: cards.iter().map(|_| Vec::new()).collect(),
            ..LogByCard::default()
        };
        let mut stmt = conn.prepare_cached(
            "SELECT bank_id, question_id, hlc, reviewed_at, id, rating, source FROM review_log",
        )?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let hlc = match r.get_ref(2)? {
                rusqlite::types::ValueRef::Null => None,
                _ => Some(text_at(r, 2)?),
            };
            log.push(
                text_at(r, 0)?,
                text_at(r, 1)?,
                hlc,
                text_at(r, 3)?,
                r.get(4)?,
                r.get(5)?,
                text_at(r, 6)?,
            );
        }
        Ok(log)
    }

    /// The log of `cards` in the database at `path` as last committed, through a connection
    /// of its own (read-only): run on another thread while a merge writes.
    pub(super) fn read_file(
        path: &Path,
        cards: &BTreeSet<(String, String)>,
    ) -> rusqlite::Result<LogByCard> {
        use rusqlite::OpenFlags;
        let conn = rusqlite::Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        LogByCard::read(&conn, cards)
    }

    /// The slot of a listed card's rows; `None` for a card not listed.
    fn slot(&mut self, bank: &str, question: &str) -> Option<usize> {
        // Looked up through a reused key, not a new one per row: every row is looked at.
        self.probe.0.clear();
        self.probe.0.push_str(bank);
        self.probe.1.clear();
        self.probe.1.push_str(question);
        self.slots.get(&self.probe).copied()
    }

    /// One row of the log.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        bank: &str,
        question: &str,
        hlc: Option<&str>,
        at: &str,
        id: i64,
        rating: i64,
        source: &str,
    ) {
        let Some(i) = self.slot(bank, question) else {
            return;
        };
        let mut keep = |s: &str| {
            let start = self.text.len();
            self.text.push_str(s);
            start..self.text.len()
        };
        let key = ScanKey {
            hlc: hlc.map(&mut keep),
            at: keep(at),
            id,
        };
        self.rows[i].push((key, logged_answer(at, rating, source)));
    }

    /// One card's answers in order, taken out (an empty log for a card with none).
    fn take_sorted(&mut self, bank: &str, question: &str) -> Vec<LoggedAnswer> {
        let Some(i) = self.slot(bank, question) else {
            return Vec::new();
        };
        let mut log = std::mem::take(&mut self.rows[i]);
        // Storage order is mostly answer order already (a computer's own rows, then each
        // merge's in stamp order): a stable sort merges those runs.
        let text = self.text.as_bytes();
        log.sort_by(|a, b| a.0.cmp(&b.0, text));
        log.into_iter().map(|(_, a)| a).collect()
    }
}

/// [`merged_logs`] by one read of the whole log in storage order ([`LogByCard`]).
fn logs_by_scan(
    conn: &rusqlite::Connection,
    cards: &BTreeSet<(String, String)>,
) -> rusqlite::Result<Vec<Vec<LoggedAnswer>>> {
    let mut log = LogByCard::read(conn, cards)?;
    Ok(cards
        .iter()
        .map(|(bank, question)| log.take_sorted(bank, question))
        .collect())
}

/// [`LogByCard`]'s sort key, its text in the shared buffer.
#[derive(Debug)]
struct ScanKey {
    hlc: Option<std::ops::Range<usize>>,
    at: std::ops::Range<usize>,
    id: i64,
}

impl ScanKey {
    fn cmp(&self, other: &ScanKey, text: &[u8]) -> std::cmp::Ordering {
        let hlc = |k: &ScanKey| k.hlc.clone().map(|r| &text[r]);
        hlc(self)
            .cmp(&hlc(other))
            .then_with(|| text[self.at.clone()].cmp(&text[other.at.clone()]))
            .then(self.id.cmp(&other.id))
    }
}

/// A review a merge added: its row id, its stamp and the record it came from.
pub(super) struct AddedReview<'r> {
    pub id: i64,
    pub hlc: &'r str,
    pub review: &'r crate::sync::record::ReviewRecord,
}

/// The log as it was before a merge (read while it wrote) and the reviews the merge added:
/// together, the log after it. `before` lists every card an incoming review names, so each
/// added review has its card's slot.
pub(super) struct Prefetched<'r> {
    pub before: LogByCard,
    pub added: Vec<AddedReview<'r>>,
}

impl Prefetched<'_> {
    fn logs(mut self, cards: &BTreeSet<(String, String)>) -> Vec<Vec<LoggedAnswer>> {
        for a in &self.added {
            let r = a.review;
            self.before.push(
                &r.bank_id,
                &r.question_id,
                Some(a.hlc),
                &r.reviewed_at,
                a.id,
                r.rating,
                &r.source,
            );
        }
        cards
            .iter()
            .map(|(bank, question)| self.before.take_sorted(bank, question))
            .collect()
    }
}

/// Recompute the cards whose review log a sync merge changed (answers from another computer
/// joined the log), with the same replay as [`reschedule`]. Unlike a settings change, the
/// merge changes the facts too: each card's counts (reviews, right answers, first try) are
/// counted from its merged log, and a card first answered on the other computer is created.
/// Log rows stay as the computer that wrote them wrote them. `prefetched`: the log read
/// while the merge wrote, with the rows it added; `None` reads it now.
pub(super) fn reschedule_merged(
    conn: &rusqlite::Connection,
    cards: &BTreeSet<(String, String)>,
    prefetched: Option<Prefetched<'_>>,
) -> rusqlite::Result<usize> {
    use rayon::prelude::*;
    if cards.is_empty() {
        return Ok(0);
    }
    let logs = match prefetched {
        Some(p) => p.logs(cards),
        None => merged_logs(conn, cards)?,
    };
    let mut schedulers: HashMap<&str, Scheduler> = HashMap::new();
    for (bank, _) in cards {
        if !schedulers.contains_key(bank.as_str()) {
            schedulers.insert(bank, scheduler_in(conn, bank)?);
        }
    }
    // The replay is FSRS arithmetic alone: on every core (a 100,000-record merge replays
    // 180,000 answers of 2,000 cards). The writes that follow are SQLite's, in card order.
    let jobs: Vec<(&(String, String), &Vec<LoggedAnswer>)> = cards.iter().zip(&logs).collect();
    let merged: Vec<Option<CardRecord>> = jobs
        .par_iter()
        .map(|((bank, question), log)| {
            let scheduler = schedulers.get(bank.as_str())?;
            merged_card(scheduler, question, log)
        })
        .collect();
    let mut n = 0;
    for (((bank, _), _), record) in jobs.iter().zip(merged) {
        if let Some(record) = record {
            write_card(conn, bank, &record)?;
            n += 1;
        }
    }
    Ok(n)
}

/// A card as its merged log leaves it: the replay's memory state, and the counts taken from
/// the log. `None` for a log the scheduler makes no card of.
fn merged_card(scheduler: &Scheduler, question: &str, log: &[LoggedAnswer]) -> Option<CardRecord> {
    let card = scheduler.replay(log)?;
    let right = log.iter().filter(|a| a.rating.is_pass()).count();
    let first_at = log.first().map_or(card.last_review, |a| a.at);
    Some(CardRecord {
        question_id: question.to_string(),
        card,
        reviews: u32::try_from(log.len()).unwrap_or(u32::MAX),
        correct: u32::try_from(right).unwrap_or(u32::MAX),
        first_correct: log.first().is_some_and(|a| a.rating.is_pass()),
        last_correct: log.last().is_some_and(|a| a.rating.is_pass()),
        first_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::store::srs::ts;

    /// Both ways of reading merged logs give each card its answers in the same order: by
    /// stamp, unstamped rows first by time, ties by row id.
    #[test]
    fn merged_logs_read_by_card_and_by_scan_agree() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in(dir.path()).unwrap();
        let conn = store.connection();
        /// (bank, question, reviewed_at, rating, source, hlc)
        type Row = (
            &'static str,
            &'static str,
            &'static str,
            i64,
            &'static str,
            Option<&'static str>,
        );
        let rows: &[Row] = &[
            (
                "b",
                "q1",
                "2026-01-03T00:00:00.000Z",
                3,
                "study",
                Some("000000000000000300-000000-aa"),
            ),
            (
                "b",
                "q1",
                "2026-01-01T00:00:00.000Z",
                1,
                "exam",
                Some("000000000000000300-000000-aa"),
            ),
            ("b", "q1", "2026-01-05T00:00:00.000Z", 4, "study", None),
            (
                "b",
                "q1",
                "2026-01-02T00:00:00.000Z",
                2,
                "study",
                Some("000000000000000100-000001-bb"),
            ),
            (
                "b",
                "q2",
                "2026-01-02T00:00:00.000Z",
                3,
                "study",
                Some("000000000000000200-000000-aa"),
            ),
            ("b", "q1", "2026-01-04T00:00:00.000Z", 3, "study", None),
            (
                "c",
                "q1",
                "2026-01-01T00:00:00.000Z",
                1,
                "study",
                Some("000000000000000050-000000-aa"),
            ),
            (
                "b",
                "q1",
                "2026-01-01T00:00:00.000Z",
                3,
                "study",
                Some("000000000000000300-000000-aa"),
            ),
            (
                "b",
                "q3",
                "2026-01-01T00:00:00.000Z",
                3,
                "study",
                Some("000000000000000001-000000-aa"),
            ),
        ];
        for (i, (bank, q, at, rating, source, hlc)) in rows.iter().enumerate() {
            conn.execute(
                "INSERT INTO review_log (bank_id, question_id, reviewed_at, rating, correct,
                    elapsed_days, scheduled_days, state_before, state_after, stability_after,
                    due_after, source, uid, hlc)
                 VALUES (?1, ?2, ?3, ?4, ?4 > 1, 0, 0, 0, 0, 0, ?3, ?5, ?6, ?7)",
                params![bank, q, at, rating, source, format!("u{i}"), hlc],
            )
            .unwrap();
        }
        let cards: BTreeSet<(String, String)> =
            [("b", "q1"), ("c", "q1"), ("b", "q2"), ("x", "q9")]
                .iter()
                .map(|(b, q)| (b.to_string(), q.to_string()))
                .collect();
        let order = answer_order(conn).unwrap();
        assert!(order.starts_with("hlc"));
        let by_card = logs_by_card(conn, &cards, order).unwrap();
        assert_eq!(by_card, logs_by_scan(conn, &cards).unwrap());
        // b/q1: the unstamped rows by time, then by stamp, the tie at stamp 300 by time and
        // then by row id.
        let b_q1: Vec<(String, crate::srs::Rating)> =
            by_card[0].iter().map(|a| (ts(a.at), a.rating)).collect();
        let want: Vec<(String, crate::srs::Rating)> = [
            ("2026-01-04", 3),
            ("2026-01-05", 4),
            ("2026-01-02", 2),
            ("2026-01-01", 1),
            ("2026-01-01", 3),
            ("2026-01-03", 3),
        ]
        .iter()
        .map(|(d, r)| {
            (
                format!("{d}T00:00:00.000Z"),
                crate::srs::rating_from_code(*r),
            )
        })
        .collect();
        assert_eq!(b_q1, want);
        assert_eq!(by_card[3].len(), 0, "a card with no log");
    }
}
