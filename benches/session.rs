//! The session builder over a 5,000-question bank and a 100,000-answer history: 4,000
//! questions answered (100,000 review-log rows), 1,000 exams of 100 questions (100,000
//! attempt items, one in seven flagged), 500 bookmarks. Measures what opening the builder
//! costs (three queries and the counts per filter and area) and one draw per kind of filter.
use certprep::exam::{ExamItem, Mode};
use certprep::session::{FilterCounts, History, QuestionFilter, SessionPlan, draw};
use certprep::srs::{Rating, ReviewOrigin, Scheduler};
use certprep::store::{NewAttempt, Store};
use criterion::{Criterion, criterion_group, criterion_main};
use std::collections::BTreeSet;
use std::hint::black_box;

fn builder(c: &mut Criterion) {
    let bank = certprep::synth::bank(5_000, 1);
    let data = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open_in(data.path()).expect("store");
    store
        .connection()
        .execute_batch("PRAGMA synchronous=OFF")
        .expect("pragma");
    let s = Scheduler::new(0.9);
    let start = chrono::Utc::now() - chrono::Duration::days(200);
    for (i, q) in bank.questions.iter().take(4_000).enumerate() {
        let cards = None;
        let ok = i % 4 != 0;
        let r = s.review(
            ReviewOrigin::study(bank.id()),
            &q.id,
            cards,
            if ok { Rating::Good } else { Rating::Again },
            start + chrono::Duration::minutes(i as i64),
        );
        store.record_review(&r).expect("review");
    }
    // The rest of the 100,000 answers straight into the log (the builder reads `cards`).
    store
        .connection()
        .execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 96000)
             INSERT INTO review_log (bank_id, question_id, reviewed_at, rating, correct,
                 elapsed_days, scheduled_days, state_before, state_after, stability_after,
                 due_after, source)
             SELECT ?1, 'q' || (i % 4000), '2026-01-01T00:00:00.000Z', 3, 1, 1, 1, 2, 2, 10.0,
                    '2026-01-02T00:00:00.000Z', 'study' FROM n",
            [bank.id()],
        )
        .expect("log");
    for a in 0..1_000usize {
        let items: Vec<ExamItem> = (0..100)
            .map(|k| ExamItem {
                question_id: bank.questions[(a * 37 + k * 11) % 5_000].id.clone(),
                option_order: vec!["a".into()],
            })
            .collect();
        store
            .create_attempt(&NewAttempt {
                bank_id: bank.id(),
                bank_version: &bank.manifest.version,
                mode: Mode::Exam,
                seed: a as u64,
                pass_percent: 70.0,
                time_limit: None,
                items: &items,
                pack_id: None,
                title: None,
                practice: false,
            })
            .expect("attempt");
    }
    store
        .connection()
        .execute(
            "UPDATE attempt_items SET flagged = 1 WHERE position % 7 = 0",
            [],
        )
        .expect("flags");
    for q in bank.questions.iter().step_by(10) {
        store
            .set_bookmark(bank.id(), &q.id, true)
            .expect("bookmark");
    }
    let now = chrono::Utc::now();

    let mut g = c.benchmark_group("session_builder");
    g.sample_size(20);
    g.bench_function(
        "open: history of 5k bank, 100k answers, 100k items + counts",
        |b| {
            b.iter(|| {
                let h = History::load(&store, bank.id(), now).expect("history");
                black_box(FilterCounts::count(&bank, &h))
            })
        },
    );
    let history = History::load(&store, bank.id(), now).expect("history");
    let areas: BTreeSet<String> = bank
        .manifest
        .domains
        .iter()
        .take(4)
        .map(|d| d.id.clone())
        .collect();
    for filter in [
        QuestionFilter::All,
        QuestionFilter::Missed,
        QuestionFilter::Weakest,
    ] {
        let plan = SessionPlan {
            areas: areas.clone(),
            filter,
            questions: 100,
        };
        let mut seed = 0u64;
        g.bench_function(format!("draw 100 of 5k, 4 areas, {filter:?}"), |b| {
            b.iter(|| {
                seed += 1;
                black_box(draw(&bank, &plan, &history, seed).items.len())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, builder);
criterion_main!(benches);
