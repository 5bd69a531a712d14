//! Moodle GIFT: import into a certprep bank, and export a bank back to GIFT.
//!
//! Follows Moodle's documented syntax (and its importer, `qformat_gift`, where the
//! documentation is silent):
//!
//! - Questions are separated by blank lines (empty after PHP's `trim`, as in Moodle: a line
//!   holding a no-break space is not blank). A line ends at CRLF, LF or a lone CR. Lines whose
//!   first non-blank characters are `//` are comments; Moodle's `[tag:name]` in them become
//!   the question's tags (`[id:...]` is ignored).
//! - `::title::` names a question; the title becomes the question id (slugified).
//! - `$CATEGORY: path/to/category` starts a skill area for the questions after it: the last
//!   path segment is the area's name, its slug the area id (`//` in a path is a literal `/`).
//! - `{=right ~wrong}` is multiple choice; `{~%50%a ~%50%b ~%-100%c}` is multiple answer
//!   (positive weights are the correct answers; only `%-?digits(.digits)?%` is a weight,
//!   anything else is answer text); `{~a ~=b}` makes "b" the right answer and empty answers
//!   are dropped, as Moodle does; `{T}`, `{TRUE}`, `{F}`, `{FALSE}` (any case) is
//!   true/false, with `{T#shown when wrong#shown when right}` feedback.
//! - `#feedback` after an answer becomes that option's explanation; `####feedback` at the end
//!   of the answers becomes the question's explanation.
//! - `\~ \= \# \{ \} \: \\` are literal characters, `\n` a line break.
//! - `[html]`, `[moodle]`, `[markdown]`, `[plain]` before a text give its format; the prefix
//!   is removed (any case). HTML and Moodle-format texts (Moodle shows both as HTML) become
//!   the bank's Markdown subset (`super::html`), `[markdown]` is kept, `[plain]` escaped;
//!   images become their alt text with a note (a GIFT file carries no image files). A plain
//!   text is exported without a prefix (`<` and `&` as `&lt;` and `&amp;`), a text with
//!   formatting as `[markdown]`. Answers inherit the question's format.
//! - Text after the answer block (Moodle's "missing word" form) is kept, with `_____` where
//!   the answers were.
//!
//! Essay (`{}`), numerical (`{#...}`), matching (`{=a -> b}`) and short-answer (`=` answers
//! only) questions, descriptions without an answer block and anything malformed are skipped
//! and reported with their line and the reason.
//!
//! certprep-only details that GIFT cannot express (area ids and weights, difficulty, tags,
//! reference, shared scenarios, the bank's exam defaults) travel in comment lines starting
//! `// certprep`, which Moodle ignores; that is what makes bank → GIFT → bank lossless.

use super::{
    Import, ImportOptions, Skipped, UniqueIds, default_manifest, fit_exam, option_id,
    question_problem, slugify, weights_by_count,
};
use crate::bank::{AnswerOption, Bank, Domain, ExamDefaults, Question, QuestionType, Scenario};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

pub(crate) const BANK_HINT: &str = "certprep-bank";
pub(crate) const DOMAIN_HINT: &str = "certprep-domain";
pub(crate) const SCENARIO_HINT: &str = "certprep-scenario";
pub(crate) const QUESTION_HINT: &str = "certprep";
/// Where the answers were, in the missing-word form (as Moodle shows it).
pub const BLANK: &str = "_____";

// ---------------------------------------------------------------------------------------------
// Hints carried in comments

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct BankHint {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) exam: Option<ExamDefaults>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct QuestionHint {
    /// The exact id, when it is not what the `::title::` slugifies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) difficulty: Option<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) scenario: Option<String>,
}

impl QuestionHint {
    pub(crate) fn is_empty(&self) -> bool {
        self.id.is_none()
            && self.difficulty.is_none()
            && self.tags.is_empty()
            && self.reference.is_none()
            && self.scenario.is_none()
    }
}

/// A scenario written by certprep's export as a hint comment: kept when its id is a slug and
/// its text is not empty and not too long; the first one with an id wins. Shared by the GIFT
/// and Moodle XML readers, whose exports both write it.
pub(crate) fn add_scenario_hint(json: &str, scenarios: &mut BTreeMap<String, Scenario>) {
    if let Ok(s) = serde_json::from_str::<Scenario>(json)
        && super::is_slug(&s.id)
        && !s.text.trim().is_empty()
        && s.text.chars().count() <= crate::bank::MAX_TEXT_CHARS
    {
        scenarios.entry(s.id.clone()).or_insert(s);
    }
}

/// `// certprep-domain {...}` → ("certprep-domain", "{...}").
pub(crate) fn hint_of(comment: &str) -> Option<(&str, &str)> {
    let body = comment.trim_start();
    let body = body.strip_prefix("//").unwrap_or(body).trim_start();
    let (name, rest) = body.split_once(char::is_whitespace)?;
    match name {
        BANK_HINT | DOMAIN_HINT | SCENARIO_HINT | QUESTION_HINT => Some((name, rest.trim())),
        _ => None,
    }
}

