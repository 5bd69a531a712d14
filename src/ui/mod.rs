//! The desktop window. Each screen lives in its own file and only *draws*: it reads state
//! and pushes [`Command`]s; [`CertprepApp::run_cmd`] applies them after the frame, in one
//! place, so every change to the session and every database write has one home.

pub mod dialog;
mod exam;
mod group;
pub mod home;
mod import;
mod loading;
mod results;
mod settings;
mod setup;
mod study;
mod sync;
mod widgets;

use crate::bank::{Bank, LoadReport, load_banks};
use crate::exam::{ExamItem, ExamSession, Mode, ScoreReport, TimeWarning, assemble};
use crate::mastery::{Calibration, MasteryReport};
use crate::plan::ExamPlan;
use crate::prefs::{Prefs, StartScreen, Theme};
use crate::srs::StudySettings;
use crate::store::backup::{BackupInfo, list_backups, start_fresh};
use crate::store::lock::InstanceLock;
use crate::store::srs::{ReadinessPoint, StudyPlanSettings};
use crate::store::{AttemptSummary, NewAttempt, Store, StoreError};
use loading::BankLoading;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

pub use group::GroupCmd;
pub use import::{ImportCmd, ImportState};
pub use settings::{HistoryCmd, HistoryState, SettingsCmd, SettingsState};
pub use setup::SetupForm;
pub use study::StudyCmd;
pub use sync::SyncCmd;

/// How often the used time of a running exam is written, besides every answer.
const HEARTBEAT: Duration = Duration::from_secs(5);

/// Everything a user can ask for. Drawing code creates these; `run_cmd` carries them out.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    GoHome,
    OpenSetup {
        bank_id: Option<String>,
    },
    Start(SetupForm),
    Resume(i64),
    Discard(i64),
    Choose {
        index: usize,
        option: String,
    },
    ToggleFlag(usize),
    GoTo(usize),
    Next,
    Previous,
    Check(usize),
    OpenReview,
    CloseReview,
    Submit,
    ShowResults(i64),
    ReloadBanks,
    DismissNotice,
    /// Damaged database: keep it aside and copy this backup in its place.
    RestoreBackup(PathBuf),
    /// Damaged database: keep it aside and start with an empty one.
    StartFresh,
    OpenSettings,
    SetTheme(Theme),
    SetZoom(f32),
    OpenDataFolder,
    BackupNow,
    /// Study groups: exam packs, result files, the group report.
    Group(GroupCmd),
    /// Import a GIFT or CSV file as a new bank.
    Import(ImportCmd),
    /// Sync through a folder (Settings).
    Sync(SyncCmd),
    /// Dashboard: show this bank.
    SelectBank(String),
    /// The Study screen: starting a session, answering, rating.
    Study(StudyCmd),
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

/// A running exam or study session and what the runner remembers about it.
pub struct ExamView {
    pub session: ExamSession,
    pub reviewing: bool,
    pub resumed: bool,
    last_saved: Instant,
    warned: TimeWarning,
}

pub struct ResultsView {
    pub session: ExamSession,
    pub report: ScoreReport,
    pub elapsed: Duration,
    pub only_incorrect: bool,
}

impl ResultsView {
    /// Questions answered wrong or left unanswered, in exam order.
    pub fn missed(&self) -> Vec<String> {
        self.session
            .items
            .iter()
            .zip(&self.report.items)
            .filter(|(_, r)| !r.is_correct)
            .map(|(item, _)| item.question_id.clone())
            .collect()
    }
}

/// A spaced-repetition study session on the Study screen.
pub struct StudyView {
    pub session: crate::srs::StudySession,
}

pub enum Screen {
    Home,
    Study(Box<StudyView>),
    Settings(Vec<BackupInfo>),
    Setup(SetupForm),
    Exam(Box<ExamView>),
    Results(Box<ResultsView>),
    /// Study group: open a pack, the group report.
    Group,
    /// Import a GIFT or CSV file: the preview, then the write.
    Import,
}

/// What Home shows, read from the database when Home is entered (not every frame).
#[derive(Default)]
pub struct HomeData {
    pub recent: Vec<AttemptSummary>,
    pub unfinished: Option<Unfinished>,
    /// The dashboard of the selected bank.
    pub dashboard: Option<Dashboard>,
    /// The exam-date form as typed.
    pub plan_date: String,
    pub plan_target: f64,
}

