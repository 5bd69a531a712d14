//! Time on screen per question, on the monotonic clock: each visit to a question adds to its
//! total, the review page and a closed app add nothing (the countdown pauses the same way).
//! Like [`super::Countdown`], it takes `now` as an argument, so tests drive it with made-up
//! `Instant`s.

use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemTimes {
    /// Time of finished visits, per position.
    spent: Vec<Duration>,
    /// The question on screen now and since when.
    showing: Option<(usize, Instant)>,
}

impl ItemTimes {
    /// `n` questions, none seen yet.
    pub fn new(n: usize) -> ItemTimes {
        ItemTimes::from_spent(vec![Duration::ZERO; n])
    }

    /// Times restored from the database (a resumed attempt); nothing on screen yet.
    pub fn from_spent(spent: Vec<Duration>) -> ItemTimes {
        ItemTimes {
            spent,
            showing: None,
        }
    }

    /// Question `index` is on screen from `now`. The one shown before stops, and its
    /// position is returned so its total can be saved; showing the same question again
    /// changes nothing. An index past the end is ignored.
    pub fn show(&mut self, index: usize, now: Instant) -> Option<usize> {
        if index >= self.spent.len() {
            return self.pause(now);
        }
        match self.showing {
            Some((i, _)) if i == index => None,
            _ => {
                let stopped = self.pause(now);
                self.showing = Some((index, now));
                stopped
            }
        }
    }

    /// Nothing is on screen from `now` (review page, Home, the window closed); returns the
    /// position that stopped.
    pub fn pause(&mut self, now: Instant) -> Option<usize> {
        let (i, since) = self.showing.take()?;
        self.spent[i] += now.saturating_duration_since(since);
        Some(i)
    }

    /// Total time on question `index` up to `now`, the running visit included.
    pub fn spent(&self, index: usize, now: Instant) -> Duration {
        let base = self.spent.get(index).copied().unwrap_or_default();
        match self.showing {
            Some((i, since)) if i == index => base + now.saturating_duration_since(since),
            _ => base,
        }
    }

    /// The question being timed, if any.
    pub fn showing(&self) -> Option<usize> {
        self.showing.map(|(i, _)| i)
    }

    /// Every question's total up to `now`, by position.
    pub fn all(&self, now: Instant) -> Vec<Duration> {
        (0..self.spent.len()).map(|i| self.spent(i, now)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn visits_add_up_and_pauses_add_nothing() {
        let t0 = Instant::now();
        let mut t = ItemTimes::new(3);
        assert_eq!(t.show(0, t0), None);
        // Showing the same question each frame does not restart its visit.
        assert_eq!(t.show(0, t0 + secs(5)), None);
        assert_eq!(t.show(1, t0 + secs(10)), Some(0));
        assert_eq!(t.spent(0, t0 + secs(99)), secs(10));
        assert_eq!(t.spent(1, t0 + secs(14)), secs(4));
        // Review page for 20 s: nobody is timed.
        assert_eq!(t.pause(t0 + secs(15)), Some(1));
        assert_eq!(t.pause(t0 + secs(16)), None);
        assert_eq!(t.show(0, t0 + secs(35)), None);
        assert_eq!(t.show(2, t0 + secs(38)), Some(0));
        assert_eq!(t.pause(t0 + secs(40)), Some(2));
        assert_eq!(t.all(t0 + secs(1000)), vec![secs(13), secs(5), secs(2)]);
    }

    #[test]
    fn a_resumed_attempt_goes_on_from_its_saved_times() {
        let t0 = Instant::now();
        let mut t = ItemTimes::from_spent(vec![secs(30), secs(0)]);
        assert_eq!(t.showing(), None);
        t.show(0, t0);
        assert_eq!(t.spent(0, t0 + secs(7)), secs(37));
        // An index the attempt does not have stops the clock rather than panicking.
        assert_eq!(t.show(5, t0 + secs(8)), Some(0));
        assert_eq!(t.showing(), None);
        assert_eq!(t.spent(0, t0 + secs(60)), secs(38));
        assert_eq!(t.spent(9, t0), Duration::ZERO);
    }

    #[test]
    fn a_clock_that_reads_earlier_adds_nothing() {
        let t0 = Instant::now() + secs(100);
        let mut t = ItemTimes::new(1);
        t.show(0, t0);
        t.pause(t0 - secs(50));
        assert_eq!(t.spent(0, t0), Duration::ZERO);
    }
}
