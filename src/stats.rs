//! A bank's balance at a glance: per skill area against its weight, per type, per
//! difficulty, scenario share and where the correct answer sits.

use crate::bank::{Bank, QuestionType};
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Debug, Clone, PartialEq)]
pub struct AreaStat {
    pub domain_id: String,
    pub name: String,
    pub weight: f64,
    pub count: usize,
    /// The count the weight asks for, at this bank size.
    pub proportional: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BankStats {
    pub bank_id: String,
    pub title: String,
    pub total: usize,
    pub areas: Vec<AreaStat>,
    pub by_type: BTreeMap<&'static str, usize>,
    /// Index 0 = no difficulty given, 1..=3.
    pub by_difficulty: [usize; 4],
    pub scenario_based: usize,
    /// Position (0 = first option in the file) of the correct option of `single` questions.
    pub single_correct_position: BTreeMap<usize, usize>,
    pub options_without_explanation: usize,
}

impl BankStats {
    pub fn of(bank: &Bank) -> BankStats {
        let total = bank.questions.len();
        let areas = bank
            .manifest
            .domains
            .iter()
            .map(|d| AreaStat {
                domain_id: d.id.clone(),
                name: d.name.clone(),
                weight: d.weight,
                count: bank.questions_in(&d.id).count(),
                proportional: total as f64 * bank.weight_share(d),
            })
            .collect();
        let mut by_type = BTreeMap::new();
        let mut by_difficulty = [0; 4];
        let mut single_correct_position = BTreeMap::new();
        let mut scenario_based = 0;
        let mut options_without_explanation = 0;
        for q in &bank.questions {
            *by_type.entry(q.kind.label()).or_insert(0) += 1;
            by_difficulty[q.difficulty.map_or(0, |d| d.min(3) as usize)] += 1;
            scenario_based += q.scenario.is_some() as usize;
            options_without_explanation += q
                .options
                .iter()
                .filter(|o| o.explanation.as_deref().is_none_or(|e| e.trim().is_empty()))
                .count();
            if q.kind == QuestionType::Single
                && let Some(p) = q.options.iter().position(|o| o.correct)
            {
                *single_correct_position.entry(p).or_insert(0) += 1;
            }
        }
        BankStats {
            bank_id: bank.id().to_string(),
            title: bank.manifest.title.clone(),
            total,
            areas,
            by_type,
            by_difficulty,
            scenario_based,
            single_correct_position,
            options_without_explanation,
        }
    }

    pub fn table(&self) -> String {
        let mut s = String::new();
        let pct = |n: usize| {
            if self.total == 0 {
                0.0
            } else {
                100.0 * n as f64 / self.total as f64
            }
        };
        let _ = writeln!(
            s,
            "bank {} — {} ({})",
            self.bank_id,
            self.title,
            crate::text::count(self.total, "question", "questions")
        );
        // The area column is as wide as the longest area id, so every row lines up.
        let w = self
            .areas
            .iter()
            .map(|a| a.domain_id.chars().count())
            .max()
            .unwrap_or(0)
            .max("skill area".len());
        let _ = writeln!(
            s,
            "{:<w$} {:>6} {:>6} {:>9}  name",
            "skill area", "weight", "count", "expected"
        );
        for a in &self.areas {
            let _ = writeln!(
                s,
                "{:<w$} {:>6} {:>6} {:>9.1}  {}",
                a.domain_id, a.weight, a.count, a.proportional, a.name
            );
        }
        let _ = writeln!(s, "{:<20} {:>6} {:>7}", "type", "count", "share");
        for (t, n) in &self.by_type {
            let _ = writeln!(s, "{t:<20} {n:>6} {:>6.1}%", pct(*n));
        }
        let _ = writeln!(s, "{:<20} {:>6} {:>7}", "difficulty", "count", "share");
        for (d, n) in self.by_difficulty.iter().enumerate() {
            if d == 0 && *n == 0 {
                continue;
            }
            let label = if d == 0 {
                "unrated".to_string()
            } else {
                d.to_string()
            };
            let _ = writeln!(s, "{label:<20} {n:>6} {:>6.1}%", pct(*n));
        }
        let _ = writeln!(
            s,
            "scenario-based: {} ({:.1}%)",
            self.scenario_based,
            pct(self.scenario_based)
        );
        let singles: usize = self.single_correct_position.values().sum();
        let positions: Vec<String> = self
            .single_correct_position
            .iter()
            .map(|(p, n)| {
                format!(
                    "{}={} ({:.0}%)",
                    (b'a' + *p as u8) as char,
                    n,
                    100.0 * *n as f64 / singles.max(1) as f64
                )
            })
            .collect();
        let _ = writeln!(s, "correct position (single): {}", positions.join(" "));
        let _ = writeln!(
            s,
            "options without explanation: {}\n",
            self.options_without_explanation
        );
        s
    }
}
