//! Moodle XML import and export (issue 18) over the fixtures in tests/data/moodle_xml/: one
//! file per rule (each question type, each text format, categories, feedback, images, broken
//! base64, wrong root, truncated XML, an entity bomb), the round trip of the shipped banks,
//! the shape of the export against Moodle's documented format, and the real CLI.

use certprep::bank::{Bank, Question, QuestionType, load_bank, load_banks};
use certprep::import::moodle_xml::{MoodleXmlError, export, parse};
use certprep::import::{Import, ImportOptions, write_bank};
use std::time::{Duration, Instant};

mod common;
use common::{certprep, imported, repo, s};

fn fixture(name: &str) -> String {
    let path = repo().join("tests/data/moodle_xml").join(name);
    String::from_utf8(std::fs::read(&path).unwrap()).unwrap()
}

fn opts() -> ImportOptions {
    ImportOptions {
        bank_id: "moodle".into(),
        title: None,
    }
}

fn import(name: &str) -> Import {
    parse(&fixture(name), &opts()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn q<'a>(import: &'a Import, id: &str) -> &'a Question {
    import
        .questions
        .iter()
        .find(|q| q.id == id)
        .unwrap_or_else(|| {
            let ids: Vec<&str> = import.questions.iter().map(|q| q.id.as_str()).collect();
            panic!("no question {id}; have {ids:?}")
        })
}

fn texts(q: &Question) -> Vec<&str> {
    q.options.iter().map(|o| o.text.as_str()).collect()
}

fn correct(q: &Question) -> Vec<&str> {
    q.options
        .iter()
        .filter(|o| o.correct)
        .map(|o| o.text.as_str())
        .collect()
}

/// The 1-based line of the first line holding `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in the fixture"))
        + 1
}

/// (line, reason) of every skipped item.
fn skipped(i: &Import) -> Vec<(usize, &str)> {
    i.skipped
        .iter()
        .map(|s| (s.line, s.reason.as_str()))
        .collect()
}

#[test]
fn multichoice_single_multiple_and_fractions() {
    let text = fixture("multichoice.xml");
    let i = import("multichoice.xml");
    let ids: Vec<&str> = i.questions.iter().map(|q| q.id.as_str()).collect();
    // <name> gives the id, unless <idnumber> is set.
    assert_eq!(ids, ["dhcp-basics", "ferpa-1", "choose-two"]);

    let dhcp = q(&i, "dhcp-basics");
    assert_eq!(dhcp.kind, QuestionType::Single);
    // <b> becomes the subset's bold.
    assert_eq!(
        dhcp.stem,
        "Which protocol assigns **IP addresses** automatically?"
    );
    assert_eq!(texts(dhcp), ["DHCP", "DNS", "ARP"]);
    assert_eq!(correct(dhcp), ["DHCP"]);
    assert_eq!(dhcp.tags, ["networking", "week-1"]);
    assert_eq!(i.lines["dhcp-basics"], line_of(&text, "<question type"));

    // A partial positive fraction in a one-answer question counts as wrong, with a note.
    let ferpa = q(&i, "ferpa-1");
    assert_eq!(correct(ferpa), ["FERPA"]);
    assert_eq!(
        ferpa.stem,
        "Which US law protects the privacy of student education records & grades?"
    );
    let ferpa_line = i.lines["ferpa-1"];
    let notes: Vec<&str> = i
        .notes
        .iter()
        .filter(|n| n.line == ferpa_line)
        .map(|n| n.reason.as_str())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("partial credit (50%)")),
        "{notes:?}"
    );
    assert!(
        notes.iter().any(|n| n.contains("shuffleanswers off")),
        "{notes:?}"
    );

    // <single>false</single> with two positive fractions: a choose-two question.
    let two = q(&i, "choose-two");
    assert_eq!(two.kind, QuestionType::Multiple);
    assert_eq!(correct(two), ["Switch", "Bridge"]);

    let reasons = skipped(&i);
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(reasons[0].1.contains("2 answers with fraction 100"));
    assert!(reasons[1].1.contains("no correct answer"));
    assert!(reasons[2].1.contains("fraction \"lots\", not a number"));
    assert!(i.validate().is_ok());
}

