//! Home is the dashboard: readiness with pass probability, mastery per skill area, the
//! weakest areas, today's queue, charts, the exam-date plan; then the banks, the resume
//! banner, recent results, and banks that failed to load.

use super::exam::ExamCmd;
use super::setup::SetupCmd;
use super::study::StudyCmd;
use super::widgets::band_bar;
use super::{Command, Dashboard, HomeData, Unfinished};
use crate::bank::LoadReport;
use crate::plan::ExamPlan;
use crate::store::backup::BackupInfo;
use crate::store::{Store, StoreError};
use egui::{RichText, Ui};

pub fn show(
    ui: &mut Ui,
    banks: &LoadReport,
    store: &Result<Store, StoreError>,
    backups: &[BackupInfo],
    sync_warning: Option<&str>,
    home: &mut HomeData,
    out: &mut Vec<Command>,
) {
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().id_salt("home").show(ui, |ui| {
            ui.heading("certprep");
            ui.label("Practice exams for your certification, one skill area at a time.");
            ui.add_space(8.0);
            if let Err(e) = store {
                store_problem(ui, e, backups, out);
            }
            if let Some(w) = sync_warning {
                ui.label(RichText::new(w).color(ui.visuals().warn_fg_color));
                if ui.button("Set up sync through a folder").clicked() {
                    out.push(Command::OpenSettings);
                }
                ui.add_space(8.0);
            }
            if let Some(u) = &home.unfinished {
                resume_banner(ui, u, &mut home.confirm_discard, out);
            }
            bank_list(ui, banks, store.is_ok(), out);
            ui.add_space(12.0);
            bank_picker(ui, banks, home, out);
            if let Some(d) = &mut home.dashboard
                && let Some(bank) = banks.bank(&d.bank_id)
            {
                dashboard(ui, bank, d, out);
                plan_section(ui, bank, d, &mut home.plan_date, &mut home.plan_target, out);
                super::note::home_section(ui, bank, &d.notes, &mut d.notes_query);
            }
            ui.add_space(12.0);
            recent(ui, home, banks, out);
            failures(ui, banks);
        });
    });
}

/// The newest attempt still in progress, with what Home says about it. Read when Home is
/// entered: the answers are marked here so the discard question can say how many count.
pub(super) fn unfinished(store: &Store, banks: &LoadReport) -> Option<Unfinished> {
    let summary = store.unfinished_attempt().ok().flatten()?;
    let loaded = store.load_session(summary.id).ok().flatten();
    let bank = banks.bank(&summary.bank_id);
    let (answered, counted) = match (&loaded, bank) {
        (Some(l), Some(b)) => {
            let report = l.session.score(b);
            let counted = crate::srs::answered_items(&report, b).len();
            (l.session.answered_count(b), Some(counted))
        }
        (Some(l), None) => (l.session.with_picks(), None),
        (None, _) => (0, bank.map(|_| 0)),
    };
    let title = loaded
        .and_then(|l| l.title)
        .or_else(|| bank.map(|b| b.manifest.title.clone()))
        .unwrap_or_else(|| summary.bank_id.clone());
    // Answered on another computer last (sync): it can be continued here all the same.
    let elsewhere = store
        .remote_progress(summary.id)
        .ok()
        .flatten()
        .map(|r| r.name);
    Some(Unfinished {
        summary,
        title,
        answered,
        counted,
        elsewhere,
    })
}

