//! How sure a candidate was of an exam answer: an optional mark given with the answer
//! (Settings → "Ask how sure I am in exams"; off by default). Review shows it beside the
//! verdict ("right but guessed", "wrong but sure") and it grades the answer's FSRS review
//! ([`crate::srs::exam_rating`], docs/confidence.md).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerConfidence {
    Sure,
    Unsure,
    Guess,
}

impl AnswerConfidence {
    pub const ALL: [AnswerConfidence; 3] = [
        AnswerConfidence::Sure,
        AnswerConfidence::Unsure,
        AnswerConfidence::Guess,
    ];

    /// The text kept in the database and in sync records.
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerConfidence::Sure => "sure",
            AnswerConfidence::Unsure => "unsure",
            AnswerConfidence::Guess => "guess",
        }
    }

    /// `None` for anything certprep does not write (a damaged row, a newer value).
    pub fn parse(s: &str) -> Option<AnswerConfidence> {
        match s {
            "sure" => Some(AnswerConfidence::Sure),
            "unsure" => Some(AnswerConfidence::Unsure),
            "guess" => Some(AnswerConfidence::Guess),
            _ => None,
        }
    }

    /// What the exam's buttons and the review say.
    pub fn label(self) -> &'static str {
        match self {
            AnswerConfidence::Sure => "Sure",
            AnswerConfidence::Unsure => "Unsure",
            AnswerConfidence::Guess => "Guess",
        }
    }

    /// The review's remark where confidence and the verdict disagree, the two cases worth a
    /// second look: a right answer that was a guess (not yet known) and a wrong one the
    /// candidate was sure of (a misconception).
    pub fn mismatch(self, right: bool) -> Option<&'static str> {
        match (self, right) {
            (AnswerConfidence::Guess, true) => Some("right but guessed"),
            (AnswerConfidence::Unsure, true) => Some("right but unsure"),
            (AnswerConfidence::Sure, false) => Some("wrong but sure"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_and_unknown_text_is_none() {
        for c in AnswerConfidence::ALL {
            assert_eq!(AnswerConfidence::parse(c.as_str()), Some(c));
        }
        assert_eq!(AnswerConfidence::parse("certain"), None);
        assert_eq!(AnswerConfidence::parse(""), None);
    }

    #[test]
    fn only_disagreements_are_remarked() {
        assert_eq!(
            AnswerConfidence::Guess.mismatch(true),
            Some("right but guessed")
        );
        assert_eq!(
            AnswerConfidence::Sure.mismatch(false),
            Some("wrong but sure")
        );
        assert_eq!(AnswerConfidence::Sure.mismatch(true), None);
        assert_eq!(AnswerConfidence::Guess.mismatch(false), None);
    }
}
