//! Desktop conventions through egui_kittest: settings survive a restart on the same data
//! folder, a whole exam can be sat with the keyboard alone, and the window's icon loads.

use certprep::prefs::Theme;
use certprep::ui::{CertprepApp, Screen};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;

fn harness(data: &std::path::Path) -> Harness<'static, CertprepApp> {
    common::harness_with(common::fixture_banks(), data, egui::vec2(1100.0, 900.0))
}

#[test]
fn theme_and_text_size_persist_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label("Dark").click();
    h.run();
    // The text size slider by keyboard: focus it, one step right (+10%).
    h.get_by_role_and_label(egui::accesskit::Role::Slider, "Text size")
        .focus();
    h.run();
    h.key_press(Key::ArrowRight);
    h.run();
    // And egui's own Ctrl + shortcut, one more step (+10%).
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Plus);
    h.run();
    let zoom = h.state().prefs.zoom;
    assert!((zoom - 1.2).abs() < 0.02, "zoom after two steps: {zoom}");
    assert_eq!(h.ctx.theme(), egui::Theme::Dark);
    drop(h);

    // A new window on the same data folder: same theme, same size, and back on Settings.
    let mut h = harness(dir.path());
    h.run();
    let app = h.state();
    assert_eq!(app.prefs.theme, Theme::Dark);
    assert!((app.prefs.zoom - zoom).abs() < 1e-4);
    assert!(matches!(app.screen, Screen::Settings(_)));
    assert_eq!(h.ctx.theme(), egui::Theme::Dark);
    assert!((h.ctx.zoom_factor() - zoom).abs() < 1e-4);

    // Light, and Home, after another restart.
    h.get_by_label("Light").click();
    h.run();
    h.get_by_label("Home").click();
    h.run();
    drop(h);
    let mut h = harness(dir.path());
    h.run();
    assert_eq!(h.state().prefs.theme, Theme::Light);
    assert!(matches!(h.state().screen, Screen::Home));
    assert_eq!(h.ctx.theme(), egui::Theme::Light);
}

/// Press Tab until the widget labelled `label` has the keyboard focus.
fn tab_to(h: &mut Harness<'_, CertprepApp>, label: &str) {
    for _ in 0..120 {
        if h.query_by_label(label).is_some_and(|n| n.is_focused()) {
            return;
        }
        h.key_press(Key::Tab);
        h.run();
    }
    panic!("Tab never reached \"{label}\"");
}

fn press(h: &mut Harness<'_, CertprepApp>, key: Key) {
    h.key_press(key);
    h.run();
}

fn exam<'a>(h: &'a Harness<'_, CertprepApp>) -> &'a certprep::ui::ExamView {
    match &h.state().screen {
        Screen::Exam(v) => v,
        _ => panic!("not on the exam screen"),
    }
}

#[test]
fn a_whole_exam_by_keyboard_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    // Home → Setup: Tab to the bank's button, Enter.
    tab_to(&mut h, "Practice Mini test bank");
    press(&mut h, Key::Enter);
    assert!(matches!(h.state().screen, Screen::Setup(_)));
    // Setup → Exam: Tab to Start, Space.
    tab_to(&mut h, "Start exam");
    press(&mut h, Key::Space);
    assert_eq!(exam(&h).session.len(), 6);

    // Answer every question with the first option (and the second too where the question
    // says "choose two"); flag the second; move with N and P.
    for i in 0..6 {
        press(&mut h, Key::Num1);
        let s = &exam(&h).session;
        if s.items[i].question_id == "data-1" {
            press(&mut h, Key::Num2);
        }
        if i == 1 {
            press(&mut h, Key::F);
        }
        if i < 5 {
            press(&mut h, Key::N);
        }
    }
    assert_eq!(exam(&h).session.current, 5);
    press(&mut h, Key::P);
    press(&mut h, Key::ArrowLeft);
    assert_eq!(exam(&h).session.current, 3);
    press(&mut h, Key::ArrowRight);
    assert_eq!(exam(&h).session.current, 4);
    let s = &exam(&h).session;
    assert_eq!(s.answered_count(h.state().bank(&s.bank_id).unwrap()), 6);
    assert!(s.states[1].flagged);

    // R opens the review page, Escape goes back, R again.
    press(&mut h, Key::R);
    assert!(exam(&h).reviewing);
    h.get_by_label("6 of 6 questions answered.");
    h.get_by_label("Flagged for review (1)");
    press(&mut h, Key::Escape);
    assert!(!exam(&h).reviewing);
    press(&mut h, Key::R);
    assert!(exam(&h).reviewing);

    // Tab to Submit, Enter: the results.
    tab_to(&mut h, "Submit exam");
    press(&mut h, Key::Enter);
    match &h.state().screen {
        Screen::Results(r) => assert_eq!(r.report.total, 6),
        _ => panic!("not on the results screen"),
    }
    h.get_by_label_contains("Score: ");
}

