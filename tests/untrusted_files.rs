//! Issue 14, hangs: files that are not regular files (a FIFO, a link to a device), folder
//! link loops, and inputs that took quadratic time. Each runs the real binary or the real
//! code on a thread, with a time bound far above what the work takes: a hang fails the test
//! instead of stopping the suite.

mod common;

use common::s;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Generous: each of these finishes in well under a second when it does not hang.
const BOUND: Duration = Duration::from_secs(60);

/// Run the binary with `args`; kill it and fail if it has not finished within `BOUND`.
fn bounded(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_certprep"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > BOUND {
            let _ = child.kill();
            let _ = child.wait();
            panic!("certprep {args:?} still running after {BOUND:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Run `f` on a thread; fail if it has not returned within `BOUND`.
fn on_thread<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(BOUND) {
        Ok(v) => v,
        Err(_) => panic!("{what} did not finish within {BOUND:?}"),
    }
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(ok.success(), "mkfifo {}", path.display());
}

fn mini_bank(dir: &Path) {
    let src = common::fixture_banks().join("mini");
    std::fs::create_dir_all(dir).unwrap();
    for name in ["bank.json", "questions.json"] {
        std::fs::copy(src.join(name), dir.join(name)).unwrap();
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn a_fifo_or_a_device_in_a_bank_folder_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let bank = dir.path().join("mini");
    mini_bank(&bank);
    mkfifo(&bank.join("pipe.json"));
    std::os::unix::fs::symlink("/dev/zero", bank.join("zero.json")).unwrap();
    for cmd in ["validate", "stats"] {
        let args: Vec<&str> = match cmd {
            "validate" => vec!["validate", s(&bank)],
            _ => vec!["--banks", s(dir.path()), "stats"],
        };
        let out = bounded(&args);
        let said = text(&out);
        assert_eq!(out.status.code(), Some(1), "{cmd}: {said}");
        assert!(
            said.contains("pipe.json") && said.contains("named pipe"),
            "{cmd}: {said}"
        );
        assert!(
            said.contains("zero.json") && said.contains("a device"),
            "{cmd}: {said}"
        );
    }
}

#[test]
fn a_fifo_given_as_a_pack_result_source_or_history_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| {
        let path = dir.path().join(n);
        mkfifo(&path);
        path
    };
    let pack = p("x.certprep-exam.json");
    let result = p("x.certprep-result.json");
    let gift = p("x.gift");
    let history = p("x.sqlite3");
    let data = dir.path().join("data");
    let out_dir = dir.path().join("out");
    let runs: Vec<Vec<&str>> = vec![
        vec!["pack", "open", s(&pack)],
        vec!["group", "report", s(&result)],
        vec![
            "import",
            "gift",
            s(&gift),
            "--bank-id",
            "x",
            "--out",
            s(&out_dir),
        ],
        vec!["data", "import", s(&history), "--data-dir", s(&data)],
    ];
    for args in runs {
        let out = bounded(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out));
        assert!(
            text(&out).contains("named pipe"),
            "{args:?}: {}",
            text(&out)
        );
    }
}

#[test]
fn folder_links_in_a_bank_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let bank = dir.path().join("mini");
    mini_bank(&bank);
    std::fs::create_dir(bank.join("more")).unwrap();
    // A loop (a folder linking to its parent) and a link to the whole file system.
    std::os::unix::fs::symlink("..", bank.join("more").join("up")).unwrap();
    std::os::unix::fs::symlink("/", bank.join("root")).unwrap();
    let out = bounded(&["validate", s(&bank)]);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("bank mini: 10 questions"), "{said}");
    assert!(said.contains("does not follow folder links"), "{said}");
}

/// GIFT with `n` questions all titled the same.
fn gift_same_title(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!(
            "::Same title::Question {i}? {{=right ~wrong ~other}}\n\n"
        ));
    }
    s
}

/// CSV with one area per row.
fn csv_many_areas(n: usize) -> String {
    let mut s = String::from("id,domain,stem,option_a,option_b,correct\n");
    for i in 0..n {
        s.push_str(&format!("q{i},area-{i},Question {i}?,yes,no,a\n"));
    }
    s
}

