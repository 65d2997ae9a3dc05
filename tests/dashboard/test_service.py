"""Figures from arranged rows, worked out by hand (see tests/dashboard/helpers.py)."""

from datetime import timedelta

import pytest

from app.dashboard import report
from app.dashboard.schemas import Filters
from app.dashboard.service import today
from app.errors import NotFound
from tests.dashboard.helpers import arrange, at, set_posted


@pytest.fixture
def p(session):
    return arrange(session)


def counts(d) -> list[int]:
    return [s.count for s in d.funnel]


def test_funnel_and_summary_of_the_whole_programme(session, settings, p) -> None:
    d = report.coordinator_dashboard(session, settings, Filters())
    # posted, shortlisted, bid, approved, consulting, design, demonstration, deployment, closed
    assert counts(d) == [8, 6, 5, 4, 4, 3, 2, 2, 1]
    s = d.summary
    assert (s.needs_posted, s.engagements, s.engagements_open) == (8, 4, 2)
    # m1's deployment met its demonstration targets; m2's was approved below target: apart
    assert (s.adopting_manufacturers, s.adopting_overridden, s.verified_results) == (1, 1, 6)
    assert d.progress.suppliers == 3  # the applicant is not in the pool
    assert d.progress.supplier_goal == settings.programme_supplier_goal == 500
    assert (d.progress.adopting_manufacturers, d.progress.adopting_overridden) == (1, 1)
    assert d.progress.manufacturer_goal == 12_000


@pytest.mark.parametrize(
    "filters",
    [{"industry": "29"}, {"region": "gn-gimhae"}, {"sf_level": "intermediate1"}],
)
def test_sector_region_and_level_filters(session, settings, p, filters) -> None:
    d = report.coordinator_dashboard(session, settings, Filters(**filters))
    assert counts(d) == [3, 3, 3, 2, 2, 2, 1, 1, 0]
    assert (d.summary.adopting_manufacturers, d.summary.adopting_overridden) == (0, 1)
    assert d.filters == filters


def test_cohort_filter_follows_its_members(session, settings, p) -> None:
    d = report.coordinator_dashboard(session, settings, Filters(cohort=p.cohort.id))
    assert counts(d) == [3, 3, 3, 2, 2, 2, 1, 1, 0]
    other = report.coordinator_dashboard(session, settings, Filters(cohort=p.other_cohort.id))
    assert counts(other)[0] == 5
    with pytest.raises(NotFound):
        report.coordinator_dashboard(session, settings, Filters(cohort=999_999))


def test_period_filter_by_the_day_a_need_was_posted(session, settings, p) -> None:
    day = today() - timedelta(days=40)
    set_posted(p.e3.need, day)
    set_posted(p.e2.need, day - timedelta(days=1))
    session.flush()
    d = report.coordinator_dashboard(session, settings, Filters(date_from=day, date_to=day))
    assert counts(d) == [1, 1, 1, 1, 1, 1, 1, 1, 0]
    later = report.coordinator_dashboard(session, settings, Filters(date_from=day))
    assert counts(later)[0] == 7


def test_breakdowns_by_sector_region_and_level(session, settings, p) -> None:
    d = report.coordinator_dashboard(session, settings, Filters())
    sector = {r.code: r.counts for r in d.by_sector}
    assert sector["30"]["posted"] == 5 and sector["30"]["closed"] == 1
    assert sector["29"]["approved"] == 2 and sector["29"]["deployment"] == 1
    assert [r.code for r in d.by_region] == ["gn-changwon", "gn-gimhae"]
    assert {r.code: r.counts["design"] for r in d.by_sf_level} == {"basic": 1, "intermediate1": 2}


def test_median_time_in_each_stage(session, settings, p) -> None:
    d = report.coordinator_dashboard(session, settings, Filters())
    times = {t.stage: (t.completed, t.in_progress, t.median_days) for t in d.stage_times}
    assert times == {
        "consulting": (3, 1, 10),  # 10, 20, 4 days; the new engagement is under way
        "design": (2, 0, 13),  # 20 and 6; the cancelled one's design stage is left out
        "demonstration": (2, 0, 7),
        "deployment": (1, 1, 5),
    }


