//! Moodle XML: import a question bank Moodle exported, and export a bank for Moodle.
//!
//! Follows Moodle's documented format ("Moodle XML format" in Moodle Docs):
//!
//! - The root is `<quiz>`; each item is a `<question type="...">`.
//! - `type="category"` sets the category of the questions after it, from
//!   `<category><text>$course$/top/Bank/Area</text></category>`. As with GIFT's `$CATEGORY`
//!   (and through the same code), the last path segment is the skill area, `//` a literal `/`.
//! - `type="multichoice"`: `<single>true</single>` (the default) needs one answer with
//!   `fraction="100"`; a partial positive fraction is noted and counts as wrong.
//!   `<single>false</single>`: every answer with a positive fraction is correct, so two or
//!   more make a "choose N" question. `type="truefalse"`: the answers `true` and `false`, the
//!   one with fraction 100 is right.
//! - `<name>` gives the id (slugified) unless `<idnumber>` is set; `<questiontext>`,
//!   `<answer>`, `<feedback>` and `<generalfeedback>` carry `format="html"`,
//!   `"moodle_auto_format"`, `"markdown"` or `"plain_text"` and are turned into certprep's
//!   text by the same rendering as GIFT's `[html]`, `[moodle]`, `[markdown]`, `[plain]`.
//!   `<generalfeedback>` is the question's explanation, an answer's `<feedback>` the option's.
//!   `<tags><tag><text>` are tags. Moodle's `<shuffleanswers>` off is noted: certprep
//!   shuffles options in every exam.
//! - Images: `<file name="x.png" encoding="base64">` inside a text's element, referred to as
//!   `@@PLUGINFILE@@/x.png`. Each is decoded (at most [`MAX_IMAGE_BYTES`]), given a safe file
//!   name and written to `images/` in the new bank; the reference becomes `images/x.png`
//!   before the text is converted. A file that is too big, not base64 or not a picture is
//!   left out with a note on its question.
//!
//! Other types (short answer, essay, matching, numerical, cloze, description, ...) are skipped
//! with their line and their type named.
//!
//! The file is untrusted: it is read by `quick-xml`, a pull parser that never reads a DTD or
//! expands an entity it was not told about; a `<!DOCTYPE` is refused outright (Moodle writes
//! none), so "billion laughs" and external entities never start. Only the five XML entities
//! and character references are decoded. Reading is one pass, linear in the file's size, and
//! the file is capped at [`MAX_XML_BYTES`].
//!
//! certprep-only details (area ids and weights, difficulty, reference, scenarios, exact ids,
//! exam defaults) travel in `<!-- certprep ... -->` comments, which Moodle ignores: the same
//! hints the GIFT export writes, so bank → Moodle XML → bank is lossless.

use super::gift::{
    Areas, BANK_HINT, BankHint, DOMAIN_HINT, Format, Parts, QUESTION_HINT, QuestionHint,
    SCENARIO_HINT, assemble, attach_scenario, category_escape, hint_of, hinted_id, merged_tags,
    none_if_empty, percent,
};
use super::{
    IMAGE_EXTENSIONS, IMAGES_DIR, Import, ImportOptions, ImportedImage, Skipped, UniqueIds,
    option_id, question_problem, slugify,
};
use crate::bank::{AnswerOption, Bank, Domain, Question, QuestionType, Scenario};
use quick_xml::events::{BytesStart, Event};
use std::collections::{BTreeMap, HashMap};

/// Largest Moodle XML file read. Larger than a bank file's limit because Moodle embeds
/// images as base64 inside the XML.
pub const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;
/// Largest image kept, decoded.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;
/// Deepest element nesting accepted (Moodle's files are about 6 deep).
const MAX_DEPTH: usize = 32;
/// How Moodle refers to a file embedded in the same text.
const PLUGINFILE: &str = "@@PLUGINFILE@@/";

/// Why a file cannot be read as Moodle XML at all (nothing is imported).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoodleXmlError {
    #[error("line {line}: not well-formed XML: {message}")]
    Syntax { line: usize, message: String },
    #[error(
        "line {line}: the file has a <!DOCTYPE> (a DTD); Moodle XML has none, and certprep \
         never reads DTDs or expands their entities, so the file is refused"
    )]
    Doctype { line: usize },
    #[error(
        "line {line}: unknown entity &{name}; (XML without a DTD knows only &lt; &gt; &amp; \
         &quot; &apos; and &#...; references)"
    )]
    UnknownEntity { line: usize, name: String },
    #[error("the root element is <{root}>, not <quiz>: this is not a Moodle XML question file")]
    WrongRoot { root: String },
    #[error("no XML element in the file: it is empty, not a Moodle XML question file")]
    Empty,
    #[error(
        "the file ends inside <{element}> (opened on line {line}): it looks cut short; \
         export it from Moodle again"
    )]
    Truncated { element: String, line: usize },
    #[error("line {line}: elements nested more than {MAX_DEPTH} deep")]
    TooDeep { line: usize },
    #[error("line {line}: more after </quiz>")]
    AfterRoot { line: usize },
}

// ---------------------------------------------------------------------------------------------
// Reading the XML into small trees, one question at a time

/// One element of a question: its text (character data, CDATA and references directly
/// inside it), child elements and comments.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    line: usize,
    text: String,
    children: Vec<Element>,
    comments: Vec<String>,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The `<text>` inside the child `name` (Moodle's `<name><text>...</text></name>`).
    fn text_of(&self, name: &str) -> Option<&str> {
        Some(self.child(name)?.child("text")?.text.as_str())
    }

    /// The trimmed text of the child `name` (`<single>true</single>`).
    fn value_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }
}

