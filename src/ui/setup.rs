//! The session builder (the "New practice session" screen): bank, skill areas (one by one or
//! by CETL category), which questions (all, unseen, missed, flagged, bookmarked, due, weakest
//! first) with live counts, how many, timed or tutor, the blueprint split within the chosen
//! areas, and presets. The screen owns its state ([`SessionBuilder`]) and its commands
//! ([`SetupCmd`]); what questions a choice means is `crate::session`'s, and a session started
//! here is an ordinary attempt handed to the exam screen.

use super::exam::AttemptSpec;
use super::widgets::{FooterAfter, enter_pressed, escape_pressed, name_button, note_focus};
use super::{CertprepApp, Command, Notice, NoticeKind, Screen, error_notice};
use crate::bank::{Bank, LoadReport};
use crate::exam::{Mode, assemble};
use crate::session::{
    FilterCounts, History, Preset, QuestionFilter, SessionPlan, Timing, describe, draw,
    shortfall_note, split,
};
use egui::{RichText, Ui};
use std::collections::BTreeSet;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub enum SetupCmd {
    /// Show the builder with a bank's defaults (the first bank's when none is named).
    Open {
        bank_id: Option<String>,
    },
    /// The bank's mock exam as the form says: every area by the blueprint, no filter.
    Start(SetupForm),
    /// A session of chosen areas and questions (the builder's Start, or a preset's).
    StartCustom(CustomSession),
    SavePreset {
        bank_id: String,
        preset: Preset,
    },
    DeletePreset {
        bank_id: String,
        name: String,
    },
}

impl From<SetupCmd> for Command {
    fn from(c: SetupCmd) -> Command {
        Command::Setup(c)
    }
}

/// Bank, length, time limit and mode: a mock exam, and the builder's length and timing.
#[derive(Debug, Clone, PartialEq)]
pub struct SetupForm {
    pub bank_id: String,
    pub questions: usize,
    pub minutes: u32,
    pub mode: Mode,
    /// Fixed seed for a reproducible exam; random when `None`.
    pub seed: Option<u64>,
}

impl SetupForm {
    /// The bank's own defaults (the first bank when none is named).
    pub fn for_bank(banks: &LoadReport, bank_id: Option<&str>) -> SetupForm {
        let bank = bank_id
            .and_then(|id| banks.bank(id))
            .or_else(|| banks.banks.first());
        match bank {
            Some(b) => SetupForm {
                bank_id: b.id().to_string(),
                questions: (b.manifest.exam.questions as usize).min(b.questions.len()),
                minutes: b.manifest.exam.minutes,
                mode: Mode::Exam,
                seed: None,
            },
            None => SetupForm {
                bank_id: String::new(),
                questions: 0,
                minutes: 0,
                mode: Mode::Exam,
                seed: None,
            },
        }
    }

    fn timing(&self) -> Timing {
        match self.mode {
            Mode::Exam => Timing::Timed {
                minutes: self.minutes,
            },
            Mode::Study => Timing::Tutor,
        }
    }
}

/// A builder session to start: the form's length and timing over chosen areas and a filter.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomSession {
    pub form: SetupForm,
    pub areas: BTreeSet<String>,
    pub filter: QuestionFilter,
    /// The preset it was started from, which names the attempt.
    pub preset: Option<String>,
}

impl CustomSession {
    fn plan(&self) -> SessionPlan {
        SessionPlan {
            areas: self.areas.clone(),
            filter: self.filter,
            questions: self.form.questions,
        }
    }

    /// Every area and every question: the bank's mock exam, sat and predicted as one.
    fn is_mock_exam(&self, bank: &Bank) -> bool {
        self.filter == QuestionFilter::All
            && bank
                .manifest
                .domains
                .iter()
                .all(|d| self.areas.contains(&d.id))
    }

    fn from_preset(bank: &Bank, preset: &Preset, seed: Option<u64>) -> CustomSession {
        let (mode, minutes) = match preset.timing {
            Timing::Timed { minutes } => (Mode::Exam, minutes),
            Timing::Tutor => (Mode::Study, bank.manifest.exam.minutes),
        };
        CustomSession {
            form: SetupForm {
                bank_id: bank.id().to_string(),
                questions: preset.questions,
                minutes,
                mode,
                seed,
            },
            areas: preset.areas.iter().cloned().collect(),
            filter: preset.filter,
            preset: Some(preset.name.clone()),
        }
    }
}

