//! The learner's notes and bookmarks on questions: the "Bookmark" and "Note…" buttons on a
//! question (Results' question review, Study once an answer is checked), the note dialog, and
//! Home's searchable list. Results and Study each own a [`NoteForm`]; the commands
//! ([`NoteCmd`]) are applied here, on whichever of the two is on screen. Notes and bookmarks
//! are kept with the history and travel through folder sync (`store::notes`).

use super::{CertprepApp, Command, Screen, error_notice};
use crate::bank::Bank;
use crate::store::notes::{MAX_NOTE_CHARS, QuestionNotes};
use crate::store::{Store, StoreError};
use egui::{RichText, Ui};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum NoteCmd {
    /// Bookmark the question, or remove its bookmark.
    ToggleBookmark {
        bank_id: String,
        question_id: String,
    },
    /// Open the note dialog on a question of the screen on show.
    Open {
        bank_id: String,
        question_id: String,
    },
    /// Save the note as the dialog holds it (empty text removes it).
    Save,
    Cancel,
}

impl From<NoteCmd> for Command {
    fn from(c: NoteCmd) -> Command {
        Command::Note(c)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NoteDraft {
    pub bank_id: String,
    pub question_id: String,
    pub text: String,
    pub error: Option<String>,
    focused: bool,
}

/// A screen's notes: what the learner keeps on its bank's questions (read when the screen
/// opens and after each change, not every frame) and the open dialog.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NoteForm {
    pub notes: BTreeMap<String, QuestionNotes>,
    pub draft: Option<NoteDraft>,
}

impl NoteForm {
    pub fn load(store: &Result<Store, StoreError>, bank_id: &str) -> NoteForm {
        NoteForm {
            // Without the list the buttons still work; what is shown is what is lost.
            notes: match store {
                Ok(s) => s.question_notes(bank_id).unwrap_or_default(),
                Err(_) => BTreeMap::new(),
            },
            draft: None,
        }
    }

    pub fn is_open(&self) -> bool {
        self.draft.is_some()
    }
}

/// "Bookmark" / "Remove bookmark" and "Add a note…" / "Edit note…" for one question, and the
/// note itself under them.
pub fn tools(
    ui: &mut Ui,
    form: &NoteForm,
    bank_id: &str,
    question_id: &str,
    out: &mut Vec<Command>,
) {
    let kept = form.notes.get(question_id);
    let bookmarked = kept.is_some_and(|n| n.bookmarked);
    let note = kept.map(|n| n.note.as_str()).filter(|n| !n.is_empty());
    let ids = || (bank_id.to_string(), question_id.to_string());
    ui.horizontal_wrapped(|ui| {
        let label = if bookmarked {
            "Remove bookmark"
        } else {
            "Bookmark"
        };
        if ui.button(label).clicked() {
            let (bank_id, question_id) = ids();
            out.push(
                NoteCmd::ToggleBookmark {
                    bank_id,
                    question_id,
                }
                .into(),
            );
        }
        let label = if note.is_some() {
            "Edit note…"
        } else {
            "Add a note…"
        };
        if ui.button(label).clicked() {
            let (bank_id, question_id) = ids();
            out.push(
                NoteCmd::Open {
                    bank_id,
                    question_id,
                }
                .into(),
            );
        }
        if bookmarked {
            ui.label(RichText::new("Bookmarked").weak());
        }
    });
    if let Some(n) = note {
        ui.label(RichText::new(format!("Your note: {n}")).italics());
    }
}

/// The note dialog, when it is open: the text, "Save note" and "Cancel" (Esc).
pub fn dialog(ui: &mut Ui, form: &mut NoteForm, out: &mut Vec<Command>) {
    let Some(d) = &mut form.draft else {
        return;
    };
    egui::Modal::new(egui::Id::unique("question-note")).show(ui.ctx(), |ui| {
        ui.set_max_width(520.0);
        ui.heading("Your note on this question");
        ui.label(
            RichText::new(format!("Question {}", d.question_id))
                .small()
                .weak(),
        );
        let l = ui.label("Note (empty removes it)");
        let edit = ui
            .add(
                egui::TextEdit::multiline(&mut d.text)
                    .desired_rows(4)
                    .desired_width(f32::INFINITY)
                    .char_limit(MAX_NOTE_CHARS),
            )
            .labelled_by(l.id);
        if !d.focused {
            d.focused = true;
            edit.request_focus();
        }
        if let Some(e) = &d.error {
            ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
        }
        ui.horizontal(|ui| {
            if ui.button("Save note").clicked() {
                out.push(NoteCmd::Save.into());
            }
            if ui.button("Cancel").clicked() {
                out.push(NoteCmd::Cancel.into());
            }
        });
    });
    if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        out.push(NoteCmd::Cancel.into());
    }
}