/// What the reader hands on: a comment directly inside `<quiz>`, or a whole `<question>`.
enum Item {
    QuizComment(String),
    Question(Element),
}

/// Line numbers of byte offsets that only grow: counts newlines once, so linear overall.
struct Lines<'a> {
    text: &'a [u8],
    pos: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, offset: u64) -> usize {
        let offset = (offset as usize).min(self.text.len());
        if offset > self.pos {
            self.line += newlines(&self.text[self.pos..offset]);
            self.pos = offset;
        }
        self.line
    }
}

fn newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

fn syntax(line: usize, message: impl ToString) -> MoodleXmlError {
    MoodleXmlError::Syntax {
        line,
        message: message.to_string(),
    }
}

fn start_element(e: &BytesStart<'_>, line: usize) -> Result<Element, MoodleXmlError> {
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| syntax(line, err))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| syntax(line, err))?
            .into_owned();
        attrs.push((key, value));
    }
    Ok(Element {
        name,
        attrs,
        line,
        ..Element::default()
    })
}

/// `&lt;` and the other four, or a character reference.
fn resolve_reference(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix('x') {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|&c| c != '\0');
    }
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

/// Read the document, handing each `<question>` (as a tree) and each comment inside
/// `<quiz>` to `each` as soon as it is complete. Errors stop the reading: the file is not
/// Moodle XML, or is broken.
fn read_items(xml: &str, mut each: impl FnMut(Item)) -> Result<(), MoodleXmlError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut lines = Lines {
        text: xml.as_bytes(),
        pos: 0,
        line: 1,
    };
    let mut stack: Vec<Element> = Vec::new();
    let mut root_done = false;
    let mut root_seen = false;
    loop {
        let at = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(err) => {
                let line = lines.at(reader.error_position());
                return Err(syntax(line, err));
            }
        };
        let line = lines.at(at);
        match event {
            Event::Decl(_) | Event::PI(_) => {}
            Event::DocType(_) => return Err(MoodleXmlError::Doctype { line }),
            Event::Start(_) | Event::Empty(_) if root_done => {
                return Err(MoodleXmlError::AfterRoot { line });
            }
            Event::Start(e) => {
                let el = start_element(&e, line)?;
                if stack.is_empty() {
                    if el.name != "quiz" {
                        return Err(MoodleXmlError::WrongRoot { root: el.name });
                    }
                    root_seen = true;
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(MoodleXmlError::TooDeep { line });
                }
                stack.push(el);
            }
            Event::Empty(e) => {
                let el = start_element(&e, line)?;
                if stack.is_empty() {
                    if el.name != "quiz" {
                        return Err(MoodleXmlError::WrongRoot { root: el.name });
                    }
                    root_seen = true;
                    root_done = true;
                    continue;
                }
                close(el, &mut stack, &mut each);
            }
            Event::End(_) => {
                if let Some(el) = stack.pop() {
                    if stack.is_empty() {
                        root_done = true;
                    } else {
                        close(el, &mut stack, &mut each);
                    }
                }
            }
            Event::Text(t) => {
                let text = t.xml10_content().map_err(|err| syntax(line, err))?;
                // Only a question's own elements keep text (whitespace between questions,
                // and text in <quiz> itself, mean nothing in Moodle XML).
                let depth = stack.len();
                if depth > 1
                    && let Some(top) = stack.last_mut()
                {
                    top.text.push_str(&text);
                } else if depth == 0 && !root_seen && !text.trim().is_empty() {
                    return Err(syntax(line, "text before the first element"));
                }
            }
            Event::CData(c) => {
                let text = c.xml10_content().map_err(|err| syntax(line, err))?;
                if stack.len() > 1
                    && let Some(top) = stack.last_mut()
                {
                    top.text.push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|err| syntax(line, err))?;
                let Some(c) = resolve_reference(&name) else {
                    return Err(MoodleXmlError::UnknownEntity {
                        line,
                        name: name.chars().take(40).collect(),
                    });
                };
                if stack.len() > 1
                    && let Some(top) = stack.last_mut()
                {
                    top.text.push(c);
                }
            }
            Event::Comment(c) => {
                let text = c.decode().map_err(|err| syntax(line, err))?.into_owned();
                match stack.len() {
                    0 => {}
                    1 => each(Item::QuizComment(text)),
                    _ => {
                        if let Some(top) = stack.last_mut() {
                            top.comments.push(text);
                        }
                    }
                }
            }
            Event::Eof => {
                if let Some(open) = stack.pop() {
                    // The innermost open element says where the file stopped.
                    return Err(MoodleXmlError::Truncated {
                        element: open.name,
                        line: open.line,
                    });
                }
                return if root_seen {
                    Ok(())
                } else {
                    Err(MoodleXmlError::Empty)
                };
            }
        }
    }
}

/// A finished element goes into its parent, or (a question directly in `<quiz>`) to `each`.
fn close(el: Element, stack: &mut [Element], each: &mut impl FnMut(Item)) {
    match stack.len() {
        0 => {}
        1 => {
            if el.name == "question" {
                each(Item::Question(el));
            }
        }
        _ => {
            if let Some(parent) = stack.last_mut() {
                parent.children.push(el);
            }
        }
    }
}

