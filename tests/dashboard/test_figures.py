"""The dashboard's arithmetic on hand-made rows."""

from datetime import date, timedelta

import pytest

from app.dashboard import figures
from app.dashboard.figures import KpiFact, NeedFact, StageRow

D = date(2026, 1, 1)


def fact(furthest: int, industry: str | None = "30") -> NeedFact:
    return NeedFact(
        need_id=furthest, industry=industry, region=None, sf_level=None, furthest=furthest
    )


@pytest.mark.parametrize(
    ("flags", "stage", "started", "expected"),
    [
        ((False, False, False), None, (), "posted"),
        ((True, False, False), None, (), "shortlisted"),
        ((False, True, False), None, (), "bid"),
        ((True, True, True), None, (), "approved"),
        ((False, False, False), "consulting", (), "consulting"),
        ((False, False, False), "closed", (), "closed"),
        ((False, False, False), "cancelled", (), "consulting"),
        ((False, False, False), "cancelled", ("consulting", "design"), "design"),
    ],
)
def test_furthest_step(flags, stage, started, expected) -> None:
    assert figures.STEPS[figures.furthest_step(*flags, stage, started)] == expected


def test_the_funnel_counts_every_step_up_to_the_furthest() -> None:
    facts = [fact(0), fact(0), fact(2), fact(4), fact(8)]
    steps = {s.step: s for s in figures.funnel(facts)}
    assert [s.count for s in steps.values()] == [5, 3, 3, 2, 2, 1, 1, 1, 1]
    assert steps["shortlisted"].conversion == pytest.approx(3 / 5)
    assert steps["approved"].conversion == pytest.approx(2 / 3)
    assert steps["closed"].share_of_posted == pytest.approx(1 / 5)
    assert figures.funnel([])[0].conversion is None and figures.funnel([])[0].count == 0


def test_breakdown_groups_largest_first_and_keeps_the_unstated() -> None:
    rows = figures.breakdown(
        [fact(0, "29"), fact(5, "30"), fact(1, "30"), fact(0, None)], lambda f: f.industry
    )
    assert [(r.code, r.counts["posted"], r.counts["design"]) for r in rows] == [
        ("30", 2, 1),
        ("29", 1, 0),
        (None, 1, 0),
    ]


def row(eid: int, now: str, stage: str, start: int | None, end: int | None) -> StageRow:
    day = lambda n: D + timedelta(days=n) if n is not None else None  # noqa: E731
    return StageRow(eid, now, stage, day(start), day(end))


def test_median_time_in_stage_skips_open_and_cancelled_stages() -> None:
    rows = [
        row(1, "design", "consulting", 0, 10),
        row(1, "design", "design", 10, None),
        row(2, "closed", "consulting", 0, 3),
        row(2, "closed", "design", 3, 10),
        row(3, "deployment", "consulting", 0, 30),
        row(4, "cancelled", "consulting", 0, 8),
        row(4, "cancelled", "design", 8, 100),  # cancelled here: left out
        row(4, "cancelled", "demonstration", None, None),
    ]
    times = {t.stage: t for t in figures.stage_times(rows)}
    assert times["consulting"].completed == 4
    assert times["consulting"].median_days == pytest.approx(9)  # 3, 8, 10, 30
    assert times["consulting"].mean_days == pytest.approx(12.75)
    assert (times["design"].completed, times["design"].in_progress) == (1, 1)
    assert times["design"].median_days == 7
    assert times["demonstration"].median_days is None and times["demonstration"].completed == 0


def test_concentration_top_share_and_herfindahl() -> None:
    c = figures.concentration({1: 5, 2: 3, 3: 1, 4: 1, 5: 0})
    assert (c.engagements, c.suppliers, c.top_n) == (10, 4, 1)
    assert c.top_share == pytest.approx(0.5)
    assert c.hhi == pytest.approx(50**2 + 30**2 + 10**2 + 10**2)
    even = figures.concentration({i: 1 for i in range(20)})
    assert even.top_n == 3 and even.top_share == pytest.approx(0.15)  # 15% of 20, exactly
    assert even.hhi == pytest.approx(500)
    assert figures.concentration({i: 1 for i in range(21)}).top_n == 4  # 3.15 rounds up
    assert figures.concentration({1: 7}).hhi == pytest.approx(10_000)
    none = figures.concentration({})
    assert none.top_share is None and none.hhi is None and none.engagements == 0


def kpi(
    metric: str, baseline: float, target: float | None, value: float, unit: str = "%"
) -> KpiFact:
    return KpiFact(
        kpi_id=0, metric=metric, unit=unit, baseline=baseline, target=target, value=value
    )


def test_improvement_follows_the_target_or_the_metric() -> None:
    assert figures.improvement_pct(kpi("defect_rate", 4, 1, 1)) == pytest.approx(75)
    assert figures.improvement_pct(kpi("defect_rate", 4, 1, 5)) == pytest.approx(-25)
    assert figures.improvement_pct(kpi("inspection_accuracy", 80, 96, 88)) == pytest.approx(10)
    assert figures.improvement_pct(kpi("lead_time", 78, 93, 93.6)) == pytest.approx(
        20
    )  # an on-time rate
    assert figures.improvement_pct(kpi("energy", 100, None, 90)) == pytest.approx(10)
    assert figures.improvement_pct(kpi("productivity", 100, None, 90)) == pytest.approx(-10)
    assert figures.improvement_pct(kpi("productivity", 0, 40, 30)) is None


def test_outcomes_compare_each_firm_with_itself_by_metric_and_unit() -> None:
    """A big firm's baseline does not swamp a small one's: relative changes per KPI, then
    the median (and the mean with its n); units that differ are separate rows."""
    facts = [
        kpi("energy", 1000, 800, 900, "kwh_per_month"),
        kpi("energy", 500, 400, 400, "kwh_per_month"),
        kpi("energy", 100_000, 90_000, 99_000, "kwh_per_month"),
        kpi("energy", 0, 5, 3, "percent"),
        kpi("defect_rate", 2, 1, 1),
    ]
    rows = {(r.metric, r.unit): r for r in figures.outcome_rows(facts)}
    kwh = rows[("energy", "kwh_per_month")]
    assert (kwh.kpis, kwh.comparable, kwh.median_baseline, kwh.median_result) == (3, 3, 1000, 900)
    assert kwh.median_improvement_pct == pytest.approx(10)  # 10%, 20% and 1% saved
    assert kwh.mean_improvement_pct == pytest.approx(31 / 3)
    rows = {(r.metric, r.unit): r for r in figures.outcome_rows(facts[:2] + facts[3:])}
    kwh = rows[("energy", "kwh_per_month")]
    assert kwh.mean_improvement_pct == pytest.approx(15)
    assert rows[("energy", "percent")].mean_improvement_pct is None
    by_metric = {m.metric: m for m in figures.outcomes_by_metric(facts[:2] + facts[3:])}
    assert (by_metric["energy"].kpis, by_metric["energy"].comparable) == (3, 2)
    assert by_metric["energy"].mean_improvement_pct == pytest.approx(15)
    assert by_metric["defect_rate"].mean_improvement_pct == pytest.approx(50)


def test_the_latest_verified_phase_counts() -> None:
    rows = [
        (1, "demonstration", 2.0),
        (1, "follow_up", 0.5),
        (1, "deployment", 1.0),
        (2, "demonstration", 7.0),
    ]
    assert figures.latest_verified(rows) == {1: 0.5, 2: 7.0}
