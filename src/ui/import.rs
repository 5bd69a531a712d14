//! Import: a Moodle GIFT, Aiken or Moodle XML file or a CSV file becomes a new bank folder in
//! the banks folder.
//!
//! The file comes by typed path, by the native "Open file" dialog (`rfd`, through the XDG
//! desktop portal on Linux, so no GTK is needed), or dropped onto the window. It is read and
//! parsed on a background thread and shown as a preview (questions per skill area with the
//! first line of each, every skipped item with its line and reason) before anything is
//! written. The write runs in the background too, refuses to replace an existing bank folder
//! without a second, explicit click, and then reloads the banks.

use super::dialog::{FilePurpose, choose_button};
use super::widgets::labelled_field;
use super::{CertprepApp, Command, Notice, NoticeKind, Screen};
use crate::bank::LoadReport;
use crate::import::{Import, ImportOptions, is_slug, slugify, write_bank};
use egui::{RichText, Ui};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Instant;

/// Questions listed per skill area in the preview; the rest are counted.
const LISTED_PER_AREA: usize = 40;

#[derive(Debug, Clone, PartialEq)]
pub enum ImportCmd {
    /// Show the Import screen.
    Open,
    /// Read and parse this file in the background, then show the preview.
    Preview(PathBuf),
    /// Files dropped onto the window: the first is previewed.
    Dropped(Vec<PathBuf>),
    /// Write the previewed bank; `replace` is the explicit "yes, replace the existing folder".
    Write { replace: bool },
    /// Answer "no" to replacing an existing bank folder.
    CancelReplace,
    /// Forget the preview and start again.
    Clear,
}

impl From<ImportCmd> for Command {
    fn from(c: ImportCmd) -> Command {
        Command::Import(c)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Gift,
    Csv,
    Aiken,
    MoodleXml,
}

impl SourceKind {
    /// `.csv` is CSV, `.xml` Moodle XML; anything else (`.gift`, `.txt`, ...) is GIFT, Aiken
    /// or Moodle XML, told apart by the text ([`SourceKind::of_text`]).
    pub fn of(path: &Path) -> SourceKind {
        match extension(path).as_deref() {
            Some("csv") => SourceKind::Csv,
            Some("xml") => SourceKind::MoodleXml,
            _ => SourceKind::Gift,
        }
    }

    /// A text file is Moodle XML when its root element is `<quiz>`, Aiken when it reads as
    /// Aiken (`ANSWER: X` lines and no more GIFT answer blocks than those), else GIFT.
    pub fn of_text(text: &str) -> SourceKind {
        if crate::import::moodle_xml::looks_like_moodle_xml(text) {
            SourceKind::MoodleXml
        } else if crate::import::aiken::looks_like_aiken(text) {
            SourceKind::Aiken
        } else {
            SourceKind::Gift
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Gift => "GIFT",
            SourceKind::Csv => "CSV",
            SourceKind::Aiken => "Aiken",
            SourceKind::MoodleXml => "Moodle XML",
        }
    }
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
}

/// Whether files dropped onto the window are meant for the importer: always on the Import
/// screen, elsewhere when one of them is a `.gift`, `.csv` or `.xml` file (other drops go to the
/// study group screen, which takes packs and result files).
pub fn wants_drop(on_import_screen: bool, paths: &[PathBuf]) -> bool {
    on_import_screen
        || paths
            .iter()
            .any(|p| matches!(extension(p).as_deref(), Some("gift" | "csv" | "xml")))
}

/// A parsed file, shown before anything is written.
pub struct Preview {
    pub path: PathBuf,
    pub kind: SourceKind,
    pub import: Import,
    /// The item-writing check (`certprep lint`) over what would be imported.
    pub lint: crate::lint::LintReport,
}

impl Preview {
    /// (skill area name, question stems) in the order of the areas.
    pub fn by_area(&self) -> Vec<(&str, Vec<&str>)> {
        // One pass over the questions (a file with 40,000 areas must not scan them all for
        // each area).
        let mut stems: std::collections::HashMap<&str, Vec<&str>> =
            std::collections::HashMap::new();
        for q in &self.import.questions {
            stems
                .entry(q.domain.as_str())
                .or_default()
                .push(q.stem.as_str());
        }
        self.import
            .manifest
            .domains
            .iter()
            .filter_map(|d| Some((d.name.as_str(), stems.remove(d.id.as_str())?)))
            .collect()
    }
}

/// A bank the importer wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenBank {
    pub id: String,
    pub dir: PathBuf,
    pub questions: usize,
    pub areas: usize,
    /// Where the folder it replaced was moved (never deleted).
    pub replaced_to: Option<PathBuf>,
}

