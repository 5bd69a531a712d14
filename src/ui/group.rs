//! Study group: open an exam pack and sit it; export a result afterwards (a bar on Results);
//! load the members' result files into the group report, with CSV export.
//!
//! Files come in by path (typed or pasted), by drag and drop onto the window, or from the
//! "group folder" setting, whose `*.certprep-result.json` files are read on every refresh.

use super::dialog::{FilePurpose, choose_button};
use super::widgets::{bad_color, clock, enter_pressed, labelled_field};
use super::{CertprepApp, Command, Notice, NoticeKind, ResultsView, Screen, error_notice};
use crate::bank::{Bank, LoadReport};
use crate::exam::{ExamStatus, Mode};
use crate::group::{
    BankChoice, ExamPack, FileKind, GroupReport, MemberResult, file_kind, result_files_in,
};
use crate::store::{Store, StoreError};
use crate::text::count;
use egui::{RichText, Ui};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

mod calibration;

#[derive(Debug, Clone, PartialEq)]
pub enum GroupCmd {
    /// Show the study group screen.
    Open,
    OpenPack(PathBuf),
    /// Sit the opened pack.
    StartPack,
    /// Write the result of this (pack) attempt for the member named on the Results bar.
    ExportResult(i64),
    AddResults(Vec<PathBuf>),
    /// Save the group folder setting (empty clears it) and refresh.
    SetFolder(String),
    Refresh,
    /// Forget the files added one by one (the folder stays).
    ClearResults,
    ExportCsv(PathBuf),
    /// Files dropped onto the window: packs are opened, anything else is a result file.
    Dropped(Vec<PathBuf>),
    /// Save the report's Rasch calibration for its bank (readiness reads it).
    SaveCalibration,
    /// Calibrate every result in the folder and the added files together, for this bank.
    CalibratePooled {
        bank_id: String,
    },
    /// Save that pooled calibration.
    SavePooled,
}

impl From<GroupCmd> for Command {
    fn from(c: GroupCmd) -> Command {
        Command::Group(c)
    }
}

/// An opened pack and how it will be sat here.
pub struct OpenedPack {
    pub path: PathBuf,
    pub pack: ExamPack,
    /// The bank it is sat with; `None` when it cannot be sat here (`problem` says why).
    pub bank_id: Option<String>,
    pub messages: Vec<String>,
    pub problem: Option<String>,
}

/// What the study group screen and the Results export bar remember.
#[derive(Default)]
pub struct GroupState {
    pub pack_path: String,
    pub pack_error: Option<String>,
    pub opened: Option<OpenedPack>,
    pub member_name: String,
    /// Where to write the result; empty: beside the pack (or in the group folder).
    pub export_path: String,
    pub exported: Option<PathBuf>,
    pub folder: String,
    folder_loaded: bool,
    pub folder_error: Option<String>,
    pub add_path: String,
    pub extra_files: Vec<PathBuf>,
    pub report: Option<GroupReport>,
    pub csv_path: String,
    /// attempt id -> pack id (or none), looked up once per attempt shown on Results.
    pack_of_attempt: HashMap<i64, Option<String>>,
    /// What the last "Save calibration" did.
    calibration_saved: Option<calibration::SavedNote>,
    /// The last pooled calibration of several packs, and its bank.
    pooled: Option<(String, crate::group::calibration::Pooled)>,
}

impl GroupState {
    fn pack_of(&mut self, attempt_id: i64, store: &Result<Store, StoreError>) -> Option<String> {
        self.pack_of_attempt
            .entry(attempt_id)
            .or_insert_with(|| {
                store
                    .as_ref()
                    .ok()
                    .and_then(|s| s.attempt_summary(attempt_id).ok().flatten())
                    .and_then(|a| a.pack_id)
            })
            .clone()
    }

    fn files(&mut self) -> Vec<PathBuf> {
        self.folder_error = None;
        let mut files = Vec::new();
        let folder = self.folder.trim();
        if !folder.is_empty() {
            match result_files_in(Path::new(folder)) {
                Ok(f) => files.extend(f),
                Err(e) => self.folder_error = Some(format!("Cannot read the group folder: {e}")),
            }
        }
        for f in &self.extra_files {
            if !files.contains(f) {
                files.push(f.clone());
            }
        }
        files
    }
}

