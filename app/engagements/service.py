"""Engagements: from an approved award (or an accepted proposal) through the stages to
verified results. This module starts engagements and reports the figures matching uses."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.audit import record
from app.db import Page, paginate
from app.errors import NotFound
from app.matches.store import touch_supplier
from app.models import (
    AuditEntry,
    Award,
    Engagement,
    EngagementKpi,
    EngagementStage,
    KpiResult,
    ManufacturerProfile,
    MatchProposal,
    Need,
    Organization,
    ResultPhase,
    Role,
    Stage,
    User,
)

OPEN_STAGES = (Stage.consulting, Stage.design, Stage.demonstration, Stage.deployment)
WORK_STAGES = OPEN_STAGES
SEOUL = ZoneInfo("Asia/Seoul")


def start_engagement(
    session: Session,
    actor: User | None,
    need: Need,
    supplier_org_id: int,
    *,
    award: Award | None = None,
    proposal: MatchProposal | None = None,
) -> Engagement:
    """Create the engagement in consulting, with one row per stage and the need's KPIs."""
    engagement = Engagement(
        need=need,
        supplier_org_id=supplier_org_id,
        manufacturer_org_id=need.organization_id,
        award_id=award.id if award else None,
        proposal_id=proposal.id if proposal else None,
        # Consulting starts the day the engagement does (the dashboard's stage times use it).
        stages=[
            EngagementStage(
                stage=stage, actual_start=today() if stage is Stage.consulting else None
            )
            for stage in WORK_STAGES
        ],
        kpis=[
            EngagementKpi(
                position=k.position,
                metric=k.metric,
                unit=k.unit,
                baseline=k.baseline,
                target=k.target,
            )
            for k in need.kpis
        ],
    )
    session.add(engagement)
    session.flush()
    record(
        session,
        actor,
        "engagement.started",
        engagement,
        after={"need_id": need.id, "supplier_org_id": supplier_org_id, "stage": "consulting"},
    )
    touch_supplier(session, supplier_org_id)
    return engagement


def active_engagements(session: Session, org_ids: list[int] | None = None) -> dict[int, int]:
    """Open engagements per supplier organisation (they use up capacity)."""
    query = (
        select(Engagement.supplier_org_id, func.count(Engagement.id))
        .where(Engagement.stage.in_(OPEN_STAGES))
        .group_by(Engagement.supplier_org_id)
    )
    if org_ids is not None:
        query = query.where(Engagement.supplier_org_id.in_(org_ids))
    return {org: count for org, count in session.execute(query)}


def track_records(session: Session, org_ids: list[int] | None = None) -> dict[int, float]:
    """0..1 per supplier: the share of its KPIs with a verified result that met the target,
    damped by how many there are (one success is not yet a track record)."""
    query = (
        select(
            Engagement.supplier_org_id,
            EngagementKpi.baseline,
            EngagementKpi.target,
            KpiResult.value,
        )
        .join(EngagementKpi, EngagementKpi.engagement_id == Engagement.id)
        .join(KpiResult, KpiResult.kpi_id == EngagementKpi.id)
        .where(KpiResult.verified_at.is_not(None))
    )
    if org_ids is not None:
        query = query.where(Engagement.supplier_org_id.in_(org_ids))
    met: dict[int, list[bool]] = defaultdict(list)
    for org, baseline, target, value in session.execute(query):
        met[org].append(target_met(baseline, target, value))
    return {org: sum(hits) / len(hits) * min(1.0, len(hits) / 3) for org, hits in met.items()}


def target_met(baseline: float | None, target: float | None, value: float) -> bool:
    """A target below the baseline is to be reduced (defects, cost); above, to be raised."""
    if target is None:
        return True
    if baseline is not None and target < baseline:
        return value <= target
    return value >= target


# --- Reading: who may see an engagement, lists, the board, the timeline, track records ---

STAFF_ROLES = (Role.coordinator, Role.admin)
PER_PAGE = 20


def is_staff(user: User) -> bool:
    return user.role in STAFF_ROLES


def today() -> date:
    """Stage dates are calendar days in Asia/Seoul, the one time zone users see."""
    return datetime.now(SEOUL).date()


def get_engagement(session: Session, user: User, engagement_id: int) -> Engagement:
    """The two parties and staff see an engagement; anyone else gets 404 (nothing leaks)."""
    engagement = session.get(Engagement, engagement_id)
    if engagement is None or not (is_staff(user) or party_of(user, engagement)):
        raise NotFound("Engagement not found.")
    return engagement


def party_of(user: User, engagement: Engagement) -> str | None:
    if user.organization_id == engagement.supplier_org_id:
        return "supplier"
    if user.organization_id == engagement.manufacturer_org_id:
        return "manufacturer"
    return None


def current_stage_row(engagement: Engagement) -> EngagementStage | None:
    return next((s for s in engagement.stages if s.stage == engagement.stage), None)


def is_overdue(engagement: Engagement, on: date | None = None) -> bool:
    """Open, and past the planned end of the stage it is in."""
    row = current_stage_row(engagement)
    if row is None or row.planned_end is None:
        return False
    return row.planned_end < (on or today())


