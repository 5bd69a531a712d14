//! Moodle GIFT import and export over the corpus in tests/data/gift/: one test per syntax
//! rule, the skipped kinds with their lines, the round trip bank → GIFT → bank, and the CLI.

use certprep::bank::{Bank, Question, QuestionType, load_bank, load_banks};
use certprep::import::gift::{export, parse};
use certprep::import::{Import, ImportOptions, write_bank};
use std::path::PathBuf;

mod common;
use common::{certprep, repo, s};

fn corpus(name: &str) -> String {
    std::fs::read_to_string(repo().join("tests/data/gift").join(name)).expect("corpus file")
}

fn opts() -> ImportOptions {
    ImportOptions {
        bank_id: "imported".into(),
        title: None,
    }
}

/// Parse a corpus file and check the result passes certprep's own validator on disk.
fn import(name: &str) -> Import {
    let import = parse(&corpus(name), &opts());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bank");
    let bank = write_bank(&import, &out, false).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(bank.questions.len(), import.questions.len());
    assert_eq!(load_bank(&out).unwrap().questions, import.questions);
    import
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

/// A bank text as the reader sees it (formatting marks and escapes gone).
fn shown(text: &str) -> String {
    certprep::markup::to_plain(text)
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

fn expl<'a>(q: &'a Question, text: &str) -> Option<&'a str> {
    q.options
        .iter()
        .find(|o| o.text == text)
        .and_then(|o| o.explanation.as_deref())
}

#[test]
fn comments_titles_and_multiple_choice() {
    let i = import("basics.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    assert_eq!(i.questions.len(), 5);
    let c = q(&i, "capital-fr");
    assert_eq!(c.kind, QuestionType::Single);
    assert_eq!(c.stem, "What is the capital of France?");
    assert_eq!(texts(c), ["Paris", "Lyon", "Marseille"]);
    assert_eq!(correct(c), ["Paris"]);
    let ids: Vec<&str> = c.options.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);

    // No title: the id is the question's position among the file's questions.
    let mars = q(&i, "q002");
    assert_eq!(
        texts(mars),
        ["Venus", "Mars", "Jupiter"],
        "comment line inside is ignored"
    );
    assert_eq!(correct(mars), ["Mars"]);

    // The title is slugified into an id.
    let grant = q(&i, "grant-s-tomb");
    assert_eq!(grant.stem, "Who is buried in Grant's tomb?");
    assert_eq!(correct(grant), ["no one"]);

    // Missing word: text after the answers is kept, with a blank where they were.
    assert_eq!(
        q(&i, "missing-word").stem,
        "The district's acceptable use _____ is approved by the board."
    );
    // Line breaks inside a question are spaces.
    let ml = q(&i, "multi-line");
    assert_eq!(ml.stem, "A question whose text runs over two lines");
    assert_eq!(texts(ml), ["yes", "no"]);
    // Untitled questions with no category land in one "General" area.
    assert_eq!(i.manifest.domains.len(), 1);
    assert_eq!(i.manifest.domains[0].id, "general");
    assert_eq!(i.manifest.domains[0].weight, 100.0);
}