/// Whether a text is a Moodle XML file: its first element (after the declaration, comments
/// and whitespace) is `<quiz`. Used to tell files apart whatever their extension.
pub fn looks_like_moodle_xml(text: &str) -> bool {
    let mut rest = text.strip_prefix('\u{feff}').unwrap_or(text).trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            match after.find("?>") {
                Some(end) => rest = after[end + 2..].trim_start(),
                None => return false,
            }
        } else if let Some(after) = rest.strip_prefix("<!--") {
            match after.find("-->") {
                Some(end) => rest = after[end + 3..].trim_start(),
                None => return false,
            }
        } else {
            return rest
                .strip_prefix("<quiz")
                .is_some_and(|r| r.starts_with(['>', '/', ' ', '\t', '\r', '\n']));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Images

/// Strict base64 (the standard alphabet, `=` padding); whitespace is skipped, as Moodle
/// wraps nothing but other tools do. A 30-line decoder rather than a new dependency.
fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    fn value(b: u8) -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits, mut padding) = (0u32, 0u32, 0usize);
    for (i, b) in text.bytes().enumerate() {
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            b'=' => padding += 1,
            _ if padding > 0 => return Err(format!("data after the '=' padding (byte {i})")),
            _ => {
                let v = value(b).ok_or_else(|| {
                    format!("'{}' (byte {i}) is not a base64 character", char::from(b))
                })?;
                acc = (acc << 6) | v;
                bits += 6;
                if bits >= 8 {
                    bits -= 8;
                    out.push((acc >> bits) as u8);
                    acc &= (1 << bits) - 1;
                }
            }
        }
    }
    // Groups of four symbols; what is left over must be the zero bits of a final group
    // padded with one `=` (2 bits left) or two (4 bits left).
    let symbols = out.len() * 8 / 6 + usize::from(bits > 0) + padding;
    let padded_right = matches!((padding, bits), (0, 0) | (1, 2) | (2, 4));
    if symbols % 4 != 0 || !padded_right || acc != 0 {
        return Err("it stops part-way through a group of four characters".into());
    }
    Ok(out)
}

/// A safe file name for an image named `name` in the source: the last path segment, letters,
/// digits, `-` and `_` kept (anything else becomes `-`), the extension lowercased; `Err` when
/// the extension is not a picture certprep keeps.
fn safe_image_name(name: &str) -> Result<String, String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, ext) = base.rsplit_once('.').unwrap_or((base, ""));
    let ext = ext.to_ascii_lowercase();
    if !IMAGE_EXTENSIONS.contains(&ext.as_str()) {
        return Err(format!(
            "is not a picture certprep keeps ({})",
            IMAGE_EXTENSIONS.join(", ")
        ));
    }
    let mut safe = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            safe.push(c);
        } else if !safe.ends_with('-') {
            safe.push('-');
        }
        if safe.len() >= 60 {
            break;
        }
    }
    let safe = safe.trim_matches('-');
    let safe = if safe.is_empty() { "image" } else { safe };
    Ok(format!("{safe}.{ext}"))
}

/// `my%20pic.png` → `my pic.png` (Moodle writes file references URL-encoded).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The images of one import: each stored once under a unique safe name.
#[derive(Default)]
struct ImageStore {
    images: Vec<ImportedImage>,
    by_name: HashMap<String, usize>,
    names: UniqueIds,
}

impl ImageStore {
    /// Keep the image `name` with base64 `data`; its stored name, or why it was left out.
    fn keep(&mut self, name: &str, encoding: Option<&str>, data: &str) -> Result<String, String> {
        if encoding.is_some_and(|e| !e.eq_ignore_ascii_case("base64")) {
            return Err(format!(
                "is encoded as \"{}\", not base64",
                encoding.unwrap_or_default()
            ));
        }
        let safe = safe_image_name(name)?;
        // Checked before decoding: a huge image is never decoded.
        let decoded_len = data.len() / 4 * 3;
        if decoded_len > MAX_IMAGE_BYTES + 3 {
            return Err(format!(
                "is about {} KB, more than the {} KB an image may take",
                decoded_len / 1024,
                MAX_IMAGE_BYTES / 1024
            ));
        }
        let bytes = decode_base64(data).map_err(|e| format!("is not valid base64: {e}"))?;
        if bytes.is_empty() {
            return Err("is empty".into());
        }
        if bytes.len() > MAX_IMAGE_BYTES {
            return Err(format!(
                "is {} KB, more than the {} KB an image may take",
                bytes.len() / 1024,
                MAX_IMAGE_BYTES / 1024
            ));
        }
        // The same picture under the same name (a logo in every question) is stored once.
        if let Some(&i) = self.by_name.get(&safe)
            && self.images[i].bytes == bytes
        {
            return Ok(self.images[i].name.clone());
        }
        let (stem, ext) = safe.rsplit_once('.').unwrap_or((&safe, "png"));
        let mut stored = self.names.take(stem);
        stored.push('.');
        stored.push_str(ext);
        self.by_name.entry(safe).or_insert(self.images.len());
        self.images.push(ImportedImage {
            name: stored.clone(),
            bytes,
        });
        Ok(stored)
    }
}

/// A question's images: the name its texts use → the stored name, and the stored names its
/// texts refer to (only those are written).
#[derive(Default)]
struct QuestionImages {
    by_name: HashMap<String, String>,
    referenced: std::collections::HashSet<String>,
}

