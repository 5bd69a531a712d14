//! "Report a problem with this question" through egui_kittest over a real data folder: on
//! Study after checking an answer, on Results' question review, Esc to cancel, the CSV from
//! Settings, and a study-group member's report reaching the facilitator's group screen.

use certprep::group::MemberResult;
use certprep::reports::ReportKind;
use certprep::store::Store;
use certprep::ui::{CertprepApp, Screen};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::Path;

mod common;

fn harness(data: &Path) -> Harness<'static, CertprepApp> {
    common::harness_with(common::fixture_banks(), data, egui::vec2(1200.0, 1400.0))
}

fn reports(h: &Harness<'_, CertprepApp>) -> Vec<certprep::store::reports::QuestionReport> {
    h.state().store.as_ref().unwrap().reports().unwrap()
}

fn type_into(h: &mut Harness<'_, CertprepApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

const DETAILS: &str = "Details (optional): what is wrong, and what would be right";

#[test]
fn report_a_problem_on_study_after_checking_an_answer() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    let (qid, first) = common::study_first_question(&mut h);
    // No report button before the answer is checked.
    assert!(h.query_by_label("Report a problem…").is_none());
    h.get_by_label(&first).click();
    h.run();
    h.get_by_label("Check answer").click();
    h.run();
    h.get_by_label("Report a problem…").click();
    h.run();
    h.get_by_label("Report a problem with this question");
    h.get_by_label("Unclear wording").click();
    h.run();
    // While the dialog is open the study keys (1–3 rate, Enter continues) are typing: Enter
    // in the text box is a new line, not a rating.
    type_into(&mut h, DETAILS, "Option 3 and option 1 both fit");
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("Report a problem with this question");
    h.get_by_label_contains("0 done");
    h.get_by_label("Send report").click();
    h.run();

    assert!(
        h.query_by_label("Send report").is_none(),
        "the dialog closed"
    );
    h.get_by_label_contains("Report saved");
    h.get_by_label("You reported this question (unclear wording)");
    let saved = reports(&h);
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].question_id, qid);
    assert_eq!(saved[0].bank_id, "mini");
    assert_eq!(saved[0].kind, ReportKind::Unclear);
    assert_eq!(saved[0].text, "Option 3 and option 1 both fit\n".trim());
    // The session goes on: still on the same, unrated question.
    h.get_by_label_contains("0 done");
}

#[test]
fn report_on_results_esc_cancels_and_settings_exports_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut h = harness(&data);
    h.run();
    let qid = common::results_with_first_question_open(&mut h);
    h.get_by_label("Report a problem…").click();
    h.run();
    type_into(&mut h, DETAILS, "never mind");
    // Esc cancels: nothing saved, the dialog gone.
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.query_by_label("Send report").is_none());
    assert!(reports(&h).is_empty());
    assert!(
        h.query_by_label_contains("You reported this question")
            .is_none()
    );
    // Cancel does the same.
    h.get_by_label("Report a problem…").click();
    h.run();
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.query_by_label("Send report").is_none());
    assert!(reports(&h).is_empty());

    // Now a real one.
    h.get_by_label("Report a problem…").click();
    h.run();
    h.get_by_label("Outdated fact").click();
    h.run();
    type_into(
        &mut h,
        DETAILS,
        "=The 2024 rule replaced this, \"see\" section 4, line 2",
    );
    h.get_by_label("Send report").click();
    h.run();
    h.get_by_label("You reported this question (outdated fact)");
    h.get_by_label_contains("Report saved");
    assert_eq!(reports(&h)[0].question_id, qid);

    // Reopened later, Results still says so.
    let attempt = {
        let Screen::Results(v) = &h.state().screen else {
            panic!("not on the results screen")
        };
        v.session.attempt_id
    };
    drop(h);
    // Tall enough that Settings' last section is in the window.
    let mut h = common::harness_with(common::fixture_banks(), &data, egui::vec2(1200.0, 4000.0));
    h.run();
    h.state_mut()
        .push(certprep::ui::Command::ShowResults(attempt));
    h.run();
    h.get_by_label_contains("1. Unanswered").click();
    h.run();
    h.get_by_label("You reported this question (outdated fact)");

    // Settings → Question reports → the CSV, formula-safe, in the data folder by default.
    h.state_mut().push(certprep::ui::Command::OpenSettings);
    h.run();
    h.get_by_label("Export question reports…").click();
    h.run();
    h.get_by_label_contains("Wrote 1 question report to");
    let csv = std::fs::read_to_string(data.join("question-reports.csv")).unwrap();
    let mut rd = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        rd.headers().unwrap().iter().collect::<Vec<_>>(),
        ["bank", "question id", "area", "kind", "text", "reported at"]
    );
    let row: Vec<String> = rd
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    let bank = common::group::mini();
    let q = bank.question(&qid).unwrap();
    assert_eq!(row[0], "mini");
    assert_eq!(row[1], qid);
    assert_eq!(row[2], bank.domain_name(&q.domain));
    assert_eq!(row[3], "outdated_fact");
    assert_eq!(
        row[4],
        "'=The 2024 rule replaced this, \"see\" section 4, line 2"
    );

    // And the command line writes the same file.
    drop(h);
    let out = dir.path().join("cli.csv");
    let o = common::certprep(&[
        "--data-dir",
        common::s(&data),
        "--banks",
        common::s(&common::fixture_banks()),
        "reports",
        "export",
        "--out",
        common::s(&out),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), csv);
    assert!(String::from_utf8_lossy(&o.stderr).contains("wrote 1 question report"));
}

