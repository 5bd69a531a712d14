mod common;
use certprep::group::ResultReport;
use certprep::reports::ReportKind;
use certprep::srs::{Rating, ReviewOrigin, Scheduler};
use certprep::store::Store;
use std::path::Path;

#[test]
#[ignore]
fn prep() {
    let root = Path::new("/tmp/rshot");
    let bank = common::group::cetl();
    let pack = common::group::county_mock(&bank, 30, 41);
    let folder = root.join("group");
    std::fs::create_dir_all(&folder).unwrap();
    common::group::sit_group(&folder, &pack, &bank, 59, 41, |_, row| {
        let mut row = row.to_vec();
        row[0] = !row[0];
        row
    });
    let mut row = vec![true; 30];
    row[0] = false;
    row[7] = false;
    let r = common::group::result(&pack, &bank, 59, &row)
        .with_reports(vec![ResultReport {
            question_id: pack.items[0].question_id.clone(),
            kind: ReportKind::WrongKey,
            text: "B is also defensible under FERPA's directory-information rule".into(),
            at: chrono::Utc::now(),
        }])
        .unwrap();
    std::fs::write(
        folder.join("member-41-059.certprep-result.json"),
        r.to_json(),
    )
    .unwrap();
    let g = root.join("data-group");
    let store = Store::open_in(&g).unwrap();
    store.set_group_folder(Some(&folder)).unwrap();
    std::fs::write(
        g.join("settings.json"),
        "{\"theme\":\"dark\",\"zoom\":1.0,\"last_screen\":\"home\"}\n",
    )
    .unwrap();
    // A learner with the calibration saved and 14 first tries at calibrated questions.
    let files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    let report =
        certprep::group::GroupReport::from_files(Some(&pack), std::slice::from_ref(&bank), &files);
    let d = root.join("data-home");
    report
        .saved_calibration(chrono::Utc::now())
        .unwrap()
        .save(&d)
        .unwrap();
    let store = Store::open_in(&d).unwrap();
    let s = Scheduler::new(0.9);
    for (i, it) in pack.items.iter().take(14).enumerate() {
        let rating = if i % 3 == 2 {
            Rating::Again
        } else {
            Rating::Good
        };
        store
            .record_review(&s.review(
                ReviewOrigin::study("cetl"),
                &it.question_id,
                None,
                rating,
                chrono::Utc::now() - chrono::Duration::hours(2),
            ))
            .unwrap();
    }
    std::fs::write(
        d.join("settings.json"),
        "{\"theme\":\"dark\",\"zoom\":1.0,\"last_screen\":\"home\"}\n",
    )
    .unwrap();
}
