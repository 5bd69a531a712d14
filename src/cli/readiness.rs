//! `certprep readiness`: the dashboard's figures as a table, for scripts and terminals.

use super::Cli;
use crate::store::Store;
use std::fmt::Write;
use std::process::ExitCode;

pub fn run(cli: &Cli, bank_id: Option<&str>) -> ExitCode {
    let report = cli.bank_sources().load();
    let banks: Vec<_> = report
        .banks
        .iter()
        .filter(|b| bank_id.is_none_or(|id| b.id() == id))
        .collect();
    if banks.is_empty() {
        eprintln!(
            "no bank {} in {}",
            bank_id.map_or("found".to_string(), |b| format!("\"{b}\"")),
            cli.bank_sources()
        );
        return ExitCode::from(1);
    }
    let data_dir = cli.data_dir();
    if !data_dir.join(crate::store::DB_FILE).exists() {
        eprintln!(
            "no history yet in {}: study or sit an exam first",
            data_dir.display()
        );
        return ExitCode::from(1);
    }
    let store = match Store::open_in(&data_dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let now = chrono::Utc::now();
    for bank in banks {
        let mut cards = match store.load_cards(bank.id()) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(1);
            }
        };
        let retired = crate::srs::drop_retired(bank, &mut cards);
        let m = match store.mastery_report(bank, &cards, now) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(1);
            }
        };
        let calibration = store
            .predictions(bank.id())
            .ok()
            .and_then(|p| crate::mastery::calibration(&p));
        print!("{}", table(bank, &m, calibration.as_ref()));
        if let Some(note) = crate::srs::retired_note(bank, retired) {
            println!("{note}");
        }
        match memory(&store, bank.id(), now) {
            Ok(text) => print!("{text}"),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(1);
            }
        }
    }
    ExitCode::SUCCESS
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// The readiness table of one bank.
pub fn table(
    bank: &crate::bank::Bank,
    m: &crate::mastery::MasteryReport,
    calibration: Option<&crate::mastery::Calibration>,
) -> String {
    let mut out = String::new();
    let width = m
        .areas
        .iter()
        .map(|a| a.domain_id.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let _ = writeln!(out, "bank {} — {}", bank.id(), bank.manifest.title);
    let _ = writeln!(
        out,
        "{:<width$}  {:>6}  {:>7}  {:>15}  {:>9}",
        "area", "weight", "mastery", "band (80%)", "seen"
    );
    for a in &m.areas {
        let _ = writeln!(
            out,
            "{:<width$}  {:>6}  {:>7}  {:>15}  {:>9}",
            a.domain_id,
            format!("{:.0}%", a.weight * 100.0),
            pct(a.mastery),
            format!("{}–{}", pct(a.low), pct(a.high)),
            format!("{}/{}", a.seen, a.total)
        );
    }
    let r = &m.readiness;
    let _ = writeln!(
        out,
        "predicted score {} on the next mock exam (80% band {}–{}), pass probability {}, {}, seen {}/{}",
        pct(r.predicted),
        pct(r.low),
        pct(r.high),
        pct(r.pass_probability),
        crate::text::pass_mark_note(r.pass_mark),
        m.seen,
        m.total
    );
    for line in crate::mastery::rasch::describe(&m.model, m.model_note.as_deref()) {
        let _ = writeln!(out, "{line}");
    }
    if let Some(c) = calibration {
        let _ = writeln!(
            out,
            "calibration: {}, mean error {:.1} points, bias {:+.1} points, {} inside the band",
            crate::text::count(c.exams, "mock exam", "mock exams"),
            c.mean_abs_error * 100.0,
            c.bias * 100.0,
            c.inside_band
        );
    }
    out
}

/// True retention and the calibration table of predicted recall against answers (see
/// `srs::retention`), from one bank's review log.
fn memory(
    store: &Store,
    bank_id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String, crate::store::StoreError> {
    let scheduler = store.scheduler_for(bank_id)?;
    let logs = store.answer_logs(Some(bank_id))?;
    let stats = crate::srs::retention::memory_stats(
        logs.iter().map(|(_, _, l)| l.as_slice()),
        &scheduler,
        now,
    );
    let params = match store.fit_record()? {
        Some(r) if !store.study_settings()?.parameters.is_empty() => format!(
            "parameters fitted to {} on {}",
            crate::text::count(r.reviews, "review", "reviews"),
            r.fitted_at.format("%Y-%m-%d")
        ),
        _ => "default parameters".to_string(),
    };
    Ok(memory_table(&stats, &params))
}

/// The memory section of `certprep readiness`.
pub fn memory_table(s: &crate::srs::retention::MemoryStats, params: &str) -> String {
    use crate::srs::retention::PassCount;
    let cell = |c: PassCount| match c.rate() {
        Some(r) => format!("{} ({}/{})", pct(r), c.passed, c.total),
        None => "–".to_string(),
    };
    let mut out = String::new();
    let _ = writeln!(out, "memory (FSRS-6, {params})");
    let _ = writeln!(
        out,
        "true retention  {:>18}  {:>18}  {:>18}",
        "young (<21 d)", "mature", "all"
    );
    for (name, t) in [("last 30 days", &s.month), ("all time", &s.all_time)] {
        let _ = writeln!(
            out,
            "  {:<12}  {:>18}  {:>18}  {:>18}",
            name,
            cell(t.young),
            cell(t.mature),
            cell(t.all())
        );
    }
    let _ = writeln!(
        out,
        "predicted recall vs answers  {:>7}  {:>14}  {:>7}",
        "answers", "mean predicted", "right"
    );
    for b in &s.calibration {
        let _ = writeln!(
            out,
            "  {:>26}  {:>7}  {:>14}  {:>7}",
            format!("{:.0}–{:.0}%", b.low * 100.0, b.high * 100.0),
            b.answers,
            if b.answers > 0 {
                pct(b.mean_predicted)
            } else {
                "–".into()
            },
            b.pass_rate().map_or("–".into(), pct)
        );
    }
    out
}
