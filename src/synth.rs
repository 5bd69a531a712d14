//! Deterministic synthetic data for benchmarks and load tests: a bank of any size shaped
//! like the CETL bank (10 weighted areas, shared scenarios, all three question types).

use crate::bank::{
    AnswerOption, Bank, Domain, ExamDefaults, FORMAT_V1, Manifest, Question, QuestionType, Scenario,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::{Path, PathBuf};

const AREAS: [(&str, f64); 10] = [
    ("leadership-vision", 15.0),
    ("strategic-planning", 15.0),
    ("ethics-policies", 10.0),
    ("instructional-focus-pd", 12.0),
    ("team-building-staffing", 9.0),
    ("stakeholder-focus", 9.0),
    ("it-management", 9.0),
    ("communication-systems", 7.0),
    ("business-management", 7.0),
    ("data-management", 7.0),
];

const WORDS: [&str; 24] = [
    "district",
    "board",
    "budget",
    "network",
    "teachers",
    "students",
    "privacy",
    "vendor",
    "plan",
    "survey",
    "device",
    "policy",
    "training",
    "data",
    "cabinet",
    "parents",
    "security",
    "contract",
    "refresh",
    "assessment",
    "superintendent",
    "principal",
    "bandwidth",
    "equity",
];

fn sentence(rng: &mut ChaCha8Rng, words: usize) -> String {
    let mut s: Vec<&str> = (0..words)
        .map(|_| WORDS[rng.random_range(0..WORDS.len())])
        .collect();
    s[0] = "The";
    format!("{}.", s.join(" "))
}

pub fn manifest(id: &str) -> Manifest {
    Manifest {
        format: FORMAT_V1.into(),
        id: id.into(),
        title: format!("Synthetic bank {id}"),
        version: "synthetic".into(),
        exam: ExamDefaults {
            questions: 150,
            minutes: 180,
            pass_percent: 70.0,
        },
        domains: AREAS
            .iter()
            .map(|(d, w)| Domain {
                id: d.to_string(),
                name: d.replace('-', " "),
                category: "Synthetic".into(),
                weight: *w,
            })
            .collect(),
    }
}

/// `n` questions spread over the areas by weight; every fourth question belongs to a
/// three-question scenario; 10% multiple, 5% true/false.
pub fn questions(n: usize, seed: u64) -> (Vec<Scenario>, Vec<Question>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut scenarios = Vec::new();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let area = AREAS[i % AREAS.len()].0;
        // Scenario questions recur every 20 questions within an area; three share a passage.
        let scenario = (i % 4 == 0).then(|| {
            let id = format!("s-{area}-{}", i / 60);
            if !scenarios.iter().any(|s: &Scenario| s.id == id) {
                scenarios.push(Scenario {
                    id: id.clone(),
                    text: sentence(&mut rng, 60),
                });
            }
            id
        });
        let kind = match i % 20 {
            0 | 10 => QuestionType::Multiple,
            5 => QuestionType::TrueFalse,
            _ => QuestionType::Single,
        };
        let options: Vec<AnswerOption> = match kind {
            QuestionType::TrueFalse => ["True", "False"]
                .iter()
                .enumerate()
                .map(|(k, t)| AnswerOption {
                    id: ["a", "b"][k].into(),
                    text: t.to_string(),
                    correct: k == i % 2,
                    explanation: Some(sentence(&mut rng, 12)),
                })
                .collect(),
            _ => {
                let correct_a = rng.random_range(0..4usize);
                (0..4)
                    .map(|k| AnswerOption {
                        id: ["a", "b", "c", "d"][k].into(),
                        text: sentence(&mut rng, 10),
                        correct: k == correct_a
                            || (kind == QuestionType::Multiple && k == (correct_a + 1) % 4),
                        explanation: Some(sentence(&mut rng, 14)),
                    })
                    .collect()
            }
        };
        out.push(Question {
            id: format!("syn-{i:06}"),
            domain: area.into(),
            kind,
            scenario,
            stem: format!("{} Choose {}?", sentence(&mut rng, 20), i),
            options,
            explanation: Some(sentence(&mut rng, 18)),
            difficulty: Some(1 + (i % 3) as u8),
            tags: vec![WORDS[i % WORDS.len()].to_string()],
            reference: Some(format!("Framework: {area}")),
        });
    }
    (scenarios, out)
}

pub fn bank(n: usize, seed: u64) -> Bank {
    let (scenarios, questions) = questions(n, seed);
    match Bank::from_parts(
        manifest("synthetic"),
        PathBuf::from("synthetic"),
        scenarios,
        questions,
    ) {
        Ok(b) => b,
        Err(e) => panic!("synthetic bank is invalid: {e:?}"),
    }
}

