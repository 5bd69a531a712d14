//! Results: score, pass/fail, the per-skill-area table, time against the pace, then every
//! question with the chosen answer, the correct one, all explanations, its time on screen and
//! the candidate's confidence, filtered (all, missed, wrong, flagged, unanswered, one skill
//! area). "Retake the wrong and flagged ones" starts a new attempt of exactly those questions
//! ([`ResultsCmd`]). Also opened on any past attempt from the history screen.

use super::rich::Look;
use super::study::StudyCmd;
use super::widgets::{bad_color, clock, good_color, letter, share_bar};
use super::{CertprepApp, Command, Screen, error_notice};
use crate::bank::Bank;
use crate::exam::review::{self, ReviewFilter, ReviewRow};
use crate::exam::{ExamSession, ExamStatus, Mode, ScoreReport};
use egui::{RichText, Ui};
use std::time::Duration;

/// A finished attempt on screen.
pub struct ResultsView {
    pub session: ExamSession,
    /// The exam's title: a study-group pack's own, else the bank's.
    pub title: String,
    pub report: ScoreReport,
    pub elapsed: Duration,
    /// Which questions the review lists.
    pub filter: ReviewFilter,
    /// "Report a problem…" on a reviewed question: the dialog and what was reported.
    pub problem: super::problem::ProblemForm,
    /// Bookmarks and notes on the reviewed questions.
    pub notes: super::note::NoteForm,
}

impl ResultsView {
    /// The Results screen on a scored attempt, with the learner's reports, notes and
    /// bookmarks on its bank's questions.
    pub fn new(
        session: ExamSession,
        title: String,
        report: ScoreReport,
        elapsed: Duration,
        store: &Result<crate::store::Store, crate::store::StoreError>,
    ) -> ResultsView {
        let problem = super::problem::ProblemForm::load(store, &session.bank_id);
        let notes = super::note::NoteForm::load(store, &session.bank_id);
        ResultsView {
            session,
            title,
            report,
            elapsed,
            filter: ReviewFilter::All,
            problem,
            notes,
        }
    }

    /// Questions answered wrong or left unanswered, in exam order.
    pub fn missed(&self) -> Vec<String> {
        self.session
            .items
            .iter()
            .zip(&self.report.items)
            .filter(|(_, r)| !r.is_correct)
            .map(|(item, _)| item.question_id.clone())
            .collect()
    }
}

/// What the Results screen asks for beyond moving elsewhere.
#[derive(Debug, Clone, PartialEq)]
pub enum ResultsCmd {
    /// A new attempt of these questions (the shown attempt's wrong, unanswered and flagged
    /// ones), in the same mode, at the same pace.
    Retake {
        attempt_id: i64,
        question_ids: Vec<String>,
    },
}

impl From<ResultsCmd> for Command {
    fn from(c: ResultsCmd) -> Command {
        Command::Results(c)
    }
}

pub fn show(ui: &mut Ui, bank: &Bank, view: &mut ResultsView, out: &mut Vec<Command>) {
    let rows = review::rows(bank, &view.session, &view.report);
    egui::CentralPanel::default().show(ui, |ui| {
        // Each attempt's results open at the top, not where the last screen was scrolled to.
        egui::ScrollArea::vertical()
            .id_salt(("results", view.session.attempt_id))
            .show(ui, |ui| {
                summary(ui, bank, view, &rows, out);
                ui.add_space(12.0);
                area_table(ui, bank, view);
                ui.add_space(12.0);
                timing(ui, bank, view, &rows);
                confidence_summary(ui, &rows);
                ui.heading("Question review");
                filters(ui, bank, view, &rows);
                questions(ui, bank, view, &rows, out);
            });
    });
    super::problem::dialog(ui, &mut view.problem, out);
    super::note::dialog(ui, &mut view.notes, out);
}

