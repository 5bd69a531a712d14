//! The exam runner: one question at a time with its scenario, the navigation grid, flags,
//! the countdown, keyboard shortcuts, study-mode feedback, and the review-before-submit page.
//!
//! The screen owns the running exam ([`ExamView`]) and its commands ([`ExamCmd`]): starting
//! or resuming an attempt, every answer written to the database as it is given, submitting
//! it to the Results screen, and discarding an unfinished one from Home.

use super::question::{option_list, picked_option, question_header, short, study_feedback};
use super::widgets::{FooterAfter, clock, main_beside_strip};
use super::{CertprepApp, Command, Notice, NoticeKind, ResultsView, Screen, error_notice};
use crate::bank::{Bank, Question};
use crate::exam::{AnswerConfidence, ExamItem, ExamSession, Mode, ScoreReport, TimeWarning};
use crate::store::{NewAttempt, Store, StoreError};
use egui::{Key, RichText, Ui};
use std::time::{Duration, Instant};

/// How often the used time of a running exam is written, besides every answer and move.
const HEARTBEAT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, PartialEq)]
pub enum ExamCmd {
    /// Carry on with an unfinished attempt (offered on Home).
    Resume(i64),
    /// Give up an unfinished attempt (Home asks first). It is not scored, but what was
    /// answered still counts: see [`CertprepApp::discard`].
    Discard(i64),
    Choose {
        index: usize,
        option: String,
    },
    ToggleFlag(usize),
    /// Exam mode with Settings' "Ask how sure I am": mark (or, the same again, unmark) how
    /// sure the candidate is of an answer.
    SetConfidence {
        index: usize,
        confidence: AnswerConfidence,
    },
    /// Open this question (from the grid or a review-page link; leaves the review page).
    GoTo(usize),
    Next,
    Previous,
    /// Study mode: lock the answer and show the feedback.
    Check(usize),
    OpenReview,
    CloseReview,
    Submit,
    /// Pause the clock and go Home; the exam is offered there to resume.
    SaveAndLeave,
}

impl From<ExamCmd> for Command {
    fn from(c: ExamCmd) -> Command {
        Command::Exam(c)
    }
}

/// A running exam or study session and what the runner remembers about it.
pub struct ExamView {
    pub session: ExamSession,
    /// What the header calls it: a study-group pack's own title, else the bank's.
    pub title: String,
    pub reviewing: bool,
    /// Just resumed: the page says so until the first thing the candidate does.
    pub resumed: bool,
    /// Settings → "Ask how sure I am in exams": the confidence choice under each question.
    pub ask_confidence: bool,
    last_saved: Instant,
    warned: TimeWarning,
}

/// Everything about a new attempt except its bank: what [`CertprepApp::begin_attempt`] writes.
pub(super) struct AttemptSpec {
    pub mode: Mode,
    pub seed: u64,
    pub pass_percent: f64,
    pub time_limit: Option<Duration>,
    pub items: Vec<ExamItem>,
    pub pack_id: Option<String>,
    /// The pack's title, for a pack; `None` uses the bank's.
    pub title: Option<String>,
    /// A mock exam (the whole bank by the blueprint, or a pack): readiness records its
    /// prediction and learns realism from it. `false`: practice (a filtered session, a retake),
    /// kept as such on the attempt ([`crate::store::NewAttempt::practice`]).
    pub predict: bool,
}

pub const KEY_HELP: &str = "Keys: 1–8 or A–H choose an option (F always flags, so use 6 for option F) · \
     N or Right arrow next · P or Left arrow previous · F flag for review · R review and submit";

/// The key help in one short line, for a window with little height to spare (large text).
pub const KEY_HELP_SHORT: &str = "Keys: 1–8 choose · N next · P previous · F flag · R review";

/// Below this height (points) the question page shows the short key help.
pub(super) const ROOMY_HEIGHT: f32 = 560.0;

/// The widest a question's text runs (points): longer lines are hard to follow.
pub(super) const READABLE_WIDTH: f32 = 960.0;

/// Under the key help when the confidence choice is on.
pub const CONFIDENCE_KEY_HELP: &str =
    "How sure: S sure · U unsure · G guess (use 7 for option G); the same key again clears it";

/// Shown on the review page.
pub const REVIEW_KEY_HELP: &str = "Keys: Ctrl+Enter submits · Escape returns to the exam · Tab moves between links and buttons, Enter presses one";

