//! Questions: find any question of a bank by what it says, browse by skill area, and open
//! one with its key and its own history (each answer, recall now, next review, the note,
//! bookmark and problem reports). The screen owns its view ([`BrowseView`]) and its
//! commands ([`BrowseCmd`]); the search and the history come from `crate::browse`.

use super::widgets::{bad_color, good_color};
use super::{CertprepApp, Command, Screen, error_notice};
use crate::bank::{Bank, LoadReport};
use crate::browse::{QuestionHistory, QuestionQuery, SearchIndex};
use crate::srs::CardRecord;
use crate::store::notes::QuestionNotes;
use crate::store::srs::ReviewLogRow;
use chrono::{DateTime, Utc};
use egui::{RichText, Ui};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, PartialEq)]
pub enum BrowseCmd {
    /// Open the screen on a bank (the dashboard's bank when none is named), or switch bank.
    Open { bank_id: Option<String> },
    /// Show one question with its key and history.
    Show(String),
    /// Back to the list, with the search as it was.
    BackToList,
}

impl From<BrowseCmd> for Command {
    fn from(c: BrowseCmd) -> Command {
        Command::Browse(c)
    }
}

/// The Questions screen: a bank's search index, the search as typed, what the list marks
/// (seen, bookmarked), and the question open, if any.
pub struct BrowseView {
    bank_id: String,
    index: SearchIndex,
    query: QuestionQuery,
    /// The search's result and the query it is for: searched again only when the query
    /// changes, not every frame (10,000 questions take ~18 ms).
    found: Option<(QuestionQuery, Vec<usize>)>,
    cards: HashMap<String, CardRecord>,
    notes: BTreeMap<String, QuestionNotes>,
    shown: Option<(String, QuestionHistory)>,
    /// Put the keyboard focus in the search box on the next frame.
    focus_search: bool,
}

/// Label of the search box (the UI tests find it by this).
pub const SEARCH_LABEL: &str = "Find a question";

pub fn show(
    ui: &mut Ui,
    banks: &LoadReport,
    view: &mut BrowseView,
    now: DateTime<Utc>,
    out: &mut Vec<Command>,
) {
    let Some(bank) = banks.bank(&view.bank_id) else {
        return;
    };
    egui::CentralPanel::default().show(ui, |ui| match &view.shown {
        Some((qid, history)) => match bank.question(qid) {
            Some(q) => question_page(ui, bank, q, history, now, out),
            None => {
                out.push(BrowseCmd::BackToList.into());
            }
        },
        None => list_page(ui, banks, bank, view, out),
    });
}

fn list_page(
    ui: &mut Ui,
    banks: &LoadReport,
    bank: &Bank,
    view: &mut BrowseView,
    out: &mut Vec<Command>,
) {
    ui.heading("Find any question");
    ui.horizontal_wrapped(|ui| {
        if banks.banks.len() > 1 {
            bank_choice(ui, banks, bank, out);
        }
        area_choice(ui, bank, &mut view.query.area);
    });
    ui.horizontal_wrapped(|ui| {
        let field = super::widgets::labelled_field(
            ui,
            SEARCH_LABEL,
            &mut view.query.words,
            "words in a stem, an option, an explanation or a tag",
            360.0,
        );
        // Typing starts the search as soon as the screen opens, and again after a
        // question's page, wherever the focus was (the nav bar's button, say).
        if std::mem::take(&mut view.focus_search) {
            field.request_focus();
        }
    });
    if view.found.as_ref().is_none_or(|(q, _)| *q != view.query) {
        view.found = Some((view.query.clone(), view.index.find(bank, &view.query)));
    }
    let found: &[usize] = view.found.as_ref().map_or(&[], |(_, f)| f);
    ui.label(
        RichText::new(format!(
            "Showing {} of {}",
            found.len(),
            crate::text::count(bank.questions.len(), "question", "questions")
        ))
        .weak(),
    );
    ui.separator();
    if found.is_empty() {
        ui.label("No question matches. Fewer words, or every skill area, finds more.");
        return;
    }
    let row_height = ui
        .spacing()
        .interact_size
        .y
        .max(ui.text_style_height(&egui::TextStyle::Button));
    egui::ScrollArea::vertical()
        .id_salt("browse-list")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, found.len(), |ui, rows| {
            for i in rows {
                let q = &bank.questions[found[i]];
                let text = list_line(bank, q, view.cards.get(&q.id), view.notes.get(&q.id));
                let row = ui.add(egui::Button::selectable(false, text).truncate());
                if row.clicked() {
                    out.push(BrowseCmd::Show(q.id.clone()).into());
                }
            }
        });
}

