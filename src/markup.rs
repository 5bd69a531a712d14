//! certprep's rich text: the small Markdown subset that stems, scenarios, options and
//! explanations may carry (docs/bank-format.md, "Formatting"), read into a few block and
//! span kinds that the UI draws (src/ui/rich.rs) and that previews flatten to plain text.
//!
//! The subset: paragraphs (a blank line), line breaks (every line break in the text is one,
//! so a plain text shows exactly as it always did), `**bold**`, `*italic*`, `` `code` ``,
//! fenced code blocks (line breaks and spaces kept), `-`/`1.` lists, `^super^` and `~sub~`
//! scripts, `![alt](images/x.png)` images from the bank folder, and pipe tables. Anything
//! else Markdown knows is shown as text: headings as bold paragraphs, links as their text,
//! HTML as the characters written (never run or interpreted).
//!
//! Parsing is pulldown-cmark's (linear in the text); nesting deeper than [`MAX_DEPTH`] is
//! flattened so that nothing downstream recurses without bound on a hostile bank.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use std::path::{Component, Path, PathBuf};

/// Lists and quotes nested deeper than this are drawn at this depth.
pub const MAX_DEPTH: usize = 8;
/// Image files larger than this are not loaded (and a bank naming one is refused).
pub const MAX_IMAGE_BYTES: u64 = 8 * 1024 * 1024;
/// Image file endings certprep decodes.
pub const IMAGE_EXTENSIONS: [&str; 3] = ["png", "jpg", "jpeg"];

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Vec<Span>),
    /// A fenced (or indented) code block: its lines exactly as written.
    Code(String),
    /// `start` is the first number of an ordered list, `None` for bullets.
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    /// Rows of cells; the first row is the header.
    Table(Vec<Vec<Vec<Span>>>),
    Quote(Vec<Block>),
    Rule,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Span {
    Text(String, Style),
    LineBreak,
    Image { alt: String, src: String },
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
    pub code: bool,
    pub sup: bool,
    pub sub: bool,
}

/// Tables only: pulldown's `^sup^` and `~sub~` cannot open inside a word (`2^10^`), which
/// is where they are wanted, so certprep reads them itself ([`scripts`]).
fn options() -> Options {
    Options::ENABLE_TABLES
}

/// True when `text` certainly reads as one plain paragraph: none of the characters the
/// subset gives a meaning to, and no line that could start a list, quote, rule or code
/// block. The UI draws such texts exactly as before rich text existed, without parsing.
pub fn is_plain(text: &str) -> bool {
    const SPECIAL: &[char] = &[
        '\\', '*', '_', '`', '^', '~', '[', ']', '!', '|', '<', '>', '&', '#',
    ];
    if text.contains(SPECIAL) || text.contains("\n\n") || text.starts_with(char::is_whitespace) {
        return false;
    }
    text.split('\n').all(|line| {
        let first = line.trim_start().chars().next();
        !line.starts_with("    ")
            && !line.starts_with('\t')
            && !first.is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '='))
    })
}

/// The blocks of a text in the subset. Never fails: whatever is not formatting is text.
pub fn parse(text: &str) -> Vec<Block> {
    let mut b = Builder {
        frames: vec![Frame::Blocks(Vec::new())],
        ..Builder::default()
    };
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Text(t) if b.image.is_none() && b.code_block.is_none() => {
                b.pending_text(text, &t, range)
            }
            other => {
                b.flush_text();
                b.event(other);
            }
        }
    }
    b.flush_text();
    b.finish()
}

/// Every image reference in a text, in order, with the byte range of its `![...](...)`.
pub fn images(text: &str) -> Vec<ImageRef> {
    let mut out = Vec::new();
    let mut alt: Option<(String, String, std::ops::Range<usize>)> = None;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                alt = Some((dest_url.to_string(), String::new(), range));
            }
            Event::End(TagEnd::Image) => {
                if let Some((src, alt, range)) = alt.take() {
                    out.push(ImageRef { alt, src, range });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, a, _)) = alt.as_mut() {
                    a.push_str(&t);
                }
            }
            _ => {}
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    pub alt: String,
    pub src: String,
    pub range: std::ops::Range<usize>,
}

/// The text with every image reference replaced by its alt text in brackets (`[image: alt]`,
/// escaped so it stays literal), and the references taken out. For imports whose images
/// cannot come along (GIFT's `@@PLUGINFILE@@` files, web addresses).
pub fn drop_images(text: &str) -> (String, Vec<ImageRef>) {
    drop_images_unless(text, |_| false)
}

