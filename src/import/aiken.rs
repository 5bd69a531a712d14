//! Aiken: Moodle's one-line-per-option format, imported into a certprep bank.
//!
//! ```text
//! Which protocol assigns IP addresses automatically?
//! A. DHCP
//! B. DNS
//! C) ARP
//! ANSWER: A
//! ```
//!
//! - A question is its text (one line in Moodle's documentation; certprep joins several
//!   lines with a space), then its options, each a capital letter, `.` or `)`, a space and
//!   the text, in order from `A`, then `ANSWER: X` naming the right one. Questions are
//!   separated by blank lines (a new question may also start right after the `ANSWER:` line).
//! - Lines end at CRLF, LF or a lone CR.
//! - Every question becomes `single` in one skill area, "General", with ids `q001`, `q002`,
//!   ... by position in the file.
//!
//! A question that breaks the form (no options, options out of order, text after the
//! options, no or an unknown `ANSWER:`) is skipped and reported with its line and the reason;
//! the rest of the file is read as usual. Everything is linear in the file's size.

use super::{
    Import, ImportOptions, Skipped, UniqueIds, default_manifest, fit_exam, is_blank_line,
    option_id, question_problem, split_lines, weights_by_count,
};
use crate::bank::{AnswerOption, Domain, Question, QuestionType};
use std::collections::HashMap;

/// `A. text` or `B) text` → ('A', "text").
fn option_line(line: &str) -> Option<(char, &str)> {
    let mut chars = line.char_indices();
    let (_, letter) = chars.next()?;
    let (_, mark) = chars.next()?;
    if !letter.is_ascii_uppercase() || !matches!(mark, '.' | ')') {
        return None;
    }
    let rest = &line[2..];
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    Some((letter, rest.trim()))
}

/// `ANSWER: B` → Some("B") (the text after the colon, trimmed); `ANSWER` in any case.
fn answer_line(line: &str) -> Option<&str> {
    let head = line.get(..7)?;
    if !head.eq_ignore_ascii_case("answer:") {
        return None;
    }
    Some(line[7..].trim())
}

/// Whether a text reads as Aiken rather than GIFT: it has `ANSWER: X` lines, at least as
/// many as lines with a `{` (GIFT's answer blocks). Used to tell `.txt` files apart.
pub fn looks_like_aiken(text: &str) -> bool {
    let mut answers = 0usize;
    let mut braces = 0usize;
    for (_, line) in split_lines(text) {
        let line = line.trim();
        if answer_line(line).is_some_and(|a| a.len() == 1) {
            answers += 1;
        }
        if line.contains('{') {
            braces += 1;
        }
    }
    answers > 0 && answers >= braces
}

/// A line as quoted in a reason: at most 60 characters.
fn shortened(line: &str) -> String {
    match line.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_string(),
    }
}

/// The question being read.
#[derive(Default)]
struct Pending {
    /// Line of its first line.
    line: usize,
    stem: Vec<String>,
    options: Vec<String>,
    /// Why it will be skipped; the rest of its lines are passed over.
    problem: Option<String>,
}

impl Pending {
    fn started(&self) -> bool {
        !self.stem.is_empty() || self.problem.is_some()
    }
}