/// The builder's state: the form, the choice, the history's counts and the bank's presets.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionBuilder {
    pub form: SetupForm,
    pub areas: BTreeSet<String>,
    pub filter: QuestionFilter,
    /// Every filter's count per area, read when the screen opens.
    pub counts: FilterCounts,
    /// The bank's presets, each fitted to the bank as it is now.
    pub presets: Vec<Preset>,
    /// What reading the presets found: areas the bank no longer has, unreadable presets.
    pub preset_notes: Vec<String>,
    /// The name "Save as preset" gives; empty: the session's description.
    pub preset_name: String,
}

impl SessionBuilder {
    fn custom(&self) -> CustomSession {
        CustomSession {
            form: self.form.clone(),
            areas: self.areas.clone(),
            filter: self.filter,
            preset: None,
        }
    }

    fn plan(&self) -> SessionPlan {
        self.custom().plan()
    }

    fn matching(&self) -> usize {
        self.counts.in_areas(self.filter, &self.areas)
    }
}

/// The form scrolls, and Start and Back stay at the bottom, after the form in the Tab order;
/// Escape goes back (unless it is closing a list or leaving a field).
pub fn show(ui: &mut Ui, banks: &LoadReport, b: &mut SessionBuilder, out: &mut Vec<Command>) {
    if escape_pressed(ui, "setup") {
        out.push(Command::GoHome);
    }
    let (footer, mut content) = FooterAfter::begin(ui, "setup-actions");
    egui::CentralPanel::default().show(&mut content, |ui| {
        egui::ScrollArea::both().id_salt("setup").show(ui, |ui| {
            ui.heading("New practice session");
            ui.add_space(8.0);
            bank_choice(ui, banks, b, out);
            let Some(bank) = banks.bank(&b.form.bank_id) else {
                return;
            };
            presets(ui, bank, b, out);
            ui.add_space(8.0);
            area_choice(ui, bank, b);
            ui.add_space(8.0);
            filter_choice(ui, b);
            ui.add_space(8.0);
            length_and_timing(ui, bank.questions.len(), b);
            ui.add_space(10.0);
            blueprint_table(ui, bank, b);
            ui.add_space(10.0);
            save_preset(ui, bank, b, out);
        });
    });
    footer.show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            let label = match b.form.mode {
                Mode::Exam => "Start exam",
                Mode::Study => "Start study session",
            };
            let can_start = b.form.questions > 0 && b.matching() > 0;
            if ui
                .add_enabled(can_start, egui::Button::new(label))
                .clicked()
            {
                out.push(SetupCmd::StartCustom(b.custom()).into());
            }
            if ui.button("Back").on_hover_text("Escape").clicked() {
                out.push(Command::GoHome);
            }
        });
        ui.add_space(4.0);
    });
    note_focus(ui, "setup");
}

/// The bank: another one opens the builder afresh with its defaults, counts and presets.
fn bank_choice(ui: &mut Ui, banks: &LoadReport, b: &SessionBuilder, out: &mut Vec<Command>) {
    let mut chosen = b.form.bank_id.clone();
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Question bank");
        egui::ComboBox::from_id_salt("bank")
            .selected_text(
                banks
                    .bank(&b.form.bank_id)
                    .map_or("(none)".to_string(), |b| b.manifest.title.clone()),
            )
            .show_ui(ui, |ui| {
                for bank in &banks.banks {
                    ui.selectable_value(&mut chosen, bank.id().to_string(), &bank.manifest.title);
                }
            })
            .response
            .labelled_by(label.id);
    });
    if chosen != b.form.bank_id {
        out.push(
            SetupCmd::Open {
                bank_id: Some(chosen),
            }
            .into(),
        );
    }
}

