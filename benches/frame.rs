//! CPU time of one frame of the exam screen, through the egui_kittest harness (layout and
//! tessellation-free egui pass, which is what runs on the CPU each frame).
use certprep::srs::ReviewOrigin;
use certprep::ui::{CertprepApp, SetupCmd, SetupForm};
use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;

/// The app in a window-sized harness, drawn as the window draws it.
fn harness(app: CertprepApp) -> Harness<'static, CertprepApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, app: &mut CertprepApp| {
                certprep::ui::apply_style(ui.ctx());
                app.show(ui)
            },
            app,
        )
}

fn exam_frame(c: &mut Criterion) {
    let data = tempfile::tempdir().expect("temp dir");
    let banks = tempfile::tempdir().expect("temp dir");
    certprep::synth::write_bank(&banks.path().join("synthetic"), 2000, 1).expect("bank");
    let mut app = CertprepApp::open(banks.path().to_path_buf(), data.path().to_path_buf());
    app.wait_for_banks(std::time::Duration::from_secs(120));
    app.push(
        SetupCmd::Start(SetupForm {
            bank_id: "synthetic".into(),
            questions: 150,
            minutes: 180,
            mode: certprep::exam::Mode::Exam,
            seed: Some(1),
        })
        .into(),
    );
    let mut h = harness(app);
    h.run_steps(3);
    c.bench_function("exam_screen_frame", |b| b.iter(|| h.step()));
}

/// The dashboard (Home) of a 2,000-question bank with history: readiness, ten area bars,
/// the chart and the plan. Its data is read when Home is entered, so a frame only draws.
fn dashboard_frame(c: &mut Criterion) {
    let data = tempfile::tempdir().expect("temp dir");
    let banks = tempfile::tempdir().expect("temp dir");
    certprep::synth::write_bank(&banks.path().join("synthetic"), 2000, 1).expect("bank");
    {
        let bank = certprep::bank::load_bank(&banks.path().join("synthetic")).expect("bank");
        let store = certprep::store::Store::open_in(data.path()).expect("store");
        let s = certprep::srs::Scheduler::new(0.9);
        let now = chrono::Utc::now();
        for (i, q) in bank.questions.iter().take(600).enumerate() {
            let ok = i % 4 != 0;
            let rating = if ok {
                certprep::srs::Rating::Good
            } else {
                certprep::srs::Rating::Again
            };
            let r = s.review(ReviewOrigin::study(bank.id()), &q.id, None, rating, now);
            store.record_review(&r).expect("review");
        }
        store
            .set_study_plan(
                bank.id(),
                &certprep::store::srs::StudyPlanSettings {
                    exam_date: now.date_naive() + chrono::Duration::days(90),
                    target: 0.75,
                },
            )
            .expect("plan");
    }
    let mut app = CertprepApp::open(banks.path().to_path_buf(), data.path().to_path_buf());
    app.wait_for_banks(std::time::Duration::from_secs(120));
    let mut h = harness(app);
    h.run_steps(3);
    c.bench_function("dashboard_frame", |b| b.iter(|| h.step()));
}

criterion_group!(benches, exam_frame, dashboard_frame);
criterion_main!(benches);
