//! "Find any question": every question of a bank searchable by what it says (stem, scenario,
//! options and their explanations, the explanation, tags, reference, id), browsable by skill
//! area, and one question's own history: when it was seen, each answer, recall now, the
//! learner's note, bookmark and problem reports. UI-free; the Questions screen
//! (`ui/browse.rs`) draws it, and Home's notes search shares the word matching.

use crate::bank::{Bank, Question};
use crate::srs::CardRecord;
use crate::store::notes::QuestionNotes;
use crate::store::reports::QuestionReport;
use crate::store::srs::ReviewLogRow;
use crate::store::{Store, StoreError};
use chrono::{DateTime, Utc};

/// The words of a search box, lower-cased: a question matches when its text holds every one.
pub fn query_words(query: &str) -> Vec<String> {
    query.split_whitespace().map(str::to_lowercase).collect()
}

/// Whether `haystack` (already lower-cased) contains every word.
pub fn contains_all(haystack: &str, words: &[String]) -> bool {
    words.iter().all(|w| haystack.contains(w.as_str()))
}

/// Everything a question says, lower-cased, one part per line: what a search looks through.
pub fn searchable_text(bank: &Bank, q: &Question) -> String {
    let mut parts: Vec<&str> = vec![q.id.as_str(), q.stem.as_str()];
    if let Some(s) = bank.scenario_text(q) {
        parts.push(s);
    }
    for o in &q.options {
        parts.push(&o.text);
        if let Some(e) = &o.explanation {
            parts.push(e);
        }
    }
    parts.extend(q.explanation.as_deref());
    parts.extend(q.tags.iter().map(String::as_str));
    parts.extend(q.reference.as_deref());
    parts.join("\n").to_lowercase()
}

/// What the learner asked for: words, and optionally one skill area.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuestionQuery {
    pub words: String,
    /// A skill area's id; `None` is every area.
    pub area: Option<String>,
}

/// A bank's questions with their searchable text made once, so a search per keystroke reads
/// each question's text once and builds nothing: linear in the bank's size.
#[derive(Debug, Clone)]
pub struct SearchIndex {
    bank_id: String,
    texts: Vec<String>,
}

impl SearchIndex {
    pub fn new(bank: &Bank) -> SearchIndex {
        SearchIndex {
            bank_id: bank.id().to_string(),
            texts: bank
                .questions
                .iter()
                .map(|q| searchable_text(bank, q))
                .collect(),
        }
    }

    /// The bank this index was made for.
    pub fn bank_id(&self) -> &str {
        &self.bank_id
    }

    /// Positions in `bank.questions` of the questions matching `query`, in bank order.
    /// `bank` must be the bank the index was made for (a reloaded bank needs a new index).
    pub fn find(&self, bank: &Bank, query: &QuestionQuery) -> Vec<usize> {
        let words = query_words(&query.words);
        bank.questions
            .iter()
            .zip(&self.texts)
            .enumerate()
            .filter(|(_, (q, text))| {
                query.area.as_deref().is_none_or(|a| q.domain == a) && contains_all(text, &words)
            })
            .map(|(i, _)| i)
            .collect()
    }
}

/// One question's record in the learner's history.
#[derive(Debug, Clone, Default)]
pub struct QuestionHistory {
    /// Its FSRS card; `None` until it is first answered.
    pub card: Option<CardRecord>,
    /// Every answer, oldest first (study reviews and mock-exam answers).
    pub answers: Vec<ReviewLogRow>,
    pub notes: QuestionNotes,
    pub reports: Vec<QuestionReport>,
}

/// The figures a question's history page leads with.
#[derive(Debug, Clone, PartialEq)]
pub struct HistorySummary {
    pub answers: usize,
    pub right: usize,
    pub first_seen: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
    /// FSRS's chance of recalling it now; `None` before the first answer.
    pub recall_now: Option<f64>,
    /// When FSRS next asks for it; `None` before the first answer.
    pub next_due: Option<DateTime<Utc>>,
}

