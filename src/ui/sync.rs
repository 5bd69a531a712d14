//! Settings → "Sync through a folder": link the history to a folder the learner's sync tool
//! copies, passes at start, every minute and on demand (on a helper thread), and what the last
//! pass did. The model is in `crate::sync` and docs/sync.md.

use super::dialog::{FilePurpose, choose_button};
use super::widgets::labelled_field;
use super::{CertprepApp, Command, Notice, NoticeKind, Screen, error_notice};
use crate::sync::worker::{PassOutcome, SyncWorker};
use egui::{RichText, Ui};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How often a pass runs while the window is open.
pub const PASS_EVERY: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, PartialEq)]
pub enum SyncCmd {
    /// Link to the folder typed in the field.
    Link,
    /// A folder chosen in the dialog or dropped: fill the field and link.
    LinkTo(PathBuf),
    Now,
    Unlink,
    /// Save the name typed for this computer.
    Rename,
}

impl From<SyncCmd> for Command {
    fn from(c: SyncCmd) -> Command {
        Command::Sync(c)
    }
}

/// The sync section's state: its fields, the linked folder, the helper thread and the last
/// pass.
#[derive(Default)]
pub struct SyncState {
    pub folder_text: String,
    pub name_text: String,
    pub linked: Option<PathBuf>,
    pub device_id: String,
    /// Other computers seen: (id, name).
    pub others: Vec<(String, String)>,
    pub last: Option<PassOutcome>,
    /// The data folder is inside a sync tool's folder: the warning to show.
    pub data_dir_warning: Option<String>,
    worker: Option<SyncWorker>,
    next_pass: Option<Instant>,
    /// The last failure already told in the notice bar (told once, not every minute).
    told: Option<String>,
}

impl SyncState {
    pub fn busy(&self) -> bool {
        self.worker.as_ref().is_some_and(SyncWorker::is_running)
    }
}

pub fn show(ui: &mut Ui, s: &mut SyncState, dialog_open: bool, out: &mut Vec<Command>) {
    ui.label(RichText::new("Sync through a folder").strong());
    ui.label(
        "Use certprep on more than one computer: pick a folder that OneDrive, Dropbox, Google \
         Drive, iCloud Drive or Syncthing already copies between them (make a folder of its own, \
         e.g. Dropbox/certprep). Your database stays here; each computer writes only its own \
         journal files there and reads the others'.",
    );
    if let Some(w) = &s.data_dir_warning {
        ui.label(RichText::new(w).color(ui.visuals().warn_fg_color));
    }
    match &s.linked {
        Some(folder) => {
            ui.horizontal(|ui| {
                ui.label("Linked to:");
                ui.label(RichText::new(folder.display().to_string()).monospace());
            });
            ui.horizontal(|ui| {
                let busy = s.worker.as_ref().is_some_and(SyncWorker::is_running);
                if ui
                    .add_enabled(!busy, egui::Button::new("Sync now"))
                    .clicked()
                {
                    out.push(SyncCmd::Now.into());
                }
                if ui.button("Unlink").clicked() {
                    out.push(SyncCmd::Unlink.into());
                }
                if busy {
                    ui.spinner();
                    ui.label("Syncing…");
                }
            });
            last_pass(ui, s);
        }
        None => {
            ui.horizontal(|ui| {
                labelled_field(
                    ui,
                    "Sync folder",
                    &mut s.folder_text,
                    "/path/to/Dropbox/certprep",
                    360.0,
                );
                let given = !s.folder_text.trim().is_empty();
                if ui.add_enabled(given, egui::Button::new("Link")).clicked() {
                    out.push(SyncCmd::Link.into());
                }
                choose_button(ui, FilePurpose::SyncFolder, dialog_open, out);
            });
            ui.label(
                RichText::new(
                    "Linking merges this computer's history with what your other computers \
                     have written there. Unlinking later keeps everything here.",
                )
                .small()
                .weak(),
            );
        }
    }
    ui.horizontal(|ui| {
        labelled_field(
            ui,
            "This computer's name",
            &mut s.name_text,
            "Work laptop",
            200.0,
        );
        if ui.button("Save name").clicked() {
            out.push(SyncCmd::Rename.into());
        }
    });
    if !s.others.is_empty() {
        let names: Vec<&str> = s.others.iter().map(|(_, n)| n.as_str()).collect();
        ui.label(format!("Other computers: {}", names.join(", ")));
    }
}

fn last_pass(ui: &mut Ui, s: &SyncState) {
    let Some(last) = &s.last else {
        ui.label(RichText::new("Not synced yet in this session.").weak());
        return;
    };
    let when = super::widgets::local_time_precise(last.finished_at);
    match &last.result {
        Ok(r) => {
            ui.label(format!("Last sync {when}: {}.", r.summary()));
        }
        Err(e) => {
            ui.label(
                RichText::new(format!("Last sync {when} failed: {e}"))
                    .color(ui.visuals().error_fg_color),
            );
        }
    }
}

impl CertprepApp {
    /// Read the sync state from the database (at start, and after link/unlink/restore).
    pub(super) fn load_sync_state(&mut self) {
        self.sync.data_dir_warning = crate::sync::roots::data_dir_warning(&self.data_dir);
        let Ok(store) = &self.store else {
            self.sync.linked = None;
            return;
        };
        self.sync.linked = store.sync_folder().ok().flatten();
        self.sync.device_id = store.device_id().to_string();
        let me = self.sync.device_id.clone();
        let names = store.device_names().unwrap_or_default();
        self.sync.name_text = names
            .iter()
            .find(|(id, _)| *id == me)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(crate::sync::default_device_name);
        self.sync.others = names.into_iter().filter(|(id, _)| *id != me).collect();
        if self.sync.linked.is_some() && self.sync.next_pass.is_none() {
            // The pass "on start".
            self.sync.next_pass = Some(Instant::now());
        }
    }