/// Said on the exam page after a resume.
pub const RESUMED_TEXT: &str = "Exam resumed with your answers, flags and remaining time. \
     Time while certprep was closed does not count.";

// ---------------------------------------------------------------------------------------------
// Drawing

pub fn show(ui: &mut Ui, bank: &Bank, view: &ExamView, now: Instant, out: &mut Vec<Command>) {
    let s = &view.session;
    top_bar(ui, bank, view, now);
    // egui moves the keyboard focus in the order widgets are drawn, and the grid of up to a
    // few hundred question buttons would otherwise come first: the page is drawn before the
    // grid beside it, so Tab reaches the page's own options, links and buttons first.
    let strip_width = nav_width(ui.available_width());
    let mut page = main_beside_strip(ui, strip_width);
    if view.reviewing {
        review_keys(&page, out);
        review_page(&mut page, bank, s, out);
    } else {
        question_page(&mut page, bank, view, out);
    }
    egui::Panel::left("exam-nav")
        .resizable(false)
        .exact_size(strip_width)
        .show(ui, |ui| nav_grid(ui, bank, s, out));
}

/// The grid's share of the window: a quarter, between room for two and five columns.
fn nav_width(available: f32) -> f32 {
    (available * 0.25).clamp(110.0, 240.0)
}

/// Title, position, answered count and the countdown; labels only (the buttons live at the
/// bottom of each page, after the page's own content in the Tab order). Wraps onto a second
/// line when the window is narrow or the text large, rather than overlapping.
fn top_bar(ui: &mut Ui, bank: &Bank, view: &ExamView, now: Instant) {
    let s = &view.session;
    egui::Panel::top("exam-top").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&view.title).strong());
            ui.separator();
            ui.label(format!("Question {} of {}", s.current + 1, s.len()));
            ui.separator();
            ui.label(format!("{} answered", s.answered_count(bank)));
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
        });
        if view.resumed {
            ui.label(RichText::new(RESUMED_TEXT).color(ui.visuals().hyperlink_color));
        }
    });
}