/// The exam Home offers to resume.
pub struct Unfinished {
    pub attempt: AttemptSummary,
    pub answered: usize,
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
}

/// How many days the dashboard's activity strip covers.
pub const ACTIVITY_DAYS: i64 = 28;

pub struct CertprepApp {
    pub banks_dir: PathBuf,
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
    frames: u64,
    commands: Vec<Command>,
}

/// Everything about a new attempt except its bank: what [`CertprepApp::begin_attempt`] writes.
struct AttemptSpec {
    mode: Mode,
    seed: u64,
    pass_percent: f64,
    time_limit: Option<Duration>,
    items: Vec<ExamItem>,
    pack_id: Option<String>,
}

impl CertprepApp {
    /// Open the data folder as the window does: take the one-window lock, open the
    /// database, take the daily backup.
    pub fn open(banks_dir: PathBuf, data_dir: PathBuf) -> Self {
        let (lock, store) = match InstanceLock::acquire(&data_dir) {
            Ok(lock) => (Some(lock), Store::open_in(&data_dir)),
            Err(e) => (None, Err(e)),
        };
        let mut app = CertprepApp::new(banks_dir, data_dir, store);
        app._lock = lock;
        if let Ok(store) = &app.store
            && let Err(e) = store.backup_if_due()
        {
            app.notice = Some(error_notice(format!("The daily backup failed: {e}")));
        }
        app
    }

