//! Study: today's spaced-repetition queue (due cards first, then new questions), one
//! question at a time, feedback with every explanation, then a one-key confidence rating.
//!
//! The screen owns its session ([`StudyView`]) and commands ([`StudyCmd`]): building the
//! queue, and writing every rated answer as a review at once.

use super::question::{option_list, picked_option, question_header, study_feedback};
use super::widgets::FooterAfter;
use super::{CertprepApp, Command, Screen, error_notice};
use crate::bank::Bank;
use crate::srs::{Confidence, StudyScope};
use egui::{Key, RichText, Ui};

/// What the Study screen (and the buttons that open it) ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum StudyCmd {
    /// Study today's queue, optionally one skill area only.
    Start {
        bank_id: String,
        area: Option<String>,
    },
    /// Study the questions the attempt on the Results screen got wrong or left unanswered.
    Missed,
    /// Today's new questions are used up: study this many more anyway, in the same scope.
    MoreNew(usize),
    /// The last days before the exam: the questions with the lowest recall on exam day.
    ExamReview {
        bank_id: String,
    },
    Choose(String),
    Check,
    /// Rate the checked answer (a wrong answer is Again whatever is passed).
    Rate(Confidence),
}

impl From<StudyCmd> for Command {
    fn from(c: StudyCmd) -> Command {
        Command::Study(c)
    }
}

/// A spaced-repetition study session on the Study screen.
pub struct StudyView {
    pub session: crate::srs::StudySession,
    /// "Report a problem…" once an answer is checked: the dialog and what was reported.
    pub problem: super::problem::ProblemForm,
    /// Bookmarks and notes, once an answer is checked.
    pub notes: super::note::NoteForm,
}

/// How many questions the last-days review asks.
pub const EXAM_REVIEW_SIZE: usize = 20;

pub const STUDY_HELP: &str = "Keys: 1–8 or A–H choose · Enter checks the answer · after a right \
     answer 1 Hard, 2 Good, 3 Easy (Enter = Good) · after a wrong one Enter continues. \
     A wrong answer comes back after a short wait; Hard/Good/Easy set how long until you see a \
     question again.";

/// The key help in one short line, for a window with little height to spare.
pub const STUDY_HELP_SHORT: &str = "Keys: 1–8 choose · Enter check · then 1 Hard, 2 Good, 3 Easy";

