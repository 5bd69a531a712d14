//! HTML from imports (GIFT's `[html]` and Moodle-format texts, Moodle XML) turned into the
//! Markdown subset banks carry ([`crate::markup`], docs/bank-format.md "Formatting").
//!
//! Kept: paragraphs and line breaks (`p`, `div`, `br`, headings as bold lines), `b`/`strong`,
//! `i`/`em`, `code`, `pre` (every line break and space), `ul`/`ol`/`li` (nested), `sup`/`sub`,
//! `img` (as an image reference: the importer decides whether the file can come along),
//! tables (one row a line, cells apart) and every HTML5 named entity (htmlize's table).
//! Dropped: comments, `script`/`style`/`title`/`template` with their content, every other
//! tag (its text is kept), attributes. Nothing is run or fetched. Text keeps its meaning:
//! characters the subset would read as formatting are escaped ([`crate::markup::escape`]).
//!
//! One pass over the input: each `<` looks ahead for its `>` at most once (a remembered
//! position, and a quote-aware look bounded by [`TAG_LOOKAHEAD`]), so a file of 40,000
//! questions converts in linear time whatever it holds.

use crate::markup;

/// How far a tag's attributes are read for a quoted `>` before the first `>` is taken.
const TAG_LOOKAHEAD: usize = 1024;
/// Tags whose content is not text a reader sees.
const SKIPPED: [&str; 4] = ["script", "style", "title", "template"];
const BLOCKS: [&str; 22] = [
    "p",
    "div",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "hr",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "address",
    "center",
    "form",
    "fieldset",
    "main",
    "nav",
    "aside",
    "body",
    "html",
];

/// The Markdown-subset text of an HTML fragment. Never fails: what is not markup is text.
pub fn html_to_markdown(html: &str) -> String {
    // Most imported texts (every Moodle-format GIFT text without markup) hold no tag and no
    // entity: for them the conversion is whitespace collapsing and escaping, done without
    // the tag machinery (twice as fast on a 40k-question import). The test
    // `text_without_markup_converts_as_the_writer_does` holds the two paths equal.
    if !html.contains(['<', '&']) {
        return text_without_markup(html);
    }
    convert(html)
}

/// [`html_to_markdown`] of a text with no `<` and no `&`: what [`Writer::text`] does with one
/// run (words split at collapsible whitespace, joined by one space, escaped once) and what
/// [`Writer::finish`] trims.
fn text_without_markup(html: &str) -> String {
    let mut words = String::with_capacity(html.len());
    for word in html.split(collapsible).filter(|w| !w.is_empty()) {
        if !words.is_empty() {
            words.push(' ');
        }
        words.push_str(word);
    }
    let escaped = markup::escape(&words);
    let trimmed = escaped.trim_end();
    trimmed.trim_start_matches('\n').to_string()
}

/// Whitespace HTML collapses to one space: all but the no-break space, which is text (it
/// keeps its width).
fn collapsible(c: char) -> bool {
    c.is_whitespace() && c != '\u{a0}'
}

/// The tag-by-tag conversion behind [`html_to_markdown`].
fn convert(html: &str) -> String {
    let mut w = Writer::default();
    let mut i = 0;
    // Position of the first `>` at or after the current `<` (None: there is none left).
    let mut next_gt: Option<Option<usize>> = None;
    while i < html.len() {
        let Some(lt) = html[i..].find('<').map(|p| p + i) else {
            w.text(&html[i..]);
            break;
        };
        w.text(&html[i..lt]);
        let rest = &html[lt..];
        if rest.starts_with("<!--") {
            match rest[4..].find("-->") {
                Some(len) => {
                    i = lt + 4 + len + 3;
                    continue;
                }
                // No later comment can close either: the rest is text, as written.
                None => {
                    w.text(rest);
                    break;
                }
            }
        }
        let after = rest[1..].chars().next();
        let second = rest[1..].chars().nth(1);
        let tag_like = after.is_some_and(|c| c.is_ascii_alphabetic() || c == '!' || c == '?')
            || (after == Some('/') && second.is_some_and(|c| c.is_ascii_alphabetic()));
        let gt = match next_gt {
            Some(g) if g.is_none_or(|g| g >= lt) => g,
            _ => {
                let g = html[lt..].find('>').map(|p| p + lt);
                next_gt = Some(g);
                g
            }
        };
        let (true, Some(gt)) = (tag_like, gt) else {
            // A `<` that starts no tag is a character (`a < b`).
            w.text("<");
            i = lt + 1;
            continue;
        };
        let end = quoted_tag_end(html, lt, gt);
        let tag = Tag::read(&html[lt + 1..end]);
        i = end + 1;
        if !tag.closing && SKIPPED.contains(&tag.name.as_str()) {
            i = skip_to_close(html, i, &tag.name);
            continue;
        }
        w.tag(&tag);
    }
    w.finish()
}

