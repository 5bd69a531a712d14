//! The exam runner: one question at a time with its scenario, the navigation grid, flags,
//! the countdown, keyboard shortcuts, study-mode feedback, and the review-before-submit page.

use super::widgets::{bad_color, clock, good_color, letter};
use super::{Command, ExamView};
use crate::bank::{Bank, Question, QuestionType};
use crate::exam::{ExamSession, Mode, TimeWarning};
use egui::{Key, RichText, Ui};
use std::time::Instant;

pub const KEY_HELP: &str = "Keys: 1–8 or A–H choose an option (F always flags, so use 6 for option F) · \
     N or Right arrow next · P or Left arrow previous · F flag for review · R review and submit";

pub fn show(ui: &mut Ui, bank: &Bank, view: &ExamView, now: Instant, out: &mut Vec<Command>) {
    let s = &view.session;
    top_bar(ui, bank, s, now, out);
    nav_panel(ui, bank, s, out);
    if view.reviewing {
        review_keys(ui, out);
        review_page(ui, bank, s, out);
        return;
    }
    let Some(item) = s.items.get(s.current) else {
        return;
    };
    let Some(q) = bank.question(&item.question_id) else {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.label(format!(
                "Question {} is no longer in the bank; it will not be scored.",
                item.question_id
            ));
        });
        return;
    };
    keyboard(ui, s, q, out);
    egui::Panel::bottom("exam-actions").show(ui, |ui| {
        actions(ui, s, out);
        ui.label(RichText::new(KEY_HELP).small().weak());
    });
    egui::CentralPanel::default().show(ui, |ui| {
        // One scroll position per question: the next question starts at its top.
        egui::ScrollArea::vertical()
            .id_salt(("exam-question", s.current))
            .show(ui, |ui| {
                question_body(ui, bank, s, q, out);
            });
    });
}

fn top_bar(ui: &mut Ui, bank: &Bank, s: &ExamSession, now: Instant, out: &mut Vec<Command>) {
    egui::Panel::top("exam-top").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(RichText::new(&bank.manifest.title).strong());
            ui.separator();
            ui.label(format!("Question {} of {}", s.current + 1, s.len()));
            ui.separator();
            ui.label(format!("{} answered", s.answered_count()));
            ui.separator();
            match s.clock.remaining(now) {
                Some(left) => {
                    let color = match TimeWarning::for_remaining(Some(left)) {
                        TimeWarning::OneMinute => ui.visuals().error_fg_color,
                        TimeWarning::TenMinutes => ui.visuals().warn_fg_color,
                        TimeWarning::None => ui.visuals().text_color(),
                    };
                    ui.label(
                        RichText::new(format!("Time left {}", clock(left)))
                            .color(color)
                            .strong()
                            .monospace(),
                    );
                }
                None => {
                    ui.label("Study mode: untimed");
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button("Save and leave")
                    .on_hover_text("Pause; resume later from Home")
                    .clicked()
                {
                    out.push(Command::GoHome);
                }
            });
        });
    });
}

/// Colour-coded buttons, one per question: answered, flagged, current.
fn nav_panel(ui: &mut Ui, bank: &Bank, s: &ExamSession, out: &mut Vec<Command>) {
    egui::Panel::left("exam-nav")
        .resizable(false)
        .exact_size(240.0)
        .show(ui, |ui| {
            ui.label(RichText::new("Questions").strong());
            egui::ScrollArea::vertical()
                .id_salt("exam-nav")
                .show(ui, |ui| {
                    egui::Grid::new("nav-grid")
                        .spacing([4.0, 4.0])
                        .show(ui, |ui| {
                            for (i, st) in s.states.iter().enumerate() {
                                let mut text = RichText::new(format!("{}", i + 1)).monospace();
                                if st.flagged {
                                    text = text.color(ui.visuals().warn_fg_color).strong();
                                }
                                let mut b = egui::Button::new(text)
                                    .min_size(egui::vec2(34.0, 26.0))
                                    .selected(i == s.current);
                                if st.answered() {
                                    b = b.fill(answered_fill(ui));
                                }
                                if i == s.current {
                                    b = b.stroke(egui::Stroke::new(
                                        2.0,
                                        ui.visuals().selection.stroke.color,
                                    ));
                                }
                                let state = match (st.answered(), st.flagged) {
                                    (true, true) => "answered, flagged",
                                    (true, false) => "answered",
                                    (false, true) => "unanswered, flagged",
                                    (false, false) => "unanswered",
                                };
                                let domain = bank
                                    .question(&s.items[i].question_id)
                                    .map_or("", |q| bank.domain_name(&q.domain));
                                if ui
                                    .add(b)
                                    .on_hover_text(format!("{state} · {domain}"))
                                    .clicked()
                                {
                                    out.push(Command::GoTo(i));
                                }
                                if (i + 1) % 5 == 0 {
                                    ui.end_row();
                                }
                            }
                        });
                    ui.add_space(8.0);
                    ui.horizontal(|ui| {
                        let (rect, _) =
                            ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
                        ui.painter().rect_filled(rect, 2.0, answered_fill(ui));
                        ui.label(RichText::new("answered").small());
                    });
                    ui.label(
                        RichText::new("orange number: flagged")
                            .small()
                            .color(ui.visuals().warn_fg_color),
                    );
                    ui.label(RichText::new("highlighted: current").small());
                });
        });
}

