//! Study: today's spaced-repetition queue (due cards first, then new questions), one
//! question at a time, feedback with every explanation, then a one-key confidence rating.

use super::exam::{option_list, picked_option, question_header, study_feedback};
use super::{Command, StudyView};
use crate::bank::Bank;
use crate::srs::{Confidence, StudyScope};
use egui::{Key, RichText, Ui};

pub const STUDY_HELP: &str = "Keys: 1–8 or A–H choose · Enter checks the answer · after a right \
     answer 1 Hard, 2 Good, 3 Easy (Enter = Good) · after a wrong one Enter continues. \
     Wrong answers come back soon; Hard/Good/Easy set how long until you see a question again.";

pub fn show(ui: &mut Ui, bank: &Bank, view: &StudyView, out: &mut Vec<Command>) {
    let s = &view.session;
    egui::Panel::top("study-top").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("Study · {}", bank.manifest.title)).strong());
            match &s.scope {
                StudyScope::Bank => {}
                StudyScope::Area(a) => {
                    ui.separator();
                    ui.label(bank.domain_name(a));
                }
                StudyScope::Missed { .. } => {
                    ui.separator();
                    ui.label("Questions you missed in the exam");
                }
            }
            ui.separator();
            ui.label(format!(
                "{} done · {} to go · {} right",
                s.reviewed,
                s.remaining(),
                s.correct
            ));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Stop for now").clicked() {
                    out.push(Command::GoHome);
                }
            });
        });
        ui.add(
            egui::ProgressBar::new(s.progress())
                .desired_width(ui.available_width())
                .text(format!(
                    "{}: {:.0}%",
                    match s.scope {
                        StudyScope::Missed { .. } => "Missed questions",
                        _ => "Today's queue",
                    },
                    s.progress() * 100.0
                )),
        );
    });
    let Some((item, state)) = &s.current else {
        finished(ui, bank, view, out);
        return;
    };
    let Some(q) = bank.question(&item.question_id) else {
        return;
    };
    let result = s.checked_result(bank);
    keyboard(ui, &item.option_order, state.answered(), result, out);
    egui::Panel::bottom("study-actions").show(ui, |ui| {
        ui.horizontal(|ui| match result {
            None => {
                if ui
                    .add_enabled(state.answered(), egui::Button::new("Check answer"))
                    .clicked()
                {
                    out.push(Command::StudyCheck);
                }
            }
            Some(true) => {
                ui.label("How sure were you?");
                for (c, key) in [
                    (Confidence::Hard, "1"),
                    (Confidence::Good, "2"),
                    (Confidence::Easy, "3"),
                ] {
                    if ui.button(format!("{} ({key})", c.label())).clicked() {
                        out.push(Command::StudyRate(c));
                    }
                }
            }
            Some(false) => {
                if ui.button("Continue (Enter)").clicked() {
                    out.push(Command::StudyRate(Confidence::Good));
                }
                ui.label(RichText::new("This question will come back soon.").weak());
            }
        });
        ui.label(RichText::new(STUDY_HELP).small().weak());
    });
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt(("study-question", &item.question_id))
            .show(ui, |ui| {
                question_header(ui, bank, q);
                let checked = state.checked;
                if let Some(o) = option_list(
                    ui,
                    q,
                    &item.option_order,
                    &state.selected,
                    !checked,
                    checked,
                ) {
                    out.push(Command::StudyChoose(o));
                }
                if let Some(ok) = result {
                    ui.add_space(8.0);
                    study_feedback(ui, q, ok);
                }
            });
    });
}

fn keyboard(
    ui: &mut Ui,
    order: &[String],
    answered: bool,
    result: Option<bool>,
    out: &mut Vec<Command>,
) {
    ui.input(|i| {
        if i.modifiers.any() {
            return;
        }
        match result {
            None => {
                if let Some(p) = picked_option(i).filter(|p| *p < order.len()) {
                    out.push(Command::StudyChoose(order[p].clone()));
                }
                if answered && i.key_pressed(Key::Enter) {
                    out.push(Command::StudyCheck);
                }
            }
            Some(right) => {
                let rate = if right && i.key_pressed(Key::Num1) {
                    Some(Confidence::Hard)
                } else if right && i.key_pressed(Key::Num3) {
                    Some(Confidence::Easy)
                } else if i.key_pressed(Key::Enter) || (right && i.key_pressed(Key::Num2)) {
                    Some(Confidence::Good)
                } else {
                    None
                };
                if let Some(c) = rate {
                    out.push(Command::StudyRate(c));
                }
            }
        }
    });
}

/// How many extra new questions "Study more" offers at a time.
const MORE_NEW: usize = 10;

/// Questions of the session's bank (or area) never answered yet.
fn unseen_in_scope(bank: &Bank, s: &crate::srs::StudySession) -> usize {
    bank.questions
        .iter()
        .filter(|q| s.scope.area().is_none_or(|a| a == q.domain))
        .filter(|q| !s.cards.contains_key(&q.id))
        .count()
}

fn finished(ui: &mut Ui, bank: &Bank, view: &StudyView, out: &mut Vec<Command>) {
    let s = &view.session;
    let unseen = unseen_in_scope(bank, s);
    egui::CentralPanel::default().show(ui, |ui| {
        ui.heading("Done for now");
        if s.reviewed == 0 && unseen == 0 {
            ui.label("Nothing is due, and you have seen every question here. Come back when reviews fall due, or sit a mock exam.");
        } else if s.reviewed == 0 {
            ui.label("Nothing is due and today's new questions are used up. Come back tomorrow, study a few more now, or raise the daily new-question limit in Settings.");
        } else {
            if let StudyScope::Missed { .. } = s.scope {
                ui.label("You have been through every question you missed in that exam.");
            }
            ui.label(format!(
                "You answered {}, {} of them right ({:.0}%). Every answer is saved and scheduled.",
                crate::text::count(s.reviewed, "question", "questions"),
                s.correct,
                100.0 * s.correct as f64 / s.reviewed as f64
            ));
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if !matches!(s.scope, StudyScope::Missed { .. }) && unseen > 0 {
                let more = unseen.min(MORE_NEW);
                if ui
                    .button(format!(
                        "Study {}",
                        crate::text::count(more, "more new question", "more new questions")
                    ))
                    .on_hover_text("Beyond today's limit, this once; the limit itself stays as set in Settings.")
                    .clicked()
                {
                    out.push(Command::StudyMoreNew(more));
                }
            }
            if let StudyScope::Missed { attempt_id } = s.scope
                && ui.button("Back to the results").clicked()
            {
                out.push(Command::ShowResults(attempt_id));
            }
            if ui.button("Back to the dashboard").clicked() {
                out.push(Command::GoHome);
            }
        });
    });
}