/// Colour-coded buttons, one per question: answered, flagged, current. They flow into as
/// many columns as the strip's width holds.
fn nav_grid(ui: &mut Ui, bank: &Bank, s: &ExamSession, out: &mut Vec<Command>) {
    ui.label(RichText::new("Questions").strong());
    egui::ScrollArea::vertical()
        .id_salt("exam-nav")
        .show(ui, |ui| {
            // Every button as wide as the widest number, so the flow lines up in columns.
            let digits = s.len().to_string().len() as f32;
            let cell = egui::vec2(18.0 + 9.0 * digits, 26.0);
            ui.horizontal_wrapped(|ui| {
                ui.spacing_mut().item_spacing = egui::vec2(4.0, 4.0);
                for i in 0..s.len() {
                    if nav_button(ui, bank, s, i, cell).clicked() {
                        out.push(ExamCmd::GoTo(i).into());
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
            ui.horizontal(|ui| {
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
                let outline = egui::Stroke::new(2.0, answered_fill(ui));
                ui.painter()
                    .rect_stroke(rect, 2.0, outline, egui::StrokeKind::Inside);
                ui.label(RichText::new("outlined: partly answered").small());
            });
            ui.label(
                RichText::new("orange number: flagged")
                    .small()
                    .color(ui.visuals().warn_fg_color),
            );
            ui.label(RichText::new("highlighted: current").small());
        });
}

fn nav_button(
    ui: &mut Ui,
    bank: &Bank,
    s: &ExamSession,
    i: usize,
    cell: egui::Vec2,
) -> egui::Response {
    let st = &s.states[i];
    let answered = s.is_answered(bank, i);
    let mut text = RichText::new(format!("{}", i + 1)).monospace();
    if st.flagged {
        text = text.color(ui.visuals().warn_fg_color).strong();
    }
    let mut b = egui::Button::new(text)
        .min_size(cell)
        .selected(i == s.current);
    if answered {
        b = b.fill(answered_fill(ui));
    }
    if i == s.current {
        b = b.stroke(egui::Stroke::new(2.0, ui.visuals().selection.stroke.color));
    } else if st.has_pick() && !answered {
        // Partly answered (one pick of a "choose two"): outlined in the answered colour.
        b = b.stroke(egui::Stroke::new(2.0, answered_fill(ui)));
    }
    let progress = if answered {
        "answered"
    } else if st.has_pick() {
        "partly answered"
    } else {
        "unanswered"
    };
    let flag = if st.flagged { ", flagged" } else { "" };
    let domain = bank
        .question(&s.items[i].question_id)
        .map_or("", |q| bank.domain_name(&q.domain));
    ui.add(b)
        .on_hover_text(format!("{progress}{flag} · {domain}"))
}

fn answered_fill(ui: &Ui) -> egui::Color32 {
    if ui.visuals().dark_mode {
        egui::Color32::from_rgb(38, 92, 62)
    } else {
        egui::Color32::from_rgb(186, 226, 196)
    }
}

/// One question: its text and options, then the buttons pinned at the bottom.
fn question_page(ui: &mut Ui, bank: &Bank, view: &ExamView, out: &mut Vec<Command>) {
    let s = &view.session;
    let Some(item) = s.items.get(s.current) else {
        return;
    };
    let question = bank.question(&item.question_id);
    let ask = asks_confidence(view);
    if let Some(q) = question {
        keyboard(ui, s, q, ask, out);
    }
    let (footer, mut content) = FooterAfter::begin(ui, "exam-actions");
    egui::CentralPanel::default().show(&mut content, |ui| {
        // One scroll position per question: the next question starts at its top.
        egui::ScrollArea::vertical()
            .id_salt(("exam-question", s.current))
            .show(ui, |ui| {
                // Lines a reader can follow in a wide window.
                ui.set_max_width(ui.available_width().min(READABLE_WIDTH));
                match question {
                    Some(q) => {
                        question_body(ui, bank, s, q, out);
                        if ask {
                            confidence_choice(ui, s, out);
                        }
                    }
                    None => {
                        ui.label(format!(
                            "Question {} is no longer in the bank; it will not be scored.",
                            item.question_id
                        ));
                    }
                }
            });
    });
    let help = if ui.ctx().content_rect().height() >= ROOMY_HEIGHT {
        KEY_HELP
    } else {
        KEY_HELP_SHORT
    };
    footer.show(ui, |ui| {
        actions(ui, bank, s, out);
        ui.label(RichText::new(help).small().weak());
        if ask {
            ui.label(RichText::new(CONFIDENCE_KEY_HELP).small().weak());
        }
    });
}

/// The confidence choice is offered in a running exam when Settings asks for it (study mode
/// rates each answer after its feedback instead).
fn asks_confidence(view: &ExamView) -> bool {
    view.ask_confidence && view.session.mode == Mode::Exam && view.session.is_open()
}

/// "How sure are you?" with Sure, Unsure and Guess as toggles (mouse; S, U, G by key).
fn confidence_choice(ui: &mut Ui, s: &ExamSession, out: &mut Vec<Command>) {
    let chosen = s.states[s.current].confidence;
    ui.add_space(8.0);
    ui.horizontal_wrapped(|ui| {
        ui.label("How sure are you?");
        for c in AnswerConfidence::ALL {
            let label = format!("{} ({})", c.label(), confidence_key_name(c));
            if ui.selectable_label(chosen == Some(c), label).clicked() {
                out.push(
                    ExamCmd::SetConfidence {
                        index: s.current,
                        confidence: c,
                    }
                    .into(),
                );
            }
        }
    });
}

fn confidence_key(c: AnswerConfidence) -> Key {
    match c {
        AnswerConfidence::Sure => Key::S,
        AnswerConfidence::Unsure => Key::U,
        AnswerConfidence::Guess => Key::G,
    }
}

fn confidence_key_name(c: AnswerConfidence) -> &'static str {
    confidence_key(c).name()
}

/// The question page's buttons: moving, flagging, checking (study), then review and leave.
/// They wrap onto more lines rather than overlap when the window is narrow.
fn actions(ui: &mut Ui, bank: &Bank, s: &ExamSession, out: &mut Vec<Command>) {
    let st = &s.states[s.current];
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(s.current > 0, egui::Button::new("Previous"))
            .clicked()
        {
            out.push(ExamCmd::Previous.into());
        }
        if ui
            .add_enabled(s.current + 1 < s.len(), egui::Button::new("Next"))
            .clicked()
        {
            out.push(ExamCmd::Next.into());
        }
        let flag_label = if st.flagged {
            "Unflag"
        } else {
            "Flag for review"
        };
        if ui.button(flag_label).clicked() {
            out.push(ExamCmd::ToggleFlag(s.current).into());
        }
        if s.mode == Mode::Study
            && !st.checked
            && ui
                .add_enabled(
                    s.is_answered(bank, s.current),
                    egui::Button::new("Check answer"),
                )
                .clicked()
        {
            out.push(ExamCmd::Check(s.current).into());
        }
        ui.add_space(16.0);
        // Always in sight, whatever the length of the exam (the grid of 100+ scrolls).
        let label = match s.mode {
            Mode::Exam => "Review and submit",
            Mode::Study => "Finish session",
        };
        if ui.button(RichText::new(label).strong()).clicked() {
            out.push(ExamCmd::OpenReview.into());
        }
        save_and_leave(ui, out);
    });
}

fn save_and_leave(ui: &mut Ui, out: &mut Vec<Command>) {
    if ui
        .button("Save and leave")
        .on_hover_text("Pause; resume later from Home")
        .clicked()
    {
        out.push(ExamCmd::SaveAndLeave.into());
    }
}

fn keyboard(ui: &mut Ui, s: &ExamSession, q: &Question, ask: bool, out: &mut Vec<Command>) {
    let order = &s.items[s.current].option_order;
    let answered = s.states[s.current].answered(q);
    ui.input(|i| {
        if i.modifiers.any() {
            return;
        }
        let mut pick = picked_option(i);
        if ask {
            // G marks a guess while the choice is on (as F always flags): 7 picks option G.
            if i.key_pressed(Key::G) && !i.key_pressed(Key::Num7) {
                pick = None;
            }
            for c in AnswerConfidence::ALL {
                if i.key_pressed(confidence_key(c)) {
                    out.push(
                        ExamCmd::SetConfidence {
                            index: s.current,
                            confidence: c,
                        }
                        .into(),
                    );
                }
            }
        }
        if let Some(p) = pick.filter(|p| *p < order.len()) {
            out.push(
                ExamCmd::Choose {
                    index: s.current,
                    option: order[p].clone(),
                }
                .into(),
            );
        }
        if i.key_pressed(Key::N) || i.key_pressed(Key::ArrowRight) {
            out.push(ExamCmd::Next.into());
        }
        if i.key_pressed(Key::P) || i.key_pressed(Key::ArrowLeft) {
            out.push(ExamCmd::Previous.into());
        }
        if i.key_pressed(Key::F) {
            out.push(ExamCmd::ToggleFlag(s.current).into());
        }
        if i.key_pressed(Key::R) {
            out.push(ExamCmd::OpenReview.into());
        }
        if s.mode == Mode::Study && i.key_pressed(Key::Enter) && answered {
            out.push(ExamCmd::Check(s.current).into());
        }
    });
}

fn question_body(ui: &mut Ui, bank: &Bank, s: &ExamSession, q: &Question, out: &mut Vec<Command>) {
    let st = &s.states[s.current];
    if st.flagged {
        ui.label(RichText::new("Flagged for review").color(ui.visuals().warn_fg_color));
    }
    question_header(ui, bank, q);
    let order = &s.items[s.current].option_order;
    let enabled = s.is_open() && !st.checked;
    if let Some(oid) = option_list(ui, bank, q, order, &st.selected, enabled, st.checked) {
        out.push(
            ExamCmd::Choose {
                index: s.current,
                option: oid,
            }
            .into(),
        );
    }
    if st.checked {
        ui.add_space(8.0);
        study_feedback(ui, bank, q, q.is_correct(&st.selected));
    }
}

/// On the review page: Ctrl+Enter submits (Tab would have to pass every listed question),
/// Escape goes back to the exam.
fn review_keys(ui: &Ui, out: &mut Vec<Command>) {
    let (submit, back) = ui.input(|i| {
        (
            i.modifiers.command_only() && i.key_pressed(Key::Enter),
            !i.modifiers.any() && i.key_pressed(Key::Escape),
        )
    });
    if submit {
        out.push(ExamCmd::Submit.into());
    } else if back {
        out.push(ExamCmd::CloseReview.into());
    }
}

/// The review page: flagged, partly answered and unanswered questions as links, then the
/// buttons, pinned at the bottom but after the links in the Tab order, so the first Tab
/// lands on the page's own content and Enter never leaves the exam by accident.
fn review_page(ui: &mut Ui, bank: &Bank, s: &ExamSession, out: &mut Vec<Command>) {
    let unanswered = s.unanswered();
    let partial = s.partly_answered(bank);
    let flagged = s.flagged();
    let (footer, mut content) = FooterAfter::begin(ui, "review-actions");
    egui::CentralPanel::default().show(&mut content, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("exam-review")
            .show(ui, |ui| {
                ui.heading(if s.mode == Mode::Exam {
                    "Review before submitting"
                } else {
                    "Finish study session"
                });
                ui.label(format!(
                    "{} of {} answered.",
                    s.answered_count(bank),
                    crate::text::count(s.len(), "question", "questions")
                ));
                // Flagged first: the questions the learner asked to see again, usually few.
                list_section(ui, bank, s, "Flagged for review", &flagged, out);
                list_section(ui, bank, s, "Partly answered", &partial, out);
                list_section(ui, bank, s, "Unanswered", &unanswered, out);
                if unanswered.is_empty() && partial.is_empty() && flagged.is_empty() {
                    ui.label("Every question is answered and nothing is flagged.");
                }
            });
    });
    // The way out stays in view however long the lists are: with 100 questions and few
    // answered, the unanswered list alone is taller than the window.
    footer.show(ui, |ui| {
        ui.add_space(4.0);
        if let Some(w) = zero_warning(unanswered.len(), partial.len()) {
            ui.label(RichText::new(w).color(ui.visuals().warn_fg_color));
        }
        ui.horizontal_wrapped(|ui| {
            if ui.button("Return to the exam").clicked() {
                out.push(ExamCmd::CloseReview.into());
            }
            let label = if s.mode == Mode::Exam {
                "Submit exam"
            } else {
                "Finish and see results"
            };
            if ui.button(RichText::new(label).strong()).clicked() {
                out.push(ExamCmd::Submit.into());
            }
            ui.add_space(16.0);
            save_and_leave(ui, out);
        });
        ui.label(RichText::new(REVIEW_KEY_HELP).small().weak());
    });
}

