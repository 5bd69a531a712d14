//! The desktop window. Each screen lives in its own file with its state and its command
//! enum: drawing reads the state and pushes [`Command`]s, and after the frame
//! [`CertprepApp::run_cmd`] routes each to the screen that applies it (`run_exam`,
//! `run_setup`, `run_study`, `run_group`, `run_import`), so every change to a session and
//! every database write has one home. This file holds what is shared: the app, the routing,
//! Home's data and the notice bar's messages.

mod about;
mod attempts;
pub mod browse;
pub mod dialog;
mod exam;
mod group;
pub mod home;
mod import;
mod loading;
mod note;
mod problem;
mod question;
mod results;
mod rich;
mod settings;
mod setup;
mod study;
mod sync;
mod widgets;

use crate::bank::{Bank, LoadReport};
use crate::bank_sources::BankSources;
use crate::exam::Mode;
use crate::mastery::{Calibration, MasteryReport};
use crate::plan::ExamPlan;
use crate::prefs::{Prefs, StartScreen, Theme};
use crate::srs::StudySettings;
use crate::store::backup::{BackupInfo, list_backups, start_fresh};
use crate::store::lock::InstanceLock;
use crate::store::srs::{ReadinessPoint, StudyPlanSettings};
use crate::store::{AttemptSummary, Store, StoreError};
use loading::BankLoading;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

pub use about::{AboutCmd, AboutState};
pub use attempts::{AttemptsCmd, AttemptsView};
pub use browse::{BrowseCmd, BrowseView};
pub use exam::{ExamCmd, ExamView};
pub use group::GroupCmd;
pub use import::{ImportCmd, ImportState};
pub use results::{ResultsCmd, ResultsView};
pub use settings::{HistoryCmd, HistoryState, SettingsCmd, SettingsState};
pub use setup::{CustomSession, SessionBuilder, SetupCmd, SetupForm};
pub use study::{StudyCmd, StudyView};
pub use sync::SyncCmd;