#[test]
fn truefalse_answers_and_their_feedback() {
    let i = import("truefalse.xml");
    let cipa = q(&i, "cipa-filters");
    assert_eq!(cipa.kind, QuestionType::TrueFalse);
    assert_eq!(texts(cipa), ["True", "False"]);
    assert_eq!(correct(cipa), ["True"]);
    assert_eq!(cipa.options[0].explanation.as_deref(), Some("Yes."));
    assert_eq!(cipa.options[1].explanation.as_deref(), Some("It does."));
    assert_eq!(
        cipa.explanation.as_deref(),
        Some("The Children's Internet Protection Act ties E-rate to filtering.")
    );
    assert_eq!(correct(q(&i, "fiber-and-lightning")), ["False"]);
    let reasons = skipped(&i);
    assert_eq!(reasons.len(), 1);
    assert!(
        reasons[0].1.contains("\"true\" and \"false\""),
        "{reasons:?}"
    );
}

#[test]
fn categories_become_skill_areas_as_in_gift() {
    let i = import("categories.xml");
    let areas: Vec<(&str, &str, &str)> = i
        .manifest
        .domains
        .iter()
        .map(|d| (d.id.as_str(), d.name.as_str(), d.category.as_str()))
        .collect();
    // An area named by a category but holding no question is dropped; a category seen again
    // is the same area; `//` is a literal `/`.
    assert_eq!(
        areas,
        [
            ("general", "General", "General"),
            ("leadership-vision", "Leadership & Vision", "CETL practice"),
            ("data-privacy", "Data/Privacy", "CETL practice"),
        ]
    );
    assert_eq!(q(&i, "before-any-category").domain, "general");
    assert_eq!(q(&i, "vision").domain, "leadership-vision");
    assert_eq!(q(&i, "vision-again").domain, "leadership-vision");
    assert_eq!(q(&i, "privacy").domain, "data-privacy");
    let weights: f64 = i.manifest.domains.iter().map(|d| d.weight).sum();
    assert!((weights - 100.0).abs() < 1e-9);
}

#[test]
fn each_text_format_is_converted() {
    let i = import("formats.xml");
    // html: converted into certprep's Markdown subset (docs/bank-format.md): paragraphs,
    // entities decoded (a no-break space kept), comments hidden, a literal `<` escaped.
    let html = q(&i, "html");
    assert_eq!(html.stem, "First\u{a0}line\n\nA \\<tag> & more");
    assert_eq!(texts(html), ["**bold** answer", "other"]);
    // moodle_auto_format: shown as HTML by Moodle, so entities are decoded once more and
    // comments hidden.
    assert_eq!(q(&i, "moodle-auto").stem, "Is 1 < 2 true?");
    // plain_text: literal, so what the subset would read as markup is escaped.
    let plain = q(&i, "plain");
    assert_eq!(plain.stem, "Plain \\&lt; stays \\<b>literal</b>");
    assert_eq!(
        certprep::markup::to_plain(&plain.stem),
        "Plain &lt; stays <b>literal</b>"
    );
    assert_eq!(texts(plain), ["a \\&amp; b", "c"]);
    // markdown: kept as written (it is certprep's own subset; the entity is read when
    // shown).
    assert_eq!(q(&i, "markdown").stem, "Some **markdown** &amp; text");
}

#[test]
fn unsupported_types_are_skipped_with_their_type_named() {
    let text = fixture("unsupported.xml");
    let i = import("unsupported.xml");
    assert_eq!(i.questions.len(), 1);
    assert_eq!(i.questions[0].id, "the-one-that-imports");
    let reasons = skipped(&i);
    let expected = [
        ("shortanswer", "\"shortanswer\" (short answer)"),
        ("essay", "\"essay\": not supported"),
        ("matching", "\"matching\": not supported"),
        ("numerical", "\"numerical\": not supported"),
        ("cloze", "\"cloze\" (cloze (embedded answers))"),
        ("description", "\"description\" (description"),
    ];
    assert_eq!(reasons.len(), expected.len() + 1, "{reasons:?}");
    for ((line, reason), (kind, says)) in reasons.iter().zip(expected) {
        assert_eq!(
            *line,
            line_of(&text, &format!("type=\"{kind}\"")),
            "{reason}"
        );
        assert!(reason.contains(says), "{reason} should say {says}");
        assert!(reason.contains("certprep imports multichoice and truefalse"));
    }
    assert_eq!(reasons[6].1, "a <question> without a type");
}

