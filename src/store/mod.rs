//! The local SQLite database: exam attempts, every answer as it is given, per-question
//! history. One file in the user's data directory, WAL mode, schema versioned with
//! `PRAGMA user_version` and upgraded by forward-only migrations.

pub mod backup;
mod group_settings;
pub mod history;
pub mod lock;
mod merged_attempts;
mod merged_cards;
pub mod notes;
pub mod replace;
pub mod reports;
mod schema;
pub mod sessions;
pub mod srs;
pub mod sync;

use crate::exam::{
    AnswerConfidence, ExamItem, ExamSession, ExamStatus, ItemState, Mode, ScoreReport,
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode, OptionalExtension, params};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const DB_FILE: &str = "certprep.sqlite3";

/// The database's page size in bytes (SQLite's default is 4,096). A sync merge of another
/// computer's 100,000 records inserts into `review_log` and three of its indexes all along
/// their length; with larger pages it balances fewer of them and its commit writes fewer:
/// 1.22-1.36 s with 4 KiB pages against 1.06-1.15 s with 16 KiB, alternated in the same
/// minutes (docs/PERFORMANCE.md, "Round four"). 32 KiB was no faster.
pub const PAGE_SIZE: i64 = 16 * 1024;

/// How long a connection waits for another's lock before failing with SQLITE_BUSY.
const BUSY_TIMEOUT: Duration = Duration::from_millis(2000);

