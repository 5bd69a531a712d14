//! Who picked what: for each question, how many members of each ability third chose each
//! option. A distractor nobody chose does no work (the question is easier than it looks); a
//! distractor the strongest members chose more often than the weakest is usually a second
//! defensible answer or a wrong key. Both are flagged for the author.

use super::result::{AnswerKey, ResultAnswer};

/// Bottom, middle, top third of the group by score.
pub const THIRDS: [&str; 3] = ["bottom third", "middle third", "top third"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionFlag {
    NobodyChose,
    StrongestChose,
}

impl OptionFlag {
    pub fn describe(self) -> &'static str {
        match self {
            OptionFlag::NobodyChose => "no member chose it: it does not distract",
            OptionFlag::StrongestChose => {
                "the top third chose it more often than the bottom third: check it is wrong"
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OptionPicks {
    pub option_id: String,
    /// "A", "B", … in the order the pack showed the options.
    pub label: String,
    pub text: String,
    pub correct: bool,
    /// Members of each third who chose it.
    pub by_third: [usize; 3],
    /// Only for wrong options, and only in groups big enough for flags.
    pub flag: Option<OptionFlag>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct OptionTable {
    /// Members in each third.
    pub third_sizes: [usize; 3],
    pub options: Vec<OptionPicks>,
    /// Members of each third who left it unanswered.
    pub unanswered: [usize; 3],
}

impl OptionTable {
    pub fn flagged(&self) -> impl Iterator<Item = &OptionPicks> {
        self.options.iter().filter(|o| o.flag.is_some())
    }
}

/// Each member's third (0 bottom, 1 middle, 2 top) from their totals: ranked by total, ties
/// kept in member order, split into three as equal as can be.
pub fn thirds(totals: &[usize]) -> Vec<usize> {
    let n = totals.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&m| totals[m]);
    let mut third = vec![0; n];
    for (rank, m) in order.into_iter().enumerate() {
        third[m] = (rank * 3 / n.max(1)).min(2);
    }
    third
}

/// One table per question (`question_ids[q]`), from each member's answers (`answers[m][q]`)
/// and thirds. Flags need at least `flag_from` members.
pub fn option_tables(
    key: &AnswerKey,
    question_ids: &[&str],
    answers: &[&[ResultAnswer]],
    thirds: &[usize],
    flag_from: usize,
) -> Vec<OptionTable> {
    let mut third_sizes = [0; 3];
    for &t in thirds {
        third_sizes[t] += 1;
    }
    question_ids
        .iter()
        .enumerate()
        .map(|(q, id)| {
            let shown = key.options(id);
            let mut table = OptionTable {
                third_sizes,
                options: shown
                    .iter()
                    .enumerate()
                    .map(|(i, o)| OptionPicks {
                        option_id: o.id.clone(),
                        label: option_label(i),
                        text: o.text.clone(),
                        correct: o.correct,
                        by_third: [0; 3],
                        flag: None,
                    })
                    .collect(),
                unanswered: [0; 3],
            };
            for (member, &t) in answers.iter().zip(thirds) {
                let Some(a) = member.get(q) else { continue };
                if a.selected.is_empty() {
                    table.unanswered[t] += 1;
                }
                for s in &a.selected {
                    // An option the pack did not show is not counted (the rescoring marks
                    // such an answer wrong).
                    if let Some(o) = table.options.iter_mut().find(|o| &o.option_id == s) {
                        o.by_third[t] += 1;
                    }
                }
            }
            if thirds.len() >= flag_from {
                for o in table.options.iter_mut().filter(|o| !o.correct) {
                    o.flag = distractor_flag(o.by_third, third_sizes);
                }
            }
            table
        })
        .collect()
}

fn distractor_flag(picks: [usize; 3], sizes: [usize; 3]) -> Option<OptionFlag> {
    if picks.iter().sum::<usize>() == 0 {
        return Some(OptionFlag::NobodyChose);
    }
    let share = |t: usize| picks[t] as f64 / sizes[t].max(1) as f64;
    (picks[2] > 0 && share(2) > share(0)).then_some(OptionFlag::StrongestChose)
}

/// "A" for 0, "B" for 1, …, "Z", then "AA".
fn option_label(i: usize) -> String {
    let letter = |k: usize| char::from(b'A' + (k % 26) as u8);
    if i < 26 {
        letter(i).to_string()
    } else {
        format!("{}{}", letter(i / 26 - 1), letter(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirds_split_by_rank_with_ties_in_member_order() {
        assert_eq!(thirds(&[5, 1, 3, 9, 7, 2]), vec![1, 0, 1, 2, 2, 0]);
        assert_eq!(thirds(&[4, 4, 4]), vec![0, 1, 2]);
        assert!(thirds(&[]).is_empty());
    }

    #[test]
    fn labels_run_past_z() {
        assert_eq!(option_label(0), "A");
        assert_eq!(option_label(25), "Z");
        assert_eq!(option_label(26), "AA");
    }

    #[test]
    fn distractors_are_flagged_only_when_they_do_no_work_or_draw_the_strong() {
        let sizes = [4, 4, 4];
        assert_eq!(
            distractor_flag([0, 0, 0], sizes),
            Some(OptionFlag::NobodyChose)
        );
        assert_eq!(
            distractor_flag([1, 1, 3], sizes),
            Some(OptionFlag::StrongestChose)
        );
        assert_eq!(distractor_flag([3, 1, 0], sizes), None);
        assert_eq!(distractor_flag([2, 2, 2], sizes), None);
    }
}
