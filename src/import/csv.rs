//! Spreadsheet rows → a certprep bank. The column layout is documented in `docs/import.md`:
//!
//! `id, domain, domain_name, type, stem, option_a … option_h, correct, explanation_a …
//! explanation_h, explanation, difficulty, reference, tags`
//!
//! Columns are found by their header (any order, any case); only `stem` and `correct` are
//! required. A row that cannot become a valid question is skipped and reported with its line.
//! The delimiter is `,`, or `;` / tab when the header line uses that instead.
//!
//! What spreadsheets write is read as they write it: a file that is not UTF-8 is decoded as
//! Windows-1252 (older Excel; [`parse_bytes`] says so in [`Import::encoding`]), rows may end
//! in CRLF, LF or a lone CR (line numbers count all three), header cells left empty (Excel's
//! trailing columns) are ignored with their cells, and true/false answers may be written in
//! English, German, French, Spanish or Italian (`WAHR`/`FALSCH`, `VRAI`/`FAUX`, ...).

use super::{
    Import, ImportError, ImportOptions, Skipped, default_manifest, fit_exam, is_slug, option_id,
    question_problem, slugify, weights_by_count,
};
use crate::bank::{AnswerOption, Domain, MAX_OPTIONS, Question, QuestionType};
use std::collections::HashMap;

const LETTERS: [char; MAX_OPTIONS] = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    Id,
    Domain,
    DomainName,
    Type,
    Stem,
    Option(usize),
    Correct,
    OptionExplanation(usize),
    Explanation,
    Difficulty,
    Reference,
    Tags,
}

/// Every accepted header, for the error message on an unknown one.
pub const COLUMNS: &str = "id, domain, domain_name, type, stem, option_a..option_h, correct, \
                           explanation_a..explanation_h, explanation, difficulty, reference, tags";

fn column(name: &str) -> Option<Col> {
    let n = name.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    let letter = |rest: &str| {
        let mut it = rest.chars();
        match (it.next(), it.next()) {
            (Some(c), None) => LETTERS.iter().position(|&l| l == c),
            _ => None,
        }
    };
    Some(match n.as_str() {
        "id" => Col::Id,
        "domain" | "area" | "skill_area" => Col::Domain,
        "domain_name" | "area_name" => Col::DomainName,
        "type" => Col::Type,
        "stem" | "question" => Col::Stem,
        "correct" | "answer" => Col::Correct,
        "explanation" | "general_feedback" => Col::Explanation,
        "difficulty" => Col::Difficulty,
        "reference" => Col::Reference,
        "tags" => Col::Tags,
        _ => {
            if let Some(rest) = n.strip_prefix("option_") {
                Col::Option(letter(rest)?)
            } else if let Some(rest) = n.strip_prefix("explanation_") {
                Col::OptionExplanation(letter(rest)?)
            } else {
                return None;
            }
        }
    })
}

fn delimiter(text: &str) -> u8 {
    let header = super::split_lines(text).next().map_or("", |(_, l)| l);
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&d| header.bytes().filter(|&b| b == d).count())
        .unwrap_or(b',')
}

struct Row<'a> {
    cells: HashMap<Col, &'a str>,
}

impl Row<'_> {
    fn get(&self, c: Col) -> &str {
        self.cells.get(&c).map(|s| s.trim()).unwrap_or("")
    }
    fn opt(&self, c: Col) -> Option<String> {
        Some(self.get(c))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }
}

/// `true`/`false` in the languages spreadsheets write them in (lower-case input).
fn truth_word(t: &str) -> Option<bool> {
    match t {
        "true" | "t" | "wahr" | "vrai" | "verdadero" | "vero" => Some(true),
        "false" | "f" | "falsch" | "faux" | "falso" => Some(false),
        _ => None,
    }
}

