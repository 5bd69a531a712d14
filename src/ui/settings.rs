//! Settings: appearance, study (daily new questions, desired retention, learning steps, a
//! daily time budget), the pass mark of each bank, the FSRS parameters fitted to the learner and
//! what the review log says about their memory (true retention, calibration), the data folder,
//! backups, moving the history, sync through a folder (drawn by `ui::sync`).

use super::dialog::{FilePurpose, choose_button};
use super::widgets::{enter_pressed, labelled_field};
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
    pub study: &'a crate::srs::StudySettings,
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
    st: &mut SettingsState,
    history: &mut HistoryState,
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
                study(ui, d.study, st, out);
                ui.add_space(12.0);
                data(ui, d, out);
                ui.add_space(12.0);
                history_file(ui, history, d.dialog_open, out);
                ui.add_space(12.0);
                // After the sections that were here before it, so they stay where they were.
                pass_marks(ui, &mut st.pass_marks, out);
                ui.add_space(12.0);
                memory(ui, d.study, st, out);
                ui.add_space(12.0);
                // Last: the sections above keep the places learners know them by.
                super::sync::show(ui, sync, d.dialog_open, out);
                ui.add_space(12.0);
                question_reports(ui, st, d.dialog_open, out);
            });
    });
}

/// "Question reports": the CSV of every "Report a problem" for the bank's author.
fn question_reports(
    ui: &mut Ui,
    st: &mut SettingsState,
    dialog_open: bool,
    out: &mut Vec<Command>,
) {
    ui.label(RichText::new("Question reports").strong());
    ui.label(
        "The problems you reported on questions (Report a problem… on Results and Study), as a \
         spreadsheet for the bank's author: bank, question id, area, kind, text, reported at.",
    );
    ui.horizontal_wrapped(|ui| {
        let field = labelled_field(
            ui,
            "CSV file",
            &mut st.reports_path,
            "question-reports.csv in the data folder",
            320.0,
        );
        if ui.button("Export question reports…").clicked() || enter_pressed(ui, &field) {
            out.push(SettingsCmd::ExportReports(PathBuf::from(st.reports_path.trim())).into());
        }
        choose_button(ui, FilePurpose::ReportsCsv, dialog_open, out);
    });
}