#[test]
fn ctrl_enter_submits_only_from_the_review_page() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    h.run();
    tab_to(&mut h, "Practice Mini test bank");
    press(&mut h, Key::Enter);
    tab_to(&mut h, "Start exam");
    press(&mut h, Key::Enter);
    press(&mut h, Key::Num1);
    // On a question Ctrl+Enter does nothing.
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Enter);
    h.run();
    assert!(exam(&h).session.is_open());
    press(&mut h, Key::R);
    h.get_by_label_contains("Ctrl+Enter submits");
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Enter);
    h.run();
    assert!(matches!(h.state().screen, Screen::Results(_)));
    h.get_by_label_contains("of 6 correct");
}

#[test]
fn the_app_icon_is_a_square_png_and_window_state_lives_in_the_data_folder() {
    let icon = eframe::icon_data::from_png_bytes(certprep::ui::APP_ICON_PNG).unwrap();
    assert_eq!((icon.width, icon.height), (256, 256));
    // Transparent corners, an opaque middle.
    let alpha = |x: u32, y: u32| icon.rgba[((y * icon.width + x) * 4 + 3) as usize];
    assert_eq!(alpha(0, 0), 0);
    assert_eq!(alpha(128, 128), 255);
    let data = std::path::Path::new("/some/data");
    assert!(certprep::ui::window_state_file(data).starts_with(data));
}

#[test]
fn the_dashboard_follows_the_bank_last_practised_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let banks = common::repo().join("question-banks");
    let open = |data: &std::path::Path| {
        common::harness_with(banks.clone(), data, egui::vec2(1100.0, 900.0))
    };
    let mut h = open(dir.path());
    h.run();
    h.get_by_label("Readiness · CETL-style practice bank");
    // An exam on the second bank, left half-way: Home now shows that bank.
    common::start_exam(&mut h, "School IT technician fundamentals");
    h.get_by_label("Save and leave").click();
    h.run();
    h.get_by_label("Readiness · School IT technician fundamentals");
    drop(h);

    // Reopened on the same data folder, the dashboard is still on it.
    let mut h = open(dir.path());
    h.run();
    h.get_by_label("Readiness · School IT technician fundamentals");
    // Picking the other bank by hand is remembered the same way.
    h.get_by_label("Dashboard for CETL-style practice bank")
        .click();
    h.run();
    drop(h);
    let mut h = open(dir.path());
    h.run();
    h.get_by_label("Readiness · CETL-style practice bank");
}

/// Scroll the widget labelled `label` (or, with `contains`, whose label contains it) into
/// view and assert it lies inside the window: reachable with the mouse, not cut off.
fn assert_reachable(h: &mut Harness<'_, CertprepApp>, what: &str, label: &str, contains: bool) {
    let node = if contains {
        h.get_by_label_contains(label)
    } else {
        h.get_by_label(label)
    };
    node.scroll_to_me();
    h.run();
    let rect = if contains {
        h.get_by_label_contains(label).rect()
    } else {
        h.get_by_label(label).rect()
    };
    let screen = h.ctx.content_rect();
    assert!(
        screen.expand(0.5).contains_rect(rect) && rect.width() > 0.0,
        "{what}: \"{label}\" at {rect:?} is outside the window {screen:?}"
    );
}

/// Scroll the widget into view and click it, as a user with the mouse would.
fn tap(h: &mut Harness<'_, CertprepApp>, label: &str, contains: bool) {
    let node = if contains {
        h.get_by_label_contains(label)
    } else {
        h.get_by_label(label)
    };
    node.scroll_to_me();
    h.run();
    if contains {
        h.get_by_label_contains(label).click();
    } else {
        h.get_by_label(label).click();
    }
    h.run();
}