/// Line numbers for byte offsets of the text, counting CRLF, LF and a lone CR as one line
/// break each. Offsets asked for in increasing order cost one look at each byte in all.
struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            bytes: text.as_bytes(),
            pos: 0,
            line: 1,
        }
    }

    /// The line of the row starting at `offset`. The csv reader puts a row's start right
    /// after the previous row's `\r`, so the `\n` of a CRLF (or a blank line) can come first:
    /// no row starts with a line break, so those are passed over (that was the "one line
    /// early" of CRLF files).
    fn line_at(&mut self, offset: usize) -> usize {
        let mut end = offset.min(self.bytes.len());
        while matches!(self.bytes.get(end), Some(b'\r' | b'\n')) {
            end += 1;
        }
        if end < self.pos {
            // Only after a reading error, which ends the file: start again.
            self.pos = 0;
            self.line = 1;
        }
        while self.pos < end {
            match self.bytes[self.pos] {
                b'\n' => self.line += 1,
                b'\r' if self.bytes.get(self.pos + 1) != Some(&b'\n') => self.line += 1,
                _ => {}
            }
            self.pos += 1;
        }
        self.line
    }
}

/// Parse a CSV file's bytes: UTF-8 when they are valid UTF-8, else Windows-1252 (what older
/// Excel versions save as "CSV"), which [`Import::encoding`] then names.
pub fn parse_bytes(bytes: &[u8], opts: &ImportOptions) -> Result<Import, ImportError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text, opts),
        Err(_) => {
            // Every byte has a meaning in Windows-1252, so this cannot fail.
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            let mut import = parse(&text, opts)?;
            import.encoding = Some("Windows-1252");
            Ok(import)
        }
    }
}

/// Parse CSV text into a bank. Header problems fail the whole file; row problems skip the row.
pub fn parse(text: &str, opts: &ImportOptions) -> Result<Import, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ImportError::Invalid(format!("line 1: cannot read the header row: {e}")))?
        .clone();
    // `None` for a header cell left empty: its column is ignored.
    let mut cols: Vec<Option<Col>> = Vec::with_capacity(headers.len());
    let mut seen = std::collections::HashSet::new();
    for (i, h) in headers.iter().enumerate() {
        if h.trim().is_empty() {
            cols.push(None);
            continue;
        }
        let Some(c) = column(h) else {
            return Err(ImportError::Invalid(format!(
                "line 1, column {}: unknown column \"{}\"; the columns are {COLUMNS}",
                i + 1,
                h.trim()
            )));
        };
        if !seen.insert(c) {
            return Err(ImportError::Invalid(format!(
                "line 1, column {}: column \"{}\" appears twice",
                i + 1,
                h.trim()
            )));
        }
        cols.push(Some(c));
    }
    for (need, name) in [(Col::Stem, "stem"), (Col::Correct, "correct")] {
        if !seen.contains(&need) {
            return Err(ImportError::Invalid(format!(
                "line 1: the header has no \"{name}\" column; the columns are {COLUMNS}"
            )));
        }
    }

    let mut domains: Vec<Domain> = Vec::new();
    let mut domain_ids: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut id_lines: HashMap<String, usize> = HashMap::new();
    let mut questions = Vec::new();
    let mut skipped = Vec::new();
    let mut ordinal = 0usize;
    let mut record = ::csv::StringRecord::new();
    let mut lines = LineCounter::new(text);
    loop {
        let byte_before = reader.position().byte() as usize;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = lines.line_at(e.position().map_or(byte_before, |p| p.byte() as usize));
                skipped.push(Skipped {
                    line,
                    reason: format!("cannot read the row: {e}"),
                });
                // A broken quote swallows the rest of the file; stop rather than loop.
                if !matches!(e.kind(), ::csv::ErrorKind::Utf8 { .. }) {
                    break;
                }
                continue;
            }
        }
        let line = lines.line_at(record.position().map_or(byte_before, |p| p.byte() as usize));
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        ordinal += 1;
        if record.len() > cols.len() {
            skipped.push(Skipped {
                line,
                reason: format!(
                    "{} cells, but the header has {} columns",
                    record.len(),
                    cols.len()
                ),
            });
            continue;
        }
        let row = Row {
            cells: cols
                .iter()
                .zip(record.iter())
                .filter_map(|(c, v)| c.map(|c| (c, v)))
                .collect(),
        };
        match question_of(&row, ordinal) {
            Ok(mut q) => {
                if let Some(problem) = question_problem(&q) {
                    skipped.push(Skipped {
                        line,
                        reason: problem,
                    });
                    continue;
                }
                if let Some(prev) = id_lines.get(&q.id) {
                    skipped.push(Skipped {
                        line,
                        reason: format!("id \"{}\" is already used on line {prev}", q.id),
                    });
                    continue;
                }
                let (domain_id, name) = domain_of(&row);
                if domain_ids.insert(domain_id.clone()) {
                    domains.push(Domain {
                        id: domain_id.clone(),
                        category: name.clone(),
                        name,
                        weight: 1.0,
                    });
                }
                q.domain = domain_id;
                id_lines.insert(q.id.clone(), line);
                questions.push(q);
            }
            Err(reason) => skipped.push(Skipped { line, reason }),
        }
    }
    weights_by_count(&mut domains, &questions);
    let mut manifest = default_manifest(opts, None, domains);
    fit_exam(&mut manifest, questions.len());
    Ok(Import {
        manifest,
        scenarios: Vec::new(),
        questions,
        skipped,
        notes: Vec::new(),
        lines: id_lines,
        encoding: None,
        images: Vec::new(),
    })
}