/// The database could not be opened: say why, and for a damaged file offer the ways out,
/// each of which keeps the damaged file aside. Another window holding the history is a lock,
/// not damage, and is said so.
fn store_problem(ui: &mut Ui, e: &StoreError, backups: &[BackupInfo], out: &mut Vec<Command>) {
    let in_use = matches!(e, StoreError::InUse { .. } | StoreError::Locked { .. });
    egui::Frame::group(ui.style()).show(ui, |ui| {
        let headline = if in_use {
            "Your history is open in another certprep window."
        } else {
            "Your history cannot be opened, so nothing can be saved right now."
        };
        let color = if in_use {
            ui.visuals().warn_fg_color
        } else {
            ui.visuals().error_fg_color
        };
        ui.label(RichText::new(headline).strong().color(color));
        ui.label(e.to_string());
        if in_use {
            ui.label(
                "Nothing is wrong with it: one window at a time keeps it, so that two cannot \
                 write over each other. Carry on in the other window, or close it and press \
                 Try again.",
            );
            if ui.button("Try again").clicked() {
                out.push(Command::ReopenStore);
            }
        }
        if let StoreError::Corrupt { .. } = e {
            ui.add_space(4.0);
            if let Some(b) = backups.first() {
                let label = format!(
                    "Restore the backup of {}",
                    super::widgets::local_time(b.taken_at)
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

/// An exam left unfinished: resume it, or discard it after a confirmation that says what
/// happens to its answers. "Discard…" only opens the question (Tab then Enter from Resume
/// cannot lose the exam); the dialog opens with "Keep it" focused.
fn resume_banner(ui: &mut Ui, u: &Unfinished, confirm: &mut bool, out: &mut Vec<Command>) {
    let a = &u.summary;
    egui::Frame::group(ui.style())
        .fill(ui.visuals().faint_bg_color)
        .show(ui, |ui| {
            match &u.elsewhere {
                Some(name) => ui.label(
                    RichText::new(format!("You have an unfinished exam — in progress on {name}"))
                        .strong(),
                ),
                None => ui.label(RichText::new("You have an unfinished exam").strong()),
            };
            ui.label(format!(
                "{}: {} started {}, {} of {} answered.",
                u.title,
                a.mode.as_str(),
                super::widgets::local_time(a.started_at),
                u.answered,
                a.question_count
            ));
            if u.elsewhere.is_some() {
                ui.label(
                    "Resume it here to carry on with the answers and time from there; close it on the other computer first, or answers given there after the last sync will \
                     arrive later.",
                );
            }
            ui.label("Time while certprep was closed does not count against you.");
            ui.horizontal_wrapped(|ui| {
                if ui.button("Resume exam").clicked() {
                    out.push(ExamCmd::Resume(a.id).into());
                }
                if ui.button("Discard…").clicked() {
                    *confirm = true;
                }
            });
        });
    ui.add_space(8.0);
    if *confirm {
        discard_dialog(ui, u, confirm, out);
    }
}

fn discard_dialog(ui: &mut Ui, u: &Unfinished, confirm: &mut bool, out: &mut Vec<Command>) {
    let modal = egui::Modal::new(egui::Id::unique("discard-exam")).show(ui.ctx(), |ui| {
        ui.set_max_width(460.0);
        ui.heading("Discard this exam?");
        ui.label(discard_consequence(u));
        ui.add_space(8.0);
        ui.horizontal_wrapped(|ui| {
            let keep = ui.button("Keep it");
            if ui.memory(|m| m.focused().is_none()) {
                keep.request_focus();
            }
            if keep.clicked() {
                *confirm = false;
            }
            let discard = RichText::new("Discard exam").color(ui.visuals().error_fg_color);
            if ui.button(discard).clicked() {
                out.push(ExamCmd::Discard(u.summary.id).into());
                *confirm = false;
            }
        });
    });
    if modal.should_close() {
        *confirm = false;
    }
}

/// What discarding does, with the number of answers that still count.
fn discard_consequence(u: &Unfinished) -> String {
    let gone = "It will not be scored and cannot be resumed.";
    match u.counted {
        Some(0) => format!("{gone} It has no answers yet."),
        Some(n) => format!(
            "{gone} Your {} still {} as study reviews, as if you had submitted: right ones \
             as known, wrong ones to see again soon.",
            crate::text::count(n, "answer", "answers"),
            crate::text::noun(n, "counts", "count"),
        ),
        None => format!(
            "{gone} Its bank \"{}\" is not loaded, so its answers cannot be marked and will \
             not count.",
            u.summary.bank_id
        ),
    }
}

fn bank_list(ui: &mut Ui, banks: &LoadReport, can_start: bool, out: &mut Vec<Command>) {
    ui.heading("Question banks");
    if banks.banks.is_empty() {
        ui.label("No question banks were found. Put bank folders under question-banks/ in your data folder (Help, About certprep shows where) and press Reload.");
    }
    for bank in &banks.banks {
        // The button first, then the text: the text wraps in whatever width is left, so a
        // narrow window or large text never pushes the button out of reach.
        ui.horizontal(|ui| {
            let start = ui.add_enabled(can_start, egui::Button::new("Practice…"));
            // Every row has the same button; its accessible name says which bank it opens.
            let name = format!("Practice {}", bank.manifest.title);
            super::widgets::name_button(&start, &name);
            if start.clicked() {
                out.push(
                    SetupCmd::Open {
                        bank_id: Some(bank.id().to_string()),
                    }
                    .into(),
                );
            }
            // The mock exam stays one click away: the whole bank by the blueprint, timed.
            let mock = ui.add_enabled(can_start, egui::Button::new("Mock exam"));
            super::widgets::name_button(&mock, &format!("Mock exam {}", bank.manifest.title));
            if mock.clicked() {
                let form = super::SetupForm::for_bank(banks, Some(bank.id()));
                out.push(SetupCmd::Start(form).into());
            }
            ui.vertical(|ui| {
                ui.label(RichText::new(&bank.manifest.title).strong());
                ui.label(
                    RichText::new(format!(
                        "{} · {} · version {} · mock exam: {}, {}, pass {}%",
                        crate::text::count(bank.questions.len(), "question", "questions"),
                        crate::text::count(
                            bank.manifest.domains.len(),
                            "skill area",
                            "skill areas"
                        ),
                        bank.manifest.version,
                        crate::text::count(
                            bank.manifest.exam.questions as usize,
                            "question",
                            "questions"
                        ),
                        crate::text::count(
                            bank.manifest.exam.minutes as usize,
                            "minute",
                            "minutes"
                        ),
                        bank.manifest.exam.pass_percent
                    ))
                    .small()
                    .weak(),
                );
            });
        });
        ui.add_space(6.0);
    }
    if ui.button("Reload banks").clicked() {
        out.push(Command::ReloadBanks);
    }
}

fn bank_picker(ui: &mut Ui, banks: &LoadReport, home: &HomeData, out: &mut Vec<Command>) {
    if banks.banks.len() < 2 {
        return;
    }
    let current = home.dashboard.as_ref().map(|d| d.bank_id.as_str());
    ui.horizontal_wrapped(|ui| {
        ui.label("Dashboard for:");
        for b in &banks.banks {
            let selected = current == Some(b.id());
            let tab = ui.selectable_label(selected, &b.manifest.title);
            // The bank list above shows the same titles: the name says what this one does.
            tab.widget_info(|| {
                egui::WidgetInfo::selected(
                    egui::Role::Tab,
                    true,
                    selected,
                    format!("Dashboard for {}", b.manifest.title),
                )
            });
            if tab.clicked() {
                out.push(Command::SelectBank(b.id().to_string()));
            }
        }
    });
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// What the pass mark is: the learner's assumption, since the real exam's cut is not
/// published (said wherever a chance of passing is shown).
fn pass_mark_caveat(pass_mark: f64) -> String {
    let note = crate::text::pass_mark_note(pass_mark);
    // Capitalised: it starts a sentence here.
    format!("P{}. Change it in Settings.", &note[1..])
}

fn dashboard(ui: &mut Ui, bank: &crate::bank::Bank, d: &Dashboard, out: &mut Vec<Command>) {
    let r = &d.report.readiness;
    ui.heading(format!("Readiness · {}", bank.manifest.title));
    egui::Frame::group(ui.style()).show(ui, |ui| {
        if d.report.is_prior_only() {
            // Before any answer the model holds only its prior (50%, anything possible): a
            // number there would look like a verdict on someone who has not started.
            ui.label(RichText::new("No prediction yet").size(22.0).strong());
            ui.label(format!(
                "Answer questions in Study or sit a mock exam: your predicted score, its likely \
                 range and your chance of passing appear here, and narrow as you go. {} \
                 questions to work through.",
                d.report.total
            ));
            ui.label(RichText::new(pass_mark_caveat(r.pass_mark)).small().weak());
        } else {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!("Predicted score {}", pct(r.predicted)))
                        .size(22.0)
                        .strong(),
                );
                ui.label(format!(
                    "your next mock exam: {}–{} (80% likely) · chance of passing {}",
                    pct(r.low),
                    pct(r.high),
                    pct(r.pass_probability)
                ));
            });
            band_bar(ui, r.predicted, r.low, r.high, Some(r.pass_mark), ui.available_width().min(640.0));
            ui.label(RichText::new(pass_mark_caveat(r.pass_mark)).small().weak());
            ui.label(
                RichText::new(format!(
                    "Seen {} of {} questions. The band narrows as you answer more; the orange line is the pass mark.",
                    d.report.seen, d.report.total
                ))
                .small()
                .weak(),
            );
        }
        for line in crate::mastery::rasch::describe(&d.report.model, d.report.model_note.as_deref()) {
            ui.label(RichText::new(line).small().weak());
        }
        if let Some(note) = crate::srs::retired_note(bank, d.retired) {
            ui.label(RichText::new(note).small().weak());
        }
        exam_day_line(ui, d, out);
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            let (due, new) = d.outlook.study_now.unwrap_or((d.due_now, d.new_available));
            let label = format!("Study now: {due} due, {new} new");
            if ui.button(RichText::new(label).strong()).clicked() {
                out.push(
                    StudyCmd::Start {
                        bank_id: d.bank_id.clone(),
                        area: None,
                    }
                    .into(),
                );
            }
            ui.label(format!("{} reviewed today", d.reviewed_today));
        });
        if let Some(b) = &d.outlook.budget {
            ui.label(RichText::new(budget_text(b)).small().weak());
        }
        if let Some(n) = d.outlook.fit_offer {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(format!(
                        "You have {n} or more reviews FSRS can learn your memory from."
                    ))
                    .small(),
                );
                if ui.small_button("Fit FSRS to my reviews…").clicked() {
                    out.push(Command::OpenSettings);
                    out.push(super::SettingsCmd::Optimise.into());
                }
            });
        }
        activity_strip(ui, &d.activity);
    });
    ui.add_space(8.0);
    ui.label(RichText::new("Mastery by category and skill area").strong());
    // Sized to the window: names and notes wrap and the bars shrink, so the Study buttons
    // stay in view at 200% text in a small window. (No sideways scrolling: egui scrolls a
    // widget inside nested scroll areas into view only in the inner one.)
    let width = ui.available_width();
    let name_width = (width * 0.34).clamp(120.0, 420.0);
    let bar_width = (width * 0.2).clamp(70.0, 220.0);
    let note_width = (width * 0.2).clamp(90.0, 200.0);
    let wrapped = |ui: &mut Ui, max: f32, text: RichText| {
        ui.scope(|ui| {
            ui.set_max_width(max);
            ui.add(egui::Label::new(text).wrap());
        });
    };
    let exam_day = !d.outlook.exam_day.is_empty();
    egui::Grid::new("mastery")
        .num_columns(4 + exam_day as usize)
        .striped(true)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for c in d.report.by_category(bank) {
                // The real exam reports by these categories: each is a row of its own, its
                // areas beneath.
                ui.vertical(|ui| {
                    wrapped(ui, name_width, RichText::new(&c.name).strong());
                    ui.label(
                        RichText::new(format!("{:.0}% of a mock exam", c.exam_share * 100.0))
                            .small()
                            .weak(),
                    );
                });
                ui.label("");
                let shown = if d.report.is_prior_only() {
                    String::new()
                } else {
                    pct(c.mastery)
                };
                ui.label(RichText::new(shown).strong());
                if exam_day {
                    ui.label("");
                }
                ui.label("");
                ui.end_row();
                for a in c.areas.iter().filter_map(|&i| d.report.areas.get(i)) {
                ui.vertical(|ui| {
                    wrapped(
                        ui,
                        name_width,
                        RichText::new(format!("{} ({:.0}%)", a.name, a.weight * 100.0)),
                    );
                    ui.label(
                        RichText::new(format!("{} / {} seen", a.seen, a.total))
                            .small()
                            .weak(),
                    );
                });
                if a.seen == 0 {
                    // An unstarted area's estimate is borrowed from the others (or is the
                    // bare prior): say so instead of drawing a 0–100% band.
                    ui.label(RichText::new("not started").weak());
                    let note = if d.report.is_prior_only() {
                        String::new()
                    } else {
                        format!("~{} from other areas", pct(a.mastery))
                    };
                    wrapped(ui, note_width, RichText::new(note).weak());
                } else {
                    band_bar(ui, a.mastery, a.low, a.high, None, bar_width);
                    wrapped(
                        ui,
                        note_width,
                        RichText::new(format!(
                            "{} ({}–{})",
                            pct(a.mastery),
                            pct(a.low),
                            pct(a.high)
                        )),
                    );
                }
                if exam_day {
                    let recall = d.outlook.exam_day.iter().find(|r| r.domain_id == a.domain_id);
                    match recall.filter(|r| r.seen > 0) {
                        Some(r) => ui
                            .label(format!("exam day {}", pct(r.keeping_up)))
                            .on_hover_text(format!(
                                "Recall of the {} seen on exam day if you keep up with reviews; {} if you stopped today.",
                                crate::text::count(r.seen, "question", "questions"),
                                pct(r.if_stopped)
                            )),
                        None => ui.label(""),
                    };
                }
                let name = format!("Study {} only", a.name);
                let button = ui.small_button("Study").on_hover_text(&name);
                study_area_on_click(&button, &name, &d.bank_id, a, out);
                ui.end_row();
                }
            }
        });
    ui.add_space(8.0);
    ui.label(RichText::new("Weakest areas").strong());
    let weakest = if d.report.is_prior_only() {
        // With no answers every area sits at the same prior: there is nothing to rank yet.
        ui.label(
            RichText::new("Answer a few questions first; the weakest areas show once there is something to compare.")
                .weak(),
        );
        Vec::new()
    } else {
        d.report.weakest(3)
    };
    for a in weakest {
        ui.horizontal_wrapped(|ui| {
            let started = if a.seen == 0 { " (not started)" } else { "" };
            ui.label(format!("{}: {}{started}", a.name, pct(a.mastery)));
            let button = ui.button("Study this area");
            study_area_on_click(
                &button,
                &format!("Study this area: {}", a.name),
                &d.bank_id,
                a,
                out,
            );
        });
    }
    ui.add_space(8.0);
    charts(ui, d);
    if let Some(c) = &d.calibration {
        ui.label(format!(
            "How well predictions matched your mock exams: {}, off by {:.0} points on average ({}), {} of {} inside the predicted band.",
            crate::text::count(c.exams, "exam", "exams"),
            c.mean_abs_error * 100.0,
            if c.bias > 0.005 {
                format!("certprep was {:.0} points optimistic", c.bias * 100.0)
            } else if c.bias < -0.005 {
                format!("certprep was {:.0} points cautious", -c.bias * 100.0)
            } else {
                "no lean either way".to_string()
            },
            c.inside_band,
            c.exams
        ));
    } else {
        let text = if d.exam_scores.is_empty() {
            "Sit a timed mock exam to see how well the prediction matches your real score."
        } else {
            "Mock exams sat after your first answers are compared with the prediction made as \
             they started; earlier ones had no prediction to compare."
        };
        ui.label(RichText::new(text).small().weak());
    }
}