fn summary(
    ui: &mut Ui,
    bank: &Bank,
    view: &ResultsView,
    rows: &[ReviewRow],
    out: &mut Vec<Command>,
) {
    let r = &view.report;
    ui.heading(format!("Results — {}", view.title));
    let status = match view.session.status {
        ExamStatus::Expired => " (time ran out; submitted automatically)",
        _ => "",
    };
    ui.label(
        RichText::new(format!(
            "Score: {} of {} correct ({:.0}%)",
            r.correct,
            r.total,
            r.percent()
        ))
        .size(22.0)
        .strong(),
    );
    if view.session.mode == Mode::Exam {
        let (text, color) = if r.passed() {
            ("Pass", good_color(ui))
        } else {
            ("Below the pass mark", bad_color(ui))
        };
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(text).color(color).strong());
            ui.label(format!(
                "— {}",
                crate::text::pass_mark_note(r.pass_percent / 100.0)
            ));
        });
    }
    // The seed that drew the exam is not the candidate's business (a pack's lives in the
    // pack file); the time is.
    ui.label(format!("Time used {}{status}", clock(view.elapsed)));
    ui.horizontal_wrapped(|ui| {
        if ui.button("Home").clicked() {
            out.push(Command::GoHome);
        }
        if ui.button("New session").clicked() {
            out.push(
                super::setup::SetupCmd::Open {
                    bank_id: Some(bank.id().to_string()),
                }
                .into(),
            );
        }
        let missed = r.total - r.correct;
        if missed > 0
            && ui
                .button(format!(
                    "Practice the {} I missed",
                    crate::text::count(missed, "question", "questions")
                ))
                .on_hover_text(
                    "Go through every question you got wrong or left unanswered, with \
                     feedback and explanations; each answer is scheduled like any study answer.",
                )
                .clicked()
        {
            out.push(StudyCmd::Missed.into());
        }
        let retake = review::retake_ids(rows);
        if !retake.is_empty()
            && ui
                .button(format!(
                    "Retake the wrong and flagged ones ({})",
                    retake.len()
                ))
                .on_hover_text(
                    "A new attempt of the questions you got wrong, left unanswered or flagged, \
                     in the same mode and at the same pace per question; this attempt stays \
                     as it is.",
                )
                .clicked()
        {
            out.push(
                ResultsCmd::Retake {
                    attempt_id: view.session.attempt_id,
                    question_ids: retake,
                }
                .into(),
            );
        }
    });
}

/// Time per skill area against the pace the limit allows, and the slowest questions. Only
/// where times were recorded (attempts from before schema v9 have none).
fn timing(ui: &mut Ui, bank: &Bank, view: &ResultsView, rows: &[ReviewRow]) {
    if rows.iter().all(|r| r.time.is_zero()) {
        return;
    }
    ui.heading("Time");
    let pace = review::pace(view.session.clock.limit, view.session.len());
    match pace {
        Some(p) => ui.label(format!(
            "Pace: {} a question ({} for {}).",
            clock(p),
            clock(view.session.clock.limit.unwrap_or_default()),
            crate::text::count(view.session.len(), "question", "questions")
        )),
        None => ui.label("Untimed: no pace to compare with."),
    };
    egui::Grid::new("area-times")
        .num_columns(4)
        .striped(true)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            ui.label(RichText::new("Skill area").strong());
            ui.label(RichText::new("Questions").strong());
            ui.label(RichText::new("Time").strong());
            ui.label(RichText::new("A question").strong());
            ui.end_row();
            for a in review::time_by_area(bank, rows) {
                ui.label(bank.domain_name(&a.domain_id));
                ui.label(a.questions.to_string());
                ui.label(clock(a.total));
                let each = a.per_question();
                let over = pace.is_some_and(|p| each > p);
                let mut text = RichText::new(clock(each));
                if over {
                    text = text.color(ui.visuals().warn_fg_color);
                }
                ui.horizontal(|ui| {
                    ui.label(text);
                    if over {
                        ui.label(RichText::new("over the pace").small());
                    }
                });
                ui.end_row();
            }
        });
    let slow = review::slowest(rows, 5);
    if !slow.is_empty() {
        ui.label(RichText::new("Slowest questions").strong());
        for r in slow {
            let stem = bank
                .question(&r.question_id)
                .map_or(String::new(), |q| super::question::short(&q.stem, 70));
            ui.label(format!("{} · {}. {stem}", clock(r.time), r.position + 1));
        }
    }
    ui.add_space(12.0);
}

/// How many right answers were guesses and wrong ones were sure: the two worth a look.
fn confidence_summary(ui: &mut Ui, rows: &[ReviewRow]) {
    if rows.iter().all(|r| r.confidence.is_none()) {
        return;
    }
    let (guessed, sure) = review::mismatches(rows);
    ui.label(format!(
        "Confidence: {} right but guessed, {} wrong but sure.",
        guessed, sure
    ));
    ui.add_space(12.0);
}

