//! Fitting FSRS-6's parameters to the learner's own reviews, the way Anki does it: the
//! review log becomes the crate's training items, `fsrs::compute_parameters` fits, and the
//! new parameters are kept only if they predict the learner's answers better than the
//! current ones (log loss over the same items; RMSE over bins shown beside it).
//!
//! The crate can panic on histories it does not expect (an item with no review a day or
//! more after the first, for one). Items are built so that cannot happen, and the fit runs
//! under `catch_unwind` besides, so a panic becomes an error message, never a crash; the app
//! also runs it on its own thread ([`FitJob`]).

use super::{LoggedAnswer, whole_days};
use chrono::{DateTime, Utc};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};

/// Fewer usable reviews than this and fitting is not offered: the crate itself returns the
/// defaults below 8 items and fits only the initial stabilities below 64.
pub const MIN_REVIEWS: usize = 64;
/// Fitting is offered again once the usable reviews have grown by this share since the last
/// fit (and first once there are [`OFFER_FIRST_AT`]).
pub const OFFER_GROWTH: f64 = 0.5;
pub const OFFER_FIRST_AT: usize = 400;

/// The training items of a review log: one per review a day or more after the previous one
/// (FSRS's "long-term" reviews), each with every earlier review of its card. Returns the
/// items and, aligned with them, a card number (the crate fits faster when it knows which
/// items share a card).
///
/// What the optimiser cannot use is left out here: a card's log must start from its first
/// answer (delta 0), ratings are 1–4 by type, and an item ends on a review at least a day
/// after the one before (the crate panics on an item with no such review).
pub fn training_items<'a>(
    cards: impl IntoIterator<Item = &'a [LoggedAnswer]>,
) -> (Vec<fsrs::FSRSItem>, Vec<i64>) {
    let mut items = Vec::new();
    let mut ids = Vec::new();
    for (card_no, log) in cards.into_iter().enumerate() {
        let mut reviews: Vec<fsrs::FSRSReview> = Vec::with_capacity(log.len());
        let mut last: Option<DateTime<Utc>> = None;
        for a in log {
            let delta = last.map_or(0, |l| whole_days(l, a.at));
            reviews.push(fsrs::FSRSReview {
                rating: a.rating as u32,
                delta_t: u32::try_from(delta).unwrap_or(u32::MAX),
            });
            last = Some(a.at);
            if reviews.len() > 1 && delta > 0 {
                items.push(fsrs::FSRSItem {
                    reviews: reviews.clone(),
                });
                ids.push(card_no as i64);
            }
        }
    }
    (items, ids)
}

/// How well a parameter set predicts the learner's answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    /// Mean log loss of the predicted recall against pass/fail (lower is better).
    pub log_loss: f64,
    /// Root mean square gap between predicted and actual pass rate over FSRS's bins.
    pub rmse_bins: f64,
}

/// The result of one fit.
#[derive(Debug, Clone, PartialEq)]
pub struct FitReport {
    /// The parameters to use from now on: the fitted ones, or the current ones if the fit
    /// did not predict better.
    pub parameters: Vec<f32>,
    pub fitted: Vec<f32>,
    pub before: Metrics,
    pub after: Metrics,
    /// Whether the fitted parameters were kept.
    pub improved: bool,
    /// Usable reviews (training items) the fit saw.
    pub reviews: usize,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    #[error(
        "Not enough reviews to fit yet: {have} usable reviews (answers a day or more after the \
         previous answer to the same question), at least {need} needed. Keep studying; \
         certprep will offer it when there are enough."
    )]
    NotEnough { have: usize, need: usize },
    #[error("Fitting was stopped.")]
    Cancelled,
    #[error("The optimiser could not fit your reviews ({0}); your parameters are unchanged.")]
    Failed(String),
}

fn metrics(model: &fsrs::FSRS, items: &[fsrs::FSRSItem], ids: &[i64]) -> Result<Metrics, FitError> {
    let e = model
        .evaluate_with_card_ids(items.to_vec(), ids.to_vec(), |_| true)
        .map_err(|e| FitError::Failed(format!("evaluation: {e}")))?;
    Ok(Metrics {
        log_loss: f64::from(e.log_loss),
        rmse_bins: f64::from(e.rmse_bins),
    })
}

fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "it stopped unexpectedly".into())
}

/// Fit parameters to `items` (see [`training_items`]), starting from nothing (the crate's
/// own initialisation), and compare them with `current` on the same items. Never panics.
pub fn fit(
    items: Vec<fsrs::FSRSItem>,
    card_ids: Vec<i64>,
    current: &[f32],
    progress: Option<Arc<Mutex<fsrs::CombinedProgressState>>>,
) -> Result<FitReport, FitError> {
    if items.len() < MIN_REVIEWS {
        return Err(FitError::NotEnough {
            have: items.len(),
            need: MIN_REVIEWS,
        });
    }
    let reviews = items.len();
    let run = catch_unwind(AssertUnwindSafe(|| {
        let fitted = fsrs::compute_parameters(fsrs::ComputeParametersInput {
            train_set: items.clone(),
            card_ids: Some(card_ids.clone()),
            progress: progress.clone(),
            enable_short_term: true,
            num_relearning_steps: None,
            training_config: None,
        });
        let fitted = match fitted {
            Ok(w) => w,
            Err(fsrs::FSRSError::Interrupted) => return Err(FitError::Cancelled),
            Err(e) => return Err(FitError::Failed(e.to_string())),
        };
        let current = super::model::checked_parameters(current);
        let old = fsrs::FSRS::new(&current).map_err(|e| FitError::Failed(e.to_string()))?;
        let new = fsrs::FSRS::new(&fitted).map_err(|e| FitError::Failed(e.to_string()))?;
        let before = metrics(&old, &items, &card_ids)?;
        let after = metrics(&new, &items, &card_ids)?;
        let improved = after.log_loss < before.log_loss;
        Ok(FitReport {
            parameters: if improved { fitted.clone() } else { current },
            fitted,
            before,
            after,
            improved,
            reviews,
        })
    }));
    run.unwrap_or_else(|p| Err(FitError::Failed(panic_text(p))))
}