pub fn show(
    ui: &mut Ui,
    bank: &Bank,
    view: &mut StudyView,
    now: chrono::DateTime<chrono::Utc>,
    out: &mut Vec<Command>,
) {
    super::problem::dialog(ui, &mut view.problem, out);
    super::note::dialog(ui, &mut view.notes, out);
    let s = &view.session;
    egui::Panel::top("study-top").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
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
                StudyScope::ExamReview => {
                    ui.separator();
                    ui.label("Final review before the exam");
                }
            }
            ui.separator();
            ui.label(format!(
                "{} done · {} to go · {} right",
                s.reviewed,
                s.remaining(),
                s.correct
            ));
            // In the flow, not pinned right: a narrow window or large text wraps the bar
            // instead of drawing the button over the counts.
            ui.add_space(16.0);
            if ui.button("Stop for now").clicked() {
                out.push(Command::GoHome);
            }
        });
        ui.add(
            egui::ProgressBar::new(s.progress())
                .desired_width(ui.available_width())
                .text(format!(
                    "{}: {:.0}%",
                    match s.scope {
                        StudyScope::Missed { .. } => "Missed questions",
                        StudyScope::ExamReview => "Final review",
                        _ => "Today's queue",
                    },
                    s.progress() * 100.0
                )),
        );
    });
    let Some((item, state)) = &s.current else {
        if let Some(at) = s.waiting_until() {
            waiting(ui, s, at, now, out);
        } else {
            finished(ui, bank, view, out);
        }
        return;
    };
    let Some(q) = bank.question(&item.question_id) else {
        return;
    };
    let result = s.checked_result(bank);
    // While the report dialog is open, keys are typing, not answers or ratings.
    if !view.problem.is_open() && !view.notes.is_open() {
        keyboard(ui, &item.option_order, state.answered(q), result, out);
    }
    // The question first, then the buttons pinned below it, in the Tab order too.
    let (footer, mut content) = FooterAfter::begin(ui, "study-actions");
    egui::CentralPanel::default().show(&mut content, |ui| {
        egui::ScrollArea::vertical()
            .id_salt(("study-question", &item.question_id))
            .show(ui, |ui| {
                ui.set_max_width(ui.available_width().min(super::exam::READABLE_WIDTH));
                question_header(ui, bank, q);
                let checked = state.checked;
                if let Some(o) = option_list(
                    ui,
                    bank,
                    q,
                    &item.option_order,
                    &state.selected,
                    !checked,
                    checked,
                ) {
                    out.push(StudyCmd::Choose(o).into());
                }
                if let Some(ok) = result {
                    ui.add_space(8.0);
                    study_feedback(ui, bank, q, ok);
                    ui.add_space(4.0);
                    super::note::tools(ui, &view.notes, bank.id(), &q.id, out);
                    super::problem::button(ui, &view.problem, bank.id(), &q.id, out);
                }
            });
    });
    footer.show(ui, |ui| {
        ui.horizontal_wrapped(|ui| match result {
            None => {
                if ui
                    .add_enabled(state.answered(q), egui::Button::new("Check answer"))
                    .clicked()
                {
                    out.push(StudyCmd::Check.into());
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
                        out.push(StudyCmd::Rate(c).into());
                    }
                }
            }
            Some(false) => {
                if ui.button("Continue (Enter)").clicked() {
                    out.push(StudyCmd::Rate(Confidence::Good).into());
                }
                ui.label(
                    RichText::new(
                        "This question comes back after a short wait: later in this session, \
                         or at the start of your next one.",
                    )
                    .weak(),
                );
            }
        });
        let help = if ui.ctx().content_rect().height() >= super::exam::ROOMY_HEIGHT {
            STUDY_HELP
        } else {
            STUDY_HELP_SHORT
        };
        ui.label(RichText::new(help).small().weak());
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
                    out.push(StudyCmd::Choose(order[p].clone()).into());
                }
                if answered && i.key_pressed(Key::Enter) {
                    out.push(StudyCmd::Check.into());
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
                    out.push(StudyCmd::Rate(c).into());
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
            ui.label(session_summary(s));
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if matches!(s.scope, StudyScope::Bank | StudyScope::Area(_)) && unseen > 0 {
                let more = unseen.min(MORE_NEW);
                if ui
                    .button(format!(
                        "Study {}",
                        crate::text::count(more, "more new question", "more new questions")
                    ))
                    .on_hover_text("Beyond today's limit, this once; the limit itself stays as set in Settings.")
                    .clicked()
                {
                    out.push(StudyCmd::MoreNew(more).into());
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

/// What a finished session did, counting questions (not answers): a question that came back
/// after its learning step and was answered again is one question.
pub fn session_summary(s: &crate::srs::StudySession) -> String {
    let questions = s.answered.len();
    let mut text = format!(
        "You answered {}, {} right the first time ({:.0}%).",
        crate::text::count(questions, "question", "questions"),
        s.right_first_time,
        100.0 * s.right_first_time as f64 / questions.max(1) as f64
    );
    let repeats = s.repeats();
    if repeats > 0 {
        text.push_str(&format!(
            " {} at questions that came back after a learning step.",
            crate::text::count(repeats, "second try", "second tries")
        ));
    }
    text.push_str(" Every answer is saved and scheduled.");
    text
}

/// Nothing left but questions coming back after their learning step: say when, count down,
/// and let the learner stop (they are due at the next session).
fn waiting(
    ui: &mut Ui,
    s: &crate::srs::StudySession,
    at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
    out: &mut Vec<Command>,
) {
    let secs = (at - now).num_seconds().max(0);
    egui::CentralPanel::default().show(ui, |ui| {
        ui.heading("Waiting for a question to come back");
        ui.label(format!(
            "{} you answered wrong (or rated Hard) {} back after a short wait, so that it tests \
             what you remember rather than what is still on screen. The next one is asked in \
             {}:{:02}; stay on this screen, or stop now and it will be due at your next session.",
            crate::text::count(s.returning.len(), "question", "questions"),
            if s.returning.len() == 1 {
                "comes"
            } else {
                "come"
            },
            secs / 60,
            secs % 60
        ));
        if s.reviewed > 0 {
            ui.label(session_summary(s));
        }
        ui.add_space(8.0);
        if ui.button("Stop for now").clicked() {
            out.push(Command::GoHome);
        }
    });
    // The countdown moves, and the question appears, without anyone touching the mouse.
    ui.ctx()
        .request_repaint_after(std::time::Duration::from_millis(500));
}

/// Which questions a study session asks.
pub enum QueuePick {
    /// Everything due, then new questions up to what is left of today's limit, within the
    /// daily time budget.
    Today,
    /// Everything due, then this many new questions whatever today's limit says.
    MoreNew(usize),
    /// These questions, in this order, due or not.
    Exactly(Vec<String>),
}

impl CertprepApp {
    pub(super) fn run_study(&mut self, cmd: StudyCmd) {
        match cmd {
            StudyCmd::Start { bank_id, area } => {
                let scope = area.map_or(StudyScope::Bank, StudyScope::Area);
                self.start_study(&bank_id, scope, QueuePick::Today)
            }
            StudyCmd::MoreNew(extra) => {
                if let Screen::Study(view) = &self.screen {
                    let bank_id = view.session.bank_id.clone();
                    let scope = match &view.session.scope {
                        StudyScope::Area(a) => StudyScope::Area(a.clone()),
                        _ => StudyScope::Bank,
                    };
                    self.start_study(&bank_id, scope, QueuePick::MoreNew(extra));
                }
            }
            StudyCmd::Missed => {
                if let Screen::Results(view) = &self.screen {
                    let bank_id = view.session.bank_id.clone();
                    let scope = StudyScope::Missed {
                        attempt_id: view.session.attempt_id,
                    };
                    let missed = view.missed();
                    self.start_study(&bank_id, scope, QueuePick::Exactly(missed));
                }
            }
            StudyCmd::ExamReview { bank_id } => self.start_exam_review(&bank_id),
            StudyCmd::Choose(option) => self.with_study(|v, bank| {
                v.session.choose(bank, &option);
            }),
            StudyCmd::Check => self.with_study(|v, bank| {
                v.session.check(bank);
            }),
            StudyCmd::Rate(confidence) => self.rate_study(confidence),
        }
    }

    fn with_study(&mut self, f: impl FnOnce(&mut StudyView, &Bank)) {
        if let Screen::Study(view) = &mut self.screen
            && let Some(bank) = self.banks.bank(&view.session.bank_id)
        {
            f(view, bank);
        }
    }

    /// A session waiting for a returning question shows it once its step is over.
    pub(super) fn poll_study(&mut self) {
        let now = self.utc_now();
        self.with_study(|v, bank| {
            v.session.resume_if_due(bank, now);
        });
    }

    /// The last days before the exam: the seen questions with the lowest recall on exam day.
    fn start_exam_review(&mut self, bank_id: &str) {
        let Ok(store) = &self.store else {
            return;
        };
        let picked = store.study_plan(bank_id).and_then(|plan| {
            let exam_at = plan.and_then(|p| crate::srs::local_midnight(p.exam_date));
            let cards = store.load_cards(bank_id)?;
            Ok(exam_at.map(|at| {
                crate::srs::lowest_exam_day_recall(&cards, at, EXAM_REVIEW_SIZE)
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect::<Vec<_>>()
            }))
        });
        match picked {
            Ok(Some(ids)) => {
                self.start_study(bank_id, StudyScope::ExamReview, QueuePick::Exactly(ids))
            }
            Ok(None) => {}
            Err(e) => self.notice = Some(error_notice(format!("Cannot start the review: {e}"))),
        }
    }

    /// Open the Study screen on `scope`, with the questions `pick` asks for.
    pub(super) fn start_study(&mut self, bank_id: &str, scope: StudyScope, pick: QueuePick) {
        let Some(bank) = self.banks.bank(bank_id) else {
            return;
        };
        let Ok(store) = &self.store else {
            self.notice = Some(error_notice(
                "Cannot study: the database is not available, so answers could not be saved."
                    .into(),
            ));
            return;
        };
        let now = self.utc_now();
        let settings = &self.study_settings;
        let today = matches!(pick, QueuePick::Today);
        let built = store.load_cards(bank_id).and_then(|cards| {
            let allowed = match pick {
                QueuePick::Exactly(due) => {
                    // Asked for by name, due or not, and nothing new added.
                    let queue = crate::srs::StudyQueue {
                        due,
                        new: Vec::new(),
                    };
                    return Ok((cards, queue));
                }
                QueuePick::MoreNew(extra) => extra,
                QueuePick::Today => {
                    let (_, day_start) = crate::srs::local_day_start(now);
                    let (new_today, _) = store.reviews_since(bank_id, day_start)?;
                    (settings.daily_new_limit as usize).saturating_sub(new_today)
                }
            };
            let report = store.mastery_report(bank, &cards, now)?;
            let mut queue = crate::srs::build_queue(
                bank,
                &cards,
                &report.by_area(),
                now,
                allowed,
                scope.area(),
            );
            if today && let Some(left) = store.budget_left_today(settings, now)? {
                queue.limit(left);
            }
            Ok((cards, queue))
        });
        match built {
            Ok((cards, queue)) => {
                let session = crate::srs::StudySession::new(
                    bank,
                    &queue,
                    cards,
                    scope,
                    crate::exam::random_seed(),
                    now,
                );
                self.focus_bank(bank_id);
                let problem = super::problem::ProblemForm::load(&self.store, bank_id);
                let notes = super::note::NoteForm::load(&self.store, bank_id);
                self.screen = Screen::Study(Box::new(StudyView {
                    session,
                    problem,
                    notes,
                }));
            }
            Err(e) => self.notice = Some(error_notice(format!("Cannot start studying: {e}"))),
        }
    }

    /// Rate the answer on screen and write the review at once.
    fn rate_study(&mut self, confidence: Confidence) {
        let now = self.utc_now();
        let Screen::Study(view) = &mut self.screen else {
            return;
        };
        let Some(bank) = self.banks.bank(&view.session.bank_id) else {
            return;
        };
        let Ok(store) = &self.store else {
            return;
        };
        let scheduler = match store.scheduler_for(bank.id()) {
            Ok(s) => s,
            Err(e) => {
                self.notice = Some(error_notice(format!(
                    "Your answer could not be scheduled: {e}"
                )));
                return;
            }
        };
        let Some(review) = view.session.rate(bank, &scheduler, confidence, now) else {
            return;
        };
        let saved = store.record_review(&review).and_then(|()| {
            let report = store.mastery_report(bank, &view.session.cards, now)?;
            let (day, _) = crate::srs::local_day_start(now);
            store.save_readiness_point(bank.id(), day, &report.readiness)
        });
        if let Err(e) = saved {
            self.notice = Some(error_notice(format!(
                "Your last answer could not be saved: {e}"
            )));
        }
    }
}