/// Forward migrations; index i upgrades user_version i to i+1. Never edit a shipped one:
/// add a new entry instead, so every existing database can be brought forward. Their exact
/// text is also the schema a database is checked against ([`schema`]): a database holding
/// anything these statements did not create is refused.
pub const MIGRATIONS: &[&str] = &[
    // 1: attempts, their items (one row per question, written as each answer is given),
    //    per-area scores and per-question history.
    r#"
    CREATE TABLE attempts (
        id              INTEGER PRIMARY KEY,
        bank_id         TEXT    NOT NULL,
        bank_version    TEXT    NOT NULL,
        mode            TEXT    NOT NULL CHECK (mode IN ('exam','study')),
        seed            INTEGER NOT NULL,
        pass_percent    REAL    NOT NULL,
        time_limit_secs INTEGER,
        status          TEXT    NOT NULL CHECK (status IN ('in_progress','submitted','expired','abandoned')),
        started_at      TEXT    NOT NULL,
        finished_at     TEXT,
        elapsed_ms      INTEGER NOT NULL DEFAULT 0,
        current_index   INTEGER NOT NULL DEFAULT 0,
        score_correct   INTEGER,
        score_total     INTEGER,
        pack_id         TEXT
    );
    CREATE INDEX attempts_status ON attempts(status, started_at);
    CREATE TABLE attempt_items (
        attempt_id   INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
        position     INTEGER NOT NULL,
        question_id  TEXT    NOT NULL,
        option_order TEXT    NOT NULL,
        selected     TEXT    NOT NULL DEFAULT '[]',
        flagged      INTEGER NOT NULL DEFAULT 0,
        checked      INTEGER NOT NULL DEFAULT 0,
        answered_at  TEXT,
        PRIMARY KEY (attempt_id, position)
    );
    CREATE TABLE attempt_domain_scores (
        attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
        domain_id  TEXT    NOT NULL,
        correct    INTEGER NOT NULL,
        total      INTEGER NOT NULL,
        PRIMARY KEY (attempt_id, domain_id)
    );
    CREATE TABLE question_history (
        bank_id      TEXT    NOT NULL,
        question_id  TEXT    NOT NULL,
        seen         INTEGER NOT NULL DEFAULT 0,
        correct      INTEGER NOT NULL DEFAULT 0,
        last_seen_at TEXT,
        last_correct INTEGER,
        PRIMARY KEY (bank_id, question_id)
    );
    "#,
    // 2: spaced repetition and readiness. `cards` holds one FSRS card per seen question
    //    (the incremental aggregate mastery reads); `review_log` every rating ever given.
    r#"
    CREATE TABLE cards (
        bank_id        TEXT    NOT NULL,
        question_id    TEXT    NOT NULL,
        due            TEXT    NOT NULL,
        stability      REAL    NOT NULL,
        difficulty     REAL    NOT NULL,
        elapsed_days   INTEGER NOT NULL,
        scheduled_days INTEGER NOT NULL,
        reps           INTEGER NOT NULL,
        lapses         INTEGER NOT NULL,
        state          INTEGER NOT NULL,
        last_review    TEXT    NOT NULL,
        reviews        INTEGER NOT NULL,
        correct        INTEGER NOT NULL,
        first_correct  INTEGER NOT NULL,
        PRIMARY KEY (bank_id, question_id)
    );
    CREATE INDEX cards_due ON cards(bank_id, due);
    CREATE TABLE review_log (
        id              INTEGER PRIMARY KEY,
        bank_id         TEXT    NOT NULL,
        question_id     TEXT    NOT NULL,
        reviewed_at     TEXT    NOT NULL,
        rating          INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        correct         INTEGER NOT NULL,
        elapsed_days    INTEGER NOT NULL,
        scheduled_days  INTEGER NOT NULL,
        state_before    INTEGER NOT NULL,
        state_after     INTEGER NOT NULL,
        stability_after REAL    NOT NULL,
        due_after       TEXT    NOT NULL,
        source          TEXT    NOT NULL CHECK (source IN ('study','exam')),
        attempt_id      INTEGER
    );
    CREATE INDEX review_log_time ON review_log(bank_id, reviewed_at);
    CREATE INDEX review_log_question ON review_log(bank_id, question_id);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE study_plans (
        bank_id   TEXT PRIMARY KEY,
        exam_date TEXT NOT NULL,
        target    REAL NOT NULL
    );
    CREATE TABLE predictions (
        attempt_id       INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
        bank_id          TEXT NOT NULL,
        made_at          TEXT NOT NULL,
        predicted        REAL NOT NULL,
        low              REAL NOT NULL,
        high             REAL NOT NULL,
        pass_probability REAL NOT NULL
    );
    CREATE TABLE readiness_history (
        bank_id          TEXT NOT NULL,
        day              TEXT NOT NULL,
        predicted        REAL NOT NULL,
        low              REAL NOT NULL,
        high             REAL NOT NULL,
        pass_probability REAL NOT NULL,
        PRIMARY KEY (bank_id, day)
    );
    "#,
    // 3: the dashboard counts today's and the last two weeks' answers, new ones apart, on
    //    every visit; with `state_before` in the time index those counts never read the table
    //    (35,000 answers in two weeks took the dashboard read from 27 to 99 ms without it;
    //    docs/PERFORMANCE.md).
    r#"
    DROP INDEX review_log_time;
    CREATE INDEX review_log_time ON review_log(bank_id, reviewed_at, state_before);
    "#,
    // 4: FSRS-6. A card keeps its (re)learning step and the decay of the forgetting curve its
    //    stability was computed with (FSRS-5's 0.5 for anything not recomputed); a study
    //    answer keeps how long it took (the daily time budget). Then every card's memory
    //    state and due date are recomputed from its review log ([`migration_step`]).
    r#"
    ALTER TABLE cards ADD COLUMN step INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE cards ADD COLUMN decay REAL NOT NULL DEFAULT 0.5;
    ALTER TABLE review_log ADD COLUMN duration_ms INTEGER;
    "#,
    // 5: readiness reads each question's latest answer and the time of its first from the
    //    card (not the log, which can hold a million rows), both filled from the log for the
    //    cards already there; `realism` keeps, per bank, the sums mock exams give about how
    //    far a question's own record predicts the exam's answer to it (docs/readiness.md).
    //    The two columns are filled from the log by [`FILL_READINESS_COLUMNS`].
    r#"
    ALTER TABLE cards ADD COLUMN last_correct INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE cards ADD COLUMN first_at TEXT NOT NULL DEFAULT '';
    CREATE TABLE realism (
        bank_id      TEXT PRIMARY KEY,
        sum_mx       REAL    NOT NULL,
        sum_mm       REAL    NOT NULL,
        answers      INTEGER NOT NULL
    );
    "#,
    // 6: sync through a folder (docs/sync.md). Attempts and reviews get ids that are the same
    //    on every computer; every row that is history gets the hybrid-logical-clock stamp of
    //    its last change (`hlc`), which orders changes across computers and marks what is
    //    new since the last export. `attempt_items.correct` keeps a finished attempt's scoring
    //    per question so it can travel. `sync_clock` is the one clock every connection stamps
    //    from; `sync_values` keeps device names and keys a later certprep may send;
    //    `sync_files` the journal files already read in full.
    r#"
    ALTER TABLE attempts ADD COLUMN uid TEXT;
    ALTER TABLE attempts ADD COLUMN start_hlc TEXT;
    ALTER TABLE attempts ADD COLUMN state_hlc TEXT;
    CREATE UNIQUE INDEX attempts_uid ON attempts(uid);
    CREATE INDEX attempts_start_hlc ON attempts(start_hlc);
    CREATE INDEX attempts_state_hlc ON attempts(state_hlc);
    ALTER TABLE attempt_items ADD COLUMN hlc TEXT;
    ALTER TABLE attempt_items ADD COLUMN correct INTEGER;
    CREATE INDEX attempt_items_hlc ON attempt_items(hlc);
    ALTER TABLE review_log ADD COLUMN uid TEXT;
    ALTER TABLE review_log ADD COLUMN hlc TEXT;
    CREATE UNIQUE INDEX review_log_uid ON review_log(uid);
    CREATE INDEX review_log_hlc ON review_log(hlc);
    ALTER TABLE settings ADD COLUMN hlc TEXT;
    CREATE INDEX settings_hlc ON settings(hlc);
    ALTER TABLE study_plans ADD COLUMN hlc TEXT;
    CREATE INDEX study_plans_hlc ON study_plans(hlc);
    ALTER TABLE predictions ADD COLUMN hlc TEXT;
    CREATE INDEX predictions_hlc ON predictions(hlc);
    ALTER TABLE readiness_history ADD COLUMN hlc TEXT;
    CREATE INDEX readiness_history_hlc ON readiness_history(hlc);
    CREATE TABLE sync_clock (
        id      INTEGER PRIMARY KEY CHECK (id = 1),
        wall_ms INTEGER NOT NULL,
        counter INTEGER NOT NULL
    );
    INSERT INTO sync_clock (id, wall_ms, counter) VALUES (1, 0, 0);
    CREATE TABLE sync_values (
        key   TEXT PRIMARY KEY,
        value TEXT,
        hlc   TEXT NOT NULL
    );
    CREATE INDEX sync_values_hlc ON sync_values(hlc);
    CREATE TABLE sync_files (
        name     TEXT PRIMARY KEY,
        len      INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL
    );
    "#,
    // 7: an attempt's own title, where it is not its bank's: a study-group pack is sat under
    //    the pack's title, also when it is resumed after a restart and on Results later.
    r#"
    ALTER TABLE attempts ADD COLUMN title TEXT;
    "#,
    // 8: "Report a problem with this question" (docs/question-reports.md). One row per report,
    //    with an id that is the same on every computer; a deleted report stays as a tombstone
    //    (`deleted` = 1, its text emptied) so the deletion travels and wins over the report.
    //    Kinds and the length limit are those of `crate::reports`.
    r#"
    CREATE TABLE question_reports (
        uid         TEXT    PRIMARY KEY,
        bank_id     TEXT    NOT NULL,
        question_id TEXT    NOT NULL,
        kind        TEXT    NOT NULL
                    CHECK (kind IN ('wrong_key','unclear','outdated_fact','typo','other')),
        text        TEXT    NOT NULL CHECK (length(text) <= 2000),
        created_at  TEXT    NOT NULL,
        deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
        hlc         TEXT
    );
    CREATE INDEX question_reports_question ON question_reports(bank_id, question_id);
    CREATE INDEX question_reports_hlc ON question_reports(hlc);
    "#,
    // 9: time on screen per question (monotonic, summed over visits, paused while the app
    //    is closed) and, in exams where Settings asks for it, how sure the candidate was
    //    (`crate::exam::AnswerConfidence`). NULL: not recorded (an attempt from before v9).
    r#"
    ALTER TABLE attempt_items ADD COLUMN time_ms INTEGER CHECK (time_ms >= 0);
    ALTER TABLE attempt_items ADD COLUMN confidence TEXT
        CHECK (confidence IN ('sure','unsure','guess'));
    "#,
    // 10: a review merged from another computer's journal is marked (`merged` = 1) and kept
    //     out of the stamp index: that index only finds this computer's own reviews to export,
    //     and a merge no longer pays for an entry it never reads (a 100,000-record merge wrote
    //     a 42-character key per review into it; docs/PERFORMANCE.md "Sync merge"). Rows from
    //     before stay in the index (NULL): exporting still keeps only this computer's.
    r#"
    ALTER TABLE review_log ADD COLUMN merged INTEGER CHECK (merged IS NULL OR merged = 1);
    DROP INDEX review_log_hlc;
    CREATE INDEX review_log_hlc ON review_log(hlc) WHERE merged IS NULL;
    "#,
    // 11: an attempt that is practice, not a mock exam ([`NewAttempt::practice`]); attempts
    //     from before were all counted as mock exams and stay so (0).
    r#"
    ALTER TABLE attempts ADD COLUMN practice INTEGER NOT NULL DEFAULT 0
        CHECK (practice IN (0, 1));
    "#,
];

