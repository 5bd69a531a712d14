//! Mastery + readiness over a long history: a 10,000-question bank, 8,000 questions seen, and
//! 1,000,000 review-log rows. Readiness reads the `cards` aggregate (one row per seen
//! question), so the size of the log should not matter; this measures that it does not.
//! Also the whole dashboard read (cards, today's counts from the log, exam history,
//! predictions, plan, readiness history).
use certprep::bank::load_bank;
use certprep::srs::{Rating, ReviewOrigin, Scheduler, StudySettings};
use certprep::store::Store;
use certprep::store::srs::StudyPlanSettings;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

pub const LOG_ROWS: i64 = 1_000_000;

fn history(c: &mut Criterion) {
    let banks = tempfile::tempdir().expect("temp dir");
    let bank_dir = banks.path().join("synthetic");
    certprep::synth::write_bank(&bank_dir, 10_000, 1).expect("bank");
    let bank = load_bank(&bank_dir).expect("valid bank");
    let data = tempfile::tempdir().expect("temp dir");
    let store = Store::open_in(data.path()).expect("store");
    let s = Scheduler::new(0.9);
    let start = chrono::Utc::now() - chrono::Duration::days(120);
    // 8,000 seen cards with real FSRS state (three reviews each, one in five wrong once).
    {
        let conn = store.connection();
        // Setup only: no fsync per row.
        conn.execute_batch("PRAGMA synchronous=OFF")
            .expect("pragma");
        for (i, q) in bank.questions.iter().take(8_000).enumerate() {
            let mut card = None;
            let mut at = start + chrono::Duration::minutes(i as i64);
            for k in 0..3 {
                let ok = !(k == 1 && i % 5 == 0);
                let rating = if ok { Rating::Good } else { Rating::Again };
                let r = s.review(
                    ReviewOrigin::study(bank.id()),
                    &q.id,
                    card.as_ref(),
                    rating,
                    at,
                );
                store.record_review(&r).expect("review");
                at = r.after.card.due;
                card = Some(r.after);
            }
        }
        // Fill the log up to a million rows, in SQL for speed, spread over the 400 days up to
        // now: 2,500 answers a day, so the dashboard's four-week activity strip reads ~70,000
        // rows, far more than any learner gives.
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
             INSERT INTO review_log (bank_id, question_id, reviewed_at, rating, correct,
                 elapsed_days, scheduled_days, state_before, state_after, stability_after,
                 due_after, source)
             SELECT 'synthetic', 'q' || (i % 8000), strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (i % 400) || ' days'),
                    1 + (i % 4), (i % 4) != 0, i % 30, i % 60, 2, 2, 10.0, '2026-01-01T00:00:00.000Z', 'study'
             FROM n",
            [LOG_ROWS - 24_000],
        )
        .expect("fill log");
        conn.execute_batch("PRAGMA synchronous=FULL")
            .expect("pragma");
    }
    let rows: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM review_log", [], |r| r.get(0))
        .expect("count");
    eprintln!("review_log rows: {rows}");
    let mut g = c.benchmark_group("readiness");
    g.sample_size(30);
    g.bench_function("mastery_readiness_1M_log", |b| {
        b.iter(|| {
            let cards = store.load_cards(bank.id()).expect("cards");
            let m = store
                .mastery_report(&bank, &cards, chrono::Utc::now())
                .expect("report");
            black_box(m.readiness.predicted)
        })
    });
    // The learner has set an exam date, so the dashboard also builds the exam-date plan:
    // 8,000 FSRS walks of the seen cards and one per plan day.
    store
        .set_study_plan(
            bank.id(),
            &StudyPlanSettings {
                exam_date: (chrono::Utc::now() + chrono::Duration::days(90)).date_naive(),
                target: 0.8,
            },
        )
        .expect("plan");
    g.bench_function("dashboard_read_1M_log", |b| {
        b.iter(|| {
            let d = certprep::ui::build_dashboard(
                &store,
                &bank,
                &StudySettings::default(),
                chrono::Utc::now(),
            )
            .expect("dashboard");
            black_box(d.0.due_now)
        })
    });
    g.finish();
}

criterion_group!(benches, history);
criterion_main!(benches);