/// Moodle's `// [tag:foo] [id:bar]` comment: the tags, in order (`\]` and `\\` inside are
/// a literal `]` and `\`). The `[id:...]` (Moodle's idnumber) is not kept: certprep ids come
/// from titles. Linear in the comment's length.
fn moodle_tags(comment: &str) -> Vec<String> {
    let mut tags = Vec::new();
    let mut rest = comment;
    while let Some(start) = rest.find("[tag:") {
        let body = &rest[start + 5..];
        let mut tag = String::new();
        let mut chars = body.char_indices();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, n)) => tag.push(n),
                    None => break,
                },
                ']' => {
                    end = Some(i + 1);
                    break;
                }
                '[' => break,
                _ => tag.push(c),
            }
        }
        match end {
            Some(e) => {
                let tag = tag.trim();
                if !tag.is_empty() {
                    tags.push(tag.to_string());
                }
                rest = &body[e..];
            }
            None => rest = body,
        }
    }
    tags
}

// ---------------------------------------------------------------------------------------------
// Characters with their escaped-ness

/// One character of a question block; `esc` is true when it was written with a backslash
/// (or as `\n`), so it has no GIFT meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ch {
    c: char,
    esc: bool,
}

fn tokenize(text: &str) -> Vec<Ch> {
    let mut out = Vec::with_capacity(text.len());
    let mut it = text.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.peek().copied() {
                Some(n @ ('~' | '=' | '#' | '{' | '}' | ':' | '\\')) => {
                    it.next();
                    out.push(Ch { c: n, esc: true });
                }
                Some('n') => {
                    it.next();
                    out.push(Ch { c: '\n', esc: true });
                }
                // Any other backslash is an ordinary character, as in Moodle.
                _ => out.push(Ch { c, esc: true }),
            }
        } else {
            out.push(Ch { c, esc: false });
        }
    }
    out
}

fn is_plain(s: &[Ch], i: usize, c: char) -> bool {
    s.get(i).is_some_and(|x| x.c == c && !x.esc)
}

/// First index at or after `from` where the unescaped sequence `pat` starts.
fn find(s: &[Ch], pat: &str, from: usize) -> Option<usize> {
    let p: Vec<char> = pat.chars().collect();
    if p.is_empty() || s.len() < p.len() {
        return None;
    }
    (from..=s.len() - p.len()).find(|&i| p.iter().enumerate().all(|(k, &c)| is_plain(s, i + k, c)))
}

/// Last index where the unescaped sequence `pat` starts.
fn rfind(s: &[Ch], pat: &str) -> Option<usize> {
    let p: Vec<char> = pat.chars().collect();
    if p.is_empty() || s.len() < p.len() {
        return None;
    }
    (0..=s.len() - p.len())
        .rev()
        .find(|&i| p.iter().enumerate().all(|(k, &c)| is_plain(s, i + k, c)))
}

fn trim(s: &[Ch]) -> &[Ch] {
    let ws = |x: &Ch| !x.esc && x.c.is_whitespace();
    let start = s.iter().position(|x| !ws(x)).unwrap_or(s.len());
    let end = s.iter().rposition(|x| !ws(x)).map_or(start, |e| e + 1);
    &s[start..end.max(start)]
}

/// The text of a run of characters: line breaks in the file (with the indentation around
/// them) become one space; `\n` escapes stay line breaks.
fn text_of(s: &[Ch]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < s.len() {
        let x = s[i];
        if !x.esc && (x.c == '\n' || x.c == '\r') {
            // Any space around a line break, a no-break space too (a line holding only one
            // does not end the question, as in Moodle, but it is no text either).
            while out.ends_with(|c: char| c.is_whitespace() && c != '\n') {
                out.pop();
            }
            while s.get(i + 1).is_some_and(|n| !n.esc && n.c.is_whitespace()) {
                i += 1;
            }
            out.push(' ');
        } else {
            out.push(x.c);
        }
        i += 1;
    }
    out.trim().to_string()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Moodle,
    Html,
    Markdown,
    Plain,
}

/// Split a leading `[html]`-style format prefix off a text.
fn split_format(s: &[Ch]) -> (Option<Format>, &[Ch]) {
    let s = trim(s);
    if !is_plain(s, 0, '[') {
        return (None, s);
    }
    let Some(end) = s.iter().take(12).position(|x| x.c == ']' && !x.esc) else {
        return (None, s);
    };
    let name: String = s[1..end].iter().map(|x| x.c).collect();
    let format = match name.to_ascii_lowercase().as_str() {
        "html" => Format::Html,
        "moodle" => Format::Moodle,
        "markdown" => Format::Markdown,
        "plain" => Format::Plain,
        _ => return (None, s),
    };
    (Some(format), &s[end + 1..])
}

/// A text with an optional format prefix, rendered as certprep's plain text.
fn formatted(s: &[Ch], default: Format) -> String {
    let (f, rest) = split_format(s);
    render(f.unwrap_or(default), text_of(rest))
}