fn domain_of(row: &Row) -> (String, String) {
    let raw = row.get(Col::Domain);
    let named = row.opt(Col::DomainName);
    if raw.is_empty() {
        return (
            named
                .as_deref()
                .map(slugify)
                .filter(|s| !s.is_empty())
                .unwrap_or("general".into()),
            named.unwrap_or_else(|| "General".into()),
        );
    }
    if is_slug(raw) {
        return (raw.to_string(), named.unwrap_or_else(|| raw.to_string()));
    }
    let id = match slugify(raw) {
        s if s.is_empty() => "area".to_string(),
        s => s,
    };
    (id, named.unwrap_or_else(|| raw.to_string()))
}

fn question_of(row: &Row, ordinal: usize) -> Result<Question, String> {
    let stem = row.get(Col::Stem);
    if stem.is_empty() {
        return Err("the stem cell is empty".into());
    }
    let mut texts: Vec<&str> = (0..MAX_OPTIONS).map(|i| row.get(Col::Option(i))).collect();
    while texts.last().is_some_and(|t| t.is_empty()) {
        texts.pop();
    }
    if let Some(gap) = texts.iter().position(|t| t.is_empty()) {
        return Err(format!(
            "option_{} is empty but a later option is filled in",
            LETTERS[gap]
        ));
    }
    for (i, l) in LETTERS.iter().enumerate() {
        if i >= texts.len() && !row.get(Col::OptionExplanation(i)).is_empty() {
            return Err(format!("explanation_{l} is given but option_{l} is empty"));
        }
    }
    let type_cell = row
        .get(Col::Type)
        .to_ascii_lowercase()
        .replace([' ', '-', '/'], "_");
    let mut kind = match type_cell.as_str() {
        "" => None,
        "single" => Some(QuestionType::Single),
        "multiple" => Some(QuestionType::Multiple),
        "true_false" | "truefalse" | "tf" => Some(QuestionType::TrueFalse),
        other => {
            return Err(format!(
                "type \"{other}\" is not one of single, multiple, true_false"
            ));
        }
    };
    let correct_cell = row.get(Col::Correct).to_ascii_lowercase();
    let tokens: Vec<&str> = correct_cell
        .split([';', ',', ' ', '|'])
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.is_empty() {
        return Err("the correct cell is empty (write e.g. \"a\" or \"a;c\")".into());
    }
    if kind.is_none() && texts.is_empty() && tokens.len() == 1 && truth_word(tokens[0]).is_some() {
        kind = Some(QuestionType::TrueFalse);
    }
    if kind == Some(QuestionType::TrueFalse) {
        let plain = texts.is_empty()
            || (texts.len() == 2
                && truth_word(&texts[0].to_lowercase()) == Some(true)
                && truth_word(&texts[1].to_lowercase()) == Some(false));
        if !plain {
            return Err(
                "a true_false row leaves the options empty or has True, False (or Wahr, \
                 Falsch; Vrai, Faux; Verdadero, Falso; Vero, Falso)"
                    .into(),
            );
        }
        texts = vec!["True", "False"];
    }
    let mut correct = vec![false; texts.len()];
    for t in &tokens {
        let truth = truth_word(t).filter(|_| kind == Some(QuestionType::TrueFalse));
        let index = match truth {
            Some(true) => 0,
            Some(false) => 1,
            None => {
                let mut it = t.chars();
                match (it.next(), it.next()) {
                    (Some(c), None) => LETTERS
                        .iter()
                        .position(|&l| l == c)
                        .ok_or_else(|| format!("correct answer \"{t}\" is not a letter a-h"))?,
                    _ => {
                        return Err(format!(
                            "correct answer \"{t}\" is not a letter a-h (write e.g. \"a;c\")"
                        ));
                    }
                }
            }
        };
        match correct.get_mut(index) {
            Some(c) => *c = true,
            None => {
                return Err(format!("correct answer \"{t}\" names an empty option"));
            }
        }
    }
    let n_correct = correct.iter().filter(|c| **c).count();
    let kind = kind.unwrap_or(if n_correct >= 2 {
        QuestionType::Multiple
    } else {
        QuestionType::Single
    });
    let difficulty = match row.get(Col::Difficulty) {
        "" => None,
        d => match d.parse::<u8>() {
            Ok(v @ 1..=3) => Some(v),
            _ => return Err(format!("difficulty \"{d}\" must be 1, 2 or 3")),
        },
    };
    let options = texts
        .iter()
        .zip(correct)
        .enumerate()
        .map(|(i, (text, correct))| AnswerOption {
            id: option_id(i),
            text: text.to_string(),
            correct,
            explanation: row.opt(Col::OptionExplanation(i)),
        })
        .collect();
    let id = match row.get(Col::Id) {
        "" => format!("q{ordinal:03}"),
        id => id.to_string(),
    };
    Ok(Question {
        id,
        domain: String::new(),
        kind,
        scenario: None,
        stem: stem.to_string(),
        options,
        explanation: row.opt(Col::Explanation),
        difficulty,
        tags: row
            .get(Col::Tags)
            .split(';')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        reference: row.opt(Col::Reference),
    })
}

