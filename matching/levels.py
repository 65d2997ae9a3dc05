"""Calibrated fit levels: one absolute meaning for every matching hit, in both directions.

A product score (`Hit.score`) maps to a `FitLevel` by fixed thresholds. The thresholds are
derived from measured precision on the labelled evaluation sets (see `derive_thresholds` and
matching/MEASUREMENTS.md, "Fit levels"): HIGH is the lowest score from which hits are
relevant (grade >= 1) at least `TARGETS[HIGH]` of the time, and so on. Below the minimum
(the LOW threshold) a hit has no level (`None`): it is never suggested, alerted or
shortlisted.

Scores come on two scales (`Scale`), each with its own thresholds derived the same way, so
that a level means the same precision on both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum


class FitLevel(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Scale(StrEnum):
    """Which scale a score is on.

    PAIR: a need against a supplier, either direction, and a text searched over suppliers:
    the supplier side brings several units (the semantic support part) and both records may
    bring structured fit. TEXT: a bare text against single-text documents (free-text search
    of needs and manufacturers, saved searches with text): one unit on each side and nothing
    structured, so a score tops out near 1.0."""

    PAIR = "pair"
    TEXT = "text"


# The precision each level must reach on the labelled sets pooled (grade >= 1 = relevant).
TARGETS: Mapping[FitLevel, float] = {
    FitLevel.HIGH: 0.80,
    FitLevel.MEDIUM: 0.50,
    FitLevel.LOW: 0.25,
}

# Score thresholds, highest first: `make eval` (`axmatch eval --all --derive-levels`, default
# model, 2026-12-02) over the top-10 hits of every need of the four dev sets pooled (2,910
# pairs), rounded to two decimals. Pooled precision: HIGH 0.80, MEDIUM 0.47, LOW 0.19 (labels
# are sparse, so true precision is higher: per set, see matching/MEASUREMENTS.md).
THRESHOLDS: Mapping[FitLevel, float] = {
    FitLevel.HIGH: 1.24,
    FitLevel.MEDIUM: 0.86,
    FitLevel.LOW: 0.49,
}

# Text probes (`Scale.TEXT`), the same command and targets over text-only pairs
# (`matching.evaluate.text_pairs`: each need's title and description as a bare text over the
# suppliers, each one text, and each labelled supplier's description over the needs; 5,500
# pairs). Pooled precision: HIGH 0.80, MEDIUM 0.40, LOW 0.16.
TEXT_THRESHOLDS: Mapping[FitLevel, float] = {
    FitLevel.HIGH: 0.71,
    FitLevel.MEDIUM: 0.53,
    FitLevel.LOW: 0.36,
}
SCALES: Mapping[Scale, Mapping[FitLevel, float]] = {
    Scale.PAIR: THRESHOLDS,
    Scale.TEXT: TEXT_THRESHOLDS,
}
MINIMUM = THRESHOLDS[FitLevel.LOW]
ORDER = (FitLevel.HIGH, FitLevel.MEDIUM, FitLevel.LOW)


def minimum(scale: Scale = Scale.PAIR) -> float:
    """The lowest score with a level on `scale`."""
    return SCALES[scale][FitLevel.LOW]


def fit_level(
    score: float,
    scale: Scale = Scale.PAIR,
    *,
    thresholds: Mapping[FitLevel, float] | None = None,
) -> FitLevel | None:
    """The level of a product score on its scale (or on explicit `thresholds`); None below
    the minimum fit. Monotone in `score`."""
    thresholds = SCALES[scale] if thresholds is None else thresholds
    for level in ORDER:
        if score >= thresholds[level]:
            return level
    return None


def at_least(level: FitLevel | None, floor: FitLevel) -> bool:
    """True when `level` is `floor` or better (None is below every level)."""
    return level is not None and ORDER.index(level) <= ORDER.index(floor)


def derive_thresholds(
    scored: Iterable[tuple[float, bool]], targets: Mapping[FitLevel, float] = TARGETS
) -> dict[FitLevel, float]:
    """For (score, relevant) pairs: per level, the lowest score s such that every hit scoring
    >= s is relevant with at least the target precision (scanned from the top, after the
    first 20 hits so one lucky hit cannot set a level). Levels keep their order: a level's
    threshold is never above the one before it."""
    ranked = sorted(scored, key=lambda p: -p[0])
    found: dict[FitLevel, float] = {}
    ceiling = float("inf")
    for level in ORDER:
        relevant, best = 0, ceiling
        for n, (score, hit) in enumerate(ranked, start=1):
            relevant += hit
            if n >= 20 and relevant / n >= targets[level] and score <= ceiling:
                best = score
        found[level] = ceiling = best if best != float("inf") else ceiling
    return found


def precision_by_level(
    scored: Iterable[tuple[float, bool]], thresholds: Mapping[FitLevel, float] = THRESHOLDS
) -> dict[str, dict[str, float]]:
    """Per level: precision (share relevant) and coverage (share of all pairs given) of the
    hits that fall in that level band; "none" is the band below the minimum."""
    bands: dict[str, list[bool]] = {str(level): [] for level in ORDER}
    bands["none"] = []
    pairs = list(scored)
    for score, hit in pairs:
        level = fit_level(score, thresholds=thresholds)
        bands["none" if level is None else str(level)].append(hit)
    return {
        name: {
            "precision": sum(hits) / len(hits) if hits else 0.0,
            "coverage": len(hits) / len(pairs) if pairs else 0.0,
            "count": float(len(hits)),
        }
        for name, hits in bands.items()
    }
