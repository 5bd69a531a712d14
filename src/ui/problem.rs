//! "Report a problem with this question": the button on a question (Results' question review,
//! Study once an answer is checked), the modal that takes the report, and the study group's
//! "Problem reports" section. The Results and Study screens each own a [`ProblemForm`]; the
//! commands ([`ProblemCmd`]) are applied here, on whichever of the two is on screen.
//! docs/question-reports.md has where reports live and how they travel.

use super::{CertprepApp, Command, Notice, NoticeKind, Screen, error_notice};
use crate::group::MemberProblem;
use crate::reports::{MAX_REPORT_CHARS, ReportKind};
use crate::store::reports::NewReport;
use crate::store::{Store, StoreError};
use egui::{RichText, Ui};
use std::collections::{BTreeMap, BTreeSet};

/// What the report button and its dialog ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum ProblemCmd {
    /// Open the dialog on a question of the screen on show.
    Open {
        bank_id: String,
        question_id: String,
    },
    /// Save the report as the dialog holds it.
    Send,
    /// Close the dialog; nothing is saved.
    Cancel,
}

impl From<ProblemCmd> for Command {
    fn from(c: ProblemCmd) -> Command {
        Command::Problem(c)
    }
}

/// The report being written in the dialog.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub bank_id: String,
    pub question_id: String,
    pub kind: ReportKind,
    pub text: String,
    /// Why the last "Send report" did not save (the dialog stays open).
    pub error: Option<String>,
    /// The text box takes the focus once, when the dialog opens.
    focused: bool,
}

/// A screen's report state: the open dialog and what this learner has reported on the
/// screen's bank (read when the screen opens and after each save, not every frame).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProblemForm {
    pub draft: Option<Draft>,
    /// Question id -> the kinds reported on it.
    pub reported: BTreeMap<String, BTreeSet<ReportKind>>,
}

impl ProblemForm {
    /// The form for a screen on `bank_id`, with the reports already made on its questions.
    pub fn load(store: &Result<Store, StoreError>, bank_id: &str) -> ProblemForm {
        let mut form = ProblemForm::default();
        if let Ok(store) = store {
            form.reload(store, bank_id);
        }
        form
    }

    fn reload(&mut self, store: &Store, bank_id: &str) {
        self.reported.clear();
        // Without the list the buttons still work; the "you reported" line is what is lost.
        for r in store.reports().unwrap_or_default() {
            if r.bank_id == bank_id {
                self.reported
                    .entry(r.question_id)
                    .or_default()
                    .insert(r.kind);
            }
        }
    }

    pub fn is_open(&self) -> bool {
        self.draft.is_some()
    }
}

/// The "Report a problem…" button for one question, and the line saying what was reported.
pub fn button(
    ui: &mut Ui,
    form: &ProblemForm,
    bank_id: &str,
    question_id: &str,
    out: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Report a problem…")
            .on_hover_text(
                "Think this question is wrong, unclear or out of date? Tell the bank's author: \
                 reports are kept on this computer and can be exported from Settings.",
            )
            .clicked()
        {
            out.push(
                ProblemCmd::Open {
                    bank_id: bank_id.to_string(),
                    question_id: question_id.to_string(),
                }
                .into(),
            );
        }
        if let Some(kinds) = form.reported.get(question_id) {
            let kinds: Vec<&str> = kinds.iter().map(|k| k.label()).collect();
            ui.label(
                RichText::new(format!("You reported this question ({})", kinds.join(", "))).weak(),
            );
        }
    });
}

/// The dialog, when it is open: the kind, the text, "Send report" and "Cancel" (Esc).
pub fn dialog(ui: &mut Ui, form: &mut ProblemForm, out: &mut Vec<Command>) {
    let Some(d) = &mut form.draft else {
        return;
    };
    egui::Modal::new(egui::Id::unique("report-problem")).show(ui.ctx(), |ui| {
        ui.set_max_width(520.0);
        ui.heading("Report a problem with this question");
        ui.label(
            RichText::new(format!("Question {}", d.question_id))
                .small()
                .weak(),
        );
        ui.add_space(4.0);
        ui.label("What is wrong?");
        for k in ReportKind::ALL {
            let mut label = k.label().to_string();
            if let Some(first) = label.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            ui.radio_value(&mut d.kind, k, label);
        }
        ui.add_space(4.0);
        let l = ui.label("Details (optional): what is wrong, and what would be right");
        let edit = ui
            .add(
                egui::TextEdit::multiline(&mut d.text)
                    .desired_rows(4)
                    .desired_width(f32::INFINITY)
                    .char_limit(MAX_REPORT_CHARS),
            )
            .labelled_by(l.id);
        if !d.focused {
            d.focused = true;
            edit.request_focus();
        }
        ui.label(
            RichText::new(format!(
                "{} of {MAX_REPORT_CHARS} characters",
                d.text.chars().count()
            ))
            .small()
            .weak(),
        );
        if let Some(e) = &d.error {
            ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
        }
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            if ui.button("Send report").clicked() {
                out.push(ProblemCmd::Send.into());
            }
            if ui.button("Cancel").clicked() {
                out.push(ProblemCmd::Cancel.into());
            }
        });
    });
    // Esc cancels; a click outside does not (it would lose what was typed).
    if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        out.push(ProblemCmd::Cancel.into());
    }
}

