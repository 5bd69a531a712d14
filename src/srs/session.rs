//! Today's study queue and a Study-screen session over it. UI-free, so tests drive it.
//!
//! A question answered in the session that FSRS puts on a (re)learning step comes back in the
//! same session only when that step is over (10 minutes by default), never sooner: while
//! other questions remain they are asked meanwhile, and when only returning ones are left the
//! session waits for the first of them (the Study screen counts down) or the learner stops and
//! meets it, due, in the next session. See docs/readiness.md, "Learning steps".

use super::{CardRecord, Confidence, Review, ReviewOrigin, Scheduler, rating_for};
use crate::bank::Bank;
use crate::exam::{ExamItem, ItemState};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet, VecDeque};

/// A question due again within this time of its answer comes back in the same session; a
/// longer (re)learning step waits for the next session.
pub const SAME_SESSION: chrono::Duration = chrono::Duration::minutes(60);

/// What the Study screen works through today.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StudyQueue {
    /// Due cards, most overdue first.
    pub due: Vec<String>,
    /// New questions, picked by blueprint weight and weakness.
    pub new: Vec<String>,
}

impl StudyQueue {
    pub fn len(&self) -> usize {
        self.due.len() + self.new.len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Question ids in the order they are asked.
    pub fn order(&self) -> Vec<String> {
        self.due.iter().chain(&self.new).cloned().collect()
    }

    /// Keep at most `max` questions, due ones first (the daily time budget). Returns how
    /// many due questions did not fit.
    pub fn limit(&mut self, max: usize) -> usize {
        let left_out = self.due.len().saturating_sub(max);
        self.due.truncate(max);
        self.new.truncate(max - self.due.len());
        left_out
    }
}

/// Build today's queue: every due card first, then up to `new_allowed` unseen questions.
///
/// New questions are spread over the skill areas by `weight × (1 − mastery)`: a heavy area
/// the learner is weak in gets new questions first, and each pick lowers that area's claim
/// (divided by 1 + picks so far) so one area never takes the whole day. Within an area,
/// easier questions come first, then file order (authors build areas up in that order).
pub fn build_queue(
    bank: &Bank,
    cards: &HashMap<String, CardRecord>,
    mastery_by_area: &HashMap<String, f64>,
    now: DateTime<Utc>,
    new_allowed: usize,
    only_area: Option<&str>,
) -> StudyQueue {
    let in_scope = |domain: &str| only_area.is_none_or(|a| a == domain);
    let mut due: Vec<&CardRecord> = cards
        .values()
        .filter(|c| c.is_due(now))
        .filter(|c| {
            bank.question(&c.question_id)
                .is_some_and(|q| in_scope(&q.domain))
        })
        .collect();
    due.sort_by(|a, b| {
        a.card
            .due
            .cmp(&b.card.due)
            .then(a.question_id.cmp(&b.question_id))
    });

    let mut pools: Vec<(String, f64, Vec<String>, usize)> = bank
        .manifest
        .domains
        .iter()
        .filter(|d| in_scope(&d.id))
        .map(|d| {
            let mut unseen: Vec<_> = bank
                .questions_in(&d.id)
                .filter(|q| !cards.contains_key(&q.id))
                .collect();
            unseen.sort_by_key(|q| q.difficulty.unwrap_or(2));
            let ids: Vec<String> = unseen.iter().rev().map(|q| q.id.clone()).collect();
            let m = mastery_by_area.get(&d.id).copied().unwrap_or(0.5);
            let claim = bank.weight_share(d) * (1.0 - m).max(0.05);
            (d.id.clone(), claim, ids, 0)
        })
        .collect();
    let mut new = Vec::new();
    while new.len() < new_allowed {
        let best = pools.iter_mut().filter(|p| !p.2.is_empty()).max_by(|a, b| {
            let ca = a.1 / (1 + a.3) as f64;
            let cb = b.1 / (1 + b.3) as f64;
            ca.total_cmp(&cb)
        });
        let Some(pool) = best else { break };
        if let Some(id) = pool.2.pop() {
            new.push(id);
            pool.3 += 1;
        }
    }
    StudyQueue {
        due: due.into_iter().map(|c| c.question_id.clone()).collect(),
        new,
    }
}

/// What a study session draws from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StudyScope {
    /// Today's queue over the whole bank.
    Bank,
    /// Today's queue, one skill area only ("Study this area").
    Area(String),
    /// The questions an exam attempt got wrong or left unanswered, once each, due or not.
    Missed { attempt_id: i64 },
    /// The last days before the exam: the seen questions with the lowest recall on exam day,
    /// due or not.
    ExamReview,
}