/// Write one review on an open transaction (benchmarks fill a large log in one transaction;
/// the app writes each review in its own, see `Store::record_review`).
#[doc(hidden)]
/// Rows are stamped at their review time by a made-up device, as an unsynced computer's own
/// answers would be.
pub fn bench_write_review(conn: &Connection, r: &crate::srs::Review) -> rusqlite::Result<()> {
    let hlc = crate::sync::hlc::Hlc::new(r.reviewed_at.timestamp_millis(), 0, "00000000000000be");
    srs::write_review_on(conn, r, &hlc.to_string())
}

/// Each card's latest answer and the time of its first, from its review log (a card without
/// log rows: right if most of its answers were, first answered when last). Run by the upgrade
/// to v5 and after importing a history written before v5, whose cards lack both.
pub(crate) const FILL_READINESS_COLUMNS: &str = r#"
    UPDATE cards SET
        last_correct = COALESCE(
            (SELECT l.correct FROM review_log l
             WHERE l.bank_id = cards.bank_id AND l.question_id = cards.question_id
             ORDER BY l.id DESC LIMIT 1),
            correct * 2 > reviews),
        first_at = COALESCE(
            (SELECT MIN(l.reviewed_at) FROM review_log l
             WHERE l.bank_id = cards.bank_id AND l.question_id = cards.question_id),
            last_review);
"#;

/// Work an upgrade needs beyond its SQL, by the schema version it upgrades to; runs in the
/// same transaction, after the SQL.
fn migration_step(to_version: i64, tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    match to_version {
        // v4 (FSRS-6) reschedules every card from its log, but the rescheduled card is written
        // whole, with v5's columns: so the rescheduling runs at v5, once those exist. No
        // released certprep stopped at v4, so no database needs it in between.
        4 => Ok(()),
        // FSRS-6 memory states and due dates from each card's review log, with the settings
        // the learner had (new ones at their defaults); then the readiness columns for cards
        // without a log.
        5 => tx
            .execute_batch(FILL_READINESS_COLUMNS)
            .and_then(|()| srs::reschedule(tx, None).map(|_| ())),
        _ => Ok(()),
    }
}

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the data folder {path}: {source}")]
    DataDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path} is not a certprep database or is damaged ({detail}). It has not been changed; \
         move it aside to start afresh, or restore a backup."
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error("{path} is in use by another certprep window or program; close it and try again")]
    Locked { path: PathBuf },
    #[error(
        "{path} cannot be written ({detail}); check the folder's permissions and free disk space"
    )]
    ReadOnly { path: PathBuf, detail: String },
    #[error(
        "{path} was written by a newer certprep (schema {found}, this version knows {supported}); \
         update certprep to open it"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "certprep is already open on the data folder {path}; switch to that window (only one \
         window at a time can use a data folder)"
    )]
    InUse { path: PathBuf },
    #[error("the database is closed")]
    Closed,
    #[error("certprep cannot store {what}")]
    Invalid { what: String },
    #[error("{path} cannot be read: {detail}. Check the path; nothing was changed.")]
    Unreadable { path: PathBuf, detail: String },
    #[error("{path} cannot be used: {reason}. Nothing was changed.")]
    Rejected { path: PathBuf, reason: String },
    /// A question report that cannot be kept (too long, no question).
    #[error(transparent)]
    Report(crate::reports::ReportError),
    #[error("database error on {path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
}

/// Summary of a finished (or abandoned) attempt for lists and charts.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptSummary {
    pub id: i64,
    pub bank_id: String,
    pub mode: Mode,
    pub status: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub correct: Option<i64>,
    pub total: Option<i64>,
    pub question_count: i64,
    pub pass_percent: f64,
    pub pack_id: Option<String>,
    /// The attempt's own title (a pack's); `None`: its bank's.
    pub title: Option<String>,
    /// Practice, not a mock exam ([`NewAttempt::practice`]).
    pub practice: bool,
}

