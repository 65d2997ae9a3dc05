"""Fit levels: one monotone scale, None below the minimum, thresholds from measured precision."""

import pytest

from matching import FitLevel, Hit, fit_level
from matching.levels import MINIMUM, THRESHOLDS, at_least, derive_thresholds, precision_by_level


def test_levels_are_monotone_in_the_score() -> None:
    scores = [x / 100 for x in range(-50, 300)]
    order = [None, FitLevel.LOW, FitLevel.MEDIUM, FitLevel.HIGH]
    ranks = [order.index(fit_level(s)) for s in scores]
    assert ranks == sorted(ranks)
    assert set(ranks) == {0, 1, 2, 3}


def test_below_the_minimum_there_is_no_level() -> None:
    assert fit_level(MINIMUM - 1e-9) is None
    assert fit_level(MINIMUM) is FitLevel.LOW
    assert fit_level(THRESHOLDS[FitLevel.HIGH]) is FitLevel.HIGH
    assert THRESHOLDS[FitLevel.HIGH] > THRESHOLDS[FitLevel.MEDIUM] > THRESHOLDS[FitLevel.LOW]


def test_a_hit_carries_the_level_of_its_score() -> None:
    high = THRESHOLDS[FitLevel.HIGH] + 0.01
    assert Hit(1, high, {"semantic": high}).level is FitLevel.HIGH
    assert Hit(2, MINIMUM / 2, {"semantic": MINIMUM / 2}).level is None


def test_at_least_orders_levels() -> None:
    assert at_least(FitLevel.HIGH, FitLevel.MEDIUM)
    assert not at_least(FitLevel.LOW, FitLevel.MEDIUM)
    assert not at_least(None, FitLevel.LOW)


def test_derived_thresholds_reach_their_precision() -> None:
    # Scores 1.00 down to 0.01: the top 30 are all relevant, then one in two, then none.
    pairs = [(1 - n / 100, n < 30 or (n < 60 and n % 2 == 0)) for n in range(100)]
    thresholds = derive_thresholds(pairs)
    bands = precision_by_level(pairs, thresholds)
    assert thresholds[FitLevel.HIGH] >= thresholds[FitLevel.MEDIUM] >= thresholds[FitLevel.LOW]
    above_high = [hit for score, hit in pairs if score >= thresholds[FitLevel.HIGH]]
    assert sum(above_high) / len(above_high) >= 0.8
    assert bands["none"]["precision"] < bands["high"]["precision"]
    assert sum(b["coverage"] for b in bands.values()) == pytest.approx(1.0)