/// The `>` that ends the tag starting at `lt`: the first one outside quoted attribute
/// values, looked for within [`TAG_LOOKAHEAD`] bytes; else the first `>` (`first_gt`).
fn quoted_tag_end(html: &str, lt: usize, first_gt: usize) -> usize {
    let limit = (lt + TAG_LOOKAHEAD).min(html.len());
    let mut quote = None;
    for (k, b) in html.as_bytes()[lt..limit].iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(*b),
            (Some(q), b) if *b == q => quote = None,
            (None, b'>') => return lt + k,
            _ => {}
        }
    }
    first_gt
}

/// After `<script ...>`: the position after its `</script>` (any case), or the end.
fn skip_to_close(html: &str, from: usize, name: &str) -> usize {
    let mut at = from;
    while let Some(p) = html[at..].find("</") {
        let start = at + p + 2;
        let candidate = html.get(start..start + name.len());
        if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name)) {
            return html[start..]
                .find('>')
                .map_or(html.len(), |g| start + g + 1);
        }
        at = start;
    }
    html.len()
}

/// One tag: lower-case name, whether it closes, and the attributes certprep reads.
#[derive(Debug, Default)]
struct Tag {
    name: String,
    closing: bool,
    src: Option<String>,
    alt: Option<String>,
    start: Option<u64>,
}

impl Tag {
    /// `inner` is what stands between `<` and `>`.
    fn read(inner: &str) -> Tag {
        let (closing, body) = match inner.strip_prefix('/') {
            Some(b) => (true, b),
            None => (false, inner),
        };
        let name_len = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
            .unwrap_or(body.len());
        let mut tag = Tag {
            name: body[..name_len].to_ascii_lowercase(),
            closing,
            ..Tag::default()
        };
        if !closing && matches!(tag.name.as_str(), "img" | "ol") {
            for (key, value) in attributes(&body[name_len..]) {
                match key.as_str() {
                    "src" => tag.src = Some(value),
                    "alt" => tag.alt = Some(value),
                    "start" => tag.start = value.trim().parse().ok(),
                    _ => {}
                }
            }
        }
        tag
    }
}

/// `key="value"`, `key='value'`, `key=value` and bare `key` pairs, keys lower-cased and
/// values with their entities decoded.
fn attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let k0 = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        let key = s[k0..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let v0;
            let v1;
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                v0 = i + 1;
                i = v0;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                v1 = i;
                i += 1;
            } else {
                v0 = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                v1 = i;
            }
            value = htmlize::unescape_attribute(s.get(v0..v1).unwrap_or("")).into_owned();
        }
        if !key.is_empty() {
            out.push((key, value));
        }
        if i == k0 {
            i += 1;
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
enum Break {
    #[default]
    None,
    Line,
    Paragraph,
}

/// Where raw text (not escaped) is being collected, and from which position of `out`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Raw {
    Pre(usize),
    Code(usize),
}

#[derive(Debug, Default)]
struct Table {
    /// Where the table starts in `out`; everything after it is rewritten at `</table>`.
    start: usize,
    rows: Vec<Vec<String>>,
    cell: Option<usize>,
    /// Tables inside this one: their tags are ignored, their text joins the cell.
    nested: usize,
}