/// The review's filter: all, missed, wrong, flagged, unanswered, or one skill area.
fn filters(ui: &mut Ui, bank: &Bank, view: &mut ResultsView, rows: &[ReviewRow]) {
    let count = |f: &ReviewFilter| rows.iter().filter(|r| r.matches(f)).count();
    ui.horizontal_wrapped(|ui| {
        ui.label("Show");
        for (f, name) in [
            (ReviewFilter::All, "All"),
            (ReviewFilter::Missed, "Missed"),
            (ReviewFilter::Wrong, "Wrong"),
            (ReviewFilter::Flagged, "Flagged"),
            (ReviewFilter::Unanswered, "Unanswered"),
        ] {
            let text = format!("{name} ({})", count(&f));
            if ui.selectable_label(view.filter == f, text).clicked() {
                view.filter = f;
            }
        }
        let areas = review::time_by_area(bank, rows);
        let shown = match &view.filter {
            ReviewFilter::Area(id) => bank.domain_name(id).to_string(),
            _ => "Skill area…".to_string(),
        };
        let label = ui.label("or one skill area");
        egui::ComboBox::from_id_salt("review-area")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for a in areas {
                    let f = ReviewFilter::Area(a.domain_id.clone());
                    let text = format!("{} ({})", bank.domain_name(&a.domain_id), a.questions);
                    if ui.selectable_label(view.filter == f, text).clicked() {
                        view.filter = f;
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
    if count(&view.filter) == 0 {
        ui.label("No question matches this filter.");
    }
}

/// The score as the real exam reports it: by category, with the skill areas beneath.
fn area_table(ui: &mut Ui, bank: &Bank, view: &ResultsView) {
    ui.heading("By category and skill area");
    egui::Grid::new("areas")
        .num_columns(3)
        .striped(true)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            ui.label(RichText::new("Category / skill area").strong());
            ui.label(RichText::new("Correct").strong());
            ui.label(RichText::new("Score").strong());
            ui.end_row();
            for c in view.report.by_category(bank) {
                ui.label(RichText::new(&c.name).strong());
                ui.label(RichText::new(format!("{}/{}", c.correct, c.total)).strong());
                share_bar(ui, (c.percent() / 100.0) as f32, 160.0);
                ui.end_row();
                for d in c.areas.iter().filter_map(|&i| view.report.domains.get(i)) {
                    ui.horizontal(|ui| {
                        ui.add_space(18.0);
                        ui.label(&d.name);
                    });
                    ui.label(format!("{}/{}", d.correct, d.total));
                    share_bar(ui, (d.percent() / 100.0) as f32, 160.0);
                    ui.end_row();
                }
            }
        });
}

fn questions(
    ui: &mut Ui,
    bank: &Bank,
    view: &ResultsView,
    rows: &[ReviewRow],
    out: &mut Vec<Command>,
) {
    let s = &view.session;
    for (row, result) in rows.iter().zip(&view.report.items) {
        if !row.matches(&view.filter) {
            continue;
        }
        let i = row.position;
        let item = &s.items[i];
        let Some(q) = bank.question(&item.question_id) else {
            continue;
        };
        // The verdict leads the folded row, so a glance down the list shows what went wrong.
        let verdict = if result.is_correct {
            RichText::new("Correct").color(good_color(ui))
        } else if result.selected.is_empty() {
            RichText::new("Unanswered").color(bad_color(ui))
        } else if !q.picks().complete(result.selected.len()) {
            RichText::new("Partly answered").color(bad_color(ui))
        } else {
            RichText::new("Wrong").color(bad_color(ui))
        };
        let mut header = egui::text::LayoutJob::default();
        let parts = [
            RichText::new(format!("{}. ", i + 1)),
            verdict.strong(),
            // Time and confidence next to the verdict, where a long stem cannot push them off.
            RichText::new(row_details(row)).weak(),
            RichText::new(format!(
                " · {} — {}",
                super::question::short(&q.stem, 80),
                bank.domain_name(&q.domain)
            )),
        ];
        for part in parts {
            part.append_to(
                &mut header,
                ui.style(),
                egui::FontSelection::Default,
                egui::Align::Center,
            );
        }
        egui::CollapsingHeader::new(header)
            .id_salt(("result-q", i))
            .show(ui, |ui| {
                let root = &bank.root;
                if let Some(text) = bank.scenario_text(q) {
                    let look = Look {
                        italics: true,
                        ..Look::body()
                    };
                    super::rich::show(ui, root, text, look);
                }
                let stem = Look {
                    strong: true,
                    ..Look::body()
                };
                super::rich::show(ui, root, &q.stem, stem);
                for (pos, oid) in item.option_order.iter().enumerate() {
                    let Some(opt) = q.option(oid) else { continue };
                    let chosen = result.selected.contains(oid);
                    let tag = match (opt.correct, chosen) {
                        (true, true) => "your answer, correct",
                        (true, false) => "correct answer",
                        (false, true) => "your answer",
                        (false, false) => "",
                    };
                    let look = Look {
                        color: if opt.correct {
                            Some(good_color(ui))
                        } else if chosen {
                            Some(bad_color(ui))
                        } else {
                            None
                        },
                        ..Look::body()
                    };
                    let prefix = format!("{}. ", letter(pos));
                    let (line, below) = super::rich::option_label(ui, &prefix, &opt.text, look);
                    ui.horizontal_wrapped(|ui| {
                        ui.label(line);
                        if !tag.is_empty() {
                            ui.label(RichText::new(format!("({tag})")).small().strong());
                        }
                    });
                    if !below.is_empty() {
                        ui.indent(("opt-rest", i, pos), |ui| {
                            super::rich::blocks(ui, root, &below, look, 0)
                        });
                    }
                    if let Some(e) = &opt.explanation {
                        ui.indent(("exp", i, pos), |ui| {
                            super::rich::show(ui, root, e, Look::small())
                        });
                    }
                }
                if let Some(e) = &q.explanation {
                    super::rich::show(ui, root, e, Look::body());
                }
                if let Some(r) = &q.reference {
                    ui.label(RichText::new(r).small().weak());
                }
                super::note::tools(ui, &view.notes, bank.id(), &q.id, out);
                super::problem::button(ui, &view.problem, bank.id(), &q.id, out);
            });
    }
}

/// " · 1:05 · guess, right but guessed": the time on screen and the confidence, where
/// recorded.
fn row_details(row: &ReviewRow) -> String {
    let mut text = String::new();
    if !row.time.is_zero() {
        text.push_str(&format!(" · {}", clock(row.time)));
    }
    if let Some(c) = row.confidence {
        text.push_str(&format!(" · {}", c.label().to_lowercase()));
        if let Some(m) = c.mismatch(row.right && !row.unanswered) {
            text.push_str(&format!(", {m}"));
        }
    }
    text
}

impl CertprepApp {
    /// Start the retake of a shown attempt: a new attempt of `question_ids` in the same
    /// bank and mode, the time limit at the original's pace, options shuffled afresh.
    pub(super) fn run_results(&mut self, cmd: ResultsCmd) {
        let ResultsCmd::Retake {
            attempt_id,
            question_ids,
        } = cmd;
        let Screen::Results(view) = &self.screen else {
            return;
        };
        let s = &view.session;
        if s.attempt_id != attempt_id || question_ids.is_empty() {
            return;
        }
        let Some(bank) = self.banks.bank(&s.bank_id) else {
            return;
        };
        let seed = crate::exam::random_seed();
        let items = review::retake_items(bank, &question_ids, seed);
        let spec = super::exam::AttemptSpec {
            mode: s.mode,
            seed,
            pass_percent: s.pass_percent,
            time_limit: review::retake_limit(s.clock.limit, s.len(), items.len()),
            items,
            pack_id: None,
            title: Some(format!("{} — retake", view.title)),
            // A retake of the wrong and flagged ones is no mock exam: readiness predicts
            // a whole blueprint exam, and scoring it here would skew its calibration.
            predict: false,
        };
        let bank_id = s.bank_id.clone();
        self.begin_attempt(&bank_id, spec);
    }

    /// Open the Results screen on a finished attempt (from Home's recent results or after a
    /// study session of its missed questions).
    pub(super) fn show_results(&mut self, id: i64) {
        let loaded = match &self.store {
            Ok(store) => store.load_session(id),
            Err(_) => return,
        };
        match loaded {
            Ok(Some(l)) => match self.banks.bank(&l.session.bank_id) {
                Some(bank) => {
                    let report = l.session.score(bank);
                    let elapsed = l.session.clock.used(self.now());
                    let title = l.title.unwrap_or_else(|| bank.manifest.title.clone());
                    self.screen = Screen::Results(Box::new(ResultsView::new(
                        l.session,
                        title,
                        report,
                        elapsed,
                        &self.store,
                    )));
                }
                None => {
                    self.notice = Some(error_notice(format!(
                        "The bank \"{}\" of that exam is not loaded.",
                        l.session.bank_id
                    )))
                }
            },
            Ok(None) => {}
            Err(e) => self.notice = Some(error_notice(e.to_string())),
        }
    }
}
