"""The three dashboards, assembled from the service's queries: the coordinators' (everything,
optionally one cohort), the public summary (aggregates only) and a sponsor's (its cohorts)."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Settings
from app.dashboard import figures, service
from app.dashboard.budget import budget
from app.dashboard.schemas import (
    Accidents,
    Concentration,
    ConcentrationOut,
    ConcentrationTrend,
    DashboardOut,
    Filters,
    PublicDashboardOut,
    SponsorDashboardOut,
    SupplierShare,
)
from app.dashboard.service import Scope
from app.models import Organization, User


def coordinator_dashboard(session: Session, settings: Settings, filters: Filters) -> DashboardOut:
    service.check_cohort(session, filters.cohort)
    scope = Scope(filters)
    stages = service.stage_rows(session, scope)
    facts = service.need_facts(session, scope, stages)
    kpis = service.kpi_facts(session, scope)
    return DashboardOut(
        filters=filters.query(),
        summary=service.summary(session, scope, facts),
        funnel=figures.funnel(facts),
        by_sector=figures.breakdown(facts, lambda f: f.industry),
        by_region=figures.breakdown(facts, lambda f: f.region),
        by_sf_level=figures.breakdown(facts, lambda f: f.sf_level),
        stage_times=figures.stage_times(stages),
        progress=service.progress(session, settings),
        concentration=concentration(session, settings, scope),
        outcomes=figures.outcome_rows(kpis),
        outcomes_by_metric=figures.outcomes_by_metric(kpis),
        accidents=accidents(kpis, settings),
        budget=budget(session, scope),
    )


def public_dashboard(session: Session, settings: Settings) -> PublicDashboardOut:
    scope = Scope(Filters())
    stages = service.stage_rows(session, scope)
    facts = service.need_facts(session, scope, stages)
    kpis = service.kpi_facts(session, scope)
    return PublicDashboardOut(
        summary=service.summary(session, scope, facts),
        funnel=figures.funnel(facts),
        progress=service.progress(session, settings),
        outcomes_by_metric=figures.outcomes_by_metric(kpis),
        **_accident_fields(accidents(kpis, settings)),
    )


def sponsor_dashboard(
    session: Session, settings: Settings, user: User, filters: Filters
) -> SponsorDashboardOut:
    scope = service.sponsor_scope(session, user, filters)
    stages = service.stage_rows(session, scope)
    facts = service.need_facts(session, scope, stages)
    kpis = service.kpi_facts(session, scope)
    return SponsorDashboardOut(
        cohorts=service.sponsor_cohorts(session, user),
        filters=filters.query(),
        summary=service.summary(session, scope, facts),
        funnel=figures.funnel(facts),
        stage_times=figures.stage_times(stages),
        outcomes_by_metric=figures.outcomes_by_metric(kpis),
        **_accident_fields(accidents(kpis, settings)),
    )


def _accident_fields(a: Accidents) -> dict[str, float | int | None]:
    return {
        "accident_reduction_pct": a.mean_reduction_pct,
        "accident_kpis": a.comparable,
        "accident_goal_pct": a.goal_reduction_pct,
    }


def accidents(kpis: list[figures.KpiFact], settings: Settings) -> Accidents:
    reported = [k for k in kpis if k.metric == "accidents"]
    by_metric = figures.outcomes_by_metric(reported)
    return Accidents(
        kpis=len(reported),
        rows=figures.outcome_rows(reported),
        comparable=by_metric[0].comparable if by_metric else 0,
        median_reduction_pct=by_metric[0].median_improvement_pct if by_metric else None,
        mean_reduction_pct=by_metric[0].mean_improvement_pct if by_metric else None,
        goal_reduction_pct=settings.programme_accident_reduction_goal,
    )


def windows(filters: Filters, settings: Settings) -> tuple[tuple[date, date], tuple[date, date]]:
    """The chosen period and the one of the same length before it; without a full period,
    the last `concentration_window_days` up to its end (or today)."""
    end = filters.date_to or service.today()
    start = filters.date_from
    if start is None or start > end:
        start = end - timedelta(days=settings.concentration_window_days - 1)
    length = end - start + timedelta(days=1)
    return (start, end), (start - length, start - timedelta(days=1))


def concentration(session: Session, settings: Settings, scope: Scope) -> ConcentrationOut:
    per_supplier = service.engagements_per_supplier(session, scope)
    overall = figures.concentration(per_supplier)
    current, previous = windows(scope.filters, settings)
    plain = scope.without_period()
    trend = ConcentrationTrend(
        current_from=current[0],
        current_to=current[1],
        previous_from=previous[0],
        previous_to=previous[1],
        current=figures.concentration(service.engagements_per_supplier(session, plain, current)),
        previous=figures.concentration(service.engagements_per_supplier(session, plain, previous)),
    )
    return ConcentrationOut(
        **overall.model_dump(),
        trend=trend,
        warnings=warnings(overall, trend, settings),
        by_supplier=ranked_suppliers(session, per_supplier),
    )


def warnings(overall: Concentration, trend: ConcentrationTrend, settings: Settings) -> list[str]:
    """Too few engagements to judge, or: too concentrated, or more concentrated than before."""
    least = settings.concentration_min_engagements
    if overall.engagements < least:
        return ["too_few"]
    found = []
    if (overall.hhi or 0) >= settings.concentration_warning_hhi:
        found.append("hhi_high")
    if (overall.top_share or 0) >= settings.concentration_warning_top_share:
        found.append("top_share_high")
    now, before = trend.current, trend.previous
    enough = now.engagements + before.engagements >= least
    rise = settings.concentration_rise_hhi
    if enough and now.hhi is not None and before.hhi is not None and now.hhi - before.hhi >= rise:
        found.append("rising")
    return found


def ranked_suppliers(session: Session, per_supplier: dict[int, int]) -> list[SupplierShare]:
    total = sum(per_supplier.values())
    ranked = sorted(per_supplier.items(), key=lambda kv: (-kv[1], kv[0]))
    query = select(Organization.id, Organization.name).where(
        Organization.id.in_([org_id for org_id, _ in ranked])
    )
    names = {org_id: name for org_id, name in session.execute(query)}
    return [
        SupplierShare(supplier_org_id=i, name=names.get(i, ""), engagements=c, share=c / total)
        for i, c in ranked
    ]
