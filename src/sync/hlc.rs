//! Hybrid logical clock stamps: what orders every change a learner makes on any computer.
//!
//! A stamp is (wall-clock milliseconds, counter, device). A computer never issues a stamp
//! lower than one it has already issued *or seen from another computer*, so when the learner
//! answers on one computer, syncs, and changes that answer on a second computer whose clock is
//! an hour behind, the second answer still sorts after the first. Wall time keeps stamps close
//! to real time when clocks agree; the counter orders changes inside one millisecond or while
//! the local clock lags; the device breaks the last ties, so the order is total and the same
//! on every computer.
//!
//! The text form (`000001764489600000-000000-<device>`) sorts the way stamps do, so SQLite
//! compares and indexes it as plain TEXT.

use std::cmp::Ordering;
use std::fmt;

/// Digits of the zero-padded wall-clock milliseconds in the text form.
const WALL_DIGITS: usize = 18;
const COUNTER_DIGITS: usize = 6;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Hlc {
    pub wall_ms: i64,
    pub counter: u32,
    pub device: String,
}

impl Hlc {
    pub fn new(wall_ms: i64, counter: u32, device: impl Into<String>) -> Hlc {
        Hlc {
            wall_ms: wall_ms.max(0),
            counter: counter.min(999_999),
            device: device.into(),
        }
    }

    /// Read the text form; `None` for anything else.
    pub fn parse(text: &str) -> Option<Hlc> {
        let wall = text.get(..WALL_DIGITS)?;
        let rest = text.get(WALL_DIGITS..)?.strip_prefix('-')?;
        let counter = rest.get(..COUNTER_DIGITS)?;
        let device = rest.get(COUNTER_DIGITS..)?.strip_prefix('-')?;
        if !wall.bytes().all(|b| b.is_ascii_digit()) || !counter.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        if device.is_empty() || !device.bytes().all(is_device_byte) {
            return None;
        }
        Some(Hlc {
            wall_ms: wall.parse().ok()?,
            counter: counter.parse().ok()?,
            device: device.to_string(),
        })
    }

    /// The device part of a stamp's text form, without parsing the rest.
    pub fn device_of(text: &str) -> Option<&str> {
        text.get(WALL_DIGITS + COUNTER_DIGITS + 2..)
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:0w$}-{:0c$}-{}",
            self.wall_ms,
            self.counter,
            self.device,
            w = WALL_DIGITS,
            c = COUNTER_DIGITS
        )
    }
}

impl Ord for Hlc {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.wall_ms, self.counter, &self.device).cmp(&(
            other.wall_ms,
            other.counter,
            &other.device,
        ))
    }
}

impl PartialOrd for Hlc {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Device ids are lowercase hex (we make them); anything else in a journal is refused, so a
/// stamp's text can never smuggle a `-` or a path separator into a file name.
pub fn is_device_byte(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

pub fn is_device_id(s: &str) -> bool {
    (8..=32).contains(&s.len()) && s.bytes().all(is_device_byte)
}

/// The clock's next (wall, counter) after the last issued or seen (`last_wall`,
/// `last_counter`), at wall time `now_ms`. Pure, so the store can run it inside the write
/// transaction that uses the stamp (see `store::sync`).
pub fn next(last_wall: i64, last_counter: u32, now_ms: i64) -> (i64, u32) {
    if now_ms > last_wall {
        (now_ms, 0)
    } else if last_counter < 999_999 {
        (last_wall, last_counter + 1)
    } else {
        // A million changes inside one millisecond of a lagging clock: move time on instead.
        (last_wall + 1, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_round_trips_and_sorts_like_the_stamp() {
        let a = Hlc::new(1_764_489_600_000, 0, "aa00ff11");
        let b = Hlc::new(1_764_489_600_000, 1, "00000000");
        let c = Hlc::new(1_764_489_600_001, 0, "00000000");
        for h in [&a, &b, &c] {
            assert_eq!(Hlc::parse(&h.to_string()).as_ref(), Some(h));
        }
        assert!(a < b && b < c);
        assert!(a.to_string() < b.to_string() && b.to_string() < c.to_string());
        assert_eq!(Hlc::device_of(&a.to_string()), Some("aa00ff11"));
    }

    #[test]
    fn bad_text_is_refused() {
        for bad in [
            "",
            "12-3-abc",
            "000001764489600000-000000-",
            "000001764489600000-000000-../x",
            "00000176448960000x-000000-aa00ff11",
            "000001764489600000-00000a-aa00ff11",
        ] {
            assert_eq!(Hlc::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_lagging_clock_still_moves_forward() {
        // Seen a stamp from a computer an hour ahead: later local changes sort after it.
        let seen = (1_000_000 + 3_600_000, 4);
        assert_eq!(next(seen.0, seen.1, 1_000_000), (seen.0, 5));
        assert_eq!(next(seen.0, 5, seen.0 + 10), (seen.0 + 10, 0));
        assert_eq!(next(7, 999_999, 7), (8, 0));
    }
}
