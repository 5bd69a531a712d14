//! certprep as an installed app (issue #18): the shipped banks are built into the binary, so
//! it works run from any folder with a fresh data folder and no `--banks`; imports go to the
//! data folder; a bank cannot take a built-in bank's id.

mod common;

use common::{fixture_banks, repo, s};
use std::path::Path;
use std::process::{Command, Output};

/// The built binary run from `/` as an installed app is: no source tree around it, no
/// `--banks`, no banks variable, a data folder and HOME of its own.
fn installed(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_certprep"))
        .args(args)
        .current_dir("/")
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("CERTPREP_BANKS_DIR")
        .env("CERTPREP_DATA_DIR", data)
        .env("HOME", data)
        .env("XDG_DATA_HOME", data.join("xdg"))
        .output()
        .expect("binary runs")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The shipped banks' question counts, read from the source tree for comparison.
fn shipped_count(id: &str) -> usize {
    certprep::bank::load_bank(&repo().join("question-banks").join(id))
        .expect("shipped bank loads")
        .questions
        .len()
}

#[test]
fn run_from_the_root_folder_with_a_fresh_data_folder_it_has_the_shipped_banks() {
    let data = tempfile::tempdir().unwrap();
    let o = installed(data.path(), &["validate"]);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    let cetl = format!("bank cetl: {} questions", shipped_count("cetl"));
    assert!(out(&o).contains(&cetl), "{}", out(&o));
    assert!(out(&o).contains("bank school-it-tech:"), "{}", out(&o));

    // `certprep banks` says they are built in, not read from some folder.
    let o = installed(data.path(), &["banks"]);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    let text = out(&o);
    let cetl_line = text
        .lines()
        .find(|l| l.starts_with("cetl\t"))
        .unwrap_or_else(|| panic!("no cetl line in {text}"));
    assert!(cetl_line.ends_with("\tbuilt in"), "{cetl_line}");
    let data_banks = data.path().join("question-banks");
    assert!(
        text.contains(&format!(
            "data folder: {} (not created yet)",
            data_banks.display()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("imports go to: {}", data_banks.display())),
        "{text}"
    );
    // Running it wrote nothing outside the data folder it was given.
    assert!(!Path::new("/question-banks").exists());
}

#[test]
fn version_flag_prints_the_package_version() {
    let data = tempfile::tempdir().unwrap();
    let o = installed(data.path(), &["--version"]);
    assert!(o.status.success());
    assert_eq!(
        out(&o).trim(),
        format!("certprep {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn an_import_goes_to_the_data_folder_and_is_listed_after_the_built_in_banks() {
    let data = tempfile::tempdir().unwrap();
    let gift = repo().join("tests/data/gift/basics.gift");
    let o = installed(
        data.path(),
        &["import", "gift", s(&gift), "--bank-id", "my-quiz"],
    );
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    let written = data.path().join("question-banks/my-quiz");
    assert!(written.join("bank.json").is_file(), "{}", out(&o));
    let o = installed(data.path(), &["banks"]);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    let text = out(&o);
    let line = text
        .lines()
        .find(|l| l.starts_with("my-quiz\t"))
        .unwrap_or_else(|| panic!("no my-quiz line in {text}"));
    assert!(line.ends_with(&written.display().to_string()), "{line}");
    assert!(text.lines().any(|l| l.starts_with("cetl\t")), "{text}");
}

#[test]
fn an_import_into_the_app_cannot_take_a_built_in_bank_id_but_an_explicit_out_can() {
    let data = tempfile::tempdir().unwrap();
    let gift = repo().join("tests/data/gift/basics.gift");
    let o = installed(
        data.path(),
        &["import", "gift", s(&gift), "--bank-id", "cetl"],
    );
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    assert!(err(&o).contains("built into certprep"), "{}", err(&o));
    assert!(!data.path().join("question-banks/cetl").exists());

    // The user's own folder may hold any id: it is not a folder the app reads.
    let elsewhere = data.path().join("elsewhere");
    let o = installed(
        data.path(),
        &[
            "import",
            "gift",
            s(&gift),
            "--bank-id",
            "cetl",
            "--out",
            s(&elsewhere),
        ],
    );
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    assert!(elsewhere.join("bank.json").is_file());
}

/// Copy the fixture bank `mini` into `dir` as a bank with id `id`.
fn mini_as(dir: &Path, id: &str) {
    std::fs::create_dir_all(dir).unwrap();
    for entry in std::fs::read_dir(fixture_banks().join("mini")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    let manifest = dir.join("bank.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace("\"id\": \"mini\"", &format!("\"id\": \"{id}\"")),
    )
    .unwrap();
}

#[test]
fn a_bank_in_the_data_folder_with_a_built_in_id_is_not_loaded_and_says_why() {
    let data = tempfile::tempdir().unwrap();
    let impostor = data.path().join("question-banks/my-cetl");
    mini_as(&impostor, "cetl");
    let o = installed(data.path(), &["banks"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    let cetl_line = out(&o)
        .lines()
        .find(|l| l.starts_with("cetl\t"))
        .map(str::to_string)
        .unwrap_or_default();
    // The built-in CETL bank is the one kept, with all its questions.
    assert!(cetl_line.ends_with("\tbuilt in"), "{}", out(&o));
    assert!(
        cetl_line.contains(&format!("{} questions", shipped_count("cetl"))),
        "{cetl_line}"
    );
    let e = err(&o);
    assert!(e.contains(&impostor.display().to_string()), "{e}");
    assert!(
        e.contains("bank id \"cetl\" is already used by a bank built into certprep"),
        "{e}"
    );
    // validate fails the same way, so a CI check of a data folder catches it.
    let o = installed(data.path(), &["validate"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn the_same_bank_given_again_with_banks_is_read_once_without_complaint() {
    // `--banks question-banks` in the source tree names the built-in banks' own folders.
    let data = tempfile::tempdir().unwrap();
    let shipped = repo().join("question-banks");
    let o = installed(data.path(), &["--banks", s(&shipped), "banks"]);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    let cetl_lines = out(&o).lines().filter(|l| l.starts_with("cetl\t")).count();
    assert_eq!(cetl_lines, 1, "{}", out(&o));
}

#[test]
fn banks_adds_a_folder_and_a_clash_between_folders_keeps_the_data_folder_bank() {
    let data = tempfile::tempdir().unwrap();
    mini_as(&data.path().join("question-banks/mine"), "mine");
    let given = tempfile::tempdir().unwrap();
    mini_as(&given.path().join("extra"), "extra");
    // Same id as the data folder's bank, other content (another title).
    mini_as(&given.path().join("mine-too"), "mine");
    let manifest = given.path().join("mine-too/bank.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace("Mini test bank", "Another mini")).unwrap();

    let o = installed(data.path(), &["--banks", s(given.path()), "banks"]);
    let text = out(&o);
    for id in ["cetl", "school-it-tech", "mine", "extra"] {
        assert!(
            text.lines().any(|l| l.starts_with(&format!("{id}\t"))),
            "{id} missing: {text}"
        );
    }
    let mine = text.lines().find(|l| l.starts_with("mine\t")).unwrap();
    assert!(mine.contains("Mini test bank"), "{mine}");
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("mine-too"), "{}", err(&o));
    // With --banks, imports go to that folder.
    assert!(
        text.contains(&format!("imports go to: {}", given.path().display())),
        "{text}"
    );
}