/// Recall of the seen questions on exam day, beside today's figures, and in the last days
/// before the exam the offer of a final review.
fn exam_day_line(ui: &mut Ui, d: &Dashboard, out: &mut Vec<Command>) {
    let (Some(date), Some(all)) = (d.outlook.exam_date, d.outlook.exam_day.last()) else {
        return;
    };
    if all.seen > 0 {
        ui.label(format!(
            "On exam day ({}): you would recall {} of the {} seen if you keep up with your \
             reviews, {} if you stopped today.",
            crate::text::long_date(date),
            pct(all.keeping_up),
            crate::text::count(all.seen, "question", "questions"),
            pct(all.if_stopped)
        ));
    }
    if let Some(n) = d.outlook.final_review {
        ui.horizontal(|ui| {
            let label = format!(
                "Final review: the {} you are most likely to forget by the exam",
                crate::text::count(n, "question", "questions")
            );
            if ui.button(label).clicked() {
                out.push(
                    StudyCmd::ExamReview {
                        bank_id: d.bank_id.clone(),
                    }
                    .into(),
                );
            }
        });
    }
}

/// What the daily time budget fits, what it leaves for tomorrow and what that costs.
pub fn budget_text(b: &BudgetNote) -> String {
    let mut t = format!(
        "Daily budget {} min: about {} at your {:.0} s an answer; {} left today.",
        b.minutes,
        crate::text::count(b.per_day, "answer", "answers"),
        b.seconds_per_answer,
        b.left_today
    );
    if b.due_left_out > 0 {
        t.push_str(&format!(
            " {} due wait until tomorrow",
            crate::text::count(b.due_left_out, "question", "questions")
        ));
        match b.exam_day_cost {
            Some(c) => t.push_str(&format!(
                ", which lowers exam-day recall by {:.1} points.",
                c * 100.0
            )),
            None => t.push('.'),
        }
    }
    if let (Some(needs), Some((new, projected)), Some(full)) =
        (b.plan_needs, b.plan_within, b.plan_full)
    {
        t.push_str(&format!(
            " The exam-date plan needs about {needs:.0} answers a day; within the budget it \
             takes {} a day and projects {} instead of {}.",
            crate::text::count(new, "new question", "new questions"),
            pct(projected),
            pct(full)
        ));
    }
    t
}

