//! The database side of syncing through a folder (the model is in `crate::sync` and
//! docs/sync.md): this computer's device id and clock, stamping every change, turning local
//! changes into records, applying other computers' records, and recomputing FSRS cards from
//! the merged review log.

use super::merged_attempts::{apply_item, apply_start, apply_state};
use super::merged_cards::{LogBefore, ReplayedCards, replay_while_writing, reschedule_merged};
use super::{Store, StoreError, classify};
use crate::mastery::RealismSums;
use crate::sync::hlc::{self, Hlc};
use crate::sync::record::{
    AttemptStart, AttemptState, Body, ItemRecord, LoggedSchedule, PredictionRecord, Record,
    ReportRecord, ReviewRecord, Score, ValueRecord, keys,
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Settings-table keys that are history and travel, with [`keys::PASS_MARK`]`<bank>` (one per
/// bank, so matched by prefix: [`synced_setting`]); every other key (the sync folder, the
/// device id, the group folder: paths and identities of this computer) stays here.
pub const SYNCED_SETTINGS: &[&str] = &["study", "fsrs_fit"];

/// Does this settings-table key travel (last writer wins, like every synced value)?
pub fn synced_setting(key: &str) -> bool {
    SYNCED_SETTINGS.contains(&key)
        || key.starts_with(keys::PASS_MARK)
        || key.starts_with(keys::NOTE)
        || key.starts_with(keys::BOOKMARK)
        || key.starts_with(keys::PRESET)
}

/// Local-only settings keys.
const DEVICE_KEY: &str = "sync.device";
const FOLDER_KEY: &str = "sync.folder";
const EXPORTED_KEY: &str = "sync.exported";

/// The page cache a merge pass may use, in KiB (SQLite's default is 2 MiB). A large merge
/// dirties most pages of the tables it grows (every index of `review_log` takes entries all
/// along its length); with 2 MiB, SQLite spills dirty pages into the WAL in the middle of the
/// transaction and reads them back for the next insert (29% of a 100,000-record merge's time
/// was those reads and writes in the kernel; the larger cache alone took that merge from
/// 3.4–3.7 s to 2.7 s: docs/PERFORMANCE.md). Pages are only allocated as they are used, so a
/// small pass costs nothing more, and the memory is given back when the pass ends.
pub const MERGE_CACHE_KIB: i64 = 128 * 1024;

/// SQLite's default size of the WAL, in pages, at which a commit copies it into the database.
const AUTO_CHECKPOINT_PAGES: i64 = 1000;

/// Statuses of a finished attempt (the per-question history counts them once).
pub(super) const FINISHED: &[&str] = &["submitted", "expired"];

/// A fresh id for an attempt, review or report: 128 bits as 32 hex digits, the first 48 the
/// time in milliseconds (as a UUIDv7 starts) and the other 80 random. Ids made one after
/// another sort together, so the unique index of a table that grows takes each new id near
/// the last one instead of on a random page: merging another computer's 89,600 reviews
/// went from 0.47 to 0.38 s (docs/PERFORMANCE.md "Sync merge"). Nothing orders by an id;
/// ids from before, wholly random, stay as they are.
pub fn new_uid() -> String {
    uid_at(Utc::now().timestamp_millis(), rand::random())
}

/// [`new_uid`] for a given time and random part.
fn uid_at(ms: i64, random: [u8; 10]) -> String {
    let ms = u64::try_from(ms).unwrap_or(0) & 0xffff_ffff_ffff;
    let mut out = format!("{ms:012x}");
    for b in random {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

fn new_device_id() -> String {
    let bytes: [u8; 8] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A stable id for a row written before sync existed: the same row on two computers (a
/// history moved by `data export`/`import`, then used on both) gets the same id, so linking
/// them does not count it twice.
fn legacy_uid(parts: &[&str]) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn millis(text: &str) -> i64 {
    DateTime::parse_from_rfc3339(text).map_or(0, |t| t.timestamp_millis())
}

/// The next stamp of a database's clock, taken inside the write transaction that uses it:
/// the clock row is shared by every connection (the window's and the background sync's), so
/// stamps follow commit order and are above everything merged so far.
fn stamp_at(tx: &Connection, device: &str, now_ms: i64) -> rusqlite::Result<String> {
    let (wall, counter): (i64, i64) = tx.query_row(
        "SELECT wall_ms, counter FROM sync_clock WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (wall, counter) = hlc::next(wall, counter as u32, now_ms);
    tx.execute(
        "UPDATE sync_clock SET wall_ms = ?1, counter = ?2 WHERE id = 1",
        params![wall, counter],
    )?;
    Ok(Hlc::new(wall, counter, device).to_string())
}

/// Move the clock up to a stamp seen from another computer.
fn observe(tx: &Connection, seen: &Hlc) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE sync_clock SET wall_ms = ?1, counter = ?2
         WHERE id = 1 AND (wall_ms < ?1 OR (wall_ms = ?1 AND counter < ?2))",
        params![seen.wall_ms, seen.counter],
    )
    .map(|_| ())
}

/// What a pass did with the records it read.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Applied {
    /// Records that changed this database.
    pub applied: usize,
    /// Records already here (or older than what is here).
    pub unchanged: usize,
    /// Records that need another not yet arrived (an answer before its exam).
    pub pending: usize,
    /// Records of a kind from a newer certprep.
    pub unknown: usize,
    /// Cards recomputed from the merged review log.
    pub cards_recomputed: usize,
    /// Whether the cards were replayed on another core while the records were written (a
    /// large merge: `replay_while_writing_pays`).
    pub cards_replayed_while_writing: bool,
}

/// One file's records for [`Store::apply_stream`].
pub struct FileBatch {
    pub name: String,
    pub len: u64,
    pub mtime_ms: i64,
    /// No bad line and no half line: once every record is applied, the file need not be
    /// read again while it stays the same.
    pub clean: bool,
    pub records: Vec<Record>,
}

/// An unfinished attempt last worked on by another computer.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteProgress {
    pub device: String,
    /// The other computer's name, or its id while its name has not arrived.
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Outcome {
    Applied,
    Unchanged,
    Pending,
}

impl Store {
    pub(super) fn load_device(conn: &Connection) -> rusqlite::Result<String> {
        let existing = super::srs::setting_in(conn, DEVICE_KEY)?;
        if let Some(d) = existing.filter(|d| hlc::is_device_id(d)) {
            return Ok(d);
        }
        let d = new_device_id();
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [DEVICE_KEY, d.as_str()],
        )?;
        Ok(d)
    }

    /// The next stamp of this database's clock (see [`stamp_at`]).
    pub(super) fn stamp(&self, tx: &Connection) -> rusqlite::Result<String> {
        stamp_at(tx, &self.device, self.now_ms())
    }

    /// Tests only: pretend this computer's clock is `ms` off (clock-skew tests).
    #[doc(hidden)]
    pub fn simulate_clock_skew(&mut self, ms: i64) {
        self.skew_ms = ms;
    }

    /// This computer's id in journals (16 hex digits).
    pub fn device_id(&self) -> &str {
        &self.device
    }

    /// A write transaction that holds the write lock from its start (so the clock read and
    /// the write it stamps cannot be split by the other connection).
    pub(super) fn write_tx(&self) -> Result<Transaction<'_>, StoreError> {
        Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))
    }

    fn local_value(&self, key: &str) -> Result<Option<String>, StoreError> {
        super::srs::setting_in(&self.conn, key).map_err(|e| self.err(e))
    }

    /// The linked sync folder, if any.
    pub fn sync_folder(&self) -> Result<Option<PathBuf>, StoreError> {
        Ok(self
            .local_value(FOLDER_KEY)?
            .filter(|s| !s.trim().is_empty())
            .map(PathBuf::from))
    }

    /// Link this history to `folder` (or with `None`, unlink). Linking starts from scratch:
    /// every record is written again and every file read again (duplicates are harmless), so
    /// a first link merges both histories. Unlinking only forgets the folder.
    pub fn set_sync_folder(&self, folder: Option<&Path>) -> Result<(), StoreError> {
        let tx = self.write_tx()?;
        let result = (|| {
            match folder {
                Some(f) => {
                    tx.execute(
                        "INSERT INTO settings (key, value) VALUES (?1, ?2)
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        params![FOLDER_KEY, f.to_string_lossy()],
                    )?;
                }
                None => {
                    tx.execute("DELETE FROM settings WHERE key = ?1", [FOLDER_KEY])?;
                }
            }
            tx.execute("DELETE FROM settings WHERE key = ?1", [EXPORTED_KEY])?;
            tx.execute("DELETE FROM sync_files", [])?;
            Ok(())
        })();
        result
            .and_then(|()| tx.commit())
            .map_err(|e: rusqlite::Error| self.err(e))
    }

    /// Forget this computer's identity and link (after a history file from another computer
    /// was imported: two computers must never write under one id).
    pub fn forget_sync_identity(&mut self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("DELETE FROM settings WHERE key LIKE 'sync.%'; DELETE FROM sync_files;")
            .map_err(|e| self.err(e))?;
        self.device = Self::load_device(&self.conn).map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The name this computer goes by on others ("in progress on <name>").
    pub fn device_name(&self, device: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT value FROM sync_values WHERE key = ?1",
                [format!("{}{device}", keys::DEVICE)],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()
            .map(Option::flatten)
            .map_err(|e| self.err(e))
    }

    /// Set this computer's name (travels with the journal).
    pub fn set_device_name(&self, name: &str) -> Result<(), StoreError> {
        let name = name.trim();
        let key = format!("{}{}", keys::DEVICE, self.device);
        let tx = self.write_tx()?;
        self.stamp(&tx)
            .and_then(|h| {
                tx.execute(
                    "INSERT INTO sync_values (key, value, hlc) VALUES (?1, ?2, ?3)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value, hlc = excluded.hlc",
                    params![key, name, h],
                )
            })
            .and_then(|_| tx.commit())
            .map_err(|e| self.err(e))
    }

    /// Names of every computer seen, by id.
    pub fn device_names(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.query_all(
            "SELECT substr(key, ?1), value FROM sync_values
             WHERE key LIKE 'device/%' AND value IS NOT NULL ORDER BY value",
            [keys::DEVICE.len() as i64 + 1],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// If the attempt is unfinished and another computer answered in it last (or, before any
    /// answer, started it): which one. The clock's heartbeat does not count, so a window left
    /// open on an exam does not claim it.
    pub fn remote_progress(&self, attempt_id: i64) -> Result<Option<RemoteProgress>, StoreError> {
        let stamp: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT COALESCE((SELECT max(hlc) FROM attempt_items i WHERE i.attempt_id = a.id),
                                 a.start_hlc)
                 FROM attempts a WHERE a.id = ?1 AND a.status = 'in_progress'",
                [attempt_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some(device) = stamp
            .flatten()
            .as_deref()
            .and_then(Hlc::device_of)
            .map(str::to_string)
        else {
            return Ok(None);
        };
        if device == self.device {
            return Ok(None);
        }
        let name = self.device_name(&device)?.unwrap_or_else(|| device.clone());
        Ok(Some(RemoteProgress { device, name }))
    }

    // -----------------------------------------------------------------------------------------
    // Rows from before sync

    /// Give ids and stamps to rows written before this version (or by code that does not
    /// stamp): their own times, so a first link orders both computers' old history by when it
    /// happened. Anything stamped resets the export mark, so it is written out.
    ///
    /// Realism evidence from mock exams finished before it travelled is shared as this
    /// computer's own total ([`share_unshared_realism`]); that row gets a fresh stamp, so it is
    /// written out without exporting everything again.
    pub fn stamp_legacy(&self) -> Result<usize, StoreError> {
        let tx = self.write_tx()?;
        let n = stamp_legacy_rows(&tx, &self.device).map_err(|e| self.err(e))?;
        if n > 0 {
            tx.execute("DELETE FROM settings WHERE key = ?1", [EXPORTED_KEY])
                .map_err(|e| self.err(e))?;
        }
        share_unshared_realism(&tx, &self.device, self.now_ms()).map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(n)
    }

    /// Whether this connection's commits copy the WAL into the database once it holds
    /// more than SQLite's default 1,000 pages (`PRAGMA wal_autocheckpoint`). A sync pass
    /// turns it off for its own commits and on again after ([`crate::sync::run_pass`]).
    pub fn set_auto_checkpoint(&self, on: bool) -> Result<(), StoreError> {
        let pages = if on { AUTO_CHECKPOINT_PAGES } else { 0 };
        self.conn
            .execute_batch(&format!("PRAGMA wal_autocheckpoint = {pages}"))
            .map_err(|e| self.err(e))
    }

    /// Copy what the WAL holds into the database file as far as readers allow, without
    /// waiting for them or blocking writers (SQLite's PASSIVE checkpoint); what is left is
    /// copied by a later one. Run by the sync helper after a pass has reported.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(PASSIVE)")
            .map_err(|e| self.err(e))
    }

    /// This computer's clock now, in milliseconds (with the tests' simulated skew).
    fn now_ms(&self) -> i64 {
        Utc::now().timestamp_millis() + self.skew_ms
    }

    /// Record a finished mock exam's realism evidence (in the exam's transaction): as a row
    /// of its own, keyed by the attempt, which travels like any value; the bank's sums are
    /// then the sum of its rows ([`refresh_realism`]). Keyed by the attempt, an exam counts
    /// once however many computers hold it, and a history moved to another computer and used
    /// on both does not count its exams twice.
    pub(super) fn add_exam_realism(
        &self,
        tx: &Connection,
        bank_id: &str,
        attempt_id: i64,
        r: &RealismSums,
    ) -> rusqlite::Result<()> {
        if r.answers == 0 {
            return Ok(());
        }
        let uid: Option<String> = tx
            .query_row(
                "SELECT uid FROM attempts WHERE id = ?1",
                [attempt_id],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let Some(uid) = uid else {
            // An attempt from before sync, not yet given its id: added to the sums as
            // before, and shared with the rest of the old evidence on the next pass.
            return super::srs::add_realism(tx, bank_id, r);
        };
        // Whatever the sums hold beyond the rows is older evidence: shared first, so it is
        // not lost when the sums become the rows' total.
        share_unshared_realism(tx, &self.device, self.now_ms())?;
        let hlc = self.stamp(tx)?;
        tx.execute(
            "INSERT INTO sync_values (key, value, hlc) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, hlc = excluded.hlc",
            params![realism_key(bank_id, &uid), realism_text(r), hlc],
        )?;
        refresh_realism(tx, bank_id)
    }

    // -----------------------------------------------------------------------------------------
    // Export

    /// This computer's changes since the last export, as records in stamp order, and the mark
    /// to save once they are written ([`Store::mark_exported`]).
    pub fn export_records(&self) -> Result<(Vec<Record>, String), StoreError> {
        let since = self.local_value(EXPORTED_KEY)?.unwrap_or_default();
        let tx = self.conn.unchecked_transaction().map_err(|e| self.err(e))?;
        let out = export_since(&tx, &self.device, &since).map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(out)
    }

    /// Remember what was exported and the segments just written (so they are not read back).
    pub fn mark_exported(
        &self,
        mark: &str,
        written: &[crate::sync::journal::Written],
    ) -> Result<(), StoreError> {
        let tx = self.write_tx()?;
        let r = (|| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [EXPORTED_KEY, mark],
            )?;
            for w in written {
                tx.execute(
                    "INSERT OR REPLACE INTO sync_files (name, len, mtime_ms) VALUES (?1, ?2, ?3)",
                    params![w.name, w.len as i64, w.mtime_ms],
                )?;
            }
            tx.commit()
        })();
        r.map_err(|e| classify(&self.path, e))
    }

    // -----------------------------------------------------------------------------------------
    // Import

    /// Files already read and fully applied, as (length, modification time) by name.
    pub fn sync_file_cache(&self) -> Result<HashMap<String, (u64, i64)>, StoreError> {
        let rows: Vec<(String, i64, i64)> =
            self.query_all("SELECT name, len, mtime_ms FROM sync_files", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        Ok(rows
            .into_iter()
            .map(|(n, l, m)| (n, (l as u64, m)))
            .collect())
    }

    /// Apply other computers' records in one transaction ([`Store::apply_stream`]).
    pub fn apply_records(&mut self, files: Vec<FileBatch>) -> Result<Applied, StoreError> {
        let (send, receive) = std::sync::mpsc::channel();
        for f in files {
            // The receiver is right here: a send cannot fail.
            let _ = send.send(f);
        }
        drop(send);
        self.apply_stream(receive)
    }

    /// Apply other computers' records in one transaction, each by its own rule (see
    /// `sync::record`), files as they arrive on `files` (a pass parses them on another core
    /// while the first are applied). A review of no exam is applied once its file is here: it
    /// waits for no other record and none waits for it. The rest follow once every file is
    /// here, in [`rest_in_order`]: attempts first, then their states, answers, reviews and
    /// predictions, then values. Cards touched by new reviews are recomputed from the merged
    /// log. A file whose every record is applied (and that had no bad line) is remembered, so
    /// later passes skip it while it does not change.
    ///
    /// For the length of the merge the connection's page cache may grow to
    /// [`MERGE_CACHE_KIB`]; afterwards it is set back and the memory given back.
    pub fn apply_stream(
        &mut self,
        files: std::sync::mpsc::Receiver<FileBatch>,
    ) -> Result<Applied, StoreError> {
        // Nothing to merge (every file unreadable, or none changed): no transaction.
        let Ok(first) = files.recv() else {
            return Ok(Applied::default());
        };
        let previous: i64 = self
            .conn
            .query_row("PRAGMA cache_size", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        // The merge's commit is not fsynced (`synchronous = NORMAL` in WAL mode: the database
        // stays whole after a power cut, only the last commits may be undone). What a merge
        // writes is a copy of journal files that stay in the folder, so a merge undone by a
        // power cut is merged again by the next pass, and the sync marks of its files are
        // undone with it. Nothing of this computer's own can be lost with it: the next
        // commit of an answer fsyncs the WAL, which holds the merge before it.
        self.conn
            .execute_batch(&format!(
                "PRAGMA cache_size = -{MERGE_CACHE_KIB}; PRAGMA synchronous = NORMAL;"
            ))
            .map_err(|e| self.err(e))?;
        let result = self.merge_in_one_transaction(first, files);
        // The merge is committed (or rolled back) either way; a cache left large would only
        // cost memory, so a failure here is reported only when the merge itself succeeded.
        // Answers are fsynced again from here on.
        let restored = self
            .conn
            .execute_batch(&format!(
                "PRAGMA synchronous = FULL; PRAGMA cache_size = {previous}; PRAGMA shrink_memory;"
            ))
            .map_err(|e| self.err(e));
        let applied = result?;
        restored?;
        Ok(applied)
    }

    fn merge_in_one_transaction(
        &self,
        first: FileBatch,
        more: std::sync::mpsc::Receiver<FileBatch>,
    ) -> Result<Applied, StoreError> {
        use std::sync::mpsc::TryRecvError;
        let err = |e: rusqlite::Error| self.err(e);
        let tx = self.write_tx()?;
        // The write lock is held from here: what a second connection reads from now until
        // the commit is the database as it was before this merge, whatever else runs. A large
        // merge reads the log there on another core, then replays its cards there, while
        // this one applies the records.
        std::thread::scope(|s| {
            let mut merging = Merging::new(&tx, &self.device, self.now_ms()).map_err(err)?;
            let mut got: Vec<FileBatch> = Vec::new();
            let mut log_read = None;
            let mut reviews = 0;
            // Files applied on arrival so far (their reviews of no exam).
            let mut applied = 0;
            let mut first = Some(first);
            // Until the last file is here: take every file that has come, apply the oldest
            // not applied, wait only when there is nothing to apply.
            loop {
                let next = match first.take().map_or_else(|| more.try_recv(), Ok) {
                    Ok(f) => Some(f),
                    Err(TryRecvError::Empty) if applied == got.len() => match more.recv() {
                        Ok(f) => Some(f),
                        Err(_) => break,
                    },
                    Err(TryRecvError::Empty) => None,
                    Err(TryRecvError::Disconnected) => break,
                };
                if let Some(f) = next {
                    reviews += f.records.iter().filter(|r| applied_on_arrival(r)).count();
                    merging.file_done.push(true);
                    got.push(f);
                    if log_read.is_none() && reviews >= REPLAY_WHILE_WRITING_MIN_REVIEWS {
                        let path = &self.path;
                        log_read = Some(s.spawn(move || LogBefore::read(path)));
                    }
                    continue;
                }
                merging
                    .apply_on_arrival(applied, &got[applied])
                    .map_err(err)?;
                applied += 1;
            }
            // Every file is here: the replay may borrow them.
            let got = got;
            let rest = rest_in_order(&got);
            merging.expect_answers(&got, &rest);
            let pays = replay_while_writing_pays(&tx, &got).map_err(err)?;
            std::thread::scope(|replay| {
                let replayed = pays.then(|| {
                    let (path, got, rest) = (&self.path, &got, &rest);
                    replay.spawn(move || replay_while_writing(path, log_read, got, rest))
                });
                for (file, batch) in got.iter().enumerate().skip(applied) {
                    merging.apply_on_arrival(file, batch).map_err(err)?;
                }
                for &(file, i) in &rest {
                    merging
                        .apply((file, i), &got[file].records[i])
                        .map_err(err)?;
                }
                merging.finish(&got, replayed).map_err(err)
            })
        })
        .and_then(|applied| {
            tx.commit().map_err(err)?;
            Ok(applied)
        })
    }
}

/// Keep the records this computer stamped: each computer exports only its own changes.
fn keep_mine(
    rows: impl Iterator<Item = rusqlite::Result<Record>>,
    mine: &impl Fn(&str) -> bool,
    out: &mut Vec<Record>,
) -> rusqlite::Result<()> {
    for r in rows {
        let r = r?;
        if mine(&r.hlc) {
            out.push(r);
        }
    }
    Ok(())
}

/// The latest stamp in the tables rows from before sync get stamped in; for the review log,
/// this computer's own reviews (the stamp index holds only those).
const LATEST_OWN_STAMP: &str = "SELECT max(x) FROM (SELECT max(start_hlc) x FROM attempts UNION ALL
                         SELECT max(state_hlc) FROM attempts UNION ALL
                         SELECT max(hlc) FROM review_log WHERE merged IS NULL UNION ALL
                         SELECT max(hlc) FROM attempt_items)";

fn stamp_legacy_rows(tx: &Connection, device: &str) -> rusqlite::Result<usize> {
    let mut n = 0;
    let at = |wall: i64| Hlc::new(wall, 0, device).to_string();
    {
        let rows: Vec<(i64, String, i64, String, Option<String>)> = tx
            .prepare(
                "SELECT id, bank_id, seed, started_at, finished_at FROM attempts WHERE uid IS NULL",
            )?
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (id, bank, seed, started, finished) in rows {
            let uid = legacy_uid(&[&bank, &seed.to_string(), &started]);
            let start = at(millis(&started));
            let state = at(finished.as_deref().map_or(millis(&started), millis));
            n += tx.execute(
                "UPDATE attempts SET uid = ?2, start_hlc = ?3, state_hlc = ?4 WHERE id = ?1",
                params![id, uid, start, state],
            )?;
        }
    }
    {
        let rows: Vec<(i64, i64, String)> = tx
            .prepare(
                "SELECT i.attempt_id, i.position, COALESCE(i.answered_at, a.started_at)
                 FROM attempt_items i JOIN attempts a ON a.id = i.attempt_id
                 WHERE i.hlc IS NULL AND (i.selected != '[]' OR i.flagged OR i.checked)",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (attempt, pos, when) in rows {
            n += tx.execute(
                "UPDATE attempt_items SET hlc = ?3 WHERE attempt_id = ?1 AND position = ?2",
                params![attempt, pos, at(millis(&when))],
            )?;
        }
    }
    {
        let rows: Vec<(i64, String, String, String, i64)> = tx
            .prepare(
                "SELECT id, bank_id, question_id, reviewed_at, rating FROM review_log
                 WHERE uid IS NULL ORDER BY id",
            )?
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (id, bank, qid, when, rating) in rows {
            let uid = legacy_uid(&[&bank, &qid, &when, &rating.to_string()]);
            // Two rows with the same content (the same instant and rating) are one review seen
            // twice only if a history was merged by hand; keep both by telling them apart.
            let uid = match tx
                .query_row(
                    "SELECT 1 FROM review_log WHERE uid = ?1",
                    [&uid],
                    |_| Ok(()),
                )
                .optional()?
            {
                Some(()) => legacy_uid(&[&uid, &id.to_string()]),
                None => uid,
            };
            n += tx.execute(
                "UPDATE review_log SET uid = ?2, hlc = ?3 WHERE id = ?1",
                params![id, uid, at(millis(&when))],
            )?;
        }
    }
    for key in SYNCED_SETTINGS {
        n += tx.execute(
            "UPDATE settings SET hlc = ?2 WHERE key = ?1 AND hlc IS NULL",
            params![key, at(0)],
        )?;
    }
    // Pass marks set before they travelled (a prefix compared as text: LIKE would read the
    // key's '_' as a wildcard).
    n += tx
        .prepare_cached(
            "UPDATE settings SET hlc = ?2 WHERE substr(key, 1, length(?1)) = ?1 AND hlc IS NULL",
        )?
        .execute(params![keys::PASS_MARK, at(0)])?;
    n += tx.execute("UPDATE study_plans SET hlc = ?1 WHERE hlc IS NULL", [at(0)])?;
    {
        let rows: Vec<(i64, String)> = tx
            .prepare("SELECT attempt_id, made_at FROM predictions WHERE hlc IS NULL")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, made) in rows {
            n += tx.execute(
                "UPDATE predictions SET hlc = ?2 WHERE attempt_id = ?1",
                params![id, at(millis(&made))],
            )?;
        }
    }
    {
        let rows: Vec<(String, String)> = tx
            .prepare("SELECT bank_id, day FROM readiness_history WHERE hlc IS NULL")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (bank, day) in rows {
            let wall = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(23, 59, 59))
                .map_or(0, |t| t.and_utc().timestamp_millis());
            n += tx.execute(
                "UPDATE readiness_history SET hlc = ?3 WHERE bank_id = ?1 AND day = ?2",
                params![bank, day, at(wall)],
            )?;
        }
    }
    // The clock must stay above every stamp just given (they are in the past, but a wrong
    // system clock may have put rows in the future).
    let max: Option<String> = tx.query_row(LATEST_OWN_STAMP, [], |r| r.get(0))?;
    if let Some(h) = max.as_deref().and_then(Hlc::parse) {
        observe(tx, &h)?;
    }
    Ok(n)
}

/// This computer's reviews stamped in (since, upto]. Merged reviews are not in the stamp
/// index (schema v10), and `merged IS NULL` is what lets SQLite read that partial index
/// rather than the whole log (`tests::exports_read_the_stamp_index`).
const EXPORT_REVIEWS: &str =
    "SELECT l.uid, l.bank_id, l.question_id, l.reviewed_at, l.rating, l.source, a.uid, l.hlc,
            l.elapsed_days, l.scheduled_days, l.state_before, l.state_after,
            l.stability_after, l.due_after, l.duration_ms
     FROM review_log l LEFT JOIN attempts a ON a.id = l.attempt_id
     WHERE l.merged IS NULL AND l.hlc > ?1 AND l.hlc <= ?2";

/// Rows stamped by `device` in (since, now]: the records to write.
fn export_since(
    tx: &Connection,
    device: &str,
    since: &str,
) -> rusqlite::Result<(Vec<Record>, String)> {
    let (wall, counter): (i64, i64) = tx.query_row(
        "SELECT wall_ms, counter FROM sync_clock WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    // Above every stamp of this clock value, whatever the device ('~' sorts after hex).
    let upto = format!("{wall:018}-{counter:06}-~");
    let mine = |hlc: &str| Hlc::device_of(hlc) == Some(device);
    let mut out: Vec<Record> = Vec::new();

    // Attempts as created.
    {
        let mut st = tx.prepare(
            "SELECT id, uid, bank_id, bank_version, mode, seed, pass_percent, time_limit_secs,
                    started_at, pack_id, start_hlc, title, practice
             FROM attempts WHERE start_hlc > ?1 AND start_hlc <= ?2",
        )?;
        let heads: Vec<(i64, AttemptStart, String)> = st
            .query_map(params![since, upto], |r| {
                Ok((
                    r.get(0)?,
                    AttemptStart {
                        attempt: r.get(1)?,
                        bank_id: r.get(2)?,
                        bank_version: r.get(3)?,
                        mode: r.get(4)?,
                        seed: r.get(5)?,
                        pass_percent: r.get(6)?,
                        time_limit_secs: r.get(7)?,
                        started_at: r.get(8)?,
                        pack_id: r.get(9)?,
                        title: r.get(11)?,
                        practice: r.get(12)?,
                        items: Vec::new(),
                    },
                    r.get(10)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut items = tx.prepare(
            "SELECT question_id, option_order FROM attempt_items WHERE attempt_id = ?1
             ORDER BY position",
        )?;
        for (id, mut head, hlc) in heads {
            if !mine(&hlc) {
                continue;
            }
            head.items = items
                .query_map([id], |r| {
                    let order: String = r.get(1)?;
                    Ok((r.get(0)?, serde_json::from_str(&order).unwrap_or_default()))
                })?
                .collect::<rusqlite::Result<_>>()?;
            out.push(Record {
                hlc,
                body: Body::AttemptStart(head),
            });
        }
    }
    // Attempt states, with the score once finished.
    {
        let mut st = tx.prepare(
            "SELECT id, uid, status, finished_at, elapsed_ms, current_index, score_correct,
                    score_total, state_hlc
             FROM attempts WHERE state_hlc > ?1 AND state_hlc <= ?2",
        )?;
        type Row = (
            i64,
            String,
            String,
            Option<String>,
            i64,
            i64,
            Option<i64>,
            Option<i64>,
            String,
        );
        let rows: Vec<Row> = st
            .query_map(params![since, upto], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut domains = tx.prepare(
            "SELECT domain_id, correct, total FROM attempt_domain_scores WHERE attempt_id = ?1
             ORDER BY domain_id",
        )?;
        let mut items = tx.prepare(
            "SELECT question_id, correct FROM attempt_items
             WHERE attempt_id = ?1 AND correct IS NOT NULL ORDER BY position",
        )?;
        for (id, uid, status, finished_at, elapsed, current, sc, stot, hlc) in rows {
            if !mine(&hlc) {
                continue;
            }
            let score = match (sc, stot) {
                (Some(correct), Some(total)) => Some(Score {
                    correct,
                    total,
                    domains: domains
                        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                        .collect::<rusqlite::Result<_>>()?,
                    items: items
                        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                        .collect::<rusqlite::Result<_>>()?,
                }),
                _ => None,
            };
            out.push(Record {
                hlc,
                body: Body::AttemptState(AttemptState {
                    attempt: uid,
                    status,
                    finished_at,
                    elapsed_ms: elapsed,
                    current_index: current,
                    score,
                }),
            });
        }
    }
    // Answers, flags, "checked".
    {
        let mut st = tx.prepare(
            "SELECT a.uid, i.position, i.selected, i.flagged, i.checked, i.answered_at, i.hlc,
                    i.time_ms, i.confidence
             FROM attempt_items i JOIN attempts a ON a.id = i.attempt_id
             WHERE i.hlc > ?1 AND i.hlc <= ?2",
        )?;
        let rows = st.query_map(params![since, upto], |r| {
            let selected: String = r.get(2)?;
            Ok(Record {
                hlc: r.get(6)?,
                body: Body::Item(ItemRecord {
                    attempt: r.get(0)?,
                    position: r.get(1)?,
                    selected: serde_json::from_str(&selected).unwrap_or_default(),
                    flagged: r.get(3)?,
                    checked: r.get(4)?,
                    answered_at: r.get(5)?,
                    time_ms: r.get(7)?,
                    // Always sent, "" for no mark, so a mark taken off travels too.
                    confidence: Some(r.get::<_, Option<String>>(8)?.unwrap_or_default()),
                }),
            })
        })?;
        keep_mine(rows, &mine, &mut out)?;
    }
    // Reviews.
    {
        let mut st = tx.prepare(EXPORT_REVIEWS)?;
        let rows = st.query_map(params![since, upto], |r| {
            Ok(Record {
                hlc: r.get(7)?,
                body: Body::Review(ReviewRecord {
                    id: r.get(0)?,
                    bank_id: r.get(1)?,
                    question_id: r.get(2)?,
                    reviewed_at: r.get(3)?,
                    rating: r.get(4)?,
                    source: r.get(5)?,
                    attempt: r.get(6)?,
                    logged: Some(LoggedSchedule {
                        elapsed_days: r.get(8)?,
                        scheduled_days: r.get(9)?,
                        state_before: r.get(10)?,
                        state_after: r.get(11)?,
                        stability_after: r.get(12)?,
                        due_after: r.get(13)?,
                    }),
                    duration_ms: r.get(14)?,
                }),
            })
        })?;
        keep_mine(rows, &mine, &mut out)?;
    }
    // Predictions.
    {
        let mut st = tx.prepare(
            "SELECT a.uid, p.bank_id, p.made_at, p.predicted, p.low, p.high, p.pass_probability,
                    p.hlc
             FROM predictions p JOIN attempts a ON a.id = p.attempt_id
             WHERE p.hlc > ?1 AND p.hlc <= ?2",
        )?;
        let rows = st.query_map(params![since, upto], |r| {
            Ok(Record {
                hlc: r.get(7)?,
                body: Body::Prediction(PredictionRecord {
                    attempt: r.get(0)?,
                    bank_id: r.get(1)?,
                    made_at: r.get(2)?,
                    predicted: r.get(3)?,
                    low: r.get(4)?,
                    high: r.get(5)?,
                    pass_probability: r.get(6)?,
                }),
            })
        })?;
        keep_mine(rows, &mine, &mut out)?;
    }
    // Question reports and their tombstones.
    {
        let mut st = tx.prepare(
            "SELECT uid, bank_id, question_id, kind, text, created_at, deleted, hlc
             FROM question_reports WHERE hlc > ?1 AND hlc <= ?2",
        )?;
        let rows = st.query_map(params![since, upto], |r| {
            Ok(Record {
                hlc: r.get(7)?,
                body: Body::Report(ReportRecord {
                    id: r.get(0)?,
                    bank_id: r.get(1)?,
                    question_id: r.get(2)?,
                    kind: r.get(3)?,
                    text: r.get(4)?,
                    created_at: r.get(5)?,
                    deleted: r.get(6)?,
                }),
            })
        })?;
        keep_mine(rows, &mine, &mut out)?;
    }
    // Values: synced settings, plans, readiness days, device names and unknown keys.
    let value_queries: [(&str, fn(&rusqlite::Row) -> rusqlite::Result<(String, Option<String>)>); 4] = [
        (
            "SELECT key, value, hlc FROM settings WHERE hlc > ?1 AND hlc <= ?2",
            |r| Ok((format!("{}{}", keys::SETTING, r.get::<_, String>(0)?), r.get(1)?)),
        ),
        (
            "SELECT bank_id, exam_date, target, hlc FROM study_plans WHERE hlc > ?1 AND hlc <= ?2",
            |r| {
                let v = serde_json::json!({"exam_date": r.get::<_, String>(1)?, "target": r.get::<_, f64>(2)?});
                Ok((format!("{}{}", keys::PLAN, r.get::<_, String>(0)?), Some(v.to_string())))
            },
        ),
        (
            "SELECT bank_id, day, predicted, low, high, pass_probability, hlc FROM readiness_history
             WHERE hlc > ?1 AND hlc <= ?2",
            |r| {
                let v = serde_json::json!({
                    "predicted": r.get::<_, f64>(2)?, "low": r.get::<_, f64>(3)?,
                    "high": r.get::<_, f64>(4)?, "pass_probability": r.get::<_, f64>(5)?});
                Ok((
                    format!("{}{}/{}", keys::READINESS, r.get::<_, String>(0)?, r.get::<_, String>(1)?),
                    Some(v.to_string()),
                ))
            },
        ),
        (
            "SELECT key, value, hlc FROM sync_values WHERE hlc > ?1 AND hlc <= ?2",
            |r| Ok((r.get(0)?, r.get(1)?)),
        ),
    ];
    for (sql, map) in value_queries {
        let mut st = tx.prepare(sql)?;
        let hlc_col = st.column_count() - 1;
        let rows = st.query_map(params![since, upto], |r| {
            let (key, value) = map(r)?;
            Ok((key, value, r.get::<_, String>(hlc_col)?))
        })?;
        for row in rows {
            let (key, value, hlc) = row?;
            if !mine(&hlc) {
                continue;
            }
            if let Some(setting) = key.strip_prefix(keys::SETTING)
                && !synced_setting(setting)
            {
                continue;
            }
            out.push(Record {
                hlc,
                body: Body::Value(ValueRecord { key, value }),
            });
        }
    }
    out.sort_by(|a, b| a.hlc.cmp(&b.hlc).then(a.body.rank().cmp(&b.body.rank())));
    Ok((out, upto))
}

/// The local id of an attempt by its uid.
fn attempt_id(tx: &Connection, uid: &str) -> rusqlite::Result<Option<i64>> {
    tx.prepare_cached("SELECT id FROM attempts WHERE uid = ?1")?
        .query_row([uid], |r| r.get(0))
        .optional()
}

/// What one merge pass keeps from record to record: its transaction, the local id of each
/// attempt already looked up or created (the 10,000 answers of 200 exams would look their
/// exam up 10,000 times), and the statement every review goes through, prepared once.
pub(super) struct Merge<'t> {
    pub(super) tx: &'t Connection,
    pub(super) attempts: HashMap<String, i64>,
    insert_review: rusqlite::CachedStatement<'t>,
}

impl<'t> Merge<'t> {
    fn new(tx: &'t Connection) -> rusqlite::Result<Merge<'t>> {
        Ok(Merge {
            tx,
            attempts: HashMap::new(),
            insert_review: tx.prepare_cached(INSERT_REVIEW)?,
        })
    }

    /// The local id of an attempt by its uid. Attempts are only added during a merge, so
    /// an id once found stays right for the rest of the pass.
    pub(super) fn attempt_id(&mut self, uid: &str) -> rusqlite::Result<Option<i64>> {
        if let Some(id) = self.attempts.get(uid) {
            return Ok(Some(*id));
        }
        let id = attempt_id(self.tx, uid)?;
        if let Some(id) = id {
            self.attempts.insert(uid.to_string(), id);
        }
        Ok(id)
    }
}

/// Is `incoming` newer than what is stored (`None`: nothing stored or never stamped)?
pub(super) fn newer(incoming: &str, stored: Option<&str>) -> bool {
    stored.is_none_or(|s| incoming > s)
}

/// The least number of incoming reviews for which a merge replays the cards on another core
/// while it writes ([`replay_while_writing_pays`]); below it the cards' logs are read
/// after, as needed.
const REPLAY_WHILE_WRITING_MIN_REVIEWS: usize = 10_000;

/// Should a merge of `files` replay its cards on another core while it writes? Worth it when
/// the merge will read most of the log anyway: its reviews name a quarter of the cards or more
/// (the line [`super::merged_cards`] reads the whole log at), and they are enough that a
/// second connection and thread pay for themselves (a first link, a computer long offline).
fn replay_while_writing_pays(conn: &Connection, files: &[FileBatch]) -> rusqlite::Result<bool> {
    let reviews = files
        .iter()
        .flat_map(|f| &f.records)
        .filter_map(|r| match &r.body {
            Body::Review(r) => Some(r),
            _ => None,
        });
    if reviews.clone().count() < REPLAY_WHILE_WRITING_MIN_REVIEWS {
        return Ok(false);
    }
    let cards: HashSet<(&str, &str)> = reviews
        .map(|r| (r.bank_id.as_str(), r.question_id.as_str()))
        .collect();
    let stored: i64 = conn.query_row("SELECT COUNT(*) FROM cards", [], |r| r.get(0))?;
    Ok(cards.len() as i64 * 4 >= stored)
}

/// Where a record is among a merge's files: the file's index and the record's in it.
pub(super) type Place = (usize, usize);

/// Is this record applied as its file arrives ([`Store::apply_stream`])? A review of no
/// exam: it needs no other record to be there first, and no record needs it.
pub(super) fn applied_on_arrival(record: &Record) -> bool {
    matches!(&record.body, Body::Review(r) if r.attempt.is_none())
}

/// The places of the records of `files` not applied on arrival, in the order they are
/// applied once every file is here: attempts first, then their states, answers, reviews and
/// predictions, then values (`Body::rank`), each kind by stamp.
pub(super) fn rest_in_order(files: &[FileBatch]) -> Vec<Place> {
    let mut rest: Vec<Place> = places(files, |r| !applied_on_arrival(r)).collect();
    let record = |&(f, i): &Place| &files[f].records[i];
    rest.sort_by(|a, b| {
        let (a, b) = (record(a), record(b));
        a.body.rank().cmp(&b.body.rank()).then(a.hlc.cmp(&b.hlc))
    });
    rest
}

/// Every place of `files` in the order a merge applies it: the records applied on arrival,
/// file by file, then `rest` ([`rest_in_order`]).
pub(super) fn apply_order<'a>(
    files: &'a [FileBatch],
    rest: &'a [Place],
) -> impl Iterator<Item = Place> + 'a {
    places(files, applied_on_arrival).chain(rest.iter().copied())
}

/// The places of the records of `files` that `keep`, file by file.
fn places<'a>(
    files: &'a [FileBatch],
    keep: impl Fn(&Record) -> bool + Copy + 'a,
) -> impl Iterator<Item = Place> + 'a {
    files.iter().enumerate().flat_map(move |(f, batch)| {
        batch
            .records
            .iter()
            .enumerate()
            .filter(move |(_, r)| keep(r))
            .map(move |(i, _)| (f, i))
    })
}

/// One merge in progress on its transaction: what it has done so far, record by record.
struct Merging<'t> {
    merge: Merge<'t>,
    device: &'t str,
    report: Applied,
    /// Banks whose realism evidence a merged value changed.
    realism_banks: BTreeSet<String>,
    /// A study-settings or exam-date record changes every card's schedule.
    schedule_changed: bool,
    /// Per file: every record applied or already here so far.
    file_done: Vec<bool>,
    /// The newest stamp from another computer.
    newest: Option<Hlc>,
    /// The reviews added, in the order they were (what the replay on the other core foresees).
    added: Vec<Place>,
    /// Per exam this merge may start, by id: the places, stamps and records of its answers
    /// ([`Merging::expect_answers`]).
    answers: HashMap<String, Vec<(Place, String, ItemRecord)>>,
    /// Answers already written with the exam they answer, and their outcomes.
    decided: HashMap<Place, Outcome>,
}

impl<'t> Merging<'t> {
    fn new(tx: &'t Connection, device: &'t str, now_ms: i64) -> rusqlite::Result<Merging<'t>> {
        // Before any realism row from elsewhere lands: the sums minus the rows must be this
        // computer's own older evidence only.
        share_unshared_realism(tx, device, now_ms)?;
        Ok(Merging {
            merge: Merge::new(tx)?,
            device,
            report: Applied::default(),
            realism_banks: BTreeSet::new(),
            schedule_changed: false,
            file_done: Vec::new(),
            newest: None,
            added: Vec::new(),
            answers: HashMap::new(),
            decided: HashMap::new(),
        })
    }

    /// Once every file is here (`rest` in the order it is applied): the answers to each exam
    /// the merge starts, in stamp order, so that the start writes each row once.
    fn expect_answers(&mut self, files: &[FileBatch], rest: &[Place]) {
        let record = |&(f, i): &Place| &files[f].records[i];
        let started: HashSet<&str> = rest
            .iter()
            .filter_map(|p| match &record(p).body {
                Body::AttemptStart(a) => Some(a.attempt.as_str()),
                _ => None,
            })
            .collect();
        for &place in rest {
            let r = record(&place);
            if let Body::Item(i) = &r.body
                && started.contains(i.attempt.as_str())
                && Hlc::parse(&r.hlc).is_some()
            {
                self.answers.entry(i.attempt.clone()).or_default().push((
                    place,
                    r.hlc.clone(),
                    i.clone(),
                ));
            }
        }
    }

    /// Apply the records of file `file` that are applied on arrival ([`applied_on_arrival`]).
    fn apply_on_arrival(&mut self, file: usize, batch: &FileBatch) -> rusqlite::Result<()> {
        for (i, r) in batch.records.iter().enumerate() {
            if applied_on_arrival(r) {
                self.apply((file, i), r)?;
            }
        }
        Ok(())
    }

    /// Apply the record at `place`.
    fn apply(&mut self, place: Place, record: &Record) -> rusqlite::Result<()> {
        let (file, tx) = (place.0, self.merge.tx);
        let Some(stamp) = Hlc::parse(&record.hlc) else {
            // A record with no valid stamp cannot be ordered; it is not ours to guess.
            self.report.unknown += 1;
            self.file_done[file] = false;
            return Ok(());
        };
        let m = &mut self.merge;
        let outcome = match &record.body {
            Body::AttemptStart(a) => {
                let answers = self.answers.remove(&a.attempt).unwrap_or_default();
                let stamped: Vec<(&str, &ItemRecord)> =
                    answers.iter().map(|(_, h, i)| (h.as_str(), i)).collect();
                let (outcome, written) = apply_start(m, &record.hlc, a, &stamped)?;
                for ((place, ..), o) in answers.iter().zip(written.into_iter().flatten()) {
                    if let Some(o) = o {
                        self.decided.insert(*place, o);
                    }
                }
                outcome
            }
            Body::AttemptState(s) => apply_state(m, &record.hlc, s)?,
            Body::Item(i) => match self.decided.remove(&place) {
                Some(o) => o,
                None => apply_item(m, &record.hlc, i)?,
            },
            Body::Review(r) => {
                let o = apply_review(m, &record.hlc, r)?;
                if matches!(o, Outcome::Applied) {
                    self.added.push(place);
                }
                o
            }
            Body::Prediction(p) => apply_prediction(m, &record.hlc, p)?,
            Body::Report(r) => apply_report(tx, &record.hlc, r)?,
            Body::Value(v) => {
                let o = apply_value(tx, &record.hlc, v)?;
                if matches!(o, Outcome::Applied) {
                    self.schedule_changed |= changes_schedule(&v.key);
                    if let Some((bank, _)) = realism_parts(&v.key) {
                        self.realism_banks.insert(bank.to_string());
                    }
                }
                o
            }
            Body::Unknown => {
                self.report.unknown += 1;
                self.file_done[file] = false;
                return Ok(());
            }
        };
        match outcome {
            Outcome::Applied => self.report.applied += 1,
            Outcome::Unchanged => self.report.unchanged += 1,
            Outcome::Pending => {
                self.report.pending += 1;
                self.file_done[file] = false;
            }
        }
        if stamp.device != self.device && self.newest.as_ref().is_none_or(|n| &stamp > n) {
            self.newest = Some(stamp);
        }
        Ok(())
    }

    /// After the last record: realism, cards, the clock and the files read in full.
    /// `replayed`: the cards being replayed on another thread from the log before the merge
    /// and the reviews it foresaw the merge adding ([`replay_while_writing`]), used if the
    /// merge added exactly those.
    fn finish(
        self,
        files: &[FileBatch],
        replayed: Option<std::thread::ScopedJoinHandle<'_, rusqlite::Result<ReplayedCards>>>,
    ) -> rusqlite::Result<Applied> {
        let Merging {
            merge,
            mut report,
            realism_banks,
            schedule_changed,
            file_done,
            newest,
            added,
            ..
        } = self;
        let tx = merge.tx;
        drop(merge);
        for bank in &realism_banks {
            refresh_realism(tx, bank)?;
        }
        // Cards are a function of the merged review log and the settings: recomputed by the
        // scheduler's one replay (the one schema v4 and every settings change use). The other
        // core's cards stand if the merge added the reviews it foresaw; otherwise (or if its
        // read failed, or its thread did) the log is read and replayed here.
        let replayed = replayed
            .and_then(|h| h.join().ok())
            .and_then(Result::ok)
            .filter(|r| r.added == added);
        report.cards_replayed_while_writing = replayed.is_some();
        report.cards_recomputed = match replayed {
            Some(r) => r.write(tx)?,
            None => {
                let touched: BTreeSet<(String, String)> = added
                    .iter()
                    .filter_map(|&(f, i)| match &files[f].records[i].body {
                        Body::Review(r) => Some((r.bank_id.clone(), r.question_id.clone())),
                        _ => None,
                    })
                    .collect();
                reschedule_merged(tx, &touched)?
            }
        };
        if schedule_changed {
            report.cards_recomputed += super::srs::reschedule(tx, None)?;
        }
        if let Some(h) = &newest {
            observe(tx, h)?;
        }
        for (f, done) in files.iter().zip(file_done) {
            if done && f.clean {
                tx.execute(
                    "INSERT OR REPLACE INTO sync_files (name, len, mtime_ms) VALUES (?1, ?2, ?3)",
                    params![f.name, f.len as i64, f.mtime_ms],
                )?;
            } else {
                tx.execute("DELETE FROM sync_files WHERE name = ?1", [&f.name])?;
            }
        }
        Ok(report)
    }
}

/// Does a value with this key change how cards are scheduled (study settings with the
/// fitted parameters, an exam date)?
fn changes_schedule(key: &str) -> bool {
    key.strip_prefix(keys::SETTING) == Some("study") || key.starts_with(keys::PLAN)
}

/// A merged review as the answering computer wrote it, marked as merged (schema v10); a
/// review already here (its id) is left as it is.
const INSERT_REVIEW: &str =
    "INSERT INTO review_log (bank_id, question_id, reviewed_at, rating, correct, elapsed_days,
                             scheduled_days, state_before, state_after, stability_after,
                             due_after, source, attempt_id, duration_ms, uid, hlc, merged)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 1)
     ON CONFLICT (uid) DO NOTHING";

