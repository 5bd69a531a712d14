//! The session builder's core over a real SQLite store in a temp dir with hand-made history:
//! every filter, the blueprint split within chosen areas, short areas, presets and the draw.

use certprep::bank::{Bank, load_bank};
use certprep::exam::{ExamItem, ItemState, Mode};
use certprep::session::{
    FilterCounts, History, Preset, QuestionFilter, SessionPlan, Timing, describe, draw,
    shortfall_note, split,
};
use certprep::srs::{Rating, ReviewOrigin, Scheduler};
use certprep::store::{NewAttempt, Store};
use chrono::{DateTime, Duration as Days, TimeZone, Utc};
use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

mod common;

fn mini() -> Bank {
    load_bank(&common::fixture_banks().join("mini")).unwrap()
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 18, 0, 0).unwrap()
}

fn areas(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

/// Mock-exam answers (right = Good, wrong = Again, as an exam records them), in order, a
/// minute apart from `t0`.
fn answer(store: &Store, answers: &[(&str, bool)]) {
    let scheduler = Scheduler::new(0.9);
    for (i, (qid, ok)) in answers.iter().enumerate() {
        let cards = store.load_cards("mini").unwrap();
        let rating = if *ok { Rating::Good } else { Rating::Again };
        let r = scheduler.review(
            ReviewOrigin::exam("mini", 1),
            qid,
            cards.get(*qid),
            rating,
            t0() + Days::minutes(i as i64),
        );
        store.record_review(&r).unwrap();
    }
}

/// An attempt of `bank_id` holding `items`, with the positions in `flags` flagged.
fn attempt_with_flags(store: &mut Store, bank_id: &str, items: &[&str], flags: &[usize]) {
    let items: Vec<ExamItem> = items
        .iter()
        .map(|q| ExamItem {
            question_id: q.to_string(),
            option_order: vec!["a".into(), "b".into()],
        })
        .collect();
    let id = store
        .create_attempt(&NewAttempt {
            bank_id,
            bank_version: "t1",
            mode: Mode::Exam,
            seed: 1,
            pass_percent: 50.0,
            time_limit: Some(Duration::from_secs(600)),
            items: &items,
            pack_id: None,
            title: None,
            practice: false,
        })
        .unwrap();
    for &pos in flags {
        let state = ItemState {
            flagged: true,
            ..ItemState::default()
        };
        store
            .save_item(id, pos, &state, Duration::ZERO, pos)
            .unwrap();
    }
}

/// The mini bank's history: five questions answered (two wrong last time, one of them right
/// before; one wrong first and right since), two flagged, one bookmarked and one bookmark
/// removed, one flag in another bank.
fn history_store(dir: &std::path::Path) -> Store {
    let mut store = Store::open_in(dir).unwrap();
    answer(
        &store,
        &[
            ("plan-1", true),
            ("plan-2", false),
            ("ops-1", true),
            ("ops-2", false),
            ("data-1", true),
            ("ops-1", false),
            ("ops-2", true),
        ],
    );
    attempt_with_flags(&mut store, "mini", &["plan-3", "data-2", "plan-1"], &[0, 2]);
    attempt_with_flags(&mut store, "other", &["ops-3"], &[0]);
    store.set_bookmark("mini", "plan-4", true).unwrap();
    store.set_bookmark("mini", "ops-3", true).unwrap();
    store.set_bookmark("mini", "ops-3", false).unwrap();
    store
}

fn matching(bank: &Bank, history: &History, filter: QuestionFilter) -> BTreeSet<String> {
    bank.questions
        .iter()
        .filter(|q| history.matches(filter, &q.id))
        .map(|q| q.id.clone())
        .collect()
}

#[test]
fn every_filter_finds_exactly_its_questions() {
    let dir = tempfile::tempdir().unwrap();
    let store = history_store(dir.path());
    let bank = mini();
    let soon = History::load(&store, "mini", t0() + Days::minutes(8)).unwrap();
    let set = |ids: &[&str]| areas(ids);
    assert_eq!(matching(&bank, &soon, QuestionFilter::All).len(), 10);
    assert_eq!(
        matching(&bank, &soon, QuestionFilter::Unseen),
        set(&["plan-3", "plan-4", "plan-5", "ops-3", "data-2"])
    );
    // Latest answer wrong: plan-2, and ops-1 (right, then wrong); not ops-2 (wrong, then right).
    assert_eq!(
        matching(&bank, &soon, QuestionFilter::Missed),
        set(&["plan-2", "ops-1"])
    );
    // Flagged in any attempt of this bank, answered or not; the other bank's flag is not.
    assert_eq!(
        matching(&bank, &soon, QuestionFilter::Flagged),
        set(&["plan-3", "plan-1"])
    );
    assert_eq!(
        matching(&bank, &soon, QuestionFilter::Bookmarked),
        set(&["plan-4"])
    );
    // Minutes after the answers only the wrong ones are due (an exam's wrong answer is due
    // at once, a right one days later); a year on, every answered question is.
    assert_eq!(
        matching(&bank, &soon, QuestionFilter::Due),
        set(&["plan-2", "ops-1"])
    );
    let later = History::load(&store, "mini", t0() + Days::days(365)).unwrap();
    assert_eq!(
        matching(&bank, &later, QuestionFilter::Due),
        set(&["plan-1", "plan-2", "ops-1", "ops-2", "data-1"])
    );
    assert_eq!(
        matching(&bank, &soon, QuestionFilter::Weakest),
        set(&["plan-1", "plan-2", "ops-1", "ops-2", "data-1"])
    );

    // The counts per area agree with the sets, and add up over chosen areas.
    let counts = FilterCounts::count(&bank, &soon);
    for f in QuestionFilter::EVERY {
        let set = matching(&bank, &soon, f);
        for d in &bank.manifest.domains {
            let in_area = set
                .iter()
                .filter(|q| bank.question(q).unwrap().domain == d.id)
                .count();
            assert_eq!(counts.in_area(f, &d.id), in_area, "{f:?} in {}", d.id);
        }
        assert_eq!(
            counts.in_areas(f, &areas(&["plan", "ops", "data"])),
            set.len()
        );
    }
    assert_eq!(
        counts.in_areas(QuestionFilter::Unseen, &areas(&["ops", "data"])),
        2
    );

    // No history at all: everything is unseen and nothing else matches.
    let empty = FilterCounts::count(&bank, &History::empty(t0()));
    let all = areas(&["plan", "ops", "data"]);
    assert_eq!(empty.in_areas(QuestionFilter::Unseen, &all), 10);
    for f in [
        QuestionFilter::Missed,
        QuestionFilter::Flagged,
        QuestionFilter::Bookmarked,
        QuestionFilter::Due,
        QuestionFilter::Weakest,
    ] {
        assert_eq!(empty.in_areas(f, &all), 0, "{f:?}");
    }
}

/// "Weakest first" draws the wrong-last-time questions before any other, area by area.
#[test]
fn weakest_takes_the_wrong_ones_first_and_fills_a_short_area_from_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let store = history_store(dir.path());
    let bank = mini();
    let history = History::load(&store, "mini", t0() + Days::minutes(8)).unwrap();
    let ids = |d: &certprep::session::Draw| -> BTreeSet<String> {
        d.items.iter().map(|i| i.question_id.clone()).collect()
    };
    let plan = SessionPlan {
        areas: areas(&["plan", "ops"]),
        filter: QuestionFilter::Weakest,
        questions: 2,
    };
    // 2 by weight 50:30 is 1 and 1: each area's weakest.
    let d = draw(&bank, &plan, &history, 1);
    assert_eq!(ids(&d), areas(&["plan-2", "ops-1"]));

    // 4 by weight is 3 and 1 (2.5 and 1.5, the tie to the first), but Planning has only two
    // answered questions: Operations makes up the difference.
    let plan = SessionPlan {
        questions: 4,
        ..plan
    };
    let counts = FilterCounts::count(&bank, &history);
    let shares = split(&bank, &plan, &counts);
    let got: Vec<(&str, usize, usize, usize)> = shares
        .iter()
        .map(|s| (s.domain.as_str(), s.by_weight, s.available, s.drawn))
        .collect();
    assert_eq!(got, vec![("plan", 3, 2, 2), ("ops", 1, 2, 2)]);
    let d = draw(&bank, &plan, &history, 1);
    assert_eq!(d.shares, shares, "the preview and the draw split alike");
    assert_eq!(ids(&d), areas(&["plan-1", "plan-2", "ops-1", "ops-2"]));
    let note = shortfall_note(&bank, &d.shares).unwrap();
    assert_eq!(
        note,
        "Planning has 2 of its 3: the other chosen areas make up the difference by weight."
    );
}

