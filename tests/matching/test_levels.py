"""Fit levels: one monotone scale, None below the minimum, thresholds from measured precision."""

import pytest

from matching import FitLevel, Hit, Scale, fit_level
from matching.levels import (
    MINIMUM,
    SCALES,
    TEXT_THRESHOLDS,
    THRESHOLDS,
    at_least,
    derive_thresholds,
    minimum,
    precision_by_level,
)


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


def test_each_scale_has_its_own_ordered_thresholds() -> None:
    for scale in Scale:
        table = SCALES[scale]
        assert table[FitLevel.HIGH] > table[FitLevel.MEDIUM] > table[FitLevel.LOW] > 0
        assert fit_level(minimum(scale), scale) is FitLevel.LOW
        assert fit_level(minimum(scale) - 1e-9, scale) is None
    assert SCALES[Scale.PAIR] is THRESHOLDS and minimum() == MINIMUM


def test_a_bare_text_can_reach_every_level_on_its_own_scale() -> None:
    # A text against one document has no support part and no structured fit: its score
    # tops out at 1.0 (semantic + lexical), below the pair scale's HIGH.
    assert THRESHOLDS[FitLevel.HIGH] > 1.0 >= TEXT_THRESHOLDS[FitLevel.HIGH]
    assert fit_level(1.0) is not FitLevel.HIGH
    assert fit_level(1.0, Scale.TEXT) is FitLevel.HIGH


def test_explicit_thresholds_override_the_scale() -> None:
    table = {FitLevel.HIGH: 0.9, FitLevel.MEDIUM: 0.5, FitLevel.LOW: 0.1}
    assert fit_level(0.6, thresholds=table) is FitLevel.MEDIUM
    assert precision_by_level([(0.95, True)], table)["high"]["count"] == 1.0