impl QuestionHistory {
    pub fn load(store: &Store, bank_id: &str, question_id: &str) -> Result<Self, StoreError> {
        let notes = store
            .question_notes(bank_id)?
            .remove(question_id)
            .unwrap_or_default();
        Ok(QuestionHistory {
            card: store.load_card(bank_id, question_id)?,
            answers: store.review_log(bank_id, question_id)?,
            notes,
            reports: store.reports_for(bank_id, question_id)?,
        })
    }

    pub fn summary(&self, now: DateTime<Utc>) -> HistorySummary {
        HistorySummary {
            answers: self.answers.len(),
            right: self.answers.iter().filter(|a| a.correct).count(),
            first_seen: self.answers.first().map(|a| a.reviewed_at),
            last_seen: self.answers.last().map(|a| a.reviewed_at),
            recall_now: self.card.as_ref().map(|c| c.retrievability(now)),
            next_due: self.card.as_ref().map(|c| c.card.due),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bank of `stems` (area, stem), ids `<area>-<n>`, options "Option a" … "Option d".
    fn bank(stems: &[(&str, &str)]) -> Bank {
        let mut b = crate::synth::small_bank(&[("ethics", 1.0, 3), ("data", 1.0, 3)], 2);
        let mut kept = Vec::new();
        for (area, stem) in stems {
            let mut q = b
                .questions
                .iter()
                .find(|q| q.domain == *area && !kept.iter().any(|k: &Question| k.id == q.id))
                .cloned()
                .expect("the small bank has room");
            q.stem = stem.to_string();
            kept.push(q);
        }
        b.questions = kept;
        b
    }

    #[test]
    fn every_part_of_a_question_is_searched_in_any_case_and_all_words_must_match() {
        let mut b = bank(&[
            ("ethics", "Who may see directory information?"),
            ("data", "A vendor asks for student records."),
        ]);
        b.questions[0].options[1].explanation = Some("FERPA lets parents opt out".into());
        b.questions[0].tags = vec!["privacy".into()];
        b.questions[1].explanation = Some("A data privacy agreement comes first.".into());
        b.questions[1].reference = Some("SDPC model DPA".into());
        let index = SearchIndex::new(&b);
        let find = |w: &str| {
            let q = QuestionQuery {
                words: w.into(),
                area: None,
            };
            index
                .find(&b, &q)
                .into_iter()
                .map(|i| b.questions[i].id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(find("ferpa"), ["ethics-0"], "an option's explanation");
        assert_eq!(
            find("PRIVACY"),
            ["ethics-0", "data-0"],
            "a tag, an explanation"
        );
        assert_eq!(find("privacy agreement"), ["data-0"], "every word");
        assert_eq!(find("sdpc"), ["data-0"], "the reference");
        assert_eq!(find("DATA-0"), ["data-0"], "the id");
        assert_eq!(find("option b"), ["ethics-0", "data-0"], "option text");
        assert!(find("option z").is_empty());
        assert!(find("ferpa vendor").is_empty());
        assert_eq!(find("   ").len(), 2, "no words: everything");
    }

    #[test]
    fn an_area_narrows_the_search() {
        let b = bank(&[
            ("ethics", "Same words"),
            ("data", "Same words"),
            ("ethics", "Other"),
        ]);
        let index = SearchIndex::new(&b);
        let q = QuestionQuery {
            words: "same".into(),
            area: Some("ethics".into()),
        };
        assert_eq!(index.find(&b, &q), [0]);
        let all_ethics = QuestionQuery {
            words: String::new(),
            area: Some("ethics".into()),
        };
        assert_eq!(index.find(&b, &all_ethics), [0, 2]);
    }

    #[test]
    fn non_ascii_text_matches_in_any_case() {
        let b = bank(&[("ethics", "Überprüfung der DATENSCHUTZ-Regeln")]);
        let index = SearchIndex::new(&b);
        let q = QuestionQuery {
            words: "überprüfung datenschutz".into(),
            area: None,
        };
        assert_eq!(index.find(&b, &q), [0]);
    }
}