impl StudyScope {
    /// The skill area a session is limited to, if any.
    pub fn area(&self) -> Option<&str> {
        match self {
            StudyScope::Area(a) => Some(a),
            _ => None,
        }
    }
}

/// A Study-screen session: today's queue asked one question at a time, with immediate
/// feedback, then a rating.
#[derive(Debug, Clone)]
pub struct StudySession {
    pub bank_id: String,
    pub scope: StudyScope,
    pub queue: VecDeque<String>,
    /// Questions answered here that come back later in the session, with when they are due.
    pub returning: Vec<(DateTime<Utc>, String)>,
    /// The question on screen, its option order and what the learner did with it.
    pub current: Option<(ExamItem, ItemState)>,
    /// When the question on screen was shown (how long an answer takes feeds the time budget).
    pub shown_at: Option<DateTime<Utc>>,
    pub cards: HashMap<String, CardRecord>,
    /// Answers given (a question that came back and was answered again counts twice).
    pub reviewed: usize,
    /// Right answers among them.
    pub correct: usize,
    /// Different questions answered.
    pub answered: HashSet<String>,
    /// Different questions whose first answer in this session was right.
    pub right_first_time: usize,
    seed: u64,
}

impl StudySession {
    pub fn new(
        bank: &Bank,
        queue: &StudyQueue,
        cards: HashMap<String, CardRecord>,
        scope: StudyScope,
        seed: u64,
        now: DateTime<Utc>,
    ) -> StudySession {
        let mut s = StudySession {
            bank_id: bank.id().to_string(),
            scope,
            queue: queue.order().into(),
            returning: Vec::new(),
            current: None,
            shown_at: None,
            cards,
            reviewed: 0,
            correct: 0,
            answered: HashSet::new(),
            right_first_time: 0,
            seed,
        };
        s.advance(bank, now);
        s
    }

    /// Show the next question: a returning one whose step is over first (it was due
    /// before the rest), else the next of the queue. With neither, nothing is on screen
    /// (the session is over, or waiting for a returning question).
    fn advance(&mut self, bank: &Bank, now: DateTime<Utc>) {
        self.current = None;
        self.shown_at = None;
        let ready = self
            .returning
            .iter()
            .enumerate()
            .filter(|(_, (at, _))| *at <= now)
            .min_by_key(|(_, (at, _))| *at)
            .map(|(i, _)| i);
        if let Some(i) = ready {
            let (_, id) = self.returning.remove(i);
            if self.show(bank, &id, now) {
                return;
            }
        }
        while let Some(id) = self.queue.pop_front() {
            if self.show(bank, &id, now) {
                return;
            }
        }
    }

    fn show(&mut self, bank: &Bank, id: &str, now: DateTime<Utc>) -> bool {
        let Some(q) = bank.question(id) else {
            return false;
        };
        // A fresh option order each showing, so positions are not learned.
        let item = crate::exam::single_item(q, self.seed.wrapping_add(self.reviewed as u64));
        self.current = Some((item, ItemState::default()));
        self.shown_at = Some(now);
        true
    }

    /// Nothing left to ask and nothing coming back.
    pub fn is_finished(&self) -> bool {
        self.current.is_none() && self.returning.is_empty()
    }

