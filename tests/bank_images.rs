//! Bank validation of image references (docs/bank-format.md, "Formatting"): an image must
//! be a PNG or JPEG file inside the bank folder; anything else is an error naming the
//! question and the field, from `load_bank` and from `certprep validate`.

use certprep::bank::load_bank;
use std::path::Path;

mod common;

const MANIFEST: &str = r#"{
  "format": "certprep-bank/1", "id": "img", "title": "Images", "version": "1",
  "exam": { "questions": 1, "minutes": 5, "pass_percent": 70 },
  "domains": [ { "id": "a", "name": "A", "category": "C", "weight": 100 } ]
}"#;

/// A bank folder whose one question's stem (or option b's explanation) shows `src`.
fn bank_with_image(root: &Path, stem_src: &str, expl_src: Option<&str>) {
    std::fs::create_dir_all(root.join("images")).unwrap();
    std::fs::write(root.join("bank.json"), MANIFEST).unwrap();
    let expl = expl_src.map_or("null".to_string(), |s| {
        serde_json::to_string(&format!("See ![the map]({s}).")).unwrap()
    });
    let stem = serde_json::to_string(&format!("Which one?\n\n![a diagram]({stem_src})")).unwrap();
    std::fs::write(
        root.join("questions.json"),
        format!(
            r#"[{{"id":"q1","domain":"a","type":"single","stem":{stem},"options":[
                {{"id":"a","text":"yes","correct":true}},
                {{"id":"b","text":"no","correct":false,"explanation":{expl}}}]}}]"#
        ),
    )
    .unwrap();
}

fn errors(root: &Path) -> Vec<String> {
    match load_bank(root) {
        Ok(_) => Vec::new(),
        Err(e) => e.iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn an_image_in_the_bank_folder_loads() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("img");
    bank_with_image(&root, "images/map.png", Some("./images/map.png"));
    std::fs::copy(
        common::repo().join("tests/data/rich/rich/images/bars.png"),
        root.join("images/map.png"),
    )
    .unwrap();
    assert_eq!(errors(&root), Vec::<String>::new());
    // The rich fixture bank is valid too.
    load_bank(&common::repo().join("tests/data/rich/rich")).expect("rich bank loads");
}

#[test]
fn bad_image_paths_are_rejected_per_question() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("outside.png"), b"x").unwrap();
    for (src, want) in [
        ("../outside.png", "leaves the bank folder"),
        ("images/../../outside.png", "leaves the bank folder"),
        ("/etc/passwd.png", "leaves the bank folder"),
        ("http://example.org/x.png", "web or other address"),
        ("file:///etc/x.png", "web or other address"),
        ("images/missing.png", "is not a file in the bank folder"),
        ("images", "is not a PNG or JPEG file"),
        ("notes.txt", "is not a PNG or JPEG file"),
    ] {
        let root = dir.path().join("img");
        let _ = std::fs::remove_dir_all(&root);
        bank_with_image(&root, src, None);
        let errs = errors(&root);
        assert_eq!(errs.len(), 1, "{src}: {errs:?}");
        assert!(errs[0].contains("question `q1`"), "{src}: {errs:?}");
        assert!(errs[0].contains("the stem: image"), "{src}: {errs:?}");
        assert!(errs[0].contains(want), "{src}: {errs:?} should say {want}");
    }
}

#[test]
fn a_link_out_of_the_folder_and_an_explanation_image_are_caught() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("outside.png"), b"x").unwrap();
    let root = dir.path().join("img");
    bank_with_image(&root, "images/ok.png", Some("http://example.org/m.png"));
    std::fs::write(root.join("images/ok.png"), b"x").unwrap();
    let errs = errors(&root);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("the explanation of option \"b\": image \"http://example.org/m.png\""),
        "{errs:?}"
    );
    #[cfg(unix)]
    {
        let _ = std::fs::remove_dir_all(&root);
        bank_with_image(&root, "images/link.png", None);
        std::os::unix::fs::symlink(dir.path().join("outside.png"), root.join("images/link.png"))
            .unwrap();
        let errs = errors(&root);
        assert!(errs[0].contains("leaves the bank folder"), "{errs:?}");
    }
}

#[test]
fn validate_command_names_file_line_and_question() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("img");
    bank_with_image(&root, "../../secret.png", None);
    let out = common::certprep(&["validate", common::s(&root)]);
    assert!(!out.status.success());
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("questions.json:1:"), "{text}");
    assert!(
        text.contains("image \"../../secret.png\" leaves the bank folder"),
        "{text}"
    );
}