/// Every `<file>` of a question (in its text, answers and feedback), keyed by the name the
/// texts use, mapped to the stored name; files left out become notes.
fn question_images(q: &Element, store: &mut ImageStore, notes: &mut Vec<String>) -> QuestionImages {
    let mut map = HashMap::new();
    let mut visit = |file: &Element, map: &mut HashMap<String, String>| {
        let name = file.attr("name").unwrap_or("").to_string();
        if map.contains_key(&name) {
            return;
        }
        match store.keep(&name, file.attr("encoding"), &file.text) {
            Ok(stored) => {
                map.insert(name, stored);
            }
            Err(why) => notes.push(format!("image \"{}\" {why}; it is left out", short(&name))),
        }
    };
    // Files sit in a text's element: questiontext, generalfeedback, answer, feedback, ...
    for field in &q.children {
        for f in field.children("file") {
            visit(f, &mut map);
        }
        for inner in &field.children {
            for f in inner.children("file") {
                visit(f, &mut map);
            }
        }
    }
    QuestionImages {
        by_name: map,
        referenced: Default::default(),
    }
}

/// `@@PLUGINFILE@@/x.png` → `images/x.png` for every image the question kept; a reference to
/// an image the file does not hold is noted and left as it is.
fn rewrite_references(text: &str, images: &mut QuestionImages, notes: &mut Vec<String>) -> String {
    if !text.contains(PLUGINFILE) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(PLUGINFILE) {
        out.push_str(&rest[..at]);
        let after = &rest[at + PLUGINFILE.len()..];
        let end = after
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')' | '?' | '#')
            })
            .unwrap_or(after.len());
        let written = &after[..end];
        let name = percent_decode(written);
        match images
            .by_name
            .get(&name)
            .or_else(|| images.by_name.get(written))
        {
            Some(stored) => {
                out.push_str(IMAGES_DIR);
                out.push('/');
                out.push_str(stored);
                images.referenced.insert(stored.clone());
            }
            None => {
                let note = format!(
                    "the text shows image \"{}\", which is not kept",
                    short(&name)
                );
                if !notes.contains(&note) {
                    notes.push(note);
                }
                out.push_str(&rest[at..at + PLUGINFILE.len() + end]);
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// A name or value as quoted in a reason: at most 60 characters.
fn short(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Texts

/// Moodle's format names (`<questiontext format="...">`) as the formats GIFT has.
fn format_of(name: Option<&str>, default: Format) -> Format {
    match name.map(|n| n.trim().to_ascii_lowercase()).as_deref() {
        Some("html") => Format::Html,
        Some("plain_text") => Format::Plain,
        Some("markdown") => Format::Markdown,
        Some("moodle_auto_format") => Format::Moodle,
        _ => default,
    }
}

/// The one place a Moodle text becomes certprep's text (HTML conversion and all): GIFT's
/// rendering of the same four formats.
fn converted(format: Format, text: String) -> String {
    super::gift::render(format, text).trim().to_string()
}

/// The text of a field such as `<questiontext format="html"><text>...</text>`, images
/// rewritten, converted; `default` is the format when the field names none.
fn field_text(
    field: &Element,
    default: Format,
    images: &mut QuestionImages,
    notes: &mut Vec<String>,
) -> (String, Format) {
    let format = format_of(field.attr("format"), default);
    let raw = field.child("text").map_or("", |t| t.text.as_str());
    let text = rewrite_references(raw, images, notes);
    (
        without_unkept_images(converted(format, text), notes),
        format,
    )
}

/// The text with every image that is not one of the files kept (`images/<name>`, PNG or
/// JPEG) shown as its alt text: a reference to a file the import does not write would fail
/// the bank's validation, and a web address is never fetched.
fn without_unkept_images(text: String, notes: &mut Vec<String>) -> String {
    if !text.contains("![") {
        return text;
    }
    let kept = |r: &crate::markup::ImageRef| {
        r.src.starts_with(&format!("{IMAGES_DIR}/"))
            && crate::markup::image_path_shape(&r.src).is_ok()
    };
    let (text, dropped) = crate::markup::drop_images_unless(&text, kept);
    for r in dropped {
        let name = r.src.strip_prefix(PLUGINFILE).unwrap_or(&r.src);
        let note = format!(
            "image \"{}\" not included: only PNG and JPEG files embedded in the file are kept; \
             its alt text is shown instead",
            short(name)
        );
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
    text
}

// ---------------------------------------------------------------------------------------------
// Questions

/// A question as read, before its id and area.
struct Parsed {
    title: Option<String>,
    idnumber: Option<String>,
    stem: String,
    kind: QuestionType,
    options: Vec<AnswerOption>,
    explanation: Option<String>,
    tags: Vec<String>,
    notes: Vec<String>,
}

/// Moodle's type names, for the reason a question is skipped.
fn unsupported_reason(kind: &str) -> String {
    let what = match kind {
        "shortanswer" => "short answer",
        "essay" => "essay",
        "matching" => "matching",
        "numerical" => "numerical",
        "cloze" | "multianswer" => "cloze (embedded answers)",
        "description" => "description (text only, no answers)",
        "calculated" | "calculatedsimple" | "calculatedmulti" => "calculated",
        "ddwtos" => "drag and drop into text",
        "ddimageortext" => "drag and drop onto image",
        "ddmarker" => "drag and drop markers",
        "gapselect" => "select missing words",
        "randomsamatch" => "random short-answer matching",
        "ordering" => "ordering",
        "random" => "random (a placeholder for a question drawn at quiz time)",
        _ => "",
    };
    let named = if what.is_empty() || what == kind {
        format!("question type \"{}\"", short(kind))
    } else {
        format!("question type \"{}\" ({what})", short(kind))
    };
    format!("{named}: not supported; certprep imports multichoice and truefalse questions")
}

fn parse_fraction(answer: &Element, index: usize) -> Result<f64, String> {
    let Some(raw) = answer.attr("fraction") else {
        return Ok(0.0);
    };
    raw.trim()
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .ok_or_else(|| {
            format!(
                "answer {} has fraction \"{}\", not a number",
                index + 1,
                short(raw)
            )
        })
}

/// Whether a Moodle yes/no element is on (`true`, `1`); `default` when absent.
fn flag(q: &Element, name: &str, default: bool) -> bool {
    match q.value_of(name).map(str::to_ascii_lowercase).as_deref() {
        Some("true" | "1" | "yes") => true,
        Some("false" | "0" | "no") => false,
        _ => default,
    }
}

/// One answer: its text, its feedback, its fraction.
struct Answer {
    text: String,
    feedback: Option<String>,
    fraction: f64,
}

fn answers(
    q: &Element,
    default: Format,
    images: &mut QuestionImages,
    notes: &mut Vec<String>,
) -> Result<Vec<Answer>, String> {
    let mut out = Vec::new();
    for (i, a) in q.children("answer").enumerate() {
        let fraction = parse_fraction(a, i)?;
        let (text, format) = field_text(a, default, images, notes);
        let feedback = a
            .child("feedback")
            .map(|f| field_text(f, format, images, notes).0)
            .and_then(none_if_empty);
        out.push(Answer {
            text,
            feedback,
            fraction,
        });
    }
    Ok(out)
}

fn parse_question(
    q: &Element,
    kind: &str,
    images: &mut QuestionImages,
    mut notes: Vec<String>,
) -> Result<Parsed, String> {
    let title = q.text_of("name").map(|t| t.trim().to_string());
    let idnumber = q.value_of("idnumber").map(str::to_string);
    let (stem, format) = match q.child("questiontext") {
        Some(f) => field_text(f, Format::Moodle, images, &mut notes),
        None => return Err("no <questiontext>".into()),
    };
    let explanation = q
        .child("generalfeedback")
        .map(|f| field_text(f, format, images, &mut notes).0)
        .and_then(none_if_empty);
    let tags = q
        .child("tags")
        .map(|t| {
            t.children("tag")
                .filter_map(|tag| tag.child("text").map(|x| x.text.trim().to_string()))
                .filter(|t| !t.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let answers = answers(q, Format::Moodle, images, &mut notes)?;
    let (kind, options) = match kind {
        "truefalse" => true_false(&answers)?,
        _ => multiple_choice(q, answers, &mut notes)?,
    };
    Ok(Parsed {
        title,
        idnumber,
        stem,
        kind,
        options,
        explanation,
        tags,
        notes,
    })
}

fn true_false(answers: &[Answer]) -> Result<(QuestionType, Vec<AnswerOption>), String> {
    let find = |word: &str| {
        answers
            .iter()
            .find(|a| a.text.trim().eq_ignore_ascii_case(word))
    };
    let (Some(t), Some(f)) = (find("true"), find("false")) else {
        return Err("true/false question without its two answers \"true\" and \"false\"".into());
    };
    let truth = match (t.fraction > 0.0, f.fraction > 0.0) {
        (true, false) => true,
        (false, true) => false,
        _ => {
            return Err(
                "true/false question needs exactly one of \"true\" and \"false\" with \
                 fraction 100"
                    .into(),
            );
        }
    };
    let option = |id: &str, text: &str, correct: bool, a: &Answer| AnswerOption {
        id: id.into(),
        text: text.into(),
        correct,
        explanation: a.feedback.clone(),
    };
    Ok((
        QuestionType::TrueFalse,
        vec![
            option("a", "True", truth, t),
            option("b", "False", !truth, f),
        ],
    ))
}

fn multiple_choice(
    q: &Element,
    answers: Vec<Answer>,
    notes: &mut Vec<String>,
) -> Result<(QuestionType, Vec<AnswerOption>), String> {
    let single = flag(q, "single", true);
    if !flag(q, "shuffleanswers", true) {
        notes.push(
            "Moodle keeps this question's answers in order (shuffleanswers off); certprep \
             shuffles them in every exam"
                .into(),
        );
    }
    let mut options = Vec::new();
    for (i, a) in answers.into_iter().enumerate() {
        if a.text.is_empty() {
            // Moodle drops an answer with no text when it saves the question.
            if a.fraction != 0.0 || a.feedback.is_some() {
                notes.push(format!(
                    "answer {} has no text; it is left out, as Moodle does",
                    i + 1
                ));
            }
            continue;
        }
        let correct = if single {
            if a.fraction > 0.0 && a.fraction < 100.0 - 1e-6 {
                notes.push(format!(
                    "partial credit ({}%) for answer {} is not kept; it counts as wrong",
                    percent(a.fraction),
                    i + 1
                ));
            }
            a.fraction >= 100.0 - 1e-6
        } else {
            a.fraction > 0.0
        };
        options.push(AnswerOption {
            id: option_id(options.len()),
            text: a.text,
            correct,
            explanation: a.feedback,
        });
    }
    let correct = options.iter().filter(|o| o.correct).count();
    let kind = match (single, correct) {
        (true, 0) => {
            return Err("no correct answer (no answer with fraction 100)".into());
        }
        (false, 0) => {
            return Err("no correct answer (no answer with a positive fraction)".into());
        }
        (_, 1) => QuestionType::Single,
        (true, _) => {
            return Err(format!(
                "{correct} answers with fraction 100 in a one-answer question: certprep \
                 cannot accept either of two answers (in Moodle, set \"One or multiple \
                 answers?\" to multiple for a choose-{correct} question)"
            ));
        }
        (false, _) => QuestionType::Multiple,
    };
    Ok((kind, options))
}

// ---------------------------------------------------------------------------------------------
// The importer

/// certprep's hints in a question's comments, and the scenarios it carries.
fn hints_of(
    comments: &[String],
    scenarios: &mut BTreeMap<String, Scenario>,
) -> (QuestionHint, Option<Domain>) {
    let mut question = QuestionHint::default();
    let mut domain = None;
    for c in comments {
        match hint_of(c) {
            Some((DOMAIN_HINT, json)) => domain = serde_json::from_str::<Domain>(json).ok(),
            Some((SCENARIO_HINT, json)) => super::gift::add_scenario_hint(json, scenarios),
            Some((QUESTION_HINT, json)) => {
                if let Ok(h) = serde_json::from_str::<QuestionHint>(json) {
                    question = h;
                }
            }
            _ => {}
        }
    }
    (question, domain)
}

/// What the importer has read so far.
#[derive(Default)]
struct Importer {
    areas: Areas,
    /// The area of the last category; questions before any go into "General".
    current_area: Option<String>,
    bank_hint: BankHint,
    scenarios: BTreeMap<String, Scenario>,
    ids: UniqueIds,
    store: ImageStore,
    /// Stored names of the images kept questions show: only those are written.
    shown_images: std::collections::HashSet<String>,
    /// Questions of a supported type seen, for `q001`-style ids.
    ordinal: usize,
    questions: Vec<Question>,
    skipped: Vec<Skipped>,
    notes: Vec<Skipped>,
    lines: HashMap<String, usize>,
}

impl Importer {
    fn item(&mut self, item: Item) {
        let q = match item {
            Item::QuizComment(c) => {
                if let Some((BANK_HINT, json)) = hint_of(&c)
                    && let Ok(h) = serde_json::from_str::<BankHint>(json)
                {
                    self.bank_hint = h;
                }
                return;
            }
            Item::Question(q) => q,
        };
        let (hint, domain_hint) = hints_of(&q.comments, &mut self.scenarios);
        let kind = q.attr("type").unwrap_or("").trim();
        match kind {
            "category" => {
                let path = q.text_of("category").unwrap_or("").trim();
                self.current_area = Some(self.areas.area_for(path, domain_hint));
            }
            "multichoice" | "truefalse" => {
                if let Err(reason) = self.question(&q, kind, hint) {
                    self.skipped.push(Skipped {
                        line: q.line,
                        reason,
                    });
                }
            }
            "" => self.skipped.push(Skipped {
                line: q.line,
                reason: "a <question> without a type".into(),
            }),
            other => self.skipped.push(Skipped {
                line: q.line,
                reason: unsupported_reason(other),
            }),
        }
    }

    /// A multichoice or truefalse question, kept; or why it is skipped.
    fn question(&mut self, q: &Element, kind: &str, hint: QuestionHint) -> Result<(), String> {
        self.ordinal += 1;
        let mut image_notes = Vec::new();
        let mut images = question_images(q, &mut self.store, &mut image_notes);
        let parsed = parse_question(q, kind, &mut images, image_notes)?;
        let areas = &mut self.areas;
        let domain = self
            .current_area
            .get_or_insert_with(|| areas.area_for("General", None))
            .clone();
        let base = [parsed.idnumber.as_deref(), parsed.title.as_deref()]
            .into_iter()
            .flatten()
            .map(slugify)
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| format!("q{:03}", self.ordinal));
        let mut question = Question {
            id: String::new(),
            domain,
            kind: parsed.kind,
            scenario: None,
            stem: parsed.stem,
            options: parsed.options,
            explanation: parsed.explanation,
            difficulty: hint.difficulty.filter(|d| (1..=3).contains(d)),
            tags: merged_tags(&hint.tags, parsed.tags),
            reference: hint.reference.clone().filter(|r| !r.trim().is_empty()),
        };
        attach_scenario(&mut question, &hint, &self.scenarios);
        if let Some(reason) = question_problem(&question) {
            return Err(reason);
        }
        question.id = hinted_id(&mut self.ids, hint.id, &base);
        let line = q.line;
        self.notes.extend(
            parsed
                .notes
                .into_iter()
                .map(|reason| Skipped { line, reason }),
        );
        self.lines.insert(question.id.clone(), line);
        self.questions.push(question);
        self.shown_images.extend(images.referenced);
        Ok(())
    }

    fn finish(self, opts: &ImportOptions) -> Import {
        let mut import = assemble(
            opts,
            &self.areas,
            self.bank_hint,
            self.scenarios,
            Parts {
                questions: self.questions,
                skipped: self.skipped,
                notes: self.notes,
                lines: self.lines,
            },
        );
        let shown = self.shown_images;
        import.images = self
            .store
            .images
            .into_iter()
            .filter(|i| shown.contains(&i.name))
            .collect();
        import
    }
}

/// Parse a Moodle XML file into a bank. `Err` only when the file is not Moodle XML or is
/// broken (nothing imported then); a question that cannot be imported is listed in
/// `skipped` with its line and the reason, and the rest of the file is read as usual.
pub fn parse(xml: &str, opts: &ImportOptions) -> Result<Import, MoodleXmlError> {
    let mut importer = Importer::default();
    read_items(xml, |item| importer.item(item))?;
    Ok(importer.finish(opts))
}

// ---------------------------------------------------------------------------------------------
// Export

/// `<`, `>`, `&` and `"` as entities; a carriage return as `&#13;` (a literal one would be
/// read back as a line feed). Characters XML 1.0 cannot hold at all (other control
/// characters) are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A comment carrying `name json`: `--` may not appear in an XML comment, so any in the JSON
/// (only ever inside a string) is written `-\u002d`, which JSON reads back as `--`.
fn hint_comment(out: &mut String, indent: &str, name: &str, json: &str) {
    out.push_str(&format!(
        "{indent}<!-- {name} {} -->\n",
        json.replace("--", "-\\u002d")
    ));
}

/// Moodle's name for the format of a certprep text: `plain_text` when it has no formatting,
/// else `markdown` (certprep's subset is Markdown; a plain-text field would show its marks
/// and come back escaped), as the GIFT export writes `[markdown]`.
fn text_format(text: &str) -> &'static str {
    if crate::markup::is_plain(text) {
        "plain_text"
    } else {
        "markdown"
    }
}

/// `<tag format="..."><text>...</text></tag>`.
fn text_field(out: &mut String, indent: &str, tag: &str, text: &str) {
    out.push_str(&format!(
        "{indent}<{tag} format=\"{}\">\n{indent}  <text>{}</text>\n{indent}</{tag}>\n",
        text_format(text),
        escape(text)
    ));
}

fn write_answer(out: &mut String, fraction: &str, text: &str, feedback: Option<&str>) {
    out.push_str(&format!(
        "    <answer fraction=\"{fraction}\" format=\"{}\">\n      <text>{}</text>\n",
        text_format(text),
        escape(text)
    ));
    let feedback = feedback.unwrap_or("");
    out.push_str(&format!(
        "      <feedback format=\"{}\">\n        <text>{}</text>\n      </feedback>\n",
        text_format(feedback),
        escape(feedback)
    ));
    out.push_str("    </answer>\n");
}

fn write_question(
    out: &mut String,
    bank: &Bank,
    q: &Question,
    scenarios_done: &mut std::collections::HashSet<String>,
) {
    let kind = if q.kind == QuestionType::TrueFalse {
        "truefalse"
    } else {
        "multichoice"
    };
    out.push_str(&format!("  <question type=\"{kind}\">\n"));
    // Tags travel in <tags>; the hint carries what Moodle has no place for.
    let hint = QuestionHint {
        id: (slugify(&q.id) != q.id).then(|| q.id.clone()),
        difficulty: q.difficulty,
        tags: Vec::new(),
        reference: q.reference.clone(),
        scenario: q.scenario.clone(),
    };
    let mut stem = q.stem.clone();
    if let Some(sid) = &q.scenario
        && let Some(sc) = bank.scenarios.get(sid)
    {
        if scenarios_done.insert(sid.clone())
            && let Ok(json) = serde_json::to_string(sc)
        {
            hint_comment(out, "    ", SCENARIO_HINT, &json);
        }
        stem = format!("{}\n\n{}", sc.text, q.stem);
    }
    if !hint.is_empty()
        && let Ok(json) = serde_json::to_string(&hint)
    {
        hint_comment(out, "    ", QUESTION_HINT, &json);
    }
    out.push_str(&format!(
        "    <name>\n      <text>{}</text>\n    </name>\n",
        escape(&q.id)
    ));
    text_field(out, "    ", "questiontext", &stem);
    text_field(
        out,
        "    ",
        "generalfeedback",
        q.explanation.as_deref().unwrap_or(""),
    );
    out.push_str("    <defaultgrade>1.0000000</defaultgrade>\n");
    out.push_str("    <penalty>1.0000000</penalty>\n");
    out.push_str("    <hidden>0</hidden>\n");
    out.push_str(&format!("    <idnumber>{}</idnumber>\n", escape(&q.id)));
    match q.kind {
        QuestionType::TrueFalse => {
            // Moodle's true/false answers are the words "true" and "false"; each one's
            // feedback is shown to whoever picks it, as certprep's option explanations.
            let truth = q.options.first().is_some_and(|o| o.correct);
            let expl = |i: usize| q.options.get(i).and_then(|o| o.explanation.as_deref());
            let (t, f) = if truth { ("100", "0") } else { ("0", "100") };
            write_answer(out, t, "true", expl(0));
            write_answer(out, f, "false", expl(1));
        }
        QuestionType::Single | QuestionType::Multiple => {
            let single = q.kind == QuestionType::Single;
            out.push_str(&format!("    <single>{single}</single>\n"));
            out.push_str("    <shuffleanswers>true</shuffleanswers>\n");
            out.push_str("    <answernumbering>abc</answernumbering>\n");
            let k = q.options.iter().filter(|o| o.correct).count().max(1);
            for o in &q.options {
                let fraction = match (single, o.correct) {
                    (true, true) => "100".to_string(),
                    (true, false) => "0".to_string(),
                    // Moodle adds the fractions of the picked answers: the right ones share
                    // 100%, a wrong pick takes it all back.
                    (false, true) => percent(100.0 / k as f64),
                    (false, false) => "-100".to_string(),
                };
                write_answer(out, &fraction, &o.text, o.explanation.as_deref());
            }
        }
    }
    if !q.tags.is_empty() {
        out.push_str("    <tags>\n");
        for t in &q.tags {
            out.push_str(&format!(
                "      <tag>\n        <text>{}</text>\n      </tag>\n",
                escape(t)
            ));
        }
        out.push_str("    </tags>\n");
    }
    out.push_str("  </question>\n");
}

/// The bank as a Moodle XML file Moodle can import: one category per skill area (below the
/// bank's title, and the area's group when it has one), every question with its id as its
/// name and idnumber, texts as `plain_text`, explanations as general feedback.
pub fn export(bank: &Bank) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
    let about = format!(
        "{} (certprep bank \"{}\", version {}), exported as Moodle XML by certprep.",
        bank.manifest.title, bank.manifest.id, bank.manifest.version
    );
    let about: String = about
        .replace("--", "- -")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    out.push_str(&format!("<!-- {} -->\n", about.trim_end_matches('-')));
    let hint = BankHint {
        title: Some(bank.manifest.title.clone()),
        version: Some(bank.manifest.version.clone()),
        exam: Some(bank.manifest.exam.clone()),
    };
    if let Ok(json) = serde_json::to_string(&hint) {
        hint_comment(&mut out, "", BANK_HINT, &json);
    }
    let mut scenarios_done = std::collections::HashSet::new();
    for d in &bank.manifest.domains {
        out.push_str("  <question type=\"category\">\n");
        if let Ok(json) = serde_json::to_string(d) {
            hint_comment(&mut out, "    ", DOMAIN_HINT, &json);
        }
        let mut path = format!("$course$/top/{}", category_escape(&bank.manifest.title));
        if !d.category.trim().is_empty() && d.category != d.name {
            path.push('/');
            path.push_str(&category_escape(&d.category));
        }
        path.push('/');
        path.push_str(&category_escape(&d.name));
        out.push_str(&format!(
            "    <category>\n      <text>{}</text>\n    </category>\n",
            escape(&path)
        ));
        out.push_str("    <info format=\"plain_text\">\n      <text></text>\n    </info>\n");
        out.push_str("  </question>\n");
        for q in bank.questions_in(&d.id) {
            write_question(&mut out, bank, q, &mut scenarios_done);
        }
    }
    out.push_str("</quiz>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_strict() {
        assert_eq!(decode_base64("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode_base64("aGVs\nbG8h").unwrap(), b"hello!");
        assert_eq!(decode_base64("aGk=").unwrap(), b"hi");
        assert_eq!(decode_base64("").unwrap(), b"");
        assert!(decode_base64("aGVsbG8").is_err());
        assert!(decode_base64("a$Vs").is_err());
        assert!(decode_base64("aG=k").is_err());
        assert!(decode_base64("a").is_err());
    }

    #[test]
    fn image_names_stay_inside_the_folder() {
        assert_eq!(safe_image_name("x.PNG").unwrap(), "x.png");
        assert_eq!(
            safe_image_name("../../etc/passwd.png").unwrap(),
            "passwd.png"
        );
        assert_eq!(safe_image_name("..\\..\\a b.jpg").unwrap(), "a-b.jpg");
        assert_eq!(safe_image_name("...png").unwrap(), "image.png");
        assert_eq!(safe_image_name(".hidden.jpeg").unwrap(), "hidden.jpeg");
        // Only what a bank can show (PNG, JPEG): never SVG, and no GIF or WebP either.
        assert!(safe_image_name("evil.svg").is_err());
        assert!(safe_image_name("anim.gif").is_err());
        assert!(safe_image_name("noext").is_err());
        for name in ["x.png", "passwd.png", "a-b.jpg", "image.png", "hidden.jpeg"] {
            assert!(super::super::is_safe_image_name(name), "{name}");
        }
    }

    #[test]
    fn references_are_rewritten() {
        let mut images = QuestionImages::default();
        images
            .by_name
            .insert("my pic.png".to_string(), "my-pic.png".to_string());
        images
            .by_name
            .insert("unused.png".to_string(), "unused.png".to_string());
        let mut notes = Vec::new();
        let text = rewrite_references(
            "<img src=\"@@PLUGINFILE@@/my%20pic.png\"> <img src=\"@@PLUGINFILE@@/gone.png\">",
            &mut images,
            &mut notes,
        );
        assert_eq!(
            images.referenced.into_iter().collect::<Vec<_>>(),
            ["my-pic.png"]
        );
        assert_eq!(
            text,
            "<img src=\"images/my-pic.png\"> <img src=\"@@PLUGINFILE@@/gone.png\">"
        );
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("gone.png"), "{notes:?}");
    }

    #[test]
    fn detection() {
        assert!(looks_like_moodle_xml(
            "\u{feff}<?xml version=\"1.0\"?>\n<!-- x -->\n<quiz>\n</quiz>"
        ));
        assert!(looks_like_moodle_xml("<quiz/>"));
        assert!(!looks_like_moodle_xml("<quizzes>"));
        assert!(!looks_like_moodle_xml("Q? {=a ~b}"));
        assert!(!looks_like_moodle_xml("<?xml version=\"1.0\"?><html>"));
    }

    #[test]
    fn hint_comments_never_hold_a_double_dash() {
        let mut out = String::new();
        hint_comment(&mut out, "", "certprep", r#"{"reference":"a -- b --- c"}"#);
        let body = out
            .trim()
            .strip_prefix("<!--")
            .unwrap()
            .strip_suffix("-->")
            .unwrap();
        assert!(!body.contains("--"), "{out}");
        let (_, json) = hint_of(body).unwrap();
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(v["reference"], "a -- b --- c");
    }

    #[test]
    fn escape_round_trips_through_the_reader() {
        let text = "a < b && c > d \"q\" 'x'\r\nline\ttab ]]> &amp;";
        let xml = format!(
            "<quiz><question type=\"x\"><t>{}</t></question></quiz>",
            escape(text)
        );
        let mut got = None;
        read_items(&xml, |item| {
            if let Item::Question(q) = item {
                got = q.child("t").map(|t| t.text.clone());
            }
        })
        .unwrap();
        assert_eq!(got.as_deref(), Some(text));
    }
}
