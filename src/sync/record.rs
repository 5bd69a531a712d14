//! What travels between computers: one record per change, each a whole value (not a diff),
//! so applying a record twice, or an older one after a newer one, changes nothing.
//!
//! Kinds and how they merge:
//! - `attempt_start`: an exam or study attempt as it was created (bank, seed, questions,
//!   option order). Never changes; keyed by the attempt's uid.
//! - `attempt_state`: status, time used, current question, and the score once finished.
//!   Last writer wins by stamp.
//! - `item`: one question of an attempt: options chosen, flag, checked, and (v9) time on
//!   screen and confidence. Last writer wins.
//! - `review`: one rating of one question (study or exam). Keyed by its uid; the card's FSRS
//!   state is never sent: each computer recomputes it from the merged review log.
//! - `prediction`: what readiness predicted as a mock exam started. Last writer wins.
//! - `report`: a learner's report of a problem with a question (schema v8). Keyed by its id,
//!   last writer wins by stamp, and a deletion (a tombstone: `deleted`, text emptied) is
//!   final: a report, once deleted, is never brought back by an older copy of it.
//! - `value`: a key and a value, last writer wins: study settings and pass marks
//!   (`setting/<key>`), exam dates and targets (`plan/<bank>`), readiness per day
//!   (`readiness/<bank>/<day>`), each mock exam's realism evidence (`realism/<bank>/<attempt>`),
//!   device names (`device/<id>`), and any key a later certprep adds (notes, bookmarks, fitted
//!   FSRS parameters): unknown keys are stored as they are, so nothing a newer
//!   version wrote is lost by an older one.
//! - anything else: a kind from a newer certprep. It is not applied, and its file is read
//!   again on every pass, so an update picks it up.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// One line of a journal: the stamp of the change and what changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The hybrid-logical-clock stamp, text form (see [`super::hlc`]).
    pub hlc: String,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Body {
    AttemptStart(AttemptStart),
    AttemptState(AttemptState),
    Item(ItemRecord),
    Review(ReviewRecord),
    Prediction(PredictionRecord),
    Value(ValueRecord),
    Report(ReportRecord),
    /// A kind this version does not know (written by a newer certprep).
    #[serde(other)]
    Unknown,
}

impl Body {
    /// Apply order within one pass: an attempt must exist before its state, items, reviews
    /// and prediction can be applied.
    pub fn rank(&self) -> u8 {
        match self {
            Body::AttemptStart(_) => 0,
            Body::AttemptState(_) | Body::Item(_) | Body::Prediction(_) => 1,
            Body::Review(_) => 2,
            Body::Value(_) | Body::Report(_) => 3,
            Body::Unknown => 4,
        }
    }
}

/// The kinds of body, by their `kind` tag.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    AttemptStart,
    AttemptState,
    Item,
    Review,
    Prediction,
    Value,
    Report,
    #[serde(other)]
    Unknown,
}

/// A body's first key: the tag, or (from a writer that does not put it first) anything else.
enum FirstKey {
    Kind,
    Other(String),
}

impl<'de> Deserialize<'de> for FirstKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = FirstKey;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FirstKey, E> {
                Ok(if v == "kind" {
                    FirstKey::Kind
                } else {
                    FirstKey::Other(v.to_string())
                })
            }
        }
        d.deserialize_str(V)
    }
}

/// Reading a body is most of the cost of reading a journal (100,000 records in a large merge).
/// serde's derived reader for an internally tagged enum first copies every field of the
/// object into a buffer of generic values, because the tag might come last. certprep writes
/// the tag first (serde's writer does), so when it is first the rest of the object is read
/// straight into its struct; otherwise it is read into a JSON map and converted, as before.
/// Same format, same result either way.
impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Body;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a record body with a kind")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Body, A::Error> {
                match map.next_key::<FirstKey>()? {
                    Some(FirstKey::Kind) => {
                        let kind: Kind = map.next_value()?;
                        body_of(kind, de::value::MapAccessDeserializer::new(map))
                    }
                    Some(FirstKey::Other(key)) => {
                        let mut fields = serde_json::Map::new();
                        let value: serde_json::Value = map.next_value()?;
                        fields.insert(key, value);
                        while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
                            fields.insert(k, v);
                        }
                        let kind = fields
                            .remove("kind")
                            .ok_or_else(|| de::Error::missing_field("kind"))?;
                        let kind = Kind::deserialize(kind).map_err(de::Error::custom)?;
                        body_of(kind, serde_json::Value::Object(fields)).map_err(de::Error::custom)
                    }
                    None => Err(de::Error::missing_field("kind")),
                }
            }
        }
        d.deserialize_map(V)
    }
}