#[derive(Debug, Default)]
struct Writer {
    out: String,
    /// Visible text since the last markup written, escaped when flushed.
    run: String,
    space: bool,
    brk: Break,
    raw: Option<Raw>,
    /// Open lists: the next number of an ordered one, `None` for bullets.
    lists: Vec<Option<u64>>,
    /// Content indentation of each open list item.
    indents: Vec<usize>,
    /// Open emphasis-like marks: the tag, the marker and where its content starts in `out`.
    marks: Vec<(String, &'static str, usize)>,
    table: Option<Table>,
}

impl Writer {
    fn indent(&self) -> usize {
        self.indents.last().copied().unwrap_or(0)
    }

    fn at_line_start(&self) -> bool {
        self.run.is_empty()
            && (self.out.is_empty()
                || self.out.ends_with('\n')
                || self.out.len() >= self.indent()
                    && self.out[self.out.len() - self.indent()..]
                        .bytes()
                        .all(|b| b == b' ')
                    && self.out[..self.out.len() - self.indent()].ends_with('\n'))
    }

    fn flush(&mut self) {
        if !self.run.is_empty() {
            let run = std::mem::take(&mut self.run);
            self.out.push_str(&markup::escape(&run));
        }
    }

    fn want_break(&mut self, b: Break) {
        self.brk = self.brk.max(b);
    }

    /// Write a pending break or space before visible content.
    fn before_content(&mut self) {
        if self.brk != Break::None {
            self.flush();
            let in_cell = self.table.as_ref().is_some_and(|t| t.cell.is_some());
            if in_cell {
                // A table cell is one line.
                self.space = true;
            } else if !self.out.is_empty() {
                while self.out.ends_with(' ') {
                    self.out.pop();
                }
                // Inside a list item a paragraph is a line: the list stays tight.
                let para = self.brk == Break::Paragraph && self.indents.is_empty();
                self.out.push_str(if para { "\n\n" } else { "\n" });
                self.out.push_str(&" ".repeat(self.indent()));
                self.space = false;
            }
            self.brk = Break::None;
        }
        if self.space {
            if let Some(Raw::Code(start)) = self.raw {
                if self.out.len() > start && !self.out.ends_with(' ') {
                    self.out.push(' ');
                }
            } else if !self.at_line_start() {
                let last = if self.run.is_empty() {
                    &self.out
                } else {
                    &self.run
                };
                if !last.ends_with(' ') {
                    self.run.push(' ');
                }
            }
            self.space = false;
        }
    }

    fn text(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        let decoded = htmlize::unescape(raw);
        match self.raw {
            Some(Raw::Pre(_)) => {
                self.out
                    .push_str(&decoded.replace("\r\n", "\n").replace('\r', "\n"));
            }
            _ => {
                // Word by word: a no-break space is text (it keeps its width), other
                // whitespace collapses to one space.
                for (i, word) in decoded.split(collapsible).enumerate() {
                    if i > 0 {
                        self.space = true;
                    }
                    if word.is_empty() {
                        continue;
                    }
                    self.before_content();
                    self.hoist_space_out_of_mark();
                    if let Some(Raw::Code(_)) = self.raw {
                        self.out.push_str(word);
                    } else {
                        self.run.push_str(word);
                    }
                }
            }
        }
    }

    /// Nothing visible yet inside the innermost mark: a space before its first character
    /// belongs before the marker (`a<b> b</b>` → `a **b**`, never `a** b**`).
    fn hoist_space_out_of_mark(&mut self) {
        if let Some((_, marker, start)) = self.marks.last()
            && *start == self.out.len()
            && self.run.starts_with(' ')
        {
            self.run.remove(0);
            let at = start - marker.len();
            if !self.out[..at].ends_with([' ', '\n']) && at > 0 {
                self.out.insert(at, ' ');
                if let Some(m) = self.marks.last_mut() {
                    m.2 += 1;
                }
            }
        }
    }

