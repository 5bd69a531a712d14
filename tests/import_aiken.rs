//! Aiken import (issue 18): a question line, `A. option` lines, `ANSWER: X`. The corpus in
//! tests/data/aiken/ holds every rule and every way a question can break the form; each
//! broken question is skipped with its line and reason, and nothing else is lost.

use certprep::bank::{QuestionType, load_bank};
use certprep::import::aiken::{looks_like_aiken, parse};
use certprep::import::{Import, ImportOptions, write_bank};

mod common;
use common::repo;

fn corpus(name: &str) -> String {
    String::from_utf8(std::fs::read(repo().join("tests/data/aiken").join(name)).unwrap()).unwrap()
}

fn opts() -> ImportOptions {
    ImportOptions {
        bank_id: "aiken".into(),
        title: None,
    }
}

/// The 1-based line of the first line holding `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in the corpus"))
        + 1
}

fn check_sample(text: &str, i: &Import) {
    let stems: Vec<&str> = i.questions.iter().map(|q| q.stem.as_str()).collect();
    assert_eq!(
        stems,
        [
            "Which protocol assigns IP addresses automatically?",
            "Which law protects the privacy of student education records?",
            "A question whose text goes on over two lines?",
            "Straight after an ANSWER line, another question?",
            "Lower-case answer letter, last in the file.",
        ]
    );
    let ids: Vec<&str> = i.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["q001", "q002", "q003", "q004", "q013"]);
    let q1 = &i.questions[0];
    assert_eq!(q1.kind, QuestionType::Single);
    let texts: Vec<&str> = q1.options.iter().map(|o| o.text.as_str()).collect();
    assert_eq!(texts, ["DHCP", "DNS", "ARP"]);
    assert_eq!(q1.correct_ids(), ["a"]);
    let texts: Vec<&str> = i.questions[1]
        .options
        .iter()
        .map(|o| o.text.as_str())
        .collect();
    assert_eq!(texts, ["FERPA", "HIPAA", "COPPA", "CIPA"]);
    assert_eq!(i.questions[4].correct_ids(), ["b"]);
    assert_eq!(i.lines["q004"], line_of(text, "Straight after"));

    let expect = [
        ("No answer line here.", "no \"ANSWER: X\" line"),
        (
            "Out of order options.",
            "option C where option B was expected",
        ),
        (
            "Unknown answer letter.",
            "ANSWER: E names no option (the options are A to B)",
        ),
        (
            "Text after the options.",
            "\"This line does not belong.\" after the options",
        ),
        ("Two answers named.", "\"A, B\" is not one option letter"),
        ("ANSWER: B", "without a question before it"),
        ("Only a question, no options.", "no options"),
        ("One option only.", "1 answer; a question needs at least 2"),
    ];
    let got: Vec<(usize, &str)> = i
        .skipped
        .iter()
        .map(|s| (s.line, s.reason.as_str()))
        .collect();
    assert_eq!(got.len(), expect.len(), "{got:#?}");
    for ((line, reason), (at, want)) in got.iter().zip(expect) {
        // "ANSWER: B" first appears inside an earlier question: find the lone one.
        let want_line = if at == "ANSWER: B" {
            line_of(text, "Two answers named.") + 5
        } else {
            line_of(text, at)
        };
        assert_eq!(*line, want_line, "{reason}");
        assert!(
            reason.contains(want),
            "line {line}: {reason:?} should mention {want:?}"
        );
    }
    assert_eq!(
        i.skipped
            .iter()
            .find(|s| s.reason.contains("does not belong"))
            .map(|s| s
                .reason
                .contains(&format!("line {}", line_of(text, "does not belong")))),
        Some(true),
        "the reason names the offending line"
    );
}

#[test]
fn sample_imports_and_each_broken_question_is_skipped_with_its_line() {
    let text = corpus("sample.txt");
    let i = parse(&text, &opts());
    check_sample(&text, &i);
    let dir = tempfile::tempdir().unwrap();
    let bank = write_bank(&i, &dir.path().join("bank"), false).expect("valid bank");
    assert_eq!(bank.questions.len(), 5);
    assert_eq!(bank.manifest.domains.len(), 1);
}

#[test]
fn crlf_and_cr_only_files_read_the_same() {
    for name in ["crlf.txt", "cr_only.txt"] {
        let text = corpus(name);
        let i = parse(&text, &opts());
        check_sample(&text, &i);
    }
}

#[test]
fn aiken_is_told_from_gift_by_its_text() {
    assert!(looks_like_aiken(&corpus("sample.txt")));
    assert!(looks_like_aiken(&corpus("cr_only.txt")));
    for gift in [
        "basics.gift",
        "unsupported.gift",
        "moodle_style.gift",
        "formats.gift",
    ] {
        let text = std::fs::read_to_string(repo().join("tests/data/gift").join(gift)).unwrap();
        assert!(!looks_like_aiken(&text), "{gift}");
    }
}

#[test]
fn hostile_input_never_panics() {
    for text in [
        "",
        "\u{feff}",
        "ANSWER:",
        "ANSWER: ",
        "Q\nA. a\nANSWER: é",
        "Q\nA. a\nB. b\nANSWER: Z",
        "Q\nA. \nB. b\nANSWER: A",
        "Q\nA.\nANSWER: A",
        "Q\nI. i\nANSWER: I",
        "\r\r\n\r",
        "Q\nA. a\nB. b\nC. c\nD. d\nE. e\nF. f\nG. g\nH. h\nI. i\nANSWER: I",
    ] {
        let i = parse(text, &opts());
        if !i.questions.is_empty() {
            i.validate().unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
        }
    }
}

#[test]
fn cli_import_aiken() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("aiken");
    let file = repo().join("tests/data/aiken/sample.txt");
    let stdout = common::imported("aiken", &file, "aiken", &out);
    assert!(
        stdout.starts_with("imported 5 questions, skipped 8\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("skipped line 24: no \"ANSWER: X\" line"),
        "{stdout}"
    );
    assert_eq!(load_bank(&out).unwrap().questions.len(), 5);
}
