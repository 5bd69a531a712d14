//! Interface preferences kept in `settings.json` in the data folder (study settings live in
//! the database). A missing or unreadable file gives the defaults; it never stops the app.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const PREFS_FILE: &str = "settings.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum StartScreen {
    #[default]
    Home,
    Settings,
    Import,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub theme: Theme,
    /// egui zoom factor: 1.0 is the designed size.
    pub zoom: f32,
    pub last_screen: StartScreen,
    /// The bank last practised or picked: the dashboard opens on it.
    pub last_bank: Option<String>,
    /// Exams ask "How sure are you?" under each question (sure, unsure, guess). Off unless
    /// the learner turns it on in Settings.
    pub ask_confidence: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            theme: Theme::System,
            zoom: 1.0,
            last_screen: StartScreen::Home,
            last_bank: None,
            ask_confidence: false,
        }
    }
}

pub const MIN_ZOOM: f32 = 0.7;
pub const MAX_ZOOM: f32 = 2.0;

impl Prefs {
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(PREFS_FILE)
    }

    pub fn load(data_dir: &Path) -> Prefs {
        // A regular file of at most 1 MiB: a FIFO or a huge file in its place gives defaults.
        let mut p: Prefs = crate::fsutil::read_capped(&Self::path(data_dir), 1 << 20)
            .ok()
            .and_then(|t| serde_json::from_slice(&t).ok())
            .unwrap_or_default();
        if !p.zoom.is_finite() {
            p.zoom = 1.0;
        }
        p.zoom = p.zoom.clamp(MIN_ZOOM, MAX_ZOOM);
        p
    }

    /// Write atomically (temp file, then rename) so a crash never leaves half a file.
    pub fn save(&self, data_dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(data_dir)?;
        let tmp = data_dir.join(format!("{PREFS_FILE}.tmp"));
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(&tmp, text)?;
        std::fs::rename(tmp, Self::path(data_dir))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_bad_files_give_defaults() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Prefs::load(dir.path()), Prefs::default());
        let p = Prefs {
            theme: Theme::Light,
            zoom: 1.3,
            last_screen: StartScreen::Settings,
            last_bank: Some("cetl".into()),
            ask_confidence: true,
        };
        p.save(dir.path()).unwrap();
        assert_eq!(Prefs::load(dir.path()), p);
        std::fs::write(Prefs::path(dir.path()), "{ not json").unwrap();
        assert_eq!(Prefs::load(dir.path()), Prefs::default());
        std::fs::write(Prefs::path(dir.path()), r#"{"zoom": 99}"#).unwrap();
        assert_eq!(Prefs::load(dir.path()).zoom, MAX_ZOOM);
        // A settings file from before `last_bank` existed still loads.
        std::fs::write(
            Prefs::path(dir.path()),
            r#"{"theme":"dark","zoom":1.0,"last_screen":"home"}"#,
        )
        .unwrap();
        let old = Prefs::load(dir.path());
        assert_eq!((old.theme, old.last_bank), (Theme::Dark, None));
    }
}
