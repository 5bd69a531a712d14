//! The study group screen through egui_kittest: open a pack, sit and submit it, export the
//! result; load members' results from the group folder and see the table.

use certprep::bank::Bank;
use certprep::exam::{ExamSession, Mode};
use certprep::group::{ExamPack, MemberResult};
use certprep::store::Store;
use certprep::ui::{CertprepApp, Command, GroupCmd, Screen};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod common;

fn banks_dir() -> PathBuf {
    common::fixture_banks()
}

fn harness_with(banks: PathBuf, data: &Path) -> Harness<'static, CertprepApp> {
    common::harness_with(banks, data, egui::vec2(1200.0, 900.0))
}

fn mini() -> Bank {
    common::group::mini()
}

fn pack(embed: bool) -> ExamPack {
    common::group::spring_mock(embed)
}

fn type_into(h: &mut Harness<'_, CertprepApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Open the pack through the screen, start it, answer the first question, submit.
fn open_and_sit(h: &mut Harness<'_, CertprepApp>, pack_file: &Path) {
    h.run();
    h.get_by_label("Study group").click();
    h.run();
    type_into(h, "Exam pack file", &pack_file.display().to_string());
    h.get_by_label("Open exam pack").click();
    h.run();
    h.get_by_label("Spring mock");
    // The pack names its bank by id; the screen shows the loaded bank's title.
    h.get_by_label_contains("· Mini test bank (version");
    h.get_by_label("Start pack exam").click();
    h.run();
    h.get_by_label("Question 1 of 6");
    // Answer the first question with its first shown option.
    let label = {
        let Screen::Exam(view) = &h.state().screen else {
            panic!("not on the exam screen")
        };
        let s = &view.session;
        let q = h
            .state()
            .bank(&s.bank_id)
            .unwrap()
            .question(&s.items[0].question_id)
            .unwrap();
        let first = &s.items[0].option_order[0];
        format!("A. {}", q.option(first).unwrap().text)
    };
    h.get_by_label(&label).click();
    h.run();
    common::review_and_submit(h);
}

#[test]
fn open_a_pack_sit_it_submit_and_export_the_result() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let pack = pack(false);
    let pack_file = dir.path().join(pack.file_name());
    std::fs::write(&pack_file, pack.to_json()).unwrap();

    let mut h = harness_with(banks_dir(), &data);
    h.run();
    h.get_by_label("Study group").click();
    h.run();
    type_into(&mut h, "Exam pack file", &pack_file.display().to_string());
    h.get_by_label("Open exam pack").click();
    h.run();
    h.get_by_label("Spring mock");
    h.get_by_label_contains("6 questions · 10 minutes · pass mark 50%");
    h.get_by_label("Start pack exam").click();
    h.run();
    // Sat under the pack's title, not the bank's.
    h.get_by_label("Spring mock");
    assert!(h.query_by_label("Mini test bank").is_none());

    // Exactly the pack's exam: items, option order, time limit, pass mark.
    {
        let Screen::Exam(view) = &h.state().screen else {
            panic!("not on the exam screen")
        };
        let s = &view.session;
        assert_eq!(s.items, pack.exam_items());
        assert_eq!(s.clock.limit, Some(Duration::from_secs(600)));
        assert_eq!(s.pass_percent, pack.pass_percent);
        assert_eq!(s.seed, pack.seed);
    }
    drop(h);
    // After a restart Home offers the unfinished pack exam by its title, and resumes it so.
    let mut h = harness_with(banks_dir(), &data);
    h.run();
    h.get_by_label_contains("Spring mock: exam started");
    h.get_by_label("Resume exam").click();
    h.run();
    h.get_by_label("Spring mock");
    drop(h);
    // Sit it again from the start through the screens (the first attempt is left open).
    let mut h = harness_with(banks_dir(), &data);
    open_and_sit(&mut h, &pack_file);
    h.get_by_label_contains("Score:");
    h.get_by_label("Results — Spring mock");
    h.get_by_label("This was a study-group exam pack: send your result to the facilitator.");
    // Until a name is typed the disabled button says why, in the bar itself.
    let why = "Type your name first: the facilitator's report lists each member by it.";
    h.get_by_label(why);
    assert!(
        h.get_by_label("Export result…")
            .accesskit_node()
            .is_disabled()
    );
    type_into(&mut h, "Your name", "Alice");
    assert!(h.query_by_label(why).is_none());
    h.get_by_label("Export result…").click();
    h.run();

    // The result lands beside the pack, sealed, for this pack, with every answer.
    let file = dir
        .path()
        .join(format!("{}-alice.certprep-result.json", pack.pack_id));
    let r = MemberResult::load(&file).unwrap();
    assert_eq!(r.pack_id, pack.pack_id);
    assert_eq!(r.member, "Alice");
    assert_eq!(r.answers.len(), 6);
    assert_eq!(
        r.answers.iter().filter(|a| !a.selected.is_empty()).count(),
        1
    );
    let ids: Vec<&str> = r.answers.iter().map(|a| a.question_id.as_str()).collect();
    let pack_ids: Vec<&str> = pack.items.iter().map(|i| i.question_id.as_str()).collect();
    assert_eq!(ids, pack_ids);
    h.get_by_label_contains("Result saved to");

    // The attempt is recorded with the pack id.
    drop(h);
    let store = Store::open_in(&data).unwrap();
    let recent = store.recent_attempts(5).unwrap();
    assert_eq!(recent[0].pack_id.as_deref(), Some(pack.pack_id.as_str()));
}