fn apply_review(m: &mut Merge<'_>, hlc: &str, r: &ReviewRecord) -> rusqlite::Result<Outcome> {
    let tx = m.tx;
    // A review already here is unchanged whatever else is true of it; one that is not waits
    // if it cannot be applied yet. The common case (a valid review) needs no look-up of its
    // own: the insert below skips a known id through the unique index.
    let waits = || -> rusqlite::Result<Outcome> {
        let known = tx
            .prepare_cached("SELECT 1 FROM review_log WHERE uid = ?1")?
            .query_row([&r.id], |_| Ok(()))
            .optional()?;
        Ok(match known {
            Some(()) => Outcome::Unchanged,
            None => Outcome::Pending,
        })
    };
    if !(1..=4).contains(&r.rating) || !matches!(r.source.as_str(), "study" | "exam") {
        return waits();
    }
    let attempt = match &r.attempt {
        Some(uid) => match m.attempt_id(uid)? {
            Some(id) => Some(id),
            None => return waits(),
        },
        None => None,
    };
    // The row as the answering computer wrote it (its schedule columns are what its scheduler
    // said then); the card is recomputed from the merged log below, in the same transaction.
    let unlogged;
    let logged = match &r.logged {
        Some(l) => l,
        None => {
            unlogged = LoggedSchedule {
                elapsed_days: 0,
                scheduled_days: 0,
                state_before: 0,
                state_after: 0,
                stability_after: 0.0,
                due_after: r.reviewed_at.clone(),
            };
            &unlogged
        }
    };
    let inserted = m.insert_review.execute(params![
        r.bank_id,
        r.question_id,
        r.reviewed_at,
        r.rating,
        r.rating != 1,
        logged.elapsed_days,
        logged.scheduled_days,
        logged.state_before,
        logged.state_after,
        logged.stability_after,
        logged.due_after,
        r.source,
        attempt,
        r.duration_ms,
        r.id,
        hlc
    ])?;
    Ok(if inserted == 0 {
        Outcome::Unchanged
    } else {
        Outcome::Applied
    })
}

