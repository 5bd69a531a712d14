//! Exam setup: bank, length, time limit and mode, with the bank's defaults. The screen owns
//! its form ([`SetupForm`]) and its commands ([`SetupCmd`]); starting writes the attempt and
//! hands over to the exam screen.

use super::exam::AttemptSpec;
use super::widgets::{FooterAfter, escape_pressed, note_focus};
use super::{CertprepApp, Command, Screen, error_notice};
use crate::bank::LoadReport;
use crate::exam::{Mode, assemble};
use egui::Ui;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub enum SetupCmd {
    /// Show the form with a bank's defaults (the first bank's when none is named).
    Open { bank_id: Option<String> },
    /// Assemble the exam the form describes and start it.
    Start(SetupForm),
}

impl From<SetupCmd> for Command {
    fn from(c: SetupCmd) -> Command {
        Command::Setup(c)
    }
}

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
}

/// The form scrolls, and Start and Back stay at the bottom, after the form in the Tab order;
/// Escape goes back (unless it is closing a list or leaving a field).
pub fn show(ui: &mut Ui, banks: &LoadReport, form: &mut SetupForm, out: &mut Vec<Command>) {
    if escape_pressed(ui, "setup") {
        out.push(Command::GoHome);
    }
    let (footer, mut content) = FooterAfter::begin(ui, "setup-actions");
    egui::CentralPanel::default().show(&mut content, |ui| {
        egui::ScrollArea::both().id_salt("setup").show(ui, |ui| {
            ui.heading("New practice session");
            ui.add_space(8.0);
            fields(ui, banks, form);
            if let Some(b) = banks.bank(&form.bank_id) {
                ui.add_space(10.0);
                blueprint_table(ui, b, form);
            }
        });
    });
    footer.show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            let label = match form.mode {
                Mode::Exam => "Start exam",
                Mode::Study => "Start study session",
            };
            if ui
                .add_enabled(form.questions > 0, egui::Button::new(label))
                .clicked()
            {
                out.push(SetupCmd::Start(form.clone()).into());
            }
            if ui.button("Back").on_hover_text("Escape").clicked() {
                out.push(Command::GoHome);
            }
        });
        ui.add_space(4.0);
    });
    note_focus(ui, "setup");
}

/// Bank, mode, length and time limit; a different bank brings its own defaults.
fn fields(ui: &mut Ui, banks: &LoadReport, form: &mut SetupForm) {
    let before = form.bank_id.clone();
    egui::Grid::new("setup")
        .num_columns(2)
        .spacing([12.0, 10.0])
        .show(ui, |ui| {
            let label = ui.label("Question bank");
            egui::ComboBox::from_id_salt("bank")
                .selected_text(
                    banks
                        .bank(&form.bank_id)
                        .map_or("(none)".to_string(), |b| b.manifest.title.clone()),
                )
                .show_ui(ui, |ui| {
                    for b in &banks.banks {
                        ui.selectable_value(
                            &mut form.bank_id,
                            b.id().to_string(),
                            &b.manifest.title,
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();

            let label = ui.label("Mode");
            ui.horizontal_wrapped(|ui| {
                ui.radio_value(&mut form.mode, Mode::Exam, "Timed exam")
                    .on_hover_text("Countdown, no feedback until you submit, score per skill area");
                ui.radio_value(&mut form.mode, Mode::Study, "Study (instant feedback)")
                    .on_hover_text("No clock; each answer is checked at once with explanations");
            })
            .response
            .labelled_by(label.id);
            ui.end_row();

            let max = banks.bank(&form.bank_id).map_or(0, |b| b.questions.len());
            let label = ui.label("Questions");
            ui.add(egui::DragValue::new(&mut form.questions).range(1..=max.max(1)))
                .labelled_by(label.id);
            ui.end_row();

            if form.mode == Mode::Exam {
                let label = ui.label("Time limit (minutes)");
                ui.add(egui::DragValue::new(&mut form.minutes).range(1..=600))
                    .labelled_by(label.id);
                ui.end_row();
            }
        });
    if form.bank_id != before {
        let mode = form.mode;
        *form = SetupForm::for_bank(banks, Some(&form.bank_id));
        form.mode = mode;
    }
}

/// What the exam will hold: each skill area's blueprint weight and the questions drawn for
/// it at this length (after rounding, and capped by what the bank has), plus the pace.
fn blueprint_table(ui: &mut Ui, bank: &crate::bank::Bank, form: &SetupForm) {
    let bp = crate::exam::Blueprint::for_bank(bank, form.questions);
    ui.label(egui::RichText::new("Questions per skill area, by the blueprint").strong());
    egui::Grid::new("setup-blueprint")
        .num_columns(3)
        .striped(true)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            ui.label(egui::RichText::new("Skill area").weak());
            ui.label(egui::RichText::new("Weight").weak());
            ui.label(egui::RichText::new("In this exam").weak());
            ui.end_row();
            for d in &bank.manifest.domains {
                ui.label(&d.name);
                let share = bank.weight_share(d);
                ui.label(format!("{:.0}%", share * 100.0));
                let drawn = bp.count_for(&d.id);
                let available = bank.questions_in(&d.id).count();
                if drawn == available && drawn < (share * form.questions as f64).round() as usize {
                    // The bank ran out in this area; the others make up the difference.
                    ui.label(format!("{drawn} (all the bank has)"));
                } else {
                    ui.label(drawn.to_string());
                }
                ui.end_row();
            }
        });
    if form.mode == Mode::Exam && bp.total() > 0 {
        let per_question = f64::from(form.minutes) * 60.0 / bp.total() as f64;
        ui.label(
            egui::RichText::new(format!(
                "{} in {}: about {} a question.",
                crate::text::count(bp.total(), "question", "questions"),
                crate::text::count(form.minutes as usize, "minute", "minutes"),
                pace(per_question)
            ))
            .weak(),
        );
    }
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
            SetupCmd::Open { bank_id } => {
                let form = SetupForm::for_bank(&self.banks, bank_id.as_deref());
                self.screen = Screen::Setup(form);
            }
            SetupCmd::Start(form) => self.start(&form),
        }
    }

    fn start(&mut self, form: &SetupForm) {
        let Some(bank) = self.banks.bank(&form.bank_id) else {
            self.notice = Some(error_notice(format!(
                "No bank \"{}\" is loaded.",
                form.bank_id
            )));
            return;
        };
        let seed = form.seed.unwrap_or_else(crate::exam::random_seed);
        // The learner's own pass mark (Settings), which readiness predicts against too.
        let pass_percent = self
            .store
            .as_ref()
            .ok()
            .and_then(|s| s.effective_pass_percent(bank).ok())
            .unwrap_or(bank.manifest.exam.pass_percent);
        let attempt = AttemptSpec {
            mode: form.mode,
            seed,
            pass_percent,
            time_limit: (form.mode == Mode::Exam)
                .then(|| Duration::from_secs(u64::from(form.minutes) * 60)),
            items: assemble(bank, form.questions, seed),
            pack_id: None,
            title: None,
        };
        self.begin_attempt(&form.bank_id, attempt);
    }
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