/// Parse Aiken text into a bank. Never fails and never panics: whatever cannot be imported
/// is listed in `skipped` with its line.
pub fn parse(text: &str, opts: &ImportOptions) -> Import {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut ids = UniqueIds::default();
    let mut questions: Vec<Question> = Vec::new();
    let mut skipped = Vec::new();
    let mut lines_of = HashMap::new();
    let mut ordinal = 0usize;
    let mut cur = Pending::default();

    let mut finish = |cur: &mut Pending, answer: Option<&str>| {
        let p = std::mem::take(cur);
        if !p.started() {
            return;
        }
        ordinal += 1;
        let problem = p.problem.clone().or_else(|| match answer {
            _ if p.options.is_empty() => {
                Some("no options (lines such as \"A. text\") after the question".to_string())
            }
            None => Some("no \"ANSWER: X\" line after the options".to_string()),
            Some(a) => {
                let mut it = a.chars();
                match (it.next(), it.next()) {
                    (Some(c), None) if c.is_ascii_alphabetic() => {
                        let i = (c.to_ascii_uppercase() as u8 - b'A') as usize;
                        (i >= p.options.len()).then(|| {
                            format!(
                                "ANSWER: {a} names no option (the options are A to {})",
                                char::from(b'A' + (p.options.len() - 1).min(25) as u8)
                            )
                        })
                    }
                    _ => Some(format!(
                        "ANSWER: \"{a}\" is not one option letter (Aiken has one right answer)"
                    )),
                }
            }
        });
        if let Some(reason) = problem {
            skipped.push(Skipped {
                line: p.line,
                reason,
            });
            return;
        }
        let right = answer
            .and_then(|a| a.chars().next())
            .map_or(0, |c| (c.to_ascii_uppercase() as u8 - b'A') as usize);
        let question = Question {
            id: String::new(),
            domain: "general".into(),
            kind: QuestionType::Single,
            scenario: None,
            stem: p.stem.join(" "),
            options: p
                .options
                .into_iter()
                .enumerate()
                .map(|(i, text)| AnswerOption {
                    id: option_id(i),
                    text,
                    correct: i == right,
                    explanation: None,
                })
                .collect(),
            explanation: None,
            difficulty: None,
            tags: Vec::new(),
            reference: None,
        };
        if let Some(reason) = question_problem(&question) {
            skipped.push(Skipped {
                line: p.line,
                reason,
            });
            return;
        }
        let mut question = question;
        question.id = ids.take(&format!("q{ordinal:03}"));
        lines_of.insert(question.id.clone(), p.line);
        questions.push(question);
    };

    for (n, raw) in split_lines(text) {
        if is_blank_line(raw) {
            finish(&mut cur, None);
            continue;
        }
        let line = raw.trim();
        if !cur.started() {
            cur.line = n;
        }
        if let Some(answer) = answer_line(line) {
            if !cur.started() {
                cur.problem = Some("\"ANSWER:\" line without a question before it".into());
            }
            finish(&mut cur, Some(answer));
            continue;
        }
        if cur.problem.is_some() {
            continue;
        }
        let option = option_line(line).filter(|_| !cur.stem.is_empty());
        match option {
            Some((letter, text)) => {
                let expected = char::from(b'A' + cur.options.len().min(25) as u8);
                if letter != expected {
                    cur.problem = Some(format!(
                        "line {n}: option {letter} where option {expected} was expected \
                         (options go A, B, C, ... in order)"
                    ));
                } else {
                    cur.options.push(text.to_string());
                }
            }
            None if cur.options.is_empty() => cur.stem.push(line.to_string()),
            None => {
                cur.problem = Some(format!(
                    "line {n}: \"{}\" after the options, where an option (\"{}. text\") or \
                     \"ANSWER: X\" was expected",
                    shortened(line),
                    char::from(b'A' + cur.options.len().min(25) as u8)
                ));
            }
        }
    }
    finish(&mut cur, None);

    let mut domains = Vec::new();
    if !questions.is_empty() {
        domains.push(Domain {
            id: "general".into(),
            name: "General".into(),
            category: "General".into(),
            weight: 1.0,
        });
    }
    weights_by_count(&mut domains, &questions);
    let mut manifest = default_manifest(opts, None, domains);
    fit_exam(&mut manifest, questions.len());
    Import {
        manifest,
        scenarios: Vec::new(),
        questions,
        skipped,
        notes: Vec::new(),
        lines: lines_of,
        encoding: None,
        images: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_and_answer_lines() {
        assert_eq!(option_line("A. Paris"), Some(('A', "Paris")));
        assert_eq!(option_line("B) Lyon "), Some(('B', "Lyon")));
        assert_eq!(option_line("A.Paris"), None);
        assert_eq!(option_line("a. Paris"), None);
        assert_eq!(option_line("É. x"), None);
        assert_eq!(answer_line("ANSWER: B"), Some("B"));
        assert_eq!(answer_line("answer:c"), Some("c"));
        assert_eq!(answer_line("ANSWERS"), None);
        assert_eq!(answer_line("ANSWÉR: B"), None);
    }

    #[test]
    fn detection() {
        assert!(looks_like_aiken("Q?\nA. a\nB. b\nANSWER: A\n"));
        assert!(!looks_like_aiken("Q? {=a ~b}\n"));
        assert!(!looks_like_aiken(
            "::t::Q? {=a ~b}\n\nANSWER: A is a word {=x ~y}\n"
        ));
    }
}