#[test]
fn embedded_images_are_kept_under_safe_names_and_written_to_images() {
    let i = import("images.xml");
    let mut names: Vec<&str> = i.images.iter().map(|im| im.name.as_str()).collect();
    names.sort();
    // The skipped question's image and one no text shows are not kept; "../../evil.png"
    // loses its path.
    assert_eq!(names, ["evil.png", "net-map.png", "star.png"]);
    assert!(
        i.images
            .iter()
            .all(|im| im.bytes.starts_with(b"\x89PNG") || im.bytes.starts_with(b"GIF8"))
    );
    assert_eq!(i.questions.len(), 2);
    assert_eq!(skipped(&i).len(), 1);
    assert!(i.notes.is_empty(), "{:?}", i.notes);
    assert_eq!(i.questions[0].domain, "network-diagrams");

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bank");
    let bank = write_bank(&i, &out, false).expect("written");
    assert_eq!(bank.questions.len(), 2);
    let mut written: Vec<String> = std::fs::read_dir(out.join("images"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, ["evil.png", "net-map.png", "star.png"]);
    // Nothing was written outside the bank folder.
    let outside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(outside, [std::ffi::OsString::from("bank")]);
    assert!(load_bank(&out).is_ok());
}

#[test]
fn a_bad_image_is_left_out_with_a_note_and_the_question_kept() {
    let i = import("broken_base64.xml");
    assert_eq!(i.questions.len(), 1);
    assert!(i.images.is_empty());
    let notes: Vec<&str> = i.notes.iter().map(|n| n.reason.as_str()).collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("\"broken.png\" is not valid base64")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("\"script.svg\" is not a picture certprep keeps")),
        "{notes:?}"
    );
}

#[test]
fn an_image_over_the_limit_is_refused_before_it_is_decoded() {
    let big = "A".repeat(4 * 1024 * 1024);
    let xml = format!(
        "<quiz><question type=\"multichoice\"><name><text>Big</text></name>\
         <questiontext format=\"html\"><text>&lt;img src=\"@@PLUGINFILE@@/big.png\"&gt; Big?</text>\
         <file name=\"big.png\" encoding=\"base64\">{big}</file></questiontext>\
         <answer fraction=\"100\"><text>a</text></answer><answer fraction=\"0\"><text>b</text>\
         </answer></question></quiz>"
    );
    let i = parse(&xml, &opts()).unwrap();
    assert_eq!(i.questions.len(), 1);
    assert!(i.images.is_empty());
    assert!(
        i.notes
            .iter()
            .any(|n| n.reason.contains("more than the 2048 KB an image may take")),
        "{:?}",
        i.notes
    );
}

#[test]
fn files_that_are_not_moodle_xml_are_refused_with_a_reason() {
    let err = |name: &str| parse(&fixture(name), &opts()).unwrap_err();
    assert_eq!(
        err("wrong_root.xml"),
        MoodleXmlError::WrongRoot {
            root: "html".into()
        }
    );
    assert_eq!(
        err("truncated.xml"),
        MoodleXmlError::Truncated {
            element: "question".into(),
            line: 4
        }
    );
    assert!(matches!(
        err("external_entity.xml"),
        MoodleXmlError::UnknownEntity { line: 5, ref name } if name == "xxe"
    ));
    assert!(matches!(
        parse("<quiz><question>", &opts()),
        Err(MoodleXmlError::Truncated { .. })
    ));
    assert!(matches!(
        parse("<quiz></wrong>", &opts()),
        Err(MoodleXmlError::Syntax { line: 1, .. })
    ));
    assert_eq!(parse("", &opts()).unwrap_err(), MoodleXmlError::Empty);
    assert!(matches!(
        parse("<quiz/><quiz/>", &opts()),
        Err(MoodleXmlError::AfterRoot { .. })
    ));
    let deep = format!("<quiz>{}", "<a>".repeat(100));
    assert!(matches!(
        parse(&deep, &opts()),
        Err(MoodleXmlError::TooDeep { .. })
    ));
}