/// Files dropped onto the window this frame (the caller decides which screen takes them).
pub fn dropped_files(ctx: &egui::Context) -> Vec<PathBuf> {
    let paths: Vec<PathBuf> = ctx.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_path_buf())
            .filter(|p| !p.as_os_str().is_empty())
            .collect()
    });
    if !paths.is_empty() {
        // Commands run after the frame is drawn: draw once more to show what they did.
        ctx.request_repaint();
    }
    paths
}

// ---------------------------------------------------------------------------------------------
// Drawing

/// Why "Export result…" waits.
const NAME_FIRST: &str = "Type your name first: the facilitator's report lists each member by it.";

/// The export bar above Results, shown only for an attempt that was a pack.
pub fn export_bar(
    ui: &mut Ui,
    state: &mut GroupState,
    store: &Result<Store, StoreError>,
    view: &ResultsView,
    out: &mut Vec<Command>,
) {
    let id = view.session.attempt_id;
    if state.pack_of(id, store).is_none() {
        return;
    }
    egui::Panel::top("pack-export").show(ui, |ui| {
        ui.add_space(4.0);
        ui.label(
            RichText::new("This was a study-group exam pack: send your result to the facilitator.")
                .strong(),
        );
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("Your name");
            ui.add(egui::TextEdit::singleline(&mut state.member_name).desired_width(180.0))
                .labelled_by(l.id);
            labelled_field(
                ui,
                "Save to",
                &mut state.export_path,
                "beside the pack file",
                320.0,
            );
            let ok = !state.member_name.trim().is_empty();
            if ui
                .add_enabled(ok, egui::Button::new("Export result…"))
                .on_disabled_hover_text(NAME_FIRST)
                .clicked()
            {
                out.push(GroupCmd::ExportResult(id).into());
            }
        });
        if state.member_name.trim().is_empty() {
            // Said in the bar, not only on hover: a disabled button gives no other clue.
            ui.label(RichText::new(NAME_FIRST).weak());
        }
        if let Some(p) = &state.exported {
            ui.label(format!("Saved: {}", p.display()));
        }
        ui.add_space(4.0);
    });
}

pub fn show(
    ui: &mut Ui,
    state: &mut GroupState,
    banks: &LoadReport,
    dialog_open: bool,
    out: &mut Vec<Command>,
) {
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("group")
            .show(ui, |ui| {
                ui.heading("Study group");
                ui.label(
                    "Sit the same mock exam as your group, then compare results. Files travel by \
                 email, a shared drive or a synced folder; drop them onto this window.",
                );
                ui.add_space(8.0);
                pack_section(ui, state, banks, dialog_open, out);
                ui.add_space(12.0);
                ui.separator();
                report_section(ui, state, banks, dialog_open, out);
                if let Some(r) = &state.report {
                    super::problem::group_section(ui, &r.problems);
                }
            });
    });
}

fn pack_section(
    ui: &mut Ui,
    state: &mut GroupState,
    banks: &LoadReport,
    dialog_open: bool,
    out: &mut Vec<Command>,
) {
    ui.label(RichText::new("Sit an exam pack").size(20.0).strong());
    ui.horizontal_wrapped(|ui| {
        let field = labelled_field(
            ui,
            "Exam pack file",
            &mut state.pack_path,
            "path to a .certprep-exam.json file",
            420.0,
        );
        let typed = !state.pack_path.trim().is_empty();
        let open = ui
            .add_enabled(typed, egui::Button::new("Open exam pack"))
            .clicked();
        if typed && (open || enter_pressed(ui, &field)) {
            out.push(GroupCmd::OpenPack(PathBuf::from(state.pack_path.trim())).into());
        }
        choose_button(ui, FilePurpose::ExamPack, dialog_open, out);
    });
    if let Some(e) = &state.pack_error {
        ui.label(RichText::new(e).color(bad_color(ui)));
    }
    let Some(o) = &state.opened else {
        return;
    };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        let p = &o.pack;
        ui.label(RichText::new(&p.title).strong().size(18.0));
        ui.label(format!(
            "{} · {} · pass mark {}% · {} (version {}) · pack {}",
            count(p.items.len(), "question", "questions"),
            count(p.time_limit_minutes as usize, "minute", "minutes"),
            p.pass_percent,
            // The bank's title when it is loaded here; the pack only carries its id.
            banks
                .bank(&p.bank.id)
                .map_or(p.bank.id.as_str(), |b| b.manifest.title.as_str()),
            p.bank.version,
            p.pack_id
        ));
        match (p.opens, p.closes) {
            (Some(a), Some(b)) => ui.label(format!("Open from {a} to {b}")),
            (Some(a), None) => ui.label(format!("Open from {a}")),
            (None, Some(b)) => ui.label(format!("Results due by {b}")),
            (None, None) => ui.label(RichText::new("No open or close dates.").weak()),
        };
        for m in &o.messages {
            ui.label(RichText::new(m).color(ui.visuals().warn_fg_color));
        }
        if let Some(e) = &o.problem {
            ui.label(RichText::new(e).color(bad_color(ui)).strong());
        }
        if ui
            .add_enabled(o.bank_id.is_some(), egui::Button::new("Start pack exam"))
            .clicked()
        {
            out.push(GroupCmd::StartPack.into());
        }
    });
}