/// Everything a user can ask for. Drawing code creates these; `run_cmd` carries them out,
/// handing a screen's own commands to that screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    GoHome,
    /// New practice session: the form, and starting it.
    Setup(SetupCmd),
    /// The exam runner: answers, flags, moving, review, submit; resume and discard.
    Exam(ExamCmd),
    /// Spaced-repetition study.
    Study(StudyCmd),
    /// "Report a problem with this question" on Results or Study (`problem.rs`).
    Problem(problem::ProblemCmd),
    Note(note::NoteCmd),
    ShowResults(i64),
    /// Results: retake an attempt's wrong and flagged questions.
    Results(ResultsCmd),
    /// The attempt history screen.
    Attempts(AttemptsCmd),
    ReloadBanks,
    DismissNotice,
    /// Damaged database: keep it aside and copy this backup in its place.
    RestoreBackup(PathBuf),
    /// Damaged database: keep it aside and start with an empty one.
    StartFresh,
    /// The history was held by another window: try to take it again.
    ReopenStore,
    OpenSettings,
    SetTheme(Theme),
    SetZoom(f32),
    OpenDataFolder,
    BackupNow,
    /// Study groups: exam packs, result files, the group report.
    Group(GroupCmd),
    /// Import a GIFT or CSV file as a new bank.
    Import(ImportCmd),
    /// Questions: find any question, open its history.
    Browse(BrowseCmd),
    /// Sync through a folder (Settings).
    Sync(SyncCmd),
    /// Help → About (`about.rs`).
    About(AboutCmd),
    /// Dashboard: show this bank.
    SelectBank(String),
    /// Settings: steps, time budget, fitting FSRS to the learner.
    Settings(SettingsCmd),
    SetStudySettings(crate::srs::StudySettings),
    /// Settings → "Move your history": export, or import after the learner confirms.
    History(HistoryCmd),
    /// Open the native file dialog for a path field.
    ChooseFile(dialog::FilePurpose),
    /// A path came back from the dialog: fill the field and do what its button does.
    FileChosen(dialog::FilePurpose, PathBuf),
    /// Save the exam date (YYYY-MM-DD as typed) and target score (percent) of a bank.
    SetPlan {
        bank_id: String,
        date: String,
        target_percent: f64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

pub enum Screen {
    Home,
    Study(Box<StudyView>),
    Settings(Vec<BackupInfo>),
    Setup(Box<SessionBuilder>),
    Exam(Box<ExamView>),
    Results(Box<ResultsView>),
    Attempts(Box<AttemptsView>),
    /// Study group: open a pack, the group report.
    Group,
    /// Import a GIFT or CSV file: the preview, then the write.
    Import,
    /// Find any question and open its history.
    Browse(Box<BrowseView>),
}

/// What Home shows, read from the database when Home is entered (not every frame).
#[derive(Default)]
pub struct HomeData {
    pub recent: Vec<AttemptSummary>,
    pub unfinished: Option<Unfinished>,
    /// The "Discard this exam?" question is open.
    pub confirm_discard: bool,
    /// The dashboard of the selected bank.
    pub dashboard: Option<Dashboard>,
    /// The exam-date form as typed.
    pub plan_date: String,
    pub plan_target: f64,
}

/// The exam Home offers to resume or discard.
pub struct Unfinished {
    pub summary: AttemptSummary,
    /// A study-group pack's own title, else the bank's (its id when it is not loaded).
    pub title: String,
    /// Questions with a whole answer.
    pub answered: usize,
    /// Answers that become reviews if it is discarded (as on submit); `None` when its bank
    /// is not loaded and they cannot be marked.
    pub counted: Option<usize>,
    /// The other computer's name, when it was last answered there (sync).
    pub elsewhere: Option<String>,
}

/// Readiness, mastery per area, today's work, history and the exam-date plan of one bank.
pub struct Dashboard {
    pub bank_id: String,
    pub report: MasteryReport,
    pub due_now: usize,
    pub new_available: usize,
    pub reviewed_today: usize,
    /// Mock exams of this bank: (finished at, score 0..1).
    pub exam_scores: Vec<(chrono::DateTime<chrono::Utc>, f64)>,
    pub readiness_history: Vec<ReadinessPoint>,
    pub calibration: Option<Calibration>,
    pub plan: Option<ExamPlan>,
    /// Answers per local day over the last `ACTIVITY_DAYS` days, oldest first, today last.
    pub activity: Vec<(chrono::NaiveDate, usize)>,
    /// Questions with history that the bank no longer holds (see `srs::drop_retired`).
    pub retired: usize,
    /// FSRS beyond today: recall on exam day, the last-days review, the time budget, the
    /// offer to fit.
    pub outlook: home::Outlook,
    /// The learner's notes and bookmarks on the bank's questions, and Home's search of them.
    pub notes: std::collections::BTreeMap<String, crate::store::notes::QuestionNotes>,
    pub notes_query: String,
}

/// How many days the dashboard's activity strip covers.
pub const ACTIVITY_DAYS: i64 = 28;

pub struct CertprepApp {
    /// Where banks are read from (built in, the data folder, `--banks`) and imports go.
    pub bank_sources: BankSources,
    pub data_dir: PathBuf,
    pub banks: LoadReport,
    /// The banks being read on a helper thread (at start-up); commands wait until they are in.
    loading: Option<BankLoading>,
    pub store: Result<Store, StoreError>,
    _lock: Option<InstanceLock>,
    pub screen: Screen,
    pub home: HomeData,
    /// The bank the dashboard shows.
    pub selected_bank: Option<String>,
    pub study_settings: StudySettings,
    /// Settings → "Move your history": the file and a pending import's confirmation.
    pub history: HistoryState,
    pub prefs: Prefs,
    /// Theme and zoom must be pushed into egui on the next frame.
    style_dirty: bool,
    pub notice: Option<Notice>,
    /// Added to `Instant::now()`: lets tests move the exam clock without sleeping.
    pub time_shift: Duration,
    /// Start-up probe: the process start; after the first frame, print the time and close.
    pub probe_first_frame: Option<Instant>,
    /// Study groups: the opened pack, the report and their fields.
    pub group: group::GroupState,
    /// The Import screen: the file, its preview, the background job.
    pub import: ImportState,
    /// Settings: the steps as typed, a fit running in the background and its result.
    pub settings: SettingsState,
    /// Sync through a folder: the link, the helper thread, the last pass.
    pub sync: sync::SyncState,
    /// A file dialog open on its helper thread (one at a time).
    dialog: Option<dialog::PendingDialog>,
    /// Help → About.
    pub about: about::AboutState,
    frames: u64,
    commands: Vec<Command>,
}

impl CertprepApp {
    /// Open the data folder as the window does: take the one-window lock, open the
    /// database, take the daily backup.
    pub fn open(banks: impl Into<BankSources>, data_dir: PathBuf) -> Self {
        let (lock, store) = take_history(&data_dir);
        let mut app = CertprepApp::new(banks, data_dir, store);
        app._lock = lock;
        if let Ok(store) = &app.store
            && let Err(e) = store.backup_if_due()
        {
            app.notice = Some(error_notice(format!("The daily backup failed: {e}")));
        }
        app
    }

    /// The app on `banks` (a folder path means that folder alone) and `data_dir`; the banks
    /// are read on a helper thread (see [`CertprepApp::wait_for_banks`]).
    pub fn new(
        banks: impl Into<BankSources>,
        data_dir: PathBuf,
        store: Result<Store, StoreError>,
    ) -> Self {
        let bank_sources = banks.into();
        let prefs = Prefs::load(&data_dir);
        let loading = Some(BankLoading::start(bank_sources.clone()));
        let mut app = CertprepApp {
            bank_sources,
            data_dir,
            banks: LoadReport::default(),
            loading,
            store,
            _lock: None,
            screen: Screen::Home,
            home: HomeData::default(),
            selected_bank: None,
            study_settings: StudySettings::default(),
            history: HistoryState::default(),
            prefs,
            style_dirty: true,
            notice: None,
            time_shift: Duration::ZERO,
            probe_first_frame: None,
            group: group::GroupState::default(),
            import: ImportState::default(),
            settings: SettingsState::default(),
            sync: sync::SyncState::default(),
            dialog: None,
            about: about::AboutState::default(),
            frames: 0,
            commands: Vec::new(),
        };
        if let Ok(store) = &app.store {
            app.study_settings = store.study_settings().unwrap_or_default();
        }
        app.load_sync_state();
        app
    }

    /// The banks are in: pick the dashboard's bank and open the screen of last time.
    fn banks_loaded(&mut self) {
        // The dashboard opens on the bank last worked on, while it is still loaded.
        self.selected_bank = self
            .prefs
            .last_bank
            .as_deref()
            .and_then(|id| self.banks.bank(id))
            .or_else(|| self.banks.banks.first())
            .map(|b| b.id().to_string());
        self.refresh_home();
        // Open on the screen the window last showed (an exam in progress is offered on Home).
        match self.prefs.last_screen {
            StartScreen::Home => {}
            StartScreen::Settings => self.run_cmd(Command::OpenSettings),
            StartScreen::Import => self.run_cmd(Command::Import(ImportCmd::Open)),
        }
    }

    pub fn now(&self) -> Instant {
        Instant::now() + self.time_shift
    }

    /// The wall clock for records and schedules, moved by the same `time_shift` as
    /// [`CertprepApp::now`] (tests move both without sleeping).
    pub fn utc_now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
            + chrono::Duration::from_std(self.time_shift).unwrap_or(chrono::Duration::zero())
    }

    pub fn bank(&self, id: &str) -> Option<&Bank> {
        self.banks.bank(id)
    }

    /// Draw one frame, then apply what the user asked for.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        self.sync_style(ui.ctx());
        if self.poll_banks(None) {
            self.show_loading(ui);
            return;
        }
        self.tick();
        widgets::scroll_to_new_focus(ui.ctx());
        let mut commands = std::mem::take(&mut self.commands);
        self.draw(ui, &mut commands);
        if !commands.is_empty() {
            // Commands run after the frame is drawn: draw once more to show what they did.
            ui.ctx().request_repaint();
        }
        for cmd in commands {
            self.run_cmd(cmd);
        }
        widgets::note_new_focus(ui.ctx());
        self.remember_screen();
        if matches!(&self.screen, Screen::Exam(v) if v.session.clock.limit.is_some()) {
            // The countdown must move even when nobody touches the mouse.
            ui.ctx().request_repaint_after(Duration::from_millis(250));
        }
        if self.import.busy()
            || self.dialog.is_some()
            || self.sync.busy()
            || self.settings.fitting()
        {
            // Poll the background import, sync, fit or file dialog even when nothing else
            // moves.
            ui.ctx().request_repaint_after(Duration::from_millis(50));
        } else if self.sync.linked.is_some() {
            // The next timed sync pass.
            ui.ctx().request_repaint_after(sync::PASS_EVERY);
        }
    }

    /// Push theme and zoom into egui when they changed here, and pick up zoom changes made
    /// with egui's own Ctrl +/- keys so they are remembered.
    fn sync_style(&mut self, ctx: &egui::Context) {
        if self.style_dirty {
            self.style_dirty = false;
            ctx.set_theme(match self.prefs.theme {
                Theme::System => egui::ThemePreference::System,
                Theme::Light => egui::ThemePreference::Light,
                Theme::Dark => egui::ThemePreference::Dark,
            });
            ctx.set_zoom_factor(self.prefs.zoom);
        } else if (ctx.zoom_factor() - self.prefs.zoom).abs() > 1e-3 {
            self.prefs.zoom = ctx.zoom_factor();
            self.save_prefs();
        }
    }

    /// Keep the screen on show (Home, Settings, Import) for the next start. The study group
    /// screen is not reopened at start: it reads every file of the group folder.
    fn remember_screen(&mut self) {
        let showing = match self.screen {
            Screen::Home => StartScreen::Home,
            Screen::Settings(_) => StartScreen::Settings,
            Screen::Group => StartScreen::Home,
            Screen::Import => StartScreen::Import,
            _ => return,
        };
        if self.prefs.last_screen != showing {
            self.prefs.last_screen = showing;
            self.save_prefs();
        }
    }

    /// Show `bank_id` on the dashboard from now on, and next time the app opens.
    fn focus_bank(&mut self, bank_id: &str) {
        self.selected_bank = Some(bank_id.to_string());
        if self.prefs.last_bank.as_deref() != Some(bank_id) {
            self.prefs.last_bank = Some(bank_id.to_string());
            self.save_prefs();
        }
    }

    fn save_prefs(&mut self) {
        if let Err(e) = self.prefs.save(&self.data_dir) {
            self.notice = Some(error_notice(format!("Settings could not be saved: {e}")));
        }
    }

    /// Queue a command as if a widget had produced it (used by tests and the CLI).
    pub fn push(&mut self, cmd: Command) {
        self.commands.push(cmd);
    }

    fn draw(&mut self, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let dropped = group::dropped_files(ui.ctx());
        if !dropped.is_empty()
            && matches!(self.screen, Screen::Settings(_))
            && self.sync.linked.is_none()
            && dropped[0].is_dir()
        {
            out.push(SyncCmd::LinkTo(dropped[0].clone()).into());
        } else if !dropped.is_empty() {
            let on_import = matches!(self.screen, Screen::Import);
            out.push(if import::wants_drop(on_import, &dropped) {
                ImportCmd::Dropped(dropped).into()
            } else {
                GroupCmd::Dropped(dropped).into()
            });
        }
        if let Some(n) = &self.notice {
            widgets::notice_bar(ui, n, out);
        }
        match &mut self.screen {
            Screen::Home => {
                let backups = match &self.store {
                    Err(StoreError::Corrupt { .. }) => list_backups(&self.data_dir),
                    _ => Vec::new(),
                };
                widgets::nav_bar(ui, widgets::NavTarget::Home, out);
                let warning = self.sync.data_dir_warning.as_deref();
                home::show(
                    ui,
                    &self.banks,
                    &self.store,
                    &backups,
                    warning,
                    &mut self.home,
                    out,
                )
            }
            Screen::Study(view) => {
                if let Some(bank) = self.banks.bank(&view.session.bank_id) {
                    let now = chrono::Utc::now()
                        + chrono::Duration::from_std(self.time_shift)
                            .unwrap_or(chrono::Duration::zero());
                    study::show(ui, bank, view, now, out);
                }
            }
            Screen::Settings(backups) => {
                widgets::nav_bar(ui, widgets::NavTarget::Settings, out);
                let data = settings::SettingsData {
                    study: &self.study_settings,
                    prefs: &self.prefs,
                    data_dir: &self.data_dir,
                    db_path: self.store.as_ref().ok().map(|s| s.path()),
                    backups,
                    dialog_open: self.dialog.is_some(),
                };
                settings::show(
                    ui,
                    &data,
                    &mut self.settings,
                    &mut self.history,
                    &mut self.sync,
                    out,
                )
            }
            Screen::Setup(builder) => setup::show(ui, &self.banks, builder, out),
            Screen::Exam(view) => {
                if let Some(bank) = self.banks.bank(&view.session.bank_id) {
                    exam::show(ui, bank, view, Instant::now() + self.time_shift, out);
                }
            }
            Screen::Results(view) => {
                if let Some(bank) = self.banks.bank(&view.session.bank_id) {
                    group::export_bar(ui, &mut self.group, &self.store, view, out);
                    results::show(ui, bank, view, out);
                }
            }
            Screen::Attempts(view) => {
                widgets::nav_bar(ui, widgets::NavTarget::Attempts, out);
                attempts::show(ui, &self.banks, view, out)
            }
            Screen::Group => {
                widgets::nav_bar(ui, widgets::NavTarget::Group, out);
                group::show(ui, &mut self.group, &self.banks, self.dialog.is_some(), out)
            }
            Screen::Import => {
                widgets::nav_bar(ui, widgets::NavTarget::Import, out);
                import::show(
                    ui,
                    &mut self.import,
                    &self.bank_sources.import_to,
                    &self.banks,
                    self.dialog.is_some(),
                    out,
                )
            }
            Screen::Browse(view) => {
                widgets::nav_bar(ui, widgets::NavTarget::Questions, out);
                let now = chrono::Utc::now()
                    + chrono::Duration::from_std(self.time_shift)
                        .unwrap_or(chrono::Duration::zero());
                browse::show(ui, &self.banks, view, now, out);
                widgets::note_focus(ui, "browse");
            }
        }
        about::show(ui, &mut self.about, &self.data_dir, &self.bank_sources, out);
    }

    /// Time-driven work: background jobs and dialogs, the exam's countdown.
    fn tick(&mut self) {
        self.poll_import();
        self.poll_dialog();
        self.tick_sync();
        self.poll_fit();
        self.poll_study();
        self.tick_exam();
    }

    /// Apply one command, or hand it to the screen whose command it is. Changes to a session
    /// and database writes happen here and in those screens' `run_*`, never while drawing.
    pub fn run_cmd(&mut self, cmd: Command) {
        match cmd {
            Command::GoHome => self.go_home(),
            Command::Setup(c) => self.run_setup(c),
            Command::Exam(c) => self.run_exam(c),
            Command::Study(c) => self.run_study(c),
            Command::Problem(c) => self.run_problem(c),
            Command::Note(c) => self.run_note(c),
            Command::ShowResults(id) => self.show_results(id),
            Command::Results(c) => self.run_results(c),
            Command::Attempts(c) => self.run_attempts(c),
            Command::Group(c) => self.run_group(c),
            Command::Import(c) => self.run_import(c),
            Command::Browse(c) => self.run_browse(c),
            Command::Sync(c) => self.run_sync(c),
            Command::About(c) => self.run_about(c),
            Command::ReloadBanks => {
                self.banks = self.bank_sources.load();
                let n = self.banks.failures.len();
                self.notice = Some(Notice {
                    kind: if n == 0 {
                        NoticeKind::Info
                    } else {
                        NoticeKind::Warning
                    },
                    text: format!(
                        "Reloaded {}; {n} could not be loaded.",
                        crate::text::count(self.banks.banks.len(), "bank", "banks")
                    ),
                });
            }
            Command::DismissNotice => self.notice = None,
            Command::RestoreBackup(path) => self.restore_backup(&path),
            Command::OpenSettings => {
                self.refresh_settings();
                self.screen = Screen::Settings(list_backups(&self.data_dir));
                self.prefs.last_screen = StartScreen::Settings;
                self.save_prefs();
            }
            Command::SetTheme(t) => {
                self.prefs.theme = t;
                self.style_dirty = true;
                self.save_prefs();
            }
            Command::SetZoom(z) => {
                self.prefs.zoom = z.clamp(crate::prefs::MIN_ZOOM, crate::prefs::MAX_ZOOM);
                self.style_dirty = true;
                self.save_prefs();
            }
            Command::OpenDataFolder => {
                if let Err(e) = settings::open_folder(&self.data_dir) {
                    self.notice = Some(error_notice(format!(
                        "Could not open {}: {e}",
                        self.data_dir.display()
                    )));
                }
            }
            Command::BackupNow => self.backup_now(),
            Command::StartFresh => {
                self.replace_store(start_fresh(&self.data_dir), "Started a new database")
            }
            Command::ReopenStore => self.reopen_store(),
            Command::SelectBank(id) => {
                self.focus_bank(&id);
                self.refresh_home();
            }
            Command::Settings(c) => self.run_settings(c),
            Command::SetStudySettings(new) => self.set_study_settings(new),
            Command::SetPlan {
                bank_id,
                date,
                target_percent,
            } => self.set_plan(&bank_id, &date, target_percent),
            Command::History(c) => self.run_history(c),
            Command::ChooseFile(purpose) => {
                if self.dialog.is_some() {
                    return;
                }
                match dialog::open(purpose) {
                    Ok(answer) => self.dialog_answered(purpose, answer),
                    Err(pending) => self.dialog = Some(pending),
                }
            }
            Command::FileChosen(purpose, path) => {
                self.fill_path_field(purpose, &path);
                self.run_cmd(purpose.command(path));
            }
        }
    }

    /// The text box a dialog belongs to shows the chosen path, as if it had been typed.
    fn fill_path_field(&mut self, purpose: dialog::FilePurpose, path: &std::path::Path) {
        use dialog::FilePurpose as P;
        let text = path.display().to_string();
        match purpose {
            P::Questions => self.import.path = text,
            P::ExamPack => self.group.pack_path = text,
            P::ResultFile => self.group.add_path = text,
            P::GroupFolder => self.group.folder = text,
            P::GroupCsv => self.group.csv_path = text,
            P::ExportHistory | P::ImportHistory => self.history.path = text,
            P::SyncFolder => self.sync.folder_text = text,
            P::ReportsCsv => self.settings.reports_path = text,
        }
    }

    fn poll_dialog(&mut self) {
        let Some(pending) = &self.dialog else {
            return;
        };
        let purpose = pending.purpose;
        let answer = pending.poll();
        if !matches!(answer, dialog::DialogPoll::Open) {
            self.dialog = None;
            self.dialog_answered(purpose, answer);
        }
    }

    fn dialog_answered(&mut self, purpose: dialog::FilePurpose, answer: dialog::DialogPoll) {
        match answer {
            dialog::DialogPoll::Open | dialog::DialogPoll::Cancelled => {}
            dialog::DialogPoll::Chosen(path) => self.run_cmd(Command::FileChosen(purpose, path)),
            dialog::DialogPoll::Failed => {
                self.notice = Some(error_notice(
                    "No file dialog could be shown on this desktop (it needs an XDG desktop \
                     portal or zenity). Type or paste the path into the box, or drop the file \
                     onto the window."
                        .into(),
                ));
            }
        }
    }

    fn set_plan(&mut self, bank_id: &str, date: &str, target_percent: f64) {
        let Ok(exam_date) = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d") else {
            self.notice = Some(error_notice(format!(
                "\"{}\" is not a date: write the exam date as YYYY-MM-DD, e.g. 2027-03-15.",
                date.trim()
            )));
            return;
        };
        let plan = StudyPlanSettings {
            exam_date,
            target: (target_percent / 100.0).clamp(0.0, 1.0),
        };
        let result = match &self.store {
            Ok(store) => store.set_study_plan(bank_id, &plan),
            Err(e) => Err(StoreError::ReadOnly {
                path: self.data_dir.clone(),
                detail: e.to_string(),
            }),
        };
        match result {
            Ok(()) => self.refresh_home(),
            Err(e) => self.notice = Some(error_notice(format!("The plan was not saved: {e}"))),
        }
    }

    fn go_home(&mut self) {
        // Leaving a running exam pauses it; it can be resumed from Home.
        if let Err(e) = self.pause_exam() {
            self.notice = Some(error_notice(format!(
                "The time used in this exam could not be saved: {e}"
            )));
        }
        self.screen = Screen::Home;
        if self.prefs.last_screen != StartScreen::Home {
            self.prefs.last_screen = StartScreen::Home;
            self.save_prefs();
        }
        self.refresh_home();
    }

    pub fn refresh_home(&mut self) {
        let Ok(store) = &self.store else {
            self.home = HomeData::default();
            return;
        };
        let recent = store.recent_attempts(10).unwrap_or_default();
        let unfinished = home::unfinished(store, &self.banks);
        let bank = self
            .selected_bank
            .as_deref()
            .and_then(|id| self.banks.bank(id));
        let dashboard =
            bank.map(|b| build_dashboard(store, b, &self.study_settings, chrono::Utc::now()));
        let mut home = HomeData {
            recent,
            unfinished,
            confirm_discard: false,
            dashboard: None,
            plan_date: String::new(),
            plan_target: 0.0,
        };
        match dashboard {
            Some(Ok((d, plan))) => {
                home.plan_date = plan
                    .as_ref()
                    .map(|p| p.exam_date.format("%Y-%m-%d").to_string())
                    .unwrap_or_default();
                let pass = d.report.readiness.pass_mark * 100.0;
                home.plan_target = plan.map_or(pass + 5.0, |p| p.target * 100.0).min(100.0);
                home.dashboard = Some(d);
            }
            Some(Err(e)) => {
                self.notice = Some(error_notice(format!(
                    "The dashboard could not be read: {e}"
                )))
            }
            None => {}
        }
        self.home = home;
    }

    /// Called when the window closes: stop the clock and write the time used.
    pub fn on_close(&mut self) {
        // The window is going away: there is nobody left to tell if this fails, and every
        // answer is already saved; only the clock's last seconds would be lost.
        let _ = self.pause_exam();
    }

    /// Try again to take the history another window held (the lock, then the database).
    fn reopen_store(&mut self) {
        let (lock, store) = take_history(&self.data_dir);
        if let Err(e) = &store {
            self.notice = Some(error_notice(format!("Still not available: {e}")));
            return;
        }
        self._lock = lock;
        self.store = store;
        if let Ok(store) = &self.store {
            self.study_settings = store.study_settings().unwrap_or_default();
        }
        self.notice = Some(Notice {
            kind: NoticeKind::Info,
            text: "Your history is open here now.".into(),
        });
        self.refresh_home();
    }
}