/// "Billion laughs": nine levels of entities that would expand to 3 GB. The DOCTYPE is
/// refused as soon as it is read, so nothing is expanded and the answer comes at once.
#[test]
fn an_entity_bomb_is_refused_at_once() {
    let started = Instant::now();
    let err = parse(&fixture("entity_bomb.xml"), &opts()).unwrap_err();
    assert_eq!(err, MoodleXmlError::Doctype { line: 2 });
    assert!(err.to_string().contains("never reads DTDs"));
    // Not a timing assert on speed: a guard against a hang (expansion would take minutes).
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn hostile_input_never_panics() {
    let samples = [
        "<",
        "<quiz",
        "<quiz>&",
        "<quiz>&#0;</quiz>",
        "<quiz>&#xFFFFFFFF;</quiz>",
        "<quiz><question type=\"multichoice\"><answer fraction=\"NaN\"/></question></quiz>",
        "<quiz><question type=\"multichoice\"><questiontext><text>x</text><file name=\"\">====</file></questiontext></question></quiz>",
        "<quiz><question type=\"truefalse\"/></quiz>",
        "<quiz><!-- certprep {\"id\": 5} --><question type=\"category\"/></quiz>",
        "<?xml version=\"1.0\"?><quiz a='1' a='2'/>",
        "\u{feff}<quiz></quiz>",
        "<quiz><question type=\"multichoice\"><questiontext><text>@@PLUGINFILE@@/%ZZ%</text></questiontext></question></quiz>",
    ];
    for sample in samples {
        let _ = parse(sample, &opts());
    }
}

// ---------------------------------------------------------------------------------------------
// Export and round trip

fn assert_round_trip(bank: &Bank) {
    let xml = export(bank);
    let back = parse(
        &xml,
        &ImportOptions {
            bank_id: bank.id().to_string(),
            title: None,
        },
    )
    .expect("the export reads back");
    common::assert_reads_back_as(&back, bank);
}

#[test]
fn round_trip_keeps_every_question_of_the_shipped_banks() {
    let report = load_banks(&repo().join("question-banks"));
    assert!(report.banks.len() >= 2);
    for bank in &report.banks {
        assert_round_trip(bank);
    }
}

#[test]
fn round_trip_of_imported_fixtures_is_stable() {
    for name in [
        "multichoice.xml",
        "truefalse.xml",
        "categories.xml",
        "formats.xml",
    ] {
        let first = import(name).validate().expect("valid");
        assert_round_trip(&first);
    }
}

#[test]
fn round_trip_of_awkward_texts() {
    let bank = load_banks(&repo().join("question-banks"))
        .banks
        .into_iter()
        .find(|b| b.id() == "school-it-tech")
        .expect("shipped bank");
    let mut questions = bank.questions.clone();
    // An HTML comment in a text with formatting goes out as Moodle `markdown`, whose
    // comments Moodle hides and the import drops as Moodle would: none here.
    let tricky = [
        "a < b && c > d; &amp; ]]> \"quoted\" 'single'",
        "line one\nline two\n\nparagraph",
        "%50% of 100 & #### {=x ~y}",
        "-- double dash -- in text --",
        "tab\there, and unicode: é ☃ 日本",
    ];
    for (q, t) in questions.iter_mut().zip(tricky) {
        q.stem = t.to_string();
        q.explanation = Some(format!("why: {t}"));
        q.reference = Some(format!("ref -- {t}"));
        q.options[0].text = format!("{t} (option)");
    }
    let bank = Bank::from_parts(
        bank.manifest.clone(),
        bank.root.clone(),
        bank.scenarios.values().cloned().collect(),
        questions,
    )
    .expect("valid");
    assert_round_trip(&bank);
}

/// The export against Moodle's documented format: `<quiz>` of `<question type>`s; a category
/// question holds `<category><text>$course$/top/...`; a multichoice or truefalse question
/// holds `<name><text>`, `<questiontext format><text>`, `<generalfeedback format><text>`,
/// `<answer fraction format>` each with `<text>` and `<feedback><text>`; multichoice adds
/// `<single>` (true/false), `<shuffleanswers>`, `<answernumbering>`; positive fractions of a
/// multiple-answer question add up to 100; truefalse answers are "true" and "false".
#[test]
fn export_has_moodle_s_documented_shape() {
    let bank = load_banks(&repo().join("question-banks"))
        .banks
        .into_iter()
        .find(|b| b.id() == "cetl")
        .expect("shipped bank");
    let xml = export(&bank);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n"));
    assert!(xml.trim_end().ends_with("</quiz>"));
    let categories = xml.matches("<question type=\"category\">").count();
    assert_eq!(categories, bank.manifest.domains.len());
    for block in xml.split("<question type=").skip(1) {
        let block = &block[..block.find("</question>").expect("closed")];
        let kind = &block[1..block[1..].find('"').unwrap() + 1];
        match kind {
            "category" => {
                assert!(
                    block.contains("<category>\n      <text>$course$/top/"),
                    "{block}"
                );
            }
            "multichoice" | "truefalse" => {
                for part in [
                    "<name>\n      <text>",
                    "<questiontext format=\"",
                    "<generalfeedback format=\"",
                    "<defaultgrade>",
                    "<idnumber>",
                    "<answer fraction=\"",
                    "<feedback format=\"",
                ] {
                    assert!(block.contains(part), "{part} missing in {block}");
                }
                let fractions: Vec<f64> = block
                    .match_indices("<answer fraction=\"")
                    .map(|(at, m)| {
                        let rest = &block[at + m.len()..];
                        rest[..rest.find('"').unwrap()].parse().unwrap()
                    })
                    .collect();
                if kind == "truefalse" {
                    assert!(block.contains("<text>true</text>"));
                    assert!(block.contains("<text>false</text>"));
                    assert_eq!(fractions.iter().filter(|&&f| f == 100.0).count(), 1);
                } else if block.contains("<single>true</single>") {
                    assert_eq!(fractions.iter().filter(|&&f| f == 100.0).count(), 1);
                } else {
                    assert!(block.contains("<single>false</single>"), "{block}");
                    let sum: f64 = fractions.iter().filter(|&&f| f > 0.0).sum();
                    assert!((sum - 100.0).abs() < 0.001, "{sum} in {block}");
                }
                if kind == "multichoice" {
                    assert!(block.contains("<shuffleanswers>true</shuffleanswers>"));
                    assert!(block.contains("<answernumbering>abc</answernumbering>"));
                }
            }
            other => panic!("unexpected type {other}"),
        }
    }
    // certprep's own details are only in comments, which never hold "--".
    for (at, _) in xml.match_indices("<!--") {
        let end = xml[at..].find("-->").unwrap();
        assert!(!xml[at + 4..at + end].contains("--"));
    }
}

// ---------------------------------------------------------------------------------------------
// The real CLI

#[test]
fn cli_import_moodle_xml_writes_the_bank_and_its_images() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pics");
    let stdout = imported(
        "moodle-xml",
        &repo().join("tests/data/moodle_xml/images.xml"),
        "pics",
        &out,
    );
    assert!(
        stdout.contains("imported 2 questions, skipped 1"),
        "{stdout}"
    );
    assert!(stdout.contains("kept 3 images"), "{stdout}");
    assert!(stdout.contains("question type \"shortanswer\""), "{stdout}");
    assert!(out.join("images/net-map.png").is_file());
    let bank = load_bank(&out).expect("valid bank");
    assert_eq!(bank.id(), "pics");
    assert_eq!(bank.questions.len(), 2);
}