/// The last four weeks as a row of squares, one per day, darker for more answers, and how
/// many of the last seven days had any: regular short sessions are what spaced repetition
/// needs, so the habit is worth showing.
fn activity_strip(ui: &mut Ui, days: &[(chrono::NaiveDate, usize)]) {
    let total: usize = days.iter().map(|d| d.1).sum();
    if total == 0 {
        return;
    }
    let most = days.iter().map(|d| d.1).max().unwrap_or(0).max(1);
    let week = days.iter().rev().take(7).filter(|d| d.1 > 0).count();
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 2.0;
        let v = ui.visuals().clone();
        for &(day, n) in days {
            let (rect, square) =
                ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
            let color = if n == 0 {
                v.widgets.inactive.bg_fill
            } else {
                // At least a third of full strength, so a single answer is visible.
                let strength = 0.35 + 0.65 * n as f32 / most as f32;
                v.selection.bg_fill.gamma_multiply(strength)
            };
            ui.painter().rect_filled(rect, 2.0, color);
            square.on_hover_text(format!(
                "{}: {}",
                crate::text::long_date(day),
                crate::text::count(n, "answer", "answers")
            ));
        }
        ui.add_space(8.0);
        ui.label(
            RichText::new(format!(
                "Studied on {week} of the last 7 days · {} in 4 weeks",
                crate::text::count(total, "answer", "answers")
            ))
            .small()
            .weak(),
        );
    });
}

