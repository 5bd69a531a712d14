//! Kill the real binary with SIGKILL at random moments while it answers questions; after
//! every kill, each answer it acknowledged must be in the database, which must pass
//! `PRAGMA integrity_check`.

use certprep::store::Store;
use rand::{Rng, SeedableRng};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const CYCLES: usize = 40;

#[test]
fn acknowledged_answers_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let banks = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/banks");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let mut acked: Vec<(i64, i64, String)> = Vec::new();
    let mut killed_mid_run = 0;
    for _ in 0..CYCLES {
        let mut child = Command::new(env!("CARGO_BIN_EXE_certprep"))
            .args(["--data-dir", dir.path().to_str().unwrap()])
            .args(["--banks", banks.to_str().unwrap()])
            .args(["crash-writer", "--bank", "mini", "--answers", "100000"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Wait for the first ack so the kill lands while answers are being written.
        let first = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("writer started");
        std::thread::sleep(Duration::from_micros(rng.random_range(0..40_000)));
        child.kill().unwrap(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        killed_mid_run += (!status.success()) as usize;
        reader.join().unwrap();
        for line in std::iter::once(first).chain(rx.try_iter()) {
            let parts: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(parts[0], "ack", "{line}");
            acked.push((
                parts[1].parse().unwrap(),
                parts[2].parse().unwrap(),
                parts[3].to_string(),
            ));
        }
        let store = Store::open_in(dir.path()).expect("reopens after SIGKILL");
        assert_eq!(store.integrity_check().unwrap(), "ok");
    }
    assert_eq!(killed_mid_run, CYCLES, "every cycle was a real kill");
    let store = Store::open_in(dir.path()).unwrap();
    for (attempt, pos, option) in &acked {
        let selected: String = store
            .connection()
            .query_row(
                "SELECT selected FROM attempt_items WHERE attempt_id = ?1 AND position = ?2",
                [attempt, pos],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            selected,
            format!("[\"{option}\"]"),
            "attempt {attempt} position {pos}"
        );
    }
    println!("{} answers acknowledged over {CYCLES} kills", acked.len());
    assert!(
        acked.len() > CYCLES,
        "answers were written: {}",
        acked.len()
    );
}
