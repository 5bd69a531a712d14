//! Small pieces shared by several screens.

use super::{Command, Notice, NoticeKind};
use chrono::{DateTime, Local, Utc};
use egui::{Color32, RichText, Ui};
use std::time::Duration;

/// "1:05:09" or "4:07".
pub fn clock(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s % 3600) / 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// A recorded moment as the learner reads it: their own time zone ("Nov 26, 2026, 4:02 PM").
/// Records are kept in UTC; only the display is local.
pub fn local_time(t: DateTime<Utc>) -> String {
    local(t, "%b %-d, %Y, %-I:%M %p")
}

/// As [`local_time`], to the second: backups can be taken within the same minute.
pub fn local_time_precise(t: DateTime<Utc>) -> String {
    local(t, "%b %-d, %Y, %-I:%M:%S %p")
}

fn local(t: DateTime<Utc>, format: &str) -> String {
    t.with_timezone(&Local).format(format).to_string()
}

/// Give a button the accessible name screen readers (and tests) use, when its visible text is
/// the same on every row ("Practice…", "Study", "Restore…") and only the name says which.
pub fn name_button(button: &egui::Response, name: &str) {
    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, button.enabled(), name));
}

/// A labelled one-line text field (the label names it for screen readers and tests), with a
/// hint shown while it is empty.
pub fn labelled_field(
    ui: &mut Ui,
    label: &str,
    text: &mut String,
    hint: &str,
    width: f32,
) -> egui::Response {
    let l = ui.label(label);
    // Never wider than the row has room for: a narrow window or large text wraps the
    // field's buttons onto the next line instead of pushing them off the screen.
    let width = width.min(ui.available_width() - 12.0).max(120.0);
    ui.add(
        egui::TextEdit::singleline(text)
            .hint_text(hint)
            .desired_width(width),
    )
    .labelled_by(l.id)
}

/// Enter was pressed in this single-line text field (egui drops the focus on Enter), so the
/// field's main button should act as if clicked.
pub fn enter_pressed(ui: &Ui, field: &egui::Response) -> bool {
    field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
}

/// The letter shown for the option at `position` in this exam's order.
pub fn letter(position: usize) -> char {
    (b'A' + (position as u8).min(25)) as char
}

pub fn good_color(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(110, 200, 120)
    } else {
        Color32::from_rgb(20, 120, 40)
    }
}

pub fn bad_color(ui: &Ui) -> Color32 {
    ui.visuals().error_fg_color
}

pub fn notice_bar(ui: &mut Ui, notice: &Notice, out: &mut Vec<Command>) {
    let color = match notice.kind {
        NoticeKind::Info => ui.visuals().hyperlink_color,
        NoticeKind::Warning => ui.visuals().warn_fg_color,
        NoticeKind::Error => ui.visuals().error_fg_color,
    };
    egui::Panel::top("notice").show(ui, |ui| {
        // The text wraps in the room the button leaves: a long message must not push
        // Dismiss out of the window.
        ui.horizontal_top(|ui| {
            let room = (ui.available_width() - 90.0).max(200.0);
            ui.scope(|ui| {
                ui.set_max_width(room);
                ui.add(egui::Label::new(RichText::new(&notice.text).color(color).strong()).wrap());
            });
            if ui.button("Dismiss").clicked() {
                out.push(Command::DismissNotice);
            }
        });
    });
}

/// A horizontal bar for a share in 0..=1, with the percentage written beside it.
pub fn share_bar(ui: &mut Ui, share: f32, width: f32) {
    // Painted rather than an egui ProgressBar: that one rounds a small fill into a blob the
    // height of the bar and writes its text over it, so 0% and 11% read as "1 1%".
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 12.0), egui::Sense::hover());
        let v = ui.visuals();
        let p = ui.painter();
        // The inactive-widget fill shows on striped grid rows in both themes.
        p.rect_filled(rect, 2.0, v.widgets.inactive.bg_fill);
        let fill = rect.width() * share.clamp(0.0, 1.0);
        if fill > 0.0 {
            let solid = egui::Rect::from_min_size(rect.min, egui::vec2(fill, rect.height()));
            p.rect_filled(solid, 2.0, v.selection.bg_fill);
        }
        ui.label(format!("{:.0}%", share * 100.0));
    });
}

