#!/usr/bin/env python3
"""Golden vectors for certprep's FSRS-6 scheduler, from the reference scheduler py-fsrs.

    python3 -m venv /tmp/pyfsrs && /tmp/pyfsrs/bin/pip install fsrs==6.3.2
    /tmp/pyfsrs/bin/python tests/data/fsrs/make_golden.py > tests/data/fsrs/golden.json

Each scenario is a scheduler configuration (parameters, desired retention, learning and
relearning steps, fuzz off) and a set of cards, each a list of (time, rating) reviews with the
card's state, step, stability, difficulty and due after every one of them. certprep replays
the same ratings at the same times through its scheduler and its store
(tests/srs_golden.rs) and must land on the same values. The review times and ratings are
drawn from a fixed seed: some early, some on time, some late, some twice in a day. A card's
history stops before its stability would pass 36,500 days, where fsrs-rs (and so certprep)
caps it and py-fsrs does not.

The forgetting curve is checked the same way: retrievability of a card at whole-day offsets
(py-fsrs's get_card_retrievability) and, for fractional days, the published formula
R = (1 + F * t / S) ** -d with F = 0.9 ** (-1 / d) - 1, in double precision.
"""

import json
import random
import sys
from datetime import datetime, timedelta, timezone
from importlib.metadata import version

import fsrs
from fsrs import Card, Rating, Scheduler

PY_FSRS_VERSION = "6.3.2"
if version("fsrs") != PY_FSRS_VERSION:
    sys.exit(f"install the pinned reference: pip install fsrs=={PY_FSRS_VERSION}")

T0 = datetime(2026, 1, 5, 9, 0, 0, tzinfo=timezone.utc)
S_MAX = 36500.0

# A parameter set unlike the defaults (every value inside py-fsrs's bounds), standing in for
# one fitted to a learner: a steeper forgetting curve (decay 0.35) and different growth.
FITTED = (
    0.35, 1.8, 3.9, 12.5, 5.8, 0.95, 2.4, 0.02, 1.6, 0.21, 0.9, 1.7, 0.09, 0.31,
    1.4, 0.55, 2.1, 0.6, 0.25, 0.1, 0.35,
)

SCENARIOS = [
    # certprep's defaults: one 10-minute learning step, one 10-minute relearning step.
    dict(name="certprep_defaults", parameters=fsrs.scheduler.DEFAULT_PARAMETERS,
         desired_retention=0.9, learning_steps=[600], relearning_steps=[600], cards=120),
    # Anki's steps (1 m, 10 m), a lower retention and the fitted parameters.
    dict(name="anki_steps_fitted", parameters=FITTED, desired_retention=0.85,
         learning_steps=[60, 600], relearning_steps=[600], cards=60),
    # No steps at all: a new card graduates on its first answer (certprep's rule for a right
    # answer in a mock exam), a lapse stays in review.
    dict(name="no_steps", parameters=fsrs.scheduler.DEFAULT_PARAMETERS,
         desired_retention=0.95, learning_steps=[], relearning_steps=[], cards=40),
]

RATING_WEIGHTS = [(Rating.Again, 0.17), (Rating.Hard, 0.13), (Rating.Good, 0.6), (Rating.Easy, 0.1)]


def iso(t):
    return t.isoformat().replace("+00:00", "Z")


def draw_rating(rng):
    x = rng.random()
    for rating, w in RATING_WEIGHTS:
        if x < w:
            return rating
        x -= w
    return Rating.Good


def next_time(rng, card, now):
    """When the learner comes back: mostly at or a little after the due time, sometimes
    early (same day or before due), sometimes days late."""
    due = card.due
    x = rng.random()
    if x < 0.6:
        return max(due, now) + timedelta(minutes=rng.randint(0, 600))
    if x < 0.75:
        # early: anywhere between a few minutes after the last review and the due time
        span = max((due - now).total_seconds(), 300)
        return now + timedelta(seconds=rng.randint(120, int(span)))
    return max(due, now) + timedelta(days=rng.randint(1, 25), minutes=rng.randint(0, 900))


def scenario(spec, rng):
    sched = Scheduler(
        parameters=spec["parameters"],
        desired_retention=spec["desired_retention"],
        learning_steps=[timedelta(seconds=s) for s in spec["learning_steps"]],
        relearning_steps=[timedelta(seconds=s) for s in spec["relearning_steps"]],
        maximum_interval=36500,
        enable_fuzzing=False,
    )
    cards = []
    for i in range(spec["cards"]):
        card = Card(card_id=i + 1, due=T0)
        now = T0 + timedelta(minutes=37 * i)
        reviews = []
        for _ in range(rng.randint(3, 22)):
            rating = draw_rating(rng)
            card, _ = sched.review_card(card, rating, review_datetime=now)
            if card.stability > S_MAX:
                # fsrs-rs caps stability at 100 years (36,500 days), py-fsrs does not; a card
                # past it (Easy after Easy, answered months late) ends its history here.
                break
            reviews.append(dict(
                at=iso(now), rating=int(rating), state=int(card.state),
                step=card.step, stability=card.stability, difficulty=card.difficulty,
                due=iso(card.due),
            ))
            now = next_time(rng, card, now)
        cards.append(reviews)
    out = {k: spec[k] for k in ("name", "desired_retention", "learning_steps", "relearning_steps")}
    out["parameters"] = list(spec["parameters"])
    out["cards"] = cards
    return out


def curve_points(rng):
    points = []
    for params in (fsrs.scheduler.DEFAULT_PARAMETERS, FITTED):
        sched = Scheduler(parameters=params, enable_fuzzing=False)
        decay = params[20]
        factor = 0.9 ** (-1.0 / decay) - 1.0
        for _ in range(40):
            s = round(rng.uniform(0.05, 400.0), 4)
            days = rng.randint(0, 800)
            card = Card(card_id=1, stability=s, difficulty=5.0, last_review=T0, due=T0)
            at = T0 + timedelta(days=days)
            points.append(dict(decay=decay, stability=s, last_review=iso(T0), at=iso(at),
                               r=sched.get_card_retrievability(card, at)))
            frac = round(rng.uniform(0.0, 60.0), 3)
            at = T0 + timedelta(seconds=round(frac * 86400))
            t = (at - T0).total_seconds() / 86400.0
            points.append(dict(decay=decay, stability=s, last_review=iso(T0), at=iso(at),
                               r=(1.0 + factor * t / s) ** (-decay)))
    return points


def main():
    rng = random.Random(20260105)
    data = dict(
        generator="tests/data/fsrs/make_golden.py",
        reference=f"py-fsrs {PY_FSRS_VERSION}, enable_fuzzing=False, maximum_interval=36500",
        states={"learning": 1, "review": 2, "relearning": 3},
        scenarios=[scenario(s, rng) for s in SCENARIOS],
        curve=curve_points(rng),
    )
    json.dump(data, sys.stdout, indent=None, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
