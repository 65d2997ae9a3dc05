"""Engagements: from an approved award (or an accepted proposal) through the stages to
verified results. This module starts engagements and reports the figures matching uses."""

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit import record
from app.matches.store import touch_supplier
from app.models import (
    Award,
    Engagement,
    EngagementKpi,
    EngagementStage,
    KpiResult,
    MatchProposal,
    Need,
    Stage,
    User,
)

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