#[test]
fn a_member_without_the_bank_sits_the_embedded_copy() {
    let dir = tempfile::tempdir().unwrap();
    let pack = pack(true);
    let pack_file = dir.path().join("spring.certprep-exam.json");
    std::fs::write(&pack_file, pack.to_json()).unwrap();
    let empty_banks = dir.path().join("no-banks");
    std::fs::create_dir_all(&empty_banks).unwrap();
    let mut h = harness_with(empty_banks, &dir.path().join("data"));
    h.run();
    // Dropping the file onto the window opens it.
    h.state_mut()
        .push(Command::Group(GroupCmd::Dropped(vec![pack_file.clone()])));
    // A pushed command runs after the frame: one frame to run it, one to show the result.
    h.run();
    h.run();
    h.get_by_label_contains("the questions embedded in the pack are used");
    h.get_by_label("Start pack exam").click();
    h.run();
    h.get_by_label("Question 1 of 6");
    common::review_and_submit(&mut h);
    h.get_by_label("Score: 0 of 6 correct (0%)");
}

/// A result for `pack` answering correctly in the areas `right` says.
fn result(pack: &ExamPack, member: &str, right: impl Fn(&str) -> bool) -> MemberResult {
    let bank = mini();
    let mut s = ExamSession::new(
        1,
        "mini",
        Mode::Exam,
        pack.seed,
        pack.pass_percent,
        pack.exam_items(),
        Some(pack.time_limit()),
    );
    for i in 0..s.len() {
        let q = bank.question(&s.items[i].question_id).unwrap().clone();
        if right(&q.domain) {
            for c in q.correct_ids() {
                s.choose(i, &c, &q);
            }
        }
    }
    s.submit(Instant::now(), false);
    MemberResult::new(
        &pack.pack_id,
        member,
        &s.score(&bank),
        Duration::from_secs(420),
        false,
    )
    .unwrap()
}

/// A temporary folder with the (not embedded) pack written to a file, an empty group
/// folder, and room for the app's data.
struct Group {
    dir: tempfile::TempDir,
    pack: ExamPack,
    pack_file: PathBuf,
    folder: PathBuf,
}

impl Group {
    fn new() -> Group {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("group");
        std::fs::create_dir_all(&folder).unwrap();
        let pack = pack(false);
        let pack_file = dir.path().join(pack.file_name());
        std::fs::write(&pack_file, pack.to_json()).unwrap();
        Group {
            dir,
            pack,
            pack_file,
            folder,
        }
    }

    /// Write a member's result into `into` (the group folder, or elsewhere) and return its path.
    fn member(&self, into: &Path, name: &str, right: impl Fn(&str) -> bool) -> PathBuf {
        let r = result(&self.pack, name, right);
        let path = into.join(r.file_name());
        std::fs::write(&path, r.to_json()).unwrap();
        path
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }
}