/// The bank's presets, each started or deleted in one click.
fn presets(ui: &mut Ui, bank: &Bank, b: &SessionBuilder, out: &mut Vec<Command>) {
    if b.presets.is_empty() && b.preset_notes.is_empty() {
        return;
    }
    ui.add_space(8.0);
    ui.label(RichText::new("Presets").strong());
    for note in &b.preset_notes {
        ui.label(RichText::new(note).color(ui.visuals().warn_fg_color));
    }
    for p in &b.presets {
        ui.horizontal_wrapped(|ui| {
            let start = ui.add_enabled(!p.areas.is_empty(), egui::Button::new("Start"));
            name_button(&start, &format!("Start preset {}", p.name));
            if start.clicked() {
                out.push(
                    SetupCmd::StartCustom(CustomSession::from_preset(bank, p, b.form.seed)).into(),
                );
            }
            let delete = ui.button("Delete");
            name_button(&delete, &format!("Delete preset {}", p.name));
            if delete.clicked() {
                out.push(
                    SetupCmd::DeletePreset {
                        bank_id: bank.id().to_string(),
                        name: p.name.clone(),
                    }
                    .into(),
                );
            }
            ui.label(RichText::new(&p.name).strong());
            let summary = describe(bank, &p.plan(), p.timing);
            if summary != p.name {
                ui.label(RichText::new(summary).weak());
            }
        });
    }
}

/// Areas by CETL category: a category's box chooses all its areas; each area's box shows how
/// many questions the current filter finds in it.
fn area_choice(ui: &mut Ui, bank: &Bank, b: &mut SessionBuilder) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Skill areas").strong());
        if ui.button("All areas").clicked() {
            b.areas = bank.manifest.domains.iter().map(|d| d.id.clone()).collect();
        }
        if ui.button("No area").clicked() {
            b.areas.clear();
        }
    });
    let domains = &bank.manifest.domains;
    for (category, members) in bank.categories() {
        if members.len() > 1 {
            let ids: Vec<&str> = members.iter().map(|&i| domains[i].id.as_str()).collect();
            let chosen = ids.iter().filter(|id| b.areas.contains(**id)).count();
            let mut all = chosen == ids.len();
            let count: usize = ids.iter().map(|id| b.counts.in_area(b.filter, id)).sum();
            let text = format!("{category} ({count})");
            let r = ui.add(
                egui::Checkbox::new(&mut all, text).indeterminate(chosen > 0 && chosen < ids.len()),
            );
            if r.changed() {
                for id in ids {
                    set_chosen(&mut b.areas, id, all);
                }
            }
        }
        ui.indent(("areas", &category), |ui| {
            for &i in &members {
                let d = &domains[i];
                let mut on = b.areas.contains(&d.id);
                let text = format!("{} ({})", d.name, b.counts.in_area(b.filter, &d.id));
                if ui.checkbox(&mut on, text).changed() {
                    set_chosen(&mut b.areas, &d.id, on);
                }
            }
        });
    }
}

fn set_chosen(areas: &mut BTreeSet<String>, id: &str, on: bool) {
    if on {
        areas.insert(id.to_string());
    } else {
        areas.remove(id);
    }
}

/// The filters, each with its count in the chosen areas.
fn filter_choice(ui: &mut Ui, b: &mut SessionBuilder) {
    ui.label(RichText::new("Which questions").strong());
    // One per line with what it takes: a row of seven would run off a narrow window.
    egui::Grid::new("setup-filters")
        .num_columns(2)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            for f in QuestionFilter::EVERY {
                let n = b.counts.in_areas(f, &b.areas);
                ui.radio_value(&mut b.filter, f, format!("{} ({n})", f.label()));
                ui.label(RichText::new(f.explanation()).weak());
                ui.end_row();
            }
        });
}

/// How many, and timed or tutor.
fn length_and_timing(ui: &mut Ui, bank_size: usize, b: &mut SessionBuilder) {
    let matching = b.matching();
    egui::Grid::new("setup")
        .num_columns(2)
        .spacing([12.0, 10.0])
        .show(ui, |ui| {
            let label = ui.label("Mode");
            ui.horizontal_wrapped(|ui| {
                ui.radio_value(&mut b.form.mode, Mode::Exam, "Timed exam")
                    .on_hover_text("Countdown, no feedback until you submit, score per skill area");
                ui.radio_value(
                    &mut b.form.mode,
                    Mode::Study,
                    "Tutor (feedback after each answer)",
                )
                .on_hover_text("No clock; each answer is checked at once with explanations");
            })
            .response
            .labelled_by(label.id);
            ui.end_row();

            let label = ui.label("Questions");
            ui.horizontal_wrapped(|ui| {
                // Bounded by the bank, not by what matches now: choosing no area on the way
                // to another must not shrink the length the learner typed. A draw takes what
                // matches, and the table below says when that is fewer.
                ui.add(egui::DragValue::new(&mut b.form.questions).range(1..=bank_size.max(1)))
                    .labelled_by(label.id);
                ui.label(
                    RichText::new(format!(
                        "of {} matching",
                        crate::text::count(matching, "question", "questions")
                    ))
                    .weak(),
                );
            });
            ui.end_row();

            if b.form.mode == Mode::Exam {
                let label = ui.label("Time limit (minutes)");
                ui.add(egui::DragValue::new(&mut b.form.minutes).range(1..=600))
                    .labelled_by(label.id);
                ui.end_row();
            }
        });
    if matching == 0 {
        ui.label(
            RichText::new("No question matches: choose other skill areas or questions.")
                .color(ui.visuals().warn_fg_color),
        );
    }
}