/// [`drop_images`] for the images `keep` does not keep; the dropped ones are returned.
pub fn drop_images_unless(text: &str, keep: impl Fn(&ImageRef) -> bool) -> (String, Vec<ImageRef>) {
    let refs: Vec<ImageRef> = images(text).into_iter().filter(|r| !keep(r)).collect();
    if refs.is_empty() {
        return (text.to_string(), refs);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in &refs {
        out.push_str(&text[at..r.range.start]);
        let alt = r.alt.trim();
        let label = if alt.is_empty() {
            "image".to_string()
        } else {
            format!("image: {alt}")
        };
        out.push_str("\\[");
        out.push_str(&escape(&label));
        out.push_str("\\]");
        at = r.range.end;
    }
    out.push_str(&text[at..]);
    (out, refs)
}

/// Why an image reference cannot be shown from a bank folder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageProblem {
    #[error("image \"{0}\" is a web or other address; only files in the bank folder are shown")]
    NotAFilePath(String),
    #[error("image \"{0}\" leaves the bank folder; write a path inside it, such as images/x.png")]
    OutsideBank(String),
    #[error("image \"{0}\" is not a file in the bank folder")]
    Missing(String),
    #[error("image \"{0}\" is not a PNG or JPEG file (.png, .jpg, .jpeg)")]
    NotAnImage(String),
    #[error("image \"{0}\" is larger than {MAX_IMAGE_BYTES} bytes")]
    TooLarge(String),
}

/// The file an image reference names in the bank folder `root`, checked: a relative path
/// with no `..`, no address scheme, inside the folder once links are resolved, a regular
/// PNG or JPEG file of at most [`MAX_IMAGE_BYTES`].
pub fn resolve_image(root: &Path, src: &str) -> Result<PathBuf, ImageProblem> {
    let rel = image_path_shape(src)?;
    let path = root.join(&rel);
    let (Ok(real), Ok(real_root)) = (path.canonicalize(), root.canonicalize()) else {
        return Err(ImageProblem::Missing(src.to_string()));
    };
    if !real.starts_with(&real_root) {
        return Err(ImageProblem::OutsideBank(src.to_string()));
    }
    let meta = std::fs::metadata(&real).map_err(|_| ImageProblem::Missing(src.to_string()))?;
    if !meta.is_file() {
        return Err(ImageProblem::Missing(src.to_string()));
    }
    if meta.len() > MAX_IMAGE_BYTES {
        return Err(ImageProblem::TooLarge(src.to_string()));
    }
    Ok(real)
}

/// The relative path an image reference names, when its shape is allowed (checked without
/// touching the disk).
pub fn image_path_shape(src: &str) -> Result<PathBuf, ImageProblem> {
    let src_t = src.trim();
    // `http:`, `file:`, `data:`, `C:` ... and `//host/x`: never read.
    let scheme = src_t
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains('/'));
    if scheme || src_t.starts_with("//") || src_t.contains('\\') {
        return Err(ImageProblem::NotAFilePath(src.to_string()));
    }
    let rel = PathBuf::from(src_t);
    if src_t.is_empty()
        || !rel
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(ImageProblem::OutsideBank(src.to_string()));
    }
    let ext = rel
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if !ext.is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.as_str())) {
        return Err(ImageProblem::NotAnImage(src.to_string()));
    }
    Ok(rel)
}

/// A text as plain characters, for one-line previews and search: formatting marks gone,
/// images as `[alt]`, blocks on their own lines.
pub fn to_plain(text: &str) -> String {
    if is_plain(text) {
        return text.to_string();
    }
    let mut out = String::new();
    blocks_plain(&parse(text), &mut out);
    out.trim_end().to_string()
}

fn blocks_plain(blocks: &[Block], out: &mut String) {
    for b in blocks {
        match b {
            Block::Paragraph(spans) => spans_plain(spans, out),
            Block::Code(code) => out.push_str(code),
            Block::List { start, items } => {
                for (i, item) in items.iter().enumerate() {
                    match start {
                        Some(n) => out.push_str(&format!("{}. ", n + i as u64)),
                        None => out.push_str("- "),
                    }
                    blocks_plain(item, out);
                    trim_newlines(out);
                    out.push('\n');
                }
            }
            Block::Table(rows) => {
                for row in rows {
                    for (i, cell) in row.iter().enumerate() {
                        if i > 0 {
                            out.push_str(" | ");
                        }
                        spans_plain(cell, out);
                    }
                    out.push('\n');
                }
            }
            Block::Quote(inner) => blocks_plain(inner, out),
            Block::Rule => {}
        }
        trim_newlines(out);
        out.push('\n');
    }
}

