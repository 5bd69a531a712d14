//! The learner's own notes and bookmarks on questions. They are kept in the `settings` table
//! under `note:<bank>/<question>` and `bookmark:<bank>/<question>`, so they travel through
//! folder sync like every synced setting: last writer wins, by (time stamp, computer). A
//! cleared note or a removed bookmark is kept as a stamped empty value rather than deleted,
//! so the other computers learn of the removal (docs/sync.md).

use super::{Store, StoreError};
use crate::sync::record::keys;
use std::collections::BTreeMap;

/// Longest note (characters): a few paragraphs; the text box stops there.
pub const MAX_NOTE_CHARS: usize = 4000;

/// What the learner keeps on one question.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuestionNotes {
    /// Empty: no note.
    pub note: String,
    pub bookmarked: bool,
}

fn key(prefix: &str, bank_id: &str, question_id: &str) -> String {
    format!("{prefix}{bank_id}/{question_id}")
}

impl Store {
    /// Sets (or, with empty text, clears) the note on a question.
    pub fn set_note(&self, bank_id: &str, question_id: &str, text: &str) -> Result<(), StoreError> {
        let text = text.trim();
        if text.chars().count() > MAX_NOTE_CHARS {
            return Err(StoreError::Invalid {
                what: format!(
                    "a note of {} characters: at most {MAX_NOTE_CHARS}",
                    text.chars().count()
                ),
            });
        }
        self.set_setting(&key(keys::NOTE, bank_id, question_id), text)
    }

    pub fn set_bookmark(
        &self,
        bank_id: &str,
        question_id: &str,
        on: bool,
    ) -> Result<(), StoreError> {
        self.set_setting(
            &key(keys::BOOKMARK, bank_id, question_id),
            if on { "1" } else { "" },
        )
    }

    /// Every question of `bank_id` with a note or a bookmark, by question id.
    pub fn question_notes(
        &self,
        bank_id: &str,
    ) -> Result<BTreeMap<String, QuestionNotes>, StoreError> {
        let mut out: BTreeMap<String, QuestionNotes> = BTreeMap::new();
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT key, value FROM settings
                 WHERE (key >= ?1 AND key < ?2) OR (key >= ?3 AND key < ?4)",
            )
            .map_err(|e| self.err(e))?;
        let range = |prefix: &str| {
            let start = format!("{prefix}{bank_id}/");
            // The first key after every key that starts with `start`.
            let end = format!("{prefix}{bank_id}0");
            (start, end)
        };
        let (n0, n1) = range(keys::NOTE);
        let (b0, b1) = range(keys::BOOKMARK);
        let rows = st
            .query_map(rusqlite::params![n0, n1, b0, b1], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            let (k, value) = row.map_err(|e| self.err(e))?;
            if value.is_empty() {
                continue;
            }
            if let Some(q) = k.strip_prefix(n0.as_str()) {
                out.entry(q.to_string()).or_default().note = value;
            } else if let Some(q) = k.strip_prefix(b0.as_str()) {
                out.entry(q.to_string()).or_default().bookmarked = true;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_and_bookmarks_round_trip_clear_and_stay_per_bank() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in(dir.path()).unwrap();
        store
            .set_note("cetl", "ep-001", "  FERPA: directory information  ")
            .unwrap();
        store.set_bookmark("cetl", "ep-001", true).unwrap();
        store.set_bookmark("cetl", "dm-002", true).unwrap();
        store.set_note("cetl2", "x", "another bank's").unwrap();
        let notes = store.question_notes("cetl").unwrap();
        assert_eq!(notes.len(), 2);
        assert_eq!(notes["ep-001"].note, "FERPA: directory information");
        assert!(notes["ep-001"].bookmarked && notes["dm-002"].bookmarked);
        assert!(notes["dm-002"].note.is_empty());
        store.set_note("cetl", "ep-001", "").unwrap();
        store.set_bookmark("cetl", "dm-002", false).unwrap();
        let notes = store.question_notes("cetl").unwrap();
        assert_eq!(notes.len(), 1);
        assert!(notes["ep-001"].note.is_empty() && notes["ep-001"].bookmarked);
        assert_eq!(
            store.question_notes("cetl2").unwrap()["x"].note,
            "another bank's"
        );
        let long = "x".repeat(MAX_NOTE_CHARS + 1);
        assert!(store.set_note("cetl", "ep-001", &long).is_err());
    }
}