/// What the session will hold: each chosen area's weight among the chosen areas and the
/// questions it gives (after rounding and what the filter leaves), plus the pace.
fn blueprint_table(ui: &mut Ui, bank: &Bank, b: &SessionBuilder) {
    let shares = split(bank, &b.plan(), &b.counts);
    if shares.is_empty() {
        return;
    }
    let weight_sum: f64 = shares
        .iter()
        .filter_map(|s| bank.domain(&s.domain))
        .map(|d| d.weight)
        .sum();
    ui.label(RichText::new("Questions per skill area, by the blueprint").strong());
    egui::Grid::new("setup-blueprint")
        .num_columns(3)
        .striped(true)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            ui.label(RichText::new("Skill area").weak());
            ui.label(RichText::new("Weight").weak());
            ui.label(RichText::new("In this session").weak());
            ui.end_row();
            for s in &shares {
                let Some(d) = bank.domain(&s.domain) else {
                    continue;
                };
                ui.label(&d.name);
                let share = if weight_sum > 0.0 {
                    d.weight / weight_sum
                } else {
                    0.0
                };
                ui.label(format!("{:.0}%", share * 100.0));
                if s.short() {
                    ui.label(format!("{} (all it has)", s.drawn));
                } else {
                    ui.label(s.drawn.to_string());
                }
                ui.end_row();
            }
        });
    if let Some(note) = shortfall_note(bank, &shares) {
        ui.label(RichText::new(note).color(ui.visuals().warn_fg_color));
    }
    let total: usize = shares.iter().map(|s| s.drawn).sum();
    if b.form.mode == Mode::Exam && total > 0 {
        let per_question = f64::from(b.form.minutes) * 60.0 / total as f64;
        ui.label(
            RichText::new(format!(
                "{} in {}: about {} a question.",
                crate::text::count(total, "question", "questions"),
                crate::text::count(b.form.minutes as usize, "minute", "minutes"),
                pace(per_question)
            ))
            .weak(),
        );
        let exam = &bank.manifest.exam;
        if exam.questions > 0 {
            let mock = f64::from(exam.minutes) * 60.0 / f64::from(exam.questions);
            if (mock - per_question).abs() >= 1.0 {
                ui.label(
                    RichText::new(format!(
                        "The mock exam's pace is about {} a question.",
                        pace(mock)
                    ))
                    .weak(),
                );
            }
        }
    }
}

/// "Save as preset": the typed name, or the session's description.
fn save_preset(ui: &mut Ui, bank: &Bank, b: &mut SessionBuilder, out: &mut Vec<Command>) {
    let suggested = describe(bank, &b.plan(), b.form.timing());
    ui.horizontal_wrapped(|ui| {
        let field = super::widgets::labelled_field(
            ui,
            "Preset name",
            &mut b.preset_name,
            &suggested,
            320.0,
        );
        let save = ui.add_enabled(!b.areas.is_empty(), egui::Button::new("Save as preset"));
        if save.clicked() || enter_pressed(ui, &field) {
            let name = if b.preset_name.trim().is_empty() {
                suggested.clone()
            } else {
                b.preset_name.trim().to_string()
            };
            let plan = b.plan();
            out.push(
                SetupCmd::SavePreset {
                    bank_id: bank.id().to_string(),
                    preset: Preset {
                        name,
                        areas: plan.areas.into_iter().collect(),
                        filter: plan.filter,
                        questions: plan.questions,
                        timing: b.form.timing(),
                    },
                }
                .into(),
            );
        }
    });
}

