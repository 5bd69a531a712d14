//! Settings: appearance, study (daily new questions, desired retention), the data folder,
//! backups.

use super::dialog::{FilePurpose, choose_button};
use super::widgets::labelled_field;
use super::{CertprepApp, Command, Notice, NoticeKind, Screen, error_notice};
use crate::prefs::{MAX_ZOOM, MIN_ZOOM, Prefs, Theme};
use crate::store::backup::BackupInfo;
use crate::store::backup::list_backups;
use crate::store::{Store, StoreError};
use egui::{RichText, Ui};
use std::path::{Path, PathBuf};

/// "Move your history": export all history to one file, or replace it with such a file.
#[derive(Debug, Clone, PartialEq)]
pub enum HistoryCmd {
    /// Write all history to this file.
    Export(PathBuf),
    /// Ask the learner before their history is replaced with this file.
    AskImport(PathBuf),
    /// The learner said yes: replace the history with the file asked about.
    ConfirmImport,
    CancelImport,
}

impl From<HistoryCmd> for Command {
    fn from(c: HistoryCmd) -> Command {
        Command::History(c)
    }
}

/// What the "Move your history" section remembers.
#[derive(Debug, Default)]
pub struct HistoryState {
    /// The file as typed, chosen or dropped.
    pub path: String,
    /// An import waiting for the learner's yes; the Import button is disabled meanwhile, so
    /// a double click asks once and imports at most once.
    pub confirm: Option<PathBuf>,
}

pub struct SettingsData<'a> {
    pub study: crate::srs::StudySettings,
    pub prefs: &'a Prefs,
    pub data_dir: &'a Path,
    pub db_path: Option<&'a Path>,
    pub backups: &'a [BackupInfo],
    /// A file dialog is open: the Choose buttons wait.
    pub dialog_open: bool,
}

pub fn show(ui: &mut Ui, d: &SettingsData, history: &mut HistoryState, out: &mut Vec<Command>) {
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("settings")
            .show(ui, |ui| {
                ui.heading("Settings");
                ui.add_space(8.0);
                appearance(ui, d.prefs, out);
                ui.add_space(12.0);
                study(ui, d.study, out);
                ui.add_space(12.0);
                data(ui, d, out);
                ui.add_space(12.0);
                history_file(ui, history, d.dialog_open, out);
            });
    });
}

fn appearance(ui: &mut Ui, prefs: &Prefs, out: &mut Vec<Command>) {
    ui.label(RichText::new("Appearance").strong());
    ui.horizontal(|ui| {
        let label = ui.label("Theme");
        ui.horizontal(|ui| {
            for (t, name) in [
                (Theme::System, "Follow the system"),
                (Theme::Light, "Light"),
                (Theme::Dark, "Dark"),
            ] {
                if ui.radio(prefs.theme == t, name).clicked() {
                    out.push(Command::SetTheme(t));
                }
            }
        })
        .response
        .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let label = ui.label("Text size");
        let mut zoom = prefs.zoom;
        let r = ui
            .add(
                egui::Slider::new(&mut zoom, MIN_ZOOM..=MAX_ZOOM)
                    .step_by(0.1)
                    .custom_formatter(|v, _| format!("{:.0}%", v * 100.0)),
            )
            .labelled_by(label.id);
        if r.changed() {
            out.push(Command::SetZoom(zoom));
        }
        if ui.button("Reset").clicked() {
            out.push(Command::SetZoom(1.0));
        }
    });
    ui.label(
        RichText::new("Ctrl + and Ctrl - change the text size anywhere; Ctrl 0 resets it.")
            .small()
            .weak(),
    );
}

fn study(ui: &mut Ui, current: crate::srs::StudySettings, out: &mut Vec<Command>) {
    ui.label(RichText::new("Study").strong());
    let mut s = current;
    ui.horizontal(|ui| {
        let label = ui.label("New questions a day");
        if let Some(v) =
            commit_on_release(ui, "daily-new-limit", current.daily_new_limit, |ui, v| {
                ui.add(egui::DragValue::new(v).range(0..=500))
                    .labelled_by(label.id)
            })
        {
            s.daily_new_limit = v;
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label("Desired retention");
        if let Some(v) = commit_on_release(ui, "retention", current.desired_retention, |ui, v| {
            ui.add(
                egui::Slider::new(v, 0.70..=0.99)
                    .step_by(0.01)
                    .custom_formatter(|v, _| format!("{:.0}%", v * 100.0)),
            )
            .labelled_by(label.id)
        }) {
            s.desired_retention = v;
        }
    });
    ui.label(
        RichText::new(
            "Retention is how likely you should still know an answer when it comes back: higher \
             means more frequent reviews. 90% suits most learners.",
        )
        .small()
        .weak(),
    );
    if s != current {
        out.push(Command::SetStudySettings(s));
    }
}

/// A value edited by dragging is only committed when the drag ends: a drag across a slider
/// would otherwise write the setting to the database on every frame it moves. While the drag
/// lasts the widget shows a draft kept in egui's memory; a typed or keyboard change (no drag)
/// commits at once.
fn commit_on_release<T>(
    ui: &mut Ui,
    key: &str,
    saved: T,
    widget: impl FnOnce(&mut Ui, &mut T) -> egui::Response,
) -> Option<T>
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let id = egui::Id::unique(("study-setting-draft", key));
    let mut value = ui.data(|d| d.get_temp::<T>(id)).unwrap_or(saved);
    let r = widget(ui, &mut value);
    if r.dragged() {
        ui.data_mut(|d| d.insert_temp(id, value));
        return None;
    }
    ui.data_mut(|d| d.remove::<T>(id));
    (value != saved).then_some(value)
}

