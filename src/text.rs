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

/// A share as a percentage with no more digits than it has: 0.7 → "70%", 0.725 → "72.5%".
pub fn percent(share: f64) -> String {
    let p = (share * 1000.0).round() / 10.0;
    if p.fract() == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

/// The pass mark as it must be read wherever a chance of passing is shown: the real exam
/// reports a scaled score and does not publish its raw cut, so the mark is an assumption.
pub fn pass_mark_note(pass_mark: f64) -> String {
    format!(
        "pass mark {} (your assumption; the real exam's cut is not published)",
        percent(pass_mark)
    )
}

/// Text from someone else's file, made safe to print on a terminal or in a CSV cell: control
/// characters (newlines, ESC and the rest of C0 and C1, DEL) become visible escapes such as
/// `\n` and `\u{1b}`, so they cannot add report lines or send terminal commands.
pub fn escape_controls(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(escape_controls("plain É"), "plain É");
        assert_eq!(
            escape_controls("a\nb\x1b]0;x\x07\u{9b}"),
            "a\\nb\\u{1b}]0;x\\u{7}\\u{9b}"
        );
    }

    #[test]
    fn counts_agree_in_number_and_dates_read_in_words() {
        assert_eq!(count(1, "question", "questions"), "1 question");
        assert_eq!(count(0, "question", "questions"), "0 questions");
        assert_eq!(count(12, "day", "days"), "12 days");
        let d = NaiveDate::from_ymd_opt(2027, 3, 5).unwrap();
        assert_eq!(long_date(d), "March 5, 2027");
        assert_eq!(percent(0.7), "70%");
        assert_eq!(percent(0.725), "72.5%");
        assert_eq!(
            pass_mark_note(0.75),
            "pass mark 75% (your assumption; the real exam's cut is not published)"
        );
    }
}
