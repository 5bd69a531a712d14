//! Cards recomputed after a sync merge: each touched card's review log, merged from both
//! computers, read in answer order and replayed through FSRS ([`reschedule_merged`]).
//!
//! A large merge reads the whole log. Its cards can be replayed on another core while the
//! merge writes ([`Store::apply_stream`](super::Store::apply_stream) starts
//! [`replay_while_writing`]): a second connection reads the log as it was before the merge,
//! and the rows the merge will add come from its records. The merge keeps those cards only
//! if it added exactly the reviews foreseen; they are then the cards reading the log after
//! the merge gives (tests/sync.rs
//! `a_large_merge_replays_its_cards_while_writing_and_they_are_the_replayed_ones`).

use super::srs::{answer_order, logged_answer, scheduler_in, write_card};
use super::sync::{FileBatch, Place, apply_order};
use crate::srs::{CardRecord, LoggedAnswer, Scheduler};
use crate::sync::hlc::Hlc;
use crate::sync::record::Body;
use rusqlite::params;
use rusqlite::types::Type;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::BuildHasher;
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
struct LogByCard {
    text: String,
    slots: HashMap<(String, String), usize>,
    rows: Vec<Vec<(ScanKey, LoggedAnswer)>>,
    probe: (String, String),
    /// Read for every card (slots made as cards turn up), not a list.
    every_card: bool,
    /// With `uids` asked for: a hash of every review id in the log, whatever its card.
    uids: HashSet<u64>,
    hasher: std::collections::hash_map::RandomState,
}