/// Mock-exam scores and daily readiness over time (x axis: calendar days from the first point).
fn charts(ui: &mut Ui, d: &Dashboard) {
    use egui_plot::{HLine, Line, Plot, PlotPoints, Points};
    let first = d
        .exam_scores
        .iter()
        .map(|(t, _)| t.date_naive())
        .chain(d.readiness_history.iter().map(|p| p.day))
        .min();
    ui.label(RichText::new("Progress over time").strong());
    let Some(first) = first else {
        ui.label(
            RichText::new("Your predicted score, day by day, and your mock exam scores are charted here once you start.")
                .weak(),
        );
        return;
    };
    let day = |date: chrono::NaiveDate| (date - first).num_days() as f64;
    let scores: Vec<[f64; 2]> = d
        .exam_scores
        .iter()
        .map(|(t, s)| [day(t.date_naive()), s * 100.0])
        .collect();
    let readiness: Vec<[f64; 2]> = d
        .readiness_history
        .iter()
        .map(|p| [day(p.day), p.predicted * 100.0])
        .collect();
    let pass = d.report.readiness.pass_mark * 100.0;
    let readiness_color = egui::Color32::from_rgb(0x4a, 0x9e, 0xe8);
    let score_color = egui::Color32::from_rgb(0xe0, 0x9a, 0x3e);
    let pass_color = super::widgets::bad_color(ui);
    let last_day = scores
        .iter()
        .chain(&readiness)
        .map(|p| p[0])
        .fold(0.0, f64::max);
    // The key sits above the chart, not inside it: in a corner it covered the first days'
    // points, which are exactly where a new learner's history is.
    chart_key(
        ui,
        &[
            (readiness_color, "predicted readiness %"),
            (score_color, "mock exam score %"),
            (pass_color, "pass mark"),
        ],
    );
    Plot::new("progress")
        .height(180.0)
        .include_y(0.0)
        .include_y(100.0)
        .include_x(0.0)
        .include_x(last_day.max(7.0))
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .x_axis_formatter(move |mark, _| axis_date(first, mark.value))
        .label_formatter(move |hover| {
            let (name, at) = match hover {
                egui_plot::HoverPosition::NearDataPoint {
                    plot_name,
                    position,
                    ..
                } => (*plot_name, position),
                egui_plot::HoverPosition::Elsewhere { .. } => return None,
            };
            Some(format!(
                "{name}\n{}: {:.0}%",
                axis_date(first, at.x.round()),
                at.y
            ))
        })
        .show(ui, |p| {
            // Explicit colours, the ones the key above names: egui_plot would otherwise give
            // each series (the readiness line and its points too) its own automatic colour.
            p.hline(HLine::new("pass mark", pass).color(pass_color));
            p.line(
                Line::new("predicted readiness %", PlotPoints::from(readiness.clone()))
                    .color(readiness_color),
            );
            p.points(
                Points::new("predicted readiness %", PlotPoints::from(readiness))
                    .radius(3.0)
                    .color(readiness_color),
            );
            p.points(
                Points::new("mock exam score %", PlotPoints::from(scores))
                    .radius(4.0)
                    .color(score_color),
            );
        });
}

