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

criterion_group!(benches, bank_and_exam);
criterion_main!(benches);