fn trim_newlines(out: &mut String) {
    while out.ends_with('\n') {
        out.pop();
    }
}

fn spans_plain(spans: &[Span], out: &mut String) {
    for s in spans {
        match s {
            // In plain text a script keeps a mark (`2^10`, `H_2O`): "210" would be wrong.
            Span::Text(t, style) if style.sup || style.sub => {
                out.push(if style.sup { '^' } else { '_' });
                if t.chars().all(char::is_alphanumeric) || (t.starts_with('(') && t.ends_with(')'))
                {
                    out.push_str(t);
                } else {
                    out.push('(');
                    out.push_str(t);
                    out.push(')');
                }
            }
            Span::Text(t, _) => out.push_str(t),
            Span::LineBreak => out.push('\n'),
            Span::Image { alt, .. } => {
                out.push('[');
                out.push_str(if alt.is_empty() { "image" } else { alt });
                out.push(']');
            }
        }
    }
}

/// A plain text written so the subset shows it literally: the characters that would start
/// formatting get a backslash (only where they would), line breaks stay line breaks.
/// Linear in the text.
pub fn escape(text: &str) -> String {
    // Most runs of imported text are words and spaces: nothing to look at twice.
    if is_plain(text) {
        return text.to_string();
    }
    // Emphasis and scripts need two delimiter runs: a text with one (`2 * 3`, `x*`, `_____`)
    // keeps it as written.
    let chars: Vec<char> = text.chars().collect();
    let acts = delimiter_runs_acting(&chars);
    let paired = |mark: char| {
        let mut runs = 0;
        for i in 0..chars.len() {
            let run_start = i == 0 || chars[i - 1] != mark;
            if chars[i] == mark && run_start && acts[i] {
                runs += 1;
            }
        }
        runs >= 2
    };
    let pairs = Pairs {
        star: paired('*'),
        under: paired('_'),
        caret: paired('^'),
        tilde: paired('~'),
    };
    let mut out = String::with_capacity(text.len() + 8);
    let mut start = 0;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let n = line.chars().count();
        escape_line(
            &chars[start..start + n],
            &chars,
            &acts,
            start,
            pairs,
            &mut out,
        );
        start += n + 1;
    }
    out
}

#[derive(Clone, Copy)]
struct Pairs {
    star: bool,
    under: bool,
    caret: bool,
    tilde: bool,
}

/// For each character: whether it belongs to a run of `*`, `_`, `^` or `~` that could open
/// or close anything (not between spaces; a `_` run not inside a word). One pass.
fn delimiter_runs_acting(chars: &[char]) -> Vec<bool> {
    let mut acts = vec![false; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !matches!(c, '*' | '_' | '^' | '~') {
            i += 1;
            continue;
        }
        let mut end = i;
        while end + 1 < chars.len() && chars[end + 1] == c {
            end += 1;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(end + 1).copied();
        let spaced = |x: Option<char>| x.is_none_or(char::is_whitespace);
        let word = |x: Option<char>| x.is_some_and(char::is_alphanumeric);
        let act = !(spaced(prev) && spaced(next)) && !(c == '_' && word(prev) && word(next));
        acts[i..=end].iter_mut().for_each(|a| *a = act);
        i = end + 1;
    }
    acts
}

fn escape_line(
    line: &[char],
    all: &[char],
    acts: &[bool],
    offset: usize,
    pairs: Pairs,
    out: &mut String,
) {
    let lead = line.iter().take_while(|c| c.is_whitespace()).count();
    out.extend(&line[..lead]);
    let body = &line[lead..];
    // A line that would start a block: `#`, `>`, `-`, `+`, `*`, `=`, `1.`, `1)`.
    let digits = body.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut from = lead;
    if digits > 0 && matches!(body.get(digits), Some('.' | ')')) {
        out.extend(&body[..digits]);
        out.push('\\');
        from = lead + digits;
    } else if body
        .first()
        .is_some_and(|c| matches!(c, '#' | '>' | '-' | '+' | '=' | '*'))
    {
        out.push('\\');
        out.push(body[0]);
        from = lead + 1;
    }
    for (k, &c) in line.iter().enumerate().skip(from) {
        let at = offset + k;
        let next = all.get(at + 1).copied();
        let needs = match c {
            '\\' => next.is_none_or(|n| n.is_ascii_punctuation()),
            '`' | '[' | ']' | '|' => true,
            '*' => pairs.star && acts[at],
            '_' => pairs.under && acts[at],
            '^' => pairs.caret && acts[at],
            '~' => pairs.tilde && acts[at],
            // `&amp;` would be decoded; `a & b` and `&&` would not.
            '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#'),
            // `<b>` is shown as written anyway, but `<http://x>` would lose its brackets.
            // (`<!--` too: a GIFT `[markdown]` text loses its comments on import.)
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || n == '!'),
            '!' => next == Some('['),
            _ => false,
        };
        if needs {
            out.push('\\');
        }
        out.push(c);
    }
}

