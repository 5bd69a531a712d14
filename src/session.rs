//! The session builder's core: which questions a custom practice session may draw (skill
//! areas and one history filter), how many each area gives (the blueprint's weights within the
//! chosen areas), the draw itself, and presets that name a choice. UI-free; the builder screen
//! (`ui/setup.rs`) shows what this computes. The filters, precisely (docs/session-builder.md):
//!
//! - **All**: every question of the chosen areas.
//! - **Unseen**: never answered — the question has no FSRS card. A card is written by every
//!   study answer and by every whole answer of a submitted (or discarded) exam, so answers in
//!   an exam still in progress do not count yet.
//! - **Missed before**: the *latest* answer to it was wrong (`cards.last_correct`). Not "ever
//!   wrong": a question missed once months ago and answered right five times since is not
//!   one to drill now, and "weakest" already ranks the shaky ones; a question right last time
//!   leaves this filter the moment it is answered right.
//! - **Flagged before**: flagged in any past attempt of the bank (`attempt_items.flagged`,
//!   exam or study, finished, discarded or in progress): a flag says "I was unsure", which
//!   stays worth knowing whatever came of the answer.
//! - **Bookmarked**: bookmarked now (`store::notes`; a removed bookmark is not).
//! - **Due**: an FSRS card due now, as the Study screen's queue counts it
//!   ([`CardRecord::is_due`]).
//! - **Weakest**: every answered question, drawn *weakest first* instead of at random: those
//!   whose latest answer was wrong first, then by FSRS's predicted recall now, lowest first
//!   (a wrong answer leaves recall near 1 for a while, so recall alone would rank a question
//!   just missed as strong). Its count is the questions it ranks.
//!
//! Counts for every filter and area come from three queries (cards, flags, bookmarks) and one
//! pass over the bank, so they are linear in the bank and the history's size.

use crate::bank::{Bank, Question};
use crate::exam::{AreaPool, Blueprint, ExamItem, PoolOrder, assemble_from, largest_remainder};
use crate::srs::CardRecord;
use crate::store::{Store, StoreError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Which of the chosen areas' questions a session may draw (the module docs define each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionFilter {
    All,
    Unseen,
    Missed,
    Flagged,
    Bookmarked,
    Due,
    Weakest,
}

impl QuestionFilter {
    pub const EVERY: [QuestionFilter; 7] = [
        QuestionFilter::All,
        QuestionFilter::Unseen,
        QuestionFilter::Missed,
        QuestionFilter::Flagged,
        QuestionFilter::Bookmarked,
        QuestionFilter::Due,
        QuestionFilter::Weakest,
    ];

    fn index(self) -> usize {
        self as usize
    }

    /// The choice as the builder lists it.
    pub fn label(self) -> &'static str {
        match self {
            QuestionFilter::All => "All questions",
            QuestionFilter::Unseen => "Unseen",
            QuestionFilter::Missed => "Missed before",
            QuestionFilter::Flagged => "Flagged before",
            QuestionFilter::Bookmarked => "Bookmarked",
            QuestionFilter::Due => "Due for review",
            QuestionFilter::Weakest => "Weakest first",
        }
    }

    /// One line on what the filter takes (the builder's hover text and the docs).
    pub fn explanation(self) -> &'static str {
        match self {
            QuestionFilter::All => "Every question of the chosen areas, drawn at random.",
            QuestionFilter::Unseen => "Questions you have never answered.",
            QuestionFilter::Missed => "Questions whose latest answer was wrong.",
            QuestionFilter::Flagged => "Questions you flagged in any earlier exam.",
            QuestionFilter::Bookmarked => "Questions you have bookmarked.",
            QuestionFilter::Due => "Questions spaced repetition says are due now.",
            QuestionFilter::Weakest => {
                "Questions you have answered, weakest first: wrong last time, then lowest predicted recall."
            }
        }
    }

    /// The word in a session's short name: "30 unseen", "10 missed".
    fn short(self) -> &'static str {
        match self {
            QuestionFilter::All => "questions",
            QuestionFilter::Unseen => "unseen",
            QuestionFilter::Missed => "missed",
            QuestionFilter::Flagged => "flagged",
            QuestionFilter::Bookmarked => "bookmarked",
            QuestionFilter::Due => "due",
            QuestionFilter::Weakest => "weakest",
        }
    }
}