/// "3 unanswered questions and 1 partly answered question score zero."
fn zero_warning(unanswered: usize, partial: usize) -> Option<String> {
    use crate::text::count;
    let parts: Vec<String> = [
        (unanswered, "unanswered question", "unanswered questions"),
        (
            partial,
            "partly answered question",
            "partly answered questions",
        ),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| count(n, one, many))
    .collect();
    let verb = if unanswered + partial == 1 {
        "scores"
    } else {
        "score"
    };
    (!parts.is_empty()).then(|| format!("{} {verb} zero.", parts.join(" and ")))
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
                    out.push(ExamCmd::GoTo(i).into());
                }
            }
        });
}

// ---------------------------------------------------------------------------------------------
// Applying commands

impl CertprepApp {
    pub(super) fn run_exam(&mut self, cmd: ExamCmd) {
        // The "resumed" line has been read once the candidate does anything.
        self.with_exam(|v| v.resumed = false);
        match cmd {
            ExamCmd::Resume(id) => self.resume(id),
            ExamCmd::Discard(id) => self.discard(id),
            ExamCmd::Choose { index, option } => self.change_item(index, |s, bank| {
                let q = bank.question(&s.items[index].question_id);
                q.is_some_and(|q| s.choose(index, &option, q))
            }),
            ExamCmd::ToggleFlag(index) => self.change_item(index, |s, _| s.toggle_flag(index)),
            ExamCmd::SetConfidence { index, confidence } => {
                self.change_item(index, |s, _| s.set_confidence(index, confidence))
            }
            ExamCmd::Check(index) => self.change_item(index, |s, bank| {
                let q = bank.question(&s.items[index].question_id);
                q.is_some_and(|q| s.check(index, q))
            }),
            ExamCmd::GoTo(i) => self.move_to(|s| s.go_to(i)),
            ExamCmd::Next => self.move_to(ExamSession::next),
            ExamCmd::Previous => self.move_to(ExamSession::previous),
            ExamCmd::OpenReview => self.with_exam(|v| v.reviewing = true),
            ExamCmd::CloseReview => self.with_exam(|v| v.reviewing = false),
            ExamCmd::Submit => {
                let now = self.now();
                self.with_exam(|v| v.session.submit(now, false));
                self.finish_exam();
            }
            ExamCmd::SaveAndLeave => self.go_home(),
        }
    }