/// The one-window lock on the data folder, then the database in it.
fn take_history(data_dir: &std::path::Path) -> (Option<InstanceLock>, Result<Store, StoreError>) {
    match InstanceLock::acquire(data_dir) {
        Ok(lock) => (Some(lock), Store::open_in(data_dir)),
        Err(e) => (None, Err(e)),
    }
}

/// Everything the dashboard shows for one bank, read in one go when Home is entered.
pub fn build_dashboard(
    store: &Store,
    bank: &Bank,
    settings: &StudySettings,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Dashboard, Option<StudyPlanSettings>), StoreError> {
    let mut cards = store.load_cards(bank.id())?;
    let retired = crate::srs::drop_retired(bank, &mut cards);
    let report = store.mastery_report(bank, &cards, now)?;
    let (today, day_start) = crate::srs::local_day_start(now);
    let (new_today, reviewed_today) = store.reviews_since(bank.id(), day_start)?;
    let due_now = cards.values().filter(|c| c.is_due(now)).count();
    let unseen = report.total - report.seen;
    let new_available = unseen.min((settings.daily_new_limit as usize).saturating_sub(new_today));
    let exam_scores = store
        .recent_attempts(1000)?
        .into_iter()
        .filter(|a| a.bank_id == bank.id() && a.mode == Mode::Exam && !a.practice)
        .filter_map(|a| Some((a.finished_at?, a.percent()? / 100.0)))
        .rev()
        .collect();
    let calibration = crate::mastery::calibration(&store.predictions(bank.id())?);
    let plan_settings = store.study_plan(bank.id())?;
    let plan = match &plan_settings {
        Some(p) => {
            let (recent_new, _) =
                store.reviews_since(bank.id(), day_start - chrono::Duration::days(14))?;
            Some(crate::plan::plan(
                bank,
                &cards,
                &report,
                settings,
                p.exam_date,
                p.target,
                now,
                today,
                recent_new as f64 / 14.0,
            ))
        }
        None => None,
    };
    // One readiness point a day for the chart; the latest computation of the day wins. It is
    // derived data: a full disk or read-only file must not cost the learner the dashboard.
    // Before the first answer there is only the prior, which is not a point of progress.
    if !report.is_prior_only() {
        let _ = store.save_readiness_point(bank.id(), today, &report.readiness);
    }
    let outlook = home::outlook(store, bank, &cards, &report, settings, &plan_settings, now)?;
    let readiness_history = store.readiness_history(bank.id())?;
    let first_day = today - chrono::Duration::days(ACTIVITY_DAYS - 1);
    let activity = store.answers_per_day(
        bank.id(),
        first_day.iter_days().take(ACTIVITY_DAYS as usize),
    )?;
    Ok((
        Dashboard {
            bank_id: bank.id().to_string(),
            report,
            due_now,
            new_available,
            reviewed_today,
            exam_scores,
            readiness_history,
            calibration,
            plan,
            activity,
            retired,
            outlook,
            notes: store.question_notes(bank.id())?,
            notes_query: String::new(),
        },
        plan_settings,
    ))
}