/// What the filters read of one bank's history, loaded once when the builder opens.
#[derive(Debug, Clone)]
pub struct History {
    cards: HashMap<String, CardRecord>,
    flagged: HashSet<String>,
    bookmarked: HashSet<String>,
    now: DateTime<Utc>,
}

impl History {
    /// Three queries: the bank's cards, the questions ever flagged, the bookmarks.
    pub fn load(store: &Store, bank_id: &str, now: DateTime<Utc>) -> Result<History, StoreError> {
        let cards = store.load_cards(bank_id)?;
        let flagged = store.flagged_questions(bank_id)?;
        let bookmarked = store
            .question_notes(bank_id)?
            .into_iter()
            .filter(|(_, n)| n.bookmarked)
            .map(|(q, _)| q)
            .collect();
        Ok(History {
            cards,
            flagged,
            bookmarked,
            now,
        })
    }

    /// No history at all (no database): every question is unseen.
    pub fn empty(now: DateTime<Utc>) -> History {
        History {
            cards: HashMap::new(),
            flagged: HashSet::new(),
            bookmarked: HashSet::new(),
            now,
        }
    }

    pub fn matches(&self, filter: QuestionFilter, question_id: &str) -> bool {
        let card = self.cards.get(question_id);
        match filter {
            QuestionFilter::All => true,
            QuestionFilter::Unseen => card.is_none(),
            QuestionFilter::Missed => card.is_some_and(|c| !c.last_correct),
            QuestionFilter::Flagged => self.flagged.contains(question_id),
            QuestionFilter::Bookmarked => self.bookmarked.contains(question_id),
            QuestionFilter::Due => card.is_some_and(|c| c.is_due(self.now)),
            QuestionFilter::Weakest => card.is_some(),
        }
    }

    /// Sort key for "weakest first": wrong last time first, then lowest recall now, then
    /// question id so equal keys still draw the same way every time.
    fn weakness(&self, question_id: &str) -> (bool, f64) {
        match self.cards.get(question_id) {
            Some(c) => (c.last_correct, c.retrievability(self.now)),
            None => (true, 1.0),
        }
    }
}

/// How many questions each filter finds in each skill area (manifest order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilterCounts {
    /// (domain id, a count per filter in [`QuestionFilter::EVERY`] order).
    per_area: Vec<(String, [usize; 7])>,
}

impl FilterCounts {
    /// One pass over the bank.
    pub fn count(bank: &Bank, history: &History) -> FilterCounts {
        let per_area = bank
            .manifest
            .domains
            .iter()
            .map(|d| {
                let mut counts = [0usize; 7];
                for q in bank.questions_in(&d.id) {
                    for f in QuestionFilter::EVERY {
                        if history.matches(f, &q.id) {
                            counts[f.index()] += 1;
                        }
                    }
                }
                (d.id.clone(), counts)
            })
            .collect();
        FilterCounts { per_area }
    }

    pub fn in_area(&self, filter: QuestionFilter, domain: &str) -> usize {
        self.per_area
            .iter()
            .find(|(d, _)| d == domain)
            .map_or(0, |(_, c)| c[filter.index()])
    }

    /// The filter's count over the chosen areas.
    pub fn in_areas(&self, filter: QuestionFilter, areas: &BTreeSet<String>) -> usize {
        self.per_area
            .iter()
            .filter(|(d, _)| areas.contains(d))
            .map(|(_, c)| c[filter.index()])
            .sum()
    }
}

/// A custom session's questions: which areas, which filter, how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPlan {
    pub areas: BTreeSet<String>,
    pub filter: QuestionFilter,
    pub questions: usize,
}

/// One chosen area in a draw: its share by weight, what the filter left in it, what it gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaShare {
    pub domain: String,
    /// Its share of the session by blueprint weight among the chosen areas, before any area
    /// runs short.
    pub by_weight: usize,
    /// Questions the filter leaves in it.
    pub available: usize,
    /// Questions it gives: `by_weight`, or all it has when that is fewer, or more when
    /// another area ran short and this one makes up the difference by weight.
    pub drawn: usize,
}

impl AreaShare {
    pub fn short(&self) -> bool {
        self.drawn < self.by_weight
    }
}