fn appearance(ui: &mut Ui, prefs: &Prefs, out: &mut Vec<Command>) {
    ui.label(RichText::new("Appearance").strong());
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Theme");
        ui.horizontal_wrapped(|ui| {
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
    ui.horizontal_wrapped(|ui| {
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
    let mut ask = prefs.ask_confidence;
    if ui
        .checkbox(&mut ask, "Ask how sure I am in exams (sure, unsure, guess)")
        .on_hover_text(
            "Under each exam question: Sure, Unsure or Guess (keys S, U, G). The review shows \
             right answers you guessed and wrong ones you were sure of, and a right answer you \
             were not sure of comes back sooner in study.",
        )
        .changed()
    {
        out.push(SettingsCmd::AskConfidence(ask).into());
    }
}

fn study(
    ui: &mut Ui,
    current: &crate::srs::StudySettings,
    st: &mut SettingsState,
    out: &mut Vec<Command>,
) {
    ui.label(RichText::new("Study").strong());
    let mut s = current.clone();
    ui.horizontal_wrapped(|ui| {
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
    ui.horizontal_wrapped(|ui| {
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
    ui.horizontal(|ui| {
        let label = ui
            .label("Daily study time (minutes, 0 = no limit)")
            .on_hover_text(
                "With a budget, Study asks what fits in it (due questions first) at your own pace \
             per answer, and the dashboard says what the reviews left for tomorrow cost.",
            );
        if let Some(v) = commit_on_release(ui, "daily-minutes", current.daily_minutes, |ui, v| {
            ui.add(egui::DragValue::new(v).range(0..=600))
                .labelled_by(label.id)
        }) {
            s.daily_minutes = v;
        }
    });
    ui.horizontal(|ui| {
        let steps_help = "Same-day waits before a question comes back: after a wrong answer on \
             a new question (learning) or on one you knew (relearning), e.g. \"10m\" or \"1m 10m\". \
             A right answer on the last step, and a right answer in a mock exam, go straight to \
             FSRS's interval in days. Leave empty for no steps.";
        let l = ui.label("Learning steps").on_hover_text(steps_help);
        ui.add(egui::TextEdit::singleline(&mut st.learning_steps).desired_width(110.0))
            .labelled_by(l.id);
        let l = ui.label("Relearning steps").on_hover_text(steps_help);
        ui.add(egui::TextEdit::singleline(&mut st.relearning_steps).desired_width(110.0))
            .labelled_by(l.id);
        if ui.button("Save steps").clicked() {
            out.push(SettingsCmd::SaveSteps.into());
        }
    });
    if s != *current {
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

fn percent_text(p: f64) -> String {
    format!("{}", (p * 10.0).round() / 10.0)
}

/// A typed pass mark ("75", "75%", " 72.5 ") as a percentage, or why it is not one.
pub fn parse_pass_mark(typed: &str) -> Result<f64, String> {
    let t = typed.trim().trim_end_matches('%').trim();
    match t.parse::<f64>() {
        Ok(p) if p.is_finite() && (1.0..=100.0).contains(&p) => Ok(p),
        Ok(_) => Err(format!(
            "A pass mark of {t}% is not possible: type a percentage from 1 to 100, e.g. 70."
        )),
        Err(_) => Err(format!(
            "\"{}\" is not a pass mark: type a percentage from 1 to 100, e.g. 70.",
            typed.trim()
        )),
    }
}

/// The FSRS parameters (defaults or fitted), the optimiser, and what the review log says
/// about the learner's memory.
fn memory(
    ui: &mut Ui,
    current: &crate::srs::StudySettings,
    st: &SettingsState,
    out: &mut Vec<Command>,
) {
    ui.label(RichText::new("Your memory (FSRS-6)").strong());
    match (&st.fit_record, current.parameters.is_empty()) {
        (_, true) => ui.label(
            "Scheduling uses FSRS-6's default parameters, fitted on millions of flash-card \
             reviews. Fitting them to your own answers makes intervals and recall figures yours.",
        ),
        (Some(r), false) => ui.label(format!(
            "Scheduling uses parameters fitted to your {} on {}.",
            crate::text::count(r.reviews, "review", "reviews"),
            crate::text::long_date(r.fitted_at.with_timezone(&chrono::Local).date_naive())
        )),
        (None, false) => ui.label("Scheduling uses parameters fitted to your reviews."),
    };
    ui.label(
        RichText::new(format!(
            "{} so far a day or more after the previous answer to the same question (what \
             fitting learns from; at least {} needed).",
            crate::text::count(st.usable_reviews, "answer", "answers"),
            crate::srs::fit::MIN_REVIEWS
        ))
        .small()
        .weak(),
    );
    ui.horizontal(|ui| {
        if let Some(job) = &st.fit {
            ui.add(
                egui::ProgressBar::new(job.done_share())
                    .desired_width(240.0)
                    .text(format!("Fitting… {:.0}%", job.done_share() * 100.0)),
            );
            if ui.button("Stop").clicked() {
                out.push(SettingsCmd::CancelOptimise.into());
            }
        } else {
            let enough = st.usable_reviews >= crate::srs::fit::MIN_REVIEWS;
            let b = ui
                .add_enabled(enough, egui::Button::new("Optimise for my reviews"))
                .on_hover_text("Fits FSRS's 21 parameters to your answers, on a background thread; the new ones are kept only if they predict your answers better.");
            if b.clicked() {
                out.push(SettingsCmd::Optimise.into());
            }
            if !current.parameters.is_empty()
                && ui.button("Reset to FSRS-6 defaults").clicked()
            {
                out.push(SettingsCmd::ResetParameters.into());
            }
        }
    });
    if let Some(r) = &st.fit_record {
        ui.label(
            RichText::new(format!(
                "Last fit: log loss {:.4} before, {:.4} after; RMSE {:.1}% before, {:.1}% after ({}).",
                r.log_loss_before,
                r.log_loss_after,
                r.rmse_before * 100.0,
                r.rmse_after * 100.0,
                if r.improved {
                    "better, so the fitted parameters are in use"
                } else {
                    "not better, so the earlier parameters were kept"
                }
            ))
            .small(),
        );
    }
    if let Some(stats) = &st.stats {
        memory_stats(ui, stats);
    }
}

fn pct(x: Option<f64>) -> String {
    x.map_or("–".into(), |x| format!("{:.1}%", x * 100.0))
}

/// True retention (young / mature / all, last 30 days and all time) and the calibration table.
fn memory_stats(ui: &mut Ui, s: &crate::srs::retention::MemoryStats) {
    use crate::srs::retention::PassCount;
    ui.add_space(6.0);
    ui.label(RichText::new("True retention").strong());
    ui.label(
        RichText::new(
            "Share of reviews answered right, counting answers to questions in review a day or \
             more after the previous one; young = interval under 21 days, mature = 21 or more.",
        )
        .small()
        .weak(),
    );
    let cell = |c: PassCount| format!("{} ({} of {})", pct(c.rate()), c.passed, c.total);
    egui::Grid::new("true-retention")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for h in ["", "Young", "Mature", "All"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for (name, t) in [("Last 30 days", &s.month), ("All time", &s.all_time)] {
                ui.label(name);
                ui.label(cell(t.young));
                ui.label(cell(t.mature));
                ui.label(cell(t.all()));
                ui.end_row();
            }
        });
    ui.add_space(6.0);
    ui.label(RichText::new("Predicted recall against your answers").strong());
    ui.label(
        RichText::new(
            "For the same answers: what FSRS predicted as you answered, and how often you were \
             right. Close figures in a row mean the recall figures on the dashboard can be \
             trusted for you.",
        )
        .small()
        .weak(),
    );
    egui::Grid::new("calibration")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for h in ["Predicted", "Answers", "Mean predicted", "Right"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for b in &s.calibration {
                ui.label(format!("{:.0}–{:.0}%", b.low * 100.0, b.high * 100.0));
                ui.label(b.answers.to_string());
                ui.label(if b.answers > 0 {
                    pct(Some(b.mean_predicted))
                } else {
                    "–".into()
                });
                ui.label(pct(b.pass_rate()));
                ui.end_row();
            }
        });
}

/// What Settings asks for beyond single values.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingsCmd {
    /// Save the learning and relearning steps as typed.
    SaveSteps,
    /// Fit FSRS's parameters to the learner's reviews, in the background.
    Optimise,
    CancelOptimise,
    /// Go back to FSRS-6's default parameters.
    ResetParameters,
    /// Set a bank's pass mark from the typed text, or with `None` go back to the bank's own.
    SetPassMark {
        bank_id: String,
        typed: Option<String>,
    },
    /// Write every question report as CSV to this file (empty: `question-reports.csv` in the
    /// data folder).
    ExportReports(PathBuf),
    /// Turn the exam's "How sure are you?" choice on or off (new and resumed exams).
    AskConfidence(bool),
}

impl From<SettingsCmd> for Command {
    fn from(c: SettingsCmd) -> Command {
        Command::Settings(c)
    }
}

/// The Settings screen's own state.
#[derive(Default)]
pub struct SettingsState {
    pub learning_steps: String,
    pub relearning_steps: String,
    /// A fit running on its own thread.
    pub fit: Option<crate::srs::fit::FitJob>,
    pub fit_record: Option<crate::store::srs::FitRecord>,
    pub usable_reviews: usize,
    pub stats: Option<crate::srs::retention::MemoryStats>,
    /// Each loaded bank's pass mark, read when the screen opens (not every frame).
    pub pass_marks: Vec<PassMarkField>,
    /// Where "Export question reports" writes, as typed.
    pub reports_path: String,
}

impl SettingsState {
    pub fn fitting(&self) -> bool {
        self.fit.is_some()
    }
}

impl CertprepApp {
    /// Read what the Settings screen shows from the database (on opening it and after a fit).
    pub(super) fn refresh_settings(&mut self) {
        let st = &mut self.settings;
        st.learning_steps = crate::srs::format_steps(&self.study_settings.learning_steps_min);
        st.relearning_steps = crate::srs::format_steps(&self.study_settings.relearning_steps_min);
        let store = self.store.as_ref().ok();
        st.pass_marks = self
            .banks
            .banks
            .iter()
            .map(|b| {
                let chosen = store.and_then(|s| s.pass_mark(b.id()).ok().flatten());
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
        let Some(store) = store else {
            return;
        };
        st.fit_record = store.fit_record().ok().flatten();
        st.usable_reviews = store.usable_reviews().unwrap_or(0);
        let scheduler = crate::srs::Scheduler::from_settings(&self.study_settings);
        st.stats = store.answer_logs(None).ok().map(|logs| {
            crate::srs::retention::memory_stats(
                logs.iter().map(|(_, _, log)| log.as_slice()),
                &scheduler,
                chrono::Utc::now(),
            )
        });
    }

    pub(super) fn run_settings(&mut self, cmd: SettingsCmd) {
        match cmd {
            SettingsCmd::SetPassMark { bank_id, typed } => self.set_pass_mark(&bank_id, typed),
            SettingsCmd::ExportReports(path) => self.export_reports(path),
            SettingsCmd::AskConfidence(on) => {
                self.prefs.ask_confidence = on;
                self.save_prefs();
            }
            SettingsCmd::SaveSteps => {
                let parsed = crate::srs::parse_steps(&self.settings.learning_steps).and_then(|l| {
                    crate::srs::parse_steps(&self.settings.relearning_steps).map(|r| (l, r))
                });
                match parsed {
                    Ok((learning, relearning)) => {
                        let mut s = self.study_settings.clone();
                        s.learning_steps_min = learning;
                        s.relearning_steps_min = relearning;
                        self.run_cmd(Command::SetStudySettings(s));
                        self.refresh_settings();
                    }
                    Err(e) => self.notice = Some(error_notice(format!("Steps not saved: {e}"))),
                }
            }
            SettingsCmd::Optimise => self.start_fit(),
            SettingsCmd::CancelOptimise => {
                if let Some(job) = &self.settings.fit {
                    job.cancel();
                }
            }
            SettingsCmd::ResetParameters => {
                let result = match &self.store {
                    Ok(store) => store.set_fsrs_parameters(Vec::new(), None),
                    Err(e) => Err(crate::store::StoreError::ReadOnly {
                        path: self.data_dir.clone(),
                        detail: e.to_string(),
                    }),
                };
                match result {
                    Ok(()) => {
                        self.study_settings.parameters.clear();
                        self.notice = Some(Notice {
                            kind: NoticeKind::Info,
                            text: "FSRS-6's default parameters are back; every card was \
                                   rescheduled with them."
                                .into(),
                        });
                    }
                    Err(e) => self.notice = Some(error_notice(format!("Reset failed: {e}"))),
                }
                self.refresh_settings();
            }
        }
    }

    /// Save a bank's pass mark as typed (or go back to the bank's own with `None`); a typed
    /// text that is not a percentage stays in its field, with a message, to be corrected.
    fn set_pass_mark(&mut self, bank_id: &str, typed: Option<String>) {
        let percent = match typed.as_deref().map(parse_pass_mark).transpose() {
            Ok(p) => p,
            Err(why) => {
                self.notice = Some(error_notice(why));
                return;
            }
        };
        let saved = match &self.store {
            Ok(store) => store.set_pass_mark(bank_id, percent),
            Err(e) => Err(StoreError::ReadOnly {
                path: self.data_dir.clone(),
                detail: e.to_string(),
            }),
        };
        if let Err(e) = saved {
            self.notice = Some(error_notice(format!("The pass mark was not saved: {e}")));
            return;
        }
        if let Some(f) = self
            .settings
            .pass_marks
            .iter_mut()
            .find(|f| f.bank_id == bank_id)
        {
            f.chosen = percent;
            let shown = percent.unwrap_or(f.bank_default);
            f.typed = percent_text(shown);
            self.notice = Some(Notice {
                kind: NoticeKind::Info,
                text: format!(
                    "Readiness for {} now predicts against a pass mark of {}%.",
                    f.title,
                    percent_text(shown)
                ),
            });
        }
    }

    /// Read the review log and start fitting on its own thread.
    fn start_fit(&mut self) {
        if self.settings.fit.is_some() {
            return;
        }
        let Ok(store) = &self.store else {
            return;
        };
        match store.answer_logs(None) {
            Ok(logs) => {
                let (items, ids) =
                    crate::srs::fit::training_items(logs.iter().map(|(_, _, l)| l.as_slice()));
                self.settings.fit = Some(crate::srs::fit::FitJob::start(
                    items,
                    ids,
                    self.study_settings.parameters.clone(),
                ));
            }
            Err(e) => self.notice = Some(error_notice(format!("Cannot read your reviews: {e}"))),
        }
    }

    /// A finished fit: keep the better parameters, reschedule, say what happened.
    pub(super) fn poll_fit(&mut self) {
        let Some(job) = &mut self.settings.fit else {
            return;
        };
        let Some(result) = job.poll() else {
            return;
        };
        self.settings.fit = None;
        let report = match result {
            Ok(r) => r,
            Err(e) => {
                self.notice = Some(error_notice(e.to_string()));
                return;
            }
        };
        let record = crate::store::srs::FitRecord {
            fitted_at: chrono::Utc::now(),
            reviews: report.reviews,
            log_loss_before: report.before.log_loss,
            log_loss_after: report.after.log_loss,
            rmse_before: report.before.rmse_bins,
            rmse_after: report.after.rmse_bins,
            improved: report.improved,
        };
        let saved = match &self.store {
            Ok(store) => store.set_fsrs_parameters(report.parameters.clone(), Some(&record)),
            Err(_) => return,
        };
        match saved {
            Ok(()) => {
                self.study_settings.parameters = report.parameters;
                self.notice = Some(Notice {
                    kind: NoticeKind::Info,
                    text: if report.improved {
                        format!(
                            "FSRS is now fitted to your {}: log loss {:.4} before, {:.4} after. Every card \
                             was rescheduled with the new parameters.",
                            crate::text::count(report.reviews, "review", "reviews"),
                            report.before.log_loss,
                            report.after.log_loss
                        )
                    } else {
                        format!(
                            "Fitted parameters predicted your answers no better (log loss {:.4} \
                             against {:.4}), so the ones in use were kept.",
                            report.after.log_loss, report.before.log_loss
                        )
                    },
                });
            }
            Err(e) => {
                self.notice = Some(error_notice(format!(
                    "The fitted parameters were not saved: {e}"
                )))
            }
        }
        self.refresh_settings();
        self.refresh_home();
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
    ui.horizontal_wrapped(|ui| {
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
    ui.horizontal_wrapped(|ui| {
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
    ui.horizontal_wrapped(|ui| {
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

    pub(super) fn set_study_settings(&mut self, mut new: crate::srs::StudySettings) {
        // The parameters are fitted, never edited on screen: keep the ones in use.
        new.parameters = self.study_settings.parameters.clone();
        let new = new.clamped();
        let result = match &self.store {
            Ok(store) => store.set_study_settings(new.clone()),
            Err(e) => Err(StoreError::ReadOnly {
                path: self.data_dir.clone(),
                detail: e.to_string(),
            }),
        };
        match result {
            Ok(()) => {
                self.study_settings = new;
                self.refresh_home();
            }
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
        // The database in place decides the link (an imported history from another computer
        // has none; a restored backup has this computer's).
        self.load_sync_state();
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

impl CertprepApp {
    /// Write every question report as CSV (Settings → Question reports).
    fn export_reports(&mut self, path: PathBuf) {
        let path = if path.as_os_str().is_empty() {
            self.data_dir.join("question-reports.csv")
        } else {
            path
        };
        let Ok(store) = &self.store else {
            self.notice = Some(error_notice(
                "The database is not available, so there are no reports to export.".into(),
            ));
            return;
        };
        let written = crate::export::store_reports_csv(store, &self.banks.banks)
            .map_err(|e| e.to_string())
            .and_then(|(text, n)| {
                std::fs::write(&path, text)
                    .map(|()| n)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))
            });
        self.notice = Some(match written {
            Ok(n) => Notice {
                kind: NoticeKind::Info,
                text: format!(
                    "Wrote {} to {}.",
                    crate::text::count(n, "question report", "question reports"),
                    path.display()
                ),
            },
            Err(e) => error_notice(format!("The question reports were not exported: {e}")),
        });
        self.settings.reports_path = path.display().to_string();
    }
}