/// A 0..1 estimate drawn as a bar: the uncertainty band lighter, the estimate solid, and an
/// optional mark (the pass mark) as a vertical line. Used for readiness and every skill area.
pub fn band_bar(ui: &mut Ui, value: f64, low: f64, high: f64, mark: Option<f64>, width: f32) {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, 18.0), egui::Sense::hover());
    let v = ui.visuals();
    let x = |f: f64| rect.left() + rect.width() * f.clamp(0.0, 1.0) as f32;
    let p = ui.painter();
    p.rect_filled(rect, 3.0, v.extreme_bg_color);
    // The band as a grey track, the estimate as a solid bar across its middle.
    let band = egui::Rect::from_x_y_ranges(x(low)..=x(high), rect.y_range());
    p.rect_filled(band, 3.0, v.widgets.inactive.bg_fill);
    let solid = egui::Rect::from_x_y_ranges(rect.left()..=x(value), rect.shrink(5.0).y_range());
    p.rect_filled(solid, 2.0, v.selection.bg_fill);
    p.line_segment(
        [
            egui::pos2(x(value), rect.top() + 2.0),
            egui::pos2(x(value), rect.bottom() - 2.0),
        ],
        egui::Stroke::new(2.0, v.strong_text_color()),
    );
    if let Some(m) = mark {
        p.line_segment(
            [
                egui::pos2(x(m), rect.top()),
                egui::pos2(x(m), rect.bottom()),
            ],
            egui::Stroke::new(2.0, v.warn_fg_color),
        );
    }
    let text = format!(
        "{:.0}% (likely {:.0}–{:.0}%)",
        value * 100.0,
        low * 100.0,
        high * 100.0
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ProgressIndicator, true, &text));
    response.on_hover_text(text);
}

/// egui does not scroll a widget that takes the keyboard focus into view, so with large text
/// Tab would walk off the bottom of a screen. At the end of each frame a focus that Tab moved
/// is noted (and one more frame asked for); see [`scroll_to_new_focus`].
pub fn note_new_focus(ctx: &egui::Context) {
    let focused = ctx.memory(|m| m.focused());
    let seen = ctx.data(|d| d.get_temp::<Option<egui::Id>>(focus_seen_id()).flatten());
    if focused == seen {
        return;
    }
    ctx.data_mut(|d| d.insert_temp(focus_seen_id(), focused));
    if focused.is_some() && ctx.input(|i| i.key_pressed(egui::Key::Tab)) {
        ctx.data_mut(|d| d.insert_temp(focus_pending_id(), focused));
        ctx.request_repaint();
    }
}

/// At the start of a frame: if Tab moved the focus to a widget that is not wholly in view
/// (its rect clipped, as drawn on the pass before), ask egui to scroll it into view. The
/// request goes in as the AccessKit "scroll into view" action, which egui applies where
/// the widget is drawn, inside its scroll area.
pub fn scroll_to_new_focus(ctx: &egui::Context) {
    let pending = ctx.data_mut(|d| d.remove_temp::<Option<egui::Id>>(focus_pending_id()));
    let Some(Some(id)) = pending else {
        return;
    };
    let Some(widget) = ctx.read_response(id) else {
        return;
    };
    if widget.interact_rect == widget.rect {
        return;
    }
    ctx.input_mut(|i| {
        i.events.push(egui::Event::AccessKitActionRequest(
            egui::accesskit::ActionRequest {
                action: egui::accesskit::Action::ScrollIntoView,
                target_node: id.accesskit_id(),
                target_tree: egui::accesskit::TreeId::ROOT,
                data: None,
            },
        ));
    });
    ctx.request_repaint();
}

fn focus_seen_id() -> egui::Id {
    egui::Id::unique("focus-seen")
}

fn focus_pending_id() -> egui::Id {
    egui::Id::unique("focus-pending")
}

/// Escape was pressed to leave the screen: not to close an open list or menu, and not to
/// leave a field. egui drops the focus on Escape before the screen sees the key, so whether
/// something had it is what [`note_focus`] remembered at the end of the frame before.
pub fn escape_pressed(ui: &Ui, id_salt: &str) -> bool {
    let had_focus = ui
        .ctx()
        .data(|d| d.get_temp::<bool>(focus_note_id(id_salt)))
        .unwrap_or(false);
    let pressed = ui.input(|i| !i.modifiers.any() && i.key_pressed(egui::Key::Escape));
    pressed && !had_focus && !egui::Popup::is_any_open(ui.ctx())
}

/// Remember at the end of a frame whether a widget has the keyboard focus or a popup is
/// open (see [`escape_pressed`]).
pub fn note_focus(ui: &Ui, id_salt: &str) {
    let busy = ui.ctx().memory(|m| m.focused().is_some()) || egui::Popup::is_any_open(ui.ctx());
    ui.ctx()
        .data_mut(|d| d.insert_temp(focus_note_id(id_salt), busy));
}

fn focus_note_id(id_salt: &str) -> egui::Id {
    egui::Id::unique(("focus-note", id_salt))
}

/// A child Ui for a page's main content, right of a strip `width` wide that the caller fills
/// afterwards with a left [`egui::Panel`] of that width. egui moves the keyboard focus in
/// the order widgets are drawn and a side panel is normally drawn first; this way Tab
/// reaches the page's own controls before the strip's.
pub fn main_beside_strip(ui: &mut Ui, width: f32) -> Ui {
    let avail = ui.available_rect_before_wrap();
    let left = (avail.left() + width).min(avail.right());
    let rect = egui::Rect::from_min_max(egui::pos2(left, avail.top()), avail.max);
    ui.new_child(
        egui::UiBuilder::new()
            .max_rect(rect)
            .layout(egui::Layout::top_down(egui::Align::Min)),
    )
}