enum Outcome {
    Parsed(Result<Preview, String>),
    Written(Result<WrittenBank, String>),
}

/// Work running on a background thread; the UI polls `rx` every frame.
struct Job {
    label: &'static str,
    started: Instant,
    rx: mpsc::Receiver<Outcome>,
}

/// What the Import screen remembers.
#[derive(Default)]
pub struct ImportState {
    /// The path as typed (or as chosen / dropped).
    pub path: String,
    pub bank_id: String,
    pub title: String,
    pub preview: Option<Preview>,
    pub error: Option<String>,
    /// The target folder holds files: the user is asked before it is replaced.
    pub confirm_replace: bool,
    pub written: Option<WrittenBank>,
    job: Option<Job>,
}

impl ImportState {
    /// A file is being read, parsed or written.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// Run `work` on its own thread. A job started while another runs replaces it (the older
    /// thread finishes, and its result is dropped).
    fn spawn(&mut self, label: &'static str, work: impl FnOnce() -> Outcome + Send + 'static) {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(work());
        });
        self.job = Some(Job {
            label,
            started: Instant::now(),
            rx,
        });
    }

    fn poll(&mut self) -> Option<Outcome> {
        let job = self.job.as_ref()?;
        match job.rx.try_recv() {
            Ok(outcome) => {
                self.job = None;
                Some(outcome)
            }
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => {
                // The thread ended without an answer: it panicked.
                let label = job.label;
                self.job = None;
                self.error = Some(format!(
                    "{label} stopped unexpectedly; nothing was written."
                ));
                None
            }
        }
    }
}

/// The id a file suggests: its name slugified (`CETL Quiz 3.gift` → `cetl-quiz-3`).
pub fn suggested_id(path: &Path) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let id = slugify(stem);
    if id.is_empty() { "imported".into() } else { id }
}

/// Read and parse `path` (runs on the background thread).
pub fn parse_file(path: &Path) -> Result<Preview, String> {
    let opts = ImportOptions {
        bank_id: suggested_id(path),
        title: None,
    };
    let (kind, import) = match SourceKind::of(path) {
        // A CSV that is not UTF-8 is read as Windows-1252 (older Excel), and the preview says so.
        SourceKind::Csv => (
            SourceKind::Csv,
            crate::import::csv::parse_bytes(&crate::cli::import::read_bytes(path)?, &opts)
                .map_err(|e| format!("{}: {e}", path.display()))?,
        ),
        // An .xml file is read with Moodle XML's larger limit (it embeds images).
        SourceKind::MoodleXml => (
            SourceKind::MoodleXml,
            moodle_xml(&crate::cli::import::read_xml(path)?, path, &opts)?,
        ),
        _ => {
            let text = crate::cli::import::read(path)?;
            match SourceKind::of_text(&text) {
                SourceKind::Aiken => (SourceKind::Aiken, crate::import::aiken::parse(&text, &opts)),
                SourceKind::MoodleXml => (SourceKind::MoodleXml, moodle_xml(&text, path, &opts)?),
                _ => (SourceKind::Gift, crate::import::gift::parse(&text, &opts)),
            }
        }
    };
    let lint = import.lint(path);
    Ok(Preview {
        path: path.to_path_buf(),
        kind,
        import,
        lint,
    })
}