    /// The app on `banks_dir` and `data_dir`; the banks are read on a helper thread (see
    /// [`CertprepApp::wait_for_banks`]).
    pub fn new(banks_dir: PathBuf, data_dir: PathBuf, store: Result<Store, StoreError>) -> Self {
        let prefs = Prefs::load(&data_dir);
        let loading = Some(BankLoading::start(banks_dir.clone()));
        let mut app = CertprepApp {
            banks_dir,
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
        let mut commands = std::mem::take(&mut self.commands);
        self.draw(ui, &mut commands);
        for cmd in commands {
            self.run_cmd(cmd);
        }
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
            Screen::Setup(form) => setup::show(ui, &self.banks, form, out),
            Screen::Exam(view) => {
                if let Some(bank) = self.banks.bank(&view.session.bank_id) {
                    let now = Instant::now() + self.time_shift;
                    exam::show(ui, bank, view, now, out);
                }
            }
            Screen::Results(view) => {
                if let Some(bank) = self.banks.bank(&view.session.bank_id) {
                    group::export_bar(ui, &mut self.group, &self.store, view, out);
                    results::show(ui, bank, view, out);
                }
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
                    &self.banks_dir,
                    self.dialog.is_some(),
                    out,
                )
            }
        }
    }

    /// Time-driven work: auto-submit when the countdown ends, warnings, the heartbeat.
    fn tick(&mut self) {
        self.poll_import();
        self.poll_dialog();
        self.tick_sync();
        self.poll_fit();
        self.poll_study();
        let now = self.now();
        let Screen::Exam(view) = &mut self.screen else {
            return;
        };
        view.session.clock.start(now);
        if view.session.submit_if_expired(now) {
            self.notice = Some(Notice {
                kind: NoticeKind::Warning,
                text: "Time is up: your exam was submitted automatically.".into(),
            });
            self.finish_exam();
            return;
        }
        let warning = TimeWarning::for_remaining(view.session.clock.remaining(now));
        if warning > view.warned {
            view.warned = warning;
            let text = match warning {
                TimeWarning::OneMinute => "One minute left. Unanswered questions score zero.",
                _ => "Ten minutes left.",
            };
            self.notice = Some(Notice {
                kind: NoticeKind::Warning,
                text: text.into(),
            });
        }
        if now.saturating_duration_since(view.last_saved) >= HEARTBEAT {
            view.last_saved = now;
            let (id, used, cur) = (
                view.session.attempt_id,
                view.session.clock.used(now),
                view.session.current,
            );
            if let Ok(store) = &self.store
                && let Err(e) = store.save_progress(id, used, cur)
            {
                self.notice = Some(error_notice(format!("Could not save progress: {e}")));
            }
        }
    }

    /// Apply one command. The only place that changes the session or writes to the store.
    pub fn run_cmd(&mut self, cmd: Command) {
        match cmd {
            Command::GoHome => self.go_home(),
            Command::OpenSetup { bank_id } => {
                let form = SetupForm::for_bank(&self.banks, bank_id.as_deref());
                self.screen = Screen::Setup(form);
            }
            Command::Start(form) => self.start(&form),
            Command::Resume(id) => self.resume(id),
            Command::Discard(id) => {
                if let Ok(store) = &self.store
                    && let Err(e) = store.abandon_attempt(id)
                {
                    self.notice = Some(error_notice(e.to_string()));
                }
                self.refresh_home();
            }
            Command::Choose { index, option } => self.change_item(index, |s, bank| {
                let kind = bank.question(&s.items[index].question_id).map(|q| q.kind);
                kind.is_some_and(|k| s.choose(index, &option, k))
            }),
            Command::ToggleFlag(index) => self.change_item(index, |s, _| s.toggle_flag(index)),
            Command::Check(index) => self.change_item(index, |s, _| s.check(index)),
            Command::GoTo(i) => self.with_exam(|v| v.session.go_to(i)),
            Command::Next => self.with_exam(|v| v.session.next()),
            Command::Previous => self.with_exam(|v| v.session.previous()),
            Command::OpenReview => self.with_exam(|v| v.reviewing = true),
            Command::CloseReview => self.with_exam(|v| v.reviewing = false),
            Command::Submit => {
                let now = self.now();
                self.with_exam(|v| v.session.submit(now, false));
                self.finish_exam();
            }
            Command::ShowResults(id) => self.show_results(id),
            Command::Group(c) => self.run_group(c),
            Command::Import(c) => self.run_import(c),
            Command::Sync(c) => self.run_sync(c),
            Command::ReloadBanks => {
                self.banks = load_banks(&self.banks_dir);
                let n = self.banks.failures.len();
                self.notice = Some(Notice {
                    kind: if n == 0 {
                        NoticeKind::Info
                    } else {
                        NoticeKind::Warning
                    },
                    text: format!(
                        "Reloaded {} bank(s); {n} could not be loaded.",
                        self.banks.banks.len()
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
            Command::SelectBank(id) => {
                self.focus_bank(&id);
                self.refresh_home();
            }
            Command::Study(c) => self.run_study(c),
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

    fn with_exam(&mut self, f: impl FnOnce(&mut ExamView)) {
        if let Screen::Exam(view) = &mut self.screen {
            f(view);
        }
    }

    /// Change one item and write it to the database at once, so a crash loses nothing.
    fn change_item(&mut self, index: usize, f: impl FnOnce(&mut ExamSession, &Bank) -> bool) {
        let now = self.now();
        let Screen::Exam(view) = &mut self.screen else {
            return;
        };
        let Some(bank) = self.banks.bank(&view.session.bank_id) else {
            return;
        };
        if !f(&mut view.session, bank) {
            return;
        }
        let s = &view.session;
        let result = match &self.store {
            Ok(store) => store.save_item(
                s.attempt_id,
                index,
                &s.states[index],
                s.clock.used(now),
                s.current,
            ),
            Err(_) => Ok(()),
        };
        view.last_saved = now;
        if let Err(e) = result {
            self.notice = Some(error_notice(format!(
                "Your last answer could not be saved: {e}"
            )));
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
        let unfinished = store.unfinished_attempt().ok().flatten().map(|a| {
            let answered = store
                .load_session(a.id)
                .ok()
                .flatten()
                .map_or(0, |l| l.session.answered_count());
            let elsewhere = store.remote_progress(a.id).ok().flatten().map(|r| r.name);
            Unfinished {
                attempt: a,
                answered,
                elsewhere,
            }
        });
        let bank = self
            .selected_bank
            .as_deref()
            .and_then(|id| self.banks.bank(id));
        let dashboard =
            bank.map(|b| build_dashboard(store, b, &self.study_settings, chrono::Utc::now()));
        let mut home = HomeData {
            recent,
            unfinished,
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

    fn start(&mut self, form: &SetupForm) {
        let Some(bank) = self.banks.bank(&form.bank_id) else {
            self.notice = Some(error_notice(format!(
                "No bank \"{}\" is loaded.",
                form.bank_id
            )));
            return;
        };
        let seed = form.seed.unwrap_or_else(crate::exam::random_seed);
        // The learner's own pass mark (Settings), which readiness predicts against too.
        let pass_percent = self
            .store
            .as_ref()
            .ok()
            .and_then(|s| s.effective_pass_percent(bank).ok())
            .unwrap_or(bank.manifest.exam.pass_percent);
        let attempt = AttemptSpec {
            mode: form.mode,
            seed,
            pass_percent,
            time_limit: (form.mode == Mode::Exam)
                .then(|| Duration::from_secs(form.minutes as u64 * 60)),
            items: assemble(bank, form.questions, seed),
            pack_id: None,
        };
        self.begin_attempt(&form.bank_id, attempt);
    }

    /// Write a new attempt to the database (with the readiness it predicts, for a timed exam)
    /// and open the exam screen on it. Self-made exams and group packs both start here.
    fn begin_attempt(&mut self, bank_id: &str, attempt: AttemptSpec) -> Option<i64> {
        let Some(bank) = self.banks.bank(bank_id) else {
            self.notice = Some(error_notice(format!("No bank \"{bank_id}\" is loaded.")));
            return None;
        };
        let store = match &mut self.store {
            Ok(s) => s,
            Err(e) => {
                let text = format!("Cannot start: the database is not available ({e}).");
                self.notice = Some(error_notice(text));
                return None;
            }
        };
        let created = store.create_attempt(&NewAttempt {
            bank_id: bank.id(),
            bank_version: &bank.manifest.version,
            mode: attempt.mode,
            seed: attempt.seed,
            pass_percent: attempt.pass_percent,
            time_limit: attempt.time_limit,
            items: &attempt.items,
            pack_id: attempt.pack_id.as_deref(),
        });
        let id = match created {
            Ok(id) => id,
            Err(e) => {
                self.notice = Some(error_notice(format!("Could not start the exam: {e}")));
                return None;
            }
        };
        if attempt.mode == Mode::Exam
            && let Err(e) = record_prediction(store, bank, id)
        {
            self.notice = Some(error_notice(format!("Readiness was not recorded: {e}")));
        }
        let session = ExamSession::new(
            id,
            bank.id(),
            attempt.mode,
            attempt.seed,
            attempt.pass_percent,
            attempt.items,
            attempt.time_limit,
        );
        self.enter_exam(session, false);
        Some(id)
    }

    fn enter_exam(&mut self, session: ExamSession, resumed: bool) {
        self.focus_bank(&session.bank_id);
        let now = self.now();
        let warned = TimeWarning::for_remaining(session.clock.remaining(now));
        self.screen = Screen::Exam(Box::new(ExamView {
            session,
            reviewing: false,
            resumed,
            last_saved: now,
            warned,
        }));
    }

    fn resume(&mut self, id: i64) {
        let loaded = match &self.store {
            Ok(store) => store.load_session(id),
            Err(_) => return,
        };
        match loaded {
            Ok(Some(l)) if self.banks.bank(&l.session.bank_id).is_some() => {
                self.enter_exam(l.session, true);
                self.notice = Some(Notice {
                    kind: NoticeKind::Info,
                    text: "Exam resumed with your answers, flags and remaining time. \
                           Time while certprep was closed does not count."
                        .into(),
                });
            }
            Ok(Some(l)) => {
                self.notice = Some(error_notice(format!(
                    "This exam uses the bank \"{}\", which is not loaded; it cannot be resumed until the bank is back.",
                    l.session.bank_id
                )))
            }
            Ok(None) => self.refresh_home(),
            Err(e) => self.notice = Some(error_notice(e.to_string())),
        }
    }

    fn finish_exam(&mut self) {
        let now = self.now();
        let utc_now = self.utc_now();
        let Screen::Exam(view) = &mut self.screen else {
            return;
        };
        if view.session.is_open() {
            return;
        }
        let Some(bank) = self.banks.bank(&view.session.bank_id) else {
            return;
        };
        let report = view.session.score(bank);
        let elapsed = view.session.clock.used(now);
        let saved =
            match &mut self.store {
                Ok(store) => exam_evidence(store, bank, &view.session, &report, utc_now).and_then(
                    |evidence| store.finish_attempt(&view.session, elapsed, &report, &evidence),
                ),
                Err(_) => Ok(()),
            };
        if let Err(e) = saved {
            self.notice = Some(error_notice(format!(
                "Your result could not be saved: {e}. Your answers up to now are in the database."
            )));
        }
        let session = view.session.clone();
        self.screen = Screen::Results(Box::new(ResultsView {
            session,
            report,
            elapsed,
            only_incorrect: false,
        }));
    }

    fn show_results(&mut self, id: i64) {
        let loaded = match &self.store {
            Ok(store) => store.load_session(id),
            Err(_) => return,
        };
        match loaded {
            Ok(Some(l)) => match self.banks.bank(&l.session.bank_id) {
                Some(bank) => {
                    let report = l.session.score(bank);
                    let elapsed = l.session.clock.used(self.now());
                    self.screen = Screen::Results(Box::new(ResultsView {
                        session: l.session,
                        report,
                        elapsed,
                        only_incorrect: false,
                    }));
                }
                None => {
                    self.notice = Some(error_notice(format!(
                        "The bank \"{}\" of that exam is not loaded.",
                        l.session.bank_id
                    )))
                }
            },
            Ok(None) => {}
            Err(e) => self.notice = Some(error_notice(e.to_string())),
        }
    }

    /// Called when the window closes: stop the clock and write the time used.
    pub fn on_close(&mut self) {
        // The window is going away: there is nobody left to tell if this fails, and every
        // answer is already saved; only the clock's last seconds would be lost.
        let _ = self.pause_exam();
    }

    /// Stop the clock of the exam on screen, if any, and save the time used and the current
    /// question, so that resuming carries on from here.
    fn pause_exam(&mut self) -> Result<(), StoreError> {
        let now = self.now();
        let Screen::Exam(view) = &mut self.screen else {
            return Ok(());
        };
        view.session.clock.pause(now);
        match &self.store {
            Ok(store) => store.save_progress(
                view.session.attempt_id,
                view.session.clock.used(now),
                view.session.current,
            ),
            // Start-up already said the database is unavailable.
            Err(_) => Ok(()),
        }
    }
}

/// What readiness says as a mock exam starts, kept to compare with its score later
/// (calibration). Taken before any answer of the exam counts.
pub(crate) fn record_prediction(
    store: &Store,
    bank: &Bank,
    attempt_id: i64,
) -> Result<(), StoreError> {
    let mut cards = store.load_cards(bank.id())?;
    crate::srs::drop_retired(bank, &mut cards);
    let report = store.mastery_report(bank, &cards, chrono::Utc::now())?;
    // Before any answer the "prediction" is the bare prior; scoring it against the exam
    // would blame the model for what it was never told (see "No prediction yet").
    if report.is_prior_only() {
        return Ok(());
    }
    store.save_prediction(attempt_id, bank.id(), &report.readiness)
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
        .filter(|a| a.bank_id == bank.id() && a.mode == Mode::Exam)
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
        },
        plan_settings,
    ))
}

/// What a finished exam teaches: the FSRS review of every answered item (right = Good,
/// wrong = Again, scheduled by the learner's scheduler for the bank, see
/// `Scheduler::exam_next_card`) and the realism evidence of those seen before.
fn exam_evidence(
    store: &Store,
    bank: &Bank,
    session: &ExamSession,
    report: &ScoreReport,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<crate::mastery::ExamEvidence, StoreError> {
    let mut cards = store.load_cards(&session.bank_id)?;
    crate::srs::drop_retired(bank, &mut cards);
    Ok(crate::mastery::exam_evidence(
        bank,
        &cards,
        &store.model_inputs(bank)?,
        &store.scheduler_for(&session.bank_id)?,
        &crate::srs::answered_items(report),
        now,
        session.attempt_id,
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
    let mut app = CertprepApp::open(cli.banks_dir(), cli.data_dir());
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
