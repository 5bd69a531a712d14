//! CSV (spreadsheet) import: the documented column layout, row errors with line numbers,
//! header errors, the written bank passing certprep's validator, and the CLI.

use certprep::bank::{QuestionType, load_bank, load_banks};
use certprep::import::csv::{export, parse};
use certprep::import::{ImportError, ImportOptions, write_bank};

mod common;
use common::{certprep, repo, s};

fn opts() -> ImportOptions {
    ImportOptions {
        bank_id: "sheet".into(),
        title: Some("From a spreadsheet".into()),
    }
}

fn sample() -> String {
    std::fs::read_to_string(repo().join("tests/data/csv/sample.csv")).unwrap()
}

#[test]
fn sample_rows_import_and_bad_rows_are_reported_by_line() {
    let i = parse(&sample(), &opts()).expect("header is fine");
    let ids: Vec<&str> = i.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["net-001", "net-002", "q003", "tf-1", "tf-2"]);
    let got: Vec<(usize, &str)> = i
        .skipped
        .iter()
        .map(|s| (s.line, s.reason.as_str()))
        .collect();
    let expect = [
        (8, "exactly one correct"),
        (9, "correct cell is empty"),
        (10, "names an empty option"),
        (11, "option_b is empty but a later option"),
        (12, "difficulty \"7\""),
        (13, "already used on line 2"),
        (14, "type \"essay\""),
        (16, "stem cell is empty"),
    ];
    assert_eq!(got.len(), expect.len(), "{got:#?}");
    for ((line, reason), (want_line, want)) in got.iter().zip(expect) {
        assert_eq!(*line, want_line, "{reason}");
        assert!(
            reason.contains(want),
            "line {line}: {reason:?} should mention {want:?}"
        );
    }

    let q1 = &i.questions[0];
    assert_eq!(q1.kind, QuestionType::Single);
    assert_eq!(q1.domain, "networks");
    assert_eq!(q1.options.len(), 3);
    assert_eq!(q1.correct_ids(), ["a"]);
    assert_eq!(
        q1.options[1].explanation.as_deref(),
        Some("DNS resolves names.")
    );
    assert_eq!(q1.explanation.as_deref(), Some("DHCP leases addresses."));
    assert_eq!(q1.difficulty, Some(1));
    assert_eq!(q1.reference.as_deref(), Some("RFC 2131"));
    assert_eq!(q1.tags, ["dhcp", "basics"]);

    let q2 = &i.questions[1];
    assert_eq!(q2.kind, QuestionType::Multiple);
    assert_eq!(q2.correct_ids(), ["a", "c"]);

    // Quoted cell with a comma, doubled quotes and a line break; type inferred; letter in capitals.
    let q3 = &i.questions[2];
    assert_eq!(
        q3.stem,
        "A stem with a comma, \"quotes\" and\na line break."
    );
    assert_eq!(q3.kind, QuestionType::Single);
    assert_eq!(q3.domain, "data-privacy");
    assert_eq!(q3.correct_ids(), ["a"]);

    let tf1 = &i.questions[3];
    assert_eq!(tf1.kind, QuestionType::TrueFalse);
    assert_eq!(tf1.options[0].text, "True");
    assert_eq!(tf1.correct_ids(), ["a"]);
    // true_false inferred from an empty option list and "false".
    let tf2 = &i.questions[4];
    assert_eq!(tf2.kind, QuestionType::TrueFalse);
    assert_eq!(tf2.correct_ids(), ["b"]);

    let areas: Vec<(&str, &str, f64)> = i
        .manifest
        .domains
        .iter()
        .map(|d| (d.id.as_str(), d.name.as_str(), d.weight))
        .collect();
    assert_eq!(
        areas,
        [
            ("networks", "Networks", 40.0),
            ("data-privacy", "Data Privacy", 60.0)
        ]
    );
    assert_eq!(i.manifest.title, "From a spreadsheet");
    assert_eq!(i.manifest.exam.questions, 5);

    let dir = tempfile::tempdir().unwrap();
    let bank = write_bank(&i, &dir.path().join("b"), false).expect("valid bank");
    assert!(bank.warnings.is_empty(), "{:?}", bank.warnings);
    assert_eq!(
        load_bank(&dir.path().join("b")).unwrap().questions,
        i.questions
    );
}

#[test]
fn header_problems_fail_the_file_at_line_1() {
    let err = |text: &str| match parse(text, &opts()) {
        Err(ImportError::Invalid(m)) => m,
        other => panic!("expected an error, got {other:?}"),
    };
    let m = err("stem,option_a,option_b,corect\nQ,x,y,a\n");
    assert!(
        m.starts_with("line 1, column 4: unknown column \"corect\""),
        "{m}"
    );
    let m = err("stem,option_a,option_b\nQ,x,y\n");
    assert!(m.contains("line 1") && m.contains("\"correct\""), "{m}");
    let m = err("stem,stem,correct\n");
    assert!(m.contains("appears twice"), "{m}");
    let m = err("stem,option_i,correct\n");
    assert!(m.contains("unknown column \"option_i\""), "{m}");
}