/// A row of coloured swatches with the series' names.
fn chart_key(ui: &mut Ui, series: &[(egui::Color32, &str)]) {
    ui.horizontal_wrapped(|ui| {
        for &(color, name) in series {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 4.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 1.0, color);
            ui.label(RichText::new(name).small());
            ui.add_space(8.0);
        }
    });
}

/// The calendar date `offset` days after `first`, for the chart's axis ("Nov 26"); the axis
/// counts whole days, so the in-between marks egui_plot proposes stay blank.
fn axis_date(first: chrono::NaiveDate, offset: f64) -> String {
    if offset.fract() != 0.0 || offset < 0.0 {
        return String::new();
    }
    (first + chrono::Duration::days(offset as i64))
        .format("%b %-d")
        .to_string()
}

/// A calendar beside the typed exam date: it opens on the typed date (or three months from
/// today) and writes the picked one back into the field as YYYY-MM-DD. The calendar's year,
/// month and day boxes carry no accessible names (egui_extras 0.37); the typed field is the
/// way in for screen-reader and keyboard users, so it stays.
fn date_picker(ui: &mut Ui, date: &mut String) {
    use chrono::Datelike;
    let typed = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok();
    let shown =
        typed.unwrap_or_else(|| chrono::Local::now().date_naive() + chrono::Duration::days(90));
    let Ok(mut picked) =
        jiff::civil::Date::new(shown.year() as i16, shown.month() as i8, shown.day() as i8)
    else {
        return;
    };
    let saved = ui.add(
        egui_extras::DatePickerButton::new(&mut picked)
            .id_salt("exam-date-picker")
            .calendar_week(false)
            .highlight_weekends(false)
            // The typed field shows the date; the button only opens the calendar.
            .format("Pick a date…")
            .show_icon(false),
    );
    // Changed means Save was pressed in the calendar, also on the day it opened on.
    if saved.changed() {
        *date = format!(
            "{:04}-{:02}-{:02}",
            picked.year(),
            picked.month(),
            picked.day()
        );
    }
}

/// A "Study" button of one area: the same text on every row, so its accessible name (what
/// screen readers say) names the area; a click studies that area only.
fn study_area_on_click(
    button: &egui::Response,
    name: &str,
    bank_id: &str,
    area: &crate::mastery::AreaMastery,
    out: &mut Vec<Command>,
) {
    super::widgets::name_button(button, name);
    if button.clicked() {
        out.push(
            StudyCmd::Start {
                bank_id: bank_id.to_string(),
                area: Some(area.domain_id.clone()),
            }
            .into(),
        );
    }
}

fn plan_section(
    ui: &mut Ui,
    bank: &crate::bank::Bank,
    d: &Dashboard,
    date: &mut String,
    target: &mut f64,
    out: &mut Vec<Command>,
) {
    ui.add_space(8.0);
    ui.label(RichText::new("Exam-date plan").strong());
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Exam date (YYYY-MM-DD)");
        ui.add(egui::TextEdit::singleline(date).desired_width(110.0))
            .labelled_by(l.id);
        date_picker(ui, date);
        let l = ui.label("Target score %");
        ui.add(egui::DragValue::new(target).range(1.0..=100.0))
            .labelled_by(l.id);
        if ui.button("Save plan").clicked() {
            out.push(Command::SetPlan {
                bank_id: bank.id().to_string(),
                date: date.clone(),
                target_percent: *target,
            });
        }
    });
    let Some(p) = &d.plan else {
        ui.label(
            RichText::new("Enter your exam date to see the daily workload it needs.")
                .small()
                .weak(),
        );
        return;
    };
    if p.days_left > 0 {
        ui.label(format!(
            "{} left: {} a day for {}, then review only; about {:.0} reviews a day.",
            crate::text::count(p.days_left.max(0) as usize, "day", "days"),
            crate::text::count(p.new_per_day, "new question", "new questions"),
            crate::text::count(p.new_days as usize, "day", "days"),
            p.reviews_per_day,
        ));
        ui.label(format!(
            "Projected score on {} if you follow the plan: {} (target {}).",
            crate::text::long_date(p.exam_date),
            pct(p.projected),
            pct(p.target)
        ));
        ui.label(RichText::new(projection_assumes(p)).small().weak());
    }
    for w in &p.warnings {
        ui.label(RichText::new(format!("Warning: {w}")).color(ui.visuals().warn_fg_color));
    }
    if p.reachable() {
        ui.label(
            RichText::new("On track: this plan reaches your target.")
                .color(super::widgets::good_color(ui)),
        );
    }
    egui::CollapsingHeader::new("Plan per skill area").show(ui, |ui| {
        egui::Grid::new("plan-areas")
            .striped(true)
            .num_columns(3)
            .show(ui, |ui| {
                for a in &p.areas {
                    ui.label(&a.name);
                    ui.label(format!("{} of {} unseen", a.unseen, a.total));
                    ui.label(format!(
                        "{:.1} new a day · mastery now {}, on the exam date {}",
                        a.new_per_day,
                        pct(a.mastery),
                        pct(a.projected)
                    ));
                    ui.end_row();
                }
            });
    });
}