fn data(ui: &mut Ui, d: &SettingsData, out: &mut Vec<Command>) {
    ui.label(RichText::new("Your data").strong());
    ui.horizontal(|ui| {
        ui.label("Data folder:");
        ui.label(RichText::new(d.data_dir.display().to_string()).monospace());
        if ui.button("Open folder").clicked() {
            out.push(Command::OpenDataFolder);
        }
    });
    if let Some(p) = d.db_path {
        ui.label(
            RichText::new(format!("Database: {}", p.display()))
                .small()
                .weak(),
        );
    }
    ui.add_space(8.0);
    ui.label(RichText::new("Backups").strong());
    ui.label(
        "certprep copies your database once a day and before every upgrade, keeping the newest ten. \
         Restoring keeps your current database beside the restored one, so nothing is lost.",
    );
    if ui.button("Back up now").clicked() {
        out.push(Command::BackupNow);
    }
    if d.backups.is_empty() {
        ui.label("No backups yet.");
    }
    egui::Grid::new("backups")
        .striped(true)
        .num_columns(3)
        .show(ui, |ui| {
            for b in d.backups {
                ui.label(super::widgets::local_time_precise(b.taken_at));
                ui.label(format!("{} · {} KiB", b.reason, b.bytes / 1024));
                let restore = ui.button("Restore…");
                // The same button on every row; its accessible name says which backup.
                let name = format!("Restore {}", super::widgets::local_time_precise(b.taken_at));
                super::widgets::name_button(&restore, &name);
                if restore.clicked() {
                    out.push(Command::RestoreBackup(b.path.clone()));
                }
                ui.end_row();
            }
        });
}

