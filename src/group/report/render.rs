//! The report as text for a terminal and as CSV for a spreadsheet.

use super::*;

impl GroupReport {
    /// The whole report as plain text for a terminal.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        match (&self.pack_id, &self.pack_title) {
            (Some(id), Some(t)) => {
                let _ = writeln!(s, "Pack {id}: {}", escape_controls(t));
            }
            (Some(id), None) => {
                let _ = writeln!(s, "Pack {id}");
            }
            _ => {
                let _ = writeln!(s, "No usable results.");
            }
        }
        let _ = writeln!(
            s,
            "{}, {}, {} rejected\n",
            crate::text::count(self.members.len(), "member", "members"),
            crate::text::count(self.questions.len(), "question", "questions"),
            crate::text::count(self.rejected.len(), "file", "files")
        );
        if !self.members.is_empty() {
            s.push_str(&align(&self.table()));
            let conflicts: Vec<&MemberRow> = self
                .members
                .iter()
                .filter(|m| !m.conflict.is_empty())
                .collect();
            if !conflicts.is_empty() {
                let _ = writeln!(
                    s,
                    "\nName conflicts (names that look the same; check who sent which file):"
                );
                for m in conflicts {
                    let _ = writeln!(
                        s,
                        "  {} ({}) looks like {}",
                        m.name,
                        file_name(&m.file),
                        escape_controls(&m.conflict.join(", "))
                    );
                }
            }
            let rescored = self.rescored_members();
            if !rescored.is_empty() {
                let _ = writeln!(
                    s,
                    "\nScored from the answers, not the file's own marks, which differ for: {}",
                    rescored.join(", ")
                );
            }
            if !self.weakest.is_empty() {
                let w: Vec<String> = self
                    .weakest
                    .iter()
                    .map(|&i| {
                        format!(
                            "{} ({})",
                            escape_controls(self.area_name(i)),
                            pct(self.area_means[i]) + "%"
                        )
                    })
                    .collect();
                let _ = writeln!(s, "\nWeakest areas: {}", w.join(", "));
            }
            let _ = writeln!(s, "\nTest statistics:");
            let figures: Vec<Vec<String>> = self
                .test_figures()
                .into_iter()
                .map(|f| vec![f.name.to_string(), f.shown, f.meaning.to_string()])
                .collect();
            s.push_str(&align(&figures));
            let _ = writeln!(s, "\nQuestions:");
            let mut rows = vec![vec![
                "Question".to_string(),
                "Area".to_string(),
                "Correct".to_string(),
                "Discrimination".to_string(),
                "Efficiency".to_string(),
                "Flags".to_string(),
            ]];
            for q in &self.questions {
                rows.push(vec![
                    q.question_id.clone(),
                    q.area.clone(),
                    format!("{}/{} ({:.0}%)", q.correct, q.members, q.difficulty * 100.0),
                    disc(q.discrimination),
                    pct(q.stats.discriminative_efficiency),
                    q.flags
                        .iter()
                        .map(|f| f.code())
                        .collect::<Vec<_>>()
                        .join(" "),
                ]);
            }
            s.push_str(&align(&rows));
            self.rasch_text(&mut s);
            self.author_feedback_text(&mut s);
        }
        s.push_str(&crate::group::problems::text_block(&self.problems));
        if !self.rejected.is_empty() {
            let _ = writeln!(s, "\nRejected:");
            for r in &self.rejected {
                let _ = writeln!(
                    s,
                    "  {}: {}",
                    escape_controls(&r.path.display().to_string()),
                    escape_controls(&r.reason.to_string())
                );
            }
        }
        s
    }

    /// CSV: the member × area table (with the group mean row), a blank line, then one row
    /// per question. Cells that a spreadsheet would run as a formula are prefixed with '.
    pub fn to_csv(&self) -> String {
        let mut s = String::new();
        for row in self.table() {
            csv_row(&mut s, &row);
        }
        s.push('\n');
        csv_row(
            &mut s,
            &[
                "Question".into(),
                "Area".into(),
                "Correct".into(),
                "Members".into(),
                "Difficulty".into(),
                "Discrimination".into(),
                "Flags".into(),
                "Facility %".into(),
                "SD %".into(),
                "Random guess %".into(),
                "Intended weight %".into(),
                "Effective weight %".into(),
                "Discrimination index %".into(),
                "Discriminative efficiency %".into(),
                "Needs checking".into(),
                "Rasch difficulty".into(),
                "Rasch SE".into(),
                "Infit".into(),
                "Outfit".into(),
                "Rasch status".into(),
            ],
        );
        for q in &self.questions {
            csv_row(
                &mut s,
                &[
                    q.question_id.clone(),
                    q.area.clone(),
                    q.correct.to_string(),
                    q.members.to_string(),
                    format!("{:.3}", q.difficulty),
                    q.discrimination
                        .map_or(String::new(), |d| format!("{d:.3}")),
                    q.flags
                        .iter()
                        .map(|f| f.code())
                        .collect::<Vec<_>>()
                        .join(" "),
                    number(q.stats.facility.map(|f| 100.0 * f)),
                    // Moodle shows an item's SD as a share of its maximum mark (1 here).
                    number(q.stats.sd.map(|d| 100.0 * d)),
                    number(q.stats.random_guess.map(|g| 100.0 * g)),
                    number(Some(q.stats.intended_weight)),
                    number(q.stats.effective_weight),
                    number(q.stats.discrimination_index),
                    number(q.stats.discriminative_efficiency),
                    q.stats
                        .needs_checking
                        .map_or(String::new(), |n| n.describe().to_string()),
                    number(q.rasch.as_ref().and_then(|r| r.difficulty)),
                    number(q.rasch.as_ref().and_then(|r| r.se)),
                    number(q.rasch.as_ref().and_then(|r| r.infit)),
                    number(q.rasch.as_ref().and_then(|r| r.outfit)),
                    q.rasch
                        .as_ref()
                        .map_or(String::new(), |r| r.status.describe().to_string()),
                ],
            );
        }
        s.push('\n');
        csv_row(
            &mut s,
            &[
                "Question".into(),
                "Option".into(),
                "Correct".into(),
                "Option text".into(),
                "Bottom third".into(),
                "Middle third".into(),
                "Top third".into(),
                "Option flag".into(),
            ],
        );
        for q in &self.questions {
            for o in &q.options.options {
                csv_row(
                    &mut s,
                    &[
                        q.question_id.clone(),
                        o.label.clone(),
                        if o.correct { "yes" } else { "no" }.into(),
                        o.text.clone(),
                        o.by_third[0].to_string(),
                        o.by_third[1].to_string(),
                        o.by_third[2].to_string(),
                        o.flag.map_or(String::new(), |f| f.describe().to_string()),
                    ],
                );
            }
        }
        s.push('\n');
        csv_row(
            &mut s,
            &["Test statistic".into(), "Value".into(), "Meaning".into()],
        );
        for f in self.test_figures() {
            csv_row(&mut s, &[f.name.into(), number(f.value), f.meaning.into()]);
        }
        s.push_str(&crate::group::problems::csv_block(&self.problems));
        s
    }

    fn rasch_text(&self, s: &mut String) {
        let Some(summary) = self.calibration_summary() else {
            return;
        };
        let _ = writeln!(s, "\n{summary}");
        if !matches!(self.calibration, Some(Ok(_))) {
            return;
        }
        let mut rows = vec![
            ["Question", "Difficulty", "SE", "Infit", "Outfit", "Status"]
                .map(String::from)
                .to_vec(),
        ];
        for q in &self.questions {
            let Some(r) = &q.rasch else { continue };
            rows.push(vec![
                q.question_id.clone(),
                logits(r.difficulty),
                fixed2(r.se),
                fixed2(r.infit),
                fixed2(r.outfit),
                if r.misfits() {
                    "misfit".to_string()
                } else {
                    r.status.describe().to_string()
                },
            ]);
        }
        s.push_str(&align(&rows));
    }

    /// Per flagged question: its figures and who chose which option, by ability third.
    fn author_feedback_text(&self, s: &mut String) {
        let flagged: Vec<&QuestionStat> = self.flagged().collect();
        if flagged.is_empty() {
            return;
        }
        let _ = writeln!(s, "\nFor the author: flagged questions and who chose what");
        for q in flagged {
            let _ = writeln!(s, "\n{}  {}", q.question_id, q.figures_line());
            for f in &q.flags {
                let _ = writeln!(s, "  - {}", f.describe());
            }
            for line in crate::group::problems::lines(self.problems_for(&q.question_id)) {
                let _ = writeln!(s, "  reported: {line}");
            }
            let sizes = q.options.third_sizes;
            let mut rows = vec![vec![
                String::new(),
                "Option".to_string(),
                format!("Bottom {}", sizes[0]),
                format!("Middle {}", sizes[1]),
                format!("Top {}", sizes[2]),
                String::new(),
            ]];
            for o in &q.options.options {
                rows.push(vec![
                    format!("  {}{}", o.label, if o.correct { " (key)" } else { "" }),
                    escape_controls(&short_text(&o.text, 50)),
                    o.by_third[0].to_string(),
                    o.by_third[1].to_string(),
                    o.by_third[2].to_string(),
                    o.flag.map_or(String::new(), |f| f.describe().to_string()),
                ]);
            }
            s.push_str(&align(&rows));
        }
    }
}