/// "1 min 30 s", "45 s": the time a question gets at an even pace.
fn pace(seconds: f64) -> String {
    let s = seconds.round() as u64;
    match (s / 60, s % 60) {
        (0, sec) => format!("{sec} s"),
        (min, 0) => format!("{min} min"),
        (min, sec) => format!("{min} min {sec} s"),
    }
}

// ---------------------------------------------------------------------------------------------
// Applying commands

impl CertprepApp {
    pub(super) fn run_setup(&mut self, cmd: SetupCmd) {
        match cmd {
            SetupCmd::Open { bank_id } => self.open_builder(bank_id.as_deref()),
            SetupCmd::Start(form) => self.start(&form),
            SetupCmd::StartCustom(session) => self.start_custom(&session),
            SetupCmd::SavePreset { bank_id, preset } => {
                let saved = self
                    .store
                    .as_ref()
                    .map_err(|e| e.to_string())
                    .and_then(|s| s.save_preset(&bank_id, &preset).map_err(|e| e.to_string()));
                self.after_preset_change(
                    &bank_id,
                    saved,
                    format!("Saved preset \"{}\".", preset.name.trim()),
                );
            }
            SetupCmd::DeletePreset { bank_id, name } => {
                let deleted = self
                    .store
                    .as_ref()
                    .map_err(|e| e.to_string())
                    .and_then(|s| s.delete_preset(&bank_id, &name).map_err(|e| e.to_string()));
                self.after_preset_change(&bank_id, deleted, format!("Deleted preset \"{name}\"."));
            }
        }
    }

    /// The builder on a bank with the mock exam's defaults, its history's counts and presets.
    fn open_builder(&mut self, bank_id: Option<&str>) {
        let form = SetupForm::for_bank(&self.banks, bank_id);
        let now = self.utc_now();
        let Some(bank) = self.banks.bank(&form.bank_id) else {
            self.screen = Screen::Setup(Box::new(SessionBuilder {
                form,
                areas: BTreeSet::new(),
                filter: QuestionFilter::All,
                counts: FilterCounts::default(),
                presets: Vec::new(),
                preset_notes: Vec::new(),
                preset_name: String::new(),
            }));
            return;
        };
        let history = self.history(bank.id(), now).unwrap_or_else(|e| {
            self.notice = Some(error_notice(format!(
                "Your history could not be read ({e}): the counts below are those of a fresh start."
            )));
            History::empty(now)
        });
        let (presets, preset_notes) = self.read_presets(bank);
        self.screen = Screen::Setup(Box::new(SessionBuilder {
            areas: bank.manifest.domains.iter().map(|d| d.id.clone()).collect(),
            filter: QuestionFilter::All,
            counts: FilterCounts::count(bank, &history),
            presets,
            preset_notes,
            preset_name: String::new(),
            form,
        }));
    }

    /// The bank's presets fitted to the bank, and what was dropped or could not be read.
    fn read_presets(&self, bank: &Bank) -> (Vec<Preset>, Vec<String>) {
        let list = match &self.store {
            Ok(store) => match store.presets(bank.id()) {
                Ok(l) => l,
                Err(e) => return (Vec::new(), vec![format!("Presets could not be read: {e}")]),
            },
            Err(_) => return (Vec::new(), Vec::new()),
        };
        let mut notes = Vec::new();
        let presets = list
            .presets
            .iter()
            .map(|p| {
                let (fitted, note) = p.fit_to(bank);
                notes.extend(note);
                fitted
            })
            .collect();
        if !list.unreadable.is_empty() {
            notes.push(format!(
                "{} could not be read (saved by a later certprep?) and {} kept as {}: {}.",
                crate::text::count(list.unreadable.len(), "preset", "presets"),
                if list.unreadable.len() == 1 {
                    "is"
                } else {
                    "are"
                },
                if list.unreadable.len() == 1 {
                    "it is"
                } else {
                    "they are"
                },
                list.unreadable.join(", ")
            ));
        }
        (presets, notes)
    }

