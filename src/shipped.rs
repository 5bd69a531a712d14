//! The banks shipped in `question-banks/`, built into the binary by `build.rs`, so an
//! installed or copied `certprep` has them wherever it runs and whatever its working folder.
//! They go through the same loader and checks as banks on disk ([`load_bank_from_texts`]).

use crate::bank::{Bank, BankFailure, LoadReport, MANIFEST_FILE, load_bank_from_texts};
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/shipped_banks.rs"));

/// What built-in banks are called in messages and on Help → About: `<built in>/cetl/…`. It
/// names them; it is not a folder on this computer.
pub const ROOT: &str = "<built in>";

/// The folder names (below `question-banks/`) of the built-in banks, in order.
pub fn bank_folders() -> Vec<&'static str> {
    SHIPPED_FILES
        .iter()
        .filter_map(|(path, _)| path.strip_suffix(MANIFEST_FILE)?.strip_suffix('/'))
        .filter(|folder| !folder.contains('/'))
        .collect()
}

/// The question files of the built-in bank in `folder` (every `*.json` below it but its
/// manifest), as paths below the folder with their texts, in path order as on disk.
pub fn question_files(folder: &str) -> Vec<(&'static str, &'static str)> {
    let prefix = format!("{folder}/");
    SHIPPED_FILES
        .iter()
        .filter_map(|(path, text)| Some((path.strip_prefix(&prefix)?, *text)))
        .filter(|(path, _)| *path != MANIFEST_FILE)
        .collect()
}

/// The texts of a built-in bank's question files keyed by the path its errors and lint
/// findings name (`<built in>/<folder>/<file>`), for pointing at lines.
pub fn texts_of(bank: &Bank) -> Vec<(PathBuf, &'static str)> {
    let Some(folder) = bank.root.file_name().and_then(|f| f.to_str()) else {
        return Vec::new();
    };
    question_files(folder)
        .into_iter()
        .map(|(name, text)| (bank.root.join(name), text))
        .collect()
}

/// Load every built-in bank. A bad one cannot reach a user (the tests load them all), but it
/// is reported like a bad folder rather than trusted.
pub fn load() -> LoadReport {
    let mut report = LoadReport::default();
    for folder in bank_folders() {
        let root = Path::new(ROOT).join(folder);
        let manifest = SHIPPED_FILES
            .iter()
            .find(|(path, _)| path.strip_prefix(folder) == Some(&format!("/{MANIFEST_FILE}")[..]))
            .map_or("", |(_, text)| text);
        match load_bank_from_texts(&root, manifest, &question_files(folder)) {
            Ok(bank) => report.banks.push(bank),
            Err(errors) => report.failures.push(BankFailure { dir: root, errors }),
        }
    }
    report.banks.sort_by(|a, b| a.id().cmp(b.id()));
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_banks_are_built_in_and_load_like_their_folders() {
        let report = load();
        assert!(report.failures.is_empty(), "{:?}", report.failures);
        let on_disk =
            crate::bank::load_banks(&Path::new(env!("CARGO_MANIFEST_DIR")).join("question-banks"));
        let ids = |r: &LoadReport| {
            r.banks
                .iter()
                .map(|b| b.id().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&report), ids(&on_disk));
        assert!(ids(&report).contains(&"cetl".to_string()));
        for (built_in, folder) in report.banks.iter().zip(&on_disk.banks) {
            assert!(built_in.is_built_in() && !folder.is_built_in());
            assert_eq!(
                built_in.content_hash(),
                folder.content_hash(),
                "{}",
                built_in.id()
            );
            assert_eq!(built_in.questions.len(), folder.questions.len());
            assert!(
                built_in.root.starts_with(ROOT),
                "{}",
                built_in.root.display()
            );
        }
    }

    #[test]
    fn a_built_in_bank_is_checked_like_a_folder() {
        // The same manifest with a question file that names an unknown skill area: the
        // in-memory loader must give the folder loader's error, not accept it.
        let manifest = SHIPPED_FILES
            .iter()
            .find(|(p, _)| *p == "cetl/bank.json")
            .map(|(_, t)| *t)
            .expect("the CETL manifest is built in");
        let bad = r#"[{"id":"x1","domain":"no-such-area","type":"single","stem":"Which?",
            "options":[{"id":"a","text":"A","correct":true},{"id":"b","text":"B","correct":false}]}]"#;
        let errors = load_bank_from_texts(
            Path::new(ROOT).join("cetl").as_path(),
            manifest,
            &[("bad.json", bad)],
        )
        .expect_err("an unknown area is an error");
        let text = errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(text.contains("no-such-area"), "{text}");
        assert!(text.contains("<built in>/cetl/bad.json"), "{text}");
    }
}