/// How a session's questions are split over the chosen areas (before drawing).
///
/// The rule (the same as a mock exam's, `Blueprint::allocate`): the session's length is split
/// by the blueprint weights of the chosen areas alone, largest remainder; an area the filter
/// leaves with fewer questions than its share gives all it has, and the shortfall is split
/// again by weight among the chosen areas that still have questions, until the session is
/// full or the filter has nothing left.
pub fn split(bank: &Bank, plan: &SessionPlan, counts: &FilterCounts) -> Vec<AreaShare> {
    let chosen: Vec<&crate::bank::Domain> = bank
        .manifest
        .domains
        .iter()
        .filter(|d| plan.areas.contains(&d.id))
        .collect();
    let sizes: Vec<(String, f64, usize)> = chosen
        .iter()
        .map(|d| (d.id.clone(), d.weight, counts.in_area(plan.filter, &d.id)))
        .collect();
    let blueprint = Blueprint::allocate(&sizes, plan.questions);
    shares(&sizes, plan.questions, &blueprint)
}

/// The fair share of each area by weight (as if none ran short) beside what `blueprint` gives.
fn shares(sizes: &[(String, f64, usize)], total: usize, blueprint: &Blueprint) -> Vec<AreaShare> {
    let weight_sum: f64 = sizes.iter().map(|s| s.1).sum();
    let by_weight = if weight_sum > 0.0 {
        largest_remainder(
            &sizes.iter().map(|s| s.1 / weight_sum).collect::<Vec<_>>(),
            total,
        )
    } else {
        vec![0; sizes.len()]
    };
    sizes
        .iter()
        .zip(by_weight)
        .map(|((d, _, available), by_weight)| AreaShare {
            domain: d.clone(),
            by_weight,
            available: *available,
            drawn: blueprint.count_for(d),
        })
        .collect()
}

/// A drawn session: the items to sit and how they were split.
#[derive(Debug, Clone, PartialEq)]
pub struct Draw {
    pub items: Vec<ExamItem>,
    pub shares: Vec<AreaShare>,
}

/// Draw the session `plan` describes. The same bank, history, plan and seed always give the
/// same session. "Weakest first" takes each area's weakest questions; every other filter
/// draws at random, whole scenario groups first, like a mock exam.
pub fn draw(bank: &Bank, plan: &SessionPlan, history: &History, seed: u64) -> Draw {
    let mut pools: Vec<AreaPool> = bank
        .manifest
        .domains
        .iter()
        .filter(|d| plan.areas.contains(&d.id))
        .map(|d| AreaPool {
            domain: d.id.clone(),
            weight: d.weight,
            questions: bank
                .questions_in(&d.id)
                .filter(|q| history.matches(plan.filter, &q.id))
                .collect(),
        })
        .collect();
    let order = if plan.filter == QuestionFilter::Weakest {
        for pool in &mut pools {
            rank_weakest_first(&mut pool.questions, history);
        }
        PoolOrder::Ranked
    } else {
        PoolOrder::Random
    };
    let (blueprint, items) = assemble_from(&pools, plan.questions, seed, order);
    let sizes: Vec<(String, f64, usize)> = pools
        .iter()
        .map(|p| (p.domain.clone(), p.weight, p.questions.len()))
        .collect();
    Draw {
        items,
        shares: shares(&sizes, plan.questions, &blueprint),
    }
}

fn rank_weakest_first(questions: &mut Vec<&Question>, history: &History) {
    // Each question's recall is worked out once, not at every comparison.
    let mut keyed: Vec<((bool, f64), &Question)> = questions
        .iter()
        .map(|&q| (history.weakness(&q.id), q))
        .collect();
    keyed.sort_by(|(ka, a), (kb, b)| {
        ka.0.cmp(&kb.0)
            .then(ka.1.total_cmp(&kb.1))
            .then_with(|| a.id.cmp(&b.id))
    });
    *questions = keyed.into_iter().map(|(_, q)| q).collect();
}

/// What to tell the learner about areas that ran short: one sentence, or none.
pub fn shortfall_note(bank: &Bank, shares: &[AreaShare]) -> Option<String> {
    let short: Vec<String> = shares
        .iter()
        .filter(|s| s.short())
        .map(|s| {
            format!(
                "{} has {} of its {}",
                bank.domain_name(&s.domain),
                s.available,
                s.by_weight
            )
        })
        .collect();
    if short.is_empty() {
        return None;
    }
    let drawn: usize = shares.iter().map(|s| s.drawn).sum();
    let wanted: usize = shares.iter().map(|s| s.by_weight).sum();
    let rest = if drawn < wanted {
        format!(
            "the filter finds only {} in the chosen areas",
            crate::text::count(drawn, "question", "questions")
        )
    } else {
        "the other chosen areas make up the difference by weight".to_string()
    };
    Some(format!("{}: {rest}.", short.join("; ")))
}

