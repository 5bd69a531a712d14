//! The exact schema certprep creates, version by version, and the check that a database
//! holds nothing else: no trigger, view, virtual table or index certprep did not make, and
//! every table it did. A database from elsewhere (an imported history, a restored backup)
//! is used only after it passes, and the live database is checked each time it opens.

use super::MIGRATIONS;
use rusqlite::Connection;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// One row of `sqlite_master`: type, name, table and the CREATE statement.
type Object = (String, String, String, Option<String>);

fn objects(conn: &Connection, schema: &str) -> rusqlite::Result<BTreeSet<Object>> {
    let sql = format!("SELECT type, name, tbl_name, sql FROM \"{schema}\".sqlite_master");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    rows.collect()
}

/// What `sqlite_master` holds after migrations 1..=version, built once per version in memory.
fn expected(version: i64) -> Option<&'static BTreeSet<Object>> {
    static CACHE: OnceLock<Vec<BTreeSet<Object>>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        let mut out = vec![BTreeSet::new()];
        let Ok(conn) = Connection::open_in_memory() else {
            return out;
        };
        for sql in MIGRATIONS {
            if conn.execute_batch(sql).is_err() {
                break;
            }
            out.push(objects(&conn, "main").unwrap_or_default());
        }
        out
    });
    all.get(usize::try_from(version).ok()?)
}

fn describe(o: &Object) -> String {
    format!("{} \"{}\"", o.0, o.1.chars().take(60).collect::<String>())
}

/// `Ok` when schema `schema` of `conn` is exactly certprep's schema at `version`; otherwise
/// a sentence saying what differs.
pub(crate) fn check(conn: &Connection, schema: &str, version: i64) -> Result<(), String> {
    let Some(want) = expected(version) else {
        return Err(format!("schema version {version} is not one certprep made"));
    };
    let have = objects(conn, schema).map_err(|e| format!("its schema cannot be read ({e})"))?;
    if &have == want {
        return Ok(());
    }
    let names = |set: &BTreeSet<Object>| -> BTreeSet<(String, String)> {
        set.iter().map(|o| (o.0.clone(), o.1.clone())).collect()
    };
    let (have_names, want_names) = (names(&have), names(want));
    let extra: Vec<String> = have
        .iter()
        .filter(|o| !want_names.contains(&(o.0.clone(), o.1.clone())))
        .map(describe)
        .collect();
    let missing: Vec<String> = want
        .iter()
        .filter(|o| !have_names.contains(&(o.0.clone(), o.1.clone())))
        .map(describe)
        .collect();
    let changed: Vec<String> = have
        .iter()
        .filter(|o| want_names.contains(&(o.0.clone(), o.1.clone())) && !want.contains(*o))
        .map(describe)
        .collect();
    let mut parts = Vec::new();
    let list = |v: &[String]| {
        let mut s = v.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
        if v.len() > 5 {
            s.push_str(&format!(" and {} more", v.len() - 5));
        }
        s
    };
    if !extra.is_empty() {
        parts.push(format!(
            "it holds objects certprep did not create ({})",
            list(&extra)
        ));
    }
    if !missing.is_empty() {
        parts.push(format!("it lacks {}", list(&missing)));
    }
    if !changed.is_empty() {
        parts.push(format!("{} defined differently", list(&changed)));
    }
    Err(parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_is_known_and_a_trigger_is_named() {
        for v in 1..=super::super::SCHEMA_VERSION {
            assert!(expected(v).is_some_and(|s| !s.is_empty()), "v{v}");
        }
        let conn = Connection::open_in_memory().unwrap();
        for sql in MIGRATIONS {
            conn.execute_batch(sql).unwrap();
        }
        let v = super::super::SCHEMA_VERSION;
        assert_eq!(check(&conn, "main", v), Ok(()));
        conn.execute_batch(
            "CREATE TRIGGER t AFTER INSERT ON attempt_items BEGIN DELETE FROM attempts; END;",
        )
        .unwrap();
        let why = check(&conn, "main", v).unwrap_err();
        assert!(why.contains("trigger \"t\""), "{why}");
    }

    /// v8 (question reports) is the v7 schema plus `question_reports` and its indexes: a v7
    /// database that claims v8 lacks them, and a v8 one with a report column changed is
    /// refused.
    #[test]
    fn v8_adds_question_reports_and_the_check_sees_them() {
        let conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..7] {
            conn.execute_batch(sql).unwrap();
        }
        assert_eq!(check(&conn, "main", 7), Ok(()));
        let why = check(&conn, "main", 8).unwrap_err();
        for name in [
            "question_reports",
            "question_reports_question",
            "question_reports_hlc",
        ] {
            assert!(why.contains(&format!("\"{name}\"")), "{why}");
        }
        conn.execute_batch(MIGRATIONS[7]).unwrap();
        assert_eq!(check(&conn, "main", 8), Ok(()));
        conn.execute_batch("ALTER TABLE question_reports ADD COLUMN extra TEXT")
            .unwrap();
        let why = check(&conn, "main", 8).unwrap_err();
        assert!(why.contains("question_reports"), "{why}");
    }

    /// v9 (time per question, confidence) is v8 plus two columns of `attempt_items`: a v8
    /// database that claims v9 is told apart, and a confidence the column does not take is
    /// refused by SQLite.
    #[test]
    fn v9_adds_time_and_confidence_to_attempt_items() {
        let conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..8] {
            conn.execute_batch(sql).unwrap();
        }
        assert_eq!(check(&conn, "main", 8), Ok(()));
        let why = check(&conn, "main", 9).unwrap_err();
        assert!(why.contains("attempt_items"), "{why}");
        conn.execute_batch(MIGRATIONS[8]).unwrap();
        assert_eq!(check(&conn, "main", 9), Ok(()));
        conn.execute_batch(
            "INSERT INTO attempts (bank_id, bank_version, mode, seed, pass_percent, status,
                                   started_at) VALUES ('b', '1', 'exam', 1, 70, 'in_progress', 't');
             INSERT INTO attempt_items (attempt_id, position, question_id, option_order,
                                        time_ms, confidence) VALUES (1, 0, 'q', '[]', 5, 'sure');",
        )
        .unwrap();
        assert!(
            conn.execute(
                "UPDATE attempt_items SET confidence = 'certain' WHERE position = 0",
                []
            )
            .is_err()
        );
        assert!(
            conn.execute(
                "UPDATE attempt_items SET time_ms = -1 WHERE position = 0",
                []
            )
            .is_err()
        );
    }
}
