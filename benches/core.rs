//! Parse + validate a generated 10,000-question bank; assemble a 150-question exam from it;
//! index and search it as the Questions screen does.
use certprep::bank::load_bank;
use certprep::exam::assemble;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn bank_and_exam(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    certprep::synth::write_bank(dir.path(), 10_000, 1).expect("write bank");
    let mut g = c.benchmark_group("bank");
    g.sample_size(20);
    g.bench_function("load_validate_10k", |b| {
        b.iter(|| black_box(load_bank(dir.path()).expect("valid").questions.len()))
    });
    g.finish();
    let bank = load_bank(dir.path()).expect("valid");
    let mut seed = 0u64;
    c.bench_function("assemble_150_of_10k", |b| {
        b.iter(|| {
            seed += 1;
            black_box(assemble(&bank, 150, seed).len())
        })
    });
    // "Find any question": the index is made when the screen opens, the search runs on
    // every keystroke.
    c.bench_function("question_search_index_10k", |b| {
        b.iter(|| black_box(certprep::browse::SearchIndex::new(&bank)))
    });
    let index = certprep::browse::SearchIndex::new(&bank);
    let query = certprep::browse::QuestionQuery {
        words: "option question".into(),
        area: None,
    };
    c.bench_function("question_search_10k", |b| {
        b.iter(|| black_box(index.find(&bank, &query).len()))
    });
}

/// Issue 14's quadratic inputs, each well under the 16 MiB cap: 40,000 GIFT questions with
/// one title, a CSV with 40,000 areas, and a bank with 40,000 areas loaded from disk.
fn untrusted_inputs(c: &mut Criterion) {
    let n = 40_000;
    let opts = || certprep::import::ImportOptions {
        bank_id: "big".into(),
        title: None,
    };
    let gift: String = (0..n)
        .map(|i| format!("::Same title::Question {i}? {{=right ~wrong ~other}}\n\n"))
        .collect();
    let mut csv = String::from("id,domain,stem,option_a,option_b,correct\n");
    for i in 0..n {
        csv.push_str(&format!("q{i},area-{i},Question {i}?,yes,no,a\n"));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let import = certprep::import::csv::parse(&csv, &opts()).expect("csv");
    let bank_dir = dir.path().join("many");
    certprep::import::write_bank(&import, &bank_dir, false).expect("bank");
    let mut g = c.benchmark_group("untrusted");
    g.sample_size(10);
    g.bench_function("gift_40k_same_title", |b| {
        b.iter(|| {
            black_box(
                certprep::import::gift::parse(&gift, &opts())
                    .questions
                    .len(),
            )
        })
    });
    // Issue 18's shape: titles repeated across the file, some of them spelling the ids the
    // repeats are given ("Topic 7-2"), imported as the Import screen does it: parse, then
    // validate and the item-writing check for the preview.
    let repeated: String = (0..n)
        .map(|i| {
            let title = if i % 10 == 9 {
                format!("Topic {}-{}", i % 100, 2 + i / 1000)
            } else {
                format!("Topic {}", i % 100)
            };
            format!(
                "::{title}::Question {i} about topic {}? {{~wrong ~=right ~other}}\n\n",
                i % 100
            )
        })
        .collect();
    g.bench_function("gift_40k_repeated_titles_preview", |b| {
        b.iter(|| {
            let import = certprep::import::gift::parse(&repeated, &opts());
            let lint = import.lint(std::path::Path::new("repeated.gift"));
            let bank = import.validate().expect("valid");
            black_box((bank.questions.len(), lint.findings.len()))
        })
    });
    // Issue 18's rich text: 40,000 HTML questions using every construct the converter
    // keeps (paragraphs, bold, sup, code, entities, a list, a table, a Moodle image), as
    // the Import screen reads them.
    let html: String = (0..n)
        .map(|i| {
            format!(
                "::Q{i}::[html]<p>Which of 2<sup>{i}</sup> caf&eacute;s &rarr; <b>bold</b> \
                 <code>x &lt; y</code>?</p><ul><li>one</li><li>two <i>more</i></li></ul>\
                 <table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>\
                 <img src=\"@@PLUGINFILE@@/i{i}.png\" alt=\"chart {i}\"> \
                 {{=<i>right</i> ~wrong ~<pre>other\\n  text</pre>}}\n\n"
            )
        })
        .collect();
    g.bench_function("gift_40k_html", |b| {
        b.iter(|| {
            let import = certprep::import::gift::parse(&html, &opts());
            black_box((import.questions.len(), import.notes.len()))
        })
    });
    g.bench_function("csv_40k_areas", |b| {
        b.iter(|| {
            black_box(
                certprep::import::csv::parse(&csv, &opts())
                    .expect("csv")
                    .questions
                    .len(),
            )
        })
    });
    g.bench_function("bank_40k_areas_load_validate", |b| {
        b.iter(|| black_box(load_bank(&bank_dir).expect("valid").manifest.domains.len()))
    });
    g.finish();
}

/// Moodle XML (issue 18): a synthetic 20,000-question bank exported as Moodle XML (scenarios,
/// explanations, feedback on every option) and read back as the Import screen does (parse,
/// the item-writing check, validate); and 20,000 questions with one name, each in a category
/// of its own, with an embedded image each.
fn moodle_xml(c: &mut Criterion) {
    let n = 20_000;
    let opts = || certprep::import::ImportOptions {
        bank_id: "big".into(),
        title: None,
    };
    let dir = tempfile::tempdir().expect("temp dir");
    certprep::synth::write_bank(dir.path(), n, 1).expect("write bank");
    let bank = load_bank(dir.path()).expect("valid");
    let xml = certprep::import::moodle_xml::export(&bank);
    eprintln!("moodle_xml_20k_preview: {} bytes of XML", xml.len());
    let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    let mut hostile = String::from("<quiz>\n");
    for i in 0..n {
        hostile.push_str(&format!(
            "<question type=\"category\"><category><text>$course$/top/Area {i}</text></category></question>\n\
             <question type=\"multichoice\"><name><text>Same name</text></name>\
             <questiontext format=\"html\"><text><![CDATA[<p>Question {i}? <img src=\"@@PLUGINFILE@@/pic.png\"></p>]]></text>\
             <file name=\"pic.png\" encoding=\"base64\">{png}</file></questiontext>\
             <answer fraction=\"100\"><text>right</text></answer><answer fraction=\"0\"><text>wrong</text></answer>\
             </question>\n"
        ));
    }
    hostile.push_str("</quiz>\n");
    let mut g = c.benchmark_group("moodle_xml");
    g.sample_size(10);
    g.bench_function("moodle_xml_20k_preview", |b| {
        b.iter(|| {
            let import = certprep::import::moodle_xml::parse(&xml, &opts()).expect("xml");
            let lint = import.lint(std::path::Path::new("big.xml"));
            let bank = import.validate().expect("valid");
            black_box((bank.questions.len(), lint.findings.len()))
        })
    });
    g.bench_function("moodle_xml_20k_same_name_own_categories_images", |b| {
        b.iter(|| {
            let import = certprep::import::moodle_xml::parse(&hostile, &opts()).expect("xml");
            black_box((import.questions.len(), import.images.len()))
        })
    });
    g.finish();
}

criterion_group!(benches, bank_and_exam, untrusted_inputs, moodle_xml);
criterion_main!(benches);
