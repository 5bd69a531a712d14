//! Parse + validate a generated 10,000-question bank; assemble a 150-question exam from it.
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

criterion_group!(benches, bank_and_exam, untrusted_inputs);
criterion_main!(benches);