fn moodle_xml(text: &str, path: &Path, opts: &ImportOptions) -> Result<Import, String> {
    crate::import::moodle_xml::parse(text, opts).map_err(|e| format!("{}: {e}", path.display()))
}

/// A folder that exists and holds something.
fn occupied(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some())
}

/// Write `import` to `banks_dir/<id>` (runs on the background thread). An existing folder is
/// first moved to `aside_root/<id>-<time>` and moved back if the write fails.
fn write_job(
    import: Import,
    banks_dir: &Path,
    aside_root: &Path,
    replace: bool,
) -> Result<WrittenBank, String> {
    let id = import.manifest.id.clone();
    let dir = banks_dir.join(&id);
    let mut replaced_to = None;
    if occupied(&dir) {
        if !replace {
            return Err(format!(
                "{} already exists; nothing was written.",
                dir.display()
            ));
        }
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let aside = new_folder(aside_root, &format!("{id}-{stamp}"))
            .and_then(|aside| move_dir(&dir, &aside).map(|()| aside))
            .map_err(|e| format!("Could not move the existing {} aside: {e}", dir.display()))?;
        replaced_to = Some(aside);
    }
    match write_bank(&import, &dir, false) {
        Ok(bank) => Ok(WrittenBank {
            id,
            dir,
            questions: bank.questions.len(),
            areas: bank.manifest.domains.len(),
            replaced_to,
        }),
        Err(e) => {
            if let Some(aside) = &replaced_to {
                let _ = std::fs::remove_dir_all(&dir);
                let _ = move_dir(aside, &dir);
            }
            Err(format!("Import failed: {e}"))
        }
    }
}

/// A new, empty folder in `root` named `name` (or `name-2`, `name-3`, ... when taken):
/// `create_dir` fails on an existing folder, so a replaced bank is never moved into (or
/// over) another one, however quickly two imports follow each other.
fn new_folder(root: &Path, name: &str) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(root)?;
    for n in 1..10_000 {
        let path = if n == 1 {
            root.join(name)
        } else {
            root.join(format!("{name}-{n}"))
        };
        match std::fs::create_dir(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!("no free name for {name} in {}", root.display()),
    ))
}

/// Rename, or copy and delete when the two folders are on different drives. `to` is an
/// empty folder made by [`new_folder`] (a rename replaces it), or does not exist.
fn move_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    if std::fs::rename(from, to).is_ok() {
        return Ok(());
    }
    copy_dir(from, to)?;
    std::fs::remove_dir_all(from)
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Drawing

/// `question-banks/<id>`, as the button and messages name the target folder.
fn target_name(banks_dir: &Path, id: &str) -> String {
    let folder = banks_dir.file_name().map_or_else(
        || banks_dir.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    format!("{folder}/{id}")
}

/// `banks_dir` is where the bank will be written; `banks`, those loaded now (a built-in
/// bank's id cannot be taken by an import).
pub fn show(
    ui: &mut Ui,
    state: &mut ImportState,
    banks_dir: &Path,
    banks: &LoadReport,
    dialog_open: bool,
    out: &mut Vec<Command>,
) {
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("import")
            .show(ui, |ui| {
                ui.heading("Import questions");
                ui.label(
                    "Bring questions from Moodle (GIFT or Moodle XML), an Aiken text file or a \
                 spreadsheet saved as CSV (columns in docs/import.md) into a new bank. Nothing is \
                 written until you press Import.",
                );
                ui.add_space(8.0);
                file_row(ui, state, dialog_open, out);
                if let Some(job) = &state.job {
                    ui.horizontal_wrapped(|ui| {
                        ui.add(egui::Spinner::new());
                        ui.label(format!(
                            "{}… {:.1} s",
                            job.label,
                            job.started.elapsed().as_secs_f32()
                        ));
                    });
                }
                if let Some(e) = &state.error {
                    ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
                }
                if let Some(w) = &state.written {
                    written(ui, w, out);
                }
                if state.preview.is_some() {
                    ui.add_space(8.0);
                    ui.separator();
                    preview(ui, state, banks_dir, banks, out);
                }
            });
    });
}