#[test]
fn repeated_gift_titles_and_many_csv_areas_import_in_linear_time() {
    let opts = || certprep::import::ImportOptions {
        bank_id: "big".into(),
        title: None,
    };
    let n = 20_000;
    let import = on_thread(
        "importing 20,000 GIFT questions with one title",
        move || certprep::import::gift::parse(&gift_same_title(n), &opts()),
    );
    assert_eq!(import.questions.len(), n);
    assert_eq!(import.questions[n - 1].id, format!("same-title-{n}"));
    let import = on_thread("importing a CSV with 20,000 areas", move || {
        certprep::import::csv::parse(&csv_many_areas(n), &opts()).unwrap()
    });
    assert_eq!(import.manifest.domains.len(), n);
    let bank = on_thread("validating a bank with 20,000 areas", move || {
        import.validate().map(|b| b.manifest.domains.len())
    });
    assert_eq!(bank.ok(), Some(n));
}

/// Moodle XML with `n` questions all named the same, each in a category of its own, each
/// with the same embedded image.
fn moodle_xml_same_name_own_categories(n: usize) -> String {
    let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    let mut s = String::from("<?xml version=\"1.0\"?>\n<quiz>\n");
    for i in 0..n {
        s.push_str(&format!(
            "<question type=\"category\"><category><text>$course$/top/Area {i}</text></category></question>\n\
             <question type=\"multichoice\"><name><text>Same name</text></name>\
             <questiontext format=\"html\"><text><![CDATA[<p>Question {i}? <img src=\"@@PLUGINFILE@@/pic.png\"></p>]]></text>\
             <file name=\"pic.png\" encoding=\"base64\">{png}</file></questiontext>\
             <answer fraction=\"100\"><text>right</text></answer>\
             <answer fraction=\"0\"><text>wrong</text></answer></question>\n"
        ));
    }
    s.push_str("</quiz>\n");
    s
}

#[test]
fn moodle_xml_with_repeated_names_and_many_categories_imports_in_linear_time() {
    let n = 20_000;
    let import = on_thread(
        "importing 20,000 Moodle XML questions with one name, each in its own category",
        move || {
            certprep::import::moodle_xml::parse(
                &moodle_xml_same_name_own_categories(n),
                &certprep::import::ImportOptions {
                    bank_id: "big".into(),
                    title: None,
                },
            )
            .unwrap()
        },
    );
    assert_eq!(import.questions.len(), n);
    assert_eq!(import.questions[n - 1].id, format!("same-name-{n}"));
    assert_eq!(import.manifest.domains.len(), n);
    // One picture under one name is stored once.
    assert_eq!(import.images.len(), 1);
}

/// A bank folder with `n` areas, one question each, written for the loader.
fn write_many_area_bank(dir: &Path, n: usize) -> PathBuf {
    let import = certprep::import::csv::parse(
        &csv_many_areas(n),
        &certprep::import::ImportOptions {
            bank_id: "many".into(),
            title: None,
        },
    )
    .unwrap();
    let out = dir.join("many");
    certprep::import::write_bank(&import, &out, false).unwrap();
    out
}

#[test]
fn a_bank_with_many_areas_validates_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let bank = write_many_area_bank(dir.path(), 20_000);
    let out = bounded(&["validate", s(&bank)]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("20000 domains"), "{}", text(&out));
}

/// A big bank no longer keeps the window from appearing: banks are read on a helper thread
/// and the first frames show which bank is being read.
#[test]
fn the_window_draws_while_banks_load_and_shows_progress() {
    use egui_kittest::kittest::Queryable;
    let banks = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    certprep::synth::write_bank(&banks.path().join("synthetic"), 10_000, 1).unwrap();
    let app =
        certprep::ui::CertprepApp::open(banks.path().to_path_buf(), data.path().to_path_buf());
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1000.0, 700.0))
        .build_ui_state(|ui, app: &mut certprep::ui::CertprepApp| app.show(ui), app);
    let first = Instant::now();
    h.step();
    assert!(
        h.state().banks_loading(),
        "a 10,000-question bank loads in the background"
    );
    h.get_by_label("Loading question banks…");
    assert!(first.elapsed() < BOUND);
    assert!(h.state_mut().wait_for_banks(BOUND));
    h.run();
    assert!(h.get_all_by_label_contains("Practice ").next().is_some());
    assert_eq!(h.state().banks.banks.len(), 1);
}