/// The group screen's "Problem reports" section: per question, each member's kind and text.
pub fn group_section(ui: &mut Ui, problems: &BTreeMap<String, Vec<MemberProblem>>) {
    if problems.is_empty() {
        return;
    }
    ui.add_space(8.0);
    egui::CollapsingHeader::new(format!(
        "Problem reports ({})",
        crate::text::count(crate::group::problems::count(problems), "report", "reports")
    ))
    .id_salt("group-problems")
    .default_open(true)
    .show(ui, |ui| {
        ui.label(
            RichText::new(
                "What members said was wrong with a question when they sat the pack: check \
                 these before discussing the questions.",
            )
            .small()
            .weak(),
        );
        for (qid, list) in problems {
            ui.label(RichText::new(qid).strong());
            for p in list {
                ui.indent(("problem", qid, &p.member, p.kind), |ui| {
                    let mut line = format!("{} — {}", p.member, p.kind.label());
                    if !p.text.is_empty() {
                        line.push_str(": ");
                        line.push_str(&p.text);
                    }
                    ui.label(line);
                });
            }
        }
    });
}

/// The open form of the screen on show (Results or Study).
fn form_of(screen: &mut Screen) -> Option<&mut ProblemForm> {
    match screen {
        Screen::Results(v) => Some(&mut v.problem),
        Screen::Study(v) => Some(&mut v.problem),
        _ => None,
    }
}

impl CertprepApp {
    pub(super) fn run_problem(&mut self, cmd: ProblemCmd) {
        let now = self.utc_now();
        let Some(form) = form_of(&mut self.screen) else {
            return;
        };
        match cmd {
            ProblemCmd::Open {
                bank_id,
                question_id,
            } => {
                form.draft = Some(Draft {
                    bank_id,
                    question_id,
                    kind: ReportKind::WrongKey,
                    text: String::new(),
                    error: None,
                    focused: false,
                })
            }
            ProblemCmd::Cancel => form.draft = None,
            ProblemCmd::Send => {
                let Some(d) = &mut form.draft else {
                    return;
                };
                let Ok(store) = &self.store else {
                    d.error = Some(
                        "The database is not available, so the report cannot be saved.".into(),
                    );
                    return;
                };
                let saved = store.add_report(
                    &NewReport {
                        bank_id: &d.bank_id,
                        question_id: &d.question_id,
                        kind: d.kind,
                        text: &d.text,
                    },
                    now,
                );
                match saved {
                    Ok(r) => {
                        let bank_id = r.bank_id.clone();
                        form.draft = None;
                        form.reload(store, &bank_id);
                        // The report just saved shows even if the list could not be read.
                        form.reported
                            .entry(r.question_id)
                            .or_default()
                            .insert(r.kind);
                        self.notice = Some(Notice {
                            kind: NoticeKind::Info,
                            text: "Report saved. It is kept on this computer and goes to your \
                                   synced ones; to send reports to the bank's author, export \
                                   them under Question reports in Settings."
                                .into(),
                        });
                    }
                    Err(e @ StoreError::Report(_)) => d.error = Some(e.to_string()),
                    Err(e) => {
                        d.error = Some(format!("The report could not be saved: {e}"));
                        self.notice =
                            Some(error_notice(format!("The report could not be saved: {e}")));
                    }
                }
            }
        }
    }

    /// The reports the learner made on the questions of the attempt on Results, for the
    /// result file a study-group member sends (in any order: the result sorts them). An
    /// error when they cannot be read: the result is then not written without them.
    pub(super) fn reports_for_result(
        &self,
        bank_id: &str,
        question_ids: &[&str],
    ) -> Result<Vec<crate::group::ResultReport>, StoreError> {
        let Ok(store) = &self.store else {
            return Ok(Vec::new());
        };
        let all = store.reports()?;
        let wanted: BTreeSet<&str> = question_ids.iter().copied().collect();
        let reports = all
            .into_iter()
            .filter(|r| r.bank_id == bank_id && wanted.contains(r.question_id.as_str()))
            .map(|r| crate::group::ResultReport {
                question_id: r.question_id,
                kind: r.kind,
                text: r.text,
                at: r.created_at,
            })
            .collect();
        Ok(reports)
    }
}
