//! Bank texts on screen: the Markdown subset of docs/bank-format.md ("Formatting") drawn
//! with egui. A plain text (no formatting characters, [`markup::is_plain`]) is one label,
//! exactly as before rich text; anything else is parsed ([`markup::parse`]) and drawn here.
//!
//! Images come only from the bank folder ([`markup::resolve_image`]), at most
//! [`markup::MAX_IMAGE_BYTES`] and [`MAX_IMAGE_SIDE`] pixels a side, decoded once and kept
//! as textures; anything else (a web address, a missing or broken file) shows its alt text
//! and why it is not shown. Nothing is fetched and no HTML is interpreted.

use crate::markup::{self, Block, Span, Style};
use egui::text::LayoutJob;
use egui::{Align, Color32, FontId, RichText, TextFormat, Ui, WidgetText};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Images wider or taller than this (in pixels) are not decoded.
pub const MAX_IMAGE_SIDE: u32 = 4096;
/// Largest size an image is drawn at (points); smaller images keep their own size.
const MAX_SHOWN: egui::Vec2 = egui::vec2(640.0, 360.0);

/// How a text is drawn: its size and colour, as the plain label it replaces.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Look {
    pub size: Option<f32>,
    pub color: Option<Color32>,
    pub small: bool,
    pub strong: bool,
    pub italics: bool,
}

impl Look {
    pub fn body() -> Look {
        Look::default()
    }

    pub fn small() -> Look {
        Look {
            small: true,
            ..Look::default()
        }
    }

    fn plain(&self, ui: &Ui, text: &str) -> RichText {
        let mut r = RichText::new(text);
        if let Some(size) = self.size {
            r = r.size(size);
        }
        if self.small {
            r = r.small();
        }
        if self.strong {
            r = r.strong();
        }
        if self.italics {
            r = r.italics();
        }
        if let Some(c) = self.color {
            r = r.color(c);
        }
        let _ = ui;
        r
    }

    fn font(&self, ui: &Ui) -> FontId {
        let style = if self.small {
            egui::TextStyle::Small
        } else {
            egui::TextStyle::Body
        };
        let mut font = style.resolve(ui.style());
        if let Some(size) = self.size {
            font.size = size;
        }
        font
    }

    /// The colour of plain runs: the look's own, else the widget's (a radio button's label
    /// is brighter than a plain label's, as for plain texts).
    fn color(&self, ui: &Ui) -> Color32 {
        self.color.unwrap_or_else(|| {
            if self.strong {
                ui.visuals().strong_text_color()
            } else {
                Color32::PLACEHOLDER
            }
        })
    }
}

/// A bank text (stem, scenario, option or explanation) in `look`, images from `root`.
pub(super) fn show(ui: &mut Ui, root: &Path, text: &str, look: Look) {
    if markup::is_plain(text) {
        ui.label(look.plain(ui, text));
        return;
    }
    blocks(ui, root, &markup::parse(text), look, 0);
}

/// An option's label for a radio button or checkbox: `prefix` ("B. ") and the option's
/// first paragraph, and whatever blocks follow it (a code block, a list, an image), which
/// the caller draws under the button.
pub(super) fn option_label(
    ui: &Ui,
    prefix: &str,
    text: &str,
    look: Look,
) -> (WidgetText, Vec<Block>) {
    if markup::is_plain(text) {
        return (
            look.plain(ui, &format!("{prefix}{text}")).into(),
            Vec::new(),
        );
    }
    let mut parsed = markup::parse(text);
    let inline = matches!(parsed.first(), Some(Block::Paragraph(spans))
        if !spans.iter().any(|s| matches!(s, Span::Image { .. })));
    let mut job = LayoutJob::default();
    append(&mut job, ui, prefix, Style::default(), look);
    if inline && let Block::Paragraph(spans) = parsed.remove(0) {
        spans_into(&mut job, ui, &spans, look);
    }
    (job.into(), parsed)
}

/// Draw parsed blocks; `depth` is the list and quote nesting (bounded by the parser).
pub(super) fn blocks(ui: &mut Ui, root: &Path, blocks: &[Block], look: Look, depth: usize) {
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            ui.add_space(4.0);
        }
        match block {
            Block::Paragraph(spans) => paragraph(ui, root, spans, look),
            Block::Code(code) => code_block(ui, code, look),
            Block::List { start, items } => {
                for (n, item) in items.iter().enumerate() {
                    let marker = match start {
                        Some(s) => format!("{}.", s + n as u64),
                        None => "•".to_string(),
                    };
                    ui.horizontal_top(|ui| {
                        ui.label(look.plain(ui, &marker));
                        ui.vertical(|ui| self::blocks(ui, root, item, look, depth + 1));
                    });
                }
            }
            Block::Table(rows) => table(ui, rows, look, depth),
            Block::Quote(inner) => {
                ui.indent(("quote", depth, i), |ui| {
                    self::blocks(ui, root, inner, look, depth + 1)
                });
            }
            Block::Rule => {
                ui.separator();
            }
        }
    }
}

/// A paragraph: its text runs as one wrapped label, each image on a line of its own.
fn paragraph(ui: &mut Ui, root: &Path, spans: &[Span], look: Look) {
    let mut run: Vec<Span> = Vec::new();
    for span in spans {
        if let Span::Image { alt, src } = span {
            flush_run(ui, &mut run, look);
            image(ui, root, alt, src, look);
        } else {
            run.push(span.clone());
        }
    }
    flush_run(ui, &mut run, look);
}