    /// Time-driven work on the exam screen: auto-submit when the countdown ends, warnings,
    /// the heartbeat that writes the time used.
    pub(super) fn tick_exam(&mut self) {
        let now = self.now();
        let Screen::Exam(view) = &mut self.screen else {
            return;
        };
        view.session.clock.start(now);
        let left = if view.reviewing {
            view.session.times.pause(now)
        } else {
            view.session.times.show(view.session.current, now)
        };
        if let Some(left) = left {
            self.save_item_time(left);
        }
        let Screen::Exam(view) = &mut self.screen else {
            return;
        };
        if view.session.submit_if_expired(now) {
            self.notice = Some(Notice {
                kind: NoticeKind::Warning,
                text: "Time is up: your exam was submitted automatically.".into(),
            });
            self.finish_exam();
            return;
        }
        let warning = TimeWarning::for_remaining(view.session.clock.remaining(now));
        if warning > view.warned {
            view.warned = warning;
            let text = match warning {
                TimeWarning::OneMinute => "One minute left. Unanswered questions score zero.",
                _ => "Ten minutes left.",
            };
            self.notice = Some(Notice {
                kind: NoticeKind::Warning,
                text: text.into(),
            });
        }
        if now.saturating_duration_since(view.last_saved) >= HEARTBEAT {
            self.save_progress();
        }
    }

