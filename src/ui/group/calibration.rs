//! The group screen's Rasch part: the calibration of the pack's questions (difficulty, its
//! standard error, infit and outfit, with what each means), "Save calibration" for
//! readiness, and the option table an author reads a flagged question by.

use super::GroupCmd;
use crate::bank::LoadReport;
use crate::group::calibration::Pooled;
use crate::group::{GroupReport, OptionTable, QuestionStat, Rejection, fixed2};
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
    saved_line(ui, saved);
}

/// What the last save did, under the button that did it.
fn saved_line(ui: &mut Ui, saved: Option<&SavedNote>) {
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

/// Results of several packs in the folder: offer to calibrate them together for a bank
/// (members grouped by the questions they answered; docs/group.md), then show what that gave.
pub fn pooled_section(
    ui: &mut Ui,
    r: &GroupReport,
    pooled: Option<&(String, Pooled)>,
    saved: Option<&SavedNote>,
    banks: &LoadReport,
    out: &mut Vec<Command>,
) {
    let several_packs = r.rejected.iter().any(|f| {
        matches!(
            f.reason,
            Rejection::WhichPack { .. } | Rejection::ForeignPack { .. }
        )
    });
    if !several_packs && pooled.is_none() {
        return;
    }
    ui.add_space(8.0);
    ui.label(RichText::new("Calibrate several packs together").strong());
    ui.label(
        RichText::new(
            "These results come from more than one pack. Packs drawn from one bank that share \
             questions can be calibrated together on one scale, each answer scored again \
             against the bank.",
        )
        .small()
        .weak(),
    );
    ui.horizontal_wrapped(|ui| {
        for b in &banks.banks {
            if ui
                .button(format!("Calibrate all results for bank {}", b.id()))
                .clicked()
            {
                out.push(
                    GroupCmd::CalibratePooled {
                        bank_id: b.id().to_string(),
                    }
                    .into(),
                );
            }
        }
    });
    let Some((bank_id, p)) = pooled else {
        return;
    };
    ui.label(format!(
        "Bank {bank_id}: {} from {}, {} questions.",
        crate::text::count(p.used, "result", "results"),
        crate::text::count(p.packs, "pack", "packs"),
        p.question_ids.len()
    ));
    match &p.calibration {
        Ok(c) => {
            let calibrated = c.items.iter().filter(|i| i.difficulty.is_some()).count();
            let misfits = c.items.iter().filter(|i| i.misfits()).count();
            ui.label(format!(
                "{calibrated} of {} questions placed on one scale from {} and {}; {} misfitting.",
                c.items.len(),
                crate::text::count(c.members_used, "member", "members"),
                crate::text::count(c.responses_used, "answer", "answers"),
                misfits
            ));
            if ui
                .button(format!("Save pooled calibration for bank {bank_id}"))
                .clicked()
            {
                out.push(GroupCmd::SavePooled.into());
            }
            saved_line(ui, saved);
        }
        Err(e) => {
            ui.label(RichText::new(format!("No Rasch calibration: {e}.")).color(bad_color(ui)));
        }
    }
    if !p.skipped.is_empty() {
        ui.label(
            RichText::new(format!(
                "Left out: {}",
                crate::text::count(p.skipped.len(), "file", "files")
            ))
            .small(),
        )
        .on_hover_text(
            p.skipped
                .iter()
                .map(|(path, why)| format!("{}: {why}", path.display()))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
}