fn report_section(
    ui: &mut Ui,
    state: &mut GroupState,
    banks: &LoadReport,
    dialog_open: bool,
    out: &mut Vec<Command>,
) {
    ui.label(RichText::new("Group report").size(20.0).strong());
    ui.horizontal_wrapped(|ui| {
        let field = labelled_field(
            ui,
            "Group folder",
            &mut state.folder,
            "folder where members put their results",
            360.0,
        );
        if ui.button("Use folder").clicked() || enter_pressed(ui, &field) {
            out.push(GroupCmd::SetFolder(state.folder.trim().to_string()).into());
        }
        choose_button(ui, FilePurpose::GroupFolder, dialog_open, out);
        if ui.button("Refresh").clicked() {
            out.push(GroupCmd::Refresh.into());
        }
    });
    if let Some(e) = &state.folder_error {
        ui.label(RichText::new(e).color(bad_color(ui)));
    }
    ui.horizontal_wrapped(|ui| {
        let field = labelled_field(
            ui,
            "Result file",
            &mut state.add_path,
            "path to a .certprep-result.json file",
            360.0,
        );
        if (ui.button("Add result").clicked() || enter_pressed(ui, &field))
            && !state.add_path.trim().is_empty()
        {
            out.push(GroupCmd::AddResults(vec![PathBuf::from(state.add_path.trim())]).into());
        }
        choose_button(ui, FilePurpose::ResultFile, dialog_open, out);
        if !state.extra_files.is_empty() && ui.button("Clear added files").clicked() {
            out.push(GroupCmd::ClearResults.into());
        }
    });
    let Some(r) = &state.report else {
        ui.label(RichText::new("No results loaded yet.").weak());
        return;
    };
    ui.add_space(6.0);
    let head = match (&r.pack_id, &r.pack_title) {
        (Some(id), Some(t)) => format!("Pack {id}: {t}"),
        (Some(id), None) => format!("Pack {id}"),
        _ => "No usable results".to_string(),
    };
    ui.label(RichText::new(head).strong());
    ui.label(format!(
        "{}, {}, {} rejected",
        count(r.members.len(), "member", "members"),
        count(r.questions.len(), "question", "questions"),
        count(r.rejected.len(), "file", "files")
    ));
    if !r.members.is_empty() {
        ui.add_space(4.0);
        member_table(ui, &r.table());
        if !r.weakest.is_empty() {
            let w: Vec<String> = r
                .weakest
                .iter()
                .map(|&i| {
                    format!(
                        "{} ({}%)",
                        r.area_name(i),
                        crate::group::pct(r.area_means[i])
                    )
                })
                .collect();
            ui.label(format!("Weakest areas: {}", w.join(", ")));
        }
        for m in r.members.iter().filter(|m| !m.conflict.is_empty()) {
            ui.label(
                RichText::new(format!(
                    "Name conflict: {} looks the same as {}. Both are in the table; check who \
                     sent which file.",
                    m.name,
                    m.conflict.join(", ")
                ))
                .color(ui.visuals().warn_fg_color),
            );
        }
        let rescored = r.rescored_members();
        if !rescored.is_empty() {
            ui.label(
                RichText::new(format!(
                    "Scored from the answers against the pack, not from the files' own marks, \
                     which differ for: {}",
                    rescored.join(", ")
                ))
                .small(),
            );
        }
        let times: Vec<String> = r
            .members
            .iter()
            .map(|m| {
                format!(
                    "{} {}",
                    m.name,
                    clock(std::time::Duration::from_secs(m.time_used_secs))
                )
            })
            .collect();
        ui.label(RichText::new(format!("Time used: {}", times.join(" · "))).small());

        ui.add_space(8.0);
        test_statistics(ui, r);
        ui.add_space(8.0);
        calibration::section(ui, r, state.calibration_saved.as_ref(), out);

        ui.add_space(8.0);
        let flagged: Vec<_> = r.flagged().collect();
        ui.label(RichText::new(format!("Questions to check ({})", flagged.len())).strong());
        if r.members.len() < crate::group::MIN_MEMBERS_FOR_DIFFICULTY_FLAG {
            ui.label(
                RichText::new(format!(
                    "Questions are flagged from {} members up: with fewer, a miss says more \
                     about the member than about the question.",
                    crate::group::MIN_MEMBERS_FOR_DIFFICULTY_FLAG
                ))
                .weak(),
            );
        } else if flagged.is_empty() {
            ui.label(RichText::new("No question looks broken.").weak());
        }
        // The group checks a flagged question against its text and key, so they are one
        // click away when the bank is loaded here.
        let bank = bank_of_report(r, banks);
        for q in flagged {
            let why: Vec<&str> = q.flags.iter().map(|f| f.describe()).collect();
            let question = bank.and_then(|b| b.question(&q.question_id).map(|x| (b, x)));
            let stem = question.map_or(String::new(), |(_, x)| {
                format!(" · {}", super::question::short(&x.stem, 70))
            });
            let header =
                RichText::new(format!("{}{stem}", q.question_id)).color(ui.visuals().warn_fg_color);
            match question {
                Some((b, x)) => {
                    egui::CollapsingHeader::new(header)
                        .id_salt(("flagged", &q.question_id))
                        .show(ui, |ui| super::question::answer_key(ui, b, x));
                }
                None => {
                    ui.label(header);
                }
            }
            // Why it is flagged, on its own wrapped line: the header does not wrap.
            ui.indent(("flag-why", &q.question_id), |ui| {
                ui.label(
                    RichText::new(format!("{} · {}", q.figures_line(), why.join("; "))).small(),
                );
                for line in crate::group::problems::lines(r.problems_for(&q.question_id)) {
                    ui.label(RichText::new(format!("Reported: {line}")).small());
                }
                calibration::option_table(ui, q);
            });
        }
        egui::CollapsingHeader::new("All questions")
            .id_salt("group-questions")
            .show(ui, |ui| {
                ui.label(
                    RichText::new(
                        "Discrimination: correlation with the rest of the pack (above 0.3 is \
                         good). Efficiency: how much of the best possible separation of \
                         stronger from weaker members it achieves (Moodle flags under 15%). \
                         Weight: its share of the spread in scores.",
                    )
                    .small()
                    .weak(),
                );
                egui::Grid::new("group-q")
                    .num_columns(6)
                    .striped(true)
                    .show(ui, |ui| {
                        for h in [
                            "Question",
                            "Area",
                            "Correct",
                            "Discrimination",
                            "Efficiency",
                            "Weight",
                        ] {
                            ui.label(RichText::new(h).strong());
                        }
                        ui.end_row();
                        for q in &r.questions {
                            ui.label(&q.question_id);
                            ui.label(&q.area);
                            ui.label(format!("{}/{}", q.correct, q.members));
                            ui.label(crate::group::disc(q.discrimination));
                            ui.label(percent_or_dash(q.stats.discriminative_efficiency));
                            ui.label(percent_or_dash(q.stats.effective_weight));
                            ui.end_row();
                        }
                    });
            });
        ui.add_space(8.0);
        ui.horizontal_wrapped(|ui| {
            labelled_field(
                ui,
                "CSV file",
                &mut state.csv_path,
                "group-report.csv in the group folder",
                320.0,
            );
            if ui.button("Export CSV").clicked() {
                out.push(GroupCmd::ExportCsv(PathBuf::from(state.csv_path.trim())).into());
            }
            choose_button(ui, FilePurpose::GroupCsv, dialog_open, out);
        });
    }
    // Before the rejected files: results of several packs are all rejected from the report,
    // and calibrating them together is what can be done with them.
    calibration::pooled_section(
        ui,
        r,
        state.pooled.as_ref(),
        state.calibration_saved.as_ref(),
        banks,
        out,
    );
    if !r.rejected.is_empty() {
        ui.add_space(8.0);
        ui.label(RichText::new(format!("Rejected files ({})", r.rejected.len())).strong());
        for f in &r.rejected {
            let name = f.path.file_name().map_or_else(
                || f.path.display().to_string(),
                |n| n.to_string_lossy().into(),
            );
            ui.label(RichText::new(format!("{name}: {}", f.reason)).color(bad_color(ui)))
                .on_hover_text(f.path.display().to_string());
        }
    }
}