/// A fit running on its own thread, with the crate's progress to show.
pub struct FitJob {
    pub progress: Arc<Mutex<fsrs::CombinedProgressState>>,
    handle: Option<std::thread::JoinHandle<Result<FitReport, FitError>>>,
}

impl FitJob {
    /// Start fitting on a new thread.
    pub fn start(items: Vec<fsrs::FSRSItem>, card_ids: Vec<i64>, current: Vec<f32>) -> FitJob {
        let progress = fsrs::CombinedProgressState::new_shared();
        let shared = Arc::clone(&progress);
        let handle = std::thread::Builder::new()
            .name("certprep-fsrs-fit".into())
            .spawn(move || fit(items, card_ids, &current, Some(shared)))
            .ok();
        FitJob { progress, handle }
    }

    /// Share done, 0–1 (0 until the crate reports its first batch).
    pub fn done_share(&self) -> f32 {
        match self.progress.lock() {
            Ok(p) if p.total() > 0 => p.current() as f32 / p.total() as f32,
            _ => 0.0,
        }
    }

    /// Ask the optimiser to stop at its next batch.
    pub fn cancel(&self) {
        if let Ok(mut p) = self.progress.lock() {
            p.want_abort = true;
        }
    }

    /// The result once the thread has finished; None while it runs.
    pub fn poll(&mut self) -> Option<Result<FitReport, FitError>> {
        let Some(handle) = self.handle.as_ref() else {
            return Some(Err(FitError::Failed("no thread could be started".into())));
        };
        if !handle.is_finished() {
            return None;
        }
        let handle = self.handle.take()?;
        Some(
            handle
                .join()
                .unwrap_or_else(|p| Err(FitError::Failed(panic_text(p)))),
        )
    }

    /// Wait for the result (tests and the command line).
    pub fn wait(mut self) -> Result<FitReport, FitError> {
        match self.handle.take() {
            Some(h) => h
                .join()
                .unwrap_or_else(|p| Err(FitError::Failed(panic_text(p)))),
            None => Err(FitError::Failed("no thread could be started".into())),
        }
    }
}

/// Whether to offer fitting: enough usable reviews, and (after a fit) enough new ones.
pub fn should_offer(usable_reviews: usize, at_last_fit: Option<usize>) -> bool {
    match at_last_fit {
        None => usable_reviews >= OFFER_FIRST_AT,
        Some(n) => {
            usable_reviews >= MIN_REVIEWS
                && usable_reviews as f64 >= (n.max(1) as f64) * (1.0 + OFFER_GROWTH)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::{Rating, ReviewSource};
    use chrono::TimeZone;

    fn answer(day: f64, rating: Rating) -> LoggedAnswer {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
        LoggedAnswer {
            at: t0 + chrono::Duration::minutes((day * 1440.0) as i64),
            rating,
            source: ReviewSource::Study,
        }
    }

    #[test]
    fn items_end_on_long_term_reviews_and_carry_their_history() {
        let a = [
            answer(0.0, Rating::Again),
            answer(0.01, Rating::Good), // same day: short-term, no item of its own
            answer(2.0, Rating::Good),
            answer(2.5, Rating::Hard), // same day again
            answer(9.0, Rating::Again),
        ];
        let b = [answer(0.0, Rating::Good)]; // one answer: no item
        let (items, ids) = training_items([&a[..], &b[..]]);
        assert_eq!(items.len(), 2);
        assert_eq!(ids, vec![0, 0]);
        let deltas: Vec<u32> = items[1].reviews.iter().map(|r| r.delta_t).collect();
        let ratings: Vec<u32> = items[1].reviews.iter().map(|r| r.rating).collect();
        assert_eq!(deltas, vec![0, 0, 1, 0, 6]);
        assert_eq!(ratings, vec![1, 3, 3, 2, 1]);
        assert_eq!(items[0].reviews.len(), 3);
    }

    #[test]
    fn too_few_reviews_is_an_error_not_a_fit() {
        let a = [answer(0.0, Rating::Good), answer(3.0, Rating::Good)];
        let (items, ids) = training_items([&a[..]]);
        assert_eq!(
            fit(items, ids, &[], None),
            Err(FitError::NotEnough {
                have: 1,
                need: MIN_REVIEWS
            })
        );
    }

    #[test]
    fn items_the_crate_panics_on_become_an_error() {
        // Hand-made items with no long-term review: the crate's outlier filter expects one.
        let bad: Vec<fsrs::FSRSItem> = (0..200)
            .map(|i| fsrs::FSRSItem {
                reviews: vec![
                    fsrs::FSRSReview {
                        rating: 3,
                        delta_t: 0,
                    },
                    fsrs::FSRSReview {
                        rating: 1 + (i % 4),
                        delta_t: 0,
                    },
                ],
            })
            .collect();
        let ids = (0..200).collect();
        let r = fit(bad, ids, &[], None);
        assert!(matches!(r, Err(FitError::Failed(_))), "{r:?}");
    }

    #[test]
    fn the_offer_comes_with_enough_new_reviews() {
        assert!(!should_offer(399, None));
        assert!(should_offer(400, None));
        assert!(!should_offer(1400, Some(1000)));
        assert!(should_offer(1500, Some(1000)));
    }
}
