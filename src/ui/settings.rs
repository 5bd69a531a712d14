//! Settings: appearance, study (daily new questions, desired retention), the pass mark of each
//! bank, the data folder, backups.

use super::Command;
use super::dialog::{FilePurpose, choose_button};
use super::widgets::labelled_field;
use crate::bank::LoadReport;
use crate::prefs::{MAX_ZOOM, MIN_ZOOM, Prefs, Theme};
use crate::store::backup::{BackupInfo, list_backups};
use crate::store::{Store, StoreError};
use egui::{RichText, Ui};
use std::path::Path;

/// What the Settings screen keeps while it is open: the backups listed and the pass-mark
/// fields, read from the database when the screen opens (not every frame).
pub struct SettingsState {
    pub backups: Vec<BackupInfo>,
    pub pass_marks: Vec<PassMarkField>,
}

/// One bank's pass mark as the learner sets it.
#[derive(Debug, Clone, PartialEq)]
pub struct PassMarkField {
    pub bank_id: String,
    pub title: String,
    /// The bank's own pass mark (percent): the default.
    pub bank_default: f64,
    /// The learner's own, if set.
    pub chosen: Option<f64>,
    /// The field as typed.
    pub typed: String,
}

impl SettingsState {
    pub fn load(store: &Result<Store, StoreError>, banks: &LoadReport, data_dir: &Path) -> Self {
        let pass_marks = banks
            .banks
            .iter()
            .map(|b| {
                let chosen = store
                    .as_ref()
                    .ok()
                    .and_then(|s| s.pass_mark(b.id()).ok().flatten());
                let bank_default = b.manifest.exam.pass_percent;
                PassMarkField {
                    bank_id: b.id().to_string(),
                    title: b.manifest.title.clone(),
                    bank_default,
                    chosen,
                    typed: percent_text(chosen.unwrap_or(bank_default)),
                }
            })
            .collect();
        SettingsState {
            backups: list_backups(data_dir),
            pass_marks,
        }
    }
}

fn percent_text(p: f64) -> String {
    format!("{}", (p * 10.0).round() / 10.0)
}

/// What the Settings screen asks for (besides the app-wide commands it shares).
#[derive(Debug, Clone, PartialEq)]
pub enum SettingsCmd {
    /// Set a bank's pass mark from the typed text, or with `None` go back to the bank's own.
    SetPassMark {
        bank_id: String,
        typed: Option<String>,
    },
}

impl From<SettingsCmd> for Command {
    fn from(c: SettingsCmd) -> Command {
        Command::Settings(c)
    }
}

/// A typed pass mark ("75", "75%", " 72.5 ") as a percentage, or why it is not one.
pub fn parse_pass_mark(typed: &str) -> Result<f64, String> {
    let t = typed.trim().trim_end_matches('%').trim();
    match t.parse::<f64>() {
        Ok(p) if p.is_finite() && (1.0..=100.0).contains(&p) => Ok(p),
        Ok(_) => Err(format!(
            "A pass mark of {}% is not possible: type a percentage from 1 to 100, e.g. 70.",
            t
        )),
        Err(_) => Err(format!(
            "\"{}\" is not a pass mark: type a percentage from 1 to 100, e.g. 70.",
            typed.trim()
        )),
    }
}

impl super::CertprepApp {
    pub(super) fn run_settings(&mut self, cmd: SettingsCmd) {
        match cmd {
            SettingsCmd::SetPassMark { bank_id, typed } => {
                let percent = match typed.as_deref().map(parse_pass_mark).transpose() {
                    Ok(p) => p,
                    Err(why) => {
                        // The typed text stays in the field to be corrected.
                        self.notice = Some(super::error_notice(why));
                        return;
                    }
                };
                let saved = match &self.store {
                    Ok(store) => store.set_pass_mark(&bank_id, percent),
                    Err(e) => Err(StoreError::ReadOnly {
                        path: self.data_dir.clone(),
                        detail: e.to_string(),
                    }),
                };
                if let Err(e) = saved {
                    self.notice = Some(super::error_notice(format!(
                        "The pass mark was not saved: {e}"
                    )));
                    return;
                }
                if let super::Screen::Settings(state) = &mut self.screen
                    && let Some(f) = state.pass_marks.iter_mut().find(|f| f.bank_id == bank_id)
                {
                    f.chosen = percent;
                    let shown = percent.unwrap_or(f.bank_default);
                    f.typed = percent_text(shown);
                    self.notice = Some(super::Notice {
                        kind: super::NoticeKind::Info,
                        text: format!(
                            "Readiness for {} now predicts against a pass mark of {}%.",
                            f.title,
                            percent_text(shown)
                        ),
                    });
                }
            }
        }
    }
}

pub struct SettingsData<'a> {
    pub study: crate::srs::StudySettings,
    pub prefs: &'a Prefs,
    pub data_dir: &'a Path,
    pub db_path: Option<&'a Path>,
    /// A file dialog is open: the Choose buttons wait.
    pub dialog_open: bool,
}

pub fn show(
    ui: &mut Ui,
    d: &SettingsData,
    state: &mut SettingsState,
    history_path: &mut String,
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
                pass_marks(ui, &mut state.pass_marks, out);
                ui.add_space(12.0);
                data(ui, d, &state.backups, out);
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

/// The pass mark of each bank: the learner's assumption, since the real exam's raw cut is not
/// published.
fn pass_marks(ui: &mut Ui, fields: &mut [PassMarkField], out: &mut Vec<Command>) {
    ui.label(RichText::new("Pass mark").strong());
    ui.label(
        "The real CETL exam reports a scaled score (600 of 800 passes) and does not publish how \
         many questions that takes. The pass mark certprep predicts your chance of passing \
         against is therefore your assumption; it starts at the bank's own.",
    );
    egui::Grid::new("pass-marks")
        .num_columns(4)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            for f in fields.iter_mut() {
                ui.label(&f.title);
                let field = ui.add(egui::TextEdit::singleline(&mut f.typed).desired_width(60.0));
                // The field's accessible name says which bank it is for.
                let label = format!("Pass mark for {} (%)", f.title);
                let typed = f.typed.clone();
                field.widget_info(|| {
                    let mut info = egui::WidgetInfo::text_edit(true, &typed, &typed, "");
                    info.label = Some(label.clone());
                    info
                });
                let save = ui.button("Save");
                super::widgets::name_button(&save, &format!("Save the pass mark for {}", f.title));
                if save.clicked() || super::widgets::enter_pressed(ui, &field) {
                    out.push(
                        SettingsCmd::SetPassMark {
                            bank_id: f.bank_id.clone(),
                            typed: Some(f.typed.clone()),
                        }
                        .into(),
                    );
                }
                let reset = format!("Use the bank's {}%", percent_text(f.bank_default));
                let back = ui.add_enabled(f.chosen.is_some(), egui::Button::new(&reset));
                super::widgets::name_button(&back, &format!("{reset} for {}", f.title));
                if back.clicked() {
                    out.push(
                        SettingsCmd::SetPassMark {
                            bank_id: f.bank_id.clone(),
                            typed: None,
                        }
                        .into(),
                    );
                }
                ui.end_row();
            }
        });
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

fn data(ui: &mut Ui, d: &SettingsData, backups: &[BackupInfo], out: &mut Vec<Command>) {
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
    if backups.is_empty() {
        ui.label("No backups yet.");
    }
    egui::Grid::new("backups")
        .striped(true)
        .num_columns(3)
        .show(ui, |ui| {
            for b in backups {
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