def test_concentration_and_its_warnings(session, settings, p) -> None:
    c = report.coordinator_dashboard(session, settings, Filters()).concentration
    assert (c.engagements, c.suppliers, c.top_n) == (4, 3, 1)
    assert c.top_share == pytest.approx(0.5)
    assert c.hhi == pytest.approx(50**2 + 25**2 + 25**2)
    assert c.warnings == ["too_few"]
    assert [(s.name, s.engagements) for s in c.by_supplier][0] == ("비전원", 2)
    # three suppliers shared the previous 90 days; one holds everything started since
    for e in (p.e2, p.e3, p.e4):
        e.created_at = at(today() - timedelta(days=100))
    session.flush()
    eager = settings.model_copy(update={"concentration_min_engagements": 1})
    c = report.coordinator_dashboard(session, eager, Filters()).concentration
    assert c.trend.current.hhi == pytest.approx(10_000)
    assert c.trend.previous.hhi == pytest.approx(3 * (100 / 3) ** 2)
    assert c.trend.current_to == today()
    assert c.trend.previous_to == today() - timedelta(days=90)
    assert c.warnings == ["hhi_high", "rising"]
    calm = eager.model_copy(update={"concentration_warning_hhi": 9000.0})
    assert report.coordinator_dashboard(session, calm, Filters()).concentration.warnings == [
        "rising"
    ]


def test_a_chosen_period_is_compared_with_the_one_before(session, settings, p) -> None:
    start = today() - timedelta(days=9)
    trend = report.concentration(
        session, settings, report.service.Scope(Filters(date_from=start, date_to=today()))
    ).trend
    assert (trend.previous_from, trend.previous_to) == (
        start - timedelta(days=10),
        start - timedelta(days=1),
    )
    assert trend.current.engagements == 1  # e1 started today; the others long ago


def test_verified_outcomes_by_kpi_and_accidents(session, settings, p) -> None:
    d = report.coordinator_dashboard(session, settings, Filters())
    rows = {(r.metric, r.unit): r for r in d.outcomes}
    assert set(rows) == {("defect_rate", "%"), ("energy", "kWh"), ("accidents", "건/년")}
    defects = rows[("defect_rate", "%")]
    assert (defects.kpis, defects.comparable) == (2, 2)
    assert defects.mean_improvement_pct == pytest.approx(50)  # 75% and 25%
    assert defects.median_improvement_pct == pytest.approx(50)
    assert (defects.median_baseline, defects.median_result) == (3.0, 1.25)
    metric = {m.metric: m.mean_improvement_pct for m in d.outcomes_by_metric}
    assert metric == pytest.approx({"accidents": 32.5, "defect_rate": 50, "energy": 10})
    assert d.accidents.kpis == 2
    assert d.accidents.mean_reduction_pct == pytest.approx(32.5)  # 40% and 25% fewer
    assert (d.accidents.comparable, d.accidents.median_reduction_pct) == (2, pytest.approx(32.5))
    assert (d.accidents.rows[0].median_baseline, d.accidents.rows[0].median_result) == (7, 4.5)
    assert d.accidents.goal_reduction_pct == 20


def test_public_summary_is_aggregates_only(session, settings, p) -> None:
    d = report.public_dashboard(session, settings)
    assert [s.count for s in d.funnel] == [8, 6, 5, 4, 4, 3, 2, 2, 1]
    assert (d.accident_reduction_pct, d.accident_kpis) == (pytest.approx(32.5), 2)
    text = d.model_dump_json()
    for private in ("창원정밀공업", "김해기계", "비전원", "대외비", "98765", "두산후원"):
        assert private not in text


def test_sponsor_sees_only_its_cohorts(session, settings, p) -> None:
    d = report.sponsor_dashboard(session, settings, p.sponsor, Filters())
    assert [(c.name, c.members) for c in d.cohorts] == [("터빈 협력사", 1)]
    assert [s.count for s in d.funnel] == [3, 3, 3, 2, 2, 2, 1, 1, 0]
    assert {m.metric: m.mean_improvement_pct for m in d.outcomes_by_metric} == pytest.approx(
        {"accidents": 25, "defect_rate": 25, "energy": 10}
    )
    assert "남의 코호트" not in d.model_dump_json()
    with pytest.raises(NotFound):
        report.sponsor_dashboard(session, settings, p.sponsor, Filters(cohort=p.other_cohort.id))


def test_a_sponsor_without_cohorts_sees_nothing(session, settings, p) -> None:
    from app.models import Organization, OrgKind, Role
    from tests.builders import make_user

    lonely = make_user(session, Organization(kind=OrgKind.sponsor, name="새후원"), Role.sponsor)
    d = report.sponsor_dashboard(session, settings, lonely, Filters())
    assert d.cohorts == [] and d.summary.needs_posted == 0 and d.summary.engagements == 0
