//! Small pieces shared by several screens.

use super::{Command, Notice, NoticeKind};
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
        ui.horizontal(|ui| {
            ui.label(RichText::new(&notice.text).color(color).strong());
            if ui.button("Dismiss").clicked() {
                out.push(Command::DismissNotice);
            }
        });
    });
}

/// A horizontal bar for a share in 0..=1, with the percentage written on it.
pub fn share_bar(ui: &mut Ui, share: f32, width: f32) {
    ui.add(
        egui::ProgressBar::new(share.clamp(0.0, 1.0))
            .desired_width(width)
            .text(format!("{:.0}%", share * 100.0)),
    );
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NavTarget {
    Home,
    Settings,
}

/// The bar across the top of the screens that are not an exam in progress.
pub fn nav_bar(ui: &mut Ui, current: NavTarget, out: &mut Vec<Command>) {
    egui::Panel::top("nav").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(RichText::new("certprep").strong());
            ui.separator();
            for (target, label, cmd) in [
                (NavTarget::Home, "Home", Command::GoHome),
                (NavTarget::Settings, "Settings", Command::OpenSettings),
            ] {
                if ui.selectable_label(current == target, label).clicked() && current != target {
                    out.push(cmd);
                }
            }
        });
    });
}
