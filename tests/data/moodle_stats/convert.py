#!/usr/bin/env python3
"""Convert Moodle's quiz-statistics test fixtures into certprep's own test data.

The oracle for certprep's group statistics (src/group/stats) is the fixture set Moodle's
quiz statistics report is tested against, in moodle/moodle
`mod/quiz/report/statistics/tests/`:

  fixtures/steps00.csv    the 25 attempts' responses (what each student typed or ticked)
  fixtures/results00.csv  the mark Moodle's question engine gave each response, per slot
  fixtures/qstats00.csv   the expected per-question figures
  stats_from_steps_walkthrough_test.php, check_quiz_stats_for_quiz_00():
                          the expected whole-quiz figures (median, mean, SD, skewness,
                          kurtosis, CIC, error ratio, standard error)

Moodle's own numbers were worked out independently of its code, in a spreadsheet (see the
PHP test's header). Only figures are taken from these files, never code.

What maps and what does not. certprep cannot grade steps00's responses: they are numerical,
short-answer, calculated (10 variants), matching and multiple-response questions, and slot 1
is a random question drawn from two. The statistics, however, are computed from the marks
alone (one mark per attempt per slot), so the marks Moodle gave (results00) are the input
here, and steps00 is read only to check that it holds the same attempts. Left out: the
per-variant and per-sub-question (random question) breakdowns and the response-count
analysis, which certprep has no equivalent of; and all multi-try behaviour (every fixture
attempt is a single, finished attempt, which is what certprep's group results are).

Usage:
  python3 convert.py                 # download the files from GitHub (pinned commits)
  python3 convert.py --from DIR      # read copies already in DIR (same file names)

Writes, beside this script:
  marks00.csv          attempt,q1..q7: each attempt's mark per question (max mark 1 each)
  expected_items00.csv per question: Moodle's expected figures, columns renamed to certprep's
  expected_test00.csv  statistic,value: Moodle's expected whole-quiz figures
"""

import argparse
import csv
import io
import pathlib
import re
import sys
import urllib.request

BASE = "https://raw.githubusercontent.com/moodle/moodle"
# (file name, commit it was read at, path in moodle/moodle)
SOURCES = {
    "steps00.csv": ("29765e6e3b9e210de89a0a03d4929ef2a5a0ef7a",
                    "mod/quiz/report/statistics/tests/fixtures/steps00.csv"),
    "results00.csv": ("c0dfd035c4b0f6c563a55b5fcc0b4f49fd67712b",
                      "mod/quiz/report/statistics/tests/fixtures/results00.csv"),
    "qstats00.csv": ("c0dfd035c4b0f6c563a55b5fcc0b4f49fd67712b",
                     "mod/quiz/report/statistics/tests/fixtures/qstats00.csv"),
    "stats_from_steps_walkthrough_test.php": (
        "038014c415f04583e3abf000533e9c2ffaf86441",
        "mod/quiz/report/statistics/tests/stats_from_steps_walkthrough_test.php"),
}

# Moodle's per-question field -> certprep's ItemStats field.
ITEM_FIELDS = {
    "facility": "facility",
    "sd": "sd",
    "effectiveweight": "effective_weight",
    "covariance": "covariance",
    "markvariance": "mark_variance",
    "othermarkvariance": "other_mark_variance",
    "discriminationindex": "discrimination_index",
    "covariancemax": "covariance_max",
    "discriminativeefficiency": "discriminative_efficiency",
}

# Moodle's whole-quiz field -> certprep's TestStats field. firstattempts* equal allattempts*
# in this fixture (one attempt per student) and certprep has one attempt per member.
TEST_FIELDS = {
    "allattemptscount": "attempts",
    "allattemptsavg": "mean",
    "median": "median",
    "standarddeviation": "sd",
    "skewness": "skewness",
    "kurtosis": "kurtosis",
    "cic": "cic",
    "errorratio": "error_ratio",
    "standarderror": "standard_error",
}


def read_source(name, from_dir):
    if from_dir is not None:
        return (pathlib.Path(from_dir) / name).read_text(encoding="utf-8")
    commit, path = SOURCES[name]
    with urllib.request.urlopen(f"{BASE}/{commit}/{path}", timeout=30) as r:
        return r.read().decode("utf-8")


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def marks(results, steps):
    slots = sorted(int(k.split(".")[1]) for k in results[0] if k.startswith("slots."))
    attempts = [r["quizattempt"] for r in results]
    if attempts != [s["quizattempt"] for s in steps]:
        sys.exit("steps00 and results00 hold different attempts")
    header = ["attempt"] + [f"q{s}" for s in slots]
    body = [[r["quizattempt"]] + [r[f"slots.{s}.mark"] for s in slots] for r in results]
    return header, body


def expected_items(qstats):
    header = ["question"] + list(ITEM_FIELDS.values())
    body = []
    for r in qstats:
        # Rows for a variant or a random question's sub-question are left out (see above).
        if r.get("variant") or r.get("subqname"):
            continue
        body.append([f"q{r['slot']}"] + [r[k] for k in ITEM_FIELDS])
    return header, body


def expected_test(php):
    block = re.search(r"check_quiz_stats_for_quiz_00.*?array\((.*?)\);", php, re.S)
    if not block:
        sys.exit("check_quiz_stats_for_quiz_00's expected array not found")
    found = dict(re.findall(r"'(\w+)'\s*=>\s*(-?[0-9.]+)", block.group(1)))
    return ["statistic", "value"], [[ours, found[theirs]] for theirs, ours in TEST_FIELDS.items()]


def write(path, header, body):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(body)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--from", dest="from_dir", help="directory holding the Moodle files")
    args = ap.parse_args()
    here = pathlib.Path(__file__).resolve().parent
    steps = rows(read_source("steps00.csv", args.from_dir))
    results = rows(read_source("results00.csv", args.from_dir))
    qstats = rows(read_source("qstats00.csv", args.from_dir))
    php = read_source("stats_from_steps_walkthrough_test.php", args.from_dir)
    write(here / "marks00.csv", *marks(results, steps))
    write(here / "expected_items00.csv", *expected_items(qstats))
    write(here / "expected_test00.csv", *expected_test(php))
    print(f"{len(results)} attempts, {len(qstats)} questions written to {here}")


if __name__ == "__main__":
    main()