#[test]
fn crlf_line_endings() {
    let i = import("crlf.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    assert_eq!(q(&i, "crlf-1").stem, "First question with CRLF?");
    let two = q(&i, "crlf-2");
    assert_eq!(two.stem, "Second question over two lines.");
    assert_eq!(correct(two), ["yes"]);
}

#[test]
fn multiple_answer_with_weights() {
    let i = import("multiple_answer.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    let primes = q(&i, "ma-primes");
    assert_eq!(primes.kind, QuestionType::Multiple);
    assert_eq!(correct(primes), ["Two", "Three"]);
    let three = q(&i, "ma-three");
    assert_eq!(three.kind, QuestionType::Multiple);
    assert_eq!(correct(three), ["grades", "discipline", "health"]);
    assert_eq!(texts(three)[3], "lunch menu");
    // One positive weight among ~ answers: single choice.
    let one = q(&i, "ma-one-positive");
    assert_eq!(one.kind, QuestionType::Single);
    assert_eq!(correct(one), ["right"]);
    assert_eq!(texts(one), ["right", "wrong", "wrong too"]);
    // With an = answer, partial-credit answers are wrong, and a note says so.
    let partial = q(&i, "partial");
    assert_eq!(partial.kind, QuestionType::Single);
    assert_eq!(correct(partial), ["Nazareth"]);
    assert_eq!(partial.stem, "Jesus Christ was from _____.");
    assert_eq!(i.notes.len(), 2, "{:?}", i.notes);
    assert!(
        i.notes
            .iter()
            .all(|n| n.line == 14 && n.reason.contains("partial credit"))
    );
}

#[test]
fn true_false_spellings_and_feedback() {
    let i = import("true_false.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    for (id, truth) in [
        ("tf-t", true),
        ("tf-true", true),
        ("tf-f", false),
        ("tf-false", false),
    ] {
        let t = q(&i, id);
        assert_eq!(t.kind, QuestionType::TrueFalse, "{id}");
        assert_eq!(texts(t), ["True", "False"], "{id}");
        assert_eq!(correct(t), [if truth { "True" } else { "False" }], "{id}");
        assert!(t.options.iter().all(|o| o.explanation.is_none()), "{id}");
    }
    // {FALSE#shown when wrong#shown when right}: the right answer is False.
    let fb = q(&i, "tf-feedback");
    assert_eq!(correct(fb), ["False"]);
    assert_eq!(expl(fb, "True"), Some("No, he is entombed, not buried."));
    assert_eq!(expl(fb, "False"), Some("Right: entombed is not buried."));
    // One feedback only: Moodle shows it for the wrong answer.
    let one = q(&i, "tf-one-feedback");
    assert_eq!(expl(one, "False"), Some("Review FERPA's scope."));
    assert_eq!(expl(one, "True"), None);
    let general = q(&i, "tf-general");
    assert_eq!(correct(general), ["True"]);
    assert_eq!(
        general.explanation.as_deref(),
        Some("CIPA ties E-rate funding to the policy.")
    );
}

#[test]
fn answer_feedback_and_general_feedback() {
    let i = import("feedback.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    let mc = q(&i, "fb-mc");
    assert_eq!(texts(mc), ["yellow", "red", "blue"]);
    assert_eq!(expl(mc, "yellow"), Some("right; good!"));
    assert_eq!(expl(mc, "red"), Some("wrong, it's yellow"));
    assert_eq!(
        mc.explanation.as_deref(),
        Some("Yellow sits between orange and green.")
    );
    let inline = q(&i, "fb-inline");
    assert_eq!(texts(inline), ["HTTPS", "HTTP", "FTP"]);
    assert_eq!(expl(inline, "HTTPS"), Some("Encrypted with TLS."));
    assert_eq!(expl(inline, "FTP"), None);
    assert_eq!(inline.explanation.as_deref(), Some("Look for the padlock."));
    let ma = q(&i, "fb-ma");
    assert_eq!(ma.kind, QuestionType::Multiple);
    assert_eq!(expl(ma, "Monitor"), Some("An output device."));
    assert_eq!(
        ma.explanation.as_deref(),
        Some("Input devices send data to the computer.")
    );
}

#[test]
fn escapes_are_literal_characters() {
    let i = import("escapes.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    let all = q(&i, "esc-all");
    assert_eq!(
        all.stem,
        "Which is the GIFT escape for a tilde ~, equals =, hash # and braces { }?"
    );
    let shown_texts: Vec<String> = texts(all).into_iter().map(shown).collect();
    assert_eq!(
        shown_texts,
        [
            r"A backslash: \~ \= \# \{ \}",
            "Double it: ~~",
            "Quote it: \"~\""
        ]
    );
    assert_eq!(
        q(&i, "esc-newline").stem,
        "First line\nSecond line\n\nAfter a blank line."
    );
    let fb = q(&i, "esc-feedback");
    assert_eq!(expl(fb, "right"), Some("5 = 5 # it is {correct}?"));
    assert_eq!(expl(fb, "wrong"), Some("no: 1 ~ 2"));
    assert_eq!(q(&i, "esc-math").stem, "1 + 2 = ?");
    assert_eq!(
        q(&i, "esc-title-colon").stem,
        "A title with an escaped colon."
    );
    assert_eq!(texts(q(&i, "esc-percent")), ["right", "%50% off"]);
}

#[test]
fn format_prefixes_are_removed_and_html_flattened() {
    let i = import("formats.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    let html = q(&i, "fmt-html");
    // HTML becomes the bank's Markdown subset: bold stays bold, code stays code.
    assert_eq!(html.stem, "Which tag makes **bold** text & why?");
    // Answers inherit the question's format unless they name their own.
    assert_eq!(texts(html), ["`<b>`", "*italic*", "\\<u>underline</u>"]);
    assert_eq!(shown(texts(html)[2]), "<u>underline</u>");
    assert_eq!(expl(html, "`<b>`"), Some("*Bold* it is."));
    assert_eq!(q(&i, "fmt-moodle").stem, "A Moodle auto-format question.");
    let md = q(&i, "fmt-markdown");
    assert_eq!(md.stem, "Which is **bold** in Markdown?");
    assert_eq!(texts(md), ["**text**", "*text*"]);
    assert_eq!(shown(&q(&i, "fmt-plain").stem), "A plain <text> question.");
}

#[test]
fn categories_become_skill_areas() {
    let i = import("categories.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    let areas: Vec<(&str, &str, &str)> = i
        .manifest
        .domains
        .iter()
        .map(|d| (d.id.as_str(), d.name.as_str(), d.category.as_str()))
        .collect();
    // "Empty area" has no questions, so it is not an area of the bank.
    assert_eq!(
        areas,
        [
            ("general", "General", "General"),
            ("leadership-and-vision", "Leadership and Vision", "CETL"),
            ("data-management", "Data Management", "Managing Technology"),
            ("wi-fi-wireless", "Wi-Fi/Wireless", "Networks"),
        ]
    );
    let domain = |id: &str| q(&i, id).domain.as_str();
    assert_eq!(domain("cat-none"), "general");
    assert_eq!(domain("cat-lv-1"), "leadership-and-vision");
    assert_eq!(domain("cat-lv-2"), "leadership-and-vision");
    assert_eq!(domain("cat-dm"), "data-management");
    assert_eq!(domain("cat-net"), "wi-fi-wireless");
    assert_eq!(
        domain("cat-lv-3"),
        "leadership-and-vision",
        "a repeated category is the same area"
    );
    // Weights follow the share of questions and add up to 100.
    let total: f64 = i.manifest.domains.iter().map(|d| d.weight).sum();
    assert!((total - 100.0).abs() < 1e-9, "{total}");
    assert_eq!(i.manifest.domains[1].weight, 50.0);
}

#[test]
fn moodle_export_shape_imports() {
    let i = import("moodle_style.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    assert_eq!(i.manifest.domains[0].name, "Default for Tech 101");
    let backups = q(&i, "backups");
    assert_eq!(
        backups.stem,
        "How many copies does the 3-2-1 backup rule keep?"
    );
    assert_eq!(correct(backups), ["Three"]);
    assert_eq!(
        expl(backups, "Three"),
        Some("Three copies, two media, one off site.")
    );
    assert_eq!(q(&i, "phishing").kind, QuestionType::TrueFalse);
    assert_eq!(
        correct(q(&i, "roles")),
        ["Business manager", "Superintendent"]
    );
}

#[test]
fn unsupported_kinds_are_skipped_with_line_and_reason() {
    let i = import("unsupported.gift");
    let got: Vec<(usize, &str)> = i
        .skipped
        .iter()
        .map(|s| (s.line, s.reason.as_str()))
        .collect();
    let expect: [(usize, &str); 12] = [
        (3, "essay"),
        (5, "matching"),
        (11, "numerical"),
        (13, "numerical"),
        (15, "short-answer"),
        (17, "no answer block"),
        (19, "without a closing"),
        (21, "more than one = answer"),
        (23, "no correct answer"),
        (25, "at least 2"),
        (27, "at most 8"),
        // The empty answer is dropped (as Moodle does), which leaves one.
        (29, "at least 2"),
    ];
    assert_eq!(got.len(), expect.len(), "{got:#?}");
    for ((line, reason), (want_line, want)) in got.iter().zip(expect) {
        assert_eq!(*line, want_line, "{reason}");
        assert!(
            reason.contains(want),
            "line {line}: {reason:?} should mention {want:?}"
        );
    }
    assert_eq!(i.questions.len(), 1);
    assert_eq!(i.questions[0].id, "ok");
}

#[test]
fn duplicate_titles_get_unique_ids() {
    let i = parse(
        "::same::A {=a ~b}\n\n::same::B {=a ~b}\n\n::Same!::C {=a ~b}\n",
        &opts(),
    );
    let ids: Vec<&str> = i.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["same", "same-2", "same-3"]);
    i.validate().expect("valid");
}

#[test]
fn hostile_input_never_panics() {
    let samples = [
        "",
        "\u{feff}",
        "{",
        "}",
        "::",
        "::::",
        ":: ::{",
        "\\",
        "{\\",
        "{~",
        "{=",
        "{#",
        "{T#",
        "{T##",
        "{####}",
        "é{=ü ~ö#ä}ß",
        "{~%é%x ~%50%}",
        "[html]<{=a ~b}",
        "{=a ~b}}{",
        "$CATEGORY:",
        "$CATEGORY: //",
        "// certprep {\"difficulty\":9}\nQ {=a ~b}",
        "// certprep-domain {\"id\":\"BAD ID\",\"name\":\"x\",\"category\":\"x\",\"weight\":-1}\n$CATEGORY: x\n\nQ{=a ~b}",
        "&#xFFFFFFFF; {=a ~b}",
        "[html]&#xD800; {=a ~b}",
        "[html]<p {=a ~b}",
        "\r\r\n\r",
    ];
    for s in samples {
        let i = parse(s, &opts());
        if !i.questions.is_empty() {
            i.validate().unwrap_or_else(|e| panic!("{s:?}: {e:?}"));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Conformance with Moodle's importer (issue 18): one file per rule in
// tests/data/gift/conformance/, with the expected parse.

fn conformance(name: &str) -> Import {
    import(&format!("conformance/{name}"))
}

fn reasons(i: &Import) -> Vec<(usize, &str)> {
    i.skipped
        .iter()
        .map(|s| (s.line, s.reason.as_str()))
        .collect()
}

#[test]
fn conformance_tilde_equals_and_empty_answers() {
    let i = conformance("tilde_equals.gift");
    let ids: Vec<&str> = i.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "tilde-equals",
            "stray-tilde",
            "trailing-tilde",
            "weighted-empty"
        ]
    );
    let t = q(&i, "tilde-equals");
    assert_eq!(t.kind, QuestionType::Single);
    assert_eq!(t.stem, "Which is a prime number?");
    assert_eq!(texts(t), ["4", "7", "9"]);
    assert_eq!(correct(t), ["7"]);
    let ids: Vec<&str> = t.options.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let s = q(&i, "stray-tilde");
    assert_eq!(texts(s), ["blue", "green"]);
    assert_eq!(correct(s), ["blue"]);
    assert_eq!(texts(q(&i, "trailing-tilde")), ["whale", "shark"]);
    let w = q(&i, "weighted-empty");
    assert_eq!(w.kind, QuestionType::Multiple);
    assert_eq!(texts(w), ["a", "b", "c"]);
    assert_eq!(correct(w), ["a", "b"]);
    // A dropped answer that carried a weight or feedback is reported; a bare "~" is not.
    let notes: Vec<(usize, &str)> = i
        .notes
        .iter()
        .map(|n| (n.line, n.reason.as_str()))
        .collect();
    assert_eq!(
        notes,
        [(14, "answer 3 has no text; it is left out, as Moodle does")]
    );
    assert_eq!(
        reasons(&i),
        [
            (16, "1 answer; a question needs at least 2"),
            (
                18,
                "no correct answer (no = answer and no positive % weight)"
            )
        ]
    );
}

#[test]
fn conformance_cr_only_line_endings() {
    let i = conformance("cr_only.gift");
    let ids: Vec<&str> = i.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["cr-one", "cr-two"]);
    assert_eq!(q(&i, "cr-one").stem, "First question?");
    assert_eq!(texts(q(&i, "cr-one")), ["yes", "no"]);
    // A lone CR inside a question is a line break, read as a space.
    assert_eq!(q(&i, "cr-two").stem, "Second question?");
    assert_eq!(correct(q(&i, "cr-two")), ["b"]);
    assert_eq!(i.lines["cr-two"], 6);
    let r = reasons(&i);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].0, 9);
    assert!(r[0].1.contains("essay"), "{r:?}");
}

#[test]
fn conformance_only_plain_numbers_are_weights() {
    let i = conformance("weights.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    assert!(i.notes.is_empty(), "{:?}", i.notes);
    let plus = q(&i, "w-plus");
    assert_eq!(texts(plus), ["%+50%plus", "half", "other"]);
    assert_eq!(correct(plus), ["half", "other"]);
    let space = q(&i, "w-space");
    assert_eq!(texts(space), ["right", "% 50%spaced"]);
    assert_eq!(correct(space), ["right"]);
    let exp = q(&i, "w-exponent");
    assert_eq!(texts(exp), ["right", "%1e2%exponent"]);
    assert_eq!(correct(exp), ["right"]);
    let valid = q(&i, "w-valid");
    assert_eq!(texts(valid), ["a", "b", "c", "d"]);
    assert_eq!(correct(valid), ["a", "b"]);
    assert_eq!(correct(q(&i, "w-thirds")), ["a", "b", "c"]);
}

#[test]
fn conformance_a_no_break_space_line_does_not_split_a_question() {
    let i = conformance("nbsp_line.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    let ids: Vec<&str> = i.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["nbsp", "next", "after-tab"]);
    assert_eq!(
        q(&i, "nbsp").stem,
        "A question whose text goes on after a line holding a no-break space."
    );
    assert_eq!(i.lines["nbsp"], 4);
    assert_eq!(i.lines["after-tab"], 10);
}

#[test]
fn conformance_true_false_and_format_spellings() {
    let i = conformance("spellings.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    for (id, truth) in [
        ("tf-lower-true", "True"),
        ("tf-lower-false", "False"),
        ("tf-t", "True"),
        ("tf-f", "False"),
        ("tf-upper", "True"),
        ("tf-mixed", "False"),
    ] {
        let t = q(&i, id);
        assert_eq!(t.kind, QuestionType::TrueFalse, "{id}");
        assert_eq!(correct(t), [truth], "{id}");
    }
    let f = q(&i, "tf-f");
    assert_eq!(expl(f, "False"), Some("Shown when right."));
    assert_eq!(expl(f, "True"), Some("Shown when wrong."));
    let html = q(&i, "fmt-upper");
    assert_eq!(html.stem, "An upper-case **HTML** prefix.");
    assert_eq!(texts(html), ["*yes*", "no"]);
}

#[test]
fn conformance_moodle_tag_comments_become_tags() {
    let i = conformance("tags.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    let t = q(&i, "tagged");
    assert_eq!(t.tags, ["ferpa", "student records"]);
    assert_eq!(q(&i, "escaped").tags, ["a]b", "spaced", "ferpa"]);
    let both = q(&i, "both");
    assert_eq!(both.tags, ["fact", "law"]);
    assert_eq!(both.difficulty, Some(2));
    // The [id:...] number is not used as the id.
    assert!(i.questions.iter().all(|q| q.id != "Q-12" && q.id != "q-12"));
}

#[test]
fn conformance_html_comments_and_entities() {
    let i = conformance("html_comments.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    assert_eq!(q(&i, "cmt-moodle").stem, "Which year?");
    let html = q(&i, "cmt-html");
    assert_eq!(html.stem, "Which law?");
    assert_eq!(texts(html), ["FERPA", "HIPAA"]);
    assert_eq!(q(&i, "cmt-entities").stem, "Which holds: 1 < 2 && 3 > 2?");
    assert_eq!(
        shown(&q(&i, "cmt-plain").stem),
        "Keep <!-- this --> and &amp; literally."
    );
    assert_eq!(
        shown(&q(&i, "cmt-open").stem),
        "An unclosed <!-- comment stays."
    );
}

#[test]
fn conformance_stricter_than_moodle_with_precise_reasons() {
    let i = conformance("stricter.gift");
    let r = reasons(&i);
    let expect = [
        (3, "a second '{' inside the answer block"),
        (5, "more than one answer block"),
        (7, "more than one answer block"),
    ];
    assert_eq!(r.len(), expect.len(), "{r:?}");
    for ((line, reason), (want_line, want)) in r.iter().zip(expect) {
        assert_eq!(*line, want_line, "{reason}");
        assert!(reason.contains(want), "{reason:?} should mention {want:?}");
    }
    assert_eq!(i.questions.len(), 1);
}

#[test]
fn export_escapes_markup_in_plain_text_and_imports_it_back() {
    let bank_text = "::m::[plain]Is a < b && c <!-- x --> &amp; so? {=yes <i> ~no}";
    let i = parse(bank_text, &opts());
    let bank = i.validate().expect("valid");
    assert_eq!(
        shown(&bank.questions[0].stem),
        "Is a < b && c <!-- x --> &amp; so?"
    );
    let gift = export(&bank);
    // Texts with formatting characters go out as [markdown], exactly as the bank has them.
    assert!(gift.contains("::m::[markdown]Is a < b && c "), "{gift}");
    assert!(gift.contains("=[markdown]yes "), "{gift}");
    let back = parse(&gift, &opts());
    assert_eq!(back.questions, bank.questions);
    // A plain text still goes out without a prefix, `<` and `&` as entities.
    let plain = parse("::p::Plain text {=one ~two}", &opts());
    let gift = export(&plain.validate().expect("valid"));
    assert!(gift.contains("::p::Plain text {"), "{gift}");
}

// ---------------------------------------------------------------------------------------------
// Round trip

fn assert_round_trip(bank: &Bank) {
    let gift = export(bank);
    let back = parse(
        &gift,
        &ImportOptions {
            bank_id: bank.id().to_string(),
            title: None,
        },
    );
    common::assert_reads_back_as(&back, bank);
}

#[test]
fn round_trip_keeps_every_question_of_the_shipped_banks() {
    let report = load_banks(&repo().join("question-banks"));
    assert!(!report.banks.is_empty());
    for bank in &report.banks {
        assert_round_trip(bank);
    }
}

#[test]
fn round_trip_of_an_import_is_stable() {
    // GIFT → bank → GIFT → bank: the second import equals the first.
    for name in [
        "basics.gift",
        "multiple_answer.gift",
        "true_false.gift",
        "feedback.gift",
        "escapes.gift",
        "formats.gift",
        "categories.gift",
        "moodle_style.gift",
        "crlf.gift",
    ] {
        let first = import(name).validate().expect("valid");
        assert_round_trip(&first);
    }
}

#[test]
fn round_trip_of_awkward_texts() {
    use certprep::bank::{AnswerOption, Domain, ExamDefaults, Manifest, Scenario};
    let tricky = [
        "a~b=c#d{e}f:g\\h",
        "[html] looks like a prefix",
        "%50% starts with a percent",
        "ends with a backslash \\",
        "line one\nline two\n\nparagraph",
        "->  arrow -> inside",
        "#### four hashes",
        "// not a comment",
        "T",
    ];
    let option = |k: usize, text: &str, correct: bool| AnswerOption {
        id: ((b'a' + k as u8) as char).to_string(),
        text: text.to_string(),
        correct,
        explanation: Some(format!("because {text}")),
    };
    let mut questions = Vec::new();
    for (i, stem) in tricky.iter().enumerate() {
        let kind = [
            QuestionType::Single,
            QuestionType::Multiple,
            QuestionType::TrueFalse,
        ][i % 3];
        let options = match kind {
            QuestionType::TrueFalse => vec![
                option(0, "True", i % 2 == 0),
                option(1, "False", i % 2 == 1),
            ],
            _ => tricky
                .iter()
                .cycle()
                .skip(i)
                .take(5)
                .enumerate()
                .map(|(k, t)| option(k, t, k == 0 || (kind == QuestionType::Multiple && k == 3)))
                .collect(),
        };
        questions.push(Question {
            id: if i % 2 == 0 {
                format!("t{i}")
            } else {
                format!("T_{i} odd id")
            },
            domain: if i % 2 == 0 { "d1".into() } else { "d2".into() },
            kind,
            scenario: (i % 4 == 0).then(|| "sc".to_string()),
            stem: stem.to_string(),
            options,
            explanation: (i % 2 == 1).then(|| stem.to_string()),
            difficulty: Some((i % 3) as u8 + 1),
            tags: vec![format!("tag {i}")],
            reference: Some("Ref: {x} #1".into()),
        });
    }
    let manifest = Manifest {
        format: "certprep-bank/1".into(),
        id: "tricky".into(),
        title: "Tricky / bank: {x}".into(),
        version: "1 ~ 2".into(),
        exam: ExamDefaults {
            questions: 5,
            minutes: 10,
            pass_percent: 65.5,
        },
        domains: vec![
            Domain {
                id: "d1".into(),
                name: "A/B area".into(),
                category: "C".into(),
                weight: 60.0,
            },
            Domain {
                id: "d2".into(),
                name: "Same".into(),
                category: "Same".into(),
                weight: 40.0,
            },
        ],
    };
    let scenarios = vec![Scenario {
        id: "sc".into(),
        text: "A shared passage:\n{with} ~specials~".into(),
    }];
    let bank =
        Bank::from_parts(manifest, PathBuf::from("mem"), scenarios, questions).expect("fixture");
    assert_round_trip(&bank);
}

// ---------------------------------------------------------------------------------------------
// CLI

#[test]
fn cli_import_gift_writes_a_valid_bank_and_reports_skips() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("unsupported");
    let file = repo().join("tests/data/gift/unsupported.gift");
    let o = certprep(&[
        "import",
        "gift",
        s(&file),
        "--bank-id",
        "unsup",
        "--out",
        s(&out),
        "--title",
        "Unsupported kinds",
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout.starts_with("imported 1 question, skipped 12\n"),
        "{stdout}"
    );
    assert!(stdout.contains("line 3: essay"), "{stdout}");
    assert!(stdout.contains("line 5: matching"), "{stdout}");
    assert!(stdout.contains("line 11: numerical"), "{stdout}");
    assert!(stdout.contains("line 15: short-answer"), "{stdout}");
    let bank = load_bank(&out).expect("written bank validates");
    assert_eq!(bank.manifest.title, "Unsupported kinds");
    assert_eq!(bank.id(), "unsup");

    let v = certprep(&["validate", s(&out)]);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));

    // Writing again into the same folder is refused without --force.
    let again = certprep(&[
        "import",
        "gift",
        s(&file),
        "--bank-id",
        "unsup",
        "--out",
        s(&out),
    ]);
    assert_eq!(again.status.code(), Some(1));
    let forced = certprep(&[
        "import",
        "gift",
        s(&file),
        "--bank-id",
        "unsup",
        "--out",
        s(&out),
        "--force",
    ]);
    assert!(forced.status.success());
}

#[test]
fn cli_import_errors_and_usage() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x");
    let file = repo().join("tests/data/gift/basics.gift");
    // Bad bank id: usage.
    let o = certprep(&[
        "import",
        "gift",
        s(&file),
        "--bank-id",
        "Not A Slug",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(2));
    // Without --out the bank goes to question-banks/ in the data folder (issue #18).
    let data = dir.path().join("data");
    let o = certprep(&[
        "--data-dir",
        s(&data),
        "import",
        "gift",
        s(&file),
        "--bank-id",
        "x",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(data.join("question-banks/x/bank.json").is_file());
    // Missing file: invalid input.
    let o = certprep(&[
        "import",
        "gift",
        "/nonexistent.gift",
        "--bank-id",
        "x",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(1));
    // Nothing importable: invalid input, nothing written.
    let empty = dir.path().join("essay.gift");
    std::fs::write(&empty, "Tell us a story. {}\n").unwrap();
    let o = certprep(&[
        "import",
        "gift",
        s(&empty),
        "--bank-id",
        "x",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("imported 0 questions, skipped 1"));
    assert!(!out.exists());
    // Not UTF-8.
    let latin1 = dir.path().join("latin1.gift");
    std::fs::write(&latin1, b"Caf\xe9? {=oui ~non}\n").unwrap();
    let o = certprep(&[
        "import",
        "gift",
        s(&latin1),
        "--bank-id",
        "x",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("UTF-8"));
}

#[test]
fn cli_help_for_every_import_and_export_subcommand() {
    for args in [
        vec!["import", "--help"],
        vec!["import", "gift", "--help"],
        vec!["import", "csv", "--help"],
        vec!["export", "--help"],
        vec!["export", "gift", "--help"],
        vec!["export", "history", "--help"],
        vec!["export", "mastery", "--help"],
    ] {
        let o = certprep(&args);
        assert!(o.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("Usage:"),
            "{args:?}"
        );
    }
    assert_eq!(certprep(&["import"]).status.code(), Some(2));
    assert_eq!(certprep(&["export", "gift"]).status.code(), Some(2));
}

#[test]
fn cli_export_gift_then_import_gives_the_same_questions() {
    let dir = tempfile::tempdir().unwrap();
    let gift = dir.path().join("cetl.gift");
    let banks = repo().join("question-banks");
    let o = certprep(&[
        "--banks",
        s(&banks),
        "export",
        "gift",
        "--bank",
        "cetl",
        "--out",
        s(&gift),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = dir.path().join("cetl");
    let o = certprep(&[
        "import",
        "gift",
        s(&gift),
        "--bank-id",
        "cetl",
        "--out",
        s(&out),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let original = load_banks(&banks);
    let original = original.bank("cetl").unwrap();
    let back = load_bank(&out).unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).starts_with(&format!(
        "imported {} questions, skipped 0",
        original.questions.len()
    )));
    for q in &original.questions {
        assert_eq!(back.question(&q.id), Some(q));
    }
    let o = certprep(&[
        "--banks",
        s(&banks),
        "export",
        "gift",
        "--bank",
        "nope",
        "--out",
        s(&gift),
    ]);
    assert_eq!(o.status.code(), Some(1));
}

// ---------------------------------------------------------------------------------------------
// Properties (the same ones the `gift_import` fuzz target checks, on generated GIFT-like text)

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Text made mostly of GIFT's special characters, so the parser's branches are reached.
    fn gift_like() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("{".to_string()),
            Just("}".to_string()),
            Just("~".to_string()),
            Just("=".to_string()),
            Just("#".to_string()),
            Just("####".to_string()),
            Just("::".to_string()),
            Just(":".to_string()),
            Just("\\".to_string()),
            Just("%".to_string()),
            Just("%50%".to_string()),
            Just("%-100%".to_string()),
            Just("->".to_string()),
            Just("[html]".to_string()),
            Just("<p>".to_string()),
            Just("&amp;".to_string()),
            Just("\n".to_string()),
            Just("\n\n".to_string()),
            Just("\r\n".to_string()),
            Just("// ".to_string()),
            Just("$CATEGORY: a/b".to_string()),
            Just("T".to_string()),
            Just("FALSE".to_string()),
            Just("\n\nQ? {=a ~b}".to_string()),
            Just("\n\n::t:: Q {~%50%x#f ~%50%y ~z ####g}".to_string()),
            Just("\n\nS {T#w#r}".to_string()),
            Just("\n// certprep {\"difficulty\":2,\"tags\":[\"x\"]}\n".to_string()),
            Just(" ".to_string()),
            "[a-zé日]{1,4}",
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
        #[test]
        fn parse_never_panics_and_what_it_accepts_validates_and_round_trips(text in gift_like()) {
            let import = parse(&text, &opts());
            for s in &import.skipped {
                prop_assert!(s.line >= 1 && s.line <= text.split('\n').count());
            }
            if !import.questions.is_empty() {
                let bank = import.validate().map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                let again = parse(&export(&bank), &opts());
                prop_assert!(again.skipped.is_empty(), "{:?}", again.skipped);
                let again = again.validate().map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                for q in &bank.questions {
                    prop_assert_eq!(again.question(&q.id), Some(q));
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Rich text (issue 18): HTML becomes the bank's Markdown subset, one rule per file.

/// The blocks a bank text shows as.
fn blocks(text: &str) -> Vec<certprep::markup::Block> {
    certprep::markup::parse(text)
}

#[test]
fn conformance_rich_paragraphs_and_line_breaks() {
    let i = conformance("rich_paragraphs.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    assert_eq!(q(&i, "rt-p").stem, "First paragraph.\n\nSecond\nline two.");
    assert_eq!(blocks(&q(&i, "rt-p").stem).len(), 2);
    assert_eq!(q(&i, "rt-div").stem, "Moodle-format\n\nblocks");
}

#[test]
fn conformance_rich_bold_and_italic() {
    let i = conformance("rich_emphasis.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    let t = q(&i, "rt-bold");
    assert_eq!(t.stem, "Which is **always** **required**, *even* *now*?");
    assert_eq!(texts(t), ["**consent**", "notice"]);
}

#[test]
fn conformance_rich_code_and_pre() {
    use certprep::markup::Block;
    let i = conformance("rich_code.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    let t = q(&i, "rt-code");
    assert_eq!(
        t.stem,
        "What does `ls *.txt` print?\n\n```\n$ ls *.txt\n  a.txt\n  b.txt\n```"
    );
    assert_eq!(
        blocks(&t.stem)[1],
        Block::Code("$ ls *.txt\n  a.txt\n  b.txt".into())
    );
}

#[test]
fn conformance_rich_lists() {
    let i = conformance("rich_lists.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    let t = q(&i, "rt-lists");
    assert_eq!(
        t.stem,
        "Order the steps:\n\n1. Back up\n2. Patch\n   - test first"
    );
    assert_eq!(
        shown(&t.stem),
        "Order the steps:\n1. Back up\n2. Patch\n- test first"
    );
}

#[test]
fn conformance_rich_superscript_and_subscript() {
    use certprep::markup::{Block, Span};
    let i = conformance("rich_scripts.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    let t = q(&i, "rt-sup");
    assert_eq!(t.stem, "A /22 has 2^10^ addresses; water is H~2~O.");
    let Block::Paragraph(spans) = &blocks(&t.stem)[0] else {
        panic!("one paragraph")
    };
    let scripts: Vec<(&str, bool, bool)> = spans
        .iter()
        .filter_map(|s| match s {
            Span::Text(t, st) if st.sup || st.sub => Some((t.as_str(), st.sup, st.sub)),
            _ => None,
        })
        .collect();
    assert_eq!(scripts, [("10", true, false), ("2", false, true)]);
}

#[test]
fn conformance_rich_images_keep_alt_text_and_say_so() {
    let i = conformance("rich_images.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    assert_eq!(
        shown(&q(&i, "rt-img").stem),
        "Read the chart: [image: Enrolment by year]"
    );
    assert_eq!(shown(&q(&i, "rt-img-web").stem), "Logo: [image]");
    assert!(certprep::markup::images(&q(&i, "rt-img").stem).is_empty());
    let notes: Vec<(usize, &str)> = i
        .notes
        .iter()
        .map(|n| (n.line, n.reason.as_str()))
        .collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(notes[0].0, 4);
    assert!(
        notes[0].1.contains("image \"chart.png\" not included"),
        "{notes:?}"
    );
    assert!(
        notes[1].1.contains("http://example.org/logo.png"),
        "{notes:?}"
    );
}

#[test]
fn conformance_rich_tables_one_row_a_line() {
    use certprep::markup::Block;
    let i = conformance("rich_tables.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    let t = q(&i, "rt-table");
    assert_eq!(
        t.stem,
        "| Port | Service |\n| --- | --- |\n| 22 | SSH |\n| 443 | HTTPS |\n\nWhich is encrypted?"
    );
    assert!(matches!(&blocks(&t.stem)[0], Block::Table(rows) if rows.len() == 3));
    assert_eq!(
        shown(&t.stem),
        "Port | Service\n22 | SSH\n443 | HTTPS\nWhich is encrypted?"
    );
}

#[test]
fn conformance_rich_all_html5_entities() {
    let i = conformance("rich_entities.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    assert_eq!(
        shown(&q(&i, "rt-ent").stem),
        "Café © 2024 costs 5\u{a0}€ → ½ ♥ 😀 &NotANamedEntity;"
    );
}

#[test]
fn conformance_rich_markdown_kept_as_written() {
    let i = conformance("rich_markdown.gift");
    assert!(i.skipped.is_empty(), "{:?}", i.skipped);
    let t = q(&i, "rt-md");
    assert_eq!(t.stem, "Which is **bold** and `code`?\n\n- one\n- two");
    assert_eq!(texts(t), ["*this*", "that"]);
}