#[test]
fn load_results_from_the_group_folder_and_see_the_table() {
    let g = Group::new();
    let (data, folder) = (g.data(), g.folder.clone());
    g.member(&folder, "Alice", |_| true);
    g.member(&folder, "Bob", |d| d == "plan");
    std::fs::write(folder.join("junk.certprep-result.json"), "not json").unwrap();

    let mut h = harness_with(banks_dir(), &data);
    h.run();
    h.get_by_label("Study group").click();
    h.run();
    h.get_by_label("No results loaded yet.");
    type_into(&mut h, "Group folder", &folder.display().to_string());
    h.get_by_label("Use folder").click();
    h.run();

    h.get_by_label("2 members, 6 questions, 1 file rejected");
    // Header, the two member rows and the group mean.
    for cell in ["Member", "Overall", "Planning", "Operations", "Data"] {
        h.get_by_label(cell);
    }
    h.get_by_label("Alice");
    h.get_by_label("Bob");
    h.get_by_label("Group mean");
    h.get_by_label("75.0%");
    assert_eq!(h.query_all_by_label("100.0%").count(), 4 + 1 + 1);
    h.get_by_label("Weakest areas: Operations (50.0%), Data (50.0%), Planning (100.0%)");
    h.get_by_label_contains("junk.certprep-result.json: not a JSON file");
    h.get_by_label("Questions to check (0)");
    // Moodle's test statistics, each with its one-line meaning: totals 6 and 3.
    h.get_by_label("Test statistics");
    h.get_by_label("Mean score");
    // Mean and median are both 4.5 of 6.
    assert_eq!(h.query_all_by_label("4.50 of 6 (75.0%)").count(), 2);
    h.get_by_label("the average number of questions right");
    h.get_by_label("Internal consistency (CIC)");
    // Two members are too few for skewness and alpha: shown as undefined, not NaN.
    assert!(h.query_by_label_contains("NaN").is_none());

    // CSV export into the group folder, with the test statistics after the questions.
    // Below the calibration and the flagged questions: scrolled into view, as a user would.
    h.get_by_label("Export CSV").scroll_to_me();
    h.run();
    h.get_by_label("Export CSV").click();
    h.run();
    let csv = std::fs::read_to_string(folder.join("group-report.csv")).unwrap();
    assert!(csv.contains("Bob,50.0,100.0,0.0,0.0\n"), "{csv}");
    assert!(csv.contains("\nTest statistic,Value,Meaning\n"), "{csv}");
    assert!(csv.contains("\nMean score,4.5,the average number"), "{csv}");
    assert!(csv.contains("\nSkewness,,"), "{csv}");

    // The folder is remembered: after a restart a third result appears on opening.
    drop(h);
    g.member(&folder, "Carol", |d| d != "plan");
    let mut h = harness_with(banks_dir(), &data);
    h.run();
    h.get_by_label("Study group").click();
    h.run();
    h.get_by_label("3 members, 6 questions, 1 file rejected");
    h.get_by_label("Carol");
    // Totals 6, 3, 3: mean 4, median 3, SD √3.
    h.get_by_label("4.00 of 6 (66.7%)");
    h.get_by_label("3.00 of 6 (50.0%)");
    h.get_by_label(&format!("{:.2} (28.9%)", 3f64.sqrt()));
}

/// The file dialogs cannot be driven headless; what is tested is everything around them:
/// each path field has its Choose button, and a path the dialog returns fills the field and
/// does what the field's own button does.
#[test]
fn paths_chosen_in_the_file_dialog_fill_the_field_and_act() {
    use certprep::ui::dialog::FilePurpose;
    let g = Group::new();
    let (dir, data, folder, pack_file) = (g.dir.path(), g.data(), &g.folder, &g.pack_file);
    g.member(folder, "Alice", |_| true);
    let bob_file = g.member(dir, "Bob", |d| d == "plan");

    let mut h = harness_with(banks_dir(), &data);
    let chosen = |h: &mut Harness<'_, CertprepApp>, purpose: FilePurpose, path: &Path| {
        h.state_mut()
            .push(Command::FileChosen(purpose, path.to_path_buf()));
        // One frame carries the command out, the next draws what it did.
        h.run_steps(2);
    };
    h.run();
    h.get_by_label("Study group").click();
    h.run();
    for name in [
        "Open an exam pack",
        "Choose the group folder",
        "Add a member's result",
    ] {
        h.get_by_label(name);
    }

    chosen(&mut h, FilePurpose::ExamPack, pack_file);
    h.get_by_label("Spring mock");
    assert_eq!(h.state().group.pack_path, pack_file.display().to_string());

    chosen(&mut h, FilePurpose::GroupFolder, folder);
    h.get_by_label("1 member, 6 questions, 0 files rejected");
    assert_eq!(h.state().group.folder, folder.display().to_string());

    chosen(&mut h, FilePurpose::ResultFile, &bob_file);
    h.get_by_label("2 members, 6 questions, 0 files rejected");
    h.get_by_label("Save the group report");
    let csv = dir.join("elsewhere.csv");
    chosen(&mut h, FilePurpose::GroupCsv, &csv);
    assert!(std::fs::read_to_string(&csv).unwrap().contains("Bob,"));

    // Settings: export the history to a chosen file, then import it back.
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label("Export your history");
    h.get_by_label("Import a history file");
    let history = dir.join("moved.sqlite3");
    chosen(&mut h, FilePurpose::ExportHistory, &history);
    assert!(history.is_file());
    assert_eq!(h.state().history.path, history.display().to_string());
    chosen(&mut h, FilePurpose::ImportHistory, &history);
    // A chosen file is asked about first, as a typed one is.
    h.run();
    h.get_by_label("Replace my history").click();
    h.run_steps(2);
    h.get_by_label_contains("History imported from");

    // Import: a chosen GIFT file is read in the background and previewed.
    h.get_by_label("Import").click();
    h.run();
    h.get_by_label("Choose a GIFT, Moodle XML or CSV file");
    let gift = std::fs::read_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/gift"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "gift"))
        .expect("a GIFT fixture");
    chosen(&mut h, FilePurpose::Questions, &gift);
    for _ in 0..200 {
        if !h.state().import.busy() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
        h.run();
    }
    h.run();
    assert_eq!(h.state().import.path, gift.display().to_string());
    assert!(
        h.state().import.preview.is_some(),
        "{:?}",
        h.state().import.error
    );
}

