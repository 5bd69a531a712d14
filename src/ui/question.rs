//! How a question is drawn: its header (skill area, what to choose, scenario, stem), the
//! options as radio buttons or checkboxes, the feedback after checking and the answer key.
//! Shared by the exam, Study, Results and study-group screens.

use super::rich::{self, Look};
use super::widgets::{bad_color, good_color, letter};
use crate::bank::{Bank, Picks, Question, QuestionType};
use egui::{Key, RichText, Ui};
use std::path::Path;

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

/// The options in this showing's order as radio buttons or checkboxes, with each option's
/// explanation under it once the answer is checked. Returns the option clicked, if any.
/// A choose-N question with N picks made greys out the others and says how to change.
pub(super) fn option_list(
    ui: &mut Ui,
    bank: &Bank,
    q: &Question,
    order: &[String],
    selected: &[String],
    enabled: bool,
    checked: bool,
) -> Option<String> {
    let mut clicked_option = None;
    let room = q.picks().room_after(selected.len());
    for (pos, oid) in order.iter().enumerate() {
        let Some(opt) = q.option(oid) else { continue };
        let is_selected = selected.iter().any(|x| x == oid);
        let prefix = format!("{}. ", letter(pos));
        if checked {
            // After checking, the options are read, not clicked: drawn at full strength in
            // the verdict's colours rather than greyed out like disabled widgets.
            checked_option(
                ui,
                &bank.root,
                q.kind,
                &prefix,
                &opt.text,
                opt.correct,
                is_selected,
            );
            feedback_line(ui, &bank.root, opt, is_selected);
            continue;
        }
        let clickable = enabled && (is_selected || room || q.kind != QuestionType::Multiple);
        let (text, below) = rich::option_label(ui, &prefix, &opt.text, Look::body());
        let clicked = ui
            .add_enabled_ui(clickable, |ui| match q.kind {
                QuestionType::Multiple => {
                    let mut on = is_selected;
                    ui.checkbox(&mut on, text).clicked()
                }
                _ => ui.radio(is_selected, text).clicked(),
            })
            .inner;
        option_rest(ui, &bank.root, &opt.id, &below, Look::body());
        if clicked {
            clicked_option = Some(oid.clone());
        }
    }
    if !checked {
        picks_hint(ui, q, selected.len());
    }
    clicked_option
}

/// Under a choose-N question: how many are chosen of how many, and how to change a full set.
fn picks_hint(ui: &mut Ui, q: &Question, chosen: usize) {
    let Picks::Exactly(n) = q.picks() else {
        return;
    };
    if q.kind != QuestionType::Multiple {
        return;
    }
    let text = if chosen < n {
        format!(
            "{chosen} of {n} chosen. Choose {}.",
            crate::text::number_word(n)
        )
    } else {
        format!("{chosen} of {n} chosen. To change, clear one of them first.")
    };
    ui.add_space(4.0);
    ui.label(RichText::new(text).weak());
}

/// An option after the answer was checked: the same radio or checkbox, no longer clickable
/// but at full strength (not greyed out like other disabled widgets), its text green for a
/// right answer and red for a wrong choice.
fn checked_option(
    ui: &mut Ui,
    root: &Path,
    kind: QuestionType,
    prefix: &str,
    text: &str,
    correct: bool,
    selected: bool,
) {
    let color = if correct {
        Some(good_color(ui))
    } else if selected {
        Some(bad_color(ui))
    } else {
        None
    };
    let look = Look {
        color,
        ..Look::body()
    };
    let (line, below) = rich::option_label(ui, prefix, text, look);
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
    option_rest(ui, root, prefix, &below, look);
}

/// What an option holds after its first paragraph (a code block, a list, an image), under
/// its button.
fn option_rest(ui: &mut Ui, root: &Path, id: &str, below: &[crate::markup::Block], look: Look) {
    if below.is_empty() {
        return;
    }
    ui.indent(("option-rest", id), |ui| {
        rich::blocks(ui, root, below, look, 0)
    });
}

/// A question with its key: the scenario and stem, every option with the right ones in the
/// right-answer colour and each option's explanation, then the question's explanation.
pub(super) fn answer_key(ui: &mut Ui, bank: &Bank, q: &Question) {
    question_header(ui, bank, q);
    for (pos, opt) in q.options.iter().enumerate() {
        checked_option(
            ui,
            &bank.root,
            q.kind,
            &format!("{}. ", letter(pos)),
            &opt.text,
            opt.correct,
            false,
        );
        if let Some(e) = &opt.explanation {
            ui.indent(("key-exp", &opt.id), |ui| {
                rich::show(ui, &bank.root, e, Look::small())
            });
        }
    }
    if let Some(e) = &q.explanation {
        rich::show(ui, &bank.root, e, Look::body());
    }
}

/// Skill area and question type, the scenario if any, and the stem.
pub(super) fn question_header(ui: &mut Ui, bank: &Bank, q: &Question) {
    ui.label(
        RichText::new(format!(
            "{} · {}",
            bank.domain_name(&q.domain),
            q.instruction()
        ))
        .small()
        .weak(),
    );
    if let Some(text) = bank.scenario_text(q) {
        egui::Frame::group(ui.style())
            .fill(ui.visuals().faint_bg_color)
            .show(ui, |ui| {
                ui.label(RichText::new("Scenario").strong());
                rich::show(ui, &bank.root, text, Look::body());
            });
        ui.add_space(6.0);
    }
    let stem = Look {
        size: Some(18.0),
        color: Some(ui.visuals().strong_text_color()),
        ..Look::default()
    };
    rich::show(ui, &bank.root, &q.stem, stem);
    ui.add_space(8.0);
}

fn feedback_line(ui: &mut Ui, root: &Path, opt: &crate::bank::AnswerOption, selected: bool) {
    let mark = match (opt.correct, selected) {
        (true, true) => RichText::new("Your choice — correct").color(good_color(ui)),
        (true, false) => RichText::new("Correct answer").color(good_color(ui)),
        (false, true) => RichText::new("Your choice — incorrect").color(bad_color(ui)),
        (false, false) => RichText::new("Incorrect").weak(),
    };
    ui.indent(("fb", &opt.id), |ui| {
        ui.label(mark.small());
        if let Some(e) = &opt.explanation {
            rich::show(ui, root, e, Look::small());
        }
    });
}

pub(super) fn study_feedback(ui: &mut Ui, bank: &Bank, q: &Question, ok: bool) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        if ok {
            ui.label(RichText::new("Correct").color(good_color(ui)).strong());
        } else {
            ui.label(RichText::new("Not quite").color(bad_color(ui)).strong());
        }
        if let Some(e) = &q.explanation {
            rich::show(ui, &bank.root, e, Look::body());
        }
        if let Some(r) = &q.reference {
            ui.label(RichText::new(r).small().weak());
        }
    });
}

/// The first `max` characters of a bank text, cut on a character boundary. A text with
/// formatting is previewed as plain characters on one line (marks gone, blocks apart); a
/// plain text is cut as it always was.
pub(super) fn short(text: &str, max: usize) -> String {
    let plain = if crate::markup::is_plain(text) {
        text.to_string()
    } else {
        crate::markup::to_plain(text).replace('\n', " · ")
    };
    let text = plain.as_str();
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}