/// `^sup^` and `~sub~` in a run of text, read from its source (`src`, where `\^` is a
/// literal caret): pieces with their script. A script holds no whitespace and is not empty,
/// so a lone `2^8 = 256` or `~ 5` stays as written. `None` when the run has none, or when the
/// source holds entities (then the decoded text is taken as it is). Linear: a caret that
/// finds no partner before a space or the end means there is no other in that stretch.
fn scripts(src: &str, decoded: &str) -> Option<Vec<(String, bool, bool)>> {
    if !src.contains(['^', '~']) || (src != decoded && src.contains('&')) {
        return None;
    }
    let chars: Vec<char> = src.chars().collect();
    let mut parts: Vec<(String, bool, bool)> = vec![(String::new(), false, false)];
    let mut found = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && chars.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) {
            parts.last_mut().map(|p| p.0.push(chars[i + 1]));
            i += 2;
            continue;
        }
        if c == '^' || c == '~' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != c && !chars[j].is_whitespace() && chars[j] != '\\'
            {
                j += 1;
            }
            if j < chars.len() && chars[j] == c && j > i + 1 {
                let inner: String = chars[i + 1..j].iter().collect();
                parts.push((inner, c == '^', c == '~'));
                parts.push((String::new(), false, false));
                found = true;
                i = j + 1;
                continue;
            }
        }
        parts.last_mut().map(|p| p.0.push(c));
        i += 1;
    }
    found.then(|| parts.into_iter().filter(|p| !p.0.is_empty()).collect())
}

// ---------------------------------------------------------------------------------------------
// Events → blocks

/// What an open container collects into.
enum Frame {
    /// The text itself, a quote or a list item: blocks.
    Blocks(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Table(Vec<Vec<Vec<Span>>>),
    Row(Vec<Vec<Span>>),
    /// A container past [`MAX_DEPTH`]: its content goes to the one below.
    Flattened,
}

#[derive(Default)]
struct Builder {
    frames: Vec<Frame>,
    inline: Vec<Span>,
    bold: u32,
    italic: u32,
    sup: u32,
    sub: u32,
    code_block: Option<String>,
    /// An image being read: its address and alt text so far.
    image: Option<(String, String)>,
    /// The address of an autolink being read (`<https://...>` keeps its brackets).
    autolink: bool,
    depth: usize,
    /// Consecutive text events (pulldown splits text at escapes and unmatched delimiters):
    /// their source range and decoded text, read for `^sup^`/`~sub~` once complete.
    pending: Option<(std::ops::Range<usize>, String, String)>,
}

impl Builder {
    fn pending_text(&mut self, source: &str, text: &str, range: std::ops::Range<usize>) {
        if let Some((r, decoded, src)) = self.pending.as_mut()
            && r.end == range.start
        {
            r.end = range.end;
            decoded.push_str(text);
            src.push_str(source.get(range).unwrap_or(""));
            return;
        }
        self.flush_text();
        let src = source.get(range.clone()).unwrap_or("").to_string();
        self.pending = Some((range, text.to_string(), src));
    }

    fn flush_text(&mut self) {
        let Some((_, decoded, src)) = self.pending.take() else {
            return;
        };
        let style = self.style();
        match scripts(&src, &decoded) {
            Some(parts) => {
                for (part, sup, sub) in parts {
                    self.text(
                        &part,
                        Style {
                            sup: style.sup || sup,
                            sub: style.sub || sub,
                            ..style
                        },
                    );
                }
            }
            None => self.text(&decoded, style),
        }
    }