#[test]
fn a_members_report_travels_in_the_result_to_the_group_screen() {
    let dir = tempfile::tempdir().unwrap();
    let bank = common::group::mini();
    let pack = common::group::spring_mock(false);
    let folder = dir.path().join("group");
    std::fs::create_dir_all(&folder).unwrap();
    let pack_file = folder.join(pack.file_name());
    std::fs::write(&pack_file, pack.to_json()).unwrap();
    let second = pack.items[1].question_id.clone();

    // The member: a report made earlier in Study on a pack question, and one made on the
    // Results of the pack itself; one on a question outside the pack stays at home.
    let member_data = dir.path().join("member");
    {
        let store = Store::open_in(&member_data).unwrap();
        let outside = bank
            .questions
            .iter()
            .find(|q| !pack.items.iter().any(|i| i.question_id == q.id))
            .unwrap();
        for (qid, kind, text) in [
            (second.as_str(), ReportKind::Typo, "\"adress\" in option B"),
            (outside.id.as_str(), ReportKind::Other, "not in the pack"),
        ] {
            store
                .add_report(
                    &certprep::store::reports::NewReport {
                        bank_id: "mini",
                        question_id: qid,
                        kind,
                        text,
                    },
                    chrono::Utc::now(),
                )
                .unwrap();
        }
    }
    let mut h = harness(&member_data);
    h.run();
    h.get_by_label("Study group").click();
    h.run();
    type_into(&mut h, "Exam pack file", &pack_file.display().to_string());
    h.get_by_label("Open exam pack").click();
    h.run();
    h.get_by_label("Start pack exam").click();
    h.run();
    common::review_and_submit(&mut h);
    h.get_by_label("Results — Spring mock");
    h.get_by_label_contains("1. Unanswered").click();
    h.run();
    h.get_by_label("Report a problem…").click();
    h.run();
    h.get_by_label("Wrong answer key").click();
    h.run();
    type_into(&mut h, DETAILS, "Two options are right");
    h.get_by_label("Send report").click();
    h.run();
    h.get_by_label("You reported this question (wrong answer key)");
    type_into(&mut h, "Your name", "Alice");
    h.get_by_label("Export result…").click();
    h.run();
    h.get_by_label_contains("Result saved to");
    drop(h);
    let file = folder.join(format!("{}-alice.certprep-result.json", pack.pack_id));
    let r = MemberResult::load(&file).unwrap();
    let carried: Vec<(&str, ReportKind)> = r
        .reports
        .iter()
        .map(|p| (p.question_id.as_str(), p.kind))
        .collect();
    assert_eq!(
        carried,
        [
            (pack.items[0].question_id.as_str(), ReportKind::WrongKey),
            (second.as_str(), ReportKind::Typo)
        ],
        "the pack's questions only, in pack order"
    );

    // The facilitator, on another data folder, reads the group folder.
    let mut h = harness(&dir.path().join("facilitator"));
    h.run();
    h.get_by_label("Study group").click();
    h.run();
    type_into(&mut h, "Group folder", &folder.display().to_string());
    h.get_by_label("Use folder").click();
    h.run();
    h.get_by_label_contains("1 member, 6 questions");
    h.get_by_label("Problem reports (2 reports)");
    h.get_by_label(&pack.items[0].question_id);
    h.get_by_label("Alice — wrong answer key: Two options are right");
    h.get_by_label("Alice — typo: \"adress\" in option B");
}
