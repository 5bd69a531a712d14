//! FSRS-6: one review, fitting the parameters to a 100,000-answer log on a background thread
//! (as Settings → Optimise runs it), rescheduling every card of such a log in the database,
//! and the true-retention / calibration summary of it. Figures in docs/PERFORMANCE.md.
use certprep::srs::{Rating, ReviewOrigin, Scheduler, fit};
use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn fsrs(c: &mut Criterion) {
    let s = Scheduler::new(0.9);
    let t0 = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    let first = s.review(ReviewOrigin::study("b"), "q", None, Rating::Good, t0);
    let later = first.after.card.due + chrono::Duration::days(1);
    c.bench_function("fsrs/review_one", |b| {
        b.iter(|| {
            black_box(s.review(
                ReviewOrigin::study("b"),
                "q",
                Some(black_box(&first.after)),
                Rating::Good,
                later,
            ))
        })
    });

    // About 100,000 answers: 5,000 questions, 20 answers each.
    let logs = certprep::synth::learner_log(5_000, 100_000, 7);
    let answers: usize = logs.iter().map(Vec::len).sum();
    let (items, ids) = fit::training_items(logs.iter().map(Vec::as_slice));
    eprintln!("{answers} answers, {} training items", items.len());
    let mut g = c.benchmark_group("fsrs_100k");
    g.sample_size(10);
    g.bench_function("fit_on_a_thread", |b| {
        b.iter(|| {
            let job = fit::FitJob::start(items.clone(), ids.clone(), Vec::new());
            black_box(job.wait().expect("fit"))
        })
    });
    g.bench_function("memory_stats", |b| {
        b.iter(|| {
            black_box(certprep::srs::retention::memory_stats(
                logs.iter().map(Vec::as_slice),
                &s,
                t0,
            ))
        })
    });

    // The same log in a database: rescheduling every card from it (schema v4, a fit, a new
    // retention or exam date).
    let dir = tempfile::tempdir().expect("temp dir");
    let store = certprep::store::Store::open_in(dir.path()).expect("store");
    {
        let conn = store.connection();
        conn.execute_batch("BEGIN").expect("begin");
        for (i, log) in logs.iter().enumerate() {
            let qid = format!("q{i}");
            let mut card: Option<certprep::srs::CardRecord> = None;
            for a in log {
                let r = s.review(
                    ReviewOrigin::study("b"),
                    &qid,
                    card.as_ref(),
                    a.rating,
                    a.at,
                );
                certprep::store::bench_write_review(conn, &r).expect("write");
                card = Some(r.after);
            }
        }
        conn.execute_batch("COMMIT").expect("commit");
    }
    g.bench_function("reschedule_all", |b| {
        b.iter(|| black_box(store.reschedule_all().expect("reschedule")))
    });
    g.finish();
}

criterion_group!(benches, fsrs);
criterion_main!(benches);