    fn style(&self) -> Style {
        Style {
            bold: self.bold > 0,
            italic: self.italic > 0,
            code: false,
            sup: self.sup > 0,
            sub: self.sub > 0,
        }
    }

    fn text(&mut self, t: &str, style: Style) {
        if let Some((_, alt)) = self.image.as_mut() {
            alt.push_str(t);
            return;
        }
        if let Some(code) = self.code_block.as_mut() {
            code.push_str(t);
            return;
        }
        // Line breaks inside HTML written as text.
        for (i, part) in t.split('\n').enumerate() {
            if i > 0 {
                self.inline.push(Span::LineBreak);
            }
            if part.is_empty() {
                continue;
            }
            match self.inline.last_mut() {
                Some(Span::Text(prev, s)) if *s == style => prev.push_str(part),
                _ => self.inline.push(Span::Text(part.to_string(), style)),
            }
        }
    }

    /// The blocks list that new blocks go to (the innermost open one that holds blocks).
    fn push_block(&mut self, block: Block) {
        for f in self.frames.iter_mut().rev() {
            match f {
                Frame::Blocks(blocks) => {
                    blocks.push(block);
                    return;
                }
                Frame::Flattened => continue,
                // A block straight inside a list or table (not in an item or cell) cannot
                // happen in pulldown's events; drop it rather than misplace it.
                _ => return,
            }
        }
    }

    fn flush_inline(&mut self) {
        while matches!(self.inline.last(), Some(Span::LineBreak)) {
            self.inline.pop();
        }
        if !self.inline.is_empty() {
            let spans = std::mem::take(&mut self.inline);
            self.push_block(Block::Paragraph(spans));
        }
    }

    fn open(&mut self, frame: Frame) {
        self.flush_inline();
        if self.depth >= MAX_DEPTH && !matches!(frame, Frame::Row(_) | Frame::Table(_)) {
            self.frames.push(Frame::Flattened);
        } else {
            self.depth += 1;
            self.frames.push(frame);
        }
    }

