//! Home: the banks, the resume banner, recent results, and banks that failed to load.

use super::{Command, HomeData};
use crate::bank::LoadReport;
use crate::store::backup::BackupInfo;
use crate::store::{Store, StoreError};
use egui::{RichText, Ui};

pub fn show(
    ui: &mut Ui,
    banks: &LoadReport,
    store: &Result<Store, StoreError>,
    backups: &[BackupInfo],
    home: &HomeData,
    out: &mut Vec<Command>,
) {
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading("certprep");
            ui.label("Practice exams for your certification, one skill area at a time.");
            ui.add_space(8.0);
            if let Err(e) = store {
                store_problem(ui, e, backups, out);
            }
            if let Some((a, answered)) = &home.unfinished {
                resume_banner(ui, a, *answered, out);
            }
            bank_list(ui, banks, store.is_ok(), out);
            ui.add_space(12.0);
            recent(ui, home, banks, out);
            failures(ui, banks, out);
        });
    });
}

/// The database could not be opened: say why, and for a damaged file offer the ways out,
/// each of which keeps the damaged file aside.
fn store_problem(ui: &mut Ui, e: &StoreError, backups: &[BackupInfo], out: &mut Vec<Command>) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(
            RichText::new("Your history cannot be opened, so nothing can be saved right now.")
                .strong()
                .color(ui.visuals().error_fg_color),
        );
        ui.label(e.to_string());
        if let StoreError::Corrupt { .. } = e {
            ui.add_space(4.0);
            if let Some(b) = backups.first() {
                let label = format!(
                    "Restore the backup of {}",
                    b.taken_at.format("%Y-%m-%d %H:%M UTC")
                );
                if ui.button(label).clicked() {
                    out.push(Command::RestoreBackup(b.path.clone()));
                }
            } else {
                ui.label("No backup was found.");
            }
            if ui
                .button("Keep the damaged file aside and start afresh")
                .clicked()
            {
                out.push(Command::StartFresh);
            }
        }
    });
    ui.add_space(8.0);
}

fn resume_banner(
    ui: &mut Ui,
    a: &crate::store::AttemptSummary,
    answered: usize,
    out: &mut Vec<Command>,
) {
    egui::Frame::group(ui.style())
        .fill(ui.visuals().faint_bg_color)
        .show(ui, |ui| {
            ui.label(RichText::new("You have an unfinished exam").strong());
            ui.label(format!(
                "{} {} started {}: {} of {} answered.",
                a.bank_id,
                a.mode.as_str(),
                a.started_at.format("%Y-%m-%d %H:%M UTC"),
                answered,
                a.question_count
            ));
            ui.label("Time while certprep was closed does not count against you.");
            ui.horizontal(|ui| {
                if ui.button("Resume exam").clicked() {
                    out.push(Command::Resume(a.id));
                }
                if ui.button("Discard it").clicked() {
                    out.push(Command::Discard(a.id));
                }
            });
        });
    ui.add_space(8.0);
}

fn bank_list(ui: &mut Ui, banks: &LoadReport, can_start: bool, out: &mut Vec<Command>) {
    ui.heading("Question banks");
    if banks.banks.is_empty() {
        ui.label("No question banks were found. Put bank folders under question-banks/ and press Reload.");
    }
    egui::Grid::new("banks")
        .num_columns(4)
        .striped(true)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            for bank in &banks.banks {
                ui.label(RichText::new(&bank.manifest.title).strong());
                ui.label(format!(
                    "{} questions · {} skill areas · version {}",
                    bank.questions.len(),
                    bank.manifest.domains.len(),
                    bank.manifest.version
                ));
                ui.label(format!(
                    "mock exam: {} questions, {} min, pass {}%",
                    bank.manifest.exam.questions,
                    bank.manifest.exam.minutes,
                    bank.manifest.exam.pass_percent
                ));
                if ui
                    .add_enabled(
                        can_start,
                        egui::Button::new(format!("Practice {}", bank.id())),
                    )
                    .clicked()
                {
                    out.push(Command::OpenSetup {
                        bank_id: Some(bank.id().to_string()),
                    });
                }
                ui.end_row();
            }
        });
    if ui.button("Reload banks").clicked() {
        out.push(Command::ReloadBanks);
    }
}

fn recent(ui: &mut Ui, home: &HomeData, banks: &LoadReport, out: &mut Vec<Command>) {
    ui.heading("Recent results");
    if home.recent.is_empty() {
        ui.label("No finished exams yet.");
        return;
    }
    egui::Grid::new("recent")
        .num_columns(5)
        .striped(true)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            for a in &home.recent {
                ui.label(
                    a.finished_at
                        .unwrap_or(a.started_at)
                        .format("%Y-%m-%d %H:%M")
                        .to_string(),
                );
                ui.label(&a.bank_id);
                ui.label(a.mode.as_str());
                let pct = a.percent().unwrap_or(0.0);
                let passed = pct + 1e-9 >= a.pass_percent;
                ui.label(format!(
                    "{}/{} ({pct:.0}%) {}",
                    a.correct.unwrap_or(0),
                    a.total.unwrap_or(0),
                    if passed { "pass" } else { "below pass mark" }
                ));
                if ui
                    .add_enabled(
                        banks.bank(&a.bank_id).is_some(),
                        egui::Button::new(format!("Review #{}", a.id)),
                    )
                    .clicked()
                {
                    out.push(Command::ShowResults(a.id));
                }
                ui.end_row();
            }
        });
}

fn failures(ui: &mut Ui, banks: &LoadReport, _out: &mut Vec<Command>) {
    if banks.failures.is_empty() {
        return;
    }
    ui.add_space(12.0);
    ui.heading("Banks that could not be loaded");
    for f in &banks.failures {
        ui.collapsing(
            format!("{} ({} problems)", f.dir.display(), f.errors.len()),
            |ui| {
                for e in &f.errors {
                    ui.label(
                        RichText::new(e.to_string())
                            .monospace()
                            .color(ui.visuals().error_fg_color),
                    );
                }
            },
        );
    }
}