/// The body of `kind` from the rest of its fields.
fn body_of<'de, D: Deserializer<'de>>(kind: Kind, rest: D) -> Result<Body, D::Error> {
    Ok(match kind {
        Kind::AttemptStart => Body::AttemptStart(AttemptStart::deserialize(rest)?),
        Kind::AttemptState => Body::AttemptState(AttemptState::deserialize(rest)?),
        Kind::Item => Body::Item(ItemRecord::deserialize(rest)?),
        Kind::Review => Body::Review(ReviewRecord::deserialize(rest)?),
        Kind::Prediction => Body::Prediction(PredictionRecord::deserialize(rest)?),
        Kind::Value => Body::Value(ValueRecord::deserialize(rest)?),
        Kind::Report => Body::Report(ReportRecord::deserialize(rest)?),
        Kind::Unknown => {
            de::IgnoredAny::deserialize(rest)?;
            Body::Unknown
        }
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptStart {
    pub attempt: String,
    pub bank_id: String,
    pub bank_version: String,
    pub mode: String,
    pub seed: i64,
    pub pass_percent: f64,
    pub time_limit_secs: Option<i64>,
    pub started_at: String,
    pub pack_id: Option<String>,
    /// A study-group pack's own title (schema v7); absent from journals of earlier builds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Practice, not a mock exam (schema v11); absent (false) from journals of earlier
    /// builds, and not written for a mock exam, so those read it as they always did.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub practice: bool,
    /// (question id, option order) per position.
    pub items: Vec<(String, Vec<String>)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptState {
    pub attempt: String,
    pub status: String,
    pub finished_at: Option<String>,
    pub elapsed_ms: i64,
    pub current_index: i64,
    pub score: Option<Score>,
}

/// A finished attempt's score: what the results, history and per-question counts need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub correct: i64,
    pub total: i64,
    /// (skill area, correct, total).
    pub domains: Vec<(String, i64, i64)>,
    /// (question id, right?) per scored question, for the per-question history.
    pub items: Vec<(String, bool)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemRecord {
    pub attempt: String,
    pub position: i64,
    pub selected: Vec<String>,
    pub flagged: bool,
    pub checked: bool,
    pub answered_at: Option<String>,
    /// Time on screen in milliseconds (schema v9). Absent from an older certprep's records:
    /// the time already here is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_ms: Option<i64>,
    /// How sure the candidate was (schema v9): "sure", "unsure", "guess", or "" for no mark.
    /// Absent from an older certprep's records: the mark already here is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewRecord {
    pub id: String,
    pub bank_id: String,
    pub question_id: String,
    pub reviewed_at: String,
    /// FSRS rating 1..=4.
    pub rating: i64,
    pub source: String,
    pub attempt: Option<String>,
    /// What the answering computer's scheduler said at the time, kept in the review log as
    /// it was written there (a fact of that moment, like the rating). Cards themselves are
    /// recomputed from the merged log with the scheduler and settings in force now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logged: Option<LoggedSchedule>,
    /// How long the answer took (study; the daily time budget reads it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<i64>,
}

/// A review-log row's schedule columns, as the computer that wrote the row wrote them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoggedSchedule {
    pub elapsed_days: i64,
    pub scheduled_days: i64,
    pub state_before: i64,
    pub state_after: i64,
    pub stability_after: f64,
    pub due_after: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredictionRecord {
    pub attempt: String,
    pub bank_id: String,
    pub made_at: String,
    pub predicted: f64,
    pub low: f64,
    pub high: f64,
    pub pass_probability: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueRecord {
    pub key: String,
    /// `None`: the key was cleared.
    pub value: Option<String>,
}

/// A question report (see `crate::reports`), whole: a later record for the same id replaces
/// it; `deleted` marks the tombstone a deletion leaves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRecord {
    pub id: String,
    pub bank_id: String,
    pub question_id: String,
    /// The kind's stable name (`wrong_key`, …). Text, not an enum: a kind a later certprep
    /// adds waits here (the record is tried again) instead of making the line unreadable.
    pub kind: String,
    pub text: String,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
}

/// Keys of [`ValueRecord`]s.
pub mod keys {
    /// A study setting kept in the database's `settings` table.
    pub const SETTING: &str = "setting/";
    /// An exam date and target: `plan/<bank>`.
    pub const PLAN: &str = "plan/";
    /// One day's readiness: `readiness/<bank>/<YYYY-MM-DD>`.
    pub const READINESS: &str = "readiness/";
    /// A computer's name: `device/<id>`.
    pub const DEVICE: &str = "device/";
    /// One mock exam's realism evidence for the readiness model: `realism/<bank>/<attempt>`;
    /// evidence from before it travelled, one computer's total: `realism/<bank>/before-<device>`.
    pub const REALISM: &str = "realism/";
    /// A bank's pass mark chosen by the learner, a study setting: `setting/pass_mark:<bank>`.
    pub const PASS_MARK: &str = "pass_mark:";
    /// The learner's note on a question: `setting/note:<bank>/<question>` (empty: none).
    pub const NOTE: &str = "note:";
    /// A bookmarked question: `setting/bookmark:<bank>/<question>` ("1", or empty: removed).
    pub const BOOKMARK: &str = "bookmark:";
    /// A session-builder preset: `setting/preset:<bank>/<name>` (JSON, or empty: deleted).
    pub const PRESET: &str = "preset:";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_kinds_parse_as_unknown() {
        let r: Record =
            serde_json::from_str(r#"{"hlc":"x","body":{"kind":"note","text":"hi"}}"#).unwrap();
        assert_eq!(r.body, Body::Unknown);
    }

    #[test]
    fn a_body_reads_the_same_with_its_kind_anywhere() {
        let first = r#"{"hlc":"h","body":{"kind":"value","key":"k","value":"v"}}"#;
        let last = r#"{"hlc":"h","body":{"key":"k","value":"v","kind":"value"}}"#;
        let a: Record = serde_json::from_str(first).unwrap();
        assert_eq!(a, serde_json::from_str::<Record>(last).unwrap());
        assert_eq!(
            a.body,
            Body::Value(ValueRecord {
                key: "k".into(),
                value: Some("v".into())
            })
        );
        let unknown_last = r#"{"hlc":"x","body":{"text":"hi","kind":"note"}}"#;
        assert_eq!(
            serde_json::from_str::<Record>(unknown_last).unwrap().body,
            Body::Unknown
        );
        for bad in [
            r#"{"hlc":"h","body":{"key":"k","value":"v"}}"#,
            r#"{"hlc":"h","body":{}}"#,
            r#"{"hlc":"h","body":{"kind":"value","key":3}}"#,
            r#"{"hlc":"h","body":{"value":"v","kind":"value"}}"#,
        ] {
            assert!(serde_json::from_str::<Record>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn report_records_round_trip_and_a_live_one_has_no_deleted_field() {
        let mut r = Record {
            hlc: "h".into(),
            body: Body::Report(ReportRecord {
                id: "r".into(),
                bank_id: "b".into(),
                question_id: "q".into(),
                kind: "wrong_key".into(),
                text: "B is right too".into(),
                created_at: "2026-11-30T10:00:00.000Z".into(),
                deleted: false,
            }),
        };
        let text = serde_json::to_string(&r).unwrap();
        assert!(text.contains(r#""kind":"report""#), "{text}");
        assert!(!text.contains("deleted"), "{text}");
        assert_eq!(serde_json::from_str::<Record>(&text).unwrap(), r);
        if let Body::Report(b) = &mut r.body {
            b.deleted = true;
            b.text.clear();
        }
        let text = serde_json::to_string(&r).unwrap();
        assert!(text.contains(r#""deleted":true"#), "{text}");
        assert_eq!(serde_json::from_str::<Record>(&text).unwrap(), r);
    }

    #[test]
    fn records_round_trip() {
        let r = Record {
            hlc: "h".into(),
            body: Body::Review(ReviewRecord {
                id: "r1".into(),
                bank_id: "b".into(),
                question_id: "q".into(),
                reviewed_at: "2026-01-01T00:00:00.000Z".into(),
                rating: 3,
                source: "study".into(),
                attempt: None,
                logged: Some(LoggedSchedule {
                    elapsed_days: 0,
                    scheduled_days: 1,
                    state_before: 0,
                    state_after: 1,
                    stability_after: 2.5,
                    due_after: "2026-01-02T00:00:00.000Z".into(),
                }),
                duration_ms: Some(4200),
            }),
        };
        let text = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<Record>(&text).unwrap(), r);
    }
}