fn answered_fill(ui: &Ui) -> egui::Color32 {
    if ui.visuals().dark_mode {
        egui::Color32::from_rgb(38, 92, 62)
    } else {
        egui::Color32::from_rgb(186, 226, 196)
    }
}

fn actions(ui: &mut Ui, s: &ExamSession, out: &mut Vec<Command>) {
    let st = &s.states[s.current];
    ui.horizontal(|ui| {
        if ui
            .add_enabled(s.current > 0, egui::Button::new("Previous"))
            .clicked()
        {
            out.push(Command::Previous);
        }
        if ui
            .add_enabled(s.current + 1 < s.len(), egui::Button::new("Next"))
            .clicked()
        {
            out.push(Command::Next);
        }
        let flag_label = if st.flagged {
            "Unflag"
        } else {
            "Flag for review"
        };
        if ui.button(flag_label).clicked() {
            out.push(Command::ToggleFlag(s.current));
        }
        if s.mode == Mode::Study
            && !st.checked
            && ui
                .add_enabled(st.answered(), egui::Button::new("Check answer"))
                .clicked()
        {
            out.push(Command::Check(s.current));
        }
        // Always in sight, whatever the length of the exam (the grid of 100+ scrolls).
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let label = match s.mode {
                Mode::Exam => "Review and submit",
                Mode::Study => "Finish session",
            };
            if ui.button(RichText::new(label).strong()).clicked() {
                out.push(Command::OpenReview);
            }
        });
    });
}

fn keyboard(ui: &mut Ui, s: &ExamSession, q: &Question, out: &mut Vec<Command>) {
    let order = &s.items[s.current].option_order;
    ui.input(|i| {
        if i.modifiers.any() {
            return;
        }
        let pick = picked_option(i);
        if let Some(p) = pick.filter(|p| *p < order.len()) {
            out.push(Command::Choose {
                index: s.current,
                option: order[p].clone(),
            });
        }
        if i.key_pressed(Key::N) || i.key_pressed(Key::ArrowRight) {
            out.push(Command::Next);
        }
        if i.key_pressed(Key::P) || i.key_pressed(Key::ArrowLeft) {
            out.push(Command::Previous);
        }
        if i.key_pressed(Key::F) {
            out.push(Command::ToggleFlag(s.current));
        }
        if i.key_pressed(Key::R) {
            out.push(Command::OpenReview);
        }
        if s.mode == Mode::Study && i.key_pressed(Key::Enter) && s.states[s.current].answered() {
            out.push(Command::Check(s.current));
        }
    });
    let _ = q;
}

/// The option position a key press picks: 1–8, or A–E, G, H (F is kept for "flag").
pub(super) fn picked_option(i: &egui::InputState) -> Option<usize> {
    const NUMS: [Key; 8] = [
        Key::Num1,
        Key::Num2,
        Key::Num3,
        Key::Num4,
        Key::Num5,
        Key::Num6,
        Key::Num7,
        Key::Num8,
    ];
    const LETTERS: [(Key, usize); 7] = [
        (Key::A, 0),
        (Key::B, 1),
        (Key::C, 2),
        (Key::D, 3),
        (Key::E, 4),
        (Key::G, 6),
        (Key::H, 7),
    ];
    let mut pick = None;
    for (n, k) in NUMS.iter().enumerate() {
        if i.key_pressed(*k) {
            pick = Some(n);
        }
    }
    for (k, n) in LETTERS {
        if i.key_pressed(k) {
            pick = Some(n);
        }
    }
    pick
}