#[test]
fn semicolon_and_tab_delimited_sheets_and_flexible_headers() {
    let semi =
        "Question;Option A;Option B;Option C;Answer\nPick b;x;y;z;b\nPick a and c;x;y;z;a,c\n";
    let i = parse(semi, &opts()).unwrap();
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    assert_eq!(i.questions.len(), 2);
    assert_eq!(i.questions[0].correct_ids(), ["b"]);
    assert_eq!(i.questions[1].correct_ids(), ["a", "c"]);
    assert_eq!(i.questions[1].kind, QuestionType::Multiple);
    assert_eq!(i.manifest.domains[0].id, "general");
    i.validate().unwrap();

    let tab = "\u{feff}stem\toption_a\toption_b\tcorrect\nQ?\tyes\tno\ta\n";
    let i = parse(tab, &opts()).unwrap();
    assert_eq!(i.questions.len(), 1);
    i.validate().unwrap();

    let too_many = "stem,option_a,option_b,correct\nQ,x,y,a,extra\n";
    let i = parse(too_many, &opts()).unwrap();
    assert_eq!(i.skipped[0].line, 2);
    assert!(i.skipped[0].reason.contains("5 cells"));
}

#[test]
fn hostile_input_never_panics() {
    for s in [
        "",
        "\u{feff}",
        "\"",
        "stem,correct\n\"",
        "stem,correct\n\"unterminated,a\n",
        "stem,correct\n,\n",
        "stem,option_a,option_b,correct\né,ü,ö,ä\n",
        "stem,option_a,option_b,correct,difficulty\nQ,x,y,a,999999999999\n",
        "stem,option_a,option_b,option_c,option_d,option_e,option_f,option_g,option_h,correct\nQ,1,2,3,4,5,6,7,8,h\n",
    ] {
        if let Ok(i) = parse(s, &opts())
            && !i.questions.is_empty()
        {
            i.validate().unwrap_or_else(|e| panic!("{s:?}: {e:?}"));
        }
    }
}

/// A bank written out in the import layout comes back with the same questions (a scenario
/// passage becomes the start of the stem, as there is no column for it).
#[test]
fn bank_to_csv_to_bank_keeps_the_questions() {
    let report = load_banks(&repo().join("question-banks"));
    for bank in &report.banks {
        let text = export(bank).unwrap();
        let back = parse(
            &text,
            &ImportOptions {
                bank_id: bank.id().into(),
                title: None,
            },
        )
        .unwrap();
        assert!(back.skipped.is_empty(), "{:?}", back.skipped);
        let back = back.validate().expect("valid");
        assert_eq!(back.questions.len(), bank.questions.len());
        for q in &bank.questions {
            let mut want = q.clone();
            if let Some(s) = bank.scenario_text(q) {
                want.stem = format!("{s}\n\n{}", q.stem);
                want.scenario = None;
            }
            assert_eq!(back.question(&q.id), Some(&want));
        }
        for d in &bank.manifest.domains {
            assert_eq!(back.domain_name(&d.id), d.name);
        }
    }
}

#[test]
fn cli_import_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sheet");
    let file = repo().join("tests/data/csv/sample.csv");
    let stdout = common::imported("csv", &file, "sheet", &out);
    assert!(
        stdout.starts_with("imported 5 questions, skipped 8\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("line 13: id \"net-001\" is already used on line 2"),
        "{stdout}"
    );
    assert_eq!(load_bank(&out).unwrap().questions.len(), 5);

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "stem,option_a,option_b,corect\nQ,x,y,a\n").unwrap();
    let o = certprep(&[
        "import",
        "csv",
        s(&bad),
        "--bank-id",
        "bad",
        "--out",
        s(&dir.path().join("bad")),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("bad.csv: line 1, column 4: unknown column"),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------------------------
// Files as Excel writes them (issue 18): CRLF and CR-only rows, Windows-1252, trailing empty
// columns, and true/false in other languages.

fn excel(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("tests/data/csv").join(name)).unwrap()
}

fn skipped_lines(i: &certprep::import::Import) -> Vec<(usize, &str)> {
    i.skipped
        .iter()
        .map(|s| (s.line, s.reason.as_str()))
        .collect()
}

#[test]
fn crlf_and_cr_only_rows_report_their_own_lines() {
    for name in ["excel_crlf.csv", "excel_cr_only.csv"] {
        let i = certprep::import::csv::parse_bytes(&excel(name), &opts()).expect(name);
        let ids: Vec<&str> = i.questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ["c1", "c2", "c5"], "{name}");
        // The quoted cell keeps its line break (as written in the file).
        assert!(i.questions[1].stem.starts_with("Two-line"), "{name}");
        assert_eq!(i.lines["c1"], 2, "{name}");
        assert_eq!(i.lines["c2"], 3, "{name}");
        assert_eq!(i.lines["c5"], 7, "{name}");
        let got = skipped_lines(&i);
        assert_eq!(got.len(), 2, "{name}: {got:?}");
        assert_eq!(got[0].0, 5, "{name}: {got:?}");
        assert!(got[0].1.contains("not a letter"), "{name}: {got:?}");
        assert_eq!(got[1].0, 6, "{name}: {got:?}");
        assert!(
            got[1].1.contains("correct cell is empty"),
            "{name}: {got:?}"
        );
        assert_eq!(i.encoding, None);
    }
}