fn apply_prediction(
    m: &mut Merge<'_>,
    hlc: &str,
    p: &PredictionRecord,
) -> rusqlite::Result<Outcome> {
    let tx = m.tx;
    let Some(id) = m.attempt_id(&p.attempt)? else {
        return Ok(Outcome::Pending);
    };
    let stored: Option<Option<String>> = tx
        .query_row(
            "SELECT hlc FROM predictions WHERE attempt_id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    if !newer(hlc, stored.flatten().as_deref()) {
        return Ok(Outcome::Unchanged);
    }
    tx.execute(
        "INSERT OR REPLACE INTO predictions
            (attempt_id, bank_id, made_at, predicted, low, high, pass_probability, hlc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id,
            p.bank_id,
            p.made_at,
            p.predicted,
            p.low,
            p.high,
            p.pass_probability,
            hlc
        ],
    )?;
    Ok(Outcome::Applied)
}

/// A question report: by id, a deletion wins, else the newer stamp. A report this
/// version cannot keep (a kind it does not know, text over the limit, a bad id) waits, like a
/// record of an unknown kind, for a certprep that can.
fn apply_report(tx: &Connection, hlc: &str, r: &ReportRecord) -> rusqlite::Result<Outcome> {
    let stored: Option<(Option<String>, bool)> = tx
        .prepare_cached("SELECT hlc, deleted FROM question_reports WHERE uid = ?1")?
        .query_row([&r.id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let usable = crate::reports::ReportKind::parse(&r.kind).is_some()
        && crate::reports::check_text(&r.text).is_ok()
        && crate::reports::check_id("report id", &r.id).is_ok()
        && crate::reports::check_id("bank id", &r.bank_id).is_ok()
        && crate::reports::check_id("question id", &r.question_id).is_ok();
    // A deletion wins over the report whatever the stamps; between two of either kind the
    // newer stamp wins. So every computer ends with the same row.
    let wins = match &stored {
        None => true,
        Some((_, true)) if !r.deleted => false,
        Some((_, false)) if r.deleted => true,
        Some((stored_hlc, _)) => newer(hlc, stored_hlc.as_deref()),
    };
    if !wins {
        return Ok(Outcome::Unchanged);
    }
    if !usable {
        return Ok(Outcome::Pending);
    }
    tx.prepare_cached(
        "INSERT INTO question_reports
            (uid, bank_id, question_id, kind, text, created_at, deleted, hlc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (uid) DO UPDATE SET bank_id = excluded.bank_id,
            question_id = excluded.question_id, kind = excluded.kind, text = excluded.text,
            created_at = excluded.created_at, deleted = excluded.deleted, hlc = excluded.hlc",
    )?
    .execute(params![
        r.id,
        r.bank_id,
        r.question_id,
        r.kind,
        if r.deleted { "" } else { r.text.as_str() },
        r.created_at,
        r.deleted,
        hlc
    ])?;
    Ok(Outcome::Applied)
}

fn apply_value(tx: &Connection, hlc: &str, v: &ValueRecord) -> rusqlite::Result<Outcome> {
    if let Some(key) = v.key.strip_prefix(keys::SETTING) {
        if !synced_setting(key) {
            // Another computer's local setting: never ours to change.
            return Ok(Outcome::Unchanged);
        }
        let stored: Option<Option<String>> = tx
            .query_row("SELECT hlc FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?;
        if !newer(hlc, stored.flatten().as_deref()) {
            return Ok(Outcome::Unchanged);
        }
        match &v.value {
            Some(value) => tx.execute(
                "INSERT INTO settings (key, value, hlc) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, hlc = excluded.hlc",
                params![key, value, hlc],
            )?,
            None => tx.execute("DELETE FROM settings WHERE key = ?1", [key])?,
        };
        return Ok(Outcome::Applied);
    }
    if let Some(bank) = v.key.strip_prefix(keys::PLAN) {
        let stored: Option<Option<String>> = tx
            .query_row(
                "SELECT hlc FROM study_plans WHERE bank_id = ?1",
                [bank],
                |r| r.get(0),
            )
            .optional()?;
        if !newer(hlc, stored.flatten().as_deref()) {
            return Ok(Outcome::Unchanged);
        }
        let parsed = v
            .value
            .as_deref()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok());
        match parsed {
            Some(p) => {
                let (Some(date), Some(target)) = (p["exam_date"].as_str(), p["target"].as_f64())
                else {
                    return Ok(Outcome::Pending);
                };
                tx.execute(
                    "INSERT INTO study_plans (bank_id, exam_date, target, hlc) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (bank_id) DO UPDATE SET exam_date = excluded.exam_date,
                        target = excluded.target, hlc = excluded.hlc",
                    params![bank, date, target, hlc],
                )?;
            }
            None => {
                tx.execute("DELETE FROM study_plans WHERE bank_id = ?1", [bank])?;
            }
        }
        return Ok(Outcome::Applied);
    }
    if let Some(rest) = v.key.strip_prefix(keys::READINESS)
        && let Some((bank, day)) = rest.rsplit_once('/')
    {
        let stored: Option<Option<String>> = tx
            .query_row(
                "SELECT hlc FROM readiness_history WHERE bank_id = ?1 AND day = ?2",
                [bank, day],
                |r| r.get(0),
            )
            .optional()?;
        if !newer(hlc, stored.flatten().as_deref()) {
            return Ok(Outcome::Unchanged);
        }
        let p = v
            .value
            .as_deref()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
            .unwrap_or_default();
        let (Some(pr), Some(lo), Some(hi), Some(pp)) = (
            p["predicted"].as_f64(),
            p["low"].as_f64(),
            p["high"].as_f64(),
            p["pass_probability"].as_f64(),
        ) else {
            return Ok(Outcome::Pending);
        };
        tx.execute(
            "INSERT INTO readiness_history (bank_id, day, predicted, low, high, pass_probability, hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (bank_id, day) DO UPDATE SET predicted = excluded.predicted,
                low = excluded.low, high = excluded.high,
                pass_probability = excluded.pass_probability, hlc = excluded.hlc",
            params![bank, day, pr, lo, hi, pp, hlc],
        )?;
        return Ok(Outcome::Applied);
    }
    if realism_parts(&v.key).is_some() && v.value.as_deref().and_then(parse_realism).is_none() {
        // Not evidence certprep can add up: not applied, as a damaged record would not be.
        return Ok(Outcome::Pending);
    }
    // Realism evidence (its bank's sums are refreshed after the pass's records), device
    // names, and keys a later certprep adds: kept as they are.
    let stored: Option<String> = tx
        .query_row(
            "SELECT hlc FROM sync_values WHERE key = ?1",
            [&v.key],
            |r| r.get(0),
        )
        .optional()?;
    if !newer(hlc, stored.as_deref()) {
        return Ok(Outcome::Unchanged);
    }
    tx.execute(
        "INSERT INTO sync_values (key, value, hlc) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, hlc = excluded.hlc",
        params![v.key, v.value, hlc],
    )?;
    Ok(Outcome::Applied)
}

// ---------------------------------------------------------------------------------------------
// Realism evidence (docs/readiness.md): the readiness model's per-bank sums from mock exams.
// They cannot be recomputed from the merged history: each exam's evidence was read against
// the cards and the bank as they were when it was finished. So each exam's evidence travels
// as a value of its own, and a bank's sums are the total of its values.

/// Who gives the evidence in a `before-<device>` key: a computer's evidence from before it
/// travelled.
const REALISM_BEFORE: &str = "before-";

fn realism_key(bank_id: &str, who: &str) -> String {
    format!("{}{bank_id}/{who}", keys::REALISM)
}

/// (bank, attempt or `before-<device>`) of a realism key.
fn realism_parts(key: &str) -> Option<(&str, &str)> {
    key.strip_prefix(keys::REALISM)?.rsplit_once('/')
}

fn realism_text(r: &RealismSums) -> String {
    serde_json::json!({"sum_mx": r.sum_mx, "sum_mm": r.sum_mm, "answers": r.answers}).to_string()
}

fn parse_realism(text: &str) -> Option<RealismSums> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    let r = RealismSums {
        sum_mx: v["sum_mx"].as_f64()?,
        sum_mm: v["sum_mm"].as_f64()?,
        answers: u32::try_from(v["answers"].as_u64()?).ok()?,
    };
    (r.sum_mx.is_finite() && r.sum_mm.is_finite()).then_some(r)
}

/// The total of a bank's realism values, added in key order so that every computer holding
/// the same values gets the same sums to the last bit; `None` when it has none.
fn shared_realism(tx: &Connection, bank_id: &str) -> rusqlite::Result<Option<RealismSums>> {
    // Keys from `realism/<bank>/` up to `realism/<bank>0` ('0' follows '/'): a range of the
    // key's index.
    let (from, to) = (
        realism_key(bank_id, ""),
        format!("{}{bank_id}0", keys::REALISM),
    );
    let mut st = tx.prepare_cached(
        "SELECT value FROM sync_values
         WHERE key >= ?1 AND key < ?2 AND value IS NOT NULL ORDER BY key",
    )?;
    let mut rows = st.query([&from, &to])?;
    let mut total: Option<RealismSums> = None;
    while let Some(r) = rows.next()? {
        let text: String = r.get(0)?;
        if let Some(e) = parse_realism(&text) {
            total = Some(total.unwrap_or_default().plus(e));
        }
    }
    Ok(total)
}

/// Set a bank's realism sums to the total of its values (left alone while it has none).
fn refresh_realism(tx: &Connection, bank_id: &str) -> rusqlite::Result<()> {
    let Some(t) = shared_realism(tx, bank_id)? else {
        return Ok(());
    };
    tx.prepare_cached(
        "INSERT INTO realism (bank_id, sum_mx, sum_mm, answers) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (bank_id) DO UPDATE SET sum_mx = excluded.sum_mx,
            sum_mm = excluded.sum_mm, answers = excluded.answers",
    )?
    .execute(params![bank_id, t.sum_mx, t.sum_mm, t.answers])?;
    Ok(())
}

/// Share the realism evidence no value accounts for yet: mock exams finished before
/// evidence travelled (their sums were only ever kept as a total). Per bank, what the sums
/// hold beyond the total of the values is added to this computer's `before-<device>` value,
/// stamped now. Returns how many banks had some.
fn share_unshared_realism(tx: &Connection, device: &str, now_ms: i64) -> rusqlite::Result<usize> {
    let sums: Vec<(String, RealismSums)> = tx
        .prepare_cached("SELECT bank_id, sum_mx, sum_mm, answers FROM realism")?
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                RealismSums {
                    sum_mx: r.get(1)?,
                    sum_mm: r.get(2)?,
                    answers: r.get(3)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut n = 0;
    for (bank, held) in sums {
        let shared = shared_realism(tx, &bank)?.unwrap_or_default();
        // Answers are counted exactly: more answers in the sums than in the values is the
        // one sign of unshared evidence (the sums' floats may differ from the values' total
        // by rounding).
        if held.answers <= shared.answers {
            continue;
        }
        let key = realism_key(&bank, &format!("{REALISM_BEFORE}{device}"));
        let before: Option<Option<String>> = tx
            .query_row(
                "SELECT value FROM sync_values WHERE key = ?1",
                [&key],
                |r| r.get(0),
            )
            .optional()?;
        let before = before
            .flatten()
            .as_deref()
            .and_then(parse_realism)
            .unwrap_or_default();
        let value = before.plus(RealismSums {
            sum_mx: held.sum_mx - shared.sum_mx,
            sum_mm: held.sum_mm - shared.sum_mm,
            answers: held.answers - shared.answers,
        });
        let hlc = stamp_at(tx, device, now_ms)?;
        tx.execute(
            "INSERT INTO sync_values (key, value, hlc) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, hlc = excluded.hlc",
            params![key, realism_text(&value), hlc],
        )?;
        refresh_realism(tx, &bank)?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cards the other core replayed for other reviews than the merge added (a foresight
    /// gone wrong) are not used: the merge reads the log and replays the cards itself.
    #[test]
    fn a_merge_replays_its_cards_itself_when_the_other_core_foresaw_other_reviews() {
        use crate::sync::record::ReviewRecord;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in(dir.path()).unwrap();
        let review = |n: i64, question: &str, rating: i64| Record {
            hlc: Hlc::new(1_764_547_200_000 + n * 60_000, 0, "00000000000000b0").to_string(),
            body: Body::Review(ReviewRecord {
                id: format!("{n:032x}"),
                bank_id: "bank".into(),
                question_id: question.into(),
                reviewed_at: format!("2025-12-01T00:0{n}:00.000Z"),
                rating,
                source: "study".into(),
                attempt: None,
                logged: None,
                duration_ms: None,
            }),
        };
        let files = vec![FileBatch {
            name: "00000000000000b0-000001.certprep-journal".into(),
            len: 1,
            mtime_ms: 1,
            clean: true,
            records: vec![review(1, "q1", 3), review(2, "q2", 1), review(3, "q1", 1)],
        }];
        let tx = store.write_tx().unwrap();
        let report = std::thread::scope(|s| {
            let mut merging = Merging::new(&tx, store.device_id(), 0).unwrap();
            merging.file_done.push(true);
            merging.apply_on_arrival(0, &files[0]).unwrap();
            assert!(rest_in_order(&files).is_empty());
            let wrong = s.spawn(|| Ok(ReplayedCards::foreseeing_wrongly(vec![(0, 1)])));
            merging.finish(&files, Some(wrong)).unwrap()
        });
        tx.commit().unwrap();
        assert!(!report.cards_replayed_while_writing, "{report:?}");
        assert_eq!((report.applied, report.cards_recomputed), (3, 2));
        let cards: Vec<(String, i64, i64, i64)> = store
            .connection()
            .prepare("SELECT question_id, reviews, correct, last_correct FROM cards ORDER BY 1")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(cards, [("q1".into(), 2, 1, 0), ("q2".into(), 1, 0, 0)]);
    }

    #[test]
    fn legacy_uids_are_stable_and_distinct() {
        assert_eq!(legacy_uid(&["a", "b"]), legacy_uid(&["a", "b"]));
        assert_ne!(legacy_uid(&["a", "b"]), legacy_uid(&["ab", ""]));
        assert_eq!(new_uid().len(), 32);
    }

    #[test]
    fn new_uids_start_with_their_time_and_sort_by_it() {
        let a = uid_at(1_764_547_200_000, [0xff; 10]);
        let b = uid_at(1_764_547_200_001, [0; 10]);
        assert_eq!(a, "019ad7358400ffffffffffffffffffff");
        assert!(
            a < b,
            "a later millisecond sorts after, whatever the random part"
        );
        assert_eq!(
            uid_at(-5, [0xab; 10]),
            format!("000000000000{}", "ab".repeat(10))
        );
        let made: Vec<String> = (0..1000).map(|_| new_uid()).collect();
        assert!(
            made.iter()
                .all(|u| u.len() == 32 && u.bytes().all(|c| c.is_ascii_hexdigit()))
        );
        let distinct: std::collections::HashSet<&String> = made.iter().collect();
        assert_eq!(distinct.len(), made.len());
    }

    /// The two queries every pass runs over the review log use its stamp index, which holds
    /// only this computer's reviews (schema v10): neither reads the whole log, however much
    /// has been merged into it.
    #[test]
    fn exports_read_the_stamp_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in(dir.path()).unwrap();
        let plan = |sql: &str| -> Vec<String> {
            let mut st = store
                .connection()
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let n = st.parameter_count();
            st.query_map(rusqlite::params_from_iter(vec![""; n]), |r| r.get(3))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        for sql in [EXPORT_REVIEWS, LATEST_OWN_STAMP] {
            let steps = plan(sql);
            let on_log: Vec<&String> = steps
                .iter()
                .filter(|s| s.contains("review_log") || s.contains(" l "))
                .collect();
            assert!(
                !on_log.is_empty()
                    && on_log
                        .iter()
                        .all(|s| s.contains("USING INDEX review_log_hlc")),
                "{sql}: {steps:?}"
            );
        }
    }
}