fn question_body(ui: &mut Ui, bank: &Bank, s: &ExamSession, q: &Question, out: &mut Vec<Command>) {
    let st = &s.states[s.current];
    if st.flagged {
        ui.label(RichText::new("Flagged for review").color(ui.visuals().warn_fg_color));
    }
    question_header(ui, bank, q);
    let order = &s.items[s.current].option_order;
    let enabled = s.is_open() && !st.checked;
    if let Some(oid) = option_list(ui, q, order, &st.selected, enabled, st.checked) {
        out.push(Command::Choose {
            index: s.current,
            option: oid,
        });
    }
    if st.checked {
        ui.add_space(8.0);
        study_feedback(ui, q, q.is_correct(&st.selected));
    }
}

/// The options in this showing's order as radio buttons or checkboxes, with each option's
/// explanation under it once the answer is checked. Returns the option clicked, if any.
pub(super) fn option_list(
    ui: &mut Ui,
    q: &Question,
    order: &[String],
    selected: &[String],
    enabled: bool,
    checked: bool,
) -> Option<String> {
    let mut clicked_option = None;
    for (pos, oid) in order.iter().enumerate() {
        let Some(opt) = q.option(oid) else { continue };
        let is_selected = selected.iter().any(|x| x == oid);
        let text = format!("{}. {}", letter(pos), opt.text);
        if checked {
            // After checking, the options are read, not clicked: drawn at full strength in
            // the verdict's colours rather than greyed out like disabled widgets.
            checked_option(ui, q.kind, &text, opt.correct, is_selected);
            feedback_line(ui, opt, is_selected);
            continue;
        }
        let clicked = ui
            .add_enabled_ui(enabled, |ui| match q.kind {
                QuestionType::Multiple => {
                    let mut on = is_selected;
                    ui.checkbox(&mut on, text).clicked()
                }
                _ => ui.radio(is_selected, text).clicked(),
            })
            .inner;
        if clicked {
            clicked_option = Some(oid.clone());
        }
    }
    clicked_option
}

/// An option after the answer was checked: the same radio or checkbox, no longer clickable
/// but at full strength (not greyed out like other disabled widgets), its text green for a
/// right answer and red for a wrong choice.
fn checked_option(ui: &mut Ui, kind: QuestionType, text: &str, correct: bool, selected: bool) {
    let mut line = RichText::new(text);
    if correct {
        line = line.color(good_color(ui));
    } else if selected {
        line = line.color(bad_color(ui));
    }
    ui.scope(|ui| {
        ui.visuals_mut().disabled_alpha = 1.0;
        ui.add_enabled_ui(false, |ui| match kind {
            QuestionType::Multiple => {
                let mut on = selected;
                ui.checkbox(&mut on, line);
            }
            _ => {
                ui.add(egui::RadioButton::new(selected, line));
            }
        });
    });
}

/// A question with its key: the scenario and stem, every option with the right ones in the
/// right-answer colour and each option's explanation, then the question's explanation.
pub(super) fn answer_key(ui: &mut Ui, bank: &Bank, q: &Question) {
    question_header(ui, bank, q);
    for (pos, opt) in q.options.iter().enumerate() {
        checked_option(
            ui,
            q.kind,
            &format!("{}. {}", letter(pos), opt.text),
            opt.correct,
            false,
        );
        if let Some(e) = &opt.explanation {
            ui.indent(("key-exp", &opt.id), |ui| {
                ui.label(RichText::new(e).small())
            });
        }
    }
    if let Some(e) = &q.explanation {
        ui.label(e);
    }
}

/// Skill area and question type, the scenario if any, and the stem.
pub(super) fn question_header(ui: &mut Ui, bank: &Bank, q: &Question) {
    ui.label(
        RichText::new(format!(
            "{} · {}",
            bank.domain_name(&q.domain),
            match q.kind {
                QuestionType::Single => "choose one",
                QuestionType::Multiple => "choose all that apply",
                QuestionType::TrueFalse => "true or false",
            }
        ))
        .small()
        .weak(),
    );
    if let Some(text) = bank.scenario_text(q) {
        egui::Frame::group(ui.style())
            .fill(ui.visuals().faint_bg_color)
            .show(ui, |ui| {
                ui.label(RichText::new("Scenario").strong());
                ui.label(text);
            });
        ui.add_space(6.0);
    }
    ui.label(
        RichText::new(&q.stem)
            .size(18.0)
            .color(ui.visuals().strong_text_color()),
    );
    ui.add_space(8.0);
}