/// What the projected score takes for granted, in words a reader without the model can check:
/// every review of the plan is done, and they go as well as the learner's record says.
fn projection_assumes(p: &ExamPlan) -> String {
    let acc = &p.repeat_accuracy;
    let aim = pct(acc.desired_retention);
    let Some(observed) = acc.observed() else {
        return format!(
            "Assumes you do every review on the day it is due and get about {aim} of them \
             right, as the review schedule expects (you have not answered any question a \
             second time yet)."
        );
    };
    format!(
        "Assumes you do every review on the day it is due and get {} of them right, as in \
         your reviews so far ({} right, {} of {}, counted with {} more at the {aim} the review \
         schedule is set for until there are many of your own).",
        pct(acc.shrunk),
        pct(observed),
        acc.right,
        acc.answers,
        crate::plan::ACCURACY_PSEUDO_ANSWERS as u32,
    )
}

fn recent(ui: &mut Ui, home: &HomeData, banks: &LoadReport, out: &mut Vec<Command>) {
    ui.heading("Recent results");
    if home.recent.is_empty() {
        ui.label("No finished exams yet.");
        return;
    }
    for a in &home.recent {
        // The button first, the details wrapping beside it: nothing is pushed off a narrow
        // window.
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    banks.bank(&a.bank_id).is_some(),
                    egui::Button::new(format!("Review #{}", a.id)),
                )
                .clicked()
            {
                out.push(Command::ShowResults(a.id));
            }
            ui.horizontal_wrapped(|ui| {
                ui.label(super::widgets::local_time(
                    a.finished_at.unwrap_or(a.started_at),
                ));
                let title = a.title.as_deref().unwrap_or_else(|| {
                    banks
                        .bank(&a.bank_id)
                        .map_or(a.bank_id.as_str(), |b| b.manifest.title.as_str())
                });
                ui.label(title);
                ui.label(a.mode.as_str());
                let pct = a.percent().unwrap_or(0.0);
                let passed = pct + 1e-9 >= a.pass_percent;
                ui.label(format!(
                    "{}/{} ({pct:.0}%) {}",
                    a.correct.unwrap_or(0),
                    a.total.unwrap_or(0),
                    if passed { "pass" } else { "below pass mark" }
                ));
            });
        });
    }
}

fn failures(ui: &mut Ui, banks: &LoadReport) {
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

/// The last days before the exam offer a review of the questions with the lowest exam-day
/// recall.
pub const FINAL_REVIEW_DAYS: i64 = 7;

/// What the daily time budget means today, and for the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetNote {
    pub minutes: u32,
    pub seconds_per_answer: f64,
    /// Answers the budget fits in a day, and what is left of it today.
    pub per_day: usize,
    pub left_today: usize,
    /// Due questions that do not fit today.
    pub due_left_out: usize,
    /// Mean exam-day recall lost (0–1, over the seen questions) by reviewing them a day late.
    pub exam_day_cost: Option<f64>,
    /// Answers a day the exam-date plan needs (reviews + new), and the plan within the
    /// budget: (new questions a day, projected score) when the full plan does not fit.
    pub plan_needs: Option<f64>,
    pub plan_within: Option<(usize, f64)>,
    /// The full plan's projected score, to compare with.
    pub plan_full: Option<f64>,
}

/// FSRS beyond today, for the dashboard.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outlook {
    /// With an exam date ahead: recall of the seen questions on exam day, per skill area in
    /// the bank's order, then the whole bank.
    pub exam_day: Vec<crate::srs::ExamDayRecall>,
    pub exam_date: Option<chrono::NaiveDate>,
    /// In the last days before the exam: how many questions the final review asks.
    pub final_review: Option<usize>,
    pub budget: Option<BudgetNote>,
    /// Usable reviews, when fitting FSRS to them is worth offering.
    pub fit_offer: Option<usize>,
    /// Today's queue within the budget: (due, new) the Study button starts with.
    pub study_now: Option<(usize, usize)>,
}

