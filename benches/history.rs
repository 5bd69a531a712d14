//! The attempt history: listing every past attempt (`Store::past_attempts`) and reopening one
//! for review (`load_session` + `exam::review::rows`), with 1,000 past exams of 100 questions
//! each (100,000 item rows). Run: `cargo bench --bench history`.
use certprep::exam::{Mode, assemble, review};
use certprep::store::{NewAttempt, Store};
use std::time::{Duration, Instant};

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` does not: keep that run short.
    let full = std::env::args().any(|a| a == "--bench");
    let attempts: usize = if full { 1000 } else { 20 };
    let dir = tempfile::tempdir().expect("temp dir");
    let bank = certprep::synth::bank(400, 1);
    let mut store = Store::open_in(dir.path()).expect("store");
    let fill = Instant::now();
    for seed in 0..attempts as u64 {
        let items = assemble(&bank, 100, seed);
        let id = store
            .create_attempt(&NewAttempt {
                bank_id: bank.id(),
                bank_version: "synthetic",
                mode: Mode::Exam,
                seed,
                pass_percent: 70.0,
                time_limit: Some(Duration::from_secs(7200)),
                items: &items,
                pack_id: None,
                title: None,
                practice: false,
            })
            .expect("attempt");
        // Finished, with times, picks and area scores, written directly: the bench measures
        // reading, not thousands of fsyncs.
        store
            .connection()
            .execute_batch(&format!(
                "BEGIN;
                 UPDATE attempts SET status = 'submitted', finished_at = started_at,
                        elapsed_ms = 5000000, score_correct = 70, score_total = 100 WHERE id = {id};
                 UPDATE attempt_items SET time_ms = 1000 + position * 37, confidence = 'sure',
                        selected = '[\"a\"]' WHERE attempt_id = {id};
                 INSERT INTO attempt_domain_scores (attempt_id, domain_id, correct, total)
                 SELECT {id}, id, 7, 10 FROM (SELECT 'd0' AS id UNION ALL SELECT 'd1'
                     UNION ALL SELECT 'd2' UNION ALL SELECT 'd3' UNION ALL SELECT 'd4');
                 COMMIT;"
            ))
            .expect("finish");
    }
    let filled = fill.elapsed();
    let mut list = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let past = store.past_attempts(10_000).expect("list");
        list.push(t.elapsed());
        assert_eq!(past.len(), attempts);
    }
    list.sort();
    let mut reopen = Vec::new();
    for id in 1..=20.min(attempts as i64) {
        let t = Instant::now();
        let s = store
            .load_session(id)
            .expect("load")
            .expect("attempt")
            .session;
        let report = s.score(&bank);
        let rows = review::rows(&bank, &s, &report);
        reopen.push(t.elapsed());
        assert_eq!(rows.len(), 100);
    }
    reopen.sort();
    println!(
        "history attempts={attempts} (x100 items) fill={filled:?} list p50={:?} max={:?} \
         reopen+review p50={:?} max={:?}",
        list[list.len() / 2],
        list[list.len() - 1],
        reopen[reopen.len() / 2],
        reopen[reopen.len() - 1],
    );
}