fn file_row(ui: &mut Ui, state: &mut ImportState, dialog_open: bool, out: &mut Vec<Command>) {
    let busy = state.busy();
    ui.horizontal_wrapped(|ui| {
        let r = labelled_field(
            ui,
            "File to import",
            &mut state.path,
            "path to a .gift, .xml, .txt or .csv file",
            420.0,
        );
        let typed = !state.path.trim().is_empty();
        let entered = super::widgets::enter_pressed(ui, &r);
        if (ui
            .add_enabled(typed && !busy, egui::Button::new("Preview"))
            .clicked()
            || entered)
            && typed
            && !busy
        {
            out.push(ImportCmd::Preview(PathBuf::from(state.path.trim())).into());
        }
        choose_button(ui, FilePurpose::Questions, dialog_open || busy, out);
    });
    ui.label(
        RichText::new("Or drop a .gift, .xml, .txt or .csv file onto this window.")
            .small()
            .weak(),
    );
}

fn written(ui: &mut Ui, w: &WrittenBank, out: &mut Vec<Command>) {
    ui.add_space(8.0);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(
            RichText::new(format!(
                "Imported {} in {} into {}.",
                crate::text::count(w.questions, "question", "questions"),
                crate::text::count(w.areas, "skill area", "skill areas"),
                w.dir.display()
            ))
            .strong(),
        );
        if let Some(aside) = &w.replaced_to {
            ui.label(format!(
                "The bank it replaced was moved to {}.",
                aside.display()
            ));
        }
        ui.horizontal_wrapped(|ui| {
            if ui.button("Practise with it").clicked() {
                out.push(
                    super::SetupCmd::Open {
                        bank_id: Some(w.id.clone()),
                    }
                    .into(),
                );
            }
            if ui.button("Import another file").clicked() {
                out.push(ImportCmd::Clear.into());
            }
        });
    });
}

/// Whether `id` is a bank built into certprep, which an import must not replace (see
/// `crate::bank_sources`: the built-in bank would win and the import would be unreachable).
fn built_in_id(banks: &LoadReport, id: &str) -> bool {
    banks.banks.iter().any(|b| b.is_built_in() && b.id() == id)
}

fn built_in_message(id: &str) -> String {
    format!(
        "\"{id}\" is the id of a bank built into certprep; an import cannot replace it. \
         Choose another bank id."
    )
}