/// The member × skill-area table: ten skill areas with long names make it wider than most
/// windows, so it scrolls sideways, while the member names, a grid of their own beside it,
/// stay in view. Both grids have the same rows (the header cells as tall as the tallest
/// wrapped area name), so the stripes and rows line up.
fn member_table(ui: &mut Ui, table: &[Vec<String>]) {
    let Some(header) = table.first() else {
        return;
    };
    let headers: Vec<String> = header.iter().skip(1).map(|h| wrap_words(h, 14)).collect();
    let lines = headers.iter().map(|h| h.lines().count()).max().unwrap_or(1);
    let header_height = ui.text_style_height(&egui::TextStyle::Body) * lines as f32;
    let row_height = ui.spacing().interact_size.y;
    let header_cell = |ui: &mut Ui, text: &str| {
        ui.vertical(|ui| {
            ui.set_min_height(header_height);
            ui.label(RichText::new(text).strong());
        });
    };
    ui.horizontal_top(|ui| {
        // A grid cell starts narrow; wrapping would break the text per character (the
        // headers carry their own line breaks).
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        egui::Grid::new("group-names")
            .striped(true)
            .min_row_height(row_height)
            .spacing([14.0, 4.0])
            .show(ui, |ui| {
                for (i, row) in table.iter().enumerate() {
                    let name = row.first().map_or("", String::as_str);
                    if i == 0 {
                        header_cell(ui, name);
                    } else {
                        ui.label(RichText::new(name).strong());
                    }
                    ui.end_row();
                }
            });
        egui::ScrollArea::horizontal()
            .id_salt("group-table-scroll")
            .show(ui, |ui| {
                egui::Grid::new("group-table")
                    .num_columns(headers.len())
                    .striped(true)
                    .min_row_height(row_height)
                    .spacing([14.0, 4.0])
                    .show(ui, |ui| {
                        for h in &headers {
                            header_cell(ui, h);
                        }
                        ui.end_row();
                        for (i, row) in table.iter().enumerate().skip(1) {
                            let mean = i == table.len() - 1;
                            for cell in row.iter().skip(1) {
                                score_cell(ui, cell, mean);
                            }
                            ui.end_row();
                        }
                    });
            });
    });
}

