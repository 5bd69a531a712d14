//! "Report a problem with this question": what a learner can say about a question they
//! think is wrong, shared by the database (`store::reports`), sync (a `report` record), the
//! study-group result file (`group::ResultReport`) and the CSV for the bank's author.
//! docs/question-reports.md describes where reports live and how they travel.

use serde::{Deserialize, Serialize};

/// Longest report text kept (characters). Longer text is refused, never cut.
pub const MAX_REPORT_CHARS: usize = 2_000;
/// Longest bank or question id a report may name (characters), as in packs and results.
pub const MAX_REPORT_ID_CHARS: usize = crate::group::MAX_ID_CHARS;

/// What is wrong with the question. Stored and sent as its stable lower-case name
/// ([`ReportKind::as_str`]); never renumbered, only added to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// The answer marked correct is not (or another option is right too).
    WrongKey,
    /// The question or its options can be read more than one way.
    Unclear,
    /// A fact, figure, law or product in it is out of date.
    OutdatedFact,
    /// A spelling or formatting slip.
    Typo,
    Other,
}

impl ReportKind {
    pub const ALL: [ReportKind; 5] = [
        ReportKind::WrongKey,
        ReportKind::Unclear,
        ReportKind::OutdatedFact,
        ReportKind::Typo,
        ReportKind::Other,
    ];

    /// The stable name kept in the database, journals, result files and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::WrongKey => "wrong_key",
            ReportKind::Unclear => "unclear",
            ReportKind::OutdatedFact => "outdated_fact",
            ReportKind::Typo => "typo",
            ReportKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ReportKind> {
        ReportKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// For people: "wrong answer key".
    pub fn label(self) -> &'static str {
        match self {
            ReportKind::WrongKey => "wrong answer key",
            ReportKind::Unclear => "unclear wording",
            ReportKind::OutdatedFact => "outdated fact",
            ReportKind::Typo => "typo",
            ReportKind::Other => "other",
        }
    }
}

impl std::fmt::Display for ReportKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Why a report cannot be kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error(
        "the report is {chars} characters long; at most {max} are kept, so shorten it and send \
         it again"
    )]
    TooLong { chars: usize, max: usize },
    #[error("a report must name its {what}")]
    MissingId { what: &'static str },
    #[error("the {what} is longer than {max} characters")]
    LongId { what: &'static str, max: usize },
    #[error("\"{0}\" is not a kind of problem certprep knows")]
    UnknownKind(String),
}

/// Check a report's text: at most [`MAX_REPORT_CHARS`] characters (empty is allowed: the
/// kind alone can say enough, as for a typo).
pub fn check_text(text: &str) -> Result<(), ReportError> {
    let chars = text.chars().count();
    if chars > MAX_REPORT_CHARS {
        return Err(ReportError::TooLong {
            chars,
            max: MAX_REPORT_CHARS,
        });
    }
    Ok(())
}

/// Check a bank or question id a report names: not empty, not over [`MAX_REPORT_ID_CHARS`].
pub fn check_id(what: &'static str, id: &str) -> Result<(), ReportError> {
    if id.trim().is_empty() {
        return Err(ReportError::MissingId { what });
    }
    if id.chars().count() > MAX_REPORT_ID_CHARS {
        return Err(ReportError::LongId {
            what,
            max: MAX_REPORT_ID_CHARS,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_stable_names_that_round_trip() {
        let names: Vec<&str> = ReportKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            ["wrong_key", "unclear", "outdated_fact", "typo", "other"]
        );
        for k in ReportKind::ALL {
            assert_eq!(ReportKind::parse(k.as_str()), Some(k));
            // serde writes the same name the database keeps.
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
        }
        assert_eq!(ReportKind::parse("Wrong_Key"), None);
        assert_eq!(ReportKind::parse(""), None);
    }

    #[test]
    fn text_is_bounded_by_characters_not_bytes() {
        assert!(check_text("").is_ok());
        assert!(check_text(&"é".repeat(MAX_REPORT_CHARS)).is_ok());
        assert_eq!(
            check_text(&"x".repeat(MAX_REPORT_CHARS + 1)),
            Err(ReportError::TooLong {
                chars: MAX_REPORT_CHARS + 1,
                max: MAX_REPORT_CHARS
            })
        );
        assert!(check_id("question id", " ").is_err());
        assert!(check_id("question id", &"q".repeat(201)).is_err());
        assert!(check_id("question id", "q1").is_ok());
    }
}