/// The CETL bank's Ethics (10) and Data Management (7): 30 questions split 18 and 12, and
/// the draw holds exactly that many of each, nothing from another area.
#[test]
fn blueprint_weights_hold_within_the_chosen_areas() {
    let bank = load_bank(&common::repo().join("question-banks/cetl")).unwrap();
    let chosen = areas(&["ethics-policies", "data-management"]);
    let plan = SessionPlan {
        areas: chosen.clone(),
        filter: QuestionFilter::All,
        questions: 30,
    };
    let history = History::empty(Utc::now());
    let d = draw(&bank, &plan, &history, 42);
    assert_eq!(d.items.len(), 30);
    let mut per_area: HashMap<String, usize> = HashMap::new();
    for item in &d.items {
        *per_area
            .entry(bank.question(&item.question_id).unwrap().domain.clone())
            .or_default() += 1;
    }
    assert_eq!(per_area.len(), 2);
    assert_eq!(per_area["ethics-policies"], 18);
    assert_eq!(per_area["data-management"], 12);
    assert!(shortfall_note(&bank, &d.shares).is_none());

    // The same seed draws the same session; another seed another one.
    assert_eq!(draw(&bank, &plan, &history, 42), d);
    assert_ne!(draw(&bank, &plan, &history, 43).items, d.items);

    // The whole bank with no filter is the mock exam: the same split as the blueprint.
    let every: BTreeSet<String> = bank.manifest.domains.iter().map(|d| d.id.clone()).collect();
    let plan = SessionPlan {
        areas: every,
        filter: QuestionFilter::All,
        questions: 50,
    };
    let bp = certprep::exam::Blueprint::for_bank(&bank, 50);
    let shares = split(&bank, &plan, &FilterCounts::count(&bank, &history));
    for s in &shares {
        assert_eq!(s.drawn, bp.count_for(&s.domain), "{}", s.domain);
    }
}