fn flush_run(ui: &mut Ui, run: &mut Vec<Span>, look: Look) {
    while matches!(run.first(), Some(Span::LineBreak)) {
        run.remove(0);
    }
    while matches!(run.last(), Some(Span::LineBreak)) {
        run.pop();
    }
    if run.is_empty() {
        return;
    }
    let mut job = LayoutJob::default();
    spans_into(&mut job, ui, run, look);
    ui.add(egui::Label::new(job).wrap());
    run.clear();
}

fn spans_into(job: &mut LayoutJob, ui: &Ui, spans: &[Span], look: Look) {
    for span in spans {
        match span {
            Span::Text(t, style) => append(job, ui, t, *style, look),
            Span::LineBreak => append(job, ui, "\n", Style::default(), look),
            Span::Image { alt, .. } => append(job, ui, &format!("[{alt}]"), Style::default(), look),
        }
    }
}

/// One styled run. egui's default fonts have no bold face: bold is drawn in the strong
/// text colour (as egui's own `RichText::strong`), and in a text that is already strong
/// (the stem) with an underline so it still stands out.
fn append(job: &mut LayoutJob, ui: &Ui, text: &str, style: Style, look: Look) {
    let mut font = look.font(ui);
    let mut color = look.color(ui);
    let mut format = TextFormat::default();
    if style.bold {
        if look.strong || look.color == Some(ui.visuals().strong_text_color()) {
            format.underline = egui::Stroke::new(1.0, color);
        }
        if look.color.is_none() {
            color = ui.visuals().strong_text_color();
        }
    }
    if style.code {
        font = FontId::monospace(font.size * 0.95);
        format.background = ui.visuals().code_bg_color;
    }
    if style.sup || style.sub {
        font.size *= 0.7;
        format.valign = if style.sup { Align::TOP } else { Align::BOTTOM };
    }
    format.italics = style.italic || look.italics;
    format.font_id = font;
    format.color = color;
    job.append(text, 0.0, format);
}

fn code_block(ui: &mut Ui, code: &str, look: Look) {
    egui::Frame::group(ui.style())
        .fill(ui.visuals().code_bg_color)
        .show(ui, |ui| {
            let size = look.font(ui).size * 0.95;
            // Not wrapped: line breaks and indentation are the point of a code block.
            ui.add(
                egui::Label::new(
                    RichText::new(code)
                        .font(FontId::monospace(size))
                        .color(look.color(ui)),
                )
                .extend(),
            );
        });
}

fn table(ui: &mut Ui, rows: &[Vec<Vec<Span>>], look: Look, depth: usize) {
    let id = ui.next_auto_id().with(("table", depth));
    egui::Frame::group(ui.style()).show(ui, |ui| {
        egui::Grid::new(id)
            .striped(true)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                for (r, row) in rows.iter().enumerate() {
                    for cell in row {
                        let mut job = LayoutJob::default();
                        let cell_look = Look {
                            strong: look.strong || r == 0,
                            ..look
                        };
                        spans_into(&mut job, ui, cell, cell_look);
                        ui.label(job);
                    }
                    ui.end_row();
                }
            });
    });
}

/// Textures of the bank images shown so far, by file (or why the file cannot be shown).
type ImageCache = Arc<Mutex<HashMap<PathBuf, Result<egui::TextureHandle, String>>>>;

fn image(ui: &mut Ui, root: &Path, alt: &str, src: &str, look: Look) {
    let loaded = match markup::resolve_image(root, src) {
        Ok(path) => texture(ui.ctx(), &path),
        Err(problem) => Err(problem.to_string()),
    };
    match loaded {
        Ok(tex) => {
            let size = tex.size_vec2();
            let scale = (MAX_SHOWN.x.min(ui.available_width()) / size.x)
                .min(MAX_SHOWN.y / size.y)
                .min(1.0);
            let mut img = egui::Image::new((tex.id(), size * scale));
            if !alt.is_empty() {
                img = img.alt_text(alt);
            }
            let response = ui.add(img);
            if !alt.is_empty() {
                response.on_hover_text(alt);
            }
        }
        Err(why) => {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                let alt = if alt.trim().is_empty() { "Image" } else { alt };
                ui.label(
                    Look {
                        italics: true,
                        ..look
                    }
                    .plain(ui, alt),
                );
                ui.label(RichText::new(format!("Not loaded: {why}")).small().weak());
            });
        }
    }
}

/// The texture of a bank image file, decoded on first use with size limits.
fn texture(ctx: &egui::Context, path: &Path) -> Result<egui::TextureHandle, String> {
    let cache: ImageCache = ctx.data_mut(|d| {
        d.get_temp_mut_or_default::<ImageCache>(egui::Id::unique("certprep-bank-images"))
            .clone()
    });
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(hit) = cache.get(path) {
        return hit.clone();
    }
    let loaded = decode(path)
        .map(|img| ctx.load_texture(path.to_string_lossy(), img, egui::TextureOptions::LINEAR));
    cache.insert(path.to_path_buf(), loaded.clone());
    loaded
}

fn decode(path: &Path) -> Result<egui::ColorImage, String> {
    let bytes = crate::fsutil::read_capped(path, markup::MAX_IMAGE_BYTES)
        .map_err(|_| "the file cannot be read".to_string())?;
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(128 * 1024 * 1024);
    reader.limits(limits);
    let img = reader
        .decode()
        .map_err(|e| format!("not a readable PNG or JPEG image ({e})"))?
        .to_rgba8();
    let size = [img.width() as usize, img.height() as usize];
    Ok(egui::ColorImage::from_rgba_unmultiplied(size, img.as_raw()))
}