/// One line of the list: id, area, the start of the stem, and what the learner has done
/// with it.
fn list_line(
    bank: &Bank,
    q: &crate::bank::Question,
    card: Option<&CardRecord>,
    notes: Option<&QuestionNotes>,
) -> String {
    let seen = match card {
        None => "not seen".to_string(),
        Some(c) => format!(
            "{}, {} right, last {}",
            crate::text::count(c.reviews as usize, "answer", "answers"),
            c.correct,
            if c.last_correct { "right" } else { "wrong" }
        ),
    };
    let mark = match notes {
        Some(n) if n.bookmarked && !n.note.is_empty() => " · bookmarked, note",
        Some(n) if n.bookmarked => " · bookmarked",
        Some(n) if !n.note.is_empty() => " · note",
        _ => "",
    };
    format!(
        "{} · {} · {} · {seen}{mark}",
        q.id,
        bank.domain_name(&q.domain),
        super::question::short(&q.stem, 80)
    )
}

fn bank_choice(ui: &mut Ui, banks: &LoadReport, bank: &Bank, out: &mut Vec<Command>) {
    let l = ui.label("Bank");
    egui::ComboBox::from_id_salt("browse-bank")
        .selected_text(&bank.manifest.title)
        .show_ui(ui, |ui| {
            for b in &banks.banks {
                if ui
                    .selectable_label(b.id() == bank.id(), &b.manifest.title)
                    .clicked()
                    && b.id() != bank.id()
                {
                    out.push(
                        BrowseCmd::Open {
                            bank_id: Some(b.id().to_string()),
                        }
                        .into(),
                    );
                }
            }
        })
        .response
        .labelled_by(l.id);
}

/// Every skill area, or one, grouped under the bank's categories.
fn area_choice(ui: &mut Ui, bank: &Bank, area: &mut Option<String>) {
    let l = ui.label("Skill area");
    let shown = area
        .as_deref()
        .map_or("Every skill area", |a| bank.domain_name(a));
    egui::ComboBox::from_id_salt("browse-area")
        .selected_text(shown)
        .width(320.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(area, None, "Every skill area");
            for (category, areas) in bank.categories() {
                ui.label(RichText::new(category).small().weak());
                for i in areas {
                    let d = &bank.manifest.domains[i];
                    ui.selectable_value(area, Some(d.id.clone()), &d.name);
                }
            }
        })
        .response
        .labelled_by(l.id);
}

fn question_page(
    ui: &mut Ui,
    bank: &Bank,
    q: &crate::bank::Question,
    history: &QuestionHistory,
    now: DateTime<Utc>,
    out: &mut Vec<Command>,
) {
    if ui.button("Back to the list").clicked() || super::widgets::escape_pressed(ui, "browse") {
        out.push(BrowseCmd::BackToList.into());
    }
    egui::ScrollArea::vertical()
        .id_salt("browse-question")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.label(RichText::new(format!("Question {}", q.id)).strong());
            super::question::answer_key(ui, bank, q);
            if !q.tags.is_empty() {
                ui.label(RichText::new(format!("Tags: {}", q.tags.join(", "))).weak());
            }
            if let Some(r) = &q.reference {
                ui.label(RichText::new(r).small().weak());
            }
            ui.add_space(12.0);
            history_section(ui, history, now, out);
        });
}

fn history_section(
    ui: &mut Ui,
    history: &QuestionHistory,
    now: DateTime<Utc>,
    out: &mut Vec<Command>,
) {
    ui.heading("Your history with this question");
    let s = history.summary(now);
    if s.answers == 0 {
        ui.label("Not answered yet.");
    } else {
        ui.label(format!(
            "Answered {}, {} right. First seen {}, last {}.",
            crate::text::count(s.answers, "time", "times"),
            s.right,
            day(s.first_seen),
            day(s.last_seen),
        ));
        let last_right = history.card.as_ref().is_some_and(|c| c.last_correct);
        if let (Some(recall), Some(due)) = (s.recall_now, s.next_due) {
            // Right after a wrong answer FSRS's recall is near 1 (the answer was just
            // shown): saying 99% there would read as "you know it".
            let recall = if last_right {
                format!(
                    "Chance you recall it now: {}.",
                    crate::text::percent(recall)
                )
            } else {
                "Your last answer was wrong.".to_string()
            };
            ui.label(format!("{recall} Next review: {}.", when_due(due, now)));
        }
        answers_grid(ui, &history.answers, out);
    }
    if history.notes.bookmarked {
        ui.label(RichText::new("Bookmarked").strong());
    }
    if !history.notes.note.is_empty() {
        ui.label(RichText::new(format!("Your note: {}", history.notes.note)).italics());
    }
    for r in &history.reports {
        ui.label(format!(
            "You reported ({}, {}): {}",
            r.kind.label(),
            r.created_at.format("%Y-%m-%d"),
            r.text
        ));
    }
}