/// All history as one file: to move to another computer, or keep somewhere safe.
fn history_file(ui: &mut Ui, state: &mut HistoryState, dialog_open: bool, out: &mut Vec<Command>) {
    ui.label(RichText::new("Move your history").strong());
    ui.label(
        "Export writes every exam, answer and review to one file. Import replaces your history \
         with such a file after checking it; your current database is kept as a file in the \
         data folder, not deleted.",
    );
    ui.horizontal(|ui| {
        labelled_field(
            ui,
            "File",
            &mut state.path,
            "/path/to/certprep-history.sqlite3",
            360.0,
        );
        let given = !state.path.trim().is_empty();
        if ui
            .add_enabled(given, egui::Button::new("Export history"))
            .clicked()
        {
            out.push(HistoryCmd::Export(state.path.trim().into()).into());
        }
        if ui
            .add_enabled(
                given && state.confirm.is_none(),
                egui::Button::new("Import history"),
            )
            .clicked()
        {
            out.push(HistoryCmd::AskImport(state.path.trim().into()).into());
        }
    });
    ui.horizontal(|ui| {
        ui.label("Or use the file dialog:");
        choose_button(ui, FilePurpose::ExportHistory, dialog_open, out);
        choose_button(ui, FilePurpose::ImportHistory, dialog_open, out);
    });
    if let Some(file) = &state.confirm {
        // A modal, centred: it cannot be missed below the fold, and nothing behind it takes a
        // click (a double click on "Import history" lands on the disabled button or here).
        egui::Modal::new(egui::Id::unique("confirm-history-import")).show(ui.ctx(), |ui| {
            ui.set_max_width(520.0);
            ui.label(
                RichText::new(format!("Replace your history with {}?", file.display())).strong(),
            );
            ui.label(
                "certprep checks the file first. If it is a certprep history, it replaces what \
                 you see now, and your current database is kept as a file in the data folder.",
            );
            ui.horizontal(|ui| {
                if ui.button("Cancel").clicked() {
                    out.push(HistoryCmd::CancelImport.into());
                }
                if ui.button("Replace my history").clicked() {
                    out.push(HistoryCmd::ConfirmImport.into());
                }
            });
        });
        // Esc cancels; a click outside does not (the second click of a double click would
        // otherwise close the question it just opened).
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            out.push(HistoryCmd::CancelImport.into());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Applying commands

impl CertprepApp {
    pub(super) fn run_history(&mut self, cmd: HistoryCmd) {
        match cmd {
            HistoryCmd::Export(path) => {
                let result = match &self.store {
                    Ok(store) => store.export_history(&path),
                    Err(e) => Err(StoreError::ReadOnly {
                        path: self.data_dir.clone(),
                        detail: e.to_string(),
                    }),
                };
                self.notice = Some(match result {
                    Ok(bytes) => Notice {
                        kind: NoticeKind::Info,
                        text: format!(
                            "History exported to {} ({} KiB).",
                            path.display(),
                            bytes / 1024
                        ),
                    },
                    Err(e) => error_notice(format!("Export failed: {e}")),
                });
            }
            HistoryCmd::AskImport(path) => self.history.confirm = Some(path),
            HistoryCmd::CancelImport => self.history.confirm = None,
            HistoryCmd::ConfirmImport => {
                let Some(path) = self.history.confirm.take() else {
                    return;
                };
                // Close our connection: the database file is replaced under it.
                drop(std::mem::replace(&mut self.store, Err(StoreError::Closed)));
                let result = crate::store::backup::import_history(&self.data_dir, &path)
                    .map(|r| (r.store, r.kept_aside));
                if let Err(e) = &result {
                    self.store = Store::open_in(&self.data_dir);
                    self.notice = Some(error_notice(format!(
                        "Import failed: {e} Your history is as it was."
                    )));
                    self.refresh_home();
                    return;
                }
                self.replace_store(result, &format!("History imported from {}", path.display()));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Your data: backups, restoring, study settings

impl CertprepApp {
    /// Keep the current database aside (as `damaged` when it does not open) and put the
    /// backup in its place, checked as an imported history is.
    pub(super) fn restore_backup(&mut self, path: &Path) {
        let aside = match &self.store {
            Err(StoreError::Corrupt { .. }) => "damaged",
            _ => "before-restore",
        };
        // Close our connection before the file is replaced.
        drop(std::mem::replace(&mut self.store, Err(StoreError::Closed)));
        let result = crate::store::backup::restore_backup(&self.data_dir, path, aside)
            .map(|r| (r.store, r.kept_aside));
        self.replace_store(result, "Backup restored")
    }

    pub(super) fn backup_now(&mut self) {
        self.notice = Some(match &self.store {
            Ok(store) => match store.backup_now("manual") {
                Ok(b) => Notice {
                    kind: NoticeKind::Info,
                    text: format!("Backup written to {}", b.path.display()),
                },
                Err(e) => error_notice(format!("Backup failed: {e}")),
            },
            Err(e) => error_notice(format!("Backup failed: the database is not open ({e}).")),
        });
        if let Screen::Settings(list) = &mut self.screen {
            *list = list_backups(&self.data_dir);
        }
    }

    pub(super) fn set_study_settings(&mut self, new: crate::srs::StudySettings) {
        let new = new.clamped();
        let result = match &self.store {
            Ok(store) => store.set_study_settings(new),
            Err(e) => Err(StoreError::ReadOnly {
                path: self.data_dir.clone(),
                detail: e.to_string(),
            }),
        };
        match result {
            Ok(()) => self.study_settings = new,
            Err(e) => {
                self.notice = Some(error_notice(format!("Study settings were not saved: {e}")))
            }
        }
    }

    /// Use a new store (restored, imported, started afresh) and say where the previous file
    /// went: only when one was kept aside does the notice say so.
    pub(super) fn replace_store(
        &mut self,
        result: Result<(Store, Option<PathBuf>), StoreError>,
        done: &str,
    ) {
        match result {
            Ok((store, kept)) => {
                self.study_settings = store.study_settings().unwrap_or_default();
                self.store = Ok(store);
                let text = match kept {
                    Some(p) => {
                        format!("{done}. The previous database was kept as {}.", p.display())
                    }
                    None => format!("{done}."),
                };
                self.notice = Some(Notice {
                    kind: NoticeKind::Info,
                    text,
                });
            }
            Err(e) => {
                self.notice = Some(error_notice(e.to_string()));
                // Nothing was replaced: reopen the database that is in place.
                if matches!(self.store, Err(StoreError::Closed)) {
                    self.store = Store::open_in(&self.data_dir);
                }
            }
        }
        self.refresh_home();
    }
}

/// Show a folder in the platform's file manager.
pub(super) fn open_folder(path: &std::path::Path) -> std::io::Result<()> {
    let program = if cfg!(target_os = "windows") {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    std::process::Command::new(program)
        .arg(path)
        .spawn()
        .map(|_| ())
}