fn preview(
    ui: &mut Ui,
    state: &mut ImportState,
    banks_dir: &Path,
    banks: &LoadReport,
    out: &mut Vec<Command>,
) {
    let busy = state.busy();
    let Some(p) = &state.preview else {
        return;
    };
    let file = p.path.file_name().map_or_else(
        || p.path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    ui.label(
        RichText::new(format!("Preview of {file} ({})", p.kind.name()))
            .size(20.0)
            .strong(),
    );
    ui.label(
        RichText::new(format!(
            "{} to import, {} skipped",
            crate::text::count(p.import.questions.len(), "question", "questions"),
            p.import.skipped.len()
        ))
        .strong(),
    );
    if let Some(enc) = p.import.encoding {
        ui.label(format!(
            "The file is not UTF-8 text: it was read as {enc} (as older Excel saves CSV). \
             Check that accented letters and symbols look right below."
        ));
    }
    if p.kind == SourceKind::MoodleXml || !p.import.images.is_empty() {
        ui.label(images_line(p.import.images.len()));
    }
    ui.add_space(6.0);
    egui::Grid::new("import-bank")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let l = ui.label("Bank id");
            ui.add(egui::TextEdit::singleline(&mut state.bank_id).desired_width(260.0))
                .labelled_by(l.id);
            ui.end_row();
            let l = ui.label("Title");
            ui.add(egui::TextEdit::singleline(&mut state.title).desired_width(420.0))
                .labelled_by(l.id);
            ui.end_row();
        });
    let id = state.bank_id.trim();
    let slug = is_slug(id);
    let built_in = built_in_id(banks, id);
    let id_ok = slug && !built_in;
    let target = target_name(banks_dir, id);
    let exists = id_ok && occupied(&banks_dir.join(id));
    if !slug {
        ui.label(
            RichText::new("The bank id may use only lowercase letters, digits and '-'.")
                .color(ui.visuals().error_fg_color),
        );
    } else if built_in {
        ui.label(RichText::new(built_in_message(id)).color(ui.visuals().error_fg_color));
    } else if exists && !state.confirm_replace {
        ui.label(
            RichText::new(format!(
                "{target} already exists: importing will ask before replacing it."
            ))
            .color(ui.visuals().warn_fg_color),
        );
    }
    let importable = !p.import.questions.is_empty();
    if !importable {
        ui.label(
            RichText::new("No question in this file can be imported.")
                .color(ui.visuals().error_fg_color),
        );
    }
    ui.add_space(4.0);
    if state.confirm_replace {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(
                RichText::new(format!(
                    "{target} already holds a bank. Replace it? Its folder is moved to \
                     replaced-banks/ in your data folder, not deleted."
                ))
                .color(ui.visuals().warn_fg_color)
                .strong(),
            );
            ui.horizontal_wrapped(|ui| {
                if ui
                    .add_enabled(
                        !busy && id_ok,
                        egui::Button::new(format!("Replace {target}")),
                    )
                    .clicked()
                {
                    out.push(ImportCmd::Write { replace: true }.into());
                }
                if ui.button("Keep the existing bank").clicked() {
                    out.push(ImportCmd::CancelReplace.into());
                }
            });
        });
    } else if ui
        .add_enabled(
            importable && id_ok && !busy,
            egui::Button::new(RichText::new(format!("Import into {target}")).strong()),
        )
        .clicked()
    {
        out.push(ImportCmd::Write { replace: false }.into());
    }

    ui.add_space(10.0);
    ui.label(RichText::new("Questions by skill area").strong());
    for (area, stems) in p.by_area() {
        let questions = crate::text::count(stems.len(), "question", "questions");
        ui.label(RichText::new(format!("{area}: {questions}")).strong());
        ui.indent(("import-area", area), |ui| {
            for stem in stems.iter().take(LISTED_PER_AREA) {
                ui.label(first_line(stem, 110));
            }
            if stems.len() > LISTED_PER_AREA {
                ui.label(
                    RichText::new(format!("… and {} more", stems.len() - LISTED_PER_AREA)).weak(),
                );
            }
        });
    }
    ui.add_space(10.0);
    ui.label(RichText::new(format!("Skipped ({})", p.import.skipped.len())).strong());
    if p.import.skipped.is_empty() {
        ui.label("Nothing was skipped.");
    }
    for s in &p.import.skipped {
        ui.label(
            RichText::new(format!("Line {}: {}", s.line, s.reason))
                .color(ui.visuals().warn_fg_color),
        );
    }
    if !p.import.notes.is_empty() {
        ui.add_space(10.0);
        ui.label(
            RichText::new(format!("Imported with a change ({})", p.import.notes.len())).strong(),
        );
        for n in &p.import.notes {
            ui.label(format!("Line {}: {}", n.line, n.reason));
        }
    }
    lint_section(ui, &p.lint);
}

/// How many images the preview keeps, and where they go.
pub fn images_line(n: usize) -> String {
    match n {
        0 => "No images kept.".into(),
        n => format!(
            "{} kept: written to {}/ in the new bank folder.",
            crate::text::count(n, "image", "images"),
            crate::import::IMAGES_DIR
        ),
    }
}

/// Findings listed before "… and N more".
const LISTED_FINDINGS: usize = 40;