/// One score of the table: "-" for no answers, else the percentage, tinted when low.
fn score_cell(ui: &mut Ui, cell: &str, strong: bool) {
    let mut text = if cell == "-" {
        RichText::new(cell)
    } else {
        RichText::new(format!("{cell}%"))
    };
    if strong {
        text = text.strong();
    }
    match cell.parse::<f64>() {
        // Low scores tinted, so the group's gaps stand out in a 12-column table without
        // reading every number.
        Ok(v) => {
            egui::Frame::NONE
                .fill(low_score_tint(bad_color(ui), v))
                .inner_margin(egui::Margin::symmetric(4, 0))
                .show(ui, |ui| ui.label(text));
        }
        Err(_) => {
            ui.label(text);
        }
    }
}

/// Break `text` into lines of at most `width` characters at spaces (longer words stay whole).
fn wrap_words(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if line > 0 && line + 1 + n > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += n;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Applying commands

impl CertprepApp {
    pub(super) fn run_group(&mut self, cmd: GroupCmd) {
        match cmd {
            GroupCmd::Open => self.open_group_screen(),
            GroupCmd::OpenPack(path) => {
                self.open_pack(&path);
                self.open_group_screen();
            }
            GroupCmd::StartPack => self.start_pack(),
            GroupCmd::ExportResult(id) => self.export_result(id),
            GroupCmd::AddResults(paths) => {
                for p in paths {
                    if !self.group.extra_files.contains(&p) {
                        self.group.extra_files.push(p);
                    }
                }
                self.group.add_path.clear();
                self.refresh_group_report();
            }
            GroupCmd::SetFolder(folder) => {
                self.group.folder = folder;
                if let Ok(store) = &self.store {
                    let f = self.group.folder.trim();
                    let f = (!f.is_empty()).then(|| Path::new(f));
                    if let Err(e) = store.set_group_folder(f) {
                        self.notice =
                            Some(error_notice(format!("The group folder was not saved: {e}")));
                    }
                }
                self.refresh_group_report();
            }
            GroupCmd::Refresh => self.refresh_group_report(),
            GroupCmd::ClearResults => {
                self.group.extra_files.clear();
                self.refresh_group_report();
            }
            GroupCmd::ExportCsv(path) => self.export_csv(path),
            GroupCmd::SaveCalibration => self.save_calibration(),
            GroupCmd::CalibratePooled { bank_id } => self.calibrate_pooled(&bank_id),
            GroupCmd::SavePooled => self.save_pooled(),
            GroupCmd::Dropped(paths) => {
                if matches!(self.screen, Screen::Exam(_)) {
                    self.notice = Some(Notice {
                        kind: NoticeKind::Warning,
                        text: "Finish or leave the exam before opening dropped files.".into(),
                    });
                    return;
                }
                let mut results = Vec::new();
                let mut pack = None;
                for p in paths {
                    match file_kind(&p) {
                        FileKind::Pack => pack = Some(p),
                        FileKind::Result => results.push(p),
                        // Unknown names: a pack if it reads as one, else a result (the
                        // report lists it with the reason if it is not).
                        FileKind::Other if ExamPack::load(&p).is_ok() => pack = Some(p),
                        FileKind::Other => results.push(p),
                    }
                }
                if let Some(p) = pack {
                    self.open_pack(&p);
                }
                if !results.is_empty() {
                    for p in results {
                        if !self.group.extra_files.contains(&p) {
                            self.group.extra_files.push(p);
                        }
                    }
                }
                self.open_group_screen();
            }
        }
    }

    fn open_group_screen(&mut self) {
        if !self.group.folder_loaded {
            self.group.folder_loaded = true;
            if let Ok(store) = &self.store
                && let Ok(Some(f)) = store.group_folder()
            {
                self.group.folder = f.display().to_string();
            }
        }
        self.screen = Screen::Group;
        self.refresh_group_report();
    }

    /// Writes the report's calibration for its bank and refreshes the dashboard, whose
    /// readiness now reads it.
    fn save_calibration(&mut self) {
        let saved = self
            .group
            .report
            .as_ref()
            .and_then(|r| r.saved_calibration(chrono::Utc::now()));
        self.group.calibration_saved = Some(match saved {
            None => calibration::SavedNote::Failed(
                "There is no calibration to save: see the line above for why.".into(),
            ),
            Some(c) => match c.save(&self.data_dir) {
                Ok(path) => calibration::SavedNote::Saved(path),
                Err(e) => calibration::SavedNote::Failed(e.to_string()),
            },
        });
        self.refresh_home();
    }

    /// Calibrates every result file the report reads, of any pack, for `bank_id`.
    fn calibrate_pooled(&mut self, bank_id: &str) {
        let Some(bank) = self.banks.bank(bank_id) else {
            return;
        };
        let inputs = self
            .group
            .files()
            .iter()
            .map(|p| {
                let input = crate::group::ReportInput::load(p);
                (input.path, input.result)
            })
            .collect();
        let pooled = crate::group::calibration::pooled(bank, inputs);
        self.group.pooled = Some((bank_id.to_string(), pooled));
    }

    fn save_pooled(&mut self) {
        let Some((bank_id, pooled)) = &self.group.pooled else {
            return;
        };
        self.group.calibration_saved = Some(match pooled.saved(bank_id, chrono::Utc::now()) {
            None => calibration::SavedNote::Failed(
                "There is no pooled calibration to save: see the line above for why.".into(),
            ),
            Some(c) => match c.save(&self.data_dir) {
                Ok(path) => calibration::SavedNote::Saved(path),
                Err(e) => calibration::SavedNote::Failed(e.to_string()),
            },
        });
        self.refresh_home();
    }

    fn refresh_group_report(&mut self) {
        let files = self.group.files();
        if files.is_empty() {
            self.group.report = None;
            return;
        }
        let pack = self.group.opened.as_ref().map(|o| &o.pack);
        self.group.report = Some(GroupReport::from_files(pack, &self.banks.banks, &files));
    }

    fn open_pack(&mut self, path: &Path) {
        self.group.pack_path = path.display().to_string();
        let pack = match ExamPack::load(path) {
            Ok(p) => p,
            Err(e) => {
                self.group.pack_error = Some(format!("{}: {e}", path.display()));
                self.group.opened = None;
                return;
            }
        };
        self.group.pack_error = None;
        self.group.exported = None;
        let today = chrono::Local::now().date_naive();
        let opened = match pack.resolve(&self.banks, today) {
            Ok(src) => {
                let messages = src.messages(&pack);
                let bank_id = src.bank_id().to_string();
                if let BankChoice::Embedded(bank) = src.bank {
                    // The embedded copy joins the loaded banks for as long as the app runs.
                    self.banks.banks.retain(|b| b.id() != bank.id());
                    self.banks.banks.push(*bank);
                }
                OpenedPack {
                    path: path.to_path_buf(),
                    pack,
                    bank_id: Some(bank_id),
                    messages,
                    problem: None,
                }
            }
            Err(e) => OpenedPack {
                path: path.to_path_buf(),
                pack,
                bank_id: None,
                messages: Vec::new(),
                problem: Some(e.to_string()),
            },
        };
        self.group.opened = Some(opened);
    }

    fn start_pack(&mut self) {
        let Some(o) = &self.group.opened else {
            return;
        };
        // A bank reload drops an embedded copy: open the pack again to bring it back.
        if o.bank_id
            .as_deref()
            .is_some_and(|id| self.banks.bank(id).is_none())
        {
            let path = o.path.clone();
            self.open_pack(&path);
        }
        let Some(o) = &self.group.opened else {
            return;
        };
        let Some(bank) = o.bank_id.as_deref().and_then(|id| self.banks.bank(id)) else {
            self.notice = Some(error_notice(
                o.problem
                    .clone()
                    .unwrap_or_else(|| "The pack's bank is not loaded.".into()),
            ));
            return;
        };
        let pack = &o.pack;
        let pack_id = pack.pack_id.clone();
        let attempt = super::exam::AttemptSpec {
            mode: Mode::Exam,
            seed: pack.seed,
            pass_percent: pack.pass_percent,
            time_limit: Some(pack.time_limit()),
            items: pack.exam_items(),
            pack_id: Some(pack_id.clone()),
            title: Some(pack.title.clone()),
            predict: true,
        };
        let bank_id = bank.id().to_string();
        if let Some(id) = self.begin_attempt(&bank_id, attempt) {
            self.group.pack_of_attempt.insert(id, Some(pack_id));
            self.group.exported = None;
        }
    }

    fn export_result(&mut self, attempt_id: i64) {
        let Screen::Results(view) = &self.screen else {
            return;
        };
        if view.session.attempt_id != attempt_id {
            return;
        }
        let Some(pack_id) = self.group.pack_of(attempt_id, &self.store) else {
            return;
        };
        let asked: Vec<&str> = view
            .report
            .items
            .iter()
            .map(|i| i.question_id.as_str())
            .collect();
        let reports = match self.reports_for_result(&view.session.bank_id, &asked) {
            Ok(r) => r,
            Err(e) => {
                self.notice = Some(error_notice(format!(
                    "The result was not exported: your question reports could not be read: {e}"
                )));
                return;
            }
        };
        let result = match MemberResult::new(
            &pack_id,
            &self.group.member_name,
            &view.report,
            view.elapsed,
            view.session.status == ExamStatus::Expired,
        )
        .and_then(|r| r.with_reports(reports))
        {
            Ok(r) => r,
            Err(e) => {
                self.notice = Some(error_notice(format!("The result was not exported: {e}")));
                return;
            }
        };
        let typed = self.group.export_path.trim();
        let path = if typed.is_empty() {
            self.default_result_dir(&pack_id).join(result.file_name())
        } else if Path::new(typed).is_dir() {
            Path::new(typed).join(result.file_name())
        } else {
            PathBuf::from(typed)
        };
        match std::fs::write(&path, result.to_json()) {
            Ok(()) => {
                self.notice = Some(Notice {
                    kind: NoticeKind::Info,
                    text: format!(
                        "Result saved to {}. Send it to your facilitator or put it in the group folder.",
                        path.display()
                    ),
                });
                self.group.exported = Some(path);
            }
            Err(e) => {
                self.notice = Some(error_notice(format!(
                    "The result could not be written to {}: {e}",
                    path.display()
                )))
            }
        }
    }

    /// Beside the pack when it is the one open, else the group folder, else the data folder.
    fn default_result_dir(&self, pack_id: &str) -> PathBuf {
        if let Some(o) = &self.group.opened
            && o.pack.pack_id == pack_id
            && let Some(dir) = o.path.parent().filter(|d| d.is_dir())
        {
            return dir.to_path_buf();
        }
        let folder = self.group.folder.trim();
        if !folder.is_empty() && Path::new(folder).is_dir() {
            return PathBuf::from(folder);
        }
        self.data_dir.clone()
    }

    fn export_csv(&mut self, path: PathBuf) {
        let Some(report) = &self.group.report else {
            return;
        };
        let path = if path.as_os_str().is_empty() {
            let folder = self.group.folder.trim();
            let dir = if folder.is_empty() {
                self.data_dir.clone()
            } else {
                PathBuf::from(folder)
            };
            dir.join("group-report.csv")
        } else {
            path
        };
        self.notice = Some(match std::fs::write(&path, report.to_csv()) {
            Ok(()) => Notice {
                kind: NoticeKind::Info,
                text: format!("Report saved to {}", path.display()),
            },
            Err(e) => error_notice(format!(
                "The report could not be written to {}: {e}",
                path.display()
            )),
        });
    }
}

/// A background for a score cell: transparent at 100%, a deepening red towards 0%.
/// `base` is the theme's "bad" colour; the tint grows with the square of the shortfall, so
/// middling scores stay quiet and the real gaps stand out.
fn low_score_tint(base: egui::Color32, percent: f64) -> egui::Color32 {
    let weakness = (1.0 - percent / 100.0).clamp(0.0, 1.0);
    let alpha = (weakness * weakness * 110.0).round() as u8;
    egui::Color32::from_rgba_unmultiplied(base.r(), base.g(), base.b(), alpha)
}

/// The loaded bank holding every question of the report (the pack's bank, or its embedded
/// copy once opened), if there is one.
fn bank_of_report<'a>(r: &GroupReport, banks: &'a LoadReport) -> Option<&'a Bank> {
    if r.questions.is_empty() {
        return None;
    }
    banks.banks.iter().find(|b| {
        r.questions
            .iter()
            .all(|q| b.question(&q.question_id).is_some())
    })
}