    /// Nothing on screen now, but a question comes back at this time.
    pub fn waiting_until(&self) -> Option<DateTime<Utc>> {
        if self.current.is_some() {
            return None;
        }
        self.returning.iter().map(|(at, _)| *at).min()
    }

    /// While waiting: show the returning question once its time has come. True if it did.
    pub fn resume_if_due(&mut self, bank: &Bank, now: DateTime<Utc>) -> bool {
        match self.waiting_until() {
            Some(at) if at <= now => {
                self.advance(bank, now);
                self.current.is_some()
            }
            _ => false,
        }
    }

    /// Questions still to answer: the one on screen, the queue and those coming back.
    pub fn remaining(&self) -> usize {
        self.queue.len() + self.current.is_some() as usize + self.returning.len()
    }

    /// Share of the session done, for the progress bar.
    pub fn progress(&self) -> f32 {
        let total = self.reviewed + self.remaining();
        if total == 0 {
            1.0
        } else {
            self.reviewed as f32 / total as f32
        }
    }

    /// Answers to questions already answered once in this session.
    pub fn repeats(&self) -> usize {
        self.reviewed - self.answered.len()
    }

    pub fn choose(&mut self, bank: &Bank, option_id: &str) -> bool {
        let Some((item, state)) = &mut self.current else {
            return false;
        };
        let Some(q) = bank.question(&item.question_id) else {
            return false;
        };
        item.option_order.iter().any(|o| o == option_id)
            && state.choose(&item.option_order, option_id, q)
    }

    /// The answer on screen is whole: as many picks as its question asks for.
    pub fn can_check(&self, bank: &Bank) -> bool {
        self.current.as_ref().is_some_and(|(item, st)| {
            !st.checked
                && bank
                    .question(&item.question_id)
                    .is_some_and(|q| st.answered(q))
        })
    }

    /// Lock the answer and show the feedback.
    pub fn check(&mut self, bank: &Bank) -> bool {
        if !self.can_check(bank) {
            return false;
        }
        match &mut self.current {
            Some((_, st)) => {
                st.checked = true;
                true
            }
            None => false,
        }
    }

    /// Whether the checked answer on screen is right (None before checking).
    pub fn checked_result(&self, bank: &Bank) -> Option<bool> {
        let (item, st) = self.current.as_ref()?;
        st.checked.then(|| {
            bank.question(&item.question_id)
                .is_some_and(|q| q.is_correct(&st.selected))
        })
    }

    /// Rate the checked answer (wrong is always Again), move on and return the review to
    /// persist. A card FSRS puts on a (re)learning step due within [`SAME_SESSION`] comes back
    /// in this session when the step is over.
    pub fn rate(
        &mut self,
        bank: &Bank,
        scheduler: &Scheduler,
        confidence: Confidence,
        now: DateTime<Utc>,
    ) -> Option<Review> {
        let correct = self.checked_result(bank)?;
        let (item, _) = self.current.as_ref()?;
        let qid = item.question_id.clone();
        let mut review = scheduler.review(
            ReviewOrigin::study(&self.bank_id),
            &qid,
            self.cards.get(&qid),
            rating_for(correct, confidence),
            now,
        );
        review.duration_ms = self
            .shown_at
            .map(|at| (now - at).num_milliseconds().clamp(0, i64::from(u32::MAX)));
        self.cards.insert(qid.clone(), review.after.clone());
        if self.answered.insert(qid.clone()) && correct {
            self.right_first_time += 1;
        }
        self.reviewed += 1;
        self.correct += correct as usize;
        let card = &review.after.card;
        let in_steps = matches!(
            card.state,
            super::State::Learning | super::State::Relearning
        );
        if in_steps && card.due <= now + SAME_SESSION {
            self.returning.push((card.due, qid));
        }
        self.advance(bank, now);
        Some(review)
    }
}