def list_engagements(
    session: Session, user: User, stage: Stage | None = None, page: int = 1
) -> Page[Engagement]:
    query = select(Engagement).options(selectinload(Engagement.stages))
    if not is_staff(user):
        org = user.organization_id
        query = query.where(
            (Engagement.supplier_org_id == org) | (Engagement.manufacturer_org_id == org)
        )
    if stage is not None:
        query = query.where(Engagement.stage == stage)
    query = query.order_by(Engagement.updated_at.desc(), Engagement.id.desc())
    return paginate(session, query, page, PER_PAGE)


def board(
    session: Session,
    industry: str | None = None,
    region: str | None = None,
    supplier_org_id: int | None = None,
) -> dict[Stage, list[Engagement]]:
    """The coordinators' pipeline: every engagement by stage, filtered by the need's sector,
    the manufacturer's region and the supplier."""
    query = (
        select(Engagement)
        .join(Need, Need.id == Engagement.need_id)
        .outerjoin(
            ManufacturerProfile,
            ManufacturerProfile.organization_id == Engagement.manufacturer_org_id,
        )
        .options(selectinload(Engagement.stages))
        .order_by(Engagement.updated_at.desc(), Engagement.id.desc())
    )
    if industry:
        query = query.where(Need.industry == industry)
    if region:
        query = query.where(ManufacturerProfile.region == region)
    if supplier_org_id:
        query = query.where(Engagement.supplier_org_id == supplier_org_id)
    columns: dict[Stage, list[Engagement]] = {stage: [] for stage in Stage}
    for engagement in session.scalars(query):
        columns[engagement.stage].append(engagement)
    return columns


def engaged_suppliers(session: Session) -> list[tuple[int, str]]:
    """(organisation id, name) of every supplier with an engagement: the board's filter."""
    query = (
        select(Organization.id, Organization.name)
        .where(Organization.id.in_(select(Engagement.supplier_org_id)))
        .order_by(Organization.name)
    )
    return [(org_id, name) for org_id, name in session.execute(query)]


def timeline(session: Session, engagement: Engagement) -> list[AuditEntry]:
    """Every change to the engagement: each one is audited against the engagement itself."""
    query = (
        select(AuditEntry)
        .options(selectinload(AuditEntry.actor))
        .where(AuditEntry.entity_type == Engagement.__tablename__)
        .where(AuditEntry.entity_id == engagement.id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    return list(session.scalars(query))


@dataclass(frozen=True)
class TrackLine:
    """One verified result, e.g. 불량률 3.0% -> 0.8% (자동차 부품, 2026)."""

    metric: str
    unit: str
    baseline: float | None
    target: float | None
    value: float
    phase: str  # the latest verified phase: demonstration, deployment or follow_up
    industry: str | None
    year: int
    verified_at: datetime
    met: bool

    @property
    def change(self) -> float | None:
        """Relative change from the baseline in percent (-80.0: a fifth of the defects)."""
        if not self.baseline:
            return None
        return (self.value - self.baseline) / abs(self.baseline) * 100


PHASE_ORDER = {ResultPhase.demonstration: 0, ResultPhase.deployment: 1, ResultPhase.follow_up: 2}


TRACK_LIMIT = 20  # lines per supplier: the newest verified results


def track_record_lines(session: Session, supplier_org_id: int) -> list[TrackLine]:
    """The supplier's verified results, the latest phase per KPI, newest first."""
    return track_record_by_org(session, [supplier_org_id]).get(supplier_org_id, [])


def track_record_by_org(session: Session, org_ids: list[int]) -> dict[int, list[TrackLine]]:
    """Verified results only (recorded or rejected ones never count), at most TRACK_LIMIT
    per supplier, for many suppliers in one query (a side-by-side comparison)."""
    query = (
        select(KpiResult, EngagementKpi, Engagement.supplier_org_id, Need.industry)
        .join(EngagementKpi, EngagementKpi.id == KpiResult.kpi_id)
        .join(Engagement, Engagement.id == EngagementKpi.engagement_id)
        .join(Need, Need.id == Engagement.need_id)
        .where(Engagement.supplier_org_id.in_(org_ids))
        .where(KpiResult.verified_at.is_not(None))
    )
    latest: dict[int, tuple[KpiResult, EngagementKpi, int, str | None]] = {}
    for result, kpi, org, industry in session.execute(query) if org_ids else []:
        seen = latest.get(kpi.id)
        if seen is None or PHASE_ORDER[result.phase] > PHASE_ORDER[seen[0].phase]:
            latest[kpi.id] = (result, kpi, org, industry)
    lines: dict[int, list[TrackLine]] = defaultdict(list)
    for result, kpi, org, industry in latest.values():
        lines[org].append(_line(result, kpi, industry))
    return {org: sorted(found, key=_newest)[:TRACK_LIMIT] for org, found in lines.items()}


def _newest(line: TrackLine) -> tuple[float, str]:
    return (-line.verified_at.timestamp(), line.metric)


def _line(result: KpiResult, kpi: EngagementKpi, industry: str | None) -> TrackLine:
    verified = result.verified_at or result.recorded_at
    return TrackLine(
        metric=kpi.metric,
        unit=kpi.unit,
        baseline=kpi.baseline,
        target=kpi.target,
        value=result.value,
        phase=result.phase.value,
        industry=industry,
        year=verified.astimezone(SEOUL).year,
        verified_at=verified,
        met=target_met(kpi.baseline, kpi.target, result.value),
    )
