//! Native file dialogs (rfd) behind the "Choose…" buttons. Every path field keeps its text box,
//! so typed and dropped paths work as before; the dialog only fills the field and does what
//! the field's own button would.
//!
//! A dialog blocks the thread that opens it, so it runs on a helper thread and the window
//! keeps drawing (an exam clock must not stop because a dialog is open elsewhere). macOS only
//! allows dialogs on the main thread; there it blocks, as every macOS app's dialog does.

use super::{Command, GroupCmd, HistoryCmd, ImportCmd};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What a dialog is choosing, and so which dialog it is and where the answer goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilePurpose {
    /// GIFT, Aiken, Moodle XML or CSV questions for the Import screen.
    Questions,
    ExamPack,
    ResultFile,
    GroupFolder,
    /// Where to write the group report as CSV.
    GroupCsv,
    /// Where to write the history file (a save dialog).
    ExportHistory,
    ImportHistory,
    /// The folder a sync tool copies, for Settings → Sync through a folder.
    SyncFolder,
    /// Where to write the question reports as CSV (Settings → Question reports).
    ReportsCsv,
}

impl FilePurpose {
    fn title(self) -> &'static str {
        match self {
            FilePurpose::Questions => "Choose a GIFT, Moodle XML or CSV file",
            FilePurpose::ExamPack => "Open an exam pack",
            FilePurpose::ResultFile => "Add a member's result",
            FilePurpose::GroupFolder => "Choose the group folder",
            FilePurpose::GroupCsv => "Save the group report",
            FilePurpose::ExportHistory => "Export your history",
            FilePurpose::ImportHistory => "Import a history file",
            FilePurpose::SyncFolder => "Choose the sync folder",
            FilePurpose::ReportsCsv => "Save the question reports",
        }
    }

    /// Which dialog: open a file of these types, save under a suggested name, or pick a folder.
    fn kind(self) -> DialogKind {
        use DialogKind::*;
        match self {
            FilePurpose::Questions => {
                Open("GIFT, Moodle XML or CSV", &["gift", "xml", "txt", "csv"])
            }
            FilePurpose::ExamPack => Open("certprep exam pack", &["json"]),
            FilePurpose::ResultFile => Open("certprep result", &["json"]),
            FilePurpose::ImportHistory => Open("certprep history", &["sqlite3"]),
            FilePurpose::GroupFolder | FilePurpose::SyncFolder => Folder,
            FilePurpose::GroupCsv => Save("group-report.csv", "CSV", &["csv"]),
            FilePurpose::ReportsCsv => Save("question-reports.csv", "CSV", &["csv"]),
            FilePurpose::ExportHistory => {
                Save("certprep-history.sqlite3", "certprep history", &["sqlite3"])
            }
        }
    }

    /// Show the dialog and wait for the answer (None: cancelled).
    fn run(self) -> Option<PathBuf> {
        let d = rfd::FileDialog::new().set_title(self.title());
        match self.kind() {
            DialogKind::Open(name, types) => d
                .add_filter(name, types)
                .add_filter("All files", &["*"])
                .pick_file(),
            DialogKind::Save(file, name, types) => {
                d.set_file_name(file).add_filter(name, types).save_file()
            }
            DialogKind::Folder => d.pick_folder(),
        }
    }

    /// What the field's own button does with a path: the same happens to a chosen one.
    pub fn command(self, path: PathBuf) -> Command {
        match self {
            FilePurpose::Questions => ImportCmd::Preview(path).into(),
            FilePurpose::ExamPack => GroupCmd::OpenPack(path).into(),
            FilePurpose::ResultFile => GroupCmd::AddResults(vec![path]).into(),
            FilePurpose::GroupFolder => GroupCmd::SetFolder(path.display().to_string()).into(),
            FilePurpose::GroupCsv => GroupCmd::ExportCsv(path).into(),
            FilePurpose::ExportHistory => HistoryCmd::Export(path).into(),
            FilePurpose::ImportHistory => HistoryCmd::AskImport(path).into(),
            FilePurpose::SyncFolder => super::SyncCmd::LinkTo(path).into(),
            FilePurpose::ReportsCsv => super::SettingsCmd::ExportReports(path).into(),
        }
    }
}

