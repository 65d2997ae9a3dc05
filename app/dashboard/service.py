"""Programme figures from the data: which needs the filters select, and every figure that
follows them (funnel, stages, concentration, outcomes). Coordinators see the programme (or one
cohort); sponsors see only their own cohorts; the public sees aggregates of everything."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from app.config import Settings
from app.dashboard import figures
from app.dashboard.schemas import (
    CohortOut,
    Filters,
    Progress,
    Summary,
)
from app.engagements import gates
from app.engagements.service import SEOUL
from app.errors import NotFound
from app.models import (
    PUBLISHED_NEEDS,
    Award,
    AwardStatus,
    Bid,
    BidInvitation,
    BidStatus,
    Cohort,
    CohortMember,
    Engagement,
    EngagementKpi,
    EngagementStage,
    KpiResult,
    ManufacturerProfile,
    MatchProposal,
    Membership,
    Need,
    ProposalStatus,
    Round,
    RoundPair,
    RoundStatus,
    Stage,
    SupplierProfile,
    User,
)

MP = ManufacturerProfile
need_industry = func.coalesce(Need.industry, MP.industry)
need_region = func.coalesce(Need.region, MP.region)
posted_at = func.coalesce(Need.published_at, Need.created_at)
ADOPTED = (Stage.deployment, Stage.closed)


@dataclass(frozen=True)
class Scope:
    """The filters, plus the cohorts the viewer is restricted to (None: no restriction)."""

    filters: Filters
    cohort_ids: tuple[int, ...] | None = None

    def without_period(self) -> "Scope":
        plain = self.filters.model_copy(update={"date_from": None, "date_to": None})
        return Scope(plain, self.cohort_ids)


def seoul_start(day: date) -> datetime:
    return datetime.combine(day, time(0), SEOUL).astimezone(UTC)


def today() -> date:
    return datetime.now(SEOUL).date()


def _conditions(scope: Scope) -> list[ColumnElement[bool]]:
    f = scope.filters
    where: list[ColumnElement[bool]] = [Need.status.in_(PUBLISHED_NEEDS)]
    if f.industry:
        where.append(need_industry == f.industry)
    if f.region:
        where.append(need_region == f.region)
    if f.sf_level:
        where.append(MP.sf_level == f.sf_level)
    cohorts = [f.cohort] if f.cohort else []
    if scope.cohort_ids is not None:
        cohorts = [c for c in cohorts or scope.cohort_ids if c in scope.cohort_ids]
        cohorts = cohorts or [0]  # restricted to nothing: no cohort has id 0
    if cohorts:
        members = select(CohortMember.manufacturer_org_id).where(
            CohortMember.cohort_id.in_(cohorts)
        )
        where.append(Need.organization_id.in_(members))
    if f.date_from:
        where.append(posted_at >= seoul_start(f.date_from))
    if f.date_to:
        where.append(posted_at < seoul_start(f.date_to + timedelta(days=1)))
    return where


def _needs(scope: Scope, *columns: Any) -> Select[Any]:
    query = select(*columns) if columns else select(Need.id)
    return query.outerjoin(MP, MP.organization_id == Need.organization_id).where(
        *_conditions(scope)
    )


def _flags() -> tuple[ColumnElement[bool], ...]:
    released = (
        select(RoundPair.id)
        .join(Round, Round.id == RoundPair.round_id)
        .where(
            RoundPair.need_id == Need.id,
            RoundPair.kind == "shortlist",
            Round.status == RoundStatus.released,
        )
    )
    invited = select(BidInvitation.id).where(BidInvitation.need_id == Need.id)
    bid = select(Bid.id).where(Bid.need_id == Need.id, Bid.status == BidStatus.submitted)
    award = select(Award.id).where(Award.need_id == Need.id, Award.status == AwardStatus.approved)
    accepted = select(MatchProposal.id).where(
        MatchProposal.need_id == Need.id, MatchProposal.status == ProposalStatus.accepted
    )
    return (
        or_(invited.exists(), released.exists()),
        bid.exists(),
        or_(award.exists(), accepted.exists()),
    )


def stage_rows(session: Session, scope: Scope) -> list[figures.StageRow]:
    """Each engagement's stage rows. Consulting starts when the agreement is confirmed by
    both parties; until then (and for engagements started before that rule) the day the
    engagement did."""
    query = (
        select(Engagement.id, Engagement.stage, Engagement.created_at, EngagementStage)
        .join(EngagementStage, EngagementStage.engagement_id == Engagement.id)
        .where(Engagement.need_id.in_(_needs(scope)))
    )
    rows = []
    for engagement_id, current, created_at, row in session.execute(query):
        start = row.actual_start
        if row.stage is Stage.consulting and start is None:
            start = created_at.astimezone(SEOUL).date()
        rows.append(
            figures.StageRow(engagement_id, current.value, row.stage.value, start, row.actual_end)
        )
    return rows


def need_facts(
    session: Session, scope: Scope, stages: list[figures.StageRow]
) -> list[figures.NeedFact]:
    started: dict[int, list[str]] = {}
    for row in stages:
        if row.start is not None or row.end is not None:
            started.setdefault(row.engagement_id, []).append(row.stage)
    columns = (Need.id, need_industry, need_region, MP.sf_level, *_flags())
    query = _needs(scope, *columns, Engagement.id, Engagement.stage).outerjoin(
        Engagement, Engagement.need_id == Need.id
    )
    facts = []
    for need_id, industry, region, sf_level, short, bid, approved, eid, stage in session.execute(
        query
    ):
        code = stage.value if stage is not None else None
        furthest = figures.furthest_step(short, bid, approved, code, started.get(eid, ()))
        facts.append(figures.NeedFact(need_id, industry, region, sf_level, furthest))
    return facts


def kpi_facts(session: Session, scope: Scope) -> list[figures.KpiFact]:
    """Each KPI with a baseline and at least one verified result, at its latest phase."""
    query = (
        select(KpiResult.kpi_id, KpiResult.phase, KpiResult.value)
        .join(EngagementKpi, EngagementKpi.id == KpiResult.kpi_id)
        .join(Engagement, Engagement.id == EngagementKpi.engagement_id)
        .where(KpiResult.verified_at.is_not(None), Engagement.need_id.in_(_needs(scope)))
    )
    latest = figures.latest_verified((k, p.value, v) for k, p, v in session.execute(query))
    kpis = session.scalars(select(EngagementKpi).where(EngagementKpi.id.in_(list(latest)))).all()
    return [
        figures.KpiFact(k.id, k.metric, k.unit, k.baseline, k.target, latest[k.id])
        for k in kpis
        if k.baseline is not None
    ]


def verified_results(session: Session, scope: Scope) -> int:
    query = (
        select(func.count(KpiResult.id))
        .join(EngagementKpi, EngagementKpi.id == KpiResult.kpi_id)
        .join(Engagement, Engagement.id == EngagementKpi.engagement_id)
        .where(KpiResult.verified_at.is_not(None), Engagement.need_id.in_(_needs(scope)))
    )
    return session.scalar(query) or 0


def engagements_per_supplier(
    session: Session, scope: Scope, started: tuple[date, date] | None = None
) -> dict[int, int]:
    """Engagements (cancelled ones too: they were awards) per supplier organisation."""
    conditions: list[ColumnElement[bool]] = [Engagement.need_id.in_(_needs(scope))]
    if started is not None:
        conditions += [
            Engagement.created_at >= seoul_start(started[0]),
            Engagement.created_at < seoul_start(started[1] + timedelta(days=1)),
        ]
    query = (
        select(Engagement.supplier_org_id, func.count(Engagement.id))
        .where(and_(*conditions))
        .group_by(Engagement.supplier_org_id)
    )
    return {org_id: count for org_id, count in session.execute(query)}


def adoption(session: Session, scope: Scope | None = None) -> tuple[int, int]:
    """AI-adopting manufacturers: those with a deployment (or a closed engagement) whose
    demonstration met its acceptance targets (`gates.targets_met`); and, apart, those whose
    only such engagements a coordinator moved on below target. A deployment that neither met
    its targets nor was overridden (from before the gate checked them) counts in neither."""
    query = select(Engagement).where(Engagement.stage.in_(ADOPTED))
    if scope is not None:
        query = query.where(Engagement.need_id.in_(_needs(scope)))
    query = query.options(selectinload(Engagement.kpis).selectinload(EngagementKpi.results))
    met: set[int] = set()
    overridden: set[int] = set()
    for engagement in session.scalars(query):
        if engagement.gate_override_at is not None:
            overridden.add(engagement.manufacturer_org_id)
        elif gates.targets_met(engagement):
            met.add(engagement.manufacturer_org_id)
    return len(met), len(overridden - met)


def summary(session: Session, scope: Scope, facts: list[figures.NeedFact]) -> Summary:
    query = select(Engagement.stage).where(Engagement.need_id.in_(_needs(scope)))
    stages = session.scalars(query).all()
    adopting, overridden = adoption(session, scope)
    return Summary(
        needs_posted=len(facts),
        engagements=len(stages),
        engagements_open=sum(stage.value in figures.WORK_STAGES for stage in stages),
        adopting_manufacturers=adopting,
        adopting_overridden=overridden,
        verified_results=verified_results(session, scope),
    )


def progress(session: Session, settings: Settings) -> Progress:
    admitted = select(func.count(SupplierProfile.id)).where(
        SupplierProfile.membership == Membership.admitted
    )
    adopting, overridden = adoption(session)
    return Progress(
        suppliers=session.scalar(admitted) or 0,
        supplier_goal=settings.programme_supplier_goal,
        adopting_manufacturers=adopting,
        adopting_overridden=overridden,
        manufacturer_goal=settings.programme_manufacturer_goal,
    )


def all_cohorts(session: Session) -> list[Cohort]:
    return list(session.scalars(select(Cohort).order_by(Cohort.name, Cohort.id)))


def check_cohort(session: Session, cohort_id: int | None) -> None:
    if cohort_id is not None and session.get(Cohort, cohort_id) is None:
        raise NotFound("Cohort not found.")


def sponsor_cohorts(session: Session, user: User) -> list[CohortOut]:
    """The cohorts the user's organisation sponsors, with their member counts."""
    members = func.count(CohortMember.id)
    query = (
        select(Cohort.id, Cohort.name, members)
        .outerjoin(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(Cohort.sponsor_org_id == user.organization_id)
        .group_by(Cohort.id, Cohort.name)
        .order_by(Cohort.name, Cohort.id)
    )
    return [CohortOut(id=i, name=n, members=m) for i, n, m in session.execute(query)]


def sponsor_scope(session: Session, user: User, filters: Filters) -> Scope:
    own = tuple(c.id for c in sponsor_cohorts(session, user))
    if filters.cohort is not None and filters.cohort not in own:
        raise NotFound("Cohort not found.")
    return Scope(filters, own)
