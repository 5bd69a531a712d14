//! Attempt history: every exam and tutor session that is over, newest first (date, mode,
//! skill areas, score, time used, a study-group pack's title), each finished one a click
//! away from its review on the Results screen. Rows are laid out only where they are in
//! view, so hundreds of attempts cost what a screenful does.

use super::widgets::{clock, local_time};
use super::{CertprepApp, Command, Screen, error_notice};
use crate::bank::LoadReport;
use crate::exam::Mode;
use crate::store::history::PastAttempt;
use egui::{RichText, Ui};

/// How many past attempts the screen lists (years of daily practice).
const MAX_LISTED: usize = 10_000;

/// The most an attempt's title takes of its row, in points: a bank's or a pack's title in
/// full at the usual lengths, with room left for the score, time and areas in a 1100-point
/// window.
const TITLE_WIDTH: f32 = 320.0;

#[derive(Debug, Clone, PartialEq)]
pub enum AttemptsCmd {
    /// Open the history, read afresh from the database.
    Open,
}

impl From<AttemptsCmd> for Command {
    fn from(c: AttemptsCmd) -> Command {
        Command::Attempts(c)
    }
}

/// The history screen's state: the attempts as read when it was opened.
pub struct AttemptsView {
    pub attempts: Vec<PastAttempt>,
}

pub fn show(ui: &mut Ui, banks: &LoadReport, view: &AttemptsView, out: &mut Vec<Command>) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.heading("Attempt history");
        if view.attempts.is_empty() {
            ui.label("No exam or tutor session is over yet: finished ones are listed here.");
            return;
        }
        ui.label(format!(
            "{}, newest first. Review opens an attempt's questions with filters and a retake.",
            crate::text::count(view.attempts.len(), "attempt", "attempts")
        ));
        ui.add_space(6.0);
        let row_height = ui.text_style_height(&egui::TextStyle::Button) + 12.0;
        egui::ScrollArea::both()
            .id_salt("attempt-history")
            .auto_shrink([false, false])
            .show_rows(ui, row_height, view.attempts.len(), |ui, range| {
                for a in &view.attempts[range] {
                    ui.horizontal(|ui| {
                        ui.set_min_height(row_height - ui.spacing().item_spacing.y);
                        row(ui, banks, a, out)
                    });
                }
            });
    });
}

/// One attempt on one line: the button first, so a narrow window never pushes it off.
fn row(ui: &mut Ui, banks: &LoadReport, a: &PastAttempt, out: &mut Vec<Command>) {
    let s = &a.summary;
    let bank = banks.bank(&s.bank_id);
    let button = egui::Button::new(format!("Review #{}", s.id));
    let reviewable = bank.is_some() && !a.is_abandoned();
    let hover = if a.is_abandoned() {
        "Abandoned: it was never scored, so there is nothing to review."
    } else if bank.is_none() {
        "Its bank is not loaded."
    } else {
        "Open its questions with filters and a retake."
    };
    if ui
        .add_enabled(reviewable, button)
        .on_hover_text(hover)
        .on_disabled_hover_text(hover)
        .clicked()
    {
        out.push(Command::ShowResults(s.id));
    }
    ui.label(local_time(s.finished_at.unwrap_or(s.started_at)));
    ui.label(mode_label(s));
    let title = s
        .title
        .as_deref()
        .unwrap_or_else(|| bank.map_or(s.bank_id.as_str(), |b| b.manifest.title.as_str()));
    // A study-group pack's title can run long: cut to its slot (egui shows a cut label whole
    // on hover), so the columns after it stay in the window.
    ui.scope(|ui| {
        ui.set_max_width(TITLE_WIDTH);
        ui.add(egui::Label::new(RichText::new(title).strong()).truncate());
    });
    match (a.is_abandoned(), s.percent()) {
        (true, _) => {
            ui.label(RichText::new("abandoned, not scored").color(ui.visuals().warn_fg_color));
        }
        (false, Some(p)) => {
            ui.label(format!(
                "{}/{} ({p:.0}%)",
                s.correct.unwrap_or(0),
                s.total.unwrap_or(0)
            ));
        }
        (false, None) => {
            ui.label("no score");
        }
    }
    ui.label(match a.time_limit {
        Some(limit) => format!("{} of {}", clock(a.time_used), clock(limit)),
        None => clock(a.time_used),
    });
    ui.label(areas_text(banks, a))
        .on_hover_text(area_names(banks, a));
}

/// "2 skill areas: Leadership, Budget", shortened to the count past two.
fn areas_text(banks: &LoadReport, a: &PastAttempt) -> String {
    match a.areas.len() {
        0 => String::new(),
        1 | 2 => area_names(banks, a),
        n => format!("{n} skill areas"),
    }
}

fn area_names(banks: &LoadReport, a: &PastAttempt) -> String {
    let bank = banks.bank(&a.summary.bank_id);
    a.areas
        .iter()
        .map(|id| bank.map_or(id.as_str(), |b| b.domain_name(id)))
        .collect::<Vec<_>>()
        .join(", ")
}

impl CertprepApp {
    pub(super) fn run_attempts(&mut self, cmd: AttemptsCmd) {
        match cmd {
            AttemptsCmd::Open => {
                let Ok(store) = &self.store else {
                    return;
                };
                match store.past_attempts(MAX_LISTED) {
                    Ok(attempts) => {
                        self.screen = Screen::Attempts(Box::new(AttemptsView { attempts }))
                    }
                    Err(e) => {
                        self.notice = Some(error_notice(format!(
                            "The attempt history could not be read: {e}"
                        )))
                    }
                }
            }
        }
    }
}

/// How an attempt was sat: a timed mock exam, timed practice (a filtered session or a retake,
/// not counted as a mock exam), or tutor mode.
fn mode_label(s: &crate::store::AttemptSummary) -> &'static str {
    match (s.mode, s.practice) {
        (Mode::Exam, false) => "Exam",
        (Mode::Exam, true) => "Practice",
        (Mode::Study, _) => "Tutor",
    }
}