fn feedback_line(ui: &mut Ui, opt: &crate::bank::AnswerOption, selected: bool) {
    let mark = match (opt.correct, selected) {
        (true, true) => RichText::new("Your choice — correct").color(good_color(ui)),
        (true, false) => RichText::new("Correct answer").color(good_color(ui)),
        (false, true) => RichText::new("Your choice — incorrect").color(bad_color(ui)),
        (false, false) => RichText::new("Incorrect").weak(),
    };
    ui.indent(("fb", &opt.id), |ui| {
        ui.label(mark.small());
        if let Some(e) = &opt.explanation {
            ui.label(RichText::new(e).small());
        }
    });
}

pub(super) fn study_feedback(ui: &mut Ui, q: &Question, ok: bool) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        if ok {
            ui.label(RichText::new("Correct").color(good_color(ui)).strong());
        } else {
            ui.label(RichText::new("Not quite").color(bad_color(ui)).strong());
        }
        if let Some(e) = &q.explanation {
            ui.label(e);
        }
        if let Some(r) = &q.reference {
            ui.label(RichText::new(r).small().weak());
        }
    });
}

/// Shown on the review page.
pub const REVIEW_KEY_HELP: &str = "Keys: Ctrl+Enter submits · Escape returns to the exam · Tab moves between links and buttons, Enter presses one";

/// On the review page: Ctrl+Enter submits (Tab would have to pass every listed question),
/// Escape goes back to the exam.
fn review_keys(ui: &mut Ui, out: &mut Vec<Command>) {
    let (submit, back) = ui.input(|i| {
        (
            i.modifiers.command_only() && i.key_pressed(Key::Enter),
            !i.modifiers.any() && i.key_pressed(Key::Escape),
        )
    });
    if submit {
        out.push(Command::Submit);
    } else if back {
        out.push(Command::CloseReview);
    }
}

fn review_page(ui: &mut Ui, bank: &Bank, s: &ExamSession, out: &mut Vec<Command>) {
    let unanswered = s.unanswered();
    let flagged = s.flagged();
    // The way out stays in view however long the lists are: with 100 questions and few
    // answered, the unanswered list alone is taller than the window.
    egui::Panel::bottom("review-actions").show(ui, |ui| {
        ui.add_space(4.0);
        if !unanswered.is_empty() {
            ui.label(
                RichText::new(format!(
                    "{} score zero.",
                    crate::text::count(
                        unanswered.len(),
                        "unanswered question",
                        "unanswered questions"
                    )
                ))
                .color(ui.visuals().warn_fg_color),
            );
        }
        ui.horizontal(|ui| {
            if ui.button("Return to the exam").clicked() {
                out.push(Command::CloseReview);
            }
            let label = if s.mode == Mode::Exam {
                "Submit exam"
            } else {
                "Finish and see results"
            };
            if ui.button(RichText::new(label).strong()).clicked() {
                out.push(Command::Submit);
            }
        });
        ui.label(RichText::new(REVIEW_KEY_HELP).small().weak());
    });
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("exam-review")
            .show(ui, |ui| {
                ui.heading(if s.mode == Mode::Exam {
                    "Review before submitting"
                } else {
                    "Finish study session"
                });
                ui.label(format!(
                    "{} of {} questions answered.",
                    s.answered_count(),
                    s.len()
                ));
                // Flagged first: the questions the learner asked to see again, usually few.
                list_section(ui, bank, s, "Flagged for review", &flagged, out);
                list_section(ui, bank, s, "Unanswered", &unanswered, out);
                if unanswered.is_empty() && flagged.is_empty() {
                    ui.label("Every question is answered and nothing is flagged.");
                }
            });
    });
}

/// Lists longer than this start folded, so the flagged list above stays in sight.
const OPEN_LIST_MAX: usize = 20;

fn list_section(
    ui: &mut Ui,
    bank: &Bank,
    s: &ExamSession,
    title: &str,
    indices: &[usize],
    out: &mut Vec<Command>,
) {
    if indices.is_empty() {
        return;
    }
    ui.add_space(8.0);
    egui::CollapsingHeader::new(RichText::new(format!("{title} ({})", indices.len())).strong())
        .id_salt(title)
        .default_open(indices.len() <= OPEN_LIST_MAX)
        .show(ui, |ui| {
            for &i in indices {
                let stem = bank
                    .question(&s.items[i].question_id)
                    .map_or(String::new(), |q| short(&q.stem, 90));
                if ui.link(format!("{}. {stem}", i + 1)).clicked() {
                    out.push(Command::GoTo(i));
                    out.push(Command::CloseReview);
                }
            }
        });
}

/// The first `max` characters of `text`, cut on a character boundary.
pub fn short(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}