    fn tag(&mut self, t: &Tag) {
        if let Some(Raw::Pre(_)) = self.raw {
            match (t.name.as_str(), t.closing) {
                ("pre", true) => self.close_pre(),
                ("br", _) => self.out.push('\n'),
                _ => {}
            }
            return;
        }
        if self.table.as_ref().is_some_and(|tb| tb.nested > 0)
            && matches!(t.name.as_str(), "table" | "tr" | "td" | "th")
        {
            if t.name == "table"
                && let Some(tb) = self.table.as_mut()
            {
                if t.closing {
                    tb.nested -= 1;
                } else {
                    tb.nested += 1;
                }
            }
            self.space = true;
            return;
        }
        let name = t.name.as_str();
        match (name, t.closing) {
            ("br", _) => {
                self.want_break(if self.brk >= Break::Line {
                    Break::Paragraph
                } else {
                    Break::Line
                });
            }
            ("b" | "strong", false) => self.open_mark(name, "**"),
            ("i" | "em", false) => self.open_mark(name, "*"),
            ("sup", false) => self.open_mark(name, "^"),
            ("sub", false) => self.open_mark(name, "~"),
            ("b" | "strong" | "i" | "em" | "sup" | "sub", true) => self.close_mark(name),
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) => {
                self.want_break(Break::Paragraph);
                self.open_mark(name, "**");
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => {
                self.close_mark(name);
                self.want_break(Break::Paragraph);
            }
            ("code" | "tt" | "kbd" | "samp", false) if self.raw.is_none() => {
                self.flush();
                self.before_content();
                self.flush();
                self.raw = Some(Raw::Code(self.out.len()));
            }
            ("code" | "tt" | "kbd" | "samp", true) => self.close_code(),
            ("pre", false) => {
                self.close_code();
                self.want_break(Break::Paragraph);
                self.space = false;
                self.before_content();
                self.flush();
                self.raw = Some(Raw::Pre(self.out.len()));
            }
            ("ul" | "ol", false) => {
                self.want_break(if self.indents.is_empty() {
                    Break::Paragraph
                } else {
                    Break::Line
                });
                self.lists
                    .push((name == "ol").then(|| t.start.unwrap_or(1)));
            }
            ("ul" | "ol", true) => {
                self.lists.pop();
                self.want_break(if self.indents.is_empty() {
                    Break::Paragraph
                } else {
                    Break::Line
                });
            }
            ("li", false) => self.open_item(),
            ("li", true) => {
                self.flush();
                self.indents.pop();
                self.want_break(Break::Line);
            }
            ("img", _) => self.image(t),
            ("table", false) => {
                if let Some(tb) = self.table.as_mut() {
                    tb.nested += 1;
                    return;
                }
                self.want_break(Break::Paragraph);
                self.before_content();
                self.flush();
                self.table = Some(Table {
                    start: self.out.len(),
                    ..Table::default()
                });
            }
            ("table", true) => self.close_table(),
            ("tr", false) => {
                self.end_cell();
                if let Some(tb) = self.table.as_mut() {
                    tb.rows.push(Vec::new());
                }
            }
            ("td" | "th", false) => {
                self.end_cell();
                self.flush();
                self.brk = Break::None;
                self.space = false;
                if let Some(tb) = self.table.as_mut() {
                    if tb.rows.is_empty() {
                        tb.rows.push(Vec::new());
                    }
                    tb.cell = Some(self.out.len());
                }
            }
            ("td" | "th" | "tr", true) => self.end_cell(),
            (n, _) if BLOCKS.contains(&n) || n.is_empty() => self.want_break(Break::Paragraph),
            _ => {}
        }
    }

    fn open_mark(&mut self, name: &str, marker: &'static str) {
        self.before_content();
        self.flush();
        self.out.push_str(marker);
        self.marks.push((name.to_string(), marker, self.out.len()));
    }

    fn close_mark(&mut self, name: &str) {
        let heading = |n: &str| n.len() == 2 && n.starts_with('h');
        let Some(pos) = self
            .marks
            .iter()
            .rposition(|(n, _, _)| n == name || (heading(n) && heading(name)))
        else {
            return;
        };
        self.flush();
        // Close the marks opened inside it too, innermost first (`<b><i>x</b>`).
        while self.marks.len() > pos {
            let Some((_, marker, start)) = self.marks.pop() else {
                break;
            };
            if self.out.len() == start {
                // Nothing inside: no marker at all (`****` would be text).
                self.out.truncate(start - marker.len());
            } else {
                let trailing = self.out.len() - self.out.trim_end().len();
                if trailing > 0 {
                    self.out.truncate(self.out.len() - trailing);
                    self.space = true;
                }
                self.out.push_str(marker);
            }
        }
    }