#[test]
fn a_windows_1252_file_is_decoded_and_says_so() {
    let bytes = excel("excel_cp1252.csv");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture is not UTF-8"
    );
    let i = certprep::import::csv::parse_bytes(&bytes, &opts()).expect("decoded");
    assert_eq!(i.encoding, Some("Windows-1252"));
    let ids: Vec<&str> = i.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["e1", "e3"]);
    let q = &i.questions[0];
    assert_eq!(q.stem, "Quel café coûte 3 €?");
    let texts: Vec<&str> = q.options.iter().map(|o| o.text.as_str()).collect();
    assert_eq!(texts, ["Le crème", "L’espresso"]);
    assert_eq!(q.correct_ids(), ["b"]);
    assert_eq!(i.questions[1].options[0].text, "2 €");
    let got = skipped_lines(&i);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, 3);
    i.validate().expect("valid");
    // A UTF-8 file is read as UTF-8, not guessed at.
    let utf8 = certprep::import::csv::parse_bytes(sample().as_bytes(), &opts()).unwrap();
    assert_eq!(utf8.encoding, None);
}

#[test]
fn cli_imports_a_windows_1252_csv_and_says_how_it_was_read() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fr");
    let file = repo().join("tests/data/csv/excel_cp1252.csv");
    let o = certprep(&[
        "import",
        "csv",
        s(&file),
        "--bank-id",
        "fr",
        "--out",
        s(&out),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{stdout}");
    assert!(
        stdout.starts_with("imported 2 questions, skipped 1\n"),
        "{stdout}"
    );
    assert!(stdout.contains("read as Windows-1252"), "{stdout}");
    let bank = load_bank(&out).unwrap();
    assert_eq!(bank.questions[0].stem, "Quel café coûte 3 €?");
}

#[test]
fn empty_header_cells_and_their_cells_are_ignored() {
    let i = certprep::import::csv::parse_bytes(&excel("excel_trailing_columns.csv"), &opts())
        .expect("trailing empty header cells are not columns");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    let ids: Vec<&str> = i.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["t1", "t2", "t3"]);
    assert_eq!(i.questions[1].correct_ids(), ["b"]);
    // A named column that is unknown still fails the file.
    let e = parse("stem,correct,,colour\nQ,a,,red\n", &opts()).unwrap_err();
    assert!(
        e.to_string()
            .contains("column 4: unknown column \"colour\""),
        "{e}"
    );
}

#[test]
fn true_false_in_german_french_spanish_and_italian() {
    let i = certprep::import::csv::parse_bytes(&excel("excel_booleans.csv"), &opts()).unwrap();
    let got: Vec<(&str, QuestionType, String)> = i
        .questions
        .iter()
        .map(|q| (q.id.as_str(), q.kind, q.correct_ids().join(",")))
        .collect();
    let tf = QuestionType::TrueFalse;
    assert_eq!(
        got,
        [
            ("de1", tf, "a".to_string()),
            ("de2", tf, "b".to_string()),
            ("fr1", tf, "a".to_string()),
            ("fr2", tf, "b".to_string()),
            ("es1", tf, "a".to_string()),
            ("es2", tf, "b".to_string()),
            ("it1", tf, "a".to_string()),
            ("it2", tf, "b".to_string()),
            ("de3", tf, "a".to_string()),
            ("en1", tf, "a".to_string()),
        ]
    );
    let texts: Vec<&str> = i.questions[8]
        .options
        .iter()
        .map(|o| o.text.as_str())
        .collect();
    assert_eq!(texts, ["True", "False"]);
    let bad = skipped_lines(&i);
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert_eq!(bad[0].0, 12);
    assert!(bad[0].1.contains("\"ja\""), "{bad:?}");
}