    /// Show the builder's presets afresh after a save or delete, keeping the rest of the form.
    fn after_preset_change(&mut self, bank_id: &str, result: Result<(), String>, done: String) {
        self.notice = Some(match result {
            Ok(()) => Notice {
                kind: NoticeKind::Info,
                text: done,
            },
            Err(e) => error_notice(format!("The preset was not changed: {e}")),
        });
        let Some(bank) = self.banks.bank(bank_id) else {
            return;
        };
        let (presets, notes) = self.read_presets(bank);
        if let Screen::Setup(b) = &mut self.screen {
            b.presets = presets;
            b.preset_notes = notes;
            b.preset_name.clear();
        }
    }

    /// The mock exam the form describes: the whole bank by the blueprint.
    fn start(&mut self, form: &SetupForm) {
        let Some(bank) = self.banks.bank(&form.bank_id) else {
            self.notice = Some(error_notice(format!(
                "No bank \"{}\" is loaded.",
                form.bank_id
            )));
            return;
        };
        let seed = form.seed.unwrap_or_else(crate::exam::random_seed);
        let attempt = AttemptSpec {
            mode: form.mode,
            seed,
            pass_percent: self.pass_percent(bank),
            time_limit: time_limit(form),
            items: assemble(bank, form.questions, seed),
            pack_id: None,
            title: None,
            predict: true,
        };
        self.begin_attempt(&form.bank_id, attempt);
    }

    /// A builder session: drawn from the history as it is now, started as an ordinary
    /// attempt named after its choice (or preset). Every area with no filter is the mock
    /// exam and is started as one.
    fn start_custom(&mut self, session: &CustomSession) {
        let Some(bank) = self.banks.bank(&session.form.bank_id) else {
            self.notice = Some(error_notice(format!(
                "No bank \"{}\" is loaded.",
                session.form.bank_id
            )));
            return;
        };
        if session.is_mock_exam(bank) && session.preset.is_none() {
            let form = session.form.clone();
            return self.start(&form);
        }
        let now = self.utc_now();
        let history = match self.history(bank.id(), now) {
            Ok(h) => h,
            Err(e) => {
                self.notice = Some(error_notice(format!(
                    "Cannot start: your history could not be read ({e})."
                )));
                return;
            }
        };
        let seed = session.form.seed.unwrap_or_else(crate::exam::random_seed);
        let plan = session.plan();
        let drawn = draw(bank, &plan, &history, seed);
        if drawn.items.is_empty() {
            self.notice = Some(Notice {
                kind: NoticeKind::Warning,
                text: format!(
                    "No question is {} in the chosen skill areas: nothing was started.",
                    session.filter.label().to_lowercase()
                ),
            });
            return;
        }
        let name = session
            .preset
            .clone()
            .unwrap_or_else(|| describe(bank, &plan, session.form.timing()));
        let note = shortfall_note(bank, &drawn.shares);
        let attempt = AttemptSpec {
            mode: session.form.mode,
            seed,
            pass_percent: self.pass_percent(bank),
            time_limit: time_limit(&session.form),
            items: drawn.items,
            pack_id: None,
            title: Some(format!("{}: {name}", bank.manifest.title)),
            // Readiness predicts a mock exam; a filtered session is not one, and scoring the
            // prediction against it would blame the model for the filter.
            predict: session.is_mock_exam(bank),
        };
        let bank_id = bank.id().to_string();
        if self.begin_attempt(&bank_id, attempt).is_some()
            && let Some(note) = note
        {
            self.notice = Some(Notice {
                kind: NoticeKind::Info,
                text: note,
            });
        }
    }

    /// What the filters read of the bank's history (three queries).
    fn history(
        &self,
        bank_id: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<History, String> {
        match &self.store {
            Ok(store) => History::load(store, bank_id, now).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        }
    }

    /// The learner's own pass mark (Settings), which readiness predicts against too.
    fn pass_percent(&self, bank: &Bank) -> f64 {
        self.store
            .as_ref()
            .ok()
            .and_then(|s| s.effective_pass_percent(bank).ok())
            .unwrap_or(bank.manifest.exam.pass_percent)
    }
}

fn time_limit(form: &SetupForm) -> Option<Duration> {
    (form.mode == Mode::Exam).then(|| Duration::from_secs(u64::from(form.minutes) * 60))
}

#[cfg(test)]
mod tests {
    use super::pace;

    #[test]
    fn pace_reads_in_minutes_and_seconds() {
        assert_eq!(pace(90.0), "1 min 30 s");
        assert_eq!(pace(45.2), "45 s");
        assert_eq!(pace(120.0), "2 min");
    }
}
