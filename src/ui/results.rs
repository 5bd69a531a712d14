//! Results: score, pass/fail, the per-skill-area table, then every question with the chosen
//! answer, the correct one and all explanations.

use super::rich::Look;
use super::study::StudyCmd;
use super::widgets::{bad_color, clock, good_color, letter, share_bar};
use super::{CertprepApp, Command, Screen, error_notice};
use crate::bank::Bank;
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
    pub only_incorrect: bool,
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
            only_incorrect: false,
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

pub fn show(ui: &mut Ui, bank: &Bank, view: &mut ResultsView, out: &mut Vec<Command>) {
    egui::CentralPanel::default().show(ui, |ui| {
        // Each attempt's results open at the top, not where the last screen was scrolled to.
        egui::ScrollArea::vertical()
            .id_salt(("results", view.session.attempt_id))
            .show(ui, |ui| {
                summary(ui, bank, view, out);
                ui.add_space(12.0);
                area_table(ui, bank, view);
                ui.add_space(12.0);
                ui.heading("Question review");
                ui.checkbox(
                    &mut view.only_incorrect,
                    "Show only the questions I missed (wrong or unanswered)",
                );
                questions(ui, bank, view, out);
            });
    });
    super::problem::dialog(ui, &mut view.problem, out);
    super::note::dialog(ui, &mut view.notes, out);
}

fn summary(ui: &mut Ui, bank: &Bank, view: &ResultsView, out: &mut Vec<Command>) {
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
    });
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

fn questions(ui: &mut Ui, bank: &Bank, view: &ResultsView, out: &mut Vec<Command>) {
    let s = &view.session;
    for (i, (item, result)) in s.items.iter().zip(&view.report.items).enumerate() {
        if view.only_incorrect && result.is_correct {
            continue;
        }
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

impl CertprepApp {
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