#[test]
fn cli_refuses_broken_files_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for (name, says) in [
        ("entity_bomb.xml", "never reads DTDs"),
        ("wrong_root.xml", "not <quiz>"),
        ("truncated.xml", "cut short"),
    ] {
        let out = dir.path().join(name);
        let o = certprep(&[
            "import",
            "moodle-xml",
            s(&repo().join("tests/data/moodle_xml").join(name)),
            "--bank-id",
            "x",
            "--out",
            s(&out),
        ]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains(says), "{name}: {stderr}");
        assert!(!out.exists(), "{name}: something was written");
    }
}

#[test]
fn cli_export_moodle_xml_and_import_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("it.xml");
    let o = certprep(&[
        "--banks",
        s(&repo().join("question-banks")),
        "--data-dir",
        s(&dir.path().join("data")),
        "export",
        "moodle-xml",
        "--bank",
        "school-it-tech",
        "--out",
        s(&file),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = dir.path().join("back");
    let stdout = imported("moodle-xml", &file, "school-it-tech", &out);
    assert!(stdout.contains("skipped 0"), "{stdout}");
    let original = load_bank(&repo().join("question-banks/school-it-tech")).unwrap();
    let back = load_bank(&out).unwrap();
    assert_eq!(back.manifest, original.manifest);
    for q in &original.questions {
        assert_eq!(back.question(&q.id), Some(q));
    }
}

#[test]
fn cli_lint_checks_a_moodle_xml_file_as_it_would_be_imported() {
    let file = repo().join("tests/data/moodle_xml/multichoice.xml");
    let o = certprep(&["lint", s(&file)]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("(as imported: 3 questions)"), "{stdout}");
    assert!(
        stderr.contains(":110: skipped: 2 answers with fraction 100"),
        "{stderr}"
    );
    let bomb = repo().join("tests/data/moodle_xml/entity_bomb.xml");
    let o = certprep(&["lint", s(&bomb)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("never reads DTDs"));
}