/// The questions of `bank` with a note or a bookmark whose note, stem, options or id contain
/// every word of `query` (any case), in bank order.
pub fn search<'a>(
    bank: &'a Bank,
    notes: &BTreeMap<String, QuestionNotes>,
    query: &str,
) -> Vec<(&'a crate::bank::Question, QuestionNotes)> {
    let words = crate::browse::query_words(query);
    bank.questions
        .iter()
        .filter_map(|q| {
            let n = notes.get(&q.id)?;
            let haystack = std::iter::once(n.note.as_str())
                .chain([q.id.as_str(), q.stem.as_str()])
                .chain(q.options.iter().map(|o| o.text.as_str()))
                .collect::<Vec<_>>()
                .join("\n")
                .to_lowercase();
            crate::browse::contains_all(&haystack, &words).then(|| (q, n.clone()))
        })
        .collect()
}

/// Home's "Your notes and bookmarks": a search box and the matching questions.
pub fn home_section(
    ui: &mut Ui,
    bank: &Bank,
    notes: &BTreeMap<String, QuestionNotes>,
    query: &mut String,
) {
    let known = notes.keys().filter(|q| bank.question(q).is_some()).count();
    if known == 0 {
        return;
    }
    egui::CollapsingHeader::new(format!("Your notes and bookmarks ({known})"))
        .id_salt("home-notes")
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                super::widgets::labelled_field(
                    ui,
                    "Search notes",
                    query,
                    "words in a note, a question or its options",
                    320.0,
                );
            });
            if known < notes.len() {
                ui.label(
                    RichText::new(format!(
                        "Kept but not listed: {} on questions this version of the bank no longer has.",
                        crate::text::count(notes.len() - known, "note or bookmark", "notes or bookmarks")
                    ))
                    .small()
                    .weak(),
                );
            }
            let found = search(bank, notes, query);
            if found.is_empty() {
                ui.label(RichText::new("No note or bookmarked question matches.").weak());
            }
            for (q, n) in found {
                let mark = if n.bookmarked { " · bookmarked" } else { "" };
                ui.label(
                    RichText::new(format!(
                        "{}{mark} · {}",
                        q.id,
                        super::question::short(&q.stem, 90)
                    ))
                    .strong(),
                );
                if !n.note.is_empty() {
                    ui.indent(("home-note", &q.id), |ui| {
                        ui.label(RichText::new(&n.note).italics());
                    });
                }
            }
        });
}

/// The open form of the screen on show (Results or Study).
fn form_of(screen: &mut Screen) -> Option<&mut NoteForm> {
    match screen {
        Screen::Results(v) => Some(&mut v.notes),
        Screen::Study(v) => Some(&mut v.notes),
        _ => None,
    }
}

impl CertprepApp {
    pub(super) fn run_note(&mut self, cmd: NoteCmd) {
        let Some(form) = form_of(&mut self.screen) else {
            return;
        };
        let Ok(store) = &self.store else {
            self.notice = Some(error_notice(
                "The database is not available, so notes and bookmarks cannot be saved.".into(),
            ));
            return;
        };
        let saved = match cmd {
            NoteCmd::ToggleBookmark {
                bank_id,
                question_id,
            } => {
                let on = !form.notes.get(&question_id).is_some_and(|n| n.bookmarked);
                store
                    .set_bookmark(&bank_id, &question_id, on)
                    .map(|()| bank_id)
            }
            NoteCmd::Open {
                bank_id,
                question_id,
            } => {
                let text = form
                    .notes
                    .get(&question_id)
                    .map(|n| n.note.clone())
                    .unwrap_or_default();
                form.draft = Some(NoteDraft {
                    bank_id,
                    question_id,
                    text,
                    error: None,
                    focused: false,
                });
                return;
            }
            NoteCmd::Cancel => {
                form.draft = None;
                return;
            }
            NoteCmd::Save => {
                let Some(d) = &mut form.draft else {
                    return;
                };
                match store.set_note(&d.bank_id, &d.question_id, &d.text) {
                    Ok(()) => {
                        let bank_id = d.bank_id.clone();
                        form.draft = None;
                        Ok(bank_id)
                    }
                    Err(e) => {
                        // The dialog stays open with the text: nothing typed is lost.
                        d.error = Some(format!("The note was not saved: {e}"));
                        return;
                    }
                }
            }
        };
        match saved {
            Ok(bank_id) => form.notes = store.question_notes(&bank_id).unwrap_or_default(),
            Err(e) => {
                self.notice = Some(error_notice(format!("The bookmark was not saved: {e}")));
            }
        }
    }
}