    fn close(&mut self) -> Option<Frame> {
        self.flush_inline();
        let f = self.frames.pop()?;
        if matches!(f, Frame::Flattened) {
            return None;
        }
        self.depth = self.depth.saturating_sub(1);
        Some(f)
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t, self.style()),
            Event::Code(t) => {
                let style = Style {
                    code: true,
                    ..self.style()
                };
                self.text(&t, style);
            }
            Event::InlineHtml(t)
            | Event::Html(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t) => self.text(&t, self.style()),
            Event::FootnoteReference(t) => self.text(&format!("[^{t}]"), self.style()),
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, alt)) = self.image.as_mut() {
                    alt.push(' ');
                } else {
                    self.inline.push(Span::LineBreak);
                }
            }
            Event::Rule => {
                self.flush_inline();
                self.push_block(Block::Rule);
            }
            Event::TaskListMarker(done) => {
                self.text(if done { "[x] " } else { "[ ] " }, self.style())
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph | Tag::HtmlBlock | Tag::MetadataBlock(_) => self.flush_inline(),
            Tag::Heading { .. } => {
                self.flush_inline();
                self.bold += 1;
            }
            Tag::BlockQuote(_) => self.open(Frame::Blocks(Vec::new())),
            Tag::CodeBlock(_) => {
                self.flush_inline();
                self.code_block = Some(String::new());
            }
            Tag::List(start) => self.open(Frame::List {
                start,
                items: Vec::new(),
            }),
            Tag::Item => self.open(Frame::Blocks(Vec::new())),
            Tag::Table(_) => self.open(Frame::Table(Vec::new())),
            Tag::TableHead | Tag::TableRow => self.open(Frame::Row(Vec::new())),
            Tag::TableCell => self.inline.clear(),
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => self.bold += 1,
            Tag::Superscript => self.sup += 1,
            Tag::Subscript => self.sub += 1,
            Tag::Strikethrough => {}
            Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            } => {
                self.autolink = true;
                self.text("<", self.style());
            }
            Tag::Link { .. } => {}
            Tag::Image { dest_url, .. } => self.image = Some((dest_url.to_string(), String::new())),
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => self.flush_inline(),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_) => self.flush_inline(),
            TagEnd::Heading(_) => {
                self.flush_inline();
                self.bold = self.bold.saturating_sub(1);
            }
            TagEnd::CodeBlock => {
                if let Some(mut code) = self.code_block.take() {
                    if code.ends_with('\n') {
                        code.pop();
                    }
                    self.push_block(Block::Code(code));
                }
            }
            TagEnd::BlockQuote(_) => {
                if let Some(Frame::Blocks(blocks)) = self.close() {
                    self.push_block(Block::Quote(blocks));
                }
            }
            TagEnd::Item => {
                if let Some(Frame::Blocks(blocks)) = self.close()
                    && let Some(Frame::List { items, .. }) = self
                        .frames
                        .iter_mut()
                        .rev()
                        .find(|f| !matches!(f, Frame::Flattened))
                {
                    items.push(blocks);
                }
            }
            TagEnd::List(_) => {
                if let Some(Frame::List { start, items }) = self.close() {
                    self.push_block(Block::List { start, items });
                }
            }
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.inline);
                if let Some(Frame::Row(cells)) = self.frames.last_mut() {
                    cells.push(cell);
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some(Frame::Row(cells)) = self.close()
                    && let Some(Frame::Table(rows)) = self.frames.last_mut()
                {
                    rows.push(cells);
                }
            }
            TagEnd::Table => {
                if let Some(Frame::Table(rows)) = self.close() {
                    self.push_block(Block::Table(rows));
                }
            }
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Superscript => self.sup = self.sup.saturating_sub(1),
            TagEnd::Subscript => self.sub = self.sub.saturating_sub(1),
            TagEnd::Link => {
                if std::mem::take(&mut self.autolink) {
                    self.text(">", self.style());
                }
            }
            TagEnd::Image => {
                if let Some((src, alt)) = self.image.take() {
                    self.inline.push(Span::Image { alt, src });
                }
            }
            _ => self.flush_inline(),
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush_inline();
        let mut root = Vec::new();
        // Unclosed frames cannot come out of pulldown; whatever is left is kept in order.
        for f in self.frames.drain(..) {
            if let Frame::Blocks(blocks) = f {
                root.extend(blocks);
            }
        }
        root
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Span {
        Span::Text(t.into(), Style::default())
    }

    fn styled(t: &str, f: impl FnOnce(&mut Style)) -> Span {
        let mut s = Style::default();
        f(&mut s);
        Span::Text(t.into(), s)
    }

    #[test]
    fn every_line_break_is_kept() {
        assert_eq!(
            parse("one\ntwo\n\nthree"),
            vec![
                Block::Paragraph(vec![text("one"), Span::LineBreak, text("two")]),
                Block::Paragraph(vec![text("three")]),
            ]
        );
    }

    #[test]
    fn inline_styles() {
        assert_eq!(
            parse("**b** *i* `c` 2^10^ H~2~O"),
            vec![Block::Paragraph(vec![
                styled("b", |s| s.bold = true),
                text(" "),
                styled("i", |s| s.italic = true),
                text(" "),
                styled("c", |s| s.code = true),
                text(" 2"),
                styled("10", |s| s.sup = true),
                text(" H"),
                styled("2", |s| s.sub = true),
                text("O"),
            ])]
        );
    }

    #[test]
    fn code_block_lists_table_image() {
        let t = "```\na\n  b\n```\n\n- x\n- y\n\n3. p\n4. q\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n![net](images/n.png)";
        let blocks = parse(t);
        assert_eq!(blocks[0], Block::Code("a\n  b".into()));
        assert_eq!(
            blocks[1],
            Block::List {
                start: None,
                items: vec![
                    vec![Block::Paragraph(vec![text("x")])],
                    vec![Block::Paragraph(vec![text("y")])]
                ]
            }
        );
        assert!(matches!(&blocks[2], Block::List { start: Some(3), items } if items.len() == 2));
        assert_eq!(
            blocks[3],
            Block::Table(vec![
                vec![vec![text("A")], vec![text("B")]],
                vec![vec![text("1")], vec![text("2")]]
            ])
        );
        assert_eq!(
            blocks[4],
            Block::Paragraph(vec![Span::Image {
                alt: "net".into(),
                src: "images/n.png".into()
            }])
        );
    }

    #[test]
    fn plain_previews_keep_scripts_marked() {
        assert_eq!(
            to_plain("2^10^ and H~2~O, 2^(n-1)^"),
            "2^10 and H_2O, 2^(n-1)"
        );
    }

    #[test]
    fn html_is_shown_as_written() {
        assert_eq!(
            to_plain("<script>alert(1)</script> and <b>x</b>"),
            "<script>alert(1)</script> and <b>x</b>"
        );
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let deep = ">".repeat(10_000) + " x";
        let blocks = parse(&deep);
        fn depth(b: &[Block]) -> usize {
            b.iter()
                .map(|b| match b {
                    Block::Quote(inner) => 1 + depth(inner),
                    Block::List { items, .. } => {
                        1 + items.iter().map(|i| depth(i)).max().unwrap_or(0)
                    }
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        }
        assert!(depth(&blocks) <= MAX_DEPTH);
        assert_eq!(to_plain(&deep), "x");
    }

    #[test]
    fn escape_makes_any_text_literal() {
        for t in [
            "2 * 3 * 4",
            "2*3*4 and x_1_",
            "a ^b^ and ~c~",
            "* star line",
            "1. not a list",
            "- not a bullet",
            "# not a heading",
            "a_b _c_ [x](y) ![i](j.png)",
            "x^2^ and y~1~ `tick`",
            "&amp; &eacute; a & b",
            "<http://example.org> <b>",
            "C:\\path\\* \\",
            "| a | b |\n|---|---|",
            "> quote\n===",
        ] {
            assert_eq!(to_plain(&escape(t)), t, "{t}");
        }
        assert_eq!(
            escape("snake_case and a < b && c, 2*3 ~ 6 x^2 _____."),
            "snake_case and a < b && c, 2*3 ~ 6 x^2 _____."
        );
    }

    #[test]
    fn shipped_banks_are_plain_text() {
        // Every text of the shipped banks reads as itself: plain banks show as before.
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("question-banks");
        let mut checked = 0;
        for entry in std::fs::read_dir(&root).unwrap() {
            let dir = entry.unwrap().path();
            let bank = crate::bank::load_bank(&dir).unwrap();
            let mut texts: Vec<&str> = bank.scenarios.values().map(|s| s.text.as_str()).collect();
            for q in &bank.questions {
                texts.push(&q.stem);
                texts.extend(q.explanation.as_deref());
                for o in &q.options {
                    texts.push(&o.text);
                    texts.extend(o.explanation.as_deref());
                }
            }
            for t in texts {
                let mut expected = Vec::new();
                for (i, line) in t.split('\n').enumerate() {
                    if i > 0 {
                        expected.push(Span::LineBreak);
                    }
                    expected.push(text(line));
                }
                assert_eq!(parse(t), vec![Block::Paragraph(expected)], "{t}");
                checked += 1;
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn image_paths_must_stay_in_the_bank() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("bank");
        std::fs::create_dir_all(root.join("images")).unwrap();
        std::fs::write(root.join("images/a.png"), b"png").unwrap();
        std::fs::write(dir.path().join("secret.png"), b"png").unwrap();
        assert!(resolve_image(&root, "images/a.png").is_ok());
        assert!(resolve_image(&root, "./images/a.png").is_ok());
        for (src, want) in [
            (
                "../secret.png",
                ImageProblem::OutsideBank("../secret.png".into()),
            ),
            (
                "images/../../secret.png",
                ImageProblem::OutsideBank("images/../../secret.png".into()),
            ),
            ("/etc/x.png", ImageProblem::OutsideBank("/etc/x.png".into())),
            (
                "http://example.org/x.png",
                ImageProblem::NotAFilePath("http://example.org/x.png".into()),
            ),
            (
                "file:///x.png",
                ImageProblem::NotAFilePath("file:///x.png".into()),
            ),
            ("images/b.png", ImageProblem::Missing("images/b.png".into())),
            ("images", ImageProblem::NotAnImage("images".into())),
            (
                "images\\a.png",
                ImageProblem::NotAFilePath("images\\a.png".into()),
            ),
        ] {
            assert_eq!(resolve_image(&root, src), Err(want), "{src}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.png"), root.join("images/link.png"))
                .unwrap();
            assert_eq!(
                resolve_image(&root, "images/link.png"),
                Err(ImageProblem::OutsideBank("images/link.png".into()))
            );
        }
    }

    #[test]
    fn drop_images_keeps_alt_text() {
        let (t, refs) = drop_images("See ![the map](@@PLUGINFILE@@/m.png) and ![](x.png).");
        assert_eq!(to_plain(&t), "See [image: the map] and [image].");
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[0].src, "@@PLUGINFILE@@/m.png");
    }
}