    pub(super) fn run_sync(&mut self, cmd: SyncCmd) {
        match cmd {
            SyncCmd::Link => {
                let folder = PathBuf::from(self.sync.folder_text.trim());
                self.link_sync(folder);
            }
            SyncCmd::LinkTo(folder) => {
                self.sync.folder_text = folder.display().to_string();
                self.link_sync(folder);
            }
            SyncCmd::Now => self.request_pass(),
            SyncCmd::Unlink => {
                let result = match &self.store {
                    Ok(store) => crate::sync::unlink(store).map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                };
                self.notice = Some(match result {
                    Ok(()) => Notice {
                        kind: NoticeKind::Info,
                        text: "Unlinked. Your history stays on this computer; the journal files \
                               were left in the folder for your other computers."
                            .into(),
                    },
                    Err(e) => error_notice(format!("Could not unlink: {e}")),
                });
                self.sync.next_pass = None;
                self.sync.last = None;
                self.load_sync_state();
            }
            SyncCmd::Rename => {
                let name = self.sync.name_text.trim().to_string();
                if name.is_empty() {
                    self.notice = Some(error_notice("Give this computer a name.".into()));
                    return;
                }
                if let Ok(store) = &self.store
                    && let Err(e) = store.set_device_name(&name)
                {
                    self.notice = Some(error_notice(format!("The name was not saved: {e}")));
                }
            }
        }
    }

    /// Link on this thread (it checks the folder and writes two settings), then run the first
    /// pass, which merges both histories, on the helper thread.
    fn link_sync(&mut self, folder: PathBuf) {
        let Ok(store) = &self.store else {
            self.notice = Some(error_notice(
                "Cannot link: the database is not available.".into(),
            ));
            return;
        };
        let name = self.sync.name_text.trim().to_string();
        let checked = crate::sync::check_folder(&self.data_dir, &folder).and_then(|canonical| {
            store.set_sync_folder(Some(&canonical))?;
            let name = if name.is_empty() {
                crate::sync::default_device_name()
            } else {
                name
            };
            store.set_device_name(&name)?;
            Ok(canonical)
        });
        match checked {
            Ok(canonical) => {
                self.notice = Some(Notice {
                    kind: NoticeKind::Info,
                    text: format!(
                        "Linked to {}. Merging your history with what is there…",
                        canonical.display()
                    ),
                });
                self.load_sync_state();
                self.request_pass();
            }
            Err(e) => self.notice = Some(error_notice(format!("Could not link: {e}"))),
        }
    }

    fn request_pass(&mut self) {
        let (Some(folder), Ok(store)) = (self.sync.linked.clone(), &self.store) else {
            return;
        };
        let db = store.path().to_path_buf();
        let worker = self
            .sync
            .worker
            .get_or_insert_with(|| SyncWorker::start(db));
        worker.request(folder);
        self.sync.next_pass = Some(Instant::now() + PASS_EVERY);
    }

    /// Called every frame: start a pass when one is due, take in a finished one.
    pub(super) fn tick_sync(&mut self) {
        if self.sync.linked.is_some()
            && self.sync.next_pass.is_some_and(|t| Instant::now() >= t)
            && !self.sync.busy()
        {
            self.request_pass();
        }
        let Some(outcome) = self.sync.worker.as_mut().and_then(SyncWorker::poll) else {
            return;
        };
        match &outcome.result {
            Ok(r) => {
                self.sync.told = None;
                if r.applied > 0 {
                    self.after_merge();
                }
            }
            Err(e) => {
                if self.sync.told.as_ref() != Some(e) {
                    self.sync.told = Some(e.clone());
                    self.notice = Some(error_notice(format!("Sync: {e}")));
                }
            }
        }
        self.sync.last = Some(outcome);
        self.load_sync_state();
    }

    /// Other computers' changes arrived: show them, and step away from an exam that was
    /// continued elsewhere.
    fn after_merge(&mut self) {
        let Ok(store) = &self.store else { return };
        let mut continued_elsewhere = None;
        match &mut self.screen {
            Screen::Exam(view) => {
                if let Ok(Some(remote)) = store.remote_progress(view.session.attempt_id) {
                    continued_elsewhere = Some(remote.name);
                } else if store
                    .attempt_summary(view.session.attempt_id)
                    .ok()
                    .flatten()
                    .is_some_and(|a| a.status != "in_progress")
                {
                    continued_elsewhere = Some("another computer".to_string());
                }
            }
            Screen::Study(view) => {
                // Cards may have been recomputed from the merged log.
                if let Ok(cards) = store.load_cards(&view.session.bank_id) {
                    view.session.cards = cards;
                }
            }
            _ => {}
        }
        match continued_elsewhere {
            Some(name) => {
                // Every answer given here is saved. The time used is not written again: it
                // would overwrite what the other computer counted.
                self.screen = Screen::Home;
                self.refresh_home();
                self.notice = Some(Notice {
                    kind: NoticeKind::Warning,
                    text: format!(
                        "This exam was continued on {name}, so it was paused here. Resume it \
                         from Home to carry on with the answers from there."
                    ),
                });
            }
            None => {
                if matches!(self.screen, Screen::Home) {
                    self.refresh_home();
                }
            }
        }
    }
}
