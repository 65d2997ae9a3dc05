"""Engagements: from an approved award (or an accepted proposal) through the stages to
verified results. This module starts engagements, counts the open ones (they use up a
supplier's capacity) and reads them; the track record is `app.track_record`."""

from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from app.audit import record
from app.db import Page, paginate
from app.errors import NotFound
from app.formats import SEOUL
from app.models import (
    Agreement,
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
    Role,
    Stage,
    User,
)
from app.money import MANWON  # bids are in 만원, agreements in won

OPEN_STAGES = (Stage.consulting, Stage.design, Stage.demonstration, Stage.deployment)
WORK_STAGES = OPEN_STAGES


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
        # Consulting starts when both parties have confirmed the agreement
        # (`app.agreements.service.confirm`), or at its sign-off if that comes first.
        stages=[EngagementStage(stage=stage) for stage in WORK_STAGES],
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
    engagement.agreements.append(first_agreement(engagement, award))
    session.add(engagement)
    session.flush()
    record(
        session,
        actor,
        "engagement.started",
        engagement,
        after={"need_id": need.id, "supplier_org_id": supplier_org_id, "stage": "consulting"},
    )
    return engagement


def first_agreement(engagement: Engagement, award: Award | None) -> Agreement:
    """Version 1, drafted from the awarded bid (its price and split, approach, timeline) and
    the need's KPIs. A proposal has no bid: its price is 0 until a coordinator amends it."""
    bid = award.bid if award is not None else None
    kpis = [
        {"metric": k.metric, "unit": k.unit, "baseline": k.baseline, "target": k.target}
        for k in engagement.kpis
    ]
    return Agreement(
        number=1,
        scope=bid.approach if bid else engagement.need.description,
        price_total=bid.price_total * MANWON if bid else 0,
        price_subsidy=bid.price_subsidy * MANWON if bid else 0,
        price_copay=bid.price_copay * MANWON if bid else 0,
        schedule=list(bid.timeline) if bid else [],
        kpis=kpis,
    )


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


# --- Reading: who may see an engagement, lists, the board, the timeline ---

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
    """Open, and past the planned end of the stage it is in, or with a milestone of that
    stage past its due date and not delivered (a late milestone makes the stage late)."""
    row = current_stage_row(engagement)
    if row is None:
        return False
    day = on or today()
    late = any(
        m.stage is engagement.stage and m.due_date and m.due_date < day and not m.delivered_at
        for m in engagement.milestones
    )
    return late or (row.planned_end is not None and row.planned_end < day)


# What a list row or a board card shows, loaded with the page (one query per relation,
# not one per row: tests/test_query_counts.py).
CARD_LOADS = (
    selectinload(Engagement.stages),
    selectinload(Engagement.milestones),  # is_overdue reads them
    selectinload(Engagement.need),
    selectinload(Engagement.supplier),
    selectinload(Engagement.manufacturer),
)


def list_engagements(
    session: Session, user: User, stage: Stage | None = None, page: int = 1
) -> Page[Engagement]:
    return paginate(session, engagements_query(user, stage), page, PER_PAGE)


def engagements_query(user: User, stage: Stage | None = None) -> Select[tuple[Engagement]]:
    """The list page's query, unpaged (the export streams it): the parties see their own."""
    query = select(Engagement).options(*CARD_LOADS)
    if not is_staff(user):
        org = user.organization_id
        query = query.where(
            (Engagement.supplier_org_id == org) | (Engagement.manufacturer_org_id == org)
        )
    if stage is not None:
        query = query.where(Engagement.stage == stage)
    return query.order_by(Engagement.updated_at.desc(), Engagement.id.desc())


def results_query(user: User, engagement_id: int | None = None) -> Select[tuple[KpiResult]]:
    """Every recorded KPI result of the engagements `user` may see (staff: all)."""
    query = (
        select(KpiResult)
        .join(EngagementKpi, EngagementKpi.id == KpiResult.kpi_id)
        .join(Engagement, Engagement.id == EngagementKpi.engagement_id)
        .options(selectinload(KpiResult.kpi))
    )
    if not is_staff(user):
        org = user.organization_id
        query = query.where(
            (Engagement.supplier_org_id == org) | (Engagement.manufacturer_org_id == org)
        )
    if engagement_id is not None:
        query = query.where(Engagement.id == engagement_id)
    return query.order_by(Engagement.id, EngagementKpi.position, KpiResult.id)


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
        .options(
            *CARD_LOADS,
            selectinload(Engagement.kpis).selectinload(EngagementKpi.results),
        )
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