/// What `certprep lint` would say about the file: cues that give keys away, then per item.
fn lint_section(ui: &mut Ui, lint: &crate::lint::LintReport) {
    ui.add_space(10.0);
    let leaks = lint.leaks();
    ui.label(
        RichText::new(format!(
            "Item-writing check: {} that give keys away, {}",
            crate::text::count(leaks.len(), "cue", "cues"),
            crate::text::count(lint.findings.len(), "remark", "remarks")
        ))
        .strong(),
    );
    ui.label(
        RichText::new(
            "Questions a test-wise guess can answer make scores look better than knowledge. \
             These do not stop the import.",
        )
        .weak(),
    );
    for l in &leaks {
        ui.label(RichText::new(l).color(ui.visuals().warn_fg_color));
    }
    for f in lint.findings.iter().take(LISTED_FINDINGS) {
        let line =
            f.at.as_ref()
                .map_or(String::new(), |at| format!("Line {}: ", at.line));
        ui.label(format!("{line}{}: {}", f.item, f.message));
    }
    if lint.findings.len() > LISTED_FINDINGS {
        ui.label(
            RichText::new(format!(
                "… and {} more (run certprep lint on the file for all of them)",
                lint.findings.len() - LISTED_FINDINGS
            ))
            .weak(),
        );
    }
}

