//! Sync through a folder (docs/sync.md): one computer with 100,000 records of its own merges
//! another computer's 100,000 (journal files read, checksummed, parsed, applied, cards
//! recomputed); and a pass with nothing new over that history.
use certprep::store::Store;
use certprep::sync::hlc::Hlc;
use certprep::sync::journal;
use certprep::sync::record::{
    AttemptStart, AttemptState, Body, ItemRecord, LoggedSchedule, Record, ReviewRecord,
};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::path::Path;

const EVENTS: usize = 100_000;
const QUESTIONS: usize = 2_000;
const EXAMS: usize = 200;
const EXAM_ITEMS: usize = 50;

/// An id shaped like the app's (`store::sync::new_uid`: 32 hex digits, the first 12 the
/// time in milliseconds, the rest random), but the same on every run. The two computers'
/// ids interleave in time as their records do. What the id indexes of a merge pay depends
/// on that shape: wholly random ids (the app's before) cost the 100k merge 0.09 s more than
/// these, ids counted up in order ("…-r1", "…-r2") 0.8-1.0 s less (docs/PERFORMANCE.md).
fn uid(device: &str, kind: &str, n: usize, at_ms: i64) -> String {
    use sha2::Digest;
    let random: String = sha2::Sha256::digest(format!("{device}/{kind}/{n}"))[..10]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{:012x}{random}", at_ms & 0xffff_ffff_ffff)
}

/// 100,000 records of one computer: 200 mock exams of 50 questions (start, 50 answers,
/// finished state) and reviews for the rest, 2,000 questions, one minute apart.
fn history(device: &str, start_ms: i64) -> Vec<Record> {
    let mut out = Vec::with_capacity(EVENTS);
    let mut t = start_ms;
    let mut stamp = || {
        t += 60_000;
        Hlc::new(t, 0, device).to_string()
    };
    let ms = |h: &str| Hlc::parse(h).map_or(0, |h| h.wall_ms);
    let at = |h: &str| {
        chrono::DateTime::from_timestamp_millis(ms(h))
            .unwrap_or_default()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    };
    for e in 0..EXAMS {
        let h = stamp();
        let exam_id = uid(device, "exam", e, ms(&h));
        let items: Vec<(String, Vec<String>)> = (0..EXAM_ITEMS)
            .map(|i| {
                (
                    format!("q{}", (e * 7 + i) % QUESTIONS),
                    vec!["a".into(), "b".into()],
                )
            })
            .collect();
        out.push(Record {
            body: Body::AttemptStart(AttemptStart {
                attempt: exam_id.clone(),
                bank_id: "bench".into(),
                bank_version: "1".into(),
                mode: "exam".into(),
                seed: e as i64,
                pass_percent: 70.0,
                time_limit_secs: Some(3600),
                started_at: at(&h),
                pack_id: None,
                title: None,
                practice: false,
                items,
            }),
            hlc: h,
        });
        for i in 0..EXAM_ITEMS {
            let h = stamp();
            out.push(Record {
                body: Body::Item(ItemRecord {
                    attempt: exam_id.clone(),
                    position: i as i64,
                    selected: vec!["a".into()],
                    flagged: false,
                    checked: false,
                    answered_at: Some(at(&h)),
                    time_ms: Some(40_000 + i as i64),
                    confidence: Some(String::new()),
                }),
                hlc: h,
            });
        }
        out.push(Record {
            hlc: stamp(),
            body: Body::AttemptState(AttemptState {
                attempt: exam_id,
                status: "submitted".into(),
                finished_at: None,
                elapsed_ms: 3_000_000,
                current_index: 49,
                score: None,
            }),
        });
    }
    let mut n = 0;
    while out.len() < EVENTS {
        let h = stamp();
        out.push(Record {
            body: Body::Review(ReviewRecord {
                id: uid(device, "review", n, ms(&h)),
                bank_id: "bench".into(),
                question_id: format!("q{}", n % QUESTIONS),
                reviewed_at: at(&h),
                rating: [1, 3, 3, 4][n % 4],
                source: "study".into(),
                attempt: None,
                logged: Some(LoggedSchedule {
                    elapsed_days: 1,
                    scheduled_days: 3,
                    state_before: 2,
                    state_after: 2,
                    stability_after: 3.2,
                    due_after: at(&h),
                }),
                duration_ms: Some(8_000),
            }),
            hlc: h,
        });
        n += 1;
    }
    out
}