/// Everything in [`Outlook`], read with the dashboard.
#[allow(clippy::too_many_arguments)]
pub fn outlook(
    store: &Store,
    bank: &crate::bank::Bank,
    cards: &std::collections::HashMap<String, crate::srs::CardRecord>,
    report: &crate::mastery::MasteryReport,
    settings: &crate::srs::StudySettings,
    plan_settings: &Option<crate::store::srs::StudyPlanSettings>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Outlook, StoreError> {
    let mut o = Outlook::default();
    let scheduler = store.scheduler_for(bank.id())?;
    let (today, day_start) = crate::srs::local_day_start(now);
    let exam = plan_settings
        .as_ref()
        .filter(|p| p.exam_date > today)
        .and_then(|p| Some((p, crate::srs::local_midnight(p.exam_date)?)));
    if let Some((p, exam_at)) = exam {
        o.exam_date = Some(p.exam_date);
        o.exam_day = crate::srs::exam_day_recall(bank, cards, &scheduler, now, exam_at);
        let days_left = (p.exam_date - today).num_days();
        if days_left <= FINAL_REVIEW_DAYS && report.seen > 0 {
            o.final_review = Some(report.seen.min(super::study::EXAM_REVIEW_SIZE));
        }
    }
    let at_last_fit = store.fit_record()?.map(|r| r.reviews);
    let threshold = at_last_fit.map_or(crate::srs::fit::OFFER_FIRST_AT, |n| {
        (n.max(1) as f64 * (1.0 + crate::srs::fit::OFFER_GROWTH)).ceil() as usize
    });
    let usable = store.usable_reviews_up_to(threshold as i64)?;
    if crate::srs::fit::should_offer(usable, at_last_fit) {
        o.fit_offer = Some(usable);
    }
    if settings.daily_minutes > 0 {
        let seconds_per_answer = store.seconds_per_answer()?;
        let per_day = crate::srs::answers_in_budget(settings.daily_minutes, seconds_per_answer);
        let left_today = store.budget_left_today(settings, now)?.unwrap_or(per_day);
        let mut due: Vec<&crate::srs::CardRecord> =
            cards.values().filter(|c| c.is_due(now)).collect();
        due.sort_by(|a, b| {
            a.card
                .due
                .cmp(&b.card.due)
                .then(a.question_id.cmp(&b.question_id))
        });
        let left_out = &due[due.len().min(left_today)..];
        let exam_day_cost = exam.map(|(_, exam_at)| {
            crate::srs::exam_day::deferral_cost(
                left_out.iter().copied(),
                report.seen,
                &scheduler,
                now,
                exam_at,
            )
        });
        let (new_today, _) = store.reviews_since(bank.id(), day_start)?;
        let new_allowed = (report.total - report.seen)
            .min((settings.daily_new_limit as usize).saturating_sub(new_today));
        let due_now = due.len().min(left_today);
        o.study_now = Some((due_now, new_allowed.min(left_today - due_now)));
        let mut note = BudgetNote {
            minutes: settings.daily_minutes,
            seconds_per_answer,
            per_day,
            left_today,
            due_left_out: left_out.len(),
            exam_day_cost,
            plan_needs: None,
            plan_within: None,
            plan_full: None,
        };
        if let Some(p) = plan_settings.as_ref().filter(|p| p.exam_date > today) {
            let (recent_new, _) =
                store.reviews_since(bank.id(), day_start - chrono::Duration::days(14))?;
            let pace = recent_new as f64 / 14.0;
            let full = crate::plan::plan(
                bank,
                cards,
                report,
                settings,
                p.exam_date,
                p.target,
                now,
                today,
                pace,
            );
            let needs = full.reviews_per_day
                + full.new_per_day.min(settings.daily_new_limit as usize) as f64;
            note.plan_needs = Some(needs);
            note.plan_full = Some(full.projected);
            if needs > per_day as f64 {
                let fits_new = (per_day as f64 - full.reviews_per_day).floor().max(0.0) as u32;
                let within = crate::srs::StudySettings {
                    daily_new_limit: fits_new.min(settings.daily_new_limit),
                    ..settings.clone()
                };
                let cut = crate::plan::plan(
                    bank,
                    cards,
                    report,
                    &within,
                    p.exam_date,
                    p.target,
                    now,
                    today,
                    pace,
                );
                note.plan_within = Some((within.daily_new_limit as usize, cut.projected));
            }
        }
        o.budget = Some(note);
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::RepeatAccuracy;

    #[test]
    fn the_chart_axis_reads_in_dates_and_leaves_part_days_blank() {
        let first = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(axis_date(first, 0.0), "Nov 24");
        assert_eq!(axis_date(first, 8.0), "Dec 2");
        assert_eq!(axis_date(first, 2.5), "");
        assert_eq!(axis_date(first, -1.0), "");
    }

    fn plan_with(answers: u64, right: u64) -> ExamPlan {
        let c = crate::plan::ACCURACY_PSEUDO_ANSWERS;
        ExamPlan {
            exam_date: chrono::NaiveDate::from_ymd_opt(2026, 3, 12).unwrap(),
            days_left: 30,
            new_days: 23,
            unseen: 0,
            new_per_day: 0,
            reviews_per_day: 4.0,
            projected: 0.8,
            target: 0.8,
            recent_pace: 0.0,
            repeat_accuracy: RepeatAccuracy {
                answers,
                right,
                shrunk: (right as f64 + c * 0.9) / (answers as f64 + c),
                desired_retention: 0.9,
            },
            areas: Vec::new(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn the_projection_says_what_it_assumes() {
        assert!(projection_assumes(&plan_with(0, 0)).contains("a second time yet"));
        // 31 of 37 right: (31 + 9)/(37 + 10) = 85%.
        assert_eq!(
            projection_assumes(&plan_with(37, 31)),
            "Assumes you do every review on the day it is due and get 85% of them right, as in \
             your reviews so far (84% right, 31 of 37, counted with 10 more at the 90% the \
             review schedule is set for until there are many of your own)."
        );
    }
}
