//! Settings: appearance, study (daily new questions, desired retention), the data folder,
//! backups, sync through a folder (drawn by `ui::sync`), moving the history.

use super::Command;
use super::dialog::{FilePurpose, choose_button};
use super::widgets::labelled_field;
use crate::prefs::{MAX_ZOOM, MIN_ZOOM, Prefs, Theme};
use crate::store::backup::BackupInfo;
use egui::{RichText, Ui};
use std::path::Path;

pub struct SettingsData<'a> {
    pub study: crate::srs::StudySettings,
    pub prefs: &'a Prefs,
    pub data_dir: &'a Path,
    pub db_path: Option<&'a Path>,
    pub backups: &'a [BackupInfo],
    /// A file dialog is open: the Choose buttons wait.
    pub dialog_open: bool,
}

pub fn show(
    ui: &mut Ui,
    d: &SettingsData,
    history_path: &mut String,
    sync: &mut super::sync::SyncState,
    out: &mut Vec<Command>,
) {
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
                super::sync::show(ui, sync, d.dialog_open, out);
                ui.add_space(12.0);
                history_file(ui, history_path, d.dialog_open, out);
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
fn history_file(ui: &mut Ui, path: &mut String, dialog_open: bool, out: &mut Vec<Command>) {
    ui.label(RichText::new("Move your history").strong());
    ui.label(
        "Export writes every exam, answer and review to one file. Import replaces your history \
         with such a file; your current database is kept beside it, not deleted.",
    );
    ui.horizontal(|ui| {
        labelled_field(ui, "File", path, "/path/to/certprep-history.sqlite3", 360.0);
        let given = !path.trim().is_empty();
        if ui
            .add_enabled(given, egui::Button::new("Export history"))
            .clicked()
        {
            out.push(Command::ExportHistory(path.trim().into()));
        }
        if ui
            .add_enabled(given, egui::Button::new("Import history"))
            .clicked()
        {
            out.push(Command::ImportHistory(path.trim().into()));
        }
    });
    ui.horizontal(|ui| {
        ui.label("Or use the file dialog:");
        choose_button(ui, FilePurpose::ExportHistory, dialog_open, out);
        choose_button(ui, FilePurpose::ImportHistory, dialog_open, out);
    });
}