    /// Write the used time and the question on screen (so a resume opens on it), with the
    /// time on screen of that question so far.
    fn save_progress(&mut self) {
        let now = self.now();
        let Screen::Exam(view) = &mut self.screen else {
            return;
        };
        view.last_saved = now;
        let s = &view.session;
        if let Ok(store) = &self.store
            && let Err(e) = store.save_progress(s.attempt_id, s.clock.used(now), s.current)
        {
            self.notice = Some(error_notice(format!("Could not save progress: {e}")));
        }
        if let Some(shown) = s.times.showing() {
            self.save_item_time(shown);
        }
    }

    /// Write the time on screen of question `index` of the running exam.
    fn save_item_time(&mut self, index: usize) {
        let now = self.now();
        let Screen::Exam(view) = &self.screen else {
            return;
        };
        let s = &view.session;
        if let Ok(store) = &self.store
            && let Err(e) = store.save_item_time(s.attempt_id, index, s.times.spent(index, now))
        {
            self.notice = Some(error_notice(format!("Could not save progress: {e}")));
        }
    }

    /// Move to another question (leaving the review page) and remember where, at once: a
    /// resume after a crash opens on the question that was on screen.
    fn move_to(&mut self, f: impl FnOnce(&mut ExamSession)) {
        let now = self.now();
        let Screen::Exam(view) = &mut self.screen else {
            return;
        };
        let before = view.session.current;
        f(&mut view.session);
        view.reviewing = false;
        // The question left stops being timed now, not at the next frame.
        if let Some(left) = view.session.times.show(view.session.current, now) {
            self.save_item_time(left);
        }
        if let Screen::Exam(view) = &self.screen
            && view.session.current != before
        {
            self.save_progress();
        }
    }

    fn with_exam(&mut self, f: impl FnOnce(&mut ExamView)) {
        if let Screen::Exam(view) = &mut self.screen {
            f(view);
        }
    }

    /// Change one item and write it to the database at once, so a crash loses nothing.
    fn change_item(&mut self, index: usize, f: impl FnOnce(&mut ExamSession, &Bank) -> bool) {
        let now = self.now();
        let Screen::Exam(view) = &mut self.screen else {
            return;
        };
        let Some(bank) = self.banks.bank(&view.session.bank_id) else {
            return;
        };
        if !f(&mut view.session, bank) {
            return;
        }
        let s = &view.session;
        let result = match &self.store {
            Ok(store) => store.save_answer(
                s.attempt_id,
                index,
                &s.states[index],
                Some(s.times.spent(index, now)),
                s.clock.used(now),
                s.current,
            ),
            Err(_) => Ok(()),
        };
        view.last_saved = now;
        if let Err(e) = result {
            self.notice = Some(error_notice(format!(
                "Your last answer could not be saved: {e}"
            )));
        }
    }