/// A footer pinned at the bottom (buttons that must stay in view) that comes *after* the
/// page's content in the Tab order. A bottom panel is normally drawn before the central
/// one; here the content is drawn first, into the room above the footer as tall as it was
/// measured on the previous pass, then the footer. When its height changes the pass is
/// redone (egui's discard), so no frame shows the stale split.
pub struct FooterAfter {
    id: egui::Id,
    height: f32,
}

impl FooterAfter {
    /// The footer to fill later, and the Ui for the content above it.
    pub fn begin(ui: &mut Ui, id_salt: &str) -> (FooterAfter, Ui) {
        let id = egui::Id::unique(("footer-after", id_salt));
        let height = ui
            .ctx()
            .data(|d| d.get_temp::<f32>(id.with("height")))
            .unwrap_or(0.0);
        let avail = ui.available_rect_before_wrap();
        let bottom = (avail.bottom() - height).max(avail.top());
        let rect = egui::Rect::from_min_max(avail.min, egui::pos2(avail.right(), bottom));
        let content = ui.new_child(
            egui::UiBuilder::new()
                .max_rect(rect)
                .layout(egui::Layout::top_down(egui::Align::Min)),
        );
        (FooterAfter { id, height }, content)
    }

    pub fn show(self, ui: &mut Ui, add: impl FnOnce(&mut Ui)) {
        let panel = egui::Panel::bottom(self.id).show(ui, add);
        let height = panel.response.rect.height();
        if (height - self.height).abs() > 0.5 {
            ui.ctx()
                .data_mut(|d| d.insert_temp(self.id.with("height"), height));
            ui.ctx().request_discard("footer height changed");
        }
        // The room above the footer belongs to the content drawn before it.
        let rest = ui.available_rect_before_wrap();
        ui.advance_cursor_after_rect(rest);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NavTarget {
    Home,
    Attempts,
    Settings,
    Group,
    Import,
    Questions,
}

/// The bar across the top of the screens that are not an exam in progress.
pub fn nav_bar(ui: &mut Ui, current: NavTarget, out: &mut Vec<Command>) {
    egui::Panel::top("nav").show(ui, |ui| {
        // Wraps in a narrow window at large text rather than pushing the last entries off.
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("certprep").strong());
            ui.separator();
            for (target, label, cmd) in [
                (NavTarget::Home, "Home", Command::GoHome),
                (
                    NavTarget::Attempts,
                    "History",
                    Command::Attempts(super::AttemptsCmd::Open),
                ),
                (NavTarget::Settings, "Settings", Command::OpenSettings),
                (
                    NavTarget::Group,
                    "Study group",
                    Command::Group(super::GroupCmd::Open),
                ),
                (
                    NavTarget::Questions,
                    "Questions",
                    Command::Browse(super::BrowseCmd::Open { bank_id: None }),
                ),
                (
                    NavTarget::Import,
                    "Import",
                    Command::Import(super::ImportCmd::Open),
                ),
            ] {
                if ui.selectable_label(current == target, label).clicked() && current != target {
                    out.push(cmd);
                }
            }
            ui.separator();
            ui.menu_button("Help", |ui| {
                if ui.button("About certprep (F1)").clicked() {
                    out.push(super::AboutCmd::Open.into());
                }
            });
        });
    });
}

/// WCAG 2.x contrast ratio between two opaque colours (checked by the tests below).
#[cfg_attr(not(test), allow(dead_code))]
pub fn contrast_ratio(a: Color32, b: Color32) -> f32 {
    fn channel(c: u8) -> f32 {
        let c = c as f32 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }
    fn luminance(c: Color32) -> f32 {
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    }
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_formula_matches_known_values() {
        assert!((contrast_ratio(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast_ratio(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 0.001);
        // #767676 on white is the classic AA boundary (4.54).
        let grey = Color32::from_rgb(0x76, 0x76, 0x76);
        assert!((contrast_ratio(grey, Color32::WHITE) - 4.54).abs() < 0.01);
    }

    /// Every text colour the screens use passes WCAG AA (4.5:1) on the panel background,
    /// in both themes.
    #[test]
    fn text_colours_pass_wcag_aa_in_both_themes() {
        for theme in [egui::Theme::Dark, egui::Theme::Light] {
            let ctx = egui::Context::default();
            ctx.set_theme(theme);
            crate::ui::apply_style(&ctx);
            let mut failures = Vec::new();
            let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
                let v = ui.visuals().clone();
                let bg = v.panel_fill;
                let colours = [
                    ("text", v.text_color()),
                    ("strong text", v.strong_text_color()),
                    ("weak text", v.weak_text_color()),
                    ("warning", v.warn_fg_color),
                    ("error", v.error_fg_color),
                    ("link/info", v.hyperlink_color),
                    ("correct", good_color(ui)),
                ];
                for (name, c) in colours {
                    let r = contrast_ratio(c, bg);
                    if r < 4.5 {
                        failures.push(format!("{theme:?} {name}: {r:.2}"));
                    }
                }
            });
            output.textures_delta.clear();
            assert!(failures.is_empty(), "{failures:?}");
        }
    }
}
