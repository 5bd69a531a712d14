//! What the session builder (`crate::session`) reads and keeps: the questions ever flagged
//! in an attempt, and the learner's presets. Presets live in the `settings` table under
//! `preset:<bank>/<name>` as JSON, so they travel through folder sync like notes and
//! bookmarks (last writer wins); a deleted preset is kept as a stamped empty value so the
//! other computers learn of the deletion. No table of their own: the schema is unchanged.

use super::{Store, StoreError};
use crate::session::{Preset, check_preset_name};
use crate::sync::record::keys;
use std::collections::HashSet;

/// A bank's presets as read: those that parse, by name, and the names of those that do not
/// (written by a later certprep, or damaged), which are left as they are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PresetList {
    pub presets: Vec<Preset>,
    pub unreadable: Vec<String>,
}

fn preset_key(bank_id: &str, name: &str) -> String {
    format!("{}{bank_id}/{name}", keys::PRESET)
}

impl Store {
    /// Every question of `bank_id` flagged in any attempt (exam or study, whatever its
    /// status): one query over the attempts' items.
    pub fn flagged_questions(&self, bank_id: &str) -> Result<HashSet<String>, StoreError> {
        Ok(self
            .query_all(
                "SELECT DISTINCT i.question_id FROM attempt_items i
                 JOIN attempts a ON a.id = i.attempt_id
                 WHERE a.bank_id = ?1 AND i.flagged = 1",
                [bank_id],
                |r| r.get::<_, String>(0),
            )?
            .into_iter()
            .collect())
    }

    /// Save (or replace, by name) a preset of `bank_id`.
    pub fn save_preset(&self, bank_id: &str, preset: &Preset) -> Result<(), StoreError> {
        let name = check_preset_name(&preset.name).map_err(|e| StoreError::Invalid {
            what: e.to_string(),
        })?;
        let kept = Preset {
            name: name.clone(),
            ..preset.clone()
        };
        let json = serde_json::to_string(&kept).map_err(|e| StoreError::Invalid {
            what: format!("the preset \"{name}\" ({e})"),
        })?;
        self.set_setting(&preset_key(bank_id, &name), &json)
    }

    pub fn delete_preset(&self, bank_id: &str, name: &str) -> Result<(), StoreError> {
        self.set_setting(&preset_key(bank_id, name.trim()), "")
    }

    /// The presets of `bank_id`, by name.
    pub fn presets(&self, bank_id: &str) -> Result<PresetList, StoreError> {
        let start = format!("{}{bank_id}/", keys::PRESET);
        // The first key after every key that starts with `start` ('0' follows '/').
        let end = format!("{}{bank_id}0", keys::PRESET);
        let rows = self.query_all(
            "SELECT key, value FROM settings WHERE key >= ?1 AND key < ?2 ORDER BY key",
            [&start, &end],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )?;
        let mut out = PresetList::default();
        for (key, value) in rows {
            if value.is_empty() {
                continue;
            }
            let name = key.strip_prefix(start.as_str()).unwrap_or(&key).to_string();
            match serde_json::from_str::<Preset>(&value) {
                Ok(p) => out.presets.push(Preset { name, ..p }),
                Err(_) => out.unreadable.push(name),
            }
        }
        Ok(out)
    }
}