    /// Write a new attempt to the database (with the readiness it predicts, for a timed exam)
    /// and open the exam screen on it. Self-made exams and group packs both start here.
    pub(super) fn begin_attempt(&mut self, bank_id: &str, attempt: AttemptSpec) -> Option<i64> {
        let Some(bank) = self.banks.bank(bank_id) else {
            self.notice = Some(error_notice(format!("No bank \"{bank_id}\" is loaded.")));
            return None;
        };
        let store = match &mut self.store {
            Ok(s) => s,
            Err(e) => {
                let text = format!("Cannot start: the database is not available ({e}).");
                self.notice = Some(error_notice(text));
                return None;
            }
        };
        let created = store.create_attempt(&NewAttempt {
            bank_id: bank.id(),
            bank_version: &bank.manifest.version,
            mode: attempt.mode,
            seed: attempt.seed,
            pass_percent: attempt.pass_percent,
            time_limit: attempt.time_limit,
            items: &attempt.items,
            pack_id: attempt.pack_id.as_deref(),
            title: attempt.title.as_deref(),
            practice: !attempt.predict,
        });
        let id = match created {
            Ok(id) => id,
            Err(e) => {
                self.notice = Some(error_notice(format!("Could not start the exam: {e}")));
                return None;
            }
        };
        if attempt.mode == Mode::Exam
            && attempt.predict
            && let Err(e) = record_prediction(store, bank, id)
        {
            self.notice = Some(error_notice(format!("Readiness was not recorded: {e}")));
        }
        let session = ExamSession::new(
            id,
            bank.id(),
            attempt.mode,
            attempt.seed,
            attempt.pass_percent,
            attempt.items,
            attempt.time_limit,
        );
        self.enter_exam(session, attempt.title, false);
        Some(id)
    }

    fn enter_exam(&mut self, session: ExamSession, title: Option<String>, resumed: bool) {
        self.focus_bank(&session.bank_id);
        let now = self.now();
        let warned = TimeWarning::for_remaining(session.clock.remaining(now));
        let title = title.unwrap_or_else(|| {
            self.banks
                .bank(&session.bank_id)
                .map_or(session.bank_id.clone(), |b| b.manifest.title.clone())
        });
        self.screen = Screen::Exam(Box::new(ExamView {
            session,
            title,
            reviewing: false,
            resumed,
            ask_confidence: self.prefs.ask_confidence,
            last_saved: now,
            warned,
        }));
    }

    fn resume(&mut self, id: i64) {
        let loaded = match &self.store {
            Ok(store) => store.load_session(id),
            Err(_) => return,
        };
        match loaded {
            Ok(Some(l)) if self.banks.bank(&l.session.bank_id).is_some() => {
                self.enter_exam(l.session, l.title, true);
            }
            Ok(Some(l)) => {
                self.notice = Some(error_notice(format!(
                    "This exam uses the bank \"{}\", which is not loaded; it cannot be resumed until the bank is back.",
                    l.session.bank_id
                )))
            }
            Ok(None) => self.refresh_home(),
            Err(e) => self.notice = Some(error_notice(e.to_string())),
        }
    }

    /// Give up an unfinished attempt. It is not scored and leaves Home, but what was answered
    /// still counts as evidence: every item with a whole answer becomes a review exactly as on
    /// submit (right = Good, wrong = Again), in the same transaction that closes the attempt.
    /// Unanswered and partly answered items are left alone, as on submit.
    fn discard(&mut self, id: i64) {
        let utc_now = self.utc_now();
        let Ok(store) = &self.store else {
            return;
        };
        let discarded = store.load_session(id).and_then(|loaded| {
            let Some(l) = loaded else {
                return Ok(None);
            };
            let reviews = match self.banks.bank(&l.session.bank_id) {
                // The reviews only: an abandoned exam is no mock, so it teaches readiness's
                // realism nothing (that compares a whole sitting with the record before it).
                Some(bank) => {
                    exam_evidence(store, bank, &l.session, &l.session.score(bank), utc_now)?.reviews
                }
                // Without its bank the answers cannot be marked; the attempt still goes.
                None => Vec::new(),
            };
            store.abandon_attempt(id, &reviews)?;
            Ok(Some(reviews.len()))
        });
        self.refresh_home();
        self.notice = Some(match discarded {
            Ok(Some(n)) => Notice {
                kind: NoticeKind::Info,
                text: discarded_text(n),
            },
            Ok(None) => return,
            Err(e) => error_notice(format!("The exam could not be discarded: {e}")),
        });
    }