/// Larger text than egui's defaults: candidates read long scenarios for hours.
pub fn apply_style(ctx: &egui::Context) {
    use egui::{FontFamily, FontId, TextStyle};
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Heading,
                FontId::new(24.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(16.0, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(16.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Small,
                FontId::new(13.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(15.0, FontFamily::Monospace),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
    });
    // egui's defaults miss WCAG AA (4.5:1) for weak text and errors in the dark theme and for
    // warnings, errors and links in the light one; these pass, checked by `widgets::tests`.
    ctx.style_mut_of(egui::Theme::Dark, |style| {
        style.visuals.weak_text_color = Some(egui::Color32::from_gray(150));
        style.visuals.error_fg_color = egui::Color32::from_rgb(255, 110, 110);
    });
    ctx.style_mut_of(egui::Theme::Light, |style| {
        style.visuals.weak_text_color = Some(egui::Color32::from_gray(95));
        style.visuals.warn_fg_color = egui::Color32::from_rgb(150, 75, 0);
        style.visuals.error_fg_color = egui::Color32::from_rgb(180, 20, 20);
        style.visuals.hyperlink_color = egui::Color32::from_rgb(0, 85, 170);
    });
}

fn error_notice(text: String) -> Notice {
    Notice {
        kind: NoticeKind::Error,
        text,
    }
}

impl eframe::App for CertprepApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
        self.frames += 1;
        if let Some(start) = self.probe_first_frame {
            // The first pass only lays out; the frame after it is the first one painted.
            if self.frames == 2 {
                println!(
                    "first frame after {:.1} ms",
                    start.elapsed().as_secs_f64() * 1000.0
                );
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            } else {
                ui.ctx().request_repaint();
            }
        }
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.on_close();
    }
}