/// Moodle's whole-test figures, each with what it means in one line.
fn test_statistics(ui: &mut egui::Ui, r: &crate::group::GroupReport) {
    ui.label(RichText::new("Test statistics").strong());
    egui::Grid::new("group-test-stats")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for f in r.test_figures() {
                ui.label(f.name);
                ui.label(&f.shown);
                ui.label(RichText::new(f.meaning).small().weak());
                ui.end_row();
            }
        });
}

/// "12.5%", or "-" when undefined.
fn percent_or_dash(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| format!("{x:.1}%"))
}

#[cfg(test)]
mod tests {
    use super::low_score_tint;
    use egui::Color32;

    #[test]
    fn low_scores_get_the_strongest_tint_and_full_marks_none() {
        let red = Color32::from_rgb(200, 40, 40);
        let alpha = |p: f64| low_score_tint(red, p).a();
        assert_eq!(alpha(100.0), 0);
        assert_eq!(alpha(0.0), 110);
        // Quadratic: a 50% cell gets a quarter of the strongest tint, a 90% cell almost none.
        assert!((26..=29).contains(&alpha(50.0)), "{}", alpha(50.0));
        assert!(alpha(90.0) <= 2);
        assert!(alpha(33.3) > alpha(66.7));
        // Out-of-range input clamps instead of wrapping.
        assert_eq!(alpha(-5.0), 110);
        assert_eq!(alpha(120.0), 0);
    }
}