/// Every screen at 100%, 150% and 200% text, in a small (1024×600) and a large (1920×1080)
/// window: each screen's main actions can be scrolled into the window, none is cut off
/// or left beyond an edge it cannot be scrolled from.
#[test]
fn every_screen_keeps_its_actions_reachable_at_any_text_size_and_window_size() {
    use certprep::ui::{Command, ExamCmd, SetupCmd, SetupForm};
    let dir = tempfile::tempdir().unwrap();
    let banks = common::repo().join("question-banks");
    let cetl = certprep::bank::load_bank(&banks.join("cetl")).unwrap();
    {
        // History to show: one mock exam sat (ten answers), another left unfinished.
        let mut h = common::harness_with(banks.clone(), dir.path(), egui::vec2(1100.0, 800.0));
        h.run();
        for finish in [true, false] {
            h.state_mut().push(
                SetupCmd::Start(SetupForm {
                    bank_id: "cetl".into(),
                    questions: 100,
                    minutes: 120,
                    mode: certprep::exam::Mode::Exam,
                    seed: Some(7),
                })
                .into(),
            );
            h.run();
            for _ in 0..10 {
                h.key_press(Key::Num1);
                h.run();
                h.key_press(Key::N);
                h.run();
            }
            let cmd = if finish {
                ExamCmd::Submit
            } else {
                ExamCmd::SaveAndLeave
            };
            h.state_mut().push(cmd.into());
            h.run();
        }
    }
    for size in [egui::vec2(1024.0, 600.0), egui::vec2(1920.0, 1080.0)] {
        for zoom in [1.0, 1.5, 2.0] {
            let mut h = common::harness_with(banks.clone(), dir.path(), size);
            h.state_mut().push(Command::SetZoom(zoom));
            h.run();
            if !matches!(h.state().screen, Screen::Home) {
                h.state_mut().push(Command::GoHome);
                h.run();
            }
            let at =
                |screen: &str| format!("{screen} at {}% in {}×{}", zoom * 100.0, size.x, size.y);

            let home = at("Home");
            for label in [
                "Practice CETL-style practice bank",
                "Practice School IT technician fundamentals",
                "Mock exam CETL-style practice bank",
                "Resume exam",
                "Discard…",
                "Save plan",
            ] {
                assert_reachable(&mut h, &home, label, false);
            }
            assert_reachable(&mut h, &home, "Study now:", true);
            assert_reachable(&mut h, &home, "Review #", true);
            for d in &cetl.manifest.domains {
                assert_reachable(&mut h, &home, &format!("Study {} only", d.name), false);
            }
            // By keyboard too: Tab scrolls the focused widget into view.
            h.get_by_label("Practice CETL-style practice bank")
                .scroll_to_me();
            h.run();
            let last = cetl.manifest.domains.last().unwrap();
            let label = format!("Study {} only", last.name);
            tab_to(&mut h, &label);
            let r = h.get_by_label(&label).rect();
            let screen = h.ctx.content_rect();
            assert!(
                screen.contains_rect(r),
                "{home}: Tab to {label:?} left it at {r:?}"
            );

            tap(&mut h, "Resume exam", false);
            let exam = at("Exam");
            let first = {
                let Screen::Exam(v) = &h.state().screen else {
                    panic!("{exam}: not on the exam screen")
                };
                common::option_label(
                    &h,
                    &v.session.items[v.session.current],
                    &v.session.items[v.session.current].option_order[0],
                )
            };
            for label in [
                "Previous",
                "Next",
                "Flag for review",
                "Review and submit",
                "Save and leave",
                &first,
            ] {
                assert_reachable(&mut h, &exam, label, false);
            }
            tap(&mut h, "Review and submit", false);
            let review = at("Review page");
            for label in [
                "Return to the exam",
                "Submit exam",
                "Save and leave",
                "Unanswered (90)",
            ] {
                assert_reachable(&mut h, &review, label, false);
            }
            tap(&mut h, "Save and leave", false);

            tap(&mut h, "Practice CETL-style practice bank", false);
            let setup = at("Setup");
            for label in [
                "Start exam",
                "Back",
                "Question bank",
                "All areas",
                "No area",
                "Questions",
                "Save as preset",
            ] {
                assert_reachable(&mut h, &setup, label, false);
            }
            for label in [
                "Weakest first (",
                "Managing Technology and Support Resources (",
                "Data Management (",
            ] {
                assert_reachable(&mut h, &setup, label, true);
            }
            tap(&mut h, "Back", false);

            tap(&mut h, "Study now:", true);
            let study = at("Study");
            for label in ["Check answer", "Stop for now"] {
                assert_reachable(&mut h, &study, label, false);
            }
            tap(&mut h, "Stop for now", false);

            tap(&mut h, "Review #", true);
            let results = at("Results");
            for label in ["Home", "New session"] {
                assert_reachable(&mut h, &results, label, false);
            }
            assert_reachable(&mut h, &results, "Practice the ", true);
            assert_reachable(&mut h, &results, "Retake the wrong and flagged ones", true);
            assert_reachable(&mut h, &results, "Wrong (", true);
            tap(&mut h, "Home", false);

            tap(&mut h, "History", false);
            let history = at("History");
            assert_reachable(&mut h, &history, "Review #", true);
            assert_reachable(&mut h, &history, "Settings", false);

            tap(&mut h, "Settings", false);
            let settings = at("Settings");
            for label in [
                "Back up now",
                "Open folder",
                "Export history",
                "Import history",
            ] {
                assert_reachable(&mut h, &settings, label, false);
            }
            tap(&mut h, "Study group", false);
            let group = at("Study group");
            for label in [
                "Open exam pack",
                "Use folder",
                "Add result",
                "Choose the group folder",
            ] {
                assert_reachable(&mut h, &group, label, false);
            }
            tap(&mut h, "Questions", false);
            let questions = at("Questions");
            assert_reachable(
                &mut h,
                &questions,
                certprep::ui::browse::SEARCH_LABEL,
                false,
            );
            assert_reachable(&mut h, &questions, "Showing ", true);
            tap(&mut h, &cetl.questions[0].id, true);
            for label in ["Back to the list", "Your history with this question"] {
                assert_reachable(&mut h, &questions, label, false);
            }
            tap(&mut h, "Back to the list", false);
            tap(&mut h, "Import", false);
            let import = at("Import");
            for label in ["Preview", "Choose a GIFT, Moodle XML or CSV file"] {
                assert_reachable(&mut h, &import, label, false);
            }
            tap(&mut h, "Home", false);
        }
    }
}