    fn close_code(&mut self) {
        let Some(Raw::Code(start)) = self.raw else {
            return;
        };
        self.raw = None;
        let code = self.out.split_off(start);
        let trailing_space = code.ends_with(' ');
        let code = code.trim();
        if code.is_empty() {
            return;
        }
        let fence = "`".repeat(longest_run(code, '`') + 1);
        let pad = if code.starts_with('`') || code.ends_with('`') {
            " "
        } else {
            ""
        };
        self.out
            .push_str(&format!("{fence}{pad}{code}{pad}{fence}"));
        self.space |= trailing_space;
    }

    fn close_pre(&mut self) {
        let Some(Raw::Pre(start)) = self.raw else {
            return;
        };
        self.raw = None;
        let code = self.out.split_off(start);
        // HTML drops the line break right after `<pre>`.
        let code = code.strip_prefix('\n').unwrap_or(&code);
        let code = code.trim_end_matches(['\n', ' ', '\t']);
        if !code.is_empty() {
            let fence = "`".repeat(longest_run(code, '`').max(2) + 1);
            let indent = " ".repeat(self.indent());
            self.out.push_str(&fence);
            for line in code.split('\n') {
                self.out.push('\n');
                if !line.is_empty() {
                    self.out.push_str(&indent);
                }
                self.out.push_str(line);
            }
            self.out.push('\n');
            self.out.push_str(&indent);
            self.out.push_str(&fence);
        }
        self.want_break(Break::Paragraph);
    }

    fn open_item(&mut self) {
        self.flush();
        self.want_break(Break::Line);
        self.space = false;
        // The break goes in at the item's own indentation (the enclosing item's).
        self.before_content_at_item();
        let marker = match self.lists.last_mut() {
            Some(Some(n)) => {
                let m = format!("{n}. ");
                *n += 1;
                m
            }
            _ => "- ".to_string(),
        };
        let indent = self.indent() + marker.len();
        self.out.push_str(&marker);
        self.indents.push(indent);
    }

    fn before_content_at_item(&mut self) {
        if self.out.is_empty() {
            self.brk = Break::None;
            return;
        }
        let para = self.brk == Break::Paragraph && self.indents.is_empty();
        while self.out.ends_with(' ') {
            self.out.pop();
        }
        if !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        if para && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
        self.out.push_str(&" ".repeat(self.indent()));
        self.brk = Break::None;
    }

    fn image(&mut self, t: &Tag) {
        let src = t.src.clone().unwrap_or_default();
        if src.trim().is_empty() {
            if let Some(alt) = t.alt.as_deref().filter(|a| !a.trim().is_empty()) {
                self.text(alt);
            }
            return;
        }
        self.before_content();
        self.flush();
        let alt = t.alt.as_deref().unwrap_or("").trim();
        let alt = markup::escape(&alt.replace(['\n', '\r'], " "));
        // `<...>` lets an address hold spaces and brackets.
        let dest: String = src
            .trim()
            .chars()
            .filter(|c| !matches!(c, '<' | '>' | '\n' | '\r'))
            .collect();
        self.out.push_str(&format!("![{alt}](<{dest}>)"));
    }

    fn end_cell(&mut self) {
        self.flush();
        self.close_code();
        let Some(tb) = self.table.as_mut() else {
            return;
        };
        let Some(start) = tb.cell.take() else {
            return;
        };
        let cell = self.out.split_off(start);
        let cell = cell.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(row) = tb.rows.last_mut() {
            row.push(cell);
        }
        self.space = false;
        self.brk = Break::None;
    }

