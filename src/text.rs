//! Small pieces of English shared by the screens, the command line and the core's messages.

use chrono::NaiveDate;

/// "1 question", "3 questions".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", noun(n, one, many))
}

/// The noun alone, for sentences that place the number elsewhere.
pub fn noun<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Small numbers in words, as instructions read ("choose two"); digits from ten on.
pub fn number_word(n: usize) -> String {
    const WORDS: [&str; 10] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_string())
}

/// A calendar date as people write it ("March 15, 2027").
pub fn long_date(d: NaiveDate) -> String {
    d.format("%B %-d, %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_in_number_and_dates_read_in_words() {
        assert_eq!(count(1, "question", "questions"), "1 question");
        assert_eq!(count(0, "question", "questions"), "0 questions");
        assert_eq!(count(12, "day", "days"), "12 days");
        let d = NaiveDate::from_ymd_opt(2027, 3, 5).unwrap();
        assert_eq!(long_date(d), "March 5, 2027");
    }
}