/// An answer this fast was no dialog at all: rfd returns "cancelled" at once when the desktop
/// has no file chooser (no XDG portal, no zenity), and no person cancels a dialog that fast.
pub const NO_DIALOG_WITHIN: Duration = Duration::from_millis(400);

enum DialogKind {
    /// Open a file: the filter's name and extensions ("All files" is always offered too).
    Open(&'static str, &'static [&'static str]),
    /// Save: the suggested file name, the filter's name and extensions.
    Save(&'static str, &'static str, &'static [&'static str]),
    Folder,
}

/// A dialog open on its helper thread.
pub struct PendingDialog {
    pub purpose: FilePurpose,
    started: Instant,
    rx: mpsc::Receiver<Option<PathBuf>>,
}

/// How a poll went.
pub enum DialogPoll {
    Open,
    Chosen(PathBuf),
    Cancelled,
    /// No dialog could be shown: the helper thread died, or "cancelled" came back too fast
    /// for a person (see [`NO_DIALOG_WITHIN`]).
    Failed,
}

/// What "cancelled" after `elapsed` most likely was.
pub fn cancelled_or_failed(elapsed: Duration) -> DialogPoll {
    if elapsed < NO_DIALOG_WITHIN {
        DialogPoll::Failed
    } else {
        DialogPoll::Cancelled
    }
}

impl PendingDialog {
    pub fn poll(&self) -> DialogPoll {
        match self.rx.try_recv() {
            Ok(Some(path)) => DialogPoll::Chosen(path),
            Ok(None) => cancelled_or_failed(self.started.elapsed()),
            Err(mpsc::TryRecvError::Empty) => DialogPoll::Open,
            Err(mpsc::TryRecvError::Disconnected) => DialogPoll::Failed,
        }
    }
}

/// Open the dialog for `purpose`. On macOS it runs here and the answer comes back at once;
/// elsewhere a helper thread shows it and the answer is polled from the returned handle.
pub fn open(purpose: FilePurpose) -> Result<DialogPoll, PendingDialog> {
    if cfg!(target_os = "macos") {
        let started = Instant::now();
        return Ok(match purpose.run() {
            Some(path) => DialogPoll::Chosen(path),
            None => cancelled_or_failed(started.elapsed()),
        });
    }
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(purpose.run());
    });
    Err(PendingDialog {
        purpose,
        started: Instant::now(),
        rx,
    })
}

/// A "Choose…" button for a path field, disabled while another dialog is open.
pub fn choose_button(
    ui: &mut egui::Ui,
    purpose: FilePurpose,
    dialog_open: bool,
    out: &mut Vec<Command>,
) {
    let label = match purpose {
        FilePurpose::GroupFolder | FilePurpose::SyncFolder => "Choose folder…",
        FilePurpose::GroupCsv | FilePurpose::ExportHistory | FilePurpose::ReportsCsv => "Save as…",
        _ => "Choose file…",
    };
    let button = ui
        .add_enabled(!dialog_open, egui::Button::new(label))
        .on_hover_text(purpose.title());
    // Several fields have the same button; its accessible name says which dialog it opens.
    super::widgets::name_button(&button, purpose.title());
    if button.clicked() {
        out.push(Command::ChooseFile(purpose));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instant_cancel_means_no_dialog_was_shown() {
        assert!(matches!(
            cancelled_or_failed(Duration::from_millis(20)),
            DialogPoll::Failed
        ));
        assert!(matches!(
            cancelled_or_failed(Duration::from_secs(3)),
            DialogPoll::Cancelled
        ));
    }
}