impl LogByCard {
    /// The log of `cards` (`None`: of every card) in one read in storage order; with
    /// `uids`, also which review ids the whole log holds ([`LogByCard::has_uid`]).
    fn read(
        conn: &rusqlite::Connection,
        cards: Option<&BTreeSet<(String, String)>>,
        uids: bool,
    ) -> rusqlite::Result<LogByCard> {
        let mut log = LogByCard {
            slots: cards.into_iter().flatten().cloned().zip(0..).collect(),
            rows: cards.into_iter().flatten().map(|_| Vec::new()).collect(),
            every_card: cards.is_none(),
            ..LogByCard::default()
        };
        let mut stmt = conn.prepare_cached(
            "SELECT bank_id, question_id, hlc, reviewed_at, id, rating, source, uid
             FROM review_log",
        )?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            if uids && let Ok(uid) = r.get_ref(7)?.as_str() {
                log.uids.insert(log.hasher.hash_one(uid));
            }
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

    /// Is a review with this id in the log (read with `uids`)? A hash is compared: two ids
    /// with one hash (odds of 2^-64) would only make a merge replay its cards again.
    fn has_uid(&self, uid: &str) -> bool {
        self.uids.contains(&self.hasher.hash_one(uid))
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
        let i = match self.slot(bank, question) {
            Some(i) => i,
            None if self.every_card => {
                self.slots
                    .insert((bank.to_string(), question.to_string()), self.rows.len());
                self.rows.push(Vec::new());
                self.rows.len() - 1
            }
            None => return,
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
    let mut log = LogByCard::read(conn, Some(cards), false)?;
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

/// The cards a large merge replayed on another core while it wrote
/// ([`replay_while_writing`]), and the reviews it expected the merge to add: they stand only
/// if the merge added exactly those ([`ReplayedCards::added`]).
pub(super) struct ReplayedCards {
    /// The places of the reviews foreseen to be added, in the order they are added.
    pub added: Vec<Place>,
    /// Each card those reviews touch, in card order, as its merged log leaves it (`None`: a
    /// log the scheduler makes no card of).
    cards: Vec<(String, Option<CardRecord>)>,
}

impl ReplayedCards {
    /// Write the cards; how many were written.
    pub(super) fn write(self, tx: &rusqlite::Connection) -> rusqlite::Result<usize> {
        let mut n = 0;
        for (bank, record) in &self.cards {
            if let Some(record) = record {
                write_card(tx, bank, record)?;
                n += 1;
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
impl ReplayedCards {
    /// Cards replayed for the reviews at `added` and no card: a foresight gone wrong.
    pub(super) fn foreseeing_wrongly(added: Vec<Place>) -> ReplayedCards {
        ReplayedCards {
            added,
            cards: Vec::new(),
        }
    }
}

/// The review log as it was before a merge, read on a read-only connection of its own to the
/// database, opened after the merge took the write lock (what it reads until the merge
/// commits is the database as it was before): every card's rows, and every review id.
pub(super) struct LogBefore {
    conn: rusqlite::Connection,
    log: LogByCard,
}

impl LogBefore {
    /// Read the log of the database at `path` (run on another thread while a merge writes).
    pub(super) fn read(path: &Path) -> rusqlite::Result<LogBefore> {
        use rusqlite::OpenFlags;
        let conn = rusqlite::Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let log = LogByCard::read(&conn, None, true)?;
        Ok(LogBefore { conn, log })
    }
}

/// Replay the cards of a large merge while it writes, from the log before it (`log_read`,
/// being read on another thread, or read here: [`LogBefore`]).
///
/// The merge's reviews are not in that log; they are in `files`, applied in
/// `store::sync::apply_order` with `rest`. Which of them the merge will add is foreseen by its
/// rules (a review is added unless its id is already in the log or earlier in the merge, its
/// rating or source is not one certprep writes, or its exam is neither here nor started by
/// the merge), and each gets the row id it will get: one above the log's last, in apply order,
/// as SQLite gives them. `ReplayedCards::added` says which reviews were foreseen, and the
/// merge uses the cards only if it added those.
pub(super) fn replay_while_writing(
    path: &Path,
    log_read: Option<std::thread::ScopedJoinHandle<'_, rusqlite::Result<LogBefore>>>,
    files: &[FileBatch],
    rest: &[Place],
) -> rusqlite::Result<ReplayedCards> {
    let LogBefore { conn, mut log } = match log_read.map(|h| h.join()) {
        Some(Ok(read)) => read?,
        // Not started, or its thread failed: read here.
        _ => LogBefore::read(path)?,
    };
    let added = foreseen_reviews(&conn, files, rest, &log)?;
    let last_id: i64 = conn.query_row("SELECT COALESCE(max(id), 0) FROM review_log", [], |r| {
        r.get(0)
    })?;
    let mut touched: BTreeSet<(&str, &str)> = BTreeSet::new();
    for (n, &(f, i)) in added.iter().enumerate() {
        let record = &files[f].records[i];
        let Body::Review(r) = &record.body else {
            continue;
        };
        // Past the largest row id SQLite picks ids at random: nothing to foresee.
        let Some(id) = i64::try_from(n)
            .ok()
            .and_then(|n| last_id.checked_add(n + 1))
        else {
            return Err(rusqlite::Error::IntegralValueOutOfRange(0, last_id));
        };
        log.push(
            &r.bank_id,
            &r.question_id,
            Some(&record.hlc),
            &r.reviewed_at,
            id,
            r.rating,
            &r.source,
        );
        touched.insert((&r.bank_id, &r.question_id));
    }
    let mut schedulers: HashMap<&str, Scheduler> = HashMap::new();
    let mut replayed = Vec::with_capacity(touched.len());
    for (bank, question) in touched {
        if !schedulers.contains_key(bank) {
            // A merged settings or exam-date record that changes a schedule makes the merge
            // reschedule every card after this one: the settings before it are the ones to
            // replay with here.
            schedulers.insert(bank, scheduler_in(&conn, bank)?);
        }
        let answers = log.take_sorted(bank, question);
        let card = schedulers
            .get(bank)
            .and_then(|s| merged_card(s, question, &answers));
        replayed.push((bank.to_string(), card));
    }
    Ok(ReplayedCards {
        added,
        cards: replayed,
    })
}

/// The places of the reviews a merge of `files` (applied in `store::sync::apply_order` with
/// `rest`) will add to the log read in `log`, in the order it adds them, by the rules of
/// `store::sync::apply_review`.
fn foreseen_reviews(
    conn: &rusqlite::Connection,
    files: &[FileBatch],
    rest: &[Place],
    log: &LogByCard,
) -> rusqlite::Result<Vec<Place>> {
    // Exams the merge can attach a review to: started by one of its records, or here.
    let started: HashSet<&str> = files
        .iter()
        .flat_map(|f| &f.records)
        .filter_map(|r| match &r.body {
            Body::AttemptStart(a)
                if Hlc::parse(&r.hlc).is_some() && matches!(a.mode.as_str(), "exam" | "study") =>
            {
                Some(a.attempt.as_str())
            }
            _ => None,
        })
        .collect();
    let mut here = conn.prepare("SELECT 1 FROM attempts WHERE uid = ?1")?;
    let mut exams: HashMap<&str, bool> = HashMap::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut added = Vec::new();
    for place in apply_order(files, rest) {
        let record = &files[place.0].records[place.1];
        let Body::Review(r) = &record.body else {
            continue;
        };
        if Hlc::parse(&record.hlc).is_none()
            || !(1..=4).contains(&r.rating)
            || !matches!(r.source.as_str(), "study" | "exam")
        {
            continue;
        }
        if let Some(exam) = r.attempt.as_deref() {
            let known = match exams.get(exam) {
                Some(k) => *k,
                None => {
                    let k = started.contains(exam) || here.exists([exam])?;
                    exams.insert(exam, k);
                    k
                }
            };
            if !known {
                continue;
            }
        }
        if log.has_uid(&r.id) || !seen.insert(&r.id) {
            continue;
        }
        added.push(place);
    }
    Ok(added)
}

/// Recompute the cards whose review log a sync merge changed (answers from another computer
/// joined the log), with the same replay as [`reschedule`]. Unlike a settings change, the
/// merge changes the facts too: each card's counts (reviews, right answers, first try) are
/// counted from its merged log, and a card first answered on the other computer is created.
/// Log rows stay as the computer that wrote them wrote them.
pub(super) fn reschedule_merged(
    conn: &rusqlite::Connection,
    cards: &BTreeSet<(String, String)>,
) -> rusqlite::Result<usize> {
    use rayon::prelude::*;
    if cards.is_empty() {
        return Ok(0);
    }
    let logs = merged_logs(conn, cards)?;
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