impl AttemptSummary {
    pub fn percent(&self) -> Option<f64> {
        match (self.correct, self.total) {
            (Some(c), Some(t)) if t > 0 => Some(100.0 * c as f64 / t as f64),
            _ => None,
        }
    }
}

/// What is needed to start a new attempt.
#[derive(Debug, Clone)]
pub struct NewAttempt<'a> {
    pub bank_id: &'a str,
    pub bank_version: &'a str,
    pub mode: Mode,
    pub seed: u64,
    pub pass_percent: f64,
    pub time_limit: Option<Duration>,
    pub items: &'a [ExamItem],
    pub pack_id: Option<&'a str>,
    /// A title of its own (a study-group pack's); `None` for the bank's.
    pub title: Option<&'a str>,
    /// A practice session (a filtered session from the builder, a retake of the wrong and
    /// flagged ones), not a mock exam: readiness neither predicts it nor learns realism from
    /// it, and the dashboard does not chart its score as a mock exam's.
    pub practice: bool,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// This computer's id in sync journals and clock stamps (see `store::sync`).
    device: String,
    /// Added to the wall clock when stamping (clock-skew tests only).
    skew_ms: i64,
}

fn now_utc() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A duration as the whole milliseconds the database keeps.
fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn parse_time(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

impl Store {
    /// Open (creating if needed) the database in `data_dir`.
    pub fn open_in(data_dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        Store::open(&data_dir.join(DB_FILE))
    }

    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path).map_err(|e| classify(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            device: String::new(),
            skew_ms: 0,
        };
        store.configure()?;
        store.migrate()?;
        store.enlarge_pages();
        store.device = Store::load_device(&store.conn).map_err(|e| store.err(e))?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        classify(&self.path, e)
    }

    /// Every row of `sql`, each mapped by `row`; any failure becomes a classified StoreError.
    fn query_all<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut stmt| stmt.query_map(params, row)?.collect())
            .map_err(|e| self.err(e))
    }

    fn configure(&mut self) -> Result<(), StoreError> {
        harden(&self.conn).map_err(|e| self.err(e))?;
        // Wait briefly for another connection instead of failing at once with SQLITE_BUSY.
        self.conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| self.err(e))?;
        // A new file takes the page size here (before its first table); an existing one
        // keeps its own until [`Store::enlarge_pages`].
        self.conn
            .execute_batch(&format!("PRAGMA page_size = {PAGE_SIZE}"))
            .map_err(|e| self.err(e))?;
        // Reading the header first turns a garbage file into a clear Corrupt error here.
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
                detail: format!("could not switch to WAL journaling (got {mode})"),
            });
        }
        // FULL: each committed answer is fsynced, so it survives a power cut as well as a
        // crash; the cost (one fsync per answer) is measured in docs/PERFORMANCE.md.
        self.conn
            .execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")
            .map_err(|e| self.err(e))
    }

    /// Rebuild a database made with smaller pages (any made before [`PAGE_SIZE`]) with pages
    /// of that size: SQLite changes the size only in a VACUUM, and only out of WAL mode, so
    /// the file is rebuilt under a rollback journal (a crash in the middle leaves the old
    /// file, rolled back on the next open) and put back in WAL mode. Only speed depends on
    /// it, so it is tried without waiting: another connection open on the file, or no room
    /// for the copy, leaves the pages as they are for the next open.
    fn enlarge_pages(&self) {
        let size: i64 = match self.conn.query_row("PRAGMA page_size", [], |r| r.get(0)) {
            Ok(s) => s,
            Err(_) => return,
        };
        if size >= PAGE_SIZE || self.conn.busy_timeout(Duration::ZERO).is_err() {
            return;
        }
        let left_rollback = self
            .conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| {
                r.get::<_, String>(0)
            })
            .is_ok_and(|m| m.eq_ignore_ascii_case("delete"));
        if left_rollback {
            // A failed VACUUM changes nothing; the file goes back to WAL either way.
            let _ = self
                .conn
                .execute_batch(&format!("PRAGMA page_size = {PAGE_SIZE}; VACUUM;"));
        }
        let _ = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0));
        let _ = self.conn.busy_timeout(BUSY_TIMEOUT);
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: self.path.clone(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version > 0 {
            // Only the tables, indexes and columns certprep made: a file with triggers, views
            // or missing tables is refused before anything runs on it (or is backed up).
            schema::check(&self.conn, "main", version).map_err(|reason| StoreError::Corrupt {
                path: self.path.clone(),
                detail: reason,
            })?;
        }
        let mut before = None;
        if version > 0 && version < SCHEMA_VERSION {
            // An upgrade rewrites tables: keep a copy of the old schema's data first.
            before = Some(self.backup_now(&format!("before-v{}", version + 1))?);
        }
        let upgraded = self.run_migrations(version).and_then(|()| {
            schema::check(&self.conn, "main", SCHEMA_VERSION).map_err(|reason| {
                StoreError::Corrupt {
                    path: self.path.clone(),
                    detail: reason,
                }
            })
        });
        if upgraded.is_err()
            && let Some(b) = before
        {
            // The upgrade rolled back and the file is as it was: a copy of it must not take
            // a good backup's place in the retention window.
            let _ = std::fs::remove_file(b.path);
        }
        upgraded
    }

    fn run_migrations(&mut self, from: i64) -> Result<(), StoreError> {
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
            let tx = self
                .conn
                .transaction()
                .map_err(|e| classify(&self.path, e))?;
            tx.execute_batch(sql)
                .and_then(|_| migration_step((i + 1) as i64, &tx))
                .and_then(|_| tx.pragma_update(None, "user_version", (i + 1) as i64))
                .and_then(|_| tx.commit())
                .map_err(|e| classify(&self.path, e))?;
        }
        Ok(())
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    pub fn integrity_check(&self) -> Result<String, StoreError> {
        self.conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    // -----------------------------------------------------------------------------------------
    // Attempts

    /// Create the attempt and one row per item in one transaction; returns its id.
    pub fn create_attempt(&mut self, a: &NewAttempt) -> Result<i64, StoreError> {
        let path = self.path.clone();
        let tx = self.write_tx()?;
        let hlc = self.stamp(&tx).map_err(|e| classify(&path, e))?;
        tx.execute(
            "INSERT INTO attempts (bank_id, bank_version, mode, seed, pass_percent, time_limit_secs,
                                   status, started_at, pack_id, uid, start_hlc, state_hlc, title,
                                   practice)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'in_progress', ?7, ?8, ?9, ?10, ?10, ?11, ?12)",
            params![
                a.bank_id,
                a.bank_version,
                a.mode.as_str(),
                a.seed as i64,
                a.pass_percent,
                a.time_limit.map(|d| d.as_secs() as i64),
                now_utc(),
                a.pack_id,
                sync::new_uid(),
                hlc,
                a.title,
                a.practice,
            ],
        )
        .map_err(|e| classify(&path, e))?;
        let id = tx.last_insert_rowid();
        {
            let mut stmt = tx
                .prepare(
                    "INSERT INTO attempt_items (attempt_id, position, question_id, option_order)
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(|e| classify(&path, e))?;
            for (pos, item) in a.items.iter().enumerate() {
                let order = serde_json::to_string(&item.option_order).unwrap_or_default();
                stmt.execute(params![id, pos as i64, item.question_id, order])
                    .map_err(|e| classify(&path, e))?;
            }
        }
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(id)
    }

    /// Durably record what the candidate did with one item (answer, flag, checked,
    /// confidence), plus where they are and how much time is used. Called on every change,
    /// not at submit. The item's time on screen is left as it is (see [`Store::save_answer`]).
    pub fn save_item(
        &self,
        attempt_id: i64,
        position: usize,
        state: &ItemState,
        elapsed: Duration,
        current: usize,
    ) -> Result<(), StoreError> {
        self.save_answer(attempt_id, position, state, None, elapsed, current)
    }

    /// [`Store::save_item`] with the item's time on screen so far (`spent`), in the same
    /// transaction: the exam screen writes both as each answer is given.
    pub fn save_answer(
        &self,
        attempt_id: i64,
        position: usize,
        state: &ItemState,
        spent: Option<Duration>,
        elapsed: Duration,
        current: usize,
    ) -> Result<(), StoreError> {
        let selected = serde_json::to_string(&state.selected).unwrap_or_else(|_| "[]".into());
        let answered_at = state.has_pick().then(now_utc);
        let tx = self.write_tx()?;
        let hlc = self.stamp(&tx).map_err(|e| self.err(e))?;
        tx.execute(
            "UPDATE attempt_items SET selected = ?3, flagged = ?4, checked = ?5,
                    answered_at = COALESCE(?6, answered_at), hlc = ?7,
                    time_ms = COALESCE(?8, time_ms), confidence = ?9
             WHERE attempt_id = ?1 AND position = ?2",
            params![
                attempt_id,
                position as i64,
                selected,
                state.flagged,
                state.checked,
                answered_at,
                hlc,
                spent.map(millis),
                state.confidence.map(|c| c.as_str()),
            ],
        )
        .map_err(|e| self.err(e))?;
        tx.execute(
            "UPDATE attempts SET elapsed_ms = ?2, current_index = ?3, state_hlc = ?4 WHERE id = ?1",
            params![attempt_id, millis(elapsed), current as i64, hlc],
        )
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    /// Write the time on screen of the question at `position` of an open attempt (when the
    /// candidate moves on, pauses, or at the heartbeat). Only a change is written and
    /// stamped, so an idle exam sends nothing through sync.
    pub fn save_item_time(
        &self,
        attempt_id: i64,
        position: usize,
        spent: Duration,
    ) -> Result<(), StoreError> {
        let tx = self.write_tx()?;
        let changed: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM attempt_items i JOIN attempts a ON a.id = i.attempt_id
                 WHERE i.attempt_id = ?1 AND i.position = ?2 AND a.status = 'in_progress'
                   AND i.time_ms IS NOT ?3",
                params![attempt_id, position as i64, millis(spent)],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        if changed.is_none() {
            return Ok(());
        }
        let hlc = self.stamp(&tx).map_err(|e| self.err(e))?;
        tx.execute(
            "UPDATE attempt_items SET time_ms = ?3, hlc = ?4 WHERE attempt_id = ?1 AND position = ?2",
            params![attempt_id, position as i64, millis(spent), hlc],
        )
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    /// Record time used and position without an answer change (periodic heartbeat, close).
    pub fn save_progress(
        &self,
        attempt_id: i64,
        elapsed: Duration,
        current: usize,
    ) -> Result<(), StoreError> {
        let tx = self.write_tx()?;
        // Only a change is stamped: an exam left open on one computer must not keep
        // overwriting the time used where the learner continued it on another.
        let unchanged: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM attempts WHERE id = ?1 AND status = 'in_progress'
                   AND elapsed_ms = ?2 AND current_index = ?3",
                params![attempt_id, elapsed.as_millis() as i64, current as i64],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        if unchanged.is_some() {
            return Ok(());
        }
        let hlc = self.stamp(&tx).map_err(|e| self.err(e))?;
        tx.execute(
            "UPDATE attempts SET elapsed_ms = ?2, current_index = ?3, state_hlc = ?4
             WHERE id = ?1 AND status = 'in_progress'",
            params![attempt_id, elapsed.as_millis() as i64, current as i64, hlc],
        )
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    /// Close an attempt with its score, per-area scores and the per-question history, all
    /// in one transaction.
    pub fn finish_attempt(
        &mut self,
        session: &ExamSession,
        elapsed: Duration,
        report: &ScoreReport,
        evidence: &crate::mastery::ExamEvidence,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let now = now_utc();
        let tx = self.write_tx()?;
        let hlc = self.stamp(&tx).map_err(|e| classify(&path, e))?;
        tx.execute(
            "UPDATE attempts SET status = ?2, finished_at = ?3, elapsed_ms = ?4,
                    score_correct = ?5, score_total = ?6, state_hlc = ?7
             WHERE id = ?1",
            params![
                session.attempt_id,
                session.status.as_str(),
                now,
                elapsed.as_millis() as i64,
                report.correct as i64,
                report.total as i64,
                hlc
            ],
        )
        .map_err(|e| classify(&path, e))?;
        for d in &report.domains {
            tx.execute(
                "INSERT OR REPLACE INTO attempt_domain_scores (attempt_id, domain_id, correct, total)
                 VALUES (?1, ?2, ?3, ?4)",
                params![session.attempt_id, d.domain_id, d.correct as i64, d.total as i64],
            )
            .map_err(|e| classify(&path, e))?;
        }
        for (position, item) in report.items.iter().enumerate() {
            count_question_seen(
                &tx,
                &session.bank_id,
                &item.question_id,
                item.is_correct,
                &now,
            )
            .and_then(|_| {
                tx.execute(
                    "UPDATE attempt_items SET correct = ?3
                         WHERE attempt_id = ?1 AND position = ?2 AND question_id = ?4",
                    params![
                        session.attempt_id,
                        position as i64,
                        item.is_correct,
                        item.question_id
                    ],
                )
            })
            .map_err(|e| classify(&path, e))?;
        }
        // Each question's time on screen, final now the clock has stopped; a changed row is
        // stamped so the time travels with the attempt.
        let times = session.times.all(std::time::Instant::now());
        for (position, spent) in times.iter().enumerate().filter(|(_, t)| !t.is_zero()) {
            tx.execute(
                "UPDATE attempt_items SET time_ms = ?3, hlc = ?4
                 WHERE attempt_id = ?1 AND position = ?2 AND time_ms IS NOT ?3",
                params![session.attempt_id, position as i64, millis(*spent), hlc],
            )
            .map_err(|e| classify(&path, e))?;
        }
        // Exam answers are reviews too: the cards they touched move in the same transaction.
        for r in &evidence.reviews {
            let hlc = self.stamp(&tx).map_err(|e| classify(&path, e))?;
            srs::write_review(&tx, r, &hlc).map_err(|e| classify(&path, e))?;
        }
        // Realism compares a whole mock exam with the record before it; a practice session
        // chose its questions by that record (missed, weakest), so it would teach it wrong.
        let practice: bool = tx
            .query_row(
                "SELECT practice FROM attempts WHERE id = ?1",
                [session.attempt_id],
                |r| r.get(0),
            )
            .map_err(|e| classify(&path, e))?;
        if !practice {
            self.add_exam_realism(&tx, &session.bank_id, session.attempt_id, &evidence.realism)
                .map_err(|e| classify(&path, e))?;
        }
        tx.commit().map_err(|e| classify(&path, e))
    }

    /// Give up an unfinished attempt (the user chose not to resume it) and write `reviews`,
    /// the answers it still counts as, in the same transaction. An attempt already closed
    /// is left alone and gets no reviews, so a repeated discard counts nothing twice.
    pub fn abandon_attempt(
        &self,
        attempt_id: i64,
        reviews: &[crate::srs::Review],
    ) -> Result<(), StoreError> {
        let tx = self.write_tx()?;
        let hlc = self.stamp(&tx).map_err(|e| self.err(e))?;
        let closed = tx
            .execute(
                "UPDATE attempts SET status = 'abandoned', finished_at = ?2, state_hlc = ?3
                 WHERE id = ?1 AND status = 'in_progress'",
                params![attempt_id, now_utc(), hlc],
            )
            .map_err(|e| self.err(e))?;
        if closed == 1 {
            for r in reviews {
                let hlc = self.stamp(&tx).map_err(|e| self.err(e))?;
                srs::write_review(&tx, r, &hlc).map_err(|e| self.err(e))?;
            }
        }
        tx.commit().map_err(|e| self.err(e))
    }

    /// The most recent attempt still in progress, if any.
    pub fn unfinished_attempt(&self) -> Result<Option<AttemptSummary>, StoreError> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM attempts WHERE status = 'in_progress' ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        match id {
            Some(id) => self.attempt_summary(id),
            None => Ok(None),
        }
    }

    /// How many columns [`Self::SUMMARY_SQL`] selects ([`Self::summary_from_row`] reads them);
    /// a query that adds its own reads them from this index on.
    pub(super) const SUMMARY_COLUMNS: usize = 13;
    pub(super) const SUMMARY_SQL: &str =
        "SELECT a.id, a.bank_id, a.mode, a.status, a.started_at, a.finished_at,
                a.score_correct, a.score_total,
                (SELECT COUNT(*) FROM attempt_items i WHERE i.attempt_id = a.id),
                a.pass_percent, a.pack_id, a.title, a.practice
         FROM attempts a";

    pub(super) fn summary_from_row(r: &rusqlite::Row) -> rusqlite::Result<AttemptSummary> {
        let mode: String = r.get(2)?;
        let started: String = r.get(4)?;
        let finished: Option<String> = r.get(5)?;
        Ok(AttemptSummary {
            id: r.get(0)?,
            bank_id: r.get(1)?,
            mode: Mode::parse(&mode).unwrap_or(Mode::Exam),
            status: r.get(3)?,
            started_at: parse_time(&started),
            finished_at: finished.as_deref().map(parse_time),
            correct: r.get(6)?,
            total: r.get(7)?,
            question_count: r.get(8)?,
            pass_percent: r.get(9)?,
            pack_id: r.get(10)?,
            title: r.get(11)?,
            practice: r.get(12)?,
        })
    }

    pub fn attempt_summary(&self, id: i64) -> Result<Option<AttemptSummary>, StoreError> {
        self.conn
            .query_row(
                &format!("{} WHERE a.id = ?1", Self::SUMMARY_SQL),
                [id],
                Self::summary_from_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Finished attempts, newest first.
    pub fn recent_attempts(&self, limit: usize) -> Result<Vec<AttemptSummary>, StoreError> {
        self.query_all(
            &format!(
                "{} WHERE a.status IN ('submitted','expired') ORDER BY a.id DESC LIMIT ?1",
                Self::SUMMARY_SQL
            ),
            [limit as i64],
            Self::summary_from_row,
        )
    }

    /// Rebuild a session from the database: the same items, answers, flags, position and
    /// used time. The countdown is not running; the caller starts it when the exam is shown.
    pub fn load_session(&self, attempt_id: i64) -> Result<Option<LoadedAttempt>, StoreError> {
        let head = self
            .conn
            .query_row(
                "SELECT bank_id, bank_version, mode, seed, pass_percent, time_limit_secs, status,
                        elapsed_ms, current_index, pack_id, title
                 FROM attempts WHERE id = ?1",
                [attempt_id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, f64>(4)?,
                        r.get::<_, Option<i64>>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, i64>(7)?,
                        r.get::<_, i64>(8)?,
                        r.get::<_, Option<String>>(9)?,
                        r.get::<_, Option<String>>(10)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some((
            bank_id,
            bank_version,
            mode,
            seed,
            pass,
            limit,
            status,
            elapsed,
            current,
            pack,
            title,
        )) = head
        else {
            return Ok(None);
        };
        type ItemRow = (
            String,
            String,
            String,
            bool,
            bool,
            Option<i64>,
            Option<String>,
        );
        let rows: Vec<ItemRow> = self.query_all(
            "SELECT question_id, option_order, selected, flagged, checked, time_ms, confidence
             FROM attempt_items WHERE attempt_id = ?1 ORDER BY position",
            [attempt_id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            },
        )?;
        let mut items = Vec::with_capacity(rows.len());
        let mut states = Vec::with_capacity(rows.len());
        let mut spent = Vec::with_capacity(rows.len());
        for (qid, order, selected, flagged, checked, time_ms, confidence) in rows {
            spent.push(Duration::from_millis(time_ms.unwrap_or(0).max(0) as u64));
            // A row we wrote ourselves; if it was damaged, fall back to an unanswered item
            // rather than refusing the whole attempt.
            items.push(ExamItem {
                question_id: qid,
                option_order: serde_json::from_str(&order).unwrap_or_default(),
            });
            states.push(ItemState {
                selected: serde_json::from_str(&selected).unwrap_or_default(),
                flagged,
                checked,
                confidence: confidence.as_deref().and_then(AnswerConfidence::parse),
            });
        }
        let mode = Mode::parse(&mode).unwrap_or(Mode::Exam);
        let mut session = ExamSession::new(
            attempt_id,
            bank_id,
            mode,
            seed as u64,
            pass,
            items,
            limit.map(|s| Duration::from_secs(s as u64)),
        );
        session.states = states;
        session.times = crate::exam::ItemTimes::from_spent(spent);
        session.current = (current.max(0) as usize).min(session.len().saturating_sub(1));
        session.status = ExamStatus::parse(&status).unwrap_or(ExamStatus::Submitted);
        session.clock = crate::exam::Countdown::new(
            session.clock.limit,
            Duration::from_millis(elapsed.max(0) as u64),
        );
        Ok(Some(LoadedAttempt {
            session,
            bank_version,
            pack_id: pack,
            title,
        }))
    }

    /// Per-area scores of one finished attempt.
    pub fn attempt_domain_scores(
        &self,
        attempt_id: i64,
    ) -> Result<Vec<(String, i64, i64)>, StoreError> {
        self.query_all(
            "SELECT domain_id, correct, total FROM attempt_domain_scores
             WHERE attempt_id = ?1 ORDER BY domain_id",
            [attempt_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
    }

    /// (seen, correct) for one question.
    pub fn question_history(
        &self,
        bank_id: &str,
        question_id: &str,
    ) -> Result<Option<(i64, i64)>, StoreError> {
        self.conn
            .query_row(
                "SELECT seen, correct FROM question_history WHERE bank_id = ?1 AND question_id = ?2",
                [bank_id, question_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))
    }
}

/// Count one scored answer in the per-question history.
pub(crate) fn count_question_seen(
    tx: &Connection,
    bank_id: &str,
    question_id: &str,
    correct: bool,
    when: &str,
) -> rusqlite::Result<usize> {
    tx.prepare_cached(
        "INSERT INTO question_history (bank_id, question_id, seen, correct, last_seen_at, last_correct)
         VALUES (?1, ?2, 1, ?3, ?4, ?3)
         ON CONFLICT (bank_id, question_id) DO UPDATE SET
            seen = seen + 1, correct = correct + excluded.correct,
            last_seen_at = max(COALESCE(last_seen_at, ''), excluded.last_seen_at),
            last_correct = CASE WHEN excluded.last_seen_at >= COALESCE(last_seen_at, '')
                                THEN excluded.last_correct ELSE last_correct END",
    )?
    .execute(params![bank_id, question_id, correct as i64, when])
}

#[derive(Debug, Clone)]
pub struct LoadedAttempt {
    pub session: ExamSession,
    pub bank_version: String,
    pub pack_id: Option<String>,
    /// The attempt's own title (a pack's); `None`: its bank's.
    pub title: Option<String>,
}

/// Every connection certprep opens: defensive mode on (no writable schema, no raw page
/// writes) and the schema untrusted (a view or trigger in a file from elsewhere cannot call
/// functions with side effects).
pub(crate) fn harden(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA,
        false,
    )?;
    conn.execute_batch("PRAGMA trusted_schema=OFF;")
}

/// Map SQLite's error codes to the cases a user can act on.
fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    let path = path.to_path_buf();
    if let rusqlite::Error::SqliteFailure(f, msg) = &e {
        let detail = msg.clone().unwrap_or_else(|| f.to_string());
        match f.code {
            ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => {
                return StoreError::Corrupt { path, detail };
            }
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
                return StoreError::Locked { path };
            }
            ErrorCode::ReadOnly
            | ErrorCode::CannotOpen
            | ErrorCode::PermissionDenied
            | ErrorCode::DiskFull
            | ErrorCode::SystemIoFailure => return StoreError::ReadOnly { path, detail },
            _ => {}
        }
    }
    StoreError::Sqlite { path, source: e }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items() -> Vec<ExamItem> {
        (0..3)
            .map(|i| ExamItem {
                question_id: format!("q{i}"),
                option_order: vec!["b".into(), "a".into()],
            })
            .collect()
    }

    #[test]
    fn the_summary_selects_as_many_columns_as_it_says() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open_in(dir.path()).unwrap();
        let st = s.conn.prepare(Store::SUMMARY_SQL).unwrap();
        assert_eq!(st.column_count(), Store::SUMMARY_COLUMNS);
    }

    #[test]
    fn migrates_fresh_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open_in(dir.path()).unwrap();
        assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
        drop(s);
        let s = Store::open_in(dir.path()).unwrap();
        assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
        let mode: String = s
            .connection()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(page_size(&s), PAGE_SIZE);
    }

    /// A mock exam of `items` in bank "b".
    fn exam_of(items: &[ExamItem], time_limit: Option<Duration>) -> NewAttempt<'_> {
        NewAttempt {
            bank_id: "b",
            bank_version: "1",
            mode: Mode::Exam,
            seed: 9,
            pass_percent: 70.0,
            time_limit,
            items,
            pack_id: None,
            title: None,
            practice: false,
        }
    }

    fn page_size(s: &Store) -> i64 {
        s.conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_database_with_small_pages_gets_larger_ones_once_nothing_else_has_it_open() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(DB_FILE);
        // A file as an older certprep made it: SQLite's default pages, WAL mode.
        Connection::open(&p)
            .unwrap()
            .execute_batch(
                "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL;
                 CREATE TABLE t (x); DROP TABLE t;",
            )
            .unwrap();
        // Another connection on the file: the store opens at once and keeps the pages.
        let other = Connection::open(&p).unwrap();
        let _: i64 = other
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .unwrap();
        let opened = std::time::Instant::now();
        let mut s = Store::open(&p).unwrap();
        assert!(
            opened.elapsed() < BUSY_TIMEOUT,
            "waited for the other connection"
        );
        assert_eq!(page_size(&s), 4096);
        let its = items();
        let id = s.create_attempt(&exam_of(&its, None)).unwrap();
        let st = ItemState {
            selected: vec!["a".into()],
            flagged: true,
            checked: false,
            confidence: None,
        };
        s.save_item(id, 1, &st, Duration::from_millis(500), 1)
            .unwrap();
        drop((s, other));
        // Alone on it: rebuilt with larger pages, back in WAL mode, the history intact.
        let s = Store::open(&p).unwrap();
        assert_eq!(page_size(&s), PAGE_SIZE);
        let mode: String = s
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let loaded = s.load_session(id).unwrap().unwrap().session;
        assert_eq!((loaded.items, &loaded.states[1]), (its, &st));
        let check: String = s
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
    }

    #[test]
    fn garbage_file_is_reported_as_corrupt_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(DB_FILE);
        let junk =
            b"this is not sqlite at all, just some bytes ........................".repeat(100);
        std::fs::write(&p, &junk).unwrap();
        match Store::open(&p) {
            Err(StoreError::Corrupt { .. }) => {}
            Err(other) => panic!("expected Corrupt, got {other}"),
            Ok(_) => panic!("expected Corrupt, got a store"),
        }
        assert_eq!(std::fs::read(&p).unwrap(), junk);
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(DB_FILE);
        {
            let c = Connection::open(&p).unwrap();
            c.pragma_update(None, "user_version", 99).unwrap();
        }
        assert!(matches!(
            Store::open(&p),
            Err(StoreError::NewerSchema { found: 99, .. })
        ));
    }

    #[test]
    fn answers_round_trip_through_load_session() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open_in(dir.path()).unwrap();
        let its = items();
        let id = s
            .create_attempt(&exam_of(&its, Some(Duration::from_secs(600))))
            .unwrap();
        let st = ItemState {
            selected: vec!["a".into()],
            flagged: true,
            checked: false,
            confidence: Some(crate::exam::AnswerConfidence::Guess),
        };
        s.save_item(id, 1, &st, Duration::from_millis(12_345), 1)
            .unwrap();
        let loaded = s.load_session(id).unwrap().unwrap().session;
        assert_eq!(loaded.items, its);
        assert_eq!(loaded.states[1], st);
        assert_eq!(loaded.current, 1);
        assert_eq!(
            loaded.clock.remaining(std::time::Instant::now()),
            Some(Duration::from_millis(600_000 - 12_345))
        );
        assert_eq!(s.unfinished_attempt().unwrap().unwrap().id, id);
        s.abandon_attempt(id, &[]).unwrap();
        assert!(s.unfinished_attempt().unwrap().is_none());
    }
}
