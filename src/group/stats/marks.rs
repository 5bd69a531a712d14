//! The input: each attempt's mark on each item, checked as it is added.

/// One item (question) of the test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Item {
    /// The most a mark on it can be (1 for a right/wrong question).
    pub max_mark: f64,
    /// The mark a random guess earns on average, as a fraction of `max_mark`
    /// (1/4 for one right option of four); `None` when it cannot be said.
    pub random_guess: Option<f64>,
}

impl Item {
    /// A question marked right (1) or wrong (0).
    pub fn right_wrong(random_guess: Option<f64>) -> Item {
        Item {
            max_mark: 1.0,
            random_guess,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    #[error("item {item}: the maximum mark must be a positive number, not {max_mark}")]
    BadMaxMark { item: usize, max_mark: f64 },
    #[error("item {item}: the random-guess score must be between 0 and 1, not {score}")]
    BadRandomGuess { item: usize, score: f64 },
    #[error("attempt {attempt} has {found} marks; the test has {expected} items")]
    WrongLength {
        attempt: usize,
        found: usize,
        expected: usize,
    },
    #[error("attempt {attempt}, item {item}: mark {mark} is outside 0..={max_mark}")]
    MarkOutOfRange {
        attempt: usize,
        item: usize,
        mark: f64,
        max_mark: f64,
    },
}

/// Marks of every attempt on every item, stored attempt by attempt in one vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Marks {
    items: Vec<Item>,
    marks: Vec<f64>,
}

impl Marks {
    pub fn new(items: Vec<Item>) -> Result<Marks, StatsError> {
        for (i, it) in items.iter().enumerate() {
            if !(it.max_mark.is_finite() && it.max_mark > 0.0) {
                return Err(StatsError::BadMaxMark {
                    item: i + 1,
                    max_mark: it.max_mark,
                });
            }
            if let Some(score) = it.random_guess.filter(|g| !(0.0..=1.0).contains(g)) {
                return Err(StatsError::BadRandomGuess { item: i + 1, score });
            }
        }
        Ok(Marks {
            items,
            marks: Vec::new(),
        })
    }

    /// Add one attempt's marks, one per item in item order. A bad attempt is refused whole.
    pub fn push(&mut self, attempt: &[f64]) -> Result<(), StatsError> {
        let number = self.attempts() + 1;
        if attempt.len() != self.items.len() {
            return Err(StatsError::WrongLength {
                attempt: number,
                found: attempt.len(),
                expected: self.items.len(),
            });
        }
        for (i, (&mark, it)) in attempt.iter().zip(&self.items).enumerate() {
            // `contains` is false for NaN, so a NaN mark is refused here too.
            if !(0.0..=it.max_mark).contains(&mark) {
                return Err(StatsError::MarkOutOfRange {
                    attempt: number,
                    item: i + 1,
                    mark,
                    max_mark: it.max_mark,
                });
            }
        }
        self.marks.extend_from_slice(attempt);
        Ok(())
    }

    /// Right/wrong answers: 1 for right, 0 for wrong.
    pub fn push_right_wrong(&mut self, attempt: &[bool]) -> Result<(), StatsError> {
        let marks: Vec<f64> = attempt.iter().map(|&r| f64::from(u8::from(r))).collect();
        self.push(&marks)
    }

    pub fn items(&self) -> &[Item] {
        &self.items
    }

    pub fn attempts(&self) -> usize {
        self.marks.len().checked_div(self.items.len()).unwrap_or(0)
    }

    /// Each attempt's total mark.
    pub fn totals(&self) -> Vec<f64> {
        self.rows().map(|row| row.iter().sum()).collect()
    }

    /// Item `i`'s mark in every attempt.
    pub fn column(&self, i: usize) -> impl Iterator<Item = f64> + '_ {
        self.rows().map(move |row| row[i])
    }

    fn rows(&self) -> impl Iterator<Item = &[f64]> {
        // chunks_exact panics on 0; a test without items has no attempts to show.
        self.marks.chunks_exact(self.items.len().max(1))
    }
}