/// A filter that leaves too few questions everywhere: the session is shorter and says so.
#[test]
fn a_filter_with_too_few_questions_draws_what_it_has_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let store = history_store(dir.path());
    let bank = mini();
    let history = History::load(&store, "mini", t0() + Days::minutes(8)).unwrap();
    let plan = SessionPlan {
        areas: areas(&["plan", "ops", "data"]),
        filter: QuestionFilter::Unseen,
        questions: 6,
    };
    let d = draw(&bank, &plan, &history, 3);
    assert_eq!(d.items.len(), 5);
    assert!(
        d.items
            .iter()
            .all(|i| history.matches(plan.filter, &i.question_id))
    );
    let note = shortfall_note(&bank, &d.shares).unwrap();
    assert_eq!(
        note,
        "Operations has 1 of its 2: the filter finds only 5 questions in the chosen areas."
    );
    // Nothing at all to draw.
    let plan = SessionPlan {
        areas: areas(&["data"]),
        filter: QuestionFilter::Bookmarked,
        questions: 3,
    };
    assert!(draw(&bank, &plan, &history, 3).items.is_empty());
}

#[test]
fn presets_round_trip_travel_and_survive_a_changed_bank() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in(dir.path()).unwrap();
    let bank = mini();
    let plan = SessionPlan {
        areas: areas(&["ops", "data"]),
        filter: QuestionFilter::Unseen,
        questions: 4,
    };
    let timing = Timing::Timed { minutes: 7 };
    let name = describe(&bank, &plan, timing);
    assert_eq!(name, "4 unseen, Technology, timed 7 min");
    let preset = Preset {
        name: name.clone(),
        areas: plan.areas.iter().cloned().collect(),
        filter: plan.filter,
        questions: plan.questions,
        timing,
    };
    store.save_preset("mini", &preset).unwrap();
    let tutor = Preset {
        name: "  Ethics drill / tutor  ".into(),
        areas: vec!["plan".into(), "retired-area".into()],
        filter: QuestionFilter::Missed,
        questions: 10,
        timing: Timing::Tutor,
    };
    store.save_preset("mini", &tutor).unwrap();
    store.save_preset("other", &preset).unwrap();

    let list = store.presets("mini").unwrap();
    assert!(list.unreadable.is_empty());
    let names: Vec<&str> = list.presets.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        vec!["4 unseen, Technology, timed 7 min", "Ethics drill / tutor"]
    );
    assert_eq!(list.presets[0], preset);
    assert_eq!(list.presets[0].plan(), plan);

    // Saved again under the same name: replaced, not doubled.
    store
        .save_preset(
            "mini",
            &Preset {
                questions: 3,
                ..preset.clone()
            },
        )
        .unwrap();
    let list = store.presets("mini").unwrap();
    assert_eq!(list.presets.len(), 2);
    assert_eq!(list.presets[0].questions, 3);

    // An area the bank no longer has is dropped with a message, the rest still applies.
    let (fitted, note) = list.presets[1].fit_to(&bank);
    assert_eq!(fitted.areas, vec!["plan".to_string()]);
    assert_eq!(
        note.unwrap(),
        "Preset \"Ethics drill / tutor\": skill area retired-area is no longer in Mini test bank and is left out; the rest of the preset still applies."
    );
    assert_eq!(list.presets[0].fit_to(&bank).1, None);

    // Deleted: gone from the list, kept as a stamped empty value so the deletion travels.
    store.delete_preset("mini", "Ethics drill / tutor").unwrap();
    let list = store.presets("mini").unwrap();
    assert_eq!(list.presets.len(), 1);
    assert_eq!(store.presets("other").unwrap().presets.len(), 1);
    assert!(certprep::store::sync::synced_setting(
        "preset:mini/Ethics drill / tutor"
    ));

    // A value this version cannot read (a later certprep's) is listed by name, not lost.
    store
        .connection()
        .execute(
            "INSERT INTO settings (key, value) VALUES ('preset:mini/future', '{\"filter\":\"hard\"}')",
            [],
        )
        .unwrap();
    let list = store.presets("mini").unwrap();
    assert_eq!(list.presets.len(), 1);
    assert_eq!(list.unreadable, vec!["future".to_string()]);

    // Names that cannot be kept are refused with a reason.
    for bad in ["   ", "two\nlines", &"x".repeat(81)] {
        let p = Preset {
            name: bad.to_string(),
            ..preset.clone()
        };
        let e = store.save_preset("mini", &p).unwrap_err().to_string();
        assert!(e.contains("preset"), "{e}");
    }
}