fn answers_grid(ui: &mut Ui, answers: &[ReviewLogRow], out: &mut Vec<Command>) {
    egui::Grid::new("browse-answers")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for h in ["When (UTC)", "Where", "Answer", "Rated"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for a in answers {
                ui.label(a.reviewed_at.format("%Y-%m-%d %H:%M").to_string());
                match (a.source.as_str(), a.attempt_id) {
                    ("exam", Some(id)) => {
                        if ui.link("Mock exam").clicked() {
                            out.push(Command::ShowResults(id));
                        }
                    }
                    ("exam", None) => {
                        ui.label("Mock exam");
                    }
                    _ => {
                        ui.label("Study");
                    }
                }
                if a.correct {
                    ui.label(RichText::new("Right").color(good_color(ui)));
                } else {
                    ui.label(RichText::new("Wrong").color(bad_color(ui)));
                }
                ui.label(rating_name(a.rating));
                ui.end_row();
            }
        });
}

fn rating_name(rating: i64) -> &'static str {
    match rating {
        1 => "Again",
        2 => "Hard",
        3 => "Good",
        _ => "Easy",
    }
}

/// "due now", a time today or tomorrow (learning steps are minutes apart), else the date.
fn when_due(due: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if due <= now {
        "due now".into()
    } else if due - now < chrono::Duration::hours(36) {
        due.format("%Y-%m-%d %H:%M UTC").to_string()
    } else {
        due.format("%Y-%m-%d").to_string()
    }
}

fn day(t: Option<DateTime<Utc>>) -> String {
    t.map_or_else(|| "never".into(), |t| t.format("%Y-%m-%d").to_string())
}

impl CertprepApp {
    pub(super) fn run_browse(&mut self, cmd: BrowseCmd) {
        match cmd {
            BrowseCmd::Open { bank_id } => self.open_browse(bank_id),
            BrowseCmd::Show(qid) => self.show_question(qid),
            BrowseCmd::BackToList => {
                if let Screen::Browse(view) = &mut self.screen {
                    view.shown = None;
                    view.focus_search = true;
                    // Notes or bookmarks may have changed on another screen meanwhile.
                    if let Ok(store) = &self.store {
                        view.notes = store.question_notes(&view.bank_id).unwrap_or_default();
                    }
                }
            }
        }
    }

    fn open_browse(&mut self, bank_id: Option<String>) {
        let bank = bank_id
            .as_deref()
            .or(self.selected_bank.as_deref())
            .and_then(|id| self.banks.bank(id))
            .or_else(|| self.banks.banks.first());
        let Some(bank) = bank else {
            self.notice = Some(error_notice(
                "There is no bank to look through: add or import one first.".to_string(),
            ));
            return;
        };
        let (cards, notes) = match &self.store {
            Ok(store) => (
                store.load_cards(bank.id()).unwrap_or_default(),
                store.question_notes(bank.id()).unwrap_or_default(),
            ),
            Err(_) => Default::default(),
        };
        let view = BrowseView {
            bank_id: bank.id().to_string(),
            index: SearchIndex::new(bank),
            query: QuestionQuery::default(),
            found: None,
            cards,
            notes,
            shown: None,
            focus_search: true,
        };
        self.screen = Screen::Browse(Box::new(view));
    }

    fn show_question(&mut self, qid: String) {
        let Screen::Browse(view) = &mut self.screen else {
            return;
        };
        let history = match &self.store {
            Ok(store) => match QuestionHistory::load(store, &view.bank_id, &qid) {
                Ok(h) => h,
                Err(e) => {
                    self.notice = Some(error_notice(format!(
                        "The history of question {qid} could not be read: {e}"
                    )));
                    QuestionHistory::default()
                }
            },
            Err(_) => QuestionHistory::default(),
        };
        view.shown = Some((qid, history));
    }
}