// ---------------------------------------------------------------------------------------------
// Presets

/// Longest preset name (characters).
pub const MAX_PRESET_NAME_CHARS: usize = 80;

/// Timed (a countdown, no feedback until the end) or tutor (each answer checked at once:
/// the exam screen's study mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Timing {
    Timed { minutes: u32 },
    Tutor,
}

/// A named session choice, kept per bank in the synced settings (`store::sessions`) so it
/// travels to the learner's other computers. Areas are kept by id; a bank revised since may
/// have dropped some ([`Preset::fit_to`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preset {
    pub name: String,
    pub areas: Vec<String>,
    pub filter: QuestionFilter,
    pub questions: usize,
    pub timing: Timing,
}

/// A preset name that cannot be kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PresetNameError {
    #[error("a preset needs a name")]
    Empty,
    #[error("a preset name of {0} characters: at most {MAX_PRESET_NAME_CHARS}")]
    TooLong(usize),
    #[error("a preset name cannot hold line breaks or other control characters")]
    Control,
}

/// The name as kept: trimmed, not empty, not too long, one line.
pub fn check_preset_name(name: &str) -> Result<String, PresetNameError> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 {
        Err(PresetNameError::Empty)
    } else if chars > MAX_PRESET_NAME_CHARS {
        Err(PresetNameError::TooLong(chars))
    } else if name.chars().any(char::is_control) {
        Err(PresetNameError::Control)
    } else {
        Ok(name.to_string())
    }
}

impl Preset {
    pub fn plan(&self) -> SessionPlan {
        SessionPlan {
            areas: self.areas.iter().cloned().collect(),
            filter: self.filter,
            questions: self.questions,
        }
    }

    /// The preset with only the areas `bank` still has, and a sentence naming those dropped;
    /// `None` for the sentence when nothing was dropped. A preset left with no area is
    /// reported too (starting it would draw nothing).
    pub fn fit_to(&self, bank: &Bank) -> (Preset, Option<String>) {
        let (known, unknown): (Vec<String>, Vec<String>) = self
            .areas
            .iter()
            .cloned()
            .partition(|a| bank.domain(a).is_some());
        let note = (!unknown.is_empty()).then(|| {
            let left = if known.is_empty() {
                "it has no skill area left to draw from".to_string()
            } else {
                "the rest of the preset still applies".to_string()
            };
            let (kind, verb) = if unknown.len() == 1 {
                ("skill area", "is")
            } else {
                ("skill areas", "are")
            };
            format!(
                "Preset \"{}\": {kind} {} {verb} no longer in {} and {verb} left out; {left}.",
                self.name,
                unknown.join(", "),
                bank.manifest.title,
            )
        });
        (
            Preset {
                areas: known,
                ..self.clone()
            },
            note,
        )
    }
}

/// A short name for a session: "30 unseen, Ethics and Policies + Data Management, timed
/// 45 min". A whole CETL category is named by the category, every area as "all areas".
pub fn describe(bank: &Bank, plan: &SessionPlan, timing: Timing) -> String {
    let timing = match timing {
        Timing::Timed { minutes } => format!("timed {minutes} min"),
        Timing::Tutor => "tutor".to_string(),
    };
    let what = match plan.filter {
        QuestionFilter::All => crate::text::count(plan.questions, "question", "questions"),
        f => format!("{} {}", plan.questions, f.short()),
    };
    format!("{what}, {}, {timing}", areas_name(bank, &plan.areas))
}

fn areas_name(bank: &Bank, areas: &BTreeSet<String>) -> String {
    let domains = &bank.manifest.domains;
    if domains.iter().all(|d| areas.contains(&d.id)) {
        return "all areas".to_string();
    }
    let mut parts = Vec::new();
    for (category, members) in bank.categories() {
        let ids: Vec<&str> = members.iter().map(|&i| domains[i].id.as_str()).collect();
        if members.len() > 1 && ids.iter().all(|id| areas.contains(*id)) {
            parts.push(category);
        } else {
            parts.extend(
                members
                    .iter()
                    .filter(|&&i| areas.contains(&domains[i].id))
                    .map(|&i| domains[i].name.clone()),
            );
        }
    }
    if parts.is_empty() {
        "no area".to_string()
    } else if parts.len() > 3 {
        crate::text::count(areas.len(), "area", "areas")
    } else {
        parts.join(" + ")
    }
}