fn write_journal(folder: &Path, device: &str, records: &[Record]) {
    let lines: Vec<String> = records.iter().map(journal::encode).collect();
    journal::append(folder, device, &lines).unwrap();
}

/// A data folder whose database holds 100,000 records (merged from a journal, as a linked
/// computer's would), linked to an empty sync folder.
fn computer_with_history(root: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let data = root.join("data");
    let folder = root.join("folder");
    let seed = root.join("seed");
    for d in [&data, &folder, &seed] {
        std::fs::create_dir_all(d).unwrap();
    }
    write_journal(
        &seed,
        "00000000000000b0",
        &history("00000000000000b0", 1_700_000_000_000),
    );
    let mut store = Store::open_in(&data).unwrap();
    certprep::sync::run_pass(&mut store, &seed).unwrap();
    certprep::sync::link(&mut store, &data, &folder, Some("B")).unwrap();
    (data, folder)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// A copy of the computer with history, its sync folder holding the other computer's journal.
fn fresh_run(data: &Path, folder: &Path, incoming: &Path) -> (tempfile::TempDir, Store) {
    let run = tempfile::tempdir().unwrap();
    copy_dir(data, &run.path().join("data"));
    copy_dir(folder, &run.path().join("folder"));
    copy_dir(incoming, &run.path().join("folder"));
    let store = Store::open_in(&run.path().join("data")).unwrap();
    (run, store)
}

fn bench(c: &mut Criterion) {
    let root = tempfile::tempdir().unwrap();
    let (data, folder) = computer_with_history(root.path());
    // The other computer's 100,000 records, interleaved in time with this one's.
    let incoming = root.path().join("incoming");
    std::fs::create_dir_all(&incoming).unwrap();
    write_journal(
        &incoming,
        "00000000000000a0",
        &history("00000000000000a0", 1_700_000_030_000),
    );

    let mut g = c.benchmark_group("sync");
    g.sample_size(10);
    g.bench_function("merge 100k records into 100k", |b| {
        b.iter_batched(
            || fresh_run(&data, &folder, &incoming),
            |(run, mut store)| {
                let r = certprep::sync::run_pass(&mut store, &run.path().join("folder")).unwrap();
                assert_eq!(r.applied, EVENTS);
                (run, store)
            },
            BatchSize::PerIteration,
        )
    });
    // The same, with the checkpoint the sync helper runs once the window has the outcome:
    // the whole cost on the machine, not only the wait for the merged history.
    g.bench_function("merge 100k records into 100k, then checkpoint", |b| {
        b.iter_batched(
            || fresh_run(&data, &folder, &incoming),
            |(run, mut store)| {
                let r = certprep::sync::run_pass(&mut store, &run.path().join("folder")).unwrap();
                assert_eq!(r.applied, EVENTS);
                store.checkpoint().unwrap();
                (run, store)
            },
            BatchSize::PerIteration,
        )
    });
    // Steady state: 200,000 records merged, nothing new.
    let steady = root.path().join("steady");
    copy_dir(&data, &steady.join("data"));
    copy_dir(&folder, &steady.join("folder"));
    copy_dir(&incoming, &steady.join("folder"));
    let mut store = Store::open_in(&steady.join("data")).unwrap();
    certprep::sync::run_pass(&mut store, &steady.join("folder")).unwrap();
    g.sample_size(50);
    g.bench_function("pass with nothing new (200k merged)", |b| {
        b.iter(|| {
            let r = certprep::sync::run_pass(&mut store, &steady.join("folder")).unwrap();
            assert_eq!((r.files_read, r.written), (0, 0));
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