fn short_text(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        one_line.chars().take(max - 1).collect::<String>() + "…"
    }
}

/// "+0.85", or "-" for no value.
fn logits(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| format!("{x:+.2}"))
}

/// "0.85", or "-" for no value.
pub fn fixed2(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| format!("{x:.2}"))
}

/// "66.7", or "-" for no value.
pub fn pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |p| format!("{p:.1}"))
}

/// A spreadsheet number with up to 4 decimals, or an empty cell when undefined.
fn number(v: Option<f64>) -> String {
    v.map_or(String::new(), |x| {
        let s = format!("{x:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" { "0".into() } else { s.to_string() }
    })
}

/// "0.58", or "-" when undefined.
pub fn disc(v: Option<f64>) -> String {
    v.map_or("-".into(), |d| format!("{d:.2}"))
}

/// Rows as aligned columns; every cell's control characters escaped first, so a name or id
/// from a file can neither add lines nor reach the terminal as a command.
fn align(rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| escape_controls(c)).collect())
        .collect();
    let rows = rows.as_slice();
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|x| x.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut s = String::new();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(c, x)| format!("{x:<w$}", w = widths[c]))
            .collect();
        // Cells were escaped before the widths were measured (see `to_text`).
        s.push_str(line.join("  ").trim_end());
        s.push('\n');
    }
    s
}

/// One CSV line. Text cells go through [`crate::export::csv_text`] (formulas neutralised,
/// control characters escaped); numbers are written as numbers, so a negative
/// discrimination stays `-0.693`, not the text `'-0.693`.
fn csv_row(out: &mut String, cells: &[String]) {
    let cells: Vec<String> = cells.iter().map(|c| crate::export::csv_cell(c)).collect();
    out.push_str(&cells.join(","));
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_csv_escaping() {
        assert_eq!(slug("Ana María O'Neil"), "ana-mar-a-o-neil");
        assert_eq!(slug("  "), "result");
        let mut s = String::new();
        csv_row(
            &mut s,
            &[
                "a,b".into(),
                "say \"hi\"".into(),
                "=SUM(A1)".into(),
                "-".into(),
            ],
        );
        assert_eq!(s, "\"a,b\",\"say \"\"hi\"\"\",'=SUM(A1),-\n");
        let mut s = String::new();
        csv_row(
            &mut s,
            &[
                "-0.693".into(),
                "-1".into(),
                "-x".into(),
                "@a".into(),
                "+3".into(),
            ],
        );
        assert_eq!(s, "-0.693,-1,'-x,'@a,'+3\n");
    }
}
