//! Exam setup: bank, length, time limit and mode, with the bank's defaults.

use super::Command;
use crate::bank::LoadReport;
use crate::exam::Mode;
use egui::Ui;

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

pub fn show(ui: &mut Ui, banks: &LoadReport, form: &mut SetupForm, out: &mut Vec<Command>) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.heading("New practice session");
        ui.add_space(8.0);
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
                ui.horizontal(|ui| {
                    ui.radio_value(&mut form.mode, Mode::Exam, "Timed exam")
                        .on_hover_text(
                            "Countdown, no feedback until you submit, score per skill area",
                        );
                    ui.radio_value(&mut form.mode, Mode::Study, "Study (instant feedback)")
                        .on_hover_text(
                            "No clock; each answer is checked at once with explanations",
                        );
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
            // A different bank brings its own defaults.
            let mode = form.mode;
            *form = SetupForm::for_bank(banks, Some(&form.bank_id));
            form.mode = mode;
        }
        if let Some(b) = banks.bank(&form.bank_id) {
            ui.add_space(6.0);
            let bp = crate::exam::Blueprint::for_bank(b, form.questions);
            ui.label(format!(
                "Questions are drawn by the blueprint weights: {}.",
                bp.counts
                    .iter()
                    .filter(|(_, n)| *n > 0)
                    .map(|(d, n)| format!("{} {n}", b.domain_name(d)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        ui.add_space(12.0);
        ui.horizontal(|ui| {
            let label = match form.mode {
                Mode::Exam => "Start exam",
                Mode::Study => "Start study session",
            };
            if ui
                .add_enabled(form.questions > 0, egui::Button::new(label))
                .clicked()
            {
                out.push(Command::Start(form.clone()));
            }
            if ui.button("Back").clicked() {
                out.push(Command::GoHome);
            }
        });
    });
}