    fn close_table(&mut self) {
        self.end_cell();
        let Some(tb) = self.table.take() else {
            return;
        };
        self.out.truncate(tb.start);
        let rows: Vec<Vec<String>> = tb.rows.into_iter().filter(|r| !r.is_empty()).collect();
        let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
        if cols == 0 {
            self.want_break(Break::Paragraph);
            return;
        }
        let indent = " ".repeat(self.indent());
        for (i, row) in rows.iter().enumerate() {
            if i > 0 {
                self.out.push('\n');
                self.out.push_str(&indent);
            }
            let line = (0..cols)
                .map(|c| row.get(c).map_or("", String::as_str))
                .collect::<Vec<_>>()
                .join(" | ");
            self.out.push_str(&format!("| {line} |"));
            if i == 0 {
                self.out.push('\n');
                self.out.push_str(&indent);
                self.out.push_str(&format!("|{}", " --- |".repeat(cols)));
            }
        }
        self.want_break(Break::Paragraph);
    }

    fn finish(mut self) -> String {
        self.flush();
        self.close_code();
        self.close_pre();
        self.close_table();
        while let Some((name, _, _)) = self.marks.last().cloned() {
            self.close_mark(&name);
        }
        self.flush();
        let trimmed = self.out.trim_end();
        let start = trimmed.len() - trimmed.trim_start_matches('\n').len();
        trimmed[start..].to_string()
    }
}

fn longest_run(s: &str, c: char) -> usize {
    let mut best = 0;
    let mut cur = 0;
    for x in s.chars() {
        if x == c {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::html_to_markdown as md;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The fast path for texts without markup gives what the tag-by-tag writer gives:
        /// whitespace of every kind (no-break spaces, tabs, CR, LF), every character the
        /// subset escapes, and lines that look like lists, quotes or code.
        #[test]
        fn text_without_markup_converts_as_the_writer_does(
            s in "([ \t\r\n\u{a0}\u{2003}]|[-+=#>|!\\\\\\*_`^~\\[\\]()0-9.]|[a-zé]{1,6}){0,40}"
        ) {
            prop_assume!(!s.contains(['<', '&']));
            prop_assert_eq!(super::text_without_markup(&s), super::convert(&s));
        }
    }

    #[test]
    fn conformance_texts_convert_the_same_both_ways() {
        // Every GIFT file in the conformance corpus, line by line and whole: the texts
        // importers actually meet.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
        let mut checked = 0;
        for entry in walk(&dir) {
            let Ok(text) = std::fs::read_to_string(&entry) else {
                continue;
            };
            for piece in text.split(['{', '}']).chain(std::iter::once(text.as_str())) {
                if !piece.contains(['<', '&']) {
                    assert_eq!(
                        super::text_without_markup(piece),
                        super::convert(piece),
                        "{}: {piece:?}",
                        entry.display()
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "only {checked} texts checked");
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else if path
                .extension()
                .is_some_and(|e| e == "gift" || e == "txt" || e == "csv")
            {
                out.push(path);
            }
        }
        out
    }
    use crate::markup::{self, Block, Span, Style};

    #[test]
    fn paragraphs_and_breaks() {
        assert_eq!(md("<p>One</p><p>Two<br>three</p>"), "One\n\nTwo\nthree");
        assert_eq!(md("<div>a</div>  <div>b</div>"), "a\n\nb");
        assert_eq!(md("  lots   of\n\tspace  "), "lots of space");
    }

    #[test]
    fn emphasis_keeps_spaces_outside_markers() {
        assert_eq!(md("a<b> bold </b>c"), "a **bold** c");
        assert_eq!(md("<strong>x</strong> and <em>y</em>"), "**x** and *y*");
        assert_eq!(md("<b></b>empty"), "empty");
        assert_eq!(md("<i>unclosed"), "*unclosed*");
    }

    #[test]
    fn sup_and_sub() {
        assert_eq!(md("2<sup>10</sup> and H<sub>2</sub>O"), "2^10^ and H~2~O");
        let blocks = markup::parse(&md("2<sup>10</sup>"));
        assert_eq!(
            blocks,
            vec![Block::Paragraph(vec![
                Span::Text("2".into(), Style::default()),
                Span::Text(
                    "10".into(),
                    Style {
                        sup: true,
                        ..Style::default()
                    }
                ),
            ])]
        );
    }

    #[test]
    fn code_and_pre_keep_their_text() {
        assert_eq!(md("Run <code>ls *.txt</code> now"), "Run `ls *.txt` now");
        assert_eq!(
            md("<pre>\nif a &lt; b:\n    print(a)\n</pre>"),
            "```\nif a < b:\n    print(a)\n```"
        );
        let blocks = markup::parse(&md("<p>Code:</p><pre>x = 1\n  y = 2</pre>"));
        assert_eq!(blocks[1], Block::Code("x = 1\n  y = 2".into()));
    }

    #[test]
    fn lists_nested_and_numbered() {
        assert_eq!(
            md(
                "<p>Pick:</p><ul><li>one</li><li>two<ol start=\"3\"><li>a</li><li>b</li></ol></li></ul>"
            ),
            "Pick:\n\n- one\n- two\n  3. a\n  4. b"
        );
        let blocks = markup::parse(&md("<ol><li>x</li><li>y</li></ol>"));
        assert!(matches!(&blocks[0], Block::List { start: Some(1), items } if items.len() == 2));
    }

    #[test]
    fn images_become_references() {
        assert_eq!(
            md(r#"<p>See <img src="images/net.png" alt="Network &amp; VLANs"></p>"#),
            "See ![Network & VLANs](<images/net.png>)"
        );
        let refs = markup::images(&md(r#"<img alt="x" src="@@PLUGINFILE@@/a b.png">"#));
        assert_eq!(refs[0].src, "@@PLUGINFILE@@/a b.png");
        assert_eq!(refs[0].alt, "x");
    }

    #[test]
    fn tables_one_row_a_line() {
        let out = md(
            "<table><tr><th>Port</th><th>Use</th></tr><tr><td>22</td><td>SSH</td></tr><tr><td>443</td><td>HTTPS | TLS</td></tr></table>",
        );
        assert_eq!(
            out,
            "| Port | Use |\n| --- | --- |\n| 22 | SSH |\n| 443 | HTTPS \\| TLS |"
        );
        let Block::Table(rows) = &markup::parse(&out)[0] else {
            panic!("not a table: {out}");
        };
        assert_eq!(rows.len(), 3);
        assert_eq!(
            markup::to_plain(&out),
            "Port | Use\n22 | SSH\n443 | HTTPS | TLS"
        );
    }

    #[test]
    fn all_html5_entities() {
        assert_eq!(
            md("&eacute; &copy; &euro; &rarr; &#233; &#x2192; &amp;lt;"),
            "é © € → é → \\&lt;"
        );
        assert_eq!(markup::to_plain(&md("&amp;lt; &amp;amp;")), "&lt; &amp;");
    }

    #[test]
    fn text_that_looks_like_markdown_stays_text() {
        let html =
            "<p>2 * 3 * 4 = 24</p><p>1. not a list</p><p># not a heading</p><p>a_b _c_ [x](y)</p>";
        let out = md(html);
        assert_eq!(
            markup::to_plain(&out),
            "2 * 3 * 4 = 24\n1. not a list\n# not a heading\na_b _c_ [x](y)"
        );
    }

    #[test]
    fn comments_scripts_and_stray_brackets() {
        assert_eq!(md("a<!-- hidden -->b"), "ab");
        assert_eq!(
            markup::to_plain(&md("a <!-- never closed")),
            "a <!-- never closed"
        );
        assert_eq!(md("x<script>alert(1)</script>y<style>p{}</style>z"), "xyz");
        assert_eq!(markup::to_plain(&md("a < b && c > d")), "a < b && c > d");
        assert_eq!(markup::to_plain(&md("if a<b")), "if a<b");
    }

    #[test]
    fn hostile_input_is_text_in_one_pass() {
        // Many `<` with no `>`, unclosed quotes and comments: each `<` looks ahead at most
        // once (the bench in benches/core.rs has the figures); all of it stays text.
        let n = 200_000;
        for piece in ["<a", "<a '", "<!--"] {
            let input = piece.repeat(n / piece.len());
            assert_eq!(markup::to_plain(&md(&input)), input, "{piece}");
        }
        assert_eq!(md(&"<b>".repeat(50_000)), "");
    }
}