    pub(super) fn finish_exam(&mut self) {
        let now = self.now();
        let utc_now = self.utc_now();
        let Screen::Exam(view) = &mut self.screen else {
            return;
        };
        if view.session.is_open() {
            return;
        }
        let Some(bank) = self.banks.bank(&view.session.bank_id) else {
            return;
        };
        let report = view.session.score(bank);
        let elapsed = view.session.clock.used(now);
        let saved =
            match &mut self.store {
                Ok(store) => exam_evidence(store, bank, &view.session, &report, utc_now).and_then(
                    |evidence| store.finish_attempt(&view.session, elapsed, &report, &evidence),
                ),
                Err(_) => Ok(()),
            };
        if let Err(e) = saved {
            self.notice = Some(error_notice(format!(
                "Your result could not be saved: {e}. Your answers up to now are in the database."
            )));
        }
        let session = view.session.clone();
        let title = view.title.clone();
        self.screen = Screen::Results(Box::new(ResultsView::new(
            session,
            title,
            report,
            elapsed,
            &self.store,
        )));
    }

    /// Stop the clock of the exam on screen, if any, and save the time used and the current
    /// question, so that resuming carries on from here.
    pub(super) fn pause_exam(&mut self) -> Result<(), StoreError> {
        let now = self.now();
        let Screen::Exam(view) = &mut self.screen else {
            return Ok(());
        };
        view.session.clock.pause(now);
        let left = view.session.times.pause(now);
        match &self.store {
            Ok(store) => store
                .save_progress(
                    view.session.attempt_id,
                    view.session.clock.used(now),
                    view.session.current,
                )
                .and_then(|()| match left {
                    Some(i) => store.save_item_time(
                        view.session.attempt_id,
                        i,
                        view.session.times.spent(i, now),
                    ),
                    None => Ok(()),
                }),
            // Start-up already said the database is unavailable.
            Err(_) => Ok(()),
        }
    }
}

/// What Home says after a discard: how many answers went into the study history.
pub(super) fn discarded_text(reviews: usize) -> String {
    if reviews == 0 {
        "Exam discarded. It had no answers, so nothing was added to your study history.".into()
    } else {
        format!(
            "Exam discarded. It is not scored, but your {} count in your study history and readiness.",
            crate::text::count(reviews, "answer", "answers")
        )
    }
}

/// What readiness says as a mock exam starts, kept to compare with its score later
/// (calibration). Taken before any answer of the exam counts.
pub(crate) fn record_prediction(
    store: &Store,
    bank: &Bank,
    attempt_id: i64,
) -> Result<(), StoreError> {
    let mut cards = store.load_cards(bank.id())?;
    crate::srs::drop_retired(bank, &mut cards);
    let report = store.mastery_report(bank, &cards, chrono::Utc::now())?;
    // Before any answer the "prediction" is the bare prior; scoring it against the exam
    // would blame the model for what it was never told (see "No prediction yet").
    if report.is_prior_only() {
        return Ok(());
    }
    store.save_prediction(attempt_id, bank.id(), &report.readiness)
}

/// What an exam teaches when it ends (submitted, timed out or discarded): the FSRS review of
/// every item with a whole answer (right = Good, wrong = Again, scheduled by the learner's
/// scheduler for the bank, see `Scheduler::exam_next_card`) and the realism evidence of
/// those seen before (docs/readiness.md).
pub(super) fn exam_evidence(
    store: &Store,
    bank: &Bank,
    session: &ExamSession,
    report: &ScoreReport,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<crate::mastery::ExamEvidence, StoreError> {
    let mut cards = store.load_cards(&session.bank_id)?;
    crate::srs::drop_retired(bank, &mut cards);
    Ok(crate::mastery::exam_evidence(
        bank,
        &cards,
        &store.model_inputs(bank)?,
        &store.scheduler_for(&session.bank_id)?,
        &crate::srs::answered_items_of(session, report, bank),
        now,
        session.attempt_id,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_review_page_warns_of_every_answer_that_scores_zero() {
        assert_eq!(zero_warning(0, 0), None);
        assert_eq!(
            zero_warning(1, 0).as_deref(),
            Some("1 unanswered question scores zero.")
        );
        assert_eq!(
            zero_warning(3, 1).as_deref(),
            Some("3 unanswered questions and 1 partly answered question score zero.")
        );
        assert_eq!(
            zero_warning(0, 2).as_deref(),
            Some("2 partly answered questions score zero.")
        );
    }

    #[test]
    fn the_grid_takes_a_quarter_of_the_window_within_bounds() {
        assert_eq!(nav_width(400.0), 110.0);
        assert_eq!(nav_width(800.0), 200.0);
        assert_eq!(nav_width(1920.0), 240.0);
    }
}