/// Enter in a path field does what the field's button does.
#[test]
fn enter_in_the_pack_and_folder_fields_opens_them() {
    let g = Group::new();
    g.member(&g.folder, "Alice", |_| true);
    let (pack_file, folder) = (&g.pack_file, &g.folder);

    let mut h = harness_with(banks_dir(), &g.data());
    h.run();
    h.get_by_label("Study group").click();
    h.run();
    type_into(&mut h, "Exam pack file", &pack_file.display().to_string());
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("Spring mock");
    type_into(&mut h, "Group folder", &folder.display().to_string());
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("1 member, 6 questions, 0 files rejected");
}

/// A question nobody got right is flagged; opening the flag shows its text and key.
#[test]
fn a_flagged_question_opens_on_its_text_and_key() {
    let g = Group::new();
    for name in ["Ann", "Ben", "Cy", "Dee", "Ed"] {
        g.member(&g.folder, name, |d| d != "data");
    }
    let (pack, folder) = (&g.pack, &g.folder);
    let bank = mini();
    let data_q = pack
        .items
        .iter()
        .filter_map(|i| bank.question(&i.question_id))
        .find(|q| q.domain == "data")
        .expect("the pack has a data question");

    let mut h = harness_with(banks_dir(), &g.data());
    h.run();
    h.get_by_label("Study group").click();
    h.run();
    type_into(&mut h, "Group folder", &folder.display().to_string());
    h.key_press(egui::Key::Enter);
    h.run();
    let start: String = data_q.stem.chars().take(20).collect();
    let header = format!("{} · {start}", data_q.id);
    h.get_by_label_contains(&header).click();
    h.run();
    let right = data_q.options.iter().find(|o| o.correct).unwrap();
    h.get_by_label_contains(&right.text);
}

/// Sideways scrolling of the member table keeps the member names in view.
#[test]
fn member_names_stay_in_view_when_the_table_scrolls_sideways() {
    let g = Group::new();
    g.member(&g.folder, "Alice", |_| true);
    g.member(&g.folder, "Bob", |d| d == "plan");
    let mut h = common::harness_with(banks_dir(), &g.data(), egui::vec2(640.0, 900.0));
    h.state_mut().push(certprep::ui::Command::SetZoom(2.0));
    // After a zoom change in a window this narrow, Home's mastery grid (category rows and
    // area rows) takes six frames to settle its column widths, more than `run` allows.
    h.run_steps(8);
    h.run();
    h.get_by_label("Study group").click();
    h.run();
    type_into(&mut h, "Group folder", &g.folder.display().to_string());
    h.key_press(egui::Key::Enter);
    h.run();
    let screen = h.ctx.content_rect();
    // Down to the table first (egui scrolls only the innermost area to a widget), then
    // sideways to the last area.
    h.get_by_label("Group mean").scroll_to_me();
    h.run();
    let before = h.get_by_label("Overall").rect();
    h.get_by_label("Data").scroll_to_me();
    h.run();
    let data = h.get_by_label("Data").rect();
    assert!(
        screen.contains_rect(data),
        "Data scrolled into view: {data:?} in {screen:?}"
    );
    let after = h.get_by_label("Overall").rect();
    assert!(
        after.left() < before.left(),
        "the scores scrolled: {before:?} -> {after:?}"
    );
    for name in ["Member", "Alice", "Bob", "Group mean"] {
        let r = h.get_by_label(name).rect();
        assert!(screen.contains_rect(r), "{name} stays in view: {r:?}");
    }
}
