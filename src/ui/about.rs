//! Help → About (or F1): the version, the data folder and where banks come from (built in,
//! the data folder's `question-banks/`, `--banks`), each folder with buttons to copy its path
//! and open it. A dialog over whatever screen is on show; it owns its state and `AboutCmd`.

use super::{CertprepApp, Command};
use crate::bank_sources::{BankSources, FolderKind};
use egui::{Key, RichText, Ui};
use std::path::{Path, PathBuf};

/// The version the About dialog and `certprep --version` show.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Debug, Default)]
pub struct AboutState {
    pub open: bool,
    /// A path copied: shown as "Copied …" until the dialog closes.
    pub copied: Option<String>,
    /// Text for the clipboard, handed to egui on the next frame.
    to_clipboard: Option<String>,
    /// Opening a folder failed (no file manager, say): the reason, shown in the dialog.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AboutCmd {
    Open,
    Close,
    /// Put this path on the clipboard.
    Copy(PathBuf),
    /// Show this folder in the platform's file manager.
    OpenFolder(PathBuf),
}

impl From<AboutCmd> for Command {
    fn from(c: AboutCmd) -> Command {
        Command::About(c)
    }
}

/// One folder row: what it is, where, and whether it exists yet.
struct FolderRow<'a> {
    what: &'static str,
    path: &'a Path,
    note: String,
}

/// Draw the dialog when open; F1 opens it from anywhere.
pub fn show(
    ui: &mut Ui,
    state: &mut AboutState,
    data_dir: &Path,
    sources: &BankSources,
    out: &mut Vec<Command>,
) {
    if let Some(text) = state.to_clipboard.take() {
        ui.ctx().copy_text(text);
    }
    if !state.open {
        if ui.input(|i| i.key_pressed(Key::F1)) {
            out.push(AboutCmd::Open.into());
        }
        return;
    }
    let modal = egui::Modal::new(egui::Id::unique("about")).show(ui.ctx(), |ui| {
        ui.set_max_width(640.0);
        ui.heading("About certprep");
        // The folders scroll; Close stays in view however many there are and at any text size.
        egui::ScrollArea::vertical()
            .max_height(440.0)
            .show(ui, |ui| {
                contents(ui, state, data_dir, sources, out);
            });
        ui.add_space(8.0);
        if ui.button("Close").clicked() {
            out.push(AboutCmd::Close.into());
        }
    });
    if modal.should_close() {
        out.push(AboutCmd::Close.into());
    }
}

fn contents(
    ui: &mut Ui,
    state: &AboutState,
    data_dir: &Path,
    sources: &BankSources,
    out: &mut Vec<Command>,
) {
    ui.label(RichText::new(format!("certprep version {VERSION}")).strong());
    ui.label("Practice exams and spaced repetition for certification candidates.");
    ui.add_space(8.0);
    ui.label(RichText::new("Your data").strong());
    folder_row(
        ui,
        &FolderRow {
            what: "Data folder",
            path: data_dir,
            note: "Your history, settings and backups.".into(),
        },
        out,
    );
    ui.add_space(8.0);
    ui.label(RichText::new("Question banks, read in this order").strong());
    ui.label(
        "When two banks have the same id the first one is used; the other is listed on \
         Home as not loaded.",
    );
    if sources.built_in {
        let names = crate::shipped::bank_folders().join(", ");
        ui.label(format!(
            "Built in: {names} (inside this program, not a folder)"
        ));
    }
    for folder in &sources.folders {
        let (what, mut note) = match folder.kind {
            FolderKind::DataFolder => ("Your banks", "Banks you import.".to_string()),
            FolderKind::Given => ("Banks folder (--banks)", "Given for this run.".to_string()),
        };
        if !folder.path.is_dir() {
            note.push_str(" Not created yet.");
        }
        if folder.path == sources.import_to {
            note.push_str(" Imports are written here.");
        }
        folder_row(
            ui,
            &FolderRow {
                what,
                path: &folder.path,
                note,
            },
            out,
        );
    }
    if let Some(c) = &state.copied {
        ui.label(format!("Copied {c}"));
    }
    if let Some(e) = &state.error {
        ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
    }
}

fn folder_row(ui: &mut Ui, row: &FolderRow<'_>, out: &mut Vec<Command>) {
    let shown = row.path.display().to_string();
    ui.label(format!("{}: {shown}", row.what));
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&row.note).weak());
        if ui
            .button("Copy path")
            .on_hover_text(format!("Copy {shown}"))
            .clicked()
        {
            out.push(AboutCmd::Copy(row.path.to_path_buf()).into());
        }
        if ui
            .add_enabled(row.path.is_dir(), egui::Button::new("Open folder"))
            .clicked()
        {
            out.push(AboutCmd::OpenFolder(row.path.to_path_buf()).into());
        }
    });
}

impl CertprepApp {
    pub(super) fn run_about(&mut self, cmd: AboutCmd) {
        let st = &mut self.about;
        match cmd {
            AboutCmd::Open => {
                *st = AboutState {
                    open: true,
                    ..AboutState::default()
                }
            }
            AboutCmd::Close => *st = AboutState::default(),
            AboutCmd::Copy(path) => {
                let text = path.display().to_string();
                st.copied = Some(text.clone());
                st.to_clipboard = Some(text);
            }
            AboutCmd::OpenFolder(path) => {
                st.error = super::settings::open_folder(&path)
                    .err()
                    .map(|e| format!("Could not open {}: {e}", path.display()));
            }
        }
    }
}