/// The first line of `text`, at most `max` characters.
pub fn first_line(text: &str, max: usize) -> String {
    // A bank text: its formatting marks are not part of a one-line preview.
    let plain = crate::markup::to_plain(text);
    let text = plain.as_str();
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let more = text.trim().lines().count() > 1;
    let mut s = super::question::short(line, max);
    if more && !s.ends_with('…') {
        s.push_str(" …");
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Applying commands

impl CertprepApp {
    pub(super) fn run_import(&mut self, cmd: ImportCmd) {
        match cmd {
            ImportCmd::Open => self.screen = Screen::Import,
            ImportCmd::Preview(path) => {
                self.screen = Screen::Import;
                let st = &mut self.import;
                st.path = path.display().to_string();
                st.error = None;
                st.written = None;
                st.confirm_replace = false;
                st.spawn("Reading the file", move || {
                    Outcome::Parsed(parse_file(&path))
                });
            }
            ImportCmd::Dropped(paths) => {
                if matches!(self.screen, Screen::Exam(_)) {
                    self.notice = Some(Notice {
                        kind: NoticeKind::Warning,
                        text: "Finish or leave the exam before importing a file.".into(),
                    });
                    return;
                }
                if let Some(p) = paths.into_iter().next() {
                    self.run_import(ImportCmd::Preview(p));
                }
            }
            ImportCmd::Write { replace } => self.write_import(replace),
            ImportCmd::CancelReplace => self.import.confirm_replace = false,
            ImportCmd::Clear => {
                self.import = ImportState::default();
                self.screen = Screen::Import;
            }
        }
    }

    fn write_import(&mut self, replace: bool) {
        let st = &mut self.import;
        let Some(p) = &st.preview else {
            return;
        };
        let id = st.bank_id.trim().to_string();
        if !is_slug(&id) {
            st.error = Some(crate::import::ImportError::BadBankId(id).to_string());
            return;
        }
        if built_in_id(&self.banks, &id) {
            st.error = Some(built_in_message(&id));
            return;
        }
        if occupied(&self.bank_sources.import_to.join(&id)) && !replace {
            st.confirm_replace = true;
            return;
        }
        st.confirm_replace = false;
        st.error = None;
        let mut import = p.import.clone();
        import.manifest.id = id.clone();
        let title = st.title.trim();
        import.manifest.title = if title.is_empty() {
            id
        } else {
            title.to_string()
        };
        let banks_dir = self.bank_sources.import_to.clone();
        let aside_root = self.data_dir.join("replaced-banks");
        st.spawn("Writing the bank", move || {
            Outcome::Written(write_job(import, &banks_dir, &aside_root, replace))
        });
    }

    /// Pick up a finished background job (called every frame).
    pub(super) fn poll_import(&mut self) {
        let Some(outcome) = self.import.poll() else {
            return;
        };
        match outcome {
            Outcome::Parsed(Ok(p)) => {
                let st = &mut self.import;
                st.bank_id = p.import.manifest.id.clone();
                st.title = p.import.manifest.title.clone();
                st.preview = Some(p);
            }
            Outcome::Parsed(Err(e)) => {
                self.import.preview = None;
                self.import.error = Some(e);
            }
            Outcome::Written(Ok(w)) => {
                self.run_cmd(Command::ReloadBanks);
                self.notice = Some(Notice {
                    kind: NoticeKind::Info,
                    text: format!(
                        "Imported {} into {}.",
                        crate::text::count(w.questions, "question", "questions"),
                        target_name(&self.bank_sources.import_to, &w.id)
                    ),
                });
                self.selected_bank = Some(w.id.clone());
                self.refresh_home();
                self.import.preview = None;
                self.import.written = Some(w);
            }
            Outcome::Written(Err(e)) => self.import.error = Some(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_ids_and_drops() {
        assert_eq!(SourceKind::of(Path::new("a/Quiz.CSV")), SourceKind::Csv);
        assert_eq!(SourceKind::of(Path::new("a/quiz.txt")), SourceKind::Gift);
        assert_eq!(
            SourceKind::of_text("Q?\nA. yes\nB. no\nANSWER: A\n"),
            SourceKind::Aiken
        );
        assert_eq!(SourceKind::of_text("Q? {=yes ~no}\n"), SourceKind::Gift);
        assert_eq!(
            suggested_id(Path::new("/x/CETL Quiz 3.gift")),
            "cetl-quiz-3"
        );
        assert_eq!(suggested_id(Path::new("/x/日本.gift")), "imported");
        assert!(wants_drop(false, &[PathBuf::from("q.gift")]));
        assert!(!wants_drop(
            false,
            &[PathBuf::from("r.certprep-result.json")]
        ));
        assert!(wants_drop(true, &[PathBuf::from("q.txt")]));
        assert_eq!(first_line("One\ntwo", 50), "One …");
        assert_eq!(first_line("abcdef", 3), "abc…");
    }

    /// While a job runs the screen keeps drawing, with a spinner and what is going on; the
    /// result is picked up by polling once the thread is done.
    #[test]
    fn a_running_job_shows_progress_and_is_polled_when_done() {
        use egui_kittest::kittest::{NodeT, Queryable};
        let (go, wait) = mpsc::channel::<()>();
        let mut st = ImportState::default();
        st.spawn("Reading the file", move || {
            wait.recv().ok();
            Outcome::Parsed(Err("nothing to read".into()))
        });
        assert!(st.busy());
        assert!(st.poll().is_none());
        let mut h = egui_kittest::Harness::new_ui_state(
            |ui, st: &mut ImportState| {
                show(
                    ui,
                    st,
                    Path::new("question-banks"),
                    &LoadReport::default(),
                    false,
                    &mut Vec::new(),
                )
            },
            st,
        );
        h.run_steps(3);
        h.get_by_label_contains("Reading the file…");
        assert!(h.get_by_label("Preview").accesskit_node().is_disabled());
        go.send(()).unwrap();
        let st = h.state_mut();
        let outcome = (0..2000)
            .find_map(|_| {
                std::thread::sleep(std::time::Duration::from_millis(1));
                st.poll()
            })
            .expect("the job finishes");
        assert!(matches!(outcome, Outcome::Parsed(Err(_))));
        assert!(!st.busy());
    }

    #[test]
    fn a_failed_write_puts_the_old_bank_back() {
        let dir = tempfile::tempdir().unwrap();
        let banks = dir.path().join("banks");
        let old = banks.join("b");
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join("keep.txt"), "old").unwrap();
        let opts = ImportOptions {
            bank_id: "b".into(),
            title: None,
        };
        // Nothing importable: write_bank refuses (the bank does not validate).
        let import = crate::import::gift::parse("Essay {}", &opts);
        assert!(import.questions.is_empty());
        let err = write_job(import.clone(), &banks, &dir.path().join("aside"), true);
        assert!(err.is_err());
        assert_eq!(
            std::fs::read_to_string(old.join("keep.txt")).unwrap(),
            "old"
        );
        // Without `replace` nothing is touched.
        assert!(write_job(import, &banks, &dir.path().join("aside"), false).is_err());
        assert!(old.join("keep.txt").is_file());
    }
}