/// The app icon (drawn by `assets/make-icon.py`).
pub const APP_ICON_PNG: &[u8] = include_bytes!("../../assets/icon.png");

/// Where eframe keeps the window's size and position between runs.
pub fn window_state_file(data_dir: &std::path::Path) -> PathBuf {
    data_dir.join("window.ron")
}

/// Open the window (the default when no subcommand is given).
pub fn run_window(cli: &crate::cli::Cli, started: Instant) -> ExitCode {
    let mut app = CertprepApp::open(cli.bank_sources(), cli.data_dir());
    if cli.probe_first_frame {
        app.probe_first_frame = Some(started);
    }
    if let Some(pack) = crate::cli::group::pack_to_open(cli) {
        app.push(Command::Group(GroupCmd::OpenPack(pack.to_path_buf())));
    }
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("certprep")
        .with_app_id("certprep")
        .with_inner_size([1100.0, 760.0])
        .with_min_inner_size([720.0, 520.0]);
    match eframe::icon_data::from_png_bytes(APP_ICON_PNG) {
        Ok(icon) => viewport = viewport.with_icon(icon),
        Err(e) => eprintln!("certprep: the window icon could not be read: {e}"),
    }
    let options = eframe::NativeOptions {
        viewport,
        // Window size and position (and egui's memory) are saved on exit and restored at the
        // next start, in the data folder, so `--data-dir` keeps each setup's window apart.
        persist_window: true,
        persistence_path: Some(window_state_file(&cli.data_dir())),
        ..Default::default()
    };
    match eframe::run_native(
        "certprep",
        options,
        Box::new(|cc| {
            apply_style(&cc.egui_ctx);
            Ok(Box::new(app))
        }),
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("certprep: cannot open a window: {e}");
            ExitCode::from(1)
        }
    }
}
