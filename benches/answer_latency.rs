//! Durable answer write (one `save_item` transaction, WAL, synchronous=FULL): p50 / p99 / max
//! over many answers, on the disk the data folder is on. Run: `cargo bench --bench answer_latency`.
use certprep::exam::{ItemState, Mode, assemble};
use certprep::store::{NewAttempt, Store};
use std::time::{Duration, Instant};

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` does not: keep that run short.
    let full = std::env::args().any(|a| a == "--bench");
    let n: usize = if full { 3000 } else { 50 };
    let dir = match std::env::var_os("CERTPREP_BENCH_DIR") {
        Some(d) => tempfile::tempdir_in(d),
        None => tempfile::tempdir(),
    }
    .expect("temp dir");
    let bank = certprep::synth::bank(1000, 1);
    let items = assemble(&bank, 150, 1);
    let mut store = Store::open_in(dir.path()).expect("store");
    let id = store
        .create_attempt(&NewAttempt {
            bank_id: bank.id(),
            bank_version: "synthetic",
            mode: Mode::Exam,
            seed: 1,
            pass_percent: 70.0,
            time_limit: Some(Duration::from_secs(3600)),
            items: &items,
            pack_id: None,
            title: None,
            practice: false,
        })
        .expect("attempt");
    let mut times = Vec::with_capacity(n);
    for i in 0..n {
        let pos = i % items.len();
        let state = ItemState {
            selected: vec![items[pos].option_order[i % 2].clone()],
            flagged: i % 7 == 0,
            checked: false,
            confidence: None,
        };
        let t = Instant::now();
        store
            .save_item(id, pos, &state, Duration::from_millis(i as u64), pos)
            .expect("save");
        times.push(t.elapsed());
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "answer_write n={n} p50={:?} p99={:?} max={:?} (dir {})",
        pct(0.50),
        pct(0.99),
        times[times.len() - 1],
        dir.path().display()
    );
}