/// certprep's text (the Markdown subset of docs/bank-format.md) for a text in `format`.
/// Moodle shows Moodle-format texts as HTML, so they are converted as HTML like `[html]`
/// ones (a `\n` escape is a line break in both, as before); `[markdown]` texts are kept
/// as written, less their `<!-- comments -->`; `[plain]` text is literal, so the characters
/// the subset would read as formatting are escaped.
pub(crate) fn render(format: Format, text: String) -> String {
    match format {
        Format::Html | Format::Moodle => html_to_text(&text.replace('\n', "<br>")),
        Format::Markdown => strip_html_comments(&text).trim().to_string(),
        Format::Plain => crate::markup::escape(&text),
    }
}

/// The Markdown text without its `<!-- ... -->` comments (`\<!--` is text). An unclosed
/// `<!--` and what follows are kept as they are (nothing is dropped that a reader could not
/// see was a comment).
fn strip_html_comments(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains("<!--") {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("<!--") {
        if rest[..start].ends_with('\\') {
            // `\<!--` is a Markdown escape: the characters, not a comment.
            out.push_str(&rest[..start + 4]);
            rest = &rest[start + 4..];
            continue;
        }
        match rest[start + 4..].find("-->") {
            Some(len) => {
                out.push_str(&rest[..start]);
                rest = &rest[start + 4 + len + 3..];
            }
            // No later comment can close either: keep the rest.
            None => break,
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// HTML as certprep's text: [`super::html::html_to_markdown`]. Kept under this name for the
/// importers that call it (Moodle XML).
pub fn html_to_text(html: &str) -> String {
    super::html::html_to_markdown(html)
}

pub(crate) fn none_if_empty(s: String) -> Option<String> {
    if s.trim().is_empty() { None } else { Some(s) }
}

// ---------------------------------------------------------------------------------------------
// Blocks

#[derive(Debug, Default)]
struct Block {
    /// Line of the first non-comment line (or of the first line when all are comments).
    line: usize,
    /// Non-comment lines with their line numbers.
    lines: Vec<(usize, String)>,
    comments: Vec<String>,
}

fn blocks(text: &str) -> Vec<Block> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut cur = Block::default();
    for (n, line) in super::split_lines(text) {
        if super::is_blank_line(line) {
            if !cur.lines.is_empty() || !cur.comments.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if cur.lines.is_empty() && cur.comments.is_empty() {
            cur.line = n;
        }
        if line.trim_start().starts_with("//") {
            cur.comments.push(line.to_string());
        } else {
            if cur.lines.is_empty() {
                cur.line = n;
            }
            cur.lines.push((n, line.to_string()));
        }
    }
    if !cur.lines.is_empty() || !cur.comments.is_empty() {
        out.push(cur);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// One question

/// A question as read from GIFT, before it gets its id and area.
#[derive(Debug, Clone, PartialEq)]
struct Parsed {
    title: Option<String>,
    stem: String,
    kind: QuestionType,
    options: Vec<AnswerOption>,
    explanation: Option<String>,
    notes: Vec<String>,
}

/// `%50%`, `%-33.3%`, `%100%`: a weight only when the text between the signs is an optional
/// `-`, digits, and an optional `.` with more digits (Moodle's pattern). Anything else
/// (`%+50%`, `% 50%`, `%1e2%`) is answer text, as in Moodle.
fn parse_weight(s: &[Ch]) -> Option<(f64, &[Ch])> {
    if !is_plain(s, 0, '%') {
        return None;
    }
    let end = find(s, "%", 1)?;
    let num: String = s[1..end].iter().map(|x| x.c).collect();
    let digits = num.strip_prefix('-').unwrap_or(&num);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let w: f64 = num.trim_end_matches('.').parse().ok()?;
    w.is_finite().then_some((w, &s[end + 1..]))
}

fn parse_question(s: &[Ch]) -> Result<Parsed, String> {
    let mut s = trim(s);
    let mut title = None;
    if is_plain(s, 0, ':') && is_plain(s, 1, ':') {
        match find(s, "::", 2) {
            Some(end) => {
                title = none_if_empty(text_of(&s[2..end]));
                s = trim(&s[end + 2..]);
            }
            None => s = trim(&s[2..]),
        }
    }
    let open = find(s, "{", 0);
    let close = find(s, "}", 0);
    let (open, close) = match (open, close) {
        (None, None) => {
            return Err("no answer block { }: a description or plain text, not a question".into());
        }
        (Some(o), Some(c)) if o < c => (o, c),
        (Some(_), None) => return Err("'{' without a closing '}'".into()),
        _ => return Err("'}' without an opening '{'".into()),
    };
    if find(&s[..close], "{", open + 1).is_some() {
        return Err("a second '{' inside the answer block (write \\{ for a literal brace)".into());
    }
    if find(s, "{", close + 1).is_some() || find(s, "}", close + 1).is_some() {
        return Err("more than one answer block { } in one question".into());
    }
    let before = &s[..open];
    let after = trim(&s[close + 1..]);
    let (format, before) = split_format(before);
    let format = format.unwrap_or(Format::Moodle);
    let mut stem_chars: Vec<Ch> = before.to_vec();
    if !after.is_empty() {
        // Missing word: the answers stand where the blank is.
        if stem_chars.last().is_some_and(|c| !c.c.is_whitespace()) {
            stem_chars.push(Ch { c: ' ', esc: false });
        }
        stem_chars.extend(BLANK.chars().map(|c| Ch { c, esc: true }));
        if after.first().is_some_and(|c| c.c.is_alphanumeric()) {
            stem_chars.push(Ch { c: ' ', esc: false });
        }
        stem_chars.extend_from_slice(after);
    }
    let stem = render(format, text_of(&stem_chars));

    let mut answers = trim(&s[open + 1..close]);
    let mut explanation = None;
    if let Some(g) = rfind(answers, "####") {
        explanation = none_if_empty(formatted(&answers[g + 4..], format));
        answers = trim(&answers[..g]);
    }

    if answers.is_empty() {
        return Err("essay question (empty answer block {}): not supported".into());
    }
    if is_plain(answers, 0, '#') {
        return Err("numerical question ({#...}): not supported".into());
    }
    let has_tilde = find(answers, "~", 0).is_some();
    if !has_tilde && find(answers, "=", 0).is_some() && find(answers, "->", 0).is_some() {
        return Err("matching question (=item -> match): not supported".into());
    }
    if !has_tilde {
        let head_end = find(answers, "#", 0).unwrap_or(answers.len());
        let head = text_of(&answers[..head_end]).to_ascii_uppercase();
        if matches!(head.as_str(), "T" | "TRUE" | "F" | "FALSE") {
            return Ok(true_false(
                title,
                stem,
                answers,
                head_end,
                &head,
                explanation,
                format,
            ));
        }
        return Err(
            "short-answer question (only = answers, no ~ wrong answers): not supported".into(),
        );
    }
    multiple_choice(title, stem, answers, explanation, format)
}

fn true_false(
    title: Option<String>,
    stem: String,
    answers: &[Ch],
    head_end: usize,
    head: &str,
    explanation: Option<String>,
    format: Format,
) -> Parsed {
    // {T#shown when the answer is wrong#shown when it is right}
    let rest = answers.get(head_end + 1..).unwrap_or(&[]);
    let (wrong, right) = if head_end >= answers.len() {
        (None, None)
    } else {
        match find(rest, "#", 0) {
            Some(h) => (
                none_if_empty(formatted(&rest[..h], format)),
                none_if_empty(formatted(&rest[h + 1..], format)),
            ),
            None => (none_if_empty(formatted(rest, format)), None),
        }
    };
    let truth = head.starts_with('T');
    let (true_expl, false_expl) = if truth {
        (right, wrong)
    } else {
        (wrong, right)
    };
    Parsed {
        title,
        stem,
        kind: QuestionType::TrueFalse,
        options: vec![
            AnswerOption {
                id: "a".into(),
                text: "True".into(),
                correct: truth,
                explanation: true_expl,
            },
            AnswerOption {
                id: "b".into(),
                text: "False".into(),
                correct: !truth,
                explanation: false_expl,
            },
        ],
        explanation,
        notes: Vec::new(),
    }
}

fn multiple_choice(
    title: Option<String>,
    stem: String,
    answers: &[Ch],
    explanation: Option<String>,
    format: Format,
) -> Result<Parsed, String> {
    // Split at every unescaped ~ or =, remembering which one started the answer.
    let mut parts: Vec<(char, &[Ch])> = Vec::new();
    let mut start = None;
    for (i, x) in answers.iter().enumerate() {
        if !x.esc && (x.c == '~' || x.c == '=') {
            match start {
                Some((m, s)) => parts.push((m, &answers[s..i])),
                None => {
                    if !trim(&answers[..i]).is_empty() {
                        return Err(format!(
                            "text \"{}\" before the first ~ or = answer",
                            text_of(&answers[..i])
                        ));
                    }
                }
            }
            start = Some((x.c, i + 1));
        }
    }
    if let Some((m, s)) = start {
        parts.push((m, &answers[s..]));
    }
    let has_equals = parts.iter().any(|(m, _)| *m == '=');
    let mut notes = Vec::new();
    let mut options = Vec::new();
    for (i, (marker, part)) in parts.iter().enumerate() {
        let part = trim(part);
        let (weight, body) = match (marker, parse_weight(part)) {
            ('=', _) => (100.0, part),
            (_, Some((w, rest))) => (w, rest),
            _ => (0.0, part),
        };
        let (text, feedback) = match find(body, "#", 0) {
            Some(h) => (&body[..h], Some(&body[h + 1..])),
            None => (body, None),
        };
        let text = formatted(text, format);
        if text.trim().is_empty() {
            // `{~a ~=b}` (Moodle's "~=" reads as an empty answer, then "=b") and a stray
            // `~` with nothing after it: Moodle drops empty answers and keeps the question.
            if weight != 0.0 || feedback.is_some_and(|f| !trim(f).is_empty()) {
                notes.push(format!(
                    "answer {} has no text; it is left out, as Moodle does",
                    i + 1
                ));
            }
            continue;
        }
        let correct = if has_equals {
            if weight > 0.0 && weight < 100.0 - 1e-6 {
                notes.push(format!(
                    "partial credit ({weight}%) for answer {} is not kept; it counts as wrong",
                    i + 1
                ));
            }
            weight >= 100.0 - 1e-6
        } else {
            weight > 0.0
        };
        options.push(AnswerOption {
            id: option_id(options.len()),
            text,
            correct,
            explanation: feedback.and_then(|f| none_if_empty(formatted(f, format))),
        });
    }
    let correct = options.iter().filter(|o| o.correct).count();
    let kind = match (has_equals, correct) {
        (_, 0) => return Err("no correct answer (no = answer and no positive % weight)".into()),
        (true, 1) | (false, 1) => QuestionType::Single,
        (true, _) => {
            return Err(
                "more than one = answer: certprep cannot accept either of two answers; \
                 for a multiple-answer question use ~%50% weights"
                    .into(),
            );
        }
        (false, _) => QuestionType::Multiple,
    };
    Ok(Parsed {
        title,
        stem,
        kind,
        options,
        explanation,
        notes,
    })
}

/// A GIFT file cannot carry image files (Moodle writes `@@PLUGINFILE@@/x.png` for its own,
/// others are web addresses certprep never fetches): every image reference in the question
/// becomes its alt text (`[image: alt]`), with one note per image for the import preview.
fn drop_images(q: &mut Question) -> Vec<String> {
    let mut notes = Vec::new();
    let mut drop = |text: &mut String| {
        if !text.contains("![") {
            return;
        }
        let (kept, refs) = crate::markup::drop_images(text);
        *text = kept;
        for r in refs {
            let name = r.src.strip_prefix("@@PLUGINFILE@@/").unwrap_or(&r.src);
            notes.push(format!(
                "image \"{name}\" not included: a GIFT file carries no image files, so its \
                 alt text is shown instead"
            ));
        }
    };
    drop(&mut q.stem);
    for o in &mut q.options {
        drop(&mut o.text);
        if let Some(e) = o.explanation.as_mut() {
            drop(e);
        }
    }
    if let Some(e) = q.explanation.as_mut() {
        drop(e);
    }
    notes
}

// ---------------------------------------------------------------------------------------------
// Categories

/// `$course$/top/Bank/Group/Area` → ["Bank", "Group", "Area"]; `//` is a literal `/`.
fn category_segments(path: &str) -> Vec<String> {
    let mut segs = Vec::new();
    let mut cur = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '/' {
            if chars.peek() == Some(&'/') {
                chars.next();
                cur.push('/');
            } else {
                segs.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    segs.push(cur);
    let mut segs: Vec<String> = segs
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !(s.is_empty() || (s.len() > 1 && s.starts_with('$') && s.ends_with('$'))))
        .collect();
    if segs.first().is_some_and(|s| s == "top") {
        segs.remove(0);
    }
    segs
}

pub(crate) fn category_escape(s: &str) -> String {
    s.replace(['\n', '\r'], " ").replace('/', "//")
}

#[derive(Debug, Default)]
pub(crate) struct Areas {
    domains: Vec<Domain>,
    by_path: HashMap<String, String>,
    ids: UniqueIds,
    hinted: HashSet<String>,
}

impl Areas {
    pub(crate) fn area_for(&mut self, path: &str, hint: Option<Domain>) -> String {
        if let Some(h) = hint
            && super::is_slug(&h.id)
            && h.weight.is_finite()
            && h.weight > 0.0
            && !self.ids.contains(&h.id)
        {
            let id = self.ids.take(&h.id);
            self.by_path.insert(path.to_string(), id.clone());
            self.hinted.insert(id.clone());
            self.domains.push(h);
            return id;
        }
        if let Some(id) = self.by_path.get(path) {
            return id.clone();
        }
        let segs = category_segments(path);
        let name = segs
            .last()
            .cloned()
            .unwrap_or_else(|| "General".to_string());
        let category = if segs.len() >= 2 {
            segs[segs.len() - 2].clone()
        } else {
            name.clone()
        };
        let base = match slugify(&name) {
            s if s.is_empty() => "area".to_string(),
            s => s,
        };
        let id = self.ids.take(&base);
        self.by_path.insert(path.to_string(), id.clone());
        self.domains.push(Domain {
            id: id.clone(),
            name,
            category,
            weight: 1.0,
        });
        id
    }
}

// ---------------------------------------------------------------------------------------------
// The importer

/// Parse GIFT text into a bank. Never fails and never panics: whatever cannot be imported
/// is listed in `skipped` with its line.
pub fn parse(text: &str, opts: &ImportOptions) -> Import {
    let mut areas = Areas::default();
    let mut current_area: Option<String> = None;
    let mut bank_hint = BankHint::default();
    let mut scenarios: BTreeMap<String, Scenario> = BTreeMap::new();
    let mut question_ids = UniqueIds::default();
    let mut questions: Vec<Question> = Vec::new();
    let mut skipped = Vec::new();
    let mut notes = Vec::new();
    let mut lines_of = HashMap::new();
    let mut ordinal = 0usize;

    for block in blocks(text) {
        let mut domain_hint = None;
        let mut q_hint = QuestionHint::default();
        let mut tags_from_moodle = Vec::new();
        for c in &block.comments {
            match hint_of(c) {
                Some((BANK_HINT, json)) => {
                    if let Ok(h) = serde_json::from_str::<BankHint>(json) {
                        bank_hint = h;
                    }
                }
                Some((DOMAIN_HINT, json)) => {
                    domain_hint = serde_json::from_str::<Domain>(json).ok()
                }
                Some((SCENARIO_HINT, json)) => add_scenario_hint(json, &mut scenarios),
                Some((_, json)) => {
                    if let Ok(h) = serde_json::from_str::<QuestionHint>(json) {
                        q_hint = h;
                    }
                }
                None => tags_from_moodle.extend(moodle_tags(c)),
            }
        }
        let mut lines = block.lines.as_slice();
        if let Some((_, first)) = lines.first()
            && let Some(path) = first.trim_start().strip_prefix("$CATEGORY:")
        {
            current_area = Some(areas.area_for(path.trim(), domain_hint.take()));
            lines = &lines[1..];
        }
        let Some(&(line, _)) = lines.first() else {
            continue;
        };
        ordinal += 1;
        let joined = lines
            .iter()
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let parsed = match parse_question(&tokenize(&joined)) {
            Ok(p) => p,
            Err(reason) => {
                skipped.push(Skipped { line, reason });
                continue;
            }
        };
        let domain = match &current_area {
            Some(d) => d.clone(),
            None => {
                let id = areas.area_for("General", None);
                current_area = Some(id.clone());
                id
            }
        };
        let base = parsed
            .title
            .as_deref()
            .map(slugify)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("q{ordinal:03}"));
        let mut question = Question {
            id: String::new(),
            domain,
            kind: parsed.kind,
            scenario: None,
            stem: parsed.stem,
            options: parsed.options,
            explanation: parsed.explanation,
            difficulty: q_hint.difficulty.filter(|d| (1..=3).contains(d)),
            tags: merged_tags(&q_hint.tags, tags_from_moodle),
            reference: q_hint.reference.clone().filter(|r| !r.trim().is_empty()),
        };
        attach_scenario(&mut question, &q_hint, &scenarios);
        let image_notes = drop_images(&mut question);
        if let Some(problem) = question_problem(&question) {
            skipped.push(Skipped {
                line,
                reason: problem,
            });
            continue;
        }
        question.id = hinted_id(&mut question_ids, q_hint.id, &base);
        notes.extend(
            parsed
                .notes
                .into_iter()
                .chain(image_notes)
                .map(|reason| Skipped { line, reason }),
        );
        lines_of.insert(question.id.clone(), line);
        questions.push(question);
    }

    assemble(
        opts,
        &areas,
        bank_hint,
        scenarios,
        Parts {
            questions,
            skipped,
            notes,
            lines: lines_of,
        },
    )
}

/// certprep's own hint's tags first, then the source's (Moodle's) tags, each once.
pub(crate) fn merged_tags(hinted: &[String], from_source: Vec<String>) -> Vec<String> {
    let mut seen: HashSet<String> = hinted.iter().cloned().collect();
    let mut tags = hinted.to_vec();
    tags.extend(from_source.into_iter().filter(|t| seen.insert(t.clone())));
    tags
}

/// A question exported with its scenario written before the stem (Moodle has no shared
/// passages) gets the scenario back, when the hint names one the file carried.
pub(crate) fn attach_scenario(
    question: &mut Question,
    hint: &QuestionHint,
    scenarios: &BTreeMap<String, Scenario>,
) {
    if let Some(sid) = &hint.scenario
        && let Some(sc) = scenarios.get(sid)
        && let Some(rest) = question.stem.strip_prefix(&format!("{}\n\n", sc.text))
    {
        question.stem = rest.to_string();
        question.scenario = Some(sid.clone());
    }
}

/// The exact id certprep's hint gives, when it is usable and free, else one from `base`.
pub(crate) fn hinted_id(ids: &mut UniqueIds, hinted: Option<String>, base: &str) -> String {
    match hinted
        .filter(|id| !id.trim().is_empty() && id.chars().count() <= 200 && !ids.contains(id))
    {
        Some(exact) => ids.take(&exact),
        None => ids.take(base),
    }
}

/// What an importer read, before the manifest is made.
pub(crate) struct Parts {
    pub(crate) questions: Vec<Question>,
    pub(crate) skipped: Vec<Skipped>,
    pub(crate) notes: Vec<Skipped>,
    pub(crate) lines: HashMap<String, usize>,
}

/// The import from what was read: the areas that hold questions (or that certprep wrote),
/// weighted by count unless certprep's hints gave every weight, the scenarios in use, and
/// the manifest from the bank hint (shared by GIFT and Moodle XML, which carry the same
/// hints).
pub(crate) fn assemble(
    opts: &ImportOptions,
    areas: &Areas,
    bank_hint: BankHint,
    scenarios: BTreeMap<String, Scenario>,
    parts: Parts,
) -> Import {
    let Parts {
        questions,
        skipped,
        notes,
        lines,
    } = parts;
    // Areas named by a $CATEGORY but holding no question are dropped (unless certprep
    // wrote them), so every area of the bank can be drawn from.
    let used: HashSet<&str> = questions.iter().map(|q| q.domain.as_str()).collect();
    let mut domains: Vec<Domain> = areas
        .domains
        .iter()
        .filter(|d| used.contains(d.id.as_str()) || areas.hinted.contains(&d.id))
        .cloned()
        .collect();
    if !domains.iter().all(|d| areas.hinted.contains(&d.id)) {
        weights_by_count(&mut domains, &questions);
    }
    let used_scenarios: HashSet<&str> = questions
        .iter()
        .filter_map(|q| q.scenario.as_deref())
        .collect();
    let scenarios: Vec<Scenario> = scenarios
        .into_values()
        .filter(|s| used_scenarios.contains(s.id.as_str()))
        .collect();
    let mut manifest = default_manifest(opts, bank_hint.title.clone(), domains);
    if let Some(v) = bank_hint.version.filter(|v| !v.trim().is_empty()) {
        manifest.version = v;
    }
    match bank_hint.exam {
        Some(exam)
            if exam.questions > 0
                && exam.minutes > 0
                && exam.pass_percent > 0.0
                && exam.pass_percent <= 100.0 =>
        {
            manifest.exam = exam
        }
        _ => fit_exam(&mut manifest, questions.len()),
    }
    Import {
        manifest,
        scenarios,
        questions,
        skipped,
        notes,
        lines,
        encoding: None,
        images: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Export

/// A bank text for GIFT. A plain one (no formatting characters, see
/// [`crate::markup::is_plain`]) is written without a format prefix, as before rich text;
/// one with formatting as `[markdown]` and the text as the bank has it, which the importer
/// keeps as written (Moodle shows its own Markdown, close to certprep's subset).
fn export_text(text: &str) -> String {
    if crate::markup::is_plain(text) && !text.contains("  ") {
        return escape(text);
    }
    let mut out = String::from("[markdown]");
    push_escaped(&mut out, text, false);
    out
}

/// Escape a text for GIFT: the special characters get a backslash, line breaks become `\n`.
/// Moodle shows a text without a format prefix (Moodle format) as HTML, so `<` and `&` are
/// written `&lt;` and `&amp;` (the importer reads the text as HTML).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped(&mut out, text, true);
    // A text that starts like a format prefix would lose its start: say the format.
    if split_format(&tokenize(&out)).0.is_some() {
        out.insert_str(0, "[moodle]");
    }
    out
}

fn push_escaped(out: &mut String, text: &str, entities: bool) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' if entities => out.push_str("&lt;"),
            '&' if entities => out.push_str("&amp;"),
            '~' | '=' | '#' | '{' | '}' | ':' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
}

pub(crate) fn percent(w: f64) -> String {
    let s = format!("{w:.5}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

fn write_question(
    out: &mut String,
    bank: &Bank,
    q: &Question,
    scenarios_done: &mut HashSet<String>,
) {
    let hint = QuestionHint {
        id: (slugify(&q.id) != q.id).then(|| q.id.clone()),
        difficulty: q.difficulty,
        tags: q.tags.clone(),
        reference: q.reference.clone(),
        scenario: q.scenario.clone(),
    };
    if !hint.is_empty()
        && let Ok(json) = serde_json::to_string(&hint)
    {
        out.push_str(&format!("// {QUESTION_HINT} {json}\n"));
    }
    let mut stem = q.stem.clone();
    if let Some(sid) = &q.scenario
        && let Some(sc) = bank.scenarios.get(sid)
    {
        if scenarios_done.insert(sid.clone())
            && let Ok(json) = serde_json::to_string(sc)
        {
            out.push_str(&format!("// {SCENARIO_HINT} {json}\n"));
        }
        // Moodle has no shared passages: the scenario is part of the question text.
        stem = format!("{}\n\n{}", sc.text, q.stem);
    }
    out.push_str(&format!("::{}::{}", escape(&q.id), export_text(&stem)));
    match q.kind {
        QuestionType::TrueFalse => {
            let truth = q.options.first().is_some_and(|o| o.correct);
            let expl = |i: usize| {
                q.options
                    .get(i)
                    .and_then(|o| o.explanation.as_deref())
                    .map(export_text)
                    .unwrap_or_default()
            };
            let (right, wrong) = if truth {
                (expl(0), expl(1))
            } else {
                (expl(1), expl(0))
            };
            out.push_str(if truth { " {TRUE" } else { " {FALSE" });
            if !right.is_empty() || !wrong.is_empty() {
                out.push_str(&format!("#{wrong}#{right}"));
            }
        }
        QuestionType::Single | QuestionType::Multiple => {
            out.push_str(" {\n");
            let k = q.options.iter().filter(|o| o.correct).count().max(1);
            for o in &q.options {
                let text = export_text(&o.text);
                let prefix = match (q.kind, o.correct) {
                    (QuestionType::Single, true) => "=".to_string(),
                    (QuestionType::Single, false) if text.starts_with('%') => "~%0%".to_string(),
                    (QuestionType::Single, false) => "~".to_string(),
                    (_, true) => format!("~%{}%", percent(100.0 / k as f64)),
                    (_, false) => "~%-100%".to_string(),
                };
                out.push_str(&format!("\t{prefix}{text}"));
                if let Some(e) = o.explanation.as_deref().filter(|e| !e.is_empty()) {
                    out.push_str(&format!("#{}", export_text(e)));
                }
                out.push('\n');
            }
        }
    }
    if let Some(e) = q.explanation.as_deref().filter(|e| !e.is_empty()) {
        if q.kind != QuestionType::TrueFalse {
            out.push('\t');
        }
        out.push_str(&format!("####{}", export_text(e)));
        if q.kind != QuestionType::TrueFalse {
            out.push('\n');
        }
    }
    out.push_str("}\n\n");
}

/// The bank as a GIFT file Moodle can import: one `$CATEGORY` per skill area (below the
/// bank's title), every question with its id as the title.
pub fn export(bank: &Bank) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "// {} (certprep bank \"{}\", version {}), exported as Moodle GIFT by certprep.\n",
        bank.manifest.title.replace('\n', " "),
        bank.id(),
        bank.manifest.version.replace('\n', " ")
    ));
    let hint = BankHint {
        title: Some(bank.manifest.title.clone()),
        version: Some(bank.manifest.version.clone()),
        exam: Some(bank.manifest.exam.clone()),
    };
    if let Ok(json) = serde_json::to_string(&hint) {
        out.push_str(&format!("// {BANK_HINT} {json}\n"));
    }
    out.push('\n');
    let mut scenarios_done = HashSet::new();
    for d in &bank.manifest.domains {
        if let Ok(json) = serde_json::to_string(d) {
            out.push_str(&format!("// {DOMAIN_HINT} {json}\n"));
        }
        let mut path = format!("$course$/top/{}", category_escape(&bank.manifest.title));
        if !d.category.trim().is_empty() && d.category != d.name {
            path.push('/');
            path.push_str(&category_escape(&d.category));
        }
        path.push('/');
        path.push_str(&category_escape(&d.name));
        out.push_str(&format!("$CATEGORY: {path}\n\n"));
        for q in bank.questions_in(&d.id) {
            write_question(&mut out, bank, q, &mut scenarios_done);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Parsed, String> {
        parse_question(&tokenize(s))
    }

    #[test]
    fn escapes_are_literal() {
        let q = p(r"1 \+ 1 \= 2\: true\? {=yes \~ really\#1 ~no}").unwrap();
        assert_eq!(crate::markup::to_plain(&q.stem), r"1 \+ 1 = 2: true\?");
        assert_eq!(q.options[0].text, "yes ~ really#1");
        let q = p(r"Which \{x\}? {=a\~b ~c}").unwrap();
        assert_eq!(crate::markup::to_plain(&q.options[0].text), "a~b");
    }

    #[test]
    fn html_becomes_the_markdown_subset() {
        assert_eq!(
            crate::markup::to_plain(&html_to_text(
                "<p>A &amp; B</p><p>C&nbsp;&lt;D&gt; &#233; &eacute;</p>"
            )),
            "A & B\nC\u{a0}<D> é é"
        );
        let q = p("[html]2<sup>10</sup> is <b>1024</b> {=yes ~no}").unwrap();
        assert_eq!(q.stem, "2^10^ is **1024**");
        // Moodle format is HTML too, and answers inherit it.
        let q = p("H<sub>2</sub>O? {=<i>water</i> ~<tt>H2O2</tt>}").unwrap();
        assert_eq!(q.stem, "H~2~O?");
        assert_eq!(q.options[0].text, "*water*");
        assert_eq!(q.options[1].text, "`H2O2`");
        // [plain] stays literal: formatting characters are escaped.
        let q = p("[plain]2*3*4 <b> {=yes ~no}").unwrap();
        assert_eq!(crate::markup::to_plain(&q.stem), "2*3*4 <b>");
        // [markdown] is kept as written.
        let q = p("[markdown]**bold** and `code` {=yes ~no}").unwrap();
        assert_eq!(q.stem, "**bold** and `code`");
    }

    #[test]
    fn weight_prefix_needs_both_percent_signs() {
        let q = p("Q {~%50a ~%50%b ~%50%c}").unwrap();
        assert_eq!(q.options[0].text, "%50a");
        assert!(!q.options[0].correct);
        assert_eq!(q.kind, QuestionType::Multiple);
    }

    #[test]
    fn category_paths() {
        assert_eq!(
            category_segments("$course$/top/Bank/Group//Sub/Area"),
            vec!["Bank", "Group/Sub", "Area"]
        );
        assert_eq!(category_segments("Plain"), vec!["Plain"]);
    }

    #[test]
    fn escape_round_trips_through_tokenize() {
        let text = "a~b=c#d{e}f:g\\h\nline x";
        let back = formatted(&tokenize(&export_text(text)), Format::Moodle);
        assert_eq!(back, text);
        for markup in [
            "a < b && c; &amp; &lt;",
            "[html]<b>x</b>",
            "2^10^ **bold** {x} `a#b` ~sub~",
            "two  spaces\n\n- a list\n- item",
        ] {
            let written = export_text(markup);
            assert!(written.starts_with("[markdown]"), "{written}");
            assert_eq!(formatted(&tokenize(&written), Format::Moodle), markup);
        }
    }
}