/// The bank's questions as CSV rows in the import layout (so a bank can be edited in a
/// spreadsheet and imported again).
pub fn export(bank: &crate::bank::Bank) -> Result<String, ImportError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["id", "domain", "domain_name", "type", "stem"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(LETTERS.iter().map(|l| format!("option_{l}")));
    header.push("correct".into());
    header.extend(LETTERS.iter().map(|l| format!("explanation_{l}")));
    header.extend(["explanation", "difficulty", "reference", "tags"].map(String::from));
    let err = |e: ::csv::Error| ImportError::Invalid(e.to_string());
    w.write_record(&header).map_err(err)?;
    for q in &bank.questions {
        let mut row = vec![
            q.id.clone(),
            q.domain.clone(),
            bank.domain_name(&q.domain).to_string(),
            q.kind.label().to_string(),
            match bank.scenario_text(q) {
                Some(s) => format!("{s}\n\n{}", q.stem),
                None => q.stem.clone(),
            },
        ];
        row.extend(
            (0..MAX_OPTIONS).map(|i| q.options.get(i).map(|o| o.text.clone()).unwrap_or_default()),
        );
        row.push(
            q.options
                .iter()
                .enumerate()
                .filter(|(_, o)| o.correct)
                .map(|(i, _)| LETTERS.get(i).map(|c| c.to_string()).unwrap_or_default())
                .collect::<Vec<_>>()
                .join(";"),
        );
        row.extend((0..MAX_OPTIONS).map(|i| {
            q.options
                .get(i)
                .and_then(|o| o.explanation.clone())
                .unwrap_or_default()
        }));
        row.push(q.explanation.clone().unwrap_or_default());
        row.push(q.difficulty.map(|d| d.to_string()).unwrap_or_default());
        row.push(q.reference.clone().unwrap_or_default());
        row.push(q.tags.join(";"));
        w.write_record(&row).map_err(err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ImportError::Invalid(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| ImportError::Invalid(e.to_string()))
}