/// The pass mark is the learner's assumption (the real exam's raw cut is not published):
/// Home says so next to the chance of passing, Settings changes it per bank (refusing what is
/// not a percentage), and readiness and new exams follow it.
#[test]
fn the_pass_mark_is_set_per_bank_and_said_to_be_an_assumption() {
    let dir = tempfile::tempdir().unwrap();
    {
        // One answer, so Home shows a prediction.
        let store = certprep::store::Store::open_in(dir.path()).unwrap();
        let r = certprep::srs::Scheduler::new(0.9).review(
            certprep::srs::ReviewOrigin::study("mini"),
            "plan-1",
            None,
            certprep::srs::Rating::Good,
            chrono::Utc::now(),
        );
        store.record_review(&r).unwrap();
    }
    let mut h = harness(dir.path());
    h.run();
    let caveat = |mark: &str| {
        format!(
            "Pass mark {mark} (your assumption; the real exam's cut is not published). Change \
             it in Settings."
        )
    };
    h.get_by_label(&caveat("50%"));
    let pass_mark = |h: &Harness<'_, CertprepApp>| {
        h.state()
            .home
            .dashboard
            .as_ref()
            .expect("the mini bank's dashboard")
            .report
            .readiness
            .pass_mark
    };
    assert_eq!(pass_mark(&h), 0.5);

    h.get_by_label("Settings").click();
    h.run();
    let field = "Pass mark for Mini test bank (%)";
    let type_into = |h: &mut Harness<'_, CertprepApp>, text: &str| {
        // Scrolled into view first, as a user would: a notice bar above can push it down.
        h.get_by_label(field).scroll_to_me();
        h.run();
        h.get_by_label(field).click();
        h.run();
        h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
        h.get_by_label(field).type_text(text);
        h.run();
        h.get_by_label("Save the pass mark for Mini test bank")
            .scroll_to_me();
        h.run();
        h.get_by_label("Save the pass mark for Mini test bank")
            .click();
        h.run();
    };
    let stored = |h: &Harness<'_, CertprepApp>| {
        let store = h.state().store.as_ref().expect("database open");
        store.pass_mark("mini").expect("setting read")
    };
    // Not a percentage: a clear message, nothing stored, the text kept to correct.
    type_into(&mut h, "seventy");
    let notice = h.state().notice.clone().expect("a message");
    assert!(
        notice.text.contains("\"seventy\" is not a pass mark"),
        "{notice:?}"
    );
    assert_eq!(stored(&h), None);
    type_into(&mut h, "150");
    assert!(
        h.state()
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("from 1 to 100")
    );
    assert_eq!(stored(&h), None);
    type_into(&mut h, "72.5%");
    assert_eq!(stored(&h), Some(72.5));

    h.get_by_label("Home").click();
    h.run();
    h.get_by_label(&caveat("72.5%"));
    assert_eq!(pass_mark(&h), 0.725);
    // A mock exam started now is marked against it.
    common::start_exam(&mut h, "Mini test bank");
    common::review_and_submit(&mut h);
    h.get_by_label("— pass mark 72.5% (your assumption; the real exam's cut is not published)");

    // Back to the bank's own.
    h.get_by_label("Home").click();
    h.run();
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label("Use the bank's 50% for Mini test bank")
        .click();
    h.run();
    assert_eq!(stored(&h), None);
    h.get_by_label("Home").click();
    h.run();
    assert_eq!(pass_mark(&h), 0.5);
}
