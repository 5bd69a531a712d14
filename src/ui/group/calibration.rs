//! The group screen's Rasch part: the calibration of the pack's questions (difficulty, its
//! standard error, infit and outfit, with what each means), "Save calibration" for
//! readiness, and the option table an author reads a flagged question by.

use super::GroupCmd;
use crate::group::{GroupReport, OptionTable, QuestionStat, fixed2};
use crate::ui::Command;
use crate::ui::widgets::bad_color;
use egui::{RichText, Ui};
use std::path::PathBuf;

/// What became of the last "Save calibration".
#[derive(Debug, Clone, PartialEq)]
pub enum SavedNote {
    Saved(PathBuf),
    Failed(String),
}

pub fn section(ui: &mut Ui, r: &GroupReport, saved: Option<&SavedNote>, out: &mut Vec<Command>) {
    let Some(summary) = r.calibration_summary() else {
        return;
    };
    ui.label(RichText::new("Rasch calibration").strong());
    ui.label(summary);
    let Some(Ok(_)) = &r.calibration else {
        return;
    };
    ui.label(
        RichText::new(
            "Difficulty: logits on one scale with the group's abilities (0 is the pack's \
             average question; +1 is harder). SE: its standard error. Infit and outfit: how \
             well answers follow ability, 1 expected; outside 0.7–1.3, by more than chance \
             explains in a group this size, the question is flagged.",
        )
        .small()
        .weak(),
    );
    egui::CollapsingHeader::new("Difficulty and fit of every question")
        .id_salt("group-rasch")
        .show(ui, |ui| {
            egui::Grid::new("group-rasch-grid")
                .num_columns(6)
                .striped(true)
                .show(ui, |ui| {
                    for h in ["Question", "Difficulty", "SE", "Infit", "Outfit", "Status"] {
                        ui.label(RichText::new(h).strong());
                    }
                    ui.end_row();
                    for q in &r.questions {
                        let Some(e) = &q.rasch else { continue };
                        ui.label(&q.question_id);
                        ui.label(e.difficulty.map_or("-".into(), |d| format!("{d:+.2}")));
                        ui.label(fixed2(e.se));
                        ui.label(fixed2(e.infit));
                        ui.label(fixed2(e.outfit));
                        if e.misfits() {
                            ui.label(RichText::new("misfit").color(ui.visuals().warn_fg_color));
                        } else {
                            ui.label(RichText::new(e.status.describe()).small());
                        }
                        ui.end_row();
                    }
                });
        });
    ui.horizontal_wrapped(|ui| {
        let bank = r.bank_id.as_deref();
        let button = ui.add_enabled(
            bank.is_some(),
            egui::Button::new(match bank {
                Some(b) => format!("Save calibration for bank {b}"),
                None => "Save calibration".into(),
            }),
        );
        if button.clicked() {
            out.push(GroupCmd::SaveCalibration.into());
        }
        ui.label(
            RichText::new(if bank.is_some() {
                "Readiness on this computer then reads your answers on this scale."
            } else {
                "Load the pack's bank to save its calibration."
            })
            .small()
            .weak(),
        );
    });
    match saved {
        Some(SavedNote::Saved(path)) => {
            ui.label(RichText::new(format!("Calibration saved to {}", path.display())).small());
        }
        Some(SavedNote::Failed(e)) => {
            ui.label(RichText::new(e).color(bad_color(ui)));
        }
        None => {}
    }
}

/// Who chose which option of `q`, by ability third, with the distractors worth a look.
pub fn option_table(ui: &mut Ui, q: &QuestionStat) {
    let t: &OptionTable = &q.options;
    if t.options.is_empty() {
        return;
    }
    egui::Grid::new(("options", &q.question_id))
        .num_columns(6)
        .striped(true)
        .show(ui, |ui| {
            ui.label("");
            ui.label(RichText::new("Option").strong());
            for (name, size) in ["Bottom third", "Middle third", "Top third"]
                .iter()
                .zip(t.third_sizes)
            {
                ui.label(RichText::new(format!("{name} ({size})")).strong());
            }
            ui.label("");
            ui.end_row();
            for o in &t.options {
                let label = if o.correct {
                    RichText::new(format!("{} (key)", o.label)).strong()
                } else {
                    RichText::new(&o.label)
                };
                ui.label(label);
                ui.label(super::super::question::short(&o.text, 48));
                for n in o.by_third {
                    ui.label(n.to_string());
                }
                match o.flag {
                    Some(f) => ui.label(
                        RichText::new(f.describe())
                            .small()
                            .color(ui.visuals().warn_fg_color),
                    ),
                    None => ui.label(""),
                };
                ui.end_row();
            }
            if t.unanswered.iter().any(|&n| n > 0) {
                ui.label("");
                ui.label(RichText::new("no answer").weak());
                for n in t.unanswered {
                    ui.label(n.to_string());
                }
                ui.label("");
                ui.end_row();
            }
        });
}