/// A small bank for worked examples: areas (id, weight, questions), every question a single
/// answer of four options with id `<area>-<n>`, and mock exams of `exam_questions`.
pub fn small_bank(areas: &[(&str, f64, usize)], exam_questions: u32) -> Bank {
    let mut m = manifest("small");
    m.exam.questions = exam_questions;
    m.domains = areas
        .iter()
        .map(|(id, w, _)| Domain {
            id: id.to_string(),
            name: id.to_string(),
            category: "Small".into(),
            weight: *w,
        })
        .collect();
    let questions = areas
        .iter()
        .flat_map(|(area, _, n)| {
            (0..*n).map(move |i| Question {
                id: format!("{area}-{i}"),
                domain: area.to_string(),
                kind: QuestionType::Single,
                scenario: None,
                stem: format!("Question {i} of {area}?"),
                options: ["a", "b", "c", "d"]
                    .iter()
                    .map(|o| AnswerOption {
                        id: o.to_string(),
                        text: format!("Option {o}"),
                        correct: *o == "a",
                        explanation: None,
                    })
                    .collect(),
                explanation: None,
                difficulty: None,
                tags: Vec::new(),
                reference: None,
            })
        })
        .collect();
    match Bank::from_parts(m, PathBuf::from("small"), Vec::new(), questions) {
        Ok(b) => b,
        Err(e) => panic!("small bank is invalid: {e:?}"),
    }
}

/// Write a bank folder: `bank.json` plus one question file per area (as authors do).
pub fn write_bank(dir: &Path, n: usize, seed: u64) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let manifest = serde_json::to_string_pretty(&manifest("synthetic")).unwrap_or_default();
    std::fs::write(dir.join("bank.json"), manifest)?;
    let (scenarios, questions) = questions(n, seed);
    for (area, _) in AREAS {
        let qs: Vec<&Question> = questions.iter().filter(|q| q.domain == area).collect();
        let used: Vec<&Scenario> = scenarios
            .iter()
            .filter(|s| {
                qs.iter()
                    .any(|q| q.scenario.as_deref() == Some(s.id.as_str()))
            })
            .collect();
        let file = serde_json::json!({ "scenarios": used, "questions": qs });
        std::fs::write(
            dir.join(format!("{area}.json")),
            serde_json::to_string_pretty(&file).unwrap_or_default(),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn written_bank_loads_and_matches_the_in_memory_one() {
        let dir = tempfile::tempdir().unwrap();
        super::write_bank(dir.path(), 500, 3).unwrap();
        let loaded = crate::bank::load_bank(dir.path()).expect("valid");
        assert_eq!(loaded.questions.len(), 500);
        let mem = super::bank(500, 3);
        assert_eq!(loaded.domain_counts(), mem.domain_counts());
        assert!(
            loaded
                .questions
                .iter()
                .filter(|q| q.scenario.is_some())
                .count()
                >= 100
        );
    }
}

/// A synthetic learner's review log, for benchmarks and fitting tests: `cards` questions,
/// introduced over the first 60 days, each answered whenever certprep's default scheduler
/// says it is due (up to two days late), until about `reviews` answers in all. Whether an
/// answer is right is drawn from a hidden memory with its own FSRS-6 parameters (a steeper
/// forgetting curve than the defaults), so a fit has something to find. Deterministic.
pub fn learner_log(cards: usize, reviews: usize, seed: u64) -> Vec<Vec<crate::srs::LoggedAnswer>> {
    use crate::srs::{LoggedAnswer, Rating, ReviewSource, Scheduler};
    const HIDDEN: [f32; 21] = [
        0.35, 1.8, 3.9, 12.5, 5.8, 0.95, 2.4, 0.02, 1.6, 0.21, 0.9, 1.7, 0.09, 0.31, 1.4, 0.55,
        2.1, 0.6, 0.25, 0.1, 0.35,
    ];
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let schedule = Scheduler::new(0.9);
    let memory = Scheduler::with(&HIDDEN, 0.9, &[10], &[10]);
    let t0 = chrono::DateTime::parse_from_rfc3339("2026-01-05T09:00:00Z")
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_default();
    let per_card = reviews.div_ceil(cards.max(1)).max(1);
    (0..cards)
        .map(|_| {
            let mut log = Vec::with_capacity(per_card);
            let mut at = t0 + chrono::Duration::minutes(rng.random_range(0..60 * 1440));
            let (mut card, mut truth) = (Scheduler::new_card(at), Scheduler::new_card(at));
            for _ in 0..per_card {
                let recall = if truth.state == crate::srs::State::New {
                    0.6
                } else {
                    crate::srs::forgetting_curve(
                        crate::srs::days_between(truth.last_review, at),
                        truth.stability,
                        truth.decay,
                    )
                };
                let rating = if rng.random::<f64>() >= recall {
                    Rating::Again
                } else {
                    match rng.random_range(0..20) {
                        0..=2 => Rating::Hard,
                        3..=4 => Rating::Easy,
                        _ => Rating::Good,
                    }
                };
                log.push(LoggedAnswer {
                    at,
                    rating,
                    source: ReviewSource::Study,
                });
                card = schedule.next_card(&card, rating, at);
                truth = memory.next_card(&truth, rating, at);
                at = card.due.max(at) + chrono::Duration::minutes(rng.random_range(0..2 * 1440));
            }
            log
        })
        .collect()
}
